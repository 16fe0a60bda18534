"""The store keeps what its listings read of the last report (``listing_view``: stories, events,
entities, quotes, claims and the articles' names and dates, not their texts, reuse passages or
time expressions), so that listing its stories, quotes or claims again does not analyse it again.
It counts only for the same code and while the store holds the same articles; anything else
analyses afresh.

Compressed JSON, as the event state is (``link.event_state``): never pickle, since a store may
come from someone else.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from functools import cache
from pathlib import Path

from lagebild.model import AnalysisOptions
from lagebild.store import Store

_PACKAGE = Path(__file__).resolve().parents[1]
LISTED = ("lagebild", "run", "events", "stories", "entities", "quotes", "claims", "disagreements")
ARTICLE_FIELDS = ("id", "path", "title", "date", "inferred_date", "credits", "outlet", "language")
_HASHED_WHOLE = 1 << 20  # files up to this size are hashed whole; larger ones (models) by size


@cache
def _code_key() -> str:
    """A hash of the package's code and data: another version, another report."""
    digest = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        size = path.stat().st_size
        digest.update(f"{path.relative_to(_PACKAGE)}:{size}".encode())
        if size <= _HASHED_WHOLE:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def listing_view(report: dict) -> dict:
    """What the listing commands read of a report: a tenth of it for a store full of wire copy.
    An entity keeps which articles name it, not where."""
    view = {name: report[name] for name in LISTED}
    view["articles"] = [{field: article.get(field) for field in ARTICLE_FIELDS} for article in report["articles"]]
    view["entities"] = [{**entity, "mentions": [{"article_id": m["article_id"]} for m in entity["mentions"]]} for entity in report["entities"]]
    return view


def report_key(options: AnalysisOptions) -> str | None:
    """None for a report that depends on more than the store (``--since``)."""
    if options.since is not None:
        return None
    return f"report {_code_key()} embeddings={options.embeddings} summary={options.summary_sentences}"


def saved_report(store: Store) -> dict | None:
    """The listing view of the store's last report, if this code made it from the articles the
    store holds now: the listings show what the last analysis found, with whatever options it ran
    (``--embeddings`` included)."""
    saved = store.report()
    if saved is None or not saved[0].startswith(f"report {_code_key()} ") or saved[1] != store.count():
        return None
    try:
        return json.loads(zlib.decompress(saved[2]))
    except (zlib.error, ValueError):
        return None  # unreadable: analyse afresh


def keep_report(store: Store, options: AnalysisOptions, report: dict) -> None:
    """Save the report's listing view for the next listing; a read-only store simply keeps none."""
    key = report_key(options)
    if key is None or store.path == ":memory:":
        return
    view = json.dumps(listing_view(report), ensure_ascii=False).encode("utf-8")
    try:
        store.save_report(key, len(report["articles"]), zlib.compress(view, 1))
    except sqlite3.Error:
        pass  # read-only: the next listing analyses again
