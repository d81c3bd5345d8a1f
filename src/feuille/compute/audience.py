"""The one filter every published output goes through: the plan as an audience may see it.

:func:`publish` computes the rollup on the whole plan (a withheld action still counts
in its objective's progress and budget: the figures stay honest), then gives the
views a copy of the plan and of the rollup from which everything the audience may
not see is gone: withheld objectives and actions, indicators, budget lines and
fields (set to empty).  Views and exporters never see the original plan, so no
template can forget to hide something.  :class:`Withheld` says what was kept back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from feuille.core.i18n import Msg, msg
from feuille.compute.rollup import ActionResult, Budget, ObjectiveResult, Rollup, compute
from feuille.core.model import Action, Audience, BudgetLine, Indicator, Objective, Person, PlanFile
from feuille.core.plan import Plan
from feuille.core.visibility import field_level, item_level, plan_level, sees


@dataclass(slots=True)
class Withheld:
    """What an audience does not see (counts, for the summary line and the pages)."""

    objectives: int = 0
    actions: int = 0
    indicators: int = 0
    budget_lines: int = 0
    fields: Counter[str] = field(default_factory=Counter)  # field name -> how many values withheld

    @property
    def anything(self) -> bool:
        return bool(self.objectives or self.actions or self.indicators or self.budget_lines or self.fields)


@dataclass(slots=True)
class Published:
    audience: Audience
    plan: Plan  # what the audience may see
    rollup: Rollup  # figures of the whole plan, listing only what is shown
    withheld: Withheld
    hidden_below: dict[str, int]  # objective id -> actions under it not shown (counted in its figures)
    hidden_lines: dict[str, int] = field(default_factory=dict)  # action id -> budget lines not shown (counted in its totals)


class UnknownAudience(ValueError):
    """An audience name that is none of them; ``msg`` says so in the reader's language, ``str(exc)`` in French."""

    def __init__(self, message: Msg) -> None:
        self.msg = message
        super().__init__(message("fr"))


WITHHELD = msg("not published")  # the name a withheld funding source gets in published budgets


def parse_audience(value: str) -> Audience:
    """``public``, ``council`` or ``internal`` (also in French); :class:`UnknownAudience` (a ValueError) with suggestions otherwise."""
    words = {"interne": "internal", "administration": "internal", "conseil": "council", "college": "council", "collège": "council", "publique": "public"}
    key = words.get(value.strip().lower(), value.strip().lower())
    try:
        return Audience(key)
    except ValueError:
        import difflib

        close = difflib.get_close_matches(key, [a.value for a in Audience], n=1)
        if close:
            raise UnknownAudience(msg("unknown audience '{value}': choose public, council or internal. Did you mean '{close}'?",
                                      value=value, close=close[0])) from None
        raise UnknownAudience(msg("unknown audience '{value}': choose public, council or internal.", value=value)) from None


class _Filter:
    def __init__(self, plan: Plan, audience: Audience) -> None:
        self.plan, self.audience, self.meta = plan, audience, plan.meta
        self.withheld = Withheld()
        self.shown: dict[str, Any] = {}  # original id -> filtered copy
        self.hidden_lines: dict[str, int] = {}

    def _strip(self, thing: Any, level: Audience, visibility: dict[str, Audience] | None, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """Updates that empty every field of ``thing`` the audience may not see."""
        update: dict[str, Any] = {}
        for name in type(thing).model_fields:
            if name in skip:
                continue
            value = getattr(thing, name)
            if value in (None, [], {}, ""):
                continue
            spec = type(thing).model_fields[name]
            if spec.is_required():  # a required field goes with its item (the item itself is withheld, or not)
                continue
            if not sees(self.audience, field_level(name, visibility, level, self.meta)):
                update[name] = spec.get_default(call_default_factory=True)
                self.withheld.fields[name] += 1
        return update

    def meta_copy(self) -> PlanFile | None:
        meta = self.meta
        if meta is None:
            return None
        return meta.model_copy(update=self._strip(meta, plan_level(meta), meta.visibility, skip=("visibility", "licence", "organisations", "term", "levels", "scale", "settings", "priorities", "rules")))

    def person(self, person: Person) -> Person:
        return person.model_copy(update=self._strip(person, plan_level(self.meta), person.visibility))

    def _lines(self, lines: list[BudgetLine], level: Audience) -> list[BudgetLine]:
        out = []
        for line in lines:
            own = item_level(line.visibility, level)
            if sees(self.audience, own):
                out.append(line.model_copy(update=self._strip(line, own, line.visibility)))
            else:
                self.withheld.budget_lines += 1
        return out

    def _indicators(self, indicators: list[Indicator], level: Audience) -> list[Indicator]:
        out = []
        for ind in indicators:
            own = item_level(ind.visibility, level)
            if sees(self.audience, own):
                out.append(ind.model_copy(update=self._strip(ind, own, ind.visibility)))
            else:
                self.withheld.indicators += 1
        return out

    def action(self, action: Action, parent: Audience) -> Action | None:
        level = item_level(action.visibility, parent)
        if not sees(self.audience, level):
            self.withheld.actions += 1
            return None
        update = self._strip(action, level, action.visibility, skip=("budget", "indicators"))
        update["budget"] = self._lines(action.budget, level)
        if len(update["budget"]) < len(action.budget):
            self.hidden_lines[action.id] = len(action.budget) - len(update["budget"])
        update["indicators"] = self._indicators(action.indicators, level)
        copy = action.model_copy(update=update)
        self.shown[action.id] = copy
        return copy

    def objective(self, obj: Objective, parent: Audience) -> Objective | None:
        level = item_level(obj.visibility, parent)
        if not sees(self.audience, level):
            self.withheld.objectives += 1
            self.withheld.actions += sum(1 for _ in _actions_below(obj))
            return None
        update = self._strip(obj, level, obj.visibility, skip=("objectives", "actions"))
        update["objectives"] = [c for child in obj.objectives if (c := self.objective(child, level)) is not None]
        update["actions"] = [a for action in obj.actions if (a := self.action(action, level)) is not None]
        copy = obj.model_copy(update=update)
        self.shown[obj.id] = copy
        return copy


def _actions_below(obj: Objective):
    stack = [obj]
    while stack:
        o = stack.pop()
        yield from o.actions
        stack.extend(o.objectives)


def _sources(plan: Plan) -> set[str]:
    return {line.source for a, _o in plan.actions() for line in a.budget if line.source}


def _relabel(budget: Budget, names: dict[str, str]) -> Budget:
    """The same budget with the names of withheld funding sources replaced (their amounts still count)."""
    if not names or not any(s in names for s in budget.by_source):
        return budget
    by_source: dict[str, Any] = {}
    for source, amount in budget.by_source.items():
        key = names.get(source, source)
        by_source[key] = by_source.get(key, 0) + amount
    return dataclasses.replace(budget, by_source=by_source, by_year=dict(budget.by_year))


def publish(plan: Plan, audience: Audience, as_of: dt.date, rollup: Rollup | None = None, withheld_label: str | None = None) -> Published:
    """The plan and its figures as ``audience`` may see them (``withheld_label`` names what is counted but not shown:
    by default « non publié », or « not published » for a plan in English)."""
    if withheld_label is None:
        withheld_label = WITHHELD(plan.lang)
    rollup = rollup if rollup is not None else compute(plan, as_of)
    f = _Filter(plan, audience)
    top = plan_level(plan.meta)
    objectives = [c for obj in plan.objectives if (c := f.objective(obj, top)) is not None]
    shown_plan = Plan(root=plan.root, meta=f.meta_copy(), people={k: f.person(p) for k, p in plan.people.items()},
                      services=dict(plan.services), objectives=objectives, files=list(plan.files), error_count=plan.error_count,
                      origins={k: v for k, v in plan.origins.items() if k in f.shown}, digests=dict(plan.digests))
    hidden_below: dict[str, int] = {}
    names = {source: withheld_label for source in _sources(plan) - _sources(shown_plan)}  # a source only withheld lines name

    def action_result(a: ActionResult) -> ActionResult | None:
        copy = f.shown.get(a.action.id)
        holder = f.shown.get(a.objective.id)
        if copy is None or holder is None:
            return None
        return dataclasses.replace(a, action=copy, objective=holder, budget=_relabel(a.budget, names))

    results: dict[str, ActionResult] = {}
    for a in rollup.actions:
        r = action_result(a)
        if r is not None:
            results[a.action.id] = r

    def objective_result(r: ObjectiveResult) -> ObjectiveResult | None:
        copy = f.shown.get(r.objective.id)
        if copy is None:
            return None
        children = [c for child in r.children if (c := objective_result(child)) is not None]
        actions = [results[a.action.id] for a in r.actions if a.action.id in results]
        shared = [(results[a.action.id], pct) for a, pct in r.shared_in if a.action.id in results]
        below = sum(1 for _ in _actions_below(r.objective))
        shown_below = sum(1 for a in _actions_below(r.objective) if a.id in results)
        hidden_below[r.objective.id] = below - shown_below
        return dataclasses.replace(r, objective=copy, children=children, actions=actions, shared_in=shared, budget=_relabel(r.budget, names))

    shown_rollup = dataclasses.replace(
        rollup, plan=shown_plan, budget=_relabel(rollup.budget, names), objectives=[c for r in rollup.objectives if (c := objective_result(r)) is not None],
        actions=[results[a.action.id] for a in rollup.actions if a.action.id in results])
    return Published(audience, shown_plan, shown_rollup, f.withheld, hidden_below, f.hidden_lines)
