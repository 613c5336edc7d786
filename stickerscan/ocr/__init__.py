"""OCR engines behind one small interface: in-process Tesseract, the tesseract program, a fake."""

from stickerscan.ocr.engine import OcrEngine, OcrRequest, OcrText, OcrWord
from stickerscan.ocr.factory import ENGINE_NAMES, EngineFactory, make_engine
from stickerscan.ocr.fake_engine import FakeOcrEngine

__all__ = [
    "ENGINE_NAMES",
    "EngineFactory",
    "FakeOcrEngine",
    "OcrEngine",
    "OcrRequest",
    "OcrText",
    "OcrWord",
    "make_engine",
]
