"""Download listing photos: timeouts, a size cap, a content-type check, a few retries with
back-off, and a bounded number of connections.  Every failure is a value with a reason."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

# Responses worth another try: the server or something on the way was busy or broken.
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_ACCEPTED_TYPES = ("image/", "application/octet-stream")


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How downloads behave."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    """Longest wait for the next piece of the response."""
    max_bytes: int = 50_000_000
    """Refuse a photo larger than this (checked on the declared length, and while reading)."""
    attempts: int = 3
    """Tries per photo, for connection failures, timeouts and busy or failing servers."""
    backoff_s: float = 0.5
    """Wait before the second try; doubled before each further one."""
    max_connections: int = 4
    """Connections open at once, over all hosts."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a download gave: the bytes, or why there are none."""

    url: str
    data: bytes | None
    problem: str | None
    """For a person: what went wrong (``None`` when ``data`` is here)."""
    attempts: int
    elapsed_s: float


class Fetcher:
    """Downloads photos over one shared connection pool; safe to use from several threads.
    Close it (e.g. with ``contextlib.closing``) so its connections are closed."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.policy.read_timeout_s,
                                  connect=self.policy.connect_timeout_s),
            limits=httpx.Limits(max_connections=self.policy.max_connections,
                                max_keepalive_connections=self.policy.max_connections),
            follow_redirects=True,
            headers={"User-Agent": "stickerscan"},
        )

    def fetch(self, url: str) -> Fetched:
        """Download ``url`` (http or https only); never raises for the photo's sake."""
        started = time.perf_counter()
        if httpx.URL(url).scheme not in {"http", "https"}:
            return Fetched(url, None, "only http and https URLs are fetched", 0, 0.0)
        problem = "not tried"
        for attempt in range(1, self.policy.attempts + 1):
            if attempt > 1:
                time.sleep(self.policy.backoff_s * 2 ** (attempt - 2))
            data, problem, again = self._try(url)
            if data is not None:
                return Fetched(url, data, None, attempt, time.perf_counter() - started)
            log.info("%s: %s (try %d of %d)", url, problem, attempt, self.policy.attempts)
            if not again:
                return Fetched(url, None, problem, attempt, time.perf_counter() - started)
        return Fetched(url, None, f"{problem} (after {self.policy.attempts} tries)",
                       self.policy.attempts, time.perf_counter() - started)

    def _try(self, url: str) -> tuple[bytes | None, str, bool]:
        """(data, problem, worth another try)."""
        cap = self.policy.max_bytes
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code != 200:
                    return (None, f"the server answered HTTP {response.status_code} "
                            f"{response.reason_phrase}".rstrip(),
                            response.status_code in _RETRY_STATUSES)
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not kind.startswith(_ACCEPTED_TYPES):
                    return None, f"not an image: the server sent {kind or 'no content type'}", False
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    return (None, f"too large: {int(declared):,} bytes, over the cap of "
                            f"{cap:,}", False)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        return None, f"too large: over the cap of {cap:,} bytes", False
                    chunks.append(chunk)
                return b"".join(chunks), "", False
        except httpx.TimeoutException as error:
            return None, f"timed out ({type(error).__name__})", True
        except httpx.TransportError as error:
            return None, f"the download failed ({type(error).__name__}: {error})", True
        except httpx.HTTPError as error:
            return None, f"the download failed ({type(error).__name__}: {error})", False

    def close(self) -> None:
        self._client.close()

