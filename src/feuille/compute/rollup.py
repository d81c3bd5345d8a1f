"""Progress, schedule and budget rolled up from actions to objectives to the plan.

Pure computation over a loaded :class:`~feuille.plan.Plan`, as of a date; nothing
here prints.  The rules are documented in docs/rollup.md:

* an action's progress is its ``progress``; else the mean of its sub-actions' that are
  known (their ``progress``, else what their status implies); else the mean of its
  indicators' attainment ``(current - baseline) / (target - baseline)`` clamped to 0-100;
  else what its status implies (plan setting ``status_progress``); else unknown;
* an objective's progress is the weighted mean of its children that are known
  (sub-objectives, its actions, and actions of other objectives that serve it),
  cancelled actions left out; its coverage says how many actions were known; when
  none is known, the progress it declares (``progress_declared``, from its date on),
  said as declared, never as computed; a strand's (volet) likewise from its objectives;
* expected progress is the share of time elapsed between planned start and end;
* verdicts: done, on_track, behind, late, not_started, unknown, cancelled for
  actions; an objective is ``at_risk`` when any action under it is late;
* budget: planned (by year, by source) and spent where known; a shared action's
  budget is split between the objectives it serves by its percentages; an objective's
  (or a strand's) own lines apart from what comes from below; revenues (``type:
  revenue``) apart from the planned expenses; the amounts of each funder, and
  their totals « par financeur » with their shares of the planned budget and the own funds.
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
from feuille.core.model import EMPTY, VOLET_IDS, Action, BudgetLine, BudgetType, DeclaredProgress, Objective, Status, SubAction, VoletItem
from feuille.core.plan import Plan

_ZERO = Decimal(0)


def _first(amount: Decimal) -> Decimal:
    """``0 + amount``, a total of that one amount: ``amount`` itself when that is the same number digit for digit (its
    sign and exponent: not for -0 nor 1E+3, whose sums are 0 and 1000), rather than a new equal one (~0.4 KB per
    action of a plan: its totals by year and by source)."""
    total = _ZERO + amount
    return amount if total.same_quantum(amount) and not amount.is_signed() else total

VERDICTS = ("late", "at_risk", "behind", "on_track", "not_started", "done", "unknown", "cancelled")


class _NoFunders(dict[str, Decimal]):
    """The totals by funder of every budget without any (most of a plan's: one empty dict less per action), read-only:
    :meth:`Budget._funders` gives a budget its own at its first funder."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a budget's shared empty totals by funder are read-only (Budget._funders)")

    __setitem__ = __delitem__ = setdefault = update = pop = popitem = clear = __ior__ = _read_only


_NO_FUNDERS = _NoFunders()


@dataclass(slots=True)
class Budget:
    planned: Decimal = _ZERO  # the expenses planned (revenue lines apart)
    spent: Decimal = Decimal(0)
    spent_known: bool = False
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_source: dict[str, Decimal] = field(default_factory=dict)
    revenue: Decimal = Decimal(0)  # the revenue lines (``type: revenue``: subsidies...)
    by_funder: dict[str, Decimal] = field(default_factory=lambda: _NO_FUNDERS)  # funder -> amount (``funders``, else a line's ``funder``)

    def _funders(self) -> dict[str, Decimal]:
        """Its totals by funder, to add to (its own from the first funder on)."""
        if self.by_funder is _NO_FUNDERS:
            self.by_funder = {}
        return self.by_funder

    def add(self, other: Budget, share: Decimal | None = None) -> None:
        """Add ``other`` (or the ``share`` of it, a fraction) to this budget."""
        if share is None:
            self.planned += other.planned
            self.revenue += other.revenue
            if other.spent_known:
                self.spent += other.spent
                self.spent_known = True
            for year, amount in other.by_year.items():
                self.by_year[year] = self.by_year.get(year, _ZERO) + amount
            for source, amount in other.by_source.items():
                self.by_source[source] = self.by_source.get(source, _ZERO) + amount
            if other.by_funder:
                funders = self._funders()
                for funder, amount in other.by_funder.items():
                    funders[funder] = funders.get(funder, _ZERO) + amount
            return
        self.planned += other.planned * share
        self.revenue += other.revenue * share
        if other.spent_known:
            self.spent += other.spent * share
            self.spent_known = True
        for year, amount in other.by_year.items():
            self.by_year[year] = self.by_year.get(year, _ZERO) + amount * share
        for source, amount in other.by_source.items():
            self.by_source[source] = self.by_source.get(source, _ZERO) + amount * share
        if other.by_funder:
            funders = self._funders()
            for funder, amount in other.by_funder.items():
                funders[funder] = funders.get(funder, _ZERO) + amount * share

    def line(self, line: BudgetLine) -> None:
        """Count one budget line."""
        amount = line.amount
        if line.funders:
            funders = self._funders()
            for f in line.funders:
                funders[f.name] = funders.get(f.name, _ZERO) + f.amount
        elif line.funder:
            funders = self._funders()
            funders[line.funder] = funders.get(line.funder, _ZERO) + amount
        if line.type is BudgetType.revenue:
            self.revenue += amount
            return
        self.planned = _first(amount) if self.planned is _ZERO else self.planned + amount
        before = self.by_year.get(line.year)
        self.by_year[line.year] = _first(amount) if before is None else before + amount
        source = line.source or "?"
        before = self.by_source.get(source)
        self.by_source[source] = _first(amount) if before is None else before + amount
        if line.spent is not None:
            self.spent += line.spent
            self.spent_known = True

    @property
    def empty(self) -> bool:
        return not self.planned and not self.revenue and not self.by_funder and not self.spent_known

    @property
    def used(self) -> float | None:
        """Share of the planned budget spent, in %, when spending is known."""
        if not self.spent_known or not self.planned:
            return None
        return float(self.spent / self.planned * 100)

    @property
    def funding(self) -> Funding | None:
        """What each funder pays and the own funds (what no funder covers), with their shares of the planned budget;
        None when no line names a funder."""
        return funding(self)


@dataclass(frozen=True, slots=True)
class FunderShare:
    name: str
    amount: Decimal
    share: float | None  # % of the planned budget (None when nothing is planned)


@dataclass(frozen=True, slots=True)
class Funding:
    """The totals « par financeur » of a budget: each funder (the largest first), then the own funds."""

    funders: tuple[FunderShare, ...]
    own: Decimal  # the planned budget no funder covers (never below 0)
    own_share: float | None


def funding(budget: Budget) -> Funding | None:
    """The totals by funder of ``budget`` (see :attr:`Budget.funding`): the amounts of ``by_funder``, each with its share of
    the planned expenses; the own funds are the planned expenses less what the funders give (0 when they give more)."""
    if not budget.by_funder:
        return None
    planned = Decimal(budget.planned)

    def share(amount: Decimal) -> float | None:
        return float(amount / planned * 100) if planned else None

    rows = tuple(FunderShare(name, Decimal(amount), share(Decimal(amount)))
                 for name, amount in sorted(budget.by_funder.items(), key=lambda x: (-x[1], x[0])))
    own = max(planned - sum((r.amount for r in rows), _ZERO), _ZERO)
    return Funding(rows, own, share(own))


@dataclass(slots=True)
class SubActionResult:
    sub: SubAction
    action: Action  # the action it belongs to
    objective: Objective  # where the action is filed
    progress: float | None
    source: str  # progress | status | unknown | cancelled
    expected: float | None
    verdict: str
    days_late: int = 0
    due_in: int | None = None  # days until planned end, when open

    @property
    def item(self) -> SubAction:
        return self.sub


@dataclass(slots=True)
class ActionResult:
    action: Action
    objective: Objective  # where it is filed
    progress: float | None
    source: str  # progress | sub_actions | indicators | status | unknown | cancelled
    expected: float | None
    verdict: str
    budget: Budget
    days_late: int = 0
    stale_days: int | None = None  # days since last review (None: never reviewed)
    stale: bool = False
    due_in: int | None = None  # days until planned end, when open
    subs: list[SubActionResult] = field(default_factory=list)  # its sub-actions, in order

    @property
    def item(self) -> Action:
        return self.action

    @property
    def subs_known(self) -> int:
        """Its sub-actions (cancelled ones aside) whose progress is known."""
        return sum(1 for s in self.subs if s.progress is not None)

    @property
    def subs_counted(self) -> int:
        return sum(1 for s in self.subs if s.verdict != "cancelled")


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
    budget: Budget  # its own lines and all that comes from below
    late: int
    children: list[ObjectiveResult] = field(default_factory=list)
    actions: list[ActionResult] = field(default_factory=list)  # filed here
    shared_in: list[tuple[ActionResult, float]] = field(default_factory=list)  # from elsewhere, with their %
    own_budget: Budget = field(default_factory=Budget)  # its own budget lines
    progress_from: str = "children"  # children | declared (its progress_declared: nothing below has a progress) | none
    declared: DeclaredProgress | None = None  # its progress_declared in force at the date (used or not)
    declared_below: int = 0  # objectives below it (itself excluded) whose progress is their declared one

    @property
    def from_below(self) -> Decimal:
        """The planned budget that comes from its actions and sub-objectives."""
        return self.budget.planned - self.own_budget.planned


@dataclass(slots=True)
class VoletResult:
    """A strand of the PST (eComptes' Volet): the top-level objectives that name it, and what plan.yaml says of it."""

    key: str  # internal | external
    item: VoletItem | None  # its entry in plan.yaml's volets, if any
    objectives: list[ObjectiveResult]
    progress: float | None
    expected: float | None
    progress_from: str  # children | declared | none
    declared: DeclaredProgress | None
    own_budget: Budget
    budget: Budget
    declared_below: int = 0

    @property
    def ident(self) -> str:
        return self.item.ident if self.item is not None else VOLET_IDS[self.key]


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
    volets: list[VoletResult] = field(default_factory=list)
    declared: int = 0  # objectives whose progress is their declared one

    def sub_actions(self) -> list[SubActionResult]:
        return [s for a in self.actions for s in a.subs]

    def late(self) -> list[ActionResult]:
        return sorted((a for a in self.actions if a.verdict == "late"), key=lambda a: (-a.days_late, a.action.id))

    def due_within(self, days: int) -> list[ActionResult]:
        return sorted((a for a in self.actions if a.due_in is not None and 0 <= a.due_in <= days), key=lambda a: (a.due_in or 0, a.action.id))

    def late_items(self) -> list[ActionResult | SubActionResult]:
        """Late actions and sub-actions, the latest first (a sub-action is named with its own id: A1.1.2)."""
        found: list[ActionResult | SubActionResult] = [*self.late(), *(s for s in self.sub_actions() if s.verdict == "late")]
        return sorted(found, key=lambda a: (-a.days_late, a.item.id or ""))

    def due_items(self, days: int) -> list[ActionResult | SubActionResult]:
        """Actions and sub-actions due within ``days``, the nearest first."""
        found: list[ActionResult | SubActionResult] = [*self.due_within(days), *(s for s in self.sub_actions() if s.due_in is not None and 0 <= s.due_in <= days)]
        return sorted(found, key=lambda a: (a.due_in or 0, a.item.id or ""))

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


def sub_action_progress(sub: SubAction, status_map: dict[str, float]) -> tuple[float | None, str]:
    """A sub-action's progress: its ``progress``, else what its status implies; None when cancelled or unknown."""
    if sub.status is Status.cancelled:
        return None, "cancelled"
    if sub.progress is not None:
        return float(sub.progress), "progress"
    if sub.status.value in status_map:
        return float(status_map[sub.status.value]), "status"
    return None, "unknown"


def sub_actions_progress(action: Action, status_map: dict[str, float]) -> float | None:
    """The mean progress of an action's sub-actions that are known (cancelled ones aside), or None."""
    known = [p for sub in action.sub_actions if (p := sub_action_progress(sub, status_map)[0]) is not None]
    return sum(known) / len(known) if known else None


def action_progress(action: Action, status_map: dict[str, float], as_of: dt.date, plan: Plan | None = None) -> tuple[float | None, str]:
    """An action's progress and where it comes from: its ``progress``, else its sub-actions', else its indicators', else its status."""
    if action.status is Status.cancelled:
        return None, "cancelled"
    if action.progress is not None:
        return float(action.progress), "progress"
    if action.sub_actions:
        from_subs = sub_actions_progress(action, status_map)
        if from_subs is not None:
            return from_subs, "sub_actions"
    from_indicators = indicator_attainment(action, as_of, plan)
    if from_indicators is not None:
        return from_indicators, "indicators"
    if action.status.value in status_map:
        return float(status_map[action.status.value]), "status"
    return None, "unknown"


def _budget(item: Action | Objective | VoletItem, total: Budget) -> Budget:
    """The budget of an item's own lines; they are also added to ``total`` (each item once)."""
    b = Budget()
    for line in item.budget:
        b.line(line)
        total.line(line)
    return b


def _verdict(item: Action | SubAction, progress: float | None, expected: float | None, as_of: dt.date) -> tuple[str, int, int | None]:
    """(verdict, days late, days until due) of an action or a sub-action."""
    status = item.status
    days_late = 0
    due_in = None
    if status is Status.cancelled:
        verdict = "cancelled"
    elif status is Status.done:
        verdict = "done"
    elif item.planned_end is not None and item.planned_end < as_of:
        verdict, days_late = "late", (as_of - item.planned_end).days
    elif status is Status.not_started:
        verdict = "behind" if item.planned_start is not None and item.planned_start < as_of else "not_started"
    elif progress is not None and expected is not None:
        verdict = "on_track" if progress + TOLERANCE >= expected else "behind"
    else:
        verdict = "unknown"
    if status not in _CLOSED and item.planned_end is not None and item.planned_end >= as_of:
        due_in = (item.planned_end - as_of).days
    return verdict, days_late, due_in


def _sub_result(sub: SubAction, action: Action, objective: Objective, as_of: dt.date, status_map: dict[str, float]) -> SubActionResult:
    progress, source = sub_action_progress(sub, status_map)
    expected = _fraction(sub.planned_start or sub.actual_start, sub.planned_end, as_of)
    verdict, days_late, due_in = _verdict(sub, progress, expected, as_of)
    return SubActionResult(sub, action, objective, progress, source, expected, verdict, days_late, due_in)


def _action_result(action: Action, objective: Objective, as_of: dt.date, status_map: dict[str, float], stale_after: int, total: Budget,
                   plan: Plan | None = None) -> ActionResult:
    progress, source = action_progress(action, status_map, as_of, plan)
    start = action.actual_start or action.planned_start
    expected = _fraction(action.planned_start or start, action.planned_end, as_of)
    status = action.status
    verdict, days_late, due_in = _verdict(action, progress, expected, as_of)
    stale_days = (as_of - action.last_reviewed).days if action.last_reviewed else None
    stale = status not in _CLOSED and (stale_days is None or stale_days > stale_after)
    subs = [_sub_result(sub, action, objective, as_of, status_map) for sub in action.sub_actions] if action.sub_actions else EMPTY
    return ActionResult(action, objective, progress, source, expected, verdict, _budget(action, total), days_late, stale_days, stale, due_in, subs)


def declared_at(declared: DeclaredProgress | None, as_of: dt.date) -> DeclaredProgress | None:
    """A declared progress in force at ``as_of`` (declared on that day or before), or None."""
    return declared if declared is not None and declared.date <= as_of else None


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
        own = _budget(obj, plan_budget) if obj.budget and keep is None else Budget()  # a filtered view counts the chosen actions only
        budget = Budget()
        budget.add(own)
        counts: Counter[str] = Counter()
        known = total = late = declared_below = 0
        entries: list[tuple[float | None, float | None, float]] = []  # (progress, expected, weight)
        for k in kids:
            declared_below += k.declared_below + (k.progress_from == "declared")
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
        declared = declared_at(obj.progress_declared, as_of)
        source = "children" if progress is not None else "none"
        if progress is None and declared is not None:  # nothing below has a progress: the one it declares, said as declared
            progress, source = float(declared.value), "declared"
            if expected is None:
                expected = _fraction(obj.planned_start, obj.planned_end, as_of)
            verdict = _declared_verdict(progress, expected, verdict)
        return ObjectiveResult(obj, depth, progress, expected, verdict, known, total, counts, budget, late, kids, mine, guests,
                               own, source, declared, declared_below)

    tops = [t for t in (walk(o, 1) for o in plan.objectives) if t is not None]
    volets = _volets(plan, tops, as_of, plan_budget if keep is None else Budget())
    counts: Counter[str] = Counter(r.action.status.value for r in order)
    counted = [r for r in order if r.verdict != "cancelled"]
    progress = _mean((t.progress, 1.0) for t in tops if t.progress is not None)
    expected = _mean((t.expected, 1.0) for t in tops if t.expected is not None)
    term = _fraction(plan.meta.term.start, plan.meta.term.end, as_of) if plan.meta else None
    declared = sum(t.declared_below + (t.progress_from == "declared") for t in tops)
    return Rollup(plan, as_of, tops, order, progress, expected, sum(1 for r in counted if r.progress is not None), len(counted), counts, plan_budget, term,
                  volets, declared)


def _declared_verdict(progress: float, expected: float | None, verdict: str) -> str:
    """The verdict of an objective whose progress is its declared one (nothing below it says more)."""
    if progress >= 100:
        return "done"
    if verdict not in ("unknown", "not_started"):
        return verdict
    if expected is None:
        return "unknown"
    return "on_track" if progress + TOLERANCE >= expected else "behind"


def _volets(plan: Plan, tops: list[ObjectiveResult], as_of: dt.date, plan_budget: Budget) -> list[VoletResult]:
    """The strands: those plan.yaml describes, then those only objectives name, each with its top-level objectives."""
    items = {v.volet.value: v for v in plan.volets}
    keys = list(items) + [k for k in ("internal", "external") if k not in items and any(t.objective.volet is not None and t.objective.volet.value == k for t in tops)]
    out = []
    for key in keys:
        item = items.get(key)
        mine = [t for t in tops if t.objective.volet is not None and t.objective.volet.value == key]
        own = _budget(item, plan_budget) if item is not None and item.budget else Budget()
        budget = Budget()
        budget.add(own)
        for t in mine:
            budget.add(t.budget)
        progress = _mean((t.progress, 1.0) for t in mine if t.progress is not None)
        expected = _mean((t.expected, 1.0) for t in mine if t.expected is not None)
        declared = declared_at(item.progress_declared if item is not None else None, as_of)
        source = "children" if progress is not None else "none"
        if progress is None and declared is not None:
            progress, source = float(declared.value), "declared"
        below = sum(t.declared_below + (t.progress_from == "declared") for t in mine)
        out.append(VoletResult(key, item, mine, progress, expected, source, declared, own, budget, below))
    return out


_MEANS = object()  # the memo's entry for the means of its entries


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
    means: dict[int, tuple[list[Any], float | None]] = memo.setdefault(_MEANS, {})  # id(memoised entries) -> (them, their mean)
    kept: set[int] = set()  # ids of the entries taken from or put in the memo
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
                kept.add(id(entries))
        else:
            entries, foreign = found[1], found[2]
            kept.add(id(entries))
        own[id(obj)] = entries
        for target, value, weight, cancelled in foreign:
            shared[target].append((value, weight, cancelled))
    values: dict[str, float | None] = {}

    def walk(obj: Objective) -> float | None:
        mine = own[id(obj)]
        if not obj.objectives and obj.id not in shared and id(mine) in kept:  # only its actions, unchanged: their mean once
            known = means.get(id(mine))
            if known is None or known[0] is not mine:
                known = means[id(mine)] = (mine, _mean((p, w) for p, w in mine if p is not None))
            value = known[1]
        else:
            entries: list[tuple[float | None, float]] = []
            for k in obj.objectives:
                entries.append((walk(k), (float(k.weight) if k.weight is not None else 1.0) if by_weight else 1.0))
            entries += mine
            entries += [(p, w) for p, w, cancelled in shared.get(obj.id, ()) if not cancelled]
            value = _mean((p, w) for p, w in entries if p is not None)
        if value is None and (declared := declared_at(obj.progress_declared, as_of)) is not None:
            value = float(declared.value)
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
