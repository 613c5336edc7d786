"""Stage 3: cut each candidate region out of the photo, squared up, as Tesseract likes it.

The region's quadrilateral is mapped onto an upright rectangle by a perspective transform,
scaled so characters are a chosen height (one of :data:`TEXT_HEIGHTS`), turned into dark
text on a light background, turned level when its lines of print are left tilted, and
given a plain margin.  Two renderings are made: a
contrast-stretched grey one and a binarised one, because blur and glare defeat each in
different photos.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from stickerscan.load import LoadedImage
from stickerscan.locate import LabelRegion, Polarity

TEXT_HEIGHTS = (36, 26, 21)
"""Character heights, in pixels, crops are made at, in the order to try them.  Tesseract's
LSTM models read best around the first; its line finding and thresholding fail on some
fonts, spacings and blurs at one size and not at another (a smaller size merges dots and
speckle into strokes), so a region not read at the first is tried again at the others."""

CROP_MARGIN = 12
"""Blank paper, in pixels, added round every crop (Tesseract misses text touching an
image's edge)."""

# A barcode's bars: at least this many side by side, each at least this many text heights
# tall and at most this share of its height wide.  Characters of the label's text are
# about one text height tall.
_BARS_IN_A_CODE = 3
_BAR_HEIGHT = 1.4
_BAR_THINNESS = 0.35
# Bars are glyph stems when a character stands within this many of their heights of
# them (the next glyph may be broken too), its middle within this share of their height
# of theirs, and as tall as they are within these shares.
_GLYPH_GAP = 1.5
_LEVEL = 0.15
_SAME_HEIGHT = (0.85, 1.15)
# A character's strokes fill less than this share of its box.
_STROKES_FILL = 0.7
# More bars than this in a row are a barcode wherever they stand: a serial's digits break
# into no more stems than this (three zeros of a light serif face).
_MOST_STEMS = 6
_MAX_WIDTH = 2400
_MAX_HEIGHT = 900
# Two shades within this much of half the text's box each are near even.
_EVEN_SHADES = 0.1
# The print's shade is settled by its shapes when one shade shows at least as many marks
# of a character's shape as the shortest serial has digits, and more than this many times
# as many as the other shade: one or two marks are as likely a rivet or a speck.
_SHAPES_SETTLE = 4
_SHAPES_OUTNUMBER = 2
# A mark of a character's shape: darker than the mean of a square this many text heights
# wide around it by this many grey levels; its height within these shares of the text
# height, its width within these shares of its height (a 1 to a wide W), and its strokes
# filling between these shares of its box (not a solid blob, not a thin frame).
_SHAPE_BLOCK = 1.5
_SHAPE_CONTRAST = 4
_SHAPE_HEIGHTS = (0.4, 1.6)
_SHAPE_WIDTHS = (0.08, 1.5)
_SHAPE_FILL = (0.12, 0.75)
# The outline's corners, or without one the fit of the text block, can leave the lines of
# print a few degrees off level in the rectified crop, and Tesseract's line finding breaks
# such lines up.  The crop is turned by the angle at which its rows' ink is most sharply
# banded, searched within this many degrees, when that is at least the smallest tilt
# worth turning and bands the ink clearly better than level does.
_TILT_SEARCHED = 10.0
_TILT_STEP = 0.5
_SMALLEST_TILT = 1.5
_CLEAR_GAIN = 1.1
# Ink is what is at least this much darker than paper (of 255); a crop with more than
# this share of it is not print on paper.
_INK = 60
_MOST_INK = 0.4
# Grain: dark marks shorter than this share of the text height are specks (wood grain,
# sensor noise, dust), not strokes; a crop with at least this many specks for each mark
# of a stroke's height is print on a grainy ground.
_SPECK_HEIGHT = 0.3
_SPECKS_A_MARK = 2
# Blur, in text heights, that smooths speckle on a label's paper away and leaves its
# characters' strokes.
_SPECKLE_BLUR = 0.04
# A mark the photo's own edge cuts is kept when it is no longer than this many text
# heights: a photo cut down to the label cuts its print ("N" of "NO." left of the number,
# "S/N" above it), where a sticker's edge or a seam along the frame is longer.
_CUT_BY_FRAME = 1.5
# Pixels of the crop this near the photo's edge, or beyond it, are at the frame.
_AT_FRAME = 2
# The photo's edge is judged to cut print only where the region's text block comes
# within this many text heights of it, a character's width (what is left of a glyph the
# edge cut is often not taken into the block): elsewhere (a sticker's outline or a
# region's surroundings running past the photo) the crop is made as it always was.
_TEXT_AT_FRAME = 1.0
# Where a crop's pixel lies: in the photo, within _AT_FRAME of its edge, or beyond it.
_IN_PHOTO, _AT_PHOTO_EDGE, _BEYOND_PHOTO = 255, 128, 0
# Glare over dark print: the photo's own pixels at least this light (a highlight is
# clipped white, or nearly, where its light falls on the sticker) ...
_CLIPPED = 248
# ... and lighter than the paper's usual shade by this many grey levels: a sticker
# photographed too bright is clipped all over, and its print is not faded by that.
_ABOVE_PAPER = 6
# ... in a patch holding a disk this share of the text height wide: an over-sharpened
# photo's light halo round each stroke is thinner.
_GLARE_WIDTH = 0.3
# ... and not enclosed by dark print: over-sharpening clips the paper inside a 0 or an A
# white too, but print rings it all round, where glare's light spreads past the ink it
# fades.  A patch is enclosed when more than this share of a band round it, this share
# of the text height wide, is of the crop's darker shade (by Otsu's level).
_ENCLOSED = 0.75
_BAND = 0.1
# ... and fading the print beside it and through its holes: the darkest of that (its
# _DARKEST percentile) lighter than the crop's darkest by more than _FADED_BY of the way
# to the paper.  A sticker lit so brightly that its paper clips round print as dark as
# ever is not under glare.
_DARKEST = 2
_FADED_BY = 0.5


@dataclass(frozen=True, slots=True)
class LabelCrop:
    """One candidate region, rectified and prepared for OCR."""

    region: LabelRegion
    rank: int
    """Position of the region in the locator's ranking, 0 = best."""
    text_height: int
    """Character height, in pixels, the crop was scaled to."""
    grey: np.ndarray = field(repr=False, compare=False)
    """(H, W) uint8: dark text on a light background, contrast stretched, with a margin."""
    binary: np.ndarray = field(repr=False, compare=False)
    """(H, W) uint8, 0 or 255: ``grey`` binarised by local thresholding."""
    frame_cut: bool = False
    """Whether a glyph-sized mark at the photo's own edge was kept: the photo's frame may
    have cut through a glyph at the start or end of a line."""
    photo_edge: np.ndarray | None = field(default=None, repr=False, compare=False)
    """(H, W) bool, as ``grey``: its pixels at the photo's own edge (within a couple of
    pixels) or beyond it, where the region's text comes near that edge; ``None`` where it
    does not, or the crop lies inside the photo."""
    glare: np.ndarray | None = field(default=None, repr=False, compare=False)
    """(H, W) bool, as ``grey``: where the photo shows glare fading dark print (see
    :func:`_highlight`); ``None`` where it shows none, or the print is light."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "size": [self.grey.shape[1], self.grey.shape[0]],
            "text_height": self.text_height,
            "frame_cut": self.frame_cut,
        }


def enhance_region(
    image: LoadedImage, region: LabelRegion, rank: int, *, text_height: int = TEXT_HEIGHTS[0]
) -> LabelCrop:
    """Rectify ``region`` of ``image`` into an OCR-ready crop with characters
    ``text_height`` pixels tall.

    The perspective comes from the region's outline (the sticker's edges, when found); the
    crop keeps only the text block and a little space around it, because a sticker's own
    border or a barcode beside a number is read as extra digits.
    """
    outline = np.array(region.quad, dtype=np.float64) * image.scale
    text = np.array(region.text_quad, dtype=np.float64) * image.scale
    zoom = text_height / max(region.text_height * image.scale, 1.0)
    width = (np.linalg.norm(outline[1] - outline[0]) + np.linalg.norm(outline[2] - outline[3]))
    height = (np.linalg.norm(outline[3] - outline[0]) + np.linalg.norm(outline[2] - outline[1]))
    size = (width / 2 * zoom, height / 2 * zoom)
    square = np.array([(0, 0), (size[0], 0), (size[0], size[1]), (0, size[1])], np.float64)
    to_square = cv2.getPerspectiveTransform(outline.astype(np.float32), square.astype(np.float32))
    text_in_square = cv2.perspectiveTransform(text.reshape(-1, 1, 2), to_square).reshape(-1, 2)
    text_x0, text_y0 = text_in_square.min(axis=0)
    text_x1, text_y1 = text_in_square.max(axis=0)
    if region.outlined or region.surroundings:
        # The whole sticker, just inside its edge: everything printed on it is read.
        inset = 0.015 * np.array(size)
        x0, y0 = inset
        x1, y1 = np.array(size) - inset
    else:
        # No outline: the text block and the space just around it.
        x0, y0, x1, y1 = text_x0, text_y0, text_x1, text_y1
    crop_w, crop_h = x1 - x0, y1 - y0
    shrink = min(1.0, _MAX_WIDTH / max(crop_w, 1.0), _MAX_HEIGHT / max(crop_h, 1.0))
    shift = np.array([[shrink, 0, -x0 * shrink], [0, shrink, -y0 * shrink], [0, 0, 1]])
    transform = shift @ to_square
    out_size = (max(8, round(crop_w * shrink)), max(8, round(crop_h * shrink)))
    flat_rgb = cv2.warpPerspective(
        image.pixels, transform, out_size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    flat = cv2.cvtColor(flat_rgb, cv2.COLOR_RGB2GRAY)
    frame = (_photo_frame(image.pixels.shape[:2], transform, out_size)
             if _at_the_photos_edge(text, image.pixels.shape[:2],
                                    _TEXT_AT_FRAME * region.text_height * image.scale)
             else None)
    # Judge the print's shade where the text is: an outline can take in a wide border or a
    # dark sticker on a light plate, whose shades would outvote the letters.
    around = text_height / 3
    text_box = (
        np.array([text_x0 - around, text_y0 - around, text_x1 + around, text_y1 + around])
        - np.array([x0, y0, x0, y0])
    ) * shrink
    light_text = _light_text(_inside(flat, text_box), region.polarity, text_height)
    # Light print can itself be clipped white, in strokes as wide as a glare patch.
    glare = None if light_text else _highlight(flat, text_height)
    if light_text:
        flat = 255 - flat
    # A light blur first: upscaled sensor noise and JPEG blocks hurt Tesseract more than
    # softness does.
    smooth = cv2.GaussianBlur(flat, (0, 0), 1.0)
    stretched = _stretch(_flatten(smooth, text_height))
    shown = None if frame is None else _shown_part(frame)
    if frame is not None and shown is not None:
        stretched, frame = _within_photo(stretched, frame, shown)
        glare = None if glare is None else glare[shown]
    at_frame = None if frame is None else frame != _IN_PHOTO
    grey, frame_cut = _edge_marks_cleared(stretched, frame=at_frame,
                                          cut_by_frame=_CUT_BY_FRAME * text_height)
    grey = clear_barcodes(grey, text_height)
    angle = level_angle(grey)
    grey = levelled(grey, angle)
    return LabelCrop(
        region=region, rank=rank, text_height=text_height,
        grey=_pad(grey), binary=_pad(_binarise(grey, text_height)), frame_cut=frame_cut,
        photo_edge=_mask_levelled(at_frame, angle), glare=_mask_levelled(glare, angle),
    )


def _mask_levelled(mask: np.ndarray | None, angle: float) -> np.ndarray | None:
    """A mask of the crop before levelling, turned and padded as its ``grey`` is."""
    if mask is None:
        return None
    turned = _turned(mask.astype(np.uint8), angle, cv2.INTER_NEAREST, 0)
    return np.pad(turned > 0, CROP_MARGIN)


def _highlight(grey: np.ndarray, text_height: int) -> np.ndarray | None:
    """Where the photo ``grey`` (dark print as photographed, ``text_height`` pixels tall)
    shows glare over print; ``None`` where it shows none.

    Glare fades the print it falls on, and the crop's flattening (see :func:`_flatten`)
    divides the light away with most of what was left of the ink: a faded 9 reads as a 0
    as surely as the digits beside it.  The photo's own pixels still show the light: a
    patch clipped white, or nearly (:data:`_CLIPPED`), lighter than the paper's usual
    shade (:data:`_ABOVE_PAPER`), wide enough to hold a disk :data:`_GLARE_WIDTH` of the
    text height across, not ringed by print (:data:`_ENCLOSED`), and with the print beside
    it and through its holes faded (:data:`_FADED_BY`).
    """
    if int(grey.max()) < _CLIPPED:
        return None  # nothing clipped: most crops, spared the shades' measuring
    # The lighter of Otsu's two shades is the paper; the crop's median can be a panel
    # round the sticker.
    between, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    lighter = grey[grey > between]
    usual = float(np.median(lighter)) if lighter.size else 255.0
    level = max(_CLIPPED, usual + _ABOVE_PAPER)
    if level > 255:
        return None
    width = max(3, round(_GLARE_WIDTH * text_height) | 1)
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (width, width))
    patches = cv2.morphologyEx((grey >= level).astype(np.uint8), cv2.MORPH_OPEN, disk)
    if not patches.any():
        return None
    reach = round(_BAND * text_height)
    band = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    darkest = float(np.percentile(grey, _DARKEST))
    faded_above = darkest + _FADED_BY * (usual - darkest)
    contours, _ = cv2.findContours(patches, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    glare = np.zeros(grey.shape, dtype=bool)
    for contour in contours:
        left, top, box_width, box_height = cv2.boundingRect(contour)
        left, top = max(0, left - reach), max(0, top - reach)
        right = min(grey.shape[1], left + box_width + 2 * reach + 1)
        bottom = min(grey.shape[0], top + box_height + 2 * reach + 1)
        near = (slice(top, bottom), slice(left, right))
        solid = np.zeros((bottom - top, right - left), dtype=np.uint8)
        cv2.drawContours(solid, [contour], -1, 1, cv2.FILLED, offset=(-left, -top))
        patch = (solid > 0) & (patches[near] > 0)
        outside = (cv2.dilate(solid, band) > 0) & (solid == 0)
        shades = grey[near]
        if np.count_nonzero(shades[outside] <= between) > _ENCLOSED * np.count_nonzero(outside):
            continue  # paper inside a glyph, clipped by over-sharpening
        # The print beside the patch and through its holes, as dark as the crop's darkest:
        # a sticker lit brightly, not glare.  (A patch filling the crop leaves nothing
        # beside it: nothing of the print shows.)
        beside = outside | ((solid > 0) & ~patch)
        if beside.any() and np.percentile(shades[beside], _DARKEST) <= faded_above:
            continue
        glare[near] |= patch
    return glare if glare.any() else None


def grain_cleared(crop: LabelCrop) -> LabelCrop | None:
    """``crop`` with the specks of a grainy ground painted over with paper, the marks of
    a stroke's height kept in their own shades; ``None`` when the crop is not grainy.

    Print on wood grain or a noisy dark panel reads as nothing: Tesseract's line finding
    takes the specks between the glyphs for more glyphs.  Ink is told from ground by
    Otsu's level over the crop's darker half (the paper's shades would set it for the
    whole crop), and a mark is kept with a pixel of its edge so its stroke stays whole.
    """
    grey = crop.grey
    darker = grey[grey <= np.median(grey)].reshape(1, -1)
    level, _ = cv2.threshold(darker, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = (grey <= level).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tall = np.flatnonzero(stats[1:, cv2.CC_STAT_HEIGHT] >= _SPECK_HEIGHT * crop.text_height) + 1
    specks = count - 1 - len(tall)
    if len(tall) == 0 or specks < _SPECKS_A_MARK * len(tall):
        return None
    kept = cv2.dilate(np.isin(labels, tall).astype(np.uint8), np.ones((3, 3), np.uint8))
    cleared = np.where(kept > 0, grey, 255).astype(np.uint8)
    return replace(crop, grey=cleared, binary=_binarise(cleared, crop.text_height))


def speckle_smoothed(crop: LabelCrop) -> LabelCrop:
    """``crop`` smoothed (see :func:`smoothed`), its binarised rendering made afresh.

    Fine speckle (a dim photo's sensor noise, a paper's texture) too dense to count as
    grain (see :func:`grain_cleared`) can keep Tesseract's line finding from the print a
    person reads at once: the crop reads as nothing, or as a stray word, either way up.
    Smoothed, the speckle merges into the paper and the strokes stay.
    """
    grey = smoothed(crop.grey, crop.text_height)
    return replace(crop, grey=grey, binary=_binarise(grey, crop.text_height))


def smoothed(grey: np.ndarray, text_height: int) -> np.ndarray:
    """``grey`` blurred just enough to merge speckle on paper into it, for print whose
    characters are ``text_height`` pixels tall."""
    blurred: np.ndarray = cv2.GaussianBlur(grey, (0, 0), text_height * _SPECKLE_BLUR)
    return blurred


def _inside(grey: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The part of ``grey`` within ``box`` (x0, y0, x1, y1), or all of it if that is tiny."""
    height, width = grey.shape
    left, top = max(0, int(box[0])), max(0, int(box[1]))
    right, bottom = min(width, int(np.ceil(box[2]))), min(height, int(np.ceil(box[3])))
    if right - left < 8 or bottom - top < 8:
        return grey
    return grey[top:bottom, left:right]


def _stretch(grey: np.ndarray) -> np.ndarray:
    low, high = (float(v) for v in np.percentile(grey, (2, 98)))
    if high - low < 1:
        return grey
    stretched = (grey.astype(np.float32) - low) * np.float32(255.0 / (high - low))
    result: np.ndarray = np.clip(stretched, 0, 255).astype(np.uint8)
    return result


def _light_text(grey: np.ndarray, located: Polarity, text_height: int) -> bool:
    """Whether the print is lighter than what it is printed on (``text_height`` is the
    print's height in ``grey``): by the print's shapes where they settle it (see
    :func:`_light_by_shapes`), else by the shares of the two shades (see
    :func:`_light_by_shares`)."""
    by_shapes = _light_by_shapes(grey, text_height)
    return _light_by_shares(grey, located) if by_shapes is None else by_shapes


def _light_by_shapes(grey: np.ndarray, text_height: int) -> bool | None:
    """Whether the print is light, judged by its shapes; ``None`` when they do not
    settle it.

    Marks of a character's size and shape, each darker than what is around it, are
    counted in ``grey`` and in its negative, and a shade with clearly more of them is the
    print's (see ``_SHAPES_SETTLE``).  A shadow or a light gradient across a plate, which
    the shares take for the two shades, does not change the shapes.
    """
    dark, light = (_glyph_shaped_marks(shade, text_height) for shade in (grey, 255 - grey))
    if light >= _SHAPES_SETTLE and light > _SHAPES_OUTNUMBER * dark:
        return True
    if dark >= _SHAPES_SETTLE and dark > _SHAPES_OUTNUMBER * light:
        return False
    return None


def _light_by_shares(grey: np.ndarray, located: Polarity) -> bool:
    """Whether the print is light, judged by the shares of the two shades.

    Ink covers the smaller share of a label, so the minority of the two shades Otsu's
    threshold separates is the text.  This is decided on the crop itself rather than taken
    from the locator, whose polarity can be fooled by the gaps between light letters.
    But where the two shades are near even, Otsu has split something else (a white
    sticker from the lit panel around it) and the shares say nothing of the print: the
    locator's polarity, found from the strokes themselves, stands.
    """
    threshold, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light_share = float((grey > threshold).mean())
    if abs(light_share - 0.5) < _EVEN_SHADES:
        return located == "light-on-dark"
    return light_share < 0.5


def _glyph_shaped_marks(grey: np.ndarray, text_height: int) -> int:
    """How many marks in ``grey``, each darker than what is around it (a threshold that
    follows the local shade, so that a shadow or a gradient does not matter), have a
    character's size and shape, clear of the edge."""
    blurred = cv2.GaussianBlur(grey, (0, 0), 1.0)
    block = int(_SHAPE_BLOCK * text_height) | 1
    ink = cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                cv2.THRESH_BINARY_INV, block, _SHAPE_CONTRAST)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    x, y, w, h, area = (stats[1:, column] for column in range(5))
    clear_of_edge = (x > 0) & (y > 0) & (x + w < width) & (y + h < height)
    sized = ((h >= _SHAPE_HEIGHTS[0] * text_height) & (h <= _SHAPE_HEIGHTS[1] * text_height)
             & (w >= _SHAPE_WIDTHS[0] * h) & (w <= _SHAPE_WIDTHS[1] * h))
    fill = area / np.maximum(w * h, 1)
    stroked = (fill >= _SHAPE_FILL[0]) & (fill <= _SHAPE_FILL[1])
    return int(np.count_nonzero(clear_of_edge & sized & stroked))


def _flatten(grey: np.ndarray, text_height: int) -> np.ndarray:
    """Divide out the paper's own shading (glare, gradients, brushed foil).

    A closing wider than any stroke removes the dark text and leaves the background; the
    crop divided by it is even paper with the ink kept.
    """
    stroke_free = 2 * (text_height // 3) + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (stroke_free, stroke_free))
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), text_height / 4)
    ratio = grey.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)
    flat: np.ndarray = np.clip(ratio * 255.0, 0, 255).astype(np.uint8)
    return flat


def clear_edge_marks(grey: np.ndarray, *, longer_than: float = 0.0) -> np.ndarray:
    """Paint out dark shapes that touch the image's edge and are longer than
    ``longer_than`` pixels (all of them by default).

    A crop has a margin around its text, so whatever reaches its edge is not text: a
    sticker's edge, a panel seam, a neighbouring jack.  Left in, a single dark line along
    the top makes Tesseract read a clean label as noise, and a frame's corner beside a
    clear number can make it return nothing at all.
    """
    return _edge_marks_cleared(grey, longer_than=longer_than)[0]


def _edge_marks_cleared(grey: np.ndarray, *, longer_than: float = 0.0,
                        frame: np.ndarray | None = None, cut_by_frame: float = 0.0
                        ) -> tuple[np.ndarray, bool]:
    """``grey`` with :func:`clear_edge_marks`'s marks painted out, but for those reaching
    the photo's own edge (``frame``: a mask of the image's pixels at or beyond it) no
    longer than ``cut_by_frame`` pixels; and whether any of those was kept.

    Where the crop ends at the photo's own edge, a glyph can reach it: in a photo cut down
    to the label the "N" of "NO." left of the number, painted out, left "O." before the
    number, no serial wording.
    """
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = grey.shape
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    touching = (x <= 1) | (y <= 1) | (x + w >= width - 1) | (y + h >= height - 1)
    touching &= np.maximum(w, h) > longer_than
    touching[0] = False
    kept_at_frame = np.zeros(len(stats), dtype=bool)
    if frame is not None:
        kept_at_frame[np.unique(labels[frame])] = True
        kept_at_frame &= np.maximum(w, h) <= cut_by_frame
        kept_at_frame[0] = False
        touching &= ~kept_at_frame
    if not touching.any():
        return grey, bool(kept_at_frame.any())
    cleared = grey.copy()
    cleared[touching[labels]] = _paper_shade(grey)
    return cleared, bool(kept_at_frame.any())


def _paper_shade(grey: np.ndarray) -> int:
    """The shade of ``grey``'s paper (dark print on light)."""
    return int(np.percentile(grey, 90))


def _shown_part(frame: np.ndarray) -> tuple[slice, slice] | None:
    """The rows and columns of a crop's ``frame`` (see :func:`_photo_frame`) that show
    the photo; ``None`` when none does."""
    shown = frame != _BEYOND_PHOTO
    rows, columns = np.flatnonzero(shown.any(axis=1)), np.flatnonzero(shown.any(axis=0))
    if rows.size == 0:
        return None
    return slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1)


def _within_photo(grey: np.ndarray, frame: np.ndarray, shown: tuple[slice, slice]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """``grey`` and its ``frame`` (see :func:`_photo_frame`) cut back to the rows and
    columns that show the photo (``shown``: see :func:`_shown_part`), what is left beyond
    it painted as paper.

    Beyond the photo the warp repeats its edge pixels: streaks, not print.  Cut back, a
    line of print the photo's edge cuts starts at the crop's edge, as one an outline
    cuts does (see :func:`stickerscan.read._cut_at_the_edge`).
    """
    cut_back, cut_frame = grey[shown].copy(), frame[shown]
    cut_back[cut_frame == _BEYOND_PHOTO] = _paper_shade(cut_back)
    return cut_back, cut_frame


def _at_the_photos_edge(corners: np.ndarray, photo_shape: tuple[int, ...], reach: float
                        ) -> bool:
    """Whether any of the ``corners`` (x, y) comes within ``reach`` pixels of the edge of
    a photo ``photo_shape`` high and wide, or lies beyond it."""
    photo_height, photo_width = photo_shape[:2]
    return bool((corners.min(axis=0) < reach).any()
                or (corners[:, 0].max() > photo_width - 1 - reach)
                or (corners[:, 1].max() > photo_height - 1 - reach))


def _photo_frame(photo_shape: tuple[int, ...], transform: np.ndarray,
                 out_size: tuple[int, int]) -> np.ndarray | None:
    """Where each pixel of the crop ``transform`` maps the photo onto (``out_size`` wide
    and high) lies: :data:`_IN_PHOTO`, :data:`_AT_PHOTO_EDGE` or :data:`_BEYOND_PHOTO`;
    ``None`` when the whole crop lies inside the photo, clear of its edge."""
    photo_height, photo_width = photo_shape[:2]
    width, height = out_size
    corners = np.array([[(0, 0)], [(width, 0)], [(width, height)], [(0, height)]], np.float64)
    in_photo = cv2.perspectiveTransform(corners, np.linalg.inv(transform)).reshape(-1, 2)
    # A crop is a convex four-sided piece of the photo: inside when its corners are.
    if not _at_the_photos_edge(in_photo, photo_shape, _AT_FRAME):
        return None
    photo = np.full((photo_height, photo_width), _AT_PHOTO_EDGE, np.uint8)
    photo[_AT_FRAME:-_AT_FRAME, _AT_FRAME:-_AT_FRAME] = _IN_PHOTO
    frame: np.ndarray = cv2.warpPerspective(
        photo, transform, out_size, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT,
        borderValue=_BEYOND_PHOTO)
    return frame


def clear_barcodes(grey: np.ndarray, text_height: int) -> np.ndarray:
    """Paint out barcodes: groups of three or more dark bars, each much taller than the
    text and thin.

    Serial stickers often carry a barcode beside or under the number.  Left in, it can
    make Tesseract's layout analysis take the whole crop for a picture and return nothing,
    even when the text beside it is perfectly clear.
    """
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    bar = (h >= _BAR_HEIGHT * text_height) & (w <= _BAR_THINNESS * h)
    bar[0] = False
    bars = sorted((int(index) for index in np.flatnonzero(bar)), key=lambda index: x[index])
    groups: list[list[int]] = []
    for index in bars:
        last = groups[-1][-1] if groups else None
        # Bars of one code stand side by side, about the same height and level.
        if last is not None and x[index] - (x[last] + w[last]) <= 0.5 * h[last] and abs(
            (y[index] + h[index] / 2) - (y[last] + h[last] / 2)
        ) <= 0.5 * max(h[index], h[last]):
            groups[-1].append(index)
        else:
            groups.append([index])
    codes = [group for group in groups if len(group) >= _BARS_IN_A_CODE and (
        len(group) > _MOST_STEMS or not _in_a_line_of_print(group, stats, bar))]
    if not codes:
        return grey
    paper = _paper_shade(grey)
    cleared = grey.copy()
    for group in codes:
        left, top, right, bottom = _group_box(group, stats)
        cleared[top:bottom, left:right] = paper
    return cleared


def _group_box(group: list[int], stats: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) around the components ``group`` of ``stats``."""
    x, y, w, h = stats[group, 0], stats[group, 1], stats[group, 2], stats[group, 3]
    return int(x.min()), int(y.min()), int((x + w).max()), int((y + h).max())


def _in_a_line_of_print(group: list[int], stats: np.ndarray, bar: np.ndarray) -> bool:
    """Whether the bars of ``group`` stand in a line of characters as tall as they are:
    the stems of large digits, not a barcode.

    The hairlines of a light serif face break in binarisation, and "00" of a number set
    larger than the rest of the label's text falls apart into four thin bars.  A barcode
    stands apart from print of its own height; the digits after such zeros stand close
    beside them, level with them and as tall.
    """
    x, y, w, h, area = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3], stats[:, 4]
    left, top, right, bottom = _group_box(group, stats)
    height, middle = bottom - top, (top + bottom) / 2
    gap = np.maximum(left - (x + w), x - right)
    # Bars blurred together are no character: a solid block, not strokes.
    beside = (
        ~bar & (area < _STROKES_FILL * w * h) & (gap <= _GLYPH_GAP * height)
        & (np.abs(y + h / 2 - middle) <= _LEVEL * height)
        & (h >= _SAME_HEIGHT[0] * height) & (h <= _SAME_HEIGHT[1] * height)
    )
    beside[0] = False
    return bool(beside.any())


def _binarise(grey: np.ndarray, text_height: int) -> np.ndarray:
    # A window a few characters wide follows glare and shading across the label.
    block = 2 * text_height + 1
    smoothed = cv2.GaussianBlur(grey, (3, 3), 0)
    binary: np.ndarray = cv2.adaptiveThreshold(
        smoothed, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 12
    )
    return binary


def _pad(grey: np.ndarray) -> np.ndarray:
    padded: np.ndarray = cv2.copyMakeBorder(
        grey, CROP_MARGIN, CROP_MARGIN, CROP_MARGIN, CROP_MARGIN, cv2.BORDER_CONSTANT, value=255
    )
    return padded


def level_angle(grey: np.ndarray) -> float:
    """The turn, in degrees counter-clockwise, that brings the lines of dark print on
    ``grey`` level; 0.0 when the print is level or no angle clearly beats level."""
    ink = cv2.resize(255 - grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    height, width = ink.shape
    rows, columns = np.nonzero(ink >= _INK)
    # Print on paper leaves most of it blank; a crop mostly dark is texture or shadow,
    # whose banding at any angle means nothing.
    if not 2 * height <= len(rows) <= _MOST_INK * ink.size:
        return 0.0
    weights = ink[rows, columns].astype(np.float64)
    reach = height + width
    offsets = np.arange(-reach, reach + 1, dtype=np.float64)

    @functools.cache  # level and the coarse best are asked for again
    def banding(angle: float) -> float:
        """Variance of the ink per pixel of each row of the crop turned by ``angle``
        (per pixel: turned rows through the corners are shorter, and would band any
        scatter of specks)."""
        turn = np.radians(angle)
        turned_rows = ((rows - height / 2) * np.cos(turn)
                       - (columns - width / 2) * np.sin(turn))
        inked = np.bincount(np.round(turned_rows).astype(np.int64) + reach, weights=weights,
                            minlength=offsets.size)
        lengths = _chord_lengths(width, height, turn, offsets)
        full = lengths >= width / 2
        if np.count_nonzero(full) < 2:  # a crop a row or two high has no lines to band
            return 0.0
        return float(np.var(inked[full] / lengths[full]))

    # Every second degree first, then the half degrees around the best.
    coarse = max(np.arange(-_TILT_SEARCHED, _TILT_SEARCHED + 1.0, 2.0), key=banding)
    fine = [angle for angle in coarse + np.arange(-1.0, 1.0 + _TILT_STEP, _TILT_STEP)
            if abs(angle) <= _TILT_SEARCHED]
    best = max(fine, key=banding)
    if abs(best) < _SMALLEST_TILT or banding(best) < _CLEAR_GAIN * banding(0.0):
        return 0.0
    return float(best)


def _chord_lengths(width: int, height: int, turn: float, offsets: np.ndarray) -> np.ndarray:
    """How long each row, ``offsets`` from the centre, of a ``width`` x ``height``
    rectangle turned ``turn`` radians is inside it."""
    across, along = np.sin(turn), np.cos(turn)
    # A row is the points offset * (-across, along) + step * (along, across).
    low = (-width / 2 + offsets * across) / along
    high = (width / 2 + offsets * across) / along
    if across != 0:
        ends = ((-height / 2 - offsets * along) / across, (height / 2 - offsets * along) / across)
        low, high = np.maximum(low, np.minimum(*ends)), np.minimum(high, np.maximum(*ends))
    else:
        inside = np.abs(offsets) <= height / 2
        high = np.where(inside, high, low)
    lengths: np.ndarray = np.maximum(high - low, 0.0)
    return lengths


def levelled(grey: np.ndarray, angle: float) -> np.ndarray:
    """``grey`` turned ``angle`` degrees counter-clockwise about its centre, on paper."""
    return _turned(grey, angle, cv2.INTER_CUBIC, 255)


def _turned(image: np.ndarray, angle: float, interpolation: int, border: int) -> np.ndarray:
    """``image`` turned ``angle`` degrees counter-clockwise about its centre, ``border``
    where nothing of it turns in."""
    if angle == 0.0:
        return image
    height, width = image.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned: np.ndarray = cv2.warpAffine(image, turn, (width, height), flags=interpolation,
                                        borderValue=border)
    return turned
