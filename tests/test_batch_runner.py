"""End to end: `stickerscan batch` over folders and manifests, with the real reader."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stickerscan.cli import app
from stickerscan.errors import ExitCode
from tests.http_server import Route, serving

pytestmark = pytest.mark.tesseract
SAMPLES = Path(__file__).parent.parent / "samples"
READ = "m1-easy-black-sticker.jpg"  # serial 213292
OTHER = "m1-easy-white-paper-label.jpg"  # serial 011833
NEGATIVE = "negative-no-sticker.jpg"


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """A folder of listings with a duplicate photo and failures, read with two jobs."""
    top = tmp_path_factory.mktemp("listings")
    (top / "L1").mkdir()
    (top / "L2").mkdir()
    shutil.copy(SAMPLES / READ, top / "L1" / "back.jpg")
    shutil.copy(SAMPLES / NEGATIVE, top / "L1" / "front.jpg")
    shutil.copy(SAMPLES / READ, top / "L1" / "same-again.jpg")
    shutil.copy(SAMPLES / OTHER, top / "L2" / "back.jpg")
    (top / "L2" / "notes.jpg").write_text("not a photo")
    data = (SAMPLES / OTHER).read_bytes()
    (top / "L2" / "cut.jpg").write_bytes(data[: len(data) // 3])
    shutil.copy(SAMPLES / READ, top / "loose.jpg")
    db = top.parent / f"{top.name}.sqlite"
    result = CliRunner().invoke(app, ["batch", str(top), "--db", str(db), "--jobs", "2"])
    return db, result.output, result.exit_code


def _photos(db: Path) -> dict[str, dict[str, object]]:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM photos").fetchall()
    return {f"{row['listing_id']}/{Path(row['image']).name}": dict(row) for row in rows}


def test_a_folder_batch_gives_a_row_a_photo_and_says_it_finished_with_failures(
    folder_run: tuple[Path, str, int],
) -> None:
    db, output, exit_code = folder_run
    assert exit_code == ExitCode.FINISHED_WITH_FAILURES, output
    photos = _photos(db)
    assert sorted(photos) == ["L1/back.jpg", "L1/front.jpg", "L1/same-again.jpg",
                              "L2/back.jpg", "L2/cut.jpg", "L2/notes.jpg",
                              "loose.jpg/loose.jpg"]
    assert all(row["finished"] == 1 for row in photos.values())
    assert photos["L1/back.jpg"]["serial"] == "213292"
    assert photos["L2/back.jpg"]["serial"] == "011833"
    assert photos["L1/front.jpg"]["status"] == "no-label"
    assert photos["L2/notes.jpg"]["status"] == "bad-input"
    assert "not an image file" in str(photos["L2/notes.jpg"]["reason"])
    assert photos["L2/cut.jpg"]["status"] == "bad-input"
    assert "truncated" in str(photos["L2/cut.jpg"]["reason"])
    assert "failed     2 photos:" in output
    assert "bad-input 2" in output


def test_identical_photos_are_read_once(folder_run: tuple[Path, str, int]) -> None:
    photos = _photos(folder_run[0])
    copies = [row for row in photos.values() if row["same_as"] is not None]
    # Three photos share these bytes: one was read, the other two copy its result.
    assert len(copies) == 2
    assert all(row["scan_s"] == 0 and row["serial"] == "213292" for row in copies)
    read_once = {row["same_as"] for row in copies}
    assert len(read_once) == 1
    original = next(row for row in photos.values() if row["id"] in read_once)
    assert original["same_as"] is None and original["scan_s"] > 0  # type: ignore[operator]
    assert "(2 identical to another, read once)" in folder_run[1]


def test_export_gives_one_row_a_listing_in_csv_and_one_a_photo_in_jsonl(
    folder_run: tuple[Path, str, int],
) -> None:
    db = folder_run[0]
    runner = CliRunner()
    listed = runner.invoke(app, ["export", "--db", str(db), "--format", "csv"])
    assert listed.exit_code == 0
    listings = {row["listing_id"]: row for row in csv.DictReader(io.StringIO(listed.output))}
    assert sorted(listings) == ["L1", "L2", "loose.jpg"]
    assert (listings["L1"]["best_serial"], listings["L1"]["agreeing"]) == ("213292", "2")
    assert (listings["L2"]["best_serial"], listings["L2"]["failed"]) == ("011833", "2")
    per_photo = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl",
                                    "--per", "photo"])
    assert per_photo.exit_code == 0
    records = [json.loads(line) for line in per_photo.output.splitlines()]
    assert len(records) == 7
    back = next(r for r in records if r["listing_id"] == "L1" and r["image"].endswith("back.jpg"))
    assert back["made_earliest"] and back["verdict"] == "consistent"
    assert len(back["label_quad"]) == 4


def test_serials_in_several_listings_are_reported(folder_run: tuple[Path, str, int]) -> None:
    result = CliRunner().invoke(app, ["repeats", "--db", str(folder_run[0])])
    assert result.exit_code == 0
    assert "213292  loose.jpg, L1" in result.output
    assert "not proof" in result.output


def test_a_manifest_of_urls_is_downloaded_from_a_local_server(tmp_path: Path) -> None:
    jpeg = (SAMPLES / READ).read_bytes()
    routes = {
        "/a.jpg": Route([(200, "image/jpeg", jpeg)]),
        "/a-again.jpg": Route([(200, "image/jpeg", jpeg)]),
        "/page": Route([(200, "text/html", b"<html></html>")]),
        "/slow.jpg": Route([(200, "image/jpeg", jpeg)], delay_s=3.0),
    }
    db = tmp_path / "urls.sqlite"
    with serving(routes) as base:
        manifest = tmp_path / "listings.csv"
        manifest.write_text(
            "listing_id,image\n"
            f"100,{base}/a.jpg\n100,{base}/gone.jpg\n101,{base}/a-again.jpg\n"
            f"102,{base}/page\n103,{base}/slow.jpg\n104,ftp://127.0.0.1/x.jpg\n"
        )
        result = CliRunner().invoke(app, [
            "batch", str(manifest), "--db", str(db), "--jobs", "2", "--download-timeout",
            "0.5", "--download-tries", "2",
        ])
    assert result.exit_code == ExitCode.FINISHED_WITH_FAILURES, result.output
    photos = {row["image"].rsplit("/", 1)[-1]: row for row in _photos(db).values()}
    assert photos["a.jpg"]["serial"] == photos["a-again.jpg"]["serial"] == "213292"
    assert {photos["a.jpg"]["same_as"], photos["a-again.jpg"]["same_as"]} - {None}
    reasons = {name: photos[name]["reason"] for name in ("gone.jpg", "page", "slow.jpg",
                                                          "x.jpg")}
    assert reasons == {
        "gone.jpg": "the server answered HTTP 404 Not Found",
        "page": "not an image: the server sent text/html",
        "slow.jpg": "timed out (ReadTimeout) (after 2 tries)",
        "x.jpg": "URL scheme 'ftp' is refused (only http and https are fetched)",
    }
    assert all(photos[name]["status"] == "bad-input" for name in reasons)
    assert routes["/slow.jpg"].hits == 2


def _finished(db: Path) -> dict[int, tuple[str, float]]:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            rows = connection.execute(
                "SELECT id, status, scan_s FROM photos WHERE finished = 1").fetchall()
    except sqlite3.OperationalError:  # not created yet
        return {}
    return {row[0]: (row[1], row[2]) for row in rows}


def test_a_run_killed_midway_resumes_redoing_no_finished_photo_and_losing_none(
    tmp_path: Path,
) -> None:
    top = tmp_path / "listings"
    photos = sorted(SAMPLES.glob("m1-*.jpg"))[:8]
    for index, photo in enumerate(photos):
        (top / f"listing-{index % 3}").mkdir(parents=True, exist_ok=True)
        shutil.copy(photo, top / f"listing-{index % 3}" / photo.name)
    db = tmp_path / "run.sqlite"
    command = [sys.executable, "-m", "stickerscan", "batch", str(top), "--db", str(db),
               "--jobs", "1"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_finished(db)) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    before = _finished(db)
    assert 2 <= len(before) < len(photos), "the run was not stopped midway"

    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == ExitCode.OK, second.stderr
    assert f"{len(photos) - len(before)} to read" in second.stderr
    after = _finished(db)
    assert len(after) == len(photos)
    # The photos finished before the kill kept their rows: none was read again.
    assert {key: after[key] for key in before} == before
