from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from stickerscan.catalogue import with_serial_pattern
from stickerscan.catalogue_files import load_catalogue
from stickerscan.digit_vote import NumberReading
from stickerscan.enhance import LabelCrop
from stickerscan.locate import LabelRegion
from stickerscan.options import ScanOptions
from stickerscan.product_codes import is_product_code
from stickerscan.read import OcrReading
from stickerscan.validate import (
    SerialCheck,
    _product_code_parts_dropped,
    check_reading,
    check_typed_serial,
    corroborated,
    doubted_by_other_crops,
    preferred,
    sighted,
    with_blur_advice,
)
from stickerscan.wording import serial_wording
from tests.drawing import printed_digits

M1 = load_catalogue().get("korg-m1")
GENERIC = load_catalogue().get("generic")
OPTIONS = ScanOptions()
REGION = LabelRegion(
    quad=((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)),
    text_quad=((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)), score=1.0, text_height=10.0,
    polarity="dark-on-light", outlined=True, line_count=1, longest_line=6,
)
CROP = LabelCrop(region=REGION, rank=0, text_height=36, grey=np.zeros((2, 2), np.uint8),
                 binary=np.zeros((2, 2), np.uint8))
# A region away from REGION, and one over half of it (a line of the sticker's print).
ELSEWHERE = replace(REGION, quad=((5.0, 0.0), (6.0, 0.0), (6.0, 1.0), (5.0, 1.0)))
ONE_LINE = replace(REGION, quad=((0.1, 0.5), (0.9, 0.5), (0.9, 0.9), (0.1, 0.9)))


def _number(text: str, before: str = "SERIAL NO.", after: str = "", *,
            confidence: float = 0.95, votes: int = 3, passes: int = 3) -> NumberReading:
    return NumberReading(text=text, confidence=confidence, votes=votes, passes=passes,
                         alternatives=(), before=before, after=after,
                         line_text=f"{before} {text} {after}".strip())


def _reading(*numbers: NumberReading) -> OcrReading:
    return OcrReading(crop=CROP, upside_down=False, text="", mean_confidence=0.9,
                      numbers=numbers)


@pytest.mark.parametrize("before", ["SERIAL NO.", "Serial No.", "SERIAL No", "S/N", "No.",
                                    "No", "N0.", "SERIAI NO.", "KORG INC.\nSERIAL NO.", "SIN",
                                    "5/N", "S|N"])
def test_serial_wording_is_recognised_with_ocr_slips(before: str) -> None:
    assert serial_wording(before, M1.label_words) is not None


@pytest.mark.parametrize("before", ["", "MIDI OUT", "PART NO.", "MODEL", "TEL", "AC",
                                    "KLM-", "CAT No.", "MODEL NO.", "Model No:", "PART #"])
def test_other_wording_is_not_serial_wording(before: str) -> None:
    assert serial_wording(before, M1.label_words) is None
    assert serial_wording(before, GENERIC.label_words) is None


def test_labelled_six_digits_read_confidently_is_valid() -> None:
    check = check_reading(_reading(_number("013537")), M1, OPTIONS)
    assert check.status == "valid"
    assert check.serial == "013537"
    assert check.guess is None
    assert check.label_word == "SERIAL NO."


def test_leading_zeros_are_kept() -> None:
    check = check_reading(_reading(_number("002100", before="S/N")), M1, OPTIONS)
    assert check.serial == "002100"


def test_serial_is_chosen_over_a_rating_and_a_part_number() -> None:
    check = check_reading(
        _reading(
            _number("120", before="AC", after="V 60Hz"),
            _number("126601", before="PART NO."),
            _number("103917", before="SERIAL NO."),
        ),
        M1,
        OPTIONS,
    )
    assert check.serial == "103917"


def test_unlabelled_number_is_only_a_guess() -> None:
    check = check_reading(_reading(_number("045632", before="")), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.serial is None
    assert check.guess == "045632"
    assert check.confidence < OPTIONS.min_confidence


@pytest.mark.parametrize("cut", [True, False])
def test_a_number_after_cut_off_wording_is_read_and_the_cut_is_noted(cut: bool) -> None:
    number = replace(_number("041669", before="o."), wording_cut=cut)
    check = check_reading(_reading(number), M1, OPTIONS)
    if cut:
        assert check.status == "valid" and check.serial == "041669"
        assert check.label_word == "No."
        assert any("cut off" in problem for problem in check.problems)
    else:
        assert check.status == "unreadable" and check.guess == "041669"


def test_a_serial_read_unsurely_after_its_wording_outranks_a_sure_part_number() -> None:
    # A code beside the label read surely ("KLM-1131") is no sighting of a serial; the
    # number after "S/N", read unsurely, is: it is the one shown as the guess.
    part = _number("1131", before="KLM-", confidence=0.99)
    serial = _number("244688", before="S/N", confidence=0.26, votes=2, passes=4)
    check = check_reading(_reading(part, serial), M1, OPTIONS)
    assert (check.status, check.guess, check.label_word) == ("unreadable", "244688", "S/N")
    checks = [check_reading(_reading(number), M1, OPTIONS) for number in (part, serial)]
    assert not sighted(checks[0], M1)
    assert sighted(checks[1], M1)
    assert preferred(checks, M1).guess == "244688"
    assert preferred(checks[::-1], M1).guess == "244688"


def test_an_unlabelled_number_of_the_serials_shape_is_a_sighting_too() -> None:
    bare = check_reading(_reading(_number("045632", before="", confidence=0.5)), M1, OPTIONS)
    short = check_reading(_reading(_number("4563", before="", confidence=0.99)), M1, OPTIONS)
    assert sighted(bare, M1)
    assert preferred([short, bare], M1) is bare
    # A valid reading still outranks any guess.
    valid = check_reading(_reading(_number("013537")), M1, OPTIONS)
    assert preferred([bare, valid, short], M1) is valid


def test_of_two_numbers_after_serial_wording_the_guess_is_the_one_of_a_serials_shape() -> None:
    # The same label read at two sizes: at one a digit was lost and the rest read surely;
    # at the other all six were read unsurely.  The six are the better guess.
    short = check_reading(_reading(_number("98397", before="SERIAL No,", confidence=0.99)),
                          M1, OPTIONS)
    whole = check_reading(_reading(_number("098397", before="SERIAL Wo.", confidence=0.45,
                                           votes=1, passes=4)), M1, OPTIONS)
    assert short.status == whole.status == "unreadable"
    assert sighted(short, M1) and sighted(whole, M1)
    assert preferred([short, whole], M1) is whole
    assert preferred([whole, short], M1) is whole


def test_low_confidence_gives_unreadable_with_a_guess() -> None:
    number = replace(_number("013537", confidence=0.5, votes=2, passes=3),
                     alternatives=("013587",))
    check = check_reading(_reading(number), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "013537"
    assert any("disagree" in problem for problem in check.problems)


@pytest.mark.parametrize("confidence", [0.9, 0.99])
def test_wrong_length_read_off_a_photo_is_only_a_guess(confidence: float) -> None:
    check = check_reading(_reading(_number("1035917", confidence=confidence)), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "1035917"
    assert check.serial is None
    assert any("six digits" in problem for problem in check.problems)


def test_number_read_beyond_anything_reported_is_a_guess_with_the_reason() -> None:
    # A sure, labelled reading: only its range keeps it from being the answer.
    check = check_reading(_reading(_number("412345")), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.serial is None and check.guess == "412345"
    assert check.confidence < OPTIONS.min_confidence
    assert any("above anything reported" in problem for problem in check.problems)
    assert any("misread" in problem for problem in check.problems)


def test_number_read_at_the_top_of_the_range_is_read() -> None:
    check = check_reading(_reading(_number("259999")), M1, OPTIONS)
    assert check.status == "valid"
    assert not any("above anything reported" in problem for problem in check.problems)


def _marked_zero_read_as_six(*, before: str = "SERIAL NO.", others_sure: float = 0.85,
                             text: str = "621565") -> NumberReading:
    """A number whose first glyph, shaped like a zero, every pass read as a 6."""
    return replace(_number(text, before, confidence=0.6),
                   leading_zero=("0" + text[1:], others_sure))


def test_a_zero_shaped_first_digit_is_a_zero_where_the_range_settles_it() -> None:
    check = check_reading(_reading(_marked_zero_read_as_six()), M1, OPTIONS)
    assert check.status == "valid"
    assert check.serial == "021565"
    assert check.confidence == pytest.approx(0.85)
    assert check.number is not None and "621565" in check.number.alternatives
    assert any("zero's shape" in problem for problem in check.problems)
    assert not any("above anything reported" in problem for problem in check.problems)


def test_a_zero_shaped_first_digit_is_left_as_read_where_the_range_settles_nothing() -> None:
    # Within the range, or for a model with no reported range, a 6 may be a 6.
    within = _marked_zero_read_as_six(text="221565")
    check = check_reading(_reading(within), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "221565"
    check = check_reading(_reading(_marked_zero_read_as_six()), GENERIC, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "621565"


@pytest.mark.parametrize(("before", "others_sure"), [
    pytest.param("", 0.85, id="no serial wording"),
    pytest.param("SERIAL NO.", 0.5, id="its other digits unsure"),
])
def test_a_leading_zero_settled_by_the_range_can_still_be_only_a_guess(
    before: str, others_sure: float
) -> None:
    number = _marked_zero_read_as_six(before=before, others_sure=others_sure)
    check = check_reading(_reading(number), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "021565"
    assert check.confidence < OPTIONS.min_confidence


def test_typed_serial_beyond_anything_reported_is_flagged_not_rejected() -> None:
    check = check_typed_serial("412345", M1)
    assert check.status == "valid"
    assert any("above anything reported" in problem for problem in check.problems)


def test_a_rating_alone_is_no_serial() -> None:
    check = check_reading(_reading(_number("1200", before="", after="W")), M1, OPTIONS)
    assert check.status == "no-serial"
    assert check.serial is None and check.guess is None


@pytest.mark.parametrize(("number", "before", "after"), [
    ("674936", "4 959112", ""),  # the last group of an EAN-13
    ("959112", "4.", "674936."),  # a middle group, a gap read as a dot
    ("006381", "M1 4", "333931"),  # a first group, a digit of another word before it
])
def test_a_part_of_a_product_code_is_no_serial(number: str, before: str, after: str) -> None:
    check = check_reading(_reading(_number(number, before=before, after=after)), M1, OPTIONS)
    assert check.status == "no-serial"
    assert check.guess is None
    assert "product code" in check.problems[0]


@pytest.mark.parametrize(("number", "before"), [
    ("674937", "4 959112"),  # the check digit does not fit: not a product code
    ("674936", "SERIAL NO."),
    ("674936", "4 959112 674936\nSERIAL NO."),  # a code on the line above
])
def test_a_number_beside_no_product_code_is_judged_as_before(number: str, before: str) -> None:
    line = before.split("\n")[-1]
    reading = _reading(replace(_number(number, before=before), line_text=f"{line} {number}"))
    check = check_reading(reading, M1, OPTIONS)
    assert check.status in {"valid", "unreadable"}
    assert number in {check.serial, check.guess}


@pytest.mark.parametrize("before", ["Art.-Nr.", "Ref. No.", "Item #", "STOCK", "ASSET #",
                                    "www.shop.de Art.", "LOT", "Listing No.", "Auction No."])
def test_a_number_its_wording_names_as_another_kind_is_no_serial(before: str) -> None:
    check = check_reading(_reading(_number("104154", before=before)), M1, OPTIONS)
    assert check.status == "no-serial"
    assert check.guess is None
    assert "another kind of number" in check.problems[0]


@pytest.mark.parametrize("before", ["", "START", "WARRANTY VOID", "SMART"])
def test_a_name_inside_a_longer_word_leaves_the_number_a_guess(before: str) -> None:
    check = check_reading(_reading(_number("104154", before=before)), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "104154"


def test_a_serial_beside_a_number_named_as_another_kind_is_read() -> None:
    check = check_reading(
        _reading(_number("104154", before="Art.-Nr.", confidence=0.99),
                 _number("103917", before="SERIAL NO.")), M1, OPTIONS)
    assert check.serial == "103917"


def test_no_numbers_is_no_serial() -> None:
    assert check_reading(_reading(), M1, OPTIONS).status == "no-serial"


@pytest.mark.parametrize(("typed", "status"),
                         [("013537", "valid"), ("13537", "invalid"), ("01353A", "invalid")])
def test_typed_serials(typed: str, status: str) -> None:
    assert check_typed_serial(typed, M1).status == status


# --------------------------------------------------------------------------------------
# Any product's serial (letters, digits, separators), and numbers of other schemes
# --------------------------------------------------------------------------------------

def _text_reading(text: str, *numbers: NumberReading, confidence: float = 0.9) -> OcrReading:
    return OcrReading(crop=CROP, upside_down=False, text=text, mean_confidence=confidence,
                      numbers=numbers)


@pytest.mark.parametrize(
    ("text", "serial", "label_word"),
    [
        ("ACME ROUTER X200\nS/N: AB12-3456-CD\nMADE IN CHINA", "AB12-3456-CD", "S/N"),
        ("MODEL AMP-50\nSERIAL NO.\nKX9.2231/07", "KX9.2231/07", "SERIAL NO."),
        ("Serial No: 4CE0460D0G", "4CE0460D0G", "SERIAL NO."),
        ("SL NO. Q7W-00031 220-240V", "Q7W-00031", "SL NO."),
    ],
)
def test_generic_reads_the_word_after_the_serial_wording(
    text: str, serial: str, label_word: str
) -> None:
    check = check_reading(_text_reading(text), GENERIC, OPTIONS)
    assert (check.status, check.serial, check.label_word) == ("valid", serial, label_word)
    assert check.confidence == 0.9
    assert check.problems == (
        "a serial with letters is read in one pass, with no digit-only vote: check O and 0, "
        "I and 1, S and 5, B and 8 on the label",
    )


def test_generic_model_number_is_not_the_serial() -> None:
    check = check_reading(_text_reading("MODEL NO. AMP-50X\nPART NO. 12-AB-99"), GENERIC,
                          OPTIONS)
    assert check.status == "no-serial"


def test_generic_low_confidence_is_only_a_guess() -> None:
    check = check_reading(_text_reading("S/N: AB12-3456-CD", confidence=0.5), GENERIC, OPTIONS)
    assert (check.status, check.serial, check.guess) == ("unreadable", None, "AB12-3456-CD")


def test_digits_only_serials_still_need_the_voted_digit_passes() -> None:
    # The full text shows a six-digit serial, but no voted number: nothing is reported.
    assert check_reading(_text_reading("SERIAL NO. 013537"), M1, OPTIONS).status == "no-serial"


def test_a_one_off_pattern_replaces_the_format() -> None:
    model = load_catalogue().choose(None, "[A-Z]{2}[0-9]{6}")
    assert model.model_id == "generic"
    good = check_reading(_text_reading("S/N AB123456"), model, OPTIONS)
    assert (good.status, good.serial) == ("valid", "AB123456")
    bad = check_reading(_text_reading("S/N AB12345"), model, OPTIONS)
    assert bad.status == "unreadable"
    assert "the pattern [A-Z]{2}[0-9]{6} given with --pattern" in " ".join(bad.problems)


def test_a_year_based_korg_serial_read_off_a_label_is_not_an_m1_serial() -> None:
    check = check_reading(_reading(_number("781234")), M1, OPTIONS)
    assert (check.status, check.serial) == ("invalid", "781234")
    assert [match.scheme for match in check.other_schemes] == ["korg-year-serial"]
    assert check.problems == (
        "looks like a 1970s Korg year-based serial (c.1966-81): made in 1978",
    )


@pytest.mark.parametrize("text", ["685674", "805674", "985674"])
def test_a_marked_zero_misread_is_not_taken_for_an_older_scheme(text: str) -> None:
    # 085674 with its first zero read as 6, 8 or 9: 685674 and 805674 would also fit the
    # year-based scheme of 1966-81, but read off a photo the slip is far likelier.
    check = check_reading(_reading(_number(text)), M1, OPTIONS)
    assert (check.status, check.serial, check.guess) == ("unreadable", None, text)
    assert check.other_schemes == ()
    assert any("more likely a misread digit" in problem for problem in check.problems)


def test_a_typed_year_serial_is_still_reported_as_such() -> None:
    check = check_typed_serial("685674", M1)
    assert (check.status, check.serial) == ("invalid", "685674")
    assert [match.scheme for match in check.other_schemes] == ["korg-year-serial"]


def test_a_licence_code_on_a_korg_collection_card() -> None:
    reading = _text_reading("KORG Collection M1\nSerial No. ABCD-1234-EFGH-5678",
                            confidence=0.6)
    check = check_reading(reading, M1, OPTIONS)
    assert check.status == "invalid"
    assert [match.scheme for match in check.other_schemes] == ["software-code"]


@pytest.mark.parametrize("word", ["TOKYO", "KLM-1266", "B8aec2"])
def test_a_lettered_word_after_wording_is_no_guess_for_an_all_digit_model(word: str) -> None:
    reading = _text_reading(f"SERIAL NO. {word}", confidence=0.9)
    assert check_reading(reading, M1, OPTIONS).status == "no-serial"
    generic = check_reading(reading, GENERIC, OPTIONS)
    assert generic.status != "no-serial"
    assert word in (generic.serial, generic.guess)


@pytest.mark.parametrize(("pattern", "digits_only"), [
    ("[0-9]{6}", True), (r"\d{5,6}", True), ("(?P<number>[0-9]{6})", True),
    ("[A-Z]{2}[0-9]{6}", False), (r"\w+", False), ("[0-9]{3}-[0-9]{3}", False),
    ("[0-9]{2}.[0-9]{4}", False),
])
def test_a_format_knows_whether_its_serials_are_all_digits(pattern: str, digits_only: bool) -> None:
    assert replace(M1.serial_format, pattern=pattern).digits_only == digits_only


# --------------------------------------------------------------------------------------
# A serial read alike in several crops: the wording in one, the digits surely in another
# --------------------------------------------------------------------------------------

def _wording_crop(text: str = "013537", *, alternatives: tuple[str, ...] = ()) -> OcrReading:
    """A wider crop: the wording read before the number, the number itself unsure."""
    number = _number(text, before="SERIAL NO.", confidence=0.6, votes=2)
    return _reading(replace(number, alternatives=alternatives))


def _tight_crop(text: str = "013537", confidence: float = 0.95, *,
                alternatives: tuple[str, ...] = (), second_opinion: str | None = None,
                ) -> OcrReading:
    """A tight crop of the number alone, read surely."""
    number = _number(text, before="", confidence=confidence)
    return _reading(replace(number, alternatives=alternatives, second_opinion=second_opinion))


def test_wording_in_one_crop_and_sure_digits_in_another_make_a_reading() -> None:
    wording, tight = _wording_crop(), _tight_crop()
    # Neither crop is enough on its own.
    assert check_reading(wording, M1, OPTIONS).status == "unreadable"
    assert check_reading(tight, M1, OPTIONS).status == "unreadable"
    check = corroborated([wording, tight], M1, OPTIONS)
    assert check is not None
    assert (check.status, check.serial, check.guess) == ("valid", "013537", None)
    assert check.confidence == 0.95  # as sure as the surest crop read the digits
    assert check.label_word == "SERIAL NO."
    assert any("2 crops" in problem for problem in check.problems)


def test_the_order_of_the_crops_does_not_matter() -> None:
    forward = corroborated([_wording_crop(), _tight_crop()], M1, OPTIONS)
    backward = corroborated([_tight_crop(), _wording_crop()], M1, OPTIONS)
    assert forward is not None and backward is not None
    assert (forward.serial, forward.confidence) == (backward.serial, backward.confidence)


def test_an_unrelated_number_elsewhere_does_not_stand_in_the_way() -> None:
    # A part number differs in more than a couple of digits: another number, no dissent.
    part = _reading(_number("126601", before="PART NO."))
    check = corroborated([_wording_crop(), part, _tight_crop()], M1, OPTIONS)
    assert check is not None and check.serial == "013537"


@pytest.mark.parametrize("name", ["Ref. No.", "Art.-Nr.", "LOT"])
def test_a_number_a_crop_read_after_another_numbers_name_is_not_corroborated(name: str) -> None:
    # A crop that cut "Ref." off a watermark's "Ref. No. 013537" read wording before it,
    # another read the digits surely after the whole name.
    named = _reading(_number("013537", before=name, confidence=0.95))
    assert corroborated([_wording_crop(), _tight_crop(), named], M1, OPTIONS) is None
    assert corroborated([_wording_crop(), named], M1, OPTIONS) is None


def test_a_year_based_serial_read_alike_is_reported_as_such() -> None:
    check = corroborated([_wording_crop("781234"), _tight_crop("781234")], M1, OPTIONS)
    assert check is not None
    assert (check.status, check.serial) == ("invalid", "781234")
    assert [match.scheme for match in check.other_schemes] == ["korg-year-serial"]


def test_one_crop_with_both_the_wording_and_a_sure_bare_reading_is_not_several() -> None:
    one = _reading(_number("013537", confidence=0.6, votes=2), _number("013537", before=""))
    assert corroborated([one], M1, OPTIONS) is None


def test_sure_digits_without_wording_anywhere_are_not_corroborated() -> None:
    assert corroborated([_tight_crop(), _tight_crop(confidence=0.9)], M1, OPTIONS) is None


def test_several_crops_with_wording_all_unsure_are_not_corroborated() -> None:
    assert corroborated([_wording_crop(), _wording_crop()], M1, OPTIONS) is None


@pytest.mark.parametrize("readings", [
    pytest.param(lambda: [_wording_crop(alternatives=("013587",)), _tight_crop()],
                 id="an alternative of the wording crop"),
    pytest.param(lambda: [_wording_crop(), _tight_crop(alternatives=("013587",))],
                 id="an alternative of the sure crop"),
    pytest.param(lambda: [_wording_crop(), _tight_crop(), _tight_crop("013587", 0.5)],
                 id="a third crop's digits"),
    pytest.param(lambda: [_wording_crop(), _tight_crop(), _tight_crop("01537", 0.5)],
                 id="a third crop losing a digit"),
    pytest.param(lambda: [_wording_crop(), _tight_crop(second_opinion="018537")],
                 id="a second opinion"),
])
def test_any_crop_reading_the_digits_otherwise_leaves_them_unread(
    readings: Callable[[], list[OcrReading]],
) -> None:
    assert corroborated(readings(), M1, OPTIONS) is None


def test_digits_read_surely_only_below_the_threshold_are_not_corroborated() -> None:
    readings = [_wording_crop(), _tight_crop(confidence=0.79)]
    assert corroborated(readings, M1, ScanOptions(min_confidence=0.8)) is None
    lenient = corroborated(readings, M1, ScanOptions(min_confidence=0.75))
    assert lenient is not None and lenient.confidence == 0.79


def test_digits_not_fitting_the_models_format_are_not_corroborated() -> None:
    assert corroborated([_wording_crop("01353"), _tight_crop("01353")], M1, OPTIONS) is None
    assert corroborated([_wording_crop("0135377"), _tight_crop("0135377")], M1, OPTIONS) is None


def _whole_code_crop(code: str = "4959112013537", crop: LabelCrop = CROP) -> OcrReading:
    """A crop of the place that read a product code whole, its groups run together."""
    return replace(_reading(_number(code, before="")), crop=crop)


def test_a_number_a_crop_of_its_place_read_within_a_product_code_is_no_serial() -> None:
    assert is_product_code("4959112013537")
    # A crop that cut the code's first digits off read its last group alone.
    cut = _reading(replace(_number("013537", before="9112"), line_text="\u201c9112 013537"))
    alone = check_reading(cut, M1, OPTIONS)
    assert (alone.status, alone.guess) == ("unreadable", "013537")
    whole = check_reading(_whole_code_crop(), M1, OPTIONS)
    dropped, kept = _product_code_parts_dropped([alone, whole])
    assert dropped.status == "no-serial" and dropped.guess is None
    assert "product code 4959112013537" in dropped.problems[0]
    assert kept == whole
    # What is left is the code itself, which is no serial of the model's: no sighting.
    best = preferred([alone, whole], M1)
    assert best.guess == "4959112013537" and not sighted(best, M1)
    # Nor do crops corroborate it.
    readings = [_wording_crop(), _tight_crop(), _whole_code_crop()]
    assert corroborated(readings, M1, OPTIONS) is None


def test_a_product_code_read_at_another_place_leaves_a_number_as_it_was() -> None:
    elsewhere = replace(CROP, region=ELSEWHERE, rank=1)
    checks = [check_reading(_tight_crop(), M1, OPTIONS),
              check_reading(_whole_code_crop(crop=elsewhere), M1, OPTIONS)]
    assert preferred(checks, M1).guess == "013537"
    readings = [_wording_crop(), _tight_crop(), _whole_code_crop(crop=elsewhere)]
    corroborating = corroborated(readings, M1, OPTIONS)
    assert corroborating is not None and corroborating.serial == "013537"
    # A code with a wrong check digit is no product code, at the place or elsewhere.
    assert corroborated([_wording_crop(), _tight_crop(), _whole_code_crop("4959112013538")],
                        M1, OPTIONS) is not None


def test_no_readings_corroborate_nothing() -> None:
    assert corroborated([], M1, OPTIONS) is None


@pytest.mark.parametrize("text", ["Seriat Me. AB12-3456-CD", "SERIAL Ko.\nAB12-3456-CD",
                                  "SERTAL WO. AB12-3456-CD"])
def test_generic_reads_the_word_after_a_garbled_serial_wording(text: str) -> None:
    # The garbled NO. is part of the wording, not the serial after it.
    check = check_reading(_text_reading(text), GENERIC, OPTIONS)
    assert (check.status, check.serial, check.label_word) == ("valid", "AB12-3456-CD",
                                                              "SERIAL NO.")


# A format that takes five to seven digits: a digit lost or added still fits it.
FIVE_TO_SEVEN = with_serial_pattern(M1, r"[0-9]{5,7}")


def test_a_valid_number_another_crop_read_with_a_digit_lost_or_added_is_held_back() -> None:
    labelled = _reading(_number("249974", before="SER. No.", confidence=0.98, votes=3))
    valid = check_reading(labelled, FIVE_TO_SEVEN, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "249974")
    for other in ("49974", "2499745"):  # a digit lost, a digit added
        held = doubted_by_other_crops(valid, [labelled, _tight_crop(other, 0.9)],
                                      FIVE_TO_SEVEN, OPTIONS)
        assert (held.status, held.serial, held.guess) == ("unreadable", None, "249974")
        assert any("digit lost or added" in problem for problem in held.problems)
    # An unsure reading with a digit lost, the same number, or another number altogether
    # leaves the reading as it is.
    for other, confidence in (("49974", 0.55), ("249974", 0.95), ("103311", 0.95)):
        others = [labelled, _tight_crop(other, confidence)]
        assert doubted_by_other_crops(valid, others, FIVE_TO_SEVEN, OPTIONS) == valid
    unreadable = check_reading(_wording_crop(), M1, OPTIONS)
    assert doubted_by_other_crops(unreadable, [_tight_crop("01353")], M1, OPTIONS) == unreadable


@pytest.mark.parametrize("name", ["LOT", "| LOT", "PART NO.", "P/N", "MODEL", "ASSET #"])
def test_a_number_another_crop_of_its_place_read_after_another_numbers_name_is_held_back(
    name: str,
) -> None:
    # A second sticker's "PART NO. 4069-12 / LOT 115670A": a crop that cut "PART" short
    # read the lot number after "NO."; another read its own name before it.
    cut = _reading(_number("115670", before="T NO."))
    valid = check_reading(cut, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "115670")
    named = _reading(_number("115670", before=name))
    held = doubted_by_other_crops(valid, [cut, named], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "115670")
    assert any("another kind of number" in problem for problem in held.problems)
    # So does a crop of another region lying over the same print (a region beginning
    # inside "PART NO." reads "T NO.", one over the whole line reads the name).
    over = replace(named, crop=replace(CROP, rank=5, region=ONE_LINE))
    held = doubted_by_other_crops(valid, [cut, over], M1, OPTIONS)
    assert (held.status, held.guess) == ("unreadable", "115670")
    # Another region's lot number, or another number after that name at this place,
    # says nothing of this one.
    elsewhere = replace(named, crop=replace(CROP, rank=3, region=ELSEWHERE))
    another = _reading(_number("4069", before=name))
    for other in (elsewhere, another):
        assert doubted_by_other_crops(valid, [cut, other], M1, OPTIONS) == valid


def test_a_name_read_in_small_letters_holds_no_serial_back() -> None:
    # A foil sticker's "Serial No. 035694": one crop read "Serial" as "ean"; "EAN No."
    # printed so would be a barcode's number, but a name read all in small letters is a
    # longer word misread.
    labelled = _reading(_number("035694", before="Serial No.", confidence=0.85))
    valid = check_reading(labelled, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "035694")
    misread = _reading(_number("035694", before="\u2018 ean No.", confidence=0.3, votes=1))
    assert doubted_by_other_crops(valid, [labelled, misread], M1, OPTIONS) == valid
    printed = _reading(_number("035694", before="EAN No.", confidence=0.3, votes=1))
    held = doubted_by_other_crops(valid, [labelled, printed], M1, OPTIONS)
    assert (held.status, held.guess) == ("unreadable", "035694")


def test_another_serial_read_after_the_wording_at_the_same_place_holds_a_reading_back() -> None:
    # One crop of a label in a face whose 6 and 9 pass for marked zeros read "000000";
    # the others read "060999" after the same wording, unsurely.  A label has one serial.
    labelled = _reading(_number("000000", confidence=0.85))
    valid = check_reading(labelled, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "000000")
    rival = _reading(_number("060999", confidence=0.6, votes=2))
    held = doubted_by_other_crops(valid, [labelled, rival], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "000000")
    assert any("read 060999 after the serial wording" in problem for problem in held.problems)
    # Another region's serial is another label's; a number a digit or two apart is the
    # same one misread, which the passes' own doubts weigh; a bare number is no rival,
    # nor is one a single pass read (blur garbles each pass its own way).
    elsewhere = replace(rival, crop=replace(CROP, rank=3))
    slip = _reading(_number("000900", confidence=0.6, votes=2))
    bare = _reading(_number("060999", before="", confidence=0.6, votes=2))
    one_pass = _reading(_number("060999", confidence=0.02, votes=1, passes=4))
    for other in (elsewhere, slip, bare, one_pass):
        assert doubted_by_other_crops(valid, [labelled, other], M1, OPTIONS) == valid


def test_the_serial_moved_one_place_and_read_less_surely_holds_no_reading_back() -> None:
    # "SERIAL Wo.10247 s": a crop that took the o of the wording in and lost the last
    # digit read 010247 after "SERIAL", two passes of three alike, unsurely.
    labelled = _reading(_number("102470", confidence=0.99, votes=3))
    valid = check_reading(labelled, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "102470")
    for moved in ("010247", "024701"):  # a digit gained at the front, or at the back
        shifted = _reading(_number(moved, before="SERIAL", confidence=0.54, votes=2))
        assert doubted_by_other_crops(valid, [labelled, shifted], M1, OPTIONS) == valid
    # Read as surely as the serial, it is a rival: which of the two slipped cannot be told.
    sure = _reading(_number("010247", before="SERIAL", confidence=0.99, votes=3))
    held = doubted_by_other_crops(valid, [labelled, sure], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "102470")


@pytest.mark.parametrize("other", ["49974", "2499745"])
def test_a_reading_a_digit_short_or_long_of_a_fixed_length_format_casts_no_doubt(
    other: str,
) -> None:
    # Six digits exactly: the other crop's reading cannot be the serial.
    labelled = _reading(_number("249974", before="SER. No.", confidence=0.98, votes=3))
    valid = check_reading(labelled, M1, OPTIONS)
    assert doubted_by_other_crops(valid, [labelled, _tight_crop(other, 0.9)], M1,
                                  OPTIONS) == valid


def test_an_unsure_number_says_what_the_other_passes_read() -> None:
    split = replace(_number("013537", confidence=0.5, votes=2, passes=3),
                    alternatives=("013587",))
    problems = check_reading(_reading(split), M1, OPTIONS).problems
    assert "the OCR passes disagree (013537, 013587)" in problems


def test_a_pass_that_read_no_digits_is_not_shown_as_a_disagreement_over_one_number() -> None:
    blank = _number("013537", confidence=0.5, votes=2, passes=3)
    problems = check_reading(_reading(blank), M1, OPTIONS).problems
    assert "an OCR pass read no digits where the others read 013537" in problems
    assert not any("disagree" in problem for problem in problems)


def _split_crop(text: str = "038020") -> OcrReading:
    """A crop whose passes read ``text`` three times in four, its larger model agreeing."""
    return _reading(replace(_number(text, confidence=0.99, votes=3, passes=4),
                            alternatives=("093020",), second_opinion=text))


def test_a_split_reading_is_doubted_by_a_crop_that_read_another_digit_in_every_pass() -> None:
    split = _split_crop()
    valid = check_reading(split, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "038020")
    other = _reading(replace(_number("098020", confidence=0.5, votes=3, passes=3),
                             second_opinion="033020"))
    held = doubted_by_other_crops(valid, [other, split], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "038020")
    assert any("another crop read 098020 in every pass" in problem
               for problem in held.problems)


@pytest.mark.parametrize(("other", "votes", "second_opinion"), [
    ("098020", 2, "033020"),  # that crop split too: no more than a dissent
    ("098020", 3, "038020"),  # its larger model read the serial
    ("638020", 3, None),  # a 6 where the serial has a 0: the marked zero's slip
    ("198120", 3, None),  # three digits apart: another number (at another place)
])
def test_a_split_reading_stands_against_weaker_or_explained_dissent(
    other: str, votes: int, second_opinion: str | None
) -> None:
    split = _split_crop()
    valid = check_reading(split, M1, OPTIONS)
    # A crop of a region elsewhere on the panel: at the serial's own place, another serial
    # after the wording is a rival, and over it a number a digit apart is a doubt (see
    # the tests above and below).
    dissent = replace(_reading(replace(_number(other, confidence=0.9, votes=votes, passes=3),
                                       second_opinion=second_opinion)),
                      crop=replace(CROP, rank=1, region=ELSEWHERE))
    assert doubted_by_other_crops(valid, [split, dissent], M1, OPTIONS) == valid


def _view(rank: int, region: LabelRegion, text: str, *, votes: int = 2,
          second_opinion: str | None = None) -> OcrReading:
    """A crop of ``region`` (ranked ``rank``) whose passes read ``text``."""
    number = replace(_number(text, confidence=0.35, votes=votes, passes=3),
                     second_opinion=second_opinion)
    return replace(_reading(number), crop=replace(CROP, rank=rank, region=region))


def _sure_line_of_print(text: str) -> SerialCheck:
    """The check of a sure reading of ``text`` by a crop of one line of a sticker's print."""
    line = _view(2, ONE_LINE, text, votes=3)
    check = check_reading(replace(line, numbers=(replace(line.numbers[0], confidence=0.8),)),
                          M1, OPTIONS)
    assert (check.status, check.serial) == ("valid", text)
    return check


def test_a_serial_is_doubted_by_another_view_of_its_sticker_reading_a_digit_otherwise() -> None:
    # Grain over a 0: the view of one line of the sticker read it as a 9 surely, the
    # sticker's outlined region read a 0 there in two passes of three.
    valid = _sure_line_of_print("120929")
    twin = _view(0, REGION, "120029")
    held = doubted_by_other_crops(valid, [valid.reading, twin], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "120929")
    assert any("read 120029, one digit apart" in problem for problem in held.problems)


def test_a_serial_read_in_the_turned_photo_is_doubted_by_its_place_read_a_digit_otherwise(
) -> None:
    # The photo turned half a turn is read afresh: its sure reading of a place does not
    # know that the photo as taken read that place with one digit otherwise (an 8 for a
    # blurred 0), in two passes of three.  Either way round, which is right is unknown.
    valid = _sure_line_of_print("188770")
    turned = replace(valid.reading, photo_turned=True)
    before = _view(2, ONE_LINE, "180770")
    for check, other in ((replace(valid, reading=turned), before),
                         (valid, replace(before, photo_turned=True))):
        held = doubted_by_other_crops(check, [check.reading, other], M1, OPTIONS)
        assert (held.status, held.serial, held.guess) == ("unreadable", None, "188770")
        assert any("read 180770, one digit apart" in problem for problem in held.problems)


@pytest.mark.parametrize("twin", [
    pytest.param(_view(0, ELSEWHERE, "120029"), id="a region elsewhere"),
    pytest.param(_view(2, REGION, "120029"), id="a crop of the same rank"),
    pytest.param(replace(_view(2, REGION, "120020"), photo_turned=True),
                 id="a crop of the same rank in the turned photo, two digits apart"),
    pytest.param(_view(0, REGION, "120029", votes=1), id="a single pass"),
    pytest.param(_view(0, REGION, "120020"), id="two digits apart"),
    pytest.param(_view(0, REGION, "126929"), id="the serial's zero read as a six"),
    pytest.param(_view(0, REGION, "120029", second_opinion="120929"),
                 id="its larger model read the serial"),
])
def test_a_serial_stands_against_a_near_twin_that_is_no_second_view_of_its_digits(
    twin: OcrReading,
) -> None:
    valid = _sure_line_of_print("120929")
    assert doubted_by_other_crops(valid, [valid.reading, twin], M1, OPTIONS) == valid


def test_a_reading_every_pass_agreed_on_stands_against_another_crop() -> None:
    unanimous = _reading(replace(_number("038020", confidence=0.99, votes=4, passes=4),
                                 second_opinion="038020"))
    valid = check_reading(unanimous, M1, OPTIONS)
    other = _reading(_number("098020", confidence=0.5, votes=3, passes=3))
    assert doubted_by_other_crops(valid, [unanimous, other], M1, OPTIONS) == valid


# A marked zero (a dot or a slash inside) that unsure crops read as a 6, a 9 or an 8


def _at(place: int, reading: OcrReading) -> OcrReading:
    return replace(reading, crop=replace(CROP, rank=place))


def test_wording_before_a_zero_read_as_a_six_stands_for_the_zero_read_surely_there() -> None:
    # The crop with the wording read the marked zero as a 6 (and unsurely); a crop of the
    # same place read the zero surely (its dot-matrix pins), without the wording.
    wording = _at(4, _wording_crop("613537", alternatives=("813537",)))
    tight = _at(4, _tight_crop("013537", 0.85))
    check = corroborated([wording, tight], M1, OPTIONS)
    assert check is not None
    assert (check.status, check.serial, check.confidence) == ("valid", "013537", 0.85)
    assert check.label_word == "SERIAL NO."
    assert any("613537" in problem for problem in check.problems)


def test_a_zero_read_as_a_six_by_a_third_crop_does_not_stand_in_the_way() -> None:
    third = _tight_crop("613537", 0.5)
    check = corroborated([_wording_crop(), _tight_crop(), third], M1, OPTIONS)
    assert check is not None and check.serial == "013537"


@pytest.mark.parametrize("readings", [
    pytest.param(lambda: [_at(2, _wording_crop("613537")), _at(4, _tight_crop())],
                 id="the wording at another place"),
    pytest.param(lambda: [_wording_crop(), _tight_crop(), _tight_crop("613537", 0.9)],
                 id="the six read surely"),
    pytest.param(lambda: [_wording_crop("913537"), _tight_crop("913537"),
                          _tight_crop("013537", 0.5)],
                 id="a nine read as a zero"),
    pytest.param(lambda: [_wording_crop("613587"), _tight_crop()],
                 id="another digit read otherwise too"),
    pytest.param(lambda: [_at(4, _wording_crop("613537")),
                          _at(4, _tight_crop(alternatives=("613537",)))],
                 id="the sure crop's zero made of a six by its shape"),
    pytest.param(lambda: [_at(4, _wording_crop("613537")),
                          _at(4, _tight_crop(second_opinion="613537"))],
                 id="the sure crop's larger model reading the six"),
])
def test_a_zero_read_otherwise_excuses_only_that(
    readings: Callable[[], list[OcrReading]],
) -> None:
    assert corroborated(readings(), M1, OPTIONS) is None


@pytest.mark.parametrize(("covering", "said"), [
    ({"blotted": True}, "a digit has a blot over it"),
    ({"partly_hidden": True}, "part of a digit is hidden"),
    ({"at_frame": True}, "the number runs up to the photo's edge"),
    ({"under_glare": True}, "glare over the number fades its print"),
    ({"loop_misreads": (3,)}, "digit 4, read as a 5, holds a loop no 5 has"),
    ({"alike_read_otherwise": ((1, 3),)},
     "digits 2 and 4 are printed alike but were read as a 1 and a 5"),
])
def test_a_number_with_a_digit_covered_says_so_when_it_is_a_guess(
    covering: dict[str, object], said: str,
) -> None:
    number = replace(_number("013537", confidence=0.6), **covering)
    check = check_reading(_reading(number), M1, OPTIONS)
    assert check.status == "unreadable"
    assert check.guess == "013537"
    assert any(said in problem for problem in check.problems)
    plain = check_reading(_reading(_number("013537", confidence=0.6)), M1, OPTIONS)
    assert not any(said in problem for problem in plain.problems)


@pytest.mark.parametrize(("blur", "confidence", "advised"), [
    (4.0, 0.6, True),  # blurred (edges over about a quarter of the height), not read surely
    (0.0, 0.6, False),  # sharp: blur is not why
    (None, 0.6, False),  # no digit crop to measure
    (4.0, 0.95, False),  # blurred but read surely: nothing to remedy
])
def test_a_blurred_number_not_read_surely_says_how_to_photograph_it_again(
    blur: float | None, confidence: float, advised: bool,
) -> None:
    crop = None if blur is None else printed_digits("013537", blur)
    number = replace(_number("013537", confidence=confidence), digit_crop=crop)
    check = with_blur_advice(check_reading(_reading(number), M1, OPTIONS))
    assert check.status == ("unreadable" if confidence < 0.8 else "valid")
    said = [problem for problem in check.problems if "the print is blurred" in problem]
    assert bool(said) is advised
    if advised:
        assert "% of a digit's height" in said[0] and "hold the camera still" in said[0]
    # The advice never changes the answer.
    plain = check_reading(_reading(number), M1, OPTIONS)
    assert (check.status, check.serial, check.guess) == (plain.status, plain.serial, plain.guess)


def test_a_problem_names_an_eight_with_its_article() -> None:
    number = replace(_number("013587", confidence=0.6), alike_read_otherwise=((1, 4),))
    check = check_reading(_reading(number), M1, OPTIONS)
    assert ("digits 2 and 5 are printed alike but were read as a 1 and an 8: one of them "
            "is misread, so the number is a guess") in check.problems


def _reading_around(number: NumberReading) -> OcrReading:
    """A reading of a region's surroundings (its line widened along it)."""
    around = replace(CROP, region=replace(REGION, surroundings=True))
    return replace(_reading(number), crop=around)


def _short_reading(text: str, kind: str, confidence: float = 0.99) -> OcrReading:
    """A reading of ``text`` that took in the number's whole line: of its region's
    surroundings (``around``), or after the serial wording (``worded``)."""
    if kind == "around":
        return _reading_around(_number(text, before="", confidence=confidence))
    return _reading(_number(text, before="Serial No.", confidence=confidence))


@pytest.mark.parametrize(("shorter", "kinds", "held_back"), [
    ("23410", ("around",) * 3, True),
    ("23410", ("worded",) * 3, True),
    ("12341", ("around",) * 3, True),
    # Wording shows where a crop began, not where it ended: a region can end inside the
    # number after its wording.  One look past the number's end is needed.
    ("12341", ("worded",) * 3, False),
    ("12341", ("worded", "worded", "around"), True),
])
def test_a_serial_three_readings_of_its_line_read_without_an_end_digit_is_held_back(
    shorter: str, kinds: tuple[str, ...], held_back: bool,
) -> None:
    # A thumb over the first digit of 223410 leaves a sliver of the 2 that one crop reads
    # as a 1; the readings that took in the whole line read the five digits they see.
    labelled = _reading(_number("123410", confidence=0.95))
    valid = check_reading(labelled, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "123410")
    others = [_short_reading(shorter, kind) for kind in kinds]
    held = doubted_by_other_crops(valid, [labelled, *others], M1, OPTIONS)
    if not held_back:
        assert held == valid
        return
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "123410")
    end = "first" if shorter == "23410" else "last"
    assert any(f"read {shorter}, without its {end} digit" in problem
               for problem in held.problems)
    # Two such readings, three unsure ones, or three without an inner digit leave it.
    for fewer in ([_short_reading(shorter, kind) for kind in kinds[1:]],
                  [_short_reading(shorter, kind, 0.85) for kind in kinds],
                  [_short_reading("12410", kind) for kind in kinds]):
        assert doubted_by_other_crops(valid, [labelled, *fewer], M1, OPTIONS) == valid


def test_a_region_cut_inside_the_number_casts_no_doubt_on_its_whole_reading() -> None:
    # A region found as a block of its own, beginning inside the number: its crops read
    # 13537 with no wording, however surely, and its surroundings read it whole.
    whole = _reading_around(_number("013537", confidence=0.95))
    valid = check_reading(whole, M1, OPTIONS)
    assert valid.status == "valid"
    cut = [_tight_crop("13537", 0.99) for _ in range(4)]
    assert doubted_by_other_crops(valid, [whole, *cut], M1, OPTIONS) == valid


@pytest.mark.parametrize("shorter", ["23410", "12341"])
def test_a_serial_whose_own_passes_split_over_an_end_digit_is_held_back_by_two_readings(
    shorter: str,
) -> None:
    # A thumb over the 0 of 036236 leaves a sliver that two passes of one crop read as a
    # 1, its third pass read the five digits seen; two crops of the whole line read them.
    labelled = _reading(replace(_number("123410", confidence=0.95, votes=2),
                                alternatives=(shorter,)))
    valid = check_reading(labelled, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "123410")
    others = [_short_reading(shorter, "around") for _ in range(2)]
    held = doubted_by_other_crops(valid, [labelled, *others], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "123410")
    # Its own pass alone, or with one reading, is not enough.
    assert doubted_by_other_crops(valid, [labelled, others[0]], M1, OPTIONS) == valid
    # Nor do two readings without that digit when its passes agreed.
    agreed = _reading(_number("123410", confidence=0.95))
    valid = check_reading(agreed, M1, OPTIONS)
    assert doubted_by_other_crops(valid, [agreed, *others], M1, OPTIONS) == valid


def _covered(text: str, region: LabelRegion = REGION, *, rank: int = 0, blotted: bool = False,
             partly_hidden: bool = False, under_glare: bool = False, turned: bool = False
             ) -> OcrReading:
    """A crop of ``region`` that read ``text`` and found a digit blotted or partly hidden,
    or glare over the number, so no surer than a guess."""
    number = replace(_number(text, confidence=0.6), blotted=blotted,
                     partly_hidden=partly_hidden, under_glare=under_glare)
    return replace(_reading(number), crop=replace(CROP, rank=rank, region=region),
                   photo_turned=turned)


@pytest.mark.parametrize(("covered", "found"), [
    pytest.param(_covered("088814", blotted=True), "a blot over a digit", id="blotted"),
    pytest.param(_covered("088814", partly_hidden=True), "part of a digit hidden",
                 id="partly hidden"),
    pytest.param(_covered("088814", under_glare=True), "glare over its digits",
                 id="under glare"),
    pytest.param(_covered("068814", blotted=True), "a blot over a digit",
                 id="a misreading of it"),
    pytest.param(_covered("088814", partly_hidden=True, turned=True),
                 "part of a digit hidden", id="in the photo turned"),
    pytest.param(_covered("088814", ONE_LINE, rank=3, blotted=True), "a blot over a digit",
                 id="a region over it"),
])
def test_a_serial_is_held_back_when_most_crops_of_it_found_a_digit_covered(
    covered: OcrReading, found: str,
) -> None:
    # Glare over the 5 of 058814: crops found the blot and read 088814 as a guess; another
    # rendered the glare as a clean 8 and read it surely.
    sure = _reading(_number("088814", confidence=0.99))
    valid = check_reading(sure, M1, OPTIONS)
    assert (valid.status, valid.serial) == ("valid", "088814")
    held = doubted_by_other_crops(valid, [sure, covered, covered], M1, OPTIONS)
    assert (held.status, held.serial, held.guess) == ("unreadable", None, "088814")
    assert any(problem.startswith(f"2 of 3 crops of this number found {found}")
               and problem.endswith(": whatever is read there is a guess")
               for problem in held.problems)
    # Half the crops, or one alone, is not most.
    for some in ([sure, covered], [sure, covered, covered, _reading(_number("088814"))]):
        assert doubted_by_other_crops(valid, some, M1, OPTIONS) == valid


@pytest.mark.parametrize("covered", [
    pytest.param(_covered("088814", ELSEWHERE, rank=1, blotted=True), id="a region elsewhere"),
    pytest.param(_covered("1070", blotted=True), id="another number"),
    pytest.param(_covered("088814"), id="nothing covered"),
])
def test_a_serial_stands_against_a_covering_found_on_another_number(
    covered: OcrReading,
) -> None:
    sure = _reading(_number("088814", confidence=0.99))
    valid = check_reading(sure, M1, OPTIONS)
    assert doubted_by_other_crops(valid, [sure, covered, covered], M1, OPTIONS) == valid
