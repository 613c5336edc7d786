"""Reading the catalogue's data files: one TOML file per instrument model,
schema-checked when loaded.

The files live in ``models/`` of a source checkout and ship inside the installed package
as ``stickerscan/catalogue_data/``.  Every problem is a :class:`CatalogueError` naming the
file and the field; ``models/README.md`` documents the fields.
"""

from __future__ import annotations

import logging
import re
import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

from stickerscan.catalogue import (
    RELIABILITY_TAGS,
    Anchor,
    Catalogue,
    InstrumentModel,
    ProductionWindow,
    Reliability,
    ReportedSerial,
    SerialFormat,
    YearMonth,
)
from stickerscan.errors import CatalogueError

log = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 1
"""The data-file layout this module reads (the ``schema`` key of every file)."""

_ID_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)


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


class CheckedTable:
    """Typed, checked access to one TOML table; remembers the keys that were read.

    Every problem is a :class:`CatalogueError` naming the file and the key's path in it
    (``anchors[1].serial``); :meth:`finish` rejects the keys that were never read."""

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

    def table(self, key: str) -> CheckedTable:
        value = self._get(key)
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{key}]), not {_type_name(value)}")
        return CheckedTable(value, self._file, self._path(key))

    def tables(self, key: str, *, allow_empty: bool) -> list[CheckedTable]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(key, f"must be an array of tables ([[{key}]])")
        if not value and not allow_empty:
            raise self.error(key, f"needs at least one [[{key}]] entry")
        return [
            CheckedTable(item, self._file, f"{self._path(key)}[{index}]")
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


def toml_document(data: bytes, source_file: str) -> dict[str, Any]:
    """``data`` parsed as TOML; :class:`CatalogueError` naming ``source_file`` if it is
    not UTF-8 or not valid TOML."""
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{source_file}: not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source_file}: not valid TOML: {exc}") from exc


def _parse_model_bytes(data: bytes, source_file: str) -> InstrumentModel:
    document = toml_document(data, source_file)
    top = CheckedTable(document, source_file, "")
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


def _identifier(table: CheckedTable, key: str) -> str:
    value = table.text(key)
    if _ID_RE.fullmatch(value) is None:
        raise table.error(key, f"{value!r} must be lower-case letters and digits joined by '-'")
    return value


def _serial_format(table: CheckedTable) -> SerialFormat:
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


def _production(table: CheckedTable) -> ProductionWindow:
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
    top: CheckedTable, production: ProductionWindow | None, serial_format: SerialFormat
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


def _reported_serials(top: CheckedTable, serial_format: SerialFormat) -> tuple[ReportedSerial, ...]:
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
