"""stickerscan: read a synthesizer's serial-number sticker from a photo and date it.

The library API::

    from stickerscan import Scanner, ScanOptions
    scanner = Scanner(ScanOptions(model_id="korg-m1"))
    result = scanner.scan("photo.jpg")
    result.status, result.serial, result.estimate
"""

from stickerscan.errors import (
    BadInputError,
    CatalogueError,
    ExitCode,
    MissingDependencyError,
    StickerscanError,
)
from stickerscan.options import ScanOptions
from stickerscan.pipeline import Scanner, ScanResult

__all__ = [
    "BadInputError",
    "CatalogueError",
    "ExitCode",
    "MissingDependencyError",
    "ScanOptions",
    "ScanResult",
    "Scanner",
    "StickerscanError",
]
__version__ = "0.1.0"
