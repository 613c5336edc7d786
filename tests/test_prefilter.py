from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from scenegen.fonts import render_dot_matrix
from stickerscan.catalogue import SerialFormat
from stickerscan.enhance import TEXT_HEIGHTS
from stickerscan.load import load_image
from stickerscan.locate import LabelRegion, LocatedLabels, locate_labels
from stickerscan.ocr import FakeOcrEngine, OcrRequest
from stickerscan.ocr.engine import OcrText
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner
from stickerscan.prefilter import digit_run_for, precheck, reads_as_words, shows_serial_hint
from tests.drawing import encode, panel, place, sticker

OPTIONS = ScanOptions()


@pytest.fixture(scope="module")
def photo() -> bytes:
    image, _ = place(panel(seed=5), sticker(["SERIAL NO.", "013537"]), at=(900, 700), angle=4)
    return encode(image)


@pytest.mark.parametrize(("ocr_text", "plausible"), [
    ("SERIAL NO. 013537", True),
    ("S/N", True),
    ("0l3S37", True),  # a coarse read of digits
    ("MIDI IN OUT THRU", False),
    ("AC 12 V", False),
])
def test_a_photo_is_kept_when_a_region_shows_digits_or_serial_wording(
    photo: bytes, ocr_text: str, plausible: bool
) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    located = locate_labels(image, OPTIONS)
    # Unsure, as coarse reads of real print mostly are: a row read surely is not turned.
    engine = FakeOcrEngine(ocr_text, confidence=0.6)
    seen = precheck(image, located, engine, candidates=3)
    assert seen.plausible is plausible
    assert located.regions
    if not plausible:
        # Every candidate looked at; each row of print read both ways up.
        assert seen.looked_at == min(3, len(located.regions))
        assert engine.seen and len(engine.seen) % 2 == 0
        assert "shows digits, or serial or model wording" in seen.reason


def test_a_photo_with_no_text_regions_is_rejected_without_any_ocr() -> None:
    blank = encode(np.full((600, 800, 3), 128, np.uint8))
    image = load_image(blank, OPTIONS, name="blank.jpg")
    engine = FakeOcrEngine("SERIAL NO. 013537")
    seen = precheck(image, locate_labels(image, OPTIONS), engine, candidates=8)
    assert (seen.plausible, seen.looked_at, engine.seen) == (False, 0, [])
    # Nor does the search for dot-matrix print find a region: the reason is the check's own.
    result = Scanner(ScanOptions(precheck=True), engine=engine).scan_as_row(blank, name="b.jpg")
    assert result.status == "no-label" and result.reason == seen.reason
    assert engine.seen == []


@pytest.mark.parametrize(("text", "digit_run", "shows"), [
    ("25 5363", 5, True),  # a number split by a coarse read
    ("0l3S3", 5, True),  # look-alike letters for digits
    ("$1250", 5, False),  # a price: too short for a six-digit serial
    ("1500 €", 5, False),
    ("$1250", 4, True),  # the same price where serials may be four characters
    # A letter of a word beside a short number is not one of its digits.
    ("VB 1450 €", 5, False),
    ("PROG 112", 5, False),
    ("3 006 SA", 5, False),
    ("12 34 56", 5, True),
    ("VB 12 345", 5, True),
    ("S 01353", 5, True),  # a look-alike that is a word of its own joins
    ("No.12 3456", 5, True),  # a piece with a real digit joins
    ("OIlSB BOSS", 5, False),  # look-alike letters with no real digit
    ("12\n345", 5, False),  # a run must be on one line
    ("Ser. No.", 5, True),
    ("Tempo =120", 5, False),
    # Rarer look-alikes count in a run at least half real digits: bold print read coarsely.
    ("OS91L12", 5, True),
    ("i108s003", 5, True),
    # Capitals read upside down give such letters with a digit or two among them.
    ("TVLIDI0", 5, False),
    ("Y3IZISAHLNAS", 5, False),
    # Serial wording with a letter or the dot misread, or S/N with its slash read as I.
    ("SERTAL WoO.", 5, True),
    ("RRIAL No, 03", 5, True),
    ("SIN QOS", 5, True),
    ("ASIN", 5, False),
    ("SINOHd", 5, False),
    # A maker's label names the model beside the serial, its L sometimes read as 1.
    ("MODEL M1", 5, True),
    ("MODE1 M1R", 5, True),
    ("COMBI MODE", 5, False),
    # A product code under a barcode (its check digit right) is no serial's run of
    # digits; with one digit read otherwise it may be.
    ("4 959112 674936", 5, False),
    ("4.959112 674936.", 5, False),
    ("4 959112 674937", 5, True),
    ("4 959112 674936\nNo. 21", 5, True),
])
def test_a_coarse_read_shows_a_serial_hint_only_with_wording_or_a_long_enough_digit_run(
    text: str, digit_run: int, shows: bool
) -> None:
    assert shows_serial_hint(text, digit_run) is shows


@pytest.mark.parametrize(("upright", "turned", "confidence", "plausible"), [
    # Print read surely the right way up is not read turned, where it would read as a
    # misreading with digits in it.
    ("VB 900 €", "3 006 SA", 0.95, False),
    ("GLOBAL", "1v80719", 0.95, False),
    # Read unsurely, the row may be upside down: its turned read counts.
    ("VB 900 €", "3 006 54", 0.6, True),
    # A number upside down reads as digits and look-alike letters mixed, even surely.
    ("96TLSZ", "257196", 0.95, True),
    # Too few letters to tell the way up.
    ("= 1", "1 1250", 0.95, True),
])
def test_a_row_read_surely_the_right_way_up_is_not_read_turned(
    photo: bytes, upright: str, turned: str, confidence: float, plausible: bool
) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    located = locate_labels(image, OPTIONS)
    rows_read: list[np.ndarray] = []

    def reply(row: np.ndarray, request: OcrRequest) -> str:
        # Each row is read upright first, then turned.
        is_turned = bool(rows_read) and np.array_equal(row, np.rot90(rows_read[-1], 2))
        if not is_turned:
            rows_read.append(row)
        return turned if is_turned else upright

    engine = FakeOcrEngine(reply, confidence=confidence)
    seen = precheck(image, located, engine, candidates=3, digit_run=5)
    assert seen.plausible is plausible
    assert rows_read
    if not plausible:
        assert len(engine.seen) == len(rows_read)  # no row read turned


class TwoWayEngine:
    """Reads every row as ``upright`` and the same row turned as ``turned``, each with its
    own confidence."""

    name = "two-way"
    has_large_model = False

    def __init__(self, upright: tuple[str, float], turned: tuple[str, float]) -> None:
        self._upright = FakeOcrEngine(upright[0], confidence=upright[1])
        self._turned = FakeOcrEngine(turned[0], confidence=turned[1])
        self.rows: list[np.ndarray] = []
        self.turned_reads = 0

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        if self.rows and np.array_equal(image, np.rot90(self.rows[-1], 2)):
            self.turned_reads += 1
            return self._turned.read(image, request)
        self.rows.append(image)
        return self._upright.read(image, request)


class EngineByRow:
    """Reads each row with the engine ``engine_for`` picks for it."""

    name = "by-row"
    has_large_model = False

    def __init__(self, engine_for: Callable[[np.ndarray], FakeOcrEngine]) -> None:
        self._engine_for = engine_for

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        return self._engine_for(image).read(image, request)


@pytest.mark.parametrize(("upright", "turned", "plausible"), [
    # A synth's display read fairly surely (not of every word) the right way up; turned,
    # as digits and look-alike letters, less surely.
    (("EDIT PROG Osc 1", 0.8), ("1250 904d 1103", 0.55), False),
    (("PROG C46", 0.95), ("905 90d", 0.3), False),
    # A box's product code, sure upright, misread turned.
    (("4959112 473881", 0.95), ("TSSELP TII6S6", 0.4), False),
    # A number upside down reads unsurely both ways: its turned read counts.
    (("SOTPSz ON Yas", 0.35), ("SER.NO. 254105", 0.15), True),
    # Read surer turned, or nearly as surely as upright: it counts.
    (("EDIT PROG Osc 1", 0.75), ("SERIAL NO. 013537", 0.9), True),
    (("EDIT PROG Osc 1", 0.75), ("1250 904d", 0.7), True),
], ids=["display", "display-with-number", "product-code", "number-upside-down",
        "surer-turned", "nearly-as-sure-turned"])
def test_a_turned_read_counts_unless_the_row_read_clearly_surer_upright(
    photo: bytes, upright: tuple[str, float], turned: tuple[str, float], plausible: bool
) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    engine = TwoWayEngine(upright, turned)
    seen = precheck(image, locate_labels(image, OPTIONS), engine, candidates=3, digit_run=5)
    assert seen.plausible is plausible
    assert engine.turned_reads  # the rows were read turned, not left unread


@pytest.mark.parametrize(("text", "confidence", "sure"), [
    ("EDIT PROG", 0.9, True),
    ("VB 1200 € |", 0.9, True),  # marks without letters or digits are left out
    ("EDIT PROG", 0.8, False),
    ("PROG C46", 0.95, False),  # a word mixing letters and digits
    ("1250", 0.95, False),  # no letters: numbers read upright and turned alike
    ("", 0.95, False),
])
def test_a_read_is_sure_of_its_way_up_with_sure_words_of_letters_or_digits_alone(
    text: str, confidence: float, sure: bool
) -> None:
    read = FakeOcrEngine(text, confidence=confidence).read(
        np.zeros((8, 8), np.uint8), OcrRequest(layout="sparse"))
    assert reads_as_words(read) is sure


def _sharpness(image: np.ndarray) -> float:
    return float(cv2.Laplacian(image, cv2.CV_64F).var())


def test_a_row_of_dot_matrix_print_is_read_again_with_its_dots_run_together() -> None:
    # Small dots standing apart, 40 pixels tall.
    dots = render_dot_matrix("NO. 081272", 40, 320, -1).mask
    height, width = dots.shape
    grey = np.full((height + 300, width + 300), 235, np.uint8)
    grey[150:150 + height, 150:150 + width][dots > 128] = 25
    image = load_image(encode(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)), OPTIONS, name="a.png")
    label = region_over((130, 130, 170 + width, 170 + height), 40.0)
    blank = FakeOcrEngine("")
    assert not precheck(image, LocatedLabels((label,)), blank, candidates=1,
                        digit_run=5).plausible
    # Read as it is both ways up, then larger both ways up, then blurred both ways up.
    shown = [row for row, _ in blank.seen]
    blurred = [later for earlier, later in zip(shown, shown[4:], strict=False)
               if later.shape == earlier.shape and _sharpness(later) < _sharpness(earlier) / 2]
    assert blurred

    def reads_the_joined_dots(row: np.ndarray, request: OcrRequest) -> str:
        return "NO. 081272" if any(np.array_equal(row, seen) for seen in blurred) else ""

    assert precheck(image, LocatedLabels((label,)), FakeOcrEngine(reads_the_joined_dots),
                    candidates=1, digit_run=5).plausible

    # The blurred row's turned read counts only as a row's turned read does: not when the
    # row read clearly surer upright.
    def reading_blurred_row(upright: FakeOcrEngine, turned: FakeOcrEngine) -> EngineByRow:
        def engine_for(row: np.ndarray) -> FakeOcrEngine:
            # The blurred row is read upright first, then turned.
            if np.array_equal(row, blurred[0]):
                return upright
            return turned if np.array_equal(row, np.rot90(blurred[0], 2)) else blank

        return EngineByRow(engine_for)

    for turned_confidence, plausible in ((0.5, False), (0.75, True)):
        turned = FakeOcrEngine("1250 904d", confidence=turned_confidence)
        engine = reading_blurred_row(FakeOcrEngine("EDIT PROG Osc 1", confidence=0.8), turned)
        assert precheck(image, LocatedLabels((label,)), engine, candidates=1,
                        digit_run=5).plausible is plausible
        assert turned.seen  # the blurred row was read turned


def test_a_row_of_print_in_strokes_is_not_read_blurred(photo: bytes) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    blank = FakeOcrEngine("")
    assert not precheck(image, locate_labels(image, OPTIONS), blank, candidates=3,
                        digit_run=5).plausible
    # Each row read as it is and larger, both ways up: four reads, none blurred.
    assert blank.seen and len(blank.seen) % 4 == 0
    sizes = [row.shape for row, _ in blank.seen]
    assert all(sizes[index] != sizes[index + 2] for index in range(0, len(sizes), 4))


@pytest.fixture(scope="module")
def large_dot_matrix() -> bytes:
    """A dark sticker with "S/N" over a large "138213" in light dots standing apart: the
    locator's first looks find a digit or two at a time, or nothing."""
    grey = np.full((1200, 1600), 60, np.uint8)
    cv2.rectangle(grey, (500, 450), (1150, 800), 35, -1)
    for text, cap, (x, y) in (("S/N", 24, (700, 520)), ("138213", 60, (560, 600))):
        dots = render_dot_matrix(text, cap, 0.9 * cap * len(text), -1).mask
        height, width = dots.shape
        grey[y:y + height, x:x + width][dots > 128] = 225
    return encode(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))


def _reads_a_whole_number(row: np.ndarray, request: OcrRequest) -> str:
    """Digits for a row whose ink is over four times as wide as it is tall (the whole
    number), nothing for a digit or two."""
    columns = np.flatnonzero((row < 128).any(axis=0))
    lines = np.flatnonzero((row < 128).any(axis=1))
    if len(columns) == 0:
        return ""
    return "138213" if columns[-1] - columns[0] > 4 * (lines[-1] - lines[0] + 1) else ""


def test_a_photo_is_kept_when_the_search_for_dot_matrix_print_shows_a_number(
    large_dot_matrix: bytes
) -> None:
    image = load_image(large_dot_matrix, OPTIONS, name="a.png")
    shown = FakeOcrEngine(_reads_a_whole_number)
    # The locator's own regions show no whole number.
    assert not precheck(image, locate_labels(image, OPTIONS), shown,
                        candidates=OPTIONS.max_candidates).plausible
    kept = Scanner(ScanOptions(precheck=True), engine=FakeOcrEngine(_reads_a_whole_number))
    assert "quick check" not in kept.scan_as_row(large_dot_matrix, name="a.png").reason
    # Nothing read there either: still rejected by the quick check, having read the
    # search's rows of the whole number.
    blank = FakeOcrEngine("")
    rejected = Scanner(ScanOptions(precheck=True), engine=blank)
    result = rejected.scan_as_row(large_dot_matrix, name="a.png")
    assert result.status == "no-label" and "quick check" in result.reason
    assert any(_reads_a_whole_number(row, request) for row, request in blank.seen)
    # The reason names every place looked at, the search's region too.
    assert "nor does the region a search for dot-matrix print finds" in result.reason


def test_the_digit_run_is_one_fewer_than_the_shortest_serial_of_the_formats_in_play() -> None:
    def serial_format(pattern: str) -> SerialFormat:
        return SerialFormat(pattern, "", None, "C", "")

    assert digit_run_for([serial_format("[0-9]{6}")]) == 5
    assert digit_run_for([serial_format("[0-9]{6}"), serial_format(r"\d{4,8}")]) == 3
    # A format with letters falls back to four digit-like characters.
    assert digit_run_for([serial_format("[0-9]{6}"), serial_format("[A-Z]{2}[0-9]{6}")]) == 4


def test_a_scanner_gives_the_quick_check_the_run_of_the_models_it_may_settle_on() -> None:
    engine = FakeOcrEngine("PRICE $1250")
    image, _ = place(panel(seed=5), sticker(["PRICE", "$1250"]), at=(900, 700), angle=4)
    photo = encode(image)
    m1 = Scanner(ScanOptions(precheck=True), engine=engine).scan_as_row(photo, name="a.jpg")
    assert m1.status == "no-label" and "quick check" in m1.reason
    generic = Scanner(ScanOptions(precheck=True, model_id="generic"), engine=engine)
    # Four-character serials are possible: the photo is read in full.
    assert "quick check" not in generic.scan_as_row(photo, name="a.jpg").reason


def region_over(box: tuple[int, int, int, int], text_height: float) -> LabelRegion:
    x0, y0, x1, y1 = box
    quad = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return LabelRegion(quad=quad, text_quad=quad, score=1.0, text_height=text_height,
                       polarity="dark-on-light", outlined=False, line_count=1, longest_line=6)


def test_only_the_rows_of_print_in_a_region_are_read() -> None:
    grey = np.full((600, 1400), 225, np.uint8)
    # Left: a row of black keys.  Right: a number and a word below it.
    for index in range(9):
        cv2.rectangle(grey, (80 + 64 * index, 200), (110 + 64 * index, 400), 25, -1)
    cv2.putText(grey, "013537", (820, 300), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5)
    cv2.putText(grey, "MODEL", (820, 420), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5)
    image = load_image(encode(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)), OPTIONS, name="a.png")
    keys = region_over((60, 150, 660, 450), 45.0)
    label = region_over((780, 200, 1300, 460), 45.0)
    engine = FakeOcrEngine("MIDI", confidence=0.6)
    seen = precheck(image, LocatedLabels((keys,)), engine, candidates=8)
    assert (seen.plausible, seen.looked_at, engine.seen) == (False, 1, [])

    seen = precheck(image, LocatedLabels((keys, label)), engine, candidates=8)
    assert not seen.plausible and seen.looked_at == 2
    # Two rows, each read both ways up: the number's, then the word's, each alone and
    # scaled so its characters are the reader's second text height.
    assert len(engine.seen) == 4
    for row, request in engine.seen:
        inked = (row < 128).any(axis=1).sum()
        assert 0.85 * TEXT_HEIGHTS[1] <= inked <= 1.15 * TEXT_HEIGHTS[1]
        assert row.shape[0] < 3 * TEXT_HEIGHTS[1]
        assert request.layout == "sparse"
    upright, turned = engine.seen[0][0], engine.seen[1][0]
    assert np.array_equal(turned, np.rot90(upright, 2))

    # A row read as blank both ways up is read again, larger, both ways up.
    blank = FakeOcrEngine("")
    precheck(image, LocatedLabels((label,)), blank, candidates=8)
    heights = [row.shape[0] for row, _ in blank.seen]
    assert len(heights) == 8
    assert heights[0] == heights[1] and heights[2] == heights[3]
    assert heights[2] / heights[0] == pytest.approx(TEXT_HEIGHTS[0] / TEXT_HEIGHTS[1], rel=0.05)

    def reads_digits(row: np.ndarray, request: OcrRequest) -> str:
        return "013537" if np.array_equal(row, upright) else "MIDI"

    assert precheck(image, LocatedLabels((keys, label)), FakeOcrEngine(reads_digits),
                    candidates=8).plausible
