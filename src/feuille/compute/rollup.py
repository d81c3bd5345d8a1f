"""Progress, schedule and budget rolled up from actions to objectives to the plan.

Pure computation over a loaded :class:`~feuille.plan.Plan`, as of a date; nothing
here prints.  The rules are documented in docs/rollup.md:

* an action's progress is its ``progress``; else the mean of its indicators'
  attainment ``(current - baseline) / (target - baseline)`` clamped to 0-100; else
  what its status implies (plan setting ``status_progress``); else unknown;
* an objective's progress is the weighted mean of its children that are known
  (sub-objectives, its actions, and actions of other objectives that serve it),
  cancelled actions left out; its coverage says how many actions were known;
* expected progress is the share of time elapsed between planned start and end;
* verdicts: done, on_track, behind, late, not_started, unknown, cancelled for
  actions; an objective is ``at_risk`` when any action under it is late;
* budget: planned (by year, by source) and spent where known; a shared action's
  budget is split between the objectives it serves by its percentages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from feuille.compute.indicators import TOLERANCE, attainment, progress_of, read, start_of
from feuille.core._perf import paused_gc
from feuille.core.model import Action, Objective, Status
from feuille.core.plan import Plan

_ZERO = Decimal(0)

VERDICTS = ("late", "at_risk", "behind", "on_track", "not_started", "done", "unknown", "cancelled")


@dataclass(slots=True)
class Budget:
    planned: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    spent_known: bool = False
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_source: dict[str, Decimal] = field(default_factory=dict)

    def add(self, other: Budget, share: Decimal | None = None) -> None:
        """Add ``other`` (or the ``share`` of it, a fraction) to this budget."""
        if share is None:
            self.planned += other.planned
            if other.spent_known:
                self.spent += other.spent
                self.spent_known = True
            for year, amount in other.by_year.items():
                self.by_year[year] = self.by_year.get(year, _ZERO) + amount
            for source, amount in other.by_source.items():
                self.by_source[source] = self.by_source.get(source, _ZERO) + amount
            return
        self.planned += other.planned * share
        if other.spent_known:
            self.spent += other.spent * share
            self.spent_known = True
        for year, amount in other.by_year.items():
            self.by_year[year] = self.by_year.get(year, _ZERO) + amount * share
        for source, amount in other.by_source.items():
            self.by_source[source] = self.by_source.get(source, _ZERO) + amount * share

    @property
    def used(self) -> float | None:
        """Share of the planned budget spent, in %, when spending is known."""
        if not self.spent_known or not self.planned:
            return None
        return float(self.spent / self.planned * 100)


@dataclass(slots=True)
class ActionResult:
    action: Action
    objective: Objective  # where it is filed
    progress: float | None
    source: str  # progress | indicators | status | unknown | cancelled
    expected: float | None
    verdict: str
    budget: Budget
    days_late: int = 0
    stale_days: int | None = None  # days since last review (None: never reviewed)
    stale: bool = False
    due_in: int | None = None  # days until planned end, when open


@dataclass(slots=True)
class ObjectiveResult:
    objective: Objective
    depth: int
    progress: float | None
    expected: float | None
    verdict: str
    known: int  # actions whose progress is known
    total: int  # actions counted (cancelled excluded)
    counts: Counter[str]
    budget: Budget
    late: int
    children: list[ObjectiveResult] = field(default_factory=list)
    actions: list[ActionResult] = field(default_factory=list)  # filed here
    shared_in: list[tuple[ActionResult, float]] = field(default_factory=list)  # from elsewhere, with their %


@dataclass(slots=True)
class Rollup:
    plan: Plan
    as_of: dt.date
    objectives: list[ObjectiveResult]
    actions: list[ActionResult]  # every action counted, in plan order
    progress: float | None
    expected: float | None
    known: int
    total: int
    counts: Counter[str]
    budget: Budget
    term_elapsed: float | None  # % of the term elapsed

    def late(self) -> list[ActionResult]:
        return sorted((a for a in self.actions if a.verdict == "late"), key=lambda a: (-a.days_late, a.action.id))

    def due_within(self, days: int) -> list[ActionResult]:
        return sorted((a for a in self.actions if a.due_in is not None and 0 <= a.due_in <= days), key=lambda a: (a.due_in or 0, a.action.id))

    def stale(self) -> list[ActionResult]:
        return sorted((a for a in self.actions if a.stale), key=lambda a: (-(a.stale_days or 10**6), a.action.id))

    def without_owner(self) -> list[ActionResult]:
        return [a for a in self.actions if a.action.status not in _CLOSED and (not a.action.political_owners or not a.action.admin_owner)]


_CLOSED = (Status.done, Status.cancelled)


def _fraction(start: dt.date | None, end: dt.date | None, day: dt.date) -> float | None:
    if start is None or end is None or end < start:
        return None
    if day <= start:
        return 0.0
    if day >= end or end == start:
        return 100.0
    return (day - start).days / (end - start).days * 100


def indicator_attainment(action: Action, as_of: dt.date, plan: Plan | None = None) -> float | None:
    """Mean progress of the action's indicators that can be computed, in % (compute/indicators.py's rule):
    its own, and with ``plan`` those it links to (``linked_indicators``)."""
    return attainment(plan.indicators_of(action) if plan is not None else action.indicators, as_of)


def action_progress(action: Action, status_map: dict[str, float], as_of: dt.date, plan: Plan | None = None) -> tuple[float | None, str]:
    if action.status is Status.cancelled:
        return None, "cancelled"
    if action.progress is not None:
        return float(action.progress), "progress"
    from_indicators = indicator_attainment(action, as_of, plan)
    if from_indicators is not None:
        return from_indicators, "indicators"
    if action.status.value in status_map:
        return float(status_map[action.status.value]), "status"
    return None, "unknown"


def _budget(action: Action, total: Budget) -> Budget:
    """The action's budget; its lines are also added to ``total`` (each action once)."""
    b = Budget()
    for line in action.budget:
        amount = line.amount
        source = line.source or "?"
        for into in (b, total):
            into.planned += amount
            into.by_year[line.year] = into.by_year.get(line.year, _ZERO) + amount
            into.by_source[source] = into.by_source.get(source, _ZERO) + amount
            if line.spent is not None:
                into.spent += line.spent
                into.spent_known = True
    return b


def _action_result(action: Action, objective: Objective, as_of: dt.date, status_map: dict[str, float], stale_after: int, total: Budget,
                   plan: Plan | None = None) -> ActionResult:
    progress, source = action_progress(action, status_map, as_of, plan)
    start = action.actual_start or action.planned_start
    expected = _fraction(action.planned_start or start, action.planned_end, as_of)
    status = action.status
    days_late = 0
    due_in = None
    if status is Status.cancelled:
        verdict = "cancelled"
    elif status is Status.done:
        verdict = "done"
    elif action.planned_end is not None and action.planned_end < as_of:
        verdict, days_late = "late", (as_of - action.planned_end).days
    elif status is Status.not_started:
        verdict = "behind" if action.planned_start is not None and action.planned_start < as_of else "not_started"
    elif progress is not None and expected is not None:
        verdict = "on_track" if progress + TOLERANCE >= expected else "behind"
    else:
        verdict = "unknown"
    if status not in _CLOSED and action.planned_end is not None and action.planned_end >= as_of:
        due_in = (action.planned_end - as_of).days
    stale_days = (as_of - action.last_reviewed).days if action.last_reviewed else None
    stale = status not in _CLOSED and (stale_days is None or stale_days > stale_after)
    return ActionResult(action, objective, progress, source, expected, verdict, _budget(action, total), days_late, stale_days, stale, due_in)


def _mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    total_w = 0.0
    total = 0.0
    for value, weight in pairs:
        total += value * weight
        total_w += weight
    return total / total_w if total_w > 0 else None


def compute(plan: Plan, as_of: dt.date, keep: Callable[[Action, Objective], bool] | None = None) -> Rollup:
    """Roll the plan up as of ``as_of``; ``keep`` restricts the actions counted (filters)."""
    with paused_gc():
        return _compute(plan, as_of, keep)


def _compute(plan: Plan, as_of: dt.date, keep: Callable[[Action, Objective], bool] | None) -> Rollup:
    settings = plan.meta.settings if plan.meta else None
    status_map = dict(settings.status_progress) if settings else {"not_started": 0.0, "done": 100.0}
    weighting = settings.rollup_weights if settings else "equal"
    stale_after = settings.stale_after_days if settings else 180
    with_indicators = bool(settings and settings.indicators_in_progress)
    start = start_of(plan)
    results: dict[int, ActionResult] = {}
    order: list[ActionResult] = []
    plan_budget = Budget()  # each action once, whatever it serves
    for action, objective in plan.actions():
        if keep is not None and not keep(action, objective):
            continue
        r = _action_result(action, objective, as_of, status_map, stale_after, plan_budget, plan)
        results[id(action)] = r
        order.append(r)
    shared: dict[str, list[tuple[ActionResult, float]]] = defaultdict(list)
    for r in order:
        for share in r.action.serves:
            if share.objective != r.objective.id:
                shared[share.objective].append((r, share.percent))

    def own_share(r: ActionResult) -> float:
        for share in r.action.serves:
            if share.objective == r.objective.id:
                return share.percent
        return 100.0 if not r.action.serves else 0.0

    def weight_of(budget: Budget, item: Action | Objective) -> float:
        if weighting == "weight":
            return float(item.weight) if item.weight is not None else 1.0
        if weighting == "budget":
            return float(budget.planned)
        return 1.0

    def walk(obj: Objective, depth: int) -> ObjectiveResult | None:
        kids = [k for k in (walk(c, depth + 1) for c in obj.objectives) if k is not None]
        mine = [results[id(a)] for a in obj.actions if id(a) in results]
        guests = shared.get(obj.id, [])
        if not kids and not mine and not guests and keep is not None:
            return None
        budget = Budget()
        counts: Counter[str] = Counter()
        known = total = late = 0
        entries: list[tuple[float | None, float | None, float]] = []  # (progress, expected, weight)
        for k in kids:
            budget.add(k.budget)
            counts.update(k.counts)
            known, total, late = known + k.known, total + k.total, late + k.late
            entries.append((k.progress, k.expected, weight_of(k.budget, k.objective)))
        for r, pct in [(r, own_share(r)) for r in mine] + guests:
            if pct == 100.0:
                part = r.budget
            else:
                part = Budget()
                part.add(r.budget, Decimal(str(pct)) / 100)
            budget.add(part)
            if r.verdict == "cancelled":
                continue
            entries.append((r.progress, r.expected, weight_of(part, r.action)))
        for r in mine:
            counts[r.action.status.value] += 1
            if r.verdict == "cancelled":
                continue
            total += 1
            known += r.progress is not None
            late += r.verdict == "late"
        if weighting == "budget" and not any(w for p, _e, w in entries if p is not None):
            entries = [(p, e, 1.0) for p, e, _w in entries]  # no budget at all: equal weights
        if with_indicators:  # settings.indicators_in_progress: each of its indicators as one more child
            others = [w for _p, _e, w in entries]
            w_ind = 1.0 if weighting != "budget" or not others else sum(others) / len(others)
            for ind in plan.indicators_of(obj):
                r = read(ind, as_of, start)
                if r.progress is not None:
                    entries.append((r.progress, progress_of(ind, r.expected)[0] if r.expected is not None else None, w_ind))
        progress = _mean((p, w) for p, _e, w in entries if p is not None)
        expected = _mean((e, w) for _p, e, w in entries if e is not None)
        verdict = _objective_verdict(progress, expected, counts, late, total)
        return ObjectiveResult(obj, depth, progress, expected, verdict, known, total, counts, budget, late, kids, mine, guests)

    tops = [t for t in (walk(o, 1) for o in plan.objectives) if t is not None]
    counts: Counter[str] = Counter(r.action.status.value for r in order)
    counted = [r for r in order if r.verdict != "cancelled"]
    progress = _mean((t.progress, 1.0) for t in tops if t.progress is not None)
    expected = _mean((t.expected, 1.0) for t in tops if t.expected is not None)
    term = _fraction(plan.meta.term.start, plan.meta.term.end, as_of) if plan.meta else None
    return Rollup(plan, as_of, tops, order, progress, expected, sum(1 for r in counted if r.progress is not None), len(counted), counts, plan_budget, term)


def progress_by_objective(plan: Plan, as_of: dt.date, memo: dict[Any, Any] | None = None) -> tuple[float | None, dict[str, float | None]]:
    """The plan's progress and each objective's, as :func:`compute` reckons them, and nothing else (a trend's point).

    The same arithmetic in the same order (so the same floats), without budgets, verdicts or counts,
    unless the plan weighs by budget or counts its objectives' indicators (then :func:`compute` itself).  ``memo`` keeps, per objective, what its
    actions count for when none depends on the day (none measured by indicators alone), keyed by the action
    objects: the revisions of a history share their unchanged files' actions (pipeline.Reuse), so each
    objective of an unchanged file is reckoned once.
    """
    settings = plan.meta.settings if plan.meta else None
    weighting = settings.rollup_weights if settings else "equal"
    if weighting == "budget" or (settings is not None and settings.indicators_in_progress):
        rollup = compute(plan, as_of)
        values: dict[str, float | None] = {}
        stack = list(rollup.objectives)
        while stack:
            r = stack.pop()
            values[r.objective.id] = r.progress
            stack.extend(r.children)
        return rollup.progress, values
    status_map = dict(settings.status_progress) if settings else {"not_started": 0.0, "done": 100.0}
    memo = {} if memo is None else memo
    by_weight = weighting == "weight"
    rules = (by_weight, tuple(sorted(status_map.items())))
    own: dict[int, list[tuple[float | None, float]]] = {}  # id(objective) -> (progress, weight) of its actions counted
    shared: dict[str, list[tuple[float | None, float, bool]]] = defaultdict(list)  # objective id -> its guests (progress, weight, cancelled)
    for obj, _parent, _depth in plan.walk():
        actions = obj.actions
        key = (obj.id, rules, tuple(map(id, actions)))  # the same action objects (a history's unchanged file): reckoned once
        found = memo.get(key)
        if found is None:
            entries: list[tuple[float | None, float]] = []
            foreign: list[tuple[str, float | None, float, bool]] = []
            fixed = True  # nothing here depends on the day
            for action in actions:
                value = action_progress(action, status_map, as_of, plan)[0]
                cancelled = action.status is Status.cancelled
                fixed = fixed and (cancelled or action.progress is not None or not (action.indicators or action.linked_indicators))
                weight = (float(action.weight) if action.weight is not None else 1.0) if by_weight else 1.0
                if not cancelled:
                    entries.append((value, weight))
                for share in action.serves:
                    if share.objective != obj.id:
                        foreign.append((share.objective, value, weight, cancelled))
            if fixed:
                memo[key] = (actions, entries, foreign)  # the actions kept alive: their ids stay theirs
        else:
            entries, foreign = found[1], found[2]
        own[id(obj)] = entries
        for target, value, weight, cancelled in foreign:
            shared[target].append((value, weight, cancelled))
    values: dict[str, float | None] = {}

    def walk(obj: Objective) -> float | None:
        entries: list[tuple[float | None, float]] = []
        for k in obj.objectives:
            entries.append((walk(k), (float(k.weight) if k.weight is not None else 1.0) if by_weight else 1.0))
        entries += own[id(obj)]
        entries += [(p, w) for p, w, cancelled in shared.get(obj.id, ()) if not cancelled]
        value = _mean((p, w) for p, w in entries if p is not None)
        values[obj.id] = value
        return value

    tops = [walk(o) for o in plan.objectives]
    return _mean((t, 1.0) for t in tops if t is not None), values


def _objective_verdict(progress: float | None, expected: float | None, counts: Counter[str], late: int, total: int) -> str:
    if total == 0:
        return "cancelled" if counts.get("cancelled") else "unknown"
    if counts.get("done", 0) == total:
        return "done"
    if late:
        return "at_risk"
    if counts.get("not_started", 0) == total:
        return "not_started"
    if progress is None or expected is None:
        return "unknown"
    return "on_track" if progress + TOLERANCE >= expected else "behind"


def combine(rollups: list[Rollup]) -> dict[str, object]:
    """The joint figures of several plans (e.g. a city and its CPAS)."""
    budget = Budget()
    counts: Counter[str] = Counter()
    for r in rollups:
        budget.add(r.budget)
        counts.update(r.counts)
    known = sum(r.known for r in rollups)
    total = sum(r.total for r in rollups)
    progress = _mean((t.progress, 1.0) for r in rollups for t in r.objectives if t.progress is not None)
    expected = _mean((t.expected, 1.0) for r in rollups for t in r.objectives if t.expected is not None)
    late = sum(len(r.late()) for r in rollups)
    return {"progress": progress, "expected": expected, "known": known, "total": total, "counts": counts, "budget": budget, "late": late}
