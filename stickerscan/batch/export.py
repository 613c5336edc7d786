"""Write a batch's results as CSV or JSON Lines, one row a listing or one a photo."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, Literal

from stickerscan.batch.store import ListingRow, PhotoRow

ExportFormat = Literal["csv", "jsonl"]
ExportLevel = Literal["listing", "photo"]

LISTING_COLUMNS = ("listing_id", "status", "best_serial", "agreeing", "photos",
                   "disagreement", "serials", "failed")
PHOTO_COLUMNS = ("listing_id", "image", "status", "serial", "guess", "confidence", "reason",
                 "made_earliest", "made_latest", "made_most_likely", "verdict",
                 "outside_production", "label_quad", "content_hash", "same_as", "fetch_s",
                 "scan_s")


def listing_records(listings: Sequence[ListingRow]) -> list[dict[str, Any]]:
    return [listing.to_dict() for listing in listings]


def photo_records(photos: Sequence[PhotoRow]) -> list[dict[str, Any]]:
    """One flat record a photo: the fields of :data:`PHOTO_COLUMNS`."""
    records = []
    for photo in photos:
        estimate = photo.estimate or {}
        # A number wholly outside production has no month: its range, cut to the window,
        # would look as sure as a dated anchor.
        outside = estimate.get("outside_production")
        months = {} if outside else estimate
        records.append({
            "listing_id": photo.listing_id, "image": photo.image,
            "status": photo.status if photo.finished else "unfinished",
            "serial": photo.serial, "guess": photo.guess,
            "confidence": None if photo.confidence is None else round(photo.confidence, 3),
            "reason": photo.reason,
            "made_earliest": months.get("earliest"), "made_latest": months.get("latest"),
            "made_most_likely": months.get("most_likely"), "verdict": estimate.get("verdict"),
            "outside_production": outside,
            "label_quad": photo.label_quad, "content_hash": photo.content_hash,
            "same_as": photo.same_as,
            "fetch_s": None if photo.fetch_s is None else round(photo.fetch_s, 4),
            "scan_s": None if photo.scan_s is None else round(photo.scan_s, 4),
        })
    return records


def render(records: Sequence[dict[str, Any]], columns: Sequence[str],
           export_format: ExportFormat) -> str:
    """``records`` as CSV (a header row; lists and objects as JSON) or JSON Lines."""
    if export_format == "jsonl":
        return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _cell(record.get(key)) for key in columns})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
