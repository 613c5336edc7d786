from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor

import pytest

from stickerscan.in_order import in_order

# Long enough never to run out on a slow machine; the tests set their events long before.
WAIT_S = 5.0


def _returning(value: int) -> Callable[[], int]:
    return lambda: value


def test_results_come_in_the_order_of_the_jobs_when_later_ones_finish_first() -> None:
    finished: list[int] = []
    last_done = threading.Event()

    def waits_for_the_last(value: int) -> Callable[[], int]:
        def job() -> int:
            assert last_done.wait(WAIT_S)
            finished.append(value)
            return value
        return job

    def last() -> int:
        finished.append(2)
        last_done.set()
        return 2

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(in_order(pool, [waits_for_the_last(0), waits_for_the_last(1), last],
                                ahead=3))
    assert finished[0] == 2  # the last job did finish first
    assert results == [0, 1, 2]


@pytest.mark.parametrize("ahead", [1, 2, 3])
def test_at_most_ahead_jobs_run_at_once(ahead: int) -> None:
    running = 0
    most_running = 0
    lock = threading.Lock()

    def job(value: int) -> Callable[[], int]:
        def run() -> int:
            nonlocal running, most_running
            with lock:
                running += 1
                most_running = max(most_running, running)
            time.sleep(0.05)  # long enough for the jobs started together to overlap
            with lock:
                running -= 1
            return value
        return run

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(in_order(pool, [job(value) for value in range(8)], ahead=ahead)) == list(
            range(8))
    assert most_running == ahead


def test_a_long_job_does_not_hold_back_the_jobs_behind_it() -> None:
    last_ran = threading.Event()

    def holds_until_the_last_job_ran() -> int:
        # With two threads, jobs 1, 2 and 3 must all run while this one holds its
        # thread: counting it until its result is handed back would keep job 3 from
        # starting, and this job would time out and fail.
        assert last_ran.wait(WAIT_S)
        return 0

    def last() -> int:
        last_ran.set()
        return 3

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = in_order(pool, [holds_until_the_last_job_ran, _returning(1), _returning(2),
                                  last], ahead=2)
        assert list(results) == [0, 1, 2, 3]


def test_nothing_more_starts_when_the_first_job_finishes_before_it_is_handed_back() -> None:
    ran: list[int] = []
    release = threading.Event()

    def first() -> int:
        time.sleep(0.2)  # the second job is running well before this one finishes
        ran.append(0)
        return 0

    def holds() -> int:
        ran.append(1)
        assert release.wait(WAIT_S)
        return 1

    def third() -> int:
        ran.append(2)
        return 2

    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            for result in in_order(pool, [first, holds, third], ahead=2):
                assert result == 0
                # The caller weighs the result for a moment, as the reader weighs a
                # reading, and stops at it: a job queued meanwhile would have started.
                time.sleep(0.1)
                break
        finally:
            release.set()
    # The first job's thread was free, but the third job was never started: the caller
    # might have stopped at the first result, as it did.
    assert sorted(ran) == [0, 1]


def test_no_lookahead_asked_for_still_runs_the_jobs_one_at_a_time() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(in_order(pool, [_returning(value) for value in range(3)], ahead=0)) == [
            0, 1, 2]


class _SecondJobHolds:
    """Jobs that note that they ran; job 1 holds its thread until released, so that jobs
    after it wait in the pool's queue."""

    def __init__(self) -> None:
        self.ran: list[int] = []
        self.second_started = threading.Event()
        self.release = threading.Event()

    def job(self, value: int) -> Callable[[], int]:
        def run() -> int:
            self.ran.append(value)
            if value == 1:
                self.second_started.set()
                assert self.release.wait(WAIT_S)
            return value
        return run


def test_stopping_early_cancels_the_jobs_not_yet_started() -> None:
    jobs = _SecondJobHolds()
    # One reading thread: job 1 holds it while jobs 2 and 3 are queued behind it.
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        for result in in_order(pool, [jobs.job(value) for value in range(4)], ahead=3):
            assert result == 0
            assert jobs.second_started.wait(WAIT_S)
            break  # the caller stops at the first result, as the reader does
    finally:
        jobs.release.set()
        pool.shutdown(wait=True)
    assert jobs.ran == [0, 1]  # the job already running finished; those queued never ran


def test_closing_the_results_cancels_the_jobs_not_yet_started() -> None:
    jobs = _SecondJobHolds()
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        results = in_order(pool, [jobs.job(value) for value in range(3)], ahead=3)
        assert next(results) == 0
        assert jobs.second_started.wait(WAIT_S)
        assert isinstance(results, Generator)
        results.close()
    finally:
        jobs.release.set()
        pool.shutdown(wait=True)
    assert jobs.ran == [0, 1]


def test_a_failing_job_raises_when_its_result_is_due_after_the_earlier_results() -> None:
    failed = threading.Event()

    def slow_first() -> int:
        # Finishes only after the second job has already failed.
        assert failed.wait(WAIT_S)
        return 0

    def fails() -> int:
        failed.set()
        raise ValueError("job 1 failed")

    handed_out: list[int] = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = in_order(pool, [slow_first, fails, _returning(2)], ahead=3)
        with pytest.raises(ValueError, match="job 1 failed"):
            for result in results:
                handed_out.append(result)
    assert handed_out == [0]
