"""A cheap look before the full read: does the photo show anything that could be a serial?

Most listing photos show the front, the keys or the box.  The full reader tries every
candidate region several ways (both ways up, two text sizes, each number re-read on its
own) before it says "no label"; that is what makes a photo without a label the most
expensive kind.  This check reads only the rows of print in each candidate (found by
their shapes, see :mod:`stickerscan.print_rows`), coarsely and both ways up, and
keeps the photo when any shows a run of digits, or serial or model wording.  It errs
towards keeping: a photo it keeps is read in full, so a false alarm only costs time,
while a photo it rejects is never read (a label too blurred for its coarse read is lost;
the batch benchmark counts how often).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from stickerscan.catalogue import SerialFormat
from stickerscan.enhance import TEXT_HEIGHTS, enhance_region
from stickerscan.load import LoadedImage
from stickerscan.locate import LocatedLabels
from stickerscan.ocr import OcrEngine
from stickerscan.ocr.engine import OcrRequest, OcrText
from stickerscan.print_rows import print_rows
from stickerscan.product_codes import without_product_codes

# Regions are cut out, and each row of print found in them read, at the reader's second
# text height: fewer pixels than the first (Tesseract's layout analysis takes less time),
# enough to see digits.  The locator's text height is only an estimate (it may have
# measured a label's small print), so rows are scaled by their own characters' height.
_TEXT_HEIGHT = TEXT_HEIGHTS[1]
# Tesseract's line finding returns nothing on some rows at one size that it reads at
# another: a row read as blank both ways up is read again at the reader's first height.
_ZOOMS = (1.0, TEXT_HEIGHTS[0] / TEXT_HEIGHTS[1])
_QUICK = OcrRequest(layout="sparse", runner_ups=False)
# A coarse read misreads some digits as look-alike letters and splits a number where the
# print is spaced or smudged.  The look-alikes most often seen (O for 0, l or I for 1, S
# for 5, B for 8) count with one real digit among them; rarer ones (D for 0, L or T for 1,
# Z for 2, s for 5, G or b for 6, g or q for 9) only in a run at least half real digits:
# capitals read upside down come out as such letters, with a 3 or a 0 among them.
_DIGIT_LIKE_RUN = re.compile(r"[0-9OoIlSB]+")
_MISREAD_NUMBER = re.compile(r"[0-9OoDIlLTZzSsGbBgq]+")
# Serial wording as a coarse read gives it: SERIAL with its I read as 1, L or T; S/N, or
# as a word of its own with the slash read as I or l; No. with its dot read as a comma.
_SERIAL_WORDING = re.compile(r"SER[I1LT]A|S/N|SN[O0]|N[O0][.:#,]", re.IGNORECASE)
_SLASH_LOST = re.compile(r"\bS[Il1|]N\b")
# A maker's label names the model ("MODEL M1") on the label that bears the serial; its
# L read as 1 or I.  A label's number row may be too faint or too small for the rows this
# check cuts out while its model row is not.
_MODEL_WORDING = re.compile(r"MODE[L1I]", re.IGNORECASE)
# Formats that may have letters in them: four digit-like characters in a row.
_MIXED_FORMAT_RUN = 4
# A row read with every word this sure, and this many letters in all, is read the right
# way up: print upside down is read as scattered, unsure characters.
_SURE_WORD = 0.85
_SURE_LETTERS = 2
# Print the right way up that a coarse read is fairly sure of, but not of every word
# (a synth's display, "EDIT PROG Osc 1" with Osc at 0.6), reads turned as digits and
# look-alike letters ("1250 904d"), less surely.  Print upside down reads unsurely both
# ways, or surer turned: its turned read counts unless the upright read was this sure on
# average, and surer than the turned one by this much.
_FAIRLY_SURE = 0.7
_SURER_BY = 0.1
# Dot-matrix print is blurred over this share of its text height, about half a pin pitch
# (a 5 x 7 matrix's pitch is a seventh of it), to run its dots together.
_DOT_BLUR = 0.08


@dataclass(frozen=True, slots=True)
class Precheck:
    """The cheap check's answer for one photo."""

    plausible: bool
    """True when the photo may show a serial label and must be read in full."""
    reason: str
    """For a person: what was seen, or why nothing was."""
    looked_at: int
    """How many candidate regions were read coarsely."""


def digit_run_for(formats: Iterable[SerialFormat]) -> int:
    """How many digit-like characters in a row make a coarse read worth a full one, for
    serials of any of ``formats``: one fewer than the shortest all-digit serial, since a
    coarse read may lose a digit; four when a format allows letters."""
    return min((_MIXED_FORMAT_RUN if serial_format.fewest_digits is None
                else max(1, serial_format.fewest_digits - 1))
               for serial_format in formats)


def shows_serial_hint(text: str, digit_run: int) -> bool:
    """Whether a coarse read shows serial or model wording, or, on one line,
    ``digit_run`` or more digit-like characters in a row (spaces ignored) with enough real
    digits among them (see ``_DIGIT_LIKE_RUN`` and ``_MISREAD_NUMBER``), product codes left
    out (see :func:`~stickerscan.product_codes.without_product_codes`)."""
    joined = text.replace(" ", "")
    if (_SERIAL_WORDING.search(joined) or _SLASH_LOST.search(text)
            or _MODEL_WORDING.search(joined)):
        return True
    # A product code under a barcode is a long run of digits, and never a serial.
    lines = [without_product_codes(line) for line in text.splitlines()]
    return any(
        len(run) >= digit_run and any(character.isdigit() for character in run)
        for line in lines for run in runs_across_spaces(line, _DIGIT_LIKE_RUN)
    ) or any(
        len(run) >= digit_run and 2 * sum(character.isdigit() for character in run) >= len(run)
        for line in lines for run in runs_across_spaces(line, _MISREAD_NUMBER)
    )


def runs_across_spaces(line: str, pattern: re.Pattern[str]) -> list[str]:
    """The runs of ``pattern`` in ``line``, a run at a word's end joined with one at the
    next word's start: a coarse read splits a number where the print is spaced.  A piece
    joins only when it is its whole word or holds a real digit: the B of "VB 1450 €" or
    the OG of "PROG 112" is part of a word, not of the number beside it."""
    runs: list[str] = []
    open_run: str | None = None  # the word before's last run, ending at its end
    for word in line.split():
        pieces = list(pattern.finditer(word))
        if not pieces and open_run is not None:
            runs.append(open_run)
            open_run = None
        for piece in pieces:
            run = piece.group()
            joins = run == word or any(character.isdigit() for character in run)
            if open_run is not None:  # only ever so at a word's first piece
                if piece.start() == 0 and joins:
                    run = open_run + run
                else:
                    runs.append(open_run)
                open_run = None
            if piece.end() == len(word) and joins:
                open_run = run
            else:
                runs.append(run)
    if open_run is not None:
        runs.append(open_run)
    return runs


def precheck(
    image: LoadedImage,
    located: LocatedLabels,
    engine: OcrEngine,
    *,
    candidates: int,
    digit_run: int = _MIXED_FORMAT_RUN,
) -> Precheck:
    """Read the rows of print (see :func:`print_rows`) in up to ``candidates`` of the
    locator's regions coarsely, both ways up, and say whether any shows serial or model
    wording or a run of ``digit_run`` digits (see :func:`digit_run_for`)."""
    regions = located.regions[:candidates]
    if not regions:
        return Precheck(False, "no text that could be a label was found in the photo", 0)
    for rank, region in enumerate(regions):
        crop = enhance_region(image, region, rank, text_height=_TEXT_HEIGHT)
        for row in print_rows(crop.grey, _TEXT_HEIGHT, characters=digit_run,
                              row_height=_TEXT_HEIGHT):
            if row_shows_serial_hint(row.pixels, engine, digit_run) or (
                    row.dots_joined and dots_run_together_show_serial_hint(
                        row.pixels, engine, digit_run)):
                return Precheck(
                    True, f"candidate {rank} shows digits, or serial or model wording", rank + 1)
    return Precheck(
        False,
        f"none of the {len(regions)} text regions found shows digits, or serial or model "
        "wording (quick check before the full read)",
        len(regions),
    )


def row_shows_serial_hint(row: np.ndarray, engine: OcrEngine, digit_run: int) -> bool:
    """Whether a coarse read of ``row``, either way up, shows a serial hint (see
    :func:`shows_serial_hint`).  A row read surely the right way up (see
    :func:`reads_as_words`) is not read turned, and a turned read counts only when the
    row did not read clearly surer upright (see :func:`misread_turned`); a row read as
    blank both ways is read again larger."""
    for zoom in _ZOOMS:
        view = row if zoom == 1 else cv2.resize(row, None, fx=zoom, fy=zoom,
                                                interpolation=cv2.INTER_CUBIC)
        upright_view, turned_view = _both_ways_up(view)
        upright = engine.read(upright_view, _QUICK)
        if shows_serial_hint(upright.text, digit_run):
            return True
        if reads_as_words(upright):
            return False
        turned = engine.read(turned_view, _QUICK)
        if shows_serial_hint(turned.text, digit_run) and not misread_turned(upright, turned):
            return True
        if reads_as_words(turned) or upright.words or turned.words:
            return False
    return False


def misread_turned(upright: OcrText, turned: OcrText) -> bool:
    """Whether ``turned``, the read of a row turned upside down, is a misreading of print
    the right way up: the row read fairly surely upright, and surer than turned (see
    ``_FAIRLY_SURE``)."""
    upright_sureness = _mean_confidence(upright)
    return (upright_sureness >= _FAIRLY_SURE
            and upright_sureness - _mean_confidence(turned) >= _SURER_BY)


def _mean_confidence(text: OcrText) -> float:
    """The mean confidence of the words with a letter or digit in them; 0 for none."""
    confidences = [word.confidence for word in text.words
                   if any(character.isalnum() for character in word.text)]
    return sum(confidences) / len(confidences) if confidences else 0.0


def reads_as_words(text: OcrText) -> bool:
    """Whether a coarse read is words and numbers read surely: then the row is the right
    way up, and turned it would only be read as a misreading ("VB 900 €" turned reads as
    "3 006 SA", GLOBAL as 1v80719).  A number upside down is read as digits and
    look-alike letters mixed (257196 as 96TLSZ, sure of it), so a word mixing them does
    not count; marks with neither letters nor digits are left out."""
    letters = 0
    for word in text.words:
        core = "".join(character for character in word.text if character.isalnum())
        if not core:
            continue
        if word.confidence < _SURE_WORD or not (core.isalpha() or core.isdigit()):
            return False
        letters += sum(character.isalpha() for character in core)
    return letters >= _SURE_LETTERS


def dots_run_together_show_serial_hint(row: np.ndarray, engine: OcrEngine,
                                       digit_run: int) -> bool:
    """Whether a coarse read of ``row`` blurred so that dot-matrix print's dots run
    together, either way up, shows a serial hint.  Read as it is, such print is specks
    to Tesseract, and most often read as nothing."""
    upright_view, turned_view = _both_ways_up(
        cv2.GaussianBlur(row, (0, 0), _DOT_BLUR * _TEXT_HEIGHT))
    upright = engine.read(upright_view, _QUICK)
    if shows_serial_hint(upright.text, digit_run):
        return True
    turned = engine.read(turned_view, _QUICK)
    return shows_serial_hint(turned.text, digit_run) and not misread_turned(upright, turned)


def _both_ways_up(view: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return view, np.ascontiguousarray(np.rot90(view, 2))
