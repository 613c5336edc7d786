"""Benchmark the reader on a fresh seeded set of generated back-panel photos.

One command generates the photos, reads them with stickerscan and with plain Tesseract on
the whole photo, measures the peak memory of reading one 12-megapixel photo, and writes the
table to ``bench/RESULTS.md``::

    .venv/bin/python bench/run.py                 # 300 photos, seed 20261125
    .venv/bin/python bench/run.py --count 60      # a quick look

Every photo is synthetic (``scenegen``); see ``samples/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenegen import generate_scene, write_scene  # noqa: E402

DIFFICULTIES = ("easy", "medium", "hard")
_SIX_DIGITS = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")
_AFTER_WORDING = re.compile(r"(?:SERIAL|S/N|No)\W{0,4}([0-9]{6})(?![0-9])", re.IGNORECASE)


def generate(folder: Path, count: int, seed: int, negatives: float, *,
             closeups: bool = False) -> list[dict[str, Any]]:
    """Write ``count`` photos (a third of each difficulty, ``negatives`` of them without a
    serial sticker; with ``closeups``, framed as close-ups of the sticker's place) and
    return their ground truth."""
    folder.mkdir(parents=True, exist_ok=True)
    truth: list[dict[str, Any]] = []
    negative_every = max(1, round(1 / negatives)) if negatives > 0 else 0
    for index in range(count):
        difficulty = DIFFICULTIES[index % 3]
        negative = bool(negative_every) and index % negative_every == negative_every - 1
        scene = generate_scene(seed + index, difficulty,  # type: ignore[arg-type]
                               negative=negative, closeup=closeups)
        path = folder / f"{index:04d}-{difficulty}{'-negative' if negative else ''}.jpg"
        write_scene(scene, path)
        sticker = scene.description.get("sticker")
        truth.append({"file": path.name, "serial": scene.serial, "difficulty": difficulty,
                      "negative": negative,
                      "megapixels": scene.image.shape[0] * scene.image.shape[1] / 1e6,
                      # The serial's digits, corners clockwise from their top-left, in
                      # upright pixels.
                      "digits_quad": sticker.get("digits_quad")
                      if isinstance(sticker, dict) else None})
    return truth


def read_with_stickerscan(paths: Sequence[Path], threads: int) -> list[dict[str, Any]]:
    from stickerscan import Scanner, ScanOptions

    scanner = Scanner(ScanOptions(ocr_threads=threads))
    rows = []
    for path in paths:
        started = time.perf_counter()
        result = scanner.scan(path)
        rows.append({"file": path.name, "serial": result.serial if result.status == "read"
                     else None, "status": result.status,
                     "seconds": time.perf_counter() - started})
    return rows


def _plain_tesseract_one(path_text: str) -> dict[str, Any]:
    """Whole photo to the tesseract program (automatic layout), then a regex for six
    digits, preferring one right after serial wording."""
    import pytesseract
    from PIL import Image, ImageOps

    started = time.perf_counter()
    with Image.open(path_text) as image:
        upright = ImageOps.exif_transpose(image).convert("L")
    text = pytesseract.image_to_string(upright, lang="eng", config="--psm 3")
    labelled = _AFTER_WORDING.search(text)
    anywhere = _SIX_DIGITS.search(text)
    serial = labelled.group(1) if labelled else anywhere.group(0) if anywhere else None
    return {"file": Path(path_text).name, "serial": serial,
            "seconds": time.perf_counter() - started}


def read_with_plain_tesseract(paths: Sequence[Path], jobs: int) -> list[dict[str, Any]]:
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_plain_tesseract_one, [str(p) for p in paths], chunksize=4))


def score(truth: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_file = {row["file"]: row for row in rows}
    table: dict[str, Any] = {}
    groups = {"all": truth, **{d: [t for t in truth if t["difficulty"] == d]
                               for d in DIFFICULTIES},
              "easy+medium": [t for t in truth if t["difficulty"] != "hard"]}
    for name, items in groups.items():
        positives = [t for t in items if not t["negative"]]
        correct = sum(by_file[t["file"]]["serial"] == t["serial"] for t in positives)
        false_reads = sum(
            by_file[t["file"]]["serial"] is not None
            and (t["negative"] or by_file[t["file"]]["serial"] != t["serial"])
            for t in items
        )
        no_reads = sum(by_file[t["file"]]["serial"] is None for t in positives)
        table[name] = {
            "photos": len(items), "positives": len(positives),
            "accuracy": correct / len(positives) if positives else float("nan"),
            "false_read_rate": false_reads / len(items) if items else float("nan"),
            "false_reads": false_reads,
            "no_read_rate": no_reads / len(positives) if positives else float("nan"),
        }
    seconds = [row["seconds"] for row in rows]
    table["median_s"] = statistics.median(seconds)
    table["p95_s"] = p95(seconds)
    return table


def p95(values: Sequence[float]) -> float:
    """The value 95% of ``values`` (not empty) are at or below: the slow end of a run."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def peak_memory_mb(photo: Path, threads: int) -> float:
    """Peak resident memory of a fresh process that reads one photo with stickerscan
    (reading threads each hold an OCR engine of their own)."""
    # VmHWM, not getrusage: Linux carries ru_maxrss over from the parent across exec, so
    # the child would report the benchmark's own peak.
    code = (
        "import sys; from stickerscan import Scanner, ScanOptions; "
        "Scanner(ScanOptions(ocr_threads=int(sys.argv[2]))).scan(sys.argv[1]); "
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    output = subprocess.run([sys.executable, "-c", code, str(photo), str(threads)], check=True,
                            capture_output=True, text=True, cwd=ROOT).stdout
    return int(output.strip().splitlines()[-1]) / 1024


def markdown(args: argparse.Namespace, truth: list[dict[str, Any]],
             rows: dict[str, dict[str, Any]], memory: float,
             memory_photo: str, failures: list[str]) -> str:
    def pct(value: float) -> str:
        return f"{100 * value:.1f}%"

    lines = [
        "# Benchmark: reading serial labels from generated back-panel photos",
        "",
        f"Run: `.venv/bin/python bench/run.py --count {args.count} --seed {args.seed}` on "
        f"{time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. stickerscan reads in one "
        f"process, one photo at a time, with {args.threads} OCR threads (the command's "
        "default on this machine for several photos: `--threads`); the 1-thread row reads "
        "the same photos again on one thread, to show what the threads save. Plain "
        "Tesseract ran in "
        f"{args.jobs} worker processes (its seconds are per photo inside a worker).",
        "",
        f"Photos: {len(truth)} generated by `scenegen` (seeds {args.seed}-"
        f"{args.seed + len(truth) - 1}), {sum(t['negative'] for t in truth)} without a serial "
        "sticker (negatives); a third each easy, medium, hard. All synthetic.",
        "",
        "| method | accuracy easy | accuracy medium | accuracy hard | accuracy easy+medium "
        "| accuracy all | false reads (of all photos) | no-read rate | median s/photo "
        "| p95 s/photo |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, table in rows.items():
        lines.append(
            f"| {name} | {pct(table['easy']['accuracy'])} | {pct(table['medium']['accuracy'])} "
            f"| {pct(table['hard']['accuracy'])} | {pct(table['easy+medium']['accuracy'])} "
            f"| {pct(table['all']['accuracy'])} | {pct(table['all']['false_read_rate'])} "
            f"({table['all']['false_reads']}) | {pct(table['all']['no_read_rate'])} "
            f"| {table['median_s']:.3f} | {table['p95_s']:.3f} |"
        )
    lines += [
        "",
        f"Peak memory reading one {memory_photo} photo in a fresh process with "
        f"{args.threads} OCR threads: "
        f"**{memory:.0f} MB** (resident set, including Python, OpenCV and Tesseract).",
        "",
        "Accuracy: exact serial, leading zeros included, over photos that show a sticker. "
        "False read: a serial reported that is wrong, or any serial reported for a negative. "
        "No read: a photo with a sticker for which no serial was reported (unreadable or no "
        "label found).",
    ]
    if failures:
        lines += ["", "Photos stickerscan read wrongly (a false read):", ""]
        lines += [f"- {failure}" for failure in failures]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--negatives", type=float, default=0.15)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes for the plain-Tesseract baseline")
    parser.add_argument("--threads", type=int, default=min(os.cpu_count() or 1, 2),
                        help="OCR threads stickerscan reads each photo with (as the command)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()

    images = args.out / f"seed{args.seed}-n{args.count}"
    started = time.perf_counter()
    truth = generate(images, args.count, args.seed, args.negatives)
    print(f"generated {len(truth)} photos in {time.perf_counter() - started:.0f} s", flush=True)
    paths = [images / t["file"] for t in truth]
    ours_rows = read_with_stickerscan(paths, args.threads)
    ours = score(truth, ours_rows)
    print(json.dumps(ours, indent=1), flush=True)
    tables = {f"stickerscan, {args.threads} threads": ours}
    if args.threads > 1:
        one_rows = read_with_stickerscan(paths, 1)
        tables["stickerscan, 1 thread"] = score(truth, one_rows)
        changed = [a["file"] for a, b in zip(ours_rows, one_rows, strict=True)
                   if (a["status"], a["serial"]) != (b["status"], b["serial"])]
        if changed:
            raise SystemExit(f"threads changed the answer for {changed}")
    if args.skip_baseline:
        plain_rows = [{"file": t["file"], "serial": None, "seconds": float("nan")}
                      for t in truth]
    else:
        plain_rows = read_with_plain_tesseract(paths, args.jobs)
    tables["plain Tesseract, whole photo"] = score(truth, plain_rows)
    biggest = max(truth, key=lambda t: t["megapixels"])
    memory = peak_memory_mb(images / biggest["file"], args.threads)
    by_file = {row["file"]: row for row in ours_rows}
    failures = [
        f"{t['file']}: expected {t['serial'] or 'nothing'}, read {by_file[t['file']]['serial']}"
        for t in truth
        if by_file[t["file"]]["serial"] is not None and by_file[t["file"]]["serial"] != t["serial"]
    ]
    args.report.write_text(markdown(args, truth, tables, memory,
                                    f"{biggest['megapixels']:.1f}-megapixel", failures))
    (args.out / "last-run.json").write_text(json.dumps(
        {"truth": truth, "stickerscan": ours_rows, "plain": plain_rows}, indent=1))
    print(args.report.read_text())


if __name__ == "__main__":
    main()
