"""Events and stories: online, single-pass clustering of the article stream.

Each article, in arrival order, joins the most similar active event or founds a new one; a new
event joins the most similar active story or founds one. The same input in the same order gives
the same result. An event's id is its first article's id (a story's, its first event's), and
later articles change earlier assignments only in two recorded ways: an article that reaches two
events which share enough merges them (the older keeps its id), and an event whose articles have
drifted into two distant groups splits (the group with its first article keeps the id; the other
takes its own first article's).

Same-event similarity is what an editor uses: the words of title and lead (TF-IDF with
document frequencies counted online; base forms, German ones translated into English so that
reports in both languages share words), the entities named (weighted by rarity), shared wire
copy (strong evidence) and the date gap, which decays the score. Stories use entities over weeks
instead of days. On the default path, where the network is installed, dense multilingual article
vectors (``nlp.embeddings``) join the score: they see paraphrase and translation, which words and
names miss (``--no-embeddings``: the lexical signals alone).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Protocol

import numpy as np
import simplemma

from lagebild import lang
from lagebild.link.boilerplate import is_boilerplate
from lagebild.link.reuse import sentence_words
from lagebild.model import Article, Entity, ReuseLink, Sentence, TimeExpression
from lagebild.nlp.subwords import word_vector

BODY_SENTENCES = 30  # how long an article is, and what its article vector reads
# The words an article is compared by: its title and lead. A report states its happening first
# (who did what, when, where) and then the background the whole story shares: compared by 30
# sentences, reports of one story on neighbouring days read as one event. Same-event gold
# (eval events-gold, 371 pairs; with the time, anchor and who-without-what rules, bar 0.30),
# lead 3 / 5 / 8 / 30 sentences: same-event precision / recall train 0.79 / 0.68, 0.73 / 0.76,
# 0.72 / 0.79, 0.69 / 0.81; dev 0.69 / 0.65, 0.67 / 0.71, 0.67 / 0.75, 0.61 / 0.81. Three
# sentences lose reports whose lead is a reaction ("... Gewerkschaft droht mit Streik").
LEAD_SENTENCES = 8
EVENT_THRESHOLD = 0.30
# With article vectors (--embeddings) the score runs higher within a language: e5 vectors of two
# reports of one story lie closer than their words. Same-event gold (one language a pair), bar
# 0.30 / 0.40 / 0.50: precision / recall train 0.62 / 0.82, 0.77 / 0.79, 0.86 / 0.69; dev 0.64 /
# 0.85, 0.72 / 0.75, 0.83 / 0.58. Across languages a translation's vector lies further from its
# original than a paraphrase's (the gap multilingual encoders leave between languages), and the
# gold has no such pairs: there the bar stays EVENT_THRESHOLD.
EMBEDDING_EVENT_THRESHOLD = 0.40
SHORT_TEXT_WORDS = 25  # a headline or a brief: sparse vectors, so a lower bar
SHORT_TEXT_THRESHOLD = 0.10  # UCI headlines, words in base forms: 0.08 / 0.10 / 0.12 gave BCubed F1 0.764 / 0.773 / 0.773
STORY_THRESHOLD = 0.25
# Two events merge when an article reaches both and their centroids are this close (keyed by
# "short text"): for articles, as close as an article must be to join an event; for headlines,
# fitted on the UCI headlines (0.1 / 0.15 / 0.2 / 0.3 / 0.5 gave BCubed F1 0.740 / 0.758 / 0.758 /
# 0.745 / 0.728; no merging 0.725).
MERGE_THRESHOLD = {True: 0.2, False: EVENT_THRESHOLD}
# An event whose articles fall into two groups this far apart is two events (keyed by "short
# text"): half the merge bar, so that what splits does not merge straight back. UCI headlines:
# split bar 0 (never) / 0.05 / 0.1 / 0.2 gave BCubed F1 0.773 / 0.773 / 0.768 / 0.770 with 0 / 4 /
# 15 / 88 splits; at 0.25, above the merge bar, events split and merged back 300 times.
SPLIT_THRESHOLD = {short: bar / 2 for short, bar in MERGE_THRESHOLD.items()}
SPLIT_CHECK_FROM = 4  # articles: an event is checked at 4, 8, 16, ... articles and after each merge
# How an event's score decays with the date gap, keyed by "short text": (days of grace, decay in
# days). An article printed the morning after the agency wired it reports the same event, and its
# text tells Monday's market losses from Tuesday's. A headline's few words cannot: the same words
# on the next day are most often the next day's news (the Mt. Gox filing in Tokyo, then in the US;
# Titanfall's reviews, then its launch), the next event of the same story. UCI headlines: (1, 2.0)
# as for articles / (0, 2.0) / (0, 1.0) / (0, 0.5) / (0, 0.25) gave BCubed F1 0.768 / 0.778 /
# 0.821 / 0.854 / 0.854. Articles decay from the first day too: in the same-event gold, 114 pairs
# of one happening lie 0 or 1 day apart and none further, while 61 of 88 pairs of one story
# lie 1 day apart or more; a day of grace (1, 2.0) gave same-event precision 0.63 / 0.65
# (train / dev), (0, 2.0) 0.72 / 0.67. Session 20, with EVENT_SPAN_DAYS: (0, 1.0) / (0, 1.5) /
# (0, 2.0) / (0, 3.0) gave precision / recall train 0.78 / 0.69, 0.76 / 0.81, 0.73 / 0.85, 0.74
# / 0.90; dev 0.84 / 0.69, 0.80 / 0.79, 0.77 / 0.85, 0.76 / 0.87: a trade, not a gain (1.5 loses
# a third of the German dev and English train pairs of one happening for a few false ones).
EVENT_DECAY = {False: (0, 2.0), True: (0, 0.5)}
# An event is one happening: reported on its day and, in follow-ups, the next, so its articles'
# dates span at most this many days (articles, not headlines: the UCI clusters are stories that
# run for weeks). Without it an event chains through a story day by day (the Bavarian curfew of
# 20 March 2020, the talk of a national one, the contact ban of the 22nd). In the same-event gold
# no pair of one happening lies more than a day apart. Span 1 / 2 / none: same-event precision /
# recall train 0.73 / 0.85, 0.71 / 0.84, 0.70 / 0.84; dev 0.77 / 0.85, 0.75 / 0.85, 0.72 / 0.85.
EVENT_SPAN_DAYS = 1
# The day a report's lead names ("am Dienstag", "on Monday", "gestern", resolved against its
# date) is the day of the happening it tells; a follow-up names its happening's day too. Two
# reports whose leads name days more than EVENT_SPAN_DAYS apart tell two happenings of a story
# (the arrest on Wednesday, the payment Giuliani told of on Monday), however alike their words.
# Read in the lead's first sentences (where the happening stands; later ones give the background's
# days) and only days up to the report's own (a later day is a plan's: "ab Montag"). Same-event
# gold (session 25), the first 0 (off) / 1 / 2 / 3 / 8 sentences: precision / recall train 0.791 /
# 0.855, 0.803 / 0.855, 0.812 / 0.839, 0.812 / 0.839, 0.820 / 0.806; dev 0.830 / 0.846, 0.830 /
# 0.846, 0.815 / 0.846, 0.808 / 0.808, 0.787 / 0.712 (a column's second sentence names the
# background's day: "Sunday's tweets").
HAPPENING_SENTENCES = 1
HAPPENING_LOOKBACK_DAYS = 7  # a weekday resolves within the week before the report
STORY_DECAY = (1, 45.0)
EVENT_WINDOW_DAYS = 10  # events idle longer leave the in-memory candidate set (they stay stored)
STORY_WINDOW_DAYS = 120
# Undated events and stories have no days to age by: they leave when idle for this many arrivals
# (a busy stream's ten days of events, four months of stories), looked at every UNDATED_CHECK.
EVENT_WINDOW_ARRIVALS = 10_000
STORY_WINDOW_ARRIVALS = 120_000
UNDATED_CHECK = 1_000
REUSE_BONUS = 0.35
# Text two outlets share is agency copy of one report: one shared sentence is evidence. Text one
# outlet prints twice is often its desk using its own lines again (a background paragraph, a quote
# it printed before, a county page's standing sentence) in a report of the story's next happening,
# or of another place's: within an outlet copy earns the bonus by its length, in full from this
# many sentences (a republished or updated report shares most of its text). Same-event gold,
# 1 (off) / 2 / 3 / 4 / 5 / 8 sentences: precision / recall train 0.74 / 0.87, 0.75 / 0.87, 0.75 /
# 0.85, 0.76 / 0.85, 0.76 / 0.85, 0.77 / 0.84; dev 0.77 / 0.85, 0.81 / 0.83, 0.82 / 0.85, 0.82 /
# 0.85, 0.82 / 0.85, 0.81 / 0.83 (German dev 0.64 -> 0.73).
OWN_COPY_SENTENCES = 4
VECTOR_WORDS = 40  # an article's strongest word stems kept in its vector
CANDIDATE_WORDS = 12  # an article's strongest words that find candidate events
# Who without what (_combine): names count for at most this many times the words' cosine.
# Same-event gold: precision 0.69 / 0.63 (train / dev) without the cap, 0.72 / 0.67 with it.
ENTITY_WORD_RATIO = 2.0
# ... and what without who: an article that names people or places and shares none of an event's
# names (gathered from all its reports) scores the names as a cosine of 0 (not words alone, as an
# article naming no one does). Same-event gold (session 25): precision / recall train 0.80 / 0.85
# -> 0.82 / 0.85, dev 0.83 / 0.85 the same. Events, not pairs: one report's tagger may miss a name
# the other prints (SemEval-2022 pairs with the rule on pairs too: Pearson de-de 0.591 -> 0.573,
# de-en 0.629 -> 0.615, en-en 0.773 -> 0.748; the same gold figures).
# One recent article of an event must reach this share of the bar (OnlineClusterer._anchored).
# A guard against drift more than a gain: same-event gold, precision / recall 0.69 / 0.79 train,
# 0.69 / 0.81 dev without it, 0.72 / 0.79 and 0.67 / 0.75 with it; with words from the whole
# body it broke the drifted topic clusters of 16-22 March 2020 (27, 23, 10 articles -> 16, 11,
# 7); with words from the lead these no longer form.
ANCHOR_FACTOR = 1.0
ANCHOR_MEMBERS = 32  # the event's most recent articles an article is compared with
# ... and the event's first article must reach this share of the bar (_tells_founding): an event
# is the happening its first report told, and a later report that is near only the latest
# follow-up has moved on to the story's next happening. Same-event gold, share 0 (off) / 0.4 /
# 0.5 / 0.6 / 0.7: precision / recall train 0.76 / 0.85, 0.77 / 0.85, 0.77 / 0.85, 0.79 / 0.85,
# 0.79 / 0.82; dev 0.82 / 0.85, 0.82 / 0.85, 0.82 / 0.85, 0.83 / 0.85, 0.83 / 0.85. Articles, not
# headlines (UCI BCubed F1 0.851 -> 0.738 with them: its gold clusters are stories of weeks).
FOUNDING_FACTOR = 0.6
MAX_CANDIDATES = 50  # clusters scored per article: those sharing the most items
CROSS_LANGUAGE_WORD_WEIGHT = 0.5  # German words in English (lang/de/translations_en.tsv) count as shared words
SHORT_TEXT_WORD_WEIGHT = 0.7  # UCI headlines: 0.55 / 0.65 / 0.7 / 0.75 / 0.85 gave BCubed F1 0.758 / 0.778 / 0.774 / 0.769 / 0.759
# Without a date (none given, none named in the text) an article must share more to join: the
# score is multiplied by this. Same-event gold with every date removed (the stream in its dated
# order), factor 0.9 / 0.85 / 0.8: precision / recall train 0.66 / 0.82, 0.71 / 0.76, 0.71 /
# 0.71; dev 0.64 / 0.73, 0.67 / 0.69, 0.65 / 0.65; dated: 0.72 / 0.79 and 0.67 / 0.75. At 0.85
# an undated stream is as precise as a dated one: more cautious, not less.
UNKNOWN_DATE_FACTOR = 0.85
STEM_LENGTH = 7
_WORD = re.compile(r"\w+")
_FULL_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")
# e5 cosines of unrelated news articles lie around 0.75-0.8 (of unrelated headlines, higher): only
# the part above the floor is evidence. Fitted on SemEval-2022 Task 8 training pairs (articles) and
# the UCI headlines (short texts): (floor, weight of the vectors against words and entities).
EMBEDDING_SCALE = {False: (0.8, 0.8), True: (0.88, 0.5)}  # keyed by "short text"
# The words' meaning vectors (_meaning), when there are no article vectors: cosines of unrelated
# articles lie around 0.8 too. Fitted on the SemEval pairs: floor 0.75 / 0.8 / 0.85 / 0.9 with
# weight 0.3 gave de-de 0.582 / 0.586 / 0.584 / 0.557, de-en 0.610 / 0.621 / 0.624 / 0.551;
# weight 0.2 / 0.4 at floor 0.8: de-en 0.610 / 0.618. Headlines: off (a few words' meaning is
# noise; UCI BCubed F1 0.854 without, 0.849 / 0.852 / 0.837 at weight 0.15 / 0.3 / 0.5).
MEANING_SCALE = {False: (0.8, 0.3), True: (0.8, 0.0)}


@dataclass
class ArticleSignals:
    """What the clustering knows of one article."""

    article_id: str
    language: str | None
    dates: tuple[int, int] | None  # first and last day (ordinal) the article's date can mean
    words: list[str]  # title and lead, stemmed content words
    entities: list[str]  # entity ids, one per mention
    reused_with: set[str] = field(default_factory=set)  # ids of articles sharing wire copy
    embedding: np.ndarray | None = None  # unit vector, when embeddings are on
    length: int | None = None  # content words of title and body (BODY_SENTENCES); None: len(words)
    # of ``reused_with``: articles of its own outlet sharing fewer than OWN_COPY_SENTENCES
    # sentences with it, and how many they share
    own_copy: dict[str, int] = field(default_factory=dict)
    happening: int | None = None  # the day (ordinal) its lead names (``happening_day``)
    outlet: str | None = None

    @property
    def text_words(self) -> int:
        """How long the article is: tells headlines and briefs from articles."""
        return len(self.words) if self.length is None else self.length


@dataclass
class _Vectors:
    words: dict[str, float]
    entities: dict[str, float]
    meaning: np.ndarray | None = None  # see _meaning


def _vectors_of(article: ArticleSignals, frequencies: _DocumentFrequencies, keep: int | None = VECTOR_WORDS) -> _Vectors:
    words = frequencies.vector(article.words, keep)
    return _Vectors(words, frequencies.vector(article.entities), _meaning(words))


def _meaning(words: dict[str, float]) -> np.ndarray | None:
    """The words' sub-word piece vectors (``nlp.subwords``), summed with the words' TF-IDF weights,
    unit length: what the words mean, where the words themselves differ ("Krieg" read as "krige"
    still lies near "war"). No network runs: the vectors are a table."""
    if not words:
        return None
    stems = list(words)
    total = np.fromiter(words.values(), dtype=np.float32, count=len(stems)) @ np.vstack([word_vector(stem) for stem in stems])
    norm = float(np.linalg.norm(total))
    return total / norm if norm else None


@dataclass
class _DenseSum:
    """A sum of unit vectors and its norm, kept up to date (once per article, not per comparison)."""

    total: np.ndarray | None = None
    norm: float = 0.0

    def add(self, vector: np.ndarray | None) -> None:
        if vector is not None:
            self.total = vector.copy() if self.total is None else self.total + vector
            self.norm = float(np.linalg.norm(self.total))

    def cosine(self, vector: np.ndarray | None) -> float | None:
        if vector is None or self.total is None:
            return None
        return float(vector @ self.total) / (self.norm or 1.0)


@dataclass
class Cluster:
    id: str
    article_ids: list[str]
    dates: tuple[int, int] | None
    word_sum: Counter
    entity_sum: Counter
    languages: set[str]
    event_ids: list[str] = field(default_factory=list)  # stories only
    word_norm_sq: float = 0.0  # squared norms of the sums, kept up to date as vectors are added
    entity_norm_sq: float = 0.0
    embeddings: _DenseSum = field(default_factory=_DenseSum)  # article vectors, when embeddings are on
    meanings: _DenseSum = field(default_factory=_DenseSum)
    text_words: int = 0  # content words of all its articles: tells headlines from articles
    last_arrival: int = 0  # the clusterer's arrival count when it last took an article in
    members: dict[str, tuple[ArticleSignals, _Vectors]] = field(default_factory=dict)  # active events only: to split them
    # (latest first day, earliest last day) of its articles' dates: two dated "July 2025" may be
    # one day, two of 1 and 3 July are not (events only; see EVENT_SPAN_DAYS)
    day_bounds: tuple[int, int] | None = None

    def add_vectors(self, vectors: "_Vectors", embedding: np.ndarray | None) -> None:
        self.word_norm_sq = _add_into(self.word_sum, vectors.words, self.word_norm_sq)
        self.entity_norm_sq = _add_into(self.entity_sum, vectors.entities, self.entity_norm_sq)
        self.embeddings.add(embedding)
        self.meanings.add(vectors.meaning)


def _add_into(total: Counter, vector: dict[str, float], norm_sq: float) -> float:
    """Add ``vector`` to ``total`` and return the new squared norm: |s+v|² = |s|² + 2s·v + |v|²."""
    dot = sum(total.get(item, 0.0) * weight for item, weight in vector.items())
    norm_sq += 2 * dot + sum(weight * weight for weight in vector.values())
    total.update(vector)
    return norm_sq


def content_words(text: str, language: str | None) -> list[str]:
    """The text's content words as the clustering compares them: stop words dropped; in a language
    lagebild knows, each in its base form and, where the language has a table, as its English
    translation ("Soldaten" -> "soldier", so German and English reports share words); folded as
    reuse folds them and cut to a common stem length (a cheap stemmer for every other language)."""
    forms = _compared_forms(language)
    found = []
    for word in _WORD.findall(text):  # millions of words per run: a plain dict, no generator
        stem = forms.get(word)
        if stem is None:
            stem = forms[word] = _comparable_word(word, language)
        if stem:
            found.append(stem)
    return found


def _written_and_compared(text: str, language: str | None) -> Iterator[tuple[str, str]]:
    """Each content word of the text as written, with the form the clustering compares."""
    forms = _compared_forms(language)
    for word in _WORD.findall(text):
        stem = forms.get(word)
        if stem is None:
            stem = forms[word] = _comparable_word(word, language)
        if stem:
            yield word, stem


_COMPARED: dict[str | None, dict[str, str]] = {}
COMPARED_WORDS = 2**17  # forms kept per language: bounded, a stream never stops bringing new words


def _compared_forms(language: str | None) -> dict[str, str]:
    """The words of a language worked out so far, with their forms (a dict: looked up a third
    faster than through ``lru_cache``); started again once it holds COMPARED_WORDS."""
    forms = _COMPARED.get(language)
    if forms is None or len(forms) >= COMPARED_WORDS:
        forms = _COMPARED[language] = {}
    return forms


def _comparable_word(word: str, language: str | None) -> str:
    """The form ``content_words`` keeps of one word; empty for a word it drops."""
    folded = "".join(sentence_words(word))
    if len(folded) <= 2 or folded.isdigit() or folded in _folded_stopwords(language):
        return ""
    if language in lang.SUPPORTED:
        # German as written (lower-case "schule" reads as a verb); English in lower case (a headline's "Makes")
        as_written = lang.settings(language, "grammar").get("nouns_capitalised", False)
        base = simplemma.lemmatize(word if as_written else word.lower(), lang=language).casefold()
        folded = "".join(sentence_words(lang.translations(language).get(base, base)))
    return folded[:STEM_LENGTH]


@cache
def _folded_stopwords(language: str | None) -> frozenset[str]:
    return frozenset(sentence_words(" ".join(lang.words(language, "stopwords"))))


def event_text(article: Article, sentences: list[Sentence], upto: int = BODY_SENTENCES) -> str:
    """Title and the first ``upto`` sentences of the body: what the clustering reads of an
    article (its words from the lead, ``LEAD_SENTENCES``; its length and its article vector
    from more), its outlet's boilerplate left out."""
    return " ".join(([article.title] if article.title else []) + _body(sentences)[:upto])


def _body(sentences: list[Sentence]) -> list[str]:
    return [s.text for s in _body_sentences(sentences)]


def _body_sentences(sentences: list[Sentence]) -> list[Sentence]:
    return [s for s in sentences if not s.is_heading and not is_boilerplate(s)]


def signals(
    article: Article,
    sentences: list[Sentence],
    entity_ids: list[str],
    reused_with: set[str],
    embedding: np.ndarray | None = None,
    named_days: tuple[int, int] | None = None,
    own_copy: dict[str, int] | None = None,
    happening: int | None = None,
) -> ArticleSignals:
    """``named_days``: for an undated article, the days its text names (``days_named``);
    ``own_copy``: see ``ArticleSignals.own_copy``; ``happening``: see ``happening_day``."""
    body = _body(sentences)
    words = content_words(" ".join(([article.title] if article.title else []) + body[:LEAD_SENTENCES]), article.language)
    # words are found word by word, so the rest of the body is read on its own (not the lead again)
    length = len(words) + len(content_words(" ".join(body[LEAD_SENTENCES:BODY_SENTENCES]), article.language))
    dates = day_range(article.date) or named_days
    return ArticleSignals(article.id, article.language, dates, words, entity_ids, reused_with, embedding, length, own_copy or {}, happening, article.outlet)


def happening_day(article: Article, sentences: list[Sentence], times: list[TimeExpression]) -> int | None:
    """The day (ordinal) of the happening a dated report tells: the first whole day its lead's
    first HAPPENING_SENTENCES sentences name, at most HAPPENING_LOOKBACK_DAYS before its date
    and not after it; None when they name none (most leads) or the article is not dated to a day."""
    published = day_range(article.date)
    lead = _body_sentences(sentences)[:HAPPENING_SENTENCES]
    if not published or published[0] != published[1] or not lead:
        return None
    for time in sorted(times, key=lambda time: time.start):
        if time.start >= lead[-1].end or time.type not in ("DATE", "TIME") or not _FULL_DAY.match(time.value):
            continue  # "Tuesday night" (2019-07-16TNI) and "at 8 p.m." name their day too
        day = date.fromisoformat(time.value[:10]).toordinal()
        if 0 <= published[0] - day <= HAPPENING_LOOKBACK_DAYS:
            return day
    return None


def days_named(times: list[TimeExpression]) -> tuple[int, int] | None:
    """The latest day a text names with its year ("am 12. März 2016", "2016-03-12"), as the days
    an undated article reports: news is written on or just after the days it names. Expressions
    without a year are left out: they were resolved against a date the clustering gave."""
    named = [day_range(time.value) for time in times if _FULL_DAY.fullmatch(time.value) and _YEAR.search(time.text)]
    latest = max((days[1] for days in named if days), default=None)
    return None if latest is None else (latest, latest)


def entity_ids_by_article(entities: list[Entity]) -> defaultdict[str, list[str]]:
    """Article id -> the entity id of each of its mentions."""
    entity_ids: defaultdict[str, list[str]] = defaultdict(list)
    for entity in entities:
        for mention in entity.mentions:
            entity_ids[mention.article_id].append(entity.id)
    return entity_ids


def _signals_of(
    documents,
    entity_ids: dict[str, list[str]],
    links: list[ReuseLink],
    embeddings: np.ndarray | None = None,
    named_days: dict | None = None,
    outlets: dict[str, str | None] | None = None,
    happening_days: dict[str, int | None] | None = None,
) -> list[ArticleSignals]:
    """``outlets``: of the earlier articles ``links`` name beside the documents;
    ``happening_days``: ``happening_day`` of the articles."""
    reused: dict[str, set[str]] = defaultdict(set)
    for link in links:
        reused[link.article_a].add(link.article_b)
        reused[link.article_b].add(link.article_a)
    own = _own_copy(links, {**(outlets or {}), **{article.id: article.outlet for article, _ in documents}})
    return [
        signals(
            article,
            sentences,
            entity_ids.get(article.id, []),
            reused[article.id],
            None if embeddings is None else embeddings[index],
            (named_days or {}).get(article.id),
            own.get(article.id),
            (happening_days or {}).get(article.id),
        )
        for index, (article, sentences) in enumerate(documents)
    ]


def _own_copy(links: list[ReuseLink], outlets: dict[str, str | None]) -> dict[str, dict[str, int]]:
    """Article id -> the articles of its own outlet it shares fewer than OWN_COPY_SENTENCES
    sentences with, and how many (``ArticleSignals.own_copy``). An article whose outlet is not
    known counts as another outlet's."""
    own: dict[str, dict[str, int]] = defaultdict(dict)
    for link in links:
        outlet = outlets.get(link.article_a)
        if outlet is None or outlet != outlets.get(link.article_b):
            continue
        shared = min(len({m.a for m in link.alignments}), len({m.b for m in link.alignments}))
        if shared < OWN_COPY_SENTENCES:
            own[link.article_a][link.article_b] = own[link.article_b][link.article_a] = shared
    return own


def _copied_report(article: ArticleSignals, others) -> bool:
    """Whether the article shares a report's text with one of ``others``: copy of another
    outlet, or much of its own outlet's (not a few lines its desk used again)."""
    return any(other not in article.own_copy for other in others)


def _copy_bonus(article: ArticleSignals, others) -> float:
    """The wire-copy bonus for text shared with ``others`` (ids in ``reused_with``): the
    strongest of them; copy within the article's own outlet counts by its length."""
    return max(REUSE_BONUS * min(1.0, article.own_copy.get(other, OWN_COPY_SENTENCES) / OWN_COPY_SENTENCES) for other in others)


def infer_dates(clusterer: OnlineClusterer, documents) -> dict[str, str]:
    """A date for each undated article: the earliest date of its event's dated articles."""
    event_dates: dict[str, list[str]] = defaultdict(list)
    for article, _ in documents:
        if article.date:
            event_dates[clusterer.event_of[article.id]].append(article.date)
    return {
        article.id: min(event_dates[clusterer.event_of[article.id]])
        for article, _ in documents
        if not article.date and event_dates.get(clusterer.event_of[article.id])
    }


def _date_order_keys(documents, last_date: str = "") -> list[tuple[str, int]]:
    keys = []
    for index, (article, _) in enumerate(documents):
        last_date = article.date or last_date
        keys.append((last_date, index))
    return keys


def compare_articles(documents, entities: list[Entity], links: list[ReuseLink], embeddings: np.ndarray | None = None) -> dict:
    """Similarity evidence for the first two documents, entity ids replaced by names."""
    first, second = _signals_of(documents, entity_ids_by_article(entities), links, embeddings)[:2]
    frequencies = _DocumentFrequencies()
    for article_signals in (first, second):
        frequencies.add(article_signals.words + article_signals.entities)
    # all stems: over two documents every word either article alone has outweighs every shared
    # one, so keeping the strongest would drop the shared words first
    evidence = similarity(first, second, frequencies, keep=None)
    names = {entity.id: entity.name for entity in entities}
    evidence["shared_entities"] = sorted({names[e] for e in evidence["shared_entities"]})
    written = _as_written(*documents[0])
    evidence["shared_words"] = [written.get(stem, stem) for stem in evidence["shared_words"]]
    evidence["shared_passages"] = _shared_passages(first.article_id, second.article_id, documents[0][1], links)
    return evidence


def _shared_passages(first: str, second: str, sentences: list[Sentence], links: list[ReuseLink]) -> list[str]:
    """The first article's sentences that the second prints too (wire copy), in its order."""
    indices: set[int] = set()
    for link in links:
        if (link.article_a, link.article_b) == (first, second):
            indices |= {m.a for m in link.alignments}
        elif (link.article_a, link.article_b) == (second, first):
            indices |= {m.b for m in link.alignments}
    return [sentences[index].text for index in sorted(indices)]


def _as_written(article: Article, sentences: list[Sentence]) -> dict[str, str]:
    """Each compared stem of an article -> the word the article first writes for it."""
    written: dict[str, str] = {}
    for word, stem in _written_and_compared(event_text(article, sentences), article.language):
        written.setdefault(stem, word)
    return written


def cluster(
    documents: list[tuple[Article, list[Sentence]]],
    entity_ids: dict[str, list[str]],
    links: list[ReuseLink],
    embeddings: np.ndarray | None = None,
    clusterer: OnlineClusterer | None = None,
    last_date: str = "",
    named_days: dict[str, tuple[int, int]] | None = None,
    outlets: dict[str, str | None] | None = None,
    happening_days: dict[str, int | None] | None = None,
) -> OnlineClusterer:
    """Run the online clusterer over a store in date order (a store is not read in the order the
    news happened); an undated article keeps its place after the article that arrived before it,
    and ties stay in arrival order. ``embeddings``, if given, has one row per document. Given a
    ``clusterer`` that placed some of the documents before (``event_state``), only the others are
    added, after them; ``last_date``: the date of the last dated article that arrived before the
    documents (where an undated first one is placed). ``entity_ids``: each article's mentions'
    entity ids; ``named_days``: undated articles' days as their texts name them (``days_named``);
    ``outlets``: the outlets of the earlier articles ``links`` name (the documents' are read);
    ``happening_days``: the days the documents' leads name (``happening_day``)."""
    clusterer = clusterer or OnlineClusterer()
    clusterer.event_of.recall(article.id for article, _ in documents)
    new = [index for index, (article, _) in enumerate(documents) if article.id not in clusterer.event_of]
    order_keys = _date_order_keys(documents, last_date)
    new.sort(key=order_keys.__getitem__)
    others = {article.id: article.outlet for article, _ in documents}  # those placed before, which new ones may copy
    new_signals = _signals_of([documents[index] for index in new], entity_ids, links, None if embeddings is None else embeddings[new], named_days, {**(outlets or {}), **others}, happening_days)
    clusterer.recall(new_signals)
    for article_signals in new_signals:
        clusterer.add(article_signals)
    return clusterer


def day_range(iso: str | None) -> tuple[int, int] | None:
    """'2025-07' -> (first, last day of July 2025) as ordinals; None when there is no date."""
    if not iso:
        return None
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        day = date(*parts).toordinal()
        return day, day
    if len(parts) == 2:
        year, month = parts
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1).toordinal(), following.toordinal() - 1
    return date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal()


class _DocumentFrequencies:
    """Counts seen so far: weights depend only on earlier articles (online, stable). The counts of
    a long stream's whole vocabulary stay in the store (``memory``); those of the items a run
    weighs are recalled, a batch at a time, before they are used."""

    def __init__(self, memory: "Memory | None" = None) -> None:
        self.documents = 0
        self.counts = Recalled(memory.frequencies_of if memory else None)  # item -> articles naming it

    def add(self, items) -> None:
        self.documents += 1
        self.counts.recall(items)
        for item in set(items):
            self.counts[item] = dict.get(self.counts, item, 0) + 1

    def vector(self, items: list[str], keep: int | None = None) -> dict[str, float]:
        """Unit TF-IDF vector; with ``keep``, only the strongest items (the rest barely move a
        cosine but cost time in every comparison)."""
        counts = Counter(items)
        self.counts.recall(counts)
        seen = self.counts
        # smoothed idf: an item every article shares still counts a little (small corpora)
        weights = {item: (1 + math.log(n)) * (1 + math.log((self.documents + 1) / (dict.get(seen, item, 0) + 1))) for item, n in counts.items()}
        if keep is not None and len(weights) > keep:
            weights = dict(sorted(weights.items(), key=lambda pair: (-pair[1], pair[0]))[:keep])
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {item: w / norm for item, w in weights.items()}


def _cosine(vector: dict[str, float], total: Counter, norm_sq: float | None = None) -> float:
    """Cosine of a unit vector with a sum of vectors (whose squared norm may be given)."""
    if not vector or not total:
        return 0.0
    norm = math.sqrt(norm_sq if norm_sq is not None else sum(w * w for w in total.values())) or 1.0
    return sum(w * total.get(item, 0.0) for item, w in vector.items()) / norm


def _gap_days(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float | None:
    if a is None or b is None:
        return None
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _time_factor(gap: float | None, decay: tuple[int, float]) -> float:
    grace, days = decay
    return UNKNOWN_DATE_FACTOR if gap is None else math.exp(-max(0.0, gap - grace) / days)


def _combine(word_score: float, entity_score: float, same_language: bool, short: bool = False, both_named: bool = False) -> float:
    """Within one language words and entities both count. Across languages German words are read
    in English (a table of single-word translations, noisy for a short report: "Rakete" -> "rake"),
    so entities weigh as much as words. A headline names one or two entities, whose cosine is then
    all or nothing: there words count more.
    ``both_named``: an article and an event (or two events) both name someone or somewhere
    (articles, not headlines): sharing none of them is then evidence too, of what without who
    (two counties' case counts of one Sunday, told in the same words), and the names count as a
    cosine of 0 (see ENTITY_WORD_RATIO)."""
    if not entity_score and not (both_named and not short):
        return word_score  # no names to compare: the words say it all
    if ENTITY_WORD_RATIO > 0 and same_language and not short:
        # who without what: names an outlet's articles share (its country, its city's mayor)
        # say nothing of whether they report one happening; the words must say it too
        entity_score = min(entity_score, ENTITY_WORD_RATIO * word_score)
    word_weight = CROSS_LANGUAGE_WORD_WEIGHT if not same_language else SHORT_TEXT_WORD_WEIGHT if short else 0.55
    return word_weight * word_score + (1 - word_weight) * entity_score


def _with_dense(lexical: float, embedding_cosine: float | None, meaning_cosine: float | None, short_text: bool) -> float:
    """Article vectors, when present, join (and mostly lead) the lexical score; without them, the
    words' meaning vectors join it."""
    if embedding_cosine is not None:
        floor, weight = EMBEDDING_SCALE[short_text]
        cosine = embedding_cosine
    elif meaning_cosine is not None:
        floor, weight = MEANING_SCALE[short_text]
        cosine = meaning_cosine
    else:
        return lexical
    return weight * max(0.0, (cosine - floor) / (1 - floor)) + (1 - weight) * lexical


def _event_bar(article: ArticleSignals, short: bool, same_language: bool) -> float:
    """The score an article must pass to join an event."""
    if short:
        return SHORT_TEXT_THRESHOLD
    return EMBEDDING_EVENT_THRESHOLD if article.embedding is not None and same_language else EVENT_THRESHOLD


def _is_short(article: ArticleSignals) -> bool:
    return article.text_words < SHORT_TEXT_WORDS


def similarity(a: ArticleSignals, b: ArticleSignals, frequencies: _DocumentFrequencies, keep: int | None = VECTOR_WORDS) -> dict:
    """Same-event similarity of two articles in [0, 1], with its evidence; ``keep``: word stems
    per article vector, as the clustering keeps them."""
    va, vb = _vectors_of(a, frequencies, keep), _vectors_of(b, frequencies, keep)
    parts = _pair_parts(a, va, b, vb)
    rounded = lambda value: None if value is None else round(value, 4)  # noqa: E731
    return {
        "similarity": round(parts.score, 4),
        "words": round(parts.words, 4),
        "entities": round(parts.entities, 4),
        "lexical": round(parts.lexical, 4),  # words and entities alone: what the dense signals join
        "copy_bonus": round(parts.bonus, 4),
        "embedding_cosine": rounded(parts.embedding_cosine),
        "meaning_cosine": rounded(parts.meaning_cosine),
        "shared_entities": sorted(set(a.entities) & set(b.entities)),
        "shared_words": _strongest_shared(va.words, vb.words),
        "shared_wire_copy": parts.reuse,
        "date_gap_days": parts.gap,
    }


@dataclass
class _PairParts:
    score: float  # the same-event similarity, time decay applied
    words: float
    entities: float
    lexical: float  # words and entities combined, before the dense signals
    bonus: float  # for shared wire copy
    embedding_cosine: float | None
    meaning_cosine: float | None
    reuse: bool
    gap: float | None


def _pair_parts(a: ArticleSignals, va: _Vectors, b: ArticleSignals, vb: _Vectors) -> _PairParts:
    """Same-event similarity of two articles from their vectors, with its parts."""
    short = _is_short(a) and _is_short(b)
    words, entities = _dot(va.words, vb.words), _dot(va.entities, vb.entities)
    embedding_cosine = None if a.embedding is None or b.embedding is None else float(a.embedding @ b.embedding)
    meaning_cosine = None if va.meaning is None or vb.meaning is None else float(va.meaning @ vb.meaning)
    reuse = b.article_id in a.reused_with
    gap = _gap_days(a.dates, b.dates)
    lexical = _combine(words, entities, a.language == b.language, short)  # no both_named: see ENTITY_WORD_RATIO
    bonus = _copy_bonus(a, (b.article_id,)) if reuse else 0.0
    score = _with_dense(lexical, embedding_cosine, meaning_cosine, short) + bonus
    return _PairParts(min(1.0, score) * _time_factor(gap, EVENT_DECAY[short]), words, entities, lexical, bonus, embedding_cosine, meaning_cosine, reuse, gap)


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors."""
    if len(b) < len(a):
        a, b = b, a
    return sum(weight * b.get(item, 0.0) for item, weight in a.items())


def _strongest_shared(a: dict[str, float], b: dict[str, float], limit: int = 12) -> list[str]:
    """The shared word stems that add most to the word cosine (German ones in English)."""
    return sorted(set(a) & set(b), key=lambda word: (-a[word] * b[word], word))[:limit]


class _Index:
    """Item (word stem or entity id) -> the active clusters containing it, to find candidates
    without scanning every active cluster."""

    def __init__(self) -> None:
        self.clusters: dict[str, set[str]] = defaultdict(set)

    def add(self, cluster_id: str, items) -> None:
        for item in items:
            self.clusters[item].add(cluster_id)

    def remove(self, cluster_id: str, items) -> None:
        for item in items:
            members = self.clusters.get(item)
            if members is not None:
                members.discard(cluster_id)
                if not members:
                    del self.clusters[item]

    def candidates(self, items) -> Counter:
        """Clusters sharing at least one item, with how many they share."""
        found: Counter = Counter()
        for item in items:
            found.update(self.clusters.get(item, ()))
        return found


class Memory(Protocol):
    """What the store keeps of a long stream's clustering beyond its saved state (``event_state``):
    maps that grow with every article, looked up for the ids a run needs, a batch at a time."""

    def events_of(self, article_ids: list[str]) -> dict[str, str]: ...

    def stories_of(self, event_ids: list[str]) -> dict[str, str]: ...

    def frequencies_of(self, items: list[str]) -> dict[str, int]: ...

    def history(self, kind: str, column: str, ids: list[str]) -> list[tuple[int, str, str]]: ...


class Recalled(dict):
    """A map the clusterer reads and writes as a dict, of which it holds what this run set or
    looked up; ``lookup`` (the store) answers for the rest, asked in batches by ``recall`` or,
    for a key not recalled before, one at a time. Remembers what was set and removed (to write)."""

    def __init__(self, lookup: Callable[[list], dict] | None = None) -> None:
        super().__init__()
        self._lookup = lookup
        self._absent: set = set()  # keys the store does not hold either
        self.changed: set = set()
        self.removed: set = set()

    def recall(self, keys) -> None:
        """Read these keys' values from the store at once (those not known yet)."""
        if self._lookup is None:
            return
        wanted = sorted({key for key in keys if not dict.__contains__(self, key) and key not in self._absent})
        if wanted:
            found = self._lookup(wanted)
            dict.update(self, found)
            self._absent.update(key for key in wanted if key not in found)

    def remember(self, values: dict) -> None:
        """Values as the store holds them (nothing to write)."""
        dict.update(self, values)

    def written(self) -> dict:
        """The entries set since this map was made, as they are now."""
        return {key: dict.__getitem__(self, key) for key in self.changed}

    def __missing__(self, key):
        self.recall((key,))
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def __contains__(self, key) -> bool:
        self.recall((key,))
        return dict.__contains__(self, key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        self.changed.add(key)
        self.removed.discard(key)

    def pop(self, key, *default):
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        self.changed.discard(key)
        self.removed.add(key)
        self._absent.add(key)
        return dict.pop(self, key)


class OnlineClusterer:
    """Events and stories built one article at a time, with bounded memory: clusters idle for
    longer than their window leave the candidate set. What grows with the stream (which event each
    article is in, which story each event, the document frequencies, the merges and splits) is
    held whole without a ``memory``; with one (the store), only what this run set or read."""

    def __init__(self, memory: Memory | None = None) -> None:
        self.memory = memory
        self.frequencies = _DocumentFrequencies(memory)
        self.active_events: dict[str, Cluster] = {}
        self.active_stories: dict[str, Cluster] = {}
        self.event_index = _Index()
        self.story_index = _Index()
        self.event_of = Recalled(memory.events_of if memory else None)  # article id -> event id
        self.story_of = Recalled(memory.stories_of if memory else None)  # event id -> story id
        self.latest_day = 0
        self._evicted_on = 0
        self.arrivals = 0  # articles added so far
        # in order; with a memory, those of this run (``history_before`` were kept before it)
        self.merges: list[tuple[str, str]] = []  # (absorbed event id, event it joined)
        self.splits: list[tuple[str, str]] = []  # (event id, id of the event split off it)
        self.story_merges: list[tuple[str, str]] = []  # (absorbed story id, story it joined)
        self.history_before = {"merge": 0, "split": 0, "story_merge": 0}
        self._founded: dict[str, int] = {}  # active event id -> when it was founded: the older one survives a merge
        self._foundings = 0  # events founded so far, split-off ones included
        self._merged_away: set[str] = set()  # the absorbed ids of ``merges``, for lookups

    def recall(self, articles: list[ArticleSignals]) -> None:
        """Read from the memory at once what adding these articles looks up: the document
        frequencies of their items, the events of the articles they share wire copy with."""
        self.frequencies.counts.recall({item for article in articles for item in (*article.words, *article.entities)})
        self.event_of.recall({other for article in articles for other in article.reused_with})

    def add(self, article: ArticleSignals) -> str:
        self.arrivals += 1
        self.frequencies.add(article.words + article.entities)
        vectors = _vectors_of(article, self.frequencies)
        if article.dates:
            self.latest_day = max(self.latest_day, article.dates[1])
        matches = self._matching_events(article, vectors)
        late = None if matches else self._retired_event_of_copy(article)
        if late is not None:
            self.event_of[article.article_id] = late
            return late
        if matches:
            event = matches[0]
        else:
            event = _new_cluster(article)
            self.active_events[event.id] = event
            self._note_founding(event.id)
            self._place_in_story(event, vectors)
        _absorb(event, article, vectors)
        self.event_index.add(event.id, list(vectors.words) + list(vectors.entities))
        merged = False
        for other in matches[1:]:  # the article bridges events that have grown into one
            if other.id in self.active_events and event.id != other.id and self._closeness(event, other) >= MERGE_THRESHOLD[_is_short_event(event)]:
                event, merged = self._merge(event, other), True
        size = len(event.article_ids)
        if merged or (size >= SPLIT_CHECK_FROM and size & (size - 1) == 0):
            event = self._split_if_divided(event, article.article_id)
        story = self.active_stories.get(self.story_of[event.id])
        event.last_arrival = self.arrivals
        if story is not None:
            story.last_arrival = self.arrivals
            story.dates = _union(story.dates, article.dates)
            story.entity_norm_sq = _add_into(story.entity_sum, vectors.entities, story.entity_norm_sq)
            self.story_index.add(story.id, vectors.entities)
        self.event_of[article.article_id] = event.id
        self._evict()
        return event.id

    def _retired_event_of_copy(self, article: ArticleSignals) -> str | None:
        """The event, no longer active, of an article this one shares wire copy with: a report
        that arrives late (an archive, a feed catching up) still joins the event its agency copy
        belongs to. Only membership is recorded: the retired event's centroid is gone. A report
        dated within the active window is no late one: events retire when their days leave the
        window, so the text it shares with a retired event is text an outlet used again (a
        newsletter's standing paragraphs weeks later), not that event's report."""
        if article.dates and self.latest_day - article.dates[1] <= EVENT_WINDOW_DAYS - EVENT_SPAN_DAYS:
            return None
        for other in sorted(article.reused_with - article.own_copy.keys()):  # a few own lines are no report
            event_id = self.event_of.get(other)
            if event_id is not None and event_id not in self.active_events:
                return event_id
        return None

    def _note_founding(self, event_id: str) -> None:
        self._founded[event_id] = self._foundings
        self._foundings += 1

    def _closeness(self, a: Cluster, b: Cluster) -> float:
        """How much two events' centroids share words and names, decayed by their date gap: one
        article reaching both proves them one event only if they are close. Article vectors stay
        out: averaged over many articles, their cosines rise towards each other whatever the events."""
        short = _is_short_event(a)
        if not short and _span_days(_tightest(a.day_bounds, b.day_bounds)) > EVENT_SPAN_DAYS:
            return 0.0  # one event would then span more days than one happening is reported on
        if not short and _days_apart(a.members.values(), b.members.values()):
            return 0.0
        lexical = _combine(
            _cosine(_unit(a.word_sum, a.word_norm_sq), b.word_sum, b.word_norm_sq),
            _cosine(_unit(a.entity_sum, a.entity_norm_sq), b.entity_sum, b.entity_norm_sq),
            bool(a.languages & b.languages),
            short,
            bool(a.entity_sum and b.entity_sum),
        )
        return lexical * _time_factor(_gap_days(a.dates, b.dates), EVENT_DECAY[short])

    def _split_if_divided(self, event: Cluster, newest: str) -> Cluster:
        """Single-pass clustering drifts: the centroid follows each article it takes in, until an
        event holds two. When its articles fall into two groups too far apart to be one event, the
        group without the event's first article becomes an event of its own (recorded in
        ``splits``), in the same story. Returns the event that now holds the newest article."""
        groups = _two_groups(list(event.members.values()))
        if groups is None:
            return event
        # the parted event's id: its first article's, unless that was the id of an event merged
        # away (ids are never reused, so the merge record keeps its meaning)
        parted_id = next((article.article_id for article, _ in groups[1] if article.article_id not in self._merged_away), None)
        if parted_id is None:
            return event
        kept, parted = _rebuilt(event.id, groups[0]), _rebuilt(parted_id, groups[1])
        if self._closeness(kept, parted) >= SPLIT_THRESHOLD[_is_short_event(event)]:
            return event
        self.event_index.remove(event.id, list(event.word_sum) + list(event.entity_sum))
        for part in (kept, parted):
            self.active_events[part.id] = part
            self.event_index.add(part.id, list(part.word_sum) + list(part.entity_sum))
            for article_id in part.article_ids:
                self.event_of[article_id] = part.id
        self._note_founding(parted.id)
        story_id = self.story_of[parted.id] = self.story_of[event.id]
        if story_id in self.active_stories:
            self.active_stories[story_id].event_ids.append(parted.id)
        self.splits.append((event.id, parted.id))
        return kept if newest in kept.members else parted

    def _merge(self, a: Cluster, b: Cluster) -> Cluster:
        """One event from two; the older keeps its id (stable ids), the merge is recorded."""
        keep, gone = (a, b) if self._founded[a.id] < self._founded[b.id] else (b, a)
        keep.article_ids.extend(gone.article_ids)
        keep.word_norm_sq = _add_into(keep.word_sum, gone.word_sum, keep.word_norm_sq)
        keep.entity_norm_sq = _add_into(keep.entity_sum, gone.entity_sum, keep.entity_norm_sq)
        keep.embeddings.add(gone.embeddings.total)
        keep.meanings.add(gone.meanings.total)
        keep.dates = _union(keep.dates, gone.dates)
        keep.day_bounds = _tightest(keep.day_bounds, gone.day_bounds)
        keep.languages |= gone.languages
        keep.text_words += gone.text_words
        keep.members.update(gone.members)
        for article_id in gone.article_ids:
            self.event_of[article_id] = keep.id
        items = list(gone.word_sum) + list(gone.entity_sum)
        self.event_index.remove(gone.id, items)
        self.event_index.add(keep.id, items)
        del self.active_events[gone.id]
        del self._founded[gone.id]  # it takes part in no more merges
        gone_story = self.story_of.pop(gone.id)
        story = self.active_stories.get(gone_story)
        if story is not None and gone.id in story.event_ids:
            story.event_ids.remove(gone.id)
        self.merges.append((gone.id, keep.id))
        self._merged_away.add(gone.id)
        if gone_story != self.story_of[keep.id]:
            self._merge_stories(gone_story, self.story_of[keep.id])
        return keep

    def _merge_stories(self, a_id: str, b_id: str) -> None:
        """Two events became one, so their stories are one: the story that began earlier keeps its
        id and takes the other's events; the merge is recorded. A story no longer active stays."""
        a, b = self.active_stories.get(a_id), self.active_stories.get(b_id)
        if a is None or b is None:
            return
        keep, gone = sorted((a, b), key=lambda story: (story.dates[0] if story.dates else math.inf, story.id))
        keep.event_ids.extend(gone.event_ids)
        for event_id in gone.event_ids:
            self.story_of[event_id] = keep.id
        keep.entity_norm_sq = _add_into(keep.entity_sum, gone.entity_sum, keep.entity_norm_sq)
        keep.dates = _union(keep.dates, gone.dates)
        self.story_index.remove(gone.id, list(gone.entity_sum))
        self.story_index.add(keep.id, list(gone.entity_sum))
        del self.active_stories[gone.id]
        self.story_merges.append((gone.id, keep.id))

    def _matching_events(self, article: ArticleSignals, vectors: _Vectors) -> list[Cluster]:
        """The active events the article reaches the threshold with, best first."""
        def score(event: Cluster) -> float:
            if not short and _span_days(_tightest(event.day_bounds, article.dates)) > EVENT_SPAN_DAYS:
                return 0.0  # one happening is reported on its day and the next, not for days on end
            if not short and _days_apart(event.members.values(), [(article, vectors)]):
                return 0.0  # the leads name different days: different happenings
            if not short and _own_desk_days_before(event, article):
                return 0.0  # a desk's next report of its story: its next happening
            recency = _time_factor(_gap_days(article.dates, event.dates), EVENT_DECAY[short])
            if recency < (SHORT_TEXT_THRESHOLD if short else EVENT_THRESHOLD):
                return 0.0  # too far apart in time to reach the threshold whatever they share
            lexical = _combine(
                _cosine(vectors.words, event.word_sum, event.word_norm_sq),
                _cosine(vectors.entities, event.entity_sum, event.entity_norm_sq),
                article.language in event.languages,
                short,
                bool(vectors.entities and event.entity_sum),
            )
            value = _with_dense(lexical, event.embeddings.cosine(article.embedding), event.meanings.cosine(vectors.meaning), short)
            copied = article.reused_with.intersection(event.article_ids)
            if copied:
                value += _copy_bonus(article, copied)
            return min(1.0, value) * recency

        top_words = sorted(vectors.words, key=vectors.words.get, reverse=True)[:CANDIDATE_WORDS]
        found = self.event_index.candidates(top_words + list(vectors.entities))
        for other in article.reused_with:  # an event holding its wire copy is always a candidate
            if other in self.event_of:
                found[self.event_of[other]] += len(top_words) + len(vectors.entities)
        strongest = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
        candidates = [self.active_events[key] for key, _ in strongest if key in self.active_events]
        short = _is_short(article)
        passing = []
        for candidate in candidates:
            bar = _event_bar(article, short, article.language in candidate.languages)
            value = score(candidate)
            if value > bar and self._anchored(candidate, article, vectors, bar):
                passing.append((value, candidate.id, candidate))
        return [candidate for value, _, candidate in sorted(passing, key=lambda item: (-item[0], item[1]))]

    def _anchored(self, event: Cluster, article: ArticleSignals, vectors: _Vectors, threshold: float) -> bool:
        """Whether one of the event's recent articles reports what this one does. An event's
        centroid is the mean of its articles: as it grows it drifts towards the topic they share
        (a country's outbreak, a city's politics) and takes in any article on that topic, which
        then moves it further. Each article of an event must be near one of its articles too,
        and not far from its first (``FOUNDING_FACTOR``)."""
        if ANCHOR_FACTOR <= 0 or _copied_report(article, article.reused_with.intersection(event.article_ids)):
            return True  # wire copy shared with one of its articles is evidence enough
        if not self._tells_founding(event, article, vectors, threshold):
            return False
        bar = ANCHOR_FACTOR * threshold
        recent = list(event.members.values())[-ANCHOR_MEMBERS:]
        return any(_pair_parts(article, vectors, other, other_vectors).score >= bar for other, other_vectors in reversed(recent))

    @staticmethod
    def _tells_founding(event: Cluster, article: ArticleSignals, vectors: _Vectors, threshold: float) -> bool:
        """Whether the article is near enough the event's first report (the happening it was
        founded on). An event chains from report to report: a magazine's call, the president's
        attack on the magazine; a county's figures, the next day's; each near the one before, the
        last no longer near the first. An event split or merged keeps a first article too (the
        first of its members)."""
        if FOUNDING_FACTOR <= 0 or not event.members or _is_short(article):
            return True  # headlines: see EVENT_SPAN_DAYS
        first, first_vectors = next(iter(event.members.values()))
        return _pair_parts(article, vectors, first, first_vectors).score >= FOUNDING_FACTOR * threshold

    def _place_in_story(self, event: Cluster, vectors: _Vectors) -> None:
        def score(story: Cluster) -> float:
            recency = _time_factor(_gap_days(event.dates, story.dates), STORY_DECAY)
            return _cosine(vectors.entities, story.entity_sum, story.entity_norm_sq) * recency if recency >= STORY_THRESHOLD else 0.0

        found = self.story_index.candidates(vectors.entities)
        strongest = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
        candidates = [self.active_stories[key] for key, _ in strongest if key in self.active_stories]
        story = _best(candidates, score, STORY_THRESHOLD)
        if story is None:
            story = Cluster(event.id, [], event.dates, Counter(), Counter(), set())
            self.active_stories[story.id] = story
        story.event_ids.append(event.id)
        self.story_of[event.id] = story.id

    def _evict(self) -> None:
        if self.arrivals % UNDATED_CHECK == 0:
            self._evict_where(EVENT_WINDOW_ARRIVALS, STORY_WINDOW_ARRIVALS, lambda c, window: not c.dates and self.arrivals - c.last_arrival > window)
        if self.latest_day == self._evicted_on:
            return  # nothing dated can have aged since the last look
        self._evicted_on = self.latest_day
        self._evict_where(EVENT_WINDOW_DAYS, STORY_WINDOW_DAYS, lambda c, window: c.dates and self.latest_day - c.dates[1] > window)

    def _evict_where(self, event_window: int, story_window: int, idle: Callable[[Cluster, int], bool]) -> None:
        for clusters, index, window in ((self.active_events, self.event_index, event_window), (self.active_stories, self.story_index, story_window)):
            for key in [key for key, c in clusters.items() if idle(c, window)]:
                gone = clusters.pop(key)
                if clusters is self.active_events:
                    del self._founded[key]  # an evicted event takes part in no more merges
                index.remove(key, list(gone.word_sum) + list(gone.entity_sum))


def _new_cluster(article: ArticleSignals) -> Cluster:
    return Cluster(article.article_id, [], article.dates, Counter(), Counter(), set())


def _unit(total: Counter, norm_sq: float) -> dict[str, float]:
    norm = math.sqrt(norm_sq) or 1.0
    return {item: weight / norm for item, weight in total.items()}


def _is_short_event(event: Cluster) -> bool:
    """Whether an event's articles are, on average, headlines or briefs."""
    return event.text_words / max(1, len(event.article_ids)) < SHORT_TEXT_WORDS


def _two_groups(members: list[tuple[ArticleSignals, _Vectors]]) -> tuple[list, list] | None:
    """The event's articles in two groups (two-means, seeded with its first article and the article
    least like it), in arrival order, the first article's group first; None if one group takes all."""
    if len(members) < 2:
        return None
    first = _Centroid([members[0]])
    far = min(range(1, len(members)), key=lambda index: first.closeness(members[index]))
    sides = [0] * len(members)
    sides[far] = 1
    for _ in range(5):
        centroids = [_Centroid([m for m, side in zip(members, sides) if side == wanted]) for wanted in (0, 1)]
        # the first article anchors the event: it never changes sides
        moved = [0] + [int(centroids[1].closeness(m) > centroids[0].closeness(m)) for m in members[1:]]
        settled, sides = moved == sides, moved
        if settled or 1 not in sides:
            break
    if 1 not in sides:
        return None
    return [m for m, side in zip(members, sides) if not side], [m for m, side in zip(members, sides) if side]


class _Centroid:
    """The summed word and entity vectors of a group of articles."""

    def __init__(self, members: list[tuple[ArticleSignals, _Vectors]]) -> None:
        self.words: Counter = Counter()
        self.entities: Counter = Counter()
        self.languages = {article.language for article, _ in members}
        for _, vectors in members:
            self.words.update(vectors.words)
            self.entities.update(vectors.entities)
        self.word_norm_sq = sum(w * w for w in self.words.values())
        self.entity_norm_sq = sum(w * w for w in self.entities.values())

    def closeness(self, member: tuple[ArticleSignals, _Vectors]) -> float:
        article, vectors = member
        return _combine(
            _cosine(vectors.words, self.words, self.word_norm_sq),
            _cosine(vectors.entities, self.entities, self.entity_norm_sq),
            article.language in self.languages,
            _is_short(article),
            bool(vectors.entities and self.entities),
        )


def _rebuilt(event_id: str, members: list[tuple[ArticleSignals, _Vectors]]) -> Cluster:
    event = Cluster(event_id, [], None, Counter(), Counter(), set())
    for article, vectors in members:
        _absorb(event, article, vectors)
    return event


def _absorb(event: Cluster, article: ArticleSignals, vectors: _Vectors) -> None:
    event.members[article.article_id] = (article, vectors)
    event.text_words += article.text_words
    event.article_ids.append(article.article_id)
    event.add_vectors(vectors, article.embedding)
    event.dates = _union(event.dates, article.dates)
    event.day_bounds = _tightest(event.day_bounds, article.dates)
    if article.language:
        event.languages.add(article.language)


def _best(clusters, score, threshold: float) -> Cluster | None:
    """The highest-scoring cluster at or above the threshold; ties go to the older id."""
    best, best_score = None, threshold
    for cluster in clusters:
        value = score(cluster)
        if value > best_score or (value == best_score and best is not None and cluster.id < best.id):
            best, best_score = cluster, value
    return best


def _tightest(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    """Day bounds (``Cluster.day_bounds``) with another article's or event's."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a[0], b[0]), min(a[1], b[1])


def _own_desk_days_before(event: Cluster, article: ArticleSignals) -> bool:
    """Whether every report of the event is the article's own outlet's, of another day, and
    shares no text with it. A desk follows its story day by day (the clinic's manager named, then
    the clinic's staff sought; the mayor in quarantine, then the parliament's next session) in
    the story's words and names; its report of the next day tells the next happening unless it
    prints part of the earlier one again (an update, a republished interview) or another outlet's
    report of the happening ties them (then the event holds that report too). Same-event gold
    (session 25): precision / recall train 0.815 / 0.855 -> 0.841 / 0.855, dev 0.830 / 0.846 the
    same."""
    if article.outlet is None or not event.members:
        return False
    for other, _ in event.members.values():
        gap = _gap_days(other.dates, article.dates)
        if other.outlet != article.outlet or gap is None or gap < 1 or other.article_id in article.reused_with:
            return False
    return True


def _days_apart(a, b) -> bool:
    """Whether two groups of (signals, vectors) hold leads naming days further apart than one
    happening is reported on (``HAPPENING_SENTENCES``)."""
    days_a = [article.happening for article, _ in a if article.happening is not None]
    days_b = [article.happening for article, _ in b if article.happening is not None]
    return bool(days_a and days_b) and max(max(days_a) - min(days_b), max(days_b) - min(days_a)) > EVENT_SPAN_DAYS


def _span_days(bounds: tuple[int, int] | None) -> int:
    """The fewest days an event's articles can span, from its day bounds: its latest first
    possible day after its earliest last possible day (0: one day, overlapping ranges, undated)."""
    return 0 if bounds is None else max(0, bounds[0] - bounds[1])


def _union(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), max(a[1], b[1])
