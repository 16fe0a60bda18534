"""PostgreSQL as the shared store: the same results as SQLite, concurrent writers, the service on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import analyze_report, comparable, run_cli, store_report
from serving import HELD_OUT, Served
from lagebild.store import Store

LISTINGS = (("articles",), ("stories",), ("quotes",), ("entities",), ("claims",), ("stories", "--top", "1", "--all"), ("quotes", "--last", "3", "--all"), ("claims", "--top", "2", "--all"), ("articles", "--last", "3"), ("entities", "--since", "2026-03"))


def test_the_example_corpus_gives_the_same_report_and_listings_on_both_backends(tmp_path, examples, postgres_store):
    on_sqlite, on_postgres = str(tmp_path / "store.db"), postgres_store()
    reports = [analyze_report(tmp_path, examples, db=db)[0] for db in (on_sqlite, on_postgres)]
    assert len(reports[0]["articles"]) == 17 and comparable(reports[0]) == comparable(reports[1])
    assert comparable(store_report(tmp_path, on_sqlite)) == comparable(store_report(tmp_path, on_postgres)) == comparable(reports[0])
    for listing in LISTINGS:
        shown = [run_cli(*listing, "--db", db) for db in (on_sqlite, on_postgres)]
        assert shown[0].exit_code == 0 and shown[0].stdout == shown[1].stdout, listing


def test_a_store_url_with_a_password_is_never_shown_with_it(postgres_store):
    url = postgres_store().replace("postgres@", "postgres:hunter2@")
    result = run_cli("articles", "--db", url.rsplit("/", 1)[0] + "/no_such_database")
    assert result.exit_code == 2 and "hunter2" not in result.output and "***" in result.output
    assert len(result.output.strip().splitlines()) == 1


def _analyze(db: str, *inputs: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from lagebild.cli import main; main()", "analyze", *map(str, inputs), "--db", db, "--quiet", "--jobs", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_four_processes_adding_to_one_store_at_once_lose_and_double_nothing(tmp_path, examples, postgres_store):
    shared = postgres_store()
    sets = (
        [examples / "faehre", examples / "wire_english.jsonl"],
        [examples / "erdbeben", examples / "faehre"],  # overlapping: the ferry in two processes
        [examples / "nordwerk", examples / "wire_english.jsonl"],
        [examples / "faehre", examples / "erdbeben", examples / "nordwerk"],
    )
    writers = [_analyze(shared, *inputs) for inputs in sets]
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    single, _ = analyze_report(tmp_path, examples, db=str(tmp_path / "single.db"))
    with Store(shared) as store:
        ids = [article.id for article in store.articles()]
        assert sorted(ids) == sorted(article["id"] for article in single["articles"])  # each once
        assert store.connection.execute("SELECT COUNT(*) FROM picture_articles").fetchone()[0] == len(ids)
        assert store.connection.execute("SELECT COUNT(*) FROM (SELECT article_seq, stage FROM stage_results GROUP BY article_seq, stage HAVING COUNT(*) > 1) x").fetchone()[0] == 0
    together = store_report(tmp_path, shared)
    assert _findings(together) == _findings(single)
    placed = [article_id for event in together["events"] for article_id in event["article_ids"]]
    assert sorted(placed) == sorted(ids)  # every article in one event
    assert sorted(e for story in together["stories"] for e in story["event_ids"]) == sorted(e["id"] for e in together["events"])


def _findings(report: dict) -> dict:
    """What was found in each article and which articles share wire copy: the same whatever order
    the articles arrived in. (Which event an article joins, and so which statement a quotation
    belongs to, follows the order linking saw them in: writers that commit out of date order are
    placed as a live stream places them, not as one run sorted by date would.)"""
    found = {key: sorted(map(repr, report[key])) for key in ("claims", "times", "entities", "reuse")}
    quotes = sorted(repr({k: v for k, v in quote.items() if k != "statement_id"}) for quote in report["quotes"])
    return {**found, "quotes": quotes}


def test_the_service_runs_on_a_postgresql_store(tmp_path, examples, postgres_store):
    db = postgres_store()
    inputs = [path for path in sorted(examples.rglob("*")) if path.is_file() and path != examples / HELD_OUT]
    assert run_cli("analyze", *inputs, "--db", db, "--quiet").exit_code == 0
    served = Served(db)
    try:
        before = {story["id"]: story["articles"] for story in served.client.get("/api/v1/stories").json()["items"]}
        answer = served.client.post("/api/v1/articles", content=(examples / HELD_OUT).read_bytes(), headers=served.write_headers("text/plain"))
        assert answer.status_code == 201
        served.wait_analysed()
        after = {story["id"]: story["articles"] for story in served.client.get("/api/v1/stories").json()["items"]}
        assert sum(after.values()) == sum(before.values()) + 1
        hits = served.client.get("/api/v1/search", params={"q": "Nordlicht"}).json()["items"]
        assert hits and all("Nordlicht" in hit["title"] + hit["snippet"] for hit in hits)
        assert "\x02" not in hits[0]["snippet"]
        page = served.client.get("/search", params={"q": "Nordlicht"})
        assert page.status_code == 200 and "<mark>Nordlicht</mark>" in page.text
    finally:
        served.stop()


def test_a_new_postgresql_store_is_migrated_once_even_when_opened_at_once(postgres_store):
    from concurrent.futures import ThreadPoolExecutor

    from lagebild.store import MIGRATIONS, StoreError

    db = postgres_store()
    with ThreadPoolExecutor(4) as pool:  # four connections migrating one new database
        for store in pool.map(lambda _: Store(db), range(4)):
            assert store.dialect.version(store.connection) == len(MIGRATIONS)
            store.close()
    with Store(db) as store:
        store.connection.execute("UPDATE lagebild_schema SET version = ?", (len(MIGRATIONS) + 5,))
    result = run_cli("articles", "--db", db)
    assert result.exit_code == 2 and "newer lagebild" in result.output
    try:
        Store(db)
    except StoreError as error:
        assert "schema" in str(error)
    else:
        raise AssertionError("a store of a newer schema was opened")


def test_the_service_on_postgresql_answers_control_characters_with_4xx(tmp_path, examples, postgres_store):
    db = postgres_store()
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    served = Served(db)
    try:
        assert served.client.get("/api/v1/stories/ab%00cd").status_code == 404
        assert served.client.get("/api/v1/articles/%00").status_code == 404
        assert served.client.get("/api/v1/search", params={"q": "Nord\x00licht"}).status_code == 200
        refused = served.client.post("/api/v1/watches", json={"name": "a\x00b"}, headers=served.write_headers())
        assert refused.status_code == 422 and "error" in refused.json()
    finally:
        served.stop()
