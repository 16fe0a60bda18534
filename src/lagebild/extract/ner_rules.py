"""Corrections to the network's tags from how German forms organisation names.

The network reads a hyphenated compound as one word, and an institution named by one often comes
out untagged ("Vivantes-Klinikum"), as a word about an organisation ("DEFA-Stiftung" as ORGpart),
or as the person or place it is named after ("Goethe-Museum", "Rhön-Klinikum"). German builds
such names by rule: a name, a hyphen, an institution noun as the head. The head makes the whole
word the institution's own name, so GermEval's ORG, where a head that names a part or a group
("SPD-Fraktion", "Bayer-Konzern") makes an ORGpart (those heads are not on the list).

The first part must be a name (an acronym, a word the name lexicon labels, or a word the German
dictionary does not know), not a common noun ("Universitäts-Klinik", "Radsport-Verband"). Only a
token the network left outside any entity, or tagged as a one-word entity, changes: a multi-word
span is the network's reading of the context; LOCpart stays ("US-Verlag" is an American one).
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

from lagebild import lang
from lagebild.extract import ner_features

RELABELLED = frozenset({"O", "S-ORGpart", "S-PERpart", "S-PER", "S-LOC"})


def correct(words: list[str], tags: list[str]) -> list[str]:
    """The sentence's BIOES tags with institution compounds as ORG (a new list)."""
    return [_compound_tag(word, tag) if tag in RELABELLED and "-" in word[1:-1] else tag for word, tag in zip(words, tags)]


def _compound_tag(word: str, tag: str) -> str:
    name, _, head = word.rpartition("-")
    if _is_institution_head(head) and _is_name(name.split("-", 1)[0]):
        return "S-ORG"
    return tag


def _is_institution_head(head: str) -> bool:
    heads = lang.word_list("de", "institution_heads")
    return head in heads or head.removesuffix("s") in heads or head.removesuffix("es") in heads  # "Instituts", "Verlages"


@lru_cache(maxsize=2**14)  # bounded: a stream never stops bringing new names
def _is_name(part: str) -> bool:
    """An acronym ("DEFA"), a word the name lexicon labels ("Goethe"), or a capitalised word the
    German dictionary does not know ("Vivantes"); common nouns ("Radsport", "Software") are not,
    nor a noun with the linking s of German compounds ("Universitäts" of "Universität")."""
    if len(part) < 2 or not part[:1].isupper():
        return False
    if part.isupper() or part in ner_features.name_lexicon():
        return True
    known = simplemma.is_known(part, lang="de") or (part.endswith("s") and simplemma.is_known(part[:-1], lang="de"))
    return part.isalpha() and not known
