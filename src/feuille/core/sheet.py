"""The spreadsheet of a plan: its columns, the words of its drop-down lists, and the baseline hash.

Shared by the exporters (``views/exports/xlsx.py``, ``csv_sheet.py``) and the importer
(``io/imports/spreadsheet.py``) so that what is written is exactly what is read back.

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

from feuille.core.i18n import LANGS, NC_, Words

SHEET_VERSION = 1
INFO_SHEET = "_feuille"  # hidden sheet: revision, version, date, language


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the action's field (or a computed figure)
    label: str  # the header, a catalogue key (msgctxt "sheet": a sheet is content, in the plan's language); French: the historic header
    kind: str  # text | people | person | service | date | status | health | percent | money | list | computed
    width: int = 14
    editable: bool = True  # read back on import into an existing plan

    def header(self, lang: str = "fr") -> str:
        return HEADERS[lang][self.key]


ID = Column("id", NC_("sheet", "Id"), "text", 11, editable=False)
ACTION_COLUMNS: tuple[Column, ...] = (
    ID,
    Column("title", NC_("sheet", "Action"), "text", 48),
    Column("political_owners", NC_("sheet", "Political owner(s)"), "people", 22),
    Column("admin_owner", NC_("sheet", "Administrative owner"), "person", 20),
    Column("involved", NC_("sheet", "Political contributor(s)"), "people", 20),
    Column("service", NC_("sheet", "Service"), "service", 22),
    Column("planned_start", NC_("sheet", "Planned start"), "date", 12),
    Column("planned_end", NC_("sheet", "Planned end"), "date", 12),
    Column("actual_start", NC_("sheet", "Actual start"), "date", 12),
    Column("actual_end", NC_("sheet", "Actual end"), "date", 12),
    Column("status", NC_("sheet", "Status"), "status", 14),
    Column("progress", NC_("sheet", "Progress entered (%)"), "percent", 11),
    Column("computed_progress", NC_("sheet", "Computed progress (%)"), "computed", 11, editable=False),
    Column("health", NC_("sheet", "Health"), "health", 11),
    Column("health_note", NC_("sheet", "Health note"), "text", 30),
    Column("achieved", NC_("sheet", "Achieved so far"), "text", 40),
    Column("remaining", NC_("sheet", "Still to do"), "text", 40),
    Column("budget_planned", NC_("sheet", "Planned budget (€)"), "money", 14),
    Column("budget_spent", NC_("sheet", "Committed budget (€)"), "money", 14),
    Column("tags", NC_("sheet", "Tags"), "list", 20),
    Column("territories", NC_("sheet", "Territories"), "list", 16),
    Column("description", NC_("sheet", "Description"), "text", 40),
    Column("last_reviewed", NC_("sheet", "Last updated"), "date", 12),
)
COLUMNS_BY_KEY = {c.key: c for c in ACTION_COLUMNS}
HASHED = tuple(c.key for c in ACTION_COLUMNS if c.editable)  # fixed order: columns may move in the sheet
# Budget totals: one number for a list of budget lines; an import writes them back only to an action with one line (or none).
BUDGET_TOTALS = ("budget_planned", "budget_spent")

# Every header of the actions sheet, by language: HEADERS["fr"]["planned_start"] == "Début prévu"; "hash" and "revision" are
# the last two columns (the hidden hash of the exported values, the plan revision with the rows exported).
HEADERS = Words({**{c.key: c.label for c in ACTION_COLUMNS}, "hash": NC_("sheet", "Fingerprint (do not change)"),
                 "revision": NC_("sheet", "Plan revision")})
# The words of the drop-down lists (a French sheet: « Non commencé »...), by language.
STATUS_WORDS = Words({"not_started": NC_("sheet", "Not started"), "ongoing": NC_("sheet", "Ongoing"), "on_hold": NC_("sheet", "On hold"),
                      "done": NC_("sheet", "Done"), "cancelled": NC_("sheet", "Cancelled")})
HEALTH_WORDS = Words({"good": NC_("sheet", "Good"), "at_risk": NC_("sheet", "At risk"), "blocked": NC_("sheet", "Blocked"), "paused": NC_("sheet", "Paused")})
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

# Fields of the model the sheet does not carry (listed in the notes sheet; the round-trip test checks the list).
NOT_CARRIED = Words({
    "plan": NC_("sheet", "plan settings (term, levels, scale, rules, visibility): they stay in plan.yaml"),
    "people": NC_("sheet", "people and services: only their name (id, role, title, e-mail, phone stay in people.yaml)"),
    "objectives": NC_("sheet", "objectives: id and title (the objective's description, owners, dates... stay in its file)"),
    "budget": NC_("sheet", "budget lines: only the planned and committed totals (budget: year, source, article, note of each line stay in the file)"),
    "indicators": NC_("sheet", "indicators and their measurements (indicators)"),
    "serves": NC_("sheet", "objectives served and split of the budget (serves)"),
    "scores": NC_("sheet", "stake, urgency, return, priority, gain, weight (stake, urgency, roi, priority, gain, gain_score, weight)"),
    "other": NC_("sheet", "strand, SDGs, partners, internal notes, visibility (volet, sdgs, partners, notes, visibility)"),
    "ecomptes": NC_("sheet", "organisation, full-time equivalents, other plans (organisation, fte, plans)"),
    "history": NC_("sheet", "deadline shifts already recorded (reschedules): they stay in the action's file"),
    "tracked": NC_("sheet", "aims, means, citizen participation, governance bodies, lead structure, priority level (aims, means, participation, "
                            "governance, lead_structure, priority_level)"),
    "sub_actions": NC_("sheet", "sub-actions (sub_actions): they stay in the action's file"),
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


def action_values(plan: Any, action: Any, lang: str = "fr") -> dict[str, Any]:
    """The editable values of an action as the sheet shows them (names, words of ``lang``), typed (dates, Decimals)."""
    def name(pid: str | None) -> str | None:
        if pid is None:
            return None
        p = plan.people.get(pid)
        return p.name if p is not None else pid

    service = plan.services.get(action.service) if action.service else None
    planned = sum((line.amount for line in action.budget), Decimal(0)) if action.budget else None
    spent_lines = [line.spent for line in action.budget if line.spent is not None]
    return {
        "id": action.id,
        "title": action.title,
        "political_owners": [name(p) for p in action.political_owners],
        "admin_owner": name(action.admin_owner),
        "involved": [name(p) for p in action.involved],
        "service": service.name if service is not None else action.service,
        "planned_start": action.planned_start,
        "planned_end": action.planned_end,
        "actual_start": action.actual_start,
        "actual_end": action.actual_end,
        "status": STATUS_WORDS[lang][action.status.value],
        "progress": action.progress,
        "health": HEALTH_WORDS[lang][action.health.value],
        "health_note": action.health_note,
        "achieved": action.achieved,
        "remaining": action.remaining,
        "budget_planned": planned,
        "budget_spent": sum(spent_lines, Decimal(0)) if spent_lines else None,
        "tags": list(action.tags),
        "territories": list(action.territories),
        "description": action.description,
        "last_reviewed": action.last_reviewed,
    }


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
