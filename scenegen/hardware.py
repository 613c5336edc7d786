"""Panel hardware drawn on the world canvas: jacks, DIN sockets, screws,
vents, the power switch, inlet and cord, a card slot.  All sizes in mm."""

from __future__ import annotations

import math

import numpy as np

from scenegen.world import World

Grey = tuple[float, float, float]


def grey(v: float, tint: float = 0.0) -> Grey:
    return (
        float(np.clip(v + tint, 0, 255)),
        float(np.clip(v, 0, 255)),
        float(np.clip(v - tint, 0, 255)),
    )


def _hexagon(x: float, y: float, r: float, rot: float) -> np.ndarray:
    a = rot + np.arange(6) * (math.pi / 3)
    return np.stack([x + r * np.cos(a), y + r * np.sin(a)], axis=1)


def jack(w: World, x: float, y: float, rng: np.random.Generator, style: str) -> None:
    """A 1/4-inch phone jack: nut (or plastic bezel), threaded sleeve, hole."""
    if style == "plastic":
        w.circle(x, y, 6.2, grey(28))
        w.circle(x, y, 6.2, grey(60), 0.4)
        w.circle(x, y, 4.4, grey(18))
    else:
        metal = float(rng.uniform(150, 205)) if style == "nut" else float(rng.uniform(45, 70))
        rot = float(rng.uniform(0, math.pi / 3))
        r = float(rng.uniform(6.0, 7.2))
        w.poly(_hexagon(x, y, r, rot), grey(metal * 0.8))
        w.poly(_hexagon(x - 0.25, y - 0.25, r * 0.9, rot), grey(metal))
        w.poly(_hexagon(x, y, r, rot), grey(metal * 0.55), 0.3)
        w.circle(x, y, 4.9, grey(metal * 0.75))
        w.circle(x, y, 4.9, grey(min(255, metal * 1.15)), 0.35)
        w.circle(x, y, 4.3, grey(metal * 0.6))
    w.circle(x, y, 3.3, grey(float(rng.uniform(6, 16))))
    w.circle(x, y, 2.4, grey(float(rng.uniform(12, 24))), 0.3)
    if style == "nut" and rng.random() < 0.7:
        w.circle(x - 1.8, y - 1.8, 0.9, grey(235))


def din(w: World, x: float, y: float, rng: np.random.Generator) -> None:
    """A 5-pin DIN MIDI socket with optional mounting screws."""
    metal = float(rng.uniform(140, 200))
    w.circle(x, y, 10.2, grey(metal * 0.55))
    w.circle(x, y, 9.6, grey(metal))
    w.circle(x - 0.3, y - 0.3, 9.6, grey(min(255, metal * 1.15)), 0.35)
    w.circle(x, y, 8.0, grey(float(rng.uniform(14, 32))))
    w.circle(x, y, 8.0, grey(metal * 0.4), 0.3)
    w.rect(x - 1.0, y + 7.2, x + 1.0, y + 9.0, grey(metal * 0.4))
    for k in range(5):
        a = math.radians(180 + 45 * k)
        px, py = x + 4.6 * math.cos(a), y + 4.6 * math.sin(a)
        w.circle(px, py, 0.75, grey(165))
        w.circle(px, py, 0.35, grey(20))
    if rng.random() < 0.6:
        for sx in (-15.0, 15.0):
            screw(w, x + sx, y, 1.7, rng, "silver")


def screw(w: World, x: float, y: float, r: float, rng: np.random.Generator, finish: str) -> None:
    """A cross-head screw, shiny (``silver``) or ``black``."""
    base = float(rng.uniform(150, 210)) if finish == "silver" else float(rng.uniform(30, 55))
    w.circle(x, y, r * 1.08, grey(base * 0.45))
    w.circle(x, y, r, grey(base))
    w.circle(x - 0.18 * r, y - 0.18 * r, r * 0.62, grey(min(255, base * 1.12)))
    w.circle(x - 0.3 * r, y - 0.3 * r, r * 0.25, grey(min(255, base * 1.3)))
    a = float(rng.uniform(0, math.pi))
    for t in (a, a + math.pi / 2):
        dx, dy = 0.62 * r * math.cos(t), 0.62 * r * math.sin(t)
        w.line(x - dx, y - dy, x + dx, y + dy, grey(base * 0.25), 0.22 * r)


def vents(
    w: World,
    x0: float,
    y0: float,
    width: float,
    height: float,
    rng: np.random.Generator,
    panel: float,
) -> None:
    """An array of slots cut into the panel."""
    vertical = rng.random() < 0.6
    pitch = float(rng.uniform(4.0, 7.0))
    slot = pitch * float(rng.uniform(0.35, 0.55))
    n = max(1, int((width if vertical else height) / pitch))
    dark = grey(float(rng.uniform(3, 12)))
    edge = grey(min(255.0, panel + 35))
    for i in range(n):
        if vertical:
            sx = x0 + i * pitch
            w.rect(sx, y0, sx + slot, y0 + height, dark, radius=slot / 2)
            w.line(sx + 0.3, y0 + height, sx + slot - 0.3, y0 + height, edge, 0.25)
        else:
            sy = y0 + i * pitch
            w.rect(x0, sy, x0 + width, sy + slot, dark, radius=slot / 2)
            w.line(x0, sy + slot, x0 + width, sy + slot, edge, 0.25)


def rocker(w: World, x: float, y: float, rng: np.random.Generator) -> None:
    """A rocker power switch centred at (x, y)."""
    bw, bh = float(rng.uniform(11, 15)), float(rng.uniform(17, 23))
    w.rect(
        x - bw / 2, y - bh / 2, x + bw / 2, y + bh / 2, grey(float(rng.uniform(20, 40))), radius=1.0
    )
    w.rect(x - bw / 2, y - bh / 2, x + bw / 2, y + bh / 2, grey(70), 0.3, radius=1.0)
    iw, ih = bw * 0.72, bh * 0.8
    w.rect(x - iw / 2, y - ih / 2, x + iw / 2, y, grey(float(rng.uniform(45, 65))))
    w.rect(x - iw / 2, y, x + iw / 2, y + ih / 2, grey(float(rng.uniform(12, 25))))
    w.line(x - 1.2, y - ih / 4, x + 1.2, y - ih / 4, grey(200), 0.4)
    w.circle(x, y + ih / 4, 1.3, grey(190), 0.35)


def iec_inlet(w: World, x: float, y: float, rng: np.random.Generator) -> None:
    """An IEC mains inlet (figure-8 or 3-pin)."""
    w.rect(x - 14, y - 10, x + 14, y + 10, grey(float(rng.uniform(18, 32))), radius=2.0)
    w.rect(x - 14, y - 10, x + 14, y + 10, grey(60), 0.3, radius=2.0)
    w.rect(x - 10, y - 6.5, x + 10, y + 6.5, grey(8), radius=2.5)
    for dx in (-4.5, 4.5):
        w.rect(x + dx - 0.8, y - 3, x + dx + 0.8, y + 3, grey(170))
    if rng.random() < 0.5:
        w.rect(x - 0.8, y + 2.5, x + 0.8, y + 5.5, grey(170))


def cord(w: World, x: float, y: float, rng: np.random.Generator, length: float) -> None:
    """A fixed mains cord leaving through a rubber strain relief, hanging down."""
    rubber = float(rng.uniform(14, 30))
    side = float(rng.uniform(-40, 40))
    pts = []
    for t in np.linspace(0, 1, 24):
        pts.append((x + side * t * t, y + length * t))
    arr = np.array(pts)
    w.poly(arr, grey(rubber), 7.0, closed=False)
    w.poly(arr + np.array([-1.5, 0.0]), grey(rubber + 35), 1.0, closed=False)
    w.circle(x, y, 7.5, grey(rubber * 0.8))
    w.circle(x, y, 5.5, grey(rubber + 10))
    w.circle(x - 1.5, y - 1.5, 4.0, grey(rubber + 25), 0.6)


def card_slot(w: World, x0: float, y: float, width: float, rng: np.random.Generator) -> None:
    """A memory-card slot."""
    w.rect(
        x0 - 1.5, y - 3.5, x0 + width + 1.5, y + 3.5, grey(float(rng.uniform(25, 45))), radius=1.0
    )
    w.rect(x0, y - 1.5, x0 + width, y + 1.5, grey(6))


def scratches(
    w: World,
    rng: np.random.Generator,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    n: int,
    light: bool,
    base: float,
) -> None:
    """Thin straight scratches and scuffs on the panel finish."""
    for _ in range(n):
        cx, cy = float(rng.uniform(x0, x1)), float(rng.uniform(y0, y1))
        ln = float(rng.uniform(2, 25))
        a = float(rng.uniform(0, math.pi)) if rng.random() < 0.5 else float(rng.normal(0, 0.15))
        dx, dy = ln * math.cos(a) / 2, ln * math.sin(a) / 2
        delta = float(rng.uniform(12, 40))
        v = base + delta if light else base - delta
        w.line(cx - dx, cy - dy, cx + dx, cy + dy, grey(v), float(rng.uniform(0.05, 0.15)))
