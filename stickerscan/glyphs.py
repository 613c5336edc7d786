"""The shape of one digit on a crop, for the slips the voting cannot settle.

Many label printers and monospaced fonts print a zero with a dot, a bar or a slash inside
it.  Tesseract's small model reads such a zero as a 6, a 9 or an 8, the same way in every
rendering, so all its passes agree on the wrong digit.  A 6 or a 9 is a bowl with an open
hook on one side; a zero is a closed ring whose hollow runs from near its top to near its
bottom (a bar across it, or a dot blurred into one, splits the hollow into two alike; a 6
whose hook blur has closed holds a small pocket above its bowl).  An 8's two hollows sit
one above the other, either side of its waist; a slash splits a zero's hollow into two
side by side, or, in slanted print, into two halves one above the other, alike as an
8's are and never a 6's or a 9's.  And one printer prints one character alike wherever
it stands, so two glyphs of one number can be compared with each other, whatever each
was read as.

Blur, a streak or a coarse photo can leave a digit with loops readable as another digit:
a 9 as a 5, an 8 as a 2, read alike in every rendering.  Blur closes pockets in open
strokes too, but low in a 5 (its bowl), and at most one high in a bold serif 2 or 3 (a
ball terminal against the stroke below it): a glyph read as a 1, a 5 or a 7 with a loop
in its upper part, or as a 2 or a 3 with loops in its upper and lower parts, as an 8
has, is another digit.

Both models also read a bold 7 whose stem stands upright as a 1, in every rendering.  A
7's bar spans the top of its ink, which is wide, and its stem ends in a narrow foot; a 1
is narrow (a flag and a stem), or stands on a base as wide as its flag.
"""

from __future__ import annotations

from dataclasses import dataclass

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
# A hollow covers at least this share of the square of the glyph's height.
_SMALLEST_HOLLOW = 0.01
# A zero's two hollows either side of a bar across it differ less in area than this
# ratio; a 6's closed hook holds a pocket well under half the size of its bowl.
_ALIKE_HOLLOWS = 0.5
# A ring that a bar or a slash splits in two has halves alike: in area within this ratio,
# and in height within the next.  Bold print's 6s and 9s whose hook has closed hold a
# pocket and a bowl that differ more in one or the other.  Of the 81 faces installed
# here, upright and slanted, blurred and emboldened, such 6s and 9s hold at most 0.76
# of the area where the heights are within 0.6, and at most 0.5 of the height where the
# areas are within 0.8; 139 of the 144 zeros split in two pass.
_HALVES_AREA = 0.8
_HALVES_HEIGHT = 0.6
# The heights of a slashed zero's two hollows overlap, or nearly: they are less than
# this share of the glyph's height apart (an 8's waist keeps its two at least a twentieth
# apart).  And the lower lies at least this share of its width right of the upper (an
# 8's, at most three hundredths in upright fonts).
_SLASH_GAP = 0.02
_SLASH_LEAN = 0.06
# Two glyphs of one print are the same character when their ink, each scaled to one
# size, correlates at least this well.  The same zero twice in a number correlates at
# about 0.98 (print, blur and noise alike); a 6, an 8 or a 9 with a zero of the same
# number, at most about 0.88.
_SAME_PRINT = 0.9
# The size both glyphs are scaled to for comparing them (width, height).
_COMPARED_SIZE = (20, 28)
# ... after their ink, as found, was alike in size within these ratios: one printer
# prints a character at one size, and a bowl that a character box too short cut off its
# 6 is a ring the shape of a zero half the zero's height.
_SAME_HEIGHT = 1.2
_SAME_WIDTH = 1.3
# A patch's largest ink is its glyph only when its middle lies at least this share of
# the patch's width in from either side.
_OFF_CENTRE = 0.35
# A loop: a hollow covering at least this share of the square of the glyph's height.
# Smaller pockets close under blur in open strokes (a bold 5's bowl, a serif 3's
# terminal against its arm).
_LOOP = 0.02
# A loop starting within this share of the glyph's height from its top lies in its upper
# part, as a 0's, an 8's or a 9's upper loop does; one starting this far down or more, in
# its lower part, as an 8's lower loop does.  Of the 116 font files installed here, at
# two sizes, plain, blurred, emboldened and streaked four ways (10,307 glyphs of 1, 2, 3,
# 5 and 7), no 1, 5 or 7 has a loop starting in its upper part, and no 2 or 3 one there
# and one in its lower part; bold or streaked serif 2s and 3s have the first alone (a
# ball terminal closing against the stroke below it), at 0.07 to 0.23 of their height.
# Of those files' 9s, 85% have a 5 ruled out so, and of their 8s, 78% a 2.
_UPPER_LOOP = 0.35
_LOWER_LOOP = 0.45
# A 7: ink at least this share of its height wide, whose top band (this share of its
# height) spans at least this share of its width, and whose bottom band at most this
# share.  Of the 81 faces installed here (DejaVu, Liberation, FreeFont and URW's, with
# their bold and italic cuts) and OpenCV's Hershey faces, at two sizes, no 1 has that
# shape (the wide ones stand on a base three quarters of their width or more; those
# whose flag spans their top are at most half their height wide), and every 7 but those
# of three slanted cuts and of a dingbat face has.
_SEVEN_WIDTH = 0.55
_SEVEN_BAND = 0.2
_SEVEN_BAR = 0.85
_SEVEN_FOOT = 0.5


def closed_ring(glyph: np.ndarray) -> bool:
    """Whether the dark glyph on light paper in ``glyph`` (a character's box, a little
    more) is a closed convex ring whose hollow reaches from its upper part to its lower
    part: a zero, plain or with a mark inside, and not a 6 or a 9.

    The largest patch of ink is the glyph; ink inside its outline (a zero's dot) belongs
    to it.  Touching neighbours make the patch concave, which makes the answer no.
    """
    shape = _shape(glyph)
    if shape is None:
        return False
    hull_area = cv2.contourArea(cv2.convexHull(shape.outline))
    if hull_area <= 0 or cv2.contourArea(shape.outline) < _CONVEX * hull_area:
        return False
    hollows = _hollows(shape)
    if not _reach_across(hollows, shape.height):
        return False
    # Two hollows one above the other: a zero with a bar across has two alike; a 6 whose
    # hook has closed under blur has a small pocket above its bowl (a 9, below).
    return not (len(hollows) == 2 and _stacked(hollows)
                and not _alike(hollows, _ALIKE_HOLLOWS))


def split_ring(glyph: np.ndarray) -> bool:
    """Whether the dark glyph on light paper in ``glyph`` holds two hollows alike in area
    and height, one above the other, that reach from its upper part to its lower part: a
    ring that a bar or a slash across it splits in two, upright or slanted, or an 8.
    Never a 6 or a 9: an open hook holds no hollow, and a hook closed by blur or bold
    print holds a pocket smaller or shorter than its bowl (see :data:`_HALVES_AREA`).

    Unlike :func:`closed_ring`, its outline need not be convex: in slanted or bold print
    a neighbour's ink touches the ring within its character's box, and a slash may cross
    out past the ring.
    """
    found = _two_hollows(glyph)
    if found is None:
        return False
    shape, hollows = found
    if not (_stacked(hollows) and _reach_across(hollows, shape.height)):
        return False
    (upper_top, upper_bottom, _, _), (lower_top, lower_bottom, _, _) = hollows
    return (_alike(hollows, _HALVES_AREA)
            and _within(upper_bottom - upper_top, lower_bottom - lower_top, _HALVES_HEIGHT))


def _reach_across(hollows: list[_Hollow], height: int) -> bool:
    """Whether ``hollows`` (see :func:`_hollows`) reach from the upper part of a glyph
    ``height`` tall to its lower part (see :data:`_HOLLOW_REACH`)."""
    return bool(hollows) and (
        min(top for top, _, _, _ in hollows) <= _HOLLOW_REACH * height
        and max(bottom for _, bottom, _, _ in hollows) >= (1 - _HOLLOW_REACH) * height)


def _stacked(hollows: list[_Hollow]) -> bool:
    """Whether the second of two hollows lies below the first."""
    (_, upper_bottom, _, _), (lower_top, _, _, _) = hollows
    return lower_top >= upper_bottom - 1


def _alike(hollows: list[_Hollow], ratio: float) -> bool:
    """Whether two hollows are alike in area, within ``ratio``."""
    (_, _, first_area, _), (_, _, second_area, _) = hollows
    return _within(first_area, second_area, ratio)


def _within(first: float, second: float, ratio: float) -> bool:
    """Whether the smaller of two sizes is at least ``ratio`` of the larger."""
    return min(first, second) >= ratio * max(first, second)


def _two_hollows(glyph: np.ndarray) -> tuple[_Shape, list[_Hollow]] | None:
    """The glyph on ``glyph`` and its hollows (see :func:`_hollows`) when it is one glyph,
    narrower than tall, with exactly two hollows; else None.  A patch wider than tall is
    two glyphs touching (slanted print, a bold face), and the hollows of two neighbours
    sit side by side or one a little lower than the other, as a marked zero's do."""
    shape = _shape(glyph)
    if shape is None or shape.width >= shape.height:
        return None
    hollows = _hollows(shape)
    return (shape, hollows) if len(hollows) == 2 else None


def slashed_ring(glyph: np.ndarray) -> bool:
    """Whether the dark glyph on light paper in ``glyph`` is a ring cut by a slash: a
    zero as some printers and fonts print it, which OCR reads as an 8 or a 6.

    Both have two hollows.  An 8's are stacked, one above its waist and one below, and
    straight above each other (or the upper one further right, in slanted print).  The
    slash through a zero runs up to the right between its two: the hollow above the slash
    lies to the left of the one below it, and their heights overlap, or nearly, where an
    8 has its waist between its two.
    """
    found = _two_hollows(glyph)
    if found is None:
        return False
    shape, hollows = found
    (_, upper_bottom, _, upper_x), (lower_top, _, _, lower_x) = hollows
    no_waist = lower_top - upper_bottom < _SLASH_GAP * shape.height
    return no_waist and lower_x - upper_x >= _SLASH_LEAN * shape.width


def loops_rule_out(character: str, glyph: np.ndarray) -> bool:
    """Whether the loops of the dark glyph on light paper in ``glyph`` (a character's box,
    a little more) rule out its reading as ``character``: a 1, a 5 or a 7 with a loop in
    its upper part, or a 2 or a 3 with one there and one in its lower part (see
    :data:`_UPPER_LOOP`).  A patch as wide as tall or wider is two glyphs touching, whose
    ink can close paper in between: it is not judged.
    """
    if character not in "12357":
        return False
    shape = _shape(glyph)
    if shape is None or shape.width >= shape.height:
        return False
    tops = [top / shape.height for top, _, area, _ in _hollows(shape)
            if area >= _LOOP * shape.height**2]
    upper = any(top < _UPPER_LOOP for top in tops)
    lower = any(top >= _LOWER_LOOP for top in tops)
    return upper and (character in "157" or lower)


def same_print(glyph: np.ndarray, other: np.ndarray) -> bool:
    """Whether two glyphs of one line of print (each a character's box, a little more)
    are the same character: the same shape of ink, whatever each was read as.

    One printer prints one character alike every time, so a glyph the OCR read as a 6
    that matches, stroke for stroke, a zero of the same number is that zero again.
    """
    first, second = _glyph_box(glyph), _glyph_box(other)
    if first is None or second is None:
        return False
    (first_height, first_width), (second_height, second_width) = first.shape, second.shape
    if (max(first_height, second_height) > _SAME_HEIGHT * min(first_height, second_height)
            or max(first_width, second_width) > _SAME_WIDTH * min(first_width, second_width)):
        return False
    first_scaled, second_scaled = _normalised(first), _normalised(second)
    if first_scaled is None or second_scaled is None:
        return False
    return float(np.mean(first_scaled * second_scaled)) >= _SAME_PRINT


def seven_shaped(glyph: np.ndarray) -> bool:
    """Whether the dark glyph on light paper in ``glyph`` (a character's box, a little
    more) is shaped as a 7: wide, its top spanned by a bar, on a narrow foot (see
    :data:`_SEVEN_WIDTH`)."""
    shape = _shape(glyph)
    if shape is None or shape.width < _SEVEN_WIDTH * shape.height:
        return False
    band = max(1, round(_SEVEN_BAND * shape.height))
    ink = shape.filled[shape.top: shape.top + shape.height]
    return (_span(ink[:band]) >= _SEVEN_BAR * shape.width
            and _span(ink[-band:]) <= _SEVEN_FOOT * shape.width)


def _span(rows: np.ndarray) -> int:
    """How many columns ``rows`` of a glyph's ink reach across, first to last."""
    columns = np.flatnonzero(rows.any(axis=0))
    return 0 if columns.size == 0 else int(columns[-1] - columns[0] + 1)


def glyph_height(glyph: np.ndarray) -> int | None:
    """How tall the glyph's ink is on ``glyph`` (see :func:`same_print`); None when there
    is no glyph large enough to judge."""
    box = _glyph_box(glyph)
    return None if box is None else box.shape[0]


def _glyph_box(glyph: np.ndarray) -> np.ndarray | None:
    """The box of the glyph's largest patch of ink (the character, not a neighbour's
    edge or a speck), cut from ``glyph``; None when it is too small to judge."""
    grey = np.ascontiguousarray(glyph, dtype=np.uint8)
    if grey.ndim != 2 or min(grey.shape) < 3:
        return None
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    left, top, width, height = (int(v) for v in stats[largest, :4])
    if height < _SMALLEST or not _centred(left, width, grey.shape[1]):
        return None
    return grey[top: top + height, left: left + width]


def _normalised(box: np.ndarray) -> np.ndarray | None:
    """``box`` scaled to :data:`_COMPARED_SIZE`, at zero mean and unit spread; None when
    it is one shade."""
    scaled = cv2.resize(box.astype(np.float32), _COMPARED_SIZE, interpolation=cv2.INTER_AREA)
    spread = float(scaled.std())
    if spread == 0.0:
        return None
    normalised: np.ndarray = (scaled - float(scaled.mean())) / spread
    return normalised


def _centred(left: int, width: int, patch_width: int) -> bool:
    """Whether ink from ``left``, ``width`` wide, has its middle in the middle 30% of a
    patch ``patch_width`` wide (see :data:`_OFF_CENTRE`): the glyph the patch was cut
    for, not a neighbour that a character box too wide for its glyph took in (and that
    is larger than the glyph)."""
    middle = left + width / 2
    return _OFF_CENTRE * patch_width <= middle <= (1 - _OFF_CENTRE) * patch_width


_Hollow = tuple[int, int, int, float]
"""A hollow in a glyph: (top, bottom, area, centre x), top and bottom from the glyph's top."""


@dataclass(frozen=True, slots=True)
class _Shape:
    outline: np.ndarray
    """The outline of the largest patch of ink: the glyph."""
    hollow: np.ndarray
    """(H, W) bool: paper inside that outline."""
    filled: np.ndarray
    """(H, W) bool: that outline filled, the glyph's own ink and its hollows."""
    top: int
    height: int
    width: int


def _hollows(shape: _Shape) -> list[_Hollow]:
    """The hollows of ``shape`` as (top, bottom, area, centre x), top and bottom from the
    glyph's top, highest first.  Specks of paper between blurred strokes are not
    hollows."""
    count, _, stats, centres = cv2.connectedComponentsWithStats(
        shape.hollow.astype(np.uint8), connectivity=4
    )
    return sorted(
        (int(stats[index, cv2.CC_STAT_TOP]) - shape.top,
         int(stats[index, cv2.CC_STAT_TOP] + stats[index, cv2.CC_STAT_HEIGHT]) - shape.top,
         int(stats[index, cv2.CC_STAT_AREA]),
         float(centres[index][0]))
        for index in range(1, count)
        if stats[index, cv2.CC_STAT_AREA] >= _SMALLEST_HOLLOW * shape.height**2
    )


def _shape(glyph: np.ndarray) -> _Shape | None:
    """The glyph on ``glyph`` and the paper inside it; None when there is no glyph large
    enough to judge."""
    grey = np.ascontiguousarray(glyph, dtype=np.uint8)
    if grey.ndim != 2 or grey.shape[0] < _SMALLEST or grey.shape[1] < 3:
        return None
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    outlines, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not outlines:
        return None
    outline = max(outlines, key=cv2.contourArea)
    left, top, width, height = cv2.boundingRect(outline)
    if height < _SMALLEST or not _centred(left, width, grey.shape[1]):
        return None
    filled = np.zeros_like(ink)
    cv2.drawContours(filled, [outline], -1, 255, cv2.FILLED)
    return _Shape(outline=outline, hollow=(filled > 0) & (ink == 0), filled=filled > 0,
                  top=top, height=height, width=width)
