"""A new plan from a sheet: :func:`build_plan` turns the rows into the files of a plan (objectives filled down,
ids given, people and services found), :func:`write_new_plan` checks them against the model and writes them."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from feuille.checks.schema_errors import refusal
from feuille.core.fields import fold
from feuille.core.i18n import Msg, When, msg, msgn, translator
from feuille.core.model import FILE_MODELS, Objective, PlanFile, SubAction, json_schemas
from feuille.formats.spreadsheet.columns import HEADERS, READ_COLUMNS, WORDS
from feuille.formats.spreadsheet.read import ERROR, ONE_SHEET, ONE_SHEET_HINT, Problem, Row, Sheet, SheetError, _text, read_sheet
from feuille.formats.spreadsheet.report import report
from feuille.formats.spreadsheet.tree import apply_hierarchy
from feuille.formats.spreadsheet.values import _AS_READ, _KIND, _PERIODS, LABELLED, Parsed, _as_read, _in_file_order, parse_date, parse_money, parse_row
from feuille.io.files import system_reason, write_atomic
from feuille.io.imports import Imported, ImportProblem, yaml_text
from feuille.io.sources import enclosing_plan

# --- the registry's entry (feuille.formats: « tableur », feuille import of a sheet into a new plan) ---
NAME = "tableur (xlsx, csv)"
SUFFIXES = (".xlsx", ".xlsm", ".csv")



_WHO = ("people", "person", "service")


def _who(reg: Any, kind: str, value: Any) -> Any:
    """A cell naming people, a person or a service, as the registry's ids (each created once, in the sheet's order)."""
    if kind == "people":
        return [reg.person(n, True) for n in value]
    if kind == "person":
        return reg.person(value, False)
    return reg.service(value)

def sniff(head: bytes) -> bool:
    """An xlsx (a zip, or an encrypted OLE file: said precisely by the reader) or a text file."""
    return head.startswith((b"PK", b"\xd0\xcf\x11\xe0")) or b"\x00" not in head


def read(sources: list[tuple[str, bytes]], mapping: dict[str, str] | None = None,
         progress: Callable[[int, int], None] | None = None, as_of: dt.date | None = None, lang: str = "fr") -> Any:
    """The registry's entry (feuille import): one sheet into the files of a new plan (written in ``lang``), notes for the user."""

    if len(sources) != 1:
        raise ImportProblem(ONE_SHEET, ONE_SHEET_HINT)
    name, raw = sources[0]
    try:
        sheet, problems = read_sheet(Path(name), raw, mapping, progress)
    except SheetError as exc:
        raise ImportProblem(exc.msg, exc.hint_msg) from None
    built = build_plan(sheet, problems, Path(name).stem.replace("_", " ").replace("-", " ").strip(), as_of, lang)
    return Imported({rel: _plain(data, dates=True) for rel, data in built.files.items()},
                    [*built.summary, *(p.as_msg() for p in problems), *built.report])


def _slug(text: str, limit: int = 40) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:limit].strip("-") or "x"


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


@dataclass(slots=True)
class Built:
    files: dict[str, dict[str, Any]]  # relative path -> YAML data
    summary: list[Msg]
    problems: list[Problem]
    lang: str = "fr"  # the language the plan is written in (its placeholders, notes and comments)
    actions: int = 0
    objectives: int = 0
    people: int = 0
    services: int = 0
    report: list[Msg] = field(default_factory=list)  # where each column went, what was skipped and why (formats/spreadsheet/report.py)


class _Registry:
    """People and services named in the sheet, each created once (matched by name, accents and case ignored)."""

    def __init__(self) -> None:
        self.people: dict[str, dict[str, Any]] = {}  # folded name -> person
        self.services: dict[str, dict[str, Any]] = {}
        self.ids: set[str] = set()
        self.guessed_first: list[str] = []

    def _unique(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}{n}", n + 1
        self.ids.add(ident)
        return ident

    def person(self, name: str, political: bool) -> str:
        key = fold(name)
        if key in self.people:
            return self.people[key]["id"]
        words = name.split()
        if len(words) >= 2:
            first, last = words[0], " ".join(words[1:])
        else:
            first, last = "?", name
            self.guessed_first.append(name)
        ident = self._unique(_slug(first[:1] + last, 30).replace("-", "") or "personne")
        self.people[key] = {"id": ident, "first_name": first, "last_name": last, "role": "alderman" if political else "head_of_service"}
        return ident

    def service(self, name: str) -> str:
        key = fold(name)
        if key not in self.services:
            self.services[key] = {"id": self._unique(_slug(name, 30)), "name": name[:500]}
        return self.services[key]["id"]


def _sub_action(action: dict[str, Any], p: Parsed, reg: _Registry) -> None:
    """A sub-action's row, under its action: the fields a sub-action has; its id kept when it is not the one it gets by its place."""
    sub: dict[str, Any] = {}
    place = len(action.get("sub_actions", [])) + 1
    if p.values.get("id") and p.values["id"] != f"{action['id']}.{place}" and _ID.match(p.values["id"]):
        sub["id"] = p.values["id"]
    sub["title"] = (p.values.get("title") or "?")[:500]
    for key in SubAction.model_fields:
        value = p.values.get(key)
        if key in sub or value in (None, "", []):
            continue
        kind = _KIND.get(key)
        if kind == "people":
            sub[key] = [reg.person(n, True) for n in value]
        elif kind == "person":
            sub[key] = reg.person(value, False)
        elif key in _AS_READ:
            sub[key] = value
    action.setdefault("sub_actions", []).append(sub)


def build_plan(sheet: Sheet, problems: list[Problem], title: str, as_of: dt.date | None = None, lang: str = "fr") -> Built:
    """The files of a new plan from the rows (objectives from the path columns, people and services registries), written in ``lang``:
    its placeholders (« (sans titre) »), notes and level names where the sheet gives none."""
    as_of = as_of or dt.date.today()
    _ = translator(lang)
    title = title or _("Imported plan")
    if sheet.rows and not sheet.hierarchy and not sheet.info and not sheet.export_count:  # a parent-id column, or numbering (tree.py)
        apply_hierarchy(sheet, problems)
    reg = _Registry()
    levels = [name or _("Level {n}").format(n=n) for n, name in enumerate(sheet.levels, start=1)] or [WORDS[lang]["objective"]]
    depth = max(1, len(sheet.levels))
    tops: list[dict[str, Any]] = []
    by_path: dict[tuple[Any, ...], dict[str, Any]] = {}
    numbers: dict[int, str] = {}  # id(objective) -> its number (1, 1.2)
    used_ids: set[str] = set()
    seen_action_ids: dict[str, int] = {}
    dates: list[dt.date] = []
    count = subs = 0
    built: dict[str, dict[str, Any]] = {}  # the sheet's id of each action built -> its fields (its sub-actions' rows come under it)
    depths: set[int] = set()  # the depths of the objectives holding actions (uneven: settings.actions_at any)
    source_rows: dict[int, Row] = {}  # id(action) -> its row (a sub-action row says again what its action's row said)
    for row in sheet.sections:  # a row naming objectives and giving more (a remark on an axis): that more goes to the objective
        if any(k.startswith("extra:") for k in row.values):
            key = tuple(fold(i or "") or fold(t or "") for i, t in row.levels if i or t)
            sheet.objective_rows.setdefault(key, row)
    for row in sheet.rows:
        p = parse_row(row, sheet, problems, lang)
        of_action = _text(row.values.get("sub_action_of"))
        if of_action and of_action in built:
            _sub_action(built[of_action], p, reg)
            continue
        if of_action:
            column, header = row.cells.get("sub_action_of", ("", HEADERS[lang]["sub_action_of"]))
            problems.append(Problem(row.sheet, row.number, column, header, of_action,
                                    msg("names an action that no row above gives: the row is taken as an action.")))
        path = row.levels if sheet.levels else [(None, None)]
        parent: dict[str, Any] | None = None
        key: tuple[Any, ...] = ()
        for d in range(depth):
            ident, otitle = path[d] if d < len(path) else (None, None)
            if ident is None and otitle is None:
                if d == 0:
                    otitle = _("Actions without an objective") if sheet.levels else _("Imported actions")
                else:
                    break
            key = (*key, fold(ident or "") or fold(otitle or ""))
            obj = by_path.get(key)
            if obj is None:
                siblings = parent["objectives"] if parent is not None else tops
                number = f"{numbers[id(parent)]}.{len(siblings) + 1}" if parent is not None else str(len(tops) + 1)
                oid = ident if ident and _ID.match(ident) and ident not in used_ids and len(ident) <= 64 else f"O{number}"
                if ident and oid != ident:
                    problems.append(Problem(row.sheet, row.number, "", levels[d] if d < len(levels) else "", ident,
                                            msg("is not a usable id (letters, digits, . _ -, unique): the objective gets '{id}'.", id=oid)))
                used_ids.add(oid)
                obj = {"id": oid, "title": (otitle or ident or oid)[:500]}
                if key in sheet.objective_rows:  # the objective's own row: its description, owners... (the rest in its notes)
                    obj.update(_objective_values(sheet.objective_rows[key], sheet, problems, reg, lang, as_of))
                obj |= {"objectives": [], "actions": []}
                numbers[id(obj)] = number
                siblings.append(obj)
                by_path[key] = obj
            parent = obj
        assert parent is not None
        depths.add(len(key))
        sub_title = _text(row.values.get("sub_action_title"))
        sub_values: dict[str, Any] = {}
        if sub_title:  # a sub-action (Territoires en Transitions: « Titre de la sous-action »): under its action, never an action of its own
            host = _host(parent, p.values.get("title"))
            if host is not None:
                host.setdefault("sub_actions", []).append(_titled_sub_action(sub_title, p, row, source_rows.get(id(host)), reg, lang))
                subs += 1
                continue
            sub_values = {k: p.values.pop(k) for k in _SUB_FIELDS if k in p.values}  # the row makes its action, and its first sub-action
            p.values.setdefault("title", p.values.get("title") or sub_title)
        action: dict[str, Any] = {}
        wanted = p.values.get("id")
        number = f"{numbers[id(parent)]}.{len(parent['actions']) + 1}"
        if wanted and wanted in seen_action_ids:
            column, header = row.cells.get("id", ("", HEADERS[lang]["id"]))
            problems.append(Problem(row.sheet, row.number, column, header, wanted,
                                    msg("duplicate id (already row {row}): this action gets a new id; check that it is not a duplicate.",
                                        row=seen_action_ids[wanted]), ERROR))
            wanted = None
        if wanted and (not _ID.match(wanted) or wanted in used_ids or len(wanted) > 64):
            column, header = row.cells.get("id", ("", HEADERS[lang]["id"]))
            problems.append(Problem(row.sheet, row.number, column, header, wanted, msg("is not a usable id (letters, digits, . _ -): the action gets a new id.")))
            wanted = None
        aid = wanted or f"A{number}"
        while aid in used_ids:
            aid += "b"
        used_ids.add(aid)
        seen_action_ids.setdefault(p.values.get("id") or aid, row.number)
        action["id"] = aid
        named = p.values.get("title")  # (not ``title``: the plan's, written below)
        if not named:
            named = _("(untitled)")
            problems.append(Problem(row.sheet, row.number, "", HEADERS[lang]["title"], "", msg("row without an action title: '{title}'; give it a title.", title=named)))
        action["title"] = named[:500]
        if len(named) > 500:
            p.unread.append(_("Full title: {title}").format(title=named))
        for c in READ_COLUMNS:  # people and services, each created once, in the sheet's order
            if c.kind in _WHO and p.values.get(c.key):
                action[c.key] = _who(reg, c.kind, p.values[c.key])
        action.update(_as_read(p))
        dates += [action[k] for k in _PERIODS if action.get(k)]
        planned, spent = p.values.get("budget_planned"), p.values.get("budget_spent")
        if planned is not None or spent is not None:
            year = next((d.year for d in (p.values.get("planned_start"), p.values.get("planned_end")) if d), as_of.year)
            line: dict[str, Any] = {"amount": planned if planned is not None else Decimal(0), "year": year}
            if spent is not None:
                line["spent"] = spent
            action["budget"] = [line]
        notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
        notes += _funders(action, row, problems, as_of, lang)
        if row.values.get("reschedule_reason"):  # (a reason for a deadline moved: a new plan has no deadline before it)
            notes.append(_(LABELLED).format(label=row.cells["reschedule_reason"][1], value=_text(row.values["reschedule_reason"])))
        if p.unread:
            notes.append(_("Taken as is from the sheet: {values}").format(values=_("; ").join(p.unread)))
        if notes:
            action["notes"] = "\n".join(notes)
        if sub_title:
            first = Parsed(row, sub_values)
            action["sub_actions"] = [_titled_sub_action(sub_title, first, row, None, reg, lang)]
            subs += 1
        action = _in_file_order(action)
        source_rows[id(action)] = row
        parent["actions"].append(action)
        built[p.values.get("id") or aid] = action
        count += 1
    if reg.guessed_first:
        problems.append(Problem(sheet.sheets[0] if sheet.sheets else "", 0, "", "", ", ".join(reg.guessed_first[:10]),
                                msgn("person named without a first name: first name '?' in people.yaml, to be completed.",
                                     "people named without a first name: first name '?' in people.yaml, to be completed.", len(reg.guessed_first))))
    start = min(dates, default=dt.date(as_of.year, 1, 1))
    end = max(dates, default=dt.date(as_of.year + 6, 12, 31))
    if end <= start:
        end = dt.date(start.year + 6, 12, 31)
    plan_levels = [*levels[:depth], sheet.action_level or HEADERS[lang]["title"]]
    plan: dict[str, Any] = {"title": title[:500], "organisations": [{"id": "commune", "name": _("Municipality (to be completed)")}],
                            "term": {"start": start, "end": end}, "levels": plan_levels,
                            "notes": _("Imported from a spreadsheet by feuille import on {date}. Organisation, term and people's roles to be checked.").format(
                                date=When(as_of)(lang))}

    if len(depths) > 1:  # axes of uneven depth: an action sits under the objective that holds it, at any level
        plan["settings"] = {"actions_at": "any"}
    locale = WORDS[lang]["locale"]
    if locale != PlanFile.model_fields["locale"].default:
        plan["locale"] = locale  # an English plan says so (feuille then speaks English to it)
    files: dict[str, dict[str, Any]] = {"plan.yaml": plan,
                                        "people.yaml": {"services": list(reg.services.values()), "people": list(reg.people.values())}}
    for i, obj in enumerate(tops, start=1):
        files[f"objectives/{i:02d}-{_slug(obj['title'], 40)}.yaml"] = _clean(obj)
    n_objectives = len(by_path)
    summary = [msg("{actions} in {objectives}; {people} and {services} created in people.yaml.",
                   actions=msgn("{n} action", "{n} actions", count), objectives=msgn("{n} objective", "{n} objectives", n_objectives),
                   people=msgn("{n} person", "{n} people", len(reg.people)), services=msgn("{n} service", "{n} services", len(reg.services)))]
    if subs:
        summary.append(msgn("{n} sub-action under its action.", "{n} sub-actions under their action.", subs))
    return Built(files, summary, problems, lang, count, n_objectives, len(reg.people), len(reg.services), report(sheet))


#: What a sub-action holds of its row (the rest of the row is its action's: said again, or kept in the sub-action's notes).
_SUB_FIELDS = ("political_owners", "admin_owner", "planned_start", "planned_end", "actual_start", "actual_end", "status", "progress", "achieved",
               "remaining", "notes")
#: What a row says that is never a value of its own (its place, the export's marks, the sub-action's title).
_PLACE = ("id", "title", "sub_action_title", "sub_action_of", "parent", "hash", "revision")


def _host(objective: dict[str, Any], title: str | None) -> dict[str, Any] | None:
    """The action a sub-action row belongs to: the one of the same objective with its title (the last such), else, a row that names
    no action, the objective's last action; None: the row makes its action."""
    actions = objective["actions"]
    if title:
        return next((a for a in reversed(actions) if fold(a["title"]) == fold(title)), None)
    return actions[-1] if actions else None


def _titled_sub_action(title: str, p: Parsed, row: Row, host_row: Row | None, reg: _Registry, lang: str) -> dict[str, Any]:
    """A sub-action from its row: its title, owners, dates, status, progress, texts; what else the row says is its action's when the
    action's row says the same, else it is kept in the sub-action's notes with its header."""
    _ = translator(lang)
    sub: dict[str, Any] = {"title": title[:500]}
    for key in _SUB_FIELDS:
        value = p.values.get(key)
        if value in (None, "", []) or key == "notes":
            continue
        if key == "political_owners":
            value = [reg.person(n, True) for n in value]
        elif key == "admin_owner":
            value = reg.person(value, False)
        sub[key] = value
    notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
    for key, value in row.values.items():
        if key in _PLACE:
            continue
        if key in _SUB_FIELDS:
            if key in p.values or key == "notes":
                continue  # (a value it could not read: kept in its notes)
        elif host_row is None or host_row.values.get(key) == value:
            continue  # its action's: from this very row, or said again on it
        header = row.cells.get(key, ("", key))[1]
        shown = When(parse_date(value))(lang) if isinstance(value, (dt.date, dt.datetime)) else _text(value)
        notes.append(_(LABELLED).format(label=header, value=shown))
    if notes:
        sub["notes"] = "\n".join(dict.fromkeys(notes))
    order = list(SubAction.model_fields)
    return {k: sub[k] for k in sorted(sub, key=order.index)}


def _funders(action: dict[str, Any], row: Row, problems: list[Problem], as_of: dt.date, lang: str) -> list[str]:
    """« Financeur 1 » and its « Montant € HT »... into the action's budget line (``funders: [{name, amount}]``; a line made of their sum
    when the sheet gives no budget); a name without an amount is the ``funder`` of the budget the sheet gives when it is the only one,
    else a note (never a line of nothing); the notes returned."""
    _ = translator(lang)
    funders: list[dict[str, Any]] = []
    names: list[str] = []
    notes: list[str] = []
    for n in range(1, 6):
        name, raw = _text(row.values.get(f"funder{n}")), row.values.get(f"funder_amount{n}")
        amount = None
        if raw is not None:
            try:
                amount = parse_money(raw)
            except (ValueError, ArithmeticError):
                column, header = row.cells.get(f"funder_amount{n}", ("", ""))
                problems.append(Problem(row.sheet, row.number, column, header, str(raw),
                                        msg("is not a readable amount: kept as is in the action's notes. Write a number: 12500 or 12,500.50 €.")))
                notes.append(_(LABELLED).format(label=header, value=_text(raw)))
        if name and amount is not None:
            funders.append({"name": name[:500], "amount": amount})
        elif name:
            names.append(name[:500])
        elif amount is not None:
            column, header = row.cells.get(f"funder_amount{n}", ("", ""))
            problems.append(Problem(row.sheet, row.number, column, header, str(raw), msg("an amount without its funder: kept in the action's notes.")))
            notes.append(_(LABELLED).format(label=header, value=_text(raw)))
    lines = action.get("budget", [])
    names_left = names
    if funders:
        if not lines:  # no budget in the sheet: a line of what the funders give
            year = next((d.year for d in (action.get("planned_start"), action.get("planned_end")) if d), as_of.year)
            lines = action["budget"] = [{"amount": sum((f["amount"] for f in funders), Decimal(0)), "year": year}]
        lines[0]["funders"] = funders
    elif lines and len(names) == 1:  # the one funder of the budget the sheet gives, without an amount: the whole line's
        lines[0]["funder"] = names[0]
        names_left = []
    for name in names_left:
        notes.append(_("Funder without an amount: {name}").format(name=name))
    return notes


def _objective_values(row: Row, sheet: Sheet, problems: list[Problem], reg: _Registry, lang: str, as_of: dt.date) -> dict[str, Any]:
    """An objective's own row: the fields an objective has (description, owners, service, dates, tags...), the other values in its notes
    with their header (« Statut : En cours »): nothing the row gave is lost."""
    _ = translator(lang)
    p = parse_row(row, sheet, problems, lang)
    out: dict[str, Any] = {}
    own = set(Objective.model_fields) - {"id", "title", "objectives", "actions", "notes"}
    for c in READ_COLUMNS:
        if c.key not in own or not p.values.get(c.key):
            continue
        if c.kind in _WHO:
            out[c.key] = _who(reg, c.kind, p.values[c.key])
        elif c.kind not in ("money", "computed"):
            out[c.key] = p.values[c.key]
    notes = [*([p.values["notes"]] if p.values.get("notes") else [])]
    if p.values.get("progress") is not None:  # a progress given for the objective itself: declared, used when nothing below has one
        out["progress_declared"] = {"value": p.values["progress"], "date": as_of, "source": _("imported sheet")}
        own.add("progress")
    if p.values.get("budget_planned") is not None:  # its own budget (its actions' are counted with them)
        start = p.values.get("planned_start") or p.values.get("planned_end")
        out["budget"] = [{"amount": p.values["budget_planned"], "year": start.year if start else as_of.year}]
        if p.values.get("budget_spent") is not None:
            out["budget"][0]["spent"] = p.values["budget_spent"]
        own |= {"budget_planned", "budget_spent"}
    for key, value in row.values.items():  # what an objective cannot hold (a status, a progress, a budget...): its notes, as the sheet said it
        if key in own and (key in out or key in ("progress", "budget_planned", "budget_spent")) or key in _PLACE or key == "notes" \
                or key.startswith("extra:"):
            continue
        header = row.cells.get(key, ("", key))[1]
        shown = When(parse_date(value))(lang) if isinstance(value, (dt.date, dt.datetime)) else _text(value)
        notes.append(_(LABELLED).format(label=header, value=shown))
    notes += p.unread
    if notes:
        out["notes"] = "\n".join(dict.fromkeys(notes))
    return out


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in ("objectives", "actions")}
    if obj["objectives"]:
        out["objectives"] = [_clean(o) for o in obj["objectives"]]
    if obj["actions"]:
        out["actions"] = obj["actions"]
    return out


def _plain(value: Any, dates: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v, dates) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, dates) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date) and not dates:
        return value.isoformat()
    return value


_MODELINE = {"plan": "schema/plan.schema.json", "people": "schema/people.schema.json", "objective": "../schema/objective.schema.json"}


def write_new_plan(directory: Path, built: Built) -> list[str]:
    """Check every file against the model, then write the plan into a new (or empty) folder; SheetError otherwise. Nothing half-written."""

    if (directory / "plan.yaml").exists():
        raise SheetError(msg("'{folder}' already holds a plan: to update it, import the spreadsheet into this plan (the changes are shown first).", folder=str(directory)))
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise SheetError(msg("'{folder}' is not an empty folder: the import does not write a new plan there. Nothing was written.", folder=str(directory)),
                         msg("Give a folder that does not exist yet."))
    above = enclosing_plan(directory.resolve().parent)
    if above is not None:
        raise SheetError(msg("'{folder}' would be inside the plan '{plan}'. Nothing was written.", folder=str(directory), plan=str(above)))
    texts: dict[str, str] = {}
    _ = translator(built.lang)
    imported = _("Imported by feuille import.")  # in the plan's language, as its content
    for rel, data in built.files.items():
        kind = "plan" if rel == "plan.yaml" else "people" if rel == "people.yaml" else "objective"
        plain = _plain(data)
        checked = json.loads(json.dumps(plain))
        try:
            FILE_MODELS[kind].model_validate(checked)
        except ValidationError as exc:  # said in lint's words (checks/schema_errors.py), not pydantic's English
            raise SheetError(msg("the spreadsheet gives a value that feuille's format cannot take ({file}: {detail}). Nothing was written.",
                                 file=rel, detail=refusal(exc, FILE_MODELS[kind], checked))) from None
        body = yaml_text(_plain(data, dates=True))  # (a text of several lines: a block « | »)
        texts[rel] = f"# yaml-language-server: $schema={_MODELINE[kind]}\n# {imported}\n{body}"
    for name, schema in json_schemas().items():
        texts[f"schema/{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    staging = Path(tempfile.mkdtemp(prefix=".feuille-import-", dir=directory.resolve().parent if directory.resolve().parent.exists() else None))
    try:
        for rel, text in texts.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text.encode("utf-8"), durable=False)
        if directory.exists():
            directory.rmdir()
        staging.rename(directory)  # the whole plan appears at once
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SheetError(msg("cannot write in '{folder}': {reason}. Nothing was written.", folder=str(directory), reason=system_reason(exc))) from None
    return sorted(texts)
