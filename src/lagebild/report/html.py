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
from lagebild.report.labels import lead_headline, source_label
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


# What one page holds, so that the report of thousands of articles stays a file a phone opens
# (2,000 articles: 38 MB with every text and table); the JSON report has it all.
PAGE_BYTES = 4_500_000  # article texts fill what the rest of the page leaves of this
TEXTS_PER_STORY = 8  # articles of one story in full: those its summaries cite first
CONFLICTS_SHOWN = 5  # groups of numbers in conflict per story
SPEAKERS_SHOWN = 30  # the most quoted speakers ...
STATEMENTS_SHOWN = 5  # ... each with the statements most articles carry
PAIRS_SHOWN = 100  # pairs of wire copy, most shared sentences first


def write_html(report: dict, destination) -> None:
    destination.write(render(report))


def render(report: dict) -> str:
    """The page: rendered once without article texts to learn what the rest takes, then with the
    texts of the heaviest stories' articles that fit in what is left of PAGE_BYTES."""
    articles = report["articles"]
    sources = sources_of(articles)
    numbers = {article["id"]: number for number, article in enumerate(articles, start=1)}
    ranked, others = split_stories(report)
    stories = stories_view({**report, "stories": ranked}, sources)
    for story in stories:
        _cut_numbers(story)
    speakers = quotes_view(report["quotes"], sources)
    reuse = sorted(reuse_view(report["reuse"], sources), key=lambda row: -row[-1]["shared_sentences"])
    in_stories = _story_articles(ranked, report["events"], {article["id"]: article for article in articles})
    spans = spans_by_article(report)
    views = [article_view(article, numbers, spans[article["id"]], with_body=False) for article in in_stories]
    page = _TEMPLATES.get_template("page.html")
    values = dict(
        generated_at=report["lagebild"]["generated_at"],
        total=len(articles),
        skipped=report["run"]["skipped"],
        new=_new_since(report.get("new_since"), sources),
        stories=stories,
        others=[other_report(article, numbers[article["id"]]) for article in _single_articles(others, report["events"], articles)],
        reuse=reuse[:PAIRS_SHOWN],
        reuse_total=len(reuse),
        entities=_entities(report["entities"]),
        speakers=[(speaker, _most_carried(statements)) for speaker, statements in speakers[:SPEAKERS_SHOWN]],
        statements_left={speaker: len(statements) - STATEMENTS_SHOWN for speaker, statements in speakers[:SPEAKERS_SHOWN] if len(statements) > STATEMENTS_SHOWN},
        speakers_left=max(0, len(speakers) - SPEAKERS_SHOWN),
        articles=views,
    )
    room = PAGE_BYTES - len(page.render(**values).encode("utf-8"))
    _add_texts(views, _texts_shown(ranked, report["events"]), {article["id"]: article for article in in_stories}, numbers, spans, room)
    return page.render(**values)


def _add_texts(views: list[dict], wanted: list[str], by_id: dict, numbers: dict, spans: dict, room: int) -> None:
    """The marked-up texts of the wanted articles, in that order, as long as they fit in ``room``
    bytes (the first that does not fit ends it: a lighter story's text never comes before a
    heavier one's)."""
    view_of = {view["id"]: view for view in views}
    for article_id in wanted:
        body = _body(by_id[article_id], numbers, spans[article_id], "#a-")
        room -= len(body.encode("utf-8")) + len(_TEXT_FRAME)
        if room < 0:
            return
        view_of[article_id]["body"] = Markup(body)


_TEXT_FRAME = "<details><summary>Read the article</summary><div class='body'></div></details>"


def _most_carried(statements: list[dict]) -> list[dict]:
    """A speaker's STATEMENTS_SHOWN statements that most articles carry (the earlier on a tie)."""
    return sorted(statements, key=lambda statement: -len(statement["sources"]))[:STATEMENTS_SHOWN]


def split_stories(report: dict) -> tuple[list[dict], list[dict]]:
    """The report's stories in its order (heaviest first): those of several articles, and the
    "other reports", a story of one article each."""
    sizes = {event["id"]: len(event["article_ids"]) for event in report["events"]}
    ranked, others = [], []
    for story in report["stories"]:
        (others if sum(sizes[e] for e in story["event_ids"]) == 1 else ranked).append(story)
    return ranked, others


def other_report(article: dict, number: int) -> dict:
    """An article that is a story of its own, as one line: title, outlet, date, and a link to
    where it was published (web addresses only: an input's ``javascript:`` stays text)."""
    return {
        "id": article["id"],
        "number": number,
        "title": article_title(article),
        "source": source_label(article),
        "date": article["date"] or "undated",
        "url": web_address(article),
    }


def web_address(article: dict) -> str | None:
    """Where the article was published, if that is a web address (an input's ``javascript:``
    or ``data:`` address is no link)."""
    url = article.get("url") or ""
    return url if url.lower().startswith(("https://", "http://")) else None


def _single_articles(others: list[dict], events: list[dict], articles: list[dict]) -> list[dict]:
    by_id = {article["id"]: article for article in articles}
    event_articles = {event["id"]: event["article_ids"] for event in events}
    return [by_id[event_articles[story["event_ids"][0]][0]] for story in others]


def _story_articles(stories: list[dict], events: list[dict], by_id: dict[str, dict]) -> list[dict]:
    """The articles of the stories, story by story (heaviest first), each story's in event order."""
    event_articles = {event["id"]: event["article_ids"] for event in events}
    ordered = dict.fromkeys(a for story in stories for e in story["event_ids"] for a in event_articles[e])
    return [by_id[article_id] for article_id in ordered]


def _texts_shown(stories: list[dict], events: list[dict]) -> list[str]:
    """The articles whose text the page would show, heaviest story first: per story, the
    TEXTS_PER_STORY articles its event summaries cite first (then its others in event order),
    the texts in which a reader checks what the report says of the story."""
    by_id = {event["id"]: event for event in events}
    chosen: dict[str, None] = {}
    for story in stories:
        story_events = [by_id[e] for e in story["event_ids"]]
        cited = [a for event in story_events for sentence in event["summary"] for a in sentence["article_ids"]]
        members = [a for event in story_events for a in event["article_ids"]]
        chosen.update(dict.fromkeys(list(dict.fromkeys(cited + members))[:TEXTS_PER_STORY]))
    return list(chosen)


def _cut_numbers(story: dict) -> None:
    """The story's groups of numbers in conflict, CONFLICTS_SHOWN of them; what is left out, in words."""
    conflicts = [(group, claims) for group, claims in story["claims"] if group["kind"] == "conflicting"]
    left = [f"{len(conflicts) - CONFLICTS_SHOWN} more in conflict"] if len(conflicts) > CONFLICTS_SHOWN else []
    if len(story["claims"]) > len(conflicts):
        left.append(f"{len(story['claims']) - len(conflicts)} group(s) that agree or fit together")
    story["claims"] = conflicts[:CONFLICTS_SHOWN]
    story["numbers_note"] = f"Numbers compared: {' and '.join(left)}, in the JSON report." if left else ""


def sources_of(articles, href: str = "#a-") -> dict[str, dict]:
    """What a link to each article shows: its title (or a headline from its lead) and credits
    (or outlet); ``href`` is what its id follows in the link (an anchor in the report, a page in the
    service)."""
    return {
        article["id"]: {"id": article["id"], "href": href + article["id"], "label": article_title(article), "credits": _named_source(article)}
        for article in articles
    }


def _named_source(article: dict) -> list[str]:
    """Who a citation names: the article's credits, else its outlet (a site's own article)."""
    return article["credits"] or ([article["outlet"]] if article.get("outlet") else [])


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
    claims = {claim["id"]: claim for claim in report["claims"]}
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
            "claims": _claims(report["disagreements"], claims, sources, members),
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
    if story.get("sources"):  # what the weight counts most (a report's stories carry it)
        counts[-1] += f" from {story['sources']} source(s)"
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


def _claims(groups: list[dict], claims: dict[str, dict], sources: dict, members: set[str]) -> list[tuple[dict, list[tuple]]]:
    """Numbers the story's sources report about the same thing, each with its article."""
    return [
        (group, [(claims[claim_id], sources[claims[claim_id]["article_id"]]) for claim_id in group["claim_ids"]])
        for group in groups
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


def article_title(article: dict) -> str:
    """The article's title; without one, a headline from its lead."""
    return article["title"] or lead_headline(_first_sentence(article))


def article_view(article: dict, numbers: dict, spans: list[tuple], href: str = "#a-", with_body: bool = True) -> dict:
    """The article's heading, provenance, warnings, what it adds to its event, and (``with_body``)
    its marked text (links to other articles: ``href`` and their id); where it was published."""
    parts = (article["date"] or "undated", article["dateline"] or "", "/".join(article["credits"]) or article.get("outlet") or "", article["language"] or "", article["path"])
    return {
        "id": article["id"],
        "number": numbers[article["id"]],
        "title": article_title(article),
        "url": web_address(article),
        "meta": [part for part in parts if part],
        "warnings": article["warnings"],
        "duplicate_of": href + article["duplicate_of"] if article.get("duplicate_of") else None,
        **_adds(article, numbers),
        "body": Markup(_body(article, numbers, spans, href) if with_body else ""),
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
