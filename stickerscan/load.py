"""Stage 1: load a photo as an upright RGB array.

Contract: a path or bytes in; an upright (EXIF orientation applied) RGB ``uint8`` array out,
decoded at a reduced size when the photo is much larger than the reader needs; a
:class:`~stickerscan.errors.BadInputError` naming the file for anything that cannot be used.
"""

from __future__ import annotations

import io
import logging
import stat
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image, JpegImagePlugin, UnidentifiedImageError

from stickerscan.errors import BadInputError
from stickerscan.options import ScanOptions

log = logging.getLogger(__name__)

SUPPORTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "TIFF", "BMP", "GIF", "HEIF"})
"""Pillow format names accepted (MPO is the multi-picture JPEG many phones write; HEIF
needs the optional pillow-heif package)."""

HEIF_INSTALL_HINT = "pip install 'stickerscan[heic]'"
"""How to add HEIC/HEIF support (the optional pillow-heif package)."""

_ORIENTATION_TAG = 0x0112
# Enough of a file's start to recognise its format by signature.
_HEAD_BYTES = 16
# ISO base media brands of HEIF still images (iPhone photos are ``heic``).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm",
                          b"hevs", b"mif1", b"msf1"})
# What Pillow's format plugins raise on corrupt or hostile data: besides OSError and
# SyntaxError, fuzzing found index, key, type, struct and arithmetic errors (e.g. a GIF
# whose extension block is cut short raises IndexError while its frames are counted).
_DECODER_FAILURES = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError,
                     TypeError, struct.error, ArithmeticError, MemoryError)
# A sequential JPEG in one scan is decoded reduced (draft mode, down to 1/8 each way) a
# row of blocks at a time, so it may declare this many times ``max_pixels``: enough for
# the 200-megapixel photos of the largest phone cameras under the default.  A progressive
# JPEG, or one with its colours in separate scans, may not: libjpeg holds its every
# coefficient until the last scan, about 2 bytes a pixel for each colour.
_SEQUENTIAL_JPEG_ALLOWANCE = 2.5
# Frame markers of sequential Huffman-coded JPEGs (baseline and extended), and the start
# of a scan.
_SEQUENTIAL_FRAMES = frozenset({0xC0, 0xC1})
_START_OF_SCAN = 0xDA


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded photo, upright, ready for the locator."""

    source: str
    """The file name (or the name given for bytes), used in every message about it."""
    pixels: np.ndarray = field(repr=False, compare=False)
    """(H, W, 3) RGB uint8, upright, possibly reduced from the stored size."""
    original_size: tuple[int, int]
    """(width, height) of the full-size upright photo, before any reduction."""
    scale: float
    """``pixels`` width divided by the full-size width (1.0 when not reduced)."""
    file_format: str
    """Pillow's name for the file format, e.g. ``JPEG``."""
    exif_orientation: int
    """The EXIF orientation tag that was applied (1 when absent or unusable)."""
    notes: tuple[str, ...] = ()
    """Things worth telling the user, e.g. that only the first frame was used."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "original_size": list(self.original_size),
            "scale": round(self.scale, 4),
            "format": self.file_format,
            "exif_orientation": self.exif_orientation,
            "notes": list(self.notes),
        }


def source_label(source: Path | str | bytes, name: str | None = None) -> str:
    """The name every message about ``source`` uses: ``name`` if given, else the path."""
    return name or ("<bytes>" if isinstance(source, bytes) else str(source))


def load_image(
    source: Path | str | bytes, options: ScanOptions, *, name: str | None = None
) -> LoadedImage:
    """Decode ``source`` (a path, or the bytes of a file called ``name``).

    A path is read as it is decoded, never whole into memory, and only when it is a
    regular file (a pipe or a device would block or never end).

    Raises
    ------
    BadInputError
        The file is missing, unreadable, not an image, truncated, too large or too small,
        or a HEIC photo while the optional HEIC support is not installed.
    """
    label = source_label(source, name)
    with _open(source, label) as stream:
        head = stream.read(_HEAD_BYTES)
        stream.seek(0)
        if not head:
            raise BadInputError(label, "the file is empty (0 bytes)")
        claimed = _kind_by_signature(head)
        if claimed == "HEIC" and not _heif_decoder_ready():
            raise BadInputError(
                label,
                "HEIC/HEIF photos need the optional pillow-heif package; install it with: "
                f"{HEIF_INSTALL_HINT} (or convert the photo to JPEG)",
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # Pillow's own decompression-bomb warning is not needed: options.max_pixels is
            # checked against the declared size before anything is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                return _decode(stream, claimed, label, options)
            except Image.DecompressionBombError as error:
                raise BadInputError(
                    label, f"refused: it declares an enormous size, a likely decompression "
                    f"bomb ({error})"
                ) from None
            except UnidentifiedImageError:
                if claimed:
                    raise BadInputError(label, f"corrupt or truncated {claimed} data") from None
                raise BadInputError(
                    label, "not an image file (no known image format)"
                ) from None
            except _DECODER_FAILURES as error:
                log.debug("%s: decoder failure", label, exc_info=True)
                raise BadInputError(
                    label, f"corrupt or truncated {claimed or 'image'} data "
                    f"({error or type(error).__name__})"
                ) from None
            finally:
                # A broken EXIF block or an odd chunk is worth a log line, never a failure.
                for warning in caught:
                    log.warning("%s: %s", label, warning.message)


def _open(source: Path | str | bytes, label: str) -> IO[bytes]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    path = Path(source)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise BadInputError(label, "is a directory, not a photo")
        if not stat.S_ISREG(mode):
            raise BadInputError(label, "is not a regular file (a pipe, socket or device)")
        return path.open("rb")
    except FileNotFoundError:
        raise BadInputError(label, "no such file") from None
    except PermissionError:
        raise BadInputError(label, "permission denied") from None
    except OSError as error:
        raise BadInputError(label, f"cannot be read ({error.strerror or error})") from None


def _heif_decoder_ready() -> bool:
    """Register pillow-heif's decoder with Pillow when it is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def _decode(
    stream: IO[bytes], kind: str | None, label: str, options: ScanOptions
) -> LoadedImage:
    notes: list[str] = []
    with _unread_image(stream, kind) as image:
        file_format = image.format or "unknown"
        if file_format not in SUPPORTED_FORMATS:
            raise BadInputError(
                label,
                f"{file_format} images are not supported "
                f"(use {', '.join(sorted(SUPPORTED_FORMATS - {'MPO'}))})",
            )
        width, height = image.size
        sequential_jpeg = file_format in {"JPEG", "MPO"} and _in_one_sequential_scan(stream)
        _check_size(label, width, height, options, sequential_jpeg=sequential_jpeg)
        frames = int(getattr(image, "n_frames", 1))
        if frames > 1:
            notes.append(f"the file holds {frames} frames; only the first was read")
        orientation = _orientation(image, label)
        if file_format in {"JPEG", "MPO"}:
            # Draft mode lets libjpeg decode at 1/2, 1/4 or 1/8 scale directly, which is
            # several times faster than a full decode followed by a resize, and keeps the
            # memory of a 50-megapixel photo to that of a 3-megapixel one.
            request = _draft_request(image.size, options.work_long_side)
            image.draft("RGB", request)
        image.load()
        decoded_width = image.width
        # Reduced before turning upright, so the turn costs a small copy, not a full one.
        rgb = _shrink(_to_rgb(image), options.work_long_side)
    if orientation != 1:
        rgb = _apply_orientation(rgb, orientation)
        if orientation in {5, 6, 7, 8}:
            width, height = height, width
    pixels = np.asarray(rgb, dtype=np.uint8)
    scale = pixels.shape[1] / width
    log.debug("%s: decoded %dx%d (draft width %d), scale %.3f", label, width, height,
              decoded_width, scale)
    return LoadedImage(
        source=label,
        pixels=pixels,
        original_size=(width, height),
        scale=scale,
        file_format=file_format,
        exif_orientation=orientation,
        notes=tuple(notes),
    )


def _unread_image(stream: IO[bytes], kind: str | None) -> Image.Image:
    """``stream`` opened by Pillow, its header read and its pixels not yet decoded.

    A JPEG is opened by Pillow's JPEG plugin itself: ``Image.open`` refuses any image
    over Pillow's decompression-bomb limit (about 179 megapixels), which is set for a full
    decode, and a sequential JPEG is decoded reduced; :func:`_check_size` has the limit.
    """
    if kind == "JPEG":
        return JpegImagePlugin.jpeg_factory(stream)
    return Image.open(stream)


def _in_one_sequential_scan(stream: IO[bytes]) -> bool:
    """Whether a JPEG is sequential (Huffman-coded, baseline or extended) with every colour
    in its first scan, so libjpeg decodes it a row of blocks at a time; read from its
    markers up to the first scan, the stream's position kept."""
    start = stream.tell()
    try:
        stream.seek(2)  # past the start-of-image marker
        colours = None
        while True:
            marker = stream.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return False
            if marker[1] == 0xFF:  # a fill byte before the marker
                stream.seek(-1, io.SEEK_CUR)
                continue
            length = stream.read(2)
            if len(length) < 2:
                return False
            body = struct.unpack(">H", length)[0] - 2
            if body < 0:
                return False
            if marker[1] in _SEQUENTIAL_FRAMES:
                # precision (1 byte), height (2), width (2), colours (1), then per colour.
                frame = stream.read(6)
                if len(frame) < 6 or body < 6:
                    return False
                colours, body = frame[5], body - 6
            elif 0xC2 <= marker[1] <= 0xCF and marker[1] not in {0xC4, 0xC8, 0xCC}:
                return False  # progressive, lossless or arithmetic-coded
            elif marker[1] == _START_OF_SCAN:
                in_scan = stream.read(1)
                return colours is not None and in_scan == bytes([colours])
            stream.seek(body, io.SEEK_CUR)
    finally:
        stream.seek(start)


def _check_size(
    label: str, width: int, height: int, options: ScanOptions, *, sequential_jpeg: bool
) -> None:
    limit = options.max_pixels * (_SEQUENTIAL_JPEG_ALLOWANCE if sequential_jpeg else 1)
    if width * height > limit:
        kind = " for a sequential JPEG" if sequential_jpeg else ""
        raise BadInputError(
            label,
            f"{width}x{height} is {width * height / 1e6:.0f} megapixels, over the limit of "
            f"{limit / 1e6:.0f}{kind} (raise --max-pixels if the photo is genuine)",
        )
    if min(width, height) < options.min_side:
        raise BadInputError(
            label,
            f"{width}x{height} pixels is too small to hold a readable label (at least "
            f"{options.min_side} pixels each way are needed)",
        )


_SIGNATURES = (
    (b"\xff\xd8", "JPEG"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def _kind_by_signature(head: bytes) -> str | None:
    """The format a file claims by its first bytes, for a more useful error message."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "HEIC"
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


def _draft_request(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    factor = max(width, height) / long_side
    if factor <= 1:
        return size
    # draft() never goes below the requested size, so ask for the size that keeps the long
    # side at or above ``long_side``.
    return (int(width / factor), int(height / factor))


def _orientation(image: Image.Image, label: str) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception as error:  # a broken EXIF block must not lose the photo
        log.warning("%s: EXIF data is unreadable (%s); orientation ignored", label, error)
        return 1
    if isinstance(value, int) and 1 <= value <= 8:
        return value
    log.warning("%s: EXIF orientation %r is not valid; ignored", label, value)
    return 1


def _apply_orientation(image: Image.Image, orientation: int) -> Image.Image:
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }[orientation]
    return image.transpose(method)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        # 16-bit and 32-bit grey: scale to 8 bits by the actual range, not by clipping.
        array = np.asarray(image, dtype=np.float32)
        low, high = float(array.min()), float(array.max())
        span = high - low or 1.0
        grey = ((array - low) * (255.0 / span)).astype(np.uint8)
        return Image.fromarray(grey).convert("RGB")
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image.convert("RGBA")).convert("RGB")
    return image.convert("RGB")


def _shrink(image: Image.Image, long_side: int) -> Image.Image:
    longest = max(image.size)
    if longest <= long_side * 1.25:
        return image
    factor = long_side / longest
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.BOX)
