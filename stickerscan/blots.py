"""Find a blot over a number's digits: ink far thicker than its print's strokes.

Glare on a glossy sticker, a thumb, a smudge or a cable in front of a number hides part
of a digit, and the OCR still reads a digit there: the rest of the glyph and whatever
lies over it, read as a whole (glare over a 5 of light print, which the crop shows as
dark print, reads as an 8).  A serial read so is wrong however surely it was read.  The
digits of one number are printed alike, so one of them much bolder than the others is
something over the print, not print.
"""

from __future__ import annotations

import cv2
import numpy as np

# A glyph whose strokes are more than this many times as thick as the number's usual
# glyph holds a blot.  Measured on the rendering the digits are read from, on about 530
# serials read right off generated photos: 1.3 or less for 95% of them, bold blurred print
# up to about 1.7, a screw head or a barcode's bars in the number's box 2.0 and 2.25.
# Wrong serials read off photos with part of the number covered: 21 of 49 measure more
# (up to 4.9), glare or a dark thumb over the print; tape, a light thumb or a thin cable
# leave the strokes as they are and are not caught.
_BLOT = 2.2
# Only marks this share of the number's height or taller are glyphs; the others are specks
# or parts of a neighbour's print.
_GLYPH_HEIGHT = 0.5
# Marks smaller than this share of the squared height are specks, left out.
_SPECK = 0.002
# The box's edges are given tight: a margin this many pixels wide keeps the glyphs whole.
_MARGIN = 2


def blotted(grey: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether a glyph in ``box`` (x, y, width, height) of ``grey`` (dark print on light)
    has strokes more than :data:`_BLOT` times as thick as the number's other glyphs."""
    x, y, width, height = (int(value) for value in box)
    region = grey[max(0, y - _MARGIN): y + height + _MARGIN,
                  max(0, x - _MARGIN): x + width + _MARGIN]
    if region.size == 0 or height < 4:
        return False
    level, _ = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = (region < level).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    smallest = max(4.0, _SPECK * height * height)
    marks = sorted(
        (int(stats[index, cv2.CC_STAT_LEFT]),
         int(stats[index, cv2.CC_STAT_LEFT] + stats[index, cv2.CC_STAT_WIDTH]), index)
        for index in range(1, count) if stats[index, cv2.CC_STAT_AREA] >= smallest)
    # Marks whose columns overlap are one glyph (a dot-matrix digit's dots, a broken stroke).
    glyphs: list[tuple[int, list[int]]] = []
    for left, right, index in marks:
        if glyphs and left < glyphs[-1][0] - 1:
            glyphs[-1] = (max(glyphs[-1][0], right), [*glyphs[-1][1], index])
        else:
            glyphs.append((right, [index]))
    thickness = cv2.distanceTransform(ink, cv2.DIST_L2, 3)
    strokes = []
    for _, members in glyphs:
        mask = np.isin(labels, members)
        rows = np.flatnonzero(mask.any(axis=1))
        if rows[-1] - rows[0] + 1 >= _GLYPH_HEIGHT * height:
            strokes.append(2.0 * float(np.percentile(thickness[mask], 90)))
    if len(strokes) < 2:
        return False
    return max(strokes) > _BLOT * float(np.median(strokes))
