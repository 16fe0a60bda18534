"""The report as Markdown, for pasting into a briefing: what is new (when asked), then per story
(heaviest first) its events, each with its cited summary, the numbers compared, and who said
what; then the other reports (a story of one article each), one line apiece.

Article text is untrusted: every piece of it is escaped (``_md``), so that wherever the briefing
is rendered it stays text: no link, image, emphasis, code, table or HTML of its own.
"""

from __future__ import annotations

import re

from lagebild.report.html import article_title, split_stories, web_address
from lagebild.report.labels import source_label
from lagebild.store.picture import window

_MARKS = {"de": ("„", "“"), "en": ("“", "”")}  # quotation marks as the quotation's language writes them
_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")  # inline markup; article text never starts a line here


def _md(text: str) -> str:
    """Article text as Markdown text: its markup characters escaped, its line breaks spaces."""
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def write_markdown(report: dict, destination, since: str | None = None, until: str | None = None) -> None:
    destination.write(render(report, since, until))


def render(report: dict, since: str | None = None, until: str | None = None) -> str:
    """The briefing; of a window of days (``since``, ``until``), the events, numbers and
    quotations of the window's articles, each story's events before and after it in a line."""
    articles = {article["id"]: article for article in report["articles"]}
    events = {event["id"]: event for event in report["events"]}
    story_of = {a: e["story_id"] for e in report["events"] for a in e["article_ids"]}
    shown = _in_window(articles, since, until)
    lines = [f"# Lagebild ({len(articles)} articles)", "", *_new_since(report.get("new_since"), articles)]
    ranked, others = split_stories(report)
    for story in ranked:
        lines += [f"## {_md(story['title'])}", ""]
        outside: list[dict] = []  # events of the story told in a line, a run at a time
        for event in (events[event_id] for event_id in story["event_ids"]):
            if not any(a in shown for a in event["article_ids"]):
                outside.append(event)
                continue
            lines += _events_outside(outside, story["id"])
            outside = []
            day = next((entry["date"] for entry in event["timeline"] if entry["date"]), "undated")
            lines += [f"### {_md(day)}: {_md(event['title'])}", ""]
            lines += [f"- {_md(sentence['text'])} {_cite(sentence['article_ids'], articles)}" for sentence in event["summary"]]
            lines.append("")
        lines += _events_outside(outside, story["id"])
        lines += _numbers(report, story["id"], story_of, articles, shown)
        lines += _quotes(report, story["id"], story_of, articles, shown)
    lines += _other_reports([articles[events[story["event_ids"][0]]["article_ids"][0]] for story in others])
    return "\n".join(lines).rstrip() + "\n"


def _in_window(articles: dict, since: str | None, until: str | None) -> set[str]:
    """The articles dated in the window (undated ones by the date their event gives them); all
    of them where no window is given."""
    if not since and not until:
        return set(articles)
    first, last = window(since, until)
    return {article_id for article_id, article in articles.items() if first <= (article["date"] or article.get("inferred_date") or "")[:10] <= last}


def _events_outside(outside: list[dict], story_id: str) -> list[str]:
    """One line for a run of a story's events with no article in the window: how many, when."""
    if not outside:
        return []
    days = sorted(entry["date"] for event in outside for entry in event["timeline"] if entry["date"])
    span = f", {_md(days[0])} to {_md(days[-1])}" if days else ""
    return [f"*{len(outside)} more event(s) of this story outside these days{span} (lagebild report --story {_md(story_id)})*", ""]


def _other_reports(singles: list[dict]) -> list[str]:
    """One line per article that is a story of its own: title, source, date, where published
    (the address as text, escaped like every other piece of article text)."""
    if not singles:
        return []
    lines = ["## Other reports", ""]
    for article in singles:
        where = f" {_md(web_address(article))}" if web_address(article) else ""
        lines.append(f"- {_md(article_title(article))} \\[{_md(source_label(article))}, {_md(_date(article))}\\]{where}")
    return lines + [""]


def _new_since(new: dict | None, articles: dict) -> list[str]:
    if not new:
        return []
    lines = [f"## New since {_md(new['since'])}", ""]
    lines += [f"- {_md(sentence['text'])} {_cite([sentence['article_id']], articles)}" for sentence in new["sentences"]]
    return lines + [""] if new["sentences"] else lines + ["Nothing that earlier articles do not already tell.", ""]


def _cite(article_ids: list[str], articles: dict) -> str:
    return " ".join(f"\\[{_md(source_label(articles[a]))}, {_md(_date(articles[a]))}\\]" for a in article_ids)


def _date(article: dict) -> str:
    if article["date"]:
        return article["date"]
    return f"≈{article['inferred_date']}" if article.get("inferred_date") else "undated"


def _numbers(report: dict, story_id: str, story_of: dict, articles: dict, shown: set[str]) -> list[str]:
    claims = {claim["id"]: claim for claim in report["claims"]}
    lines = []
    for group in report["disagreements"]:
        members = [claims[i] for i in group["claim_ids"]]
        if story_of.get(members[0]["article_id"]) != story_id or not any(c["article_id"] in shown for c in members):
            continue
        values = "; ".join(f"{_md(c['text'])} {_cite([c['article_id']], articles)}" for c in members)
        lines.append(f"- **{_md(group['about'])}** ({group['kind']}): {values}")
    return ["Numbers compared:", "", *lines, ""] if lines else []


def _quotes(report: dict, story_id: str, story_of: dict, articles: dict, shown: set[str]) -> list[str]:
    statements: dict[str, list[dict]] = {}  # each statement once, cited by every article that quotes it
    for quote in report["quotes"]:
        if quote["direct"] and quote["speaker"] and story_of.get(quote["article_id"]) == story_id and quote["article_id"] in shown:
            statements.setdefault(quote["statement_id"] or f"{quote['article_id']}:{quote['start']}", []).append(quote)
    lines = []
    for versions in statements.values():
        first = versions[0]
        via = f" (via {_md(first['via'])})" if first["via"] else ""
        opening, closing = _MARKS.get(articles[first["article_id"]].get("language"), _MARKS["de"])
        lines.append(f"- {_md(first['speaker'])}{via}: {opening}{_md(first['text'])}{closing} {_cite(list(dict.fromkeys(q['article_id'] for q in versions)), articles)}")
    return ["Who said what:", "", *lines, ""] if lines else []
