"""Tests of product codes (stickerscan.product_codes): the digits under a barcode."""

from __future__ import annotations

import pytest

from stickerscan.product_codes import (
    is_product_code,
    product_code_holding,
    product_codes_in,
    without_product_codes,
)


@pytest.mark.parametrize("code", [
    "4959112674936",  # EAN-13
    "036000291452",  # UPC-A
    "10036000291459",  # GTIN-14: the UPC-A's carton, packing level 1
    "4006381333931",
])
def test_codes_with_their_check_digit_are_product_codes(code: str) -> None:
    assert is_product_code(code)


@pytest.mark.parametrize("code", [
    "4959112674937",  # the check digit one off
    "4959112674963",  # the last two swapped
    "49591126749",  # eleven digits
    "95911267493",
    "4959112a74936",
    "213292",
])
def test_other_digits_are_not(code: str) -> None:
    assert not is_product_code(code)


def test_every_check_digit_but_one_is_wrong() -> None:
    valid = [digit for digit in "0123456789" if is_product_code(f"495911267493{digit}")]
    assert valid == ["6"]


def test_codes_are_found_in_groups_split_by_spaces_or_dots() -> None:
    assert product_codes_in("4 959112 674936") == ["4959112674936"]
    assert product_codes_in("- 4.959112 674936.") == ["4959112674936"]
    assert product_codes_in("MODEL M1 036000 29145 2") == ["036000291452"]
    assert product_codes_in("SERIAL NO. 213292") == []


def test_a_number_inside_a_code_is_held_by_it_but_the_whole_code_is_not() -> None:
    assert product_code_holding("674936", "4 959112 674936") == "4959112674936"
    assert product_code_holding("959112", "4 959112 674936") == "4959112674936"
    assert product_code_holding("4959112674936", "4959112674936") is None
    assert product_code_holding("674936", "4 959112 674937") is None
    # A serial on a line with a code elsewhere on it is not part of the code.
    assert product_code_holding("213292", "4 959112 674936 No. 213292") is None


def test_taking_codes_out_leaves_the_rest_of_the_line() -> None:
    assert without_product_codes("EAN 4 959112 674936 No. 21") == "EAN  No. 21"
    assert without_product_codes("4 959112 674937") == "4 959112 674937"
