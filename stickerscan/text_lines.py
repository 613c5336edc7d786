"""Characters found in an ink mask, chained into text lines, and lines into blocks.

A line is a chain of character-like blobs of one height side by side; a block is lines
stacked close together with one direction: the text of one label, as far as the shapes
of its print tell.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import cv2
import numpy as np

# Character geometry, as fractions of a character's own height, for Latin capitals and
# digits in the label fonts seen on equipment (and with room for blur joining neighbours).
_MAX_WIDTH_PER_HEIGHT = 2.2
_MIN_FILL, _MAX_FILL = 0.10, 0.95
# Characters run together fill at most this share of their box; solid bars fill more.
# Print blurred so much that its letters' gaps and hollows close fills more too: the
# finer search, made only when nothing else read, takes such runs up to the second share.
JOINED_FILL, BLURRED_JOINED_FILL = 0.75, 0.9
_MIN_CHAR_HEIGHT_PX = 6  # below this, at the locator's working size, nothing is legible
# A character stands at most this share of the working image's short side tall.  A photo
# cropped to the label, or taken from a hand's width away, holds its number a quarter to
# a third of its height tall (with a fifth as the limit, most such numbers were never
# found: see docs/benchmarks.md, *Photos cropped to the label*); a mark taller than half
# of it is the panel's edge or a cable's, not print.
_MAX_CHAR_SHARE = 0.5
# A mark taller than this share of the working image's short side (the limit before
# close-ups were read) whose largest hollow covers _OUTLINE_HOLLOW or more of what its
# outline encloses is an outline round something, not characters run together: a light
# sticker's edge against a dark panel thresholds into a ring round its print, and taken
# for a word its height outvoted the print's (the label was cut for characters four
# times too tall and read as nothing).  A glyph's counters are each at most one glyph's
# share of a run's outline, and a run is at least one and a half glyphs long.  Smaller
# outlines have always been among the locator's marks, and its ranking was measured with
# them there.
_CLOSE_UP_SHARE = 0.2
_OUTLINE_HOLLOW = 0.5
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


@dataclass(frozen=True, slots=True)
class CharacterBlob:
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
class TextLine:
    """Blobs side by side along one direction: a line of text."""

    blobs: tuple[CharacterBlob, ...]
    angle: float  # radians, of the reading direction in image coordinates, in (-pi/2, pi/2]
    height: float  # median blob height
    centre: tuple[float, float]
    chars: int  # estimated number of characters


def character_blobs(mask: np.ndarray, joined_fill: float = JOINED_FILL) -> list[CharacterBlob]:
    """Connected components of ``mask`` that have the size and shape of printed characters
    (characters run together: filling at most ``joined_fill`` of their box)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    x, y, w, h, area = (stats[1:, i].astype(np.int64) for i in range(5))
    max_height = _MAX_CHAR_SHARE * min(mask.shape)
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
        CharacterBlob(cx, cy, height, half_width, (1.0, 0.0), 1)
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
        # Hollows are traced only for the few marks this tall: most marks are strokes.
        if thickness > _CLOSE_UP_SHARE * min(mask.shape) and _outline_round_something(member):
            continue
        theta = math.radians(angle if side_a >= side_b else angle + 90)
        ux, uy = math.cos(theta), math.sin(theta)
        if ux < 0:
            ux, uy = -ux, -uy
        if abs(uy) > _MAX_SLOPE * abs(ux):
            continue
        blobs.append(CharacterBlob(float(cx), float(cy), float(thickness), length / 2.0, (ux, uy),
                           max(2, round(length / (0.7 * thickness)))))
    return blobs[:20_000]


def _outline_round_something(member: np.ndarray) -> bool:
    """Whether the mark ``member`` (a 0/1 mask of one component) has a hollow covering
    :data:`_OUTLINE_HOLLOW` or more of what its outline encloses."""
    contours, hierarchy = cv2.findContours(member, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    # With RETR_CCOMP a contour with no parent is an outer edge, one with a parent a hollow.
    enclosed = max(cv2.contourArea(contour) for contour, links
                   in zip(contours, hierarchy[0], strict=True) if links[3] < 0)
    hollows = [cv2.contourArea(contour) for contour, links
               in zip(contours, hierarchy[0], strict=True) if links[3] >= 0]
    return bool(hollows) and max(hollows) >= _OUTLINE_HOLLOW * max(enclosed, 1.0)


def chain_lines(blobs: list[CharacterBlob]) -> list[TextLine]:
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
    lines: list[TextLine] = []
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


def _fitted_part(chain: list[CharacterBlob]) -> TextLine | None:
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


def _neighbour_candidates(blobs: list[CharacterBlob]) -> list[tuple[int, int]]:
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


def _gap(a: CharacterBlob, b: CharacterBlob) -> float | None:
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


def _fit_line(blobs: list[CharacterBlob]) -> TextLine | None:
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
    return TextLine(
        blobs=tuple(blobs),
        angle=math.atan2(vy, vx),
        height=height,
        centre=(float(points[:, 0].mean()), float(points[:, 1].mean())),
        chars=sum(b.chars for b in blobs),
    )


def _blob_points(blob: CharacterBlob) -> list[tuple[float, float]]:
    if blob.chars == 1:
        return [blob.centre]
    dx, dy = blob.direction
    step = blob.half_width - 0.35 * blob.height
    return [(blob.cx - dx * step, blob.cy - dy * step), blob.centre,
            (blob.cx + dx * step, blob.cy + dy * step)]


def group_blocks(lines: list[TextLine]) -> list[list[TextLine]]:
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
    blocks: dict[int, list[TextLine]] = {}
    for index, line in enumerate(lines):
        blocks.setdefault(find(index), []).append(line)
    return list(blocks.values())


def _stacking_candidates(lines: list[TextLine]) -> list[tuple[int, int]]:
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


def _stacked(a: TextLine, b: TextLine) -> bool:
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


def _span(line: TextLine, ux: float, uy: float) -> tuple[float, float]:
    projected = [
        point for blob in line.blobs for point in (
            blob.cx * ux + blob.cy * uy - blob.reach(ux, uy),
            blob.cx * ux + blob.cy * uy + blob.reach(ux, uy),
        )
    ]
    return min(projected), max(projected)
