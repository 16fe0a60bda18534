"""The same statement across articles: quotations of one speaker whose content words overlap.

Two outlets rarely quote alike ("alle Maßnahmen der russischen Führung zur Bekämpfung der
Ursachen der Ukrainekrise bedingungslos zu unterstützen" / "alle Maßnahmen der russischen Führung
bedingungslos zu unterstützen, um die Ursachen der Ukraine-Krise zu bewältigen"), so versions
are matched on stemmed content words (containment of the shorter in the longer), and grouped
transitively; a quotation too short for that ("absoluten Vorrang") joins the same words of the
same speaker elsewhere (a reprint). A statement's id is derived from its earliest version.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from lagebild import lang
from lagebild.extract.quotes.marks import direct_spans
from lagebild.groups import Groups
from lagebild.link.entities import transliteration_key
from lagebild.link.events import content_words
from lagebild.model import Quote

MIN_CONTAINMENT = 0.5
MIN_WORDS = 3


def statement_ids(quotes: list[Quote], speaker_keys: list[str | None], languages: dict[str, str | None]) -> list[str]:
    """One id per quote; versions of one statement share it (the id of the first version)."""
    words = [frozenset(content_words(quote.text, languages.get(quote.article_id))) for quote in quotes]
    groups = Groups()
    by_speaker: dict[str, dict[frozenset[str], list[int]]] = {}
    reprinted: dict[tuple[str, str], int] = {}
    for index, key in enumerate(speaker_keys):
        for marked in _marked_words(quotes[index], words[index], languages) if key else ():
            by_speaker.setdefault(key, {}).setdefault(marked, []).append(index)
        if key and len(words[index]) >= MIN_WORDS:
            by_speaker.setdefault(key, {}).setdefault(words[index], []).append(index)
        elif key:
            groups.join(reprinted.setdefault((key, _folded(quotes[index].text)), index), index)
    for versions in by_speaker.values():
        _join_overlapping(list(versions.items()), groups)
    return ["st-" + hashlib.sha1(f"{quotes[groups.root(i)].article_id}:{quotes[groups.root(i)].start}".encode()).hexdigest()[:12] for i in range(len(quotes))]


def _marked_words(quote: Quote, words: frozenset[str], languages: dict[str, str | None]) -> list[frozenset[str]]:
    """A reported clause's words in marks, as a version of their own: another outlet may quote
    only them ("Putin hoffe auf »direkte Kontakte in sehr naher Zukunft« zu Kim" and "auf die
    Fortsetzung direkter Kontakte")."""
    if quote.direct:
        return []
    found = [frozenset(content_words(quote.text[span.start:span.end], languages.get(quote.article_id))) for span in direct_spans(quote.text)]
    return [marked for marked in found if len(marked) >= MIN_WORDS and marked != words]


def _join_overlapping(versions: list[tuple[frozenset[str], list[int]]], groups: Groups) -> None:
    """Join word sets that overlap enough. Identical sets (reprints) are compared once, and only
    sets sharing a word are compared at all, so a speaker quoted in thousands of articles costs
    what the overlaps cost, not the square of the quotes."""
    holders: dict[str, list[int]] = defaultdict(list)
    for position, (words, members) in enumerate(versions):
        for other in members[1:]:
            groups.join(members[0], other)
        shared = Counter(earlier for word in words for earlier in holders[word])
        for earlier, count in shared.items():
            if count / min(len(words), len(versions[earlier][0])) >= MIN_CONTAINMENT:
                groups.join(versions[earlier][1][0], members[0])
        for word in words:
            holders[word].append(position)


def _folded(text: str) -> str:
    """A quotation's words as a reprint keeps them: case, quotation marks and spacing aside."""
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())


def speaker_key(name: str | None) -> str | None:
    """One key for one speaker however placed: "Ein Sprecher des Havariekommandos in Cuxhaven" is
    "Ein Sprecher des Havariekommandos" (a trailing place phrase goes)."""
    return transliteration_key(_without_place(name)) if name else None


def _without_place(name: str) -> str:
    words = name.split()
    prepositions = lang.all_languages_list("place_prepositions")
    for index in range(len(words) - 2, 0, -1):
        if words[index] in prepositions and all(word[:1].isupper() for word in words[index + 1 :]):
            return " ".join(words[:index])
    return name
