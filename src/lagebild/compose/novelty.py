"""What is new: the sentences of some articles that other articles do not already tell.

Two questions share this answer. What does an article add to its event (against the event's
other articles)? What is new since a time or a previous report (the articles after it, against
those before)? A sentence is told already when a known sentence is its wire copy (aligned by the
reuse stage) or contains most of its content words (a close rewording of the same fact). A
sentence its outlet repeats in every article (``link.boilerplate``) is never new.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from lagebild.link.boilerplate import is_boilerplate
from lagebild.link.events import content_words
from lagebild.model import Article, Baseline, ReuseLink, Sentence

TOLD = 0.6  # share of a sentence's content words that one known sentence must contain
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
MIN_WORDS = 3  # shorter sentences ("Das sagte er.") tell nothing on their own
CANDIDATES = 500  # known sentences per rare word that a new sentence is compared with

Document = tuple[Article, list[Sentence]]


def untold_sentences(candidates: list[Document], known: list[Document], links: list[ReuseLink], also_known: frozenset[str] = frozenset()) -> dict[str, list[int]]:
    """Per candidate article: the indices of its sentences that neither a known article nor an
    earlier candidate tells (candidates in the order given: a story retold by the next article
    counts once). ``also_known``: articles known but not given, whose wire copy counts as told."""
    partners = _wire_partners(links)
    index = _WordIndex(known)
    seen = {article.id for article, _ in known} | also_known
    found: dict[str, list[int]] = {}
    for article, sentences in candidates:
        copied = {key for key, others in partners.items() if key[0] == article.id and others & seen}
        found[article.id] = _untold(article, sentences, copied, index)
        index.add(article, sentences)
        seen.add(article.id)
    return found


def event_additions(documents: list[Document], links: list[ReuseLink]) -> dict[str, list[int]]:
    """Per article of one event: its sentences that none of the event's other articles tells."""
    if len(documents) == 1:  # most events: no other article, no index to ask
        article, sentences = documents[0]
        return {article.id: _alone(article, sentences)}
    return _against_each_other(documents, links)


def _alone(article: Article, sentences: list[Sentence]) -> list[int]:
    """What the only article of an event adds: every sentence that can tell something."""
    return [
        position
        for position, sentence in enumerate(sentences)
        if not sentence.is_heading and not is_boilerplate(sentence) and not _too_short(frozenset(content_words(sentence.text, article.language)), frozenset(NUMBER.findall(sentence.text)))
    ]


def _too_short(distinct: frozenset[str], numbers: frozenset[str]) -> bool:
    return len(distinct) < MIN_WORDS and not numbers


def _against_each_other(documents: list[Document], links: list[ReuseLink]) -> dict[str, list[int]]:
    members = {article.id for article, _ in documents}
    copied: dict[str, set[tuple[str, int]]] = defaultdict(set)  # every aligned sentence has a partner in the event
    for key in _wire_partners([link for link in links if link.article_a in members and link.article_b in members]):
        copied[key[0]].add(key)
    index = _WordIndex(documents)
    return {article.id: _untold(article, sentences, copied[article.id], index) for article, sentences in documents}


def _untold(article: Article, sentences: list[Sentence], copied: set[tuple[str, int]], index: "_WordIndex") -> list[int]:
    return [
        position
        for position, sentence in enumerate(sentences)
        if not sentence.is_heading
        and not is_boilerplate(sentence)  # its outlet prints it everywhere: never news
        and (article.id, position) not in copied
        and not index.told_by_another(article, position, sentence)
    ]


def _wire_partners(links: list[ReuseLink]) -> dict[tuple[str, int], set[str]]:
    """(article, sentence) -> the articles that print the same sentence as wire copy."""
    partners: dict[tuple[str, int], set[str]] = defaultdict(set)
    for link in links:
        for match in link.alignments:
            partners[(link.article_b, match.b)].add(link.article_a)
            partners[(link.article_a, match.a)].add(link.article_b)
    return partners


class _WordIndex:
    """Content words and numbers of known sentences, for asking whether one of them contains a
    new sentence. A different number is news ("52 Tote" after "37 Tote"), so every number of
    the new sentence must be in the known one."""

    def __init__(self, documents: list[Document]) -> None:
        self.owner: list[str] = []
        self.numbers: list[frozenset[str]] = []
        self.words: list[frozenset[str]] = []  # each known sentence's content words
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.number_of: dict[tuple[str, int], int] = {}  # (article, position) -> its known sentence
        for article, sentences in documents:
            self.add(article, sentences)

    def add(self, article: Article, sentences: list[Sentence]) -> None:
        for position, sentence in enumerate(sentences):
            if sentence.is_heading:
                continue
            number = len(self.owner)
            self.number_of[(article.id, position)] = number
            self.owner.append(article.id)
            self.numbers.append(frozenset(NUMBER.findall(sentence.text)))
            self.words.append(frozenset(content_words(sentence.text, article.language)))
            for word in self.words[number]:
                self.postings[word].append(number)

    def tells(self, text: str, language: str | None, exclude: str | None = None) -> bool:
        return self._tells(frozenset(content_words(text, language)), frozenset(NUMBER.findall(text)), exclude)

    def told_by_another(self, article: Article, position: int, sentence: Sentence) -> bool:
        """Whether another article's known sentence tells this one (a known sentence's words as
        they were read when it was added)."""
        number = self.number_of.get((article.id, position))
        if number is None:
            return self.tells(sentence.text, article.language, exclude=article.id)
        return self._tells(self.words[number], self.numbers[number], exclude=article.id)

    def _tells(self, distinct: frozenset[str], numbers: frozenset[str], exclude: str | None) -> bool:
        if _too_short(distinct, numbers):
            return True
        needed = TOLD * len(distinct)
        return any(
            len(distinct & self.words[number]) >= needed and self.owner[number] != exclude and numbers <= self.numbers[number]
            for number in self._candidates(distinct, needed)
        )

    def _candidates(self, distinct: set[str], needed: float) -> set[int]:
        """The known sentences that can hold ``needed`` of the words: a sentence missing more
        than the rest must hold one of the rarest len - needed + 1 words, so only their postings
        are candidates (the most recent CANDIDATES of each: a word every sentence of a repetitive
        text shares would make each look-up a pass over all of them)."""
        rarest = sorted(distinct, key=lambda word: len(self.postings.get(word, ())))[: len(distinct) - math.ceil(needed) + 1]
        return {number for word in rarest for number in self.postings.get(word, ())[-CANDIDATES:]}


def what_is_new(baseline: Baseline, documents: list[Document], links: list[ReuseLink], event_of: dict[str, str], inferred: dict[str, str], also_known: frozenset[str] = frozenset()) -> dict:
    """The report's ``new_since``: the articles the baseline does not know, and their sentences
    that the known articles do not tell, with the event each belongs to."""
    known, fresh = [], []
    for article, sentences in documents:
        date = article.date or inferred.get(article.id)
        (known if baseline.knows(article.id, date) else fresh).append((article, sentences))
    fresh.sort(key=lambda document: (document[0].date or inferred.get(document[0].id) or "9999", document[0].id))
    untold = untold_sentences(fresh, known, links, frozenset(also_known))
    return {
        "since": baseline.label,
        "known_articles": len(known),
        "new_article_ids": [article.id for article, _ in fresh],
        "sentences": [
            {"article_id": article.id, "event_id": event_of.get(article.id), "sentence": index, "text": sentences[index].text}
            for article, sentences in fresh
            for index in untold[article.id]
        ],
    }
