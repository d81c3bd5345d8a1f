"""The rows the spreadsheet exports (xlsx, csv) share: one per action, with its objective path and its baseline hash,
then one per sub-action of it, right under it (its « Sous-action de » cell names the action)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from feuille.compute.audience import Published
from feuille.core.i18n import N_, When, translator
from feuille.core.model import Action, Objective, SubAction
from feuille.formats.spreadsheet.columns import (
    ACTION_COLUMNS,
    HEADERS,
    NOT_CARRIED,
    STATUS_WORDS,
    WORDS,
    action_values,
    baseline,
    export_mark,
    level_headers,
    sub_action_values,
)
from feuille.views.exports import ExportOptions


@dataclass(slots=True)
class SheetRow:
    path: list[Objective]  # from the top level down to the action's objective
    action: Action
    values: dict[str, Any] = field(default_factory=dict)  # column key -> typed value
    hash: str = ""
    sub: SubAction | None = None  # a sub-action's row (``action`` is its action)


def lang_of(published: Published) -> str:
    """The language of a sheet: the plan's (its words are content: a French plan's sheet keeps its French headers)."""
    return published.plan.lang


def levels_of(published: Published) -> list[str]:
    meta = published.plan.meta
    words = WORDS[lang_of(published)]
    return meta.levels if meta else [words["objective"], HEADERS[lang_of(published)]["title"]]


def revision(published: Published) -> str:
    """The plan revision a sheet was made from: a fingerprint of the bytes of every plan file read."""
    digests = published.plan.digests
    words = WORDS[lang_of(published)]
    h = hashlib.sha256()
    for rel in sorted(digests):
        h.update(rel.encode("utf-8") + b"\0" + digests[rel] + b"\0")
    return words["fingerprint"].format(digest=h.hexdigest()[:12]) if digests else words["unknown_revision"]


def _paths(objectives: list[Objective], above: list[Objective]) -> list[tuple[list[Objective], Action]]:
    out = []
    for obj in objectives:
        here = [*above, obj]
        out.extend((here, a) for a in obj.actions)
        out.extend(_paths(obj.objectives, here))
    return out


def rows(published: Published, options: ExportOptions) -> list[SheetRow]:
    plan = published.plan
    lang = lang_of(published)
    computed = {r.action.id: r.progress for r in published.rollup.actions}
    computed.update((s.sub.id, s.progress) for r in published.rollup.actions for s in r.subs)
    only = options.only
    out = []
    for path, action in _paths(plan.objectives, []):
        if only is not None and action.id not in only:
            continue
        for item, values in ((action, action_values(plan, action, lang)),
                             *((sub, sub_action_values(plan, action, sub, lang)) for sub in action.sub_actions)):
            p = computed.get(item.id)
            values["computed_progress"] = round(p, 1) if p is not None else None
            out.append(SheetRow(path, action, values, baseline(values), item if isinstance(item, SubAction) else None))
    return out


def headers(published: Published) -> list[str]:
    """The actions sheet's headers, in the plan's language: the objective path, the action's columns, the hash, the revision."""
    lang = lang_of(published)
    out = []
    for id_header, title_header in level_headers(levels_of(published), lang):
        out += [id_header, title_header]
    return out + [c.header(lang) for c in ACTION_COLUMNS] + [HEADERS[lang]["hash"], HEADERS[lang]["revision"]]


def mark(published: Published, sheet_rows: list[SheetRow]) -> str:
    """The text of each row's « Révision du plan » cell: the revision, and the number and digest of the ids exported."""
    return export_mark(revision(published), [r.action.id for r in sheet_rows if r.sub is None], lang_of(published))


def line(published: Published, row: SheetRow, rev: str) -> list[Any]:
    """The cells of a row, typed, in :func:`headers` order (``rev``: the :func:`mark` of the export)."""
    levels = levels_of(published)
    cells: list[Any] = []
    for depth in range(len(levels) - 1):
        obj = row.path[depth] if depth < len(row.path) else None
        cells += [obj.id if obj else None, obj.title if obj else None]
    for c in ACTION_COLUMNS:
        v = row.values.get(c.key)
        cells.append("; ".join(x for x in v if x) if isinstance(v, list) else v)
    return cells + [row.hash, rev]


def split_key(published: Published, row: SheetRow, by: str) -> list[str]:
    """The workbooks a row goes to: its service (by its head's name), or each of its owners."""
    plan = published.plan
    words = WORDS[lang_of(published)]
    a = row.action
    if by == "service":
        sid = a.service or (plan.people[a.admin_owner].service if a.admin_owner in plan.people else None)
        return [sid or words["no_service"]]
    owners = [*a.political_owners, *([a.admin_owner] if a.admin_owner else [])]
    return owners or [words["no_owner"]]


NOTES = [  # the notes sheet (« Mode d'emploi »), in the plan's language
    N_("This workbook was made by feuille (feuille export --format xlsx) from the plan's files."),
    N_("One row per action. Change the cells, then hand the file back: feuille import FILE PLAN first shows the changes, then writes them."),
    N_("Do not change the '{id}' column (locked): it finds the action in the plan."),
    N_("A new row without an id creates a new action in the objective of its '{objective}' columns (the id is given at import)."),
    N_("A sub-action has its own row, under its action, whose id is in its '{sub_action_of}' column: its title, owners, dates, status, "
       "progress and texts are read back; its other cells stay empty."),
    N_("A deleted row is reported, never applied: the action stays in the plan (to drop it, set its status to '{cancelled}')."),
    N_("{status} and {health}: choose from the list. Dates: DD/MM/YYYY. Progress: a number from 0 to 100."),
    N_("'{computed}' is computed by feuille: changing it changes nothing. Budgets are totals: they are written for an action with a single "
       "budget line (or none); otherwise the import says to copy them into the action's file."),
    N_("Owners and contributors: their names, separated by ';'. Tags and territories too. A cell emptied removes the value."),
    N_("If the same value was changed here and in the plan since the export, the import reports it as a conflict and overwrites nothing."),
    N_("The hidden '{hash}' column keeps track of the values exported: do not change it."),
]


def notes_lines(published: Published, rev: str, options: ExportOptions) -> list[tuple[str, str]]:
    lang = lang_of(published)
    _, words, head = translator(lang), WORDS[lang], HEADERS[lang]
    fields = {"id": head["id"], "objective": words["objective"], "cancelled": STATUS_WORDS[lang]["cancelled"],
              "status": head["status"], "health": head["health"], "computed": head["computed_progress"].removesuffix(" (%)"),
              "hash": head["hash"].split(" (")[0], "sub_action_of": head["sub_action_of"]}
    meta = published.plan.meta
    out = [(words["plan"], meta.title if meta else ""), (head["revision"], rev), (words["as_of"], When(options.as_of)(lang)),
           (words["audience"], published.audience.value)]
    if options.only is not None:  # the filters as typed name people and services: only the internal version says them
        internal = published.audience.value == "internal"
        out.append((words["filter"], (options.filter_label if internal else "") or words["chosen"]))
    out.append(("", ""))
    out += [(words["notes_sheet"], _(n).format(**fields)) for n in NOTES]
    out.append(("", ""))
    out += [(words["not_carried"], v) for v in NOT_CARRIED[lang].values()]
    return out
