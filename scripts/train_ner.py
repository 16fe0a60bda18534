"""Rebuild the shipped German NER model from the GermEval 2014 training split (CC BY 4.0).

Usage: .venv/bin/python scripts/train_ner.py ../shared/data/germeval2014_ner/train_bioes.train
Writes src/lagebild/models/ner-de.crfsuite (see NOTICE for the data's attribution).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lagebild.extract.ner_features import LOWERCASE_LEXICON, NAME_LEXICON
from lagebild.extract.ner_model import MODEL_NAME, read_bioes, train, write_lexicon, write_lowercase_lexicon

MODELS = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "models"
MODEL = MODELS / MODEL_NAME


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/germeval2014_ner/train_bioes.train")
    started = time.perf_counter()
    write_lowercase_lexicon(corpus, MODELS / LOWERCASE_LEXICON)
    write_lexicon(list(read_bioes(corpus)), MODELS / NAME_LEXICON)
    sentences = train(corpus, MODEL, *map(float, sys.argv[2:3]), *map(float, sys.argv[3:5]))
    print(f"trained on {sentences} sentences in {time.perf_counter() - started:.0f} s -> {MODEL} ({MODEL.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
