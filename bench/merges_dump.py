"""Dump the entity stage's mentions of a corpus slice (for drawing merge-gold candidates).

    PYTHONPATH=src python bench/merges_dump.py CORPUS.jsonl[.gz] RECORDS OUT.pickle

OUT holds {"mentions": url -> [(text, name, type, entity id, start, end)], "entities":
entity id -> (name, type, names)}; the sampler (bench/merges_sample.py) reads it with the texts.
"""

import pickle
import sys
from collections import defaultdict
from pathlib import Path

from lagebild.eval.merges import first_records
from lagebild.extract.entities import iter_mentions
from lagebild.ingest import _to_article
from lagebild.ingest.readers import _from_record
from lagebild.link.entities import complete_names, merge_mentions
from lagebild.nlp.sentences import split_article


def main(corpus: str, count: int, out: str) -> None:
    records = first_records(Path(corpus), count)
    articles = [a for a in (_to_article(_from_record("x", r, "jsonl")) for r in records) if hasattr(a, "text")]
    documents = [(a, split_article(a)) for a in articles]
    found = {a.id: m for (a, _), m in zip(documents, iter_mentions(documents))}
    completed = complete_names(found, {a.id: a.text for a in articles})
    entities = merge_mentions([m for ms in completed.values() for m in ms])
    entity_of = {(m.article_id, m.start): e.id for e in entities for m in e.mentions}
    mentions = defaultdict(list)
    for a in articles:
        mentions[a.url] += [(m.text, m.name, m.type, entity_of[(m.article_id, m.start)], m.start, m.end) for m in completed[a.id] if not m.role]
    texts = {a.url: a.text for a in articles}
    named = {e.id: (e.name, e.type, sorted({m.name for m in e.mentions})) for e in entities}
    Path(out).write_bytes(pickle.dumps({"mentions": dict(mentions), "entities": named, "texts": texts}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
