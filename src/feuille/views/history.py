"""How a view says that the plan it shows is history (``Plan.revision``, set by cli/past.py)."""

from __future__ import annotations

import datetime as dt

from feuille.core.plan import Plan
from feuille.views.format import Formatter


def revision_lines(plan: Plan, fmt: Formatter) -> list[str]:
    """« Historique : le plan tel qu'enregistré à la fin du 01/03/2025 (commit 3f2a1c9 du 28/02/2025, M. Dupont). »"""
    rev = plan.revision
    if not rev:
        return []
    committed = dt.datetime.fromisoformat(rev["committed"]).date()
    asked = dt.date.fromisoformat(rev["as_of"])
    commit = f"commit {rev['short']} " + ("du " if fmt.lang == "fr" else "of ") + fmt.date(committed)
    if rev["kind"] == "validation":
        by = rev.get("by", "")
        if fmt.lang == "fr":
            return [f"Historique : état validé{' par ' + by if by else ''} le {fmt.date(dt.date.fromisoformat(rev['validated']))} ({commit})."]
        return [f"History: the plan as validated{' by ' + by if by else ''} on {fmt.date(dt.date.fromisoformat(rev['validated']))} ({commit})."]
    if fmt.lang == "fr":
        return [f"Historique : le plan tel qu'enregistré à la fin du {fmt.date(asked)} ({commit}, {rev['author']})."]
    return [f"History: the plan as committed at the end of {fmt.date(asked)} ({commit}, {rev['author']})."]
