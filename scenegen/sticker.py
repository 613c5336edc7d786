"""Design of the serial-number sticker: style, wording, font, colours, wear."""

from __future__ import annotations

import numpy as np

from scenegen.fonts import pick_font
from scenegen.labels import LabelSpec, TextLine
from scenegen.scene import Difficulty
from scenegen.texture import Colour

SERIAL_MIN = 100
SERIAL_MAX = 259_999

STYLES: tuple[str, ...] = ("black", "paper", "foil", "plate")
STYLE_WEIGHTS: dict[str, tuple[float, ...]] = {
    "easy": (0.42, 0.48, 0.10, 0.0),
    "medium": (0.30, 0.30, 0.22, 0.18),
    "hard": (0.30, 0.15, 0.30, 0.25),
}

# one-line wordings; "{d}" is replaced by the six digits
ONE_LINE: tuple[str, ...] = (
    "SERIAL NO. {d}",
    "Serial No. {d}",
    "SERIAL No.{d}",
    "S/N {d}",
    "No. {d}",
    "No {d}",
    "SER. NO. {d}",
    "SERIAL No. {d}",
)
# two-line wordings: header line over the digits
TWO_LINE: tuple[str, ...] = ("SERIAL NO.", "Serial No.", "SERIAL No.", "S/N", "SER. No.")
EXTRA_LINES: tuple[str, ...] = (
    "KORG INC.",
    "TOKYO JAPAN",
    "KORG INC. TOKYO JAPAN",
    "MODEL M1",
    "MODEL M1R",
    "M1",
    "MADE IN JAPAN",
)


def random_serial(rng: np.random.Generator) -> str:
    """Six digits, leading zeros kept, value in 000100..259999."""
    return f"{int(rng.integers(SERIAL_MIN, SERIAL_MAX + 1)):06d}"


def _serial_lines(rng: np.random.Generator, serial: str) -> tuple[list[TextLine], str]:
    if rng.random() < 0.3:
        header = TWO_LINE[int(rng.integers(len(TWO_LINE)))]
        lines = [
            TextLine(header, float(rng.uniform(0.55, 0.9))),
            TextLine(serial, 1.0, (0, len(serial))),
        ]
        wording = f"{header} / {{d}}"
    else:
        wording = ONE_LINE[int(rng.integers(len(ONE_LINE)))]
        text = wording.format(d=serial)
        start = text.index(serial)
        lines = [TextLine(text, 1.0, (start, start + len(serial)))]
    n_extra = int(rng.choice([0, 0, 1, 1, 2]))
    extras = list(rng.choice(len(EXTRA_LINES), size=n_extra, replace=False))
    for idx in extras:
        line = TextLine(EXTRA_LINES[int(idx)], float(rng.uniform(0.4, 0.7)))
        if rng.random() < 0.5:
            lines.insert(0, line)
        else:
            lines.append(line)
    return lines, wording


def _colours(rng: np.random.Generator, style: str, difficulty: Difficulty) -> tuple[Colour, Colour]:
    if style == "black":
        g = float(rng.uniform(10, 45))
        bg: Colour = (g + float(rng.uniform(0, 4)), g, g - float(rng.uniform(0, 3)))
        if rng.random() < 0.15:  # gold print
            ink: Colour = (
                float(rng.uniform(190, 225)),
                float(rng.uniform(160, 195)),
                float(rng.uniform(80, 120)),
            )
        else:
            v = float(rng.uniform(165, 240))
            ink = (v, v, v + float(rng.uniform(-5, 5)))
        return bg, ink
    if style == "paper":
        if rng.random() < 0.5:
            v = float(rng.uniform(215, 250))
            bg = (v, v, v - float(rng.uniform(0, 6)))
        else:
            v = float(rng.uniform(215, 245))
            bg = (v, v - float(rng.uniform(6, 14)), v - float(rng.uniform(25, 45)))
        if rng.random() < 0.2:
            ink = (
                float(rng.uniform(15, 35)),
                float(rng.uniform(25, 45)),
                float(rng.uniform(70, 110)),
            )
        else:
            k = float(rng.uniform(10, 60))
            ink = (k, k, k)
        return bg, ink
    if style == "foil":
        v = float(rng.uniform(150, 205))
        bg = (v, v + float(rng.uniform(0, 4)), v + float(rng.uniform(0, 8)))
        contrast = {"easy": (110, 150), "medium": (80, 130), "hard": (65, 110)}[difficulty]
        k = v - float(rng.uniform(*contrast))
        return bg, (k, k, k + float(rng.uniform(0, 10)))
    # plate
    if rng.random() < 0.25:  # brass
        bg = (
            float(rng.uniform(160, 200)),
            float(rng.uniform(130, 165)),
            float(rng.uniform(70, 100)),
        )
    else:
        v = float(rng.uniform(130, 195))
        bg = (v, v + float(rng.uniform(0, 5)), v + float(rng.uniform(0, 8)))
    k = float(rng.uniform(20, 50))
    return bg, (k, k, k)


def design_serial_sticker(
    rng: np.random.Generator, difficulty: Difficulty, serial: str
) -> tuple[LabelSpec, str]:
    """A random serial-sticker design for ``serial``; also returns the wording template."""
    style = STYLES[int(rng.choice(len(STYLES), p=STYLE_WEIGHTS[difficulty]))]
    lines, wording = _serial_lines(rng, serial)
    bg, ink = _colours(rng, style, difficulty)
    font = pick_font(rng)
    wear_max = {"easy": 0.2, "medium": 0.45, "hard": 0.7}[difficulty]
    barcode: str | None = None
    r = rng.random()
    if r < 0.12:
        barcode = "below"
    elif r < 0.2:
        barcode = "right"
    spec = LabelSpec(
        kind="serial",
        style=style,
        lines=lines,
        font=font,
        bg=bg,
        ink=ink,
        width_mm=float(rng.uniform(28, 80)),
        aspect_factor=float(rng.uniform(0.85, 1.6)),
        tracking=float(rng.choice([0.0, 0.0, rng.uniform(-0.03, 0.25)])),
        weight=int(rng.choice([-1, 0, 0, 0, 1, 1])),
        jitter=float(rng.uniform(0.015, 0.045)) if rng.random() < 0.2 else 0.0,
        dot_matrix=bool(rng.random() < 0.1 and style != "plate"),
        align="left" if rng.random() < 0.35 else "center",
        barcode=barcode if style != "plate" else None,
        border=bool(rng.random() < 0.3),
        corner=float(rng.uniform(0.04, 0.25)) if rng.random() < 0.6 else 0.0,
        peel=float(rng.uniform(0.25, 0.5)) if rng.random() < 0.15 and style != "plate" else 0.0,
        wear=float(rng.uniform(0, wear_max)) if rng.random() < 0.6 else 0.0,
        crooked_deg=float(np.clip(rng.normal(0, 2.5), -6, 6)) if rng.random() < 0.55 else 0.0,
        gloss=float(rng.uniform(0.05, 0.35))
        if style in ("black", "foil") and rng.random() < 0.4
        else 0.0,
        line_gap=float(rng.uniform(0.3, 0.6)),
        pad=float(rng.uniform(0.3, 0.8)),
        fill_frac=float(rng.uniform(0.8, 1.0)),
        opacity=float(rng.uniform(0.85, 1.0)),
    )
    if style == "plate":
        spec.extra["filled"] = bool(rng.random() < 0.3)
        spec.corner = 0.0 if rng.random() < 0.6 else spec.corner
    return spec, wording
