"""Calibration from the user's own dated serials: checks, the overlay, and the narrowing.

Expected ranges are derived by hand with the method of stickerscan/estimate.py from
models/korg-m1.toml (see the derivations in tests/test_estimate.py for the notation);
months are ordinals, 12 * year + month - 1.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stickerscan.calibrate import calibrate, check_observations, write_overlay
from stickerscan.catalogue import (
    OBSERVATION_MEANINGS,
    Catalogue,
    InstrumentModel,
    Observation,
    YearMonth,
)
from stickerscan.catalogue_files import load_catalogue
from stickerscan.cli import app
from stickerscan.errors import BadInputError, CatalogueError, ExitCode
from stickerscan.estimate import estimate_date
from stickerscan.overlay import apply_overlay, default_overlay_path
from tests.test_estimate import synthetic_models

CATALOGUE = load_catalogue()
M1 = CATALOGUE.get("korg-m1")
runner = CliRunner()

CSV = """\
model,serial,date,source,meaning
korg-m1,110000,1990-12-14,receipt from a music shop,
korg-m1,050000,1989-09,date code on a ROM chip,made-after
korg-m1,002100,1994-05,service record,
korg-m1,215725,1989-03,receipt,
korg-m9,013537,1990-01,receipt,
"""

# Before (catalogue only) and after (with 110000 existed by 1990-12 = 23891 and 050000
# made after 1989-09 = 23876):
#   050000: t = 1/2 between serial 0 (1988-01, B) and 100000 (1990-11, R): low = high =
#           23873, margin = 3 + 3 + 17/4 = 10.25 -> 1988-07 .. 1990-05 (23 months); made
#           after 1989-09 cuts the earliest: 1989-09 .. 1990-05 (9 months): 14 narrower.
#   100000: on its anchor, 1990-11 +- 9 -> 1990-02 .. 1991-08 (19 months); 110000 existed
#           by 1990-12 cuts the latest: 1990-02 .. 1990-12 (11 months): 8 narrower.
#   103917: 1990-02 .. 1991-10 (21 months) -> 1990-02 .. 1990-12 (11): 10 narrower.
#   110000: t = 1/15 after 100000: low = 23890 + 38/15, high = 23890 + 61/15, margin =
#           9 + (49.5 / 15) / 4 = 9.825 -> floor(23882.71) = 1990-03 .. ceil(23903.89) =
#           1992-01 (23 months) -> 1990-03 .. 1990-12 (10): 13 narrower.
#   002100 .. 013537 end before 1990-12 already and lie below 050000; 215725 starts after
#   1989-09 already; 250000 is above every observation: all unchanged.
# Flagged: 002100 existed by 1994-05, 41 months after the higher 110000 existed by
# 1990-12 (look closer); 215725 existed by 1989-03, but the catalogue puts it no earlier
# than 1992-04 (see tests/test_estimate.py); korg-m9 is no model.


def expected_output(overlay: Path, source: str) -> str:
    return (
        f"{source}: 2 observations accepted, 3 flagged and left out\n"
        "  flagged    line 4, serial 002100: look closer: serial 002100 is dated 1994-05, "
        "41 months after the much higher serial 110000 (1990-12); serial 002100 adds nothing "
        "beyond line 2 (serial 110000), and a typing slip in either row is possible\n"
        "  flagged    line 5, serial 215725: contradicts the catalogue: serial 215725 existed "
        "by 1989-03, but its dated serials put number 215725 no earlier than 1992-04; check "
        "the row, or the catalogue's claims\n"
        "  flagged    line 6, serial 013537: unknown model 'korg-m9'; known models: generic, "
        "korg-m1, korg-m1ex, korg-m1r, korg-m1rex\n"
        f"wrote 2 observations to {overlay} (replacing any earlier overlay); lookups and "
        "scans use them from now on\n"
        "how the date ranges narrowed:\n"
        "  model    serial  before              after               narrowed\n"
        "  korg-m1  002100  1988-01 to 1988-06  1988-01 to 1988-06  0 months\n"
        "  korg-m1  005560  1988-01 to 1988-07  1988-01 to 1988-07  0 months\n"
        "  korg-m1  013537  1988-01 to 1988-11  1988-01 to 1988-11  0 months\n"
        "  korg-m1  050000  1988-07 to 1990-05  1989-09 to 1990-05  14 months\n"
        "  korg-m1  100000  1990-02 to 1991-08  1990-02 to 1990-12  8 months\n"
        "  korg-m1  103917  1990-02 to 1991-10  1990-02 to 1990-12  10 months\n"
        "  korg-m1  110000  1990-03 to 1992-01  1990-03 to 1990-12  13 months\n"
        "  korg-m1  215725  1992-04 to 1995-10  1992-04 to 1995-10  0 months\n"
        "  korg-m1  250000  1993-04 to 1995-12  1993-04 to 1995-12  0 months\n"
    )


@pytest.fixture
def dated_csv(tmp_path: Path) -> Path:
    path = tmp_path / "dated.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_calibrate_exact_output_and_exit_code(dated_csv: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.toml"
    result = runner.invoke(app, ["calibrate", str(dated_csv), "--overlay", str(overlay)])
    assert result.output == expected_output(overlay, str(dated_csv))
    assert result.exit_code == ExitCode.INVALID_SERIAL  # some rows were flagged
    assert overlay.is_file()


def test_calibrate_writes_to_the_users_config_folder_and_lookup_uses_it(
    dated_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert default_overlay_path() == tmp_path / "config" / "stickerscan" / "calibration.toml"
    result = runner.invoke(app, ["calibrate", str(dated_csv)])
    assert default_overlay_path().is_file(), result.output
    looked_up = runner.invoke(app, ["lookup", "103917"])
    assert looked_up.exit_code == ExitCode.OK
    assert "  made       between 1990-02 and 1990-12, most likely about 1990-12\n" in (
        looked_up.output)
    assert ("The latest month comes from your own observation: serial 110000 existed by "
            "1990-12, receipt from a music shop") in looked_up.output
    models = runner.invoke(app, ["models"])
    assert "2 + 2 of yours" in models.output


def test_dry_run_writes_nothing(dated_csv: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.toml"
    result = runner.invoke(app, ["calibrate", str(dated_csv), "--overlay", str(overlay),
                                 "--dry-run"])
    assert not overlay.exists()
    assert f"nothing written (--dry-run); the overlay would be {overlay}\n" in result.output


def test_clean_file_exits_ok(tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    path.write_text("model,serial,date,source\nkorg-m1,110000,1990-12,receipt\n")
    result = runner.invoke(app, ["calibrate", str(path), "--overlay", str(tmp_path / "o.toml")])
    assert result.exit_code == ExitCode.OK
    assert result.output.startswith(f"{path}: 1 observations accepted, 0 flagged")


def test_overlay_round_trip(dated_csv: Path, tmp_path: Path) -> None:
    calibration = calibrate(dated_csv, CATALOGUE)
    overlay = tmp_path / "sub" / "overlay.toml"
    write_overlay(calibration, overlay)
    merged = apply_overlay(CATALOGUE, overlay)
    assert merged.overlay_file == str(overlay)
    observed = merged.get("korg-m1").observations
    assert [(o.serial, str(o.date), o.meaning) for o in observed] == [
        ("050000", "1989-09", "made-after"), ("110000", "1990-12", "existed-by"),
    ]
    assert observed[1].source == "receipt from a music shop"
    assert merged.get("korg-m1r").observations == ()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("korg-m1,13537,1990-01,receipt,", "'13537' does not fit the Korg M1 serial format"),
        ("korg-m1,013537,1990/01,receipt,", "date '1990/01' must be written YYYY-MM"),
        ("korg-m1,013537,1990-01,,", "source is empty"),
        ("korg-m1,013537,1990-01,receipt,sold-by", "meaning 'sold-by' must be one of"),
        ("generic,AB-1234,1990-01,receipt,", "has no dating rules to calibrate"),
        ("korg-m1,013537,1987-06,receipt,", "existed by 1987-06, before production started"),
        ("korg-m1,013537,1996-02,chip,made-after", "made after 1996-02, after production"),
        ("korg-m1,781234,1990-01,receipt,", "looks like a 1970s Korg year-based serial"),
    ],
)
def test_bad_rows_are_flagged_with_the_reason(tmp_path: Path, row: str, problem: str) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f"model,serial,date,source,meaning\n{row}\n")
    calibration = calibrate(path, CATALOGUE)
    assert calibration.accepted == ()
    (flagged,) = calibration.flagged
    assert flagged.line == 2
    assert problem in flagged.problem


def test_made_after_later_than_a_higher_existed_by_flags_both(tmp_path: Path) -> None:
    path = tmp_path / "pair.csv"
    path.write_text("model,serial,date,source,meaning\n"
                    "korg-m1,050000,1989-09,chip,made-after\n"
                    "korg-m1,060000,1989-06,receipt,existed-by\n")
    calibration = calibrate(path, CATALOGUE)
    assert calibration.accepted == ()
    assert [row.line for row in calibration.flagged] == [2, 3]
    assert calibration.flagged[0].problem.startswith("cannot both be right")


def test_missing_column_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("model,serial,when,source\nkorg-m1,013537,1990-01,receipt\n")
    with pytest.raises(BadInputError, match="missing: date"):
        calibrate(path, CATALOGUE)
    result = runner.invoke(app, ["calibrate", str(path), "--overlay", str(tmp_path / "o")])
    assert result.exit_code == ExitCode.BAD_INPUT


def test_broken_overlay_names_the_file_and_field(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('schema = 1\n\n[[observations]]\nmodel_id = "korg-m9"\nserial = "1"\n'
                       'date = "1990-01"\nmeaning = "existed-by"\nsource = "x"\n')
    with pytest.raises(CatalogueError) as raised:
        apply_overlay(CATALOGUE, overlay)
    assert str(raised.value).startswith(f"{overlay}: observations[0].model_id: unknown")
    result = runner.invoke(app, ["lookup", "013537", "--overlay", str(overlay)])
    assert result.exit_code == ExitCode.BAD_CATALOGUE


def test_an_observation_contradicting_the_catalogue_is_not_applied() -> None:
    # Written by hand (calibrate would have flagged it): 215725 existed by 1989-03.
    model = replace(M1, observations=(
        Observation("korg-m1", "215725", 215725, YearMonth(1989, 3), "existed-by", "x"),
    ))
    estimate = estimate_date(215725, model)
    assert (str(estimate.earliest), str(estimate.latest)) == ("1992-04", "1995-10")
    assert estimate.verdict == "needs review"
    assert estimate.observations == ()
    assert any("contradict the dated serials" in note for note in estimate.notes)


# --------------------------------------------------------------------------------------
# Property: consistent observations never widen a range
# --------------------------------------------------------------------------------------


@st.composite
def observed_models(draw: st.DrawFn) -> tuple[InstrumentModel, list[Observation]]:
    """A valid model and observations dated inside its own ranges (mostly consistent)."""
    model = draw(synthetic_models())
    observations = []
    for _ in range(draw(st.integers(1, 6))):
        number = draw(st.integers(1, 600_000))
        estimate = estimate_date(number, model)
        month = draw(st.integers(estimate.earliest.ordinal(), estimate.latest.ordinal()))
        observations.append(Observation(
            model.model_id, str(number), number, YearMonth.from_ordinal(month),
            draw(st.sampled_from(OBSERVATION_MEANINGS)), "test",
        ))
    return model, observations


@settings(max_examples=200, deadline=None)
@given(case=observed_models(), serials=st.lists(st.integers(0, 700_000), min_size=1,
                                                max_size=5), keep=st.integers(0, 6))
def test_adding_consistent_observations_never_widens_a_range(
    case: tuple[InstrumentModel, list[Observation]], serials: list[int], keep: int
) -> None:
    model, observations = case
    rows = [(observation, line) for line, observation in enumerate(observations, start=2)]
    accepted = [o for o, _ in check_observations(rows, Catalogue((model,)))[0]]
    fewer = replace(model, observations=tuple(accepted[:keep]))
    more = replace(model, observations=tuple(accepted))
    for serial in serials:
        bare, some, every = (estimate_date(serial, m) for m in (model, fewer, more))
        for wider, narrower in ((bare, some), (some, every)):
            assert wider.earliest <= narrower.earliest <= narrower.most_likely
            assert narrower.most_likely <= narrower.latest <= wider.latest
        assert not any("contradict" in note for note in every.notes)
