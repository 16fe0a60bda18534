"""The real-news gold's pairs on both paths: each pair's gold label, its relation with article
vectors (the default path) and without (``--no-embeddings``), the e5 cosine of the two articles
and their titles; then precision and recall of "same event" per split and path, and the pairs
the paths decide differently. Both paths link copies of one store made by ``lagebild eval
events-gold CORPUS --db STORE`` (its stage results and article vectors kept, so each path only
links). Usage:

    .venv/bin/lagebild eval events-gold ../shared/data/realnews_de --db de.db
    .venv/bin/python bench/events_gold_paths.py ../shared/data/realnews_de --db de.db
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lagebild.eval import events_gold  # noqa: E402
from lagebild.nlp.embeddings import model_key  # noqa: E402
from lagebild.store import Store  # noqa: E402

PATHS = {"vectors": True, "lexical": False}


def pair_rows(corpus: Path, db: Path) -> list[dict]:
    loaded = events_gold.read_gold(events_gold.GOLD)
    records = events_gold.window_records(corpus, loaded.windows)
    placed = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, vectors in PATHS.items():
            copy = Path(folder) / f"{name}.db"
            shutil.copy(db, copy)
            placed[name] = events_gold.analyse_windows(records, copy, vectors, 2)
    with Store(db) as store:
        ids = dict(store.connection.execute("SELECT url, id FROM articles WHERE url IS NOT NULL"))
        titles = dict(store.connection.execute("SELECT id, title FROM articles"))
        vectors = store.vectors(model_key(), list(ids.values()))
    rows = []
    for pair in loaded.pairs:
        if not all(pair.url_a in found and pair.url_b in found for found in placed.values()):
            continue
        a, b = ids[pair.url_a], ids[pair.url_b]
        cosine = round(float(vectors[a] @ vectors[b]), 3) if a in vectors and b in vectors else None
        relations = {name: events_gold.predicted_relation(found[pair.url_a], found[pair.url_b]) for name, found in placed.items()}
        rows.append({"split": pair.split, "gold": pair.label, **relations, "cosine": cosine, "titles": [titles[a], titles[b]]})
    return rows


def same_event_scores(rows: list[dict]) -> dict:
    scores = {}
    for split in ("train", "dev", "all"):
        chosen = [row for row in rows if split in ("all", row["split"])]
        for name in PATHS:
            right = sum(row["gold"] == "same_event" and row[name] == "same_event" for row in chosen)
            wrong = sum(row["gold"] != "same_event" and row[name] == "same_event" for row in chosen)
            missed = sum(row["gold"] == "same_event" and row[name] != "same_event" for row in chosen)
            scores[f"{split} {name}"] = {"precision": round(right / max(right + wrong, 1), 4), "recall": round(right / max(right + missed, 1), 4), "right": right, "wrong": wrong, "missed": missed}
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--db", type=Path, required=True, help="a store made by `lagebild eval events-gold CORPUS --db STORE`")
    args = parser.parse_args()
    if not args.db.is_file():
        sys.exit(f"no store at {args.db}: make it with lagebild eval events-gold {args.corpus} --db {args.db}")
    rows = pair_rows(args.corpus, args.db)
    differ = [row for row in rows if (row["vectors"] == "same_event") != (row["lexical"] == "same_event")]
    print(json.dumps({"pairs": len(rows), "same_event": same_event_scores(rows), "decided_differently": differ}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
