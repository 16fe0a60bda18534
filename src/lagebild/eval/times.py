"""Temporal expressions against four golds: WikiWarsDE (German narrative, TIMEX2 inline,
``keyinline/*.xml``), TempEval-3 TimeBank (English newswire of 1989-1998, TimeML ``*.tml``) and
our own TIMEX3 golds on English news of 2019 and German news of 2020 (``times_gold_en.tsv`` over
``realnews_en``, ``times_gold_de.tsv`` over ``realnews_de``).

WikiWarsDE is narrative text: relative expressions resolve against the last date the text named,
starting from the document creation time; extent scores strict (same span) and lenient (overlap),
value accuracy is the share of lenient matches whose normalised value equals the gold ``val``. The
English golds score relaxed and strict extent F1 and value F1 against each document's date.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from pathlib import Path

from lagebild.eval import prf
from lagebild.extract.times import find_times
from lagebild.model import Sentence
from lagebild.nlp.language import identify
from lagebild.nlp.sentences import split_text

_TAG = re.compile(r"<[^>]+>")


def _inline_gold(body: str, element: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text of an inline-annotated body and the (start, end, value) of each ``element``."""
    text, gold, position = "", [], 0
    for match in re.finditer(rf"<{element}([^>]*)>(.*?)</{element}>", body, re.S):
        text += _TAG.sub("", body[position : match.start()])
        inner = _TAG.sub("", match.group(2))
        value = re.search(r'val(?:ue)?="([^"]*)"', match.group(1))
        gold.append((len(text), len(text) + len(inner), value.group(1) if value else ""))
        text += inner
        position = match.end()
    return text + _TAG.sub("", body[position:]), gold


def _text_part(raw: str) -> str:
    return raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0]


def read_inline(path: Path) -> tuple[str, list[tuple[int, int, str]], str | None]:
    """WikiWarsDE: plain text of the TEXT part, gold (start, end, val), the creation date."""
    raw = path.read_text(encoding="utf-8")
    created = re.search(r'<DATETIME>\s*<TIMEX2 val="([^"]+)"', raw)
    text, gold = _inline_gold(_text_part(raw), "TIMEX2")
    return text, gold, created.group(1)[:10] if created else None


def read_timeml(path: Path) -> tuple[str, list[tuple[int, int, str]], str | None]:
    """TempEval-3 TimeML: plain text of TEXT, gold TIMEX3 (start, end, value), the DCT."""
    raw = path.read_text(encoding="utf-8")
    created = re.search(r'<DCT><TIMEX3[^>]*value="([^"]+)"', raw)
    text, gold = _inline_gold(_text_part(raw), "TIMEX3")
    return text, gold, created.group(1)[:10] if created else None


def _sentence(text: str, span) -> Sentence:
    """Lines without end punctuation are headings: they summarise, they do not move the story."""
    line_end = text.find("\n", span.end)
    line = text[text.rfind("\n", 0, span.start) + 1 : len(text) if line_end < 0 else line_end].strip()
    return Sentence(span.start, span.end, text[span.start : span.end], 0, is_heading=not line.endswith((".", "!", "?", ":", "“", "\"")))


DOCUMENT_SETS = ("all", "half-a", "half-b")


def document_half(name: str) -> str:
    """A fixed half of a corpus for leave-documents-out checks: rules are written reading the
    errors of one half and kept only when the other half does not fall. The half follows from a
    hash of the file name alone, so it never changes with the rules or the corpus' order."""
    return "half-a" if int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "half-b"


def _chosen(files: list[Path], documents: str) -> list[Path]:
    if documents not in DOCUMENT_SETS:
        raise ValueError(f"documents must be one of {', '.join(DOCUMENT_SETS)}")
    return files if documents == "all" else [file for file in files if document_half(file.name) == documents]


def evaluate_timebank(path: Path, documents: str = "all") -> dict:
    """English news (TempEval-3 TimeBank, *.tml): relaxed and strict extent F1 and value F1
    (a value counts when its extent overlaps the gold's and the value matches)."""
    files = _chosen(sorted(path.glob("*.tml")) if path.is_dir() else [path], documents)
    counts = _counts()
    for file in files:
        text, gold, created = read_timeml(file)
        _count(counts, gold, _news_times(text, created))
    return {"task": "timex", "corpus": str(path), "language": "en", "document_set": documents, "documents": len(files),
            "gold": counts["strict"][2], "metrics": _metrics(counts)}


NEWS_GOLDS = {language: Path(__file__).with_name(f"times_gold_{language}.tsv") for language in ("de", "en")}


def evaluate_news(path: Path, documents: str = "all") -> dict:
    """Real news against our own golds (``times_gold_<language>.tsv``): the TIMEX3 expressions of
    the first characters of English articles of 2019 (``realnews_en``) and German ones of spring
    2020 (``realnews_de``), named by url and read against each article's date, annotated blind to
    lagebild's output; the gold is the one whose articles the corpus holds. Scored as TimeBank is,
    over the part of each text the gold covers, also by annotation round (docs/benchmarks.md,
    "Time expressions", says which rounds rules were read from and which were never read)."""
    golds = {language: _news_gold(file) for language, file in NEWS_GOLDS.items() if file.is_file()}
    texts = _news_texts(path, {url for gold in golds.values() for url in gold})
    language = max(golds, key=lambda name: (len(golds[name].keys() & texts.keys()), name))
    gold = golds[language]
    chosen = {url for url in gold if documents == "all" or document_half(url) == documents}
    if missing := chosen - texts.keys():
        raise ValueError(f"{len(missing)} gold article(s) not in {path}, e.g. {min(missing)}")
    counts, by_round = _counts(), {}
    for url in sorted(chosen):
        (text, created), (annotated, covered, expressions) = texts[url], gold[url]
        predicted = [t for t in _news_times(text, created, _language_of(text, language)) if t.start < covered]
        _count(counts, expressions, predicted)
        _count(by_round.setdefault(annotated, _counts()), expressions, predicted)
    return {"task": "timex", "corpus": str(path), "gold_file": NEWS_GOLDS[language].name, "language": language, "document_set": documents,
            "documents": len(chosen), "gold": counts["strict"][2], "metrics": _metrics(counts),
            "by_round": {name: {"gold": round_counts["strict"][2], "metrics": _metrics(round_counts)} for name, round_counts in sorted(by_round.items())}}


def _news_gold(path: Path) -> dict[str, tuple[str, int, list[tuple[int, int, str]]]]:
    """url -> (annotation round, characters covered, [(start, end, value)]); a row of start -1
    marks an article read and found to hold no expression."""
    found: dict[str, tuple[str, int, list[tuple[int, int, str]]]] = {}
    with path.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader((line for line in lines if not line.startswith("#")), delimiter="\t"):
            _, covered, expressions = found.setdefault(row["url"], (f"round {row['round']}", int(row["covered"]), []))
            if int(row["start"]) >= 0:
                expressions.append((int(row["start"]), int(row["end"]), row["value"]))
    return found


def _news_texts(path: Path, urls: set[str]) -> dict[str, tuple[str, str]]:
    """url -> (text, date) of the wanted articles in a folder (or file) of JSON lines, .gz too."""
    files = sorted(p for p in path.glob("*") if p.name.endswith((".jsonl", ".jsonl.gz"))) if path.is_dir() else [path]
    found = {}
    for file in files:
        try:
            with (gzip.open if file.name.endswith(".gz") else open)(file, "rt", encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    if record.get("url") in urls:
                        found[record["url"]] = (record["text"], str(record["date"])[:10])
        except EOFError as error:  # a cut-off .gz
            raise ValueError(f"cannot read {file}: {error}") from error
    return found


def _language_of(text: str, expected: str) -> str:
    """The article's language as ``analyze`` identifies it (a German outlet prints some English
    reports), the gold's where it cannot tell."""
    found = identify(text)
    return found if found in NEWS_GOLDS else expected


def _news_times(text: str, created: str | None, language: str = "en") -> list:
    sentences = [Sentence(span.start, span.end, text[span.start : span.end], 0) for span in split_text(text, language)]
    return find_times(text, sentences, created, language)


def _counts() -> dict[str, list[int]]:
    return {"strict": [0, 0, 0], "relaxed": [0, 0, 0], "value": [0, 0, 0]}


def _count(counts: dict[str, list[int]], gold: list[tuple[int, int, str]], predicted: list) -> None:
    """Adds one document's (right, predicted, gold) to each measure."""
    matched = {g: t for g in gold for t in predicted if t.start < g[1] and g[0] < t.end}
    counts["strict"][0] += len({(t.start, t.end) for t in predicted} & {(s, e) for s, e, _ in gold})
    counts["relaxed"][0] += len(matched)
    counts["value"][0] += sum(1 for g, t in matched.items() if t.value == g[2])
    for name in counts:
        counts[name][1] += len(predicted)
        counts[name][2] += len(gold)


def _metrics(counts: dict[str, list[int]]) -> dict[str, float]:
    metrics = {f"{name}_f1": prf(*values)["f1"] for name, values in counts.items()}
    metrics |= {f"{name}_precision": prf(*values)["precision"] for name, values in counts.items()}
    return metrics | {f"{name}_recall": prf(*values)["recall"] for name, values in counts.items()}


def evaluate(path: Path, documents: str = "all") -> dict:
    """WikiWarsDE (a folder with keyinline/) or TempEval-3 TimeML (a folder of *.tml); ``documents``
    scores one fixed half of the files only (``half-a``, ``half-b``: see :func:`document_half`)."""
    if path.is_dir() and not (path / "keyinline").is_dir() and any(path.glob("*.tml")) or path.suffix == ".tml":
        return evaluate_timebank(path, documents)
    if path.name.endswith((".jsonl", ".jsonl.gz")) or path.is_dir() and any(path.glob("*.jsonl*")):
        return evaluate_news(path, documents)
    files = _chosen(sorted(path.glob("keyinline/*.xml")) if path.is_dir() else [path], documents)
    strict = [0, 0, 0]
    lenient = [0, 0, 0]
    value_correct = value_total = 0
    for file in files:
        text, gold, created = read_inline(file)
        sentences = [_sentence(text, span) for span in split_text(text, "de")]
        predicted = find_times(text, sentences, created, "de", narrative=True)
        spans = {(t.start, t.end) for t in predicted}
        strict[0] += len(spans & {(s, e) for s, e, _ in gold})
        matched = [(g, t) for g in gold for t in predicted if t.start < g[1] and g[0] < t.end]
        lenient[0] += len({g for g, _ in matched})
        for counts in (strict, lenient):
            counts[1] += len(predicted)
            counts[2] += len(gold)
        seen = set()
        for g, t in matched:
            if g not in seen:
                seen.add(g)
                value_total += 1
                value_correct += t.value == g[2]
    strict_scores, lenient_scores = prf(*strict), prf(*lenient)
    metrics = {
        "strict_precision": strict_scores["precision"], "strict_recall": strict_scores["recall"], "strict_f1": strict_scores["f1"],
        "lenient_precision": lenient_scores["precision"], "lenient_recall": lenient_scores["recall"], "lenient_f1": lenient_scores["f1"],
        "value_accuracy": round(value_correct / value_total, 4) if value_total else 0.0,
    }
    return {"task": "timex", "corpus": str(path), "document_set": documents, "documents": len(files), "gold": strict[2], "metrics": metrics}
