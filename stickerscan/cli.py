"""The ``stickerscan`` command: thin, and the only place errors become exit codes."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from stickerscan import __version__, report
from stickerscan.catalogue import DEFAULT_MODEL_ID, load_catalogue
from stickerscan.errors import ExitCode, StickerscanError
from stickerscan.estimate import estimate_date
from stickerscan.guard import GuardedScanner
from stickerscan.ocr import ENGINE_NAMES
from stickerscan.options import ScanOptions
from stickerscan.photo_files import PhotoFile, find_photos
from stickerscan.pipeline import ScanResult, failure_result
from stickerscan.validate import check_typed_serial

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read the serial-number sticker off a photo of a synthesizer's back panel, check "
    "it, and estimate when the unit was made.",
)

_COMMANDS = ("scan", "lookup", "models")
_DEFAULTS = ScanOptions()

# Severity order for several photos: the exit code is the worst outcome among them.
_STATUS_EXIT = {
    "read": ExitCode.OK,
    "unreadable": ExitCode.NOT_READ,
    "no-label": ExitCode.NOT_READ,
    "invalid": ExitCode.INVALID_SERIAL,
    "bad-input": ExitCode.BAD_INPUT,
    "timed-out": ExitCode.SCAN_FAILED,
    "crashed": ExitCode.SCAN_FAILED,
}
_SEVERITY = [ExitCode.OK, ExitCode.NOT_READ, ExitCode.INVALID_SERIAL, ExitCode.BAD_INPUT,
             ExitCode.SCAN_FAILED]


def _fail(error: StickerscanError) -> typer.Exit:
    typer.echo(f"stickerscan: {error.message}", err=True)
    return typer.Exit(int(error.exit_code))


@app.command()
def scan(
    photos: Annotated[
        list[Path],
        typer.Argument(help="Photos of the unit's back panel, or folders of them."),
    ],
    model: Annotated[
        str | None, typer.Option(help=f"Instrument model id (default {DEFAULT_MODEL_ID}).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False,
    debug_dir: Annotated[
        Path | None,
        typer.Option(help="Write the photo with the labels outlined and every OCR crop here."),
    ] = None,
    min_confidence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Report a serial only at this confidence.")
    ] = _DEFAULTS.min_confidence,
    engine: Annotated[
        str, typer.Option(help=f"OCR engine: {', '.join(ENGINE_NAMES)}.")
    ] = _DEFAULTS.ocr_engine,
    max_pixels: Annotated[
        int, typer.Option(min=1, help="Refuse photos with more pixels than this.")
    ] = _DEFAULTS.max_pixels,
    time_limit: Annotated[
        float,
        typer.Option(min=0.0, metavar="SECONDS",
                     help="Stop a photo that takes longer and report it (0: no limit)."),
    ] = _DEFAULTS.time_limit_s or 0.0,
    tessdata_dir: Annotated[
        str | None, typer.Option(help="Folder holding Tesseract's eng.traineddata.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """Read the serial label in each photo."""
    _logging(verbose)
    options = ScanOptions(model_id=model, min_confidence=min_confidence, ocr_engine=engine,
                          max_pixels=max_pixels, time_limit_s=time_limit or None,
                          tessdata_dir=tessdata_dir)
    try:
        scanner = GuardedScanner(options)
    except StickerscanError as error:
        raise _fail(error) from None
    results: list[ScanResult] = []
    with scanner:
        for photo in find_photos(photos):
            try:
                result = _scan_one(scanner, photo)
            except StickerscanError as error:  # a replacement reader could not start
                raise _fail(error) from None
            results.append(result)
            if result.failed:
                typer.echo(f"stickerscan: {result.source}: {result.reason}", err=True)
            elif not json_output:
                typer.echo(report.summary(result, scanner.model))
            if debug_dir is not None:
                report.write_debug(result, debug_dir)
    if json_output:
        typer.echo(report.as_json(results))
    codes = [_STATUS_EXIT[result.status] for result in results]
    raise typer.Exit(int(max(codes, key=_SEVERITY.index, default=ExitCode.OK)))


def _scan_one(scanner: GuardedScanner, photo: PhotoFile) -> ScanResult:
    if photo.problem is not None:
        return failure_result(photo.path, "bad-input", photo.problem, model=scanner.model,
                              options=scanner.options)
    return scanner.scan_as_row(photo.path)


@app.command()
def lookup(
    serial: Annotated[str, typer.Argument(help="The serial as printed, e.g. 013537.")],
    model: Annotated[str, typer.Option(help="Instrument model id.")] = DEFAULT_MODEL_ID,
    json_output: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False,
) -> None:
    """Date a serial number typed by hand, with no photo."""
    try:
        instrument = load_catalogue().get(model)
    except StickerscanError as error:
        raise _fail(error) from None
    check = check_typed_serial(serial, instrument)
    estimate = estimate_date(int(serial), instrument) if check.status == "valid" else None
    if json_output:
        payload = {"check": check.to_dict(), "model": instrument.model_id,
                   "estimate": estimate.to_dict() if estimate else None}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(f"{serial}  ({instrument.name})")
        for problem in check.problems:
            typer.echo(f"  note       {problem}")
        if estimate is not None:
            typer.echo("\n".join(report.estimate_lines(estimate)))
    raise typer.Exit(int(ExitCode.OK if estimate is not None else ExitCode.INVALID_SERIAL))


@app.command("models")
def list_models() -> None:
    """List the instrument models in the catalogue."""
    try:
        catalogue = load_catalogue()
    except StickerscanError as error:
        raise _fail(error) from None
    typer.echo(report.models_table(catalogue.models))


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    """Entry point: ``stickerscan PHOTO...`` is short for ``stickerscan scan PHOTO...``."""
    arguments = sys.argv[1:]
    if arguments[:1] == ["--version"]:
        typer.echo(f"stickerscan {__version__}")
        return
    if arguments and arguments[0] not in _COMMANDS and arguments[0] not in {"--help", "-h"}:
        arguments = ["scan", *arguments]
    app(args=arguments, prog_name="stickerscan")
