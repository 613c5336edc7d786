"""Older Korg numbering schemes and software codes: named for what they are, never dated
as the chosen model's serial."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from stickerscan.catalogue_files import load_catalogue
from stickerscan.cli import app
from stickerscan.errors import ExitCode
from stickerscan.other_schemes import other_schemes

CATALOGUE = load_catalogue()
M1 = CATALOGUE.get("korg-m1")
runner = CliRunner()


@pytest.mark.parametrize(
    ("serial", "scheme", "year"),
    [
        # 781234: 78 is a year of the c.1966-81 scheme, and far above 1.2 * 260000 = 312000.
        ("781234", "korg-year-serial", 1978),
        ("660001", "korg-year-serial", 1966),
        ("819999", "korg-year-serial", 1981),
        # 439nnn is the MS-20's block of the c.1977-83 scheme (and above 312000).
        ("439123", "korg-model-block", None),
        # four or five digits: an older model's short number (or a lost digit)
        ("13537", "korg-short-serial", None),
        ("1234", "korg-short-serial", None),
        ("ABCD-1234-EFGH-5678", "software-code", None),
    ],
)
def test_numbers_that_are_not_m1_serials(serial: str, scheme: str, year: int | None) -> None:
    (match,) = other_schemes(serial, M1)
    assert match.scheme == scheme
    assert match.year == year
    assert match.source and match.reliability in ("A", "R")


@pytest.mark.parametrize(
    "serial",
    [
        "013537",  # an M1 serial
        "141567",  # fits the MS-20 block, but is also a plausible M1 number: the M1's
        "312000",  # exactly 1.2 * 260000: not yet far beyond what is reported
        "651234",  # 65 is before the year-based scheme, and no known model block
        "822222",  # 82: after it
        "1234567",  # seven digits: nothing known
    ],
)
def test_m1_serials_and_unknown_shapes_are_left_alone(serial: str) -> None:
    assert other_schemes(serial, M1) == ()


def test_software_code_is_recognised_by_the_words_around_it() -> None:
    (match,) = other_schemes("013537", M1, label_text="KORG Collection M1 licence\n013537")
    assert match.scheme == "software-code"
    assert match.reliability == "R"  # reported only in the product brief


def test_only_korg_models_get_korg_schemes() -> None:
    generic = CATALOGUE.get("generic")
    assert other_schemes("781234", generic) == ()
    assert other_schemes("ABCD-1234-EFGH-5678", generic) == ()


LOOKUP_EXPECTED = [
    (["781234"],
     "781234  (Korg M1; assumed; choose another with --model)\n"
     "  not        a Korg M1 serial, so no Korg M1 date is given\n"
     "  instead    looks like a 1970s Korg year-based serial (c.1966-81): made in 1978\n"
     "  basis      In Korg's numbering of about 1966 to 1981 the first two digits are the "
     "year (78) and the last four a count kept per model (1234), so the same number can "
     "be found on two different models (A, zasm.earth/korg-serials).\n"),
    (["439123", "--model", "korg-m1r"],
     "439123  (Korg M1R; given with --model)\n"
     "  not        a Korg M1R serial, so no Korg M1R date is given\n"
     "  instead    looks like a Korg model-block serial (c.1977-83): the leading 439 is "
     "reported for the MS-20; no date can be read from it\n"
     "  basis      In Korg's numbering of about 1977 to 1983 the first digits mostly name "
     "the model and the last four are a count per model, with no date in the number "
     "(A, zasm.earth/korg-serials-model).\n"),
    (["13537"],
     "13537  (Korg M1; assumed; choose another with --model)\n"
     "  note       '13537' does not fit the Korg M1 serial format: six digits, leading "
     "zeros kept, one running sequence with no date digits\n"
     "  not        a Korg M1 serial, so no Korg M1 date is given\n"
     "  instead    could be an older Korg serial: some models of about 1966 to 1981 carry "
     "5-digit numbers with no year in them; no date can be read from it\n"
     "  basis      Korg's older numbering includes models with 4 or 5 digit serials and no "
     "year (A, zasm.earth/korg-serials); check the digits on the unit first, since a lost "
     "digit is the likelier explanation.\n"),
]


@pytest.mark.parametrize(("arguments", "expected"), LOOKUP_EXPECTED,
                         ids=["year-based", "model-block", "short"])
def test_lookup_of_an_older_korg_serial_exact_output(
    arguments: list[str], expected: str
) -> None:
    result = runner.invoke(app, ["lookup", *arguments])
    assert result.exit_code == ExitCode.INVALID_SERIAL
    assert result.output == expected


def test_lookup_of_a_software_code_says_it_carries_no_date() -> None:
    result = runner.invoke(app, ["lookup", "ABCD-1234-EFGH-5678", "--json"])
    assert result.exit_code == ExitCode.INVALID_SERIAL
    assert '"scheme": "software-code"' in result.output
    assert '"estimate": null' in result.output
