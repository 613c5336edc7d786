"""Run independent jobs a few at a time on threads and hand their results back in order.

The reader's first look at a photo reads its candidate regions best-ranked first and
stops at the first sure serial.  Tesseract releases the interpreter lock while it
recognises, so on a machine with idle cores the next regions can be read while the
current one is: the caller still sees the results one by one, in order, exactly as a
single thread would have produced them.  When it stops early, jobs not yet started are
cancelled and jobs already running finish on their own, their results dropped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")


def in_order(
    pool: ThreadPoolExecutor, jobs: Iterable[Callable[[], Result]], *, ahead: int
) -> Iterator[Result]:
    """Yield each job's result in the order of ``jobs``, keeping up to ``ahead`` of them
    running.  A job's exception is raised when its result is due."""
    waiting: deque[Future[Result]] = deque()
    pending = iter(jobs)
    try:
        while True:
            while len(waiting) < max(1, ahead):
                job = next(pending, None)
                if job is None:
                    break
                waiting.append(pool.submit(job))
            if not waiting:
                return
            yield waiting.popleft().result()
    finally:
        for future in waiting:
            future.cancel()
