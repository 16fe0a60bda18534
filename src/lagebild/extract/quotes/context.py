"""What every quotation test reads: the article, its sentences and mentions, the language's
word lists, and each sentence's tokens (made once)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property

from lagebild import lang
from lagebild.model import Article, Mention, Sentence, Span
from lagebild.nlp.tokens import tokenize
from lagebild.spans import ByStart, Covering


RELAY_NAME_CHARACTERS = 200  # a name introduced by a relay noun is read up to this long
_WORD_END = re.compile(r"(?<=\w)(?!\w)")


@dataclass
class QuoteContext:
    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    language: str | None
    _tokens: dict[tuple[int, int], list[Span]] = field(default_factory=dict)
    genders: dict[str, str] | None = None  # each person's gender the text tells (``speakers.antecedent``), once worked out

    @cached_property
    def sentence_starts(self) -> ByStart[Sentence]:
        return ByStart(self.sentences)

    @cached_property
    def _mentions_by_start(self) -> ByStart[Mention]:
        return ByStart(self.mentions)

    @cached_property
    def introduced_as_relays(self) -> frozenset[str]:
        """Every text that follows a relay noun and ends where a word does ("die Nachrichtenagentur
        KCNA meldete": "KCNA", "KCNA meldete"), up to RELAY_NAME_CHARACTERS: one pass over the
        article, not one per name asked about."""
        relays = self.words("relay_nouns")
        if not relays:
            return frozenset()
        pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, relays), key=len, reverse=True)) + r")\s+")
        found = set()
        for match in pattern.finditer(self.article.text):
            following = self.article.text[match.end() : match.end() + RELAY_NAME_CHARACTERS]
            found.update(following[:end.start()] for end in _WORD_END.finditer(following))
        return frozenset(found)

    def mentions_from(self, start: int, end: int) -> list[Mention]:
        """The mentions that start in [start, end), in order: two binary searches, not a pass
        over every mention of the article for each quotation (quadratic in a long article)."""
        return self._mentions_by_start.starting_in(start, end)

    def words(self, name: str) -> frozenset[str]:
        return lang.words(self.language, name)

    def tokens(self, sentence: Sentence) -> list[Span]:
        """A sentence's tokens, made once: every reported-speech test reads them."""
        key = (sentence.start, sentence.end)
        if key not in self._tokens:
            self._tokens[key] = tokenize(self.article.text, sentence.start, sentence.end)
        return self._tokens[key]


def sentence_index(context: QuoteContext, position: int) -> int | None:
    """The first sentence that holds the position (its end included), by binary search."""
    sentences = context.sentences
    index = context.sentence_starts.last_starting_by(position)
    if index > 0 and sentences[index - 1].end >= position:
        return index - 1  # the position ends the sentence before, where the next one starts
    return index if index >= 0 and position <= sentences[index].end else None


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


def covered_by(span: Span, covered: Covering) -> bool:
    return covered.covers(span.start, span.end)
