"""Reading the catalogue's data files: loading a folder and the schema checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from stickerscan.catalogue import InstrumentModel, YearMonth
from stickerscan.catalogue_files import load_catalogue, parse_model_file
from stickerscan.errors import CatalogueError, ExitCode

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
