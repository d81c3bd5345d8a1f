"""Rank objectives or actions by stake, urgency and return on investment.

Pure computation, documented with its formulas in docs/prioritisation.md:

* each item has a stake, an urgency and an ROI score on the plan's scale; urgency
  may be derived from the deadline, ROI from the estimated gain and the cost;
  a score still missing is reported and the item is left unranked (never 0);
* ``weighted``: total = sum of weight x normalised score / sum of weights, 0-100;
* ``matrix``: quadrant of the stake x urgency matrix first (do first, plan, quick
  win, later), then the weighted total within a quadrant;
* ``wsjf``: value / cost, value = weighted stake and urgency, cost = the item's
  budget on the scale (plan-relative bands);
* equal totals are ordered by stake, then urgency, then ROI (flagged ``tied``); items that this
  rule cannot separate (same total, stake, urgency and ROI) are ex aequo: they share one rank
  (competition ranking: 1, 2, 2, 4) and are listed by id;
* finished actions (done or cancelled) are not ranked: they are kept apart (``finished``) so that
  a view says so instead of leaving them out silently;
* sensitivity: for each criterion, the range of its weight (others fixed) within
  which an item keeps its rank.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from feuille.core.errors import UserError
from feuille.core.i18n import msg
from feuille.core.model import Action, Objective, Status, _Item
from feuille.core.plan import Plan, subtree
from feuille.core.registry import find_anywhere

CRITERIA = ("stake", "urgency", "roi")
METHODS = ("weighted", "matrix", "wsjf")
QUADRANTS = ("do_first", "plan", "quick_win", "later")


class PriorityError(UserError, ValueError):
    """A ranking option that cannot be used; the message is a catalogue message (:meth:`text`)."""

    code = "priority"




@dataclass(frozen=True, slots=True)
class Scale:
    lo: int = 1
    hi: int = 5

    def norm(self, value: float) -> float:
        return (value - self.lo) / (self.hi - self.lo) if self.hi > self.lo else 0.0

    def band(self, k: int, bands: int) -> float:
        """The score ``k`` bands above the bottom, of ``bands`` in all."""
        return self.lo + (self.hi - self.lo) * k / bands if bands else float(self.hi)

    @property
    def middle(self) -> float:
        return (self.lo + self.hi) / 2


@dataclass(slots=True)
class Scored:
    item: _Item
    parent: Objective | None
    scores: dict[str, float | None]
    sources: dict[str, str]  # criterion -> given | deadline | gain | gain_score | missing
    cost: Decimal | None
    total: float | None = None
    quadrant: str | None = None
    rank: int | None = None  # competition rank: ex aequo items share the rank of the first of them (1, 2, 2, 4)
    position: int | None = None  # 0-based place in the ranked order (ties listed by id)
    tied: bool = False  # same total as a neighbour: the order comes from the tie-break
    ex_aequo: bool = False  # same total and same stake, urgency and ROI as a neighbour: only the id orders them (shown « = »)

    @property
    def missing(self) -> list[str]:
        return [c for c in CRITERIA if self.scores[c] is None]


@dataclass(slots=True)
class Ranking:
    plan: Plan
    as_of: dt.date
    level: str
    method: str
    weights: dict[str, float]
    scale: Scale
    ranked: list[Scored] = field(default_factory=list)
    unranked: list[Scored] = field(default_factory=list)
    finished: list[Action] = field(default_factory=list)  # done or cancelled: never ranked, listed apart
    filtered: bool = False  # a filter (--owner, --status...) chose the items

    _vectors: list[tuple[tuple[float, ...], float]] | None = None

    def vectors(self) -> list[tuple[tuple[float, ...], float]]:
        """Normalised scores and weighted sum N of each ranked item, in rank order."""
        if self._vectors is None:
            w = [self.weights[c] for c in CRITERIA]
            self._vectors = []
            for s in self.ranked:
                x = tuple(self.scale.norm(s.scores[c] or 0) for c in CRITERIA)
                self._vectors.append((x, sum(a * b for a, b in zip(w, x, strict=True))))
        return self._vectors

    def find(self, ident: str) -> Scored | None:
        return next((s for s in [*self.ranked, *self.unranked] if s.item.id == ident), None)

    def find_finished(self, ident: str) -> Action | None:
        return next((a for a in self.finished if a.id == ident), None)

    def top(self, n: int | None) -> list[Scored]:
        """The first ``n`` ranked items, and those ex aequo with the last of them (a tie is never cut)."""
        if n is None or n >= len(self.ranked):
            return list(self.ranked)
        if n <= 0:
            return []
        last = self.ranked[n - 1].rank
        end = n
        while end < len(self.ranked) and self.ranked[end].rank == last:
            end += 1
        return self.ranked[:end]

    def group(self, s: Scored) -> list[Scored]:
        """The ranked items ex aequo with ``s`` (``s`` included), in order; ``[s]`` when it has no tie."""
        if s.position is None:
            return [s]
        first = last = s.position
        while first > 0 and self.ranked[first - 1].rank == s.rank:
            first -= 1
        while last + 1 < len(self.ranked) and self.ranked[last + 1].rank == s.rank:
            last += 1
        return self.ranked[first : last + 1]

    def first_of_group(self, s: Scored) -> bool:
        """Whether ``s`` opens its group of ex aequo items (a view shows the shared rank once, on that row)."""
        return s.position is not None and (s.position == 0 or self.ranked[s.position - 1].rank != s.rank)


def parse_weights(text: str | None, defaults: dict[str, float]) -> dict[str, float]:
    """``stake=2,urgency=1,roi=1`` (French names accepted) over the plan's defaults."""
    weights = dict(defaults)
    if not text:
        return weights

    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        key = name.strip().lower()
        key = key if key in CRITERIA else next((k for k in find_anywhere(key) if k in CRITERIA), key)
        if not sep or key not in CRITERIA:

            close = difflib.get_close_matches(key, CRITERIA, n=1)
            hint = msg(" Did you mean '{value}'?", value=close[0]) if close else ""
            raise PriorityError(msg("unknown weight '{part}': write stake=, urgency= or roi= (for example stake=2,urgency=1,roi=1).{hint}", part=part.strip(), hint=hint))
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise PriorityError(msg("weight '{part}': '{value}' is not a number.", part=part.strip(), value=value)) from None
        if number < 0 or math.isnan(number) or math.isinf(number):
            raise PriorityError(msg("weight '{part}': a weight is a positive number or zero.", part=part.strip()))
        weights[key] = number
    if not any(weights.values()):
        raise PriorityError(msg("all the weights are zero: at least one must be positive."))
    return weights


FINISHED = (Status.done, Status.cancelled)


def _items(plan: Plan, level: str) -> list[tuple[_Item, Objective | None]]:
    if level == "actions":
        return [(a, o) for a, o in plan.actions() if a.status not in FINISHED]
    return [(o, p) for o, p, _d in plan.walk()]


def finished(plan: Plan, level: str, keep: Callable[[Action, Objective], bool] | None = None) -> list[Action]:
    """The finished actions (done or cancelled) a ranking of actions leaves out, by id; none for objectives."""
    if level != "actions":
        return []
    return sorted((a for a, o in plan.actions() if a.status in FINISHED and (keep is None or keep(a, o))), key=lambda a: a.id)


def _cost(item: _Item) -> Decimal | None:
    if isinstance(item, Action):
        return sum((line.amount for line in item.budget), Decimal(0)) if item.budget else None
    budgets = [a.budget for obj in subtree(item) for a in obj.actions if a.budget]  # type: ignore[arg-type]
    return sum((line.amount for lines in budgets for line in lines), Decimal(0)) if budgets else None


def _deadline(item: _Item) -> dt.date | None:
    if item.planned_end is not None or isinstance(item, Action):
        return item.planned_end
    ends = [a.planned_end for obj in subtree(item) for a in obj.actions  # type: ignore[arg-type]
            if a.planned_end and a.status not in FINISHED]
    return min(ends) if ends else None


def _percentile_band(value: Decimal, sorted_costs: list[Decimal], bands: int) -> int:
    """0 for the cheapest fifth ... bands-1 for the dearest, among the level's costs."""
    if len(sorted_costs) <= 1:
        return bands // 2
    position = bisect.bisect_left(sorted_costs, value) / (len(sorted_costs) - 1)
    return min(bands - 1, int(position * bands))


def score(plan: Plan, as_of: dt.date, level: str = "actions", keep: Callable[[Action, Objective], bool] | None = None) -> list[Scored]:
    """Each item's three scores, given or derived, with where each came from."""
    meta = plan.meta
    settings = meta.priorities if meta else None
    scale = Scale(meta.scale.min, meta.scale.max) if meta else Scale()
    items = _items(plan, level)
    if keep is not None and level == "actions":
        items = [(a, o) for a, o in items if keep(a, o)]  # type: ignore[arg-type]
    elif keep is not None:  # an objective stays when an action under it matches
        items = [(o, p) for o, p in items if any(keep(a, holder) for holder in subtree(o) for a in holder.actions)]  # type: ignore[arg-type]
    costs = {id(i): _cost(i) for i, _p in items}
    known_costs = sorted(c for c in costs.values() if c)
    out = []
    for item, parent in items:
        scores: dict[str, float | None] = {c: getattr(item, c) for c in CRITERIA}
        sources = {c: "given" if scores[c] is not None else "missing" for c in CRITERIA}
        if scores["urgency"] is None and (settings is None or settings.derive_urgency):
            end = _deadline(item)
            if end is not None:
                thresholds = settings.urgency_days if settings else [90, 180, 365, 730]
                days = (end - as_of).days
                passed = sum(1 for t in thresholds if days > t)
                scores["urgency"] = scale.band(len(thresholds) - passed, len(thresholds))
                sources["urgency"] = "deadline"
        cost = costs[id(item)]
        if scores["roi"] is None and cost:
            if item.gain is not None:
                ratios = settings.roi_ratios if settings else [0.5, 1, 2, 4]
                ratio = float(item.gain / cost)
                scores["roi"] = scale.band(sum(1 for r in ratios if ratio >= r), len(ratios))
                sources["roi"] = "gain"
            elif item.gain_score is not None:
                band = _percentile_band(cost, known_costs, 3)  # cheap, middle, dear
                scores["roi"] = float(min(scale.hi, max(scale.lo, item.gain_score + (1 - band))))
                sources["roi"] = "gain_score"
        out.append(Scored(item, parent, scores, sources, cost))
    return out


def rank(plan: Plan, as_of: dt.date, *, level: str = "actions", method: str | None = None, weights: dict[str, float] | None = None,
         keep: Callable[[Action, Objective], bool] | None = None) -> Ranking:
    meta = plan.meta
    settings = meta.priorities if meta else None
    method = method or (settings.method if settings else "weighted")
    if method not in METHODS:
        raise PriorityError(msg("unknown method '{value}': choose {names}.", value=method, names=", ".join(METHODS)))
    if level not in ("actions", "objectives"):
        raise PriorityError(msg("unknown level '{value}': choose actions or objectives.", value=level))
    if weights is None:
        weights = dict(settings.weights) if settings else {c: 1.0 for c in CRITERIA}  # (not model_dump: no serializer to build)
    scale = Scale(meta.scale.min, meta.scale.max) if meta else Scale()
    ranking = Ranking(plan, as_of, level, method, weights, scale, filtered=keep is not None)
    scored = score(plan, as_of, level, keep)
    needed = ("stake", "urgency") if method == "wsjf" else CRITERIA
    costs = sorted(s.cost for s in scored if s.cost)
    for s in scored:
        if any(s.scores[c] is None for c in needed) or (method == "wsjf" and not s.cost):
            ranking.unranked.append(s)
            continue
        s.total = _weighted(s, weights, scale) if method != "wsjf" else _wsjf(s, weights, scale, costs)
        s.quadrant = _quadrant(s, scale)
        ranking.ranked.append(s)
    ranking.ranked.sort(key=lambda s: _order_key(s, method))
    previous: Scored | None = None
    for i, s in enumerate(ranking.ranked):
        s.position, s.rank = i, i + 1
        if previous is not None and _primary(previous, method) == _primary(s, method):
            previous.tied = s.tied = True
            if _order_key(previous, method)[:-1] == _order_key(s, method)[:-1]:  # only the id orders them
                previous.ex_aequo = s.ex_aequo = True
                s.rank = previous.rank  # competition ranking: 1, 2, 2, 4
        previous = s
    ranking.unranked.sort(key=lambda s: s.item.id)
    ranking.finished = finished(plan, level, keep)
    return ranking


def _weighted(s: Scored, weights: dict[str, float], scale: Scale) -> float:
    total_w = sum(weights.values())
    return round(sum(weights[c] * scale.norm(s.scores[c] or 0) for c in CRITERIA) / total_w * 100, 6)


def _wsjf(s: Scored, weights: dict[str, float], scale: Scale, costs: list[Decimal]) -> float:
    value_w = weights["stake"] + weights["urgency"] or 1.0
    value = (weights["stake"] * (s.scores["stake"] or 0) + weights["urgency"] * (s.scores["urgency"] or 0)) / value_w
    size = scale.lo + _percentile_band(s.cost or Decimal(0), costs, scale.hi - scale.lo + 1)
    return round(value / size, 6)


def _quadrant(s: Scored, scale: Scale) -> str | None:
    stake, urgency = s.scores["stake"], s.scores["urgency"]
    if stake is None or urgency is None:
        return None
    high_stake, high_urgency = stake > scale.middle, urgency > scale.middle
    if high_stake:
        return "do_first" if high_urgency else "plan"
    return "quick_win" if high_urgency else "later"


def _primary(s: Scored, method: str) -> tuple[object, ...]:
    if method == "matrix":
        return (QUADRANTS.index(s.quadrant or "later"), -(s.total or 0))
    return (-(s.total or 0),)


def _order_key(s: Scored, method: str) -> tuple[object, ...]:
    """Total (or quadrant then total), then stake, urgency, ROI (higher first), then id."""
    return (*_primary(s, method), *(-(s.scores[c] or 0) for c in CRITERIA), s.item.id)


# --- sensitivity ----------------------------------------------------------------------------


SENSITIVITY_BUDGET = 3_000_000  # item comparisons; past it, ask for --top


def sensitivity(ranking: Ranking, s: Scored) -> dict[str, tuple[float, float]] | None:
    """For each criterion, the weight range (others fixed) in which ``s`` keeps its rank.

    Only for the weighted method.  With the weights' sum as common denominator,
    items compare by N = sum(w x normalised score); moving one weight by d moves
    each N by d x that score, so ``s`` and another item swap where
    d = (N_other - N_s) / (x_s - x_other).  The nearest such d on each side bounds
    the range (0 below, infinity above when nothing crosses).
    """
    if ranking.method != "weighted" or s.total is None or s.position is None:
        return None
    vectors = ranking.vectors()
    weights = ranking.weights
    mine, n_mine = vectors[s.position]
    out = {}
    for k, c in enumerate(CRITERIA):
        up, down = math.inf, weights[c]
        for index, (x, n_other) in enumerate(vectors):
            slope = mine[k] - x[k]
            if slope == 0 or index == s.position:
                continue
            d = (n_other - n_mine) / slope
            if abs(d) < 1e-9:
                d = 0.0  # tied now, ordered by the tie-break: the least move decides
            above = index < s.position
            # a crossing changes the rank only if it moves the other item to the other side
            if (above and slope > 0) or (not above and slope < 0):
                if d >= 0:
                    up = min(up, d)
            elif d <= 0:
                down = min(down, -d)
        out[c] = (max(0.0, weights[c] - down), weights[c] + up)
    return out


def sensitivity_affordable(ranking: Ranking, rows: int) -> bool:
    return rows * len(ranking.ranked) <= SENSITIVITY_BUDGET


def neighbours(ranking: Ranking, s: Scored) -> tuple[Scored | None, Scored | None]:
    """The items just above and just below ``s``'s group of ex aequo items (``s`` alone when it has no tie)."""
    group = ranking.group(s)
    if s.position is None or group[0].position is None or group[-1].position is None:
        return None, None
    first, last = group[0].position, group[-1].position
    return (ranking.ranked[first - 1] if first > 0 else None, ranking.ranked[last + 1] if last + 1 < len(ranking.ranked) else None)


def matrix_counts(ranking: Ranking) -> dict[tuple[int, int], list[Scored]]:
    """Items by (stake, urgency) cell, rounded to whole scores, for the matrix drawing."""
    cells: dict[tuple[int, int], list[Scored]] = {}
    for s in [*ranking.ranked, *ranking.unranked]:
        stake, urgency = s.scores["stake"], s.scores["urgency"]
        if stake is None or urgency is None:
            continue
        cells.setdefault((round(stake), round(urgency)), []).append(s)
    return cells


def top(ranking: Ranking, n: int | None) -> Sequence[Scored]:
    """The first ``n`` ranked items and those ex aequo with the last of them (:meth:`Ranking.top`)."""
    return ranking.top(n)
