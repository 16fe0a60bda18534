"""Bad input: a one-line reason per file, exit 0 if anything was read, never a traceback."""

from __future__ import annotations

import json

import pytest

from helpers import analyze_report, run_cli
from lagebild.ingest import read_input
from lagebild.model import IngestProblem

GOOD = "Die Fähre lief am Samstag vor Rügen auf Grund. Sieben Menschen wurden leicht verletzt."


def only_problem(path, **kwargs) -> IngestProblem:
    [item] = list(read_input(str(path), **kwargs))
    assert isinstance(item, IngestProblem)
    assert "\n" not in item.reason and item.reason
    return item


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (a PNG image)"),
        (b"abc\x00def\x00" * 50, "binary file (contains NUL bytes)"),
        (b"%PDF-1.7 ...", "binary file (a PDF document)"),
        (bytes((i * 37 + 11) % 255 + 1 for i in range(4000)), "undecodable"),
        (b"\xef\xbb\xbfg\xfc\xfc\xfc" * 10, "undecodable: not valid utf-8-sig"),
    ],
)
def test_unreadable_files_get_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert only_problem(path).reason.startswith(reason)


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(GOOD * 100, encoding="utf-8")
    assert "over the 0.001 MB limit" in only_problem(path, max_bytes=1000).reason


def test_malformed_feed(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<?xml version='1.0'?><rss><channel><title>x</title><item><title>a</ti", encoding="utf-8")
    items = list(read_input(str(path)))
    assert all(isinstance(item, IngestProblem) for item in items)
    assert items[0].reason.startswith("malformed feed: ")
    assert items[0].reason.endswith("1 entries recovered")


def test_malformed_warc(tmp_path):
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    items = list(read_input(str(path)))
    assert all(isinstance(item, IngestProblem) for item in items)


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<!doctype html><html><body><nav>Menü</nav></body></html>", encoding="utf-8")
    assert only_problem(path).reason == "no article text found in the HTML page"


def test_cli_reports_skips_and_exits_zero_when_something_was_read(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    report, result = analyze_report(tmp_path, tmp_path / "good.txt", tmp_path / "empty.txt", tmp_path / "image.png", tmp_path / "nope.txt")
    assert result.exit_code == 0
    assert len(report["articles"]) == 1
    reasons = {item["path"].rsplit("/", 1)[-1]: item["reason"] for item in report["run"]["skipped"]}
    assert reasons == {
        "empty.txt": "empty file",
        "image.png": "binary file (a PNG image), not text",
        "nope.txt": "no such file or folder",
    }
    assert "skipped" in result.output and "Traceback" not in result.output


def test_cli_exits_non_zero_when_nothing_was_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    report, result = analyze_report(tmp_path, tmp_path / "empty.txt")
    assert result.exit_code == 1
    assert report["articles"] == []
    assert "empty file" in result.output


def test_a_quiet_run_that_read_nothing_says_why_in_one_line(tmp_path):
    (tmp_path / "none.jsonl").write_text("", encoding="utf-8")
    result = run_cli("analyze", tmp_path / "none.jsonl", "--db", tmp_path / "s.db", "--quiet")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["error: no article read from the input"]


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path):
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("just some notes, not SQLite", encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = run_cli("analyze", tmp_path / "a.txt", "--db", not_a_store)
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot use")
    assert not_a_store.read_text(encoding="utf-8") == "just some notes, not SQLite"


def test_an_overlong_article_is_cut_with_a_reason(tmp_path):
    from lagebild.ingest import read_input
    from lagebild.ingest.article import MAX_ARTICLE_CHARS
    from lagebild.model import Article

    paragraph = "Die Polizei nahm am Montag in Berlin zwölf Demonstranten fest. Ein Sprecher bestätigte das.\n"
    (tmp_path / "long.txt").write_text(" date 2026-03-14 Eine sehr lange Meldung\n\n" + paragraph * (MAX_ARTICLE_CHARS // len(paragraph) + 50), encoding="utf-8")
    [article] = [item for item in read_input(str(tmp_path / "long.txt")) if isinstance(item, Article)]
    assert len(article.source_text) <= MAX_ARTICLE_CHARS and article.source_text.endswith("bestätigte das.")
    assert any(warning.startswith("text cut at") and f"{MAX_ARTICLE_CHARS:,}" in warning for warning in article.warnings)


def test_json_fields_of_the_wrong_type_are_named(tmp_path):
    from lagebild.ingest import read_input
    from lagebild.model import Article, IngestProblem

    body = "Die Polizei nahm am Montag in Berlin zwölf Demonstranten fest, sagte ein Sprecher."
    lines = [
        {"title": {"a": 1}, "text": body},
        {"text": ["a", "list"]},
        {"text": body, "outlet": ["x"]},
        {"text": body, "date": True},
        {"text": body, "title": 2026, "credits": ["dpa", "AFP"]},
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    found = list(read_input(str(path)))
    reasons = [item.reason for item in found if isinstance(item, IngestProblem)]
    assert reasons == [
        "field 'title' is an object, not text",
        "field 'text' is a list, not text",
        "field 'outlet' is a list, not text",
        "field 'date' is true or false, not text",
    ]
    [article] = [item for item in found if isinstance(item, Article)]
    assert article.title == "2026" and article.credits == ["dpa", "AFP"]


OTHER_LANGUAGES = {
    "vi": "Hôm nay, chính phủ Việt Nam đã công bố kế hoạch mới về giao thông, bộ trưởng nói với các nhà báo. "
          "Dự án sẽ bắt đầu vào năm sau, với chi phí khoảng hai tỷ đồng, ông nói thêm trong cuộc họp báo.",
    "fr": "Le gouvernement a annoncé mardi un nouveau plan pour les transports, a déclaré le ministre aux journalistes. "
          "Le projet commencera l'année prochaine et coûtera environ deux milliards d'euros, a-t-il ajouté.",
    "es": "El gobierno anunció el martes un nuevo plan de transporte, dijo el ministro a los periodistas. "
          "El proyecto comenzará el próximo año y costará unos dos mil millones de euros, añadió.",
}


def test_articles_in_languages_without_rules_are_analysed_and_stored(tmp_path):
    """A German outlet prints a Vietnamese report now and then: the stages written for German and
    English must pass it through, not stop the run (and every later run of the store)."""
    lines = [json.dumps({"title": f"Bericht {code}", "text": text, "date": "2026-03-14"}) for code, text in OTHER_LANGUAGES.items()]
    (tmp_path / "other.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, result = analyze_report(tmp_path, tmp_path / "other.jsonl", db=tmp_path / "store.db")
    assert result.exit_code == 0, result.output
    assert sorted(article["language"] for article in report["articles"]) == sorted(OTHER_LANGUAGES)
