"""``lagebild watch`` and the server's feed polling, against a real local HTTP server whose feeds
change between polls: new entries are stored and analysed once, an unchanged feed answers 304 to
the conditional request, a broken feed is recorded and waits longer while the others go on, a
teaser entry gets its page's text; feed lists as lines or OPML."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpers import run_cli
from lagebild import pipeline
from lagebild.ingest.watch import TEASER_CHARS, Watcher, read_feed_list
from lagebild.progress import Tracker
from lagebild.store import Store, views

ARTICLES = [
    ("Stadtrat beschließt neuen Radweg", "Der Stadtrat von Kiel hat am Dienstag den Bau eines neuen Radwegs entlang der Förde beschlossen. "
     "Die Kosten von 4,2 Millionen Euro trägt zur Hälfte das Land. Oberbürgermeister Ulf Kämpfer sagte, der Weg werde 2027 fertig."),
    ("Hafen meldet Rekordumschlag", "Der Hafen von Lübeck hat im vergangenen Jahr 28 Millionen Tonnen umgeschlagen, so viel wie nie. "
     "Hafenchef Sebastian Jürgens sagte, vor allem der Verkehr nach Skandinavien sei gewachsen. Für dieses Jahr erwartet er weniger."),
    ("Sturmflut an der Ostsee erwartet", "Für die Ostseeküste Schleswig-Holsteins wird am Donnerstag eine Sturmflut erwartet. "
     "Das Bundesamt für Seeschifffahrt rechnet mit Wasserständen von 1,5 Metern über dem Mittel. Die Fähren nach Fehmarn fahren nicht."),
]
PAGE_TEXT = " ".join(["Die Landesregierung in Kiel hat am Mittwoch ein Programm für den Ausbau der Windkraft an Land vorgestellt."] * 3 + [
    "Bis 2030 sollen zwei Prozent der Landesfläche für Windräder ausgewiesen werden, sagte Energieminister Tobias Goldschmidt.",
    "Naturschutzverbände kritisierten den Plan als zu zögerlich, die Gemeinden verlangen mehr Mitsprache bei der Planung.",
    "Das Programm soll im Frühjahr im Landtag beraten werden, die Opposition kündigte eigene Vorschläge an.",
] * 2)


def rss(entries: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>Tue, 10 Mar 2026 09:00:00 +0100</pubDate><description>{text}</description></item>"
        for title, text, link in entries
    )
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Nordblatt</title><link>http://x/</link><description>d</description>{items}</channel></rss>".encode()


class Site:
    """Feeds served from a dict that a test changes between polls; counts what was asked."""

    def __init__(self):
        self.pages: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.not_modified = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                status, body, etag = site.pages.get(self.path, (404, b"not here", ""))
                if etag and self.headers.get("If-None-Match") == etag:
                    site.not_modified += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self, path: str, entries: list[tuple[str, str, str]]) -> None:
        body = rss(entries)
        self.pages[path] = (200, body, f'"{hash(body) & 0xFFFFFFFF:x}"')

    def close(self):
        self.server.shutdown()


@pytest.fixture
def site():
    served = Site()
    yield served
    served.close()


def later(minutes: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(minutes=minutes)


def test_new_entries_are_taken_once_unchanged_feeds_cost_a_304_and_a_broken_feed_waits(tmp_path, site):
    first, second, third = ARTICLES
    site.feed("/news.xml", [(*first, site.url + "/1")])
    site.pages["/broken.xml"] = (500, b"down", "")
    site.pages["/garbage.xml"] = (200, b"\x00\x01 this is no feed \xff" * 20, "")
    watcher = Watcher(every=60, seed=[site.url + path for path in ("/news.xml", "/broken.xml", "/garbage.xml")])
    with Store(tmp_path / "s.db") as store:
        results = {r.url.rsplit("/", 1)[1]: r for r in watcher.poll_due(store)}
        assert results["news.xml"].added == 1 and results["broken.xml"].error == "HTTP 500"
        assert results["garbage.xml"].status == "failed"
        pipeline.catch_up(store, Tracker(None))
        assert store.connection.execute("SELECT COUNT(*) FROM picture_articles").fetchone()[0] == 1

        # a minute later, unchanged: a conditional request answered 304; the broken feed is not due yet
        results = {r.url.rsplit("/", 1)[1]: r for r in watcher.poll_due(store, later(1.5))}
        assert results == {"news.xml": results["news.xml"]} and results["news.xml"].status == "unchanged"
        assert site.not_modified == 1

        # the feed changes: only the new entries are taken
        site.feed("/news.xml", [(*first, site.url + "/1"), (*second, site.url + "/2"), (*third, site.url + "/3")])
        results = {r.url.rsplit("/", 1)[1]: r for r in watcher.poll_due(store, later(3))}
        assert results["news.xml"].added == 2 and results["news.xml"].entries == 3
        pipeline.catch_up(store, Tracker(None))
        assert store.connection.execute("SELECT COUNT(*) FROM picture_articles").fetchone()[0] == 3

        feeds = {feed["url"].rsplit("/", 1)[1]: feed for feed in views.feeds(store.connection)}
    assert feeds["news.xml"]["articles"] == 3 and feeds["news.xml"]["failures"] == 0 and feeds["news.xml"]["last_error"] is None
    assert feeds["broken.xml"]["failures"] == 2 and feeds["broken.xml"]["last_error"] == "HTTP 500"  # polled again at minute 3 (2 min back-off)
    assert feeds["broken.xml"]["next_poll"] > feeds["news.xml"]["next_poll"]  # 4 minutes now, against 1


def test_a_teaser_entry_gets_the_text_of_its_page(tmp_path, site):
    site.pages["/windkraft.html"] = (200, f"<html><head><title>Windkraft</title></head><body><article><h1>Land legt Windkraftprogramm vor</h1><p>{PAGE_TEXT}</p></article></body></html>".encode(), "")
    site.feed("/teaser.xml", [("Land legt Windkraftprogramm vor", "Die Landesregierung stellt ein Programm vor.", site.url + "/windkraft.html")])
    with Store(tmp_path / "s.db") as store:
        Watcher(every=60, seed=[site.url + "/teaser.xml"]).poll_due(store)
        (article,) = list(store.articles())
    assert len(article.text) > TEASER_CHARS and "Energieminister Tobias Goldschmidt" in article.text
    assert article.title == "Land legt Windkraftprogramm vor" and article.date  # the feed's date where the page has none


def test_feed_lists_as_lines_or_opml(tmp_path):
    lines = tmp_path / "feeds.txt"
    lines.write_text("# Norddeutsche Feeds\nhttps://a.example/rss\n\nnot a url\nhttp://b.example/atom.xml\n", encoding="utf-8")
    urls, problems = read_feed_list(lines)
    assert urls == ["https://a.example/rss", "http://b.example/atom.xml"] and len(problems) == 1 and ":4:" in problems[0]
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        "<?xml version='1.0'?><opml version='2.0'><body><outline text='Nord'><outline type='rss' text='A' xmlUrl='https://a.example/rss'/>"
        "<outline type='rss' text='C' xmlUrl='https://c.example/feed'/><outline text='no feed'/></outline></body></opml>",
        encoding="utf-8",
    )
    assert read_feed_list(opml) == (["https://a.example/rss", "https://c.example/feed"], [])
    hostile = tmp_path / "hostile.opml"
    hostile.write_text(
        "<?xml version='1.0'?><!DOCTYPE opml [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><opml version='2.0'><body>"
        "<outline type='rss' text='&x;' xmlUrl='https://a.example/rss'/></body></opml>",
        encoding="utf-8",
    )
    urls, problems = read_feed_list(hostile)  # an external entity is never read
    assert "root:" not in repr((urls, problems)) and (urls == ["https://a.example/rss"] or problems[0].startswith("malformed OPML"))


def test_watch_once_and_feeds_on_the_command_line(tmp_path, site):
    site.feed("/news.xml", [(*article, f"{site.url}/{n}") for n, article in enumerate(ARTICLES)])
    site.pages["/down.xml"] = (503, b"", "")
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{site.url}/news.xml\n{site.url}/down.xml\n", encoding="utf-8")
    db = tmp_path / "s.db"
    result = run_cli("watch", listing, "--db", db, "--once", "--jobs", "1", "--quiet")
    assert result.exit_code == 0 and "down.xml: failed (HTTP 503)" in result.output and "news.xml" not in result.output
    again = run_cli("watch", listing, "--db", db, "--once", "--jobs", "1")
    assert again.exit_code == 0  # nothing due yet: nothing polled, nothing analysed again
    shown = run_cli("feeds", "--db", db)
    assert f"{site.url}/news.xml · 3 article(s)" in shown.output and "1 failure(s) in a row" in shown.output
    assert run_cli("stories", "--db", db).exit_code == 0
    missing = run_cli("watch", tmp_path / "nope.txt", "--db", db, "--once")
    assert missing.exit_code == 2 and "no feed list" in missing.output


def test_the_server_polls_its_feeds_and_those_added_through_the_api(tmp_path, site):
    import time

    from serving import Served

    site.feed("/news.xml", [(*ARTICLES[0], site.url + "/1")])
    site.feed("/more.xml", [(*ARTICLES[1], site.url + "/2"), (*ARTICLES[2], site.url + "/3")])
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{site.url}/news.xml\n", encoding="utf-8")
    server = Served(tmp_path / "s.db", "--watch", str(listing), "--every", "1h")
    try:
        added = server.client.post("/api/v1/feeds", json={"url": site.url + "/more.xml"}, headers=server.write_headers())
        assert added.status_code == 201
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.client.get("/api/v1/status").json()["articles"] < 3:
            time.sleep(0.5)
        server.wait_analysed()
        feeds = {feed["url"]: feed for feed in server.client.get("/api/v1/feeds").json()["items"]}
        assert feeds[site.url + "/news.xml"]["articles"] == 1 and feeds[site.url + "/more.xml"]["articles"] == 2
        assert "Stadtrat beschließt neuen Radweg" in server.client.get("/").text
    finally:
        server.stop()
