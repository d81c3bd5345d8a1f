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
    "xlsx": "feuille.views.exports.xlsx",
    "csv": "feuille.views.exports.csv_sheet",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    as_of: dt.date
    lang: str = "fr"
    only: frozenset[str] | None = None  # ids of the actions kept by the filters (--owner, --service...); None: all
    filter_label: str = ""  # the filters in words, for the file's notes


def exporter(name: str) -> ModuleType:
    """The module of format ``name`` (imported on demand); KeyError if unknown."""
    return importlib.import_module(FORMATS[name])
