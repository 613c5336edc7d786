"""The batch's progress display: a bar redrawn in place on a terminal, plain lines at
intervals elsewhere."""

from __future__ import annotations

import io

import pytest

from stickerscan import progress_display
from stickerscan.batch.runner import Progress
from stickerscan.progress_display import ProgressDisplay, bar_line, plain_line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _progress(done: int, *, total: int = 8, elapsed_s: float = 4.0) -> Progress:
    statuses = {"read": done // 2, "no-label": done - done // 2 - (done > 2),
                "bad-input": int(done > 2)}
    return Progress(total=total, done=done, statuses=statuses, elapsed_s=elapsed_s)


def test_a_line_gives_the_counts_the_failures_the_pace_and_the_time_left() -> None:
    line = plain_line(Progress(total=400, done=100, elapsed_s=50.0,
                               statuses={"read": 60, "no-label": 37, "crashed": 2,
                                         "timed-out": 1}))
    assert line.startswith("100/400 photos (read 60, unreadable 0, invalid 0, no-label 37, "
                           "failed 3); 2.0 photos/s; ")
    # Three times as many to go at the pace so far: 150 s.
    assert line.endswith("ETA 2m30s")


@pytest.mark.parametrize(("seconds", "shown"), [
    (0.4, "0s"), (59.0, "59s"), (61.0, "1m01s"), (3599.0, "59m59s"), (3660.0, "1h01m"),
])
def test_the_time_left_is_shown_in_the_units_it_needs(seconds: float, shown: str) -> None:
    # One photo done of two: the time left is the time taken so far.
    line = plain_line(Progress(total=2, done=1, elapsed_s=seconds, statuses={"read": 1}))
    assert line.endswith(f"ETA {shown}")


def test_before_the_first_photo_the_time_left_is_unknown() -> None:
    assert plain_line(Progress(total=5, done=0)).endswith("0.0 photos/s; ETA ?")


@pytest.mark.parametrize(("done", "filled"), [(0, 0), (2, 6), (5, 15), (8, 24)])
def test_the_bar_fills_with_the_share_done(done: int, filled: int) -> None:
    bar = bar_line(_progress(done))
    assert bar.startswith("[" + "#" * filled + "." * (24 - filled) + "] ")
    assert bar.endswith(plain_line(_progress(done)))


def test_on_a_terminal_the_bar_is_redrawn_in_place_and_ends_its_line_once() -> None:
    stream = _Terminal()
    display = ProgressDisplay(stream)
    for done in (1, 4, 8, 8):
        display(_progress(done))
    written = stream.getvalue()
    # The runner reports the finished run twice: drawn again after its line ended, the
    # bar would stand before the summary that follows, on its line.
    assert written.count("\r") == 3
    # Each redraw clears what a longer line before it left on the right.
    assert written.count("\x1b[K") == 3
    assert written.count("\n") == 1 and written.endswith("\n")
    assert written.rstrip("\n").rsplit("\r", 1)[1].startswith("[" + "#" * 24 + "]")


def test_elsewhere_a_line_is_written_at_intervals_and_once_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(progress_display.time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    display = ProgressDisplay(stream, every_s=10.0)
    for done, now in ((1, 1000.0), (2, 1004.0), (3, 1009.9), (4, 1010.0), (5, 1015.0),
                      (8, 1016.0), (8, 1017.0)):
        clock[0] = now
        display(_progress(done))
    lines = stream.getvalue().splitlines()
    # The first report, the first 10 s after it, and the end; nothing drawn in place.
    assert [line.split(" ", 1)[0] for line in lines] == ["1/8", "4/8", "8/8"]
    assert "\r" not in stream.getvalue()
