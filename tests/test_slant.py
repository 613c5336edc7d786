from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.slant import lean_of, stand_upright


def _digits(text: str = "059112") -> np.ndarray:
    """Upright digits 36 pixels tall on paper, with room either side to lean them."""
    grey = np.full((100, 420), 255, np.uint8)
    cv2.putText(grey, text, (70, 68), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    return grey


def _leaning(grey: np.ndarray, lean: float) -> np.ndarray:
    """``grey`` with its glyphs leaning ``lean`` (positive: to the right, as italics)."""
    return stand_upright(grey, -lean)


def test_upright_digits_do_not_lean() -> None:
    assert lean_of(_digits()) == 0.0


@pytest.mark.parametrize("lean", [0.3, -0.3, 0.2, -0.2])
def test_the_lean_of_leaning_digits_is_measured(lean: float) -> None:
    assert lean_of(_leaning(_digits(), lean)) == pytest.approx(lean, abs=0.06)


@pytest.mark.parametrize("lean", [0.3, -0.25])
def test_digits_stood_upright_by_their_lean_no_longer_lean(lean: float) -> None:
    leaning = _leaning(_digits(), lean)
    upright = stand_upright(leaning, lean_of(leaning))
    assert lean_of(upright) == 0.0
    # The line stays where it was: the crop's middle row does not move.
    before, after = np.flatnonzero(leaning[50] < 128), np.flatnonzero(upright[50] < 128)
    assert abs(after[0] - before[0]) <= 2 and abs(after[-1] - before[-1]) <= 2


def test_a_slight_lean_is_left_alone() -> None:
    assert lean_of(_leaning(_digits(), 0.07)) == 0.0


def test_too_few_glyphs_give_no_lean() -> None:
    assert lean_of(_leaning(_digits("42"), 0.3)) == 0.0


def test_pieces_leaning_every_way_give_no_lean() -> None:
    """Broken print (a binarised glyph in pieces) is strokes at every angle."""
    grey = np.full((100, 420), 255, np.uint8)
    for index, (dx, dy) in enumerate([(12, 30), (-12, 30), (0, 30), (16, 24), (-16, 24),
                                      (6, 32), (-6, 32)]):
        x = 40 + 50 * index
        cv2.line(grey, (x, 35), (x + dx, 35 + dy), 0, 5)
    assert lean_of(grey) == 0.0


def test_a_blank_crop_has_no_lean() -> None:
    assert lean_of(np.full((60, 200), 255, np.uint8)) == 0.0
