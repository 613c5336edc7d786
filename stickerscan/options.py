"""All tunable settings of a scan, with their defaults, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Settings that travel whole through the pipeline.

    Defaults are chosen for phone photos and marketplace listing images; none is tuned to
    one generated data set.
    """

    model_id: str | None = None
    """Instrument model whose serial format and dates apply; ``None`` means the model named
    on the label, else the default model (Korg M1), reported as an assumption."""

    serial_pattern: str | None = None
    """A one-off serial format (a regular expression the whole serial must match) replacing
    the model's; with no ``model_id`` it applies to the ``generic`` entry."""

    calibration_overlay: str | None = None
    """The calibration overlay file (``stickerscan calibrate``) to date serials with;
    ``None`` uses the default one in the user's configuration folder, when there is one."""

    max_pixels: int = 100_000_000
    """Refuse photos with more pixels than this (decompression-bomb guard).  The size is
    checked as declared in the file's header, before anything is decoded.  A sequential
    (not progressive) JPEG may declare 2.5 times as many: it is decoded reduced, so the
    200-megapixel photos of the largest phone cameras are read under the default."""

    min_side: int = 16
    """Refuse photos narrower than this in either direction: a serial label needs text
    about 12 pixels tall, so a thinner image (a tracking pixel, a divider strip) cannot
    hold one."""

    time_limit_s: float | None = 60.0
    """Seconds one photo may take before its scan is stopped and reported as timed out
    (enforced by :class:`stickerscan.guard.GuardedScanner`); ``None`` means no limit.
    A 12-megapixel photo normally takes one to two seconds."""

    work_long_side: int = 2000
    """Photos are decoded at a reduced size whose long side is at least this many pixels
    (JPEG draft mode), so a 12-megapixel photo costs what a 3-megapixel one does."""

    locate_long_side: int = 1024
    """Long side of the working copy the label locator searches."""

    finer_locate_long_sides: tuple[int, ...] = (1400, 2048)
    """Long sides of finer working copies searched in turn when no region of the first
    gave a serial: small print on a small sticker breaks into specks or runs together at
    ``locate_long_side``, and is found as text only at a finer size.  A size the photo
    has no more detail for than the one before is skipped; ``()`` never looks again.
    Each size finds print the other misses: grainy print that the coarser one sees whole
    falls apart into specks at the finer.  Searching every photo this finely from the
    start loses more than it finds: coarse blocks that rank a clear label first split
    up."""

    finer_candidates: int = 3
    """How many of each finer search's regions, among places no search before it found,
    are read at most."""

    max_candidates: int = 10
    """How many candidate label regions are read at most, best-ranked first.  The ranking
    is coarse: on a busy panel, texture or a block of legends can outrank the sticker (on
    the twelve development sets, 12 more of 1,548 stickers were read with 10 than with 8,
    1 more with 12; a photo read at an early region reads no more of them)."""

    ocr_threads: int = 1
    """Candidate regions read at once, each on its own thread with its own OCR engine.
    More than one shortens the wait for one photo on a machine with idle cores, at the
    cost of some reading that is thrown away when an early region settles the answer; the
    answer is the same.  Batches keep one per worker process (the workers fill the cores)."""

    opencv_threads: int | None = None
    """Threads OpenCV may use for its own work in a guarded reader's process
    (:class:`stickerscan.guard.GuardedScanner`); ``None`` leaves OpenCV's default, all
    cores.  Batches running a reader per core set 1: threads fighting over cores cost
    about a tenth of the CPU time and win nothing."""

    min_confidence: float = 0.80
    """A serial whose combined confidence is below this is reported as unreadable, with the
    best guess shown as a guess."""

    ocr_engine: str = "auto"
    """``auto`` (in-process tesserocr, else pytesseract), ``tesserocr`` or ``pytesseract``."""

    tessdata_dir: str | None = None
    """Folder holding ``eng.traineddata``; ``None`` searches the usual system places."""

    precheck: bool = False
    """Look at each photo cheaply first (:mod:`stickerscan.prefilter`) and report a photo
    whose text regions show no digits and no serial or model wording as ``no-label`` without the
    full read.  Batches turn it on: most listing photos show no label at all."""
