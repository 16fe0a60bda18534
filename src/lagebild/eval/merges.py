"""``merges``: which name variants lagebild joins into one entity, against hand-labelled decisions.

The gold (``merges_gold.tsv`` beside this module) holds pairs of (article url, name as written
there): a short and a full name, spelling variants, a hyphenated surname alone, a possessive, two
people who share a surname or a first name, a film named after a person. Each pair is labelled
``same`` or ``different`` by reading both articles. Articles are named by url only (the corpora's
texts are for evaluation only and are never committed); ``split`` is ``train`` or ``dev`` by a
hash of the pair (``split_of``).

Merging depends on what else the corpus names (a surname joins a full name only when nothing
else competes for it), so a comment line ``# corpus<TAB>LANGUAGE<TAB>N`` fixes the slice: the first
N records of the language's corpus file, analysed together. The measurement analyses that slice
as the pipeline's entity stage does (sentences, mentions, names completed from the other
articles, names grouped across articles), or reads a store ``lagebild analyze`` made (``--db``).
A side of a pair is the entity its article's mentions with that surface (the text as written,
else the name it was resolved to) mostly belong to; the pair is predicted "same" when both sides
are one entity. A side the analysis did not find as a mention is "unfound" and never merged.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from lagebild.eval import prf
from lagebild.eval.events_gold import corpus_files

GOLD = Path(__file__).with_name("merges_gold.tsv")
LABELS = ("same", "different")
SPLITS = ("train", "dev")
COLUMNS = ("split", "language", "url_a", "name_a", "url_b", "name_b", "label", "note")
DEV_SHARE = 40  # percent of pairs in dev


class GoldError(ValueError):
    """The gold file or the corpus cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Pair:
    split: str
    language: str
    url_a: str
    name_a: str
    url_b: str
    name_b: str
    label: str
    note: str


def split_of(name_a: str, name_b: str) -> str:
    """train or dev by the pair's two names (sorted), so that a pair of names keeps its split
    whatever its order and whichever articles it was read in."""
    digest = hashlib.sha1("\t".join(sorted((name_a, name_b))).encode("utf-8")).digest()
    return "dev" if int.from_bytes(digest[:4], "big") % 100 < DEV_SHARE else "train"


def read_gold(path: Path = GOLD) -> tuple[dict[str, int], list[Pair]]:
    """(language -> records of the corpus slice, the pairs)."""
    if not path.is_file():
        raise GoldError(f"no such gold file: {path}")
    slices, pairs, header_seen = {}, [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if line.startswith("# corpus"):
            if len(cells) != 3 or not cells[2].isdigit():
                raise GoldError(f"{path}:{number}: a corpus line is '# corpus<TAB>LANGUAGE<TAB>RECORDS'")
            slices[cells[1]] = int(cells[2])
        elif not line.strip() or line.startswith("#"):
            continue
        elif not header_seen:
            if tuple(cells) != COLUMNS:
                raise GoldError(f"{path}:{number}: the header must be {' '.join(COLUMNS)} (tab-separated)")
            header_seen = True
        else:
            pairs.append(_pair(cells, path, number))
    return slices, pairs


def _pair(cells: list[str], path: Path, number: int) -> Pair:
    if len(cells) != len(COLUMNS):
        raise GoldError(f"{path}:{number}: {len(cells)} columns, expected {len(COLUMNS)}")
    pair = Pair(*cells)
    if pair.label not in LABELS:
        raise GoldError(f"{path}:{number}: bad label {pair.label!r} (same or different)")
    if pair.split not in SPLITS:
        raise GoldError(f"{path}:{number}: bad split {pair.split!r} (train or dev)")
    return pair


def first_records(path: Path, count: int) -> list[dict]:
    """The first ``count`` JSON records of PATH (a .jsonl[.gz] file, or the first such file of a folder)."""
    files = corpus_files(path)
    if not files:
        raise GoldError(f"no .jsonl[.gz] file in {path}")
    opener = gzip.open if files[0].name.endswith(".gz") else open
    records = []
    try:
        with opener(files[0], "rt", encoding="utf-8") as lines:
            for line in lines:
                if len(records) >= count:
                    break
                if line.strip():
                    records.append(json.loads(line))
    except (OSError, UnicodeDecodeError, EOFError, json.JSONDecodeError) as error:
        raise GoldError(f"cannot read {files[0]}: {error}") from error
    return records


def analysed_mentions(records: list[dict]) -> dict[str, list[tuple[str, str, str]]]:
    """url -> (text, name, entity id) of each mention, as the pipeline's entity stage finds and
    groups them over all the records together."""
    from lagebild.extract.entities import iter_mentions
    from lagebild.ingest import _to_article
    from lagebild.ingest.readers import _from_record
    from lagebild.link.entities import complete_names, merge_mentions
    from lagebild.nlp.sentences import split_article

    articles = [a for a in (_to_article(_from_record("gold", r, "jsonl")) for r in records) if hasattr(a, "text")]
    documents = [(article, split_article(article)) for article in articles]
    found = {article.id: mentions for (article, _), mentions in zip(documents, iter_mentions(documents))}
    completed = complete_names(found, {article.id: article.text for article in articles})
    entity_of = {(m.article_id, m.start): entity.id for entity in merge_mentions([m for ms in completed.values() for m in ms]) for m in entity.mentions}
    by_url: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for article in articles:
        by_url[article.url] += [(m.text, m.name, entity_of[(m.article_id, m.start)]) for m in completed[article.id] if not m.role]
    return by_url


def stored_mentions(db: Path, urls: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The same from a store ``lagebild analyze`` made."""
    from lagebild.store import Store
    from lagebild.store import picture

    store = Store(db)
    try:
        connection = store.connection
        ids = dict(connection.execute("SELECT id, url FROM articles WHERE url IS NOT NULL"))
        wanted = [i for i, url in ids.items() if url in urls]
        mentioned = picture.mentioned_names(connection, wanted)
        entity_of = picture.entity_ids(connection, {m[0] for found in mentioned.values() for m in found})
        by_url: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for article_id, found in mentioned.items():
            by_url[ids[article_id]] += [(text, name, entity_of.get(name, "")) for name, _, _, text, role in found if not role]
        return by_url
    finally:
        store.close()


POSSESSIVES = ("'s", "’s")


def entity_of_side(mentions: list[tuple[str, str, str]], surface: str) -> str | None:
    """The entity that the article's mentions of ``surface`` mostly belong to: mentions written
    so, else written so without a possessive ending ("Blair's" is a mention "Blair"), else resolved
    to that name, else the longest mention written inside it (a span cut differently: "Speaker
    Nancy Pelosi" holds "Nancy Pelosi")."""
    bare = surface[:-2] if surface.endswith(POSSESSIVES) else surface
    tests = (
        lambda m: m[0] == surface,
        lambda m: m[0] == bare,
        lambda m: m[1] == surface,
        lambda m: f" {m[0]} " in f" {bare} ",
    )
    for test in tests:
        found = [m for m in mentions if test(m)]
        if found:
            longest = max(len(m[0]) for m in found)
            return Counter(m[2] for m in found if len(m[0]) == longest).most_common(1)[0][0]
    return None


def decisions(pairs: list[Pair], mentions: dict[str, list[tuple[str, str, str]]]) -> list[tuple[Pair, bool | None]]:
    """Each pair with whether its two sides are one entity (None: a side was not found)."""
    decided = []
    for pair in pairs:
        a = entity_of_side(mentions.get(pair.url_a, []), pair.name_a)
        b = entity_of_side(mentions.get(pair.url_b, []), pair.name_b)
        decided.append((pair, None if a is None or b is None else a == b))
    return decided


def score(decided: list[tuple[Pair, bool | None]]) -> dict:
    tp = sum(1 for p, merged in decided if merged and p.label == "same")
    fp = sum(1 for p, merged in decided if merged and p.label != "same")
    gold = sum(1 for p, _ in decided if p.label == "same")
    unfound = sum(1 for _, merged in decided if merged is None)
    return {**prf(tp, tp + fp, gold), "pairs": len(decided), "merged": tp + fp, "gold_same": gold, "false_merges": fp, "unfound": unfound}


def grouped(decided: list[tuple[Pair, bool | None]]) -> dict:
    groups: dict[str, list] = {"all": decided}
    for item in decided:
        for key in (item[0].split, item[0].language, f"{item[0].language}/{item[0].split}"):
            groups.setdefault(key, []).append(item)
    order = ["all", *SPLITS, *sorted(k for k in groups if k not in ("all", *SPLITS))]
    return {key: score(groups[key]) for key in order if key in groups}


def _listed(decided, wanted) -> list[str]:
    return [f"{p.language}/{p.split}: {p.name_a!r} ~ {p.name_b!r} ({p.note})" for p, merged in decided if wanted(p, merged)]


def evaluate(path: Path, gold: Path = GOLD, db: Path | None = None) -> dict:
    started = time.perf_counter()
    slices, pairs = read_gold(gold)
    language, records = _corpus_language(path, slices, pairs)
    pairs = [p for p in pairs if p.language == language]
    urls = {url for p in pairs for url in (p.url_a, p.url_b)}
    mentions = stored_mentions(db, urls) if db else analysed_mentions(records)
    decided = decisions(pairs, mentions)
    return {
        "task": "merges",
        "corpus": str(path),
        "gold": str(gold),
        "language": language,
        "articles_analysed": 0 if db else len(records),
        "gold_pairs": len(pairs),
        "metrics": grouped(decided),
        "false_merges": _listed(decided, lambda p, merged: merged and p.label == "different"),
        "missed": _listed(decided, lambda p, merged: merged is False and p.label == "same"),
        "unfound": _listed(decided, lambda p, merged: merged is None),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _corpus_language(path: Path, slices: dict[str, int], pairs: list[Pair]) -> tuple[str, list[dict]]:
    """The gold language whose pair urls PATH's slice holds, with that slice's records."""
    if not slices:
        raise GoldError("the gold has no '# corpus<TAB>LANGUAGE<TAB>RECORDS' line")
    records = first_records(path, max(slices.values()))
    urls = {record.get("url") for record in records}
    hits = Counter(p.language for p in pairs if p.url_a in urls and p.url_b in urls)
    if not hits:
        raise GoldError(f"{path}: none of the gold's articles is among its first records")
    language = hits.most_common(1)[0][0]
    return language, records[: slices.get(language, len(records))]
