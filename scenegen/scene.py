"""The public result type of the generator: one synthetic photo plus its ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Difficulty = Literal["easy", "medium", "hard"]

DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")

Quad = tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Scene:
    """A generated photo and everything known about it: a rear panel, or one of a
    listing's other photos (``scenegen.listing_shots``; no serial, no label quad).

    ``image`` is the upright RGB view (what a viewer honouring EXIF shows);
    ``label_quad`` holds the serial sticker's corners in ``image`` pixels,
    clockwise from the sticker's own top-left corner.
    """

    image: np.ndarray = field(repr=False, compare=False)
    serial: str | None
    difficulty: Difficulty
    seed: int
    label_quad: Quad | None
    exif_orientation: int
    description: dict[str, object]
