"""Turn results into what a person reads: a short summary, JSON, or debug images.

Formatting lives here and only here; the stages return plain values.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from stickerscan.batch.store import FAILED_STATUSES, ListingRow, PhotoRow
from stickerscan.calibrate import Calibration
from stickerscan.catalogue import InstrumentModel
from stickerscan.estimate import DateEstimate
from stickerscan.other_schemes import SchemeMatch
from stickerscan.pipeline import ScanResult
from stickerscan.validate import SerialCheck

_UNVERIFIED = {
    "A": "a contemporary magazine or careful primary research",
    "B": "an encyclopaedia or secondary write-up",
    "C": "one owner's or forum report, unverified",
    "R": "UNVERIFIED: no independent source confirms it",
}


def summary(result: ScanResult, model: InstrumentModel) -> str:
    """A few lines for a person about one photo (``model`` is the one it was checked as)."""
    lines = [result.source]
    if result.failed:
        return f"{result.source}: {result.status}: {result.reason}"
    if result.status == "read" and result.serial is not None:
        confidence = f"confidence {result.confidence:.2f}"
        lines.append(f"  serial     {result.serial}   ({confidence})")
    elif result.status == "invalid":
        lines.append(f"  serial     {result.serial}   NOT a {model.name} serial")
    elif result.status == "unreadable":
        guess = f"; best guess {result.guess} (a guess, not a reading)" if result.guess else ""
        lines.append(f"  serial     unreadable{guess}")
    else:
        lines.append("  serial     no serial label found")
    lines.append(f"  model      {model.name} ({result.model_reason})")
    if result.status in {"read", "invalid"}:
        lines += dating_lines(result.estimate, result.other_schemes, model)
    shown = {match.summary for match in result.other_schemes}
    lines += [f"  note       {problem}" for problem in result.problems if problem not in shown]
    if result.status in {"unreadable", "no-label"}:
        lines.append(f"  why        {result.reason}")
        lines.append(f"  where else {model.label_description}")
    return "\n".join(lines)


def lookup_text(typed: str, check: SerialCheck, estimate: DateEstimate | None,
                model: InstrumentModel, model_reason: str) -> str:
    """``stickerscan lookup``: a typed serial, its check, and its date or what it is."""
    lines = [f"{typed}  ({model.name}; {model_reason})"]
    if check.status == "invalid" and not check.other_schemes:
        lines.append(f"  serial     INVALID for the {model.name}")
    shown = {match.summary for match in check.other_schemes}
    lines += [f"  note       {problem}" for problem in check.problems if problem not in shown]
    if check.status == "valid" or check.other_schemes:
        lines += dating_lines(estimate, check.other_schemes, model)
    return "\n".join(lines)


def dating_lines(estimate: DateEstimate | None, other: tuple[SchemeMatch, ...],
                 model: InstrumentModel) -> list[str]:
    """What a serial says about when the unit was made, with what to check next."""
    if other:
        lines = [f"  not        a {model.name} serial, so no {model.name} date is given"]
        for match in other:
            lines += [f"  instead    {match.summary}",
                      f"  basis      {match.detail}"]
        return lines
    lines = estimate_lines(estimate) if estimate is not None else _undated_lines(model)
    return lines + [f"  check      {advice}" for advice in model.advice]


def _undated_lines(model: InstrumentModel) -> list[str]:
    return [
        "  made       no date can be given",
        "  verdict    undated: only the serial's format was checked",
        f"  basis      The {model.name} entry has no dating rules (no production window, no "
        "dated serials), so the serial says nothing about when the unit was made.",
    ]


def estimate_lines(estimate: DateEstimate) -> list[str]:
    """The date estimate with its basis and its doubt."""
    lines = [
        f"  made       {made_text(estimate)}",
        f"  verdict    {estimate.verdict}",
        f"  basis      {estimate.basis}",
        f"  reliability {estimate.reliability}: {_UNVERIFIED[estimate.reliability]}",
    ]
    lines += [f"  note       {note}" for note in estimate.notes]
    return lines


def made_text(estimate: DateEstimate) -> str:
    """When the unit was made, as a range and its most likely month; for a number the
    dated serials put wholly outside production, that no month of it fits."""
    if estimate.outside is not None:
        return outside_text(estimate.outside, str(estimate.earliest), str(estimate.latest))
    return (f"between {estimate.earliest} and {estimate.latest}, "
            f"most likely about {estimate.most_likely}")


def outside_text(outside: str, earliest: str, latest: str) -> str:
    """That no month of production fits a number the dated serials put ``outside`` it
    ("before" or "after"), naming the window's edge it passed: the range cut to the window
    (``earliest`` to ``latest``) would look as sure as a dated anchor."""
    edge, month = (("after its end", latest) if outside == "after"
                   else ("before its start", earliest))
    return f"no month of production fits: the dated serials put this number {edge} ({month})"


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural but for one: "1 photo", "3 photos"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def as_json(results: Sequence[ScanResult]) -> str:
    """Every field of every result, as one JSON document (a list, one object a photo)."""
    return json.dumps([result.to_dict() for result in results], indent=2, ensure_ascii=False)


def write_debug(result: ScanResult, folder: Path) -> list[Path]:
    """Write the photo with the candidates outlined, and every crop the OCR saw.

    The chosen label is outlined in green, other candidates that were read in orange.
    Returns the files written.
    """
    if result.image is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    stem = _safe_stem(result.source)
    written: list[Path] = []
    photo = Image.fromarray(result.image.pixels)
    draw = ImageDraw.Draw(photo)
    scale = result.image.scale
    width = max(2, round(max(photo.size) / 400))
    for reading in result.readings:
        quad = reading.crop.region.quad
        chosen = result.label_quad is not None and quad == result.label_quad
        points = [(x * scale, y * scale) for x, y in quad]
        draw.line([*points, points[0]], fill=(0, 220, 0) if chosen else (255, 150, 0),
                  width=width * (2 if chosen else 1))
        draw.text((points[0][0], points[0][1] - 12), f"#{reading.crop.rank}", fill=(255, 255, 0))
    annotated = folder / f"{stem}-labels.jpg"
    photo.save(annotated, quality=90)
    written.append(annotated)
    # A region may be read several times (at other sizes, in its surroundings, turned):
    # each reading's crops get names of their own.
    for number, reading in enumerate(result.readings):
        for index, seen in enumerate(reading.seen):
            path = folder / f"{stem}-candidate{reading.crop.rank}-reading{number}-ocr{index}.png"
            Image.fromarray(np.ascontiguousarray(seen)).save(path)
            written.append(path)
    report = folder / f"{stem}-result.json"
    report.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    written.append(report)
    return written


def models_table(models: Iterable[InstrumentModel]) -> str:
    """The catalogue as a small table."""
    rows = [("model id", "name", "serial format", "production", "dated serials")]
    for model in models:
        window = model.production
        dated = f"{len(model.anchors)}"
        if model.observations:
            dated += f" + {len(model.observations)} of yours"
        rows.append((
            model.model_id,
            model.name,
            model.serial_format.description,
            f"{window.start} to {window.end_earliest}/{window.end_latest} "
            f"({window.reliability})" if window else "no dates",
            dated,
        ))
    return _table(rows)


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )


def _safe_stem(source: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(source).stem) or "photo"




def calibration_text(calibration: Calibration, overlay: Path, *, written: bool) -> str:
    """``stickerscan calibrate``: what was accepted, what was flagged, how ranges narrowed."""
    lines = [
        f"{calibration.source}: {len(calibration.accepted)} observations accepted, "
        f"{len(calibration.flagged)} flagged and left out"
    ]
    lines += [f"  flagged    line {row.line}, serial {row.serial or '(empty)'}: {row.problem}"
              for row in calibration.flagged]
    if written:
        lines.append(
            f"wrote {len(calibration.accepted)} observations to {overlay} (replacing any "
            "earlier overlay); lookups and scans use them from now on"
        )
    else:
        lines.append(f"nothing written (--dry-run); the overlay would be {overlay}")
    if calibration.narrowing:
        lines.append("how the date ranges narrowed:")
        rows = [("  model", "serial", "before", "after", "narrowed")]
        rows += [
            (f"  {row.model_id}", row.serial, f"{row.before[0]} to {row.before[1]}",
             f"{row.after[0]} to {row.after[1]}", f"{row.months_narrowed} months")
            for row in calibration.narrowing
        ]
        lines.append(_table(rows))
    return "\n".join(lines)


def batch_summary(
    photos: Sequence[PhotoRow], listings: Sequence[ListingRow], shared: Mapping[str, list[str]]
) -> str:
    """What a batch's store holds: photos by status, listings by answer, and the failures
    with their reasons."""
    statuses = Counter(photo.status or "unfinished" for photo in photos)
    answers = Counter(listing.status for listing in listings)
    copies = sum(photo.same_as is not None for photo in photos)
    lines = [
        f"photos     {len(photos)}: " + ", ".join(
            f"{status} {count}" for status, count in sorted(statuses.items())
        ) + (f" ({copies} identical to another, read once)" if copies else ""),
        f"listings   {len(listings)}: " + ", ".join(
            f"{status} {count}" for status, count in sorted(answers.items())
        ) + f"; photos disagree in {sum(listing.disagreement for listing in listings)}",
        f"repeats    {counted(len(shared), 'serial')} read in more than one listing"
        + (" (stickerscan repeats)" if shared else ""),
    ]
    failed = [photo for photo in photos if photo.status in FAILED_STATUSES]
    if failed:
        lines.append(f"failed     {counted(len(failed), 'photo')}:")
        lines += [f"  {photo.listing_id}  {photo.image}: {photo.reason}" for photo in failed]
    return "\n".join(lines)


def shared_serials_text(shared: Mapping[str, list[str]]) -> str:
    """Serials read in more than one listing, one a line, with a word of caution."""
    if not shared:
        return "No serial was read in more than one listing."
    lines = [f"{serial}  {', '.join(listings)}" for serial, listings in shared.items()]
    return "\n".join([
        f"{len(shared)} serials were read in more than one listing. Worth a closer look (a "
        "reused photo, a relisting, a copied serial); not proof of anything.",
        *lines,
    ])
