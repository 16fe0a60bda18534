"""A window onto the store's situation picture: the report (contract v1) for some stories, read
from the picture tables (``store.picture``) without analysing anything again.

A window is a set of stories: those active between two days (an article of theirs dated in the
window), one story, or those a run's articles belong to. It carries every event of those stories,
every article of those events, and all their findings: the names, quotations, times and numbers
of those articles, the wire copy between them, and the numbers their sources compare. Its stories
stand in the order of their weight (``store.views.rank``, the order of the web app and the
listings), each with its weight, articles and sources.
"""

from __future__ import annotations

from collections import defaultdict

from lagebild.model import IngestSummary
from lagebild.report import Stream, build_report, materialised
from lagebild.store import picture, views


def window_report(connection, story_ids: list[str], run: IngestSummary | None = None, streamed: bool = False,
                  since: str | None = None, until: str | None = None) -> dict:
    """The report for these stories, heaviest first (in a window given by ``since`` and
    ``until``, by what they hold in it: ``views.story_cards``). ``streamed``: articles,
    times, quotations and claims as streams read from the store while the JSON is written
    (``report.write_json``), so that a window of any size never has to fit in memory."""
    article_ids = picture.article_ids(connection, story_ids)
    rows = _article_rows(connection, story_ids, read_once=not streamed)
    lists = {
        "stories": ranked_stories(connection, story_ids, since, until),
        "events": picture.events(connection, story_ids),
        "reuse": picture.reuse(connection, set(article_ids)),
        "entities": _entities(connection, rows()),
        "times": Stream(lambda: (time for _, found in rows() for time in found["times"])),
        "quotes": Stream(lambda: picture.quote_stream(connection, article_ids)),
        "claims": Stream(lambda: (claim for _, found in rows() for claim in found["claims"])),
        "disagreements": picture.disagreements(connection, story_ids),
    }
    report = build_report(Stream(lambda: (found["article"] for _, found in rows())), run or IngestSummary(), lists)
    report["new_since"] = None
    return report if streamed else materialised(report)


def page_window(connection, story_id: str, groups: int) -> tuple[dict, int]:
    """What a story's web page shows, read without what it does not (at 100,000 stored a running
    story's full report took 0.35 s of every first reading of its page): its articles' listing
    fields (the whole record only of an article without a title, whose lead names it), its
    events, wire copy and quotations, and the claims of its first ``groups`` groups of numbers;
    no names or times. A report's shape with those lists; and how many groups there are."""
    metas = picture.article_metas(connection, [story_id])
    untitled = picture.stored_records(connection, [article_id for article_id, meta in metas.items() if not meta["title"]])
    compared = picture.disagreements(connection, [story_id])
    shown = compared[:groups]
    claims, _ = picture.claims_by_id(connection, [story_id], {claim_id for group in shown for claim_id in group["claim_ids"]})
    report = {
        "articles": [untitled[article_id]["article"] if article_id in untitled else meta for article_id, meta in metas.items()],
        "stories": ranked_stories(connection, [story_id]),
        "events": picture.events(connection, [story_id]),
        "reuse": picture.reuse(connection, set(metas)),
        "quotes": list(picture.quote_stream(connection, list(metas))),
        "claims": list(claims.values()),
        "disagreements": shown,
    }
    return report, len(compared)


def _article_rows(connection, story_ids: list[str], read_once: bool):
    """A pass over the stories' (article id, findings) rows: read anew on every pass for a
    streamed report (its size need not fit in memory); read once and kept for a report made
    whole, which holds them all anyway (each of its four passes decoded every record again)."""
    if not read_once:
        return lambda: picture.articles(connection, story_ids)
    rows = list(picture.articles(connection, story_ids))
    return lambda: rows


def ranked_stories(connection, story_ids: list[str], since: str | None = None, until: str | None = None) -> list[dict]:
    """The stories' records heaviest first, each with what its weight is made of (in a window:
    its articles and sources in the window)."""
    cards = {card.id: card for card in views.story_cards(connection, story_ids, since=since, until=until)}
    order = {story_id: place for place, story_id in enumerate(cards)}
    records = sorted(picture.stories(connection, story_ids), key=lambda story: order.get(story["id"], len(order)))
    return [{**story, **_weighed(cards.get(story["id"]))} for story in records]


def _weighed(card: views.StoryCard | None) -> dict:
    if card is None:  # every linked story has a card; a report still shows a story without one
        return {}
    return {"weight": card.weight, "articles": card.articles, "sources": card.sources}


def _mention(article_id: str, start: int, end: int, text: str, role: bool) -> dict:
    record = {"article_id": article_id, "start": start, "end": end, "text": text}
    if role:
        record["role"] = True
    return record


def _entities(connection, rows) -> list[dict]:
    """The entities the window's articles name, with those mentions, most mentioned first."""
    named = [(article_id, mention) for article_id, found in rows for mention in found["mentions"]]
    entity_of = picture.entity_ids(connection, (mention[0] for _, mention in named))
    mentions: defaultdict[str, list[dict]] = defaultdict(list)
    for article_id, (name, start, end, text, role) in named:
        mentions[entity_of[name]].append(_mention(article_id, start, end, text, role))
    known = picture.entities(connection, mentions)
    found = [{**known[entity_id], "mentions": sorted(found, key=lambda m: (m["article_id"], m["start"]))} for entity_id, found in mentions.items()]
    return sorted(found, key=lambda entity: (-len(entity["mentions"]), entity["name"]))
