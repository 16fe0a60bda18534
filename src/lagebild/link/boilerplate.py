"""Boilerplate: sentences an outlet repeats across unrelated articles (notices, bylines, credit and
subscription lines). They never count as content: not as event words, not as wire copy, never in
a summary, never as what is new.

What counts: a sentence that one source prints under at least MIN_ARTICLES different headlines on
at least MIN_DAYS different days. Sentences are compared as written, in lower case and without
punctuation; digits stay (the same line with another number is news: "37 Tote", then "52 Tote").
Different headlines tell unrelated articles from one article the outlet publishes again (an
interview reprinted on three days under its title is the same text, not a notice), and two days
keep the versions of one story that an outlet updates during a day content.
A source is the article's outlet, else its URL's host; an article with neither (a file in a
folder) has no source to repeat itself, so nothing of it is counted or marked. Counting per
source keeps wire copy that different outlets print once each what it is, reuse.

How it is learnt: the store keeps, per hash of (source, sentence), how many articles carry it, the
first and last day of those that are dated, and the MIN_ARTICLES smallest hashes of their
headlines (enough to tell whether there are that many: ``boilerplate_sentences``). Linking counts each
article once, when it takes the article up, in the transaction that writes the picture, so a
run costs what it adds and two runs count what one counts. A batch of new articles is counted
before it is linked: a notice first seen in the batch is known to all of it. Articles linked
before one of their sentences became boilerplate keep the events and wire copy they were
linked with (they are not linked again); summaries and what is new read the knowledge as it is
whenever they are made.

Who ignores it: ``link.events.event_text`` (the event words), ``link.reuse`` (an aligned pair of
sentences that are boilerplate on both sides proves no copy), ``compose.summary`` (never a
candidate) and ``compose.novelty`` (never new, never an addition). They ask ``is_boilerplate``;
linking marks the sentences of the articles it reads with ``Knowledge.mark``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date
from hashlib import blake2b
from typing import Protocol
from urllib.parse import urlsplit

from lagebild.model import Article, Sentence

MIN_ARTICLES = 3  # "repeats": more than a story and its follow-up, under as many headlines
MIN_DAYS = 2  # an outlet's updates of one story during a day share sentences that are news
_WORD = re.compile(r"\w+")
_HASH_BITS = (1 << 63) - 1  # a signed 64-bit integer, as a database stores it

# key -> (articles, first day, last day, headlines): the days as ordinals (None: no dated article),
# the headlines as the MIN_ARTICLES smallest of their hashes, written "h1 h2 h3"
Counted = tuple[int, int | None, int | None, str]


@dataclass(frozen=True)
class BoilerplateSentence(Sentence):
    """A sentence its source repeats across articles: read like any other sentence (its
    quotations, times and numbers are found), counted as content by nothing."""


def is_boilerplate(sentence: Sentence) -> bool:
    return isinstance(sentence, BoilerplateSentence)


def source_of(article: Article) -> str | None:
    """Who repeats itself: the outlet, else the URL's host (without "www."); None for neither."""
    if article.outlet and article.outlet.strip():
        return article.outlet.strip().casefold()
    host = urlsplit(article.url).hostname if article.url else None
    return host.removeprefix("www.") if host else None


def sentence_key(source: str, text: str) -> int | None:
    """The hash a sentence is counted under for its source; None for a sentence without words."""
    words = _WORD.findall(text.casefold())
    return _hash(f"{source}\0{' '.join(words)}") if words else None


def _headline(article: Article) -> int:
    """The hash of the article's headline (compared as sentences are); an untitled article's is its own."""
    words = _WORD.findall((article.title or "").casefold())
    return _hash(" ".join(words) if words else f"\0{article.id}")


def _hash(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") & _HASH_BITS


def _day(article: Article) -> int | None:
    """The article's day as an ordinal; None unless its date names a day."""
    try:
        return date.fromisoformat(article.date[:10]).toordinal() if article.date and len(article.date) >= 10 else None
    except ValueError:
        return None


def counts_as_boilerplate(counted: Counted) -> bool:
    _, first_day, last_day, headlines = counted
    return len(headlines.split()) >= MIN_ARTICLES and first_day is not None and last_day - first_day + 1 >= MIN_DAYS


class _Read(Protocol):
    """What linking holds of an article: ``stages.Findings``."""

    article: Article
    sentences: list[Sentence]


class Knowledge:
    """What the store knows of repeated sentences, with what the batch being linked adds.
    ``lookup``: the store's counts for some keys (None: linking starts afresh, nothing is known)."""

    def __init__(self, lookup: Callable[[set[int]], dict[int, Counted]] | None) -> None:
        self._lookup = lookup
        self._counted: dict[int, Counted] = {}
        self._changed: set[int] = set()
        # by article id: a batch's new articles are learnt, marked, and marked again among the
        # articles its events hold (an article's keys follow from its stored text alone)
        self._keys_of: dict[str, list[int | None]] = {}

    def learn(self, articles: Iterable[_Read]) -> None:
        """Count the sentences of articles new to linking (each article once per sentence)."""
        found = [(read.article, keys) for read in articles if (keys := set(self._keys(read)) - {None})]
        self._read_stored({key for _, keys in found for key in keys})
        for article, keys in found:
            day, headline = _day(article), _headline(article)
            for key in keys:
                self._counted[key] = _added(self._counted[key], day, headline)
            self._changed |= keys

    def mark(self, articles: Iterable[_Read]) -> None:
        """Make each boilerplate sentence of these articles a ``BoilerplateSentence`` (in place)."""
        keyed = [(read, self._keys(read)) for read in articles]
        self._read_stored({key for _, keys in keyed for key in keys} - {None})
        for read, keys in keyed:
            repeated = [key is not None and counts_as_boilerplate(self._counted[key]) for key in keys]
            if any(repeated):
                read.sentences = [_marked(s) if boilerplate else s for s, boilerplate in zip(read.sentences, repeated)]

    def _keys(self, read: _Read) -> list[int | None]:
        keys = self._keys_of.get(read.article.id)
        if keys is None or len(keys) != len(read.sentences):
            keys = self._keys_of[read.article.id] = _keys(read)
        return keys

    def rows(self) -> list[tuple[int, int, int | None, int | None, str]]:
        """The store's rows for what ``learn`` counted: (key, articles, first day, last day, headlines)."""
        return [(key, *self._counted[key]) for key in sorted(self._changed)]

    def _read_stored(self, keys: set[int]) -> None:
        missing = keys - self._counted.keys()
        stored = self._lookup(missing) if self._lookup and missing else {}
        for key in missing:
            self._counted[key] = tuple(stored.get(key, (0, None, None, "")))


def _keys(read: _Read) -> list[int | None]:
    """Each sentence's key; None for a heading (content nowhere already), a sentence without
    words, and every sentence of an article without a source."""
    source = source_of(read.article)
    if source is None:
        return [None] * len(read.sentences)
    return [None if s.is_heading else sentence_key(source, s.text) for s in read.sentences]


def _added(counted: Counted, day: int | None, headline: int) -> Counted:
    articles, first_day, last_day, headlines = counted
    smallest = " ".join(map(str, sorted({*map(int, headlines.split()), headline})[:MIN_ARTICLES]))
    if day is None:
        return articles + 1, first_day, last_day, smallest
    return articles + 1, day if first_day is None else min(first_day, day), day if last_day is None else max(last_day, day), smallest


def _marked(sentence: Sentence) -> Sentence:
    if is_boilerplate(sentence):
        return sentence
    return BoilerplateSentence(**{each.name: getattr(sentence, each.name) for each in fields(sentence)})
