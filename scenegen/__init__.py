"""Seeded synthetic photos of Korg M1 / M1R rear panels with serial stickers.

    from pathlib import Path
    from scenegen import generate_scene, write_scene

    scene = generate_scene(7, "medium")          # deterministic in (seed, difficulty, negative)
    write_scene(scene, Path("out.jpg"))          # JPEG/PNG with the scene's EXIF orientation

``python -m scenegen --help`` writes batches with a golden.json.
"""

from scenegen.generate import generate_scene
from scenegen.scene import Difficulty, Scene
from scenegen.writer import write_scene

__all__ = ["Difficulty", "Scene", "generate_scene", "write_scene"]
