"""Numbers compared across and within articles, against hand-labelled pairs of number mentions.

The gold (``disagreements_gold.tsv`` beside this file) holds 434 pairs of number mentions, each
labelled by reading the text as a strict annotator: ``same`` quantity or ``different``, and for
a same-quantity pair whether the values ``conflict`` beyond what their qualifiers allow ("rund
2000 Stellen" and "2.400 Stellen": yes; "bis zu 2500" and "2.400": no). Same quantity means the
same counted thing of the same subject or owner, the same measure and time reference, so that
if both sources were right the values would agree; a running toll reported again later counts
as the same quantity (the report compares a story's figures over its days).

How the pairs were made: German Wikinews articles (de.wikinews.org, CC BY 2.5; the texts of
``wikinews_quotes_de``, named by their Wikinews article id) and the repository's example corpus
(``examples/corpus``, named by folder, file and article number in the file). Candidates were
every pair of number mentions sharing the counted word that follows them, or both being
percentages, scores, match minutes or ranks: up to two a Wikinews article and six an example
article, pairs across the articles of the example events and of ten pairs of Wikinews articles
on one event or one topic (a cyclone reported on two days, two athletics finals, two Tour de
France stages, ...), and pairs with two figures where an article contrasts sources ("andere
Quellen berichten von", "nach Polizeiangaben", "nach anderen Angaben"). Each pair was then read
and labelled. Mostly hard negatives, as issue 29 names them: enumerations ("bzw.", lists of
parties' results), prices of different products, scores, ranks, minutes, dates, increase versus
total, different subjects of one noun. Stored: the mention's character span in the article's
text (Wikinews: ``originalText``; examples: the ingested article body) and the mention itself,
which checks that the text is the one labelled; no other text.

Splits by article: ``train`` and ``dev`` never share an article (pairs linking articles put
them in one split; the splits were balanced by the number of conflicting pairs).

Scores: precision / recall / F1 of the pairs lagebild puts in one group (``same``) and of the
pairs it calls conflicting (in one group and their intervals disjoint), against the gold. Also
``false_alarms``: the "conflicting" groups of a report on unrelated real articles (the first
``unrelated_articles`` of ``realnews_de``, or of another corpus, after ``unrelated_skip`` of its
articles; analysed as one batch), per 25 articles.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from lagebild.eval import prf
from lagebild.eval.summaries import _analysed, _examples
from lagebild.ingest import read_input
from lagebild.ingest.article import build_article
from lagebild.link.claims import comparable, compare_claims, conflicting_pair
from lagebild.model import Article, Claim, RawDocument
from lagebild.report.claims import claim_records
from lagebild.stages import STAGES, Findings, compute

GOLD = "disagreements_gold.tsv"
SPLITS = ("train", "dev", "all")
UNRELATED = "realnews_de/covid_de_2020-03_to_05.jsonl.gz"  # beside wikinews_quotes_de in ../shared/data
PER_ARTICLES = 25
ERRORS_SHOWN = 40
_WIKINEWS_NAME = re.compile(r"(?P<id>\d+) - (?P<title>.*) \((?P<date>\d{4}-\d\d-\d\d)\)$")


@dataclass(frozen=True)
class Mention:
    doc: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class GoldPair:
    split: str
    a: Mention
    b: Mention
    same: bool
    conflict: bool


def evaluate(path: Path, split: str = "dev", unrelated: Path | None = None, unrelated_articles: int = 500, unrelated_skip: int = 0) -> dict:
    """``path``: the ``wikinews_quotes_de`` folder (or one of its files); ``unrelated_skip``: the
    unrelated articles start after that many (a slice no rule was written from)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    pairs = [pair for pair in gold_pairs() if split in ("all", pair.split)]
    texts = _texts(path)
    readable = [pair for pair in pairs if pair.a.doc in texts and pair.b.doc in texts]
    for mention in (m for pair in readable for m in (pair.a, pair.b)):
        if texts[mention.doc][0][mention.start : mention.end] != mention.text:
            raise ValueError(f"{mention.doc} is not the labelled text: {mention.text!r} is not at {mention.start}")
    predicted = _predictions(readable, texts)
    result = {
        "task": "disagreements",
        "corpus": str(path),
        "split": split,
        "pairs": len(readable),
        "pairs_without_text": len(pairs) - len(readable),
        "metrics": {},
        "splits": {},
        "errors": [],
    }
    for name in ("train", "dev") if split == "all" else (split,):
        chosen = [pair for pair in readable if pair.split == name]
        result["splits"][name] = _scores(chosen, predicted)
    result["metrics"] = _scores(readable, predicted)
    result["errors"] = _errors(readable, predicted)[:ERRORS_SHOWN]
    source = unrelated or _beside(path, UNRELATED)
    if source is not None and source.exists() and unrelated_articles > 0:
        result["false_alarms"] = false_alarms(source, unrelated_articles, unrelated_skip)
        result["metrics"]["conflicting_per_25_unrelated"] = result["false_alarms"]["conflicting_per_25"]
    return result


def gold_pairs() -> list[GoldPair]:
    text = resources.files("lagebild.eval").joinpath(GOLD).read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        GoldPair(row["split"], Mention(row["a_doc"], int(row["a_start"]), int(row["a_end"]), row["a_text"]),
                 Mention(row["b_doc"], int(row["b_start"]), int(row["b_end"]), row["b_text"]), row["label"] == "same", row["conflict"] == "yes")
        for row in rows
    ]


def _beside(path: Path, relative: str) -> Path | None:
    folder = path if path.is_dir() else path.parent
    candidate = folder.parent / relative
    return candidate if candidate.exists() else None


def _texts(path: Path) -> dict[str, tuple[str, str | None, Article | None, str | None]]:
    """Each labelled document's text and date, the article where ingest made it, and its title:
    Wikinews from ``path`` (the title from its name), examples from the checkout."""
    texts: dict[str, tuple[str, str | None, Article | None, str | None]] = {}
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path] if path.exists() else []
    for file in files:
        for line in file.open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                name = _WIKINEWS_NAME.match(row["documentName"])
                if name:
                    texts[f"wikinews:{name['id']}"] = (row["originalText"], name["date"], None, name["title"])
    examples = _examples()
    for file in sorted(examples.glob("*/*")) if examples else []:
        for number, article in enumerate(read_input(str(file))):
            if isinstance(article, Article):
                texts[f"examples:{file.parent.name}/{file.name}#{number}"] = (article.text, article.date, article, article.title)
    return texts


def _predictions(pairs: list[GoldPair], texts: dict) -> dict[GoldPair, tuple[bool, bool]]:
    """Each pair: (lagebild puts both numbers in one group, and calls them conflicting). The
    documents a pair links are analysed together, as one story, as the pipeline would."""
    predicted = {}
    for documents in _linked_documents(pairs):
        claims_at = _claims(documents, texts)
        group_of = _groups(claims_at, texts)
        relays, dates, titles = _relays(claims_at), _dates(claims_at), _titles(claims_at, texts)
        for pair in (p for p in pairs if p.a.doc in documents):
            a, b = _claim_at(claims_at, pair.a), _claim_at(claims_at, pair.b)
            grouped = a is not None and b is not None and a.id != b.id and group_of.get(a.id) is not None and group_of.get(a.id) == group_of.get(b.id)
            same = grouped and comparable(a, b, relays, dates, titles)
            predicted[pair] = (same, same and conflicting_pair(a, b))
    return predicted


def _linked_documents(pairs: list[GoldPair]) -> list[set[str]]:
    """The documents pairs link, in connected sets (the event a cross-article pair is about)."""
    parent: dict[str, str] = {}

    def root(doc: str) -> str:
        while parent.setdefault(doc, doc) != doc:
            doc = parent[doc]
        return doc

    for pair in pairs:
        parent[root(pair.a.doc)] = root(pair.b.doc)
    linked: dict[str, set[str]] = defaultdict(set)
    for doc in parent:
        linked[root(doc)].add(doc)
    return list(linked.values())


def _claims(documents: set[str], texts: dict) -> dict[str, tuple[list[Claim], int, dict, str | None]]:
    """Per document: its claims, the offset of the article body in the labelled text, whom the
    article cites for each claim (its quotation's speaker or relay), and its date."""
    found = {}
    for doc in sorted(documents):
        text, date, article, _ = texts[doc]
        offset = 0
        if article is None:  # a Wikinews text: labelled in the whole text, of which the body is a part
            article = build_article(RawDocument(path=doc, text=text, source_format="jsonl", date=date, language="de"))
            offset = article.body_offset
        findings = compute([Findings(article)], [set(STAGES)])[0]
        records = claim_records(findings.claims, [asdict(quote) for quote in findings.quotes])
        found[doc] = (findings.claims, offset, {record["id"]: record["via"] for record in records}, article.date)
    return found


def _groups(claims_at: dict[str, tuple[list[Claim], int, dict, str | None]], texts: dict) -> dict[str, int]:
    claims = [claim for found, _, _, _ in claims_at.values() for claim in found]
    story = {claim.article_id: "story" for claim in claims}
    groups = compare_claims(claims, story, _relays(claims_at), _dates(claims_at), _titles(claims_at, texts))
    return {claim_id: number for number, group in enumerate(groups) for claim_id in group["claim_ids"]}


def _relays(claims_at: dict) -> dict[str, str | None]:
    return {claim_id: via for _, _, vias, _ in claims_at.values() for claim_id, via in vias.items()}


def _dates(claims_at: dict) -> dict[str, str | None]:
    return {claims[0].article_id: date for claims, _, _, date in claims_at.values() if claims}


def _titles(claims_at: dict, texts: dict) -> dict[str, str | None]:
    return {claims[0].article_id: texts[doc][3] for doc, (claims, _, _, _) in claims_at.items() if claims}


def _claim_at(claims_at: dict, mention: Mention) -> Claim | None:
    """The claim whose span covers the mention and starts nearest before it: "2.400 von rund 9.500
    Stellen" is the 2.400's claim, and the 9.500 has its own."""
    claims, offset, _, _ = claims_at[mention.doc]
    covering = [c for c in claims if c.start + offset < mention.end and mention.start < c.end + offset]
    return max(covering, key=lambda c: c.start, default=None)


def _scores(pairs: list[GoldPair], predicted: dict) -> dict:
    same = _counts(pairs, lambda p: p.same, lambda p: predicted[p][0])
    conflicting = _counts(pairs, lambda p: p.conflict, lambda p: predicted[p][1])
    return {
        "pairs": len(pairs),
        "same": {**prf(*same), "true_positives": same[0], "predicted": same[1], "gold": same[2]},
        "conflicting": {**prf(*conflicting), "true_positives": conflicting[0], "predicted": conflicting[1], "gold": conflicting[2]},
    }


def _counts(pairs: list[GoldPair], gold, guess) -> tuple[int, int, int]:
    return sum(1 for p in pairs if gold(p) and guess(p)), sum(1 for p in pairs if guess(p)), sum(1 for p in pairs if gold(p))


def _errors(pairs: list[GoldPair], predicted: dict) -> list[dict]:
    errors = []
    for pair in pairs:
        same, conflict = predicted[pair]
        if (same, conflict) != (pair.same, pair.conflict):
            errors.append({"split": pair.split, "a": [pair.a.doc, pair.a.start, pair.a.text], "b": [pair.b.doc, pair.b.start, pair.b.text],
                           "gold": [pair.same, pair.conflict], "got": [same, conflict]})
    return errors


def false_alarms(path: Path, articles: int, skip: int = 0) -> dict:
    """"Conflicting" groups in one report on ``articles`` articles, after the first ``skip``, of a
    corpus of mostly unrelated real news (JSONL, gzipped or not, with title, text, date, outlet, url)."""
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, skip, None):
            if len(rows) == articles:
                break
            row = json.loads(line)
            rows.append({key: row.get(key) for key in ("title", "text", "date", "outlet", "url") if row.get(key)})
    report = _analysed(rows)
    conflicting = [group for group in report["disagreements"] if group["kind"] == "conflicting"]
    return {
        "corpus": str(path),
        "skipped": skip,
        "articles": len(rows),
        "groups": len(report["disagreements"]),
        "conflicting": len(conflicting),
        "conflicting_per_25": round(len(conflicting) * PER_ARTICLES / len(rows), 3) if rows else 0.0,
        "sample": [group["about"] for group in conflicting[:20]],
    }
