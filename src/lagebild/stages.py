"""The per-article stages: sentences, entity mentions, quotations, time expressions and numeric
claims. Each runs once per article and keeps its result in the store, keyed by the stage's
version (``lagebild.versions``: its code, the lagebild code it imports, and the data it reads); a
new version of one stage recomputes that stage only.

Two stages also depend on what linking learns later. Time expressions (and the claims that read
them) are resolved against the article's date, or, for an undated article, the date its event
gives it; quotations read the article's names as completed from other articles ("Baltic" where
another report names "Baltic Link"). Their results carry that input, and a result made from
another input is made again (``Findings.refresh``).

Results are compact JSON (lists of field values), zlib-compressed: never pickle, since a store
may come from someone else.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from typing import Any
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields as dataclass_fields
from operator import attrgetter
from functools import cache

from lagebild.extract.claims import find_claims
from lagebild.extract.entities import iter_mentions
from lagebild.extract.quotes import find_quotes
from lagebild.extract.times import find_times
from lagebild.model import Article, Claim, Mention, Quote, Sentence, TimeExpression
from lagebild.nlp.sentences import split_article
from lagebild.versions import code_version

# stage -> (its modules, the package data it reads); every stage reads the language data
_SOURCES = {
    "sentences": (("lagebild.nlp.sentences",), ("lang",)),
    "mentions": (("lagebild.extract.entities",), ("lang", "data", "models")),
    "quotes": (("lagebild.extract.quotes",), ("lang", "data")),
    "times": (("lagebild.extract.times",), ("lang",)),
    "claims": (("lagebild.extract.claims",), ("lang",)),
}
STAGES = tuple(_SOURCES)
_INPUTS = {"mentions": ("sentences",), "quotes": ("sentences", "mentions"), "times": ("sentences",), "claims": ("sentences", "times")}


@cache
def versions() -> dict[str, str]:
    """Each stage's version, including the versions of the stages whose results it reads."""
    found: dict[str, str] = {}
    for stage in STAGES:  # in dependency order
        own = code_version(*_SOURCES[stage])
        found[stage] = hashlib.sha256(" ".join([own, *(found[i] for i in _INPUTS.get(stage, ()))]).encode()).hexdigest()[:16]
    return found


@dataclass
class Findings:
    """What the per-article stages found in one article."""

    article: Article
    seq: int = 0  # the article's place in the store's arrival order
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)  # as the tagger found them, before linking completes names
    quotes: list[Quote] = field(default_factory=list)
    quotes_read: str = ""  # a key of the mentions the quotations were found with
    times: list[TimeExpression] = field(default_factory=list)
    reference: str | None = None  # the date the times and claims were resolved against
    claims: list[Claim] = field(default_factory=list)

    @property
    def document(self) -> tuple[Article, list[Sentence]]:
        return self.article, self.sentences

    def refresh(self, mentions: list[Mention], reference: str | None) -> set[str]:
        """Find again what was found from other inputs than these (names completed across
        articles; the date an undated article's event gives it). Returns the stages redone."""
        redone = set()
        if mentions_key(mentions) != self.quotes_read:
            self.quotes, self.quotes_read = find_quotes(self.article, self.sentences, mentions), mentions_key(mentions)
            redone.add("quotes")
        if reference != self.reference:
            self.reference = reference
            self._times_and_claims()
            redone |= {"times", "claims"}
        return redone

    def _times_and_claims(self) -> None:
        article = self.article
        self.times = find_times(article.text, self.sentences, self.reference, article.language)
        self.claims = find_claims(article.id, article.text, self.sentences, self.times, article.language)


def mentions_key(mentions: list[Mention]) -> str:
    return hashlib.sha1(repr(list(map(_mention_fields, mentions))).encode()).hexdigest()[:12]


def _fields_of(kind: type) -> Callable[[Any], tuple]:
    """What dataclasses.astuple gives for a finding whose fields are plain values, without its
    deep copies (a tenth of the stages' time went to them)."""
    return attrgetter(*(each.name for each in dataclass_fields(kind)))


_mention_fields, _quote_fields, _time_fields, _claim_fields_of = map(_fields_of, (Mention, Quote, TimeExpression, Claim))


def compute(findings: list[Findings], needed: list[set[str]]) -> list[Findings]:
    """Run the stages each article needs (``needed``, parallel to ``findings``); stages it already
    has results for are read, not redone. The German sentences of all the articles are tagged
    together (far faster than article by article)."""
    for found, stages in zip(findings, needed):
        if "sentences" in stages:
            found.sentences = split_article(found.article)
    tagging = [found for found, stages in zip(findings, needed) if "mentions" in stages]
    for found, mentions in zip(tagging, iter_mentions(found.document for found in tagging)):
        found.mentions = mentions
    for found, stages in zip(findings, needed):
        if "quotes" in stages:
            found.quotes, found.quotes_read = find_quotes(found.article, found.sentences, found.mentions), mentions_key(found.mentions)
        if "times" in stages or "claims" in stages:
            found.reference = found.article.date
            found._times_and_claims()
    return findings


# Encoding: one row per stage and article, each finding a list of its fields (the article's id
# and a sentence's text are known from the article).

def encode(found: Findings, stage: str) -> bytes:
    value = {
        "sentences": lambda: [[s.start, s.end, s.paragraph, s.is_heading] for s in found.sentences],
        "mentions": lambda: [[m.start, m.end, m.text, m.type, m.name, m.role] for m in found.mentions],
        "quotes": lambda: {"read": found.quotes_read, "found": [_quote_fields(q)[1:] for q in found.quotes]},
        "times": lambda: {"reference": found.reference, "found": [_time_fields(t) for t in found.times]},
        "claims": lambda: {"reference": found.reference, "found": [_claim_fields(c) for c in found.claims]},
    }[stage]()
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def decode_into(found: Findings, stage: str, blob: bytes) -> None:
    value = json.loads(zlib.decompress(blob))
    article = found.article
    if stage == "sentences":
        found.sentences = [Sentence(start, end, article.text[start:end], paragraph, heading) for start, end, paragraph, heading in value]
    elif stage == "mentions":
        found.mentions = [Mention(article.id, *fields) for fields in value]
    elif stage == "quotes":
        found.quotes, found.quotes_read = [Quote(article.id, *fields) for fields in value["found"]], value["read"]
    elif stage == "times":
        found.times, found.reference = [TimeExpression(*fields) for fields in value["found"]], value["reference"]
    else:
        found.claims = [Claim(fields[0], article.id, *fields[1:4], fields[4], fields[5], math.inf if fields[6] is None else fields[6], *fields[7:]) for fields in value["found"]]


def sentence_spans(blob: bytes) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a result of the sentences stage, without the rest."""
    return [(start, end) for start, end, *_ in json.loads(zlib.decompress(blob))]


def _claim_fields(claim: Claim) -> list:
    fields = list(_claim_fields_of(claim))
    del fields[1]  # the article id
    if math.isinf(fields[6]):
        fields[6] = None  # "mehr als": no upper bound (JSON has no infinity)
    return fields


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
