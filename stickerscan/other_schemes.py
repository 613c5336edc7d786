"""Numbers that are not the chosen model's serial, but may be something else worth naming.

A Korg back panel, a listing or a typed query can carry a number from an older Korg
numbering scheme, or a software product or licence code.  Such a number must be reported
for what it looks like, never pushed through the chosen model's dating (a 1978 MS-20
serial is not a late M1).  Each recogniser says how sure we are and who says so:

* c.1966-1981, ``yynnnn``: a two-digit year, then a four-digit count kept per model, so
  the same number can occur on two models; some models have 4-5 digits with no year.
  (A, zasm.earth/korg-serials)
* c.1977-1983, ``MMnnnn``: the first digits mostly identify the model (EM-570 ``11``,
  SE-500 ``12``, MS-10 ``13``, MS-20 ``14`` and ``439``), the last four are a count; no date
  can be read.  (A, zasm.earth/korg-serials-model)
* KORG Collection / M1 Le software uses a product or licence code, not a hardware serial,
  and it carries no date.  (R, product brief; the code's exact format is not known to us,
  so it is recognised by its shape and the words around it.)

The older schemes are only offered for a Korg model, and only for a number that does not
fit the chosen model: the wrong shape, or far beyond the highest number reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from stickerscan.catalogue import InstrumentModel, Reliability

SchemeId = Literal["korg-year-serial", "korg-model-block", "korg-short-serial", "software-code"]

YEAR_SCHEME_YEARS: Final = range(66, 82)
"""Two-digit years of the ``yynnnn`` scheme (c.1966-1981)."""

_YEAR_SOURCE: Final = "zasm.earth/korg-serials"
_BLOCK_SOURCE: Final = "zasm.earth/korg-serials-model"

MODEL_BLOCKS: Final[dict[str, str]] = {
    "11": "EM-570",
    "12": "SE-500",
    "13": "MS-10",
    "14": "MS-20",
    "439": "MS-20",
}
"""Leading digits of ``MMnnnn`` serials and the model they are reported for (A,
zasm.earth/korg-serials-model; examples from a longer list, not all blocks)."""

_SOFTWARE_WORDS: Final = re.compile(
    r"KORG\s*COLLECTION|M1\s*LE\b|LICEN[CS]E|PRODUCT\s*(?:KEY|CODE)|ACTIVATION", re.IGNORECASE
)
# Groups of letters and digits joined by hyphens, with letters in them: the usual shape of
# a software code, never the shape of a Korg hardware serial.
_CODE_SHAPE: Final = re.compile(r"[A-Z0-9]{4,}(?:-[A-Z0-9]{4,}){2,}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SchemeMatch:
    """What a number that is not the chosen model's serial looks like instead."""

    scheme: SchemeId
    """Which scheme it fits."""
    summary: str
    """One line for the user, e.g. 'looks like a 1970s Korg year-based serial: made in
    1978'."""
    detail: str
    """How the scheme works and what it cannot tell, with the tag and source."""
    year: int | None
    """The year the number carries, for the year-based scheme only."""
    reliability: Reliability
    """How far the scheme's description can be trusted."""
    source: str
    """Who describes the scheme."""

    def to_dict(self) -> dict[str, object]:
        return {
            "scheme": self.scheme,
            "summary": self.summary,
            "detail": self.detail,
            "year": self.year,
            "reliability": self.reliability,
            "source": self.source,
        }


def other_schemes(
    serial: str, model: InstrumentModel, *, label_text: str = ""
) -> tuple[SchemeMatch, ...]:
    """The schemes ``serial`` fits instead of ``model``'s (empty when it is the model's).

    ``label_text`` is the rest of the label it was read from, if any: words such as
    "KORG Collection" or "licence" there mark a software code.
    """
    if model.maker.casefold() != "korg":
        return ()
    text = serial.strip()
    software = _software_code(text, label_text)
    if software is not None:
        return (software,)
    if not text.isascii() or not text.isdigit() or _fits_model(text, model):
        return ()
    matches = [match for match in (_year_serial(text), _model_block(text)) if match]
    if not matches and len(text) in (4, 5):
        matches.append(_short_serial(text))
    return tuple(matches)


def _fits_model(text: str, model: InstrumentModel) -> bool:
    fmt = model.serial_format
    if not fmt.fits(text):
        return False
    number = fmt.running_number(text)
    return number is None or not fmt.far_beyond_reported(number)


def _year_serial(text: str) -> SchemeMatch | None:
    if len(text) != 6 or int(text[:2]) not in YEAR_SCHEME_YEARS:
        return None
    year = 1900 + int(text[:2])
    return SchemeMatch(
        scheme="korg-year-serial",
        summary=(
            f"looks like a {year // 10 * 10}s Korg year-based serial (c.1966-81): "
            f"made in {year}"
        ),
        detail=(
            f"In Korg's numbering of about 1966 to 1981 the first two digits are the year "
            f"({text[:2]}) and the last four a count kept per model ({text[2:]}), so the same "
            f"number can be found on two different models (A, {_YEAR_SOURCE})."
        ),
        year=year,
        reliability="A",
        source=_YEAR_SOURCE,
    )


def _model_block(text: str) -> SchemeMatch | None:
    if len(text) != 6:
        return None
    prefix = next((p for p in sorted(MODEL_BLOCKS, key=len, reverse=True)
                   if text.startswith(p)), None)
    if prefix is None:
        return None
    return SchemeMatch(
        scheme="korg-model-block",
        summary=(
            f"looks like a Korg model-block serial (c.1977-83): the leading {prefix} is "
            f"reported for the {MODEL_BLOCKS[prefix]}; no date can be read from it"
        ),
        detail=(
            f"In Korg's numbering of about 1977 to 1983 the first digits mostly name the "
            f"model and the last four are a count per model, with no date in the number "
            f"(A, {_BLOCK_SOURCE})."
        ),
        year=None,
        reliability="A",
        source=_BLOCK_SOURCE,
    )


def _short_serial(text: str) -> SchemeMatch:
    return SchemeMatch(
        scheme="korg-short-serial",
        summary=(
            f"could be an older Korg serial: some models of about 1966 to 1981 carry "
            f"{len(text)}-digit numbers with no year in them; no date can be read from it"
        ),
        detail=(
            f"Korg's older numbering includes models with 4 or 5 digit serials and no year "
            f"(A, {_YEAR_SOURCE}); check the digits on the unit first, since a lost digit is "
            "the likelier explanation."
        ),
        year=None,
        reliability="A",
        source=_YEAR_SOURCE,
    )


def _software_code(text: str, label_text: str) -> SchemeMatch | None:
    worded = _SOFTWARE_WORDS.search(f"{label_text} {text}") is not None
    shaped = _CODE_SHAPE.fullmatch(text) is not None and any(ch.isalpha() for ch in text)
    if not (shaped or worded):
        return None
    return SchemeMatch(
        scheme="software-code",
        summary=(
            "looks like a software product or licence code (KORG Collection / M1 Le), "
            "not a hardware serial: it carries no date"
        ),
        detail=(
            "The KORG Collection and M1 Le software versions of the M1 are registered with a "
            "product or licence code; it identifies a software licence, not an instrument, "
            "and tells nothing about when any hardware was made (R, product brief only; the "
            "code's exact format is not confirmed)."
        ),
        year=None,
        reliability="R",
        source="product brief only",
    )
