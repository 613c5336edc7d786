"""The top of a Korg M1 keyboard seen from above, drawn flat in millimetres.

x runs left to right along the instrument, y from the rear edge (0) to the front edge
(``DEPTH``), where the player sits.  The front panel (logotype, sliders, LCD, mode and
number buttons, card slots) fills the rear part; the 61 keys and the joystick the front.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from scenegen.fonts import FontSpec, pick_font
from scenegen.hardware import grey
from scenegen.texture import Colour, surface
from scenegen.world import World

WIDTH = 1064.0
DEPTH = 353.0
CHEEK = 30.0  # the end cheeks left and right of the top
KEYS_X0, KEYS_Y0 = 172.0, 188.0  # left rear corner of the lowest white key
WHITE_W, WHITE_L = 23.5, 145.0
BLACK_W, BLACK_L = 13.0, 92.0
WHITE_KEYS = 36  # five octaves and a top C
PANEL_Y1 = 178.0  # front edge of the front panel

PROGRAMS: tuple[str, ...] = (
    "Universe",
    "Lore",
    "Pianos 16'",
    "Stringz",
    "Organ 2",
    "Fretless",
    "Choir",
    "Horns",
    "Mallet",
    "Slap Bass",
    "Noise Hit",
    "Syn Brass",
    "Pick Bass",
    "Dr. Kit",
)
MODE_BUTTONS: tuple[str, ...] = (
    "COMBI",
    "EDIT COMBI",
    "PROG",
    "EDIT PROG",
    "SEQ",
    "GLOBAL",
    "DISK",
)
# white keys C D E F G A B: whether a black key follows each
KEYS_WITH_BLACK: tuple[bool, ...] = (True, True, False, True, True, True, False)


@dataclass(frozen=True, slots=True)
class TopLook:
    """The sampled look of one instrument top (colours, fonts, what the LCD shows)."""

    case: Colour
    legend: Colour
    button: Colour
    lcd_back: Colour
    lcd_ink: Colour
    font: FontSpec
    logo_font: FontSpec
    lcd_lines: tuple[str, str]
    ivory: Colour

    def summary(self) -> dict[str, object]:
        return {
            "font": self.font.name,
            "lcd": list(self.lcd_lines),
            "case_grey": round(self.case[0]),
        }


def sample_look(rng: np.random.Generator) -> TopLook:
    """Colours, fonts and LCD text for one instrument (black case, white legends)."""
    v = float(rng.uniform(14, 34))
    number = int(rng.integers(0, 100))
    bank = "IC"[int(rng.integers(2))]
    program = PROGRAMS[int(rng.integers(len(PROGRAMS)))]
    first = f"P{number:02d} {program}" if rng.random() < 0.7 else f"C{number:02d} {program}"
    second = (
        f"PROG {bank}{number:02d}",
        "Tempo =120",
        "GLOBAL  Master Tune",
        "SEQ  Song 0",
        "EDIT PROG  Osc 1",
    )[int(rng.integers(5))]
    backlit = rng.random() < 0.8
    ivory = float(rng.uniform(205, 240))
    return TopLook(
        case=(v, v, v + float(rng.uniform(0, 4))),
        legend=(float(rng.uniform(200, 240)),) * 3,
        button=grey(float(rng.uniform(45, 120))),
        lcd_back=(float(rng.uniform(150, 185)), float(rng.uniform(185, 215)), 70.0)
        if backlit
        else (90.0, 105.0, 70.0),
        lcd_ink=(float(rng.uniform(25, 50)), float(rng.uniform(35, 60)), 25.0),
        font=pick_font(rng, "DejaVuSans", "DejaVuSansCondensed", "hershey-simplex"),
        logo_font=pick_font(rng, "DejaVuSans-Bold", "DejaVuSansCondensed-Bold"),
        lcd_lines=(first, second),
        ivory=(ivory, ivory - float(rng.uniform(0, 8)), ivory - float(rng.uniform(5, 25))),
    )


def lay_ink(world: World, colour: Colour, opacity: float = 0.92) -> None:
    """Blend the printed-legend mask ``world.ink`` into the canvas in ``colour``, then
    clear it, so that the next print can have another colour."""
    bx, by, bw, bh = cv2.boundingRect(world.ink)
    if bw == 0 or bh == 0:
        return
    rows, cols = slice(by, by + bh), slice(bx, bx + bw)
    alpha = world.ink[rows, cols].astype(np.float32) * np.float32(opacity / 255.0)
    ink = np.empty((bh, bw, 3), np.uint8)
    ink[:] = np.asarray(colour, np.float32).round().astype(np.uint8)
    world.img[rows, cols] = cv2.blendLinear(
        np.ascontiguousarray(world.img[rows, cols]), ink, 1.0 - alpha, alpha
    )
    world.ink[rows, cols] = 0


def draw_top(world: World, rng: np.random.Generator, look: TopLook) -> None:
    """Draw the whole instrument top (whatever part of it ``world`` covers)."""
    h, w = world.shape
    world.img[:] = surface(rng, "matte", h, w, look.case, world.d, smudge=float(rng.uniform(0, 10)))
    dark = tuple(c * 0.55 for c in look.case)
    world.rect(0, 0, CHEEK, DEPTH, dark)
    world.rect(WIDTH - CHEEK, 0, WIDTH, DEPTH, dark)
    world.line(CHEEK, PANEL_Y1, WIDTH - CHEEK, PANEL_Y1, tuple(c * 1.8 for c in look.case), 0.8)
    _logotype(world, look)
    _sliders(world, rng, look)
    lay_ink(world, look.legend)
    _lcd(world, look)
    _buttons(world, look)
    _cards(world, look)
    lay_ink(world, look.legend)
    _joystick(world, look)
    _keys(world, look)


def _logotype(world: World, look: TopLook) -> None:
    world.text(48, 32, "KORG", 13.0, look.logo_font, anchor="left", weight=1)
    world.text(48, 58, "M1", 11.0, look.logo_font, anchor="left", weight=1)
    world.text(82, 58, "MUSIC WORKSTATION", 3.2, look.font, anchor="left", tracking=0.15)
    world.text(48, 72, "DIGITAL SYNTHESIZER", 2.4, look.font, anchor="left", tracking=0.1)


def _sliders(world: World, rng: np.random.Generator, look: TopLook) -> None:
    for x, name in ((62.0, "VOLUME"), (108.0, "DATA ENTRY")):
        world.text(x, 96, name, 2.2, look.font)
        world.rect(x - 1.2, 104, x + 1.2, 166, grey(6))
        at = float(rng.uniform(108, 160))
        world.rect(x - 6, at - 4, x + 6, at + 4, grey(60), radius=1.0)
        world.line(x - 6, at, x + 6, at, grey(215), 0.6)
        for y in np.linspace(106, 164, 11):
            world.ink_line(x + 6.5, float(y), x + 9.0, float(y), 0.3)


def _lcd(world: World, look: TopLook) -> None:
    world.rect(196, 48, 436, 108, grey(10), radius=2.0)
    world.rect(204, 56, 428, 100, look.lcd_back)
    world.text(210, 68, look.lcd_lines[0], 5.0, look.font, anchor="left")
    world.text(210, 86, look.lcd_lines[1], 5.0, look.font, anchor="left")
    lay_ink(world, look.lcd_ink)


def _button(world: World, look: TopLook, x: float, y: float, legend: str, cap: float) -> None:
    world.rect(x - 7, y - 4.5, x + 7, y + 4.5, tuple(c * 0.5 for c in look.button), radius=1.0)
    world.rect(x - 6.3, y - 4.0, x + 6.3, y + 3.6, look.button, radius=1.0)
    world.text(x, y - 9.0, legend, cap, look.font)


def _buttons(world: World, look: TopLook) -> None:
    for i, name in enumerate(MODE_BUTTONS):
        _button(world, look, 212 + 36 * i, 136, name, 2.2)
    world.text(320, 120, "MODE", 2.6, look.font, tracking=0.3)
    world.ink_line(200, 124, 440, 124, 0.3)
    for i in range(10):
        _button(world, look, 490 + 26 * (i % 5), 76 + 40 * (i // 5), str(i), 3.0)
    _button(world, look, 630, 76, "ENTER", 2.2)
    _button(world, look, 630, 116, "PAGE", 2.2)
    _button(world, look, 666, 76, "-/NO", 2.2)
    _button(world, look, 666, 116, "+/YES", 2.2)
    _button(world, look, 700, 146, "COMPARE", 2.2)
    _button(world, look, 740, 146, "WRITE", 2.2)


def _cards(world: World, look: TopLook) -> None:
    for y, name in ((70.0, "PROG/COMBI CARD"), (120.0, "PCM DATA CARD")):
        world.text(880, y - 12, name, 2.4, look.font)
        world.rect(800, y - 4, 960, y + 4, grey(8), radius=1.0)
        world.rect(800, y - 4, 960, y + 4, tuple(c * 1.6 for c in look.case), 0.5, radius=1.0)


def _joystick(world: World, look: TopLook) -> None:
    world.text(100, 214, "JOYSTICK", 2.2, look.font)
    world.text(100, 300, "PITCH", 2.0, look.font)
    world.text(100, 226, "VIBRATO", 2.0, look.font)
    lay_ink(world, look.legend)
    world.circle(100, 262, 24, grey(8))
    world.circle(100, 262, 24, tuple(c * 2.0 for c in look.case), 0.8)
    world.circle(100, 262, 9, grey(35))
    world.circle(98, 260, 6, grey(70))


def _keys(world: World, look: TopLook) -> None:
    x1 = KEYS_X0 + WHITE_KEYS * WHITE_W
    world.rect(KEYS_X0 - 4, KEYS_Y0 - 4, x1 + 4, KEYS_Y0 + WHITE_L + 2, grey(5))
    for i in range(WHITE_KEYS):
        x = KEYS_X0 + i * WHITE_W
        world.rect(x + 0.4, KEYS_Y0, x + WHITE_W - 0.4, KEYS_Y0 + WHITE_L, look.ivory, radius=0.8)
        world.line(
            x + 0.5,
            KEYS_Y0 + WHITE_L - 2,
            x + WHITE_W - 0.5,
            KEYS_Y0 + WHITE_L - 2,
            tuple(c * 0.85 for c in look.ivory),
            1.5,
        )
    for i in range(WHITE_KEYS - 1):
        if KEYS_WITH_BLACK[i % 7]:
            x = KEYS_X0 + (i + 1) * WHITE_W
            world.rect(
                x - BLACK_W / 2, KEYS_Y0, x + BLACK_W / 2, KEYS_Y0 + BLACK_L, grey(12), radius=0.8
            )
            world.rect(
                x - BLACK_W / 2 + 1.5,
                KEYS_Y0 + 2,
                x + BLACK_W / 2 - 1.5,
                KEYS_Y0 + BLACK_L - 6,
                grey(30),
                radius=0.8,
            )


def keys_box() -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the keys in mm."""
    return KEYS_X0, KEYS_Y0, KEYS_X0 + WHITE_KEYS * WHITE_W, KEYS_Y0 + WHITE_L


def panel_box() -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the front panel in mm."""
    return CHEEK, 0.0, WIDTH - CHEEK, PANEL_Y1
