"""The catalogue of instrument models: the shipped data files and the schema checks."""

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
    InstrumentModel,
    SerialFormat,
    YearMonth,
    load_catalogue,
    parse_model_file,
    weakest,
)
from stickerscan.errors import CatalogueError, ExitCode, UnknownModelError

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
M1_FAMILY = ("korg-m1", "korg-m1ex", "korg-m1r", "korg-m1rex")
EXPECTED_IDS = ("generic", *M1_FAMILY)

# A small valid data file; each schema test breaks it in one place.
VALID = """\
schema = 1
model_id = "test-synth"
name = "Test Synth"
maker = "Test"
family = "test"
names_on_panel = ["TS1"]
label_words = ["SERIAL NO."]
label_description = "A silver sticker on the back (unverified)."
advice = ["Look underneath too."]
notes = ["A note."]

[serial_format]
pattern = "[0-9]{6}"
description = "six digits"
max_reported = 200000
reliability = "C"
source = "a forum"

[production]
start = "1988-01"
end_earliest = "1990-01"
end_latest = "1991-12"
reliability = "B"
source = "an encyclopaedia"

[[anchors]]
serial = 50000
earliest = "1988-06"
latest = "1988-08"
reliability = "A"
source = "a magazine"
claim = "Reported in a review."

[[anchors]]
serial = 150000
earliest = "1990-01"
latest = "1990-03"
reliability = "R"
source = "product brief only"
claim = "Said in the brief."

[[reported_serials]]
text = "001234"
reliability = "C"
source = "a forum"
claim = "An owner's unit."
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


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


# --------------------------------------------------------------------------------------
# Loading and schema checks
# --------------------------------------------------------------------------------------


def test_valid_file_parses(tmp_path: Path) -> None:
    model = parse_model_file(write(tmp_path, "test-synth.toml", VALID))
    assert isinstance(model, InstrumentModel)
    assert model.model_id == "test-synth"
    assert [a.serial for a in model.anchors] == [50000, 150000]
    assert model.anchors[0].earliest == YearMonth(1988, 6)
    assert model.notes == ("A note.",)
    assert model.source_file == str(tmp_path / "test-synth.toml")


def test_optional_keys_may_be_left_out(tmp_path: Path) -> None:
    text = VALID.replace('notes = ["A note."]\n', "").replace("max_reported = 200000\n", "")
    text = text[: text.index("[[reported_serials]]")]
    model = parse_model_file(write(tmp_path, "test-synth.toml", text))
    assert model.notes == ()
    assert model.reported_serials == ()
    assert model.serial_format.max_reported is None


def test_readme_and_other_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# not a model\n")
    write(tmp_path, "notes.txt", "schema = oops")
    write(tmp_path, "test-synth.toml", VALID)
    assert load_catalogue(tmp_path).ids() == ("test-synth",)


def test_models_are_sorted_by_id(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", VALID.replace('"test-synth"', '"zz-synth"'))
    write(tmp_path, "b.toml", VALID.replace('"test-synth"', '"aa-synth"'))
    assert load_catalogue(tmp_path).ids() == ("aa-synth", "zz-synth")


def test_duplicate_model_id_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "one.toml", VALID)
    write(tmp_path, "two.toml", VALID)
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(tmp_path)
    message = str(raised.value)
    assert message.startswith(str(tmp_path / "two.toml") + ": model_id: ")
    assert "one.toml" in message
    assert raised.value.exit_code == ExitCode.BAD_CATALOGUE


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not a folder"):
        load_catalogue(tmp_path / "nowhere")


def test_folder_without_models(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# nothing here\n")
    with pytest.raises(CatalogueError, match=r"no instrument model files \(\*\.toml\)"):
        load_catalogue(tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        parse_model_file(tmp_path / "missing.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(VALID.encode("utf-8").replace(b"Test Synth", b"Test \xff"))
    with pytest.raises(CatalogueError, match="not UTF-8"):
        parse_model_file(path)


TWO_ANCHORS = VALID[VALID.index("[[anchors]]") : VALID.index("[[reported_serials]]")]


def _swap_anchors(text: str) -> str:
    first, second = TWO_ANCHORS.split("\n\n[[anchors]]")
    return text.replace(TWO_ANCHORS, "[[anchors]]" + second.rstrip("\n") + "\n\n" + first + "\n\n")


SCHEMA_CASES = [
    # (id, change to VALID, field named in the message, words in the message)
    ("missing key", lambda t: t.replace('maker = "Test"\n', ""), "maker", "missing"),
    ("extra key", lambda t: t.replace('maker = "Test"\n', 'maker = "Test"\ncolour = "red"\n'),
     "colour", "unknown key"),
    ("extra key in a table", lambda t: t.replace('claim = "Said', 'date = "x"\nclaim = "Said'),
     "anchors[1].date", "unknown key"),
    ("missing table", lambda t: t.replace("[serial_format]", "[serial_form]"),
     "serial_format", "missing"),
    ("anchors without a production window",
     lambda t: t.replace("[production]", "[production_window]"),
     "anchors", "need a [production] window"),
    ("wrong type", lambda t: t.replace("serial = 50000", 'serial = "50000"'),
     "anchors[0].serial", "must be an integer"),
    ("bool as integer", lambda t: t.replace("max_reported = 200000", "max_reported = true"),
     "serial_format.max_reported", "must be an integer"),
    ("text list of wrong type", lambda t: t.replace('advice = ["Look underneath too."]',
                                                    "advice = [1]"),
     "advice[0]", "non-empty text"),
    ("empty label words", lambda t: t.replace('label_words = ["SERIAL NO."]', "label_words = []"),
     "label_words", "empty"),
    ("empty text", lambda t: t.replace('name = "Test Synth"', 'name = "  "'), "name", "empty"),
    ("bad model id", lambda t: t.replace('"test-synth"', '"Test Synth"'), "model_id",
     "lower-case"),
    ("unsupported schema", lambda t: t.replace("schema = 1", "schema = 2"), "schema",
     "not supported"),
    ("bad month", lambda t: t.replace('start = "1988-01"', 'start = "1988-13"'),
     "production.start", "1988-13"),
    ("short month", lambda t: t.replace('earliest = "1988-06"', 'earliest = "1988-6"'),
     "anchors[0].earliest", "YYYY-MM"),
    ("TOML date instead of text", lambda t: t.replace('start = "1988-01"', "start = 1988-01-01"),
     "production.start", "quoted"),
    ("bad regex", lambda t: t.replace('pattern = "[0-9]{6}"', 'pattern = "[0-9"'),
     "serial_format.pattern", "not a valid regular expression"),
    ("unknown tag", lambda t: t.replace('reliability = "A"', 'reliability = "D"'),
     "anchors[0].reliability", "unknown reliability tag"),
    ("lower-case tag", lambda t: t.replace('reliability = "B"', 'reliability = "b"'),
     "production.reliability", "unknown reliability tag"),
    ("anchors out of order", _swap_anchors, "anchors[1].serial", "out of order"),
    ("repeated anchor serial", lambda t: t.replace("serial = 150000", "serial = 50000"),
     "anchors[1].serial", "out of order"),
    ("earliest after latest", lambda t: t.replace('latest = "1988-08"', 'latest = "1988-05"'),
     "anchors[0].latest", "before earliest"),
    ("anchor going back in time",
     lambda t: t.replace('earliest = "1990-01"\nlatest = "1990-03"',
                         'earliest = "1988-02"\nlatest = "1990-03"'),
     "anchors[1].earliest", "cannot be older"),
    ("anchor before production", lambda t: t.replace('earliest = "1988-06"',
                                                     'earliest = "1987-06"'),
     "anchors[0].earliest", "before the production start"),
    ("anchor after production", lambda t: t.replace('latest = "1990-03"', 'latest = "1992-03"'),
     "anchors[1].latest", "after the end of production"),
    ("anchor above max reported", lambda t: t.replace("serial = 150000", "serial = 250000"),
     "anchors[1].serial", "max_reported"),
    ("anchor at serial 0", lambda t: t.replace("serial = 50000", "serial = 0"),
     "anchors[0].serial", "at least 1"),
    ("end before start", lambda t: t.replace('end_earliest = "1990-01"',
                                             'end_earliest = "1987-01"'),
     "production.end_earliest", "before the start"),
    ("end window reversed", lambda t: t.replace('end_latest = "1991-12"',
                                                'end_latest = "1989-12"'),
     "production.end_latest", "before end_earliest"),
    ("reported serial off pattern", lambda t: t.replace('text = "001234"', 'text = "1234"'),
     "reported_serials[0].text", "does not match"),
]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [case[1:] for case in SCHEMA_CASES],
    ids=[case[0] for case in SCHEMA_CASES],
)
def test_schema_errors_name_the_file_and_field(
    tmp_path: Path, change: object, field: str, words: str
) -> None:
    assert callable(change)
    text = change(VALID)
    assert text != VALID
    path = write(tmp_path, "test-synth.toml", text)
    with pytest.raises(CatalogueError) as raised:
        parse_model_file(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {field}: "), message
    assert words in message, message
    assert raised.value.exit_code == ExitCode.BAD_CATALOGUE
    # the loader reports the same problem
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "test-synth.toml", VALID.replace('name = "Test Synth"', "name = "))
    with pytest.raises(CatalogueError) as raised:
        parse_model_file(path)
    assert str(raised.value).startswith(f"{path}: not valid TOML")
