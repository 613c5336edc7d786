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
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devsets import OUTCOMES_EXPLAINED, outcome_cells, read_photos  # noqa: E402
from other_renderer import outcome  # noqa: E402
from run import DIFFICULTIES, generate  # noqa: E402

SEED = 50000
COVERED_SEED = 60000
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
    length = float(np.linalg.norm(digits[1] - digits[0]))
    height = float(np.linalg.norm(digits[3] - digits[0]))
    through = float(rng.uniform(0.15, 0.85))
    angle = np.deg2rad(rng.uniform(35, 145))
    # Along and across are shares of different lengths: the cable's direction in them.
    step_along, step_across = np.cos(angle) / length, np.sin(angle) / height
    reach = 3 * height
    half = 0.15 * height
    normal_along, normal_across = -np.sin(angle) / length, np.cos(angle) / height
    along = np.array([through - reach * step_along, through + reach * step_along])
    across = np.array([0.5 - reach * step_across, 0.5 + reach * step_across])
    shape = (np.concatenate([along + half * normal_along, (along - half * normal_along)[::-1]]),
             np.concatenate([across + half * normal_across,
                             (across - half * normal_across)[::-1]]))
    return _laid_over(pixels, digits, shape, _CABLE, softness=0.04)


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


def _degrade(plan: tuple[list[dict[str, Any]], Path, Path, int, bool]
             ) -> list[dict[str, Any]]:
    """Write every degraded (or, with ``covered``, covered) version of ``photos``; one row
    a photo and degradation.  The grain, a streak's direction and where a covering lies
    are drawn from ``seed``, the degradation and the photo."""
    photos, made, out, seed, covered = plan
    rows = []
    for photo in photos:
        with Image.open(made / photo["file"]) as stored:
            upright = np.asarray(ImageOps.exif_transpose(stored).convert("RGB"))
        quad = photo.get("digits_quad")
        digits = None if quad is None else np.asarray(quad, np.float64)
        for index, degradation in enumerate(COVERINGS if covered else DEGRADATIONS):
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
    conditions = COVERINGS if args.covered else DEGRADATIONS
    lines = [
        "# Benchmark: photos whose serial is partly covered" if args.covered
        else "# Benchmark: photos degraded",
        "",
        f"`bench/degraded.py{' --covered' if args.covered else ''} --seed {args.seed} "
        f"--count {args.count}` on "
        f"{time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. {len(photos)} photos "
        f"generated by `scenegen` ({stickers} with a sticker, a third each easy, medium, "
        f"hard; {len(photos) - stickers} without one), each read as made and "
        f"{'with each covering' if args.covered else 'under each degradation'}, "
        "stored as a JPEG without an EXIF orientation; read in "
        f"{args.jobs} processes with one OCR thread each. All synthetic.",
        "",
        f"| {'covering' if args.covered else 'degradation'} | read (easy / medium / hard) "
        "| false reads | unreadable (right guess) "
        "| unreadable (other guess or none) | no label | without a sticker: no label / "
        "unreadable / false read | median s/photo | p95 s/photo |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for index, degradation in enumerate(conditions):
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
    lines += ["", f"False reads ({'covering' if args.covered else 'degradation'}, file: "
              "expected, read):", ""]
    lines += [f"- {conditions[row['degradation']].name}, {row['file']}: "
              f"{row['serial'] or 'nothing'}, {row['read']}" for row in wrong] or ["- none"]
    lines += ["", f"{OUTCOMES_EXPLAINED} The photos are made at 1,024 to 4,032 pixels on the "
              "long side; a shrink leaves a photo already as small as it is. Seconds are per "
              "photo inside a worker, with every worker busy."]
    if args.covered:
        lines += ["", "A covering hides part of the number, placed where the generator drew "
                  "the digits; where it hides a whole digit (a thumb over one, often a "
                  "cable or glare), no one can read the serial, and the right answer is "
                  "unreadable or no label."]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--covered", action="store_true",
                        help="cover part of the serial instead of degrading the photo")
    parser.add_argument("--seed", type=int, help=f"default {SEED}; {COVERED_SEED} covered")
    parser.add_argument("--count", type=int, help="photos generated (default 120; 90 covered)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes, each reading with one OCR thread")
    parser.add_argument("--work", type=Path, help="default bench/out/degraded or .../covered")
    parser.add_argument("--out", type=Path, help="default bench/DEGRADED.md or COVERED.md")
    args = parser.parse_args()
    kind = "covered" if args.covered else "degraded"
    args.seed = args.seed if args.seed is not None else COVERED_SEED if args.covered else SEED
    args.count = args.count or (90 if args.covered else 120)
    args.work = args.work or ROOT / "bench" / "out" / kind
    args.out = args.out or ROOT / "bench" / f"{kind.upper()}.md"
    started = time.perf_counter()
    made = args.work / "made"
    # Covered photos all have a sticker: a covering needs digits to cover.
    negatives = 0.0 if args.covered else 0.15
    photos = [{**photo, "index": index} for index, photo
              in enumerate(generate(made, args.count, args.seed, negatives))]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        shares = [photos[worker::args.jobs] for worker in range(args.jobs)]
        plans = [(share, made, args.work, args.seed, args.covered) for share in shares]
        todo = [row for done in pool.map(_degrade, plans) for row in done]
        print(f"made {len(todo)} photos in {time.perf_counter() - started:.0f} s", flush=True)
        # Each worker gets every photo of a few degradations mixed, not a slow share.
        shares = [todo[worker::args.jobs] for worker in range(args.jobs)]
        rows = [row for share in pool.map(read_photos, shares) for row in share]
    rows.sort(key=lambda row: (row["degradation"], row["file"]))
    (args.work / "results.json").write_text(json.dumps(rows, indent=1))
    write_table(args.out, rows, args)
    print(args.out.read_text())


if __name__ == "__main__":
    main()
