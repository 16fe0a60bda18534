"""``events-gold``: same-event and same-story decisions on real news against hand-labelled pairs.

The gold (``events_gold.tsv`` beside this module) holds pairs of real news articles, named by
their urls (the corpora's texts are for evaluation only and are never committed), each labelled
by reading both articles (title and at least the first 1,200 characters, more when unsure):

- ``same_event``: both report the same happening: one decision, incident, announcement, statement
  occasion, or publication of figures by one body on one day. A follow-up report of that
  happening on the next day still counts; an article that mainly reports a different happening
  does not, even when it mentions this one.
- ``same_story``: not the same happening, but the same specific thread: the contact-ban decision
  and a later debate on lifting it; two days of one court case; one place's outbreak; one
  company's crisis; one impeachment inquiry's hearings. For the COVID corpus "both about the
  pandemic" is no story, nor is "both about Trump" for the English one: a story needs a specific
  shared thread (the same measure, the same body's line of decisions, the same place, the same
  affair).
- ``unrelated``: anything else. A live blog or daily round-up is judged by its main happening.

Its header names the windows, one comment line each (``# window<TAB>de<TAB>FIRST<TAB>LAST``):
runs of days of one language's stream; both articles of a pair lie in one window. ``split`` is
``train`` or ``dev`` by a hash of the pair's smaller url (``split_of``), about 60/40.

How the pairs were drawn (``bench/events_gold_sample.py``; the sampler of a pair is not recorded
here): pairs the clustering of the day put in one event (events of every size, the largest
topic clusters among them), pairs of different outlets a day apart whose titles (or titles and
teasers) share rare words (likely one event, whether found or not), pairs sharing one topic
word of the window's titles (hard negatives), and random pairs of a window. Recall is measured
on such pairs: one event told in wholly different words is rarer in the gold than in the news.

The measurement: every article of PATH dated within a window (the whole stream of those days, so
that the density of events is real), analysed as ``lagebild analyze`` does (stages, linking,
events and stories) in a temporary store or ``--db``'s, whose kept stage results make a rerun
after a linking change a relinking only. A pair is predicted one event when its two articles
are in one event, one story when in one story. "Same event" is scored against gold
``same_event``; "same story" against gold ``same_event`` and ``same_story`` together. Pairs whose
articles PATH lacks (another split of the corpus) are counted as missing and left out.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lagebild import pipeline
from lagebild.eval import prf
from lagebild.model import AnalysisOptions
from lagebild.progress import Tracker
from lagebild.store import Store

GOLD = Path(__file__).with_name("events_gold.tsv")
LABELS = ("same_event", "same_story", "unrelated")
SPLITS = ("train", "dev")
COLUMNS = ("split", "language", "url_a", "url_b", "label", "note")
FIELDS = ("title", "text", "date", "url", "outlet", "language", "credits")  # what ingest reads of a JSONL record
DEV_SHARE = 40  # percent of pairs in dev


class GoldError(ValueError):
    """The gold file or the corpus cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Window:
    language: str
    first: str  # ISO day, inclusive
    last: str

    def holds(self, day: str) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Pair:
    split: str
    language: str
    url_a: str
    url_b: str
    label: str
    note: str


@dataclass
class Gold:
    windows: list[Window]
    pairs: list[Pair]


def split_of(url_a: str, url_b: str) -> str:
    """train or dev, fixed by the pair's smaller url (so a pair keeps its split whatever its order)."""
    digest = hashlib.sha1(min(url_a, url_b).encode("utf-8")).digest()
    return "dev" if int.from_bytes(digest[:4], "big") % 100 < DEV_SHARE else "train"


def read_gold(path: Path = GOLD) -> Gold:
    if not path.is_file():
        raise GoldError(f"no such gold file: {path}")
    windows, pairs, header_seen = [], [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            if line.startswith("# window"):
                windows.append(_window(line, path, number))
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(cells) != COLUMNS:
                raise GoldError(f"{path}:{number}: the header must be {' '.join(COLUMNS)} (tab-separated)")
            header_seen = True
            continue
        pairs.append(_pair(cells, path, number))
    if not windows:
        raise GoldError(f"{path}: no '# window<TAB>LANGUAGE<TAB>FIRST<TAB>LAST' line")
    return Gold(windows, pairs)


def _window(line: str, path: Path, number: int) -> Window:
    cells = line.split("\t")
    if len(cells) != 4 or not all(_is_day(day) for day in cells[2:]) or cells[2] > cells[3]:
        raise GoldError(f"{path}:{number}: a window line is '# window<TAB>LANGUAGE<TAB>FIRST<TAB>LAST' (days YYYY-MM-DD, first <= last)")
    return Window(cells[1], cells[2], cells[3])


def _is_day(text: str) -> bool:
    return len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit()


def _pair(cells: list[str], path: Path, number: int) -> Pair:
    if len(cells) != len(COLUMNS):
        raise GoldError(f"{path}:{number}: {len(cells)} columns, expected {len(COLUMNS)} ({' '.join(COLUMNS)})")
    pair = Pair(*cells)
    if pair.label not in LABELS:
        raise GoldError(f"{path}:{number}: bad label {pair.label!r} (one of {', '.join(LABELS)})")
    if pair.split not in SPLITS:
        raise GoldError(f"{path}:{number}: bad split {pair.split!r} (train or dev)")
    if not pair.url_a or pair.url_a == pair.url_b:
        raise GoldError(f"{path}:{number}: a pair needs two different urls")
    return pair


def corpus_files(path: Path) -> list[Path]:
    """The JSON-lines files of PATH (a file, or a folder read recursively; hidden files skipped)."""
    if path.is_file():
        return [path]
    found = [p for p in path.rglob("*") if p.is_file() and p.name.endswith((".jsonl", ".jsonl.gz", ".ndjson")) and not any(part.startswith(".") for part in p.relative_to(path).parts)]
    return sorted(found)


def window_records(path: Path, windows: list[Window]) -> list[dict]:
    """Every record of PATH dated within a window, in date order (stable: the corpus's order within a day)."""
    records = []
    for file in corpus_files(path):
        opener = gzip.open if file.name.endswith(".gz") else open
        try:
            with opener(file, "rt", encoding="utf-8") as lines:
                for line in lines:
                    record = _record(line)
                    if record and any(window.holds(str(record.get("date", ""))[:10]) for window in windows):
                        records.append({key: record[key] for key in FIELDS if key in record})
        except (OSError, UnicodeDecodeError, EOFError) as error:
            raise GoldError(f"cannot read {file}: {error}") from error
    return sorted(records, key=lambda record: str(record["date"])[:10])


def _record(line: str) -> dict | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) and isinstance(record.get("text"), str) and record.get("date") else None


def placements(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """url -> (event id, story id) of the store's picture (the first stored article of a url)."""
    rows = store.connection.execute(
        "SELECT a.url, p.event_id, p.story_id FROM articles a LEFT JOIN picture_articles p ON p.article_id = a.id WHERE a.url IS NOT NULL ORDER BY a.seq"
    ).fetchall()
    placed: dict[str, tuple[str | None, str | None]] = {}
    for url, event, story in rows:
        placed.setdefault(url, (event, story))
    return placed


def analyse_windows(records: list[dict], db: Path | None, embeddings: bool, jobs: int) -> dict[str, tuple[str | None, str | None]]:
    """Analyse the records as ``lagebild analyze`` would, in ``db`` (kept) or a temporary store."""
    with tempfile.TemporaryDirectory() as folder:
        stream = Path(folder) / "windows.jsonl"
        stream.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
        store = Store(db if db is not None else Path(folder) / "store.db")
        try:
            tracker = Tracker(None)
            run = pipeline.ingest(store, [str(stream)], tracker)
            pipeline.analyse(store, run, tracker, AnalysisOptions(embeddings=embeddings), jobs)
            return placements(store)
        finally:
            store.close()


def predicted_relation(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> str:
    """same_event, same_story (one story, other events) or unrelated."""
    if a[0] is not None and a[0] == b[0]:
        return "same_event"
    if a[1] is not None and a[1] == b[1]:
        return "same_story"
    return "unrelated"


def score(pairs: list[tuple[Pair, str]]) -> dict:
    """Pairwise precision, recall, F1 of "same event" and of "same story" (gold same_event or
    same_story), with the counts behind them, over (gold pair, predicted relation) items."""
    event = _counts([(p.label == "same_event", relation == "same_event") for p, relation in pairs])
    story = _counts([(p.label != "unrelated", relation != "unrelated") for p, relation in pairs])
    return {"pairs": len(pairs), "same_event": event, "same_story": story}


def _counts(items: list[tuple[bool, bool]]) -> dict:
    tp = sum(gold and predicted for gold, predicted in items)
    fp = sum(predicted and not gold for gold, predicted in items)
    fn = sum(gold and not predicted for gold, predicted in items)
    return {**prf(tp, tp + fp, tp + fn), "true_positives": tp, "false_positives": fp, "false_negatives": fn, "gold_positives": tp + fn}


def grouped_metrics(found: list[tuple[Pair, str]]) -> dict:
    """Scores over all pairs found, per split, per language, and per language and split."""
    groups: dict[str, list[tuple[Pair, str]]] = {"all": found}
    for pair, relation in found:
        for key in (pair.split, pair.language, f"{pair.language}/{pair.split}"):
            groups.setdefault(key, []).append((pair, relation))
    order = ["all", *SPLITS, *sorted({p.language for p, _ in found}), *sorted(k for k in groups if "/" in k)]
    return {key: score(groups[key]) for key in order if key in groups}


def confusion(found: list[tuple[Pair, str]]) -> dict[str, dict[str, int]]:
    """gold label -> predicted relation -> pairs."""
    counts = Counter((pair.label, relation) for pair, relation in found)
    return {gold: {predicted: counts[(gold, predicted)] for predicted in LABELS} for gold in LABELS}


def _found_by_language(pairs: list[Pair], found: list[tuple[Pair, str]]) -> dict[str, dict[str, int]]:
    gold, hits = Counter(p.language for p in pairs), Counter(p.language for p, _ in found)
    return {language: {"gold": gold[language], "found": hits[language]} for language in sorted(gold)}


def evaluate(path: Path, gold: Path = GOLD, db: Path | None = None, embeddings: bool = False, jobs: int | None = None) -> dict:
    started = time.perf_counter()
    loaded = read_gold(gold)
    records = window_records(path, loaded.windows)
    placed = analyse_windows(records, db, embeddings, jobs or pipeline.default_jobs()) if records else {}
    found = [(pair, predicted_relation(placed[pair.url_a], placed[pair.url_b])) for pair in loaded.pairs if pair.url_a in placed and pair.url_b in placed]
    return {
        "task": "events-gold",
        "corpus": str(path),
        "gold": str(gold),
        "embeddings": embeddings,
        "windows": [f"{w.language} {w.first}..{w.last}" for w in loaded.windows],
        "articles_analysed": len(records),
        "gold_pairs": len(loaded.pairs),
        "pairs_found": len(found),
        "pairs_missing": len(loaded.pairs) - len(found),
        "pairs_by_language": _found_by_language(loaded.pairs, found),
        "gold_labels_found": dict(Counter(pair.label for pair, _ in found)),
        "metrics": grouped_metrics(found),
        "confusion": confusion(found),
        "seconds": round(time.perf_counter() - started, 1),
    }
