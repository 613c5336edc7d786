"""Command line: write a batch of scenes plus golden.json, or the sample set.

python -m scenegen --out DIR --count N --seed S [--negatives 0.15]
                   [--mix easy=0.34,medium=0.33,hard=0.33] [--jobs 2]
python -m scenegen --out DIR --count N --seed S --listing-shots   # front, keys, box, room
python -m scenegen samples --out samples
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from scenegen.generate import generate_scene
from scenegen.listing_shots import generate_listing_shot
from scenegen.scene import DIFFICULTIES, Difficulty, Scene
from scenegen.writer import write_scene


def golden_entry(file: str, scene: Scene, negative: bool) -> dict[str, object]:
    """One golden.json record for a written scene."""
    return {
        "file": file,
        "serial": scene.serial,
        "difficulty": scene.difficulty,
        "seed": scene.seed,
        "negative": negative,
        "exif_orientation": scene.exif_orientation,
        "label_quad": None if scene.label_quad is None else [list(p) for p in scene.label_quad],
        "description": scene.description,
    }


def parse_mix(text: str) -> dict[Difficulty, float]:
    """Parse ``easy=0.34,medium=0.33,hard=0.33`` (weights are normalised)."""
    weights: dict[Difficulty, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in DIFFICULTIES:
            raise argparse.ArgumentTypeError(f"unknown difficulty {name!r} in --mix")
        try:
            weights[DIFFICULTIES[DIFFICULTIES.index(name)]] = float(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"bad weight in --mix: {part!r}") from exc
    total = sum(weights.values())
    if total <= 0 or any(v < 0 for v in weights.values()):
        raise argparse.ArgumentTypeError("--mix weights must be non-negative and not all zero")
    return {k: v / total for k, v in weights.items()}


def _apportion(count: int, weights: dict[Difficulty, float]) -> list[Difficulty]:
    """Exact counts by largest remainder, in DIFFICULTIES order."""
    raw = {k: count * v for k, v in weights.items()}
    counts = {k: int(v) for k, v in raw.items()}
    left = count - sum(counts.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - counts[k]), DIFFICULTIES.index(k)))[:left]:
        counts[k] += 1
    return [d for d in DIFFICULTIES for _ in range(counts.get(d, 0))]


def assign(
    count: int, seed: int, negatives: float, mix: dict[Difficulty, float]
) -> list[tuple[int, Difficulty, bool]]:
    """(seed, difficulty, negative) for each scene of a batch, deterministically."""
    rng = np.random.default_rng([seed % (1 << 63), count, 0x5EED])
    diffs = _apportion(count, mix)
    diffs = [diffs[int(i)] for i in rng.permutation(count)]
    n_neg = round(count * negatives)
    neg = set(int(i) for i in rng.permutation(count)[:n_neg])
    return [(seed + i, diffs[i], i in neg) for i in range(count)]


def _make_one(job: tuple[int, Difficulty, bool, str], *, closeup: bool = False
              ) -> dict[str, object]:
    seed, difficulty, negative, out = job
    scene = generate_scene(seed, difficulty, negative=negative, closeup=closeup)
    name = f"scene-{seed}.jpg"
    write_scene(scene, Path(out) / name)
    return golden_entry(name, scene, negative)


def _make_listing_shot(job: tuple[int, Difficulty, bool, str]) -> dict[str, object]:
    seed, difficulty, _, out = job
    shot = generate_listing_shot(seed, difficulty)
    name = f"shot-{seed}.jpg"
    write_scene(shot, Path(out) / name)
    return golden_entry(name, shot, True)


def write_batch(
    out: Path,
    count: int,
    seed: int,
    negatives: float,
    mix: dict[Difficulty, float],
    jobs: int = 1,
    *,
    listing_shots: bool = False,
    closeups: bool = False,
) -> list[dict[str, object]]:
    """Generate ``count`` scenes into ``out`` and write ``out/golden.json``.

    With ``listing_shots`` every scene is a listing photo without a sticker (front, keys,
    box or room; ``negatives`` does not apply) named ``shot-SEED.jpg``.  With
    ``closeups`` every scene is framed as a close-up of the sticker's place.
    """
    out.mkdir(parents=True, exist_ok=True)
    make = (_make_listing_shot if listing_shots
            else functools.partial(_make_one, closeup=closeups))
    work = [(s, d, n, str(out)) for s, d, n in assign(count, seed, negatives, mix)]
    if jobs > 1 and count > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            entries = list(pool.map(make, work, chunksize=1))
    else:
        entries = [make(job) for job in work]
    (out / "golden.json").write_text(json.dumps(entries, indent=1) + "\n")
    return entries


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "samples":
        from scenegen.samples import write_samples

        sp = argparse.ArgumentParser(
            prog="python -m scenegen samples", description="Write the committed sample set."
        )
        sp.add_argument("--out", type=Path, default=Path("samples"))
        ns = sp.parse_args(args[1:])
        for line in write_samples(ns.out):
            print(line)
        return 0
    p = argparse.ArgumentParser(
        prog="python -m scenegen", description="Generate synthetic Korg M1 rear-panel photos."
    )
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--count", type=int, required=True, help="number of scenes")
    p.add_argument("--seed", type=int, required=True, help="scene i uses seed S+i")
    p.add_argument(
        "--negatives", type=float, default=0.15, help="fraction of scenes without a serial sticker"
    )
    p.add_argument(
        "--mix",
        type=parse_mix,
        default=parse_mix("easy=0.34,medium=0.33,hard=0.33"),
        help="difficulty weights",
    )
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument(
        "--listing-shots",
        action="store_true",
        help="write the other photos of a listing instead (front, keys, box, room; no serial "
        "sticker, so --negatives does not apply)",
    )
    p.add_argument(
        "--closeups",
        action="store_true",
        help="frame every scene as a close-up of the sticker (a tenth to a third of the frame)",
    )
    ns = p.parse_args(args)
    if ns.count < 0 or not 0.0 <= ns.negatives <= 1.0:
        p.error("--count must be >= 0 and --negatives within 0..1")
    entries = write_batch(
        ns.out, ns.count, ns.seed, ns.negatives, ns.mix, ns.jobs,
        listing_shots=ns.listing_shots, closeups=ns.closeups,
    )
    print(f"wrote {len(entries)} scenes and golden.json to {ns.out}")
    return 0
