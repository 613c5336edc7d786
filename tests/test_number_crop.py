"""Tests for cutting a number's digits out of a label crop (drawn print, no Tesseract)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.number_crop import number_crop
from tests.drawing import column_runs, ink_runs


def _digits_then_barcode() -> tuple[np.ndarray, int]:
    """"154928" 36 pixels tall, then a barcode a few pixels after the 8; and where the 8
    ends."""
    grey = np.full((80, 420), 255, np.uint8)
    cv2.putText(grey, "154928", (20, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    end = int(np.flatnonzero((grey < 128).any(axis=0)).max()) + 1
    for bar in range(12):
        x = end + 8 + 6 * bar
        grey[15:65, x: x + 2 + bar % 3] = 0
    return grey, end


def test_a_digit_crop_whose_box_ends_inside_the_last_digit_takes_all_of_it() -> None:
    grey, end = _digits_then_barcode()
    # The word box ends in the middle of the 8 (a recogniser's box cut short).
    crop = number_crop(grey, (18, 20, end - 12 - 18, 40), 36)
    assert crop is not None
    assert ink_runs(crop) == ink_runs(grey[:, :end])  # all six digits whole, no bar


def _number_then_bars(number: str, gap: int) -> tuple[np.ndarray, list[int]]:
    """``number`` 36 pixels tall, then a barcode ``gap`` pixels after it; and where each of
    its digits ends."""
    grey, glyphs = _printed(number)
    ends = [end for _, end in glyphs]
    rows = np.flatnonzero((grey < 128).any(axis=1))
    for bar in range(12):
        x = ends[-1] + gap + 6 * bar
        # As tall as the digits: only the bars' spacing tells them from a digit.
        grey[rows[0]: rows[-1] + 1, x: x + 2 + bar % 3] = 0
    return grey, ends


def test_a_digit_crop_boxed_short_of_the_last_digit_read_takes_it_in() -> None:
    grey, ends = _number_then_bars("105189", gap=30)
    # The word box, read as six digits, ends after the 8 (a recogniser's box cut short).
    box = (18, 20, ends[4] - 18, 40)
    crop = number_crop(grey, box, 36, characters=6)
    assert crop is not None
    assert len(ink_runs(crop)) == 6  # the 9 taken in, no bar
    # Read as five digits, the box holds them all: nothing is taken in.
    five = number_crop(grey, box, 36, characters=5)
    assert five is not None and len(ink_runs(five)) == 5


def _printed(text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """``text`` 36 pixels tall, and where each of its glyphs starts and ends."""
    grey = np.full((80, 460), 255, np.uint8)
    cv2.putText(grey, text, (20, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    return grey, column_runs((grey < 128).any(axis=0))


def _glyph_count(crop: np.ndarray | None) -> int:
    """How many glyphs ``crop`` holds: a sliver of the glyph before, which a crop's margin
    can take in, is none."""
    assert crop is not None
    return sum(width > 2 for width in ink_runs(crop))


def _box_from_glyph(glyphs: list[tuple[int, int]], first: int) -> tuple[int, int, int, int]:
    """A word box from glyph ``first`` to the last, as the first pass boxes a number."""
    return (glyphs[first][0], 20, glyphs[-1][1] - glyphs[first][0], 40)


def test_the_first_digits_a_line_of_one_number_lost_are_taken_into_the_crop() -> None:
    # The first pass read "6815" as the only word on its line: the 1 and 9 left out.
    grey, glyphs = _printed("196815")
    box = _box_from_glyph(glyphs, 2)
    assert _glyph_count(number_crop(grey, box, 36, characters=4, starts_line=True)) == 6
    # Read after other words on its line, the number's start is left where it was read.
    assert _glyph_count(number_crop(grey, box, 36, characters=4)) == 4


def test_two_lost_first_digits_touching_as_one_mark_are_taken_in() -> None:
    grey, glyphs = _printed("196815")
    # Texture or a stain joins the 1 and the 9 into one mark.
    grey[38:42, glyphs[0][0]: glyphs[1][1]] = 0
    crop = number_crop(grey, _box_from_glyph(glyphs, 2), 36, characters=4, starts_line=True)
    assert _glyph_count(crop) == 6  # the bar joining them is too thin to count as a glyph


@pytest.mark.parametrize(("text", "first"), [
    pytest.param("KLM6815", 3, id="three letters set close before it"),
    # This face's space is narrow: two make a word space as wide as most faces' one.
    pytest.param("KL  6815", 2, id="a word a space before it"),
    pytest.param("1896815", 3, id="three digits before it"),
])
def test_print_before_a_number_that_is_not_two_lost_digits_is_left_out(
    text: str, first: int
) -> None:
    grey, glyphs = _printed(text)
    crop = number_crop(grey, _box_from_glyph(glyphs, first), 36, characters=4,
                        starts_line=True)
    assert _glyph_count(crop) == 4


def _dotted_zeros(number: str) -> tuple[np.ndarray, list[int]]:
    """``number`` 36 pixels tall, each zero a ring with a dot inside, apart from the ring;
    and where each glyph ends."""
    grey, glyph_columns = _printed(number)
    rows = np.flatnonzero((grey < 128).any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1])
    for (start, end), character in zip(glyph_columns, number.replace(" ", ""), strict=True):
        if character == "0":
            # OpenCV's own zero is slashed: drawn again as a plain ring with a dot.
            grey[top: bottom + 1, start: end] = 255
            centre = ((start + end) // 2, (top + bottom) // 2)
            axes = ((end - start) // 2 - 2, (bottom - top) // 2 - 1)
            cv2.ellipse(grey, centre, axes, 0, 0, 360, 0, 3, cv2.LINE_AA)
            # The dot crosses the row glyphs are counted along: the middle of the box
            # (18, 20, ..., 40) these tests give.
            cv2.circle(grey, (centre[0], 40), 2, 0, -1)
    return grey, [end for _, end in glyph_columns]


def test_a_digit_read_apart_at_the_digits_pitch_is_taken_into_the_crop() -> None:
    # The first pass read "03297' 9": five digits, then the last zero as a word apart.
    grey, ends = _dotted_zeros("032970")
    box = (18, 20, ends[4] - 18, 40)
    apart = number_crop(grey, box, 36, characters=5, digit_read_apart=True)
    assert apart is not None and len(ink_runs(apart)) == 6
    # Read as five digits and nothing after them, the box holds what was read.
    alone = number_crop(grey, box, 36, characters=5)
    assert alone is not None and len(ink_runs(alone)) == 5


def test_a_digit_read_apart_a_word_space_after_the_number_is_left_out() -> None:
    grey, ends = _dotted_zeros("03297 0")
    crop = number_crop(grey, (18, 20, ends[4] - 18, 40), 36, characters=5,
                        digit_read_apart=True)
    assert crop is not None and len(ink_runs(crop)) == 5


def test_a_dot_inside_a_zero_is_no_glyph_of_its_own_when_glyphs_are_counted() -> None:
    # Read as six digits and boxed short of the last: the dots in the zeros do not make
    # the box look as if it already held six glyphs.
    grey, ends = _dotted_zeros("030209")
    crop = number_crop(grey, (18, 20, ends[4] - 18, 40), 36, characters=6)
    assert crop is not None and len(ink_runs(crop)) == 6


def test_a_digit_crop_takes_in_no_bar_of_a_barcode_close_after_it() -> None:
    # A barcode's first bar right after the digits is no lost digit, even when the first
    # pass read one digit more than the box holds.
    grey, ends = _number_then_bars("10518", gap=12)
    crop = number_crop(grey, (18, 20, ends[-1] - 18, 40), 36, characters=6)
    assert crop is not None and len(ink_runs(crop)) == 5


def test_a_digit_crop_ending_in_a_long_run_of_ink_is_not_widened() -> None:
    grey = np.full((80, 300), 255, np.uint8)
    cv2.putText(grey, "1549", (20, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    grey[10:70, 150:300] = 0  # a dark frame or a panel right after the box
    wide = number_crop(grey, (18, 20, 160 - 18, 40), 36)
    narrow = number_crop(grey, (18, 20, 140 - 18, 40), 36)
    assert wide is not None and narrow is not None
    assert wide.shape[1] - narrow.shape[1] == 20  # only the box's own difference


def _wording_glued_to(number: str) -> tuple[np.ndarray, int]:
    """"S/N" and ``number`` 36 pixels tall, three blank columns apart, and where the
    digits start."""
    wording = np.full((80, 460), 255, np.uint8)
    cv2.putText(wording, "S/N", (20, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    digits = np.full_like(wording, 255)
    cv2.putText(digits, number, (0, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 4, cv2.LINE_AA)
    wording_end = int(np.flatnonzero((wording < 128).any(axis=0)).max())
    shift = wording_end + 4 - int(np.flatnonzero((digits < 128).any(axis=0)).min())
    digits = np.roll(digits, shift, axis=1)
    return np.minimum(wording, digits), wording_end + 4


@pytest.mark.parametrize("glued", [True, False])
def test_a_digit_crop_of_a_number_glued_to_wording_leaves_out_the_letter_its_start_cuts(
    glued: bool,
) -> None:
    grey, start = _wording_glued_to("224843")
    digits_only = grey.copy()
    digits_only[:, :start] = 255
    end = int(np.flatnonzero((grey < 128).any(axis=0)).max()) + 1
    # The digits' share of the word's box starts at the 2; padded, at the N's last stroke.
    crop = number_crop(grey, (start, 20, end - start, 40), 36, glued=glued)
    assert crop is not None
    runs = ink_runs(crop)
    if glued:
        assert runs == ink_runs(digits_only)  # the six digits and no stroke of the N
    else:
        # A number read as a word of its own keeps its crop's start: the N's stroke stays.
        assert len(runs) == 7


def test_a_digit_crop_keeps_only_print_that_crosses_the_numbers_middle() -> None:
    # "No." ending right before the number, and small print set tight under it whose
    # top the crop takes in: neither crosses the middle of the digits' line.
    grey = np.full((90, 330), 255, np.uint8)
    cv2.putText(grey, "149415", (40, 52), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 3, cv2.LINE_AA)
    digits = grey.copy()
    cv2.circle(grey, (25, 49), 3, 0, -1)  # the full stop of "No."
    cv2.putText(grey, "KORG INC.", (44, 66), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2, cv2.LINE_AA)
    rows = np.flatnonzero((digits < 128).any(axis=1))
    top, height = int(rows.min()), int(rows.max() - rows.min() + 1)
    crop = number_crop(grey, (20, top, 300, height), 36)
    expected = number_crop(digits, (20, top, 300, height), 36)
    assert crop is not None and expected is not None
    assert ink_runs(crop) == ink_runs(expected)
    assert int((crop < 128).sum()) == pytest.approx(int((expected < 128).sum()), rel=0.02)


def _scratched_eight() -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int],
                                list[tuple[int, int]]]:
    """"029684" about 36 pixels tall and the same with a thin scratch of paper across the
    top of the 8's upper loop, cutting it off as a mark of its own that keeps clear of the
    line's middle; the digits' box; and where each digit starts and ends (columns)."""
    grey = np.full((100, 420), 255, np.uint8)
    cv2.putText(grey, "029684", (30, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.7, 0, 4, cv2.LINE_AA)
    rows = np.flatnonzero((grey < 128).any(axis=1))
    top, height = int(rows.min()), int(rows.max() - rows.min() + 1)
    glyphs = column_runs((grey < 128).any(axis=0))
    eight_left = glyphs[4][0]
    scratched = grey.copy()
    cut = top + height // 5
    cv2.line(scratched, (eight_left - 6, cut + 1), (eight_left + 40, cut - 1), 255, 2)
    return grey, scratched, (20, top, 370, height), glyphs


def _marks_clear_above_the_middle(crop: np.ndarray, height: int) -> list[int]:
    """Areas of the marks on a digit crop that end above the band a fifth of the digits'
    ``height`` over the crop's middle row."""
    _, _, stats, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8),
                                                      connectivity=8)
    above = crop.shape[0] / 2 - 0.2 * height
    return [int(stats[index, cv2.CC_STAT_AREA]) for index in range(1, len(stats))
            if stats[index, cv2.CC_STAT_TOP] + stats[index, cv2.CC_STAT_HEIGHT] < above]


def test_a_digit_crop_keeps_the_piece_a_scratch_cuts_off_a_digit() -> None:
    whole, scratched, box, _ = _scratched_eight()
    height = box[3]
    crop = number_crop(scratched, box, height)
    unscratched = number_crop(whole, box, height)
    assert crop is not None and unscratched is not None
    # The piece of the 8's loop above the scratch is still there.
    assert max(_marks_clear_above_the_middle(crop, height), default=0) >= 40
    assert int((crop < 128).sum()) == pytest.approx(int((unscratched < 128).sum()), rel=0.1)


def test_a_digit_crop_paints_out_a_speck_inside_a_digit_off_the_middle() -> None:
    # Grain or dirt in the 9's bowl: within the line, over a digit and close to it, but
    # small beside it.
    whole, _, box, glyphs = _scratched_eight()
    _, top, _, height = box
    grey = whole.copy()
    nine_left, nine_right = glyphs[2]
    nine = (whole[top: top + height, nine_left:nine_right] >= 128).astype(np.uint8)
    _, paper = cv2.connectedComponents(nine, connectivity=4)
    bowl = paper[height // 4, nine.shape[1] // 2]  # the bowl's counter, in its top half
    assert bowl and bowl != paper[0, 0]
    rows, columns = np.nonzero(paper == bowl)
    x, y = nine_left + round(float(columns.mean())), top + int(rows.min()) + 1
    grey[y + 1: y + 3, x: x + 2] = 0  # two pixels square, off the middle

    def marks(image: np.ndarray) -> int:
        return cv2.connectedComponents((image < 128).astype(np.uint8), connectivity=8)[0]

    assert marks(grey) == marks(whole) + 1  # the speck stands on its own
    crop = number_crop(grey, box, height)
    expected = number_crop(whole, box, height)
    assert crop is not None and expected is not None
    assert np.array_equal(crop, expected)


def test_a_digit_crop_paints_out_print_reaching_past_the_line_over_a_digit() -> None:
    # The foot of a line of print set right over the number, above the 8 and reaching
    # above the digits' tops: another line's, painted out as before.
    whole, _, box, glyphs = _scratched_eight()
    _, top, _, height = box
    grey = whole.copy()
    eight_left = glyphs[4][0]
    cv2.rectangle(grey, (eight_left + 4, top - 5), (eight_left + 20, top - 2), 0, -1)
    crop = number_crop(grey, box, height)
    expected = number_crop(whole, box, height)
    assert crop is not None and expected is not None
    assert not _marks_clear_above_the_middle(crop, height)
    assert int((crop < 128).sum()) == pytest.approx(int((expected < 128).sum()), rel=0.02)


def _rivet(grey: np.ndarray, centre: tuple[int, int], radius: int) -> None:
    """A rivet head as plates show one: a dark disc with a highlight off its middle."""
    cv2.circle(grey, centre, radius, 60, -1, cv2.LINE_AA)
    cv2.circle(grey, (centre[0] - radius // 3, centre[1] - radius // 3), radius // 2, 200, -1,
               cv2.LINE_AA)


@pytest.mark.parametrize("size", [0.75, 1.15])
@pytest.mark.parametrize("side", ["after", "before"])
def test_a_digit_crop_leaves_out_a_rivet_head_beside_the_number(side: str, size: float) -> None:
    grey = np.full((90, 360), 255, np.uint8)
    cv2.putText(grey, "076817", (60, 62), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3, cv2.LINE_AA)
    digits = grey.copy()
    rows = np.flatnonzero((digits < 128).any(axis=1))
    top, height = int(rows.min()), int(rows.max() - rows.min() + 1)
    # A disc shorter or taller than the digits, a little past the first or last digit.
    radius = round(size * height / 2)
    _rivet(grey, (275 + radius if side == "after" else 50 - radius, top + height // 2), radius)
    crop = number_crop(grey, (25, top, 290, height), height)
    expected = number_crop(digits, (25, top, 290, height), height)
    assert crop is not None and expected is not None
    assert len(ink_runs(crop)) == len(ink_runs(expected)) == 6
    assert int((crop < 128).sum()) == pytest.approx(int((expected < 128).sum()), rel=0.02)


@pytest.mark.parametrize("last", ["0", "8", "9"])
def test_a_digit_crop_keeps_a_round_bold_digit_at_the_numbers_end(last: str) -> None:
    # The heaviest digits the crop can end in: rings of thick strokes, at full height.
    grey = np.full((90, 360), 255, np.uint8)
    cv2.putText(grey, "07681" + last, (30, 62), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 7,
                cv2.LINE_AA)
    rows = np.flatnonzero((grey < 128).any(axis=1))
    top, height = int(rows.min()), int(rows.max() - rows.min() + 1)
    crop = number_crop(grey, (20, top, 300, height), height)
    assert crop is not None
    assert len(ink_runs(crop)) == 6


def test_a_digit_crop_keeps_the_bowl_of_a_faint_last_digit() -> None:
    # Of a faint 8, only its lower bowl came through: a short ring, round as a rivet head
    # but hollow.
    grey = np.full((90, 360), 255, np.uint8)
    cv2.putText(grey, "07681", (30, 62), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3, cv2.LINE_AA)
    rows = np.flatnonzero((grey < 128).any(axis=1))
    top, height = int(rows.min()), int(rows.max() - rows.min() + 1)
    cv2.circle(grey, (200, top + height - height // 3), height // 3, 0, 3, cv2.LINE_AA)
    crop = number_crop(grey, (20, top, 220, height), height)
    assert crop is not None
    assert len(ink_runs(crop)) == 6
