"""Other stickers and plates found on used gear: approvals, barcodes, repair
tags, asset tags, part numbers, voltage plates.  Many carry numbers (some of
them six digits) but none is ever introduced by a serial-number wording."""

from __future__ import annotations

import numpy as np

from scenegen.fonts import pick_font
from scenegen.labels import LabelSpec, TextLine, ean13_text
from scenegen.texture import Colour

NUMBERED_KINDS: tuple[str, ...] = (
    "ul",
    "csa",
    "barcode",
    "repair",
    "asset",
    "part",
    "voltage",
    "qc",
    "rental",
    "price",
)
PLAIN_KINDS: tuple[str, ...] = ("warranty", "caution")
SHOPS: tuple[str, ...] = (
    "AUDIO FIX",
    "SOUND CLINIC",
    "KEYBOARD DOCTOR",
    "MUSIC SERVICE CTR",
    "ELECTRO REPAIR",
    "SYNTH HOSPITAL",
)
ORGS: tuple[str, ...] = ("CITY COLLEGE", "STUDIO B", "ST. MARY'S", "MUSIC DEPT.", "RADIO 4 FM")


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def _lines(rng: np.random.Generator, kind: str) -> tuple[list[TextLine], str | None, str | None]:
    """(lines, badge, barcode placement) for a distractor ``kind``."""
    d = _digits
    if kind == "ul":
        num = (
            f"E{d(rng, 6)}"
            if rng.random() < 0.6
            else f"{d(rng, 2)}{'ABCDE'[int(rng.integers(5))]}{d(rng, 1)}"
        )
        body = [TextLine("LISTED", 0.8), TextLine(num, 1.0)]
        if rng.random() < 0.5:
            body.insert(1, TextLine("AUDIO EQUIPMENT", 0.5))
        return body, "UL", None
    if kind == "csa":
        return (
            [TextLine(f"LR {d(rng, 5)}", 1.0), TextLine("CERTIFIED", 0.6)],
            "CSA" if rng.random() < 0.6 else "SP",
            None,
        )
    if kind == "barcode":
        r = rng.random()
        if r < 0.4:
            text = ean13_text(rng, "4" + d(rng, 6))
        elif r < 0.7:
            text = d(rng, 6)
        else:
            text = f"P/N {d(rng, 8)}"
        return [TextLine(text, 1.0)], None, "below"
    if kind == "repair":
        shop = SHOPS[int(rng.integers(len(SHOPS)))]
        if rng.random() < 0.5:
            month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
            last = f"DATE {month:02d}/{day:02d}/{int(rng.integers(1989, 2023))}"
        else:
            last = f"TEL {d(rng, 3)}-{d(rng, 4)}"
        return [TextLine("SERVICED BY", 0.6), TextLine(shop, 0.9), TextLine(last, 1.0)], None, None
    if kind == "asset":
        org = ORGS[int(rng.integers(len(ORGS)))]
        code = f"ASSET # {d(rng, 6)}" if rng.random() < 0.7 else f"INV {d(rng, 6)}"
        bar = "below" if rng.random() < 0.4 else None
        return [TextLine("PROPERTY OF", 0.6), TextLine(org, 0.8), TextLine(code, 1.0)], None, bar
    if kind == "part":
        return [TextLine(f"KLM-{int(rng.integers(600, 1999))}", 1.0)], None, None
    if kind == "voltage":
        v = ("AC 120V 60Hz 11W", "AC 230V 50Hz 11W", "AC 100V 50/60Hz 11W", "AC 220-240V 50Hz 12W")[
            int(rng.integers(4))
        ]
        return (
            [TextLine("KORG INC. TOKYO JAPAN", 0.7), TextLine("MODEL M1", 0.9), TextLine(v, 1.0)],
            None,
            None,
        )
    if kind == "qc":
        return [TextLine("QC PASSED", 0.8), TextLine(d(rng, 6), 1.0)], None, None
    if kind == "rental":
        return [TextLine("RENTAL", 0.9), TextLine(f"#{d(rng, 4)}", 1.0)], None, None
    if kind == "price":
        return [TextLine(f"${int(rng.integers(150, 1200))}.00", 1.0)], None, None
    if kind == "warranty":
        return [TextLine("WARRANTY VOID", 1.0), TextLine("IF REMOVED", 1.0)], None, None
    return [TextLine("CAUTION", 1.0), TextLine("DO NOT OPEN", 0.7)], None, None


def _style(rng: np.random.Generator, kind: str) -> tuple[str, Colour, Colour]:
    r = rng.random()
    if kind == "voltage" and r < 0.6:
        v = float(rng.uniform(120, 190))
        return "plate", (v, v + 3, v + 6), (25.0, 25.0, 25.0)
    if kind in ("repair", "rental", "price", "qc") and r < 0.55:
        palettes: tuple[Colour, ...] = (
            (235, 215, 60),
            (240, 150, 50),
            (90, 170, 90),
            (230, 90, 80),
            (120, 170, 220),
        )
        return "colour", palettes[int(rng.integers(len(palettes)))], (20.0, 20.0, 20.0)
    if r < 0.55:
        v = float(rng.uniform(210, 250))
        return "paper", (v, v, v - float(rng.uniform(0, 25))), (25.0, 25.0, 25.0)
    if r < 0.8:
        v = float(rng.uniform(150, 205))
        return "foil", (v, v + 2, v + 5), (30.0, 30.0, 35.0)
    g = float(rng.uniform(12, 45))
    return "black", (g, g, g), (225.0, 225.0, 225.0)


def design_distractor(rng: np.random.Generator, kind: str) -> LabelSpec:
    """A random label of ``kind`` (see ``NUMBERED_KINDS`` and ``PLAIN_KINDS``)."""
    lines, badge, barcode = _lines(rng, kind)
    style, bg, ink = _style(rng, kind)
    small = kind in ("part", "qc", "rental", "price")
    spec = LabelSpec(
        kind=kind,
        style=style,
        lines=lines,
        font=pick_font(rng),
        bg=bg,
        ink=ink,
        width_mm=float(rng.uniform(14, 32) if small else rng.uniform(25, 75)),
        aspect_factor=float(rng.uniform(0.85, 1.5)),
        min_aspect=1.0,
        max_aspect=6.5,
        tracking=float(rng.choice([0.0, rng.uniform(-0.02, 0.2)])),
        weight=int(rng.choice([-1, 0, 0, 1])),
        jitter=float(rng.uniform(0.015, 0.04)) if rng.random() < 0.15 else 0.0,
        dot_matrix=bool(rng.random() < 0.1),
        align="left" if rng.random() < 0.35 else "center",
        barcode=barcode,
        badge=badge,
        border=bool(rng.random() < 0.3),
        corner=float(rng.uniform(0.04, 0.4)) if rng.random() < 0.6 else 0.0,
        peel=float(rng.uniform(0.2, 0.45)) if rng.random() < 0.2 else 0.0,
        wear=float(rng.uniform(0, 0.7)) if rng.random() < 0.6 else 0.0,
        crooked_deg=float(np.clip(rng.normal(0, 4.0), -12, 12)) if rng.random() < 0.6 else 0.0,
        gloss=float(rng.uniform(0.05, 0.3)) if rng.random() < 0.25 else 0.0,
        line_gap=float(rng.uniform(0.3, 0.6)),
        pad=float(rng.uniform(0.3, 0.8)),
        fill_frac=float(rng.uniform(0.8, 1.0)),
        opacity=float(rng.uniform(0.85, 1.0)),
    )
    return spec


def pick_kinds(rng: np.random.Generator, count: int, *, numbered_first: bool) -> list[str]:
    """``count`` distractor kinds; with ``numbered_first`` the first carries a number."""
    kinds: list[str] = []
    for i in range(count):
        pool = NUMBERED_KINDS if i == 0 and numbered_first else NUMBERED_KINDS + PLAIN_KINDS
        kinds.append(pool[int(rng.integers(len(pool)))])
    return kinds
