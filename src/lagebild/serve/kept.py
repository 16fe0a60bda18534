"""What the server has made and may hand out again, least recently used forgotten first: answers
to reads of the picture while the picture is as it was, and a story's page and record while the
story is (their keys name what they were made from, so nothing kept is ever stale)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from lagebild.store import views

T = TypeVar("T", str, bytes)


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
            start, body = found
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, _keeping(send, server.kept, key))


def _state(connection, path: str) -> tuple:
    """What a read's answer follows from: the linked picture, and for a search the stored articles
    too (they are searchable once stored). Not every article stored: while articles arrive
    faster than they are linked, nothing kept would be handed out twice."""
    if path.endswith("/search"):
        state = views.status(connection)
        return state["articles"], state["linked_seq"]
    return (views.watermark(connection),)


def _keeping(send, kept: Kept, key: tuple):
    """``send``, keeping a whole 200 answer without a cookie under ``key`` as it goes out."""
    start, chunks = None, []

    async def sending(message):
        nonlocal start
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            start = message if message["status"] == 200 and b"set-cookie" not in headers else None
        elif message["type"] == "http.response.body" and start is not None:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                kept.put(key, (start, body), size=len(body))
        await send(message)

    return sending
