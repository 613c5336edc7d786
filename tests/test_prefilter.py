from __future__ import annotations

import numpy as np
import pytest

from stickerscan.load import load_image
from stickerscan.locate import locate_labels
from stickerscan.ocr import FakeOcrEngine
from stickerscan.options import ScanOptions
from stickerscan.prefilter import precheck
from tests.drawing import encode, panel, place, sticker

OPTIONS = ScanOptions()


@pytest.fixture(scope="module")
def photo() -> bytes:
    image, _ = place(panel(seed=5), sticker(["SERIAL NO.", "013537"]), at=(900, 700), angle=4)
    return encode(image)


@pytest.mark.parametrize(("ocr_text", "plausible"), [
    ("SERIAL NO. 013537", True),
    ("S/N", True),
    ("0l3S37", True),  # a coarse read of digits
    ("MIDI IN OUT THRU", False),
    ("AC 12 V", False),
])
def test_a_photo_is_kept_when_a_region_shows_digits_or_serial_wording(
    photo: bytes, ocr_text: str, plausible: bool
) -> None:
    image = load_image(photo, OPTIONS, name="panel.jpg")
    located = locate_labels(image, OPTIONS)
    engine = FakeOcrEngine(ocr_text)
    seen = precheck(image, located, engine, candidates=3)
    assert seen.plausible is plausible
    assert located.regions
    if not plausible:
        # Every candidate looked at, both ways up, once each: nothing more.
        assert seen.looked_at == min(3, len(located.regions))
        assert len(engine.seen) == 2 * seen.looked_at
        assert "shows digits or serial wording" in seen.reason


def test_a_photo_with_no_text_regions_is_rejected_without_any_ocr() -> None:
    blank = encode(np.full((600, 800, 3), 128, np.uint8))
    image = load_image(blank, OPTIONS, name="blank.jpg")
    engine = FakeOcrEngine("SERIAL NO. 013537")
    seen = precheck(image, locate_labels(image, OPTIONS), engine, candidates=8)
    assert (seen.plausible, seen.looked_at, engine.seen) == (False, 0, [])
