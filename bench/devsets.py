"""Read the development sets: twelve seeded sets of generated photos, six times the
benchmark's one, large enough to tell a change to the reader from chance.

Each set is made as ``bench/run.py`` makes its photos (150 a set, 15% without a serial
sticker, a third each easy, medium and hard), from seeds 7000, 8000, ... 18000. The
photos are read in worker processes with one OCR thread each, and the table goes to
``bench/DEVSETS.md``::

    .venv/bin/python bench/devsets.py            # about ten minutes on 2 cores

With ``--closeups`` it reads close-ups instead, into ``bench/CLOSEUPS.md``: the same
kind of scenes framed as a person photographs the sticker alone, which then fills a
tenth to a third of the frame (``scenegen --closeups``); without a sticker, the close-up
shows its place on the panel, now and then with another sticker there.  Two sets of
150, seeds 30000 and 31000.  The first run of the first set gave two false reads, which
the reader was changed for (a 7 read as a 1, an asset tag's number); the second set
was first read after those changes::

    .venv/bin/python bench/devsets.py --closeups  # about three minutes on 2 cores

With ``--sideways`` it reads photos taken sideways, into ``bench/SIDEWAYS.md``: two sets
of 150 made as the development sets are (seeds 40000 and 41000), each photo then turned
a quarter turn, every other one each way, and stored again as a JPEG without an EXIF
orientation, as a program that drops the tag without turning the photo leaves it::

    .venv/bin/python bench/devsets.py --sideways  # about four minutes on 2 cores

With ``--cropped`` it reads photos cut down to the label, into ``bench/CROPPED.md``: two
sets of 150 made as the development sets are (seeds 42000 and 43000), each photo with a
sticker then cut to the serial number's surroundings, as a person crops a photo to show
the sticker or takes it from a hand's width away: the number stands across the cut's
middle, a quarter of the cut's height tall on every other photo and a third on the rest,
with six tenths of its length on each side.  A photo without a sticker is cut to a patch
of the same shape from the middle of its panel, where such a label would be::

    .venv/bin/python bench/devsets.py --cropped   # about four minutes on 2 cores

With ``--cut-number`` it reads photos whose edge runs through the serial number, into
``bench/CUT_NUMBER.md``: two sets of 150 made as the development sets are (seeds 44000
and 45000), each photo with a sticker cut as ``--cropped`` cuts it, but with one side of
the cut running through the number's first digit (on every other photo) or its last,
three, five or seven tenths of the digit's width in from its outer edge.  What is left
of a digit reads as another digit (a 0 cut in half as a 1): no serial should be reported
but one read whole.  The photos without a sticker are cut as ``--cropped`` cuts them::

    .venv/bin/python bench/devsets.py --cut-number   # about four minutes on 2 cores

Every photo is synthetic (``scenegen``); see ``samples/README.md``.
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from other_renderer import outcome  # noqa: E402
from run import DIFFICULTIES, generate, p95  # noqa: E402

SEEDS = tuple(range(7000, 19000, 1000))
CLOSEUP_SEEDS = (30000, 31000)
SIDEWAYS_SEEDS = (40000, 41000)
CROPPED_SEEDS = (42000, 43000)
# Every generated serial has six digits (the M1 family's format).
SERIAL_DIGITS = 6
# A cropped photo: the number's height as a share of the cut's, on every other photo and
# on the rest, and the margin on each side of it, as a share of its length.
CROPPED_SHARES = (1 / 4, 1 / 3)
CROPPED_SIDE = 0.6
CUT_NUMBER_SEEDS = (44000, 45000)
# How far into the first or last digit, as a share of a digit's width from the number's
# end, the photo's edge runs, in turn.
CUT_INTO_DIGIT = (0.3, 0.5, 0.7)


def _generate(plan: tuple[int, int, float, Path, str]) -> list[dict[str, Any]]:
    seed, count, negatives, out, kind = plan
    folder = out / str(seed)
    # A photo without a sticker has no serial (None), as ``outcome`` expects.
    photos = [{**photo, "set": seed, "path": str(folder / photo["file"])}
              for photo in generate(folder, count, seed, negatives,
                                    closeups=kind == "closeups")]
    if kind == "sideways":
        for index, photo in enumerate(photos):
            _turn_sideways(Path(photo["path"]), clockwise=index % 2 == 1)
    if kind == "cropped":
        for index, photo in enumerate(photos):
            _crop_to_label(Path(photo["path"]), photo["digits_quad"],
                           CROPPED_SHARES[index % 2])
    if kind == "cut-number":
        for index, photo in enumerate(photos):
            _crop_to_label(Path(photo["path"]), photo["digits_quad"],
                           CROPPED_SHARES[index % 2],
                           cut_into=(index % 2 == 0, CUT_INTO_DIGIT[index // 2 % 3]))
    return photos


def _turn_sideways(path: Path, *, clockwise: bool) -> None:
    """Turn the photo at ``path`` upright (by its EXIF orientation), then a quarter
    turn, and store it again without an EXIF orientation."""
    from PIL import Image, ImageOps

    with Image.open(path) as stored:
        upright = ImageOps.exif_transpose(stored).convert("RGB")
    turn = Image.Transpose.ROTATE_270 if clockwise else Image.Transpose.ROTATE_90
    upright.transpose(turn).save(path, quality=92)


def _crop_to_label(path: Path, digits_quad: list[list[float]] | None, share: float,
                   cut_into: tuple[bool, float] | None = None) -> None:
    """Cut the photo at ``path`` (upright by its EXIF orientation) to the surroundings of
    the number whose corners are ``digits_quad``, the number ``share`` of the cut's height
    tall; without a number, to a patch of the same shape in the photo's middle (the
    number's shape taken as six characters a twentieth of the photo's height tall).  With
    ``cut_into`` (first digit or last, share of its width), the cut's side at that end of
    the number runs through that digit instead.  Store it again without an EXIF
    orientation."""
    from PIL import Image, ImageOps

    with Image.open(path) as stored:
        upright = ImageOps.exif_transpose(stored).convert("RGB")
    if digits_quad is not None:
        xs, ys = [x for x, _ in digits_quad], [y for _, y in digits_quad]
        left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    else:
        height = upright.height / 20
        length = 6 * 0.6 * height
        left, top = (upright.width - length) / 2, (upright.height - height) / 2
        right, bottom = left + length, top + height
    above = (bottom - top) * (1 / share - 1) / 2
    beside = (right - left) * CROPPED_SIDE
    box = [max(0, round(left - beside)), max(0, round(top - above)),
           min(upright.width, round(right + beside)), min(upright.height, round(bottom + above))]
    if cut_into is not None and digits_quad is not None:
        first, into = cut_into
        (start_x, _), (end_x, _) = (_middle(digits_quad[0], digits_quad[3]),
                                    _middle(digits_quad[1], digits_quad[2]))
        if not first:
            start_x, end_x = end_x, start_x
        # The digits' order runs from start to end, right to left on an upside-down label.
        cut_x = round(start_x + into * (end_x - start_x) / SERIAL_DIGITS)
        box[0 if end_x > start_x else 2] = cut_x
    upright.crop(tuple(box)).save(path, quality=92)


def _middle(one: list[float], other: list[float]) -> tuple[float, float]:
    return ((one[0] + other[0]) / 2, (one[1] + other[1]) / 2)


TITLES = {"closeups": "# Close-ups", "sideways": "# Photos taken sideways",
          "cropped": "# Photos cropped to the label",
          "cut-number": "# Photos whose edge cuts through the serial number",
          "devsets": "# Development sets"}
NOTES = {"sideways": ", each then turned a quarter turn (every other one each way) and "
                     "stored again as a JPEG without an EXIF orientation",
         "cropped": ", each then cut to the serial number's surroundings (the number a "
                    "quarter or a third of the cut's height; see `bench/devsets.py`) and "
                    "stored again as a JPEG without an EXIF orientation",
         "cut-number": ", each then cut as for `--cropped` but with the cut's side at one "
                       "end of the number running through its first or last digit (three, "
                       "five or seven tenths of the digit in; see `bench/devsets.py`) and "
                       "stored again as a JPEG without an EXIF orientation"}


def _kind(args: argparse.Namespace) -> str:
    """Which sets are read: close-ups, photos taken sideways, photos cropped to the label,
    or the development sets."""
    return ("closeups" if args.closeups else "sideways" if args.sideways
            else "cropped" if args.cropped else "cut-number" if args.cut_number
            else "devsets")


def read_photos(photos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Read each photo at its ``path`` with one OCR thread; its row with the outcome."""
    from stickerscan import Scanner, ScanOptions

    scanner = Scanner(ScanOptions(ocr_threads=1))
    rows = []
    for photo in photos:
        started = time.perf_counter()
        result = scanner.scan(photo["path"])
        rows.append({**photo, "status": result.status, "read": result.serial,
                     "guess": result.guess, "seconds": time.perf_counter() - started})
    return rows


OUTCOMES_EXPLAINED = (
    "Read: the exact serial, leading zeros kept. False read: a serial reported that is "
    "wrong, or any serial reported for a photo without a sticker. Unreadable: a number "
    "seen but not read surely enough, shown as a guess; a right guess is the serial.")


def outcome_cells(rows: list[dict[str, Any]]) -> str:
    """The table's cells from false reads to the p95, for ``rows`` read: false reads,
    unreadable (right guess; other guess or none), no label, the photos without a sticker
    (no label / unreadable / false read), median and p95 seconds."""
    counts = Counter(outcome(row) for row in rows if row["serial"] is not None)
    negatives = Counter(outcome(row) for row in rows if row["serial"] is None)
    seconds = [row["seconds"] for row in rows]
    return (f"{counts['false read'] + negatives['false read']} "
            f"| {counts['unreadable, right guess']} | {counts['unreadable']} "
            f"| {counts['no-label']} | {negatives['no-label']} / {negatives['unreadable']} / "
            f"{negatives['false read']} | {statistics.median(seconds):.3f} "
            f"| {p95(seconds):.3f}")


def write_table(out: Path, rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    seeds = sorted({row["set"] for row in rows})
    sets = f"{len(seeds)} set{'s' if len(seeds) > 1 else ''}"
    lines = [
        TITLES[_kind(args)],
        "",
        f"`bench/devsets.py{'' if _kind(args) == 'devsets' else ' --' + _kind(args)}` on "
        f"{time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. {sets} of "
        f"{args.count} {'close-ups' if args.closeups else 'photos'} generated by `scenegen` "
        f"(seeds {', '.join(map(str, seeds))}; "
        f"{args.negatives:.0%} without a serial sticker; a third each easy, medium, hard)"
        f"{NOTES.get(_kind(args), '')}, "
        f"read in {args.jobs} processes with one OCR thread each. All synthetic.",
        "",
        "| photos | with a sticker | read | false reads | unreadable (right guess) "
        "| unreadable (other guess or none) | no label | without a sticker: "
        "no label / unreadable / false read | median s/photo | p95 s/photo |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in (*DIFFICULTIES, "all"):
        subset = [row for row in rows if name in ("all", row["difficulty"])]
        stickers = [row for row in subset if row["serial"] is not None]
        read = sum(outcome(row) == "read" for row in stickers)
        lines.append(f"| {name} | {len(stickers)} | {read} ({read / max(len(stickers), 1):.1%}) "
                     f"| {outcome_cells(subset)} |")
    wrong = [row for row in rows if outcome(row) == "false read"]
    lines += ["", "False reads (set/file: expected, read):", ""]
    lines += [f"- {row['set']}/{row['file']}: {row['serial'] or 'nothing'}, {row['read']}"
              for row in wrong] or ["- none"]
    lines += ["", f"{OUTCOMES_EXPLAINED} Seconds are per photo inside a worker, with both "
              "workers busy."]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--closeups", action="store_true",
                      help="read close-ups of the sticker instead (see above)")
    kind.add_argument("--sideways", action="store_true",
                      help="read photos turned a quarter turn, without EXIF (see above)")
    kind.add_argument("--cropped", action="store_true",
                      help="read photos cut down to the label (see above)")
    kind.add_argument("--cut-number", action="store_true",
                      help="read photos whose edge cuts through the number (see above)")
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--count", type=int, default=150, help="photos a set")
    parser.add_argument("--negatives", type=float, default=0.15)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes, each reading with one OCR thread")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    name = _kind(args)
    args.seeds = args.seeds or list(
        {"closeups": CLOSEUP_SEEDS, "sideways": SIDEWAYS_SEEDS, "cropped": CROPPED_SEEDS,
         "cut-number": CUT_NUMBER_SEEDS, "devsets": SEEDS}[name])
    args.work = args.work or ROOT / "bench" / "out" / name
    args.out = args.out or ROOT / "bench" / f"{name.upper().replace('-', '_')}.md"
    plans = [(seed, args.count, args.negatives, args.work, name) for seed in args.seeds]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        photos = [photo for made in pool.map(_generate, plans) for photo in made]
        print(f"generated {len(photos)} photos in {time.perf_counter() - started:.0f} s",
              flush=True)
        shares = [photos[worker::args.jobs] for worker in range(args.jobs)]
        rows = [row for share in pool.map(read_photos, shares) for row in share]
    rows.sort(key=lambda row: (row["set"], row["file"]))
    (args.work / "results.json").write_text(json.dumps(rows, indent=1))
    write_table(args.out, rows, args)
    print(args.out.read_text())


if __name__ == "__main__":
    main()
