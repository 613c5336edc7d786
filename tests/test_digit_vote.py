"""Tests for the digits-only re-reads of a place and their vote.

Most of the vote is tested through :func:`stickerscan.read.read_print`, in
``tests/test_read.py``, with engines that read drawn crops as a test needs.
"""

from __future__ import annotations

import pytest

from stickerscan.digit_vote import misread_of


@pytest.mark.parametrize(("other", "misread"), [
    ("013587", True),    # one glyph read as another digit
    ("018587", True),    # two
    ("013573", True),    # two neighbours swapped: two glyphs differ
    ("018580", False),   # three: another number
    ("01537", True),     # one digit lost ...
    ("13537", True),     # ... the first one
    ("01353", True),     # ... the last one
    ("0135377", True),   # one digit added
    ("9013537", True),
    ("1353", False),     # two digits lost
    ("013537", False),   # the same reading is no misreading
    ("135370", False),   # shifted: every place differs
    ("", False),
])
def test_a_misread_is_a_few_digits_changed_or_one_lost_or_added(other: str, misread: bool) -> None:
    assert misread_of(other, "013537") is misread
    # Either way round: a lost digit in one is an added digit in the other.
    assert misread_of("013537", other) is misread
