"""The speaker each quotation of the Wikinews quotes corpus (train and dev) is given, by name and
by the words that name it, written to a JSON file; with ``--compare`` the quotations whose speaker
another run (another version of the code) named otherwise. `lagebild eval quotes` scores the
speaker's words, not the name they resolve to: this shows what a change of resolution did.
``--real N``: the first N articles of ../shared/data/realnews_de (``--language en``: realnews_en)
in date order instead, real news without gold, to read what a change does there.

    .venv/bin/python bench/quote_speakers.py OUT.json [--compare EARLIER.json] [--real N]
    PYTHONPATH=OLD_TREE/src .venv/bin/python bench/quote_speakers.py EARLIER.json   # the old code's
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_corpus import SOURCES  # noqa: E402

from lagebild.extract.entities import find_mentions
from lagebild.extract.quotes import find_quotes
from lagebild.ingest.article import build_article
from lagebild.model import RawDocument
from lagebild.nlp.sentences import split_article

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews_quotes_de"


def speakers(real: int = 0, language: str = "de") -> list[list]:
    """[split, document number, quotation start, speaker, the words naming the speaker] of each quotation."""
    found = []
    for split, number, text in _real_texts(real, language) if real else _corpus_texts():
        article = build_article(RawDocument(path="", text=text, source_format="jsonl", date="2000", language=language))
        sentences = split_article(article)
        for quote in find_quotes(article, sentences, find_mentions(article, sentences)):
            words = article.text[quote.speaker_start : quote.speaker_end] if quote.speaker_start is not None else None
            found.append([split, number, quote.start, quote.speaker, words])
    return found


def _corpus_texts():
    for split in ("train", "dev"):
        with (CORPUS / f"{split}.jsonl").open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                yield split, number, json.loads(line)["originalText"]


def _real_texts(count: int, language: str):
    chosen = [source for source in SOURCES if source.parent.name == f"realnews_{language}"]
    with gzip.open(chosen[0], "rt", encoding="utf-8") as lines:
        articles = sorted((json.loads(line) for line in lines), key=lambda article: article["date"])
    for number, article in enumerate(articles[:count]):
        yield "real", number, article["text"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="an earlier run's file: print the quotations named otherwise")
    parser.add_argument("--real", type=int, default=0, metavar="N", help="the first N articles of ../shared/data/realnews_de instead")
    parser.add_argument("--language", choices=("de", "en"), default="de", help="with --real: realnews_de or realnews_en")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"needs {CORPUS} (../shared/data)")
    now = speakers(args.real, args.language)
    args.out.write_text(json.dumps(now), encoding="utf-8")
    if args.compare:
        earlier = {tuple(row[:3]): row for row in json.loads(args.compare.read_text(encoding="utf-8"))}
        changed = [(earlier[tuple(row[:3])], row) for row in now if tuple(row[:3]) in earlier and earlier[tuple(row[:3])][3:] != row[3:]]
        print(json.dumps({"quotations": len(now), "earlier": len(earlier), "named_otherwise": len(changed),
                          "changes": [{"document": f"{new[0]} {new[1]}", "words": new[4], "before": old[3], "now": new[3]} for old, new in changed]}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
