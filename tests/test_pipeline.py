from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stickerscan.catalogue import load_catalogue
from stickerscan.errors import BadInputError
from stickerscan.ocr import FakeOcrEngine, OcrRequest
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner
from tests.drawing import encode, panel, place, sticker

CATALOGUE = load_catalogue()


def _photo() -> tuple[bytes, np.ndarray]:
    image, corners = place(panel(seed=11), sticker(["SERIAL NO.", "013537"]), at=(1100, 800),
                           angle=-9)
    return encode(image), corners


def _scanner(reply: str | object, **options: object) -> Scanner:
    engine = FakeOcrEngine(reply)  # type: ignore[arg-type]
    return Scanner(ScanOptions(**options), engine=engine, catalogue=CATALOGUE)  # type: ignore[arg-type]


def _reads_only_the_sticker(image: np.ndarray, request: OcrRequest) -> str:
    """Answers as if OCR could read only crops that look like the drawn sticker: mostly
    light paper (every crop is made dark-on-light) with a two-line layout."""
    if request.layout == "line":
        return "013537"
    light = float((image > 128).mean())
    return "SERIAL NO.\n013537" if light > 0.8 and image.shape[0] > 60 else "MIDI IN"


def test_valid_serial_gives_read_status_with_an_estimate_and_the_label_corners() -> None:
    data, corners = _photo()
    result = _scanner(_reads_only_the_sticker).scan(data, name="m1.png")
    assert result.status == "read"
    assert result.serial == "013537"
    assert result.model_id == "korg-m1" and result.model_assumed
    assert result.estimate is not None
    assert result.estimate.earliest <= result.estimate.most_likely <= result.estimate.latest
    assert result.label_quad is not None
    centre = np.mean(np.array(result.label_quad), axis=0)
    assert np.linalg.norm(centre - corners.mean(axis=0)) < 40
    assert result.elapsed_s > 0


def test_search_stops_at_the_first_sure_reading() -> None:
    data, _ = _photo()
    scanner = _scanner("SERIAL NO. 013537")
    result = scanner.scan(data, name="m1.png")
    assert result.status == "read"
    assert len(result.readings) == 1


def test_only_unlabelled_numbers_give_unreadable_with_a_guess() -> None:
    data, _ = _photo()
    result = _scanner("045632").scan(data, name="m1.png")
    assert result.status == "unreadable"
    assert result.serial is None
    assert result.guess == "045632"
    assert result.estimate is None


def test_text_without_numbers_gives_no_label() -> None:
    data, _ = _photo()
    result = _scanner("MIDI IN OUT THRU").scan(data, name="m1.png")
    assert result.status == "no-label"
    assert result.serial is None and result.guess is None
    assert result.label_quad is None
    assert len(result.readings) == min(result.candidates, ScanOptions().max_candidates) > 0


def test_blank_photo_reads_nothing_and_calls_no_ocr() -> None:
    engine = FakeOcrEngine("SERIAL NO. 013537")
    scanner = Scanner(ScanOptions(), engine=engine, catalogue=CATALOGUE)
    result = scanner.scan(encode(np.full((600, 800, 3), 90, np.uint8)), name="blank.png")
    assert result.status == "no-label"
    assert result.candidates == 0
    assert engine.seen == []


def test_wrong_length_serial_is_a_guess_however_sure() -> None:
    data, _ = _photo()
    engine = FakeOcrEngine("SERIAL NO. 0135377", confidence=0.99)
    result = Scanner(ScanOptions(), engine=engine, catalogue=CATALOGUE).scan(data, name="x.png")
    assert result.status == "unreadable"
    assert result.serial is None
    assert result.guess == "0135377"
    assert result.estimate is None
    assert any("does not fit" in problem for problem in result.problems)


def test_chosen_model_is_used_and_not_assumed() -> None:
    data, _ = _photo()
    result = _scanner("SERIAL NO. 103917", model_id="korg-m1r").scan(data, name="m1r.png")
    assert result.model_id == "korg-m1r" and not result.model_assumed


def test_bad_file_raises_for_one_photo_and_is_a_row_in_many(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(_photo()[0])
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    scanner = _scanner("SERIAL NO. 013537")
    with pytest.raises(BadInputError, match=r"broken\.jpg"):
        scanner.scan(broken)
    results = list(scanner.scan_many([broken, good, tmp_path / "missing.jpg"]))
    assert [r.status for r in results] == ["bad-input", "read", "bad-input"]
    assert "no such file" in results[2].reason
    assert results[1].serial == "013537"


def test_result_dict_has_every_field() -> None:
    data, _ = _photo()
    result = _scanner("SERIAL NO. 013537").scan(data, name="m1.png")
    payload = result.to_dict()
    for key in ("source", "status", "reason", "serial", "guess", "confidence", "label_quad",
                "estimate", "readings", "elapsed_s", "model", "model_assumed", "problems"):
        assert key in payload
    assert payload["estimate"]["anchors"]



class _TripsOnce:
    """An OCR reply that fails on its first call, as a bug in an engine would."""

    def __init__(self) -> None:
        self.tripped = False

    def __call__(self, image: np.ndarray, request: OcrRequest) -> str:
        if not self.tripped:
            self.tripped = True
            raise RuntimeError("engine tripped")
        return "SERIAL NO. 013537"


def test_an_unexpected_failure_is_a_crashed_row_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(_photo()[0])
    results = list(_scanner(_TripsOnce()).scan_many([good, good]))
    assert [r.status for r in results] == ["crashed", "read"]
    assert "RuntimeError: engine tripped" in results[0].reason
    assert results[0].source == str(good)
