"""The hierarchy of a sheet that has no level columns: a column holding the parent row's id (platforms that export
results or projects), or the numbering of its references or titles (« 1. », « 1.2 », « OS.1 », « OO.1.2 », « A.1.2.3 »).

:func:`apply_hierarchy` makes every row a node: a row that another row names as its parent (or whose numbering
others extend) is an **objective**, the others are **actions**.  Each action row gets its path of objectives
(``row.levels``, as the level columns would give it); each objective's own row is kept in ``sheet.objective_rows``
(its description, owners... go to the objective, the rest to its notes: :mod:`.build`).  Numbering is removed from
the titles and kept as the id where there is no id column.  Depths may differ: an action sits under the objective
that holds it, whatever its level.
"""

from __future__ import annotations

from feuille.core.fields import fold
from feuille.core.i18n import msg
from feuille.formats.spreadsheet.read import INFO, Problem, Row, Sheet, _text, numbering

#: A numbering is the sheet's hierarchy when this share of its rows is numbered.
SHARE = 0.6


def apply_hierarchy(sheet: Sheet, problems: list[Problem]) -> None:
    rows = sheet.rows
    if "parent" in sheet.columns:
        parents = _by_parent_column(rows, problems)
        sheet.hierarchy = "parent"
    else:
        found = _by_numbering(rows, sheet)
        if found is None:
            return
        parents = found
        sheet.hierarchy = "numbering"
    by_number = {r.number: r for r in rows}
    has_children = {p for p in parents.values() if p is not None}
    if not has_children:
        return  # a flat list (numbered « 1. », « 2. »): the numbers stay the actions' ids, no objective from them
    paths: dict[int, list[int]] = {}

    def path(number: int) -> list[int]:  # the ancestors of a row, from the top (a loop is cut where it closes)
        if number in paths:
            return paths[number]
        chain, seen, at = [], {number}, parents.get(number)
        while at is not None and at not in seen:
            chain.append(at)
            seen.add(at)
            at = parents.get(at)
        if at is not None:  # a loop: the row is put at the top, said
            row = by_number[number]
            column, header = row.cells.get("parent", ("", ""))
            problems.append(Problem(row.sheet, row.number, column, header, str(row.values.get("parent", "")),
                                    msg("the parents of this row lead back to it (a loop): it is placed at the top of the plan; check the parent ids.")))
            chain = []
        paths[number] = list(reversed(chain))
        return paths[number]

    depth = max(len(path(r.number)) for r in rows if r.number not in has_children) if any(r.number not in has_children for r in rows) else 0
    sheet.levels = [""] * max(1, depth)  # named by build (« Niveau 1 »...), in the plan's language
    actions: list[Row] = []
    for row in rows:
        chain = path(row.number)
        levels = [(_ident(by_number[n]), _title(by_number[n])) for n in chain]
        if row.number in has_children:
            key = tuple(fold(i or "") or fold(t or "") for i, t in [*levels, (_ident(row), _title(row))])
            sheet.objective_rows[key] = row
            continue
        row.levels = levels + [(None, None)] * (len(sheet.levels) - len(levels))
        actions.append(row)
    if not actions:  # every row has children: the deepest rows are then the actions (never an empty plan)
        return
    sheet.rows = actions
    levels_said = {len(path(r.number)) for r in actions}
    if len(levels_said) > 1:
        problems.append(Problem(sheet.sheets[0] if sheet.sheets else "", 0, "", "", "",
                                msg("actions sit at different depths of the hierarchy ({depths} levels of objectives above them): the plan says so "
                                    "(settings: actions_at: any).", depths=", ".join(str(d) for d in sorted(levels_said))), INFO))


def _ident(row: Row) -> str | None:
    return _text(row.values.get("id"))


def _title(row: Row) -> str | None:
    return _text(row.values.get("title"))


def _by_parent_column(rows: list[Row], problems: list[Problem]) -> dict[int, int | None]:
    """Row number -> its parent's row number, from the parent-id column (an id no row has: said, the row at the top)."""
    by_id: dict[str, int] = {}
    for row in rows:
        ident = _ident(row)
        if ident is not None:
            by_id.setdefault(fold(ident), row.number)
    out: dict[int, int | None] = {}
    for row in rows:
        named = _text(row.values.get("parent"))
        if named is None or fold(named) in ("", "0", "null", "none", "aucun", "racine", "root"):
            out[row.number] = None
            continue
        at = by_id.get(fold(named))
        if at is None or at == row.number:
            column, header = row.cells.get("parent", ("", ""))
            problems.append(Problem(row.sheet, row.number, column, header, named,
                                    msg("no row of the sheet has this id: the row is placed at the top of the plan; check its parent's id.")))
        out[row.number] = at if at != row.number else None
    return out


def _by_numbering(rows: list[Row], sheet: Sheet) -> dict[int, int | None] | None:
    """Row number -> its parent's row number from the numbering of the id column (« OO.1.2 »), else of the titles (« 1.2 Vélo »); the
    numbering is taken out of the titles and kept as the id (when the row has none). None when the sheet is not numbered."""
    numbered = {r.number: n for r in rows if (n := numbering(r.values.get("id"))) is not None and not n[2]}
    source = "id"
    if len(numbered) < max(2, SHARE * len(rows)):
        numbered = {r.number: n for r in rows if (n := numbering(r.values.get("title"))) is not None and n[2]}
        source = "title"
        if len(numbered) < max(2, SHARE * len(rows)):
            return None
    for row in rows:
        found = numbered.get(row.number)
        if found is None:
            continue
        ident, _digits, rest = found
        if source == "title":
            row.values["title"] = rest
            if "id" not in row.values:
                row.values["id"] = ident
                row.cells["id"] = row.cells.get("title", ("", ""))
    latest: dict[tuple[int, ...], int] = {}  # digits -> the last row numbered so (a parent is above its children)
    every: dict[tuple[int, ...], int] = {}
    for row in rows:
        if (found := numbered.get(row.number)) is not None:
            latest.setdefault(found[1], row.number)
            every.setdefault(found[1], row.number)
    out: dict[int, int | None] = {}
    latest = {}
    for row in rows:
        found = numbered.get(row.number)
        if found is None:
            out[row.number] = None
            continue
        digits = found[1]
        parent = None
        for cut in range(len(digits) - 1, 0, -1):  # « 1.2.3 »: « 1.2 » above it, else « 1 »
            parent = latest.get(digits[:cut]) or every.get(digits[:cut])
            if parent is not None:
                break
        out[row.number] = parent
        latest[digits] = row.number
    if not any(p is not None for p in out.values()) and not any(len(n[1]) > 1 for n in numbered.values()):
        sheet.hierarchy = ""
    return out

