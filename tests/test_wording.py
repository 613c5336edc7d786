from __future__ import annotations

import itertools

import pytest

from stickerscan.catalogue_files import load_catalogue
from stickerscan.wording import (
    OTHER_NUMBER_WORDS,
    _at_most_one_slip,
    cut_serial_wording,
    model_names_in,
    names_another_number,
    other_number_name,
    other_number_name_printed,
    serial_wording,
)

NAMES = {"korg-m1": ["M1"], "korg-m1r": ["M1R"], "korg-m1ex": ["M1EX"],
         "korg-m1rex": ["M1R-EX"]}


@pytest.mark.parametrize(("text", "found"), [
    ("KORG M1 MUSIC WORKSTATION", ("korg-m1",)),
    ("MODEL: Ml", ("korg-m1",)),
    ("MODEL MI\nSERIAL NO. 013537", ("korg-m1",)),
    ("KORG MIR", ("korg-m1r",)),
    ("KORG M1iR", ("korg-m1r",)),  # a serif 1 split into a 1 and its foot
    ("MODEL M1l", ("korg-m1",)),
    ("M1 R-EX", ("korg-m1rex",)),
    ("m1ex", ("korg-m1ex",)),
    ("M1 and M1R", ("korg-m1", "korg-m1r")),
])
def test_model_names_are_found_with_the_ocrs_usual_slips(text: str, found: tuple[str, ...]) -> None:
    assert model_names_in(text, NAMES) == found


@pytest.mark.parametrize("text", ["MIDI IN OUT THRU", "MIL-STD", "MIL", "AM1X", "SERIAL NO. 110",
                                  "M12", "M11", "M1II"])
def test_words_that_only_contain_a_model_name_are_not_it(text: str) -> None:
    assert model_names_in(text, NAMES) == ()


# --------------------------------------------------------------------------------------
# Serial wording with its "NO." garbled
# --------------------------------------------------------------------------------------

M1_WORDS = ["SERIAL NO.", "Serial No.", "S/N", "No."]
GENERIC_WORDS = ["SERIAL NO.", "Serial No:", "SERIAL NUMBER", "SER. NO.", "S/N", "SL NO."]


@pytest.mark.parametrize("before", [
    # Those with two or more slips in SERIALNO as a whole are wording only by their first
    # word: "SERIAI Wa." is SERIAINA once W is taken for N.
    "Seriat Me.",       # a slip in SERIAL, and NO. read as another short word
    "SERTAL WO.",
    "SERIAL Ko.",
    "SERIAI Wa.",       # both words slipped: too far from SERIALNO as one word
    "Serial Ne:",
    "KORG INC.\nSeriat Me.",
    "Seriat",           # the NO. not read at all
    "SERIA1 Ko.",       # a digit read for a letter of SERIAL
    "SER.",             # its abbreviation, the NO. lost (glare, a crop's edge)
    "TOKYO JAPAN\nSERI.",
    "SER TAL MO.",      # dot-matrix print: SERIAL split in two, NO. garbled
    "KORG INC. TOKYO JAPAN\nSER TAL MO.",
    "S ERIAL Ne.",
    "KORG INC,\nSER. AY,",  # the abbreviation, then its NO. garbled
])
def test_a_garbled_number_sign_after_serial_is_still_serial_wording(before: str) -> None:
    assert serial_wording(before, M1_WORDS) == "SERIAL NO."


@pytest.mark.parametrize("before", [
    "PART",
    "PART Ko.",
    "MODEL NO.",
    "MODEL Ne.",
    "CAT No.",
    "MATERIALS X",      # a long word far from SERIAL
    "Ko.",              # a lone short token is no wording
    "Me",
    "SERIAL 12",        # a number, not a garbled NO., after SERIAL
    "SERIAL Ko. Wa.",   # two tokens after it: no longer the wording before a number
    "SERIALIZED",       # one word, too far from SERIAL
    "SER",              # an abbreviation needs its full stop
    "SE.",              # and three letters at least
    "USER.",            # a word that merely ends in the letters
    "LASER.",
    "ART TAL Ko.",      # two words that joined are still far from SERIAL
    "TO TAL",
    "MODEL SER TAL",    # the other number's name before it
    "SER. 12",          # a number after the abbreviation is no garbled NO.
])
def test_other_words_are_not_taken_for_a_garbled_serial_wording(before: str) -> None:
    assert serial_wording(before, M1_WORDS) is None
    assert serial_wording(before, GENERIC_WORDS) is None


# --------------------------------------------------------------------------------------
# A short label word ("No.", "S/N") counts only as a word of its own
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("before", "found"), [
    ("No.", "No."),
    ("N0:", "No."),
    ("SER. No.", "No."),
    ("KORG S/N", "S/N"),
    ("SIN", "S/N"),
    ("SERIALNO", "SERIAL NO."),     # run together by the OCR: still one wording
    ("SERNO", "No."),               # "SER." run into its "NO."
    ("SER. Ho.", "No."),            # an N printed in dots, its diagonal faint
    ("TOKYO JAPAN S/H", "S/N"),
    ("S/ N", "S/N"),                # split by the OCR: still the word
    ("No :", "No."),
    ("JSiN", "S/N"),                # the sticker's edge read as a stroke glued to its S
    ("QS/N", "S/N"),                # a plate's screw head read as a ring glued to its S
    ("0S/N", "S/N"),
    ("1S/N", "S/N"),
    ("s/M", "S/N"),                 # an M read for the N, after a slash
])
def test_a_short_label_word_on_its_own_or_after_serial_is_wording(
    before: str, found: str
) -> None:
    assert serial_wording(before, M1_WORDS) == found


@pytest.mark.parametrize("before", [
    "ONO",            # upside-down "NO" read as the end of a longer string
    "“INT ONO",
    "CASINO",
    "XS/N",
    "ASIN",           # a letter glued to S/N is no edge stroke
    "JNO",            # nor is a stroke before NO, which upside-down print ends in
    "PRISM",          # an M counts as the N only after a slash
    "SM",
    "ECHO",           # an H read for N counts only in a word of its own...
    "PUSH",
    "PHONE Ho.",      # ... and not after another number's name
    "COMPLIES W",     # the end of one word and a W read as N: not S/N
    "PLIES W",
])
def test_a_short_label_word_inside_another_word_is_not_wording(before: str) -> None:
    assert serial_wording(before, M1_WORDS) is None


M1_WORDS = ("SERIAL NO.", "Serial No.", "S/N", "No.")


def test_the_answer_depends_on_the_label_words_asked_about_in_any_order_of_asking() -> None:
    # Answers are remembered: one for other label words, or given as a list, must not
    # be taken for another's.
    for words, found in [(M1_WORDS, "S/N"), (["No."], None), (list(M1_WORDS), "S/N"),
                         (("S/N",), "S/N"), (["No."], None)]:
        assert serial_wording("KORG S/N", words) == found
    assert serial_wording("Serial No.", ["SERIAL NO."]) == "SERIAL NO."
    assert serial_wording("Serial No.", ["Serial No."]) == "Serial No."


@pytest.mark.parametrize("name", OTHER_NUMBER_WORDS)
@pytest.mark.parametrize("suffix", ["", " NO.", " #", "NO", "-NR."])
def test_every_other_numbers_name_is_found_at_the_end_of_the_text(name: str, suffix: str) -> None:
    assert other_number_name(f"KORG {name}{suffix}") == name
    assert other_number_name(f"{name}{suffix} KORG") is None


@pytest.mark.parametrize(("before", "name"), [
    # Printed in capitals or with a capital first letter, a name is one.
    ("EAN No.", "EAN"), ("Art.-Nr.", "ART"), ("Stock", "STOCK"), ("Item #", "ITEM"),
    ("| LOT", "LOT"), ("T NO. LOT", "LOT"),
    # Read all in small letters, it is a piece of a longer word misread ("Serial No."
    # read as "ean No."); so is a name that only ends a word.
    ("\u2018 ean No.", None), ("stock", None), ("lot #", None), ("Serial No.", None),
])
def test_another_numbers_name_counts_as_printed(before: str, name: str | None) -> None:
    assert other_number_name_printed(before) == name


@pytest.mark.parametrize(("before", "name"), [
    ("Art.-Nr.", "ART"), ("Ref. No.", "REF"), ("Item #", "ITEM"), ("KORG PART NO.", "PART"),
    ("www.shop.de Art.", "ART"), ("SKU", "SKU"), ("Inv.", "INV"),
    ("Listing No.", "LISTING"), ("Auction #", "AUCTION"), ("Catalogue No.", "CATALOGUE"),
    # A name must be the whole word: these only end in one.
    ("WARRANTY VOID", None), ("START", None), ("PILOT", None),
    ("SERIAL NO.", None), ("S/N", None), ("", None),
])
def test_a_number_is_named_another_kind_only_by_whole_words(before: str, name: str | None
                                                           ) -> None:
    assert names_another_number(before) == name


@pytest.mark.parametrize(("fragment", "wording"), [
    ("o.", "No."), ("0.", "No."), ("O.", "No."),
    ("o", None),  # no full stop: any word's last letter
    ("Co.", None), ("ABC.", None), ("L.", None), ("", None), (".", None),
])
def test_only_what_is_left_of_no_is_cut_off_serial_wording(
    fragment: str, wording: str | None
) -> None:
    assert cut_serial_wording(fragment, M1_WORDS) == wording


@pytest.mark.parametrize(("fragment", "wording"), [
    ("Vo.", "No."), ("10.", "No."), ("=Jo.", "No."), ("o.", "No."),
    ("Vo", None),  # no full stop
    ("ABo.", None),  # two letters before the "o.": more than a cut "N"
    ("V.", None),  # nothing of "No." left after the cut letter
])
def test_a_cut_first_letter_may_be_read_as_anything(fragment: str, wording: str | None) -> None:
    assert cut_serial_wording(fragment, M1_WORDS, first_cut=True) == wording
    if wording is not None and fragment != "o.":
        assert cut_serial_wording(fragment, M1_WORDS) is None


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def test_at_most_one_slip_is_an_edit_distance_of_at_most_one() -> None:
    # Every pair of strings of up to four letters from a small alphabet: all the ways
    # of being one slip apart (a letter changed, lost, added) and of being further apart.
    words = ["".join(letters) for length in range(5)
             for letters in itertools.product("SN/", repeat=length)]
    for a, b in itertools.product(words, repeat=2):
        assert _at_most_one_slip(a, b) == (_levenshtein(a, b) <= 1), (a, b)


def test_no_models_serial_wording_names_another_kind_of_number() -> None:
    # A serial after its own wording must never be ruled out as another kind of number.
    catalogue = load_catalogue()
    for model_id in catalogue.ids():
        for words in catalogue.get(model_id).label_words:
            assert names_another_number(words) is None, (model_id, words)
            assert names_another_number(f"KORG INC. {words}") is None, (model_id, words)
