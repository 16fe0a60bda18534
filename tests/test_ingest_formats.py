"""Every input format yields articles with their metadata: text, JSONL, JSON, HTML, feeds, WARC, URLs."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.ingest import discover, read_input
from lagebild.model import Article, IngestProblem

GERMAN = "Die Fähre lief am Samstag vor Rügen auf Grund. Sieben Menschen wurden leicht verletzt, teilte die Polizei mit."
PAGE = (
    "<!doctype html><html><head><title>Fähre havariert</title><meta name='date' content='2026-03-14'></head><body>"
    "<nav>Menü Startseite</nav><article><h1>Fähre havariert</h1><p>" + GERMAN + "</p>"
    "<p>Die Reederei kündigte eine Untersuchung an. Der Verkehr bleibt eingestellt.</p></article></body></html>"
)


def read_all(location) -> tuple[list[Article], list[IngestProblem]]:
    items = list(read_input(str(location)))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, IngestProblem)]


def test_jsonl_records_with_metadata_and_bad_lines(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"text": GERMAN, "title": "Fähre auf Grund", "date": "2026-03-14T08:00:00+01:00", "outlet": "Ostsee-Blatt", "credits": "dpa/AFP"}),
        "{not json",
        json.dumps({"title": "ohne Text"}),
        "",
        json.dumps(["a list"]),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, problems = read_all(path)
    assert len(articles) == 1
    article = articles[0]
    assert (article.title, article.date, article.outlet, article.credits) == ("Fähre auf Grund", "2026-03-14", "Ostsee-Blatt", ["dpa", "AFP"])
    assert article.path == f"{path}:1"
    assert [p.path.rsplit(":", 1)[1] for p in problems] == ["2", "3", "5"]
    assert "no 'text' field" in problems[1].reason


def test_json_array(tmp_path):
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"text": GERMAN}, {"text": "Ein zweiter Artikel mit anderem Inhalt, der lang genug ist."}]), encoding="utf-8")
    articles, problems = read_all(path)
    assert len(articles) == 2 and not problems
    assert articles[1].path.endswith("#2")


def test_html_page_via_trafilatura(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [article], problems = read_all(path)
    assert not problems
    assert article.title == "Fähre havariert"
    assert article.date == "2026-03-14" and article.date_source == "html"
    assert article.text.startswith("Die Fähre lief")
    assert "Menü" not in article.text


def test_rss_feed_entries_become_articles(examples):
    articles, problems = read_all(examples / "erdbeben" / "03_feed_welt.xml")
    assert not problems
    assert [a.date for a in articles] == ["2026-05-05", "2026-05-08"]
    assert all(a.credits == ["AFP"] and a.dateline == "Bischkek" for a in articles)
    assert articles[0].outlet == "Weltspiegel Online – Nachrichten"
    assert articles[0].url == "https://weltspiegel.example/beben-kirgistan"


def test_atom_feed_with_markup_keeps_text_only(tmp_path):
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Test</title><id>urn:t</id><updated>2026-03-14T10:00:00Z</updated>
<entry><title>Fähre</title><id>urn:1</id><link href="https://x.example/1"/><updated>2026-03-14T10:00:00Z</updated>
<content type="html">&lt;p&gt;{GERMAN}&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content></entry></feed>"""
    path = tmp_path / "news.atom"
    path.write_text(atom, encoding="utf-8")
    [article], problems = read_all(path)
    assert not problems
    assert article.text == GERMAN
    assert article.date == "2026-03-14"


@pytest.mark.parametrize(
    "kind,stamp",
    [("rss", "Sat, 14 Mar 2026 00:30:00 +0100"), ("atom", "2026-03-14T00:30:00+01:00"), ("rss", "Fri, 13 Mar 2026 23:45:00 -0500")],
)
def test_a_feed_date_near_midnight_keeps_the_publishers_day(tmp_path, kind, stamp):
    day = "2026-03-14" if "+01" in stamp else "2026-03-13"  # feedparser's UTC would say 03-13 and 03-14
    if kind == "rss":
        feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Fähre</title>'
                f"<link>https://x.example/1</link><pubDate>{stamp}</pubDate><description>{GERMAN}</description></item></channel></rss>")
    else:
        feed = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id>'
                f'<updated>{stamp}</updated><entry><title>Fähre</title><id>urn:1</id><updated>{stamp}</updated><content type="text">{GERMAN}</content></entry></feed>')
    path = tmp_path / f"news.{kind}"
    path.write_text(feed, encoding="utf-8")
    [article], _ = read_all(path)
    assert article.date == day


def _warc_bytes(compress: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for uri, body, content_type in (
        ("https://x.example/a", PAGE.encode(), "text/html; charset=utf-8"),
        ("https://x.example/logo.png", b"\x89PNG....", "image/png"),
    ):
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


@pytest.mark.parametrize("name,compress", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_responses_with_html_become_articles(tmp_path, name, compress):
    path = tmp_path / name
    path.write_bytes(_warc_bytes(compress))
    [article], problems = read_all(path)
    assert not problems
    assert article.source_format == "warc"
    assert article.url == "https://x.example/a"
    assert article.path == f"{path}#https://x.example/a"
    assert article.text.startswith("Die Fähre lief")


def test_warc_without_its_extension_is_detected_by_content(tmp_path):
    path = tmp_path / "download.bin"
    path.write_bytes(_warc_bytes(True))
    [article], _ = read_all(path)
    assert article.source_format == "warc"


def test_feed_from_a_url_on_loopback(examples):
    feed = (examples / "erdbeben" / "03_feed_welt.xml").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        articles, problems = read_all(f"http://127.0.0.1:{server.server_port}/feed.rss")
    finally:
        thread.join(timeout=10)
        server.server_close()
    assert not problems
    assert len(articles) == 2


def test_unreachable_url_is_a_one_line_problem():
    articles, [problem] = read_all("http://127.0.0.1:9/feed.rss")
    assert not articles
    assert problem.reason.startswith("cannot fetch")


def test_discover_recurses_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "1.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text(GERMAN, encoding="utf-8")
    found, problems = discover([str(tmp_path), str(tmp_path / "missing.txt")])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == ["1.txt", "b/2.txt"]
    assert problems[0].reason == "no such file or folder"


def test_legacy_encodings_are_decoded_with_a_warning(tmp_path):
    path = tmp_path / "alt.txt"
    path.write_bytes(GERMAN.encode("cp1252"))
    [article], _ = read_all(path)
    assert article.text == GERMAN
    assert any("Windows-1252" in warning for warning in article.warnings)
    gz = tmp_path / "x.txt.gz"
    gz.write_bytes(gzip.compress(GERMAN.encode()))
    _, [problem] = read_all(gz)
    assert "gzip" in problem.reason


def test_double_encoded_utf8_is_repaired_with_a_note(tmp_path):
    from lagebild.ingest import read_input
    from lagebild.model import Article

    text = "Fähre läuft vor Rügen auf Grund\n\nDie Fähre „Nordlicht“ ist am Samstag vor der Insel Rügen auf eine Sandbank gelaufen. Alle 312 Passagiere blieben unverletzt."
    mangled = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")  # read once too often
    (tmp_path / "mojibake.txt").write_bytes(mangled)
    (tmp_path / "clean.txt").write_text(text, encoding="utf-8")
    [repaired] = [a for a in read_input(str(tmp_path / "mojibake.txt")) if isinstance(a, Article)]
    [clean] = [a for a in read_input(str(tmp_path / "clean.txt")) if isinstance(a, Article)]
    assert repaired.text == clean.text and repaired.title == clean.title == "Fähre läuft vor Rügen auf Grund"
    assert repaired.id == clean.id  # the same article, however it was mangled
    assert any("decoded as UTF-8 twice" in warning for warning in repaired.warnings)
    assert not any("decoded as UTF-8 twice" in warning for warning in clean.warnings)


def test_link_cards_glued_in_after_names_are_no_part_of_the_article(tmp_path):
    body = (
        "Senator Anna Miller{card} said the bill would pass this week.\n\n"
        "President Baker{other} has not signed it. Speaker Paul Reed{third} called for calm."
    )
    cards = {
        "card": " Anna Louise MillerSenate passes budget bill after long night Miller seeks third term MORE",
        "other": " Thomas (Tom) Edward Baker2020 hopefuls meet in Iowa Baker: 'We need more time' MORE",
        "third": " Paul Davis Reed Reed calls for calm on budget MORE",
    }
    (tmp_path / "cards.jsonl").write_text(json.dumps({"title": "Budget", "text": body.format(**cards)}) + "\n", encoding="utf-8")
    (tmp_path / "clean.jsonl").write_text(json.dumps({"title": "Budget", "text": body.format(card="", other="", third="")}) + "\n", encoding="utf-8")
    [carded], _ = read_all(tmp_path / "cards.jsonl")
    [clean], _ = read_all(tmp_path / "clean.jsonl")
    assert carded.text == clean.text and carded.id == clean.id  # the same article, with or without its cards
    assert "Senator Anna Miller said the bill" in carded.text and "Speaker Paul Reed called" in carded.text
    assert any("3 link card(s)" in warning for warning in carded.warnings)
    assert not any("link card" in warning for warning in clean.warnings)


def test_a_name_said_twice_or_more_in_capitals_is_no_link_card(tmp_path):
    text = "Anna Miller met John Miller in Boston on Monday. MORE than 300 people came to hear them, and Miller Miller spoke last."
    (tmp_path / "plain.txt").write_text(text, encoding="utf-8")
    [article], _ = read_all(tmp_path / "plain.txt")
    assert article.text == text and not any("link card" in warning for warning in article.warnings)


# characters ftfy's quick check reacts to (its categories), beside ASCII and German text's own
_MOJIBAKE_LETTERS = "ÃÂâ€œ™šžŸ¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿŒœŠ√±∂†≠≈‚ÄìВГРСЂўƒˆ˜\x80\x9f\xa0\xad│┌▀\ufffd –—…’„“”"


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.one_of(
            st.text(alphabet=_MOJIBAKE_LETTERS + "aeZ ,.\n", max_size=12),
            st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30),
            st.text(max_size=8),
            st.text(alphabet="äöüÄÖÜß€„“ Fähre Rügen", max_size=20).map(lambda t: t.encode("utf-8").decode("cp1252", errors="replace")),
        ),
        max_size=12,
    )
)
def test_the_quick_mojibake_check_answers_as_ftfy_over_the_whole_text(pieces):
    import ftfy

    from lagebild.ingest.decode import looks_like_mojibake

    text = "".join(pieces)
    assert looks_like_mojibake(text) == ftfy.badness.is_bad(text)
