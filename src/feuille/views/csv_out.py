"""Every CSV feuille writes, ready for a spreadsheet in the reader's language.

French: ``;`` between cells, decimal comma (``58,33``), dates ``31/12/2025``, French headers;
English: ``,``, decimal point, ISO dates, English headers.  Both: UTF-8 with a BOM (so that
Excel reads the accents), ``\\r\\n`` line ends (RFC 4180), and a text cell that starts with
``= + - @`` (or a tab, a carriage return) is prefixed with ``'`` so that a spreadsheet never runs
it as a formula.  Numbers are written as numbers, never neutralised.  JSON stays the format for
machines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from feuille.core.i18n import translator
from feuille.core.plan import Plan
from feuille.core.xmlchars import NOT_XML

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CsvStyle:
    lang: str
    delimiter: str
    decimal: str

    @classmethod
    def for_lang(cls, lang: str) -> CsvStyle:
        return cls("en", ",", ".") if lang == "en" else cls("fr", ";", ",")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs (« =HYPERLINK(...) » becomes « '=HYPERLINK(...) »)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float | int | Decimal, style: CsvStyle, digits: int | None = 2) -> str:
    """``58,33`` / ``58.33``; ``617000`` (no ``.0``, no thousands separator: spreadsheets read it as a number).
    ``digits=None`` keeps every digit (a file meant to come back, as the sheets export)."""
    rounded = Decimal(str(value)) if digits is None else round(Decimal(str(value)), digits)
    text = format(rounded.normalize() if rounded == rounded.to_integral() else rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", style.decimal)


def cell(value: Any, style: CsvStyle, digits: int | None = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write booleans as words (yes, no) in the caller's language")
    if isinstance(value, int | float | Decimal):
        return number(value, style, digits)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if style.lang == "fr" else value.isoformat()
    return neutralise(NOT_XML.sub("", str(value)))  # line breaks stay: the cell is quoted, and spreadsheets keep them; control characters go (F208)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], lang: str, digits: int | None = 2) -> bytes:
    """The CSV file's bytes: BOM, header, one line per row (numbers rounded to ``digits``, ``None``: as they are)."""
    style = CsvStyle.for_lang(lang)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=style.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(NOT_XML.sub("", h)) for h in header])
    for row in rows:
        writer.writerow([cell(v, style, digits) for v in row])
    return (BOM + buf.getvalue()).encode("utf-8")


def level_name(plan: Plan, depth: int | None, lang: str) -> str:
    """The plan's own name for a level (``levels`` in plan.yaml): depth 1, 2... for objectives, ``None`` for an action."""
    _ = translator(lang)
    levels = plan.meta.levels if plan.meta else []
    if depth is None:
        return levels[-1] if levels else _("Action")
    if len(levels) >= 2:
        return levels[min(depth, len(levels) - 1) - 1]
    return _("Objective")
