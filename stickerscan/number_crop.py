"""Cut one number's digits out of a label crop, for a digits-only read of a single line.

The recogniser's word box for a number is loose in places and tight in others: it can end
inside the last digit, start inside the character glued before the first, or leave a
digit out altogether.  The cut here follows the glyphs themselves (the columns their ink
crosses, the marks on the number's line), takes only a sliver of the surroundings, clears
marks off the number's line and round heads beside it, and pads the rest with blank paper.
"""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

from stickerscan.enhance import clear_edge_marks
from stickerscan.slant import lean_of, stand_upright

# A run of fewer digits is no number worth reading.
MIN_DIGITS = 4

# A digit crop's end that cuts through ink is moved out to the glyph's end, at most this
# many text heights (about half a digit's width).
_GLYPH_REACH = 0.35
# A glyph right after a digit crop that holds one digit fewer than the first pass read is
# taken in when it is a digit's size (its height within these shares of the digits',
# its width at most _LOST_GLYPH_WIDTH of their height), no further from the last digit
# than _LOST_GLYPH_GAP of their height, with at least _CLEAR_BEYOND clear after it.
_LOST_GLYPH_HEIGHTS = (0.8, 1.2)
_LOST_GLYPH_WIDTH = 0.9
_LOST_GLYPH_GAP = 0.6
_CLEAR_BEYOND = 0.5
# When the first pass read that glyph as a word apart, it must also stand at most this
# many times the digits' pitch after the last digit (a word space adds about half a
# pitch in most faces).
_SAME_PITCH = 1.25
# At most this many glyphs the first pass left out before a number are taken in.
_LOST_FIRST_GLYPHS = 2
# A column of a digit crop crosses a glyph when this share of its height is ink.
_CUT_INK = 0.2
# Every digit crosses the band this many of the number's heights either side of its middle.
_MIDDLE_BAND = 0.2
# A rivet or screw head beside a number: a disc shorter or taller than the digits by these
# shares of their height (never about their own height), as wide as this many of its own
# heights, whose ink fills this share of its convex hull
# (0.75 and more for a disc with a highlight; far less for the ring of a digit or of its bowl).
_HEAD_HEIGHTS = (0.45, 0.82)
_LARGE_HEAD_HEIGHTS = (1.08, 1.3)
_HEAD_ROUNDNESS = (0.85, 1.18)
_HEAD_SOLIDITY = 0.7
# Marks with fewer pixels than this are specks, not glyphs.
_MIN_GLYPH_AREA = 12
# A piece of a digit cut off by a scratch: a mark off the line's middle lying within the
# line's height (the tops and feet of its whole glyphs, _WHOLE_GLYPH of the tallest mark
# crossing the middle, give or take _PIECE_SLACK of it), at least _PIECE_SIZE of it tall
# or wide, and over the rest of a digit (a mark crossing the middle at least
# _REST_OF_GLYPH of the line's height tall) by _OVER_GLYPH of its width, no farther from
# it than _PIECE_GAP of the line's height (a scratch or two across it) and with at least
# _PIECE_SHARE of its ink; judged with _FEW_GLYPHS whole glyphs or more.
_PIECE_SLACK = 0.05
_PIECE_SIZE = 0.2
_WHOLE_GLYPH = 0.7
_REST_OF_GLYPH = 0.5
_OVER_GLYPH = 0.7
_PIECE_GAP = 0.25
_PIECE_SHARE = 0.1
_FEW_GLYPHS = 2
# Digits less than this share of the text height tall are small print (the region's text
# height was measured on larger print or texture beside them), enlarged to be read.
_SMALL_PRINT = 0.6
# Blur, in pin pitches (a text height is about seven), that runs the dots of dot-matrix
# print together into strokes Tesseract reads.
_DOT_MERGE = 0.5
_PIN_PITCHES_TALL = 7


def dots_run_together(image: np.ndarray, text_height: float) -> np.ndarray:
    """``image`` blurred so that the dots of dot-matrix print ``text_height`` tall merge."""
    blurred: np.ndarray = cv2.GaussianBlur(
        image, (0, 0), _DOT_MERGE * text_height / _PIN_PITCHES_TALL)
    return blurred


def small_print(box: tuple[int, int, int, int], characters: int, text_height: int) -> bool:
    """Whether the box of ``characters`` digits holds print far smaller than the crop's
    text: a box well under the text height whose characters are no wider than it is tall
    (a flat box Tesseract gave a word of the crop's own print is as wide as that print)."""
    _, _, width, height = box
    return (characters >= MIN_DIGITS and height < _SMALL_PRINT * text_height
            and width <= characters * height)


def share_covered(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / max(a[2] * a[3], 1)


def number_crop(
    image: np.ndarray, box: tuple[int, int, int, int], text_height: int, *,
    characters: int = 0, stood_upright: bool = False, dots_merged: bool = False,
    glued: bool = False, digit_read_apart: bool = False, starts_line: bool = False,
) -> np.ndarray | None:
    """The part of the word box that holds the digit run, on a plain margin; enlarged to
    the text height when the box holds ``characters`` digits of small print, and sheared
    so that its digits stand upright if ``stood_upright``.  When the digits were read
    ``glued`` to other characters in one word, a glyph the crop's start cuts through is
    left out (see :func:`_cut_glyph_left_out`).

    Only a sliver of the surroundings is taken (a sticker's edge next to the first digit
    reads as a "1"); the margin Tesseract needs is added as blank paper.
    """
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return None
    small = small_print(box, characters, text_height)
    left, right = x, x + w
    glyph_height = h if small else max(h, text_height)
    pad = 0.12 * glyph_height
    x0 = int(max(0, left - pad))
    x1 = int(min(image.shape[1], right + pad))
    y0 = int(max(0, y - pad))
    y1 = int(min(image.shape[0], y + h + pad))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    x1 = _whole_glyphs(image[y0:y1], x1, reach=round(_GLYPH_REACH * glyph_height))
    if glued:
        x0 = _cut_glyph_left_out(image[y0:y1], x0, x1, reach=round(_GLYPH_REACH * glyph_height))
    if characters:
        x1 = _lost_last_glyph_taken_in(image[y0:y1], x0, x1, characters, pad=round(pad),
                                       read_apart=digit_read_apart)
    if characters and starts_line:
        x0 = _lost_first_glyphs_taken_in(image[y0:y1], x0, x1, pad=round(pad))
    margin = text_height // 2
    sliver = np.ascontiguousarray(image[y0:y1, x0:x1])
    if dots_merged:
        sliver = dots_run_together(sliver, h if small else text_height)
    middle = y + h / 2 - y0
    if small:
        # Tesseract's line reads lose digits a few pixels tall that it reads enlarged.
        zoom = text_height / h
        sliver = cv2.resize(sliver, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        h, middle = text_height, middle * zoom
    # A sticker's edge or frame caught in the sliver is longer than any digit.
    number = _off_line_cleared(clear_edge_marks(sliver, longer_than=1.25 * h),
                               middle=middle, reach=_MIDDLE_BAND * h)
    padded: np.ndarray = cv2.copyMakeBorder(
        number, margin, margin, margin, margin,
        cv2.BORDER_CONSTANT, value=255,
    )
    return stand_upright(padded, lean_of(number)) if stood_upright else padded


def _off_line_cleared(grey: np.ndarray, *, middle: float, reach: float) -> np.ndarray:
    """``grey`` with every mark that keeps clear of the band ``reach`` pixels either side
    of row ``middle`` painted out, but for the pieces of a digit a scratch cut off (see
    :func:`_glyph_pieces`), and a round head beside the number's ends too.

    Every digit of a number crosses the middle of its line.  Print that does not is
    another line's (the top of small print set tight under the number, the foot of a
    line over it) or punctuation ("No." ends in a full stop right before the first
    digit); left in, it makes the single-line read return a few digits or none.  A rivet
    or screw head right beside the first or last digit does cross it, and reads as a
    digit (a 4, a 9): see :func:`_round_head`.
    """
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    top, bottom = stats[:, 1], stats[:, 1] + stats[:, 3]
    off_line = (bottom < middle - reach) | (top > middle + reach)
    off_line[0] = False
    on_line = [index for index in np.flatnonzero(~off_line)[1:]
               if stats[index, cv2.CC_STAT_AREA] >= _MIN_GLYPH_AREA]
    if len(on_line) >= MIN_DIGITS + 1:
        on_line.sort(key=lambda index: stats[index, cv2.CC_STAT_LEFT])
        for end, inner in ((on_line[0], on_line[1:]), (on_line[-1], on_line[:-1])):
            digit_height = float(np.median(stats[inner, cv2.CC_STAT_HEIGHT]))
            off_line[end] |= _round_head(labels, stats, end, digit_height)
    off_line &= ~_glyph_pieces(labels, stats, on_line)
    if not off_line.any():
        return grey
    cleared = grey.copy()
    cleared[off_line[labels]] = int(np.percentile(grey, 90))
    return cleared


def _glyph_pieces(labels: np.ndarray, stats: np.ndarray, on_line: list[int]) -> np.ndarray:
    """Which marks (rows of ``stats``; ``labels`` their pixels) not among ``on_line`` are
    pieces of a digit on the line: within the line's height (the tops and feet of its
    whole glyphs), over the rest of a digit and just clear of it, and a fair share of it.

    A scratch or a crease across a digit can cut off part of it (the top of an 8's upper
    loop, the top of a 9's bowl) as a mark of its own that keeps clear of the line's
    middle.  Painted out with another line's print, it leaves another digit's shape (the
    8 reads as a 6, the 9 as a 5); kept, the digit is read with a thin gap across it, as
    a person reads it.  Another line's print reaches past the line's top or foot, a full
    stop stands beside the digits, not over one, and grain or dirt beside a digit is
    specks, small beside it.
    """
    pieces = np.zeros(len(stats), dtype=bool)
    if not on_line:
        return pieces
    lefts, tops = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    areas = stats[:, cv2.CC_STAT_AREA]
    line = whole_glyph_line(stats, on_line, float(heights[on_line].max()),
                            share=_WHOLE_GLYPH, fewest=_FEW_GLYPHS)
    if line is None:
        return pieces
    top, foot = line
    height = foot - top
    rests = [index for index in on_line if heights[index] >= _REST_OF_GLYPH * height]
    slack = _PIECE_SLACK * height
    candidates = np.ones(len(stats), dtype=bool)
    candidates[[0, *on_line]] = False
    candidates &= (tops >= top - slack) & (tops + heights <= foot + slack)
    candidates &= np.maximum(widths, heights) >= _PIECE_SIZE * height
    for index in np.flatnonzero(candidates):
        left, right = int(lefts[index]), int(lefts[index] + widths[index])
        for rest in rests:
            over = min(right, int(lefts[rest] + widths[rest])) - max(left, int(lefts[rest]))
            if (over >= _OVER_GLYPH * (right - left)
                    and areas[index] >= _PIECE_SHARE * areas[rest]
                    and _gap_between(labels, int(index), int(rest)) <= _PIECE_GAP * height):
                pieces[index] = True
                break
    return pieces


def whole_glyph_line(stats: np.ndarray, marks: list[int], reference: float, *,
                     share: float, fewest: int) -> tuple[float, float] | None:
    """The top and foot (rows) of the line that the whole glyphs among ``marks`` (rows of
    ``stats``) stand on: the medians of those at least ``share`` of ``reference`` tall;
    ``None`` with fewer than ``fewest`` of them."""
    tops, heights = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    whole = [index for index in marks if heights[index] >= share * reference]
    if len(whole) < fewest:
        return None
    return float(np.median(tops[whole])), float(np.median(tops[whole] + heights[whole]))


def _gap_between(labels: np.ndarray, one: int, other: int) -> float:
    """The shortest distance in pixels from mark ``one``'s pixels to mark ``other``'s."""
    away = cv2.distanceTransform((labels != other).astype(np.uint8), cv2.DIST_L2, 3)
    return float(away[labels == one].min())


def _round_head(
    labels: np.ndarray, stats: np.ndarray, index: int, digit_height: float
) -> bool:
    """Whether component ``index`` is a rivet or screw head rather than a digit: a solid
    round disc (as wide as tall, filling its convex hull) clearly shorter or clearly
    taller than the digits beside it.  Bold print blurred can be as round and solid as a
    head, but a digit keeps the height of the others on its line; a plate's screw head is
    often larger than its print."""
    x, y, width, height, area = stats[index]
    if not (any(low * digit_height <= height <= high * digit_height
                for low, high in (_HEAD_HEIGHTS, _LARGE_HEAD_HEIGHTS))
            and _HEAD_ROUNDNESS[0] * height <= width <= _HEAD_ROUNDNESS[1] * height):
        return False
    mask = (labels[y:y + height, x:x + width] == index).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull_area = cv2.contourArea(cv2.convexHull(np.vstack(contours)))
    return bool(hull_area > 0 and area >= _HEAD_SOLIDITY * hull_area)


def _lost_last_glyph_taken_in(
    rows: np.ndarray, x0: int, x1: int, characters: int, *, pad: int, read_apart: bool = False
) -> int:
    """``x1`` moved right to take in the glyph right after the crop, when the crop from
    ``x0`` to ``x1`` holds one glyph fewer than the ``characters`` the first pass read
    and that glyph is a digit's size, close after the last, with clear space beyond.

    The recogniser can read a number in full and box it short of its last digit (before
    a barcode, say): every digits-only read of the crop then loses that digit.  A digit's
    size, a gap no wider than between digits and clear space after it keep a barcode's
    bars and the next word out.

    The first pass can also read that digit ``read_apart``, as a word of its own after
    the number ("03297' 9"): the crop then holds all the ``characters`` it read, and the
    glyph after is taken in only when it also stands at about the digits' own pitch from
    the last (a word space, or a rivet head set beside the number, is further).
    """
    glyphs = line_glyphs(rows)
    inside = [glyph for glyph in glyphs if x0 <= glyph[0] + glyph[2] / 2 < x1]
    after = [glyph for glyph in glyphs if glyph[0] + glyph[2] / 2 >= x1]
    boxed_short = len(inside) == characters - 1
    spaced_alike = read_apart and len(inside) == characters
    if not (boxed_short or spaced_alike) or len(inside) < MIN_DIGITS - 1 or not after:
        return x1
    digit_height = float(np.median([height for _, _, _, height in inside]))
    last_end = max(left + width for left, _, width, _ in inside)
    left, _, width, height = after[0]
    digit_sized = _digit_sized(width, height, digit_height)
    close = left - last_end <= _LOST_GLYPH_GAP * digit_height
    if spaced_alike:
        # Digits are set at one pitch (tabular figures); a word space adds about half of one.
        pitch = float(np.median([following[0] - glyph[0]
                                 for glyph, following in pairwise(inside)]))
        close = close and left - inside[-1][0] <= _SAME_PITCH * pitch
    clear_beyond = len(after) == 1 or after[1][0] - (left + width) >= _CLEAR_BEYOND * digit_height
    if digit_sized and close and clear_beyond:
        return min(int(rows.shape[1]), left + width + pad)
    return x1


def _lost_first_glyphs_taken_in(rows: np.ndarray, x0: int, x1: int, *, pad: int) -> int:
    """``x0`` moved left to take in up to two glyphs right before the crop that the first
    pass did not read, when they stand as the digits do (a digit's size, at the digits'
    own pitch) and clear space comes before them.

    On textured metal or a stained sticker, Tesseract can leave a number's first digits
    out of its line altogether ("6815." for 196815, read as the line's only word), and
    every digits-only read of the crop then lacks them.  Only a number that starts its
    line is widened so: wording before a number stands a word space or more away, or is
    read with it.  Glyphs at the digits' pitch with more of them before are part of a
    longer word, and nothing is taken in.
    """
    glyphs = line_glyphs(rows)
    inside = [glyph for glyph in glyphs if x0 <= glyph[0] + glyph[2] / 2 < x1]
    before = [glyph for glyph in glyphs if glyph[0] + glyph[2] / 2 < x0]
    if len(inside) < MIN_DIGITS or not before:
        return x0
    digit_height = float(np.median([height for _, _, _, height in inside]))
    digit_width = float(np.median([width for _, _, width, _ in inside]))
    pitch = float(np.median([following[0] - glyph[0] for glyph, following in pairwise(inside)]))
    start = inside[0][0]
    taken = 0
    for left, _, width, height in reversed(before):
        # Two digits can touch through texture or stain and make one mark.
        count = max(1, round(width / digit_width))
        close = (start - (left + width) <= _LOST_GLYPH_GAP * digit_height
                 and start - left <= count * _SAME_PITCH * pitch)
        if (taken + count > _LOST_FIRST_GLYPHS
                or not (_digit_sized(width, height, digit_height, count) and close)):
            clear_before = start - (left + width) >= _CLEAR_BEYOND * digit_height
            return max(0, start - pad) if taken and clear_before else x0
        taken += count
        start = left
    return max(0, start - pad)


def _digit_sized(width: int, height: int, digit_height: float, count: int = 1) -> bool:
    """Whether a mark ``width`` by ``height`` is the size of ``count`` digits side by side
    on a line of digits ``digit_height`` tall (see :data:`_LOST_GLYPH_HEIGHTS`)."""
    return (_LOST_GLYPH_HEIGHTS[0] * digit_height <= height
            <= _LOST_GLYPH_HEIGHTS[1] * digit_height
            and width <= count * _LOST_GLYPH_WIDTH * digit_height)


def line_glyphs(rows: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The glyphs of the line across the middle of ``rows``, left to right: each mark
    crossing its middle row, as (left, top, width, height), without marks inside another
    mark's box (a zero's dot or slash)."""
    _, ink = cv2.threshold(np.ascontiguousarray(rows), 0, 255,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    middle = rows.shape[0] / 2
    marks = sorted(
        (int(left), int(top), int(width), int(height))
        for left, top, width, height, area in stats[1:]
        if area >= _MIN_GLYPH_AREA and top <= middle <= top + height
    )
    return [mark for mark in marks
            if not any(other != mark and share_covered(mark, other) == 1.0 for other in marks)]


def _cut_glyph_left_out(rows: np.ndarray, x0: int, x1: int, *, reach: int) -> int:
    """``x0`` moved right past the rest of a glyph it cuts through, at most ``reach``
    pixels, to the first column of ``rows`` nearly without ink.

    Read glued to the characters before it ("[S/N224843]"), a number's box is the
    word's share for its digits, and that share's start, padded, can cut through the
    character before the first digit: the N's last stroke left in the crop reads as a
    "1" in every pass.  The glued character belongs to what stands before the number.
    (A number read as a word of its own is left alone: a word's box is loose, and its
    start can cut into the first digit itself.)
    """
    inked = _inked_columns(rows)
    if not inked[x0]:
        return x0
    clear = _first_clear_column(inked, x0 + 1, min(x1 - 1, x0 + reach + 1))
    return x0 if clear is None else clear


def _first_clear_column(inked: np.ndarray, start: int, stop: int) -> int | None:
    """The first column from ``start`` up to ``stop`` without a stroke's worth of ink
    (see :func:`_inked_columns`); ``None`` when ink runs on through all of them."""
    return next((column for column in range(start, stop) if not inked[column]), None)


def _inked_columns(rows: np.ndarray) -> np.ndarray:
    """For each column of ``rows``, whether it crosses a stroke's worth of ink."""
    _, ink = cv2.threshold(np.ascontiguousarray(rows), 0, 1,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked: np.ndarray = ink.sum(axis=0) >= _CUT_INK * rows.shape[0]
    return inked


def _whole_glyphs(rows: np.ndarray, x1: int, *, reach: int) -> int:
    """``x1`` moved right past a glyph it cuts through, at most ``reach`` pixels, to the
    first column of ``rows`` nearly without ink.

    The recogniser's word box can end inside a number's last digit (before a barcode,
    say), and the half of an 8 left in the crop reads as a 1 in every pass.  A cut counts
    when the edge column crosses a stroke's worth of ink (the tip of a flag or a speck of
    noise does not), and ink that runs on further than ``reach`` is left out: a frame or
    a barcode, not a glyph.  (The start is never moved left: serial wording often stands
    right before the first digit, and its last letter taken in reads as a digit.)
    """
    inked = _inked_columns(rows)
    if not inked[x1 - 1]:
        return x1
    clear = _first_clear_column(inked, x1, min(inked.size, x1 + reach + 1))
    return x1 if clear is None else clear + 1
