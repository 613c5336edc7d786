"""Stage 5: decide which number on a label is the serial, and whether to trust it.

Only a number introduced by serial wording ("SERIAL NO.", "Serial No.", "S/N", "No.") can
be reported as the serial: on a rear panel full of voltages, part numbers and barcodes, a
bare number is a guess, shown as a guess.  The number must fit the instrument model's
format exactly (leading zeros kept), and its voted OCR confidence must reach the
threshold; otherwise the answer is "unreadable" with the best guess beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from stickerscan.catalogue import InstrumentModel
from stickerscan.options import ScanOptions
from stickerscan.read import NumberReading, OcrReading
from stickerscan.wording import serial_wording

CheckStatus = Literal["valid", "invalid", "unreadable", "no-serial"]

# After a number, these mean it is a rating, not a serial: "120V", "60Hz", "11W", "0.5A".
_UNIT_AFTER = re.compile(r"^[~\s]*(V|VAC|Hz|HZ|W|VA|A|mA|MA|KG|kg|mm|MM|cm)\b")
_CAP_UNLABELLED = 0.6
"""Confidence ceiling for a number with no serial wording before it: always below the
reporting threshold, so it is shown as a guess, never as the reading."""


@dataclass(frozen=True, slots=True)
class SerialCheck:
    """The validator's verdict on one label reading."""

    status: CheckStatus
    """``valid``: a labelled serial of the right format, read with enough confidence;
    ``invalid``: a typed serial that does not fit the format (a number of the wrong shape
    read off a photo is ``unreadable``, shown as a guess);
    ``unreadable``: a likely serial, but not read reliably (see ``guess``);
    ``no-serial``: nothing on the label looked like a serial number."""
    serial: str | None
    """The serial, only when ``status`` is ``valid`` or ``invalid``."""
    guess: str | None
    """The best candidate when unreadable: a guess, never to be shown as a reading."""
    confidence: float
    """0-1; the OCR's voted confidence, lowered when no serial wording was found."""
    label_word: str | None
    """The serial wording found before the number, e.g. ``SERIAL NO.``."""
    problems: tuple[str, ...]
    """What is wrong or doubtful, in words for the user."""
    reading: OcrReading | None = field(repr=False, compare=False, default=None)
    number: NumberReading | None = field(repr=False, compare=False, default=None)

    @property
    def rank_key(self) -> tuple[int, float]:
        order = {"valid": 3, "invalid": 2, "unreadable": 1, "no-serial": 0}
        return (order[self.status], self.confidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "serial": self.serial,
            "guess": self.guess,
            "confidence": round(self.confidence, 3),
            "label_word": self.label_word,
            "problems": list(self.problems),
            "number": self.number.to_dict() if self.number else None,
        }


def check_reading(reading: OcrReading, model: InstrumentModel, options: ScanOptions) -> SerialCheck:
    """Pick the serial among the numbers of one label reading and check it."""
    checks = [_check_number(number, model, options, reading) for number in reading.numbers]
    if not checks:
        return SerialCheck(
            status="no-serial", serial=None, guess=None, confidence=0.0, label_word=None,
            problems=("no number on this label",), reading=reading,
        )
    return max(checks, key=lambda check: check.rank_key)


def check_typed_serial(text: str, model: InstrumentModel) -> SerialCheck:
    """Check a serial a person typed (``stickerscan lookup``): format only."""
    serial = text.strip()
    problems = _format_problems(serial, model) or _range_notes(serial, model)
    return SerialCheck(
        status="invalid" if _format_problems(serial, model) else "valid",
        serial=serial,
        guess=None,
        confidence=1.0,
        label_word=None,
        problems=tuple(problems),
    )


def _check_number(
    number: NumberReading, model: InstrumentModel, options: ScanOptions, reading: OcrReading
) -> SerialCheck:
    problems: list[str] = []
    if _UNIT_AFTER.match(number.after):
        return SerialCheck(
            status="no-serial", serial=None, guess=None, confidence=0.0, label_word=None,
            problems=(f"{number.text} is a rating ({number.text}{number.after.split()[0]})",),
            reading=reading, number=number,
        )
    label_word = serial_wording(number.before, model.label_words)
    confidence = number.confidence
    if label_word is None:
        confidence = min(confidence, _CAP_UNLABELLED)
        problems.append("no serial wording (SERIAL NO., S/N, No.) before the number")
    format_problems = _format_problems(number.text, model)
    if confidence < options.min_confidence:
        if number.votes < number.passes:
            problems.append(
                f"the OCR passes disagree ({', '.join((number.text, *number.alternatives))})"
            )
        problems.append(f"confidence {confidence:.2f} is below {options.min_confidence:.2f}")
    # A number of the wrong shape read off a photo is far more often a slip of the OCR (a
    # lost or doubled digit, a crop that cut one off) than a real odd serial: it is shown
    # as a guess.  Only a typed serial is judged invalid (check_typed_serial).
    if confidence < options.min_confidence or format_problems:
        return SerialCheck(
            status="unreadable", serial=None, guess=number.text, confidence=confidence,
            label_word=label_word, problems=tuple(problems + format_problems),
            reading=reading, number=number,
        )
    problems += _range_notes(number.text, model)
    return SerialCheck(
        status="valid",
        serial=number.text,
        guess=None,
        confidence=confidence,
        label_word=label_word,
        problems=tuple(problems),
        reading=reading,
        number=number,
    )


def _format_problems(serial: str, model: InstrumentModel) -> list[str]:
    fmt = model.serial_format
    if re.fullmatch(fmt.pattern, serial) is None:
        return [f"{serial!r} does not fit the {model.name} serial format: {fmt.description}"]
    return []


def _range_notes(serial: str, model: InstrumentModel) -> list[str]:
    """A well-formed number beyond anything reported is flagged, not rejected."""
    limit = model.serial_format.max_reported
    if limit is not None and serial.isdigit() and int(serial) > limit:
        return [
            f"{int(serial):,} is above anything reported for the {model.name} "
            f"(about {limit:,}); check the digits on the unit"
        ]
    return []
