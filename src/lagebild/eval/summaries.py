"""Summary evaluation: does each event summary state the facts an editor would require?

The gold (``summaries_gold.jsonl``, written by the lagebild authors) names events and, for each,
the facts its summary must state. A fact is a list of groups of alternative key words; it is stated
when one summary sentence contains an alternative of every group (case-insensitive). The
what-happened fact is marked ``first``: the summary's first sentence must state it. Events come from
three sources: the shipped example corpus (``examples/corpus``, by file and title), German Wikinews
articles (by ``documentName``; each analysed alone as an event of one article, its text read from
the data file at run time, so the gold holds no text) and the five seed articles, when a ``seeds``
folder stands next to the data folder.

Metrics per source and overall: ``fact_recall`` (facts stated / facts), ``lead_first`` (events
whose first sentence states the what-happened fact), ``standalone`` (summary sentences that need
no context, judged by ``compose.standalone``, the rule the summariser itself follows, so it checks
the rule is kept rather than that the rule is right), ``readable`` (those and the sentences shown
right after the sentence they lean on) and ``cited`` (summary sentences found in the
text of the event article they cite first, every citation an article of the event).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from importlib import resources
from pathlib import Path

from lagebild import pipeline
from lagebild.compose.standalone import needs_context
from lagebild.progress import Tracker
from lagebild.store import Store

GOLD = "summaries_gold.jsonl"
_DOCUMENT_NAME = re.compile(r"^\d+ - (?P<title>.*) \((?P<date>\d{4}-\d{2}-\d{2})\)$")


def evaluate(path: Path) -> dict:
    """``path``: a wikinews_quotes_de JSONL file or its folder (then every split in it)."""
    gold = load_gold()
    scored: dict[str, list[dict]] = defaultdict(list)
    for entry in gold:
        if entry["source"] == "wikinews":
            continue
        report = _source_report(entry["source"], path)
        if report is not None:
            scored[entry["source"]].append(score_event(entry, report))
    texts = _wikinews_texts(path)
    for entry in gold:
        if entry["source"] == "wikinews" and entry["article"] in texts:
            report = _analysed([_wikinews_article(entry["article"], texts[entry["article"]])])
            scored[f"wikinews_{entry.get('split', 'all')}"].append(score_event(entry, report))
    by_source = {source: _metrics(events) for source, events in sorted(scored.items())}
    return {
        "task": "summaries",
        "gold": GOLD,
        "metrics": _metrics([event for events in scored.values() for event in events]),
        "by_source": by_source,
        "missed": [{"event": e["event"], "facts": e["missed"], "first_sentence": e["first_sentence"]} for events in scored.values() for e in events if e["missed"] or not e["lead_first"]],
    }


def load_gold() -> list[dict]:
    text = resources.files("lagebild.eval").joinpath(GOLD).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def score_event(entry: dict, report: dict) -> dict:
    """The gold entry's event in the report, its summary checked fact by fact."""
    event = _event_of(entry, report)
    summary = [s["text"] for s in event["summary"]] if event else []
    missed = [fact["all"] for fact in entry["facts"] if not any(states(sentence, fact["all"]) for sentence in summary)]
    first = next((fact for fact in entry["facts"] if fact.get("first")), None)
    texts = {article["id"]: article["text"] for article in report["articles"]}
    languages = {article["id"]: article["language"] for article in report["articles"]}
    return {
        "event": entry.get("title") or entry["article"],
        "facts": len(entry["facts"]),
        "missed": missed,
        "has_first": first is not None,
        "lead_first": first is None or bool(summary and states(summary[0], first["all"])),
        "first_sentence": summary[0] if summary else None,
        "sentences": len(summary),
        "standalone": sum(needs_context(s["text"], languages.get(s["article_ids"][0])) is None for s in event["summary"]) if event else 0,
        "readable": _readable(event["summary"], report) if event else 0,
        "cited": sum(_cited(s, event, texts) for s in event["summary"]) if event else 0,
    }


def states(sentence: str, groups: list[list[str]]) -> bool:
    """The sentence names one alternative of every group."""
    folded = sentence.casefold()
    return all(any(word.casefold() in folded for word in group) for group in groups)


def _readable(summary: list[dict], report: dict) -> int:
    """Summary sentences that stand alone or come right after the sentence they lean on."""
    articles = {article["id"]: article for article in report["articles"]}
    count = 0
    for position, sentence in enumerate(summary):
        article = articles[sentence["article_ids"][0]]
        alone = needs_context(sentence["text"], article["language"]) is None
        count += alone or (position > 0 and _sentence_before(article, sentence["text"]) == summary[position - 1]["text"])
    return count


def _sentence_before(article: dict, text: str) -> str | None:
    spans = [article["text"][s["start"] : s["end"]] for s in article["sentences"]]
    index = spans.index(text) if text in spans else 0
    return spans[index - 1] if index else None


def _cited(sentence: dict, event: dict, texts: dict[str, str]) -> bool:
    ids = sentence["article_ids"]
    return bool(ids) and set(ids) <= set(event["article_ids"]) and sentence["text"] in texts.get(ids[0], "")


def _metrics(events: list[dict]) -> dict:
    facts = sum(e["facts"] for e in events)
    sentences = sum(e["sentences"] for e in events)
    with_first = [e for e in events if e["has_first"]]
    return {
        "events": len(events),
        "facts": facts,
        "fact_recall": round(1 - sum(len(e["missed"]) for e in events) / facts, 3) if facts else None,
        "lead_first": round(sum(e["lead_first"] for e in with_first) / len(with_first), 3) if with_first else None,
        "standalone": round(sum(e["standalone"] for e in events) / sentences, 3) if sentences else None,
        "readable": round(sum(e["readable"] for e in events) / sentences, 3) if sentences else None,
        "cited": round(sum(e["cited"] for e in events) / sentences, 3) if sentences else None,
    }


def _event_of(entry: dict, report: dict) -> dict | None:
    """The event holding the gold's article: by title where the gold gives one (a feed's entries
    have the entry's address as path), else by file (the path ends so)."""
    for article in report["articles"]:
        if entry["source"] == "wikinews":
            found = True  # analysed alone
        elif "title" in entry:
            found = entry["title"] in (article.get("title") or "")
        else:
            found = (article.get("path") or "").endswith(entry["article"])
        if found:
            return next((e for e in report["events"] if article["id"] in e["article_ids"]), None)
    return None


_reports: dict[Path, dict] = {}


def _source_report(source: str, data_path: Path) -> dict | None:
    """One analysis per corpus (the example corpus, the seeds), shared by its gold events."""
    folder = _examples() if source == "examples" else _seeds_near(data_path)
    if folder is None:
        return None
    if folder not in _reports:
        _reports[folder] = _analysed([str(folder)])
    return _reports[folder]


def _examples() -> Path | None:
    folder = Path(__file__).resolve().parents[3] / "examples" / "corpus"  # a checkout of the repository
    return folder if folder.is_dir() else None


def _seeds_near(data_path: Path) -> Path | None:
    """``../shared/seeds`` next to ``../shared/data``: the first ``seeds`` folder up from the data."""
    for parent in data_path.resolve().parents:
        if (parent / "seeds").is_dir():
            return parent / "seeds"
    return None


def _wikinews_texts(path: Path) -> dict[str, str]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    texts = {}
    for file in files:
        for line in file.open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                texts[row["documentName"]] = row["originalText"]
    return texts


def _wikinews_article(name: str, text: str) -> dict:
    match = _DOCUMENT_NAME.match(name)
    return {"title": match["title"], "date": match["date"], "text": text} if match else {"text": text}


def _analysed(inputs: list) -> dict:
    """The report of a fresh analysis of folders (paths) or articles (dicts, as JSONL records)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [item for item in inputs if isinstance(item, str)]
        records = [item for item in inputs if isinstance(item, dict)]
        if records:
            file = Path(folder) / "articles.jsonl"
            file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            paths.append(str(file))
        store = Store(":memory:")
        try:
            tracker = Tracker(None)
            return pipeline.analyse(store, pipeline.ingest(store, paths, tracker), tracker)
        finally:
            store.close()
