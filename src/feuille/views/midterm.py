"""The mid-term evaluation (CDLD L1123-27 §2): per strategic objective, what was planned at the
plan's adoption, what is done, its indicators against their trajectory, the actions added,
reoriented (title, parent or deadline changed) and abandoned since, and the budget planned and
committed; then a page for the council's conclusions.

What changed since the adoption comes from the commit history: the plan at its adoption
(``adopted:`` in plan.yaml, by default the term's start) against the plan reported, both as the
audience may see them.  When the history starts later, it is compared from its first commit and
the first page says so; without history, only what the plan dates itself is known.

:func:`sections` gives the data to the templates (HTML, Markdown) and to the Word document
(:func:`feuille.views.site.render_report_docx`); :func:`labels` their words, through the catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from feuille.compute.diff import Change, PlanDiff
from feuille.compute.indicators import PlanIndicators, Reading, Weather
from feuille.compute.rollup import ActionResult, ObjectiveResult, Rollup
from feuille.core.i18n import plural_forms, translator
from feuille.core.model import Objective, Status
from feuille.core.plan import Plan, subtree
from feuille.views.diff import describe
from feuille.views.format import Formatter


def midpoint(plan: Plan) -> dt.date | None:
    """The middle of the plan's term."""
    if plan.meta is None:
        return None
    start, end = plan.meta.term.start, plan.meta.term.end
    return start + (end - start) / 2


def adoption(plan: Plan) -> dt.date | None:
    """When the plan was adopted: ``adopted:``, else the term's start."""
    if plan.meta is None:
        return None
    return plan.meta.adopted or plan.meta.term.start


@dataclass(slots=True)
class Entry:
    """An action of a section, with what happened to it since the adoption (in words)."""

    id: str
    title: str
    result: ActionResult | None  # None: no longer in the plan (removed)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    """One strategic (top-level) objective."""

    result: ObjectiveResult
    weather: Weather | None
    planned_then: int | None  # actions under it at the adoption (None: history does not say)
    budget_then: Decimal | None  # their planned budget then
    actions_now: int
    done: list[ActionResult] = field(default_factory=list)
    ongoing: list[ActionResult] = field(default_factory=list)
    late: list[ActionResult] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    reoriented: list[Entry] = field(default_factory=list)
    abandoned: list[Entry] = field(default_factory=list)
    readings: list[tuple[Any, Reading]] = field(default_factory=list)  # (PlacedIndicator, Reading): its own, its sub-objectives', its actions'

    @property
    def objective(self) -> Objective:
        return self.result.objective

    def changes(self, t: dict[str, str]) -> list[tuple[str, str, list[Entry]]]:
        return [("added", t["added"], self.added), ("reoriented", t["reoriented"], self.reoriented), ("abandoned", t["abandoned"], self.abandoned)]


def labels(lang: str) -> dict[str, str]:
    _ = translator(lang)
    return {
        "title": _("Mid-term evaluation"),
        "law": _("The programme is evaluated at least at mid-term and at the end of the term (CDLD, article L1123-27 §2)."),
        "as_of": _("Figures as of {date}; the middle of the term is {middle}."),
        "adopted": _("Plan adopted on {date}."),
        "adopted_default": _("No adoption date in plan.yaml ('adopted'): the start of the term, {date}, is taken."),
        "from_history": _("Actions added, reoriented and abandoned: {source} compared with the plan reported."),
        "history_late": _("The history does not reach back to the adoption ({adopted}): it starts on {first}. Changes before that day "
                          "cannot be told apart; the plan of {first} stands for the plan adopted."),
        "no_history": _("Without the plan's git history, the plan as adopted is not known: the actions added, reoriented or abandoned "
                        "since cannot be told apart, and only what the plan dates itself is reported."),
        "summary": _("Overview"),
        "objective": _("Strategic objective"),
        "planned": _("What was planned"),
        "planned_then": plural_forms("{n} action at the adoption, {budget} planned", "{n} actions at the adoption, {budget} planned", lang),
        "planned_unknown": _("The plan at the adoption is not known."),
        "now": plural_forms("{n} action now: {counts}", "{n} actions now: {counts}", lang),
        "done": _("What is done"),
        "late": _("Late"),
        "ongoing": _("Under way"),
        "indicators": _("Indicators against their trajectory"),
        "no_indicators": _("No indicator follows this objective."),
        "indicator": _("Indicator"), "baseline": _("Baseline"), "latest": _("Latest"), "expected": _("Expected on the trajectory"),
        "target": _("Target"), "progress": _("Progress"), "verdict": _("Verdict"), "where": _("On"),
        "changes": _("Changes since the adoption"),
        "added": _("Added since the adoption"),
        "reoriented": _("Reoriented (title, objective or deadline changed)"),
        "abandoned": _("Abandoned (cancelled or removed)"),
        "nothing": _("Nothing to report."),
        "budget": _("Budget: planned and committed"),
        "budget_line": _("Planned now {planned}, committed {spent}; at the adoption {then}"),
        "budget_line_now": _("Planned {planned}, committed {spent}"),
        "weather": _("Weather"),
        "conclusions": _("Conclusions of the council"),
        "conclusions_help": _("To be filled in by the council: for each strategic objective, its assessment of what was achieved, "
                              "the reorientations it decides for the second half of the term, and who follows them up."),
        "assessment": _("Assessment"), "decisions": _("Reorientations decided"), "who": _("Followed up by"),
        "removed": _("no longer in the plan"),
        "table_budget": _("Budget by strategic objective"),
        "at_adoption": _("At the adoption"), "planned_now": _("Planned now"), "committed": _("Committed"),
    }


def _budget_of(obj: Objective) -> Decimal:
    return sum((line.amount for o in subtree(obj) for a in o.actions for line in a.budget), Decimal(0))


def _actions_below(obj: Objective) -> list[Any]:
    return [a for o in subtree(obj) for a in o.actions]


def sections(plan: Plan, rollup: Rollup, found: PlanIndicators, before: Plan | None, changes: PlanDiff | None, fmt: Formatter) -> list[Section]:
    """One section per strategic objective of ``plan`` (the plan reported, as the audience sees it)."""

    people = {p.id: p.name for p in plan.people.values()}
    titles = {o.id: o.title for o, _p, _d in plan.walk()}
    by_item: dict[str, list[Change]] = {}
    for c in changes.changes if changes is not None else []:
        if c.level == "action":
            by_item.setdefault(c.item, []).append(c)
    then_objectives = {o.id: o for o, _p, _d in before.walk()} if before is not None else {}
    then_home: dict[str, str] = {}  # action id -> the strategic objective it was under at the adoption
    if before is not None:
        for top in before.objectives:
            for a in _actions_below(top):
                then_home[a.id] = top.id
    readings_by_owner: dict[str | None, list[tuple[Any, Reading]]] = {}
    for p, r in found.readings:
        readings_by_owner.setdefault(p.where, []).append((p, r))
    out = []
    for top in rollup.objectives:
        obj = top.objective
        now = _actions_below(obj)
        ids = {a.id for a in now}
        results = [r for r in rollup.actions if r.action.id in ids]
        then = then_objectives.get(obj.id)
        s = Section(top, found.weather.get(obj.id), len(_actions_below(then)) if then is not None else (0 if before is not None else None),
                    _budget_of(then) if then is not None else (Decimal(0) if before is not None else None), len(now))
        for r in results:
            x = r.action
            if r.verdict == "late":
                s.late.append(r)
            elif x.status is Status.done:
                s.done.append(r)
            elif x.status is not Status.cancelled:
                s.ongoing.append(r)
            notes = [describe(c, fmt, titles, people) for c in by_item.get(x.id, [])]
            kinds = {c.kind: c for c in by_item.get(x.id, [])}
            if changes is not None and (x.id not in then_home or "added" in kinds):
                s.added.append(Entry(x.id, x.title, r, [n for c, n in zip(by_item.get(x.id, []), notes, strict=True) if c.kind == "added"]))
                continue
            if x.status is Status.cancelled and (changes is None or ("status" in kinds and kinds["status"].new == "cancelled")):
                s.abandoned.append(Entry(x.id, x.title, r, [n for c, n in zip(by_item.get(x.id, []), notes, strict=True) if c.kind == "status"]))
                continue
            moved = [n for c, n in zip(by_item.get(x.id, []), notes, strict=True)
                     if c.kind in ("retitled", "moved") or (c.kind == "dates" and c.field == "planned_end")]
            if changes is None and x.reschedules:
                moved = [describe_move(m, fmt) for m in x.reschedules]
            if moved:
                s.reoriented.append(Entry(x.id, x.title, r, moved))
        for c in changes.changes if changes is not None else []:  # removed since the adoption: no longer in the plan
            if c.level == "action" and c.kind == "removed" and then_home.get(c.item) == obj.id:
                s.abandoned.append(Entry(c.item, c.title, None, [labels(fmt.lang)["removed"]]))
        seen: set[int] = set()
        for o in subtree(obj):
            for owner in (o, *o.actions):
                for p, r in readings_by_owner.get(owner.id, []):
                    if id(p.indicator) not in seen:
                        seen.add(id(p.indicator))
                        s.readings.append((p, r))
            for p in plan.linked(o):
                if id(p.indicator) not in seen:
                    seen.add(id(p.indicator))
                    s.readings.append((p, next(r for q, r in found.readings if q.indicator is p.indicator)))
        out.append(s)
    return out


def describe_move(m: Any, fmt: Formatter) -> str:
    """A deadline move the plan records itself (``reschedules``)."""
    _ = translator(fmt.lang)
    return _("deadline moved from {old} to {new} on {date}: {reason}").format(
        old=fmt.date(m.from_) if m.from_ else "?", new=fmt.date(m.to), date=fmt.date(m.date), reason=m.reason)


def plan_readings(plan: Plan, found: PlanIndicators) -> list[tuple[Any, Reading]]:
    """The plan's own indicators (macro-indicators) and its strands'."""
    return [(p, r) for p, r in found.readings if p.top]
