from __future__ import annotations

import json
from dataclasses import replace

import pytest

from stickerscan import report
from stickerscan.catalogue_files import load_catalogue
from stickerscan.estimate import estimate_date
from stickerscan.options import ScanOptions
from stickerscan.pipeline import ScanResult, failure_result

M1 = load_catalogue().get("korg-m1")


@pytest.mark.parametrize("status", ["bad-input", "timed-out", "crashed"])
def test_a_failed_photo_is_one_line_naming_it_its_status_and_the_reason(status: str) -> None:
    result = failure_result("shelf/m1 back.jpg", status, "it went wrong this way",  # type: ignore[arg-type]
                            model=M1, options=ScanOptions())
    assert report.summary(result, M1) == (
        f"shelf/m1 back.jpg: {status}: it went wrong this way"
    )


def _read(serial: str) -> ScanResult:
    blank = failure_result("m1.jpg", "bad-input", "", model=M1, options=ScanOptions())
    return replace(blank, status="read", reason="serial read after 'SERIAL NO.'",
                   serial=serial, confidence=0.97, estimate=estimate_date(int(serial), M1))


def test_a_read_serial_shows_its_confidence_range_and_unverified_claims_as_such() -> None:
    text = report.summary(_read("013537"), M1)
    assert "  serial     013537   (confidence 0.97)" in text.splitlines()
    estimate = _read("013537").estimate
    assert estimate is not None
    assert str(estimate.earliest) in text and str(estimate.latest) in text
    # The M1's 100,000 anchor is tagged R: it must be shown as unverified.
    assert any(anchor.reliability == "R" for anchor in estimate.anchors)
    assert "UNVERIFIED" in text


def test_a_number_wholly_past_production_is_given_no_month() -> None:
    # 999999 extrapolates years past the M1's end: cut to the window, its range would
    # read "between 1995-12 and 1995-12", a month as sure as a dated anchor.
    lines = report.estimate_lines(estimate_date(999999, M1))
    assert lines[0] == ("  made       no month of production fits: the dated serials put this "
                        "number after its end (1995-12)")
    assert "  verdict    inconsistent" in lines
    assert "made       between" in report.estimate_lines(estimate_date(250000, M1))[0]


def test_json_has_one_object_per_result_with_every_field() -> None:
    payload = json.loads(report.as_json([_read("013537"), _read("103917")]))
    assert [row["serial"] for row in payload] == ["013537", "103917"]
    assert payload[0]["estimate"]["anchors"]


def test_the_batch_summary_counts_one_serial_and_one_failure_in_the_singular() -> None:
    assert "repeats    1 serial read in more than one listing" in report.batch_summary(
        [], [], {"013537": ["a", "b"]})
    assert "repeats    2 serials read" in report.batch_summary(
        [], [], {"013537": ["a", "b"], "103917": ["c", "d"]})
