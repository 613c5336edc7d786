from __future__ import annotations

from contextlib import closing

from stickerscan.batch.fetch import Fetcher, FetchPolicy
from tests.http_server import Route, serving

JPEG = b"\xff\xd8\xff\xe0" + b"jpeg body" * 10
QUICK = FetchPolicy(connect_timeout_s=2.0, read_timeout_s=0.3, attempts=3, backoff_s=0.01,
                    max_bytes=1000, max_connections=2)


def test_a_photo_is_downloaded_with_its_bytes_whole() -> None:
    routes = {"/a.jpg": Route([(200, "image/jpeg", JPEG)])}
    with serving(routes) as base, closing(Fetcher(QUICK)) as fetch:
        got = fetch.fetch(f"{base}/a.jpg")
    assert (got.data, got.problem, got.attempts) == (JPEG, None, 1)


def test_a_busy_server_is_tried_again_after_a_pause() -> None:
    route = Route([(503, "text/plain", b"busy"), (200, "image/jpeg", JPEG)])
    with serving({"/a.jpg": route}) as base, closing(Fetcher(QUICK)) as fetch:
        got = fetch.fetch(f"{base}/a.jpg")
    assert (got.data, got.attempts, route.hits) == (JPEG, 2, 2)


def test_failures_are_values_with_a_reason_and_only_passing_ones_are_retried() -> None:
    routes = {
        "/page": Route([(200, "text/html", b"<html>")]),
        "/big.jpg": Route([(200, "image/jpeg", b"x" * 5000)]),
        "/slow.jpg": Route([(200, "image/jpeg", JPEG)], delay_s=2.0),
        "/down.jpg": Route([(500, "text/plain", b"oops")]),
    }
    with serving(routes) as base, closing(Fetcher(QUICK)) as fetch:
        missing = fetch.fetch(f"{base}/missing.jpg")
        page = fetch.fetch(f"{base}/page")
        big = fetch.fetch(f"{base}/big.jpg")
        slow = fetch.fetch(f"{base}/slow.jpg")
        down = fetch.fetch(f"{base}/down.jpg")
        refused = fetch.fetch("file:///etc/passwd")
    assert (missing.problem, missing.attempts) == ("the server answered HTTP 404 Not Found", 1)
    assert page.problem == "not an image: the server sent text/html"
    assert big.problem == "too large: 5,000 bytes, over the cap of 1,000"
    assert slow.problem == "timed out (ReadTimeout) (after 3 tries)"
    assert routes["/slow.jpg"].hits == 3
    assert down.problem == "the server answered HTTP 500 Internal Server Error (after 3 tries)"
    assert refused.problem == "only http and https URLs are fetched"
    assert all(got.data is None for got in (missing, page, big, slow, down, refused))
