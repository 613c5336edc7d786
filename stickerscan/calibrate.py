"""Calibration: a user's own dated serials, checked and turned into a catalogue overlay.

``stickerscan calibrate dated.csv`` reads observations (model, serial, date, source and
optionally their meaning) from a CSV file, for example from purchase receipts, dated
service records or date codes on parts inside a unit.  Each observation is checked on its
own (a known model with dating rules, a serial of the model's format, a month inside the
production window), against the catalogue's dated serials, and against the others:

* ``existed-by`` (the default: a receipt, a service record, a dated photo): the unit had
  been made by that month, and so, numbers being given out in production order, had every
  lower number.
* ``made-after`` (a date code on a part inside): the unit was made in or after that month,
  and so was every higher number.

A made-after date later than an existed-by date of a higher (or equal) number cannot both
be right; both are left out.  A much lower number with a date a year or more later than
another's adds nothing (the higher number's date already bounds it: typically a resold or
serviced unit) and may be a typing slip, so it is flagged and left out too.  The accepted
observations are written to the overlay file, which the estimator then uses to cut date
ranges (see :mod:`stickerscan.estimate`); the result says how much each range narrowed.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from stickerscan.catalogue import (
    OBSERVATION_MEANINGS,
    Catalogue,
    InstrumentModel,
    Observation,
    ObservationMeaning,
    YearMonth,
)
from stickerscan.errors import BadInputError
from stickerscan.estimate import estimate_date
from stickerscan.overlay import overlay_text
from stickerscan.validate import check_typed_serial

log = logging.getLogger(__name__)

REQUIRED_COLUMNS: Final = ("model", "serial", "date", "source")
OPTIONAL_COLUMNS: Final = ("meaning",)

LOOK_CLOSER_MONTHS: Final = 12
"""A lower number dated this many months or more after a higher one is flagged."""


@dataclass(frozen=True, slots=True)
class FlaggedRow:
    """A CSV row left out of the overlay, and why."""

    line: int
    """Line number in the CSV file (the header is line 1)."""
    serial: str
    """The serial as written in the row (may be empty or malformed)."""
    problem: str
    """Why it was left out, in words for the user."""

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "serial": self.serial, "problem": self.problem}


@dataclass(frozen=True, slots=True)
class Narrowing:
    """One serial's date range before and after the observations."""

    model_id: str
    """The instrument model."""
    serial: str
    """The serial (an observed one, a reported one or an anchor's)."""
    before: tuple[YearMonth, YearMonth]
    """(earliest, latest) from the catalogue alone."""
    after: tuple[YearMonth, YearMonth]
    """(earliest, latest) with the accepted observations."""

    @property
    def months_narrowed(self) -> int:
        """How many months shorter the range is now (never negative)."""
        return _months(self.before) - _months(self.after)

    def to_dict(self) -> dict[str, object]:
        return {
            "model_id": self.model_id,
            "serial": self.serial,
            "before": [str(self.before[0]), str(self.before[1])],
            "after": [str(self.after[0]), str(self.after[1])],
            "months_narrowed": self.months_narrowed,
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """The outcome of checking a CSV file of observations."""

    source: str
    """The CSV file."""
    accepted: tuple[Observation, ...]
    """Observations that passed every check, in file order."""
    flagged: tuple[FlaggedRow, ...]
    """Rows left out, in file order."""
    narrowing: tuple[Narrowing, ...]
    """Ranges before and after, per model and serial."""

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "accepted": [observation.to_dict() for observation in self.accepted],
            "flagged": [row.to_dict() for row in self.flagged],
            "narrowing": [row.to_dict() for row in self.narrowing],
        }


def calibrate(csv_path: Path, catalogue: Catalogue) -> Calibration:
    """Read and check the observations of ``csv_path`` against ``catalogue`` (the shipped
    one, without any earlier overlay: the CSV file is the whole list).

    Raises
    ------
    BadInputError
        The file cannot be read, is not UTF-8 CSV, or lacks a required column.
    """
    rows, flagged = read_observations(csv_path, catalogue)
    accepted, conflicts = check_observations(rows, catalogue)
    flagged_rows = sorted([*flagged, *conflicts], key=lambda row: row.line)
    kept = tuple(observation for observation, _ in accepted)
    return Calibration(
        source=str(csv_path),
        accepted=kept,
        flagged=tuple(flagged_rows),
        narrowing=narrowing(catalogue, kept),
    )


def write_overlay(calibration: Calibration, overlay_path: Path) -> None:
    """Write the accepted observations to ``overlay_path``, replacing any earlier overlay.

    Raises
    ------
    BadInputError
        The file cannot be written.
    """
    try:
        overlay_path.parent.mkdir(parents=True, exist_ok=True)
        overlay_path.write_text(overlay_text(calibration.accepted, calibration.source),
                                encoding="utf-8")
    except OSError as exc:
        raise BadInputError(overlay_path, f"cannot write the overlay: {exc.strerror or exc}"
                            ) from exc
    log.info("wrote %d observations to %s", len(calibration.accepted), overlay_path)


def read_observations(
    csv_path: Path, catalogue: Catalogue
) -> tuple[list[tuple[Observation, int]], list[FlaggedRow]]:
    """Each row as an observation with its line number, or as a flagged row."""
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInputError(csv_path, f"cannot read the file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise BadInputError(csv_path, f"not UTF-8 text: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise BadInputError(
            csv_path,
            f"the first line must name the columns {', '.join(REQUIRED_COLUMNS)} (and "
            f"optionally {', '.join(OPTIONAL_COLUMNS)}); missing: {', '.join(missing)}",
        )
    reader.fieldnames = header
    observations: list[tuple[Observation, int]] = []
    flagged: list[FlaggedRow] = []
    for line, row in enumerate(reader, start=2):
        values = {key: (value or "").strip() for key, value in row.items() if key}
        outcome = _observation(values, catalogue)
        if isinstance(outcome, Observation):
            observations.append((outcome, line))
        else:
            flagged.append(FlaggedRow(line, values.get("serial", ""), outcome))
    return observations, flagged


def check_observations(
    rows: Sequence[tuple[Observation, int]], catalogue: Catalogue
) -> tuple[list[tuple[Observation, int]], list[FlaggedRow]]:
    """Split observations into those consistent with the catalogue and each other, and
    flagged rows (see the module docstring for the rules)."""
    problems: dict[int, str] = {}
    for observation, line in rows:
        problem = _against_catalogue(observation, catalogue.get(observation.model_id))
        if problem:
            problems[line] = problem
    # Rows the catalogue already rules out take no part in judging the others.
    plausible = [(observation, line) for observation, line in rows if line not in problems]
    for (first, first_line), (second, second_line) in _pairs(plausible):
        for line, problem in _against_each_other(first, first_line, second, second_line):
            problems.setdefault(line, problem)
    accepted = [(observation, line) for observation, line in rows if line not in problems]
    flagged = [FlaggedRow(line, observation.serial, problems[line])
               for observation, line in rows if line in problems]
    return accepted, flagged


def narrowing(catalogue: Catalogue, accepted: Iterable[Observation]) -> tuple[Narrowing, ...]:
    """Ranges before and after for every observed, reported and anchor serial of every
    model that has accepted observations."""
    result: list[Narrowing] = []
    observed = list(accepted)
    for model in catalogue.models:
        mine = tuple(sorted((o for o in observed if o.model_id == model.model_id),
                            key=lambda o: (o.number, o.date)))
        if not mine:
            continue
        calibrated = replace(model, observations=mine)
        serials = {o.number: o.serial for o in mine}
        for reported in model.reported_serials:
            number = model.serial_format.running_number(reported.text)
            if number is not None:
                serials.setdefault(number, reported.text)
        for anchor in model.anchors:
            serials.setdefault(anchor.serial, str(anchor.serial))
        for number in sorted(serials):
            before, after = estimate_date(number, model), estimate_date(number, calibrated)
            result.append(Narrowing(
                model_id=model.model_id, serial=serials[number],
                before=(before.earliest, before.latest), after=(after.earliest, after.latest),
            ))
    return tuple(result)


def _observation(values: dict[str, str], catalogue: Catalogue) -> Observation | str:
    """The row as an observation, or what is wrong with it."""
    model_id, serial, date_text = values["model"], values["serial"], values["date"]
    source = values["source"]
    if model_id not in catalogue.ids():
        return f"unknown model {model_id!r}; known models: {', '.join(catalogue.ids())}"
    model = catalogue.get(model_id)
    if not model.can_be_dated:
        return f"{model.name} has no dating rules to calibrate (no production window)"
    check = check_typed_serial(serial, model)
    if check.status != "valid":
        return "; ".join(check.problems) or f"{serial!r} is not a {model.name} serial"
    number = model.serial_format.running_number(serial)
    if number is None:
        return f"{serial!r} holds no running number to date"
    date = _month(date_text)
    if date is None:
        return f"date {date_text!r} must be written YYYY-MM or YYYY-MM-DD"
    meaning_text = values.get("meaning") or "existed-by"
    meaning = next((m for m in OBSERVATION_MEANINGS if m == meaning_text), None)
    if meaning is None:
        return f"meaning {meaning_text!r} must be one of {', '.join(OBSERVATION_MEANINGS)}"
    if not source:
        return "source is empty: say where the date comes from (receipt, service record, ...)"
    return Observation(model_id=model_id, serial=serial, number=number, date=date,
                       meaning=meaning, source=source)


def _month(text: str) -> YearMonth | None:
    try:
        return YearMonth.parse(text[:7] if len(text) == 10 and text[7] == "-" else text)
    except ValueError:
        return None


def _against_catalogue(observation: Observation, model: InstrumentModel) -> str | None:
    """Why ``observation`` cannot be squared with the model's window and dated serials.

    The catalogue's earliest month rises and its latest month falls only between anchors'
    ends, so checking the observed serial and every anchor on the bounded side is enough.
    """
    window = model.production
    if window is None:  # pragma: no cover - rows of undatable models are flagged earlier
        return f"{model.name} has no dating rules"
    date = observation.date
    if observation.meaning == "existed-by" and date < window.start:
        return f"existed by {date}, before production started ({window.start})"
    if observation.meaning == "made-after" and date > window.end_latest:
        return f"made after {date}, after production ended ({window.end_latest})"
    bounded = [observation.number] + [
        anchor.serial for anchor in model.anchors
        if (anchor.serial <= observation.number) == (observation.meaning == "existed-by")
    ]
    for number in bounded:
        estimate = estimate_date(number, model)
        if observation.meaning == "existed-by" and estimate.earliest > date:
            return _contradiction(observation, number, f"no earlier than {estimate.earliest}")
        if observation.meaning == "made-after" and estimate.latest < date:
            return _contradiction(observation, number, f"no later than {estimate.latest}")
    return None


def _contradiction(observation: Observation, number: int, dated: str) -> str:
    verb = _verb(observation.meaning)
    return (
        f"contradicts the catalogue: serial {observation.serial} {verb} {observation.date}, "
        f"but its dated serials put number {number} {dated}; check the row, or the "
        "catalogue's claims"
    )


def _pairs(
    rows: Sequence[tuple[Observation, int]],
) -> Iterable[tuple[tuple[Observation, int], tuple[Observation, int]]]:
    for index, first in enumerate(rows):
        for second in rows[index + 1:]:
            if first[0].model_id == second[0].model_id:
                yield first, second


def _against_each_other(
    first: Observation, first_line: int, second: Observation, second_line: int
) -> list[tuple[int, str]]:
    """Flags for a pair of observations of one model: (line, problem) for each row hit."""
    (low, low_line), (high, high_line) = sorted(
        [(first, first_line), (second, second_line)], key=lambda pair: pair[0].number
    )
    if low.meaning == "made-after" and high.meaning == "existed-by" and low.date > high.date:
        problem = (
            f"cannot both be right: serial {low.serial} {_verb(low.meaning)} {low.date} "
            f"(line {low_line}), yet the higher serial {high.serial} {_verb(high.meaning)} "
            f"{high.date} (line {high_line})"
        )
        return [(low_line, problem), (high_line, problem)]
    gap = low.date.ordinal() - high.date.ordinal()
    if low.meaning == high.meaning and low.number < high.number and gap >= LOOK_CLOSER_MONTHS:
        # Which of the two adds nothing depends on the meaning: a late existed-by of a low
        # number is bounded by the higher one's; an early made-after of a high number by
        # the lower one's.
        idle, idle_line, other, other_line = (
            (low, low_line, high, high_line) if low.meaning == "existed-by"
            else (high, high_line, low, low_line)
        )
        problem = (
            f"look closer: serial {low.serial} is dated {low.date}, {gap} months after the "
            f"much higher serial {high.serial} ({high.date}); serial {idle.serial} adds "
            f"nothing beyond line {other_line} (serial {other.serial}), and a typing slip "
            "in either row is possible"
        )
        return [(idle_line, problem)]
    return []


def _verb(meaning: ObservationMeaning) -> str:
    return "existed by" if meaning == "existed-by" else "was made after"


def _months(span: tuple[YearMonth, YearMonth]) -> int:
    return span[1].ordinal() - span[0].ordinal() + 1
