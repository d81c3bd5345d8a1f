"""The spreadsheet of a plan: its columns, the words of its drop-down lists, and the baseline hash.

Shared by the exports (``write.py``, ``xlsx.py``, ``csv_file.py``) and the import (``read.py``, ``values.py``,
``update.py``) so that what is written is exactly what is read back.  A field's
column (its header in both languages, its place, its width, the other headers people give it) is
declared with the field in core/model.py (the field registry, :mod:`feuille.core.fields`); only the
computed columns (the computed progress, the budget totals) are declared here.

Each exported action row carries, in a hidden column, a short hash of each editable value
as it was exported (:func:`baseline`).  On import, a cell whose value no longer matches its
hash was changed in the sheet; a YAML value that no longer matches it was changed in the plan
since the export; both at once, to different values, is a conflict.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from feuille.core.fields import of, words_of
from feuille.core.i18n import LANGS, NC_, Words, translator
from feuille.core.model import Action, Health, Status, SubAction

SHEET_VERSION = 1
INFO_SHEET = "_feuille"  # hidden sheet: revision, version, date, language


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the action's field (or a computed figure)
    label: str | None  # the header, a catalogue key (msgctxt "sheet": a sheet is content, in the plan's language); None: read, never written
    kind: str  # text | people | person | service | date | status | health | percent | money | list | computed (or an enum field's name)
    width: int = 14
    editable: bool = True  # read back on import into an existing plan
    at: int = 0  # its place among the columns
    end: bool = False  # a date that ends a period (« 12/2025 » is read as the 31st)
    words: tuple[str, ...] = ()  # the other headers people give it, in any language

    def header(self, lang: str = "fr") -> str:
        return HEADERS[lang][self.key]

    @property
    def choices(self) -> Words | None:
        """The words of a drop-down list (a status: « En cours »...), when the field's values have sheet words."""
        field = of(Action).get(self.key)
        words = field.words if field is not None else None
        return words.sheet if words is not None and words.sheet.keys else None


#: The columns that are no field of their own: figures feuille writes (the computed progress), totals of a list (the budget
#: lines), and why a deadline moves (empty when exported; a person fills it in beside a new « Fin prévue », and the import
#: keeps it in the action's reschedules: app/imports.py — never compared with the export, never written as a field).
COMPUTED: tuple[Column, ...] = (
    Column("reschedule_reason", NC_("sheet", "Reason for a moved deadline"), "text", 24, editable=False, at=85, words=(
        "Motif du report", "Raison du report", "Motif du glissement", "Raison du glissement", "Reason for the delay", "Reason for delay")),
    # a sub-action's row (under its action) names its action here; an action's row leaves it empty (docs/tableur.md)
    Column("sub_action_of", NC_("sheet", "Sub-action of"), "text", 11, editable=False, at=235, words=(
        "Sous-action de", "Action parente", "Parent action", "Sub-action of")),
    Column("computed_progress", NC_("sheet", "Computed progress (%)"), "computed", 11, editable=False, at=130, words=(
        "Avancement calculé", "Computed progress")),
    Column("budget_planned", NC_("sheet", "Planned budget (€)"), "money", 14, at=180, words=(
        "Budget", "Budget prévu", "Budget prévisionnel", "Budget prévisionnel total € HT", "Montant", "Coût", "Coût estimé", "Budget total",
        "Planned budget", "Budget (€)", "Estimated cost", "Cost", "Amount", "Total budget")),
    Column("budget_spent", NC_("sheet", "Committed budget (€)"), "money", 14, at=190, words=(
        "Budget engagé", "Engagé", "Dépensé", "Montant engagé", "Dépenses", "Budget dépensé",
        "Committed budget", "Spent", "Committed", "Expenditure", "Amount spent")),
)


def _kind(field: object) -> str:
    kind = field.kind  # type: ignore[attr-defined]
    if kind in ("line", "text", "id"):
        return "text"
    if kind == "enum":
        return field.name  # type: ignore[attr-defined]  # status, health: the words of its drop-down list
    return kind


def _read_columns() -> tuple[Column, ...]:
    """Every column of the actions sheet, the fields' (from the field registry) and the computed ones, in their order."""
    out = list(COMPUTED)
    for f in of(Action):
        col = f.meta.sheet
        if col is not None:
            out.append(Column(f.name, col.header, _kind(f), col.width, editable=f.kind != "id", at=col.at or 0, end=col.end, words=col.words))
    return tuple(sorted(out, key=lambda c: c.at))


#: Every column an import reads (those with no header are read, never written: a volet, notes, partners).
READ_COLUMNS = _read_columns()
#: The columns of the actions sheet, in their order (after the objective path; before the hash and the revision).
ACTION_COLUMNS: tuple[Column, ...] = tuple(c for c in READ_COLUMNS if c.label is not None)
ID = ACTION_COLUMNS[0]
COLUMNS_BY_KEY = {c.key: c for c in ACTION_COLUMNS}
HASHED = tuple(c.key for c in ACTION_COLUMNS if c.editable)  # fixed order: columns may move in the sheet
#: The editable columns a sub-action's row carries (the fields a sub-action has); its other cells stay empty.
SUB_HASHED = tuple(k for k in HASHED if k in SubAction.model_fields)
# Budget totals: one number for a list of budget lines; an import writes them back only to an action with one line (or none).
BUDGET_TOTALS = ("budget_planned", "budget_spent")

# Every header of the actions sheet, by language: HEADERS["fr"]["planned_start"] == "Début prévu"; "hash" and "revision" are
# the last two columns (the hidden hash of the exported values, the plan revision with the rows exported).
HEADERS = Words({**{c.key: c.label for c in ACTION_COLUMNS}, "hash": NC_("sheet", "Fingerprint (do not change)"),
                 "revision": NC_("sheet", "Plan revision")})
# The words of the drop-down lists (a French sheet: « Non commencé »...), by language.
STATUS_WORDS = words_of(Status).sheet  # (the field registry's, core/model.py)
HEALTH_WORDS = words_of(Health).sheet
# The other words of a workbook: its sheets, the objective sheets' headers, the notes sheet's labels.
WORDS = Words({
    "notes_sheet": NC_("sheet", "How to use"),
    "sheet": NC_("sheet", "Sheet"),
    "level_above": NC_("sheet", "Level above (no.)"),
    "objective_title": NC_("sheet", "Title"),
    "expected": NC_("sheet", "Expected (%)"),
    "plan": NC_("sheet", "Plan"),
    "as_of": NC_("sheet", "Reference date"),
    "audience": NC_("sheet", "Audience"),
    "for": NC_("sheet", "For"),
    "filter": NC_("sheet", "Filter"),
    "chosen": NC_("sheet", "chosen actions"),
    "not_carried": NC_("sheet", "Not carried in this workbook"),
    "unknown_value": NC_("sheet", "Unknown value"),
    "choose": NC_("sheet", "Choose a value from the list."),
    "objective": NC_("sheet", "Objective"),
    "no_service": NC_("sheet", "no-service"),
    "no_owner": NC_("sheet", "no-owner"),
    "fingerprint": NC_("sheet", "fingerprint {digest}"),
    "unknown_revision": NC_("sheet", "unknown revision"),
    "mark": NC_("sheet", "{revision} · {n} rows · list {digest}"),
    "level_id": NC_("sheet", "{level} (no.)"),
    "locale": NC_("plan locale", "en-GB"),  # the locale of a plan made from a sheet in this language
})

class _NotCarried(Words):
    """The lines below, then one naming the action's other fields the sheet does not carry, if any (a field added to the
    model without a column: its label and key, read from the field registry)."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        lines = dict(super().__getitem__(lang))
        said = " ".join(key.rpartition("\x04")[2] for key in self.keys.values())  # (the keys they name, in the English msgids)
        carried = {c.key for c in ACTION_COLUMNS}
        others = [f for f in of(Action) if f.name not in carried and not re.search(rf"\b{f.name}\b", said)]
        if others:

            _ = translator(lang)
            lines["others"] = _("other fields, kept in the files: {fields}").format(fields=", ".join(f"{f.label(lang)} ({f.name})" for f in others))
        return lines


# Fields of the model the sheet does not carry (listed in the notes sheet; the round-trip test checks the list).
NOT_CARRIED = _NotCarried({
    "plan": NC_("sheet", "plan settings (term, levels, scale, rules, visibility): they stay in plan.yaml"),
    "people": NC_("sheet", "people and services: only their name (id, role, title, e-mail, phone stay in people.yaml)"),
    "objectives": NC_("sheet", "objectives: id and title (the objective's description, owners, dates... stay in its file)"),
    "budget": NC_("sheet", "budget lines: only the planned and committed totals (budget: year, source, article, note of each line stay in the file)"),
    "indicators": NC_("sheet", "indicators and their targets (indicators, linked_indicators): their measurements are in the sheet « Indicators », "
                               "where a new one is typed on the empty row of its indicator"),
    "serves": NC_("sheet", "objectives served and split of the budget (serves)"),
    "scores": NC_("sheet", "stake, urgency, return, priority, gain, weight (stake, urgency, roi, priority, gain, gain_score, weight)"),
    "other": NC_("sheet", "strand, SDGs, partners, internal notes, visibility (volet, sdgs, partners, notes, visibility)"),
    "ecomptes": NC_("sheet", "organisation, full-time equivalents, other plans (organisation, fte, plans)"),
    "history": NC_("sheet", "deadline shifts already recorded (reschedules): they stay in the action's file"),
    "tracked": NC_("sheet", "aims, means, citizen participation, governance bodies, lead structure, priority level (aims, means, participation, "
                            "governance, lead_structure, priority_level)"),
    "sub_actions": NC_("sheet", "the notes and visibility of the sub-actions (sub_actions): they stay in the action's file (each sub-action has its row, under its action)"),
})


def canon(kind: str, value: Any) -> str:
    """The text a value is hashed and compared as (same for the YAML side and the cell side)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v).strip() for v in value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind in ("percent", "money"):
        d = Decimal(str(value)).normalize()
        return format(d, "f")
    return " ".join(str(value).split())


def value_hash(kind: str, value: Any) -> str:
    return hashlib.sha256(canon(kind, value).encode("utf-8")).hexdigest()[:6]


def baseline(values: dict[str, Any]) -> str:
    """The hidden column's text: the version, then a 6-hex hash per editable field, in :data:`HASHED` order."""
    return f"{SHEET_VERSION}:" + "".join(value_hash(COLUMNS_BY_KEY[k].kind, values.get(k)) for k in HASHED)


def parse_baseline(text: Any) -> dict[str, str] | None:
    """Field -> hash, or None when the text is not a baseline this version wrote."""
    if not isinstance(text, str) or not text.startswith(f"{SHEET_VERSION}:"):
        return None
    body = text.split(":", 1)[1].strip()
    if len(body) != 6 * len(HASHED):
        return None
    return {k: body[i * 6 : i * 6 + 6] for i, k in enumerate(HASHED)}


def action_values(plan: Any, action: Any, lang: str = "fr", keys: frozenset[str] | None = None) -> dict[str, Any]:
    """The editable values of an action as the sheet shows them (names, words of ``lang``), typed (dates, Decimals);
    ``keys``: only those fields (a sub-action's), the other columns empty."""
    def name(pid: str | None) -> str | None:
        if pid is None:
            return None
        p = plan.people.get(pid)
        return p.name if p is not None else pid

    out: dict[str, Any] = {}
    for c in ACTION_COLUMNS:
        if c.key in ("computed_progress", "reschedule_reason", "sub_action_of"):
            continue  # (a figure of the rollup, written by the exporter; a reason a person gives, empty when exported; a sub-action's action)
        if keys is not None and c.key not in keys:
            out[c.key] = None
            continue
        if c.key in BUDGET_TOTALS:
            if c.key == "budget_planned":
                out[c.key] = sum((line.amount for line in action.budget), Decimal(0)) if action.budget else None
            else:
                spent_lines = [line.spent for line in action.budget if line.spent is not None]
                out[c.key] = sum(spent_lines, Decimal(0)) if spent_lines else None
            continue
        value = getattr(action, c.key)
        if c.kind == "people":
            value = [name(p) for p in value]
        elif c.kind == "person":
            value = name(value)
        elif c.kind == "service":
            service = plan.services.get(value) if value else None
            value = service.name if service is not None else value
        elif c.choices is not None:
            value = c.choices[lang][value.value if hasattr(value, "value") else value]
        elif isinstance(value, list):
            value = list(value)
        out[c.key] = value
    return out


def sub_action_values(plan: Any, action: Any, sub: Any, lang: str = "fr") -> dict[str, Any]:
    """The values of a sub-action's row: the columns of the fields it has (as :func:`action_values` shows them), its action's id."""
    values = action_values(plan, sub, lang, keys=frozenset(SubAction.model_fields))
    values["sub_action_of"] = action.id
    return values


def ids_digest(ids: Any) -> str:
    """A short digest of a set of action ids (order and repeats do not matter)."""
    return hashlib.sha256("\n".join(sorted(set(ids))).encode("utf-8")).hexdigest()[:8]


def export_mark(revision: str, ids: list[str], lang: str = "fr") -> str:
    """The « Révision du plan » cell of each exported row: the revision, how many rows were exported and a digest of their ids.

    A CSV has no hidden sheet listing the ids exported: with this, an import notices rows
    deleted from it (fewer rows than exported) and can usually name them (:func:`parse_mark`).
    """
    return WORDS[lang]["mark"].format(revision=revision, n=len(ids), digest=ids_digest(ids))


def _pattern(template: str, groups: dict[str, str]) -> str:
    """A regular expression of a catalogue template: its text literal, each ``{field}`` the group given."""
    out, rest = "", template
    while (m := re.search(r"\{(\w+)\}", rest)) is not None:
        out += re.escape(rest[: m.start()]) + groups[m[1]]
        rest = rest[m.end():]
    return out + re.escape(rest)


@functools.cache
def _marks() -> list[re.Pattern[str]]:
    groups = {"revision": r"(?P<rev>.*)", "n": r"(?P<count>\d+)", "digest": r"(?P<digest>[0-9a-f]{8})"}
    return [re.compile("^" + _pattern(" ".join(WORDS[lang]["mark"].split()), groups) + "$") for lang in LANGS]


def parse_mark(text: Any) -> tuple[str, int, str] | None:
    """(revision, rows exported, digest of their ids) from a « Révision du plan » cell (written in any language), or None."""
    if text is None:
        return None
    shown = " ".join(str(text).split())
    for mark in _marks():
        if m := mark.match(shown):
            return m["rev"], int(m["count"]), m["digest"]
    return None


def level_headers(levels: list[str], lang: str = "fr") -> list[tuple[str, str]]:
    """(id header, title header) for each objective level above the actions."""
    return [(WORDS[lang]["level_id"].format(level=name), name) for name in levels[:-1]]


def level_of_id_header(text: str) -> str | None:
    """The level an objective's id column names (« Objectif (n°) », « Objective (no.) »: in any language), or None."""
    text = text.strip()
    for lang in LANGS:
        before, _sep, after = (part.strip() for part in WORDS[lang]["level_id"].partition("{level}"))
        if text.startswith(before) and text.endswith(after) and len(text) > len(before) + len(after):
            return text[len(before): len(text) - len(after)].strip()
    return None


def safe_text(value: str) -> str:
    """Text a spreadsheet must never take for a formula: a leading = + - @ (or tab/CR) gets a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
