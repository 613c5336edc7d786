from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stickerscan import cli
from stickerscan.catalogue_files import load_catalogue
from stickerscan.cli import app
from stickerscan.errors import ExitCode, ReaderStartError
from stickerscan.options import ScanOptions
from tests.drawing import encode, panel, place, sticker

runner = CliRunner()


def _photo(tmp_path: Path, lines: list[str], name: str = "unit.png") -> Path:
    image, _ = place(panel(seed=21), sticker(lines, scale=1.4), at=(1000, 800), angle=5)
    path = tmp_path / name
    path.write_bytes(encode(image))
    return path


def test_lookup_dates_a_typed_serial() -> None:
    result = runner.invoke(app, ["lookup", "013537"])
    assert result.exit_code == ExitCode.OK
    assert "1988" in result.output
    assert "verdict" in result.output
    assert "reliability" in result.output


def test_lookup_json_has_the_estimate() -> None:
    result = runner.invoke(app, ["lookup", "103917", "--model", "korg-m1", "--json"])
    assert result.exit_code == ExitCode.OK
    payload = json.loads(result.output)
    assert payload["estimate"]["serial"] == 103917
    assert payload["estimate"]["anchors"]


def test_lookup_of_a_malformed_serial_is_invalid() -> None:
    result = runner.invoke(app, ["lookup", "12A45"])
    assert result.exit_code == ExitCode.INVALID_SERIAL
    assert "does not fit" in result.output


def test_unknown_model_is_a_catalogue_error() -> None:
    result = runner.invoke(app, ["lookup", "013537", "--model", "korg-m99"])
    assert result.exit_code == ExitCode.BAD_CATALOGUE
    assert "korg-m99" in result.output
    assert "korg-m1" in result.output


def test_models_lists_the_catalogue() -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == ExitCode.OK
    for model_id in ("korg-m1", "korg-m1r", "korg-m1ex", "korg-m1rex", "generic"):
        assert model_id in result.output


def test_usage_error_exit_code() -> None:
    result = runner.invoke(app, ["scan", "--min-confidence", "7", "x.jpg"])
    assert result.exit_code == ExitCode.USAGE


def test_missing_language_data_says_how_to_install(tmp_path: Path) -> None:
    photo = _photo(tmp_path, ["SERIAL NO.", "013537"])
    result = runner.invoke(app, ["scan", str(photo), "--tessdata-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "apt-get install tesseract-ocr" in result.output
    assert "Traceback" not in result.output


@pytest.mark.tesseract
def test_scan_reads_a_drawn_sticker(tmp_path: Path) -> None:
    photo = _photo(tmp_path, ["SERIAL NO.", "013537"])
    result = runner.invoke(app, ["scan", str(photo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "013537" in result.output
    assert "assumed" in result.output


@pytest.mark.tesseract
def test_broken_file_is_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = _photo(tmp_path, ["SERIAL NO.", "013537"])
    broken = tmp_path / "broken listing.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    result = runner.invoke(app, ["scan", str(broken), str(good), "--json"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "Traceback" not in result.output
    error_lines = [line for line in result.output.splitlines() if "broken listing.jpg:" in line]
    assert len(error_lines) == 1
    assert "corrupt or truncated JPEG" in error_lines[0]
    payload = json.loads(result.output[result.output.index("["):])
    assert [row["status"] for row in payload] == ["bad-input", "read"]


@pytest.mark.tesseract
def test_no_label_exit_code_and_advice(tmp_path: Path) -> None:
    path = tmp_path / "bare.png"
    path.write_bytes(encode(panel(seed=22)))
    result = runner.invoke(app, ["scan", str(path)])
    assert result.exit_code == ExitCode.NOT_READ
    assert "no serial label found" in result.output
    assert "underside" in result.output or "box" in result.output


@pytest.mark.tesseract
def test_debug_dir_gets_the_outlined_photo_and_the_crops(tmp_path: Path) -> None:
    photo = _photo(tmp_path, ["SERIAL NO.", "013537"])
    debug = tmp_path / "debug"
    result = runner.invoke(app, ["scan", str(photo), "--debug-dir", str(debug)])
    assert result.exit_code == ExitCode.OK
    names = sorted(path.name for path in debug.iterdir())
    assert "unit-labels.jpg" in names
    assert "unit-result.json" in names
    assert any(name.startswith("unit-candidate0-reading") for name in names)


@pytest.mark.parametrize("model_id", load_catalogue().ids())
def test_lookup_gives_every_model_a_range_basis_and_verdict(model_id: str) -> None:
    model = load_catalogue().get(model_id)
    serial = "103917" if model.can_be_dated else "AB12-3456-CD"
    result = runner.invoke(app, ["lookup", serial, "--model", model_id])
    assert result.exit_code == ExitCode.OK, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{serial}  ({model.name}; given with --model)"
    made = next(line for line in lines if line.startswith("  made       "))
    verdict = next(line for line in lines if line.startswith("  verdict    "))
    basis = next(line for line in lines if line.startswith("  basis      "))
    if model.can_be_dated:
        assert made.startswith("  made       between ") and "most likely about" in made
        assert verdict.split()[-1] in ("consistent", "review", "inconsistent")
        assert "tag R" in basis
    else:
        assert made == "  made       no date can be given"
        assert verdict == "  verdict    undated: only the serial's format was checked"
    advice = [line for line in lines if line.startswith("  check      ")]
    assert advice == [f"  check      {text}" for text in model.advice]


def test_lookup_generic_exact_output() -> None:
    result = runner.invoke(app, ["lookup", "AB12-3456-CD", "--model", "generic"])
    assert result.exit_code == ExitCode.OK
    generic = load_catalogue().get("generic")
    assert result.output == "\n".join([
        "AB12-3456-CD  (Any product (generic label); given with --model)",
        "  made       no date can be given",
        "  verdict    undated: only the serial's format was checked",
        "  basis      The Any product (generic label) entry has no dating rules (no "
        "production window, no dated serials), so the serial says nothing about when the "
        "unit was made.",
        *(f"  check      {advice}" for advice in generic.advice),
    ]) + "\n"


def test_lookup_with_a_one_off_pattern() -> None:
    result = runner.invoke(app, ["lookup", "KX-00420", "--pattern", "KX-[0-9]{5}"])
    assert result.exit_code == ExitCode.OK
    assert result.output.startswith(
        "KX-00420  (Any product (generic label); any product: --pattern sets the serial "
        "format)\n"
    )
    wrong = runner.invoke(app, ["lookup", "KX-0042", "--pattern", "KX-[0-9]{5}"])
    assert wrong.exit_code == ExitCode.INVALID_SERIAL
    assert "does not fit the Any product (generic label) serial format: the pattern " \
        "KX-[0-9]{5} given with --pattern" in wrong.output


@pytest.mark.parametrize("pattern", ["[0-9", "x*"])
def test_a_bad_pattern_is_a_usage_error(pattern: str) -> None:
    result = runner.invoke(app, ["lookup", "123456", "--pattern", pattern])
    assert result.exit_code == ExitCode.USAGE
    assert "--pattern" in result.output and "Traceback" not in result.output


def test_lookup_without_model_says_which_was_assumed() -> None:
    result = runner.invoke(app, ["lookup", "013537"])
    assert result.output.startswith("013537  (Korg M1; assumed; choose another with --model)")


@pytest.mark.tesseract
def test_scan_generic_reads_any_products_label(tmp_path: Path) -> None:
    photo = _photo(tmp_path, ["ACME X200", "S/N: AB12-3456-CD"], name="router.png")
    result = runner.invoke(app, ["scan", str(photo), "--model", "generic", "--json"])
    payload = json.loads(result.output)
    assert payload[0]["serial"] == "AB12-3456-CD", payload[0]["readings"]
    assert payload[0]["estimate"] is None
    assert result.exit_code == ExitCode.OK


@pytest.mark.tesseract
def test_scan_takes_the_model_from_the_label(tmp_path: Path) -> None:
    photo = _photo(tmp_path, ["KORG M1R", "SERIAL NO.", "103917"], name="rack.png")
    result = runner.invoke(app, ["scan", str(photo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "  model      Korg M1R (the label shows 'M1R')\n" in result.output


@pytest.mark.parametrize(("count", "given", "expected"), [
    (1, None, 1),       # one photo: the extra readers would start for nothing
    (3, None, None),    # several: the number of cores, at most 2
    (1, 3, 3),          # --threads always wins
])
def test_reading_threads_depend_on_how_many_photos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, given: int | None,
    expected: int | None,
) -> None:
    seen: list[ScanOptions] = []

    def no_reader(options: ScanOptions, **_: object) -> None:
        seen.append(options)
        raise ReaderStartError("not started in this test")

    monkeypatch.setattr(cli, "GuardedScanner", no_reader)
    photos = [tmp_path / f"{index}.jpg" for index in range(count)]
    arguments = [str(photo) for photo in photos] + (["--threads", str(given)] if given else [])
    outcome = CliRunner().invoke(app, ["scan", *arguments])
    assert outcome.exit_code == ExitCode.SCAN_FAILED
    assert len(seen) == 1
    assert seen[0].ocr_threads == (expected or min(os.cpu_count() or 1, 2))
