"""Readers for each input format. Each yields RawDocuments and IngestProblems, never raises.

Formats: plain text (with the seed conventions), JSONL and JSON arrays, HTML pages
(trafilatura), RSS/Atom feeds (feedparser), WARC archives (warcio). Container formats are read
record by record, so one bad line or record costs only itself.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from lagebild.ingest.dates import normalise_date
from lagebild.ingest.decode import UnreadableInput, decode, decode_with_notes
from lagebild.ingest.htmltext import fragment_to_text
from lagebild.model import IngestProblem, RawDocument

Item = RawDocument | IngestProblem

MIN_ARTICLE_CHARS = 20
JSON_FIELDS = ("text", "title", "date", "url", "outlet", "language", "credits")


def read_text(path: str, data: bytes) -> Iterator[Item]:
    text, notes = decode_with_notes(data)
    yield RawDocument(path=path, text=text, source_format="text", warnings=notes)


def read_jsonl(path: str, data_lines: Iterator[bytes], max_bytes: int, first_number: int = 1) -> Iterator[Item]:
    """``first_number``: the number of the first line given (a part of a file read on its own)."""
    for number, line in enumerate(data_lines, start=first_number):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield IngestProblem(where, f"line is over the {_megabytes(max_bytes)} limit for one article")
            continue
        try:
            record = json.loads(decode(line))
        except (UnreadableInput, json.JSONDecodeError) as error:
            yield IngestProblem(where, f"not a JSON object: {_first_line(error)}")
            continue
        yield _from_record(where, record, "jsonl")


def read_json(path: str, data: bytes) -> Iterator[Item]:
    try:
        loaded = json.loads(decode(data))
    except json.JSONDecodeError as error:
        yield IngestProblem(path, f"malformed JSON: {_first_line(error)}")
        return
    records = loaded if isinstance(loaded, list) else [loaded]
    for number, record in enumerate(records, start=1):
        yield _from_record(f"{path}#{number}" if len(records) > 1 else path, record, "json")


def _from_record(where: str, record, source_format: str) -> Item:
    if not isinstance(record, dict):
        return IngestProblem(where, "not a JSON object")
    wrong = _wrongly_typed(record)
    if wrong:
        return IngestProblem(where, wrong)
    text = record.get("text")
    if text is None or not str(text).strip():
        return IngestProblem(where, "no 'text' field (required)")
    text = str(text)
    credits = record.get("credits") or []
    if isinstance(credits, str):
        credits = [part.strip() for part in credits.split("/") if part.strip()]
    unknown = sorted(set(record) - set(JSON_FIELDS) - {"id"})
    return RawDocument(
        path=where,
        text=text,
        source_format=source_format,
        title=_str_or_none(record.get("title")),
        date=record.get("date"),
        date_source="metadata",
        url=_str_or_none(record.get("url")),
        outlet=_str_or_none(record.get("outlet")),
        language=_str_or_none(record.get("language")),
        credits=[str(credit) for credit in credits],
        warnings=[f"ignored unknown fields: {', '.join(unknown)}"] if unknown else [],
    )


def read_html(path: str, data: bytes, source_format: str = "html", fallback_date=None) -> Iterator[Item]:
    import trafilatura

    html = decode(data)
    extracted = trafilatura.extract(html, output_format="json", with_metadata=True, favor_recall=True)
    found = json.loads(extracted) if extracted else {}
    if len((found.get("text") or "").strip()) < MIN_ARTICLE_CHARS:
        yield IngestProblem(path, "no article text found in the HTML page")
        return
    date, date_source = found.get("date"), "html"
    if not date and fallback_date:
        date, date_source = fallback_date
    yield RawDocument(
        path=path,
        text=found["text"],
        source_format=source_format,
        title=found.get("title"),
        date=date,
        date_source=date_source if date else None,
        url=found.get("source") or None,
        outlet=found.get("sitename") or found.get("source-hostname") or found.get("hostname") or None,
        language=found.get("language"),
    )


def read_feed(path: str, data: bytes) -> Iterator[Item]:
    import feedparser

    feed = feedparser.parse(data)
    error = feed.get("bozo_exception")
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if error is not None and not isinstance(error, benign):
        recovered = f"; {len(feed.entries)} entries recovered" if feed.entries else ""
        yield IngestProblem(path, f"malformed feed: {_first_line(error)}{recovered}")
    elif not feed.entries:
        yield IngestProblem(path, "empty feed: it has no entries")
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{path}#{entry.get('link') or entry.get('id') or number}"
        body = _entry_body(entry)
        if not body.strip():
            yield IngestProblem(where, "feed entry has no text")
            continue
        yield RawDocument(
            path=where,
            text=body,
            source_format="feed",
            title=entry.get("title"),
            date=_entry_date(entry),
            date_source="feed",
            url=entry.get("link"),
            outlet=outlet,
            language=entry.get("language") or feed.feed.get("language"),
        )


def _entry_date(entry):
    """The date as the publisher wrote it, in its own offset ("Sat, 14 Mar 2026 00:30 +0100" is
    the 14th); feedparser's parsed form is shifted to UTC (the 13th) and serves only when the
    string cannot be read."""
    for key in ("published", "updated"):
        if entry.get(key) and normalise_date(entry[key]):
            return entry[key]
    return entry.get("published_parsed") or entry.get("updated_parsed")


def _entry_body(entry) -> str:
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    return fragment_to_text(html or "")


def read_warc(path: str, stream: io.BufferedIOBase, max_bytes: int, records: int | None = None) -> Iterator[Item]:
    """``records``: read that many records (of any type) from where the stream stands, no more."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in islice(ArchiveIterator(stream), records):
            yield from _warc_record(path, record, max_bytes)
    except (ArchiveLoadFailed, ValueError, AttributeError, EOFError, OSError) as error:
        # warcio signals a broken archive in several ways; the records before it are kept
        yield IngestProblem(path, f"malformed WARC: {_first_line(error) or type(error).__name__}")


def _warc_record(path: str, record, max_bytes: int) -> Iterator[Item]:
    if record.rec_type not in ("response", "resource"):
        return
    uri = record.rec_headers.get_header("WARC-Target-URI") or "record"
    where = f"{path}#{uri}"
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") if headers else record.rec_headers.get_header("Content-Type")) or ""
    if headers and not headers.get_statuscode().startswith("2"):
        return
    if "html" not in content_type and "text/plain" not in content_type:
        return
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        yield IngestProblem(where, f"record is over the {_megabytes(max_bytes)} limit for one article")
        return
    crawl_date = (record.rec_headers.get_header("WARC-Date"), "warc-date")
    try:
        if "html" in content_type:
            for item in read_html(where, payload, "warc", crawl_date):
                if isinstance(item, RawDocument) and not item.url:
                    item.url = uri
                yield item
        else:
            yield RawDocument(where, decode(payload), "warc", date=crawl_date[0], date_source="warc-date", url=uri)
    except UnreadableInput as error:
        yield IngestProblem(where, str(error))


def warc_record_offsets(path: str) -> list[int]:
    """Where each record of a WARC archive starts (a compressed one decompressed to find them);
    raises what warcio raises for a broken archive."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        return [iterator.get_record_offset() for _ in iterator]


def read_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


_JSON_TYPES = {dict: "an object", list: "a list", bool: "true or false"}


def _wrongly_typed(record: dict) -> str | None:
    """Why a record's known field cannot be read: text fields take text (a number is read as
    text); credits take text or a list of texts. An object or a list where text belongs is never
    turned into text."""
    for name in JSON_FIELDS:
        value = record.get(name)
        if name == "credits" and isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
            continue
        readable = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        if value is not None and not readable:
            return f"field '{name}' is {_JSON_TYPES.get(type(value), type(value).__name__)}, not text"
    return None


def _str_or_none(value) -> str | None:
    return str(value).strip() or None if value is not None else None


def _first_line(error) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else ""


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"
