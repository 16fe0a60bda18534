"""Token features for the named-entity tagger (a linear-chain CRF).

Features are what a reader of German news uses without knowing the name: the word and its
affixes, its shape (capitals, digits, hyphens), its neighbours, whether it starts the sentence
(German capitalises every noun, so capitals alone prove little), and whether it is a known place
or a word that typically introduces a person or an organisation (lists under ``lang/`` and
``data/``), and the clusters of its multilingual sub-word pieces (``nlp.subwords``): distributional
knowledge of words the training text never had.
"""

from __future__ import annotations

import re
from functools import cache

from importlib import resources

import simplemma

from lagebild import lang
from lagebild.nlp import subwords

_SHAPE_RUNS = re.compile(r"(.)\1+")
LOWERCASE_LEXICON = "de-lowercase-words.txt"
NAME_LEXICON = "de-name-lexicon.tsv"


@cache
def shape(word: str) -> str:
    """Xxxx -> Xx, ABC-12 -> X-d: character classes with repeats collapsed."""
    classes = "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in word)
    return _SHAPE_RUNS.sub(r"\1", classes)


@cache
def _word_features(word: str) -> tuple[str, ...]:
    """Features of a word on its own; cached, since news repeats its vocabulary."""
    lower = word.lower()
    features = [
        "w=" + lower,
        "s2=" + lower[-2:],
        "s3=" + lower[-3:],
        "s4=" + lower[-4:],
        "s5=" + lower[-5:],
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "sh=" + shape(word),
    ]
    if word[:1].isupper():
        features.append("cap")
        if lower in lowercase_words():
            features.append("also_lower")  # "Die", "Soldaten" -> seen in lower case; names never are
    if word.isupper() and len(word) > 1:
        features.append("allcap")
    if "-" in word:
        features.append("hyph")
        features.extend("hp=" + part.lower() for part in word.split("-")[:1] + word.split("-")[-1:])
    if any(c.isdigit() for c in word):
        features.append("digit")
    if word[:1].isupper() and word.isalpha():
        lemma = simplemma.lemmatize(word, lang="de")
        features.append("lemma_same" if lemma == word else "lemma_other")  # "Soldaten" -> Soldat: an inflected noun
        if not simplemma.is_known(word, lang="de"):
            features.append("unknown")  # not in the German dictionary: likely a name
    for name, words in _gazetteers().items():
        if lower in words or (word.endswith("s") and lower[:-1] in words):
            features.append("gz=" + name)
    features.extend(subwords.piece_features(word))  # what kind of word, from multilingual embeddings
    return tuple(features)


def _lexicon_features(word: str, lexicon: dict[str, str]) -> tuple[str, ...]:
    label = lexicon.get(word)
    return ("lex=" + label,) if label else ()


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


def sentence_features(words: list[str], lexicon: dict[str, str] | None = None) -> list[list[str]]:
    """One feature list per token, with context from two tokens either side.

    ``lexicon`` replaces the shipped name lexicon (training uses one built without the sentence's
    own fold, so that the model learns how far to trust it)."""
    lexicon = name_lexicon() if lexicon is None else lexicon
    own = [_word_features(word) + _lexicon_features(word, lexicon) for word in words]
    # what a neighbour contributes, computed once per token
    context = [(word.lower(), shape(word), tuple(f for f in features if f.startswith(("gz=", "lex=", "sf1=")))) for word, features in zip(words, own)]
    result = []
    for index, word in enumerate(words):
        features = ["bias", *own[index]]
        if index == 0:
            features.append("first")
        for offset in (-2, -1, 1, 2):
            neighbour = index + offset
            if 0 <= neighbour < len(words):
                lower, word_shape, marks = context[neighbour]
                features.append(f"{offset}w={lower}")
                features.append(f"{offset}sh={word_shape}")
                features.extend(f"{offset}{mark}" for mark in marks)
            else:
                features.append(f"{offset}edge")
        if index > 0:
            features.append(f"-1w|w={context[index - 1][0]}|{context[index][0]}")
        result.append(features)
    return result
