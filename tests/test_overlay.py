"""The user's calibration overlay: writing it, reading it back, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from stickerscan.catalogue import Observation, YearMonth
from stickerscan.catalogue_files import load_catalogue
from stickerscan.errors import CatalogueError, ExitCode
from stickerscan.overlay import (
    OVERLAY_SCHEMA_VERSION,
    apply_overlay,
    default_overlay_path,
    load_user_catalogue,
    overlay_text,
    parse_overlay,
)

CATALOGUE = load_catalogue()

OBSERVATIONS = (
    Observation(model_id="korg-m1", serial="050000", number=50000, date=YearMonth(1989, 9),
                meaning="made-after", source='ROM chip "date code" \\ back of the board'),
    Observation(model_id="korg-m1r", serial="110000", number=110000, date=YearMonth(1990, 12),
                meaning="existed-by", source="Quittung vom Musikgeschäft, 14.12.1990"),
)

ONE_OBSERVATION = """\
schema = 1

[[observations]]
model_id = "korg-m1"
serial = "050000"
date = "1989-09"
meaning = "made-after"
source = "a chip"
"""


def test_written_observations_read_back_the_same() -> None:
    text = overlay_text(OBSERVATIONS, "my dates.csv")
    assert f"schema = {OVERLAY_SCHEMA_VERSION}\n" in text
    assert parse_overlay(text.encode("utf-8"), "overlay.toml", CATALOGUE) == OBSERVATIONS


def test_applied_observations_go_to_their_own_models(tmp_path: Path) -> None:
    path = tmp_path / "overlay.toml"
    path.write_text(overlay_text(OBSERVATIONS, "dates.csv"), encoding="utf-8")
    merged = apply_overlay(CATALOGUE, path)
    assert merged.overlay_file == str(path)
    assert merged.get("korg-m1").observations == OBSERVATIONS[:1]
    assert merged.get("korg-m1r").observations == OBSERVATIONS[1:]
    assert merged.get("korg-m1ex").observations == ()
    assert merged.ids() == CATALOGUE.ids()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("schema = 1", "schema = 2"), "schema", "version 2 is not supported"),
        (('meaning = "made-after"', 'meaning = "sold-by"'), "observations[0].meaning",
         "must be one of existed-by, made-after"),
        (('serial = "050000"', 'serial = "50000"'), "observations[0].serial",
         "is not a Korg M1 serial"),
        (('model_id = "korg-m1"', 'model_id = "korg-m9"'), "observations[0].model_id",
         "unknown instrument model 'korg-m9'"),
        (('date = "1989-09"', 'date = "1989-9"'), "observations[0].date", "not a valid month"),
        (('source = "a chip"', 'source = "a chip"\nprice = "100"'), "observations[0].price",
         "unknown key"),
    ],
    ids=["schema", "meaning", "serial", "model", "date", "extra key"],
)
def test_a_broken_overlay_names_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], field: str, words: str
) -> None:
    assert change[0] in ONE_OBSERVATION
    path = tmp_path / "overlay.toml"
    path.write_text(ONE_OBSERVATION.replace(*change), encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        apply_overlay(CATALOGUE, path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {field}: "), message
    assert words in message, message
    assert raised.value.exit_code == ExitCode.BAD_CATALOGUE


def test_the_unbroken_overlay_of_those_cases_is_read(tmp_path: Path) -> None:
    path = tmp_path / "overlay.toml"
    path.write_text(ONE_OBSERVATION, encoding="utf-8")
    (observation,) = apply_overlay(CATALOGUE, path).get("korg-m1").observations
    assert (observation.number, observation.date) == (50000, YearMonth(1989, 9))


def test_a_named_overlay_that_is_missing_says_how_to_make_one(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(CatalogueError) as raised:
        load_user_catalogue(missing)
    message = str(raised.value)
    assert message.startswith(f"{missing}: cannot read the calibration overlay")
    assert "stickerscan calibrate" in message


def test_the_default_overlay_is_used_only_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_overlay_path() == tmp_path / "stickerscan" / "calibration.toml"
    assert load_user_catalogue().overlay_file is None
    default_overlay_path().parent.mkdir()
    default_overlay_path().write_text(ONE_OBSERVATION, encoding="utf-8")
    merged = load_user_catalogue()
    assert merged.overlay_file == str(default_overlay_path())
    assert len(merged.get("korg-m1").observations) == 1


def test_without_xdg_config_home_the_overlay_is_under_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "  ")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_overlay_path() == tmp_path / ".config" / "stickerscan" / "calibration.toml"
