"""The long side of the instrument's cardboard box, drawn flat in millimetres.

Brown corrugated board printed in one colour, or a white box printed in colour: big
KORG / M1 wording, a product line, a barcode (sometimes with its number under it),
packing tape and now and then a shipping label with a few short lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.fonts import FontSpec, pick_font, render_text
from scenegen.instrument_top import lay_ink
from scenegen.labels import barcode_mask, ean13_text
from scenegen.texture import Colour, surface, vary
from scenegen.world import World, paste_max

WIDTH = 1180.0
HEIGHT = 420.0
LABEL_LINES: tuple[tuple[str, ...], ...] = (
    ("FRAGILE", "HANDLE WITH CARE"),
    ("TO: M. JONES", "HIGH STREET", "LONDON"),
    ("THIS SIDE UP", "KEEP DRY"),
    ("MUSIC SHOP", "RETURNS DEPT"),
)


@dataclass(frozen=True, slots=True)
class BoxLook:
    """The sampled look of one box."""

    printed: bool  # white box printed in colour (else brown board, one colour)
    board: Colour
    ink: Colour
    font: FontSpec
    barcode_number: str | None  # printed under the barcode, when it is
    label: tuple[str, ...] | None  # shipping label lines, when there is one
    tape: bool

    def summary(self) -> dict[str, object]:
        return {
            "printed": self.printed,
            "barcode_number": self.barcode_number,
            "shipping_label": None if self.label is None else list(self.label),
            "tape": self.tape,
        }


def sample_box(rng: np.random.Generator) -> BoxLook:
    """Board colour, print colour, and what is stuck or printed on the box."""
    printed = bool(rng.random() < 0.3)
    board = vary(rng, (232.0, 230.0, 222.0), 10) if printed else vary(rng, (168.0, 126.0, 82.0), 18)
    ink = ((30.0, 30.0, 35.0), (150.0, 30.0, 35.0), (30.0, 50.0, 120.0))[int(rng.integers(3))]
    number = None
    if rng.random() < 0.35:  # an EAN number under the bars
        number = ean13_text(rng, "4959112")
    label = LABEL_LINES[int(rng.integers(len(LABEL_LINES)))] if rng.random() < 0.5 else None
    return BoxLook(
        printed=printed,
        board=board,
        ink=ink if printed else (25.0, 22.0, 20.0),
        font=pick_font(rng, "DejaVuSans-Bold", "DejaVuSansCondensed-Bold"),
        barcode_number=number,
        label=label,
        tape=bool(rng.random() < 0.7),
    )


def draw_box(world: World, rng: np.random.Generator, look: BoxLook) -> None:
    """Draw the box side (whatever part of it ``world`` covers)."""
    h, w = world.shape
    kind = "matte" if look.printed else "fabric"  # corrugation shows as a fine weave
    world.img[:] = surface(rng, kind, h, w, look.board, world.d, smudge=float(rng.uniform(0, 8)))
    korg = world.text(80, 120, "KORG", 110.0, look.font, anchor="left", weight=1)
    world.text(80 + korg + 50, 120, "M1", 95.0, look.font, anchor="left", weight=1)
    world.text(80, 235, "MUSIC WORKSTATION", 34.0, look.font, anchor="left", tracking=0.1)
    world.text(80, 290, "DIGITAL SYNTHESIZER", 16.0, look.font, anchor="left", tracking=0.1)
    world.text(80, 380, "MADE IN JAPAN", 10.0, look.font, anchor="left")
    _barcode(world, rng, look)
    lay_ink(world, look.ink, 0.9)
    if look.tape:
        tape = vary(rng, (205.0, 175.0, 120.0), 15)
        world.rect(-5, HEIGHT / 2 - 24, WIDTH + 5, HEIGHT / 2 + 24, tape)
    if look.label is not None:
        _shipping_label(world, rng, look.label, look.font)


def _barcode(world: World, rng: np.random.Generator, look: BoxLook) -> None:
    x0, y0, bw, bh = 900.0, 300.0, 160.0, 60.0
    if not world.visible(x0, y0, x0 + bw, y0 + bh + 20):
        return
    mask = barcode_mask(rng, max(8, round(bw * world.d)), max(4, round(bh * world.d)))
    paste_max(world.ink, mask, *world.px(x0, y0))
    if look.barcode_number is not None:
        world.text(x0 + bw / 2, y0 + bh + 9, look.barcode_number, 8.0, look.font)


def _shipping_label(
    world: World, rng: np.random.Generator, lines: tuple[str, ...], font: FontSpec
) -> None:
    x0 = float(rng.uniform(640, 860))
    y0 = float(rng.uniform(30, 140))
    world.rect(x0, y0, x0 + 200, y0 + 130, (236.0, 236.0, 230.0))
    for i, line in enumerate(lines):
        cap = 16.0 if i == 0 else 10.0
        world.text(x0 + 14, y0 + 28 + 34 * i, line, cap, font, anchor="left")
    lay_ink(world, (20.0, 20.0, 20.0))


def price_tag_text(rng: np.random.Generator) -> str:
    """What a seller writes on a price sticker."""
    amount = int(rng.integers(6, 16)) * 100 - 50 * int(rng.integers(0, 2))
    return ("€ {}", "{} €", "£{}", "${}", "VB {} €")[int(rng.integers(5))].format(amount)


def draw_price_tag(
    world: World, rng: np.random.Generator, text: str, at: tuple[float, float], cap: float
) -> None:
    """A handwritten-looking price sticker (yellow or white paper) centred at ``at`` (mm)."""
    x, y = at
    font = pick_font(rng, "DejaVuSans-Bold", "DejaVuSansCondensed-Bold", "DejaVuSerif-Bold")
    width = render_text(text, font, 40.0).mask.shape[1] / 40.0 * cap
    paper = (240.0, 220.0, 90.0) if rng.random() < 0.5 else (240.0, 240.0, 235.0)
    world.rect(
        x - width / 2 - cap,
        y - cap * 1.3,
        x + width / 2 + cap,
        y + cap * 1.3,
        paper,
        radius=cap * 0.3,
    )
    world.text(x, y, text, cap, font)
    lay_ink(world, (30.0, 30.0, 60.0) if rng.random() < 0.5 else (20.0, 20.0, 20.0))
