"""Property tests over the loader, the validator and the catalogue loader.

The example budget comes from the hypothesis profile (tests/conftest.py): a small fixed one
in CI, a large one with ``STICKERSCAN_HYPOTHESIS_PROFILE=fuzz``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from stickerscan.catalogue import InstrumentModel
from stickerscan.catalogue_files import load_catalogue, parse_model_file
from stickerscan.digit_vote import NumberReading
from stickerscan.errors import BadInputError, CatalogueError
from stickerscan.load import load_image
from stickerscan.ocr import FakeOcrEngine
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner
from stickerscan.read import OcrReading
from stickerscan.validate import check_reading, check_typed_serial
from tests.corpus import animated_gif, encoded, oriented_jpeg, quadrants
from tests.test_validate import CROP

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue()
M1 = CATALOGUE.get("korg-m1")

# --------------------------------------------------------------------------------------
# The loader: mutated real files and plain noise
# --------------------------------------------------------------------------------------

# A small pixel cap keeps each example quick when a mutation inflates a declared size.
FUZZ_OPTIONS = ScanOptions(max_pixels=4_000_000)
_PICTURE = quadrants(96, 64)
SEED_FILES = [
    encoded(_PICTURE, "JPEG", quality=90),
    encoded(_PICTURE, "PNG"),
    encoded(Image.fromarray(_PICTURE).convert("P"), "GIF"),
    encoded(_PICTURE, "TIFF"),
    encoded(_PICTURE, "BMP"),
    encoded(_PICTURE, "WEBP", quality=80),
    encoded(np.linspace(0, 65535, 64 * 96).reshape(64, 96).astype(np.uint16), "PNG"),
    oriented_jpeg(6),
    animated_gif(),
]

mutated_files = st.builds(
    lambda seed, edits, cut: _mutate(seed, edits, cut),
    st.sampled_from(SEED_FILES),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12),
    st.none() | st.integers(0, 1 << 20),
)
any_file = mutated_files | st.binary(max_size=4096)


def _mutate(seed: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(seed)
    for position, value in edits:
        # Most edits land in the first few hundred bytes, where headers and sizes live.
        data[position % min(len(data), 400 if position % 2 else len(data))] = value
    return bytes(data if cut is None else data[: cut % (len(data) + 1)])


@given(data=any_file)
def test_loader_gives_an_upright_rgb_array_or_a_named_bad_input_error(data: bytes) -> None:
    try:
        loaded = load_image(data, FUZZ_OPTIONS, name="listing 7.jpg")
    except BadInputError as error:
        assert error.message == f"listing 7.jpg: {error.problem}"
        assert error.problem
        return
    height, width, channels = loaded.pixels.shape
    assert channels == 3 and loaded.pixels.dtype == np.uint8
    assert min(height, width) >= 1
    assert 1 <= loaded.exif_orientation <= 8
    # A sequential JPEG may declare 2.5 times the cap: it is decoded reduced.
    declared = loaded.original_size[0] * loaded.original_size[1]
    allowance = 2.5 if loaded.file_format in {"JPEG", "MPO"} else 1
    assert declared <= FUZZ_OPTIONS.max_pixels * allowance
    assert height * width <= FUZZ_OPTIONS.max_pixels
    assert loaded.scale == pytest.approx(width / loaded.original_size[0])


@given(data=mutated_files)
def test_a_scan_of_any_file_is_a_result_never_a_crash(data: bytes) -> None:
    scanner = Scanner(FUZZ_OPTIONS, engine=FakeOcrEngine("SERIAL NO. 013537"),
                      catalogue=CATALOGUE)
    result = scanner.scan_as_row(data, name="listing 7.jpg")
    assert result.status != "crashed", result.reason
    assert result.source == "listing 7.jpg"
    assert (result.status == "bad-input") == (result.image is None)


# --------------------------------------------------------------------------------------
# The validator: any OCR numbers, any wording around them
# --------------------------------------------------------------------------------------

_WORDS = st.sampled_from(["SERIAL NO.", "Serial No.", "S/N", "No.", "SERIAI N0.", "MODEL",
                          "PART NO.", "AC", "", "KORG INC.\nSERIAL NO."])
_AROUND = _WORDS | st.text(max_size=24)


@st.composite
def number_readings(draw: st.DrawFn) -> NumberReading:
    passes = draw(st.integers(1, 5))
    return NumberReading(
        text=draw(st.text("0123456789", min_size=1, max_size=9)),
        confidence=draw(st.floats(0.0, 1.0)),
        votes=draw(st.integers(1, passes)),
        passes=passes,
        alternatives=tuple(draw(st.lists(st.text("0123456789", min_size=1, max_size=9),
                                         max_size=3))),
        before=draw(_AROUND),
        after=draw(st.sampled_from(["", "V", "Hz", " W", "kg", "A"]) | st.text(max_size=8)),
        line_text=draw(st.text(max_size=40)),
    )


# Thresholds above 0.6 only: below it an unlabelled number can be reported (see the
# expected failure below).
@given(numbers=st.lists(number_readings(), max_size=4), threshold=st.floats(0.61, 1.0))
def test_validator_reports_a_serial_only_when_labelled_well_formed_and_sure(
    numbers: list[NumberReading], threshold: float
) -> None:
    reading = OcrReading(crop=CROP, upside_down=False, text="", mean_confidence=0.5,
                         numbers=tuple(numbers))
    check = check_reading(reading, M1, ScanOptions(min_confidence=threshold))
    assert 0.0 <= check.confidence <= 1.0
    if not numbers:
        assert check.status == "no-serial"
    if check.status == "valid":
        assert check.serial is not None and check.guess is None
        assert re.fullmatch(M1.serial_format.pattern, check.serial)
        assert check.label_word is not None
        assert check.confidence >= threshold
        assert check.serial in {number.text for number in numbers}
    elif check.status == "unreadable":
        assert check.serial is None
        assert check.guess in {number.text for number in numbers}
    else:
        # A number read off a photo is never judged "invalid": a wrong shape is a guess.
        assert check.status == "no-serial" and check.serial is None


def test_an_unlabelled_number_stays_a_guess_even_at_a_low_threshold() -> None:
    number = NumberReading(text="013537", confidence=0.99, votes=3, passes=3, alternatives=(),
                           before="KORG", after="", line_text="KORG 013537")
    reading = OcrReading(crop=CROP, upside_down=False, text="", mean_confidence=0.9,
                         numbers=(number,))
    check = check_reading(reading, M1, ScanOptions(min_confidence=0.5))
    assert check.status == "unreadable"


@given(text=st.text(max_size=12) | st.text("0123456789 ", max_size=8))
def test_a_typed_serial_is_valid_exactly_when_it_fits_the_format(text: str) -> None:
    check = check_typed_serial(text, M1)
    fits = re.fullmatch(M1.serial_format.pattern, text.strip()) is not None
    assert check.status == ("valid" if fits else "invalid")
    assert check.serial == text.strip()
    assert (not check.problems) or all(isinstance(problem, str) for problem in check.problems)


# --------------------------------------------------------------------------------------
# The catalogue loader: a real data file broken line by line, and plain noise
# --------------------------------------------------------------------------------------

_DATA_FILE = (ROOT / "models" / "korg-m1.toml").read_text(encoding="utf-8")
_LINES = _DATA_FILE.splitlines()
_TOML_VALUES = st.sampled_from([
    '""', '"text"', "0", "-1", "99999999999999999999", "1.5", "nan", "true", "[]", '["A"]',
    "[1, 2]", "{}", '{ a = 1 }', '"1990-13"', '"1990-01"', '"0000-01"', '"9999-12"',
    '"[0-9"', '"(a|"', '"[0-9]{6}"', '"R"', '"Z"', '"korg-m1"', '"Korg M1"',
]) | st.text(max_size=12).map(lambda text: json.dumps(text))


@st.composite
def broken_data_files(draw: st.DrawFn) -> bytes:
    lines = list(_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "insert", "cut"]))
        if action == "value" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {draw(_TOML_VALUES)}"
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, draw(st.sampled_from(
                ["[[anchors]]", "[serial_format]", "extra = 1", "[production]", "schema = 2"]
            ) | st.text(max_size=20)))
        else:
            lines = lines[:index]
        if not lines:
            lines = [""]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("catalogue")


@given(data=broken_data_files() | st.binary(max_size=512))
def test_catalogue_loader_gives_a_checked_model_or_an_error_naming_the_file(
    data: bytes, data_folder: Path
) -> None:
    path = data_folder / "fuzzed.toml"
    path.write_bytes(data)
    try:
        model = parse_model_file(path)
    except CatalogueError as error:
        assert error.message.startswith(f"{path}: "), error.message
        with pytest.raises(CatalogueError):
            load_catalogue(data_folder)
        return
    _assert_consistent(model)
    assert load_catalogue(data_folder).get(model.model_id) == model


def _assert_consistent(model: InstrumentModel) -> None:
    re.compile(model.serial_format.pattern)
    assert model.model_id and model.name and model.label_words
    serials = [anchor.serial for anchor in model.anchors]
    assert serials == sorted(serials)
    for anchor in model.anchors:
        assert anchor.earliest <= anchor.latest
    window = model.production
    assert window.start <= window.end_earliest <= window.end_latest
    for reported in model.reported_serials:
        assert re.fullmatch(model.serial_format.pattern, reported.text)
