from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.ocr import OcrRequest
from stickerscan.ocr.engine import OcrText
from stickerscan.ocr.factory import make_engine
from stickerscan.ocr.setup_check import find_large_tessdata
from stickerscan.options import ScanOptions

DIGITS = "0123456789"


def _number(text: str) -> np.ndarray:
    """Dark digits about 36 pixels tall on white, with a margin."""
    image = np.full((80, 40 + 30 * len(text)), 255, np.uint8)
    cv2.putText(image, text, (20, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3, cv2.LINE_AA)
    return image


@pytest.mark.tesseract
def test_the_large_model_is_installed_with_the_package() -> None:
    folder = find_large_tessdata()
    assert folder is not None
    # Its larger LSTM model (and older data it also carries) make the file several times
    # the size of the fast model's.
    assert (folder / "eng.traineddata").stat().st_size > 15_000_000


@pytest.mark.tesseract
@pytest.mark.parametrize("engine_name", ["tesserocr", "pytesseract"])
@pytest.mark.parametrize("method", ["lstm", "lstm-large"])
def test_both_engines_read_clear_digits_with_both_models(
    engine_name: str, method: str
) -> None:
    engine = make_engine(ScanOptions(ocr_engine=engine_name))
    assert engine.has_large_model
    text = engine.read(
        _number("013537"), OcrRequest(layout="line", charset=DIGITS, method=method)  # type: ignore[arg-type]
    )
    assert "".join(word.text for word in text.words) == "013537"
    assert all(0.0 <= word.confidence <= 1.0 for word in text.words)


def _char_confidences(text: OcrText) -> list[float]:
    return [confidence for word in text.words for confidence in word.char_confidences]


@pytest.mark.tesseract
def test_runner_up_readings_only_lower_confidences_and_are_asked_for_per_read() -> None:
    engine = make_engine(ScanOptions(ocr_engine="tesserocr"))
    with_runner_ups, without = OcrRequest(layout="line"), OcrRequest(layout="line",
                                                                     runner_ups=False)
    lowered = False
    # A glyph drawn halfway between a 3 and an 8 has close rivals, however the drawing
    # library renders either digit.
    for share_of_eight in (0.45, 0.5, 0.55):
        three, eight = _number("038568"), _number("088568")
        crop = cv2.addWeighted(three, 1 - share_of_eight, eight, share_of_eight, 0)
        weighed = engine.read(crop, with_runner_ups)
        plain = engine.read(crop, without)
        weighed_again = engine.read(crop, with_runner_ups)
        assert weighed.text == plain.text == weighed_again.text
        # A read without runner-ups leaves no trace in the next read that asks for them.
        assert _char_confidences(weighed_again) == _char_confidences(weighed)
        pairs = list(zip(_char_confidences(weighed), _char_confidences(plain), strict=True))
        assert all(doubted <= confident for doubted, confident in pairs)
        lowered |= any(doubted < confident - 0.1 for doubted, confident in pairs)
    assert lowered


@pytest.mark.tesseract
def test_the_in_process_engine_starts_without_the_word_lists() -> None:
    engine = make_engine(ScanOptions(ocr_engine="tesserocr"))
    api = engine._api  # type: ignore[attr-defined]
    assert api.GetVariableAsString("load_system_dawg") == "0"
    assert api.GetVariableAsString("load_freq_dawg") == "0"


@pytest.mark.tesseract
def test_the_in_process_engine_gives_each_character_its_own_box() -> None:
    engine = make_engine(ScanOptions(ocr_engine="tesserocr"))
    words = engine.read(_number("255363"), OcrRequest(layout="line")).words
    assert "".join(word.text for word in words) == "255363"
    for word in words:
        assert len(word.char_boxes) == len(word.text)
        x, width = word.box[0], word.box[2]
        lefts = [box[0] for box in word.char_boxes]
        assert lefts == sorted(lefts)
        for left, _, box_width, _ in word.char_boxes:
            assert x - 2 <= left and left + box_width <= x + width + 2
            assert 0 < box_width < width
