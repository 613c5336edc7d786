"""Hostile and broken input: nothing crashes, nothing is lost, every failure is explained."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stickerscan.cli import app
from stickerscan.errors import BadInputError, ExitCode
from stickerscan.load import HEIF_INSTALL_HINT, load_image
from stickerscan.options import ScanOptions
from tests.corpus import (
    HEIC_HEADER_ONLY,
    CorpusEntry,
    bad_inputs,
    encoded,
    jpeg_declaring,
    png_declaring,
    quadrants,
)

CORPUS = bad_inputs()
OPTIONS = ScanOptions()


@pytest.mark.parametrize("entry", CORPUS, ids=[entry.name for entry in CORPUS])
def test_each_input_loads_correctly_or_is_refused_naming_file_and_problem(
    entry: CorpusEntry, tmp_path: Path
) -> None:
    path = tmp_path / entry.name
    path.write_bytes(entry.data)
    if entry.problem is None:
        loaded = load_image(path, OPTIONS)
        assert loaded.pixels.dtype.name == "uint8" and loaded.pixels.shape[2] == 3
        if entry.check is not None:
            entry.check(loaded)
        return
    with pytest.raises(BadInputError) as caught:
        load_image(path, OPTIONS)
    assert caught.value.message.startswith(f"{path}: ")
    assert entry.problem in caught.value.problem
    assert caught.value.exit_code == ExitCode.BAD_INPUT


def test_all_eight_exif_orientations_are_in_the_corpus() -> None:
    tags = {entry.name for entry in CORPUS if entry.name.startswith("exif orientation")}
    assert tags == {f"exif orientation {tag}.jpg" for tag in range(1, 9)}


def test_heic_without_pillow_heif_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # An entry of None in sys.modules makes the import fail, as if it were not installed.
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    with pytest.raises(BadInputError) as caught:
        load_image(HEIC_HEADER_ONLY, OPTIONS, name="IMG_0042.HEIC")
    assert caught.value.message.startswith("IMG_0042.HEIC: ")
    assert HEIF_INSTALL_HINT in caught.value.problem


def test_heic_with_pillow_heif_is_read() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    loaded = load_image(encoded(quadrants(), "HEIF", quality=95), OPTIONS, name="IMG.HEIC")
    assert loaded.file_format == "HEIF"
    assert loaded.pixels.shape == (48, 64, 3)


def test_a_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    pipe = tmp_path / "listing.jpg"
    os.mkfifo(pipe)
    with pytest.raises(BadInputError, match="not a regular file"):
        load_image(pipe, OPTIONS)


def test_pixel_cap_is_configurable_above_pillows_own_warning_level() -> None:
    # 95 megapixels is over Pillow's warning threshold (89 MP) but under our default cap,
    # so the file is decoded (and found to be truncated) rather than refused as a bomb.
    data = png_declaring(10_000, 9_500)
    with pytest.raises(BadInputError) as caught:
        load_image(data, OPTIONS, name="big.png")
    assert "bomb" not in caught.value.problem
    with pytest.raises(BadInputError, match="over the limit of 90"):
        load_image(data, ScanOptions(max_pixels=90_000_000), name="big.png")


def test_a_sequential_jpeg_may_declare_two_and_a_half_times_the_pixel_cap() -> None:
    # 200 megapixels, the largest phone cameras' photos: decoded reduced, so not refused
    # for its size (libjpeg fills in the data the tiny file lacks).
    phone_sized = jpeg_declaring(16_320, 12_240)
    loaded = load_image(phone_sized, OPTIONS, name="phone.jpg")
    assert loaded.original_size == (16_320, 12_240)
    assert loaded.pixels.shape[0] * loaded.pixels.shape[1] < 5_000_000
    with pytest.raises(BadInputError, match="over the limit of 250 for a sequential JPEG"):
        load_image(jpeg_declaring(20_000, 20_000), OPTIONS, name="huge.jpg")
    with pytest.raises(BadInputError, match="over the limit of 25 for a sequential JPEG"):
        load_image(phone_sized, ScanOptions(max_pixels=10_000_000), name="phone.jpg")


@pytest.mark.parametrize("kind", ["progressive", "colours_apart"])
def test_a_jpeg_held_whole_while_decoded_is_held_to_the_pixel_cap(kind: str) -> None:
    # libjpeg holds every coefficient of a progressive JPEG, or of one with its colours in
    # separate scans, until its last scan.
    data = jpeg_declaring(16_320, 12_240, **{kind: True})
    with pytest.raises(BadInputError, match=r"200 megapixels, over the limit of 100 \("):
        load_image(data, OPTIONS, name="held whole.jpg")


runner = CliRunner()


@pytest.mark.tesseract
@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty listing photo.jpg", b"", "the file is empty"),
        ("bomb.png", png_declaring(100_000, 100_000), "decompression bomb"),
        ("Fotos Müller \u2013 日本.heic", HEIC_HEADER_ONLY, "HEIC"),
    ],
)
def test_one_bad_photo_is_one_line_and_exit_code_4(
    name: str, data: bytes, problem: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["scan", str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"stickerscan: {path}: ")
    assert problem in lines[0]


# --------------------------------------------------------------------------------------
# The whole corpus in one batch, as a user would run it
# --------------------------------------------------------------------------------------


def _without_file_permission_override() -> list[str]:
    """A command prefix under which even root is refused files it has no permission for."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: an unreadable file cannot be made")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.fixture
def batch_folder(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """The corpus plus folder hazards; maps each expected row's source to its problem
    (an empty string for a file that must be read without a failure)."""
    folder = tmp_path / "listing photos"
    nested = folder / "sub folder"
    nested.mkdir(parents=True)
    expected: dict[str, str] = {}
    for entry in CORPUS:
        (folder / entry.name).write_bytes(entry.data)
        expected[str(folder / entry.name)] = entry.problem or ""
    (nested / "loop").symlink_to("..", target_is_directory=True)
    (nested / "self link.jpg").symlink_to("self link.jpg")
    expected[str(nested / "self link.jpg")] = "cannot be read"
    (nested / "gone.jpg").symlink_to("nowhere.jpg")
    expected[str(nested / "gone.jpg")] = "no such file"
    locked = nested / "locked.jpg"
    locked.write_bytes(encoded(quadrants(), "JPEG"))
    locked.chmod(0)
    expected[str(locked)] = "permission denied"
    closed = nested / "closed folder"
    closed.mkdir()
    (closed / "inside.jpg").write_bytes(encoded(quadrants(), "JPEG"))
    closed.chmod(0)
    expected[str(closed)] = "the folder cannot be read"
    (nested / "pipe.jpg").unlink(missing_ok=True)
    os.mkfifo(nested / "pipe.jpg")
    expected[str(nested / "pipe.jpg")] = "not a regular file"
    (folder / "readme.txt").write_text("not a photo, skipped by its name\n")
    (folder / "._hidden.jpg").write_bytes(b"macOS resource fork, skipped")
    if sys.platform.startswith("linux"):
        # A file name that is not valid UTF-8 (written on an old Latin-1 system).
        latin1 = Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9 r\xfcckseite.jpg"))
        latin1.write_bytes(b"\xff\xd8\xff\xe0 cut short")
        expected[str(latin1)] = "corrupt or truncated JPEG"
    yield folder, expected
    closed.chmod(0o755)


@pytest.mark.tesseract
def test_whole_corpus_in_one_batch_gives_one_row_each_and_no_traceback(
    batch_folder: tuple[Path, dict[str, str]], record_property: pytest.RecordProperty
) -> None:
    folder, expected = batch_folder
    missing = folder.parent / "never taken.jpg"
    expected[str(missing)] = "no such file"
    command = [*_without_file_permission_override(), sys.executable, "-m", "stickerscan",
               "scan", str(folder), str(missing), "--json", "--time-limit", "60"]
    done = subprocess.run(command, capture_output=True, timeout=600, check=False)
    stdout, stderr = (os.fsdecode(done.stdout), done.stderr.decode("utf-8", "replace"))
    assert "Traceback" not in stderr and "Traceback" not in stdout
    rows = json.loads(stdout)
    by_source = {row["source"]: row for row in rows}
    assert len(rows) == len(by_source) == len(expected), sorted(set(by_source) ^ set(expected))
    assert set(by_source) == set(expected)
    for source, problem in expected.items():
        row = by_source[source]
        if problem:
            assert row["status"] == "bad-input", row
            assert problem in row["reason"], row
        else:
            assert row["status"] in {"read", "unreadable", "no-label"}, row
    for several_frames in ("animated.gif", "multi page.tif"):
        row = by_source[str(folder / several_frames)]
        assert any("only the first was read" in note for note in row["problems"]), row
    failures = [row for row in rows if row["status"] == "bad-input"]
    error_lines = [line for line in stderr.splitlines() if line.startswith("stickerscan: ")]
    assert len(error_lines) == len(failures)
    assert done.returncode == ExitCode.BAD_INPUT
    crashed = sum(row["status"] in {"crashed", "timed-out"} for row in rows)
    record_property(
        "corpus_summary",
        f"bad-input corpus: {len(expected)} inputs in one batch, {len(rows)} rows "
        f"({len(failures)} refused with a reason, {len(rows) - len(failures)} scanned), "
        f"{crashed} crashed, {len(expected) - len(set(by_source) & set(expected))} lost",
    )
