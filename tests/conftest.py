from __future__ import annotations

import os
import shutil

import pytest


def _tesseract_ready() -> bool:
    from stickerscan.errors import MissingDependencyError
    from stickerscan.ocr.setup_check import find_tessdata

    try:
        find_tessdata()
    except MissingDependencyError:
        return False
    return shutil.which("tesseract") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # In CI a missing Tesseract is a broken set-up, never a reason to skip.
    if os.environ.get("CI") or _tesseract_ready():
        return
    skip = pytest.mark.skip(reason="Tesseract with English data is not installed")
    for item in items:
        if "tesseract" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_user_calibration_overlay(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A calibration overlay in the real user's configuration folder must not change what
    # the tests see: every test gets an empty configuration folder of its own.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
