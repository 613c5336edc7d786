from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from stickerscan.load import LoadedImage
from stickerscan.locate import (
    LabelRegion,
    LocatedLabels,
    _print_on_paper,
    _score,
    _working_grey,
    dotted_print_regions,
    locate_labels,
    new_places,
    paper_print_regions,
    quarter_turned_back,
    shows_more_print,
    surroundings_of,
    turned_back,
    turned_photo,
)
from stickerscan.options import ScanOptions
from stickerscan.text_lines import (
    CharacterBlob,
    _fit_line,
)
from tests.drawing import (
    dot_matrix_sticker_photo,
    panel,
    place,
    small_light_sticker_photo,
    sticker,
)
from tests.scenes import scan_generated

OPTIONS = ScanOptions()


def _loaded(pixels: np.ndarray, scale: float = 1.0) -> LoadedImage:
    return LoadedImage(source="drawn", pixels=pixels,
                       original_size=(round(pixels.shape[1] / scale),
                                      round(pixels.shape[0] / scale)),
                       scale=scale, file_format="PNG", exif_orientation=1)


def _covers(region: LabelRegion, point: np.ndarray) -> bool:
    return cv2.pointPolygonTest(np.array(region.quad, np.float32),
                                (float(point[0]), float(point[1])), False) > 0


def _centre(quad: tuple[tuple[float, float], ...]) -> np.ndarray:
    return np.mean(np.array(quad), axis=0)


@pytest.mark.parametrize("angle", [-18.0, 0.0, 12.0, 180.0])
@pytest.mark.parametrize("dark_text", [True, False])
def test_sticker_is_found_and_ranked_first(angle: float, dark_text: bool) -> None:
    label = sticker(["SERIAL NO.", "013537"], dark_text=dark_text)
    backdrop = panel(seed=3) if dark_text else 255 - panel(seed=3)
    photo, corners = place(backdrop, label, at=(1100, 800), angle=angle)
    located = locate_labels(_loaded(photo), OPTIONS)
    assert located.regions, "nothing found"
    best = located.regions[0]
    assert np.linalg.norm(_centre(best.quad) - corners.mean(axis=0)) < 40
    assert best.outlined
    assert best.longest_line >= 6
    assert best.polarity == ("dark-on-light" if dark_text else "light-on-dark")


def test_outline_corners_follow_the_sticker_edges() -> None:
    photo, corners = place(panel(seed=4), sticker(["S/N 215725"]), at=(700, 900), angle=8.0)
    best = locate_labels(_loaded(photo), OPTIONS).regions[0]
    assert best.outlined
    found = np.array(best.quad)
    # Each found corner lies within a few pixels of a true sticker corner.
    distances = np.linalg.norm(found[:, None, :] - corners[None, :, :], axis=2).min(axis=1)
    assert distances.max() < 12


def test_a_sticker_with_much_blank_paper_around_small_print_is_outlined() -> None:
    # A long sticker, its two short lines in the middle: it reaches well past the first
    # look around its text (its edge there is no closed contour either); the wider look
    # finds its edges.
    label = np.full((130, 660, 3), (235, 235, 230), np.uint8)
    for line, baseline in (("SERIAL NO.", 55), ("119250", 100)):
        cv2.putText(label, line, (260, baseline), cv2.FONT_HERSHEY_DUPLEX, 0.9,
                    (25, 25, 25), 2, cv2.LINE_AA)
    photo, corners = place(panel(seed=6), label, at=(900, 750), angle=6.0)
    best = locate_labels(_loaded(photo), OPTIONS).regions[0]
    assert best.outlined
    found = np.array(best.quad)
    distances = np.linalg.norm(found[:, None, :] - corners[None, :, :], axis=2).min(axis=1)
    assert distances.max() < 12


def test_quads_are_in_original_photo_coordinates() -> None:
    photo, corners = place(panel(seed=5), sticker(["SERIAL NO. 103917"]), at=(800, 600))
    # The loaded image is a half-size reduction of a photo twice as large.
    small = photo[::2, ::2].copy()
    regions = locate_labels(_loaded(small, scale=0.5), OPTIONS).regions
    centre = tuple(float(v) for v in corners.mean(axis=0))
    # The top regions are given in the full photo's pixels: one of them holds the sticker.
    assert any(
        cv2.pointPolygonTest(np.array(region.quad, np.float32), centre, False) >= 0
        for region in regions[:2]
    )


def test_blank_or_textureless_photos_give_no_regions() -> None:
    for photo in (np.zeros((600, 800, 3), np.uint8), np.full((600, 800, 3), 200, np.uint8)):
        assert locate_labels(_loaded(photo), OPTIONS).regions == ()


def test_noise_ranks_below_a_real_label() -> None:
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 255, (900, 1200, 3), dtype=np.uint8)
    photo, corners = place(noise, sticker(["SERIAL NO.", "013537"]), at=(600, 450), angle=6)
    best = locate_labels(_loaded(photo), OPTIONS).regions[0]
    assert np.linalg.norm(_centre(best.quad) - corners.mean(axis=0)) < 40


def test_a_line_of_a_few_long_blobs_is_no_evidence_of_evenly_printed_characters() -> None:
    # Wood grain or brushed metal chains into a few streaks, each counted as several
    # characters: too few single characters to measure their heights.  It must not score
    # as well as a line of twelve characters whose heights were measured alike.
    streaks = [CharacterBlob(cx=100.0 + 90 * index, cy=100.0, height=9.0, half_width=40.0,
                             direction=(1.0, 0.0), chars=6) for index in range(3)]
    heights = (21.0, 22.0, 22.0, 23.0, 21.0, 22.0, 22.0, 21.0, 23.0, 22.0, 22.0, 21.0)
    printed = [CharacterBlob(cx=100.0 + 16 * index, cy=100.0, height=height, half_width=7.0,
                             direction=(1.0, 0.0), chars=1)
               for index, height in enumerate(heights)]
    streak_line, printed_line = _fit_line(streaks), _fit_line(printed)
    assert streak_line is not None and printed_line is not None
    assert streak_line.chars >= printed_line.chars
    for separation in (0.66, 0.7, 0.8):
        assert (_score([printed_line], outlined=False, separation=separation)
                > _score([streak_line], outlined=False, separation=separation))
    # Measured heights that differ widely still count against a line.
    uneven = [replace(blob, height=height) for blob, height in
              zip(printed, (12.0, 22.0, 30.0, 15.0, 26.0, 18.0) * 2, strict=True)]
    uneven_line = _fit_line(uneven)
    assert uneven_line is not None
    assert (_score([uneven_line], outlined=False, separation=0.7)
            < _score([streak_line], outlined=False, separation=0.7))


def test_reading_direction_quad_starts_top_left_for_upright_text() -> None:
    photo, _ = place(panel(seed=6, legends=False), sticker(["SERIAL NO. 013537"]),
                     at=(800, 600))
    best = locate_labels(_loaded(photo), OPTIONS).regions[0]
    top_left, top_right, bottom_right, bottom_left = np.array(best.quad)
    assert top_left[0] < top_right[0] and bottom_left[0] < bottom_right[0]
    assert top_left[1] < bottom_left[1] and top_right[1] < bottom_right[1]


def test_surroundings_widen_the_text_block_along_and_across_its_lines() -> None:
    photo, _ = place(panel(seed=6, legends=False), sticker(["SERIAL NO. 013537"]),
                     at=(800, 600), angle=15)
    region = locate_labels(_loaded(photo), OPTIONS).regions[0]
    wider = surroundings_of(region, along=4.0, across=1.0)
    text = np.array(region.text_quad)
    widened = np.array(wider.quad)
    assert wider.surroundings and not wider.outlined
    assert wider.text_quad == region.text_quad
    assert np.allclose(_centre(wider.quad), _centre(region.text_quad))
    # Each edge grows by twice the reach: along the lines and across them.
    h = region.text_height
    top, new_top = np.linalg.norm(text[1] - text[0]), np.linalg.norm(widened[1] - widened[0])
    side, new_side = np.linalg.norm(text[3] - text[0]), np.linalg.norm(widened[3] - widened[0])
    assert new_top == pytest.approx(top + 8.0 * h, rel=1e-6)
    assert new_side == pytest.approx(side + 2.0 * h, rel=1e-6)


def _region_at(x: float, y: float, width: float, height: float) -> LabelRegion:
    quad = ((x, y), (x + width, y), (x + width, y + height), (x, y + height))
    return LabelRegion(quad=quad, text_quad=quad, score=4.0, text_height=height / 3,
                       polarity="dark-on-light", outlined=False, line_count=1,
                       longest_line=6)


def test_a_region_found_in_the_photo_turned_half_a_turn_is_placed_back_in_reading_order() -> None:
    # A photo of 800 x 600 pixels decoded at half size.
    image = LoadedImage(source="drawn", pixels=np.zeros((300, 400, 3), np.uint8),
                        original_size=(800, 600), scale=0.5, file_format="PNG",
                        exif_orientation=1)
    found = replace(_region_at(100, 50, 200, 100),
                    text_quad=((120, 70), (280, 70), (280, 130), (120, 130)))
    back = turned_back(found, image)
    # Its top left corner in the turned photo is the bottom right one in the photo; the
    # corners start at the top left as the photo stands.
    assert back.quad == ((500, 450), (700, 450), (700, 550), (500, 550))
    assert back.text_quad == ((520, 470), (680, 470), (680, 530), (520, 530))
    assert back.text_height == found.text_height and back.outlined == found.outlined
    assert turned_back(back, image) == found


def test_a_region_found_in_the_photo_turned_a_quarter_turn_is_placed_back() -> None:
    # A photo of 800 x 600 pixels decoded at half size, with a bright patch where a
    # label stands sideways, its print running up the photo.
    pixels = np.zeros((300, 400, 3), np.uint8)
    pixels[60:260, 40:120] = 255
    image = LoadedImage(source="drawn", pixels=pixels, original_size=(800, 600), scale=0.5,
                        file_format="PNG", exif_orientation=1)
    turned = turned_photo(image, 1)
    assert turned.original_size == (600, 800) and turned.scale == image.scale
    assert turned.pixels.shape == (400, 300, 3)
    # The patch lies along the turned photo: find it there, in full-size pixels.
    rows, columns = np.nonzero(turned.pixels[:, :, 0])
    x0, x1 = columns.min() / 0.5, (columns.max() + 1) / 0.5
    y0, y1 = rows.min() / 0.5, (rows.max() + 1) / 0.5
    assert x1 - x0 > y1 - y0
    found = _region_at(x0, y0, x1 - x0, y1 - y0)
    back = quarter_turned_back(found, image)
    # Back in the photo it covers the patch, in full-size pixels: (80, 120) to (240, 520).
    xs, ys = zip(*back.quad, strict=True)
    assert (min(xs), max(xs), min(ys), max(ys)) == (80, 240, 120, 520)
    assert back.text_quad == back.quad
    # Its corners keep the order the text reads in: print the quarter turn brought
    # upright runs down the photo, the tops of its letters to the right, so the text's
    # top left corner is the patch's top right one, and its top right the bottom right.
    assert back.quad[0] == (240, 120) and back.quad[1] == (240, 520)
    assert back.text_height == found.text_height and back.outlined == found.outlined


def test_print_turned_a_quarter_turn_shows_more_plainly_only_when_it_stood_sideways() -> None:
    image, _ = place(panel(seed=3), sticker(["SERIAL NO.", "013537"]), at=(1000, 700),
                     angle=6)
    upright = _loaded(image)
    sideways = _loaded(np.ascontiguousarray(np.rot90(image, -1)))
    for photo, sideways_print in ((upright, False), (sideways, True)):
        as_it_is = locate_labels(photo, OPTIONS)
        turned = locate_labels(turned_photo(photo, 1), OPTIONS)
        assert shows_more_print(turned, as_it_is) is sideways_print


def test_more_print_is_a_better_ranked_best_region() -> None:
    def located(*scores: float) -> LocatedLabels:
        return LocatedLabels(tuple(replace(_region_at(0, 0, 100, 30), score=score)
                                   for score in scores))

    upright = located(3.0, 2.0)
    assert shows_more_print(located(4.0, 1.0), upright)
    assert not shows_more_print(located(3.0, 2.5), upright)
    assert not shows_more_print(located(), upright)
    assert shows_more_print(located(1.0), located())
    assert not shows_more_print(located(), located())


def test_the_coarser_look_adds_regions_only_where_the_working_size_found_none() -> None:
    found = [_region_at(100, 100, 300, 90), _region_at(900, 500, 120, 40)]
    coarser = [
        _region_at(105, 98, 290, 95),    # the same text, measured a little differently
        _region_at(880, 490, 160, 60),   # around a smaller region: a place of its own
        _region_at(600, 700, 200, 60),   # somewhere nothing was found
    ]
    assert new_places(coarser, found) == coarser[1:]


@pytest.mark.tesseract
@pytest.mark.parametrize(("seed", "serial"), [
    pytest.param(8021, "069185", id="sticker joined to the text above it at working size"),
    pytest.param(8042, "156065", id="serial line measured wrong at working size"),
])
def test_labels_the_working_size_misjudges_are_read_from_the_coarser_look(
    seed: int, serial: str, tmp_path: Path
) -> None:
    result = scan_generated(seed, "easy", serial, tmp_path)
    assert (result.status, result.serial) == ("read", serial)


@pytest.mark.tesseract
def test_a_dim_sticker_above_wood_grain_is_ranked_among_the_regions_read(tmp_path: Path) -> None:
    # "SER. NO. 232512", light grey on a dark grey sticker on a dark panel, with no outline
    # found; the wood under the panel chains into streaks that once scored as well as
    # evenly printed characters and filled every place read before the sticker's.
    result = scan_generated(20261336, "medium", "232512", tmp_path)
    assert (result.status, result.serial) == ("read", "232512")


def test_large_dot_matrix_print_whose_dots_stand_apart_is_found_with_its_dots_joined() -> None:
    # At the working size each dot is a mark of its own, far too small for a character,
    # and the sticker's frame is found, measured as text the frame's height.
    photo, corners = dot_matrix_sticker_photo(cap=48.0)
    image = _loaded(photo)
    located = locate_labels(image, OPTIONS).regions
    dotted = dotted_print_regions(image, OPTIONS, located[: OPTIONS.max_candidates])
    assert len(dotted) == 1
    assert abs(dotted[0].text_height - 48.0) <= 12.0 and dotted[0].longest_line >= 6
    assert _covers(dotted[0], corners.mean(axis=0))
    # Only places none of the regions given covers.
    assert dotted_print_regions(image, OPTIONS, [*located, *dotted]) == []


def test_thin_grey_print_on_a_small_light_sticker_is_found_against_the_stickers_shade() -> None:
    photo, corners = small_light_sticker_photo()
    image, centre = _loaded(photo), corners.mean(axis=0)
    # The mean round the print takes in much of the dark panel: neither the first look
    # nor the finer searches find the sticker's print as a line of text.
    first = locate_labels(image, OPTIONS).regions
    finer = [region for side in OPTIONS.finer_locate_long_sides
             for region in locate_labels(image, replace(OPTIONS, locate_long_side=side),
                                         blurred_runs=True).regions]
    assert not any(_covers(region, centre) for region in (*first, *finer))
    found = paper_print_regions(image, OPTIONS, first)
    assert len(found) == 1 and found[0].outlined and _covers(found[0], centre)
    # The sticker's outline gives its corners.
    assert np.abs(np.array(found[0].quad) - corners).max() < 12
    # Only places none of the regions given covers; no look without a finer search.
    assert paper_print_regions(image, OPTIONS, [*first, *found]) == []
    assert paper_print_regions(image, replace(OPTIONS, finer_locate_long_sides=()), []) == []


def test_light_legends_on_a_dark_panel_show_no_dark_print_against_paper() -> None:
    # Closing the legends' letters together makes light bars one line tall; the gaps
    # between letters must not count as dark print on them.
    grey, _ = _working_grey(panel(2000, 1500, seed=3), 2048)
    marks = _print_on_paper(grey)["dark-on-light"]
    assert not marks.any()
    photo, corners = small_light_sticker_photo()
    grey, _ = _working_grey(photo, 2048)
    marks = _print_on_paper(grey)["dark-on-light"]
    left, top = corners.min(axis=0).astype(int)
    right, bottom = corners.max(axis=0).astype(int)
    assert marks[top:bottom, left:right].sum() == marks.sum() > 0
