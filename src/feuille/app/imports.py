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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from feuille.app.measure import change as measurement
from feuille.app.write import ItemChange, Label, Nested, NewItem, Origin, Refusal, Shown, Write, prepare
from feuille.core.diagnostics import Severity
from feuille.core.i18n import Joined, Msg, msg
from feuille.core.model import BudgetLine, SubAction
from feuille.formats.spreadsheet.build import _ID
from feuille.formats.spreadsheet.columns import BUDGET_TOTALS, HEADERS, canon
from feuille.formats.spreadsheet.read import ERROR, Problem
from feuille.formats.spreadsheet.update import _who, plan_update
from feuille.pipeline import load_path


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
