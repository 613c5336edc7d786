"""Difficulty profiles and the scene plan: every high-level random choice of a
scene, drawn before any pixel is rendered (so plans are cheap to inspect)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.distractors import PLAIN_KINDS, design_distractor, pick_kinds
from scenegen.labels import LabelSpec
from scenegen.panel import PanelStyle, sample_style
from scenegen.photo import PhotoParams, sample_photo
from scenegen.scene import DIFFICULTIES, Difficulty
from scenegen.sticker import design_serial_sticker, random_serial

# serial-sticker area as a fraction of the frame
AREA_RANGE: dict[str, tuple[float, float]] = {
    "easy": (0.03, 0.10),
    "medium": (0.01, 0.05),
    "hard": (0.005, 0.02),
}
# A close-up: the camera held near the sticker, which fills a tenth to a third of the
# frame (more would not fit a long sticker into a 4:3 frame), whatever the difficulty.
CLOSEUP_AREA_RANGE: tuple[float, float] = (0.10, 0.35)
MAX_TILT: dict[str, float] = {"easy": 8.0, "medium": 15.0, "hard": 25.0}
MAX_ROTATION: dict[str, float] = {"easy": 5.0, "medium": 12.0, "hard": 20.0}
UPSIDE_DOWN_P: dict[str, float] = {"easy": 0.0, "medium": 0.12, "hard": 0.35}
MIN_DIGIT_PX = 14.0

FRAME_SIZES: tuple[tuple[int, int], ...] = ((1024, 768), (1600, 1200), (2048, 1536), (4032, 3024))
FRAME_P: tuple[float, ...] = (0.3, 0.32, 0.28, 0.10)
PORTRAIT_P = 0.2
EXIF_NON_UPRIGHT_P = 0.15
EXIF_CHOICES: tuple[int, ...] = (6, 8, 3)
EXIF_P: tuple[float, ...] = (0.45, 0.3, 0.25)


@dataclass(slots=True)
class Plan:
    """All high-level choices for one scene."""

    seed: int
    difficulty: Difficulty
    negative: bool
    size: tuple[int, int]  # (width, height) of the upright image
    exif_orientation: int
    serial: str | None
    sticker: LabelSpec  # drawn for positives; only frames the shot for negatives
    wording: str
    distractors: list[LabelSpec]
    filler_in_slot: bool  # negatives: a distractor sits where the serial sticker would be
    panel: PanelStyle
    tilt: float
    tilt_dir: float
    rotation: float
    upside_down: bool
    focal_factor: float
    cables: int
    photo: PhotoParams
    closeup: bool = False  # framed as a close-up of the sticker (see CLOSEUP_AREA_RANGE)


def seed_sequence(seed: int, difficulty: Difficulty, negative: bool) -> np.random.SeedSequence:
    """The root seed sequence of a scene (nothing global is used)."""
    return np.random.SeedSequence(
        [seed % (1 << 63), DIFFICULTIES.index(difficulty), int(negative), 0x4D31]
    )


def make_plan(seed: int, difficulty: Difficulty, negative: bool, *, closeup: bool = False
              ) -> Plan:
    """Draw the plan of scene (seed, difficulty, negative); ``closeup`` frames the same
    scene as a close-up of the sticker (or of its place, for a negative), and draws nothing
    else differently."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}, got {difficulty!r}")
    rng = np.random.default_rng(seed_sequence(seed, difficulty, negative).spawn(1)[0])
    size = FRAME_SIZES[int(rng.choice(len(FRAME_SIZES), p=FRAME_P))]
    if rng.random() < PORTRAIT_P:
        size = (size[1], size[0])
    exif = 1
    if rng.random() < EXIF_NON_UPRIGHT_P:
        exif = EXIF_CHOICES[int(rng.choice(len(EXIF_CHOICES), p=EXIF_P))]
    serial = random_serial(rng)
    sticker, wording = design_serial_sticker(rng, difficulty, serial)
    lvl = DIFFICULTIES.index(difficulty)
    if negative:
        if rng.random() < 0.7:
            kinds = pick_kinds(rng, int(rng.integers(1, 5)), numbered_first=True)
        else:
            kinds = [
                PLAIN_KINDS[int(rng.integers(len(PLAIN_KINDS)))]
                for _ in range(int(rng.integers(0, 2)))
            ]
    else:
        lo, hi = ((0, 2), (0, 3), (1, 4))[lvl]
        kinds = pick_kinds(rng, int(rng.integers(lo, hi + 1)), numbered_first=False)
    distractors = [design_distractor(rng, k) for k in kinds]
    filler = bool(negative and distractors and rng.random() < 0.4)
    panel = sample_style(rng)
    tilt = MAX_TILT[difficulty] * float(rng.random()) ** 0.7
    upside = bool(rng.random() < UPSIDE_DOWN_P[difficulty])
    cables = 0
    if rng.random() < (0.25, 0.4, 0.5)[lvl]:
        cables = int(rng.integers(1, (3, 4, 5)[lvl]))
    return Plan(
        seed=seed,
        difficulty=difficulty,
        negative=negative,
        size=size,
        exif_orientation=exif,
        serial=None if negative else serial,
        sticker=sticker,
        wording=wording,
        distractors=distractors,
        filler_in_slot=filler,
        panel=panel,
        tilt=tilt,
        tilt_dir=float(rng.uniform(0, 360)),
        rotation=float(rng.uniform(-1, 1)) * MAX_ROTATION[difficulty],
        upside_down=upside,
        focal_factor=float(rng.uniform(0.75, 1.3)),
        cables=cables,
        photo=sample_photo(rng, difficulty),
        closeup=closeup,
    )
