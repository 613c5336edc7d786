from __future__ import annotations

from contextlib import closing
from dataclasses import replace
from pathlib import Path

from stickerscan.batch.inputs import BatchItem
from stickerscan.batch.store import PhotoOutcome, Store, shared_serials


def _outcome(status: str, serial: str | None = None, confidence: float = 0.9) -> PhotoOutcome:
    return PhotoOutcome(status=status, reason="r", serial=serial, guess=None,
                        confidence=confidence, model_id="korg-m1", label_quad=None,
                        estimate=None, content_hash=None, fetch_s=0.0, scan_s=0.1)


def _finish_all(store: Store, outcomes: dict[str, PhotoOutcome]) -> None:
    for photo in store.pending():
        store.finish(photo.photo_id, outcomes[photo.image])


def test_adding_the_same_source_again_adds_nothing_and_keeps_order(tmp_path: Path) -> None:
    items = [BatchItem("a", "1.jpg"), BatchItem("a", "2.jpg"), BatchItem("b", "3.jpg")]
    with closing(Store(tmp_path / "r.sqlite")) as store:
        assert store.add(items) == 3
        assert store.add(items) == 0
        assert [photo.image for photo in store.pending()] == ["1.jpg", "2.jpg", "3.jpg"]


def test_a_photo_that_cannot_be_had_is_entered_finished_as_bad_input(tmp_path: Path) -> None:
    with closing(Store(tmp_path / "r.sqlite")) as store:
        store.add([BatchItem("a", "ftp://x/1.jpg", "URL scheme 'ftp' is refused")])
        assert store.pending() == []
        [photo] = store.photos()
        assert (photo.status, photo.reason) == ("bad-input", "URL scheme 'ftp' is refused")


def test_a_listing_takes_the_serial_most_photos_agree_on_and_flags_disagreement(
    tmp_path: Path,
) -> None:
    items = [BatchItem("a", f"{n}.jpg") for n in range(4)] + [
        BatchItem("b", "4.jpg"), BatchItem("c", "5.jpg"), BatchItem("d", "6.jpg"),
    ]
    outcomes = {
        "0.jpg": _outcome("read", "011111", 0.85), "1.jpg": _outcome("read", "022222", 0.99),
        "2.jpg": _outcome("read", "011111", 0.9), "3.jpg": _outcome("no-label"),
        "4.jpg": _outcome("read", "022222"), "5.jpg": _outcome("unreadable"),
        "6.jpg": _outcome("bad-input"),
    }
    with closing(Store(tmp_path / "r.sqlite")) as store:
        store.add(items)
        _finish_all(store, outcomes)
        listings = {row.listing_id: row for row in store.refresh_listings()}
        assert store.listings() == list(listings.values())
    a = listings["a"]
    assert (a.best_serial, a.agreeing, a.photos, a.disagreement) == ("011111", 2, 4, True)
    assert a.serials == ["011111", "022222"]
    assert (listings["b"].best_serial, listings["b"].disagreement) == ("022222", False)
    assert [listings[key].status for key in "bcd"] == ["read", "unreadable", "failed"]
    assert listings["d"].failed == 1
    assert shared_serials(list(listings.values())) == {"022222": ["a", "b"]}


def test_a_finished_read_is_found_by_its_content_hash(tmp_path: Path) -> None:
    with closing(Store(tmp_path / "r.sqlite")) as store:
        store.add([BatchItem("a", "1.jpg")])
        [photo] = store.pending()
        store.finish(photo.photo_id, replace(_outcome("read", "013537"), content_hash="abc",
                                             thumbnail=b"jpeg"))
        found = store.read_with_hash("abc")
        assert store.read_with_hash("def") is None
    assert found is not None
    assert found[0] == photo.photo_id
    assert (found[1].serial, found[1].thumbnail) == ("013537", b"jpeg")
