"""``feuille export``: the plan as an audience may see it, made into one format's files (all checked before any is
written), and why a refused export would pass for the administration."""

from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import Any

from feuille.compute.audience import publish
from feuille.core.model import Audience
from feuille.views.exports import ExportOptions, ExportRefused, export_files


def withheld_here(module: ModuleType, loaded: Any, options: ExportOptions, who: Audience, day: dt.date, withheld_label: str) -> bool:
    """Whether an export refused for ``who`` would be made for the administration: what it misses is in the plan, withheld
    from ``who`` by the plan's ``visibility``."""
    if who is Audience.internal:
        return False
    try:
        export_files(module, publish(loaded.plan, Audience.internal, day, withheld_label=withheld_label), options)
    except ExportRefused:
        return False
    return True
