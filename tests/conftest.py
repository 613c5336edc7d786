from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

# Property tests run a fixed, repeatable budget in CI ("ci"); a developer hunting for bugs
# runs the "fuzz" profile (README: What happens with bad input).
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          print_blob=True)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("STICKERSCAN_HYPOTHESIS_PROFILE", "ci"))


def _tesseract_ready() -> bool:
    from stickerscan.errors import MissingDependencyError
    from stickerscan.ocr.setup_check import find_tessdata

    try:
        find_tessdata()
    except MissingDependencyError:
        return False
    return shutil.which("tesseract") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # In CI a missing Tesseract or Chromium is a broken set-up, never a reason to skip.
    if os.environ.get("CI"):
        return
    missing = {
        "tesseract": None if _tesseract_ready() else "Tesseract with English data",
        "chromium": None if shutil.which("chromium") else "Chromium",
    }
    for item in items:
        for marker, what in missing.items():
            if what is not None and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"{what} is not installed"))


@pytest.fixture(autouse=True)
def _no_user_calibration_overlay(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A calibration overlay in the real user's configuration folder must not change what
    # the tests see: every test gets an empty configuration folder of its own.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Repeat the summary lines tests recorded (``record_property("..._summary", line)``),
    e.g. how many hostile inputs the bad-input corpus tried and that none was lost."""
    for report in terminalreporter.stats.get("passed", []):
        for key, line in getattr(report, "user_properties", []):
            if key.endswith("_summary"):
                terminalreporter.write_line(str(line))
