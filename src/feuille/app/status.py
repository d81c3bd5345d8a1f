"""``feuille status`` and ``feuille show``: the plan's figures as of a day, for the items the filters keep.

Each plan's filters are built for that plan (a filter error names the plan when several are shown), its
roll-up computed (:mod:`feuille.compute.rollup`) and its last validation attached; the views show them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.app.history import validation
from feuille.app.values import option_date
from feuille.compute.filters import FilterError, Filters, build
from feuille.compute.rollup import Rollup, compute
from feuille.core.errors import UserError
from feuille.core.i18n import When, msg
from feuille.core.run import Run

__all__ = ["Filters", "compute", "rollups", "trend_start"]


def rollups(run: Run, loaded: list[Any], filters: Filters, day: dt.date) -> list[Rollup]:
    """The roll-up of each plan of ``loaded`` as of ``day``, for what ``filters`` keep in it; each plan's last
    validation set on it (``status`` says it)."""
    out = []
    for x in loaded:
        try:
            keep = build(x.plan, filters, day)
        except FilterError as exc:  # which plan's filter, when several are shown
            raise FilterError(msg("{label}: {value}", label=str(x.plan.root), value=exc.msg)).said_in(run.speak(x.plan.lang)) from None
        out.append(compute(x.plan, day, keep))
    for x in loaded:
        x.plan.validation = validation(run, x, day)
    return out


def trend_start(trend: bool, fmt: str, rev: str | None, every: str, since: str | None, day: dt.date, today: dt.date) -> dt.date | None:
    """The first day of ``--trend`` (``--since``; None: the last validation, else a year), the trend's options checked
    before the plan is read: not in csv nor with ``--rev``, a point per month or per quarter, a start before ``day``."""
    if trend and (fmt == "csv" or rev is not None):
        raise UserError(msg("--trend is shown with --format text, json or markdown, and without --rev."),
                        msg("Example: {example}", example="feuille status --trend --since 2026-01-01 --every quarter"), code="usage")
    if every not in ("month", "quarter"):
        raise UserError(msg("--every '{value}': choose month or quarter (one point per month or per quarter).", value=every),
                        msg("Example: {example}", example="feuille status --trend --every quarter"), code="usage")
    start = option_date(since, "--since", today) if since else None
    if start is not None and start >= day:
        raise UserError(msg("--since {since} must come before the reference date ({day}).", since=When(start), day=When(day)),
                        msg("Choose an earlier date, or a later reference date with --as-of."), code="usage")
    return start
