"""The shape of one digit on a crop, for the one slip the voting cannot settle.

Many label printers and monospaced fonts print a zero with a dot or a bar inside it.
Tesseract's small model reads that zero as a 6 or a 9, the same way in every rendering,
so all its passes agree on the wrong digit.  A 6 or a 9 is a bowl with an open hook on
one side; a zero is a closed ring whose hollow runs from near its top to near its bottom.
"""

from __future__ import annotations

import cv2
import numpy as np

# The ring's filled outline covers at least this share of its convex hull: a 6's or a 9's
# open hook leaves a notch of about a tenth or more; an oval ring leaves almost none.
_CONVEX = 0.94
# The hollow inside a zero starts within this share of the glyph's height from its top
# and ends as close to its bottom; a 6's bowl starts near the middle, a 9's ends there.
_HOLLOW_REACH = 0.3
# Glyphs smaller than this many pixels tall are too coarse to judge.
_SMALLEST = 10


def closed_ring(glyph: np.ndarray) -> bool:
    """Whether the dark glyph on light paper in ``glyph`` (a character's box, a little
    more) is a closed convex ring around a hollow that reaches from its upper part to its
    lower part: a zero, plain or with a mark inside, and not a 6 or a 9.

    The largest patch of ink is the glyph; ink inside its outline (a zero's dot) belongs
    to it.  Touching neighbours make the patch concave, which makes the answer no.
    """
    grey = np.ascontiguousarray(glyph, dtype=np.uint8)
    if grey.ndim != 2 or grey.shape[0] < _SMALLEST or grey.shape[1] < 3:
        return False
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    outlines, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not outlines:
        return False
    outline = max(outlines, key=cv2.contourArea)
    _, top, _, height = cv2.boundingRect(outline)
    if height < _SMALLEST:
        return False
    filled = np.zeros_like(ink)
    cv2.drawContours(filled, [outline], -1, 255, cv2.FILLED)
    hull_area = cv2.contourArea(cv2.convexHull(outline))
    if hull_area <= 0 or cv2.contourArea(outline) < _CONVEX * hull_area:
        return False
    hollow = (filled > 0) & (ink == 0)
    rows = np.flatnonzero(hollow[top: top + height].any(axis=1))
    if rows.size == 0:
        return False
    reaches_top = rows[0] <= _HOLLOW_REACH * height
    reaches_bottom = rows[-1] + 1 >= (1 - _HOLLOW_REACH) * height
    return bool(reaches_top and reaches_bottom)
