"""Stage 5: decide which number on a label is the serial, and whether to trust it.

Only a number introduced by serial wording ("SERIAL NO.", "Serial No.", "S/N", "No.") can
be reported as the serial: on a rear panel full of voltages, part numbers and barcodes, a
bare number is a guess, shown as a guess.  A rating ("120V") and a part of a product code
printed under a barcode ("4 959112 674936") are no serial at all.  The number must fit
the instrument model's format exactly (leading zeros kept), and its voted OCR confidence
must reach the threshold; otherwise the answer is "unreadable" with the best guess
beside it.

Serials with letters in them (any product's, ``--model generic`` or ``--pattern``) are
taken from the reader's full text, as the word after the serial wording; digits-only
serials always come from the reader's voted digit passes.  A number that is not the
model's but fits an older Korg scheme or is a software code says so (see
:mod:`stickerscan.other_schemes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from stickerscan.blur import edge_spread
from stickerscan.catalogue import InstrumentModel
from stickerscan.digit_vote import ZERO_SLIP_DIGITS, NumberReading, differing_places, misread_of
from stickerscan.locate import overlapping
from stickerscan.options import ScanOptions
from stickerscan.other_schemes import SchemeMatch, other_schemes
from stickerscan.product_codes import code_holding, product_code_holding, product_codes_in
from stickerscan.read import OcrReading
from stickerscan.wording import (
    cut_serial_wording,
    names_another_number,
    other_number_name,
    other_number_name_printed,
    serial_wording,
)

CheckStatus = Literal["valid", "invalid", "unreadable", "no-serial"]

# After a number, these mean it is a rating, not a serial: "120V", "60Hz", "11W", "0.5A".
_UNIT_AFTER = re.compile(r"^[~\s]*(V|VAC|Hz|HZ|W|VA|A|mA|MA|KG|kg|mm|MM|cm)\b")
_CAP_UNLABELLED = 0.6
"""Confidence ceiling for a number with no serial wording before it: always below the
reporting threshold, so it is shown as a guess, never as the reading."""
_CAP_BEYOND_REPORTED = 0.6
"""Confidence ceiling for a number read off a photo above anything reported for the model
(see ``max_reported`` in its data file): shown as a guess, with the reason."""
_BLURRED = 0.2
"""A number not read surely whose print's edges spread over at least this share of its
digits' height is said to be blurred, with the remedy (see :mod:`stickerscan.blur`).
Blurred so, the print looks soft to a person too: out of focus by a blur of about a
twelfth of the digits' height, or streaked by a fifth."""
_TRIM = ":#.,;=-"
"""Punctuation the OCR leaves stuck to the ends of a serial read as a word ("S/N:AB12.")."""
_END_DIGIT_LEFT_OUT = 3
"""How many readings that saw where a serial's first or last digit stands, each reading
the rest of the serial surely (at :data:`_SURE_READING` or above) and that digit not at
all, put the digit in doubt (see :func:`_end_digit_left_out`); a pass of the serial's own
crop that read it so counts as one.  Of 1,980 serials read right on the benchmark's
photos, four development sets and the degraded photos, none had three such readings (7
had two).  Of the 8 wrong serials read with a thumb over the first or last digit
(``bench/degraded.py --covered``) before such a pass counted, 6 had three or more;
counting it, 136236 read for 036236 has too."""
_SURE_READING = 0.9
"""A reading of a serial without its end digit this sure or surer counts against it."""
_COVERED_CROPS = 2
"""The fewest crops of a number that, found covered (blotted, partly hidden or under
glare) by more than half of its crops, put it in doubt (see
:func:`_covered_in_most_crops`): one crop's finding alone may be its rendering's."""


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
    other_schemes: tuple[SchemeMatch, ...] = ()
    """What the serial looks like instead when it is not the model's (an older Korg
    scheme, a software code); such a serial must not be dated as the model's."""
    reading: OcrReading | None = field(repr=False, compare=False, default=None)
    number: NumberReading | None = field(repr=False, compare=False, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "serial": self.serial,
            "guess": self.guess,
            "confidence": round(self.confidence, 3),
            "label_word": self.label_word,
            "problems": list(self.problems),
            "other_schemes": [match.to_dict() for match in self.other_schemes],
            "number": self.number.to_dict() if self.number else None,
        }


def check_reading(reading: OcrReading, model: InstrumentModel, options: ScanOptions) -> SerialCheck:
    """Pick the serial among the numbers of one label reading and check it."""
    # For an all-digit format a lettered word after the wording is a misread or another
    # code ("No. KLM-1266"), not a guess worth showing.
    lettered = [
        (word, label_word) for word, label_word in _lettered_serials(reading, model.label_words)
        if not model.serial_format.digits_only
        or other_schemes(word, model, label_text=reading.text)
    ]
    # The digit passes also read the digits inside a serial with letters ("3456" of
    # "AB12-3456-CD"); such a fragment is not a serial of its own.
    whole = [word for word, _ in lettered if model.serial_format.fits(word)]
    numbers = [number for number in reading.numbers
               if not any(number.text in word for word in whole)]
    checks = [_check_number(number, model, options, reading) for number in numbers]
    checks += [_check_word(word, label_word, model, options, reading)
               for word, label_word in lettered]
    if not checks:
        return SerialCheck(
            status="no-serial", serial=None, guess=None, confidence=0.0, label_word=None,
            problems=("no number on this label",), reading=reading,
        )
    return preferred(checks, model)


_STATUS_ORDER = {"valid": 3, "invalid": 2, "unreadable": 1, "no-serial": 0}


def preferred(checks: Sequence[SerialCheck], model: InstrumentModel) -> SerialCheck:
    """The check to report of several (not empty): a valid serial before an invalid one
    before an unreadable one; among unreadable ones a sighting (see :func:`sighted`)
    before a number that is neither, so that a sure part number beside the label does not
    hide a serial read unsurely after its wording; among sightings, a number with the
    shape of the model's serials before one without (a digit lost at another size is
    often read surely: "98397" beside "098397"); then the surest.  A number that a crop
    of its place read as part of a product code is no serial (see
    :func:`_product_code_parts_dropped`)."""
    return max(_product_code_parts_dropped(checks), key=lambda check: (
        _STATUS_ORDER[check.status], sighted(check, model), serial_shaped(check, model),
        check.confidence))


def sighted(check: SerialCheck, model: InstrumentModel) -> bool:
    """Whether an unreadable check is still a sighting of a serial label: its number came
    after serial wording, or has the shape of the model's serials."""
    return check.label_word is not None or serial_shaped(check, model)


def serial_shaped(check: SerialCheck, model: InstrumentModel) -> bool:
    """Whether the check's guess has the shape of the model's serials."""
    return check.guess is not None and model.serial_format.fits(check.guess)


def corroborated(
    readings: Sequence[OcrReading], model: InstrumentModel, options: ScanOptions
) -> SerialCheck | None:
    """A serial that no single crop read both surely and after its wording, but that
    several crops read alike: one read serial wording before it, one (maybe another) read
    its digits surely, and no crop read those digits any other way.

    A bare number is often read best from a tight crop of the number alone, and its
    "SERIAL NO." from a wider crop where the number itself blurs a little; together they
    make the reading the one crop could not.  Any crop reading a digit differently, or
    losing or adding one, leaves the number unreadable; so does a crop of its place
    reading it as part of a product code (see :mod:`stickerscan.product_codes`), and a
    crop reading another kind of number's name before it: a crop that cut "Ref." off a
    watermark's "Ref. No. 093033" reads wording, another reads the digits surely, and
    the number is a shop's.

    All but one way: a zero read as a 6, a 9 or an 8 (the small model's slip on a zero
    with a dot or a slash inside) by crops that were unsure, when a crop of the same
    place read the zero surely, every one of its passes and its larger model alike (its
    dot-matrix pins, or a view where the mark did not mislead).  Such a crop's wording
    stands before the number all the same: the slip is in a glyph, not in where the
    number is.
    """
    sightings = [(reading, number) for reading in readings for number in reading.numbers]
    codes = _product_codes_by_place(readings)
    for text in sorted({number.text for _, number in sightings}):
        if not model.serial_format.fits(text):
            continue
        same = [(reading, number) for reading, number in sightings if number.text == text]
        slips = [(reading, number) for reading, number in sightings
                 if _zero_slip_of(number.text, text)]
        places = {reading.crop.rank for reading, _ in same}
        if code_holding(text, (code for place in places
                               for code in codes.get(place, ()))) is not None:
            continue
        here = [*same, *((reading, number) for reading, number in slips
                         if reading.crop.rank in places)]
        labelled = [
            (reading, number) for reading, number in here
            if serial_wording(number.before, model.label_words) is not None
        ]
        surest = max(number.confidence for _, number in same)
        crops = len({id(reading) for reading, _ in here})
        if (crops < 2 or not labelled or surest < options.min_confidence
                or any(other_number_name(number.before) is not None for _, number in same)
                or any(number.confidence >= options.min_confidence for _, number in slips)
                or _read_differently(text, sightings)
                or (_zero_slips_seen(text, sightings)
                    and not _zeros_read_as_zeros(text, same, options))):
            continue
        reading, number = max(labelled, key=lambda pair: pair[1].confidence)
        check = _check_number(replace(number, text=text, confidence=surest), model, options,
                              reading)
        if check.status in {"valid", "invalid"}:
            note = f"read alike in {crops} crops: the wording in one, the digits surely in another"
            if slips:
                misread = ", ".join(sorted({number.text for _, number in slips}))
                note += f" ({misread}, read unsurely elsewhere: a zero read as a 6, a 9 or an 8)"
            return replace(check, problems=(*check.problems, note))
    return None


def _product_code_parts_dropped(checks: Sequence[SerialCheck]) -> list[SerialCheck]:
    """``checks``, each whose number is part of a product code read in full by any crop of
    its place made a no-serial check.  A crop that cut a code's first digits off (the
    crop's edge, a gap taken for the end of a block) leaves a six-digit group alone on its
    line; another crop of the place reads the whole code."""
    codes = _product_codes_by_place(
        [check.reading for check in checks if check.reading is not None])
    return [_as_product_code_part(check, code) if (
        code := _product_code_holding_read(check, codes)) is not None else check
        for check in checks]


def _product_codes_by_place(readings: Iterable[OcrReading]) -> dict[int, set[str]]:
    """The product codes ``readings`` read in full, by the rank of the place they read."""
    codes: dict[int, set[str]] = {}
    for reading in readings:
        lines = [*reading.text.splitlines(), *(number.line_text for number in reading.numbers)]
        codes.setdefault(reading.crop.rank, set()).update(
            code for line in lines for code in product_codes_in(line))
    return codes


def _product_code_holding_read(check: SerialCheck, codes: dict[int, set[str]]) -> str | None:
    number = check.serial or check.guess
    if check.reading is None or number is None:
        return None
    return code_holding(number, sorted(codes.get(check.reading.crop.rank, ())))


def _as_product_code_part(check: SerialCheck, code: str) -> SerialCheck:
    return replace(
        check, status="no-serial", serial=None, guess=None, confidence=0.0, label_word=None,
        other_schemes=(),
        problems=(f"{check.serial or check.guess} is part of the product code {code} (EAN "
                  "or UPC, as printed under a barcode), read whole in a crop of its place",),
    )


def doubted_by_other_crops(
    check: SerialCheck, readings: Sequence[OcrReading], model: InstrumentModel,
    options: ScanOptions,
) -> SerialCheck:
    """``check`` made unreadable, its number kept as a guess, when a crop read that number
    surely (at ``options.min_confidence`` or above) with a digit lost or added, and that
    reading is a serial of the model's format too.

    Tesseract drops or adds a digit at a number's ends (a faint leading 1, a rivet beside
    the last digit), and when both readings are sure and either could be a serial, which
    one is whole cannot be told from either.  Where the format fixes the length (six
    digits for the M1 family) a reading one digit short or long cannot be the serial:
    for the checked number to be wrong as well, it would have to have lost a digit and
    gained another in the same read.  An unsure reading with a digit missing is the
    common slip and no doubt.

    It is made unreadable too when another crop of the same place read another serial
    after the wording (see :func:`_another_serial_at_its_place`), or the same number after
    another kind of number's name (see :func:`_another_numbers_name_before`), when a
    crop of another region over the same sticker, or of the same place in the photo
    turned the other way, read a number one digit apart (see
    :func:`_near_twin_in_another_view`), when most crops of its place found a digit of
    the number blotted or partly hidden (see :func:`_covered_in_most_crops`), when three or
    more other readings of its whole
    line read it surely without its first or last digit (see
    :func:`_end_digit_left_out`), and when
    its own passes split and another crop read a number a digit or two apart in every
    pass (see :func:`_read_otherwise_by_every_pass`).
    """
    serial = check.serial
    if check.status != "valid" or serial is None:
        return check
    if any(len(number.text) != len(serial) and misread_of(number.text, serial)
           and number.confidence >= options.min_confidence
           and model.serial_format.fits(number.text)
           for reading in readings for number in reading.numbers):
        doubt = "another crop read this number with a digit lost or added"
    elif (rival := _another_serial_at_its_place(check, readings, model)) is not None:
        doubt = f"another crop of this label read {rival} after the serial wording"
    elif (name := _another_numbers_name_before(check, readings)) is not None:
        doubt = f"another crop of this label read this number after {name}: another kind of number"
    elif (twin := _near_twin_in_another_view(check, readings)) is not None:
        doubt = f"another view of this label read {twin}, one digit apart"
    elif (covering := _covered_in_most_crops(check, readings)) is not None:
        doubt = f"{covering}: whatever is read there is a guess"
    elif (left_out := _end_digit_left_out(check, readings, model)) is not None:
        shorter, end = left_out
        doubt = (f"{_END_DIGIT_LEFT_OUT} or more other readings of this label read "
                 f"{shorter}, without its {end} digit: something may hide that digit")
    else:
        contradiction = _read_otherwise_by_every_pass(check, readings)
        if contradiction is None:
            return check
        doubt = (f"another crop read {contradiction} in every pass, where this one's passes "
                 "did not all agree")
    return replace(check, status="unreadable", serial=None, guess=serial,
                   problems=(*check.problems, doubt))


def _end_digit_left_out(
    check: SerialCheck, readings: Sequence[OcrReading], model: InstrumentModel
) -> tuple[str, Literal["first", "last"]] | None:
    """``check``'s serial without its first or its last digit, and which, when at least
    :data:`_END_DIGIT_LEFT_OUT` other readings of the number's whole line read it so,
    each surely (a pass of the check's own crop that read it so counting as one).

    The rule above leaves a reading a digit short alone when it cannot be a serial (too
    short for the model's format): a faint end digit is often lost.  But a digit mostly
    hidden, under a thumb, is lost by nearly every reading, while one crop reads the
    sliver left of it as some digit (a thumb over the 2 of 223410 leaves a sliver read as
    a 1): the serial it gives is whole in length and wrong.

    Only readings likely to have taken in the number's line whole count: a crop of a
    region's surroundings (widened along the line), or one that read serial wording
    right before the number.  A region found as a block of its own can begin inside the
    number, its wording and first digit left out: it reads the number a digit short with
    nothing hiding that digit, and its surroundings read it whole.  Wording shows that a
    crop began before the first digit, not where it ended: a region can also end inside
    the number after its wording.  So for the last digit at least one of the readings
    must be of surroundings, which reach past the number's end.
    """
    serial = check.serial
    if serial is None or len(serial) < 2:
        return None
    first, last = serial[1:], serial[:-1]
    # The check's own passes split, one reading the number without that digit: one more
    # reading of it so (a sliver left of a hidden digit is read as a 1 by some passes).
    own = check.number.alternatives if check.number is not None else ()
    counts = {first: int(first in own), last: int(last in own)}
    seen_past_the_end = False  # by a reading of the surroundings without the last digit
    for reading in readings:
        for number in reading.numbers:
            if (number is check.number or number.text not in counts
                    or number.confidence < _SURE_READING):
                continue
            around = reading.crop.region.surroundings
            if around or serial_wording(number.before, model.label_words) is not None:
                counts[number.text] += 1
                if around and number.text == last:
                    seen_past_the_end = True
    if counts[first] >= _END_DIGIT_LEFT_OUT:
        return first, "first"
    if counts[last] >= _END_DIGIT_LEFT_OUT and seen_past_the_end:
        return last, "last"
    return None


def _covered_in_most_crops(
    check: SerialCheck, readings: Sequence[OcrReading]
) -> str | None:
    """In how many crops of ``check``'s number, and what, was found over one of its digits
    (a blot, part of a digit hidden, or glare), when that is more than half of the crops
    of its place (the same rank, in the photo as taken or turned, or a region lying over
    it) that read it or a misreading of it, and at least two; else ``None``.

    Whether a covering is found depends on the crop: a wider one, or the photo turned
    half a turn, cuts and renders the glyphs otherwise, and one rendering can show a
    clean shape where glare or tape left only part of a digit (glare over the 5 of 058814
    read as a sure 8).  What most crops find is on the sticker; what one crop of several
    finds may be its own rendering's (a stroke thinned below the threshold).
    """
    serial, own = check.serial, check.reading
    if serial is None or own is None:
        return None
    sightings = [number for reading in readings if _at_its_place(reading, own)
                 for number in reading.numbers
                 if number.text == serial or misread_of(number.text, serial)]
    blotted = sum(number.blotted for number in sightings)
    hidden = sum(number.partly_hidden and not number.blotted for number in sightings)
    glared = sum(number.under_glare and not (number.blotted or number.partly_hidden)
                 for number in sightings)
    covered = blotted + hidden + glared
    if covered < _COVERED_CROPS or 2 * covered <= len(sightings):
        return None
    # What most of them found is named; a tie goes to the first.
    _, found = max((blotted, "a blot over a digit (glare, a thumb, dirt)"),
                   (hidden, "part of a digit hidden (tape, a cable, glare)"),
                   (glared, "glare over its digits"), key=lambda kind: kind[0])
    return f"{covered} of {len(sightings)} crops of this number found {found}"


def _another_serial_at_its_place(
    check: SerialCheck, readings: Sequence[OcrReading], model: InstrumentModel
) -> str | None:
    """A serial of the model's digits-only format, as long as ``check``'s and more than a
    slip or two from it, that a crop of the same region (or of its surroundings: the same
    rank) read after serial wording, two of its passes alike.

    A label has one serial: two read at one place after its wording mean one crop
    misread it wholesale (a font whose 6 and 9 pass for marked zeros turned "060999"
    into "000000"), and which one cannot be told.  A number only one pass read is no
    rival: a blurred crop's passes read the digits shifted or garbled, each its own way.
    Nor is the serial moved one place ("010247" for 102470: the crop took in the o of
    "No." and lost the last digit) read less surely than the serial: for the serial to be
    the wrong one, its own surer read would have gained a digit at one end and lost one
    at the other too.
    """
    serial, place = check.serial, check.reading.crop.rank if check.reading else None
    # A serial with letters is read as a word; the digit runs read in it are its parts.
    if serial is None or place is None or not model.serial_format.digits_only:
        return None
    for reading in readings:
        if reading.crop.rank != place:
            continue
        for number in reading.numbers:
            if (number.text != serial and len(number.text) == len(serial)
                    and number.votes >= 2 and not misread_of(number.text, serial)
                    and not (_moved_one_place(number.text, serial)
                             and number.confidence < check.confidence)
                    and model.serial_format.fits(number.text)
                    and serial_wording(number.before, model.label_words) is not None):
                return number.text
    return None


def _moved_one_place(text: str, serial: str) -> bool:
    """Whether ``text`` is ``serial`` with a digit gained at one end and one lost at the
    other."""
    return text[1:] == serial[:-1] or text[:-1] == serial[1:]


def _another_numbers_name_before(
    check: SerialCheck, readings: Sequence[OcrReading]
) -> str | None:
    """The name of another kind of number ("LOT", "PART NO."; see
    :func:`~stickerscan.wording.other_number_name`) that a crop of the check's place (its
    region, that region's surroundings, or another region lying over it: see
    :func:`_at_its_place`) read right before its serial.

    A sticker with a part and a lot number on it reads as "T NO. 115670" where the OCR
    cuts "PART" short or takes the "NO." of the line above for the lot number's wording;
    a crop that read the number's own name says what kind of number it is.  So does a
    crop of another region over the same print: a region that begins inside a
    watermark's "Ref. No. 184457" reads "ef. No." before the number, one over the
    whole line reads "Ref.".  A name read all in small letters is not one (see
    :func:`~stickerscan.wording.other_number_name_printed`): a crop that read "Serial No."
    as "ean No." does not hold a foil sticker's serial back as a barcode's EAN.
    """
    serial, own = check.serial, check.reading
    if serial is None or own is None:
        return None
    return next((name for reading in readings if _at_its_place(reading, own)
                 for number in reading.numbers if number.text == serial
                 if (name := other_number_name_printed(number.before)) is not None), None)


def _near_twin_in_another_view(
    check: SerialCheck, readings: Sequence[OcrReading]
) -> str | None:
    """A number as long as the serial with exactly one digit otherwise, two passes alike,
    read by a crop of another region lying over the serial's (another rank: the
    sticker's outline against one line of its print), or by a crop of the same place
    cut from the photo the other way up (see :attr:`OcrReading.photo_turned`); else
    ``None``.

    A crop of the same place read in the same photo is read knowing how the place read
    before, digit by digit (see :func:`~stickerscan.read.read_print`), so its dissent is
    weighed there; the photo turned half a turn is read afresh, so its dissent is
    weighed here.

    Two views of one sticker are two looks at the same glyphs, rendered differently: a
    glyph half hidden by grain or glare reads as a 0 in one and a 9 in the other, each
    view's passes agreeing among themselves, and which view is right cannot be told.
    A 6, 9 or 8 read where the serial has a 0 is the small model's known slip on a
    marked zero (weighed where the number was read), no such doubt; a 0 read where the
    serial has a 6, 9 or 8 is: grain over a 0 can close it into any of them.  Nor is a
    view whose larger model read the serial.
    """
    serial, own = check.serial, check.reading
    if serial is None or own is None:
        return None
    for reading in readings:
        if not _another_view(reading, own):
            continue
        for number in reading.numbers:
            if (len(number.text) == len(serial) and number.votes >= 2
                    and len(differing_places(serial, number.text)) == 1
                    and not _zero_slip_of(number.text, serial)
                    and number.second_opinion != serial):
                return number.text
    return None


def _another_view(reading: OcrReading, own: OcrReading) -> bool:
    """Whether ``reading`` looked at ``own``'s glyphs afresh: a crop of the same place
    from the other photo (as taken, or turned half a turn), or of another region lying
    over it."""
    return _at_its_place(reading, own) and (reading.crop.rank != own.crop.rank
                                            or reading.photo_turned != own.photo_turned)


def _at_its_place(reading: OcrReading, own: OcrReading) -> bool:
    """Whether ``reading`` is a crop of ``own``'s place: of the same region (the same
    rank: the region or its surroundings, in the photo as taken or turned), or of
    another region lying over it."""
    return (reading.crop.rank == own.crop.rank
            or overlapping(reading.crop.region, own.crop.region))


def _read_otherwise_by_every_pass(
    check: SerialCheck, readings: Sequence[OcrReading]
) -> str | None:
    """A number of the serial's length that every pass of another crop read alike, a
    digit or two apart from the serial, when the serial's own passes did not all agree and
    that crop's larger model did not read the serial either; else ``None``.

    One view of a blurred glyph can lead every pass astray, and the larger model with
    them; a second view that reads it otherwise in every pass is evidence the first
    view's dissenting pass was right.  A 6, 9 or 8 read where the serial has a 0 is the
    small model's known slip on a marked zero (weighed where the number was read), no
    such evidence.
    """
    serial, own = check.serial, check.number
    if serial is None or own is None or own.votes >= own.passes:
        return None
    for reading in readings:
        for number in reading.numbers:
            other = number.text
            if (number is own or len(other) != len(serial) or not misread_of(other, serial)
                    or number.votes < max(2, number.passes)
                    or number.second_opinion == serial):
                continue
            if not _zero_slip_of(other, serial):
                return other
    return None


def _read_differently(
    text: str, sightings: Sequence[tuple[OcrReading, NumberReading]]
) -> bool:
    """Whether a crop read ``text`` otherwise: a digit or two read differently, one lost
    or added; a zero read as a 6, a 9 or an 8 excepted (see :func:`corroborated`)."""
    return any(misread_of(other, text) and not _zero_slip_of(other, text)
               for _, number in sightings for other in _ways_read(number))


def _zero_slips_seen(text: str, sightings: Sequence[tuple[OcrReading, NumberReading]]) -> bool:
    """Whether a crop read ``text`` with a zero read as a 6, a 9 or an 8."""
    return any(_zero_slip_of(other, text)
               for _, number in sightings for other in _ways_read(number))


def _zeros_read_as_zeros(
    text: str, same: Sequence[tuple[OcrReading, NumberReading]], options: ScanOptions
) -> bool:
    """Whether a crop read ``text`` surely with its zeros read as zeros by all its passes
    and its larger model: not a 6, a 9 or an 8 that a glyph's shape made a zero of (now
    and then a real 6, 9 or 8, which would make the unsure readings the right ones)."""
    return any(
        number.confidence >= options.min_confidence
        and not any(_zero_slip_of(other, text) for other in _ways_read(number))
        for _, number in same
    )


def _ways_read(number: NumberReading) -> list[str]:
    """Every way one crop read a number: its passes' winner and alternatives, and its
    larger model's digits."""
    return [other for other in (number.text, *number.alternatives, number.second_opinion)
            if other is not None]


def _zero_slip_of(other: str, digits: str) -> bool:
    """Whether ``other`` is ``digits`` with one or more of its zeros read as a 6, a 9 or
    an 8, and nothing else read otherwise: the small model's slip on a marked zero."""
    return len(other) == len(digits) and other != digits and all(
        theirs == mine or (mine == "0" and theirs in ZERO_SLIP_DIGITS)
        for mine, theirs in zip(digits, other, strict=True))


def check_typed_serial(text: str, model: InstrumentModel) -> SerialCheck:
    """Check a serial a person typed (``stickerscan lookup``): format only."""
    serial = text.strip()
    format_problems = _format_problems(serial, model)
    schemes = other_schemes(serial, model)
    problems = format_problems or [match.summary for match in schemes] or _range_notes(
        serial, model
    )
    return SerialCheck(
        status="invalid" if format_problems or schemes else "valid",
        serial=serial,
        guess=None,
        confidence=1.0,
        label_word=None,
        problems=tuple(problems),
        other_schemes=schemes,
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
    name = names_another_number(number.before)
    if name is not None:
        return SerialCheck(
            status="no-serial", serial=None, guess=None, confidence=0.0, label_word=None,
            problems=(f"{number.text} is named as another kind of number ({name})",),
            reading=reading, number=number,
        )
    product_code = product_code_holding(number.text, number.line_text)
    if product_code is not None:
        return SerialCheck(
            status="no-serial", serial=None, guess=None, confidence=0.0, label_word=None,
            problems=(f"{number.text} is part of the product code {product_code} (EAN or UPC, "
                      "as printed under a barcode)",),
            reading=reading, number=number,
        )
    zero_by_range = _leading_zero_by_range(number, model)
    if zero_by_range is not None:
        problems.append(
            f"the first digit, read as {number.text[0]}, has a zero's shape, and only a 0 "
            f"there keeps {number.text} within anything reported for the {model.name}")
        number = zero_by_range
    label_word = serial_wording(number.before, model.label_words)
    confidence = number.confidence
    if label_word is None and number.wording_cut:
        # The reader marked the wording cut only where it judged the start cut off (a cut
        # first letter allowed only where the photo's edge cut print): the word is found
        # again here with the most the reader may have allowed.
        label_word = cut_serial_wording(number.before, model.label_words, first_cut=True)
        if label_word is not None:
            problems.append(f"the start of the serial wording is cut off: {number.before!r} "
                            f"taken as the end of {label_word!r}")
    if label_word is None:
        confidence = min(confidence, _CAP_UNLABELLED)
        problems.append("no serial wording (SERIAL NO., S/N, No.) before the number")
    format_problems = _format_problems(number.text, model)
    # A well-read number that is not the model's but fits an older Korg scheme (or is a
    # software code) is reported as such, never dated as the model's.
    schemes = other_schemes(number.text, model, label_text=reading.text)
    if _zero_slipped(number.text, model):
        # Read off a photo, a number that is the model's serial but for a first digit that
        # a marked zero is misread as is that slip far more often than an older scheme's
        # serial (a 1968 "685674" on an M1's label): judged as the model's, a guess.
        schemes = ()
    beyond = [] if schemes else _range_notes(number.text, model)
    if beyond:
        # Far likelier a misread digit (a slashed zero read as 6 or 9) than a unit made
        # after every other one reported: shown as a guess, never as the reading.
        confidence = min(confidence, _CAP_BEYOND_REPORTED)
        problems += [*beyond, "a number read off a photo beyond that is more likely a "
                     "misread digit than a real unit"]
    problems += [said for found, said in (
        (number.blotted, "a digit has a blot over it (glare, a thumb, dirt): whatever is "
                         "read there is a guess"),
        (number.partly_hidden, "part of a digit is hidden (tape, a cable, glare): whatever "
                               "is read there is a guess"),
        (number.at_frame, "the number runs up to the photo's edge, which may cut a digit: "
                          "photograph or crop the label with a margin round it"),
        (number.under_glare, "glare over the number fades its print, and a faded digit "
                             "reads as another: photograph the label again without the "
                             "reflection"),
    ) if found]
    problems += [f"digit {place + 1}, read as {_a_digit(number.text[place])}, holds a loop no "
                 f"{number.text[place]} has, as an 8, a 9 or a 0 does (blur or a coarse photo "
                 "can leave one readable as the other): whatever is read there is a guess"
                 for place in number.loop_misreads]
    problems += [f"digits {first + 1} and {second + 1} are printed alike but were read as "
                 f"{_a_digit(number.text[first])} and {_a_digit(number.text[second])}: one of "
                 "them is misread, so the number is a guess"
                 for first, second in number.alike_read_otherwise]
    if confidence < options.min_confidence:
        if number.votes < number.passes:
            problems.append(_disagreement(number))
        problems.append(f"confidence {confidence:.2f} is below {options.min_confidence:.2f}")
    # A number of the wrong shape read off a photo is far more often a slip of the OCR (a
    # lost or doubled digit, a crop that cut one off) than a real odd serial: it is shown
    # as a guess.  Only a typed serial is judged invalid (check_typed_serial).
    # Without wording the number stays a guess whatever threshold the caller chose.
    if confidence < options.min_confidence or format_problems or label_word is None:
        return SerialCheck(
            status="unreadable", serial=None, guess=number.text, confidence=confidence,
            label_word=label_word, problems=tuple(problems + format_problems),
            reading=reading, number=number,
        )
    problems += [match.summary for match in schemes]
    return SerialCheck(
        status="invalid" if schemes else "valid",
        serial=number.text,
        guess=None,
        confidence=confidence,
        label_word=label_word,
        problems=tuple(problems),
        other_schemes=schemes,
        reading=reading,
        number=number,
    )


def with_blur_advice(check: SerialCheck) -> SerialCheck:
    """``check`` with the remedy added to its problems when it is a guess whose print is
    blurred (see :data:`_BLURRED`); else ``check`` as it is.  Measured only for the answer
    given, not for every number a photo's crops read: the measure is advice, never
    evidence (see :mod:`stickerscan.blur`)."""
    number = check.number
    if check.status != "unreadable" or number is None or number.digit_crop is None:
        return check
    spread = edge_spread(number.digit_crop)
    if spread is None or spread < _BLURRED:
        return check
    return replace(check, problems=(
        *check.problems,
        f"the print is blurred (its edges spread over {spread:.0%} of a digit's height: out "
        "of focus, or the camera moved): hold the camera still, let it focus on the label "
        "and photograph it again"))


def _a_digit(digit: str) -> str:
    """``digit`` with its article, as the problems name it: "a 5", "an 8"."""
    return f"an {digit}" if digit == "8" else f"a {digit}"


def _disagreement(number: NumberReading) -> str:
    """What the OCR passes that did not read ``number`` read instead, for a person: only
    numbers read are kept as alternatives, so with none a pass read no digits at all."""
    if not number.alternatives:
        return f"an OCR pass read no digits where the others read {number.text}"
    return f"the OCR passes disagree ({', '.join((number.text, *number.alternatives))})"


def _lettered_serials(reading: OcrReading, label_words: tuple[str, ...]) -> list[tuple[str, str]]:
    """(word, serial wording) for each word with a letter or separator in it that follows
    serial wording on the reader's full text, or starts the line below it.

    Digits-only words are left to the voted digit passes (``reading.numbers``), which read
    them far more reliably than the one full-text pass.
    """
    lines = [line.split() for line in reading.text.splitlines()]
    found: list[tuple[str, str]] = []
    for index, words in enumerate(lines):
        for end in range(1, len(words) + 1):
            label_word = serial_wording(" ".join(words[:end]), label_words)
            if label_word is None:
                continue
            # "SERIAL" alone is wording, but with "NO." after it the wording ends there.
            while end < len(words) and serial_wording(" ".join(words[: end + 1]), label_words):
                end += 1
            following = words[end:] or (lines[index + 1][:1] if index + 1 < len(lines) else [])
            word = following[0].strip(_TRIM) if following else ""
            if word and not word.isdigit():
                found.append((word, label_word))
            break
    return found


def _check_word(
    word: str,
    label_word: str,
    model: InstrumentModel,
    options: ScanOptions,
    reading: OcrReading,
) -> SerialCheck:
    """Check a serial with letters in it, read once by the full-text pass (whose mean
    word confidence is all there is to go by)."""
    confidence = reading.mean_confidence
    problems = [
        "a serial with letters is read in one pass, with no digit-only vote: check O and 0, "
        "I and 1, S and 5, B and 8 on the label"
    ]
    format_problems = _format_problems(word, model)
    if confidence < options.min_confidence:
        problems.append(f"confidence {confidence:.2f} is below {options.min_confidence:.2f}")
    schemes = other_schemes(word, model, label_text=reading.text)
    if not schemes and (confidence < options.min_confidence or format_problems):
        return SerialCheck(
            status="unreadable", serial=None, guess=word, confidence=confidence,
            label_word=label_word, problems=tuple(problems + format_problems),
            reading=reading,
        )
    return SerialCheck(
        status="invalid" if schemes else "valid", serial=word, guess=None,
        confidence=confidence, label_word=label_word,
        problems=tuple(problems + [match.summary for match in schemes]),
        other_schemes=schemes, reading=reading,
    )


def _format_problems(serial: str, model: InstrumentModel) -> list[str]:
    fmt = model.serial_format
    if not fmt.fits(serial):
        return [f"{serial!r} does not fit the {model.name} serial format: {fmt.description}"]
    return []


def _leading_zero_by_range(number: NumberReading, model: InstrumentModel) -> NumberReading | None:
    """``number`` with its zero-shaped first digit read as a 0 (see
    :attr:`NumberReading.leading_zero`), when the model's serials settle it: the number as
    read is beyond anything reported for the model and, with a 0 there, of its format and
    within that.  A marked zero read as a 6, a 9 or an 8 is the usual slip that puts a
    number there; a glyph shaped like a zero is the other half of the evidence."""
    if number.leading_zero is None:
        return None
    with_zero, confidence = number.leading_zero
    if (not _range_notes(number.text, model) or _range_notes(with_zero, model)
            or not model.serial_format.fits(with_zero)):
        return None
    return replace(number, text=with_zero, confidence=confidence, votes=1,
                   alternatives=tuple(sorted({*number.alternatives, number.text} - {with_zero})))


def _zero_slipped(text: str, model: InstrumentModel) -> bool:
    """Whether ``text`` is beyond anything reported for ``model`` only because of a first
    digit a marked zero is read as: with that digit a 0 it is a serial of the model's
    format within the reported range."""
    if not text or text[0] not in ZERO_SLIP_DIGITS or not model.serial_format.fits(text):
        return False
    # The same test as _leading_zero_by_range's, which makes such a first digit a 0 when
    # its glyph also has a zero's shape.
    zeroed = "0" + text[1:]
    return (bool(_range_notes(text, model)) and not _range_notes(zeroed, model)
            and model.serial_format.fits(zeroed))


def _range_notes(serial: str, model: InstrumentModel) -> list[str]:
    """A well-formed number beyond anything reported is flagged, not rejected."""
    limit = model.serial_format.max_reported
    if limit is not None and serial.isdigit() and int(serial) > limit:
        return [
            f"{int(serial):,} is above anything reported for the {model.name} "
            f"(about {limit:,}); check the digits on the unit"
        ]
    return []
