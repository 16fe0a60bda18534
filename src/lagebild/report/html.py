"""The HTML report: one self-contained file, no network, every piece of article text escaped.

It renders the JSON report, so it shows exactly what the JSON says: what is new (when asked), the
story list, per story its timeline picture, events with cited summaries and the numbers compared,
then wire copy, entities, quotes by speaker, and every article readable with its extracted spans
(names, times, quotations, numbers) and its wire-copy and own sentences marked.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from lagebild.report.events import history_notes
from lagebild.report.timeline_svg import story_timeline_svg

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-bottom:.2rem}
.meta{color:#555;font-size:.9rem}.warn{color:#8a4b00;font-size:.9rem}
article{border-top:1px solid #ddd;padding:.6rem 0}
details summary{cursor:pointer;color:#0b57d0}
.body p{margin:.4rem 0}.body h3{font-size:1rem;margin:.8rem 0 .2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.2rem .5rem;border-bottom:1px solid #eee;text-align:left}
.shared{background:#e6f4ea}.shared a{font-size:.75rem;vertical-align:super;text-decoration:none}
.dup{color:#555;font-size:.9rem}
.summary{margin:.3rem 0 .6rem;padding-left:1.1rem}.cite{font-size:.8rem;text-decoration:none}
.conflicting{background:#fde7e9}.compatible{background:#fff8e1}.agreeing{background:#e6f4ea}
nav ol{padding-left:1.2rem}.story{border-top:2px solid #ccc;margin-top:1rem}
svg.timeline{width:100%;max-width:40rem;height:auto;font-size:11px}svg .axis{stroke:#bbb}
svg circle{fill:#0b57d0}svg rect{fill:#b3261e}svg .tick{fill:#555}
.own{border-bottom:2px solid #f4c542}.new{background:#fff8e1;padding:.5rem 1rem}
.e-PER{color:#0b57d0}.e-ORG{color:#6a1b9a}.e-LOC{color:#1b5e20}.time{background:#e3f2fd}
.claim{background:#fde7e9;font-weight:600}q.quote{font-style:italic}q.quote::before,q.quote::after{content:none}
"""


def write_html(report: dict, destination) -> None:
    destination.write(render(report))


def render(report: dict) -> str:
    articles = report["articles"]
    parts = [
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Lagebild: {len(articles)} Artikel</title><style>{_STYLE}</style></head><body>",
        f"<h1>Lagebild</h1><p class='meta'>{len(articles)} articles · generated {escape(report['lagebild']['generated_at'])}</p>",
        _skipped(report["run"]["skipped"]),
        _new_since(report.get("new_since"), {article["id"]: article for article in articles}),
        _stories(report, {article["id"]: article for article in articles}),
        _reuse(report["reuse"], {article["id"]: article for article in articles}),
        _entities(report["entities"]),
        _quotes(report["quotes"], {article["id"]: article for article in articles}),
        "<h2>Articles</h2>",
    ]
    numbers = {article["id"]: number for number, article in enumerate(articles, start=1)}
    spans = _spans_by_article(report)
    parts.extend(_article(article, numbers, spans[article["id"]]) for article in sorted(articles, key=lambda a: a["date"] or "", reverse=True))
    parts.append("</body></html>")
    return "\n".join(parts)


def _skipped(skipped: list[dict]) -> str:
    if not skipped:
        return ""
    rows = "".join(f"<tr><td>{escape(item['path'])}</td><td>{escape(item['reason'])}</td></tr>" for item in skipped)
    return f"<h2>Skipped inputs</h2><table><tr><th>input</th><th>reason</th></tr>{rows}</table>"


def _reuse(links: list[dict], articles: dict) -> str:
    if not links:
        return ""
    rows = []
    for link in links:
        first, second = (articles[i] for i in link["article_ids"])
        direction = {"a->b": "→", "b->a": "←"}.get(link["direction"], "↔")
        reason = f" ({escape(link['direction_reason'])})" if link.get("direction_reason") else ""
        rows.append(
            f"<tr><td>{_link(first)}</td><td>{direction}{reason}</td><td>{_link(second)}</td>"
            f"<td>{link['shared_sentences']} sentence(s), {escape(link['kind'])}</td></tr>"
        )
    return "<h2>Wire copy shared between articles</h2><table><tr><th>article</th><th></th><th>article</th><th>shared</th></tr>" + "".join(rows) + "</table>"


def _new_since(new: dict | None, articles: dict) -> str:
    """What is new since the moment or report the reader gave, grouped by article."""
    if not new:
        return ""
    by_article: dict[str, list[str]] = defaultdict(list)
    for sentence in new["sentences"]:
        by_article[sentence["article_id"]].append(sentence["text"])
    items = "".join(
        f"<li>{_link(articles[article_id])}<ul>{''.join(f'<li>{escape(text)}</li>' for text in texts)}</ul></li>" for article_id, texts in by_article.items()
    )
    return (
        f"<section class='new' id='new'><h2>New since {escape(new['since'])}</h2>"
        f"<p class='meta'>{len(new['new_article_ids'])} new article(s) against {new['known_articles']} known; "
        f"{len(new['sentences'])} sentence(s) that no earlier article tells.</p><ul>{items}</ul></section>"
    )


def _stories(report: dict, articles: dict) -> str:
    """The story list, then per story: its timeline picture, its events in time order (each with
    its articles and cited summary) and the numbers its sources report."""
    if not report["stories"]:
        return ""
    events = {event["id"]: event for event in report["events"]}
    listing = "".join(
        f"<li><a href='#s-{escape(story['id'])}'>{escape(story['title'])}</a> <span class='meta'>({_story_counts(story, events)})</span></li>"
        for story in report["stories"]
    )
    parts = [f"<nav id='stories'><h2>Stories</h2><ol>{listing}</ol></nav>"]
    for story in report["stories"]:
        story_events = [events[event_id] for event_id in story["event_ids"]]
        parts.append(f"<section class='story' id='s-{escape(story['id'])}'><h3>{escape(story['title'])}</h3>{story_timeline_svg(story_events)}<ol>")
        for event in story_events:
            day = next((entry["date"] for entry in event["timeline"] if entry["date"]), "undated")
            links = ", ".join(_link(articles[article_id]) for article_id in event["article_ids"])
            notes = "".join(f" · {escape(note)}" for note in history_notes(event, events))
            parts.append(f"<li><b>{escape(day)}</b> {escape(event['title'])}<div class='meta'>{links}{notes}</div>{_summary(event, articles)}</li>")
        parts.append("</ol>")
        members = {article_id for event in story_events for article_id in event["article_ids"]}
        parts.append(_claims(report, articles, members))
        parts.append("<p><a href='#stories'>↑ all stories</a></p></section>")
    return "".join(parts)


def _story_counts(story: dict, events: dict) -> str:
    counts = [f"{len(story['event_ids'])} event(s)", f"{sum(len(events[e]['article_ids']) for e in story['event_ids'])} article(s)"]
    if story.get("merged_story_ids"):
        counts.append(f"{len(story['merged_story_ids'])} story(ies) merged into it")
    return ", ".join(counts)


def _summary(event: dict, articles: dict) -> str:
    """The event in a few sentences, each with citation links to every article that carries it."""
    if not event["summary"]:
        return ""
    items = "".join(
        f"<li>{escape(sentence['text'])} "
        + " ".join(f"<a class='cite' href='#a-{escape(a)}'>[{escape('/'.join(articles[a]['credits']) or 'Quelle')}]</a>" for a in sentence["article_ids"])
        + "</li>"
        for sentence in event["summary"]
    )
    return f"<ul class='summary'>{items}</ul>"


def _quotes(quotes: list[dict], articles: dict) -> str:
    """Who said what, by speaker: each statement once, linked to every article that carries it,
    relays named; its other wordings (another outlet's, a translation) under it."""
    attributed = [q for q in quotes if q["speaker"]]
    if not attributed:
        return ""
    by_speaker: dict[str, dict[str, list[dict]]] = {}
    for quote in attributed:
        statement = quote["statement_id"] or f"{quote['article_id']}:{quote['start']}"
        by_speaker.setdefault(quote["speaker"], {}).setdefault(statement, []).append(quote)
    parts = ["<h2>Who said what</h2>"]
    for speaker, statements in sorted(by_speaker.items(), key=lambda item: -sum(map(len, item[1].values()))):
        parts.append(f"<h3>{escape(speaker)}</h3><ul>")
        parts += [_statement(versions, articles) for versions in statements.values()]
        parts.append("</ul>")
    return "".join(parts)


def _statement(versions: list[dict], articles: dict) -> str:
    first = versions[0]
    kinds = "/".join(dict.fromkeys(q["kind"] for q in versions))
    relays = "/".join(dict.fromkeys(q["via"] for q in versions if q["via"]))
    via = f" via {escape(relays)}" if relays else ""
    sources = ", ".join(_link(articles[a]) for a in dict.fromkeys(q["article_id"] for q in versions))
    others = list(dict.fromkeys(q["text"] for q in versions[1:] if q["text"] != first["text"]))
    also = "".join(f"<li class='meta'>also: {_quoted(text, first['direct'])}</li>" for text in others)
    return f"<li>{_quoted(first['text'], first['direct'])} <span class='meta'>({escape(kinds)}{via}, {sources})</span>{'<ul>' + also + '</ul>' if also else ''}</li>"


def _quoted(text: str, direct: bool) -> str:
    return f"„{escape(text)}“" if direct else escape(text)


def _claims(report: dict, articles: dict, members: set[str]) -> str:
    """Numbers the story's sources report about the same thing, each linked to its article."""
    claims = {claim["id"]: claim for claim in report["claims"]}
    groups = [g for g in report["disagreements"] if claims[g["claim_ids"][0]]["article_id"] in members]
    if not groups:
        return ""
    rows = []
    for group in groups:
        for index, claim_id in enumerate(group["claim_ids"]):
            claim = claims[claim_id]
            about = f"<td rowspan='{len(group['claim_ids'])}'><b>{escape(group['about'])}</b><br>{escape(group['kind'])}</td>" if index == 0 else ""
            via = f" via {escape(claim['via'])}" if claim["via"] else ""
            rows.append(
                f"<tr class='{escape(group['kind'])}'>{about}<td>{escape(claim['text'])}</td>"
                f"<td>{escape(claim['qualifier'])}</td><td>{_link(articles[claim['article_id']])}{via}</td></tr>"
            )
    return (
        "<h2>Numbers compared</h2><table class='claims'><tr><th>about</th><th>as written</th><th>qualifier</th><th>source</th></tr>"
        + "".join(rows) + "</table>"
    )


def _entities(entities: list[dict], limit: int = 40) -> str:
    if not entities:
        return ""
    rows = "".join(
        f"<tr><td>{escape(e['name'])}</td><td>{escape(e['type'])}</td><td>{len(e['mentions'])}</td>"
        f"<td>{len({m['article_id'] for m in e['mentions']})}</td>"
        f"<td>{escape(', '.join(v for v in e['variants'] if v != e['name']))}</td></tr>"
        for e in entities[:limit]
    )
    return (
        "<h2>Who and where</h2><table><tr><th>entity</th><th>type</th><th>mentions</th><th>articles</th>"
        f"<th>also written</th></tr>{rows}</table>"
    )


def _link(article: dict) -> str:
    label = article["title"] or _first_sentence(article)[:60]
    credits = "/".join(article["credits"]) or "no credit"
    return f"<a href='#a-{escape(article['id'])}'>{escape(label)}</a> <span class='meta'>({escape(credits)})</span>"


def _article(article: dict, numbers: dict, spans: list[tuple]) -> str:
    title = article["title"] or _first_sentence(article)
    meta = " · ".join(
        escape(part)
        for part in (
            article["date"] or "undated",
            article["dateline"] or "",
            "/".join(article["credits"]),
            article["language"] or "",
            article["path"],
        )
        if part
    )
    warnings = "".join(f"<div class='warn'>⚠ {escape(warning)}</div>" for warning in article["warnings"])
    duplicate = (
        f"<div class='dup'>Near-duplicate of <a href='#a-{escape(article['duplicate_of'])}'>an earlier copy</a>; counted once.</div>"
        if article.get("duplicate_of")
        else ""
    )
    return (
        f"<article id='a-{escape(article['id'])}'><h2>[{numbers[article['id']]}] {escape(title)}</h2><div class='meta'>{meta}</div>{warnings}{duplicate}{_adds(article, numbers)}"
        f"<details><summary>Read the article</summary><div class='body'>{_body(article, numbers, spans)}</div></details></article>"
    )


def _adds(article: dict, numbers: dict) -> str:
    """What the article adds to its event, and what it shares as wire copy."""
    sentences = [s for s in article.get("sentences") or [] if not s["heading"]]
    adds = article.get("adds") or {"sentences": [], "quotes": [], "claim_ids": []}
    own = f"Adds {len(adds['sentences'])} of {len(sentences)} sentence(s) that no other article of its event tells"
    own += f" ({len(adds['quotes'])} quotation(s), {len(adds['claim_ids'])} number(s))."
    shared = [s for s in sentences if s.get("shared_with")]
    if shared:
        partners = ", ".join(f"[{n}]" for n in sorted({numbers[other] for s in shared for other in s["shared_with"]}))
        own += f" Shares {len(shared)} as wire copy with {partners}."
    return f"<div class='meta'>{own}</div>"


def _first_sentence(article: dict) -> str:
    sentences = article.get("sentences") or []
    if sentences:
        return article["text"][sentences[0]["start"] : sentences[0]["end"]]
    return article["text"][:100]


def _body(article: dict, numbers: dict, spans: list[tuple]) -> str:
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
            paragraph.append(_sentence(inner, sentence.get("shared_with") or [], numbers, index in own))
        current_end = end
    blocks.append(_paragraph(paragraph))
    return "".join(blocks)


def _sentence(marked: str, shared_with: list[str], numbers: dict, own: bool) -> str:
    """A sentence (already escaped and marked up); wire copy is shaded and links to the articles
    that print it too; a sentence no other article of the event tells is underlined."""
    if not shared_with:
        return f"<span class='own' title='only here'>{marked}</span>" if own else marked
    marks = "".join(f"<a href='#a-{escape(other)}' title='also in article {numbers[other]}'>[{numbers[other]}]</a>" for other in shared_with)
    return f"<span class='shared'>{marked}{marks}</span>"


def _paragraph(sentences: list[str]) -> str:
    return f"<p>{' '.join(sentences)}</p>" if sentences else ""


def _spans_by_article(report: dict) -> dict[str, list[tuple]]:
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
