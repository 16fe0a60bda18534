"""Wire-copy reuse: the sentences two articles share, aligned one to one, with a similarity.

How it scales without comparing all pairs:
1. Each sentence becomes a list of normalised words (case, ß/ss, umlauts folded; quotation marks
   and dashes vanish with the punctuation) and a set of word-trigram hashes.
2. A trigram found in one sentence only can match nothing; one found in hundreds is a stock
   phrase. Each sentence's anchors are its few rarest trigrams that occur elsewhere (sentence
   frequency 2..MAX_FREQUENCY). Copies keep some rare trigrams through edits, so they share anchors:
   an LSH-style candidate index over the whole corpus, built with sorting instead of all pairs.
3. Sentences sharing an anchor are candidates, verified by word-level similarity (LCS-based Indel),
   which tolerates inserted, dropped and replaced words and ignores sentence order.
4. Verified pairs are grouped by article pair, assigned one to one, and kept when the shared text
   is long enough to be copy rather than a common phrase.
"""

from __future__ import annotations

import re
from array import array
from hashlib import blake2b
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from lagebild.model import Article, ReuseLink, Sentence, SentenceAlignment

MIN_WORDS = 5  # shorter sentences ("Das ist so.") prove nothing
MIN_SIMILARITY = 0.6  # word-level; 20 % replaced words still give about 0.8
MIN_SHARED_WORDS = 12  # a pair of articles must share at least this much text
ANCHORS_PER_SENTENCE = 6
MAX_FREQUENCY = 5000  # trigrams in more sentences than this are stock phrases, not anchors
RARE_RUN = 5  # an anchor in at most this many sentences is rare: one shared is enough
NEIGHBOURS_IN_LONG_RUNS = 4  # in longer posting lists, pair each sentence with this many successors
VERIFY_CHUNK = 200_000  # candidate pairs turned into Python objects at a time
DUPLICATE_COVERAGE = 0.9

_WORD = re.compile(r"\w+")
_FOLDED = {"ä": "ae", "ö": "oe", "ü": "ue", "é": "e", "è": "e", "à": "a"}
_TO_FOLD = re.compile("[" + "".join(_FOLDED) + "]")


def sentence_words(text: str) -> list[str]:
    """Words for comparison: casefolded (ß -> ss), umlauts spelled out, punctuation dropped."""
    # re.sub beats str.translate here: translate takes a slow path for non-ASCII replacements
    return _WORD.findall(_TO_FOLD.sub(lambda match: _FOLDED[match.group()], text.casefold()))


@dataclass
class _Sentences:
    """All comparable sentences of the corpus, flat and compact, indexed by a global sentence id."""

    codes: array  # stable (unsigned 64-bit) word codes of all sentences, one after another
    starts: array  # sentence i's codes are codes[starts[i]:starts[i + 1]]
    article: array  # index of the owning article
    position: array  # index among that article's sentences

    def __len__(self) -> int:
        return len(self.article)

    def words(self, sentence_id: int) -> array:
        return self.codes[self.starts[sentence_id] : self.starts[sentence_id + 1]]


def find_reuse(documents: list[tuple[Article, list[Sentence]]]) -> list[ReuseLink]:
    corpus = _collect(documents)
    candidates = _candidate_pairs(corpus)
    by_articles = _verified_by_article_pair(corpus, candidates)
    links = []
    for (first, second), matches in sorted(by_articles.items()):
        alignments = _one_to_one(matches)
        if sum(match.words for match in alignments) < MIN_SHARED_WORDS:
            continue
        article_a, article_b = documents[first][0], documents[second][0]
        link = ReuseLink(article_a.id, article_b.id, alignments, _kind(documents[first], documents[second], alignments))
        link.direction, link.direction_reason = copy_direction(article_a, article_b)
        links.append(link)
    return links


def links_within(links: list[ReuseLink], group_of: dict[str, str]) -> dict[str, list[ReuseLink]]:
    """Group -> the links between two of its articles (each event's wire copy, found once rather
    than by scanning every link for every event)."""
    grouped: dict[str, list[ReuseLink]] = defaultdict(list)
    for link in links:
        group = group_of.get(link.article_a)
        if group is not None and group == group_of.get(link.article_b):
            grouped[group].append(link)
    return grouped


def _collect(documents) -> _Sentences:
    corpus = _Sentences(array("Q"), array("q", [0]), array("q"), array("q"))
    code = _WordCodes().__getitem__
    for article_index, (_, sentences) in enumerate(documents):
        for position, sentence in enumerate(sentences):
            words = sentence_words(sentence.text)
            if sentence.is_heading or len(words) < MIN_WORDS:
                continue
            corpus.codes.extend(map(code, words))
            corpus.starts.append(len(corpus.codes))
            corpus.article.append(article_index)
            corpus.position.append(position)
    return corpus


def _candidate_pairs(corpus: _Sentences) -> np.ndarray:
    """Sentence pairs (first < second, different articles) worth verifying, as an (n, 2) array.

    A shared anchor from a short posting list (a rare trigram) makes a candidate on its own. A long
    posting list is a stock phrase or a sentence syndicated many times: its members are paired
    only with their next few neighbours in arrival order, and such a pair needs a second shared
    anchor. That keeps the work linear in the corpus and still chains syndicated copies."""
    anchor_hashes, anchor_owners = _anchors(*_trigram_table(corpus))
    if len(anchor_hashes) < 2:
        return np.empty((0, 2), np.int64)
    order = np.argsort(anchor_hashes, kind="stable")  # stable: owners stay in arrival order
    anchor_hashes, anchor_owners = anchor_hashes[order], anchor_owners[order]
    run_id = np.cumsum(np.r_[True, anchor_hashes[1:] != anchor_hashes[:-1]])
    rare = (np.bincount(run_id) <= RARE_RUN)[run_id]
    articles = np.frombuffer(corpus.article, dtype=np.int64)
    size = len(corpus)
    rare_keys, common_keys = [], []
    for distance in range(1, max(RARE_RUN, NEIGHBOURS_IN_LONG_RUNS + 1)):
        first, second = anchor_owners[:-distance], anchor_owners[distance:]
        keep = (run_id[:-distance] == run_id[distance:]) & (articles[first] != articles[second])
        keys = first[keep] * size + second[keep]
        is_rare = rare[:-distance][keep]
        rare_keys.append(keys[is_rare])
        if distance <= NEIGHBOURS_IN_LONG_RUNS:
            common_keys.append(keys[~is_rare])
    common, counts = np.unique(np.concatenate(common_keys), return_counts=True)
    keys = np.union1d(np.concatenate(rare_keys), common[counts >= 2])
    return np.stack((keys // size, keys % size), axis=1)


def _trigram_table(corpus: _Sentences) -> tuple[np.ndarray, np.ndarray]:
    """Parallel arrays: one row per trigram of each sentence (hash, sentence id).

    Words carry stable 64-bit codes (blake2b), so results do not depend on Python's per-process
    string hashing; trigram hashes are combined from the codes in numpy, in place."""
    codes = np.frombuffer(corpus.codes, dtype=np.uint64)
    if len(codes) < 3:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    owners = np.repeat(np.arange(len(corpus), dtype=np.int64), np.diff(np.frombuffer(corpus.starts, dtype=np.int64)))
    same_sentence = owners[:-2] == owners[2:]
    with np.errstate(over="ignore"):  # wrapping multiplication is the intended mixing
        grams = codes[:-2] * np.uint64(0x9E3779B97F4A7C15)
        grams += codes[1:-1] * np.uint64(0x632BE59BD9B4E019)
        grams += codes[2:]
    # a trigram repeated inside one sentence stays repeated: it only pairs the sentence with itself
    return grams[same_sentence].view(np.int64), owners[:-2][same_sentence]


class _WordCodes(dict):
    """Stable 64-bit word codes, computed once per distinct word (lookups run at C speed)."""

    def __missing__(self, word: str) -> int:
        code = self[word] = int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        return code


def _anchors(hashes: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's bottom-k trigram hashes among trigrams found in 2..MAX_FREQUENCY sentences.

    Choosing by hash value (not by rarity) makes the choice consistent between a text and its
    edited copy: two sentences share an anchor with a probability that grows with the overlap of
    their trigram sets, as in MinHash."""
    if len(hashes) == 0:
        return hashes, owners
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    run_starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    run_lengths = np.diff(np.r_[run_starts, len(hashes)])
    frequency = np.repeat(run_lengths, run_lengths)
    usable = (frequency >= 2) & (frequency <= MAX_FREQUENCY)
    hashes, owners = hashes[usable], owners[usable]
    if len(hashes) == 0:
        return hashes, owners
    order = np.lexsort((hashes, owners))  # by sentence, then by hash value: bottom-k MinHash
    hashes, owners = hashes[order], owners[order]
    distinct = np.r_[True, (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])]
    hashes, owners = hashes[distinct], owners[distinct]
    is_first = np.r_[True, owners[1:] != owners[:-1]]
    group_start = np.maximum.accumulate(np.where(is_first, np.arange(len(owners)), 0))
    keep = (np.arange(len(owners)) - group_start) < ANCHORS_PER_SENTENCE
    return hashes[keep], owners[keep]


def _verified_by_article_pair(corpus: _Sentences, candidates) -> dict[tuple[int, int], list[SentenceAlignment]]:
    found: dict[tuple[int, int], list[SentenceAlignment]] = defaultdict(list)
    for chunk in range(0, len(candidates), VERIFY_CHUNK):
        for first, second in candidates[chunk : chunk + VERIFY_CHUNK].tolist():
            _verify(corpus, first, second, found)
    return found


def _verify(corpus: _Sentences, first: int, second: int, found: dict) -> None:
    first_words, second_words = corpus.words(first), corpus.words(second)
    similarity = Indel.normalized_similarity(first_words, second_words)
    if similarity >= MIN_SIMILARITY:
        if corpus.article[first] > corpus.article[second]:
            first, second = second, first
        words = min(len(first_words), len(second_words))
        alignment = SentenceAlignment(corpus.position[first], corpus.position[second], round(similarity, 3), words)
        found[(corpus.article[first], corpus.article[second])].append(alignment)


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
