"""Word tokens with character offsets: words keep inner hyphens and apostrophes ("Kim Jong-un",
"Ukraine-Krieg", "Putin's"), numbers keep their separators and the word joined to them ("14.000",
"5,3", "56-jährige"), an initial keeps its period ("George W. Bush"), every other non-space
character is a token of its own."""

from __future__ import annotations

import re

from lagebild.model import Span

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*(?:[-‐][^\W\d_]\w*)*|[A-ZÄÖÜ]\.(?=\s+[A-ZÄÖÜ])|\w+(?:[-‐'’.]\w+)*|[^\w\s]")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    return [Span(match.start(), match.end()) for match in _TOKEN.finditer(text, start, len(text) if end is None else end)]
