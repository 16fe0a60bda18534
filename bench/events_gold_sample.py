"""How the same-event gold (``src/lagebild/eval/events_gold.tsv``) was sampled.

Writes candidate article pairs of one language's windows, each with the sampler that found it,
and a reading sheet (titles and heads of both articles side by side) to label by hand. Neither
file is committed: the sheet holds article text, and which sampler found a pair stays out of the
gold so that the gold cannot be read by its origin.

    python bench/events_gold_sample.py CORPUS.jsonl.gz --language de --db STORE --out DIR

CORPUS is a realnews file; STORE is the store of ``lagebild eval events-gold CORPUS --db STORE``
(or of ``lagebild analyze`` on the windows' articles): the current clustering whose events
sampler (a) draws from. Samplers, all within one window of the gold's header:

(a) ``event``: pairs the current lagebild puts in one event, from events of every size (two to
    the largest topic clusters; larger events give more pairs);
(b) ``overlap``: pairs likely to be one event that lagebild may miss: articles of different
    outlets at most a day apart whose titles share rare words (a title word's weight is its
    inverse document frequency in the window; no lagebild similarity is used);
(b2) ``lead``: the same test on the title and the first 200 characters of the text (its teaser),
    taking the heaviest pairs not drawn before (``--lead-pairs``: added after the first round was
    labelled, when it held too few pairs of one event);
(c) ``topic``: hard negatives: same-window pairs whose titles share one common topic word (in 5
    to 80 titles of the window) and little else;
(d) ``random``: pairs drawn at random from the window.

A pair already drawn by an earlier sampler is not drawn again; the seed is fixed.

Labelling: each pair of the sheet is read (title and the first 1,200 characters of both texts)
and labelled by hand into a file of ``NUMBER<TAB>LABEL<TAB>NOTE`` lines (``DROP`` for a pair
whose stored text does not match its title); ``--merge LABELS`` then prints the gold rows of
those labels (split by ``split_of``) to append to the gold file:

    python bench/events_gold_sample.py CORPUS --language de --db STORE --out DIR --merge DIR/labels_de.tsv
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lagebild.eval.events_gold import GOLD, LABELS, read_gold, split_of  # noqa: E402

WORD = re.compile(r"[^\W\d_]{4,}")
STOPWORDS = set(
    "aber alle auch dass denn diese dieser doch eine einem einen einer eines gegen hier immer jetzt kann kein keine mehr "
    "muss nach noch nicht oder ohne schon sein sich sind soll über unter viel vom wann warum weil wenn werden wieder "
    "wird wird wie wir zum zur about after again against also been before being could does from have here into just "
    "more most much news only over says said should some than that their them then there these they this what when "
    "where which while will with would your corona coronavirus covid".split()
)
DEFAULT_COUNTS = {"event": 80, "overlap": 60, "topic": 40, "random": 25}


def title_words(title: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(title or "")} - STOPWORDS


def load_window_articles(corpus: Path, windows: list[tuple[str, str]]) -> list[dict]:
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [row for row in rows if window_of(row["date"][:10], windows) is not None]


def window_of(day: str, windows: list[tuple[str, str]]) -> int | None:
    return next((number for number, (first, last) in enumerate(windows) if first <= day <= last), None)


def events_of(store: Path) -> dict[str, str]:
    """url -> the event the store's picture puts the article in."""
    connection = sqlite3.connect(store)
    rows = connection.execute("SELECT a.url, p.event_id FROM picture_articles p JOIN articles a ON a.id = p.article_id")
    return {url: event for url, event in rows if url and event}


def event_pairs(articles: list[dict], events: dict[str, str], windows, wanted: int, rng: random.Random) -> list[tuple]:
    """Pairs within predicted events: a few from each event, more from larger events."""
    members = defaultdict(list)
    for row in articles:
        if row["url"] in events:
            members[events[row["url"]]].append(row)
    pairs = []
    for event, rows in sorted(members.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(rows) < 2:
            continue
        possible = [(a, b) for a, b in combinations(rows, 2) if window_of(a["date"][:10], windows) == window_of(b["date"][:10], windows)]
        take = min(len(possible), 1 + int(math.log2(len(rows))) + (len(rows) >= 20) * 4)
        pairs += rng.sample(possible, take)
    rng.shuffle(pairs)
    return pairs[:wanted]


def idf(articles: list[dict]) -> dict[str, float]:
    counts = Counter(word for row in articles for word in title_words(row["title"]))
    return {word: math.log(len(articles) / count) for word, count in counts.items()}


def overlap_pairs(articles: list[dict], weights: dict[str, float], wanted: int, rng: random.Random) -> list[tuple]:
    """Different outlets, at most a day apart, titles sharing rare words: the heaviest shared weight first."""
    scored = []
    for a, b in combinations(articles, 2):
        if a["outlet"] == b["outlet"] or _days_apart(a, b) > 1:
            continue
        shared = title_words(a["title"]) & title_words(b["title"])
        weight = sum(weights[word] for word in shared)
        if len(shared) >= 2 or weight >= 5.0:
            scored.append((weight, a["url"], b["url"], a, b))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    top = [(a, b) for _, _, _, a, b in scored[: wanted * 3]]
    return rng.sample(top, min(wanted, len(top)))


def lead_words(row: dict) -> set[str]:
    return title_words(row["title"]) | title_words(row["text"][:200])


def lead_pairs(articles: list[dict], wanted: int, drawn: set) -> list[tuple]:
    """Different outlets, at most a day apart, the heaviest shared words of title and teaser first."""
    counts = Counter(word for row in articles for word in lead_words(row))
    weights = {word: math.log(len(articles) / count) for word, count in counts.items()}
    words = {row["url"]: lead_words(row) for row in articles}
    scored = []
    for a, b in combinations(articles, 2):
        if a["outlet"] == b["outlet"] or _days_apart(a, b) > 1 or tuple(sorted((a["url"], b["url"]))) in drawn:
            continue
        weight = sum(weights[word] for word in words[a["url"]] & words[b["url"]])
        scored.append((weight, a["url"], b["url"], a, b))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [(a, b) for _, _, _, a, b in scored[:wanted]]


def topic_pairs(articles: list[dict], weights: dict[str, float], wanted: int, rng: random.Random) -> list[tuple]:
    """Titles sharing exactly one word of 5-80 titles in the window: same topic, likely other happenings."""
    by_word = defaultdict(list)
    for row in articles:
        for word in title_words(row["title"]):
            by_word[word].append(row)
    common = sorted(word for word, rows in by_word.items() if 5 <= len(rows) <= 80)
    pairs = []
    for _ in range(wanted * 20):
        if len(pairs) >= wanted or not common:
            break
        word = rng.choice(common)
        a, b = rng.sample(by_word[word], 2)
        if len(title_words(a["title"]) & title_words(b["title"])) == 1 and _days_apart(a, b) <= 3:
            pairs.append((a, b))
    return pairs


def random_pairs(articles: list[dict], windows, wanted: int, rng: random.Random) -> list[tuple]:
    by_window = defaultdict(list)
    for row in articles:
        by_window[window_of(row["date"][:10], windows)].append(row)
    groups = [rows for rows in by_window.values() if len(rows) >= 2]
    return [tuple(rng.sample(rng.choice(groups), 2)) for _ in range(wanted)]


def _days_apart(a: dict, b: dict) -> int:
    return abs((date.fromisoformat(a["date"][:10]) - date.fromisoformat(b["date"][:10])).days)


def sample(articles: list[dict], events: dict[str, str], windows, counts: dict[str, int], seed: int, lead: int = 0) -> list[tuple[str, dict, dict]]:
    rng = random.Random(seed)
    weights = idf(articles)
    drawn = {
        "event": event_pairs(articles, events, windows, counts["event"], rng),
        "overlap": overlap_pairs(articles, weights, counts["overlap"], rng),
        "topic": topic_pairs(articles, weights, counts["topic"], rng),
        "random": random_pairs(articles, windows, counts["random"], rng),
    }
    seen, chosen = set(), []
    for sampler, pairs in drawn.items():
        for a, b in pairs:
            key = tuple(sorted((a["url"], b["url"])))
            if a["url"] != b["url"] and key not in seen:
                seen.add(key)
                chosen.append((sampler, a, b))
    chosen += [("lead", a, b) for a, b in lead_pairs(articles, lead, seen)]
    return chosen


def sheet_entry(number: int, a: dict, b: dict, head: int) -> str:
    def side(row: dict) -> str:
        text = " ".join(row["text"].split())[:head]
        return f"  [{row['date'][:10]} {row['outlet']}] {row['title']}\n  {row['url']}\n  {text}\n"

    return f"=== {number}\n{side(a)}  ---\n{side(b)}"


def gold_rows(language: str, candidates: Path, labels: Path) -> list[str]:
    """The gold rows of hand labels: numbers of the candidate table, DROP left out."""
    pairs = {}
    for line in candidates.read_text(encoding="utf-8").splitlines():
        number, _, url_a, url_b = line.split("\t")
        pairs[number] = (url_a, url_b)
    rows = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        number, label, note = line.split("\t")
        if label == "DROP":
            continue
        if label not in LABELS:
            raise SystemExit(f"{labels}: bad label {label!r} for pair {number}")
        url_a, url_b = pairs[number]
        rows.append("\t".join((split_of(url_a, url_b), language, url_a, url_b, label, note)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--language", required=True)
    parser.add_argument("--db", type=Path, required=True, help="the store of the current clustering on the windows")
    parser.add_argument("--gold", type=Path, default=GOLD, help="the gold whose header names the windows")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the default number of pairs per sampler")
    parser.add_argument("--head", type=int, default=1200, help="characters of each text on the sheet")
    parser.add_argument("--seed", type=int, default=28)
    parser.add_argument("--lead-pairs", type=int, default=0, help="pairs of sampler (b2), drawn after the others")
    parser.add_argument("--merge", type=Path, help="hand labels of the sheet's pairs: print their gold rows instead of sampling")
    args = parser.parse_args()
    if args.merge:
        print("\n".join(gold_rows(args.language, args.out / f"candidates_{args.language}.tsv", args.merge)))
        return
    windows = [(w.first, w.last) for w in read_gold(args.gold).windows if w.language == args.language]
    articles = load_window_articles(args.corpus, windows)
    counts = {name: round(count * args.scale) for name, count in DEFAULT_COUNTS.items()}
    chosen = sample(articles, events_of(args.db), windows, counts, args.seed, args.lead_pairs)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / f"candidates_{args.language}.tsv", "w", encoding="utf-8") as table, open(args.out / f"sheet_{args.language}.txt", "w", encoding="utf-8") as sheet:
        for number, (sampler, a, b) in enumerate(chosen):
            table.write(f"{number}\t{sampler}\t{a['url']}\t{b['url']}\n")
            sheet.write(sheet_entry(number, a, b, args.head) + "\n")
    print(json.dumps({"language": args.language, "articles": len(articles), "pairs": len(chosen), "by_sampler": Counter(s for s, _, _ in chosen)}))


if __name__ == "__main__":
    main()
