"""The committed sample set: a dozen scenes, easy to hard, with fixed seeds.

Each sample names what it shows; its seed is the first seed at or after a
fixed starting seed whose plan has the wanted property (plans are cheap to
draw), so the set stays reproducible.  ``write_samples`` writes the photos,
``golden.json`` and ``README.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scenegen.cli import golden_entry
from scenegen.generate import render_plan
from scenegen.params import Plan, make_plan
from scenegen.scene import Difficulty, Scene
from scenegen.writer import write_scene

SIX_DIGIT_KINDS = ("ul", "barcode", "asset", "qc")


def _small(p: Plan) -> bool:
    return max(p.size) <= 1600


def _six_digits(p: Plan) -> bool:
    return any(
        any(ch.isdigit() for ch in ln.text) and _has_six(ln.text)
        for d in p.distractors
        for ln in d.lines
    )


def _has_six(text: str) -> bool:
    run = 0
    for ch in text:
        run = run + 1 if ch.isdigit() else 0
        if run == 6:
            return True
    return False


def _always(_: Scene) -> bool:
    return True


def _cables_shown(scene: Scene) -> bool:
    cables = scene.description.get("cables")
    return isinstance(cables, list) and len(cables) >= 1


def _glare_on_sticker(scene: Scene) -> bool:
    photo = scene.description.get("photo")
    return isinstance(photo, dict) and float(photo.get("glare_max_on_sticker", 0.0)) >= 0.4


def _six_digit_in_frame(scene: Scene) -> bool:
    found = scene.description.get("distractors")
    if not isinstance(found, list):
        return False
    return any(
        isinstance(d, dict)
        and d.get("visible") == "full"
        and any(_has_six(str(t)) for t in d.get("text", []))
        for d in found
    )


@dataclass(frozen=True, slots=True)
class SampleSpec:
    """One sample: its file name, what it shows, and how its seed is chosen."""

    name: str
    difficulty: Difficulty
    negative: bool
    start_seed: int
    tests: str
    wanted: Callable[[Plan], bool]
    shows: Callable[[Scene], bool] = _always


SAMPLES: tuple[SampleSpec, ...] = (
    SampleSpec(
        "m1-easy-black-sticker.jpg",
        "easy",
        False,
        1000,
        "near-frontal shot, black sticker with light print",
        lambda p: p.sticker.style == "black" and p.exif_orientation == 1 and _small(p),
    ),
    SampleSpec(
        "m1-easy-white-paper-label.jpg",
        "easy",
        False,
        1100,
        "white/cream paper sticker with dark print",
        lambda p: (
            p.sticker.style == "paper"
            and p.exif_orientation == 1
            and _small(p)
            and len(p.distractors) >= 1
        ),
    ),
    SampleSpec(
        "m1-easy-12mp-phone-photo.jpg",
        "easy",
        False,
        1200,
        "full 12 MP phone frame (4032x3024); reader must cope with large inputs",
        lambda p: (
            p.size == (4032, 3024)
            and p.exif_orientation == 1
            and p.photo.jpeg_quality <= 84
            and p.photo.noise <= 2.0
        ),
    ),
    SampleSpec(
        "m1-medium-foil-tilted.jpg",
        "medium",
        False,
        1300,
        "silver foil sticker, low contrast, perspective tilt >= 10 deg",
        lambda p: (
            p.sticker.style == "foil" and p.tilt >= 10 and p.exif_orientation == 1 and _small(p)
        ),
    ),
    SampleSpec(
        "m1-medium-engraved-plate.jpg",
        "medium",
        False,
        1400,
        "metal plate with stamped/engraved digits",
        lambda p: p.sticker.style == "plate" and p.exif_orientation == 1 and _small(p),
    ),
    SampleSpec(
        "m1-medium-exif-rotated.jpg",
        "medium",
        False,
        1500,
        "pixels stored rotated with EXIF orientation 6 or 8; reader must apply EXIF",
        lambda p: p.exif_orientation in (6, 8) and _small(p),
    ),
    SampleSpec(
        "m1-medium-portrait-cables.jpg",
        "medium",
        False,
        1600,
        "portrait frame with cables plugged into the jacks",
        lambda p: p.size[1] > p.size[0] and p.cables >= 2 and p.exif_orientation == 1 and _small(p),
        _cables_shown,
    ),
    SampleSpec(
        "m1-hard-upside-down-foil.jpg",
        "hard",
        False,
        1700,
        "panel photographed upside down, foil sticker, small in frame",
        lambda p: (
            p.upside_down and p.sticker.style == "foil" and p.exif_orientation == 1 and _small(p)
        ),
    ),
    SampleSpec(
        "m1-hard-black-on-black.jpg",
        "hard",
        False,
        1800,
        "black sticker on a black panel: edges barely visible",
        lambda p: (
            p.sticker.style == "black"
            and p.panel.kind == "black"
            and p.exif_orientation == 1
            and _small(p)
        ),
    ),
    SampleSpec(
        "m1-hard-glare-over-sticker.jpg",
        "hard",
        False,
        1900,
        "specular glare partly over the sticker, heavy JPEG",
        lambda p: p.photo.glare == "partial" and p.exif_orientation == 1 and _small(p),
        _glare_on_sticker,
    ),
    SampleSpec(
        "negative-no-sticker.jpg",
        "medium",
        True,
        2000,
        "rear panel without any sticker: the reader must answer 'none'",
        lambda p: not p.distractors and p.exif_orientation == 1 and _small(p),
    ),
    SampleSpec(
        "negative-other-stickers.jpg",
        "medium",
        True,
        2100,
        "no serial sticker, but other stickers with numbers incl. a six-digit one",
        lambda p: (
            len(p.distractors) >= 2 and _six_digits(p) and p.exif_orientation == 1 and _small(p)
        ),
        _six_digit_in_frame,
    ),
)


def find_sample(spec: SampleSpec, limit: int = 5000) -> tuple[int, Scene]:
    """First seed >= ``spec.start_seed`` whose plan and rendering show what ``spec`` wants."""
    for seed in range(spec.start_seed, spec.start_seed + limit):
        plan = make_plan(seed, spec.difficulty, spec.negative)
        if spec.wanted(plan):
            scene = render_plan(plan)
            if spec.shows(scene):
                return seed, scene
    raise RuntimeError(f"no seed found for {spec.name}")


def write_samples(out: Path) -> list[str]:
    """Write the sample photos, golden.json and README.md into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    rows: list[str] = []
    log: list[str] = []
    for spec in SAMPLES:
        seed, scene = find_sample(spec)
        write_scene(scene, out / spec.name)
        entries.append(golden_entry(spec.name, scene, spec.negative))
        w, h = scene.image.shape[1], scene.image.shape[0]
        neg = ", negative" if spec.negative else ""
        rows.append(
            f"| `{spec.name}` | seed {seed}, {spec.difficulty}{neg} "
            f"({w}x{h}, EXIF {scene.exif_orientation}) | {spec.tests} | {scene.serial or 'none'} |"
        )
        log.append(f"{spec.name}: seed {seed} {spec.difficulty} serial={scene.serial}")
    (out / "golden.json").write_text(json.dumps(entries, indent=1) + "\n")
    (out / "README.md").write_text(_readme(rows))
    return log


def _readme(rows: list[str]) -> str:
    table = "\n".join(rows)
    return f"""# Sample photos

Every image in this folder is **synthetic**: none is a photo of a real
instrument.  They were all made by the project's `scenegen` package (a seeded
generator of phone/marketplace-style photos of Korg M1 / M1R rear panels)
with the seeds listed below; nothing else went into them.  Each sample's
seed is the first one, counting up from a fixed start in
`scenegen/samples.py`, whose scene shows what the sample is meant to test.

Regenerate the whole folder (photos, `golden.json`, this README) with:

```
python -m scenegen samples --out samples
```

The generator draws in DejaVu's faces, those of the Debian packages
`fonts-dejavu-core` and `fonts-dejavu-extra` (`scripts/setup.sh` installs
both): with fewer faces installed, a seed makes other photos.  The generator
is refined from time to time: regenerated with a later version, a sample keeps
its seed, scene and serial, but its pixels may differ slightly.

`golden.json` lists, per file, the expected serial (`null` for negatives),
difficulty, seed, EXIF orientation, the sticker's corner quad in upright
image pixels and the generator's description of what it drew.

| file | how made | what it tests | expected serial |
| --- | --- | --- | --- |
{table}
"""
