"""``lagebild serve`` as a client meets it: a real uvicorn process on a localhost port over a store
of the example corpus. The API's lists, records, pages and feeds; writes only with the token;
bad input answered with a 4xx JSON reason; an added article analysed by the worker and placed
in its story; security headers on every answer."""

from __future__ import annotations

import gzip
import json
import re
import time

import feedparser
import httpx
import pytest

from serving import HELD_OUT, Served, example_store, free_port
from helpers import run_cli
from lagebild.serve.kept import GZIPPED_FROM, Kept

HOSTILE = (
    "Hostile title <script>window.pwned=1</script>",
    "Ein Bericht mit <img src=x onerror=\"window.pwned=2\"> und <a href=\"javascript:window.pwned=3\">einem Link</a>. "
    "Der Bürgermeister sagte, die Lage sei ruhig. Es kamen 40 Menschen zur Versammlung in Kiel.",
)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from conftest import EXAMPLES

    tmp = tmp_path_factory.mktemp("serve")
    server = Served(example_store(tmp, EXAMPLES), "--max-body", "200000")
    yield server
    errors = server.stop()
    assert "Traceback" not in errors, errors


def test_lists_are_paged_and_records_follow_the_report_contract(served):
    stories = served.client.get("/api/v1/stories", params={"limit": 2}).json()
    assert len(stories["items"]) == 2 and stories["next_offset"] == 2
    assert stories["items"][0]["weight"] >= stories["items"][1]["weight"]
    story_id = stories["items"][0]["id"]
    story = served.client.get(f"/api/v1/stories/{story_id}").json()
    assert story["stories"][0]["id"] == story_id and {"events", "articles", "quotes", "claims", "disagreements"} <= set(story)
    article_id = story["articles"][0]["id"]
    article = served.client.get(f"/api/v1/articles/{article_id}").json()
    assert article["analysed"] and article["story_id"] == story_id and article["article"]["text"]
    events = served.client.get("/api/v1/events", params={"story_id": story_id}).json()["items"]
    assert {event["id"] for event in events} == set(story["stories"][0]["event_ids"])


def test_entities_statements_and_search_find_what_the_corpus_says(served):
    entities = served.client.get("/api/v1/entities", params={"type": "PER", "limit": 50}).json()["items"]
    minister = next(e for e in entities if "Tschyngyschew" in e["name"])
    found = served.client.get(f"/api/v1/entities/{minister['id']}").json()
    assert found["article_list"] and any(q["speaker"] == minister["name"] for q in found["statements"])
    said = served.client.get("/api/v1/statements", params={"speaker": "Tschyngyschew"}).json()["items"]
    assert said and all("Tschyngyschew" in q["speaker"] for q in said)
    hits = served.client.get("/api/v1/search", params={"q": "FÄHRE rugen"}).json()["items"]  # any case, any accents
    assert hits and all({"fähre", "rügen"} & set(((hit["title"] or "") + " " + hit["snippet"]).casefold().split()) for hit in hits)
    assert any("\x02" not in hit["snippet"] for hit in hits)  # the markers of hits are the pages' business
    assert served.client.get("/api/v1/search", params={"q": 'NEAR(" OR *'}).status_code == 200  # words, never FTS syntax


def test_windows_filter_by_day_and_bad_days_are_a_4xx_reason(served):
    may = served.client.get("/api/v1/stories", params={"since": "2026-05", "until": "2026-05"}).json()["items"]
    assert may and all(story["first_day"] <= "2026-05-31" and story["last_day"] >= "2026-05-01" for story in may)
    for bad in ("2026-13", "2026-02-30", "gestern"):
        answer = served.client.get("/api/v1/stories", params={"since": bad})
        assert answer.status_code == 422 and "error" in answer.json()
    backwards = served.client.get("/api/v1/stories", params={"since": "2026-06", "until": "2026-05"})
    assert backwards.status_code == 422 and "after until" in backwards.json()["error"]


def test_missing_things_are_404_json_on_the_api_and_a_page_in_the_app(served):
    for path in ("/api/v1/stories/nope", "/api/v1/articles/nope", "/api/v1/entities/nope", "/api/v1/watches/999"):
        answer = served.client.get(path)
        assert answer.status_code == 404 and answer.json()["error"]
    page = served.client.get("/stories/nope")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "no story nope" in page.text


def test_every_answer_carries_the_security_headers(served):
    for path in ("/", "/api/v1/status", "/stories/nope", "/static/live.js", "/docs"):
        headers = served.client.get(path).headers
        assert "default-src 'none'" in headers["content-security-policy"] and "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_writes_need_the_token_and_bad_bodies_get_a_reason(served):
    body = json.dumps({"text": "Ein kurzer Text über Kiel."})
    assert served.client.post("/api/v1/articles", content=body, headers={"Content-Type": "application/json"}).status_code == 401
    wrong = {"Authorization": "Bearer nope", "Content-Type": "application/json"}
    assert served.client.post("/api/v1/articles", content=body, headers=wrong).status_code == 401
    cases = [
        ("application/json", b'{"title": {"a": 1}, "text": "x"}', 400, "is an object"),
        ("application/json", b"{not json", 400, "malformed JSON"),
        ("application/json", b"[]", 400, "no article"),
        ("image/png", b"\x89PNG", 415, "send one of"),
        ("text/plain", b"x" * 300_000, 413, "over the limit"),
    ]
    before = served.client.get("/api/v1/status").json()["articles"]
    for content_type, data, status, reason in cases:
        answer = served.client.post("/api/v1/articles", content=data, headers=served.write_headers(content_type))
        assert answer.status_code == status and reason in answer.json()["error"], (content_type, answer.text)
    assert served.client.get("/api/v1/status").json()["articles"] == before  # nothing stored, nothing lost


def test_a_posted_article_is_analysed_into_its_story_and_reposting_is_a_no_op(served, examples):
    text = (examples / HELD_OUT).read_bytes()
    added = served.client.post("/api/v1/articles", content=text, headers=served.write_headers("text/plain"))
    assert added.status_code == 201, added.text
    article_id = added.json()["added"][0]
    served.wait_analysed()
    article = served.client.get(f"/api/v1/articles/{article_id}").json()
    story = served.client.get(f"/api/v1/stories/{article['story_id']}").json()
    assert len(story["articles"]) >= 4 and any("Nordlicht" in a["text"] for a in story["articles"] if a["id"] != article_id)
    assert any(article_id in link["article_ids"] for link in story["reuse"])  # the agency copy is seen
    again = served.client.post("/api/v1/articles", content=text, headers=served.write_headers("text/plain"))
    assert again.status_code == 200 and again.json()["already_stored"] == [article_id]


def test_hostile_text_is_escaped_in_pages_and_feeds(served):
    title, text = HOSTILE
    answer = served.client.post("/api/v1/articles", json={"title": title, "text": text, "date": "2026-03-20"}, headers=served.write_headers())
    article_id = answer.json()["added"][0]
    served.wait_analysed()
    page = served.client.get(f"/articles/{article_id}").text
    assert "<script>window.pwned" not in page and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<a href=\"javascript:" not in page
    feed = served.client.get("/search.atom", params={"q": "Hostile title"}).text
    assert "<script>" not in feed and feedparser.parse(feed).entries[0].title == title


def test_watches_are_saved_with_the_token_and_show_their_matches(served):
    watch = {"name": "Erdbeben", "entities": ["Kirgistan"], "words": []}
    assert served.client.post("/api/v1/watches", json=watch).status_code == 401
    made = served.client.post("/api/v1/watches", json=watch, headers=served.write_headers())
    assert made.status_code == 201
    assert served.client.post("/api/v1/watches", json=watch, headers=served.write_headers()).status_code == 409
    matches = served.client.get(f"/api/v1/watches/{made.json()['id']}").json()["items"]
    texts = [served.client.get(f"/api/v1/articles/{a['id']}").json()["article"]["text"] for a in matches]
    assert len(texts) >= 3 and all("Kirgistan" in text or "Kyrgyzstan" in text for text in texts)  # one place, any language
    feed = feedparser.parse(served.client.get(f"/watches/{made.json()['id']}.atom").text)
    assert not feed.bozo and len(feed.entries) == len(matches)
    outlet = served.client.post("/api/v1/watches", json={"name": "AFP", "outlet": "AFP"}, headers=served.write_headers()).json()["id"]
    from_afp = served.client.get(f"/api/v1/watches/{outlet}").json()["items"]
    assert from_afp and all("afp" in ((a["outlet"] or "") + " ".join(a["credits"])).casefold() for a in from_afp)


def test_pages_and_feeds_render(served):
    for path in ("/", "/entities", "/feeds", "/watches", "/docs", "/search?q=Erdbeben"):
        answer = served.client.get(path)
        assert answer.status_code == 200 and "<main id='main'>" in answer.text, path
    story_id = served.client.get("/api/v1/stories").json()["items"][0]["id"]
    assert "svg" in served.client.get(f"/stories/{story_id}").text
    for path in ("/stories.atom", f"/stories/{story_id}.atom"):
        feed = feedparser.parse(served.client.get(path).text)
        assert not feed.bozo and feed.entries, path


def test_the_update_stream_names_the_pictures_watermark(served):
    with httpx.stream("GET", served.url + "/api/v1/updates", timeout=10) as stream:
        lines = stream.iter_lines()
        assert next(lines) == "event: picture"
        data = json.loads(next(lines).removeprefix("data: "))
    assert data["linked_seq"] == served.client.get("/api/v1/status").json()["linked_seq"]


def test_a_server_without_a_token_refuses_writes(tmp_path):
    server = Served(tmp_path / "empty.db", token=None)
    try:
        answer = server.client.post("/api/v1/articles", json={"text": "Ein Text."}, headers={"Authorization": "Bearer x"})
        assert answer.status_code == 403 and "LAGEBILD_TOKEN" in answer.json()["error"]
        assert "No stories yet" in server.client.get("/").text
    finally:
        server.stop()


def test_serve_refuses_a_public_address_without_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("LAGEBILD_TOKEN", raising=False)
    result = run_cli("serve", "--db", tmp_path / "s.db", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.exit_code == 2 and "without a token" in result.output


@pytest.mark.parametrize("processes", ["1", "2"])
def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path, processes):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run_cli("serve", "--db", tmp_path / "s.db", "--port", str(port), "--processes", processes)
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output and "serving" not in result.output


def test_a_damaged_store_is_refused_in_one_line(tmp_path):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database" * 100)
    result = run_cli("serve", "--db", damaged, "--port", str(free_port()))
    assert result.exit_code == 2 and "cannot use" in result.output


def test_concurrent_readers_all_get_answers(served):
    import asyncio

    story_id = served.client.get("/api/v1/stories").json()["items"][0]["id"]
    paths = ["/", "/api/v1/stories", f"/stories/{story_id}", f"/api/v1/stories/{story_id}", "/entities", "/api/v1/search?q=Erdbeben", "/stories.atom"]

    async def load() -> list[int]:
        async with httpx.AsyncClient(base_url=served.url, timeout=60) as client:
            answers = await asyncio.gather(*[client.get(path) for path in paths * 6])
        return [answer.status_code for answer in answers]

    assert set(asyncio.run(load())) == {200}


def test_feeds_are_added_with_the_token_once(served):
    feed = {"url": "http://127.0.0.1:9/feed.xml"}
    assert served.client.post("/api/v1/feeds", json=feed).status_code == 401
    assert served.client.post("/api/v1/feeds", json={"url": "file:///etc/passwd"}, headers=served.write_headers()).status_code == 422
    assert served.client.post("/api/v1/feeds", json=feed, headers=served.write_headers()).status_code == 201
    assert served.client.post("/api/v1/feeds", json=feed, headers=served.write_headers()).json()["added"] is False
    assert feed["url"] in [f["url"] for f in served.client.get("/api/v1/feeds").json()["items"]]
    assert feed["url"] in served.client.get("/feeds").text


def test_a_worker_that_dies_is_started_again_by_the_next_write(tmp_path):
    import os
    import signal

    server = Served(tmp_path / "s.db")
    try:
        workers = _spawned(server.process.pid)
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while server.client.get("/api/v1/status").json()["worker_alive"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.client.get("/api/v1/status").json()["worker_alive"] is False
        article = {"title": "Neuer Radweg in Kiel", "text": "Der Stadtrat von Kiel hat am Dienstag einen neuen Radweg beschlossen. Er soll 2027 fertig sein."}
        assert server.client.post("/api/v1/articles", json=article, headers=server.write_headers()).status_code == 201
        assert server.wait_analysed()["worker_alive"] is True
    finally:
        errors = server.stop()
    assert "starting it again" in errors


def _spawned(pid: int) -> list[int]:
    """The processes the server started (its server processes and its worker), not Python's helper."""
    import subprocess

    children = subprocess.run(["pgrep", "-P", str(pid), "-f", "multiprocessing.spawn"], capture_output=True, text=True).stdout.split()
    return [int(child) for child in children if "resource_tracker" not in open(f"/proc/{child}/cmdline").read()]


def test_several_server_processes_share_one_worker_and_each_is_started_again(tmp_path, examples):
    import os
    import signal
    from concurrent.futures import ThreadPoolExecutor

    server = Served(example_store(tmp_path, examples), "--processes", "2")
    try:
        assert len(_spawned(server.process.pid)) == 3  # two server processes, one worker
        article = {"title": "Neuer Radweg in Kiel", "text": "Der Stadtrat von Kiel hat am Dienstag einen neuen Radweg beschlossen. Er soll 2027 fertig sein."}
        assert server.client.post("/api/v1/articles", json=article, headers=server.write_headers()).status_code == 201
        assert server.wait_analysed()["worker_alive"] is True
        paths = ["/", "/api/v1/stories", "/search?q=Kiel", "/api/v1/search?q=Radweg"] * 10
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda path: httpx.get(server.url + path, timeout=30), paths))
        assert all(answer.status_code == 200 for answer in answers)
        assert "Radweg" in answers[3].text
        for child in _spawned(server.process.pid):  # any of them killed: the supervisor starts it again
            os.kill(child, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while len(_spawned(server.process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        server._wait_until_up()
        assert server.client.get("/api/v1/stories").status_code == 200
        assert server.wait_analysed()["worker_alive"] is True
    finally:
        errors = server.stop()
    assert "a server process ended" in errors and "the worker ended" in errors
    assert server.process.returncode == 0 and not _spawned(server.process.pid)


def test_kept_answers_go_gzipped_to_a_client_that_takes_gzip_and_as_made_to_one_that_does_not(served):
    """Made once, kept gzipped: the first and the kept answer, a kept read of the picture and a
    story's page and record, each the same bytes whether sent gzipped or not."""
    story_id, sizes = served.client.get("/api/v1/stories").json()["items"][0]["id"], []
    for path in ("/api/v1/stories?limit=1", "/entities", f"/api/v1/stories/{story_id}", f"/stories/{story_id}"):
        answers = {}
        for coding in ("gzip", "identity", "gzip", "br;q=1, gzip;q=0", "identity"):
            with httpx.stream("GET", served.url + path, headers={"Accept-Encoding": coding}) as response:
                raw = b"".join(response.iter_raw())
                assert response.status_code == 200 and response.headers["vary"].lower() == "accept-encoding"
                assert int(response.headers["content-length"]) == len(raw)
                gzipped = response.headers.get("content-encoding") == "gzip"
                body = gzip.decompress(raw) if gzipped else raw
                assert gzipped == (coding == "gzip" and len(body) >= GZIPPED_FROM), (path, coding)
                answers.setdefault(coding, set()).add(body)
        bodies = set().union(*answers.values())
        assert len(bodies) == 1, path  # the same answer however sent, first or kept
        sizes.append(len(bodies.pop()))
    assert min(sizes) < GZIPPED_FROM < max(sizes)  # short answers go as they are


def test_answers_shared_on_disk_are_found_by_another_process_and_the_least_recently_used_go(tmp_path):
    from lagebild.serve.kept import SharedAnswers

    one, other = SharedAnswers(tmp_path / "answers", 250, "code 1"), SharedAnswers(tmp_path / "answers", 250, "code 1")
    one.put(("story.html", "s1", 3, 17), b"a" * 100)
    assert other.get(("story.html", "s1", 3, 17)) == b"a" * 100
    assert other.get(("story.html", "s1", 4, 18)) is None  # the story changed: another key
    assert SharedAnswers(tmp_path / "answers", 250, "code 2").get(("story.html", "s1", 3, 17)) is None  # other code
    one.put(("b",), b"b" * 100)
    time.sleep(0.01)
    assert other.get(("story.html", "s1", 3, 17))  # used: now the most recent
    time.sleep(0.01)
    one.put(("c",), b"c" * 100)
    one.sweep()  # 300 bytes held, 250 allowed: b, the least recently used, goes
    assert other.get(("b",)) is None and other.get(("c",)) and other.get(("story.html", "s1", 3, 17))
    (tmp_path / "a file").write_text("")
    nowhere = SharedAnswers(tmp_path / "a file" / "answers", 250, "code 1")
    nowhere.put(("d",), b"d")  # a folder that cannot be made: nothing kept, no error
    assert nowhere.get(("d",)) is None


def test_a_story_page_made_by_one_server_is_handed_out_by_the_next(tmp_path, examples, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db = example_store(tmp_path, examples)
    first = Served(db)
    try:
        story_id = first.client.get("/api/v1/stories").json()["items"][0]["id"]
        page = first.client.get(f"/stories/{story_id}").text
    finally:
        first.stop()
    kept = list((tmp_path / "cache" / "lagebild" / "answers").glob("*.gz"))
    assert len(kept) == 1 and gzip.decompress(kept[0].read_bytes()).decode() == page
    kept[0].write_bytes(gzip.compress("<p>as kept</p>".encode()))  # what the next server hands out
    second = Served(db)
    try:
        assert second.client.get(f"/stories/{story_id}").text == "<p>as kept</p>"
    finally:
        second.stop()


def test_the_front_page_is_made_once_for_each_picture_and_last_visit(tmp_path, examples, monkeypatch):
    from fastapi.testclient import TestClient

    from lagebild.serve import pages
    from lagebild.serve.app import Settings, create_app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made, front_page = [], pages._front_page
    monkeypatch.setattr(pages, "_front_page", lambda *args: made.append(args[2]) or front_page(*args))
    with TestClient(create_app(Settings(db=example_store(tmp_path, examples), analyse=False))) as client:
        first = client.get("/", headers={"Accept-Encoding": "gzip"})
        seen = first.cookies[pages.SEEN_COOKIE]  # the client sends it from now on
        again = [client.get("/") for _ in range(3)]
        live = client.get("/", headers={"x-lagebild-live": "1"})
        client.cookies.clear()
        client.cookies.set(pages.SEEN_COOKIE, "1")
        earlier = client.get("/")
    assert made == [0, int(seen), 1]  # the first visit, the visits after it, one after an older visit
    assert first.headers["content-encoding"] == "gzip" and {page.text for page in again} == {live.text}
    assert all(page.cookies[pages.SEEN_COOKIE] == seen for page in again) and pages.SEEN_COOKIE not in live.cookies
    assert earlier.text != live.text  # what is new since the older visit is marked


def test_a_kept_story_page_is_made_again_once_other_code_linked_the_picture(tmp_path, examples, monkeypatch):
    """Pages kept on disk outlive the server: a picture linked again by another version of the
    code may hold other events under the same story id, count and newest article."""
    import sqlite3

    from fastapi.testclient import TestClient

    from lagebild.serve import pages
    from lagebild.serve.app import Settings, create_app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made, story_page = [], pages._story_page
    monkeypatch.setattr(pages, "_story_page", lambda *args: made.append(args[2]) or story_page(*args))
    db = example_store(tmp_path, examples)
    with TestClient(create_app(Settings(db=db, analyse=False))) as client:
        story_id = client.get("/api/v1/stories").json()["items"][0]["id"]
        for _ in range(2):
            client.get(f"/stories/{story_id}")
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE link_state SET value = 'another version' WHERE key = 'version'")
        for _ in range(2):
            client.get(f"/stories/{story_id}")
    assert made == [story_id, story_id]


def test_what_a_client_takes_is_read_from_its_accept_encoding():
    from lagebild.serve.kept import takes_gzip

    def taken(value: str) -> bool:
        return takes_gzip([(b"accept-encoding", value.encode())])

    assert taken("gzip") and taken("gzip, deflate, br") and taken("br;q=1.0, GZIP;q=0.5") and taken("*")
    assert not taken("identity") and not taken("deflate, br") and not taken("gzip;q=0") and not taken("gzip;q=nonsense")
    assert not takes_gzip([])


def test_kept_pages_are_forgotten_least_recently_used_first_and_a_huge_one_is_not_kept():
    kept = Kept(limit=100)
    for name in "abcd":
        kept.put((name,), name * 20)
    assert kept.get(("a",)) == "a" * 20  # used: now the most recent
    kept.put(("e",), "e" * 20)  # 100 characters: at the limit
    kept.put(("f",), "f" * 20)  # over it: the least recently used (b) goes
    assert kept.get(("b",)) is None and kept.get(("a",)) and kept.get(("f",))
    assert kept.made(("huge",), lambda: "h" * 60) == "h" * 60 and kept.get(("huge",)) is None
    made = []
    assert kept.made(("g",), lambda: made.append(1) or "g") == kept.made(("g",), lambda: made.append(1) or "g") == "g"
    assert made == [1]  # made once, then handed out


def test_a_long_story_page_says_what_it_leaves_out(monkeypatch):
    from lagebild.serve import pages

    monkeypatch.setattr(pages, "SHOWN", {"articles": 2, "speakers": 1, "statements": 1, "pairs": 5, "groups": 1, "event_links": 2})
    story = {"events": [{"articles": ["a", "b", "c"], "notes": []}], "claims": ["conflicting"]}
    speakers = [("Kim", ["one", "two"]), ("Putin", ["three"])]
    left_out = pages._shorten(story, speakers, reuse=[], articles=["a", "b", "c"], groups=2)
    assert left_out == ["the 2 newest articles of 3", "the 1 most quoted speakers of 2", "the 1 groups of numbers (conflicts first) of 2"]
    assert story["events"][0] == {"articles": ["a", "b"], "notes": ["1 more articles"]}
    assert speakers[0] == ("Kim", ["one"])


def test_a_story_page_reads_what_it_shows_as_the_full_report_has_it(tmp_path, examples):
    """The story page's window (listing fields, events, wire copy, quotations, the shown groups'
    claims) holds what the story's full report holds, for every story of the example corpus."""
    from lagebild.report.window import page_window, window_report
    from lagebild.store import Store, picture

    db = example_store(tmp_path, examples)
    untitled_article = {"text": "Nach dem Erdbeben in der Region sagte der Bürgermeister, die Lage sei ruhig. Es kamen 40 Helfer.", "outlet": "Lokalblatt"}
    (tmp_path / "untitled.jsonl").write_text(json.dumps(untitled_article, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run_cli("analyze", tmp_path / "untitled.jsonl", "--db", db, "--quiet").exit_code == 0
    with Store(db) as store:
        connection = store.connection
        story_ids = [row[0] for row in connection.execute("SELECT id FROM picture_stories")]
        untitled = 0
        for story_id in story_ids:
            full = window_report(connection, [story_id])
            for groups in (1, 60):
                page, count = page_window(connection, story_id, groups)
                assert count == len(full["disagreements"])
                assert page["disagreements"] == full["disagreements"][:groups]
                for name in ("stories", "events", "reuse", "quotes"):
                    assert page[name] == full[name], name
                shown = {claim_id for group in page["disagreements"] for claim_id in group["claim_ids"]}
                assert sorted(page["claims"], key=lambda c: c["id"]) == sorted((c for c in full["claims"] if c["id"] in shown), key=lambda c: c["id"])
                assert [a["id"] for a in page["articles"]] == [a["id"] for a in full["articles"]]
                for listed, whole in zip(page["articles"], full["articles"]):
                    assert {field: listed[field] for field in picture.ARTICLE_FIELDS} == {field: whole[field] for field in picture.ARTICLE_FIELDS}
                    if not whole["title"]:  # its lead names it on the page
                        assert listed == whole
                        untitled += 1
        assert len(story_ids) > 3 and untitled


def test_an_entitys_articles_are_the_same_looked_through_newest_first_or_read_and_ordered(tmp_path, examples):
    from lagebild.store import Store, views

    with Store(example_store(tmp_path, examples)) as store:
        connection = store.connection
        entities = views.entity_list(connection, limit=1000)
        assert max(entity["articles"] for entity in entities) > 3
        for entity in entities:
            names = [row[0] for row in connection.execute("SELECT name FROM picture_entity_names WHERE entity_id = ?", (entity["id"],))]
            for limit, offset in ((50, 0), (1, 0), (2, 1), (3, 4)):
                ordered = views._ordered_naming(connection, entity["id"], limit, offset)
                assert views._newest_naming(connection, names, limit, offset) == ordered == views.entity_articles(connection, entity["id"], limit, offset)
            assert len(views._ordered_naming(connection, entity["id"], 50, 0)) == entity["articles"]


def test_a_speakers_statements_page_by_page_are_the_newest_of_all_its_quotations(tmp_path, examples):
    from lagebild.store import Store, views
    from lagebild.store.picture import unpack

    with Store(example_store(tmp_path, examples)) as store:
        connection = store.connection
        every = connection.execute("SELECT speaker, seq, number, record FROM picture_quotes WHERE speaker IS NOT NULL").fetchall()
        speakers = {speaker for speaker, *_ in every}
        assert len(speakers) > 5
        for entity in views.entity_list(connection, limit=1000):
            names = [entity["name"], *entity["variants"]]
            newest = [unpack(record) for _, _, _, record in sorted((row for row in every if row[0] in names), key=lambda row: (-row[1], row[2]))]
            for limit, offset in ((100, 0), (1, 0), (2, 1), (3, 2)):
                assert views.statements_by(connection, names, limit, offset) == newest[offset : offset + limit]
        assert any(len(views.statements_by(connection, [speaker])) > 1 for speaker in speakers)


def test_an_entitys_page_quotes_others_about_it_from_its_newest_articles_first(tmp_path, examples, monkeypatch):
    from lagebild.serve import pages
    from lagebild.store import Store, picture, views

    with Store(example_store(tmp_path, examples)) as store:
        connection, about = store.connection, 0
        for entity in views.entity_list(connection, limit=1000):
            listed = views.entity_articles(connection, entity["id"], 50, 0)
            names = [name for name in {entity["name"], *entity["variants"]} if len(name) > 2]
            quoted = picture.quotes(connection, [article["id"] for article in listed])
            naming = [q for article in listed for q in quoted.get(article["id"], []) if q["speaker"] not in names and any(
                re.search(r"\b" + re.escape(name) + r"\b", q["text"]) for name in names)]
            for shown in (50, 1, 2):
                monkeypatch.setattr(pages, "ABOUT_SHOWN", shown)
                assert pages._about(connection, entity, listed) == naming[:shown]
            about += bool(naming)
        assert about > 2


def test_what_the_pages_read_is_found_through_indexes(tmp_path, examples):
    """No page or API call reads a whole table of the picture (a store of ten million articles)."""
    from lagebild.store import Store, views

    with Store(example_store(tmp_path, examples)) as store:
        connection, asked = store.connection, []
        story = views.story_cards(connection, views.active_story_ids(connection, None, None))[0]
        entity = views.entity_list(connection, limit=1)[0]
        connection.set_trace_callback(asked.append)
        views.active_story_ids(connection, None, None)
        views.story_cards(connection, [story.id])
        views.article_rows(connection, limit=5)
        views.article_rows(connection, story_id=story.id)
        listed = views.article_rows(connection, since="2026-03", until="2026-05")
        views.article(connection, listed[0]["id"])
        views.event_rows(connection, story_id=story.id)
        views.entity(connection, entity["id"])
        views.entity_by_name(connection, "Niemand Bekanntes")
        views.entity_articles(connection, entity["id"])
        views.statements_by(connection, [entity["name"], *entity["variants"]])
        connection.set_trace_callback(None)
        whole = []
        for statement in {query for query in asked if query.lstrip().upper().startswith("SELECT")}:
            plan = [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + statement)]
            whole += [(step, statement) for step in plan if step.startswith("SCAN ") and " USING " not in step]
    assert asked and not whole


def test_server_processes_each_listen_so_new_connections_reach_them_all_and_a_busy_port_fails():
    import select
    import socket

    from lagebild.serve.processes import _listen

    sockets = _listen("127.0.0.1", 0, 1)  # a free port
    port = sockets[0].getsockname()[1]
    sockets[0].close()
    sockets = _listen("127.0.0.1", port, 2)
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
    accepted = [0, 0]
    while sum(accepted) < len(clients):
        ready, _, _ = select.select(sockets, [], [], 5)
        assert ready, f"only {sum(accepted)} of {len(clients)} connections arrived"
        for listening in ready:
            listening.accept()[0].close()
            accepted[sockets.index(listening)] += 1
    assert min(accepted) > 0  # a burst of connections is not left to one process (40 all on one side: 2 ** -39)
    with pytest.raises(OSError):
        _listen("127.0.0.1", port, 2)  # a port in use fails at once, whoever holds it
    for connection in [*clients, *sockets]:
        connection.close()


def test_kept_answers_last_while_the_linked_picture_does_and_a_search_follows_the_stored_articles(tmp_path, examples):
    from lagebild.ingest.article import Article
    from lagebild.serve.kept import _state
    from lagebild.store import Store

    paths = ["/api/v1/articles/x", "/entities/y", "/api/v1/stories", "/search", "/api/v1/search"]
    text = "Der Stadtrat von Kiel hat am Dienstag einen neuen Radweg beschlossen."
    with Store(str(example_store(tmp_path, examples))) as store:
        before = {path: _state(store.connection, path) for path in paths}
        store.add_articles([Article("radweg", "-", "txt", text, text, 0, title="Radweg", credits=[], language="de")])  # stored, not linked
        after = {path: _state(store.connection, path) for path in paths}
    assert all(after[path] == before[path] for path in paths[:3])  # a POST no longer ends what is kept of the picture
    assert all(after[path] != before[path] for path in paths[3:])  # a search finds what is stored


def test_a_server_without_analysis_indexes_a_posted_article_for_search_at_once(tmp_path, examples, monkeypatch):
    from fastapi.testclient import TestClient

    from lagebild.serve.app import Settings, create_app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    article = {"title": "Radweg in Kiel", "text": "Der Stadtrat von Kiel hat am Dienstag einen neuen Radweg beschlossen.", "date": "2026-03-20"}
    with TestClient(create_app(Settings(db=example_store(tmp_path, examples), analyse=False, token="t"))) as client:
        assert client.post("/api/v1/articles", json=article, headers={"Authorization": "Bearer t"}).status_code == 201
        hits = client.get("/api/v1/search", params={"q": "Radweg"}).json()["items"]  # no analysis will come to index it
    assert [hit["title"] for hit in hits] == ["Radweg in Kiel"]
