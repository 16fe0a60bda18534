"""The analysis pipeline: ingest inputs into the store, run every stage, build the report.

Stages read Articles from the store and return report records; they share nothing else. New
stages (entities, reuse, events, time, quotes, claims, composition) plug in here.
"""

from __future__ import annotations

import gc
import sqlite3
import time
import zlib
from collections import defaultdict
from contextlib import contextmanager

import numpy as np

from lagebild.ingest import DEFAULT_MAX_BYTES, discover, read_input
from lagebild.extract.entities import iter_mentions
from lagebild.extract.claims import find_claims
from lagebild.extract.quotes import find_quotes
from lagebild.extract.times import find_times
from lagebild.link.claims import compare_claims
from lagebild.link.entities import complete_names, merge_mentions
from lagebild.link import event_state
from lagebild.link.events import OnlineClusterer, cluster, compare_articles, event_text, infer_dates
from lagebild.link.reuse import find_reuse, links_within
from lagebild.compose.novelty import event_additions, what_is_new
from lagebild.model import AnalysisOptions, Article, IngestSummary
from lagebild.nlp.embeddings import BATCH as EMBEDDING_BATCH, article_vectors, batched_vectors, model_key
from lagebild.nlp.sentences import split_article
from lagebild.progress import Tracker
from lagebild.report import addition_record, article_record, build_report, entity_record, time_record
from lagebild.report.claims import claim_records
from lagebild.report.events import event_and_story_records
from lagebild.report.quotes import quote_records
from lagebild.report.reuse import reuse_records
from lagebild.report.saved import keep_report
from lagebild.store import Store

BATCH_SIZE = 500


def ingest(store: Store, inputs: list[str], tracker: Tracker, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestSummary:
    """Read every input into the store; bad inputs become recorded problems, never exceptions."""
    locations, problems = discover(inputs)
    summary = IngestSummary(problems=problems)
    batch: list[Article] = []
    for location in tracker.track(locations, "Reading"):
        for item in read_input(location, max_bytes):
            if isinstance(item, Article):
                batch.append(item)
            else:
                summary.problems.append(item)
        if len(batch) >= BATCH_SIZE:
            _flush(store, batch, summary)
    _flush(store, batch, summary)
    store.add_problems(summary.problems)
    return summary


def _flush(store: Store, batch: list[Article], summary: IngestSummary) -> None:
    added = store.add_articles(batch)
    summary.read += len(batch)
    summary.added += added
    summary.already_stored += len(batch) - added
    batch.clear()


def pairwise_evidence(a: Article, b: Article, embeddings: bool = False) -> dict:
    """Same-event similarity of two articles with its evidence (shared entities by name)."""
    documents = [(article, split_article(article)) for article in (a, b)]
    entities = merge_mentions([m for found in _mentions(documents, iter_mentions(documents)).values() for m in found])
    vectors = article_vectors([event_text(*document) for document in documents]) if embeddings else None
    return compare_articles(documents, entities, find_reuse(documents), vectors)


def _mentions(documents, found_lists) -> dict[str, list]:
    """Each article's mentions, names the tagger cut short completed from the others'."""
    found = {article.id: mentions for (article, _), mentions in zip(documents, found_lists)}
    return complete_names(found, {article.id: article.text for article, _ in documents})


def _clustered(store: Store, documents, entities, links, vectors) -> tuple[OnlineClusterer, dict]:
    """Events and stories, going on from the clustering the store kept from its last run, and kept
    again; with what the report says of it."""
    key = event_state.state_key(embeddings=vectors is not None)
    restored, note = _restored_clusterer(store, key)
    placed_before = len(restored.event_of) if restored else 0
    clusterer = cluster(documents, entities, links, vectors, restored)
    try:
        store.save_clusterer_state(key, event_state.dump(clusterer))
    except sqlite3.Error as error:  # a read-only store can still be analysed
        note = f"the event clustering could not be kept in the store ({error}): the next run starts afresh"
    return clusterer, {"continued": restored is not None, "articles_placed": len(clusterer.event_of) - placed_before, "note": note}


def _restored_clusterer(store: Store, key: str) -> tuple[OnlineClusterer | None, str | None]:
    """The clustering as the last run left it, or None (start afresh) with a note if it cannot be read."""
    saved = store.clusterer_state(key)
    try:
        return (event_state.load(saved) if saved else None), None
    except (ValueError, KeyError, TypeError, IndexError, zlib.error):
        return None, "the saved event clustering could not be read: clustered afresh"


def _embed(documents, tracker: Tracker, store: Store):
    """One article vector per document, with progress (the slowest step when it is on). Vectors
    the store holds from earlier runs are reused and new ones stored a batch at a time, so a
    growing store embeds only its new articles, and an interrupted run keeps what it embedded."""
    if not documents:
        return None
    model = model_key()
    ids = [article.id for article, _ in documents]
    known = store.vectors(model, ids)
    missing = [document for document in documents if document[0].id not in known]
    texts = [event_text(article, sentences) for article, sentences in missing]
    done, keeping = 0, True
    for batch in tracker.track(batched_vectors(texts), "Embedding articles", total=-(-len(texts) // EMBEDDING_BATCH)):
        new = {article.id: vector for (article, _), vector in zip(missing[done : done + len(batch)], batch)}
        try:
            if keeping:
                store.add_vectors(model, new)
        except sqlite3.Error:  # a read-only store: the vectors serve this run only
            keeping = False
        known.update(new)
        done += len(batch)
    return np.vstack([known[article_id] for article_id in ids])


QUOTE_WEIGHT = 0.15  # a sentence saying who said what
CLAIM_WEIGHT = 0.1  # a sentence saying how many
COMPARED_CLAIM_WEIGHT = 0.25  # a number that several outlets report (agreeing or not)


def summary_facts(documents, quotes: list[dict], claims, compared: dict[str, str]) -> dict[tuple[str, int], tuple[float, frozenset]]:
    """For sentences that carry findings: a weight (an attributed direct quotation, a counted
    claim) and the statements they carry: the quoted statement's id, the compared quantity's
    group (two sentences quoting one statement, or counting one quantity, repeat each other)."""
    facts: dict[tuple[str, int], tuple[float, frozenset]] = {}
    positions = {article.id: sentences for article, sentences in documents}
    found = [(q["article_id"], q["start"], QUOTE_WEIGHT if q["speaker"] and q["direct"] else 0.0, q["statement_id"]) for q in quotes]
    found += [(c.article_id, c.start, COMPARED_CLAIM_WEIGHT if c.id in compared else CLAIM_WEIGHT, compared.get(c.id)) for c in claims if c.unit]
    for article_id, start, weight, statement in found:
        index = next((i for i, s in enumerate(positions[article_id]) if s.start <= start < s.end), None)
        if index is not None:
            old_weight, statements = facts.get((article_id, index), (0.0, frozenset()))
            facts[(article_id, index)] = (max(old_weight, weight), statements | ({statement} if statement else set()))
    return facts


def _claim_groups(disagreements: list[dict]) -> dict[str, str]:
    """Claim id -> the compared quantity it belongs to."""
    return {claim_id: f"quantity-{number}" for number, group in enumerate(disagreements) for claim_id in group["claim_ids"]}


def _by_article(findings: list[dict]) -> defaultdict[str, list[dict]]:
    grouped: defaultdict[str, list[dict]] = defaultdict(list)
    for finding in findings:
        grouped[finding["article_id"]].append(finding)
    return grouped


class _Stopwatch:
    """Seconds per stage, reported in the JSON report (``lagebild.stage_seconds``)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)


@contextmanager
def _rare_full_collections():
    """An analysis keeps millions of objects alive until its report is built, and Python's full
    garbage collections walk them all whenever a quarter as many again have piled up: a third of
    the entity stage's time on 10,000 articles. Our stages make little cyclic garbage, so full
    collections wait for a hundred times more young ones while the analysis runs."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, old * 100)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


def analyse(store: Store, run: IngestSummary, tracker: Tracker, options: AnalysisOptions = AnalysisOptions()) -> dict:
    """The report for everything in the store (kept in it for the listing commands)."""
    with _rare_full_collections():
        report = _analyse(store, run, tracker, options)
    keep_report(store, options, report)
    return report


def _analyse(store: Store, run: IngestSummary, tracker: Tracker, options: AnalysisOptions) -> dict:
    clock = _Stopwatch()
    with clock.stage("sentences"):
        documents = [
            (article, split_article(article))
            for article in tracker.track(store.articles(), "Splitting sentences", total=store.count())
        ]
    with clock.stage("reuse"):
        links = find_reuse(documents)
    with clock.stage("entities"):
        mentions = _mentions(documents, iter_mentions(tracker.track(documents, "Finding entities")))
        entities = merge_mentions([m for found in mentions.values() for m in found])
    with clock.stage("quotes"):
        quotes = [q for article, sentences in documents for q in find_quotes(article, sentences, mentions[article.id])]
        quote_dicts = quote_records(quotes, entities, {article.id: article.language for article, _ in documents})
    with clock.stage("events"):
        vectors = _embed(documents, tracker, store) if options.embeddings else None
        clusterer, clustering = _clustered(store, documents, entities, links, vectors)
        inferred = infer_dates(clusterer, documents)
    with clock.stage("times"):
        times_by_article = {
            article.id: find_times(article.text, sentences, article.date or inferred.get(article.id), article.language)
            for article, sentences in documents
        }
        times = [{"article_id": article_id, **time_record(t)} for article_id, found in times_by_article.items() for t in found]
    with clock.stage("claims"):
        claims = [
            claim
            for article, sentences in documents
            for claim in find_claims(article.id, article.text, sentences, times_by_article[article.id], article.language)
        ]
        story_of_article = {a: clusterer.story_of[clusterer.event_of[a]] for a in clusterer.event_of}
        claim_dicts = claim_records(claims, quote_dicts)
        disagreements = compare_claims(claims, story_of_article, {c["id"]: c["via"] for c in claim_dicts})
    with clock.stage("composition"):
        facts = summary_facts(documents, quote_dicts, claims, _claim_groups(disagreements))
        events, stories = event_and_story_records(clusterer, documents, times, links, facts, options.summary_sentences)
        by_id = {article.id: (article, sentences) for article, sentences in documents}
        event_links = links_within(links, clusterer.event_of)
        additions = {
            article_id: found
            for event in events
            for article_id, found in event_additions([by_id[a] for a in event["article_ids"]], event_links.get(event["id"], [])).items()
        }
        new_since = what_is_new(options.since, documents, links, clusterer.event_of, inferred) if options.since else None
    with clock.stage("report"):
        records = [article_record(article, sentences) for article, sentences in documents]
        quotes_of, claims_of = _by_article(quote_dicts), _by_article(claim_dicts)
        for record in records:
            record["inferred_date"] = inferred.get(record["id"])
            record["adds"] = addition_record(record, additions.get(record["id"], []), quotes_of[record["id"]], claims_of[record["id"]])
        findings = {
            "reuse": reuse_records(links, documents, records),
            "entities": [entity_record(e) for e in entities],
            "events": events,
            "stories": stories,
            "quotes": quote_dicts,
            "times": times,
            "claims": claim_dicts,
            "disagreements": disagreements,
        }
        report = build_report(records, run, findings)
        report["new_since"] = new_since
    report["lagebild"]["stage_seconds"] = clock.seconds
    report["lagebild"]["clustering"] = clustering  # whether this run went on from the store's saved clustering
    return report
