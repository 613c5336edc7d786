"""The production-date estimator.

The exact expectations below are derived by hand from the data in models/korg-m1.toml and
the method documented in stickerscan/estimate.py, not copied from the code's output.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stickerscan.catalogue import (
    RELIABILITY_TAGS,
    Anchor,
    InstrumentModel,
    ProductionWindow,
    Reliability,
    YearMonth,
)
from stickerscan.catalogue_files import load_catalogue
from stickerscan.estimate import DateEstimate, estimate_date, estimate_serial

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
CATALOGUE = load_catalogue(MODELS_DIR)
M1 = CATALOGUE.get("korg-m1")
M1R = CATALOGUE.get("korg-m1r")
DATED_IDS = tuple(model.model_id for model in CATALOGUE.models if model.can_be_dated)


def ym(text: str) -> YearMonth:
    return YearMonth.parse(text)


# --------------------------------------------------------------------------------------
# Hand-derived expectations for the Korg M1
# --------------------------------------------------------------------------------------
#
# Months are counted from January of year 0 (ordinal = 12 * year + month - 1):
#   1988-01 = 23856   1990-11 = 23890   1994-01 = 23928   1995-12 = 23951
# Points: serial 0 at the production start 1988-01 (B, margin 3),
#         100000 at 1990-11..1990-11 (R, margin 9),
#         250000 at 1994-01..1995-12 (R, margin 9; midpoint 23939.5).
# Between points a and b, t = (s - a) / (b - a); low, high and centre are interpolated from
# the points' earliest, latest and midpoint months; margin = base(a) + t * (base(b) -
# base(a)) + 1/4 * (months from the nearer point along the midpoint line).
# earliest = floor(low - margin), latest = ceil(high + margin), most likely = centre rounded
# half up, then all clamped to 1988-01 .. 1995-12.
#
# 002100: t = 0.021; centre = 23856 + 0.021 * 34 = 23856.714 -> 23857 = 1988-02.
#         margin = 3 + 0.021 * 6 + 0.714 / 4 = 3.3045.
#         earliest = floor(23853.41) = 23853 -> clamped to 1988-01;
#         latest = ceil(23860.02) = 23861 = 1988-06.
# 013537: t = 0.13537; centre = 23856 + 4.60258 = 23860.60 -> 23861 = 1988-06.
#         margin = 3 + 0.81222 + 1.150645 = 4.962865.
#         earliest = floor(23855.64) = 23855 -> clamped 1988-01; latest = ceil(23865.57) =
#         23866 = 1988-11.
# 100000: on the anchor: 23890 +- 9 -> 23881 = 1990-02 .. 23899 = 1991-08, most 1990-11.
# 103917: t = 3917 / 150000 = 0.0261133; centre = 23890 + t * 49.5 = 23891.29 -> 1990-12;
#         low = 23890 + t * 38 = 23890.99; high = 23890 + t * 61 = 23891.59;
#         margin = 9 + (t * 49.5) / 4 = 9.32315;
#         earliest = floor(23881.67) = 23881 = 1990-02; latest = ceil(23900.92) = 23901 =
#         1991-10.
# 215725: t = 0.7715; centre = 23890 + 38.18925 = 23928.19 -> 23928 = 1994-01;
#         low = 23890 + 29.317 = 23919.317; high = 23890 + 47.0615 = 23937.0615;
#         nearer point is 250000 (34275 serials away = 11.31075 months): margin = 9 +
#         2.8276875 = 11.8276875; earliest = floor(23907.49) = 23907 = 1992-04;
#         latest = ceil(23948.89) = 23949 = 1995-10 (inside the window: consistent).
# 259999: past the last anchor: rate = 49.5 / 150000 months per serial; 9999 serials give
#         3.29967 months; centre = 23939.5 + 3.29967 = 23942.80 -> 23943 = 1995-04;
#         low = 23928 + 3.29967; margin = 9 + 3.29967 / 4 = 9.8249;
#         earliest = floor(23921.47) = 23921 = 1993-06; latest left open to 1995-12.
#         Only R claims and the range runs past the window: needs review.
# 300000: 50000 serials past: 16.5 months; centre = 23956 (1996-05) -> clamped 1995-12;
#         low = 23944.5; margin = 9 + 4.125; earliest = floor(23931.375) = 1994-04.
#         Above 260000 but not above 1.2 * 260000 = 312000: needs review.
# 000000: serial 0 is never a real unit: inconsistent (1988-01 +- 3, clamped: 1988-01..04).
M1_EXPECTED = [
    # serial, earliest, most likely, latest, reliability, verdict
    (2100, "1988-01", "1988-02", "1988-06", "R", "consistent"),
    (13537, "1988-01", "1988-06", "1988-11", "R", "consistent"),
    (100000, "1990-02", "1990-11", "1991-08", "R", "consistent"),
    (103917, "1990-02", "1990-12", "1991-10", "R", "consistent"),
    (215725, "1992-04", "1994-01", "1995-10", "R", "consistent"),
    (259999, "1993-06", "1995-04", "1995-12", "R", "needs review"),
    (300000, "1994-04", "1995-12", "1995-12", "R", "needs review"),
    (0, "1988-01", "1988-01", "1988-04", "B", "inconsistent"),
]


def test_hand_derivation_matches_the_data_file() -> None:
    """The derivation above assumes these data; fail loudly if the file changes."""
    window = M1.production
    assert (window.start, window.end_latest, window.reliability) == (
        ym("1988-01"), ym("1995-12"), "B",
    )
    assert [(a.serial, a.earliest, a.latest, a.reliability) for a in M1.anchors] == [
        (100000, ym("1990-11"), ym("1990-11"), "R"),
        (250000, ym("1994-01"), ym("1995-12"), "R"),
    ]
    assert M1.serial_format.max_reported == 260000
    assert [ym(t).ordinal() for t in ("1988-01", "1990-11", "1994-01", "1995-12")] == [
        23856, 23890, 23928, 23951,
    ]


@pytest.mark.parametrize(
    ("serial", "earliest", "most_likely", "latest", "reliability", "verdict"), M1_EXPECTED
)
def test_m1_hand_derived(
    serial: int, earliest: str, most_likely: str, latest: str, reliability: str, verdict: str
) -> None:
    estimate = estimate_date(serial, M1)
    assert (str(estimate.earliest), str(estimate.most_likely), str(estimate.latest)) == (
        earliest, most_likely, latest,
    )
    assert estimate.reliability == reliability
    assert estimate.unverified == (reliability in ("C", "R"))
    assert estimate.verdict == verdict
    assert estimate.model_id == "korg-m1"
    assert estimate.serial == serial


def test_m1_anchors_used() -> None:
    between = estimate_date(2100, M1).anchors
    assert [a.serial for a in between] == [0, 100000]
    assert between[0].earliest == ym("1988-01") and between[0].reliability == "B"
    assert between[0].source == M1.production.source
    assert [a.serial for a in estimate_date(100000, M1).anchors] == [100000]
    assert [a.serial for a in estimate_date(215725, M1).anchors] == [100000, 250000]
    # past the last anchor the rate comes from the last two
    assert [a.serial for a in estimate_date(259999, M1).anchors] == [100000, 250000]


def test_m1r_uses_its_own_later_start() -> None:
    # 002100 on an M1R: t = 0.021 between 1989-01 (23868, B) and 1990-11 (23890, R);
    # centre = 23868 + 0.021 * 22 = 23868.46 -> 1989-01; margin = 3 + 0.126 + 0.1155 =
    # 3.2415; latest = ceil(23871.70) = 23872 = 1989-05; earliest clamped to 1989-01.
    estimate = estimate_date(2100, M1R)
    assert (str(estimate.earliest), str(estimate.most_likely), str(estimate.latest)) == (
        "1989-01", "1989-01", "1989-05",
    )
    assert estimate.unverified
    assert any("not known whether the M1R" in note for note in estimate.notes)


# --------------------------------------------------------------------------------------
# Verdict rules
# --------------------------------------------------------------------------------------


def test_far_beyond_anything_reported_is_inconsistent() -> None:
    # 1.2 * 260000 = 312000
    assert estimate_date(312000, M1).verdict == "needs review"
    far = estimate_date(312001, M1)
    assert far.verdict == "inconsistent"
    assert any("more than 20% above 260000" in note for note in far.notes)
    assert estimate_date(999999, M1).verdict == "inconsistent"


def test_above_reported_needs_review() -> None:
    estimate = estimate_date(260001, M1)
    assert estimate.verdict == "needs review"
    assert any("above 260000" in note for note in estimate.notes)
    assert estimate_date(260000, M1).verdict == "needs review"  # R only, at the end edge


def test_serial_zero_is_inconsistent() -> None:
    estimate = estimate_date(0, M1)
    assert estimate.verdict == "inconsistent"
    assert not estimate.unverified  # rests only on the production start (B)
    assert any("not a plausible unit number" in note for note in estimate.notes)


def test_date_outside_the_window_is_inconsistent() -> None:
    # A model with no ceiling on serials, so only the date can rule: 400000 extrapolates to
    # 23939.5 + 150000 * 49.5 / 150000 = 23989 (1999-02), low 23977.5 - margin 21.375 =
    # 23956.1 -> the whole range is after 1995-12.
    model = replace(M1, serial_format=replace(M1.serial_format, max_reported=None))
    estimate = estimate_date(400000, model)
    assert estimate.verdict == "inconsistent"
    assert estimate.earliest == estimate.latest == estimate.most_likely == ym("1995-12")
    assert any("entirely after the end" in note for note in estimate.notes)
    # Cut to the window, the range is only its last month: it says so, as no date.
    assert estimate.outside == "after"
    assert estimate.to_dict()["outside_production"] == "after"
    # 300000 points to 1996-05 most likely, but its range still overlaps the window
    assert estimate_date(300000, model).verdict == "needs review"
    assert estimate_date(300000, model).outside is None


def test_r_only_near_the_end_needs_review_but_mid_range_does_not() -> None:
    assert estimate_date(150000, M1).verdict == "consistent"
    near_end = estimate_date(240000, M1)
    assert near_end.verdict == "needs review"
    assert any("unconfirmed (R)" in note for note in near_end.notes)


def test_stronger_evidence_gives_a_consistent_verdict_near_the_edge() -> None:
    strong = _with_tags(M1, "A")
    assert estimate_date(240000, strong).verdict == "consistent"
    assert not estimate_date(240000, strong).unverified


def test_notes_and_basis() -> None:
    estimate = estimate_date(103917, M1)
    assert estimate.basis.startswith("Interpolated in a straight line between serial 100000")
    assert "(1990-11; tag R)" in estimate.basis
    assert "(1994-01 to 1995-12; tag R)" in estimate.basis
    assert ". " not in estimate.basis and estimate.basis.endswith(".")  # one sentence
    assert any("rough guide" in note for note in estimate.notes)
    for note in M1.notes:
        assert note in estimate.notes
    beyond = estimate_date(259999, M1)
    assert beyond.basis.startswith("Extrapolated past the highest dated serial, serial 250000")
    assert any("extrapolated" in note for note in beyond.notes)
    start = estimate_date(0, M1)
    assert "start of production, 1988-01; tag B" in start.basis


def test_to_dict_is_plain_json() -> None:
    data = estimate_date(13537, M1).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["earliest"] == "1988-01" and data["most_likely"] == "1988-06"
    assert data["verdict"] == "consistent" and data["unverified"] is True
    assert [a["serial"] for a in data["anchors"]] == [0, 100000]  # type: ignore[attr-defined]


def test_negative_serial_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        estimate_date(-1, M1)


def test_weaker_tags_widen_the_range() -> None:
    widths = [_width(estimate_date(50000, _with_tags(M1, tag))) for tag in RELIABILITY_TAGS]
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_range_is_narrowest_at_an_anchor() -> None:
    strong = _with_tags(M1, "A")
    assert _width(estimate_date(100000, strong)) < _width(estimate_date(50000, strong))


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

SERIALS = st.integers(min_value=0, max_value=400_000)


@pytest.mark.parametrize("model_id", DATED_IDS)
@given(serial=SERIALS)
def test_range_is_ordered_and_inside_the_window(model_id: str, serial: int) -> None:
    model = CATALOGUE.get(model_id)
    _check_invariants(estimate_date(serial, model), model)


@pytest.mark.parametrize("model_id", DATED_IDS)
@given(a=SERIALS, b=SERIALS)
def test_most_likely_never_goes_back_in_time(model_id: str, a: int, b: int) -> None:
    model = CATALOGUE.get(model_id)
    low, high = sorted((a, b))
    assert estimate_date(low, model).most_likely <= estimate_date(high, model).most_likely


@given(serial=st.integers(min_value=1, max_value=260_000))
def test_every_m1_estimate_in_range_is_unverified(serial: int) -> None:
    # every serial above 0 rests on at least one R anchor
    estimate = estimate_date(serial, M1)
    assert estimate.unverified and estimate.reliability == "R"
    assert estimate.verdict != "inconsistent"


TAGS: st.SearchStrategy[Reliability] = st.sampled_from(RELIABILITY_TAGS)


@st.composite
def synthetic_models(draw: st.DrawFn) -> InstrumentModel:
    """Valid models: anchors sorted by serial, dates never going back, inside the window."""
    start = draw(st.integers(23000, 24000))
    count = draw(st.integers(1, 5))
    serials = sorted(draw(st.sets(st.integers(1, 500_000), min_size=count, max_size=count)))
    anchors: list[Anchor] = []
    earliest = latest = start
    for serial in serials:
        earliest += draw(st.integers(0, 30))
        latest = max(latest, earliest + draw(st.integers(0, 24)))
        anchors.append(Anchor(serial, YearMonth.from_ordinal(earliest),
                              YearMonth.from_ordinal(latest), draw(TAGS), "test", "test"))
    end_latest = latest + draw(st.integers(0, 36))
    end_earliest = draw(st.integers(start, end_latest))
    window = ProductionWindow(
        YearMonth.from_ordinal(start), YearMonth.from_ordinal(end_earliest),
        YearMonth.from_ordinal(end_latest), draw(TAGS), "test",
    )
    limit = draw(st.none() | st.integers(serials[-1], 600_000))
    return replace(
        M1, production=window, anchors=tuple(anchors),
        serial_format=replace(M1.serial_format, max_reported=limit),
    )


@settings(max_examples=300)
@given(model=synthetic_models(), a=st.integers(0, 800_000), b=st.integers(0, 800_000))
def test_properties_hold_for_any_valid_model(model: InstrumentModel, a: int, b: int) -> None:
    low, high = sorted((a, b))
    first, second = estimate_date(low, model), estimate_date(high, model)
    _check_invariants(first, model)
    _check_invariants(second, model)
    assert first.most_likely <= second.most_likely


@given(model=synthetic_models(), data=st.data())
def test_an_anchor_serial_is_dated_at_its_own_midpoint(
    model: InstrumentModel, data: st.DataObject
) -> None:
    anchor = data.draw(st.sampled_from(model.anchors))
    centre = Fraction(anchor.earliest.ordinal() + anchor.latest.ordinal(), 2)
    expected = math.floor(centre + Fraction(1, 2))
    window = model.production
    assume(window.start.ordinal() <= expected <= window.end_latest.ordinal())
    estimate = estimate_date(anchor.serial, model)
    assert estimate.most_likely.ordinal() == expected
    assert estimate.anchors == (anchor,)
    assert estimate.reliability == anchor.reliability


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _check_invariants(estimate: DateEstimate, model: InstrumentModel) -> None:
    window = model.production
    assert window.start <= estimate.earliest <= estimate.most_likely <= estimate.latest
    assert estimate.latest <= window.end_latest
    assert estimate.verdict in ("consistent", "needs review", "inconsistent")
    tags = [anchor.reliability for anchor in estimate.anchors]
    assert tags and estimate.reliability == max(tags, key=RELIABILITY_TAGS.index)
    assert estimate.unverified == (estimate.reliability in ("C", "R"))
    serials = [anchor.serial for anchor in estimate.anchors]
    assert serials == sorted(serials)
    assert estimate.basis.strip()
    limit = model.serial_format.max_reported
    if estimate.serial == 0 or (limit is not None and estimate.serial * 5 > limit * 6):
        assert estimate.verdict == "inconsistent"
    elif limit is not None and estimate.serial > limit:
        assert estimate.verdict != "consistent"


def _with_tags(model: InstrumentModel, tag: Reliability) -> InstrumentModel:
    return replace(
        model,
        production=replace(model.production, reliability=tag),
        anchors=tuple(replace(anchor, reliability=tag) for anchor in model.anchors),
    )


def _width(estimate: DateEstimate) -> int:
    return estimate.latest.ordinal() - estimate.earliest.ordinal()


# --------------------------------------------------------------------------------------
# Models without dated serials, and the estimate stage
# --------------------------------------------------------------------------------------


def test_a_model_without_anchors_is_dated_by_its_whole_window() -> None:
    # 1988-01 (23856) .. 1995-12 (23951): centre 23903.5 rounds half up to 23904 = 1992-01.
    bare = replace(M1, anchors=())
    estimate = estimate_date(103917, bare)
    assert (str(estimate.earliest), str(estimate.most_likely), str(estimate.latest)) == (
        "1988-01", "1992-01", "1995-12",
    )
    assert estimate.reliability == "B" and not estimate.unverified
    assert estimate.verdict == "consistent"
    assert estimate.basis == (
        "No dated serials are known for this model, so the range is its whole production "
        "window, 1988-01 to 1995-12 (tag B)."
    )


def test_the_estimate_stage_dates_only_valid_serials_of_datable_models() -> None:
    from stickerscan.validate import check_typed_serial

    assert estimate_serial(check_typed_serial("103917", M1), M1) is not None
    assert estimate_serial(check_typed_serial("13537", M1), M1) is None  # invalid
    assert estimate_serial(check_typed_serial("781234", M1), M1) is None  # a 1978 serial
    generic = CATALOGUE.get("generic")
    assert estimate_serial(check_typed_serial("AB12-3456", generic), generic) is None
    with pytest.raises(ValueError, match="no production window"):
        estimate_date(1, generic)
