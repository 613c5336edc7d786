"""Read the same photos again, degraded as listing sites and phones degrade them.

A seeded set of generated photos (made as ``bench/run.py`` makes its photos: a third
each easy, medium and hard, 15% without a serial sticker) is read as made and then under
one degradation at a time, each applied to the whole photo, which is then stored as a
JPEG without an EXIF orientation:

- shrunk to a listing site's size (1,280, 800 or 640 pixels on the long side);
- stored again as a harsh JPEG (quality 20 or 10);
- blurred, out of focus (Gaussian) or by a shaking hand (a straight streak across);
- grainy (sensor noise) or dim (a quarter of the light, with noise).

How strong a blur or a streak is depends on the photo's size, as it does in a camera, so
it is given as a share of the photo's long side.  The table, in ``bench/DEGRADED.md``,
counts for each what became of the stickers and whether any serial was reported wrong::

    .venv/bin/python bench/degraded.py        # about twenty minutes on 2 cores

It shows where the reader stops reading, and whether it then says "unreadable" or "no
label" or reports a wrong serial.  The photos as made are stored again too (at JPEG
quality 92, without an EXIF orientation), so every row is read from a file made the same
way.  Every photo is synthetic (``scenegen``); see ``samples/README.md``.
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


@dataclass(frozen=True)
class Degradation:
    name: str
    """As the table shows it."""
    change: Callable[[np.ndarray, np.random.Generator], np.ndarray]
    """The photo (H, W, 3) uint8 RGB, upright, degraded."""
    quality: int
    """The JPEG quality it is stored at."""


def _as_made(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return pixels


def _shrunk(long_side: int) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    def change(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        scale = long_side / max(pixels.shape[:2])
        if scale >= 1:
            return pixels
        size = (round(pixels.shape[1] * scale), round(pixels.shape[0] * scale))
        shrunk: np.ndarray = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        return shrunk
    return change


def _defocused(share: float) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    def change(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        blurred: np.ndarray = cv2.GaussianBlur(pixels, (0, 0), share * max(pixels.shape[:2]))
        return blurred
    return change


def _streaked(share: float) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    def change(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        length = max(3, round(share * max(pixels.shape[:2])))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        turn = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2),
                                       float(rng.uniform(0, 180)), 1.0)
        kernel = cv2.warpAffine(kernel, turn, (length, length))
        streaked: np.ndarray = cv2.filter2D(pixels, -1, kernel / kernel.sum())
        return streaked
    return change


def _grainy(spread: float, light: float = 1.0
            ) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    def change(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        noisy = pixels.astype(np.float32) * light + rng.normal(0, spread, pixels.shape)
        result: np.ndarray = np.clip(noisy, 0, 255).astype(np.uint8)
        return result
    return change


DEGRADATIONS = (
    Degradation("as made (stored again, JPEG 92)", _as_made, 92),
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
)


def _degrade(plan: tuple[list[dict[str, Any]], Path, Path, int]) -> list[dict[str, Any]]:
    """Write every degraded version of ``photos``; one row a photo and degradation.  The
    grain and a streak's direction are drawn from ``seed``, the degradation and the photo."""
    photos, made, out, seed = plan
    rows = []
    for photo in photos:
        with Image.open(made / photo["file"]) as stored:
            upright = np.asarray(ImageOps.exif_transpose(stored).convert("RGB"))
        for index, degradation in enumerate(DEGRADATIONS):
            rng = np.random.default_rng([seed, index, photo["index"]])
            folder = out / f"{index:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / photo["file"]
            Image.fromarray(degradation.change(upright, rng)).save(
                path, quality=degradation.quality)
            rows.append({**photo, "degradation": index, "path": str(path)})
    return rows


def write_table(out: Path, rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    photos = [row for row in rows if row["degradation"] == 0]
    stickers = sum(row["serial"] is not None for row in photos)
    lines = [
        "# Benchmark: photos degraded",
        "",
        f"`bench/degraded.py --seed {args.seed} --count {args.count}` on "
        f"{time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. {len(photos)} photos "
        f"generated by `scenegen` ({stickers} with a sticker, a third each easy, medium, "
        f"hard; {len(photos) - stickers} without one), each read as made and under each "
        "degradation, stored as a JPEG without an EXIF orientation; read in "
        f"{args.jobs} processes with one OCR thread each. All synthetic.",
        "",
        "| degradation | read (easy / medium / hard) | false reads | unreadable (right guess) "
        "| unreadable (other guess or none) | no label | without a sticker: no label / "
        "unreadable / false read | median s/photo | p95 s/photo |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for index, degradation in enumerate(DEGRADATIONS):
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
    lines += ["", "False reads (degradation, file: expected, read):", ""]
    lines += [f"- {DEGRADATIONS[row['degradation']].name}, {row['file']}: "
              f"{row['serial'] or 'nothing'}, {row['read']}" for row in wrong] or ["- none"]
    lines += ["", f"{OUTCOMES_EXPLAINED} The photos are made at 1,024 to 4,032 pixels on the "
              "long side; a shrink leaves a photo already as small as it is. Seconds are per "
              "photo inside a worker, with every worker busy."]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--count", type=int, default=120, help="photos generated")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes, each reading with one OCR thread")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "degraded")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "DEGRADED.md")
    args = parser.parse_args()
    started = time.perf_counter()
    made = args.work / "made"
    photos = [{**photo, "index": index}
              for index, photo in enumerate(generate(made, args.count, args.seed, 0.15))]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        shares = [photos[worker::args.jobs] for worker in range(args.jobs)]
        todo = [row for done in pool.map(_degrade, [(share, made, args.work, args.seed)
                                                       for share in shares]) for row in done]
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
