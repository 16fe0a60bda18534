"""What the leads of the same-event gold's TRAIN pairs share, beside the clustering's decision
(issue 28): the days their first sentences name, the action words of title and first sentence,
the figures of their first sentences. Reads the pickles of ``events_gold_harness.py capture``
(which keep each article's times and claims) and clusters them with the code as it is now.

``python bench/events_gold_leads.py de.pkl en.pkl`` prints, per evidence, counts of train pairs
by (evidence, gold label, clustering's decision). Dev pairs are left out: they are for measuring.
"""

from __future__ import annotations

import argparse
import pickle
import re
from collections import Counter
from pathlib import Path

from events_gold_harness import cluster_kept, judged
from lagebild.eval import events_gold
from lagebild.link import events

DAY_SENTENCES = 1  # as the clustering reads the happening's day (events.HAPPENING_SENTENCES)
ACTION_SENTENCES = 1  # title and first sentence: what happened
FIGURE_SENTENCES = 3
SMALL_COUNT = 12  # "drei Phasen", "four congresswomen": small counts say little of one happening
_WORD = re.compile(r"\w+")


def _lead(sentences, count: int):
    return events._body_sentences(sentences)[:count]


def named_days(article, sentences, times) -> str:
    """The named day of the lead as the clustering reads it, or none."""
    day = events.happening_day(article, sentences, times)
    return "none" if day is None else str(day)


def action_words(article, sentences) -> set[str]:
    """The lower-case words (verbs, adjectives; German nouns are capitalised) of title and first
    sentence, in the forms the clustering compares (base forms, German ones in English)."""
    text = " ".join([article.title or ""] + [s.text for s in _lead(sentences, ACTION_SENTENCES)])
    return set(events.content_words(" ".join(w for w in _WORD.findall(text) if w[0].islower()), article.language))


def figures(sentences, claims) -> set[float]:
    """The exact figures of the lead, years and small counts aside."""
    lead = _lead(sentences, FIGURE_SENTENCES)
    end = lead[-1].end if lead else 0
    return {c.value for c in claims if c.start < end and c.value is not None and c.value > SMALL_COUNT and not (1900 <= c.value <= 2100 and float(c.value).is_integer())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kept", type=Path, nargs="+")
    arguments = parser.parse_args()
    gold = events_gold.read_gold()
    tables = {"named days": Counter(), "action words": Counter(), "figures": Counter()}
    for path in arguments.kept:
        kept = pickle.loads(path.read_bytes())
        documents = {kept["urls"][article.id]: (article, sentences) for article, sentences in kept["documents"]}
        for pair, relation in judged(kept, cluster_kept(kept), gold):
            if pair.split != "train":
                continue
            decision = (pair.label == "same_event", relation == "same_event")
            (a, sa), (b, sb) = documents[pair.url_a], documents[pair.url_b]
            days = named_days(a, sa, kept["times"][a.id]), named_days(b, sb, kept["times"][b.id])
            if "none" in days:
                day_key = "a day in one lead" if days != ("none", "none") else "no day"
            else:
                day_key = ("the same day", "a day apart", "2+ days apart")[min(2, abs(int(days[0]) - int(days[1])))]
            tables["named days"][(day_key, *decision)] += 1
            tables["action words"][("shared" if action_words(a, sa) & action_words(b, sb) else "none shared", *decision)] += 1
            fa, fb = figures(sa, kept["claims"][a.id]), figures(sb, kept["claims"][b.id])
            if fa and fb:
                tables["figures"][("a figure shared" if fa & fb else "figures, none shared", *decision)] += 1
    for name, table in tables.items():
        print(f"{name} (evidence, gold one happening, clustered as one event): train pairs")
        for key in sorted(table):
            print(f"    {key[0]:22s} gold {'same' if key[1] else 'not '}  clustered {'same' if key[2] else 'not '}  {table[key]}")


if __name__ == "__main__":
    main()
