"""Procedural surface textures: painted metal, brushed metal, wood, carpet, walls...

A surface is built as a single-channel brightness modulation ``lum`` and an
additive grain ``add`` and only then coloured, which keeps it fast.  Every
function draws only from the ``rng`` it is given.
"""

from __future__ import annotations

import cv2
import numpy as np

Colour = tuple[float, float, float]

GRAIN_TILE = 256


def smooth_noise(
    rng: np.random.Generator, h: int, w: int, cell: float, aniso: float = 1.0
) -> np.ndarray:
    """Zero-mean, roughly unit-variance noise with features ``cell`` px tall
    and ``cell * aniso`` px wide."""
    gh = max(2, int(h / max(cell, 1.0)) + 2)
    gw = max(2, int(w / max(cell * aniso, 1.0)) + 2)
    if gh * gw >= h * w:
        return rng.standard_normal((h, w), dtype=np.float32)
    small = rng.standard_normal((gh, gw), dtype=np.float32)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC), np.float32)


def fbm(
    rng: np.random.Generator, h: int, w: int, cell: float, octaves: int = 3, aniso: float = 1.0
) -> np.ndarray:
    """Fractal sum of ``smooth_noise`` octaves (largest first), unit-ish variance.

    Octaves are summed at a reduced resolution (their finest features span
    several pixels there) and upscaled once.
    """
    finest = cell / 2 ** (octaves - 1)
    r = int(max(1, min(8, finest // 3)))
    sh, sw = max(2, -(-h // r)), max(2, -(-w // r))
    total = np.zeros((sh, sw), np.float32)
    amp, norm = 1.0, 0.0
    c = cell / r
    for _ in range(octaves):
        cv2.scaleAdd(smooth_noise(rng, sh, sw, c, aniso), amp, total, dst=total)
        norm += amp * amp
        amp *= 0.5
        c = max(1.0, c / 2.0)
    total *= np.float32(1.0 / np.sqrt(norm))
    if r > 1:
        return np.asarray(cv2.resize(total, (w, h), interpolation=cv2.INTER_CUBIC), np.float32)
    return np.asarray(total, np.float32)


def grain(rng: np.random.Generator, h: int, w: int, blur: float = 0.0) -> np.ndarray:
    """Fine unit-variance pixel noise (a randomly shifted tiled field; fast).

    ``blur`` > 0 gives spatially correlated (demosaiced / denoised) grain.
    """
    tile = rng.standard_normal((GRAIN_TILE, GRAIN_TILE), dtype=np.float32)
    if blur > 0:
        pad = int(4 * blur) + 1
        wrapped = np.pad(tile, pad, mode="wrap")
        tile = np.asarray(cv2.GaussianBlur(wrapped, (0, 0), blur), np.float32)[pad:-pad, pad:-pad]
        tile *= np.float32(1.0 / max(float(tile.std()), 1e-6))
    reps = (h // GRAIN_TILE + 2, w // GRAIN_TILE + 2)
    oy, ox = (int(v) for v in rng.integers(0, GRAIN_TILE, 2))
    return np.ascontiguousarray(np.tile(tile, reps)[oy : oy + h, ox : ox + w])


def colourise(lum: np.ndarray, add: np.ndarray, colour: Colour) -> np.ndarray:
    """uint8 RGB image ``lum * colour + add``."""
    chans = [cv2.convertScaleAbs(cv2.scaleAdd(lum, float(c), add)) for c in colour]
    return np.asarray(cv2.merge(chans), np.uint8)


def to_u8(img: np.ndarray) -> np.ndarray:
    """Clip a float image to 0..255 and convert to uint8."""
    return np.asarray(np.clip(img, 0, 255), np.uint8)


def fill(h: int, w: int, colour: Colour) -> np.ndarray:
    """Float32 (h, w, 3) image of one colour."""
    out = np.empty((h, w, 3), np.float32)
    out[:] = np.asarray(colour, np.float32)
    return out


def shade(img: np.ndarray, field: np.ndarray, amount: float) -> np.ndarray:
    """Multiply ``img`` (float, 3 ch) by ``1 + amount * field`` in place."""
    img *= (1.0 + amount * field)[..., None]
    return img


def surface(
    rng: np.random.Generator,
    kind: str,
    h: int,
    w: int,
    colour: Colour,
    px_per_mm: float,
    *,
    vgrad: tuple[float, float] | None = None,
    smudge: float = 0.0,
) -> np.ndarray:
    """A uint8 RGB texture of ``kind`` with mean ``colour``.

    ``px_per_mm`` scales feature sizes so textures look physically sized;
    ``vgrad`` multiplies brightness from top to bottom; ``smudge`` adds
    greasy light blotches (fingerprints) of that many levels.
    """
    h, w = max(1, h), max(1, w)
    mm = max(px_per_mm, 0.05)
    lum = np.ones((h, w), np.float32)
    g_amp = float(rng.uniform(1.0, 3.0))
    add = grain(rng, h, w)
    lines: list[tuple[str, float, float]] = []
    if kind == "matte":
        cv2.scaleAdd(fbm(rng, h, w, 60 * mm, 3), float(rng.uniform(0.03, 0.08)), lum, dst=lum)
    elif kind == "brushed":
        streak = smooth_noise(rng, h, w, max(1.0, 0.15 * mm), aniso=float(rng.uniform(60, 200)))
        cv2.scaleAdd(streak, float(rng.uniform(0.04, 0.09)), lum, dst=lum)
        cv2.scaleAdd(fbm(rng, h, w, 80 * mm, 2), 0.05, lum, dst=lum)
    elif kind == "wood":
        cell = float(rng.uniform(0.8, 2.5)) * mm
        cv2.scaleAdd(
            smooth_noise(rng, h, w, cell, aniso=float(rng.uniform(20, 60))), 0.07, lum, dst=lum
        )
        rings = np.sin(fbm(rng, h, w, 40 * mm, 2, aniso=8.0) * 6.0).astype(np.float32)
        cv2.scaleAdd(rings, float(rng.uniform(0.05, 0.14)), lum, dst=lum)
        plank = float(rng.uniform(80, 160)) * mm
        lines += [
            ("h", float(y), max(1.0, 0.6 * mm))
            for y in np.arange(float(rng.uniform(0, plank)), h, plank)
        ]
    elif kind == "carpet":
        g_amp = float(rng.uniform(10, 22))
        cv2.scaleAdd(smooth_noise(rng, h, w, max(1.0, 1.5 * mm)), 0.12, lum, dst=lum)
        cv2.scaleAdd(fbm(rng, h, w, 100 * mm, 2), 0.08, lum, dst=lum)
    elif kind == "wall":
        yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
        xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
        gx, gy = (float(v) for v in rng.uniform(-0.15, 0.15, 2))
        lum += gx * xx + gy * yy
        cv2.scaleAdd(fbm(rng, h, w, 30 * mm, 3), 0.02, lum, dst=lum)
    elif kind == "tile":
        size = float(rng.uniform(150, 300)) * mm
        off = rng.uniform(0, size, 2)
        lines += [("v", float(x), max(1.0, 2 * mm)) for x in np.arange(off[0], w, size)]
        lines += [("h", float(y), max(1.0, 2 * mm)) for y in np.arange(off[1], h, size)]
        cv2.scaleAdd(fbm(rng, h, w, 20 * mm, 3), 0.04, lum, dst=lum)
        g_amp *= 1.5
    elif kind == "fabric":
        period = max(2.0, float(rng.uniform(0.8, 2.0)) * mm)
        sy = np.sin(np.arange(h, dtype=np.float32) * np.float32(2 * np.pi / period))
        sx = np.sin(np.arange(w, dtype=np.float32) * np.float32(2 * np.pi / period))
        lum += 0.06 * np.outer(sy, sx).astype(np.float32)
        cv2.scaleAdd(
            fbm(rng, h, w, 120 * mm, 2, aniso=2.5), float(rng.uniform(0.12, 0.25)), lum, dst=lum
        )
    else:  # "plain": dark cloth, plastic, an out-of-focus room
        cv2.scaleAdd(fbm(rng, h, w, 150 * mm, 2), float(rng.uniform(0.05, 0.15)), lum, dst=lum)
    if vgrad is not None:
        lum *= np.linspace(vgrad[0], vgrad[1], h, dtype=np.float32)[:, None]
    add *= np.float32(g_amp)
    if smudge > 0:
        blot = np.clip(fbm(rng, h, w, 25 * mm, 3) - 0.6, 0, None)
        cv2.scaleAdd(blot, smudge, add, dst=add)
    out = colourise(lum, add, colour)
    dark = tuple(0.6 * c for c in colour)
    for axis, pos, t in lines:
        if axis == "h":
            cv2.line(out, (0, int(pos)), (w, int(pos)), dark, int(t))
        else:
            cv2.line(out, (int(pos), 0), (int(pos), h), dark, int(t))
    return out


def vary(rng: np.random.Generator, colour: Colour, amount: float) -> Colour:
    """Jitter each channel of ``colour`` by up to ``amount`` levels."""
    r, g, b = (float(c + rng.uniform(-amount, amount)) for c in colour)
    return (r, g, b)
