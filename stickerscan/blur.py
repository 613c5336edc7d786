"""How blurred a number's print is, for the advice given when it cannot be read.

A photo out of focus spreads every edge of the print over several pixels; one taken
with a moving hand spreads the edges across the direction it moved and leaves the others
sharp.  The print's softest edges tell how far it is blurred either way: the edges are
sorted by their direction, the sharpest of each direction are taken (a stroke's own
sharpest edge, not the ends of its curves), and of the directions the softest is the
measure.  A step from paper to ink spread over ``w`` pixels rises by ``1 / w`` of the
print's contrast a pixel at its steepest, so the width is the contrast over that rise.
Given as a share of the digits' height, it does not depend on the crop's scale.

The measure is advice, never evidence: a number is as sure as its reads are, and a
blurred one read surely is read.  Where the reader cannot read a number, a blurred print
is the likeliest reason a person can remedy (hold the camera still, let it focus).
"""

from __future__ import annotations

import cv2
import numpy as np

# Edge directions are sorted into this many bins over half a turn.
_DIRECTIONS = 8
# The percentile of a direction's gradients taken as its sharpest edges: the steepest
# pixels of its strokes, not the few a speck or a JPEG block makes steeper still.
_SHARPEST = 90
# Gradients under this share of the print's contrast a pixel are the paper's grain.
_GRAIN = 0.05
# A direction with fewer edge pixels than this is not judged (too few to measure).
_FEWEST_EDGE_PIXELS = 20
# Light smoothing first: a JPEG's blocks and the sensor's noise make single steep pixels.
_SMOOTHING = 0.8
# Marks of fewer pixels than this are specks; the digits are the marks at least
# _WHOLE_GLYPH of the tallest mark's height.
_MIN_MARK_AREA = 12
_WHOLE_GLYPH = 0.5
# Print this small (in pixels) is too coarse for the measure.
_SMALLEST_HEIGHT = 8


def edge_spread(crop: np.ndarray) -> float | None:
    """The width of the softest edges of the print on ``crop`` (a grey digit crop, dark
    print on light paper) as a share of its digits' height; ``None`` when the crop shows
    too little print to judge."""
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    height = _digit_height(ink)  # None when there is no ink
    if height is None or not (ink == 0).any():
        return None
    paper = float(np.median(crop[ink == 0]))
    darkest = float(np.percentile(crop[ink > 0], 10))
    contrast = paper - darkest
    if contrast <= 0:
        return None
    smooth = cv2.GaussianBlur(crop.astype(np.float32), (0, 0), _SMOOTHING)
    # Sobel's 3 x 3 kernels weigh a one-pixel step eight times over.
    across = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3) / 8
    down = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3) / 8
    steepness = np.hypot(across, down) / contrast
    direction = np.minimum((np.arctan2(down, across) % np.pi) / np.pi * _DIRECTIONS,
                           _DIRECTIONS - 1).astype(np.int32)
    edges = steepness > _GRAIN
    sharpest = []
    for bin_index in range(_DIRECTIONS):
        rises = steepness[edges & (direction == bin_index)]
        if rises.size >= _FEWEST_EDGE_PIXELS:
            sharpest.append(float(np.percentile(rises, _SHARPEST)))
    if len(sharpest) < _DIRECTIONS // 2:
        return None
    return 1.0 / min(sharpest) / height


def _digit_height(ink: np.ndarray) -> float | None:
    """The digits' height in pixels: the median height of the marks at least
    :data:`_WHOLE_GLYPH` of the tallest's; ``None`` when the print is too small or absent."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    marks = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= _MIN_MARK_AREA]
    if not len(marks):
        return None
    heights = marks[:, cv2.CC_STAT_HEIGHT]
    height = float(np.median(heights[heights >= _WHOLE_GLYPH * heights.max()]))
    return height if height >= _SMALLEST_HEIGHT else None
