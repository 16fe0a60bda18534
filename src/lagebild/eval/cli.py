"""``lagebild eval TASK PATH``: run one evaluation and print its JSON object to stdout.

Each task names the module and function that evaluate it; modules load only when their task runs.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path

import typer

from lagebild.nlp.embeddings import INSTALL_HINT, available as embeddings_available, wanted_by_default as embeddings_wanted_by_default

eval_app = typer.Typer(help="Measure a capability on a public corpus; prints JSON with a 'metrics' key.", no_args_is_help=True)

TASKS = {
    "sentences": ("lagebild.eval.sentences:evaluate", "Sentence boundaries against German Wikinews (wikinews_quotes_de/*.jsonl)."),
    "language": ("lagebild.eval.language:evaluate", "Language identification against SemEval-2022 Task 8 labels (training_set.csv)."),
    "reuse": ("lagebild.eval.reuse:evaluate", "Wire-copy reuse on outlet versions derived from German Wikinews (wikinews_quotes_de/*.jsonl)."),
    "ner": ("lagebild.eval.ner:evaluate", "Named entities against GermEval 2014 (NER-de-dev.tsv, official format; M1 outer, strict)."),
    "pairs": ("lagebild.eval.events:evaluate_pairs", "Same-event similarity against SemEval-2022 Task 8 human scores (training_set.csv)."),
    "clusters": ("lagebild.eval.events:evaluate_clusters", "Online event clustering of the UCI News Aggregator headlines (BCubed against STORY)."),
    "quotes": ("lagebild.eval.quotes:evaluate", "Quotations and speakers against German Wikinews (wikinews_quotes_de/*.jsonl)."),
    "claims": ("lagebild.eval.claims:evaluate", "Numeric claims against the hand-annotated German Wikinews set (wikinews_quotes_de/train.jsonl)."),
    "summaries": ("lagebild.eval.summaries:evaluate", "Event summaries against the facts a summary must state (shipped gold: example corpus, German Wikinews file or folder, seeds)."),
}
# counts a task reports: none of them may be 0, or the figures score nothing
NOTHING_SCORED = ("texts", "documents", "sentences", "headlines", "gold", "gold_sentences", "gold_entities", "gold_claims", "gold_pairs", "pairs_found", "articles_analysed")
EMBEDDING_TASKS = {"clusters"}  # these take --embeddings (pairs too, with --folds: below)
DEFAULT_WIKINEWS = Path("../shared/data/wikinews_quotes_de")
CORPUS = typer.Argument(..., help="The corpus file or folder, in its native format.")
EMBEDDINGS = typer.Option(
    None, "--embeddings/--no-embeddings", show_default=False,
    help="Article vectors (multilingual-e5-small) in same-event similarity, or the lexical path alone. Default: as `analyze` (with them where installed).",
)


def _run(target: str, path: Path, **options) -> None:
    if not path.exists():
        _fail(f"no such corpus: {path}")
    if "embeddings" in options and options["embeddings"] is None:
        options["embeddings"] = embeddings_wanted_by_default()
    if options.get("embeddings") and not embeddings_available():
        _fail(f"article vectors asked for: {INSTALL_HINT} (or --no-embeddings)")
    module, function = target.split(":")
    try:
        result = getattr(import_module(module), function)(path, **options)
    except (OSError, ValueError, KeyError, IndexError) as error:  # a corpus of another kind or format than the task reads
        reason = _reason(error)
        _fail(reason if reason.startswith(f"cannot read {path}") else f"cannot read {path} as this task's corpus: {reason}")
    empty = next((key for key in NOTHING_SCORED if result.get(key) == 0), None)
    if empty is not None:  # read, but nothing the task scores was in it: no figure, not a zero
        _fail(f"nothing to score in {path}: {empty} 0 (another corpus? see --help)")
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _register(name: str, target: str, description: str) -> None:
    def command(path: Path = CORPUS) -> None:
        _run(target, path)

    def command_with_embeddings(path: Path = CORPUS, embeddings: bool | None = EMBEDDINGS) -> None:
        _run(target, path, embeddings=embeddings)

    chosen = command_with_embeddings if name in EMBEDDING_TASKS else command
    chosen.__doc__ = description
    eval_app.command(name)(chosen)


def _reason(error: Exception) -> str:
    """What was wrong with a corpus, in a few words (``lagebild eval TASK --help`` says what it reads)."""
    if isinstance(error, IsADirectoryError):
        return "a folder, where the task reads a file (see --help)"
    if isinstance(error, NotADirectoryError):
        return "a file, where the task reads a folder (see --help)"
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON lines ({error.msg}, line {error.lineno})"
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(error, KeyError):
        return f"no {error.args[0]!r} field or column (another corpus? see --help)" if error.args else "a field is missing"
    return str(error) or error.__class__.__name__


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


for _name, (_target, _description) in TASKS.items():
    if _name != "pairs":
        _register(_name, _target, _description)


@eval_app.command("pairs")
def pairs(
    path: Path = CORPUS,
    embeddings: bool | None = EMBEDDINGS,
    folds: int = typer.Option(0, "--folds", min=0, max=20, help="Also choose the dense signal's two fitted constants in grouped cross-validation over this many folds (no article in two folds)."),
) -> None:
    """Same-event similarity against SemEval-2022 Task 8 (training_set.csv): Pearson per language pair."""
    if folds == 1:
        _fail("--folds: at least 2 (or 0: none)")
    _run(TASKS["pairs"][0], path, embeddings=embeddings, folds=folds)


@eval_app.command("timex")
def timex(
    path: Path = CORPUS,
    documents: str = typer.Option("all", "--documents", help="all, half-a or half-b: one fixed half of the files (by a hash of the file name), for leave-documents-out checks."),
) -> None:
    """Temporal expressions: WikiWarsDE (folder with keyinline/*.xml), TempEval-3 TimeBank (folder of *.tml) or real news (the realnews_en or realnews_de folder, against our golds)."""
    from lagebild.eval.times import DOCUMENT_SETS

    if documents not in DOCUMENT_SETS:
        _fail(f"--documents must be one of {', '.join(DOCUMENT_SETS)}")
    _run("lagebild.eval.times:evaluate", path, documents=documents)


@eval_app.command("disagreements")
def disagreements(
    path: Path = typer.Argument(DEFAULT_WIKINEWS, help="The wikinews_quotes_de folder (the gold's Wikinews texts)."),
    split: str = typer.Option("dev", "--split", help="dev, train or all (all reports each split too)."),
    unrelated: Path | None = typer.Option(None, "--unrelated", help="Unrelated real news (JSONL, .gz) for false alarms; default: realnews_de beside PATH."),
    unrelated_articles: int = typer.Option(500, "--unrelated-articles", help="How many of them, analysed as one batch (0: none)."),
    unrelated_skip: int = typer.Option(0, "--unrelated-skip", min=0, help="Start after that many unrelated articles (a slice no rule was read from)."),
) -> None:
    """Numbers compared (same quantity, conflicting) against the shipped gold pairs; false alarms on unrelated news."""
    if split not in ("dev", "train", "all"):
        _fail("--split must be dev, train or all")
    if unrelated is not None and not unrelated.exists():
        _fail(f"no such corpus: {unrelated}")
    _run("lagebild.eval.disagreements:evaluate", path, split=split, unrelated=unrelated, unrelated_articles=unrelated_articles, unrelated_skip=unrelated_skip)


@eval_app.command("events-gold")
def events_gold(
    path: Path = CORPUS,
    gold: Path | None = typer.Option(None, "--gold", help="The gold pairs (TSV); default: the shipped lagebild/eval/events_gold.tsv."),
    db: Path | None = typer.Option(None, "--db", help="Keep the store here: a rerun re-links only (the stage results are kept)."),
    embeddings: bool | None = EMBEDDINGS,
    jobs: int | None = typer.Option(None, "--jobs", min=1, help="Worker processes for the per-article stages (default: one per core)."),
) -> None:
    """Same-event and same-story decisions on real news (realnews_de / realnews_en, .jsonl[.gz]) against hand-labelled pairs."""
    from lagebild.eval.events_gold import GOLD, GoldError
    from lagebild.store import StoreError

    try:
        _run("lagebild.eval.events_gold:evaluate", path, gold=gold or GOLD, db=db, embeddings=embeddings, jobs=jobs)
    except (GoldError, StoreError) as error:
        _fail(str(error))


@eval_app.command("merges")
def merges(
    path: Path = CORPUS,
    gold: Path | None = typer.Option(None, "--gold", help="The gold pairs (TSV); default: the shipped lagebild/eval/merges_gold.tsv."),
    db: Path | None = typer.Option(None, "--db", help="Read the entities of a store 'lagebild analyze' made of the gold's corpus slice instead of analysing it."),
) -> None:
    """Name variants joined into one entity on real news (realnews_de / realnews_en, .jsonl[.gz]) against hand-labelled same/different pairs."""
    from lagebild.eval.merges import GOLD, GoldError

    try:
        _run("lagebild.eval.merges:evaluate", path, gold=gold or GOLD, db=db)
    except GoldError as error:
        _fail(str(error))
