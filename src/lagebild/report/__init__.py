"""The JSON report (contract v1): one object with a list per kind of finding.

Fields may be added, never renamed; ``report.schema.json`` beside this file documents the
contract and the tests validate every report against it. Lists that a later stage fills are
present and empty until that stage exists.
"""

from __future__ import annotations

import json

import orjson
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import resources

from lagebild import __version__
from lagebild.model import Article, Entity, IngestSummary, Mention, Sentence, TimeExpression
from lagebild.spans import ByStart

SCHEMA_VERSION = 1
FINDING_LISTS = ("events", "stories", "reuse", "entities", "times", "quotes", "claims", "disagreements")


def article_record(article: Article, sentences: list[Sentence]) -> dict:
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "date": article.date,
        "date_source": article.date_source,
        "dateline": article.dateline,
        "credits": article.credits,
        "byline": article.byline,
        "desk_code": article.desk_code,
        "language": article.language,
        "url": article.url,
        "outlet": article.outlet,
        "source_format": article.source_format,
        "text": article.text,
        "body_offset": article.body_offset,
        "fields": [asdict(field) for field in article.fields],
        "sentences": [
            {"start": sentence.start, "end": sentence.end, "heading": sentence.is_heading, "shared_with": []}
            for sentence in sentences
        ],
        "duplicate_of": None,
        "warnings": article.warnings,
    }


def addition_record(record: dict, sentence_indices: list[int], quotes: list[dict], claims: list[dict]) -> dict:
    """What an article adds to its event: its sentences that no other article of the event
    tells, and the quotations and numbers that stand in them (``quotes`` and ``claims``: the
    article's own)."""
    own = ByStart(((record["sentences"][i]["start"], record["sentences"][i]["end"]) for i in sentence_indices), start=lambda span: span[0])

    def inside(finding: dict) -> bool:
        return own.holding(finding["start"], end=lambda span: span[1]) is not None

    return {
        "sentences": sentence_indices,
        "quotes": [[q["start"], q["end"]] for q in quotes if inside(q)],
        "claim_ids": [c["id"] for c in claims if inside(c)],
    }


def entity_record(entity: Entity) -> dict:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "variants": entity.variants,
        "mentions": [_mention_record(m) for m in entity.mentions],
    }


def _mention_record(mention: Mention) -> dict:
    record = {"article_id": mention.article_id, "start": mention.start, "end": mention.end, "text": mention.text}
    if mention.role:
        record["role"] = True  # a role word standing for the entity ("den Machthaber")
    return record


def time_record(expression: TimeExpression) -> dict:
    return {
        "start": expression.start,
        "end": expression.end,
        "text": expression.text,
        "type": expression.type,
        "value": expression.value,
        "mod": expression.mod,
    }


class Stream:
    """A list that ``write_json`` writes item by item, never whole in memory: each iteration
    calls ``make`` anew (a query over the store, say)."""

    def __init__(self, make) -> None:
        self.make = make

    def __iter__(self):
        return iter(self.make())


def build_report(article_records: list[dict] | Stream, run: IngestSummary, findings: dict[str, list] | None = None) -> dict:
    findings = findings or {}
    report = {
        "lagebild": {
            "version": __version__,
            "schema_version": SCHEMA_VERSION,
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        },
        "run": {
            "read": run.read,
            "added": run.added,
            "already_stored": run.already_stored,
            "skipped": [{"path": problem.path, "reason": problem.reason} for problem in run.problems],
        },
        "articles": article_records,
    }
    for name in FINDING_LISTS:
        found = findings.get(name, [])
        report[name] = found if isinstance(found, Stream) else list(found)
    return report


def write_json(report: dict, destination) -> None:
    """Write the report to a text stream; UTF-8, human-readable indentation (as json.dump's
    indent=2). Lists given as ``Stream`` are written an item at a time."""
    destination.write("{")
    for number, (key, value) in enumerate(report.items()):
        destination.write(("," if number else "") + "\n  " + json.dumps(key) + ": ")
        if isinstance(value, Stream):
            _write_stream(value, destination)
        else:
            destination.write(_indented(_dumps(value), 2))
    destination.write("\n}\n")


def _write_stream(items: Stream, destination) -> None:
    destination.write("[")
    written = False
    for item in items:
        destination.write(("," if written else "") + "\n    " + _indented(_dumps(item), 4))
        written = True
    destination.write("\n  ]" if written else "]")


def _dumps(value) -> str:
    """JSON as json.dumps(indent=2, ensure_ascii=False) writes it, made by orjson (thirty times
    faster on a large report)."""
    if value == [] or value == {}:
        return json.dumps(value)  # orjson writes an empty list or object over two lines
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")


def _indented(text: str, by: int) -> str:
    return text.replace("\n", "\n" + " " * by)


def materialised(report: dict) -> dict:
    """The report with its streams read into lists (for the HTML and Markdown writers)."""
    return {key: list(value) if isinstance(value, Stream) else value for key, value in report.items()}


def schema() -> dict:
    text = resources.files("lagebild").joinpath("report", "report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
