"""Read each photo in a worker process, so a photo that hangs or crashes the reader costs
only that photo.

Tesseract runs inside the process (tesserocr) and cannot be interrupted from Python, so the
one sure way to stop a scan that hangs is to stop the process doing it.  A
:class:`GuardedScanner` keeps one worker process holding a
:class:`~stickerscan.pipeline.Scanner`; each photo is sent to it and waited for at most
``options.time_limit_s`` seconds.  A worker that goes over the limit is killed, together
with any ``tesseract`` program it started, and a fresh one reads the next photo; a worker
that dies (a crash inside Tesseract or an image decoder) is replaced the same way.  Either
way the photo gets a result saying what happened, and the batch goes on.

One guarded scanner owns one worker, so a parallel batch runs one guarded scanner per slot.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import cast

import cv2

from stickerscan.catalogue import Catalogue, InstrumentModel
from stickerscan.errors import ReaderStartError, StickerscanError
from stickerscan.ocr import EngineFactory
from stickerscan.options import ScanOptions
from stickerscan.pipeline import (
    FailureStatus,
    Scanner,
    ScanResult,
    catalogue_for,
    failure_result,
    result_model,
)

log = logging.getLogger(__name__)

ResultPreparer = Callable[[ScanResult], ScanResult]
"""Turns a result into what is sent back from the worker (e.g. previews in place of the
decoded photo).  Like an engine factory, it travels to the worker by pickling, so it must
be a module-level function."""

START_LIMIT_S = 120.0
"""Seconds a worker may take to start: it imports numpy, OpenCV and Tesseract and loads the
language data, a second or two normally, far more on a loaded machine.  Starting is never
counted against a photo's time limit."""

# 'spawn' starts a fresh interpreter: the worker inherits no copy of the parent's Tesseract
# state or threads, and behaves the same on Linux and macOS.
_CONTEXT = multiprocessing.get_context("spawn")
_WORKER_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
# A killed worker is gone at once; a polite exit must not hold up the end of a batch.
_EXIT_WAIT_S = 5.0


@dataclass(frozen=True, slots=True)
class _Worker:
    process: BaseProcess
    connection: Connection
    """The parent's end of the pipe to the worker."""
    scratch: Path
    """The worker's own temporary folder, removed when it stops: a worker killed at the
    time limit cannot clean up after itself (the pytesseract engine leaves its page image
    behind), and a long batch must not fill the system's temporary folder."""


class GuardedScanner:
    """Reads photos like :class:`~stickerscan.pipeline.Scanner`, each in a worker process
    with a time limit; use it as a context manager so the worker is stopped at the end.

    Construction starts the worker and waits until its OCR engine is ready, so a missing
    Tesseract is reported before the first photo.

    Raises
    ------
    StickerscanError
        The catalogue is broken or the model unknown, Tesseract is missing (raised as the
        worker reported it), or the worker could not start.
    """

    def __init__(
        self,
        options: ScanOptions | None = None,
        *,
        engine_factory: EngineFactory | None = None,
        catalogue: Catalogue | None = None,
        prepare: ResultPreparer | None = None,
    ) -> None:
        self.options = options or ScanOptions()
        self.catalogue = catalogue or catalogue_for(self.options)
        self.model = self.catalogue.choose(self.options.model_id, self.options.serial_pattern)
        self._engine_factory = engine_factory
        self._prepare = prepare
        self._worker: _Worker | None = self._start()

    def scan_as_row(self, source: Path | str | bytes, *, name: str | None = None) -> ScanResult:
        """Read one photo within the time limit; never raises because of the photo.

        Returns the worker's result, or a ``timed-out`` or ``crashed`` result naming the
        photo when the worker had to be stopped or died.

        Raises
        ------
        StickerscanError
            Only when a replacement worker cannot start.
        """
        worker = self._running_worker()
        limit = self.options.time_limit_s
        started = time.perf_counter()
        try:
            worker.connection.send((source, name))
            if worker.connection.poll(limit):
                return cast(ScanResult, worker.connection.recv())
        except (EOFError, OSError):
            exit_code = self._stop()
            return self._failure(
                source, name, "crashed", started,
                f"the reader crashed on this photo ({_describe_exit(exit_code)}); a fresh one "
                "reads the next photo",
            )
        self._stop()
        return self._failure(
            source, name, "timed-out", started,
            f"stopped at the time limit of {limit:g} s (--time-limit); the reader may hang "
            "on this photo",
        )

    def model_of(self, result: ScanResult) -> InstrumentModel:
        """The model a result was checked as (with any one-off ``--pattern`` applied)."""
        return result_model(result, self.model, self.catalogue)

    def close(self) -> None:
        """Stop the worker (and any program it started)."""
        self._stop()

    def __enter__(self) -> GuardedScanner:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _failure(
        self,
        source: Path | str | bytes,
        name: str | None,
        status: FailureStatus,
        started: float,
        reason: str,
    ) -> ScanResult:
        result = failure_result(source, status, reason, model=self.model, options=self.options,
                                name=name, elapsed_s=time.perf_counter() - started)
        log.warning("%s: %s", result.source, reason)
        return result

    def _running_worker(self) -> _Worker:
        if self._worker is None or not self._worker.process.is_alive():
            self._stop()
            self._worker = self._start()
        return self._worker

    def _start(self) -> _Worker:
        parent_end, worker_end = _CONTEXT.Pipe()
        log_level = logging.getLogger("stickerscan").getEffectiveLevel()
        scratch = Path(tempfile.mkdtemp(prefix="stickerscan-reader-"))
        process = _CONTEXT.Process(
            target=_serve,
            args=(worker_end, self.options, self.catalogue, self._engine_factory,
                  self._prepare, log_level, scratch),
            name="stickerscan-reader",
            daemon=True,
        )
        try:
            process.start()
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        worker_end.close()
        worker = _Worker(process, parent_end, scratch)
        try:
            if not parent_end.poll(START_LIMIT_S):
                raise ReaderStartError(
                    f"the reader process did not start within {START_LIMIT_S:g} seconds"
                )
            problem = parent_end.recv()
        except (EOFError, OSError):
            _stop_worker(worker)
            raise ReaderStartError(
                f"the reader process stopped while starting ({_describe_exit(process.exitcode)})"
                "; run with --verbose to see why"
            ) from None
        except ReaderStartError:
            _stop_worker(worker)
            raise
        if problem is not None:
            _stop_worker(worker)
            raise cast(StickerscanError, problem)
        log.debug("reader process %s ready", process.pid)
        return worker

    def _stop(self) -> int | None:
        worker, self._worker = self._worker, None
        return _stop_worker(worker) if worker is not None else None


def _stop_worker(worker: _Worker) -> int | None:
    """Kill a worker and every program it started; its exit code (negative: a signal)."""
    process = worker.process
    if process.pid is not None:
        try:
            # The worker leads its own process group (see _serve), which holds any tesseract
            # program the pytesseract engine started: killing only the worker would leave
            # a hung tesseract running.
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, AttributeError):
            process.kill()
    process.join(_EXIT_WAIT_S)
    worker.connection.close()
    shutil.rmtree(worker.scratch, ignore_errors=True)
    return process.exitcode


def _describe_exit(exit_code: int | None) -> str:
    if exit_code is None:
        return "it did not exit"
    if exit_code < 0:
        try:
            return f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"killed by signal {-exit_code}"
    return f"exit code {exit_code}"


def _serve(
    connection: Connection,
    options: ScanOptions,
    catalogue: Catalogue,
    engine_factory: EngineFactory | None,
    prepare: ResultPreparer | None,
    log_level: int,
    scratch: Path,
) -> None:
    """The worker: build a scanner, then read photos until the parent says stop."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group, so the parent can stop its children with it
    # Temporary files of this process and of the programs it starts go to its own folder,
    # which the parent removes when it stops the worker (see _Worker.scratch), and the
    # worker itself when it finds the parent gone.
    os.environ["TMPDIR"] = str(scratch)
    tempfile.tempdir = str(scratch)
    logging.basicConfig(level=log_level, format=_WORKER_LOG_FORMAT)
    if options.opencv_threads is not None:
        cv2.setNumThreads(options.opencv_threads)
    try:
        scanner = Scanner(options, catalogue=catalogue, engine_factory=engine_factory)
    except StickerscanError as error:
        connection.send(error)
        return
    except Exception as error:  # reported to the parent, which turns it into an exit code
        log.warning("the reader could not start", exc_info=True)
        connection.send(ReaderStartError(
            f"the reader could not start ({type(error).__name__}: {error})"
        ))
        return
    connection.send(None)
    try:
        _answer(connection, scanner, prepare)
    finally:
        # A parent killed outright (kill -9) cannot remove the folder, so the worker does,
        # once it finds the parent gone.
        shutil.rmtree(scratch, ignore_errors=True)


def _answer(connection: Connection, scanner: Scanner, prepare: ResultPreparer | None) -> None:
    """Read each photo the parent sends until it says stop or is gone."""
    while True:
        try:
            request = connection.recv()
        except EOFError:  # the parent has gone
            return
        if request is None:
            return
        source, name = request
        result = scanner.scan_as_row(source, name=name)
        try:
            connection.send(prepare(result) if prepare is not None else result)
        except (BrokenPipeError, ConnectionResetError):  # the parent went while we read
            return
