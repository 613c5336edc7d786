"""Cables plugged into the panel's sockets, drawn in photo space.

A plugged cable shows as a plug body over the socket and a thick dark cable
with a specular highlight hanging out of the frame.  Cables may cross the
sticker's surroundings but never the serial digits.
"""

from __future__ import annotations

import cv2
import numpy as np

from scenegen.camera import apply, local_scale

SHIFT = 4


def _bezier(
    p0: np.ndarray, p1: np.ndarray, p2: np.ndarray, p3: np.ndarray, n: int = 40
) -> np.ndarray:
    t = np.linspace(0, 1, n)[:, None]
    return np.asarray(
        (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3,
        np.float64,
    )


def _clear_of(pts: np.ndarray, radius: float, keepout: np.ndarray | None) -> bool:
    if keepout is None:
        return True
    poly = keepout.astype(np.float32).reshape(-1, 1, 2)
    return all(cv2.pointPolygonTest(poly, (float(x), float(y)), True) <= -radius for x, y in pts)


def draw_cables(
    img: np.ndarray,
    rng: np.random.Generator,
    hom: np.ndarray,
    sockets: list[tuple[float, float, float]],
    count: int,
    keepout: np.ndarray | None,
) -> list[dict[str, object]]:
    """Draw up to ``count`` cables into ``img`` (uint8 RGB, in place)."""
    h, w = img.shape[:2]
    drawn: list[dict[str, object]] = []
    order = [int(i) for i in rng.permutation(len(sockets))]
    used = 0
    margin = 0.0
    if keepout is not None:
        margin = 0.35 * float(np.linalg.norm(keepout[3] - keepout[0]))
    for idx in order:
        if used >= count:
            break
        x, y, r = sockets[idx]
        c = apply(hom, np.array([[x, y]]))[0]
        if not (0 <= c[0] < w and 0 <= c[1] < h):
            continue
        s = local_scale(hom, x, y)
        plug_r = r * float(rng.uniform(0.95, 1.2)) * s
        width = float(rng.uniform(5.0, 7.5)) * s
        # cables hang towards the bottom of the photo, whichever way the panel is
        probe = apply(hom, np.array([[x, y + 10.0]]))[0]
        down = 1.0 if probe[1] >= c[1] else -1.0
        side = float(rng.uniform(-150, 150))
        drop = float(rng.uniform(120, 400)) * down
        way = apply(hom, np.array([[x + side * 0.2, y + drop * 0.3], [x + side, y + drop]]))
        jitter = 0.08 * max(w, h)
        p0 = c
        p1 = c + (way[0] - c) * 0.6 + rng.normal(0, jitter, 2)
        p3 = way[1] + (way[1] - c) * 2.0
        p2 = way[0] + (way[1] - way[0]) * 0.5 + rng.normal(0, jitter, 2)
        pts = _bezier(p0, p1, p2, p3)
        if not _clear_of(pts, width / 2 + margin, keepout) or not _clear_of(
            c[None, :], plug_r + margin, keepout
        ):
            continue
        _draw_one(img, rng, pts, width, c, plug_r)
        drawn.append({"socket_mm": [round(x, 1), round(y, 1)], "width_px": round(width, 1)})
        used += 1
    return drawn


def _draw_one(
    img: np.ndarray,
    rng: np.random.Generator,
    pts: np.ndarray,
    width: float,
    c: np.ndarray,
    plug_r: float,
) -> None:
    base = float(rng.uniform(12, 40))
    hue = rng.uniform(-6, 6, 3) if rng.random() < 0.8 else rng.uniform(-25, 35, 3)
    colour = tuple(float(np.clip(base + v, 0, 255)) for v in hue)
    fp = np.round(pts * (1 << SHIFT)).astype(np.int32)
    thick = max(2, round(width))
    cv2.polylines(img, [fp], False, tuple(0.6 * v for v in colour), thick + 2, cv2.LINE_AA, SHIFT)
    cv2.polylines(img, [fp], False, colour, thick, cv2.LINE_AA, SHIFT)
    d = np.gradient(pts, axis=0)
    nrm = np.stack([-d[:, 1], d[:, 0]], axis=1)
    nrm /= np.maximum(np.linalg.norm(nrm, axis=1, keepdims=True), 1e-6)
    hi = pts + nrm * (width * float(rng.uniform(-0.3, 0.3)))
    cv2.polylines(
        img,
        [np.round(hi * (1 << SHIFT)).astype(np.int32)],
        False,
        tuple(min(255.0, v + float(rng.uniform(30, 70))) for v in colour),
        max(1, round(width * 0.15)),
        cv2.LINE_AA,
        SHIFT,
    )
    _plug(img, rng, c, plug_r, colour)


def _plug(
    img: np.ndarray, rng: np.random.Generator, c: np.ndarray, r: float, colour: tuple[float, ...]
) -> None:
    """A plug body seen end-on: shaded barrel, rim highlight, strain-relief boot."""
    metal = rng.random() < 0.3
    v = float(rng.uniform(90, 150)) if metal else float(rng.uniform(22, 55))
    one = 1 << SHIFT

    def disc(cx: float, cy: float, rad: float, val: float) -> None:
        col = tuple(float(np.clip(val, 0, 255)) for _ in range(3))
        cv2.circle(
            img,
            (round(cx * one), round(cy * one)),
            max(1, round(rad * one)),
            col,
            -1,
            cv2.LINE_AA,
            SHIFT,
        )

    disc(c[0], c[1], r, v * 0.45)
    steps = 5
    for i in range(steps):  # barrel shading: brighter towards the light (upper left)
        t = i / steps
        disc(c[0] - 0.12 * r * t, c[1] - 0.12 * r * t, r * (0.95 - 0.5 * t), v * (0.7 + 0.45 * t))
    boot = tuple(0.9 * x for x in colour)
    cv2.circle(
        img,
        (round(c[0] * one), round(c[1] * one)),
        max(1, round(0.45 * r * one)),
        boot,
        -1,
        cv2.LINE_AA,
        SHIFT,
    )
    hi = (round((c[0] - 0.5 * r) * one), round((c[1] - 0.5 * r) * one))
    cv2.circle(
        img,
        hi,
        max(1, round(0.12 * r * one)),
        (min(255.0, v * 1.6 + 40),) * 3,
        -1,
        cv2.LINE_AA,
        SHIFT,
    )
