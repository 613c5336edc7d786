from __future__ import annotations

import os
from pathlib import Path

import pytest

from stickerscan.photo_files import PhotoFile, find_photos


def _touch(*paths: Path) -> None:
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_a_folder_becomes_its_photos_in_name_order_then_its_subfolders(tmp_path: Path) -> None:
    _touch(tmp_path / "b.jpg", tmp_path / "A.PNG", tmp_path / "notes.txt",
           tmp_path / ".hidden.jpg", tmp_path / "._b.jpg", tmp_path / "sub" / "c.tif",
           tmp_path / "sub" / "deeper" / "d.heic", tmp_path / ".cache" / "e.jpg")
    found = find_photos([tmp_path])
    assert found == [PhotoFile(tmp_path / name) for name in
                     ("A.PNG", "b.jpg", "sub/c.tif", "sub/deeper/d.heic")]


def test_files_are_kept_as_given_in_order_whatever_their_name(tmp_path: Path) -> None:
    _touch(tmp_path / "scan.txt", tmp_path / "folder" / "x.jpg")
    arguments = [tmp_path / "missing.jpg", tmp_path / "folder", tmp_path / "scan.txt"]
    assert find_photos(arguments) == [
        PhotoFile(tmp_path / "missing.jpg"),
        PhotoFile(tmp_path / "folder" / "x.jpg"),
        PhotoFile(tmp_path / "scan.txt"),
    ]


def test_a_symlink_loop_ends_and_every_photo_comes_once(tmp_path: Path) -> None:
    _touch(tmp_path / "photos" / "a.jpg", tmp_path / "photos" / "sub" / "b.jpg")
    (tmp_path / "photos" / "sub" / "back up").symlink_to("..", target_is_directory=True)
    (tmp_path / "photos" / "sub" / "itself").symlink_to(".", target_is_directory=True)
    (tmp_path / "photos" / "knot").symlink_to("knot")
    found = find_photos([tmp_path / "photos"])
    assert found == [PhotoFile(tmp_path / "photos" / "a.jpg"),
                     PhotoFile(tmp_path / "photos" / "sub" / "b.jpg")]


def test_a_linked_folder_elsewhere_is_followed(tmp_path: Path) -> None:
    _touch(tmp_path / "elsewhere" / "kept.jpg")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "linked").symlink_to(tmp_path / "elsewhere")
    assert find_photos([tmp_path / "photos"]) == [
        PhotoFile(tmp_path / "photos" / "linked" / "kept.jpg")
    ]


def test_a_folder_without_photos_is_a_problem_not_nothing(tmp_path: Path) -> None:
    _touch(tmp_path / "empty" / "readme.txt")
    [found] = find_photos([tmp_path / "empty"])
    assert found.path == tmp_path / "empty"
    assert found.problem is not None and "no photo files" in found.problem
    assert ".jpg" in found.problem


@pytest.mark.skipif(os.geteuid() == 0, reason="root may list any folder")
def test_a_folder_that_cannot_be_listed_is_a_problem(tmp_path: Path) -> None:
    _touch(tmp_path / "photos" / "a.jpg", tmp_path / "photos" / "closed" / "b.jpg")
    (tmp_path / "photos" / "closed").chmod(0)
    try:
        found = find_photos([tmp_path / "photos"])
    finally:
        (tmp_path / "photos" / "closed").chmod(0o755)
    assert found[0] == PhotoFile(tmp_path / "photos" / "a.jpg")
    assert found[1].path == tmp_path / "photos" / "closed"
    assert found[1].problem is not None and "cannot be read" in found[1].problem
