from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen import generate_listing_shot, generate_scene, write_scene
from stickerscan import pipeline as pipeline_module
from stickerscan.catalogue_files import load_catalogue
from stickerscan.enhance import TEXT_HEIGHTS, grain_cleared, smoothed
from stickerscan.errors import BadInputError
from stickerscan.load import LoadedImage, load_image
from stickerscan.locate import (
    LabelRegion,
    LocatedLabels,
    dotted_print_regions,
    locate_labels,
    new_places,
)
from stickerscan.ocr import FakeOcrEngine, OcrRequest
from stickerscan.ocr.engine import OcrText
from stickerscan.ocr.fake_engine import Reply
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner, ScanResult
from stickerscan.read import OcrReading
from stickerscan.report import write_debug
from tests.drawing import (
    dot_matrix_sticker_photo,
    encode,
    panel,
    place,
    small_light_sticker_photo,
    sticker,
)
from tests.scenes import scan_generated

CATALOGUE = load_catalogue()
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _drawn() -> tuple[np.ndarray, np.ndarray]:
    """The test photo's pixels, and the sticker's corners in it."""
    return place(panel(seed=11), sticker(["SERIAL NO.", "013537"]), at=(1100, 800), angle=-9)


def _photo() -> tuple[bytes, np.ndarray]:
    image, corners = _drawn()
    return encode(image), corners


def _scanner(reply: str | object, **options: object) -> Scanner:
    engine = FakeOcrEngine(reply)  # type: ignore[arg-type]
    return Scanner(ScanOptions(**options), engine=engine, catalogue=CATALOGUE)  # type: ignore[arg-type]


def _looks_like_the_sticker(image: np.ndarray) -> bool:
    """Whether a crop looks like the drawn sticker's: mostly light paper (every crop is
    made dark-on-light), tall enough for its two lines."""
    return float((image > 128).mean()) > 0.8 and image.shape[0] > 60


def _reads_only_the_sticker(image: np.ndarray, request: OcrRequest) -> str:
    """Answers as if OCR could read only crops that look like the drawn sticker (see
    :func:`_looks_like_the_sticker`)."""
    if request.layout == "line":
        return "013537"
    return "SERIAL NO.\n013537" if _looks_like_the_sticker(image) else "MIDI IN"


def test_valid_serial_gives_read_status_with_an_estimate_and_the_label_corners() -> None:
    data, corners = _photo()
    result = _scanner(_reads_only_the_sticker).scan(data, name="m1.png")
    assert result.status == "read"
    assert result.serial == "013537"
    assert result.model_id == "korg-m1" and result.model_assumed
    assert result.estimate is not None
    assert result.estimate.earliest <= result.estimate.most_likely <= result.estimate.latest
    assert result.label_quad is not None
    centre = np.mean(np.array(result.label_quad), axis=0)
    assert np.linalg.norm(centre - corners.mean(axis=0)) < 40
    assert result.elapsed_s > 0


def test_search_stops_at_the_first_sure_reading() -> None:
    data, _ = _photo()
    scanner = _scanner("SERIAL NO. 013537")
    result = scanner.scan(data, name="m1.png")
    assert result.status == "read"
    assert len(result.readings) == 1


def test_only_unlabelled_numbers_give_unreadable_with_a_guess() -> None:
    data, _ = _photo()
    result = _scanner("045632").scan(data, name="m1.png")
    assert result.status == "unreadable"
    assert result.serial is None
    assert result.guess == "045632"
    assert result.estimate is None


class _SureOnceTurned(FakeOcrEngine):
    """Reads ``first`` at ``first_confidence`` until the photo has been located turned
    half a turn (``turned_yet``), and ``turned`` at ``turned_confidence`` after (surely,
    unless told otherwise); digit passes get the digits alone.  With ``sticker_only``,
    only the drawn sticker's crops read so (its two lines make them the only crops 140
    pixels high or more at the reader's text heights; a legend's one line is under 120),
    the others as a panel legend."""

    def __init__(self, turned_yet: Callable[[], bool], first: str, turned: str,
                 first_confidence: float, *, sticker_only: bool = False,
                 turned_confidence: float = 0.95) -> None:
        super().__init__(self._text)
        self._turned_yet, self._first, self._turned = turned_yet, first, turned
        self._first_confidence, self._sticker_only = first_confidence, sticker_only
        self._turned_confidence = turned_confidence

    def _text(self, image: np.ndarray, request: OcrRequest) -> str:
        text = self._turned if self._turned_yet() else self._first
        if request.layout == "line":
            return text.split()[-1]
        if self._sticker_only and image.shape[0] < 140:
            return "MIDI IN"
        return text

    def read(self, image: np.ndarray, request: OcrRequest) -> OcrText:
        self._confidence = (self._turned_confidence if self._turned_yet()
                            else self._first_confidence)
        return super().read(image, request)


class _StickerReadOnlyTurned(FakeOcrEngine):
    """Before the photo is located turned half a turn (``turned_yet``), the drawn
    sticker's crops (see :func:`_looks_like_the_sticker`) read as nothing and every other
    crop as a QC sticker's number; after, the sticker's crops read ``SERIAL NO. 013537``
    surely and the others as a panel legend."""

    def __init__(self, turned_yet: Callable[[], bool]) -> None:
        super().__init__(self._text, confidence=0.95)
        self._turned_yet = turned_yet

    def _text(self, image: np.ndarray, request: OcrRequest) -> str:
        turned = self._turned_yet()
        if request.layout == "line":  # a number's digits, cut out on their own
            return "013537" if turned else "266704"
        if _looks_like_the_sticker(image):
            return "SERIAL NO. 013537" if turned else ""
        return "MIDI IN" if turned else "QC PASSED 266704"


def _scan_turning(
    monkeypatch: pytest.MonkeyPatch, first: str, turned: str, *, first_confidence: float = 0.5,
    sticker_only: bool = False, turned_confidence: float = 0.95,
    engine: Callable[[Callable[[], bool]], FakeOcrEngine] | None = None,
) -> tuple[ScanResult, list[np.ndarray]]:
    """Scan the test photo with :class:`_SureOnceTurned` (or ``engine``, given how to
    tell whether the photo was turned yet); the result, and the pixels of every photo the
    locator was given."""
    located: list[np.ndarray] = []
    locate = pipeline_module.locate_labels

    def recording(image: LoadedImage, options: ScanOptions, **kwargs: bool) -> LocatedLabels:
        located.append(image.pixels)
        return locate(image, options, **kwargs)

    monkeypatch.setattr(pipeline_module, "locate_labels", recording)

    def turned_yet() -> bool:
        return len(located) > 1

    reader = engine(turned_yet) if engine is not None else _SureOnceTurned(
        turned_yet, first, turned, first_confidence, sticker_only=sticker_only,
        turned_confidence=turned_confidence)
    # Without the finer search, whose locating would count as a turn.
    scanner = Scanner(ScanOptions(finer_locate_long_sides=()), engine=reader,
                      catalogue=CATALOGUE)
    data, _ = _photo()
    return scanner.scan(data, name="m1.png"), located


def test_a_label_not_read_surely_is_read_again_in_the_photo_turned_half_a_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result, located = _scan_turning(monkeypatch, "SERIAL NO. 013537", "SERIAL NO. 013537")
    assert len(located) == 2
    assert np.array_equal(located[1], np.rot90(located[0], 2))
    assert result.status == "read" and result.serial == "013537"
    # The label's corners are given in the photo as it was taken, not as it was turned.
    _, corners = _photo()
    assert result.label_quad is not None
    centre = np.mean(np.array(result.label_quad), axis=0)
    assert np.linalg.norm(centre - corners.mean(axis=0)) < 40
    turned = [reading for reading in result.readings if reading.mean_confidence > 0.9]
    unsure = [reading for reading in result.readings if reading.mean_confidence < 0.9]
    assert turned and unsure
    # The label's readings from both photos are readings of one place.
    label_rank = next(reading.crop.rank for reading in turned
                      if reading.crop.region.quad == result.label_quad)
    assert label_rank in {reading.crop.rank for reading in unsure}


def test_a_serial_read_surely_only_turned_and_otherwise_before_stays_unreadable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result, located = _scan_turning(monkeypatch, "SERIAL NO. 013537", "SERIAL NO. 246980")
    assert len(located) == 2
    assert result.status == "unreadable" and result.serial is None
    assert result.guess == "246980"
    assert any("013537" in problem for problem in result.problems)


def test_a_digit_read_otherwise_before_the_turn_stays_in_doubt_in_the_turned_photo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One digit apart, the slip a blurred glyph makes (not a wholly other serial): the
    # turned photo's sure reading does not outvote the place's readings before the turn.
    result, located = _scan_turning(monkeypatch, "SERIAL NO. 013537", "SERIAL NO. 013587",
                                    sticker_only=True)
    assert len(located) == 2
    turned = [reading for reading in result.readings if reading.mean_confidence > 0.9]
    assert turned and {number.text for reading in turned
                       for number in reading.numbers} == {"013587"}
    assert result.status == "unreadable" and result.serial is None
    assert result.guess in {"013537", "013587"}


def test_the_photo_turned_half_a_turn_is_read_only_where_a_number_was_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only the sticker's crops read a number, never surely; the panel's legends read as
    # words.  Turned, the sticker's first reading settles nothing either, so every region
    # the turned photo's search finds would be read, were the legends not left out.
    result, located = _scan_turning(monkeypatch, "SERIAL NO. 013537", "SERIAL NO. 013537",
                                    sticker_only=True, turned_confidence=0.5)
    assert len(located) == 2
    _, corners = _photo()

    def at_the_sticker(reading: OcrReading) -> bool:
        middle = np.mean(np.array(reading.crop.region.text_quad), axis=0)
        return cv2.pointPolygonTest(corners.astype(np.float32), tuple(map(float, middle)),
                                    False) >= 0

    before = [reading for reading in result.readings if not reading.photo_turned]
    turned = [reading for reading in result.readings if reading.photo_turned]
    # The photo as taken had the legends read too; turned, only the sticker is read again.
    assert any(not at_the_sticker(reading) for reading in before)
    assert turned and all(at_the_sticker(reading) for reading in turned)
    assert result.status == "unreadable" and result.guess == "013537"


def test_the_photo_turned_half_a_turn_is_read_at_the_best_region_where_nothing_was_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The sticker, upside down, reads as nothing in place; only a QC sticker's number
    # (beyond any M1's, a guess) was seen, far from it: no region of the turned photo
    # lies at the places it was seen.  Turned, the sticker reads surely: it is the
    # best-ranked region, read turned though no number was seen there.
    monkeypatch.setattr(pipeline_module, "_sighted_places", lambda checks, model: [])
    result, located = _scan_turning(monkeypatch, "", "", engine=_StickerReadOnlyTurned)
    assert len(located) == 2
    assert (result.status, result.serial) == ("read", "013537")
    assert all(reading.photo_turned for reading in result.readings
               if any(number.text == "013537" for number in reading.numbers))


def _box_region(left: float, top: float, right: float, bottom: float) -> LabelRegion:
    quad = ((left, top), (right, top), (right, bottom), (left, bottom))
    return LabelRegion(quad=quad, text_quad=quad, score=1.0, text_height=10.0,
                       polarity="dark-on-light", outlined=True, line_count=1, longest_line=6)


def test_the_turned_photo_reads_where_a_number_was_seen_before_the_best_ranked_region() -> None:
    # Only so many regions are read: those at the best-ranked region, read turned though
    # no number was seen there, come after those where one was, never in their way.
    image = LoadedImage(source="drawn", pixels=np.zeros((300, 400, 3), np.uint8),
                        original_size=(400, 300), scale=1.0, file_format="PNG",
                        exif_orientation=1)
    seen_at, best = _box_region(10, 10, 60, 40), _box_region(200, 100, 300, 200)

    def turned(region: LabelRegion) -> LabelRegion:  # the same place, the photo turned
        (left, top), (right, bottom) = region.quad[0], region.quad[2]
        return _box_region(400 - right, 300 - bottom, 400 - left, 300 - top)

    at_best = turned(_box_region(210, 110, 290, 190))
    at_both = turned(_box_region(0, 0, 310, 210))
    at_seen = turned(_box_region(15, 12, 55, 38))
    elsewhere = turned(_box_region(320, 220, 390, 290))
    # In the turned photo's own ranking the best-ranked region's place comes first.
    found = LocatedLabels((at_best, at_seen, elsewhere, at_both))
    kept = pipeline_module._turned_at_places(found, image, [[seen_at], [best]])
    assert kept.regions == (at_seen, at_both, at_best)
    assert pipeline_module._turned_at_places(found, image, [[seen_at]]).regions == (
        at_seen, at_both)


def test_every_crop_the_ocr_saw_gets_a_debug_file_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The label's place is read in both photos, and at several sizes in each.
    result, _ = _scan_turning(monkeypatch, "SERIAL NO. 013537", "SERIAL NO. 246980")
    ranks = [reading.crop.rank for reading in result.readings]
    assert len(ranks) > len(set(ranks))
    written = write_debug(result, tmp_path)
    crops = [path for path in written if path.suffix == ".png"]
    assert len(crops) == sum(len(reading.seen) for reading in result.readings)
    assert len({path.name for path in crops}) == len(crops)
    assert all(path.exists() for path in crops)


@pytest.mark.parametrize(("first", "status"), [("SERIAL NO. 013537", "read"),
                                                ("MIDI IN OUT THRU", "no-label")])
def test_a_photo_read_surely_or_showing_no_label_is_not_turned(
    monkeypatch: pytest.MonkeyPatch, first: str, status: str
) -> None:
    result, located = _scan_turning(monkeypatch, first, "SERIAL NO. 246980",
                                    first_confidence=0.95)
    assert result.status == status
    assert located[0].shape == _drawn()[0].shape
    # A photo showing no label is located turned a quarter turn too, in case it was
    # taken sideways; its print runs along its lines as it is, so that is all.
    assert len(located) == (1 if status == "read" else 2)
    assert all(np.array_equal(turned, np.rot90(located[0])) for turned in located[1:])
    assert not any("quarter turn" in problem for problem in result.problems)


def _reads_print_along_the_crop(image: np.ndarray, request: OcrRequest) -> str:
    """As :func:`_reads_only_the_sticker`, but only where the print's lines run along the
    crop, as Tesseract reads no print standing on its end: its ink then bands the crop's
    rows (lines and the gaps between them) more than its columns."""
    ink = (image < 128).astype(np.float64)
    if request.layout != "line" and ink.mean(axis=1).var() <= ink.mean(axis=0).var():
        return "MIDI IN"
    return _reads_only_the_sticker(image, request)


@pytest.mark.parametrize("quarters", [1, -1])
def test_a_photo_taken_sideways_is_read_turned_a_quarter_turn(quarters: int) -> None:
    upright, corners = _drawn()
    sideways = np.ascontiguousarray(np.rot90(upright, quarters))
    result = _scanner(_reads_print_along_the_crop).scan(encode(sideways), name="m1.png")
    assert (result.status, result.serial) == ("read", "013537")
    assert any("quarter turn" in problem for problem in result.problems)
    # The label's corners are given in the photo as it is, sideways.
    height, width = upright.shape[:2]
    expected = np.array([(y, width - 1 - x) if quarters == 1 else (height - 1 - y, x)
                         for x, y in corners])
    assert result.label_quad is not None
    centre = np.mean(np.array(result.label_quad), axis=0)
    assert np.linalg.norm(centre - expected.mean(axis=0)) < 40
    assert result.image is not None and result.image.pixels.shape == sideways.shape


def test_a_photo_read_upright_is_not_read_sideways() -> None:
    # The same engine reads the upright photo as it is, and reports no quarter turn.
    result = _scanner(_reads_print_along_the_crop).scan(encode(_drawn()[0]), name="m1.png")
    assert (result.status, result.serial) == ("read", "013537")
    assert not any("quarter turn" in problem for problem in result.problems)


@pytest.mark.tesseract
@pytest.mark.parametrize("quarters", [1, -1])
def test_a_sample_photo_taken_sideways_is_read(quarters: int, tmp_path: Path) -> None:
    upright = cv2.imread(str(SAMPLES / "m1-easy-black-sticker.jpg"))
    path = tmp_path / "sideways.jpg"
    cv2.imwrite(str(path), np.ascontiguousarray(np.rot90(upright, quarters)))
    result = Scanner(ScanOptions()).scan(path)
    assert (result.status, result.serial) == ("read", "213292")
    assert any("quarter turn" in problem for problem in result.problems)


def test_text_without_numbers_gives_no_label() -> None:
    data, _ = _photo()
    # Without the finer search, tested on its own below.
    result = _scanner("MIDI IN OUT THRU", finer_locate_long_sides=()).scan(data, name="m1.png")
    assert result.status == "no-label"
    assert result.serial is None and result.guess is None
    assert result.label_quad is None
    # Clear words read at the first text height are no label read badly: not tried again.
    # A crop in which no print shows is not read; smoothed, it shows none either, in
    # either layout.
    read = [(reading.crop.rank, reading.crop.text_height) for reading in result.readings]
    worded = [(reading.crop.rank, reading.crop.text_height) for reading in result.readings
              if reading.plain_words]
    blank = [place for place in read if place not in worded]
    tried = min(result.candidates, ScanOptions().max_candidates)
    assert tried > 0 and worded
    assert list(dict.fromkeys(read)) == [(rank, TEXT_HEIGHTS[0]) for rank in range(tried)]
    assert len(worded) == len(set(worded))
    assert all(blank.count(place) == 3 for place in blank)
    assert all(not reading.seen for reading in result.readings if not reading.plain_words)


def test_garbled_regions_are_read_again_at_the_other_text_heights() -> None:
    data, _ = _photo()
    result = _scanner("x7 ;r ~,", finer_locate_long_sides=()).scan(data, name="m1.png")
    assert result.status == "no-label"
    read = [(reading.crop.rank, reading.crop.text_height) for reading in result.readings]
    tried = min(result.candidates, ScanOptions().max_candidates)
    first, second, third = TEXT_HEIGHTS
    # Every candidate at the first text height, then the best-ranked again at the second,
    # and the best two of those once more at the third.
    # Each is read twice more at once, smoothed (it read as neither a number nor clear
    # words), in the sparse layout and then in the block layout; the places read, in
    # order:
    assert read[0::3] == read[1::3] == read[2::3]
    read = read[0::3]
    assert read[:tried] == [(rank, first) for rank in range(tried)]
    again = read[tried:]
    retried = len(again) - min(2, tried)
    assert retried > 0
    assert again == ([(rank, second) for rank in range(retried)]
                     + [(rank, third) for rank in range(min(2, tried))])


def _grainy_photo() -> bytes:
    """The test photo's sticker with hundreds of dark specks scattered over it, each a
    few pixels across: print on a grainy ground."""
    label = sticker(["SERIAL NO.", "013537"])
    rng = np.random.default_rng(7)
    for _ in range(600):
        y, x = int(rng.integers(0, label.shape[0] - 3)), int(rng.integers(0, label.shape[1] - 3))
        label[y: y + 3, x: x + 3] = 50
    image, _ = place(panel(seed=11), label, at=(1100, 800), angle=-9)
    return encode(image)


def _read_only_without_specks(image: np.ndarray, request: OcrRequest) -> str:
    """Answers as Tesseract does print on grain: nothing where dark specks far smaller
    than a character are strewn about, the sticker's text where they are not."""
    _, _, stats, _ = cv2.connectedComponentsWithStats((image < 200).astype(np.uint8))
    specks = int((stats[1:, cv2.CC_STAT_HEIGHT] < 9).sum())
    if specks > len(stats) - 1 - specks:
        return "x7 ;r ~,"
    if request.layout == "line":
        return "013537"
    light = float((image > 128).mean())
    return "SERIAL NO.\n013537" if light > 0.8 and image.shape[0] > 60 else "MIDI IN"


def test_a_crop_read_as_nothing_for_grain_is_read_again_with_the_grain_cleared() -> None:
    result = _scanner(_read_only_without_specks,
                      finer_locate_long_sides=()).scan(_grainy_photo(), name="m1.png")
    assert (result.status, result.serial) == ("read", "013537")
    # The reading came from a second reading of a crop, at the same rank and size as
    # the first, that had read nothing.
    chosen = result.readings[-1]
    first = [reading for reading in result.readings
             if (reading.crop.rank, reading.crop.text_height)
             == (chosen.crop.rank, chosen.crop.text_height)]
    assert len(first) == 2 and not first[0].numbers
    assert first[1].numbers[0].text == "013537"


def _reads_the_sticker_only_smoothed(layouts: set[str]) -> Reply:
    """Answers as Tesseract does print under fine speckle: a stray word for a crop with
    two lines of print (the sticker's) until it is given that crop smoothed as the
    pipeline smooths one (see :func:`smoothed`) in one of ``layouts``; a legend for any
    other crop."""
    earlier: list[np.ndarray] = []

    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout == "line":
            return "013537"
        inked = np.concatenate([[0], (image < 128).any(axis=1).astype(np.int8), [0]])
        starts, ends = np.flatnonzero(np.diff(inked) == 1), np.flatnonzero(np.diff(inked) == -1)
        if int(((ends - starts) >= 10).sum()) != 2:
            return "MIDI IN"
        smoothed_before = any(
            before.shape == image.shape and np.array_equal(smoothed(before, TEXT_HEIGHTS[0]), image)
            for before in earlier)
        earlier.append(image.copy())
        return ("SERIAL NO.\n013537" if smoothed_before and request.layout in layouts
                else "renee")

    return reply


def _place_of_the_serial(layouts: set[str]) -> tuple[ScanResult, list[OcrReading], FakeOcrEngine]:
    """A scan with :func:`_reads_the_sticker_only_smoothed`; the readings of the place the
    serial was read at, in order; the engine."""
    engine = FakeOcrEngine(_reads_the_sticker_only_smoothed(layouts))
    scanner = Scanner(ScanOptions(finer_locate_long_sides=()), engine=engine,
                      catalogue=CATALOGUE)
    result = scanner.scan(_photo()[0], name="m1.png")
    assert (result.status, result.serial) == ("read", "013537")
    chosen = result.readings[-1]
    place = [reading for reading in result.readings
             if (reading.crop.rank, reading.crop.text_height)
             == (chosen.crop.rank, chosen.crop.text_height)]
    first = place[0]
    assert (first.text, first.numbers, first.plain_words) == ("renee", (), False)
    # Not grain (that has its own clearing): every later reading is of the same crop,
    # smoothed.
    assert grain_cleared(first.crop) is None
    assert all(np.array_equal(again.crop.grey, smoothed(first.crop.grey, first.crop.text_height))
               for again in place[1:])
    assert place[-1] is chosen and chosen.numbers[0].text == "013537"
    return result, place, engine


def test_a_crop_read_as_a_stray_word_is_read_again_smoothed() -> None:
    _, place, engine = _place_of_the_serial({"sparse", "block"})
    # Read at the second reading, in the sparse layout: the block layout is not tried.
    assert len(place) == 2
    assert all(request.layout != "block" for _, request in engine.seen)


def test_smoothed_print_still_read_as_junk_is_read_in_the_block_layout() -> None:
    _, place, engine = _place_of_the_serial({"block"})
    # Smoothed, still a stray word in the sparse layout; read in the block layout third.
    assert len(place) == 3
    assert (place[1].text, place[1].numbers, place[1].plain_words) == ("renee", (), False)
    assert any(request.layout == "block" for _, request in engine.seen)


def test_a_crop_read_as_plain_words_is_not_read_again_for_grain() -> None:
    # The same grain under a crop read as clear words: a legend, not a label read badly.
    result = _scanner("MIDI IN OUT THRU",
                      finer_locate_long_sides=()).scan(_grainy_photo(), name="m1.png")
    assert result.status == "no-label"
    places = [(reading.crop.rank, reading.crop.text_height) for reading in result.readings]
    worded = [(reading.crop.rank, reading.crop.text_height) for reading in result.readings
              if reading.plain_words]
    assert worded  # the sticker's crop among them
    assert result.readings[0].plain_words and result.readings[0].crop.rank == 0
    assert all(places.count(place) == 1 for place in worded)


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "serial"), [(20261190, "166797"), (20261412, "031535")])
def test_print_on_heavy_grain_is_read_once_the_grain_is_cleared(
    seed: int, serial: str, tmp_path: Path
) -> None:
    # Hard photos whose sticker's print stands on coarse grain: Tesseract read nothing
    # in any crop of it until the specks were painted over.
    result = scan_generated(seed, "hard", serial, tmp_path)
    assert (result.status, result.serial) == ("read", serial)


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "difficulty", "serial"),
                         [(12086, "hard", "244452"), (16049, "medium", "181920")])
def test_print_under_fine_speckle_is_read_once_smoothed(
    seed: int, difficulty: str, serial: str, tmp_path: Path
) -> None:
    # Stickers a person reads at once, whose crops Tesseract read as a stray word or as
    # nothing either way up (both ended with no label before).
    result = scan_generated(seed, difficulty, serial, tmp_path)
    assert (result.status, result.serial) == ("read", serial)


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "serial"), [(30096, "060497"), (31096, "120307")])
def test_closeups_of_large_dot_matrix_print_and_of_slanted_slashed_zeros_are_read(
    seed: int, serial: str, tmp_path: Path
) -> None:
    # Easy close-ups: a dot-matrix "S/N 060497" whose large dots touch here and there
    # (no label found before), and a bold slanted "120307" whose slashed zeros both
    # models read as 6s (126367 reported before).
    scene = generate_scene(seed, "easy", closeup=True)
    assert scene.serial == serial
    write_scene(scene, tmp_path / "photo.jpg")
    result = Scanner(ScanOptions()).scan(tmp_path / "photo.jpg")
    assert (result.status, result.serial) == ("read", serial)


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "difficulty", "serial"),
                         [(15147, "easy", "023466"), (11133, "medium", "008143")])
def test_leaning_or_blurred_dot_matrix_print_is_read_from_its_pins(
    seed: int, difficulty: str, serial: str, tmp_path: Path
) -> None:
    # A silver sticker with a cut corner, "NO 023466" in emphasised dot-matrix print: the
    # outline the crop was rectified from leaves the print leaning by about 0.3 (no label
    # found before). And a blurred "S/N 008143" whose dots' halo makes the print look
    # taller than its pin rows (unreadable before).
    result = scan_generated(seed, difficulty, serial, tmp_path)
    assert (result.status, result.serial) == ("read", serial)


@pytest.mark.tesseract
def test_a_zero_grain_closes_into_a_nine_in_one_view_is_no_reading(tmp_path: Path) -> None:
    # "124029" on grain: the cleared crop of one line of the sticker reads "124929" surely,
    # the sticker's whole region "124029" in most passes.  Which is right cannot be told.
    result = scan_generated(20261151, "hard", "124029", tmp_path)
    assert result.serial in (None, "124029")


def _wording_only_when_wide(image: np.ndarray, request: OcrRequest) -> str:
    """Only crops of a region's surroundings with nine character heights added at each end
    of its lines are this wide in the test photos; they take in the wording too."""
    if request.layout == "line":
        return "013537"
    return "SERIAL NO. 013537" if image.shape[1] > 900 else "013537"


def test_serial_wording_just_outside_a_bare_numbers_region_is_found() -> None:
    data, _ = _photo()

    def no_wide_crops(image: np.ndarray, request: OcrRequest) -> str:
        return "013537"

    found = _scanner(_wording_only_when_wide).scan(data, name="m1.png")
    assert found.status == "read" and found.serial == "013537"
    assert any(reading.crop.region.surroundings for reading in found.readings)
    bare = _scanner(no_wide_crops).scan(data, name="m1.png")
    assert bare.status == "unreadable" and bare.guess == "013537"


def test_the_lines_above_and_below_a_bare_number_are_read_on_their_own_first() -> None:
    data, _ = _photo()

    def wording_only_in_a_narrow_crop(image: np.ndarray, request: OcrRequest) -> str:
        # As when the panel around a small sticker keeps Tesseract from finding the
        # label's lines in a wide crop: the wording above the number reads only in a
        # crop little wider than the label, at most 1.9 times as wide as it is tall (in
        # this photo, the look at a region's lines above and below alone).
        if request.layout == "line":
            return "013537"
        narrow = image.shape[1] <= 1.9 * image.shape[0]
        return "SERIAL NO.\n013537" if narrow else "013537"

    found = _scanner(wording_only_in_a_narrow_crop).scan(data, name="m1.png")
    assert found.status == "read" and found.serial == "013537"
    around = [reading.crop for reading in found.readings if reading.crop.region.surroundings]
    # The number's own line widened along it comes first (see the next test), then the
    # lines above and below; the crop with its line widened too is never needed.
    assert len(around) == 2 and {crop.text_height for crop in around} == {TEXT_HEIGHTS[0]}
    assert [_flat(crop.grey) for crop in around] == [True, False]


def _flat(image: np.ndarray) -> bool:
    """Whether ``image`` is more than seven times as wide as it is tall: in these photos,
    only a look at a bare number's own line, widened along it, is."""
    return bool(image.shape[1] > 7 * image.shape[0])


def test_wording_on_a_bare_numbers_line_just_outside_its_region_is_read_on_that_line() -> None:
    data, _ = _photo()

    def wording_only_on_its_own_line(image: np.ndarray, request: OcrRequest) -> str:
        # As on a silver plate with glare over and under its print: "No." before the
        # number, outside its region, reads only in a crop of the number's line alone.
        if request.layout == "line":
            return "013537"
        return "No. 013537" if _flat(image) else "013537"

    found = _scanner(wording_only_on_its_own_line).scan(data, name="m1.png")
    assert found.status == "read" and found.serial == "013537"
    last = found.readings[-1]
    assert last.crop.region.surroundings and _flat(last.crop.grey)
    assert last.numbers[0].before == "No."


def test_a_bare_number_the_finer_search_found_is_read_again_in_its_surroundings() -> None:
    # The sticker is found only by the finer search.
    data, _ = _small_print_photo()
    result = _scanner(_wording_only_when_wide).scan(data, name="m1.png")
    assert result.status == "read" and result.serial == "013537"
    options = ScanOptions()
    first = locate_labels(load_image(data, options, name="m1.png"), options).regions
    assert result.readings[-1].crop.region.surroundings
    assert result.readings[-1].crop.rank >= len(first)


def test_a_bare_number_only_a_second_look_read_is_read_again_in_its_surroundings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, _ = _photo()
    looking_at: list[tuple[bool, int]] = []
    enhance = pipeline_module.enhance_region

    def noting_the_crop(*args: object, **kwargs: object) -> object:
        crop = enhance(*args, **kwargs)  # type: ignore[arg-type]
        looking_at.append((crop.region.surroundings, crop.text_height))
        return crop

    def read(image: np.ndarray, request: OcrRequest) -> str:
        # Every region's crop at the first text height reads as garbage; at the second,
        # the number shows without its wording, which only the look at the region's
        # surroundings with its line widened (crops over 900 pixels wide) takes in.
        around, height = looking_at[-1]
        if around:
            wide = image.shape[1] > 900
            return "013537" if request.layout == "line" else (
                "SERIAL NO. 013537" if wide else "013537")
        if height == TEXT_HEIGHTS[1]:
            return "013537"
        return "" if request.layout == "line" else "x7 ;r ~,"

    monkeypatch.setattr(pipeline_module, "enhance_region", noting_the_crop)
    result = _scanner(read).scan(data, name="m1.png")
    assert result.status == "read" and result.serial == "013537"
    last = result.readings[-1].crop
    assert last.region.surroundings and last.text_height == TEXT_HEIGHTS[0]
    # The number was read by a second look only, at the second text height.
    bare = [reading.crop for reading in result.readings
            if reading.numbers and not reading.crop.region.surroundings]
    assert bare and {crop.text_height for crop in bare} == {TEXT_HEIGHTS[1]}
    assert last.rank in {crop.rank for crop in bare}


def test_a_number_read_unsurely_after_its_wording_is_read_again_in_its_surroundings() -> None:
    data, _ = _photo()

    def reader(sure_when_wide: bool) -> Callable[[np.ndarray, OcrRequest], str]:
        wide = [False]

        def read(image: np.ndarray, request: OcrRequest) -> str:
            # Every crop reads the wording and the number, and the digits-only passes on
            # the number find no line, except (when ``sure_when_wide``) those that follow
            # a look at a region's surroundings: the only crops this wide in this photo.
            # (No pass reads a digit otherwise: that would keep it in doubt everywhere.)
            if request.layout != "line":
                wide[0] = image.shape[1] > 900
                return "SERIAL NO. 013537"
            return "013537" if sure_when_wide and wide[0] else ""

        return read

    found = _scanner(reader(sure_when_wide=True)).scan(data, name="m1.png")
    assert found.status == "read" and found.serial == "013537"
    # The surroundings of the surest such number are looked at first, at the first text
    # height only (the wording is there already): its lines above and below alone, then
    # its line widened too.
    assert [(reading.crop.text_height, reading.crop.region.surroundings)
            for reading in found.readings][-1] == (TEXT_HEIGHTS[0], True)
    unsure = _scanner(reader(sure_when_wide=False)).scan(data, name="m1.png")
    assert unsure.status == "unreadable"
    wider = [reading.crop for reading in unsure.readings if reading.crop.region.surroundings]
    # Two numbers' surroundings after the first looks, and two more after the finer
    # search: those of regions whose number a second look read and none looked around.
    # Then, in the photo turned half a turn (read again with no further searches), the
    # first two numbers' surroundings once more.
    assert [crop.text_height for crop in wider] == [TEXT_HEIGHTS[0]] * 12
    pairs = [wider[index: index + 2] for index in range(0, 12, 2)]
    assert all(near.rank == widened.rank and near.grey.shape[1] < widened.grey.shape[1]
               for near, widened in pairs)
    assert [near.rank for near, _ in pairs] == [0, 1, 2, 3, 0, 1]


def test_a_look_at_a_regions_surroundings_keeps_the_doubts_its_own_crops_raised() -> None:
    data, _ = _photo()
    slips = iter(["013587", "013537"] * 200)
    wide = [False]

    def read(image: np.ndarray, request: OcrRequest) -> str:
        # The region's own crops read the fifth digit as a 3 and as an 8 by turns; the
        # crops of its surroundings nine character heights wider, the only ones this wide
        # in this photo, read a 3 in every pass.
        if request.layout != "line":
            wide[0] = image.shape[1] > 900
            return "SERIAL NO. 013537"
        return "013537" if wide[0] else next(slips)

    result = _scanner(read).scan(data, name="m1.png")
    assert any(reading.crop.region.surroundings and reading.numbers
               and reading.numbers[0].votes == reading.numbers[0].passes
               for reading in result.readings)
    assert result.status == "unreadable" and result.guess == "013537"


def _whole_only_when_wide(cut: Reply, whole: Reply | None) -> Reply:
    """Answers every pass as ``whole`` does (when given) after a block pass on a crop over
    900 pixels wide (in these photos, only a look at a region's surroundings with its line
    widened), and as ``cut`` does otherwise: the regions end inside the number."""
    wide = [False]

    def reply(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout != "line":
            wide[0] = image.shape[1] > 900
        return (whole if whole is not None and wide[0] else cut)(image, request)

    return reply


def _whole_serial(_image: np.ndarray, request: OcrRequest) -> str:
    return "013537" if request.layout == "line" else "SERIAL NO. 013537"


def _wording_and(digits: str) -> Reply:
    """Answers "SERIAL NO." and ``digits`` (only the digits for a single line)."""
    def reply(_image: np.ndarray, request: OcrRequest) -> str:
        return digits if request.layout == "line" else f"SERIAL NO. {digits}"

    return reply


def test_a_number_cut_short_after_its_wording_is_read_whole_in_its_surroundings() -> None:
    data, _ = _photo()
    two_digits_short = _wording_and("0135")
    found = _scanner(_whole_only_when_wide(two_digits_short, _whole_serial)).scan(
        data, name="m1.png")
    assert found.status == "read" and found.serial == "013537"
    assert found.readings[-1].crop.region.surroundings
    short = _scanner(_whole_only_when_wide(two_digits_short, None)).scan(data, name="m1.png")
    assert short.status == "unreadable" and short.guess == "0135"
    assert any(reading.crop.region.surroundings for reading in short.readings)


def test_a_number_every_crop_but_the_widest_reads_without_its_last_digit_is_a_guess() -> None:
    # The region's crops and the nearer look at its surroundings, which reaches past the
    # number's end, read it surely without its last digit; only the widest look reads
    # it whole.  So would a thumb over the last digit look, its rim read as a digit in
    # one crop: the whole reading is only a guess, with the reason.
    data, _ = _photo()
    found = _scanner(_whole_only_when_wide(_wording_and("01353"), _whole_serial)).scan(
        data, name="m1.png")
    assert (found.status, found.serial, found.guess) == ("unreadable", None, "013537")
    assert any("read 01353, without its last digit" in problem for problem in found.problems)


@pytest.mark.parametrize(("bare", "looked_around"), [
    ("13537", True),  # one digit short of the model's six: the region may end inside it
    ("3537", False),  # shorter: another number, a part number's or a model's
])
def test_a_bare_number_one_digit_short_is_read_whole_in_its_surroundings(
    bare: str, looked_around: bool,
) -> None:
    # The number's line found as a block of its own, its first digit and the wording
    # before it outside the region.
    data, _ = _photo()

    def without_its_first_digit(_image: np.ndarray, request: OcrRequest) -> str:
        return bare

    found = _scanner(_whole_only_when_wide(without_its_first_digit, _whole_serial),
                     finer_locate_long_sides=()).scan(data, name="m1.png")
    assert any(reading.crop.region.surroundings for reading in found.readings) == looked_around
    if looked_around:
        assert (found.status, found.serial) == ("read", "013537")
    else:
        assert found.serial is None


def test_serial_wording_with_its_number_cut_off_by_the_region_is_read_in_its_surroundings(
) -> None:
    data, _ = _photo()

    def cut_after_the_wording(image: np.ndarray, request: OcrRequest) -> str:
        # Two digits of the number at the crop's end (as when a panel legend beside a
        # small sticker was taken into its block).  The fake engine boxes each character
        # 10 pixels wide: the filler word puts the "01" there.
        if request.layout == "line":
            return "01"
        filler = max(1, -(-(image.shape[1] - 168) // 10))
        return f"{'M' * filler} SERIAL NO. 01"

    found = _scanner(_whole_only_when_wide(cut_after_the_wording, _whole_serial)).scan(
        data, name="m1.png")
    assert found.status == "read" and found.serial == "013537"
    assert found.readings[-1].crop.region.surroundings
    cut = _scanner(_whole_only_when_wide(cut_after_the_wording, None)).scan(data, name="m1.png")
    assert cut.status == "no-label"
    assert any(reading.crop.region.surroundings for reading in cut.readings)


def test_small_print_blurred_into_solid_runs_is_found_by_the_finer_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Light print about 20 pixels tall on a dark 6-megapixel panel, blurred until each
    # word is one mark filling more of its box than the first search allows a joined run.
    image = np.full((2000, 3000, 3), 30, np.uint8)
    cv2.putText(image, "S/N 113380", (1200, 1000), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                (225, 225, 220), 3, cv2.LINE_AA)
    data = encode(cv2.GaussianBlur(image, (0, 0), 2.5))
    found = _scanner("S/N 113380").scan(data, name="m1.png")
    assert found.status == "read" and found.serial == "113380"
    assert found.candidates == 1
    options = ScanOptions()
    assert locate_labels(load_image(data, options, name="m1.png"), options).regions == ()
    # Without blurred runs the finer search finds nothing either.
    original = pipeline_module.locate_labels
    monkeypatch.setattr(pipeline_module, "locate_labels",
                        lambda image, options, **_: original(image, options))
    assert _scanner("S/N 113380").scan(data, name="m1.png").status == "no-label"


def test_blank_photo_reads_nothing_and_calls_no_ocr() -> None:
    engine = FakeOcrEngine("SERIAL NO. 013537")
    scanner = Scanner(ScanOptions(), engine=engine, catalogue=CATALOGUE)
    result = scanner.scan(encode(np.full((600, 800, 3), 90, np.uint8)), name="blank.png")
    assert result.status == "no-label"
    assert result.candidates == 0
    assert engine.seen == []


def _small_print_photo(scale: float = 0.85) -> tuple[bytes, np.ndarray]:
    """A 12-megapixel panel with a sticker whose print, at the locator's first working
    size, is under the height anything legible has (about 5 pixels; 7 at the finer).
    At ``scale`` 0.65 the sticker is a fifth of a percent of the photo, and its print is
    found as text only by the finest search (at 2,048 pixels on the long side)."""
    image, corners = place(panel(4000, 3000, seed=5), sticker(["SERIAL NO.", "013537"],
                                                             scale=scale),
                           at=(2900, 2100), angle=-7)
    return encode(image), corners


def _centre_within(quad: object, corners: np.ndarray) -> bool:
    centre = np.mean(np.array(quad, np.float32), axis=0)
    return cv2.pointPolygonTest(np.array(corners, np.float32), tuple(map(float, centre)),
                                False) > 0


def _large_and_small_print_photo() -> bytes:
    """The small-print panel with a second sticker, large enough for the first search."""
    small, _ = _small_print_photo()
    image = cv2.imdecode(np.frombuffer(small, np.uint8), cv2.IMREAD_COLOR)
    both, _ = place(image, sticker(["SERIAL NO.", "013537"], scale=4.0), at=(1300, 1000),
                    angle=5)
    return encode(both)


def test_print_too_small_for_the_first_search_is_found_by_a_finer_one() -> None:
    data, corners = _small_print_photo()
    coarse_only = _scanner("SERIAL NO. 013537", finer_locate_long_sides=())
    assert coarse_only.scan(data, name="m1.png").status == "no-label"
    result = _scanner("SERIAL NO. 013537").scan(data, name="m1.png")
    assert result.status == "read" and result.serial == "013537"
    assert result.label_quad is not None and _centre_within(result.label_quad, corners)


def test_print_too_small_for_the_finer_search_is_found_by_the_finest_one() -> None:
    data, corners = _small_print_photo(scale=0.65)

    def read_on_the_sticker(result: ScanResult) -> bool:
        return any(_centre_within(reading.crop.region.quad, corners)
                   for reading in result.readings)

    one_finer = _scanner("MIDI IN", finer_locate_long_sides=(1400,)).scan(data, name="m1.png")
    assert one_finer.readings and not read_on_the_sticker(one_finer)
    assert read_on_the_sticker(_scanner("MIDI IN").scan(data, name="m1.png"))


@pytest.mark.tesseract
def test_a_sticker_a_fifth_of_a_percent_of_a_12_megapixel_photo_is_read() -> None:
    data, _ = _small_print_photo(scale=0.65)
    result = Scanner(ScanOptions(), catalogue=CATALOGUE).scan(data, name="m1.png")
    assert result.status == "read" and result.serial == "013537"


def test_a_finer_search_is_made_only_where_the_photo_has_finer_detail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    searched: list[int] = []

    def counted(image: LoadedImage, options: ScanOptions, **kwargs: bool) -> LocatedLabels:
        searched.append(options.locate_long_side)
        return locate_labels(image, options, **kwargs)

    monkeypatch.setattr(pipeline_module, "locate_labels", counted)
    scanner = _scanner("MIDI IN OUT THRU")
    small = encode(panel(1300, 1000, seed=5))
    assert scanner.scan(small, name="small.png").status == "no-label"
    # 1,400 pixels is already finer than this photo has: the search there is at its own
    # size, and one at 2,048 would see nothing new.  (Last, the photo turned a quarter
    # turn is located at the first size, in case it was taken sideways.)
    assert searched == [1024, 1400, 1024]
    searched.clear()
    assert scanner.scan(_large_and_small_print_photo(), name="m1.png").status == "no-label"
    assert searched == [1024, 1400, 2048, 1024]


def test_the_finer_search_reads_only_new_places_after_nothing_was_read() -> None:
    data = _large_and_small_print_photo()
    options = ScanOptions()
    first = locate_labels(load_image(data, options, name="m1.png"), options).regions
    result = _scanner("MIDI IN OUT THRU").scan(data, name="m1.png")
    assert result.status == "no-label"
    finer = [reading.crop.region for reading in result.readings
             if reading.crop.rank >= len(first)]
    assert 0 < len(finer) <= options.finer_candidates * len(options.finer_locate_long_sides)
    assert result.candidates == len(first) + len(finer)
    read_first = first[: options.max_candidates]
    assert new_places(finer, read_first) == finer
    assert all(new_places([region], finer[:index]) == [region]
               for index, region in enumerate(finer))


def test_a_serial_read_even_unsurely_ends_the_search_before_the_finer_one() -> None:
    data = _large_and_small_print_photo()
    options = ScanOptions()
    first = locate_labels(load_image(data, options, name="m1.png"), options).regions
    unsure = Scanner(options, engine=FakeOcrEngine("SERIAL NO. 013537", confidence=0.85),
                     catalogue=CATALOGUE).scan(data, name="m1.png")
    assert unsure.status == "read"
    assert unsure.candidates == len(first)
    assert all(reading.crop.rank < len(first) for reading in unsure.readings)
    nothing = _scanner("MIDI IN OUT THRU").scan(data, name="m1.png")
    assert nothing.candidates > len(first)


def test_large_dot_matrix_print_is_read_small_once_nothing_else_gave_a_serial() -> None:
    photo, _ = dot_matrix_sticker_photo()
    data = encode(photo)
    options = ScanOptions()
    image = load_image(data, options, name="m1.png")
    located = locate_labels(image, options).regions
    dotted = dotted_print_regions(image, options, located[: options.max_candidates])
    assert dotted

    def heights_read(result: ScanResult) -> list[int]:
        return [reading.crop.text_height for reading in result.readings
                if reading.crop.region == dotted[0]]

    # Read at the two smaller heights, where the dots run together, after every other
    # region (a serial read before ends the search sooner, as tested above).
    nothing = _scanner("MIDI IN OUT THRU").scan(data, name="m1.png")
    assert heights_read(nothing) == list(TEXT_HEIGHTS[1:])
    assert [reading.crop.region for reading in nothing.readings[-2:]] == dotted * 2
    assert nothing.candidates == len(located) + 1


def test_wrong_length_serial_is_a_guess_however_sure() -> None:
    data, _ = _photo()
    engine = FakeOcrEngine("SERIAL NO. 0135377", confidence=0.99)
    result = Scanner(ScanOptions(), engine=engine, catalogue=CATALOGUE).scan(data, name="x.png")
    assert result.status == "unreadable"
    assert result.serial is None
    assert result.guess == "0135377"
    assert result.estimate is None
    assert any("does not fit" in problem for problem in result.problems)


def test_chosen_model_is_used_and_not_assumed() -> None:
    data, _ = _photo()
    result = _scanner("SERIAL NO. 103917", model_id="korg-m1r").scan(data, name="m1r.png")
    assert result.model_id == "korg-m1r" and not result.model_assumed


def test_bad_file_raises_for_one_photo_and_is_a_row_in_many(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(_photo()[0])
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    scanner = _scanner("SERIAL NO. 013537")
    with pytest.raises(BadInputError, match=r"broken\.jpg"):
        scanner.scan(broken)
    results = list(scanner.scan_many([broken, good, tmp_path / "missing.jpg"]))
    assert [r.status for r in results] == ["bad-input", "read", "bad-input"]
    assert "no such file" in results[2].reason
    assert results[1].serial == "013537"


def test_result_dict_has_every_field() -> None:
    data, _ = _photo()
    result = _scanner("SERIAL NO. 013537").scan(data, name="m1.png")
    payload = result.to_dict()
    for key in ("source", "status", "reason", "serial", "guess", "confidence", "label_quad",
                "estimate", "readings", "elapsed_s", "model", "model_assumed", "problems"):
        assert key in payload
    assert payload["estimate"]["anchors"]


# --------------------------------------------------------------------------------------
# Which model a photo is read as; any product's label; other numbering schemes
# --------------------------------------------------------------------------------------


def _label(text: str, digits: str) -> object:
    """A fake OCR reply: ``text`` for the whole crop, ``digits`` for a digits-only pass
    (the fake engine cannot look at where a number is, so it is told)."""
    def reply(image: np.ndarray, request: OcrRequest) -> str:
        return digits if request.layout == "line" else text
    return reply


@pytest.mark.parametrize(
    ("label", "model_id"),
    [("KORG M1R\nSERIAL NO. 103917", "korg-m1r"),
     ("KORG M1R-EX\nSERIAL NO. 103917", "korg-m1rex"),
     ("M1 EX\nSERIAL NO. 103917", "korg-m1ex"),
     ("KORG M1 MUSIC WORKSTATION\nSERIAL NO. 103917", "korg-m1")],
)
def test_model_named_on_the_label_is_used(label: str, model_id: str) -> None:
    data, _ = _photo()
    result = _scanner(_label(label, "103917")).scan(data, name="unit.png")
    assert result.model_id == model_id
    assert not result.model_assumed
    assert result.model_reason.startswith("the label shows ")
    assert result.estimate is not None and result.estimate.model_id == model_id


def test_model_given_wins_over_the_label() -> None:
    data, _ = _photo()
    result = _scanner(_label("KORG M1R\nSERIAL NO. 103917", "103917"),
                      model_id="korg-m1ex").scan(data, name="x")
    assert (result.model_id, result.model_reason) == ("korg-m1ex", "given with --model")


def test_no_model_name_is_an_assumption_and_says_so() -> None:
    data, _ = _photo()
    result = _scanner("SERIAL NO. 103917").scan(data, name="x")
    assert (result.model_id, result.model_assumed) == ("korg-m1", True)
    assert result.model_reason == "assumed; choose another with --model"


def test_two_model_names_are_ambiguous_and_the_default_is_assumed() -> None:
    data, _ = _photo()
    result = _scanner(_label("M1 M1R\nSERIAL NO. 103917", "103917")).scan(data, name="x")
    assert result.model_assumed
    assert result.model_reason == (
        "the labels name korg-m1, korg-m1r; assumed; choose another with --model"
    )


def test_generic_reads_any_products_serial_and_gives_no_date() -> None:
    data, _ = _photo()
    result = _scanner(_label("ACME ROUTER X200\nS/N: AB12-3456-CD", "3456"),
                      model_id="generic").scan(data, name="router.png")
    assert (result.status, result.serial, result.model_id) == ("read", "AB12-3456-CD",
                                                                "generic")
    assert result.estimate is None


def test_pattern_without_a_model_reads_as_any_product() -> None:
    data, _ = _photo()
    result = _scanner("SL NO. AB123456", serial_pattern="[A-Z]{2}[0-9]{6}").scan(data, name="x")
    assert (result.status, result.serial, result.model_id) == ("read", "AB123456", "generic")
    assert result.model_reason == "any product: --pattern sets the serial format"


def test_a_year_based_korg_serial_is_named_and_not_dated_as_an_m1() -> None:
    data, _ = _photo()
    result = _scanner("SERIAL NO. 781234").scan(data, name="ms20.png")
    assert (result.status, result.serial) == ("invalid", "781234")
    assert result.estimate is None
    assert result.reason == (
        "not a Korg M1 serial: looks like a 1970s Korg year-based serial (c.1966-81): "
        "made in 1978"
    )
    assert [match.year for match in result.other_schemes] == [1978]

class _TripsOnce:
    """An OCR reply that fails on its first call, as a bug in an engine would."""

    def __init__(self) -> None:
        self.tripped = False

    def __call__(self, image: np.ndarray, request: OcrRequest) -> str:
        if not self.tripped:
            self.tripped = True
            raise RuntimeError("engine tripped")
        return "SERIAL NO. 013537"


def test_an_unexpected_failure_is_a_crashed_row_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(_photo()[0])
    results = list(_scanner(_TripsOnce()).scan_many([good, good]))
    assert [r.status for r in results] == ["crashed", "read"]
    assert "RuntimeError: engine tripped" in results[0].reason
    assert results[0].source == str(good)


def test_a_serial_read_not_quite_surely_ends_the_search_after_the_first_looks() -> None:
    data, _ = _photo()
    engine = FakeOcrEngine("SERIAL NO. 013537", confidence=0.85)
    result = Scanner(ScanOptions(), engine=engine, catalogue=CATALOGUE).scan(data, name="m1")
    assert result.status == "read" and 0.8 <= result.confidence < 0.9
    # Every candidate is read once (a surer label might follow), none a second time (one
    # in which no print shows is not read, and smoothed shows none either, in either
    # layout).
    read = [reading.crop.rank for reading in result.readings if reading.seen]
    blank = [reading.crop.rank for reading in result.readings if not reading.seen]
    assert len(read) == len(set(read)) and all(blank.count(rank) == 3 for rank in blank)
    assert sorted({*read, *blank}) == list(
        range(min(result.candidates, ScanOptions().max_candidates)))
    assert all(reading.numbers for reading in result.readings if reading.seen)
    assert {reading.crop.text_height for reading in result.readings} == {TEXT_HEIGHTS[0]}
    assert not any(reading.crop.region.surroundings for reading in result.readings)


# --------------------------------------------------------------------------------------
# Reading on several threads
# --------------------------------------------------------------------------------------


class _Engines:
    """An engine factory for scanners: fake engines that all answer with ``reply``, each
    noting the threads it was called on."""

    def __init__(self, reply: str | Callable[[np.ndarray, OcrRequest], str]) -> None:
        self.reply = reply
        self.made: list[FakeOcrEngine] = []
        self.callers: list[set[int]] = []

    def __call__(self, options: ScanOptions) -> FakeOcrEngine:
        callers: set[int] = set()

        def read(image: np.ndarray, request: OcrRequest) -> str:
            callers.add(threading.get_ident())
            return self.reply if isinstance(self.reply, str) else self.reply(image, request)

        engine = FakeOcrEngine(read)
        self.made.append(engine)
        self.callers.append(callers)
        return engine


def _letters(number: int) -> str:
    return "".join(chr(ord("A") + int(digit)) for digit in str(number))


def _garbled_naming_the_crop(image: np.ndarray, request: OcrRequest) -> str:
    """Garbage with no number and no clear words (so every region is read again), but
    different for every crop size: the readings show which crop they came from."""
    return f"x7 ;r ~, {_letters(image.shape[0])}{_letters(image.shape[1])}"


def _outcome(result: ScanResult) -> tuple[object, ...]:
    return (result.status, result.serial, result.guess, result.confidence, result.label_quad,
            [(reading.crop.rank, reading.crop.text_height, reading.crop.region.surroundings,
              reading.text) for reading in result.readings])


def _scan_with_threads(reply: str | Callable[[np.ndarray, OcrRequest], str],
                       threads: int) -> tuple[ScanResult, _Engines]:
    engines = _Engines(reply)
    scanner = Scanner(ScanOptions(ocr_threads=threads), engine_factory=engines,
                      catalogue=CATALOGUE)
    return scanner.scan(_photo()[0], name="m1.png"), engines


@pytest.mark.parametrize("reply", [
    pytest.param(_garbled_naming_the_crop, id="nothing read: every look taken"),
    pytest.param(_reads_only_the_sticker, id="the sticker read at once"),
    pytest.param("045632", id="bare numbers: their surroundings read too"),
    pytest.param(_label("KORG M1R\nSERIAL NO. 103917", "103917"), id="a model named"),
])
def test_reading_on_two_threads_gives_the_same_result_as_on_one(
    reply: str | Callable[[np.ndarray, OcrRequest], str],
) -> None:
    one, _ = _scan_with_threads(reply, 1)
    two, engines = _scan_with_threads(reply, 2)
    assert _outcome(two) == _outcome(one)
    assert one.readings  # something was read, in an order to compare
    # Reading was done on threads of the scanner's own, and no engine was shared by two.
    readers = set[int]().union(*engines.callers)
    assert readers - {threading.get_ident()}
    assert all(len(callers) <= 1 for callers in engines.callers)


def test_a_sure_serial_at_a_later_region_ends_the_threaded_search_there_too() -> None:
    # Each crop read as garbage is read twice again smoothed, a crop of the same size.
    shapes = list(dict.fromkeys(
        reading.crop.grey.shape
        for reading in _scan_with_threads(_garbled_naming_the_crop, 1)[0].readings))
    third = shapes[2]  # the third region's crop is told apart by its size

    def sure_on_the_third(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout == "line":
            return "013537"
        return "SERIAL NO.\n013537" if image.shape == third else "x7 ;r ~,"

    one, _ = _scan_with_threads(sure_on_the_third, 1)
    two, _ = _scan_with_threads(sure_on_the_third, 2)
    assert (one.status, one.serial, len(one.readings)) == ("read", "013537", 3 + 3 + 1)
    assert _outcome(two) == _outcome(one)


def test_nothing_read_takes_as_many_ocr_calls_on_two_threads_as_on_one() -> None:
    # With no early stop no reading is thrown away: the threads share out the same work.
    _, one = _scan_with_threads(_garbled_naming_the_crop, 1)
    _, two = _scan_with_threads(_garbled_naming_the_crop, 2)
    calls = sum(len(engine.seen) for engine in one.made)
    assert calls > 0
    assert sum(len(engine.seen) for engine in two.made) == calls


@pytest.mark.parametrize("threads", [1, 2])
def test_the_further_searches_run_beside_the_second_looks_on_a_reading_thread(
    threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only photos nothing settles get the finer search and the look for dot-matrix
    # print; with reading threads both are made on one of them while the second looks
    # are read, not after them on the caller's.
    finer_on: list[int] = []
    dotted_on: list[int] = []
    finer_regions = Scanner._finer_regions
    dotted_regions = pipeline_module.dotted_print_regions

    def finer_noting_the_thread(self: Scanner, *args: object) -> object:
        finer_on.append(threading.get_ident())
        return finer_regions(self, *args)  # type: ignore[arg-type]

    def dotted_noting_the_thread(*args: object) -> object:
        dotted_on.append(threading.get_ident())
        return dotted_regions(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(Scanner, "_finer_regions", finer_noting_the_thread)
    monkeypatch.setattr(pipeline_module, "dotted_print_regions", dotted_noting_the_thread)
    result, _ = _scan_with_threads(_garbled_naming_the_crop, threads)
    assert result.status == "no-label" and len(finer_on) == 1 and len(dotted_on) == 1
    assert (finer_on[0] == threading.get_ident()) == (threads == 1)
    assert dotted_on == finer_on


def test_a_serial_read_at_a_second_look_ends_the_threaded_search_before_the_finer_one() -> (
    None
):
    garbled = _scan_with_threads(_garbled_naming_the_crop, 1)[0]
    second_look = next(reading.crop for reading in garbled.readings
                       if reading.crop.rank == 0 and reading.crop.text_height == TEXT_HEIGHTS[1])

    def sure_at_the_second_look(image: np.ndarray, request: OcrRequest) -> str:
        if request.layout == "line":
            return "013537"
        return "SERIAL NO.\n013537" if image.shape == second_look.grey.shape else "x7 ;r ~,"

    one, _ = _scan_with_threads(sure_at_the_second_look, 1)
    assert (one.status, one.serial) == ("read", "013537")
    assert one.readings[-1].crop.text_height == TEXT_HEIGHTS[1]
    # The finer search, begun beside the second looks on a reading thread, is not read.
    two, _ = _scan_with_threads(sure_at_the_second_look, 2)
    assert _outcome(two) == _outcome(one) and two.candidates == one.candidates


def test_a_scanner_given_one_engine_reads_on_the_callers_thread_with_it() -> None:
    # An engine is not thread-safe and the scanner cannot make more without a factory:
    # however many threads are asked for, the given engine does all the reading, here.
    callers: set[int] = set()

    def reply(image: np.ndarray, request: OcrRequest) -> str:
        callers.add(threading.get_ident())
        return "045632"

    engine = FakeOcrEngine(reply)
    scanner = Scanner(ScanOptions(ocr_threads=2), engine=engine, catalogue=CATALOGUE)
    result = scanner.scan(_photo()[0], name="m1.png")
    assert callers == {threading.get_ident()}
    assert len(engine.seen) == sum(len(reading.seen) for reading in result.readings) > 0
    single = _scanner("045632").scan(_photo()[0], name="m1.png")
    assert _outcome(result) == _outcome(single)


@pytest.mark.tesseract
def test_the_last_group_of_a_boxs_product_code_is_no_serial(tmp_path: Path) -> None:
    # A carton photographed for a listing: "4 959112 258785" under its barcode.  A crop
    # that cut the first digits off reads 258785 alone, which has a serial's shape;
    # other crops of the place read the whole code.
    shot = generate_listing_shot(31, "medium", kind="box")
    assert shot.description["subject"]["barcode_number"] == "4 959112 258785"
    write_scene(shot, tmp_path / "box.jpg")
    result = Scanner(ScanOptions()).scan(tmp_path / "box.jpg")
    assert (result.status, result.guess) == ("no-label", None)


@pytest.mark.tesseract
def test_thin_grey_print_on_a_small_light_sticker_is_read() -> None:
    # Only the look for print against the sticker's own shade finds it (see test_locate).
    photo, corners = small_light_sticker_photo()
    result = Scanner(ScanOptions()).scan(encode(photo), name="small.png")
    assert (result.status, result.serial) == ("read", "062806")
    assert result.label_quad is not None
    assert np.abs(np.array(result.label_quad) - corners).max() < 12
