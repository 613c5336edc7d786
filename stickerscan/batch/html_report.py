"""One self-contained HTML file to check a batch by eye: per listing, each photo's
thumbnail, the label crop, the reading, the date estimate and the flags.  Pictures are
embedded as data URIs, so the file can be mailed or archived on its own."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from html import escape

from stickerscan.batch.store import (
    FAILED_STATUSES,
    ListingRow,
    PhotoRow,
    Pictures,
    shared_serials,
)
from stickerscan.report import counted, outside_text

_STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin:1.6em 0 .4em}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.35em;vertical-align:top;text-align:left}
img{max-width:320px;max-height:240px}
.flag{display:inline-block;background:#fde2a7;border-radius:3px;padding:0 .3em;margin:.1em}
.failed{background:#f8d0d0}.read{background:#e3f5e1}
.none{color:#888}
"""

# Counts the pictures the browser could show and says so at the foot of the page, so a
# broken picture is noticed.
_SCRIPT = """
window.addEventListener('load', function () {
  var all = document.querySelectorAll('img');
  var shown = 0;
  all.forEach(function (img) { if (img.complete && img.naturalWidth > 0) shown++; });
  document.getElementById('pictures').textContent =
    shown + ' of ' + all.length + ' pictures shown.';
});
"""


def render_html(
    listings: Sequence[ListingRow],
    photos: Sequence[PhotoRow],
    pictures_of: Callable[[int], Pictures],
    *,
    title: str = "stickerscan batch report",
) -> str:
    """The report as one HTML document."""
    by_listing: dict[str, list[PhotoRow]] = {}
    for photo in photos:
        by_listing.setdefault(photo.listing_id, []).append(photo)
    shared = shared_serials(listings)
    read = sum(listing.status == "read" for listing in listings)
    failed = sum(photo.status in FAILED_STATUSES for photo in photos)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{counted(len(listings), 'listing')}, {counted(len(photos), 'photo')}; a serial "
        f"for {counted(read, 'listing')}; {counted(failed, 'photo')} failed.</p>",
    ]
    if shared:
        parts.append("<h2>Serials in more than one listing</h2><p>Worth a closer look (a "
                     "reused photo, a relisting, a copied serial); not proof of anything.</p>"
                     "<ul>")
        parts += [f"<li><b>{escape(serial)}</b>: {escape(', '.join(ids))}</li>"
                  for serial, ids in shared.items()]
        parts.append("</ul>")
    for listing in listings:
        parts.append(_listing_html(listing, by_listing.get(listing.listing_id, []), shared,
                                   pictures_of))
    parts += ['<p id="pictures"></p>', f"<script>{_SCRIPT}</script>", "</body></html>"]
    return "\n".join(parts) + "\n"


def _listing_html(
    listing: ListingRow,
    photos: Sequence[PhotoRow],
    shared: dict[str, list[str]],
    pictures_of: Callable[[int], Pictures],
) -> str:
    flags = []
    if listing.disagreement:
        flags.append("photos disagree: " + ", ".join(listing.serials))
    if listing.best_serial in shared:
        flags.append("serial also in another listing")
    if listing.failed:
        flags.append(f"{counted(listing.failed, 'photo')} failed")
    answer = (f"serial <b>{escape(listing.best_serial)}</b> ({listing.agreeing} of "
              f"{counted(listing.photos, 'photo')})" if listing.best_serial
              else f"no serial ({escape(listing.status)})")
    rows = [
        f'<h2 id="{escape(listing.listing_id, quote=True)}">Listing '
        f"{escape(listing.listing_id)}</h2><p>{answer} {_flags(flags)}</p>",
        "<table><tr><th>photo</th><th>label</th><th>reading</th><th>made</th></tr>",
    ]
    rows += [_photo_html(photo, pictures_of(photo.photo_id)) for photo in photos]
    rows.append("</table>")
    return "\n".join(rows)


def _photo_html(photo: PhotoRow, pictures: Pictures) -> str:
    status = photo.status or "unfinished"
    css = "failed" if status in FAILED_STATUSES else "read" if status == "read" else ""
    reading = f"<b>{escape(photo.serial)}</b>" if photo.serial else (
        f"guess {escape(photo.guess)}" if photo.guess else "")
    confidence = (f" (confidence {photo.confidence:.2f})"
                  if photo.serial and photo.confidence else "")
    flags = ["same photo as another"] if photo.same_as is not None else []
    estimate = photo.estimate
    if estimate:
        outside = estimate.get("outside_production")
        when = (outside_text(outside, str(estimate["earliest"]), str(estimate["latest"]))
                if outside else f"{estimate['earliest']} to {estimate['latest']}, most likely "
                f"{estimate['most_likely']}")
        made = f"{escape(when)}; {escape(str(estimate['verdict']))}"
        if estimate.get("unverified"):
            flags.append("date rests on unverified claims")
    else:
        made = '<span class="none">no date</span>'
    return (
        f'<tr class="{css}"><td>{_img(pictures.thumbnail, "photo")}<br>'
        f"<small>{escape(photo.image)}</small></td>"
        f"<td>{_img(pictures.label_crop, 'label')}</td>"
        f"<td>{escape(status)}: {reading}{confidence}<br><small>{escape(photo.reason or '')}"
        f"</small> {_flags(flags)}</td><td>{made}</td></tr>"
    )


def _img(data: bytes | None, what: str) -> str:
    if not data:
        return f'<span class="none">no {what} picture</span>'
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{what}" src="data:image/jpeg;base64,{encoded}">'


def _flags(flags: Sequence[str]) -> str:
    return " ".join(f'<span class="flag">{escape(flag)}</span>' for flag in flags)
