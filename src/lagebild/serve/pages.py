"""The web app's pages, rendered on the server in the HTML report's look (its templates and
views, ``report.html``), every value escaped; they work without JavaScript.

The front page ranks the stories active now and marks those with articles new since the reader's
last visit (a cookie holding the picture's watermark then); a story page is its window of the
picture (``report.window``); an article page shows its text with every finding marked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from importlib.resources import files
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lagebild.report.html import _escaped, article_view, quotes_view, reuse_view, sources_of, spans_by_article, stories_view
from lagebild.report.timeline_svg import story_timeline_svg
from lagebild.report.window import page_window
from lagebild.serve import atom
from lagebild.serve.api import Day, Limit, Offset, StoreDep, check_window, ranked, story_key
from lagebild.serve.kept import kept_response
from lagebild.store import picture, views

router = APIRouter(include_in_schema=False)
router.include_router(atom.router)  # first: "/stories/ID.atom" is a feed, not the story "ID.atom"

SEEN_COOKIE = "lagebild_seen"
PAGE_SIZE = 30
_TEMPLATES = Environment(
    loader=ChoiceLoader([PackageLoader("lagebild", "serve/templates"), PackageLoader("lagebild", "report/templates")]),
    autoescape=True,
    finalize=_escaped,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request: Request, db, template: str, title: str, **values) -> str:
    linked = views.watermark(db.connection)
    return _TEMPLATES.get_template(template).render(title=title, linked=linked, q=values.pop("q", ""), feed=values.pop("feed", None), **values)


def error_page(request: Request, status: int, reason: str) -> str:
    try:
        with request.app.state.lagebild.borrowed() as db:
            return render(request, db, "error.html", f"{status}", status=status, reason=reason)
    except Exception:  # noqa: BLE001 - the store itself may be what failed
        return f"<!doctype html><title>{status}</title><p>{escape(reason)}</p>"



@router.get("/", response_class=HTMLResponse)
def front(request: Request, db: StoreDep, since: Day = None, until: Day = None, offset: Offset = 0) -> Response:
    """The stories now, those new since the reader's last visit marked: made once for each picture
    and last visit (readers of one picture who came after its last change share one page; at
    100,000 stored it is 1 MB of HTML), the visit noted in a cookie."""
    check_window(since, until)
    linked, seen = views.watermark(db.connection), _seen(request)
    key = ("front", request.app.state.lagebild.settings.db, linked, seen, request.url.query)
    response = kept_response(request, key, lambda: _front_page(request, db, seen, since, until, offset), "text/html; charset=utf-8", shared=False)
    if "x-lagebild-live" not in request.headers:  # a live refresh is not a visit
        response.set_cookie(SEEN_COOKIE, str(linked), max_age=365 * 86400, httponly=True, samesite="strict")
    return response


def _front_page(request: Request, db, seen: int, since: str | None, until: str | None, offset: int) -> str:
    connection = db.connection
    cards = ranked(request, db, since, until)
    several = [card for card in cards if card.articles > 1]
    single = [card for card in cards if card.articles == 1]
    shown = several[offset : offset + PAGE_SIZE]
    timelines = _timelines(request, connection, shown)
    return render(request, db, "front.html", "Stories now",
        stories=[_card(card, timelines, seen) for card in shown],
        single=[_card(card, {}, seen) for card in single[:PAGE_SIZE]],
        single_total=len(single),
        fresh=sum(1 for card in cards if seen and card.last_seq > seen),
        seen=seen,
        window={"since": since, "until": until},
        more=_more(request, offset + PAGE_SIZE) if offset + PAGE_SIZE < len(several) else None,
        feed="/stories.atom",
    )  # fmt: skip


def _seen(request: Request) -> int:
    value = request.cookies.get(SEEN_COOKIE, "")
    return int(value) if value.isdigit() else 0


def _timelines(request: Request, connection, cards: list) -> dict[str, Markup]:
    """The small timelines of the front page's stories, each drawn once while its story stays as it is."""
    kept, db = request.app.state.lagebild.kept, request.app.state.lagebild.settings.db
    keys = {card.id: ("timeline", db, card.id, card.articles, card.last_seq) for card in cards}
    found = {story_id: Markup(drawn) for story_id, key in keys.items() if (drawn := kept.get(key)) is not None}
    by_story: dict[str, list[dict]] = {}
    for event in picture.events(connection, [story_id for story_id in keys if story_id not in found]):
        by_story.setdefault(event["story_id"], []).append(event)
    for story_id, events in by_story.items():
        found[story_id] = Markup(kept.put(keys[story_id], story_timeline_svg(events)))
    return found


def _card(card, timelines: dict, seen: int) -> dict:
    days = " – ".join(dict.fromkeys(day for day in (card.first_day, card.last_day) if day)) or "undated"
    return {**card.record(), "days": days, "timeline": timelines.get(card.id, ""), "new": bool(seen) and card.last_seq > seen}


def _more(request: Request, offset: int) -> str:
    query = dict(request.query_params)
    query["offset"] = str(offset)
    return f"{request.url.path}?{urlencode(query)}"


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, db: StoreDep, story_id: str) -> Response:
    return kept_response(request, story_key(request, db, "story.html", story_id), lambda: _story_page(request, db, story_id), "text/html; charset=utf-8")


def _story_page(request: Request, db, story_id: str) -> str:
    report, groups = page_window(db.connection, story_id, SHOWN["groups"])
    sources = sources_of(report["articles"], href="/articles/")
    shown = stories_view(report, sources)[0]
    articles = sorted(report["articles"], key=lambda a: (a["date"] or "", a["id"]), reverse=True)
    speakers, reuse = quotes_view(report["quotes"], sources), reuse_view(report["reuse"], sources)
    left_out = _shorten(shown, speakers, reuse, articles, groups)
    return render(request, db, "story.html", shown["title"], story=shown,
        speakers=speakers[:SHOWN["speakers"]],
        reuse=reuse[:SHOWN["pairs"]],
        articles=[{**sources[a["id"]], "date": a["date"], "outlet": a["outlet"]} for a in articles[:SHOWN["articles"]]],
        left_out=left_out, story_id=story_id,
        feed=f"/stories/{story_id}.atom",
    )  # fmt: skip


# A story page shows at most this much (a running story of thousands of articles would make a page
# of many megabytes); what it leaves out is said on the page, and the API has all of it.
SHOWN = {"articles": 200, "speakers": 50, "statements": 20, "pairs": 100, "groups": 60, "event_links": 40}


def _shorten(story: dict, speakers: list, reuse: list, articles: list, groups: int) -> list[str]:
    """Cut the story's long lists in place (events' article links, each speaker's statements; the
    groups of numbers come cut, ``groups`` of them in all); what the page leaves out, said in words."""
    for event in story["events"]:
        if len(event["articles"]) > SHOWN["event_links"]:
            event["notes"] = [*event["notes"], f"{len(event['articles']) - SHOWN['event_links']} more articles"]
            event["articles"] = event["articles"][: SHOWN["event_links"]]
    for _, statements in speakers[: SHOWN["speakers"]]:
        del statements[SHOWN["statements"] :]
    counts = {"articles": len(articles), "speakers": len(speakers), "pairs": len(reuse), "groups": groups}
    names = {"articles": "newest articles", "speakers": "most quoted speakers", "pairs": "pairs of wire copy", "groups": "groups of numbers (conflicts first)"}
    return [f"the {SHOWN[kind]} {names[kind]} of {count:,}" for kind, count in counts.items() if count > SHOWN[kind]]


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, db: StoreDep, article_id: str) -> str:
    connection = db.connection
    found = views.article(connection, article_id)
    if found is None:
        raise HTTPException(404, f"no analysed article {article_id}")
    record = found["article"]
    partners = [other for sentence in record.get("sentences") or [] for other in sentence.get("shared_with") or []]
    numbers = {other: number for number, other in enumerate(dict.fromkeys([article_id, *partners]), start=1)}
    report = _article_report(connection, found)
    shown = article_view(record, numbers, spans_by_article(report)[article_id], href="/articles/")
    meta = picture.article_meta(connection, numbers)
    return render(request, db, "article_page.html", shown["title"], article=shown,
        story_id=found["story_id"],
        entities=_named(report["entities"]),
        quotes=found["quotes"],
        claims=found["claims"],
        partners=[{"id": other, "number": numbers[other], "title": (meta.get(other) or {}).get("title") or other} for other in numbers if other != article_id],
    )  # fmt: skip


def _article_report(connection, found: dict) -> dict:
    """The parts of a report that mark an article's text: its names (as entities), times,
    quotations and numbers."""
    article_id = found["article"]["id"]
    entity_of = picture.entity_ids(connection, (mention[0] for mention in found["mentions"]))
    known = picture.entities(connection, entity_of.values())
    by_entity: dict[str, dict] = {}
    for name, start, end, text, _ in found["mentions"]:
        entity = known.get(entity_of.get(name, ""))
        if entity:
            by_entity.setdefault(entity["id"], {**entity, "mentions": []})["mentions"].append({"article_id": article_id, "start": start, "end": end, "text": text})
    return {"entities": list(by_entity.values()), "times": found["times"], "quotes": found["quotes"], "claims": found["claims"]}


def _named(entities: list[dict]) -> list[dict]:
    return sorted(({"id": e["id"], "name": e["name"], "type": e["type"], "count": len(e["mentions"])} for e in entities), key=lambda e: (-e["count"], e["name"]))


@router.get("/entities", response_class=HTMLResponse)
def entity_list(request: Request, db: StoreDep, offset: Offset = 0) -> str:
    found = views.entity_list(db.connection, PAGE_SIZE * 2, offset)
    more = _more(request, offset + PAGE_SIZE * 2) if len(found) == PAGE_SIZE * 2 else None
    return render(request, db, "entities.html", "Entities", entities=found, more=more)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, db: StoreDep, entity_id: str, offset: Offset = 0) -> str:
    connection = db.connection
    found = views.entity(connection, entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id}")
    listed = views.entity_articles(connection, entity_id, PAGE_SIZE, offset)
    by_it = views.statements_by(connection, [found["name"], *found["variants"]], 50)
    return render(request, db, "entity.html", found["name"], entity=found, articles=listed,
        statements=_statements(connection, by_it),
        about=_statements(connection, _about(connection, found, listed)),
        more=_more(request, offset + PAGE_SIZE) if len(listed) == PAGE_SIZE else None,
        feed=f"/entities/{entity_id}.atom",
    )  # fmt: skip


ABOUT_SHOWN = 50  # quotations about an entity on its page


def _about(connection, entity: dict, listed: list[dict]) -> list[dict]:
    """Quotations in the listed articles that name the entity in their own words, not its own:
    the first ABOUT_SHOWN, the newest article's first."""
    names = [name for name in {entity["name"], *entity["variants"]} if len(name) > 2]
    if not names:
        return []
    pattern = re.compile("|".join(r"\b" + re.escape(name) + r"\b" for name in names))
    ids = [article["id"] for article in listed]
    quoted = picture.quotes(connection, ids)
    return [q for article_id in ids for q in quoted.get(article_id, []) if pattern.search(q["text"]) and q["speaker"] not in names][:ABOUT_SHOWN]


def _statements(connection, quotes: list[dict]) -> list[dict]:
    meta = picture.article_meta(connection, {q["article_id"] for q in quotes})
    return [{**q, "date": (meta.get(q["article_id"]) or {}).get("date"), "title": (meta.get(q["article_id"]) or {}).get("title") or q["article_id"]} for q in quotes]


@router.get("/speakers/{speaker}", response_class=HTMLResponse)
def speaker(request: Request, db: StoreDep, speaker: Annotated[str, Path(max_length=200)]) -> str:
    connection = db.connection
    entity_id = views.entity_by_name(connection, speaker)
    found = views.entity(connection, entity_id) if entity_id else None
    names = [speaker] + ([found["name"], *found["variants"]] if found else [])
    statements = _statements(connection, views.statements_by(connection, names, 200))
    return render(request, db, "speaker.html", speaker, speaker=speaker, entity=found, statements=statements)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, db: StoreDep, q: Annotated[str, Query(max_length=500)] = "", offset: Offset = 0) -> str:
    hits = views.search(db.connection, q, PAGE_SIZE, offset) if q.strip() else []
    for hit in hits:
        hit["snippet"] = Markup(escape(hit["snippet"]).replace("\x02", "<mark>").replace("\x03", "</mark>"))
    more = _more(request, offset + PAGE_SIZE) if len(hits) == PAGE_SIZE else None
    feed = f"/search.atom?{urlencode({'q': q})}" if q.strip() else None
    return render(request, db, "search.html", f"Search: {q}" if q else "Search", q=q, hits=hits, more=more, feed=feed)


@router.get("/feeds", response_class=HTMLResponse)
def feed_list(request: Request, db: StoreDep) -> str:
    return render(request, db, "feeds.html", "Feeds", feeds=views.feeds(db.connection))


@router.get("/watches", response_class=HTMLResponse)
def watch_list(request: Request, db: StoreDep) -> str:
    return render(request, db, "watches.html", "Watches", watches=views.watches(db.connection))


@router.get("/watches/{watch_id}", response_class=HTMLResponse)
def watch(request: Request, db: StoreDep, watch_id: int, limit: Limit = PAGE_SIZE) -> str:
    connection = db.connection
    found = views.watch(connection, watch_id)
    if found is None:
        raise HTTPException(404, f"no watch {watch_id}")
    return render(request, db, "watch.html", found["name"], watch=found, articles=views.watch_matches(connection, found, limit), feed=f"/watches/{watch_id}.atom")


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request, db: StoreDep) -> str:
    """The API's OpenAPI description as a page (Swagger UI would load a script from a CDN)."""
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "parameters": [p["name"] for p in op.get("parameters", [])]}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    return render(request, db, "docs.html", "API", operations=operations, version=schema["info"].get("version", ""))



@router.get("/static/style.css", include_in_schema=False)
def style() -> HTMLResponse:
    return HTMLResponse(_style(), media_type="text/css")


@lru_cache(maxsize=1)
def _style() -> str:
    return (files("lagebild") / "report" / "templates" / "style.css").read_text(encoding="utf-8") + (files("lagebild") / "serve" / "static" / "serve.css").read_text(encoding="utf-8")
