from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stickerscan.errors import BadInputError, ExitCode
from stickerscan.load import load_image
from stickerscan.options import ScanOptions

OPTIONS = ScanOptions()


def _gradient(width: int = 64, height: int = 48) -> np.ndarray:
    """Distinct corners so any rotation or flip is detectable."""
    image = np.zeros((height, width, 3), np.uint8)
    image[..., 0] = np.linspace(0, 255, width, dtype=np.uint8)[None, :]
    image[..., 1] = np.linspace(0, 255, height, dtype=np.uint8)[:, None]
    return image


def _encoded(image: np.ndarray, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format=fmt, **params)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "TIFF", "WEBP"])
def test_lossless_formats_round_trip(fmt: str) -> None:
    image = _gradient()
    params = {"lossless": True} if fmt == "WEBP" else {}
    loaded = load_image(_encoded(image, fmt, **params), OPTIONS, name=f"x.{fmt.lower()}")
    assert loaded.file_format == fmt
    assert loaded.pixels.shape == image.shape
    assert loaded.pixels.dtype == np.uint8
    assert np.array_equal(loaded.pixels, image)


def test_jpeg_is_read_close_to_original() -> None:
    image = _gradient()
    loaded = load_image(_encoded(image, "JPEG", quality=95), OPTIONS, name="x.jpg")
    assert loaded.pixels.shape == image.shape
    assert np.abs(loaded.pixels.astype(int) - image).mean() < 4


@pytest.mark.parametrize("orientation", [2, 3, 6, 8])
def test_exif_orientation_is_applied(orientation: int) -> None:
    upright = _gradient()
    # Tag 6 means "turn a quarter clockwise to view", so the stored pixels are the upright
    # picture turned a quarter anticlockwise (np.rot90 turns anticlockwise).
    stored = {3: upright[::-1, ::-1], 6: np.rot90(upright, 1), 8: np.rot90(upright, -1),
              2: upright[:, ::-1]}[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(stored)).save(buffer, format="PNG", exif=exif)
    loaded = load_image(buffer.getvalue(), OPTIONS, name="rotated.png")
    assert loaded.exif_orientation == orientation
    assert loaded.original_size == (upright.shape[1], upright.shape[0])
    assert np.array_equal(loaded.pixels, upright)


def test_large_jpeg_is_decoded_reduced_but_reports_full_size() -> None:
    image = np.full((3000, 4000, 3), 128, np.uint8)
    image[1000:1200, 1000:3000] = 20
    loaded = load_image(_encoded(image, "JPEG", quality=90), ScanOptions(work_long_side=2000),
                        name="big.jpg")
    assert loaded.original_size == (4000, 3000)
    assert max(loaded.pixels.shape[:2]) == 2000
    assert loaded.scale == pytest.approx(0.5)
    # The dark bar is still where it was, at the reduced scale.
    assert loaded.pixels[550, 1000, 0] < 60


def test_grey_palette_and_alpha_images_become_rgb() -> None:
    grey = Image.fromarray(np.arange(64 * 48, dtype=np.uint16).reshape(48, 64).astype(np.uint8))
    for image in (grey, grey.convert("P"), grey.convert("RGBA"), grey.convert("CMYK")):
        fmt = "TIFF" if image.mode == "CMYK" else "PNG"
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        loaded = load_image(buffer.getvalue(), OPTIONS, name=f"x.{image.mode}")
        assert loaded.pixels.shape == (48, 64, 3)


def test_transparent_pixels_become_white() -> None:
    rgba = np.zeros((20, 20, 4), np.uint8)
    loaded = load_image(_encoded(rgba, "PNG"), OPTIONS, name="clear.png")
    assert (loaded.pixels == 255).all()


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    values = np.linspace(0, 65535, 64 * 48).reshape(48, 64).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="PNG")
    loaded = load_image(buffer.getvalue(), OPTIONS, name="deep.png")
    assert loaded.pixels.min() == 0
    assert loaded.pixels.max() == 255


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"hello, this is text and not a photo\n" * 10, "not an image file"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "corrupt or truncated JPEG"),
    ],
)
def test_unusable_bytes_raise_a_named_error(data: bytes, problem: str) -> None:
    with pytest.raises(BadInputError) as caught:
        load_image(data, OPTIONS, name="listing-17.jpg")
    assert caught.value.message.startswith("listing-17.jpg: ")
    assert problem in caught.value.message
    assert caught.value.exit_code == ExitCode.BAD_INPUT


def test_truncated_png_is_reported(tmp_path: Path) -> None:
    data = _encoded(_gradient(200, 200), "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInputError, match=r"cut\.png: corrupt or truncated PNG data"):
        load_image(path, OPTIONS)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"nope\.jpg: no such file"):
        load_image(tmp_path / "nope.jpg", OPTIONS)
    with pytest.raises(BadInputError, match="is a directory"):
        load_image(tmp_path, OPTIONS)


def test_pixel_cap_refuses_before_decoding() -> None:
    data = _encoded(np.zeros((100, 200, 3), np.uint8), "PNG")
    with pytest.raises(BadInputError, match="megapixels, over the limit"):
        load_image(data, ScanOptions(max_pixels=10_000), name="bomb.png")


def test_first_frame_of_animation_is_used_and_said() -> None:
    frames = [Image.new("RGB", (40, 20), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    loaded = load_image(buffer.getvalue(), OPTIONS, name="anim.gif")
    assert loaded.pixels[5, 5, 0] > 200
    assert loaded.pixels[5, 5, 2] < 50
    assert any("first" in note for note in loaded.notes)


_PEAK_MEMORY_OF_A_SCAN = """
import sys
from stickerscan.ocr import FakeOcrEngine
from stickerscan.pipeline import Scanner

Scanner(engine=FakeOcrEngine("SERIAL NO. 013537")).scan_as_row(sys.argv[1])
status = open("/proc/self/status").read()
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("fmt", "suffix", "height", "width"),
    [
        # 50 megapixels, the size of a high-end camera's photo.
        ("JPEG", "jpg", 5774, 8660),
        ("PNG", "png", 5774, 8660),
        # 200 megapixels, the largest phone cameras' photo.
        ("JPEG", "jpg", 12_240, 16_320),
    ],
)
def test_peak_memory_scanning_a_large_photo_stays_under_600_mb(
    fmt: str, suffix: str, height: int, width: int, tmp_path: Path,
    record_property: pytest.RecordProperty,
) -> None:
    rows, columns = np.ogrid[:height, :width]
    texture = (columns // 7).astype(np.uint8) ^ (rows // 5).astype(np.uint8)
    path = tmp_path / f"panorama.{suffix}"
    Image.fromarray(np.dstack([texture, texture[::-1], np.full_like(texture, 120)])).save(
        path, format=fmt, **({"quality": 85} if fmt == "JPEG" else {"compress_level": 1})
    )
    # A fresh process, so the peak (VmHWM) is the scan's own and nothing else's.
    done = subprocess.run([sys.executable, "-c", _PEAK_MEMORY_OF_A_SCAN, str(path)],
                          capture_output=True, text=True, check=True, timeout=300)
    peak_mb = int(done.stdout.split()[-1]) / 1024
    record_property("memory_summary",
                    f"peak memory scanning a {height * width / 1e6:.0f}-megapixel {fmt}: "
                    f"{peak_mb:.0f} MB (bound 600)")
    assert peak_mb < 600


def test_gif_cut_inside_an_extension_block_is_corrupt_data() -> None:
    # Found by fuzzing: Pillow raises IndexError while counting this file's frames.
    data = (b"GIF89a(\x00\x1e\x00\x81\x00\x00\xdc\x1e\x1e" + bytes(9)
            + b"!\xf9\x04\x00\n\x00\x00\x00,\x00\x00\x00\x00(\x00\x1e\x00\x00\x08:\x00\x01\x08"
            + b"\x1cH\xb0\xa0\xc1\x83\x08\x13*\\\xc8\xb0\xa1\xc3\x87\x10#J\x9cH\xb1\xa2\xc5"
            + b"\x8b\x183j\xdc\xc8\xb1\xa3\xc7\x8f C\x8a\x1cI\xb2\xa4\xc9\x93(S\xaa\\\xc9"
            + b"\xb2\xa5\xcb\x9701\x06\x04\x00!")
    with pytest.raises(BadInputError, match=r"cut\.gif: corrupt or truncated GIF data"):
        load_image(data, OPTIONS, name="cut.gif")
