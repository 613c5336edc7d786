"""The outline of the sticker or plate a block of text is printed on.

The patch of the text's background shade round the text is filled (or, failing that, the
smallest four-sided edge round it is taken) and fitted with four corners, which give the
label's perspective.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import cv2
import numpy as np

# Whether text is darker or lighter than its background, whose shade the sticker's
# patch is grown from.
Polarity = Literal["dark-on-light", "light-on-dark"]

# Bridges this thin, in character heights, between a sticker's patch and other patches of
# its shade are cut before the patch is filled.
_BRIDGE_PER_HEIGHT = 0.35
# A sticker or plate is at most this many times the area of the text found on it.
_MAX_OUTLINE_PER_TEXT = 8.0
# A sticker's patch that runs past the first look around its text (pad of the text
# block's longer side or 3.5 character heights) is looked for again this many times
# further out.
_WIDER_LOOK = 2
# The space left around a text block's characters in its box (the ``box`` the functions
# here are given), in character heights.
TEXT_BOX_MARGIN = 0.6
# Printed text keeps at least this far (in character heights) inside its sticker's edge;
# an outline that runs closer, or through the text, is pushed out to this.
_TEXT_INSET = 0.25
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


def sticker_outline(
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


def holding_text(outline: np.ndarray, box: np.ndarray, height: float) -> np.ndarray:
    """``outline`` with each side that cuts into the text block ``box`` moved out, parallel
    to itself, until the characters are ``_TEXT_INSET`` heights inside it.

    Four corners fitted to a sticker with rounded corners can cut across a corner, and with
    it the first or last character near that edge (a leading "1" lost this way reads as a
    shorter, valid-looking number).  The text is on the sticker, so the sticker reaches
    at least that far.
    """
    centre = outline.mean(axis=0)
    # How far the box may reach beyond a side: the characters lie TEXT_BOX_MARGIN heights
    # within the box.
    limit = (TEXT_BOX_MARGIN - _TEXT_INSET) * height
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
