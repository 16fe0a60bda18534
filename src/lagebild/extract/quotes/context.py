"""What every quotation test reads: the article, its sentences and mentions, the language's
word lists, and each sentence's tokens (made once)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from lagebild import lang
from lagebild.model import Article, Mention, Sentence, Span
from lagebild.nlp.tokens import tokenize


@dataclass
class QuoteContext:
    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    language: str | None
    _tokens: dict[tuple[int, int], list[Span]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        return lang.words(self.language, name)

    def tokens(self, sentence: Sentence) -> list[Span]:
        """A sentence's tokens, made once: every reported-speech test reads them."""
        key = (sentence.start, sentence.end)
        if key not in self._tokens:
            self._tokens[key] = tokenize(self.article.text, sentence.start, sentence.end)
        return self._tokens[key]


def sentence_index(context: QuoteContext, position: int) -> int | None:
    return next((i for i, s in enumerate(context.sentences) if s.start <= position <= s.end), None)


def sentence_at(context: QuoteContext, position: int) -> Sentence | None:
    index = sentence_index(context, position)
    return None if index is None else context.sentences[index]


@cache
def cues_by_first_word(language: str | None) -> dict[str, list[tuple[str, list[str]]]]:
    """Attribution cues ("laut", "nach Angaben", "zufolge") by their first word, lowercased."""
    found: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for cue in lang.words(language, "report_cues"):
        parts = cue.lower().split()
        found[parts[0]].append((cue, parts))
    return {first: sorted(cues, key=lambda cue: -len(cue[1])) for first, cues in found.items()}  # longest first


def covered_by(span: Span, covered) -> bool:
    return any(start <= span.start and span.end <= end for start, end in covered)
