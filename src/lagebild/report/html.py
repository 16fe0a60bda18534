"""The HTML report: one self-contained file, no network, every piece of article text escaped.

It renders the JSON report, so it shows exactly what the JSON says: what is new (when asked), the
story list, per story its timeline picture, events with cited summaries and the numbers compared,
then wire copy, entities, quotes by speaker, and every article readable with its extracted spans
(names, times, quotations, numbers) and its wire-copy and own sentences marked.

The page's markup lives in Jinja2 templates (``report/templates``: ``page.html`` includes the
stories, quotes and article parts; ``macros.html`` holds the article link and the quoted
statement), rendered with autoescaping; the functions here only prepare the data. Every value a
template prints is escaped by ``html.escape`` (the environment's ``finalize``), so the page is the
same text as before the templates; two fragments are built in Python and enter as ``Markup``: the
article body with its spans marked (``_body``, over character offsets, escaping the text between
the tags) and the timeline SVG (``timeline_svg``, which escapes its labels).
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lagebild.report.events import history_notes
from lagebild.report.timeline_svg import story_timeline_svg


def _escaped(value) -> Markup:
    """Every printed value escaped as the page always escaped it (``&#x27;``, ``&quot;``);
    Markup (a macro's output, the marked body, the SVG) is already HTML."""
    return value if hasattr(value, "__html__") else Markup(escape(str(value)))


_TEMPLATES = Environment(
    loader=PackageLoader("lagebild", "report/templates"),
    autoescape=True,
    finalize=_escaped,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def write_html(report: dict, destination) -> None:
    destination.write(render(report))


def render(report: dict) -> str:
    articles = report["articles"]
    sources = sources_of(articles)
    numbers = {article["id"]: number for number, article in enumerate(articles, start=1)}
    spans = spans_by_article(report)
    return _TEMPLATES.get_template("page.html").render(
        generated_at=report["lagebild"]["generated_at"],
        skipped=report["run"]["skipped"],
        new=_new_since(report.get("new_since"), sources),
        stories=stories_view(report, sources),
        reuse=reuse_view(report["reuse"], sources),
        entities=_entities(report["entities"]),
        speakers=quotes_view(report["quotes"], sources),
        articles=[
            article_view(article, numbers, spans[article["id"]]) for article in sorted(articles, key=lambda a: a["date"] or "", reverse=True)
        ],
    )


def sources_of(articles, href: str = "#a-") -> dict[str, dict]:
    """What a link to each article shows: its title (or the start of its first sentence) and
    credits; ``href`` is what its id follows in the link (an anchor in the report, a page in the
    service)."""
    return {
        article["id"]: {"id": article["id"], "href": href + article["id"], "label": article["title"] or _first_sentence(article)[:60], "credits": article["credits"]}
        for article in articles
    }


def reuse_view(links: list[dict], sources: dict) -> list[tuple]:
    return [
        (
            *(sources[i] for i in link["article_ids"]),
            {"a->b": "→", "b->a": "←"}.get(link["direction"], "↔"),
            link.get("direction_reason"),
            link,
        )
        for link in links
    ]


def _new_since(new: dict | None, sources: dict) -> dict | None:
    """What is new since the moment or report the reader gave, grouped by article."""
    if not new:
        return None
    by_article: dict[str, list[str]] = defaultdict(list)
    for sentence in new["sentences"]:
        by_article[sentence["article_id"]].append(sentence["text"])
    return {
        "since": new["since"],
        "articles": len(new["new_article_ids"]),
        "known": new["known_articles"],
        "sentences": len(new["sentences"]),
        "by_article": [(sources[article_id], texts) for article_id, texts in by_article.items()],
    }


def stories_view(report: dict, sources: dict) -> list[dict]:
    """Per story: its timeline picture, its events in time order (each with its articles, history
    notes and cited summary) and the groups of numbers its sources report."""
    events = {event["id"]: event for event in report["events"]}
    stories = []
    for story in report["stories"]:
        story_events = [events[event_id] for event_id in story["event_ids"]]
        members = {article_id for event in story_events for article_id in event["article_ids"]}
        stories.append({
            "id": story["id"],
            "title": story["title"],
            "counts": _story_counts(story, events),
            "timeline": Markup(story_timeline_svg(story_events)),
            "events": [_event(event, events, sources) for event in story_events],
            "claims": _claims(report, sources, members),
        })
    return stories


def _event(event: dict, events: dict, sources: dict) -> dict:
    """The event's day, title, articles and history; its summary sentences with the articles that carry each."""
    return {
        "day": next((entry["date"] for entry in event["timeline"] if entry["date"]), "undated"),
        "title": event["title"],
        "articles": [sources[article_id] for article_id in event["article_ids"]],
        "notes": history_notes(event, events),
        "summary": [(sentence["text"], [sources[a] for a in sentence["article_ids"]]) for sentence in event["summary"]],
    }


def _story_counts(story: dict, events: dict) -> str:
    counts = [f"{len(story['event_ids'])} event(s)", f"{sum(len(events[e]['article_ids']) for e in story['event_ids'])} article(s)"]
    if story.get("merged_story_ids"):
        counts.append(f"{len(story['merged_story_ids'])} story(ies) merged into it")
    return ", ".join(counts)


def quotes_view(quotes: list[dict], sources: dict) -> list[tuple[str, list[dict]]]:
    """Who said what, by speaker (most quoted first): each statement once, with its versions."""
    by_speaker: dict[str, dict[str, list[dict]]] = {}
    for quote in quotes:
        if quote["speaker"]:
            statement = quote["statement_id"] or f"{quote['article_id']}:{quote['start']}"
            by_speaker.setdefault(quote["speaker"], {}).setdefault(statement, []).append(quote)
    ranked = sorted(by_speaker.items(), key=lambda item: -sum(map(len, item[1].values())))
    return [(speaker, [_statement(versions, sources) for versions in statements.values()]) for speaker, statements in ranked]


def _statement(versions: list[dict], sources: dict) -> dict:
    """A statement as first printed, its kinds and relays, every article that carries it, its other wordings."""
    first = versions[0]
    return {
        "text": first["text"],
        "direct": first["direct"],
        "kinds": "/".join(dict.fromkeys(q["kind"] for q in versions)),
        "via": "/".join(dict.fromkeys(q["via"] for q in versions if q["via"])),
        "sources": [sources[a] for a in dict.fromkeys(q["article_id"] for q in versions)],
        "others": list(dict.fromkeys(q["text"] for q in versions[1:] if q["text"] != first["text"])),
    }


def _claims(report: dict, sources: dict, members: set[str]) -> list[tuple[dict, list[tuple]]]:
    """Numbers the story's sources report about the same thing, each with its article."""
    claims = {claim["id"]: claim for claim in report["claims"]}
    return [
        (group, [(claims[claim_id], sources[claims[claim_id]["article_id"]]) for claim_id in group["claim_ids"]])
        for group in report["disagreements"]
        if claims[group["claim_ids"][0]]["article_id"] in members
    ]


def _entities(entities: list[dict], limit: int = 40) -> list[dict]:
    return [
        {
            "name": e["name"],
            "type": e["type"],
            "mentions": len(e["mentions"]),
            "articles": len({m["article_id"] for m in e["mentions"]}),
            "variants": ", ".join(v for v in e["variants"] if v != e["name"]),
        }
        for e in entities[:limit]
    ]


def article_view(article: dict, numbers: dict, spans: list[tuple], href: str = "#a-") -> dict:
    """The article's heading, provenance, warnings, what it adds to its event, and its marked
    text (links to other articles: ``href`` and their id)."""
    parts = (article["date"] or "undated", article["dateline"] or "", "/".join(article["credits"]), article["language"] or "", article["path"])
    return {
        "id": article["id"],
        "number": numbers[article["id"]],
        "title": article["title"] or _first_sentence(article),
        "meta": [part for part in parts if part],
        "warnings": article["warnings"],
        "duplicate_of": href + article["duplicate_of"] if article.get("duplicate_of") else None,
        **_adds(article, numbers),
        "body": Markup(_body(article, numbers, spans, href)),
    }


def _adds(article: dict, numbers: dict) -> dict:
    """What the article adds to its event, and what it shares as wire copy (with which articles)."""
    sentences = [s for s in article.get("sentences") or [] if not s["heading"]]
    adds = article.get("adds") or {"sentences": [], "quotes": [], "claim_ids": []}
    shared = [s for s in sentences if s.get("shared_with")]
    return {
        "own": len(adds["sentences"]),
        "sentences": len(sentences),
        "quotes": len(adds["quotes"]),
        "numbers": len(adds["claim_ids"]),
        "shared": len(shared),
        "partners": [f"[{n}]" for n in sorted({numbers[other] for s in shared for other in s["shared_with"]})],
    }


def _first_sentence(article: dict) -> str:
    sentences = article.get("sentences") or []
    if sentences:
        return article["text"][sentences[0]["start"] : sentences[0]["end"]]
    return article["text"][:100]


def _body(article: dict, numbers: dict, spans: list[tuple], href: str) -> str:
    text = article["text"]
    own = set((article.get("adds") or {}).get("sentences", []))
    blocks: list[str] = []
    paragraph: list[str] = []
    current_end = None
    for index, sentence in enumerate(article.get("sentences") or []):
        start, end = sentence["start"], sentence["end"]
        if sentence["heading"]:
            blocks.append(_paragraph(paragraph))
            blocks.append(f"<h3>{escape(text[start:end])}</h3>")
            paragraph = []
        else:
            if current_end is not None and "\n" in text[current_end:start]:
                blocks.append(_paragraph(paragraph))
                paragraph = []
            inner = _marked(text[start:end], start, [span for span in spans if start <= span[0] and span[1] <= end])
            paragraph.append(_sentence(inner, sentence.get("shared_with") or [], numbers, index in own, href))
        current_end = end
    blocks.append(_paragraph(paragraph))
    return "".join(blocks)


def _sentence(marked: str, shared_with: list[str], numbers: dict, own: bool, href: str) -> str:
    """A sentence (already escaped and marked up); wire copy is shaded and links to the articles
    that print it too; a sentence no other article of the event tells is underlined."""
    if not shared_with:
        return f"<span class='own' title='only here'>{marked}</span>" if own else marked
    marks = "".join(f"<a href='{escape(href + other)}' title='also in article {numbers[other]}'>[{numbers[other]}]</a>" for other in shared_with)
    return f"<span class='shared'>{marked}{marks}</span>"


def _paragraph(sentences: list[str]) -> str:
    return f"<p>{' '.join(sentences)}</p>" if sentences else ""


def spans_by_article(report: dict) -> dict[str, list[tuple]]:
    """Per article: the extracted spans to highlight as (start, end, opening tag, closing tag)."""
    spans: dict[str, list[tuple]] = defaultdict(list)
    for entity in report["entities"]:
        tag = f"<span class='e-{escape(entity['type'])}' title='{escape(entity['type'] + ': ' + entity['name'])}'>"
        for mention in entity["mentions"]:
            spans[mention["article_id"]].append((mention["start"], mention["end"], tag, "</span>"))
    for time in report["times"]:
        spans[time["article_id"]].append((time["start"], time["end"], f"<span class='time' title='{escape(time['value'])}'>", "</span>"))
    for quote in report["quotes"]:
        who = " via ".join(part for part in (quote["speaker"] or "unattributed", quote["via"]) if part)
        spans[quote["article_id"]].append((quote["start"], quote["end"], f"<q class='quote' title='{escape(who)}'>", "</q>"))
    for claim in report["claims"]:
        value = "" if claim["value"] is None else f"{claim['value']:,.10g}".replace(",", " ")
        about = f"{claim['qualifier']} {value} {claim['unit'] or ''}"
        spans[claim["article_id"]].append((claim["start"], claim["end"], f"<span class='claim' title='{escape(about)}'>", "</span>"))
    return defaultdict(list, {article_id: _nested(found) for article_id, found in spans.items()})


def _nested(spans: list[tuple]) -> list[tuple]:
    """Spans that nest (a name inside a quotation); one that crosses an earlier span is dropped."""
    kept: list[tuple] = []
    open_ends: list[int] = []
    for span in sorted(spans, key=lambda span: (span[0], -span[1])):
        while open_ends and open_ends[-1] <= span[0]:
            open_ends.pop()
        if span[0] < span[1] and (not open_ends or span[1] <= open_ends[-1]):
            kept.append(span)
            open_ends.append(span[1])
    return kept


def _marked(text: str, offset: int, spans: list[tuple]) -> str:
    """``text`` (starting at ``offset`` in the article) escaped, with nested spans as tags."""
    out: list[str] = []
    position = offset
    closing: list[tuple[int, str]] = []

    def close_until(limit: int) -> None:
        nonlocal position
        while closing and closing[-1][0] <= limit:
            end, tag = closing.pop()
            out.append(escape(text[position - offset : end - offset]) + tag)
            position = end

    for start, end, opening, tag in spans:
        close_until(start)
        out.append(escape(text[position - offset : start - offset]) + opening)
        position = start
        closing.append((end, tag))
    close_until(offset + len(text))
    out.append(escape(text[position - offset :]))
    return "".join(out)
