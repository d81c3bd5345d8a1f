"""``feuille export`` formats: a registry of small modules, each turning a loaded plan into one file.

An exporter is a module with ``SUFFIX`` (the usual file extension), ``BINARY`` and
``export(published, options) -> bytes``: ``published`` is the plan as the chosen
audience may see it (:func:`feuille.compute.audience.publish`), never the plan itself.  Adding a format is one module here and one
line in :data:`FORMATS`; loading, audiences and refusals are the command's job.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from types import ModuleType

FORMATS: dict[str, str] = {  # format name -> module
    "json": "feuille.views.exports.json_plan",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    as_of: dt.date
    lang: str = "fr"


def exporter(name: str) -> ModuleType:
    """The module of format ``name`` (imported on demand); KeyError if unknown."""
    return importlib.import_module(FORMATS[name])
