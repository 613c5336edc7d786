"""A small HTTP server on 127.0.0.1 for the download tests, started and stopped by them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers on one path: each request takes the next of ``answers``
    (the last one repeats)."""

    answers: list[tuple[int, str, bytes]]
    delay_s: float = 0.0
    """Hold the answer back this long (to make the client time out)."""
    hits: int = field(default=0)


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[str]:
    """Serve ``routes`` on a free port of 127.0.0.1; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            status, kind, body = route.answers[min(route.hits, len(route.answers) - 1)]
            route.hits += 1
            if route.delay_s:
                time.sleep(route.delay_s)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
