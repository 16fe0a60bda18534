"""How listings name an article: its source (shared by the terminal views and the Markdown
briefing) and, for an article without a title, a headline made from its lead."""

from __future__ import annotations

import re
from collections import Counter

HEADLINE_CHARACTERS = 120  # a headline is read at a glance; a lead sentence runs to 200 and more
HEADLINE_WORDS = 5  # fewer words than this say too little to stand alone ("Berlin:", "Sagte er,")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+[–—-]\s+")  # a comma, semicolon or colon, or a dash between spaces


def source_label(article: dict) -> str:
    """Who published an article: its credits, else its outlet, else its file."""
    return "/".join(article["credits"]) or article["outlet"] or article["path"].rsplit("/", 1)[-1]


def counted_sources(articles) -> str:
    """The sources of some articles, each once with its count: "dpa ×2, AFP, Reuters"."""
    labels = [source_label(article) for article in articles]
    if len(labels) == 1:  # most statements and events of a listing: no counting
        return labels[0]
    return ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in Counter(labels).items())


def lead_headline(lead: str) -> str:
    """A headline from an article's lead sentence: the sentence itself when it is short (without
    its full stop); else its opening clauses, as many as fit HEADLINE_CHARACTERS, the first that
    says enough (HEADLINE_WORDS) at the least; a clause longer than that, cut at a word, ends in "…"."""
    lead = " ".join(lead.split())
    if len(lead) <= HEADLINE_CHARACTERS:
        return lead[:-1] if lead.endswith(".") and not lead.endswith("..") else lead
    shown = ""
    for clause in _clauses(lead):
        longer = f"{shown} {clause}".strip()
        if len(longer) > HEADLINE_CHARACTERS and len(shown.split()) >= HEADLINE_WORDS:
            break
        shown = longer
    if len(shown) <= HEADLINE_CHARACTERS:
        return shown.rstrip(",;:–—- ")
    return shown[: HEADLINE_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(",;:–—- ") + "…"


def _clauses(sentence: str) -> list[str]:
    """The sentence cut after each clause mark, the marks kept with the clause before them."""
    clauses, start = [], 0
    for mark in _CLAUSE_END.finditer(sentence):
        clauses.append(sentence[start : mark.start()] + ("" if mark.group().isspace() else " " + mark.group().strip()))
        start = mark.end()
    return clauses + [sentence[start:]]
