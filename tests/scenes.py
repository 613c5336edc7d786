"""Generated back-panel photos read end to end, for tests that need the real Tesseract."""

from __future__ import annotations

from pathlib import Path

from scenegen import generate_scene, write_scene
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner, ScanResult


def scan_generated(seed: int, difficulty: str, serial: str, folder: Path) -> ScanResult:
    """Scan the scene generator's photo of ``seed`` and ``difficulty``, written as a JPEG
    into ``folder``, after checking that its sticker carries ``serial``."""
    scene = generate_scene(seed, difficulty)  # type: ignore[arg-type]
    assert scene.serial == serial
    photo = folder / "photo.jpg"
    write_scene(scene, photo)
    return Scanner(ScanOptions()).scan(photo)
