"""Stage 4: OCR one prepared label crop, several ways, and vote.

A first pass reads the whole crop as sparse text (so the words around a number, such as
"SERIAL NO.", are kept, and a barcode beside them does no harm).  Unless that pass already
shows serial wording before a number, the crop is also read upside down (when a glance at
a smaller copy, turned, finds something there) and the better reading kept.  Then every
place a serial may be is re-read on its own, as a single line with only digits allowed,
from several renderings: each digit run the first pass found, and the word after serial
wording (or the line below it) even when the first pass saw no digits there.  The
readings vote and the agreement sets the confidence: a number the passes disagree on
comes out with a low confidence instead of a confident wrong answer; a number printed on
a 5 x 7 pin grid (dot-matrix print) is also read from its pins, and an unsure one with
some digits faded is read again with the contrast evened out.  A number with no serial
wording before it has the band over it and the band before it read on their own, for
wording the first pass lost.

A crop in which no row of print can be made out by its shapes (see
:func:`stickerscan.print_rows.shows_print`) is not read at all: on a photo with no label
most regions are grain, texture or photo noise, and Tesseract spends longest on those.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import cv2
import numpy as np

from stickerscan.enhance import CROP_MARGIN, LabelCrop, clear_edge_marks, smoothed
from stickerscan.glyphs import (
    closed_ring,
    glyph_height,
    same_print,
    seven_shaped,
    slashed_ring,
    split_ring,
)
from stickerscan.ocr import OcrEngine, OcrRequest, OcrText, OcrWord
from stickerscan.ocr.engine import Layout, Method
from stickerscan.pin_grid import read_pin_grid
from stickerscan.print_rows import dot_matrix_row_boxes, shows_print
from stickerscan.slant import lean_of, stand_upright
from stickerscan.wording import cut_serial_wording, other_number_name, serial_wording

DIGITS = "0123456789"

# Letters Tesseract commonly returns for digits when it reads a number as a word.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1",
                                   "|": "1", "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8",
                                   "G": "6", "b": "6", "g": "9", "q": "9"})
_RUN = re.compile(r"[0-9ODQIl|iZSsBGbgqo]+")
_MIN_DIGITS = 4
_BRACKET_ONE = re.compile(r"(?<=[0-9]{4})\]$")
_EDGE_PUNCTUATION = ".,:;'\"`-_~!?()[]{}"
_MAX_TARGETS = 3
# A digits-only read of one rendering of a label, with one of the engine's models.
_DigitPass = tuple[np.ndarray, Method]
# A first pass with serial wording before a number read at least this surely is taken to be
# the right way up, and the upside-down reading is skipped.  The agreement factors below
# scale a number's confidence by how its passes voted; only full or near-full agreement
# can reach the default reporting threshold of 0.8.
_UPRIGHT_ENOUGH = 0.75
# Tesseract's word confidence for print it reads cleanly; garbage from turned or blurred
# print rarely reaches it.
_CLEAR_WORD = 0.85
# A number read at least this surely needs no second opinion.
_SURE = 0.9
# An earlier reading differing in at most this many digits read the same number.
_SAME_NUMBER_SLIPS = 2
# The digits-only passes agree but the first pass read otherwise (its letters-allowed
# reading confuses 3/5/8 and S/B more often):
_BLOCK_PASS_DISSENTS = 0.9
_ONE_DISSENT = 0.85  # three of four passes agree
_SPLIT_VOTE = 0.6
# A character another pass read as a different digit keeps at most this share of its
# confidence: with any real doubt on one digit the number cannot reach 0.8.
_CONTESTED = 0.75
# A number with a digit settled by the glyph's shape rather than by the passes' vote (a
# zero with a mark inside, see glyphs.closed_ring and glyphs.slashed_ring) is at most this
# sure: enough to report, never enough to stop reading the other regions.
_SETTLED_BY_SHAPE = 0.85
# A number with a 6, a 9 or an 8 whose glyph has a zero's shape, not read as a zero by
# the larger model, is at most this sure: a guess.
_SHAPE_DISSENTS = 0.6
# A glyph is judged by its shape only when its ink is at least this share of the
# number's glyphs' usual height tall; a shorter one is part of a character.
_WHOLE_GLYPH = 0.8
_PART = "?"  # what such a glyph counts as: no digit, so it is judged neither way
# What both models read a zero with a slash, a dot or a bar inside as.
ZERO_SLIP_DIGITS = "689"
# A number every pass of both models read alike, with no glyph shaped like a zero read as
# another digit, is at least this sure: enough to report, not to stop reading the other
# regions.
_EVERY_READ_ALIKE = 0.8
# A number read from its pins (see pin_grid) is this sure: enough to report, never
# enough to stop reading the other regions.  A number Tesseract read at least
# _REPORTABLE (the default reporting threshold) and the pins read otherwise is a guess.
_READ_BY_PINS = 0.85
_REPORTABLE = 0.8
# An unsure number is read again from a rendering with its contrast evened out when some
# pass read this many digits or more (a serial's length).
_EVENED_DIGITS = 6
# How far evening may stretch a patch's contrast (CLAHE's clip limit): further lifts paper
# grain into marks.
_EVEN_CLIP = 3.0
# What such a reading is worth at most: enough to report, never sure.
_EVENED_AT_MOST = 0.85
# A glyph whose ink stands out from the paper round it by less than this share of the
# number's most contrasted glyph's is faded (glare, wear).
_FADED = 0.6
# A digit crop's end that cuts through ink is moved out to the glyph's end, at most this
# many text heights (about half a digit's width).
_GLYPH_REACH = 0.35
# A glyph right after a digit crop that holds one digit fewer than the first pass read is
# taken in when it is a digit's size (its height within these shares of the digits',
# its width at most _LOST_GLYPH_WIDTH of their height), no further from the last digit
# than _LOST_GLYPH_GAP of their height, with at least _CLEAR_BEYOND clear after it.
_LOST_GLYPH_HEIGHTS = (0.8, 1.2)
_LOST_GLYPH_WIDTH = 0.9
_LOST_GLYPH_GAP = 0.6
_CLEAR_BEYOND = 0.5
# When the first pass read that glyph as a word apart, it must also stand at most this
# many times the digits' pitch after the last digit (a word space adds about half a
# pitch in most faces).
_SAME_PITCH = 1.25
# At most this many glyphs the first pass left out before a number are taken in.
_LOST_FIRST_GLYPHS = 2
# A column of a digit crop crosses a glyph when this share of its height is ink.
_CUT_INK = 0.2
# Every digit crosses the band this many of the number's heights either side of its middle.
_MIDDLE_BAND = 0.2
# A rivet or screw head beside a number: a disc shorter or taller than the digits by these
# shares of their height (never about their own height), as wide as this many of its own
# heights, whose ink fills this share of its convex hull
# (0.75 and more for a disc with a highlight; far less for the ring of a digit or of its bowl).
_HEAD_HEIGHTS = (0.45, 0.82)
_LARGE_HEAD_HEIGHTS = (1.08, 1.3)
_HEAD_ROUNDNESS = (0.85, 1.18)
_HEAD_SOLIDITY = 0.7
# Marks with fewer pixels than this are specks, not glyphs.
_MIN_GLYPH_AREA = 12
# Where serial wording the first pass lost is looked for, in text heights: a header over a
# number stands within this many heights above its top, and may stand out this far past
# either end; wording on its line ends in a band this wide before its first digit ("NO.",
# "S/N" and the end of "SERIAL").
_HEADER_BAND = 2
# Wording over a number is at least this share of the number's height tall.
_HEADER_HEIGHT = 0.25
_WORDING_REACH = 1.0
_WORDING_BEFORE = 5
# Serial wording has at least this many letters ("No").
_WORDING_LETTERS = 2
# A word the larger model reads in a band is wording only when read at least this surely
# (more likely than not).
_SURE_BAND_WORD = 0.5
# A word after serial wording this many times the wording's height holds more than one
# line's print (two lines, or print and the texture round it).
_TWO_LINES_HIGH = 1.6
# A word starting within this many of its heights of the crop's edge starts at the edge
# (the crop's outline runs a little outside the print it cuts).
_EDGE_REACH = 1.0
# A serial of six digits is about this many of its heights long.
_NUMBER_LENGTH = 3.0
# A word box less than this share of the text height tall is not the word's own, unless
# its characters are no wider than it is tall: then it is small print.
_FLAT_BOX = 0.4
# Digits less than this share of the text height tall are small print (the region's text
# height was measured on larger print or texture beside them), enlarged to be read.
_SMALL_PRINT = 0.6
# Text height, in pixels, of the smaller rendering a crop is glanced at turned half a
# turn before it is read that way in full (see _turned_pass); the glance is taken only
# at this scale of the crop or smaller (a larger one would save too little).
_GLANCE_TEXT_HEIGHT = 20
_GLANCE_SCALE = 0.6
# Blur, in pin pitches (a text height is about seven), that runs the dots of dot-matrix
# print together into strokes Tesseract reads (see _dots_merged_targets).
_DOT_MERGE = 0.5
_PIN_PITCHES_TALL = 7
# A row of dot-matrix print whose area a pass's words cover less than this share of was
# passed over.
_ROW_READ = 0.5


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
    """Text before the number on its line, or the line above when it starts its line; or
    the serial wording read on its own over or before it, when the first pass lost it."""
    after: str
    """Text right after the number on its line."""
    line_text: str
    """The whole line the number is on, as the first pass read it."""
    wording_cut: bool = False
    """True when ``before`` starts at the crop's edge and is what is left of serial wording
    cut off there (see :func:`stickerscan.wording.cut_serial_wording`)."""
    second_opinion: str | None = None
    """What Tesseract's larger LSTM model read there (``None`` when it was not asked): an
    exact agreement lifts a doubtful number; a slightly different number (a digit or two
    read otherwise, one lost or added) puts a sure one in doubt."""
    leading_zero: tuple[str, float] | None = None
    """When the first digit, and no other, was read as a 6, a 9 or an 8 but has a zero's
    shape, and nothing settled which it is: the number with a 0 there, and how sure its
    other digits are.  The validator takes it where the model's serials settle it (only
    a 0 keeps the number within anything reported)."""

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
            "second_opinion": self.second_opinion,
            "wording_cut": self.wording_cut,
            "leading_zero": list(self.leading_zero) if self.leading_zero else None,
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
    plain_words: bool = False
    """True when the crop read, the right way up, as clear words with no number and no
    serial wording in them: a panel legend or other print, not a label read badly."""
    wording_runs_off: bool = False
    """True when serial wording was read with no number after it and too little of the
    crop left after it for one: the region may end inside the number (print beside the
    label taken into its block, its own smaller line cut off)."""
    seen: tuple[np.ndarray, ...] = field(repr=False, compare=False, default=())
    """The images the engine was given, in order (for ``--debug-dir``)."""
    photo_turned: bool = False
    """True when the crop was cut from the photo turned half a turn (a label not read
    surely is read again so), its region and rank then given as in the photo taken."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.crop.rank,
            "region": self.crop.region.to_dict(),
            "upside_down": self.upside_down,
            "photo_turned": self.photo_turned,
            "text": self.text,
            "mean_confidence": round(self.mean_confidence, 3),
            "numbers": [number.to_dict() for number in self.numbers],
        }


@dataclass(frozen=True, slots=True)
class _Target:
    """A place on the crop where a serial may be, found by the first pass."""

    digits: str  # what the first pass read there, as digits ("" if it read no digits)
    char_confidences: tuple[float, ...]  # the first pass's confidence in each digit

    @property
    def confidence(self) -> float:
        return min(self.char_confidences, default=0.0)
    box: tuple[int, int, int, int]  # (x, y, width, height) on the crop
    before: str
    after: str
    line_text: str
    labelled: bool  # serial wording comes right before it
    wording_cut: bool = False  # what comes before it is serial wording cut off at the edge
    stood_upright: bool = False  # its digits are read sheared upright (see _confirm_leaning)
    dots_merged: bool = False  # found, and its digits read, with the print's dots run together
    glued: bool = False  # the first pass read other characters in one word with the digits
    # The first pass read a digit right after the run, apart from it ("03297' 9").
    digit_read_apart: bool = False
    starts_line: bool = False  # nothing the first pass read stands before it on its line


def read_label(
    crop: LabelCrop,
    engine: OcrEngine,
    label_words: tuple[str, ...] = (),
    *,
    earlier: tuple[OcrReading, ...] = (),
    layout: Layout = "sparse",
) -> OcrReading:
    """Read ``crop`` (see :func:`read_print`) if rows of print can be made out in it; a
    crop with none gives a reading with no text and no numbers, without OCR."""
    if not shows_print(crop.grey, crop.text_height, characters=_MIN_DIGITS):
        return OcrReading(crop=crop, upside_down=False, text="", mean_confidence=0.0,
                          numbers=())
    return read_print(crop, engine, label_words, earlier=earlier, layout=layout)


def read_print(
    crop: LabelCrop,
    engine: OcrEngine,
    label_words: tuple[str, ...] = (),
    *,
    earlier: tuple[OcrReading, ...] = (),
    layout: Layout = "sparse",
) -> OcrReading:
    """OCR ``crop`` and return the numbers on it with voted confidences.

    ``label_words`` are the words that introduce a serial on this model's labels; the
    places right after them are read for digits even when the first pass saw none there.
    ``earlier`` are readings of the same region made before (at another size): a digit
    they read differently stays in doubt here too.  ``layout`` is Tesseract's layout
    for the passes over the whole crop (see :func:`_block_pass`).
    """
    earlier_digits = tuple(
        text for reading in earlier for number in reading.numbers
        for text in (number.text, *number.alternatives)
    )
    seen: list[np.ndarray] = []
    upright = _block_pass(engine, crop.grey, seen, layout)
    upright_targets = _targets(upright, label_words)
    best, targets, upside_down = upright, upright_targets, False
    # Serial wording read the right way up settles the orientation on its own (turned
    # text does not read as SERIAL or S/N).
    # So do clear words: turned print does not read as confident words of several letters.
    legible = _legible(upright)
    settled = legible or any(target.labelled for target in upright_targets)
    if not settled and _orientation_score(upright_targets) < _UPRIGHT_ENOUGH:
        turned, turned_targets = _turned_pass(engine, crop, label_words, seen, layout)
        if _orientation_score(turned_targets) > _orientation_score(upright_targets) or (
            not upright_targets and not turned_targets
            and turned.mean_confidence > upright.mean_confidence + 0.1
        ):
            best, targets, upside_down = turned, turned_targets, True
    grey, binary = crop.grey, crop.binary
    if upside_down:
        grey, binary = np.rot90(grey, 2), np.rot90(binary, 2)
    if not targets and not earlier and (
            not _legible(best) or (not upside_down and _dots_left_unread(grey, best,
                                                                         crop.text_height))):
        merged, targets = _dots_merged_targets(engine, grey, crop.text_height, label_words,
                                               seen, layout)
        if targets:
            best = merged
    # The tie-break is the larger model's reading of the grey rendering where there is one
    # (its slips are mostly not the small model's), else another rendering.
    tie_break: _DigitPass = ((grey, "lstm-large") if engine.has_large_model
                             else (_sharpened(grey), "lstm"))
    passes: tuple[_DigitPass, ...] = ((grey, "lstm"), (binary, "lstm"), tie_break)
    placed = [_boxed_text_high(target, crop.text_height) for target in targets[:_MAX_TARGETS]]
    looked_for = [
        _with_wording_looked_for(engine, grey, target, label_words, seen, crop.text_height)
        for target in placed
    ]
    confirmed = [
        _confirm_leaning(engine, target, passes, crop.text_height, seen, earlier_digits)
        for target in looked_for
    ]
    faded = [_worth_evening(number) and _partly_faded(grey, target, crop.text_height)
             for target, number in zip(looked_for, confirmed, strict=True)]
    if any(faded):
        evened = _evened(grey, crop.text_height)
        evened_passes: tuple[_DigitPass, ...] = (
            (evened, "lstm"), (_sharpened(evened), "lstm"),
            (evened, "lstm-large") if engine.has_large_model else (grey, "lstm"))
        confirmed = [
            _evened_confirmation(engine, target, number, evened_passes, crop.text_height,
                                 seen, earlier_digits) if fade else number
            for target, number, fade in zip(looked_for, confirmed, faded, strict=True)
        ]
    numbers = [number for number in confirmed if len(number.text) >= _MIN_DIGITS]
    numbers.sort(key=lambda number: number.confidence, reverse=True)
    return OcrReading(
        crop=crop,
        upside_down=upside_down,
        text=best.text,
        mean_confidence=best.mean_confidence,
        numbers=tuple(numbers),
        plain_words=legible and not targets,
        wording_runs_off=any(
            target.labelled and _spelled_out(target.before) and len(number.text) < _MIN_DIGITS
            and _no_room_for_a_number(target.box, grey.shape[1] - CROP_MARGIN)
            for target, number in zip(looked_for, confirmed, strict=True)
        ),
        seen=tuple(seen),
    )


def _turned_pass(
    engine: OcrEngine, crop: LabelCrop, label_words: tuple[str, ...], seen: list[np.ndarray],
    layout: Layout,
) -> tuple[OcrText, list[_Target]]:
    """The first pass over ``crop`` turned half a turn, and its targets: read in full only
    when a glance at a smaller copy finds digits or serial wording there (targets); else
    the glance itself, which has none.

    Most crops that settle nothing either way are grain or texture that looked like
    print, and a large one costs Tesseract far more than its print would.  The glance,
    at a size where text is still ``_GLANCE_TEXT_HEIGHT`` pixels tall, costs about a
    third; its text is good enough to tell words from grain, and to name a model.  A
    region's surroundings are only read when a number was seen in the region, and their
    wide crop takes in the most clutter: a glance can miss the digits there, so they
    are read in full.
    """
    turned = np.rot90(crop.grey, 2)
    scale = _GLANCE_TEXT_HEIGHT / crop.text_height
    if scale <= _GLANCE_SCALE and not crop.region.surroundings:
        glance = _block_pass(
            engine, cv2.resize(turned, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA),
            seen, layout)
        if not _targets(glance, label_words):
            return glance, []
    full = _block_pass(engine, turned, seen, layout)
    return full, _targets(full, label_words)


def _dots_merged_targets(
    engine: OcrEngine, grey: np.ndarray, text_height: int, label_words: tuple[str, ...],
    seen: list[np.ndarray], layout: Layout,
) -> tuple[OcrText, list[_Target]]:
    """A glance at ``grey`` with its print's dots run together, and the targets it finds
    (boxes on ``grey``), marked as found so.

    Tesseract reads dot-matrix print poorly: printed about touching, its dots stay apart
    at the crop's scale and its line finding sees specks, not glyphs.  Blurred by half a
    pin pitch the dots merge into strokes, and at the glance's size (see _turned_pass)
    they read as digits and words.  Only a region's first reading that found neither
    numbers nor clear words either way up takes the glance: once per region, as most such
    crops are texture.
    """
    merged = _dots_run_together(grey, text_height)
    scale = min(1.0, _GLANCE_TEXT_HEIGHT / text_height)
    if scale < 1.0:
        merged = cv2.resize(merged, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    glance = _block_pass(engine, merged, seen, layout)
    return glance, [
        replace(target, box=_scaled_box(target.box, 1 / scale), dots_merged=True)
        for target in _targets(glance, label_words)
    ]


def _dots_run_together(image: np.ndarray, text_height: float) -> np.ndarray:
    """``image`` blurred so that the dots of dot-matrix print ``text_height`` tall merge."""
    blurred: np.ndarray = cv2.GaussianBlur(
        image, (0, 0), _DOT_MERGE * text_height / _PIN_PITCHES_TALL)
    return blurred


def _scaled_box(box: tuple[int, int, int, int], factor: float) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return (round(x * factor), round(y * factor), round(w * factor), round(h * factor))


def _boxed_text_high(target: _Target, text_height: int) -> _Target:
    """``target`` with a box of the text's height about its middle when its own is far
    flatter: Tesseract now and then gives a word of clear print a box a pixel or two tall
    (along its baseline or its middle), from which neither its digits nor the wording
    around it could be cut."""
    x, y, w, h = target.box
    if h >= _FLAT_BOX * text_height or _small_print(target.box, len(target.digits), text_height):
        return target
    return replace(target, box=(x, round(y + h / 2 - text_height / 2), w, text_height))


def _small_print(box: tuple[int, int, int, int], characters: int, text_height: int) -> bool:
    """Whether the box of ``characters`` digits holds print far smaller than the crop's
    text: a box well under the text height whose characters are no wider than it is tall
    (a flat box Tesseract gave a word of the crop's own print is as wide as that print)."""
    _, _, width, height = box
    return (characters >= _MIN_DIGITS and height < _SMALL_PRINT * text_height
            and width <= characters * height)


def _with_wording_looked_for(
    engine: OcrEngine, grey: np.ndarray, target: _Target, label_words: tuple[str, ...],
    seen: list[np.ndarray], text_height: int,
) -> _Target:
    """``target`` marked labelled when serial wording is read on its own right above it
    (a header such as "S/N" over the digits) or right before it on its line; never when
    its own line names it as another kind of number ("LOT" before it).

    The first pass reads the whole crop in one go, and its line finding drops a short
    word standing alone ("S/N" over a number is the usual loss) or garbles "No." in the
    run of a long line.  Read on its own, the band the wording would stand in mostly reads
    it; when the small model reads print there but no wording, the larger model reads it
    again.  Only the line nearest the number counts: wording further up belongs to
    whatever stands between.
    """
    if (target.labelled or len(target.digits) < _MIN_DIGITS or not label_words
            or other_number_name(target.before) is not None):
        return target
    x, y, w, h = target.box
    # The header is looked for over the digits' own line: Tesseract can box a number
    # together with a short line of smaller print right over it ("S/N" over the digits).
    _, line_y, _, line_h = _digits_line(grey, target.box)
    height, width = grey.shape[:2]
    # Small print is read enlarged, as its digits are (see _number_crop).
    zoom = text_height / h if _small_print(target.box, len(target.digits), text_height) else 1.0
    reach = int(_WORDING_REACH * line_h)
    bands = (  # (left, top, right, bottom, the height of the print the band goes with)
        (x - reach, line_y - _HEADER_BAND * line_h, x + w + reach, line_y - line_h // 10,
         line_h),  # the line above
        (x - _WORDING_BEFORE * h, y - h // 4, x - h // 20, y + h + h // 4, h),  # on its line
    )
    for x0, y0, x1, y1, number_height in bands:
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
        if x1 - x0 < number_height or y1 - y0 < number_height // 2:
            continue
        piece = grey[y0:y1, x0:x1]
        if zoom != 1.0:
            piece = cv2.resize(piece, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        print_height = number_height * zoom
        # A margin of the band's own paper: Tesseract misses text touching the image edge.
        margin = round(print_height) // 2
        band = cv2.copyMakeBorder(piece, margin, margin, margin, margin,
                                  cv2.BORDER_CONSTANT, value=int(np.median(piece)))
        seen.append(band)
        lines = _band_lines(engine, band, round(print_height), "lstm")
        if (lines and serial_wording(lines[-1], label_words) is None
                and engine.has_large_model
                and shows_print(band, print_height, characters=_WORDING_LETTERS)):
            # The small model garbles some fonts' wording ("SERICA NN." for SERIAL NO.)
            # that the larger one reads.  Read from paper grain or a barcode's edge, the
            # larger model makes words too ("sn", "wo"), but unsurely: only a band that
            # shows a row of print is asked, and only words it reads surely count.
            lines = _band_lines(engine, band, round(print_height), "lstm-large",
                                least_confidence=_SURE_BAND_WORD)
        if lines and serial_wording(lines[-1], label_words) is not None:
            return replace(target, before=lines[-1].strip(), labelled=True)
    return target


def _band_lines(
    engine: OcrEngine, band: np.ndarray, number_height: int, method: Method, *,
    least_confidence: float = 0.0,
) -> list[str]:
    """The lines ``method`` reads on ``band`` that hold two letters or digits or more
    of print beside a number ``number_height`` tall, each of its words read at least
    ``least_confidence`` surely."""
    # One block, not sparse text: sparse layout drops a short word standing alone.
    read = engine.read(band, OcrRequest(layout="block", runner_ups=False, method=method))
    lines = [[word for word in line if word.confidence >= least_confidence]
             for line in read.lines]
    return [" ".join(word.text for word in line) for line in lines
            if sum(ch.isalnum() for word in line for ch in word.text) >= _WORDING_LETTERS
            and _print_beside(max(word.box[3] for word in line), number_height)]


def _worth_evening(number: NumberReading) -> bool:
    """Whether ``number`` is read again with its print's contrast evened out: an unsure
    number the passes read differently, one of them with a serial's length of digits or
    more.  When every pass read the same digits, the doubt is in a glyph the recogniser
    reads the same way however the crop is rendered: evened, it reads it so again, and
    that is no confirmation (a serif 1 on brushed metal read as a 2 by every pass came
    out a false read so)."""
    return number.confidence < _REPORTABLE and bool(number.alternatives) and any(
        len(text) >= _EVENED_DIGITS for text in (number.text, *number.alternatives))


def _partly_faded(grey: np.ndarray, target: _Target, text_height: int) -> bool:
    """Whether some glyphs of ``target``'s digits are printed much fainter than the
    others: their ink stands out from the paper by less than :data:`_FADED` of the most
    contrasted glyph's.  Only then can evening the contrast (see :func:`_evened`) show
    what the passes missed.  A number printed evenly reads evened much as it did, and
    its misreads come out confirmed: read again so, three evenly printed numbers of the
    development sets became false reads.  The glyphs are found on the evened crop, where
    faint ones make marks of their own."""
    digits = _target_crop(grey, target, text_height)
    if digits is None:
        return False
    # Each glyph against the paper right round it: glare fades ink and lightens paper.
    contrasts = [float(np.subtract(*np.percentile(box, (90, 10))))
                 for left, top, width, height in _line_glyphs(_evened(digits, text_height))
                 for box in (digits[top:top + height, left:left + width],)]
    if len(contrasts) < _MIN_DIGITS or max(contrasts) <= 0:
        return False
    return min(contrasts) < _FADED * max(contrasts)


def _evened(grey: np.ndarray, text_height: int) -> np.ndarray:
    """``grey`` with its contrast stretched over patches about one text height square.

    Glare or a worn patch can fade a few of a number's digits to a light grey while the
    rest stay dark: one threshold for the whole crop breaks the faint ones up, and the
    recogniser reads them as other digits or none.  Stretched patch by patch, the faint
    digits are as dark as the others.
    """
    height, width = grey.shape[:2]
    tile = max(8, text_height)
    clahe = cv2.createCLAHE(clipLimit=_EVEN_CLIP,
                            tileGridSize=(max(1, round(width / tile)),
                                          max(1, round(height / tile))))
    evened: np.ndarray = clahe.apply(np.ascontiguousarray(grey))
    return evened


def _evened_confirmation(
    engine: OcrEngine, target: _Target, number: NumberReading,
    passes: tuple[_DigitPass, ...], text_height: int, seen: list[np.ndarray],
    earlier_digits: tuple[str, ...],
) -> NumberReading:
    """``number`` read again from the ``passes`` of an evened rendering (see
    :func:`_evened`): that reading when it is reportable, a serial's length, and an
    earlier pass read the same digits; else ``number``.  Evening also raises texture,
    which can read as digits: a number no earlier pass read is no confirmation, and one
    short of a serial's length is the faint digits lost again."""
    again = _confirm(engine, target, passes, text_height, seen, earlier_digits)
    if (again.confidence >= _REPORTABLE and len(again.text) >= _EVENED_DIGITS
            and again.text in (number.text, *number.alternatives)):
        alternatives = tuple(sorted({number.text, *number.alternatives} - {again.text}))
        # Enough to report; never sure enough to stop looking at the other regions: the
        # passes that read the print as it is did not agree.
        return replace(again, alternatives=alternatives,
                       confidence=min(again.confidence, _EVENED_AT_MOST))
    return number


def _digits_line(grey: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """``box`` cut down to the tallest line of print in it when print of a header's height
    stands over that line inside the box (see :func:`_print_beside`); else ``box``.

    Tesseract can box a number together with a short line of smaller print right over it
    ("S/N" over the digits) and drop that line from its text; wording looked for over
    such a box is looked for over the wording.  A speck's rows, or print under the
    number, leave the box as it is.
    """
    x, y, w, h = box
    rows = grey[max(0, y):max(0, y + h), max(0, x):max(0, x + w)]
    if rows.size == 0:
        return box
    _, ink = cv2.threshold(np.ascontiguousarray(rows), 0, 1,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = np.concatenate([[0], (ink.max(axis=1) > 0).astype(np.int8), [0]])
    steps = np.diff(inked)
    lines = [(int(start), int(end)) for start, end in
             zip(np.flatnonzero(steps == 1), np.flatnonzero(steps == -1), strict=True)]
    top, bottom = max(lines, key=lambda line: line[1] - line[0], default=(0, h))
    if not any(end <= top and _print_beside(end - start, bottom - top) for start, end in lines):
        return box
    return (x, max(0, y) + top, w, bottom - top)


def _block_pass(
    engine: OcrEngine, image: np.ndarray, seen: list[np.ndarray], layout: Layout
) -> OcrText:
    """A pass over a whole crop (or a copy of it) in ``layout``.

    Sparse at first: a barcode or logo beside the text makes the block layout give up.
    The sparse layout finds text as scattered pieces, and in speckle or beside clutter it
    can miss a line of bold, blurred digits a person reads at once; taking the crop as one
    block of lines, the block layout finds it: a crop that still reads as junk once
    smoothed is worth reading so.
    """
    seen.append(np.ascontiguousarray(image))
    return engine.read(seen[-1], OcrRequest(layout=layout))


def _legible(text: OcrText) -> bool:
    """Whether a pass read at least two clear words of three or more letters."""
    clear = 0
    for word in text.words:
        letters = sum(ch.isalpha() for ch in word.text)
        if word.confidence >= _CLEAR_WORD and letters >= max(3, 0.8 * len(word.text)):
            clear += 1
    return clear >= 2


def _dots_left_unread(grey: np.ndarray, text: OcrText, text_height: int) -> bool:
    """Whether ``grey`` shows a row of dot-matrix print as long as a number that the words
    of ``text`` (a pass over ``grey``) leave mostly uncovered.

    Tesseract reads a label's words and can pass over its dot-matrix number altogether:
    the dots, apart at the crop's scale, look like specks to its line finding.
    """
    words = np.zeros(grey.shape, dtype=np.uint8)
    for word in text.words:
        x, y, width, height = word.box
        words[max(0, y):y + height, max(0, x):x + width] = 1
    for x, y, width, height in dot_matrix_row_boxes(grey, text_height, characters=_MIN_DIGITS):
        row = words[y:y + height, x:x + width]
        if row.size and row.mean() < _ROW_READ:
            return True
    return False


def _orientation_score(targets: list[_Target]) -> float:
    """How surely a reading is the right way up: serial wording before a number is the
    strong sign; digits alone are weak (upside-down digits often read as digits)."""
    scores = [t.confidence * (1.0 if t.labelled else 0.6) for t in targets if t.digits]
    scores += [0.5 for t in targets if t.labelled and not t.digits]
    return max(scores, default=0.0)


def _targets(text: OcrText, label_words: tuple[str, ...]) -> list[_Target]:
    """Digit runs, and the places after serial wording, most promising first."""
    found: list[_Target] = []
    lines = tuple(_joined_digit_groups(tuple(_bracket_read_as_one(word) for word in line))
                  for line in text.lines)
    wordings = _wording_boxes(lines, label_words)
    wording_boxes = list(wordings.values())
    for line_index, line in enumerate(lines):
        line_text = " ".join(word.text for word in line)
        for word_index, word in enumerate(line):
            before_words = " ".join(w.text for w in line[:word_index])
            for match in _RUN.finditer(word.text):
                start = _after_glued_wording(word.text, match.start(), before_words, label_words)
                raw = word.text[start:match.end()]
                true_digits = sum(ch.isdigit() for ch in raw)
                # Look-alike letters only count inside a run that is mostly real digits.
                if true_digits < _MIN_DIGITS or true_digits < len(raw) - 1:
                    continue
                box = _part_of_box(word, start, match.end())
                before = f"{before_words} {word.text[:start]}".strip()
                labelled = serial_wording(before, label_words) is not None
                wording_cut = not labelled and _cut_at_the_edge(line, before, label_words)
                # A number its own line names as another kind ("LOT 115670A" under
                # "PART NO. 4069-73") is not the serial of wording above it.
                if not labelled and not wording_cut and other_number_name(before) is None:
                    above = _wording_above(box, wording_boxes)
                    labelled = above is not None
                    before = above or before or _line_above(lines, line_index, box[3])
                after = f"{word.text[match.end():]} {_word_text(line, word_index + 1)}".strip()
                # Per-character confidences only: Tesseract's word confidence drops to 0
                # for words of perfectly clear digits.
                confidences = word.char_confidences[start: match.end()] or (
                    word.confidence,
                )
                found.append(_Target(
                    digits=raw.translate(_DIGIT_LOOKALIKES),
                    char_confidences=tuple(confidences)
                    if len(confidences) == len(raw) else (min(confidences),) * len(raw),
                    box=box,
                    before=before,
                    after=after,
                    line_text=line_text,
                    labelled=labelled,
                    wording_cut=wording_cut,
                    glued=start > 0,
                    digit_read_apart=_digit_first(after),
                    starts_line=word_index == 0 and start == 0,
                ))
            if (line_index, word_index) in wordings:
                found += _after_wording(word, word_index, line, lines, line_index, line_text)
    unique: dict[tuple[int, int, int, int], _Target] = {}
    for target in found:
        unique.setdefault(target.box, target)
    ranked = sorted(unique.values(),
                    key=lambda t: (t.labelled, len(t.digits) >= _MIN_DIGITS, t.confidence),
                    reverse=True)
    return _drop_covered(ranked)


def _after_glued_wording(
    text: str, start: int, before_words: str, label_words: tuple[str, ...]
) -> int:
    """Where the digits of the run at ``start`` in the word ``text`` begin: after the
    letters that open it when they end serial wording glued to the number ("No116850",
    whose "o" is also a zero's look-alike), else at ``start``."""
    if text[start].isdigit() or serial_wording(
            f"{before_words} {text[:start]}".strip(), label_words) is not None:
        return start
    end = start
    while end < len(text) and not text[end].isdigit():
        end += 1
        if serial_wording(f"{before_words} {text[:end]}".strip(), label_words) is not None:
            return end
    return start


def _spelled_out(wording: str) -> bool:
    """Whether the serial wording ending ``wording`` is more than two letters ("S/N",
    "No.", "SERIAL"): a bare "SN" or "No" is as often texture or a legend's "SW"."""
    words = wording.split()
    return bool(words) and len(words[-1].strip(",;:'\"`")) > 2


def _no_room_for_a_number(box: tuple[int, int, int, int], print_end: int) -> bool:
    """Whether a number starting where ``box`` does would run past ``print_end``."""
    x, _, _, height = box
    return x >= print_end - _NUMBER_LENGTH * height


def _digit_first(text: str) -> bool:
    """Whether ``text``, past punctuation and spaces, starts with a digit."""
    rest = text.lstrip(_EDGE_PUNCTUATION + " ")
    return rest[:1].isdigit()


def _cut_at_the_edge(line: tuple[OcrWord, ...], before: str, label_words: tuple[str, ...]) -> bool:
    """Whether ``before`` is what is left of serial wording whose start the crop cut off:
    it starts its line, at the crop's edge, and is the end of a label word ("o." of
    "No.").  A cable across a sticker, or a peeled corner, bounds the outline found for
    it inside the print."""
    x, _, _, height = line[0].box
    return (x - CROP_MARGIN <= _EDGE_REACH * height
            and cut_serial_wording(before, label_words) is not None)


def _joined_digit_groups(line: tuple[OcrWord, ...]) -> tuple[OcrWord, ...]:
    """The line with neighbouring all-digit words close together read as one word.

    Wide letter spacing, or a speck between two digits, makes Tesseract split a serial
    ("167 705"); each half alone is too short to be taken for a serial.  A lone digit
    apart from a number is not joined to it: that is most often a mark beside the number
    (a plate's rivet head, a screw) read as a digit, not a digit split off.
    """
    joined: list[OcrWord] = []
    for word in line:
        previous = joined[-1] if joined else None
        if previous is not None and _digit_group(previous) and _digit_group(word):
            gap = word.box[0] - (previous.box[0] + previous.box[2])
            if gap <= 0.8 * max(previous.box[3], word.box[3]):
                joined[-1] = _merged(previous, word)
                continue
        joined.append(word)
    return tuple(joined)


def _digit_group(word: OcrWord) -> bool:
    return word.text.isdigit() and len(word.text) >= 2


def _merged(first: OcrWord, second: OcrWord) -> OcrWord:
    x0, y0 = min(first.box[0], second.box[0]), min(first.box[1], second.box[1])
    x1 = max(first.box[0] + first.box[2], second.box[0] + second.box[2])
    y1 = max(first.box[1] + first.box[3], second.box[1] + second.box[3])
    return OcrWord(
        text=first.text + second.text,
        confidence=min(first.confidence, second.confidence),
        char_confidences=first.char_confidences + second.char_confidences,
        box=(x0, y0, x1 - x0, y1 - y0),
        line=first.line,
        char_boxes=first.char_boxes + second.char_boxes
        if first.char_boxes and second.char_boxes else (),
    )


def _wording_boxes(
    lines: tuple[tuple[OcrWord, ...], ...], label_words: tuple[str, ...]
) -> dict[tuple[int, int], tuple[str, tuple[int, int, int, int]]]:
    """Every piece of serial wording on the crop, keyed by (line, word) of its last word,
    with its text and that word's box."""
    found = {}
    for line_index, line in enumerate(lines):
        for index, word in enumerate(line):
            text = " ".join(w.text for w in line[: index + 1])
            if label_words and serial_wording(text, label_words) is not None:
                found[(line_index, index)] = (text, word.box)
    # "SERIAL" alone counts as wording, but when "NO." follows, the wording ends there.
    return {
        (line_index, index): wording for (line_index, index), wording in found.items()
        if (line_index, index + 1) not in found
    }


def _wording_above(
    box: tuple[int, int, int, int], wordings: list[tuple[str, tuple[int, int, int, int]]]
) -> str | None:
    """Serial wording printed above a number (on a line or two above it, roughly over it),
    whatever order the OCR listed the lines in."""
    x, y, w, h = box
    for text, (wx, wy, ww, wh) in wordings:
        if not _print_beside(wh, h):
            continue
        gap = y - (wy + wh)
        near_above = -0.3 * h <= gap <= 3.0 * max(h, wh)
        side_by_side = wx - 2 * h <= x + w and x - 2 * h <= wx + ww
        if near_above and side_by_side and wy < y:
            return text
    return None


def _print_beside(wording_height: int, number_height: int) -> bool:
    """Whether wording ``wording_height`` pixels tall is print that can go with a number
    ``number_height`` tall: wording over a number is often smaller print, but a speck or
    a mark read as "Sn" or "No" is a few pixels tall."""
    return wording_height >= _HEADER_HEIGHT * number_height


def _line_above(lines: tuple[tuple[OcrWord, ...], ...], index: int, height: int) -> str:
    """The nearest line above that has words in it (a screw head or a speck read as one
    stray character between the wording and the number is skipped, and so is a line of
    marks far smaller than the number, ``height`` pixels tall)."""
    for above in reversed(lines[:index]):
        text = " ".join(w.text for w in above)
        if (sum(ch.isalpha() for ch in text) >= 2
                and _print_beside(max(w.box[3] for w in above), height)):
            return text
    return ""


def _after_wording(
    word: OcrWord,
    word_index: int,
    line: tuple[OcrWord, ...],
    lines: tuple[tuple[OcrWord, ...], ...],
    line_index: int,
    line_text: str,
) -> list[_Target]:
    """Where the serial should be when ``word`` ends serial wording: the next word on the
    line (the rest of the line when that word spans two lines), else the line below,
    else the rest of the line.  The first pass's own reading there counts only when it
    is digits."""
    before = " ".join(w.text for w in line[: word_index + 1])
    x, y, w, h = word.box
    # The rest of the wording's line, from a little past its last letter: the edge of
    # that letter, taken in, reads as a 1 before the number.
    rest_of_line = OcrWord(text="", confidence=0.0, char_confidences=(), line=word.line,
                           box=(x + w + h // 4, y - h // 4, 8 * h, h + h // 2))
    if word_index + 1 < len(line):
        nxt = line[word_index + 1]
        candidates = [(nxt, line_text, _word_text(line, word_index + 2))]
        if nxt.box[3] > _TWO_LINES_HIGH * h:
            # Sparse layout now and then joins a number's glyphs to small print under
            # them, or to texture round them, into one word twice the line's height (and
            # may put the rest of the digits on a line of their own): a digit crop of
            # that box reads neither line, or specks as digits.  The number stands along
            # the wording's line.
            candidates = [(rest_of_line, line_text, "")]
    elif line_index + 1 < len(lines):
        below = lines[line_index + 1]
        if not _print_beside(word.box[3], below[0].box[3]):
            return []  # a mark far smaller than what is below it, read as wording
        if other_number_name(below[0].text) is not None:
            return []  # the line below holds another kind of number ("LOT 115670A")
        candidates = [(below[0], " ".join(w.text for w in below), _word_text(below, 1))]
    else:
        # Nothing read after the wording: look at the rest of its line.
        candidates = [(rest_of_line, line_text, "")]
    targets = []
    for candidate, text_of_line, following in candidates:
        # Punctuation read beside the digits ("103891.") is a speck or the sticker's edge.
        stripped = candidate.text.strip(_EDGE_PUNCTUATION)
        start = candidate.text.find(stripped) if stripped else 0
        digits = stripped.translate(_DIGIT_LOOKALIKES)
        is_digits = digits.isdigit() and len(digits) >= _MIN_DIGITS
        confidences = candidate.char_confidences[start: start + len(stripped)]
        targets.append(_Target(
            digits=digits if is_digits else "",
            char_confidences=confidences if is_digits else (),
            box=_part_of_box(candidate, start, start + len(stripped)) if is_digits
            else candidate.box,
            before=before,
            after="",
            line_text=text_of_line,
            labelled=True,
            digit_read_apart=is_digits and _digit_first(
                f"{candidate.text[start + len(stripped):]} {following}"),
        ))
    return targets


def _bracket_read_as_one(word: OcrWord) -> OcrWord:
    """``word`` with a closing bracket that ends it right after digits read as a 1:
    Tesseract reads a serif 1 (a foot and a flag on a stem) as "]" when it reads a number
    as a word.  A word with an opening bracket is a bracketed group ("[S/N224843]")."""
    if "[" in word.text:
        return word
    text = _BRACKET_ONE.sub("1", word.text)
    return word if text == word.text else replace(word, text=text)


def _word_text(line: tuple[OcrWord, ...], index: int) -> str:
    return line[index].text if index < len(line) else ""


def _part_of_box(word: OcrWord, start: int, stop: int) -> tuple[int, int, int, int]:
    """The part of a word's box that holds characters ``start:stop``.

    Each character is given an equal share of the box, unless the engine reported that
    character's own box: then its edge is used.  An equal share cuts into a digit beside a
    narrow mark (a bracket or a barcode's bar read after the number takes a share of the
    last digit's width).  The recogniser's own boxes are now and then far too wide; one
    wider than the word is tall is not used.  With the characters' own boxes, the rows
    are those of their own line when the word took in another (see :func:`_own_line`).
    """
    x, y, w, h = word.box
    length = max(len(word.text), 1)
    left = x + w * start // length
    right = x + w * stop // length
    top, bottom = y, y + h
    boxes = word.char_boxes
    if len(boxes) == len(word.text) and 0 <= start < stop <= len(boxes):
        first, last = boxes[start], boxes[stop - 1]
        if start > 0 and first[2] <= h:
            left = first[0]
        if stop < len(boxes) and last[2] <= h:
            right = last[0] + last[2]
        top, bottom = _own_line(boxes[start:stop], top, bottom)
    return (left, top, max(1, right - left), bottom - top)


def _own_line(
    boxes: tuple[tuple[int, int, int, int], ...], top: int, bottom: int
) -> tuple[int, int]:
    """The rows from ``top`` to ``bottom`` narrowed to the line most of ``boxes`` (the
    characters' own boxes) stand on, when they span two lines' height.

    Tesseract now and then takes print set tight under or over a number (a model name
    under the serial) into the number's word: the word's box, and the boxes of the
    digits that print stands by, are then two lines high.  A digit crop of that box reads
    both lines as one, and the digits by the other print are misread.
    """
    line_top = int(np.median([y for _, y, _, _ in boxes]))
    line_bottom = int(np.median([y + height for _, y, _, height in boxes]))
    if line_bottom <= line_top or bottom - top <= _TWO_LINES_HIGH * (line_bottom - line_top):
        return top, bottom
    return line_top, line_bottom


def _drop_covered(targets: list[_Target]) -> list[_Target]:
    """Keep one target per place: a later one mostly inside an earlier one is dropped."""
    kept: list[_Target] = []
    for target in targets:
        x, y, w, h = target.box
        if all(_covered((x, y, w, h), other.box) < 0.6 for other in kept):
            kept.append(target)
    return kept


def _covered(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / max(a[2] * a[3], 1)


def _confirm_leaning(
    engine: OcrEngine,
    target: _Target,
    passes: tuple[_DigitPass, ...],
    text_height: int,
    seen: list[np.ndarray],
    earlier_digits: tuple[str, ...],
) -> NumberReading:
    """:func:`_confirm`, and when that leaves the number unsure and its digits lean, the
    same with the digits sheared upright: the surer of the two.

    Leaning digits (a perspective the outline did not take out) lose their first digits
    in Tesseract's line reads, and sheared upright they read in full.  Only an unsure
    number is read again so: italic print, which Tesseract reads well as it is, can read
    worse stood upright (a dotted zero taken for an 8).
    """
    number = _confirm(engine, target, passes, text_height, seen, earlier_digits)
    if number.confidence >= _SURE and len(number.text) >= _MIN_DIGITS:
        return number
    digits = _target_crop(passes[0][0], target, text_height)
    if digits is None or lean_of(digits) == 0.0:
        return number
    upright = _confirm(engine, replace(target, stood_upright=True), passes, text_height, seen,
                       earlier_digits)
    if len(upright.text) < _MIN_DIGITS:
        return number
    # Sheared, a glyph at the crop's end can fall out of it; a reading with fewer digits
    # than the unsheared one's lost a digit, however sure it is of the rest.
    if len(number.text) < _MIN_DIGITS or (upright.confidence > number.confidence
                                          and len(upright.text) >= len(number.text)):
        return upright
    return number


def _confirm(
    engine: OcrEngine,
    target: _Target,
    passes: tuple[_DigitPass, ...],
    text_height: int,
    seen: list[np.ndarray],
    earlier_digits: tuple[str, ...] = (),
) -> NumberReading:
    """Re-read one place digits-only and vote.

    The digits-only passes decide (a whitelist removes letter/digit confusions the first
    pass is prone to); the first pass's own reading counts as a further vote.  When the
    first two digits-only passes disagree, the third breaks the tie.  The larger model's
    reading then lifts, doubts or (for a zero with a mark inside, whose glyph has a
    zero's shape) corrects the winner.  Last, print on a 5 x 7 pin grid read from its
    pins replaces an unsure winner, lifts one it agrees with and doubts a sure one it
    contradicts.
    """
    digit_reads: list[tuple[str, tuple[float, ...]]] = []
    large_model_read: str | None = None
    small_model_glyphs: list[list[tuple[str, np.ndarray]]] = []
    for rendering, method in passes:
        if len(digit_reads) == 2 and digit_reads[0][0] == digit_reads[1][0]:
            break
        read = _read_digits(engine, rendering, target, text_height, seen, method)
        if read is None:
            break
        crop, text = read
        digits, confidences = _digits_of(text)
        digit_reads.append((digits, confidences))
        if method == "lstm-large":
            large_model_read = digits
        else:
            small_model_glyphs.append(_glyphs(crop, text))
    opinion_rendering = passes[0][0]
    if target.digits and digit_reads and not any(digits for digits, _ in digit_reads):
        # Speckle on the paper can leave Tesseract's line finding with nothing in every
        # rendering of a number it read in the whole crop; smoothed, the line is found.
        # When that reading confirms the whole crop's, the passes that found no line
        # abstain (they read no other digits); any other reading of it is left out.
        speckle_free = smoothed(passes[0][0], text_height)
        read = _read_digits(engine, speckle_free, target, text_height, seen, "lstm")
        smoothed_read = _digits_of(read[1]) if read is not None else None
        if smoothed_read is not None and smoothed_read[0] == target.digits:
            digit_reads = [smoothed_read]
            # The larger model's check below reads the smoothed rendering too.
            large_model_read, opinion_rendering = None, speckle_free
    readings = ([(target.digits, target.char_confidences)] if target.digits else []) + digit_reads
    # A pass that read nothing is a dissent, never a candidate answer.
    tally = Counter(digits for digits, _ in digit_reads if digits)
    if not tally and target.digits:
        tally = Counter([target.digits])
    winner, digit_votes = tally.most_common(1)[0] if tally else ("", 0)
    slipped_zeros = _zeros_read_otherwise(winner, small_model_glyphs, large_model_read)
    alternatives = tuple(sorted({digits for digits, _ in readings if digits and digits != winner}))
    if slipped_zeros:
        # The dissents are the small model's known slip on a marked zero, which the
        # winner's passes and the larger model read as a zero: they vote for it.
        readings = [(winner if digits in slipped_zeros else digits, confidences)
                    for digits, confidences in readings]
        digit_votes = sum(digits == winner or digits in slipped_zeros
                          for digits, _ in digit_reads)
    agreeing = [confidences for digits, confidences in readings if digits == winner]
    votes = len(agreeing)
    if votes == len(readings) and votes >= 2:
        agreement = 1.0
    elif digit_votes == len(digit_reads) and digit_votes >= 2:
        agreement = _BLOCK_PASS_DISSENTS
    elif votes >= 3 and votes == len(readings) - 1:
        agreement = _ONE_DISSENT
    elif votes >= 2 and all(digits == winner or _fragment_of(digits, winner)
                            for digits, _ in readings):
        # Every pass that read a number read this one, at least two of them alike; the
        # others found no line in their renderings at all (the larger model's among
        # them, often), or only a few of its glyphs.  That says nothing for another
        # number: however many did, they weigh as one dissent among four does, not as a
        # split vote.
        agreement = _ONE_DISSENT
    else:
        agreement = _SPLIT_VOTE
    # Earlier reads of this place at another size count as dissents on single glyphs; a
    # number differing in more places is another number, not this one misread.
    no_confidences: tuple[float, ...] = ()
    same_place = [
        (digits, no_confidences) for digits in earlier_digits
        if len(digits) == len(winner) and misread_of(digits, winner)
    ]
    contested = _contested(readings + same_place, winner)
    confidence = _established(agreeing, len(winner), contested) * agreement
    # The larger model's word on a number two of the small model's readings agree on
    # (its own vote as the tie-break does not count twice): it lifts a doubtful number by
    # reading it exactly, and puts a sure one in doubt by reading it slightly otherwise.
    small_model_votes = votes - (large_model_read == winner)
    second_opinion = (
        large_model_read if large_model_read is not None
        else _second_opinion(engine, target, opinion_rendering, text_height, seen)
    ) if small_model_votes >= 2 else None
    glyphs = next((found for found in small_model_glyphs
                   if "".join(character for character, _ in found) == winner), [])
    # Blurred, an 8's waist can pass for a zero's slash: the shape tests do not apply.
    zero_shaped, settled_by_shape = (
        (set(), set()) if target.dots_merged else _zero_shaped(winner, glyphs))
    leading_zero: tuple[str, float] | None = None
    zeros = _read_as_zeros_by_larger_model(winner, second_opinion, zero_shaped)
    if not zeros and zero_shaped and settled_by_shape == zero_shaped:
        zeros = zero_shaped
    zero_places: set[int] = set().union(*slipped_zeros.values())
    if zero_places and not zeros:
        # Its glyphs there are zeros by shape and by two readers, not by a sure read of
        # every pass: the number never counts as sure (see below).
        confidence = _sure_with_zeros(agreeing, len(winner), contested, zero_places,
                                      agreement)
    elif zeros:
        # The small model read a zero with a mark inside as a 6, a 9 or an 8 in every
        # pass; the glyph has a zero's shape (a closed ring, which a 6 or a 9 never is; a
        # ring cut by a slash, which no other digit is; an 8's two hollows printed
        # exactly as a zero read elsewhere in the number), and the larger model read a
        # zero there, or the shape settles it on its own (see _zero_shaped): a zero.  The
        # other digits are as sure as the passes agreed on them; the number as a whole
        # never counts as sure, so the other regions are still read and can doubt it.
        confidence = _sure_with_zeros(agreeing, len(winner), contested, zeros, agreement)
        zeroed = _with_digit(winner, zeros, "0")
        # A pass may have read the zero already: the answer is not its own alternative.
        alternatives = tuple(sorted({*alternatives, winner} - {zeroed}))
        winner, votes = zeroed, 1
    elif zero_shaped:
        # A glyph read as a 6, a 9 or an 8 has a zero's shape, and the larger model did
        # not read a zero there (it often misreads such zeros as the small one does):
        # the number is a guess either way.
        alternatives = tuple(sorted({*alternatives, _with_digit(winner, zero_shaped, "0")}))
        # A larger model that read another digit elsewhere in the number doubts more than
        # the zero: the zero alone cannot make it a reading.
        if zero_shaped == {0} and not _differs_elsewhere(second_opinion, winner, zero_shaped):
            leading_zero = (_with_digit(winner, zero_shaped, "0"),
                            _sure_with_zeros(agreeing, len(winner), contested, zero_shaped,
                                             agreement))
        confidence = min(confidence, _SHAPE_DISSENTS)
    elif second_opinion == winner and confidence < _SURE:
        # A larger model, trained apart, read the same digits: the small model's doubts
        # (a dissenting pass, a contested glyph) were its own slips.  All but one: a 0
        # another reading of the place saw where both models read a 6, an 8 or a 9 is
        # the marked zero's slip, which the larger model shares.
        shared_slips = _zeros_another_reading_saw(readings + same_place, winner)
        confidence = _established(agreeing, len(winner), shared_slips)
        if votes == len(readings) >= 3 and not shared_slips:
            # And every pass of the small model read them too: Tesseract's own low score
            # for a glyph it reads alike in every rendering (a dot-matrix or marked digit
            # it has seldom seen) is no dissent.
            confidence = max(confidence, _EVERY_READ_ALIKE)
    elif second_opinion and confidence >= _SURE and misread_of(second_opinion, winner):
        # The small model can misread a glyph the same way in every rendering (a 1 with
        # a flag read as 2, three times over); the larger model rarely shares the slip.
        confidence *= _CONTESTED
    sevens = set() if target.dots_merged else _ones_shaped_as_sevens(glyphs)
    if sevens:
        # Both models read a bold 7 whose stem stands upright as a 1, alike in every
        # rendering; a glyph read as a 1 that has a 7's shape makes the number a guess.
        alternatives = tuple(sorted({*alternatives, _with_digit(winner, sevens, "7")}))
        confidence = min(confidence, _SHAPE_DISSENTS)
    pins = read_pin_grid(passes[0][0], target.box)
    if target.dots_merged and pins is not None and not (
        pins.text in (digits for digits, _ in readings)
        and second_opinion in (None, pins.text)
    ):
        # Found only in a blur, the place may be texture the pin fit makes digits of:
        # there the pins count only as another reading of what Tesseract read.
        pins = None
    if pins is not None and len(pins.text) >= _MIN_DIGITS and pins.text != winner:
        if confidence < _REPORTABLE:
            # Tesseract's slips on dot-matrix print are its own: the pins are exact.
            alternatives = tuple(sorted({*alternatives, winner} - {"", pins.text}))
            winner, votes, confidence = pins.text, 1, _READ_BY_PINS
        else:
            # Two readers, each sure, disagree: neither is trusted.
            alternatives = tuple(sorted({*alternatives, pins.text}))
            confidence = min(confidence, _SHAPE_DISSENTS)
    elif pins is not None and pins.text == winner:
        confidence = max(confidence, _READ_BY_PINS)
    if pins is not None:
        # The pins tell a marked zero from a 6 themselves (their designs have both).
        leading_zero = None
    return NumberReading(
        text=winner,
        confidence=confidence,
        votes=votes,
        passes=len(readings),
        alternatives=alternatives,
        before=target.before,
        after=target.after,
        line_text=target.line_text,
        wording_cut=target.wording_cut,
        second_opinion=second_opinion,
        leading_zero=leading_zero,
    )


def _fragment_of(part: str, digits: str) -> bool:
    """Whether ``part`` is nothing or a few of ``digits``' glyphs in a row, too few to be
    a number of its own (a pass that lost most of the line)."""
    return len(part) < _MIN_DIGITS and part in digits


def misread_of(other: str, digits: str) -> bool:
    """Whether ``other`` is ``digits`` read differently: a few glyphs read as other digits,
    or one digit lost or added (a number differing more is another number)."""
    if other == digits:
        return False
    if len(other) == len(digits):
        return len(differing_places(digits, other)) <= _SAME_NUMBER_SLIPS
    shorter, longer = sorted((other, digits), key=len)
    return len(longer) - len(shorter) == 1 and any(
        longer[:cut] + longer[cut + 1:] == shorter for cut in range(len(longer))
    )


def _second_opinion(
    engine: OcrEngine,
    target: _Target,
    grey: np.ndarray,
    text_height: int,
    seen: list[np.ndarray],
) -> str | None:
    """The larger LSTM model's digits for the target, from the grey rendering; ``None``
    when the engine has no large model.  One read of it takes a few times as long as one
    of the small model, so it is asked only about numbers the small model's readings
    agree on."""
    if not engine.has_large_model:
        return None
    read = _read_digits(engine, grey, target, text_height, seen, "lstm-large")
    return None if read is None else _digits_of(read[1])[0]


def _read_digits(
    engine: OcrEngine,
    rendering: np.ndarray,
    target: _Target,
    text_height: int,
    seen: list[np.ndarray],
    method: Method,
) -> tuple[np.ndarray, OcrText] | None:
    """The target's digit crop from ``rendering`` (kept in ``seen``) and ``method``'s
    digits-only single-line read of it; ``None`` when there is no crop."""
    crop = _target_crop(rendering, target, text_height, stood_upright=target.stood_upright,
                        dots_merged=target.dots_merged)
    if crop is None:
        return None
    seen.append(crop)
    return crop, engine.read(crop, OcrRequest(layout="line", charset=DIGITS, method=method))


def _digits_of(text: OcrText) -> tuple[str, tuple[float, ...]]:
    """A digits-only read's digits and their confidences."""
    return ("".join(word.text for word in text.words),
            tuple(c for word in text.words for c in word.char_confidences))


def _glyphs(crop: np.ndarray, text: OcrText) -> list[tuple[str, np.ndarray]]:
    """Each character the engine read on ``crop`` with the patch of the crop it stands
    on (its box and a little around it); empty when the engine gave no boxes."""
    found = []
    for word in text.words:
        if len(word.char_boxes) != len(word.text):
            return []
        for character, (x, y, width, height) in zip(word.text, word.char_boxes, strict=True):
            room = max(2, height // 8)
            patch = crop[max(0, y - room): y + height + room, max(0, x - room): x + width + room]
            found.append((character, patch))
    return found


def _zero_shaped(
    winner: str, glyphs: list[tuple[str, np.ndarray]]
) -> tuple[set[int], set[int]]:
    """Where the small model's winning digits have a glyph shaped like a zero that it
    read as another digit, and which of those are zeros by their shape alone; both empty
    when the glyphs are not those of ``winner``.

    Zero-shaped: a 6 or a 9 that is a closed ring (a zero with a dot or a bar inside), a
    ring cut by a slash, or a ring split into two hollows alike one above the other
    (slanted print's slashed zero, its outline touched by a neighbour); an 8 that is a
    ring cut by a slash, or a closed ring printed exactly as a zero the small model read
    as a zero elsewhere in ``winner`` (a zero with a bar across, read as a 0 in one place
    and an 8 in the next).

    Settled by shape: an 8 cut by a slash (no 8 has its two hollows side by side), and a
    6 or a 9 printed exactly as a read zero.  A closed ring alone does not settle a 6 or
    a 9: blur closes a 6's hook now and then.  But Tesseract reads the same marked zero
    as a 0 in one place and a 6 in the next, and the glyphs of one print, the same
    character, say which reading is the slip.  An 8 printed as a read zero is not settled
    so: a zero with a bar across and an 8 differ only by the 8's waist, and which of the
    two readings slipped is the larger model's to say.
    """
    if "".join(character for character, _ in glyphs) != winner:
        return set(), set()
    glyphs = _as_whole_glyphs(glyphs)
    read_zeros = [glyph for character, glyph in glyphs
                  if character == "0" and closed_ring(glyph)]

    def printed_as_read_zero(glyph: np.ndarray) -> bool:
        return any(same_print(glyph, zero) for zero in read_zeros)

    shaped: set[int] = set()
    settled: set[int] = set()
    for index, (character, glyph) in enumerate(glyphs):
        if character == "8":
            if slashed_ring(glyph):
                shaped.add(index)
                settled.add(index)
            elif closed_ring(glyph) and printed_as_read_zero(glyph):
                shaped.add(index)
        elif character in "69" and (closed_ring(glyph) or slashed_ring(glyph)
                                    or split_ring(glyph)):
            shaped.add(index)
            if printed_as_read_zero(glyph):
                settled.add(index)
    return shaped, settled


def _as_whole_glyphs(glyphs: list[tuple[str, np.ndarray]]) -> list[tuple[str, np.ndarray]]:
    """``glyphs``, each counting as ``_PART`` (no digit) where its ink is shorter than
    the whole glyphs' (see ``_WHOLE_GLYPH``).  A character box can cover only part of its
    glyph (a 6's bowl, the rest cut off): what is left is no character's shape, and a
    bowl is a ring."""
    heights = [glyph_height(glyph) for _, glyph in glyphs]
    known = [height for height in heights if height is not None]
    if not known:
        return [(_PART, glyph) for _, glyph in glyphs]
    whole_height = _WHOLE_GLYPH * statistics.median(known)
    return [(character if height is not None and height >= whole_height else _PART, glyph)
            for (character, glyph), height in zip(glyphs, heights, strict=True)]


def _ones_shaped_as_sevens(glyphs: list[tuple[str, np.ndarray]]) -> set[int]:
    """Where the small model read a 1 in a whole glyph (see :func:`_as_whole_glyphs`) that
    has a 7's shape (see :func:`~stickerscan.glyphs.seven_shaped`)."""
    return {index for index, (character, glyph) in enumerate(_as_whole_glyphs(glyphs))
            if character == "1" and seven_shaped(glyph)}


def _zeros_read_otherwise(
    winner: str, small_model_glyphs: list[list[tuple[str, np.ndarray]]], large: str | None
) -> dict[str, set[int]]:
    """The small model's readings that differ from ``winner`` only where ``winner`` has a
    zero and they read a 6, a 9 or an 8 in a glyph of a zero's shape (see
    :func:`_zero_shaped`), each with those places; empty unless the larger model read
    ``winner`` itself.

    The slip is the one :func:`_zero_shaped` corrects when every small-model pass makes
    it; when some pass reads the zero, the same evidence stands for it."""
    if large != winner:
        return {}
    slipped: dict[str, set[int]] = {}
    for glyphs in small_model_glyphs:
        digits = "".join(character for character, _ in glyphs)
        if len(digits) != len(winner) or digits == winner:
            continue
        places = differing_places(winner, digits)
        if all(winner[index] == "0" for index in places):
            shaped, _ = _zero_shaped(digits, glyphs)
            if places <= shaped:
                slipped[digits] = places
    return slipped


def _read_as_zeros_by_larger_model(
    winner: str, large: str | None, zero_shaped: set[int]
) -> set[int]:
    """``zero_shaped`` when the larger model's reading ``large`` is ``winner`` with a 0
    at each of those places and nowhere else different; else empty."""
    if not zero_shaped or large is None or len(large) != len(winner):
        return set()
    return zero_shaped if large == _with_digit(winner, zero_shaped, "0") else set()


def _differs_elsewhere(other: str | None, digits: str, places: set[int]) -> bool:
    """Whether ``other``, a number as long as ``digits``, reads another digit at a place
    not among ``places``."""
    return (other is not None and len(other) == len(digits)
            and not differing_places(digits, other) <= places)


def differing_places(digits: str, other: str) -> set[int]:
    """The places where ``other``, a number as long as ``digits``, reads another digit."""
    return {index for index, (mine, theirs) in enumerate(zip(digits, other, strict=True))
            if mine != theirs}


def _zeros_another_reading_saw(
    readings: list[tuple[str, tuple[float, ...]]], winner: str
) -> set[int]:
    """Places where ``winner`` has a digit a marked zero is misread as (a 6, an 8 or a 9)
    and a reading of its length has a 0."""
    return {index for digits, _ in readings if len(digits) == len(winner)
            for index in differing_places(winner, digits)
            if digits[index] == "0" and winner[index] in ZERO_SLIP_DIGITS}


def _with_digit(digits: str, places: set[int], digit: str) -> str:
    """``digits`` with ``digit`` at each of ``places``."""
    return "".join(digit if index in places else old for index, old in enumerate(digits))


def _established(
    agreeing: list[tuple[float, ...]], length: int, contested: set[int]
) -> float:
    """Confidence in a number several passes read alike: each character counts as sure as
    the surest pass read it (one clear view settles a glyph another view blurred), unless
    another pass read a different character in its place; the number is as sure as its
    least sure character."""
    if not agreeing or length == 0:
        return 0.0
    return min(_per_character(agreeing, length, contested))


def _sure_with_zeros(
    agreeing: list[tuple[float, ...]], length: int, contested: set[int], zeros: set[int],
    agreement: float,
) -> float:
    """How sure a number is with the glyphs at ``zeros`` taken as zeros by their shape:
    as its least sure other character (see :func:`_per_character`) scaled by the passes'
    ``agreement``, and never more than ``_SETTLED_BY_SHAPE``."""
    others = [sure for index, sure in enumerate(_per_character(agreeing, length, contested))
              if index not in zeros]
    return min(min(others, default=0.0) * agreement, _SETTLED_BY_SHAPE)


def _per_character(
    agreeing: list[tuple[float, ...]], length: int, contested: set[int]
) -> list[float]:
    """Each character's confidence as :func:`_established` weighs it."""
    return [
        max((confidences[i] for confidences in agreeing if len(confidences) == length),
            default=min(min(c, default=0.0) for c in agreeing))
        * (_CONTESTED if i in contested else 1.0)
        for i in range(length)
    ]


def _contested(readings: list[tuple[str, tuple[float, ...]]], winner: str) -> set[int]:
    """Positions where a pass of the same length read another digit: a glyph in doubt
    (a dissent of another length is a lost or extra character, not a doubtful one)."""
    return set().union(*(differing_places(winner, digits) for digits, _ in readings
                         if len(digits) == len(winner)))


def _sharpened(grey: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(grey, (0, 0), 2.0)
    sharpened: np.ndarray = cv2.addWeighted(grey, 1.8, blurred, -0.8, 0)
    return sharpened


def _target_crop(
    image: np.ndarray, target: _Target, text_height: int, *,
    stood_upright: bool = False, dots_merged: bool = False,
) -> np.ndarray | None:
    """``target``'s digit crop from ``image`` (see :func:`_number_crop`), cut as the first
    pass read the place: its box, how many digits, and what stood beside them."""
    return _number_crop(image, target.box, text_height, characters=len(target.digits),
                        stood_upright=stood_upright, dots_merged=dots_merged,
                        glued=target.glued, digit_read_apart=target.digit_read_apart,
                        starts_line=target.starts_line)


def _number_crop(
    image: np.ndarray, box: tuple[int, int, int, int], text_height: int, *,
    characters: int = 0, stood_upright: bool = False, dots_merged: bool = False,
    glued: bool = False, digit_read_apart: bool = False, starts_line: bool = False,
) -> np.ndarray | None:
    """The part of the word box that holds the digit run, on a plain margin; enlarged to
    the text height when the box holds ``characters`` digits of small print, and sheared
    so that its digits stand upright if ``stood_upright``.  When the digits were read
    ``glued`` to other characters in one word, a glyph the crop's start cuts through is
    left out (see :func:`_cut_glyph_left_out`).

    Only a sliver of the surroundings is taken (a sticker's edge next to the first digit
    reads as a "1"); the margin Tesseract needs is added as blank paper.
    """
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return None
    small = _small_print(box, characters, text_height)
    left, right = x, x + w
    glyph_height = h if small else max(h, text_height)
    pad = 0.12 * glyph_height
    x0 = int(max(0, left - pad))
    x1 = int(min(image.shape[1], right + pad))
    y0 = int(max(0, y - pad))
    y1 = int(min(image.shape[0], y + h + pad))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    x1 = _whole_glyphs(image[y0:y1], x1, reach=round(_GLYPH_REACH * glyph_height))
    if glued:
        x0 = _cut_glyph_left_out(image[y0:y1], x0, x1, reach=round(_GLYPH_REACH * glyph_height))
    if characters:
        x1 = _lost_last_glyph_taken_in(image[y0:y1], x0, x1, characters, pad=round(pad),
                                       read_apart=digit_read_apart)
    if characters and starts_line:
        x0 = _lost_first_glyphs_taken_in(image[y0:y1], x0, x1, pad=round(pad))
    margin = text_height // 2
    sliver = np.ascontiguousarray(image[y0:y1, x0:x1])
    if dots_merged:
        sliver = _dots_run_together(sliver, h if small else text_height)
    middle = y + h / 2 - y0
    if small:
        # Tesseract's line reads lose digits a few pixels tall that it reads enlarged.
        zoom = text_height / h
        sliver = cv2.resize(sliver, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        h, middle = text_height, middle * zoom
    # A sticker's edge or frame caught in the sliver is longer than any digit.
    number = _off_line_cleared(clear_edge_marks(sliver, longer_than=1.25 * h),
                               middle=middle, reach=_MIDDLE_BAND * h)
    padded: np.ndarray = cv2.copyMakeBorder(
        number, margin, margin, margin, margin,
        cv2.BORDER_CONSTANT, value=255,
    )
    return stand_upright(padded, lean_of(number)) if stood_upright else padded


def _off_line_cleared(grey: np.ndarray, *, middle: float, reach: float) -> np.ndarray:
    """``grey`` with every mark that keeps clear of the band ``reach`` pixels either side
    of row ``middle`` painted out, and a round head beside the number's ends too.

    Every digit of a number crosses the middle of its line.  Print that does not is
    another line's (the top of small print set tight under the number, the foot of a
    line over it) or punctuation ("No." ends in a full stop right before the first
    digit); left in, it makes the single-line read return a few digits or none.  A rivet
    or screw head right beside the first or last digit does cross it, and reads as a
    digit (a 4, a 9): see :func:`_round_head`.
    """
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    top, bottom = stats[:, 1], stats[:, 1] + stats[:, 3]
    off_line = (bottom < middle - reach) | (top > middle + reach)
    off_line[0] = False
    on_line = [index for index in np.flatnonzero(~off_line)[1:]
               if stats[index, cv2.CC_STAT_AREA] >= _MIN_GLYPH_AREA]
    if len(on_line) >= _MIN_DIGITS + 1:
        on_line.sort(key=lambda index: stats[index, cv2.CC_STAT_LEFT])
        for end, inner in ((on_line[0], on_line[1:]), (on_line[-1], on_line[:-1])):
            digit_height = float(np.median(stats[inner, cv2.CC_STAT_HEIGHT]))
            off_line[end] |= _round_head(labels, stats, end, digit_height)
    if not off_line.any():
        return grey
    cleared = grey.copy()
    cleared[off_line[labels]] = int(np.percentile(grey, 90))
    return cleared


def _round_head(
    labels: np.ndarray, stats: np.ndarray, index: int, digit_height: float
) -> bool:
    """Whether component ``index`` is a rivet or screw head rather than a digit: a solid
    round disc (as wide as tall, filling its convex hull) clearly shorter or clearly
    taller than the digits beside it.  Bold print blurred can be as round and solid as a
    head, but a digit keeps the height of the others on its line; a plate's screw head is
    often larger than its print."""
    x, y, width, height, area = stats[index]
    if not (any(low * digit_height <= height <= high * digit_height
                for low, high in (_HEAD_HEIGHTS, _LARGE_HEAD_HEIGHTS))
            and _HEAD_ROUNDNESS[0] * height <= width <= _HEAD_ROUNDNESS[1] * height):
        return False
    mask = (labels[y:y + height, x:x + width] == index).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull_area = cv2.contourArea(cv2.convexHull(np.vstack(contours)))
    return bool(hull_area > 0 and area >= _HEAD_SOLIDITY * hull_area)


def _lost_last_glyph_taken_in(
    rows: np.ndarray, x0: int, x1: int, characters: int, *, pad: int, read_apart: bool = False
) -> int:
    """``x1`` moved right to take in the glyph right after the crop, when the crop from
    ``x0`` to ``x1`` holds one glyph fewer than the ``characters`` the first pass read
    and that glyph is a digit's size, close after the last, with clear space beyond.

    The recogniser can read a number in full and box it short of its last digit (before
    a barcode, say): every digits-only read of the crop then loses that digit.  A digit's
    size, a gap no wider than between digits and clear space after it keep a barcode's
    bars and the next word out.

    The first pass can also read that digit ``read_apart``, as a word of its own after
    the number ("03297' 9"): the crop then holds all the ``characters`` it read, and the
    glyph after is taken in only when it also stands at about the digits' own pitch from
    the last (a word space, or a rivet head set beside the number, is further).
    """
    glyphs = _line_glyphs(rows)
    inside = [glyph for glyph in glyphs if x0 <= glyph[0] + glyph[2] / 2 < x1]
    after = [glyph for glyph in glyphs if glyph[0] + glyph[2] / 2 >= x1]
    boxed_short = len(inside) == characters - 1
    spaced_alike = read_apart and len(inside) == characters
    if not (boxed_short or spaced_alike) or len(inside) < _MIN_DIGITS - 1 or not after:
        return x1
    digit_height = float(np.median([height for _, _, _, height in inside]))
    last_end = max(left + width for left, _, width, _ in inside)
    left, _, width, height = after[0]
    digit_sized = _digit_sized(width, height, digit_height)
    close = left - last_end <= _LOST_GLYPH_GAP * digit_height
    if spaced_alike:
        # Digits are set at one pitch (tabular figures); a word space adds about half of one.
        pitch = float(np.median([following[0] - glyph[0]
                                 for glyph, following in pairwise(inside)]))
        close = close and left - inside[-1][0] <= _SAME_PITCH * pitch
    clear_beyond = len(after) == 1 or after[1][0] - (left + width) >= _CLEAR_BEYOND * digit_height
    if digit_sized and close and clear_beyond:
        return min(int(rows.shape[1]), left + width + pad)
    return x1


def _lost_first_glyphs_taken_in(rows: np.ndarray, x0: int, x1: int, *, pad: int) -> int:
    """``x0`` moved left to take in up to two glyphs right before the crop that the first
    pass did not read, when they stand as the digits do (a digit's size, at the digits'
    own pitch) and clear space comes before them.

    On textured metal or a stained sticker, Tesseract can leave a number's first digits
    out of its line altogether ("6815." for 196815, read as the line's only word), and
    every digits-only read of the crop then lacks them.  Only a number that starts its
    line is widened so: wording before a number stands a word space or more away, or is
    read with it.  Glyphs at the digits' pitch with more of them before are part of a
    longer word, and nothing is taken in.
    """
    glyphs = _line_glyphs(rows)
    inside = [glyph for glyph in glyphs if x0 <= glyph[0] + glyph[2] / 2 < x1]
    before = [glyph for glyph in glyphs if glyph[0] + glyph[2] / 2 < x0]
    if len(inside) < _MIN_DIGITS or not before:
        return x0
    digit_height = float(np.median([height for _, _, _, height in inside]))
    digit_width = float(np.median([width for _, _, width, _ in inside]))
    pitch = float(np.median([following[0] - glyph[0] for glyph, following in pairwise(inside)]))
    start = inside[0][0]
    taken = 0
    for left, _, width, height in reversed(before):
        # Two digits can touch through texture or stain and make one mark.
        count = max(1, round(width / digit_width))
        close = (start - (left + width) <= _LOST_GLYPH_GAP * digit_height
                 and start - left <= count * _SAME_PITCH * pitch)
        if (taken + count > _LOST_FIRST_GLYPHS
                or not (_digit_sized(width, height, digit_height, count) and close)):
            clear_before = start - (left + width) >= _CLEAR_BEYOND * digit_height
            return max(0, start - pad) if taken and clear_before else x0
        taken += count
        start = left
    return max(0, start - pad)


def _digit_sized(width: int, height: int, digit_height: float, count: int = 1) -> bool:
    """Whether a mark ``width`` by ``height`` is the size of ``count`` digits side by side
    on a line of digits ``digit_height`` tall (see :data:`_LOST_GLYPH_HEIGHTS`)."""
    return (_LOST_GLYPH_HEIGHTS[0] * digit_height <= height
            <= _LOST_GLYPH_HEIGHTS[1] * digit_height
            and width <= count * _LOST_GLYPH_WIDTH * digit_height)


def _line_glyphs(rows: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The glyphs of the line across the middle of ``rows``, left to right: each mark
    crossing its middle row, as (left, top, width, height), without marks inside another
    mark's box (a zero's dot or slash)."""
    _, ink = cv2.threshold(np.ascontiguousarray(rows), 0, 255,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    middle = rows.shape[0] / 2
    marks = sorted(
        (int(left), int(top), int(width), int(height))
        for left, top, width, height, area in stats[1:]
        if area >= _MIN_GLYPH_AREA and top <= middle <= top + height
    )
    return [mark for mark in marks
            if not any(other != mark and _covered(mark, other) == 1.0 for other in marks)]


def _cut_glyph_left_out(rows: np.ndarray, x0: int, x1: int, *, reach: int) -> int:
    """``x0`` moved right past the rest of a glyph it cuts through, at most ``reach``
    pixels, to the first column of ``rows`` nearly without ink.

    Read glued to the characters before it ("[S/N224843]"), a number's box is the
    word's share for its digits, and that share's start, padded, can cut through the
    character before the first digit: the N's last stroke left in the crop reads as a
    "1" in every pass.  The glued character belongs to what stands before the number.
    (A number read as a word of its own is left alone: a word's box is loose, and its
    start can cut into the first digit itself.)
    """
    inked = _inked_columns(rows)
    if not inked[x0]:
        return x0
    clear = _first_clear_column(inked, x0 + 1, min(x1 - 1, x0 + reach + 1))
    return x0 if clear is None else clear


def _first_clear_column(inked: np.ndarray, start: int, stop: int) -> int | None:
    """The first column from ``start`` up to ``stop`` without a stroke's worth of ink
    (see :func:`_inked_columns`); ``None`` when ink runs on through all of them."""
    return next((column for column in range(start, stop) if not inked[column]), None)


def _inked_columns(rows: np.ndarray) -> np.ndarray:
    """For each column of ``rows``, whether it crosses a stroke's worth of ink."""
    _, ink = cv2.threshold(np.ascontiguousarray(rows), 0, 1,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked: np.ndarray = ink.sum(axis=0) >= _CUT_INK * rows.shape[0]
    return inked


def _whole_glyphs(rows: np.ndarray, x1: int, *, reach: int) -> int:
    """``x1`` moved right past a glyph it cuts through, at most ``reach`` pixels, to the
    first column of ``rows`` nearly without ink.

    The recogniser's word box can end inside a number's last digit (before a barcode,
    say), and the half of an 8 left in the crop reads as a 1 in every pass.  A cut counts
    when the edge column crosses a stroke's worth of ink (the tip of a flag or a speck of
    noise does not), and ink that runs on further than ``reach`` is left out: a frame or
    a barcode, not a glyph.  (The start is never moved left: serial wording often stands
    right before the first digit, and its last letter taken in reads as a digit.)
    """
    inked = _inked_columns(rows)
    if not inked[x1 - 1]:
        return x1
    clear = _first_clear_column(inked, x1, min(inked.size, x1 + reach + 1))
    return x1 if clear is None else clear + 1
