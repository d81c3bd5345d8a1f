"""The plan as an Excel workbook for a college meeting, ready to be filled in and imported back.

One sheet per level (the objectives of each level, then the actions; the indicators' measurements and the totals
by funder after them), a frozen header
row, column widths, real date and money cells, drop-down lists for status and health,
the id column locked (sheet protection without password, on that column only), a
« Mode d'emploi » sheet, and per action row a hidden column with the hash of the values
it was exported with, and the plan revision.  Text is always written as text: a title
starting with ``=`` never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from feuille.compute.audience import Published
from feuille.core.measures import SHEET
from feuille.core.xmlchars import clean
from feuille.formats.spreadsheet import funding_table as _funding
from feuille.formats.spreadsheet import measures_table as _indicators
from feuille.formats.spreadsheet.columns import ACTION_COLUMNS, HEADERS, INFO_SHEET, SHEET_VERSION, WORDS
from feuille.formats.spreadsheet.write import SheetRow, headers, lang_of, levels_of, line, mark, notes_lines, revision, rows, split_key
from feuille.views.exports import ExportOptions

SUFFIX = ".xlsx"
BINARY = True

_DATE = "DD/MM/YYYY"
_MONEY = '#,##0.00 "€"'
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str], fallback: str = "Sheet") -> str:
    base = _BAD_SHEET_CHARS.sub("-", clean(name)).strip("'") or fallback
    title, n = base[:31], 2
    while title.lower() in taken:
        title = f"{base[:27]} ({n})"
        n += 1
    taken.add(title.lower())
    return title


def export(published: Published, options: ExportOptions) -> bytes:
    return workbook(published, options, rows(published, options))


def export_split(published: Published, options: ExportOptions, by: str) -> list[tuple[str, str, bytes]]:
    """One workbook per service (or per owner): ``[(key, label, bytes)]``, each with the plan revision."""
    plan = published.plan
    groups: dict[str, list[SheetRow]] = {}
    for row in rows(published, options):
        for key in split_key(published, row, by):
            groups.setdefault(key, []).append(row)
    out = []
    for key, group in sorted(groups.items()):
        if by == "service":
            service = plan.services.get(key)
            head = plan.people.get(service.head) if service and service.head else None
            label = f"{service.name if service else key}" + (f" ({head.name})" if head else "")
        else:
            person = plan.people.get(key)
            label = person.name if person else key
        out.append((key, label, workbook(published, options, group, label)))
    return out


def _write(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        cell.value = clean(value)  # a cell cannot hold control characters (F208): they are left out
        cell.data_type = "s"  # never a formula, whatever the first character
    else:
        cell.value = value


def workbook(published: Published, options: ExportOptions, sheet_rows: list[SheetRow], audience_label: str = "") -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 (heavy, loaded when first needed)
    from openpyxl.styles import Alignment, Font, PatternFill, Protection  # noqa: PLC0415 (heavy, loaded when first needed)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (heavy, loaded when first needed)
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415 (heavy, loaded when first needed)

    lang = lang_of(published)
    words, head = WORDS[lang], HEADERS[lang]
    levels = levels_of(published)
    rev = revision(published)
    wb = Workbook()
    taken: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE5F0")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header_row(ws: Any, names: list[str], widths: list[int]) -> None:
        ws.append([clean(name) for name in names])
        for i, (cell, width) in enumerate(zip(ws[1], widths, strict=True), start=1):
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"

    # --- one sheet per objective level
    kept_objectives: dict[int, dict[str, Any]] = {}
    for row in sheet_rows:
        for depth, obj in enumerate(row.path):
            kept_objectives.setdefault(depth, {})[obj.id] = (obj, row.path[depth - 1] if depth else None)
    results: dict[str, Any] = {}
    stack = list(published.rollup.objectives)
    while stack:
        r = stack.pop()
        results[r.objective.id] = r
        stack.extend(r.children)
    first = True
    for depth, name in enumerate(levels[:-1]):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = sheet_title(name, taken, words["sheet"])
        header_row(ws, [words["level_above"], head["id"], words["objective_title"], head["computed_progress"], words["expected"], head["budget_planned"],
                        head["budget_spent"]], [12, 11, 60, 12, 12, 15, 15])
        for n, (obj, parent) in enumerate(kept_objectives.get(depth, {}).values(), start=2):
            r = results.get(obj.id)
            ws.append([parent.id if parent else None, None, None,
                       round(r.progress, 1) if r and r.progress is not None else None,
                       round(r.expected, 1) if r and r.expected is not None else None,
                       r.budget.planned if r else None, r.budget.spent if r and r.budget.spent_known else None])
            _write(ws.cell(n, 2), obj.id)
            _write(ws.cell(n, 3), obj.title)
            for col in (6, 7):
                ws.cell(n, col).number_format = _MONEY
        ws.auto_filter.ref = ws.dimensions

    # --- the actions
    ws = wb.create_sheet() if levels[:-1] else wb.active
    ws.title = sheet_title(levels[-1], taken, words["sheet"])
    names = headers(published)
    n_levels = len(levels) - 1
    widths = [w for _ in range(n_levels) for w in (10, 30)] + [c.width for c in ACTION_COLUMNS] + [20, 22]
    header_row(ws, names, widths)
    kinds = ["level_id", "level"] * n_levels + [c.kind for c in ACTION_COLUMNS] + ["hash", "revision"]
    row_mark = mark(published, sheet_rows)
    for r, row in enumerate(sheet_rows, start=2):  # (ws.max_row scans every cell: never in a loop)
        values = line(published, row, row_mark)
        for i, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            cell = ws.cell(r, i)
            if isinstance(value, Decimal):
                value = float(value) if kind != "money" else value
            _write(cell, value)
            if kind == "date" and isinstance(value, dt.date):
                cell.number_format = _DATE
            elif kind == "money":
                cell.number_format = _MONEY
            elif kind == "text":
                cell.alignment = wrap
    last = max(len(sheet_rows) + 1, 2)
    id_col = 2 * n_levels + 1
    hash_col = len(names) - 1  # the hidden column of each row's value hashes (the revision is the last one)
    # drop-down lists
    for index, choices in ((i, c.choices[lang]) for i, c in enumerate(ACTION_COLUMNS) if c.choices is not None):  # status, health
        col = get_column_letter(id_col + index)
        dv = DataValidation(type="list", formula1='"' + ",".join(choices.values()) + '"', allow_blank=True, showErrorMessage=True,
                            errorTitle=words["unknown_value"], error=words["choose"])
        dv.add(f"{col}2:{col}{last + 500}")
        ws.add_data_validation(dv)
    # the id column locked, everything else open; protection without password
    unlocked = Protection(locked=False)
    for i in range(1, len(names) + 1):
        if i != id_col:
            ws.column_dimensions[get_column_letter(i)].protection = unlocked
            for r in range(2, last + 1):
                ws.cell(r, i).protection = unlocked
    ws.protection.sheet = True
    for option in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter", "insertColumns"):
        setattr(ws.protection, option, False)
    ws.column_dimensions[get_column_letter(hash_col)].hidden = True
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{last}"
    ws.freeze_panes = ws.cell(2, id_col + 2)  # header row and the path, id and title stay in view

    # --- the indicators' measurements: one row each, and an empty row per indicator for the next one (read back by feuille import)

    kept = None if options.only is None else frozenset(options.only) | {o.id for row in sheet_rows for o in row.path}
    found = _indicators.rows(published, blank=True, only=kept)
    if found:
        ind = wb.create_sheet(sheet_title(SHEET[lang]["name"], taken, words["sheet"]))
        header_row(ind, _indicators.headers(lang), [16, 48, 12, 12, 14, 12, 40])
        for r, values in enumerate(found, start=2):
            for i, value in enumerate(values, start=1):
                cell = ind.cell(r, i)
                _write(cell, value)
                if i == 5:
                    cell.number_format = _DATE
        ind.auto_filter.ref = f"A1:G{len(found) + 1}"

    # --- the totals by funder (the plan's, each objective's and action's that names one): to read, never imported back
    funded = _funding.rows(published, lang, only=kept)
    if funded:
        fs = wb.create_sheet(sheet_title(_funding.WORDS[lang]["sheet"], taken, words["sheet"]))
        header_row(fs, _funding.headers(lang), [11, 60, 30, 15, 14])
        for r, values in enumerate(funded, start=2):
            for i, value in enumerate(values, start=1):
                cell = fs.cell(r, i)
                _write(cell, value)
                if i == 4:
                    cell.number_format = _MONEY
        fs.auto_filter.ref = f"A1:E{len(funded) + 1}"

    # --- notes and the hidden information sheet
    notes = wb.create_sheet(words["notes_sheet"])
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 28, 110
    lines = notes_lines(published, rev, options)
    if audience_label:
        lines.insert(1, (words["for"], audience_label))
    for n, (a, b) in enumerate(lines, start=1):
        _write(notes.cell(n, 1), a)
        _write(notes.cell(n, 2), b)
        notes.cell(n, 1).font = bold
        notes.cell(n, 2).alignment = Alignment(wrap_text=True)
    info = wb.create_sheet(INFO_SHEET)
    for key, value in (("version", str(SHEET_VERSION)), ("revision", rev), ("as_of", options.as_of.isoformat()),
                       ("audience", published.audience.value), ("actions_sheet", ws.title), (head["hash"], "hash"), (head["revision"], "revision"),
                       ("lang", lang)):
        info.append([key, value])
    for i, row in enumerate((r for r in sheet_rows if r.sub is None), start=1):  # the actions exported: a row deleted in the sheet is told apart from a filtered one
        info.cell(i, 3).value = row.action.id
        info.cell(i, 3).data_type = "s"
    info.sheet_state = "hidden"
    wb.active = wb.index(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
