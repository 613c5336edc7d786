"""Recognise the words on a label: those that introduce a serial number ("SERIAL NO.",
"S/N", "No.") and the model names printed on a unit ("M1", "M1R").

Used by the reader (to know where a serial should be, and which way up a label reads) and
by the validator (to accept only a number introduced by such words).  Tolerant of the
slips OCR makes on these words: SERIAI, N0, SIN or S/M for S/N, a sticker's edge
read as a stroke glued to S/N ("JSiN").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

# Before a number, these mean it is some other kind of number (ASSET: the property tag
# of a studio, a school or a rental house, often stuck beside the serial or over it; ART,
# ITEM, STOCK, SKU, LISTING, AUCTION...: a shop's own number for the unit, written on a
# listing's photos).
OTHER_NUMBER_WORDS = ("PART", "P/N", "PN", "MODEL", "TEL", "PHONE", "FAX", "CAT", "LOT",
                      "REF", "FCC", "ID", "EAN", "UPC", "ISBN", "DATE", "ORDER", "INV",
                      "KLM", "TYPE", "AC", "DC", "ASSET", "ART", "ARTICLE", "ITEM", "STOCK",
                      "SKU", "LISTING", "AUCTION", "INVENTORY", "INVOICE", "CATALOG",
                      "CATALOGUE")

# OCR reads the letters of "NO" and "S/N" as digits, the slash as a letter, and the N of
# either as an H when its diagonal is faint or printed in dots (or, after a slash that
# leaves no doubt of the word, as an M).
_AS_LETTERS = str.maketrans("0152W", "OISZN")
_SLASH_SLIPS = re.compile(r"(?:S[/IL1|\\]?|^/)N$|S[/IL1|\\]H$|S[/|\\]M$")
# A sticker's edge or a bracket beside "S/N" reads as one stroke glued to its S ("JSiN"),
# and a metal plate's rivet or screw head beside it as a ring ("QS/N"); these are the
# letters such marks read as, once digits are turned into letters.
_GLUED_MARKS = frozenset("IJLOQ")
_NO_SLIPS = re.compile(r"HO$")
# "SER." or "SERI.": the first letters of a long first word ("SERIAL"), then a full stop.
_ABBREVIATION = re.compile(r"([A-Z]{3,})\.")
# A garbled "NO." is at most this long; a first word this long is unmistakable.
_SHORT_TOKEN = 3
# What is left of wording cut off at its start: at most this many letters before its stop.
_CUT_LETTERS = 2
_LONG_WORD = 6
# How another number's name can end the text before a number: "MODEL", "MODELNO", "P/N#",
# "ARTNR" (German shops write "Art.-Nr."); each ending with the name it is of.
_OTHER_NUMBER_ENDINGS = {
    f"{other}{suffix}": other for other in OTHER_NUMBER_WORDS
    for suffix in ("", "NO", "#", "NR")
}
# All of them at once: most texts end in none, and one test of the lot settles that.
_ALL_OTHER_NUMBER_ENDINGS = tuple(_OTHER_NUMBER_ENDINGS)


def serial_wording(before: str, label_words: Sequence[str]) -> str | None:
    """The serial wording (one of ``label_words``) that ``before`` ends with, if any."""
    return _serial_wording(before, tuple(label_words))


# The reader and the validator ask this of every word of every line read, and mostly of
# the same few texts again ("", "S", "No."): on photos no region settles, about three
# asks in four repeat one made before.
@functools.lru_cache(maxsize=4096)
def _serial_wording(before: str, label_words: tuple[str, ...]) -> str | None:
    lettered = _lettered(before)
    if not lettered:
        return None
    # "MODEL NO." is one slip away from "SL NO.": the other number's name settles it.
    if _other_number_ending(lettered) is not None:
        return None
    for word, original in _longest_first(tuple(label_words)):
        short = len(word) <= _SHORT_TOKEN
        tail = lettered[-len(word):]
        matched = tail == word if short else _at_most_one_slip(tail, word)
        if matched:
            head = lettered[: -len(word)]
            if head.endswith(OTHER_NUMBER_WORDS):
                return None
            if short and not _stands_alone(before, word, label_words):
                continue
            return original
    return _garbled_number_sign(before, label_words)


def other_number_name(before: str) -> str | None:
    """The name of another kind of number (one of ``OTHER_NUMBER_WORDS``: "LOT", "PART
    NO.") that ``before`` ends with, if any."""
    return _other_number_ending(_lettered(before))


def other_number_name_printed(before: str) -> str | None:
    """The name of another kind of number that ``before`` ends with (as
    :func:`other_number_name`), leaving out words read all in small letters.

    Labels and shops print such names in capitals or with a capital first letter (EAN,
    LOT, Art.-Nr., Item #, Stock); a name read all in small letters is a piece of a
    longer word misread: "Serial No." read as "ean No." is no barcode's number.
    """
    printed = " ".join(word for word in before.split()
                       if not (any(c.isalpha() for c in word)
                               and all(c.islower() for c in word if c.isalpha())))
    return other_number_name(printed)


def names_another_number(before: str) -> str | None:
    """The name of another kind of number that the last word or two of ``before`` spell
    out whole ("LOT", "Ref. No.", "Art.-Nr.", "ITEM #"), if any.

    Stricter than :func:`other_number_name`, which also finds a name at the end of a
    longer word: that is enough to doubt serial wording, not to rule a number out.
    """
    words = before.split()
    for count in (1, 2):
        if len(words) < count:
            break
        lettered = _lettered("".join(words[-count:]))
        if lettered in _OTHER_NUMBER_ENDINGS:
            return _OTHER_NUMBER_ENDINGS[lettered]
    return None


def _other_number_ending(lettered: str) -> str | None:
    """The other number's name whose ending (see ``_OTHER_NUMBER_ENDINGS``) ``lettered``
    text ends with, if any."""
    if not lettered.endswith(_ALL_OTHER_NUMBER_ENDINGS):
        return None
    return next((name for ending, name in _OTHER_NUMBER_ENDINGS.items()
                 if lettered.endswith(ending)), None)


def cut_serial_wording(fragment: str, label_words: Sequence[str], *, first_cut: bool = False
                       ) -> str | None:
    """The label word ``fragment`` is the end of when the wording's start was cut off
    ("o." left of "No." by a cable across the sticker or a crop's edge), if any.

    Only a fragment ending in a label word's full stop counts, a letter or two at most
    before it: what is left of "No." or "NO.".  With ``first_cut`` (the photo's own edge
    cut print on the crop) the first of two may be what is left of a letter the cut went
    through, read as any letter or mark ("Vo.", "10." where the photo's edge cuts the "N"
    of "No.").  Whether the start really was cut off is the caller's to tell (the
    fragment must begin at the crop's edge).
    """
    stripped = fragment.strip()
    lettered = _lettered(stripped)
    if not stripped.endswith(".") or not 0 < len(lettered) <= _CUT_LETTERS:
        return None
    for ending in dict.fromkeys((lettered, lettered[1:] if first_cut else lettered)):
        for original in sorted(label_words, key=len):
            word = _token(original)
            if (ending and original.endswith(".") and len(word) > len(ending)
                    and word.endswith(ending)):
                return original
    return None


@functools.cache
def _longest_first(label_words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(token, label word) for each label word with letters or digits, longest token
    first: the longer wording is tried before the short "NO." it may end with."""
    pairs = [(_token(word), word) for word in label_words]
    return tuple(sorted(((token, word) for token, word in pairs if token),
                        key=lambda pair: len(pair[0]), reverse=True))


def _token(text: str) -> str:
    """``text`` upper-cased, with only its letters, digits, slashes and number signs."""
    return re.sub(r"[^A-Z0-9/#]", "", text.upper())


def _lettered(text: str) -> str:
    """``text`` upper-cased, spaces and stray marks dropped, digits OCR reads for the
    letters of NO and S/N turned back into letters (and an H read for their N)."""
    squeezed = re.sub(r"[^A-Z0-9/#|\\]", "", text.upper())
    lettered = _SLASH_SLIPS.sub("S/N", _NO_SLIPS.sub("NO", squeezed.translate(_AS_LETTERS)))
    return lettered.replace("|", "").replace("\\", "")


def _stands_alone(before: str, word: str, label_words: Sequence[str]) -> bool:
    """Whether a short label word ("NO", "S/N") ending ``before`` is a word of its own, or
    the end of longer serial wording run into it ("SERIALNO", "SERNO").

    Upside-down print reads as strings such as "ONO": ending in NO is not enough.  Nor is
    the end of one word and the start of the next ("COMPLIES W" ends in what reads as SN):
    a word the OCR split ("S/ N") must hold nothing but its own letters.  A glued mark
    before "S/N" is the one thing let through: the sticker's edge ("JS/N"), or a metal
    plate's screw head ("QS/N").
    """
    tokens = [token for token in before.split() if _lettered(token)]
    token = _lettered(tokens[-1]) if tokens else ""
    if not token.endswith(word):
        tail = ""
        for piece in reversed(tokens):
            tail = piece + tail
            if len(_lettered(tail)) >= len(word):
                break
        return _lettered(tail) == word
    inside = token[: -len(word)]
    if not inside or (word == "S/N" and inside in _GLUED_MARKS):
        return True
    return any(
        inside.endswith(head[:3]) or _at_most_one_slip(inside[-len(head):], head)
        for head, _ in _long_first_words(label_words)
    )


def _long_first_words(label_words: Sequence[str]) -> list[tuple[str, str]]:
    """(first word, label word) for each label word of several words whose first word is
    long enough to be unmistakable ("SERIAL" of "SERIAL NO."), letters only, upper case."""
    found = []
    for original in label_words:
        words = original.upper().split()
        first = re.sub(r"[^A-Z]", "", words[0]) if len(words) > 1 else ""
        if len(first) >= _LONG_WORD:
            found.append((first, original))
    return found


def _garbled_number_sign(before: str, label_words: Sequence[str]) -> str | None:
    """The label word whose first word ("SERIAL" of "SERIAL NO.") ``before`` ends with,
    one slip allowed, alone or followed by one short token.

    The short "NO." after it is the part OCR garbles most ("Wa.", "Ne.", "Ko."); a word
    of six letters one slip from SERIAL, standing as a whole word, is still unmistakable.
    So is its abbreviation with its full stop ("SER.", "SERI.") standing last, where the
    "NO." was lost altogether (glare, a crop's edge), or before one short token.
    """
    words = before.upper().split()
    # The abbreviation last, or followed by one short token (its NO. garbled: "SER. AY,").
    ends = words[-1:] + (words[-2:-1] if len(words) > 1 and _short_token(words[-1]) else [])
    for end in ends:
        abbreviated = _ABBREVIATION.fullmatch(end)
        if abbreviated:
            for first, original in _long_first_words(label_words):
                if first.startswith(abbreviated.group(1)):
                    return original
    tokens = [_token(token) for token in words]
    tokens = [token for token in tokens if token]
    if tokens and _short_token(tokens[-1]):
        tokens = tokens[:-1]
    if not tokens:
        return None
    # Spaced or dot-matrix print splits the word itself ("SER TAL"): the last two tokens
    # are tried joined too.
    lasts = [tokens[-1], "".join(tokens[-2:])] if len(tokens) > 1 else tokens[-1:]
    for last in (token.translate(_AS_LETTERS) for token in lasts):
        for first, original in _long_first_words(label_words):
            if _at_most_one_slip(last, first):
                return original
    return None


def _short_token(word: str) -> bool:
    """Whether ``word`` may be a garbled "NO.": a few marks, not a number."""
    token = _token(word)
    return bool(token) and len(token) <= _SHORT_TOKEN and not token.isdigit()


def _at_most_one_slip(a: str, b: str) -> bool:
    """Whether ``a`` is ``b``, or ``b`` with one OCR slip: one character read as another,
    lost or added (SERIAI, SERAL, N0); a Levenshtein distance of at most one.  It is asked
    of every word of every line read, so the distance is not worked out in full."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    same = 0
    while same < len(shorter) and shorter[same] == longer[same]:
        same += 1
    return shorter[same:] == longer[same + 1:]


def model_names_in(text: str, names_by_model: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The models whose name, as printed on a unit, appears in ``text``.

    ``names_by_model`` maps a model id to its names (``{"korg-m1r": ["M1R"]}``).  Case,
    and a space or hyphen between letters and digits ("M1 R-EX"), are ignored, and so are
    the OCR's usual slips in a model number ("MI", "Ml" or "M1i" for "M1", "O" for "0").  When one
    name is found inside a longer one ("M1" within "M1R"), only the longer counts.  The
    result is sorted; more than one id means the text names several models.
    """
    upper = text.upper()
    spans: list[tuple[int, int, str]] = []
    for model_id, names in names_by_model.items():
        for name in names:
            chunks = re.findall(r"[A-Z]+|[0-9]+", name.upper())
            if not chunks:
                continue
            body = r"[\s-]?".join(_slip_tolerant(chunk) for chunk in chunks)
            pattern = rf"(?<![A-Z0-9]){body}(?![A-Z0-9])"
            spans += [(m.start(), m.end(), model_id) for m in re.finditer(pattern, upper)]
    found = {
        model_id
        for start, end, model_id in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    }
    return tuple(sorted(found))


# What the OCR reads, upper-cased, for the digits most often misread in model names.  A
# 1 with a flag and a foot (a serif face) is read as a letter, or split into a 1 and the
# letter its foot makes ("M1iR"); a letter never comes first then, so "MIL" is no "M1".
_DIGIT_SLIPS = {"1": "(?:1[IL|]?|[IL|])", "0": "[0O]"}


def _slip_tolerant(chunk: str) -> str:
    return "".join(_DIGIT_SLIPS.get(char, re.escape(char)) for char in chunk)
