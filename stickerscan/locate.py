"""Stage 2: find the regions of a photo that may be the serial label.

The locator looks for *text* first and for the sticker's edge second, because text is what
every serial label has in common: a black sticker on a black panel has no visible edge, a
foil sticker has no colour of its own, but each carries a row of evenly spaced characters of
one height.  Character-like blobs are found by local thresholding in both polarities,
chained into lines, and lines into blocks; each block then looks for a uniform patch around
it with a four-cornered outline (the sticker or plate), which gives the perspective.

Every region is returned with its four corners in the original photo's pixel coordinates,
ranked by how much it looks like a serial label.  Nothing found is an empty result.
"""

from __future__ import annotations

import logging
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import cv2
import numpy as np

from stickerscan.load import LoadedImage
from stickerscan.options import ScanOptions

log = logging.getLogger(__name__)

Polarity = Literal["dark-on-light", "light-on-dark"]
Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]

# Character geometry, as fractions of a character's own height, for Latin capitals and
# digits in the label fonts seen on equipment (and with room for blur joining neighbours).
_MAX_WIDTH_PER_HEIGHT = 2.2
_MIN_FILL, _MAX_FILL = 0.10, 0.95
# Characters run together fill at most this share of their box; solid bars fill more.
# Print blurred so much that its letters' gaps and hollows close fills more too: the
# finer search, made only when nothing else read, takes such runs up to the second share.
_JOINED_FILL, _BLURRED_JOINED_FILL = 0.75, 0.9
_MIN_CHAR_HEIGHT_PX = 6  # below this, at the locator's working size, nothing is legible
_MAX_HEIGHT_RATIO = 1.6  # neighbours in one line differ less than this in height
# Lines stacked on one label differ less than this in height (labels often set the number
# larger than the words above it).
_MAX_BLOCK_HEIGHT_RATIO = 2.2
_MAX_GAP_PER_HEIGHT = 0.9  # space between neighbours in one line, words included
_MAX_SLOPE = 0.65  # |dy/dx| between neighbours: about 33 degrees, covers tilt and rotation
# The rise from one neighbour's centre to the next's, in the taller one's heights:
# characters of one line tilted 20 degrees with a word space between them rise about 0.6;
# a character of the line below, a whole height or more.
_MAX_RISE = 0.8
# When neighbours are ranked, this share of the rise between them is added to their gap.
_OFF_LINE = 0.5
# A chain that does not fit one line is tried again without up to this many end blobs.
_ENDS_DROPPED = 2
# What _separation gives for smooth texture or noise (2/pi for a normal spread); print
# scores higher, blurred print only a little.
_TEXTURE_SEPARATION = 0.64
# Bridges this thin, in character heights, between a sticker's patch and other patches of
# its shade are cut before the patch is filled.
_BRIDGE_PER_HEIGHT = 0.35
# A sticker or plate is at most this many times the area of the text found on it.
_MAX_OUTLINE_PER_TEXT = 8.0
# A sticker's patch that runs past the first look around its text (pad of the text
# block's longer side or 3.5 character heights) is looked for again this many times
# further out.
_WIDER_LOOK = 2
# The space left around a text block's characters in its box, in character heights.
_BOX_MARGIN = 0.6
# Printed text keeps at least this far (in character heights) inside its sticker's edge;
# an outline that runs closer, or through the text, is pushed out to this.
_TEXT_INSET = 0.25
# At most this many regions from the look at half the working size are added, the best
# first: each costs a read on every photo no region settles.
_COARSER_ADDED = 2
# The look for dot-matrix print with its dots joined takes this many of its best text
# blocks, and gives at most this many regions.
_DOTTED_LOOKED = 3
_DOTTED_ADDED = 1
# The look for dark print against its paper's shade: the closing that fills print
# strokes is this many working pixels wide at least (a 130th of the long side), and the
# opening that then takes away light print closed into bars this many times that; print
# must be darker than the paper by this margin (the closing lifts grain and noise to the
# lightest shade near them too).  Its best blocks are looked at, as many as the first
# look's, and the first region of a sticker whose outline was found is added.
_PAPER_CLOSING = 15
_PAPER_OPENING = 1.7
_PAPER_OFFSET = 12
_PAPER_ADDED = 1
# Dots a pixel or two apart at half the working size join over this.
_DOT_JOIN = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
# Two regions whose boxes overlap this much (intersection over union) cover one place.
_SAME_PLACE = 0.7
# Most of a region: this share of its box.
_MOSTLY_WITHIN = 0.5
# Four corners fitted to a sticker's patch count when the smaller of the two (quad or
# patch) covers this share of the larger.
_MIN_OUTLINE_MATCH = 0.85
# A patch whose four points cut a piece off it is taken for a rectangle (seen nearly
# square on) when it fills this share of the smallest rectangle around it.
_RECTANGULAR = 0.95
# Failing both, the quadrilateral of its four longest sides (a rounded corner is short
# sides between long ones; its hull simplified to this share of its perimeter) counts when
# it and the hull cover each other to this share.
_SIDE_DETAIL = 0.01
_SIDES_MATCH = 0.93
# The four sides make at least this share of the hull's perimeter: the rest are its
# rounded corners.
_SIDES_SHARE = 0.8
# And each two opposite sides run within this many degrees of each other: a rectangle's
# do, seen in perspective up to about 25 degrees.
_SIDES_SKEW = 25.0


@dataclass(frozen=True, slots=True)
class LabelRegion:
    """A candidate serial label."""

    quad: Quad
    """Corners (x, y) in the original photo's pixels: top-left, top-right, bottom-right,
    bottom-left as the text reads when the photo is right way up (it may be upside down)."""
    text_quad: Quad
    """Corners of the text block alone, same order and coordinates as ``quad`` (inside it
    when an outline was found, equal to it otherwise)."""
    score: float
    """Ranking score; higher looks more like a serial label.  Not a probability."""
    text_height: float
    """Typical character height, in the original photo's pixels."""
    polarity: Polarity
    """Whether the text is darker or lighter than its background."""
    outlined: bool
    """True when a sticker or plate outline was found (perspective taken from it); False
    when the region is the text block's own rotated rectangle."""
    line_count: int
    """Number of text lines in the region."""
    longest_line: int
    """Characters in the region's longest line."""
    surroundings: bool = False
    """True for a look around an earlier candidate's text (see :func:`surroundings_of`):
    ``quad`` is then that text block widened on every side, not a sticker outline."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "quad": [[round(x, 1), round(y, 1)] for x, y in self.quad],
            "text_quad": [[round(x, 1), round(y, 1)] for x, y in self.text_quad],
            "score": round(self.score, 3),
            "text_height": round(self.text_height, 1),
            "polarity": self.polarity,
            "outlined": self.outlined,
            "line_count": self.line_count,
            "longest_line": self.longest_line,
            "surroundings": self.surroundings,
        }


@dataclass(frozen=True, slots=True)
class LocatedLabels:
    """The locator's answer for one photo: candidate regions, best first."""

    regions: tuple[LabelRegion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"regions": [region.to_dict() for region in self.regions]}


@dataclass(frozen=True, slots=True)
class _Blob:
    """A character, or several characters that blur has joined."""

    cx: float
    cy: float
    height: float  # character height
    half_width: float  # half the extent along ``direction``
    direction: tuple[float, float]  # unit vector along the text; (1, 0) for single characters
    chars: int  # estimated number of characters

    @property
    def centre(self) -> tuple[float, float]:
        return (self.cx, self.cy)

    def reach(self, ux: float, uy: float) -> float:
        """Half the blob's extent along the unit vector (ux, uy)."""
        dx, dy = self.direction
        along = abs(ux * dx + uy * dy)
        return self.half_width * along + 0.5 * self.height * math.sqrt(max(0.0, 1 - along**2))


@dataclass(frozen=True, slots=True)
class _Line:
    blobs: tuple[_Blob, ...]
    angle: float  # radians, of the reading direction in image coordinates, in (-pi/2, pi/2]
    height: float  # median blob height
    centre: tuple[float, float]
    chars: int  # estimated number of characters


def locate_labels(
    image: LoadedImage, options: ScanOptions, *, blurred_runs: bool = False
) -> LocatedLabels:
    """Find and rank candidate serial-label regions in ``image``; with ``blurred_runs``,
    also where characters run together so much they fill their box (see
    ``_BLURRED_JOINED_FILL``)."""
    grey, factor = _working_grey(image.pixels, options.locate_long_side)
    joined_fill = _BLURRED_JOINED_FILL if blurred_runs else _JOINED_FILL
    found = _drop_overlaps(
        _regions_at(grey, 1.0 / (factor * image.scale), 3 * options.max_candidates,
                    joined_fill=joined_fill))
    # At half the working size the same print falls into blocks differently: a label's
    # lines that the working size joined to print nearby stand on their own, and a large
    # line's characters are measured whole.  What that finds where the working size found
    # nothing is added; it never displaces what the working size found.
    half = _half_size(grey)
    larger = _drop_overlaps(
        _regions_at(half, 2.0 / (factor * image.scale), options.max_candidates, found,
                    joined_fill=joined_fill))
    ranked = sorted(found + new_places(larger, found)[:_COARSER_ADDED],
                    key=lambda region: region.score, reverse=True)
    log.debug("%s: %d candidate regions", image.source, len(ranked))
    return LocatedLabels(regions=tuple(ranked))


def dotted_print_regions(
    image: LoadedImage, options: ScanOptions, read: Sequence[LabelRegion]
) -> list[LabelRegion]:
    """Regions of large dot-matrix print at places none of ``read`` covers.

    Such print falls apart into dots at the working size and at half of it, each dot too
    small for a character, so neither look of :func:`locate_labels` finds it as text
    (at most a sticker's frame, measured as text that tall).  At half size, with each
    mask closed over a pixel, the dots join into strokes.  Closing also runs neighbouring
    characters and grain together, so this is a further look, for photos nothing else was
    read on, not part of the first.
    """
    grey, factor = _working_grey(image.pixels, options.locate_long_side)
    half = _half_size(grey)
    dotted = _drop_overlaps(
        _regions_at(half, 2.0 / (factor * image.scale), _DOTTED_LOOKED, read, join_dots=True))
    return new_places(dotted, read)[:_DOTTED_ADDED]


def paper_print_regions(
    image: LoadedImage, options: ScanOptions, read: Sequence[LabelRegion]
) -> list[LabelRegion]:
    """A region of dark print on a light sticker at a place none of ``read`` covers, found
    against the sticker's own shade (at most one, and only where the sticker's outline
    was found), at the finer search's largest size (none without a finer search).

    The ink masks compare each pixel with the mean of a square round it.  On a small light
    sticker on a dark panel that square takes in much of the panel, the mean falls
    towards the print's shade, and thin or faint print (grey type, blurred) leaves only
    fragments.  Here print is measured against the paper (see :func:`_print_on_paper`).
    """
    if not options.finer_locate_long_sides:
        return []
    grey, factor = _working_grey(image.pixels, max(options.finer_locate_long_sides))
    found = _drop_overlaps(
        _regions_at(grey, 1.0 / (factor * image.scale), 3 * options.max_candidates, read,
                    joined_fill=_BLURRED_JOINED_FILL, ink=_print_on_paper))
    return [region for region in new_places(found, read) if region.outlined][:_PAPER_ADDED]


def _half_size(grey: np.ndarray) -> np.ndarray:
    return cv2.resize(grey, (grey.shape[1] // 2, grey.shape[0] // 2), interpolation=cv2.INTER_AREA)


def _regions_at(
    grey: np.ndarray, to_original: float, blocks_at_most: int,
    found: Sequence[LabelRegion] = (), *, join_dots: bool = False,
    joined_fill: float = _JOINED_FILL,
    ink: Callable[[np.ndarray], dict[Polarity, np.ndarray]] | None = None,
) -> list[LabelRegion]:
    """The regions of the best ``blocks_at_most`` text blocks on ``grey`` (a working
    image ``1 / to_original`` times the original's size), leaving out blocks where
    regions were ``found`` already; print is found by ``ink`` (by default
    :func:`_ink_masks`)."""
    blocks: list[tuple[list[_Line], Polarity]] = []
    for polarity, mask in (ink or _ink_masks)(grey).items():
        if join_dots:
            mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _DOT_JOIN)
        lines = _chain_lines(_character_blobs(mask, joined_fill))
        blocks += [(block, polarity) for block in _group_blocks(lines)]
    shaped = [(_shape(grey, block), block, polarity) for block, polarity in blocks]
    shaped = [item for item in shaped
              if _new_place(_scaled(item[0].box, to_original), found)]
    # Looking for a sticker outline costs more than finding text: only the blocks that
    # could be read at all are worth it.
    shaped.sort(key=lambda item: _score(item[1], outlined=False, separation=item[0].separation),
                reverse=True)
    return [
        _region_for_block(grey, block, shape, polarity, to_original)
        for shape, block, polarity in shaped[:blocks_at_most]
    ]


def surroundings_of(region: LabelRegion, *, along: float, across: float) -> LabelRegion:
    """``region``'s text block widened by ``along`` character heights on both ends of its
    lines and ``across`` heights above and below.

    Serial wording can sit apart from its number: further along the line than the gap
    between words the locator bridges, on the line above, or in another shade (a black
    sticker's white number on a silver plate's dark "SERIAL No.").  Both ends and both
    sides are taken because an upside-down label reads the other way.
    """
    corners = np.array(region.text_quad, dtype=np.float64)
    top_left, top_right, _, bottom_left = corners
    unit_along = (top_right - top_left) / max(float(np.linalg.norm(top_right - top_left)), 1e-6)
    unit_across = (bottom_left - top_left) / max(
        float(np.linalg.norm(bottom_left - top_left)), 1e-6
    )
    reach_along = unit_along * along * region.text_height
    reach_across = unit_across * across * region.text_height
    signs = ((-1, -1), (1, -1), (1, 1), (-1, 1))  # along, across for each corner in order
    widened = np.array([
        corner + sign_along * reach_along + sign_across * reach_across
        for corner, (sign_along, sign_across) in zip(corners, signs, strict=True)
    ])
    return replace(
        region, quad=_scaled(widened, 1.0), outlined=False, surroundings=True
    )


def _working_grey(pixels: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    grey = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    longest = max(grey.shape)
    factor = min(1.0, long_side / longest)
    if factor < 1.0:
        size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(grey, (3, 3), 0), factor


def _ink_masks(grey: np.ndarray) -> dict[Polarity, np.ndarray]:
    """Pixels darker, and pixels lighter, than their neighbourhood's mean by a margin.

    This is OpenCV's mean adaptive threshold in both polarities (``THRESH_BINARY_INV`` with
    offset 6, ``THRESH_BINARY`` with offset -6), sharing the one local mean they both take.
    """
    block = _odd(max(15, max(grey.shape) // 40))
    # Small offset: foil and engraved plates have little contrast; the shape tests below
    # (not the threshold) are what reject texture.
    offset = 6
    mean = cv2.boxFilter(grey, -1, (block, block), normalize=True,
                         borderType=cv2.BORDER_REPLICATE | cv2.BORDER_ISOLATED)
    # Saturating subtraction: a pixel on the wrong side of the mean gives 0.
    darker = cv2.threshold(cv2.subtract(mean, grey), offset - 1, 255, cv2.THRESH_BINARY)[1]
    lighter = cv2.threshold(cv2.subtract(grey, mean), offset, 255, cv2.THRESH_BINARY)[1]
    return {"dark-on-light": darker, "light-on-dark": lighter}


def _print_on_paper(grey: np.ndarray) -> dict[Polarity, np.ndarray]:
    """Pixels darker by a margin than the paper they stand on.

    The paper's shade is the lightest within a few pixels (a closing fills each stroke of
    print with the paper round it), where that light area is wider than a line of small
    print: a panel's light legend, which the closing turns into a light bar one line
    tall, is opened away again to the panel's shade, so that the gaps between its
    letters are not taken for dark print.
    """
    side = _odd(max(_PAPER_CLOSING, max(grey.shape) // 130))
    closed = cv2.morphologyEx(grey, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    wide = _odd(round(_PAPER_OPENING * side))
    paper = cv2.morphologyEx(closed, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (wide, wide)))
    darker = cv2.threshold(cv2.subtract(paper, grey), _PAPER_OFFSET, 255, cv2.THRESH_BINARY)
    return {"dark-on-light": darker[1]}


def _character_blobs(mask: np.ndarray, joined_fill: float = _JOINED_FILL) -> list[_Blob]:
    """Connected components of ``mask`` that have the size and shape of printed characters
    (characters run together: filling at most ``joined_fill`` of their box)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    x, y, w, h, area = (stats[1:, i].astype(np.int64) for i in range(5))
    max_height = 0.2 * min(mask.shape)
    fill = area / np.maximum(w * h, 1)
    inside = (x > 0) & (y > 0) & (x + w < mask.shape[1]) & (y + h < mask.shape[0])
    plausible = (
        inside
        & (np.minimum(w, h) >= 2)
        & (np.maximum(w, h) >= _MIN_CHAR_HEIGHT_PX)
        & (fill >= _MIN_FILL)
        & (fill <= _MAX_FILL)
    )
    single = plausible & (h >= _MIN_CHAR_HEIGHT_PX) & (h <= max_height) & (
        w <= _MAX_WIDTH_PER_HEIGHT * h
    )
    blobs = [
        _Blob(cx, cy, height, half_width, (1.0, 0.0), 1)
        for cx, cy, height, half_width in zip(
            (x[single] + w[single] / 2).tolist(), (y[single] + h[single] / 2).tolist(),
            h[single].astype(np.float64).tolist(), (w[single] / 2.0).tolist(), strict=True,
        )
    ]
    # Joined characters (blur, tight spacing) and rotated words: measure them along their
    # own axis.  Solid bars are too full to be text.
    joined = plausible & ~single & (fill <= joined_fill) & (np.maximum(w, h) <= 12 * max_height)
    candidates = np.flatnonzero(joined)[:2000]
    # Most of them are thin strokes.  The rotated rectangle's short side is at most
    # sqrt(2) times the upright box's short side (less one pixel: the rectangle runs through
    # the pixels' centres), so when that cannot reach a character's height the component
    # is dropped before its outline is traced.
    thick_enough = math.sqrt(2) * (np.minimum(w, h)[candidates] - 1) >= _MIN_CHAR_HEIGHT_PX
    for i in candidates[thick_enough].tolist():
        left, top, width, tall = int(x[i]), int(y[i]), int(w[i]), int(h[i])
        # The comparison's booleans viewed as 0/1 bytes: findContours needs no copy.
        member = (labels[top: top + tall, left: left + width] == i + 1).view(np.uint8)
        contours, _ = cv2.findContours(member, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        (cx, cy), (side_a, side_b), angle = cv2.minAreaRect(max(contours, key=len))
        cx, cy = cx + float(left), cy + float(top)
        length, thickness = max(side_a, side_b), min(side_a, side_b)
        if not (_MIN_CHAR_HEIGHT_PX <= thickness <= max_height) or length < 1.5 * thickness:
            continue
        theta = math.radians(angle if side_a >= side_b else angle + 90)
        ux, uy = math.cos(theta), math.sin(theta)
        if ux < 0:
            ux, uy = -ux, -uy
        if abs(uy) > _MAX_SLOPE * abs(ux):
            continue
        blobs.append(_Blob(float(cx), float(cy), float(thickness), length / 2.0, (ux, uy),
                           max(2, round(length / (0.7 * thickness)))))
    return blobs[:20_000]


def _chain_lines(blobs: list[_Blob]) -> list[_Line]:
    """Join neighbouring blobs of one height, side by side, into text lines.

    Each blob is linked to its nearest fitting neighbour on the right only when that
    neighbour also finds it the nearest on its left.  Mutual links make chains, never
    trees, so one stray blob between two texts cannot fuse them into one false line.
    """
    if not blobs:
        return []
    right: dict[int, tuple[float, int]] = {}
    left: dict[int, tuple[float, int]] = {}
    # Equal gaps go to the pair met first, so the pairs come in the grid search's order.
    for index, other in _neighbour_candidates(blobs):
        blob = blobs[index]
        gap = _gap(blob, blobs[other])
        if gap is None:
            continue
        # Of two neighbours equally near, the one in line comes first: a wide blob from
        # the line below reaches under a character and would otherwise be its nearest.
        gap += _OFF_LINE * abs(blobs[other].cy - blob.cy)
        a, b = (index, other) if blobs[other].cx > blob.cx else (other, index)
        if gap < right.get(a, (math.inf, -1))[0]:
            right[a] = (gap, b)
        if gap < left.get(b, (math.inf, -1))[0]:
            left[b] = (gap, a)
    following = {a: b for a, (_, b) in right.items() if left.get(b, (0.0, -1))[1] == a}
    starts = set(range(len(blobs))) - set(following.values())
    lines: list[_Line] = []
    for start in starts:
        chain = [blobs[start]]
        current = start
        while current in following:
            current = following[current]
            chain.append(blobs[current])
        line = _fitted_part(chain)
        if line is not None:
            lines.append(line)
    return lines


def _fitted_part(chain: list[_Blob]) -> _Line | None:
    """The line ``chain`` makes, or, when its blobs do not sit on one line, the line
    of the chain with a blob or two taken off either end; ``None`` when neither fits.

    On tilted print with little space between lines, the last character of a line can
    find its nearest neighbour in the line below, which a tilt lifts to its height: the
    chain runs on into a word of the next line, and would otherwise be lost whole.
    """
    for dropped in range(_ENDS_DROPPED + 1):
        for start in range(dropped + 1):
            part = chain[start: len(chain) - (dropped - start)]
            # A line is two characters or more side by side.  A lone blob, however long,
            # is more often a sticker's own surface around its cut-out text, a cable or an
            # edge than a word blurred into one piece, and it would crowd real text out.
            if len(part) < 2 or sum(b.chars for b in part) < 3:
                return None
            line = _fit_line(part)
            if line is not None:
                return line
    return None


# Pairs of blobs expanded at once while looking for neighbours: bounds the memory a photo
# full of texture (tens of thousands of blobs) takes.
_PAIRS_PER_BATCH = 1 << 20


def _neighbour_candidates(blobs: list[_Blob]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of blobs that may be neighbours in one line, in search order.

    The search puts blobs in a grid of cells about two blobs wide and pairs each blob with
    every later blob in the cells within its own reach: (2 half-widths + 2 heights) * 1.6,
    in whole cells, on either side.  The pairs are listed in the order a scan of the grid
    meets them (by i, then cell column, cell row, j) so that ties break as they always did.
    Pairs that cannot pass :func:`_gap` are left out: its tests are repeated here for all
    pairs at once, with a little slack where rounding could differ from :func:`_gap`'s.
    """
    cx = np.array([b.cx for b in blobs], dtype=np.float64)
    cy = np.array([b.cy for b in blobs], dtype=np.float64)
    height = np.array([b.height for b in blobs], dtype=np.float64)
    half_width = np.array([b.half_width for b in blobs], dtype=np.float64)
    direction = np.array([b.direction for b in blobs], dtype=np.float64)
    cell = max(8, int(np.median(height + half_width) * 2))
    column = np.floor_divide(cx, cell).astype(np.int64)
    row = np.floor_divide(cy, cell).astype(np.int64)
    reach = np.ceil((2 * half_width + 2 * height) * 1.6 / cell).astype(np.int64)
    # Blobs sorted by cell, column by column: the cells one blob reaches in one column hold
    # one run of them.  Rows are shifted to start past the largest reach, so that no run
    # strays into the next column.
    shifted_row = row + int(reach.max())
    rows_per_column = int(shifted_row.max() + reach.max()) + 1
    cell_key = column * rows_per_column + shifted_row
    by_cell = np.argsort(cell_key, kind="stable")
    sorted_key = cell_key[by_cell]
    # One entry for every blob and column it reaches.
    columns_reached = 2 * reach + 1
    blob = np.repeat(np.arange(len(blobs)), columns_reached)
    first_of_blob = np.repeat(np.cumsum(columns_reached) - columns_reached, columns_reached)
    reached_column = column[blob] - reach[blob] + (np.arange(blob.size) - first_of_blob)
    base = reached_column * rows_per_column + shifted_row[blob]
    run_start = np.searchsorted(sorted_key, base - reach[blob], side="left")
    run_length = np.searchsorted(sorted_key, base + reach[blob], side="right") - run_start
    pairs_before = np.concatenate(([0], np.cumsum(run_length)))
    found: list[np.ndarray] = []
    first_entry = 0
    while first_entry < blob.size:
        # Entries whose runs together hold up to _PAIRS_PER_BATCH pairs.
        end_entry = max(first_entry + 1, int(np.searchsorted(
            pairs_before, pairs_before[first_entry] + _PAIRS_PER_BATCH, side="right")) - 1)
        entries = np.arange(first_entry, end_entry)
        lengths = run_length[entries]
        first = np.repeat(blob[entries], lengths)
        offset_in_run = np.arange(first.size) - np.repeat(
            pairs_before[entries] - pairs_before[first_entry], lengths)
        second = by_cell[np.repeat(run_start[entries], lengths) + offset_in_run]
        later = second > first
        found.append(np.stack(_may_neighbour(
            first[later], second[later], cx, cy, height, half_width, direction)))
        first_entry = end_entry
    first, second = np.concatenate(found, axis=1)
    order = np.lexsort((second, row[second] - row[first], column[second] - column[first], first))
    return list(zip(first[order].tolist(), second[order].tolist(), strict=True))


def _may_neighbour(
    first: np.ndarray, second: np.ndarray, cx: np.ndarray, cy: np.ndarray,
    height: np.ndarray, half_width: np.ndarray, direction: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs that :func:`_gap` could accept (vectorised, with slack)."""
    # The height and slope tests first (exact, and cheap), so that the gaps are measured
    # only for the pairs left.
    first_height, second_height = height[first], height[second]
    dx, dy = cx[second] - cx[first], cy[second] - cy[first]
    plausible = (
        (np.maximum(first_height, second_height)
         <= _MAX_HEIGHT_RATIO * np.minimum(first_height, second_height))
        & (np.abs(dy) <= _MAX_SLOPE * np.abs(dx))
        & (np.abs(dy) <= _MAX_RISE * np.maximum(first_height, second_height))
        & (dx != 0)
    )
    first, second, dx, dy = first[plausible], second[plausible], dx[plausible], dy[plausible]
    distance = np.hypot(dx, dy)
    ux, uy = dx / distance, dy / distance
    gap = distance.copy()
    for blob in (first, second):
        along = np.abs(ux * direction[blob, 0] + uy * direction[blob, 1])
        gap -= half_width[blob] * along + 0.5 * height[blob] * np.sqrt(
            np.maximum(0.0, 1 - along * along))
    tall = np.maximum(height[first], height[second])
    close = gap <= _MAX_GAP_PER_HEIGHT * tall + 1e-6 * (1 + distance)
    return first[close], second[close]


def _gap(a: _Blob, b: _Blob) -> float | None:
    """Space between two blobs that could be neighbours in one line, else None."""
    tall, short = max(a.height, b.height), min(a.height, b.height)
    if tall > _MAX_HEIGHT_RATIO * short:
        return None
    dx, dy = b.cx - a.cx, b.cy - a.cy
    if abs(dy) > _MAX_SLOPE * abs(dx) or dx == 0 or abs(dy) > _MAX_RISE * tall:
        return None
    distance = math.hypot(dx, dy)
    ux, uy = dx / distance, dy / distance
    gap = distance - a.reach(ux, uy) - b.reach(ux, uy)
    return gap if gap <= _MAX_GAP_PER_HEIGHT * tall else None


def _fit_line(blobs: list[_Blob]) -> _Line | None:
    points = np.array(
        [point for b in blobs for point in _blob_points(b)], dtype=np.float32
    )
    height = float(statistics.median([b.height for b in blobs]))
    fitted = cv2.fitLine(points, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    vx, vy, x0, y0 = (float(v) for v in fitted)
    if vx < 0:
        vx, vy = -vx, -vy
    offsets = (points[:, 0] - x0) * -vy + (points[:, 1] - y0) * vx
    # Characters of one line sit on one baseline; texture chains scatter around it.
    if float(np.sqrt(np.mean(offsets**2))) > 0.3 * height:
        return None
    return _Line(
        blobs=tuple(blobs),
        angle=math.atan2(vy, vx),
        height=height,
        centre=(float(points[:, 0].mean()), float(points[:, 1].mean())),
        chars=sum(b.chars for b in blobs),
    )


def _blob_points(blob: _Blob) -> list[tuple[float, float]]:
    if blob.chars == 1:
        return [blob.centre]
    dx, dy = blob.direction
    step = blob.half_width - 0.35 * blob.height
    return [(blob.cx - dx * step, blob.cy - dy * step), blob.centre,
            (blob.cx + dx * step, blob.cy + dy * step)]


def _group_blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Lines stacked close together with one direction form a block (one label's text)."""
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # The blocks are the connected groups of stacked pairs, whatever order they are
    # joined in.
    for i, j in _stacking_candidates(lines):
        if _stacked(lines[i], lines[j]):
            parent[find(j)] = find(i)
    blocks: dict[int, list[_Line]] = {}
    for index, line in enumerate(lines):
        blocks.setdefault(find(index), []).append(line)
    return list(blocks.values())


def _stacking_candidates(lines: list[_Line]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of lines that :func:`_stacked` could accept.

    Its tests on direction, height and distance are repeated here for all pairs at once,
    with a little slack for rounding; how far apart the lines' spans can be is bounded by
    a circle around each line (every character within it).
    """
    if len(lines) < 2:
        return []
    angle = np.array([line.angle for line in lines])
    height = np.array([line.height for line in lines])
    centre = np.array([line.centre for line in lines])
    radius = np.array([
        max(math.dist(blob.centre, line.centre) + blob.half_width + 0.5 * blob.height
            for blob in line.blobs)
        for line in lines
    ])
    first, second = np.triu_indices(len(lines), k=1)
    turn = np.abs(np.remainder(angle[first] - angle[second], math.pi))
    turn = np.minimum(turn, math.pi - turn)
    taller = np.maximum(height[first], height[second])
    ratio = taller / np.maximum(np.minimum(height[first], height[second]), 1e-6)
    ux, uy = np.cos(angle[first]), np.sin(angle[first])
    dx = centre[second, 0] - centre[first, 0]
    dy = centre[second, 1] - centre[first, 1]
    slack = 1e-6 * (1 + np.abs(dx) + np.abs(dy))
    across = np.abs(-uy * dx + ux * dy)
    along = np.abs(ux * dx + uy * dy)
    possible = (
        (turn <= math.radians(10) + 1e-9)
        & (ratio <= _MAX_BLOCK_HEIGHT_RATIO)
        & (across <= 2.4 * taller + slack)
        & (along <= radius[first] + radius[second] + 1.2 * taller + slack)
    )
    return list(zip(first[possible].tolist(), second[possible].tolist(), strict=True))


def _stacked(a: _Line, b: _Line) -> bool:
    if abs(math.remainder(a.angle - b.angle, math.pi)) > math.radians(10):
        return False
    height = max(a.height, b.height)
    ratio = height / max(min(a.height, b.height), 1e-6)
    if ratio > _MAX_BLOCK_HEIGHT_RATIO:
        return False
    ux, uy = math.cos(a.angle), math.sin(a.angle)
    dx, dy = b.centre[0] - a.centre[0], b.centre[1] - a.centre[1]
    across = abs(-uy * dx + ux * dy)
    words_of_one_line = across < 0.5 * height
    if not words_of_one_line and across > 2.4 * height:
        return False  # before the spans, which cost more
    a_lo, a_hi = _span(a, ux, uy)
    b_lo, b_hi = _span(b, ux, uy)
    overlap = min(a_hi, b_hi) - max(a_lo, b_lo)
    if words_of_one_line:
        # Words of one line that the chaining kept apart (a wide space, a dropped "."):
        # same baseline, a gap of a few characters at most.
        return ratio <= _MAX_HEIGHT_RATIO and overlap > -1.2 * height
    # Lines stacked one above the other on one label, side by side along their length.
    return overlap > 0


def _span(line: _Line, ux: float, uy: float) -> tuple[float, float]:
    projected = [
        point for blob in line.blobs for point in (
            blob.cx * ux + blob.cy * uy - blob.reach(ux, uy),
            blob.cx * ux + blob.cy * uy + blob.reach(ux, uy),
        )
    ]
    return min(projected), max(projected)


@dataclass(frozen=True, slots=True)
class _Shape:
    box: np.ndarray  # the text block's rotated rectangle, a small margin around it
    reading_box: np.ndarray  # the same, reaching a little further along the lines
    height: float  # median character height
    separation: float  # see _separation


def _shape(grey: np.ndarray, block: list[_Line]) -> _Shape:
    main = max(block, key=lambda line: line.chars)
    height = float(statistics.median([line.height for line in block]))
    ux, uy = math.cos(main.angle), math.sin(main.angle)
    centres = np.array([b.centre for line in block for b in line.blobs], dtype=np.float64)
    reach_along = np.array([b.reach(ux, uy) for line in block for b in line.blobs])
    reach_across = np.array([b.reach(-uy, ux) for line in block for b in line.blobs])
    along_c = centres @ np.array([ux, uy])
    across_c = centres @ np.array([-uy, ux])
    along = np.concatenate((along_c - reach_along, along_c + reach_along))
    across = np.concatenate((across_c - reach_across, across_c + reach_across))
    margin = _BOX_MARGIN * height
    box = _quad_from_axes(
        ux, uy, along.min() - margin, along.max() + margin,
        across.min() - margin, across.max() + margin,
    )
    # Glare or a smudge can cut a line short: read a little further along it than the
    # characters found.
    reading_box = _quad_from_axes(
        ux, uy, along.min() - 2.5 * margin, along.max() + 2.5 * margin,
        across.min() - margin, across.max() + margin,
    )
    return _Shape(box=box, reading_box=reading_box, height=height,
                  separation=_separation(grey, box))


def _region_for_block(
    grey: np.ndarray, block: list[_Line], shape: _Shape, polarity: Polarity,
    to_original: float,
) -> LabelRegion:
    outline = _sticker_outline(grey, shape.box, polarity, shape.height)
    if outline is not None:
        outline = _holding_text(outline, shape.box, shape.height)
    quad = outline if outline is not None else shape.box
    return LabelRegion(
        quad=_scaled(quad, to_original),
        text_quad=_scaled(shape.reading_box, to_original),
        score=_score(block, outlined=outline is not None, separation=shape.separation),
        text_height=shape.height * to_original,
        polarity=polarity,
        outlined=outline is not None,
        line_count=len(block),
        longest_line=max(line.chars for line in block),
    )


def turned_back(region: LabelRegion, image: LoadedImage) -> LabelRegion:
    """``region``, found in ``image`` turned half a turn, in ``image``'s own coordinates,
    its corners in the order the text reads when ``image`` is the right way up: what was
    the top left corner in the turned photo is the bottom right one in ``image``, and
    print read the right way up there is upside down here."""
    height, width = image.pixels.shape[:2]
    right, bottom = width / image.scale, height / image.scale

    def back(quad: Quad) -> Quad:
        tl, tr, br, bl = ((right - x, bottom - y) for x, y in quad)
        return (br, bl, tl, tr)

    return replace(region, quad=back(region.quad), text_quad=back(region.text_quad))


def turned_photo(image: LoadedImage, quarters: int) -> LoadedImage:
    """``image`` turned ``quarters`` quarter turns counter-clockwise.  Half a turn shows an
    upside-down label the right way up; a quarter turn shows upright (or upside down,
    which the reader copes with) what a photo taken sideways, and stored without the
    EXIF orientation that would have turned it, shows running up or down."""
    width, height = image.original_size
    return replace(image, pixels=np.ascontiguousarray(np.rot90(image.pixels, quarters)),
                   original_size=(height, width) if quarters % 2 else (width, height))


def quarter_turned_back(region: LabelRegion, image: LoadedImage) -> LabelRegion:
    """``region``, found in ``image`` turned a quarter turn (see :func:`turned_photo`),
    in ``image``'s own coordinates.  Its corners keep the order the text reads in (the
    label stands sideways in ``image``, so no order follows the photo's own top and
    bottom)."""
    right = image.pixels.shape[1] / image.scale

    def back(quad: Quad) -> Quad:
        tl, tr, br, bl = ((right - y, x) for x, y in quad)
        return (tl, tr, br, bl)

    return replace(region, quad=back(region.quad), text_quad=back(region.text_quad))


def shows_more_print(turned: LocatedLabels, upright: LocatedLabels) -> bool:
    """Whether a photo turned a quarter turn (``turned``) shows print more plainly than
    the photo as it is (``upright``): its best region ranks higher.

    Characters run in lines; in a photo taken sideways they stand in columns, which the
    locator chains into no lines or short ones, while the same photo turned shows them
    as the lines they are.  (Asking for a longer line as well missed a sixth of the
    benchmark's photos turned sideways, where a panel legend's line is the longest either
    way.)
    """
    return bool(turned.regions) and (
        not upright.regions or turned.regions[0].score > upright.regions[0].score)


def _scaled(corners: np.ndarray, factor: float) -> Quad:
    tl, tr, br, bl = ((float(x) * factor, float(y) * factor) for x, y in corners)
    return (tl, tr, br, bl)


def _quad_from_axes(
    ux: float, uy: float, a0: float, a1: float, c0: float, c1: float
) -> np.ndarray:
    """Corners TL, TR, BR, BL of the rectangle [a0, a1] x [c0, c1] in the (u, n) frame."""
    nx, ny = -uy, ux
    return np.array(
        [
            (a * ux + c * nx, a * uy + c * ny)
            for a, c in ((a0, c0), (a1, c0), (a1, c1), (a0, c1))
        ],
        dtype=np.float64,
    )


def _separation(grey: np.ndarray, box: np.ndarray) -> float:
    """How cleanly the shades in ``box`` split into two groups (ink and background).

    The share of the variance explained by the best two-way split (Otsu's criterion): about
    0.64 for a smooth, single-peaked spread such as texture or noise, close to 1 for print.
    """
    x0, y0 = np.maximum(np.floor(box.min(axis=0)).astype(int), 0)
    x1, y1 = np.ceil(box.max(axis=0)).astype(int) + 1
    roi = grey[y0:y1, x0:x1]
    if roi.size == 0:
        return 0.0
    mask = np.zeros(roi.shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round(box - (x0, y0)).astype(np.int32), 255)
    values = roi[mask > 0]
    values = values[:: max(1, values.size // 4000)].astype(np.float64)
    total = values.var()
    if values.size < 20 or total < 1e-6:
        return 0.0
    threshold, _ = cv2.threshold(values.astype(np.uint8).reshape(1, -1), 0, 255,
                                 cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    low, high = values[values <= threshold], values[values > threshold]
    if low.size == 0 or high.size == 0:
        return 0.0
    weight = low.size / values.size
    between = weight * (1 - weight) * (high.mean() - low.mean()) ** 2
    return float(between / total)


def _sticker_outline(
    grey: np.ndarray, box: np.ndarray, polarity: Polarity, height: float
) -> np.ndarray | None:
    """Four corners of the uniform patch (sticker, plate) the text sits on, if it has one.

    The patch is grown from the text's own background shade; it counts as a sticker only if
    it closes within a few character heights of the text, is not much larger than a label
    can be, and is nearly a quadrilateral.
    """
    # Stickers often carry more than the text found (a logo, a barcode, blank space).
    long_side = float(max(np.ptp(box[:, 0]), np.ptp(box[:, 1])))
    pad = int(max(3.5 * height, long_side))
    near = _look_around(grey, box, polarity, height, pad)
    if near is None:
        return None
    shades, roi, patch, origin = near
    corners, cut_short = _filled_outline(patch, box - origin)
    if cut_short:
        # A sticker with small print and much blank paper around it reaches past the look:
        # its patch is filled once more, further out.
        far = _look_around(grey, box, polarity, height, _WIDER_LOOK * pad, shades)
        if far is not None:
            _, _, far_patch, far_origin = far
            far_corners, _ = _filled_outline(far_patch, box - far_origin)
            if far_corners is not None:
                return _order_like(far_corners + far_origin, box)
    if corners is None:
        corners = _edge_outline(roi, box - origin, height)
    if corners is None:
        return None
    return _order_like(corners + origin, box)


_Shades = tuple[int, int]  # the run of shades, lowest and highest, alike to the background


def _look_around(
    grey: np.ndarray, box: np.ndarray, polarity: Polarity, height: float, pad: int,
    shades: _Shades | None = None,
) -> tuple[_Shades, np.ndarray, np.ndarray, np.ndarray] | None:
    """The part of ``grey`` within ``pad`` pixels of the text box, and the patch of it
    in the text's background shade (``shades``, else judged inside the box): (shades,
    part, patch, the part's top-left corner in ``grey``); ``None`` when there is no
    room or too little of the box to judge."""
    x0 = max(0, int(box[:, 0].min()) - pad)
    y0 = max(0, int(box[:, 1].min()) - pad)
    x1 = min(grey.shape[1], int(box[:, 0].max()) + pad)
    y1 = min(grey.shape[0], int(box[:, 1].max()) + pad)
    roi = grey[y0:y1, x0:x1]
    if roi.size == 0:
        return None
    inside = np.zeros(roi.shape, np.uint8)
    text_corners = np.round(box - (x0, y0)).astype(np.int32)
    cv2.fillConvexPoly(inside, text_corners, 255)
    if shades is None:
        shades = _background_shades(roi, inside, text_corners, polarity)
        if shades is None:
            return None
    similar = cv2.inRange(roi, shades[0], shades[1])
    patch = cv2.bitwise_or(similar, inside)
    # Opening cuts the thin bridges noise and glare build from a sticker to a bright
    # surface beside it (a floor, a wall), which would make the fill leak out of it.
    bridge = max(3, round(_BRIDGE_PER_HEIGHT * height))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, bridge))
    patch = cv2.morphologyEx(patch, cv2.MORPH_OPEN, kernel)
    patch = cv2.bitwise_or(patch, inside)
    return shades, roi, patch, np.array([x0, y0], dtype=np.float64)


def _background_shades(
    roi: np.ndarray, inside: np.ndarray, text_corners: np.ndarray, polarity: Polarity
) -> _Shades | None:
    """The shades alike to the text's background, judged inside the text box (``inside``,
    the box filled, with ``text_corners``); ``None`` when too little of it is seen."""
    # The filled box lies within its corners' bounding rectangle: only that part of the
    # region holds its pixels (in the same order).
    left, top, width, tall = cv2.boundingRect(text_corners)
    within = (slice(max(0, top), max(0, top + tall)), slice(max(0, left), max(0, left + width)))
    values = roi[within][inside[within] > 0]
    if values.size < 20:
        return None
    # A few thousand pixels give the shades as well as all of them do.
    values = values[:: max(1, values.size // 4000)]
    # The background is the majority shade inside the text box: the bright half for dark
    # text, the dark half for light text.
    fractions = (0.75, 0.05) if polarity == "dark-on-light" else (0.25, 0.95)
    ranks = [int(fraction * (values.size - 1)) for fraction in fractions]
    ordered = np.partition(values, ranks)  # those two ranks in place; no full sort
    background, text = (float(ordered[rank]) for rank in ranks)
    contrast = abs(background - text)
    tolerance = max(10.0, 0.35 * contrast)
    # Whether a pixel is similar depends on its shade alone, and the similar shades are one
    # run around the background's: find the run among the 256 shades, then the pixels in it.
    shades = np.arange(256, dtype=np.float32)
    similar_shades = np.flatnonzero(np.abs(shades - background) <= tolerance)
    return int(similar_shades[0]), int(similar_shades[-1])


def _holding_text(outline: np.ndarray, box: np.ndarray, height: float) -> np.ndarray:
    """``outline`` with each side that cuts into the text block ``box`` moved out, parallel
    to itself, until the characters are ``_TEXT_INSET`` heights inside it.

    Four corners fitted to a sticker with rounded corners can cut across a corner, and with
    it the first or last character near that edge (a leading "1" lost this way reads as a
    shorter, valid-looking number).  The text is on the sticker, so the sticker reaches
    at least that far.
    """
    centre = outline.mean(axis=0)
    # How far the box may reach beyond a side: the characters lie _BOX_MARGIN heights
    # within the box.
    limit = (_BOX_MARGIN - _TEXT_INSET) * height
    # Each side as a line n . p = c, with n its unit normal pointing out of the outline.
    normals, offsets = [], []
    for index in range(4):
        start, end = outline[index], outline[(index + 1) % 4]
        along = end - start
        normal = np.array([along[1], -along[0]]) / max(float(np.hypot(*along)), 1e-9)
        if float(np.dot(centre - start, normal)) > 0:
            normal = -normal
        offset = float(np.dot(start, normal))
        # How far the box's farthest corner lies beyond this side.
        beyond = float((box @ normal).max()) - offset
        normals.append(normal)
        offsets.append(offset + max(0.0, beyond - limit))
    corners = []
    for index in range(4):
        # Corner ``index`` joins the side before it and the side starting at it.
        before = (index - 1) % 4
        system = np.array([normals[before], normals[index]])
        if abs(float(np.linalg.det(system))) < 1e-6:
            return outline
        corners.append(np.linalg.solve(system, np.array([offsets[before], offsets[index]])))
    return np.array(corners, dtype=np.float64)


def _filled_outline(patch: np.ndarray, box: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """The corners of the patch of the background's shade the text box sits in, filled
    from the box's centre (coordinates of ``patch``); and whether that patch ran into the
    edge of ``patch`` while still no larger than a label can be."""
    centre = np.round(box.mean(axis=0)).astype(int)
    seed = (int(min(centre[0], patch.shape[1] - 1)), int(min(centre[1], patch.shape[0] - 1)))
    if patch[seed[1], seed[0]] == 0:
        return None, False
    filled = np.zeros((patch.shape[0] + 2, patch.shape[1] + 2), np.uint8)
    area, _, _, (sx, sy, sw, sh) = cv2.floodFill(
        patch, filled, seed, 128, flags=4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
    )
    touches = sx == 0 or sy == 0 or sx + sw >= patch.shape[1] or sy + sh >= patch.shape[0]
    box_area = float(cv2.contourArea(box.astype(np.float32)))
    label_sized = area <= _MAX_OUTLINE_PER_TEXT * box_area
    if touches or not label_sized:
        return None, touches and label_sized
    # Traced within the filled part's own bounding rectangle, in the patch's coordinates.
    component = filled[1 + sy: 1 + sy + sh, 1 + sx: 1 + sx + sw]
    contours, _ = cv2.findContours(
        component, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE, offset=(sx, sy)
    )
    if not contours:
        return None, False
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    hull_area = float(cv2.contourArea(hull))
    if hull_area <= 0 or area / hull_area < 0.8:
        return None, False
    return _four_corners(hull), False


def _edge_outline(roi: np.ndarray, box: np.ndarray, height: float) -> np.ndarray | None:
    """The smallest four-sided edge contour around the text box (coordinates of ``roi``).

    For a sticker whose own shade varies too much to fill (glare across it, a gradient,
    grain joining it to a bright floor) but whose edge against the panel is clear.
    """
    threshold, _ = cv2.threshold(roi, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.Canny(roi, 0.5 * threshold, threshold)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    box_area = float(cv2.contourArea(box.astype(np.float32)))
    areas = _contour_areas(contours)
    sized = np.flatnonzero((areas > box_area) & (areas <= _MAX_OUTLINE_PER_TEXT * box_area))
    best: np.ndarray | None = None
    best_area = math.inf
    for index in sized.tolist():
        contour, area = contours[index], float(areas[index])
        if area >= best_area:
            continue
        hull = cv2.convexHull(contour)
        approx = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
        if len(approx) != 4 or area < 0.85 * float(cv2.contourArea(hull)):
            continue
        # Every corner of the text inside it (a stroke's width of slack).
        quad = approx.reshape(4, 2).astype(np.float32)
        if all(cv2.pointPolygonTest(quad, (float(x), float(y)), True) >= -0.25 * height
               for x, y in box):
            best, best_area = quad.astype(np.float64), area
    return best


def _opposite_sides_alike(quad: np.ndarray) -> bool:
    """Whether each two opposite sides of ``quad`` run within ``_SIDES_SKEW`` degrees of
    each other, as a rectangle's do in any view a label can be read from."""
    sides = np.roll(quad, -1, axis=0) - quad
    for first, second in ((sides[0], -sides[2]), (sides[1], -sides[3])):
        cosine = float(np.dot(first, second)) / max(
            float(np.linalg.norm(first) * np.linalg.norm(second)), 1e-9)
        if cosine < math.cos(math.radians(_SIDES_SKEW)):
            return False
    return True


def _contour_areas(contours: Sequence[np.ndarray]) -> np.ndarray:
    """``cv2.contourArea`` of each of ``contours`` (integer points), all at once.

    The shoelace sums of integer points are exact in 64-bit integers, as they are in the
    doubles contourArea adds them in, so the areas are the same to the last bit.
    """
    if not contours:
        return np.zeros(0, dtype=np.float64)
    points = np.concatenate(contours).reshape(-1, 2).astype(np.int64)
    sizes = np.array([len(contour) for contour in contours])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    # Each point's predecessor along its own closed contour.
    previous = np.arange(len(points)) - 1
    previous[starts] = starts + sizes - 1
    x, y = points[:, 0], points[:, 1]
    cross = x[previous] * y - y[previous] * x
    return np.abs(np.add.reduceat(cross, starts).astype(np.float64)) * 0.5


def _four_corners(hull: np.ndarray) -> np.ndarray | None:
    """Four corners for the patch whose convex hull is ``hull``, or ``None`` when no
    quadrilateral covers it well.

    The hull simplified to four of its own points comes first: it follows a sticker seen
    in perspective, and counts when it covers ``_MIN_OUTLINE_MATCH`` of the hull.  Where
    a bump (the text box joined to a sticker it is tilted against) or a rounded corner
    puts one of those points off a corner, that quad cuts a piece off, and the smallest
    rectangle around the hull is taken when the hull fills nearly all of it
    (``_RECTANGULAR``).
    """
    rectangle = np.asarray(cv2.boxPoints(cv2.minAreaRect(hull)), dtype=np.float64)
    hull_area = float(cv2.contourArea(hull))
    perimeter = cv2.arcLength(hull, True)
    for fraction in (0.02, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, fraction * perimeter, True)
        if len(approx) == 4:
            corners = approx.reshape(4, 2).astype(np.float64)
            if cv2.contourArea(corners.astype(np.float32)) >= _MIN_OUTLINE_MATCH * hull_area:
                return corners
            rectangle_area = float(cv2.contourArea(rectangle.astype(np.float32)))
            if hull_area >= _RECTANGULAR * rectangle_area:
                return rectangle
            return _longest_sides(hull)
    return rectangle


def _longest_sides(hull: np.ndarray) -> np.ndarray | None:
    """The quadrilateral the four longest sides of ``hull`` make, extended to meet, when
    it matches the hull (see ``_SIDES_MATCH``); else ``None``.

    A sticker with rounded corners seen in perspective is neither a rectangle nor four of
    its hull's points: each rounded corner is a few short sides between four long ones,
    and simplifying the hull to four points cuts a corner off.
    """
    perimeter = cv2.arcLength(hull, True)
    points = cv2.approxPolyDP(hull, _SIDE_DETAIL * perimeter, True).reshape(-1, 2)
    points = points.astype(np.float64)
    if len(points) < 4:
        return None
    following = np.roll(points, -1, axis=0)
    lengths = np.hypot(*(following - points).T)
    sides = np.sort(np.argsort(lengths)[-4:])  # in order around the hull
    if float(lengths[sides].sum()) < _SIDES_SHARE * float(lengths.sum()):
        return None  # more than rounded corners between them: not a four-sided patch
    corners = []
    for before, side in zip(np.roll(sides, 1), sides, strict=True):
        start, along = points[before], following[before] - points[before]
        other, other_along = points[side], following[side] - points[side]
        system = np.array([along, -other_along]).T
        if abs(float(np.linalg.det(system))) < 1e-9 * float(lengths.max()) ** 2:
            return None
        step = np.linalg.solve(system, other - start)[0]
        corners.append(start + step * along)
    quad = np.array(corners, dtype=np.float32)
    if not _opposite_sides_alike(quad):
        return None
    quad_area = float(cv2.contourArea(quad))
    hull_area = float(cv2.contourArea(hull))
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)) or quad_area <= 0:
        return None
    shared, _ = cv2.intersectConvexConvex(quad, hull.reshape(-1, 2).astype(np.float32))
    if shared < _SIDES_MATCH * hull_area or quad_area > hull_area / _SIDES_MATCH:
        return None
    return quad.astype(np.float64)


def _order_like(corners: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Reorder ``corners`` so each is nearest the same-index corner of ``reference``."""
    # Every rotation of the corners, each followed by the same rotation of them reversed;
    # the first of the cheapest is taken.
    candidates = np.array([
        candidate
        for shift in range(4)
        for candidate in (np.roll(corners, shift, axis=0), np.roll(corners[::-1], shift, axis=0))
    ])
    offsets = candidates - reference
    costs = np.sqrt((offsets * offsets).sum(axis=2)).sum(axis=1)
    return np.asarray(candidates[int(np.argmin(costs))])


def _score(block: list[_Line], *, outlined: bool, separation: float = 0.0) -> float:
    """How much a block looks like a serial label: a line of several equal characters,
    few lines, cleanly printed, on a patch of its own."""
    longest = max(line.chars for line in block)
    score = min(1.0, max(0.0, (separation - _TEXTURE_SEPARATION) / 0.2))
    # Printed characters of one line share a height (spread under 10%); chains of texture
    # blobs vary about twice as much.
    # Texture often chains into a few long blobs, each counted as several characters:
    # with too few single characters to measure, the heights are no evidence either way.
    spreads = [spread for line in block if (spread := _height_spread(line)) is not None]
    if not spreads:
        score += 0.5
    else:
        spread = min(spreads)
        score += 1.0 if spread <= 0.1 else 0.5 if spread <= 0.15 else -0.5
    if longest >= 6:
        score += 2.0
    elif longest >= 4:
        score += 1.0
    else:
        score += 0.3
    if outlined:
        score += 1.5
    if len(block) <= 4:
        score += 0.5
    elif len(block) > 6:
        score -= 0.8
    if longest > 40:
        score -= 1.0
    return score


def _height_spread(line: _Line) -> float | None:
    """Coefficient of variation of the single characters' heights (``None`` when fewer
    than four to measure)."""
    heights = [blob.height for blob in line.blobs if blob.chars == 1]
    if len(heights) < 4:
        return None
    return float(np.std(heights) / np.mean(heights))


def _drop_overlaps(regions: list[LabelRegion]) -> list[LabelRegion]:
    """``regions``, best first, keeping the better of two covering mostly the same
    place."""
    kept: list[LabelRegion] = []
    boxes: list[tuple[float, float, float, float]] = []
    for region in sorted(regions, key=lambda region: region.score, reverse=True):
        box = _box(region.quad)
        if all(_overlap(box, other) < _SAME_PLACE for other in boxes):
            kept.append(region)
            boxes.append(box)
    return kept


def new_places(
    regions: Sequence[LabelRegion], found: Sequence[LabelRegion]
) -> list[LabelRegion]:
    """Those of ``regions`` that cover mostly other places than any of ``found``."""
    return [region for region in regions if _new_place(region.quad, found)]


def _new_place(quad: Quad, found: Sequence[LabelRegion]) -> bool:
    """Whether ``quad`` covers mostly another place than each of ``found``."""
    box = _box(quad)
    return all(_overlap(box, _box(other.quad)) < _SAME_PLACE for other in found)


def overlapping(a: LabelRegion, b: LabelRegion) -> bool:
    """Whether most of the smaller of two regions lies within the other: two views of one
    sticker (its outline and a line of its print, or a look around that line)."""
    first, second = _box(a.quad), _box(b.quad)
    smaller = min(_area(first), _area(second))
    return _intersection(first, second) >= _MOSTLY_WITHIN * max(smaller, 1e-9)


def _box(quad: Quad) -> tuple[float, float, float, float]:
    xs = [x for x, _ in quad]
    ys = [y for _, y in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union: a region inside a larger one is still its own candidate."""
    inter = _intersection(a, b)
    if inter <= 0:
        return 0.0
    union = _area(a) + _area(b) - inter
    return inter / max(union, 1e-9)


def _intersection(a: tuple[float, float, float, float],
                  b: tuple[float, float, float, float]) -> float:
    """The area two boxes (x0, y0, x1, y1) share; 0 when they do not meet."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _odd(value: int) -> int:
    return value if value % 2 else value + 1
