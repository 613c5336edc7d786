"""Tests for finding the outline of the sticker or plate a block of text is on."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from stickerscan.sticker_outline import _four_corners, _longest_sides, holding_text


def _rectangle(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], np.float64)


def test_an_outline_well_around_its_text_is_kept_as_found() -> None:
    outline = np.array([(0, 0), (200, 6), (196, 96), (-4, 90)], np.float64)
    box = _rectangle(30, 25, 170, 70)  # characters 6 px inside this box (height 10)
    assert np.allclose(holding_text(outline, box, height=10.0), outline)


@pytest.mark.parametrize("tilt", [0.0, 7.0])
def test_an_outline_cutting_through_its_text_is_moved_out_to_hold_it(tilt: float) -> None:
    # Corners fitted across a rounded corner: the left side runs through the first
    # character of a line, and the bottom side through the line below.
    height = 20.0
    glyphs = _rectangle(8, 30, 260, 108)  # where the characters are
    margin = 0.6 * height
    box = _rectangle(8 - margin, 30 - margin, 260 + margin, 108 + margin)
    outline = np.array([(10, 0), (300, 0), (300, 100), (30, 100)], np.float64)
    turn = cv2.getRotationMatrix2D((150, 60), tilt, 1.0)
    turned = [np.asarray(points @ turn[:, :2].T + turn[:, 2]) for points in (glyphs, box, outline)]
    glyphs, box, outline = turned
    held = holding_text(outline, box, height)
    inside = [cv2.pointPolygonTest(held.astype(np.float32), (float(x), float(y)), True)
              for x, y in glyphs]
    assert min(inside) == pytest.approx(0.25 * height, abs=0.5)
    # The sides clear of the text stay where they were.
    assert np.allclose(held[1], outline[1], atol=1e-6)


def _hull(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return cv2.convexHull(max(contours, key=cv2.contourArea))


def test_a_plate_joined_to_a_text_box_tilted_against_it_still_has_four_corners() -> None:
    # The patch a plate's fill gives: the plate, and the box of its text, which the
    # locator fits a few degrees off the plate, poking out at two corners.
    patch = np.zeros((300, 500), np.uint8)
    cv2.rectangle(patch, (100, 100), (400, 180), 255, -1)
    cv2.fillConvexPoly(patch, cv2.boxPoints(((250, 140), (290, 88), -5.0)).astype(np.int32),
                       255)
    hull = _hull(patch)
    # Four of the hull's own points cut a corner off (the plain simplification fails) ...
    perimeter = cv2.arcLength(hull, True)
    four = next(approx for approx in (cv2.approxPolyDP(hull, fraction * perimeter, True)
                                      for fraction in (0.02, 0.04, 0.06, 0.08))
                if len(approx) == 4)
    assert cv2.contourArea(four) < 0.85 * cv2.contourArea(hull)
    # ... so the rectangle around the patch is taken: it holds all of it, tightly.
    corners = _four_corners(hull)
    assert corners is not None
    quad = corners.astype(np.float32)
    for x, y in hull.reshape(-1, 2):
        assert cv2.pointPolygonTest(quad, (float(x), float(y)), True) >= -1.0
    assert cv2.contourArea(quad) <= cv2.contourArea(hull) / 0.95


def _cornered(quad: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """The hull of ``quad`` with each corner cut off ``cuts[i]`` pixels along both sides:
    a sticker's rounded corners, as its outline's hull sees them."""
    points = []
    for index, corner in enumerate(quad):
        for neighbour in (quad[index - 1], quad[(index + 1) % len(quad)]):
            points.append(corner + (neighbour - corner) / np.linalg.norm(neighbour - corner)
                          * cuts[index])
    mask = np.zeros((300, 500), np.uint8)
    cv2.fillConvexPoly(mask, np.round(points).astype(np.int32), 255)
    return _hull(mask)


@pytest.mark.parametrize("cuts", [(30, 30, 30, 30), (20, 45, 20, 20)])
def test_a_sticker_with_rounded_corners_in_perspective_has_its_sides_corners(
    cuts: tuple[float, ...]
) -> None:
    # A trapezium (a sticker in perspective) with rounded corners: four of its hull's own
    # points cut a corner off, and it is no rectangle; its four sides, extended to meet,
    # give its corners.
    quad = np.array([(40, 20), (420, 90), (410, 230), (60, 150)], np.float64)
    hull = _cornered(quad, cuts)
    perimeter = cv2.arcLength(hull, True)
    four = next(approx for approx in (cv2.approxPolyDP(hull, fraction * perimeter, True)
                                      for fraction in (0.02, 0.04, 0.06, 0.08))
                if len(approx) == 4)
    assert cv2.contourArea(four) < 0.85 * cv2.contourArea(hull)
    rectangle = cv2.boxPoints(cv2.minAreaRect(hull))
    assert cv2.contourArea(hull) < 0.95 * cv2.contourArea(rectangle)
    corners = _four_corners(hull)
    assert corners is not None
    assert np.linalg.norm(corners[:, None, :] - quad[None], axis=2).min(axis=1).max() < 3


def test_four_sides_far_from_a_rectangle_in_any_view_are_no_sticker() -> None:
    # A patch of the label's shade that ran into something beside it: four long sides,
    # but one pair of opposite sides 60 degrees apart.
    skewed = np.array([(200, 20), (336, 51), (319, 129), (100, 79)], np.float64)
    trapezium = np.array([(40, 20), (420, 90), (410, 230), (60, 150)], np.float64)
    assert _longest_sides(_cornered(skewed, (12, 12, 12, 12))) is None
    assert _longest_sides(_cornered(trapezium, (12, 12, 12, 12))) is not None


def test_a_patch_no_quadrilateral_fits_has_no_corners() -> None:
    octagon = np.array([(250 + 100 * np.cos(t), 150 + 100 * np.sin(t))
                        for t in np.arange(8) * np.pi / 4 + np.pi / 8], np.int32)
    assert _four_corners(cv2.convexHull(octagon)) is None
