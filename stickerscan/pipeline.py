"""The only place the stages meet: load → locate → enhance → read → check → estimate."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, get_args

from stickerscan.catalogue import DEFAULT_MODEL_ID, Catalogue, InstrumentModel, load_catalogue
from stickerscan.enhance import enhance_region
from stickerscan.errors import BadInputError
from stickerscan.estimate import DateEstimate, estimate_date
from stickerscan.load import LoadedImage, load_image, source_label
from stickerscan.locate import LabelRegion, Quad, locate_labels
from stickerscan.ocr import OcrEngine, make_engine
from stickerscan.options import ScanOptions
from stickerscan.read import OcrReading, read_label
from stickerscan.validate import SerialCheck, check_reading

log = logging.getLogger(__name__)

FailureStatus = Literal["bad-input", "timed-out", "crashed"]
"""Statuses of a photo that gave no answer at all; the result's ``reason`` says why."""
ScanStatus = Literal["read", "invalid", "unreadable", "no-label", FailureStatus]
FAILURE_STATUSES: Final = frozenset(get_args(FailureStatus))

# A labelled serial read this surely ends the search; weaker ones let the next candidate
# region be read too, in case it is the real label.
_SURE_ENOUGH = 0.9


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
    """How many candidate label regions were found (not all are read)."""
    elapsed_s: float
    image: LoadedImage | None = field(repr=False, compare=False, default=None)
    readings: tuple[OcrReading, ...] = field(repr=False, compare=False, default=())

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
            "serial": self.serial,
            "guess": self.guess,
            "confidence": round(self.confidence, 3),
            "problems": list(self.problems),
            "label_quad": (
                [[round(x, 1), round(y, 1)] for x, y in self.label_quad]
                if self.label_quad else None
            ),
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "image": self.image.to_dict() if self.image else None,
            "candidates": self.candidates,
            "readings": [reading.to_dict() for reading in self.readings],
            "elapsed_s": round(self.elapsed_s, 4),
        }


class Scanner:
    """Reads serial labels from photos; holds the OCR engine and the catalogue.

    One scanner per process (the in-process OCR engine is not thread-safe).
    """

    def __init__(
        self,
        options: ScanOptions | None = None,
        *,
        engine: OcrEngine | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.options = options or ScanOptions()
        self.catalogue = catalogue or load_catalogue()
        self.model = self.catalogue.get(self.options.model_id or DEFAULT_MODEL_ID)
        self.engine = engine or make_engine(self.options)

    def scan(self, source: Path | str | bytes, *, name: str | None = None) -> ScanResult:
        """Read one photo.  Raises :class:`BadInputError` for a file that is not usable."""
        started = time.perf_counter()
        image = load_image(source, self.options, name=name)
        located = locate_labels(image, self.options)
        readings: list[OcrReading] = []
        checks: list[SerialCheck] = []
        for rank, region in enumerate(located.regions[: self.options.max_candidates]):
            crop = enhance_region(image, region, rank)
            reading = read_label(crop, self.engine, self.model.label_words)
            readings.append(reading)
            checks.append(check_reading(reading, self.model, self.options))
            if checks[-1].status == "valid" and checks[-1].confidence >= _SURE_ENOUGH:
                break
        best = max(checks, key=lambda check: check.rank_key, default=None)
        return self._result(image, best, len(located.regions), readings, started)

    def scan_as_row(self, source: Path | str | bytes, *, name: str | None = None) -> ScanResult:
        """Read one photo; whatever goes wrong with it becomes the result's status.

        A file that cannot be used gives ``bad-input``; any other failure (a bug, or a
        decoder running out of memory) gives ``crashed``, logged with its traceback, so
        that a batch always gets one result a photo and goes on.
        """
        started = time.perf_counter()
        try:
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

    def _result(
        self,
        image: LoadedImage,
        best: SerialCheck | None,
        candidates: int,
        readings: list[OcrReading],
        started: float,
    ) -> ScanResult:
        model = self.model
        estimate = None
        if best is not None and best.status == "valid" and best.serial is not None:
            estimate = estimate_date(int(best.serial), model)
        status, reason = _status(best, candidates, model)
        region: LabelRegion | None = (
            best.reading.crop.region if best is not None and best.reading is not None else None
        )
        return ScanResult(
            source=image.source,
            status=status,
            reason=reason,
            model_id=model.model_id,
            model_assumed=self.options.model_id is None,
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
            image=image,
            readings=tuple(readings),
        )



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


def _fits(check: SerialCheck, model: InstrumentModel) -> bool:
    """An unlabelled guess still counts as a sighting when it has the serial's shape."""
    guess = check.guess
    return guess is not None and re.fullmatch(model.serial_format.pattern, guess) is not None


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
        return "invalid", "; ".join(best.problems)
    if best.status == "unreadable" and (best.label_word is not None or _fits(best, model)):
        return "unreadable", "a number was seen but not read reliably: " + "; ".join(
            best.problems
        )
    return "no-label", f"no {model.name} serial label found in the photo"
