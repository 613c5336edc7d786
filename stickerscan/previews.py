"""Small JPEGs of a photo and of its label, kept with batch results so a person can check a
reading by eye.

They are made where the photo was read: a batch's worker sends back a few tens of
kilobytes instead of the decoded photo.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from stickerscan.load import LoadedImage
from stickerscan.locate import Quad

THUMBNAIL_SIDE = 320
"""Long side of a photo's thumbnail, in pixels."""
CROP_SIDE = 480
"""Longest side of a label crop, in pixels."""
_MARGIN = 0.15  # of the label's size, kept around it in the crop


@dataclass(frozen=True, slots=True)
class Previews:
    """A photo's thumbnail and its label's crop, as JPEG bytes."""

    photo: bytes
    label: bytes | None
    """``None`` when no label was found."""


def previews_of(image: LoadedImage, quad: Quad | None) -> Previews:
    """The thumbnail of ``image`` and the crop of the label at ``quad`` (if any)."""
    return Previews(photo=thumbnail(image), label=label_crop(image, quad) if quad else None)


def thumbnail(image: LoadedImage) -> bytes:
    """A JPEG of the whole photo, upright, its long side :data:`THUMBNAIL_SIDE`."""
    picture = Image.fromarray(image.pixels)
    picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return _jpeg(picture)


def label_crop(image: LoadedImage, quad: Quad) -> bytes | None:
    """A JPEG of the label's bounding box (plus a margin), or ``None`` if it is empty.

    ``quad`` is in the full-size photo's pixels; ``image.pixels`` may be reduced.
    """
    corners = np.array(quad, dtype=np.float64) * image.scale
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    pad_x, pad_y = (x1 - x0) * _MARGIN, (y1 - y0) * _MARGIN
    height, width = image.pixels.shape[:2]
    left, top = max(0, int(x0 - pad_x)), max(0, int(y0 - pad_y))
    right, bottom = min(width, int(x1 + pad_x) + 1), min(height, int(y1 + pad_y) + 1)
    if right - left < 2 or bottom - top < 2:
        return None
    picture = Image.fromarray(np.ascontiguousarray(image.pixels[top:bottom, left:right]))
    picture.thumbnail((CROP_SIDE, CROP_SIDE))
    return _jpeg(picture)


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue()
