"""Wire-copy reuse: the sentences two articles share, aligned one to one, with a similarity.

How it grows with the stream without comparing all pairs:
1. Each sentence becomes a list of normalised words (case, ß/ss, umlauts folded; quotation marks
   and dashes vanish with the punctuation), each word a stable 64-bit code, and a set of
   word-trigram hashes.
2. Each sentence keeps its anchors in an index: its ANCHORS_PER_SENTENCE smallest trigram hashes
   (bottom-k MinHash: the choice depends on the sentence alone, so a copy keeps most of its
   original's anchors through edits, and an index built in one run equals one built in many).
3. A new sentence looks up all its trigrams. An earlier sentence that has one of them as an anchor
   is a candidate; but a trigram that is the anchor of more than RARE_RUN earlier sentences is a
   stock phrase or a sentence syndicated many times: its last few holders are candidates only if
   they share a second trigram with the new sentence. A posting list stops growing at MAX_HOLDERS.
4. Candidates are verified by word-level similarity (LCS-based Indel), which tolerates inserted,
   dropped and replaced words and ignores sentence order; verified pairs are grouped by article
   pair (pairs of sentences that both outlets repeat as boilerplate left out: ``link.boilerplate``),
   assigned one to one, and kept when the shared text is long enough to be copy.

The index lives in memory for one batch of documents (``find_reuse``) or in the store, where a new
article is compared with the stored ones through it (``candidate_pairs`` with the store's postings:
only the candidate sentences are read to verify them, only the articles they prove copy in full).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b

from rapidfuzz.distance import Indel

from lagebild.link.boilerplate import is_boilerplate
from lagebild.model import Article, ReuseLink, Sentence, SentenceAlignment

MIN_WORDS = 5  # shorter sentences ("Das ist so.") prove nothing
MIN_SIMILARITY = 0.6  # word-level; 20 % replaced words still give about 0.8
MIN_SHARED_WORDS = 12  # a pair of articles must share at least this much text
ANCHORS_PER_SENTENCE = 8
RARE_RUN = 5  # an anchor of at most this many earlier sentences is rare: one shared is enough
NEIGHBOURS_IN_LONG_RUNS = 4  # of a longer posting list, its last this many holders are candidates
MAX_HOLDERS = RARE_RUN + NEIGHBOURS_IN_LONG_RUNS  # more holders are never looked at
POSITIONS = 1 << 16  # a sentence's key: its article's number times this, plus its position
DUPLICATE_COVERAGE = 0.9
_MIX = (0x9E3779B97F4A7C15, 0x632BE59BD9B4E019)
_HASH_BITS = (1 << 63) - 1  # signed 64-bit, as a database stores it

_WORD = re.compile(r"\w+")
_FOLDED = {"ä": "ae", "ö": "oe", "ü": "ue", "é": "e", "è": "e", "à": "a"}
_TO_FOLD = re.compile("[" + "".join(_FOLDED) + "]")


def sentence_words(text: str) -> list[str]:
    """Words for comparison: casefolded (ß -> ss), umlauts spelled out, punctuation dropped."""
    # re.sub beats str.translate here: translate takes a slow path for non-ASCII replacements
    return _WORD.findall(_TO_FOLD.sub(lambda match: _FOLDED[match.group()], text.casefold()))


Document = tuple[Article, list[Sentence]]


@dataclass
class Comparable:
    """A sentence as reuse compares it."""

    key: int  # article number * POSITIONS + position among the article's sentences
    codes: tuple[int, ...]  # its words' codes
    trigrams: frozenset[int]

    @property
    def anchors(self) -> list[int]:
        return sorted(self.trigrams)[:ANCHORS_PER_SENTENCE]


class AnchorIndex:
    """Trigram hash -> the keys of the earlier sentences that have it as an anchor, in arrival
    order; ``postings`` may start with what a store holds for the hashes a batch asks about."""

    def __init__(self, postings: dict[int, list[int]] | None = None) -> None:
        self.postings: dict[int, list[int]] = postings if postings is not None else {}

    def candidates(self, sentence: Comparable) -> set[int]:
        rare: set[int] = set()
        common: Counter = Counter()
        for trigram in self.postings.keys() & sentence.trigrams:  # most trigrams are no one's anchor: skipped in C
            holders = self.postings[trigram]
            if len(holders) <= RARE_RUN:
                rare.update(holders)
            else:
                common.update(holders[-NEIGHBOURS_IN_LONG_RUNS:])
        own = sentence.key // POSITIONS
        return {key for key in rare | {key for key, shared in common.items() if shared >= 2} if key // POSITIONS != own}

    def add(self, sentence: Comparable) -> list[tuple[int, int]]:
        """Index the sentence's anchors; returns the (hash, key) rows added."""
        added = []
        for anchor in sentence.anchors:
            holders = self.postings.setdefault(anchor, [])
            if len(holders) < MAX_HOLDERS:
                holders.append(sentence.key)
                added.append((anchor, sentence.key))
        return added


def find_reuse(documents: list[Document]) -> list[ReuseLink]:
    """The wire copy among a batch of documents (an index of their own)."""
    numbered = dict(enumerate(documents))
    links, _ = link_new(comparable(numbered), AnchorIndex(), numbered)
    return links


def link_new(new: list[Comparable], index: AnchorIndex, known: dict[int, Document]) -> tuple[list[ReuseLink], list[tuple[int, int]]]:
    """The wire copy between the new documents' sentences (``comparable`` of the new documents,
    keyed by article number: later numbers arrived later) and every earlier one the index holds.
    ``known``: documents by number, the new ones and every earlier one the index can name as a
    candidate. Returns the links and the anchor rows added."""
    pairs, added, words = candidate_pairs(new, index)
    for key in {earlier for earlier, _ in pairs} - words.keys():
        words[key] = sentence_codes(known[key // POSITIONS][1][key % POSITIONS].text)
    return links(verified(pairs, words), known), added


def candidate_pairs(new: list[Comparable], index: AnchorIndex) -> tuple[set[tuple[int, int]], list[tuple[int, int]], dict[int, tuple[int, ...]]]:
    """The (earlier, new) sentence keys to compare, each new sentence indexed after it asked (a
    batch's later articles are compared with its earlier ones too); returns them, the anchor rows
    added, and the new sentences' word codes (the earlier ones' are for the caller to give)."""
    pairs: set[tuple[int, int]] = set()
    added: list[tuple[int, int]] = []
    words: dict[int, tuple[int, ...]] = {}
    for sentence in new:
        pairs.update((earlier, sentence.key) for earlier in index.candidates(sentence))
        added += index.add(sentence)
        words[sentence.key] = sentence.codes
    return pairs, added, words


def comparable(documents: dict[int, Document]) -> list[Comparable]:
    """The sentences reuse compares, in arrival order (headings and sentences under MIN_WORDS words are left out)."""
    found = []
    for number in sorted(documents):
        for position, sentence in enumerate(documents[number][1]):
            codes = sentence_codes(sentence.text)
            if sentence.is_heading or len(codes) < MIN_WORDS:
                continue
            trigrams = frozenset(((a * _MIX[0] + b * _MIX[1] + c) & _HASH_BITS) for a, b, c in zip(codes, codes[1:], codes[2:]))
            found.append(Comparable(number * POSITIONS + position, codes, trigrams))
    return found


def sentence_codes(text: str) -> tuple[int, ...]:
    return tuple(map(_word_code, sentence_words(text)))


@lru_cache(maxsize=2**18)  # bounded: a stream never stops bringing new words
def _word_code(word: str) -> int:
    """A stable 64-bit code per word (not Python's per-process string hash)."""
    return int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def verified(pairs: set[tuple[int, int]], words: dict[int, tuple[int, ...]]) -> dict[tuple[int, int], list[SentenceAlignment]]:
    """Candidate pairs that are copies, as alignments grouped by (earlier, later) article number."""
    found: dict[tuple[int, int], list[SentenceAlignment]] = defaultdict(list)
    for first, second in sorted(pairs):
        first_words, second_words = words[first], words[second]
        similarity = Indel.normalized_similarity(first_words, second_words)
        if similarity >= MIN_SIMILARITY:
            alignment = SentenceAlignment(first % POSITIONS, second % POSITIONS, round(similarity, 3), min(len(first_words), len(second_words)))
            found[(first // POSITIONS, second // POSITIONS)].append(alignment)
    return found


def may_link(matches: list[SentenceAlignment]) -> bool:
    """Whether two articles' verified sentences can make wire copy at all: ``links`` wants
    MIN_SHARED_WORDS of their words, and leaving out boilerplate and pairing one to one only take
    words away (the articles of the others need not be read)."""
    return sum(match.words for match in matches) >= MIN_SHARED_WORDS


def links(by_articles: dict[tuple[int, int], list[SentenceAlignment]], documents: dict[int, Document]) -> list[ReuseLink]:
    """The verified pairs of each two articles that make wire copy (``documents``: those two
    articles, by number)."""
    found = []
    for (first, second), matches in sorted(by_articles.items()):
        alignments = _one_to_one(_not_both_boilerplate(matches, documents[first][1], documents[second][1]))
        if sum(match.words for match in alignments) < MIN_SHARED_WORDS:
            continue
        article_a, article_b = documents[first][0], documents[second][0]
        link = ReuseLink(article_a.id, article_b.id, alignments, _kind(documents[first], documents[second], alignments))
        link.direction, link.direction_reason = copy_direction(article_a, article_b)
        found.append(link)
    return found


def _not_both_boilerplate(matches: list[SentenceAlignment], first: list[Sentence], second: list[Sentence]) -> list[SentenceAlignment]:
    """The aligned pairs that may prove a copy: a sentence that both articles' outlets repeat in
    every article (a notice, a byline) proves none (``link.boilerplate``); wire copy that one
    outlet recycles and another prints once still does."""
    return [match for match in matches if not (is_boilerplate(first[match.a]) and is_boilerplate(second[match.b]))]


def links_within(links: list[ReuseLink], group_of: dict[str, str]) -> dict[str, list[ReuseLink]]:
    """Group -> the links between two of its articles (each event's wire copy, found once rather
    than by scanning every link for every event)."""
    grouped: dict[str, list[ReuseLink]] = defaultdict(list)
    for link in links:
        group = group_of.get(link.article_a)
        if group is not None and group == group_of.get(link.article_b):
            grouped[group].append(link)
    return grouped


def _one_to_one(matches: list[SentenceAlignment]) -> list[SentenceAlignment]:
    """Greedy best-first assignment: each sentence aligns with at most one on the other side."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen = []
    for match in sorted(matches, key=lambda m: (-m.similarity, m.a, m.b)):
        if match.a not in used_a and match.b not in used_b:
            chosen.append(match)
            used_a.add(match.a)
            used_b.add(match.b)
    return sorted(chosen, key=lambda m: (m.a, m.b))


def _kind(first, second, alignments: list[SentenceAlignment]) -> str:
    covered = all(
        _coverage(sentences, {getattr(m, side) for m in alignments}) >= DUPLICATE_COVERAGE
        for (_, sentences), side in ((first, "a"), (second, "b"))
    )
    return "duplicate" if covered else "partial"


def _coverage(sentences: list[Sentence], aligned: set[int]) -> float:
    lengths = [(index, len(s.text)) for index, s in enumerate(sentences) if not s.is_heading]
    total = sum(length for _, length in lengths)
    return sum(length for index, length in lengths if index in aligned) / total if total else 0.0


def copy_direction(a: Article, b: Article) -> tuple[str | None, str | None]:
    """Who likely copied whom, from dates first and credits second; (None, None) if neither tells."""
    if a.date and b.date:
        precision = min(len(a.date), len(b.date))
        if a.date[:precision] != b.date[:precision]:
            earlier_is_a = a.date[:precision] < b.date[:precision]
            return ("a->b" if earlier_is_a else "b->a"), "published earlier"
    for source, copy, direction in ((a, b, "a->b"), (b, a, "b->a")):
        if _credits_contain(copy, source):
            return direction, f"{'/'.join(copy.credits)} relays {'/'.join(source.credits)}"
    for source, copy, direction in ((a, b, "a->b"), (b, a, "b->a")):
        if source.dateline and source.credits and not copy.dateline and _credits_contain(copy, source, strict=False):
            return direction, "the agency original carries the dateline"
    return None, None


def _credits_contain(copy: Article, source: Article, strict: bool = True) -> bool:
    """True if the copy credits every agency of the source (and, if strict, more besides)."""
    mine = {credit.lower() for credit in copy.credits}
    theirs = {credit.lower() for credit in source.credits}
    return bool(theirs) and theirs <= mine and (len(mine) > len(theirs) or not strict)
