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
from typing import Any

import cv2
import numpy as np

from stickerscan.load import LoadedImage
from stickerscan.options import ScanOptions
from stickerscan.sticker_outline import TEXT_BOX_MARGIN, holding_text, sticker_outline

# Polarity is part of this stage's answer (each region's ``polarity``), so it is exported
# from here as well.
from stickerscan.sticker_outline import Polarity as Polarity
from stickerscan.text_lines import (
    BLURRED_JOINED_FILL,
    JOINED_FILL,
    TextLine,
    chain_lines,
    character_blobs,
    group_blocks,
)

log = logging.getLogger(__name__)

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]

# What _separation gives for smooth texture or noise (2/pi for a normal spread); print
# scores higher, blurred print only a little.
_TEXTURE_SEPARATION = 0.64
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


def locate_labels(
    image: LoadedImage, options: ScanOptions, *, blurred_runs: bool = False
) -> LocatedLabels:
    """Find and rank candidate serial-label regions in ``image``; with ``blurred_runs``,
    also where characters run together so much they fill their box (see
    ``BLURRED_JOINED_FILL``)."""
    grey, factor = _working_grey(image.pixels, options.locate_long_side)
    joined_fill = BLURRED_JOINED_FILL if blurred_runs else JOINED_FILL
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
                    joined_fill=BLURRED_JOINED_FILL, ink=_print_on_paper))
    return [region for region in new_places(found, read) if region.outlined][:_PAPER_ADDED]


def _half_size(grey: np.ndarray) -> np.ndarray:
    return cv2.resize(grey, (grey.shape[1] // 2, grey.shape[0] // 2), interpolation=cv2.INTER_AREA)


def _regions_at(
    grey: np.ndarray, to_original: float, blocks_at_most: int,
    found: Sequence[LabelRegion] = (), *, join_dots: bool = False,
    joined_fill: float = JOINED_FILL,
    ink: Callable[[np.ndarray], dict[Polarity, np.ndarray]] | None = None,
) -> list[LabelRegion]:
    """The regions of the best ``blocks_at_most`` text blocks on ``grey`` (a working
    image ``1 / to_original`` times the original's size), leaving out blocks where
    regions were ``found`` already; print is found by ``ink`` (by default
    :func:`_ink_masks`)."""
    blocks: list[tuple[list[TextLine], Polarity]] = []
    for polarity, mask in (ink or _ink_masks)(grey).items():
        if join_dots:
            mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _DOT_JOIN)
        lines = chain_lines(character_blobs(mask, joined_fill))
        blocks += [(block, polarity) for block in group_blocks(lines)]
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


@dataclass(frozen=True, slots=True)
class _Shape:
    box: np.ndarray  # the text block's rotated rectangle, a small margin around it
    reading_box: np.ndarray  # the same, reaching a little further along the lines
    height: float  # median character height
    separation: float  # see _separation


def _shape(grey: np.ndarray, block: list[TextLine]) -> _Shape:
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
    margin = TEXT_BOX_MARGIN * height
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
    grey: np.ndarray, block: list[TextLine], shape: _Shape, polarity: Polarity,
    to_original: float,
) -> LabelRegion:
    outline = sticker_outline(grey, shape.box, polarity, shape.height)
    if outline is not None:
        outline = holding_text(outline, shape.box, shape.height)
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


def _score(block: list[TextLine], *, outlined: bool, separation: float = 0.0) -> float:
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


def _height_spread(line: TextLine) -> float | None:
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
