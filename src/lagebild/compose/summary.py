"""Extractive event summaries: a few sentences from the articles, each citing every article that
carries it, chosen for coverage and without redundancy.

Wire copy counts once: sentences aligned by the reuse stage form one candidate, cited by all
the articles that print it (the article whose wording is shown first). A summary is written
from the articles in the event's main language. A candidate scores by how central its words are to the event, how
many articles carry it or say something close to it (a fact confirmed by several outlets ranks
higher), and whether it stands in a lead. Selection is greedy with a redundancy penalty (maximal
marginal relevance); the chosen sentences keep the order in which the earliest article tells them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from lagebild import lang
from lagebild.link.events import content_words
from lagebild.model import Article, ReuseLink, Sentence

SUMMARY_SENTENCES = 5
MIN_WORDS = 6
REDUNDANCY = 0.25  # overlap of distinctive words above which a sentence repeats a chosen one
CONFIRMATION = 0.25  # overlap of distinctive words at which another article's sentence confirms a candidate


def summarise(
    event_articles: list[tuple[Article, list[Sentence]]],
    links: list[ReuseLink],
    facts: dict[tuple[str, int], tuple[float, frozenset]] | None = None,
    length: int = SUMMARY_SENTENCES,
) -> list[dict]:
    """``facts``, keyed by article id and sentence index: a weight for sentences that carry
    findings (an attributed quotation, a counted claim) and the statement ids they quote."""
    units = _candidates(event_articles, links, facts or {})
    if not units:
        return []
    frequency = Counter(word for unit in units for word in set(unit["words"]))
    common = {word for word, count in frequency.items() if count * 4 >= len(units)}
    for unit in units:
        unit["distinct"] = set(unit["words"]) - common  # what the sentence says beyond the topic
    for unit in units:
        unit["score"] = _score(unit, frequency, units)
    chosen: list[dict] = []
    while len(chosen) < length:
        best = max(
            (u for u in units if u not in chosen and _overlap(u, chosen) < REDUNDANCY),
            key=lambda u: (u["score"] - 0.5 * _overlap(u, chosen), -u["order"][0], -u["order"][1]),
            default=None,
        )
        if best is None:
            break
        chosen.append(best)
    return [{"text": unit["text"], "article_ids": unit["article_ids"]} for unit in sorted(chosen, key=lambda u: u["order"])]


def _candidates(event_articles, links: list[ReuseLink], facts: dict) -> list[dict]:
    """One candidate per sentence, wire-copy versions merged into the earliest article's."""
    order = {article.id: rank for rank, (article, _) in enumerate(sorted(event_articles, key=lambda d: (d[0].date or "9999", d[0].id)))}
    same: dict[tuple[str, int], tuple[str, int]] = {}
    for link in links:
        if link.article_a in order and link.article_b in order:
            for match in link.alignments:
                a, b = (link.article_a, match.a), (link.article_b, match.b)
                first, second = sorted((a, b), key=lambda key: (order[key[0]], key[1]))
                same[second] = same.get(first, first)
    units: dict[tuple[str, int], dict] = {}
    carriers: dict[tuple[str, int], list[str]] = defaultdict(list)
    main_language = Counter(article.language for article, _ in event_articles).most_common(1)[0][0]
    for article, sentences in event_articles:
        if article.language != main_language:
            continue  # one language per summary: the event's main one
        for index, sentence in enumerate(sentences):
            words = content_words(sentence.text, article.language)
            if sentence.is_heading or len(words) < MIN_WORDS or sentence.text.endswith("?"):
                continue
            key = same.get((article.id, index), (article.id, index))
            carriers[key].append(article.id)
            if key == (article.id, index):
                background = bool(set(sentence.text.split()) & _background_words(article.language))
                units[key] = {"text": sentence.text, "words": words, "order": (order[article.id], index), "position": index,
                              "background": background, "facts": facts.get((article.id, index), (0.0, frozenset()))}
    for key, unit in units.items():
        unit["article_ids"] = list(dict.fromkeys([key[0], *sorted(carriers[key], key=order.get)]))  # the shown wording first
    return list(units.values())


def _score(unit: dict, frequency: Counter, units: list[dict]) -> float:
    words = set(unit["words"])
    centrality = sum(frequency[word] for word in words) / (len(words) ** 0.5 * max(frequency.values()))
    confirming = {a for other in units if other is not unit and _jaccard(unit["distinct"], other["distinct"]) >= CONFIRMATION for a in other["article_ids"]}
    support = len(set(unit["article_ids"]) | confirming)
    lead = {0: 0.4, 1: 0.2}.get(unit["position"], 0.0)
    background = 0.5 if unit["background"] else 0.0  # "hatte ... gestartet": history, not the news
    return 0.5 * centrality + 0.15 * support + lead + unit["facts"][0] - background


def _background_words(language: str | None) -> frozenset[str]:
    return lang.words(language, "background_cues")


def _overlap(unit: dict, chosen: list[dict]) -> float:
    """Redundancy with the chosen sentences, on the words beyond the event's common vocabulary
    (names that every sentence repeats do not make two sentences say the same)."""
    return max((1.0 if unit["facts"][1] & other["facts"][1] else _jaccard(unit["distinct"], other["distinct"]) for other in chosen), default=0.0)


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
