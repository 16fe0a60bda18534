"""The HTML report: one self-contained file, no network, every piece of article text escaped.

It renders the JSON report, so it shows exactly what the JSON says. This first version lists the
articles with their fields and readable bodies; later stages add stories, summaries and tables.
"""

from __future__ import annotations

from html import escape

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
        _stories(report, {article["id"]: article for article in articles}),
        _reuse(report["reuse"], {article["id"]: article for article in articles}),
        _entities(report["entities"]),
        _quotes(report["quotes"], {article["id"]: article for article in articles}),
        _claims(report, {article["id"]: article for article in articles}),
        "<h2>Articles</h2>",
    ]
    numbers = {article["id"]: number for number, article in enumerate(articles, start=1)}
    parts.extend(_article(article, numbers) for article in sorted(articles, key=lambda a: a["date"] or "", reverse=True))
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


def _stories(report: dict, articles: dict) -> str:
    """Stories, each with its events in time order and the articles of each event."""
    if not report["stories"]:
        return ""
    events = {event["id"]: event for event in report["events"]}
    parts = ["<h2>Stories</h2>"]
    for story in report["stories"]:
        parts.append(f"<section class='story' id='s-{escape(story['id'])}'><h3>{escape(story['title'])}</h3><ol>")
        for event_id in story["event_ids"]:
            event = events[event_id]
            day = next((entry["date"] for entry in event["timeline"] if entry["date"]), "undated")
            links = ", ".join(_link(articles[article_id]) for article_id in event["article_ids"])
            parts.append(f"<li><b>{escape(day)}</b> {escape(event['title'])}<div class='meta'>{links}</div>{_summary(event, articles)}</li>")
        parts.append("</ol></section>")
    return "".join(parts)


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
    """Who said what, by speaker; each version linked to its article, relays named."""
    attributed = [q for q in quotes if q["speaker"]]
    if not attributed:
        return ""
    by_speaker: dict[str, list[dict]] = {}
    for quote in attributed:
        by_speaker.setdefault(quote["speaker"], []).append(quote)
    parts = ["<h2>Who said what</h2>"]
    for speaker, items in sorted(by_speaker.items(), key=lambda item: -len(item[1])):
        parts.append(f"<h3>{escape(speaker)}</h3><ul>")
        for quote in items:
            article = articles[quote["article_id"]]
            via = f" via {escape(quote['via'])}" if quote["via"] else ""
            text = f"„{escape(quote['text'])}“" if quote["direct"] else escape(quote["text"])
            parts.append(f"<li>{text} <span class='meta'>({escape(quote['kind'])}{via}, {_link(article)})</span></li>")
        parts.append("</ul>")
    return "".join(parts)


def _claims(report: dict, articles: dict) -> str:
    """Numbers sources report about the same thing, each linked to its article; conflicts first."""
    if not report["disagreements"]:
        return ""
    claims = {claim["id"]: claim for claim in report["claims"]}
    rows = []
    for group in report["disagreements"]:
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


def _article(article: dict, numbers: dict) -> str:
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
        f"<details><summary>Read the article</summary><div class='body'>{_body(article, numbers)}</div></details></article>"
    )


def _adds(article: dict, numbers: dict) -> str:
    """What the article adds: its own sentences, against those it shares as wire copy."""
    sentences = [s for s in article.get("sentences") or [] if not s["heading"]]
    shared = [s for s in sentences if s.get("shared_with")]
    if not shared:
        return f"<div class='meta'>All {len(sentences)} sentences are its own.</div>"
    partners = sorted({numbers[other] for s in shared for other in s["shared_with"]})
    listed = ", ".join(f"[{n}]" for n in partners)
    return f"<div class='meta'>Adds {len(sentences) - len(shared)} own sentence(s); shares {len(shared)} with {listed}.</div>"


def _first_sentence(article: dict) -> str:
    sentences = article.get("sentences") or []
    if sentences:
        return article["text"][sentences[0]["start"] : sentences[0]["end"]]
    return article["text"][:100]


def _body(article: dict, numbers: dict) -> str:
    text = article["text"]
    blocks: list[str] = []
    paragraph: list[str] = []
    current_end = None
    for sentence in article.get("sentences") or []:
        piece = text[sentence["start"] : sentence["end"]]
        if sentence["heading"]:
            blocks.append(_paragraph(paragraph))
            blocks.append(f"<h3>{escape(piece)}</h3>")
            paragraph = []
        else:
            if current_end is not None and "\n" in text[current_end : sentence["start"]]:
                blocks.append(_paragraph(paragraph))
                paragraph = []
            paragraph.append(_sentence(piece, sentence.get("shared_with") or [], numbers))
        current_end = sentence["end"]
    blocks.append(_paragraph(paragraph))
    return "".join(blocks)


def _sentence(text: str, shared_with: list[str], numbers: dict) -> str:
    """A sentence; wire copy is shaded and links to the articles that print it too."""
    if not shared_with:
        return escape(text)
    marks = "".join(f"<a href='#a-{escape(other)}' title='also in article {numbers[other]}'>[{numbers[other]}]</a>" for other in shared_with)
    return f"<span class='shared'>{escape(text)}{marks}</span>"


def _paragraph(sentences: list[str]) -> str:
    return f"<p>{' '.join(sentences)}</p>" if sentences else ""
