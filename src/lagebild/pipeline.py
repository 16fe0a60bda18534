"""The engine: ingest inputs into the store, run the per-article stages on what they lack
(``stages``, in worker processes), link the new articles to what the store holds, and keep the
picture in the store's tables, from which every report is a window (``report.window``).

Linking reads the stage results of every stored article and links the new ones: wire copy through
the store's reuse index, events and stories going on from the saved clustering; entities,
statements and compared numbers are grouped again, and composition and the picture's rows are
redone for the stories the new articles touched. A run's writes to the picture are one transaction.
A run of thousands links each batch while the workers run the stages of the next.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import sys
import tempfile
import threading
import time
import zlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import islice

import numpy as np
import orjson

from lagebild.ingest import DEFAULT_MAX_BYTES, discover, read_input
from lagebild.extract.entities import iter_mentions
from lagebild.extract.quotes.marks import direct_spans
from lagebild.link.claims import compare_claims
from lagebild.link.entities import complete_names, merge_mentions
from lagebild.link.entity_state import EntityBook
from lagebild.link import boilerplate, event_state
from lagebild.link.events import OnlineClusterer, cluster, compare_articles, days_named, event_text, happening_day, infer_dates
from lagebild.link import reuse
from lagebild.link.reuse import find_reuse, links_within
from lagebild.compose.novelty import event_additions, what_is_new
from lagebild.model import AnalysisOptions, Article, Claim, IngestSummary, Mention, Quote, ReuseLink
from lagebild.nlp.embeddings import BATCH as EMBEDDING_BATCH, article_vectors, batched_vectors, model_key, wanted_by_default as embeddings_wanted_by_default
from lagebild.nlp.sentences import split_article
from lagebild.progress import Tracker, console
from lagebild.report import addition_record, article_record, build_report, time_record
from lagebild.report.claims import claim_records
from lagebild.report.events import event_records, story_records
from lagebild.link.statements import STATEMENT_DAYS, statement_ids
from lagebild.report.quotes import record as quote_record, speaker_entities, speaker_groups
from lagebild.report.reuse import mark_reuse, reuse_records
from lagebild.report.window import window_report
from lagebild.versions import code_version
from lagebild.stages import STAGES, Findings, chunks, compute, decode_into, encode, sentence_spans, versions
from lagebild.spans import ByStart
from lagebild.store import Store, clustering as clustering_tables, names as stored_names, picture
from lagebild.store.names import NameChanges, StoredNames
from lagebild.store.backends import database_errors

BATCH_SIZE = 500
STAGE_BATCH = 256  # articles a worker runs the per-article stages on at once (the tagger's batch)
MIN_STAGE_BATCH = 32  # fewer are not worth a worker process
RUN_WATCH_SECONDS = 1.0  # how often a worker looks whether the run it works for is still there
# how much stage workers running beside linking yield to it: linking is the longer part of a
# large run, and three processes sharing two cores evenly slowed it by half (docs/benchmarks.md, session 32)
WORKER_NICENESS = 10
LOAD_BATCH = 1000  # articles whose stage results are read from the store at once
REUSE_CHUNK = 250  # articles whose sentences are compared for wire copy at a time
LINK_BATCH = 2_500  # articles linked, and their picture written, at a time (peak memory follows it: 5,000 real articles relinked in one batch 1.88 GB, in two 1.48 GB, 13 % slower)


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


def run_stages(store: Store, tracker: Tracker, jobs: int = 1, kept: Callable[[int], None] = lambda last: None, niceness: int = 0) -> int:
    """Run each per-article stage on the articles that have no result of its current version
    (new articles; all of them for a stage whose version changed), ``jobs`` processes at once (of
    that ``niceness``), and keep the results batch by batch (``kept`` is told each batch's last
    article). Returns how many articles had a stage to run."""
    current = versions()
    done = _stages_done(store)
    start = min(done.values())
    total = store.count(start)
    size = min(STAGE_BATCH, max(MIN_STAGE_BATCH, -(-total // jobs)))  # a small run shared among the workers
    tasks = ((batch, store.stage_results(batch[0][0], batch[-1][0])) for batch in chunks(store.numbered_articles(start, sources=False), size))
    workers = jobs if total >= 2 * MIN_STAGE_BATCH else 1  # starting workers costs more than a few articles
    for last, rows in tracker.track(_in_order(_stage_batch, tasks, workers, niceness), "Analysing articles", total=-(-total // size)):
        store.save_stage_results(rows, {stage: (current[stage], max(done[stage], last)) for stage in STAGES})
        kept(last)
    return total


def _to_stage(store: Store) -> int:
    """How many stored articles some stage has still to run on."""
    return store.count(min(_stages_done(store).values()))


class _StagesBeside:
    """The stages of a large run in a thread of their own (with their own connection to the store,
    and their worker processes), while the run links each LINK_BATCH articles as soon as their
    stages are kept: otherwise the workers wait while the run links on one core, and linking
    waits while they run. Each link batch holds the same articles as when every stage runs first
    (``ready`` waits for the whole batch), so the picture is the same."""

    def __init__(self, store: Store, tracker: Tracker, jobs: int, clock: "_Stopwatch"):
        self.location, self.tracker, self.jobs, self.clock = store.path, tracker, jobs, clock
        self.kept_up_to, self.finished, self.error = 0, False, None
        self.changed, self.stopping = threading.Condition(), threading.Event()
        self.thread = threading.Thread(target=self._run, name="lagebild-stages")

    def __enter__(self) -> "_StagesBeside":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()  # linking failed or was interrupted: the stages stop after their batch
        self.thread.join()

    def ready(self, store: Store, linked: int) -> None:
        """Wait until the stages have run on the LINK_BATCH articles after ``linked``, or on all."""
        last = store.nth_seq_after(linked, LINK_BATCH)
        with self.clock.stage("waiting for stages"), self.changed:
            self.changed.wait_for(lambda: self.finished or (last is not None and self.kept_up_to >= last))
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            with self.clock.stage("stages"), Store(self.location) as own:
                run_stages(own, self.tracker, self.jobs, kept=self._kept, niceness=WORKER_NICENESS)
        except _Stopped:
            pass
        except BaseException as error:  # raised again in the linking thread
            self.error = error
        finally:
            with self.changed:
                self.finished = True
                self.changed.notify_all()

    def _kept(self, last: int) -> None:
        with self.changed:
            self.kept_up_to = last
            self.changed.notify_all()
        if self.stopping.is_set():
            raise _Stopped


class _Stopped(Exception):
    """The run stopped linking: its stages stop too."""


class _StagesFirst:
    """Every stage run before linking begins (a small run, one process, or a store in memory)."""

    def __init__(self, store: Store, tracker: Tracker, jobs: int, clock: "_Stopwatch"):
        with clock.stage("stages"):
            run_stages(store, tracker, jobs)

    def __enter__(self) -> "_StagesFirst":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def ready(self, store: Store, linked: int) -> None:
        pass


def _stages(store: Store, tracker: Tracker, jobs: int, clock: "_Stopwatch") -> "_StagesBeside | _StagesFirst":
    beside = jobs > 1 and store.path != ":memory:" and _to_stage(store) > LINK_BATCH
    return (_StagesBeside if beside else _StagesFirst)(store, tracker, jobs, clock)


def _stage_batch(batch: list[tuple[int, Article]], stored: dict) -> tuple[int, list]:
    """The stages a batch of articles needs (those without a result of the current version), run
    (in a worker process when there are several); returns the batch's last seq and the result
    rows to store. A batch that needs nothing is not decoded (articles analysed elsewhere, by
    another process or a cluster, are only passed over)."""
    current = versions()
    needed = [{stage for stage in STAGES if stored.get(seq, {}).get(stage, ("",))[0] != current[stage]} for seq, _ in batch]
    if not any(needed):
        return batch[-1][0], []
    findings = []
    for (seq, article), need in zip(batch, needed):
        found, have = Findings(article, seq), stored.get(seq, {})
        for stage in STAGES:
            if stage not in need:
                decode_into(found, stage, have[stage][1])
        findings.append(found)
    compute(findings, needed)
    rows = [(seq, stage, current[stage], encode(found, stage)) for (seq, _), found, need in zip(batch, findings, needed) for stage in sorted(need)]
    return batch[-1][0], rows


def _in_order(function: Callable, tasks: Iterable[tuple], jobs: int, niceness: int = 0) -> Iterator:
    """``function(*task)`` for each task, in order; with several jobs in worker processes (of that
    ``niceness``), a few tasks ahead (never the whole input in flight)."""
    if jobs <= 1:
        yield from (function(*task) for task in tasks)
        return
    with tempfile.TemporaryDirectory(prefix="lagebild-results-") as folder, ProcessPoolExecutor(jobs, mp_context=_worker_context(), initializer=_quiet_worker, initargs=(niceness, os.getpid())) as pool:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.submit(_through_file, folder, function, *task))
            if len(pending) >= 2 * jobs:
                yield _read_back(pending.popleft().result())
        while pending:
            yield _read_back(pending.popleft().result())


def _quiet_worker(niceness: int, run: int) -> None:
    """A worker writes nothing to the terminal: what it finds goes back to the run, and when the
    pool breaks (another worker killed while it read a task) the run says so in one line; the
    worker's own traceback of the broken pipe would only bury that line. ``niceness``: how much
    the worker yields the processor to the run's own process (``_StagesBeside``). The worker
    leaves when the run's process ``run`` is gone (``_leave_with``)."""
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the worker's life
    if niceness and hasattr(os, "nice"):  # not on Windows
        os.nice(niceness)
    threading.Thread(target=_leave_with, args=(run,), name="lagebild-run-watch", daemon=True).start()


def _leave_with(run: int) -> None:
    """Ends this worker once the run's process has gone: a run killed outright (kill -9, the
    out-of-memory killer) cannot tell its workers, which would wait for tasks for ever, and with
    them the fork server they were forked from (it stays while any of them holds its pipe): each
    run so killed left three processes and their memory behind."""
    while _alive(run):
        time.sleep(RUN_WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process of that number: not ours to judge
        return True
    return True


def _through_file(folder: str, function: Callable, *task) -> str:
    """``function(*task)`` in a worker, its answer pickled into a file of ``folder``; returns the
    file's name, so that what the worker sends back through the pool's pipe is a few bytes,
    written to it at once. A worker killed while it writes a large answer into the pipe leaves
    part of it there, and the pool reads on for the rest for ever (CPython's executor reads
    an answer before it looks whether its workers live): a run that hung instead of stopping."""
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".pickle", delete=False) as file:
        pickle.dump(function(*task), file, protocol=pickle.HIGHEST_PROTOCOL)
    return file.name


def _read_back(name: str):
    """The answer a worker left in the file ``name``; the file goes."""
    with open(name, "rb") as file:
        answer = pickle.load(file)
    os.unlink(name)
    return answer


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server process that imported lagebild and loaded the stages' models
    once (``forkserver``, ``lagebild.warm``): each starts in milliseconds instead of importing
    everything again (a second of CPU per worker on every run) and loading the models (0.6 s);
    spawned where there is no fork server. Never forked from this process itself: the
    progress display runs a thread, and a forked thread's locks deadlock."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "lagebild.pipeline", "lagebild.warm"])  # the program, the stages, their models
    return context


def start_workers(jobs: int) -> None:
    """Start the fork server now, while the caller reads its input: its imports (a second) are
    done by the time the stages ask for workers."""
    if jobs > 1 and _worker_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def stored_findings(store: Store, tracker: Tracker, after: int = 0, upto: int | None = None) -> Iterator[Findings]:
    """The articles after ``after`` (up to ``upto``) with their stage results, in arrival order
    (``run_stages`` first)."""
    articles = tracker.track(store.numbered_articles(after, upto=upto, sources=False), "Reading findings", total=store.count(after) if upto is None else None)
    for batch in chunks(articles, LOAD_BATCH):
        yield from _with_results(store, batch)


def _stages_done(store: Store) -> dict[str, int]:
    """Stage -> the last article it has run on in its current version (0: none yet)."""
    current, kept = versions(), store.stage_progress()
    return {stage: kept[stage][1] if kept.get(stage, ("", 0))[0] == current[stage] else 0 for stage in STAGES}


def load_findings(store: Store, seqs: list[int]) -> list[Findings]:
    """These articles (by seq) with their stage results, in arrival order."""
    found = []
    for batch in chunks(sorted(seqs), LOAD_BATCH):
        found += _with_results(store, store.numbered_articles_at(batch, sources=False), scattered=True)
    return found


def _with_results(store: Store, batch: list[tuple[int, Article]], scattered: bool = False) -> list[Findings]:
    """``scattered``: the articles are not a run of seqs (their results are asked for by seq, not
    read as the range from the first to the last, which holds the whole store between them)."""
    if not batch:
        return []
    stored = store.stage_results_at([seq for seq, _ in batch]) if scattered else store.stage_results(batch[0][0], batch[-1][0])
    found = []
    for seq, article in batch:
        findings = Findings(article, seq)
        for stage in STAGES:
            decode_into(findings, stage, stored[seq][stage][1])
        found.append(findings)
    return found


def unanalysed(store: Store) -> int:
    """How many stored articles the store's picture lacks (after an interrupted run, or while
    another process analyses them)."""
    return store.count() - store.connection.execute("SELECT COUNT(*) FROM picture_articles").fetchone()[0]


def behind(store: Store) -> bool:
    """Whether the picture lacks an article the store holds, or was linked by other code (cheap:
    no table is counted, so a service can ask every few seconds)."""
    last = store.last_seq()
    return last > picture.linked_seq(store.connection, link_version())


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


def _clustered(
    found: list[Findings], entity_ids, links, vectors, restored: OnlineClusterer | None, note: str | None, key: str, last_date: str, outlets: dict | None = None
) -> tuple[OnlineClusterer, tuple[int, int, int], dict]:
    """Events and stories, going on from the clustering the store kept from its last run; with
    how many merges and splits it had recorded then, and what the report says of it. ``outlets``:
    of the earlier articles the new ones share copy with."""
    placed_before = restored.arrivals if restored else 0
    history = (len(restored.merges), len(restored.splits), len(restored.story_merges)) if restored else (0, 0, 0)
    named = {f.article.id: days_named(f.times) for f in found if not f.article.date}
    happening = {f.article.id: happening_day(f.article, f.sentences, f.times) for f in found}
    clusterer = cluster([f.document for f in found], entity_ids, links, vectors, restored, last_date, named, outlets, happening)
    clustering = {"continued": restored is not None, "articles_placed": clusterer.arrivals - placed_before, "note": note, "key": key}
    return clusterer, history, clustering


def _boilerplate(store: Store, new: list[Findings], linked: int) -> boilerplate.Knowledge:
    """What the store knows of sentences their sources repeat, with the articles new to linking
    counted (from nothing when linking starts again: ``linked`` 0; articles linked before whose
    picture rows are mended were counted then); the new articles' boilerplate marked."""
    repeated = boilerplate.Knowledge(store.boilerplate_counts if linked else None)
    repeated.learn(found for found in new if found.seq > linked)
    repeated.mark(new)
    return repeated


def _reuse(store: Store, new: list[Findings], linked: int, repeated: boilerplate.Knowledge) -> tuple[list[ReuseLink], list[tuple[int, int]], dict[int, Findings]]:
    """The wire copy between the articles new to linking and everything before them, found
    through the store's reuse index (from empty when linking starts again: ``linked`` 0). Returns
    the new links, the index rows to add, and the articles read (the new ones and, with their
    sentences alone, the earlier ones they copy; their boilerplate marked), by seq."""
    pairs, anchors, words = _reuse_candidates(store, new, linked)
    verified = {pair: matches for pair, matches in _verified(store, pairs, words).items() if reuse.may_link(matches)}
    known = {found.seq: found for found in new}
    earlier = _copies(store, sorted({seq for pair in verified for seq in pair} - known.keys()))
    repeated.mark(earlier)
    known.update({found.seq: found for found in earlier})
    return reuse.links(verified, {seq: found.document for seq, found in known.items()}), anchors, known


def _reuse_candidates(store: Store, new: list[Findings], linked: int) -> tuple[set[tuple[int, int]], list[tuple[int, int]], dict[int, tuple[int, ...]]]:
    """``reuse.candidate_pairs`` of the new articles against the store's index and each other,
    REUSE_CHUNK articles at a time: a chunk's sentences and trigrams, and the store's posting
    lists for them, are held while it is compared (they were most of a link batch's memory); the
    anchors the batch adds are kept for the chunks after it, so the pairs are those of one pass."""
    pairs: set[tuple[int, int]] = set()
    anchors: list[tuple[int, int]] = []
    words: dict[int, tuple[int, ...]] = {}
    added_before: dict[int, list[int]] = defaultdict(list)  # the batch's own anchors so far, by hash
    for chunk in chunks(new, REUSE_CHUNK):
        fresh = reuse.comparable({found.seq: found.document for found in chunk})
        trigrams = frozenset().union(*(sentence.trigrams for sentence in fresh))
        stored = store.anchor_postings(trigrams) if linked and fresh else {}  # of these trigrams only
        postings = stored | {trigram: stored.get(trigram, []) + added_before[trigram] for trigram in added_before.keys() & trigrams}
        found_pairs, added, found_words = reuse.candidate_pairs(fresh, reuse.AnchorIndex(postings))
        for trigram, key in added:
            added_before[trigram].append(key)
        pairs |= found_pairs
        anchors += added
        words.update(found_words)
    return pairs, anchors, words


def _verified(store: Store, pairs: set[tuple[int, int]], words: dict[int, tuple[int, ...]]) -> dict[tuple[int, int], list]:
    """``reuse.verified`` of the candidate pairs (``words``: the new sentences' codes), the stored
    sentences' codes worked out for LOAD_BATCH of their articles at a time and dropped after: a
    batch's candidates name hundreds of thousands of stored sentences, whose codes held at once
    were most of a link batch's memory. A pair's key is its earlier article's, so each article
    pair is verified whole within one part, in the order of one pass."""
    by_earlier: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in pairs:
        by_earlier[pair[0] // reuse.POSITIONS].append(pair)
    found: dict[tuple[int, int], list] = {}
    for seqs in chunks(sorted(by_earlier), LOAD_BATCH):
        part = {pair for seq in seqs for pair in by_earlier[seq]}
        stored = _stored_sentence_codes(store, {earlier for earlier, _ in part} - words.keys())
        words.update(stored)  # beside the new sentences' for this part only: no copy of either per part
        try:
            found.update(reuse.verified(part, words))
        finally:
            for key in stored:
                del words[key]
    return found


def _copies(store: Store, seqs: list[int]) -> list[Findings]:
    """The earlier articles the new ones were found to copy, with their sentences alone: what
    wire copy and boilerplate read of them (an agency text reprinted by many outlets is read once
    per copy; its names, quotations and numbers stay in the store unless its event is touched)."""
    found = []
    for batch in chunks(seqs, LOAD_BATCH):
        sentences = store.results_of("sentences", batch)
        for seq, article in store.numbered_articles_at(batch, sources=False):
            copy = Findings(article, seq)
            decode_into(copy, "sentences", sentences[seq])
            found.append(copy)
    return found


def _stored_sentence_codes(store: Store, keys: set[int]) -> dict[int, tuple[int, ...]]:
    """The word codes of stored sentences (keys as ``link.reuse`` numbers them), read from their
    articles' text and sentence spans alone (the candidates of a run are many; few prove copy)."""
    seqs = sorted({key // reuse.POSITIONS for key in keys})
    texts, spans = store.texts(seqs), {seq: sentence_spans(blob) for seq, blob in store.results_of("sentences", seqs).items()}
    codes = {}
    for key in keys:
        seq, position = divmod(key, reuse.POSITIONS)
        start, end = spans[seq][position]
        codes[key] = reuse.sentence_codes(texts[seq][start:end])
    return codes


@cache
def link_version() -> str:
    """What the picture was linked with: the pipeline's code (with all it imports) and the
    language data. Another version links the whole store again (the stages' results are kept)."""
    return code_version(("lagebild.pipeline",), ("lang", "data"))


def _keep_clustering(store: Store, clusterer: OnlineClusterer, clustering: dict) -> None:
    """The clustering's state and what the run changed of its tables, inside the transaction
    that writes the picture."""
    clustering_tables.save(store.connection, clusterer, afresh=not clustering["continued"])
    store.save_clusterer_state(clustering.pop("key"), event_state.dump(clusterer), within_transaction=True)


def _restored_clusterer(store: Store, key: str) -> tuple[OnlineClusterer | None, str | None]:
    """The clustering as the last run left it (going on with what the store's tables keep of it),
    or None (start afresh) with a note if it cannot be read."""
    saved = store.clusterer_state(key)
    try:
        return (event_state.load(saved, clustering_tables.StoredMemory(store.connection)) if saved else None), None
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
        except database_errors():  # a read-only store: the vectors serve this run only
            keeping = False
        known.update(new)
        done += len(batch)
    return np.vstack([known[article_id] for article_id in ids])


def _refresh(store: Store, findings: list[Findings], mentions: dict[str, list], inferred: dict[str, str]) -> None:
    """Quotations found again where other articles completed a name, times and claims where an
    undated article's event now gives it a date; the new results are kept."""
    current = versions()
    rows = []
    for found in findings:
        article = found.article
        for stage in sorted(found.refresh(mentions[article.id], article.date or inferred.get(article.id))):
            rows.append((found.seq, stage, current[stage], encode(found, stage)))
    if rows:
        store.save_stage_results(rows, {})


QUOTE_WEIGHT = 0.15  # a sentence saying who said what
CLAIM_WEIGHT = 0.1  # a sentence saying how many
COMPARED_CLAIM_WEIGHT = 0.25  # a number that several outlets report (agreeing or not)


def summary_facts(documents, quotes: list[dict], claims, compared: dict[str, str]) -> dict[tuple[str, int], tuple[float, frozenset]]:
    """For sentences that carry findings: a weight (an attributed direct quotation, a counted
    claim) and the statements they carry: the quoted statement's id, the compared quantity's
    group (two sentences quoting one statement, or counting one quantity, repeat each other)."""
    facts: dict[tuple[str, int], tuple[float, frozenset]] = {}
    positions = {article.id: ByStart(enumerate(sentences), start=lambda pair: pair[1].start) for article, sentences in documents}
    found = [(q["article_id"], q["start"], QUOTE_WEIGHT if q["speaker"] and _own_words(q) else 0.0, q["statement_id"]) for q in quotes]
    found += [(c.article_id, c.start, COMPARED_CLAIM_WEIGHT if c.id in compared else CLAIM_WEIGHT, compared.get(c.id)) for c in claims if c.unit]
    for article_id, start, weight, statement in found:
        held = positions[article_id].holding(start, end=lambda pair: pair[1].end)
        if held is not None:
            index = held[0]
            old_weight, statements = facts.get((article_id, index), (0.0, frozenset()))
            facts[(article_id, index)] = (max(old_weight, weight), statements | ({statement} if statement else set()))
    return facts


def _own_words(quote: dict) -> bool:
    """Whether a quotation gives the speaker's own words: a direct one, or a reported clause that
    holds words in marks (folded into it: "sein Land sei bereit, »alle Maßnahmen ...«")."""
    return quote["direct"] or bool(direct_spans(quote["text"]))


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


def analyse(store: Store, run: IngestSummary, tracker: Tracker, options: AnalysisOptions = AnalysisOptions(), jobs: int = 1,
            report: bool = True) -> dict:
    """Analyse what the store holds and keep the picture in it; returns the report of the
    stories the run's articles belong to (with ``options.since``, also those of what is new).
    ``report=False``: only its "lagebild", "run" and "new_since" (a report is read from the
    store's tables, whole; a run nobody reads the report of spares that)."""
    with _rare_full_collections():
        made = _analyse(store, run, tracker, options, jobs)
    new_since = made["new_since"]
    wanted = run.article_ids + (new_since["new_article_ids"] if new_since else [])
    found = window_report(store.connection, picture.stories_of_articles(store.connection, wanted), run) if report else build_report([], run)
    found["lagebild"].update(stage_seconds=made["stage_seconds"], clustering=made["clustering"])
    found["new_since"] = new_since
    return found


def catch_up(store: Store, tracker: Tracker, options: AnalysisOptions = AnalysisOptions(), jobs: int = 1) -> dict:
    """Bring the picture up to date with what the store holds (the service and ``watch`` call it
    after adding articles); returns the stage times and what clustering did, no report. Articles
    stored to be indexed for search later (POSTed) are indexed first, in one go."""
    store.index_for_search()
    with _rare_full_collections():
        return _analyse(store, IngestSummary(), tracker, options, jobs)


def article_vectors_wanted(store: Store, asked: bool | None) -> bool:
    """Whether linking reads article vectors: as asked; else as the store's picture was linked
    (the other way links the whole store again); a new store where the network is installed."""
    if asked is not None:
        return asked
    key = store.clusterer_key()
    return embeddings_wanted_by_default() if key is None else event_state.reads_vectors(key)


def _analyse(store: Store, run: IngestSummary, tracker: Tracker, options: AnalysisOptions, jobs: int) -> dict:
    """Stages, and linking a batch of new articles at a time (each batch written before the
    next is read: memory follows the batch and the stories it touches, not the store); in a
    large run, each batch linked while the workers run the stages of the next (``_stages``)."""
    options = replace(options, embeddings=article_vectors_wanted(store, options.embeddings))
    clock = _Stopwatch()
    clustering = None
    with _stages(store, tracker, jobs, clock) as stages, store.linking(waiting=lambda: console.print("waiting for another lagebild that is linking this store", highlight=False)):
        # a batch's clustering state is written and read again by the next: none is held meanwhile
        while batch := _link_batch(store, tracker, options, clock, stages.ready):
            if clustering is None:
                clustering = batch
            else:
                clustering["articles_placed"] += batch["articles_placed"]
            store.index_for_search()  # what was POSTed while the batch was linked: searchable before the next
    with clock.stage("composition"):
        new_since = _new_since(store, tracker, options, _restored_clusterer(store, event_state.state_key(embeddings=options.embeddings))[0]) if options.since else None
    clustering = {**(clustering or {"continued": True, "articles_placed": 0, "note": None}), "article_vectors": options.embeddings}
    return {"stage_seconds": clock.seconds, "clustering": clustering, "new_since": new_since}


def _link_batch(store: Store, tracker: Tracker, options: AnalysisOptions, clock: "_Stopwatch", ready: Callable[[Store, int], None]) -> dict | None:
    """Link up to LINK_BATCH articles new to linking and write what changed; returns what
    clustering did, None when there were none. ``ready(store, linked)`` waits until the stages
    have run on the articles after ``linked`` that the batch takes."""
    state_key = event_state.state_key(embeddings=options.embeddings)
    ready(store, picture.linked_seq(store.connection, link_version()) if store.has_clusterer_state(state_key) else 0)
    with clock.stage("reading"):
        if _nothing_to_link(store, state_key):
            return None
        restored, note = _restored_clusterer(store, state_key)
        linked = picture.linked_seq(store.connection, link_version()) if restored else 0
        ready(store, linked)  # the state could not be read: linking starts again from the first article
        restored = restored if linked else None  # another linking made the picture: link everything again
        # articles another process stored since this one ran the stages wait for that process
        new = list(islice(stored_findings(store, tracker, after=linked, upto=min(_stages_done(store).values())), LINK_BATCH)) + _missing_from_picture(store, linked)
        if not new:
            return None
        if not linked:  # linked from scratch: what another version made must not be read as this one's
            with store.connection as connection:
                picture.clear(connection)
    with clock.stage("boilerplate"):
        repeated = _boilerplate(store, new, linked)
    with clock.stage("reuse"):
        new_links, anchors, known = _reuse(store, new, linked, repeated)
    with clock.stage("entities"):
        names = EntityBook(StoredNames(store.connection) if linked else None)
        found_names = {f.article.id: f.mentions for f in new}
        completed = complete_names(found_names, {f.article.id: f.article.text for f in new}, names.longer_names(found_names))
        for found in new:
            names.count(completed[found.article.id], 1)
        entity_of = names.entities_of({m.name for found in completed.values() for m in found})
    with clock.stage("embeddings"):
        documents = [found.document for found in new]
        vectors = _embed(documents, tracker, store) if options.embeddings else None
    with clock.stage("events"):
        entity_ids = {article_id: [entity_of[m.name].id for m in found] for article_id, found in completed.items()}
        outlets = {found.article.id: found.article.outlet for found in known.values()}  # own copy is weaker evidence
        clusterer, history, clustering = _clustered(new, entity_ids, new_links, vectors, restored, note, state_key, _last_date(store, linked), outlets)
        fresh = {found.article.id for found in new}
        touched = _touched(clusterer, history, fresh, clustering["continued"])
    with clock.stage("reading"):
        near = _neighbourhood(store, touched.events | touched.gone_events, new)  # read whole, also the copies among them
        repeated.mark(near)
        links = _links_of(store, {found.article.id for found in near}, new_links, known)
        _recall_placements(clusterer, {found.article.id for found in near} | {a for link in links for a in (link.article_a, link.article_b)})
        found_names = {f.article.id: f.mentions for f in near}
        mentions = complete_names(found_names, {f.article.id: f.article.text for f in near}, names.longer_names(found_names))
        _recount_names(store, names, mentions, fresh)
        entity_of = names.entities_of({m.name for found in mentions.values() for m in found})
        inferred = infer_dates(clusterer, [found.document for found in near])
    with clock.stage("refresh"):
        _refresh(store, near, mentions, inferred)
    with clock.stage("quotes"):
        quote_rows, requoted = _quotes(store, near, mentions, entity_of, names, inferred)
        quote_dicts = [row[1] for row in quote_rows]
    with clock.stage("claims"):
        _drop_boilerplate_claims(near)
        claims = [claim for found in near for claim in found.claims]
        claim_dicts = claim_records(claims, quote_dicts)
        disagreements, claim_places = _compared(store, clusterer, touched, near, claim_dicts)
    with clock.stage("composition"):
        documents = [found.document for found in near]
        times = [{"article_id": found.article.id, **time_record(t)} for found in near for t in found.times]
        facts = summary_facts(documents, quote_dicts, claims, _claim_groups(disagreements))
        events = event_records(clusterer, documents, times, links, facts, options.summary_sentences)
        events += _moved_events(store, clusterer, touched, {event["id"] for event in events})
        every_event = sorted(events + _other_events(store, touched, {event["id"] for event in events}), key=lambda e: (picture.first_day(e), e["id"]))
        stories = story_records(every_event, event_state.story_history(clusterer, sorted({event["story_id"] for event in every_event})))
    with clock.stage("report"):
        records, kept = _article_records(store, near, new_links, links, clusterer, inferred, quote_dicts, claim_dicts)
        reuse_list = reuse_records(new_links, {f.article.id: f.document for f in known.values()})
        linked_now = max([linked, *(found.seq for found in new)])
        made = Picture(records, kept, fresh, reuse_list, anchors, repeated.rows(), names.changes(), mentions, quote_rows, requoted, claim_dicts, near, events, stories, disagreements, claim_places, touched, linked_now)
        _keep_picture(store, made, clusterer, clustering)
    return clustering


def _nothing_to_link(store: Store, state_key: str) -> bool:
    """Whether the picture of this code holds every article whose stages ran, with its clustering
    state: known before that state is read (a run's last look for more costs no state)."""
    linked = picture.linked_seq(store.connection, link_version())
    return bool(linked) and store.has_clusterer_state(state_key) and linked >= min(_stages_done(store).values()) and not unanalysed(store)


def _recall_placements(clusterer: OnlineClusterer, article_ids: set[str]) -> None:
    """Read at once the events of these articles and those events' stories: the store's tables
    answer for the articles earlier runs placed, which the run then looks up one by one."""
    clusterer.event_of.recall(article_ids)
    clusterer.story_of.recall({event for article_id in article_ids if (event := clusterer.event_of.get(article_id)) is not None})


@dataclass
class Touched:
    """What a run's new articles changed: the events they joined or founded (and those merged or
    split by them), the stories of those, and the events and stories merged away."""

    events: set[str]
    stories: set[str]
    gone_events: set[str]
    gone_stories: set[str]


def _touched(clusterer: OnlineClusterer, history: tuple[int, int, int], fresh: set[str], continued: bool) -> Touched:
    if not continued:  # linked from the start: everything is new
        return Touched(set(clusterer.story_of), set(clusterer.story_of.values()), set(), set())
    merges, splits, story_merges = (clusterer.merges[history[0]:], clusterer.splits[history[1]:], clusterer.story_merges[history[2]:])
    gone_events = {absorbed for absorbed, _ in merges}
    events = ({clusterer.event_of[a] for a in fresh} | {kept for _, kept in merges} | {event for pair in splits for event in pair}) - gone_events
    gone_stories = {absorbed for absorbed, _ in story_merges}
    clusterer.story_of.recall(events)
    stories = {clusterer.story_of[event] for event in events} | {kept for _, kept in story_merges}
    return Touched(events, stories - gone_stories, gone_events, gone_stories)


def _drop_boilerplate_claims(near: list[Findings]) -> None:
    """A number in an outlet's standing sentences (a newsletter's "aus diesen drei Berliner
    Bezirken", a subscription offer) is no finding of the report: its claims leave the picture
    (the stage results keep them; what counts as boilerplate is learnt as the store grows)."""
    for found in near:
        standing = [(sentence.start, sentence.end) for sentence in found.sentences if boilerplate.is_boilerplate(sentence)]
        if standing:
            found.claims = [claim for claim in found.claims if not any(start <= claim.start < end for start, end in standing)]


def _compared(store: Store, clusterer: OnlineClusterer, touched: Touched, near: list[Findings], claim_dicts: list[dict]) -> tuple[list[dict], dict]:
    """The numbers the touched stories' sources report, compared: the claims of the articles read
    and, as the picture holds them, of the stories' other articles. Also where each claim stands
    (story, article seq, place among the article's claims): the groups are listed by it."""
    stored = picture.story_claims(store.connection, sorted(touched.stories | touched.gone_stories), {found.article.id for found in near})
    placed = [(found.seq, number, claim) for found in near for number, claim in enumerate(found.claims)]
    placed += [(seq, number, _as_claim(record)) for seq, number, record in stored]
    placed.sort(key=lambda item: item[:2])  # as one run lists them: in arrival order
    _recall_placements(clusterer, {claim.article_id for _, _, claim in placed})
    story_of = {claim.article_id: clusterer.story_of[clusterer.event_of[claim.article_id]] for _, _, claim in placed}
    relays = {record["id"]: record["via"] for record in claim_dicts + [record for _, _, record in stored]}
    places = {claim.id: (story_of[claim.article_id], seq, number) for seq, number, claim in placed}
    dates = picture.article_dates(store.connection, sorted({seq for seq, _, _ in placed}))
    titles = {found.article.id: found.article.title for found in near}
    stored_ids = {claim.article_id for _, _, claim in placed} - set(titles)
    titles.update((article_id, meta.get("title")) for article_id, meta in picture.article_meta(store.connection, stored_ids).items())
    return compare_claims([claim for _, _, claim in placed], story_of, relays, dates, titles), places


def _as_claim(record: dict) -> Claim:
    return Claim(record["id"], record["article_id"], record["start"], record["end"], record["text"], record["value"], record["low"],
                 math.inf if record["high"] is None else record["high"], record["qualifier"], record["unit"], record["modality"],
                 record["increment"], record["sentence"], record["role"])


def _moved_events(store: Store, clusterer: OnlineClusterer, touched: Touched, made: set[str]) -> list[dict]:
    """Stored events of stories merged away, now of the story that took them (not those merged
    away themselves: their rows are still stored until the run's picture is written)."""
    skipped = made | touched.gone_events
    moved = [event for event in picture.events(store.connection, sorted(touched.gone_stories)) if event["id"] not in skipped]
    clusterer.story_of.recall(event["id"] for event in moved)
    for event in moved:
        event["story_id"] = clusterer.story_of[event["id"]]
    return moved


def _other_events(store: Store, touched: Touched, made: set[str]) -> list[dict]:
    """The stored events of the touched stories that the run did not make again, nor merged away
    (an event merged into another of its story is still stored until the run's picture is written)."""
    skipped = made | touched.gone_events
    return [event for event in picture.events(store.connection, sorted(touched.stories)) if event["id"] not in skipped]


def _missing_from_picture(store: Store, linked: int) -> list[Findings]:
    """Articles linked before whose picture rows are gone (a damaged picture is mended)."""
    if not linked or not unanalysed(store):
        return []
    query = "SELECT seq FROM articles WHERE seq <= ? AND id NOT IN (SELECT article_id FROM picture_articles)"
    return load_findings(store, [row[0] for row in store.connection.execute(query, (linked,))])


def _last_date(store: Store, linked: int) -> str:
    """The date of the last dated article linked before (where an undated new one is placed)."""
    row = store.connection.execute("SELECT date FROM articles WHERE seq <= ? AND date IS NOT NULL ORDER BY seq DESC LIMIT 1", (linked,)).fetchone()
    return row[0] if row else ""


def _recount_names(store: Store, names: EntityBook, mentions: dict[str, list[Mention]], fresh: set[str]) -> None:
    """An article linked before whose names are completed differently now (another article
    brought the longer name) counts under its new names."""
    before = picture.mentioned_names(store.connection, [a for a in mentions if a not in fresh])
    for article_id, stored in before.items():
        now = mentions[article_id]
        if [m[:3] for m in stored] != [[m.name, m.start, m.end] for m in now]:
            names.count([Mention(article_id, start, end, text, "MISC", name, role) for name, start, end, text, role in stored], -1)
            names.count(now, 1)


def _neighbourhood(store: Store, events: set[str], new: list[Findings]) -> list[Findings]:
    """Every article of the events the run touched (the new ones among them), in arrival order."""
    seqs = set(picture.event_article_seqs(store.connection, sorted(events))) | {found.seq for found in new}
    found = {found.seq: found for found in new}
    found.update((f.seq, f) for f in load_findings(store, sorted(seqs - found.keys())))
    return [found[seq] for seq in sorted(seqs)]


def _links_of(store: Store, article_ids: set[str], new_links: list[ReuseLink], known: dict[int, Findings]) -> list[ReuseLink]:
    """The wire copy the picture holds between these articles and others, and the run's new links."""
    seq_of = {found.article.id: found.seq for found in known.values()}
    links = {(link.article_a, link.article_b): link for link in picture.links_touching(store.connection, article_ids)}
    links.update({(link.article_a, link.article_b): link for link in new_links})
    seq_of.update(_seqs(store, {a for pair in links for a in pair} - seq_of.keys()))
    return sorted(links.values(), key=lambda link: (seq_of[link.article_a], seq_of[link.article_b]))


def _seqs(store: Store, ids: set[str]) -> dict[str, int]:
    found = {}
    chunk = sorted(ids)
    for start in range(0, len(chunk), 500):
        part = chunk[start : start + 500]
        found.update(store.connection.execute(f"SELECT id, seq FROM articles WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())
    return found


@dataclass
class _Quoted:
    """A quotation as statements are grouped: where it stands, and whose versions it joins."""

    place: tuple[int, int]  # its article's seq, its number among the article's quotations
    quote: Quote
    group: str | None
    language: str | None
    day: str | None  # the last day its article may be of (None: undated)
    stored: dict | None = None  # its record, for one the store holds of an article not written now


def _quotes(store: Store, near: list[Findings], mentions: dict[str, list[Mention]], entity_of: dict, names: EntityBook, inferred: dict[str, str]) -> tuple[list[tuple], list[tuple]]:
    """The quotations of the articles written, their speakers resolved and their statements
    grouped with the stored quotations of the same speakers near them in time; returns the rows
    to write for them (number, record, group, language, day) and those of stored quotations whose
    statement changed."""
    written = [
        _Quoted((found.seq, number), quote, None, found.article.language, picture.days(found.article.date or inferred.get(found.article.id))[1])
        for found in near for number, quote in enumerate(found.quotes)
    ]
    with_entities = {article_id: [(m, entity_of[m.name]) for m in found] for article_id, found in mentions.items()}
    speakers = speaker_entities([q.quote for q in written], with_entities, names.by_spelling({q.quote.speaker for q in written if q.quote.speaker}))
    for quoted, group in zip(written, speaker_groups([q.quote for q in written], speakers)):
        quoted.group = group
    held = [_Quoted((seq, number), _as_quote(row), group, language, day, row) for seq, number, row, group, language, day in _held_quotes(store, written, {found.article.id for found in near})]
    every = sorted(written + held, key=lambda quoted: quoted.place)  # versions in arrival order: the first names the statement
    days = [None if q.day is None else date.fromisoformat(q.day).toordinal() for q in every]
    ids = statement_ids([q.quote for q in every], [q.group for q in every], {q.quote.article_id: q.language for q in every}, days)
    statement = {id(quoted): found for quoted, found in zip(every, ids)}
    rows = [(q.place[1], quote_record(q.quote, entity, statement[id(q)]), q.group, q.language, q.day) for q, entity in zip(written, speakers)]
    changed = [(q.place[1], {**q.stored, "statement_id": statement[id(q)]}, q.group, q.language, q.day) for q in held if q.stored["statement_id"] != statement[id(q)]]
    return rows, changed


def _held_quotes(store: Store, written: list[_Quoted], leaving: set[str]) -> list[tuple]:
    """The stored quotations a run's statements may join or split: those of the same speakers
    within STATEMENT_DAYS of a written one (all of a speaker's undated ones, and all of them when
    a written one is undated), with every version of the statements they and the rewritten
    articles' quotations belonged to. A statement never joins versions further apart, and
    stored statements are closed under joining, so this is all a run can change."""
    groups = {q.group for q in written if q.group}
    if not groups:
        return []
    days = [q.day for q in written if q.group]
    first, last = ("0000-01-01", "9999-12-31") if None in days else (_shifted(min(days), -STATEMENT_DAYS), _shifted(max(days), STATEMENT_DAYS))
    near = picture.quotes_of_groups(store.connection, groups, first, last, leaving)
    statements = {row[2]["statement_id"] for row in near if row[2]["statement_id"]} | picture.statements_of(store.connection, leaving)
    found = {(row[0], row[1]): row for row in near + picture.quotes_of_statements(store.connection, statements, leaving)}
    return [found[place] for place in sorted(found)]


def _shifted(day: str, by: int) -> str:
    return date.fromordinal(date.fromisoformat(day).toordinal() + by).isoformat()


def _as_quote(record: dict) -> Quote:
    return Quote(record["article_id"], record["start"], record["end"], record["text"], record["direct"], record["kind"], record["cue"],
                 record["speaker"], record["speaker_start"], record["speaker_end"], record["via"])


def _new_since(store: Store, tracker: Tracker, options: AnalysisOptions, clusterer: OnlineClusterer | None) -> dict:
    """What is new since the baseline: the articles it does not know, and their sentences that no
    known article of the same stories tells (nor any known article they share wire copy with).
    Read are the articles the baseline may not know (for a moment, those dated from it on or not
    dated) and the other articles of their stories (which also date the undated ones), not the
    whole store."""
    baseline = options.since
    clusterer = clusterer or OnlineClusterer()  # nothing linked yet (a run that read nothing into an empty store)
    candidates = load_findings(store, _maybe_unknown(store, baseline))
    stories = picture.stories_of_articles(store.connection, sorted(found.article.id for found in candidates))
    everything = candidates + load_findings(store, sorted(set(picture.story_article_seqs(store.connection, stories)) - {f.seq for f in candidates}))
    boilerplate.Knowledge(store.boilerplate_counts).mark(everything)
    clusterer.event_of.recall(found.article.id for found in everything)
    inferred = infer_dates(clusterer, [found.document for found in everything])
    fresh_ids = {f.article.id for f in candidates if not baseline.knows(f.article.id, f.article.date or inferred.get(f.article.id))}
    links = _links_of(store, fresh_ids, [], {found.seq: found for found in everything})
    partners = {a for link in links for a in (link.article_a, link.article_b)} - fresh_ids
    made = what_is_new(baseline, [found.document for found in everything], links, clusterer.event_of, inferred, also_known=partners)
    made["known_articles"] = store.count() - len(fresh_ids)
    return made


def _maybe_unknown(store: Store, baseline) -> list[int]:
    """The seqs of the articles a baseline may not know: for a moment, those dated at or after it,
    the undated ones, and those dated less precisely from its year on ("2026-05" may hold a moment
    of that month); for a previous report, those it does not list."""
    if baseline.date is not None:
        query = "SELECT seq FROM articles WHERE date IS NULL OR date >= ? OR (date >= ? AND length(date) < ?)"
        return sorted(seq for seq, in store.connection.execute(query, (baseline.date, baseline.date[:4], len(baseline.date))))
    return [seq for seq, article_id in store.connection.execute("SELECT seq, id FROM articles") if article_id not in baseline.known_ids]


def _article_records(store, near, new_links, links, clusterer, inferred, quote_dicts, claim_dicts) -> tuple[dict[str, dict], dict[str, dict]]:
    """The report records of the articles written: those of the touched stories, made anew, and
    the earlier copies the new articles reprint, as stored with the new wire copy marked (their
    other stored findings are returned too, as JSON)."""
    records = {found.article.id: article_record(*found.document) for found in near}
    for found in near:
        records[found.article.id]["inferred_date"] = inferred.get(found.article.id)
    partners = {a for link in new_links for a in (link.article_a, link.article_b)} - records.keys()
    kept = {}
    for article_id, stored in picture.each_stored_record(store.connection, sorted(partners)):
        record = stored.pop("article")
        for sentence in record["sentences"]:
            sentence["shared_with"] = []
        records[article_id] = record
        kept[article_id] = orjson.dumps(stored)  # written back as it is: its JSON is a tenth of its objects' memory
    partner_links = picture.links_touching(store.connection, partners) if partners else []
    every = {(l.article_a, l.article_b): l for l in [*links, *partner_links, *new_links]}
    rank = _rank(store, {a for pair in every for a in pair})
    mark_reuse(records, sorted(every.values(), key=lambda l: (rank[l.article_a][1], rank[l.article_b][1])), rank)
    _add_additions(records, near, links, clusterer, quote_dicts, claim_dicts)
    return records, kept


def _rank(store: Store, ids: set[str]) -> dict[str, tuple[str, int]]:
    """(date or "9999", arrival) of each article: which of near-duplicates counts as the original."""
    found = {}
    chunk = sorted(ids)
    for start in range(0, len(chunk), 500):
        part = chunk[start : start + 500]
        query = f"SELECT id, date, seq FROM articles WHERE id IN ({', '.join('?' * len(part))})"
        found.update((article_id, (date or "9999", seq)) for article_id, date, seq in store.connection.execute(query, part))
    return found


def _add_additions(records, near, links, clusterer, quote_dicts, claim_dicts) -> None:
    """What each article of the touched stories adds to its event (its sentences no other
    article of the event tells), with the quotations and numbers in them."""
    members: defaultdict[str, list] = defaultdict(list)
    for found in near:
        members[clusterer.event_of[found.article.id]].append(found.document)
    event_links = links_within(links, clusterer.event_of)
    quotes_of, claims_of = _by_article(quote_dicts), _by_article(claim_dicts)
    for event_id, documents in members.items():
        for article_id, found in event_additions(documents, event_links.get(event_id, [])).items():
            records[article_id]["adds"] = addition_record(records[article_id], found, quotes_of[article_id], claims_of[article_id])


@dataclass
class Picture:
    """What a run writes to the store's picture tables."""

    records: dict[str, dict]  # the report records of the articles written
    kept: dict[str, bytes]  # the other stored findings (JSON) of earlier copies written again for their wire-copy marks
    fresh: set[str]  # articles new to linking
    reuse: list[dict]  # records of the run's new wire-copy links
    anchors: list[tuple[int, int]]  # the reuse index's new rows
    boilerplate: list[tuple]  # what the run counted of repeated sentences (link.boilerplate)
    names: NameChanges
    mentions: dict[str, list[Mention]]  # per article written, names completed
    quotes: list[tuple]  # rows (number, record, speaker group, language) of the touched stories' quotations
    requoted: list[tuple]  # rows of stored quotations of other articles whose statement changed
    claims: list[dict]
    near: list[Findings]  # the articles of the touched events
    events: list[dict]  # the touched events, and events of stories merged away
    stories: list[dict]  # the touched stories
    disagreements: list[dict]  # of the touched stories
    claim_places: dict[str, tuple]  # claim id -> (story, article seq, place among the article's claims)
    touched: Touched
    linked: int  # the last article linked now


def _keep_picture(store: Store, made: Picture, clusterer: OnlineClusterer, clustering: dict) -> None:
    """Write what the run changed to the picture tables, with the clustering state, the reuse
    index and how far linking has got, in one transaction: a run killed at any moment leaves the
    picture and the linking state as the last complete run left them."""
    seqs = {**_seqs(store, set(made.records) - {f.article.id for f in made.near}), **{f.article.id: f.seq for f in made.near}}
    times = {found.article.id: [{"article_id": found.article.id, **time_record(t)} for t in found.times] for found in made.near}
    rows = _article_rows(made, clusterer, seqs, times)
    with store.connection as connection:
        if not clustering["continued"]:
            picture.clear(connection)
        picture.forget_stories(connection, sorted(made.touched.stories | made.touched.gone_stories))
        picture.forget_events(connection, sorted(made.touched.gone_events | {event["id"] for event in made.events}))
        picture.move_articles(connection, {gone: kept for gone, kept in clusterer.story_merges if gone in made.touched.gone_stories})
        picture.save_events(connection, made.events)
        picture.save_stories(connection, made.stories, picture.events(connection, sorted(made.touched.stories)))
        picture.save_disagreements(connection, made.disagreements, made.claim_places)
        picture.forget_quotes(connection, sorted(times))
        picture.save_quotes(connection, made.quotes + made.requoted, {**seqs, **_seqs(store, {row[1]["article_id"] for row in made.requoted})})
        picture.rename_speakers(connection, {entity_id: entity.name for entity_id, entity in made.names.entities.items() if entity is not None})
        picture.save_articles(connection, rows)
        picture.save_story_cards(connection, sorted(made.touched.stories | made.touched.gone_stories))
        stored_names.save(connection, made.names)
        picture.save_reuse(connection, made.reuse, {**seqs, **_seqs(store, {a for r in made.reuse for a in r["article_ids"]})})
        picture.save_anchors(connection, made.anchors)
        picture.save_boilerplate(connection, made.boilerplate)
        picture.save_linked_seq(connection, made.linked, link_version())
        _keep_clustering(store, clusterer, clustering)


def _article_rows(made: Picture, clusterer: OnlineClusterer, seqs: dict[str, int], times: dict[str, list[dict]]) -> Iterator[tuple]:
    """The picture's row of each article written, made as it is written (each holds the article's
    findings whole: all of them at once were a link batch's largest part)."""
    claims_of = _by_article(made.claims)
    for article_id in sorted(made.records, key=seqs.__getitem__):
        event_id = clusterer.event_of.get(article_id)
        if article_id in times:
            named = [[m.name, m.start, m.end, m.text, m.role] for m in made.mentions[article_id]]
            found = {"article": made.records[article_id], "claims": claims_of[article_id], "times": times[article_id], "mentions": named}
        else:  # an earlier copy outside the touched stories: its findings as stored, its wire copy marked anew
            found = {"article": made.records[article_id], **orjson.loads(made.kept[article_id])}
        yield article_id, seqs[article_id], event_id, clusterer.story_of.get(event_id), found
