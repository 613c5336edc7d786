"""What the phone camera does to the composed scene: uneven light, shadows,
specular glare, colour cast, defocus / motion blur, sensor noise, sharpening
and JPEG re-compression.

The serial digits' quadrilateral is passed in so that blur and glare stay
within what keeps the digits legible to a human.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from scenegen.scene import Difficulty
from scenegen.texture import grain

LOWRES = 64  # long side of the smooth lighting field
QUARTER = 4  # glare and light fields are built at 1/QUARTER resolution
LUMA = np.asarray([0.299, 0.587, 0.114], np.float32)


def _quarter(w: int, h: int) -> tuple[int, int]:
    return max(8, w // QUARTER), max(8, h // QUARTER)


@dataclass(slots=True)
class PhotoParams:
    """Sampled camera/ISP settings (see ``sample_photo``)."""

    blur_sigma: float
    motion_len: float
    motion_angle: float
    dof: float  # extra depth-of-field blur towards one side (sigma px, 0: none)
    soft: float  # downscale factor for a soft, re-upscaled look (1: none)
    noise: float  # luminance noise sigma at mid grey (levels)
    chroma: float
    coarse_noise: bool
    vignette: float
    gradient: tuple[float, float]
    exposure: float
    gamma: float
    shadow: float
    glare: str  # "none" | "away" | "near" | "partial"
    glare_peak: float
    wb: tuple[float, float, float]
    saturation: float
    sharpen: float
    recompress: int  # JPEG quality of an earlier re-upload (0: none)
    jpeg_quality: int
    ae_target: float  # auto-exposure target mean grey level
    ae_strength: float  # 0: fixed exposure .. 1: full auto-exposure

    def summary(self) -> dict[str, object]:
        return {
            "blur_sigma_px": round(self.blur_sigma, 2),
            "motion_blur_px": round(self.motion_len, 2),
            "motion_angle_deg": round(self.motion_angle, 1),
            "depth_of_field_sigma_px": round(self.dof, 2),
            "soft_resample": round(self.soft, 3),
            "noise_sigma": round(self.noise, 2),
            "chroma_noise": round(self.chroma, 2),
            "vignette": round(self.vignette, 3),
            "light_gradient": [round(self.gradient[0], 3), round(self.gradient[1], 3)],
            "exposure": round(self.exposure, 3),
            "gamma": round(self.gamma, 3),
            "shadow": round(self.shadow, 3),
            "glare": self.glare,
            "glare_peak": round(self.glare_peak, 3),
            "white_balance": [round(g, 3) for g in self.wb],
            "saturation": round(self.saturation, 3),
            "sharpen": round(self.sharpen, 3),
            "recompressed_quality": self.recompress or None,
            "jpeg_quality": self.jpeg_quality,
            "auto_exposure_target": round(self.ae_target, 1),
        }


def sample_photo(rng: np.random.Generator, difficulty: Difficulty) -> PhotoParams:
    """Camera settings for one scene; ranges grow with difficulty."""
    lvl = {"easy": 0, "medium": 1, "hard": 2}[difficulty]
    blur = float(rng.uniform(0.0, (0.8, 1.5, 2.2)[lvl]))
    motion = (
        float(rng.uniform(1.5, (3.0, 5.0, 8.0)[lvl]))
        if rng.random() < (0.1, 0.3, 0.45)[lvl]
        else 0.0
    )
    glare_modes = (
        ("none", "away"),
        ("none", "away", "near"),
        ("none", "away", "near", "partial", "partial"),
    )[lvl]
    glare_p = ((0.7, 0.3), (0.45, 0.3, 0.25), (0.2, 0.2, 0.25, 0.2, 0.15))[lvl]
    cast = (0.04, 0.08, 0.12)[lvl]
    return PhotoParams(
        blur_sigma=blur,
        motion_len=motion,
        motion_angle=float(rng.uniform(0, 180)),
        dof=float(rng.uniform(1.0, 4.0)) if rng.random() < 0.3 else 0.0,
        soft=float(rng.uniform(0.5, 0.85)) if rng.random() < 0.2 else 1.0,
        noise=float(rng.uniform(*((1.0, 3.0), (2.0, 6.0), (4.0, 10.0))[lvl])),
        chroma=float(rng.uniform(0.2, 0.8)),
        coarse_noise=bool(rng.random() < 0.5),
        vignette=float(rng.uniform(0.0, (0.25, 0.4, 0.55)[lvl])),
        gradient=(
            float(rng.uniform(-0.3, 0.3)) * (1 + lvl) / 2,
            float(rng.uniform(-0.3, 0.3)) * (1 + lvl) / 2,
        ),
        exposure=float(rng.uniform(*((0.9, 1.2), (0.75, 1.3), (0.6, 1.35))[lvl])),
        gamma=float(rng.uniform(0.85, 1.15)),
        shadow=float(rng.uniform(0.2, (0.35, 0.5, 0.6)[lvl]))
        if rng.random() < (0.15, 0.3, 0.4)[lvl]
        else 0.0,
        glare=str(rng.choice(glare_modes, p=glare_p)),
        glare_peak=float(rng.uniform(0.35, 0.95)),
        wb=(
            1.0 + float(rng.uniform(-cast, cast)),
            1.0 + float(rng.uniform(-cast, cast) / 2),
            1.0 + float(rng.uniform(-cast, cast)),
        ),
        saturation=float(rng.uniform(0.8, 1.2)),
        sharpen=float(rng.uniform(0.3, 1.2)) if rng.random() < 0.35 else 0.0,
        recompress=int(rng.integers(60, 92)) if rng.random() < 0.25 else 0,
        jpeg_quality=int(rng.integers(*((80, 96), (65, 93), (50, 81))[lvl])),
        ae_target=float(rng.uniform(70, 120)),
        ae_strength=float(rng.uniform(0.3, 0.8)),
    )


def _low_grid(w: int, h: int) -> tuple[int, int, np.ndarray, np.ndarray]:
    gw, gh = (
        (LOWRES, max(8, round(LOWRES * h / w)))
        if w >= h
        else (max(8, round(LOWRES * w / h)), LOWRES)
    )
    xs = np.linspace(-1, 1, gw, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, gh, dtype=np.float32)[:, None]
    return gw, gh, xs, ys


def _gain_low(p: PhotoParams, rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Smooth exposure field (vignette, light gradient, soft shadow) at low resolution."""
    gw, gh, xs, ys = _low_grid(w, h)
    cx, cy = (float(v) for v in rng.uniform(-0.3, 0.3, 2))
    r2 = (xs - cx) ** 2 * (w / max(w, h)) ** 2 + (ys - cy) ** 2 * (h / max(w, h)) ** 2
    gain = (1.0 - p.vignette * r2) * (1.0 + p.gradient[0] * xs + p.gradient[1] * ys) * p.exposure
    if p.shadow > 0:
        mask = np.zeros((gh, gw), np.float32)
        side = int(rng.integers(4))
        depth = float(rng.uniform(0.2, 0.5))
        pts = _shadow_polygon(rng, side, depth, gw, gh)
        cv2.fillPoly(mask, [pts], 1.0, cv2.LINE_AA)
        mask = np.asarray(cv2.GaussianBlur(mask, (0, 0), float(rng.uniform(1.0, 4.0))), np.float32)
        gain = gain * (1.0 - p.shadow * mask)
    return np.clip(gain, 0.3, 1.6).astype(np.float32)


def _shadow_polygon(
    rng: np.random.Generator, side: int, depth: float, gw: int, gh: int
) -> np.ndarray:
    """A blobby shadow (hand, phone, person) entering from one side."""
    n = 7
    t = np.linspace(0, 1, n)
    wob = rng.uniform(-0.08, 0.08, n)
    if side == 0:
        edge = [(x * gw, (depth + wob[i]) * gh) for i, x in enumerate(t)]
        poly = [(0.0, 0.0), *edge, (float(gw), 0.0)]
    elif side == 1:
        edge = [(x * gw, (1 - depth + wob[i]) * gh) for i, x in enumerate(t)]
        poly = [(0.0, float(gh)), *edge, (float(gw), float(gh))]
    elif side == 2:
        edge = [((depth + wob[i]) * gw, y * gh) for i, y in enumerate(t)]
        poly = [(0.0, 0.0), *edge, (0.0, float(gh))]
    else:
        edge = [((1 - depth + wob[i]) * gw, y * gh) for i, y in enumerate(t)]
        poly = [(float(gw), 0.0), *edge, (float(gw), float(gh))]
    return np.round(np.array(poly)).astype(np.int32)


def _glare_map(
    p: PhotoParams,
    rng: np.random.Generator,
    w: int,
    h: int,
    digits: np.ndarray | None,
    sticker: np.ndarray | None,
) -> np.ndarray | None:
    """Specular highlights (quarter resolution), kept off most of the digits."""
    if p.glare == "none":
        return None
    q = QUARTER
    gw, gh = _quarter(w, h)
    diag = math.hypot(gw, gh)
    dmask = np.zeros((gh, gw), np.float32)
    if digits is not None:
        cv2.fillPoly(dmask, [np.round(digits / q).astype(np.int32)], 1.0)
    darea = max(1.0, float(dmask.sum()))
    allowed = {"away": 0.0, "near": 0.05, "partial": 0.35}[p.glare]
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    total = np.zeros((gh, gw), np.float32)
    n_blobs = int(rng.integers(1, 4))
    for k in range(n_blobs):
        for _attempt in range(12):
            if k == 0 and sticker is not None and p.glare in ("near", "partial"):
                c = sticker.mean(axis=0) / q
                span = float(np.ptp(sticker[:, 0]) / q)
                cx = float(c[0] + rng.normal(0, 0.5) * span)
                cy = float(c[1] + rng.normal(0, 0.4) * span)
            else:
                cx, cy = float(rng.uniform(0, gw)), float(rng.uniform(0, gh))
            small = rng.random() < 0.5
            sx = diag * (
                float(rng.uniform(0.005, 0.025)) if small else float(rng.uniform(0.03, 0.12))
            )
            sy = sx * float(rng.uniform(0.3, 1.0))
            ang = float(rng.uniform(0, math.pi))
            dx, dy = xx - cx, yy - cy
            u = dx * math.cos(ang) + dy * math.sin(ang)
            v = -dx * math.sin(ang) + dy * math.cos(ang)
            peak = p.glare_peak * (1.0 if small else 0.6)
            blob = (peak * np.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2))).astype(np.float32)
            cand = np.maximum(total, blob)
            over = float((cand * dmask > 0.45).sum()) / darea
            if digits is None or over <= allowed:
                total = cand
                break
    if digits is not None:  # never wash the digits out completely
        cap = np.where(dmask > 0, np.minimum(total, 0.6), total)
        total = np.asarray(cv2.GaussianBlur(cap, (0, 0), 1.0), np.float32)
    return total


def _motion_kernel(length: float, angle: float) -> np.ndarray:
    n = max(3, math.ceil(length) | 1)
    k = np.zeros((n, n), np.float32)
    c = n // 2
    dx, dy = math.cos(math.radians(angle)) * length / 2, math.sin(math.radians(angle)) * length / 2
    cv2.line(
        k,
        (round((c - dx) * 16), round((c - dy) * 16)),
        (round((c + dx) * 16), round((c + dy) * 16)),
        1.0,
        1,
        cv2.LINE_AA,
        4,
    )
    return np.asarray(k / max(float(k.sum()), 1e-6), np.float32)


def develop(
    img: np.ndarray,
    p: PhotoParams,
    rng: np.random.Generator,
    *,
    digits: np.ndarray | None,
    sticker: np.ndarray | None,
    digit_px: float,
    contrast: float,
) -> tuple[np.ndarray, dict[str, object]]:
    """Apply the camera model to a uint8 RGB image; returns it and what was applied.

    ``digit_px`` and ``contrast`` (ink vs background levels) of the serial
    digits bound the blur and noise so that the digits stay legible.
    """
    h, w = img.shape[:2]
    applied: dict[str, object] = {}
    qw, qh = _quarter(w, h)
    gain = cv2.resize(_gain_low(p, rng, w, h), (qw, qh), interpolation=cv2.INTER_CUBIC)
    # phone auto-exposure: dark scenes (black panels) get lifted towards mid grey
    small = cv2.resize(img, (qw, qh), interpolation=cv2.INTER_AREA)
    mean = float(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).mean()) + 1.0
    ae = float(np.clip((p.ae_target / mean) ** p.ae_strength, 0.8, 2.0))
    gain = np.asarray(gain * np.float32(ae), np.float32)
    applied["auto_exposure_gain"] = round(ae, 3)
    glare = _glare_map(p, rng, w, h, digits, sticker)
    if glare is not None and sticker is not None:
        smask = np.zeros((qh, qw), np.uint8)
        cv2.fillPoly(smask, [np.round(sticker / QUARTER).astype(np.int32)], 1)
        applied["glare_max_on_sticker"] = round(
            float(glare[smask > 0].max()) if smask.any() else 0.0, 3
        )
        if digits is not None:
            dm = np.zeros((qh, qw), np.uint8)
            cv2.fillPoly(dm, [np.round(digits / QUARTER).astype(np.int32)], 1)
            applied["glare_on_digits"] = round(
                float((glare[dm > 0] > 0.3).mean()) if dm.any() else 0.0, 3
            )
    wb = np.asarray(p.wb, np.float32)
    mul = gain[..., None] * wb
    if glare is not None:
        mul *= (1.0 - glare)[..., None]
    if digits is not None:  # light on the digits: never so dim that they drown in noise
        dmask = np.zeros((qh, qw), np.uint8)
        cv2.fillPoly(dmask, [np.round(digits / QUARTER).astype(np.int32)], 1)
        at = float(mul[dmask > 0].mean()) if dmask.any() else float(mul.mean())
        if at < 0.6:
            mul *= np.float32(0.6 / max(at, 1e-3))
            at = 0.6
        contrast *= min(at, 1.0)
    applied["digit_contrast"] = round(contrast, 1)
    f = img.astype(np.float32)
    cv2.multiply(f, cv2.resize(mul, (w, h), interpolation=cv2.INTER_LINEAR), dst=f)
    # additive light: glare, plus blotchy chroma noise (low-frequency, so it can join here)
    add = np.zeros((qh, qw, 3), np.float32)
    if glare is not None:
        add += glare[..., None] * (np.asarray([255.0, 252.0, 245.0], np.float32) * wb)
    if p.chroma > 0:
        add += rng.standard_normal((qh, qw, 3), dtype=np.float32) * np.float32(
            min(p.noise, contrast / 8.0) * p.chroma
        )
    if glare is not None or p.chroma > 0:
        cv2.add(f, cv2.resize(add, (w, h), interpolation=cv2.INTER_LINEAR), dst=f)
    blur = _blur_budget(p, rng, w, h, digits, digit_px, contrast)
    if blur.soft < 0.97:
        small = cv2.resize(
            f,
            (max(8, round(w * blur.soft)), max(8, round(h * blur.soft))),
            interpolation=cv2.INTER_AREA,
        )
        f = np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), np.float32)
    if blur.sigma > 0.3:
        f = np.asarray(cv2.GaussianBlur(f, (0, 0), blur.sigma), np.float32)
    if blur.motion >= 1.5:
        f = np.asarray(cv2.filter2D(f, -1, _motion_kernel(blur.motion, p.motion_angle)), np.float32)
    if blur.dof > 0.3 and blur.ramp is not None:
        ramp = cv2.resize(blur.ramp, (w, h), interpolation=cv2.INTER_LINEAR)
        blurred = cv2.GaussianBlur(f, (0, 0), blur.dof)
        f = np.asarray(f + (blurred - f) * ramp[..., None], np.float32)
    applied["blur_sigma_px"] = round(blur.sigma, 2)
    applied["motion_blur_px"] = round(blur.motion if blur.motion >= 1.5 else 0.0, 2)
    applied["depth_of_field_sigma_px"] = round(blur.dof, 2)
    applied["soft_resample"] = round(blur.soft, 3)
    applied["effective_digit_blur_px"] = round(blur.total, 2)
    noise = min(p.noise, max(1.0, contrast / 8.0))
    applied["noise_sigma"] = round(noise, 2)
    gray = cv2.cvtColor(f, cv2.COLOR_RGB2GRAY)
    if abs(p.saturation - 1.0) > 0.02:
        grey3 = cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)
        f = np.asarray(cv2.addWeighted(f, p.saturation, grey3, 1.0 - p.saturation, 0.0), np.float32)
    _noise(f, gray, noise, p.coarse_noise, rng)
    # tone curve: highlight roll-off (when exposure was lifted or glare added) and gamma,
    # applied as one 8-bit lookup; with roll-off the float image is stored at half scale
    rolloff = ae > 1.05 or glare is not None
    out = cv2.convertScaleAbs(f, alpha=0.5 if rolloff else 1.0)
    if rolloff or abs(p.gamma - 1.0) > 0.01:
        out = cv2.LUT(out, _tone_lut(p.gamma, rolloff))
    if p.sharpen > 0:
        out = cv2.addWeighted(out, 1 + p.sharpen, cv2.GaussianBlur(out, (0, 0), 1.2), -p.sharpen, 0)
    if p.recompress:
        ok, buf = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, p.recompress])
        if ok:
            out = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR), np.uint8)[..., ::-1]
    return np.ascontiguousarray(out), applied


@dataclass(frozen=True, slots=True)
class _Blur:
    sigma: float
    motion: float
    soft: float
    dof: float
    ramp: np.ndarray | None
    total: float


def _blur_budget(
    p: PhotoParams,
    rng: np.random.Generator,
    w: int,
    h: int,
    digits: np.ndarray | None,
    digit_px: float,
    contrast: float,
) -> _Blur:
    """Scale all blur sources down together until the digits' combined blur fits.

    The budget is a fraction of the digit height, smaller for faint print.
    """
    ramp: np.ndarray | None = None
    at = 0.0
    if p.dof > 0:
        gw, gh, xs, ys = _low_grid(w, h)
        ang = float(rng.uniform(0, 2 * math.pi))
        ramp = np.ascontiguousarray(
            np.broadcast_to(np.clip(xs * math.cos(ang) + ys * math.sin(ang), 0, 1), (gh, gw)),
            np.float32,
        )
        if digits is not None:
            c = digits.mean(axis=0)
            gx = int(np.clip(c[0] / w * gw, 0, gw - 1))
            gy = int(np.clip(c[1] / h * gh, 0, gh - 1))
            at = float(ramp[gy, gx])
    soft_sigma = 0.7 * (1.0 / p.soft - 1.0)
    parts = np.array([p.blur_sigma, p.motion_len / math.sqrt(12.0), soft_sigma, p.dof * at])
    total = float(np.sqrt((parts**2).sum()))
    budget = max(0.4, 0.055 * digit_px * float(np.clip(contrast / 80.0, 0.5, 1.0)))
    k = min(1.0, budget / total) if total > 0 else 1.0
    soft = 1.0 / (1.0 + soft_sigma * k / 0.7)
    return _Blur(
        p.blur_sigma * k, p.motion_len * k, soft, p.dof * k if at > 0 else p.dof, ramp, total * k
    )


def _tone_lut(gamma: float, rolloff: bool, knee: float = 190.0, span: float = 90.0) -> np.ndarray:
    """8-bit lookup: optional phone-style highlight roll-off (input at half scale), then gamma."""
    x = np.arange(256, dtype=np.float64) * (2.0 if rolloff else 1.0)
    if rolloff:
        over = np.maximum(x - knee, 0.0)
        x = np.minimum(x, knee) + over / (1.0 + over / span)
    y = (np.clip(x, 0, 255) / 255.0) ** gamma * 255.0
    return np.asarray(np.round(y), np.uint8)


def _noise(
    f: np.ndarray, gray: np.ndarray, level: float, coarse: bool, rng: np.random.Generator
) -> None:
    """Signal-dependent luminance noise (``level`` at mid grey), in place."""
    h, w = f.shape[:2]
    sigma = cv2.sqrt(np.maximum(gray, 0.0) * np.float32(1.0 / 128.0))
    sigma = cv2.scaleAdd(sigma, 0.55 * level, np.full_like(sigma, 0.45 * level))
    n = grain(rng, h, w, blur=0.8 if coarse else 0.0)
    cv2.multiply(n, sigma, dst=n)
    cv2.add(f, cv2.cvtColor(n, cv2.COLOR_GRAY2RGB), dst=f)


def upscale(img: np.ndarray, size: tuple[int, int], sharpen: float) -> np.ndarray:
    """Upscale a working-resolution photo to the output size the way a phone
    interpolates and sharpens its 12 MP output."""
    big = cv2.resize(img, size, interpolation=cv2.INTER_LINEAR)
    amount = 0.35 + 0.5 * sharpen
    blurred = cv2.GaussianBlur(big, (0, 0), 1.6)
    return np.asarray(cv2.addWeighted(big, 1 + amount, blurred, -amount, 0), np.uint8)
