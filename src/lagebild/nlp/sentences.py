"""Sentence splitting that survives abbreviations, ordinals ("am 13. August") and quotations.

Paragraph breaks always end a sentence; sub-headings are sentences of their own. Inside a
paragraph a boundary is end punctuation (with any closing quotes) followed by white space and a
character that can start a sentence, unless the word before the full stop is an abbreviation,
an initial, or an ordinal number that a month or a typical noun follows.
"""

from __future__ import annotations

import re

from lagebild import lang
from lagebild.model import Article, Sentence, Span

_CANDIDATE = re.compile(
    r"(?P<punct>[.!?…]+)(?P<close>[\"“”»«'’)\]]*)(?:(?P<space>\s+)|(?P<glued>(?<=[a-zäöüß]{3}[.!?])(?=[A-ZÄÖÜ][a-zäöüß])))(?=(?P<next>\S+))"
)
_WORD_BEFORE = re.compile(r"(?:(\S+)\s+)?(\S+)\Z")
_DOTTED_ABBREVIATION = re.compile(r"\A(?:\w\.)+\w\Z")
_SENTENCE_START = re.compile(r"\A[\"„“”»«'‚‘(\[–—-]*[\dA-ZÄÖÜÀ-ÞĀ-ſ]")


def split_article(article: Article) -> list[Sentence]:
    headings = set(article.headings)
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(article.paragraphs):
        if paragraph in headings:
            text = article.text[paragraph.start : paragraph.end]
            sentences.append(Sentence(paragraph.start, paragraph.end, text, index, is_heading=True))
            continue
        for span in split_spans(article.text, paragraph, article.language):
            text = article.text[span.start : span.end]
            sentences.append(Sentence(span.start, span.end, text, index))
    return sentences


def split_text(text: str, language: str | None = None) -> list[Span]:
    """Sentence spans of plain text, treating every line break as a paragraph break."""
    spans: list[Span] = []
    for match in re.finditer(r"[^\n]*\S[^\n]*", text):
        spans.extend(split_spans(text, Span(match.start(), match.end()), language))
    return spans


def split_spans(text: str, paragraph: Span, language: str | None) -> list[Span]:
    rules = _Rules.for_language(language)
    spans: list[Span] = []
    start = _skip_space(text, paragraph.start, paragraph.end)
    segment = text[: paragraph.end]
    for match in _CANDIDATE.finditer(segment, start):
        end = match.start("space") if match.group("space") else match.end("close")
        if end >= paragraph.end or not rules.is_boundary(segment, match):
            continue
        spans.append(Span(start, end))
        start = match.end("space") if match.group("space") else end
    if start < paragraph.end and text[start : paragraph.end].strip():
        spans.append(Span(start, _trim_end(text, start, paragraph.end)))
    return spans


class _Rules:
    _cache: dict[str | None, "_Rules"] = {}

    def __init__(self, language: str | None):
        self.abbreviations = lang.words(language, "abbreviations")
        self.after_ordinal = lang.words(language, "months") | lang.words(language, "ordinal_nouns")
        self.before_ordinal = lang.words(language, "ordinal_before")

    @classmethod
    def for_language(cls, language: str | None) -> "_Rules":
        if language not in cls._cache:
            cls._cache[language] = cls(language)
        return cls._cache[language]

    def is_boundary(self, text: str, match: re.Match) -> bool:
        following = match.group("next")
        if not _SENTENCE_START.match(following):
            return False
        if match.group("punct") != "." or match.group("close"):
            return True
        before = _WORD_BEFORE.search(text[max(0, match.start() - 80) : match.start()])
        previous, word = (before.group(1) or "", before.group(2).lstrip("\"„“”»«'‚‘([")) if before else ("", "")
        if word in self.abbreviations or _DOTTED_ABBREVIATION.match(word):
            return False
        if len(word) == 1 and word.isupper():
            return False  # an initial: "Donald J. Trump"
        if word.isdigit() and len(word) <= 3 and previous.lower() in self.before_ordinal:
            return False
        if re.fullmatch(r"\d{1,2}\./\d{1,2}", word):  # "am 27./28. September"
            word = word.rsplit("/", 1)[1]
        if word.isdigit() and len(word) <= 4:
            return following.rstrip(".,;:!?)]»«“”\"'") not in self.after_ordinal
        return True


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
