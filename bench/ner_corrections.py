"""Corrections after the German tagger's network, scored on GermEval 2014 dev and train as
`lagebild eval ner` scores (M1: outer level, strict span and label): the network's tags are made
once per file, each variant is applied to them, and the spans it removes or adds are counted as
right or wrong against the gold. Train is the network's own training text (it flatters any rule),
so dev decides. Variants (session 30): a one-word place that the German dictionary inflects like a
common noun ("Granaten" -> Granate) becomes no entity; the same sparing genitives and places; on
every one-word type; and a person's last word so inflected ("Kim Waffen").

    .venv/bin/python bench/ner_corrections.py [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import simplemma

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lagebild.eval.ner import read_germeval  # noqa: E402
from lagebild.extract import ner_features, ner_network, ner_rules  # noqa: E402
from lagebild.extract.ner_model import read_bioes, spans  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "germeval2014_ner"


def inflected_noun(word: str) -> bool:
    """A capitalised word the dictionary inflects like a common noun, not a place word nor in the name lexicon."""
    if not (word[:1].isupper() and word.isalpha()) or word.lower() in ner_features._gazetteers()["place"] or word in ner_features.name_lexicon():
        return False
    lemma = simplemma.lemmatize(word, lang="de")
    return lemma != word and lemma[:1].isupper() and simplemma.is_known(lemma, lang="de")


def no_genitive(word: str) -> bool:
    lemma = simplemma.lemmatize(word, lang="de")
    return inflected_noun(word) and word not in (lemma + "s", lemma + "es") and lemma.lower() not in ner_features._gazetteers()["place"]


def one_word(test, kinds=("LOC",)):
    def variant(words, tags):
        return ["O" if tag.startswith("S-") and tag[2:] in kinds and test(word) else tag for word, tag in zip(words, tags)]
    return variant


def person_last_word(words, tags):
    out = one_word(inflected_noun)(words, tags)
    for start, end, kind in spans(tags):
        if kind == "PER" and end - start >= 2 and inflected_noun(words[end - 1]):
            out[end - 1], out[end - 2] = "O", ("E-PER" if end - start > 2 else "S-PER")
    return out


VARIANTS = {
    "network and compound rules (shipped)": lambda words, tags: tags,
    "one-word LOC inflected like a noun -> O": one_word(inflected_noun),
    "the same, genitives and places spared": one_word(no_genitive),
    "one-word entity of any type inflected like a noun -> O": one_word(inflected_noun, ("LOC", "ORG", "PER", "OTH")),
    "and a person's last word so inflected": person_last_word,
}


def score(corpus, variant, show: int) -> dict:
    correct = predicted = gold_total = 0
    changed, shown = Counter(), []
    for words, gold_tags, raw in corpus:
        base = ner_rules.correct(words, raw)
        tags = ner_rules.correct(words, variant(words, raw))
        gold, found, before = set(spans(gold_tags)), set(spans(tags)), set(spans(base))
        correct, predicted, gold_total = correct + len(gold & found), predicted + len(found), gold_total + len(gold)
        for span in before - found:
            changed["removed right" if span in gold else "removed wrong"] += 1
        for span in found - before:
            changed["added right" if span in gold else "added wrong"] += 1
        if found != before and len(shown) < show:
            shown.append([" ".join(words[s:e]) + f" ({k}, {'right' if (s, e, k) in gold else 'wrong'})" for s, e, k in before ^ found])
    precision, recall = correct / max(predicted, 1), correct / max(gold_total, 1)
    return {"f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4), "precision": round(precision, 4), "recall": round(recall, 4), **changed, **({"changed": shown} if shown else {})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print the first N sentences each variant changes on dev")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"needs {DATA} (../shared/data)")
    corpora = {"dev": list(read_germeval(DATA / "NER-de-dev.tsv")), "train": list(read_bioes(DATA / "train_bioes.train"))}
    tagged = {name: [(w, g, r) for (w, g), r in zip(corpus, ner_network.network().tag([w for w, _ in corpus]))] for name, corpus in corpora.items()}
    results = {label: {name: score(tagged[name], variant, args.show if name == "dev" else 0) for name in tagged} for label, variant in VARIANTS.items()}
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
