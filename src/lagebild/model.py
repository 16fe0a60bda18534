"""The typed objects that pass between lagebild's stages.

Every stage reads and writes these dataclasses and nothing else, so a stage can be replaced
without touching its neighbours. Offsets are character offsets into ``Article.text`` unless a
field says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A stretch of text by its offsets. Not frozen, though never changed: tokens make tens of
    millions of spans a run, and a frozen dataclass's constructor costs three times as much."""

    start: int
    end: int


@dataclass(frozen=True)
class FieldSpan:
    """A part of the source that became a field (title, dateline, credit ...), with its place."""

    name: str
    start: int  # offsets into Article.source_text
    end: int
    text: str


@dataclass
class RawDocument:
    """One article's text as a reader found it, before title, dateline and credits are parsed.

    Readers of structured formats (JSONL, feeds, HTML, WARC) fill the metadata they know; the
    plain-text parser finds the rest inside ``text``.
    """

    path: str
    text: str
    source_format: str
    title: str | None = None
    date: str | None = None
    date_source: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    credits: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: str
    path: str
    source_format: str
    text: str  # the body: title, dateline, byline and credits removed
    source_text: str | None  # the whole text as decoded (NFC), ``text`` starting at ``body_offset`` in it; None where the store was asked for articles without it (the stages and linking never read it)
    body_offset: int
    title: str | None = None
    date: str | None = None  # ISO prefix at its known precision: "2025", "2025-07", "2025-07-12"
    date_source: str | None = None  # header, metadata, feed, warc, ...
    dateline: str | None = None
    credits: list[str] = field(default_factory=list)
    byline: str | None = None
    desk_code: str | None = None
    language: str | None = None
    url: str | None = None
    outlet: str | None = None
    headings: list[Span] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    fields: list[FieldSpan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    is_heading: bool = False


@dataclass(frozen=True)
class IngestProblem:
    """A file, line or record that could not be read, with a one-line reason."""

    path: str
    reason: str


@dataclass
class IngestSummary:
    read: int = 0  # articles read successfully
    added: int = 0  # of those, new to the store
    already_stored: int = 0
    problems: list[IngestProblem] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)  # every article read, new or already stored


@dataclass(frozen=True)
class SentenceAlignment:
    """One sentence of article A matched to one sentence of article B (indices into their sentences)."""

    a: int
    b: int
    similarity: float  # word-level, 0..1
    words: int = 0  # length of the shorter sentence, in words


@dataclass
class ReuseLink:
    """Text shared between two articles: wire copy reprinted, or one copying the other."""

    article_a: str
    article_b: str
    alignments: list[SentenceAlignment]
    kind: str  # "duplicate" (near-complete overlap both ways) or "partial"
    direction: str | None = None  # "a->b", "b->a" or None when dates and credits do not tell
    direction_reason: str | None = None


@dataclass(frozen=True)
class Mention:
    """A name in an article: where it stands, its type, and the name it stands for."""

    article_id: str
    start: int
    end: int
    text: str
    type: str  # PER, ORG, LOC, MISC
    name: str  # the full base form within the article: "Putins" -> "Putin", "Kim" -> "Kim Jong Un"
    role: bool = False  # a role word standing for the person ("den Machthaber" -> Kim Jong Un), no name


@dataclass
class Entity:
    id: str
    name: str
    type: str
    variants: list[str]
    mentions: list[Mention]


@dataclass(frozen=True)
class Quote:
    """Who said what in an article, and through whom it reached the article."""

    article_id: str
    start: int  # the content, without quotation marks
    end: int
    text: str
    direct: bool
    kind: str  # direct, indirect, reported, free_indirect
    cue: str | None
    speaker: str | None  # the full name where known, else the words that name the speaker
    speaker_start: int | None
    speaker_end: int | None
    via: str | None  # relaying agency or medium (KCNA, Tass, "Medienberichten")


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3-style: 2024, 2024-08, 2024-SU, 2025-07-12, P3D, PAST_REF, XXXX-XX-XX
    mod: str | None = None  # START, MID, END, APPROX, MORE_THAN, LESS_THAN


@dataclass(frozen=True)
class Claim:
    """A number reported in an article, as an interval, with what it counts."""

    id: str
    article_id: str
    start: int
    end: int
    text: str
    value: float | None  # None for vague counts ("Tausende")
    low: float
    high: float  # math.inf for "mehr als"
    qualifier: str  # exact, approx, over, under, upto, atleast, almost
    unit: str | None  # the counted thing, as a lemma
    modality: str  # report, plan, possibility
    increment: bool  # "weitere": counts additional ones, not a total
    sentence: str
    # what the number is of, where the sentence says: killed, injured, aboard, ... (people), a
    # measure noun (Umsatz, Verlust), "whole" (the 9,500 of "2,400 of 9,500 jobs"); None if unsaid
    role: str | None = None


@dataclass(frozen=True)
class Baseline:
    """What the reader knew already, for "what is new since": a moment (an ISO date prefix) or
    the articles of a previous report."""

    label: str  # as the user gave it: a date or a report's path
    date: str | None = None
    known_ids: frozenset[str] = frozenset()

    def knows(self, article_id: str, date: str | None) -> bool:
        if self.date is None:
            return article_id in self.known_ids
        if date is None:
            return False  # undated: it cannot be placed before the moment, so it is shown
        common = min(len(date), len(self.date))
        # same day as the moment: known; a coarser date that contains the moment: not known
        return date[:common] < self.date[:common] or (date[:common] == self.date[:common] and len(date) >= len(self.date))


@dataclass(frozen=True)
class AnalysisOptions:
    summary_sentences: int = 6  # "about five": a lead, two statements, the numbers, one detail
    since: Baseline | None = None
    # dense article vectors in same-event similarity; None: as the store was linked, a new store
    # wherever the network is installed (``pipeline.article_vectors_wanted``)
    embeddings: bool | None = None
