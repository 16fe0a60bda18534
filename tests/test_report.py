"""The JSON report follows the contract (validated against the schema); the HTML report escapes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from helpers import analyze_report, run_cli
from lagebild.report import FINDING_LISTS, schema


def validate(report: dict) -> None:
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(report)


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_example_corpus_report_follows_the_contract(tmp_path, examples):
    report, result = analyze_report(tmp_path, examples)
    assert result.exit_code == 0
    validate(report)
    assert len(report["articles"]) == 17
    assert {a["source_format"] for a in report["articles"]} == {"text", "jsonl", "html", "feed"}
    assert {a["language"] for a in report["articles"]} == {"de", "en"}
    for name in FINDING_LISTS:
        assert isinstance(report[name], list)
    for article in report["articles"]:
        for sentence in article["sentences"]:
            assert article["text"][sentence["start"] : sentence["end"]].strip()


def test_seed_report_follows_the_contract(tmp_path, seeds):
    report, result = analyze_report(tmp_path, seeds)
    assert result.exit_code == 0
    validate(report)
    assert [a["date"] for a in report["articles"]] == ["2025-07", "2025-07", None, "2025-07", "2025-08-13"]


def test_schema_rejects_a_broken_report(tmp_path, examples):
    report, _ = analyze_report(tmp_path, examples / "nordwerk")
    report["articles"][0]["date"] = "10.09.2026"
    with pytest.raises(jsonschema.ValidationError):
        validate(report)


def test_json_to_stdout(tmp_path, examples):
    result = run_cli("analyze", examples / "faehre", "--json", "-", "--quiet")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["articles"]) == 6


def test_html_report_escapes_article_text(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        '<script>alert("x")</script> Titel\n\nText mit <img src=x onerror="alert(1)"> und <a href="javascript:alert(2)">Link</a>. Noch ein Satz.',
        encoding="utf-8",
    )
    out = tmp_path / "r.html"
    result = run_cli("analyze", hostile, "--html", out)
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html and "<a href=\"javascript" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html


def _hostile_articles(tmp_path, title: str, hostile: str):
    """Two copies of an article with a hostile title, and hostile text in a quotation and a sentence."""
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(2):
        (folder / f"{number}.txt").write_text(
            f" date 2026-03-1{number} {title}\n\n"
            f"Die Polizei nahm am Montag in Berlin 42 Demonstranten fest, sagte ein Sprecher der Polizei. „{hostile}“, sagte Anna Schmidt. {hostile} Es kamen 500 Menschen.",
            encoding="utf-8",
        )
    return folder


def test_html_report_keeps_hostile_article_text_as_text(tmp_path):
    """Titles, sentences, quotations and links of a hostile article (markup, event handlers,
    javascript: links, template syntax, quotes, ampersands) are text wherever the page shows them."""
    from html import escape

    title = "Titel <script>alert('t')</script> {{ 7*7 }} & \"Zitat\" <a href='javascript:alert(1)'>x</a>"
    hostile = "<img src=x onerror=\"alert(2)\"> <a href=\"javascript:alert(3)\">Link</a> {{ 7*7 }} {% if 1 %}ja{% endif %} Tom & Jerry's <script>alert(4)</script>"
    folder = _hostile_articles(tmp_path, title, hostile)
    out = tmp_path / "r.html"
    assert run_cli("analyze", folder, "--html", out, "--quiet").exit_code == 0
    page = out.read_text(encoding="utf-8")
    for made in ("<script", "<img", "href=\"javascript", "href='javascript", "onerror=\""):
        assert made not in page
    assert escape(title) in page  # the title, escaped: its heading and its links
    assert page.count(escape(title)) >= 4
    assert "{{ 7*7 }}" in page and " 49 " not in page and "{% if 1 %}ja{% endif %}" in page  # template syntax shown, not run
    assert "Tom &amp; Jerry&#x27;s" in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    assert "<q class='quote' title='Anna Schmidt'>" in page  # the quotation is marked, its text escaped inside


def test_markdown_briefing(tmp_path, seeds):
    out = tmp_path / "briefing.md"
    assert run_cli("analyze", seeds, "--md", out, "--quiet").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Lagebild (5 articles)")
    assert "(conflicting)" in text and "Who said what:" in text
    assert "\\[002\\_2555be4e492c327c.txt, ≈2025-07\\]" in text  # an uncredited, undated article is still traceable


def test_a_window_briefing_tells_the_window_and_counts_the_rest(tmp_path, examples):
    db, out = tmp_path / "s.db", tmp_path / "day.md"
    analyze_report(tmp_path, examples, db=db)
    assert run_cli("report", "--db", db, "--since", "2026-03-21", "--until", "2026-03-21", "--md", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    events = [line for line in text.splitlines() if line.startswith("### ")]
    assert events and all(line.startswith("### 2026-03-21") for line in events)  # the ferry story's event of that day, told
    assert "more event(s) of this story outside these days, 2026-03-14" in text  # the grounding a week before, in a line
    whole = tmp_path / "whole.md"
    assert run_cli("report", "--db", db, "--md", whole).exit_code == 0
    assert "### 2026-03-14" in whole.read_text(encoding="utf-8") and "outside these days" not in whole.read_text(encoding="utf-8")


def test_markdown_briefing_keeps_hostile_article_text_as_text(tmp_path):
    from markdown_it import MarkdownIt

    hostile = "[klick](javascript:alert(1)) ![bild](http://evil.example/x.png) <script>alert(1)</script> `code` *fett* _kursiv_ | a | b | ~~weg~~ &amp;"
    folder = _hostile_articles(tmp_path, "Titel [mit](javascript:alert(2)) <img src=x onerror=alert(3)>", hostile)
    out = tmp_path / "briefing.md"
    assert run_cli("analyze", folder, "--md", out, "--quiet").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "klick" in text and "script" in text  # the text is there ...
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)
    for made in ("<a ", "<img", "<script", "<code>", "<em>", "<strong>fett", "<table", "<s>", "<del>"):
        assert made not in html  # ... as text: no link, image, HTML, code, emphasis, table or strikeout of its own


def test_html_report_shows_each_statement_once(tmp_path, examples):
    out = tmp_path / "r.html"
    assert run_cli("analyze", examples / "faehre", "--html", out, "--quiet").exit_code == 0
    page = out.read_text(encoding="utf-8")
    said = page[page.index("<h2>Who said what</h2>") : page.index("<h2>Articles</h2>")]
    assert said.count("die Sicherheit der Passagiere habe »absoluten Vorrang«") == 1  # AFP and sda/afp print it: one statement, two links
    assert "„absoluten Vorrang“" not in said  # the words in marks are part of their clause, not listed again
    assert "also: die Sicherheit der Passagiere habe «absoluten Vorrang»" in said
