from __future__ import annotations

import numpy as np
import pytest

from stickerscan.catalogue import SerialFormat
from stickerscan.load import load_image
from stickerscan.locate import locate_labels
from stickerscan.ocr import FakeOcrEngine, OcrRequest
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner
from stickerscan.prefilter import digit_run_for, precheck, shows_serial_hint
from tests.drawing import encode, panel, place, sticker

OPTIONS = ScanOptions()


@pytest.fixture(scope="module")
def photo() -> bytes:
    image, _ = place(panel(seed=5), sticker(["SERIAL NO.", "013537"]), at=(900, 700), angle=4)
    return encode(image)


@pytest.mark.parametrize(("ocr_text", "plausible"), [
    ("SERIAL NO. 013537", True),
    ("S/N", True),
    ("0l3S37", True),  # a coarse read of digits
    ("MIDI IN OUT THRU", False),
    ("AC 12 V", False),
])
def test_a_photo_is_kept_when_a_region_shows_digits_or_serial_wording(
    photo: bytes, ocr_text: str, plausible: bool
) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    located = locate_labels(image, OPTIONS)
    engine = FakeOcrEngine(ocr_text)
    seen = precheck(image, located, engine, candidates=3)
    assert seen.plausible is plausible
    assert located.regions
    if not plausible:
        # Every candidate looked at, both ways up, once each: nothing more.
        assert seen.looked_at == min(3, len(located.regions))
        assert len(engine.seen) == 2 * seen.looked_at
        assert "shows digits or serial wording" in seen.reason


def test_a_photo_with_no_text_regions_is_rejected_without_any_ocr() -> None:
    blank = encode(np.full((600, 800, 3), 128, np.uint8))
    image = load_image(blank, OPTIONS, name="blank.jpg")
    engine = FakeOcrEngine("SERIAL NO. 013537")
    seen = precheck(image, locate_labels(image, OPTIONS), engine, candidates=8)
    assert (seen.plausible, seen.looked_at, engine.seen) == (False, 0, [])


@pytest.mark.parametrize(("text", "digit_run", "shows"), [
    ("25 5363", 5, True),  # a number split by a coarse read
    ("0l3S3", 5, True),  # look-alike letters for digits
    ("$1250", 5, False),  # a price: too short for a six-digit serial
    ("1500 €", 5, False),
    ("$1250", 4, True),  # the same price where serials may be four characters
    ("OIlSB BOSS", 5, False),  # look-alike letters with no real digit
    ("12\n345", 5, False),  # a run must be on one line
    ("Ser. No.", 5, True),
    ("Tempo =120", 5, False),
])
def test_a_coarse_read_shows_a_serial_hint_only_with_wording_or_a_long_enough_digit_run(
    text: str, digit_run: int, shows: bool
) -> None:
    assert shows_serial_hint(text, digit_run) is shows


def test_the_digit_run_is_one_fewer_than_the_shortest_serial_of_the_formats_in_play() -> None:
    def serial_format(pattern: str) -> SerialFormat:
        return SerialFormat(pattern, "", None, "C", "")

    assert digit_run_for([serial_format("[0-9]{6}")]) == 5
    assert digit_run_for([serial_format("[0-9]{6}"), serial_format(r"\d{4,8}")]) == 3
    # A format with letters falls back to four digit-like characters.
    assert digit_run_for([serial_format("[0-9]{6}"), serial_format("[A-Z]{2}[0-9]{6}")]) == 4


def test_a_scanner_gives_the_quick_check_the_run_of_the_models_it_may_settle_on() -> None:
    engine = FakeOcrEngine("PRICE $1250")
    image, _ = place(panel(seed=5), sticker(["PRICE", "$1250"]), at=(900, 700), angle=4)
    photo = encode(image)
    m1 = Scanner(ScanOptions(precheck=True), engine=engine).scan_as_row(photo, name="a.jpg")
    assert m1.status == "no-label" and "quick check" in m1.reason
    generic = Scanner(ScanOptions(precheck=True, model_id="generic"), engine=engine)
    # Four-character serials are possible: the photo is read in full.
    assert "quick check" not in generic.scan_as_row(photo, name="a.jpg").reason


def test_a_region_that_reads_as_blank_is_read_again_larger(photo: bytes) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    located = locate_labels(image, OPTIONS)
    blank = FakeOcrEngine("")
    seen = precheck(image, located, blank, candidates=2)
    assert not seen.plausible and seen.looked_at == 2
    # Each region: both ways up at the small size, then both ways up again larger.
    assert len(blank.seen) == 8
    first_pair, second_pair = blank.seen[0:2], blank.seen[2:4]
    assert second_pair[0][0].shape[0] > first_pair[0][0].shape[0]

    def larger_reads(crop: np.ndarray, request: OcrRequest) -> str:
        return "SERIAL NO. 013537" if crop.shape[0] > first_pair[0][0].shape[0] else ""

    assert precheck(image, located, FakeOcrEngine(larger_reads), candidates=2).plausible
    # A region that shows any text at the small size is not read again.
    texty = FakeOcrEngine("MIDI IN")
    precheck(image, located, texty, candidates=2)
    assert len(texty.seen) == 4
