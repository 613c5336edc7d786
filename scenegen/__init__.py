"""Seeded synthetic photos of Korg M1 / M1R rear panels with serial stickers, and of the
other things a listing shows (the front, the keys, the box, the synth on a stand).

    from pathlib import Path
    from scenegen import generate_listing_shot, generate_scene, write_scene

    scene = generate_scene(7, "medium")          # deterministic in (seed, difficulty, negative)
    write_scene(scene, Path("out.jpg"))          # JPEG/PNG with the scene's EXIF orientation
    near = generate_scene(7, "medium", closeup=True)  # the same scene, close up on the sticker
    shot = generate_listing_shot(7, "medium")    # no sticker: front, keys, box or room

``python -m scenegen --help`` writes batches with a golden.json.
"""

from scenegen.generate import generate_scene
from scenegen.listing_shots import LISTING_SHOT_KINDS, ListingShotKind, generate_listing_shot
from scenegen.scene import Difficulty, Scene
from scenegen.writer import write_scene

__all__ = [
    "LISTING_SHOT_KINDS",
    "Difficulty",
    "ListingShotKind",
    "Scene",
    "generate_listing_shot",
    "generate_scene",
    "write_scene",
]
