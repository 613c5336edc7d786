"""The flat "world" canvas: the panel plane rasterised in millimetres.

World coordinates are millimetres on the panel plane (x right, y down, the
panel's top-left corner at the origin).  A ``World`` maps them to canvas
pixels at ``d`` px/mm and offers drawing helpers that take millimetres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from scenegen.fonts import FontSpec, render_text

SHIFT = 4
ONE = 1 << SHIFT


@dataclass(slots=True)
class World:
    """A canvas covering ``[ox, ox + w/d] x [oy, oy + h/d]`` millimetres."""

    img: np.ndarray  # uint8 (h, w, 3) once surfaces are laid, float32 before
    ink: np.ndarray  # uint8 (h, w) printed-legend coverage
    ox: float
    oy: float
    d: float

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.ink.shape[0]), int(self.ink.shape[1])

    def px(self, x: float, y: float) -> tuple[float, float]:
        """Canvas pixel coordinates of a world point."""
        return (x - self.ox) * self.d, (y - self.oy) * self.d

    def fp(self, x: float, y: float) -> tuple[int, int]:
        """Fixed-point (``SHIFT``) pixel coordinates for OpenCV drawing."""
        u, v = self.px(x, y)
        return round(u * ONE), round(v * ONE)

    def fr(self, r_mm: float) -> int:
        """Fixed-point radius."""
        return max(1, round(r_mm * self.d * ONE))

    def thick(self, mm: float) -> int:
        """Integer line thickness in pixels (at least 1)."""
        return max(1, round(mm * self.d))

    def visible(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether a world rectangle intersects the canvas."""
        h, w = self.shape
        u0, v0 = self.px(x0, y0)
        u1, v1 = self.px(x1, y1)
        return u1 >= -2 and v1 >= -2 and u0 <= w + 2 and v0 <= h + 2

    def rows_cols(self, x0: float, y0: float, x1: float, y1: float) -> tuple[slice, slice] | None:
        """Canvas slices covering a world rectangle (clipped), or None."""
        h, w = self.shape
        u0, v0 = self.px(x0, y0)
        u1, v1 = self.px(x1, y1)
        c0, c1 = max(0, math.floor(u0)), min(w, math.ceil(u1))
        r0, r1 = max(0, math.floor(v0)), min(h, math.ceil(v1))
        if c1 <= c0 or r1 <= r0:
            return None
        return slice(r0, r1), slice(c0, c1)

    # ----------------------------------------------------------- drawing
    def circle(
        self, x: float, y: float, r: float, colour: tuple[float, ...], thickness_mm: float = -1.0
    ) -> None:
        if not self.visible(x - r, y - r, x + r, y + r):
            return
        t = -1 if thickness_mm < 0 else self.thick(thickness_mm)
        cv2.circle(self.img, self.fp(x, y), self.fr(r), colour, t, cv2.LINE_AA, SHIFT)

    def poly(
        self,
        pts_mm: np.ndarray,
        colour: tuple[float, ...],
        thickness_mm: float = -1.0,
        closed: bool = True,
    ) -> None:
        xs, ys = pts_mm[:, 0], pts_mm[:, 1]
        if not self.visible(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())):
            return
        p = np.stack([(xs - self.ox) * self.d, (ys - self.oy) * self.d], axis=1)
        fpts = np.round(p * ONE).astype(np.int32)
        if thickness_mm < 0:
            cv2.fillPoly(self.img, [fpts], colour, cv2.LINE_AA, SHIFT)
        else:
            cv2.polylines(
                self.img, [fpts], closed, colour, self.thick(thickness_mm), cv2.LINE_AA, SHIFT
            )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        colour: tuple[float, ...],
        thickness_mm: float = -1.0,
        radius: float = 0.0,
    ) -> None:
        self.poly(rounded_rect(x0, y0, x1, y1, radius), colour, thickness_mm)

    def line(
        self, x0: float, y0: float, x1: float, y1: float, colour: tuple[float, ...], width_mm: float
    ) -> None:
        if not self.visible(
            min(x0, x1) - width_mm,
            min(y0, y1) - width_mm,
            max(x0, x1) + width_mm,
            max(y0, y1) + width_mm,
        ):
            return
        cv2.line(
            self.img,
            self.fp(x0, y0),
            self.fp(x1, y1),
            colour,
            self.thick(width_mm),
            cv2.LINE_AA,
            SHIFT,
        )

    # ----------------------------------------------------------- printed legends (into ``ink``)
    def text(
        self,
        x: float,
        y: float,
        text: str,
        cap_mm: float,
        font: FontSpec,
        *,
        anchor: str = "center",
        tracking: float = 0.0,
        weight: int = 0,
    ) -> float:
        """Print ``text`` centred (or left-aligned) at (x, y); returns its width in mm."""
        cap_px = cap_mm * self.d
        est_w = len(text) * cap_mm * 0.9 + 2 * cap_mm
        if not self.visible(x - est_w, y - 2 * cap_mm, x + est_w, y + 2 * cap_mm):
            return est_w * 0.5
        tm = render_text(text, font, max(cap_px, 1.5), tracking=tracking, weight=weight)
        m = tm.mask
        u, v = self.px(x, y)
        if anchor == "center":
            u -= m.shape[1] / 2
        v -= m.shape[0] / 2
        paste_max(self.ink, m, u, v)
        return float(m.shape[1]) / self.d

    def ink_rect(
        self, x0: float, y0: float, x1: float, y1: float, width_mm: float, radius: float = 0.0
    ) -> None:
        if not self.visible(x0 - 1, y0 - 1, x1 + 1, y1 + 1):
            return
        p = rounded_rect(x0, y0, x1, y1, radius)
        q = np.stack([(p[:, 0] - self.ox) * self.d, (p[:, 1] - self.oy) * self.d], axis=1)
        cv2.polylines(
            self.ink,
            [np.round(q * ONE).astype(np.int32)],
            True,
            255,
            self.thick(width_mm),
            cv2.LINE_AA,
            SHIFT,
        )

    def ink_line(self, x0: float, y0: float, x1: float, y1: float, width_mm: float) -> None:
        if not self.visible(min(x0, x1) - 1, min(y0, y1) - 1, max(x0, x1) + 1, max(y0, y1) + 1):
            return
        cv2.line(
            self.ink,
            self.fp(x0, y0),
            self.fp(x1, y1),
            255,
            self.thick(width_mm),
            cv2.LINE_AA,
            SHIFT,
        )

    def ink_clear(self, x0: float, y0: float, x1: float, y1: float) -> None:
        rc = self.rows_cols(x0, y0, x1, y1)
        if rc is not None:
            self.ink[rc] = 0


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float) -> np.ndarray:
    """Polygon (N, 2) of a rounded rectangle."""
    r = max(0.0, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
    if r <= 1e-6:
        return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    pts: list[tuple[float, float]] = []
    for cx, cy, a0 in (
        (x1 - r, y0 + r, -90.0),
        (x1 - r, y1 - r, 0.0),
        (x0 + r, y1 - r, 90.0),
        (x0 + r, y0 + r, 180.0),
    ):
        for a in np.linspace(a0, a0 + 90.0, 7):
            t = math.radians(float(a))
            pts.append((cx + r * math.cos(t), cy + r * math.sin(t)))
    return np.array(pts, np.float64)


def paste_max(dst: np.ndarray, src: np.ndarray, x: float, y: float) -> None:
    """``dst = max(dst, src)`` with ``src``'s top-left at (x, y), clipped."""
    xi, yi = round(x), round(y)
    h, w = src.shape[:2]
    x0, y0 = max(0, xi), max(0, yi)
    x1, y1 = min(dst.shape[1], xi + w), min(dst.shape[0], yi + h)
    if x1 <= x0 or y1 <= y0:
        return
    sub = dst[y0:y1, x0:x1]
    np.maximum(sub, src[y0 - yi : y1 - yi, x0 - xi : x1 - xi], out=sub)
