"""Digits printed on a 5 x 7 pin grid (dot-matrix printers, label printers' ROM fonts),
read by sampling each character at its pins.

Tesseract reads such print poorly: separate dots as nothing, joined ones as blotchy
strokes, a slashed zero as an 8.  But the print is exact: each character is a 5 x 7
pattern of pins on a lattice, one blank column between characters.  Fitting that lattice
to a number and comparing each character's pins with the digits of the common 5 x 7 ROM
character sets reads it, and says when it cannot: print of any other design does not sit
on the lattice, so no digit fits it closely, and the reading is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

_ROWS, _COLUMNS = 7, 5
_ADVANCE = _COLUMNS + 1  # pin columns from one character to the next
# A dot's width, in pin pitches (dots about touch, and blur spreads them): a character's
# ink is six pitches and a dot tall.
_DOT = 0.8
_PITCHES_TALL = _ROWS - 1 + _DOT

# The digits of the 5 x 7 ROM character sets, one row of pins a number, the leftmost pin
# the highest bit (the form of the character generators' data sheets).  A digit may have
# several designs: the zero plain, slashed or dotted; the one with or without a foot; the
# three flat-topped or round.
_DESIGNS: dict[str, tuple[tuple[int, ...], ...]] = {
    "0": ((0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
          (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
          (0x0E, 0x11, 0x11, 0x15, 0x11, 0x11, 0x0E)),
    "1": ((0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
          (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x04)),
    "2": ((0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),),
    "3": ((0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
          (0x0E, 0x11, 0x01, 0x06, 0x01, 0x11, 0x0E)),
    "4": ((0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),),
    "5": ((0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),),
    "6": ((0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),),
    "7": ((0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),),
    "8": ((0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),),
    "9": ((0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),),
}

# A character is read when its pins differ from the closest digit's design by at most this
# much ink (in pins: a pin half inked counts a half) and from any other digit's by this
# much more.  Measured on the number crops of the development sets (67 dot-matrix
# stickers, 240 others): every reading within both bounds was the number's digits (one a
# digit short, where a crop's edge had faded its last digit), none of the other print
# came within them, and no wrong reading 2 pins' worth clear of its rivals fitted
# within 7 pins.
_WORST_FIT = 5.0
_RIVAL_MARGIN = 2.0
# A lattice whose cells fit their closest digits this badly on average is not print of
# this kind: its cells are not read one by one, each a little off the lattice.
_HOPELESS = 2 * _WORST_FIT
# The lattice's pin columns may be this many times as far apart as its rows (printers
# print 10, 12 or 17 characters to the inch on the same pin head).
_ASPECTS = (0.72, 1.35)
# Pin columns by which a number's ink may fall short of its cells' (a 1 at an end is
# narrower than its cell) or overrun them (emphasised print strikes each column twice,
# half a column apart), and by which the cells may sit off centre on the ink.
_SLACKS = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0)
_SHIFTS = (-0.5, 0.0, 0.5)
# The closest few lattices are then also tried this many pin columns either way.
_NUDGE = 0.25
_NUDGED = 3
# How far the print may lean, in pixels across per pixel down (positive: its tops to the
# right, as italics lean): a crop rectified from an outline that does not quite fit its
# sticker (a cut or peeled corner) keeps part of the camera's perspective as a lean, and
# a lean of 0.2 puts a glyph's top and bottom pins a column and more off an upright
# lattice's.
_LEANS = (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3)
# The share of the characters' measured height the pin rows may span: blur spreads the
# top and bottom rows' dots beyond their pins, and the ink's threshold takes their halo.
_SPANS = (1.0, 0.92)
# Each character's cell is also read this many pins off the lattice, across and down.
_CELL_NUDGES_ACROSS = (-0.25, 0.0, 0.25)
_CELL_NUDGES_DOWN = (-0.2, 0.0, 0.2)
# How much taller than the number's word box its glyphs may be: first, and failing that.
_GLYPH_TALLEST = (1.2, 1.5)
# A row whose ends are this many character heights off level is levelled first, when it
# is at least this many character heights long.
_OFF_LEVEL = 0.08
_LEVELLED_LENGTH = 2
# A 5 x 7 character's width, in character heights.
_GLYPH_WIDTH = 0.7
# The most characters a number read this way may have (a serial number, not a line).
_LONGEST = 14
# Ink at least this far from the number along its row is another word (a space is a
# whole character cell, about seven pin columns).
_WORD_GAP = 2.2
# The shares of a number's pins at which its blank and its printed pins' ink is taken,
# and the least difference between the two that is print.
_BLANK_SHARE, _PRINTED_SHARE = 0.2, 0.9
_LEAST_PIN_CONTRAST = 0.25
# The lightest print read: ink this many grey levels darker than the paper.
_LEAST_CONTRAST = 20
# The shortest print read, in pixels: below it a pin is about a pixel.
_LEAST_HEIGHT = 10


@dataclass(frozen=True, slots=True)
class PinGridReading:
    """A number read from its pins."""

    text: str
    worst_fit: float
    """The most ink, in pins, by which a character differed from its digit's design."""
    closest_rival: float
    """The least ink, in pins, by which another digit's design fitted a character worse."""


@dataclass(frozen=True, slots=True)
class _Row:
    dark: np.ndarray  # the band of the crop around the number, 0 paper to 1 ink, smoothed
    top: float  # ink top of the characters, in band rows
    height: float  # ink height of the characters
    left: int  # the number's ink columns, ends included
    right: int
    slope: float  # rows down per column along the row of print

    @property
    def middle(self) -> float:
        """The characters' middle height, in band rows: the pin rows are spread about it,
        and a leaning lattice turns about it."""
        return self.top + self.height / 2


_TEMPLATES = [
    (digit, np.array([[(row >> (_COLUMNS - 1 - column)) & 1 for column in range(_COLUMNS)]
                      for row in design], np.float32))
    for digit, designs in _DESIGNS.items() for design in designs
]
_TEMPLATE_PINS = np.stack([pins for _, pins in _TEMPLATES])
_TEMPLATE_DIGITS = [digit for digit, _ in _TEMPLATES]
_TEMPLATE_COLUMNS = _TEMPLATE_PINS.reshape(len(_TEMPLATES), -1).T  # (pins, designs)
_TEMPLATE_INK = _TEMPLATE_COLUMNS.sum(axis=0)


def read_pin_grid(
    grey: np.ndarray, box: tuple[int, int, int, int]
) -> PinGridReading | None:
    """The digits of the number whose word box on ``grey`` (dark print on light paper) is
    ``box`` (x, y, width, height), extended along its row to the whole word; ``None``
    unless every character is a 5 x 7 digit beyond doubt."""
    row = _row(grey, box)
    if row is not None and abs(row.slope) * (row.right - row.left) > _OFF_LEVEL * row.height:
        row = _row(_levelled_about(grey, box, row.slope), box)
    if row is None:
        return None
    # The lattice: for each lean, pin-row span and count of characters their cells could
    # make at a plausible spacing of the pin columns, that spacing fills the ink's width
    # (less what the lean adds to it), give or take a pin column or two (a 1 at an end
    # is narrower than its cell, emphasised print a half column wider), the cells
    # centred on the ink or shifted a little.
    pitch = row.height / _PITCHES_TALL
    placings: dict[int, list[_Placing]] = {}
    for lean in _LEANS:
        extent = row.right - row.left + 1 - abs(lean) * (row.height - 1)
        counts = range(max(1, round(extent / (_ADVANCE * _ASPECTS[1] * pitch))),
                       round(extent / (_ADVANCE * _ASPECTS[0] * pitch)) + 1)
        for count in counts:
            for slack in _SLACKS:
                spacing = extent / (count * _ADVANCE - 1 + slack)
                if _ASPECTS[0] <= spacing / pitch <= _ASPECTS[1]:
                    placings.setdefault(count, []).extend(
                        _Placing(spacing, shift, lean, span)
                        for shift in _SHIFTS for span in _SPANS)
    if not placings or min(placings) > _LONGEST:
        return None
    # The closest few are then nudged a quarter column.
    coarse = sorted((found for count, placed in placings.items()
                     for found in _lattices(row, count, placed)), key=_cost)[:_NUDGED]
    nudged = [found for lattice in coarse
              for found in _lattices(row, lattice.count, [
                  replace(lattice.placing, shift=lattice.placing.shift + nudge)
                  for nudge in (-_NUDGE, _NUDGE)])]
    best = min([*coarse[:1], *nudged], key=_cost, default=None)
    if best is None or best.cost > _HOPELESS:
        return None
    text, fits, rivals = "", [], []
    for index in range(best.count):
        digit, fit, rival = _character(row, best, index)
        if fit > _WORST_FIT or rival - fit < _RIVAL_MARGIN:
            return None
        text += digit
        fits.append(fit)
        rivals.append(rival - fit)
    return PinGridReading(text=text, worst_fit=max(fits), closest_rival=min(rivals))


@dataclass(frozen=True, slots=True)
class _Placing:
    """Where a lattice's pins go on a number's print."""

    spacing: float  # pixels from one pin column to the next
    shift: float  # pin columns from the place that centres the cells on the ink
    lean: float  # pixels across per pixel down, as _LEANS
    span: float  # the share of the characters' measured height the pin rows span


@dataclass(frozen=True, slots=True)
class _Lattice:
    """Character cells laid over a number's print."""

    cost: float  # the mean misfit of its cells' closest digits
    placing: _Placing
    start: float  # the first cell's left edge, in band columns, at the characters' middle
    count: int
    levels: tuple[float, float]


def _cost(lattice: _Lattice) -> float:
    return lattice.cost


def _pin_rows(row: _Row, spans: np.ndarray) -> np.ndarray:
    """The middles of the pin rows, in band rows, spanning each share of ``spans`` of the
    characters' height about its middle: (spans, 7)."""
    pitches = spans[:, None] * row.height / _PITCHES_TALL
    centred: np.ndarray = row.middle + pitches * (np.arange(_ROWS)[None, :] - (_ROWS - 1) / 2)
    return centred


def _lattices(row: _Row, count: int, placings: list[_Placing]) -> list[_Lattice]:
    """For each of ``placings``: ``count`` character cells so placed on the number's
    print, and how well the digits fit them (placings on no print left out)."""
    spacings = np.array([placing.spacing for placing in placings], np.float32)
    shifts = np.array([placing.shift for placing in placings], np.float32)
    middle = (row.left + row.right + 1) / 2
    starts = middle - (count * _ADVANCE - 1) * spacings / 2 + shifts * spacings
    pins = _pins(row, _pin_rows(row, np.array([placing.span for placing in placings])),
                 spacings, starts, np.array([placing.lean for placing in placings]), count)
    levels = _levels(pins)
    blank, printed = levels[:, :, None, None, None]
    misfits = _misfits(_levelled(pins, (blank, printed)).reshape(-1, _ROWS, _COLUMNS))
    costs = misfits.min(axis=1).reshape(len(placings), count).mean(axis=1)
    printed_on = np.flatnonzero(levels[1] - levels[0] >= _LEAST_PIN_CONTRAST)
    return [
        _Lattice(float(costs[index]), placings[index], float(starts[index]), count,
                 (float(levels[0, index]), float(levels[1, index])))
        for index in printed_on[np.argsort(costs[printed_on], kind="stable")][:_NUDGED]
    ]


def _row(grey: np.ndarray, box: tuple[int, int, int, int]) -> _Row | None:
    """The band of ``grey`` holding the number in ``box``, with its characters' height
    and the ends of its word."""
    x, y, width, height = box
    if width <= 0 or height <= 0:
        return None
    reach = int(0.35 * height) + 2  # the box may cut the print's top or bottom short
    y0, y1 = max(0, y - reach), min(grey.shape[0], y + height + reach)
    band = np.ascontiguousarray(grey[y0:y1])
    _, ink = cv2.threshold(band, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Every 5 x 7 digit spans all seven pin rows, so the characters' top and bottom are
    # those of its glyphs, each glyph's dots joined into one patch (a closing a little
    # wider than a pin's pitch joins even diagonal neighbours).
    size = max(1, round(0.16 * height))
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    _, patches, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    beside = [(patch, top, patch_height)
              for patch, (left, top, patch_width, patch_height, _) in enumerate(stats)
              if patch and y <= y0 + top + patch_height / 2 <= y + height
              and left + patch_width > x and left < x + width]
    # Glyphs about the box's height; only when there are none, taller ones (the box held
    # part of the number, read as something shorter).  A line close above or below can
    # join some glyphs into taller patches.
    for tallest in _GLYPH_TALLEST:
        glyphs = [(patch, top, top + patch_height - 1) for patch, top, patch_height in beside
                  if 0.45 * height <= patch_height <= tallest * height]
        if glyphs:
            break
    else:
        return None
    # A glyph whose dots the closing left in pieces (the diagonal of a 7) is shorter.
    tallest = max(bottom - top for _, top, bottom in glyphs)
    whole = [(patch, top, bottom) for patch, top, bottom in glyphs
             if bottom - top >= 0.85 * tallest]
    top = int(np.median([top for _, top, _ in whole]))
    bottom = int(np.median([bottom for _, _, bottom in whole]))
    slope = _slope(np.isin(patches, [patch for patch, _, _ in whole]), height)
    text_height = bottom - top + 1
    if text_height < _LEAST_HEIGHT:
        return None
    inked: np.ndarray = np.any(ink[top:bottom + 1], axis=0)
    left, right = _word_ends(inked, max(0, x), min(grey.shape[1], x + width) - 1,
                             _WORD_GAP * text_height / _PITCHES_TALL)
    if left is None or right is None:
        return None
    characters = band[top:bottom + 1, left:right + 1]
    print_ink = ink[top:bottom + 1, left:right + 1].astype(bool)
    if print_ink.sum() < 10 or (~print_ink).sum() < 10:
        return None
    ink_grey = float(np.median(characters[print_ink]))
    paper = float(np.median(characters[~print_ink]))
    if paper - ink_grey < _LEAST_CONTRAST:
        return None
    dark = np.clip((paper - band.astype(np.float32)) / (paper - ink_grey), 0, 1)
    # A pin's value is the ink around its centre, not at one pixel of it.
    spread = 2 * max(1, round(0.22 * text_height / _PITCHES_TALL)) + 1
    return _Row(dark=cv2.blur(dark, (spread, spread)), top=float(top),
                height=float(text_height), left=left, right=right, slope=slope)


def _slope(glyphs: np.ndarray, height: int) -> float:
    """Rows down per column along a row of print whose glyphs are the mask ``glyphs``;
    0 for print too short to tell.

    The crop is levelled, but not exactly: a row a degree or two off level puts its ends'
    pins a pitch above or below the lattice's rows.  Every 5 x 7 digit reaches the top
    and the bottom pin row, so the highest and lowest ink of each stretch about a glyph
    wide follow the row's slope.
    """
    columns = np.flatnonzero(glyphs.any(axis=0))
    if columns.size == 0 or np.ptp(columns) < _LEVELLED_LENGTH * height:
        return 0.0
    stretch = max(2, round(_GLYPH_WIDTH * height))
    middles, levels = [], []
    for start in range(int(columns[0]), int(columns[-1]) + 1 - stretch, max(1, stretch // 2)):
        rows = np.flatnonzero(glyphs[:, start:start + stretch].any(axis=1))
        if rows.size:
            middles.append(start + stretch / 2)
            levels.append((rows[0] + rows[-1]) / 2)
    if len(middles) < 3:
        return 0.0
    return float(np.polyfit(middles, levels, 1)[0])


def _levelled_about(
    grey: np.ndarray, box: tuple[int, int, int, int], slope: float
) -> np.ndarray:
    """``grey`` sheared so that a row of print falling ``slope`` rows a column runs level,
    the middle of ``box`` staying where it is."""
    x, _, width, _ = box
    shear = np.array([[1, 0, 0], [slope, 1, -slope * (x + width / 2)]], np.float32)
    levelled: np.ndarray = cv2.warpAffine(
        grey, shear, (grey.shape[1], grey.shape[0]),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
    return levelled


def _word_ends(
    inked: np.ndarray, left: int, right: int, gap: float
) -> tuple[int | None, int | None]:
    """The first and last inked columns of the word holding columns ``left``..``right``:
    ink less than ``gap`` columns away belongs to it; ``None`` for a word that runs to
    the crop's edge."""
    reach = max(1, int(gap))
    while True:
        before = np.flatnonzero(inked[max(0, left - reach):left])
        if before.size == 0:
            break
        left = max(0, left - reach) + int(before[0])
    while True:
        after = np.flatnonzero(inked[right + 1:right + 1 + reach])
        if after.size == 0:
            break
        right = right + 1 + int(after[-1])
    within = np.flatnonzero(inked[left:right + 1])
    if within.size == 0:
        return None, None
    first, last = left + int(within[0]), left + int(within[-1])
    if first == 0 or last == inked.size - 1:
        return None, None  # the crop's edge may cut a character off
    return first, last


def _pins(
    row: _Row, row_ys: np.ndarray, spacings: np.ndarray, starts: np.ndarray,
    leans: np.ndarray, count: int,
) -> np.ndarray:
    """The ink at every pin of ``count`` character cells of ``row``, for each of several
    lattices: pin rows at ``row_ys`` (lattices, 7), pin columns ``spacings`` apart
    (lattices,), the first cell from ``starts`` at the characters' middle height, each
    row of pins ``leans`` pixels to the left for each pixel down (lattices,).
    (lattices, count, 7, 5)."""
    lattices = len(starts)
    xs = starts[:, None, None] + (
        _ADVANCE * np.arange(count)[None, :, None] + np.arange(_COLUMNS)[None, None, :] + 0.5
    ) * spacings[:, None, None]
    shape = (lattices, count, _ROWS, _COLUMNS)
    leaned = leans[:, None] * (row.middle - row_ys)  # (lattices, 7)
    map_x = xs[:, :, None, :] + leaned[:, None, :, None]
    map_y = np.broadcast_to(row_ys[:, None, :, None], shape)
    # One map row a cell (remap takes maps of fewer than 32,767 rows).
    sampled = cv2.remap(
        row.dark,
        np.ascontiguousarray(map_x.reshape(-1, _ROWS * _COLUMNS), np.float32),
        np.ascontiguousarray(map_y.reshape(-1, _ROWS * _COLUMNS), np.float32),
        cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0,
    )
    pins: np.ndarray = sampled.reshape(shape)
    return pins


def _levels(pins: np.ndarray) -> np.ndarray:
    """The ink of a blank pin and of a printed one in each lattice's print: most pins are
    blank, about two in five printed, and small or blurred dots fill their pin's place
    only in part.  (2, lattices): blank, printed."""
    ordered = np.sort(pins.reshape(len(pins), -1), axis=1)
    last = ordered.shape[1] - 1
    found: np.ndarray = ordered[:, [int(_BLANK_SHARE * last), int(_PRINTED_SHARE * last)]].T
    return found


def _levelled(
    pins: np.ndarray, levels: tuple[float, float] | tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """``pins`` from 0 at the blank level to 1 at the printed one (levels may be arrays
    that broadcast over ``pins``)."""
    blank, printed = levels
    spread = np.maximum(np.subtract(printed, blank), 1e-6)
    levelled: np.ndarray = np.clip((pins - blank) / spread, 0.0, 1.0)
    return levelled


def _misfits(pins: np.ndarray) -> np.ndarray:
    """How much ink each cell's pins differ from each design by: (cells, designs).

    A design's pins are 0 or 1 and a cell's levelled pins lie between, so each pin's
    difference |p - t| is p + t - 2pt: the sums of the two and one product of matrices
    (summed by einsum, not BLAS, whose threads would compete with the OCR's).
    """
    cells = pins.reshape(len(pins), -1)
    misfit: np.ndarray = (cells.sum(axis=1)[:, None] + _TEMPLATE_INK[None]
                          - 2 * np.einsum("cp,pd->cd", cells, _TEMPLATE_COLUMNS))
    return misfit


def _character(row: _Row, lattice: _Lattice, index: int) -> tuple[str, float, float]:
    """The digit whose design fits the ``index``-th cell of ``lattice`` best, nudged by up
    to a quarter pin each way (paper stretches, print wanders); its misfit and the best
    other digit's there."""
    placing = lattice.placing
    start = lattice.start + index * _ADVANCE * placing.spacing
    pin_rows = _pin_rows(row, np.array([placing.span]))[0]
    pitch = pin_rows[1] - pin_rows[0]
    nudges = [(nudge_x * placing.spacing, nudge_y * pitch)
              for nudge_x in _CELL_NUDGES_ACROSS for nudge_y in _CELL_NUDGES_DOWN]
    pins = _pins(row, np.array([pin_rows + nudge_y for _, nudge_y in nudges]),
                 np.full(len(nudges), placing.spacing),
                 np.array([start + nudge_x for nudge_x, _ in nudges]),
                 np.full(len(nudges), placing.lean), 1)
    levels = lattice.levels
    misfits = _misfits(_levelled(pins[:, 0], levels))
    closest = np.unravel_index(int(np.argmin(misfits)), misfits.shape)
    nudge, design = int(closest[0]), int(closest[1])
    digit = _TEMPLATE_DIGITS[design]
    rival = min(float(misfit) for misfit, other in zip(misfits[nudge], _TEMPLATE_DIGITS,
                                                       strict=True) if other != digit)
    return digit, float(misfits[nudge, design]), rival
