"""Tiny synthetic pictures drawn in the tests themselves (no generator, no Tesseract), and
measures of their ink."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from scenegen.fonts import render_dot_matrix

# The DejaVu faces printed glyphs are drawn in (the setup installs fonts-dejavu-core).
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FACES = ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono", "DejaVuSansMono-Bold",
                "DejaVuSerif", "DejaVuSansCondensed-Bold"]


def character_box(grey: np.ndarray) -> np.ndarray:
    """The dark glyph's box on ``grey`` and a little around it, as an OCR engine's
    character box gives."""
    rows, columns = np.nonzero(grey < 128)
    room = max(2, int(rows.max() - rows.min()) // 8)
    return grey[max(0, rows.min() - room): rows.max() + room + 1,
                max(0, columns.min() - room): columns.max() + room + 1]


def sticker(lines: list[str], *, dark_text: bool = True, scale: float = 1.2) -> np.ndarray:
    """An upright RGB sticker with ``lines`` of text, dark on white or light on black."""
    paper, ink = ((235, 235, 230), (25, 25, 25)) if dark_text else ((20, 20, 20), (235, 235, 235))
    height = int(60 * scale) * len(lines) + int(30 * scale)
    width = int(30 * scale * max(len(line) for line in lines)) + int(40 * scale)
    image = np.full((height, width, 3), paper, np.uint8)
    for index, line in enumerate(lines):
        baseline = int((index + 1) * 60 * scale)
        cv2.putText(image, line, (int(20 * scale), baseline), cv2.FONT_HERSHEY_DUPLEX,
                    scale, ink, max(2, round(2 * scale)), cv2.LINE_AA)
    return image


# The height of the digits printed_digits draws, in pixels.
PRINTED_DIGIT_HEIGHT = 40


def printed_digits(text: str, blur: float = 0.0) -> np.ndarray:
    """``text`` in dark print :data:`PRINTED_DIGIT_HEIGHT` pixels tall on light paper, with
    the margin a digit crop has, blurred by a Gaussian of ``blur`` pixels (none at 0)."""
    crop = np.full((110, 60 + 45 * len(text)), 235, np.uint8)
    cv2.putText(crop, text, (30, 75), cv2.FONT_HERSHEY_DUPLEX, 1.93, 25, 4, cv2.LINE_AA)
    blurred: np.ndarray = cv2.GaussianBlur(crop, (0, 0), blur) if blur else crop
    return blurred


def streaked(grey: np.ndarray, length: int, degrees: float) -> np.ndarray:
    """``grey`` smeared along a straight line ``length`` pixels long at ``degrees``, as by
    a shaking hand."""
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    turn = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), degrees, 1.0)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    smeared: np.ndarray = cv2.filter2D(grey, -1, kernel / kernel.sum())
    return smeared


def panel(
    width: int = 1600,
    height: int = 1200,
    *,
    seed: int = 0,
    legends: bool = True,
) -> np.ndarray:
    """A dark rear panel with white legends and round jacks."""
    rng = np.random.default_rng(seed)
    image = np.full((height, width, 3), 28, np.uint8)
    image += rng.integers(0, 10, image.shape, dtype=np.uint8)
    if legends:
        words = ["MIDI IN", "OUT", "THRU", "OUTPUT L/MONO", "AC 120V 60Hz 11W", "DAMPER"]
        for index, word in enumerate(words):
            x = 80 + (width // 4 - 20) * (index % 4)
            y = height // 4 + (height // 6) * (index // 4)
            cv2.putText(image, word, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (230, 230, 230), 2)
            cv2.circle(image, (x + 40, y + 80), 40, (90, 90, 90), 6)
    return image


def place(
    background: np.ndarray, item: np.ndarray, *, at: tuple[int, int], angle: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Paste ``item`` rotated by ``angle`` degrees with its centre at ``at``.

    Returns the new picture and the item's four corners in it (clockwise from the item's
    own top-left).
    """
    h, w = item.shape[:2]
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotation[:, 2] += (at[0] - w / 2, at[1] - h / 2)
    size = (background.shape[1], background.shape[0])
    warped = cv2.warpAffine(item, rotation, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), rotation, size)
    out = background.copy()
    out[mask > 127] = warped[mask > 127]
    corners = np.array([(0, 0), (w, 0), (w, h), (0, h)], np.float64)
    placed = corners @ rotation[:, :2].T + rotation[:, 2]
    return out, placed


def dot_matrix_sticker_photo(cap: float = 48.0) -> tuple[np.ndarray, np.ndarray]:
    """A 1024 x 768 panel with a framed white sticker "NO. 081272" in dot-matrix print
    ``cap`` pixels tall, its dots standing apart; and the sticker's corners."""
    printed = render_dot_matrix("NO. 081272", cap, 10 * 0.8 * cap, -1).mask
    height, width = printed.shape
    paper = np.full((height + 70, width + 200, 3), 236, np.uint8)
    paper[35:35 + height, 40:40 + width][printed > 128] = 30
    cv2.rectangle(paper, (8, 8), (paper.shape[1] - 9, paper.shape[0] - 9), (30, 30, 30), 3)
    photo, corners = place(panel(1024, 768, legends=False), paper, at=(600, 560), angle=2)
    return cv2.GaussianBlur(photo, (0, 0), 1.0), corners


def small_light_sticker_photo() -> tuple[np.ndarray, np.ndarray]:
    """A 2000 x 1500 panel with a one-line white sticker "SERIAL NO. 062806" in thin grey
    type about 13 pixels tall, 34 pixels high in all; and the sticker's corners."""
    text = "SERIAL NO. 062806"
    ink = np.zeros((34, 16 * len(text) + 20), np.uint8)
    cv2.putText(ink, text, (10, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 255, 1, cv2.LINE_AA)
    # Grey type: at most 80 levels darker than the paper.
    shade = 240.0 - ink.astype(np.float32) / 255.0 * 80.0
    paper = np.repeat(shade.astype(np.uint8)[:, :, None], 3, axis=2)
    photo, corners = place(panel(2000, 1500, seed=3), paper, at=(1500, 1100), angle=-4)
    return cv2.GaussianBlur(photo, (0, 0), 1.0), corners


def encode(image: np.ndarray, suffix: str = ".png") -> bytes:
    ok, buffer = cv2.imencode(suffix, cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    assert ok
    return buffer.tobytes()


def ink_runs(grey: np.ndarray) -> list[int]:
    """Widths of the runs of columns with a stroke's worth of ink, left to right."""
    return run_widths((grey < 128).sum(axis=0) >= 8)


def run_widths(columns: np.ndarray) -> list[int]:
    """The widths of the runs of true columns, left to right."""
    return [end - start for start, end in column_runs(columns)]


def column_runs(columns: np.ndarray) -> list[tuple[int, int]]:
    """Where each run of true columns starts and ends (one past its last), left to right."""
    runs, start = [], None
    for x, inked in enumerate([*columns, False]):
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            runs.append((start, x))
            start = None
    return runs
