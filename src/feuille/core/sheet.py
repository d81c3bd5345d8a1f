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
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SHEET_VERSION = 1
HASH_HEADER = "Empreinte (ne pas modifier)"
REVISION_HEADER = "Révision du plan"
INFO_SHEET = "_feuille"  # hidden sheet: revision, version, date
NOTES_SHEET = "Mode d'emploi"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the action's field (or a computed figure)
    header: str  # the French header written by the export
    kind: str  # text | people | person | service | date | status | health | percent | money | list | computed
    width: int = 14
    editable: bool = True  # read back on import into an existing plan


ID = Column("id", "Identifiant", "text", 11, editable=False)
ACTION_COLUMNS: tuple[Column, ...] = (
    ID,
    Column("title", "Action", "text", 48),
    Column("political_owners", "Responsable(s) politique(s)", "people", 22),
    Column("admin_owner", "Responsable administratif", "person", 20),
    Column("involved", "Intervenant(s) politique(s)", "people", 20),
    Column("service", "Service", "service", 22),
    Column("planned_start", "Début prévu", "date", 12),
    Column("planned_end", "Fin prévue", "date", 12),
    Column("actual_start", "Début effectif", "date", 12),
    Column("actual_end", "Fin effective", "date", 12),
    Column("status", "Statut", "status", 14),
    Column("progress", "Avancement saisi (%)", "percent", 11),
    Column("computed_progress", "Avancement calculé (%)", "computed", 11, editable=False),
    Column("health", "Santé", "health", 11),
    Column("health_note", "Note de santé", "text", 30),
    Column("achieved", "État des réalisations", "text", 40),
    Column("remaining", "Ce qu'il reste à faire", "text", 40),
    Column("budget_planned", "Budget prévu (€)", "money", 14),
    Column("budget_spent", "Budget engagé (€)", "money", 14),
    Column("tags", "Tags", "list", 20),
    Column("territories", "Territoires", "list", 16),
    Column("description", "Description", "text", 40),
    Column("last_reviewed", "Dernière mise à jour", "date", 12),
)
COLUMNS_BY_KEY = {c.key: c for c in ACTION_COLUMNS}
HASHED = tuple(c.key for c in ACTION_COLUMNS if c.editable)  # fixed order: columns may move in the sheet
# Budget totals: one number for a list of budget lines; an import writes them back only to an action with one line (or none).
BUDGET_TOTALS = ("budget_planned", "budget_spent")

STATUS_WORDS = {"not_started": "Non commencé", "ongoing": "En cours", "on_hold": "En attente", "done": "Terminé", "cancelled": "Annulé"}
HEALTH_WORDS = {"good": "Bon", "at_risk": "À risque", "blocked": "Bloqué", "paused": "En pause"}

# Fields of the model the sheet does not carry (listed in the notes sheet; the round-trip test checks the list).
NOT_CARRIED = {
    "plan": "réglages du plan (législature, niveaux, échelle, règles, visibilité) : ils restent dans plan.yaml",
    "people": "personnes et services : seulement leur nom (identifiant, rôle, civilité, e-mail, téléphone restent dans people.yaml)",
    "objectives": "objectifs : identifiant et intitulé (description, responsables, dates... de l'objectif restent dans son fichier)",
    "budget": "lignes budgétaires : seulement le total prévu et engagé (budget : exercice, source, article, note par ligne restent dans le fichier)",
    "indicators": "indicateurs et leurs mesures (indicators)",
    "serves": "objectifs servis et répartition du budget (serves)",
    "scores": "enjeu, urgence, retour, priorité, gain, poids (stake, urgency, roi, priority, gain, gain_score, weight)",
    "other": "volet, ODD, partenaires, notes internes, visibilité (volet, sdgs, partners, notes, visibility)",
    "ecomptes": "organisation, équivalents temps plein, autres plans (organisation, fte, plans)",
    "history": "glissements d'échéance déjà enregistrés (reschedules) : ils restent dans le fichier de l'action",
}


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


def action_values(plan: Any, action: Any) -> dict[str, Any]:
    """The editable values of an action as the sheet shows them (names, words), typed (dates, Decimals)."""
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
        "status": STATUS_WORDS[action.status.value],
        "progress": action.progress,
        "health": HEALTH_WORDS[action.health.value],
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


def export_mark(revision: str, ids: list[str]) -> str:
    """The « Révision du plan » cell of each exported row: the revision, how many rows were exported and a digest of their ids.

    A CSV has no hidden sheet listing the ids exported: with this, an import notices rows
    deleted from it (fewer rows than exported) and can usually name them (:func:`parse_mark`).
    """
    return f"{revision} · {len(ids)} lignes · liste {ids_digest(ids)}"


_MARK = re.compile(r"^(?P<rev>.*) · (?P<count>\d+) lignes · liste (?P<digest>[0-9a-f]{8})$")


def parse_mark(text: Any) -> tuple[str, int, str] | None:
    """(revision, rows exported, digest of their ids) from a « Révision du plan » cell, or None."""
    m = _MARK.match(" ".join(str(text).split())) if text is not None else None
    return (m["rev"], int(m["count"]), m["digest"]) if m else None


def level_headers(levels: list[str]) -> list[tuple[str, str]]:
    """(id header, title header) for each objective level above the actions."""
    return [(f"{name} (n°)", name) for name in levels[:-1]]


def safe_text(value: str) -> str:
    """Text a spreadsheet must never take for a formula: a leading = + - @ (or tab/CR) gets a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
