"""Feeds polled into the store (``lagebild watch``, ``lagebild serve --watch``): RSS and Atom feeds
and pages, listed in a file (one URL a line, or OPML) or added through the API.

Each poll is a conditional request (ETag, Last-Modified): an unchanged feed answers 304 and costs
nothing. Each entry is taken once (the store's ``feed_entries``); an entry that carries only a
teaser gets the text of the page it links to. A feed that fails (no answer, an HTTP error, bytes
that are no feed) is recorded with the reason and polled again later, the wait doubling with each
failure in a row; one failing feed never stops the others. What each feed last answered is kept
in the store's ``feeds`` table, so ``lagebild feeds`` and the server's feeds page show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from lagebild.ingest import DEFAULT_MAX_BYTES, read_bytes
from lagebild.model import Article, IngestProblem
from lagebild.store import Store
from lagebild.store import feeds as feed_table

USER_AGENT = "lagebild (news monitoring; https://github.com/lagebild)"
TIMEOUT_SECONDS = 20
TEASER_CHARS = 600  # an entry shorter than this with a link is a teaser: its page is fetched
MAX_BACKOFF_SECONDS = 6 * 3600  # a failing feed is polled at least this often


class TooLarge(Exception):
    pass


@dataclass
class FeedResult:
    """What one poll of one feed did, for the one line ``watch`` prints."""

    url: str
    status: str  # "new", "unchanged", "failed"
    added: int = 0
    entries: int = 0
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.url}: failed ({self.error})"
        if self.status == "unchanged":
            return f"{self.url}: unchanged"
        return f"{self.url}: {self.added} new article(s) of {self.entries} entries"


def read_feed_list(path: Path) -> tuple[list[str], list[str]]:
    """The feed URLs a file lists (one a line, ``#`` comments; or OPML's ``xmlUrl``), and a
    reason for every line that is no URL."""
    data = path.read_bytes()
    if data.lstrip()[:200].lower().startswith(b"<?xml") or b"<opml" in data[:500].lower():
        return _opml(data)
    urls, problems = [], []
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("http://", "https://")) and " " not in line:
            urls.append(line)
        else:
            problems.append(f"{path}:{number}: not a feed URL: {line[:80]}")
    return urls, problems


def _opml(data: bytes) -> tuple[list[str], list[str]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return [], [f"malformed OPML: {error}"]
    urls = [url.strip() for url in root.xpath("//outline/@xmlUrl") if url.strip().startswith(("http://", "https://"))]
    return list(dict.fromkeys(urls)), [] if urls else ["the OPML file lists no feed (no outline with an xmlUrl)"]


class Watcher:
    """Polls the store's feeds when they are due; ``seed``: URLs to add to them first."""

    def __init__(self, every: float, seed: list[str] = (), client: httpx.Client | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
        self.every = every
        self.seed = list(seed)
        self.client = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True, headers={"User-Agent": USER_AGENT})
        self.max_bytes = max_bytes
        self._next_due: datetime | None = None

    @classmethod
    def from_file(cls, path: Path, every: float) -> "Watcher":
        urls, _ = read_feed_list(path)
        return cls(every, urls)

    def poll_due(self, store: Store, now: datetime | None = None) -> list[FeedResult]:
        now = now or _now()
        if self.seed:
            feed_table.add(store.connection, self.seed, _stamp(now))
            self.seed = []
        results = [self._poll(store, feed, now) for feed in feed_table.due(store.connection, _stamp(now))]
        self._next_due = feed_table.next_due(store.connection)
        return results

    def seconds_to_next(self) -> float:
        if self._next_due is None:
            return self.every
        return max(0.0, (self._next_due - _now()).total_seconds())

    def _poll(self, store: Store, feed: dict, now: datetime) -> FeedResult:
        url = feed["url"]
        try:
            answer = self._get(url, _conditional(feed))
        except (httpx.HTTPError, TooLarge) as error:
            return self._failed(store, feed, now, _reason(error))
        if answer.status_code == 304:
            feed_table.succeeded(store.connection, url, _stamp(now), _stamp(now + timedelta(seconds=self.every)), None, None, 0)
            return FeedResult(url, "unchanged")
        if answer.status_code >= 400:
            return self._failed(store, feed, now, f"HTTP {answer.status_code}")
        found = list(read_bytes(url, answer.content))
        articles = [item for item in found if isinstance(item, Article)]
        problems = [item.reason for item in found if isinstance(item, IngestProblem)]
        if not articles and problems:
            return self._failed(store, feed, now, problems[0])
        added = self._take(store, url, articles, now)
        headers = answer.headers
        feed_table.succeeded(store.connection, url, _stamp(now), _stamp(now + timedelta(seconds=self.every)), headers.get("etag"), headers.get("last-modified"), added)
        return FeedResult(url, "new", added, len(articles), problems=problems)

    def _take(self, store: Store, url: str, articles: list[Article], now: datetime) -> int:
        """Store the entries not taken before (a teaser as its page's text); returns how many
        articles were new to the store."""
        keys = {_entry_key(article): article for article in articles}
        known = feed_table.taken(store.connection, url, list(keys))
        fresh = [(key, article) for key, article in keys.items() if key not in known]
        whole = [(key, self._whole(article)) for key, article in fresh]
        added = store.add_articles([article for _, article in whole])
        feed_table.take(store.connection, url, [(key, article.id) for key, article in whole], _stamp(now))
        return added

    def _whole(self, article: Article) -> Article:
        """The entry's article, or the linked page's when the entry is a teaser and the page says more."""
        if len(article.text) >= TEASER_CHARS or not article.url or not article.url.startswith(("http://", "https://")):
            return article
        try:
            answer = self._get(article.url, {})
        except (httpx.HTTPError, TooLarge):
            return article
        if answer.status_code >= 400:
            return article
        page = next((item for item in read_bytes(article.url, answer.content, kind="html") if isinstance(item, Article)), None)
        if page is None or len(page.text) <= len(article.text):
            return article
        page.title = page.title or article.title
        page.date = page.date or article.date
        page.outlet = page.outlet or article.outlet
        return page

    def _get(self, url: str, headers: dict) -> httpx.Response:
        """A GET that stops reading at ``max_bytes`` (a feed is never allowed to fill memory)."""
        with self.client.stream("GET", url, headers=headers) as answer:
            body = bytearray()
            for chunk in answer.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise TooLarge(f"over {self.max_bytes / 1_000_000:g} MB")
            return httpx.Response(answer.status_code, headers=answer.headers, content=bytes(body), request=answer.request)

    def _failed(self, store: Store, feed: dict, now: datetime, reason: str) -> FeedResult:
        failures = feed["failures"] + 1
        wait = min(MAX_BACKOFF_SECONDS, self.every * 2 ** min(failures, 16))
        feed_table.failed(store.connection, feed["url"], reason, _stamp(now), _stamp(now + timedelta(seconds=wait)))
        return FeedResult(feed["url"], "failed", error=reason)


def _conditional(feed: dict) -> dict:
    headers = {}
    if feed["etag"]:
        headers["If-None-Match"] = feed["etag"]
    if feed["last_modified"]:
        headers["If-Modified-Since"] = feed["last_modified"]
    return headers


def _entry_key(article: Article) -> str:
    """An entry's identity in its feed: its link (or id) as the feed reader recorded it."""
    return article.path.split("#", 1)[1] if "#" in article.path else article.url or article.id


def _reason(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}"[:200] if text else type(error).__name__


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
