"""How a view says that the plan it shows is history (``Plan.revision``, set by app/history.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from feuille.core.i18n import N_, Msg, context_translator, plural_translator, translator
from feuille.core.plan import Plan
from feuille.views.format import Formatter

if TYPE_CHECKING:
    from feuille.compute.validation import ValidationState


def revision_lines(plan: Plan, fmt: Formatter, author: bool = True) -> list[str]:
    """« Historique : le plan tel qu'enregistré à la fin du 01/03/2025 (commit 3f2a1c9 du 28/02/2025, M. Dupont). »

    ``author=False`` for a published page: the commit's author is a member of staff, not someone people.yaml publishes."""
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
    if not author:
        return [_("History: the plan as committed at the end of {day} ({commit}).").format(day=fmt.date(asked), commit=commit)]
    return [_("History: the plan as committed at the end of {day} ({commit}, {author}).").format(day=fmt.date(asked), commit=commit, author=rev["author"])]


def caveat_lines(plan: Plan, lang: str) -> list[str]:
    """« Attention : aucun commit n'est antérieur à la fin du 01/01/2025 (...) : le plan est lu tel qu'il est aujourd'hui. »:
    a past date read from today's files, said in the report itself (``Plan.caveat``, set by app/history.py)."""
    if plan.caveat is None:
        return []
    _ = translator(lang)
    said = plan.caveat(lang) if isinstance(plan.caveat, Msg) else str(plan.caveat)
    return [_("Warning: {caveat}").format(caveat=said)]


KIND = {"added": N_("added"), "removed": N_("removed"), "moved": N_("moved"), "retitled": N_("retitled"), "dates": N_("dates"),
        "budget": N_("budget"), "owners": N_("owners"), "status": N_("cancelled")}
LISTED = 12  # decisions named in one line; the rest are counted


def unvalidated_items(state: ValidationState, lang: str, shown: set[str] | None = None) -> list[str]:
    """« A2.9 (ajoutée) », one per item and kind; ``shown``: only the ids the audience may see."""
    _ = translator(lang)
    return [f"{c.item} ({_(KIND[c.kind])})" for c in state.unvalidated if shown is None or c.item in shown]


def validation_lines(state: ValidationState | None, fmt: Formatter, shown: set[str] | None = None) -> list[str]:
    """« État validé par le Comité de direction le 20/11/2026. » or « 3 changements depuis la dernière validation (...) »
    and the decisions not validated yet."""
    if state is None:
        return []
    _, n_, p_ = translator(fmt.lang), plural_translator(fmt.lang), context_translator(fmt.lang)
    if state.current:
        return [_("State validated by {by} on {date}.").format(by=state.by, date=fmt.date(state.day))]
    out = [n_("{n} change since the last validation ({by}, {date}).", "{n} changes since the last validation ({by}, {date}).",
              state.changes).format(n=state.changes, by=state.by, date=fmt.date(state.day))]
    items = unvalidated_items(state, fmt.lang, shown)
    if state.unvalidated:
        listed = ", ".join(items[:LISTED]) + (" …" if len(items) > LISTED else "")
        out.append(n_("Not validated yet: {n} decision (title, objective, dates, budget, owners, addition, removal, cancellation)",
                      "Not validated yet: {n} decisions (title, objective, dates, budget, owners, addition, removal, cancellation)",
                      len(state.unvalidated)).format(n=len(state.unvalidated)) + (p_("site", ": ") + listed if listed else "") + ".")
    return out
