"""Stage 4: OCR one prepared label crop, several ways, and vote.

A first pass reads the whole crop as a block of text (so the words around a number, such as
"SERIAL NO.", are kept).  When that pass finds nothing plausible the crop is read again
upside down.  Every digit run it finds is then re-read on its own, as a single line with
only digits allowed, from both the grey and the binarised rendering; the readings vote, and
the agreement sets the confidence.  A number the passes disagree on comes out with a low
confidence instead of a confident wrong answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stickerscan.enhance import TARGET_TEXT_HEIGHT, LabelCrop
from stickerscan.ocr import OcrEngine, OcrRequest, OcrText, OcrWord

DIGITS = "0123456789"

# Letters Tesseract commonly returns for digits when it reads a number as a word.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1",
                                   "|": "1", "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8",
                                   "G": "6", "b": "6", "g": "9", "q": "9"})
_RUN = re.compile(r"[0-9ODQIl|iZSsBGbgqo]+")
_MIN_DIGITS = 4
_MAX_TOKENS = 3
# Confidence a first pass must reach on the right way up before the upside-down reading is
# skipped: below it the crop may well be rotated and the text garbage.
_UPRIGHT_ENOUGH = 0.75


@dataclass(frozen=True, slots=True)
class NumberReading:
    """A run of digits found on a label, with the passes' agreement."""

    text: str
    """The digits read, leading zeros kept."""
    confidence: float
    """0-1: the agreeing passes' weakest-character confidence, scaled by their agreement."""
    votes: int
    """How many passes read exactly ``text``."""
    passes: int
    """How many passes read this number."""
    alternatives: tuple[str, ...]
    """Other readings the passes gave, for the report."""
    before: str
    """Text before the number on its line, or the line above when it starts its line."""
    after: str
    """Text right after the number on its line."""
    line_text: str
    """The whole line the number is on, as the first pass read it."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "votes": self.votes,
            "passes": self.passes,
            "alternatives": list(self.alternatives),
            "before": self.before,
            "after": self.after,
            "line_text": self.line_text,
        }


@dataclass(frozen=True, slots=True)
class OcrReading:
    """What the OCR made of one label crop."""

    crop: LabelCrop
    upside_down: bool
    """True when the crop read better turned half a turn."""
    text: str
    """All text of the block pass, lines separated by newlines."""
    mean_confidence: float
    """The block pass's mean word confidence, 0-1."""
    numbers: tuple[NumberReading, ...]
    """Digit runs found, most confident first."""
    seen: tuple[np.ndarray, ...] = field(repr=False, compare=False, default=())
    """The images the engine was given, in order (for ``--debug-dir``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.crop.rank,
            "region": self.crop.region.to_dict(),
            "upside_down": self.upside_down,
            "text": self.text,
            "mean_confidence": round(self.mean_confidence, 3),
            "numbers": [number.to_dict() for number in self.numbers],
        }


@dataclass(frozen=True, slots=True)
class _Found:
    digits: str
    word: OcrWord
    start: int
    stop: int
    before: str
    after: str
    line_text: str
    confidence: float


def read_label(crop: LabelCrop, engine: OcrEngine) -> OcrReading:
    """OCR ``crop`` and return the numbers on it with voted confidences."""
    seen: list[np.ndarray] = []
    upright = _block_pass(engine, crop.grey, seen)
    upside_down = False
    best = upright
    if _quality(upright) < _UPRIGHT_ENOUGH:
        turned = _block_pass(engine, np.rot90(crop.grey, 2), seen)
        if _quality(turned) > _quality(upright):
            best, upside_down = turned, True
    grey = np.rot90(crop.grey, 2) if upside_down else crop.grey
    binary = np.rot90(crop.binary, 2) if upside_down else crop.binary
    found = _numbers(best)[:_MAX_TOKENS]
    numbers = [_confirm(engine, item, grey, binary, seen) for item in found]
    numbers.sort(key=lambda number: number.confidence, reverse=True)
    return OcrReading(
        crop=crop,
        upside_down=upside_down,
        text=best.text,
        mean_confidence=best.mean_confidence,
        numbers=tuple(numbers),
        seen=tuple(seen),
    )


def _block_pass(engine: OcrEngine, image: np.ndarray, seen: list[np.ndarray]) -> OcrText:
    seen.append(np.ascontiguousarray(image))
    return engine.read(seen[-1], OcrRequest(layout="block"))


def _quality(text: OcrText) -> float:
    """How plausible a block reading is: the best digit run's confidence, else the mean."""
    runs = _numbers(text)
    if runs:
        return max(run.confidence for run in runs)
    return 0.5 * text.mean_confidence


def _numbers(text: OcrText) -> list[_Found]:
    found: list[_Found] = []
    lines = text.lines
    for line_index, line in enumerate(lines):
        line_text = " ".join(word.text for word in line)
        for word_index, word in enumerate(line):
            for match in _RUN.finditer(word.text):
                raw = match.group()
                true_digits = sum(ch.isdigit() for ch in raw)
                # Look-alike letters only count inside a run that is mostly real digits.
                if true_digits < _MIN_DIGITS or true_digits < len(raw) - 1:
                    continue
                before_words = [w.text for w in line[:word_index]]
                prefix = word.text[: match.start()]
                before = " ".join([*before_words, prefix]).strip()
                if not before and line_index > 0:
                    before = " ".join(w.text for w in lines[line_index - 1])
                after_word = line[word_index + 1].text if word_index + 1 < len(line) else ""
                after = (word.text[match.end():] + " " + after_word).strip()
                confidences = word.char_confidences[match.start(): match.end()] or (
                    word.confidence,
                )
                found.append(
                    _Found(
                        digits=raw.translate(_DIGIT_LOOKALIKES),
                        word=word,
                        start=match.start(),
                        stop=match.end(),
                        before=before,
                        after=after,
                        line_text=line_text,
                        confidence=min(min(confidences), word.confidence),
                    )
                )
    found.sort(key=lambda item: (len(item.digits), item.confidence), reverse=True)
    return found


def _confirm(
    engine: OcrEngine,
    item: _Found,
    grey: np.ndarray,
    binary: np.ndarray,
    seen: list[np.ndarray],
) -> NumberReading:
    readings: list[tuple[str, float]] = [(item.digits, item.confidence)]
    for rendering in (binary, grey):
        crop = _number_crop(rendering, item)
        if crop is None:
            continue
        seen.append(crop)
        text = engine.read(crop, OcrRequest(layout="line", charset=DIGITS))
        digits = "".join(word.text for word in text.words)
        confidences = [c for word in text.words for c in word.char_confidences]
        readings.append((digits, min(confidences) if confidences else 0.0))
    tally = Counter(digits for digits, _ in readings)
    winner, votes = tally.most_common(1)[0]
    agreeing = [confidence for digits, confidence in readings if digits == winner]
    agreement = votes / len(readings)
    # Full agreement keeps the characters' confidence; each dissenting pass costs a
    # quarter of it at two-to-one, half at one-to-one — never a confident split vote.
    confidence = float(np.mean(agreeing)) * (0.5 + 0.5 * agreement) ** 2 * (
        1.0 if agreement == 1.0 else 0.9
    )
    alternatives = tuple(sorted(digits for digits in tally if digits != winner and digits))
    return NumberReading(
        text=winner,
        confidence=confidence,
        votes=votes,
        passes=len(readings),
        alternatives=alternatives,
        before=item.before,
        after=item.after,
        line_text=item.line_text,
    )


def _number_crop(image: np.ndarray, item: _Found) -> np.ndarray | None:
    """The part of the word box that holds the digit run, with a margin."""
    x, y, w, h = item.word.box
    if w <= 0 or h <= 0:
        return None
    length = max(len(item.word.text), 1)
    left = x + w * item.start / length
    right = x + w * item.stop / length
    pad_x = 0.35 * TARGET_TEXT_HEIGHT
    pad_y = 0.3 * max(h, TARGET_TEXT_HEIGHT)
    x0 = int(max(0, left - pad_x))
    x1 = int(min(image.shape[1], right + pad_x))
    y0 = int(max(0, y - pad_y))
    y1 = int(min(image.shape[0], y + h + pad_y))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return np.ascontiguousarray(image[y0:y1, x0:x1])
