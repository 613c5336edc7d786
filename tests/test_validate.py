from __future__ import annotations

import numpy as np
import pytest

from stickerscan.catalogue import load_catalogue
from stickerscan.enhance import LabelCrop
from stickerscan.locate import LabelRegion
from stickerscan.options import ScanOptions
from stickerscan.read import NumberReading, OcrReading
from stickerscan.validate import check_reading, check_typed_serial
from stickerscan.wording import serial_wording

M1 = load_catalogue().get("korg-m1")
OPTIONS = ScanOptions()
REGION = LabelRegion(
    quad=((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)),
    text_quad=((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)), score=1.0, text_height=10.0,
    polarity="dark-on-light", outlined=True, line_count=1, longest_line=6,
)
CROP = LabelCrop(region=REGION, rank=0, text_height=36, grey=np.zeros((2, 2), np.uint8),
                 binary=np.zeros((2, 2), np.uint8))


def _number(text: str, before: str = "SERIAL NO.", after: str = "", *,
            confidence: float = 0.95, votes: int = 3, passes: int = 3) -> NumberReading:
    return NumberReading(text=text, confidence=confidence, votes=votes, passes=passes,
                         alternatives=(), before=before, after=after,
                         line_text=f"{before} {text} {after}".strip())


def _reading(*numbers: NumberReading) -> OcrReading:
    return OcrReading(crop=CROP, upside_down=False, text="", mean_confidence=0.9,
                      numbers=numbers)


@pytest.mark.parametrize("before", ["SERIAL NO.", "Serial No.", "SERIAL No", "S/N", "No.",
                                    "No", "N0.", "SERIAI NO.", "KORG INC.\nSERIAL NO.", "SIN",
                                    "5/N", "S|N"])
def test_serial_wording_is_recognised_with_ocr_slips(before: str) -> None:
    assert serial_wording(before, M1.label_words) is not None


@pytest.mark.parametrize("before", ["", "MIDI OUT", "PART NO.", "MODEL", "TEL", "AC",
                                    "KLM-", "CAT No."])
def test_other_wording_is_not_serial_wording(before: str) -> None:
    assert serial_wording(before, M1.label_words) is None


def test_labelled_six_digits_read_confidently_is_valid() -> None:
    check = check_reading(_reading(_number("013537")), M1, OPTIONS)
    assert check.status == "valid"
    assert check.serial == "013537"
    assert check.guess is None
    assert check.label_word == "SERIAL NO."


def test_leading_zeros_are_kept() -> None:
    check = check_reading(_reading(_number("002100", before="S/N")), M1, OPTIONS)
    assert check.serial == "002100"


def test_serial_is_chosen_over_a_rating_and_a_part_number() -> None:
    check = check_reading(
        _reading(
            _number("120", before="AC", after="V 60Hz"),
            _number("126601", before="PART NO."),
            _number("103917", before="SERIAL NO."),
        ),
        M1,
        OPTIONS,
    )
    assert check.serial == "103917"


def test_unlabelled_number_is_only_a_guess() -> None:
    check = check_reading(_reading(_number("045632", before="")), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.serial is None
    assert check.guess == "045632"
    assert check.confidence < OPTIONS.min_confidence


def test_low_confidence_gives_unreadable_with_a_guess() -> None:
    number = _number("013537", confidence=0.5, votes=2, passes=3)
    check = check_reading(_reading(number), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "013537"
    assert any("disagree" in problem for problem in check.problems)


@pytest.mark.parametrize("confidence", [0.9, 0.99])
def test_wrong_length_read_off_a_photo_is_only_a_guess(confidence: float) -> None:
    check = check_reading(_reading(_number("1035917", confidence=confidence)), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "1035917"
    assert check.serial is None
    assert any("six digits" in problem for problem in check.problems)


def test_number_beyond_anything_reported_is_flagged_not_rejected() -> None:
    check = check_reading(_reading(_number("412345")), M1, OPTIONS)
    assert check.status == "valid"
    assert any("above anything reported" in problem for problem in check.problems)


def test_a_rating_alone_is_no_serial() -> None:
    check = check_reading(_reading(_number("1200", before="", after="W")), M1, OPTIONS)
    assert check.status == "no-serial"
    assert check.serial is None and check.guess is None


def test_no_numbers_is_no_serial() -> None:
    assert check_reading(_reading(), M1, OPTIONS).status == "no-serial"


@pytest.mark.parametrize(("typed", "status"),
                         [("013537", "valid"), ("13537", "invalid"), ("01353A", "invalid")])
def test_typed_serials(typed: str, status: str) -> None:
    assert check_typed_serial(typed, M1).status == status
