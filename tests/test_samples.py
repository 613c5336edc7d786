"""End to end on the committed sample photos, with the real Tesseract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageOps

from stickerscan import Scanner

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GOLDEN: list[dict[str, Any]] = json.loads((SAMPLES / "golden.json").read_text())


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


@pytest.mark.tesseract
@pytest.mark.parametrize("sample", GOLDEN, ids=[s["file"] for s in GOLDEN])
def test_sample_is_never_misread(scanner: Scanner, sample: dict[str, Any]) -> None:
    result = scanner.scan(SAMPLES / sample["file"])
    if sample["serial"] is None:
        assert result.status != "read"
        assert result.serial is None
    else:
        # Precision first: a serial reported must be the right one.
        assert result.serial in {None, sample["serial"]}
        if result.status == "read":
            assert result.estimate is not None


@pytest.mark.tesseract
@pytest.mark.parametrize(
    "sample", [s for s in GOLDEN if s["difficulty"] == "easy" and s["serial"]],
    ids=lambda s: s["file"],
)
def test_easy_samples_are_read_exactly(scanner: Scanner, sample: dict[str, Any]) -> None:
    result = scanner.scan(SAMPLES / sample["file"])
    assert result.status == "read"
    assert result.serial == sample["serial"]
    assert result.confidence >= 0.8


@pytest.mark.tesseract
def test_most_samples_with_a_sticker_are_read(scanner: Scanner) -> None:
    positives = [s for s in GOLDEN if s["serial"]]
    read = sum(scanner.scan(SAMPLES / s["file"]).serial == s["serial"] for s in positives)
    assert read >= 0.6 * len(positives)


@pytest.mark.tesseract
def test_exif_rotated_sample_is_loaded_upright(scanner: Scanner) -> None:
    rotated = next(s for s in GOLDEN if s["exif_orientation"] != 1)
    result = scanner.scan(SAMPLES / rotated["file"])
    assert result.image is not None
    assert result.image.exif_orientation == rotated["exif_orientation"]
    width = result.image.pixels.shape[1]
    quad_x = [x for x, _ in rotated["label_quad"]]
    # The golden quad is in upright pixels: it must fit the upright frame's width.
    assert max(quad_x) <= width / result.image.scale + 1


@pytest.mark.tesseract
def test_a_200_megapixel_phone_photo_is_read(scanner: Scanner, tmp_path: Path) -> None:
    # The size of the largest phone cameras' photos (16,320 x 12,240), over Pillow's own
    # decompression-bomb limit: a sequential JPEG is decoded reduced, so it is read.
    sample = next(s for s in GOLDEN if s["file"] == "m1-easy-black-sticker.jpg")
    with Image.open(SAMPLES / sample["file"]) as photo:
        photo.resize((12_240, 16_320)).save(tmp_path / "phone.jpg", quality=85)
    result = scanner.scan(tmp_path / "phone.jpg")
    assert result.serial == sample["serial"]
    assert result.image is not None
    assert result.image.original_size == (12_240, 16_320)


@pytest.mark.tesseract
@pytest.mark.parametrize(
    "sample", [s for s in GOLDEN if s["difficulty"] == "easy" and s["serial"]],
    ids=lambda s: s["file"],
)
def test_an_easy_sample_cut_down_to_its_label_is_read(
    scanner: Scanner, sample: dict[str, Any], tmp_path: Path
) -> None:
    # A person may crop the photo to the sticker before asking: its print then stands a
    # large share of the photo tall.
    quad = sample["label_quad"]
    xs, ys = [x for x, _ in quad], [y for _, y in quad]
    margin = 0.05 * (max(xs) - min(xs))
    with Image.open(SAMPLES / sample["file"]) as photo:
        upright = ImageOps.exif_transpose(photo).convert("RGB")
        box = (max(0, round(min(xs) - margin)), max(0, round(min(ys) - margin)),
               min(upright.width, round(max(xs) + margin)),
               min(upright.height, round(max(ys) + margin)))
        upright.crop(box).save(tmp_path / "label.jpg", quality=92)
    result = scanner.scan(tmp_path / "label.jpg")
    assert (result.status, result.serial) == ("read", sample["serial"])
