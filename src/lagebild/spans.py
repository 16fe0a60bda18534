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


class Taken:
    """Non-empty spans taken so far, kept merged in order: whether another overlaps one is a binary
    search, where reading every span taken made an article of many names quadratic."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self.starts, end) - 1  # the last merged span starting before ``end``
        return index >= 0 and self.ends[index] > start

    def add(self, start: int, end: int) -> None:
        first = bisect_left(self.starts, start)
        if first > 0 and self.ends[first - 1] >= start:  # it meets the span before: merged with it
            first -= 1
        last = bisect_right(self.starts, end)  # the spans starting at or before its end are merged in
        if first < last:
            start, end = min(start, self.starts[first]), max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]
