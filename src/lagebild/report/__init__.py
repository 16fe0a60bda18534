"""The JSON report (contract v1): one object with a list per kind of finding.

Fields may be added, never renamed; ``report.schema.json`` beside this file documents the
contract and the tests validate every report against it. Lists that a later stage fills are
present and empty until that stage exists.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import resources

from lagebild import __version__
from lagebild.model import Article, Entity, IngestSummary, Mention, Sentence, TimeExpression

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
    spans = [(record["sentences"][i]["start"], record["sentences"][i]["end"]) for i in sentence_indices]

    def inside(finding: dict) -> bool:
        return any(start <= finding["start"] < end for start, end in spans)

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


def build_report(article_records: list[dict], run: IngestSummary, findings: dict[str, list] | None = None) -> dict:
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
        report[name] = list(findings.get(name, []))
    return report


def write_json(report: dict, destination) -> None:
    """Write the report to a text stream; UTF-8, human-readable indentation."""
    json.dump(report, destination, ensure_ascii=False, indent=2)
    destination.write("\n")


def schema() -> dict:
    text = resources.files("lagebild").joinpath("report", "report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
