"""Where output goes. Progress bars, notes and errors: stderr, the bars only on a terminal. A
command's results (listings, tables): stdout, so that they can be piped and grepped."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

T = TypeVar("T")

console = Console(stderr=True)
PIPED_WIDTH = 240  # columns for tables written to a pipe or file, where no terminal says how wide


def results() -> Console:
    """The console for a command's results. Piped, a line is never wrapped (grep sees one finding
    per line) and tables get room; on a terminal, Rich fits them to its width."""
    if sys.stdout.isatty():
        return Console()
    return Console(soft_wrap=True, width=PIPED_WIDTH)


def print_table(output: Console, headers: tuple[str, ...], rows: list[tuple[str, ...]], title: str | None = None) -> None:
    """A table of plain text cells (never markup: an article's "[Update]"). On a terminal Rich fits
    it to the width; piped, written as aligned lines, one row a line (Rich's layout of a table costs
    milliseconds a row: seconds for a listing of hundreds of tables)."""
    if output.is_terminal:
        table = Table(*headers, box=None, title=Text(title) if title else None)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        output.print(table)
        return
    widths = [max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(headers)]
    lines = [" " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in (headers, *rows)]
    output.file.write("".join(line + "\n" for line in ([title] if title else []) + lines))


def print_text(output: Console, line: str) -> None:
    """A line of plain text (never markup) as a result (``print_lines``)."""
    print_lines(output, (line,))


def print_heading(output: Console, heading: str, rest: str = "") -> None:
    """A heading (bold on a terminal) and plain text after it; piped, written as it is (Rich's
    rendering costs a third of a millisecond a line: most of a long listing's headings)."""
    if output.is_terminal:
        output.print(Text.assemble((heading, "bold"), rest))
    else:
        output.file.write(heading + rest + "\n")


def print_lines(output: Console, lines: Iterable[str]) -> None:
    """Lines of plain text (never markup) as results. Piped, written as they are, in batches:
    Rich's rendering costs a quarter of a millisecond a line, and even asking whether the output
    is a terminal costs microseconds (seconds over a listing of a quarter of a million lines)."""
    if output.is_terminal:
        for line in lines:
            output.print(line, markup=False, highlight=False)
    else:
        batch: list[str] = []
        for line in lines:
            batch.append(line + "\n")
            if len(batch) == 4096:
                output.file.write("".join(batch))
                batch.clear()
        output.file.write("".join(batch))


def interactive() -> bool:
    return sys.stderr.isatty()


class Tracker:
    """Counts work done in named steps; draws nothing unless stderr is a terminal."""

    def __init__(self, progress: Progress | None):
        self._progress = progress

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        if self._progress is None:
            yield from items
            return
        task = self._progress.add_task(description, total=total if total is not None else _length(items))
        for item in items:
            yield item
            self._progress.advance(task)
        self._progress.update(task, visible=False)


@contextmanager
def tracker(enabled: bool | None = None):
    if not (interactive() if enabled is None else enabled):
        yield Tracker(None)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield Tracker(progress)


def _length(items) -> int | None:
    try:
        return len(items)
    except TypeError:
        return None
