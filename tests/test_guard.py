from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from stickerscan.batch.runner import with_previews
from stickerscan.catalogue_files import load_catalogue
from stickerscan.cli import app
from stickerscan.errors import ExitCode, MissingDependencyError
from stickerscan.guard import GuardedScanner
from stickerscan.ocr import FakeOcrEngine, OcrRequest
from stickerscan.options import ScanOptions
from stickerscan.pipeline import ScanResult
from stickerscan.previews import CROP_SIDE, THUMBNAIL_SIDE
from tests.drawing import encode, panel, place, sticker

CATALOGUE = load_catalogue()
# The worker is another process: the test tells its fake OCR what to do through a file
# named in this environment variable, read at every call.
BEHAVIOUR_FILE = "STICKERSCAN_TEST_OCR_BEHAVIOUR"


def _reply(image: np.ndarray, request: OcrRequest) -> str:
    behaviour = Path(os.environ[BEHAVIOUR_FILE]).read_text().strip()
    if behaviour == "hang":
        time.sleep(600)
    elif behaviour == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif behaviour == "raise":
        raise RuntimeError("the engine tripped over this crop")
    return "SERIAL NO. 013537"


def scripted_engine(options: ScanOptions) -> FakeOcrEngine:
    """Builds the fake OCR inside the worker (module-level, so it can be pickled)."""
    return FakeOcrEngine(_reply)


@pytest.fixture(scope="module")
def photo() -> bytes:
    image, _ = place(panel(seed=11), sticker(["SERIAL NO.", "013537"]), at=(1100, 800),
                     angle=-9)
    return encode(image)


@pytest.fixture
def behave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The file whose content tells the worker's fake OCR what to do next."""
    path = tmp_path / "behaviour"
    path.write_text("answer")
    monkeypatch.setenv(BEHAVIOUR_FILE, str(path))
    yield path


@pytest.fixture
def guarded(behave: Path) -> Iterator[GuardedScanner]:
    with GuardedScanner(ScanOptions(time_limit_s=1.0), engine_factory=scripted_engine,
                        catalogue=CATALOGUE) as scanner:
        yield scanner


def test_a_read_comes_back_whole_from_the_worker(guarded: GuardedScanner, photo: bytes) -> None:
    result = guarded.scan_as_row(photo, name="m1.png")
    assert result.status == "read"
    assert result.serial == "013537"
    assert result.source == "m1.png"
    assert result.estimate is not None
    # The image and the crops travel back too, for --debug-dir.
    assert result.image is not None and result.image.pixels.shape == (1200, 1600, 3)
    assert result.readings and result.readings[0].seen


def test_a_batch_worker_sends_previews_instead_of_the_photo(behave: Path, photo: bytes) -> None:
    with GuardedScanner(ScanOptions(time_limit_s=5.0), engine_factory=scripted_engine,
                        catalogue=CATALOGUE, prepare=with_previews) as scanner:
        result = scanner.scan_as_row(photo, name="m1.png")
    assert (result.status, result.serial) == ("read", "013537")
    assert result.image is None and result.readings == ()
    assert result.previews is not None and result.previews.label is not None
    for jpeg in (result.previews.photo, result.previews.label):
        assert jpeg.startswith(b"\xff\xd8")  # a JPEG
        with Image.open(io.BytesIO(jpeg)) as picture:
            assert max(picture.size) <= max(THUMBNAIL_SIDE, CROP_SIDE)


def opencv_threads_as_reason(result: ScanResult) -> ScanResult:
    """Reports, from inside the worker, how many threads OpenCV may use there."""
    return replace(result, reason=f"opencv threads {cv2.getNumThreads()}")


def test_the_worker_gives_opencv_the_threads_the_options_say(behave: Path, photo: bytes) -> None:
    for threads in (1, 2):
        with GuardedScanner(ScanOptions(opencv_threads=threads), engine_factory=scripted_engine,
                            catalogue=CATALOGUE, prepare=opencv_threads_as_reason) as scanner:
            assert scanner.scan_as_row(photo).reason == f"opencv threads {threads}"


def test_a_hang_is_stopped_at_the_time_limit_and_the_next_photo_is_read(
    guarded: GuardedScanner, behave: Path, photo: bytes
) -> None:
    behave.write_text("hang")
    started = time.perf_counter()
    stuck = guarded.scan_as_row(photo, name="stuck.jpg")
    waited = time.perf_counter() - started
    assert stuck.status == "timed-out"
    assert stuck.source == "stuck.jpg"
    assert "time limit of 1 s" in stuck.reason
    assert 1.0 <= stuck.elapsed_s < 5.0 and waited < 5.0
    behave.write_text("answer")
    assert guarded.scan_as_row(photo, name="next.jpg").serial == "013537"


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [("crash", "killed by SIGSEGV"), ("raise", "RuntimeError: the engine tripped over this crop")],
)
def test_a_crash_or_an_error_in_the_ocr_is_a_row_and_the_next_photo_is_read(
    behaviour: str, reason: str, guarded: GuardedScanner, behave: Path, photo: bytes
) -> None:
    behave.write_text(behaviour)
    failed = guarded.scan_as_row(photo, name="odd.jpg")
    assert failed.status == "crashed"
    assert failed.source == "odd.jpg"
    assert reason in failed.reason
    behave.write_text("answer")
    assert guarded.scan_as_row(photo, name="next.jpg").status == "read"


def test_a_bad_file_is_a_bad_input_row(guarded: GuardedScanner, tmp_path: Path) -> None:
    result = guarded.scan_as_row(tmp_path / "missing.jpg")
    assert result.status == "bad-input"
    assert result.source == str(tmp_path / "missing.jpg")
    assert result.reason == "no such file"


def test_missing_language_data_is_raised_before_any_photo(tmp_path: Path) -> None:
    with pytest.raises(MissingDependencyError, match=r"eng\.traineddata") as caught:
        GuardedScanner(ScanOptions(tessdata_dir=str(tmp_path)), catalogue=CATALOGUE)
    assert caught.value.exit_code == ExitCode.MISSING_DEPENDENCY


# --------------------------------------------------------------------------------------
# The tesseract program hanging (pytesseract engine): a fake program on PATH
# --------------------------------------------------------------------------------------

_FAKE_TESSERACT = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "tesseract 5.3.4"; exit 0; fi
echo $$ >> "$FAKE_TESSERACT_PIDS"
exec sleep 300
"""


@pytest.fixture
def hanging_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``tesseract`` first on PATH that hangs on every page; returns the file where
    each run writes its process id, and fake language data to satisfy the set-up check."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the check that the program was stopped reads /proc")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "tesseract"
    program.write_text(_FAKE_TESSERACT)
    program.chmod(0o755)
    (tmp_path / "tessdata").mkdir()
    (tmp_path / "tessdata" / "eng.traineddata").write_bytes(b"")
    pids = tmp_path / "pids"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_TESSERACT_PIDS", str(pids))
    return pids


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}  # a zombie has stopped; only its exit is unread


def test_a_hanging_tesseract_program_is_stopped_with_the_worker(
    hanging_tesseract: Path, photo: bytes, tmp_path: Path
) -> None:
    options = ScanOptions(ocr_engine="pytesseract", tessdata_dir=str(tmp_path / "tessdata"),
                          time_limit_s=1.0)
    with GuardedScanner(options, catalogue=CATALOGUE) as guarded:
        result = guarded.scan_as_row(photo, name="listing.jpg")
        assert result.status == "timed-out"
        pids = [int(line) for line in hanging_tesseract.read_text().split()]
        assert pids
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_running(pid) for pid in pids)


def test_a_killed_worker_leaves_no_temporary_files(
    hanging_tesseract: Path, photo: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pytesseract writes each page to a temporary file; a worker killed at the time limit
    # cannot remove it, so the worker's temporary folder is removed with the worker.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    options = ScanOptions(ocr_engine="pytesseract", tessdata_dir=str(tmp_path / "tessdata"),
                          time_limit_s=1.0)
    with GuardedScanner(options, catalogue=CATALOGUE) as guarded:
        for _ in range(2):
            assert guarded.scan_as_row(photo, name="listing.jpg").status == "timed-out"
        assert hanging_tesseract.read_text().split()  # the program did run
    assert list(temporary.iterdir()) == []


def test_a_worker_whose_parent_was_killed_removes_its_temporary_folder(
    behave: Path, photo: bytes, tmp_path: Path
) -> None:
    # kill -9 on a batch gives its readers no chance to be stopped: each must notice that
    # its parent is gone, stop, and take its temporary folder with it.
    (tmp_path / "photo.png").write_bytes(photo)
    parent_program = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from stickerscan.catalogue_files import load_catalogue\n"
        "from stickerscan.guard import GuardedScanner\n"
        "from stickerscan.options import ScanOptions\n"
        "from tests.test_guard import scripted_engine\n"
        "scanner = GuardedScanner(ScanOptions(), engine_factory=scripted_engine,\n"
        "                         catalogue=load_catalogue())\n"
        "print(scanner.scan_as_row(Path(sys.argv[1])).status, flush=True)\n"
        "print(scanner._worker.scratch, scanner._worker.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_program, str(tmp_path / "photo.png")],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent,
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "read"
        folder, worker_pid = parent.stdout.readline().split()
        assert Path(folder).is_dir() and _running(int(worker_pid))
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while (Path(folder).exists() or _running(int(worker_pid))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(int(worker_pid))
    assert not Path(folder).exists()


def test_command_line_reports_each_timed_out_photo_and_exits_7(
    hanging_tesseract: Path, photo: bytes, tmp_path: Path
) -> None:
    photos = [tmp_path / "first listing.png", tmp_path / "second.png"]
    for path in photos:
        path.write_bytes(photo)
    result = CliRunner().invoke(app, [
        "scan", *map(str, photos), "--engine", "pytesseract",
        "--tessdata-dir", str(tmp_path / "tessdata"), "--time-limit", "1",
    ])
    assert result.exit_code == ExitCode.SCAN_FAILED
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, photos, strict=True):
        assert line.startswith(f"stickerscan: {path}: stopped at the time limit of 1 s")
    assert "Traceback" not in result.output
