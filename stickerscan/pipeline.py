"""The only place the stages meet: load → locate → enhance → read → check → estimate."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Literal, get_args

import cv2
import numpy as np

from stickerscan.catalogue import Catalogue, InstrumentModel
from stickerscan.enhance import (
    TEXT_HEIGHTS,
    enhance_region,
    grain_cleared,
    speckle_smoothed,
)
from stickerscan.errors import BadInputError
from stickerscan.estimate import DateEstimate, estimate_serial
from stickerscan.in_order import in_order
from stickerscan.load import LoadedImage, load_image, source_label
from stickerscan.locate import (
    LabelRegion,
    LocatedLabels,
    Quad,
    dotted_print_regions,
    locate_labels,
    new_places,
    overlapping,
    paper_print_regions,
    quarter_turned_back,
    shows_more_print,
    surroundings_of,
    turned_back,
    turned_photo,
)
from stickerscan.ocr import EngineFactory, OcrEngine, make_engine
from stickerscan.options import ScanOptions
from stickerscan.other_schemes import SchemeMatch
from stickerscan.overlay import load_user_catalogue
from stickerscan.prefilter import Precheck, digit_run_for, precheck
from stickerscan.previews import Previews
from stickerscan.read import OcrReading, read_label
from stickerscan.validate import (
    SerialCheck,
    check_reading,
    corroborated,
    doubted_by_other_crops,
    preferred,
    serial_shaped,
    sighted,
    with_blur_advice,
)
from stickerscan.wording import model_names_in

log = logging.getLogger(__name__)

FailureStatus = Literal["bad-input", "timed-out", "crashed"]
"""Statuses of a photo that gave no answer at all; the result's ``reason`` says why."""
ScanStatus = Literal["read", "invalid", "unreadable", "no-label", FailureStatus]
FAILURE_STATUSES: Final = frozenset(get_args(FailureStatus))

# A labelled serial read this surely ends the search; weaker ones let the next candidate
# region be read too, in case it is the real label.
_SURE_ENOUGH = 0.9
# How many bare numbers get their surroundings read, and how far around them, in character
# heights: along the line far enough for "SERIAL NO." with a wide gap, across for a line
# of wording above.
_SURROUNDINGS_READ = 2
_SECOND_TRY = 4
# The smallest text height is a last try, for the two best-ranked regions only: every
# label it read that the other sizes did not was in one of them.
_THIRD_TRY = 2
_ALONG = 9.0
_ALONG_NEAR = 2.0
_ACROSS = 2.5
# A bare number's own line, widened along it only: lines above and below can hold glare,
# a plate's edge or texture that keep Tesseract from finding the line at all.
_ACROSS_LINE = 0.3

_View = tuple[list[OcrReading], int, "_ModelChoice", SerialCheck | None]
"""What one view of a photo read: its readings, how many regions were found, the model,
and the answer the readings give together."""

_FurtherRegions = tuple[list[LabelRegion], list[LabelRegion]]
"""The regions of the further searches, made when no first region settled a photo: the
finer search's with the look for print against its paper's, then those of dot-matrix
print."""

_READ_SIDEWAYS = ("read with the photo turned a quarter turn: its print runs up or down, as "
                  "in a photo taken sideways and stored without its EXIF orientation")

_Look = tuple[tuple[LabelRegion, int, int], ...]
"""Regions to read one after another, each as (region, rank, text height): a region read
at a second height, or its surroundings at both."""


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything stickerscan found out about one photo."""

    source: str
    status: ScanStatus
    """``read``: a valid serial; ``invalid``: a serial that does not fit the model;
    ``unreadable``: a label seen but not read reliably; ``no-label``: no serial label
    found; ``bad-input``: the file could not be used; ``timed-out``: the scan went over
    the time limit and was stopped; ``crashed``: the reader failed on this photo (the last
    three say why in ``reason``)."""
    reason: str
    """One line for a person: why the status is what it is."""
    model_id: str
    model_assumed: bool
    """True when the model was not given and the default was assumed."""
    serial: str | None
    """The serial, only for ``read`` and ``invalid``."""
    guess: str | None
    """For ``unreadable``: the most likely number, to be shown as a guess only."""
    confidence: float
    problems: tuple[str, ...]
    """What is doubtful about the answer, and what the loader noted about the file (e.g.
    that only the first frame of an animation was read)."""
    label_quad: Quad | None
    """Corners of the label the answer came from, in the original photo's pixels."""
    estimate: DateEstimate | None
    candidates: int
    """How many candidate label regions were found, with those a finer search added
    when the first gave no serial (not all are read)."""
    elapsed_s: float
    model_reason: str = ""
    """How the model was chosen: given, named on the label, or assumed."""
    other_schemes: tuple[SchemeMatch, ...] = ()
    """What the serial looks like when it is not the model's (older Korg scheme, software
    code)."""
    image: LoadedImage | None = field(repr=False, compare=False, default=None)
    readings: tuple[OcrReading, ...] = field(repr=False, compare=False, default=())
    previews: Previews | None = field(repr=False, compare=False, default=None)
    """Small JPEGs of the photo and its label, when the reader was asked to make them
    (batches, which then get no ``image`` and no ``readings``: see
    :func:`stickerscan.batch.runner.with_previews`)."""

    @property
    def failed(self) -> bool:
        """True when the photo gave no answer at all (bad input, timed out or crashed)."""
        return self.status in FAILURE_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "reason": self.reason,
            "model": self.model_id,
            "model_assumed": self.model_assumed,
            "model_reason": self.model_reason,
            "serial": self.serial,
            "guess": self.guess,
            "confidence": round(self.confidence, 3),
            "problems": list(self.problems),
            "label_quad": (
                [[round(x, 1), round(y, 1)] for x, y in self.label_quad]
                if self.label_quad else None
            ),
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "other_schemes": [match.to_dict() for match in self.other_schemes],
            "image": self.image.to_dict() if self.image else None,
            "candidates": self.candidates,
            "readings": [reading.to_dict() for reading in self.readings],
            "elapsed_s": round(self.elapsed_s, 4),
        }


@dataclass(frozen=True, slots=True)
class _ModelChoice:
    """Which instrument model a photo is checked and dated as, and why."""

    model: InstrumentModel
    reason: str
    """For the user: given with --model, named on the label, or assumed."""
    assumed: bool
    """Neither given nor named on the label."""


class Scanner:
    """Reads serial labels from photos; holds the OCR engine and the catalogue.

    Not to be shared between threads: the in-process OCR engine is not thread-safe.  A
    scanner may run reading threads of its own (``ScanOptions.ocr_threads``), each with
    its own engine.
    """

    def __init__(
        self,
        options: ScanOptions | None = None,
        *,
        engine: OcrEngine | None = None,
        catalogue: Catalogue | None = None,
        engine_factory: EngineFactory | None = None,
    ) -> None:
        self.options = options or ScanOptions()
        self.catalogue = catalogue or catalogue_for(self.options)
        # The model given, or the one assumed until a label names another.
        self.model = self.catalogue.choose(self.options.model_id, self.options.serial_pattern)
        self._precheck_digit_run = self._digit_run_in_play()
        self._engine_factory: EngineFactory = engine_factory or make_engine
        self.engine = engine or self._engine_factory(self.options)
        # Reading threads need engines of their own: only with a factory to make them.
        threads = self.options.ocr_threads if engine is None or engine_factory else 1
        self._pool = (
            ThreadPoolExecutor(max_workers=threads, thread_name_prefix="stickerscan-ocr")
            if threads > 1 else None
        )
        self._owner = threading.current_thread()
        self._thread_engines = threading.local()
        if self._pool is not None:
            self._start_reading_threads(threads)

    def scan(self, source: Path | str | bytes, *, name: str | None = None) -> ScanResult:
        """Read one photo.  Raises :class:`BadInputError` for a file that is not usable."""
        started = time.perf_counter()
        image = load_image(source, self.options, name=name)
        return self._read_labels(image, locate_labels(image, self.options), started)

    def _read_labels(
        self, image: LoadedImage, located: LocatedLabels, started: float
    ) -> ScanResult:
        readings, found, choice, best = self._read_view(image, located)
        if _status(best, found, choice.model)[0] == "no-label":
            sideways = self._read_sideways(image, located)
            if sideways is not None:
                readings, found, choice, best = sideways
                image = replace(image, notes=(*image.notes, _READ_SIDEWAYS))
        return self._result(image, best, choice, found, readings, started)

    def _read_sideways(self, image: LoadedImage, located: LocatedLabels) -> _View | None:
        """What the photo turned a quarter turn reads, placed in ``image``, when it shows
        print more plainly so (see :func:`shows_more_print`) and a label is seen there;
        else ``None``.

        A phone stores a photo as its sensor saw it, with an EXIF tag saying how to turn
        it, and some programs drop the tag without turning the photo: taken with the
        phone held sideways, its print then runs up or down.  One quarter turn is enough:
        print it leaves upside down is read as such (see :meth:`_read_view`).
        """
        turned = turned_photo(image, 1)
        turned_located = locate_labels(turned, self.options)
        if not shows_more_print(turned_located, located):
            return None
        # With every search the photo as it is had, the further ones too: without them,
        # of the benchmark's photos turned sideways 5 fewer were read in 300, for about
        # 6% less time on the development sets' photos that show no label.
        readings, found, choice, best = self._read_view(turned, turned_located)
        if _status(best, found, choice.model)[0] == "no-label":
            return None
        placed = [replace(reading, crop=replace(
            reading.crop, region=quarter_turned_back(reading.crop.region, image)))
            for reading in readings]
        choice, best = self._decided(
            placed, [check_reading(reading, self.model, self.options) for reading in placed])
        return placed, found, choice, best

    def _read_view(self, image: LoadedImage, located: LocatedLabels) -> _View:
        """Read ``image``'s regions (``located``), and when a label is seen but not read
        surely, the same photo turned half a turn: the readings, how many regions were
        found, the model, and the answer they give together."""
        readings, checks, found = self._read_regions(image, located)
        choice, best = self._decided(readings, checks)
        if _status(best, found, choice.model)[0] == "unreadable":
            # A label seen but not read surely is read again in the photo turned half a
            # turn.  The locator finds the same regions there, but every crop is sampled
            # afresh and its print met the other way up first, and Tesseract's line
            # finding and reading of a blurred or slanted glyph change with both.  What
            # the two readings saw counts together, as crops of one photo do: a serial
            # read surely in one and otherwise in the other stays unreadable.  The
            # further searches are not made again: they cost the most and would look at
            # the places they looked at before.  Nor are regions where no number was
            # seen, but for the best-ranked one: the label is where a number was seen,
            # or it is that region (upside down, it can read as nothing in place while
            # a QC sticker's number elsewhere is seen).  Regions where a number was seen
            # come first: only so many are read, and the best-ranked region's must not
            # push theirs out.
            turned = turned_photo(image, 2)
            more, _, _ = self._read_regions(
                turned, _turned_at_places(locate_labels(turned, self.options), image, [
                    _sighted_places(checks, choice.model), located.regions[:1]]),
                further=False)
            placed = [_in_unturned_photo(reading, image, readings, found) for reading in more]
            readings += placed
            checks += [check_reading(reading, self.model, self.options) for reading in placed]
            choice, best = self._decided(readings, checks)
        return readings, found, choice, best

    def _read_regions(
        self, image: LoadedImage, located: LocatedLabels, *, further: bool = True
    ) -> tuple[list[OcrReading], list[SerialCheck], int]:
        """Read ``located``'s regions until one settles the photo, and then, with
        ``further``, regions the further searches find; the readings, their checks against
        the assumed model, and how many regions were found."""
        readings: list[OcrReading] = []
        checks: list[SerialCheck] = []
        candidates = located.regions[: self.options.max_candidates]
        first_looks = [((region, rank, TEXT_HEIGHTS[0]),) for rank, region in enumerate(candidates)]

        def settled_by(looks: Sequence[_Look]) -> bool:
            """Read ``looks`` in order until one settles the answer; whether one did."""
            for reading in self._read_looks(image, looks, tuple(readings)):
                readings.append(reading)
                checks.append(check_reading(reading, self.model, self.options))
                if _settled(checks[-1]):
                    return True
            return False

        found = len(located.regions)
        finer_search: Future[_FurtherRegions] | None = None
        if not settled_by(first_looks) and not _serial_read(checks):
            # The further searches (finer, and for dot-matrix print) are needed when the
            # second looks settle nothing either, the slowest photos' case: with reading
            # threads they run beside those looks, on a thread their reading leaves idle,
            # instead of after them.
            if self._pool is not None and further:
                finer_search = self._pool.submit(self._further_regions, image, candidates)
            second = len(checks)
            if (not settled_by(_second_looks(candidates, checks, self.model))
                    and not _serial_read(checks) and further):
                finer, dotted = (finer_search.result() if finer_search is not None
                                 else self._further_regions(image, candidates))
                earlier = len(checks)
                if not settled_by([((region, found + index, TEXT_HEIGHTS[0]),)
                                   for index, region in enumerate(finer)]
                                  + [tuple((region, found + len(finer) + index, height)
                                           for height in TEXT_HEIGHTS[1:])
                                     for index, region in enumerate(dotted)]
                                  ) and not _serial_read(checks):
                    # What the first looks' regions were given, the finer search's get
                    # too: a look around a number read there without its wording.
                    # So does a number a second look read (at another text height) in a
                    # region whose surroundings no second look took in: the second looks
                    # were chosen before it was read.
                    late = _not_looked_around(checks[second:earlier])
                    settled_by(_surroundings_looks([*late, *checks[earlier:]], self.model))
                found += len(finer) + len(dotted)
            elif finer_search is not None:
                # A second look settled it: a search not started yet never will be (one
                # already running finishes unread, as a reading job does).
                finer_search.cancel()
        return readings, checks, found

    def _decided(
        self, readings: list[OcrReading], checks: list[SerialCheck]
    ) -> tuple[_ModelChoice, SerialCheck | None]:
        """The model, and the answer all ``readings`` give together (``checks`` are
        theirs against the assumed model)."""
        choice = self._model_for(readings)
        if choice.model is not self.model:
            checks = [check_reading(reading, choice.model, self.options) for reading in readings]
        best = preferred(checks, choice.model) if checks else None
        if best is None or best.status != "valid":
            best = corroborated(readings, choice.model, self.options) or best
        else:
            best = doubted_by_other_crops(best, readings, choice.model, self.options)
        return choice, best

    def model_of(self, result: ScanResult) -> InstrumentModel:
        """The model a result was checked as (with any one-off ``--pattern`` applied)."""
        return result_model(result, self.model, self.catalogue)

    def _further_regions(
        self, image: LoadedImage, candidates: tuple[LabelRegion, ...]
    ) -> _FurtherRegions:
        """Regions at places no candidate covered: the best a finer search finds, one of
        dark print on a light sticker found against the sticker's shade (see
        :func:`paper_print_regions`), and any of dot-matrix print (which reads best small,
        where its dots run together)."""
        finer = self._finer_regions(image, candidates)
        dotted = dotted_print_regions(image, self.options, [*candidates, *finer])
        # Last: its region is one more place to read, never one the others found.
        paper = paper_print_regions(image, self.options, [*candidates, *finer, *dotted])
        return [*finer, *paper], dotted

    def _finer_regions(
        self, image: LoadedImage, candidates: tuple[LabelRegion, ...]
    ) -> list[LabelRegion]:
        """The best regions finer searches find at places no candidate covered, each
        search's after those of the searches before it."""
        finer: list[LabelRegion] = []
        own_size = max(image.pixels.shape[:2])
        searched = 0  # the size the finer search before was made at
        for long_side in self.options.finer_locate_long_sides:
            # A working copy is never larger than the photo: a finer search past the
            # photo's own size would repeat the one before.  (The first is made even on a
            # photo no larger than the first search's copy: it also takes characters
            # blurred into solid runs as text.)
            size = min(long_side, own_size)
            if long_side <= self.options.locate_long_side or size <= searched:
                continue
            searched = size
            # Print the first search missed may be small and blurred into solid runs.
            found = locate_labels(image, replace(self.options, locate_long_side=long_side),
                                  blurred_runs=True)
            finer += new_places(found.regions, [*candidates, *finer])[
                : self.options.finer_candidates]
        return finer

    def _read_looks(
        self, image: LoadedImage, looks: Sequence[_Look], before: tuple[OcrReading, ...]
    ) -> Iterator[OcrReading]:
        """The readings of ``looks``, in order; on several threads when the options ask
        for them, with the same readings in the same order.  ``before`` are the readings
        already made, for the earlier readings of a region read again."""
        if self._pool is None:
            for look in looks:
                yield from self._look(image, look, before)
            return
        jobs = (functools.partial(_all_of, self._look, image, look, before) for look in looks)
        for readings in in_order(self._pool, jobs, ahead=self.options.ocr_threads):
            yield from readings

    def _look(
        self, image: LoadedImage, look: _Look, before: tuple[OcrReading, ...]
    ) -> Iterator[OcrReading]:
        """Read the steps of one look in turn; a region read again is told how it read
        before (its doubtful digits stay in doubt)."""
        made: list[OcrReading] = []
        for region, rank, text_height in look:
            crop = enhance_region(image, region, rank, text_height=text_height)
            # A region's rank names its place: a look at its surroundings reads the same
            # number there, and what the region's own crops read counts as before.
            earlier = tuple(
                reading for reading in (*before, *made) if reading.crop.rank == rank
            )
            made.append(read_label(crop, self._engine_here(), self.model.label_words,
                                   earlier=earlier))
            yield made[-1]
            if made[-1].numbers or made[-1].plain_words:
                continue
            # Read as nothing, not as words: print on a grainy ground may read once the
            # grain is gone (see :func:`grain_cleared`); any other such crop is read
            # smoothed (see :func:`speckle_smoothed`).
            cleared = grain_cleared(crop)
            retried = cleared if cleared is not None else speckle_smoothed(crop)
            made.append(read_label(retried, self._engine_here(), self.model.label_words,
                                   earlier=earlier))
            yield made[-1]
            if cleared is not None or made[-1].numbers or made[-1].plain_words:
                continue
            # Smoothed and still nothing: speckle can keep the sparse layout's line
            # finding from a line of bold, blurred digits that the block layout reads
            # (see :func:`~stickerscan.read.read_print`).
            made.append(read_label(retried, self._engine_here(), self.model.label_words,
                                   earlier=earlier, layout="block"))
            yield made[-1]

    def _start_reading_threads(self, threads: int) -> None:
        """Start every reading thread with its engine now, so that the first photo does
        not wait for them and a missing dependency shows up here, as for the first."""
        assert self._pool is not None
        all_started = threading.Barrier(threads)

        def start() -> None:
            try:
                self._engine_here()
            except BaseException:
                all_started.abort()  # the others must not wait for this one
                raise
            # Each thread waits for the others: no thread can take a second start.
            all_started.wait()

        starts = [self._pool.submit(start) for _ in range(threads)]
        failures = [
            error for error in (started.exception() for started in starts)
            if error is not None and not isinstance(error, threading.BrokenBarrierError)
        ]
        if failures:
            self._pool.shutdown(wait=False)
            raise failures[0]

    def _engine_here(self) -> OcrEngine:
        """The engine of the calling thread: the scanner's own on the caller's thread, one
        of its own on each reading thread (an engine is not thread-safe)."""
        if self._pool is None or threading.current_thread() is self._owner:
            return self.engine
        engine: OcrEngine | None = getattr(self._thread_engines, "engine", None)
        if engine is None:
            engine = self._engine_factory(self.options)
            self._thread_engines.engine = engine
        return engine

    def scan_as_row(self, source: Path | str | bytes, *, name: str | None = None) -> ScanResult:
        """Read one photo; whatever goes wrong with it becomes the result's status.

        A file that cannot be used gives ``bad-input``; any other failure (a bug, or a
        decoder running out of memory) gives ``crashed``, logged with its traceback, so
        that a batch always gets one result a photo and goes on.
        """
        started = time.perf_counter()
        try:
            if self.options.precheck:
                return self.scan_prechecked(source, name=name)
            return self.scan(source, name=name)
        except BadInputError as error:
            log.warning("%s", error.message)
            return self._failed(source, name, "bad-input", error.problem, started)
        except Exception as error:  # one photo must never stop a batch
            label = source_label(source, name)
            log.warning("%s: the reader failed", label, exc_info=True)
            reason = (f"the reader failed on this photo ({type(error).__name__}: {error}); "
                      "run with --verbose to see where")
            return self._failed(source, name, "crashed", reason, started)

    def scan_prechecked(
        self, source: Path | str | bytes, *, name: str | None = None
    ) -> ScanResult:
        """Read one photo in full only when the quick check (:func:`precheck`) finds
        digits, or serial or model wording in it; otherwise a ``no-label`` result saying so.
        Raises :class:`BadInputError` like :meth:`scan`."""
        started = time.perf_counter()
        image = load_image(source, self.options, name=name)
        located = locate_labels(image, self.options)
        seen = precheck(image, located, self.engine, candidates=self.options.max_candidates,
                        digit_run=self._precheck_digit_run)
        if not seen.plausible:
            seen = self._precheck_dotted(image, located, seen)
        if seen.plausible:
            return self._read_labels(image, located, started)
        return ScanResult(
            source=image.source, status="no-label", reason=seen.reason,
            model_id=self.model.model_id, model_assumed=self.options.model_id is None,
            serial=None, guess=None, confidence=0.0, problems=image.notes, label_quad=None,
            estimate=None, candidates=len(located.regions),
            elapsed_s=time.perf_counter() - started, image=image,
        )

    def _precheck_dotted(
        self, image: LoadedImage, located: LocatedLabels, seen: Precheck
    ) -> Precheck:
        """The quick check of the region the full reader's search for large dot-matrix
        print finds (see :func:`dotted_print_regions`), for a photo whose ``located``
        regions showed nothing (``seen``).

        Such print falls apart into dots the locator's first looks do not take for
        characters: they find a digit or two, or the sticker's frame, and the rows of the
        whole number are never read.  The search costs about a tenth of a rejection.
        """
        dotted = dotted_print_regions(
            image, self.options, located.regions[: self.options.max_candidates])
        more = precheck(image, LocatedLabels(tuple(dotted)), self.engine,
                        candidates=len(dotted), digit_run=self._precheck_digit_run)
        if more.plausible:
            return replace(more, reason="a search for dot-matrix print shows digits, or serial "
                           "or model wording", looked_at=seen.looked_at + more.looked_at)
        if not more.looked_at:
            return seen
        return replace(seen, reason=f"{seen.reason}; nor does the region a search for "
                       "dot-matrix print finds", looked_at=seen.looked_at + more.looked_at)

    def _digit_run_in_play(self) -> int:
        """The quick check's digit run for the serial formats the read could settle on:
        the one given, else the assumed model's or any a label may name."""
        if self.options.model_id is not None or self.options.serial_pattern is not None:
            models = [self.model]
        else:
            models = [self.model, *(model for model in self.catalogue.models
                                    if model.names_on_panel)]
        return digit_run_for(model.serial_format for model in models)

    def scan_many(self, sources: Iterable[Path]) -> Iterator[ScanResult]:
        """Read photos one after another; a photo that fails becomes a row saying why."""
        for source in sources:
            yield self.scan_as_row(source)

    def _failed(
        self,
        source: Path | str | bytes,
        name: str | None,
        status: FailureStatus,
        reason: str,
        started: float,
    ) -> ScanResult:
        return failure_result(source, status, reason, model=self.model, options=self.options,
                              name=name, elapsed_s=time.perf_counter() - started)

    def _model_for(self, readings: list[OcrReading]) -> _ModelChoice:
        """The model given, else the one the labels name, else the assumed default."""
        if self.options.model_id is not None:
            return _ModelChoice(self.model, "given with --model", assumed=False)
        if self.options.serial_pattern is not None:
            return _ModelChoice(self.model, "any product: --pattern sets the serial format",
                                assumed=False)
        named = model_names_in("\n".join(reading.text for reading in readings),
                               self.catalogue.names_on_panel())
        if len(named) == 1:
            model = self.catalogue.get(named[0])
            shown = " or ".join(repr(name) for name in model.names_on_panel)
            return _ModelChoice(model, f"the label shows {shown}", assumed=False)
        several = f"the labels name {', '.join(named)}; " if named else ""
        return _ModelChoice(self.model, f"{several}assumed; choose another with --model",
                            assumed=True)

    def _result(
        self,
        image: LoadedImage,
        best: SerialCheck | None,
        choice: _ModelChoice,
        candidates: int,
        readings: list[OcrReading],
        started: float,
    ) -> ScanResult:
        model = choice.model
        if best is not None:
            best = with_blur_advice(best)
        estimate = estimate_serial(best, model) if best is not None else None
        status, reason = _status(best, candidates, model)
        region: LabelRegion | None = (
            best.reading.crop.region if best is not None and best.reading is not None else None
        )
        return ScanResult(
            source=image.source,
            status=status,
            reason=reason,
            model_id=model.model_id,
            model_assumed=choice.assumed,
            serial=best.serial if best is not None and status in {"read", "invalid"} else None,
            guess=best.guess if best is not None and status == "unreadable" else None,
            confidence=best.confidence if best is not None else 0.0,
            # What the loader noted (e.g. only the first frame was read) always counts; doubts
            # about a number that was no serial would only confuse the answer.
            problems=image.notes + (
                best.problems if best is not None and status != "no-label" else ()
            ),
            label_quad=region.quad if region is not None and status != "no-label" else None,
            estimate=estimate,
            candidates=candidates,
            elapsed_s=time.perf_counter() - started,
            model_reason=choice.reason,
            other_schemes=best.other_schemes if best is not None else (),
            image=image,
            readings=tuple(readings),
        )



def catalogue_for(options: ScanOptions) -> Catalogue:
    """The catalogue with the user's calibration overlay (``options`` may name its file)."""
    overlay = options.calibration_overlay
    return load_user_catalogue(Path(overlay) if overlay else None)


def result_model(
    result: ScanResult, chosen: InstrumentModel, catalogue: Catalogue
) -> InstrumentModel:
    """The model ``result`` was checked as: ``chosen`` (the given or assumed model, with any
    one-off pattern) unless the label named another."""
    if result.model_id == chosen.model_id:
        return chosen
    return catalogue.get(result.model_id)


def failure_result(
    source: Path | str | bytes,
    status: FailureStatus,
    reason: str,
    *,
    model: InstrumentModel,
    options: ScanOptions,
    name: str | None = None,
    elapsed_s: float = 0.0,
) -> ScanResult:
    """The result of a photo that gave no answer, with the reason for a person."""
    return ScanResult(
        source=source_label(source, name), status=status, reason=reason,
        model_id=model.model_id, model_assumed=options.model_id is None, serial=None,
        guess=None, confidence=0.0, problems=(), label_quad=None, estimate=None,
        candidates=0, elapsed_s=elapsed_s,
    )


def _second_looks(
    candidates: tuple[LabelRegion, ...], checks: list[SerialCheck], model: InstrumentModel
) -> list[_Look]:
    """What to read after the first look at every candidate gave no sure serial, judged
    from what that first look found."""
    _, second, third = TEXT_HEIGHTS
    if _serial_read(checks):
        # The second looks are for labels no region gave, not for another reading of
        # this one.
        return []
    looks = _surroundings_looks(checks, model)
    # Tesseract's line finding fails on some labels at one text height and not another;
    # the best-ranked regions get a second try, and the best two of them a third, unless
    # they read as plain words already.
    plain = {
        check.reading.crop.rank for check in checks
        if check.reading is not None and check.reading.plain_words
    }
    retried = [(rank, region) for rank, region in enumerate(candidates[:_SECOND_TRY])
               if rank not in plain]
    looks += [((region, rank, second),) for rank, region in retried]
    looks += [((region, rank, third),) for rank, region in retried if rank < _THIRD_TRY]
    return looks


def _surroundings_looks(checks: list[SerialCheck], model: InstrumentModel) -> list[_Look]:
    """Looks at the surroundings of the regions whose numbers ``checks`` found worth one.

    A number with no wording may have its "SERIAL NO." just out of its region.  One with
    wording, read unsurely, is worth a look in its surroundings too: the wider crop is
    scaled, thresholded and laid out afresh, and reads some numbers its region's crops
    garbled.  So is a number after wording too short for a serial: the region may end
    inside it (print beside it, a barcode, taken for another block).  So is serial wording
    with no number after it where its crop ends: a panel legend beside a small sticker,
    taken into its block, can end the region just past the wording.

    Each is looked at with only the lines above and below it added first, then with its
    line widened too: the wider crop takes in more of the panel round a small sticker,
    whose print and texture can keep Tesseract from finding the label's lines at all.  A
    number with no wording has its own line, widened along it alone, looked at before
    those: a faint "No." beside it on a plate can read only where glare, the plate's
    edge and texture above and below are left out.
    """
    first, second, _ = TEXT_HEIGHTS
    looks: list[_Look] = []
    worth_a_wider_look = [*_serial_shaped_numbers(checks, model), *_cut_short(checks, model),
                          *_wording_running_off(checks)]
    for check in worth_a_wider_look[:_SURROUNDINGS_READ]:
        crop = check.reading.crop if check.reading is not None else None
        if crop is not None:
            wider = surroundings_of(crop.region, along=_ALONG, across=_ACROSS)
            near = surroundings_of(crop.region, along=_ALONG_NEAR, across=_ACROSS)
            if check.label_word is None:
                line = surroundings_of(crop.region, along=_ALONG, across=_ACROSS_LINE)
                looks += [((line, crop.rank, first),), ((near, crop.rank, first),),
                          ((wider, crop.rank, first), (wider, crop.rank, second))]
            else:
                looks += [((near, crop.rank, first),), ((wider, crop.rank, first),)]
    return looks


def _not_looked_around(checks: Sequence[SerialCheck]) -> list[SerialCheck]:
    """Of ``checks``, those of a region's own crops whose surroundings none of ``checks``
    looked at."""
    around = {check.reading.crop.rank for check in checks
              if check.reading is not None and check.reading.crop.region.surroundings}
    return [check for check in checks
            if check.reading is not None and check.reading.crop.rank not in around
            and not check.reading.crop.region.surroundings]


def _in_unturned_photo(
    reading: OcrReading, image: LoadedImage, first: Sequence[OcrReading], found: int
) -> OcrReading:
    """``reading``, made in ``image`` turned half a turn, placed in ``image``: its region
    turned back, the other way up, and ranked as the first reading's region its text
    lies in (a label is one place, however often it is read), else after all ``found``
    regions, so that the checks of one place compare its readings from both."""
    region = turned_back(reading.crop.region, image)
    middle = np.mean(np.array(region.text_quad, np.float32), axis=0)
    ranks = [earlier.crop.rank for earlier in first
             if cv2.pointPolygonTest(np.array(earlier.crop.region.quad, np.float32),
                                     (float(middle[0]), float(middle[1])), False) >= 0]
    rank = ranks[0] if ranks else found + reading.crop.rank
    return replace(reading, crop=replace(reading.crop, region=region, rank=rank),
                   upside_down=not reading.upside_down, photo_turned=True)


def _sighted_places(checks: Sequence[SerialCheck], model: InstrumentModel) -> list[LabelRegion]:
    """The regions of the crops that read a number after serial wording or of a serial's
    shape (see :func:`sighted`)."""
    return [check.reading.crop.region for check in checks
            if check.reading is not None and sighted(check, model)]


def _turned_at_places(
    turned: LocatedLabels, image: LoadedImage, places: Sequence[Sequence[LabelRegion]]
) -> LocatedLabels:
    """Of the regions found in ``image`` turned half a turn (``turned``), those lying at
    any of ``places`` (regions of ``image``, in groups in order of precedence): those at
    the first group's, in their order, then those at the next group's only, and so on.

    Only so many regions are read: a later group's must not push an earlier one's out."""
    backs = [turned_back(region, image) for region in turned.regions]  # once each
    kept: list[LabelRegion] = []
    for group in places:
        kept += [region for region, back in zip(turned.regions, backs, strict=True)
                 if region not in kept and any(overlapping(back, place) for place in group)]
    return LocatedLabels(tuple(kept))


def _all_of(
    look: Callable[[LoadedImage, _Look, tuple[OcrReading, ...]], Iterator[OcrReading]],
    image: LoadedImage,
    steps: _Look,
    before: tuple[OcrReading, ...],
) -> list[OcrReading]:
    """Every reading of a look, for a reading thread to hand back at once."""
    return list(look(image, steps, before))


def _settled(check: SerialCheck) -> bool:
    return check.status == "valid" and check.confidence >= _SURE_ENOUGH


def _serial_read(checks: Sequence[SerialCheck]) -> bool:
    """Whether some region gave a serial, if not surely enough to stop at once: further
    looks (second looks, the finer search) are for labels no region gave."""
    return any(check.status == "valid" for check in checks)


def _serial_shaped_numbers(
    checks: list[SerialCheck], model: InstrumentModel
) -> list[SerialCheck]:
    """Checks of serial-shaped numbers not read surely enough to report: those that lacked
    serial wording first, then the rest; surest first within each."""
    unsure = [
        check for check in checks
        if check.status == "unreadable" and serial_shaped(check, model)
    ]
    return sorted(unsure, key=lambda check: (check.label_word is None, check.confidence),
                  reverse=True)


def _cut_short(checks: list[SerialCheck], model: InstrumentModel) -> list[SerialCheck]:
    """Checks of numbers read after serial wording with fewer digits than any serial of
    the model has, and of bare numbers one digit short of that; surest first.

    A region can end inside a label's number, its wording and first digit left outside
    (the sticker's outline not found, the number's line found as a block of its own with
    a glyph half lost in grain): the bare number read there is one digit short.
    """
    fewest = model.serial_format.fewest_digits
    if fewest is None:
        return []
    short = [
        check for check in checks
        if check.status == "unreadable" and check.guess is not None and check.guess.isdigit()
        and (len(check.guess) < fewest if check.label_word is not None
             else len(check.guess) == fewest - 1)
    ]
    return sorted(short, key=lambda check: check.confidence, reverse=True)


def _wording_running_off(checks: list[SerialCheck]) -> list[SerialCheck]:
    """Checks of readings with serial wording and no number after it, the place after it
    running off the crop."""
    return [check for check in checks
            if check.reading is not None and check.reading.wording_runs_off
            and check.status != "valid"]


def _status(
    best: SerialCheck | None, candidates: int, model: InstrumentModel
) -> tuple[ScanStatus, str]:
    if best is None:
        if candidates == 0:
            return "no-label", "no text that could be a label was found in the photo"
        return "no-label", "no candidate label could be read"
    if best.status == "valid":
        return "read", f"serial read after {best.label_word!r}"
    if best.status == "invalid":
        if best.other_schemes:
            return "invalid", f"not a {model.name} serial: {best.other_schemes[0].summary}"
        return "invalid", "; ".join(best.problems)
    if best.status == "unreadable" and sighted(best, model):
        return "unreadable", "a number was seen but not read reliably: " + "; ".join(
            best.problems
        )
    return "no-label", f"no {model.name} serial label found in the photo"
