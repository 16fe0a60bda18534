"""What the server has made and may hand out again, least recently used forgotten first: answers
to reads of the picture while the picture is as it was, and a story's page and record while the
story is (their keys name what they were made from, so nothing kept is ever stale). Answers are
kept gzipped and sent so to a client that takes gzip (every browser and HTTP library): at
100,000 stored a running story's record is 10.7 MB of JSON, 3 MB gzipped."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request, Response

from lagebild import user_cache
from lagebild.store import views

T = TypeVar("T", str, bytes)
GZIPPED_FROM = 1_000  # bytes: a shorter answer is kept and sent as it is
GZIP_LEVEL = 1  # the fastest: 10.7 MB of JSON in 0.14 s to 2.95 MB (level 6: 0.36 s, 2.54 MB)


class Kept:
    """Made values by key, at most ``limit`` characters (or bytes) of them in all."""

    def __init__(self, limit: int):
        self.limit = limit
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: tuple, value: T, size: int | None = None) -> T:
        """Keep ``value`` (``size``: what it counts for, if not its length)."""
        size = len(value) if size is None else size
        if size > self.limit // 4:  # one huge page must not push out everything else
            return value
        with self._lock:
            if key not in self._values:
                self._values[key] = value
                self._sizes[key] = size
                self._size += size
            while self._size > self.limit:
                forgotten, _ = self._values.popitem(last=False)
                self._size -= self._sizes.pop(forgotten)
        return value

    def made(self, key: tuple, make: Callable[[], T]) -> T:
        """The value kept under ``key``, made (outside the lock: two readers may both make it) if not."""
        found = self.get(key)
        return found if found is not None else self.put(key, make())


# Reads whose answer follows from the picture and the stored articles alone (not feeds, watches,
# status, the front page with its "new since" cookie, or the update stream; a story's page and
# record are kept by their story's own key, which outlives a picture that changed elsewhere)
PICTURE_READS = re.compile(r"/(stories/[^/]+\.atom|articles(/[^/]+)?|entities(/[^/]+)?|speakers/[^/]+|search|api/v1/(stories|events|articles(/[^/]+)?|entities(/[^/]+)?|statements|claims|disagreements|search))")


class KeptAnswers:
    """ASGI middleware: a read of the picture answered once for each state of the picture (the last
    article linked; for a search also the last stored); twenty readers of one picture cost one
    reading of the store."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not PICTURE_READS.fullmatch(scope["path"]):
            return await self.app(scope, receive, send)
        server = scope["app"].state.lagebild
        with server.borrowed() as store:  # one or two indexed single-row reads
            state = _state(store.connection, scope["path"])
        key = ("answer", scope["path"], scope["query_string"], *state)
        found = server.kept.get(key)
        if found is not None:
            await _send_whole(send, *found, takes_gzip(scope["headers"]))
            return
        await self.app(scope, receive, _keeping(send, server.kept, key, takes_gzip(scope["headers"])))


def _state(connection, path: str) -> tuple:
    """What a read's answer follows from: the linked picture, and for a search the articles indexed
    for it too (POSTed articles are indexed in bulk as the analysis begins). Not every article
    stored: while articles arrive faster than they are linked, nothing kept would be handed out twice."""
    if path.endswith("/search"):
        return connection.dialect.searchable_upto(connection), views.watermark(connection)
    return (views.watermark(connection),)


def _keeping(send, kept: Kept, key: tuple, gzip_taken: bool):
    """``send``, keeping a 200 answer without a cookie under ``key`` (gzipped if long), and
    sending it whole once it is (gzipped to a client that takes it); other answers go as they come."""
    start, chunks = None, []

    async def sending(message):
        nonlocal start
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if message["status"] == 200 and b"set-cookie" not in headers and b"content-encoding" not in headers:
                start = message
                return
        elif message["type"] == "http.response.body" and start is not None:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                packed = len(body) >= GZIPPED_FROM
                if packed:
                    body = _gzipped(body)
                kept.put(key, (start, body, packed), size=len(body))
                await _send_whole(send, start, body, packed, gzip_taken)
            return
        await send(message)

    return sending


async def _send_whole(send, start: dict, body: bytes, packed: bool, gzip_taken: bool) -> None:
    """A kept answer: gzipped (``packed``) to a client that takes gzip, else as it was made."""
    if packed and not gzip_taken:
        body, packed = gzip.decompress(body), False
    headers = [(name, value) for name, value in start.get("headers", []) if name.lower() not in (b"content-length", b"vary")]
    headers += [(b"content-length", str(len(body)).encode()), (b"vary", b"accept-encoding")]
    if packed:
        headers.append((b"content-encoding", b"gzip"))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SharedAnswers:
    """Large answers (a story's page and record) kept on this machine's disk beside each process's
    memory, so that every server process, and a server started again, makes each one once: at
    100,000 stored a large story's page and record take 0.3 s of CPU to make, and each server
    process made them anew. One file per key (a digest of it and of the serving code), written
    whole; past ``budget`` bytes the least recently used go. Never needed: where the folder cannot
    be written, each process makes its own."""

    SWEEP_EVERY = 50  # files written between two looks at the folder's size

    def __init__(self, folder: Path, budget: int, code: str):
        self.folder, self.budget, self.code = folder, budget, code
        self._written = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        path = self._path(key)
        try:
            body = path.read_bytes()
            os.utime(path)  # used: the last to go
        except OSError:
            return None
        return body

    def put(self, key: tuple, body: bytes) -> None:
        user_cache.write_whole(self._path(key), body)
        with self._lock:
            self._written += 1
            sweep = self._written % self.SWEEP_EVERY == 0
        if sweep:
            self.sweep()

    def sweep(self) -> None:
        """Removes the least recently used files while the folder holds more than the budget."""
        try:
            files = sorted(((entry.stat(), entry) for entry in self.folder.glob("*.gz")), key=lambda row: row[0].st_mtime_ns)
        except OSError:  # another process removed one meanwhile: the next sweep
            return
        held = sum(stat.st_size for stat, _ in files)
        for stat, entry in files:
            if held <= self.budget:
                break
            entry.unlink(missing_ok=True)
            held -= stat.st_size

    def _path(self, key: tuple) -> Path:
        return self.folder / f"{hashlib.sha256(repr((self.code, key)).encode()).hexdigest()[:32]}.gz"


def kept_response(request: Request, key: tuple, make: Callable[[], str | bytes], media_type: str, shared: bool = True) -> Response:
    """An answer as kept under ``key`` (in memory, else, ``shared``, on this machine's disk, else
    made and gzipped), gzipped to a client that takes gzip."""
    server = request.app.state.lagebild
    kept, on_disk = server.kept, server.shared_answers if shared else None
    body = kept.get(key)
    if body is None:
        body = on_disk.get(key) if on_disk else None
        if body is None:
            body = _gzipped(_bytes(make()))
            if on_disk:
                on_disk.put(key, body)
        kept.put(key, body)
    if takes_gzip(request.scope["headers"]):
        return Response(body, media_type=media_type, headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(gzip.decompress(body), media_type=media_type, headers={"Vary": "Accept-Encoding"})


def _gzipped(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _bytes(made: str | bytes) -> bytes:
    return made.encode() if isinstance(made, str) else made


def takes_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request's Accept-Encoding takes gzip (named, or as "*", at a weight above 0)."""
    for name, value in headers:
        if name.lower() == b"accept-encoding":
            for coding in value.decode("latin-1").lower().split(","):
                name_part, _, weight = coding.partition(";")
                if name_part.strip() in ("gzip", "*") and _weight(weight) > 0:
                    return True
    return False


def _weight(parameter: str) -> float:
    """An Accept-Encoding entry's q (1 when absent; 0 when unreadable: a client that garbles it is
    answered as one that takes nothing)."""
    name, _, value = parameter.partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0
