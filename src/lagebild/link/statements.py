"""The same statement across articles: quotations of one speaker whose content words overlap.

Two outlets rarely quote alike ("alle Maßnahmen der russischen Führung zur Bekämpfung der
Ursachen der Ukrainekrise bedingungslos zu unterstützen" / "alle Maßnahmen der russischen Führung
bedingungslos zu unterstützen, um die Ursachen der Ukraine-Krise zu bewältigen"), so versions
are matched on stemmed content words (containment of the shorter in the longer), and grouped
transitively; a quotation too short for that ("absoluten Vorrang") joins the same words of the
same speaker elsewhere (a reprint). A statement is one occasion: versions join only when their
articles' days lie at most STATEMENT_DAYS apart (a pledge in July and its repetition in August are
two statements; an undated version may join any), so linking reads a speaker's quotations of a
few weeks, not of the whole archive. A statement's id is derived from its earliest version.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

from lagebild import lang
from lagebild.extract.quotes.marks import direct_spans
from lagebild.groups import Groups
from lagebild.link.entities import transliteration_key
from lagebild.link.events import content_words
from lagebild.model import Quote

MIN_CONTAINMENT = 0.5
MIN_WORDS = 3
STATEMENT_DAYS = 7  # versions of one statement appear within this many days of each other


def statement_ids(quotes: list[Quote], speaker_keys: list[str | None], languages: dict[str, str | None], days: list[int | None] | None = None) -> list[str]:
    """One id per quote; versions of one statement share it (the id of the first version).
    ``days``: each quote's day (its article's last day as an ordinal; None undated)."""
    words = [frozenset(content_words(quote.text, languages.get(quote.article_id))) for quote in quotes]
    near = _NearInTime(days or [None] * len(quotes))
    groups = Groups()
    by_speaker: dict[str, dict[frozenset[str], list[int]]] = {}
    reprinted: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, key in enumerate(speaker_keys):
        for marked in _marked_words(quotes[index], words[index], languages) if key else ():
            by_speaker.setdefault(key, {}).setdefault(marked, []).append(index)
        if key and len(words[index]) >= MIN_WORDS:
            by_speaker.setdefault(key, {}).setdefault(words[index], []).append(index)
        elif key:
            reprinted[(key, _folded(quotes[index].text))].append(index)
    for same in reprinted.values():
        near.join_within(same, groups)
    for versions in by_speaker.values():
        _join_overlapping(list(versions.items()), groups, near)
    return ["st-" + hashlib.sha1(f"{quotes[groups.root(i)].article_id}:{quotes[groups.root(i)].start}".encode()).hexdigest()[:12] for i in range(len(quotes))]


def _marked_words(quote: Quote, words: frozenset[str], languages: dict[str, str | None]) -> list[frozenset[str]]:
    """A reported clause's words in marks, as a version of their own: another outlet may quote
    only them ("Putin hoffe auf »direkte Kontakte in sehr naher Zukunft« zu Kim" and "auf die
    Fortsetzung direkter Kontakte")."""
    if quote.direct:
        return []
    found = [frozenset(content_words(quote.text[span.start:span.end], languages.get(quote.article_id))) for span in direct_spans(quote.text)]
    return [marked for marked in found if len(marked) >= MIN_WORDS and marked != words]


def _join_overlapping(versions: list[tuple[frozenset[str], list[int]]], groups: Groups, near: "_NearInTime") -> None:
    """Join word sets that overlap enough, of quotations near in time. Identical sets (reprints)
    are compared once, and only sets sharing a word are compared at all, so a speaker quoted in
    thousands of articles costs what the overlaps cost, not the square of the quotes."""
    holders: dict[str, list[int]] = defaultdict(list)
    for position, (words, members) in enumerate(versions):
        near.join_within(members, groups)
        shared = Counter(earlier for word in words for earlier in holders[word])
        for earlier, count in shared.items():
            if count / min(len(words), len(versions[earlier][0])) >= MIN_CONTAINMENT:
                near.join_across(versions[earlier][1], members, groups)
        for word in words:
            holders[word].append(position)


class _NearInTime:
    """Joins of quotations (by index) whose days lie at most STATEMENT_DAYS apart, with every
    group as the transitive closure of those pairs: among quotations sorted by day, each dated
    one near another is joined through its nearest neighbours, an undated one with all."""

    def __init__(self, days: list[int | None]) -> None:
        self.days = days
        self._sorted: dict[int, tuple[list[int], list[int], list[int]]] = {}  # id of a member list -> its dated members by day, their days, the undated

    def join_within(self, members: list[int], groups: Groups) -> None:
        dated, days, undated = self._by_day(members)
        for a, b, day_a, day_b in zip(dated, dated[1:], days, days[1:]):
            if day_b - day_a <= STATEMENT_DAYS:
                groups.join(a, b)
        if undated:  # near every version: all of them are one statement
            for other in members:
                groups.join(undated[0], other)

    def join_across(self, earlier: list[int], members: list[int], groups: Groups) -> None:
        """Join each of ``members`` with the ``earlier`` versions near it in time (those on one
        side of its day are near each other, so its nearest on each side stand for them)."""
        dated, days, undated = self._by_day(earlier)
        for member in members:
            day = self.days[member]
            if day is None:
                for other in earlier:
                    groups.join(member, other)
                continue
            for other in undated:
                groups.join(member, other)
            below, above = bisect_right(days, day) - 1, bisect_left(days, day)
            if below >= 0 and day - days[below] <= STATEMENT_DAYS:
                groups.join(member, dated[below])
            if above < len(days) and days[above] - day <= STATEMENT_DAYS:
                groups.join(member, dated[above])

    def _by_day(self, members: list[int]) -> tuple[list[int], list[int], list[int]]:
        key = id(members)
        if key not in self._sorted:
            dated = sorted((m for m in members if self.days[m] is not None), key=lambda m: (self.days[m], m))
            self._sorted[key] = (dated, [self.days[m] for m in dated], [m for m in members if self.days[m] is None])
        return self._sorted[key]


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
