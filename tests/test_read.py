from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.fonts import render_dot_matrix
from stickerscan import digit_vote
from stickerscan.blur import edge_spread
from stickerscan.digit_vote import NumberReading
from stickerscan.enhance import LabelCrop
from stickerscan.locate import LabelRegion
from stickerscan.number_crop import number_crop
from stickerscan.ocr import FakeOcrEngine, OcrRequest, OcrText, OcrWord
from stickerscan.ocr.engine import Layout
from stickerscan.read import (
    OcrReading,
    _digits_line,
    _part_of_box,
    _targets,
    read_label,
    read_print,
)
from stickerscan.slant import lean_of, stand_upright
from stickerscan.wording import serial_wording
from tests.drawing import character_box, column_runs, run_widths
from tests.scenes import scan_generated

WORDS = ("SERIAL NO.", "Serial No.", "S/N", "No.")
REGION = LabelRegion(
    quad=((0.0, 0.0), (100.0, 0.0), (100.0, 40.0), (0.0, 40.0)),
    text_quad=((0.0, 0.0), (100.0, 0.0), (100.0, 40.0), (0.0, 40.0)),
    score=3.0, text_height=20.0, polarity="dark-on-light", outlined=True,
    line_count=2, longest_line=6,
)


def _crop(marked_upside_down: bool = False, text_height: int = 36) -> LabelCrop:
    """A crop whose top-left pixel says which way up it is (0 = upright), also when it is
    looked at smaller: the mark is a few pixels across."""
    grey = np.full((120, 400), 255, np.uint8)
    binary = grey.copy()
    if marked_upside_down:
        grey[-4:, -4:] = 0
    else:
        grey[:4, :4] = 0
    return LabelCrop(region=REGION, rank=0, text_height=text_height, grey=grey, binary=binary)


def _marked_way_up(image: np.ndarray) -> bool:
    """Whether ``image`` is a ``_crop`` (or a smaller copy) the right way up."""
    return bool(image[0, 0] == 0)


def _first_then(first: str, line: str) -> FakeOcrEngine:
    """An engine that reads ``first`` for whole crops and ``line`` for single lines."""
    return FakeOcrEngine(lambda _image, request: first if request.layout == "sparse" else line)


def test_first_pass_then_digit_passes_agree() -> None:
    engine = FakeOcrEngine("SERIAL NO.\n013537")
    reading = read_print(_crop(), engine, WORDS)
    assert reading.text == "SERIAL NO.\n013537"
    assert [n.text for n in reading.numbers] == ["013537"]
    number = reading.numbers[0]
    assert number.votes == number.passes == 3
    assert number.before == "SERIAL NO."
    assert number.confidence > 0.9
    layouts = [request.layout for _, request in engine.seen]
    # Serial wording before a sure number: no upside-down pass, two digit passes.
    assert layouts == ["sparse", "line", "line"]
    assert engine.seen[1][1] == OcrRequest(layout="line", charset="0123456789")


def test_split_digit_passes_get_a_third_and_a_low_confidence() -> None:
    answers = iter(["013587", "013537", "013587"])

    def reply(_image: np.ndarray, request: OcrRequest) -> str:
        return "S/N 013537" if request.layout == "sparse" else next(answers)

    reading = read_print(_crop(), FakeOcrEngine(reply), WORDS)
    number = reading.numbers[0]
    assert number.passes == 4
    assert number.text == "013587"
    assert number.votes == 2
    assert number.confidence < 0.8
    assert number.alternatives == ("013537",)


def test_digit_passes_outvote_the_first_pass() -> None:
    reading = read_print(_crop(), _first_then("S/N 013S37", "013537"), WORDS)
    assert reading.numbers[0].text == "013537"


def test_a_lookalike_letter_inside_a_number_becomes_a_digit() -> None:
    reading = read_print(_crop(), _first_then("Serial No. O13537", "013537"), WORDS)
    assert reading.numbers[0].text == "013537"
    assert reading.numbers[0].votes == 3


def test_digits_after_serial_wording_are_read_even_when_the_first_pass_saw_letters() -> None:
    reading = read_print(_crop(), _first_then("SERIAL NO.\nLisea4", "118244"), WORDS)
    assert [n.text for n in reading.numbers] == ["118244"]
    assert reading.numbers[0].before == "SERIAL NO."


def test_words_without_enough_digits_are_not_numbers() -> None:
    reading = read_print(_crop(), FakeOcrEngine("MIDI IN OUT THRU\nSOLO 12"), WORDS)
    assert reading.numbers == ()


def test_upside_down_crop_is_read_turned() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        upright = _marked_way_up(image)
        if request.layout == "sparse":
            return "SERIAL NO. 215725" if upright else "GLZSLZ 'ON 7VIH3S"
        return "215725"

    reading = read_print(_crop(marked_upside_down=True), FakeOcrEngine(reply), WORDS)
    assert reading.upside_down
    assert reading.numbers[0].text == "215725"
    assert reading.numbers[0].before == "SERIAL NO."


def test_a_crop_showing_nothing_turned_at_a_glance_is_not_read_turned_in_full() -> None:
    engine = FakeOcrEngine("x7 ;r ~,")
    reading = read_print(_crop(), engine, WORDS)
    sparse = [image.shape for image, request in engine.seen if request.layout == "sparse"]
    # The crop the right way up, then a glance at it turned, far smaller, and one with its
    # dots run together (see the dot-matrix tests below); nothing turned in full.
    assert len(sparse) == 3
    assert sparse[0] == (120, 400)
    assert all(shape[0] * shape[1] < 0.4 * 120 * 400 for shape in sparse[1:])
    assert not reading.upside_down


@pytest.mark.parametrize("layout", ["sparse", "block"])
def test_every_pass_over_the_whole_crop_takes_the_layout_asked_for(layout: Layout) -> None:
    # Upright, a glance turned, turned in full, and one with dots run together: all in
    # the layout given; the digit passes read lines as ever.
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout != "line":
            return "215725" if _marked_way_up(image) else "x7 ;r ~,"
        return "215725"

    engine = FakeOcrEngine(reply)
    reading = read_print(_crop(marked_upside_down=True), engine, WORDS, layout=layout)
    assert reading.upside_down and reading.numbers[0].text == "215725"
    whole = [request.layout for image, request in engine.seen
             if request.layout != "line"]
    assert len(whole) == 3 and set(whole) == {layout}


def test_a_glance_turned_that_finds_digits_has_the_crop_read_turned_in_full() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout == "sparse":
            return "215725" if _marked_way_up(image) else "x7 ;r ~,"
        return "215725"

    engine = FakeOcrEngine(reply)
    reading = read_print(_crop(marked_upside_down=True), engine, WORDS)
    sparse = [image.shape for image, request in engine.seen if request.layout == "sparse"]
    assert sparse[-1] == (120, 400) and len(sparse) == 3  # right way up, glance, in full
    assert reading.upside_down
    assert [number.text for number in reading.numbers] == ["215725"]


def test_a_regions_surroundings_are_read_turned_in_full_whatever_a_glance_shows() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        # Only the full-size crop, turned, shows its digits.
        if request.layout == "sparse":
            return "215725" if _marked_way_up(image) and image.shape[0] == 120 else "x7 ;r ~,"
        return "215725"

    glanced = read_print(_crop(marked_upside_down=True), FakeOcrEngine(reply), WORDS)
    assert glanced.numbers == ()
    around = replace(_crop(marked_upside_down=True),
                     region=replace(REGION, surroundings=True))
    reading = read_print(around, FakeOcrEngine(reply), WORDS)
    assert reading.upside_down
    assert [number.text for number in reading.numbers] == ["215725"]


def test_surroundings_of_a_number_read_the_right_way_up_are_not_read_turned() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        # A bare number, which leaves the way up open; turned, digits too.
        if request.layout == "sparse":
            return "215725" if _marked_way_up(image) else "527512"
        return "215725"

    def turned_reads(around: LabelCrop, earlier: tuple[OcrReading, ...]) -> int:
        engine = FakeOcrEngine(reply)
        reading = read_print(around, engine, WORDS, earlier=earlier)
        assert [number.text for number in reading.numbers] == ["215725"]
        return sum(not _marked_way_up(image) for image, request in engine.seen
                   if request.layout == "sparse")

    upright = read_print(_crop(), FakeOcrEngine(reply), WORDS)
    turned = replace(upright, upside_down=True)
    around = replace(_crop(), region=replace(REGION, surroundings=True))
    assert upright.numbers and not upright.upside_down
    assert turned_reads(around, (upright,)) == 0
    # Without the region's readings, or with one that found its number turned, the
    # surroundings are read turned in full as ever; so is a region's own crop read again.
    assert turned_reads(around, ()) > 0
    assert turned_reads(around, (upright, turned)) > 0
    assert turned_reads(_crop(), (upright,)) > 0


class _TurnedModelName:
    """Reads a crop turned half a turn as the clear words "KORG M1R", and the right way up
    as marks read unsurely."""

    name = "turned-name"
    has_large_model = False

    def __init__(self) -> None:
        self.sparse: list[tuple[int, ...]] = []

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        self.sparse.append(image.shape)
        text, sure = ("KORG M1R", 0.95) if _marked_way_up(image) else ("W; ~e", 0.4)
        words = tuple(OcrWord(word, sure, (sure,) * len(word), (60 * index, 10, 50, 20), 0)
                      for index, word in enumerate(text.split()))
        return OcrText(words=words, engine=self.name, request=request)


def test_words_seen_at_a_glance_turned_are_the_crops_text_without_a_full_turned_read() -> None:
    engine = _TurnedModelName()
    reading = read_print(_crop(marked_upside_down=True), engine, WORDS)
    assert reading.upside_down
    assert reading.text == "KORG M1R"  # what names the model on a photo taken upside down
    # Glances (turned, and with any dots run together), and no turned read in full.
    assert engine.sparse[0] == (120, 400) and all(shape[0] < 120 for shape in engine.sparse[1:])


def test_upside_down_digits_alone_do_not_beat_labelled_upright_text() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout == "sparse":
            return "S/N 082187" if _marked_way_up(image) else "L8L280 N/S"
        return "082187"

    reading = read_print(_crop(), FakeOcrEngine(reply), WORDS)
    assert not reading.upside_down


def test_number_context_after_is_kept_for_ratings() -> None:
    reading = read_print(_crop(), _first_then("AC 1200 V 60Hz", "1200"), WORDS)
    assert reading.numbers[0].text == "1200"
    assert reading.numbers[0].after.startswith("V")


def test_a_serial_split_by_wide_spacing_is_read_as_one_number() -> None:
    reading = read_print(_crop(), _first_then("SERIAL NO.\n167 705", "167705"), WORDS)
    assert [number.text for number in reading.numbers] == ["167705"]
    assert reading.numbers[0].before == "SERIAL NO."
    assert reading.numbers[0].confidence > 0.9


class _SpacedDigits:
    """Reads "1670" and "7051" on one line, ``gap`` pixels apart, 30 pixels tall."""

    name = "spaced"
    has_large_model = False

    def __init__(self, gap: int) -> None:
        self.gap = gap

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "line":
            return OcrText(words=(), engine=self.name, request=request)
        first = OcrWord("1670", 0.95, (0.95,) * 4, (10, 10, 80, 30), 0)
        second = OcrWord("7051", 0.95, (0.95,) * 4, (90 + self.gap, 10, 80, 30), 0)
        return OcrText(words=(first, second), engine=self.name, request=request)


@pytest.mark.parametrize(("gap", "joined"), [(12, True), (60, False)])
def test_digit_groups_join_only_when_close(gap: int, joined: bool) -> None:
    texts = {number.text for number in read_print(_crop(), _SpacedDigits(gap), WORDS).numbers}
    assert ("16707051" in texts) == joined
    assert ({"1670", "7051"} <= texts) == (not joined)


class _FlatNumberBox:
    """Reads "SERIAL NO. 013537" with the number's box two pixels tall, as Tesseract now
    and then boxes a word of clear print; its digits-only reads see ``digits``."""

    name = "flat"
    has_large_model = False

    def __init__(self) -> None:
        self.digit_crops: list[np.ndarray] = []

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "line":
            self.digit_crops.append(image)
            return OcrText(words=(OcrWord("013537", 0.95, (0.95,) * 6, (0, 0, 120, 30), 0),),
                           engine=self.name, request=request)
        wording = OcrWord("SERIAL NO.", 0.95, (0.95,) * 10, (10, 10, 150, 30), 0)
        number = OcrWord("013537", 0.95, (0.95,) * 6, (170, 24, 120, 2), 0)
        return OcrText(words=(wording, number), engine=self.name, request=request)


def test_a_number_boxed_a_few_pixels_tall_is_read_at_the_texts_height() -> None:
    engine = _FlatNumberBox()
    reading = read_print(_crop(), engine, WORDS)
    number = reading.numbers[0]
    # Read by the digit passes, not left to the whole-crop pass alone.
    assert (number.text, number.votes, number.passes) == ("013537", 3, 3)
    # Each digit crop holds the text's height (36) about the box's middle, inside the
    # margins of blank paper (half the text height each) added above and below.
    assert engine.digit_crops
    assert all(crop.shape[0] - 2 * (36 // 2) >= 36 for crop in engine.digit_crops)


class _MarkAfterNumber:
    """Reads "108967" and, 12 pixels after it on the same line, a rivet head as "9"."""

    name = "rivet"
    has_large_model = False

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "line":
            return OcrText(words=(), engine=self.name, request=request)
        wording = OcrWord("S/N", 0.95, (0.95,) * 3, (10, 10, 50, 30), 0)
        number = OcrWord("108967", 0.95, (0.95,) * 6, (70, 10, 120, 30), 0)
        mark = OcrWord("9", 0.95, (0.95,), (202, 12, 26, 26), 0)
        return OcrText(words=(wording, number, mark), engine=self.name, request=request)


def test_a_lone_digit_close_after_a_number_is_not_joined_to_it() -> None:
    reading = read_print(_crop(), _MarkAfterNumber(), WORDS)
    assert [number.text for number in reading.numbers] == ["108967"]
    assert reading.numbers[0].before == "S/N"


def test_punctuation_after_a_number_below_wording_does_not_hide_it() -> None:
    reading = read_print(_crop(), _first_then("SERIAL NO.\n103891.", "103891"), WORDS)
    assert [number.text for number in reading.numbers] == ["103891"]
    assert reading.numbers[0].before == "SERIAL NO."


def _large_model_says(
    large: str, lstm_reads: list[str], *, confidence: float = 0.95,
    first: str = "SERIAL NO. 054306",
) -> FakeOcrEngine:
    """First pass: ``first`` (a labelled number); the small model's digit passes read
    ``lstm_reads`` in turn; the large model reads ``large``; every word scored
    ``confidence``."""
    digit_reads = iter(lstm_reads)

    def reply(_image: np.ndarray, request: OcrRequest) -> str:
        if request.method == "lstm-large":
            return large
        if request.layout == "sparse":
            return first
        return next(digit_reads, lstm_reads[-1])

    return FakeOcrEngine(reply, confidence=confidence, has_large_model=True)


def test_the_large_model_agreeing_lifts_a_split_vote() -> None:
    split = ["054306", "654306"]  # the small model on the grey, then the binary rendering
    without = read_print(_crop(), _large_model_says("", split), WORDS).numbers[0]
    agreed = read_print(_crop(), _large_model_says("054306", split), WORDS).numbers[0]
    assert without.text == agreed.text == "054306"
    assert without.confidence < 0.8 <= agreed.confidence
    assert agreed.second_opinion == "054306"


@pytest.mark.parametrize(("earlier", "reported"), [("160209", False), ("160239", True)])
def test_the_large_model_agreeing_clears_an_earlier_dissent_unless_it_saw_a_zero(
    earlier: str, reported: bool
) -> None:
    # Both models read 160269 in every pass; an earlier look at the place read one digit
    # otherwise.  A 3 there was the small model's slip, which the larger model does not
    # share; a 0 where both read a 6 is the marked zero's slip, which both models make.
    engine = _large_model_says("160269", ["160269"], first="SERIAL NO. 160269")
    number = read_print(_crop(), engine, WORDS, earlier=(_read_as(earlier),)).numbers[0]
    assert number.text == "160269" and number.second_opinion == "160269"
    assert (number.confidence >= 0.8) is reported


def test_the_large_model_disagreeing_leaves_the_number_in_doubt() -> None:
    split = ["054306", "654306"]
    dissent = read_print(_crop(), _large_model_says("654306", split), WORDS).numbers[0]
    assert dissent.confidence < 0.8
    # Its vote and the small model's one "654306" are two readings, not a lifted number.
    assert dissent.second_opinion is None


def test_without_the_large_model_a_sharpened_rendering_breaks_the_tie() -> None:
    reads = iter(["054306", "654306", "054306"])
    engine = FakeOcrEngine(lambda _image, request: "SERIAL NO. 054306"
                           if request.layout == "sparse" else next(reads))
    number = read_print(_crop(), engine, WORDS).numbers[0]
    assert number.text == "054306" and number.passes == 4
    assert all(request.method == "lstm" for _, request in engine.seen)


@pytest.mark.parametrize(("large", "sure"), [("054306", True), ("", True), ("054309", False),
                                             ("54306", False), ("913827", True)])
def test_a_sure_number_stays_sure_unless_the_large_model_reads_it_slightly_otherwise(
    large: str, sure: bool
) -> None:
    # Both of the small model's digit passes agree: the number is sure before the large
    # model is asked.  Reading nothing, or a wholly different number, is no dissent.
    number = read_print(_crop(), _large_model_says(large, ["054306", "054306"]), WORDS).numbers[0]
    assert number.text == "054306" and number.second_opinion == large
    assert (number.confidence >= 0.8) == sure


@pytest.mark.parametrize(("large", "reported"), [("054306", True), ("054309", False),
                                                 ("", True)])
def test_a_number_just_sure_enough_to_report_is_doubted_by_the_large_model_reading_otherwise(
    large: str, reported: bool
) -> None:
    # Both small-model passes agree, each glyph scored 0.85: sure enough to report, not
    # to stop the search.  The larger model reading one digit otherwise leaves it a guess.
    engine = _large_model_says(large, ["054306", "054306"], confidence=0.85)
    number = read_print(_crop(), engine, WORDS).numbers[0]
    assert number.text == "054306" and number.second_opinion == large
    assert (number.confidence >= 0.8) is reported


def test_a_number_every_pass_of_both_models_reads_alike_is_reported_however_scored() -> None:
    # The engine scores every glyph at 0.4, as it does glyphs it has seldom seen.
    engine = _large_model_says("054306", ["054306"], confidence=0.4)
    number = read_print(_crop(), engine, WORDS).numbers[0]
    assert number.text == "054306" and number.passes == 3
    # Reported, yet never sure enough to stop the other regions being read.
    assert 0.8 <= number.confidence < 0.9


@pytest.mark.parametrize(("large", "lstm_reads"), [
    pytest.param("054309", ["054306"], id="the large model reads a digit otherwise"),
    pytest.param("", ["054306"], id="the large model reads nothing"),
    pytest.param("054306", ["054306", "654306", "054306"], id="a small-model pass dissents"),
])
def test_an_unsure_number_not_read_alike_by_every_pass_stays_unsure(
    large: str, lstm_reads: list[str]
) -> None:
    engine = _large_model_says(large, lstm_reads, confidence=0.4)
    number = read_print(_crop(), engine, WORDS).numbers[0]
    assert number.text == "054306"
    assert number.confidence < 0.8


# The first pass reads the wording and garbles the number into letters, or reads it.
_GARBLED, _READ = "SER. NO. EGLIACY", "SER. NO. 161140"


@pytest.mark.parametrize(("first", "small_model_reads", "large", "reported"), [
    pytest.param(_GARBLED, ["161140", ""], "161140", True, id="one rendering found no line"),
    pytest.param(_GARBLED, ["161140", "161146"], "161140", False,
                 id="one rendering read otherwise"),
    pytest.param(_GARBLED, ["161140", ""], "", False,
                 id="two renderings found no line and one read it"),
    pytest.param(_GARBLED, ["161140", ""], "161146", False, id="the large model read otherwise"),
    # With the first pass, two read it alike: the renderings finding no line are one
    # dissent among four, however many.
    pytest.param(_READ, ["161140", ""], "", True,
                 id="two renderings found no line and two read it"),
    pytest.param(_READ, ["161140", ""], "161146", False,
                 id="two read it and the large model read otherwise"),
    # A pass that read only a few of the number's glyphs lost the line as well.
    pytest.param(_READ, ["161140", "40"], "", True,
                 id="two read it and one read a few of its glyphs"),
    pytest.param(_READ, ["161140", "45"], "", False,
                 id="two read it and one read a few other digits"),
    pytest.param(_READ, ["161140", "1140"], "", False,
                 id="two read it and one read four of its digits"),
])
def test_a_rendering_that_finds_no_line_weighs_less_than_one_read_otherwise(
    first: str, small_model_reads: list[str], large: str, reported: bool
) -> None:
    engine = _large_model_says(large, small_model_reads, first=first)
    number = read_print(_crop(), engine, WORDS).numbers[0]
    assert number.before == "SER. NO."
    assert number.text == "161140"
    assert (number.confidence >= 0.8) == reported
    # Never sure enough to stop the other regions being read.
    assert number.confidence < 0.9


def test_engines_without_the_large_model_are_never_asked_for_it() -> None:
    engine = _first_then("SERIAL NO. 054306", "054306")
    reading = read_print(_crop(), engine, WORDS)
    assert reading.numbers[0].second_opinion is None
    assert all(request.method == "lstm" for _, request in engine.seen)


def test_clear_words_the_right_way_up_are_not_turned_and_are_plain_words() -> None:
    engine = FakeOcrEngine("MIDI IN OUT THRU DAMPER")
    reading = read_print(_crop(), engine, WORDS)
    assert not reading.upside_down and reading.plain_words
    assert [request.layout for _, request in engine.seen] == ["sparse"]


def test_garbled_text_is_tried_turned_and_is_not_plain_words() -> None:
    engine = FakeOcrEngine("x7 ;r ~,")
    reading = read_print(_crop(), engine, WORDS)
    assert not reading.plain_words
    # Right way up, a glance turned, a glance with any dots run together.
    assert [request.layout for _, request in engine.seen] == ["sparse"] * 3


def _read_as(digits: str) -> OcrReading:
    return read_print(_crop(), _first_then(f"SERIAL NO. {digits}", digits), WORDS)


def test_a_digit_an_earlier_reading_of_the_region_read_otherwise_stays_in_doubt() -> None:
    alone = _read_as("054306").numbers[0]
    engine = _first_then("SERIAL NO. 054306", "054306")
    doubted = read_print(_crop(), engine, WORDS, earlier=(_read_as("054366"),)).numbers[0]
    assert alone.confidence >= 0.9
    assert doubted.text == "054306" and doubted.confidence < 0.8


def test_an_earlier_reading_of_another_number_casts_no_doubt() -> None:
    alone = _read_as("054306").numbers[0]
    engine = _first_then("SERIAL NO. 054306", "054306")
    other = read_print(_crop(), engine, WORDS, earlier=(_read_as("871122"),)).numbers[0]
    assert other.confidence == pytest.approx(alone.confidence)


# --------------------------------------------------------------------------------------
# Which other readings are the same number misread
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("first", ["Seriat Me.\n013537", "SERIAL Ko. 013537", "SERIAL NO. 013537",
                                   "SERIAL\n013537"])
def test_a_number_after_garbled_wording_is_read_once_and_labelled(first: str) -> None:
    # The short word after SERIAL belongs to the wording: it is no place for the serial.
    engine = _first_then(first, "013537")
    reading = read_print(_crop(), engine, WORDS)
    assert [number.text for number in reading.numbers] == ["013537"]
    assert reading.numbers[0].before == first.split("013537")[0].strip()
    # One place read digits-only, twice (the passes agree), after the one block pass.
    assert [request.layout for _, request in engine.seen] == ["sparse", "line", "line"]


def _header_lost(band: str, first: str = "TOKYO JAPAN\n\n013537") -> FakeOcrEngine:
    """An engine whose first pass reads ``first`` (the line over the number lost) and whose
    block read of a band on its own reads ``band``."""
    replies = {"sparse": first, "block": band}
    return FakeOcrEngine(lambda _image, request: replies.get(request.layout, "013537"))


def test_wording_the_first_pass_lost_over_a_number_is_read_in_the_band_above_it() -> None:
    engine = _header_lost("TOKYO JAPAN\nS/N")
    # The crop's text is as tall as the fake engine's words (16 pixels).
    reading = read_print(_crop(text_height=16), engine, WORDS)
    assert [number.text for number in reading.numbers] == ["013537"]
    assert reading.numbers[0].before == "S/N"
    bands = [image for image, request in engine.seen if request.layout == "block"]
    # One band: the number starts its line at the crop's edge, so nothing stands before it.
    # It runs from two text heights over the number's top (line 2 of the first pass, at
    # y=40, 16 high) to a tenth of one over it, with a margin of half a text height.
    assert [band.shape[0] for band in bands] == [(40 - 1) - (40 - 32) + 2 * 8]


@pytest.mark.parametrize("band", [
    "TOKYO JAPAN",            # no wording there
    "S/N\n654321",            # wording, but over another number nearer this one
    "COMPLIES W",             # the end of a word and a W: not S/N
    "",
])
def test_a_band_above_without_wording_right_over_the_number_labels_nothing(band: str) -> None:
    reading = read_print(_crop(), _header_lost(band), WORDS)
    assert [number.text for number in reading.numbers] == ["013537"]
    assert reading.numbers[0].before == "TOKYO JAPAN"


def test_wording_garbled_before_a_number_on_its_line_is_read_in_the_band_before_it() -> None:
    engine = _header_lost("No.", first="va. 013537")
    reading = read_print(_crop(text_height=16), engine, WORDS)
    assert reading.numbers[0].before == "No."
    # The band before the number ends where the number starts (x=40 after "va."): it holds
    # none of its digits.
    bands = [image for image, request in engine.seen if request.layout == "block"]
    assert [band.shape[1] for band in bands] == [40 + 2 * 8]


@pytest.mark.parametrize("band", ["S/N", "T NO."])
def test_a_number_its_own_line_names_as_a_lot_number_takes_no_wording_from_above(
    band: str,
) -> None:
    # A lot number under wording: "S/N" of a serial printed above it, or "T NO.", what
    # the OCR leaves of "PART NO." over "LOT 013537A" on a part and lot sticker.
    reading = read_print(_crop(text_height=16),
                         _header_lost(band, first=f"{band}\nLOT 013537A"), WORDS)
    assert reading.numbers[0].text == "013537"
    assert reading.numbers[0].before == "LOT"
    # Without "LOT" before it, the same number under that wording is the serial's.
    reading = read_print(_crop(text_height=16), _header_lost(band, first=f"{band}\n013537"),
                         WORDS)
    assert reading.numbers[0].before == band


def test_a_number_with_its_wording_read_needs_no_band_read() -> None:
    engine = _header_lost("S/N", first="SERIAL NO. 013537")
    read_print(_crop(), engine, WORDS)
    assert all(request.layout != "block" for _, request in engine.seen)


class _HeaderInTheNumbersBox:
    """A crop with "S/N" in small print right over a number, read as Tesseract reads such a
    label: its whole-crop pass drops the "S/N" but boxes the number together with it.  A
    band read on its own reads "S/N" when the band holds that print."""

    name = "header-in-box"
    has_large_model = False

    def __init__(self) -> None:
        self.grey = np.full((120, 400), 255, np.uint8)
        self.grey[20:34, 60:64] = self.grey[20:34, 70:74] = self.grey[20:34, 80:84] = 0  # S/N
        for left in range(40, 300, 44):  # six digits, 36 pixels tall
            self.grey[44:80, left:left + 30] = 0
        self.bands: list[np.ndarray] = []

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "block":
            self.bands.append(image)
            # Ink of the header's height: the band holds the S/N, not a digit's top.
            rows = np.flatnonzero((image < 128).any(axis=1))
            text = "S/N" if rows.size and 10 <= rows[-1] - rows[0] + 1 <= 20 else ""
            return OcrText(words=(OcrWord(text, 0.9, (0.9,) * 3, (10, 10, 40, 14), 0),)
                           if text else (), engine=self.name, request=request)
        box = (40, 20, 260, 60) if request.layout == "sparse" else (10, 10, 260, 36)
        return OcrText(words=(OcrWord("013537", 0.95, (0.95,) * 6, box, 0),),
                       engine=self.name, request=request)


def test_wording_over_a_number_boxed_with_it_is_looked_for_over_the_digits() -> None:
    engine = _HeaderInTheNumbersBox()
    crop = LabelCrop(region=REGION, rank=0, text_height=36, grey=engine.grey,
                     binary=engine.grey.copy())
    [number] = read_print(crop, engine, WORDS).numbers
    assert number.text == "013537"
    assert number.before == "S/N"
    # The first band read is the one over the digits' line (rows 44 to 80, 36 tall): from
    # the crop's top to a tenth of that height over the digits, with a margin of half of
    # it.  Over the number's whole box (rows 20 to 80) it would be 14 rows, none of them
    # the header's, and too flat to be read at all.
    assert engine.bands[0].shape[0] == (44 - 36 // 10) + 2 * (36 // 2)


class _WordingGarbledBySmallModel:
    """A crop with a line of print over a number.  The whole-crop pass drops that line;
    read on its own, the small model garbles it ("SERICA NN.") and the larger model reads
    ``large`` at ``large_confidence``.  ``header`` is the print drawn over the number
    (none: only paper there)."""

    name = "garbled-wording"
    has_large_model = True

    def __init__(self, header: str | None, large: str, large_confidence: float) -> None:
        self.large, self.large_confidence = large, large_confidence
        self.grey = np.full((140, 420), 255, np.uint8)
        if header:
            cv2.putText(self.grey, header, (60, 48), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2,
                        cv2.LINE_AA)
        cv2.putText(self.grey, "013537", (60, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3,
                    cv2.LINE_AA)
        rows = np.flatnonzero((self.grey[60:] < 128).any(axis=1)) + 60
        columns = np.flatnonzero((self.grey[60:] < 128).any(axis=0))
        self.number_box = (int(columns[0]), int(rows[0]), int(columns[-1] - columns[0] + 1),
                           int(rows[-1] - rows[0] + 1))
        self.large_reads = 0

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "block":
            large = request.method == "lstm-large"
            self.large_reads += large
            text, sure = (self.large, self.large_confidence) if large else ("SERICA NN.", 0.9)
            words = tuple(OcrWord(word, sure, (sure,) * len(word), (20 + 110 * i, 20, 100, 24), 0)
                          for i, word in enumerate(text.split()))
            return OcrText(words=words, engine=self.name, request=request)
        box = self.number_box if request.layout == "sparse" else (18, 18, 200, 36)
        return OcrText(words=(OcrWord("013537", 0.95, (0.95,) * 6, box, 0),),
                       engine=self.name, request=request)


@pytest.mark.parametrize(("header", "large", "large_confidence", "wording", "asked"), [
    ("SERIAL NO.", "SERIAL NO.", 0.7, "SERIAL NO.", True),
    # Read unsurely, the larger model's words are no wording.
    ("SERIAL NO.", "SERIAL NO.", 0.3, None, True),
    # Nor does it read the same print as other words: then the garbled wording stays so.
    ("SERIAL NO.", "MADE IN JAPAN", 0.9, None, True),
    # Over plain paper the larger model is not asked at all, however surely it would read.
    (None, "S/N", 0.9, None, False),
])
def test_wording_the_small_model_garbles_is_read_by_the_larger_one_where_there_is_print(
    header: str | None, large: str, large_confidence: float, wording: str | None, asked: bool,
) -> None:
    engine = _WordingGarbledBySmallModel(header, large, large_confidence)
    crop = LabelCrop(region=REGION, rank=0, text_height=36, grey=engine.grey,
                     binary=engine.grey.copy())
    [number] = read_print(crop, engine, WORDS).numbers
    assert number.text == "013537"
    assert serial_wording(number.before, WORDS) == wording
    assert (engine.large_reads > 0) is asked


@pytest.mark.parametrize(("extra_rows", "box", "expected"), [
    # A line of print over the number inside its box: the digits' own line.
    ((20, 34), (40, 20, 260, 60), (40, 44, 260, 36)),
    # A speck's rows over it, print under it (an underline), or nothing else: as it is.
    ((20, 22), (40, 20, 260, 60), (40, 20, 260, 60)),
    ((84, 100), (40, 44, 260, 56), (40, 44, 260, 56)),
    (None, (40, 44, 260, 36), (40, 44, 260, 36)),
])
def test_a_box_holding_a_line_over_the_digits_is_cut_to_the_digits_line(
    extra_rows: tuple[int, int] | None, box: tuple[int, int, int, int],
    expected: tuple[int, int, int, int],
) -> None:
    grey = np.full((120, 400), 255, np.uint8)
    grey[44:80, 40:300] = 0
    if extra_rows is not None:
        grey[extra_rows[0]:extra_rows[1], 60:90] = 0
    assert _digits_line(grey, box) == expected


# "255363)" as Tesseract boxes it: six digits 20 pixels wide, then a bracket (a barcode's
# bar) 4 pixels wide after a gap; the word's box spans them all.
_DIGIT_BOXES = tuple((20 * index, 0, 18, 20) for index in range(6))
_BRACKET = (130, 0, 4, 20)


def test_a_digit_run_is_cut_from_its_word_at_the_characters_own_edges() -> None:
    word = OcrWord("255363)", 0.9, (0.9,) * 7, (0, 0, 134, 20), 0,
                   char_boxes=(*_DIGIT_BOXES, _BRACKET))
    # An equal share for each character would end at 114, inside the last digit.
    assert _part_of_box(word, 0, 6) == (0, 0, 118, 20)
    assert _part_of_box(word, 1, 6) == (20, 0, 98, 20)


def test_without_usable_character_boxes_each_character_gets_an_equal_share() -> None:
    plain = OcrWord("255363)", 0.9, (0.9,) * 7, (0, 0, 140, 20), 0)
    assert _part_of_box(plain, 0, 6) == (0, 0, 120, 20)
    # A box wider than the word is tall is the recogniser's slip, not the digit's edge.
    too_wide = (80, 0, 45, 20)
    slipped = OcrWord("255363)", 0.9, (0.9,) * 7, (0, 0, 140, 20), 0,
                      char_boxes=(*_DIGIT_BOXES[:5], too_wide, _BRACKET))
    assert _part_of_box(slipped, 0, 6) == (0, 0, 120, 20)


def test_a_digit_run_boxed_with_print_set_tight_under_it_is_cut_to_its_own_line() -> None:
    # "219485" with "M1" under its 1 and 9: Tesseract boxed both lines as one word, and
    # the boxes of the digits over the small print reach down over it too.
    over_print = {1, 2}
    digit_boxes = tuple((20 * index, 10, 18, 46 if index in over_print else 20)
                        for index in range(6))
    word = OcrWord("219485", 0.9, (0.9,) * 6, (0, 10, 118, 46), 0, char_boxes=digit_boxes)
    assert _part_of_box(word, 0, 6) == (0, 10, 118, 20)


def test_a_digit_run_as_tall_as_its_word_keeps_the_words_rows() -> None:
    # Digits of uneven height (old-style figures hang below the line) are one line still.
    heights = (20, 20, 27, 27, 20, 27)
    uneven = tuple((20 * index, 0, 18, height) for index, height in enumerate(heights))
    word = OcrWord("219485", 0.9, (0.9,) * 6, (0, 0, 118, 27), 0, char_boxes=uneven)
    assert _part_of_box(word, 0, 6) == (0, 0, 118, 27)


class _DrawnDigits:
    """An engine for a crop with drawn digits: the first pass reads ``SERIAL NO.`` and
    the number; a digits-only read gives the small model's or the large model's digits,
    with each character's box taken from the ink it is shown (a dot inside a ring is part
    of the ring's character)."""

    name = "drawn"
    has_large_model = True

    def __init__(self, small: str, large: str, *, sure: bool = False) -> None:
        self.small, self.large, self.sure = small, large, sure

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        boxes = _ink_columns(image)
        if request.layout == "sparse":
            x0, y0 = boxes[0][0], min(box[1] for box in boxes)
            x1 = boxes[-1][0] + boxes[-1][2]
            y1 = max(box[1] + box[3] for box in boxes)
            words = (OcrWord("SERIAL", 0.95, (0.95,) * 6, (4, y0, 50, y1 - y0), 0),
                     OcrWord("NO.", 0.95, (0.95,) * 3, (60, y0, 30, y1 - y0), 0),
                     OcrWord(self.small, 0.95, (0.95,) * 6, (x0, y0, x1 - x0, y1 - y0), 0,
                             char_boxes=tuple(boxes)))
            return OcrText(words=words, engine=self.name, request=request)
        digits = self.large if request.method == "lstm-large" else self.small
        # Unless ``sure``, both models are unsure of the first glyph.
        first = 0.99 if self.sure else 0.3 if request.method == "lstm-large" else 0.45
        x0, x1 = boxes[0][0], boxes[-1][0] + boxes[-1][2]
        word = OcrWord(digits, first, (first,) + (0.99,) * (len(digits) - 1),
                       (x0, 0, x1 - x0, image.shape[0]), 0,
                       char_boxes=tuple(boxes) if len(boxes) == len(digits) else ())
        return OcrText(words=(word,), engine=self.name, request=request)


def _ink_columns(image: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes of the ink, one per run of inked columns."""
    ink = image < 128
    columns = ink.any(axis=0)
    boxes, start = [], None
    for x, inked in enumerate([*columns, False]):
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            rows = np.flatnonzero(ink[:, start:x].any(axis=1))
            boxes.append((start, int(rows[0]), x - start, int(rows[-1] - rows[0] + 1)))
            start = None
    return boxes


def _drawn_number(first: str) -> LabelCrop:
    """``first`` (a zero with a dot inside, a slash through it or a slash across it and
    out past the ring, upright or slanted, or a printed 6 or 8) then 21565, 36 pixels
    tall."""
    grey = np.full((120, 420), 255, np.uint8)
    if first in ("dotted zero", "slashed zero", "crossed zero"):
        cv2.ellipse(grey, (128, 60), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    elif first == "slanted crossed zero":
        # Slanted, a shallow slash splits the ring into two hollows one above the other.
        cv2.ellipse(grey, (128, 60), (11, 18), 10, 0, 360, 0, 4, cv2.LINE_AA)
        cv2.line(grey, (112, 65), (144, 55), 0, 4, cv2.LINE_AA)
    if first == "dotted zero":
        cv2.circle(grey, (128, 60), 4, 0, -1, cv2.LINE_AA)
    elif first == "slashed zero":
        cv2.line(grey, (121, 72), (135, 48), 0, 4, cv2.LINE_AA)
    elif first == "crossed zero":
        # Out past the ring: not a convex ring, but a ring its slash cuts in two.
        cv2.line(grey, (116, 78), (140, 42), 0, 4, cv2.LINE_AA)
    elif first != "slanted crossed zero":
        cv2.putText(grey, first[-1], (115, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4,
                    cv2.LINE_AA)
    cv2.putText(grey, "21565", (150, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


@pytest.mark.parametrize(("zero", "misread"), [
    pytest.param("dotted zero", "621565", id="a dotted zero read as a 6"),
    pytest.param("slashed zero", "821565", id="a slashed zero read as an 8"),
    pytest.param("crossed zero", "621565", id="a zero crossed by a slash read as a 6"),
])
def test_a_zero_misread_by_its_mark_is_a_zero_when_the_large_model_reads_one(
    zero: str, misread: str
) -> None:
    number = read_print(_drawn_number(zero), _DrawnDigits(misread, "021565"),
                        WORDS).numbers[0]
    assert number.text == "021565"
    assert misread in number.alternatives
    # Settled by the glyph's shape: enough to report, never sure enough to stop looking.
    assert 0.8 <= number.confidence <= 0.85


def test_a_printed_six_stays_a_six_whatever_the_large_model_reads() -> None:
    number = read_print(_drawn_number("printed 6"), _DrawnDigits("621565", "021565"),
                        WORDS).numbers[0]
    assert number.text == "621565"
    assert number.confidence < 0.8


def test_the_ring_settles_nothing_when_the_large_model_differs_elsewhere_too() -> None:
    number = read_print(_drawn_number("dotted zero"), _DrawnDigits("621565", "021568"),
                        WORDS).numbers[0]
    assert number.text == "621565"
    assert number.confidence < 0.8


@pytest.mark.parametrize("zero", ["dotted zero", "crossed zero", "slanted crossed zero"])
def test_a_marked_zero_read_as_a_6_by_both_models_makes_the_number_a_guess(zero: str) -> None:
    # A closed ring read as a 6 may be a 6 whose hook blur has closed: a guess.  A ring
    # a slash crosses that both models read as a 6 is left a guess as well, and so is
    # one whose slanted slash splits it into two hollows one above the other.
    number = read_print(_drawn_number(zero), _DrawnDigits("621565", "621565", sure=True),
                        WORDS).numbers[0]
    assert number.text == "621565"
    assert number.confidence <= 0.6
    assert "021565" in number.alternatives
    # Where the model's serials settle it, the validator takes the zero: the other digits
    # are as sure as the passes read them, short of sure enough to stop looking.
    assert number.leading_zero == ("021565", pytest.approx(0.85))


@pytest.mark.parametrize("large", ["621568", "021568"])
def test_no_zero_is_offered_when_the_large_model_reads_another_digit_elsewhere(
    large: str
) -> None:
    # The larger model doubts a digit the zero does not explain: taking the zero could
    # report a number wrong in that digit (a 0 read as 8 further on, say).
    number = read_print(_drawn_number("dotted zero"), _DrawnDigits("621565", large, sure=True),
                        WORDS).numbers[0]
    assert number.text == "621565"
    assert number.confidence <= 0.6
    assert number.leading_zero is None


@pytest.mark.parametrize(("large", "offered"), [
    ("221565", False), ("721565", False), ("921565", True), ("821565", True)])
def test_no_zero_is_offered_where_the_large_model_read_a_digit_no_marked_zero_reads_as(
    large: str, offered: bool
) -> None:
    # Both models misread a marked zero as a 6, a 9 or an 8.  A glyph the larger model
    # read as a 2 is not one it took for such a zero, whatever its shape says: 096318 was
    # reported for 096310, the larger model reading 296318.
    number = read_print(_drawn_number("dotted zero"), _DrawnDigits("621565", large, sure=True),
                        WORDS).numbers[0]
    assert number.text == "621565"
    assert number.confidence <= 0.6
    assert (number.leading_zero is not None) == offered


def test_a_slashed_zero_misread_by_both_models_is_a_zero_by_its_shape() -> None:
    # No 8 has its two hollows side by side.
    number = read_print(_drawn_number("slashed zero"), _DrawnDigits("821565", "821565", sure=True),
                        WORDS).numbers[0]
    assert number.text == "021565"
    assert "821565" in number.alternatives
    assert 0.8 <= number.confidence <= 0.85


def _drawn_dotted_zeros() -> LabelCrop:
    """0 2156 0, both zeros drawn alike with a dot inside, 36 pixels tall."""
    grey = np.full((120, 420), 255, np.uint8)
    (width, _), _ = cv2.getTextSize("2156", cv2.FONT_HERSHEY_SIMPLEX, 1.3, 4)
    for centre in (128, 150 + width + 16):
        cv2.ellipse(grey, (centre, 60), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
        cv2.circle(grey, (centre, 60), 4, 0, -1, cv2.LINE_AA)
    cv2.putText(grey, "2156", (150, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


def test_no_zero_is_offered_that_leaves_a_glyph_printed_alike_read_otherwise() -> None:
    # The first zero read as a 6 has a zero's shape; the last, printed alike, read as an
    # 8, has none a shape test settles.  A 0 in the first place alone would report
    # 021568: the same print read as two digits.
    crop = _drawn_dotted_zeros()
    number = read_print(crop, _DrawnDigits("621568", "621568", sure=True), WORDS).numbers[0]
    assert number.text == "621568"
    assert number.confidence <= 0.6
    assert (0, 5) in number.alike_read_otherwise
    assert "021568" in number.alternatives
    assert number.leading_zero is None


def _drawn_barred_zeros(first: str) -> LabelCrop:
    """``first`` (a zero with a bar across, or a printed 8), then 21, a zero with a bar
    across and 65: the number 021065 when ``first`` is the zero, 36 pixels tall."""
    grey = np.full((120, 420), 255, np.uint8)
    zeros = [128, 222] if first == "barred zero" else [222]
    for centre in zeros:
        cv2.ellipse(grey, (centre, 60), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
        cv2.line(grey, (centre - 9, 60), (centre + 9, 60), 0, 4, cv2.LINE_AA)
    if first != "barred zero":
        cv2.putText(grey, "8", (115, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    cv2.putText(grey, "21", (150, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    cv2.putText(grey, "65", (242, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


def test_an_8_printed_as_a_zero_read_elsewhere_is_a_zero_when_the_large_model_reads_one(
) -> None:
    # The small model read one barred zero as a 0 and the same print first as an 8.
    number = read_print(_drawn_barred_zeros("barred zero"), _DrawnDigits("821065", "021065"),
                        WORDS).numbers[0]
    assert number.text == "021065"
    assert "821065" in number.alternatives
    assert 0.8 <= number.confidence <= 0.85


def test_an_8_printed_as_a_zero_read_elsewhere_is_a_guess_when_both_models_read_an_8(
) -> None:
    # An 8 and a zero with a bar across differ only by the 8's waist: which of the
    # small model's two readings of one print slipped, its shape does not settle.
    number = read_print(_drawn_barred_zeros("barred zero"),
                        _DrawnDigits("821065", "821065", sure=True), WORDS).numbers[0]
    assert number.text == "821065"
    assert number.confidence <= 0.6
    assert "021065" in number.alternatives


def test_a_printed_8_beside_a_barred_zero_stays_an_8() -> None:
    number = read_print(_drawn_barred_zeros("printed 8"),
                        _DrawnDigits("821065", "821065", sure=True), WORDS).numbers[0]
    assert number.text == "821065"
    assert number.confidence >= 0.9


class _FirstPassReadsTheZero(_DrawnDigits):
    """:class:`_DrawnDigits` whose first, whole-crop pass reads the number with a zero
    first, while the small model's digits-only passes read a 6 there."""

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        text = super().read(image, request)
        if request.layout != "sparse":
            return text
        words = tuple(replace(word, text="0" + word.text[1:]) if word.text.isdigit() else word
                      for word in text.words)
        return replace(text, words=words)


def test_a_zero_one_pass_read_already_is_not_its_own_alternative() -> None:
    number = read_print(_drawn_number("dotted zero"),
                        _FirstPassReadsTheZero("621565", "021565"), WORDS).numbers[0]
    assert number.text == "021565"
    assert number.alternatives == ("621565",)


class _BinaryReadsTheZero(_DrawnDigits):
    """:class:`_DrawnDigits` whose small model reads a zero first in the binary rendering
    (two grey levels only) and its own misreading in the grey one."""

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        text = super().read(image, request)
        if request.layout == "sparse" or request.method != "lstm" or len(np.unique(image)) > 2:
            return text
        return replace(text, words=tuple(replace(word, text="0" + word.text[1:])
                                         for word in text.words))


def _binarised(crop: LabelCrop) -> LabelCrop:
    return replace(crop, binary=np.where(crop.grey < 128, 0, 255).astype(np.uint8))


def test_a_zero_one_rendering_misread_by_its_mark_is_a_zero_when_the_large_model_reads_one(
) -> None:
    # Two readings of each: the glyph's ring and the larger model say which one slipped.
    number = read_print(_binarised(_drawn_number("dotted zero")),
                        _BinaryReadsTheZero("621565", "021565"), WORDS).numbers[0]
    assert number.text == "021565"
    assert "621565" in number.alternatives
    assert 0.8 <= number.confidence <= 0.85


@pytest.mark.parametrize(("first", "large"), [
    pytest.param("printed 6", "021565", id="a printed 6"),
    pytest.param("dotted zero", "621565", id="the large model reads the 6"),
])
def test_a_split_between_a_zero_and_a_6_stays_in_doubt_unless_shape_and_large_model_agree(
    first: str, large: str
) -> None:
    number = read_print(_binarised(_drawn_number(first)),
                        _BinaryReadsTheZero("621565", large), WORDS).numbers[0]
    assert number.confidence < 0.8


def _partly_faint(number: str, faint: int) -> LabelCrop:
    """``number`` 36 pixels tall on paper with a fine grain, its first ``faint`` digits
    printed grey (glare or wear over them), the rest black; its binary rendering
    thresholded for the black."""
    grey = np.full((120, 460), 255, np.uint8)
    cv2.putText(grey, number, (100, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    glyphs = column_runs((grey < 128).any(axis=0))
    faint_part = grey[:, : glyphs[faint][0] - 1]
    faint_part[faint_part < 255] = np.maximum(faint_part[faint_part < 255], 150)
    grain = np.abs(np.random.default_rng(3).normal(0.0, 4.0, grey.shape))
    grey = np.clip(grey - grain, 0, 255).astype(np.uint8)
    return _binarised(LabelCrop(region=REGION, rank=0, text_height=36, grey=grey,
                                binary=grey.copy()))


class _SeesOnlyDarkDigits:
    """An engine that reads "Serial No." and ``number`` in the whole crop; in a digit crop,
    ``number`` when all its digits are dark, the dark ones alone when the faint ones are
    not there at all (thresholded away), and else ``small`` (the small model) or
    ``large``."""

    name = "faint"
    has_large_model = True

    def __init__(self, number: str, small: str, large: str) -> None:
        self.number, self.small, self.large = number, small, large

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        faint = _ink_columns(np.where(image < 200, 0, 255))
        if request.layout == "sparse":
            x0, x1 = faint[0][0], faint[-1][0] + faint[-1][2]
            words = (OcrWord("Serial", 0.95, (0.95,) * 6, (4, 40, 40, 40), 0),
                     OcrWord("No.", 0.95, (0.95,) * 3, (50, 40, 30, 40), 0),
                     OcrWord(self.number, 0.9, (0.9,) * 6, (x0, 40, x1 - x0, 40), 0))
            return OcrText(words=words, engine=self.name, request=request)
        dark = _ink_columns(image)
        if len(dark) == len(faint):
            digits = self.number[len(self.number) - len(dark):]
        else:
            digits = self.large if request.method == "lstm-large" else self.small
        word = OcrWord(digits, 0.95, (0.95,) * len(digits),
                       (faint[0][0], 0, faint[-1][0] + faint[-1][2] - faint[0][0],
                        image.shape[0]), 0)
        return OcrText(words=(word,), engine=self.name, request=request)


def test_a_number_with_faint_digits_is_read_again_with_its_contrast_evened() -> None:
    crop = _partly_faint("256091", faint=2)
    engine = _SeesOnlyDarkDigits("256091", small="56091", large="996091")
    number = read_print(crop, engine, WORDS).numbers[0]
    assert number.text == "256091"
    # Enough to report, never sure enough to stop looking elsewhere.
    assert 0.8 <= number.confidence <= 0.85
    assert {"56091", "6091"} <= set(number.alternatives)


def _evenings_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets the text height of each crop the reader evens from now on."""
    calls: list[int] = []
    even = digit_vote._evened

    def counted(grey: np.ndarray, text_height: int) -> np.ndarray:
        calls.append(text_height)
        return even(grey, text_height)

    monkeypatch.setattr(digit_vote, "_evened", counted)
    return calls


@pytest.mark.parametrize(("faint", "evened"), [
    pytest.param(2, True, id="two digits faded"),
    pytest.param(0, False, id="every digit alike"),
])
def test_only_a_number_with_faded_digits_is_read_again_evened(
    faint: int, evened: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The passes disagree either way; evening is for faded print alone (a number evenly
    # printed reads evened as it did, and its misreads could be confirmed).
    answers = iter(["256081", "286091", "256091", "286081"] * 4)

    class Split(_SeesOnlyDarkDigits):
        def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
            text = super().read(image, request)
            if request.layout == "sparse":
                return text
            return replace(text, words=(replace(text.words[0], text=next(answers)),))

    engine = Split("256091", small="", large="")
    calls = _evenings_counted(monkeypatch)
    number = read_print(_partly_faint("256091", faint=faint), engine, WORDS).numbers[0]
    assert number.confidence < 0.8
    # Looking for faded glyphs evens the digit crop itself once; reading it evens the
    # whole crop once more.
    assert len(calls) == (2 if evened else 1)


def test_a_number_every_pass_read_alike_is_not_read_again_evened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every pass of the small model reads 286091, each unsure of its 8, and the larger
    # model reads nothing: evened, the small model would read the glyph the same way
    # again, which confirms nothing.
    class Alike(_SeesOnlyDarkDigits):
        def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
            if request.method == "lstm-large":
                return OcrText(words=(), engine=self.name, request=request)
            words = super().read(image, request).words
            unsure = replace(words[-1], text="286091",
                             char_confidences=(0.95, 0.1, 0.95, 0.95, 0.95, 0.95))
            return OcrText(words=(*words[:-1], unsure), engine=self.name, request=request)

    calls = _evenings_counted(monkeypatch)
    engine = Alike("286091", small="", large="")
    number = read_print(_partly_faint("256091", faint=2), engine, WORDS).numbers[0]
    assert number.text == "286091"
    assert number.confidence < 0.8
    assert not number.alternatives
    assert calls == []


def test_an_evened_reading_no_earlier_pass_made_is_no_confirmation() -> None:
    # The first pass read 356091; the digit passes read the faint digits otherwise.  The
    # evened passes read 256091, which nothing read before: it stays a guess.
    crop = _partly_faint("256091", faint=2)

    class FirstPassMisread(_SeesOnlyDarkDigits):
        def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
            text = super().read(image, request)
            if request.layout != "sparse":
                return text
            words = (*text.words[:2], replace(text.words[2], text="356091"))
            return replace(text, words=words)

    engine = FirstPassMisread("256091", small="56091", large="996091")
    number = read_print(crop, engine, WORDS).numbers[0]
    assert number.confidence < 0.8
    assert number.text != "256091"


def _drawn_with_two_zeros(last: str) -> LabelCrop:
    """A dotted zero, 2156, then ``last``: the same dotted zero, or a narrower plain one;
    36 pixels tall."""
    grey = np.full((120, 460), 255, np.uint8)
    cv2.ellipse(grey, (128, 60), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    cv2.circle(grey, (128, 60), 4, 0, -1, cv2.LINE_AA)
    cv2.putText(grey, "2156", (150, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    (width, _), _ = cv2.getTextSize("2156", cv2.FONT_HERSHEY_SIMPLEX, 1.3, 4)
    centre = (150 + width + 22, 60)
    if last == "same dotted zero":
        cv2.ellipse(grey, centre, (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
        cv2.circle(grey, centre, 4, 0, -1, cv2.LINE_AA)
    else:
        cv2.ellipse(grey, centre, (6, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


def test_a_zero_misread_where_the_same_print_reads_as_a_zero_elsewhere_is_a_zero() -> None:
    number = read_print(_drawn_with_two_zeros("same dotted zero"),
                        _DrawnDigits("621560", "621560", sure=True), WORDS).numbers[0]
    assert number.text == "021560"
    assert "621560" in number.alternatives
    assert 0.8 <= number.confidence <= 0.85


def test_a_ring_read_as_a_six_unlike_the_numbers_zero_stays_a_guess() -> None:
    number = read_print(_drawn_with_two_zeros("narrow plain zero"),
                        _DrawnDigits("621560", "621560", sure=True), WORDS).numbers[0]
    assert number.text == "621560"
    assert number.confidence <= 0.6
    assert "021560" in number.alternatives


def _ring_patch(height: int) -> np.ndarray:
    """A ring ``height`` pixels tall, its ink's box and a little around it."""
    grey = np.full((height + 20, height + 20), 255, np.uint8)
    centre, stroke = (height // 2 + 10, height // 2 + 10), max(2, height // 8)
    cv2.ellipse(grey, centre, (height * 3 // 10, (height - stroke) // 2), 0, 0, 360, 0, stroke,
                cv2.LINE_AA)
    return character_box(grey)


def _digit_patch(digit: str, height: int) -> np.ndarray:
    """``digit`` written ``height`` pixels tall by OpenCV's measure (its ink is less),
    as :func:`_ring_patch` gives a ring."""
    (_, measured), _ = cv2.getTextSize("0", cv2.FONT_HERSHEY_SIMPLEX, 1.0, 3)
    grey = np.full((3 * height, 3 * height), 255, np.uint8)
    cv2.putText(grey, digit, (height // 2, 2 * height), cv2.FONT_HERSHEY_SIMPLEX,
                height / measured, 0, 3, cv2.LINE_AA)
    return character_box(grey)


@pytest.mark.parametrize("six_height", [32, 18])
def test_a_six_whose_character_box_holds_only_its_bowl_is_not_judged_by_that_shape(
    six_height: int,
) -> None:
    # 065936 with a ring for its zero.  A ring read as a 6 at the zero's height is that
    # zero misread; a ring half as tall is all of a 6 that a box too short took in (its
    # bowl, closed by blur), and says nothing about the digit.
    glyphs = [("0", _ring_patch(32)), ("6", _ring_patch(six_height)),
              ("5", _digit_patch("5", 43)), ("9", _digit_patch("9", 43)),
              ("3", _digit_patch("3", 43)), ("6", _ring_patch(six_height))]
    shaped, settled = digit_vote._zero_shaped("065936", glyphs)
    if six_height == 32:
        assert shaped == settled == {1, 5}
    else:
        assert shaped == settled == set()


@pytest.mark.parametrize("digit", ["6", "8"])
def test_a_printed_six_or_eight_read_surely_stays_sure(digit: str) -> None:
    read = f"{digit}21565"
    number = read_print(_drawn_number(f"printed {digit}"), _DrawnDigits(read, read, sure=True),
                        WORDS).numbers[0]
    assert number.text == read
    assert number.confidence >= 0.9
    assert number.leading_zero is None


def _speckled_number() -> LabelCrop:
    """"SERIAL NO. 013537" on paper full of speckle."""
    grey = np.full((120, 400), 235, np.uint8)
    cv2.putText(grey, "013537", (150, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 30, 4, cv2.LINE_AA)
    speckle = np.random.default_rng(7).random(grey.shape) < 0.15
    grey[speckle] = 120
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


def _speckle_shy(smoothed_reads: str, large_model_reads: str | None = None) -> FakeOcrEngine:
    """An engine whose single-line reads find no line on speckled crops and read
    ``smoothed_reads`` on smooth ones (its larger model, if given, ``large_model_reads``);
    whole crops read the number after its wording."""

    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout != "line":
            return "SERIAL NO. 013537"
        if np.abs(np.diff(image.astype(np.int16), axis=1)).mean() > 3:
            return ""  # speckled
        if request.method == "lstm-large" and large_model_reads is not None:
            return large_model_reads
        return smoothed_reads

    return FakeOcrEngine(reply, has_large_model=large_model_reads is not None)


def test_a_number_no_digit_pass_finds_for_speckle_is_confirmed_smoothed() -> None:
    number = read_print(_speckled_number(), _speckle_shy("013537"), WORDS).numbers[0]
    assert number.text == "013537"
    assert number.confidence >= 0.9


def test_the_larger_model_checks_a_smoothed_reading_on_the_smoothed_crop() -> None:
    doubted = read_print(_speckled_number(), _speckle_shy("013537", "013587"),
                         WORDS).numbers[0]
    assert doubted.text == "013537"
    assert doubted.second_opinion == "013587"
    assert doubted.confidence < 0.8
    agreed = read_print(_speckled_number(), _speckle_shy("013537", "013537"), WORDS).numbers[0]
    assert agreed.confidence >= 0.9


def test_a_smoothed_reading_that_differs_confirms_nothing() -> None:
    number = read_print(_speckled_number(), _speckle_shy("013557"), WORDS).numbers[0]
    assert number.text == "013537"
    assert number.confidence < 0.8


@pytest.mark.parametrize(("read", "digits"), [
    ("25609]", "256091"),     # a serif 1 read as a bracket ends the number
    ("2560]", "25601"),
    ("25609].", "25609"),     # not the word's last character: punctuation
    ("609]", None),           # too few digits before it to be part of a number
    ("[25609", "25609"),      # an opening bracket is never a digit
    ("[25609]", "25609"),     # ... and closes a bracketed group
])
def test_a_closing_bracket_right_after_digits_is_read_as_a_one(
    read: str, digits: str | None
) -> None:
    words = (OcrWord("No.", 0.9, (0.9,) * 3, (20, 40, 60, 40), 0),
             OcrWord(read, 0.9, (0.9,) * len(read), (100, 40, 30 * len(read), 40), 0))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    found = [target for target in _targets(text, WORDS) if target.digits]
    assert [target.digits for target in found] == ([digits] if digits else [])
    if digits == "256091":
        # The digit crop takes in the last digit: the box runs to the word's end.
        assert found[0].box[0] + found[0].box[2] == 100 + 30 * len(read)


def test_a_number_whose_last_one_the_first_pass_read_as_a_bracket_is_read_whole() -> None:
    reading = read_print(_crop(), _first_then("Serial No. 25609]", "256091"), WORDS)
    assert [number.text for number in reading.numbers] == ["256091"]
    assert reading.numbers[0].votes == reading.numbers[0].passes
    assert reading.numbers[0].before == "Serial No."


def test_a_number_read_glued_to_other_characters_is_marked_so() -> None:
    words = (OcrWord("[S/N224843]", 0.9, (0.9,) * 11, (20, 40, 300, 40), 0),
             OcrWord("No.", 0.9, (0.9,) * 3, (20, 100, 60, 40), 1),
             OcrWord("105189", 0.9, (0.9,) * 6, (100, 100, 180, 40), 1))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    glued = {target.digits: target.glued for target in _targets(text, WORDS)}
    assert glued == {"224843": True, "105189": False}


def test_only_a_number_read_first_on_its_line_is_marked_as_starting_it() -> None:
    words = (OcrWord("6815.", 0.9, (0.9,) * 5, (60, 40, 150, 40), 0),
             OcrWord("No.", 0.9, (0.9,) * 3, (20, 100, 60, 40), 1),
             OcrWord("105189", 0.9, (0.9,) * 6, (100, 100, 180, 40), 1),
             OcrWord("T1325", 0.9, (0.9,) * 5, (20, 160, 150, 40), 2))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    starts = {target.digits: target.starts_line for target in _targets(text, WORDS)}
    assert starts == {"6815": True, "105189": False, "1325": False}


@pytest.mark.parametrize(("read", "digits", "before"), [
    (("2", "No116850"), "116850", "2 No"),     # the o of No is also a zero's look-alike
    (("NO0116850",), "0116850", "NO"),         # ... and so is an O
    (("S/N", "O16850"), "016850", "S/N"),      # wording before: the O is the number's
    (("TOKYO", "o116850"), "0116850", "TOKYO"),  # no wording: it stays a look-alike
])
def test_serial_wording_glued_to_a_number_is_not_read_as_its_first_digit(
    read: tuple[str, ...], digits: str, before: str
) -> None:
    words = tuple(OcrWord(text, 0.9, (0.9,) * len(text), (20 + 100 * index, 40, 20 * len(text), 40),
                          0)
                  for index, text in enumerate(read))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    [target] = [target for target in _targets(text, WORDS) if target.digits]
    assert (target.digits, target.before) == (digits, before)
    last = words[-1]
    # The box starts where the digits do, after the wording's letters.
    letters = len(last.text) - len(digits)
    assert target.box[0] == last.box[0] + last.box[2] * letters // len(last.text)


@pytest.mark.parametrize(("lines", "read_apart"), [
    ((("Serial-No.",), ("Q3297'", "9")), True),   # the line below the wording
    ((("S/N", "03297", "0"),), True),             # the word after the wording
    ((("LOT", "03297", "8"),), True),             # any run of digits
    ((("S/N", "03297", "A"),), False),
    ((("S/N", "032970"),), False),
])
def test_a_digit_read_as_a_word_right_after_a_number_is_noted(
    lines: tuple[tuple[str, ...], ...], read_apart: bool
) -> None:
    words = tuple(
        OcrWord(text, 0.9, (0.9,) * len(text), (20 + 160 * index, 40 + 60 * line, 150, 40),
                line)
        for line, texts in enumerate(lines) for index, text in enumerate(texts)
    )
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    targets = [target for target in _targets(text, WORDS) if target.digits]
    assert targets and all(target.digit_read_apart is read_apart for target in targets)



@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "difficulty", "serial", "misread"), [
    pytest.param(11081, "easy", "154928", "154921",
                 id="word box ending inside the 8 before a barcode"),
    pytest.param(14103, "medium", "172370", "172376",
                 id="a monospaced bold zero, its dot blurred into a bar"),
])
def test_generated_labels_once_misread_surely_are_not_reported_wrong(
    seed: int, difficulty: str, serial: str, misread: str, tmp_path: Path
) -> None:
    result = scan_generated(seed, difficulty, serial, tmp_path)
    assert result.serial in (None, serial)
    assert result.serial == serial or result.guess == misread


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "difficulty", "serial"), [
    pytest.param(10074, "hard", "052610", id="S/N over the number, lost by the first pass"),
    pytest.param(14142, "medium", "011009", id="No. before the number, read with a speck"),
    pytest.param(20261345, "medium", "116850", id="No glued to the number on a metal plate"),
    pytest.param(20261198, "medium", "122578",
                 id="screw heads read glued to S/N and after the number on a metal plate"),
])
def test_generated_labels_whose_wording_the_first_pass_loses_are_read(
    seed: int, difficulty: str, serial: str, tmp_path: Path
) -> None:
    assert scan_generated(seed, difficulty, serial, tmp_path).serial == serial


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "serial"), [
    pytest.param(14108, "049607", id="dot-matrix digits Tesseract reads as 4567"),
    pytest.param(13009, "007618", id="slashed dot-matrix zeros Tesseract loses"),
    pytest.param(20261311, "081272",
                 id="a slashed zero read as 6 and 8 after NO., its pins read in the surroundings"),
])
def test_generated_dot_matrix_labels_are_read_from_their_pins(
    seed: int, serial: str, tmp_path: Path
) -> None:
    result = scan_generated(seed, "easy", serial, tmp_path)
    assert (result.status, result.serial) == ("read", serial)
    assert 0.8 <= result.confidence < 0.9  # read from its pins: reported, never sure


@pytest.mark.tesseract
def test_a_generated_dot_matrix_number_passed_over_beside_clear_words_is_read(
    tmp_path: Path,
) -> None:
    # "KORG INC." and "MODEL M1" read clearly; the dot-matrix "S/N" and number between
    # them left no trace in the first pass.
    result = scan_generated(20261140, "easy", "089253", tmp_path)
    assert (result.status, result.serial) == ("read", "089253")


class _DotMatrixLabel:
    """A label whose serial is printed on a 5 x 7 pin grid (``dot_matrix``) or in a drawn
    font: the whole-crop pass reads "SERIAL NO." and a number boxed where the number is
    printed; the digits-only passes read ``digits`` at ``confidence``."""

    name = "dot-matrix"
    has_large_model = False

    def __init__(self, printed: str, digits: str, confidence: float, *,
                 dot_matrix: bool = True) -> None:
        self.digits, self.confidence = digits, confidence
        grey = np.full((120, 400), 235, np.uint8)
        if dot_matrix:
            ink = render_dot_matrix(printed, 30.0, 150.0).mask
            grey[40:40 + ink.shape[0], 180:180 + ink.shape[1]] -= (
                ink.astype(np.float32) * (200 / 255)).astype(np.uint8)
        else:
            scale = cv2.getFontScaleFromHeight(cv2.FONT_HERSHEY_SIMPLEX, 30, 3)
            cv2.putText(grey, printed, (180, 70), cv2.FONT_HERSHEY_SIMPLEX, scale, 35, 3)
        ys, xs = np.nonzero(grey < 128)
        self.box = (int(xs.min()), int(ys.min()),
                    int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
        self.crop = LabelCrop(region=REGION, rank=0, text_height=36, grey=grey,
                              binary=np.where(grey < 128, 0, 255).astype(np.uint8))

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        sure = (self.confidence,) * len(self.digits)
        if request.layout == "line":
            words = (OcrWord(self.digits, self.confidence, sure, (0, 0, 120, 30), 0),)
            return OcrText(words=words, engine=self.name, request=request)
        wording = OcrWord("SERIAL NO.", 0.95, (0.95,) * 10, (10, self.box[1], 150, 30), 0)
        number = OcrWord(self.digits, self.confidence, sure, self.box, 0)
        return OcrText(words=(wording, number), engine=self.name, request=request)


def _read_label_of(engine: _DotMatrixLabel) -> NumberReading:
    return read_print(engine.crop, engine, WORDS).numbers[0]


def test_dot_matrix_digits_tesseract_misreads_unsurely_are_read_from_their_pins() -> None:
    number = _read_label_of(_DotMatrixLabel("208887", "208867", 0.5))
    assert number.text == "208887"
    # Reported, yet never sure enough to stop the other regions being read.
    assert 0.8 <= number.confidence < 0.9
    assert "208867" in number.alternatives


def test_dot_matrix_digits_tesseract_reads_alike_but_unsurely_are_lifted() -> None:
    number = _read_label_of(_DotMatrixLabel("208887", "208887", 0.4))
    assert number.text == "208887" and 0.8 <= number.confidence < 0.9


def test_a_sure_tesseract_reading_the_pins_contradict_is_a_guess() -> None:
    number = _read_label_of(_DotMatrixLabel("208887", "208867", 0.95))
    assert number.text == "208867" and number.confidence < 0.8
    assert "208887" in number.alternatives


def test_digits_of_a_drawn_font_are_left_to_tesseract() -> None:
    unsure = _read_label_of(_DotMatrixLabel("208887", "208867", 0.5, dot_matrix=False))
    assert unsure.text == "208867" and unsure.confidence < 0.8
    assert "208887" not in unsure.alternatives
    sure = _read_label_of(_DotMatrixLabel("208887", "208887", 0.95, dot_matrix=False))
    assert sure.text == "208887" and sure.confidence >= 0.9


def test_dot_matrix_digits_tesseract_reads_surely_and_alike_stay_sure() -> None:
    number = _read_label_of(_DotMatrixLabel("208887", "208887", 0.95))
    assert number.text == "208887" and number.confidence >= 0.9
    assert number.alternatives == ()


@pytest.mark.parametrize(("left", "cut"), [(20, True), (200, False)])
def test_the_end_of_no_at_the_crops_edge_is_taken_for_cut_off_wording(
    left: int, cut: bool
) -> None:
    # "o." starting the line at the crop's edge (12 pixels of blank margin) is what a
    # cable across the sticker left of "No."; the same well inside the crop is not.
    words = (OcrWord("o.", 0.9, (0.9, 0.9), (left, 40, 30, 30), 0),
             OcrWord("041669", 0.95, (0.95,) * 6, (left + 50, 38, 180, 34), 0))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    [target] = _targets(text, WORDS)
    assert target.digits == "041669"
    assert target.wording_cut is cut and not target.labelled


@pytest.mark.parametrize(("text", "photo_ends", "at_frame"), [
    ("SERIAL NO.\n013537", True, True),  # the number starts at the photo's edge
    ("\n\nSERIAL NO. 013537", True, False),  # wording between it and the edge
    ("SERIAL NO.\n013537", False, False),  # the photo goes on past the crop
])
def test_a_number_beside_the_photos_edge_is_a_guess(
    text: str, photo_ends: bool, at_frame: bool
) -> None:
    # The photo's edge may have cut a digit of the number beside it, and what is left of
    # one reads as another digit.
    photo_edge = None
    if photo_ends:
        photo_edge = np.zeros((120, 400), dtype=bool)
        photo_edge[:, :14] = True  # the crop's margin, and the photo's last two columns
    crop = replace(_crop(), photo_edge=photo_edge)
    [number] = read_print(crop, FakeOcrEngine(text), WORDS).numbers
    assert number.text == "013537"
    assert number.at_frame is at_frame
    assert (number.confidence <= 0.6) is at_frame


@pytest.mark.parametrize(("glare_rows", "under_glare"), [
    ((20, 36), True),  # over the number's first digits
    ((90, 106), False),  # on the paper below it
    (None, False),  # no glare in the photo
])
def test_a_number_under_glare_is_a_guess(
    glare_rows: tuple[int, int] | None, under_glare: bool
) -> None:
    # Glare fades the digits it falls on, and what is left of one reads as another.  The
    # fake engine puts the number's line 20 pixels down, its digits 10 pixels wide.
    glare = None
    if glare_rows is not None:
        glare = np.zeros((120, 400), dtype=bool)
        glare[glare_rows[0]:glare_rows[1], 10:30] = True
    crop = replace(_crop(), glare=glare)
    [number] = read_print(crop, FakeOcrEngine("SERIAL NO.\n013537"), WORDS).numbers
    assert number.text == "013537"
    assert number.under_glare is under_glare
    assert (number.confidence <= 0.6) is under_glare


@pytest.mark.parametrize(("frame_cut", "cut"), [(True, True), (False, False)])
def test_a_cut_letter_before_the_end_of_no_counts_only_where_the_photos_edge_cut_print(
    frame_cut: bool, cut: bool
) -> None:
    # Where the photo's own edge cut through the "N" of "No.", what is left of it reads
    # as any letter ("Vo."); elsewhere "Vo." at the crop's edge is a word of its own.
    words = (OcrWord("Vo.", 0.9, (0.9, 0.9, 0.9), (14, 40, 45, 30), 0),
             OcrWord("041669", 0.95, (0.95,) * 6, (75, 38, 180, 34), 0))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    [target] = _targets(text, WORDS, frame_cut)
    assert target.digits == "041669"
    assert target.wording_cut is cut and not target.labelled


@pytest.mark.parametrize(
    ("first", "runs_off"),
    [
        # The fake engine boxes each character 10 pixels wide, words 10 apart; the crop
        # is 400 wide, its print ending 12 short of that.  Filler letters put the end of
        # the wording's line where wanted.
        (f"{'M' * 25} SERIAL NO. 01", True),  # a number's start at the crop's end
        (f"{'M' * 28} SERIAL NO.", True),  # wording at the crop's end, nothing after it
        ("SERIAL NO. 01", False),  # room for a whole number: it is short, not cut off
        (f"{'M' * 21} SERIAL NO. 013537", False),  # a whole number reaches the end
        (f"{'M' * 25} MODEL M1 01", False),  # no serial wording
        (f"{'M' * 31} SN 01", False),  # two letters, as often a mark or a legend's "SW"
    ],
)
def test_serial_wording_with_the_place_after_it_at_the_crops_end_is_told(
    first: str, runs_off: bool
) -> None:
    digits = first.rsplit(" ", 1)[-1]
    engine = _first_then(first, digits if digits.isdigit() else "")
    assert read_print(_crop(), engine, WORDS).wording_runs_off is runs_off


@pytest.mark.parametrize(("header_height", "labelled"), [(8, False), (22, True)])
def test_wording_over_a_number_must_be_print_not_a_speck(
    header_height: int, labelled: bool
) -> None:
    # "Sn" read off a mark a fifth of the number's height tall is no "S/N" header.
    words = (OcrWord("Sn", 0.9, (0.9, 0.9), (40, 20, 40, header_height), 0),
             OcrWord("078858", 0.95, (0.95,) * 6, (30, 50, 150, 44), 1))
    text = OcrText(words=words, engine="fake", request=OcrRequest(layout="block"))
    [target] = _targets(text, WORDS)
    assert target.digits == "078858"
    assert target.labelled is labelled


class _LeaningDigits:
    """An engine for a crop of digits: the whole-crop pass reads "No." and letters for
    the digits (as Tesseract does for leaning bold digits); a digits-only read gives
    ``upright`` when the glyphs it is shown stand upright, else ``leaning``."""

    name = "leaning"
    has_large_model = False

    def __init__(self, *, upright: str = "059112", leaning: str = "912",
                 leaning_confidence: float = 0.95) -> None:
        self.upright, self.leaning = upright, leaning
        self.leaning_confidence = leaning_confidence
        self.line_reads: list[float] = []

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        rows, columns = np.nonzero(image < 128)
        x0, y0 = int(columns.min()), int(rows.min())
        box = (x0, y0, int(columns.max()) - x0 + 1, int(rows.max()) - y0 + 1)
        if request.layout == "sparse":
            words = (OcrWord("No.", 0.9, (0.9,) * 3, (x0 - 70, y0, 50, box[3]), 0),
                     OcrWord("OS9L12", 0.7, (0.7,) * 6, box, 0))
            return OcrText(words=words, engine=self.name, request=request)
        lean = lean_of(image)
        self.line_reads.append(lean)
        digits, sure = (self.upright, 0.95) if lean == 0.0 else (self.leaning,
                                                                 self.leaning_confidence)
        word = OcrWord(digits, sure, (sure,) * len(digits), box, 0)
        return OcrText(words=(word,), engine=self.name, request=request)


def _leaning_number(lean: float) -> LabelCrop:
    grey = np.full((120, 460), 255, np.uint8)
    cv2.putText(grey, "059112", (150, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    grey = stand_upright(grey, -lean)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


@pytest.mark.parametrize("lean", [0.3, -0.25])
def test_leaning_digits_read_short_are_read_again_stood_upright(lean: float) -> None:
    engine = _LeaningDigits()
    [number] = read_print(_leaning_number(lean), engine, WORDS).numbers
    assert number.text == "059112" and number.confidence >= 0.9
    # Read as they lean first, then stood upright.
    assert engine.line_reads[0] != 0.0 and engine.line_reads[-1] == 0.0


def test_leaning_digits_read_surely_as_they_are_are_not_read_again() -> None:
    engine = _LeaningDigits(leaning="059112")
    [number] = read_print(_leaning_number(0.3), engine, WORDS).numbers
    assert number.text == "059112"
    assert engine.line_reads and all(lean != 0.0 for lean in engine.line_reads)


def test_an_unsure_number_stays_as_read_when_stood_upright_it_reads_no_better() -> None:
    engine = _LeaningDigits(upright="", leaning="059112", leaning_confidence=0.5)
    [number] = read_print(_leaning_number(0.3), engine, WORDS).numbers
    assert number.text == "059112" and number.confidence < 0.9
    assert engine.line_reads[-1] == 0.0  # it was read again upright


def test_a_number_stood_upright_is_not_taken_when_it_reads_a_digit_fewer() -> None:
    # Sheared, the crop's last glyph can fall out of it: a surer reading with a digit
    # fewer has lost that digit.
    engine = _LeaningDigits(upright="05911", leaning="059112", leaning_confidence=0.5)
    [number] = read_print(_leaning_number(0.3), engine, WORDS).numbers
    assert number.text == "059112" and number.confidence < 0.9
    assert engine.line_reads[-1] == 0.0  # it was read again upright


def test_upright_digits_read_short_are_not_sheared() -> None:
    engine = _LeaningDigits(upright="912")
    assert read_print(_leaning_number(0.0), engine, WORDS).numbers == ()
    assert engine.line_reads and all(lean == 0.0 for lean in engine.line_reads)


def _small_print_crop() -> tuple[LabelCrop, tuple[int, int, int, int]]:
    """A crop made for text 36 pixels tall holding a number printed 9 pixels tall (the
    region's height was measured on larger print), with the number's ink box."""
    grey = np.full((120, 400), 255, np.uint8)
    cv2.putText(grey, "004587", (150, 64), cv2.FONT_HERSHEY_SIMPLEX, 0.33, 0, 1, cv2.LINE_AA)
    rows, columns = np.nonzero(grey < 128)
    box = (int(columns.min()), int(rows.min()), int(np.ptp(columns)) + 1, int(np.ptp(rows)) + 1)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy()), box


def _ink_height(image: np.ndarray) -> int:
    rows = np.flatnonzero((image < 128).any(axis=1))
    return int(rows[-1] - rows[0] + 1)


def test_a_number_in_small_print_is_enlarged_to_the_text_height_for_its_digit_reads() -> None:
    crop, box = _small_print_crop()
    assert box[3] <= 12
    digits = number_crop(crop.grey, box, 36, characters=6)
    assert digits is not None
    assert 30 <= _ink_height(digits) <= 42
    # Without the count of digits the box could be a flat box of the crop's own print.
    assert _ink_height(number_crop(crop.grey, box, 36)) <= 12  # type: ignore[arg-type]


class _ReadsOnlyLargeEnough:
    """Reads "S/N 004587" in its whole-crop pass, with the number's true box;
    its digits-only reads see the number only when it is at least 20 pixels tall."""

    name = "large-enough"
    has_large_model = False

    def __init__(self, box: tuple[int, int, int, int]) -> None:
        self.box = box

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "line":
            digits = "004587" if _ink_height(image) >= 20 else ""
            return OcrText(words=(OcrWord(digits, 0.95, (0.95,) * 6, (0, 0, 120, 30), 0),)
                           if digits else (), engine=self.name, request=request)
        x, y, _, h = self.box
        words = (OcrWord("S/N", 0.9, (0.9,) * 3, (x - 4 * h, y, 3 * h, h), 0),
                 OcrWord("004587", 0.6, (0.6,) * 6, self.box, 0))
        return OcrText(words=words, engine=self.name, request=request)


def test_a_serial_in_small_print_is_read_by_its_digit_passes() -> None:
    crop, box = _small_print_crop()
    [number] = read_print(crop, _ReadsOnlyLargeEnough(box), WORDS).numbers
    assert (number.text, number.votes, number.passes) == ("004587", 3, 3)
    assert number.confidence >= 0.9


def _blurred(image: np.ndarray, ink: int = 35) -> bool:
    """Whether no pixel of ``image`` is near as dark as its print's ``ink`` (a printed
    dot's middle by default): the print is spread by a blur."""
    return int(image.min()) > ink + 20


class _DotsTesseractCannotSee:
    """A label with "208887" printed on a 5 x 7 pin grid, read as Tesseract reads such
    print: as specks when it is sharp, as "SERIAL NO." and ``digits`` at ``confidence``
    once its dots are run together."""

    name = "dots-unseen"
    has_large_model = False

    def __init__(self, digits: str = "208887", confidence: float = 0.9) -> None:
        self.digits, self.confidence = digits, confidence
        self.requests: list[tuple[tuple[int, ...], str, bool]] = []
        self.crop = _DotMatrixLabel("208887", digits, confidence).crop

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        blurred = _blurred(image)
        self.requests.append((image.shape, request.layout, blurred))
        sure = (self.confidence,) * len(self.digits)
        if not blurred:
            words = (OcrWord("x7;r", 0.3, (0.3,) * 4, (20, 20, 40, 20), 0),)
        elif request.layout == "line":
            words = (OcrWord(self.digits, self.confidence, sure, (0, 0, 120, 30), 0),)
        else:
            # Where the print is on the glance, which is smaller than the crop.
            scale = image.shape[1] / self.crop.grey.shape[1]
            ys, xs = np.nonzero(self.crop.grey < 128)
            box = (round(scale * xs.min()), round(scale * ys.min()),
                   round(scale * (xs.max() - xs.min())), round(scale * (ys.max() - ys.min())))
            wording = OcrWord("SERIAL NO.", 0.95, (0.95,) * 10,
                              (round(10 * scale), box[1], round(150 * scale), box[3]), 0)
            words = (wording, OcrWord(self.digits, self.confidence, sure, box, 0))
        return OcrText(words=words, engine=self.name, request=request)


def test_dot_matrix_print_seen_only_with_its_dots_run_together_is_read_so() -> None:
    engine = _DotsTesseractCannotSee()
    reading = read_print(engine.crop, engine, WORDS)
    assert [number.text for number in reading.numbers] == ["208887"]
    assert reading.numbers[0].before == "SERIAL NO."
    assert reading.numbers[0].confidence >= 0.85
    glances = [shape for shape, layout, blurred in engine.requests
               if layout == "sparse" and blurred]
    assert len(glances) == 1 and glances[0][0] < engine.crop.grey.shape[0]
    # Its digits are read blurred too: sharp, Tesseract sees only specks there.
    assert all(blurred for _, layout, blurred in engine.requests if layout == "line")


def test_a_region_read_before_gets_no_glance_with_its_dots_run_together() -> None:
    engine = _DotsTesseractCannotSee()
    first = read_print(engine.crop, engine, WORDS)
    engine.requests.clear()
    again = read_print(engine.crop, engine, WORDS, earlier=(first,))
    assert again.numbers == ()
    assert not any(blurred for _, _, blurred in engine.requests)


def test_a_crop_with_clear_words_gets_no_glance_with_its_dots_run_together() -> None:
    engine = FakeOcrEngine("MIDI THRU OUTPUT")
    reading = read_print(_crop(), engine, WORDS)
    assert reading.plain_words
    assert [request.layout for _, request in engine.seen] == ["sparse"]


class _DotsPassedOverBesideWords(_DotsTesseractCannotSee):
    """:class:`_DotsTesseractCannotSee` for a label with clear words beside its dot-matrix
    number: sharp, Tesseract reads the words and passes over the dots, or (with
    ``number_as_word``) reads the number's row as a word of letters."""

    def __init__(self, *, number_as_word: bool = False) -> None:
        super().__init__()
        self.number_as_word = number_as_word

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if _blurred(image):
            return super().read(image, request)
        self.requests.append((image.shape, request.layout, False))
        words = [OcrWord("KORG", 0.95, (0.95,) * 4, (10, 4, 60, 24), 0),
                 OcrWord("JAPAN", 0.95, (0.95,) * 5, (80, 4, 70, 24), 0)]
        if self.number_as_word:
            box = _DotMatrixLabel("208887", "208887", 0.9).box
            words.append(OcrWord("ROBBER", 0.9, (0.9,) * 6, box, 1))
        return OcrText(words=tuple(words), engine=self.name, request=request)


def test_dot_matrix_print_passed_over_beside_clear_words_is_glanced_at_with_its_dots_run_together(
) -> None:
    engine = _DotsPassedOverBesideWords()
    reading = read_print(engine.crop, engine, WORDS)
    assert [number.text for number in reading.numbers] == ["208887"]
    assert reading.numbers[0].confidence >= 0.85
    assert sum(1 for _, layout, blurred in engine.requests if layout == "sparse" and blurred) == 1


def test_clear_words_over_every_row_of_print_get_no_glance_with_dots_run_together() -> None:
    engine = _DotsPassedOverBesideWords(number_as_word=True)
    reading = read_print(engine.crop, engine, WORDS)
    assert reading.numbers == () and reading.plain_words
    assert not any(blurred for _, _, blurred in engine.requests)


def test_pins_only_confirm_a_reading_of_print_seen_with_its_dots_run_together() -> None:
    # Sharp, the pins are read exactly, and they replace Tesseract's unsure misreading
    # (see above); where only the blur showed digits, the place may be texture the pin
    # fit makes digits of, and the pins must agree with what Tesseract read.
    misread = _DotsTesseractCannotSee("208867", 0.5)
    number = read_print(misread.crop, misread, WORDS).numbers[0]
    assert number.text == "208867" and number.confidence < 0.8
    read_alike = _DotsTesseractCannotSee("208887", 0.5)
    number = read_print(read_alike.crop, read_alike, WORDS).numbers[0]
    assert number.text == "208887" and 0.8 <= number.confidence < 0.9


class _DrawnDigitsSeenBlurred(_DrawnDigits):
    """:class:`_DrawnDigits` for print Tesseract sees only blurred (see
    :class:`_DotsTesseractCannotSee`): sharp, it reads specks."""

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if not _blurred(image, ink=0):
            words = (OcrWord("x7;r", 0.3, (0.3,) * 4, (20, 20, 40, 20), 0),)
            return OcrText(words=words, engine=self.name, request=request)
        return super().read(np.where(image < 200, 0, 255).astype(np.uint8), request)


def test_a_glyph_seen_blurred_is_not_judged_a_zero_by_its_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Blurred, an 8's waist can pass for a zero's slash: only sharp print is judged so,
    # here whatever the shape test would say.
    monkeypatch.setattr(digit_vote, "_zero_shaped", lambda winner, glyphs: ({0}, {0}))
    crop = _drawn_number("slashed zero")
    sharp = read_print(crop, _DrawnDigits("821565", "821565", sure=True), WORDS).numbers[0]
    assert sharp.text == "021565"
    blurred = read_print(crop, _DrawnDigitsSeenBlurred("821565", "821565", sure=True),
                         WORDS).numbers[0]
    assert blurred.text == "821565" and blurred.confidence >= 0.9
    assert blurred.leading_zero is None


def test_print_seen_only_blurred_is_not_judged_by_its_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Dot-matrix print found only in a blur has no strokes whose loops say anything:
    # here whatever the loop test would say, only the sharp print is judged.
    monkeypatch.setattr(
        digit_vote, "_misread_places",
        lambda glyphs, rules_out: (0,) if rules_out is digit_vote.loops_rule_out else ())
    crop = _drawn_digits("821565")
    sharp = read_print(crop, _DrawnDigits("821565", "821565", sure=True), WORDS).numbers[0]
    assert sharp.loop_misreads and sharp.confidence <= 0.6
    blurred = read_print(crop, _DrawnDigitsSeenBlurred("821565", "821565", sure=True),
                         WORDS).numbers[0]
    assert blurred.text == "821565" and blurred.confidence >= 0.9
    assert blurred.loop_misreads == ()


class _NumberMergedWithPrintBelow:
    """An engine for a crop with "No" and six digits on one line and small print under
    the first two digits, read the way Tesseract's sparse layout now and then reads such
    a line: "No", then a word twice the line's height joining the first digits to the
    print below, then the other digits on a line of their own.  A digits-only read gives
    a digit for each glyph as wide as a digit and a 1 for any narrower sliver of ink."""

    name = "merged"
    has_large_model = False

    def __init__(self, *, digits_seen: bool = True) -> None:
        # Without ``digits_seen`` the first pass reads "No" alone.
        self.digits_seen = digits_seen

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if request.layout == "sparse":
            wording = OcrWord("No", 0.95, (0.95,) * 2, (20, 40, 52, 36), 1)
            words: tuple[OcrWord, ...] = (wording,)
            if self.digits_seen:
                words = (OcrWord("8525", 0.96, (0.96,) * 4, (160, 40, 118, 36), 0),
                         wording, OcrWord("os", 0.14, (0.14,) * 2, (100, 40, 50, 62), 1))
            if image.shape != _MERGED_CROP.shape:
                words = ()
            return OcrText(words=words, engine=self.name, request=request)
        runs = run_widths((image < 128).any(axis=0))
        digits = iter("228525")
        text = "".join(next(digits, "") if width >= 15 else "1" for width in runs)
        word = OcrWord(text, 0.97, (0.97,) * len(text), (0, 0, image.shape[1], image.shape[0]), 0)
        return OcrText(words=(word,), engine=self.name, request=request)


def _merged_crop() -> np.ndarray:
    grey = np.full((130, 420), 255, np.uint8)
    grey[40:76, 20:44] = 0  # N
    grey[52:76, 50:72] = 0  # o, its right edge where the recogniser's box ends
    for index in range(6):
        left = 100 + index * 30
        grey[40:76, left:left + 20] = 0
    grey[84:96, 104:116] = 0  # small print under the first two digits
    grey[84:96, 124:136] = 0
    return grey


_MERGED_CROP = _merged_crop()


def test_a_number_whose_first_digits_were_joined_to_print_below_is_read_along_its_line() -> None:
    crop = LabelCrop(region=REGION, rank=0, text_height=36, grey=_MERGED_CROP,
                     binary=_MERGED_CROP.copy())
    reading = read_print(crop, _NumberMergedWithPrintBelow(), WORDS)
    assert reading.numbers[0].text == "228525"
    assert reading.numbers[0].before == "No"


def test_the_rest_of_the_line_after_wording_is_read_clear_of_its_last_letter() -> None:
    crop = LabelCrop(region=REGION, rank=0, text_height=36, grey=_MERGED_CROP,
                     binary=_MERGED_CROP.copy())
    reading = read_print(crop, _NumberMergedWithPrintBelow(digits_seen=False), WORDS)
    assert [number.text for number in reading.numbers] == ["228525"]



def test_a_crop_with_no_print_in_it_is_not_read() -> None:
    engine = FakeOcrEngine("SERIAL NO.\n013537")
    blank = _crop()
    reading = read_label(blank, engine, WORDS)
    assert engine.seen == []
    assert reading.numbers == () and reading.text == "" and reading.seen == ()


def test_a_crop_with_a_row_of_print_is_read() -> None:
    grey = np.full((120, 400), 255, np.uint8)
    cv2.putText(grey, "NO. 013537", (20, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3, cv2.LINE_AA)
    crop = LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())
    engine = FakeOcrEngine("SERIAL NO.\n013537")
    reading = read_label(crop, engine, WORDS)
    assert engine.seen
    assert reading.numbers[0].text == "013537"


def _drawn_digits(digits: str) -> LabelCrop:
    """``digits`` drawn in a plain face, 36 pixels tall, each apart from the next."""
    grey = np.full((120, 420), 255, np.uint8)
    cv2.putText(grey, digits, (120, 78), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    return LabelCrop(region=REGION, rank=0, text_height=36, grey=grey, binary=grey.copy())


def test_a_seven_both_models_read_as_a_one_makes_the_number_a_guess() -> None:
    # A bold 7 whose stem stands upright reads as a 1 in every pass, and to the larger
    # model too: its shape (a bar across its top, a narrow foot) says otherwise.
    number = read_print(_drawn_digits("259279"), _DrawnDigits("259219", "259219", sure=True),
                        WORDS).numbers[0]
    assert number.text == "259219"
    assert number.confidence <= 0.6
    assert "259279" in number.alternatives


def test_a_digit_whose_top_half_is_taped_over_makes_the_number_a_guess() -> None:
    # Tape the colour of the paper over the top half of the 9 leaves its foot, which
    # every pass of both models reads as a 5, sure.
    whole = _drawn_digits("089614")
    start, end = column_runs((whole.grey < 128).any(axis=0))[2]
    rows = np.flatnonzero((whole.grey < 128).any(axis=1))
    taped = whole.grey.copy()
    taped[: (rows[0] + rows[-1]) // 2, start - 2:end + 2] = 255
    engine = _DrawnDigits("085614", "085614", sure=True)
    number = read_print(replace(whole, grey=taped, binary=taped.copy()), engine,
                        WORDS).numbers[0]
    assert number.text == "085614"
    assert number.partly_hidden
    assert number.confidence <= 0.6
    # Untaped, whole print read as printed stays sure.
    untouched = read_print(whole, _DrawnDigits("089614", "089614", sure=True),
                           WORDS).numbers[0]
    assert not untouched.partly_hidden
    assert untouched.confidence >= 0.8


def test_two_glyphs_printed_alike_but_read_as_different_digits_make_the_number_a_guess(
) -> None:
    # Every pass of both models reads the last 1 as a 7 (a smudge, a coarse photo); it is
    # printed exactly as the 1 before it, so one of the two readings is a slip.
    misread = read_print(_drawn_digits("245511"), _DrawnDigits("245517", "245517", sure=True),
                         WORDS).numbers[0]
    assert misread.text == "245517"
    assert misread.alike_read_otherwise == ((4, 5),)
    assert misread.confidence <= 0.6
    # Read as printed, the two 1s are one digit and the number stays sure.
    read_right = read_print(_drawn_digits("245511"),
                            _DrawnDigits("245511", "245511", sure=True), WORDS).numbers[0]
    assert read_right.alike_read_otherwise == ()
    assert read_right.confidence >= 0.8


def test_a_nine_read_as_a_five_by_every_pass_makes_the_number_a_guess() -> None:
    # Streaked or shrunk, a 9 reads as a 5 in every pass of both models; its loop, high
    # in the glyph where a 5 has none, says otherwise.
    misread = read_print(_drawn_digits("089614"), _DrawnDigits("085614", "085614", sure=True),
                         WORDS).numbers[0]
    assert misread.text == "085614"
    assert misread.loop_misreads == (2,)
    assert misread.confidence <= 0.6
    # A 5 read as a 5 holds no such loop.
    read_right = read_print(_drawn_digits("085614"),
                            _DrawnDigits("085614", "085614", sure=True), WORDS).numbers[0]
    assert read_right.loop_misreads == ()
    assert read_right.confidence >= 0.8


def test_a_one_read_as_a_one_stays_sure() -> None:
    number = read_print(_drawn_digits("259219"), _DrawnDigits("259219", "259219", sure=True),
                        WORDS).numbers[0]
    assert (number.text, number.alternatives) == ("259219", ())
    assert number.confidence >= 0.8


def test_a_number_read_carries_its_digit_crop_for_the_blur_advice() -> None:
    # The digit crop as photographed is kept with the number, so that the answer's blur
    # can be measured once (see stickerscan.validate.with_blur_advice).
    sharp = _drawn_digits("089614")
    blurred_grey = cv2.GaussianBlur(sharp.grey, (0, 0), 3.0)
    blurred = replace(sharp, grey=blurred_grey, binary=blurred_grey.copy())
    numbers = [read_print(crop, _DrawnDigits("089614", "089614", sure=True), WORDS).numbers[0]
               for crop in (sharp, blurred)]
    crops = [number.digit_crop for number in numbers]
    assert crops[0] is not None and crops[1] is not None
    spreads = [edge_spread(crop) for crop in crops]
    assert spreads[0] is not None and spreads[1] is not None
    assert spreads[0] < 0.15 and spreads[1] >= 0.2
    # Kept out of the number's equality and its report.
    assert replace(numbers[0], digit_crop=None) == numbers[0]
    assert "digit_crop" not in numbers[0].to_dict()
