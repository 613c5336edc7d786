from __future__ import annotations

import numpy as np
import pytest

from stickerscan.enhance import TEXT_HEIGHTS, clear_edge_marks, enhance_region
from stickerscan.load import LoadedImage
from stickerscan.locate import LabelRegion
from tests.drawing import sticker


def _loaded(pixels: np.ndarray) -> LoadedImage:
    return LoadedImage(source="drawn", pixels=pixels,
                       original_size=(pixels.shape[1], pixels.shape[0]), scale=1.0,
                       file_format="PNG", exif_orientation=1)


def _plate_with_black_sticker() -> tuple[np.ndarray, LabelRegion]:
    """A wide light plate with a small black sticker of white text in its middle; the
    region's outline is the plate, its text block the sticker's text."""
    plate = np.full((300, 900, 3), 200, np.uint8)
    label = sticker(["013537"], dark_text=False)
    top, left = (300 - label.shape[0]) // 2, (900 - label.shape[1]) // 2
    plate[top: top + label.shape[0], left: left + label.shape[1]] = label
    bottom, right = top + label.shape[0], left + label.shape[1]
    region = LabelRegion(
        quad=((5.0, 5.0), (895.0, 5.0), (895.0, 295.0), (5.0, 295.0)),
        text_quad=((left + 10.0, top + 10.0), (right - 10.0, top + 10.0),
                   (right - 10.0, bottom - 10.0), (left + 10.0, bottom - 10.0)),
        score=3.0, text_height=30.0, polarity="light-on-dark", outlined=True,
        line_count=1, longest_line=6,
    )
    return plate, region


def test_text_is_made_dark_on_light_judged_where_the_text_is() -> None:
    # Over the whole crop the light plate is the majority and the black sticker looks like
    # print; only around the text is it clear that the print is the light part.
    plate, region = _plate_with_black_sticker()
    crop = enhance_region(_loaded(plate), region, 0)
    zoom = crop.text_height / region.text_height
    # The crop is the outline just inside its edge, plus a 12-pixel margin.
    inset_x, inset_y = 0.015 * 890 * zoom, 0.015 * 290 * zoom
    rows, cols = np.nonzero(plate[:, :, 0] > 230)  # the white strokes of the digits
    crop_rows = np.round((rows - 5) * zoom - inset_y + 12).astype(int)
    crop_cols = np.round((cols - 5) * zoom - inset_x + 12).astype(int)
    assert float(np.median(crop.grey[crop_rows, crop_cols])) < 100


@pytest.mark.parametrize("text_height", TEXT_HEIGHTS)
def test_crops_are_scaled_to_the_asked_text_height(text_height: int) -> None:
    plate, region = _plate_with_black_sticker()
    crop = enhance_region(_loaded(plate), region, 0, text_height=text_height)
    assert crop.text_height == text_height
    # The plate is 290 pixels wide per 30 of text height, plus the crop's margins.
    expected_width = 890 * text_height / 30 * (1 - 2 * 0.015)
    assert crop.grey.shape[1] == pytest.approx(expected_width + 24, abs=3)
    assert crop.binary.shape == crop.grey.shape


def test_edge_marks_longer_than_the_limit_are_cleared_and_digits_kept() -> None:
    grey = np.full((60, 200), 255, np.uint8)
    grey[:, 195:] = 0           # a frame's edge down the right side
    grey[55:, :] = 0            # and along the bottom
    grey[5:40, 0:12] = 0        # a digit-sized mark touching the left edge
    grey[15:45, 80:95] = 0      # a digit in the middle
    cleared = clear_edge_marks(grey, longer_than=40)
    assert cleared[:, 195:].min() > 128 and cleared[57:, 100:].min() > 128
    assert cleared[20, 5] == 0 and cleared[30, 85] == 0
    everything = clear_edge_marks(grey)
    assert everything[20, 5] > 128 and everything[30, 85] == 0
