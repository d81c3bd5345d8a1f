"""Terminal tables that fit the width: shorten titles first, then drop columns in a stated order.

A row is never wrapped.  ``fit`` is given the table, the width and the order in which
columns give way (each step drops a column or replaces it by a compact form); prose lines
around a table are wrapped at word boundaries by :func:`wrap_lines`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

SEP = "  "


# characters one column wide for display_width below: Latin (combining marks start at U+0300), general punctuation
# (… ’ — « narrow no-break space »), currency signs (€); tests/test_screens_width.py checks each against the long way
NARROW = "\x00-\u02ff\u2000-\u2064\u20a0-\u20bf"
_BEYOND_LATIN = re.compile(f"[^{NARROW}]")


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (wide East Asian characters count two)."""
    if not _BEYOND_LATIN.search(text):  # French text: one column a character (x 1,000,000 for 10,000 ranks)
        return len(text)
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


_SPACE = " "  # the only place a line is broken: a plain space (no-break and thin spaces hold « 40 % », « 95 000 € » together)
_LABEL = re.compile(r"^( *)([^ :][^:]{0,38}?) ?: (?=\S)")  # « Label : value », "feuille: message": a hanging indent under the value


def _hang(text: str, width: int) -> int:
    """Where the continuation lines of ``text`` start: under the value of « Label : value » when the label is
    short (a third of the width at most), else two columns right of the line's own indent."""
    indent = len(text) - len(text.lstrip(" "))
    m = _LABEL.match(text)
    if m is not None and display_width(m.group(0)) <= width // 3:
        return display_width(m.group(0))
    return indent + 2


_GLUED_AFTER = ("»", ":", ";", "!", "?", "—")  # a word that starts so stays with the one before (French spaces before them)


def _words(text: str) -> list[str]:
    """The words of ``text`` between plain spaces, a « glued to the next word, and a », a : ; ! ? or a — to the
    previous one: a line never ends with « nor starts with »."""
    words: list[str] = []
    glue_next = False
    for w in text.split(_SPACE):
        if not w:
            continue
        if words and (glue_next or w.startswith(_GLUED_AFTER)):
            words[-1] += _SPACE + w
        else:
            words.append(w)
        glue_next = w == "«"
    return words


def wrap(text: str, width: int | None) -> list[str]:
    """One line of prose as lines of at most ``width`` columns, broken at plain spaces; continuation lines
    hang (:func:`_hang`).  A word is never broken: one longer than the line (a path, a ``file:line:col``,
    a web address, that a reader copies) stands whole on its own line."""
    text = text.rstrip()
    if width is None or display_width(text) <= width:
        return [text]
    indent = len(text) - len(text.lstrip(" "))
    hang = _hang(text, width)
    if hang > width // 2:
        hang = min(indent + 2, width // 2)
    words = [part for w in _words(text[indent:]) for part in (w.split(_SPACE) if display_width(w) > width - indent - 2 else [w])]
    if any(hang + display_width(w) > width >= indent + 2 + display_width(w) for w in words):
        hang = indent + 2  # a long word (a path) fits under the line's indent, not under the value
    out: list[str] = []
    line, used = " " * indent, indent
    fresh = True
    for word in words:
        w = display_width(word)
        if not fresh and used + 1 + w > width:
            out.append(line)
            line, used, fresh = " " * hang, hang, True
        if fresh:
            line, used, fresh = line + word, used + w, False
        else:
            line, used = line + _SPACE + word, used + 1 + w
    out.append(line)
    return out


def wrap_text(text: str, width: int | None) -> str:
    """Every line of ``text`` wrapped by :func:`wrap` (its final newline kept)."""
    if width is None:
        return text
    return "\n".join(part for line in text.split("\n") for part in wrap(line, width))


def cut_text(text: str, width: int | None) -> str:
    """Lines of a file shown as they are (a diff of the plan's YAML): one longer than ``width`` is cut with « … »
    (its end is the file's, so wrapping it would only mislead); a diff's ``--- a/FILE`` and ``+++ b/FILE``
    keep the end of the path, the file's name."""
    if width is None:
        return text
    out = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
        elif line.startswith(("--- ", "+++ ")) and width > 8:
            tail = line[4:]
            while tail and display_width(tail) > width - 5:
                tail = tail[1:]
            out.append(line[:4] + "…" + tail)
        else:
            kept, used = [], 0  # the line's own spaces kept: a YAML line's indentation is its meaning
            for c in line:
                if used + display_width(c) > width - 1:
                    break
                kept.append(c)
                used += display_width(c)
            out.append("".join(kept).rstrip() + "…")
    return "\n".join(out)


def wrap_lines(lines: Sequence[tuple[str, str]], width: int | None) -> list[tuple[str, str]]:
    """Prose lines wrapped to ``width`` (:func:`wrap`), each part keeping its line's style."""
    if width is None:
        return list(lines)
    return [(style, part) for style, text in lines for part in wrap(text, width)]


def excerpt(source: str, col: int, width: int | None) -> tuple[str, int]:
    """A line of a file, cut around column ``col`` (1-based) to at most ``width`` columns with « … » at the
    cut ends, and where ``col`` falls in what is kept (1-based): the place a message points at stays on screen."""
    source = source.rstrip().expandtabs(1)
    col = max(1, min(col, len(source) + 1))
    if width is None or width < 8 or display_width(source) <= width:
        return source, col
    start = max(0, min(col - 1 - width // 3, len(source) - (width - 1)))
    left = "…" if start > 0 else ""
    room = width - len(left)
    kept = source[start:]
    out, right = kept, ""
    if display_width(kept) > room:
        out, right = "", "…"
        for c in kept:
            if display_width(out + c) > room - 1:
                break
            out += c
    return left + out + right, col - start + len(left)
