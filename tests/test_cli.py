from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stickerscan.cli import app
from stickerscan.errors import ExitCode
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
    for model_id in ("korg-m1", "korg-m1r", "korg-m1ex", "korg-m1rex"):
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
    assert any(name.startswith("unit-candidate0-ocr") for name in names)
