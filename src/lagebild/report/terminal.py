"""Terminal views (Rich renderables) of findings."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table
from rich.text import Text

from lagebild.link.reuse import find_reuse
from lagebild.model import Article
from lagebild.report.labels import counted_sources, source_label
from lagebild.nlp.sentences import split_article


def side_by_side(a: Article, b: Article) -> Table:
    """Both articles sentence by sentence; shared sentences on one row, highlighted, with similarity."""
    a_sentences, b_sentences = split_article(a), split_article(b)
    links = find_reuse([(a, a_sentences), (b, b_sentences)])
    pairs = {m.a: m for link in links for m in link.alignments}
    table = Table(_heading(a), "≈", _heading(b), show_lines=True, expand=True)
    shown_b: set[int] = set()
    aligned_b = {m.b for m in pairs.values()}
    for index, sentence in enumerate(a_sentences):
        match = pairs.get(index)
        if match is None:
            table.add_row(_own(sentence.text), "", "")
            continue
        for earlier in range(match.b):
            if earlier not in shown_b and earlier not in aligned_b:
                table.add_row("", "", _own(b_sentences[earlier].text))
                shown_b.add(earlier)
        table.add_row(_shared(sentence.text), f"{match.similarity:.2f}", _shared(b_sentences[match.b].text))
        shown_b.add(match.b)
    for index, sentence in enumerate(b_sentences):
        if index not in shown_b:
            table.add_row("", "", _own(sentence.text))
    shared = sum(len(link.alignments) for link in links)
    table.caption = f"{shared} shared sentence(s)" + (f"; direction {links[0].direction} ({links[0].direction_reason})" if links and links[0].direction else "")
    return table


def _heading(article: Article) -> str:
    credits = "/".join(article.credits) or "no credit"
    return f"{article.title or article.text[:50] + '…'}\n{article.date or 'undated'} · {credits} · {article.id}"


def _shared(text: str) -> Text:
    return Text(text, style="bold green")


def _own(text: str) -> Text:
    return Text(text, style="dim")


def statement_lines(quotes: list[dict], articles: dict[str, dict], last: int | None = None) -> list[str]:
    """One line per statement (the ``last`` of them), earliest first: date, speaker, relays, how
    it was quoted, the outlets that carry it ("dpa ×2, AP") and its first wording; each other
    wording of it (a translation, an indirect version) on an indented line with its outlet."""
    versions: dict[str, list[dict]] = defaultdict(list)
    for quote in quotes:
        versions[quote["statement_id"] or f"{quote['article_id']}:{quote['start']}"].append(quote)
    dated = [(min(quoted_day(articles[q["article_id"]]) for q in group), group) for group in versions.values()]
    ordered = sorted(dated, key=lambda item: (item[0], item[1][0]["speaker"] or "", item[1][0]["start"]))
    lines = []
    for day, group in ordered[-last:] if last else ordered:
        first = group[0]
        relays = "/".join(dict.fromkeys(q["via"] for q in group if q["via"]))
        marks = "/".join(dict.fromkeys("„…“" if q["direct"] else q["kind"] for q in group))
        outlets = counted_sources(articles[q["article_id"]] for q in group)
        speaker = first["speaker"] or "(no one named)"
        lines.append(f"{day}  {speaker}{' via ' + relays if relays else ''} [{marks}, {outlets}]: {first['text']}")
        wordings = {first["text"]}
        for quote in group[1:]:
            if quote["text"] not in wordings:
                wordings.add(quote["text"])
                lines.append(f"    also: {quote['text']} ({source_label(articles[quote['article_id']])})")
    return lines


def quoted_day(article: dict) -> str:
    """The day a listing of statements gives a quotation of this article (its date, else the
    date inferred for it; "undated" after every date)."""
    return article["date"] or article.get("inferred_date") or "undated"
