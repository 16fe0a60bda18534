"""Tools for hand-annotating numeric claims in German Wikinews (../shared/data/wikinews_quotes_de).

    python scripts/claims_annotate.py candidates CORPUS [--from N] [--docs K]
        prints, per article, every sentence with a number-like token, each token numbered
        (``[doc.k]``) with its offsets; it does not use lagebild's extractor, so the annotation is
        not shaped by what the extractor finds.
    python scripts/claims_annotate.py build CORPUS OUT LABELS:SPLIT...
        turns hand labels (``doc.k value qualifier unit``, one per line; ``doc none`` for an
        article read with no claim; a value ``vague:LOW-HIGH`` for "Tausende"; a span extended
        over several tokens as ``doc.k-m``; a span no candidate covers as ``doc@start-end``) into
        the shipped TSV of offsets and labels.

The shipped file holds article numbers (line numbers in the corpus file), a hash of each
article's text (to check that the corpus is the same), offsets and labels: no corpus text.
Guideline in docs/claims-annotation.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys

NUMBER_WORDS = (
    r"(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn"
    r"|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|und)+"
)
CANDIDATE = re.compile(
    r"\d+(?:[.,]\d+)*(?:\s*(?:Millionen|Million|Milliarden|Milliarde|Mio\.|Mrd\.|Tausend))?"
    rf"|\b(?:{NUMBER_WORDS}|zweieinhalb|anderthalb|eineinhalb)\b(?:\s+(?:Millionen|Million|Milliarden|Milliarde))?"
    r"|\b(?:[Dd]utzende?|[Hh]underte|[Tt]ausende|[Zz]ehntausende|[Hh]underttausende|[Mm]illionen|[Mm]illiarden|Dutzend)\b",
    re.IGNORECASE,
)
NOT_NUMBERS = {"ein", "und", "einund"}


def article_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def candidates(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in CANDIDATE.finditer(text) if m.group().lower() not in NOT_NUMBERS]


def _documents(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def show(path: str, first: int, count: int) -> None:
    for number, document in enumerate(_documents(path)[first : first + count], start=first):
        text = document["originalText"]
        spans = candidates(text)
        if not spans:
            continue
        print(f"=== doc {number} {article_hash(text)}")
        for sentence_start, sentence_end in _sentences(text):
            inside = [(k, s, e) for k, (s, e) in enumerate(spans) if sentence_start <= s < sentence_end]
            if not inside:
                continue
            marked, position = [], sentence_start
            for k, s, e in inside:
                marked.append(text[position:s] + f"[{number}.{k}:" + text[s:e] + "]")
                position = e
            marked.append(text[position:sentence_end])
            print("  " + "".join(marked).replace("\n", " "))


def show_compact(path: str, first: int, count: int, minimum: int) -> None:
    """One line per candidate: some words before and after it (bare years hidden, which are
    dates unless a noun follows)."""
    for number, document in enumerate(_documents(path)[first : first + count], start=first):
        text = document["originalText"]
        shown = [(k, s, e) for k, (s, e) in enumerate(candidates(text)) if not _bare_year(text, s, e) and not _clock_score_or_date(text, s, e)]
        if len(shown) < minimum:
            continue
        print(f"=== doc {number}")
        for k, s, e in shown:
            before = text[max(0, s - 70) : s].replace("\n", " ")
            after = text[e : e + 45].replace("\n", " ")
            print(f"{number}.{k}\t…{before}«{text[s:e]}»{after}…")


def _bare_year(text: str, start: int, end: int) -> bool:
    if not re.fullmatch(r"(1[5-9]|20)\d\d", text[start:end]):
        return False
    following = text[end : end + 30].split()
    return not (following and following[0][:1].isupper() and following[0] not in MONTHS)


def _clock_score_or_date(text: str, start: int, end: int) -> bool:
    """11:00, 3:1, 5. August, 06.12.2004: never claims, hidden to keep the listing short."""
    if ":" in (text[start - 1 : start], text[end : end + 1]) or re.fullmatch(r"\d\d?\.\d\d?\.\d{2,4}", text[start:end]):
        return True
    following = text[end : end + 15].split()
    return text[end : end + 1] == "." and bool(following) and following[0].strip(".") in MONTHS


MONTHS = {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}


def _sentences(text: str) -> list[tuple[int, int]]:
    found, start = [], 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"»])|\n+", text):
        found.append((start, match.start()))
        start = match.end()
    found.append((start, len(text)))
    return [(s, e) for s, e in found if text[s:e].strip()]


def build(path: str, label_files: list[str], out: str) -> None:
    """``label_files``: FILE:SPLIT (tune, heldout)."""
    documents = _documents(path)
    rows = ["doc\tsha1\tstart\tend\tvalue\tlow\thigh\tqualifier\tunit\tsplit"]
    claims = 0
    for labels, split in (item.rsplit(":", 1) for item in label_files):
        claims += _rows(documents, labels, split, rows)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    print(f"{claims} claims in {len({r.split(chr(9))[0] for r in rows[1:]})} articles -> {out}", file=sys.stderr)


def _rows(documents: list[dict], labels: str, split: str, rows: list[str]) -> int:
    claims = 0
    with open(labels, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            doc, _, token = fields[0].partition(".")
            doc, _, offsets = doc.partition("@")  # "70@1234-1247": a span no candidate covers
            text = documents[int(doc)]["originalText"]
            if fields[1] == "none":
                rows.append(f"{doc}\t{article_hash(text)}\t\t\t\t\t\t\t\t{split}")
                continue
            if offsets:
                start, end = (int(x) for x in offsets.split("-"))
            else:
                spans = candidates(text)
                first, _, last = token.partition("-")
                start, end = spans[int(first)][0], spans[int(last or first)][1]
            value, qualifier, unit = fields[1], fields[2], " ".join(fields[3:]) or "-"
            low = high = ""
            if value.startswith(("vague:", "range:")):  # no single value: an interval
                low, high = value.split(":", 1)[1].split("-")
                value = ""
            rows.append(f"{doc}\t{article_hash(text)}\t{start}\t{end}\t{value}\t{low}\t{high}\t{qualifier}\t{unit}\t{split}")
            claims += 1
    return claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("candidates")
    listing.add_argument("corpus")
    listing.add_argument("--from", dest="first", type=int, default=0)
    listing.add_argument("--docs", type=int, default=20)
    listing.add_argument("--compact", type=int, metavar="MIN", help="one line per candidate; articles with at least MIN")
    building = sub.add_parser("build")
    building.add_argument("corpus")
    building.add_argument("out")
    building.add_argument("labels", nargs="+", help="FILE:SPLIT, e.g. data/eval/claims_de_labels.txt:tune")
    args = parser.parse_args()
    if args.command == "candidates" and args.compact is not None:
        show_compact(args.corpus, args.first, args.docs, args.compact)
    elif args.command == "candidates":
        show(args.corpus, args.first, args.docs)
    else:
        build(args.corpus, args.labels, args.out)


if __name__ == "__main__":
    main()
