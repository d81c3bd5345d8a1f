"""The import report of a sheet made into a new plan: where each column went (a field, the notes, the objectives, the
hierarchy), what was skipped and why (a title above the table, a template's row of types, an example, a sheet of
instructions, a column ignored), which cells held HTML.  Every non-empty cell of the source is in one of them
(tests/test_sheet_accounting.py reads every cell and checks it)."""

from __future__ import annotations

from feuille.core.i18n import Msg, msg, msgn
from feuille.formats.spreadsheet.read import LEVEL_KEY, ColumnUse, Sheet

#: Columns read but not imported into a new plan, and why.
_NOT_IMPORTED = {
    "hash": msg("not imported: the fingerprint of a feuille export"),
    "revision": msg("not imported: the revision of a feuille export"),
    "computed_progress": msg("not imported: computed by feuille from the plan"),
}


def destination(use: ColumnUse) -> Msg:
    """Where the values of a column went."""
    key = use.key
    if key in _NOT_IMPORTED:
        return _NOT_IMPORTED[key]
    if key == "ignore":
        return msg("not imported (--map \"{column}=ignore\")", column=use.header)
    if key.startswith("extra:"):
        return msg("the notes of its action or objective (« {header}: … »)", header=use.header)
    if (m := LEVEL_KEY.match(key)) is not None:
        return msg("the objectives (level {n}: title, and id from its numbering)", n=m[1])
    if key == "level":
        return msg("the objectives (id and title)")
    if key == "parent":
        return msg("the hierarchy (the id of the parent row)")
    if key == "budget_planned":
        return msg("budget: amount")
    if key == "budget_spent":
        return msg("budget: spent")
    if key == "sub_action_of":
        return msg("the sub-actions of the action it names (feuille's own sheet)")
    if key == "sub_action_title":
        return msg("the sub-actions of their action (title; the row's owners, dates, status and progress are the sub-action's)")
    if key.startswith("funder_amount"):
        return msg("budget: the funders' amounts (funders)")
    if key.startswith("funder"):
        return msg("budget: the funders (funders, or funder when it has no amount)")
    if key == "reschedule_reason":
        return msg("the notes of its action")
    return msg("the field '{field}'", field=key)


def report(sheet: Sheet) -> list[Msg]:
    """The import report, one line each: the columns, the objectives' own rows, the rows and cells skipped, the HTML converted."""
    out: list[Msg] = []
    for use in sheet.uses:
        if not use.count:
            continue
        out.append(msgn("sheet '{sheet}', column {column} ({header}): {n} value → {where}", "sheet '{sheet}', column {column} ({header}): {n} values → {where}",
                        use.count, sheet=use.sheet, column=use.column, header=use.header, where=destination(use)))
    if sheet.objective_rows:
        rows = sorted(r.number for r in sheet.objective_rows.values())
        out.append(msgn("row {rows}: an objective (its description, owners, dates to the objective; what an objective does not hold, "
                        "such as a status or a progress, to its notes)",
                        "rows {rows}: objectives (their description, owners, dates to the objective; what an objective does not hold, "
                        "such as a status or a progress, to its notes)", len(rows), rows=_ranges(rows)))
    if sheet.hierarchy in ("parent", "numbering"):
        out.append(msg("hierarchy: from the column of parent ids") if sheet.hierarchy == "parent" else
                   msg("hierarchy: from the numbering of the references or titles (removed from the titles, kept as ids)"))
    for name, n in sheet.html.items():
        out.append(msgn("column '{header}': {n} cell in HTML, written as Markdown (a title as plain text)",
                        "column '{header}': {n} cells in HTML, written as Markdown (a title as plain text)", n, header=name))
    ignored = {(u.sheet, u.column) for u in sheet.uses if u.key == "ignore"}
    for s in sheet.skipped:
        if s.column and (s.sheet, s.column) in ignored:
            continue  # (its column's line says it)
        if s.row == 0:
            out.append(msg("skipped: sheet '{sheet}' ('{text}') — {why}", sheet=s.sheet, text=s.text, why=s.why))
        elif s.column:
            out.append(msg("skipped: sheet '{sheet}', row {row}, column {column} ('{text}') — {why}", sheet=s.sheet, row=s.row, column=s.column,
                           text=s.text, why=s.why))
        else:
            out.append(msg("skipped: sheet '{sheet}', row {row} ('{text}') — {why}", sheet=s.sheet, row=s.row, text=s.text, why=s.why))
    return out


def _ranges(numbers: list[int]) -> str:
    """« 4, 5, 8-10 »: row numbers, runs shortened."""
    parts: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(parts)
