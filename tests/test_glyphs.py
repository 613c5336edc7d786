from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from stickerscan.glyphs import (
    closed_ring,
    loops_rule_out,
    same_print,
    seven_shaped,
    slashed_ring,
    split_ring,
)
from tests.drawing import DEJAVU, DEJAVU_FACES, character_box, streaked

HERSHEY = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX,
           cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX,
           cv2.FONT_HERSHEY_SIMPLEX | cv2.FONT_ITALIC]


def _hershey(digit: str, font: int, height: int, blur: float) -> np.ndarray:
    grey = np.full((3 * height, 3 * height), 255, np.uint8)
    scale = cv2.getFontScaleFromHeight(font, height, 2)
    cv2.putText(grey, digit, (height // 2, 2 * height), font, scale, 0, max(1, height // 12),
                cv2.LINE_AA)
    return character_box(cv2.GaussianBlur(grey, (0, 0), blur) if blur else grey)


def _dejavu_page(digit: str, face: str, height: int) -> np.ndarray:
    """``digit`` printed in a DejaVu face on paper three times its height square."""
    font = ImageFont.truetype(str(DEJAVU / f"{face}.ttf"), size=int(height * 1.4))
    image = Image.new("L", (3 * height, 3 * height), 255)
    ImageDraw.Draw(image).text((height // 2, height // 4), digit, font=font, fill=0)
    return np.array(image)


def _dejavu(digit: str, face: str, height: int, blur: float) -> np.ndarray:
    grey = _dejavu_page(digit, face, height)
    return character_box(cv2.GaussianBlur(grey, (0, 0), blur) if blur else grey)


def _zero(height: int, mark: str) -> np.ndarray:
    """A drawn zero: an oval ring, with a dot, a short slash (clear of the ring), a long
    one (up to the right from ring to ring), a bar across, or nothing inside; or, with a
    "high bar", the outline of a 6 whose hook has closed."""
    grey = np.full((height + 20, height + 20), 255, np.uint8)
    centre, axes = ((height + 20) // 2, (height + 20) // 2), (height * 3 // 10, height // 2)
    stroke = max(2, height // 8)
    cv2.ellipse(grey, centre, axes, 0, 0, 360, 0, stroke, cv2.LINE_AA)
    if mark == "dot":
        cv2.circle(grey, centre, max(2, height // 10), 0, -1, cv2.LINE_AA)
    elif mark == "slash":
        offset = np.array([axes[0] // 2, -axes[1] // 2])
        cv2.line(grey, tuple(int(v) for v in np.array(centre) - offset),
                 tuple(int(v) for v in np.array(centre) + offset), 0, stroke, cv2.LINE_AA)
    elif mark in ("bar", "high bar"):
        # Ring to ring across the middle (a zero's bar), or across its upper part (a 6
        # whose hook has closed: a small pocket above its bowl).
        y = centre[1] if mark == "bar" else centre[1] - axes[1] * 2 // 5
        # To the ring's middle at that height, not out through it.
        reach = int(axes[0] * np.sqrt(1 - ((y - centre[1]) / axes[1]) ** 2)) - stroke // 2
        cv2.line(grey, (centre[0] - reach, y), (centre[0] + reach, y), 0, stroke, cv2.LINE_AA)
    elif mark == "long slash":
        cv2.line(grey, (centre[0] - axes[0], centre[1] + axes[1] * 2 // 3),
                 (centre[0] + axes[0], centre[1] - axes[1] * 2 // 3), 0, stroke, cv2.LINE_AA)
    return character_box(grey)


@pytest.mark.parametrize("mark", ["none", "dot", "slash", "bar"])
@pytest.mark.parametrize("height", [14, 24, 40])
def test_zeros_plain_dotted_and_slashed_are_rings(mark: str, height: int) -> None:
    assert closed_ring(_zero(height, mark))


@pytest.mark.parametrize("digit", ["6", "9"])
@pytest.mark.parametrize("font", HERSHEY)
@pytest.mark.parametrize("blur", [0.0, 0.8, 1.6])
def test_a_six_or_a_nine_is_never_a_ring(digit: str, font: int, blur: float) -> None:
    for height in (14, 24, 36):
        glyph = _hershey(digit, font, height, blur * height / 28)
        assert not closed_ring(glyph)
        assert not split_ring(glyph)


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("face", DEJAVU_FACES)
def test_printed_fonts_zeros_are_rings_and_their_sixes_and_nines_are_not(face: str) -> None:
    for height in (14, 24, 36):
        for blur in (0.0, 0.8 * height / 28):
            assert closed_ring(_dejavu("0", face, height, blur))  # the Mono faces' dotted 0
            assert not closed_ring(_dejavu("6", face, height, blur))
            assert not closed_ring(_dejavu("9", face, height, blur))


@pytest.mark.parametrize("height", [14, 24, 40, 60])
def test_a_six_whose_hook_has_closed_is_no_ring(height: int) -> None:
    assert not closed_ring(_zero(height, "high bar"))


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("blur", [1.5, 2.5])
def test_a_bold_dotted_zero_blurred_into_a_barred_one_is_a_ring(blur: float) -> None:
    # Blur joins the mono bold zero's dot to its sides: two hollows, one above the other.
    assert closed_ring(_dejavu("0", "DejaVuSansMono-Bold", 50, blur))
    assert not closed_ring(_dejavu("6", "DejaVuSansMono-Bold", 50, blur))


def test_too_small_blank_or_touching_glyphs_are_no_ring() -> None:
    assert not closed_ring(_zero(40, "dot")[::5, ::5])  # eight pixels tall
    assert not closed_ring(np.full((30, 20), 255, np.uint8))
    # A zero touching its neighbour (a 1 with a foot joined to it) is no clean ring.
    pair = np.full((60, 90), 255, np.uint8)
    cv2.ellipse(pair, (30, 30), (12, 20), 0, 0, 360, 0, 4, cv2.LINE_AA)
    cv2.line(pair, (42, 30), (70, 30), 0, 4)
    cv2.line(pair, (70, 8), (70, 52), 0, 4)
    assert not closed_ring(pair)


# 5 x 7 pins, as dot-matrix printers print them.
_PINS = {
    "slashed 0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "0": ("01110", "10001", "10001", "10001", "10001", "10001", "01110"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
}


def _pins(character: str, pitch: int) -> np.ndarray:
    """A dot-matrix character, its dots run together by the blur of a photo."""
    grey = np.full((9 * pitch, 7 * pitch), 255, np.uint8)
    for row, pins in enumerate(_PINS[character]):
        for column, pin in enumerate(pins):
            if pin == "1":
                centre = ((column + 1) * pitch + pitch // 2, (row + 1) * pitch + pitch // 2)
                cv2.circle(grey, centre, pitch // 2, 0, -1, cv2.LINE_AA)
    return character_box(cv2.GaussianBlur(grey, (0, 0), pitch / 3))


@pytest.mark.parametrize("height", [24, 32, 40])
def test_a_zero_cut_by_a_slash_is_a_slashed_ring(height: int) -> None:
    assert slashed_ring(_zero(height, "long slash"))


@pytest.mark.parametrize("pitch", [4, 5, 7])
def test_dot_matrix_zeros_and_eights_are_told_apart(pitch: int) -> None:
    assert slashed_ring(_pins("slashed 0", pitch))
    assert not slashed_ring(_pins("8", pitch))
    assert not slashed_ring(_pins("0", pitch))


@pytest.mark.parametrize("font", HERSHEY)
@pytest.mark.parametrize("blur", [0.0, 0.8, 1.6])
def test_an_eight_is_never_a_slashed_ring(font: int, blur: float) -> None:
    for height in (14, 24, 36):
        assert not slashed_ring(_hershey("8", font, height, blur * height / 28))


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("face", [*DEJAVU_FACES, "DejaVuSans-Oblique", "DejaVuSansMono-Oblique"])
def test_printed_fonts_eights_and_zeros_are_no_slashed_rings(face: str) -> None:
    for height in (14, 24, 36):
        for blur in (0.0, 0.8 * height / 28):
            assert not slashed_ring(_dejavu("8", face, height, blur))
            assert not slashed_ring(_dejavu("0", face, height, blur))


def test_two_touching_rings_are_no_slashed_ring() -> None:
    # Two zeros of slanted or bold print run together: their hollows sit side by side,
    # the right one a little lower, as a slashed zero's do; but the patch is wider than
    # one glyph is tall.
    grey = np.full((60, 70), 255, np.uint8)
    cv2.ellipse(grey, (22, 28), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    cv2.ellipse(grey, (44, 31), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    assert not slashed_ring(character_box(grey))


def test_plain_and_dotted_zeros_and_blank_patches_are_no_slashed_rings() -> None:
    for mark in ("none", "dot"):
        assert not slashed_ring(_zero(30, mark))
    assert not slashed_ring(np.full((30, 20), 255, np.uint8))


def _slanted_crossed_zero() -> np.ndarray:
    """A slanted zero that a shallow slash crosses through its middle and runs out past
    on both sides."""
    grey = np.full((120, 200), 255, np.uint8)
    cv2.ellipse(grey, (100, 60), (11, 18), 10, 0, 360, 0, 4, cv2.LINE_AA)
    cv2.line(grey, (84, 65), (116, 55), 0, 4, cv2.LINE_AA)
    return character_box(grey)


def test_a_slanted_zero_a_slash_crosses_is_a_split_ring_though_no_convex_one() -> None:
    glyph = _slanted_crossed_zero()
    assert split_ring(glyph)
    for height in (24, 40):
        assert split_ring(_zero(height, "bar"))
    # The slash out past the ring makes its outline concave, and slanted, its two
    # hollows lie one above the other, not side by side.
    assert not closed_ring(glyph)
    assert not slashed_ring(glyph)


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
def test_a_blurred_slanted_dotted_zero_its_neighbour_touches_is_a_split_ring() -> None:
    # Blur joins the mono bold oblique zero's dot to its sides; in slanted print the
    # next glyph's ink reaches into its character's box and touches it.
    zero = _dejavu("0", "DejaVuSansMono-BoldOblique", 40, 1.5 * 40 / 28)
    assert split_ring(zero)
    touched = zero.copy()
    rows, columns = np.nonzero(zero < 128)
    middle = (int(rows.min()) + int(rows.max())) // 2
    touched[middle - 3: middle + 3, : int(columns[rows == middle].min()) + 2] = 0
    assert not closed_ring(touched)
    assert split_ring(touched)


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("face", [*DEJAVU_FACES, "DejaVuSans-Oblique", "DejaVuSans-BoldOblique",
                                  "DejaVuSansMono-Oblique", "DejaVuSansMono-BoldOblique",
                                  "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"])
def test_printed_fonts_sixes_and_nines_are_no_split_rings(face: str) -> None:
    for height in (14, 24, 36):
        for blur in (0.0, 0.6 * height / 28, 1.2 * height / 28):
            assert not split_ring(_dejavu("6", face, height, blur))
            assert not split_ring(_dejavu("9", face, height, blur))


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the DejaVu fonts are not installed")
@pytest.mark.parametrize("face", ["DejaVuSerif-Bold", "DejaVuSerif-BoldItalic", "DejaVuSans-Bold"])
@pytest.mark.parametrize("digit", ["6", "9"])
def test_a_six_or_a_nine_printed_so_bold_its_hook_closes_is_no_split_ring(
    face: str, digit: str
) -> None:
    # Ink spread a tenth of the height each way closes the hook: a pocket and a bowl,
    # sometimes alike in area, but never in height.
    for height in (24, 40):
        glyph = _dejavu(digit, face, height, 0.0)
        spread = cv2.erode(glyph, np.ones((3, 3), np.uint8), iterations=height // 10)
        for blur in (0.0, 0.8 * height / 28):
            assert not split_ring(cv2.GaussianBlur(spread, (0, 0), blur) if blur else spread)


def test_a_closed_hook_two_rings_side_by_side_and_blank_patches_are_no_split_rings() -> None:
    for height in (14, 24, 40, 60):
        assert not split_ring(_zero(height, "high bar"))  # a 6 whose hook has closed
        assert not split_ring(_zero(height, "none"))
    pair = np.full((60, 70), 255, np.uint8)
    cv2.ellipse(pair, (22, 28), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    cv2.ellipse(pair, (44, 31), (11, 18), 0, 0, 360, 0, 4, cv2.LINE_AA)
    assert not split_ring(character_box(pair))
    assert not split_ring(np.full((30, 20), 255, np.uint8))


def _printed_again(glyph: np.ndarray, seed: int) -> np.ndarray:
    """``glyph`` as the same printer printed it elsewhere on the label: other noise, and
    boxed a little differently by the OCR."""
    noise = np.random.default_rng(seed).normal(0, 8, glyph.shape)
    noisy = np.clip(glyph.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    return cv2.copyMakeBorder(noisy, 3, 1, 2, 4, cv2.BORDER_CONSTANT, value=255)


@pytest.mark.parametrize("height", [26, 36])
def test_one_printers_glyph_printed_twice_is_the_same_print(height: int) -> None:
    for font in HERSHEY:
        for blur in (0.0, 0.8, 1.6):
            zero = _hershey("0", font, height, blur * height / 28)
            assert same_print(_printed_again(zero, height), zero)
    if DEJAVU.is_dir():
        for face in [*DEJAVU_FACES, "DejaVuSansMono-Oblique"]:
            for blur in (0.0, 0.8 * height / 28):
                zero = _dejavu("0", face, height, blur)
                assert same_print(_printed_again(zero, height), zero)


@pytest.mark.parametrize("digit", ["6", "8", "9"])
def test_a_six_an_eight_or_a_nine_is_never_the_print_of_a_zero(digit: str) -> None:
    for height in (14, 24, 36):
        for font in HERSHEY:
            for blur in (0.0, 0.8, 1.6):
                assert not same_print(_hershey(digit, font, height, blur * height / 28),
                                      _hershey("0", font, height, blur * height / 28))
        if DEJAVU.is_dir():
            for face in [*DEJAVU_FACES, "DejaVuSansMono-Oblique"]:
                for blur in (0.0, 0.8 * height / 28):
                    assert not same_print(_dejavu(digit, face, height, blur),
                                          _dejavu("0", face, height, blur))


@pytest.mark.parametrize("mark", ["none", "dot"])
def test_a_ring_of_another_size_is_no_print_of_a_zero(mark: str) -> None:
    # A character box that covers only a 6's bowl leaves a ring the shape of the
    # number's zero at about half its height: one printer prints its zeros at one size.
    zero = _zero(30, mark)
    assert same_print(_printed_again(zero, 1), zero)
    for height in (16, 20, 40):
        assert not same_print(_zero(height, mark), zero)


def test_blank_or_tiny_patches_are_no_print_of_anything() -> None:
    zero = _zero(30, "dot")
    assert not same_print(np.full((30, 20), 255, np.uint8), zero)
    assert not same_print(zero[::5, ::5], zero[::5, ::5])


def test_a_box_that_took_in_a_larger_neighbour_is_judged_by_no_one_glyph() -> None:
    # A character box too wide for its 6 took in the zero before it, whose ink is more.
    pair = np.full((60, 92), 255, np.uint8)
    cv2.ellipse(pair, (24, 30), (12, 20), 0, 0, 360, 0, 5, cv2.LINE_AA)
    cv2.putText(pair, "6", (48, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 2, cv2.LINE_AA)
    _, ink = cv2.threshold(pair, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    assert stats[1:, cv2.CC_STAT_AREA].argmax() == stats[1:, cv2.CC_STAT_LEFT].argmin()
    zero = character_box(pair[:, :44])
    assert closed_ring(zero)
    assert not closed_ring(pair)
    assert not same_print(pair, zero)


@pytest.mark.parametrize("blur", [0.0, 1.2])
@pytest.mark.parametrize("height", [24, 40])
@pytest.mark.parametrize("face", DEJAVU_FACES)
def test_printed_fonts_sevens_have_a_sevens_shape_and_their_ones_do_not(
    face: str, height: int, blur: float
) -> None:
    assert seven_shaped(_dejavu("7", face, height, blur))
    assert not seven_shaped(_dejavu("1", face, height, blur))


@pytest.mark.parametrize("blur", [0.0, 1.2])
@pytest.mark.parametrize("font", HERSHEY)
def test_hershey_sevens_have_a_sevens_shape_and_their_ones_do_not(font: int, blur: float
                                                                 ) -> None:
    assert seven_shaped(_hershey("7", font, 30, blur))
    assert not seven_shaped(_hershey("1", font, 30, blur))


@pytest.mark.parametrize("digit", "0234568")
@pytest.mark.parametrize("face", DEJAVU_FACES)
def test_no_other_digit_has_a_sevens_shape(face: str, digit: str) -> None:
    assert not seven_shaped(_dejavu(digit, face, 32, 0.8))


def test_blank_or_tiny_patches_have_no_sevens_shape() -> None:
    assert not seven_shaped(np.full((30, 20), 255, np.uint8))
    assert not seven_shaped(np.zeros((4, 4), np.uint8))


_SMEARS = {
    "sharp": lambda grey: grey,
    "blurred": lambda grey: cv2.GaussianBlur(grey, (0, 0), 2.0),
    "emboldened and blurred": lambda grey: cv2.GaussianBlur(
        cv2.erode(grey, np.ones((3, 3), np.uint8)), (0, 0), 1.5),
    "streaked across": lambda grey: streaked(grey, 8, 0.0),
    "streaked up": lambda grey: streaked(grey, 8, 90.0),
    "streaked aslant": lambda grey: streaked(grey, 8, 135.0),
}


def _printed_page(digit: str, face: str | int) -> np.ndarray:
    """``digit`` printed on paper around it, in a DejaVu face or a Hershey one."""
    if isinstance(face, str):
        return _dejavu_page(digit, face, 36)
    return cv2.copyMakeBorder(_hershey(digit, face, 30, 0.0), 10, 10, 10, 10,
                              cv2.BORDER_CONSTANT, value=255)


@pytest.mark.parametrize("smear", sorted(_SMEARS))
@pytest.mark.parametrize("face", [*DEJAVU_FACES, *HERSHEY])
@pytest.mark.parametrize("digit", "12357")
def test_no_printed_digit_has_loops_that_rule_its_reading_out(
    digit: str, face: str | int, smear: str
) -> None:
    glyph = character_box(_SMEARS[smear](_printed_page(digit, face)))
    assert not loops_rule_out(digit, glyph)


@pytest.mark.parametrize("face", ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"])
@pytest.mark.parametrize("smear", ["sharp", "blurred", "streaked across"])
def test_a_nine_a_zero_or_an_eight_rules_out_the_digits_it_is_misread_as(
    face: str, smear: str
) -> None:
    def glyph(digit: str) -> np.ndarray:
        return character_box(_SMEARS[smear](_dejavu_page(digit, face, 36)))

    # A 9, a 0 or an 8 read as a 1, a 5 or a 7: a loop high in the glyph.
    for digit in "908":
        assert all(loops_rule_out(misread, glyph(digit)) for misread in "157")
    # An 8 read as a 2 or a 3: two loops, one above the other.
    assert loops_rule_out("2", glyph("8")) and loops_rule_out("3", glyph("8"))
    # A 9 has one loop: a 2 or a 3 is not ruled out (a bold serif 2's closed hook holds
    # one high up too).
    assert not loops_rule_out("2", glyph("9")) and not loops_rule_out("3", glyph("9"))


def test_a_loop_in_the_lower_part_rules_out_no_five() -> None:
    # A bold 5 blurred: its bowl closes into a pocket low in the glyph, as a 6's does.
    grey = np.full((80, 60), 255, np.uint8)
    cv2.rectangle(grey, (18, 12), (42, 17), 0, -1)
    cv2.rectangle(grey, (18, 12), (23, 38), 0, -1)
    cv2.ellipse(grey, (30, 50), (12, 13), 0, 0, 360, 0, 5)
    glyph = character_box(grey)
    assert not loops_rule_out("5", glyph)
    assert loops_rule_out("5", np.flipud(glyph))


def test_touching_glyphs_blank_patches_and_other_readings_are_not_judged() -> None:
    page = _dejavu_page("9", "DejaVuSans", 36)
    nine = character_box(page)
    # Two glyphs touching make one patch as wide as tall or wider: it is not judged,
    # whatever paper the two close between them and within.
    ink_width = int(np.ptp(np.flatnonzero((page < 128).any(axis=0)))) + 1
    pair = np.minimum(page, np.roll(page, ink_width - 2, axis=1))
    assert loops_rule_out("5", nine)
    assert not loops_rule_out("5", character_box(pair))
    assert not loops_rule_out("5", np.full((40, 24), 255, np.uint8))
    assert not loops_rule_out("5", np.zeros((4, 4), np.uint8))
    # A 9 read as a 9, a 6, a 4 or a 0 is not for this check to judge.
    assert not any(loops_rule_out(reading, nine) for reading in "96408")
