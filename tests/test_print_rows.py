from __future__ import annotations

import cv2
import numpy as np
import pytest

from scenegen.fonts import render_dot_matrix
from stickerscan.print_rows import dot_matrix_row_boxes, print_rows, shows_print

TEXT_HEIGHT = 26
ROW_HEIGHT = 36
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_PLAIN]


def crop(width: int = 420, height: int = 90) -> np.ndarray:
    return np.full((height, width), 235, np.uint8)


def write(grey: np.ndarray, text: str, at: tuple[int, int], *, font: int = FONTS[0],
          cap_height: int = TEXT_HEIGHT, thickness: int = 2) -> np.ndarray:
    """Draw ``text`` with its capitals ``cap_height`` pixels tall, baseline at ``at``."""
    (_, measured), _ = cv2.getTextSize("0", font, 1.0, thickness)
    cv2.putText(grey, text, at, font, cap_height / measured, 20, thickness, cv2.LINE_AA)
    return grey


def dotted(text: str, *, pitch: int = 4) -> np.ndarray:
    """``text`` in dot-matrix print: the strokes sampled every ``pitch`` pixels, one round
    dot each, with paper between the dots."""
    strokes = write(np.zeros((90, 420), np.uint8), text, (20, 70), cap_height=36,
                    thickness=3)
    grey = crop()
    for y in range(0, strokes.shape[0], pitch):
        for x in range(0, strokes.shape[1], pitch):
            if strokes[y, x] > 0:
                cv2.circle(grey, (x, y), 1, 20, -1)
    return grey


def texture(seed: int) -> np.ndarray:
    """Blotches like wood grain or carpet, stretched to full contrast as a crop is."""
    noise = np.random.default_rng(seed).normal(0.0, 1.0, (90, 420)).astype(np.float32)
    blotches = cv2.GaussianBlur(noise, (0, 0), 4.0)
    stretched = cv2.normalize(blotches, None, 0, 255, cv2.NORM_MINMAX)
    return np.asarray(stretched, np.uint8)


def rows_in(grey: np.ndarray, characters: int = 5) -> list[np.ndarray]:
    return [row.pixels for row in
            print_rows(grey, TEXT_HEIGHT, characters=characters, row_height=ROW_HEIGHT)]


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("cap_height", [18, 26, 44])
def test_a_printed_number_is_one_row_scaled_to_the_row_height(font: int, cap_height: int) -> None:
    rows = rows_in(write(crop(), "013537", (20, 60), font=font, cap_height=cap_height))
    assert len(rows) == 1
    inked_lines = (rows[0] < 128).any(axis=1).sum()
    assert 0.85 * ROW_HEIGHT <= inked_lines <= 1.15 * ROW_HEIGHT
    # A margin of 0.4 row heights above and below, and a border: no other print.
    assert rows[0].shape[0] >= 1.8 * ROW_HEIGHT


def test_too_few_characters_make_no_row() -> None:
    assert rows_in(write(crop(), "1250", (20, 60))) == []
    assert len(rows_in(write(crop(), "1250", (20, 60)), characters=4)) == 1


@pytest.mark.parametrize("seed", range(6))
def test_blotchy_texture_makes_no_row(seed: int) -> None:
    assert rows_in(texture(seed)) == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_print_on_grain_that_joins_its_glyphs_is_still_a_row(seed: int) -> None:
    # Brushed metal or sensor noise: a quarter of the pixels darkened to about the
    # print's level fall in with it under Otsu's level and join the glyphs into blots.
    grey = write(crop(), "013537", (20, 60))
    grain = np.random.default_rng(seed).random(grey.shape) < 0.25
    grey[grain] = np.minimum(grey[grain], 100)
    assert len(rows_in(grey)) == 1


def test_a_row_of_solid_blocks_is_no_print() -> None:
    keys = crop()
    for index in range(8):
        cv2.rectangle(keys, (20 + 45 * index, 30), (50 + 45 * index, 56), 20, -1)
    assert rows_in(keys) == []


def test_dot_matrix_print_is_a_row() -> None:
    grey = dotted("013537")
    patches, _ = cv2.connectedComponents((grey < 128).astype(np.uint8))
    assert patches > 60  # the dots stand apart
    assert len(rows_in(grey)) == 1


def test_bold_print_run_together_is_a_row() -> None:
    grey = write(crop(), "SER. NO. 106634", (10, 60), font=cv2.FONT_HERSHEY_DUPLEX,
                 cap_height=24)
    # Grown a pixel more across than down: each word runs into one patch however the
    # font's strokes are rasterised (OpenCV 5.0 and 5.1 draw them a pixel apart).
    grey = cv2.erode(grey, np.ones((3, 4), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats((grey < 128).astype(np.uint8))
    widths = sorted(width / height for _, _, width, height, _ in stats[1:] if height > 10)
    assert len(widths) == 3 and widths[-1] > 4  # SER., NO. and the number, each one patch
    assert len(rows_in(grey)) == 1


def test_rows_side_by_side_and_one_above_another_are_each_given() -> None:
    grey = crop(width=1200, height=160)
    write(grey, "MODEL M1R", (20, 60))
    write(grey, "013537", (900, 60))
    write(grey, "MADE IN JAPAN", (20, 130))
    assert len(rows_in(grey)) == 3


def test_words_far_apart_on_one_line_are_separate_rows() -> None:
    grey = write(crop(width=800), "SER", (20, 60))
    write(grey, "013", (400, 60))
    assert rows_in(grey) == []


def test_a_number_stamped_a_little_up_and_down_is_one_row() -> None:
    grey = crop()
    for index, digit in enumerate("013537"):
        # A numbering stamp sets each digit a little off the line: here a tenth of its
        # height (20 pixels) up or down, a fifth between neighbours.
        write(grey, digit, (20 + 26 * index, 60 + (2 if index % 2 else -2)))
    assert len(rows_in(grey)) == 1


def test_marks_of_unlike_heights_make_no_row() -> None:
    grey = crop(height=120)
    for index, digit in enumerate("013537"):
        write(grey, digit, (20 + 30 * index, 80), cap_height=33 if index % 2 else 24)
    assert rows_in(grey) == []


def test_a_row_is_read_without_the_print_just_above_and_below_it() -> None:
    # Large digits between two lines of small print, close above and below.
    grey = crop(height=150)
    write(grey, "S/N", (60, 44), cap_height=14)
    write(grey, "013537", (20, 100), cap_height=44, thickness=4)
    write(grey, "KORG INC. TOKYO JAPAN", (20, 118), cap_height=14)
    rows = rows_in(grey)
    assert len(rows) == 1  # the small print is too small to be read as a row
    number = rows[0]
    inked = np.flatnonzero((number < 128).any(axis=1))
    # Only the number's own lines hold ink: one run of about ROW_HEIGHT lines.
    assert inked[-1] - inked[0] + 1 <= 1.25 * ROW_HEIGHT


@pytest.mark.parametrize("tilt", [-9.0, -5.0, 6.0, 10.0])
def test_a_row_of_print_left_tilted_in_its_crop_is_cut_out_level(tilt: float) -> None:
    # Four lines set tight, the crop turned as an outline fitted askew leaves it: cut out
    # level, the number's row would hold pieces of the lines above and below, its digits
    # scaled down by its span.
    grey = crop(width=480, height=220)
    for line, baseline in (("KORG INC.", 50), ("Serial No.", 86), ("255482", 122),
                           ("TOKYO JAPAN", 158)):
        write(grey, line, (40, baseline))
    turn = cv2.getRotationMatrix2D((240, 110), tilt, 1.0)
    grey = cv2.warpAffine(grey, turn, (480, 220), borderValue=235)
    rows = rows_in(grey)
    # Each line is a row of its own: its ink one band about the row height tall, its
    # characters that tall.
    assert len(rows) >= 4
    for row in rows:
        inked = np.flatnonzero((row < 128).any(axis=1))
        assert inked[-1] - inked[0] + 1 <= 1.35 * ROW_HEIGHT
        count, _, stats, _ = cv2.connectedComponentsWithStats((row < 128).astype(np.uint8))
        tall = [height for height in stats[1:count, cv2.CC_STAT_HEIGHT]
                if 0.8 * ROW_HEIGHT <= height <= 1.25 * ROW_HEIGHT]
        assert len(tall) >= 3


def shows_print_in(grey: np.ndarray, characters: int = 4) -> bool:
    return shows_print(grey, TEXT_HEIGHT, characters=characters)


def test_a_printed_number_shows_print_and_a_blank_crop_none() -> None:
    assert shows_print_in(write(crop(), "013537", (20, 60)))
    assert not shows_print_in(crop())


def test_blotchy_texture_seldom_shows_print() -> None:
    # Blots level and alike enough to pass for print are a chance, not a rule.
    assert sum(shows_print_in(texture(seed)) for seed in range(40)) <= 6


def test_a_row_of_solid_blocks_shows_no_print() -> None:
    keys = crop()
    for index in range(8):
        cv2.rectangle(keys, (20 + 45 * index, 30), (50 + 45 * index, 56), 20, -1)
    assert not shows_print_in(keys)


def test_bold_print_run_together_into_two_marks_shows_print_and_is_a_row() -> None:
    grey = write(crop(), "NO. 227265", (10, 60), font=cv2.FONT_HERSHEY_DUPLEX, cap_height=24)
    grey = cv2.erode(grey, np.ones((1, 4), np.uint8))  # letters joined side to side
    _, _, stats, _ = cv2.connectedComponentsWithStats((grey < 128).astype(np.uint8))
    assert sum(height > 10 for _, _, _, height, _ in stats[1:]) == 2  # NO. and the number
    assert shows_print_in(grey)  # they stand level and alike, as print does
    rows = rows_in(grey, characters=4)
    assert len(rows) == 1
    assert (rows[0] < 128).any(axis=0).sum() > 4 * ROW_HEIGHT  # both marks, side by side


@pytest.mark.parametrize("lower", [-3, 3])
def test_a_number_run_together_a_little_off_its_wordings_level_shows_print(lower: int) -> None:
    # A line levelling left a degree or two off level: "NO." and the number, each run
    # together into one mark, stand a few pixels apart in height.
    whole = write(crop(), "NO. 227265", (10, 60), font=cv2.FONT_HERSHEY_DUPLEX, cap_height=24)
    grey = write(crop(), "NO.", (10, 60), font=cv2.FONT_HERSHEY_DUPLEX, cap_height=24)
    # Where the number starts in the line written whole.
    start = int(np.flatnonzero((whole < 128).any(axis=0) & ~(grey < 128).any(axis=0))[0])
    grey = write(grey, "227265", (start, 60 + lower), font=cv2.FONT_HERSHEY_DUPLEX,
                 cap_height=24)
    grey = cv2.erode(grey, np.ones((1, 4), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats((grey < 128).astype(np.uint8))
    assert sum(height > 10 for _, _, _, height, _ in stats[1:]) == 2
    assert shows_print_in(grey)


def test_two_blobs_not_level_show_no_print() -> None:
    grey = crop()
    cv2.rectangle(grey, (20, 30), (110, 56), 20, 3)  # outlines: not too full to be marks
    cv2.rectangle(grey, (130, 38), (220, 64), 20, 3)  # a third of their height lower
    assert not shows_print_in(grey)
    assert rows_in(grey, characters=4) == []


def _large_dot_matrix_number() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """"NO. 168816" printed twice the expected height with dots 8 pixels apart, and the
    box (x, y, width, height) of its print."""
    strokes = write(np.zeros((150, 600), np.uint8), "NO. 168816", (20, 110), cap_height=52,
                    thickness=5)
    grey = crop(width=600, height=150)
    for y in range(0, strokes.shape[0], 8):
        for x in range(0, strokes.shape[1], 8):
            if strokes[y, x] > 0:
                cv2.circle(grey, (x, y), 2, 20, -1)
    return grey, _ink_box(grey)


def _ink_box(grey: np.ndarray) -> tuple[int, int, int, int]:
    """The box (x, y, width, height) of the dark print on ``grey``."""
    ys, xs = np.nonzero(grey < 128)
    return int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1


def test_large_dot_matrix_print_shows_print_at_half_size() -> None:
    # Print twice the expected height, dots 8 pixels apart: closing over the expected
    # dot pitch does not join them.
    grey, _ = _large_dot_matrix_number()
    assert rows_in(grey, characters=4) == []
    assert shows_print_in(grey)


def test_print_half_the_expected_height_shows_print_in_a_long_row_only() -> None:
    small = TEXT_HEIGHT // 2 + 1
    assert rows_in(write(crop(), "SER. NO. 209210", (20, 60), cap_height=small)) == []
    assert shows_print_in(write(crop(), "SER. NO. 209210", (20, 60), cap_height=small))
    assert not shows_print_in(write(crop(), "1250", (20, 60), cap_height=small))


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The share of ``b``'s area that ``a`` covers."""
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, width) * max(0, height) / (b[2] * b[3])


def test_large_dot_matrix_print_found_at_half_size_is_boxed_in_the_crops_pixels() -> None:
    grey, printed = _large_dot_matrix_number()
    boxes = dot_matrix_row_boxes(grey, TEXT_HEIGHT, characters=4)
    assert boxes
    # Each is as tall as the print and stands on its line: found at half size, they would
    # be half as tall and half as far down if they were not scaled back.
    assert all(0.8 * printed[3] <= height <= 1.2 * printed[3] for _, _, _, height in boxes)
    assert max(_overlap(box, printed) for box in boxes) > 0.5
    # None reaches beyond the print by more than a dot pitch or two.
    for x, y, width, height in boxes:
        assert x >= printed[0] - 16 and x + width <= printed[0] + printed[2] + 16
        assert y >= printed[1] - 16 and y + height <= printed[1] + printed[3] + 16


def test_dot_matrix_print_joined_at_full_size_is_boxed() -> None:
    grey = dotted("013537")
    printed = _ink_box(grey)
    boxes = dot_matrix_row_boxes(grey, TEXT_HEIGHT, characters=5)
    assert boxes and max(_overlap(box, printed) for box in boxes) > 0.8


@pytest.mark.parametrize("cap_height", [48, 56, 64])
def test_large_dot_matrix_print_whose_dots_touch_here_and_there_is_boxed(
    cap_height: int,
) -> None:
    # A close-up's dot-matrix number, up to two and a half times the expected height,
    # its dots about touching: some run into pieces of glyphs, a row of their own in the
    # ink as it is, but shorter than the glyphs the joined dots make.
    dots = render_dot_matrix("S/N 060497", cap_height, 8 * cap_height, 0).mask
    grey = np.full((dots.shape[0] + 80, dots.shape[1] + 80), 235, np.uint8)
    grey[40:-40, 40:-40][dots > 128] = 20
    grey = cv2.GaussianBlur(grey, (0, 0), 1.0)
    printed = _ink_box(grey)
    boxes = dot_matrix_row_boxes(grey, TEXT_HEIGHT, characters=4)
    assert boxes and max(_overlap(box, printed) for box in boxes) > 0.8


@pytest.mark.parametrize("font", FONTS)
def test_print_in_strokes_and_a_blank_crop_have_no_dot_matrix_rows(font: int) -> None:
    grey = write(crop(), "SERIAL NO. 013537", (20, 60), font=font)
    assert rows_in(grey)  # print, but not dot-matrix print
    assert dot_matrix_row_boxes(grey, TEXT_HEIGHT, characters=5) == []
    assert dot_matrix_row_boxes(crop(), TEXT_HEIGHT, characters=5) == []


@pytest.mark.parametrize("pitch", [4, 5])
def test_a_row_of_dot_matrix_print_is_marked_as_found_with_its_dots_joined(pitch: int) -> None:
    rows = print_rows(dotted("NO. 081272", pitch=pitch), TEXT_HEIGHT, characters=5,
                      row_height=ROW_HEIGHT)
    assert rows and all(row.dots_joined for row in rows)


@pytest.mark.parametrize("font", FONTS)
def test_a_row_of_print_in_strokes_is_not_marked_as_found_with_its_dots_joined(
    font: int,
) -> None:
    rows = print_rows(write(crop(), "SERIAL NO. 013537", (20, 60), font=font), TEXT_HEIGHT,
                      characters=5, row_height=ROW_HEIGHT)
    assert rows and not any(row.dots_joined for row in rows)
