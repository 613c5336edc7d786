"""Read photos made another way: a second, plain renderer with fonts scenegen never uses.

``bench/run.py`` measures the reader on ``scenegen``'s photos, which the reader was
developed against.  This benchmark draws its photos with separate, deliberately simple
code (Pillow text on a dark panel, one perspective warp for the whole photo, blur, noise,
JPEG) in ten faces scenegen never uses (Liberation, FreeFont and URW's Nimbus, the free
look-alikes of Arial, Helvetica, Courier and Times), so that habits of one generator the
reader may have grown into show up as a difference between the two.  Two sets:

- plain: stickers of 1 or 4 lines, characters about 20 to 45 pixels tall in a
  3000 by 2000 photo, tilted up to 12 degrees;
- hard: smaller print (16 to 34 pixels, in photos of 3000 by 2000 or 4000 by 3000), a
  second sticker with a part number and a lot number on it, glare, more blur, one photo
  in five upside down, and 15% without a serial sticker.

In both, the serial sticker is placed where the camera sees it whole.

It writes ``bench/OTHER_RENDERER.md``::

    apt-get install fonts-liberation2 fonts-freefont-ttf fonts-urw-base35
    .venv/bin/python bench/other_renderer.py            # 160 plain, 120 hard photos
    .venv/bin/python bench/other_renderer.py --plain 20 --hard 20   # a quick look

Every photo is synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Regular.otf",
    "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Bold.otf",
)
FONT_PACKAGES = "fonts-liberation2 fonts-freefont-ttf fonts-urw-base35"
WORDINGS = ("SERIAL NO.", "Serial No.", "SERIAL No.", "S/N", "No.")
LEGENDS = ("MIDI IN", "OUT", "THRU", "OUTPUT L/MONO", "R", "DAMPER", "ASSIGNABLE PEDAL",
           "PHONES", "AC 120V 60Hz 11W", "MODEL M1")
# Sticker paper and ink: white or silver with dark print, black with light print.
STYLES = {"white": ((235, 235, 228), (20, 20, 20)), "silver": ((180, 182, 185), (25, 25, 30)),
          "black": ((25, 25, 25), (225, 225, 220))}
# The M1 family's serials never passed about 260,000 (see models/).
SERIAL_RANGE = (1, 260_000)
WORKERS = 2


@dataclass(frozen=True)
class Drawn:
    """One photo's truth."""

    file: str
    serial: str | None  # None: no serial sticker in the photo
    font: str
    style: str
    wording: str
    lines: int


def draw_photo(seed: int, folder: Path, *, hard: bool) -> Drawn:
    """Draw one back-panel photo from ``seed`` into ``folder``."""
    rng = np.random.default_rng(seed)
    width, height = (4000, 3000) if hard and rng.random() < 0.5 else (3000, 2000)
    panel = np.full((height, width, 3), rng.integers(15, 60), np.float32)
    panel += rng.normal(0, 4, (height, width, 1)).astype(np.float32)
    photo = Image.fromarray(np.clip(panel, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(photo)
    legend_font = ImageFont.truetype(_pick(rng, FONTS), int(rng.integers(30, 60)))
    for legend in LEGENDS:
        x, y = int(rng.integers(50, width - 500)), int(rng.integers(50, height - 100))
        draw.text((x, y), legend, fill=(220, 220, 215), font=legend_font)
        if rng.random() < 0.5:  # a jack below the legend
            cx, cy, r = x + 60, y + 110, int(rng.integers(25, 45))
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(120, 120, 125),
                         outline=(200, 200, 200), width=4)
            draw.ellipse((cx - r // 2, cy - r // 2, cx + r // 2, cy + r // 2), fill=(10, 10, 10))
    serial = f"{int(rng.integers(*SERIAL_RANGE)):06d}"
    font_path = _pick(rng, FONTS)
    style = _pick(rng, tuple(STYLES))
    size = int(rng.integers(22, 46)) if hard else int(rng.integers(28, 60))
    negative = hard and rng.random() < 0.15
    font = ImageFont.truetype(font_path, size)
    wording = _pick(rng, WORDINGS)
    lines = ["KORG INC.", "MODEL  M1", f"{wording} {serial}", "MADE IN JAPAN"]
    if rng.random() < 0.5:
        lines = [f"{wording} {serial}"]
    sticker = _sticker(lines, font, size, *STYLES[style])
    warp = _camera_warp(rng, width, height, hard=hard)
    sx, sy = _place_in_view(rng, sticker.size, warp, width, height)
    if hard:  # another sticker, with numbers that are not the serial
        other_size = int(rng.integers(24, 44))
        other_font = ImageFont.truetype(_pick(rng, FONTS), other_size)
        other = _sticker([f"PART NO. {rng.integers(1000, 9999)}-{rng.integers(10, 99)}",
                          f"LOT {rng.integers(100000, 999999)}A"], other_font, other_size,
                         (200, 200, 190), (30, 30, 30))
        photo.paste(other, (int(rng.integers(100, width - other.width - 100)),
                            int(rng.integers(100, height - other.height - 100))))
    if not negative:
        photo.paste(sticker, (sx, sy))
    pixels = np.asarray(photo).astype(np.float32)
    shade = np.linspace(rng.uniform(0.6, 1.0), rng.uniform(0.9, 1.2), width, dtype=np.float32)
    pixels = np.clip(pixels * shade[None, :, None], 0, 255)
    pixels = _camera(pixels, warp, rng, hard=hard)
    name = f"{'hard' if hard else 'plain'}-{seed}.jpg"
    Image.fromarray(pixels).save(folder / name, quality=int(rng.integers(60, 92)))
    return Drawn(name, None if negative else serial, Path(font_path).stem, style, wording,
                 len(lines))


def _pick(rng: np.random.Generator, choices: tuple[str, ...]) -> str:
    return choices[int(rng.integers(len(choices)))]


def _sticker(lines: list[str], font: ImageFont.FreeTypeFont, size: int,
             paper: tuple[int, int, int], ink: tuple[int, int, int]) -> Image.Image:
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_width = max(measure.textlength(line, font=font) for line in lines)
    sticker = Image.new("RGB", (int(text_width + size * 1.5),
                                int(len(lines) * size * 1.35 + size)), paper)
    draw = ImageDraw.Draw(sticker)
    for index, line in enumerate(lines):
        draw.text((size * 0.75, size * 0.5 + index * size * 1.35), line, fill=ink, font=font)
    return sticker


def _camera_warp(rng: np.random.Generator, width: int, height: int, *,
                 hard: bool) -> np.ndarray:
    """The camera's view of the panel: turned and in perspective (a 3x3 homography)."""
    angle = rng.uniform(-12, 12) + (180 if hard and rng.random() < 0.2 else 0)
    tilt = rng.uniform(0, 0.12) * width
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    seen = np.float32([[tilt, rng.uniform(0, 0.05) * height], [width - tilt * 0.3, 0],
                       [width, height], [0, height - rng.uniform(0, 0.05) * height]])
    turn = np.vstack([cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0), [0, 0, 1]])
    warp: np.ndarray = turn @ cv2.getPerspectiveTransform(corners, seen)
    return warp


def _place_in_view(rng: np.random.Generator, size: tuple[int, int], warp: np.ndarray,
                   width: int, height: int) -> tuple[int, int]:
    """A place on the panel for a sticker of ``size`` that the camera sees whole."""
    margin = 40
    for _ in range(200):
        x = int(rng.integers(100, width - size[0] - 100))
        y = int(rng.integers(100, height - size[1] - 100))
        corners = np.float32([[x, y], [x + size[0], y], [x + size[0], y + size[1]],
                              [x, y + size[1]]]).reshape(-1, 1, 2)
        seen = cv2.perspectiveTransform(corners, warp).reshape(-1, 2)
        if (seen.min() >= margin and seen[:, 0].max() <= width - margin
                and seen[:, 1].max() <= height - margin):
            return x, y
    # Not met by chance in 200 tries (a steep view of a large sticker): the panel's
    # centre, near the middle of every view _camera_warp makes.
    return (width - size[0]) // 2, (height - size[1]) // 2


def _camera(pixels: np.ndarray, warp: np.ndarray, rng: np.random.Generator, *,
            hard: bool) -> np.ndarray:
    """The photo as a camera gives it: seen through ``warp``, glare, blur and noise."""
    height, width = pixels.shape[:2]
    pixels = cv2.warpPerspective(pixels, warp, (width, height), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REFLECT)
    if hard:
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        glare = rng.uniform(0, 90) * np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2)
                                            / (2 * (width / 6) ** 2))
        pixels = np.clip(pixels + glare[..., None], 0, 255)
    pixels = cv2.GaussianBlur(pixels, (0, 0), rng.uniform(0.5, 2.5 if hard else 2.0))
    noisy = pixels + rng.normal(0, rng.uniform(2, 8), pixels.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _draw(args: tuple[int, bool, Path]) -> Drawn:
    seed, hard, folder = args
    return draw_photo(seed, folder, hard=hard)


def _read(args: tuple[list[Drawn], Path]) -> list[dict[str, Any]]:
    from stickerscan import Scanner, ScanOptions

    drawn, folder = args
    scanner = Scanner(ScanOptions(ocr_threads=1))
    rows = []
    for photo in drawn:
        started = time.perf_counter()
        result = scanner.scan(folder / photo.file)
        rows.append({**asdict(photo), "status": result.status, "read": result.serial,
                     "guess": result.guess, "seconds": time.perf_counter() - started})
    return rows


def outcome(row: dict[str, Any]) -> str:
    """How one photo ended, as the table counts it."""
    if row["serial"] is None:
        return "false read" if row["read"] else row["status"]
    if row["read"] == row["serial"]:
        return "read"
    if row["read"]:
        return "false read"
    if row["status"] == "unreadable":
        return "unreadable, right guess" if row["guess"] == row["serial"] else "unreadable"
    return row["status"]


def write_table(out: Path, rows: list[dict[str, Any]], seed: int) -> None:
    lines = [
        "# Benchmark: photos made another way",
        "",
        f"`bench/other_renderer.py --seed {seed}`; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. stickerscan reads in "
        f"{WORKERS} processes, one thread each. Photos drawn by the benchmark's own plain renderer "
        "in fonts scenegen never uses (see the script's docstring). All synthetic.",
        "",
        "| set | photos with a sticker | read | false reads | unreadable (right guess) "
        "| unreadable (other guess or none) | no label | photos without a sticker: "
        "no label / unreadable / false read | median s/photo |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("plain", "hard"):
        subset = [row for row in rows if row["file"].startswith(name)]
        if not subset:
            continue
        stickers = [row for row in subset if row["serial"] is not None]
        counts = Counter(outcome(row) for row in stickers)
        negatives = Counter(outcome(row) for row in subset if row["serial"] is None)
        read = counts["read"]
        lines.append(
            f"| {name} | {len(stickers)} | {read} ({read / max(len(stickers), 1):.1%}) "
            f"| {counts['false read'] + negatives['false read']} "
            f"| {counts['unreadable, right guess']} | {counts['unreadable']} "
            f"| {counts['no-label']} | {negatives['no-label']} / {negatives['unreadable']} / "
            f"{negatives['false read']} "
            f"| {statistics.median(row['seconds'] for row in subset):.3f} |")
    lines += ["", "Read, by face (both sets, photos with a sticker):", ""]
    by_font: dict[str, Counter[str]] = {}
    for row in rows:
        if row["serial"] is not None:
            by_font.setdefault(row["font"], Counter())[outcome(row)] += 1
    for font, counts in sorted(by_font.items()):
        lines.append(f"- {font}: {counts['read']} of {sum(counts.values())}")
    missed = [row for row in rows if row["serial"] is not None and outcome(row) != "read"]
    lines += ["", "Photos with a sticker not read (file: outcome; face, style, wording, "
              "lines):", ""]
    lines += [f"- {row['file']}: {outcome(row)}; {row['font']}, {row['style']}, "
              f"\"{row['wording']}\", {row['lines']}" for row in missed]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plain", type=int, default=160, help="photos in the plain set")
    parser.add_argument("--hard", type=int, default=120, help="photos in the hard set")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--work", type=Path, default=Path("/tmp/stickerscan-other-renderer"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "OTHER_RENDERER.md")
    args = parser.parse_args()
    missing = [font for font in FONTS if not Path(font).exists()]
    if missing:
        sys.exit(f"bench/other_renderer.py: fonts missing ({', '.join(missing)}); "
                 f"install them with: apt-get install {FONT_PACKAGES}")
    folder: Path = args.work
    folder.mkdir(parents=True, exist_ok=True)
    plans = ([(args.seed + index, False, folder) for index in range(args.plain)]
             + [(args.seed + 100_000 + index, True, folder) for index in range(args.hard)])
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        drawn = list(pool.map(_draw, plans, chunksize=8))
        jobs = [(drawn[worker::WORKERS], folder) for worker in range(WORKERS)]
        rows = [row for part in pool.map(_read, jobs) for row in part]
    rows.sort(key=lambda row: str(row["file"]))
    (folder / "results.json").write_text(json.dumps(rows, indent=1))
    write_table(args.out, rows, args.seed)
    print(args.out.read_text())


if __name__ == "__main__":
    main()
