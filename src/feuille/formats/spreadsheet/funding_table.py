"""The totals by funder (compute/rollup.py's :class:`~feuille.compute.rollup.Funding`) as a long table: the xlsx
« Financement » sheet, the csv part beside the actions (``-o plan.csv`` gives ``plan-financement.csv``).

One row per funder of the whole plan, then of each objective (in plan order, every level) and each action that names a
funder, the largest first, each followed by its own funds (what no funder covers), with their shares of the planned
budget.  Only what the audience sees: the budgets come through the publish filter (a withheld line's funder is never
named).  Written for people to read: never read back by ``feuille import``.
"""

from __future__ import annotations

from typing import Any

from feuille.compute.audience import Published
from feuille.compute.rollup import Budget
from feuille.core.i18n import NC_, Words

COLUMNS = ("id", "title", "funder", "amount", "share")

HEADERS = Words({
    "id": NC_("funding", "Id"), "title": NC_("funding", "Title"), "funder": NC_("funding", "Funder"),
    "amount": NC_("funding", "Amount (€)"), "share": NC_("funding", "Share of the planned budget (%)"),
})

WORDS = Words({
    "sheet": NC_("funding", "Funding"),  # the workbook's sheet
    "part": NC_("funding", "funding"),  # the csv file's name part (plan-financement.csv)
    "own": NC_("funding", "Own funds"),
    "plan": NC_("funding", "Whole plan"),
})


def headers(lang: str) -> list[str]:
    return [HEADERS[lang][c] for c in COLUMNS]


def rows(published: Published, lang: str, *, only: frozenset[str] | None = None) -> list[list[Any]]:
    """The totals by funder of the plan, then of each objective and action that has any (with ``only``: of the objectives
    and actions kept), each funder's row then the own funds' row; [] when no budget line names a funder."""
    out: list[list[Any]] = []
    words = WORDS[lang]

    def add(ident: str, title: str, budget: Budget) -> None:
        funding = budget.funding
        if funding is None:
            return
        for f in funding.funders:
            out.append([ident, title, f.name, f.amount, _share(f.share)])
        out.append([ident, title, words["own"], funding.own, _share(funding.own_share)])

    rollup = published.rollup
    if only is None:  # (a filtered export: only the totals of what it keeps)
        add("", words["plan"], rollup.budget)
    stack = list(reversed(rollup.objectives))
    while stack:
        r = stack.pop()
        if only is None or r.objective.id in only:
            add(r.objective.id, r.objective.title, r.budget)
            for a in r.actions:
                if only is None or a.action.id in only:
                    add(a.action.id, a.action.title, a.budget)
        stack.extend(reversed(r.children))
    return out


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
