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


def _band(grey: np.ndarray, centre: tuple[float, float], angle: float, width: float,
          colour: int = PAPER) -> np.ndarray:
    """``grey`` with a straight band ``width`` wide of ``colour`` through ``centre``
    (x, y) at ``angle`` degrees to the line of print, reaching past the crop's edges: a
    dark cable in front of light print, which the crop shows as paper."""
    banded = grey.copy()
    along = np.array([np.cos(np.radians(angle)), -np.sin(np.radians(angle))])
    reach = float(sum(grey.shape))
    ends = [np.asarray(centre) + side * reach * along for side in (-1, 1)]
    cv2.line(banded, tuple(int(v) for v in ends[0]), tuple(int(v) for v in ends[1]), colour,
             max(1, round(width)), cv2.LINE_AA)
    return banded


@pytest.mark.parametrize("which", range(6))
@pytest.mark.parametrize("angle", [45, 60, 120, 135])
def test_a_cable_across_a_digit_cuts_it_in_two(which: int, angle: float) -> None:
    # A dark cable across light print on a dark sticker, a quarter of the digits' height
    # thick, shown as paper: an 8 cut so reads as a 2, a 0 as a 9, however surely.
    grey = np.full((110, 420), PAPER, np.uint8)
    cv2.putText(grey, "085960", (24, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5, cv2.LINE_AA)
    start, end = _digit_columns(grey, which)
    top, foot = _ink_rows(grey)
    cut = _band(grey, ((start + end) / 2, (top + foot) / 2), angle, 0.25 * (foot - top))
    assert not partly_hidden(grey, 6)
    assert partly_hidden(cut, 6)


@pytest.mark.parametrize("which", range(6))
def test_a_glyph_faint_across_a_band_is_not_cut(which: int) -> None:
    # Print worn or shaded faint along a band (grey, darker than the paper by a third of
    # the contrast) leaves the threshold two pieces joined by faint print: one glyph.
    # The same band as light as the paper cuts it.
    grey = np.full((110, 420), PAPER, np.uint8)
    cv2.putText(grey, "085960", (24, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5, cv2.LINE_AA)
    start, end = _digit_columns(grey, which)
    top, foot = _ink_rows(grey)
    band = _band(np.zeros_like(grey), ((start + end) / 2, (top + foot) / 2), 60,
                 0.25 * (foot - top), colour=255) > 128
    over_print = band & (grey < PAPER)
    worn, cut = grey.copy(), grey.copy()
    worn[over_print] = 165
    cut[over_print] = PAPER
    assert not partly_hidden(worn, 6)
    assert partly_hidden(cut, 6)


@pytest.mark.parametrize("angle", [50, 80, 125])
def test_a_cable_between_two_digits_cuts_nothing(angle: float) -> None:
    grey = _number("023456")
    _, first_end = _digit_columns(grey, 2)
    second_start, _ = _digit_columns(grey, 3)
    top, foot = _ink_rows(grey)
    between = _band(grey, ((first_end + second_start) / 2, (top + foot) / 2), 90, 2)
    assert not partly_hidden(between, 6)


def test_a_thin_face_whose_hairlines_fall_out_is_not_cut() -> None:
    # The thick strokes of a 0 left without its hairlines face each other across the
    # counter, curved: print, not a cut.
    grey = _number("000000", face=cv2.FONT_HERSHEY_COMPLEX, thickness=2)
    top, foot = _ink_rows(grey)
    thinned = grey.copy()
    # The hairlines at the top and the foot of every 0, worn to paper.
    thinned[top - 2:top + 4] = PAPER
    thinned[foot - 3:foot + 3] = PAPER
    assert not partly_hidden(thinned, 6)


def test_a_narrow_one_at_the_right_of_its_room_is_whole() -> None:
    # A face whose 1 is a thin stem at the right of its room with a flag reaching left:
    # the middle of the last of six equal shares of the number's width holds the flag
    # only, which spans part of the line as a covered digit's ink does.
    grey = np.full((110, 420), PAPER, np.uint8)
    cv2.putText(grey, "21267", (24, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 3, cv2.LINE_AA)
    top, foot = _ink_rows(grey)
    first, _ = _digit_columns(grey, 0)
    _, fifth_end = _digit_columns(grey, 4)
    room = (fifth_end - first) / 5
    stem = round(fifth_end + 0.9 * room)
    cv2.line(grey, (stem, top), (stem, foot), 30, 3, cv2.LINE_AA)
    cv2.line(grey, (stem, top), (round(stem - 0.6 * room), round(top + 0.3 * (foot - top))),
             30, 3, cv2.LINE_AA)
    assert not partly_hidden(grey, 6)
    # Taped over its top half, the same 1 leaves its foot only: partly hidden.
    assert partly_hidden(_taped(grey, 5), 6)
