"""Rendering of stickers and plates (the serial sticker and the distractors).

Both kinds go through the same renderer so that nothing but the wording tells
a serial sticker from any other label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from scenegen.fonts import FontSpec, TextMask, ink_box, render_dot_matrix, render_text
from scenegen.texture import Colour, fbm, fill, shade, smooth_noise, to_u8
from scenegen.world import paste_max, rounded_rect

MEASURE_CAP = 40.0
SHADOW_MARGIN = 4  # px of transparent margin around the label for its shadow


@dataclass(slots=True)
class TextLine:
    """One line of text; ``rel`` is its cap height relative to the main line.

    ``digits`` is the character range of the serial digits (serial line only).
    """

    text: str
    rel: float = 1.0
    digits: tuple[int, int] | None = None


@dataclass(slots=True)
class LabelSpec:
    """Everything needed to draw one sticker or plate."""

    kind: str
    style: str  # "black" | "paper" | "foil" | "plate" | "colour"
    lines: list[TextLine]
    font: FontSpec
    bg: Colour
    ink: Colour
    width_mm: float
    aspect_factor: float = 1.0
    min_aspect: float = 1.5
    max_aspect: float = 6.0
    tracking: float = 0.0
    weight: int = 0
    jitter: float = 0.0
    dot_matrix: bool = False
    align: str = "center"
    barcode: str | None = None  # "below" | "right"
    badge: str | None = None
    border: bool = False
    corner: float = 0.0
    peel: float = 0.0
    wear: float = 0.0
    crooked_deg: float = 0.0
    gloss: float = 0.0
    line_gap: float = 0.45
    pad: float = 0.5
    fill_frac: float = 0.9
    opacity: float = 0.95
    extra: dict[str, object] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        """JSON-friendly description of the label."""
        return {
            "kind": self.kind,
            "style": self.style,
            "text": [ln.text for ln in self.lines],
            "font": self.font.name,
            "tracking": round(self.tracking, 3),
            "weight": self.weight,
            "stamp_jitter": round(self.jitter, 3),
            "dot_matrix": self.dot_matrix,
            "barcode": self.barcode,
            "badge": self.badge,
            "border": self.border,
            "corner_radius": round(self.corner, 3),
            "peeled": self.peel > 0,
            "wear": round(self.wear, 3),
            "crooked_deg": round(self.crooked_deg, 2),
            "width_mm": round(self.width_mm, 1),
        }


@dataclass(frozen=True, slots=True)
class Layout:
    """Resolution-independent layout of a label, in main-cap units."""

    widths: tuple[float, ...]
    heights: tuple[float, ...]
    content_w: float
    content_h: float
    aspect: float
    digit_h: float  # serial digit height in label heights (0 when none)


@dataclass(frozen=True, slots=True)
class LabelRender:
    """A rendered label: RGBA with a transparent margin and key boxes in px."""

    rgba: np.ndarray
    corners: np.ndarray  # (4, 2) label corners in rgba px, TL, TR, BR, BL
    digit_box: tuple[float, float, float, float] | None  # in rgba px
    digit_contrast: float = 0.0  # measured grey-level contrast of the digits' print


def _badge_w(spec: LabelSpec, block_h: float) -> float:
    return max(1.6, block_h) * 1.15 if spec.badge else 0.0


def layout(spec: LabelSpec) -> Layout:
    """Measure the text and decide the label's aspect ratio."""
    widths: list[float] = []
    heights: list[float] = []
    digit_unit = 0.0
    for ln in spec.lines:
        tm = render_text(
            ln.text, spec.font, MEASURE_CAP, tracking=spec.tracking, weight=spec.weight
        )
        widths.append(tm.mask.shape[1] / MEASURE_CAP * ln.rel)
        heights.append(tm.mask.shape[0] / MEASURE_CAP * ln.rel)
        if ln.digits is not None:
            _, top, _, bottom = ink_box(tm, *ln.digits)
            digit_unit = (bottom - top) / MEASURE_CAP * ln.rel
    block_h = sum(heights) + spec.line_gap * sum(ln.rel for ln in spec.lines[1:])
    block_w = max(widths) if widths else 1.0
    content_w = block_w + _badge_w(spec, block_h)
    content_h = block_h
    if spec.barcode == "below":
        content_h += 1.4 + spec.line_gap
    elif spec.barcode == "right":
        content_w += 3.0 + spec.line_gap
    natural = (content_w + 2 * spec.pad) / (content_h + 2 * spec.pad)
    aspect = natural * spec.aspect_factor
    # reflect (in log space) at the limits rather than clip, so no aspect value piles up
    if aspect > spec.max_aspect:
        aspect = spec.max_aspect**2 / aspect
    if aspect < spec.min_aspect:
        aspect = spec.min_aspect**2 / aspect
    aspect = float(np.clip(aspect, spec.min_aspect, spec.max_aspect))
    # scale so that content fits the box at this aspect (height units = label height)
    box_w, box_h = aspect, 1.0
    s = min(box_w / (content_w + 2 * spec.pad), box_h / (content_h + 2 * spec.pad)) * spec.fill_frac
    return Layout(tuple(widths), tuple(heights), content_w, content_h, aspect, digit_unit * s)


def _rounded_rect_mask(h: int, w: int, radius: float, inset: float = 0.0) -> np.ndarray:
    """Anti-aliased filled rounded rectangle (uint8) covering an h x w box."""
    mask = np.zeros((h, w), np.uint8)
    r = max(0.0, min(radius, (min(h, w) - 2 * inset) / 2 - 0.5))
    x0, y0, x1, y1 = inset, inset, w - inset, h - inset
    pts = rounded_rect(x0, y0, x1, y1, r)
    cv2.fillPoly(mask, [np.round(pts * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
    return mask


def _background(
    spec: LabelSpec, rng: np.random.Generator, h: int, w: int, ppu: float
) -> np.ndarray:
    img = fill(h, w, spec.bg)
    if spec.style == "paper":
        shade(img, fbm(rng, h, w, max(2.0, h / 3), 3), float(rng.uniform(0.01, 0.04)))
        img += float(rng.uniform(1.5, 4.0)) * rng.standard_normal((h, w, 1), dtype=np.float32)
        if rng.random() < 0.5:  # yellowed towards one side
            ramp = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
            img -= ramp * np.asarray([0, 6, 18], np.float32) * float(rng.uniform(0.3, 1.0))
    elif spec.style == "black":
        yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None, None]
        img += float(rng.uniform(-6, 6)) * yy
        img += float(rng.uniform(1.0, 2.5)) * rng.standard_normal((h, w, 1), dtype=np.float32)
    elif spec.style == "foil":
        ang = float(rng.uniform(0, math.pi))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        t = (xx * math.cos(ang) + yy * math.sin(ang)) / max(h, w)
        band = np.zeros((h, w), np.float32)
        for _ in range(3):
            band += np.cos(t * float(rng.uniform(2, 9)) + float(rng.uniform(0, 6.3))).astype(
                np.float32
            )
        img += (band / 3.0 * float(rng.uniform(14, 34)))[..., None]
        shade(
            img,
            smooth_noise(rng, h, w, 1.0, aniso=float(rng.uniform(40, 120))),
            float(rng.uniform(0.03, 0.07)),
        )
        img += 2.0 * rng.standard_normal((h, w, 1), dtype=np.float32)
    elif spec.style == "plate":
        shade(
            img,
            smooth_noise(rng, h, w, 1.0, aniso=float(rng.uniform(50, 150))),
            float(rng.uniform(0.04, 0.08)),
        )
        shade(img, fbm(rng, h, w, max(2.0, h / 2), 2), 0.04)
        bev = max(1, round(0.04 * h))
        hi, lo = tuple(min(255.0, c * 1.25) for c in spec.bg), tuple(c * 0.6 for c in spec.bg)
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), lo, bev)
        cv2.line(img, (bev, bev), (w - bev, bev), hi, max(1, bev // 2))
        cv2.line(img, (bev, bev), (bev, h - bev), hi, max(1, bev // 2))
        img += 2.0 * rng.standard_normal((h, w, 1), dtype=np.float32)
    else:
        shade(img, fbm(rng, h, w, max(2.0, h / 3), 2), 0.03)
        img += 2.0 * rng.standard_normal((h, w, 1), dtype=np.float32)
    if spec.gloss > 0:
        ang = float(rng.uniform(-0.6, 0.6))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        pos = (xx / max(w, 1)) + ang * (yy / max(h, 1)) - float(rng.uniform(0.1, 0.9))
        band = np.exp(-((pos / float(rng.uniform(0.05, 0.2))) ** 2)).astype(np.float32)
        img += (band * spec.gloss * 60.0)[..., None]
    return img


def ean13_text(rng: np.random.Generator, prefix: str) -> str:
    """An EAN-13 as printed under a barcode ("4 959112 674936"): ``prefix`` (seven digits,
    the first and the company's six), five random digits, and the check digit real codes
    end with (GS1: the others weighted 1 and 3 in turn from the left, made up to a
    multiple of ten).  Six digits are drawn, the last replaced, so the draws are as many
    as a fully random number's."""
    drawn = "".join(str(int(d)) for d in rng.integers(0, 10, 6))
    first_twelve = prefix + drawn[:5]
    weighted = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first_twelve))
    check = (10 - weighted % 10) % 10
    return f"{prefix[0]} {prefix[1:]} {drawn[:5]}{check}"


def barcode_mask(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A (h, w) uint8 mask of random barcode-like bars (255 = ink)."""
    mask = np.zeros((max(1, h), max(1, w)), np.uint8)
    modules = int(rng.integers(60, 110))
    unit = w / modules
    x = 0.0
    bar = True
    while x < w:
        width = int(rng.integers(1, 4)) * unit
        if bar:
            mask[:, round(x) : max(round(x) + 1, round(x + width))] = 255
        bar = not bar
        x += width
    if unit < 1.5:
        mask = np.asarray(cv2.GaussianBlur(mask, (0, 0), 0.5), np.uint8)
    return mask


def render_label(
    spec: LabelSpec, lay: Layout, width_px: float, rng: np.random.Generator
) -> LabelRender:
    """Draw ``spec`` ``width_px`` wide at the aspect chosen by ``lay``."""
    w = max(8, round(width_px))
    h = max(4, round(width_px / lay.aspect))
    s = min(w / (lay.content_w + 2 * spec.pad), h / (lay.content_h + 2 * spec.pad)) * spec.fill_frac
    img = _background(spec, rng, h, w, s)
    ink = np.zeros((h, w), np.uint8)
    block_h = sum(lay.heights) + spec.line_gap * sum(ln.rel for ln in spec.lines[1:])
    badge_w = _badge_w(spec, block_h)
    bar_w = (3.0 + spec.line_gap) if spec.barcode == "right" else 0.0
    x_left = (w - lay.content_w * s) / 2
    if spec.align == "left":
        x_left = min(x_left, spec.pad * s * 1.2)
    y_top = (h - lay.content_h * s) / 2
    text_x0 = x_left + badge_w * s
    text_w = (lay.content_w - badge_w - bar_w) * s
    digit_box: tuple[float, float, float, float] | None = None
    y = y_top
    for ln, lh in zip(spec.lines, lay.heights, strict=True):
        cap = s * ln.rel
        tm: TextMask = render_text(
            ln.text,
            spec.font,
            cap,
            tracking=spec.tracking,
            weight=spec.weight,
            jitter=spec.jitter,
            rng=rng,
        )
        if spec.dot_matrix:
            # Rendered in the chosen font first all the same: the layout was measured in
            # it, and it draws the same random numbers, so the rest of the scene stays as
            # it was.  For the same reason the zero's style comes from a draw made
            # already: the fill fraction, uniform over 0.8 to 1.0, slashes half of them.
            tm = render_dot_matrix(ln.text, cap, tm.mask.shape[1], spec.weight,
                                   slashed_zero=spec.fill_frac < 0.9)
        m = tm.mask
        if m.shape[1] > text_w * 1.02 and m.shape[1] > 0:  # rounding overflow
            k = text_w / m.shape[1]
            m = cv2.resize(
                m,
                (max(1, round(m.shape[1] * k)), max(1, round(m.shape[0] * k))),
                interpolation=cv2.INTER_AREA,
            )
            tm = TextMask(m, tuple((a * k, b * k) for a, b in tm.spans), tm.baseline * k)
        lx = text_x0 + (text_w - m.shape[1]) / 2 if spec.align == "center" else text_x0
        ly = y + (lh * s - m.shape[0]) / 2
        paste_max(ink, m, lx, ly)
        if ln.digits is not None:
            bx0, by0, bx1, by1 = ink_box(tm, *ln.digits)
            digit_box = (lx + bx0, ly + by0, lx + bx1, ly + by1)
        y += lh * s + spec.line_gap * s * ln.rel
    if spec.badge:
        d = max(1.6, block_h) * s
        cx, cy = x_left + d / 2, y_top + block_h * s / 2
        cv2.circle(
            ink,
            (round(cx * 16), round(cy * 16)),
            round(d / 2 * 16),
            255,
            max(1, round(0.09 * d)),
            cv2.LINE_AA,
            4,
        )
        tm = render_text(
            spec.badge, spec.font, d * (0.36 if len(spec.badge) < 3 else 0.26), weight=1
        )
        paste_max(ink, tm.mask, cx - tm.mask.shape[1] / 2, cy - tm.mask.shape[0] / 2)
    if spec.barcode == "below":
        bw, bh = text_w * float(rng.uniform(0.6, 1.0)), 1.4 * s
        bx = text_x0 + (text_w - bw) / 2
        paste_max(
            ink, barcode_mask(rng, round(bw), round(bh)), bx, y_top + (lay.content_h - 1.4) * s
        )
    elif spec.barcode == "right":
        bw, bh = 3.0 * s, block_h * s
        paste_max(
            ink, barcode_mask(rng, round(bw), round(bh)), x_left + (lay.content_w - 3.0) * s, y_top
        )
    if spec.border:
        inset = max(1.0, spec.pad * s * 0.35)
        edge = np.zeros((h, w), np.uint8)
        thick = max(1, round(0.07 * s))
        poly = rounded_rect(inset, inset, w - inset, h - inset, spec.corner * h * 0.6)
        cv2.polylines(
            edge, [np.round(poly * 16).astype(np.int32)], True, 255, thick, cv2.LINE_AA, shift=4
        )
        np.maximum(ink, edge, out=ink)
    img = _apply_ink(spec, rng, img, ink, s)
    if spec.style == "plate":
        _rivets(spec, img, min(x_left, w - x_left - lay.content_w * s))
    if spec.wear > 0:
        _wear(spec, rng, img, h, w)
    alpha = _rounded_rect_mask(h, w, spec.corner * h)
    if spec.peel > 0:
        _peel(spec, rng, img, alpha, digit_box)
    out = _with_margin(img, alpha, digit_box)
    if digit_box is None:
        return out
    return LabelRender(out.rgba, out.corners, out.digit_box, _measure_contrast(img, ink, digit_box))


def _measure_contrast(
    img: np.ndarray, ink: np.ndarray, box: tuple[float, float, float, float]
) -> float:
    """Median luminance difference between stroke cores and paper inside ``box``."""
    x0, y0 = max(0, int(box[0]) - 1), max(0, int(box[1]) - 1)
    x1, y1 = math.ceil(box[2]) + 1, math.ceil(box[3]) + 1
    lum = img[y0:y1, x0:x1] @ np.asarray([0.299, 0.587, 0.114], np.float32)
    m = ink[y0:y1, x0:x1]
    core = lum[m > 170]
    paper = lum[m == 0]
    if core.size < 4 or paper.size < 4:
        return 0.0
    return float(abs(np.median(paper) - np.median(core)))


def _rivets(spec: LabelSpec, img: np.ndarray, free: float) -> None:
    """Two rivet heads in the plate's end margins when there is room."""
    h, w = img.shape[:2]
    r = max(2, round(0.1 * h))
    if free < 2.6 * r:
        return
    for cx in (free / 2, w - free / 2):
        c = (round(cx), h // 2)
        cv2.circle(img, c, r, tuple(c_ * 0.45 for c_ in spec.bg), -1, cv2.LINE_AA)
        cv2.circle(
            img,
            (c[0] - r // 3, c[1] - r // 3),
            max(1, r // 2),
            tuple(min(255.0, c_ * 1.3) for c_ in spec.bg),
            -1,
            cv2.LINE_AA,
        )


def _apply_ink(
    spec: LabelSpec, rng: np.random.Generator, img: np.ndarray, ink: np.ndarray, s: float
) -> np.ndarray:
    h, w = ink.shape
    a = ink.astype(np.float32) / 255.0
    fade = 1.0 - spec.wear * 0.35 * np.clip(smooth_noise(rng, h, w, max(2.0, s * 1.5)), 0, None)
    a *= np.clip(fade, 0.55, 1.0) * spec.opacity
    if spec.style == "plate":  # stamped / engraved: shading instead of ink
        k = max(1, round(0.06 * s))
        shadow = np.roll(np.roll(a, k, axis=0), k, axis=1)
        light = np.roll(np.roll(a, -k, axis=0), -k, axis=1)
        depth = float(rng.uniform(0.38, 0.58))
        img *= (1.0 - depth * a)[..., None]
        img *= (1.0 - 0.25 * np.clip(shadow - a, 0, 1))[..., None]
        img += (40.0 * np.clip(light - a, 0, 1))[..., None]
        if spec.extra.get("filled"):
            img[:] = img * (1 - a[..., None]) + np.asarray(spec.ink, np.float32) * a[..., None]
        return img
    colour = np.asarray(spec.ink, np.float32)
    img += (colour - img) * a[..., None]
    return img


def _wear(spec: LabelSpec, rng: np.random.Generator, img: np.ndarray, h: int, w: int) -> None:
    n = int(rng.integers(1, 2 + round(6 * spec.wear)))
    for _ in range(n):
        p0 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        ang = float(rng.uniform(0, math.pi))
        ln = float(rng.uniform(0.1, 0.5)) * w
        p1 = (int(p0[0] + ln * math.cos(ang)), int(p0[1] + ln * math.sin(ang)))
        delta = float(rng.choice([-1.0, 1.0])) * float(rng.uniform(15, 45)) * spec.wear
        layer = np.zeros((h, w), np.float32)
        cv2.line(layer, p0, p1, 1.0, 1, cv2.LINE_AA)
        img += (layer * delta)[..., None]
    dirt = np.clip(fbm(rng, h, w, max(3.0, h / 2.5), 3), 0, None)
    img *= (1.0 - 0.12 * spec.wear * dirt)[..., None]


def _peel(
    spec: LabelSpec,
    rng: np.random.Generator,
    img: np.ndarray,
    alpha: np.ndarray,
    digit_box: tuple[float, float, float, float] | None,
) -> None:
    h, w = alpha.shape
    size = spec.peel * h
    corners = [
        (0.0, 0.0, 1, 1),
        (w - 1.0, 0.0, -1, 1),
        (w - 1.0, h - 1.0, -1, -1),
        (0.0, h - 1.0, 1, -1),
    ]
    order = rng.permutation(4)
    for idx in order:
        cx, cy, sx, sy = corners[int(idx)]
        a = (cx + sx * size, cy)
        b = (cx, cy + sy * size)
        flap = (cx + sx * size, cy + sy * size)
        xs = (cx, a[0], flap[0])
        ys = (cy, b[1], flap[1])
        if digit_box is not None:
            dx0, dy0, dx1, dy1 = digit_box
            if min(xs) < dx1 + 2 and max(xs) > dx0 - 2 and min(ys) < dy1 + 2 and max(ys) > dy0 - 2:
                continue
        cut = np.array([[cx, cy], a, b], np.float64)
        cv2.fillPoly(alpha, [np.round(cut * 16).astype(np.int32)], 0, cv2.LINE_AA, shift=4)
        back = (205.0, 205.0, 198.0) if spec.style != "plate" else spec.bg
        tri = np.array([a, b, flap], np.float64)
        cv2.fillPoly(img, [np.round(tri * 16).astype(np.int32)], back, cv2.LINE_AA, shift=4)
        cv2.line(
            img,
            (round(a[0]), round(a[1])),
            (round(b[0]), round(b[1])),
            tuple(0.6 * c for c in back),
            1,
            cv2.LINE_AA,
        )
        return


def _with_margin(
    img: np.ndarray, alpha: np.ndarray, digit_box: tuple[float, float, float, float] | None
) -> LabelRender:
    h, w = alpha.shape
    m = SHADOW_MARGIN
    rgba = np.zeros((h + 2 * m, w + 2 * m, 4), np.uint8)
    shadow = np.zeros((h + 2 * m, w + 2 * m), np.float32)
    shadow[m + 1 : m + 1 + h, m + 1 : m + 1 + w] = alpha.astype(np.float32) / 255.0
    shadow = cv2.GaussianBlur(shadow, (0, 0), 1.0) * 0.35
    a = np.zeros_like(shadow)
    a[m : m + h, m : m + w] = alpha.astype(np.float32) / 255.0
    col = np.zeros((h + 2 * m, w + 2 * m, 3), np.float32)
    col[m : m + h, m : m + w] = img
    total = a + shadow * (1 - a)
    safe = np.maximum(total, 1e-6)[..., None]
    rgba[..., :3] = to_u8(col * (a / safe[..., 0])[..., None])
    rgba[..., 3] = to_u8(total * 255.0)
    corners = np.array([[m, m], [m + w, m], [m + w, m + h], [m, m + h]], np.float64)
    box = (
        None
        if digit_box is None
        else (digit_box[0] + m, digit_box[1] + m, digit_box[2] + m, digit_box[3] + m)
    )
    return LabelRender(rgba, corners, box)
