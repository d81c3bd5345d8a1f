"""``feuille status --trend``: each objective's progress over time, from the commit history.

Not a command of its own: :func:`trend_lines` is called by ``status`` for each plan it shows.
Each sampled day is read as committed at its end (cli/past.py's rule, Brussels time, first
parent) through the one pipeline; a commit read for several days is read once, and the cache
keeps parsed files by blob id.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feuille.pipeline import Loaded
    from feuille.views.format import Formatter

from feuille.core.i18n import NC_, Words, plural_translator, translator

EVERY = ("month", "quarter")
_SPARK = "▁▂▃▄▅▆▇█"
_ARROW = {"up": "↑", "flat": "→", "down": "↓", "new": "+", "unknown": "?"}
_WORD = Words({"up": NC_("trend", "up"), "flat": NC_("trend", "flat"), "down": NC_("trend", "down"), "new": NC_("trend", "new"),
               "unknown": NC_("trend", "unknown")})
_STYLE = {"up": "green", "flat": "", "down": "bold red", "new": "dim", "unknown": "dim"}


def default_since(loaded: Loaded, until: dt.date) -> tuple[dt.date, str]:
    """The last validation before ``until`` (« la dernière validation »), else a year before."""
    from feuille.io.history import Repo

    repo = Repo.find(loaded.source.root)
    if repo is not None:
        found = [v for v in repo.validations() if v.day < until]
        if found:
            return found[-1].day, "validation"
    return until - dt.timedelta(days=365), "year"


def trend_lines(loaded: Loaded, since: dt.date | None, every: str, until: dt.date, fmt: Formatter, no_cache: bool = False) -> list[tuple[str, str]]:
    from feuille.cli.diff import load_commit
    from feuille.compute.trend import PLAN_KEY, Point, sample_days, snapshot, trends
    from feuille.io.history import Repo
    from feuille.io.sources import SourceError

    n_ = plural_translator(fmt.lang)
    _ = translator(fmt.lang)
    root = loaded.source.root
    repo = Repo.find(root)
    if repo is None:
        return [("dim", _("Trend: '{root}' is not in a git repository, no history.").format(root=root))]
    why = "date"
    if since is None:
        since, why = default_since(loaded, until)
    if since >= until:
        return [("dim", _("Trend: the start date must come before the reference date."))]
    plans: dict[str, object] = {}
    points = []
    today = dt.date.today()
    days = sample_days(since, until, every)
    try:
        found = repo.commits_at(days, only_plan=True)
    except SourceError:
        found = [None] * len(days)
    for day, c in zip(days, found, strict=True):
        if day == until and (until >= today or loaded.plan.revision):
            points.append(snapshot(loaded.plan, day, None))  # what status shows
            continue
        try:
            if c is None:
                points.append(Point(day, None, {}))
                continue
            if c.id not in plans:
                plans[c.id] = load_commit(repo, c.id, no_cache, day).plan
        except SourceError:  # the plan folder did not exist then
            points.append(Point(day, None, {}))
            continue
        points.append(snapshot(plans[c.id], day, c.id))  # type: ignore[arg-type]
    repo.close()
    rows = trends(points, loaded.plan)
    start = fmt.date(since)
    since_text = _("since the validation of {day}").format(day=start) if why == "validation" else _("since {day}").format(day=start)
    per = _("monthly") if every == "month" else _("quarterly")
    out: list[tuple[str, str]] = [("", ""), ("bold", _("Trend {since}, {every} ({points} points, {commits} commit(s) read)").format(
        since=since_text, every=per, points=len(points), commits=len(plans)))]
    out.append(("dim", _("From the git history: a commit's date is when an update was typed, not when the work happened.")))
    width = max([4, *(len(t.id) for t in rows)])
    for t in rows:
        name = (_("Plan") if t.id == PLAN_KEY else t.id).ljust(width)
        first = next((v for v in t.series if v is not None), None)
        last = next((v for v in reversed(t.series) if v is not None), None)
        delta = "" if t.delta is None else n_("{n} pt", "{n} pts", 2 if abs(t.delta) >= 2 else 1).format(n=f"{'+' if t.delta > 0 else ''}{fmt.number(t.delta, 1)}")
        spark = "".join(" " if v is None else _SPARK[min(7, int(v / 100 * 8))] for v in t.series)
        out.append((_STYLE[t.direction], f"  {name}  {_ARROW[t.direction]} {_WORD[fmt.lang][t.direction]:<10} {fmt.pct(first):>5} → {fmt.pct(last):>5}  {delta:<9} {spark}".rstrip()))
    return out
