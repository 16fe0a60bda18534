"""Ingest: paths and URLs in, Articles and one-line IngestProblems out.

``discover`` lists the inputs, ``read_input`` detects each one's format and reads it. Nothing
here raises on bad input: every failure becomes an IngestProblem with a reason a user can act on.
"""

from __future__ import annotations

import gzip
import io
import urllib.request
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

from lagebild.ingest import readers
from lagebild.ingest.article import build_article
from lagebild.ingest.decode import UnreadableInput
from lagebild.model import Article, IngestProblem, RawDocument

DEFAULT_MAX_BYTES = 20_000_000
URL_TIMEOUT_SECONDS = 20
_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")


def discover(inputs: list[str]) -> tuple[list[str], list[IngestProblem]]:
    """Files below the given paths (recursively, sorted, hidden ones skipped) and URLs as given."""
    found: list[str] = []
    problems: list[IngestProblem] = []
    for given in inputs:
        path = Path(given)
        if given.startswith(("http://", "https://")):
            found.append(given)
        elif path.is_dir():
            found.extend(
                str(child)
                for child in sorted(path.rglob("*"))
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(given)
        else:
            problems.append(IngestProblem(given, "no such file or folder"))
    return found, problems


def read_input(location: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestProblem]:
    """Every article in one file or URL, each parsed into an Article, or the reasons it failed."""
    return _parsed(location, lambda: _raw_documents(location, max_bytes))


def is_jsonl(location: str) -> bool:
    """Whether a file is read as JSON lines (and so can be read a range of lines at a time)."""
    return not location.startswith(("http://", "https://")) and location.lower().endswith((".jsonl", ".ndjson"))


def read_lines_of(location: str, first_line: int, lines: int, offset: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestProblem]:
    """The articles of ``lines`` lines of a JSON-lines file, from line ``first_line`` (1 is the
    first), which starts at byte ``offset``: the same articles and problems, numbered the same,
    as ``read_input`` finds on those lines."""

    def items() -> Iterator[readers.Item]:
        with open(location, "rb") as handle:
            handle.seek(offset)
            yield from readers.read_jsonl(location, islice(handle, lines), max_bytes, first_line)

    return _parsed(location, items)


def is_warc(location: str) -> bool:
    """Whether a file is read as a WARC archive by its name (and so can be read a range of records at a time)."""
    return not location.startswith(("http://", "https://")) and location.lower().endswith((".warc", ".warc.gz"))


def read_records_of(location: str, records: int, offset: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestProblem]:
    """The articles of ``records`` records of a WARC archive, the first at byte ``offset``
    (``readers.warc_record_offsets``): what ``read_input`` finds in those records."""

    def items() -> Iterator[readers.Item]:
        with open(location, "rb") as stream:
            stream.seek(offset)
            yield from readers.read_warc(location, stream, max_bytes, records)

    return _parsed(location, items)


def _parsed(location: str, items: Callable[[], Iterator[readers.Item]]) -> Iterator[Article | IngestProblem]:
    try:
        for item in items():
            yield _to_article(item) if isinstance(item, RawDocument) else item
    except UnreadableInput as error:
        yield IngestProblem(location, str(error))
    except OSError as error:
        yield IngestProblem(location, f"cannot read: {error.strerror or error}")
    except Exception as error:  # a parser library failing on odd input must not end the run
        yield IngestProblem(location, f"could not be read ({type(error).__name__}: {str(error)[:120]})")


def read_bytes(location: str, data: bytes, kind: str | None = None) -> Iterator[Article | IngestProblem]:
    """The articles of fetched bytes (a feed, a page, ...), read as their name and first bytes
    say; ``kind`` "html" reads them as a page whatever they look like."""
    if kind == "html":
        return _parsed(location, lambda: readers.read_html(location, data))
    return _parsed(location, lambda: _by_content(location, data))


POSTED_KINDS = {"application/json": "json", "application/x-ndjson": "jsonl", "text/html": "html", "text/plain": "text"}


def read_posted(name: str, data: bytes, media_type: str) -> Iterator[Article | IngestProblem]:
    """The articles of a request body (``POSTED_KINDS``: one JSON object or a list, JSON lines,
    an HTML page, plain text); ``name`` stands for the file they came in."""
    readers_of = {
        "json": lambda: readers.read_json(name, data),
        "jsonl": lambda: readers.read_jsonl(name, iter(data.splitlines()), len(data)),
        "html": lambda: readers.read_html(name, data),
        "text": lambda: readers.read_text(name, data),
    }
    return _parsed(name, readers_of[POSTED_KINDS[media_type]])


def _to_article(raw: RawDocument) -> Article | IngestProblem:
    try:
        return build_article(raw)
    except UnreadableInput as error:
        return IngestProblem(raw.path, str(error))


def _raw_documents(location: str, max_bytes: int) -> Iterator[readers.Item]:
    if location.startswith(("http://", "https://")):
        yield from _by_content(location, _fetch(location, max_bytes))
        return
    path = Path(location)
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        with path.open("rb") as stream:
            yield from readers.read_warc(location, stream, max_bytes)
        return
    if name.endswith((".jsonl", ".ndjson")):
        yield from readers.read_jsonl(location, readers.read_lines(path), max_bytes)
        return
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableInput(f"file is {size / 1_000_000:.1f} MB, over the {max_bytes / 1_000_000:g} MB limit (--max-bytes)")
    yield from _by_content(location, path.read_bytes())


def _by_content(location: str, data: bytes) -> Iterator[readers.Item]:
    """Pick a reader from the name and the first bytes, for files and fetched URLs alike."""
    suffix = Path(location.split("?")[0]).suffix.lower()
    head = data[:2048].lstrip().lower()
    if data.startswith(b"WARC/") or (data.startswith(b"\x1f\x8b") and _is_gzipped_warc(data)):
        yield from readers.read_warc(location, io.BytesIO(data), len(data))
    elif _looks_like_feed(suffix, head):
        yield from readers.read_feed(location, data)
    elif suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        yield from readers.read_html(location, data)
    elif suffix == ".json":
        yield from readers.read_json(location, data)
    elif suffix in (".jsonl", ".ndjson"):
        yield from readers.read_jsonl(location, iter(data.splitlines()), len(data))
    else:
        yield from readers.read_text(location, data)


def _looks_like_feed(suffix: str, head: bytes) -> bool:
    if suffix in (".rss", ".atom"):
        return True
    is_markup = head.startswith(b"<") and not head.startswith((b"<!doctype html", b"<html"))
    return is_markup and any(marker in head for marker in _FEED_MARKERS)


def _is_gzipped_warc(data: bytes) -> bool:
    try:
        return gzip.GzipFile(fileobj=io.BytesIO(data)).read(5) == b"WARC/"
    except (OSError, EOFError):
        return False


def _fetch(url: str, max_bytes: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "lagebild/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response:
            data = response.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableInput(f"cannot fetch: {getattr(error, 'reason', None) or error}") from error
    if len(data) > max_bytes:
        raise UnreadableInput(f"response is over the {max_bytes / 1_000_000:g} MB limit (--max-bytes)")
    return data
