"""Stage 3: cut each candidate region out of the photo, squared up, as Tesseract likes it.

The region's quadrilateral is mapped onto an upright rectangle by a perspective transform,
scaled so characters are about :data:`TARGET_TEXT_HEIGHT` pixels tall (Tesseract's LSTM
models read best around there), turned into dark text on a light background, and given a
plain margin.  Two renderings are made: a contrast-stretched grey one and a binarised one,
because blur and glare defeat each in different photos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from stickerscan.load import LoadedImage
from stickerscan.locate import LabelRegion

TARGET_TEXT_HEIGHT = 36
"""Character height, in pixels, the crops are scaled to."""

_MARGIN = 12
_MAX_WIDTH = 2400
_MAX_HEIGHT = 900


@dataclass(frozen=True, slots=True)
class LabelCrop:
    """One candidate region, rectified and prepared for OCR."""

    region: LabelRegion
    rank: int
    """Position of the region in the locator's ranking, 0 = best."""
    grey: np.ndarray = field(repr=False, compare=False)
    """(H, W) uint8: dark text on a light background, contrast stretched, with a margin."""
    binary: np.ndarray = field(repr=False, compare=False)
    """(H, W) uint8, 0 or 255: ``grey`` binarised by local thresholding."""

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "size": [self.grey.shape[1], self.grey.shape[0]]}


def enhance_region(image: LoadedImage, region: LabelRegion, rank: int) -> LabelCrop:
    """Rectify ``region`` of ``image`` into an OCR-ready crop."""
    quad = np.array(region.quad, dtype=np.float32) * np.float32(image.scale)
    top = np.linalg.norm(quad[1] - quad[0])
    bottom = np.linalg.norm(quad[2] - quad[3])
    left = np.linalg.norm(quad[3] - quad[0])
    right = np.linalg.norm(quad[2] - quad[1])
    text_height = max(region.text_height * image.scale, 1.0)
    zoom = TARGET_TEXT_HEIGHT / text_height
    width = float((top + bottom) / 2 * zoom)
    height = float((left + right) / 2 * zoom)
    shrink = min(1.0, _MAX_WIDTH / max(width, 1.0), _MAX_HEIGHT / max(height, 1.0))
    size = (max(8, round(width * shrink)), max(8, round(height * shrink)))
    target = np.array(
        [(0, 0), (size[0] - 1, 0), (size[0] - 1, size[1] - 1), (0, size[1] - 1)],
        dtype=np.float32,
    )
    transform = cv2.getPerspectiveTransform(quad, target)
    grey_photo = cv2.cvtColor(image.pixels, cv2.COLOR_RGB2GRAY)
    flat = cv2.warpPerspective(
        grey_photo, transform, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    if region.polarity == "light-on-dark":
        flat = 255 - flat
    grey = _stretch(flat)
    binary = _binarise(grey)
    return LabelCrop(
        region=region,
        rank=rank,
        grey=_pad(grey),
        binary=_pad(binary),
    )


def _stretch(grey: np.ndarray) -> np.ndarray:
    low, high = (float(v) for v in np.percentile(grey, (2, 98)))
    if high - low < 1:
        return grey
    stretched = (grey.astype(np.float32) - low) * np.float32(255.0 / (high - low))
    result: np.ndarray = np.clip(stretched, 0, 255).astype(np.uint8)
    return result


def _binarise(grey: np.ndarray) -> np.ndarray:
    # A window a few characters wide follows glare and shading across the label.
    block = 2 * TARGET_TEXT_HEIGHT + 1
    smoothed = cv2.GaussianBlur(grey, (3, 3), 0)
    binary: np.ndarray = cv2.adaptiveThreshold(
        smoothed, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 12
    )
    return binary


def _pad(grey: np.ndarray) -> np.ndarray:
    padded: np.ndarray = cv2.copyMakeBorder(
        grey, _MARGIN, _MARGIN, _MARGIN, _MARGIN, cv2.BORDER_CONSTANT, value=255
    )
    return padded
