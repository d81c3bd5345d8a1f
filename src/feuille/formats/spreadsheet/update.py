"""A returned sheet against the plan it came from: :func:`plan_update` compares each row with the plan (by id; each
cell against the export's baseline hash and against the YAML) and gives what changed, what conflicts, what is
new, what was deleted; the write service (:mod:`feuille.app.imports`) writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from feuille.core.fields import fold
from feuille.core.i18n import Joined, Msg, msg, msgn, plural_translator, translator
from feuille.formats.spreadsheet.columns import (
    COLUMNS_BY_KEY,
    HASHED,
    HEADERS,
    STATUS_WORDS,
    SUB_HASHED,
    WORDS,
    action_values,
    canon,
    ids_digest,
    parse_baseline,
    sub_action_values,
    value_hash,
)
from feuille.formats.spreadsheet.read import CHECK, ERROR, INFO, UNKNOWN_COLUMN, Problem, Row, Sheet, _text
from feuille.formats.spreadsheet.values import _KIND, _PARSED, _PEOPLE, _VALUES, LABELLED, Parsed, _as_read, _in_file_order, parse_row


@dataclass(slots=True)
class Change:
    action_id: str
    key: str  # the sheet's field (a YAML key, or budget_planned / budget_spent)
    old: Any
    new: Any  # the YAML value: ids for people, a list for tags, a Decimal for a budget total
    row: Row
    header: str


@dataclass(slots=True)
class NewAction:
    """A row with no id (or an id the plan does not have and no export hash): a new action in ``parent``."""

    row: Row
    parent: Any  # the Objective
    data: dict[str, Any]  # the action's fields, id allocated in :func:`prepare`
    wanted_id: str | None = None


@dataclass(slots=True)
class Update:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Msg] = field(default_factory=list)
    by_hand: list[Msg] = field(default_factory=list)  # changes the writer cannot make: said, never lost
    deleted: list[Msg] = field(default_factory=list)
    new_rows: list[Msg] = field(default_factory=list)  # what became of each new row (its kwarg ``row``: the row's number)
    new_actions: list[NewAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    baseline: bool = False
    edits: list[Any] = field(default_factory=list)  # FileEdit, once prepared
    created_ids: list[str] = field(default_factory=list)  # ids of the new actions, once prepared

    def diff(self) -> str:
        return "".join(e.diff() for e in self.edits)


def _people_ids(plan: Any, names: list[str]) -> tuple[list[str], list[str]]:
    """The ids of the people named (id, full name, « Nom Prénom », last name, or an initial and the last name), and the names
    no one or several people answer to (never guessed)."""
    index: dict[str, set[str]] = {}
    for p in plan.people.values():
        for form in (p.id, p.name, p.last_name, f"{p.last_name} {p.first_name}", p.short_name):
            index.setdefault(fold(form), set()).add(p.id)
    ids, unknown = [], []
    for n in names:
        found = index.get(fold(n), set())
        if not found and len(words := n.split()) >= 2:  # « Alain Sabbatini » for « A. Sabbatini »
            last, initial = fold(" ".join(words[1:])), fold(words[0])[:1]
            found = {p.id for p in plan.people.values() if fold(p.last_name) == last and fold(p.first_name)[:1] == initial}
        (ids.append(next(iter(found))) if len(found) == 1 else unknown.append(n))
    return ids, unknown


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _who(action: Any) -> Msg:
    return msg("{id} '{title}'", id=action.id, title=_short(action.title))


def plan_update(plan: Any, sheet: Sheet, problems: list[Problem]) -> Update:
    """What a returned sheet changes in ``plan`` (matched by id), what conflicts, what is new, what was deleted."""

    up = Update(problems=problems)
    sheet.people = frozenset(fold(form) for p in plan.people.values() for form in (p.id, p.name, f"{p.last_name} {p.first_name}", p.short_name))
    lang = sheet.lang or plan.lang  # the words of the sheet (a status: « En cours », « Ongoing »), as it was exported
    index = {a.id: a for a, _o in plan.actions()}
    subs = {s.id: (a, s) for a in index.values() for s in a.sub_actions}  # a sub-action's row: its own id, under its action
    for p in problems:  # into an existing plan, an unknown column's values are not kept in an existing action's notes: say so
        if p.kind == UNKNOWN_COLUMN:
            filled = sum(1 for r in sheet.rows if f"extra:{' '.join(p.header.split())}" in r.values and _text(r.values.get("id")) in index)
            p.msg = msgn("column not recognised: its {n} value on an existing action is not taken (only a new row keeps it in its notes). "
                         "To take the column: --map \"{column}=field\" (achieved, remaining, description...); to silence it: --map \"...=ignore\".",
                         "column not recognised: its {n} values on existing actions are not taken (only a new row keeps them in its notes). "
                         "To take the column: --map \"{column}=field\" (achieved, remaining, description...); to silence it: --map \"...=ignore\".",
                         filled, column=" ".join(p.header.split()))
            p.level = CHECK if filled else INFO
    seen: dict[str, int] = {}
    dup: set[str] = set()
    for row in sheet.rows:
        ident = _text(row.values.get("id"))
        if ident:
            if ident in seen:
                dup.add(ident)
                column, header = row.cells["id"]
                what = msg(" ({action})", action=_who(index[ident])) if ident in index else ""
                problems.append(Problem(row.sheet, row.number, column, header, ident,
                                        msg("duplicate id{action}, already row {row}: neither row is applied. Keep one row per action "
                                            "(a new action goes on a row without an id).", action=what, row=seen[ident]), ERROR))
            seen.setdefault(ident, row.number)
    for row in sheet.rows:
        ident = _text(row.values.get("id"))
        base = parse_baseline(row.values.get("hash"))
        parent = _text(row.values.get("sub_action_of"))
        if not ident and parent:  # a new sub-action: not created from a sheet (said, never lost)
            title = _text(row.values.get("title")) or ""
            up.by_hand.append(msg("row {row}: a new sub-action of {action}, '{title}': a sheet does not create sub-actions; add it in the action's "
                                  "file ({file}, under 'sub_actions'), then export again.", row=row.number, action=parent, title=_short(title),
                                  file=plan.display_path(plan.origin(index[parent])[0]) if parent in index else "?"))
            continue
        if not ident or (ident not in index and ident not in subs and ident not in dup and base is None):
            _new_row(plan, sheet, row, ident, up, lang)
            continue
        if ident in dup:
            continue
        action = index.get(ident)
        home, sub = subs.get(ident, (action, None))
        if action is None and sub is not None:
            action = sub  # compared field by field like an action, on the fields a sub-action has; written in its action's file
        if action is None:
            column, header = row.cells["id"]
            title = _text(row.values.get("title")) or ""
            problems.append(Problem(row.sheet, row.number, column, header, ident,
                                    msg("the action '{title}' was exported with this id, but the plan no longer has it (removed or renamed since the "
                                        "export): row not applied. To create it again, empty its '{id}' cell and import again.", title=title, id=header), ERROR))
            continue
        up.baseline = up.baseline or base is not None
        current = action_values(plan, action, lang) if sub is None else sub_action_values(plan, home, sub, lang)
        p = parse_row(row, sheet, problems, plan.lang, current)  # a cell it cannot read is not applied (said so), never put in the notes
        for key in HASHED if sub is None else SUB_HASHED:
            if key == "id":
                continue
            column, header = row.cells.get(key) or sheet.columns.get(key) or ("", COLUMNS_BY_KEY[key].header(lang))
            if key not in row.cells and key not in ("title",):
                if base is None:
                    continue  # an empty cell with no export baseline to compare with: nothing to say
                if base[key] == value_hash(COLUMNS_BY_KEY[key].kind, None) or key not in sheet.columns:
                    continue  # empty when exported, or a column the sheet does not have
            kind = COLUMNS_BY_KEY[key].kind
            cell = _sheet_value(key, p, row, lang)
            if cell is _UNREAD:
                continue  # already reported, never written
            cell_text, yaml_text = canon(kind, cell), canon(kind, current.get(key))
            if cell_text == yaml_text:
                continue
            if base is not None:
                changed_in_sheet = value_hash(kind, cell) != base[key]
                changed_in_yaml = value_hash(kind, current.get(key)) != base[key]
                if not changed_in_sheet:
                    continue  # the plan moved on since the export; the sheet did not touch this cell
                if changed_in_yaml:
                    up.conflicts.append(msg("{action}, {header} (sheet '{sheet}', row {row}, column {column}): the sheet says '{cell}', the plan "
                                            "says '{value}' since the export; nothing is overwritten: choose, then correct the file ({file}) or the "
                                            "cell and import again.", action=_who(action), header=header, sheet=row.sheet, row=row.number,
                                            column=column, cell=cell_text, value=yaml_text, file=plan.display_path(plan.origin(home)[0])))
                    continue
            new = _yaml_value(key, cell, plan, lang)
            if key == "title" and (new is None or len(str(new)) > 500):
                problems.append(Problem(row.sheet, row.number, column, header, cell_text[:80],
                                        msg("{action}: the title cannot be empty: not applied. Put a title back (the description may be long) and "
                                            "import again.", action=_who(action)) if new is None else
                                        msg("{action}: a title has 500 characters at most: not applied. Put a title back (the description may be "
                                            "long) and import again.", action=_who(action)), ERROR))
                continue
            if new is _UNREAD:
                up.by_hand.append(msg("{action}, {header} (row {row}): '{cell}' is not a service of the plan; add it in people.yaml (services), "
                                      "or choose a known service, then import again.", action=_who(action), header=header, row=row.number, cell=cell_text)
                                  if _KIND.get(key) == "service" else
                                  msg("{action}, {header} (row {row}): '{cell}' is not a person of the plan; add them in people.yaml, or choose a "
                                      "known name, then import again.", action=_who(action), header=header, row=row.number, cell=cell_text))
                continue
            if _KIND.get(key) in ("people", "person", "service") and new == getattr(action, key):
                continue  # the same people (or service), named another way
            up.changes.append(Change(ident, key, current.get(key), new, row, header))
    if sheet.exported_ids:
        gone = [i for i in sheet.exported_ids if i not in seen and i in index]
        up.deleted = [_deleted(plan, index[i], lang) for i in gone]
    elif sheet.export_count:
        _deleted_from_count(plan, sheet, seen, index, up, lang)
    return up


def _deleted(plan: Any, action: Any, lang: str) -> Msg:
    where = plan.display_path(plan.origin(action)[0])
    return msg("{action}: row deleted from the sheet; the action stays in the plan. To drop it, set its status to '{cancelled}'; to remove it, "
               "delete it in {file}.", action=_who(action), cancelled=STATUS_WORDS[lang]["cancelled"], file=where)


def _deleted_from_count(plan: Any, sheet: Sheet, seen: dict[str, int], index: dict[str, Any], up: Update, lang: str) -> None:
    """A CSV has no list of the ids exported, only their number and a digest of the list in each row: enough to notice, and usually to name."""

    present = [i for i in seen if i in index]
    missing = sheet.export_count - len([i for i in present if i in sheet.marked_ids])
    if missing <= 0:
        return
    candidates = [i for i in index if i not in seen]
    marked = [i for i in sheet.marked_ids if i in index]  # the actions' rows (a sub-action's row is not counted in the mark)
    if ids_digest([*marked, *candidates]) == sheet.export_digest:
        up.deleted = [_deleted(plan, index[i], lang) for i in candidates]
        return
    shown = Joined(msg(", "), [_who(index[i]) for i in candidates[:10]])
    more = " ..." if len(candidates) > 10 else ""
    up.deleted = [msgn("{n} exported row is no longer in the sheet (the export had {exported}); the action stays in the plan. The export "
                       "was filtered or the plan has changed since: feuille cannot say which; among: {actions}{more}.",
                       "{n} exported rows are no longer in the sheet (the export had {exported}); the actions stay in the plan. The export "
                       "was filtered or the plan has changed since: feuille cannot say which; among: {actions}{more}.", missing,
                       exported=sheet.export_count, actions=shown, more=more) if candidates else
                  msgn("{n} exported row is no longer in the sheet (the export had {exported}); the action stays in the plan. The export "
                       "was filtered or the plan has changed since: feuille cannot say which.",
                       "{n} exported rows are no longer in the sheet (the export had {exported}); the actions stay in the plan. The export "
                       "was filtered or the plan has changed since: feuille cannot say which.", missing, exported=sheet.export_count)]


def _new_row(plan: Any, sheet: Sheet, row: Row, ident: str | None, up: Update, lang: str) -> None:
    """A row without id (or with an id the plan has never had): a new action in the objective its path columns name."""
    content = plan.lang  # what is written into the plan (notes), in the plan's language
    _ = translator(content)
    p = parse_row(row, sheet, up.problems, content)
    title = p.values.get("title")
    if not title:
        header = sheet.columns.get("title", ("", HEADERS[lang]["title"]))[1]
        up.problems.append(Problem(row.sheet, row.number, "", header, "", msg("new row without an action title: not created. Write the title "
                                                                              "in the '{column}' column, or empty the row.", column=header), ERROR))
        return
    parent, why = _parent_of(plan, row, sheet)
    if parent is None:
        up.problems.append(Problem(row.sheet, row.number, "", "", title, msg("new action not created: {why}", why=why), ERROR))
        return
    data, unread = _new_action_data(plan, p, row, up.problems, content)
    notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
    if p.unread or unread:
        notes.append(_("Taken as is from the sheet: {values}").format(values=_("; ").join([*p.unread, *unread])))
    if notes:
        data["notes"] = "\n".join(notes)
    up.new_actions.append(NewAction(row, parent, data, ident))
    up.new_rows.append(msg("row {row} {id}'{title}': new action in {parent} '{parent_title}'", row=row.number, id="", title=title,
                           parent=parent.id, parent_title=_short(parent.title)))


def _parent_of(plan: Any, row: Row, sheet: Sheet) -> tuple[Any, Msg | str]:
    """The objective a new row's path names: the deepest level given, by id, else by title."""
    objectives = plan.objective_index()
    levels = [(i, t) for i, t in row.levels if i or t]
    if not levels:
        return None, msg("no objective is given on the row nor above it. Fill in the objective's columns ({levels}) with the id of an "
                         "objective of the plan (for example {example}).", levels=", ".join(sheet.levels) or WORDS[plan.lang]["objective"],
                         example=next(iter(objectives), "O1"))
    ident, title = levels[-1]
    if ident and ident in objectives:
        return objectives[ident], ""
    if title:
        same = [o for o in objectives.values() if fold(o.title) == fold(title)]
        if len(same) == 1:
            return same[0], ""
    return None, msg("the objective '{objective}' is not in the plan. Give the id of an existing objective, or first create the objective "
                     "(feuille new objective), then import again.", objective=ident or title)


def _new_action_data(plan: Any, p: Parsed, row: Row, problems: list[Problem], lang: str = "fr") -> tuple[dict[str, Any], list[str]]:
    """The fields of a new action from its row; names the plan does not know are kept (as text, in ``lang``) for its notes."""
    _ = translator(lang)
    data: dict[str, Any] = {"id": None, "title": p.values["title"][:500]}
    unread: list[str] = [_("Full title: {title}").format(title=p.values["title"])] if len(p.values["title"]) > 500 else []

    def unknown(key: str, names: list[str], what: str) -> None:
        column, header = row.cells.get(key, ("", key))
        problems.append(Problem(row.sheet, row.number, column, header, ", ".join(names), _UNKNOWN[what]))
        unread.append(_(LABELLED).format(label=header, value=", ".join(names)))

    for key in _PEOPLE:
        if p.values.get(key):
            ids, missing = _people_ids(plan, p.values[key])
            if ids:
                data[key] = list(dict.fromkeys(ids))
            if missing:
                unknown(key, missing, "person")
    if p.values.get("admin_owner"):
        ids, missing = _people_ids(plan, [p.values["admin_owner"]])
        if ids:
            data["admin_owner"] = ids[0]
        else:
            unknown("admin_owner", missing, "person")
    if p.values.get("service"):
        sid = _yaml_value("service", p.values["service"], plan, lang)
        if sid is _UNREAD:
            unknown("service", [p.values["service"]], "service")
        else:
            data["service"] = sid
    data.update(_as_read(p))
    data["status"] = p.values.get("status") or "not_started"
    planned, spent = p.values.get("budget_planned"), p.values.get("budget_spent")
    if planned is not None or spent is not None:
        year = next((d.year for d in (p.values.get("planned_start"), p.values.get("planned_end")) if d), dt.date.today().year)
        line: dict[str, Any] = {"amount": planned if planned is not None else Decimal(0), "year": year}
        if spent is not None:
            line["spent"] = spent
        data["budget"] = [line]
    return _in_file_order(data), unread


_UNKNOWN = {"person": msg("person unknown to the plan: kept in the new action's notes; add them in people.yaml, then copy them into the action "
                           "(feuille update)."),
            "service": msg("service unknown to the plan: kept in the new action's notes; add it in people.yaml, then copy it into the action "
                           "(feuille update).")}


class _Unread:
    pass


_UNREAD = _Unread()


def _sheet_value(key: str, p: Parsed, row: Row, lang: str) -> Any:
    """The cell in the sheet's terms, its words in ``lang`` (what :func:`feuille.formats.spreadsheet.columns.action_values` gives for the YAML)."""
    if key in row.values and key in _PARSED and key not in p.values:
        return _UNREAD
    if key in _VALUES:
        return _VALUES[key].sheet[lang][p.values[key]] if key in p.values else None
    if _KIND.get(key) in ("people", "list"):
        return p.values.get(key) or []
    return p.values.get(key)


def _yaml_value(key: str, cell: Any, plan: Any, lang: str) -> Any:
    if cell in (None, "", []):
        return None
    if key in _VALUES:
        return next(k for k, w in _VALUES[key].sheet[lang].items() if w == cell)
    kind = _KIND.get(key)
    if kind == "person":
        ids, unknown = _people_ids(plan, [cell])
        return ids[0] if ids else _UNREAD
    if kind == "people":
        ids, unknown = _people_ids(plan, list(cell))
        return _UNREAD if unknown else list(dict.fromkeys(ids))
    if kind == "service":
        for s in plan.services.values():
            if fold(s.name) == fold(cell) or s.id == cell:
                return s.id
        return _UNREAD
    return cell


def summary_lines(update: Update, lang: str = "fr") -> list[str]:
    """What an update will write, and what it will not (conflicts, changes to copy by hand, deleted and new rows), in ``lang``."""
    _ = translator(lang)
    n_ = plural_translator(lang)
    changes, new, files = len(update.changes), len(update.created_ids), len(update.edits)
    out = [_("{changes} and {new} to write in {files}.").format(changes=n_("{n} change", "{n} changes", changes).format(n=changes),
                                                              new=n_("{n} new action", "{n} new actions", new).format(n=new),
                                                              files=n_("{n} file", "{n} files", files).format(n=files))]
    if not update.baseline:
        out.append(_("This sheet has no export fingerprint (hidden '{column}' column): every cell that differs from the plan is taken as a "
                     "change, without detecting conflicts.").format(column=HEADERS[lang]["hash"].split(" (")[0]))
    for title, items in ((_("Conflicts (nothing is overwritten): {n}"), update.conflicts), (_("To copy by hand: {n}"), update.by_hand),
                         (_("Deleted rows (never applied: the action stays in the plan): {n}"), update.deleted), (_("New rows: {n}"), update.new_rows)):
        if items:
            out.append(title.format(n=len(items)))
            out += [f"  - {i(lang)}" for i in items]
    return out
