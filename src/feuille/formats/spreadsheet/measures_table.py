"""The indicators' measurements as a long table (core/measures.py): the xlsx « Indicateurs » sheet, the csv part.

One row per measurement, in plan order, each indicator's rows by date; in a workbook, a last empty row
per indicator (its id and label filled in) is where the next measurement is typed, then read back by
``feuille import`` (the date, the value, a note).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.compute.audience import Published
from feuille.core.measures import COLUMNS, HEADERS


def headers(lang: str) -> list[str]:
    return [HEADERS[lang][c] for c in COLUMNS]


def rows(published: Published, *, blank: bool = False, only: frozenset[str] | None = None) -> list[list[Any]]:
    """The measurements of every indicator the audience sees (with ``only``: of the objectives and actions kept, and the plan's),
    one row each; ``blank``: an empty row after each indicator for the next one."""
    out: list[list[Any]] = []
    for p in published.plan.indicators():
        if only is not None and p.where is not None and p.where not in only:
            continue
        ind = p.indicator
        head = [p.key, ind.label, p.where or "", ind.unit or ""]
        for m in sorted(ind.measurements, key=lambda m: m.date):
            out.append([*head, m.date, m.value, m.note or ""])
        if blank:
            out.append([*head, None, None, ""])
    return out


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date)
