"""The entities of a linked store, grouped again all at once from its names, against the groups
its runs made by regrouping only what each changed (``link.entity_state``); and what grouping
every name would cost a run (what each run did before). Usage:

    .venv/bin/python bench/entity_groups_bench.py --db STORE

Prints JSON: names, entities, names whose entity differs, entity rows that differ, and the CPU
seconds of reading every name, grouping them and writing every entity.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from lagebild.link.entities import NameStats, group_names
from lagebild.store import Store


def measure(location: str) -> dict:
    store = Store(location)
    connection = store.connection
    started = time.process_time()
    query = "SELECT name, types, named_types, texts, articles FROM link_names"
    stats = {name: NameStats(Counter(json.loads(t)), Counter(json.loads(n)), set(json.loads(x)), a) for name, t, n, x, a in connection.execute(query)}
    read = time.process_time()
    entities = group_names(stats)
    grouped = time.process_time()
    at_once = {name: entity.id for entity in entities for name in entity.names}
    stored = dict(connection.execute("SELECT name, entity_id FROM picture_entity_names"))
    rows = {i: (n, t, json.loads(v), m, a) for i, n, t, v, m, a in connection.execute("SELECT id, name, type, variants, mentions, articles FROM picture_entities")}
    made = {e.id: (e.name, e.type, e.variants, e.mentions, e.articles) for e in entities}
    return {
        "benchmark": "entity_groups",
        "names": len(stats),
        "entities": len(entities),
        "names_in_another_entity": sum(at_once.get(name) != stored.get(name) for name in at_once.keys() | stored.keys()),
        "entity_rows_differing": sum(made.get(i) != rows.get(i) for i in made.keys() | rows.keys()),
        "read_every_name_cpu_seconds": round(read - started, 2),
        "group_every_name_cpu_seconds": round(grouped - read, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store linked by lagebild analyze")
    print(json.dumps(measure(parser.parse_args().db)))


if __name__ == "__main__":
    main()
