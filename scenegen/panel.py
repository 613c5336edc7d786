"""Layout and rasterisation of the rear panel and its surroundings.

``PanelStyle`` (sampled with the scene plan) says what kind of panel and
room it is; ``build_panel`` lays out jack groups, printed legends, hardware
and slots for the stickers along the panel; ``render_world`` rasterises the
visible part of the plane onto a ``World`` canvas.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from scenegen import hardware as hw
from scenegen.fonts import FontSpec, pick_font, render_text
from scenegen.texture import Colour, fbm, surface, vary
from scenegen.world import World

Op = Callable[[World], None]

VOLTAGES: tuple[str, ...] = (
    "AC 120V 60Hz 11W",
    "AC 230V 50Hz 11W",
    "AC 100V 50/60Hz 11W",
    "AC 220-240V 50Hz 11W",
)
BG_ABOVE: tuple[str, ...] = ("wall", "wall", "plain", "plain", "tile", "fabric")
BG_BELOW: tuple[str, ...] = ("wood", "wood", "carpet", "fabric", "tile", "plain", "wall")


@dataclass(slots=True)
class PanelStyle:
    """The look of the panel and of the room around it."""

    kind: str  # "black" | "dark_grey" | "brushed" | "light"
    colour: Colour
    texture: str
    ink: Colour
    ink_opacity: float
    model: str  # "M1" (keyboard) | "M1R" (rack)
    height: float
    legend_font: FontSpec
    header_font: FontSpec
    legend_cap: float
    jack_style: str
    screw_finish: str
    case_depth: float  # keyboard top-case band above the panel (0: none)
    lip: float  # bottom lip below the panel
    bg_above: tuple[str, Colour]
    bg_below: tuple[str, Colour]
    neighbour: Colour | None  # another rack unit above/below (rack only)
    voltage: str
    boxes: float  # probability of printed boxes around groups
    wear: float

    def summary(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "model": self.model,
            "colour": [round(c) for c in self.colour],
            "texture": self.texture,
            "legend_font": self.legend_font.name,
            "height_mm": round(self.height, 1),
            "background_above": self.bg_above[0],
            "background_below": self.bg_below[0],
            "top_case": self.case_depth > 0,
            "neighbour_unit": self.neighbour is not None,
            "voltage": self.voltage,
        }


def sample_style(rng: np.random.Generator) -> PanelStyle:
    """A random panel/room style (mostly black Korg panels)."""
    kind = str(rng.choice(["black", "dark_grey", "brushed", "light"], p=[0.55, 0.2, 0.12, 0.13]))
    if kind == "black":
        v = float(rng.uniform(12, 32))
        colour: Colour = (v, v, v + float(rng.uniform(0, 3)))
        texture, ink = "matte", (float(rng.uniform(205, 240)),) * 3
    elif kind == "dark_grey":
        v = float(rng.uniform(40, 72))
        colour, texture, ink = (v, v, v + 2), "matte", (float(rng.uniform(200, 235)),) * 3
    elif kind == "brushed":
        v = float(rng.uniform(110, 165))
        colour, texture = (v, v + 2, v + 5), "brushed"
        ink = (float(rng.uniform(15, 40)),) * 3 if rng.random() < 0.75 else (235.0, 235.0, 235.0)
    else:
        v = float(rng.uniform(165, 212))
        colour = (v, v - float(rng.uniform(0, 8)), v - float(rng.uniform(0, 22)))
        texture, ink = "matte", (float(rng.uniform(15, 50)),) * 3
    model = "M1R" if rng.random() < 0.3 else "M1"
    height = 88.0 if model == "M1R" else float(rng.uniform(55, 95))
    sans = ("DejaVuSans", "DejaVuSansCondensed", "hershey-simplex", "hershey-duplex", "pil-default")
    legend_font = pick_font(rng, *sans)
    header_font = legend_font if rng.random() < 0.6 else pick_font(rng, *sans)
    above = BG_ABOVE[int(rng.integers(len(BG_ABOVE)))]
    below = BG_BELOW[int(rng.integers(len(BG_BELOW)))]
    return PanelStyle(
        kind=kind,
        colour=colour,
        texture=texture,
        ink=(ink[0], ink[1], ink[2]),
        ink_opacity=float(rng.uniform(0.75, 0.97)),
        model=model,
        height=height,
        legend_font=legend_font,
        header_font=header_font,
        legend_cap=float(rng.uniform(2.2, 3.6)),
        jack_style=str(rng.choice(["nut", "nut", "black_nut", "plastic"])),
        screw_finish="silver" if rng.random() < 0.65 else "black",
        case_depth=float(rng.uniform(15, 70)) if model == "M1" and rng.random() < 0.7 else 0.0,
        lip=float(rng.uniform(2, 8)) if model == "M1" else 0.0,
        bg_above=(above, background_colour(rng, above)),
        bg_below=(below, background_colour(rng, below)),
        neighbour=(float(rng.uniform(20, 200)),) * 3
        if model == "M1R" and rng.random() < 0.5
        else None,
        voltage=VOLTAGES[int(rng.integers(len(VOLTAGES)))],
        boxes=float(rng.uniform(0.2, 0.8)),
        wear=float(rng.uniform(0, 1)),
    )


def background_colour(rng: np.random.Generator, kind: str) -> Colour:
    """A plausible colour for a room surface of ``kind`` (see ``texture.surface``)."""
    if kind == "wood":
        base: Colour = ((150, 100, 60), (110, 70, 40), (190, 150, 105), (70, 45, 30))[
            int(rng.integers(4))
        ]
        return vary(rng, base, 15)
    if kind == "carpet":
        base = ((90, 90, 95), (60, 70, 110), (120, 60, 55), (150, 135, 110), (45, 45, 45))[
            int(rng.integers(5))
        ]
        return vary(rng, base, 15)
    if kind == "wall":
        v = float(rng.uniform(150, 235))
        return (v, v - float(rng.uniform(0, 10)), v - float(rng.uniform(0, 25)))
    if kind == "tile":
        v = float(rng.uniform(120, 220))
        return (v, v, v - float(rng.uniform(0, 15)))
    if kind == "fabric":
        base = ((40, 40, 45), (110, 30, 35), (40, 60, 110), (160, 150, 130), (70, 90, 60))[
            int(rng.integers(5))
        ]
        return vary(rng, base, 12)
    v = float(rng.uniform(15, 90))
    return (v, v, v)


@dataclass(slots=True)
class Panel:
    """A laid-out panel: drawing operations and where things are (mm)."""

    style: PanelStyle
    length: float
    ink_ops: list[Op] = field(default_factory=list)
    hw_ops: list[Op] = field(default_factory=list)
    sockets: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, radius
    slots: dict[int, tuple[float, float]] = field(default_factory=dict)  # label index -> centre
    groups: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=2048)
def text_width(text: str, font: FontSpec, cap_mm: float, tracking: float = 0.0) -> float:
    """Printed width in mm of ``text`` at ``cap_mm`` cap height."""
    tm = render_text(text, font, 40.0, tracking=tracking)
    return float(tm.mask.shape[1]) / 40.0 * cap_mm


@dataclass(slots=True)
class _Ctx:
    st: PanelStyle
    rng: np.random.Generator
    jack_y: float
    cap: float
    panel: Panel
    gravity: float

    def label_y(self) -> float:
        return self.jack_y - 10.5 - self.cap * 0.5

    def text(
        self,
        x: float,
        y: float,
        s: str,
        cap: float | None = None,
        *,
        header: bool = False,
        anchor: str = "center",
    ) -> None:
        font = self.st.header_font if header else self.st.legend_font
        c = self.cap * (1.25 if header else 1.0) if cap is None else cap
        track = 0.12 if header and self.rng.random() < 0.5 else 0.0
        self.panel.ink_ops.append(
            lambda w: _drop(w.text(x, y, s, c, font, anchor=anchor, tracking=track))
        )

    def box(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        header: str | None = None,
        hx: float | None = None,
    ) -> None:
        lw = float(self.rng.uniform(0.25, 0.55))
        r = float(self.rng.uniform(0, 2.5)) if self.rng.random() < 0.5 else 0.0
        hcap = self.cap * 1.25
        font = self.st.header_font

        def op(w: World) -> None:
            w.ink_rect(x0, y0, x1, y1, lw, r)
            if header is not None:
                cx = (x0 + x1) / 2 if hx is None else hx
                tw = text_width(header, font, hcap)
                w.ink_clear(cx - tw / 2 - 1.5, y0 - hcap, cx + tw / 2 + 1.5, y0 + hcap)
                w.text(cx, y0, header, hcap, font)

        self.panel.ink_ops.append(op)

    def jack(self, x: float, y: float) -> None:
        style, rng = self.st.jack_style, self.rng
        self.panel.hw_ops.append(lambda w: hw.jack(w, x, y, rng, style))
        self.panel.sockets.append((x, y, 6.5))


def _drop(_: object) -> None:
    return None


def _group_jacks(c: _Ctx, x0: float, labels: list[list[str]], header: str | None) -> float:
    rng = c.rng
    longest = max(text_width(max(lb, key=len), c.st.legend_font, c.cap) for lb in labels)
    sp = max(float(rng.uniform(17, 25)), longest + 4)
    width = (len(labels) - 1) * sp + max(16.0, longest + 4)
    for i, lb in enumerate(labels):
        x = x0 + width / 2 - (len(labels) - 1) * sp / 2 + i * sp
        c.jack(x, c.jack_y)
        for k, line in enumerate(reversed(lb)):
            c.text(x, c.label_y() - k * c.cap * 1.5, line)
    top = c.label_y() - (max(len(lb) for lb in labels) - 1) * c.cap * 1.5
    if header is not None:
        hy = top - c.cap * 2.2
        if rng.random() < c.st.boxes:
            c.box(x0 - 2, hy, x0 + width + 2, c.jack_y + 9.5, header)
        else:
            c.text(x0 + width / 2, hy, header, header=True)
    elif rng.random() < c.st.boxes * 0.5:
        c.box(x0 - 2, top - c.cap * 1.3, x0 + width + 2, c.jack_y + 9.5)
    return width


def _output(c: _Ctx, x0: float) -> float:
    n = int(c.rng.choice([2, 4, 4]))
    variants = [
        [["1", "L/MONO"], ["2", "R"], ["3"], ["4"]],
        [["L/MONO"], ["R"], ["3"], ["4"]],
        [["1"], ["2"], ["3"], ["4"]],
    ]
    labels = variants[int(c.rng.integers(len(variants)))][:n]
    if c.rng.random() < 0.5:
        labels = labels[::-1]
    return _group_jacks(c, x0, labels, "OUTPUT")


def _phones(c: _Ctx, x0: float) -> float:
    return _group_jacks(c, x0, [["PHONES"]], None)


def _pedals(c: _Ctx, x0: float) -> float:
    pool = [["DAMPER"], ["ASSIGNABLE", "PEDAL"], ["ASSIGNABLE", "SWITCH"]]
    k = int(c.rng.integers(2, 4))
    labels = [pool[int(i)] for i in sorted(c.rng.choice(3, size=k, replace=False))]
    return _group_jacks(c, x0, labels, None)


def _midi(c: _Ctx, x0: float) -> float:
    rng = c.rng
    names = ["IN", "OUT", "THRU"] if rng.random() < 0.5 else ["THRU", "OUT", "IN"]
    sp = float(rng.uniform(27, 34))
    width = 2 * sp + 24
    y = c.jack_y
    for i, name in enumerate(names):
        x = x0 + 12 + i * sp
        c.panel.hw_ops.append(functools.partial(hw.din, x=x, y=y, rng=rng))
        c.panel.sockets.append((x, y, 10.0))
        c.text(x, y - 13.5, name)
    hy = y - 13.5 - c.cap * 2.3
    if rng.random() < c.st.boxes:
        c.box(x0 - 2, hy, x0 + width + 2, y + 13, "MIDI")
    else:
        c.text(x0 + width / 2, hy, "MIDI", header=True)
    return width


def _power(c: _Ctx, x0: float) -> float:
    rng, st = c.rng, c.st
    y = c.jack_y
    c.panel.hw_ops.append(lambda w: hw.rocker(w, x0 + 8, y, rng))
    on_off = ("ON", "OFF") if rng.random() < 0.7 else ("I", "O")
    c.text(x0 + 8, y - 14, on_off[0])
    c.text(x0 + 8, y + 14, on_off[1])
    c.text(x0 + 8, y - 14 - c.cap * 2.0, "POWER", header=True)
    cx = x0 + 38
    if rng.random() < 0.5:
        c.panel.hw_ops.append(lambda w: hw.iec_inlet(w, cx, y, rng))
    else:
        length = (st.height - y + 400.0) if c.gravity > 0 else -(y + 400.0)
        c.panel.hw_ops.append(lambda w: hw.cord(w, cx, y, rng, length))
    vy = min(st.height - 5.0, y + 16.0) if rng.random() < 0.6 else y - 16.0
    c.text(cx, vy, st.voltage, c.cap * 0.75)
    return 55.0


def _brand(c: _Ctx, x0: float) -> float:
    rng, st = c.rng, c.st
    bold = pick_font(
        rng,
        "DejaVuSans-Bold",
        "DejaVuSansCondensed-Bold",
        "DejaVuSerif-Bold",
        "hershey-triplex",
        "hershey-duplex",
    )
    korg_cap = float(rng.uniform(5.0, 9.0))
    model_cap = korg_cap * float(rng.uniform(0.8, 1.3))
    y = c.jack_y - float(rng.uniform(-8, 8))
    kw = text_width("KORG", bold, korg_cap)
    mw = text_width(st.model, bold, model_cap)
    sub_cap = c.cap * 0.8
    sw = text_width("MUSIC WORKSTATION", st.legend_font, sub_cap, 0.15)
    width = max(kw + mw + 8, sw) + 4
    font = st.legend_font
    c.panel.ink_ops.append(lambda w: _drop(w.text(x0, y, "KORG", korg_cap, bold, anchor="left")))
    c.panel.ink_ops.append(
        lambda w: _drop(w.text(x0 + kw + 6, y, st.model, model_cap, bold, anchor="left"))
    )
    c.panel.ink_ops.append(
        lambda w: _drop(
            w.text(
                x0,
                y + max(korg_cap, model_cap) * 0.5 + sub_cap * 1.6,
                "MUSIC WORKSTATION",
                sub_cap,
                font,
                anchor="left",
                tracking=0.15,
            )
        )
    )
    return width


def _small_block(c: _Ctx, x0: float, lines: list[str], boxed: bool) -> float:
    cap = c.cap * float(c.rng.uniform(0.5, 0.75))
    width = max(text_width(t, c.st.legend_font, cap) for t in lines) + 2
    top = min(
        c.st.height - len(lines) * cap * 1.7 - 3,
        max(4.0, c.jack_y - len(lines) * cap * 0.85 + float(c.rng.uniform(-10, 10))),
    )
    for i, t in enumerate(lines):
        c.text(x0 + 1, top + i * cap * 1.7 + cap / 2, t, cap, anchor="left")
    if boxed:
        c.box(x0 - 1.5, top - cap * 0.9, x0 + width + 1.5, top + len(lines) * cap * 1.7)
    return width


def _warning(c: _Ctx, x0: float) -> float:
    lines = ["CAUTION: RISK OF ELECTRIC SHOCK", "DO NOT OPEN"]
    if c.rng.random() < 0.5:
        lines += ["AVIS: RISQUE DE CHOC ELECTRIQUE", "NE PAS OUVRIR"]
    return _small_block(c, x0, lines, c.rng.random() < 0.6)


def _fcc(c: _Ctx, x0: float) -> float:
    lines = ["THIS DEVICE COMPLIES WITH PART 15", "OF THE FCC RULES."]
    if c.rng.random() < 0.6:
        lines.append("MADE IN JAPAN")
    return _small_block(c, x0, lines, c.rng.random() < 0.3)


def _made(c: _Ctx, x0: float) -> float:
    lines = ["MADE IN JAPAN"]
    if c.rng.random() < 0.5:
        lines.append(f"KLM-{int(c.rng.integers(600, 1999))}")
    return _small_block(c, x0, lines, False)


def _vents(c: _Ctx, x0: float) -> float:
    rng, st = c.rng, c.st
    width = float(rng.uniform(35, 80))
    h = st.height * float(rng.uniform(0.3, 0.55))
    y0 = float(rng.uniform(6, st.height - h - 6))
    c.panel.hw_ops.append(lambda w: hw.vents(w, x0, y0, width, h, rng, st.colour[0]))
    return width


def _card(c: _Ctx, x0: float) -> float:
    width = float(c.rng.uniform(45, 65))
    y = c.jack_y + float(c.rng.uniform(-6, 6))
    rng = c.rng
    c.panel.hw_ops.append(lambda w: hw.card_slot(w, x0, y, width, rng))
    c.text(x0 + width / 2, y - 7, "CARD")
    return width


def _blank(c: _Ctx, x0: float) -> float:
    return float(c.rng.uniform(15, 50))


GROUPS: dict[str, Callable[[_Ctx, float], float]] = {
    "output": _output,
    "phones": _phones,
    "pedals": _pedals,
    "midi": _midi,
    "power": _power,
    "brand": _brand,
    "warning": _warning,
    "fcc": _fcc,
    "made": _made,
    "vents": _vents,
    "card": _card,
    "blank": _blank,
}
ALWAYS = ("output", "midi", "power")


def build_panel(
    rng: np.random.Generator,
    st: PanelStyle,
    label_sizes: list[tuple[float, float]],
    *,
    gravity: float = 1.0,
) -> Panel:
    """Lay out groups and reserve a slot for each label (w, h in mm).

    ``gravity`` is +1 when panel-down is photo-down, -1 for an upside-down panel
    (hanging cords follow it).
    """
    panel = Panel(st, 0.0)
    jack_y = st.height * float(rng.uniform(0.5, 0.66))
    cap = min(st.legend_cap, max(1.6, (jack_y - 13.0) / 5.0))
    ctx = _Ctx(st, rng, jack_y, cap, panel, gravity)
    names = list(ALWAYS) + [g for g in GROUPS if g not in ALWAYS and rng.random() < 0.6]
    order: list[str | int] = [names[int(i)] for i in rng.permutation(len(names))]
    for idx in range(len(label_sizes)):
        order.insert(int(rng.integers(0, len(order) + 1)), idx)
    x = float(rng.uniform(15, 40))
    rects: list[tuple[float, float, float, float]] = []
    separators = rng.random() < 0.35
    for item in order:
        gap = float(rng.uniform(4, 16))
        if isinstance(item, int):
            lw, lh = label_sizes[item]
            margin = max(2.5, (st.height - lh) * 0.05)
            cy = float(
                rng.uniform(lh / 2 + margin, max(lh / 2 + margin, st.height - lh / 2 - margin))
            )
            panel.slots[item] = (x + lw / 2, cy)
            rects.append((x - 3, cy - lh / 2 - 3, x + lw + 3, cy + lh / 2 + 3))
            _slot_filler(ctx, x, lw, cy - lh / 2, cy + lh / 2)
            x += lw + gap
        else:
            x += GROUPS[item](ctx, x) + gap
            panel.groups.append(item)
        if separators and rng.random() < 0.5:
            sx = x - gap / 2
            lw_mm = float(rng.uniform(0.25, 0.5))
            y0, y1 = float(rng.uniform(3, 12)), st.height - float(rng.uniform(3, 12))
            panel.ink_ops.append(
                functools.partial(World.ink_line, x0=sx, y0=y0, x1=sx, y1=y1, width_mm=lw_mm)
            )
    panel.length = x + float(rng.uniform(10, 30))
    _edge_screws(ctx, rects)
    return panel


def _slot_filler(c: _Ctx, x0: float, width: float, top: float, bottom: float) -> None:
    """Use the panel space above or below a label: print, screws, a jack or vents."""
    rng, st = c.rng, c.st
    above, below = top - 2.0, st.height - bottom - 2.0
    room = max(above, below)
    if room < 12.0 or rng.random() < 0.25:
        return
    y0, y1 = (2.0, top - 2.0) if above >= below else (bottom + 2.0, st.height - 2.0)
    cy = (y0 + y1) / 2
    choice = rng.random()
    if choice < 0.4:
        pool = [
            "MADE IN JAPAN",
            f"KLM-{int(rng.integers(600, 1999))}",
            st.voltage,
            "THIS DEVICE COMPLIES WITH PART 15",
            "KORG INC.",
            "MUSIC WORKSTATION",
        ]
        n = int(rng.integers(1, 3))
        cap = min(c.cap, (y1 - y0) / (2.2 * n))
        picks = rng.choice(len(pool), size=n, replace=False)
        for i, t in enumerate(pool[int(j)] for j in picks):
            c.text(x0 + width / 2, cy + (i - (n - 1) / 2) * cap * 1.8, t, cap)
    elif choice < 0.65:
        r = float(rng.uniform(2.0, 3.0))
        finish = st.screw_finish
        for sx in (x0 + width * 0.2, x0 + width * 0.8):
            c.panel.hw_ops.append(
                functools.partial(hw.screw, x=sx, y=cy, r=r, rng=rng, finish=finish)
            )
    elif choice < 0.85 and room >= 24.0:
        jy = cy + 2.0
        c.jack(x0 + width / 2, jy)
        name = ["PHONES", "DAMPER", "FOOT SW", "VOLUME"][int(rng.integers(4))]
        c.text(x0 + width / 2, jy - 10.0, name, min(c.cap, 3.0))
    else:
        h = min(y1 - y0, 20.0)
        c.panel.hw_ops.append(lambda w: hw.vents(w, x0, cy - h / 2, width, h, rng, st.colour[0]))


def _edge_screws(c: _Ctx, rects: list[tuple[float, float, float, float]]) -> None:
    rng, st = c.rng, c.st
    pitch = float(rng.uniform(70, 170))
    rows = [4.5, st.height - 4.5] if rng.random() < 0.6 else [st.height - 4.5]
    finish = st.screw_finish
    r = float(rng.uniform(2.2, 3.2))
    for y in rows:
        for x in np.arange(float(rng.uniform(8, pitch)), c.panel.length - 5, pitch):
            xf = float(x)
            if any(x0 - r < xf < x1 + r and y0 - r < y < y1 + r for x0, y0, x1, y1 in rects):
                continue
            c.panel.hw_ops.append(
                functools.partial(hw.screw, x=xf, y=y, r=r, rng=rng, finish=finish)
            )


# ---------------------------------------------------------------- rasterising


def render_world(
    panel: Panel, region: tuple[float, float, float, float], d: float, rng: np.random.Generator
) -> World:
    """Rasterise ``region`` (x0, y0, x1, y1 in mm) of the plane at ``d`` px/mm."""
    x0, y0, x1, y1 = region
    w = max(8, int(np.ceil((x1 - x0) * d)))
    h = max(8, int(np.ceil((y1 - y0) * d)))
    world = World(np.zeros((h, w, 3), np.uint8), np.zeros((h, w), np.uint8), x0, y0, d)
    st = panel.style
    ph, pl = st.height, panel.length
    top = -st.case_depth
    _fill(world, rng, st.bg_above, (-1e6, -1e6, 1e6, top))
    _fill(world, rng, st.bg_below, (-1e6, ph + st.lip, 1e6, 1e6))
    if st.case_depth > 0:
        v = float(rng.uniform(25, 60))
        _fill(world, rng, ("plain", (v, v, v)), (-1e6, top, 1e6, 0.0), vgrad=(1.25, 0.85))
    if st.neighbour is not None:
        nb = ("matte", st.neighbour)
        if rng.random() < 0.5:
            _fill(world, rng, nb, (-1e6, -88.0, 1e6, -1.0))
        else:
            _fill(world, rng, nb, (-1e6, ph + 1.0, 1e6, ph + 89.0))
    v = float(rng.uniform(15, 45))
    _fill(world, rng, ("plain", (v, v, v)), (-25.0, top, 0.0, ph + st.lip))
    _fill(world, rng, ("plain", (v, v, v)), (pl, top, pl + 25.0, ph + st.lip))
    if st.lip > 0:
        v = float(rng.uniform(10, 35))
        _fill(world, rng, ("plain", (v, v, v)), (-25.0, ph, pl + 25.0, ph + st.lip))
    _contact_shadow(world, rng, -25.0, ph + st.lip, pl + 25.0)
    smudge = float(rng.uniform(0, 14)) * (1.0 if st.kind in ("black", "dark_grey") else 0.5)
    _fill(world, rng, (st.texture, st.colour), (0.0, 0.0, pl, ph), smudge=smudge)
    for op in panel.ink_ops:
        op(world)
    _apply_ink(world, rng, panel)
    _edges(world, panel)
    for op in panel.hw_ops:
        op(world)
    n = int(rng.integers(2, 6 + int(20 * st.wear)))
    hw.scratches(world, rng, 0.0, 0.0, pl, ph, n, st.kind in ("black", "dark_grey"), st.colour[0])
    _dust(world, rng, panel)
    return world


def _fill(
    world: World,
    rng: np.random.Generator,
    kind_colour: tuple[str, Colour],
    box: tuple[float, float, float, float],
    *,
    vgrad: tuple[float, float] | None = None,
    smudge: float = 0.0,
) -> None:
    rc = world.rows_cols(*box)
    if rc is None:
        return
    rows, cols = rc
    if vgrad is not None:  # gradient over the whole band, even if clipped
        v0, v1 = world.px(0, box[1])[1], world.px(0, box[3])[1]
        t0 = (rows.start - v0) / max(v1 - v0, 1e-3)
        t1 = (rows.stop - v0) / max(v1 - v0, 1e-3)
        vgrad = (vgrad[0] + (vgrad[1] - vgrad[0]) * t0, vgrad[0] + (vgrad[1] - vgrad[0]) * t1)
    tex = surface(
        rng,
        kind_colour[0],
        rows.stop - rows.start,
        cols.stop - cols.start,
        kind_colour[1],
        world.d,
        vgrad=vgrad,
        smudge=smudge,
    )
    world.img[rows, cols] = tex


def _contact_shadow(world: World, rng: np.random.Generator, x0: float, y: float, x1: float) -> None:
    depth = float(rng.uniform(4, 25))
    rc = world.rows_cols(x0, y, x1, y + depth)
    if rc is None:
        return
    rows, cols = rc
    v0 = world.px(0, y)[1]
    r = np.arange(rows.start, rows.stop, dtype=np.float32)
    t = np.clip((r - v0) / (depth * world.d), 0, 1)
    strength = float(rng.uniform(0.3, 0.7))
    g = (1.0 - strength * (1 - t) ** 2)[:, None, None]
    world.img[rows, cols] = (world.img[rows, cols] * g).astype(np.uint8)


def _apply_ink(world: World, rng: np.random.Generator, panel: Panel) -> None:
    st = panel.style
    rc = world.rows_cols(0.0, 0.0, panel.length, st.height)
    if rc is None:
        return
    rows, cols = rc
    bx, by, bw, bh = cv2.boundingRect(world.ink[rows, cols])
    if bw == 0 or bh == 0:
        return
    rows = slice(rows.start + by, rows.start + by + bh)
    cols = slice(cols.start + bx, cols.start + bx + bw)
    a = world.ink[rows, cols].astype(np.float32) * np.float32(st.ink_opacity / 255.0)
    if st.wear > 0.3:
        worn = np.clip(fbm(rng, bh, bw, 6 * world.d, 3), 0, None) * np.float32(st.wear - 0.3)
        a *= np.clip(1.0 - worn, 0.3, 1.0)
    ink = np.empty((bh, bw, 3), np.uint8)
    ink[:] = np.asarray(st.ink, np.float32).round().astype(np.uint8)
    world.img[rows, cols] = cv2.blendLinear(
        np.ascontiguousarray(world.img[rows, cols]), ink, 1.0 - a, a
    )


def _edges(world: World, panel: Panel) -> None:
    st = panel.style
    hi = tuple(min(255.0, c * 1.6 + 25) for c in st.colour)
    lo = tuple(c * 0.4 for c in st.colour)
    world.line(0, 0.3, panel.length, 0.3, hi, 0.6)
    world.line(0, st.height - 0.3, panel.length, st.height - 0.3, lo, 0.8)
    world.line(0.3, 0, 0.3, st.height, hi, 0.5)
    world.line(panel.length - 0.3, 0, panel.length - 0.3, st.height, lo, 0.5)


def _dust(world: World, rng: np.random.Generator, panel: Panel) -> None:
    st = panel.style
    n = int(rng.integers(10, 30 + int(150 * st.wear)))
    xs = rng.uniform(0, panel.length, n)
    ys = rng.uniform(0, st.height, n)
    rs = rng.uniform(0.05, 0.2, n)
    dark = st.kind in ("black", "dark_grey")
    for x, y, r in zip(xs, ys, rs, strict=True):
        delta = float(rng.uniform(20, 70))
        v = st.colour[0] + delta if dark else st.colour[0] - delta * 0.6
        world.circle(float(x), float(y), float(r), hw.grey(v))
