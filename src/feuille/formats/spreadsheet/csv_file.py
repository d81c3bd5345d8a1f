"""The actions as a CSV file, written by the one CSV writer (:mod:`feuille.views.csv_out`).

A French plan gets what French Excel opens as is: ``;`` separators, decimal comma, dates
JJ/MM/AAAA, UTF-8 with BOM; an English one ``,``, a decimal point and ISO dates.  The same
columns as the xlsx actions sheet (the hash and the plan revision included, with the number
of rows exported), so a returned CSV imports like a workbook.  The indicators' measurements go
to a second file beside it (``-o plan.csv`` gives ``plan-indicateurs.csv``), the long table that
``feuille import`` reads back.  A text starting with
``= + - @`` gets a leading apostrophe: a spreadsheet shows it as text, and the import takes
the apostrophe off.  Numbers keep every digit (the file is meant to come back).
"""

from __future__ import annotations

from typing import Any

from feuille.compute.audience import Published
from feuille.core.measures import SHEET
from feuille.formats.spreadsheet import funding_table as _funding
from feuille.formats.spreadsheet import measures_table as _indicators
from feuille.formats.spreadsheet.write import headers, line, mark, rows
from feuille.views.csv_out import to_csv
from feuille.views.exports import Exported, ExportOptions

SUFFIX = ".csv"
BINARY = False


def export(published: Published, options: ExportOptions) -> bytes:
    sheet_rows = rows(published, options)
    row_mark = mark(published, sheet_rows)
    return to_csv(headers(published), (line(published, row, row_mark) for row in sheet_rows), options.lang, digits=None)


def export_files(published: Published, options: ExportOptions, locate: Any = None) -> Exported:
    """The actions, the indicators' measurements as a second file when the plan has any, and the totals by funder as a
    third when a budget line names a funder."""

    files: list[tuple[str | None, bytes]] = [(None, export(published, options))]
    kept = None if options.only is None else frozenset(options.only) | {o.id for row in rows(published, options) for o in row.path}
    found = _indicators.rows(published, only=kept)
    if found:
        files.append((SHEET[options.lang]["part"], to_csv(_indicators.headers(options.lang), found, options.lang, digits=None)))
    funded = _funding.rows(published, options.lang, only=kept)
    if funded:  # the totals by funder (formats/spreadsheet/funding_table.py), a third file: plan-financement.csv
        files.append((_funding.WORDS[options.lang]["part"], to_csv(_funding.headers(options.lang), funded, options.lang, digits=None)))
    return Exported(files)
