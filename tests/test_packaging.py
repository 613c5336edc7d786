"""The instrument data files ship inside the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_the_catalogue(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(tmp_path)],
        check=True,
    )
    wheel = next(tmp_path.glob("stickerscan-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for data_file in (ROOT / "models").glob("*.toml"):
        assert f"stickerscan/catalogue_data/{data_file.name}" in names
    assert "stickerscan/cli.py" in names
    assert not any(name.startswith(("tests/", "scenegen/", "bench/")) for name in names)
