"""Tests for finding characters in an ink mask and chaining them into lines."""

from __future__ import annotations

import numpy as np

from stickerscan.text_lines import (
    BLURRED_JOINED_FILL,
    CharacterBlob,
    chain_lines,
    character_blobs,
)


def test_a_line_needs_two_characters_side_by_side() -> None:
    # One long joined blob: a sticker's surface around its cut-out text looks like this.
    lone = CharacterBlob(cx=200.0, cy=100.0, height=20.0, half_width=60.0, direction=(1.0, 0.0),
                         chars=6)
    assert chain_lines([lone]) == []
    letters = [CharacterBlob(cx=100.0 + 16 * index, cy=100.0, height=20.0, half_width=6.0,
                             direction=(1.0, 0.0), chars=1) for index in range(4)]
    lines = chain_lines(letters)
    assert len(lines) == 1 and lines[0].chars == 4


def _tilted_line(x: float, y: float, count: int, *, pitch: float, height: float,
                 rise: float) -> list[CharacterBlob]:
    """Single characters ``pitch`` apart, each ``rise`` higher than the one before."""
    return [CharacterBlob(cx=x + pitch * index, cy=y - rise * index, height=height,
                          half_width=0.35 * height, direction=(1.0, 0.0), chars=1)
            for index in range(count)]


def test_a_character_of_the_next_line_is_no_neighbour_however_close() -> None:
    # Small digits tilted up to the right under their wording blurred into one piece (as
    # a photo's working size gave them): the wording's end lies closer to the fourth
    # digit than the third digit does, but a line higher.
    digits = [CharacterBlob(cx=x, cy=y, height=h, half_width=w, direction=(1.0, 0.0), chars=1)
              for x, y, h, w in ((658.0, 634.5, 11.0, 4.0), (666.5, 632.5, 11.0, 3.5),
                                 (674.0, 630.0, 10.0, 4.0), (683.0, 628.5, 11.0, 4.0),
                                 (695.5, 625.0, 12.0, 8.5))]
    wording = CharacterBlob(cx=665.4, cy=617.5, height=8.6, half_width=17.5,
                            direction=(0.974, -0.227), chars=6)
    lines = chain_lines([*digits, wording])
    assert any(set(line.blobs) == set(digits) for line in lines)


def test_a_number_on_tightly_spaced_tilted_lines_is_one_line() -> None:
    # As a photo's working size gave them: the digits of "056195" (the 9 and 5 blurred
    # into one piece) tilted 12 degrees up to the right, a word of the line below
    # ("KORG") reaching under the 6 and 1, and the tilt lifting a word further along
    # the line below ("JAPAN") to the number's height just past its end.
    digits = [CharacterBlob(cx=x, cy=y, height=h, half_width=w, direction=(1.0, 0.0), chars=1)
              for x, y, h, w in ((454.0, 670.0, 17.0, 5.5), (466.0, 668.0, 16.0, 5.5),
                                 (478.0, 665.0, 16.0, 5.5), (491.0, 663.0, 16.0, 5.0),
                                 (508.0, 658.0, 19.0, 11.5))]
    below = [CharacterBlob(cx=501.0, cy=678.0, height=17.0, half_width=18.0, direction=(1.0, 0.0),
                           chars=1),
             CharacterBlob(cx=544.0, cy=669.0, height=18.0, half_width=18.0, direction=(1.0, 0.0),
                           chars=1)]
    lines = chain_lines([*digits, *below])
    assert any(line.blobs == tuple(digits) for line in lines)


def test_characters_of_one_line_tilted_twenty_degrees_are_neighbours_across_a_space() -> None:
    tilt = np.tan(np.radians(20.0))
    first = _tilted_line(100.0, 300.0, 4, pitch=16.0, height=20.0, rise=16.0 * tilt)
    # A word space of 0.9 heights between the two words.
    second = _tilted_line(100.0 + 3 * 16.0 + 32.0, 300.0 - (3 * 16.0 + 32.0) * tilt, 4,
                          pitch=16.0, height=20.0, rise=16.0 * tilt)
    lines = chain_lines(first + second)
    assert len(lines) == 1 and lines[0].chars == 8


def _run_of_characters(fill_cut: bool) -> np.ndarray:
    """A mask with one mark 34 pixels long and 10 tall: characters blurred into one run
    (notched where they meet, filling 0.82 of its box) or a solid bar (filling all)."""
    mask = np.zeros((200, 300), np.uint8)
    mask[100:110, 100:134] = 255
    if fill_cut:
        for x in range(105, 134, 6):
            mask[100:103, x:x + 2] = 0
            mask[107:110, x:x + 2] = 0
    return mask


def test_characters_blurred_into_a_solid_run_are_text_only_when_asked_for() -> None:
    run, bar = _run_of_characters(fill_cut=True), _run_of_characters(fill_cut=False)
    assert character_blobs(run) == []
    [blob] = character_blobs(run, BLURRED_JOINED_FILL)
    assert blob.chars >= 3 and abs(blob.height - 10) <= 1.5
    assert character_blobs(bar, BLURRED_JOINED_FILL) == []


def test_characters_a_third_of_a_close_up_tall_are_characters() -> None:
    # A photo cut down to the label (or taken from a hand's width away) holds its number
    # at a quarter to a third of its height and more: still characters, not shapes of
    # the panel.
    mask = np.zeros((120, 400), np.uint8)
    for left in range(60, 340, 50):
        mask[30:76, left:left + 30] = 255  # a digit's box, 46 pixels tall
        mask[38:68, left + 7:left + 23] = 0  # its hollow
    blobs = character_blobs(mask)
    assert len(blobs) == 6
    assert all(abs(blob.height - 46) <= 1 for blob in blobs)
    [line] = chain_lines(blobs)
    assert line.chars == 6


def test_a_mark_most_of_the_photo_tall_is_no_character() -> None:
    # The edge of a panel or a cable crossing the whole frame is no character however
    # its box is filled.
    mask = np.zeros((120, 400), np.uint8)
    mask[5:115, 100:180] = 255
    mask[15:105, 110:170] = 0
    assert character_blobs(mask) == []


def test_a_stickers_edge_a_third_of_the_frame_tall_is_no_run_of_characters() -> None:
    # A light sticker's edge against a dark panel thresholds into a ring round its print;
    # as tall as a close-up's characters may be, it is still an outline, not a word: taken
    # for one, its height outvoted the print's and the label was cut far too small.
    mask = np.zeros((400, 700), np.uint8)
    mask[100:280, 100:560] = 255
    mask[110:270, 110:550] = 0
    assert character_blobs(mask) == []
    for left in range(200, 440, 40):
        mask[170:200, left:left + 20] = 255  # digits inside the ring, 30 pixels tall
        mask[176:194, left + 5:left + 15] = 0
    blobs = character_blobs(mask)
    assert len(blobs) == 6
    assert all(abs(blob.height - 30) <= 1 for blob in blobs)


def test_hollow_glyphs_run_together_are_still_characters() -> None:
    # A thin face's zeros run together by blur: each counter is one glyph's share of the
    # run's outline, far from an outline round something.
    mask = np.zeros((200, 400), np.uint8)
    for left in (100, 128, 156, 184):
        mask[60:106, left:left + 30] = 255
        mask[63:103, left + 3:left + 27] = 0
    [blob] = character_blobs(mask)
    assert blob.chars >= 2 and abs(blob.height - 46) <= 2
