"""The store: articles keyed by their content hash, the per-article stages' results
(``lagebild.stages``), the reuse index, article vectors, the event clustering's state and what it
keeps of a growing stream (``store.clustering``), the situation picture's tables with each story's
front-page card (``store.picture``), what the service reads from them (``store.views``), its
full-text search, feeds and watches (``store.feeds``).

It lives in SQLite (a file, the default) or PostgreSQL (a server several processes share); the
two backends (``store.backends``) run the same statements and the same migrations. The schema is
created and migrated by the program (the schema version counts the applied migrations). Writes
happen in transactions, so an interrupted or failing run never loses what was stored before it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from lagebild.model import Article, FieldSpan, IngestProblem, Span
from lagebild.store.backends import chunks, connect, database_errors, insert_new, marks, replace, shown

# Each entry migrates the schema from version N to N+1; append, never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        source_format TEXT NOT NULL,
        title TEXT,
        date TEXT,
        date_source TEXT,
        dateline TEXT,
        credits TEXT NOT NULL,
        byline TEXT,
        desk_code TEXT,
        language TEXT,
        url TEXT,
        outlet TEXT,
        text TEXT NOT NULL,
        source_text TEXT NOT NULL,
        body_offset INTEGER NOT NULL,
        layout TEXT NOT NULL,
        warnings TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_date ON articles(date);
    CREATE TABLE problems (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        seen_at TEXT NOT NULL
    );
    """,
    # article vectors (optional embeddings), kept so that a growing store embeds only new articles
    """
    CREATE TABLE article_vectors (
        article_id TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (article_id, model)
    );
    """,
    # the event clustering's state after the last run, keyed by the code that wrote it
    """
    CREATE TABLE clusterer_states (
        key TEXT PRIMARY KEY,
        state BLOB NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
    # the last report, keyed by the code and options that made it, with the article count it covers
    """
    CREATE TABLE reports (
        key TEXT PRIMARY KEY,
        articles INTEGER NOT NULL,
        report BLOB NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
    # per-article stage results (``lagebild.stages``), and how far each stage's version has got
    """
    CREATE TABLE stage_results (
        article_seq INTEGER NOT NULL,
        stage TEXT NOT NULL,
        version TEXT NOT NULL,
        result BLOB NOT NULL,
        PRIMARY KEY (article_seq, stage)
    ) WITHOUT ROWID;
    CREATE TABLE stage_progress (
        stage TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        done_seq INTEGER NOT NULL
    );
    """,
    # the situation picture (``store.picture``): what linking found, read by windows and listings;
    # it replaces the saved whole report
    """
    DROP TABLE reports;
    CREATE TABLE picture_articles (
        article_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        event_id TEXT,
        story_id TEXT,
        first_day TEXT,
        last_day TEXT,
        meta TEXT NOT NULL,
        found BLOB NOT NULL
    );
    CREATE INDEX picture_articles_story ON picture_articles(story_id);
    CREATE INDEX picture_articles_event ON picture_articles(event_id);
    CREATE INDEX picture_articles_day ON picture_articles(last_day);
    CREATE TABLE picture_quotes (
        article_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        speaker TEXT,
        via TEXT,
        statement_id TEXT,
        speaker_group TEXT,  -- what groups its versions into statements (report.quotes)
        language TEXT,
        seq INTEGER NOT NULL,
        last_day TEXT,
        record BLOB NOT NULL,
        PRIMARY KEY (article_id, number)
    );
    CREATE INDEX picture_quotes_speaker ON picture_quotes(speaker);
    CREATE INDEX picture_quotes_group ON picture_quotes(speaker_group);
    CREATE INDEX picture_quotes_day ON picture_quotes(last_day);
    CREATE TABLE picture_events (
        id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        first_day TEXT NOT NULL,  -- events are listed by their first day ('9999' undated), then id
        record BLOB NOT NULL
    );
    CREATE INDEX picture_events_story ON picture_events(story_id);
    CREATE TABLE picture_stories (
        id TEXT PRIMARY KEY,
        first_day TEXT NOT NULL,  -- stories are listed as their earliest events are
        first_event TEXT NOT NULL,
        record BLOB NOT NULL
    );
    CREATE TABLE picture_entity_names (
        name TEXT PRIMARY KEY,
        entity_id TEXT NOT NULL
    );
    CREATE TABLE picture_entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        variants TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL
    );
    CREATE INDEX picture_entities_mentions ON picture_entities(mentions);
    CREATE TABLE picture_reuse (
        article_a TEXT NOT NULL,
        article_b TEXT NOT NULL,
        seq_a INTEGER NOT NULL,
        seq_b INTEGER NOT NULL,
        record BLOB NOT NULL,
        PRIMARY KEY (article_a, article_b)
    );
    CREATE TABLE picture_disagreements (
        story_id TEXT,
        kind_rank INTEGER NOT NULL,  -- listed conflicting first, by what they count, then as found
        about TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        first_number INTEGER NOT NULL,
        record BLOB NOT NULL
    );
    CREATE INDEX picture_disagreements_story ON picture_disagreements(story_id);
    CREATE TABLE link_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE link_names (
        name TEXT PRIMARY KEY,  -- what the mentions of a name add up to (link.entities.NameStats)
        types TEXT NOT NULL,
        named_types TEXT NOT NULL,
        texts TEXT NOT NULL,
        articles INTEGER NOT NULL
    );
    CREATE TABLE reuse_anchors (
        hash INTEGER NOT NULL,
        key INTEGER NOT NULL,  -- article seq * 65536 + sentence position (link.reuse)
        PRIMARY KEY (hash, key)
    ) WITHOUT ROWID;
    """,
    # the service (``lagebild serve``/``watch``): full-text search over the articles, the feeds
    # polled with what each last answered, the entries already taken, and saved watches
    """
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO article_search(article_search) VALUES ('rebuild');
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_success TEXT,
        last_error TEXT,
        last_error_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,  -- in a row, the back-off grows with them
        next_poll TEXT,
        articles INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE TABLE feed_entries (
        feed_url TEXT NOT NULL,
        entry TEXT NOT NULL,  -- the entry's id, else its link
        article_id TEXT,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_url, entry)
    ) WITHOUT ROWID;
    CREATE TABLE watches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        entities TEXT NOT NULL,  -- JSON lists
        words TEXT NOT NULL,
        outlet TEXT,
        created_at TEXT NOT NULL
    );
    """,
    # which articles name a name (entity pages, watches): written with picture_articles
    """
    CREATE TABLE picture_names (
        name TEXT NOT NULL,
        article_id TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (name, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX picture_names_article ON picture_names(article_id);
    """,
    # a story as a front page lists it, kept by linking for the stories each run touches (filled
    # for stores linked before it by ``picture.save_story_cards`` when the store is opened)
    """
    CREATE TABLE story_cards (
        story_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        articles INTEGER NOT NULL,
        sources INTEGER NOT NULL,  -- outlets (or first credits) of its articles
        first_day TEXT,
        last_day TEXT,
        last_seq INTEGER NOT NULL,  -- its newest article
        conflicts INTEGER NOT NULL  -- its numbers in conflict
    );
    CREATE INDEX story_cards_day ON story_cards(last_day);
    CREATE INDEX story_cards_seq ON story_cards(last_seq);
    """,
    # what the service's pages look up (without these they read every row): an entity's names by
    # entity, an entity by its name, the picture's articles by arrival
    """
    CREATE INDEX IF NOT EXISTS picture_entity_names_entity ON picture_entity_names(entity_id);
    CREATE INDEX IF NOT EXISTS picture_entities_name ON picture_entities(name);
    CREATE INDEX IF NOT EXISTS picture_articles_seq ON picture_articles(seq);
    """,
    # what linking learns of sentences a source repeats (``link.boilerplate``): per hash of
    # (source, sentence), its articles, the first and last day (ordinals) of the dated ones, and
    # the smallest few hashes of their titles (how many different headlines carry it)
    """
    CREATE TABLE IF NOT EXISTS boilerplate_sentences (
        key INTEGER PRIMARY KEY,
        articles INTEGER NOT NULL,
        first_day INTEGER,
        last_day INTEGER,
        titles TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # what a story's sources are quoted saying (a tie-breaker of its weight, store.views)
    """
    ALTER TABLE story_cards ADD COLUMN statements INTEGER NOT NULL DEFAULT 0;
    """,
    # what the event clustering keeps of a growing stream (``store.clustering``), read and written
    # for the ids a run touches; the states saved whole before are dropped (their code is gone:
    # linking starts again from scratch)
    """
    DELETE FROM clusterer_states;
    CREATE TABLE IF NOT EXISTS event_articles (
        article_id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS event_stories (
        event_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS event_frequencies (
        item TEXT PRIMARY KEY,  -- a word stem or an entity id
        documents INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS event_history (
        kind TEXT NOT NULL,  -- merge, split or story_merge
        number INTEGER NOT NULL,  -- in order within its kind
        from_id TEXT NOT NULL,  -- the absorbed event (story), or the event split
        to_id TEXT NOT NULL,  -- the event (story) it joined, or the event split off
        PRIMARY KEY (kind, number)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS event_history_from ON event_history(kind, from_id);
    CREATE INDEX IF NOT EXISTS event_history_to ON event_history(kind, to_id);
    """,
    # the entity names grouped anew only where a run changed them (``store.names``): each name's
    # key, the names that hold a word, and every entity's spellings; the picture is linked again
    # from scratch (forgetting how far linking got), so that no name lacks them
    """
    DELETE FROM link_state;
    DROP TABLE IF EXISTS link_names;
    CREATE TABLE link_names (
        name TEXT PRIMARY KEY,  -- what the mentions of a name add up to (link.entities.NameStats)
        types TEXT NOT NULL,
        named_types TEXT NOT NULL,
        texts TEXT NOT NULL,
        articles INTEGER NOT NULL,
        key TEXT NOT NULL  -- what groups it with other names (link.entities.name_key)
    );
    CREATE INDEX IF NOT EXISTS link_names_key ON link_names(key);
    CREATE TABLE IF NOT EXISTS link_name_words (
        word TEXT NOT NULL,
        name TEXT NOT NULL,
        opening INTEGER NOT NULL,  -- 1: the name's first word (a name cut short is completed by it)
        PRIMARY KEY (word, name)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS picture_entity_spellings (
        spelling TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (spelling, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS picture_entity_spellings_entity ON picture_entity_spellings(entity_id);
    """,
    """
    CREATE INDEX IF NOT EXISTS picture_quotes_group_day ON picture_quotes(speaker_group, last_day);
    CREATE INDEX IF NOT EXISTS picture_quotes_statement ON picture_quotes(statement_id);
    """,
    # the one-word texts each name was written as (``store.names``: the people a one-word name may
    # be short for, found without reading every name that holds the word); linked again from
    # scratch, so that no name lacks them
    """
    DELETE FROM link_state;
    CREATE TABLE IF NOT EXISTS link_name_texts (
        text TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (text, name)
    ) WITHOUT ROWID;
    """,
    # the wire copy an article is the later side of (``picture.links_touching``: without it every
    # run read the whole table, 470,838 links and 975 MB at 100,000 stored, 1.2 s of an addition)
    """
    CREATE INDEX IF NOT EXISTS picture_reuse_b ON picture_reuse(article_b);
    """,
    # a speaker's newest quotations read through the index (``views.statements_by``: an entity's
    # page read every quotation of its names to show 50, thousands at 100,000 stored); the index
    # on the speaker alone is the new one's first column
    """
    CREATE INDEX IF NOT EXISTS picture_quotes_speaker_seq ON picture_quotes(speaker, seq, number);
    DROP INDEX IF EXISTS picture_quotes_speaker;
    """,
    # each entity spelling and speaker folded as a search for a speaker however spelt reads it
    # (``store.names.speaker_names``: it folded every variant and speaker, 30 s at 100,000 stored);
    # filled for a store linked before
    """
    CREATE TABLE IF NOT EXISTS picture_folded (
        text TEXT PRIMARY KEY,
        folded TEXT NOT NULL
    );
    """,
)
CARDS_MIGRATION = 9  # the schema version from which story_cards exists
STATEMENTS_MIGRATION = 12  # ... and has the statements of each story
FOLDED_MIGRATION = 19  # ... and the folded spellings and speakers

_ARTICLE_COLUMNS = (
    "id", "path", "source_format", "title", "date", "date_source", "dateline", "credits", "byline",
    "desk_code", "language", "url", "outlet", "text", "source_text", "body_offset", "layout",
    "warnings", "ingested_at",
)  # fmt: skip


class StoreError(Exception):
    """The store cannot be opened or is not a lagebild store; the message says which."""


# the event clustering's state, kept by the code that wrote it
CLUSTERER_STATE = replace("clusterer_states", ("key", "state", "saved_at"), ("key",))


class Store:
    def __init__(self, location: str | Path = ":memory:", shared: bool = False):
        """``location``: a file (SQLite), ``:memory:``, or ``postgresql://user@host/dbname``.
        ``shared``: the connection may pass between threads (one at a time: the server's pool)."""
        self.path = str(location)
        try:
            self.connection = connect(self.path, shared)
        except (*database_errors(), OSError) as error:
            raise StoreError(f"cannot use {shown(self.path)} as a store: {_first_line(error)}") from error
        self.dialect = self.connection.dialect
        try:
            self._migrate()
        except database_errors() as error:
            self.connection.close()
            raise StoreError(f"cannot use {shown(self.path)} as a store: {_first_line(error)}") from error

    def _migrate(self) -> None:
        """Apply the migrations the store lacks, in one write transaction: two processes opening
        a new store at once migrate it once (the second finds it done)."""
        if self._version() == len(MIGRATIONS):
            return
        self.dialect.begin_migration(self.connection)
        try:
            version = self._version()
            for number in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip() and (translated := self.dialect.schema(statement)):
                        self.connection.execute(translated)
                self.dialect.set_version(self.connection, number + 1)
            if 0 < version < STATEMENTS_MIGRATION:
                self._fill_story_cards()
            if 0 < version < FOLDED_MIGRATION:
                self._fill_folded()
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise

    def _fill_story_cards(self) -> None:
        from lagebild.store import picture  # picture reads the schema this module defines

        story_ids = [row[0] for row in self.connection.execute("SELECT id FROM picture_stories")]
        picture.save_story_cards(self.connection, story_ids)

    def _fill_folded(self) -> None:
        from lagebild.store import names  # names reads the schema this module defines

        names.remember_folded(self.connection, [row[0] for row in self.connection.execute("SELECT spelling FROM picture_entity_spellings")])
        names.remember_folded(self.connection, [row[0] for row in self.connection.execute("SELECT DISTINCT speaker FROM picture_quotes WHERE speaker IS NOT NULL")])

    def _version(self) -> int:
        version = self.dialect.version(self.connection)
        if version > len(MIGRATIONS):
            raise StoreError(f"{shown(self.path)} was written by a newer lagebild (schema {version})")
        return version

    def linking(self, waiting: Callable[[], None] = lambda: None):
        """Hold the store's linking to this process: linking reads and writes the clustering state
        and the picture, so processes sharing a store link one after another (``waiting`` is
        called if another holds it). Storing articles and running stages go on meanwhile."""
        return self.dialect.linking_lock(self.connection, self.path, waiting)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def add_articles(self, articles: list[Article], search_later: bool = False) -> int:
        """Store the articles whose id is new; returns how many were added. One transaction.
        ``search_later``: a search finds them after the next ``index_for_search`` (an addition of
        one article, as a POST, leaves indexing to the analysis that follows it)."""
        now = _now()
        rows = [_article_row(article, now) for article in articles]
        with self.connection:
            self.dialect.before_adding_articles(self.connection)
            last = self.last_seq()
            added = self.connection.executemany(insert_new("articles", _ARTICLE_COLUMNS), rows).rowcount
            self.dialect.index_for_search(self.connection, last, deferred=search_later)
            return added

    def index_for_search(self) -> None:
        """Index for search the articles added with ``search_later``, in one transaction."""
        with self.connection:
            self.dialect.before_adding_articles(self.connection)
            self.dialect.index_for_search(self.connection, self.last_seq())

    def add_problems(self, problems: list[IngestProblem]) -> None:
        now = _now()
        with self.connection:
            self.connection.executemany(
                "INSERT INTO problems (path, reason, seen_at) VALUES (?, ?, ?)",
                [(problem.path, problem.reason, now) for problem in problems],
            )

    def known_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update(row[0] for row in self.connection.execute(query, chunk))
        return found

    def vectors(self, model: str, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``model`` for those of the articles that have one."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = f"SELECT article_id, vector FROM article_vectors WHERE model = ? AND article_id IN ({', '.join('?' * len(chunk))})"
            found.update((article_id, np.frombuffer(blob, dtype=np.float32)) for article_id, blob in self.connection.execute(query, [model, *chunk]))
        return found

    def add_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Keep article vectors (one transaction: a batch is stored whole or not at all)."""
        rows = [(article_id, model, np.asarray(vector, dtype=np.float32).tobytes()) for article_id, vector in vectors.items()]
        with self.connection:
            self.connection.executemany(replace("article_vectors", ("article_id", "model", "vector"), ("article_id", "model")), rows)

    def has_clusterer_state(self, key: str) -> bool:
        return self.connection.execute("SELECT 1 FROM clusterer_states WHERE key = ?", (key,)).fetchone() is not None

    def clusterer_state(self, key: str) -> bytes | None:
        row = self.connection.execute("SELECT state FROM clusterer_states WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def save_clusterer_state(self, key: str, state: bytes, within_transaction: bool = False) -> None:
        """Keep the clustering's state (``within_transaction``: in the caller's, the picture's),
        the only one kept: the picture is this clustering's now, and another code's or mode's
        state (with or without article vectors) could only be taken up as if it had made it."""
        if not within_transaction:
            with self.connection:
                self.save_clusterer_state(key, state, within_transaction=True)
            return
        self.connection.execute("DELETE FROM clusterer_states WHERE key <> ?", (key,))
        self.connection.execute(CLUSTERER_STATE, (key, state, _now()))

    def clusterer_key(self) -> str | None:
        """The key of the clustering that made the picture (None: nothing linked yet)."""
        row = self.connection.execute("SELECT key FROM clusterer_states ORDER BY saved_at DESC, key LIMIT 1").fetchone()
        return row[0] if row else None

    def stage_progress(self) -> dict[str, tuple[str, int]]:
        """Stage -> (version, the last article it has run on in that version: all before it have
        results of that version too)."""
        return {stage: (version, done) for stage, version, done in self.connection.execute("SELECT stage, version, done_seq FROM stage_progress")}

    def save_stage_results(self, rows: list[tuple[int, str, str, bytes]], progress: dict[str, tuple[str, int]]) -> None:
        """Keep results (article seq, stage, version, result) and how far each stage has got, in
        one transaction: an interrupted run leaves no stage claiming an article it has no result for."""
        with self.connection:
            self.connection.executemany(replace("stage_results", ("article_seq", "stage", "version", "result"), ("article_seq", "stage")), rows)
            # another process may have got further with the same version: progress never goes back
            self.connection.executemany(
                "INSERT INTO stage_progress (stage, version, done_seq) VALUES (?, ?, ?) ON CONFLICT (stage) DO UPDATE SET"
                " done_seq = CASE WHEN stage_progress.version = excluded.version AND stage_progress.done_seq > excluded.done_seq THEN stage_progress.done_seq ELSE excluded.done_seq END,"
                " version = excluded.version",
                [(stage, version, done) for stage, (version, done) in progress.items()],
            )

    def stage_results(self, first_seq: int, last_seq: int) -> dict[int, dict[str, tuple[str, bytes]]]:
        """Article seq -> stage -> (version, result), for the articles first_seq..last_seq."""
        found: dict[int, dict[str, tuple[str, bytes]]] = {}
        query = "SELECT article_seq, stage, version, result FROM stage_results WHERE article_seq BETWEEN ? AND ?"
        for seq, stage, version, result in self.connection.execute(query, (first_seq, last_seq)):
            found.setdefault(seq, {})[stage] = (version, result)
        return found

    def stage_results_at(self, seqs: list[int]) -> dict[int, dict[str, tuple[str, bytes]]]:
        """Article seq -> stage -> (version, result), for these articles (any seqs, not a range)."""
        found: dict[int, dict[str, tuple[str, bytes]]] = {}
        for start in range(0, len(seqs), 500):
            part = seqs[start : start + 500]
            query = f"SELECT article_seq, stage, version, result FROM stage_results WHERE article_seq IN ({', '.join('?' * len(part))})"
            for seq, stage, version, result in self.connection.execute(query, part):
                found.setdefault(seq, {})[stage] = (version, result)
        return found

    def results_of(self, stage: str, seqs: list[int]) -> dict[int, bytes]:
        """Article seq -> its result of one stage, for these articles."""
        query = "SELECT article_seq, result FROM stage_results WHERE stage = ? AND article_seq IN ({})"
        return {seq: result for part in chunks(seqs) for seq, result in self.connection.execute(query.format(", ".join("?" * len(part))), [stage, *part])}

    def texts(self, seqs: list[int]) -> dict[int, str]:
        """Article seq -> its text, for these articles."""
        return {seq: text for part in chunks(seqs) for seq, text in self.connection.execute(f"SELECT seq, text FROM articles WHERE seq IN ({', '.join('?' * len(part))})", part)}

    def first_without_result(self, stage: str, version: str, after_seq: int) -> int | None:
        """The first article after ``after_seq`` that lacks a result of ``stage`` in ``version``."""
        query = (
            "SELECT MIN(a.seq) FROM articles a WHERE a.seq > ? AND NOT EXISTS"
            " (SELECT 1 FROM stage_results r WHERE r.article_seq = a.seq AND r.stage = ? AND r.version = ?)"
        )
        return self.connection.execute(query, (after_seq, stage, version)).fetchone()[0]

    def last_seq(self) -> int:
        """The newest stored article's number (0 for an empty store)."""
        return self.connection.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def anchor_postings(self, hashes: Collection[int]) -> dict[int, list[int]]:
        """The reuse index's posting lists for these trigram hashes (sentence keys in arrival order)."""
        postings: dict[int, list[int]] = {}
        query = "SELECT hash, key FROM reuse_anchors WHERE hash IN ({}) ORDER BY hash, key"
        for trigram, key in self._rows_of_hashes(hashes, query):
            postings.setdefault(trigram, []).append(key)
        return postings

    def boilerplate_counts(self, keys: set[int]) -> dict[int, tuple[int, int | None, int | None, str]]:
        """What linking has counted of these (source, sentence) keys (``link.boilerplate``):
        key -> (articles, first day, last day, title hashes); keys never counted are absent."""
        query = "SELECT key, articles, first_day, last_day, titles FROM boilerplate_sentences WHERE key IN ({})"
        return {key: tuple(counted) for key, *counted in self._rows_of_hashes(keys, query)}

    def _rows_of_hashes(self, hashes: Collection[int], query: str) -> list[tuple]:
        """The rows of ``query`` (``{}``: the place of an IN list) for these hashes, a chunk at a
        time, in the hashes' order (a batch asks about tens of thousands: lists of a few hundred
        each take a third of the time of filling a temporary table to join)."""
        return [row for chunk in chunks(sorted(hashes)) for row in self.connection.execute(query.format(marks(chunk)), chunk)]

    def nth_seq_after(self, after_seq: int, nth: int) -> int | None:
        """The number of the ``nth`` article stored after ``after_seq`` (None: fewer follow it)."""
        row = self.connection.execute("SELECT seq FROM articles WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET ?", (after_seq, nth - 1)).fetchone()
        return row[0] if row else None

    def count(self, after_seq: int = 0) -> int:
        if after_seq:
            return self.connection.execute("SELECT COUNT(*) FROM articles WHERE seq > ?", (after_seq,)).fetchone()[0]
        return self.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def latest_listed(self, last: int) -> list[tuple[str, str | None, str | None, list[str], str | None, str]]:
        """(id, date, language, credits, title, the text's first 80 characters) of the ``last``
        articles to arrive, in arrival order: a listing's fields, not the articles."""
        query = "SELECT seq, id, date, language, credits, title, SUBSTR(text, 1, 80) FROM articles ORDER BY seq DESC LIMIT ?"
        rows = sorted(self.connection.execute(query, (last,)).fetchall())
        return [(i, date, language, json.loads(credits), title, opening) for _, i, date, language, credits, title, opening in rows]

    def articles(self) -> Iterator[Article]:
        """All stored articles in arrival order."""
        for _, article in self.numbered_articles():
            yield article

    def numbered_articles(self, after_seq: int = 0, batch: int = 1000, upto: int | None = None, sources: bool = True) -> Iterator[tuple[int, Article]]:
        """(seq, article) in arrival order from after ``after_seq`` (up to ``upto``), read a batch at a
        time (a long-running read would keep the write-ahead log from being checkpointed).
        ``sources=False``: without their source texts (``_selected``)."""
        query = f"SELECT seq, {_selected(sources)} FROM articles WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?"
        last = upto if upto is not None else 2**62
        while rows := self.connection.execute(query, (after_seq, last, batch)).fetchall():
            for row in rows:
                yield row[0], _article_from_row(dict(zip(_ARTICLE_COLUMNS, row[1:])))
            after_seq = rows[-1][0]

    def numbered_articles_at(self, seqs: list[int], sources: bool = True) -> list[tuple[int, Article]]:
        """(seq, article) for these seqs (at most a thousand), in arrival order (``sources``: as
        ``numbered_articles``)."""
        query = f"SELECT seq, {_selected(sources)} FROM articles WHERE seq IN ({', '.join('?' * len(seqs))}) ORDER BY seq"
        return [(row[0], _article_from_row(dict(zip(_ARTICLE_COLUMNS, row[1:])))) for row in self.connection.execute(query, seqs)]

    def article(self, article_id: str) -> Article | None:
        query = f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ? OR id LIKE ? ORDER BY seq LIMIT 1"
        row = self.connection.execute(query, (article_id, f"{article_id}%")).fetchone()
        return _article_from_row(dict(zip(_ARTICLE_COLUMNS, row))) if row else None


def _article_row(article: Article, now: str) -> tuple:
    layout = {
        "headings": [(span.start, span.end) for span in article.headings],
        "paragraphs": [(span.start, span.end) for span in article.paragraphs],
        "fields": [(field.name, field.start, field.end, field.text) for field in article.fields],
    }
    values = {
        **vars(article),
        "credits": json.dumps(article.credits, ensure_ascii=False),
        "warnings": json.dumps(article.warnings, ensure_ascii=False),
        "layout": json.dumps(layout, ensure_ascii=False),
        "ingested_at": now,
    }
    return tuple(values[column] for column in _ARTICLE_COLUMNS)


def _selected(sources: bool) -> str:
    """The columns an article is read from; without ``sources``, its source text is left unread
    (None): the stages and linking read only the body, and the source text, as long again, was
    a quarter of a link batch's memory where its articles reprint many earlier ones."""
    return ", ".join(column if sources or column != "source_text" else "NULL" for column in _ARTICLE_COLUMNS)


def _article_from_row(row: dict) -> Article:
    layout = json.loads(row.pop("layout"))
    row.pop("ingested_at")
    row["credits"] = json.loads(row["credits"])
    row["warnings"] = json.loads(row["warnings"])
    return Article(
        **row,
        headings=[Span(*span) for span in layout["headings"]],
        paragraphs=[Span(*span) for span in layout["paragraphs"]],
        fields=[FieldSpan(*field) for field in layout["fields"]],
    )


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
