"""Tesseract through the ``tesseract`` program (pytesseract): slower, one process a call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytesseract

from stickerscan.ocr.engine import OcrRequest, OcrText, OcrWord

_PSM = {"sparse": 11, "block": 6, "line": 7}


class PytesseractEngine:
    """Runs the tesseract program for every crop; reports word confidences only."""

    name = "pytesseract"

    def __init__(
        self, tessdata_dir: Path, binary: str, large_tessdata_dir: Path | None = None
    ) -> None:
        self._tessdata_dir = tessdata_dir
        self._large_tessdata_dir = large_tessdata_dir
        self.has_large_model = large_tessdata_dir is not None
        self._binary = binary
        self.version = str(pytesseract.get_tesseract_version())

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        tessdata = self._tessdata_dir
        if request.method == "lstm-large":
            if self._large_tessdata_dir is None:
                raise ValueError("this engine has no large model (see has_large_model)")
            tessdata = self._large_tessdata_dir
        config = (
            f'--psm {_PSM[request.layout]} --oem 1 --tessdata-dir "{tessdata}" '
            "-c load_system_dawg=0 -c load_freq_dawg=0 -c tessedit_do_invert=0"
        )
        if request.charset:
            config += f" -c tessedit_char_whitelist={request.charset}"
        data = pytesseract.image_to_data(
            np.ascontiguousarray(image, dtype=np.uint8),
            lang="eng",
            config=config,
            output_type=pytesseract.Output.DICT,
        )
        words: list[OcrWord] = []
        line_keys: dict[tuple[int, int, int], int] = {}
        for index, raw in enumerate(data["text"]):
            text = str(raw).strip()
            confidence = float(data["conf"][index])
            if not text or confidence < 0:
                continue
            key = (int(data["block_num"][index]), int(data["par_num"][index]),
                   int(data["line_num"][index]))
            line = line_keys.setdefault(key, len(line_keys))
            words.append(
                OcrWord(
                    text=text,
                    confidence=confidence / 100.0,
                    char_confidences=(confidence / 100.0,) * len(text),
                    box=(int(data["left"][index]), int(data["top"][index]),
                         int(data["width"][index]), int(data["height"][index])),
                    line=line,
                )
            )
        return OcrText(words=tuple(words), engine=self.name, request=request)
