"""Analysis on a Dask cluster (``lagebild analyze --cluster``): reading, storing and the per-article
stages of a run as Dask tasks over partitions of the input, the workers writing to the shared
store; linking then runs in the calling process, as ``pipeline.analyse`` runs it.

The input is cut into partitions: JSON-lines files into ranges of lines (found by one pass over
the file's bytes, nothing parsed), WARC archives into ranges of records (one pass over the
archive, decompressing it, no payload parsed), other files whole, several small ones together.
A partition is paths and numbers: the workers read the input themselves, none of it is shipped
from here (they need the input files and the store at the same paths, or a ``postgresql://``
store). Each partition is three tasks:

- read: parse its records (any worker, all partitions at once);
- store: add its articles and problems to the store, one partition after the other in input
  order, so that the articles are numbered (``seq``) as one process numbers them: arrival order
  decides which of two copies is the original and which quotation names a statement, so the
  picture is the one a single process makes;
- stages: run the stages its articles lack in the current version and keep the results.

A failed task is retried; a worker lost costs the partitions it held (Dask runs their tasks again,
and storing them again adds nothing). A rerun stores no article twice and recomputes no stage
result of the current version.

Limits: a file of another format (a feed, a JSON array, a gzipped JSON-lines file) is read whole by
one task, and so is a URL.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lagebild import pipeline
from lagebild.ingest import DEFAULT_MAX_BYTES, discover, is_jsonl, is_warc, read_input, read_lines_of, read_records_of
from lagebild.ingest.readers import warc_record_offsets
from lagebild.model import AnalysisOptions, Article, IngestProblem, IngestSummary
from lagebild.pipeline import STAGE_BATCH, _seqs, _stage_batch  # the single-process engine's own steps
from lagebild.progress import Tracker
from lagebild.stages import STAGES, chunks, versions
from lagebild.store import Store

RECORDS_PER_PARTITION = 250  # records (a whole file counts as one) a task reads and analyses: small enough that the last ones keep every worker busy
RETRIES = 2  # a task that fails is run again this many times
IN_FLIGHT_PER_WORKER = 3  # partitions submitted per worker thread and not yet done (never the whole input)
CONNECT_SECONDS = 10
WORKERS_SECONDS = 60  # how long a scheduler without workers is waited for


class ClusterError(Exception):
    """The cluster cannot be used (a bad address, no scheduler there, workers lost); one line."""


@dataclass(frozen=True)
class Piece:
    """An input file or URL read whole, or a part of a file: ``count`` lines of a JSON-lines file
    from line ``first`` (1 is the first line), or ``count`` records of a WARC archive from record
    ``first``; the part starts at byte ``offset``."""

    location: str
    kind: str = "whole"  # or "lines", "records"
    first: int = 0
    count: int = 0
    offset: int = 0

    @property
    def records(self) -> int:
        return self.count or 1

    def read(self, max_bytes: int) -> Iterator[Article | IngestProblem]:
        if self.kind == "lines":
            return read_lines_of(self.location, self.first, self.count, self.offset, max_bytes)
        if self.kind == "records":
            return read_records_of(self.location, self.count, self.offset, max_bytes)
        return read_input(self.location, max_bytes)


Partition = tuple[Piece, ...]


@dataclass
class Stored:
    """What a store task did: the partition's articles (ids, in input order) and the problems it
    recorded. (Not how many were new: a task run again after its worker died finds them stored.)"""

    ids: list[str]
    problems: list[IngestProblem]


@dataclass
class Done(Stored):
    """A partition analysed: as stored, and how many articles had a stage to run (in the task
    that answered: one run again after its worker died may find the work done)."""

    analysed: int = 0


@dataclass
class ClusterRun:
    """What the cluster did, in input order, as a summary of the run."""

    parts: list[Done] = field(default_factory=list)
    workers: int = 0
    seconds: float = 0.0

    def summary(self, store: Store, problems: list[IngestProblem], last_before: int) -> IngestSummary:
        """The run as ``pipeline.ingest`` sums it up (problems of the inputs not found first);
        the articles it added are those numbered after the last one stored before it."""
        summary = IngestSummary(problems=list(problems))
        for part in self.parts:
            summary.read += len(part.ids)
            summary.article_ids += part.ids
            summary.problems += part.problems
        summary.added = sum(seq > last_before for seq in _seqs(store, set(summary.article_ids)).values())
        summary.already_stored = summary.read - summary.added
        return summary


# --- partitions -------------------------------------------------------------------------------


def partitions(inputs: list[str], records_per_partition: int = RECORDS_PER_PARTITION) -> tuple[list[Partition], list[IngestProblem]]:
    """The inputs as partitions of about ``records_per_partition`` records each, in input order,
    and the inputs that do not exist."""
    locations, problems = discover(inputs)
    parts: list[Partition] = []
    current: list[Piece] = []
    size = 0
    for piece in (piece for location in locations for piece in _pieces(location, records_per_partition)):
        if current and size + piece.records > records_per_partition:
            parts.append(tuple(current))
            current, size = [], 0
        current.append(piece)
        size += piece.records
    if current:
        parts.append(tuple(current))
    return parts, problems


def _pieces(location: str, records_per_partition: int) -> list[Piece]:
    """An input in parts where its format allows it cheaply, else whole. An input that cannot be
    cut (unreadable here, a broken archive) is read whole by a worker, which records its problem
    as one process does."""
    try:
        if is_jsonl(location):
            return list(_line_ranges(location, records_per_partition))
        if is_warc(location):
            return _record_ranges(location, records_per_partition) or [Piece(location)]
    except Exception:  # noqa: BLE001 - warcio signals a broken archive in many ways; read whole, it is reported
        pass
    return [Piece(location)]


def _line_ranges(location: str, size: int) -> Iterator[Piece]:
    """A JSON-lines file in ranges of ``size`` lines (blank ones too: lines keep their numbers)."""
    first, lines, offset, position = 1, 0, 0, 0
    with open(location, "rb") as handle:
        for line in handle:
            lines += 1
            position += len(line)
            if lines == size:
                yield Piece(location, "lines", first, lines, offset)
                first, lines, offset = first + lines, 0, position
    if lines:
        yield Piece(location, "lines", first, lines, offset)


def _record_ranges(location: str, size: int) -> list[Piece]:
    """A WARC archive in ranges of ``size`` records (found by one pass over it)."""
    offsets = warc_record_offsets(location)
    return [Piece(location, "records", start + 1, min(size, len(offsets) - start), offsets[start]) for start in range(0, len(offsets), size)]


# --- tasks (run on the workers) -----------------------------------------------------------------


def read_partition(partition: Partition, max_bytes: int) -> tuple[list[Article], list[IngestProblem]]:
    """Parse a partition's records: its articles and its problems, in input order."""
    articles: list[Article] = []
    problems: list[IngestProblem] = []
    for piece in partition:
        for item in piece.read(max_bytes):
            (articles if isinstance(item, Article) else problems).append(item)
    return articles, problems


def store_partition(db: str, read: tuple[list[Article], list[IngestProblem]], previous: Stored | None) -> Stored:
    """Add a partition's articles (those not stored yet) and problems to the store. ``previous``
    is the partition before it, stored first: only its place in the task graph counts."""
    articles, problems = read
    with Store(db) as store:
        store.add_articles(articles)
        store.add_problems(problems)
    return Stored([article.id for article in articles], problems)


def stage_partition(db: str, stored: Stored) -> Done:
    """Run the stages a stored partition's articles lack in the current version and keep the
    results (no progress mark: partitions finish out of order; the client sets it)."""
    analysed = 0
    with Store(db) as store:
        seqs = sorted(set(_seqs(store, set(stored.ids)).values()))
        for batch in chunks(seqs, STAGE_BATCH):
            _, rows = _stage_batch(store.numbered_articles_at(batch, sources=False), store.stage_results_at(batch))
            if rows:
                store.save_stage_results(rows, {})
            analysed += len({row[0] for row in rows})
    return Done(stored.ids, stored.problems, analysed)


def worker_versions() -> dict[str, str]:
    """The stage versions a worker computes (another lagebild there would key its results apart)."""
    return versions()


def advance_stage_progress(store: Store) -> None:
    """Move each stage's progress mark up to the last article before the first one that lacks a
    result of the stage's current version (the workers keep results without marks, since they
    finish out of order): the calling process then only reads what a worker left undone."""
    current, kept, last = versions(), store.stage_progress(), store.last_seq()
    progress = {}
    for stage in STAGES:
        done = kept[stage][1] if kept.get(stage, ("", 0))[0] == current[stage] else 0
        missing = store.first_without_result(stage, current[stage], done)
        progress[stage] = (current[stage], last if missing is None else missing - 1)
    store.save_stage_results([], progress)


# --- the client -------------------------------------------------------------------------------


def analyse_on_cluster(
    store: Store,
    db: str,
    inputs: list[str],
    address: str,
    tracker: Tracker,
    options: AnalysisOptions = AnalysisOptions(),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[IngestSummary, dict]:
    """Read, store and analyse the inputs on the cluster at ``address`` into the store ``db``
    (``store``: the caller's connection to it), then link in this process; returns the run's summary and
    its report, as ``pipeline.ingest`` and ``pipeline.analyse`` do."""
    parts, problems = partitions(inputs, RECORDS_PER_PARTITION)
    store.add_problems(problems)
    last_before = store.last_seq()
    done = ClusterRun()
    if parts:
        with connected(address) as client:
            done = run_partitions(client, worker_path(db), parts, max_bytes, tracker)
    summary = done.summary(store, problems, last_before)
    advance_stage_progress(store)
    report = pipeline.analyse(store, summary, tracker, options, jobs=1)  # finds every stage result kept
    report["lagebild"]["stage_seconds"]["cluster"] = round(done.seconds, 3)
    report["lagebild"]["cluster"] = {"workers": done.workers, "partitions": len(parts), "analysed": sum(part.analysed for part in done.parts)}
    return summary, report


def worker_path(db: str) -> str:
    """The store as workers name it: a file by its absolute path (their working folder may differ)."""
    return db if "://" in db else str(Path(db).resolve())


def parse_address(address: str) -> tuple[str, int]:
    """``local:N`` -> ("local", N); a scheduler's address (``tcp://host:port``) -> (it, 0)."""
    if address.startswith("local:"):
        count = address[len("local:") :]
        if count.isdigit() and int(count) >= 1:
            return "local", int(count)
        raise ClusterError(f"--cluster {address}: local:N needs a number of workers N of 1 or more")
    scheme, _, rest = address.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme in ("tcp", "tls") and host and port.isdigit():
        return address, 0
    raise ClusterError(f"--cluster {address}: not local:N or a scheduler address tcp://HOST:PORT")


@contextmanager
def connected(address: str):
    """A Dask client of the scheduler at ``address``, or of a local cluster of N worker
    processes of one thread each (``local:N``), closed afterwards."""
    where, workers = parse_address(address)
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ClusterError("--cluster needs dask.distributed: pip install 'lagebild[cluster]'") from error
    if where == "local":
        # processes, not threads: the stages hold the GIL; no dashboard, and quiet logs
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR) as cluster:
            with Client(cluster) as client:
                yield client
        return
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from error
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except TimeoutError as error:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers (waited {WORKERS_SECONDS} s)") from error
    try:
        yield client
    finally:
        client.close()


def run_partitions(client, db: str, parts: list[Partition], max_bytes: int, tracker: Tracker) -> ClusterRun:
    """Each partition read, stored in input order and analysed on the cluster, a few per worker in
    flight at a time; the results in input order."""
    from distributed import as_completed

    started = time.perf_counter()
    _check_versions(client)
    threads = client.nthreads()  # worker -> threads: tasks it runs at once
    slots = max(1, sum(threads.values()))
    run_id = uuid.uuid4().hex[:12]  # keys of their own: a long-lived scheduler may hold an earlier run's
    results: list[Done | None] = [None] * len(parts)
    index_of: dict[str, int] = {}
    previous = None
    upcoming = iter(enumerate(parts))
    pending = as_completed(with_results=False)

    def submit_next() -> None:
        nonlocal previous
        index, part = next(upcoming, (None, None))
        if part is None:
            return
        read = client.submit(read_partition, part, max_bytes, key=f"read-{run_id}-{index}", retries=RETRIES)
        stored = client.submit(store_partition, db, read, previous, key=f"store-{run_id}-{index}", retries=RETRIES)
        staged = client.submit(stage_partition, db, stored, key=f"stages-{run_id}-{index}", retries=RETRIES)
        index_of[staged.key] = index
        pending.add(staged)
        previous = stored

    for _ in range(IN_FLIGHT_PER_WORKER * slots):
        submit_next()
    for future in tracker.track(pending, "Analysing on the cluster", total=len(parts)):
        results[index_of.pop(future.key)] = _result(future)
        future.release()
        submit_next()
    return ClusterRun([result for result in results if result is not None], len(threads), time.perf_counter() - started)


def _result(future) -> Done:
    """A finished partition's result; a lost cluster as a ClusterError (what was stored stays).
    A task's own error (a store that cannot be written) is raised as it is."""
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker as error:
        raise ClusterError(f"a task's workers died again and again ({error}); a rerun continues where this one stopped") from error
    except CancelledError as error:
        raise ClusterError("the cluster cancelled a task (its scheduler restarted or went away); a rerun continues where this one stopped") from error


def _check_versions(client) -> None:
    theirs = client.submit(worker_versions, pure=False).result()
    if theirs != versions():
        raise ClusterError("the workers run another lagebild (other stage versions): install the same one on every worker")
