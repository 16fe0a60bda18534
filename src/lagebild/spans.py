"""Lookups of spans by position in logarithmic time, so that the stages' cost grows with an
article's length, not with its square (an article of thousands of quotations is someone's input).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Covering:
    """Spans sorted by start with the furthest end reached so far: whether some span covers a
    range is one binary search."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Whether a span starts at or before ``start`` and ends at or after ``end``."""
        index = bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end


class ByStart(Generic[T]):
    """Items in the order of their start, for asking which start in a range."""

    def __init__(self, items: Iterable[T], start: Callable[[T], int] = lambda item: item.start) -> None:
        self.items = sorted(items, key=start)
        self.starts = [start(item) for item in self.items]

    def starting_in(self, low: int, high: int) -> list[T]:
        """The items whose start is at least ``low`` and below ``high``, by start."""
        return self.items[bisect_left(self.starts, low) : bisect_left(self.starts, high)]

    def holding(self, position: int, end: Callable[[T], int] = lambda item: item.end) -> T | None:
        """The item whose [start, end) holds the position, for items that do not overlap."""
        index = self.last_starting_by(position)
        return self.items[index] if index >= 0 and position < end(self.items[index]) else None

    def last_starting_by(self, position: int) -> int:
        """The index of the last item starting at or before ``position`` (-1 if none)."""
        return bisect_right(self.starts, position) - 1
