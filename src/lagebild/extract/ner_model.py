"""The German named-entity tagger: labels, training data, lexicons, and tagging.

Labels are GermEval 2014's outer level in BIOES: PER, ORG, LOC, OTH and their -deriv
("nordkoreanische") and -part ("Ukraine-Krieg") forms. The network (``ner_network``) ships in
``lagebild/models/ner-de.npz``; scripts/train_ner.py rebuilds it with the lexicons here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from lagebild.extract import ner_network, ner_rules

_SUFFIXES = {"DERIV": "deriv", "PART": "part"}


def canonical_label(tag: str) -> str:
    """'S-LOCDERIV' (the training file's spelling) -> 'S-LOCderiv' (GermEval's)."""
    if tag == "O":
        return tag
    prefix, kind = tag.split("-", 1)
    for upper, lower in _SUFFIXES.items():
        if kind.endswith(upper):
            kind = kind[: -len(upper)] + lower
    return f"{prefix}-{kind}"


def read_bioes(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Sentences of a 'token TAG' file (blank line between sentences)."""
    words: list[str] = []
    tags: list[str] = []
    for line in path.open(encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 2:
            words.append(parts[0])
            tags.append(canonical_label(parts[-1]))
        elif words:
            yield words, tags
            words, tags = [], []
    if words:
        yield words, tags


def write_lowercase_lexicon(corpus: Path, destination: Path) -> None:
    """The lower-case words of the training text, for the 'also_lower' feature."""
    words = {word for sentence, _ in read_bioes(corpus) for word in sentence if word.isalpha() and word.islower()}
    destination.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")


LEXICON_FOLDS = 10
LEXICON_MIN_COUNT = 2


def build_lexicon(sentences: list[tuple[list[str], list[str]]]) -> dict[str, str]:
    """Word -> its most frequent entity label (type of the entity it is part of), for words seen
    at least LEXICON_MIN_COUNT times and labelled as an entity in most of them."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for words, tags in sentences:
        for word, label in zip(words, tags):
            counts[word][label.partition("-")[2] or "O"] += 1
    lexicon = {}
    for word, labels in counts.items():
        label, count = labels.most_common(1)[0]
        if label != "O" and count >= LEXICON_MIN_COUNT and count * 2 > sum(labels.values()):
            lexicon[word] = label
    return lexicon


def write_lexicon(sentences, destination: Path) -> None:
    lexicon = build_lexicon(sentences)
    destination.write_text("".join(f"{word}\t{label}\n" for word, label in sorted(lexicon.items())), encoding="utf-8")


def tag(words: list[str]) -> list[str]:
    return tag_sentences([words])[0]


def tag_sentences(sentences: list[list[str]]) -> list[list[str]]:
    """BIOES labels for several sentences at once (the network runs them as one batch), with the
    compound rules of ``ner_rules`` applied after the network."""
    return [ner_rules.correct(words, tags) for words, tags in zip(sentences, ner_network.network().tag(sentences))]


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, type) for each entity in a BIOES (or BIO) tag sequence."""
    found = []
    start, current = None, ""
    for index, label in enumerate(tags + ["O"]):
        prefix, _, kind = label.partition("-")
        if start is not None and (prefix in ("O", "B", "S") or kind != current):
            found.append((start, index, current))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, current = index, kind
        if prefix in ("E", "S") and start is not None:
            found.append((start, index + 1, current))
            start = None
    return found
