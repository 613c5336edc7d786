"""The batch's results: an SQLite database, one row a photo and one a listing.

Every photo of the source is entered first, unfinished; each one's row is filled in and
committed as soon as its result is in.  A run that is stopped, however abruptly, loses at
most the photos being read at that moment, and the next run over the same source reads
only the photos still unfinished.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from stickerscan.batch.inputs import BatchItem

_SCHEMA = """
CREATE TABLE IF NOT EXISTS photos (
    id INTEGER PRIMARY KEY,
    listing_id TEXT NOT NULL,
    image TEXT NOT NULL,
    position INTEGER NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    status TEXT,
    reason TEXT,
    serial TEXT,
    guess TEXT,
    confidence REAL,
    model_id TEXT,
    label_quad TEXT,
    estimate TEXT,
    content_hash TEXT,
    same_as INTEGER,
    fetch_s REAL,
    scan_s REAL,
    thumbnail BLOB,
    label_crop BLOB,
    UNIQUE (listing_id, image)
);
CREATE INDEX IF NOT EXISTS photos_hash ON photos (content_hash) WHERE finished = 1;
CREATE TABLE IF NOT EXISTS listings (
    listing_id TEXT PRIMARY KEY,
    photos INTEGER NOT NULL,
    best_serial TEXT,
    agreeing INTEGER NOT NULL,
    disagreement INTEGER NOT NULL,
    serials TEXT NOT NULL,
    status TEXT NOT NULL,
    failed INTEGER NOT NULL
);
"""

FAILED_STATUSES = frozenset({"bad-input", "timed-out", "crashed"})
"""Statuses of a photo that gave no answer at all (the reason says why)."""


@dataclass(frozen=True, slots=True)
class PendingPhoto:
    """A photo still to be read."""

    photo_id: int
    listing_id: str
    image: str


@dataclass(frozen=True, slots=True)
class PhotoOutcome:
    """What a finished photo's row holds."""

    status: str
    reason: str
    serial: str | None
    guess: str | None
    confidence: float
    model_id: str
    label_quad: list[list[float]] | None
    """Corners of the label in the photo's pixels, when one was read."""
    estimate: dict[str, Any] | None
    """The date estimate's fields (see ``DateEstimate.to_dict``)."""
    content_hash: str | None
    """SHA-256 of the photo's bytes (``None`` when they could not be had)."""
    fetch_s: float
    """Seconds spent getting the bytes (reading the file or downloading it)."""
    scan_s: float
    """Seconds the reader took (0 for a photo whose identical twin was read instead)."""
    thumbnail: bytes | None = None
    """A small JPEG of the photo."""
    label_crop: bytes | None = None
    """A JPEG of the label region, when one was read."""
    same_as: int | None = None
    """The photo whose identical bytes were read for this one."""


@dataclass(frozen=True, slots=True)
class PhotoRow:
    """One photo as stored (pictures left out)."""

    photo_id: int
    listing_id: str
    image: str
    finished: bool
    status: str | None
    reason: str | None
    serial: str | None
    guess: str | None
    confidence: float | None
    model_id: str | None
    label_quad: list[list[float]] | None
    estimate: dict[str, Any] | None
    content_hash: str | None
    same_as: int | None
    fetch_s: float | None
    scan_s: float | None

    def to_dict(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True, slots=True)
class ListingRow:
    """One listing's answer, from all its photos."""

    listing_id: str
    photos: int
    best_serial: str | None
    """The serial read on the most photos (ties: the surest read), ``None`` if none."""
    agreeing: int
    """How many photos read ``best_serial``."""
    disagreement: bool
    """True when photos of the listing read different serials."""
    serials: list[str]
    """Every serial read, most often read first."""
    status: str
    """``read``, ``unreadable`` (a number seen, not read surely), ``no-label``, or
    ``failed`` (no photo could be read at all)."""
    failed: int
    """How many of its photos failed (bad input, download failure, timeout, crash)."""

    def to_dict(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True, slots=True)
class Pictures:
    """The pictures stored with a photo, for the HTML report."""

    thumbnail: bytes | None
    label_crop: bytes | None


_PHOTO_COLUMNS = ("id, listing_id, image, finished, status, reason, serial, guess, confidence, "
                  "model_id, label_quad, estimate, content_hash, same_as, fetch_s, scan_s")


class Store:
    """The results database; one connection, safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def add(self, items: Iterable[BatchItem]) -> int:
        """Enter the photos not yet in the store, unfinished (a photo that cannot be had at
        all is entered finished, as ``bad-input`` with its problem); returns how many were
        new."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            start = self._db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM photos")
            position = int(start.fetchone()[0])
            added = 0
            for item in items:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO photos (listing_id, image, position, finished, "
                    "status, reason) VALUES (?, ?, ?, ?, ?, ?)",
                    (item.listing_id, item.image, position, item.problem is not None,
                     "bad-input" if item.problem else None, item.problem),
                )
                added += cursor.rowcount
                position += 1
        return added

    def pending(self) -> list[PendingPhoto]:
        """The photos still to be read, in the source's order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, listing_id, image FROM photos WHERE finished = 0 ORDER BY position"
            ).fetchall()
        return [PendingPhoto(int(row[0]), str(row[1]), str(row[2])) for row in rows]

    def read_with_hash(self, content_hash: str) -> tuple[int, PhotoOutcome] | None:
        """A finished photo with these bytes that was read (not copied), if any."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, status, reason, serial, guess, confidence, model_id, label_quad, "
                "estimate, scan_s, thumbnail, label_crop FROM photos WHERE finished = 1 AND "
                "content_hash = ? AND same_as IS NULL ORDER BY id LIMIT 1",
                (content_hash,),
            ).fetchone()
        if row is None:
            return None
        outcome = PhotoOutcome(
            status=row[1], reason=row[2], serial=row[3], guess=row[4], confidence=row[5],
            model_id=row[6], label_quad=_json(row[7]), estimate=_json(row[8]),
            content_hash=content_hash, fetch_s=0.0, scan_s=row[9], thumbnail=row[10],
            label_crop=row[11],
        )
        return int(row[0]), outcome

    def finish(self, photo_id: int, outcome: PhotoOutcome) -> None:
        """Fill in a photo's row and commit it."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE photos SET finished = 1, status = ?, reason = ?, serial = ?, "
                "guess = ?, confidence = ?, model_id = ?, label_quad = ?, estimate = ?, "
                "content_hash = ?, same_as = ?, fetch_s = ?, scan_s = ?, thumbnail = ?, "
                "label_crop = ? WHERE id = ?",
                (outcome.status, outcome.reason, outcome.serial, outcome.guess,
                 outcome.confidence, outcome.model_id, _text(outcome.label_quad),
                 _text(outcome.estimate), outcome.content_hash, outcome.same_as,
                 outcome.fetch_s, outcome.scan_s, outcome.thumbnail, outcome.label_crop,
                 photo_id),
            )

    def photos(self) -> list[PhotoRow]:
        """Every photo, in the source's order."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_PHOTO_COLUMNS} FROM photos ORDER BY position"
            ).fetchall()
        return [_photo_row(row) for row in rows]

    def pictures(self, photo_id: int) -> Pictures:
        with self._lock:
            row = self._db.execute(
                "SELECT thumbnail, label_crop FROM photos WHERE id = ?", (photo_id,)
            ).fetchone()
        return Pictures(row[0], row[1]) if row else Pictures(None, None)

    def refresh_listings(self) -> list[ListingRow]:
        """Work out every listing's answer from its photos, store and return them."""
        by_listing: dict[str, list[PhotoRow]] = {}
        for photo in self.photos():
            by_listing.setdefault(photo.listing_id, []).append(photo)
        listings = [_listing(listing_id, photos) for listing_id, photos in by_listing.items()]
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM listings")
            self._db.executemany(
                "INSERT INTO listings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(row.listing_id, row.photos, row.best_serial, row.agreeing,
                  row.disagreement, json.dumps(row.serials), row.status, row.failed)
                 for row in listings],
            )
        return listings

    def listings(self) -> list[ListingRow]:
        """The listings as last worked out (see :meth:`refresh_listings`)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT listing_id, photos, best_serial, agreeing, disagreement, serials, "
                "status, failed FROM listings ORDER BY rowid"
            ).fetchall()
        return [ListingRow(row[0], row[1], row[2], row[3], bool(row[4]), json.loads(row[5]),
                           row[6], row[7]) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()



def shared_serials(listings: Sequence[ListingRow]) -> dict[str, list[str]]:
    """Serials read in more than one listing, each with those listings (worth a closer look:
    a reused photo, a relisting or a copied serial; not proof of anything)."""
    seen: dict[str, list[str]] = {}
    for listing in listings:
        for serial in listing.serials:
            seen.setdefault(serial, []).append(listing.listing_id)
    return {serial: ids for serial, ids in sorted(seen.items()) if len(ids) > 1}


def _listing(listing_id: str, photos: list[PhotoRow]) -> ListingRow:
    read = [photo for photo in photos if photo.status == "read" and photo.serial]
    counts = Counter(photo.serial for photo in read if photo.serial)
    surest = {serial: max(photo.confidence or 0.0 for photo in read if photo.serial == serial)
              for serial in counts}
    ranked = sorted(counts, key=lambda serial: (counts[serial], surest[serial]), reverse=True)
    failed = sum(photo.status in FAILED_STATUSES for photo in photos)
    if ranked:
        status = "read"
    elif any(photo.status == "unreadable" for photo in photos):
        status = "unreadable"
    elif failed == len(photos) and photos:
        status = "failed"
    else:
        status = "no-label"
    return ListingRow(
        listing_id=listing_id, photos=len(photos), best_serial=ranked[0] if ranked else None,
        agreeing=counts[ranked[0]] if ranked else 0, disagreement=len(ranked) > 1,
        serials=ranked, status=status, failed=failed,
    )


def _photo_row(row: Sequence[Any]) -> PhotoRow:
    return PhotoRow(
        photo_id=row[0], listing_id=row[1], image=row[2], finished=bool(row[3]),
        status=row[4], reason=row[5], serial=row[6], guess=row[7], confidence=row[8],
        model_id=row[9], label_quad=_json(row[10]), estimate=_json(row[11]),
        content_hash=row[12], same_as=row[13], fetch_s=row[14], scan_s=row[15],
    )


def _text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)
