"""The actions as a CSV file, written by the one CSV writer (:mod:`feuille.views.csv_out`).

A French plan gets what French Excel opens as is: ``;`` separators, decimal comma, dates
JJ/MM/AAAA, UTF-8 with BOM; an English one ``,``, a decimal point and ISO dates.  The same
columns as the xlsx actions sheet (the hash and the plan revision included, with the number
of rows exported), so a returned CSV imports like a workbook.  A text starting with
``= + - @`` gets a leading apostrophe: a spreadsheet shows it as text, and the import takes
the apostrophe off.  Numbers keep every digit (the file is meant to come back).
"""

from __future__ import annotations

from feuille.compute.audience import Published
from feuille.views.csv_out import to_csv
from feuille.views.exports import ExportOptions
from feuille.formats.spreadsheet.write import headers, line, mark, rows

SUFFIX = ".csv"
BINARY = False


def export(published: Published, options: ExportOptions) -> bytes:
    sheet_rows = rows(published, options)
    row_mark = mark(published, sheet_rows)
    return to_csv(headers(published), (line(published, row, row_mark) for row in sheet_rows), options.lang, digits=None)
