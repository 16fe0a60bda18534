"""Terminal views (Rich renderables) of findings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lagebild.link.reuse import find_reuse
from lagebild.model import Article
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
