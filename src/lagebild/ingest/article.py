"""Turn a reader's RawDocument into an Article: fields, body, language, stable id, warnings."""

from __future__ import annotations

import hashlib

from lagebild.ingest.dates import normalise_date
from lagebild.ingest.decode import UnreadableInput, normalise, repair_mojibake
from lagebild.ingest.fields import find_headings, parse_fields
from lagebild.ingest.linkcards import without_link_cards
from lagebild.model import Article, RawDocument
from lagebild.nlp.language import identify

MIN_ARTICLE_CHARS = 20
# A news article is rarely over 50,000 characters; one over this is cut (at a paragraph or sentence
# end) so that anyone's text is analysed in bounded time, and the article says so.
MAX_ARTICLE_CHARS = 500_000


def article_id(source_text: str) -> str:
    """A content hash: the same text gives the same id, wherever and however often it is read."""
    canonical = " ".join(source_text.split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


MOJIBAKE_NOTE = "text repaired: it had been decoded as UTF-8 twice (\"FÃ¤hre\" for \"Fähre\")"


def link_cards_note(count: int) -> str:
    return f"{count} link card(s) of related headlines glued in after names removed (\"Miller Anna Louise MillerSenate passes ... MORE\")"


def build_article(raw: RawDocument) -> Article:
    _drop_nul(raw)
    source, cut = _cut(normalise(raw.text))
    source, repaired = repair_mojibake(source)
    source, cards = without_link_cards(source)  # before the id: the article is the same with or without them
    title, title_repaired = repair_mojibake(raw.title) if raw.title else (raw.title, False)
    raw.title = title
    if not source.strip():
        raise UnreadableInput("no text")
    parsed = parse_fields(source, known_title=raw.title)
    body = source[parsed.body_start : parsed.body_end]
    if len(body.strip()) < MIN_ARTICLE_CHARS:
        raise UnreadableInput(f"too little text for an article ({len(body.strip())} characters besides title and credits)")
    paragraphs, headings = find_headings(body)
    article = Article(
        id=article_id(source),
        path=raw.path,
        source_format=raw.source_format,
        text=body,
        source_text=source,
        body_offset=parsed.body_start,
        title=parsed.title,
        dateline=parsed.dateline,
        credits=_merge(raw.credits, parsed.credits),
        byline=parsed.byline,
        desk_code=parsed.desk_code,
        url=raw.url,
        outlet=raw.outlet,
        headings=headings,
        paragraphs=paragraphs,
        fields=parsed.fields,
        warnings=list(raw.warnings) + ([MOJIBAKE_NOTE] if repaired or title_repaired else []) + ([link_cards_note(cards)] if cards else []) + ([cut] if cut else []),
    )
    _set_date(article, raw, parsed.date)
    _set_language(article, raw)
    return article


def _drop_nul(raw: RawDocument) -> None:
    """NUL characters out of everything a reader found (a JSON string may carry one): they are no
    text, and a PostgreSQL store cannot hold them."""
    for name, value in vars(raw).items():
        if isinstance(value, str) and "\x00" in value:
            setattr(raw, name, value.replace("\x00", ""))
        elif isinstance(value, list) and any(isinstance(item, str) and "\x00" in item for item in value):
            setattr(raw, name, [item.replace("\x00", "") if isinstance(item, str) else item for item in value])


def _cut(text: str) -> tuple[str, str | None]:
    """The text, cut at a paragraph (or else sentence) end before MAX_ARTICLE_CHARS; and the note
    that says so."""
    if len(text) <= MAX_ARTICLE_CHARS:
        return text, None
    head = text[:MAX_ARTICLE_CHARS]
    end = max(head.rfind("\n"), head.rfind(". ") + 1)
    kept = head[:end] if end > MAX_ARTICLE_CHARS // 2 else head
    return kept, f"text cut at {len(kept):,} of {len(text):,} characters: lagebild analyses articles up to {MAX_ARTICLE_CHARS:,}"


def _set_date(article: Article, raw: RawDocument, header_date: str | None) -> None:
    if header_date:
        article.date, article.date_source = normalise_date(header_date), "header"
    elif raw.date is not None:
        article.date = normalise_date(raw.date)
        article.date_source = raw.date_source or "metadata"
        if article.date is None:
            article.warnings.append(f"unreadable date {str(raw.date)[:40]!r}; the article has no date")
    if article.date is None and not any(w.startswith("unreadable date") for w in article.warnings):
        article.warnings.append("no date found; the article has no date")
        article.date_source = None


def _set_language(article: Article, raw: RawDocument) -> None:
    detected = identify(article.text)
    declared = (raw.language or "").split("-")[0].lower() or None
    article.language = detected or declared
    if article.language is None:
        article.warnings.append("language not identified (text too short or unclear)")
    elif declared and detected and declared != detected:
        article.warnings.append(f"declared language {declared!r} but the text reads as {detected!r}")


def _merge(*lists: list[str]) -> list[str]:
    merged: dict[str, str] = {}
    for names in lists:
        for name in names:
            merged.setdefault(name.lower(), name)
    return list(merged.values())
