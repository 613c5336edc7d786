"""Find a digit partly hidden: print that fills only part of the number's line.

Tape over half a digit, a cable across it, glare that fades its top or the edge of
another sticker leave part of a glyph, and the OCR still reads a digit there: a 9 whose
top half is taped over reads as a 5, an 8 without its top as a 0.  A serial read so is
wrong however surely it was read.  The digits of one number stand between the same two
lines, their tops and their feet, and each has ink near both in the middle of its place:
a place whose ink reaches only part of the way from one line to the other holds part of
a digit.  Light tape over light print, which the crop shows dark, is a patch instead: one
mark wider than a digit over the line, standing above its tops.

Measured on the digit crops the reader reads (see :mod:`stickerscan.number_crop`), on the
benchmark's photos, the development sets and photos with part of the number covered;
see the README's *Photos partly covered* for the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A crop whose ink stands out from its paper by fewer grey levels than this (medians) holds
# no print to judge: the threshold splits blank paper's noise.  The numbers read on the
# benchmark's photos and the development sets stand out by 35 or more.
_FAINTEST = 25
# Marks with fewer pixels than this are specks.
_MIN_MARK_AREA = 12
# Marks crossing the crop's middle row at least this share of their usual height tall are
# whole glyphs; their tops and feet give the number's line.
_WHOLE = 0.8
# With fewer whole glyphs there is no line to judge by.
_FEW_WHOLE = 2
# Marks lower and narrower than this share of the line's height are specks or
# punctuation (a full stop, a hyphen), not part of a digit.
_SPECK = 0.3
# A mark is on the line when it reaches more than this share of the line's height into it.
_INTO_LINE = 0.1
# Only the middle of each digit's place is judged: blur runs a neighbour's ink into its
# edges.
_MIDDLE_OF_PLACE = 0.6
# Print fainter than the crop's threshold, run on from the glyphs' ink, still counts as
# ink within the line: darker than the paper by this share of the contrast between
# paper and the darkest print.  Worn or washed-out print loses thin strokes under the
# threshold; a covering leaves paper, or something as light.
_FAINT = 0.2
# A place whose ink spans at most this share of the line's height, lying within the line
# (at most _INTO_LINE of its height outside), holds part of a digit.  Every digit's ink
# spans its whole height in the middle of its place.
_PART = 0.75
# A patch: one mark at least this many digit places wide, its top at least _ABOVE of the
# line's height above the digits' tops, reaching down to the feet's quarter of the line,
# and standing that far above them over at least _STANDING of a place's width: tape
# wider than the digit it covers, run together with a neighbour.  (A patch over one
# digit alone is a blot: see :mod:`stickerscan.blots`.)  Faint print run together with
# the haze round it by the threshold makes wide marks too, their tops ragged: a bump
# stands above the line.
_PATCH_PLACES = 1.5
_ABOVE = 0.12
_DOWN_TO = 0.25
_STANDING = 0.8


@dataclass(frozen=True, slots=True)
class _Line:
    """The number's line on a crop: its digits' tops and feet (rows), and where its
    digits' places start and how wide each is (columns)."""

    top: float
    foot: float
    start: int
    place: float

    @property
    def height(self) -> float:
        return self.foot - self.top


def partly_hidden(crop: np.ndarray, digits: int) -> bool:
    """Whether one of the ``digits`` digits read on ``crop`` (dark print on light, the
    number on one line across its middle) is partly hidden: a patch wider than a digit
    stands over the line, or the ink in the middle of a digit's place spans only part of
    the line's height."""
    if digits < 1 or crop.ndim != 2 or min(crop.shape) < 4:
        return False
    _, ink = cv2.threshold(np.ascontiguousarray(crop), 0, 255,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = ink > 0
    paper = float(np.median(crop))
    if not inked.any() or paper - float(np.median(crop[inked])) < _FAINTEST:
        return False
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [index for index in range(1, len(stats))
             if stats[index, cv2.CC_STAT_AREA] >= _MIN_MARK_AREA]
    found = _number_line(stats, marks, crop.shape[0] / 2, digits)
    if found is None:
        return False
    line, on_line = found
    if _patch_over(line, labels, stats, marks):
        return True
    line_ink = _with_faint_strokes(
        crop, paper, np.isin(labels, on_line),
        round(line.top - _INTO_LINE * line.height), round(line.foot + _INTO_LINE * line.height))
    return _place_short_of(line, line_ink, digits)


def _number_line(stats: np.ndarray, marks: list[int], middle: float, digits: int
                 ) -> tuple[_Line, list[int]] | None:
    """The line of the ``digits`` digits the ``marks`` (indices into ``stats``) crossing
    row ``middle`` stand on, and the marks on it; ``None`` without enough whole glyphs."""
    tops, heights = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    crossing = [index for index in marks if tops[index] <= middle <= tops[index] + heights[index]]
    if not crossing:
        return None
    usual = float(np.median(heights[crossing]))
    whole = [index for index in crossing if heights[index] >= _WHOLE * usual]
    if len(whole) < _FEW_WHOLE:
        return None
    top = float(np.median(tops[whole]))
    foot = float(np.median(tops[whole] + heights[whole]))
    height = foot - top
    lefts, widths = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_WIDTH]
    on_line = [index for index in marks
               if tops[index] + heights[index] > top + _INTO_LINE * height
               and tops[index] < foot - _INTO_LINE * height
               and max(heights[index], widths[index]) >= _SPECK * height]
    if not on_line:
        return None
    start = int(min(lefts[on_line]))
    place = (int(max(lefts[on_line] + widths[on_line])) - start) / digits
    return _Line(top=top, foot=foot, start=start, place=place), on_line


def _patch_over(line: _Line, labels: np.ndarray, stats: np.ndarray, marks: list[int]
                ) -> bool:
    """Whether one of the ``marks`` is a patch over ``line`` (see :data:`_PATCH_PLACES`)."""
    above = line.top - _ABOVE * line.height
    tops, heights = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    return any(stats[index, cv2.CC_STAT_WIDTH] >= _PATCH_PLACES * line.place
               and tops[index] < above
               and tops[index] + heights[index] >= line.foot - _DOWN_TO * line.height
               and _columns_standing_above(labels, stats, index, above)
               >= _STANDING * line.place
               for index in marks)


def _place_short_of(line: _Line, line_ink: np.ndarray, digits: int) -> bool:
    """Whether the ink (``line_ink``) in the middle of one of the ``digits`` places on
    ``line`` spans at most :data:`_PART` of its height, within it."""
    for digit in range(digits):
        centre = line.start + (digit + 0.5) * line.place
        left = round(centre - _MIDDLE_OF_PLACE * line.place / 2)
        right = max(left + 1, round(centre + _MIDDLE_OF_PLACE * line.place / 2))
        rows = np.flatnonzero(line_ink[:, left:right].any(axis=1))
        if rows.size == 0:
            # A place without ink: the digits read are not the glyphs printed.
            return False
        if (rows[-1] + 1 - rows[0] <= _PART * line.height
                and rows[0] >= line.top - _INTO_LINE * line.height
                and rows[-1] + 1 <= line.foot + _INTO_LINE * line.height):
            return True
    return False


def _with_faint_strokes(crop: np.ndarray, paper: float, ink: np.ndarray, top: int, foot: int
                        ) -> np.ndarray:
    """``ink`` (a mask of ``crop``) with the print joined to it between rows ``top`` and
    ``foot`` that is darker than the ``paper``'s grey by :data:`_FAINT` of the crop's
    contrast: the faint strokes of its glyphs, and not the paper's grain or streaks apart
    from them."""
    darkest = float(np.percentile(crop, 2))
    faint = np.zeros(crop.shape, np.uint8)
    rows = slice(max(0, top), max(0, foot + 1))
    faint[rows] = crop[rows] < paper - _FAINT * (paper - darkest)
    _, pieces = cv2.connectedComponents(faint | ink.astype(np.uint8), connectivity=8)
    joined = np.unique(pieces[ink])
    joined_ink: np.ndarray = np.isin(pieces, joined[joined > 0])
    return joined_ink


def _columns_standing_above(labels: np.ndarray, stats: np.ndarray, index: int,
                            above: float) -> int:
    """How many of mark ``index``'s columns have its ink start higher than row ``above``."""
    left, top = int(stats[index, cv2.CC_STAT_LEFT]), int(stats[index, cv2.CC_STAT_TOP])
    width = int(stats[index, cv2.CC_STAT_WIDTH])
    mark = labels[top:, left:left + width] == index
    first_rows = top + np.argmax(mark, axis=0)
    return int(np.count_nonzero(mark.any(axis=0) & (first_rows < above)))
