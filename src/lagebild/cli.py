"""The command line: ``lagebild analyze`` and friends. Thin: every command calls one module."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from lagebild.eval.cli import eval_app
from lagebild.ingest import DEFAULT_MAX_BYTES, read_input
from lagebild.model import AnalysisOptions, Article, Baseline, IngestProblem, IngestSummary
from lagebild.progress import console, print_heading, print_lines, print_table, print_text, results, tracker
from lagebild.report import write_json
from lagebild.report.events import history_notes
from lagebild.report.html import write_html
from lagebild.report.markdown import write_markdown
from lagebild.report.window import window_report
from lagebild.report.labels import counted_sources, source_label
from lagebild.report.terminal import quoted_day, side_by_side, statement_lines
from lagebild.nlp.embeddings import INSTALL_HINT, available as embeddings_available, wanted_by_default as embeddings_wanted_by_default
from lagebild.store import Store, StoreError, picture, views
from lagebild.store.names import speaker_names
from lagebild.store.backends import database_errors, is_postgres, shown

app = typer.Typer(
    help="lagebild: turn a stream of news articles into a situation picture.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")

PASSAGES_SHOWN = 3  # shared passages `compare` prints; `reuse` shows them all
DB_OPTION = typer.Option(None, "--db", help="The store to read and add to, kept between runs: a SQLite file, or postgresql://user@host/dbname. Default: in memory.")
FIRST_ARTICLE = typer.Argument(..., help="An article: a file, or an id (or id prefix) in the --db store.")
SECOND_ARTICLE = typer.Argument(..., help="The other article, likewise.")
EMBEDDINGS_OPTION = typer.Option(
    None,
    "--embeddings/--no-embeddings",
    show_default=False,
    help="Article vectors (multilingual-e5-small) in same-event similarity, or the lexical path alone (faster). Default: as the --db store was"
    " linked (the other way links it all again); else with them where installed (LAGEBILD_EMBEDDINGS=0: without).",
)
SINCE_DAY_OPTION = typer.Option(None, "--since", help="Only stories with an article dated on or after this day (2026-03-14, 2026-03).")
UNTIL_DAY_OPTION = typer.Option(None, "--until", help="Only stories with an article dated on or before this day.")
# a listing shows a page (at 100,000 stored, what was active now made 32,000 lines of stories in
# 6 s and 458,000 of statements in 17 s); options list more
STORIES_LISTED = 20
ARTICLES_LISTED = 100
GROUPS_LISTED = 30
STATEMENTS_LISTED = 100
ALL_OPTION = typer.Option(False, "--all", help="The whole store (without --since/--until, a store's listing shows what is active now: the last 7 days and the latest arrivals).")
JOBS_OPTION = typer.Option(0, "--jobs", "-j", min=0, help="Processes for the per-article stages (default 0: one per core). Results are the same whatever the number.")


@app.command()
def analyze(
    paths: list[str] = typer.Argument(..., help="Files, folders (read recursively) or feed URLs."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Write the JSON report to FILE, or - for stdout."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write the HTML report to FILE."),
    md_out: Optional[Path] = typer.Option(None, "--md", help="Write a Markdown briefing to FILE."),
    db: Optional[str] = DB_OPTION,
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Largest single article or file read whole."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
    since: Optional[str] = typer.Option(
        None, "--since", help="Show what is new since a moment (2025-07-12, 2025-07-12T18:00) or a previous JSON report."
    ),
    summary_sentences: int = typer.Option(
        AnalysisOptions.summary_sentences, "--summary-sentences", min=1, max=30, help="Sentences per event summary."
    ),
    embeddings: Optional[bool] = EMBEDDINGS_OPTION,
    jobs: int = JOBS_OPTION,
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="Run the per-article stages on a Dask cluster: local:N (N worker processes here) or tcp://HOST:PORT (its scheduler). Needs --db."
    ),
) -> None:
    """Read articles, store them, run the stages on what is new, link it to what the store holds
    and write the report of the stories the articles read belong to (--json, --html, --md)."""
    options = AnalysisOptions(summary_sentences=summary_sentences, since=_baseline(since) if since else None, embeddings=embeddings)
    if cluster is not None:
        _check_cluster(cluster, db)
    with _open_store(db) as store, tracker(enabled=False if quiet else None) as progress:
        _check_vectors(store, embeddings, quiet)
        try:
            if cluster is not None:
                run, report = _on_cluster(store, db, paths, cluster, progress, options, max_bytes)
            else:
                pipeline = _pipeline()
                pipeline.start_workers(jobs or pipeline.default_jobs())
                run = pipeline.ingest(store, paths, progress, max_bytes)
                wanted = bool(json_out or html_out or md_out)
                report = pipeline.analyse(store, run, progress, options, jobs or pipeline.default_jobs(), report=wanted)
            touched = _touched_counts(store, run, report) if not quiet else {}
        except database_errors() as error:  # read-only, full or locked: what was stored before stays
            _fail(f"cannot write to the store {shown(str(db))}: {error}")
        except BrokenProcessPool:  # a worker killed (by an operator, or by the system out of memory)
            _fail("a stage worker process stopped before it finished (killed, or out of memory?); what the store held is kept: run the command again")
    _write_reports(report, json_out, html_out, md_out)
    if not quiet:
        _print_summary(run, report, touched, db)
    if run.read == 0:
        if quiet:  # the summary says it otherwise; a quiet run still says why it failed, in one line
            skipped = f": {run.problems[0].path} ({run.problems[0].reason})" if run.problems else ""
            console.print(f"error: no article read from the input{skipped}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def _check_cluster(address: str, db: str | None) -> None:
    from lagebild.cluster import ClusterError, parse_address

    try:
        parse_address(address)
    except ClusterError as error:
        _fail(str(error))
    if db is None:
        _fail("--cluster needs --db: the store the workers write to")


def _on_cluster(store: Store, db: str, paths: list[str], address: str, progress, options: AnalysisOptions, max_bytes: int) -> tuple[IngestSummary, dict]:
    from lagebild.cluster import ClusterError, analyse_on_cluster

    try:
        return analyse_on_cluster(store, db, paths, address, progress, options, max_bytes)
    except ClusterError as error:
        _fail(str(error))


@app.command("report")
def report_command(
    db: str = typer.Option(..., "--db", help="The store whose picture to write."),
    since: Optional[str] = SINCE_DAY_OPTION,
    until: Optional[str] = UNTIL_DAY_OPTION,
    story: Optional[str] = typer.Option(None, "--story", help="Only this story (id or id prefix)."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Write the JSON report to FILE, or - for stdout (the default)."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write the HTML report to FILE."),
    md_out: Optional[Path] = typer.Option(None, "--md", help="Write a Markdown briefing to FILE."),
) -> None:
    """Write the picture of a window of the store, without analysing again: the stories active
    between two days (an article of theirs dated then), or one story, with all their findings."""
    _check_days(since, until)
    with _open_store(db, must_exist=True) as store:
        story_ids = [s for s in picture.story_ids(store.connection, since, until) if story is None or s.startswith(story)]
        if story is not None and not story_ids:
            where = "active between the days given" if since or until else "in the store"
            _fail(f"no story {story!r} {where} (lagebild stories --db {shown(db)} --all lists them)")
        # JSON alone is written as the store is read; the HTML and Markdown writers need it whole
        report = window_report(store.connection, story_ids, streamed=not (html_out or md_out), since=since, until=until)
        _write_reports(report, json_out if json_out or html_out or md_out else "-", html_out, md_out, (since, until))
        _note_unlinked(store, db)


@app.command()
def articles(
    db: str = typer.Option(..., "--db", help="The store to list."),
    last: int = typer.Option(ARTICLES_LISTED, "--last", min=1, help="How many articles to list: the last to arrive."),
) -> None:
    """List the last stored articles to arrive: date, language, credits, title."""
    output = results()
    with _open_store(db, must_exist=True) as store:
        listed = store.latest_listed(last + 1)  # one more: whether there are earlier ones
    rows = [(i, date or "-", language or "-", "/".join(credits), title or opening[:70].replace("\n", " ") + "…") for i, date, language, credits, title, opening in listed[-last:]]
    if len(listed) > last:
        print_text(output, f"  … earlier articles: these are the last {last} to arrive (--last N lists more)")
    print_table(output, ("id", "date", "lang", "credits", "title or first words"), rows)


@app.command()
def entities(
    paths: list[str] = typer.Argument(None, help="Files or folders to read first (optional with --db)."),
    db: Optional[str] = DB_OPTION,
    top: int = typer.Option(25, "--top", min=1, help="How many entities to list."),
    since: Optional[str] = SINCE_DAY_OPTION,
    until: Optional[str] = UNTIL_DAY_OPTION,
) -> None:
    """List the most mentioned entities with their type, mention count and name variants (with
    --since/--until: mentions and articles counted in the articles dated then)."""
    output = results()
    _check_days(since, until)
    with _picture(paths, db) as connection:
        found = picture.top_entities(connection, top, since, until)
    rows = [(e["name"], e["type"], str(e["mentions"]), str(e["articles"]), ", ".join(v for v in e["variants"] if v != e["name"])) for e in found]
    print_table(output, ("entity", "type", "mentions", "articles", "variants"), rows)


@app.command()
def stories(
    paths: list[str] = typer.Argument(None, help="Files or folders to read first (optional with --db)."),
    db: Optional[str] = DB_OPTION,
    top: int = typer.Option(STORIES_LISTED, "--top", min=1, help="How many stories to list, heaviest first, and as many of the other reports."),
    since: Optional[str] = SINCE_DAY_OPTION,
    until: Optional[str] = UNTIL_DAY_OPTION,
    everything: bool = ALL_OPTION,
) -> None:
    """List the heaviest stories (the order of the reports and the web app), with their events in
    time order and the articles of each event; then the heaviest other reports (a story of one
    article each), one line apiece; how many more there are."""
    output = results()
    _check_days(since, until)
    with _picture(paths, db) as connection:
        now = _now_of_store(connection, db, since, until, everything)
        cards = views.story_cards(connection, _listed_stories(connection, now, since, until), since=since, until=until)
        ranked = [card for card in cards if not card.single]
        singles = [card for card in cards if card.single]
        shown = [card.id for card in ranked[:top]]
        records = {story["id"]: story for story in picture.stories(connection, shown)}
        events = {event["id"]: event for event in picture.events(connection, shown)}
        articles = picture.article_meta(connection, {a for event in events.values() for a in event["article_ids"]})
        lone = picture.lone_articles(connection, [card.id for card in singles[:top]])
        arrived = picture.arrived_after(connection, articles, now.after_seq) if now is not None else set()
    first, last = picture.window(since, until)
    days = (now.first_day, None) if now is not None else (since and first, until and last)
    for card in ranked[:top]:
        _print_story(output, records[card.id], events, articles, days, arrived)
    _print_more(output, len(ranked) - top, "lighter stories")
    if singles:
        print_heading(output, "Other reports", f"  ({len(singles)}: a story of one article each)")
    print_lines(output, _single_lines(singles[:top], lone))
    _print_more(output, len(singles) - top, "lighter other reports")


def _print_more(output, more: int, what: str) -> None:
    if more > 0:
        print_text(output, f"  … {more} {what} (--top N lists more)")


def _single_lines(singles: list, lone: dict[str, dict]) -> Iterator[str]:
    for card in singles:
        article = lone.get(card.id)
        if article is not None:  # a damaged picture (lagebild check names it) is listed as far as it holds
            yield f"  {article['date'] or 'undated'}  {card.title}  [{source_label(article)}, story {card.id}]"


def _print_story(output, story: dict, events: dict, articles: dict, days: tuple[str | None, str | None], arrived: set[str]) -> None:
    """A story with its events in the listed days (or with an article among the recent
    ``arrived``); those before or after them (a running story's weeks of earlier events) in one
    line each, with their span."""
    merged = f", {len(story['merged_story_ids'])} story(ies) merged into it" if story.get("merged_story_ids") else ""
    print_heading(output, story["title"], f"  ({len(story['event_ids'])} event(s), story {story['id']}{merged})")
    placed: dict[str, list[dict]] = {"earlier": [], "listed": [], "later": []}
    for event_id in story["event_ids"]:
        if event_id in events:  # a damaged picture (lagebild check names it) is listed as far as it holds
            placed[_placed(events[event_id], days, arrived)].append(events[event_id])
    _print_outside(output, placed["earlier"], "earlier")
    for event in placed["listed"]:
        notes = "".join(f", {note}" for note in history_notes(event, events))
        sources = counted_sources(articles[a] for a in event["article_ids"] if a in articles)
        print_text(output, f"  {_first_day(event)}  {event['title']}  [{len(event['article_ids'])} article(s): {sources}{notes}]")
    _print_outside(output, placed["later"], "later")


def _placed(event: dict, days: tuple[str | None, str | None], arrived: set[str]) -> str:
    """Where an event stands to the listed days: "earlier", "listed" or "later"."""
    if days[0] and _last_day(event) < days[0] and arrived.isdisjoint(event["article_ids"]):
        return "earlier"
    return "later" if days[1] and _first_day(event) > days[1] else "listed"


def _print_outside(output, outside: list[dict], which: str) -> None:
    if outside:
        span = f"{_first_day(outside[0])} to {max(map(_last_day, outside))}"
        print_text(output, f"  … {len(outside)} {which} event(s), {span}, {sum(len(e['article_ids']) for e in outside)} article(s) (--all or a window of days lists them)")


def _first_day(event: dict) -> str:
    return next((entry["date"] for entry in event["timeline"] if entry["date"]), "undated")


def _last_day(event: dict) -> str:
    """The event's last dated day ("~" for an undated one: after every date, so never earlier)."""
    return next((entry["date"] for entry in reversed(event["timeline"]) if entry["date"]), "~")


@app.command()
def compare(
    first: str = FIRST_ARTICLE, second: str = SECOND_ARTICLE, db: Optional[str] = DB_OPTION, embeddings: Optional[bool] = EMBEDDINGS_OPTION
) -> None:
    """Same-event similarity of two articles in [0, 1], with its evidence."""
    output = results()
    embeddings = embeddings_wanted_by_default() if embeddings is None else embeddings
    if embeddings and not embeddings_available():
        _fail(f"article vectors asked for: {INSTALL_HINT} (or --no-embeddings)")
    evidence = _pipeline().pairwise_evidence(*_two_articles(first, second, db), embeddings=embeddings)
    output.print(f"same-event similarity: {evidence['similarity']:.2f}", highlight=False)
    meaning = f" · word meaning {evidence['meaning_cosine']:.2f}" if evidence["meaning_cosine"] is not None else ""
    dense = f" · article vectors {evidence['embedding_cosine']:.2f} (cosine)" if evidence["embedding_cosine"] is not None else ""
    output.print(f"  words {evidence['words']:.2f} · entities {evidence['entities']:.2f}{meaning}{dense} · "
                  f"shared wire copy: {'yes' if evidence['shared_wire_copy'] else 'no'} · "
                  f"date gap: {evidence['date_gap_days'] if evidence['date_gap_days'] is not None else 'unknown'} day(s)", highlight=False)
    if evidence["shared_entities"]:
        output.print("  shared entities: " + ", ".join(evidence["shared_entities"]), markup=False, highlight=False)
    if evidence["shared_words"]:
        output.print("  shared words (as the first article writes them): " + ", ".join(evidence["shared_words"]), markup=False, highlight=False)
    if evidence["shared_passages"]:
        output.print(f"  shared passages ({len(evidence['shared_passages'])} sentence(s); lagebild reuse A B shows them side by side):", highlight=False)
        for passage in evidence["shared_passages"][:PASSAGES_SHOWN]:
            output.print(f"    {_shortened(passage)}", markup=False, highlight=False)



def _shortened(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


@app.command()
def quotes(
    paths: list[str] = typer.Argument(None, help="Files or folders to read first (optional with --db)."),
    db: Optional[str] = DB_OPTION,
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only this speaker (any spelling of the name)."),
    since: Optional[str] = SINCE_DAY_OPTION,
    until: Optional[str] = UNTIL_DAY_OPTION,
    everything: bool = ALL_OPTION,
    last: int = typer.Option(STATEMENTS_LISTED, "--last", min=1, help="How many statements to list: the latest."),
) -> None:
    """Who said what, over time: the latest statements, each with its versions, outlets and relays."""
    output = results()
    _check_days(since, until)
    with _picture(paths, db) as connection:
        # "laut Medienberichten": a relay, no one named, is listed too
        now = _now_of_store(connection, db, since, until, everything)
        speakers = speaker_names(connection, speaker) if speaker else None
        shown, articles, earlier = picture.latest_statements(connection, last, quoted_day, since, until, speakers, now=now.bounds() if now else None)
        records = picture.quote_records(connection, [(key[2], key[1]) for key in shown])
    if earlier:
        print_text(output, f"  … earlier statements: these are the latest {last} (--last N lists more)")
    print_lines(output, statement_lines([records[key[2], key[1]] for key in shown], articles, last))


@app.command()
def claims(
    paths: list[str] = typer.Argument(None, help="Files or folders to read first (optional with --db)."),
    db: Optional[str] = DB_OPTION,
    story: Optional[str] = typer.Option(None, "--story", help="Only this story (id or id prefix)."),
    since: Optional[str] = SINCE_DAY_OPTION,
    until: Optional[str] = UNTIL_DAY_OPTION,
    everything: bool = ALL_OPTION,
    top: int = typer.Option(GROUPS_LISTED, "--top", min=1, help="How many groups of numbers to list, conflicting first."),
) -> None:
    """Numbers that sources report about the same thing, compared: conflicting groups first."""
    output = results()
    _check_days(since, until)
    with _picture(paths, db) as connection:
        listed = _listed_stories(connection, _now_of_store(connection, db, since, until, everything or story is not None), since, until)
        story_ids = [s for s in listed if story is None or s.startswith(story)]
        groups, compared = picture.disagreements(connection, story_ids, top), picture.disagreement_count(connection, story_ids)
        by_id, story_of = picture.claims_by_id(connection, story_ids, {claim_id for group in groups for claim_id in group["claim_ids"]})
        articles = picture.article_meta(connection, {claim["article_id"] for claim in by_id.values()})
        titles = {s["id"]: s["title"] for s in picture.stories(connection, sorted(set(story_of.values())))}
    for group in groups:
        members = [by_id[i] for i in group["claim_ids"] if i in by_id]
        if not members:  # a damaged picture (lagebild check names it) is listed as far as it holds
            continue
        title = titles.get(story_of[members[0]["id"]], "")
        rows = [_claim_row(claim, articles[claim["article_id"]]) for claim in members]
        print_table(output, ("value", "as written", "source", "date"), rows, title=f"{group['about']}: {group['kind']} ({_shortened(title, 60)})")
    _print_more(output, compared - len(groups), "more groups of numbers")


def _claim_row(claim: dict, article: dict) -> tuple[str, str, str, str]:
    via = f" via {claim['via']}" if claim["via"] else ""
    return _interval_text(claim), claim["text"], source_label(article) + via, article["date"] or article.get("inferred_date") or "undated"


def _interval_text(claim: dict) -> str:
    if claim["value"] is None:
        return f"{claim['low']:,.0f}-{claim['high']:,.0f} (vague)"
    return {"exact": "", "approx": "~", "over": ">", "under": "<", "upto": "≤", "atleast": "≥", "almost": "≲"}[claim["qualifier"]] + f"{claim['value']:,}"


_MOMENT = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?)?)?$")
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _baseline(given: str) -> Baseline:
    """``--since``: an ISO moment, or a previous JSON report whose articles count as known."""
    if _MOMENT.match(given):
        if not picture.real_days(given[:10]) or not _a_real_time(given[11:]):
            _fail(f"--since {given}: not a date (YYYY-MM-DD[THH:MM]) that exists")
        return Baseline(label=given, date=given.replace(" ", "T"))
    path = Path(given)
    if not path.is_file():
        _fail(f"--since {given}: neither a date (YYYY-MM-DD[THH:MM]) nor a report file")
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
        known = frozenset(article["id"] for article in previous["articles"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        _fail(f"--since {given}: not a lagebild JSON report")
    return Baseline(label=f"report {path.name}", known_ids=known)


@contextmanager
def _picture(paths: list[str] | None, db: str | None):
    """The store's picture tables, with ``paths`` read into the store and analysed first. A
    listing only reads: articles stored but not linked yet (another process is analysing them,
    or a run was interrupted) are left to ``analyze``, with a note."""
    if not paths and db is None:
        _fail("give files or folders, or --db with a store")
    with _open_store(db, must_exist=not paths) as store:
        if paths:
            pipeline = _pipeline()
            with tracker() as progress:
                run = pipeline.ingest(store, paths, progress)
                pipeline.analyse(store, run, progress, jobs=pipeline.default_jobs())
            _note_skipped(run, db)
        _note_unlinked(store, db)
        yield store.connection


def _note_skipped(run: IngestSummary, db: str | None) -> None:
    """What a listing could not read of the files it was given, a line each; nothing read and no
    store to list: an error, not an empty listing."""
    _print_skipped(run.problems, "")
    if not run.read and db is None:
        _fail("no article read from the files given")


def _now_of_store(connection, db: str | None, since: str | None, until: str | None, everything: bool) -> views.Now | None:
    """What a listing of a store shows by default: what is active now (the web app's front page),
    so that it costs what the window holds, not what the store does; None: everything asked for
    (a window, --all, or files analysed in memory)."""
    if db is None or since or until or everything:
        return None
    now = views.now(connection)
    console.print(f"what is active now: {now.described()} (--since/--until for another window, --all for the whole store)", markup=False, highlight=False, soft_wrap=True)
    return now


def _listed_stories(connection, now: views.Now | None, since: str | None, until: str | None) -> list[str]:
    return picture.story_ids(connection, since, until) if now is None else views.stories_active(connection, now)


def _note_unlinked(store: Store, db: str | None) -> None:
    missing = _pipeline().unanalysed(store)
    if missing:
        console.print(f"note: {missing} stored article(s) are not analysed yet (lagebild analyze --db {shown(db)} adds them)", markup=False, highlight=False)


def _check_days(since: str | None, until: str | None) -> None:
    for day in (since, until):
        if day is not None and not (_DAY.match(day) and picture.real_days(day)):
            _fail(f"{day}: not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    if picture.backwards(since, until):
        _fail(f"--since {since} is after --until {until}: a window of no day")


def _a_real_time(clock: str) -> bool:
    """Whether a time of day ("14:30", "14:30:15", or none) exists."""
    parts = [int(part) for part in clock.split(":")] if clock else []
    return all(value < limit for value, limit in zip(parts, (24, 60, 60)))


@app.command()
def reuse(first: str = FIRST_ARTICLE, second: str = SECOND_ARTICLE, db: Optional[str] = DB_OPTION) -> None:
    """Show two articles side by side with the passages they share marked."""
    output = results()
    output.print(side_by_side(*_two_articles(first, second, db)))


@app.command()
def serve(
    db: str = typer.Option(..., "--db", help="The store to serve (created if missing)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Other than loopback needs LAGEBILD_TOKEN."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    watch: Optional[Path] = typer.Option(None, "--watch", help="Poll the feeds listed in FILE (one URL a line, or OPML)."),
    every: str = typer.Option("5m", "--every", help="How often each feed is polled: 30s, 5m, 1h."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes for the per-article stages of arriving articles."),
    processes: int = typer.Option(1, "--processes", min=1, max=64, help="Server processes answering requests (one per core serves most readers; one analysis worker for all)."),
    max_body: int = typer.Option(5_000_000, "--max-body", min=1000, help="Largest request body in bytes."),
    token: Optional[str] = typer.Option(None, "--token", envvar="LAGEBILD_TOKEN", show_default=False, help="Bearer token every write needs (default: $LAGEBILD_TOKEN; without it, writes are refused)."),
    embeddings: Optional[bool] = EMBEDDINGS_OPTION,
) -> None:
    """Serve the situation picture: web app and JSON API (/api/v1, /docs) over the store; articles
    that arrive (POST /api/v1/articles, --watch) are analysed as they come."""
    from lagebild.serve import Settings, run
    from lagebild.serve.app import is_loopback
    from lagebild.serve.processes import cannot_listen

    if not is_loopback(host) and not token:
        _fail(f"refusing to listen on {host} without a token: set LAGEBILD_TOKEN (or serve on 127.0.0.1)")
    if watch is not None and not watch.is_file():
        _fail(f"no feed list at {watch}")
    settings = Settings(db=db, token=token, host=host, port=port, max_body=max_body, watch=watch, every=_seconds(every), jobs=jobs, processes=processes, embeddings=embeddings)
    try:
        with Store(db) as store:
            _check_vectors(store, embeddings, quiet=False)
    except (StoreError, *database_errors()) as error:
        _fail(str(error))
    if reason := cannot_listen(host, port):
        _fail(f"{reason} (another server? choose a port with --port)")
    print(f"lagebild: serving {shown(db)} at http://{host}:{port}/ (API: /api/v1, docs: /docs; writes {'need the token' if token else 'are off: no LAGEBILD_TOKEN'})", file=sys.stderr, flush=True)
    run(settings)


@app.command()
def watch(
    feeds: Path = typer.Argument(..., help="A file listing feeds and pages: one URL a line, or OPML."),
    db: str = typer.Option(..., "--db", help="The store to add to (created if missing)."),
    every: str = typer.Option("5m", "--every", help="How often each feed is polled: 30s, 5m, 1h."),
    once: bool = typer.Option(False, "--once", help="Poll every feed once, analyse, and stop (for cron and tests)."),
    jobs: int = JOBS_OPTION,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print failures only."),
    embeddings: Optional[bool] = EMBEDDINGS_OPTION,
) -> None:
    """Poll RSS/Atom feeds and pages into the store and analyse what is new, until stopped
    (Ctrl-C). Unchanged feeds cost a 304; a failing feed waits longer each time, the others go on."""
    import time

    from lagebild.ingest.watch import Watcher, read_feed_list

    if not feeds.is_file():
        _fail(f"no feed list at {feeds}")
    urls, problems = read_feed_list(feeds)
    for problem in problems:
        console.print(f"skipped: {problem}", markup=False, highlight=False)
    if not urls:
        _fail(f"{feeds} lists no feed URL")
    watcher = Watcher(_seconds(every), urls)
    output = results()
    with _open_store(db) as store:
        _check_vectors(store, embeddings, quiet)
        try:
            while True:
                _watch_round(store, watcher, output, quiet, jobs or _pipeline().default_jobs(), embeddings)
                if once:
                    return
                time.sleep(max(1.0, watcher.seconds_to_next()))
        except KeyboardInterrupt:
            console.print("stopped", highlight=False)
        except database_errors() as error:
            _fail(f"cannot write to the store {shown(str(db))}: {error}")


def _watch_round(store: Store, watcher, output, quiet: bool, jobs: int, embeddings: bool | None) -> None:
    found = watcher.poll_due(store)
    for result in found:
        if result.status == "failed" or not quiet:
            print_text(output, result.line())
    pipeline = _pipeline()
    if pipeline.behind(store):
        with tracker(enabled=False if quiet else None) as progress:
            pipeline.catch_up(store, progress, AnalysisOptions(embeddings=embeddings), jobs)


@app.command("feeds")
def feed_list(db: str = typer.Option(..., "--db", help="The store whose feeds to list.")) -> None:
    """The feeds a store polls: last success, last error, failures in a row, articles brought."""
    from lagebild.store import views

    output = results()
    with _open_store(db, must_exist=True) as store:
        for feed in views.feeds(store.connection):
            error = f" · last error {feed['last_error_at']}: {feed['last_error']}" if feed["last_error"] else ""
            failing = f" · {feed['failures']} failure(s) in a row" if feed["failures"] else ""
            print_text(output, f"{feed['url']} · {feed['articles']} article(s) · last success {feed['last_success'] or 'never'}{failing}{error}")


@app.command()
def check(db: str = typer.Option(..., "--db", help="The store to check.")) -> None:
    """Check that a store's picture holds together (and, for SQLite, the file's integrity): every
    linked article in it, each event and story listing exactly its articles and events. Prints
    each problem with its count and first ids; exit status 1 when there is one."""
    from lagebild.store import check as store_check

    output = results()
    with _open_store(db, must_exist=True) as store:
        found = store_check.problems(store.connection, sqlite=not is_postgres(db))
        held = store_check.counts(store.connection)
    if not found:
        print_text(output, "ok: " + ", ".join(f"{count} {name}" for name, count in held.items()))
        return
    for problem in found:
        print_text(output, f"{problem.count} {problem.what}: {', '.join(problem.examples)}{' …' if problem.count > len(problem.examples) else ''}")
    raise typer.Exit(1)


def _seconds(interval: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", interval)
    if not match or float(match.group(1)) <= 0:
        _fail(f"not an interval: {interval!r} (use 30s, 5m or 1h)")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def _check_vectors(store: Store, asked: bool | None, quiet: bool = True) -> None:
    """Fail with the reason where linking would need article vectors and the network is not
    installed; say so where the choice links a store again."""
    from lagebild.link.event_state import reads_vectors

    key = store.clusterer_key()
    wanted = _pipeline().article_vectors_wanted(store, asked)
    if wanted and not embeddings_available():
        why = "--embeddings" if asked else "the store was linked with article vectors" if key else "LAGEBILD_EMBEDDINGS asks for article vectors"
        _fail(f"{why}: {INSTALL_HINT} (or --no-embeddings, which links the store again without them)")
    if key is not None and reads_vectors(key) != wanted and not quiet:
        console.print(f"the store was linked {'with' if reads_vectors(key) else 'without'} article vectors: linking it again {'with' if wanted else 'without'} them", highlight=False)


def _two_articles(first: str, second: str, db: str | None) -> list[Article]:
    with _open_store(db, must_exist=db is not None) as store:
        return [_resolve_article(given, store) for given in (first, second)]


def _resolve_article(given: str, store: Store):
    if Path(given).is_file():
        found = [item for item in read_input(given) if isinstance(item, Article)]
        if not found:
            _fail(f"no readable article in {given}")
        return found[0]
    article = store.article(given)
    if article is None:
        _fail(f"{given} is neither a file nor an article id in the store (give --db)")
    return article


@contextmanager
def _open_store(db: str | None, must_exist: bool = False):
    if must_exist and db is not None and not is_postgres(db) and not Path(db).exists():
        _fail(f"no store at {db}")
    try:
        store = Store(db if db is not None else ":memory:")
    except StoreError as error:
        _fail(str(error))
    try:
        yield store
    finally:
        store.close()


def _write_reports(report: dict, json_out: str | None, html_out: Path | None, md_out: Path | None, days: tuple[str | None, str | None] = (None, None)) -> None:
    """The report as asked; a Markdown briefing of a window of ``days`` tells the window's events."""
    if json_out == "-":
        write_json(report, sys.stdout)
    elif json_out:
        _write_file(json_out, lambda handle: write_json(report, handle))
    if html_out:
        _write_file(html_out, lambda handle: write_html(report, handle))
    if md_out:
        _write_file(md_out, lambda handle: write_markdown(report, handle, *days))


def _write_file(path, write) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            write(handle)
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}")


def _touched_counts(store: Store, run: IngestSummary, report: dict) -> dict[str, int]:
    """The store's size and what the stories of the run's articles (and of what is new) hold."""
    new_since = report.get("new_since")
    story_ids = picture.stories_of_articles(store.connection, run.article_ids + (new_since["new_article_ids"] if new_since else []))
    return {"stored": store.count(), "stories": len(story_ids), **picture.window_counts(store.connection, story_ids)}


def _print_skipped(problems: list[IngestProblem], indent: str) -> None:
    for problem in problems:
        console.print(f"{indent}skipped {problem.path}: {problem.reason}", markup=False, highlight=False, soft_wrap=True)


def _print_summary(run: IngestSummary, report: dict, touched: dict[str, int], db: str | None) -> None:
    console.print(
        f"Read {run.read} article(s): {run.added} new, {run.already_stored} already stored; "
        f"skipped {len(run.problems)}."
    )
    _print_skipped(run.problems, "  ")
    where = f"in {shown(db)}" if db else "in memory only (use --db FILE to keep it)"
    held = ", ".join(f"{touched[name]} {name}" for name in ("articles", "events", "quotations", "groups of numbers compared"))
    clustering = report["lagebild"].get("clustering") or {}
    linked = {True: " Linked with article vectors.", False: " Linked on the lexical path (--no-embeddings)."}.get(clustering.get("article_vectors"), "")
    console.print(f"Store: {touched['stored']} article(s) {where}. The stories of what was read: {touched['stories']} ({held}).{linked}", markup=False, soft_wrap=True)
    if clustering.get("note"):
        console.print(f"Note: {clustering['note']}.", markup=False, highlight=False, soft_wrap=True)


def _pipeline():
    """The analysis, imported by the commands that analyse (a listing or a report from the store
    starts without its third of a second of imports)."""
    from lagebild import pipeline

    return pipeline


def _fail(message: str) -> None:
    console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def main() -> None:
    app()
