"""How a view says that the plan it shows is history (``Plan.revision``, set by cli/past.py)."""

from __future__ import annotations

import datetime as dt

from feuille.core.i18n import translator
from feuille.core.plan import Plan
from feuille.views.format import Formatter


def revision_lines(plan: Plan, fmt: Formatter) -> list[str]:
    """« Historique : le plan tel qu'enregistré à la fin du 01/03/2025 (commit 3f2a1c9 du 28/02/2025, M. Dupont). »"""
    rev = plan.revision
    if not rev:
        return []
    committed = dt.datetime.fromisoformat(rev["committed"]).date()
    asked = dt.date.fromisoformat(rev["as_of"])
    _ = translator(fmt.lang)
    commit = _("commit {short} of {date}").format(short=rev["short"], date=fmt.date(committed))
    if rev["kind"] == "validation":
        by = rev.get("by", "")
        day = fmt.date(dt.date.fromisoformat(rev["validated"]))
        if by:
            return [_("History: the plan as validated by {who} on {day} ({commit}).").format(who=by, day=day, commit=commit)]
        return [_("History: the plan as validated on {day} ({commit}).").format(day=day, commit=commit)]
    return [_("History: the plan as committed at the end of {day} ({commit}, {author}).").format(day=fmt.date(asked), commit=commit, author=rev["author"])]
