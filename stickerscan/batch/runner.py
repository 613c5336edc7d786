"""Run a batch: read every unfinished photo of the store in parallel, one worker process
per job, and record each result as soon as it is in.

Each job is a thread in this process that owns one
:class:`~stickerscan.guard.GuardedScanner` (one worker process with a time limit and crash
isolation), gets the photo's bytes (reading the file or downloading it), and records the
result; only this process writes to the store.  Photos with identical bytes are read
once: the first is read, the others get a copy of its result.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from stickerscan.batch.fetch import Fetcher
from stickerscan.batch.inputs import URL_SCHEMES
from stickerscan.batch.store import FAILED_STATUSES, PendingPhoto, PhotoOutcome, Store
from stickerscan.errors import StickerscanError
from stickerscan.pipeline import ScanResult
from stickerscan.previews import previews_of

log = logging.getLogger(__name__)

_PROGRESS_EVERY_S = 0.2


class RowScanner(Protocol):
    """What a job needs of a scanner (a :class:`~stickerscan.guard.GuardedScanner`)."""

    def scan_as_row(self, source: Path | str | bytes, *, name: str | None = None) -> ScanResult:
        ...

    def close(self) -> None:
        ...


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a run stands."""

    total: int
    """Photos this run set out to read."""
    done: int
    statuses: dict[str, int] = field(default_factory=dict)
    """Finished photos of this run by status."""
    elapsed_s: float = 0.0

    @property
    def failed(self) -> int:
        return sum(count for status, count in self.statuses.items()
                   if status in FAILED_STATUSES)

    @property
    def eta_s(self) -> float | None:
        """Seconds still to go at the pace so far (``None`` before the first photo)."""
        if self.done == 0:
            return None
        return self.elapsed_s / self.done * (self.total - self.done)


ProgressCallback = Callable[[Progress], None]


class _Run:
    """The state the jobs share."""

    def __init__(self, store: Store, pending: list[PendingPhoto], fetcher: Fetcher) -> None:
        self.store = store
        self.fetcher = fetcher
        self.work: queue.SimpleQueue[PendingPhoto] = queue.SimpleQueue()
        for photo in pending:
            self.work.put(photo)
        self.total = len(pending)
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.in_flight: dict[str, list[tuple[PendingPhoto, float]]] = {}
        """Content hash being read → the photos with the same bytes waiting for it."""
        self.stopping = threading.Event()
        self.error: StickerscanError | None = None

    def record(self, photo: PendingPhoto, outcome: PhotoOutcome) -> None:
        if self.stopping.is_set():
            return  # a result cut short by the stop is not a result: the photo stays unfinished
        self.store.finish(photo.photo_id, outcome)
        with self.lock:
            self.statuses[outcome.status] += 1

    def progress(self, started: float) -> Progress:
        with self.lock:
            statuses = dict(self.statuses)
        return Progress(self.total, sum(statuses.values()), statuses,
                        time.perf_counter() - started)


def run_batch(
    store: Store,
    scanner_factory: Callable[[], RowScanner],
    *,
    jobs: int,
    fetcher: Fetcher,
    on_progress: ProgressCallback | None = None,
) -> Progress:
    """Read every unfinished photo in ``store`` with ``jobs`` scanners at once, then work
    out the listings' answers.

    Returns the final progress (the counts of this run).  A stop (Ctrl-C) leaves the photos
    being read unfinished, for the next run.

    Raises
    ------
    StickerscanError
        A scanner could not start (Tesseract missing, the catalogue broken, ...).
    """
    run = _Run(store, store.pending(), fetcher)
    started = time.perf_counter()
    threads = [
        threading.Thread(target=_job, args=(run, scanner_factory), daemon=True,
                         name=f"stickerscan-job-{index}")
        for index in range(max(1, min(jobs, run.total)))
    ]
    for thread in threads:
        thread.start()
    try:
        while alive := [thread for thread in threads if thread.is_alive()]:
            alive[0].join(_PROGRESS_EVERY_S)
            if on_progress is not None:
                on_progress(run.progress(started))
    except BaseException:
        run.stopping.set()
        raise
    finally:
        store.refresh_listings()
    if run.error is not None:
        raise run.error
    final = run.progress(started)
    if on_progress is not None:
        on_progress(final)
    return final


def _job(run: _Run, scanner_factory: Callable[[], RowScanner]) -> None:
    try:
        scanner = scanner_factory()
    except StickerscanError as error:
        run.error = error
        run.stopping.set()
        return
    try:
        while not run.stopping.is_set():
            try:
                photo = run.work.get_nowait()
            except queue.Empty:
                return
            _do(run, scanner, photo)
    except StickerscanError as error:  # a replacement worker could not start
        run.error = error
        run.stopping.set()
    finally:
        scanner.close()


def _do(run: _Run, scanner: RowScanner, photo: PendingPhoto) -> None:
    started = time.perf_counter()
    source, data, problem = _bytes_of(run, photo)
    fetch_s = time.perf_counter() - started
    if problem is not None:
        run.record(photo, _failure(problem, fetch_s))
        return
    content_hash = hashlib.sha256(data).hexdigest() if data is not None else None
    if content_hash is not None:
        with run.lock:
            waiting = run.in_flight.get(content_hash)
            if waiting is not None:
                waiting.append((photo, fetch_s))
                return
            earlier = run.store.read_with_hash(content_hash)
            if earlier is None:
                run.in_flight[content_hash] = []
        if earlier is not None:
            run.record(photo, _copy(earlier, fetch_s))
            return
    result = scanner.scan_as_row(source, name=photo.image)
    outcome = _outcome(result, content_hash, fetch_s)
    run.record(photo, outcome)
    if content_hash is not None:
        with run.lock:
            twins = run.in_flight.pop(content_hash, [])
        for twin, twin_fetch_s in twins:
            run.record(twin, _copy((photo.photo_id, outcome), twin_fetch_s))


def _bytes_of(run: _Run, photo: PendingPhoto) -> tuple[Path | bytes, bytes | None, str | None]:
    """(what to give the scanner, the bytes to hash, or a problem that ends the photo)."""
    scheme = photo.image.split(":", 1)[0].lower() if "://" in photo.image else ""
    if scheme in URL_SCHEMES:
        fetched = run.fetcher.fetch(photo.image)
        if fetched.data is None:
            return b"", None, fetched.problem
        return fetched.data, fetched.data, None
    path = Path(photo.image)
    # Only a regular file is read here; anything else (missing, a pipe, a device) goes to
    # the scanner as a path, and its loader says what is wrong with it without blocking.
    if not path.is_file():
        return path, None, None
    try:
        return path, path.read_bytes(), None
    except OSError:
        return path, None, None


def with_previews(result: ScanResult) -> ScanResult:
    """``result`` with the previews a batch keeps, and without the decoded photo and the
    OCR's crops: run where the photo was read (``GuardedScanner(prepare=...)``), it spares
    sending megabytes of pixels to this process for every photo."""
    if result.image is None:
        return result
    return replace(result, image=None, readings=(),
                   previews=previews_of(result.image, result.label_quad))


def _outcome(result: ScanResult, content_hash: str | None, fetch_s: float) -> PhotoOutcome:
    quad = result.label_quad
    previews = with_previews(result).previews
    return PhotoOutcome(
        status=result.status, reason=result.reason, serial=result.serial, guess=result.guess,
        confidence=result.confidence, model_id=result.model_id,
        label_quad=[[round(x, 1), round(y, 1)] for x, y in quad] if quad else None,
        estimate=result.estimate.to_dict() if result.estimate else None,
        content_hash=content_hash, fetch_s=fetch_s, scan_s=result.elapsed_s,
        thumbnail=previews.photo if previews is not None else None,
        label_crop=previews.label if previews is not None else None,
    )


def _copy(earlier: tuple[int, PhotoOutcome], fetch_s: float) -> PhotoOutcome:
    photo_id, outcome = earlier
    return replace(outcome, fetch_s=fetch_s, scan_s=0.0, same_as=photo_id)


def _failure(problem: str, fetch_s: float) -> PhotoOutcome:
    return PhotoOutcome(
        status="bad-input", reason=problem, serial=None, guess=None, confidence=0.0,
        model_id="", label_quad=None, estimate=None, content_hash=None, fetch_s=fetch_s,
        scan_s=0.0,
    )
