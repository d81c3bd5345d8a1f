"""``feuille render`` and ``feuille report``: what the pages say of the plan's history (which commit, the last
validation, the trend; for a report, what changed during the year or since the plan's adoption), and the day a
mid-term report is as of.  The histories come from :mod:`feuille.app.history`; the views lay them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feuille.app.history import Purpose, since_adoption, validation, year_changes
from feuille.app.plans import read_plans
from feuille.app.trend import trend_of
from feuille.core.run import Run
from feuille.views.midterm import adoption, midpoint

Shown = Callable[[Any], Any]  # a plan -> the plan as the audience sees it


def history(run: Run, loaded: Any, day: dt.date, *, trend: bool) -> dict[str, Any]:
    """What the pages say of the plan's history (views/site.RenderOptions): which commit, the last validation, the trend."""
    out: dict[str, Any] = {"revision": loaded.plan.revision, "validation": validation(run, loaded, day)}
    if trend:
        out["trend"] = trend_of(run, loaded, None, "month", day)
    return out


def midterm_day(run: Run, path: Path | None, rev: str | None) -> dt.date:
    """The mid-term report's date: the middle of the plan's term, or today when that is still to come."""
    [first] = read_plans(run, path, command="report", many=False, as_of=run.today, rev=rev, rules="none", purpose=Purpose.SHOW)
    middle = midpoint(first.loaded.plan)
    return min(run.today, middle) if middle is not None else run.today


def changes_since_adoption(run: Run, loaded: Any, day: dt.date, lang: str, shown: Shown, reported: Any) -> dict[str, Any]:
    """The mid-term report's base (:func:`feuille.app.history.since_adoption`): the plan at its adoption and what changed since."""
    adopted = adoption(loaded.plan)
    found = since_adoption(run, loaded, adopted, day, shown, reported) if adopted is not None else None
    if found is None:
        return {"state": "none"}
    return {"state": found.state, "before": found.before, "changes": found.changes, "base": found.base(lang), "first": found.first}


def changes_in_year(run: Run, loaded: Any, year: int, lang: str, shown: Shown, reported: Any) -> dict[str, Any]:
    """The annual report's changes during ``year`` (:func:`feuille.app.history.year_changes`), in ``lang``."""
    found = year_changes(run, loaded, year, shown, reported)
    return {} if found is None else {"year_changes": found.changes, "year_base": found.base(lang)}
