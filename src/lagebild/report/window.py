"""A window onto the store's situation picture: the report (contract v1) for some stories, read
from the picture tables (``store.picture``) without analysing anything again.

A window is a set of stories: those active between two days (an article of theirs dated in the
window), one story, or those a run's articles belong to. It carries every event of those stories,
every article of those events, and all their findings: the names, quotations, times and numbers
of those articles, the wire copy between them, and the numbers their sources compare.
"""

from __future__ import annotations

from collections import defaultdict

from lagebild.model import IngestSummary
from lagebild.report import build_report
from lagebild.store import picture


def window_report(connection, story_ids: list[str], run: IngestSummary | None = None) -> dict:
    """The report for these stories (ids in the picture's story order)."""
    lists: dict[str, list] = {"stories": picture.stories(connection, story_ids), "events": picture.events(connection, story_ids)}
    records, named = [], []
    for key in ("quotes", "claims", "times"):
        lists[key] = []
    for article_id, found in picture.articles(connection, story_ids):
        records.append(found["article"])
        for key in ("claims", "times"):
            lists[key] += found[key]
        named += [(article_id, mention) for mention in found["mentions"]]
    entity_of = picture.entity_ids(connection, (mention[0] for _, mention in named))
    mentions = defaultdict(list)
    for article_id, (name, start, end, text, role) in named:
        mentions[entity_of[name]].append(_mention(article_id, start, end, text, role))
    quotes = picture.quotes(connection, [record["id"] for record in records])
    lists["quotes"] = [quote for record in records for quote in quotes.get(record["id"], [])]
    lists["reuse"] = picture.reuse(connection, {record["id"] for record in records})
    lists["entities"] = _entities(connection, mentions)
    lists["disagreements"] = picture.disagreements(connection, story_ids)
    report = build_report(records, run or IngestSummary(), lists)
    report["new_since"] = None
    return report


def _mention(article_id: str, start: int, end: int, text: str, role: bool) -> dict:
    record = {"article_id": article_id, "start": start, "end": end, "text": text}
    if role:
        record["role"] = True
    return record


def _entities(connection, mentions: dict[str, list[dict]]) -> list[dict]:
    """The entities the window's articles name, with those mentions, most mentioned first."""
    known = picture.entities(connection, mentions)
    found = [{**known[entity_id], "mentions": sorted(found, key=lambda m: (m["article_id"], m["start"]))} for entity_id, found in mentions.items()]
    return sorted(found, key=lambda entity: (-len(entity["mentions"]), entity["name"]))
