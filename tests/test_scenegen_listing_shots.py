"""Tests of the listing-shot generator (scenegen.listing_shots): the photos of a listing
that show no serial sticker."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from scenegen import LISTING_SHOT_KINDS, Scene, generate_listing_shot, write_scene
from scenegen.cli import main
from scenegen.listing_shots import ListingShotKind


@functools.cache
def shot(seed: int, kind: ListingShotKind | None = None) -> Scene:
    return generate_listing_shot(seed, "medium", kind=kind)


def test_same_seed_gives_identical_pixels_and_description() -> None:
    a = generate_listing_shot(3, "hard")
    b = generate_listing_shot(3, "hard")
    assert np.array_equal(a.image, b.image)
    assert a == b
    assert json.dumps(a.description) == json.dumps(b.description)


def test_different_seeds_give_different_photos() -> None:
    a, b = shot(1, "front"), shot(2, "front")
    assert a.image.shape != b.image.shape or not np.array_equal(a.image, b.image)


@pytest.mark.parametrize("kind", LISTING_SHOT_KINDS)
def test_each_kind_is_a_sane_photo_without_a_serial(kind: ListingShotKind) -> None:
    sc = shot(5, kind)
    h, w = sc.image.shape[:2]
    assert sc.image.dtype == np.uint8 and sc.image.shape[2] == 3
    assert 700_000 <= w * h <= 12_200_000
    assert sc.serial is None and sc.label_quad is None
    assert sc.description["listing_shot"] == kind
    assert sc.description["negative"] is True
    assert sc.description["frame"] == [w, h]
    assert sc.exif_orientation in (1, 3, 6, 8)
    # a photo, not a blank frame: light and dark parts, and detail
    grey = sc.image.mean(axis=2)
    assert 20.0 <= float(grey.mean()) <= 235.0
    assert float(np.percentile(grey, 95) - np.percentile(grey, 5)) >= 40.0
    json.dumps(sc.description)


def test_kinds_drawn_from_the_seed_cover_every_kind() -> None:
    kinds = {str(shot(seed).description["listing_shot"]) for seed in range(12)}
    assert kinds == set(LISTING_SHOT_KINDS)


def test_some_shots_carry_text_with_digits() -> None:
    subjects = [shot(seed).description["subject"] for seed in range(12)]
    assert all(isinstance(s, dict) for s in subjects)
    assert any(s["text_with_digits"] for s in subjects if isinstance(s, dict))


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError):
        generate_listing_shot(1, "extreme")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        generate_listing_shot(1, "easy", kind="sticker")  # type: ignore[arg-type]


def test_cli_writes_listing_shots_with_golden(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--count", "2", "--seed", "40", "--listing-shots"]) == 0
    golden = json.loads((tmp_path / "golden.json").read_text())
    assert [e["file"] for e in golden] == ["shot-40.jpg", "shot-41.jpg"]
    for e in golden:
        assert e["serial"] is None and e["label_quad"] is None and e["negative"] is True
        assert e["description"]["listing_shot"] in LISTING_SHOT_KINDS
        with Image.open(tmp_path / e["file"]) as im:
            assert list(ImageOps.exif_transpose(im).size) == e["description"]["frame"]
    again = generate_listing_shot(40, golden[0]["difficulty"])
    assert again.description == golden[0]["description"]


def test_write_scene_accepts_a_listing_shot(tmp_path: Path) -> None:
    sc = shot(5, "box")
    write_scene(sc, tmp_path / "box.jpg")
    with Image.open(tmp_path / "box.jpg") as im:
        assert im.format == "JPEG"
