"""The user's calibration overlay: observations of dated units (``stickerscan calibrate``
writes them) merged into the shipped catalogue's models.

The overlay is a TOML file, by default in the user's configuration folder; every problem
with it is a :class:`CatalogueError` naming the file and the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Final

from stickerscan.catalogue import OBSERVATION_MEANINGS, Catalogue, Observation
from stickerscan.catalogue_files import CheckedTable, load_catalogue, toml_document
from stickerscan.errors import CatalogueError

OVERLAY_SCHEMA_VERSION: Final = 1
"""The layout of the calibration overlay written by ``stickerscan calibrate``."""

OVERLAY_FILE_NAME: Final = "calibration.toml"
"""The overlay's file name in the user's configuration folder."""


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
    document = toml_document(data, source_file)
    top = CheckedTable(document, source_file, "")
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
