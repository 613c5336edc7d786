"""Estimate when a unit was made from its serial number: an honest month range.

Serials of the instruments covered here are running counts with no date digits, so the
date comes from *anchors*: serials with a dated claim, each tagged with a reliability
(see :mod:`stickerscan.catalogue`).  The production start counts as an anchor for serial 0.

Method
------
* Between two anchors, the month is interpolated in a straight line (serial → month),
  separately for the anchors' earliest months, latest months and midpoints; the midpoint
  line gives the most likely month.
* The range is then widened by a margin: a base that depends on the anchors' reliability
  (blended between the two anchors by position) plus a drift that grows with the distance
  to the nearer anchor (see the constants below for the numbers and why).
* Past the highest anchor, the month is extrapolated at the rate of the last stretch
  between two anchors, and the range is left open up to the end of production.
* With no dated serial at all, the range is the whole production window.
* Everything is clamped to the model's production window; the unclamped values are kept
  for the verdict, so clamping never hides a disagreement.
* Last, the user's own observations (the calibration overlay, see
  :mod:`stickerscan.calibrate`) cut the range: assuming numbers were given out in
  production order, a higher-numbered unit that existed by a month puts that month as the
  latest, and a lower-numbered unit made after a month puts it as the earliest.  Cutting
  only ever narrows a range; an observation that would leave nothing is not applied and is
  reported instead.

All arithmetic is exact (:class:`fractions.Fraction`), so results can be derived by hand:
earliest = floor(low - margin), latest = ceil(high + margin), most likely = centre
rounded half up, in months since year 0 (:meth:`YearMonth.ordinal`).
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from stickerscan.catalogue import (
    Anchor,
    InstrumentModel,
    Observation,
    ProductionWindow,
    Reliability,
    YearMonth,
    weakest,
)
from stickerscan.validate import SerialCheck

log = logging.getLogger(__name__)

Verdict = Literal["consistent", "needs review", "inconsistent"]
"""How the serial and its date fit the model: production window and reported serials."""

BASE_MARGIN_MONTHS: Final[Mapping[Reliability, int]] = {"A": 1, "B": 3, "C": 6, "R": 9}
"""Months added on each side of a range, by the reliability of the anchor it rests on.

Why these numbers: an A claim (a dated review or trade-show appearance) pins a month, but
units are made a little before they are reviewed or sold, so ±1. B sources (encyclopaedias,
retrospectives) usually give a year or a season, so ±3 (a quarter). A C claim is one
owner's or one forum post's recollection, so ±6 (half a year). An R claim is unconfirmed
by anything independent, so ±9, approaching a whole year either way.
"""

DRIFT: Final = Fraction(1, 4)
"""Extra margin, as a fraction of the months interpolated from the nearer anchor.

Why: production did not run at a steady rate (launch ramp-up, peak years, run-down), so a
straight line between two dated serials can be off in the middle; allowing a quarter of
the distance (in months) to the nearer anchor keeps the range honest there, and zero at
the anchors themselves.
"""

@dataclass(frozen=True, slots=True)
class DateEstimate:
    """When a unit was probably made, with the evidence and a verdict."""

    model_id: str
    """The instrument model the estimate is for."""
    serial: int
    """The serial number as an integer."""
    earliest: YearMonth
    """First month of the range the unit was probably made in."""
    latest: YearMonth
    """Last month of that range."""
    most_likely: YearMonth
    """The single most likely month (still only an estimate: show the range)."""
    anchors: tuple[Anchor, ...]
    """The anchors the estimate rests on: the serial's own anchor, the two that bracket it,
    or, past the highest anchor, the last two (their rate is extrapolated).  Serial 0 is the
    production start."""
    reliability: Reliability
    """The weakest tag among ``anchors``."""
    unverified: bool
    """True when it rests on a C or R claim: every report must say so."""
    verdict: Verdict
    """``consistent``, ``needs review`` or ``inconsistent`` against the model's production
    window and the serials reported for it."""
    basis: str
    """One sentence: how the range was obtained, naming the anchors and their tags."""
    notes: tuple[str, ...]
    """Caveats and the reasons for the verdict, then the model's own notes."""
    observations: tuple[Observation, ...] = ()
    """The user's observations (calibration overlay) that cut the range."""
    outside: Literal["before", "after"] | None = None
    """Set when the dated serials put the number entirely before the start or after the end
    of production: no month of it fits, and ``earliest`` to ``latest`` is only that edge
    (the range cut to the production window), not a date."""

    def to_dict(self) -> dict[str, object]:
        return {
            "model_id": self.model_id,
            "serial": self.serial,
            "earliest": str(self.earliest),
            "latest": str(self.latest),
            "most_likely": str(self.most_likely),
            "anchors": [anchor.to_dict() for anchor in self.anchors],
            "reliability": self.reliability,
            "unverified": self.unverified,
            "verdict": self.verdict,
            "basis": self.basis,
            "notes": list(self.notes),
            "observations": [observation.to_dict() for observation in self.observations],
            "outside_production": self.outside,
        }


@dataclass(frozen=True, slots=True)
class _Position:
    """Where a serial falls among the anchors, before rounding and clamping (months)."""

    kind: Literal["at", "between", "beyond", "window"]
    """On an anchor, between two, past the highest one, or (no anchors) anywhere in the
    production window."""
    anchors: tuple[Anchor, ...]
    """The anchors used, sorted by serial."""
    low: Fraction
    """Interpolated earliest month."""
    high: Fraction
    """Interpolated latest month."""
    centre: Fraction
    """Interpolated most likely month."""
    margin: Fraction
    """Months to add on each side."""


def estimate_serial(check: SerialCheck, model: InstrumentModel) -> DateEstimate | None:
    """Stage 6: the date estimate for a checked serial, when one can be given.

    ``None`` when the serial is not valid for the model, when it is another scheme's (an
    older Korg serial, a software code: never dated as the model's), when the model has no
    dating rules (``generic``), or when the serial holds no running number.
    """
    if check.status != "valid" or check.serial is None or check.other_schemes:
        return None
    number = model.serial_format.running_number(check.serial)
    if number is None or not model.can_be_dated:
        return None
    return estimate_date(number, model)


def estimate_date(serial: int, model: InstrumentModel) -> DateEstimate:
    """Estimate the production month range of unit ``serial`` of ``model``.

    Verdict: ``inconsistent`` for serial 0, for a serial more than 1.2 times the highest
    reported number, or when the whole (unclamped) range lies outside the production
    window; ``needs review`` for a serial above the highest reported number, when the most
    likely month (unclamped) lies outside the window, or when every anchor used is an R
    claim and the range reaches past an edge of the window; ``consistent`` otherwise.

    Raises
    ------
    ValueError
        ``serial`` is negative (a programming error: serials come from digit strings), or
        the model has no production window (check :attr:`InstrumentModel.can_be_dated`).
    """
    if isinstance(serial, bool) or serial < 0:
        raise ValueError(f"a serial number cannot be negative or a bool: {serial!r}")
    window = model.production
    if window is None:
        raise ValueError(f"{model.model_id} has no production window, so no dates")
    start_o, end_o = window.start.ordinal(), window.end_latest.ordinal()
    position = (
        _position(serial, (start_anchor(model), *model.anchors))
        if model.anchors else _whole_window(model, window)
    )

    lower, upper = position.low - position.margin, position.high + position.margin
    earliest_o, latest_o = math.floor(lower), math.ceil(upper)
    most_o = math.floor(position.centre + Fraction(1, 2))
    shown_latest_o = max(latest_o, end_o) if position.kind == "beyond" else latest_o

    reliability = weakest(anchor.reliability for anchor in position.anchors)
    unverified = reliability in ("C", "R")
    r_only = all(anchor.reliability == "R" for anchor in position.anchors)
    limit = model.serial_format.max_reported

    notes: list[str] = []
    inconsistent = review = False
    outside: Literal["before", "after"] | None = None
    if serial == 0:
        inconsistent = True
        notes.append("Serial 0 is not a plausible unit number.")
    if limit is not None and model.serial_format.far_beyond_reported(serial):
        inconsistent = True
        notes.append(
            f"Serial {serial} is more than 20% above {limit}, the highest number reported: "
            "far beyond anything reported for this model."
        )
    elif limit is not None and serial > limit:
        review = True
        notes.append(
            f"Serial {serial} is above {limit}, the highest number reported; check the "
            "reading and the model."
        )
    if earliest_o > end_o or latest_o < start_o:
        inconsistent = True
        outside = "after" if earliest_o > end_o else "before"
        notes.append(
            "The dated serials put this number entirely "
            + ("after the end" if outside == "after" else "before the start")
            + f" of production ({window.start} to {window.end_latest})."
        )
    elif most_o < start_o or most_o > end_o:
        review = True
        notes.append(
            "The dated serials put this number most likely "
            + ("before the start" if most_o < start_o else "after the end")
            + f" of production ({window.start} to {window.end_latest}); the dates shown are "
            "cut to the production window."
        )
    else:
        if earliest_o < start_o:
            notes.append(f"The range is cut at the start of production ({window.start}).")
        if shown_latest_o > end_o:
            notes.append(f"The range is cut at the end of production ({window.end_latest}).")
    if position.kind == "beyond":
        notes.append(
            f"Serial {serial} is above the highest dated serial ({position.anchors[-1].serial}):"
            " the date is extrapolated and the range is left open to the end of production."
        )
    if r_only and (earliest_o < start_o or latest_o > end_o) and not inconsistent:
        review = True
        notes.append(
            "Every claim this estimate rests on is unconfirmed (R) and its range reaches the "
            "edge of the production window: review before relying on it."
        )
    if unverified:
        notes.append(
            f"This estimate rests on unconfirmed claims (weakest tag {reliability}): treat the "
            "dates as a rough guide, not a fact."
        )
    earliest_o = _clamp(earliest_o, start_o, end_o)
    latest_o = _clamp(shown_latest_o, start_o, end_o)
    most_o = _clamp(most_o, start_o, end_o)
    # Only an observation tighter than the dated serials cuts (and is named in a note).
    cut = tuple(
        o for o in _observed_bounds(serial, model.observations)
        if (o.date.ordinal() > earliest_o if o.meaning == "made-after"
            else o.date.ordinal() < latest_o)
    )
    cut_earliest = max([earliest_o] + [o.date.ordinal() for o in cut if o.meaning == "made-after"])
    cut_latest = min([latest_o] + [o.date.ordinal() for o in cut if o.meaning == "existed-by"])
    if cut_earliest <= cut_latest:
        earliest_o, latest_o = cut_earliest, cut_latest
        most_o = _clamp(most_o, earliest_o, latest_o)
        notes += [_observation_note(observation) for observation in cut]
    else:
        review = True
        observed = "; ".join(_observation_text(observation) for observation in cut)
        dated = window_text(earliest_o, latest_o)
        notes.append(
            f"Your observations ({observed}) contradict the dated serials, which put this "
            f"number in {dated}: they are not applied; check them and the catalogue."
        )
        cut = ()
    notes.extend(model.notes)

    verdict: Verdict = (
        "inconsistent" if inconsistent else "needs review" if review else "consistent"
    )
    estimate = DateEstimate(
        model_id=model.model_id,
        serial=serial,
        earliest=YearMonth.from_ordinal(earliest_o),
        latest=YearMonth.from_ordinal(latest_o),
        most_likely=YearMonth.from_ordinal(most_o),
        anchors=position.anchors,
        reliability=reliability,
        unverified=unverified,
        verdict=verdict,
        basis=_basis(position, window),
        notes=tuple(notes),
        observations=cut,
        outside=outside,
    )
    log.debug("serial %d of %s: %s", serial, model.model_id, estimate)
    return estimate


def window_text(earliest: int, latest: int) -> str:
    """``1990-02 to 1991-10`` for two month ordinals."""
    return f"{YearMonth.from_ordinal(earliest)} to {YearMonth.from_ordinal(latest)}"


def _observed_bounds(serial: int, observations: tuple[Observation, ...]) -> tuple[Observation, ...]:
    """The observations that bound ``serial``: the earliest-dated unit at or above it that
    existed by its date, and the latest-dated unit at or below it made after its date."""
    existed = [o for o in observations if o.meaning == "existed-by" and o.number >= serial]
    made = [o for o in observations if o.meaning == "made-after" and o.number <= serial]
    chosen = []
    if made:
        chosen.append(max(made, key=lambda o: (o.date, o.number)))
    if existed:
        chosen.append(min(existed, key=lambda o: (o.date, -o.number)))
    return tuple(chosen)


def _observation_text(observation: Observation) -> str:
    verb = "existed by" if observation.meaning == "existed-by" else "was made after"
    return f"serial {observation.serial} {verb} {observation.date}, {observation.source}"


def _observation_note(observation: Observation) -> str:
    edge = "latest" if observation.meaning == "existed-by" else "earliest"
    return (
        f"The {edge} month comes from your own observation: {_observation_text(observation)} "
        "(calibration overlay; assumes numbers were given out in production order)."
    )


def start_anchor(model: InstrumentModel) -> Anchor:
    """The production start as an anchor for serial 0, with the window's tag and source.

    Raises
    ------
    ValueError
        The model has no production window.
    """
    window = model.production
    if window is None:
        raise ValueError(f"{model.model_id} has no production window, so no dates")
    return Anchor(
        serial=0,
        earliest=window.start,
        latest=window.start,
        reliability=window.reliability,
        source=window.source,
        claim=(
            f"Production of the {model.name} started in {window.start}; numbering is taken "
            "to start there."
        ),
    )


def _whole_window(model: InstrumentModel, window: ProductionWindow) -> _Position:
    """With no dated serial, any month of the production window is as likely as any."""
    start, end = window.start.ordinal(), window.end_latest.ordinal()
    return _Position(
        kind="window",
        anchors=(start_anchor(model),),
        low=Fraction(start),
        high=Fraction(end),
        centre=Fraction(start + end, 2),
        margin=Fraction(0),
    )


def _position(serial: int, points: tuple[Anchor, ...]) -> _Position:
    """Interpolate (or extrapolate) ``serial`` among ``points`` (sorted, first at 0)."""
    index = bisect_right([point.serial for point in points], serial) - 1
    here = points[index]
    if here.serial == serial:
        return _Position(
            kind="at",
            anchors=(here,),
            low=Fraction(here.earliest.ordinal()),
            high=Fraction(here.latest.ordinal()),
            centre=_mid(here),
            margin=Fraction(BASE_MARGIN_MONTHS[here.reliability]),
        )
    if index == len(points) - 1:
        previous = points[index - 1]
        rate = (_mid(here) - _mid(previous)) / (here.serial - previous.serial)
        shift = rate * (serial - here.serial)
        return _Position(
            kind="beyond",
            anchors=(previous, here),
            low=here.earliest.ordinal() + shift,
            high=here.latest.ordinal() + shift,
            centre=_mid(here) + shift,
            margin=BASE_MARGIN_MONTHS[here.reliability] + DRIFT * shift,
        )
    after = points[index + 1]
    t = Fraction(serial - here.serial, after.serial - here.serial)
    base_here = BASE_MARGIN_MONTHS[here.reliability]
    base_after = BASE_MARGIN_MONTHS[after.reliability]
    months_to_nearer = min(t, 1 - t) * (_mid(after) - _mid(here))
    return _Position(
        kind="between",
        anchors=(here, after),
        low=_lerp(here.earliest.ordinal(), after.earliest.ordinal(), t),
        high=_lerp(here.latest.ordinal(), after.latest.ordinal(), t),
        centre=_lerp(_mid(here), _mid(after), t),
        margin=_lerp(base_here, base_after, t) + DRIFT * months_to_nearer,
    )


def _basis(position: _Position, window: ProductionWindow) -> str:
    margin = f"±{float(position.margin):.1f} months"
    if position.kind == "window":
        return (
            f"No dated serials are known for this model, so the range is its whole "
            f"production window, {window.start} to {window.end_latest} (tag "
            f"{window.reliability})."
        )
    if position.kind == "at":
        (anchor,) = position.anchors
        return (
            f"Serial {_describe(anchor)} is itself a dated serial; its date is widened by "
            f"{margin} for its tag."
        )
    first, second = position.anchors
    if position.kind == "between":
        return (
            f"Interpolated in a straight line between serial {_describe(first)} and serial "
            f"{_describe(second)}, then widened by {margin} for the tags and the distance "
            "to the nearer of them."
        )
    return (
        f"Extrapolated past the highest dated serial, serial {_describe(second)}, at the "
        f"rate between it and serial {_describe(first)}, widened by {margin} and left open "
        f"to the end of production ({window.end_latest})."
    )


def _describe(anchor: Anchor) -> str:
    """``100000 (1990-11; tag R)``: an anchor's serial, months and tag, for the basis."""
    if anchor.earliest == anchor.latest:
        when = f"{anchor.earliest}"
    else:
        when = f"{anchor.earliest} to {anchor.latest}"
    if anchor.serial == 0:
        when = f"start of production, {when}"
    return f"{anchor.serial} ({when}; tag {anchor.reliability})"


def _mid(anchor: Anchor) -> Fraction:
    return Fraction(anchor.earliest.ordinal() + anchor.latest.ordinal(), 2)


def _lerp(a: Fraction | int, b: Fraction | int, t: Fraction) -> Fraction:
    return a + t * (b - a)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
