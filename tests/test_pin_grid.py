from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scenegen.fonts import render_dot_matrix
from stickerscan.pin_grid import read_pin_grid
from tests.drawing import DEJAVU, DEJAVU_FACES

PAPER, INK = 232, 35
HERSHEY = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX,
           cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX]
Box = tuple[int, int, int, int]


def on_paper(ink: np.ndarray, *, left: int = 30, top: int = 25) -> tuple[np.ndarray, Box]:
    """``ink`` (255 = ink) printed on a crop with room around it, and its box there."""
    grey = np.full((ink.shape[0] + 2 * top, ink.shape[1] + 2 * left), PAPER, np.float32)
    grey[top:top + ink.shape[0], left:left + ink.shape[1]] -= ink * ((PAPER - INK) / 255)
    ys, xs = np.nonzero(ink > 128)
    box = (left + int(xs.min()), top + int(ys.min()),
           int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    return np.clip(grey, 0, 255).astype(np.uint8), box


def dot_matrix(text: str, cap: float, **style: object) -> tuple[np.ndarray, Box]:
    """``text`` as the scene generator's dot-matrix printer prints it."""
    printed = render_dot_matrix(text, cap, len(text) * 0.8 * cap, **style)  # type: ignore[arg-type]
    return on_paper(printed.mask)


def photographed(grey: np.ndarray, blur: float, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0.0, 6.0, grey.shape)
    blurred = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), blur) if blur else grey
    return np.clip(blurred + noise, 0, 255).astype(np.uint8)


def square_pins(text: str, pitch: tuple[int, int]) -> np.ndarray:
    """``text`` from a printer of square pins, ``pitch`` (across, down) apart: a thermal
    head's print, drawn here without the scene generator."""
    designs = {"0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
               "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
               "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
               "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100")}
    across, down = pitch
    ink = np.zeros((7 * down, (6 * len(text) - 1) * across), np.uint8)
    for index, character in enumerate(text):
        for row, pins in enumerate(designs[character]):
            for column, pin in enumerate(pins):
                if pin == "1":
                    x, y = (6 * index + column) * across, row * down
                    ink[y + 1:y + down - 1, x + 1:x + across - 1] = 255
    return ink


@pytest.mark.parametrize("weight", [-1, 0, 1])
@pytest.mark.parametrize("cap", [20.0, 28.0, 44.0])
def test_dot_matrix_numbers_are_read_from_their_pins(weight: int, cap: float) -> None:
    for text, slashed in (("208887", False), ("039578", True), ("164152", False)):
        grey, box = dot_matrix(text, cap, weight=weight, slashed_zero=slashed)
        reading = read_pin_grid(grey, box)
        if weight > 0 and cap < 28:
            # Emphasised print (each column struck twice, half a column apart) this small
            # inks the blank pins beside its dots: refused, never misread.
            assert reading is None or reading.text == text
        else:
            assert reading is not None and reading.text == text


@pytest.mark.parametrize("weight", [-1, 0])
@pytest.mark.parametrize("seed", range(3))
def test_blurred_and_noisy_dot_matrix_print_is_read(weight: int, seed: int) -> None:
    grey, box = dot_matrix("007618", 30.0, weight=weight, slashed_zero=True)
    reading = read_pin_grid(photographed(grey, 1.2, seed), box)
    assert reading is not None and reading.text == "007618"


@pytest.mark.parametrize("seed", range(3))
def test_blurred_emphasised_print_is_never_misread(seed: int) -> None:
    grey, box = dot_matrix("007618", 30.0, weight=1, slashed_zero=True)
    reading = read_pin_grid(photographed(grey, 1.2 + 0.3 * seed, seed), box)
    assert reading is None or reading.text == "007618"


@pytest.mark.parametrize("degrees", [-4.0, -2.0, 1.5, 3.0])
@pytest.mark.parametrize("cap", [28.0, 44.0])
def test_print_a_few_degrees_off_level_is_read(degrees: float, cap: float) -> None:
    # At 28 pixels a 6-digit row 2 degrees off level has its ends a pin above and below
    # the middle's rows.
    grey, _ = dot_matrix("208887", cap)
    middle = (grey.shape[1] / 2, grey.shape[0] / 2)
    turned = cv2.warpAffine(grey, cv2.getRotationMatrix2D(middle, degrees, 1.0),
                            (grey.shape[1], grey.shape[0]), borderValue=PAPER)
    ys, xs = np.nonzero(turned < 128)
    box = (int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)
    reading = read_pin_grid(turned, box)
    assert reading is not None and reading.text == "208887"


def leaning(grey: np.ndarray, lean: float) -> tuple[np.ndarray, Box]:
    """``grey`` sheared so that its print leans ``lean`` pixels to the right for each pixel
    up (as a crop rectified from an outline a little off its sticker's keeps), and the
    print's box there."""
    height, width = grey.shape
    room = int(abs(lean) * height) + 1
    shear = np.array([[1.0, -lean, lean * height / 2 + room], [0.0, 1.0, 0.0]], np.float32)
    sheared = cv2.warpAffine(grey, shear, (width + 2 * room, height), borderValue=PAPER)
    ys, xs = np.nonzero(sheared < 128)
    return sheared, (int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)


@pytest.mark.parametrize("lean", [-0.3, -0.2, 0.2])
@pytest.mark.parametrize("weight", [-1, 0, 1])
def test_leaning_dot_matrix_print_is_read(lean: float, weight: int) -> None:
    # At a lean of 0.2 a glyph's top pins are a column and more off its bottom ones'.
    for text in ("023466", "180365"):
        grey, _ = dot_matrix(text, 44.0, weight=weight, slashed_zero=True)
        reading = read_pin_grid(*leaning(grey, lean))
        assert reading is not None and reading.text == text


@pytest.mark.parametrize("seed", range(3))
def test_dot_matrix_print_blurred_into_a_halo_is_read(seed: int) -> None:
    # Blurred this much, the top and bottom rows' dots spread past their pins: the ink
    # measured at the threshold is taller than the pin rows span.
    grey, box = dot_matrix("008143", 30.0, weight=-1, slashed_zero=True)
    reading = read_pin_grid(photographed(grey, 1.9, seed), box)
    assert reading is not None and reading.text == "008143"


def test_square_pins_a_little_wider_than_tall_are_read() -> None:
    grey, box = on_paper(square_pins("40790", (6, 5)))
    reading = read_pin_grid(photographed(grey, 0.6, 1), box)
    assert reading is not None and reading.text == "40790"


def test_the_whole_word_is_read_from_a_box_around_part_of_it() -> None:
    grey, (x, y, width, height) = dot_matrix("NO 007618", 30.0)
    # The recogniser boxed only the last four digits: the two zeros it lost are on the
    # row, one blank pin column away; the "NO" is a space's width away, another word.
    reading = read_pin_grid(grey, (x + width - 4 * width // 9, y, 4 * width // 9, height))
    assert reading is not None and reading.text == "007618"


def test_a_number_right_under_another_line_and_after_a_full_stop_is_read() -> None:
    above = render_dot_matrix("TOKYO JAPAN", 30.0, 250.0).mask
    line = render_dot_matrix("SERIAL NO.166579", 30.0, 380.0).mask
    ink = np.zeros((above.shape[0] + 1 + line.shape[0], line.shape[1]), np.uint8)
    ink[: above.shape[0], 60: 60 + above.shape[1]] = above
    ink[above.shape[0] + 1:] = line
    grey, (x, y, width, _) = on_paper(ink)
    # The recogniser boxed the digits on the lower line: the last six of its sixteen cells.
    cell = width / 16
    reading = read_pin_grid(grey, (x + round(10 * cell), y + above.shape[0] + 1,
                                   round(6 * cell), line.shape[0]))
    assert reading is not None and reading.text == "166579"


def test_letters_among_the_digits_are_refused() -> None:
    grey, box = dot_matrix("12A456", 30.0)
    assert read_pin_grid(grey, box) is None


def test_a_number_cut_off_by_the_crops_edge_is_refused() -> None:
    grey, (x, y, width, height) = dot_matrix("208887", 30.0)
    cut = np.ascontiguousarray(grey[:, : x + width - 8])
    assert read_pin_grid(cut, (x, y, width - 30, height)) is None


def test_blank_paper_and_faint_marks_are_refused() -> None:
    assert read_pin_grid(np.full((80, 300), PAPER, np.uint8), (30, 20, 200, 30)) is None
    grey, box = dot_matrix("208887", 30.0)
    faint = np.clip(grey.astype(np.int32) + (PAPER - grey.astype(np.int32)) * 19 // 20, 0, 255)
    assert read_pin_grid(faint.astype(np.uint8), box) is None


def hershey(text: str, font: int, height: int) -> tuple[np.ndarray, Box]:
    ink = np.zeros((2 * height, len(text) * height + 2 * height), np.uint8)
    scale = cv2.getFontScaleFromHeight(font, height, max(1, height // 12))
    cv2.putText(ink, text, (height // 2, 3 * height // 2), font, scale, 255,
                max(1, height // 12), cv2.LINE_AA)
    return on_paper(ink)


def dejavu(text: str, face: str, height: int) -> tuple[np.ndarray, Box]:
    font = ImageFont.truetype(str(DEJAVU / f"{face}.ttf"), size=int(height * 1.4))
    image = Image.new("L", (len(text) * height + 2 * height, 3 * height), 0)
    ImageDraw.Draw(image).text((height // 2, height // 4), text, font=font, fill=255)
    return on_paper(np.array(image))


NUMBERS = ["208887", "039578", "164152", "731690"]


@pytest.mark.parametrize("font", HERSHEY)
def test_print_of_other_designs_is_refused(font: int) -> None:
    for height in (18, 26, 40):
        for text in NUMBERS:
            for blur in (0.0, 1.0):
                grey, box = hershey(text, font, height)
                assert read_pin_grid(photographed(grey, blur, height), box) is None


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("face", DEJAVU_FACES)
def test_printed_fonts_are_refused(face: str) -> None:
    for height in (18, 26, 40):
        for text in NUMBERS:
            grey, box = dejavu(text, face, height)
            assert read_pin_grid(grey, box) is None


@pytest.mark.parametrize("lean", [-0.3, -0.15, 0.15, 0.3])
def test_leaning_print_of_other_designs_is_refused(lean: float) -> None:
    for font in (*HERSHEY, *(face | cv2.FONT_ITALIC for face in HERSHEY)):
        for height in (26, 40):
            for text in NUMBERS:
                grey, _ = hershey(text, font, height)
                assert read_pin_grid(*leaning(grey, lean)) is None


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("lean", [-0.3, -0.15, 0.15, 0.3])
def test_leaning_printed_fonts_are_refused(lean: float) -> None:
    for face in DEJAVU_FACES:
        for height in (26, 40):
            for text in NUMBERS:
                grey, _ = dejavu(text, face, height)
                assert read_pin_grid(*leaning(grey, lean)) is None


def test_strokes_of_another_design_sampled_as_dots_are_refused() -> None:
    # Dots that follow a drawn font's strokes, not a 5 x 7 character set's pins.
    strokes, box = hershey("208887", cv2.FONT_HERSHEY_SIMPLEX, 36)
    dotted = np.full_like(strokes, PAPER)
    for y in range(0, strokes.shape[0], 5):
        for x in range(0, strokes.shape[1], 5):
            if strokes[y, x] < 128:
                cv2.circle(dotted, (x, y), 2, INK, -1)
    assert read_pin_grid(dotted, box) is None
