"""What each article adds to its event, and what is new since a moment or a previous report."""

from __future__ import annotations

import json
import shutil
import sqlite3

import jsonschema

from helpers import analyze_report, run_cli
from lagebild.report import schema


def _sentence_texts(article: dict, indices: list[int]) -> list[str]:
    return [article["text"][article["sentences"][i]["start"] : article["sentences"][i]["end"]] for i in indices]


def test_an_article_adds_its_own_numbers_not_what_another_outlet_tells(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    [dpa] = [a for a in report["articles"] if "dpa-AFX" in a["credits"]]
    added = " ".join(_sentence_texts(dpa, dpa["adds"]["sentences"]))
    assert "14.000" in added  # only this outlet gives that count
    assert "30.000" not in added  # the AFP reports tell the same plan
    claims = {c["id"]: c for c in report["claims"]}
    assert any(claims[i]["value"] == 14000 for i in dpa["adds"]["claim_ids"])
    [phone_call] = [a for a in report["articles"] if a["date"] == "2025-08-13"]
    assert len(phone_call["adds"]["sentences"]) > 10  # alone in its event: nearly all its own


def test_what_is_new_since_a_moment(tmp_path, examples):
    report, result = analyze_report(tmp_path, examples, "--since", "2026-03-17")
    assert result.exit_code == 0
    jsonschema.Draft202012Validator(schema()).validate(report)
    new = report["new_since"]
    dates = {a["id"]: a["date"] or a.get("inferred_date") for a in report["articles"]}
    assert new["since"] == "2026-03-17" and new["known_articles"] > 0
    assert all(dates[a] is None or dates[a] > "2026-03-17" for a in new["new_article_ids"])
    texts = [s["text"] for s in new["sentences"]]
    assert any("Hydraulikschaden" in t for t in texts)  # the investigation a week later
    assert not any("auf Grund gelaufen" in t for t in texts)  # the accident itself is known
    assert len(texts) == len(set(texts))  # wire copy among the new articles shows once


def test_what_is_new_since_a_previous_report(tmp_path, examples):
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(examples / "faehre", first)
    shutil.copytree(examples / "erdbeben", second)
    db, previous = tmp_path / "store.db", tmp_path / "previous.json"
    assert run_cli("analyze", first, "--db", db, "--json", previous, "--quiet").exit_code == 0
    (tmp_path / "now").mkdir()
    report, result = analyze_report(tmp_path / "now", second, "--since", previous, db=db)
    assert result.exit_code == 0
    known = {a["id"] for a in json.loads(previous.read_text(encoding="utf-8"))["articles"]}
    new = report["new_since"]
    assert new["known_articles"] == len(known)
    assert set(new["new_article_ids"]) == {a["id"] for a in report["articles"]} - known
    assert any("Karakol" in s["text"] for s in new["sentences"])


def test_since_that_is_neither_date_nor_report_is_one_line_error(tmp_path, examples):
    result = run_cli("analyze", examples, "--since", tmp_path / "missing.json", "--quiet")
    assert result.exit_code == 2
    assert "neither a date" in result.output and "Traceback" not in result.output


def test_since_a_day_or_time_that_does_not_exist_is_one_line_error(tmp_path, examples):
    for moment in ("2026-13", "2026-02-30", "2026-03-01T24:00", "2026-03-01T12:60"):
        result = run_cli("analyze", examples / "faehre", "--since", moment, "--json", tmp_path / "r.json", "--quiet")
        assert result.exit_code == 2 and result.output.strip() == f"error: --since {moment}: not a date (YYYY-MM-DD[THH:MM]) that exists", result.output


def test_since_on_a_run_that_read_nothing_into_an_empty_store_is_nothing_new(tmp_path):
    result = run_cli("analyze", tmp_path / "nope", "--since", "2026-03", "--json", tmp_path / "r.json")
    assert "Traceback" not in result.output and "no such file or folder" in result.output
    new = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["new_since"]
    assert new["new_article_ids"] == [] and new["sentences"] == []


def test_html_report_draws_timelines_and_marks_extracted_spans(tmp_path, seeds):
    page = tmp_path / "report.html"
    assert run_cli("analyze", seeds, "--html", page, "--quiet").exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg class='timeline'") == 1  # one story
    assert "<nav id='stories'>" in html and "href='#s-" in html
    assert "class='claim' title='approx 14 000 Soldat" in html
    assert "class='e-PER' title='PER: Kim Jong Un'" in html
    assert "<q class='quote'" in html and "class='time'" in html
    assert "class='own'" in html


def test_what_is_new_reads_the_new_articles_and_their_stories_not_the_store(tmp_path, examples, monkeypatch):
    from lagebild import pipeline

    db = tmp_path / "store.db"
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    read: list[int] = []
    real = pipeline.load_findings
    monkeypatch.setattr(pipeline, "load_findings", lambda store, seqs: read.extend(seqs) or real(store, seqs))
    report, result = analyze_report(tmp_path, examples / "nordwerk", "--since", "2026-05-01", db=db)
    assert result.exit_code == 0
    new = report["new_since"]
    nordwerk = {a["id"] for a in report["articles"]}
    assert set(new["new_article_ids"]) == nordwerk and new["known_articles"] == 6 and new["sentences"]
    with sqlite3.connect(db) as connection:
        ferry = {seq for seq, in connection.execute("SELECT seq FROM articles WHERE path LIKE '%faehre%'")}
    assert ferry and not ferry & set(read)  # the ferry's articles: known (dated before) and in another story


def test_an_event_of_one_article_adds_what_the_index_would_say():
    """The shortcut for an event of one article gives what comparing it with an index of itself gives:
    headings, boilerplate and sentences too short to tell anything left out, numbers kept."""
    from lagebild.compose import novelty
    from lagebild.ingest.article import build_article
    from lagebild.model import RawDocument
    from lagebild.nlp.sentences import split_article

    text = ("Die Fähre lief am Morgen vor Rügen auf Grund.\n\nAlle 300 Passagiere sind an Land, teilte die Reederei mit.\n\n"
            "Das sagte er.\n\nEs waren 12.\n\nDie Ursache des Unglücks ist noch unklar, die Polizei ermittelt.")
    article = build_article(RawDocument(path="a", text=text, source_format="text", title="Fähre auf Grund", date="2020-04-01"))
    sentences = split_article(article)
    alone = novelty.event_additions([(article, sentences)], [])[article.id]
    assert alone == novelty._against_each_other([(article, sentences)], [])[article.id]
    kept = [sentences[i].text for i in alone]
    assert "Es waren 12." in kept and "Das sagte er." not in kept
