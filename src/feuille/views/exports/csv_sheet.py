"""The actions as a CSV file for French Excel: ``;`` separators, decimal comma, dates JJ/MM/AAAA, UTF-8 with BOM.

The same columns as the xlsx actions sheet (the hash and the plan revision included),
so a returned CSV imports like a workbook.  A text starting with ``= + - @`` gets a
leading apostrophe: Excel shows it as text, and the import takes the apostrophe off.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from feuille.compute.audience import Published
from feuille.core.sheet import safe_text
from feuille.views.exports import ExportOptions
from feuille.views.exports._sheet import headers, line, revision, rows

SUFFIX = ".csv"
BINARY = False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float, Decimal)):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",")
    return safe_text(str(value))


def export(published: Published, options: ExportOptions) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers(published))
    rev = revision(published)
    for row in rows(published, options):
        writer.writerow([_cell(v) for v in line(published, row, rev)])
    return out.getvalue().encode("utf-8-sig")
