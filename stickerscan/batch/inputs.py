"""What a batch reads: listings and their photos, from a folder or a manifest file.

A folder: each sub-folder is a listing (named by its path below the folder), and each
photo lying loose in the folder is a listing of its own.  A manifest: a CSV file with a
header row, or a JSON Lines file, with the columns ``listing_id`` and ``image``; ``image``
is a local path (relative to the manifest's folder) or an ``http``/``https`` URL.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from stickerscan.errors import UsageError
from stickerscan.photo_files import find_photos

MANIFEST_SUFFIXES = frozenset({".csv", ".jsonl", ".ndjson"})
"""File name endings read as manifests (any case)."""
URL_SCHEMES = frozenset({"http", "https"})
"""The only URL schemes fetched."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One photo of one listing."""

    listing_id: str
    image: str
    """A local path, or an http(s) URL."""
    problem: str | None = None
    """Why the photo cannot be had at all (a refused URL scheme, a folder with no photos,
    an empty manifest cell); ``None`` when it can be read or fetched."""

    @property
    def is_url(self) -> bool:
        return urlsplit(self.image).scheme.lower() in URL_SCHEMES


def read_source(source: Path) -> list[BatchItem]:
    """The photos ``source`` stands for, in order.

    Raises
    ------
    UsageError
        ``source`` does not exist, is neither a folder nor a manifest, or a manifest lacks
        the ``listing_id`` and ``image`` columns or cannot be parsed.
    """
    if source.is_dir():
        return items_from_folder(source)
    if source.suffix.lower() in MANIFEST_SUFFIXES:
        return items_from_manifest(source)
    if not source.exists():
        raise UsageError(f"{source}: no such file or folder")
    raise UsageError(f"{source}: give a folder of listings, or a manifest ending in "
                     f"{', '.join(sorted(MANIFEST_SUFFIXES))}")


def items_from_folder(top: Path) -> list[BatchItem]:
    """Each sub-folder of ``top`` is a listing; each loose photo is a listing of its own."""
    items: list[BatchItem] = []
    for photo in find_photos([top]):
        relative = photo.path.relative_to(top) if photo.path.is_relative_to(top) else photo.path
        parts = relative.parts
        listing = parts[0] if len(parts) > 1 else relative.as_posix()
        items.append(BatchItem(listing or top.name, str(photo.path), photo.problem))
    return items


def items_from_manifest(manifest: Path) -> list[BatchItem]:
    """The rows of a CSV or JSON Lines manifest; relative paths are taken from its folder."""
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{manifest}: the manifest cannot be read ({error})") from None
    rows = _jsonl_rows(manifest, text) if manifest.suffix.lower() != ".csv" else _csv_rows(
        manifest, text
    )
    return [_item(manifest, number, row) for number, row in rows]


def _csv_rows(manifest: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines())
    missing = {"listing_id", "image"} - set(reader.fieldnames or ())
    if missing:
        raise UsageError(f"{manifest}: the manifest has no {' or '.join(sorted(missing))} "
                         "column (its first row must name the columns listing_id and image)")
    return [(number, {key: value or "" for key, value in row.items() if key is not None})
            for number, row in enumerate(reader, start=2)]


def _jsonl_rows(manifest: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise UsageError(f"{manifest}: line {number} is not JSON ({error.msg})") from None
        if not isinstance(row, dict) or "listing_id" not in row or "image" not in row:
            raise UsageError(f"{manifest}: line {number} needs the keys listing_id and image")
        rows.append((number, {key: "" if value is None else str(value)
                              for key, value in row.items()}))
    return rows


def _item(manifest: Path, number: int, row: dict[str, str]) -> BatchItem:
    listing = row.get("listing_id", "").strip()
    image = row.get("image", "").strip()
    if not listing:
        listing = f"{manifest.name}:{number}"
    if not image:
        return BatchItem(listing, f"{manifest.name}:{number}",
                         f"line {number} of the manifest gives no image")
    scheme = urlsplit(image).scheme.lower()
    if scheme in URL_SCHEMES:
        return BatchItem(listing, image)
    if "://" in image or (len(scheme) > 1 and ":" in image and not Path(image).exists()):
        return BatchItem(listing, image, f"URL scheme {scheme!r} is refused (only http and "
                         "https are fetched)")
    path = Path(image)
    if not path.is_absolute():
        path = manifest.parent / path
    return BatchItem(listing, str(path))
