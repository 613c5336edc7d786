"""The other photos of a marketplace listing: the front of the synth, its keys, its box,
or the synth on a stand in a room.  None shows a serial sticker (``Scene.serial`` is None).

    from scenegen import generate_listing_shot
    shot = generate_listing_shot(7, "medium")           # kind drawn from the seed
    keys = generate_listing_shot(7, "hard", kind="keys")

Each shot is the flat subject (``instrument_top``, ``shipping_box``) seen through the same
pinhole camera and phone camera model (``camera``, ``photo``) as the rear-panel scenes,
over a table, floor or room.  Some carry text with digits, as real listings do: the LCD's
program number, the number buttons, a price sticker, the number under a barcode.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from scenegen import instrument_top as top
from scenegen import shipping_box as box
from scenegen.camera import (
    Pose,
    apply,
    local_scale,
    plane_homography,
    scale,
    tilt_of,
    translate,
    warp_into,
)
from scenegen.generate import WORK_MAX_PX, WORLD_BUDGET_PX
from scenegen.panel import background_colour
from scenegen.params import (
    EXIF_CHOICES,
    EXIF_NON_UPRIGHT_P,
    EXIF_P,
    FRAME_P,
    FRAME_SIZES,
    PORTRAIT_P,
)
from scenegen.photo import develop, sample_photo, upscale
from scenegen.scene import DIFFICULTIES, Difficulty, Scene
from scenegen.texture import surface
from scenegen.world import World

ListingShotKind = Literal["front", "keys", "box", "room"]
LISTING_SHOT_KINDS: tuple[ListingShotKind, ...] = ("front", "keys", "box", "room")
KIND_P: tuple[float, ...] = (0.4, 0.25, 0.2, 0.15)
PRICE_TAG_P = 0.2
# No serial digits to keep legible: the camera model's blur budget is left wide open.
NO_DIGITS_PX = 100.0
TABLES: tuple[str, ...] = ("wood", "wood", "carpet", "fabric", "tile", "plain")
FLOORS: tuple[str, ...] = ("wood", "wood", "carpet", "tile")

Draw = Callable[[World, np.random.Generator], None]


@dataclass(frozen=True, slots=True)
class _Subject:
    """A flat thing to photograph: its size in mm and how to draw any part of it."""

    size_mm: tuple[float, float]
    draw: Draw
    summary: dict[str, object]

    def corners(self) -> np.ndarray:
        w, h = self.size_mm
        return np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)


def generate_listing_shot(
    seed: int, difficulty: Difficulty = "medium", *, kind: ListingShotKind | None = None
) -> Scene:
    """One listing photo without a serial sticker; deterministic in its arguments.

    ``difficulty`` sets the camera conditions (blur, noise, light) as for rear panels;
    ``kind`` is drawn from the seed when not given.
    """
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}, got {difficulty!r}")
    if kind is not None and kind not in LISTING_SHOT_KINDS:
        raise ValueError(f"kind must be one of {LISTING_SHOT_KINDS}, got {kind!r}")
    wanted = len(LISTING_SHOT_KINDS) if kind is None else LISTING_SHOT_KINDS.index(kind)
    root = np.random.SeedSequence(
        [seed % (1 << 63), DIFFICULTIES.index(difficulty), wanted, 0x4C53]
    )
    rng_plan, rng_draw, rng_photo = (np.random.default_rng(s) for s in root.spawn(3))
    if kind is None:
        kind = LISTING_SHOT_KINDS[int(rng_plan.choice(len(LISTING_SHOT_KINDS), p=KIND_P))]
    w, h = FRAME_SIZES[int(rng_plan.choice(len(FRAME_SIZES), p=FRAME_P))]
    if rng_plan.random() < PORTRAIT_P:
        w, h = h, w
    exif = 1
    if rng_plan.random() < EXIF_NON_UPRIGHT_P:
        exif = EXIF_CHOICES[int(rng_plan.choice(len(EXIF_CHOICES), p=EXIF_P))]
    photo = sample_photo(rng_plan, difficulty)
    k = min(1.0, math.sqrt(WORK_MAX_PX / (w * h)))
    work = (w, h) if k >= 1.0 else (round(w * k), round(h * k))
    img, framing = _COMPOSE[kind](rng_plan, rng_draw, work)
    out, applied = develop(
        img, photo, rng_photo, digits=None, sticker=None, digit_px=NO_DIGITS_PX, contrast=255.0
    )
    if k < 1.0:
        out = upscale(out, (w, h), photo.sharpen)
    summary = photo.summary()
    summary.update(applied)
    summary["working_scale"] = round(k, 4)
    description: dict[str, object] = {
        "generator": "scenegen",
        "listing_shot": kind,
        "negative": True,
        "frame": [w, h],
        "portrait": h > w,
        **framing,
        "blur_sigma_px": summary["blur_sigma_px"],
        "noise_sigma": summary["noise_sigma"],
        "glare": photo.glare,
        "jpeg_quality": photo.jpeg_quality,
        "exif_orientation": exif,
        "photo": summary,
    }
    return Scene(
        image=out,
        serial=None,
        difficulty=difficulty,
        seed=seed,
        label_quad=None,
        exif_orientation=exif,
        description=description,
    )


# ------------------------------------------------------------------ subjects


def _instrument(rng: np.random.Generator, price_tag: bool) -> _Subject:
    look = top.sample_look(rng)
    tag = box.price_tag_text(rng) if price_tag else None
    at = (float(rng.uniform(460, 980)), float(rng.uniform(25, 160)))
    cap = float(rng.uniform(10, 18))

    def draw(world: World, r: np.random.Generator) -> None:
        top.draw_top(world, r, look)
        if tag is not None:
            box.draw_price_tag(world, r, tag, at, cap)

    digits = [*look.lcd_lines, "0-9 buttons"] + ([] if tag is None else [tag])
    return _Subject(
        (top.WIDTH, top.DEPTH),
        draw,
        {**look.summary(), "price_tag": tag, "text_with_digits": digits},
    )


def _box_subject(rng: np.random.Generator, price_tag: bool) -> _Subject:
    look = box.sample_box(rng)
    tag = box.price_tag_text(rng) if price_tag else None
    at = (float(rng.uniform(150, 1000)), float(rng.uniform(330, 380)))

    def draw(world: World, r: np.random.Generator) -> None:
        box.draw_box(world, r, look)
        if tag is not None:
            box.draw_price_tag(world, r, tag, at, 28.0)

    digits = [text for text in (look.barcode_number, tag) if text is not None]
    return _Subject(
        (box.WIDTH, box.HEIGHT),
        draw,
        {**look.summary(), "price_tag": tag, "text_with_digits": digits},
    )


# ------------------------------------------------------------------ framing


def _pose(
    rng: np.random.Generator, size: tuple[int, int], max_tilt: float, max_roll: float
) -> Pose:
    tilt = max_tilt * float(rng.random()) ** 0.7
    direction = math.radians(float(rng.uniform(0, 360)))
    return Pose(
        pitch=tilt * math.sin(direction),
        yaw=tilt * math.cos(direction),
        roll=float(rng.uniform(-max_roll, max_roll)),
        focal=max(size) * float(rng.uniform(0.8, 1.3)),
    )


def _aim(
    pose: Pose,
    size: tuple[int, int],
    focus_mm: tuple[float, float],
    span_mm: float,
    at_px: tuple[float, float],
) -> np.ndarray:
    """Homography mm -> px putting ``focus_mm`` at ``at_px``, about ``span_mm`` across."""
    return plane_homography(pose, size, focus_mm, at_px, pose.focal * span_mm / size[0])


def _backdrop(
    rng: np.random.Generator, size: tuple[int, int], span_mm: float, kinds: tuple[str, ...] = TABLES
) -> tuple[np.ndarray, str]:
    """A surface of one of ``kinds`` at a scale matching a view ``span_mm`` across."""
    kind = kinds[int(rng.integers(len(kinds)))]
    w, h = size
    px_per_mm = w / (span_mm * 1.2)
    return surface(rng, kind, h, w, background_colour(rng, kind), px_per_mm), kind


def _drop_shadow(img: np.ndarray, quad: np.ndarray, rng: np.random.Generator) -> None:
    """Darken the surface under and beside the subject (soft contact shadow), in place."""
    h, w = img.shape[:2]
    q = 4
    mask = np.zeros((max(8, h // q), max(8, w // q)), np.float32)
    shift = rng.uniform(-0.01, 0.02, 2) * max(w, h)
    cv2.fillPoly(mask, [np.round((quad + shift) / q).astype(np.int32)], 1.0, cv2.LINE_AA)
    mask = np.asarray(cv2.GaussianBlur(mask, (0, 0), max(w, h) / q * 0.012), np.float32)
    gain = 1.0 - float(rng.uniform(0.3, 0.6)) * cv2.resize(mask, (w, h))
    img[:] = np.clip(img * gain[..., None], 0, 255).astype(np.uint8)


def _paint(img: np.ndarray, hom: np.ndarray, subject: _Subject, rng: np.random.Generator) -> None:
    """Rasterise the part of ``subject`` the frame sees, at the density it needs there,
    and composite it through ``hom``."""
    h, w = img.shape[:2]
    sw, sh = subject.size_mm
    frame = np.array([[x, y] for x in np.linspace(0, w, 5) for y in np.linspace(0, h, 5)])
    seen = apply(np.linalg.inv(hom), frame)
    x0, y0 = (max(0.0, float(v)) for v in seen.min(axis=0))
    x1, y1 = min(sw, float(seen[:, 0].max())), min(sh, float(seen[:, 1].max()))
    if x1 <= x0 or y1 <= y0:
        return
    inside = np.clip(seen, [x0, y0], [x1, y1])
    need = max(local_scale(hom, float(x), float(y)) for x, y in inside)
    d = max(0.2, min(need, math.sqrt(WORLD_BUDGET_PX / ((x1 - x0) * (y1 - y0)))))
    cw, ch = max(8, math.ceil((x1 - x0) * d)), max(8, math.ceil((y1 - y0) * d))
    world = World(np.zeros((ch, cw, 3), np.uint8), np.zeros((ch, cw), np.uint8), x0, y0, d)
    subject.draw(world, rng)
    rgba = np.dstack([world.img, np.full((ch, cw), 255, np.uint8)])
    warp_into(img, rgba, hom @ translate(x0, y0) @ scale(1.0 / d))


def _on_table(
    rng: np.random.Generator,
    rng_draw: np.random.Generator,
    size: tuple[int, int],
    subject: _Subject,
    focus_mm: tuple[float, float],
    span_mm: float,
    max_tilt: float,
) -> tuple[np.ndarray, dict[str, object]]:
    w, h = size
    pose = _pose(rng, size, max_tilt, 12.0)
    at = (w * float(rng.uniform(0.4, 0.6)), h * float(rng.uniform(0.4, 0.6)))
    hom = _aim(pose, size, focus_mm, span_mm, at)
    img, table = _backdrop(rng, size, span_mm)
    _drop_shadow(img, apply(hom, subject.corners()), rng)
    _paint(img, hom, subject, rng_draw)
    return img, {
        "background": table,
        "tilt_deg": round(tilt_of(pose), 2),
        "span_mm": round(span_mm, 1),
        "subject": subject.summary,
    }


def _front(
    rng: np.random.Generator, rng_draw: np.random.Generator, size: tuple[int, int]
) -> tuple[np.ndarray, dict[str, object]]:
    subject = _instrument(rng, bool(rng.random() < PRICE_TAG_P))
    x0, y0, x1, y1 = top.panel_box()
    focus = (float(rng.uniform(x0 + 150, x1 - 150)), float(rng.uniform(y0 + 40, y1)))
    return _on_table(rng, rng_draw, size, subject, focus, float(rng.uniform(350, 1350)), 35.0)


def _keys(
    rng: np.random.Generator, rng_draw: np.random.Generator, size: tuple[int, int]
) -> tuple[np.ndarray, dict[str, object]]:
    subject = _instrument(rng, price_tag=False)
    x0, y0, x1, y1 = top.keys_box()
    focus = (float(rng.uniform(x0 + 100, x1 - 100)), float(rng.uniform(y0 + 30, y1)))
    return _on_table(rng, rng_draw, size, subject, focus, float(rng.uniform(280, 750)), 40.0)


def _box(
    rng: np.random.Generator, rng_draw: np.random.Generator, size: tuple[int, int]
) -> tuple[np.ndarray, dict[str, object]]:
    subject = _box_subject(rng, bool(rng.random() < PRICE_TAG_P))
    focus = (box.WIDTH / 2 + float(rng.uniform(-250, 250)), box.HEIGHT / 2)
    return _on_table(rng, rng_draw, size, subject, focus, float(rng.uniform(800, 1800)), 30.0)


def _room(
    rng: np.random.Generator, rng_draw: np.random.Generator, size: tuple[int, int]
) -> tuple[np.ndarray, dict[str, object]]:
    """The synth on an X stand against a wall, seen from in front and above."""
    w, h = size
    subject = _instrument(rng, price_tag=False)
    span = float(rng.uniform(1500, 2600))
    floor_at = round(h * float(rng.uniform(0.45, 0.7)))
    wall, _ = _backdrop(rng, (w, floor_at), span, ("wall",))
    floor, floor_kind = _backdrop(rng, (w, h - floor_at), span, FLOORS)
    img = np.concatenate([wall, floor], axis=0)
    px_per_mm = w / span
    cv2.rectangle(
        img,
        (0, floor_at - round(70 * px_per_mm)),
        (w, floor_at),
        (225, 225, 220) if rng.random() < 0.6 else (90, 60, 40),
        -1,
    )
    pose = Pose(
        pitch=-float(rng.uniform(45, 65)),
        yaw=float(rng.uniform(-20, 20)),
        roll=float(rng.uniform(-4, 4)),
        focal=max(size) * float(rng.uniform(0.8, 1.2)),
    )
    at = (w * float(rng.uniform(0.4, 0.6)), floor_at + h * float(rng.uniform(-0.05, 0.1)))
    hom = _aim(pose, size, (top.WIDTH / 2, top.DEPTH / 2), span, at)
    _stand(img, apply(hom, subject.corners()), px_per_mm, rng)
    _paint(img, hom, subject, rng_draw)
    return img, {
        "background": f"wall and {floor_kind}",
        "tilt_deg": round(tilt_of(pose), 2),
        "span_mm": round(span, 1),
        "subject": subject.summary,
    }


def _stand(img: np.ndarray, quad: np.ndarray, px_per_mm: float, rng: np.random.Generator) -> None:
    """An X stand under the instrument's front edge (quad corners 3 and 2)."""
    left, right = quad[3], quad[2]
    width = float(np.linalg.norm(right - left))
    drop = width * float(rng.uniform(0.45, 0.7))
    colour = (20, 20, 22) if rng.random() < 0.7 else (120, 120, 125)
    thick = max(2, round(30 * px_per_mm))
    for a, b in ((0.25, 0.4), (0.6, 0.75)):
        p = left + (right - left) * a
        q = left + (right - left) * b
        down = np.array([0.0, drop])
        for s, e in ((p, q + down), (q, p + down)):
            cv2.line(
                img,
                (round(s[0]), round(s[1])),
                (round(e[0]), round(e[1])),
                colour,
                thick,
                cv2.LINE_AA,
            )


_COMPOSE: dict[
    str,
    Callable[
        [np.random.Generator, np.random.Generator, tuple[int, int]],
        tuple[np.ndarray, dict[str, object]],
    ],
] = {
    "front": _front,
    "keys": _keys,
    "box": _box,
    "room": _room,
}
