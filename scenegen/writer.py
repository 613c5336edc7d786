"""Writing scenes to disk as JPEG or PNG with an EXIF orientation tag."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from scenegen.scene import Scene

ORIENTATION_TAG = 0x0112
# np.rot90 turns (counter-clockwise) applied to the upright image to get the
# stored pixels, so that a viewer honouring the tag shows the upright image.
STORE_ROTATION: dict[int, int] = {1: 0, 3: 2, 6: 1, 8: 3}


def stored_pixels(image: np.ndarray, orientation: int) -> np.ndarray:
    """The pixel array to store for ``orientation`` (inverse of the EXIF transform)."""
    if orientation not in STORE_ROTATION:
        raise ValueError(f"unsupported EXIF orientation {orientation}")
    return np.ascontiguousarray(np.rot90(image, STORE_ROTATION[orientation]))


def write_scene(scene: Scene, path: Path) -> None:
    """Write ``scene`` to ``path`` (.jpg/.jpeg or .png) with its EXIF orientation."""
    path = Path(path)
    img = Image.fromarray(stored_pixels(scene.image, scene.exif_orientation), "RGB")
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = scene.exif_orientation
    suffix = path.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        quality = int(np.clip(int(str(scene.description.get("jpeg_quality", 90))), 50, 95))
        img.save(path, "JPEG", quality=quality, exif=exif)
    elif suffix == ".png":
        img.save(path, "PNG", exif=exif)
    else:
        raise ValueError(f"unsupported image suffix {path.suffix!r} (use .jpg, .jpeg or .png)")
