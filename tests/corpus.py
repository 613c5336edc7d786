"""A corpus of hostile and broken photo files, made by the tests themselves.

Each entry is a file name, the bytes to write and what reading it must give: either the
problem the loader reports (a piece of its message) or, for a file that must load, a check
of the decoded picture.  Nothing is downloaded; everything is drawn or encoded here.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from stickerscan.load import LoadedImage

QUADRANT_COLOURS = ((220, 30, 30), (30, 200, 30), (30, 30, 220), (240, 240, 240))
"""Top-left, top-right, bottom-left, bottom-right of :func:`quadrants`."""


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    """One hostile input."""

    name: str
    """File name to write it under (spaces and non-ASCII letters included on purpose)."""
    data: bytes
    problem: str | None
    """A piece of the loader's message for a file that must be refused; ``None`` when the
    file must load."""
    check: Callable[[LoadedImage], None] | None = None
    """For a file that must load: asserts what the decoded picture must be."""


def quadrants(width: int = 64, height: int = 48) -> np.ndarray:
    """Four flat colours, one a quarter, so any turn or flip is visible."""
    image = np.zeros((height, width, 3), np.uint8)
    top, left = slice(0, height // 2), slice(0, width // 2)
    bottom, right = slice(height // 2, height), slice(width // 2, width)
    for (rows, columns), colour in zip(
        ((top, left), (top, right), (bottom, left), (bottom, right)), QUADRANT_COLOURS,
        strict=True,
    ):
        image[rows, columns] = colour
    return image


def encoded(image: Image.Image | np.ndarray, fmt: str, **params: object) -> bytes:
    picture = Image.fromarray(image) if isinstance(image, np.ndarray) else image
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def assert_upright_quadrants(loaded: LoadedImage, *, tolerance: int = 40) -> None:
    pixels = loaded.pixels.astype(int)
    height, width = pixels.shape[:2]
    centres = ((height // 4, width // 4), (height // 4, 3 * width // 4),
               (3 * height // 4, width // 4), (3 * height // 4, 3 * width // 4))
    for (row, column), colour in zip(centres, QUADRANT_COLOURS, strict=True):
        assert np.abs(pixels[row, column] - colour).max() <= tolerance, (
            f"{loaded.source}: pixel ({row}, {column}) is {pixels[row, column]}, not {colour}"
        )


# How each EXIF orientation stores the upright picture (np.rot90 turns anticlockwise):
# tag 6 means "turn a quarter clockwise to view", so the stored pixels are the upright
# picture turned a quarter anticlockwise.
_STORED = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1, :],
    5: lambda a: np.transpose(a, (1, 0, 2)),
    6: lambda a: np.rot90(a, 1),
    7: lambda a: np.rot90(a, -1)[::-1, :],
    8: lambda a: np.rot90(a, -1),
}


def oriented_jpeg(orientation: int) -> bytes:
    """A JPEG whose EXIF orientation tag must be applied to see :func:`quadrants`."""
    stored = np.ascontiguousarray(_STORED[orientation](quadrants()))
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encoded(stored, "JPEG", quality=95, exif=exif)


def ycck_jpeg() -> bytes:
    """An Adobe YCCK JPEG (the colour transform of many CMYK scans), drawn as quadrants.

    Pillow writes only plain CMYK, so the YCCK components are computed here and the Adobe
    marker's transform byte is set to 2 (YCCK).
    """
    cmyk = np.asarray(Image.fromarray(quadrants()).convert("CMYK")).astype(float)
    red, green, blue = (255 - cmyk[..., 0], 255 - cmyk[..., 1], 255 - cmyk[..., 2])
    luma = 0.299 * red + 0.587 * green + 0.114 * blue
    blue_diff = 128 - 0.168736 * red - 0.331264 * green + 0.5 * blue
    red_diff = 128 + 0.5 * red - 0.418688 * green - 0.081312 * blue
    ycck = np.stack([luma, blue_diff, red_diff, cmyk[..., 3]], axis=-1)
    components = np.clip(ycck.round(), 0, 255).astype(np.uint8)
    data = bytearray(encoded(Image.fromarray(components, mode="CMYK"), "JPEG", quality=95))
    marker = data.index(b"\xff\xee\x00\x0eAdobe")
    data[marker + 15] = 2  # APP14: marker, length, "Adobe", version, 2 flags, transform
    return bytes(data)


def corrupt_exif_jpeg() -> bytes:
    """A JPEG whose EXIF block claims an orientation entry that runs off its end."""
    plain = encoded(quadrants(), "JPEG", quality=95)
    broken_ifd = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03\xff\xff\xff\xff"
    segment = b"\xff\xe1" + struct.pack(">H", len(broken_ifd) + 2) + broken_ifd
    return plain[:2] + segment + plain[2:]


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb:
    a few hundred bytes that would need gigabytes to decode)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 4096)) + chunk(b"IEND", b""))


def jpeg_declaring(
    width: int, height: int, *, progressive: bool = False, colours_apart: bool = False
) -> bytes:
    """A tiny JPEG whose frame header declares ``width`` x ``height`` pixels: its data is
    that of a 64 x 48 picture, so decoding it runs out of data.  With ``colours_apart``
    its first scan header says it holds one colour of three (as in a sequential JPEG
    storing its colours in separate scans), which leaves the file fit only for checks of
    its header."""
    # An EXIF block before the frame header, as a phone writes one.
    exif = Image.Exif()
    exif[0x0112] = 1  # orientation
    exif[0x0131] = "phone camera"  # software
    data = bytearray(encoded(quadrants(), "JPEG", quality=90, progressive=progressive,
                             exif=exif.tobytes()))
    frame = data.index(b"\xff\xc2" if progressive else b"\xff\xc0")
    # The frame header: marker, length (2 bytes), precision (1), height (2), width (2).
    data[frame + 5: frame + 9] = struct.pack(">HH", height, width)
    if colours_apart:
        # The scan header: marker, length (2 bytes), colours in the scan (1).
        data[data.index(b"\xff\xda") + 4] = 1
    return bytes(data)


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 30), colour) for colour in ((220, 30, 30), (30, 30, 220))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def multipage_tiff() -> bytes:
    pages = [Image.fromarray(quadrants()), Image.new("RGB", (64, 48), (0, 0, 0))]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def heic_photo() -> bytes | None:
    """A real HEIC photo of :func:`quadrants`, or ``None`` without pillow-heif."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return None
    register_heif_opener()
    return encoded(quadrants(), "HEIF", quality=95)


HEIC_HEADER_ONLY = b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heicmiaf" + bytes(64)
"""The start of a HEIC file and nothing usable after it."""


def _first_frame_noted(loaded: LoadedImage) -> None:
    assert any("only the first was read" in note for note in loaded.notes), loaded.notes


def _red_first_frame(loaded: LoadedImage) -> None:
    _first_frame_noted(loaded)
    assert tuple(loaded.pixels[15, 20]) == (220, 30, 30)


def _quadrants_first_page(loaded: LoadedImage) -> None:
    _first_frame_noted(loaded)
    assert_upright_quadrants(loaded, tolerance=0)


def _white_where_transparent(loaded: LoadedImage) -> None:
    assert (loaded.pixels[:, :32] == 255).all()
    assert (loaded.pixels[:, 32:] == (0, 0, 0)).all()


def _full_grey_range(loaded: LoadedImage) -> None:
    assert loaded.pixels.min() == 0 and loaded.pixels.max() == 255
    assert (loaded.pixels[..., 0] == loaded.pixels[..., 2]).all()


def bad_inputs(seed: int = 5) -> list[CorpusEntry]:
    """Every hostile input of the corpus (HEIC only as a real photo with pillow-heif)."""
    rng = np.random.default_rng(seed)
    jpeg = encoded(quadrants(640, 480), "JPEG", quality=90)
    png = encoded(quadrants(640, 480), "PNG")
    transparent = np.zeros((48, 64, 4), np.uint8)
    transparent[:, 32:, 3] = 255
    deep_grey = np.linspace(0, 65535, 48 * 64).reshape(48, 64).astype(np.uint16)
    entries = [
        CorpusEntry("empty.jpg", b"", "the file is empty"),
        CorpusEntry("random bytes.jpg", rng.integers(0, 256, 4096, dtype=np.uint8).tobytes(),
                    "not an image file"),
        CorpusEntry("notes renamed.jpg", b"Korg M1, serial 013537, works fine\n" * 20,
                    "not an image file"),
        CorpusEntry("truncated.jpg", jpeg[: len(jpeg) // 2], "corrupt or truncated JPEG"),
        CorpusEntry("truncated.png", png[: len(png) // 2], "corrupt or truncated PNG"),
        CorpusEntry("header only.heic", HEIC_HEADER_ONLY, "HEIC"),
        CorpusEntry("portable pixmap renamed.jpg", encoded(quadrants(), "PPM"),
                    "PPM images are not supported"),
        CorpusEntry("one pixel.png", encoded(np.zeros((1, 1, 3), np.uint8), "PNG"),
                    "too small to hold a readable label"),
        CorpusEntry("strip 5x50000.png",
                    encoded(np.full((50_000, 5, 3), 128, np.uint8), "PNG"),
                    "too small to hold a readable label"),
        CorpusEntry("bomb 100000x100000.png", png_declaring(100_000, 100_000),
                    "decompression bomb"),
        CorpusEntry("over the pixel cap.png", png_declaring(12_000, 12_000),
                    "megapixels, over the limit"),
        CorpusEntry("corrupt exif.jpg", corrupt_exif_jpeg(), None, assert_upright_quadrants),
        CorpusEntry("cmyk.jpg", encoded(Image.fromarray(quadrants()).convert("CMYK"), "JPEG",
                                        quality=95), None, assert_upright_quadrants),
        CorpusEntry("ycck.jpg", ycck_jpeg(), None, assert_upright_quadrants),
        CorpusEntry("sixteen bit.png", encoded(deep_grey, "PNG"), None, _full_grey_range),
        CorpusEntry("palette.png", encoded(Image.fromarray(quadrants()).convert("P"), "PNG"),
                    None, assert_upright_quadrants),
        CorpusEntry("transparent.png", encoded(transparent, "PNG"), None,
                    _white_where_transparent),
        CorpusEntry("grayscale.jpg", encoded(Image.fromarray(quadrants()).convert("L"), "JPEG"),
                    None, None),
        CorpusEntry("animated.gif", animated_gif(), None, _red_first_frame),
        CorpusEntry("multi page.tif", multipage_tiff(), None, _quadrants_first_page),
        CorpusEntry("Fotos Müller \u2013 Rückseite 日本 (1).jpg",
                    encoded(quadrants(), "JPEG", quality=95), None, assert_upright_quadrants),
    ]
    entries += [
        CorpusEntry(f"exif orientation {tag}.jpg", oriented_jpeg(tag), None,
                    assert_upright_quadrants)
        for tag in range(1, 9)
    ]
    heic = heic_photo()
    if heic is not None:
        entries.append(CorpusEntry("iphone.heic", heic, None, assert_upright_quadrants))
    return entries
