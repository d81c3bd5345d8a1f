"""A returned sheet into its plan, through the write service (app/write.py) like any other write.

The sheet is read and matched to the plan by the spreadsheet format (formats/spreadsheet/: which cells
changed since the export, which rows are new, deleted or in conflict); this use case turns what it found into
changes by id and new items, and hands them to :func:`feuille.app.write.prepare`: the same invariants as
``feuille update`` (a status « terminée » at 60 % is refused, a moved deadline needs its « Motif du report »
and is kept in ``reschedules``), ``last_reviewed`` set on every action the sheet changes, new actions in
their file's style, the same check on the overlay source.  **All or nothing**: a sheet with a bad row (a
cell that cannot be read, a change refused, a conflict with the plan, an error the changes would add) is
refused whole, and the refusal lists every bad row at once, with its sheet, row, column and action.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from feuille.app.measure import change as measurement
from feuille.app.measure import from_table
from feuille.app.write import ItemChange, Label, Nested, NewItem, Origin, Refusal, Shown, Write, prepare
from feuille.core.diagnostics import Severity
from feuille.core.errors import FINDINGS, UserError
from feuille.core.i18n import Joined, Msg, Number, msg, msgn
from feuille.core.model import BudgetLine, SubAction
from feuille.core.shell import shell_arg
from feuille.formats import IMPORTS, detect, format_named, format_names, importer
from feuille.formats.spreadsheet.build import _ID, Built, build_plan, write_new_plan
from feuille.formats.spreadsheet.columns import BUDGET_TOTALS, HEADERS, canon
from feuille.formats.spreadsheet.measures import MeasureImport, exported_workbook, read_measures, recognised
from feuille.formats.spreadsheet.read import ERROR, ONE_SHEET, ONE_SHEET_HINT, Problem, Sheet, SheetError, parse_map, read_sheet
from feuille.formats.spreadsheet.update import _who, plan_update
from feuille.io.discovery import find_plans
from feuille.io.files import not_a_folder, system_reason
from feuille.io.imports import ImportProblem, write_plan
from feuille.io.links import link_on_the_way
from feuille.io.place import ids_on_branches
from feuille.io.sources import SourceError
from feuille.pipeline import Loaded, load_path


@dataclass(slots=True)
class Returned:
    """What a returned sheet does to its plan: the sheet's reading (``update``) and the write (``write``)."""

    update: Any  # formats.spreadsheet.read.Update: conflicts, deleted and new rows, changes to copy by hand, problems
    write: Write
    refusals: list[Refusal] = field(default_factory=list)  # every bad row: the sheet's errors, the conflicts, the write's refusals

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def returned_sheet(loaded: Any, sheet: Any, problems: list[Any], *, day: dt.date, taken: set[str] | None = None, measures: Any = None) -> Returned:
    """The changes of ``sheet`` (a returned export, or any sheet with ids) into the plan ``loaded``; nothing is written
    (:func:`feuille.app.write.commit` writes ``result.write`` when it is not refused).  ``measures``: the workbook's
    « Indicateurs » sheet as formats/spreadsheet/measures.py read it: its new measurements go in the same write."""

    plan = loaded.plan
    update = plan_update(plan, sheet, problems)
    changes = _changes(plan, update)
    if measures is not None:  # the returned workbook's « Indicateurs » sheet: its new measurements, in the same write

        problems += measures.problems
        by_id = {c.id: c for c in changes}
        for f in measures.added:
            c = measurement(f.placed, f.date, f.value, f.note)
            if c.id in by_id:
                by_id[c.id].nested += c.nested
            else:
                by_id[c.id] = c
                changes.append(c)
    new = []
    used = {a.id for a, _o in plan.actions()} | set(plan.objective_index()) | set(taken or ())
    for n in update.new_actions:
        wanted = n.wanted_id
        if wanted and (not _ID.match(wanted) or len(wanted) > 64 or wanted in used):
            column, header = n.row.cells.get("id", ("", HEADERS[plan.lang]["id"]))
            problems.append(Problem(n.row.sheet, n.row.number, column, header, wanted,
                                    msg("id already taken (in the plan or on a branch of the repository) or unusable: the new action "
                                        "gets the next id of its objective.")))
            wanted = None
        used.add(wanted or "")
        new.append(NewItem("action", n.parent.id, {k: v for k, v in n.data.items() if k != "id"}, id=wanted,
                           origin=Origin(n.row.sheet, n.row.number), next_if_taken=True))
    write = prepare(loaded, changes, new, day=day, by_person=True, taken=taken if new else None)
    for made, n in zip(write.created, update.new_actions, strict=False):  # (none created when the write is refused)
        n.data["id"] = made.id
        update.created_ids.append(made.id)
        for m in update.new_rows:
            if m.kwargs.get("row") == n.row.number:
                m.kwargs["id"] = f"{made.id} "
    update.edits = write.edits
    refusals = [_problem(p) for p in problems if p.level == ERROR]
    refusals += [Refusal(None, m, "", None, "conflict") for m in update.conflicts]
    refusals += write.refusals
    return Returned(update, write, refusals)


def new_plan_errors(directory: Any, day: dt.date) -> list[Any]:
    """The errors of a plan an import has just created: the source's own (a deadline before its start in the file...),
    written as the source gave them and listed, never silently (the write service's rule for a new plan)."""

    return [d for d in load_path(directory, day).diagnostics if d.severity == Severity.error]


def _problem(p: Any) -> Refusal:
    return Refusal(None, p.as_msg(), "", None, "input")


def _changes(plan: Any, update: Any) -> list[ItemChange]:
    """The sheet's changes of each action, as the write service takes them; a budget total goes to the action's only budget
    line (or makes its first one); the totals of an action with several lines are to copy by hand (said, never guessed)."""

    index = {a.id: a for a, _o in plan.actions()}
    subs = {s.id: (a, i, s) for a in index.values() for i, s in enumerate(a.sub_actions)}
    by_action: dict[str, list[Any]] = {}
    for c in update.changes:  # a sub-action's changes go with its action's (its file), each said with its id
        by_action.setdefault(subs[c.action_id][0].id if c.action_id in subs else c.action_id, []).append(c)
    out: list[ItemChange] = []
    for ident, every in by_action.items():
        action = index[ident]
        changes = [c for c in every if c.action_id == ident]
        row = every[0].row
        change = ItemChange(ident, origin=Origin(row.sheet, row.number))
        _sub_changes(change, [c for c in every if c.action_id != ident], subs)
        for c in changes:
            column, header = c.row.cells.get(c.key, ("", c.header))
            change.origins[c.key] = Origin(c.row.sheet, c.row.number, column, header or c.header)
            if c.key not in BUDGET_TOTALS:
                change.values[c.key] = None if c.new == [] else c.new
        reason = row.values.get("reschedule_reason")  # read only with a moved deadline: a sheet imported twice says nothing the second time
        if "planned_end" in change.values and reason is not None and str(reason).strip():
            change.reason = " ".join(str(reason).split())
            column, header = row.cells.get("reschedule_reason", ("", ""))
            change.origins.setdefault("planned_end", Origin(row.sheet, row.number, column, header))
        budget = [c for c in changes if c.key in BUDGET_TOTALS]
        if budget:
            lines = action.budget
            planned = next((c for c in budget if c.key == "budget_planned"), None)
            spent = next((c for c in budget if c.key == "budget_spent"), None)
            where = plan.display_path(plan.origin(action)[0])
            if len(lines) > 1:
                amounts = Joined(msg(", "), [msg("{year}: {amount} €", year=b.year, amount=format(b.amount.normalize(), "f")) for b in lines])
                for c in budget:
                    update.by_hand.append(msg("{action}, {header} (row {row}): '{old}' → '{new}' — the budget has {n} lines ({amounts}) and the sheet "
                                              "only gives their total: copy the change onto the right line in {file}.", action=_who(action),
                                              header=c.header, row=c.row.number, old=canon("money", c.old), new=canon("money", c.new), n=len(lines),
                                              amounts=amounts, file=where))
            elif not lines:
                if any(c.new is not None for c in budget):
                    start = change.values.get("planned_start") or change.values.get("planned_end") or action.planned_start or action.planned_end
                    line: dict[str, Any] = {"amount": planned.new if planned is not None and planned.new is not None else Decimal(0),
                                            "year": start.year if start else dt.date.today().year}
                    if spent is not None and spent.new is not None:
                        line["spent"] = spent.new
                    change.values["budget"] = [line]  # one new line carries both totals
                    change.creates = frozenset({"F704"})  # its eComptes fields (service, type, article) are to complete
                    change.origins["budget"] = change.origins.get("budget_planned") or change.origins["budget_spent"]
            else:
                order = tuple(BudgetLine.model_fields)
                for c, key in ((planned, "amount"), (spent, "spent")):
                    if c is None:
                        continue
                    if c.new is None and key == "amount":
                        update.by_hand.append(msg("{action}, {header} (row {row}): cell emptied — feuille does not remove a budget line from a "
                                                  "sheet; remove it in {file} if that is what you want.", action=_who(action), header=c.header,
                                                  row=c.row.number, file=where))
                        continue
                    old = getattr(lines[0], key)
                    words = msg("{label} {old} → {new}", label=c.header, old=canon("money", old) or "–", new=canon("money", c.new) or "–")
                    change.nested.append(Nested("remove", ("budget", 0), key) if c.new is None else
                                         Nested("set", ("budget", 0), key, c.new, words, order))
        if change.values or change.nested or change.reason:
            out.append(change)
    return out


def _sub_changes(change: ItemChange, changes: list[Any], subs: dict[str, Any]) -> None:
    """A sub-action's changed cells, as changes inside its action (``sub_actions``, at its place), each said with its id."""

    order = tuple(SubAction.model_fields)
    for c in changes:
        _action, i, sub = subs[c.action_id]
        new = None if c.new == [] else c.new
        words = msg("{id}: {label} {old} → {new}", id=c.action_id, label=Label(c.key), old=Shown(c.key, getattr(sub, c.key)), new=Shown(c.key, new))
        change.nested.append(Nested("remove", ("sub_actions", i), c.key, words=words) if new is None else
                             Nested("set", ("sub_actions", i), c.key, new, words, order))


def refusal_lines(result: Returned, lang: str) -> list[str]:
    """Every bad row of a refused sheet, one per line, with where it is (sheet, row, column) and which action."""
    out = []
    for r in result.refusals:
        said = r.message(lang) if isinstance(r.message, Msg) else str(r.message)
        out.append("- " + (msg("{label}: {value}", label=r.origin.describe(), value=said)(lang) if r.origin is not None else said))
    return out


# --- a file of another tool, read: a new plan, or a returned sheet or a table of measurements into a plan ----------------------


def nothing_written(message: str | Msg) -> str | Msg:
    """``message``, ending « Rien n'a été écrit. » / "Nothing was written." unless it says so already
    (read in English, the catalogue's msgid, so that a retranslation cannot make it say it twice)."""
    text = message("en") if isinstance(message, Msg) else message
    if "othing was written" in text or "ien n'a été écrit" in text:
        return message
    return msg("{problem} Nothing was written.", problem=message)


def _refused(message: str | Msg, hint: str | Msg = "", code: int = FINDINGS) -> UserError:
    return UserError(message, hint, code="usage", exit_code=code)


def sources(files: list[Path], fmt: str | None, lang: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The import format of ``files`` (``fmt``, the one ``--format`` names in any language, else recognised) and their
    bytes; a user error for a file that cannot be read or that feuille does not import."""
    if not files:
        raise _refused(msg("no file to import."), msg("Example: feuille import pst.xml my-plan"), 2)
    name = format_named(fmt) if fmt is not None else None  # « tableur » or « spreadsheet », whatever the language
    if fmt is not None and name is None:
        raise _refused(msg("unknown import format '{name}'.", name=fmt), msg("Possible formats: {names}.", names=format_names(lang)), 2)
    found_sources: list[tuple[str, bytes]] = []
    for path in files:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise _refused(msg("the file '{path}' does not exist.", path=str(path)), msg("Check the name and the folder; example: feuille import pst.xml my-plan"), 2) from None
        except IsADirectoryError:
            raise _refused(msg("'{path}' is a folder, not a file to import.", path=str(path)), msg("The folder of the new plan comes last: feuille import pst.xml my-plan"), 2) from None
        except OSError as exc:
            raise _refused(msg("cannot read '{path}': {reason}.", path=str(path), reason=system_reason(exc)), code=2) from None
        found = detect(path, raw[:4096])
        if found is None:  # the suffix alone: the reader then says precisely what is wrong with the content
            by_suffix = [n for n in IMPORTS if path.suffix.lower() in importer(n).SUFFIXES]
            found = by_suffix[0] if len(by_suffix) == 1 else None
        if name is None:
            if found is None:
                raise _refused(msg("'{path}' is not a file feuille can import (formats: {names}).", path=str(path), names=format_names(lang)),
                               msg("An eComptes file is XML that starts with <dataroot>; a spreadsheet, an .xlsx or a .csv (an .ods: save it as .xlsx from LibreOffice)."))
            name = found
        found_sources.append((str(path), raw))
    assert name is not None
    return name, found_sources


def new_plan(name: str, found: list[tuple[str, bytes]], directory: Path) -> tuple[Any, list[str]]:
    """A new plan in ``directory`` from another tool's files (format ``name``): what was read (its notes) and the files
    written; nothing is written through a link, nor when a file cannot be read whole."""
    through = link_on_the_way(directory)  # the new plan's folder: never through a link (io/links.py)
    if through is not None:
        raise _refused(nothing_written(through), msg("Give a folder that does not exist yet."))
    try:
        imported = importer(name).read(found)
        return imported, write_plan(directory, imported)
    except ImportProblem as exc:
        raise _refused(nothing_written(exc.msg), exc.hint_msg) from None


@dataclass(slots=True)
class SheetRead:
    """A spreadsheet read: its rows, the problems found, and the line that says it (« lu : ... en 0,3 s »)."""

    sheet: Sheet
    problems: list[Problem]
    said: Msg
    start: float

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]


def read_spreadsheet(path: Path, map_items: list[str], progress: Callable[[int, int], None] | None = None) -> SheetRead:
    """A spreadsheet of actions, read with the columns ``--map`` names; a user error (exit 1) when it cannot be read."""
    start = time.perf_counter()
    try:
        sheet, problems = read_sheet(path, mapping=parse_map(map_items), progress=progress)
    except SheetError as exc:
        raise _refused(nothing_written(exc.msg), exc.hint_msg) from None
    names = Joined(msg(", "), [msg("'{value}'", value=s) for s in sheet.sheets])
    said = msg("read: {file} — {rows} ({sheets}) in {seconds} s", file=str(path), rows=msgn("{n} action row", "{n} action rows", len(sheet.rows)),
               seconds=Number(time.perf_counter() - start, 1), sheets=msgn("sheet {names}", "sheets {names}", len(sheet.sheets), names=names))
    return SheetRead(sheet, problems, said, start)


def home_plan(path: Path) -> Path | None:
    """The plan of the working folder, for a sheet exported by feuille and given without a folder (None: in no plan)."""
    try:
        return find_plans(None, many=False, command="import")[0]
    except SourceError:
        return None


def built_plan(read: SheetRead, path: Path, lang: str) -> Built:
    """The new plan a sheet makes, written in ``lang`` (named after the file)."""
    return build_plan(read.sheet, read.problems, path.stem.replace("_", " ").replace("-", " ").strip(), lang=lang)


def write_built(directory: Path, built: Built) -> list[str]:
    """The files of a new plan made of a sheet, into a folder that does not exist yet (never through a link)."""
    through = link_on_the_way(directory)  # the new plan's folder: never through a link (io/links.py)
    refused = not_a_folder(directory) or (nothing_written(through) if through is not None else None)
    if refused is not None:
        raise _refused(refused, msg("Give a folder that does not exist yet."), 2)
    try:
        return write_new_plan(directory, built)
    except SheetError as exc:
        raise _refused(exc.msg, exc.hint_msg) from None


def workbook_measures(path: Path, loaded: Loaded, today: dt.date) -> MeasureImport | None:
    """A returned workbook's « Indicateurs » sheet, read against the plan (None when it has none)."""
    raw = path.read_bytes()
    if not recognised(path.name, raw):
        return None
    try:
        return read_measures(path.name, raw, loaded.plan, today)
    except SheetError:
        return None


def measures_plan(path: Path, directory: Path | None) -> Path:
    """The plan a table of measurements goes into: the folder given, else the plan of the working folder (never a new plan)."""
    if directory is not None and (directory / "plan.yaml").exists():
        return directory
    try:
        return find_plans(directory, many=False, command="import")[0]
    except SourceError:
        raise _refused(msg("'{file}' is a table of measurements: they go into an existing plan, and none was found here. Nothing was written.", file=str(path)),
                       msg("Give the plan's folder after the file: feuille import {file} plans/my-town", file=shell_arg(path))) from None


def table_measures(path: Path, loaded: Loaded, today: dt.date) -> tuple[MeasureImport, Write | None]:
    """A table of measurements read against the plan, and the write of its new measurements (None: nothing new)."""
    try:
        found = read_measures(path.name, path.read_bytes(), loaded.plan, today)
    except SheetError as exc:
        raise _refused(nothing_written(exc.msg), exc.hint_msg) from None
    return found, from_table(loaded, found, day=today) if found.added else None


def sheet_into_plan(loaded: Loaded, read: SheetRead, day: dt.date, path: Path | None) -> tuple[Returned, MeasureImport | None]:
    """A returned sheet into its plan (:func:`returned_sheet`), its new rows given ids no branch of the repository uses,
    with the measurements of its workbook's « Indicateurs » sheet (a sheet feuille exported); the measurements read."""
    measures = workbook_measures(path, loaded, day) if path is not None and read.sheet.info.get("revision") else None
    return returned_sheet(loaded, read.sheet, read.problems, day=day, taken=ids_on_branches(loaded.plan.root), measures=measures), measures


def is_measures_table(found: list[tuple[str, bytes]]) -> bool:
    """Whether the one spreadsheet given is a table of measurements (a workbook feuille exported is a returned sheet, its
    « Indicateurs » sheet with it); a spreadsheet is imported on its own."""
    if len(found) != 1:
        raise UserError(ONE_SHEET, ONE_SHEET_HINT, code="usage")
    name, raw = found[0]
    return not exported_workbook(raw) and recognised(name, raw)
