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
        "<h2>Articles</h2>",
    ]
    parts.extend(_article(article) for article in sorted(articles, key=lambda a: a["date"] or "", reverse=True))
    parts.append("</body></html>")
    return "\n".join(parts)


def _skipped(skipped: list[dict]) -> str:
    if not skipped:
        return ""
    rows = "".join(f"<tr><td>{escape(item['path'])}</td><td>{escape(item['reason'])}</td></tr>" for item in skipped)
    return f"<h2>Skipped inputs</h2><table><tr><th>input</th><th>reason</th></tr>{rows}</table>"


def _article(article: dict) -> str:
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
    return (
        f"<article id='a-{escape(article['id'])}'><h2>{escape(title)}</h2><div class='meta'>{meta}</div>{warnings}"
        f"<details><summary>Read the article</summary><div class='body'>{_body(article)}</div></details></article>"
    )


def _first_sentence(article: dict) -> str:
    sentences = article.get("sentences") or []
    if sentences:
        return article["text"][sentences[0]["start"] : sentences[0]["end"]]
    return article["text"][:100]


def _body(article: dict) -> str:
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
            paragraph.append(escape(piece))
        current_end = sentence["end"]
    blocks.append(_paragraph(paragraph))
    return "".join(blocks)


def _paragraph(sentences: list[str]) -> str:
    return f"<p>{' '.join(sentences)}</p>" if sentences else ""
