"""How often real news names a holiday, and the days the times stage gives them: the holiday
expressions ``extract.times`` finds in a corpus of JSON lines (``title``, ``text``, ``date``,
.gz too), counted by expression and by (expression, value).

    .venv/bin/python bench/holidays_in_news.py ../shared/data/realnews_de/covid_de_2020-03_to_05.jsonl.gz --language de
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from lagebild.extract.times import find_times
from lagebild.lang import settings
from lagebild.model import Sentence
from lagebild.nlp.sentences import split_text


def holiday_expressions(path: Path, language: str) -> tuple[int, Counter]:
    names = tuple(settings(language, "time")["holidays"])
    found: Counter = Counter()
    articles = 0
    with (gzip.open if path.name.endswith(".gz") else open)(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            articles += 1
            text = record["text"]
            if not any(name in text for name in names):
                continue
            sentences = [Sentence(span.start, span.end, text[span.start : span.end], 0) for span in split_text(text, language)]
            for expression in find_times(text, sentences, str(record.get("date") or "")[:10] or None, language):
                if expression.text.startswith(names):
                    found[(expression.text, expression.value)] += 1
    return articles, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--language", default="de", choices=("de", "en"))
    options = parser.parse_args()
    articles, found = holiday_expressions(options.corpus, options.language)
    by_text: Counter = Counter()
    for (text, _), count in found.items():
        by_text[text] += count
    print(f"{articles} articles, {sum(found.values())} holiday expressions")
    print("most named:", ", ".join(f"{text} {count}" for text, count in by_text.most_common(12)))
    print("values:", ", ".join(f"{text} = {value} {count}" for (text, value), count in found.most_common(15)))


if __name__ == "__main__":
    main()
