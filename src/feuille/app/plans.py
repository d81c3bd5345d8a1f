"""Which plans a command acts on, each read at the moment its purpose asks (:func:`feuille.app.history.moment`).

The command line hands this module the folder the user named (or none: the plan of the current folder
or above) and gets the plans back with what to tell the user about them; it never looks for a plan
itself (``io/discovery.find_plans`` is reached through here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from feuille import pipeline
from feuille.app import history
from feuille.app.history import Purpose, Reading
from feuille.core.run import Run
from feuille.io.discovery import find_plans
from feuille.io.sources import SourceError

__all__ = ["SourceError", "find_plans", "read_plans"]


def read_plans(run: Run, path: Path | None, *, command: str, many: bool, as_of: dt.date, rev: str | None = None,
               purpose: Purpose = Purpose.CHECK, rules: str = "all", locate: bool = False, annual: int | None = None) -> list[Reading]:
    """Every plan the command acts on (``path``, else the plan of the current folder or above; with ``many``, every plan
    below it), each read at the moment :func:`~feuille.app.history.moment` decides from what the command does with it
    (``purpose``), its ``--as-of``, ``--rev`` and ``annual`` (the year of ``report annual``)."""
    roots = find_plans(path, many=many, command=command)
    options = pipeline.LoadOptions(use_cache=run.use_cache, cache_dir=run.cache_dir, rules=rules, locate=locate)
    at = history.moment(purpose, as_of, run.today, rev=rev, annual=annual)
    prefetch = pipeline.prefetch_plans(roots, options) if isinstance(at, history.Today) else None  # a region's cold run: both cores
    if prefetch is not None:
        options = dataclasses.replace(options, prefetch=prefetch)
    try:
        readings = [history.read(run, root, at, as_of, options) for root in roots]
    finally:
        if prefetch is not None:
            prefetch.close()
    said: list[object] = []  # plans of one repository read at one date get the same note: said once, by the first
    for r in readings:
        r.notes = [n for n in r.notes if n not in said]
        said += r.notes
    return readings
