"""``feuille export`` formats: a registry of small modules, each turning a loaded plan into one file.

An exporter is a module with ``SUFFIX`` (the usual file extension), ``BINARY`` and
``export(published, options) -> bytes``: ``published`` is the plan as the chosen
audience may see it (:func:`feuille.compute.audience.publish`), never the plan itself.  Adding a format is one module here and one
line in :data:`FORMATS`; loading, audiences and refusals are the command's job.

A format that may write several files (eComptes: one per organisation of a joint
City + CPAS plan) also has ``export_files(published, options, locate) -> Exported``; the
command calls :func:`export_files`, which falls back on ``export``.  ``locate`` gives
lines and columns to the diagnostics an exporter finds (:func:`feuille.pipeline.locate`).
An exporter that finds the plan cannot be exported raises :class:`ExportRefused` with
the diagnostics: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from types import ModuleType
from typing import Any

from feuille.core.errors import FINDINGS, UserError
from feuille.core.i18n import Msg

FORMATS: dict[str, str] = {  # format name -> module
    "json": "feuille.views.exports.json_plan",
    "ecomptes": "feuille.views.exports.ecomptes",
    "xlsx": "feuille.views.exports.xlsx",
    "csv": "feuille.views.exports.csv_sheet",
    "opendata": "feuille.formats.opendata",
    "projets-te": "feuille.formats.projets_te",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    as_of: dt.date
    lang: str = "fr"
    only: frozenset[str] | None = None  # ids of the actions kept by the filters (--owner, --service...); None: all
    filter_label: str = ""  # the filters in words, for the file's notes


@dataclass(slots=True)
class Exported:
    """What an export produced: ``files`` as (part, bytes), part None for a single file; notes for the user."""

    files: list[tuple[str | None, bytes]]
    notes: list[str | Msg] = field(default_factory=list)  # for the user (a Msg: in their language): defaults used, values cut...
    warnings: list[Any] = field(default_factory=list)  # Diagnostics (values changed on the way)


class ExportRefused(UserError):
    """The plan cannot be exported in this format: ``diagnostics`` say where and why.  ``msg`` as given
    (a :class:`Msg` is shown in the user's language), ``message`` its French."""

    code = "export"
    exit_code = FINDINGS

    def __init__(self, message: str | Msg, diagnostics: list[Any] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


def exporter(name: str) -> ModuleType:
    """The module of format ``name`` (imported on demand); KeyError if unknown."""
    return importlib.import_module(FORMATS[name])


def export_files(module: ModuleType, published: Any, options: ExportOptions, locate: Callable[[list[Any]], None] = lambda diags: None) -> Exported:
    """Every format as a list of files: its ``export_files`` if it has one, else its single ``export``."""
    if hasattr(module, "export_files"):
        return module.export_files(published, options, locate)
    return Exported([(None, module.export(published, options))])


def part_path(output: Path, part: str | None) -> Path:
    """Where a part goes: ``-o pst.xml`` and part ``cpas`` give ``pst-cpas.xml``."""
    return output if part is None else output.with_name(f"{output.stem}-{part}{output.suffix}")
