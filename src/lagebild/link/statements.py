"""The same statement across articles: quotations of one speaker whose content words overlap.

Two outlets rarely quote alike ("alle Maßnahmen der russischen Führung zur Bekämpfung der
Ursachen der Ukrainekrise bedingungslos zu unterstützen" / "alle Maßnahmen der russischen Führung
bedingungslos zu unterstützen, um die Ursachen der Ukraine-Krise zu bewältigen"), so versions
are matched on stemmed content words (containment of the shorter in the longer), and grouped
transitively. A statement's id is derived from its earliest version.
"""

from __future__ import annotations

import hashlib

from lagebild.link.entities import transliteration_key
from lagebild.link.events import content_words
from lagebild.model import Quote

MIN_CONTAINMENT = 0.5
MIN_WORDS = 3


def statement_ids(quotes: list[Quote], speaker_keys: list[str | None]) -> list[str]:
    """One id per quote; versions of one statement share it."""
    words = [set(content_words(quote.text, "de")) for quote in quotes]
    parent = list(range(len(quotes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_speaker: dict[str, list[int]] = {}
    for index, key in enumerate(speaker_keys):
        if key and len(words[index]) >= MIN_WORDS:
            by_speaker.setdefault(key, []).append(index)
    for members in by_speaker.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                shared = len(words[first] & words[second])
                if shared / min(len(words[first]), len(words[second])) >= MIN_CONTAINMENT:
                    parent[root(second)] = root(first)
    return ["st-" + hashlib.sha1(f"{quotes[root(i)].article_id}:{quotes[root(i)].start}".encode()).hexdigest()[:12] for i in range(len(quotes))]


def speaker_key(name: str | None) -> str | None:
    return transliteration_key(name) if name else None
