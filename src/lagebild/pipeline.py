"""The engine: ingest inputs into the store, run the per-article stages on what they lack
(``stages``, in worker processes), link the new articles to what the store holds, and keep the
picture in the store's tables, from which every report is a window (``report.window``).

Linking reads the stage results of every stored article and links the new ones: wire copy through
the store's reuse index, events and stories going on from the saved clustering; entities,
statements and compared numbers are grouped again, and composition and the picture's rows are
redone for the stories the new articles touched. A run's writes to the picture are one transaction.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sqlite3
import time
import zlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np

from lagebild.ingest import DEFAULT_MAX_BYTES, discover, read_input
from lagebild.extract.entities import iter_mentions
from lagebild.link.claims import compare_claims
from lagebild.link.entities import complete_names, merge_mentions
from lagebild.link import event_state
from lagebild.link.events import OnlineClusterer, cluster, compare_articles, event_text, infer_dates
from lagebild.link import reuse
from lagebild.link.reuse import find_reuse, links_within
from lagebild.compose.novelty import event_additions, what_is_new
from lagebild.model import AnalysisOptions, Article, Entity, IngestSummary, Mention, ReuseLink
from lagebild.nlp.embeddings import BATCH as EMBEDDING_BATCH, article_vectors, batched_vectors, model_key
from lagebild.nlp.sentences import split_article
from lagebild.progress import Tracker
from lagebild.report import addition_record, article_record, build_report, entity_record, time_record
from lagebild.report.claims import claim_records
from lagebild.report.events import event_and_story_records
from lagebild.report.quotes import quote_records
from lagebild.report.reuse import reuse_records
from lagebild.report.window import window_report
from lagebild.versions import code_version
from lagebild.stages import STAGES, Findings, chunks, compute, decode_into, encode, versions
from lagebild.store import Store, picture

BATCH_SIZE = 500
STAGE_BATCH = 256  # articles a worker runs the per-article stages on at once (the tagger's batch)
LOAD_BATCH = 1000  # articles whose stage results are read from the store at once


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
    summary.article_ids += [article.id for article in batch]
    batch.clear()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_stages(store: Store, tracker: Tracker, jobs: int = 1) -> int:
    """Run each per-article stage on the articles that have no result of its current version
    (new articles; all of them for a stage whose version changed), ``jobs`` processes at once, and
    keep the results batch by batch. Returns how many articles had a stage to run."""
    current = versions()
    kept = store.stage_progress()
    done = {stage: kept[stage][1] if kept.get(stage, ("", 0))[0] == current[stage] else 0 for stage in STAGES}
    start = min(done.values())
    total = store.count(start)
    tasks = ((batch, done, store.stage_results(batch[0][0], batch[-1][0])) for batch in chunks(store.numbered_articles(start), STAGE_BATCH))
    workers = jobs if total > STAGE_BATCH else 1  # starting workers costs more than a batch
    for batch, rows in tracker.track(_in_order(_stage_batch, tasks, workers), "Analysing articles", total=-(-total // STAGE_BATCH)):
        last = batch[-1][0]
        store.save_stage_results(rows, {stage: (current[stage], max(done[stage], last)) for stage in STAGES})
    return total


def _stage_batch(batch: list[tuple[int, Article]], done: dict[str, int], stored: dict) -> tuple[list, list]:
    """The stages a batch of articles needs, run (in a worker process when there are several);
    returns the batch's (seq, article) pairs without texts and the result rows to store."""
    current = versions()
    findings, needed = [], []
    for seq, article in batch:
        found, have = Findings(article, seq), stored.get(seq, {})
        need = {stage for stage in STAGES if seq > done[stage] or stage not in have}
        for stage in STAGES:
            if stage not in need:
                decode_into(found, stage, have[stage][1])
        findings.append(found)
        needed.append(need)
    compute(findings, needed)
    rows = [(seq, stage, current[stage], encode(found, stage)) for (seq, _), found, need in zip(batch, findings, needed) for stage in sorted(need)]
    return [(seq, None) for seq, _ in batch], rows


def _in_order(function: Callable, tasks: Iterable[tuple], jobs: int) -> Iterator:
    """``function(*task)`` for each task, in order; with several jobs in worker processes, a few
    tasks ahead (never the whole input in flight)."""
    if jobs <= 1:
        yield from (function(*task) for task in tasks)
        return
    # spawn, not fork: the progress display runs a thread, and a forked thread's locks deadlock
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.submit(function, *task))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def stored_findings(store: Store, tracker: Tracker) -> Iterator[Findings]:
    """Every article with its stage results, in arrival order (``run_stages`` first)."""
    articles = tracker.track(store.numbered_articles(), "Reading findings", total=store.count())
    for batch in chunks(articles, LOAD_BATCH):
        stored = store.stage_results(batch[0][0], batch[-1][0])
        for seq, article in batch:
            found = Findings(article, seq)
            for stage in STAGES:
                decode_into(found, stage, stored[seq][stage][1])
            yield found


def picture_is_complete(store: Store) -> bool:
    """Whether every stored article is in the store's picture (not so after an interrupted run)."""
    return store.count() == store.connection.execute("SELECT COUNT(*) FROM picture_articles").fetchone()[0]


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


def _clustered(documents, entities, links, vectors, restored: OnlineClusterer | None, note: str | None, key: str) -> tuple[OnlineClusterer, tuple[int, int, int], dict]:
    """Events and stories, going on from the clustering the store kept from its last run; with
    how many merges and splits it had recorded then, and what the report says of it."""
    placed_before = len(restored.event_of) if restored else 0
    history = (len(restored.merges), len(restored.splits), len(restored.story_merges)) if restored else (0, 0, 0)
    clusterer = cluster(documents, entities, links, vectors, restored)
    clustering = {"continued": restored is not None, "articles_placed": len(clusterer.event_of) - placed_before, "note": note, "key": key}
    return clusterer, history, clustering


def _reuse(store: Store, findings: list[Findings], linked: int) -> tuple[list[ReuseLink], list[tuple[int, int]]]:
    """The wire copy the picture holds, and that of the articles new to linking, found through the
    store's reuse index (all articles when linking starts again: ``linked`` 0). Returns every link
    and the index rows to add."""
    new = {found.seq: found.document for found in findings if found.seq > linked}
    if not new:
        return picture.reuse_links(store.connection), []
    known = {found.seq: found.document for found in findings}
    trigrams = {trigram for sentence in reuse.comparable(new) for trigram in sentence.trigrams}
    index = reuse.AnchorIndex(store.anchor_postings(trigrams) if linked else {})
    new_links, anchors = reuse.link_new(new, index, known)
    seq_of = {found.article.id: found.seq for found in findings}
    links = (picture.reuse_links(store.connection) if linked else []) + new_links
    return sorted(links, key=lambda link: (seq_of[link.article_a], seq_of[link.article_b])), anchors


@cache
def link_version() -> str:
    """What the picture was linked with: the pipeline's code (with all it imports) and the
    language data. Another version links the whole store again (the stages' results are kept)."""
    return code_version(("lagebild.pipeline",), ("lang", "data"))


def _keep_clustering(store: Store, clusterer: OnlineClusterer, clustering: dict) -> None:
    """The clustering state, inside the transaction that writes the picture."""
    store.connection.execute(
        "INSERT OR REPLACE INTO clusterer_states (key, state, saved_at) VALUES (?, ?, datetime('now'))", (clustering.pop("key"), event_state.dump(clusterer))
    )


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


def _refresh(store: Store, findings: list[Findings], mentions: dict[str, list], inferred: dict[str, str]) -> set[str]:
    """Quotations found again where other articles completed a name, times and claims where an
    undated article's event now gives it a date; the new results are kept. Returns the ids of
    the articles whose findings changed."""
    current = versions()
    rows, changed = [], set()
    for found in findings:
        article = found.article
        for stage in sorted(found.refresh(mentions[article.id], article.date or inferred.get(article.id))):
            rows.append((found.seq, stage, current[stage], encode(found, stage)))
            changed.add(article.id)
    if rows:
        store.save_stage_results(rows, {})
    return changed


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


def analyse(store: Store, run: IngestSummary, tracker: Tracker, options: AnalysisOptions = AnalysisOptions(), jobs: int = 1) -> dict:
    """Analyse what the store holds and keep the picture in it; returns the report of the
    stories the run's articles belong to (with ``options.since``, also those of what is new)."""
    with _rare_full_collections():
        made = _analyse(store, run, tracker, options, jobs)
    new_since = made["new_since"]
    wanted = run.article_ids + (new_since["new_article_ids"] if new_since else [])
    report = window_report(store.connection, picture.stories_of_articles(store.connection, wanted), run)
    report["lagebild"].update(stage_seconds=made["stage_seconds"], clustering=made["clustering"])
    report["new_since"] = new_since
    return report


def _analyse(store: Store, run: IngestSummary, tracker: Tracker, options: AnalysisOptions, jobs: int) -> dict:
    clock = _Stopwatch()
    with clock.stage("stages"):
        run_stages(store, tracker, jobs)
    with clock.stage("reading"):
        findings = list(stored_findings(store, tracker))
        documents = [found.document for found in findings]
        state_key = event_state.state_key(embeddings=options.embeddings)
        restored, note = _restored_clusterer(store, state_key)
        linked = picture.linked_seq(store.connection, link_version()) if restored else 0
        restored = restored if linked else None  # another linking made the picture: link everything again
    with clock.stage("reuse"):
        links, anchors = _reuse(store, findings, linked)
    with clock.stage("entities"):
        mentions = complete_names({f.article.id: f.mentions for f in findings}, {f.article.id: f.article.text for f in findings})
        entities = merge_mentions([m for found in mentions.values() for m in found])
    with clock.stage("events"):
        vectors = _embed(documents, tracker, store) if options.embeddings else None
        clusterer, history, clustering = _clustered(documents, entities, links, vectors, restored, note, state_key)
        inferred = infer_dates(clusterer, documents)
    with clock.stage("refresh"):
        refreshed = _refresh(store, findings, mentions, inferred)
    continued = clustering["continued"]
    fresh = {found.article.id for found in findings if found.seq > linked} | _missing_from_picture(store, findings)
    touched, gone = _touched_stories(clusterer, history, fresh | refreshed) if continued else (set(clusterer.story_of.values()), set())
    story_of_article = {a: clusterer.story_of[clusterer.event_of[a]] for a in clusterer.event_of}
    in_touched = {article_id for article_id, story_id in story_of_article.items() if story_id in touched}
    with clock.stage("quotes"):
        quotes = [quote for found in findings for quote in found.quotes]
        quote_dicts = quote_records(quotes, entities, {article.id: article.language for article, _ in documents})
    with clock.stage("claims"):
        claims = [claim for found in findings for claim in found.claims]
        claim_dicts = claim_records(claims, quote_dicts)
        touched_claims = [claim for claim in claims if claim.article_id in in_touched]
        disagreements = compare_claims(touched_claims, story_of_article, {c["id"]: c["via"] for c in claim_dicts})
    with clock.stage("composition"):
        touched_documents = [document for document in documents if document[0].id in in_touched]
        times = [{"article_id": found.article.id, **time_record(t)} for found in findings if found.article.id in in_touched for t in found.times]
        facts = summary_facts(touched_documents, [q for q in quote_dicts if q["article_id"] in in_touched], touched_claims, _claim_groups(disagreements))
        events, stories = event_and_story_records(clusterer, touched_documents, times, links, facts, options.summary_sentences)
        new_since = what_is_new(options.since, documents, links, clusterer.event_of, inferred) if options.since else None
    with clock.stage("report"):
        records = {article.id: article_record(article, sentences) for article, sentences in documents}
        reuse_list = reuse_records(links, documents, list(records.values()))
        rewritten = in_touched | _copies_of(fresh, links, records)
        _add_article_fields(records, rewritten, documents, links, clusterer, inferred, quote_dicts, claim_dicts)
        _keep_picture(
            store,
            Picture(records, rewritten, fresh, reuse_list, anchors, entities, mentions, quote_dicts, claim_dicts, findings, events, stories, disagreements, touched | gone),
            clusterer,
            clustering,
        )
    return {"stage_seconds": clock.seconds, "clustering": clustering, "new_since": new_since}


def _missing_from_picture(store: Store, findings: list[Findings]) -> set[str]:
    """Articles linked before whose picture rows are gone (a damaged picture is mended)."""
    if picture_is_complete(store):
        return set()
    shown = {row[0] for row in store.connection.execute("SELECT article_id FROM picture_articles")}
    return {found.article.id for found in findings if found.article.id not in shown}


def _touched_stories(clusterer: OnlineClusterer, history: tuple[int, int, int], changed: set[str]) -> tuple[set[str], set[str]]:
    """The stories whose picture a run changed (they hold an article new to linking or found
    anew, or an event merged or split in this run), and the stories merged into others."""
    merges, splits, story_merges = (clusterer.merges[history[0]:], clusterer.splits[history[1]:], clusterer.story_merges[history[2]:])
    events = {clusterer.event_of[a] for a in changed} | {kept for _, kept in merges} | {event for pair in splits for event in pair}
    gone = {absorbed for absorbed, _ in story_merges}
    stories = {clusterer.story_of[event] for event in events if event in clusterer.story_of} | {kept for _, kept in story_merges}
    return stories - gone, gone


def _copies_of(fresh: set[str], links: list[ReuseLink], records: dict[str, dict]) -> set[str]:
    """Articles whose wire-copy marks the new ones change: the articles they share text with, and
    the near-duplicates of the same copy (which of them counts as the original may change)."""
    partners = {article for link in links if link.article_a in fresh or link.article_b in fresh for article in (link.article_a, link.article_b)}
    originals = {records[a]["duplicate_of"] or a for a in fresh}
    return partners | {a for a, record in records.items() if (record["duplicate_of"] or a) in originals}


def _add_article_fields(records, rewritten, documents, links, clusterer, inferred, quote_dicts, claim_dicts) -> None:
    """The inferred date and what each article adds to its event, for the article records that
    are written; ``event_additions`` compares the articles of one event."""
    members: defaultdict[str, list] = defaultdict(list)
    for document in documents:
        members[clusterer.event_of[document[0].id]].append(document)
    event_links = links_within(links, clusterer.event_of)
    additions = {}
    for event_id in {clusterer.event_of[a] for a in rewritten}:
        additions.update(event_additions(members[event_id], event_links.get(event_id, [])))
    quotes_of, claims_of = _by_article(quote_dicts), _by_article(claim_dicts)
    for article_id in rewritten:
        record = records[article_id]
        record["inferred_date"] = inferred.get(article_id)
        record["adds"] = addition_record(record, additions.get(article_id, []), quotes_of[article_id], claims_of[article_id])


@dataclass
class Picture:
    """What a run writes to the store's picture tables."""

    records: dict[str, dict]  # every article's report record; those in ``rewritten`` complete
    rewritten: set[str]  # articles whose rows are written
    fresh: set[str]  # articles new to linking
    reuse: list[dict]
    anchors: list[tuple[int, int]]  # the reuse index's new rows
    entities: list[Entity]
    mentions: dict[str, list[Mention]]  # per article, names completed
    quotes: list[dict]
    claims: list[dict]
    findings: list[Findings]
    events: list[dict]  # of the stories written
    stories: list[dict]
    disagreements: list[dict]  # of the stories written
    replaced_stories: set[str]  # stories whose rows are replaced (written again, or merged away)


def _keep_picture(store: Store, made: Picture, clusterer: OnlineClusterer, clustering: dict) -> None:
    """Write what the run changed to the picture tables, with the clustering state and how far
    linking has got, in one transaction: a run killed at any moment leaves the picture and the
    clustering as the last complete run left them."""
    seqs = {found.article.id: found.seq for found in made.findings}
    times = {found.article.id: [time_record(t) for t in found.times] for found in made.findings if found.article.id in made.rewritten}
    claims_of = _by_article(made.claims)
    day_of = {a: record["date"] or record.get("inferred_date") for a, record in made.records.items()}
    rows = []
    for article_id in sorted(made.rewritten, key=seqs.__getitem__):
        event_id = clusterer.event_of.get(article_id)
        named = [[m.name, m.start, m.end, m.text, m.role] for m in made.mentions[article_id]]
        found = {"article": made.records[article_id], "claims": claims_of[article_id], "times": [{"article_id": article_id, **t} for t in times[article_id]], "mentions": named}
        rows.append((article_id, seqs[article_id], event_id, clusterer.story_of.get(event_id), found))
    claim_places = {claim["id"]: (clusterer.story_of.get(clusterer.event_of.get(a)), seqs[a], number) for a, found in claims_of.items() for number, claim in enumerate(found)}
    entities = [{**entity_record(e), "names": sorted({m.name for m in e.mentions})} for e in made.entities]
    with store.connection as connection:
        if not clustering["continued"]:
            picture.clear(connection)
        picture.forget_stories(connection, sorted(made.replaced_stories))
        picture.save_events(connection, made.events)
        picture.save_stories(connection, made.stories, made.events)
        picture.save_disagreements(connection, made.disagreements, claim_places)
        picture.forget_quotes(connection, sorted(made.rewritten))
        picture.save_quotes(connection, _quotes_to_write(connection, made.quotes, made.rewritten), seqs, day_of)
        picture.save_articles(connection, rows)
        picture.save_entities(connection, entities)
        picture.save_reuse(connection, [r for r in made.reuse if not made.fresh.isdisjoint(r["article_ids"]) or not clustering["continued"]], seqs)
        picture.save_anchors(connection, made.anchors)
        picture.save_linked_seq(connection, max(seqs.values(), default=0), link_version())
        _keep_clustering(store, clusterer, clustering)


def _quotes_to_write(connection, quotes: list[dict], rewritten: set[str]) -> list[tuple[int, dict]]:
    """The quotations of the articles written, and any other whose speaker or statement changed
    (a new version can join two statements; names merge)."""
    kept = picture.quote_keys(connection)
    numbers: dict[str, int] = {}
    chosen = []
    for quote in quotes:
        number = numbers[quote["article_id"]] = numbers.get(quote["article_id"], -1) + 1
        if quote["article_id"] in rewritten or kept.get((quote["article_id"], number)) != (quote["speaker"], quote["statement_id"]):
            chosen.append((number, quote))
    return chosen
