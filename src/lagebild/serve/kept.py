"""What the server has made and may hand out again: pages and records of a story, kept while the
story is as it was (its key names its articles), least recently used forgotten first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T", str, bytes)


class Kept:
    """Made values by key, at most ``limit`` characters (or bytes) of them in all."""

    def __init__(self, limit: int):
        self.limit = limit
        self._values: OrderedDict[tuple, str | bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | bytes | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: tuple, value: T) -> T:
        if len(value) > self.limit // 4:  # one huge page must not push out everything else
            return value
        with self._lock:
            if key not in self._values:
                self._values[key] = value
                self._size += len(value)
            while self._size > self.limit:
                _, forgotten = self._values.popitem(last=False)
                self._size -= len(forgotten)
        return value

    def made(self, key: tuple, make: Callable[[], T]) -> T:
        """The value kept under ``key``, made (outside the lock: two readers may both make it) if not."""
        found = self.get(key)
        return found if found is not None else self.put(key, make())
