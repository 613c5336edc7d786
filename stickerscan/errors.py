"""Exit codes and the exception tree.

Expected outcomes of a scan (no label, unreadable, invalid serial) are *statuses* on a
result, never exceptions.  The exceptions here are for things a user must fix: a file that
is not a usable image, a missing dependency, broken catalogue data, a bad argument.  Every
error carries the exit code the command line reports for it and a message that says how to
fix the problem.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes of the ``stickerscan`` command, documented in README.md."""

    OK = 0
    """Every photo gave a valid serial (or, for ``lookup``, the serial was dated)."""
    NOT_READ = 1
    """At least one photo had no serial label, or the label was unreadable."""
    USAGE = 2
    """Bad command-line usage (typer/click's own code for this)."""
    INVALID_SERIAL = 3
    """A serial was read or typed but does not fit the instrument model's format or range."""
    BAD_INPUT = 4
    """A photo could not be read: missing, not an image, truncated, too large."""
    MISSING_DEPENDENCY = 5
    """Tesseract or its English language data is not installed."""
    BAD_CATALOGUE = 6
    """An instrument model data file is broken, or the model asked for is unknown."""
    SCAN_FAILED = 7
    """A photo's scan did not finish: it went over the time limit, or the reader crashed."""
    FINISHED_WITH_FAILURES = 8
    """``batch``: every photo was dealt with, but some failed (a file that is not a usable
    image, a download that failed, a time-out, a crash); each has a row saying why."""
    INTERRUPTED = 130
    """``batch``: stopped (Ctrl-C) before the end; the same command continues the run."""


class StickerscanError(Exception):
    """Base of every error stickerscan raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInputError(StickerscanError):
    """A photo that cannot be used; the message names the file and the problem."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, source: str | Path, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = str(source)
        self.problem = problem

    def __reduce__(self) -> tuple[type[BadInputError], tuple[str, str]]:
        # Rebuilt from both fields, so the error survives the trip from a worker process.
        return (type(self), (self.source, self.problem))


class MissingDependencyError(StickerscanError):
    """An external program or data file the OCR needs is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class CatalogueError(StickerscanError):
    """An instrument model data file is invalid; the message names the file and field."""

    exit_code = ExitCode.BAD_CATALOGUE


class UnknownModelError(CatalogueError):
    """The instrument model asked for is not in the catalogue."""


class ReaderStartError(StickerscanError):
    """The worker process that reads photos could not be started."""

    exit_code = ExitCode.SCAN_FAILED


class UsageError(StickerscanError):
    """An argument that makes no sense (e.g. a malformed ``--pattern``)."""

    exit_code = ExitCode.USAGE
