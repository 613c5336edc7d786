from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from stickerscan.enhance import (
    TEXT_HEIGHTS,
    LabelCrop,
    _binarise,
    _light_by_shares,
    _light_text,
    clear_barcodes,
    clear_edge_marks,
    enhance_region,
    grain_cleared,
    level_angle,
    levelled,
    speckle_smoothed,
)
from stickerscan.load import LoadedImage
from stickerscan.locate import LabelRegion, Polarity, Quad
from tests.drawing import sticker


def _loaded(pixels: np.ndarray) -> LoadedImage:
    return LoadedImage(source="drawn", pixels=pixels,
                       original_size=(pixels.shape[1], pixels.shape[0]), scale=1.0,
                       file_format="PNG", exif_orientation=1)


def _outlined(outline: tuple[float, float, float, float],
              text: tuple[float, float, float, float], *,
              polarity: Polarity = "dark-on-light", line_count: int = 1,
              longest_line: int = 6) -> LabelRegion:
    """A region whose outline and text block are the upright boxes (x0, y0, x1, y1)
    ``outline`` and ``text``, its characters 30 pixels tall."""

    def corners(box: tuple[float, float, float, float]) -> Quad:
        x0, y0, x1, y1 = box
        return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))

    return LabelRegion(quad=corners(outline), text_quad=corners(text), score=3.0,
                       text_height=30.0, polarity=polarity, outlined=True,
                       line_count=line_count, longest_line=longest_line)


def _plate_with_black_sticker() -> tuple[np.ndarray, LabelRegion]:
    """A wide light plate with a small black sticker of white text in its middle; the
    region's outline is the plate, its text block the sticker's text."""
    plate = np.full((300, 900, 3), 200, np.uint8)
    label = sticker(["013537"], dark_text=False)
    top, left = (300 - label.shape[0]) // 2, (900 - label.shape[1]) // 2
    plate[top: top + label.shape[0], left: left + label.shape[1]] = label
    bottom, right = top + label.shape[0], left + label.shape[1]
    region = _outlined((5.0, 5.0, 895.0, 295.0),
                       (left + 10.0, top + 10.0, right - 10.0, bottom - 10.0),
                       polarity="light-on-dark")
    return plate, region


def test_text_is_made_dark_on_light_judged_where_the_text_is() -> None:
    # Over the whole crop the light plate is the majority and the black sticker looks like
    # print; only around the text is it clear that the print is the light part.
    plate, region = _plate_with_black_sticker()
    crop = enhance_region(_loaded(plate), region, 0)
    zoom = crop.text_height / region.text_height
    # The crop is the outline just inside its edge, plus a 12-pixel margin.
    inset_x, inset_y = 0.015 * 890 * zoom, 0.015 * 290 * zoom
    rows, cols = np.nonzero(plate[:, :, 0] > 230)  # the white strokes of the digits
    crop_rows = np.round((rows - 5) * zoom - inset_y + 12).astype(int)
    crop_cols = np.round((cols - 5) * zoom - inset_x + 12).astype(int)
    assert float(np.median(crop.grey[crop_rows, crop_cols])) < 100


@pytest.mark.parametrize("text_height", TEXT_HEIGHTS)
def test_crops_are_scaled_to_the_asked_text_height(text_height: int) -> None:
    plate, region = _plate_with_black_sticker()
    crop = enhance_region(_loaded(plate), region, 0, text_height=text_height)
    assert crop.text_height == text_height
    # The plate is 290 pixels wide per 30 of text height, plus the crop's margins.
    expected_width = 890 * text_height / 30 * (1 - 2 * 0.015)
    assert crop.grey.shape[1] == pytest.approx(expected_width + 24, abs=3)
    assert crop.binary.shape == crop.grey.shape


def test_edge_marks_longer_than_the_limit_are_cleared_and_digits_kept() -> None:
    grey = np.full((60, 200), 255, np.uint8)
    grey[:, 195:] = 0           # a frame's edge down the right side
    grey[55:, :] = 0            # and along the bottom
    grey[5:40, 0:12] = 0        # a digit-sized mark touching the left edge
    grey[15:45, 80:95] = 0      # a digit in the middle
    cleared = clear_edge_marks(grey, longer_than=40)
    assert cleared[:, 195:].min() > 128 and cleared[57:, 100:].min() > 128
    assert cleared[20, 5] == 0 and cleared[30, 85] == 0
    everything = clear_edge_marks(grey)
    assert everything[20, 5] > 128 and everything[30, 85] == 0


# --------------------------------------------------------------------------------------
# Barcodes painted out
# --------------------------------------------------------------------------------------

PAPER, INK = 230, 20
TEXT_HEIGHT = TEXT_HEIGHTS[0]


def _crop_with_text(text: str, width: int = 700) -> np.ndarray:
    """A grey crop with ``text`` drawn at about the crop's text height (its digits are
    ``TEXT_HEIGHT`` pixels tall, give or take a pixel or two)."""
    grey = np.full((140, width), PAPER, np.uint8)
    cv2.putText(grey, text, (10, 90), cv2.FONT_HERSHEY_DUPLEX, 1.8, INK, 3, cv2.LINE_AA)
    return grey


def _draw_bars(grey: np.ndarray, lefts: list[int], widths: list[int], *, top: int = 25,
               height: int = 2 * TEXT_HEIGHT) -> None:
    for left, width in zip(lefts, widths, strict=True):
        grey[top: top + height, left: left + width] = INK


def test_the_drawn_digits_are_about_one_text_height_tall() -> None:
    # The premise of the tests below: the text is not tall enough to be taken for bars.
    rows = np.flatnonzero((_crop_with_text("013537") < 128).any(axis=1))
    assert abs(int(rows.max() - rows.min() + 1) - TEXT_HEIGHT) <= 4


def test_a_barcode_beside_the_text_is_painted_paper_and_the_text_is_kept() -> None:
    grey = _crop_with_text("S/N 013537")
    text_ink = grey < 128
    assert not text_ink[:, 400:].any()  # the text ends well before the code
    # Bars of a code are of several widths, twice the text height tall.
    lefts = [420 + 12 * index for index in range(8)]
    widths = [3, 6, 3, 9, 3, 6, 3, 3]
    _draw_bars(grey, lefts, widths)
    cleared = clear_barcodes(grey, TEXT_HEIGHT)
    code = cleared[25: 25 + 2 * TEXT_HEIGHT, lefts[0]: lefts[-1] + widths[-1]]
    assert (code == PAPER).all()
    assert np.array_equal(cleared[text_ink], grey[text_ink])
    # Nothing but the code changed.
    changed = cleared != grey
    assert not changed[:, : lefts[0]].any() and not changed[:, lefts[-1] + widths[-1]:].any()
    # The caller's crop is left as it was.
    assert (grey[25: 25 + 2 * TEXT_HEIGHT, lefts[0]: lefts[0] + widths[0]] == INK).all()


def test_two_tall_bars_are_no_barcode() -> None:
    grey = _crop_with_text("S/N 013537")
    _draw_bars(grey, [420, 432], [4, 4])
    assert np.array_equal(clear_barcodes(grey, TEXT_HEIGHT), grey)


def _large_number_after_broken_zeros() -> tuple[np.ndarray, int]:
    """"5432" drawn twice the text height tall, after the four stems that are all that
    is left of "00" in a light serif face whose hairlines broke; and where the stems
    start."""
    grey = np.full((140, 700), PAPER, np.uint8)
    cv2.putText(grey, "5432", (200, 100), cv2.FONT_HERSHEY_DUPLEX, 3.4, INK, 5, cv2.LINE_AA)
    rows = np.flatnonzero((grey < 128).any(axis=1))
    top, height = int(rows.min()), int(rows.max() - rows.min() + 1)
    assert height >= 1.8 * TEXT_HEIGHT
    _draw_bars(grey, [60, 95, 120, 155], [6, 6, 6, 6], top=top, height=height)
    return grey, 60


def test_the_stems_of_large_zeros_broken_apart_are_no_barcode() -> None:
    # Thin, tall and side by side like bars, but the digits beside them are as tall and
    # level with them: a line of print.
    grey, _ = _large_number_after_broken_zeros()
    assert np.array_equal(clear_barcodes(grey, TEXT_HEIGHT), grey)


def test_the_same_stems_standing_alone_are_a_barcode() -> None:
    grey, stems = _large_number_after_broken_zeros()
    grey[:, stems + 110:] = PAPER  # the digits taken away
    assert (clear_barcodes(grey, TEXT_HEIGHT) == PAPER).all()


def _ones(height: int) -> np.ndarray:
    """A row of ten strokes like the digit 1 (Hershey's own 1 has a wide foot)."""
    grey = np.full((140, 400), PAPER, np.uint8)
    for index in range(10):
        left = 20 + 18 * index
        grey[100 - height: 100, left: left + 5] = INK
        grey[100 - height: 100 - height + 4, left - 4: left] = INK  # the flag
    return grey


def test_a_row_of_ones_at_text_height_is_kept() -> None:
    # Thin, dark and side by side like bars, but only as tall as the text.
    grey = _ones(TEXT_HEIGHT)
    assert np.array_equal(clear_barcodes(grey, TEXT_HEIGHT), grey)


def test_the_same_ones_twice_the_text_height_tall_are_a_barcode() -> None:
    # The height is what keeps the ones above: drawn twice as tall they are bars.
    grey = _ones(2 * TEXT_HEIGHT)
    assert (clear_barcodes(grey, TEXT_HEIGHT) == PAPER).all()


def test_tall_bars_too_wide_for_their_height_are_kept() -> None:
    # Tall dark blocks half as wide as they are tall (a thick frame, a dark key): no code.
    grey = _crop_with_text("S/N 013537")
    _draw_bars(grey, [420, 470, 520], [TEXT_HEIGHT, TEXT_HEIGHT, TEXT_HEIGHT])
    assert np.array_equal(clear_barcodes(grey, TEXT_HEIGHT), grey)


def test_tall_bars_far_apart_are_not_one_code() -> None:
    # Three tall thin marks, each farther from the next than half its height.
    grey = _crop_with_text("S/N 013537")
    _draw_bars(grey, [420, 420 + TEXT_HEIGHT + 10, 420 + 2 * (TEXT_HEIGHT + 10)], [4, 4, 4])
    assert np.array_equal(clear_barcodes(grey, TEXT_HEIGHT), grey)


def test_a_barcode_is_painted_out_of_an_enhanced_crop() -> None:
    # The same sticker with and without a barcode beside its number (clear of the crop's
    # edges, so it is not taken for an edge mark): after enhancement the bars are gone
    # and the number is kept.
    label = np.full((160, 900, 3), 235, np.uint8)
    cv2.putText(label, "013537", (20, 100), cv2.FONT_HERSHEY_DUPLEX, 1.2, (25, 25, 25), 3,
                cv2.LINE_AA)
    with_code = label.copy()
    for index in range(10):
        with_code[30:140, 500 + 14 * index: 505 + 14 * index + 3 * (index % 2)] = 25
    region = _outlined((5.0, 5.0, 895.0, 155.0), (15.0, 70.0, 260.0, 105.0))
    plain = enhance_region(_loaded(label), region, 0)
    coded = enhance_region(_loaded(with_code), region, 0)
    assert plain.grey.shape == coded.grey.shape
    half = plain.grey.shape[1] // 2
    # Right half: where the code was drawn; left half: the number.
    assert (with_code[:, 450:] < 128).sum() > 10_000
    assert (coded.grey[:, half:] < 128).sum() == 0
    # The number is where it was, as large.  (Its strokes are not the same shade: the
    # code's ink changes the contrast stretch, which is made before the code is cleared.)
    assert _ink_box(coded.grey[:, :half]) == pytest.approx(_ink_box(plain.grey[:, :half]), abs=2)


def _ink_box(grey: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(grey < 128)
    return int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max())


# --------------------------------------------------------------------------------------
# Lines of print turned level
# --------------------------------------------------------------------------------------


def _two_lines(tilt: float) -> np.ndarray:
    """A crop with two lines of print, turned ``tilt`` degrees counter-clockwise."""
    grey = np.full((220, 640), PAPER, np.uint8)
    cv2.putText(grey, "SERIAL NO. 013537", (30, 95), cv2.FONT_HERSHEY_DUPLEX, 1.4, INK, 3,
                cv2.LINE_AA)
    cv2.putText(grey, "KORG INC. TOKYO", (30, 165), cv2.FONT_HERSHEY_DUPLEX, 1.4, INK, 3,
                cv2.LINE_AA)
    turn = cv2.getRotationMatrix2D((320, 110), tilt, 1.0)
    turned: np.ndarray = cv2.warpAffine(grey, turn, (640, 220), borderValue=PAPER)
    return turned


@pytest.mark.parametrize("tilt", [-8.0, -4.5, 3.0, 6.0])
def test_tilted_lines_of_print_are_turned_level(tilt: float) -> None:
    grey = _two_lines(tilt)
    angle = level_angle(grey)
    assert angle == pytest.approx(-tilt, abs=0.5)
    assert level_angle(levelled(grey, angle)) == 0.0


@pytest.mark.parametrize("tilt", [0.0, 1.0, -1.0])
def test_level_and_nearly_level_print_is_left_as_it_is(tilt: float) -> None:
    grey = _two_lines(tilt)
    assert level_angle(grey) == 0.0
    assert levelled(grey, 0.0) is grey


def test_blank_paper_and_speckle_are_not_turned() -> None:
    assert level_angle(np.full((200, 600), PAPER, np.uint8)) == 0.0
    random = np.random.default_rng(5)
    # Texture darker than paper over most of the crop, and scattered specks.
    texture = random.integers(0, 256, (200, 600)).astype(np.uint8)
    assert level_angle(texture) == 0.0
    specks = np.where(random.random((200, 600)) < 0.05, INK, PAPER).astype(np.uint8)
    assert level_angle(specks) == 0.0


def test_print_crooked_on_its_sticker_comes_out_level() -> None:
    # The outline is the sticker's edge; its text was printed 6 degrees off square.
    plate = np.full((300, 900, 3), 200, np.uint8)
    plate[40:260, 120:780] = 250
    text = _two_lines(6.0)
    plate[40:260, 130:770] = np.minimum(plate[40:260, 130:770], text[:, :, None])
    region = _outlined((120.0, 40.0, 780.0, 260.0), (150.0, 60.0, 750.0, 240.0),
                       line_count=2, longest_line=17)
    crop = enhance_region(_loaded(plate), region, 0)
    assert level_angle(crop.grey) == 0.0
    # Without the turn the crop's print would be as crooked as printed.
    assert level_angle(levelled(crop.grey, 6.0)) == pytest.approx(-6.0, abs=1.0)


def _white_sticker_on_a_lit_panel() -> np.ndarray:
    """Dark print on a white sticker taking up half the box, the rest a lit grey panel:
    Otsu's two shades are the sticker and the panel, near even, not print and paper."""
    grey = np.full((120, 400), 175, np.uint8)
    grey[:, 200:] = 250
    cv2.putText(grey, "188683", (215, 75), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 30, 2, cv2.LINE_AA)
    return grey


@pytest.mark.parametrize("located", ["dark-on-light", "light-on-dark"])
def test_near_even_shades_leave_the_print_shade_to_the_locator(located: Polarity) -> None:
    assert _light_by_shares(_white_sticker_on_a_lit_panel(), located) is (
        located == "light-on-dark")


@pytest.mark.parametrize("located", ["dark-on-light", "light-on-dark"])
def test_print_that_is_clearly_the_minority_shade_decides_on_its_own(located: Polarity) -> None:
    dark_on_white = _crop_with_text("S/N 013537")
    assert _light_by_shares(dark_on_white, located) is False
    assert _light_by_shares(255 - dark_on_white, located) is True


def _print_half_in_shadow(shadowed: int) -> np.ndarray:
    """Dark print across a light plate whose left ``shadowed`` columns (of 420) are in a
    shadow: Otsu's two shades are the shadow and the lit plate, not print and paper."""
    grey = np.full((110, 420), 205, np.uint8)
    grey[:, :shadowed] = 105
    cv2.putText(grey, "S/N 013537", (20, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 25, 3,
                cv2.LINE_AA)
    return grey


@pytest.mark.parametrize("located", ["dark-on-light", "light-on-dark"])
def test_a_shadow_over_most_of_a_plate_does_not_turn_its_print_light(located: Polarity) -> None:
    # The lit part is the minority shade, so by the shares alone the print would be light;
    # its characters' shapes say it is dark.
    shaded = _print_half_in_shadow(300)
    assert _light_by_shares(shaded, located) is True
    assert _light_text(shaded, located, text_height=30) is False
    assert _light_text(255 - shaded, located, text_height=30) is True


def test_a_mark_or_two_of_a_characters_shape_leave_the_shade_to_the_shares() -> None:
    # Two dark digits on a lit plate mostly in shadow: too few marks to settle it.
    grey = np.full((110, 420), 205, np.uint8)
    grey[:, :300] = 105
    cv2.putText(grey, "17", (20, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 25, 3, cv2.LINE_AA)
    assert (_light_text(grey, "dark-on-light", text_height=30)
            is _light_by_shares(grey, "dark-on-light"))


def _grain(shape: tuple[int, int], specks: int, seed: int) -> np.ndarray:
    """A mask of ``specks`` dark specks 2 to 4 pixels across, scattered at random: wood
    grain and sensor noise as the crop shows them."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(shape, np.uint8)
    for _ in range(specks):
        y, x = int(rng.integers(0, shape[0] - 4)), int(rng.integers(0, shape[1] - 4))
        size = int(rng.integers(2, 5))
        mask[y: y + size, x: x + size] = 1
    return mask.astype(bool)


def _crop_of(grey: np.ndarray) -> LabelCrop:
    region = _outlined((0.0, 0.0, float(grey.shape[1]), float(grey.shape[0])),
                       (0.0, 0.0, float(grey.shape[1]), float(grey.shape[0])))
    return LabelCrop(region=region, rank=0, text_height=TEXT_HEIGHT, grey=grey,
                     binary=np.full_like(grey, 255))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grain_round_print_is_painted_over_and_the_print_kept_in_its_own_shades(
    seed: int,
) -> None:
    clean = _crop_with_text("SER. NO. 013537")
    grain = _grain(clean.shape, 400, seed)
    grainy = np.where(grain, 70, clean).astype(np.uint8)
    cleared = grain_cleared(_crop_of(grainy))
    assert cleared is not None
    strokes = clean < 128
    # Every stroke pixel is kept as it was.
    assert np.array_equal(cleared.grey[strokes], grainy[strokes])
    # Specks standing apart from the print are paper now (one touching a stroke is kept
    # with it); there were hundreds.
    _, marks = cv2.connectedComponents((grainy < PAPER).astype(np.uint8), connectivity=8)
    apart = grain & ~np.isin(marks, np.unique(marks[clean < PAPER]))
    assert apart.sum() > 1000
    assert (cleared.grey[apart] == 255).all()
    # The binarised rendering is made from the cleared crop: dark where the print is,
    # and no mark left where a speck stood alone.
    assert (cleared.binary[strokes] == 0).mean() > 0.8
    assert (cleared.binary[apart] == 255).all()
    assert cleared.rank == 0 and cleared.text_height == TEXT_HEIGHT


def test_print_without_grain_is_left_alone() -> None:
    assert grain_cleared(_crop_of(_crop_with_text("SER. NO. 013537"))) is None


def test_a_few_specks_beside_the_print_are_not_grain() -> None:
    # Fewer specks than two for each character: dust, or a dot-matrix colon, not a ground.
    clean = _crop_with_text("SER. NO. 013537")
    few = np.where(_grain(clean.shape, 12, 4), 70, clean).astype(np.uint8)
    assert grain_cleared(_crop_of(few)) is None


def test_a_crop_of_specks_alone_is_not_cleared_to_nothing() -> None:
    paper = np.full((140, 700), PAPER, np.uint8)
    assert grain_cleared(_crop_of(np.where(_grain(paper.shape, 400, 5), 70, paper)
                                  .astype(np.uint8))) is None


def _speckled(grey: np.ndarray, seed: int) -> np.ndarray:
    """``grey`` under fine, dense speckle: noise in specks of two pixels, as a dim photo's
    sensor gives."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 60.0, (grey.shape[0] // 2, grey.shape[1] // 2))
    specks = cv2.resize(noise, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_NEAREST)
    return np.clip(grey + specks, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_speckle_is_smoothed_into_the_paper_and_the_strokes_stay(seed: int) -> None:
    clean = _crop_with_text("SER. NO. 013537")
    speckled = _speckled(clean, seed)
    crop = replace(_crop_of(speckled), rank=3)
    smooth = speckle_smoothed(crop)
    paper = cv2.erode((clean > 200).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    strokes = cv2.erode((clean < 60).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    # The paper's speckle is at most half as strong, and the strokes are as dark as ever
    # against it.
    assert smooth.grey[paper].std() < 0.5 * speckled[paper].std()
    assert smooth.grey[strokes].mean() < smooth.grey[paper].mean() - 120
    # The binarised rendering is made afresh from the smoothed crop (the one given was
    # blank), and keeps the strokes.
    assert np.array_equal(smooth.binary, _binarise(smooth.grey, TEXT_HEIGHT))
    assert (smooth.binary[strokes] == 0).mean() > 0.9
    assert (smooth.rank, smooth.text_height, smooth.region) == (3, TEXT_HEIGHT, crop.region)


# --------------------------------------------------------------------------------------
# Print at the photo's own edge
# --------------------------------------------------------------------------------------


def _label_from_its_first_glyph() -> tuple[np.ndarray, int]:
    """A white sticker reading "NO. 204925" cut down to start at its "N", and the
    height of its print."""
    label = sticker(["NO. 204925"])
    ink_columns = np.flatnonzero((label[:, :, 0] < 128).any(axis=0))
    ink_rows = np.flatnonzero((label[:, :, 0] < 128).any(axis=1))
    return label[:, ink_columns[0]:], int(ink_rows[-1] - ink_rows[0] + 1)


@pytest.mark.parametrize("left", [0, 60])
def test_a_glyph_the_photos_edge_cuts_is_kept_and_one_the_crops_edge_cuts_is_not(
    left: int,
) -> None:
    # A photo cut down to the label ends at the "N" of "NO.": the crop runs past the
    # photo's edge, and the "N" is print.  The same label inside a larger photo, with the
    # region's outline drawn through the "N", leaves it touching the crop's edge only:
    # a sticker's edge or a jack there is not text.
    label, print_height = _label_from_its_first_glyph()
    photo = np.full((label.shape[0] + 40, label.shape[1] + 40 + left, 3), 235, np.uint8)
    photo[20:20 + label.shape[0], left:left + label.shape[1]] = label
    if left:
        photo[:, :left] = 25  # dark panel left of the sticker, joined to its "N"
    top, bottom = 20.0, 20.0 + label.shape[0]
    region = LabelRegion(
        quad=((left - 8.0, top), (left + label.shape[1], top),
              (left + label.shape[1], bottom), (left - 8.0, bottom)),
        text_quad=((left - 8.0, top + 8), (left + label.shape[1] - 8.0, top + 8),
                   (left + label.shape[1] - 8.0, bottom - 8), (left - 8.0, bottom - 8)),
        score=3.0, text_height=float(print_height), polarity="dark-on-light", outlined=False,
        line_count=1, longest_line=10)
    crop = enhance_region(_loaded(photo), region, 0)
    # The "N" fills the first 0.7 of a text height of the print after the margin.
    first_glyph = crop.grey[:, 12:12 + round(0.7 * crop.text_height)]
    kept = int(np.count_nonzero(first_glyph < 100))
    assert crop.frame_cut is (left == 0)
    if left == 0:
        assert kept > 2 * crop.text_height
        # The crop is cut back to the photo: its print starts at the margin, where the
        # photo's edge is marked.
        assert crop.photo_edge is not None and crop.photo_edge.shape == crop.grey.shape
        assert crop.photo_edge[crop.grey.shape[0] // 2, 12]
        assert not crop.photo_edge[crop.grey.shape[0] // 2, 12 + crop.text_height]
    else:
        assert kept < crop.text_height
        assert crop.photo_edge is None


def test_a_crop_running_past_the_photo_with_its_text_well_inside_is_made_as_ever() -> None:
    # A sticker's outline found running past the photo's edge, its print well inside:
    # the crop is the outline's, not cut back to the photo.
    plate, region = _plate_with_black_sticker()
    photo = plate[:, 100:]
    (x0, y0), (x1, _), (_, y1), _ = region.quad
    (tx0, ty0), (tx1, _), (_, ty1), _ = region.text_quad
    past = replace(
        region,
        quad=((x0 - 100, y0), (x1 - 100, y0), (x1 - 100, y1), (x0 - 100, y1)),
        text_quad=((tx0 - 100, ty0), (tx1 - 100, ty0), (tx1 - 100, ty1), (tx0 - 100, ty1)))
    crop = enhance_region(_loaded(np.ascontiguousarray(photo)), past, 0)
    assert not crop.frame_cut
    expected_width = 890 * crop.text_height / 30 * (1 - 2 * 0.015)
    assert crop.grey.shape[1] == pytest.approx(expected_width + 24, abs=3)


# --------------------------------------------------------------------------------------
# Glare
# --------------------------------------------------------------------------------------


# Where the fourth digit of ``sticker(["SERIAL NO.", "204925"])`` is drawn (x, y), and
# the height of its print.
_FOURTH_DIGIT = (int(20 * 1.2 + 3.5 * 30 * 1.2), int(2 * 60 * 1.2 - 15))
_PRINT_HEIGHT = 26


def _sticker_photo(label: np.ndarray, polarity: Polarity = "dark-on-light"
                   ) -> tuple[np.ndarray, LabelRegion]:
    """``label`` (two lines of print) on a dark panel, and the region of its outline."""
    photo = np.full((label.shape[0] + 80, label.shape[1] + 80, 3), 30, np.uint8)
    photo[40:40 + label.shape[0], 40:40 + label.shape[1]] = label
    right, bottom = 40.0 + label.shape[1], 40.0 + label.shape[0]
    region = replace(_outlined((40.0, 40.0, right, bottom), (50.0, 50.0, right - 10, bottom - 10),
                               polarity=polarity, line_count=2, longest_line=10),
                     text_height=float(_PRINT_HEIGHT))
    return photo, region


def _lit(label: np.ndarray, centre: tuple[int, int]) -> np.ndarray:
    """``label`` under a highlight a line of print wide: light added round ``centre``,
    clipped white within about half its radius, fading out beyond."""
    rows, columns = np.mgrid[:label.shape[0], :label.shape[1]]
    distance = np.hypot(columns - centre[0], rows - centre[1]) / (1.5 * _PRINT_HEIGHT)
    light = 400.0 * np.clip(1.0 - distance, 0.0, 1.0)
    return np.clip(label + light[:, :, None], 0, 255).astype(np.uint8)


def test_glare_over_dark_print_is_marked_where_it_is() -> None:
    label = sticker(["SERIAL NO.", "204925"])
    photo, region = _sticker_photo(_lit(label, _FOURTH_DIGIT))
    crop = enhance_region(_loaded(photo), region, 0)
    assert crop.glare is not None and crop.glare.shape == crop.grey.shape
    rows, columns = np.nonzero(crop.glare)
    # The highlight is marked over the fourth digit, and nowhere beyond the light.
    zoom = crop.text_height / _PRINT_HEIGHT
    digit_x, digit_y = _FOURTH_DIGIT
    centre_x = 12 + (digit_x - label.shape[1] * 0.015) * zoom
    centre_y = 12 + (digit_y - label.shape[0] * 0.015) * zoom
    assert np.median(columns) == pytest.approx(centre_x, abs=crop.text_height / 2)
    assert np.median(rows) == pytest.approx(centre_y, abs=crop.text_height / 2)
    assert np.hypot(columns - centre_x, rows - centre_y).max() < 1.5 * _PRINT_HEIGHT * zoom


@pytest.mark.parametrize("photographed", ["evenly", "too bright", "sharpened"])
def test_no_glare_is_marked_where_the_photo_shows_none(photographed: str) -> None:
    # A sticker photographed too bright is clipped all over: its print is not faded by
    # that.  A photo sharpened hard rings each stroke with a thin clipped halo.
    label = sticker(["SERIAL NO.", "204925"])
    if photographed == "too bright":
        label = np.clip(label.astype(np.int16) + 40, 0, 255).astype(np.uint8)
    if photographed == "sharpened":
        blurred = cv2.GaussianBlur(label, (0, 0), 2.0)
        label = cv2.addWeighted(label, 3.0, blurred, -2.0, 0)
        assert (label >= 250).any()
    photo, region = _sticker_photo(label)
    assert enhance_region(_loaded(photo), region, 0).glare is None


def test_glare_over_light_print_is_not_marked() -> None:
    # Light print can itself be clipped white, in strokes as wide as a glare patch: on a
    # black sticker only the blot check (see stickerscan.blots) looks for glare.
    label = sticker(["SERIAL NO.", "204925"], dark_text=False)
    photo, region = _sticker_photo(_lit(label, _FOURTH_DIGIT), "light-on-dark")
    assert enhance_region(_loaded(photo), region, 0).glare is None


def test_a_sticker_lit_brightly_round_dark_print_is_not_under_glare() -> None:
    # Paper clipped white round print as dark as ever: bright light, not glare.
    label = sticker(["SERIAL NO.", "204925"])
    lit = label.copy()
    lit[:, 40:160][lit[:, 40:160] > 128] = 255  # the paper round the first three digits
    photo, region = _sticker_photo(lit)
    assert enhance_region(_loaded(photo), region, 0).glare is None
