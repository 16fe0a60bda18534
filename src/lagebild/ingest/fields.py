"""Find an article's fields inside its text: date header, title, byline, dateline, credits.

The fields sit at the start (header, title, byline, dateline) and the end (agency credits, desk
codes) of a text, so the body is one contiguous slice of the source and every field keeps its
source offsets: nothing is lost, and body offsets map back by adding ``body_offset``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lagebild import lang
from lagebild.model import FieldSpan, Span

_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)(?=\s|\Z)[ \t]*")
_DASH = r"[-–—]"
_DATELINE = re.compile(
    rf"""\A(?P<place>[A-ZÄÖÜ][\w.'’/-]*(?:[ ][A-ZÄÖÜa-zäöü][\w.'’/-]*){{0,3}})
    (?:,[ ](?P<when>[^()\n]{{3,30}}?))?
    [ ]?\((?P<credit>[^()\n]{{2,60}})\)[ ]?{_DASH}[ ]*""",
    re.X,
)
_CAPS_DATELINE = re.compile(rf"\A(?P<place>[A-ZÄÖÜ]{{3,}}(?:[ /-][A-ZÄÖÜ]{{2,}})*)[ ]{_DASH}[ ]+")
_TRAILING_PAREN = re.compile(r"\((?P<inner>[^()\n]{1,80})\)\s*\Z")
_TRAILING_CODE = re.compile(r"(?:(?<=[.!?\"“”»«'’])|(?<=\n)|(?<=[.!?\"“”»«'’] ))(?P<code>/?[A-Za-z][\w-]{0,11}(?:/[\w-]{1,12}){1,5})\s*\Z")
_TRAILING_COPYRIGHT = re.compile(r"\n[ \t]*(?P<line>©[^\n]*)\s*\Z")
_SHORT_CODE = re.compile(r"\A[a-zäöü]{1,5}\Z")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"“”»«']?\s+[A-ZÄÖÜ]")
_TRAILER_WINDOW = 300  # credits and codes are short: look only at the end of the text
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 25
_MAX_HEADING_WORDS = 12
_MAX_HEADING_CHARS = 120
_CLOSING_QUOTES = "\"“”»«'’‘›‹"


@dataclass
class ParsedFields:
    body_start: int
    body_end: int
    date: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    credits: list[str] = field(default_factory=list)
    desk_code: str | None = None
    fields: list[FieldSpan] = field(default_factory=list)

    def record(self, name: str, start: int, end: int, source: str) -> None:
        self.fields.append(FieldSpan(name, start, end, source[start:end].strip()))

    def add_credits(self, names: list[str]) -> None:
        known = {credit.lower() for credit in self.credits}
        for name in names:
            if name.lower() not in known:
                self.credits.append(name)
                known.add(name.lower())


def parse_fields(source: str, known_title: str | None = None) -> ParsedFields:
    """Locate the fields of a plain-text article.

    ``known_title`` comes from metadata (JSONL, feeds, HTML): it replaces title detection, and a
    first line repeating it is taken as the title field.
    """
    parsed = ParsedFields(body_start=0, body_end=len(source.rstrip()))
    _take_header(source, parsed)
    if known_title:
        _take_known_title(source, parsed, known_title)
    else:
        _take_title(source, parsed)
    _take_byline(source, parsed)
    _take_dateline(source, parsed)
    _take_trailers(source, parsed)
    parsed.body_start = _skip_space(source, parsed.body_start)
    parsed.fields.sort(key=lambda f: f.start)
    return parsed


def find_headings(body: str) -> tuple[list[Span], list[Span]]:
    """Paragraph spans of the body and, among them, the sub-headings."""
    paragraphs = _joined_hard_breaks(body, [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", body)])
    paragraphs = [_trim(body, span) for span in paragraphs]
    headings = [
        span
        for index, span in enumerate(paragraphs)
        if 0 < index < len(paragraphs) - 1 and _looks_like_heading(body[span.start : span.end])
    ]
    return paragraphs, headings


def _joined_hard_breaks(body: str, lines: list[Span]) -> list[Span]:
    """Lines a sentence runs across are one paragraph: a text wrapped by hand or by its source
    ("Seit\n Mitte März bestehen ..." cut a summary's sentence to "Mitte März bestehen ..."). A
    blank line always ends a paragraph; a single line break is inside a sentence when the line
    before has no closing punctuation and the next line goes on in lower case, or the line before
    ends in a word no sentence or heading ends in (an article, a preposition, a conjunction: "die",
    "Seit", "für", "the"). Each line is read against the one before it alone, so the cost stays
    linear however many lines a paragraph joins."""
    joined: list[Span] = []
    for before, line in zip([None, *lines], lines):
        if before is not None and body.count("\n", before.end, line.start) == 1 and _runs_on(body[before.start : before.end], body[line.start : line.end]):
            joined[-1] = Span(joined[-1].start, line.end)
        else:
            joined.append(line)
    return joined


def _runs_on(before: str, after: str) -> bool:
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or before[-1] in ".!?:;…" + _CLOSING_QUOTES or after[0] in "-–—•*#+":
        return False
    return after[0].islower() or before.split()[-1].lower() in _function_words()


_CLAUSE_ENDS = frozenset("durch um mit über unter gegen wegen her on in to about by after at".split())  # "setzt sich durch", "teilte mit", "moved on"


@cache
def _function_words() -> frozenset[str]:
    """Words that cannot end a line of their own: articles, prepositions, conjunctions; not those
    that also end a German clause as a verb's particle ("kündigt Lockerungen an") or stand for a
    noun ("sein", "ihr")."""
    words = frozenset().union(*(lang.all_languages_list(name) for name in ("prepositions", "determiners", "definite_articles", "conjunctions")))
    return frozenset(word.lower() for word in words) - lang.all_languages_list("verb_particles") - lang.all_languages_list("possessives") - _CLAUSE_ENDS


def _take_header(source: str, parsed: ParsedFields) -> None:
    match = _HEADER.match(source)
    if match:
        parsed.date = match.group(1)
        parsed.record("date_header", match.start(1) - len("date "), match.end(1), source)
        parsed.body_start = match.end()


def _take_title(source: str, parsed: ParsedFields) -> None:
    start = _skip_space(source, parsed.body_start)
    end = _line_end(source, start)
    line = source[start:end].strip()
    rest = source[end:parsed.body_end].strip()
    if not line or not rest or not _looks_like_title(line):
        return
    parsed.title = line
    parsed.record("title", start, end, source)
    parsed.body_start = end


def _take_known_title(source: str, parsed: ParsedFields, title: str) -> None:
    parsed.title = title.strip()
    start = _skip_space(source, parsed.body_start)
    end = _line_end(source, start)
    if source[start:end].strip().casefold() == parsed.title.casefold():
        parsed.record("title", start, end, source)
        parsed.body_start = end


def _looks_like_title(line: str) -> bool:
    if len(line) > _MAX_TITLE_CHARS or len(line.split()) > _MAX_TITLE_WORDS:
        return False
    if _DATELINE.match(line) or _CAPS_DATELINE.match(line) or _byline_match(line):
        return False
    if line.rstrip(_CLOSING_QUOTES)[-1:] in ".,;:":
        return False
    return not _SENTENCE_INSIDE.search(line)


def _take_byline(source: str, parsed: ParsedFields) -> None:
    start = _skip_space(source, parsed.body_start)
    end = _line_end(source, start)
    match = _byline_match(source[start:end].strip())
    if not match:
        return
    parsed.byline = match
    parsed.add_credits(_agencies_in(match))
    parsed.record("byline", start, end, source)
    parsed.body_start = end


def _byline_match(line: str) -> str | None:
    for cue in sorted(lang.all_languages_setting("article", "byline_cues"), key=len, reverse=True):
        if line.startswith(cue + " ") and len(line) <= 80 and not _SENTENCE_INSIDE.search(line):
            return line[len(cue) :].strip()
    return None


def _take_dateline(source: str, parsed: ParsedFields) -> None:
    start = _skip_space(source, parsed.body_start)
    window = source[start : start + 160]
    match = _DATELINE.match(window)
    if match and _agencies_in(match.group("credit")):
        parsed.add_credits(_agencies_in(match.group("credit")))
    else:
        match = _CAPS_DATELINE.match(window)
        if not match:
            return
    when = match.groupdict().get("when")
    parsed.dateline = match.group("place").strip() + (f", {when.strip()}" if when else "")
    parsed.record("dateline", start, start + match.end(), source)
    parsed.body_start = start + match.end()


def _take_trailers(source: str, parsed: ParsedFields) -> None:
    """Peel agency credits, desk codes and copyright lines off the end, innermost last."""
    peeled: list[list[str]] = []
    while True:
        tail_start = max(parsed.body_start, parsed.body_end - _TRAILER_WINDOW)
        tail = source[tail_start : parsed.body_end]
        found = next(filter(None, (take(tail) for take in (_trailing_paren, _trailing_code, _trailing_copyright))), None)
        if found is None:
            break
        name, start, credits, code = found
        absolute = tail_start + start
        parsed.record(name, absolute, parsed.body_end, source)
        peeled.append(credits)
        parsed.desk_code = code or parsed.desk_code
        parsed.body_end = len(source[:absolute].rstrip())
    for credits in reversed(peeled):  # in reading order
        parsed.add_credits(credits)


def _trailing_paren(tail: str):
    match = _TRAILING_PAREN.search(tail)
    if not match:
        return None
    tokens = _credit_tokens(match.group("inner"))
    agencies = [token for token in tokens if token.lower() in lang.shared_list("agencies")]
    others = [token for token in tokens if token not in agencies]
    if not agencies or any(not _SHORT_CODE.match(token) for token in others):
        return None
    return "credit", match.start(), agencies, None


def _trailing_code(tail: str):
    match = _TRAILING_CODE.search(tail)
    if not match:
        return None
    code = match.group("code")
    return "desk_code", match.start(), _agencies_in(code), code


def _trailing_copyright(tail: str):
    match = _TRAILING_COPYRIGHT.search(tail)
    if not match:
        return None
    return "copyright", match.start("line"), _agencies_in(match.group("line").lstrip("© ")), None


@cache
def _credit_separator() -> re.Pattern:
    joiners = sorted(lang.all_languages_setting("article", "credit_joiners"), key=len, reverse=True)
    words = "|".join(re.escape(joiner) for joiner in joiners)
    return re.compile(rf"\s*(?:[/,;&+:]|\b(?:{words})\b)\s*", re.I)


def _credit_tokens(text: str) -> list[str]:
    parts = _credit_separator().split(text)
    return [part.strip() for part in parts if part and part.strip()]


def _agencies_in(text: str) -> list[str]:
    agencies = lang.shared_list("agencies")
    return [token for token in _credit_tokens(text) if token.lower() in agencies]


def _looks_like_heading(text: str) -> bool:
    if len(text) > _MAX_HEADING_CHARS or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    core = text.rstrip(_CLOSING_QUOTES)
    if not core or core[-1] in ".,;:" or _SENTENCE_INSIDE.search(text):
        return False
    return text[0].isupper() or text[0] in _CLOSING_QUOTES


def _skip_space(source: str, position: int) -> int:
    while position < len(source) and source[position].isspace():
        position += 1
    return position


def _line_end(source: str, start: int) -> int:
    end = source.find("\n", start)
    return len(source) if end < 0 else end


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)
