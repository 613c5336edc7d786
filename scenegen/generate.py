"""Scene composition: plan -> panel layout -> camera fit -> world raster ->
warp -> stickers -> cables -> camera effects -> ``Scene``."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import cv2
import numpy as np

from scenegen.cables import draw_cables
from scenegen.camera import (
    Pose,
    apply,
    local_scale,
    plane_homography,
    polygon_area,
    tilt_of,
    translate,
    warp_into,
)
from scenegen.labels import SHADOW_MARGIN, LabelSpec, Layout, TextLine, layout, render_label
from scenegen.panel import Panel, build_panel, render_world
from scenegen.params import (
    AREA_RANGE,
    CLOSEUP_AREA_RANGE,
    MIN_DIGIT_PX,
    Plan,
    make_plan,
    seed_sequence,
)
from scenegen.photo import develop, upscale
from scenegen.scene import Difficulty, Scene

WORLD_BUDGET_PX = 2.2e6  # largest world canvas rasterised per scene
WORK_MAX_PX = 3.2e6  # larger frames (12 MP) are composed at this size and upscaled once
FRAME_MARGIN = 0.025  # the serial sticker keeps this fraction of the frame clear of the border


@dataclass(slots=True)
class Placed:
    """A label with its size and placement on the panel (mm)."""

    spec: LabelSpec
    lay: Layout
    w_mm: float
    h_mm: float
    centre: tuple[float, float] = (0.0, 0.0)

    def corners(self) -> np.ndarray:
        t = math.radians(self.spec.crooked_deg)
        c, s = math.cos(t), math.sin(t)
        local = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64) * [
            self.w_mm / 2,
            self.h_mm / 2,
        ]
        rot = local @ np.array([[c, s], [-s, c]])
        return np.asarray(rot + np.asarray(self.centre), np.float64)

    def digit_mm(self) -> float:
        return self.lay.digit_h * self.h_mm

    def placement(self, w_px: int, h_px: int) -> np.ndarray:
        """Homography label-rgba px -> world mm."""
        m = SHADOW_MARGIN - 0.5
        t = math.radians(self.spec.crooked_deg)
        c, s = math.cos(t), math.sin(t)
        rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])
        sc = np.diag([self.w_mm / w_px, self.h_mm / h_px, 1.0])
        return np.asarray(
            translate(*self.centre)
            @ rot
            @ translate(-self.w_mm / 2, -self.h_mm / 2)
            @ sc
            @ translate(-m, -m),
            np.float64,
        )


def _size(spec: LabelSpec, panel_h: float) -> Placed:
    lay = layout(spec)
    w = spec.width_mm
    h = w / lay.aspect
    room = panel_h - 7.0
    if h > room:
        w, h = room * lay.aspect, room
    return Placed(spec, lay, w, h)


def _simplify(spec: LabelSpec, step: int) -> LabelSpec:
    """A plainer variant of a serial sticker whose digits came out too small."""
    s = copy.deepcopy(spec)
    if step >= 1:
        s.lines = [ln for ln in s.lines if ln.digits is not None or ln.rel >= 0.55]
        s.barcode = None
    if step >= 2:
        s.aspect_factor = min(s.aspect_factor, 1.0)
        s.fill_frac = 1.0
        s.pad = min(s.pad, 0.4)
    if step >= 3:
        s.lines = [TextLine(ln.text, 1.0, ln.digits) for ln in s.lines if ln.digits is not None]
        s.aspect_factor = 0.85
    return s


def _fit(
    plan: Plan, rng: np.random.Generator, pose: Pose, sticker: Placed, min_digit: float
) -> tuple[np.ndarray, float, float]:
    """Choose distance and position so the sticker has the planned size.

    Returns (homography, area fraction, estimated digit height px).
    """
    w, h = plan.size
    lo, hi = CLOSEUP_AREA_RANGE if plan.closeup else AREA_RANGE[plan.difficulty]
    lo_t, hi_t = lo * 1.04, hi * 0.96
    target = float(rng.uniform(lo_t, hi_t))
    corners = sticker.corners()
    cx, cy = sticker.centre
    spread = 0.36
    best: tuple[np.ndarray, float, float] | None = None
    for attempt in range(40):
        anchor = (
            w / 2 + float(rng.uniform(-spread, spread)) * w,
            h / 2 + float(rng.uniform(-spread, spread)) * h,
        )
        z = pose.focal / math.sqrt(target * w * h / (sticker.w_mm * sticker.h_mm))
        hom = plane_homography(pose, (w, h), (cx, cy), anchor, z)
        for _ in range(6):
            area = polygon_area(apply(hom, corners)) / (w * h)
            z *= math.sqrt(area / target)
            hom = plane_homography(pose, (w, h), (cx, cy), anchor, z)
        quad = apply(hom, corners)
        area = polygon_area(quad) / (w * h)
        digit_px = _digit_px(hom, sticker)
        mx, my = FRAME_MARGIN * w, FRAME_MARGIN * h
        inside = bool(
            quad[:, 0].min() >= mx
            and quad[:, 0].max() <= w - mx
            and quad[:, 1].min() >= my
            and quad[:, 1].max() <= h - my
        )
        if inside and lo <= area <= hi:
            best = (hom, area, digit_px)
            if digit_px >= min_digit:
                return best
            target = min(hi_t, target * 1.3)
            continue
        spread = max(0.0, spread * 0.85)
        if attempt > 8:
            target = max(lo_t, target / 1.1)
    if best is None:
        raise RuntimeError(f"could not frame the sticker (seed {plan.seed})")
    return best


def _digit_px(hom: np.ndarray, placed: Placed) -> float:
    """Projected height of the serial digits (smallest over the sticker width)."""
    t = math.radians(placed.spec.crooked_deg)
    up = np.array([-math.sin(t), math.cos(t)]) * placed.digit_mm() / 2
    along = np.array([math.cos(t), math.sin(t)]) * placed.w_mm * 0.4
    c = np.asarray(placed.centre)
    hs = []
    for k in (-1.0, 0.0, 1.0):
        p = apply(hom, np.array([c + k * along - up, c + k * along + up]))
        hs.append(float(np.linalg.norm(p[1] - p[0])))
    return min(hs)


def _world_region(
    hom: np.ndarray, size: tuple[int, int]
) -> tuple[tuple[float, float, float, float], float]:
    w, h = size
    m = 0.03
    frame = np.array(
        [
            [x, y]
            for x in np.linspace(-m * w, (1 + m) * w, 5)
            for y in np.linspace(-m * h, (1 + m) * h, 5)
        ],
        np.float64,
    )
    inv = np.linalg.inv(hom)
    pts = apply(inv, frame)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    need = max(local_scale(hom, float(x), float(y)) for x, y in pts)
    d = min(need, math.sqrt(WORLD_BUDGET_PX / max((x1 - x0) * (y1 - y0), 1e-6)))
    return (float(x0), float(y0), float(x1), float(y1)), float(d)


def _quad_list(q: np.ndarray) -> tuple[tuple[float, float], ...]:
    return tuple((round(float(x), 2), round(float(y), 2)) for x, y in q)


def generate_scene(
    seed: int, difficulty: Difficulty, *, negative: bool = False, closeup: bool = False
) -> Scene:
    """Generate one synthetic rear-panel photo; deterministic in its arguments.  With
    ``closeup``, the same scene photographed from close up: the sticker fills a tenth to
    a third of the frame."""
    plan = make_plan(seed, difficulty, negative, closeup=closeup)
    return render_plan(plan)


def render_plan(plan: Plan) -> Scene:
    """Render a ``Plan`` into a ``Scene``."""
    seq = seed_sequence(plan.seed, plan.difficulty, plan.negative)
    rng_fit, rng_layout, rng_tex, rng_labels, rng_photo = (
        np.random.default_rng(s) for s in seq.spawn(6)[1:]
    )
    w, h = plan.size
    pose = Pose(
        pitch=plan.tilt * math.sin(math.radians(plan.tilt_dir)),
        yaw=plan.tilt * math.cos(math.radians(plan.tilt_dir)),
        roll=plan.rotation + (180.0 if plan.upside_down else 0.0),
        focal=max(w, h) * plan.focal_factor,
    )
    ph = plan.panel.height
    spec = plan.sticker
    sticker = _size(spec, ph)
    others = [_size(d, ph) for d in plan.distractors]
    # a negative may have a distractor exactly where the serial sticker would be
    slot_labels = [sticker] + (others[1:] if plan.filler_in_slot else others)
    sizes = [(p.w_mm, p.h_mm) for p in slot_labels]
    if plan.filler_in_slot and others:
        sizes[0] = (max(sticker.w_mm, others[0].w_mm), max(sticker.h_mm, others[0].h_mm))
    panel: Panel = build_panel(
        rng_layout, plan.panel, sizes, gravity=-1.0 if plan.upside_down else 1.0
    )
    sticker.centre = panel.slots[0]
    for i, p in enumerate(slot_labels[1:], start=1):
        p.centre = panel.slots[i]
    # big frames are composed at a working scale; digits must be legible there
    k = min(1.0, math.sqrt(WORK_MAX_PX / (w * h)))
    min_digit = MIN_DIGIT_PX / k
    hom, _, digit_est = _fit(plan, rng_fit, pose, sticker, min_digit)
    step = 0
    while digit_est < min_digit and step < 3 and not plan.negative:
        step += 1
        spec = _simplify(plan.sticker, step)
        centre = sticker.centre
        sticker = _size(spec, ph)
        sticker.centre = centre
        hom, _, digit_est = _fit(plan, rng_fit, pose, sticker, min_digit)
    if sticker.spec.dot_matrix and digit_est < 22:  # dots need room to stay legible
        sticker.spec = copy.deepcopy(sticker.spec)
        sticker.spec.dot_matrix = False
        spec = sticker.spec
    if plan.filler_in_slot and others:
        others[0].centre = sticker.centre
    ww, wh = (w, h) if k >= 1.0 else (round(w * k), round(h * k))
    to_work = np.diag([ww / w, wh / h, 1.0])
    to_out = np.diag([w / ww, h / wh, 1.0])
    hom_w = to_work @ hom
    region, d = _world_region(hom_w, (ww, wh))
    world = render_world(panel, region, d, rng_tex)
    to_canvas = np.array([[1 / d, 0, region[0]], [0, 1 / d, region[1]], [0, 0, 1.0]])
    img = cv2.warpPerspective(
        world.img,
        hom_w @ to_canvas,
        (ww, wh),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REFLECT,
    )
    img = np.ascontiguousarray(img)
    distractor_info = []
    for p in others:
        info = p.spec.summary()
        drawn_label = _draw_label(img, rng_labels, hom_w, p, d, digit_floor=0.0)
        info["visible"] = "none" if drawn_label is None else _visibility(drawn_label[0], ww, wh)
        distractor_info.append(info)
    quad_w: np.ndarray | None = None
    digits_w: np.ndarray | None = None
    contrast = 255.0
    if not plan.negative:
        drawn = _draw_label(img, rng_labels, hom_w, sticker, d, digit_floor=16.0)
        if drawn is None:
            raise RuntimeError("serial sticker fell outside the frame")
        quad_w, digits_w, contrast = drawn
    cables = draw_cables(img, rng_labels, hom_w, panel.sockets, plan.cables, digits_w)
    sticker_w = quad_w if quad_w is not None else apply(hom_w, sticker.corners())
    digit_w = _measure_digits(digits_w) if digits_w is not None else digit_est * k
    out, applied = develop(
        img,
        plan.photo,
        rng_photo,
        digits=digits_w,
        sticker=sticker_w,
        digit_px=digit_w,
        contrast=contrast,
    )
    quad = None if quad_w is None else apply(to_out, quad_w)
    digits = None if digits_w is None else apply(to_out, digits_w)
    digit_px = _measure_digits(digits) if digits is not None else digit_est
    if k < 1.0:
        out = upscale(out, (w, h), plan.photo.sharpen)
    applied["working_scale"] = round(k, 4)
    description = _describe(
        plan,
        spec,
        sticker,
        pose,
        hom,
        quad,
        digits,
        digit_px,
        d,
        panel,
        distractor_info,
        cables,
        applied,
        contrast,
    )
    return Scene(
        image=out,
        serial=plan.serial,
        difficulty=plan.difficulty,
        seed=plan.seed,
        label_quad=None if quad is None else _quad_list(quad),
        exif_orientation=plan.exif_orientation,
        description=description,
    )


def _draw_label(
    img: np.ndarray,
    rng: np.random.Generator,
    hom: np.ndarray,
    placed: Placed,
    d: float,
    *,
    digit_floor: float,
) -> tuple[np.ndarray, np.ndarray | None, float] | None:
    """Render a label at a density matching the world (or finer when its
    digits need it) and composite it; returns (quad, digit quad) in px."""
    cx, cy = placed.centre
    out_scale = local_scale(hom, cx, cy)
    ds = max(d, 3.0)
    if digit_floor > 0 and placed.digit_mm() > 0:
        ds = max(ds, digit_floor / placed.digit_mm())
    ds = min(ds, max(out_scale * 1.5, d), 3000.0 / placed.w_mm)
    quad = apply(hom, placed.corners())
    h, w = img.shape[:2]
    if quad[:, 0].max() < 0 or quad[:, 1].max() < 0 or quad[:, 0].min() > w or quad[:, 1].min() > h:
        return None
    rend = render_label(placed.spec, placed.lay, placed.w_mm * ds, rng)
    lh, lw = rend.rgba.shape[:2]
    hom_label = hom @ placed.placement(lw - 2 * SHADOW_MARGIN, lh - 2 * SHADOW_MARGIN)
    warp_into(img, rend.rgba, hom_label)
    quad = apply(hom_label, rend.corners - 0.5)
    digits = None
    if rend.digit_box is not None:
        x0, y0, x1, y1 = rend.digit_box
        digits = apply(
            hom_label, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64) - 0.5
        )
    return quad, digits, rend.digit_contrast


def _visibility(quad: np.ndarray, w: int, h: int) -> str:
    inside = bool(
        quad[:, 0].min() >= 0
        and quad[:, 1].min() >= 0
        and quad[:, 0].max() <= w
        and quad[:, 1].max() <= h
    )
    return "full" if inside else "partial"


def _measure_digits(q: np.ndarray) -> float:
    return float(min(np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1])))


def _describe(
    plan: Plan,
    spec: LabelSpec,
    sticker: Placed,
    pose: Pose,
    hom: np.ndarray,
    quad: np.ndarray | None,
    digits: np.ndarray | None,
    digit_px: float,
    d: float,
    panel: Panel,
    distractors: list[dict[str, object]],
    cables: list[dict[str, object]],
    applied: dict[str, object],
    contrast: float,
) -> dict[str, object]:
    w, h = plan.size
    q = quad if quad is not None else apply(hom, sticker.corners())
    area = polygon_area(q) / (w * h)
    photo = plan.photo.summary()
    photo.update(applied)
    sticker_info = spec.summary()
    sticker_info.update(
        {
            "wording": plan.wording,
            "aspect": round(sticker.lay.aspect, 3),
            "size_mm": [round(sticker.w_mm, 1), round(sticker.h_mm, 1)],
            "digit_height_px": round(digit_px, 1),
            "digits_quad": None if digits is None else [list(p) for p in _quad_list(digits)],
            "drawn": not plan.negative,
        }
    )
    return {
        "generator": "scenegen",
        "negative": plan.negative,
        "closeup": plan.closeup,
        "frame": [w, h],
        "portrait": h > w,
        "style": None if plan.negative else spec.style,
        "wording": None if plan.negative else plan.wording,
        "font": None if plan.negative else spec.font.name,
        "area_fraction": None if plan.negative else round(area, 5),
        "tilt_deg": round(tilt_of(pose), 2),
        "rotation_deg": round(plan.rotation, 2),
        "upside_down": plan.upside_down,
        "blur_sigma_px": photo["blur_sigma_px"],
        "motion_blur_px": photo["motion_blur_px"],
        "noise_sigma": photo["noise_sigma"],
        "print_contrast": None if plan.negative else round(contrast, 1),
        "glare": photo["glare"],
        "jpeg_quality": plan.photo.jpeg_quality,
        "exif_orientation": plan.exif_orientation,
        "sticker": None if plan.negative else sticker_info,
        "framing_sticker": sticker_info if plan.negative else None,
        "camera": {
            "pitch_deg": round(pose.pitch, 2),
            "yaw_deg": round(pose.yaw, 2),
            "roll_deg": round(pose.roll, 2),
            "focal_px": round(pose.focal, 1),
            "homography_mm_to_px": [[round(float(v), 6) for v in row] for row in hom],
        },
        "panel": {
            **plan.panel.summary(),
            "groups": panel.groups,
            "length_mm": round(panel.length, 1),
        },
        "distractors": distractors,
        "filler_in_serial_slot": plan.filler_in_slot,
        "cables": cables,
        "photo": photo,
        "world_px_per_mm": round(d, 3),
    }
