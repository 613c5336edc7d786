from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.blots import blotted
from stickerscan.hidden_part import partly_hidden
from tests.drawing import column_runs

PAPER = 235
_FACES = {
    "simplex": cv2.FONT_HERSHEY_SIMPLEX,
    "duplex": cv2.FONT_HERSHEY_DUPLEX,
    "complex": cv2.FONT_HERSHEY_COMPLEX,
    "triplex": cv2.FONT_HERSHEY_TRIPLEX,
    "italic": cv2.FONT_HERSHEY_SIMPLEX | cv2.FONT_ITALIC,
}
# Every digit, in numbers of a serial's length.
_NUMBERS = ("012345", "678901", "234567", "890123", "456789")


def _number(text: str = "089614", *, face: int = cv2.FONT_HERSHEY_SIMPLEX,
            thickness: int = 3) -> np.ndarray:
    """``text`` printed dark on light paper across the middle of a crop, as the reader
    cuts a number out of a label (a margin of blank paper round it)."""
    grey = np.full((80, 300), PAPER, np.uint8)
    cv2.putText(grey, text, (24, 58), face, 1.3, 30, thickness, cv2.LINE_AA)
    return grey


def _digit_columns(grey: np.ndarray, which: int) -> tuple[int, int]:
    """The first and last column of the ``which``-th glyph's ink."""
    start, end = column_runs((grey < 128).any(axis=0))[which]
    return start, end


def _ink_rows(grey: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero((grey < 128).any(axis=1))
    return int(rows[0]), int(rows[-1])


def _taped(grey: np.ndarray, which: int, *, half: str = "top", colour: int = PAPER
           ) -> np.ndarray:
    """``grey`` with a strip of ``colour`` a little wider than glyph ``which`` over its
    top or bottom half."""
    taped = grey.copy()
    start, end = _digit_columns(grey, which)
    top, foot = _ink_rows(grey)
    middle = (top + foot) // 2
    rows = (top - 6, middle) if half == "top" else (middle, foot + 6)
    cv2.rectangle(taped, (start - 3, rows[0]), (end + 3, rows[1]), colour, -1)
    return taped


@pytest.mark.parametrize("face", list(_FACES), ids=list(_FACES))
@pytest.mark.parametrize("text", _NUMBERS)
def test_every_digit_printed_whole_is_not_partly_hidden(face: str, text: str) -> None:
    assert not partly_hidden(_number(text, face=_FACES[face]), len(text))


@pytest.mark.parametrize("thickness", [1, 6])
def test_thin_bold_or_blurred_print_is_not_partly_hidden(thickness: int) -> None:
    grey = _number(thickness=thickness)
    assert not partly_hidden(grey, 6)
    assert not partly_hidden(cv2.GaussianBlur(grey, (0, 0), 2.0), 6)


@pytest.mark.parametrize("which", range(6))
@pytest.mark.parametrize("half", ["top", "bottom"])
def test_tape_over_half_of_one_digit_leaves_it_partly_hidden(which: int, half: str) -> None:
    # Tape the colour of the paper over the top of a 9 leaves a foot that reads as a 5.
    assert partly_hidden(_taped(_number(), which, half=half), 6)


def test_worn_print_whose_strokes_fade_is_whole() -> None:
    # The top half of the 9 worn to a grey the threshold takes for paper: still print.
    grey = _number()
    start, end = _digit_columns(grey, 2)
    top, foot = _ink_rows(grey)
    worn = grey[top - 2:(top + foot) // 2, start:end]
    worn[worn < 128] = 175
    assert not partly_hidden(grey, 6)


def test_grain_on_the_tape_apart_from_the_print_does_not_make_the_digit_whole() -> None:
    grey = _taped(_number(), 2)
    start, end = _digit_columns(grey, 2)
    top, _ = _ink_rows(_number())
    # A faint streak across the tape, touching no glyph.
    grey[top + 2:top + 4, start + 2:end - 2] = 175
    assert partly_hidden(grey, 6)


@pytest.mark.parametrize("which", range(6))
def test_tape_over_light_print_is_a_patch_standing_over_the_line(which: int) -> None:
    # Light tape over light print: the crop shows print dark, and the tape as dark as it,
    # run together with the neighbours' edges it covers.
    grey = _number()
    columns = np.flatnonzero((grey < 128).any(axis=0))
    place = (columns[-1] + 1 - columns[0]) / 6
    left = round(columns[0] + (which - 0.3) * place)
    right = round(columns[0] + (which + 1.3) * place)
    top, foot = _ink_rows(grey)
    height = foot - top
    cv2.rectangle(grey, (left, top - height // 4), (right, top + height // 2), 30, -1)
    assert partly_hidden(grey, 6)


def test_a_ragged_bump_over_the_line_is_no_patch() -> None:
    # Faint print the threshold runs together with the haze round it: a wide mark, and a
    # narrow bump of it standing above the digits.
    grey = _number("194453")
    first, _ = _digit_columns(grey, 0)
    _, second = _digit_columns(grey, 1)
    top, foot = _ink_rows(grey)
    cv2.rectangle(grey, (first, top + 6), (second, foot - 6), 30, -1)
    cv2.rectangle(grey, (first + 4, top - 10), (first + 8, top + 8), 30, -1)
    assert not partly_hidden(grey, 6)


def test_punctuation_and_specks_round_the_number_hide_nothing() -> None:
    grey = _number("  089614")
    top, foot = _ink_rows(grey)
    start, _ = _digit_columns(grey, 0)
    # A full stop before the first digit (the end of "No."), a speck by the last.
    cv2.circle(grey, (start - 12, foot - 3), 3, 30, -1)
    cv2.circle(grey, (280, top + 5), 2, 30, -1)
    assert not partly_hidden(grey, 6)


def test_print_barely_darker_than_the_paper_is_not_judged() -> None:
    # A crop of blank paper: whatever the threshold splits off its noise is no print,
    # however it is shaped (here as a taped number, two grey levels darker).
    taped = _taped(_number(), 2)
    faint = np.where(taped < 128, PAPER - 2, PAPER).astype(np.uint8)
    assert partly_hidden(taped, 6)
    assert not partly_hidden(faint, 6)


def test_a_crop_without_a_line_of_digits_hides_nothing() -> None:
    assert not partly_hidden(np.full((60, 200), PAPER, np.uint8), 6)
    assert not partly_hidden(_number("8"), 1)
    assert not partly_hidden(_number(), 0)


def test_a_patch_over_one_digit_alone_is_left_to_the_blot_check() -> None:
    # Not run together with a neighbour, a patch is one glyph's strokes made thick.
    grey = _number()
    start, end = _digit_columns(grey, 5)
    top, foot = _ink_rows(grey)
    height = foot - top
    cv2.rectangle(grey, (start - 1, top - height // 4), (end, top + height // 2), 30, -1)
    assert not partly_hidden(grey, 6)
    columns = np.flatnonzero((grey < 128).any(axis=0))
    top, foot = _ink_rows(grey)
    assert blotted(grey, (int(columns[0]), top, int(columns[-1] - columns[0] + 1), foot - top + 1))
