"""OCR engines behind one small interface: in-process Tesseract, the tesseract program, a fake."""

from stickerscan.ocr.engine import OcrEngine, OcrRequest, OcrText, OcrWord
from stickerscan.ocr.factory import ENGINE_NAMES, make_engine
from stickerscan.ocr.fake_engine import FakeOcrEngine

__all__ = [
    "ENGINE_NAMES",
    "FakeOcrEngine",
    "OcrEngine",
    "OcrRequest",
    "OcrText",
    "OcrWord",
    "make_engine",
]
