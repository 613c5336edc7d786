"""The ``stickerscan`` command: thin, and the only place errors become exit codes."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from stickerscan import __version__, report
from stickerscan.batch.export import (
    LISTING_COLUMNS,
    PHOTO_COLUMNS,
    ExportFormat,
    ExportLevel,
    listing_records,
    photo_records,
    render,
)
from stickerscan.batch.fetch import Fetcher, FetchPolicy
from stickerscan.batch.html_report import render_html
from stickerscan.batch.inputs import read_source
from stickerscan.batch.runner import run_batch, with_previews
from stickerscan.batch.store import FAILED_STATUSES, Store, shared_serials
from stickerscan.calibrate import calibrate as check_calibration
from stickerscan.calibrate import write_overlay
from stickerscan.catalogue import DEFAULT_MODEL_ID
from stickerscan.catalogue_files import load_catalogue
from stickerscan.errors import ExitCode, StickerscanError, UsageError
from stickerscan.estimate import estimate_serial
from stickerscan.guard import GuardedScanner
from stickerscan.ocr import ENGINE_NAMES
from stickerscan.options import ScanOptions
from stickerscan.overlay import default_overlay_path, load_user_catalogue
from stickerscan.photo_files import PhotoFile, find_photos
from stickerscan.pipeline import ScanResult, failure_result
from stickerscan.progress_display import ProgressDisplay
from stickerscan.validate import check_typed_serial

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read the serial-number sticker off a photo of a synthesizer's back panel, check "
    "it, and estimate when the unit was made.",
)

_COMMANDS = ("scan", "lookup", "models", "calibrate", "batch", "export", "report", "repeats")
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


_MODEL_HELP = (
    f"Instrument model id (`stickerscan models`); default: the model named on the label, "
    f"else {DEFAULT_MODEL_ID}, reported as assumed. `generic` reads any product's label."
)
_PATTERN_HELP = (
    "A one-off serial format: a regular expression the whole serial must match, e.g. "
    "'[A-Z]{2}[0-9]{6}'. Without --model it applies to any product (generic)."
)
_OVERLAY_HELP = (
    "Calibration overlay written by `stickerscan calibrate` (default: "
    "$XDG_CONFIG_HOME/stickerscan/calibration.toml, used when it exists)."
)
ModelOption = Annotated[str | None, typer.Option(help=_MODEL_HELP)]
PatternOption = Annotated[str | None, typer.Option("--pattern", help=_PATTERN_HELP)]
OverlayOption = Annotated[Path | None, typer.Option(help=_OVERLAY_HELP)]
MinConfidenceOption = Annotated[
    float, typer.Option(min=0.0, max=1.0, help="Report a serial only at this confidence.")
]
EngineOption = Annotated[str, typer.Option(help=f"OCR engine: {', '.join(ENGINE_NAMES)}.")]
TimeLimitOption = Annotated[
    float,
    typer.Option(min=0.0, metavar="SECONDS",
                 help="Stop a photo that takes longer and report it (0: no limit)."),
]
TessdataOption = Annotated[
    str | None, typer.Option(help="Folder holding Tesseract's eng.traineddata.")
]
# A readable photo is usually settled by its first regions, so regions read further
# ahead are mostly thrown away.
_DEFAULT_THREADS = min(os.cpu_count() or 1, 2)
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")]


@app.command()
def scan(
    photos: Annotated[
        list[Path],
        typer.Argument(help="Photos of the unit's back panel, or folders of them."),
    ],
    model: ModelOption = None,
    pattern: PatternOption = None,
    overlay: OverlayOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False,
    debug_dir: Annotated[
        Path | None,
        typer.Option(help="Write the photo with the labels outlined and every OCR crop here."),
    ] = None,
    min_confidence: MinConfidenceOption = _DEFAULTS.min_confidence,
    engine: EngineOption = _DEFAULTS.ocr_engine,
    max_pixels: Annotated[
        int, typer.Option(min=1, help="Refuse photos with more pixels than this (a "
                          "sequential JPEG, decoded reduced: 2.5 times as many).")
    ] = _DEFAULTS.max_pixels,
    time_limit: TimeLimitOption = _DEFAULTS.time_limit_s or 0.0,
    tessdata_dir: TessdataOption = None,
    threads: Annotated[int | None, typer.Option(
        min=1, help="Label regions of one photo read at once; the answer is the same, only "
        "sooner. Default: the number of cores, at most 2, for several photos; 1 for a "
        "single photo, where starting the extra readers costs more than they save.")] = None,
    verbose: VerboseOption = False,
) -> None:
    """Read the serial label in each photo."""
    _logging(verbose)
    files = find_photos(photos)
    options = _options(model, pattern, overlay, min_confidence=min_confidence,
                       ocr_engine=engine, max_pixels=max_pixels,
                       time_limit_s=time_limit or None, tessdata_dir=tessdata_dir,
                       ocr_threads=threads or (_DEFAULT_THREADS if len(files) > 1 else 1))
    try:
        scanner = GuardedScanner(options)
    except StickerscanError as error:
        raise _fail(error) from None
    results: list[ScanResult] = []
    with scanner:
        for photo in files:
            try:
                result = _scan_one(scanner, photo)
            except StickerscanError as error:  # a replacement reader could not start
                raise _fail(error) from None
            results.append(result)
            if result.failed:
                typer.echo(f"stickerscan: {result.source}: {result.reason}", err=True)
            elif not json_output:
                typer.echo(report.summary(result, scanner.model_of(result)))
            if debug_dir is not None:
                report.write_debug(result, debug_dir)
    if json_output:
        typer.echo(report.as_json(results))
    codes = [_STATUS_EXIT[result.status] for result in results]
    raise typer.Exit(int(max(codes, key=_SEVERITY.index, default=ExitCode.OK)))


def _options(
    model: str | None, pattern: str | None, overlay: Path | None, **settings: Any
) -> ScanOptions:
    return ScanOptions(model_id=model, serial_pattern=pattern,
                       calibration_overlay=str(overlay) if overlay else None, **settings)


def _scan_one(scanner: GuardedScanner, photo: PhotoFile) -> ScanResult:
    if photo.problem is not None:
        return failure_result(photo.path, "bad-input", photo.problem, model=scanner.model,
                              options=scanner.options)
    return scanner.scan_as_row(photo.path)


_FETCH = FetchPolicy()
DbOption = Annotated[Path, typer.Option("--db", help="The batch's results database (SQLite).")]
DEFAULT_DB = Path("stickerscan-batch.sqlite")


@app.command()
def batch(
    source: Annotated[Path, typer.Argument(
        help="A folder (each sub-folder is a listing; loose photos are their own listing), "
        "or a CSV/JSONL manifest with the columns listing_id and image (a path or an "
        "http(s) URL).")],
    db: DbOption = DEFAULT_DB,
    jobs: Annotated[int, typer.Option(min=1, help="Photos read at once (default: the "
                                      "number of cores).")] = os.cpu_count() or 1,
    model: ModelOption = None,
    pattern: PatternOption = None,
    overlay: OverlayOption = None,
    min_confidence: MinConfidenceOption = _DEFAULTS.min_confidence,
    engine: EngineOption = _DEFAULTS.ocr_engine,
    time_limit: TimeLimitOption = _DEFAULTS.time_limit_s or 0.0,
    precheck: Annotated[bool, typer.Option(
        help="Reject photos that plainly show no label with a quick look before the full "
        "read.")] = True,
    max_download_mb: Annotated[float, typer.Option(
        min=0.001, help="Refuse downloads larger than this.")] = _FETCH.max_bytes / 1e6,
    download_timeout: Annotated[float, typer.Option(
        min=0.1, metavar="SECONDS", help="Longest wait to connect, and for each piece of a "
        "download.")] = _FETCH.read_timeout_s,
    download_tries: Annotated[int, typer.Option(
        min=1, help="Tries per download (with back-off between them).")] = _FETCH.attempts,
    connections: Annotated[int, typer.Option(
        min=1, help="Downloads open at once.")] = _FETCH.max_connections,
    tessdata_dir: TessdataOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Read every photo of many listings in parallel into a database; rerun to resume."""
    _logging(verbose)
    # The readers share the cores: OpenCV's own threads get what one reader's share is.
    options = _options(model, pattern, overlay, min_confidence=min_confidence,
                       ocr_engine=engine, time_limit_s=time_limit or None,
                       tessdata_dir=tessdata_dir, precheck=precheck,
                       opencv_threads=max(1, (os.cpu_count() or 1) // jobs))
    policy = FetchPolicy(connect_timeout_s=min(download_timeout, _FETCH.connect_timeout_s),
                         read_timeout_s=download_timeout,
                         max_bytes=round(max_download_mb * 1e6), attempts=download_tries,
                         max_connections=connections)
    try:
        items = read_source(source)
        with closing(Store(db)) as store, closing(Fetcher(policy)) as fetcher:
            added = store.add(items)
            pending = len(store.pending())
            typer.echo(f"stickerscan: {report.counted(len(items), 'photo')} in {source}; "
                       f"{added} new, {pending} to read with {report.counted(jobs, 'job')}; "
                       f"results in {db}", err=True)
            try:
                readers = functools.partial(GuardedScanner, options, prepare=with_previews)
                run_batch(store, readers, jobs=jobs, fetcher=fetcher,
                          on_progress=ProgressDisplay(sys.stderr))
            except KeyboardInterrupt:
                typer.echo("\nstickerscan: stopped; run the same command again to continue",
                           err=True)
                raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
            photos = store.photos()
            listings = store.listings()
    except StickerscanError as error:
        raise _fail(error) from None
    typer.echo(report.batch_summary(photos, listings, shared_serials(listings)))
    failed = sum(photo.status in FAILED_STATUSES for photo in photos)
    raise typer.Exit(int(ExitCode.FINISHED_WITH_FAILURES if failed else ExitCode.OK))


def _open_store(db: Path) -> Store:
    if not db.is_file():
        raise _fail(UsageError(f"{db}: no such database (run `stickerscan batch` first)"))
    return Store(db)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    export_format: Annotated[str, typer.Option(
        "--format", help="csv or jsonl.")] = "csv",
    per: Annotated[str, typer.Option(help="One row a listing, or one a photo.")] = "listing",
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")]
    = None,
) -> None:
    """Write a batch's results as CSV or JSON Lines, one row a listing or a photo."""
    if export_format not in ("csv", "jsonl") or per not in ("listing", "photo"):
        raise _fail(UsageError("--format is csv or jsonl, and --per is listing or photo"))
    with closing(_open_store(db)) as store:
        text = _exported(store, cast(ExportFormat, export_format), cast(ExportLevel, per))
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


def _exported(store: Store, export_format: ExportFormat, per: ExportLevel) -> str:
    if per == "photo":
        return render(photo_records(store.photos()), PHOTO_COLUMNS, export_format)
    return render(listing_records(store.listings()), LISTING_COLUMNS, export_format)


@app.command("report")
def html_report(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option(help="The HTML file to write.")] = Path(
        "stickerscan-report.html"),
) -> None:
    """Write one self-contained HTML file to check a batch by eye."""
    with closing(_open_store(db)) as store:
        html = render_html(store.listings(), store.photos(), store.pictures,
                           title=f"stickerscan: {db.name}")
    out.write_text(html, encoding="utf-8")
    typer.echo(f"stickerscan: wrote {out}", err=True)


@app.command()
def repeats(db: DbOption = DEFAULT_DB) -> None:
    """List serials read in more than one listing: worth a closer look, not proof."""
    with closing(_open_store(db)) as store:
        shared = shared_serials(store.listings())
    typer.echo(report.shared_serials_text(shared))


@app.command()
def lookup(
    serial: Annotated[str, typer.Argument(help="The serial as printed, e.g. 013537.")],
    model: ModelOption = None,
    pattern: PatternOption = None,
    overlay: OverlayOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False,
) -> None:
    """Date a serial number typed by hand, with no photo: range, basis, verdict, advice."""
    try:
        instrument = load_user_catalogue(overlay).choose(model, pattern)
    except StickerscanError as error:
        raise _fail(error) from None
    if model is not None:
        reason = "given with --model"
    elif pattern is not None:
        reason = "any product: --pattern sets the serial format"
    else:
        reason = "assumed; choose another with --model"
    check = check_typed_serial(serial, instrument)
    estimate = estimate_serial(check, instrument)
    if json_output:
        payload = {"check": check.to_dict(), "model": instrument.model_id,
                   "model_reason": reason,
                   "estimate": estimate.to_dict() if estimate else None}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(report.lookup_text(serial, check, estimate, instrument, reason))
    raise typer.Exit(int(ExitCode.OK if check.status == "valid" else ExitCode.INVALID_SERIAL))


@app.command("models")
def list_models(overlay: OverlayOption = None) -> None:
    """List the instrument models in the catalogue."""
    try:
        catalogue = load_user_catalogue(overlay)
    except StickerscanError as error:
        raise _fail(error) from None
    typer.echo(report.models_table(catalogue.models))


@app.command("calibrate")
def calibrate(
    observations: Annotated[Path, typer.Argument(
        help="CSV file with the columns model,serial,date,source and optionally meaning "
        "(existed-by, the default, or made-after).")],
    overlay: Annotated[Path | None, typer.Option(
        help="Where to write the overlay (default: "
        "$XDG_CONFIG_HOME/stickerscan/calibration.toml).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check and show the narrowing, but write nothing.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False,
) -> None:
    """Check your own dated serials and write the overlay the estimator uses from now on."""
    target = overlay or default_overlay_path()
    try:
        # Against the shipped catalogue alone: the CSV file is the whole list, and replaces
        # any earlier overlay.
        result = check_calibration(observations, load_catalogue())
        if not dry_run:
            write_overlay(result, target)
    except StickerscanError as error:
        raise _fail(error) from None
    if json_output:
        payload = {**result.to_dict(), "overlay": str(target), "written": not dry_run}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(report.calibration_text(result, target, written=not dry_run))
    raise typer.Exit(int(ExitCode.OK if not result.flagged else ExitCode.INVALID_SERIAL))


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
