"""The catalogue of instrument models: its types and the shipped data."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stickerscan.catalogue import (
    DEFAULT_MODEL_ID,
    RELIABILITY_TAGS,
    Catalogue,
    SerialFormat,
    YearMonth,
    weakest,
)
from stickerscan.catalogue_files import load_catalogue
from stickerscan.errors import CatalogueError, ExitCode, UnknownModelError

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
M1_FAMILY = ("korg-m1", "korg-m1ex", "korg-m1r", "korg-m1rex")
EXPECTED_IDS = ("generic", *M1_FAMILY)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(MODELS_DIR)


# --------------------------------------------------------------------------------------
# YearMonth
# --------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=1, max_value=12))
def test_year_month_round_trips(year: int, month: int) -> None:
    ym = YearMonth(year, month)
    assert YearMonth.parse(str(ym)) == ym
    assert YearMonth.from_ordinal(ym.ordinal()) == ym


@given(
    st.tuples(st.integers(0, 9999), st.integers(1, 12)),
    st.tuples(st.integers(0, 9999), st.integers(1, 12)),
)
def test_year_month_order_follows_the_calendar(a: tuple[int, int], b: tuple[int, int]) -> None:
    first, second = YearMonth(*a), YearMonth(*b)
    assert (first < second) == (first.ordinal() < second.ordinal())


def test_year_month_examples() -> None:
    assert str(YearMonth(1990, 11)) == "1990-11"
    assert YearMonth.parse("1988-01").ordinal() == 1988 * 12
    assert YearMonth.from_ordinal(1995 * 12 + 11) == YearMonth(1995, 12)


@pytest.mark.parametrize(
    "text", ["1990-13", "1990-00", "1990-1", "90-11", "1990/11", "", "1990-11-01", " 1990-11",
             "\u0661\u0669\u0669\u0660-11"],
)
def test_year_month_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError):
        YearMonth.parse(text)


def test_year_month_rejects_bad_fields() -> None:
    with pytest.raises(ValueError):
        YearMonth(1990, 0)
    with pytest.raises(ValueError):
        YearMonth(-1, 5)


def test_weakest_tag() -> None:
    assert RELIABILITY_TAGS == ("A", "B", "C", "R")
    assert weakest(["A", "B"]) == "B"
    assert weakest(["R", "A", "C"]) == "R"


# --------------------------------------------------------------------------------------
# The shipped catalogue
# --------------------------------------------------------------------------------------


def test_shipped_files_are_the_m1_family_and_generic(catalogue: Catalogue) -> None:
    assert sorted(path.name for path in MODELS_DIR.glob("*.toml")) == [
        f"{model_id}.toml" for model_id in EXPECTED_IDS
    ]
    assert catalogue.ids() == EXPECTED_IDS
    assert DEFAULT_MODEL_ID in catalogue.ids()
    for model in catalogue.models:
        assert Path(model.source_file).name == f"{model.model_id}.toml"


def test_default_location_finds_the_same_catalogue() -> None:
    assert load_catalogue().ids() == EXPECTED_IDS


def test_get_returns_the_model(catalogue: Catalogue) -> None:
    model = catalogue.get("korg-m1r")
    assert model.name == "Korg M1R"
    assert model.maker == "Korg"


def test_unknown_model_names_the_id_and_the_known_ids(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownModelError) as raised:
        catalogue.get("korg-m2")
    message = str(raised.value)
    assert "korg-m2" in message
    for model_id in EXPECTED_IDS:
        assert model_id in message
    assert isinstance(raised.value, CatalogueError)
    assert raised.value.exit_code == ExitCode.BAD_CATALOGUE


def test_m1_data(catalogue: Catalogue) -> None:
    m1 = catalogue.get("korg-m1")
    window = m1.production
    assert (str(window.start), str(window.end_earliest), str(window.end_latest)) == (
        "1988-01", "1994-01", "1995-12",
    )
    assert window.reliability == "B"  # start is A/B, recorded as the weaker; end is B
    fmt = m1.serial_format
    assert fmt.pattern == "[0-9]{6}"
    assert fmt.max_reported == 260000
    assert fmt.reliability == "C"
    assert re.fullmatch(fmt.pattern, "002100") and not re.fullmatch(fmt.pattern, "2100")
    assert [(a.serial, str(a.earliest), str(a.latest), a.reliability) for a in m1.anchors] == [
        (100000, "1990-11", "1990-11", "R"),
        (250000, "1994-01", "1995-12", "R"),
    ]
    quoted = {reported.text: reported.reliability for reported in m1.reported_serials}
    assert quoted == {"002100": "C", "005560": "C", "013537": "R", "103917": "R", "215725": "R"}
    assert m1.names_on_panel == ("M1",)
    assert m1.family == "m1"


def test_launch_windows_of_racks_and_ex(catalogue: Catalogue) -> None:
    starts = {model.model_id: str(model.production.start)
              for model in catalogue.models if model.production}
    # M1R reviewed July 1989 (A): the window opens in January 1989. The EX launch dates are
    # not reliably known, so they open as early as their base model.
    assert starts == {"korg-m1": "1988-01", "korg-m1r": "1989-01",
                      "korg-m1ex": "1988-01", "korg-m1rex": "1989-01"}
    for model_id in ("korg-m1ex", "korg-m1rex"):
        notes = " ".join(catalogue.get(model_id).notes)
        assert "launch date is not reliably known" in notes
    panel = catalogue.names_on_panel()
    assert panel["generic"] == ()  # never detected from a label
    assert panel["korg-m1rex"] == ("M1R-EX", "M1REX")
    assert panel["korg-m1ex"] == ("M1EX",)
    assert panel["korg-m1r"] == ("M1R",)


def test_racks_and_ex_rest_only_on_weak_reused_anchors(catalogue: Catalogue) -> None:
    m1 = catalogue.get("korg-m1")
    for model_id in ("korg-m1r", "korg-m1ex", "korg-m1rex"):
        model = catalogue.get(model_id)
        assert model.anchors, model_id
        for anchor in model.anchors:
            assert anchor.reliability in ("C", "R"), (model_id, anchor)
            assert "unknown" in anchor.claim and "not known" in anchor.source
        # the same dates as the keyboard's, nothing more precise invented
        assert [(a.serial, a.earliest, a.latest) for a in model.anchors] == [
            (a.serial, a.earliest, a.latest) for a in m1.anchors
        ]
        assert any("not known whether" in note for note in model.notes), model_id
    assert any("not known whether" in note for note in m1.notes)


def test_every_m1_model_carries_its_sources_and_honest_advice(catalogue: Catalogue) -> None:
    for model in map(catalogue.get, M1_FAMILY):
        assert model.family == "m1"
        assert model.label_words == ("SERIAL NO.", "Serial No.", "S/N", "No.")
        assert model.label_description.startswith("Unverified (R")
        for anchor in model.anchors:
            assert anchor.source.strip() and anchor.claim.strip()
        assert model.production is not None and model.production.source.strip()
        assert model.serial_format.source.strip()
        advice = " ".join(model.advice)
        assert "INT, CARD and COMBI" in advice
        assert "initialises the internal memory" in advice
        assert "back up" in advice or "back them up" in advice
        assert "none of them proves" in advice
        assert "underneath" in advice and "original box" in advice


def test_generic_entry_reads_any_label_and_has_no_dates(catalogue: Catalogue) -> None:
    generic = catalogue.get("generic")
    assert generic.production is None and generic.anchors == ()
    assert not generic.can_be_dated
    for words in ("SERIAL NO.", "S/N", "Serial No:", "SL NO."):
        assert words in generic.label_words
    fits = generic.serial_format.fits
    assert fits("AB12-3456-CD") and fits("SN.2019/0042") and fits("013537")
    assert not fits("ABCD-EFGH")  # no digit
    assert not fits("-1234") and not fits("12")  # starts with a separator; too short
    assert not fits("AB12 3456")  # no spaces
    assert generic.serial_format.running_number("AB12-3456-CD") is None


@pytest.mark.parametrize(("pattern", "fewest"), [
    ("[0-9]{6}", 6),
    (r"\d{5,6}", 5),
    ("(?P<number>[0-9]{4})|[0-9]{8}", 4),
    ("1[0-9]{5}", 6),  # a literal digit counts
    ("[A-Z][0-9]{5}", None),  # not all digits
])
def test_fewest_digits_of_a_format(pattern: str, fewest: int | None) -> None:
    assert SerialFormat(pattern, "", None, "C", "").fewest_digits == fewest


def test_running_number_uses_the_number_group() -> None:
    fmt = replace(load_catalogue(MODELS_DIR).get("generic").serial_format,
                  pattern="KX-(?P<number>[0-9]{5})")
    assert fmt.running_number("KX-00420") == 420
    assert fmt.running_number("KX-0042") is None


def test_to_dict_is_plain_json(catalogue: Catalogue) -> None:
    for model in map(catalogue.get, M1_FAMILY):
        data = model.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert data["model_id"] == model.model_id
        assert model.production is not None
        assert data["production"] == {
            "start": str(model.production.start),
            "end_earliest": str(model.production.end_earliest),
            "end_latest": str(model.production.end_latest),
            "reliability": model.production.reliability,
            "source": model.production.source,
        }
