"""Font catalogue and text rendering to anti-aliased masks.

Three font sources give visual variety: DejaVu TrueType faces (if the Debian
package is installed), OpenCV's built-in Hershey stroke fonts, and Pillow's
bundled default font (always available, used as the fallback).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)

TTF_FACES: tuple[str, ...] = (
    "DejaVuSans",
    "DejaVuSans-Bold",
    "DejaVuSansMono",
    "DejaVuSansMono-Bold",
    "DejaVuSerif",
    "DejaVuSerif-Bold",
    "DejaVuSansCondensed",
    "DejaVuSansCondensed-Bold",
    "DejaVuSerifCondensed",
    "DejaVuSerifCondensed-Bold",
    "DejaVuSans-Oblique",
    "DejaVuSansMono-Oblique",
)

HERSHEY_FACES: dict[str, int] = {
    "hershey-simplex": cv2.FONT_HERSHEY_SIMPLEX,
    "hershey-plain": cv2.FONT_HERSHEY_PLAIN,
    "hershey-duplex": cv2.FONT_HERSHEY_DUPLEX,
    "hershey-complex": cv2.FONT_HERSHEY_COMPLEX,
    "hershey-triplex": cv2.FONT_HERSHEY_TRIPLEX,
    "hershey-complex-small": cv2.FONT_HERSHEY_COMPLEX_SMALL,
    "hershey-simplex-italic": cv2.FONT_HERSHEY_SIMPLEX | cv2.FONT_ITALIC,
}

WORK_CAP_PX = 28  # glyphs smaller than this are rendered larger and shrunk


@dataclass(frozen=True, slots=True)
class FontSpec:
    """One usable font face."""

    name: str
    kind: str  # "ttf" | "hershey" | "default"
    path: str = ""
    face: int = 0


@dataclass(frozen=True, slots=True)
class TextMask:
    """A rendered line of text.

    ``mask`` is uint8 coverage (255 = ink); ``spans`` are the per-character
    advance extents along x in mask pixels; ``baseline`` is the baseline row.
    """

    mask: np.ndarray
    spans: tuple[tuple[float, float], ...]
    baseline: float


@functools.cache
def catalogue() -> tuple[FontSpec, ...]:
    """All fonts usable on this machine (Hershey and Pillow default always)."""
    specs: list[FontSpec] = []
    for name in TTF_FACES:
        for folder in FONT_DIRS:
            path = folder / f"{name}.ttf"
            if path.is_file():
                specs.append(FontSpec(name, "ttf", path=str(path)))
                break
    specs.extend(FontSpec(n, "hershey", face=f) for n, f in HERSHEY_FACES.items())
    specs.append(FontSpec("pil-default", "default"))
    return tuple(specs)


def fonts_matching(*prefixes: str) -> tuple[FontSpec, ...]:
    """Fonts whose name starts with one of ``prefixes`` (all when empty)."""
    cat = catalogue()
    if not prefixes:
        return cat
    found = tuple(f for f in cat if f.name.startswith(prefixes))
    return found or tuple(f for f in cat if f.kind != "ttf")


def pick_font(rng: np.random.Generator, *prefixes: str) -> FontSpec:
    """Choose one font among those matching ``prefixes``."""
    pool = fonts_matching(*prefixes)
    return pool[int(rng.integers(len(pool)))]


@functools.lru_cache(maxsize=512)
def _pil_font(kind: str, path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if kind == "ttf":
        return ImageFont.truetype(path, size)
    font = ImageFont.load_default(size=size)
    return font


@functools.lru_cache(maxsize=64)
def _cap_ratio(font: FontSpec) -> float:
    """Cap height divided by the requested size (font size or Hershey scale)."""
    if font.kind == "hershey":
        (_, h), _ = cv2.getTextSize("H", font.face, 1.0, 1)
        return float(h)
    pil = _pil_font(font.kind, font.path, 100)
    box = pil.getbbox("H")
    return max(0.3, (box[3] - box[1]) / 100.0)


@functools.lru_cache(maxsize=4096)
def _glyph(font: FontSpec, ch: str, cap_px: int, weight: int) -> tuple[np.ndarray, float, int, int]:
    """Render one glyph: (mask, advance, x offset, y offset of mask top from baseline)."""
    if font.kind == "hershey":
        scale = cap_px / _cap_ratio(font)
        thick = max(1, round(cap_px * (0.09 + 0.035 * weight)))
        (w, h), base = cv2.getTextSize(ch, font.face, scale, thick)
        pad = thick + 3
        canvas = np.zeros((h + base + 2 * pad, w + 2 * pad), np.uint8)
        if ch.strip():
            cv2.putText(canvas, ch, (pad, h + pad), font.face, scale, 255, thick, cv2.LINE_AA)
        return canvas, float(w), -pad, -(h + pad)
    size = max(4, round(cap_px / _cap_ratio(font)))
    pil = _pil_font(font.kind, font.path, size)
    stroke = 1 if weight > 0 and cap_px >= 20 else 0
    advance = float(pil.getlength(ch)) + stroke
    try:
        left, top, right, bottom = pil.getbbox(ch, anchor="ls", stroke_width=stroke)
        anchored = True
    except (ValueError, TypeError):  # bitmap fonts do not support anchors
        left, top, right, bottom = pil.getbbox(ch)
        top, bottom = top - bottom, 0
        anchored = False
    if right <= left or bottom <= top:
        return np.zeros((1, 1), np.uint8), advance, 0, 0
    img = Image.new("L", (int(right - left) + 4, int(bottom - top) + 4), 0)
    draw = ImageDraw.Draw(img)
    if anchored:
        draw.text(
            (2 - left, 2 - top),
            ch,
            font=pil,
            fill=255,
            anchor="ls",
            stroke_width=stroke,
            stroke_fill=255,
        )
    else:
        draw.text((2 - left, 2), ch, font=pil, fill=255)
    mask = np.asarray(img, dtype=np.uint8).copy()
    if weight < 0 and cap_px >= 20:
        mask = np.asarray(cv2.erode(mask, np.ones((2, 2), np.uint8)), np.uint8)
    return mask, advance, int(left) - 2, int(top) - 2


def render_text(
    text: str,
    font: FontSpec,
    cap_px: float,
    *,
    tracking: float = 0.0,
    weight: int = 0,
    jitter: float = 0.0,
    rng: np.random.Generator | None = None,
) -> TextMask:
    """Render ``text`` with cap height ``cap_px`` pixels.

    ``tracking`` is extra letter spacing in cap heights, ``weight`` -1/0/+1
    thins or emboldens, ``jitter`` (cap heights) offsets each glyph vertically
    like a numbering-machine stamp (needs ``rng``).
    """
    cap_px = max(2.0, float(cap_px))
    if weight < 0 and cap_px < 40:  # thin strokes would vanish at small sizes
        weight = 0
    work = max(cap_px, float(WORK_CAP_PX))
    work_i = round(work)
    shrink = cap_px / work_i
    glyphs: list[tuple[np.ndarray, int, int]] = []
    spans: list[tuple[float, float]] = []
    x = 0.0
    for ch in text:
        mask, adv, dx, dy = _glyph(font, ch, work_i, weight)
        jy = 0
        if jitter > 0 and rng is not None and ch.strip():
            jy = round(float(rng.normal(0.0, jitter)) * work_i)
        glyphs.append((mask, round(x) + dx, dy + jy))
        spans.append((x, x + adv))
        x += adv + tracking * work_i
    if not glyphs:
        return TextMask(np.zeros((1, 1), np.uint8), (), 0.0)
    x0 = min(gx for _, gx, _ in glyphs)
    y0 = min(gy for _, _, gy in glyphs)
    x1 = max(gx + m.shape[1] for m, gx, _ in glyphs)
    y1 = max(gy + m.shape[0] for m, _, gy in glyphs)
    out = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for m, gx, gy in glyphs:
        sub = out[gy - y0 : gy - y0 + m.shape[0], gx - x0 : gx - x0 + m.shape[1]]
        np.maximum(sub, m, out=sub)
    rows = np.flatnonzero(out.max(axis=1) > 0)
    cols = np.flatnonzero(out.max(axis=0) > 0)
    if rows.size == 0:
        return TextMask(
            np.zeros((max(1, round(cap_px)), max(1, round(x * shrink))), np.uint8), (), cap_px
        )
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    left, right = int(cols[0]), int(cols[-1]) + 1
    out = out[top:bottom, left:right]
    shift_x = x0 + left
    baseline = float(-y0 - top)
    spans_m = tuple((a - shift_x, b - shift_x) for a, b in spans)
    if shrink < 0.999:
        h = max(1, round(out.shape[0] * shrink))
        w = max(1, round(out.shape[1] * shrink))
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_AREA)
        spans_m = tuple((a * shrink, b * shrink) for a, b in spans_m)
        baseline *= shrink
    return TextMask(out, spans_m, baseline)


def ink_box(tm: TextMask, first: int, last: int) -> tuple[float, float, float, float]:
    """Ink bounding box (x0, y0, x1, y1) of characters ``first..last-1``."""
    a = max(0, math.floor(tm.spans[first][0]))
    b = min(tm.mask.shape[1], math.ceil(tm.spans[last - 1][1]))
    cols = tm.mask[:, a:b]
    rows = np.flatnonzero(cols.max(axis=1) > 40) if cols.size else np.array([], np.int64)
    xs = np.flatnonzero(cols.max(axis=0) > 40) if cols.size else np.array([], np.int64)
    if rows.size == 0 or xs.size == 0:
        return float(a), 0.0, float(b), float(tm.mask.shape[0])
    return float(a + xs[0]), float(rows[0]), float(a + xs[-1] + 1), float(rows[-1] + 1)


# A 5 x 7 character set of the kind dot-matrix printers carry in ROM: each character is
# designed on the pin grid, so it stays legible when every pin prints a separate dot.
# Lowercase prints as uppercase, as on many label printers; other characters as blanks.
# Some printers slash the zero to tell it from the letter O.
_PINS_5X7: dict[str, tuple[str, ...]] = {
    "0": ("01110", "10001", "10001", "10001", "10001", "10001", "01110"),
    "slashed 0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11111", "00010", "00100", "00010", "00001", "10001", "01110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
    "A": ("01110", "10001", "10001", "10001", "11111", "10001", "10001"),
    "B": ("11110", "10001", "10001", "11110", "10001", "10001", "11110"),
    "C": ("01110", "10001", "10000", "10000", "10000", "10001", "01110"),
    "D": ("11100", "10010", "10001", "10001", "10001", "10010", "11100"),
    "E": ("11111", "10000", "10000", "11110", "10000", "10000", "11111"),
    "F": ("11111", "10000", "10000", "11110", "10000", "10000", "10000"),
    "G": ("01110", "10001", "10000", "10111", "10001", "10001", "01111"),
    "H": ("10001", "10001", "10001", "11111", "10001", "10001", "10001"),
    "I": ("01110", "00100", "00100", "00100", "00100", "00100", "01110"),
    "J": ("00111", "00010", "00010", "00010", "00010", "10010", "01100"),
    "K": ("10001", "10010", "10100", "11000", "10100", "10010", "10001"),
    "L": ("10000", "10000", "10000", "10000", "10000", "10000", "11111"),
    "M": ("10001", "11011", "10101", "10101", "10001", "10001", "10001"),
    "N": ("10001", "10001", "11001", "10101", "10011", "10001", "10001"),
    "O": ("01110", "10001", "10001", "10001", "10001", "10001", "01110"),
    "P": ("11110", "10001", "10001", "11110", "10000", "10000", "10000"),
    "Q": ("01110", "10001", "10001", "10001", "10101", "10010", "01101"),
    "R": ("11110", "10001", "10001", "11110", "10100", "10010", "10001"),
    "S": ("01111", "10000", "10000", "01110", "00001", "00001", "11110"),
    "T": ("11111", "00100", "00100", "00100", "00100", "00100", "00100"),
    "U": ("10001", "10001", "10001", "10001", "10001", "10001", "01110"),
    "V": ("10001", "10001", "10001", "10001", "10001", "01010", "00100"),
    "W": ("10001", "10001", "10001", "10101", "10101", "10101", "01010"),
    "X": ("10001", "10001", "01010", "00100", "01010", "10001", "10001"),
    "Y": ("10001", "10001", "10001", "01010", "00100", "00100", "00100"),
    "Z": ("11111", "00001", "00010", "00100", "01000", "10000", "11111"),
    ".": ("00000", "00000", "00000", "00000", "00000", "01100", "01100"),
    ",": ("00000", "00000", "00000", "00000", "01100", "00100", "01000"),
    ":": ("00000", "01100", "01100", "00000", "01100", "01100", "00000"),
    ";": ("00000", "01100", "01100", "00000", "01100", "00100", "01000"),
    "/": ("00000", "00001", "00010", "00100", "01000", "10000", "00000"),
    "-": ("00000", "00000", "00000", "11111", "00000", "00000", "00000"),
    "_": ("00000", "00000", "00000", "00000", "00000", "00000", "11111"),
    "+": ("00000", "00100", "00100", "11111", "00100", "00100", "00000"),
    "#": ("01010", "01010", "11111", "01010", "11111", "01010", "01010"),
    "$": ("00100", "01111", "10100", "01110", "00101", "11110", "00100"),
    "'": ("01100", "00100", "01000", "00000", "00000", "00000", "00000"),
    "(": ("00010", "00100", "01000", "01000", "01000", "00100", "00010"),
    ")": ("01000", "00100", "00010", "00010", "00010", "00100", "01000"),
    "[": ("01110", "01000", "01000", "01000", "01000", "01000", "01110"),
    "]": ("01110", "00010", "00010", "00010", "00010", "00010", "01110"),
}
_PIN_COLUMNS, _PIN_ROWS = 5, 7
_PIN_ADVANCE = _PIN_COLUMNS + 1  # one blank column between characters


def render_dot_matrix(
    text: str, cap_px: float, width_px: float, weight: int = 0, *, slashed_zero: bool = False
) -> TextMask:
    """Render ``text`` as a dot-matrix printer prints it, in a 5 x 7 character set: each
    pin a round dot.  Characters are ``cap_px`` tall; the pitch is chosen so that the line
    fills about ``width_px`` (printers print at 10, 12 or 17 characters to the inch),
    within what keeps the characters' shapes.  ``weight`` -1/0/+1 gives small dots, dots
    about touching, or emphasised print (each column struck twice, half a dot apart)."""
    glyphs = {**_PINS_5X7, "0": _PINS_5X7["slashed 0"]} if slashed_zero else _PINS_5X7
    pitch_y = max(1.0, cap_px / _PIN_ROWS)
    columns = max(1, len(text) * _PIN_ADVANCE - 1)
    pitch_x = float(np.clip(width_px / columns, 0.75 * pitch_y, 1.3 * pitch_y))
    radius = {-1: 0.32, 0: 0.45, 1: 0.45}[int(np.sign(weight))] * min(pitch_x, pitch_y)
    strikes = (0.0, 0.5) if weight > 0 else (0.0,)
    width = math.ceil((columns + strikes[-1]) * pitch_x)
    out = np.zeros((math.ceil(_PIN_ROWS * pitch_y), max(1, width)), np.uint8)
    for index, character in enumerate(text.upper()):
        for row, pins in enumerate(glyphs.get(character, ())):
            for column, pin in enumerate(pins):
                if pin == "0":
                    continue
                for strike in strikes:
                    x = (index * _PIN_ADVANCE + column + strike + 0.5) * pitch_x
                    centre = (round(x * 16), round((row + 0.5) * pitch_y * 16))
                    cv2.circle(out, centre, round(radius * 16), 255, -1, cv2.LINE_AA, shift=4)
    spans = tuple(
        (index * _PIN_ADVANCE * pitch_x, (index * _PIN_ADVANCE + _PIN_ADVANCE) * pitch_x)
        for index in range(len(text))
    )
    return TextMask(out, spans, _PIN_ROWS * pitch_y)
