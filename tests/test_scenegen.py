"""Tests of the synthetic scene generator (scenegen)."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from scenegen import Scene, generate_scene, write_scene
from scenegen.cli import assign, main, parse_mix
from scenegen.fonts import render_dot_matrix
from scenegen.params import AREA_RANGE, CLOSEUP_AREA_RANGE, make_plan
from scenegen.scene import Difficulty
from scenegen.sticker import SERIAL_MAX, SERIAL_MIN
from scenegen.writer import stored_pixels

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _small_seeds(
    difficulty: Difficulty, count: int, negative: bool = False, start: int = 10
) -> list[int]:
    """Seeds whose frames are at most 1600 px (plans are cheap), to keep the module fast."""
    found: list[int] = []
    seed = start
    while len(found) < count:
        if max(make_plan(seed, difficulty, negative).size) <= 1600:
            found.append(seed)
        seed += 1
    return found


POSITIVES: tuple[tuple[int, Difficulty], ...] = tuple(
    (s, d) for d in ("easy", "medium", "hard") for s in _small_seeds(d, 4)
)
S_MED = _small_seeds("medium", 2)
S_EASY = _small_seeds("easy", 1)[0]
S_HARD = _small_seeds("hard", 1)[0]


@functools.cache
def scene(seed: int, difficulty: Difficulty, negative: bool = False) -> Scene:
    return generate_scene(seed, difficulty, negative=negative)


def _area(quad: np.ndarray) -> float:
    x, y = quad[:, 0], quad[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def test_same_seed_gives_identical_pixels_and_description() -> None:
    a = generate_scene(S_MED[0], "medium")
    b = generate_scene(S_MED[0], "medium")
    assert a.image.dtype == np.uint8 and a.image.ndim == 3 and a.image.shape[2] == 3
    assert np.array_equal(a.image, b.image)
    assert a == b  # compares everything but the pixels
    assert json.dumps(a.description) == json.dumps(b.description)


def test_different_seed_or_difficulty_changes_the_scene() -> None:
    a, b = scene(S_MED[0], "medium"), scene(S_MED[1], "medium")
    assert a.image.shape != b.image.shape or not np.array_equal(a.image, b.image)
    assert a.serial != b.serial or a.label_quad != b.label_quad
    assert make_plan(11, "easy", False).serial != make_plan(11, "hard", False).serial or (
        make_plan(11, "easy", False).size != make_plan(11, "hard", False).size
    )


@pytest.mark.parametrize("difficulty", ["easy", "hard"])
def test_a_closeup_is_the_same_scene_with_the_sticker_filling_the_frame(
    difficulty: Difficulty,
) -> None:
    seed = _small_seeds(difficulty, 1, start=40)[0]
    whole, near = scene(seed, difficulty), generate_scene(seed, difficulty, closeup=True)
    assert near.serial == whole.serial and near.description["closeup"] is True
    assert near.exif_orientation == whole.exif_orientation
    assert near.description["sticker"]["wording"] == whole.description["sticker"]["wording"]
    assert near.image.shape == whole.image.shape
    h, w = near.image.shape[:2]
    assert near.label_quad is not None and whole.label_quad is not None
    quad = np.asarray(near.label_quad, np.float64)
    assert (quad >= 0).all() and (quad[:, 0] <= w).all() and (quad[:, 1] <= h).all()
    lo, hi = CLOSEUP_AREA_RANGE
    assert lo <= _area(quad) / (w * h) <= hi
    assert _area(quad) > 2 * _area(np.asarray(whole.label_quad, np.float64))


@pytest.mark.parametrize(("seed", "difficulty"), POSITIVES)
def test_positive_scene_ground_truth(seed: int, difficulty: Difficulty) -> None:
    sc = scene(seed, difficulty)
    h, w = sc.image.shape[:2]
    assert sc.difficulty == difficulty and sc.seed == seed
    assert sc.serial is not None and len(sc.serial) == 6 and sc.serial.isdigit()
    assert SERIAL_MIN <= int(sc.serial) <= SERIAL_MAX
    assert sc.label_quad is not None and len(sc.label_quad) == 4
    quad = np.asarray(sc.label_quad, np.float64)
    assert (quad[:, 0] >= 0).all() and (quad[:, 0] <= w).all()
    assert (quad[:, 1] >= 0).all() and (quad[:, 1] <= h).all()
    lo, hi = AREA_RANGE[difficulty]
    assert lo <= _area(quad) / (w * h) <= hi
    # clockwise in image coordinates (y down): positive shoelace sum
    x, y = quad[:, 0], quad[:, 1]
    assert float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) > 0
    desc = sc.description
    assert desc["frame"] == [w, h]
    sticker = desc["sticker"]
    assert isinstance(sticker, dict)
    assert float(sticker["digit_height_px"]) >= 12.0
    assert 50 <= int(str(desc["jpeg_quality"])) <= 95
    assert sc.exif_orientation in (1, 3, 6, 8)
    json.dumps(desc)  # serialisable


def test_digits_lie_inside_the_sticker() -> None:
    sc = scene(S_HARD, "hard")
    assert sc.label_quad is not None
    sticker = sc.description["sticker"]
    assert isinstance(sticker, dict)
    digits = np.asarray(sticker["digits_quad"], np.float32)
    quad = np.asarray(sc.label_quad, np.float32).reshape(-1, 1, 2)
    import cv2

    for x, y in digits:
        assert cv2.pointPolygonTest(quad, (float(x), float(y)), True) > -1.0


@pytest.mark.parametrize("difficulty", ["easy", "hard"])
def test_negative_scene_has_no_serial(difficulty: Difficulty) -> None:
    sc = scene(_small_seeds(difficulty, 1, True)[0], difficulty, True)
    assert sc.serial is None and sc.label_quad is None
    assert sc.description["negative"] is True
    assert sc.description["style"] is None


def test_negatives_often_carry_numbered_stickers() -> None:
    plans = [make_plan(s, "medium", True) for s in range(200)]
    numbered = sum(
        any(any(ch.isdigit() for ln in d.lines for ch in ln.text) for d in p.distractors)
        for p in plans
    )
    assert numbered >= 100
    assert all(p.serial is None for p in plans)


def test_plans_cover_the_required_variety() -> None:
    plans = [make_plan(s, d, False) for d in ("easy", "medium", "hard") for s in range(150)]
    styles = {p.sticker.style for p in plans}
    assert styles == {"black", "paper", "foil", "plate"}
    assert len({p.sticker.font.name for p in plans}) >= 6
    assert {p.exif_orientation for p in plans} == {1, 3, 6, 8}
    assert any(p.size == (4032, 3024) or p.size == (3024, 4032) for p in plans)
    assert any(p.size[1] > p.size[0] for p in plans)
    assert any(p.upside_down for p in plans if p.difficulty == "hard")
    assert not any(p.upside_down for p in plans if p.difficulty == "easy")
    non_upright = sum(p.exif_orientation != 1 for p in plans) / len(plans)
    assert 0.07 <= non_upright <= 0.25
    for p in plans:
        assert p.serial is not None and SERIAL_MIN <= int(p.serial) <= SERIAL_MAX
        words = " ".join(" ".join(ln.text for ln in d.lines) for d in p.distractors).upper()
        assert "SERIAL" not in words and "S/N" not in words and "NO." not in words


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_write_png_round_trips_through_exif_transpose(tmp_path: Path, orientation: int) -> None:
    base = scene(S_EASY, "easy")
    sc = dataclasses.replace(
        base, exif_orientation=orientation, image=base.image[:120, :200].copy()
    )
    path = tmp_path / "x.png"
    write_scene(sc, path)
    with Image.open(path) as im:
        assert im.getexif().get(0x0112) == orientation
        upright = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
    assert np.array_equal(upright, sc.image)
    if orientation in (6, 8):
        assert stored_pixels(sc.image, orientation).shape[:2] == sc.image.shape[1::-1]


def test_write_jpeg_applies_quality_and_orientation(tmp_path: Path) -> None:
    base = scene(S_MED[1], "medium")
    sc = dataclasses.replace(base, exif_orientation=6)
    path = tmp_path / "x.jpg"
    write_scene(sc, path)
    with Image.open(path) as im:
        assert im.format == "JPEG"
        assert im.size == (sc.image.shape[0], sc.image.shape[1])  # stored sideways
        upright = np.asarray(ImageOps.exif_transpose(im).convert("RGB"), np.float32)
    assert upright.shape == sc.image.shape
    assert float(np.abs(upright - sc.image.astype(np.float32)).mean()) < 6.0


def test_write_rejects_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_scene(scene(S_EASY, "easy"), tmp_path / "x.gif")


def test_cli_batch_writes_golden(tmp_path: Path) -> None:
    start = next(
        s
        for s in range(10, 500)
        if all(
            max(make_plan(s + i, "easy", n).size) <= 1024 for i in range(3) for n in (False, True)
        )
    )
    assert (
        main(
            [
                "--out",
                str(tmp_path),
                "--count",
                "3",
                "--seed",
                str(start),
                "--negatives",
                "0.34",
                "--mix",
                "easy=1",
            ]
        )
        == 0
    )
    golden = json.loads((tmp_path / "golden.json").read_text())
    assert [e["seed"] for e in golden] == [start, start + 1, start + 2]
    assert sum(e["negative"] for e in golden) == 1
    for e in golden:
        assert (tmp_path / e["file"]).is_file()
        assert e["difficulty"] == "easy"
        assert (e["serial"] is None) == e["negative"] == (e["label_quad"] is None)
        assert set(e) == {
            "file",
            "serial",
            "difficulty",
            "seed",
            "negative",
            "exif_orientation",
            "label_quad",
            "description",
        }


def test_batch_assignment_is_exact_and_deterministic() -> None:
    mix = parse_mix("easy=0.34,medium=0.33,hard=0.33")
    jobs = assign(100, 5, 0.15, mix)
    assert jobs == assign(100, 5, 0.15, mix)
    assert [s for s, _, _ in jobs] == list(range(5, 105))
    assert sum(n for _, _, n in jobs) == 15
    counts = {d: sum(1 for _, x, _ in jobs if x == d) for d in ("easy", "medium", "hard")}
    assert counts == {"easy": 34, "medium": 33, "hard": 33}


def test_sample_set_matches_golden() -> None:
    golden = json.loads((SAMPLES / "golden.json").read_text())
    files = sorted(p.name for p in SAMPLES.glob("*.jpg"))
    assert sorted(e["file"] for e in golden) == files
    assert 10 <= len(files) <= 16
    assert sum(e["negative"] for e in golden) >= 2
    assert any(e["exif_orientation"] != 1 for e in golden)
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 8_500_000
    big = 0
    for e in golden:
        with Image.open(SAMPLES / e["file"]) as im:
            assert im.getexif().get(0x0112, 1) == e["exif_orientation"]
            w, h = ImageOps.exif_transpose(im).size
        assert [w, h] == e["description"]["frame"]
        big += w * h >= 12_000_000
        plan = make_plan(e["seed"], e["difficulty"], e["negative"])  # cheap: no pixels
        assert plan.serial == e["serial"]
        assert plan.exif_orientation == e["exif_orientation"]
        if e["negative"]:
            assert e["serial"] is None and e["label_quad"] is None
        else:
            quad = np.asarray(e["label_quad"])
            assert quad.shape == (4, 2)
            assert (quad >= 0).all() and (quad[:, 0] <= w).all() and (quad[:, 1] <= h).all()
    assert big >= 1
    readme = (SAMPLES / "README.md").read_text()
    assert "synthetic" in readme and "python -m scenegen samples" in readme
    for e in golden:
        assert e["file"] in readme and str(e["seed"]) in readme


def test_bad_difficulty_is_rejected() -> None:
    with pytest.raises(ValueError):
        generate_scene(1, "extreme")  # type: ignore[arg-type]


def test_dot_matrix_print_is_separate_round_dots_on_a_five_by_seven_grid() -> None:
    printed = render_dot_matrix("208887", 42.0, 220.0, weight=-1)
    # Characters as tall as asked: seven rows of dots.
    assert abs(printed.mask.shape[0] - 42) <= 1
    dots, _, stats, _ = cv2.connectedComponentsWithStats((printed.mask > 127).astype(np.uint8))
    sizes = stats[1:, cv2.CC_STAT_HEIGHT]
    # Every pin a dot of its own, no larger than a row of the grid.
    assert dots - 1 >= 6 * 10 and sizes.max() <= 42 / 7
    # One span per character, left to right, each holding its character's ink.
    assert len(printed.spans) == 6
    assert all(a[1] <= b[0] + 1e-6 for a, b in zip(printed.spans, printed.spans[1:], strict=False))
    for start, end in printed.spans:
        assert printed.mask[:, round(start):round(end)].max() > 0


def test_dot_matrix_print_slashes_only_zeros_and_prints_lowercase_as_capitals() -> None:
    def mask(text: str, slashed: bool = False) -> np.ndarray:
        return render_dot_matrix(text, 28.0, 120.0, slashed_zero=slashed).mask

    assert not np.array_equal(mask("0"), mask("0", slashed=True))
    assert np.array_equal(mask("8"), mask("8", slashed=True))
    assert np.array_equal(mask("No."), mask("NO."))
    # Emphasised print strikes each column twice: more ink, the same characters.
    bold = render_dot_matrix("208887", 28.0, 120.0, weight=1).mask
    assert (bold > 127).sum() > 1.2 * (mask("208887") > 127).sum()
