from __future__ import annotations

import numpy as np

from stickerscan.enhance import LabelCrop
from stickerscan.locate import LabelRegion
from stickerscan.ocr import FakeOcrEngine, OcrRequest
from stickerscan.read import read_label

REGION = LabelRegion(
    quad=((0.0, 0.0), (100.0, 0.0), (100.0, 40.0), (0.0, 40.0)),
    score=3.0, text_height=20.0, polarity="dark-on-light", outlined=True,
    line_count=2, longest_line=6,
)


def _crop(marked_upside_down: bool = False) -> LabelCrop:
    """A crop whose top-left pixel says which way up it is (0 = upright)."""
    grey = np.full((120, 400), 255, np.uint8)
    binary = grey.copy()
    if marked_upside_down:
        grey[-1, -1] = 0
    else:
        grey[0, 0] = 0
    return LabelCrop(region=REGION, rank=0, grey=grey, binary=binary)


def test_block_pass_then_digit_passes_agree() -> None:
    engine = FakeOcrEngine("SERIAL NO.\n013537")
    reading = read_label(_crop(), engine)
    assert reading.text == "SERIAL NO.\n013537"
    assert [n.text for n in reading.numbers] == ["013537"]
    number = reading.numbers[0]
    assert number.votes == number.passes == 3
    assert number.before == "SERIAL NO."
    assert number.confidence > 0.9
    layouts = [request.layout for _, request in engine.seen]
    assert layouts == ["block", "line", "line"]
    assert engine.seen[1][1] == OcrRequest(layout="line", charset="0123456789")


def test_disagreeing_passes_lower_the_confidence() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout == "block":
            return "S/N 013537"
        return "013587" if image.mean() > 200 else "013537"

    reading = read_label(_crop(), FakeOcrEngine(reply))
    number = reading.numbers[0]
    assert number.votes < number.passes
    assert number.confidence < 0.8
    assert set(number.alternatives) | {number.text} == {"013537", "013587"}


def _block_then(block: str, line: str) -> FakeOcrEngine:
    """An engine that reads ``block`` for whole crops and ``line`` for single lines."""
    return FakeOcrEngine(lambda _image, request: block if request.layout == "block" else line)


def test_a_lookalike_letter_inside_a_number_becomes_a_digit() -> None:
    reading = read_label(_crop(), _block_then("Serial No. O13537", "013537"))
    assert reading.numbers[0].text == "013537"
    assert reading.numbers[0].votes == 3


def test_two_lookalike_letters_make_it_a_word_not_a_number() -> None:
    reading = read_label(_crop(), _block_then("Serial No. O135B7", "013587"))
    assert reading.numbers == ()


def test_words_without_enough_digits_are_not_numbers() -> None:
    reading = read_label(_crop(), FakeOcrEngine("MIDI IN OUT THRU\nSOLO 12"))
    assert reading.numbers == ()


def test_upside_down_crop_is_read_turned() -> None:
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        upright = image[0, 0] == 0
        if request.layout == "block":
            return "SERIAL NO. 215725" if upright else "GLZSLZ 'ON 7VIH3S"
        return "215725"

    reading = read_label(_crop(marked_upside_down=True), FakeOcrEngine(reply))
    assert reading.upside_down
    assert reading.numbers[0].text == "215725"
    assert reading.numbers[0].before == "SERIAL NO."


def test_number_context_after_is_kept_for_ratings() -> None:
    reading = read_label(_crop(), _block_then("AC 1200 V 60Hz", "1200"))
    assert reading.numbers[0].text == "1200"
    assert reading.numbers[0].after.startswith("V")
