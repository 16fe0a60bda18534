"""Direct quotations by their marks: every style („…“ »…« «…» “…” "…"), outermost only, across
sentences and paragraphs; the mark pairs live in ``data/quote_marks.tsv``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from lagebild.model import Span

MAX_QUOTE_CHARS = 1500


@cache
def _mark_pairs() -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    text = resources.files("lagebild").joinpath("data", "quote_marks.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            opening, closing = line.split("\t")
            pairs.setdefault(opening, set()).add(closing)
    return pairs


def direct_spans(text: str) -> list[Span]:
    """Spans of quotation marks' contents (marks excluded), outermost only."""
    pairs = dict(_mark_pairs())
    first_guillemet = re.search("[»«]", text)
    if first_guillemet:  # »…« (German books) or «…» (Swiss): whichever comes first opens
        opening = first_guillemet.group()
        pairs.pop("«" if opening == "»" else "»", None)
    openers = _mark_class("".join(pairs))
    spans, position = [], 0
    while (found := openers.search(text, position)) is not None:
        start = found.start()
        end = _closing(text, start + 1, pairs[found.group()]) if _opens(text, start) else None
        if end is not None:
            spans.append(Span(start + 1, end))
            position = end + 1
        else:
            position = start + 1
    return spans


@cache
def _mark_class(marks: str) -> re.Pattern:
    return re.compile("[" + re.escape(marks) + "]")


@cache
def _closer_pattern(closers: frozenset[str]) -> re.Pattern:
    """A closing mark not followed by a letter or digit (an apostrophe inside a word is not one)."""
    return re.compile("[" + re.escape("".join(sorted(closers))) + "](?![^\\W_])")


def _opens(text: str, position: int) -> bool:
    """An opening mark stands before a word (not after one, as a closing straight quote does)."""
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return not after.isspace() and (before.isspace() or before in "([—–-/" or position == 0)


def _closing(text: str, start: int, closers: set[str]) -> int | None:
    limit = min(len(text), start + MAX_QUOTE_CHARS)
    found = _closer_pattern(frozenset(closers)).search(text, start, min(len(text), limit + 1))
    return found.start() if found is not None and found.start() < limit else None
