"""``lagebild eval TASK PATH``: run one evaluation and print its JSON object to stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

eval_app = typer.Typer(help="Measure a capability on a public corpus; prints JSON with a 'metrics' key.", no_args_is_help=True)

CORPUS = typer.Argument(..., help="The corpus file or folder, in its native format.")


def _run(evaluate, path: Path) -> None:
    if not path.exists():
        typer.echo(f"error: no such corpus: {path}", err=True)
        raise typer.Exit(2)
    json.dump(evaluate(path), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@eval_app.command("sentences")
def sentences(path: Path = CORPUS) -> None:
    """Sentence boundaries against German Wikinews (wikinews_quotes_de/*.jsonl)."""
    from lagebild.eval.sentences import evaluate

    _run(evaluate, path)


@eval_app.command("language")
def language(path: Path = CORPUS) -> None:
    """Language identification against SemEval-2022 Task 8 labels (training_set.csv)."""
    from lagebild.eval.language import evaluate

    _run(evaluate, path)


@eval_app.command("reuse")
def reuse(path: Path = CORPUS) -> None:
    """Wire-copy reuse on outlet versions derived from German Wikinews (wikinews_quotes_de/*.jsonl)."""
    from lagebild.eval.reuse import evaluate

    _run(evaluate, path)


@eval_app.command("ner")
def ner(path: Path = CORPUS) -> None:
    """Named entities against GermEval 2014 (NER-de-dev.tsv, official format; M1 outer, strict)."""
    from lagebild.eval.ner import evaluate

    _run(evaluate, path)


@eval_app.command("pairs")
def pairs(path: Path = CORPUS) -> None:
    """Same-event similarity against SemEval-2022 Task 8 human scores (training_set.csv)."""
    from lagebild.eval.events import evaluate_pairs

    _run(evaluate_pairs, path)


@eval_app.command("clusters")
def clusters(path: Path = CORPUS) -> None:
    """Online event clustering of the UCI News Aggregator headlines (BCubed against STORY)."""
    from lagebild.eval.events import evaluate_clusters

    _run(evaluate_clusters, path)


@eval_app.command("quotes")
def quotes(path: Path = CORPUS) -> None:
    """Quotations and speakers against German Wikinews (wikinews_quotes_de/*.jsonl)."""
    from lagebild.eval.quotes import evaluate

    _run(evaluate, path)
