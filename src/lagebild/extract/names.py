"""What a name is made of, for the stages and linking alike: the words it can be shortened to, and
the places the shipped gazetteer knows. Kept apart from ``link.entities`` so that the entity
stage's version (``lagebild.versions``: the code it imports) does not change with linking's code:
a change to how names are grouped must not tag every stored article again.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def name_words(name: str) -> set[str]:
    """The words a name can be shortened to: each word as written, hyphenated ones whole
    ("Mikl-Leitner", never "Leitner"), and a word after a lower-case particle ("al-Assad": "Assad")."""
    words = set(name.split())
    return words | {word.split("-", 1)[1] for word in words if "-" in word and word[:1].islower()}


@cache
def place_ids() -> dict[str, str]:
    """Casefolded place-name variant -> place id (first listed place wins: countries, then the
    most populous city)."""
    ids: dict[str, str] = {}
    for line in data_lines("places.tsv"):
        identifier, name, _, variants = line.split("\t")
        for variant in [name, *variants.split("|")]:
            ids.setdefault(variant.casefold(), identifier)
    for line in data_lines("place_variants.tsv"):  # spellings CLDR lacks ("Kirgistan")
        identifier, variants = line.split("\t")
        for variant in variants.split("|"):
            ids.setdefault(variant.casefold(), identifier)
    return ids


def data_lines(name: str) -> list[str]:
    """The rows of a shipped ``data/<name>`` table, comments dropped."""
    text = resources.files("lagebild").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]
