"""The stages' models loaded in the fork server that the stage workers are forked from
(``pipeline._worker_context`` preloads this module): every worker then starts with the tagger's
network, the sub-word tables, the dictionaries and the language models in memory, shared with
the fork server, instead of loading them itself on every run, and the fork server loads them
while the run reads its input.

Importing it runs the stages once on two short made-up reports, one German and one English,
which reaches every model whatever loads it lazily. The models are read-only, and what the stages
find for an article does not depend on what they read before (the equivalence tests run the
same articles on one and on two workers).
"""

from __future__ import annotations

from lagebild.model import Article
from lagebild.stages import STAGES, Findings, compute

_SAMPLES = {
    "de": (
        "Treffen in Berlin",
        "Berlin (dpa) - Bundeskanzlerin Angela Merkel hat am Montag in Berlin gesagt: „Wir schaffen das.“ "
        "Die Zahl der Anträge stieg laut Statistischem Bundesamt im vergangenen Jahr um 12 Prozent auf 3.500.",
    ),
    "en": (
        "Meeting in London",
        "London (Reuters) - Prime Minister Boris Johnson said on Monday: \"We will get it done.\" "
        "Sales rose 12 percent to $3.5 billion last year, the Office for National Statistics said.",
    ),
}


def warm_up() -> None:
    """Run every stage on the samples (their results are dropped)."""
    samples = [
        Findings(Article(f"warm-up-{language}", "-", "txt", text, text, 0, title=title, date="2020-01-06", language=language), 0)
        for language, (title, text) in _SAMPLES.items()
    ]
    compute(samples, [set(STAGES)] * len(samples))


try:
    warm_up()
except Exception:  # noqa: BLE001 - the fork server must start: a worker then loads, and fails, on its own and says why
    pass
