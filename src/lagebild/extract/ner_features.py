"""What the named-entity tagger knows about a word beyond its letters and pieces: marks.

Marks are what a reader of German news uses without knowing the name: capitals (German
capitalises every noun, so capitals alone prove little), whether the word was seen in lower case
("Die", "Soldaten"), whether the German dictionary knows it or inflects it like a common noun,
whether it is a known place, a news agency or a word that typically introduces a person or an
organisation (lists under ``lang/`` and ``data/``), and the label a name lexicon gives it.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

import numpy as np
import simplemma

from lagebild import lang

LOWERCASE_LEXICON = "de-lowercase-words.txt"
NAME_LEXICON = "de-name-lexicon.tsv"
MARKS = ("cap", "also_lower", "allcap", "hyph", "digit", "lemma_same", "lemma_other", "unknown", "gz=place", "gz=agency", "gz=person_cue", "gz=org_cue")


def word_marks(word: str, lexicon_labels: list[str], lexicon: dict[str, str] | None = None) -> list[float]:
    """1.0 or 0.0 for each of MARKS, then for each lexicon label (is it the word's?).

    ``lexicon`` replaces the shipped name lexicon (training uses one built without the sentence's
    own fold, so that the network learns how far to trust it)."""
    label = (name_lexicon() if lexicon is None else lexicon).get(word)
    return [*_marks(word), *(1.0 if label == other else 0.0 for other in lexicon_labels)]


def marks_matrix(words: list[str], lexicon_labels: list[str]) -> np.ndarray:
    """``word_marks`` of many words (the shipped lexicon) as one float32 row each."""
    lexicon = name_lexicon()
    marks = np.array([_marks(word) for word in words], dtype=np.float32).reshape(len(words), len(MARKS))
    labels = np.array([lexicon.get(word) for word in words], dtype=object)
    return np.hstack([marks, (labels[:, None] == np.array(lexicon_labels, dtype=object)[None, :]).astype(np.float32)])


@lru_cache(maxsize=2**16)  # bounded: a stream never stops bringing new words
def _marks(word: str) -> tuple[float, ...]:
    marks = set()
    lower = word.lower()
    if word[:1].isupper():
        marks.add("cap")
        if lower in lowercase_words():
            marks.add("also_lower")  # "Die", "Soldaten" -> seen in lower case; names never are
    if word.isupper() and len(word) > 1:
        marks.add("allcap")
    if "-" in word:
        marks.add("hyph")
    if any(c.isdigit() for c in word):
        marks.add("digit")
    if word[:1].isupper() and word.isalpha():
        lemma = simplemma.lemmatize(word, lang="de")
        marks.add("lemma_same" if lemma == word else "lemma_other")  # "Soldaten" -> Soldat: an inflected noun
        if not simplemma.is_known(word, lang="de"):
            marks.add("unknown")  # not in the German dictionary: likely a name
    for name, words in _gazetteers().items():
        if lower in words or (word.endswith("s") and lower[:-1] in words):
            marks.add("gz=" + name)
    return tuple(1.0 if mark in marks else 0.0 for mark in MARKS)


@cache
def lowercase_words() -> frozenset[str]:
    """Words seen in lower case in the tagger's training text (shipped beside the model)."""
    path = resources.files("lagebild").joinpath("models", LOWERCASE_LEXICON)
    return frozenset(path.read_text(encoding="utf-8").split()) if path.is_file() else frozenset()


@cache
def _gazetteers() -> dict[str, frozenset[str]]:
    """Lower-cased word lists: places (all languages' data), and per-language cue words."""
    lists = {
        "place": lang.shared_list("place_words"),
        "agency": lang.shared_list("agencies"),
        "person_cue": lang.all_languages_list("person_cues"),
        "org_cue": lang.all_languages_list("org_cues"),
    }
    return {name: frozenset(word.lower() for word in words) for name, words in lists.items()}


@cache
def name_lexicon() -> dict[str, str]:
    """Word -> the entity label it mostly has in the training text (shipped beside the model)."""
    path = resources.files("lagebild").joinpath("models", NAME_LEXICON)
    if not path.is_file():
        return {}
    return dict(line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
