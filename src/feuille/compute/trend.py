"""Each objective's computed progress over time, and whether it went up, stayed flat or went down.

Pure: plans (one per sampled date, read by the caller from the git history) in, series out.
Progress is what :func:`feuille.compute.rollup.compute` says of the plan *as it was* at each
date; from the commit history, a date is when someone typed an update, not when the work
happened (the views say so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from feuille.compute.rollup import progress_by_objective
from feuille.core.model import Objective, Status
from feuille.core.plan import Plan

FLAT = 1.0  # points of progress within which an objective is « flat »
PLAN_KEY = ""  # the whole plan's progress in a snapshot


@dataclass(frozen=True, slots=True)
class Point:
    day: dt.date
    commit: str | None  # the commit read for that day (None: the files as they are)
    progress: dict[str, float | None]  # objective id (PLAN_KEY: the plan) -> computed progress


@dataclass(slots=True)
class Trend:
    id: str  # objective id, PLAN_KEY for the plan
    title: str
    depth: int
    series: list[float | None] = field(default_factory=list)  # one value per point
    direction: str = "unknown"  # up | flat | down | new | unknown
    delta: float | None = None  # last - first known, in points


def snapshot(plan: Plan, day: dt.date, commit: str | None = None, memo: dict[int, Any] | None = None) -> Point:
    """Each objective's progress on ``day`` (:func:`feuille.compute.rollup.progress_by_objective`; ``memo``: the
    progress of unchanged actions, shared by the points of one history)."""
    progress, found = progress_by_objective(plan, day, memo)
    values: dict[str, float | None] = {PLAN_KEY: progress}
    stack: list[Objective] = list(plan.objectives)
    while stack:  # the order compute()'s results were listed in (the JSON keeps it)
        o = stack.pop()
        values[o.id] = found[o.id]
        stack.extend(o.objectives)
    return Point(day, commit, values)


def sample_days(since: dt.date, until: dt.date, every: str) -> list[dt.date]:
    """``since``, then the end of each month (or quarter) after it, then ``until``."""
    if every not in ("month", "quarter"):
        raise ValueError(every)
    step = 1 if every == "month" else 3
    days = [since]
    y, m = since.year, since.month
    while True:
        if every == "quarter":
            m = ((m - 1) // 3) * 3 + 1  # the quarter's first month
        m += step
        y, m = (y + (m - 1) // 12, (m - 1) % 12 + 1)
        end = dt.date(y, m, 1) - dt.timedelta(days=1)
        if end >= until:
            break
        if end > since:
            days.append(end)
    if until > since:
        days.append(until)
    return days


def trends(points: list[Point], current: Plan, max_depth: int | None = 1) -> list[Trend]:
    """One trend per objective of ``current`` (down to ``max_depth``), then the plan's."""
    out = []
    rows = [(PLAN_KEY, current.meta.title if current.meta else "", 0)]
    rows += [(o.id, o.title, d) for o, _p, d in current.walk() if max_depth is None or d <= max_depth]
    base = next((i for i, p in enumerate(points) if p.progress), None)  # the first day the history has a plan
    for ident, title, depth in rows:
        t = Trend(ident, title, depth, [p.progress.get(ident) for p in points])
        known = [v for v in t.series if v is not None]
        if not known or base is None:
            t.direction = "unknown"
        elif ident not in points[base].progress:
            t.direction = "new"  # the objective did not exist at the start
        elif t.series[base] is None:
            t.direction = "unknown"
        else:
            t.delta = round(known[-1] - t.series[base], 1)  # type: ignore[operator]
            t.direction = "up" if t.delta > FLAT else "down" if t.delta < -FLAT else "flat"
        out.append(t)
    return out


@dataclass(slots=True)
class TrendResult:
    """What ``status --trend``, ``render`` and the reports show of the plan's progress over time."""

    source: str  # git (the commit history) | plan (the plan's own dated data)
    since: dt.date
    why: str  # validation (since the last one) | year (a year before) | date (asked)
    every: str  # month | quarter
    points: list[Point]
    rows: list[Trend]
    commits: int = 0  # commits read (source git)

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "since": self.since.isoformat(), "since_reason": self.why, "every": self.every,
                "days": [p.day.isoformat() for p in self.points], "commits_read": self.commits,
                "objectives": [{"id": t.id or None, "title": t.title, "direction": t.direction, "delta": t.delta, "series": t.series} for t in self.rows]}


def dated_plan(plan: Plan, day: dt.date) -> Plan:
    """The plan as its own dated data say it was on ``day`` (no git history).

    Each action's dated points: 0 % at its start (actual, else planned), its declared progress at its
    last review (``last_reviewed``), 100 % at its actual end; in between, progress is interpolated
    linearly; before its start it had not started.  Indicators keep only their measurements dated up
    to ``day`` (the rollup does that).  What the plan does not date (an action added later, a
    retitling) cannot be told apart: the views say so."""


    def between(d0: dt.date, v0: float, d1: dt.date, v1: float) -> float:
        if d1 <= d0:
            return v1
        return round(v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days, 1)

    def action(a):  # type: ignore[no-untyped-def]
        if a.status is Status.cancelled:
            return a
        start = a.actual_start or a.planned_start
        points: list[tuple[dt.date, float]] = []
        if start is not None:
            points.append((start, 0.0))
        if a.progress is not None and a.last_reviewed is not None:
            points.append((a.last_reviewed, float(a.progress)))
        if a.status is Status.done and a.actual_end is not None:
            points.append((a.actual_end, 100.0))
        points.sort(key=lambda p: p[0])
        if a.status is Status.done and a.actual_end is not None and a.actual_end <= day:
            return a
        if start is not None and day < start:
            return a.model_copy(update={"status": Status.not_started, "progress": None, "actual_start": None, "actual_end": None})
        later = [p for p in points if p[0] > day]
        if not later:  # the last dated point is before ``day``: the plan as it is
            return a if a.status is not Status.done else a.model_copy(update={"status": Status.ongoing, "actual_end": None})
        earlier = [p for p in points if p[0] <= day]
        if not earlier:
            value = None
        else:
            (d0, v0), (d1, v1) = earlier[-1], later[0]
            value = between(d0, v0, d1, v1)
        return a.model_copy(update={"status": Status.ongoing, "progress": value, "actual_end": None})

    def objective(o):  # type: ignore[no-untyped-def]
        return o.model_copy(update={"actions": [action(a) for a in o.actions], "objectives": [objective(c) for c in o.objectives]})

    return replace(plan, objectives=[objective(o) for o in plan.objectives], revision=None)
