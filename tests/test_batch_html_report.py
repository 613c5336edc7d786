"""The HTML report, built from a small store and rendered in headless Chromium."""

from __future__ import annotations

import base64
import csv
import io
import shutil
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from stickerscan.batch.inputs import BatchItem
from stickerscan.batch.store import PhotoOutcome, Store
from stickerscan.cli import app

ESTIMATE = {"earliest": "1990-07", "latest": "1992-11", "most_likely": "1991-09",
            "verdict": "consistent", "unverified": True}
# A number the dated serials put past the end: its range is cut down to the last month.
PAST_THE_END = {"earliest": "1995-12", "latest": "1995-12", "most_likely": "1995-12",
                "verdict": "inconsistent", "unverified": True, "outside_production": "after"}


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "results.sqlite"
    outcomes = {
        "a1.jpg": PhotoOutcome("read", "serial read after 'S/N'", "130209", None, 0.99,
                               "korg-m1", [[0, 0], [10, 0], [10, 5], [0, 5]], ESTIMATE, "h1",
                               0.0, 0.4, _jpeg((200, 0, 0)), _jpeg((0, 200, 0))),
        "a2.jpg": PhotoOutcome("read", "serial read after 'No.'", "130299", None, 0.95,
                               "korg-m1", None, ESTIMATE, "h2", 0.0, 0.3, _jpeg((0, 0, 200))),
        "b1.jpg": PhotoOutcome("read", "serial read after 'S/N'", "130209", None, 0.99,
                               "korg-m1", None, ESTIMATE, "h3", 0.0, 0.3, _jpeg((9, 9, 9))),
        "b2.jpg": PhotoOutcome("bad-input", "the server answered HTTP 404 Not Found", None,
                               None, 0.0, "", None, None, None, 0.1, 0.0),
        "c1.jpg": PhotoOutcome("invalid", "beyond any serial reported", "999999", None, 0.97,
                               "korg-m1", None, PAST_THE_END, "h4", 0.0, 0.3),
        "d1.jpg": PhotoOutcome("read", "serial read after 'No.'", "130555", None, 0.97,
                               "korg-m1", None, ESTIMATE, "h5", 0.0, 0.3),
    }
    with closing(Store(path)) as store:
        store.add([BatchItem("A<1>", "a1.jpg"), BatchItem("A<1>", "a2.jpg"),
                   BatchItem("B", "b1.jpg"), BatchItem("B", "b2.jpg"),
                   BatchItem("C", "c1.jpg"), BatchItem("D", "d1.jpg")])
        for photo in store.pending():
            store.finish(photo.photo_id, outcomes[photo.image])
        store.refresh_listings()
    return path


def test_the_report_is_one_file_with_every_picture_embedded(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    embedded = html.count('src="data:image/jpeg;base64,')
    assert embedded == 4
    assert "src=\"http" not in html and "src=\"file" not in html
    first = html.split('src="data:image/jpeg;base64,', 1)[1].split('"', 1)[0]
    assert Image.open(io.BytesIO(base64.b64decode(first))).size == (64, 48)
    assert "Listing A&lt;1&gt;" in html  # listing ids are escaped
    assert "photos disagree: 130209, 130299" in html
    assert "serial also in another listing" in html
    assert "the server answered HTTP 404 Not Found" in html
    assert "1 photo failed" in html and "photo(s)" not in html
    assert "(1 of 2 photos)" in html and "(1 of 1 photo)" in html
    assert "1990-07 to 1992-11, most likely 1991-09; consistent" in html
    assert ("no month of production fits: the dated serials put this number after its end "
            "(1995-12); inconsistent") in html
    assert "1995-12 to 1995-12" not in html


def test_an_export_gives_no_month_for_a_number_wholly_past_production(db: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "csv",
                                      "--per", "photo"])
    assert result.exit_code == 0, result.output
    rows = {row["image"]: row for row in csv.DictReader(io.StringIO(result.output))}
    past = rows["c1.jpg"]
    assert (past["made_earliest"], past["made_latest"], past["made_most_likely"]) == ("", "", "")
    assert (past["verdict"], past["outside_production"]) == ("inconsistent", "after")
    dated = rows["a1.jpg"]
    assert (dated["made_earliest"], dated["outside_production"]) == ("1990-07", "")


@pytest.mark.chromium
def test_chromium_renders_the_report_and_shows_every_picture(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)]).exit_code == 0
    browser = shutil.which("chromium")
    assert browser is not None
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--dump-dom", out.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    # The page's own script counts the pictures the browser decoded and shows the count.
    assert '<p id="pictures">4 of 4 pictures shown.</p>' in dom
    shot = tmp_path / "report.png"
    subprocess.run([*flags, "--window-size=1000,800", f"--screenshot={shot}", out.as_uri()],
                   capture_output=True, timeout=120, check=True)
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, tables and pictures drawn
