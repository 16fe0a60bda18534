"""Extractive event summaries: a few sentences from the articles, each citing every article that
carries it, opening with what happened, then the facts that matter most across the sources.

Wire copy counts once: sentences aligned by the reuse stage form one candidate, cited by all
the articles that print it (the article whose wording is shown first). A summary is written from
the articles in the event's main language. Each article's lead is, of its first two sentences that
tell news (not background, "hatte ... gestartet") and stand alone (compose.standalone), the one
that tells most of what its headline tells (the earlier one on a tie). The summary
opens with one lead: the one most central to the event and most confirmed, chosen for the event
it tells, not for a quotation or number in it. Up to half of the summary then comes from the other
articles' leads (what each source found most important), the rest from all candidates. A candidate
scores by how central its words are to the event, how many articles carry it or the same statement
or quantity (a fact confirmed by several outlets ranks higher), whether it is a lead, and whether
it carries findings (a quotation, a compared number: a small weight, so they support the news and
do not crowd it out). Selection is greedy: each step takes the candidate that adds most of the
event's not yet covered shared concepts, penalised by its redundancy with what is chosen (maximal
marginal relevance). A sentence that needs the one before it ("Dort hält sich dieser ...", "...,
sagte er.") comes with that one (at a cost for each sentence it brings) and is shown right after it. After the opening, the chosen
sentences are read in news order: leads first, then details. A sentence its outlet repeats in
every article (a notice, a byline: ``link.boilerplate``) is never a candidate.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from lagebild import lang
from lagebild.compose.standalone import needs_context
from lagebild.link.boilerplate import is_boilerplate
from lagebild.link.events import content_words
from lagebild.model import AnalysisOptions, Article, ReuseLink, Sentence

SUMMARY_SENTENCES = AnalysisOptions.summary_sentences
MIN_WORDS = 6
REDUNDANCY = 0.25  # overlap of distinctive words above which a sentence repeats a chosen one
COVERAGE = 0.3  # weight of the not yet covered shared concepts a sentence names
CONFIRMATION = 0.25
MAX_SHARING = 200  # candidates per distinctive word that may confirm a sentence
MAX_UNITS = 2000  # candidate sentences of one event (its leads and openings first)
SOURCE_LEAD = 0.4  # an article's lead: what its source found most important (the inverted pyramid)
LEAD_PARAGRAPH = 2  # sentences that may carry an article's lead (the first ones that stand alone)
LEAD_SHARE = 0.5  # up to this share of a summary tells what the sources lead with, the rest details
BROUGHT = 0.3  # the cost of a sentence shown only because the chosen one leans on it
MAX_BROUGHT = 2
QUANTITY_PREFIX = "quantity-"  # statement keys of compared quantities (the others are quoted statements)
QUANTITY_REPEAT = 0.15  # overlap of distinctive words at which another article's sentence confirms a candidate


def summarise(
    event_articles: list[tuple[Article, list[Sentence]]],
    links: list[ReuseLink],
    facts: dict[tuple[str, int], tuple[float, frozenset]] | None = None,
    length: int = SUMMARY_SENTENCES,
) -> list[dict]:
    """``facts``, keyed by article id and sentence index: a weight for sentences that carry
    findings (an attributed quotation, a counted claim) and the statement ids they quote."""
    units = _openings_first(_candidates(event_articles, links, facts or {}))
    if not units:
        return []
    frequency = Counter(word for unit in units for word in set(unit["words"]))
    common = {word for word, count in frequency.items() if count * 4 >= len(units)}
    for unit in units:
        unit["distinct"] = set(unit["words"]) - common  # what the sentence says beyond the topic
    reporters = _statement_reporters(facts or {}, event_articles)
    sharing = _word_index(units)
    top = max(frequency.values())
    everyone = {article.id for article, _ in event_articles}
    for unit in units:
        unit["score"] = _score(unit, frequency, top, sharing, reporters, everyone)
    chosen = _select(units, _concepts(units), length)
    return [{"text": unit["text"], "article_ids": unit["article_ids"]} for unit in _in_reading_order(chosen)]


def _openings_first(units: list[dict]) -> list[dict]:
    """At most MAX_UNITS candidates: an event of thousands of articles (a running topic) keeps
    its leads and each article's opening sentences, the earliest positions first, so that choosing
    a summary costs the same for it as for an event of a hundred articles."""
    if len(units) <= MAX_UNITS:
        return units
    kept = {id(unit) for unit in sorted(units, key=lambda u: (not u["lead"], u["position"]))[:MAX_UNITS]}
    return [unit for unit in units if id(unit) in kept]


def _select(units: list[dict], concepts: dict[str, int], length: int) -> list[dict]:
    """The opening, then greedily what adds most; a sentence that leans on the one before comes
    with it (both count against the length, and each brought sentence costs)."""
    opening = _opening(units, concepts)
    chosen: list[dict] = [opening] if opening else []
    covered: set[str] = set(opening["words"]) if opening else set()
    leads_wanted = max(1, round(length * LEAD_SHARE))
    by_key = {unit["key"]: unit for unit in units}
    overlap = {id(unit): _overlap(unit, chosen) for unit in units}  # with the chosen, kept as they grow
    while len(chosen) < length:
        shown = {unit["key"] for unit in chosen}
        taken = {id(unit) for unit in chosen}
        pool = [u for u in units if id(u) not in taken and overlap[id(u)] < REDUNDANCY]
        if len(chosen) < leads_wanted and any(u["lead"] for u in pool):
            pool = [u for u in pool if u["lead"]]  # first what each source leads with, then the details
        chains = [chain for u in pool if (chain := _with_antecedents(u, by_key, shown)) and len(chosen) + len(chain) <= length]
        best = max(
            chains,
            key=lambda c: (c[-1]["score"] + _coverage_gain(c[-1], concepts, covered) - 0.5 * overlap[id(c[-1])] - BROUGHT * (len(c) - 1),
                           -c[-1]["order"][0], -c[-1]["order"][1]),
            default=None,
        )
        if best is None:
            break
        chosen.extend(best)
        covered.update(word for unit in best for word in unit["words"])
        for unit in units:
            overlap[id(unit)] = max(overlap[id(unit)], _overlap(unit, best))
    # sentences that lean on one never shown are avoided, not forbidden: better one than none
    return chosen or [max(units, key=lambda u: u["score"])]


def _with_antecedents(unit: dict, by_key: dict, shown: set) -> list[dict] | None:
    """The sentence with those it leans on that are not shown yet, earliest first ("Sie hat ...
    Diese Firma plant ...": up to MAX_BROUGHT of them); None when one cannot be shown (a heading,
    a short line)."""
    chain = [unit]
    while chain[0]["context"] is not None and chain[0]["antecedent"] not in shown:
        before = by_key.get(chain[0]["antecedent"])
        if before is None or before in chain or len(chain) > MAX_BROUGHT:
            return None
        chain.insert(0, before)
    return chain


def _opening(units: list[dict], concepts: dict[str, int]) -> dict | None:
    """The sentence that says what happened: the lead of one of the articles (news puts the
    event in its first sentence), the one most central to the event and most confirmed. A
    quotation or a number in it does not count here: a lead is chosen for the event it tells."""
    leads = [unit for unit in units if unit["lead"]]
    return max(leads, key=lambda u: (u["score"] - u["facts"][0] + _coverage_gain(u, concepts, set()), -u["order"][0]), default=None)


def _in_reading_order(chosen: list[dict]) -> list[dict]:
    """The opening first; then leads before details (news is written top-down), the earlier
    article first; a sentence that needs the one before it follows that one."""
    opening, rest = chosen[0], chosen[1:]
    followers = {unit["antecedent"]: unit for unit in rest if unit["context"] is not None}
    ordered: list[dict] = []
    for unit in [opening, *sorted((u for u in rest if u["context"] is None), key=_reading_order)]:
        while unit is not None:
            ordered.append(unit)
            unit = followers.get(unit["key"])
    return ordered


def _reading_order(unit: dict) -> tuple[int, int]:
    rank, index = unit["order"]
    return index, rank


def _candidates(event_articles, links: list[ReuseLink], facts: dict) -> list[dict]:
    """One candidate per sentence, wire-copy versions merged into the earliest article's."""
    order = {article.id: rank for rank, (article, _) in enumerate(sorted(event_articles, key=lambda d: (d[0].date or "9999", d[0].id)))}
    same: dict[tuple[str, int], tuple[str, int]] = {}
    sentences_of = {article.id: sentences for article, sentences in event_articles}
    for link in links:
        if link.article_a in order and link.article_b in order:
            for match in _content_alignments(link, sentences_of):
                a, b = (link.article_a, match.a), (link.article_b, match.b)
                first, second = sorted((a, b), key=lambda key: (order[key[0]], key[1]))
                same[second] = same.get(first, first)
    units: dict[tuple[str, int], dict] = {}
    carriers: dict[tuple[str, int], list[str]] = defaultdict(list)
    sequences: dict[str, list[tuple[str, int]]] = defaultdict(list)  # each article's candidates, reprinted ones too
    main_language = Counter(article.language for article, _ in event_articles).most_common(1)[0][0]
    for article, sentences in event_articles:
        if article.language != main_language:
            continue  # one language per summary: the event's main one
        position = 0  # among the article's candidates: headings and short lines are not its lead
        for index, sentence in enumerate(sentences):
            words = content_words(sentence.text, article.language)
            if sentence.is_heading or is_boilerplate(sentence) or len(words) < _min_words(sentence.text, position) or sentence.text.endswith("?"):
                continue
            key = same.get((article.id, index), (article.id, index))
            carriers[key].append(article.id)
            sequences[article.id].append(key)
            if key == (article.id, index):
                units[key] = _candidate(key, sentence.text, words, article.language, (order[article.id], index), position, facts)
                units[key]["antecedent"] = same.get((article.id, index - 1), (article.id, index - 1))
            position += 1
    headlines = {article.id: set(content_words(article.title or "", article.language)) for article, _ in event_articles}
    _mark_leads(units, sequences, headlines)
    for key, unit in units.items():
        unit["article_ids"] = list(dict.fromkeys([key[0], *sorted(carriers[key], key=order.get)]))  # the shown wording first
    return list(units.values())


def _content_alignments(link: ReuseLink, sentences_of: dict[str, list[Sentence]]) -> list:
    """The link's aligned sentences that may stand for each other: none that either article's
    outlet repeats as boilerplate (that one is no candidate, the other one stands alone)."""
    first, second = sentences_of[link.article_a], sentences_of[link.article_b]
    return [match for match in link.alignments if not is_boilerplate(first[match.a]) and not is_boilerplate(second[match.b])]


def _min_words(text: str, position: int) -> int:
    """News leads are terse ("Der Windanlagenbauer Nordwerk will 2.400 Stellen streichen."): an
    article's first sentence with a figure may be one word shorter; without one, a short first
    line is more often a teaser than the news."""
    return MIN_WORDS - 1 if position == 0 and any(character.isdigit() for character in text) else MIN_WORDS


def _candidate(key, text: str, words: list[str], language: str | None, order: tuple[int, int], position: int, facts: dict) -> dict:
    return {"key": key, "text": text, "words": words, "order": order, "position": position,
            "background": _is_background(text, language), "context": needs_context(text, language),
            "facts": facts.get(key, (0.0, frozenset()))}


def _mark_leads(units: dict, sequences: dict[str, list], headlines: dict[str, set[str]]) -> None:
    """Each article's lead: of the first sentences of its lead paragraph that tell news and stand
    alone ("Gerade erst hatte Kim ... eröffnet. Nun empfing er dort ...": the third sentence), the
    one that tells most of what its headline tells: a feature opening ("Gestern gab es erneut einen
    Zwischenfall mit einem Flugzeug ...") leaves the event to the sentence after it. An article that
    leads with agency copy leads with the agency's sentence (its own ones come later: details)."""
    for unit in units.values():
        unit["lead"] = False
    for article_id, keys in sequences.items():
        opening = [units[key] for key in keys if key in units and not units[key]["background"] and units[key]["context"] is None]
        if opening:
            headline = headlines.get(article_id, set())
            max(opening[:LEAD_PARAGRAPH], key=lambda u: (len(headline & set(u["words"])), -keys.index(u["key"])))["lead"] = True


def _statement_reporters(facts: dict, event_articles) -> dict[str, set[str]]:
    """Statement or quantity -> the event's articles that carry it (in any sentence, short ones too)."""
    reporters: dict[str, set[str]] = defaultdict(set)
    for article, sentences in event_articles:
        for index in range(len(sentences)):
            for statement in facts.get((article.id, index), (0.0, ()))[1]:
                reporters[statement].add(article.id)
    return reporters


def _word_index(units: list[dict]) -> dict[str, list[dict]]:
    """Distinctive word -> the candidates that use it (only those can confirm each other), the
    first MAX_SHARING of them: an event of thousands of articles (a running topic) would otherwise
    compare every sentence with every other, while a few hundred confirmations already say all."""
    index: dict[str, list[dict]] = defaultdict(list)
    for unit in units:
        for word in unit["distinct"]:
            if len(index[word]) < MAX_SHARING:
                index[word].append(unit)
    return index


def _score(unit: dict, frequency: Counter, top: int, sharing: dict[str, list[dict]], reporters: dict[str, set[str]], everyone: set[str]) -> float:
    """``top``: the highest word frequency of the event; ``everyone``: the event's articles."""
    words = set(unit["words"])
    centrality = sum(frequency[word] for word in words) / (len(words) ** 0.5 * top)
    support = _support(unit, sharing, reporters, everyone)
    lead = SOURCE_LEAD if unit["lead"] else {0: 0.4, 1: 0.2}.get(unit["position"], 0.0)
    background = 0.3 if unit["background"] else 0.0  # "hatte ... gestartet": history, not the news
    return 0.5 * centrality + 0.15 * support + lead + unit["facts"][0] - background


def _concepts(units: list[dict]) -> dict[str, int]:
    """The event's concepts: words that several of its articles use in their own wording, weighted
    by how many do (a reprinted agency sentence speaks for one source)."""
    outlets: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        for word in unit["words"]:
            outlets[word].add(unit["article_ids"][0])
    return {word: len(articles) for word, articles in outlets.items() if len(articles) > 1}


def _coverage_gain(unit: dict, concepts: dict[str, int], covered: set[str]) -> float:
    """What a sentence adds to the summary so far: the weight of the shared concepts it names that
    no chosen sentence names yet (Kursk, once nobody has mentioned it)."""
    if not concepts:
        return 0.0
    new = set(unit["words"]) - covered
    return COVERAGE * sum(concepts.get(word, 0) for word in new) / (max(concepts.values()) * len(unit["words"]) ** 0.5)


def _is_background(text: str, language: str | None) -> bool:
    """History rather than news: a background cue ("hatte", "zuvor") in the main clause, before
    the first comma (a relative clause's "die ... zuvor eingenommen hatten" does not count)."""
    return bool(set(text.split(",", 1)[0].split()) & lang.words(language, "background_cues"))


def _overlap(unit: dict, chosen: list[dict]) -> float:
    """Redundancy with the chosen sentences, on the words beyond the event's common vocabulary
    (names that every sentence repeats do not make two sentences say the same)."""
    return max((_pair_overlap(unit, other) for other in chosen), default=0.0)


def _pair_overlap(unit: dict, other: dict) -> float:
    """One quoted statement twice is a repetition; one quantity twice repeats the number only
    (the second sentence may say where the soldiers went), so it counts as half a repetition."""
    shared = unit["facts"][1] & other["facts"][1]
    if any(not statement.startswith(QUANTITY_PREFIX) for statement in shared):
        return 1.0
    words = _jaccard(unit["distinct"], other["distinct"])
    return min(1.0, words + QUANTITY_REPEAT) if shared else words


def _support(unit: dict, sharing: dict[str, list[dict]], reporters: dict[str, set[str]], everyone: set[str]) -> int:
    """The articles that carry the sentence, confirm it in their own words or report its facts."""
    carriers = set(unit["article_ids"])
    if carriers >= everyone:
        return len(carriers)  # no other article to confirm it (most events are one article)
    confirming = {a for other in _confirmations(unit, sharing) for a in other["article_ids"]}
    confirming.update(a for statement in unit["facts"][1] for a in reporters[statement])
    return len(carriers | confirming)


def _confirmations(unit: dict, sharing: dict[str, list[dict]]) -> list[dict]:
    """The other candidates whose distinctive words overlap the unit's by CONFIRMATION (Jaccard).
    The words they share are counted along the index (millions of pairs per run: no set is
    intersected); the count is exact unless one of the unit's words has a full list, and then
    the sets are compared as well."""
    shared: dict[int, int] = {}
    others: dict[int, dict] = {}
    full = False
    for word in unit["distinct"]:
        holders = sharing[word]
        full = full or len(holders) >= MAX_SHARING
        for other in holders:
            if other is not unit:
                key = id(other)
                shared[key] = shared.get(key, 0) + 1
                others[key] = other
    size = len(unit["distinct"])
    return [other for key, other in others.items()
            if _from_counts(shared[key], size, len(other["distinct"])) >= CONFIRMATION or (full and _jaccard(unit["distinct"], other["distinct"]) >= CONFIRMATION)]


def _from_counts(shared: int, size: int, other_size: int) -> float:
    whole = size + other_size - shared
    return shared / whole if whole else 0.0


def _jaccard(a: set, b: set) -> float:
    shared = len(a & b)  # the union's size from the parts: no union set made (millions of pairs per run)
    whole = len(a) + len(b) - shared
    return shared / whole if whole else 0.0
