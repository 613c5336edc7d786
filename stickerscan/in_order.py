"""Run independent jobs a few at a time on threads and hand their results back in order.

The reader's first look at a photo reads its candidate regions best-ranked first and
stops at the first sure serial.  Tesseract releases the interpreter lock while it
recognises, so on a machine with idle cores the next regions can be read while the
current one is: the caller still sees the results one by one, in order, exactly as a
single thread would have produced them.  When it stops early, jobs not yet started are
cancelled and jobs already running finish on their own, their results dropped.

A job counts against the limit only until it is done, not until its result is handed
back: a thread that finished a short job goes on to the next one while a long job ahead
of it is still running.  No more jobs than the limit are ever submitted and unfinished,
so a thread that finishes the job that settles the answer finds nothing queued to start
before the caller stops.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

Result = TypeVar("Result")


def in_order(
    pool: ThreadPoolExecutor, jobs: Iterable[Callable[[], Result]], *, ahead: int
) -> Iterator[Result]:
    """Yield each job's result in the order of ``jobs``, keeping up to ``ahead`` of them
    submitted and unfinished at a time.  A job's exception is raised when its result is
    due."""
    waiting: deque[Future[Result]] = deque()
    pending = iter(jobs)
    exhausted = False

    def top_up() -> None:
        nonlocal exhausted
        while not exhausted and sum(not future.done() for future in waiting) < max(1, ahead):
            job = next(pending, None)
            if job is None:
                exhausted = True
            else:
                waiting.append(pool.submit(job))

    try:
        while True:
            top_up()
            if not waiting:
                return
            while not waiting[0].done():
                wait([future for future in waiting if not future.done()],
                     return_when=FIRST_COMPLETED)
                # A job behind the head finished: its thread takes the next.  The head
                # itself finished: the caller may stop at its result, so nothing more
                # starts until it asks for the next.
                if not waiting[0].done():
                    top_up()
            yield waiting.popleft().result()
    finally:
        for future in waiting:
            future.cancel()
