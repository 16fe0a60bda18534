"""The JSON API under ``/api/v1/``: the records of the JSON report contract (docs/report.md),
paged (``limit``, ``offset``) and filtered by day (``since``, ``until``: 2026-03-14 or 2026-03).
Writes (articles, watches) need the bearer token."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from collections.abc import Iterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from lagebild.ingest import POSTED_KINDS, read_posted
from lagebild.model import Article
from lagebild.report.window import window_report
from lagebild.serve.kept import kept_response
from lagebild.store import Store, views
from lagebild.store.picture import backwards, real_days

router = APIRouter(prefix="/api/v1", tags=["api"])

RANKED_CARD_SIZE = 300  # about what a ranked story's card takes, in characters of the kept answers
UPDATE_SECONDS = 1.0  # how often the update stream looks at the store
HEARTBEAT_SECONDS = 15.0  # a comment line that keeps proxies from closing a quiet stream

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Day = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="A day or month: 2026-03-14, 2026-03.")]


def store(request: Request) -> Iterator[Store]:
    with request.app.state.lagebild.borrowed() as db:
        yield db


StoreDep = Annotated[Store, Depends(store)]


def page(items: list, limit: int, offset: int) -> dict:
    return {"items": items, "limit": limit, "offset": offset, "next_offset": offset + limit if len(items) == limit else None}


def check_window(since: str | None, until: str | None) -> None:
    for value in (since, until):
        if value is not None and not real_days(value):
            raise HTTPException(422, f"not a day: {value!r} (use 2026-03-14 or 2026-03)")
    if backwards(since, until):
        raise HTTPException(422, f"since {since!r} is after until {until!r}: a window of no day")


@router.get("/status", summary="What the store holds, how far the picture has got, whether the analysis worker runs")
def status(request: Request, db: StoreDep) -> dict:
    return {**views.status(db.connection), "worker_alive": request.app.state.lagebild.worker_alive()}


@router.get("/stories", summary="Stories ranked by weight (sources, articles, recency; numbers in conflict and statements break ties)")
def stories(request: Request, db: StoreDep, since: Day = None, until: Day = None, limit: Limit = 50, offset: Offset = 0) -> dict:
    check_window(since, until)
    cards = ranked(request, db, since, until)
    return page([card.record() for card in cards[offset : offset + limit]], limit, offset)


def ranked(request: Request, db, since: str | None, until: str | None) -> tuple[views.StoryCard, ...]:
    """The stories of a window ranked as of the picture now (every reader of one picture shares
    one ranking; a new picture is ranked anew)."""
    server = request.app.state.lagebild
    key = ("ranking", server.settings.db, views.watermark(db.connection), since, until)
    found = server.kept.get(key)
    if found is None:
        found = tuple(views.story_cards(db.connection, views.active_story_ids(db.connection, since, until), since=since, until=until))
        server.kept.put(key, found, size=RANKED_CARD_SIZE * len(found))
    return found


@router.get("/stories/{story_id}", summary="One story: the JSON report of its window (events, articles, findings)")
def story(request: Request, db: StoreDep, story_id: str) -> Response:
    made = lambda: orjson.dumps(window_report(db.connection, [story_id]))  # noqa: E731
    return kept_response(request, story_key(request, db, "story.json", story_id), made, "application/json")


def story_key(request: Request, db, kind: str, story_id: str) -> tuple:
    """What a story's page or record is kept under: it stays as it is while its articles do (a
    new article or a merge changes their count or newest) and the code that linked them (pages
    kept on disk outlive the server); 404 if there is no such story."""
    card = views.story_cards(db.connection, [story_id])
    if not card:
        raise HTTPException(404, f"no story {story_id}")
    return (kind, request.app.state.lagebild.settings.db, story_id, card[0].articles, card[0].last_seq, views.linked_by(db.connection))


@router.get("/events", summary="Events in time order, of a story, of the stories in a window, or of the stories now")
def events(db: StoreDep, story_id: str | None = None, since: Day = None, until: Day = None, limit: Limit = 50, offset: Offset = 0) -> dict:
    check_window(since, until)
    return page(views.event_rows(db.connection, story_id=story_id, since=since, until=until, limit=limit, offset=offset), limit, offset)


@router.get("/articles", summary="Articles, newest arrival first (listing fields)")
def articles(db: StoreDep, since: Day = None, until: Day = None, story_id: str | None = None, limit: Limit = 50, offset: Offset = 0) -> dict:
    check_window(since, until)
    return page(views.article_rows(db.connection, since=since, until=until, story_id=story_id, limit=limit, offset=offset), limit, offset)


@router.get("/articles/{article_id}", summary="One article with its names, times, numbers and quotations")
def article(db: StoreDep, article_id: str) -> dict:
    found = views.article(db.connection, article_id)
    if found is None:
        stored = db.article(article_id)
        if stored is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return {"article": {"id": stored.id, "title": stored.title, "text": stored.text}, "analysed": False}
    return {**found, "analysed": True}


@router.post(
    "/articles",
    status_code=201,
    summary="Add articles: one JSON object or a list (the JSONL fields), JSON lines, an HTML page or plain text",
    responses={200: {"description": "Nothing new: every article was stored already"}, 400: {}, 401: {}, 403: {}, 413: {}, 415: {}},
)
async def add_articles(request: Request) -> JSONResponse:
    server = request.app.state.lagebild
    server.check_token(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in POSTED_KINDS:
        raise HTTPException(415, f"send one of {', '.join(POSTED_KINDS)}, not {media_type or 'no content type'}")
    body = await _body(request, server.settings.max_body)
    added, stored, problems = await run_in_threadpool(_store_posted, server, body, media_type)
    if added:
        server.wake_worker()
    if not added and not stored:
        raise HTTPException(400, "; ".join(problems) or "no article in the request")
    answer = {"added": added, "already_stored": stored, "problems": problems}
    return JSONResponse(answer, status_code=201 if added else 200)


async def _body(request: Request, limit: int) -> bytes:
    """The body, read up to ``limit`` bytes (a body without a length is counted as it comes)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _store_posted(server, body: bytes, media_type: str) -> tuple[list[str], list[str], list[str]]:
    with server.borrowed() as db:  # indexed for search in bulk by the analysis the POST wakes, if one runs
        return _store_articles(db, body, media_type, search_later=server.analysis is not None)


def _store_articles(db: Store, body: bytes, media_type: str, search_later: bool = False) -> tuple[list[str], list[str], list[str]]:
    name = f"api/{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S.%f')}"
    items = list(read_posted(name, body, media_type))
    found = [item for item in items if isinstance(item, Article)]
    problems = [f"{item.path}: {item.reason}" for item in items if not isinstance(item, Article)]
    known = db.known_ids([article.id for article in found])
    db.add_articles(found, search_later=search_later)
    added = list(dict.fromkeys(a.id for a in found if a.id not in known))
    return added, sorted({a.id for a in found} - set(added)), problems


@router.get("/entities", summary="Entities, most mentioned first")
def entities(db: StoreDep, type: Annotated[str | None, Query(pattern="^(PER|ORG|LOC|MISC)$")] = None, limit: Limit = 50, offset: Offset = 0) -> dict:
    return page(views.entity_list(db.connection, limit, offset, type), limit, offset)


@router.get("/entities/{entity_id}", summary="One entity: its names, the articles naming it, its statements")
def entity(db: StoreDep, entity_id: str, limit: Limit = 50, offset: Offset = 0) -> dict:
    found = views.entity(db.connection, entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return {
        **found,
        "article_list": views.entity_articles(db.connection, entity_id, limit, offset),
        "statements": views.statements_by(db.connection, [found["name"], *found["variants"]], limit, offset),
    }


@router.get("/statements", summary="Quotations with a speaker, of one speaker or in a window")
def statements(db: StoreDep, speaker: str | None = None, since: Day = None, until: Day = None, limit: Limit = 100, offset: Offset = 0) -> dict:
    check_window(since, until)
    if speaker:
        found = views.statements_by(db.connection, _spellings(db, speaker), limit, offset)
    else:
        from lagebild.store import picture

        keys = [(article_id, number) for _, number, article_id, _, _ in picture.attributed_quote_keys(db.connection, since, until, limit, offset)]
        records = picture.quote_records(db.connection, keys)
        found = [records[key] for key in keys]
    return page(found, limit, offset)


def _spellings(db: Store, speaker: str) -> list[str]:
    entity_id = views.entity_by_name(db.connection, speaker)
    found = views.entity(db.connection, entity_id) if entity_id else None
    return [speaker] + ([found["name"], *found["variants"]] if found else [])


@router.get("/claims", summary="The numbers one story's articles report")
def claims(db: StoreDep, story_id: str) -> dict:
    report = _story_report(db, story_id)
    return {"items": report["claims"], "disagreements": report["disagreements"]}


@router.get("/disagreements", summary="Numbers compared across sources, of a story or of the stories in a window")
def disagreements(db: StoreDep, story_id: str | None = None, since: Day = None, until: Day = None, limit: Limit = 100, offset: Offset = 0) -> dict:
    check_window(since, until)
    from lagebild.store import picture

    ids = [story_id] if story_id else views.active_story_ids(db.connection, since, until)
    return page(picture.disagreements(db.connection, ids, limit, offset), limit, offset)


def _story_report(db: Store, story_id: str) -> dict:
    if db.connection.execute("SELECT 1 FROM picture_stories WHERE id = ?", (story_id,)).fetchone() is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return window_report(db.connection, [story_id])


@router.get("/search", summary="The newest 1,000 articles with every word of q (title and text, any case and accents), best first")
def search(db: StoreDep, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 20, offset: Offset = 0) -> dict:
    hits = views.search(db.connection, q, limit, offset)
    for hit in hits:
        hit["snippet"] = hit["snippet"].replace("\x02", "").replace("\x03", "")
    return page(hits, limit, offset)


@router.get("/feeds", summary="The feeds polled: last success, last error, articles taken")
def feeds(db: StoreDep) -> dict:
    return {"items": views.feeds(db.connection)}


# no control characters in what a watch or feed is named by: they are no text, and a NUL cannot
# be stored in PostgreSQL
_PLAIN = r"^[^\x00-\x1f\x7f]*$"


class FeedIn(BaseModel):
    url: str = Field(min_length=10, max_length=2000, pattern=r"^https?://[^\s\x00-\x1f\x7f]+$")


@router.post("/feeds", status_code=201, summary="Add a feed (RSS, Atom or a page) for the server to poll", responses={200: {}, 401: {}, 403: {}})
def add_feed(request: Request, feed: FeedIn, db: StoreDep) -> JSONResponse:
    request.app.state.lagebild.check_token(request)
    added = views.add_feed(db.connection, feed.url, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    if added:
        request.app.state.lagebild.wake_worker()
    return JSONResponse({"url": feed.url, "added": added}, status_code=201 if added else 200)


class WatchIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=_PLAIN)
    entities: list[Annotated[str, Field(max_length=200, pattern=_PLAIN)]] = Field(default_factory=list, max_length=50)
    words: list[Annotated[str, Field(max_length=100, pattern=_PLAIN)]] = Field(default_factory=list, max_length=20)
    outlet: str | None = Field(default=None, max_length=200, pattern=_PLAIN)


@router.get("/watches", summary="Saved watches")
def watches(db: StoreDep) -> dict:
    return {"items": views.watches(db.connection)}


@router.post("/watches", status_code=201, summary="Save a watch: entities, words, an outlet", responses={401: {}, 403: {}, 409: {}})
def add_watch(request: Request, watch: WatchIn, db: StoreDep) -> dict:
    request.app.state.lagebild.check_token(request)
    if not (watch.entities or watch.words or watch.outlet):
        raise HTTPException(422, "a watch needs entities, words or an outlet")
    if any(found["name"] == watch.name for found in views.watches(db.connection)):
        raise HTTPException(409, f"a watch named {watch.name!r} exists")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {"id": views.add_watch(db.connection, watch.name, watch.entities, watch.words, watch.outlet, now)}


@router.get("/watches/{watch_id}", summary="A watch's newest matches")
def watch_matches(db: StoreDep, watch_id: int, limit: Limit = 50) -> dict:
    found = views.watch(db.connection, watch_id)
    if found is None:
        raise HTTPException(404, f"no watch {watch_id}")
    return {**found, "items": views.watch_matches(db.connection, found, limit)}


@router.get("/updates", summary="Server-sent events: the picture's watermark whenever it changes")
async def updates(request: Request) -> StreamingResponse:
    server = request.app.state.lagebild

    async def events():
        last, quiet = None, 0.0
        while not await request.is_disconnected():
            now = await run_in_threadpool(_status, server)
            if now["linked_seq"] != last:
                last, quiet = now["linked_seq"], 0.0
                yield f"event: picture\ndata: {json.dumps(now)}\n\n"
            elif quiet >= HEARTBEAT_SECONDS:
                quiet = 0.0
                yield ": still here\n\n"
            await asyncio.sleep(UPDATE_SECONDS)
            quiet += UPDATE_SECONDS

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def _status(server) -> dict:
    with server.borrowed() as db:
        return views.status(db.connection)
