"""Which photo files a command's arguments stand for: files as given, folders expanded.

A folder stands for the photo files in it and in its subfolders, found by their file name
ending.  Symbolic links are followed, but no folder is listed twice, so a link loop ends
the walk instead of running forever.  Nothing is dropped without a trace: a folder that
cannot be listed, or a folder argument with no photos at all, is returned with the problem,
so the batch can report it as a row.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".mpo", ".png", ".webp", ".tif", ".tiff",
                            ".bmp", ".gif", ".heic", ".heif"})
"""File name endings (compared in lower case) taken as photos when a folder is expanded."""


@dataclass(frozen=True, slots=True)
class PhotoFile:
    """One photo to read, or a place that should have given photos and could not."""

    path: Path
    problem: str | None = None
    """Why ``path`` gives nothing to read (a folder that cannot be listed, or one with no
    photos); ``None`` for a photo to read."""

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "problem": self.problem}


def find_photos(arguments: Iterable[Path]) -> list[PhotoFile]:
    """Each argument in order; a folder is replaced by the photo files below it.

    Arguments that are not folders are kept as given, whatever their name, even when they
    do not exist: reading them reports the problem.  In a folder, names starting with a
    dot (hidden files, macOS ``._`` companions) and files with other endings are skipped;
    the rest come folder by folder, in name order.
    """
    found: list[PhotoFile] = []
    for argument in arguments:
        if not argument.is_dir():
            found.append(PhotoFile(argument))
            continue
        photos = _photos_below(argument)
        if not photos:
            photos = [PhotoFile(argument, "no photo files in this folder or below it "
                                f"(looked for {', '.join(sorted(PHOTO_SUFFIXES))})")]
        found += photos
    return found


def _photos_below(top: Path) -> list[PhotoFile]:
    found: list[PhotoFile] = []
    listed: set[tuple[int, int]] = set()
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            status = folder.stat()
            identity = (status.st_dev, status.st_ino)
            if identity in listed:
                log.info("%s: skipped, the folder was already listed (a link loop?)", folder)
                continue
            listed.add(identity)
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            found.append(PhotoFile(folder, f"the folder cannot be read "
                                   f"({error.strerror or error}); the photos in it were not "
                                   "scanned"))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_folder(entry):
                subfolders.append(Path(entry.path))
            elif Path(entry.name).suffix.lower() in PHOTO_SUFFIXES:
                found.append(PhotoFile(Path(entry.path)))
        pending += reversed(subfolders)
    return found


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link to itself or one too deep: not a folder to walk
        return False
