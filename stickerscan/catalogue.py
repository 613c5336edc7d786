"""The catalogue of instrument models: per-model data files, schema-checked when loaded.

Each instrument model (e.g. the Korg M1) is described by one TOML file in ``models/`` of a
source checkout, shipped inside the installed package as ``stickerscan/catalogue_data/``.
A file gives the model's names, what its serial label looks like, the serial format, the
production window and the *anchors*: serial numbers with a dated claim, each carrying its
reliability tag and source.  ``models/README.md`` documents the fields.

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

import json
import logging
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, Literal

from stickerscan.errors import CatalogueError, UnknownModelError, UsageError

log = logging.getLogger(__name__)

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

SCHEMA_VERSION: Final = 1
"""The data-file layout this module reads (the ``schema`` key of every file)."""

BEYOND_REPORTED_FACTOR: Final = Fraction(6, 5)
"""A number more than this times the highest reported one is far beyond anything reported
for the model (20 % headroom: 'about 250,000 made' is itself approximate)."""

OVERLAY_SCHEMA_VERSION: Final = 1
"""The layout of the calibration overlay written by ``stickerscan calibrate``."""

OVERLAY_FILE_NAME: Final = "calibration.toml"
"""The overlay's file name in the user's configuration folder."""

_ID_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
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


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load every ``*.toml`` instrument model file of ``directory``.

    Without ``directory``, the data shipped in the installed package
    (``stickerscan/catalogue_data``) is used, else ``models/`` of the source checkout.

    Raises
    ------
    CatalogueError
        No data found (the message says where it looked), or a file is invalid (the message
        names the file and field), or two files define the same model id.
    """
    if directory is not None:
        if not directory.is_dir():
            raise CatalogueError(
                f"{directory}: not a folder; pass the folder holding the instrument model "
                "files (*.toml)"
            )
        return _load_folder(directory)

    looked: list[str] = []
    packaged = _packaged_data_folder(looked)
    if packaged is not None:
        return _load_folder(packaged)
    checkout = Path(__file__).resolve().parent.parent / "models"
    looked.append(str(checkout))
    if checkout.is_dir():
        return _load_folder(checkout)
    raise CatalogueError(
        "no instrument model data found; looked in " + " and ".join(looked)
        + ". Reinstall stickerscan, or pass the folder of model files explicitly."
    )


def parse_model_file(path: Path) -> InstrumentModel:
    """Read and schema-check one instrument model data file.

    Raises
    ------
    CatalogueError
        ``"<file>: <field>: <what is wrong>"`` for any schema problem: unreadable file,
        invalid TOML, missing or unknown keys, wrong types, a bad ``YYYY-MM`` date, a bad
        regular expression, an unknown reliability tag, anchors out of order or with
        ``earliest`` after ``latest``.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    return _parse_model_bytes(data, str(path))


def _packaged_data_folder(looked: list[str]) -> Traversable | None:
    """The ``catalogue_data`` folder inside the installed package, if there is one."""
    try:
        resource = files("stickerscan") / "catalogue_data"
    except (ModuleNotFoundError, TypeError, ValueError) as exc:  # pragma: no cover
        looked.append(f"stickerscan/catalogue_data (package data unavailable: {exc})")
        return None
    looked.append(str(resource))
    return resource if resource.is_dir() else None


def _load_folder(folder: Traversable) -> Catalogue:
    entries = sorted(
        (
            entry
            for entry in folder.iterdir()
            if entry.name.endswith(".toml") and not entry.name.startswith(".")
            and entry.is_file()
        ),
        key=lambda entry: entry.name,
    )
    if not entries:
        raise CatalogueError(f"{folder}: no instrument model files (*.toml) found")
    seen: dict[str, str] = {}
    models: list[InstrumentModel] = []
    for entry in entries:
        try:
            data = entry.read_bytes()
        except OSError as exc:
            raise CatalogueError(
                f"{entry}: cannot read the file: {exc.strerror or exc}"
            ) from exc
        model = _parse_model_bytes(data, str(entry))
        if model.model_id in seen:
            raise CatalogueError(
                f"{model.source_file}: model_id: {model.model_id!r} is already defined in "
                f"{seen[model.model_id]}; every model needs its own id"
            )
        seen[model.model_id] = model.source_file
        models.append(model)
    log.debug("loaded %d instrument models from %s", len(models), folder)
    return Catalogue(tuple(sorted(models, key=lambda model: model.model_id)))


# --------------------------------------------------------------------------------------
# The user's calibration overlay
# --------------------------------------------------------------------------------------


def default_overlay_path() -> Path:
    """Where the calibration overlay lives unless a path is given:
    ``$XDG_CONFIG_HOME/stickerscan/calibration.toml``, by default under ``~/.config``."""
    config_home = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config_home) if config_home else Path.home() / ".config"
    return base / "stickerscan" / OVERLAY_FILE_NAME


def load_user_catalogue(overlay: Path | None = None) -> Catalogue:
    """The shipped catalogue with the user's calibration overlay merged in.

    ``overlay`` names the overlay file, which must then exist; without it the default
    overlay (:func:`default_overlay_path`) is used when there is one.

    Raises
    ------
    CatalogueError
        Broken model data, a missing named overlay, or a broken overlay (the message names
        the file and the field).
    """
    catalogue = load_catalogue()
    if overlay is None:
        default = default_overlay_path()
        if not default.is_file():
            return catalogue
        overlay = default
    return apply_overlay(catalogue, overlay)


def apply_overlay(catalogue: Catalogue, path: Path) -> Catalogue:
    """``catalogue`` with the observations of the overlay file at ``path`` added to its
    models.  :class:`CatalogueError` naming the file and field for any problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            f"{path}: cannot read the calibration overlay: {exc.strerror or exc}; run "
            "`stickerscan calibrate` to write one, or leave out --overlay"
        ) from exc
    observations = parse_overlay(data, str(path), catalogue)
    models = tuple(
        replace(model, observations=tuple(
            sorted((o for o in observations if o.model_id == model.model_id),
                   key=lambda o: (o.number, o.date))
        ))
        for model in catalogue.models
    )
    return Catalogue(models, overlay_file=str(path))


def parse_overlay(data: bytes, source_file: str, catalogue: Catalogue) -> tuple[Observation, ...]:
    """Read and check the observations of an overlay file against ``catalogue``."""
    document = _toml_document(data, source_file)
    top = _Table(document, source_file, "")
    schema = top.integer("schema", minimum=1)
    if schema != OVERLAY_SCHEMA_VERSION:
        raise top.error(
            "schema", f"version {schema} is not supported (expected {OVERLAY_SCHEMA_VERSION})"
        )
    if top.has("written_from"):
        top.text("written_from")
    observations: list[Observation] = []
    tables = top.tables("observations", allow_empty=True) if top.has("observations") else []
    for table in tables:
        model_id = table.text("model_id")
        if model_id not in catalogue.ids():
            raise table.error(
                "model_id",
                f"unknown instrument model {model_id!r}; known models: "
                + ", ".join(catalogue.ids()),
            )
        model = catalogue.get(model_id)
        serial = table.text("serial")
        number = model.serial_format.running_number(serial)
        if number is None:
            raise table.error(
                "serial",
                f"{serial!r} is not a {model.name} serial with a running number "
                f"({model.serial_format.description})",
            )
        meaning_text = table.text("meaning")
        meaning = next((m for m in OBSERVATION_MEANINGS if m == meaning_text), None)
        if meaning is None:
            raise table.error(
                "meaning", f"{meaning_text!r} must be one of {', '.join(OBSERVATION_MEANINGS)}"
            )
        observations.append(Observation(
            model_id=model_id, serial=serial, number=number, date=table.year_month("date"),
            meaning=meaning, source=table.text("source"),
        ))
        table.finish()
    top.finish()
    return tuple(observations)


def overlay_text(observations: Iterable[Observation], written_from: str) -> str:
    """The overlay file for ``observations`` (read back by :func:`parse_overlay`)."""
    # JSON string literals are valid TOML basic strings, escapes included.
    lines = [
        "# stickerscan calibration overlay, written by `stickerscan calibrate`.",
        "# Each observation bounds the production dates of its model's serials; edit the",
        "# CSV file and run `stickerscan calibrate` again rather than this file.",
        f"schema = {OVERLAY_SCHEMA_VERSION}",
        f"written_from = {json.dumps(written_from, ensure_ascii=False)}",
    ]
    for observation in observations:
        lines += [
            "",
            "[[observations]]",
            f"model_id = {json.dumps(observation.model_id)}",
            f"serial = {json.dumps(observation.serial, ensure_ascii=False)}",
            f'date = "{observation.date}"',
            f"meaning = {json.dumps(observation.meaning)}",
            f"source = {json.dumps(observation.source, ensure_ascii=False)}",
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Schema checking
# --------------------------------------------------------------------------------------


class _Table:
    """Typed, checked access to one TOML table; remembers the keys that were read."""

    def __init__(self, data: dict[str, Any], file: str, where: str) -> None:
        self._data = data
        self._file = file
        self._where = where
        self._read: set[str] = set()

    def error(self, key: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{self._file}: {self._path(key)}: {problem}")

    def _path(self, key: str) -> str:
        return f"{self._where}.{key}" if self._where else key

    def _get(self, key: str) -> Any:
        self._read.add(key)
        if key not in self._data:
            raise self.error(key, "missing (required key)")
        return self._data[key]

    def has(self, key: str) -> bool:
        """Whether an optional key is present (it counts as a known key either way)."""
        self._read.add(key)
        return key in self._data

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(key, f"must be a text string, not {_type_name(value)}")
        if not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def integer(self, key: str, *, minimum: int) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be an integer, not {_type_name(value)}")
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}, not {value}")
        return value

    def texts(self, key: str, *, allow_empty: bool) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(key, f"must be a list of text strings, not {_type_name(value)}")
        if not value and not allow_empty:
            raise self.error(key, "must not be an empty list")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(
                    f"{key}[{index}]", f"must be a non-empty text string, not {item!r}"
                )
        return tuple(value)

    def year_month(self, key: str) -> YearMonth:
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(
                key, f'must be a quoted year and month like "1990-11", not {_type_name(value)}'
            )
        try:
            return YearMonth.parse(value)
        except ValueError as exc:
            raise self.error(
                key, f'{value!r} is not a valid month ({exc}); write it like "1990-11"'
            ) from exc

    def reliability(self, key: str) -> Reliability:
        value = self._get(key)
        for tag in RELIABILITY_TAGS:
            if value == tag:
                return tag
        raise self.error(
            key, f"unknown reliability tag {value!r}; use one of {', '.join(RELIABILITY_TAGS)}"
        )

    def table(self, key: str) -> _Table:
        value = self._get(key)
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{key}]), not {_type_name(value)}")
        return _Table(value, self._file, self._path(key))

    def tables(self, key: str, *, allow_empty: bool) -> list[_Table]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(key, f"must be an array of tables ([[{key}]])")
        if not value and not allow_empty:
            raise self.error(key, f"needs at least one [[{key}]] entry")
        return [
            _Table(item, self._file, f"{self._path(key)}[{index}]")
            for index, item in enumerate(value)
        ]

    def finish(self) -> None:
        """Reject keys the schema does not know (usually a typo)."""
        extra = sorted(set(self._data) - self._read)
        if extra:
            allowed = ", ".join(sorted(self._read))
            raise self.error(extra[0], f"unknown key (allowed here: {allowed})")


def _type_name(value: object) -> str:
    names = {str: "text", bool: "true/false", int: "an integer", float: "a number",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _toml_document(data: bytes, source_file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{source_file}: not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source_file}: not valid TOML: {exc}") from exc


def _parse_model_bytes(data: bytes, source_file: str) -> InstrumentModel:
    document = _toml_document(data, source_file)
    top = _Table(document, source_file, "")
    schema = top.integer("schema", minimum=1)
    if schema != SCHEMA_VERSION:
        raise top.error("schema", f"version {schema} is not supported (expected {SCHEMA_VERSION})")
    model_id = _identifier(top, "model_id")
    name = top.text("name")
    maker = top.text("maker")
    family = _identifier(top, "family")
    # Empty for an entry that covers any product: it is never detected from a label.
    names_on_panel = top.texts("names_on_panel", allow_empty=True)
    label_words = top.texts("label_words", allow_empty=False)
    label_description = top.text("label_description")
    advice = top.texts("advice", allow_empty=True)
    notes = top.texts("notes", allow_empty=True) if top.has("notes") else ()

    serial_format = _serial_format(top.table("serial_format"))
    production = _production(top.table("production")) if top.has("production") else None
    anchors = _anchors(top, production, serial_format) if top.has("anchors") else ()
    reported = (
        _reported_serials(top, serial_format) if top.has("reported_serials") else ()
    )
    top.finish()

    return InstrumentModel(
        model_id=model_id,
        name=name,
        maker=maker,
        family=family,
        names_on_panel=names_on_panel,
        label_words=label_words,
        label_description=label_description,
        serial_format=serial_format,
        production=production,
        anchors=anchors,
        advice=advice,
        source_file=source_file,
        notes=notes,
        reported_serials=reported,
    )


def _identifier(table: _Table, key: str) -> str:
    value = table.text(key)
    if _ID_RE.fullmatch(value) is None:
        raise table.error(key, f"{value!r} must be lower-case letters and digits joined by '-'")
    return value


def _serial_format(table: _Table) -> SerialFormat:
    pattern = table.text("pattern")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise table.error("pattern", f"not a valid regular expression: {exc}") from exc
    description = table.text("description")
    max_reported = (
        table.integer("max_reported", minimum=1) if table.has("max_reported") else None
    )
    result = SerialFormat(
        pattern=pattern,
        description=description,
        max_reported=max_reported,
        reliability=table.reliability("reliability"),
        source=table.text("source"),
    )
    table.finish()
    return result


def _production(table: _Table) -> ProductionWindow:
    start = table.year_month("start")
    end_earliest = table.year_month("end_earliest")
    end_latest = table.year_month("end_latest")
    if end_earliest < start:
        raise table.error("end_earliest", f"{end_earliest} is before the start {start}")
    if end_latest < end_earliest:
        raise table.error("end_latest", f"{end_latest} is before end_earliest {end_earliest}")
    result = ProductionWindow(
        start=start,
        end_earliest=end_earliest,
        end_latest=end_latest,
        reliability=table.reliability("reliability"),
        source=table.text("source"),
    )
    table.finish()
    return result


def _anchors(
    top: _Table, production: ProductionWindow | None, serial_format: SerialFormat
) -> tuple[Anchor, ...]:
    tables = top.tables("anchors", allow_empty=True)
    if not tables:
        return ()
    if production is None:
        raise top.error(
            "anchors", "dated serials need a [production] window (its start dates serial 0)"
        )
    anchors: list[Anchor] = []
    for table in tables:
        serial = table.integer("serial", minimum=1)
        earliest = table.year_month("earliest")
        latest = table.year_month("latest")
        if latest < earliest:
            raise table.error("latest", f"{latest} is before earliest {earliest}")
        if earliest < production.start:
            raise table.error(
                "earliest", f"{earliest} is before the production start {production.start}"
            )
        if latest > production.end_latest:
            raise table.error(
                "latest", f"{latest} is after the end of production {production.end_latest}"
            )
        limit = serial_format.max_reported
        if limit is not None and serial > limit:
            raise table.error(
                "serial", f"{serial} is above serial_format.max_reported ({limit})"
            )
        if anchors:
            previous = anchors[-1]
            if serial <= previous.serial:
                raise table.error(
                    "serial",
                    f"{serial} is out of order: anchors must be sorted by serial, each above "
                    f"the previous one ({previous.serial})",
                )
            if earliest < previous.earliest or latest < previous.latest:
                raise table.error(
                    "earliest" if earliest < previous.earliest else "latest",
                    f"{earliest}..{latest} goes back in time from the previous anchor's "
                    f"{previous.earliest}..{previous.latest}; a higher serial cannot be older",
                )
        anchors.append(
            Anchor(
                serial=serial,
                earliest=earliest,
                latest=latest,
                reliability=table.reliability("reliability"),
                source=table.text("source"),
                claim=table.text("claim"),
            )
        )
        table.finish()
    return tuple(anchors)


def _reported_serials(top: _Table, serial_format: SerialFormat) -> tuple[ReportedSerial, ...]:
    pattern = re.compile(serial_format.pattern)
    reported: list[ReportedSerial] = []
    for table in top.tables("reported_serials", allow_empty=True):
        text = table.text("text")
        if pattern.fullmatch(text) is None:
            raise table.error(
                "text", f"{text!r} does not match serial_format.pattern {serial_format.pattern!r}"
            )
        reported.append(
            ReportedSerial(
                text=text,
                reliability=table.reliability("reliability"),
                source=table.text("source"),
                claim=table.text("claim"),
            )
        )
        table.finish()
    return tuple(reported)


def weakest(tags: Iterable[Reliability]) -> Reliability:
    """The weakest of ``tags`` (``R`` is weakest); ``ValueError`` if there are none."""
    return max(tags, key=RELIABILITY_TAGS.index)
