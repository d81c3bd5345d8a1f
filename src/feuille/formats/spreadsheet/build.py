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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from feuille.checks.schema_errors import refusal
from feuille.core.fields import fold
from feuille.core.i18n import Msg, When, msg, msgn, translator
from feuille.core.model import FILE_MODELS, PlanFile, SubAction, json_schemas
from feuille.formats.spreadsheet.columns import HEADERS, READ_COLUMNS, WORDS
from feuille.formats.spreadsheet.read import ERROR, ONE_SHEET, ONE_SHEET_HINT, Problem, Sheet, SheetError, _text, read_sheet
from feuille.formats.spreadsheet.values import _AS_READ, _KIND, _PERIODS, Parsed, _as_read, _in_file_order, parse_row
from feuille.io.files import system_reason, write_atomic
from feuille.io.imports import Imported, ImportProblem
from feuille.io.sources import enclosing_plan

# --- the registry's entry (feuille.formats: « tableur », feuille import of a sheet into a new plan) ---
NAME = "tableur (xlsx, csv)"
SUFFIXES = (".xlsx", ".xlsm", ".csv")


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
    return Imported({rel: _plain(data, dates=True) for rel, data in built.files.items()}, [*built.summary, *(p.as_msg() for p in problems)])


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
    reg = _Registry()
    levels = list(sheet.levels) or [WORDS[lang]["objective"]]
    depth = max(1, len(sheet.levels))
    tops: list[dict[str, Any]] = []
    by_path: dict[tuple[Any, ...], dict[str, Any]] = {}
    numbers: dict[int, str] = {}  # id(objective) -> its number (1, 1.2)
    used_ids: set[str] = set()
    seen_action_ids: dict[str, int] = {}
    dates: list[dt.date] = []
    count = 0
    built: dict[str, dict[str, Any]] = {}  # the sheet's id of each action built -> its fields (its sub-actions' rows come under it)
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
                obj = {"id": oid, "title": (otitle or ident or oid)[:500], "objectives": [], "actions": []}
                numbers[id(obj)] = number
                siblings.append(obj)
                by_path[key] = obj
            parent = obj
        assert parent is not None
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
            if not p.values.get(c.key):
                continue
            if c.kind == "people":
                action[c.key] = [reg.person(n, True) for n in p.values[c.key]]
            elif c.kind == "person":
                action[c.key] = reg.person(p.values[c.key], False)
            elif c.kind == "service":
                action[c.key] = reg.service(p.values[c.key])
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
        if p.unread:
            notes.append(_("Taken as is from the sheet: {values}").format(values=_("; ").join(p.unread)))
        if notes:
            action["notes"] = "\n".join(notes)
        action = _in_file_order(action)
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
    return Built(files, summary, problems, lang, count, n_objectives, len(reg.people), len(reg.services))


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
    import yaml  # noqa: PLC0415 (heavy, loaded when first needed)


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
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: 10,000 actions in 1 s instead of 20
        body = yaml.dump(_plain(data, dates=True), Dumper=dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
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
