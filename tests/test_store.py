"""The store: content-hash keys, re-ingest as a no-op, growth across runs, migrations, safety."""

from __future__ import annotations

import json
import sqlite3

from helpers import analyze_report, run_cli, store_report
from lagebild.store import CARDS_MIGRATION, MIGRATIONS, Store


def test_reingesting_the_same_articles_is_a_no_op(tmp_path, examples, store_at):
    db = store_at()
    first, result = analyze_report(tmp_path, examples, db=db)
    assert result.exit_code == 0
    second, result = analyze_report(tmp_path, examples, db=db)
    assert result.exit_code == 0
    assert second["run"]["added"] == 0
    assert second["run"]["already_stored"] == first["run"]["read"] == len(first["articles"])
    assert [a["id"] for a in second["articles"]] == [a["id"] for a in first["articles"]]
    with Store(db) as store:
        assert store.count() == len(first["articles"])


def test_a_later_run_reports_what_it_read_and_the_store_holds_all_of_it(tmp_path, examples, store_at):
    db = store_at()
    first, _ = analyze_report(tmp_path, examples / "faehre", db=db)
    second, _ = analyze_report(tmp_path, examples / "nordwerk", db=db)
    assert second["run"]["added"] == second["run"]["read"] == 4
    assert len(second["articles"]) == 4 and {e["title"] for e in second["events"]} == {"Windanlagenbauer Nordwerk streicht 2.400 Stellen", *[e["title"] for e in second["events"]]}
    assert not {a["id"] for a in first["articles"]} & {a["id"] for a in second["articles"]}
    whole = store_report(tmp_path, db)
    assert len(whole["articles"]) == len(first["articles"]) + 4
    assert {e["id"] for e in first["events"] + second["events"]} == {e["id"] for e in whole["events"]}


def test_a_failing_run_keeps_what_was_stored(tmp_path, examples, store_at):
    db = store_at()
    analyze_report(tmp_path, examples / "faehre", db=db)
    (tmp_path / "empty.txt").write_bytes(b"")
    report, result = analyze_report(tmp_path, tmp_path / "empty.txt", db=db)
    assert result.exit_code == 1
    assert report["articles"] == [] and len(store_report(tmp_path, db)["articles"]) == 6


def test_schema_is_created_in_wal_mode_and_versioned(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as store:
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    with Store(db) as store:  # reopening migrates nothing and keeps the version
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    db = tmp_path / "future.db"
    with sqlite3.connect(db) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    result = run_cli("articles", "--db", db)
    assert result.exit_code == 2
    assert "newer lagebild" in result.output


def test_articles_round_trip_through_the_store(examples, store_at):
    from lagebild.ingest import discover, read_input

    files, _ = discover([str(examples)])
    originals = [item for path in files for item in read_input(path)]
    with Store(store_at()) as store:
        store.add_articles(originals)
        assert list(store.articles()) == originals
        assert store.article(originals[0].id[:8]) == originals[0]


def test_articles_command_lists_the_store(tmp_path, examples, store_at):
    db = store_at()
    report, _ = analyze_report(tmp_path, examples / "nordwerk", db=db)
    result = run_cli("articles", "--db", db)
    assert result.exit_code == 0
    assert all(article["id"] in result.output for article in report["articles"])
    assert "Windanlagenbauer" in result.output and "earlier articles" not in result.output
    arrived = [article["id"] for article in report["articles"]]  # in arrival order
    last_two = run_cli("articles", "--db", db, "--last", "2").stdout.splitlines()
    assert last_two[0] == "  … earlier articles: these are the last 2 to arrive (--last N lists more)"
    assert [line.split()[0] for line in last_two[2:]] == arrived[-2:] and len(last_two) == 4


def test_a_store_of_the_first_schema_is_migrated_and_keeps_its_articles(tmp_path, examples):
    db = tmp_path / "old.db"
    analyze_report(tmp_path, examples / "faehre", db=db)
    with sqlite3.connect(db) as connection:  # back to the first release's schema, articles kept
        later = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('articles', 'problems', 'sqlite_sequence') AND name NOT LIKE 'article_search_%'")]
        connection.executescript("".join(f"DROP TABLE {table};" for table in later) + "PRAGMA user_version = 1;")
    report, result = analyze_report(tmp_path, examples / "faehre", db=db)
    assert result.exit_code == 0 and report["run"]["already_stored"] == 6
    assert report["lagebild"]["clustering"]["continued"] is False  # nothing kept yet: a fresh pass
    with Store(db) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_store_linked_before_story_cards_gets_them_when_opened(tmp_path, examples):
    db = tmp_path / "linked.db"
    analyze_report(tmp_path, examples / "faehre", db=db)
    with sqlite3.connect(db) as connection:
        kept = connection.execute("SELECT * FROM story_cards ORDER BY story_id").fetchall()
        connection.executescript(f"DROP TABLE story_cards; PRAGMA user_version = {CARDS_MIGRATION - 1};")
    with Store(db) as store:
        assert store.connection.execute("SELECT * FROM story_cards ORDER BY story_id").fetchall() == kept
    assert kept and max(card[2] for card in kept) == 5  # five reports of the ferry, one of Bornholm


def test_listings_read_the_picture_until_the_store_changes(tmp_path, examples, monkeypatch, store_at):
    from lagebild import pipeline

    db = store_at()
    analyze_report(tmp_path, examples / "faehre", db=db)
    fresh = run_cli("stories", "--db", db).stdout
    analysed = []
    real = pipeline.analyse
    monkeypatch.setattr(pipeline, "analyse", lambda *args, **kwargs: analysed.append(1) or real(*args, **kwargs))
    assert run_cli("stories", "--db", db).stdout == fresh and analysed == []  # the store's picture, not a new analysis
    assert "Erdbeben" in run_cli("stories", examples / "erdbeben", "--db", db).stdout and analysed == [1]  # new articles
    with Store(db) as store, store.connection as connection:  # a damaged picture: listed as it is, with a note
        connection.execute("DELETE FROM picture_articles WHERE seq = (SELECT MIN(seq) FROM picture_articles)")
    result = run_cli("quotes", "--db", db)
    assert result.exit_code == 0 and analysed == [1] and "1 stored article(s) are not analysed yet" in result.stderr
    assert run_cli("analyze", examples / "erdbeben", "--db", db, "--quiet").exit_code == 0  # the next analysis mends it
    assert "not analysed yet" not in run_cli("quotes", "--db", db).stderr


def test_a_store_listing_shows_what_is_active_now_unless_asked_for_more(tmp_path, examples, monkeypatch, store_at):
    from lagebild.store import views

    db = store_at()
    analyze_report(tmp_path, examples / "faehre", db=db)  # March 2026
    misdated = tmp_path / "misdated.jsonl"  # a year typed wrong: not "now" for years to come
    misdated.write_text(json.dumps({"title": "Sternwarte Kalbach eröffnet", "date": "2036-05-04", "text": (
        "Die Sternwarte Kalbach hat am Montag ihre Kuppel für Besucher geöffnet. Bürgermeisterin Ilse Vorndran sagte, "
        "die Stadt habe zwölf Jahre darauf gewartet.")}) + "\n", encoding="utf-8")
    analyze_report(tmp_path, misdated, db=db)
    analyze_report(tmp_path, examples / "nordwerk", db=db)  # September and October 2026
    monkeypatch.setattr(views, "RECENT_ARRIVALS", 1)  # as in a store with more arrivals since
    now = run_cli("stories", "--db", db)
    assert "what is active now: an article dated 2026-09-29 to " in now.stderr and ", or among the last 1 to arrive" in now.stderr
    assert "Nordwerk" in now.stdout and "Nordlicht" not in now.stdout and "Sternwarte" not in now.stdout
    assert "Sternwarte" in run_cli("stories", "--db", db, "--all").stdout
    # the running story's event of September is one line, its span said; --all lists it
    assert "Warnstreik" in now.stdout and "2026-09-10  Windanlagenbauer" not in now.stdout
    assert "… 1 earlier event(s), 2026-09-10 to 2026-09-11, 3 article(s)" in now.stdout
    assert "2026-09-10  Windanlagenbauer" in run_cli("stories", "--db", db, "--all").stdout
    window = run_cli("stories", "--db", db, "--since", "2026-09", "--until", "2026-09").stdout
    assert "2026-09-10  Windanlagenbauer" in window and "… 1 later event(s), 2026-10-06 to 2026-10-06, 1 article(s)" in window
    assert "Nordlicht" in run_cli("stories", "--db", db, "--all").stdout
    assert "Nordlicht" in run_cli("stories", "--db", db, "--since", "2026-03").stdout
    quotes_now, quotes_all = run_cli("quotes", "--db", db).stdout, run_cli("quotes", "--db", db, "--all").stdout
    assert "Hagedorn" in quotes_all and "Hagedorn" not in quotes_now and quotes_now.strip()
    assert set(quotes_now.splitlines()) < set(quotes_all.splitlines())


def test_listings_show_what_the_last_analysis_found_whatever_its_options(examples, monkeypatch, store_at):
    from lagebild import pipeline

    db = store_at()
    assert run_cli("analyze", examples / "faehre", "--db", db, "--summary-sentences", "2", "--quiet").exit_code == 0
    monkeypatch.setattr(pipeline, "analyse", lambda *args, **kwargs: (_ for _ in ()).throw(AssertionError("analysed again")))
    assert "Nordlicht" in run_cli("stories", "--db", db).stdout


def test_a_comment_or_docstring_edit_keeps_a_version_and_a_changed_rule_does_not():
    from lagebild.link import event_state
    from lagebild.versions import syntax

    code = 'def score(a):\n    """How close."""\n    return a * 0.3  # the bar\n'
    assert syntax(code) == syntax('def score(a):\n    """How near, in words."""\n    # a comment of its own\n    return a * 0.3\n')
    assert syntax(code) != syntax(code.replace("0.3", "0.4"))
    assert event_state.state_key(False) == event_state.state_key(False) and event_state.state_key(False).startswith("events ")


def test_nul_characters_in_an_article_are_dropped_and_the_rest_is_stored(tmp_path, store_at):
    hostile = tmp_path / "nul.jsonl"
    hostile.write_text(
        '{"title": "Ti\\u0000tel", "text": "Der Text\\u0000 hat ein NUL. Der Sprecher sagte, alles sei gut.", "url": "http://x.example/\\u0000a", "date": "2026-03-01"}\n',
        encoding="utf-8",
    )
    db = store_at()
    report, result = analyze_report(tmp_path, hostile, db=db)
    assert result.exit_code == 0 and report["run"]["added"] == 1
    article = report["articles"][0]
    assert (article["title"], article["url"]) == ("Titel", "http://x.example/a") and "\x00" not in article["text"]
    with Store(db) as store:  # a lookup carrying one finds nothing, and fails nothing
        assert store.article("\x00") is None and store.count() == 1


def test_headings_and_lines_are_plain_text_in_a_pipe_and_on_a_terminal():
    import io

    from rich.console import Console

    from lagebild.progress import print_heading, print_lines

    title, rest = "[bold]Kim Jong-un[/bold] <script>", "  (2 event(s), story ab12)"
    lines = [f"line {n} [Update]" for n in range(5000)]  # more than one batch of a pipe's writes
    piped = Console(file=io.StringIO(), force_terminal=False, width=40)
    print_heading(piped, title, rest)
    print_lines(piped, iter(lines))
    assert piped.file.getvalue().splitlines() == [title + rest, *lines]  # never wrapped, never markup
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100, color_system="standard")
    print_heading(terminal, title, rest)
    print_lines(terminal, lines[:2])
    shown = terminal.file.getvalue()
    assert "\x1b[1m" + title in shown and "line 1 [Update]" in shown  # the heading bold, its markup text


def test_a_table_is_aligned_lines_in_a_pipe_and_rich_on_a_terminal():
    import io

    from rich.console import Console

    from lagebild.progress import print_table

    rows = [("~14,000", "etwa 14.000 Soldaten", "[Update] dpa"), ("10,000", "rund 10.000", "AFP")]
    piped = Console(file=io.StringIO(), force_terminal=False, width=240)
    print_table(piped, ("value", "as written", "source"), rows, title="Soldat: conflicting")
    assert piped.file.getvalue().splitlines() == [
        "Soldat: conflicting",
        " value    as written            source",
        " ~14,000  etwa 14.000 Soldaten  [Update] dpa",
        " 10,000   rund 10.000           AFP",
    ]
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100, color_system=None)
    print_table(terminal, ("value", "as written", "source"), rows, title="Soldat: conflicting")
    shown = terminal.file.getvalue()
    assert "[Update] dpa" in shown and "Soldat: conflicting" in shown  # cells and title are text, not markup



def test_search_ranks_the_newest_hits_and_marks_the_words(store_at, monkeypatch):
    from lagebild.ingest.article import Article
    from lagebild.store import views

    def article(number: int, title: str, text: str) -> Article:
        return Article(f"a{number}", "-", "txt", text, text, 0, title=title, credits=[], language="de")

    older = [article(n, f"Bericht {n}", f"Ältere Meldung {n}: Über die Fähre wird berichtet.") for n in range(5)]
    newer = [
        article(5, "Fähre fällt aus", "Die Stadt meldet heute nichts weiter dazu."),  # the word in the title alone
        article(6, "Neue Lage", "Zuerst etwas anderes, dann: die FÄHRE nach Nordholm fällt aus, sagt der Kapitän, und " + "weitere Worte " * 20),
    ]
    monkeypatch.setattr(views, "SEARCHED_HITS", 2)
    with Store(store_at()) as store:
        store.add_articles(older + newer)
        hits = views.search(store.connection, "fähre")
        assert {hit["id"] for hit in hits} == {"a5", "a6"}  # the two newest of seven
        assert "\x02FÄHRE\x03" in {hit["id"]: hit["snippet"] for hit in hits}["a6"]
        assert views.search(store.connection, "fähre", offset=2) == []
        monkeypatch.setattr(views, "SEARCHED_HITS", 1000)
        assert len(views.search(store.connection, "Fähre")) == 7


def test_articles_stored_to_be_searched_later_are_found_once_after_the_next_indexing(store_at):
    from lagebild.ingest.article import Article
    from lagebild.serve.kept import _state
    from lagebild.store import views

    def article(number: int) -> Article:
        text = f"Meldung {number}: Die Fähre nach Nordholm fällt aus."
        return Article(f"a{number}", "-", "txt", text, text, 0, title=f"Bericht {number}", credits=[], language="de")

    def found() -> list[str]:
        return sorted(hit["id"] for hit in views.search(store.connection, "Fähre"))

    with Store(store_at()) as store:
        store.add_articles([article(1)])
        searched_before = _state(store.connection, "/search")
        store.add_articles([article(2)], search_later=True)  # as a POST stores it
        store.add_articles([article(3)], search_later=True)
        if store.dialect.name == "sqlite":  # PostgreSQL's index follows the table
            assert found() == ["a1"] and _state(store.connection, "/search") == searched_before
        store.index_for_search()
        assert found() == ["a1", "a2", "a3"] and _state(store.connection, "/search") != searched_before
        store.add_articles([article(4)], search_later=True)
        store.add_articles([article(5)])  # an addition indexed at once takes those waiting along
        store.index_for_search()
        assert found() == ["a1", "a2", "a3", "a4", "a5"]


def test_a_search_snippet_marks_the_words_in_any_case_and_accents_around_the_first_hit():
    from lagebild.store.backends.sqlite import _folded, _snippet

    def marked(text: str, *words: str) -> str:
        return _snippet(text, {_folded(word) for word in words}).replace("\x02", "[").replace("\x03", "]")

    text = "Zuerst etwas anderes, dann: die FAHRE nach Nordholm fällt aus, sagt der Kapitän, und " + "weitere Worte " * 20
    assert marked(text, "Fähre", "kapitän") == "…dann: die [FAHRE] nach Nordholm fällt aus, sagt der [Kapitän], und weitere Worte weitere Worte weitere…"
    assert marked("Die Stadt meldet nichts.", "Fähre") == "Die Stadt meldet nichts."  # the title had the word: the text's start
    assert marked("Kurz vor der Fähre", "fähre") == "Kurz vor der [Fähre]"  # a short text whole
    assert marked(" ".join(f"w{n}" for n in range(20)) + " Fähre ende.", "fähre") == "…" + " ".join(f"w{n}" for n in range(6, 20)) + " [Fähre] ende."
    assert marked("", "fähre") == marked("...", "fähre") == ""


def test_articles_posted_while_a_batch_is_linked_are_searchable_when_it_ends(tmp_path, monkeypatch):
    from lagebild import pipeline
    from lagebild.ingest.article import Article
    from lagebild.progress import Tracker
    from lagebild.store import views

    def article(number: int) -> Article:
        text = f"Meldung {number}: Die Fähre nach Nordholm fällt am Montag aus, sagte der Kapitän."
        return Article(f"a{number}", "-", "txt", text, text, 0, title=f"Bericht {number}", credits=[], language="de", date="2026-03-02")

    linked, posted = pipeline._link_batch, []

    def link_while_one_is_posted(store, *args):
        if not posted:  # another request stores an article, as a POST does, while this batch is linked
            posted.append(store.add_articles([article(2)], search_later=True))
        return linked(store, *args)

    monkeypatch.setattr(pipeline, "_link_batch", link_while_one_is_posted)
    with Store(str(tmp_path / "s.db")) as store:
        store.add_articles([article(1)], search_later=True)
        pipeline.catch_up(store, Tracker(None))
        assert posted == [1] and sorted(hit["id"] for hit in views.search(store.connection, "Fähre")) == ["a1", "a2"]


def test_a_day_that_does_not_exist_is_one_line_for_every_listing_and_the_report(tmp_path, examples, store_at):
    db = store_at()
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    for command in (("stories",), ("quotes",), ("claims",), ("entities",), ("report", "--json", tmp_path / "r.json")):
        for day in ("2026-13", "2026-02-30", "0000"):
            result = run_cli(*command, "--db", db, "--since", day)
            assert result.exit_code == 2 and result.output.strip() == f"error: {day}: not a date (YYYY-MM-DD, YYYY-MM or YYYY)", (command, day, result.output)
    assert run_cli("stories", "--db", db, "--since", "2024-02-29").exit_code == 0  # a leap day is one
    backwards = run_cli("claims", "--db", db, "--since", "2026-01", "--until", "2025-12")
    assert backwards.exit_code == 2 and backwards.output.strip() == "error: --since 2026-01 is after --until 2025-12: a window of no day"
    assert run_cli("stories", "--db", db, "--since", "2026-03-15", "--until", "2026-03").exit_code == 0  # the month reaches past the day


def test_a_story_the_store_does_not_hold_is_one_line_not_an_empty_report(tmp_path, examples, store_at):
    db = store_at()
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    result = run_cli("report", "--db", db, "--story", "nope", "--json", tmp_path / "r.json")
    assert result.exit_code == 2 and result.output.startswith("error: no story 'nope' in the store") and not (tmp_path / "r.json").exists()
    result = run_cli("report", "--db", db, "--story", "nope", "--since", "1999", "--until", "1999", "--json", tmp_path / "r.json")
    assert result.exit_code == 2 and "no story 'nope' active between the days given" in result.output
    assert run_cli("analyze", examples / "faehre", "--max-bytes", "-5", "--quiet").exit_code == 2
    assert run_cli("entities", "--db", db, "--top", "-3").exit_code == 2  # listed nearly all, from the end


def test_a_listing_says_what_it_could_not_read_and_fails_when_it_read_nothing(tmp_path, examples, store_at):
    result = run_cli("stories", tmp_path / "nope")
    assert result.exit_code == 2 and "skipped " in result.output and "no such file or folder" in result.output
    assert "error: no article read from the files given" in result.output and "Traceback" not in result.output
    db = store_at()
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    listed = run_cli("stories", tmp_path / "nope", "--db", db, "--all")
    assert listed.exit_code == 0 and "no such file or folder" in listed.output and "Nordlicht" in listed.output  # the store is listed still
