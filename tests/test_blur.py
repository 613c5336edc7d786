from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.blur import edge_spread
from tests.drawing import PRINTED_DIGIT_HEIGHT, printed_digits, streaked

_DIGIT_HEIGHT = PRINTED_DIGIT_HEIGHT


def _digits() -> np.ndarray:
    return printed_digits("204925")


def test_the_digits_height_is_what_the_spread_is_measured_by() -> None:
    _, ink = cv2.threshold(_digits(), 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.any(axis=1))
    assert rows[-1] - rows[0] + 1 == pytest.approx(_DIGIT_HEIGHT, abs=2)


def test_sharp_print_spreads_over_little_of_its_height() -> None:
    spread = edge_spread(_digits())
    assert spread is not None and spread < 0.1


@pytest.mark.parametrize("sigma_share", [0.04, 0.08, 0.12])
def test_print_out_of_focus_spreads_as_far_as_its_blur(sigma_share: float) -> None:
    # A step blurred with a Gaussian of sigma s rises at most 1 / (s * sqrt(2 pi)) of the
    # contrast a pixel: its width is about 2.5 sigma, the measure's own smoothing (0.8
    # pixels) added in as blurs add.
    sigma = sigma_share * _DIGIT_HEIGHT
    spread = edge_spread(cv2.GaussianBlur(_digits(), (0, 0), sigma))
    assert spread is not None
    assert spread == pytest.approx(2.5 * np.hypot(sigma, 0.8) / _DIGIT_HEIGHT, rel=0.2)


@pytest.mark.parametrize("degrees", [0.0, 35.0, 90.0, 150.0])
def test_a_streak_is_measured_along_it_whatever_its_direction(degrees: float) -> None:
    # Edges across a streak stay sharp; the softest, along it, spread over its length.
    length = round(0.25 * _DIGIT_HEIGHT)
    spread = edge_spread(streaked(_digits(), length, degrees))
    assert spread is not None
    assert spread == pytest.approx(0.25, rel=0.15)
    short = edge_spread(streaked(_digits(), length // 3, degrees))
    assert short is not None and short < 0.12


def test_the_spread_does_not_depend_on_the_crop_scale() -> None:
    blurred = cv2.GaussianBlur(_digits(), (0, 0), 0.08 * _DIGIT_HEIGHT)
    doubled = cv2.resize(blurred, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    one, other = edge_spread(blurred), edge_spread(doubled)
    assert one is not None and other is not None
    assert other == pytest.approx(one, rel=0.15)


@pytest.mark.parametrize("crop", [
    np.full((100, 300), 235, np.uint8),  # blank paper
    cv2.resize(_digits(), None, fx=0.15, fy=0.15, interpolation=cv2.INTER_AREA),  # too small
])
def test_a_crop_without_print_to_judge_is_not_measured(crop: np.ndarray) -> None:
    assert edge_spread(crop) is None
