"""Transitive grouping (union-find) whose groups are named after their earliest member."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Groups:
    """Join pairs into groups; a group's root is the member that sorts first by ``order``, so the
    name of a group does not depend on the order in which its pairs were found."""

    def __init__(self, order: Callable[[Any], Any] = lambda node: node) -> None:
        self.parent: dict[Hashable, Hashable] = {}
        self.order = order

    def root(self, node: Hashable) -> Hashable:
        while self.parent.get(node, node) != node:
            grandparent = self.parent.get(self.parent[node], self.parent[node])
            self.parent[node] = grandparent
            node = grandparent
        return node

    def join(self, a: Hashable, b: Hashable) -> None:
        first, second = sorted((self.root(a), self.root(b)), key=self.order)
        if first != second:
            self.parent[second] = first

    def joined(self) -> list[Hashable]:
        """Every node that is not the root of its group."""
        return [node for node in self.parent if self.root(node) != node]
