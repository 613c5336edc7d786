"""Show a batch's progress: a live bar on a terminal, plain periodic lines otherwise.
Command-line side only; the runner just reports where it stands."""

from __future__ import annotations

import time
from typing import TextIO

from stickerscan.batch.runner import Progress

_BAR_WIDTH = 24
_SHOWN_STATUSES = ("read", "unreadable", "invalid", "no-label")


class ProgressDisplay:
    """Call with each :class:`Progress`; on a terminal it redraws one line, elsewhere it
    writes a line every ``every_s`` seconds (and one at the end)."""

    def __init__(self, stream: TextIO, *, every_s: float = 10.0) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.every_s = every_s
        self._last = 0.0
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        if self._drawn:
            # The last line is out: the runner reports the finished run again, and a
            # bar redrawn now would stand before whatever is written next, on its line.
            return
        finished = progress.done >= progress.total
        if self.live:
            self.stream.write("\r" + bar_line(progress) + "\x1b[K")
            if finished:
                self.stream.write("\n")
                self._drawn = True
            self.stream.flush()
            return
        now = time.monotonic()
        if finished or now - self._last >= self.every_s:
            self._last = now
            self._drawn = finished
            self.stream.write(plain_line(progress) + "\n")
            self.stream.flush()


def bar_line(progress: Progress) -> str:
    share = progress.done / progress.total if progress.total else 1.0
    filled = round(share * _BAR_WIDTH)
    return f"[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {plain_line(progress)}"


def plain_line(progress: Progress) -> str:
    counts = ", ".join(f"{status} {progress.statuses.get(status, 0)}"
                       for status in _SHOWN_STATUSES)
    rate = progress.done / progress.elapsed_s if progress.elapsed_s > 0 else 0.0
    eta = progress.eta_s
    return (f"{progress.done}/{progress.total} photos ({counts}, failed {progress.failed}); "
            f"{rate:.1f} photos/s; ETA {_duration(eta) if eta is not None else '?'}")


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
