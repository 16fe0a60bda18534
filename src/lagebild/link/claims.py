"""Claims about the same quantity across a story's articles, compared as intervals.

Claims group by story, counted thing and role (what the number is of: the injured, those aboard,
a company's revenue; in English for all languages, so that "2.400 Stellen" meets "2,400 jobs"), modality (what happened versus what is planned or possible) and whether
they count additional ones ("weitere"). Counts of people in one role compare whatever noun they
count with ("37 Menschen kamen ums Leben" and "35 Tote"); a claim whose sentence names no role
compares only with others that name none.

Within a group, two claims state one quantity (``comparable``) when different articles report
them, both say what they measure (a unit or a generic noun needs its role) and their sentences
(with their headlines) name no different places or times; or when one article sets two sources against each other
("Nach Angaben der IG Metall ... rund 3.000 Menschen. Die Polizei sprach von etwa 1.800
Teilnehmern"). An article's other figures of one thing enumerate different things and are not
compared. The claims of comparable pairs are listed as a group: ``agreeing`` (same interval),
``compatible`` (the intervals overlap) or ``conflicting`` (two precise claims of a comparable
pair cannot both be true). Vague counts ("Tausende") never make a conflict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from functools import cache, lru_cache

from lagebild import lang
from lagebild.extract.names import place_ids
from lagebild.model import Claim

PROSPECTIVE = {"plan", "possibility"}


def compare_claims(claims: list[Claim], story_of_article: dict[str, str], relayed_by: dict[str, str | None] | None = None,
                   date_of_article: dict[str, str | None] | None = None, title_of_article: dict[str, str | None] | None = None) -> list[dict]:
    """``relayed_by``: claim id -> whom the article cites for it (its quotation's speaker or relay);
    ``date_of_article``: the articles' dates (ISO prefixes); ``title_of_article``: their headlines
    (where a figure holds when its sentence names no place)."""
    relayed_by = relayed_by or {}
    dates = date_of_article or {}
    titles = title_of_article or {}
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in _roles_from_contrast([claim for claim in claims if claim.unit]):
        outlook = "planned or possible" if claim.modality in PROSPECTIVE else "reported"
        groups[(story_of_article.get(claim.article_id), _thing(claim), outlook, claim.increment)].append(claim)
    found = []
    for (_, _, outlook, increment), members in groups.items():
        pairs = _compared_pairs(members, relayed_by, dates, titles)
        if not pairs:
            continue
        paired = {claim.id for pair in pairs for claim in pair}
        compared = [claim for claim in members if claim.id in paired]
        found.append({
            "about": f"{'additional ' if increment else ''}{_counted(compared[0])} ({outlook})",
            "claim_ids": [claim.id for claim in compared],
            "kind": _kind(compared, pairs),
            "range": _range(compared),
        })
    return sorted(found, key=lambda g: ({"conflicting": 0, "compatible": 1, "agreeing": 2}[g["kind"]], g["about"]))


def _roles_from_contrast(claims: list[Claim]) -> list[Claim]:
    """A figure whose sentence names no role takes the role of the figure of the same noun its
    article sets it against by a cue: "An Bord befanden sich 15 Passagiere ... Andere Medien
    berichten von 13 Passagieren": both are those aboard (two cited sources alone are too weak
    a sign: "sechs Kopten erschossen" and "39 Kopten Opfer von Gewalttaten" cite two)."""
    by_noun: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_noun[(claim.article_id, claim.unit)].append(claim)
    given = []
    for claim in claims:
        if claim.role is None:
            other = next((o for o in by_noun[(claim.article_id, claim.unit)] if o.role and _cue_between(claim, o)), None)
            claim = replace(claim, role=other.role) if other else claim
        given.append(claim)
    return given


def names_a_quantity(claim: Claim) -> bool:
    """A claim says which quantity it is when its noun is counted ("Soldaten", "Stellen") or it
    names what a unit or a generic noun measures (its role: "Umsatz" of "4,1 Milliarden Euro",
    the injured of "200 Menschen"). "21 Prozent", "90 US-Dollar" or "150 Menschen" alone are
    shares, prices or people of anything: the same unit is not the same quantity."""
    if not claim.unit or _distributive(claim):
        return False
    return claim.role is not None or not (_generic(claim.unit) or is_people(claim.unit))


def _distributive(claim: Claim) -> bool:
    """"jeweils drei Schafe", "je 100.000 Einwohner": a figure per item, not a total."""
    at = claim.sentence.find(claim.text)
    before = claim.sentence[:at].split()[-1:] if at > 0 else []
    return bool(before) and before[0] in lang.all_languages_setting("claims", "distributive_words")


def _generic(unit: str) -> bool:
    """A unit or generic noun, alone or as a compound's head after a hyphen ("Coronavirus-Fall")."""
    return unit in _generic_units() or unit.rpartition("-")[2] in _generic_units()


@cache
def _generic_units() -> frozenset[str]:
    return frozenset(lang.all_languages_setting("claims", "measure_units"))


def comparable(a: Claim, b: Claim, relayed_by: dict[str, str | None], dates: dict[str, str | None] | None = None,
               titles: dict[str, str | None] | None = None) -> bool:
    """Two claims of one group state one quantity when different articles report them (for the
    same place and moment), or one article sets two sources against each other; else an
    article's figures of one thing are different things (an enumeration, before and after)."""
    if _subset(a.text, a.sentence) != _subset(b.text, b.sentence):
        return False  # "64 andere wichtige Fragen", "die übrigen 40 Passagiere": a part, not the whole
    if a.article_id != b.article_id:
        return names_a_quantity(a) and names_a_quantity(b) and not _different_places(a, b, titles or {}) and not _different_moments(a, b, dates or {})
    return _contrasted(a, b, relayed_by)


@lru_cache(maxsize=8192)
def _subset(text: str, sentence: str) -> frozenset[str]:
    """The words that make a figure count a part of its noun's whole, in its text or just before
    it ("64 andere Fragen", "300.000 jüngere Berliner", "the remaining 40 passengers"); a figure
    with them and one without count different things. Only the word just before: in "nach
    anderen Angaben 46" (which a figure's text may hold: "100, nach anderen Angaben 110 Kilometern")
    the other source is a contrast, not a part."""
    at = sentence.find(text)
    before = sentence[max(0, at - 30) : at].split()[-1:] if at > 0 else []
    words = _contrast_cues().sub(" ", " ".join([*before, text]))
    return frozenset(re.findall(r"\w+", words.lower())) & _subset_words()


@cache
def _subset_words() -> frozenset[str]:
    return frozenset(lang.all_languages_setting("claims", "subset_words"))


def _different_moments(a: Claim, b: Claim, dates: dict[str, str | None]) -> bool:
    """Figures of different times: the sentences name different years, or a running figure
    ("bislang 92 Tote", "Stand Mittwoch 938 Fälle") meets one of an article of another day
    (each held on its day; a later one is an update, not a disagreement)."""
    years_a, years_b = _years(a.sentence.replace(a.text, " ")), _years(b.sentence.replace(b.text, " "))  # the figure itself is no year: "rund 2000 Stellen"
    if years_a and years_b and not years_a & years_b:
        return True  # "Sars infizierte 2002 und 2003 8000 Menschen", "Mers seit 2012 bis Ende 2019 2.500"
    day_a, day_b = dates.get(a.article_id) or "", dates.get(b.article_id) or ""
    if _of_another_year(years_a, day_a) and not years_b or _of_another_year(years_b, day_b) and not years_a:
        return True  # "2019 kamen etwa 120.000 Migranten" in a report of 2020, against a figure of its day
    return len(day_a) >= 10 and len(day_b) >= 10 and day_a[:10] != day_b[:10] and (_running(a.sentence) or _running(b.sentence))


def _of_another_year(years: frozenset[str], day: str) -> bool:
    """Whether a sentence places its figure in years before its article's own ("2019 kamen ..."
    in 2020); a later year is a plan's target ("bis 2027 2.400 Stellen"), the plan of the day."""
    return bool(years) and len(day) >= 4 and day[:4].isdigit() and all(year < day[:4] for year in years)


@lru_cache(maxsize=8192)
def _years(sentence: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![\d.,])(?:1[89]|20)\d\d(?!\d|[.,]\d)", sentence))  # "in 2010," and "2019." are years, "2.000" and "2019,5" are not


@lru_cache(maxsize=8192)
def _running(sentence: str) -> bool:
    return bool(_running_cues().search(sentence))


@cache
def _running_cues() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{lang.alternation(lang.all_languages_setting('claims', 'running_cues'))})(?!\w)", re.IGNORECASE)


def _different_places(a: Claim, b: Claim, titles: dict[str, str | None]) -> bool:
    """Each sentence names where its figure holds, and no place is common: cases "in Bayern" and
    "in den USA", the dead "in Spanien" and "in Iran" are different quantities. So are figures
    whose sentences and headlines together share no place: "Die Maschine mit 52 Passagieren"
    under "Notlandung in Italien" and the 95 aboard "auf dem Hamburger Flughafen" (the gazetteer
    knows no country of a city, so "in Bischkek" and a headline's "Kirgistan" must meet in the
    headlines: "Erdbeben erschüttert Kirgistan")."""
    here, there = _places(a.sentence), _places(b.sentence)
    if here and there and not here & there:
        return True
    here, there = here | _places(titles.get(a.article_id) or ""), there | _places(titles.get(b.article_id) or "")
    return bool(here and there and not here & there)


@lru_cache(maxsize=8192)
def _places(sentence: str) -> frozenset[str]:
    """The places a sentence names (the gazetteer's ids; "Kirgistans" is Kirgistan's), and the
    whole world for "weltweit"."""
    known = place_ids()
    words = re.findall(r"(?<!\w)[A-ZÄÖÜ][\w-]*", sentence)
    found = {"world"} if _world_words() & set(re.findall(r"\w+", sentence)) else set()
    for index, word in enumerate(words):
        for name in (f"{word} {words[index + 1]}" if index + 1 < len(words) else None, word, word[:-1] if word.endswith("s") else None):
            if name and name.casefold() in known:
                found.add(known[name.casefold()])
                break
    found.update(known[stem.casefold()] for stem in _place_adjective_stems(sentence) if stem.casefold() in known)
    return frozenset(found)


def _place_adjective_stems(sentence: str) -> list[str]:
    """German place adjectives: the name and "-er", before the noun they qualify ("auf dem
    Hamburger Flughafen", "die Kölner Polizei"). A noun must follow: "Bauer" and "Mauer" (of
    "Bau" and "Mau", places somewhere) mostly stand alone."""
    return [match.group(1) for match in re.finditer(r"(?<!\w)([A-ZÄÖÜ]\w{3,})er (?=[A-ZÄÖÜ]\w)", sentence)]


def _contrasted(a: Claim, b: Claim, relayed_by: dict[str, str | None]) -> bool:
    """Within one article: two named sources ("Nach Angaben der IG Metall ... Die Polizei ..."),
    or a cue of another source between the two figures ("Andere Quellen berichten von",
    "nach anderen Angaben", "sprach dagegen von"). Figures that do not name their quantity
    ("37 Kilometer ... nach anderen Angaben 46") need the cue: the article itself says they
    measure one thing."""
    sources = relayed_by.get(a.id), relayed_by.get(b.id)
    if all(sources) and sources[0] != sources[1] and names_a_quantity(a) and names_a_quantity(b):
        return True
    return _cue_between(a, b)


def _cue_between(a: Claim, b: Claim) -> bool:
    """A cue of another source between two figures of one article ("nach anderen Angaben")."""
    first, later = sorted((a, b), key=lambda claim: claim.start)
    at = later.sentence.find(later.text)
    before = later.sentence[: at if at >= 0 else len(later.sentence)]
    if first.sentence == later.sentence and first.text in before:
        before = before[before.index(first.text) + len(first.text) :]
    cues = list(_contrast_cues().finditer(before))
    return bool(cues) and _introduces(before[cues[-1].end() :])


def _introduces(between: str) -> bool:
    """Whether a cue reaches the figure after ``between``: it introduces its clause's figures
    ("berichten von 13 Passagieren und zwei Besatzungsmitgliedern"), not those of the next clause
    ("Das Institut spricht von zwei, die Agentur zählt drei Fälle": the two, not the three)."""
    return not (_names_a_number(between) and re.search(r"[,;:]", between))


def _names_a_number(words: str) -> bool:
    return any(word[:1].isdigit() or word.lower() in _number_words() for word in re.findall(r"\w+", words))


@cache
def _number_words() -> frozenset[str]:
    return frozenset(word for code in lang.SUPPORTED for word in lang.settings(code, "claims").get("number_words", {}))


@cache
def _world_words() -> frozenset[str]:
    return frozenset(lang.all_languages_setting("claims", "world_words"))


@cache
def _contrast_cues() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{lang.alternation(lang.all_languages_setting('claims', 'contrast_cues'))})(?!\w)", re.IGNORECASE)


def _compared_pairs(members: list[Claim], relayed_by: dict[str, str | None], dates: dict[str, str | None],
                    titles: dict[str, str | None]) -> list[tuple[Claim, Claim]]:
    """The comparable pairs of a group: among the claims of articles that do not enumerate the
    group's thing, and, in any article, a figure and the one just before it that a cue sets it
    against ("Unter den Toten sollen laut Atmar neun Zivilisten gewesen sein. Die NATO geht von
    zwölf getöteten Zivilisten aus."): the article itself says these two are one quantity, even
    where it also gives the same noun's figures of other places."""
    kept = {claim.id for claim in _unambiguous(members, relayed_by)}
    set_against = _set_against_the_one_before(members)
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]
            if ((a.id in kept and b.id in kept) or frozenset((a.id, b.id)) in set_against) and comparable(a, b, relayed_by, dates, titles)]


def _set_against_the_one_before(members: list[Claim]) -> set[frozenset[str]]:
    """Pairs of one article's figures, each with the figure of the group right before it, when a
    cue of another source stands between them."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(members, key=lambda claim: claim.start):
        by_article[claim.article_id].append(claim)
    return {frozenset((before.id, claim.id)) for claims in by_article.values()
            for before, claim in zip(claims, claims[1:]) if _cue_between(before, claim)}


def _unambiguous(members: list[Claim], relayed_by: dict[str, str | None]) -> list[Claim]:
    """Drop the claims of an article that gives several figures of the group's thing without
    setting sources against each other: they are different things (the distances of three
    athletes, growth "um drei bzw. 8,5 Prozent", cases in two regions), and which of them
    another article's figure is about cannot be told."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in members:
        by_article[claim.article_id].append(claim)
    enumerating = {article for article, claims in by_article.items() if _enumerates(claims, relayed_by)}
    return [claim for claim in members if claim.article_id not in enumerating]


def _enumerates(claims: list[Claim], relayed_by: dict[str, str | None]) -> bool:
    """Two figures that cannot both be the one quantity, not set against each other ("37" and
    "mindestens 37", "34.273" and "bis zu 130.000" may be)."""
    return any(_disjoint(a, b) and not _contrasted(a, b, relayed_by) for i, a in enumerate(claims) for b in claims[i + 1 :])


def _thing(claim: Claim) -> tuple[str | None, str | None]:
    """What a claim counts in one language for all (``in_english`` of ``lang/<code>/claims.json``):
    "2.400 Stellen" and "2,400 jobs" are one quantity, and so are a Verlust and a loss."""
    if claim.role and is_people(claim.unit):
        return "people", claim.role
    english = _in_english()
    return english.get(claim.unit, claim.unit), english.get(claim.role, claim.role)


def is_people(unit: str | None) -> bool:
    """A noun for people, alone or as a compound's head ("Demonstrationsteilnehmer")."""
    return unit is not None and unit.lower().endswith(_people_nouns())


@cache
def _people_nouns() -> tuple[str, ...]:
    return tuple(noun.lower() for noun in lang.all_languages_setting("claims", "people_nouns"))


@cache
def _in_english() -> dict[str, str]:
    merged: dict[str, str] = {}
    for code in lang.SUPPORTED:
        merged.update(lang.settings(code, "claims").get("in_english", {}))
    return merged


def _counted(claim: Claim) -> str:
    """What a claim counts, as its group is labelled: "people injured", "Euro, Umsatz", "Soldat"."""
    if claim.role and is_people(claim.unit):
        return f"people {claim.role}"
    return f"{claim.unit}, {claim.role}" if claim.role else str(claim.unit)


def _kind(members: list[Claim], pairs: list[tuple[Claim, Claim]]) -> str:
    if any(conflicting_pair(a, b) for a, b in pairs):
        return "conflicting"
    if len({(claim.low, claim.high) for claim in members}) == 1:
        return "agreeing"
    return "compatible"


def conflicting_pair(a: Claim, b: Claim) -> bool:
    """Two precise claims of one quantity that cannot both be true: their intervals are disjoint.
    A range ("etwa 1.500 bis 2.000") is precise in its bounds; a vague count ("Tausende") is not."""
    return _precise(a) and _precise(b) and _disjoint(a, b)


def _precise(claim: Claim) -> bool:
    return claim.value is not None or claim.qualifier == "range"


def _disjoint(a: Claim, b: Claim) -> bool:
    return a.high < b.low or b.high < a.low


def _range(members: list[Claim]) -> dict:
    values = [claim.value for claim in members if claim.value is not None]
    return {"min_value": min(values) if values else None, "max_value": max(values) if values else None}
