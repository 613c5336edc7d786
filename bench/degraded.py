"""Read the same photos again, degraded as listing sites and phones degrade them.

A seeded set of generated photos (made as ``bench/run.py`` makes its photos: a third
each easy, medium and hard, 15% without a serial sticker) is read as made and then under
one degradation at a time, each applied to the whole photo, which is then stored as a
JPEG without an EXIF orientation:

- shrunk to a listing site's size (1,280, 800 or 640 pixels on the long side);
- stored again as a harsh JPEG (quality 20 or 10);
- blurred, out of focus (Gaussian) or by a shaking hand (a straight streak across);
- grainy (sensor noise) or dim (a quarter of the light, with noise);
- processed as phone cameras process their photos: sharpened (an unsharp mask, which
  rings the strokes with halos), smoothed by noise reduction and then sharpened (fine
  print turns waxy), or taken under warm light with the corners darkened (vignetting).

How strong a blur or a streak is depends on the photo's size, as it does in a camera, so
it is given as a share of the photo's long side.  The table, in ``bench/DEGRADED.md``,
counts for each what became of the stickers and whether any serial was reported wrong::

    .venv/bin/python bench/degraded.py        # about twenty-five minutes on 2 cores

It shows where the reader stops reading, and whether it then says "unreadable" or "no
label" or reports a wrong serial.  The photos as made are stored again too (at JPEG
quality 92, without an EXIF orientation), so every row is read from a file made the same
way.  Every photo is synthetic (``scenegen``); see ``samples/README.md``.

With ``--covered`` it reads photos whose serial is partly covered instead, into
``bench/COVERED.md``: 90 photos with a sticker (seed 60000), read as made and with one
thing at a time over part of the number, placed by the generator's record of where the
digits are:

- glare over one digit or over two (a soft, bright patch, as on a glossy sticker);
- a cable across the number;
- a strip of tape over the top half of one digit;
- a thumb over the first or the last digit.

A digit hidden is a serial no one can read: the reader must then say "unreadable" or
"no label", never report a number::

    .venv/bin/python bench/degraded.py --covered   # about twenty-five minutes on 2 cores

With ``--worn`` it reads photos whose sticker has aged as a vintage unit's has, into
``bench/WORN.md``: 90 photos with a sticker (seed 70000), read as made and with one kind
of wear at a time on the number, each leaving every digit legible to a person:

- scratched: three scratches across the number, each a twentieth of the digits' height
  wide, the paper's shade showing through the print where they cross it;
- rubbed: the print of one digit and part of the next worn to two fifths of its
  contrast;
- stained: a brown stain, translucent, over two or three digits;
- faded: the whole number faded to two fifths of its contrast.

A worn digit can read as another (an 8 rubbed on one side as a 3, a scratched 0 as a
6), so the right answers are the serial or unreadable, never another number::

    .venv/bin/python bench/degraded.py --worn   # about fifteen minutes on 2 cores

With ``--watermarked`` it reads listing photos with a shop's watermark written over
them, into ``bench/WATERMARKED.md``: 120 photos (seed 80000), a quarter of them without
a sticker, read as made and under one watermark at a time, white and translucent, its
number six digits within the M1's reported range:

- a shop's number with its name ("Art.-Nr. 104154", "Item #104154") in a corner;
- the bare number in a corner;
- the shop's name and number across the middle, where it can lie over the sticker.

A watermark's number is no serial: reported as one it is a false read::

    .venv/bin/python bench/degraded.py --watermarked   # about eight minutes on 2 cores
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devsets import OUTCOMES_EXPLAINED, outcome_cells, read_photos  # noqa: E402
from other_renderer import outcome  # noqa: E402
from run import DIFFICULTIES, generate  # noqa: E402

from scenegen.fonts import catalogue  # noqa: E402

SEED = 50000
COVERED_SEED = 60000
WORN_SEED = 70000
WATERMARKED_SEED = 80000
# What a photo is changed by: the photo (H, W, 3) uint8 RGB, upright; a random generator;
# the serial's digits, corners clockwise from their top-left, in its pixels (None on a
# photo without a sticker).
Change = Callable[[np.ndarray, np.random.Generator, "np.ndarray | None"], np.ndarray]


@dataclass(frozen=True)
class Degradation:
    name: str
    """As the table shows it."""
    change: Change
    """The photo degraded."""
    quality: int
    """The JPEG quality it is stored at."""


def _as_made(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
             ) -> np.ndarray:
    return pixels


def _shrunk(long_side: int) -> Change:
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        scale = long_side / max(pixels.shape[:2])
        if scale >= 1:
            return pixels
        size = (round(pixels.shape[1] * scale), round(pixels.shape[0] * scale))
        shrunk: np.ndarray = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        return shrunk
    return change


def _defocused(share: float) -> Change:
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        blurred: np.ndarray = cv2.GaussianBlur(pixels, (0, 0), share * max(pixels.shape[:2]))
        return blurred
    return change


def _streaked(share: float) -> Change:
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        length = max(3, round(share * max(pixels.shape[:2])))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        turn = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2),
                                       float(rng.uniform(0, 180)), 1.0)
        kernel = cv2.warpAffine(kernel, turn, (length, length))
        streaked: np.ndarray = cv2.filter2D(pixels, -1, kernel / kernel.sum())
        return streaked
    return change


def _grainy(spread: float, light: float = 1.0) -> Change:
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        noisy = pixels.astype(np.float32) * light + rng.normal(0, spread, pixels.shape)
        result: np.ndarray = np.clip(noisy, 0, 255).astype(np.uint8)
        return result
    return change


def _sharpened(share: float, amount: float) -> Change:
    """An unsharp mask: the photo plus ``amount`` times its difference from itself blurred
    over ``share`` of its long side (at least a pixel)."""
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        return _unsharp(pixels, share, amount)
    return change


def _unsharp(pixels: np.ndarray, share: float, amount: float) -> np.ndarray:
    blurred = cv2.GaussianBlur(pixels, (0, 0), max(1.0, share * max(pixels.shape[:2])))
    sharpened: np.ndarray = cv2.addWeighted(pixels, 1 + amount, blurred, -amount, 0)
    return sharpened


def _noise_reduced(strength: float) -> Change:
    """Non-local means noise reduction of ``strength`` (OpenCV's h, in grey levels), then
    the sharpening a phone applies after it."""
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        bgr = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
        smoothed = cv2.fastNlMeansDenoisingColored(bgr, None, strength, strength, 5, 15)
        return _unsharp(cv2.cvtColor(smoothed, cv2.COLOR_BGR2RGB), 0.0005, 0.8)
    return change


def _warm_and_vignetted(darkest: float) -> Change:
    """Tungsten light's cast (red up, blue well down) and the corners ``darkest`` darker
    than the middle, falling off with the square of the distance from it."""
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        height, width = pixels.shape[:2]
        rows, columns = np.ogrid[0:height, 0:width]
        reach = np.hypot((columns - width / 2) / (width / 2), (rows - height / 2) / (height / 2))
        light = 1 - darkest * np.clip(reach / np.sqrt(2), 0, 1) ** 2
        cast = pixels * np.array([1.15, 0.9, 0.65], np.float32) * light[..., None]
        result: np.ndarray = np.clip(cast, 0, 255).astype(np.uint8)
        return result
    return change


# Every set is read as made too, stored again the same way as the others.
AS_MADE = Degradation("as made (stored again, JPEG 92)", _as_made, 92)
DEGRADATIONS = (
    AS_MADE,
    Degradation("long side 1,280 px, JPEG 80", _shrunk(1280), 80),
    Degradation("long side 800 px, JPEG 75", _shrunk(800), 75),
    Degradation("long side 640 px, JPEG 75", _shrunk(640), 75),
    Degradation("JPEG quality 20", _as_made, 20),
    Degradation("JPEG quality 10", _as_made, 10),
    Degradation("out of focus, 0.1% of the long side", _defocused(0.001), 90),
    Degradation("out of focus, 0.2%", _defocused(0.002), 90),
    Degradation("streaked, 0.3% of the long side", _streaked(0.003), 90),
    Degradation("streaked, 0.6%", _streaked(0.006), 90),
    Degradation("grain, 12 levels", _grainy(12), 90),
    Degradation("grain, 25 levels", _grainy(25), 90),
    Degradation("dim (a quarter of the light), grain 4", _grainy(4, light=0.25), 90),
    Degradation("sharpened as phones do (unsharp mask, amount 1.2)",
                _sharpened(0.0005, 1.2), 88),
    Degradation("noise reduction as phones do, then sharpened", _noise_reduced(12), 88),
    Degradation("warm light, corners 45% darker", _warm_and_vignetted(0.45), 88),
)


# Digits in a serial: the coverings place themselves by digit.
_DIGITS = 6
_TAPE = (228, 222, 205)
_SKIN = (196, 146, 120)
_CABLE = (22, 22, 24)


def _in_photo(digits: np.ndarray, along: np.ndarray, across: np.ndarray) -> np.ndarray:
    """Points given as shares of the digits' length (``along``, 0 at the first digit's
    left edge) and height (``across``, 0 at their top), in photo pixels."""
    top = digits[0] + along[:, None] * (digits[1] - digits[0])
    bottom = digits[3] + along[:, None] * (digits[2] - digits[3])
    return np.asarray(top + across[:, None] * (bottom - top), np.float32)


def _ellipse(centre_along: float, centre_across: float, radius_along: float,
             radius_across: float) -> tuple[np.ndarray, np.ndarray]:
    angles = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    return (centre_along + radius_along * np.cos(angles),
            centre_across + radius_across * np.sin(angles))


def _laid_over(pixels: np.ndarray, digits: np.ndarray, shape: tuple[np.ndarray, np.ndarray],
               colour: tuple[int, int, int], *, softness: float, opacity: float = 1.0
               ) -> np.ndarray:
    """``pixels`` with ``shape`` (shares along and across the digits, see
    :func:`_in_photo`) filled with ``colour``, its edge blurred over ``softness`` of the
    digits' height."""
    height = float(min(np.linalg.norm(digits[3] - digits[0]),
                       np.linalg.norm(digits[2] - digits[1])))
    drawn = np.zeros(pixels.shape[:2], np.float32)
    outline = np.round(_in_photo(digits, *shape)).astype(np.int32)
    cv2.fillPoly(drawn, [outline], 1.0, lineType=cv2.LINE_AA)
    mask: np.ndarray = cv2.GaussianBlur(drawn, (0, 0), max(0.5, softness * height))
    alpha = (mask * opacity)[..., None]
    covered = pixels.astype(np.float32) * (1 - alpha) + np.asarray(colour, np.float32) * alpha
    result: np.ndarray = np.clip(covered, 0, 255).astype(np.uint8)
    return result


def _glare(over: int) -> Change:
    """A soft bright patch over ``over`` neighbouring digits, drawn at random."""
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        if digits is None:
            return pixels
        first = int(rng.integers(0, _DIGITS - over + 1))
        centre = (first + over / 2) / _DIGITS
        shape = _ellipse(centre, 0.5, 0.55 * over / _DIGITS, 0.55)
        return _laid_over(pixels, digits, shape, (255, 255, 255), softness=0.15,
                          opacity=0.97)
    return change


def _cable(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
           ) -> np.ndarray:
    """A dark cable a third of the digits' height thick across the number, through a
    point along it and at an angle to it drawn at random."""
    if digits is None:
        return pixels
    shape = _band(digits, float(rng.uniform(0.15, 0.85)), float(rng.uniform(35, 145)),
                  reach=3.0, thickness=0.3)
    return _laid_over(pixels, digits, shape, _CABLE, softness=0.04)


def _band(digits: np.ndarray, through: float, degrees: float, *, reach: float,
          thickness: float) -> tuple[np.ndarray, np.ndarray]:
    """A straight band through the point ``through`` of the way along the number's middle,
    at ``degrees`` to it, reaching ``reach`` and ``thickness`` thick (both in digits'
    heights), as shares along and across the digits (see :func:`_in_photo`)."""
    length = float(np.linalg.norm(digits[1] - digits[0]))
    height = float(np.linalg.norm(digits[3] - digits[0]))
    angle = np.deg2rad(degrees)
    # Along and across are shares of different lengths: the band's direction in them.
    step_along, step_across = np.cos(angle) / length, np.sin(angle) / height
    half = thickness / 2 * height
    normal_along, normal_across = -np.sin(angle) / length, np.cos(angle) / height
    along = np.array([through - reach * height * step_along,
                      through + reach * height * step_along])
    across = np.array([0.5 - reach * height * step_across, 0.5 + reach * height * step_across])
    return (np.concatenate([along + half * normal_along, (along - half * normal_along)[::-1]]),
            np.concatenate([across + half * normal_across,
                            (across - half * normal_across)[::-1]]))


def _tape(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
          ) -> np.ndarray:
    """A strip of light tape over the top half of one digit drawn at random."""
    if digits is None:
        return pixels
    which = int(rng.integers(0, _DIGITS))
    left, right = (which - 0.1) / _DIGITS, (which + 1.1) / _DIGITS
    shape = (np.array([left, right, right, left]), np.array([-0.2, -0.2, 0.5, 0.5]))
    return _laid_over(pixels, digits, shape, _TAPE, softness=0.02)


def _thumb(last: bool) -> Change:
    """A thumb over the number's first or last digit, reaching past its end."""
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        if digits is None:
            return pixels
        end = 1.0 if last else 0.0
        shape = _ellipse(end + (0.06 if last else -0.06), 0.5, 1.3 / _DIGITS, 1.1)
        return _laid_over(pixels, digits, shape, _SKIN, softness=0.1)
    return change


COVERINGS = (
    AS_MADE,
    Degradation("glare over one digit", _glare(1), 90),
    Degradation("glare over two digits", _glare(2), 90),
    Degradation("a cable across the number", _cable, 90),
    Degradation("tape over the top half of one digit", _tape, 90),
    Degradation("a thumb over the first digit", _thumb(last=False), 90),
    Degradation("a thumb over the last digit", _thumb(last=True), 90),
)


_STAIN = (110, 80, 40)
# How much of the print's contrast rubbing or fading leaves.
_WORN_TO = 0.4


def _paper(pixels: np.ndarray, digits: np.ndarray) -> tuple[int, int, int]:
    """The sticker's own shade at the number: the median colour of the digits' box and a
    little round it, where the paper outweighs the print."""
    box = np.round(_in_photo(digits, np.array([0.0, 1.0, 1.0, 0.0]),
                             np.array([-0.2, -0.2, 1.2, 1.2]))).astype(np.int32)
    inside = np.zeros(pixels.shape[:2], np.uint8)
    cv2.fillPoly(inside, [box], 1)
    red, green, blue = np.median(pixels[inside > 0], axis=0)
    return int(red), int(green), int(blue)


def _scratched(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
    """Three scratches across the number, each through a point along it and at an angle
    to it drawn at random, showing the paper's shade."""
    if digits is None:
        return pixels
    paper = _paper(pixels, digits)
    for _ in range(3):
        shape = _band(digits, float(rng.uniform(0.05, 0.95)), float(rng.uniform(20, 160)),
                      reach=0.8, thickness=0.05)
        pixels = _laid_over(pixels, digits, shape, paper, softness=0.005)
    return pixels


def _rubbed(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
            ) -> np.ndarray:
    """The print worn towards the paper over one digit drawn at random and part of the
    next, at a height drawn at random."""
    if digits is None:
        return pixels
    first = int(rng.integers(0, _DIGITS - 1))
    shape = _ellipse((first + 1) / _DIGITS, float(rng.uniform(0.3, 0.7)), 0.9 / _DIGITS, 0.45)
    return _laid_over(pixels, digits, shape, _paper(pixels, digits), softness=0.15,
                      opacity=1 - _WORN_TO)


def _stained(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
             ) -> np.ndarray:
    """A translucent brown stain, centred at a point along the number drawn at random."""
    if digits is None:
        return pixels
    shape = _ellipse(float(rng.uniform(0.2, 0.8)), 0.5, 0.25, 0.8)
    return _laid_over(pixels, digits, shape, _STAIN, softness=0.25, opacity=0.45)


def _faded(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
           ) -> np.ndarray:
    """The whole number faded towards the paper."""
    if digits is None:
        return pixels
    shape = (np.array([-0.1, 1.1, 1.1, -0.1]), np.array([-0.3, -0.3, 1.3, 1.3]))
    return _laid_over(pixels, digits, shape, _paper(pixels, digits), softness=0.3,
                      opacity=1 - _WORN_TO)


WEAR = (
    AS_MADE,
    Degradation("scratched (three scratches across the number)", _scratched, 90),
    Degradation("rubbed (one digit and part of the next)", _rubbed, 90),
    Degradation("stained (a translucent brown stain)", _stained, 90),
    Degradation("faded (the whole number)", _faded, 90),
)


# What a listing's watermark calls its number, before the number; and the faces it is
# written in (DejaVu, which set-up installs).
_SHOP_NUMBER_NAMES = ("Art.-Nr. ", "Item #", "Stock ", "Ref. No. ", "SKU ", "Order ", "ID ")
_WATERMARK_FACES = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSansCondensed")
# Six digits within the M1's reported range: a number the reader could take for a serial.
_IN_RANGE = 260_000


def _watermarked(*, named: bool, across: bool) -> Change:
    """A listing's watermark: light, translucent print over the photo itself (not on
    any sticker), naming a shop's number for the unit (``named``) or giving the bare
    number; small in a corner drawn at random, or large across the middle (``across``),
    where it can lie over the sticker."""
    def change(pixels: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None
               ) -> np.ndarray:
        number = f"{int(rng.integers(0, _IN_RANGE)):06d}"
        name = _SHOP_NUMBER_NAMES[int(rng.integers(len(_SHOP_NUMBER_NAMES)))]
        text = f"{name}{number}" if named else number
        if across:
            text = f"synth-shop.example   {text}"
        face = _WATERMARK_FACES[int(rng.integers(len(_WATERMARK_FACES)))]
        height, width = pixels.shape[:2]
        share = float(rng.uniform(0.05, 0.08) if across else rng.uniform(0.03, 0.06))
        font = ImageFont.truetype(str(_font_file(face)), max(8, round(share * height)))
        layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        _, _, right, bottom = draw.textbbox((0, 0), text, font=font)
        margin = round(0.02 * min(height, width))
        if across:
            at = ((width - right) // 2, (height - bottom) // 2)
        else:
            corner = int(rng.integers(4))
            at = (margin if corner % 2 == 0 else width - right - margin,
                  margin if corner < 2 else height - bottom - margin)
        opacity = int(rng.integers(110, 230))
        if rng.random() < 0.5:  # a drop shadow, as many watermarking tools add
            draw.text((at[0] + 2, at[1] + 2), text, font=font, fill=(0, 0, 0, opacity // 2))
        draw.text(at, text, font=font, fill=(255, 255, 255, opacity))
        marked = Image.alpha_composite(Image.fromarray(pixels).convert("RGBA"), layer)
        return np.asarray(marked.convert("RGB"))
    return change


def _font_file(face: str) -> Path:
    found = [font for font in catalogue() if font.name == face and font.path]
    if not found:
        sys.exit(f"the font {face} is missing: run scripts/setup.sh (it installs DejaVu)")
    return Path(found[0].path)


WATERMARKS = (
    AS_MADE,
    Degradation("a shop's number in a corner (\"Art.-Nr. 104154\", \"Item #104154\")",
                _watermarked(named=True, across=False), 88),
    Degradation("a bare number in a corner", _watermarked(named=False, across=False), 88),
    Degradation("a shop's name and number across the middle",
                _watermarked(named=True, across=True), 88),
)


@dataclass(frozen=True)
class _Set:
    """One kind of set this script makes: what it changes, and how the table names it."""
    conditions: tuple[Degradation, ...]
    seed: int
    count: int
    negatives: float
    title: str
    condition: str
    """What the table's first column names."""
    under: str
    """How the introduction says each photo was changed."""
    footnote: str


SETS = {
    "degraded": _Set(DEGRADATIONS, SEED, 120, 0.15, "photos degraded", "degradation",
                     "under each degradation", ""),
    # Covered and worn photos all have a sticker: a covering needs digits to cover.
    "covered": _Set(COVERINGS, COVERED_SEED, 90, 0.0,
                    "photos whose serial is partly covered", "covering", "with each covering",
                    "A covering hides part of the number, placed where the generator drew "
                    "the digits; where it hides a whole digit (a thumb over one, often a "
                    "cable or glare), no one can read the serial, and the right answer is "
                    "unreadable or no label."),
    "worn": _Set(WEAR, WORN_SEED, 90, 0.0, "photos of worn stickers", "wear",
                 "with each kind of wear",
                 "Wear is placed where the generator drew the digits and leaves each of them "
                 "legible to a person: the right answer is the serial, and unreadable is "
                 "the honest one where the reader cannot tell a worn digit."),
    # A quarter without a sticker: there a watermark's number is all there is to read.
    "watermarked": _Set(WATERMARKS, WATERMARKED_SEED, 120, 0.25,
                        "listing photos with a watermark", "watermark", "with each watermark",
                        "A watermark's number is six digits within the M1's reported "
                        "range, so it has a serial's shape; it is no serial, and reported "
                        "as one it is a false read."),
}


def _degrade(plan: tuple[list[dict[str, Any]], Path, Path, int, str]
             ) -> list[dict[str, Any]]:
    """Write every changed version of ``photos`` the set of ``kind`` makes; one row a
    photo and condition.  The grain, a streak's direction and where a covering or wear
    lies are drawn from ``seed``, the condition and the photo."""
    photos, made, out, seed, kind = plan
    rows = []
    for photo in photos:
        with Image.open(made / photo["file"]) as stored:
            upright = np.asarray(ImageOps.exif_transpose(stored).convert("RGB"))
        quad = photo.get("digits_quad")
        digits = None if quad is None else np.asarray(quad, np.float64)
        for index, degradation in enumerate(SETS[kind].conditions):
            rng = np.random.default_rng([seed, index, photo["index"]])
            folder = out / f"{index:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / photo["file"]
            Image.fromarray(degradation.change(upright, rng, digits)).save(
                path, quality=degradation.quality)
            rows.append({**photo, "degradation": index, "path": str(path)})
    return rows


def write_table(out: Path, rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    photos = [row for row in rows if row["degradation"] == 0]
    stickers = sum(row["serial"] is not None for row in photos)
    kind = SETS[args.kind]
    option = "" if args.kind == "degraded" else f" --{args.kind}"
    lines = [
        f"# Benchmark: {kind.title}",
        "",
        f"`bench/degraded.py{option} --seed {args.seed} --count {args.count}` on "
        f"{time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. {len(photos)} photos "
        f"generated by `scenegen` ({stickers} with a sticker, a third each easy, medium, "
        f"hard; {len(photos) - stickers} without one), each read as made and {kind.under}, "
        "stored as a JPEG without an EXIF orientation; read in "
        f"{args.jobs} processes with one OCR thread each. All synthetic.",
        "",
        f"| {kind.condition} | read (easy / medium / hard) "
        "| false reads | unreadable (right guess) "
        "| unreadable (other guess or none) | no label | without a sticker: no label / "
        "unreadable / false read | median s/photo | p95 s/photo |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for index, degradation in enumerate(kind.conditions):
        subset = [row for row in rows if row["degradation"] == index]
        with_sticker = [row for row in subset if row["serial"] is not None]
        read = [row for row in with_sticker if outcome(row) == "read"]
        by_difficulty = " / ".join(str(sum(row["difficulty"] == difficulty for row in read))
                                   for difficulty in DIFFICULTIES)
        lines.append(
            f"| {degradation.name} | {len(read)} of {len(with_sticker)} "
            f"({len(read) / max(len(with_sticker), 1):.1%}; {by_difficulty}) "
            f"| {outcome_cells(subset)} |")
    wrong = [row for row in rows if outcome(row) == "false read"]
    lines += ["", f"False reads ({kind.condition}, file: expected, read):", ""]
    lines += [f"- {kind.conditions[row['degradation']].name}, {row['file']}: "
              f"{row['serial'] or 'nothing'}, {row['read']}" for row in wrong] or ["- none"]
    lines += ["", f"{OUTCOMES_EXPLAINED} The photos are made at 1,024 to 4,032 pixels on the "
              "long side; a shrink leaves a photo already as small as it is. Seconds are per "
              "photo inside a worker, with every worker busy."]
    if kind.footnote:
        lines += ["", kind.footnote]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--covered", dest="kind", action="store_const", const="covered",
                        default="degraded",
                        help="cover part of the serial instead of degrading the photo")
    choice.add_argument("--worn", dest="kind", action="store_const", const="worn",
                        help="wear the sticker's number instead of degrading the photo")
    choice.add_argument("--watermarked", dest="kind", action="store_const",
                        const="watermarked",
                        help="write a listing's watermark over the photo instead")
    parser.add_argument("--seed", type=int,
                        help=f"default {SEED}; {COVERED_SEED} covered, {WORN_SEED} worn, "
                             f"{WATERMARKED_SEED} watermarked")
    parser.add_argument("--count", type=int,
                        help="photos generated (default 120; 90 covered or worn)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes, each reading with one OCR thread")
    parser.add_argument("--work", type=Path,
                        help="default bench/out/degraded, .../covered, .../worn, ...")
    parser.add_argument("--out", type=Path,
                        help="default bench/DEGRADED.md, COVERED.md, WORN.md, ...")
    args = parser.parse_args()
    kind = SETS[args.kind]
    args.seed = args.seed if args.seed is not None else kind.seed
    args.count = args.count or kind.count
    args.work = args.work or ROOT / "bench" / "out" / args.kind
    args.out = args.out or ROOT / "bench" / f"{args.kind.upper()}.md"
    started = time.perf_counter()
    made = args.work / "made"
    photos = [{**photo, "index": index} for index, photo
              in enumerate(generate(made, args.count, args.seed, kind.negatives))]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        shares = [photos[worker::args.jobs] for worker in range(args.jobs)]
        plans = [(share, made, args.work, args.seed, args.kind) for share in shares]
        todo = [row for done in pool.map(_degrade, plans) for row in done]
        print(f"made {len(todo)} photos in {time.perf_counter() - started:.0f} s", flush=True)
        # Each worker gets every photo of a few conditions mixed, not a slow share.
        shares = [todo[worker::args.jobs] for worker in range(args.jobs)]
        rows = [row for share in pool.map(read_photos, shares) for row in share]
    rows.sort(key=lambda row: (row["degradation"], row["file"]))
    (args.work / "results.json").write_text(json.dumps(rows, indent=1))
    write_table(args.out, rows, args)
    print(args.out.read_text())


if __name__ == "__main__":
    main()
