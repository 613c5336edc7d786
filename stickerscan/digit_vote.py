"""Re-read one place on a label crop where a number may stand, digits only, and vote.

The first pass over a whole crop (see :mod:`stickerscan.read`) finds the places; each is
then cut out on its own (see :mod:`stickerscan.number_crop`) from several renderings and
read as a single line with only digits allowed, by Tesseract's small model and, as a
tie-break and a second opinion, its larger one.  The readings vote, and their agreement
sets the confidence: a number the passes disagree on comes out with a low confidence
instead of a confident wrong answer.  A glyph's own shape settles the known slips (a
zero with a mark inside read as a 6, an 8 or a 9; a bold 7 read as a 1); print on a
5 x 7 pin grid is also read from its pins; digits leaning or partly faded are read again
stood upright or with the contrast evened out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import cv2
import numpy as np

from stickerscan.blots import blotted
from stickerscan.enhance import smoothed
from stickerscan.glyphs import (
    closed_ring,
    glyph_height,
    loops_rule_out,
    same_print,
    seven_shaped,
    slashed_ring,
    split_ring,
)
from stickerscan.hidden_part import partly_hidden
from stickerscan.number_crop import MIN_DIGITS, line_glyphs, number_crop
from stickerscan.ocr import OcrEngine, OcrRequest, OcrText
from stickerscan.ocr.engine import Method
from stickerscan.pin_grid import read_pin_grid
from stickerscan.slant import lean_of

_DIGITS = "0123456789"
# A digits-only read of one rendering of a label, with one of the engine's models.
_DigitPass = tuple[np.ndarray, Method]
# A number read at least this surely needs no second opinion.
_SURE = 0.9
# An earlier reading differing in at most this many digits read the same number.
_SAME_NUMBER_SLIPS = 2
# The agreement factors below scale a number's confidence by how its passes voted;
# only full or near-full agreement can reach the default reporting threshold of 0.8.
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
# A number whose glyph's shape says a digit is misread (a 6, a 9 or an 8 of a zero's shape
# the larger model did not read as a zero, a 1 of a 7's shape, a digit whose loops rule
# it out), or with a digit blotted, partly hidden or cut by the photo's edge, is at most
# this sure: a guess.
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
    blotted: bool = False
    """True when a glyph of the number holds a blot, ink far thicker than its print's
    strokes (glare, a thumb or dirt over a digit; see :mod:`stickerscan.blots`): the
    number is then a guess however surely it was read."""
    partly_hidden: bool = False
    """True when a digit of the number is partly hidden: the ink in its place spans only
    part of the line's height, or a patch wider than a digit stands over the line (tape,
    a cable, glare; see :mod:`stickerscan.hidden_part`): the number is then a guess
    however surely it was read."""
    at_frame: bool = False
    """True when the number comes within its height of the photo's own edge: the edge may
    have cut a digit, and what is left of one reads as another digit (a 0 cut in half as
    a 1).  The number is then a guess."""
    under_glare: bool = False
    """True when the photo shows glare over the number's digits (see
    :func:`stickerscan.enhance._highlight`): it fades the print it falls on, and what is
    left of a digit reads as another (a 9 as a 0).  The number is then a guess."""
    loop_misreads: tuple[int, ...] = ()
    """Where a digit's glyph holds loops its reading rules out: a 1, a 5 or a 7 with a
    loop in its upper part (a 9's, an 8's or a 0's), or a 2 or a 3 with an 8's two loops
    (see :func:`~stickerscan.glyphs.loops_rule_out`); blur or a coarse photo leaves such
    digits readable as the other alike in every pass.  The number is then a guess."""
    alike_read_otherwise: tuple[tuple[int, int], ...] = ()
    """Pairs of places whose glyphs are printed alike (see
    :func:`~stickerscan.glyphs.same_print`) but were read as different digits: one
    printer prints one character alike every time, so one of the two is misread (a 0
    read as a 9 beside the number's other 0: 207961 for 207061).  The number is then a
    guess."""
    digit_crop: np.ndarray | None = field(default=None, compare=False, repr=False)
    """The number's digit crop as photographed (the first rendering read); where the
    number ends a guess, its blur is measured for the advice (see
    :func:`stickerscan.validate.with_blur_advice`).  ``None`` when none was cut."""
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
            "blotted": self.blotted,
            "partly_hidden": self.partly_hidden,
            "at_frame": self.at_frame,
            "under_glare": self.under_glare,
            "loop_misreads": list(self.loop_misreads),
            "alike_read_otherwise": [list(pair) for pair in self.alike_read_otherwise],
            "leading_zero": list(self.leading_zero) if self.leading_zero else None,
        }


@dataclass(frozen=True, slots=True)
class NumberPlace:
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
    stood_upright: bool = False  # its digits are read sheared upright (see confirm_leaning)
    dots_merged: bool = False  # found, and its digits read, with the print's dots run together
    glued: bool = False  # the first pass read other characters in one word with the digits
    # The first pass read a digit right after the run, apart from it ("03297' 9").
    digit_read_apart: bool = False
    starts_line: bool = False  # nothing the first pass read stands before it on its line
    # It comes within its height of the photo's own edge: a digit there may be part of one.
    at_frame: bool = False
    under_glare: bool = False  # the photo shows glare over its digits


def digit_passes(engine: OcrEngine, grey: np.ndarray,
                 binary: np.ndarray) -> tuple[_DigitPass, ...]:
    """The renderings of a label crop (``grey`` and ``binary``), each with the model it is
    read with, that every place on it is read digits-only from (see
    :func:`confirm_leaning`).  The tie-break is the larger model's reading of the grey
    rendering where there is one (its slips are mostly not the small model's), else
    another rendering."""
    tie_break: _DigitPass = ((grey, "lstm-large") if engine.has_large_model
                             else (_sharpened(grey), "lstm"))
    return (grey, "lstm"), (binary, "lstm"), tie_break


def faded_digits_read_evened(
    engine: OcrEngine, grey: np.ndarray, places: list[NumberPlace],
    numbers: list[NumberReading], text_height: int, seen: list[np.ndarray],
    earlier_digits: tuple[str, ...],
) -> list[NumberReading]:
    """``numbers``, read at ``places`` on ``grey``, each one worth it (see
    :func:`_worth_evening`) whose digits are partly faded (see :func:`_partly_faded`)
    read again from renderings with the contrast evened out (see
    :func:`_evened_confirmation`)."""
    faded = [_worth_evening(number) and _partly_faded(grey, place, text_height)
             for place, number in zip(places, numbers, strict=True)]
    if not any(faded):
        return numbers
    evened = _evened(grey, text_height)
    evened_passes: tuple[_DigitPass, ...] = (
        (evened, "lstm"), (_sharpened(evened), "lstm"),
        (evened, "lstm-large") if engine.has_large_model else (grey, "lstm"))
    return [
        _evened_confirmation(engine, place, number, evened_passes, text_height,
                             seen, earlier_digits) if fade else number
        for place, number, fade in zip(places, numbers, faded, strict=True)
    ]


def _worth_evening(number: NumberReading) -> bool:
    """Whether ``number`` is read again with its print's contrast evened out: an unsure
    number the passes read differently, one of them with a serial's length of digits or
    more.  When every pass read the same digits, the doubt is in a glyph the recogniser
    reads the same way however the crop is rendered: evened, it reads it so again, and
    that is no confirmation (a serif 1 on brushed metal read as a 2 by every pass came
    out a false read so)."""
    return number.confidence < _REPORTABLE and bool(number.alternatives) and any(
        len(text) >= _EVENED_DIGITS for text in (number.text, *number.alternatives))


def _partly_faded(grey: np.ndarray, target: NumberPlace, text_height: int) -> bool:
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
                 for left, top, width, height in line_glyphs(_evened(digits, text_height))
                 for box in (digits[top:top + height, left:left + width],)]
    if len(contrasts) < MIN_DIGITS or max(contrasts) <= 0:
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
    engine: OcrEngine, target: NumberPlace, number: NumberReading,
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


def confirm_leaning(
    engine: OcrEngine,
    target: NumberPlace,
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
    if number.confidence >= _SURE and len(number.text) >= MIN_DIGITS:
        return number
    digits = _target_crop(passes[0][0], target, text_height)
    if digits is None or lean_of(digits) == 0.0:
        return number
    upright = _confirm(engine, replace(target, stood_upright=True), passes, text_height, seen,
                       earlier_digits)
    if len(upright.text) < MIN_DIGITS:
        return number
    # Sheared, a glyph at the crop's end can fall out of it; a reading with fewer digits
    # than the unsheared one's lost a digit, however sure it is of the rest.
    if len(number.text) < MIN_DIGITS or (upright.confidence > number.confidence
                                          and len(upright.text) >= len(number.text)):
        return upright
    return number


def _confirm(
    engine: OcrEngine,
    target: NumberPlace,
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
    # The crop of the print as photographed (the first rendering), judged for a digit
    # partly hidden.
    photographed: np.ndarray | None = None
    for rendering, method in passes:
        if len(digit_reads) == 2 and digit_reads[0][0] == digit_reads[1][0]:
            break
        read = _read_digits(engine, rendering, target, text_height, seen, method)
        if read is None:
            break
        crop, text = read
        if photographed is None:
            photographed = crop
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
    # Each shape check below judges the whole glyphs, measured once for all of them.
    whole_glyphs = [] if target.dots_merged else _as_whole_glyphs(glyphs)
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
        with_zero = _with_digit(winner, zero_shaped, "0")
        alternatives = tuple(sorted({*alternatives, with_zero}))
        # A larger model that read another digit elsewhere in the number doubts more than
        # the zero: the zero alone cannot make it a reading.  Nor can a zero that leaves a
        # glyph printed as the first read as another digit (096318 for 096310, the last
        # zero read as an 8 and not shaped as a zero): one printer prints one character
        # alike, so either that glyph is a zero too, or the first is no zero.  Nor can a
        # zero the larger model read as a digit a marked zero is not misread as (a 2).
        if (zero_shaped == {0} and not _differs_elsewhere(second_opinion, winner, zero_shaped)
                and not _read_as_no_zero(second_opinion, winner, zero_shaped)
                and not _alike_read_otherwise(whole_glyphs, with_zero)):
            leading_zero = (with_zero, _sure_with_zeros(agreeing, len(winner), contested,
                                                        zero_shaped, agreement))
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
    elif second_opinion and confidence >= _REPORTABLE and misread_of(second_opinion, winner):
        # The small model can misread a glyph the same way in every rendering (a 1 with
        # a flag read as 2, three times over); the larger model rarely shares the slip.
        # A number sure enough to report is put in doubt, not only one sure enough to
        # stop the search: two passes of three read 244879 at 0.82 where the larger
        # model read the 144879 printed.
        confidence *= _CONTESTED
    sevens = set() if target.dots_merged else set(
        _misread_places(whole_glyphs, _one_shaped_as_seven))
    if sevens:
        # Both models read a bold 7 whose stem stands upright as a 1, alike in every
        # rendering; a glyph read as a 1 that has a 7's shape makes the number a guess.
        alternatives = tuple(sorted({*alternatives, _with_digit(winner, sevens, "7")}))
        confidence = min(confidence, _SHAPE_DISSENTS)
    loop_misreads = () if target.dots_merged else _misread_places(whole_glyphs, loops_rule_out)
    alike_read_otherwise = _alike_read_otherwise(whole_glyphs, winner)
    if loop_misreads or alike_read_otherwise:
        confidence = min(confidence, _SHAPE_DISSENTS)
    pins = read_pin_grid(passes[0][0], target.box)
    if target.dots_merged and pins is not None and not (
        pins.text in (digits for digits, _ in readings)
        and second_opinion in (None, pins.text)
    ):
        # Found only in a blur, the place may be texture the pin fit makes digits of:
        # there the pins count only as another reading of what Tesseract read.
        pins = None
    if pins is not None and len(pins.text) >= MIN_DIGITS and pins.text != winner:
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
        # The pins tell a marked zero from a 6 themselves (their designs have both), and
        # a 5 from a 9: dots make no loops, and each glyph is read from its own dots.
        leading_zero, loop_misreads, alike_read_otherwise = None, (), ()
    covered = blotted(passes[0][0], target.box)
    # Print read from its pins, or found only in a blur, is dots: a faint dot falls out of
    # the crop's ink and leaves a place short of the line without anything over it.
    part_hidden = (pins is None and not target.dots_merged and photographed is not None
                   and partly_hidden(photographed, len(winner)))
    if covered or part_hidden or target.at_frame or target.under_glare:
        confidence = min(confidence, _SHAPE_DISSENTS)
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
        blotted=covered,
        partly_hidden=part_hidden,
        at_frame=target.at_frame,
        under_glare=target.under_glare,
        loop_misreads=loop_misreads,
        alike_read_otherwise=alike_read_otherwise,
        leading_zero=leading_zero,
        digit_crop=photographed,
    )


def _fragment_of(part: str, digits: str) -> bool:
    """Whether ``part`` is nothing or a few of ``digits``' glyphs in a row, too few to be
    a number of its own (a pass that lost most of the line)."""
    return len(part) < MIN_DIGITS and part in digits


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
    target: NumberPlace,
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
    target: NumberPlace,
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
    return crop, engine.read(crop, OcrRequest(layout="line", charset=_DIGITS, method=method))


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


def _misread_places(
    whole_glyphs: list[tuple[str, np.ndarray]], rules_out: Callable[[str, np.ndarray], bool]
) -> tuple[int, ...]:
    """Where the small model read a character in a glyph of ``whole_glyphs`` (see
    :func:`_as_whole_glyphs`) whose shape ``rules_out`` that reading."""
    return tuple(index for index, (character, glyph) in enumerate(whole_glyphs)
                 if rules_out(character, glyph))


def _alike_read_otherwise(
    whole_glyphs: list[tuple[str, np.ndarray]], digits: str
) -> tuple[tuple[int, int], ...]:
    """The pairs of places of ``whole_glyphs`` (see :func:`_as_whole_glyphs`) printed
    alike (see :func:`~stickerscan.glyphs.same_print`) that ``digits``, the number's
    final reading, gives different digits."""
    if len(whole_glyphs) != len(digits):
        return ()
    whole = [index for index, (character, _) in enumerate(whole_glyphs) if character != _PART]
    return tuple(
        (first, second) for first, second in combinations(whole, 2)
        if digits[first] != digits[second]
        and same_print(whole_glyphs[first][1], whole_glyphs[second][1]))


def _one_shaped_as_seven(character: str, glyph: np.ndarray) -> bool:
    """Whether a glyph read as ``character`` is a 1 with a 7's shape (see
    :func:`~stickerscan.glyphs.seven_shaped`)."""
    return character == "1" and seven_shaped(glyph)


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


def _read_as_no_zero(other: str | None, digits: str, places: set[int]) -> bool:
    """Whether ``other``, a number as long as ``digits``, reads at one of ``places`` a digit
    that is neither a 0 nor one a marked zero is misread as (see :data:`ZERO_SLIP_DIGITS`)."""
    return (other is not None and len(other) == len(digits)
            and any(other[place] not in "0" + ZERO_SLIP_DIGITS for place in places))


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
    image: np.ndarray, target: NumberPlace, text_height: int, *,
    stood_upright: bool = False, dots_merged: bool = False,
) -> np.ndarray | None:
    """``target``'s digit crop from ``image`` (see :func:`number_crop`), cut as the first
    pass read the place: its box, how many digits, and what stood beside them."""
    return number_crop(image, target.box, text_height, characters=len(target.digits),
                        stood_upright=stood_upright, dots_merged=dots_merged,
                        glued=target.glued, digit_read_apart=target.digit_read_apart,
                        starts_line=target.starts_line)
