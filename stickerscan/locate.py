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
_MIN_CHAR_HEIGHT_PX = 6  # below this, at the locator's working size, nothing is legible
_MAX_HEIGHT_RATIO = 1.6  # neighbours in one line differ less than this in height
# Lines stacked on one label differ less than this in height (labels often set the number
# larger than the words above it).
_MAX_BLOCK_HEIGHT_RATIO = 2.2
_MAX_GAP_PER_HEIGHT = 0.9  # space between neighbours in one line, words included
_MAX_SLOPE = 0.65  # |dy/dx| between neighbours: about 33 degrees, covers tilt and rotation
# What _separation gives for smooth texture or noise (2/pi for a normal spread); print
# scores higher, blurred print only a little.
_TEXTURE_SEPARATION = 0.64
# Bridges this thin, in character heights, between a sticker's patch and other patches of
# its shade are cut before the patch is filled.
_BRIDGE_PER_HEIGHT = 0.35
# A sticker or plate is at most this many times the area of the text found on it.
_MAX_OUTLINE_PER_TEXT = 8.0


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


def locate_labels(image: LoadedImage, options: ScanOptions) -> LocatedLabels:
    """Find and rank candidate serial-label regions in ``image``."""
    grey, factor = _working_grey(image.pixels, options.locate_long_side)
    to_original = 1.0 / (factor * image.scale)
    blocks: list[tuple[list[_Line], Polarity]] = []
    for polarity in ("dark-on-light", "light-on-dark"):
        lines = _chain_lines(_character_blobs(grey, polarity))
        blocks += [(block, polarity) for block in _group_blocks(lines)]
    shaped = [(_shape(grey, block), block, polarity) for block, polarity in blocks]
    # Looking for a sticker outline costs more than finding text: only the blocks that
    # could be read at all are worth it.
    shaped.sort(key=lambda item: _score(item[1], outlined=False, separation=item[0].separation),
                reverse=True)
    regions = [
        _region_for_block(grey, block, shape, polarity, to_original)
        for shape, block, polarity in shaped[: 3 * options.max_candidates]
    ]
    ranked = _drop_overlaps(sorted(regions, key=lambda region: region.score, reverse=True))
    log.debug("%s: %d candidate regions", image.source, len(ranked))
    return LocatedLabels(regions=tuple(ranked))


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


def _character_blobs(grey: np.ndarray, polarity: Polarity) -> list[_Blob]:
    """Connected components that have the size and shape of printed characters."""
    block = _odd(max(15, max(grey.shape) // 40))
    # Small offset: foil and engraved plates have little contrast; the shape tests below
    # (not the threshold) are what reject texture.
    offset = 6
    if polarity == "dark-on-light":
        mask = cv2.adaptiveThreshold(
            grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, offset
        )
    else:
        mask = cv2.adaptiveThreshold(
            grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, -offset
        )
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    x, y, w, h, area = (stats[1:, i].astype(np.int64) for i in range(5))
    max_height = 0.2 * min(grey.shape)
    fill = area / np.maximum(w * h, 1)
    inside = (x > 0) & (y > 0) & (x + w < grey.shape[1]) & (y + h < grey.shape[0])
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
        _Blob(float(x[i] + w[i] / 2), float(y[i] + h[i] / 2), float(h[i]), w[i] / 2.0,
              (1.0, 0.0), 1)
        for i in np.flatnonzero(single)
    ]
    # Joined characters (blur, tight spacing) and rotated words: measure them along their
    # own axis.  Solid bars are too full to be text.
    joined = plausible & ~single & (fill <= 0.75) & (np.maximum(w, h) <= 12 * max_height)
    for i in np.flatnonzero(joined)[:2000]:
        member = (labels[y[i]: y[i] + h[i], x[i]: x[i] + w[i]] == i + 1).astype(np.uint8)
        contours, _ = cv2.findContours(member, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        (cx, cy), (side_a, side_b), angle = cv2.minAreaRect(max(contours, key=len))
        cx, cy = cx + float(x[i]), cy + float(y[i])
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
    cell = max(8, int(np.median([b.height + b.half_width for b in blobs]) * 2))
    grid: dict[tuple[int, int], list[int]] = {}
    for index, blob in enumerate(blobs):
        grid.setdefault((int(blob.cx // cell), int(blob.cy // cell)), []).append(index)
    right: dict[int, tuple[float, int]] = {}
    left: dict[int, tuple[float, int]] = {}
    for index, blob in enumerate(blobs):
        reach = math.ceil((2 * blob.half_width + 2 * blob.height) * 1.6 / cell)
        gx, gy = int(blob.cx // cell), int(blob.cy // cell)
        for dx_cell in range(-reach, reach + 1):
            for dy_cell in range(-reach, reach + 1):
                for other in grid.get((gx + dx_cell, gy + dy_cell), ()):
                    if other <= index:
                        continue
                    gap = _gap(blob, blobs[other])
                    if gap is None:
                        continue
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
        if sum(b.chars for b in chain) >= 3:
            line = _fit_line(chain)
            if line is not None:
                lines.append(line)
    return lines


def _gap(a: _Blob, b: _Blob) -> float | None:
    """Space between two blobs that could be neighbours in one line, else None."""
    tall, short = max(a.height, b.height), min(a.height, b.height)
    if tall > _MAX_HEIGHT_RATIO * short:
        return None
    dx, dy = b.cx - a.cx, b.cy - a.cy
    if abs(dy) > _MAX_SLOPE * abs(dx) or dx == 0:
        return None
    distance = math.hypot(dx, dy)
    ux, uy = dx / distance, dy / distance
    gap = distance - a.reach(ux, uy) - b.reach(ux, uy)
    return gap if gap <= _MAX_GAP_PER_HEIGHT * tall else None


def _fit_line(blobs: list[_Blob]) -> _Line | None:
    points = np.array(
        [point for b in blobs for point in _blob_points(b)], dtype=np.float32
    )
    height = float(np.median([b.height for b in blobs]))
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

    for i, first in enumerate(lines):
        for j in range(i + 1, len(lines)):
            if _stacked(first, lines[j]):
                parent[find(j)] = find(i)
    blocks: dict[int, list[_Line]] = {}
    for index, line in enumerate(lines):
        blocks.setdefault(find(index), []).append(line)
    return list(blocks.values())


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
    a_lo, a_hi = _span(a, ux, uy)
    b_lo, b_hi = _span(b, ux, uy)
    overlap = min(a_hi, b_hi) - max(a_lo, b_lo)
    if across < 0.5 * height:
        # Words of one line that the chaining kept apart (a wide space, a dropped "."):
        # same baseline, a gap of a few characters at most.
        return ratio <= _MAX_HEIGHT_RATIO and overlap > -1.2 * height
    # Lines stacked one above the other on one label, side by side along their length.
    return across <= 2.4 * height and overlap > 0


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
    height = float(np.median([line.height for line in block]))
    ux, uy = math.cos(main.angle), math.sin(main.angle)
    centres = np.array([b.centre for line in block for b in line.blobs], dtype=np.float64)
    reach_along = np.array([b.reach(ux, uy) for line in block for b in line.blobs])
    reach_across = np.array([b.reach(-uy, ux) for line in block for b in line.blobs])
    along_c = centres @ np.array([ux, uy])
    across_c = centres @ np.array([-uy, ux])
    along = np.concatenate((along_c - reach_along, along_c + reach_along))
    across = np.concatenate((across_c - reach_across, across_c + reach_across))
    margin = 0.6 * height
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
    x0 = max(0, int(box[:, 0].min()) - pad)
    y0 = max(0, int(box[:, 1].min()) - pad)
    x1 = min(grey.shape[1], int(box[:, 0].max()) + pad)
    y1 = min(grey.shape[0], int(box[:, 1].max()) + pad)
    roi = grey[y0:y1, x0:x1]
    if roi.size == 0:
        return None
    inside = np.zeros(roi.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(box - (x0, y0)).astype(np.int32), 255)
    values = roi[inside > 0]
    if values.size < 20:
        return None
    # A few thousand pixels give the shades as well as all of them do.
    values = values[:: max(1, values.size // 4000)]
    # The background is the majority shade inside the text box: the bright half for dark
    # text, the dark half for light text.
    ordered = np.sort(values)

    def share(fraction: float) -> float:
        return float(ordered[int(fraction * (ordered.size - 1))])

    if polarity == "dark-on-light":
        background, text = share(0.75), share(0.05)
    else:
        background, text = share(0.25), share(0.95)
    contrast = abs(background - text)
    tolerance = max(10.0, 0.35 * contrast)
    similar = (np.abs(roi.astype(np.float32) - background) <= tolerance).astype(np.uint8) * 255
    patch = cv2.bitwise_or(similar, inside)
    # Opening cuts the thin bridges noise and glare build from a sticker to a bright
    # surface beside it (a floor, a wall), which would make the fill leak out of it.
    bridge = max(3, round(_BRIDGE_PER_HEIGHT * height))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, bridge))
    patch = cv2.morphologyEx(patch, cv2.MORPH_OPEN, kernel)
    patch = cv2.bitwise_or(patch, inside)
    local_box = box - (x0, y0)
    corners = _filled_outline(patch, local_box)
    if corners is None:
        corners = _edge_outline(roi, local_box, height)
    if corners is None:
        return None
    return _order_like(corners + np.array([x0, y0], dtype=np.float64), box)


def _filled_outline(patch: np.ndarray, box: np.ndarray) -> np.ndarray | None:
    """The corners of the patch of the background's shade the text box sits in, filled
    from the box's centre (coordinates of ``patch``)."""
    centre = np.round(box.mean(axis=0)).astype(int)
    seed = (int(min(centre[0], patch.shape[1] - 1)), int(min(centre[1], patch.shape[0] - 1)))
    if patch[seed[1], seed[0]] == 0:
        return None
    filled = np.zeros((patch.shape[0] + 2, patch.shape[1] + 2), np.uint8)
    area, _, _, (sx, sy, sw, sh) = cv2.floodFill(
        patch, filled, seed, 128, flags=4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
    )
    touches = sx == 0 or sy == 0 or sx + sw >= patch.shape[1] or sy + sh >= patch.shape[0]
    box_area = float(cv2.contourArea(box.astype(np.float32)))
    if touches or area > _MAX_OUTLINE_PER_TEXT * box_area:
        return None
    component = filled[1:-1, 1:-1]
    contours, _ = cv2.findContours(component, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    hull_area = float(cv2.contourArea(hull))
    if hull_area <= 0 or area / hull_area < 0.8:
        return None
    corners = _four_corners(hull)
    if corners is None or cv2.contourArea(corners.astype(np.float32)) < 0.85 * hull_area:
        return None
    return corners


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
    best: np.ndarray | None = None
    best_area = math.inf
    for contour in contours:
        area = float(cv2.contourArea(contour))
        if not box_area < area <= _MAX_OUTLINE_PER_TEXT * box_area or area >= best_area:
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


def _four_corners(hull: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(hull, True)
    for fraction in (0.02, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, fraction * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float64)
    rect = cv2.minAreaRect(hull)
    return np.asarray(cv2.boxPoints(rect), dtype=np.float64)


def _order_like(corners: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Reorder ``corners`` so each is nearest the same-index corner of ``reference``."""
    best, best_cost = corners, math.inf
    for shift in range(4):
        for candidate in (np.roll(corners, shift, axis=0), np.roll(corners[::-1], shift, axis=0)):
            cost = float(np.linalg.norm(candidate - reference, axis=1).sum())
            if cost < best_cost:
                best, best_cost = candidate, cost
    return best


def _score(block: list[_Line], *, outlined: bool, separation: float = 0.0) -> float:
    """How much a block looks like a serial label: a line of several equal characters,
    few lines, cleanly printed, on a patch of its own."""
    longest = max(line.chars for line in block)
    score = min(1.0, max(0.0, (separation - _TEXTURE_SEPARATION) / 0.2))
    # Printed characters of one line share a height (spread under 10%); chains of texture
    # blobs vary about twice as much.
    spread = min(_height_spread(line) for line in block)
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


def _height_spread(line: _Line) -> float:
    """Coefficient of variation of the single characters' heights (0 when too few)."""
    heights = [blob.height for blob in line.blobs if blob.chars == 1]
    if len(heights) < 4:
        return 0.0
    return float(np.std(heights) / np.mean(heights))


def _drop_overlaps(regions: list[LabelRegion]) -> list[LabelRegion]:
    """Keep the better of two regions covering mostly the same place."""
    kept: list[LabelRegion] = []
    boxes: list[tuple[float, float, float, float]] = []
    for region in regions:
        xs = [x for x, _ in region.quad]
        ys = [y for _, y in region.quad]
        box = (min(xs), min(ys), max(xs), max(ys))
        if all(_overlap(box, other) < 0.7 for other in boxes):
            kept.append(region)
            boxes.append(box)
    return kept


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union: a region inside a larger one is still its own candidate."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / max(union, 1e-9)


def _odd(value: int) -> int:
    return value if value % 2 else value + 1
