"""Find a digit partly hidden: print that fills only part of the number's line.

Tape over half a digit, a cable across it, glare that fades its top or the edge of
another sticker leave part of a glyph, and the OCR still reads a digit there: a 9 whose
top half is taped over reads as a 5, an 8 without its top as a 0.  A serial read so is
wrong however surely it was read.  The digits of one number stand between the same two
lines, their tops and their feet, and each has ink near both in the middle of its place:
a place whose ink reaches only part of the way from one line to the other holds part of
a digit.  Light tape over light print, which the crop shows dark, is a patch instead: one
mark wider than a digit over the line, standing above its tops.  A dark cable or a scratch
across light print on a dark sticker, which the crop shows as paper, cuts a digit in two
instead: two pieces of ink in one digit's place, neither the line's height, facing each
other across a gap that runs straight and evenly wide across the glyph (an 8 cut so reads
as a 2, a 0 as a 9).  Print breaks on its own at its thinnest strokes, in gaps short or
narrow.

Measured on the digit crops the reader reads (see :mod:`stickerscan.number_crop`), on the
benchmark's photos, the development sets and photos with part of the number covered;
see docs/benchmarks.md, *Photos partly covered*, for the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from stickerscan.number_crop import whole_glyph_line

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
# A cut: two pieces of ink in one digit's place (by their centres) and no wider together
# than a place, each at least _PIECE of the line's height tall or wide and shorter than
# _CUT_PIECE of it; the gap between them at least _CUT_WIDTH of the line's height wide (a
# stroke's width or more: print breaks by itself in hairline gaps) and at most
# _CUT_WIDEST; the pixels in the gap (no farther from either piece than its narrowest
# width, give or take _EVEN of it or _EVEN_PIXELS) lying along one line at least
# _CUT_LENGTH of the line's height long; and the pieces' edges facing each other (their
# pixels as near the other piece) lying along lines at most _PARALLEL degrees apart.
# A thin face whose hairlines fall out of the threshold leaves its thick strokes facing
# each other across a counter, curved or at an angle: 13 to 30 degrees on the
# benchmark's and development sets' photos, where a cable's edges were 0 to 7.  A cut
# along a glyph's height leaves two pieces the line's height, as such a face does, and
# is not told from it.  A stroke worn or shaded faint is one piece with its faint print
# (see _faint_print), where a cable shown as paper leaves two.
_PIECE = 0.2
_CUT_PIECE = 0.9
_CUT_WIDTH = 0.15
_CUT_WIDEST = 0.5
_CUT_LENGTH = 0.7
_EVEN = 0.25
_EVEN_PIXELS = 1.5
_PARALLEL = 10.0


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
    _, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [index for index in range(1, len(stats))
             if stats[index, cv2.CC_STAT_AREA] >= _MIN_MARK_AREA]
    found = _number_line(stats, marks, crop.shape[0] / 2, digits)
    if found is None:
        return False
    line, on_line = found
    faint = _faint_print(crop, paper)
    if _patch_over(line, labels, stats, marks) or _cut_across(
            line, labels, stats, centres, on_line, faint | inked):
        return True
    line_ink = _with_faint_strokes(
        faint, np.isin(labels, on_line),
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
    line = whole_glyph_line(stats, crossing, float(np.median(heights[crossing])),
                            share=_WHOLE, fewest=_FEW_WHOLE)
    if line is None:
        return None
    top, foot = line
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


def _cut_across(line: _Line, labels: np.ndarray, stats: np.ndarray, centres: np.ndarray,
                on_line: list[int], print_or_faint: np.ndarray) -> bool:
    """Whether two of the marks ``on_line`` are the pieces of one glyph cut across (see
    :data:`_CUT_PIECE`), not joined by faint print (``print_or_faint``: the crop's ink
    with its faint print, see :func:`_faint_print`): a glyph worn or blurred faint at a
    stroke is one piece with it, where a cable shown as paper leaves two."""
    lefts, widths = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_WIDTH]
    heights = stats[:, cv2.CC_STAT_HEIGHT]
    pieces = [index for index in on_line
              if max(heights[index], widths[index]) >= _PIECE * line.height
              and heights[index] < _CUT_PIECE * line.height]
    places = [int((centres[index][0] - line.start) // line.place) for index in pieces]
    pairs = [(pieces[first], pieces[second])
             for first in range(len(pieces)) for second in range(first + 1, len(pieces))
             if places[first] == places[second]
             and _glyph_wide(lefts, widths, pieces[first], pieces[second]) <= line.place]
    if not pairs:
        return False
    _, joined = cv2.connectedComponents(print_or_faint.astype(np.uint8), connectivity=8)
    for one_index, other_index in pairs:
        one, other = labels == one_index, labels == other_index
        if not _same_piece(joined, one, other) and _straight_gap(one, other, line.height):
            return True
    return False


def _faint_print(crop: np.ndarray, paper: float) -> np.ndarray:
    """Where ``crop`` is darker than the ``paper``'s grey by :data:`_FAINT` of the contrast
    between it and the darkest print (1, else 0)."""
    darkest = float(np.percentile(crop, 2))
    faint: np.ndarray = (crop < paper - _FAINT * (paper - darkest)).astype(np.uint8)
    return faint


def _same_piece(joined: np.ndarray, one: np.ndarray, other: np.ndarray) -> bool:
    """Whether the marks ``one`` and ``other`` lie in one piece of ``joined``."""
    return bool(np.intersect1d(joined[one], joined[other]).size)


def _glyph_wide(lefts: np.ndarray, widths: np.ndarray, one: int, other: int) -> int:
    """How wide marks ``one`` and ``other`` are together, from the left of either to
    the right of either."""
    return int(max(lefts[one] + widths[one], lefts[other] + widths[other])
               - min(lefts[one], lefts[other]))


def _straight_gap(one: np.ndarray, other: np.ndarray, height: float) -> bool:
    """Whether the gap between the masks ``one`` and ``other`` is a cut's (see
    :data:`_CUT_PIECE`): wide enough, not too wide, and running straight long enough."""
    to_one = cv2.distanceTransform((~one).astype(np.uint8), cv2.DIST_L2, 3)
    to_other = cv2.distanceTransform((~other).astype(np.uint8), cv2.DIST_L2, 3)
    narrowest = float(to_other[one].min())
    if not _CUT_WIDTH * height <= narrowest <= _CUT_WIDEST * height:
        return False
    reach = narrowest + max(_EVEN_PIXELS, _EVEN * narrowest)
    gap = _main_direction(~one & ~other & (to_one <= reach) & (to_other <= reach))
    if gap is None or gap[1] < _CUT_LENGTH * height:
        return False
    edges = (_main_direction(one & (to_other <= reach)),
             _main_direction(other & (to_one <= reach)))
    if edges[0] is None or edges[1] is None:
        return False
    cosine = min(1.0, abs(float(edges[0][0] @ edges[1][0])))
    return bool(np.degrees(np.arccos(cosine)) <= _PARALLEL)


def _main_direction(mask: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The direction (a unit vector in x, y) along which the pixels of ``mask`` lie,
    and their extent along it; ``None`` for fewer than two pixels."""
    rows, columns = np.nonzero(mask)
    if rows.size < 2:
        return None
    points = np.stack([columns, rows], axis=1).astype(np.float64)
    points -= points.mean(axis=0)
    _, directions = np.linalg.eigh(points.T @ points)
    along = points @ directions[:, -1]
    return directions[:, -1], float(along.max() - along.min())


def _place_short_of(line: _Line, line_ink: np.ndarray, digits: int) -> bool:
    """Whether the ink (``line_ink``) in the middle of one of the ``digits`` places on
    ``line`` (see :func:`_places`) spans at most :data:`_PART` of its height, within it."""
    for left, right in _places(line, line_ink, digits):
        middle = (left + right) / 2
        half = _MIDDLE_OF_PLACE * (right - left) / 2
        start = round(middle - half)
        rows = np.flatnonzero(line_ink[:, start:max(start + 1, round(middle + half))]
                              .any(axis=1))
        if rows.size == 0:
            # A place without ink: the digits read are not the glyphs printed.
            return False
        if (rows[-1] + 1 - rows[0] <= _PART * line.height
                and rows[0] >= line.top - _INTO_LINE * line.height
                and rows[-1] + 1 <= line.foot + _INTO_LINE * line.height):
            return True
    return False


def _places(line: _Line, line_ink: np.ndarray, digits: int) -> list[tuple[float, float]]:
    """The columns (from, to) of each of the ``digits`` places on ``line``: each glyph's
    own, where the ink between the line's top and foot falls into as many runs of
    columns as there are digits; else equal shares of the number's width.  A narrow
    glyph does not fill an equal share: a 1 of a face whose 1 stands at the right of its
    room leaves the middle of the last share its flag only, which spans part of the
    line as a covered digit's ink does."""
    band = line_ink[max(0, int(line.top)):int(line.foot) + 1]
    inked_columns = np.asarray(band.any(axis=0), dtype=bool)
    runs = _column_runs(inked_columns)
    if len(runs) == digits:
        return [(float(start), float(end)) for start, end in runs]
    return [(line.start + digit * line.place, line.start + (digit + 1) * line.place)
            for digit in range(digits)]


def _column_runs(columns: np.ndarray) -> list[tuple[int, int]]:
    """Where each run of true ``columns`` starts and ends (one past its last)."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], columns.astype(np.int8), [0]])))
    return [(int(start), int(end)) for start, end in zip(edges[::2], edges[1::2], strict=True)]


def _with_faint_strokes(faint: np.ndarray, ink: np.ndarray, top: int, foot: int
                        ) -> np.ndarray:
    """``ink`` (a mask of the crop) with the ``faint`` print (see :func:`_faint_print`)
    joined to it between rows ``top`` and ``foot``: the faint strokes of its glyphs, and
    not the paper's grain or streaks apart from them."""
    faint_here = np.zeros(faint.shape, np.uint8)
    rows = slice(max(0, top), max(0, foot + 1))
    faint_here[rows] = faint[rows]
    _, pieces = cv2.connectedComponents(faint_here | ink.astype(np.uint8), connectivity=8)
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
