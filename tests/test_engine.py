"""The store-centred engine: stage results kept and reused, one run equals many, any number of
processes, and a run killed at any moment is completed by the next."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from helpers import analyze_report, comparable, run_cli, store_report
from lagebild import pipeline, stages
from lagebild.ingest import discover, read_input
from lagebild.model import Article
from lagebild.store import Store, picture

# The example corpus in ten increments, each dated no earlier than the one before (the clustering
# places a run's articles in date order, after everything placed before).
INCREMENTS = (
    ("faehre/01_dpa_havarie.txt", "faehre/02_tageblatt_havarie.txt"),
    ("faehre/03_afp_havarie.txt", "faehre/04_sda_havarie.txt", "wire:0"),
    ("faehre/05_dpa_untersuchung.txt",),
    ("faehre/06_faehrlinie_bornholm.txt",),
    ("erdbeben/01_dpa_beben.txt", "erdbeben/02_rundschau_beben.html"),
    ("erdbeben/03_feed_welt.xml", "wire:1"),
    ("nordwerk/01_dpaafx_stellenabbau.txt", "nordwerk/02_reuters_stellenabbau.txt"),
    ("wire:2",),
    ("nordwerk/03_weserbote_stellenabbau.txt",),
    ("nordwerk/04_dpa_warnstreik.txt",),
)


def _increments(examples: Path, folder: Path) -> list[Path]:
    """The increments as folders inc01..inc10 under ``folder`` (read in that order as one input)."""
    wire = (examples / "wire_english.jsonl").read_text(encoding="utf-8").splitlines()
    made = []
    for number, files in enumerate(INCREMENTS, start=1):
        target = folder / f"inc{number:02d}"
        target.mkdir(parents=True)
        for position, name in enumerate(files):
            if name.startswith("wire:"):
                (target / f"{position}_wire.jsonl").write_text(wire[int(name[5:])] + "\n", encoding="utf-8")
            else:
                shutil.copy(examples / name, target / f"{position}_{Path(name).name}")
        made.append(target)
    return made


def test_one_run_and_ten_increments_give_the_same_picture(tmp_path, examples, store_at):
    increments = _increments(examples, tmp_path / "corpus")
    one, db = store_at(), store_at()
    whole, result = analyze_report(tmp_path, tmp_path / "corpus", db=one)
    assert result.exit_code == 0 and len(whole["articles"]) == 17
    for folder in increments:
        _, result = analyze_report(tmp_path, folder, db=db)
        assert result.exit_code == 0
    grown = store_report(tmp_path, db)
    assert comparable(grown) == comparable(whole)
    assert _cards(db) == _cards(one) == _cards(db, anew=True)
    assert run_cli("check", "--db", db).exit_code == 0 and run_cli("check", "--db", one).exit_code == 0


def _cards(db: str, anew: bool = False) -> list[tuple]:
    """The stories' front-page cards as linking kept them (``anew``: recomputed from the picture)."""
    connection = Store(db).connection
    with connection:
        if anew:
            picture.save_story_cards(connection, [row[0] for row in connection.execute("SELECT id FROM picture_stories")])
        cards = connection.execute("SELECT * FROM story_cards ORDER BY story_id").fetchall()
    connection.close()
    assert cards and all(card[2] >= 1 for card in cards)
    return cards


def test_any_number_of_processes_gives_the_same_findings(tmp_path, examples, monkeypatch):
    monkeypatch.setattr(pipeline, "STAGE_BATCH", 3)  # several batches, so that two workers share them
    one, _ = analyze_report(tmp_path, examples, db=tmp_path / "one.db")
    result = run_cli("analyze", examples, "--db", tmp_path / "two.db", "--jobs", "2", "--json", tmp_path / "two.json")
    assert result.exit_code == 0
    two = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))
    assert comparable(two) == comparable(one)


def test_linking_a_batch_at_a_time_gives_the_same_picture(tmp_path, examples, monkeypatch):
    _increments(examples, tmp_path / "corpus")  # arriving in date order: batches of arrivals are placed as one run places them
    whole, _ = analyze_report(tmp_path, tmp_path / "corpus", db=tmp_path / "whole.db")
    monkeypatch.setattr(pipeline, "LINK_BATCH", 4)  # each batch written before the next is read
    batched, result = analyze_report(tmp_path, tmp_path / "corpus", db=tmp_path / "batched.db")
    assert result.exit_code == 0 and comparable(batched) == comparable(whole)
    monkeypatch.setattr(pipeline, "LINK_BATCH", 10_000)
    monkeypatch.setattr(pipeline, "REUSE_CHUNK", 2)  # a batch's wire copy found two articles at a time
    chunked, result = analyze_report(tmp_path, tmp_path / "corpus", db=tmp_path / "chunked.db")
    assert result.exit_code == 0 and comparable(chunked) == comparable(whole) and chunked["reuse"]


def test_linking_beside_the_stages_gives_the_same_picture(tmp_path, examples, monkeypatch, store_at):
    _increments(examples, tmp_path / "corpus")
    first, _ = analyze_report(tmp_path, tmp_path / "corpus", db=tmp_path / "first.db")
    db = store_at()
    assert "waiting for stages" not in first["lagebild"]["stage_seconds"]  # 17 articles: one link batch, the stages first
    monkeypatch.setattr(pipeline, "LINK_BATCH", 4)
    monkeypatch.setattr(pipeline, "STAGE_BATCH", 2)  # workers keep batches of two while the run links four at a time
    monkeypatch.setattr(pipeline, "MIN_STAGE_BATCH", 1)
    seen, restored = [], pipeline._restored_clusterer  # at each batch: how far linking and the stages had got
    monkeypatch.setattr(pipeline, "_restored_clusterer", lambda store, *args: seen.append(_progress(store)) or restored(store, *args))
    result = run_cli("analyze", tmp_path / "corpus", "--db", db, "--jobs", "2", "--json", tmp_path / "beside.json")
    beside = json.loads((tmp_path / "beside.json").read_text(encoding="utf-8"))
    assert result.exit_code == 0 and "waiting for stages" in beside["lagebild"]["stage_seconds"]
    assert comparable(beside) == comparable(first)
    assert _cards(db) == _cards(tmp_path / "first.db")
    assert [linked for linked, _ in seen] == [0, 4, 8, 12, 16]
    assert all(staged >= min(linked + 4, 17) for linked, staged in seen)  # a batch is linked once its articles' stages are kept


def _progress(store: Store) -> tuple[int, int]:
    """(the last article linked, the last article every stage has run on)."""
    return picture.linked_seq(store.connection, pipeline.link_version()), min(pipeline._stages_done(store).values())


def test_a_run_reads_the_clustering_state_only_for_what_it_links(tmp_path, examples, monkeypatch):
    corpus, db = _increments(examples, tmp_path / "corpus"), tmp_path / "store.db"
    analyze_report(tmp_path, corpus[0], db=db)
    read, restored = [], pipeline._restored_clusterer
    monkeypatch.setattr(pipeline, "_restored_clusterer", lambda *args: read.append(args) or restored(*args))
    _, again = analyze_report(tmp_path, corpus[0], db=db)  # all stored already: nothing to link
    _, added = analyze_report(tmp_path, corpus[1], db=db)
    assert again.exit_code == 0 and added.exit_code == 0
    assert len(read) == 1  # the batch of the addition's articles, not the last look for more


def test_stage_results_are_kept_and_a_new_stage_version_redoes_that_stage_only(tmp_path, examples, monkeypatch):
    db = tmp_path / "store.db"
    first, _ = analyze_report(tmp_path, examples / "faehre", db=db)
    ran: list[set[str]] = []
    real = stages.compute
    monkeypatch.setattr(pipeline, "compute", lambda findings, needed: ran.extend(needed) or real(findings, needed))
    analyze_report(tmp_path, examples / "faehre", db=db)
    assert ran == []  # nothing new: every stage's results are read from the store
    newer = {**stages.versions(), "claims": "a newer claims stage"}
    monkeypatch.setattr(pipeline, "versions", lambda: newer)
    monkeypatch.setattr(stages, "versions", lambda: newer)
    again, _ = analyze_report(tmp_path, examples / "faehre", db=db)
    assert ran and all(needed == {"claims"} for needed in ran) and len(ran) == 6
    assert comparable(again) == comparable(first)
    with sqlite3.connect(db) as connection:
        assert {row[0] for row in connection.execute("SELECT DISTINCT version FROM stage_results WHERE stage = 'claims'")} == {"a newer claims stage"}


def _numbered_corpus(examples: Path, folder: Path, copies: int) -> None:
    """The example articles, each written ``copies`` times as distinct dated articles."""
    files, _ = discover([str(examples)])
    articles = [item for path in files for item in read_input(path) if isinstance(item, Article)]
    folder.mkdir()
    for number in range(copies * len(articles)):
        article = articles[number % len(articles)]
        day = f"2026-03-{number // len(articles) % 28 + 1:02d}"
        text = f" date {day} {article.title or ''}\n\n{article.text}\n\nMeldung {number}."
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is a POSIX signal")
def test_a_run_killed_at_any_moment_is_completed_by_the_next(tmp_path, examples):
    corpus = tmp_path / "corpus"
    _numbered_corpus(examples, corpus, copies=12)
    command = [str(Path(sys.executable).parent / "lagebild"), "analyze", str(corpus), "--quiet", "--jobs", "1", "--db"]
    env = dict(os.environ)
    subprocess.run([*command, str(tmp_path / "whole.db")], check=True, env=env, capture_output=True)
    whole = comparable(store_report(tmp_path, tmp_path / "whole.db"))
    db = tmp_path / "killed.db"
    for moment in (0.6, 1.2, 2.0, 3.5):  # seconds into a run of about five: reading, stages, linking, writing
        process = subprocess.Popen([*command, str(db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
    subprocess.run([*command, str(db)], check=True, env=env, capture_output=True)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (204, 204)
        assert connection.execute("SELECT COUNT(*) FROM stage_results").fetchone()[0] == 204 * len(stages.STAGES)
    assert comparable(store_report(tmp_path, db)) == whole


# `lagebild analyze` linking 50 articles at a time beside two workers keeping 4 at a time
_BESIDE = """import sys
from lagebild import pipeline
from lagebild.cli import app
pipeline.LINK_BATCH, pipeline.STAGE_BATCH, pipeline.MIN_STAGE_BATCH = 50, 4, 1
app(["analyze", *sys.argv[1:], "--quiet", "--jobs", "2", "--no-embeddings"], prog_name="lagebild")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is a POSIX signal")
def test_a_run_killed_while_it_links_beside_the_stages_is_completed_by_the_next(tmp_path, examples):
    corpus = tmp_path / "corpus"
    _numbered_corpus(examples, corpus, copies=24)
    command = [sys.executable, "-c", _BESIDE, str(corpus), "--db"]
    subprocess.run([*command, str(tmp_path / "whole.db")], check=True, capture_output=True)
    whole = comparable(store_report(tmp_path, tmp_path / "whole.db"))
    db = tmp_path / "killed.db"
    killed = [
        _killed_when([*command, str(db)], db, lambda staged, linked: 0 < staged < 408 and linked == 0),  # stages kept, nothing linked
        _killed_when([*command, str(db)], db, lambda staged, linked: staged < 408 and linked >= 50),  # a batch linked, stages running
        _killed_when([*command, str(db)], db, lambda staged, linked: linked >= 150),
    ]
    assert killed[:2] == [True, True]  # each run was killed in the state asked for, not after it ended
    subprocess.run([*command, str(db)], check=True, capture_output=True)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM stage_results").fetchone()[0] == 408 * len(stages.STAGES)
    assert comparable(store_report(tmp_path, db)) == whole


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc (Linux)")
def test_a_run_killed_outright_leaves_no_worker_behind(tmp_path, examples):
    corpus = tmp_path / "corpus"
    _numbered_corpus(examples, corpus, copies=24)
    db = tmp_path / "killed.db"
    process = subprocess.Popen([sys.executable, "-c", _BESIDE, str(corpus), "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    helpers = set()
    while process.poll() is None and not (helpers and _store_state(db, lambda staged, linked: staged > 0)):
        helpers = _descendants(process.pid)  # the fork server and the stage workers it forked
        time.sleep(0.01)
    assert process.poll() is None and len(helpers) >= 3, "the run ended before its workers could be seen"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20
    while helpers & _living(helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not helpers & _living(helpers)  # each worker saw the run gone, then the fork server had no one left


def _descendants(pid: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _living(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie waiting for its parent counts as gone)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _killed_when(command: list[str], db: Path, state: Callable[[int, int], bool]) -> bool:
    """Run the command and kill -9 it as soon as ``state(the last article every stage has run on,
    the last linked)`` holds of the store; whether that came before the run ended."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        if _store_state(db, state):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.01)
    return False


def _store_state(db: Path, state: Callable[[int, int], bool]) -> bool:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            staged = connection.execute("SELECT COALESCE(MIN(done_seq), 0) FROM stage_progress").fetchone()[0]
            linked = connection.execute("SELECT value FROM link_state WHERE key = 'linked_seq'").fetchone()
    except sqlite3.OperationalError:  # not made yet, or its tables not yet
        return False
    return state(staged, int(linked[0]) if linked else 0)


def test_a_store_that_cannot_be_written_gives_a_reason_and_keeps_what_it_held(tmp_path, examples, monkeypatch):
    from lagebild.store import picture

    db = tmp_path / "store.db"
    first, _ = analyze_report(tmp_path, examples / "faehre", db=db)

    def read_only(*_):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    with monkeypatch.context() as patched:
        patched.setattr(picture, "save_articles", read_only)
        result = run_cli("analyze", examples / "nordwerk", "--db", db, "--quiet")
    assert result.exit_code == 2 and "error: cannot write to the store" in result.output and "readonly" in result.output
    assert comparable(store_report(tmp_path, db)) == comparable(first)  # the picture as the last complete run left it
    again, result = analyze_report(tmp_path, examples / "nordwerk", db=db)
    assert result.exit_code == 0 and len(again["articles"]) == 4


def test_report_writes_a_window_of_the_store_as_a_stream(tmp_path, examples):
    db = tmp_path / "store.db"
    whole, _ = analyze_report(tmp_path, examples, db=db)
    out = tmp_path / "window.json"
    assert run_cli("report", "--db", db, "--since", "2026-05-01", "--until", "2026-05-31", "--json", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    window = json.loads(text)
    assert text == json.dumps(window, ensure_ascii=False, indent=2) + "\n"  # streamed, written as json.dump would
    assert {story["title"] for story in window["stories"]} == {"Schweres Erdbeben erschüttert Kirgistan"}
    ids = {article["id"] for article in window["articles"]}
    assert ids and ids < {article["id"] for article in whole["articles"]}
    assert all(q["article_id"] in ids for q in window["quotes"]) and all(c["article_id"] in ids for c in window["claims"])
    assert all(m["article_id"] in ids for entity in window["entities"] for m in entity["mentions"])
    one = store_report(tmp_path, db, "--story", window["stories"][0]["id"][:8])
    assert comparable(one) == comparable(window)


def test_three_writers_and_a_reader_share_one_store(tmp_path, examples):
    corpus = tmp_path / "corpus"
    _numbered_corpus(examples, corpus, copies=4)
    files = sorted(corpus.iterdir())
    parts = [files[:40], files[20:60], files[40:]]  # overlapping: some articles arrive from two writers
    for number, part in enumerate(parts):
        folder = tmp_path / f"part{number}"
        folder.mkdir()
        for path in part:
            shutil.copy(path, folder / path.name)
    lagebild = str(Path(sys.executable).parent / "lagebild")
    db = tmp_path / "shared.db"
    writers = [subprocess.Popen([lagebild, "analyze", str(tmp_path / f"part{n}"), "--db", str(db), "--quiet", "--jobs", "1"], stderr=subprocess.PIPE, text=True) for n in range(3)]
    readings = []
    while any(writer.poll() is None for writer in writers):
        if db.exists():
            readings.append(subprocess.run([lagebild, "stories", "--db", str(db)], capture_output=True, text=True).returncode)
        time.sleep(0.3)
    assert [writer.returncode for writer in writers] == [0, 0, 0], [writer.stderr.read() for writer in writers]
    assert "locked" not in "".join(writer.stderr.read() for writer in writers)
    assert readings and set(readings) <= {0, 2}  # a reader before the first picture is told there is none yet, never a traceback
    alone, _ = analyze_report(tmp_path, corpus, db=tmp_path / "alone.db")
    shared = store_report(tmp_path, db)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (len(files), len(files))
        assert connection.execute("SELECT COUNT(*) FROM picture_articles").fetchone()[0] == len(files)

    def per_article(report: dict, key: str) -> dict:
        found: dict = {}
        for item in report[key]:
            found.setdefault(item["article_id"], []).append({k: v for k, v in item.items() if k not in ("statement_id", "speaker_entity_id", "id")})
        return found

    for key in ("quotes", "claims", "times"):
        assert per_article(shared, key) == per_article(alone, key)
    assert sorted(e["name"] for e in shared["entities"]) == sorted(e["name"] for e in alone["entities"])


WRITES = [
    ("store articles", "lagebild.store.Store.add_articles"),
    ("stage results", "lagebild.store.Store.save_stage_results"),
    ("picture rows", "lagebild.store.picture.save_articles"),
    ("reuse index", "lagebild.store.picture.save_anchors"),
    ("entity names", "lagebild.store.names.save"),
]


@pytest.mark.parametrize("what,target", WRITES, ids=[what for what, _ in WRITES])
def test_a_full_disk_at_any_write_gives_a_reason_and_the_next_run_completes(tmp_path, examples, monkeypatch, what, target):
    db = tmp_path / "store.db"
    first, _ = analyze_report(tmp_path, examples / "faehre", db=db)

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(target, full)
        result = run_cli("analyze", examples / "nordwerk", "--db", db, "--quiet")
    assert result.exit_code == 2 and result.output.startswith("error: cannot write to the store") and "disk is full" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert comparable(store_report(tmp_path, db)) == comparable(first)
    again, result = analyze_report(tmp_path, examples / "nordwerk", db=db)
    assert result.exit_code == 0 and len(again["articles"]) == 4


def test_a_locked_store_gives_a_reason(tmp_path, examples, monkeypatch):
    from lagebild.store.backends import sqlite

    db = tmp_path / "store.db"
    analyze_report(tmp_path, examples / "faehre", db=db)
    monkeypatch.setattr(sqlite, "BUSY_SECONDS", 0.5)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the store
    try:
        result = run_cli("analyze", examples / "nordwerk", "--db", db, "--quiet")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 2 and "error:" in result.output and "locked" in result.output and "Traceback" not in result.output
    again, result = analyze_report(tmp_path, examples / "nordwerk", db=db)
    assert result.exit_code == 0 and len(again["articles"]) == 4


def test_a_damaged_store_gives_a_reason(tmp_path, examples):
    db = tmp_path / "store.db"
    analyze_report(tmp_path, examples / "faehre", db=db)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself
    with open(db, "r+b") as handle:  # a page of the file overwritten
        handle.seek(4096)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    result = run_cli("analyze", examples / "nordwerk", "--db", db, "--quiet")
    assert result.exit_code == 2 and result.output.startswith("error:") and str(db) in result.output and "Traceback" not in result.output


# Two reports of one town's utility on one day, one on prices and one on a pool: two events of
# one story. A third report of both, in a later run, merges the two events.
UTILITY_REPORTS = (
    ("Stadtwerke Kiel erhöhen Strompreis", "Kieler Blatt", "Die Stadtwerke Kiel erhöhen den Strompreis deutlich. Der Aufschlag trifft "
     "Haushalte, Bäckereien und Schwimmbäder. Kunden erhalten Briefe mit neuen Tarifen. Verbraucherschützer kritisieren Erhöhung und "
     "Tarifstruktur scharf. Die Stadtwerke verweisen auf gestiegene Einkaufskosten an der Strombörse."),
    ("Stadtwerke Kiel schließen Hallenbad", "Nord Zeitung", "Die Stadtwerke Kiel schließen das Hallenbad am Westufer. Das Hallenbad "
     "bleibt wegen Sanierung der Lüftung geschlossen. Schwimmvereine suchen Ersatzzeiten in Nachbargemeinden. Die Lüftungsanlage gilt "
     "als marode, Gutachter fanden Schimmel. Die Stadtwerke prüfen einen Neubau des Hallenbads."),
    ("Strompreis steigt, Hallenbad schließt", "Ostsee Bote", "Die Stadtwerke Kiel erhöhen den Strompreis und schließen das Hallenbad am "
     "Westufer. Kunden erhalten Briefe mit neuen Tarifen, Verbraucherschützer kritisieren die Erhöhung. Das Hallenbad bleibt wegen "
     "Sanierung der Lüftung geschlossen, Schwimmvereine suchen Ersatzzeiten. Die Stadtwerke verweisen auf Einkaufskosten an der "
     "Strombörse und prüfen einen Neubau des Hallenbads."),
)


def _utility_run(folder: Path, reports) -> Path:
    folder.mkdir(parents=True)
    lines = [json.dumps({"title": title, "outlet": outlet, "text": text, "date": "2026-03-14", "url": f"https://{outlet.split()[0].lower()}.example/1"})
             for title, outlet, text in reports]
    (folder / "reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_events_merged_by_a_later_run_leave_their_story(tmp_path, store_at):
    whole, result = analyze_report(tmp_path, _utility_run(tmp_path / "all", UTILITY_REPORTS), db=store_at())
    assert result.exit_code == 0 and len(whole["events"]) == 1 and whole["events"][0]["merged_event_ids"]
    db = store_at()
    analyze_report(tmp_path, _utility_run(tmp_path / "first", UTILITY_REPORTS[:2]), db=db)
    assert len(store_report(tmp_path, db)["events"]) == 2 and len(store_report(tmp_path, db)["stories"]) == 1
    analyze_report(tmp_path, _utility_run(tmp_path / "then", UTILITY_REPORTS[2:]), db=db)
    grown = store_report(tmp_path, db)
    assert _without_paths(comparable(grown)) == _without_paths(comparable(whole))
    assert [story["event_ids"] for story in grown["stories"]] == [[event["id"] for event in grown["events"]]]
    listed = run_cli("stories", "--db", db)
    assert listed.exit_code == 0 and "1 event(s) merged into it" in listed.stdout
    checked = run_cli("check", "--db", db)
    assert checked.exit_code == 0 and checked.stdout.startswith("ok: 3 articles, 1 events, 1 stories")


def test_check_names_what_is_wrong_with_a_picture(tmp_path, store_at):
    db = store_at()
    analyze_report(tmp_path, _utility_run(tmp_path / "first", UTILITY_REPORTS[:2]), db=db)
    store = Store(db)
    with store.connection as connection:
        event_id = connection.execute("SELECT id FROM picture_events ORDER BY id LIMIT 1").fetchone()[0]
        connection.execute("DELETE FROM picture_events WHERE id = ?", (event_id,))
    store.close()
    checked = run_cli("check", "--db", db)
    assert checked.exit_code == 1
    assert "1 articles whose event is not stored: " in checked.stdout
    assert "1 stories whose record lists other events than those stored with it" in checked.stdout


def _without_paths(report: dict) -> dict:
    """The report with each article's path left out (the runs read the same lines from other files)."""
    return {**report, "articles": [{key: value for key, value in article.items() if key != "path"} for article in report["articles"]]}


PLEDGE_REPORTS = (  # one mayor's pledge reported on three days a few days apart, then made again six weeks later
    ("2026-03-01", "Kieler Blatt", "Hallenbad am Westufer wird neu gebaut", "Die Stadt Kiel baut das Hallenbad am Westufer neu. Bürgermeisterin "
     "Anna Petersen sagte am Sonntag: „Wir bauen das Hallenbad am Westufer neu, sobald der Rat dem Kredit zustimmt.“ Die Schwimmvereine begrüßten den Plan."),
    ("2026-03-05", "Nord Zeitung", "Rat berät über Hallenbad", "Der Kieler Rat berät über den Neubau des Hallenbads. Petersen hatte versprochen: "
     "„Wir bauen das Hallenbad am Westufer neu, sobald der Rat dem Kredit zustimmt.“ Die Opposition verlangt eine Kostenschätzung."),
    ("2026-03-11", "Ostsee Bote", "Kredit für Hallenbad", "Der Kredit für das Hallenbad in Kiel ist umstritten. Bürgermeisterin Anna Petersen "
     "bekräftigte: „Wir bauen das Hallenbad am Westufer neu, sobald der Rat dem Kredit zustimmt.“ Die Entscheidung fällt im April."),
    ("2026-04-20", "Kieler Blatt", "Rat stimmt Kredit zu", "Der Kieler Rat hat dem Kredit für das Hallenbad zugestimmt. Bürgermeisterin Anna "
     "Petersen sagte erneut: „Wir bauen das Hallenbad am Westufer neu, sobald der Rat dem Kredit zustimmt.“ Der Bau beginnt im Herbst."),
)


def _pledge_run(folder: Path, reports) -> Path:
    folder.mkdir(parents=True)
    lines = [json.dumps({"title": title, "outlet": outlet, "text": text, "date": day}) for day, outlet, title, text in reports]
    (folder / "reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_statement_is_one_occasion_and_an_addition_reads_a_speakers_quotations_of_weeks_not_years(tmp_path, store_at, monkeypatch):
    from lagebild.store import picture

    whole, _ = analyze_report(tmp_path, _pledge_run(tmp_path / "all", PLEDGE_REPORTS), db=store_at())
    pledges = sorted((q["article_id"], q["statement_id"]) for q in whole["quotes"] if q["text"].startswith("Wir bauen das Hallenbad"))
    by_day = {article["id"]: article["date"] for article in whole["articles"]}
    statements = {day: statement for article_id, statement in pledges for day in [by_day[article_id]]}
    assert statements["2026-03-01"] == statements["2026-03-05"] == statements["2026-03-11"] != statements["2026-04-20"]
    db = store_at()
    read = []
    real = picture.quotes_of_groups
    monkeypatch.setattr(picture, "quotes_of_groups", lambda *args: read.append(args[2:4]) or real(*args))
    for number, report in enumerate(PLEDGE_REPORTS):
        analyze_report(tmp_path, _pledge_run(tmp_path / f"run{number}", [report]), db=db)
    assert _without_paths(comparable(store_report(tmp_path, db))) == _without_paths(comparable(whole))
    assert read[-1] == ("2026-04-13", "2026-04-27")  # the last run asked for the mayor's quotations of its fortnight only


def test_a_speaker_renamed_by_a_later_run_speaks_under_that_name_in_the_quotations_before(tmp_path, examples, store_at):
    # the English wire spells him "Azamat Chyngyshev"; the German reports, arriving later, make
    # "Asamat Tschyngyschew" the entity's name, and his English quotations follow it
    whole, _ = analyze_report(tmp_path, examples / "wire_english.jsonl", examples / "erdbeben", db=store_at())
    db = store_at()
    analyze_report(tmp_path, examples / "wire_english.jsonl", db=db)
    first = {(q["article_id"], q["start"]): q["speaker"] for q in store_report(tmp_path, db)["quotes"]}
    analyze_report(tmp_path, examples / "erdbeben", db=db)
    grown = {(q["article_id"], q["start"]): q["speaker"] for q in store_report(tmp_path, db)["quotes"]}
    assert "Azamat Chyngyshev" in first.values() and "Azamat Chyngyshev" not in grown.values()
    assert grown == {(q["article_id"], q["start"]): q["speaker"] for q in whole["quotes"]}


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is a POSIX signal")
def test_a_stage_worker_killed_stops_the_run_with_a_reason_and_the_next_run_completes_it(tmp_path, examples):
    psutil = pytest.importorskip("psutil")
    corpus = tmp_path / "corpus"
    _numbered_corpus(examples, corpus, copies=12)
    db = tmp_path / "worker.db"
    command = [str(Path(sys.executable).parent / "lagebild"), "analyze", str(corpus), "--quiet", "--jobs", "2", "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    worker = _stage_worker(psutil, process.pid)
    worker.send_signal(signal.SIGKILL)
    _, errors = process.communicate(timeout=120)
    assert process.returncode != 0
    assert "Traceback" not in errors and "stage worker process stopped" in errors
    subprocess.run(command, check=True, capture_output=True)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (204, 204)
        assert connection.execute("SELECT COUNT(*) FROM stage_results").fetchone()[0] == 204 * len(stages.STAGES)


DYING_WORKERS = """
import os, signal, sys, threading
from concurrent.futures.process import BrokenProcessPool
from lagebild.pipeline import _in_order

def answer_then_die(size, delay):
    threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
    return bytes(size)

if __name__ == "__main__":
    delays = [float(delay) for delay in sys.argv[1:]]
    try:
        print(sum(len(answer) for answer in _in_order(answer_then_die, [(64_000_000, delay) for delay in delays], 2)))
    except BrokenProcessPool:
        print("stopped")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is a POSIX signal")
def test_workers_killed_while_they_answer_stop_the_run(tmp_path):
    # a worker killed while a large answer of its went through the pool's pipe left the pool
    # waiting for the rest for ever (half of such runs hung before answers went through files)
    script = tmp_path / "dying.py"
    script.write_text(DYING_WORKERS, encoding="utf-8")
    for delays in (["0.01", "0.05", "0.1"], ["0.03", "0.07", "0.12"], ["0.02", "0.06", "0.15"]):
        ended = subprocess.run([sys.executable, str(script), *delays], capture_output=True, text=True, timeout=60)
        assert ended.stdout.strip() == "stopped" and "Traceback" not in ended.stderr


UNREADABLE_TASK = """
from concurrent.futures.process import BrokenProcessPool
from lagebild.pipeline import _in_order

def refuse():
    raise EOFError("the task's bytes ended early")

class Unreadable:
    def __reduce__(self):  # read back in the worker, where the pool reads its next task
        return refuse, ()

if __name__ == "__main__":
    try:
        print(list(_in_order(len, [([1],), (Unreadable(),), ([2],)], 2)))
    except BrokenProcessPool:
        print("stopped")
"""


def test_a_worker_that_cannot_read_its_task_stops_the_run_without_a_traceback(tmp_path):
    # as when another worker was killed halfway through reading a task from the pool's pipe
    script = tmp_path / "unreadable.py"
    script.write_text(UNREADABLE_TASK, encoding="utf-8")
    ended = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert ended.stdout.strip() == "stopped" and ended.stderr == ""


def _stage_worker(psutil, pid: int):
    """A worker the run's fork server started (a grandchild of the run), as soon as there is one."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for child in psutil.Process(pid).children(recursive=True):
            parent = child.parent()
            if parent is not None and parent.pid != pid and "forkserver" in " ".join(child.cmdline()):
                return child
        time.sleep(0.05)
    raise AssertionError("no stage worker started within a minute")


# tables a run may read whole: a handful of rows each, whatever the store holds
SMALL_TABLES = {"link_state", "stage_progress", "article_search_config", "clusterer_states"}  # clusterer_states: one row (the clustering that made the picture)


def test_an_addition_reads_no_large_table_whole(tmp_path, examples, monkeypatch):
    """Every query an addition asks finds its rows through an index (a store of ten million
    articles): the plan of each SELECT of a run adding one article, looked at in SQLite."""
    import lagebild.store.backends.sqlite as backend

    db = tmp_path / "s.db"
    assert run_cli("analyze", examples, "--db", db, "--quiet").exit_code == 0
    new = tmp_path / "new.txt"
    new.write_text("Neue Meldung\n\nDer Bürgermeister von Kiel sagte am Montag, die Fähre fahre wieder. 40 Menschen warteten am Hafen.", encoding="utf-8")
    asked: list[str] = []
    connect = backend.connect
    monkeypatch.setattr(backend, "connect", lambda *args, **kwargs: _traced(connect(*args, **kwargs), asked))
    assert run_cli("analyze", new, "--db", db, "--quiet", "--jobs", "1").exit_code == 0
    monkeypatch.undo()
    with sqlite3.connect(db) as connection:
        selects = {query.strip() for query in asked if query.lstrip().upper().startswith(("SELECT", "WITH"))}
        scans = [(step, query) for query in selects for step in _plan(connection, query) if step.startswith("SCAN ") and " USING " not in step]
    assert len(selects) > 30 and any("FROM picture_reuse WHERE article_b" in query for query in selects)
    assert not [(step, query) for step, query in scans if step.split()[1].removeprefix("main.") not in SMALL_TABLES]


def _traced(connection, asked: list[str]):
    connection.set_trace_callback(asked.append)
    return connection


def _plan(connection, query: str) -> list[str]:
    return [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + query)]
