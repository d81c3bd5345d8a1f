"""``feuille status`` and ``feuille show``: the plan's figures as of a day, for the items the filters keep.

Each plan's filters are built for that plan (a filter error names the plan when several are shown), its
roll-up computed (:mod:`feuille.compute.rollup`) and its last validation attached; the views show them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.app.history import validation
from feuille.compute.filters import FilterError, Filters, build
from feuille.compute.rollup import Rollup, compute
from feuille.core.i18n import msg
from feuille.core.run import Run

__all__ = ["Filters", "compute", "rollups"]


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
