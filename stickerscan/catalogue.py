"""The catalogue of instrument models: what stickerscan knows of each model it reads.

Each instrument model (e.g. the Korg M1) is described by one data file (see
:mod:`stickerscan.catalogue_files`, which reads them): the model's names, what its serial
label looks like, the serial format, the production window and the *anchors*: serial
numbers with a dated claim, each carrying its reliability tag and source.
``models/README.md`` documents the fields.

"Model" here always means an instrument model, never a machine-learning model.

Reliability tags, strongest first:

``A``
    a contemporary magazine or careful primary research;
``B``
    an encyclopaedia or a secondary write-up;
``C``
    one owner's or forum report;
``R``
    reported only in the product brief, not confirmed by any independent source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final, Literal

from stickerscan.errors import UnknownModelError, UsageError

Reliability = Literal["A", "B", "C", "R"]
"""How far a claim can be trusted: A contemporary magazine / primary research; B
encyclopaedia / secondary; C one owner or forum report; R only in the product brief,
unconfirmed."""

RELIABILITY_TAGS: Final[tuple[Reliability, ...]] = ("A", "B", "C", "R")
"""The tags, strongest first (the index is a weakness rank)."""

DEFAULT_MODEL_ID: Final = "korg-m1"
"""The instrument model assumed when none is given (reported as an assumption)."""

GENERIC_MODEL_ID: Final = "generic"
"""The catalogue entry for any product's serial label (no dates)."""

BEYOND_REPORTED_FACTOR: Final = Fraction(6, 5)
"""A number more than this times the highest reported one is far beyond anything reported
for the model (20 % headroom: 'about 250,000 made' is itself approximate)."""

_YEAR_MONTH_RE: Final = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


# --------------------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """A calendar month: dates here are never more precise than that."""

    year: int
    """Four-digit year, 0 to 9999."""
    month: int
    """1 (January) to 12 (December)."""

    def __post_init__(self) -> None:
        if not 0 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is outside 0 to 9999")
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is outside 1 to 12")

    def ordinal(self) -> int:
        """Months since January of year 0, for arithmetic."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_ordinal(cls, n: int) -> YearMonth:
        """The month ``n`` months after January of year 0 (inverse of :meth:`ordinal`)."""
        year, month0 = divmod(n, 12)
        return cls(year, month0 + 1)

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Read ``"1990-11"``; ``ValueError`` for anything else."""
        match = _YEAR_MONTH_RE.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a year and month written as YYYY-MM")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A serial number with a dated claim: the estimator's evidence."""

    serial: int
    """The serial number the claim is about."""
    earliest: YearMonth
    """First month of the range the claim puts this serial in."""
    latest: YearMonth
    """Last month of that range (equal to ``earliest`` for a one-month claim)."""
    reliability: Reliability
    """How far the claim can be trusted (see the module docstring)."""
    source: str
    """Where the claim comes from (site or magazine)."""
    claim: str
    """The claim in our own words, including any inference we added."""

    def to_dict(self) -> dict[str, object]:
        return {
            "serial": self.serial,
            "earliest": str(self.earliest),
            "latest": str(self.latest),
            "reliability": self.reliability,
            "source": self.source,
            "claim": self.claim,
        }


@dataclass(frozen=True, slots=True)
class ProductionWindow:
    """When the model was made: a start month and an uncertain end."""

    start: YearMonth
    """Earliest month a unit can have been made (e.g. 1988-01 for the M1)."""
    end_earliest: YearMonth
    """Production went on at least until about this month."""
    end_latest: YearMonth
    """No unit was made after this month."""
    reliability: Reliability
    """The weaker of the tags of the start and end claims."""
    source: str
    """Where the start and end come from."""

    def to_dict(self) -> dict[str, object]:
        return {
            "start": str(self.start),
            "end_earliest": str(self.end_earliest),
            "end_latest": str(self.end_latest),
            "reliability": self.reliability,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class SerialFormat:
    """What a serial number of this model looks like."""

    pattern: str
    """Full-match regular expression for the serial text, e.g. ``[0-9]{6}`` (leading zeros
    are part of the serial)."""
    description: str
    """The format in words, for messages."""
    max_reported: int | None
    """Numbers above this are beyond anything reported for the model; ``None`` if unknown."""
    reliability: Reliability
    """How far the format claim can be trusted."""
    source: str
    """Where the format claim comes from."""

    def fits(self, text: str) -> bool:
        """Whether ``text`` is a whole serial of this format."""
        return re.fullmatch(self.pattern, text) is not None

    @property
    def digits_only(self) -> bool:
        """Whether the pattern is built of digit classes alone (``[0-9]{6}``, ``\\d{5,6}``),
        so no serial of this format has a letter or separator in it."""
        return re.fullmatch(r"[0-9{},()?*+|^$]*", self._zeros_for_digits()) is not None

    @property
    def fewest_digits(self) -> int | None:
        """How many digits the shortest serial of a :attr:`digits_only` format has
        (``None`` for other formats)."""
        if not self.digits_only:
            return None
        # With every digit class and literal digit turned into a 0 (repeat counts kept), a
        # run of n zeros matches exactly when some serial of the format has n digits.
        zeros = re.sub(r"\{[^}]*\}|[1-9]",
                       lambda part: part[0] if part[0].startswith("{") else "0",
                       self._zeros_for_digits())
        return next((count for count in range(1, 65) if re.fullmatch(zeros, "0" * count)),
                    None)

    def _zeros_for_digits(self) -> str:
        """The pattern with named groups made plain and each digit class made a literal 0."""
        bare = re.sub(r"\(\?P<\w+>", "(", self.pattern).replace("\\d", "0")
        return re.sub(r"\[[0-9-]+\]", "0", bare)

    def far_beyond_reported(self, number: int) -> bool:
        """Whether ``number`` is more than :data:`BEYOND_REPORTED_FACTOR` times the highest
        number reported (never, when none is known)."""
        limit = self.max_reported
        return limit is not None and number > limit * BEYOND_REPORTED_FACTOR

    def running_number(self, text: str) -> int | None:
        """The running count inside a serial, for dating: the pattern's ``number`` group
        when it has one, else the whole serial when it is all digits; ``None`` when the
        serial does not fit or holds no number."""
        match = re.fullmatch(self.pattern, text)
        if match is None:
            return None
        has_group = "number" in match.re.groupindex
        digits = (match["number"] or "") if has_group else text
        return int(digits) if digits.isascii() and digits.isdigit() else None

    def to_dict(self) -> dict[str, object]:
        return {
            "pattern": self.pattern,
            "description": self.description,
            "max_reported": self.max_reported,
            "reliability": self.reliability,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ReportedSerial:
    """A serial number quoted somewhere, without a date: a format example, not an anchor."""

    text: str
    """The serial as quoted, leading zeros kept (it matches the model's pattern)."""
    reliability: Reliability
    """How far the report can be trusted."""
    source: str
    """Where it is quoted."""
    claim: str
    """What is said about that unit, in our own words."""

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "reliability": self.reliability,
            "source": self.source,
            "claim": self.claim,
        }


ObservationMeaning = Literal["existed-by", "made-after"]
"""What an observed date says about its unit: ``existed-by`` (a receipt, a dated service
record or photo: the unit had been made by then) or ``made-after`` (a date code on a part
inside: the unit cannot have been made before then)."""

OBSERVATION_MEANINGS: Final[tuple[ObservationMeaning, ...]] = ("existed-by", "made-after")


@dataclass(frozen=True, slots=True)
class Observation:
    """A user's own dated serial, from the calibration overlay (``stickerscan calibrate``).

    Observations are bounds, not anchors: assuming numbers were given out in production
    order, a unit that existed by a month means every lower number did too, and a unit made
    after a month means every higher number was too.
    """

    model_id: str
    """The instrument model the serial belongs to."""
    serial: str
    """The serial as written on the unit (leading zeros kept)."""
    number: int
    """Its running count (see :meth:`SerialFormat.running_number`)."""
    date: YearMonth
    """The observed month."""
    meaning: ObservationMeaning
    """What the date says about the unit (see :data:`ObservationMeaning`)."""
    source: str
    """Where the date comes from, in the user's words (receipt, service record, ...)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "model_id": self.model_id,
            "serial": self.serial,
            "number": self.number,
            "date": str(self.date),
            "meaning": self.meaning,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class InstrumentModel:
    """Everything the catalogue knows about one instrument model."""

    model_id: str
    """Catalogue id, lower-case with hyphens, e.g. ``korg-m1``."""
    name: str
    """Display name, e.g. ``Korg M1``."""
    maker: str
    """Manufacturer, e.g. ``Korg``."""
    family: str
    """Models of one family (e.g. ``m1``) raise the same serial-sequence question."""
    names_on_panel: tuple[str, ...]
    """Model names printed on the unit, for model detection, e.g. ``("M1R-EX", "M1REX")``."""
    label_words: tuple[str, ...]
    """Words that introduce the serial on its label, e.g. ``SERIAL NO.``."""
    label_description: str
    """Where the sticker is and what it looks like, with how sure we are of that."""
    serial_format: SerialFormat
    """The serial's format and the highest number reported."""
    production: ProductionWindow | None
    """When the model was made; ``None`` for an entry that covers any product (``generic``)
    and so has no dates at all."""
    anchors: tuple[Anchor, ...]
    """Dated serials, sorted by serial, dates never going backwards; may be empty."""
    advice: tuple[str, ...]
    """What to check on the instrument itself: advice, never proof of authenticity."""
    source_file: str
    """The data file this model was loaded from."""
    notes: tuple[str, ...] = ()
    """Caveats every date estimate for this model should repeat (e.g. that it is unknown
    whether this model shares the family's number sequence)."""
    reported_serials: tuple[ReportedSerial, ...] = ()
    """Serials quoted in sources without a date (format examples)."""
    observations: tuple[Observation, ...] = ()
    """The user's own dated serials from the calibration overlay, sorted by number."""

    @property
    def can_be_dated(self) -> bool:
        """Whether the entry has any dating rule (a production window, maybe anchors)."""
        return self.production is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "model_id": self.model_id,
            "name": self.name,
            "maker": self.maker,
            "family": self.family,
            "names_on_panel": list(self.names_on_panel),
            "label_words": list(self.label_words),
            "label_description": self.label_description,
            "serial_format": self.serial_format.to_dict(),
            "production": self.production.to_dict() if self.production else None,
            "anchors": [anchor.to_dict() for anchor in self.anchors],
            "observations": [observation.to_dict() for observation in self.observations],
            "advice": list(self.advice),
            "notes": list(self.notes),
            "reported_serials": [reported.to_dict() for reported in self.reported_serials],
            "source_file": self.source_file,
        }


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All instrument models known to stickerscan."""

    models: tuple[InstrumentModel, ...]
    """Sorted by ``model_id``, ids unique."""
    overlay_file: str | None = None
    """The calibration overlay merged into the models, if any."""

    def get(self, model_id: str) -> InstrumentModel:
        """The model with this id; :class:`UnknownModelError` naming the known ids if none."""
        for model in self.models:
            if model.model_id == model_id:
                return model
        known = ", ".join(self.ids()) or "(none)"
        raise UnknownModelError(
            f"unknown instrument model {model_id!r}; known models: {known}"
        )

    def ids(self) -> tuple[str, ...]:
        """The model ids, sorted."""
        return tuple(model.model_id for model in self.models)

    def names_on_panel(self) -> dict[str, tuple[str, ...]]:
        """Each model id with the names printed on its units (for model detection)."""
        return {model.model_id: model.names_on_panel for model in self.models}

    def choose(self, model_id: str | None, serial_pattern: str | None) -> InstrumentModel:
        """The model asked for, else ``generic`` when only a pattern is given, else the
        default model; with ``serial_pattern``, the model with that one-off format.

        Raises
        ------
        UnknownModelError
            No such model.
        UsageError
            ``serial_pattern`` is not a valid regular expression.
        """
        fallback = GENERIC_MODEL_ID if serial_pattern is not None else DEFAULT_MODEL_ID
        model = self.get(model_id or fallback)
        return model if serial_pattern is None else with_serial_pattern(model, serial_pattern)


def with_serial_pattern(model: InstrumentModel, pattern: str) -> InstrumentModel:
    """``model`` with a one-off serial format (``--pattern``).

    Raises
    ------
    UsageError
        ``pattern`` is not a valid regular expression.
    """
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise UsageError(
            f"--pattern {pattern!r} is not a valid regular expression ({exc}); for example "
            "[A-Z]{2}[0-9]{6} for two letters and six digits"
        ) from exc
    if compiled.fullmatch("") is not None:
        raise UsageError(f"--pattern {pattern!r} matches empty text; it must need a character")
    serial_format = replace(
        model.serial_format,
        pattern=pattern,
        description=f"the pattern {pattern} given with --pattern",
    )
    return replace(model, serial_format=serial_format)


def weakest(tags: Iterable[Reliability]) -> Reliability:
    """The weakest of ``tags`` (``R`` is weakest); ``ValueError`` if there are none."""
    return max(tags, key=RELIABILITY_TAGS.index)
