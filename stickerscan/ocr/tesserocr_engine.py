"""Tesseract in-process through tesserocr: no new process or model load per crop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tesserocr

from stickerscan.ocr.engine import OcrRequest, OcrText, OcrWord

_PSM = {
    "sparse": tesserocr.PSM.SPARSE_TEXT,
    "block": tesserocr.PSM.SINGLE_BLOCK,
    "line": tesserocr.PSM.SINGLE_LINE,
}


class TesserocrEngine:
    """One long-lived Tesseract instance; not thread-safe (use one per process)."""

    name = "tesserocr"

    def __init__(self, tessdata_dir: Path, large_tessdata_dir: Path | None = None) -> None:
        self._api = _started(tessdata_dir, tesserocr.OEM.LSTM_ONLY)
        self._large: tesserocr.PyTessBaseAPI | None = None
        if large_tessdata_dir is not None:
            try:
                self._large = _started(large_tessdata_dir, tesserocr.OEM.LSTM_ONLY)
            except RuntimeError:
                # Data Tesseract cannot load: no second opinion, nothing worse.
                self._large = None
        self.has_large_model = self._large is not None
        self.version = str(self._api.Version())

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        grey = np.ascontiguousarray(image, dtype=np.uint8)
        height, width = grey.shape
        api = self._large if request.method == "lstm-large" else self._api
        if api is None:
            raise ValueError("this engine has no large model (see has_large_model)")
        api.SetPageSegMode(_PSM[request.layout])
        # Mode 2 keeps the runner-up readings of each character for _decisiveness.
        api.SetVariable("lstm_choice_mode", "2" if request.runner_ups else "0")
        api.SetVariable("tessedit_char_whitelist", request.charset or "")
        api.SetImageBytes(grey.tobytes(), width, height, 1, width)
        # A nominal resolution stops Tesseract guessing one from the pixel size.
        api.SetSourceResolution(300)
        api.Recognize()
        return OcrText(words=tuple(_words(api)), engine=self.name, request=request)

    def close(self) -> None:
        self._api.End()
        if self._large is not None:
            self._large.End()


def _started(tessdata_dir: Path, oem: int) -> tesserocr.PyTessBaseAPI:
    # The trailing separator matters: Tesseract joins the path and the file name itself.
    # Labels are short codes, not prose: the word lists push digits towards words.  These
    # are start-up settings; set afterwards they are silently ignored.
    api = tesserocr.PyTessBaseAPI(path=str(tessdata_dir) + "/", lang="eng", oem=oem,
                                  variables={"load_system_dawg": "0", "load_freq_dawg": "0"})
    # Crops arrive dark-on-light; re-reading every unsure line inverted only costs time
    # (about a fifth of it on photos that give no answer).
    api.SetVariable("tessedit_do_invert", "0")
    return api


def _words(api: tesserocr.PyTessBaseAPI) -> list[OcrWord]:
    iterator = api.GetIterator()
    if iterator is None:
        return []
    word_level, line_level, symbol_level = (
        tesserocr.RIL.WORD,
        tesserocr.RIL.TEXTLINE,
        tesserocr.RIL.SYMBOL,
    )
    words: list[OcrWord] = []
    line = -1
    text: list[str] = []
    confidences: list[float] = []
    char_boxes: list[tuple[int, int, int, int]] = []
    word_conf = 0.0
    box = (0, 0, 0, 0)

    def flush() -> None:
        if text:
            words.append(
                OcrWord(
                    text="".join(text),
                    confidence=word_conf,
                    char_confidences=tuple(confidences),
                    box=box,
                    line=line,
                    char_boxes=tuple(char_boxes),
                )
            )

    while True:
        if iterator.Empty(symbol_level):
            if not iterator.Next(symbol_level):
                break
            continue
        if iterator.IsAtBeginningOf(word_level):
            flush()
            text, confidences, char_boxes = [], [], []
            word_conf = iterator.Confidence(word_level) / 100.0
            box = _box(iterator.BoundingBox(word_level) or (0, 0, 0, 0))
            if iterator.IsAtBeginningOf(line_level):
                line += 1
        symbol = iterator.GetUTF8Text(symbol_level) or ""
        text.append(symbol)
        confidence = iterator.Confidence(symbol_level) / 100.0 * _decisiveness(iterator, symbol)
        confidences.extend([confidence] * len(symbol))
        bounds = iterator.BoundingBox(symbol_level)
        char_boxes.extend([_box(bounds) if bounds else box] * len(symbol))
        if not iterator.Next(symbol_level):
            break
    flush()
    return words


def _box(bounds: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """(x, y, width, height) of Tesseract's (left, top, right, bottom) bounds."""
    left, top, right, bottom = bounds
    return (left, top, right - left, bottom - top)


# A second choice scoring below this share of the first is no real doubt (clear digits show
# runners-up at 0-40% of the winner; look-alike glyphs at 50-90%).
_CLEAR_MARGIN = 0.45


def _decisiveness(iterator: tesserocr.PyResultIterator, symbol: str) -> float:
    """1.0 when the character's best reading clearly beats the runner-up, less when a
    different character came close."""
    scores = [
        (choice.GetUTF8Text(), choice.Confidence())
        for choice in tesserocr.iterate_choices(iterator.GetChoiceIterator())
    ]
    best = max((score for text, score in scores if text == symbol), default=0.0)
    rival = max((score for text, score in scores if text != symbol), default=0.0)
    if best <= 0 or rival < _CLEAR_MARGIN * best:
        return 1.0
    return max(0.0, 1.0 - rival / best)
