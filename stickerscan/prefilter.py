"""A cheap look before the full read: does the photo show anything that could be a serial?

Most listing photos show the front, the keys or the box.  The full reader tries every
candidate region several ways (both ways up, two text sizes, each number re-read on its
own) before it says "no label"; that is what makes a photo without a label the most
expensive kind.  This check reads each candidate once, small and coarse, and keeps the
photo when any candidate shows a run of digits or serial wording.  It is tuned to let
every real label through: a photo it keeps is read in full, so a false alarm only costs
time, while a photo it rejects is never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from stickerscan.enhance import TEXT_HEIGHTS, enhance_region
from stickerscan.load import LoadedImage
from stickerscan.locate import LocatedLabels
from stickerscan.ocr import OcrEngine
from stickerscan.ocr.engine import OcrRequest

# The smaller of the reader's text heights: fewer pixels, and enough to see digits.
_TEXT_HEIGHT = TEXT_HEIGHTS[-1]
_QUICK = OcrRequest(layout="sparse")
# Four digit-like characters in a row: every serial format in the catalogue is longer, and
# a coarse read splits or misreads some digits (O for 0, l or I for 1, S for 5, B for 8).
_DIGIT_RUN = re.compile(r"[0-9][0-9OoIlSB]{3,}|[OoIlSB][0-9][0-9OoIlSB]{2,}")
_SERIAL_WORDING = re.compile(r"SER[I1L]A|S/N|SN[O0]|N[O0][.:#]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Precheck:
    """The cheap check's answer for one photo."""

    plausible: bool
    """True when the photo may show a serial label and must be read in full."""
    reason: str
    """For a person: what was seen, or why nothing was."""
    looked_at: int
    """How many candidate regions were read coarsely."""


def precheck(
    image: LoadedImage, located: LocatedLabels, engine: OcrEngine, *, candidates: int
) -> Precheck:
    """Read up to ``candidates`` of the locator's regions once each, coarsely, both ways
    up, and say whether any shows a run of digits or serial wording."""
    regions = located.regions[:candidates]
    if not regions:
        return Precheck(False, "no text that could be a label was found in the photo", 0)
    for rank, region in enumerate(regions):
        grey = enhance_region(image, region, rank, text_height=_TEXT_HEIGHT).grey
        for view in (grey, np.ascontiguousarray(np.rot90(grey, 2))):
            text = engine.read(view, _QUICK).text
            if _DIGIT_RUN.search(text) or _SERIAL_WORDING.search(text.replace(" ", "")):
                return Precheck(True, f"candidate {rank} shows digits or serial wording",
                                rank + 1)
    return Precheck(
        False,
        f"none of the {len(regions)} text regions found shows digits or serial wording "
        "(quick check before the full read)",
        len(regions),
    )
