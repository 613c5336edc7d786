"""Product codes printed under a barcode (EAN-13, UPC-A, GTIN-14): never a serial.

A unit's carton, a shop's price label and some stickers carry the product's barcode
with its number printed under it in groups ("4 959112 674936").  Read a group at a time,
its last six digits have the shape of an M1 serial.  Such a number ends with a check
digit that the others settle (the GS1 rule), which a serial with other digits beside it
on its line matches only by chance, once in ten, and only when the digits together make
one of the three lengths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The lengths of the product codes printed in full under a barcode: UPC-A, EAN-13 and
# GTIN-14 (a carton's).  EAN-8 is left out: its two groups of four never hold a serial's
# six digits without both, and a serial beside two more digits would be taken for one.
_LENGTHS = frozenset({12, 13, 14})
# Groups of digits as read: split by spaces, and by a dot where the OCR took a gap for
# one ("4.959112 674936", "4. 959112").
_GROUPED_DIGITS = re.compile(r"\d+(?:[ .]{1,2}\d+)*")
_GROUP = re.compile(r"\d+")


def is_product_code(digits: str) -> bool:
    """Whether ``digits`` (digits only) is a UPC-A, EAN-13 or GTIN-14 with the check digit
    its other digits give: weights 3 and 1 in turn from the right, the total made up to a
    multiple of ten."""
    if len(digits) not in _LENGTHS or not digits.isdigit():
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(digit) * (3 if place % 2 == 0 else 1)
                for place, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def product_codes_in(line: str) -> list[str]:
    """The product codes (see :func:`is_product_code`) on one line of read text, each
    with the spaces and dots between its groups taken out."""
    return [code for _, _, code in _codes_in(line)]


def product_code_holding(number: str, line: str) -> str | None:
    """The product code on ``line`` that ``number`` is a part of (not the whole), if any."""
    return code_holding(number, product_codes_in(line))


def code_holding(number: str, codes: Iterable[str]) -> str | None:
    """The first of ``codes`` that ``number`` is a part of (not the whole), if any."""
    return next((code for code in codes if number in code and len(number) < len(code)), None)


def without_product_codes(line: str) -> str:
    """``line`` with its product codes (as printed, groups and all) taken out."""
    for start, end, _ in reversed(_codes_in(line)):
        line = line[:start] + line[end:]
    return line


def _codes_in(line: str) -> list[tuple[int, int, str]]:
    """Each product code on ``line``: where it starts and ends, and its digits.  A code
    is made of whole groups, and may have a group of other digits before or after it on
    its line (the 1 of "M1" beside a code, a stray mark read as a digit)."""
    found: list[tuple[int, int, str]] = []
    for run in _GROUPED_DIGITS.finditer(line):
        groups = list(_GROUP.finditer(line, run.start(), run.end()))
        first = 0
        while first < len(groups):
            for last in range(first, len(groups)):
                digits = "".join(group.group() for group in groups[first:last + 1])
                if len(digits) > max(_LENGTHS):
                    break
                if is_product_code(digits):
                    found.append((groups[first].start(), groups[last].end(), digits))
                    first = last
                    break
            first += 1
    return found
