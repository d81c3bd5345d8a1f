"""The annual report as the college's evaluation session reads it: portfolio by portfolio.

For each alderman (each political owner, in the order of ``people.yaml``): their actions done
during the year, late, whose deadline moved, reoriented (retitled, moved to another objective,
cancelled), added during the year, and the budget moves; then the objectives' figures, then a
closing page for the decisions taken.  What changed during the year comes from the commit
history (the plan at the end of the year before against the plan reported); without it, only
what the plan dates itself (actual ends, reschedules) is known, and the report says so.

:func:`portfolios` gives the data to the templates (HTML, Markdown) and to the editable
document (:mod:`feuille.views.docx_report`); :func:`labels` their words, through the catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from feuille.compute.diff import PlanDiff
from feuille.compute.rollup import ActionResult, Rollup
from feuille.core.i18n import context_translator, plural_forms, translator
from feuille.core.model import Status
from feuille.core.plan import Plan
from feuille.views.diff import describe
from feuille.views.format import Formatter

REORIENTED = frozenset({"retitled", "moved"})


@dataclass(slots=True)
class Entry:
    """An action in a portfolio's list, with what happened to it during the year (in words)."""

    result: ActionResult
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Portfolio:
    id: str | None  # the person's id; None: actions without a political owner
    name: str
    role: str  # « Échevine — Finances... » (role, agreeing with the civility, and portfolio), may be ""
    actions: int = 0
    done: list[Entry] = field(default_factory=list)
    late: list[Entry] = field(default_factory=list)
    moved: list[Entry] = field(default_factory=list)  # deadline moved during the year
    reoriented: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    budget: list[Entry] = field(default_factory=list)  # budget moves during the year
    planned: Decimal = Decimal(0)  # budget of the year
    spent: Decimal | None = None

    def sections(self, t: dict[str, str]) -> list[tuple[str, str, list[Entry]]]:
        return [("done", t["done"], self.done), ("late", t["late"], self.late), ("moved", t["moved"], self.moved),
                ("reoriented", t["reoriented"], self.reoriented), ("added", t["added"], self.added), ("budget", t["budget_moves"], self.budget)]


def labels(lang: str, year: int) -> dict[str, str]:
    _ = translator(lang)
    return {
        "portfolios": _("Portfolio by portfolio"),
        "portfolio": _("Portfolio"),
        "done": _("Done in {year}").format(year=year),
        "late": _("Late"),
        "moved": _("Deadline moved in {year}").format(year=year),
        "reoriented": _("Reoriented (title, objective, cancellation)"),
        "added": _("Added in {year}").format(year=year),
        "budget_moves": _("Budget moves in {year}").format(year=year),
        "no_owner": _("Without a political owner"),
        "actions_count": plural_forms("{n} action", "{n} actions", lang),
        "year_budget": _("Budget {year}: planned {planned}, committed {spent}"),
        "objectives_figures": _("The objectives' figures"),
        "decisions": _("Decisions of the college"),
        "decisions_help": _("To be filled in during the evaluation session: what the college decides for each portfolio (reorientations, "
                            "new deadlines, budget), who does it and by when."),
        "decision": _("Decision"), "who": _("Who"), "by_when": _("By when"),
        "no_history": _("Without the plan's git history, the actions added or reoriented during the year cannot be told apart: "
                        "only what the plan dates itself (actual ends, deadline moves) is listed."),
        "from_history": _("Changes during the year: {source} compared with the plan reported."),
        "nothing": _("Nothing to report."),
        "history": _("History"),
    }


def portfolios(plan: Plan, rollup: Rollup, year: int, as_of: dt.date, changes: PlanDiff | None, fmt: Formatter) -> list[Portfolio]:
    """One portfolio per political owner (people.yaml order), then the actions without one."""

    t = labels(fmt.lang, year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_item: dict[str, list[Any]] = {}
    if changes is not None:
        for c in changes.changes:
            if c.level == "action":
                by_item.setdefault(c.item, []).append(c)
    people = {p.id: p.name for p in plan.people.values()}
    titles = {o.id: o.title for o, _p, _d in plan.walk()}  # those this audience may see: another objective is named by its id

    def words(c: Any) -> str:
        return describe(c, fmt, titles, people)

    order = list(plan.people)
    found: dict[str | None, Portfolio] = {}

    def portfolio(pid: str | None) -> Portfolio:
        p = found.get(pid)
        if p is None:
            person = plan.people.get(pid or "")
            if person is None:
                p = Portfolio(pid, pid or t["no_owner"], "")
            else:
                role = person.role_word(fmt.lang)
                p = Portfolio(pid, person.name, " — ".join(x for x in (role, person.portfolio or "") if x))
            found[pid] = p
        return p

    for a in rollup.actions:
        x = a.action
        mine = [portfolio(pid) for pid in (x.political_owners or [None])]
        item = by_item.get(x.id, [])
        planned, spent = Decimal(0), Decimal(0)
        spent_known = False
        for line in x.budget:
            if line.year == year:
                planned += line.amount
                if line.spent is not None:
                    spent += line.spent
                    spent_known = True
        done = x.status is Status.done and x.actual_end is not None and start <= x.actual_end <= end
        late = x.status not in (Status.done, Status.cancelled) and x.planned_end is not None and x.planned_end <= min(end, as_of)
        p_ = context_translator(fmt.lang)
        colon = p_("site", ": ")  # « : » in French, ": " in English
        moves = [f"{fmt.date(r.from_) if r.from_ else '?'} → {fmt.date(r.to)} ({fmt.date(r.date)}){colon}{r.reason}"
                 for r in x.reschedules if start <= r.date <= end]
        moves += [words(c) for c in item if c.kind == "dates" and not x.reschedules]
        reoriented = [words(c) for c in item if c.kind in REORIENTED or (c.kind == "status" and c.new == "cancelled")]
        added = any(c.kind == "added" for c in item)
        budget = [words(c) for c in item if c.kind in ("budget", "spent")]
        for p in mine:
            p.actions += 1
            p.planned += planned
            if spent_known:
                p.spent = (p.spent or Decimal(0)) + spent
            if done:
                p.done.append(Entry(a))
            if late:
                p.late.append(Entry(a))
            if moves:
                p.moved.append(Entry(a, moves))
            if reoriented:
                p.reoriented.append(Entry(a, reoriented))
            if added:
                p.added.append(Entry(a))
            if budget:
                p.budget.append(Entry(a, budget))
    rank = {pid: i for i, pid in enumerate(order)}
    return sorted(found.values(), key=lambda p: (p.id is None, rank.get(p.id or "", len(rank)), p.name))
