"""Report records for events and stories: membership, titles, cited summaries, a timeline from
article dates and the dated statements of their articles. An event's record is made from all its
articles; a story's from the records of all its events (so a run that touched one event of a
story makes that event again and reads the others)."""

from __future__ import annotations

import re
from collections import defaultdict

from lagebild.link.reuse import links_within, sentence_words

from lagebild.compose.summary import SUMMARY_SENTENCES, summarise
from lagebild.link.event_state import event_history
from lagebild.link.events import OnlineClusterer
from lagebild.model import Article, ReuseLink, Sentence
from lagebild.report.labels import HEADLINE_CHARACTERS, lead_headline
from lagebild.spans import ByStart


def event_records(
    clusterer: OnlineClusterer,
    documents: list[tuple[Article, list[Sentence]]],
    times: list[dict] | None = None,
    links: list[ReuseLink] | None = None,
    facts: dict[tuple[str, int], float] | None = None,
    summary_sentences: int = SUMMARY_SENTENCES,
) -> list[dict]:
    """The records of the events the documents' articles belong to (all of each event's articles
    among them), in time order."""
    by_id = {article.id: (article, sentences) for article, sentences in documents}
    dated = _dated_statements(times or [], by_id)
    members: dict[str, list[str]] = defaultdict(list)
    for article, _ in documents:
        members[clusterer.event_of[article.id]].append(article.id)
    events = [_event(event_id, article_ids, clusterer.story_of[event_id], by_id, dated) for event_id, article_ids in members.items()]
    merges, splits = event_history(clusterer, sorted(members))
    merged = merged_events(merges)
    split_from = split_origins(splits, merges)
    for event in events:
        event["merged_event_ids"] = merged.get(event["id"], [])
        event["split_from"] = split_from.get(event["id"])
    event_links = links_within(links or [], clusterer.event_of)
    for event in events:
        event["summary"] = summarise([by_id[a] for a in event["article_ids"]], event_links.get(event["id"], []), facts, summary_sentences)
    return sorted(events, key=lambda e: (_first_date(e), e["id"]))


def story_records(events: list[dict], story_merges: list[tuple[str, str]]) -> list[dict]:
    """The records of the stories of these events (every event of each story, in time order)."""
    story_events: dict[str, list[str]] = defaultdict(list)
    for event in events:
        story_events[event["story_id"]].append(event["id"])
    by_id = {event["id"]: event for event in events}
    summaries = {event["id"]: event["summary"] for event in events}
    merged_stories = merged_events(story_merges)
    return [
        {
            "id": story_id,
            "title": _story_title([by_id[e] for e in event_ids]),
            "event_ids": event_ids,
            "merged_story_ids": merged_stories.get(story_id, []),
            # the story in time order: the lead statement of each of its events
            "summary": [summaries[e][0] for e in event_ids if summaries[e]],
        }
        for story_id, event_ids in story_events.items()
    ]


def _story_title(events: list[dict]) -> str:
    """The title of the story's largest event (the earliest of equal size): what most of its
    articles report, where its first event may be a side issue that happened to start it."""
    return max(events, key=lambda event: len(event["article_ids"]))["title"]


def merged_events(merges: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Event (or story) id -> the ids of those that merged into it, through chains of merges."""
    into = dict(merges)
    merged: dict[str, list[str]] = defaultdict(list)
    for gone, _ in merges:
        merged[_final_id(gone, into)].append(gone)
    return dict(merged)


def history_notes(event: dict, events: dict[str, dict]) -> list[str]:
    """How later articles reshaped an event, in words: events merged into it, the event it split off."""
    notes = []
    if event.get("merged_event_ids"):
        notes.append(f"{len(event['merged_event_ids'])} event(s) merged into it")
    origin = events.get(event.get("split_from") or "")
    if origin is not None:
        notes.append(f"split off “{origin['title']}”")
    return notes


def split_origins(splits: list[tuple[str, str]], merges: list[tuple[str, str]]) -> dict[str, str]:
    """Event id -> the event it split off, by that event's final id; an event split off and
    later merged into another is no longer an event of its own (its merge is recorded)."""
    into = dict(merges)
    return {parted: _final_id(event_id, into) for event_id, parted in splits if parted not in into}


def _final_id(event_id: str, into: dict[str, str]) -> str:
    """The id an event is known by after a chain of merges (``into``: absorbed id -> absorbing id)."""
    while event_id in into:
        event_id = into[event_id]
    return event_id


def _event(event_id: str, article_ids: list[str], story_id: str, by_id: dict, dated: dict) -> dict:
    return {
        "id": event_id,
        "story_id": story_id,
        "article_ids": article_ids,
        "title": _titled(article_ids, by_id, first=event_id),
        "summary": [],
        "timeline": _timeline(article_ids, by_id),
        "dated_statements": _statements(article_ids, dated),
    }


_RESOLVED = re.compile(r"^\d{4}(-(\d{2}|SP|SU|FA|WI))?(-\d{2})?$")


def _dated_statements(times: list[dict], by_id: dict) -> dict[str, list[dict]]:
    """Per article: each sentence that names a resolved date (what happened when)."""
    found: dict[str, list[dict]] = defaultdict(list)
    body: dict[str, ByStart] = {}  # each article's sentences but headings, by start
    for time in times:
        if time["type"] != "DATE" or not _RESOLVED.match(time["value"]):
            continue
        if time["article_id"] not in body:
            body[time["article_id"]] = ByStart(s for s in by_id[time["article_id"]][1] if not s.is_heading)
        sentence = body[time["article_id"]].holding(time["start"])
        if sentence is not None:
            found[time["article_id"]].append({"date": time["value"], "text": sentence.text, "article_ids": [time["article_id"]]})
    return found


def _statements(article_ids: list[str], dated: dict) -> list[dict]:
    """Dated statements of an event's articles; one entry per date and wording, with every
    article that carries it (wire copy shows up once)."""
    merged: dict[tuple[str, str], dict] = {}
    for article_id in article_ids:
        for entry in dated.get(article_id, []):
            key = (entry["date"], " ".join(sentence_words(entry["text"])[:12]))
            if key in merged:
                if article_id not in merged[key]["article_ids"]:
                    merged[key]["article_ids"].append(article_id)
            else:
                merged[key] = {**entry, "article_ids": [article_id]}
    return sorted(merged.values(), key=lambda e: (e["date"], e["text"]))


def headline(article: Article, sentences: list[Sentence]) -> str:
    """The article's title; without one, a headline made from its lead sentence."""
    if article.title:
        return article.title
    return lead_headline(next((s.text for s in sentences if not s.is_heading), article.text[:HEADLINE_CHARACTERS * 2]))


def _titled(article_ids: list[str], by_id: dict, first: str) -> str:
    """A headline for a group of articles: the first article's title; failing that, the title of
    another (a title is written as a headline, a lead sentence is not); failing that, the first
    article's first sentence."""
    title = next((by_id[a][0].title for a in [first, *article_ids] if by_id[a][0].title), None)
    return title or headline(*by_id[first])


def _timeline(article_ids: list[str], by_id: dict) -> list[dict]:
    dated: dict[str | None, list[str]] = defaultdict(list)
    for article_id in article_ids:
        dated[by_id[article_id][0].date].append(article_id)
    return [
        {"date": day, "text": _titled(ids, by_id, first=ids[0]), "article_ids": ids}
        for day, ids in sorted(dated.items(), key=lambda item: item[0] or "9999")
    ]


def _first_date(event: dict) -> str:
    return next((entry["date"] for entry in event["timeline"] if entry["date"]), "9999")
