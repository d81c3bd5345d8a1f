"""Terminal tables that fit the width: shorten titles first, then drop columns in a stated order.

A row is never wrapped.  ``fit`` is given the table, the width and the order in which
columns give way (each step drops a column or replaces it by a compact form); prose lines
around a table are wrapped at word boundaries by :func:`wrap_lines`.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

SEP = "  "


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (wide East Asian characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1 for c in text)


def cut(text: str, width: int) -> str:
    """``text`` on one line, shortened to ``width`` columns with « … »."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out).rstrip() + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


@dataclass
class Table:
    """Columns of text; ``title`` is the index of the column that may be shortened."""

    head: list[str]
    rows: list[list[str]]
    title: int | None = None
    styles: list[str] = field(default_factory=list)  # one rich style per row
    dropped: list[str] = field(default_factory=list)  # names of the columns that gave way
    _full: list[str] | None = None  # the titles before any shortening
    keys: list[str] = field(default_factory=list)  # the columns' names, once fitted

    def widths(self) -> list[int]:
        return [max(display_width(x) for x in col) for col in zip(self.head, *self.rows, strict=True)] if self.head else []

    def total(self) -> int:
        widths = self.widths()
        return sum(widths) + len(SEP) * (len(widths) - 1)

    def lines(self) -> list[tuple[str, str]]:
        widths = self.widths()
        out = [("bold", SEP.join(_pad(h, w) for h, w in zip(self.head, widths, strict=True)).rstrip())]
        for i, row in enumerate(self.rows):
            out.append((self.styles[i] if i < len(self.styles) else "", SEP.join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()))
        return out

    def shorten_title(self, width: int, floor: int) -> None:
        """Cut the titles (from their full text) just enough to fit ``width``, not below ``floor``."""
        if self.title is None:
            return
        if self._full is None:
            self._full = [row[self.title] for row in self.rows]
        full = max([display_width(x) for x in self._full] + [display_width(self.head[self.title])])
        others = self.total() - self.widths()[self.title]
        target = max(floor, display_width(self.head[self.title]), min(full, width - others))
        for row, text in zip(self.rows, self._full, strict=True):
            row[self.title] = cut(text, target)

    def drop(self, index: int, name: str) -> None:
        del self.head[index]
        for row in self.rows:
            del row[index]
        if self.title is not None and self.title > index:
            self.title -= 1
        self.dropped.append(name)

    def replace(self, index: int, cells: Sequence[str], name: str) -> None:
        for row, cell in zip(self.rows, cells, strict=True):
            row[index] = cell
        self.dropped.append(name)


@dataclass(frozen=True)
class Step:
    """One way a table gives room: drop the column named ``column``, or replace its cells by ``compact``."""

    column: str  # a key in the table's ``keys``
    name: str  # what the reader is told gave way
    compact: Sequence[str] | None = None


def fit(table: Table, keys: list[str], width: int | None, steps: Sequence[Step], title_floor: int = 24, last_floor: int = 10) -> Table:
    """Make ``table`` at most ``width`` columns wide (``None``: as it is).

    ``keys`` (the columns' names) loses the names of dropped columns.
    Order: shorten the title column down to ``title_floor``; then each step in turn until the
    table fits; then shorten the title down to ``last_floor``.  Rows that are still too long
    (a very narrow table) are cut with « … », never wrapped."""
    if width is None or table.total() <= width:
        return table
    table.shorten_title(width, title_floor)
    for step in steps:
        if table.total() <= width:
            break
        if step.column not in keys:
            continue
        index = keys.index(step.column)
        if step.compact is not None:
            table.replace(index, step.compact, step.name)
        else:
            table.drop(index, step.name)
            del keys[index]
        table.shorten_title(width, title_floor)
    table.shorten_title(width, last_floor)
    return table


def fit_lines(lines: Sequence[tuple[str, str]], width: int | None) -> list[tuple[str, str]]:
    """Table lines cut to ``width`` (a last resort: ``fit`` has done what it could)."""
    if width is None:
        return list(lines)
    return [(style, cut(text, width) if display_width(text) > width else text) for style, text in lines]


def wrap_lines(lines: Sequence[tuple[str, str]], width: int | None) -> list[tuple[str, str]]:
    """Prose lines wrapped at word boundaries to ``width``, continuation lines indented."""
    if width is None:
        return list(lines)
    out = []
    for style, text in lines:
        if display_width(text) <= width:
            out.append((style, text))
            continue
        indent = " " * (len(text) - len(text.lstrip(" ")))
        parts = textwrap.wrap(text.strip(), width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                              break_long_words=True, break_on_hyphens=False)
        out += [(style, p) for p in parts] or [(style, "")]
    return out
