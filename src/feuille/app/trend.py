"""Each objective's progress over time, for ``status --trend``, ``render`` and the reports.

Not a command of its own: :func:`trend_of` is called for each plan shown.  Two sources:

- **the commit history** (the plan in git): each sampled day is read as committed at its end
  (:mod:`feuille.app.history`'s rule, Brussels time, first parent) through the one pipeline; a commit read for
  several days is read once, and the cache keeps parsed files by blob id;
- **the plan's own dated data** when there is no history (not in git, ``FEUILLE_HISTORY=off``,
  no commit that old): actual dates, dated measurements, reviewed progress
  (:func:`feuille.compute.trend.dated_plan`).

The views say which: a commit's date is when someone typed, not when the work happened.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from feuille import pipeline
from feuille.app.history import load_commit
from feuille.compute.trend import Point, TrendResult, dated_plan, sample_days, snapshot, trends
from feuille.core.run import Run
from feuille.io.git import Repo
from feuille.io.sources import SourceError

if TYPE_CHECKING:
    from feuille.compute.trend import Point, TrendResult
    from feuille.pipeline import Loaded

EVERY = ("month", "quarter")


def default_since(loaded: Loaded, until: dt.date, history: bool = True) -> tuple[dt.date, str]:
    """The last validation before ``until`` (« la dernière validation »), else a year before."""

    repo = Repo.find(loaded.source.root) if history else None
    if repo is not None:
        found = [v for v in repo.validations() if v.day < until]
        if found:
            return found[-1].day, "validation"
    return until - dt.timedelta(days=365), "year"


def trend_of(run: Run, loaded: Loaded, since: dt.date | None, every: str, until: dt.date, depth: int | None = 1) -> TrendResult:
    """The trend of ``loaded``'s plan from ``since`` (default :func:`default_since`) to ``until``; ``since`` must come before ``until``."""

    why = "date"
    if since is None:
        since, why = default_since(loaded, until, run.history)
    days = sample_days(since, until, every)
    points, commits = _from_git(run, loaded, days, until) if run.history else (None, 0)
    source = "git"
    if points is None or all(not p.progress for p in points[:-1]):  # no history of that period: the plan's dated data
        source, commits = "plan", 0
        points = [snapshot(loaded.plan if day == until else dated_plan(loaded.plan, day), day, None) for day in days]
    return TrendResult(source, since, why, every, points, trends(points, loaded.plan, depth), commits)


def _from_git(run: Run, loaded: Loaded, days: list[dt.date], until: dt.date) -> tuple[list[Point] | None, int]:

    repo = Repo.find(loaded.source.root)
    if repo is None:
        return None, 0
    read: set[str] = set()
    last: tuple[str, object] | None = None  # the commit read last and its plan: days come in order, only one plan is kept in memory
    points = []
    try:
        found = repo.commits_at(days, only_plan=True)
    except SourceError:
        found = [None] * len(days)
    reuse = pipeline.Reuse()  # consecutive commits share almost every file: each blob read and validated once
    memo: dict[int, object] = {}  # and each unchanged action's progress reckoned once
    try:
        for day, c in zip(days, found, strict=True):
            if day == until and (until >= run.today or loaded.plan.revision):
                points.append(snapshot(loaded.plan, day, None))  # what the command shows
                continue
            try:
                if c is None:
                    points.append(Point(day, None, {}))
                    continue
                if last is None or last[0] != c.id:
                    last = (c.id, load_commit(repo, c.id, run.use_cache, day, reuse).plan)
                    read.add(c.id)
            except SourceError:  # the plan folder did not exist then
                points.append(Point(day, None, {}))
                continue
            points.append(snapshot(last[1], day, c.id, memo))  # type: ignore[arg-type]
    finally:
        reuse.close()
        repo.close()
    return points, len(read)
