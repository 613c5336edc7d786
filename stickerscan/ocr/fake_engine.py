"""An OCR engine that needs no Tesseract, for tests of everything around the OCR."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from stickerscan.ocr.engine import OcrRequest, OcrText, OcrWord

Reply = Callable[[np.ndarray, OcrRequest], str]


class FakeOcrEngine:
    """Answers every crop with text chosen by the test.

    ``reply`` is either fixed text or a function of (crop, request) returning text; lines
    are separated by newlines, words by spaces.  Each word gets ``confidence``.  The crops
    it was shown are kept in ``seen`` so tests can check what the OCR was given.  With
    ``has_large_model`` it also serves ``method="lstm-large"`` requests (the reply function
    sees the request, so it can answer those differently).
    """

    name = "fake"

    def __init__(
        self, reply: str | Reply, *, confidence: float = 0.95, has_large_model: bool = False
    ) -> None:
        self._reply = reply
        self._confidence = confidence
        self.has_large_model = has_large_model
        self.seen: list[tuple[np.ndarray, OcrRequest]] = []

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        self.seen.append((image, request))
        text = self._reply if isinstance(self._reply, str) else self._reply(image, request)
        if request.charset is not None:
            allowed = set(request.charset) | {" ", "\n"}
            text = "".join(ch for ch in text if ch in allowed)
        if request.layout == "line":
            text = " ".join(text.split())
        words: list[OcrWord] = []
        for line_index, line in enumerate(text.splitlines()):
            x = 0
            for token in line.split():
                width = 10 * len(token)
                words.append(
                    OcrWord(
                        text=token,
                        confidence=self._confidence,
                        char_confidences=(self._confidence,) * len(token),
                        box=(x, 20 * line_index, width, 16),
                        line=line_index,
                    )
                )
                x += width + 10
        return OcrText(words=tuple(words), engine=self.name, request=request)
