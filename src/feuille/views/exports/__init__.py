"""What ``feuille export``'s formats share: their options, what they produce, their refusals, the check of each file.

The formats are registered once, with the import formats, in :mod:`feuille.formats` (:data:`FORMATS` here: the
export names, in order; :func:`exporter`).  An exporter is a module with ``SUFFIX`` (the usual file
extension), ``BINARY`` and ``export(published, options) -> bytes``: ``published`` is the plan as the chosen
audience may see it (:func:`feuille.compute.audience.publish`), never the plan itself; loading, audiences and
refusals are the command's job.

A format that may write several files (eComptes: one per organisation of a joint
City + CPAS plan) also has ``export_files(published, options, locate) -> Exported``; the
command calls :func:`export_files`, which falls back on ``export``.  ``locate`` gives
lines and columns to the diagnostics an exporter finds (:func:`feuille.pipeline.locate`).
An exporter that finds the plan cannot be exported raises :class:`ExportRefused` with
the diagnostics: nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from feuille.core.errors import FINDINGS, UNUSABLE, UserError
from feuille.core.i18n import Msg, msg, msgn
from feuille.core.xmlchars import NOT_XML
from feuille.formats import EXPORTS, exporter  # noqa: F401 - the registry, for the command and the tests

FORMATS = EXPORTS  # the export formats' names, in order: registered once, with the import formats (feuille.formats)


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


def export_files(module: ModuleType, published: Any, options: ExportOptions, locate: Callable[[list[Any]], None] = lambda diags: None) -> Exported:
    """Every format as a list of files: its ``export_files`` if it has one, else its single ``export``; each file
    checked (:func:`check_output`) before any is written, and a note when the plan holds text no file can hold."""
    if hasattr(module, "export_files"):
        result = module.export_files(published, options, locate)
    else:
        result = Exported([(None, module.export(published, options))])
    for part, data in result.files:
        check_output(module, part, data)
    if (n := not_xml_texts(published.plan)):
        result.notes.append(msgn("{n} text of the plan holds control characters no file can hold (F208, 'feuille lint' shows where): "
                                 "it is left out of the export.",
                                 "{n} texts of the plan hold control characters no file can hold (F208, 'feuille lint' shows where): "
                                 "they are left out of the export.", n))
    return result


def not_xml_texts(plan: Any) -> int:
    """How many texts of the plan (its items, people, services and settings) hold a character XML cannot hold."""
    from pydantic import BaseModel  # noqa: PLC0415 (heavy, loaded when first needed)


    count, stack = 0, [plan.meta, *plan.people.values(), *plan.services.values(), *plan.objectives]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            count += NOT_XML.search(value) is not None
        elif isinstance(value, BaseModel):
            stack.extend(value.__dict__.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return count


class InvalidOutput(UserError):
    """A file an exporter made does not pass its own format's check: nothing is written (a fault in feuille, exit 2)."""

    code = "invalid-output"
    exit_code = UNUSABLE


def check_output(module: ModuleType, part: str | None, data: bytes) -> None:
    """Check one file an exporter made, for its format, before anything is written: XML well-formed (and
    the module's own check, the XSD for eComptes), a workbook re-opened, JSON parsed, CSV read back with
    as many cells on every line.  :class:`InvalidOutput` if not."""

    suffix = Path(part).suffix if part and Path(part).suffix else module.SUFFIX
    try:
        _CHECKS.get(suffix, _no_check)(data)
        if hasattr(module, "check"):
            module.check(data)
    except Exception as exc:  # noqa: BLE001 - whatever the parser says, the file is not written
        reason = (type(exc).__name__ + ": " + str(exc))[:300]
        raise InvalidOutput(msg("the {suffix} file feuille made is not valid ({reason}); nothing was written. This is a fault in "
                                "feuille: please report it with the command you ran.", suffix=suffix, reason=reason)) from exc


def _no_check(data: bytes) -> None:
    return None


def _check_json(data: bytes) -> None:

    json.loads(data.decode("utf-8"))


def _check_csv(data: bytes) -> None:

    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    width = None
    for n, row in enumerate(rows, start=1):
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ValueError(f"line {n} has {len(row)} cells, the header {width}")


def _check_xml(data: bytes) -> None:

    ET.fromstring(data)


def _check_xlsx(data: bytes) -> None:
    """The workbook re-opened: every XML part of the zip well-formed, then openpyxl reads it and its sheets."""

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                parser = expat.ParserCreate()  # no handlers: only well-formedness, at C speed
                with archive.open(name) as part:
                    parser.ParseFile(part)
    from openpyxl import load_workbook  # noqa: PLC0415 (heavy, loaded when first needed)

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        if not workbook.sheetnames:
            raise ValueError("no sheet")
    finally:
        workbook.close()


_CHECKS: dict[str, Callable[[bytes], None]] = {".json": _check_json, ".csv": _check_csv, ".xml": _check_xml, ".xlsx": _check_xlsx}


def part_path(output: Path, part: str | None) -> Path:
    """Where a part goes: ``-o pst.xml`` and part ``cpas`` give ``pst-cpas.xml``."""
    return output if part is None else output.with_name(f"{output.stem}-{part}{output.suffix}")
