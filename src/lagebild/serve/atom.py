"""Every list as an Atom feed (RFC 4287), so that a feed reader or a chat tool can follow it: the
stories now, one story's articles, an entity's articles, a search, a watch's matches.

Entries are articles (stories, on the story list), newest arrival first; each links to its page
here. Text is escaped as XML; nothing of an article is markup in a feed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from lagebild.serve.api import StoreDep, ranked
from lagebild.store import views

router = APIRouter(include_in_schema=False)

ENTRIES = 50
ATOM = "application/atom+xml; charset=utf-8"


def feed(request: Request, title: str, path: str, entries: list[dict]) -> Response:
    """entries: {"id", "title", "path", "updated", "summary"}."""
    base = str(request.base_url).rstrip("/")
    updated = max((entry["updated"] for entry in entries), default=_now())
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)} · Lagebild</title>",
        f"<id>{escape(base + path)}</id>",
        f"<link rel='self' href={quoteattr(base + str(request.url.path) + ('?' + request.url.query if request.url.query else ''))}/>",
        f"<link rel='alternate' type='text/html' href={quoteattr(base + path)}/>",
        f"<updated>{updated}</updated>",
        "<author><name>lagebild</name></author>",
    ]
    for entry in entries:
        lines += [
            "<entry>",
            f"<id>urn:lagebild:{escape(entry['id'])}</id>",
            f"<title>{escape(entry['title'])}</title>",
            f"<link href={quoteattr(base + entry['path'])}/>",
            f"<updated>{entry['updated']}</updated>",
            f"<summary>{escape(entry['summary'])}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return Response("\n".join(lines), media_type=ATOM)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(day: str | None) -> str:
    """An Atom timestamp for a day of the picture (undated: now, so readers still take it)."""
    return f"{day[:10]}T00:00:00Z" if day and len(day) >= 10 else _now()


def _article_entries(articles: list[dict]) -> list[dict]:
    return [
        {
            "id": f"article:{a['id']}",
            "title": a.get("title") or f"article {a['id']}",
            "path": f"/articles/{a['id']}",
            "updated": _stamp(a.get("date") or a.get("inferred_date")),
            "summary": " · ".join(part for part in (a.get("date"), a.get("outlet"), "/".join(a.get("credits") or [])) if part),
        }
        for a in articles
    ]



@router.get("/stories.atom")
def stories(request: Request, db: StoreDep) -> Response:
    cards = ranked(request, db, None, None)[:ENTRIES]
    entries = [
        {
            "id": f"story:{card.id}:{card.last_seq}",  # a story with new articles is a new entry
            "title": card.title,
            "path": f"/stories/{card.id}",
            "updated": _stamp(card.last_day),
            "summary": f"{card.articles} article(s) from {card.sources} source(s)" + (f", {card.conflicts} number(s) in conflict" if card.conflicts else ""),
        }
        for card in cards
    ]
    return feed(request, "Stories now", "/", entries)


@router.get("/stories/{story_id}.atom")
def story(request: Request, db: StoreDep, story_id: str) -> Response:
    card = views.story_cards(db.connection, [story_id])
    if not card:
        raise HTTPException(404, f"no story {story_id}")
    articles = views.article_rows(db.connection, story_id=story_id, limit=ENTRIES)
    return feed(request, card[0].title, f"/stories/{story_id}", _article_entries(articles))


@router.get("/entities/{entity_id}.atom")
def entity(request: Request, db: StoreDep, entity_id: str) -> Response:
    connection = db.connection
    found = views.entity(connection, entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return feed(request, found["name"], f"/entities/{entity_id}", _article_entries(views.entity_articles(connection, entity_id, ENTRIES)))


@router.get("/search.atom")
def search(request: Request, db: StoreDep, q: Annotated[str, Query(min_length=1, max_length=500)]) -> Response:
    hits = views.search(db.connection, q, ENTRIES)
    return feed(request, f"Search: {q}", f"/search?{urlencode({'q': q})}", _article_entries(hits))


@router.get("/watches/{watch_id}.atom")
def watch(request: Request, db: StoreDep, watch_id: int) -> Response:
    connection = db.connection
    found = views.watch(connection, watch_id)
    if found is None:
        raise HTTPException(404, f"no watch {watch_id}")
    return feed(request, found["name"], f"/watches/{watch_id}", _article_entries(views.watch_matches(connection, found, ENTRIES)))
