from __future__ import annotations

import json
from pathlib import Path

import pytest

from stickerscan.batch.inputs import BatchItem, read_source
from stickerscan.errors import UsageError


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_a_folder_gives_one_listing_a_sub_folder_and_one_a_loose_photo(tmp_path: Path) -> None:
    _touch(tmp_path / "listing-a" / "1.jpg")
    _touch(tmp_path / "listing-a" / "deeper" / "2.png")
    _touch(tmp_path / "listing-b" / "back.JPG")
    _touch(tmp_path / "loose.jpg")
    _touch(tmp_path / "notes.txt")
    items = read_source(tmp_path)
    assert [(item.listing_id, Path(item.image).name) for item in items] == [
        ("loose.jpg", "loose.jpg"), ("listing-a", "1.jpg"), ("listing-a", "2.png"),
        ("listing-b", "back.JPG"),
    ]
    assert all(item.problem is None for item in items)


def test_a_csv_manifest_takes_paths_beside_it_and_http_urls(tmp_path: Path) -> None:
    _touch(tmp_path / "photos" / "a.jpg")
    manifest = tmp_path / "listings.csv"
    manifest.write_text(
        "listing_id,image,price\n"
        "17,photos/a.jpg,100\n"
        "17,https://example.test/b.jpg,100\n"
        "18,ftp://example.test/c.jpg,5\n"
        "19,,5\n"
    )
    items = read_source(manifest)
    assert items[0] == BatchItem("17", str(tmp_path / "photos" / "a.jpg"))
    assert items[1] == BatchItem("17", "https://example.test/b.jpg")
    assert items[1].is_url and not items[0].is_url
    assert items[2].problem is not None and "'ftp' is refused" in items[2].problem
    assert items[3].problem == "line 5 of the manifest gives no image"


def test_a_jsonl_manifest_reads_each_line(tmp_path: Path) -> None:
    manifest = tmp_path / "listings.jsonl"
    rows = [{"listing_id": 1, "image": "/abs/a.jpg"}, {"listing_id": "x", "image": "b.jpg"}]
    manifest.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n")
    assert read_source(manifest) == [
        BatchItem("1", "/abs/a.jpg"), BatchItem("x", str(tmp_path / "b.jpg")),
    ]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("m.csv", "id,photo\n1,a.jpg\n", "no image or listing_id column"),
    ("m.jsonl", '{"listing_id": 1}\n', "line 1 needs the keys listing_id and image"),
    ("m.jsonl", "not json\n", "line 1 is not JSON"),
    ("m.txt", "", "give a folder of listings, or a manifest"),
])
def test_a_bad_manifest_is_a_usage_error_naming_the_problem(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    manifest = tmp_path / name
    manifest.write_text(text)
    with pytest.raises(UsageError, match=message):
        read_source(manifest)
