from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.blots import blotted


def _number(text: str = "058814", *, thickness: int = 4, scale: float = 1.6
            ) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Dark print on light paper, and the box of its digits."""
    grey = np.full((90, 300), 235, np.uint8)
    cv2.putText(grey, text, (20, 65), cv2.FONT_HERSHEY_SIMPLEX, scale, 30, thickness,
                cv2.LINE_AA)
    rows, columns = np.nonzero(grey < 128)
    box = (int(columns.min()), int(rows.min()), int(columns.max() - columns.min() + 1),
           int(rows.max() - rows.min() + 1))
    return grey, box


def _digit_centre(box: tuple[int, int, int, int], which: int, count: int = 6
                  ) -> tuple[int, int]:
    x, y, width, height = box
    return int(x + (which + 0.5) * width / count), int(y + height / 2)


def test_clean_print_has_no_blot() -> None:
    assert not blotted(*_number())


@pytest.mark.parametrize("thickness", [2, 7])
def test_thin_or_bold_print_alike_has_no_blot(thickness: int) -> None:
    assert not blotted(*_number(thickness=thickness))


@pytest.mark.parametrize("which", [0, 1, 5])
def test_a_dark_patch_over_one_digit_is_a_blot(which: int) -> None:
    # Glare over light print, which the crop shows as dark print, or a dark thumb.
    grey, box = _number()
    cv2.ellipse(grey, _digit_centre(box, which), (14, 20), 0, 0, 360, 40, -1, cv2.LINE_AA)
    assert blotted(grey, box)


def test_a_dark_patch_beside_the_box_is_not_the_numbers() -> None:
    grey, box = _number()
    x, y, width, height = box
    cv2.circle(grey, (x + width + 25, y + height // 2), 14, 40, -1, cv2.LINE_AA)
    assert not blotted(grey, box)


def test_specks_and_an_empty_box_are_no_blot() -> None:
    grey, box = _number()
    x, y, _, height = box
    cv2.circle(grey, (x + 3, y + height - 2), 2, 30, -1)
    assert not blotted(grey, box)
    assert not blotted(np.full((40, 40), 235, np.uint8), (5, 5, 30, 30))
    assert not blotted(grey, (0, 0, 0, 0))
