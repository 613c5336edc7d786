"""Stage 4: OCR one prepared label crop, several ways, and vote.

A first pass reads the whole crop as sparse text (so the words around a number, such as
"SERIAL NO.", are kept, and a barcode beside them does no harm).  Unless that pass already
shows serial wording before a number, the crop is also read upside down (when a glance at
a smaller copy, turned, finds something there) and the better reading kept.  Then every
place a serial may be is cut out on its own (see :mod:`stickerscan.number_crop`) and
re-read as a single line with only digits allowed, from several renderings: each digit
run the first pass found, and the word after serial wording (or the line below it) even
when the first pass saw no digits there.  The readings vote and their agreement sets the
confidence (see :mod:`stickerscan.digit_vote`): a number the passes disagree on comes
out with a low confidence instead of a confident wrong answer.  A number with no serial
wording before it has the band over it and the band before it read on their own, for
wording the first pass lost.

A crop in which no row of print can be made out by its shapes (see
:func:`stickerscan.print_rows.shows_print`) is not read at all: on a photo with no label
most regions are grain, texture or photo noise, and Tesseract spends longest on those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from stickerscan.digit_vote import (
    NumberPlace,
    NumberReading,
    confirm_leaning,
    digit_passes,
    faded_digits_read_evened,
)
from stickerscan.enhance import CROP_MARGIN, LabelCrop
from stickerscan.number_crop import MIN_DIGITS, dots_run_together, share_covered, small_print
from stickerscan.ocr import OcrEngine, OcrRequest, OcrText, OcrWord
from stickerscan.ocr.engine import Layout, Method
from stickerscan.print_rows import dot_matrix_row_boxes, shows_print
from stickerscan.wording import cut_serial_wording, other_number_name, serial_wording

# Letters Tesseract commonly returns for digits when it reads a number as a word.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1",
                                   "|": "1", "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8",
                                   "G": "6", "b": "6", "g": "9", "q": "9"})
_RUN = re.compile(r"[0-9ODQIl|iZSsBGbgqo]+")
_BRACKET_ONE = re.compile(r"(?<=[0-9]{4})\]$")
_EDGE_PUNCTUATION = ".,:;'\"`-_~!?()[]{}"
_MAX_TARGETS = 3
# A first pass with serial wording before a number read at least this surely is taken to be
# the right way up, and the upside-down reading is skipped.
_UPRIGHT_ENOUGH = 0.75
# Tesseract's word confidence for print it reads cleanly; garbage from turned or blurred
# print rarely reaches it.
_CLEAR_WORD = 0.85
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
# A number this many of its heights or less from the photo's own edge beside it may have
# lost a digit to it, or kept part of one; one touching it above or below (within this
# share of its height), the tops or feet of its digits.
_BESIDE_THE_EDGE = 1.0
_TOUCHING_THE_EDGE = 0.25
# A number has glare over it when the photo's highlight (see LabelCrop.glare) covers at
# least this share of the square of the crop's text height within the number's box:
# a sixth of a digit's place, enough to fade a stroke away.
_GLARE_OVER = 0.1
# A serial of six digits is about this many of its heights long.
_NUMBER_LENGTH = 3.0
# A word box less than this share of the text height tall is not the word's own, unless
# its characters are no wider than it is tall: then it is small print.
_FLAT_BOX = 0.4
# Text height, in pixels, of the smaller rendering a crop is glanced at turned half a
# turn before it is read that way in full (see _turned_pass); the glance is taken only
# at this scale of the crop or smaller (a larger one would save too little).
_GLANCE_TEXT_HEIGHT = 20
_GLANCE_SCALE = 0.6
# A row of dot-matrix print whose area a pass's words cover less than this share of was
# passed over.
_ROW_READ = 0.5


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
    if not shows_print(crop.grey, crop.text_height, characters=MIN_DIGITS):
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
    they read differently stays in doubt here too, and when they found its numbers the
    right way up, a crop of the region's surroundings is not read turned.  ``layout`` is
    Tesseract's layout for the passes over the whole crop (see :func:`_block_pass`).
    """
    earlier_digits = tuple(
        text for reading in earlier for number in reading.numbers
        for text in (number.text, *number.alternatives)
    )
    seen: list[np.ndarray] = []
    upright = _block_pass(engine, crop.grey, seen, layout)
    upright_targets = _targets(upright, label_words, crop.frame_cut)
    best, targets, upside_down = upright, upright_targets, False
    # Serial wording read the right way up settles the orientation on its own (turned
    # text does not read as SERIAL or S/N).
    # So do clear words: turned print does not read as confident words of several letters.
    legible = _legible(upright)
    settled = legible or any(target.labelled for target in upright_targets)
    # A region's surroundings are the same print as the region: when the region's own
    # readings found its numbers the right way up, so are they here.  Their wide crop is
    # the costliest to read turned in full, and is read so whatever a glance shows.
    if (not settled and _orientation_score(upright_targets) < _UPRIGHT_ENOUGH
            and not (crop.region.surroundings and _read_upright_before(earlier))):
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
                                               seen, layout, crop.frame_cut)
        if targets:
            best = merged
    passes = digit_passes(engine, grey, binary)
    placed = [_boxed_text_high(target, crop.text_height) for target in targets[:_MAX_TARGETS]]
    if crop.photo_edge is not None:
        photo_edge = np.rot90(crop.photo_edge, 2) if upside_down else crop.photo_edge
        placed = [replace(target, at_frame=True) if _near_the_edge(target.box, photo_edge)
                  else target for target in placed]
    if crop.glare is not None:
        glare = np.rot90(crop.glare, 2) if upside_down else crop.glare
        placed = [replace(target, under_glare=True)
                  if _glare_over(target.box, glare, crop.text_height)
                  else target for target in placed]
    looked_for = [
        _with_wording_looked_for(engine, grey, target, label_words, seen, crop.text_height)
        for target in placed
    ]
    confirmed = [
        confirm_leaning(engine, target, passes, crop.text_height, seen, earlier_digits)
        for target in looked_for
    ]
    confirmed = faded_digits_read_evened(engine, grey, looked_for, confirmed,
                                         crop.text_height, seen, earlier_digits)
    numbers = [number for number in confirmed if len(number.text) >= MIN_DIGITS]
    numbers.sort(key=lambda number: number.confidence, reverse=True)
    return OcrReading(
        crop=crop,
        upside_down=upside_down,
        text=best.text,
        mean_confidence=best.mean_confidence,
        numbers=tuple(numbers),
        plain_words=legible and not targets,
        wording_runs_off=any(
            target.labelled and _spelled_out(target.before) and len(number.text) < MIN_DIGITS
            and _no_room_for_a_number(target.box, grey.shape[1] - CROP_MARGIN)
            for target, number in zip(looked_for, confirmed, strict=True)
        ),
        seen=tuple(seen),
    )


def _read_upright_before(earlier: tuple[OcrReading, ...]) -> bool:
    """Whether the earlier readings of a place that found numbers (one at least) all found
    them the right way up."""
    found = [reading for reading in earlier if reading.numbers]
    return bool(found) and not any(reading.upside_down for reading in found)


def _turned_pass(
    engine: OcrEngine, crop: LabelCrop, label_words: tuple[str, ...], seen: list[np.ndarray],
    layout: Layout,
) -> tuple[OcrText, list[NumberPlace]]:
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
        if not _targets(glance, label_words, crop.frame_cut):
            return glance, []
    full = _block_pass(engine, turned, seen, layout)
    return full, _targets(full, label_words, crop.frame_cut)


def _dots_merged_targets(
    engine: OcrEngine, grey: np.ndarray, text_height: int, label_words: tuple[str, ...],
    seen: list[np.ndarray], layout: Layout, frame_cut: bool,
) -> tuple[OcrText, list[NumberPlace]]:
    """A glance at ``grey`` with its print's dots run together, and the targets it finds
    (boxes on ``grey``), marked as found so.

    Tesseract reads dot-matrix print poorly: printed about touching, its dots stay apart
    at the crop's scale and its line finding sees specks, not glyphs.  Blurred by half a
    pin pitch the dots merge into strokes, and at the glance's size (see _turned_pass)
    they read as digits and words.  Only a region's first reading that found neither
    numbers nor clear words either way up takes the glance: once per region, as most such
    crops are texture.
    """
    merged = dots_run_together(grey, text_height)
    scale = min(1.0, _GLANCE_TEXT_HEIGHT / text_height)
    if scale < 1.0:
        merged = cv2.resize(merged, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    glance = _block_pass(engine, merged, seen, layout)
    return glance, [
        replace(target, box=_scaled_box(target.box, 1 / scale), dots_merged=True)
        for target in _targets(glance, label_words, frame_cut)
    ]


def _scaled_box(box: tuple[int, int, int, int], factor: float) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return (round(x * factor), round(y * factor), round(w * factor), round(h * factor))


def _boxed_text_high(target: NumberPlace, text_height: int) -> NumberPlace:
    """``target`` with a box of the text's height about its middle when its own is far
    flatter: Tesseract now and then gives a word of clear print a box a pixel or two tall
    (along its baseline or its middle), from which neither its digits nor the wording
    around it could be cut."""
    x, y, w, h = target.box
    if h >= _FLAT_BOX * text_height or small_print(target.box, len(target.digits), text_height):
        return target
    return replace(target, box=(x, round(y + h / 2 - text_height / 2), w, text_height))


def _with_wording_looked_for(
    engine: OcrEngine, grey: np.ndarray, target: NumberPlace, label_words: tuple[str, ...],
    seen: list[np.ndarray], text_height: int,
) -> NumberPlace:
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
    if (target.labelled or len(target.digits) < MIN_DIGITS or not label_words
            or other_number_name(target.before) is not None):
        return target
    x, y, w, h = target.box
    # The header is looked for over the digits' own line: Tesseract can box a number
    # together with a short line of smaller print right over it ("S/N" over the digits).
    _, line_y, _, line_h = _digits_line(grey, target.box)
    height, width = grey.shape[:2]
    # Small print is read enlarged, as its digits are (see number_crop).
    zoom = text_height / h if small_print(target.box, len(target.digits), text_height) else 1.0
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
    for x, y, width, height in dot_matrix_row_boxes(grey, text_height, characters=MIN_DIGITS):
        row = words[y:y + height, x:x + width]
        if row.size and row.mean() < _ROW_READ:
            return True
    return False


def _orientation_score(targets: list[NumberPlace]) -> float:
    """How surely a reading is the right way up: serial wording before a number is the
    strong sign; digits alone are weak (upside-down digits often read as digits)."""
    scores = [t.confidence * (1.0 if t.labelled else 0.6) for t in targets if t.digits]
    scores += [0.5 for t in targets if t.labelled and not t.digits]
    return max(scores, default=0.0)


def _targets(text: OcrText, label_words: tuple[str, ...], frame_cut: bool = False
             ) -> list[NumberPlace]:
    """Digit runs, and the places after serial wording, most promising first
    (``frame_cut``: see :func:`_cut_at_the_edge`)."""
    found: list[NumberPlace] = []
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
                if true_digits < MIN_DIGITS or true_digits < len(raw) - 1:
                    continue
                box = _part_of_box(word, start, match.end())
                before = f"{before_words} {word.text[:start]}".strip()
                labelled = serial_wording(before, label_words) is not None
                wording_cut = not labelled and _cut_at_the_edge(line, before, label_words,
                                                                frame_cut)
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
                found.append(NumberPlace(
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
    unique: dict[tuple[int, int, int, int], NumberPlace] = {}
    for target in found:
        unique.setdefault(target.box, target)
    ranked = sorted(unique.values(),
                    key=lambda t: (t.labelled, len(t.digits) >= MIN_DIGITS, t.confidence),
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


def _cut_at_the_edge(line: tuple[OcrWord, ...], before: str, label_words: tuple[str, ...],
                     frame_cut: bool) -> bool:
    """Whether ``before`` is what is left of serial wording whose start the crop cut off:
    it starts its line, at the crop's edge, and is the end of a label word ("o." of
    "No.").  A cable across a sticker, or a peeled corner, bounds the outline found for
    it inside the print; so does the photo's own edge, which can leave part of a glyph
    (``frame_cut``: the crop kept such glyphs, see :class:`LabelCrop`)."""
    x, _, _, height = line[0].box
    return (x - CROP_MARGIN <= _EDGE_REACH * height
            and cut_serial_wording(before, label_words, first_cut=frame_cut) is not None)


def _near_the_edge(box: tuple[int, int, int, int], photo_edge: np.ndarray) -> bool:
    """Whether a number's ``box`` comes within :data:`_BESIDE_THE_EDGE` of its height of
    the photo's own edge (``photo_edge``: see :class:`LabelCrop`) beside it, or within
    :data:`_TOUCHING_THE_EDGE` of it above or below."""
    x, y, width, height = box
    beside, touching = round(_BESIDE_THE_EDGE * height), round(_TOUCHING_THE_EDGE * height)
    around = photo_edge[max(0, y - touching): y + height + touching,
                        max(0, x - beside): x + width + beside]
    return bool(around.any())


def _glare_over(box: tuple[int, int, int, int], glare: np.ndarray, text_height: int) -> bool:
    """Whether the photo's highlight (``glare``: see :class:`LabelCrop`) covers at least
    :data:`_GLARE_OVER` of the square of the ``text_height`` within a number's ``box``."""
    x, y, width, height = box
    covered = int(np.count_nonzero(glare[y:y + height, x:x + width]))
    return covered >= _GLARE_OVER * text_height ** 2


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
) -> list[NumberPlace]:
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
        is_digits = digits.isdigit() and len(digits) >= MIN_DIGITS
        confidences = candidate.char_confidences[start: start + len(stripped)]
        targets.append(NumberPlace(
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


def _drop_covered(targets: list[NumberPlace]) -> list[NumberPlace]:
    """Keep one target per place: a later one mostly inside an earlier one is dropped."""
    kept: list[NumberPlace] = []
    for target in targets:
        x, y, w, h = target.box
        if all(share_covered((x, y, w, h), other.box) < 0.6 for other in kept):
            kept.append(target)
    return kept
