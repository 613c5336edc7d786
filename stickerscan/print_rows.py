"""Rows of printed characters in a crop, found by their shapes alone, without OCR.

The quick check before a full read (:mod:`stickerscan.prefilter`) asks Tesseract only
about the lines of a candidate region that look like print: a row of marks of one height,
standing on one line, side by side (or two, exactly level, one a run of characters).  The
locator's candidates on photos without a label are mostly wood grain, carpet, cloth, keys
and shadows, whose blobs seldom line up so; reading only the rows skips them, and a row
read on its own is a short line for Tesseract's recogniser, whose time follows the length
of the lines it reads.  The full reader reads no crop that shows no print at all
(:func:`shows_print`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

# A character is at least this share of the crop's nominal text height tall (lower-case
# letters without ascenders are not needed: serials are digits and capitals).
_SHORTEST = 0.5
# ... at most this share of the crop's height (a taller mark is an edge or a shadow) ...
_TALLEST = 0.9
# ... and this narrow or wide for its height: a 1 is narrow; bold or blurred print joins
# neighbours into one mark (a whole six-digit number, in bold condensed print), counted
# as several characters.
_NARROWEST = 0.08
_WIDEST = 6.0
_CHARACTER_WIDTH = 0.6
# Share of a character's box that its ink fills: a solid block (a key, a button) fills
# nearly all of it, a thin outline almost none.
_LEAST_FILL = 0.1
_MOST_FILL = 0.85
# Marks in one row: heights alike within this ratio, tops and bottoms level within this
# share of their height (a numbering stamp sets each digit a little higher or lower),
# gaps at most this share: a digit that thresholding broke into pieces too small to count
# leaves a gap of about one character, and wide-spaced print stays one row.
_ALIKE = 1.25
_LEVEL = 0.3
_WIDEST_GAP = 1.2
# Fewer marks than this are not a row, however wide they are ...
_FEWEST_MARKS = 3
# ... except two marks level and alike within these shares of their height, closer than
# print set by a stamp needs to be: bold print joins a number into one mark and its
# wording into another.
_PAIR_LEVEL = 0.1
_PAIR_ALIKE = 1.1
# Levelling leaves a line up to about this many degrees off level (enhance turns a crop
# only by 1.5 degrees or more, and a short line's tilt is measured roughly): the pair's
# tops and bottoms may differ by as much more as that tilt makes over the distance between
# the two marks' middles.
_PAIR_TILT = 2.0
_PAIR_SLOPE = math.tan(math.radians(_PAIR_TILT))
# One of the two must be as wide as this many characters: a word or a number run
# together, not a round blot.
_PAIR_RUN = 3
# Print half the expected height must make a row this many characters longer.
_SMALL_PRINT_EXTRA = 2
# Dot-matrix print falls apart into dots: the ink is also looked at closed over this
# share of the text height, which joins a pin's dots into its strokes.
_DOT_PITCH = 0.15
# A row of the ink as it is less than this share of the height of the row its joined
# ink makes is of pieces of dotted glyphs, not of the glyphs themselves.
_PIECES = 0.8
# Each row is read with this much of the crop above and below it, and beside it, in row
# heights: beside it stand the words before a number, and the end of a number whose row
# broke off at a digit printed otherwise or smudged.
_ROW_MARGIN = 0.4
_ROW_SIDE = 4.0
# Within the margin, ink this close to the row (in row heights) is kept; a row's own
# characters reach a little beyond the marks that were followed.
_ROW_CLEARANCE = 0.1
_BORDER = 10
# A row is levelled before it is cut out when it runs at least this many degrees off level
# (as a crop is, see stickerscan.enhance) and its span is at least this share of its
# marks' usual height tall: then its tilt takes in other lines' print (see _tilt).
_SMALLEST_TILT = 1.5
_TILTED_SPAN = 1.3
# Rows are also looked for in the crop smoothed (a median, which keeps the print's edges)
# over about this share of the print's height, and at least 3 pixels.
_GRAIN = 0.1


_Span = tuple[int, int, int, int]
"""A row's top, bottom, left and right, in the crop's pixels."""


@dataclass(frozen=True, slots=True)
class _Mark:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def characters(self) -> int:
        """How many characters the mark may hold (touching characters join)."""
        return max(1, round(self.width / (_CHARACTER_WIDTH * self.height)))


@dataclass(frozen=True, slots=True)
class PrintRow:
    """A row of print cut out of a crop (see :func:`print_rows`)."""

    pixels: np.ndarray
    dots_joined: bool
    """Whether the row shows only once the ink is closed over a pin pitch (see
    :func:`_same_row`): dot-matrix print, whose dots a coarse read takes for specks."""


def print_rows(grey: np.ndarray, text_height: float, *, characters: int,
               row_height: int) -> list[PrintRow]:
    """The rows of at least ``characters`` printed characters in ``grey`` (dark print on a
    light background, characters about ``text_height`` pixels tall), each cut out with a
    margin and scaled so its characters are ``row_height`` pixels tall.  Rows that
    lie within one already cut out are not given again."""
    ink, joined = _ink_layers(grey, text_height)
    paper_pixels = grey[ink == 0]
    paper = int(np.median(paper_pixels)) if paper_pixels.size else 255
    lines: list[list[_Mark]] = []
    plain: list[_Span] = []
    # Grain a pixel or two across (brushed metal, sensor noise) can fall below Otsu's
    # level with the print and join its glyphs into blots that are no row; smoothed
    # over it, the print stands as a row again.  Thin print can go the other way, so
    # both are looked at.
    grain = max(3, round(_GRAIN * text_height)) | 1
    smooth_ink, smooth_joined = _ink_layers(cv2.medianBlur(grey, grain), text_height)
    for layer, as_it_is in ((ink, True), (joined, False), (smooth_ink, True),
                            (smooth_joined, False)):
        found = _print_lines(_marks(layer, text_height), characters)
        lines.extend(found)
        if as_it_is:
            plain.extend(_span_of(line) for line in found)
    rows: list[PrintRow] = []
    cuts: list[_Cut] = []
    for line in sorted(lines, key=lambda line: line[0].x - line[-1].right):
        if any(cut.shows(line) for cut in cuts):
            continue
        source, span, turn = _levelled_if_tilted(grey, line, paper)
        cuts.append(_Cut(_cut_box(span), turn))
        as_found = _span_of(line)
        rows.append(PrintRow(_row_pixels(source, span, paper, row_height),
                             not any(_same_row(as_found, other) for other in plain)))
    return rows


@dataclass(frozen=True, slots=True)
class _Cut:
    """Where a row was cut out (see :func:`_cut_box`): in the crop's own pixels, or in
    those of the crop turned by ``turn`` (a 2 x 3 affine matrix) to level the row."""

    box: _Span
    turn: np.ndarray | None

    def shows(self, line: list[_Mark]) -> bool:
        """Whether ``line``'s marks all lie within the cut: the row cut out showed them."""
        top, bottom, left, right = self.box
        if self.turn is None:
            line_top, line_bottom, line_left, line_right = _span_of(line)
            return (top <= line_top and line_bottom <= bottom
                    and left <= line_left and line_right <= right)
        corners = np.array([[x, y, 1.0] for mark in line
                            for x in (mark.x, mark.right) for y in (mark.y, mark.bottom)])
        xs, ys = (corners @ self.turn.T).T
        return bool(xs.min() >= left and xs.max() <= right
                    and ys.min() >= top and ys.max() <= bottom)


def _cut_box(span: _Span) -> _Span:
    """The part of the crop a row spanning ``span`` is cut out with: a margin above and
    below, and room beside it (see :data:`_ROW_MARGIN` and :data:`_ROW_SIDE`)."""
    top, bottom, left, right = span
    height = bottom - top
    margin = round(_ROW_MARGIN * height) + 2
    side = round(_ROW_SIDE * height)
    return (max(0, top - margin), bottom + margin, max(0, left - side), right + side)


def _row_pixels(grey: np.ndarray, span: _Span, paper: int, row_height: int) -> np.ndarray:
    """The row spanning ``span`` cut out of ``grey`` (see :func:`_cut_box`), its margin
    cleared to ``paper`` and scaled so its characters are ``row_height`` pixels tall."""
    top, bottom, _, _ = span
    height = bottom - top
    cut = _cut_box(span)
    strip = grey[cut[0]:cut[1], cut[2]:cut[3]].copy()
    # The margin shows the paper only: print of the rows above and below, cut through,
    # makes Tesseract find words there and misread the row.
    keep = round(_ROW_CLEARANCE * height)
    strip[:max(0, top - keep - cut[0])] = paper
    strip[bottom + keep - cut[0]:] = paper
    zoom = row_height / height
    scaled = cv2.resize(strip, None, fx=zoom, fy=zoom,
                        interpolation=cv2.INTER_AREA if zoom < 1 else cv2.INTER_CUBIC)
    pixels: np.ndarray = cv2.copyMakeBorder(scaled, _BORDER, _BORDER, _BORDER, _BORDER,
                                            cv2.BORDER_REPLICATE)
    return pixels


def _tilt(line: list[_Mark]) -> float:
    """The turn, in degrees counter-clockwise, that brings ``line`` level, when it runs
    tilted enough to matter: at least :data:`_SMALLEST_TILT`, and its span at least
    :data:`_TILTED_SPAN` of its marks' usual height tall; else 0.0.

    The crop is levelled as a whole (see :func:`stickerscan.enhance.level_angle`), but
    an outline fitted askew (a sticker's rounded corners) can leave its print further off
    level than that search turns, and print can be set askew on its sticker.  Cut out
    level, such a row takes in pieces of the lines above and below it, and is scaled by
    its span, far taller than its characters: Tesseract reads neither line.  The tilt
    is measured on the marks' feet, where capitals, small letters and digits stand alike
    (their middles do not), as the median slope between any two of them.
    """
    usual_height = float(np.median([mark.height for mark in line]))
    top, bottom, _, _ = _span_of(line)
    if bottom - top < _TILTED_SPAN * usual_height:
        return 0.0
    slopes = [(later.bottom - earlier.bottom) / (later.x - earlier.x)
              for index, earlier in enumerate(line) for later in line[index + 1:]
              if later.x != earlier.x]
    if not slopes:
        return 0.0
    angle = math.degrees(math.atan(float(np.median(slopes))))
    return angle if abs(angle) >= _SMALLEST_TILT else 0.0


def _levelled_if_tilted(grey: np.ndarray, line: list[_Mark],
                        paper: int) -> tuple[np.ndarray, _Span, np.ndarray | None]:
    """``grey``, ``line``'s span there and no turn, when the line runs level enough (see
    :func:`_tilt`); else ``grey`` turned about the line's middle to level it, on
    ``paper``, the span of its marks there, and the turn (a 2 x 3 affine matrix)."""
    tilt = _tilt(line)
    if not tilt:
        return grey, _span_of(line), None
    middle = (float(np.mean([mark.x + mark.width / 2 for mark in line])),
              float(np.mean([mark.y + mark.height / 2 for mark in line])))
    turn = cv2.getRotationMatrix2D(middle, tilt, 1.0)
    turned: np.ndarray = cv2.warpAffine(grey, turn, (grey.shape[1], grey.shape[0]),
                                        flags=cv2.INTER_LINEAR, borderValue=paper)
    centres = np.array([[mark.x + mark.width / 2, mark.y + mark.height / 2, 1.0]
                        for mark in line]) @ turn.T
    halves = np.array([[mark.width / 2, mark.height / 2] for mark in line])
    low, high = centres - halves, centres + halves
    span = (max(0, round(float(low[:, 1].min()))), round(float(high[:, 1].max())),
            max(0, round(float(low[:, 0].min()))), round(float(high[:, 0].max())))
    return turned, span, turn


def shows_print(grey: np.ndarray, text_height: float, *, characters: int) -> bool:
    """Whether ``grey`` (as for :func:`print_rows`) shows print: a row of ``characters``
    or more characters, or two marks holding as many that stand as level and are as alike
    as printed characters.  Print up to twice as tall as ``text_height`` is looked for at
    half size; print half as tall counts only as a row of ``characters + 2`` or more.

    ``text_height`` is the locator's measurement of some print in the region, which may
    be the label's small print or a heading.  At half size the dots of large dot-matrix
    print close into strokes.  Small print has to make a longer row: grain a few pixels
    across lines up in short rows more often.
    """
    if any(spans for _, spans in _spans_at_two_sizes(grey, text_height, characters)):
        return True
    small = text_height / 2
    return any(_rows(_marks(layer, small), characters + _SMALL_PRINT_EXTRA)
               for layer in _ink_layers(grey, small))


def dot_matrix_row_boxes(grey: np.ndarray, text_height: float, *,
                         characters: int) -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) on ``grey`` (as for :func:`print_rows`) of each row of
    ``characters`` or more that shows only once its dots are joined: with the ink
    closed over a pin pitch, or at half size; not a row, nor part of one, in the ink as
    it is, unless that row is of pieces of glyphs (see :func:`_same_row`).  Dot-matrix
    print looks so; print in strokes is a row as it is."""
    plain: list[_Span] = []
    joined: list[_Span] = []
    for as_it_is, spans in _spans_at_two_sizes(grey, text_height, characters):
        (plain if as_it_is else joined).extend(spans)
    return [(left, top, right - left, bottom - top) for top, bottom, left, right in joined
            if not any(_same_row((top, bottom, left, right), other) for other in plain)]


def _same_row(joined: _Span, plain: _Span) -> bool:
    """Whether a row of the ink as it is, ``plain``, is the row ``joined`` shows once its
    dots are joined: they overlap, and ``plain`` is nearly as tall.  Large dot-matrix
    print's dots touch here and there, into marks that make a row of pieces of its
    glyphs, shorter than the glyphs (see :data:`_PIECES`)."""
    return (_spans_overlap(joined, plain)
            and plain[1] - plain[0] >= _PIECES * (joined[1] - joined[0]))


def _spans_overlap(a: _Span, b: _Span) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _spans_at_two_sizes(grey: np.ndarray, text_height: float,
                        characters: int) -> Iterator[tuple[bool, list[_Span]]]:
    """The rows and level pairs of each ink layer of ``grey`` and of ``grey`` at half
    size (in ``grey``'s pixels), one layer at a time, so a caller can stop at the first;
    each marked whether it is the ink as it is (at full size, not closed)."""
    for zoom in (1.0, 0.5):
        view = grey if zoom == 1 else cv2.resize(grey, None, fx=zoom, fy=zoom,
                                                 interpolation=cv2.INTER_AREA)
        for layer_index, layer in enumerate(_ink_layers(view, text_height)):
            yield zoom == 1 and layer_index == 0, [
                (round(top / zoom), round(bottom / zoom), round(left / zoom),
                 round(right / zoom))
                for top, bottom, left, right in _print_spans(_marks(layer, text_height),
                                                             characters)]


def _ink_layers(grey: np.ndarray, text_height: float) -> tuple[np.ndarray, np.ndarray]:
    """The ink of ``grey`` (1 where dark), and the same closed over a dot-matrix pitch."""
    level = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    ink = (grey <= level).astype(np.uint8)  # Otsu's level is the darker class's top
    pitch = max(3, round(_DOT_PITCH * text_height))
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (pitch, pitch)))
    return ink, joined


def _marks(ink: np.ndarray, text_height: float) -> list[_Mark]:
    """The character-like patches of ink, left to right."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tallest = _TALLEST * ink.shape[0]
    marks = []
    for x, y, width, height, area in stats[1:count].tolist():
        if not _SHORTEST * text_height <= height <= tallest:
            continue
        if not _NARROWEST * height <= width <= _WIDEST * height:
            continue
        if _LEAST_FILL <= area / (width * height) <= _MOST_FILL:
            marks.append(_Mark(x, y, width, height))
    return sorted(marks, key=lambda mark: mark.x)


def _rows(marks: list[_Mark], characters: int) -> list[list[_Mark]]:
    """The marks of each row of ``characters`` or more, followed from each mark to the
    right over the next level mark close enough."""
    rows = []
    for start, first in enumerate(marks):
        row = [first]
        for mark in marks[start + 1:]:
            last = row[-1]
            tallest = max(mark.height, last.height)
            if mark.x - last.right > _WIDEST_GAP * tallest:
                break  # marks are in order of x: those further on are further away
            level = (abs(mark.y - last.y) <= _LEVEL * tallest
                     and abs(mark.bottom - last.bottom) <= _LEVEL * tallest)
            alike = tallest <= _ALIKE * min(mark.height, last.height)
            if level and alike and mark.x >= last.x + last.width / 2:
                row.append(mark)
        if len(row) >= _FEWEST_MARKS and sum(mark.characters for mark in row) >= characters:
            rows.append(row)
    return rows


def _print_spans(marks: list[_Mark], characters: int) -> list[_Span]:
    """(top, bottom, left, right) of each line of print (see :func:`_print_lines`)."""
    return [_span_of(line) for line in _print_lines(marks, characters)]


def _print_lines(marks: list[_Mark], characters: int) -> list[list[_Mark]]:
    """The marks of each row (see :func:`_rows`) and each level pair (see
    :func:`_level_pairs`) of ``characters`` or more: what counts as a line of print."""
    return _rows(marks, characters) + _level_pairs(marks, characters)


def _span_of(line: list[_Mark]) -> _Span:
    """(top, bottom, left, right) of a line's marks, in order of x."""
    return (min(mark.y for mark in line), max(mark.bottom for mark in line),
            line[0].x, line[-1].right)


def _level_pairs(marks: list[_Mark], characters: int) -> list[list[_Mark]]:
    """Each two neighbouring marks holding ``characters`` or more between them, one of
    them a run of characters, that stand as level and are as alike in height as printed
    characters; two blots of grain seldom are."""
    pairs = []
    for start, first in enumerate(marks):
        for mark in marks[start + 1:]:
            tallest = max(mark.height, first.height)
            if mark.x - first.right > _WIDEST_GAP * tallest:
                break  # marks are in order of x: those further on are further away
            level = _PAIR_LEVEL * tallest + _PAIR_SLOPE * (
                mark.x + mark.width / 2 - first.x - first.width / 2)
            if (mark.x >= first.right
                    and abs(mark.y - first.y) <= level
                    and abs(mark.bottom - first.bottom) <= level
                    and tallest <= _PAIR_ALIKE * min(mark.height, first.height)
                    and max(first.characters, mark.characters) >= _PAIR_RUN
                    and first.characters + mark.characters >= characters):
                pairs.append([first, mark])
    return pairs
