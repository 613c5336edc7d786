from __future__ import annotations

import pytest

from stickerscan.wording import model_names_in

NAMES = {"korg-m1": ["M1"], "korg-m1r": ["M1R"], "korg-m1ex": ["M1EX"],
         "korg-m1rex": ["M1R-EX"]}


@pytest.mark.parametrize(("text", "found"), [
    ("KORG M1 MUSIC WORKSTATION", ("korg-m1",)),
    ("MODEL: Ml", ("korg-m1",)),
    ("MODEL MI\nSERIAL NO. 013537", ("korg-m1",)),
    ("KORG MIR", ("korg-m1r",)),
    ("M1 R-EX", ("korg-m1rex",)),
    ("m1ex", ("korg-m1ex",)),
    ("M1 and M1R", ("korg-m1", "korg-m1r")),
])
def test_model_names_are_found_with_the_ocrs_usual_slips(text: str, found: tuple[str, ...]) -> None:
    assert model_names_in(text, NAMES) == found


@pytest.mark.parametrize("text", ["MIDI IN OUT THRU", "MIL-STD", "AM1X", "SERIAL NO. 110", "M12"])
def test_words_that_only_contain_a_model_name_are_not_it(text: str) -> None:
    assert model_names_in(text, NAMES) == ()
