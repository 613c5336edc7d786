"""Pinhole-camera geometry: homographies from the panel plane (mm) to the photo.

The plane is rotated about the sticker's centre (out-of-plane tilt, then
in-plane roll, plus 180 degrees when the panel is upside down) and placed at
distance ``z`` in front of a camera with focal length ``f`` px and principal
point at the frame centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, slots=True)
class Pose:
    """Camera pose relative to the plane, in degrees and pixels."""

    pitch: float
    yaw: float
    roll: float  # in-plane rotation including the upside-down 180
    focal: float


def rotation(pitch: float, yaw: float, roll: float) -> np.ndarray:
    """3x3 rotation R = Rz(roll) @ Rx(pitch) @ Ry(yaw) (degrees)."""
    p, y, r = (math.radians(v) for v in (pitch, yaw, roll))
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return np.asarray(rz @ rx @ ry, np.float64)


def tilt_of(pose: Pose) -> float:
    """Angle in degrees between the plane normal and the optical axis."""
    rot = rotation(pose.pitch, pose.yaw, pose.roll)
    return math.degrees(math.acos(max(-1.0, min(1.0, float(rot[2, 2])))))


def plane_homography(
    pose: Pose,
    size: tuple[int, int],
    anchor_mm: tuple[float, float],
    anchor_px: tuple[float, float],
    z: float,
) -> np.ndarray:
    """Homography world-mm -> image-px putting ``anchor_mm`` at ``anchor_px``."""
    w, h = size
    f = pose.focal
    cx, cy = w / 2.0, h / 2.0
    rot = rotation(pose.pitch, pose.yaw, pose.roll)
    t = np.array([(anchor_px[0] - cx) * z / f, (anchor_px[1] - cy) * z / f, z])
    k = np.array([[f, 0, cx], [0, f, cy], [0, 0, 1.0]])
    m = np.column_stack([rot[:, 0], rot[:, 1], t])
    shift = np.array([[1, 0, -anchor_mm[0]], [0, 1, -anchor_mm[1]], [0, 0, 1.0]])
    hom = k @ m @ shift
    return np.asarray(hom / hom[2, 2], np.float64)


def apply(hom: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Map (N, 2) points through a homography."""
    p = np.asarray(pts, np.float64).reshape(-1, 2)
    q = np.column_stack([p, np.ones(len(p))]) @ hom.T
    return np.asarray(q[:, :2] / q[:, 2:3], np.float64)


def polygon_area(pts: np.ndarray) -> float:
    """Signed-free shoelace area of a polygon."""
    x, y = pts[:, 0], pts[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def local_scale(hom: np.ndarray, x: float, y: float) -> float:
    """Output px per world unit near (x, y) (square root of the Jacobian determinant)."""
    e = 0.5
    p = apply(hom, np.array([[x, y], [x + e, y], [x, y + e]]))
    jx, jy = (p[1] - p[0]) / e, (p[2] - p[0]) / e
    return math.sqrt(abs(jx[0] * jy[1] - jx[1] * jy[0]))


def translate(dx: float, dy: float) -> np.ndarray:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1.0]])


def scale(s: float) -> np.ndarray:
    return np.array([[s, 0, 0], [0, s, 0], [0, 0, 1.0]])


def warp_into(
    dst: np.ndarray, src_rgba: np.ndarray, hom: np.ndarray, *, mask_out: np.ndarray | None = None
) -> tuple[int, int, int, int] | None:
    """Alpha-composite ``src_rgba`` (uint8 RGBA) into ``dst`` (uint8 RGB) through ``hom``.

    Only the bounding box of the warped source is processed.  Returns that box
    (x0, y0, x1, y1) or None when it misses the frame.
    """
    sh, sw = src_rgba.shape[:2]
    corners = apply(hom, np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float64))
    dh, dw = dst.shape[:2]
    x0 = max(0, math.floor(corners[:, 0].min()) - 2)
    y0 = max(0, math.floor(corners[:, 1].min()) - 2)
    x1 = min(dw, math.ceil(corners[:, 0].max()) + 2)
    y1 = min(dh, math.ceil(corners[:, 1].max()) + 2)
    if x1 <= x0 or y1 <= y0:
        return None
    local = translate(-x0, -y0) @ hom
    src: np.ndarray = src_rgba.astype(np.float32)
    src[..., :3] *= src[..., 3:4] / 255.0  # premultiply
    flags = cv2.INTER_AREA if local_scale(local, sw / 2, sh / 2) < 0.7 else cv2.INTER_LINEAR
    if flags == cv2.INTER_AREA:
        # warpPerspective has no area filter: pre-shrink the source instead
        k = max(0.05, local_scale(local, sw / 2, sh / 2) * 1.25)
        small = cv2.resize(
            src, (max(2, round(sw * k)), max(2, round(sh * k))), interpolation=cv2.INTER_AREA
        )
        local = local @ scale(sw / small.shape[1])
        src = np.asarray(small, np.float32)
        flags = cv2.INTER_LINEAR
    out = cv2.warpPerspective(
        src,
        local,
        (x1 - x0, y1 - y0),
        flags=flags,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0, 0),
    )
    a = out[..., 3:4] / 255.0
    region = dst[y0:y1, x0:x1].astype(np.float32)
    region = out[..., :3] + region * (1.0 - a)
    dst[y0:y1, x0:x1] = np.clip(region, 0, 255).astype(np.uint8)
    if mask_out is not None:
        np.maximum(
            mask_out[y0:y1, x0:x1], (a[..., 0] * 255).astype(np.uint8), out=mask_out[y0:y1, x0:x1]
        )
    return x0, y0, x1, y1
