"""Words for the plan's values (statuses, verdicts, health, sources of progress), shared by every view.

(Issue 11 moves them into the gettext catalogue; until then each table has its French and English side.)
"""

from __future__ import annotations

from feuille.core.model import Action
from feuille.core.plan import Plan

Line = tuple[str, str]  # (rich style or "", text)

VERDICT = {
    "fr": {"late": "en retard", "at_risk": "à risque", "behind": "à la traîne", "on_track": "dans les temps", "not_started": "pas commencé",
           "done": "terminé", "unknown": "inconnu", "cancelled": "annulé"},
    "en": {"late": "late", "at_risk": "at risk", "behind": "behind", "on_track": "on track", "not_started": "not started",
           "done": "done", "unknown": "unknown", "cancelled": "cancelled"},
}
VERDICT_STYLE = {"late": "bold red", "at_risk": "red", "behind": "yellow", "on_track": "green", "not_started": "dim",
                 "done": "bold green", "unknown": "dim", "cancelled": "dim"}
STATUS = {
    "fr": {"not_started": "à venir", "ongoing": "en cours", "on_hold": "en attente", "done": "terminée", "cancelled": "annulée"},
    "en": {"not_started": "not started", "ongoing": "ongoing", "on_hold": "on hold", "done": "done", "cancelled": "cancelled"},
}
_STATUS_PLURAL_FR = {"done": "terminées", "cancelled": "annulées"}
HEALTH = {
    "fr": {"good": "bonne", "at_risk": "à risque", "blocked": "bloquée", "paused": "en pause"},
    "en": {"good": "good", "at_risk": "at risk", "blocked": "blocked", "paused": "paused"},
}
VOLET = {"fr": {"internal": "volet interne", "external": "volet externe"}, "en": {"internal": "internal", "external": "external"}}


def status_count(n: int, status: str, lang: str) -> str:
    if lang == "fr" and n > 1:
        return f"{n} {_STATUS_PLURAL_FR.get(status, STATUS['fr'][status])}"
    return f"{n} {STATUS[lang][status]}"
SOURCE = {
    "fr": {"progress": "avancement déclaré", "indicators": "calculé des indicateurs", "status": "déduit du statut", "unknown": "inconnu",
           "cancelled": "annulée (non comptée)", "children": "moyenne des enfants"},
    "en": {"progress": "declared progress", "indicators": "computed from indicators", "status": "implied by the status", "unknown": "unknown",
           "cancelled": "cancelled (not counted)", "children": "mean of children"},
}


def owners(plan: Plan, action: Action) -> str:
    names = [plan.people[p].short_name if p in plan.people else p for p in action.political_owners]
    admin = plan.people[action.admin_owner].short_name if action.admin_owner in plan.people else (action.admin_owner or "–")
    return f"{', '.join(names) or '–'} / {admin}"
