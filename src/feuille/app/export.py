"""``feuille export``: what is asked checked before the plan is read (the format, the audience it may publish for, where
its files go), the plan as that audience may see it made into the format's files (all checked before any is written;
the filters of ``status`` for the spreadsheets, ``--split-by`` one workbook per service or owner), the files written,
and why a refused export would pass for the administration."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from feuille import pipeline
from feuille.app.publish import audience
from feuille.compute.audience import Published, publish
from feuille.compute.filters import Filters, build
from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg
from feuille.core.model import Audience
from feuille.formats import exporter
from feuille.io.files import make_folder, not_a_folder, system_reason, write_file
from feuille.io.sitewrite import write_site
from feuille.pipeline import Loaded
from feuille.views.exports import FORMATS, Exported, ExportOptions, ExportRefused, check_output, export_files, part_path

_SHEETS = ("xlsx", "csv")
SPLIT_BY = ("service", "owner")  # --split-by: one workbook per service or per owner (a format with export_split)
SPLIT_EXAMPLE = msg("Example: {example}", example=msg("feuille export --format xlsx --split-by service -o workbooks/"))
Said = Callable[[Path, str | Msg], None]  # a file written, and the line that says it


def _usage(message: str | Msg, hint: str | Msg = "") -> UserError:
    return UserError(message, hint, code="usage")


def asked(fmt: str, given: str | None, output: Path | None) -> tuple[str, ModuleType, Audience]:
    """The format (« XLSX », « .csv »: the names the help shows, however written), its exporter and the audience, refused
    before the plan is read when the format does not exist, does not publish for that audience, or needs ``-o``."""
    if fmt.strip().casefold().lstrip(".") in FORMATS:
        fmt = fmt.strip().casefold().lstrip(".")
    if fmt not in FORMATS:
        raise _usage(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(FORMATS)))
    module = exporter(fmt)
    who = audience(given or str(getattr(module, "DEFAULT_AUDIENCE", "public")))
    if who.value not in getattr(module, "AUDIENCES", (who.value,)):  # open data: for everyone, or not at all
        raise _usage(msg("the format {fmt} publishes for everyone: only --audience public.", fmt=fmt),
                     msg("Remove --audience (or write --audience public): what the public may not see stays out of the files."))
    if getattr(module, "FOLDER", False) and output is None:
        example = f"feuille export --format {fmt} -o {fmt}/"
        raise _usage(msg("the format {fmt} writes several files into a folder: give it with -o.", fmt=fmt), msg("Example: {example}", example=example))
    if module.BINARY and output is None:
        example = f"feuille export --format {fmt} -o plan{module.SUFFIX}"
        raise _usage(msg("the format {fmt} is written into a file: give it with -o.", fmt=fmt), msg("Example: {example}", example=example))
    return fmt, module, who


def options(loaded: Loaded, fmt: str, base: ExportOptions, filters: dict[str, Any], split_by: str | None, output: Path | None) -> ExportOptions:
    """The export options with the ids the filters keep; a filter that matches nothing is a :class:`FilterError`."""
    wanted = Filters(**filters)
    if wanted.active() and fmt not in _SHEETS:
        raise _usage(msg("the filters (--owner, --service...) apply to the xlsx and csv formats, not to {fmt}.", fmt=fmt),
                     msg("Example: {example}", example="feuille export --format xlsx --service proprete -o proprete.xlsx"))
    if split_by is not None:
        if split_by not in SPLIT_BY:
            raise _usage(msg("unknown value for --split-by: '{value}'.", value=split_by),
                         msg("Choose --split-by service (one workbook per service) or --split-by owner (per owner)."))
        if fmt != "xlsx":
            raise _usage(msg("--split-by makes Excel workbooks: add --format xlsx."), SPLIT_EXAMPLE)
        if output is None:
            raise _usage(msg("--split-by writes one workbook per service into a folder: give it with -o."), SPLIT_EXAMPLE)
        if output.exists() and not output.is_dir():
            raise _usage(msg("'{path}' is a file: --split-by writes into a folder.", path=str(output)), msg("Example: {example}", example=msg("-o workbooks/")))
    if not wanted.active():
        return base
    try:
        keep = build(loaded.plan, wanted, base.as_of)
    except UserError as exc:
        raise exc.said_in(base.lang) from None
    only = frozenset(a.id for a, o in loaded.plan.actions() if keep is None or keep(a, o))
    label = ", ".join(f"--{k.replace('_', '-')} {v}" if v is not True else f"--{k.replace('_', '-')}" for k, v in filters.items() if v not in (None, False))
    return dataclasses.replace(base, only=only, filter_label=label)


def made(module: ModuleType, loaded: Loaded, published: Published, opts: ExportOptions) -> Exported:
    """The format's files (:class:`ExportRefused` with its findings, located in the plan's files, when it cannot be made)."""
    return export_files(module, published, opts, lambda diags: pipeline.locate(loaded, diags))


def write_files(result: Exported, output: Path, said: Said) -> None:
    """Every file of an export, each complete and valid before the first is written (csv: its indicators' file beside -o)."""
    for part, data in result.files:
        target = part_path(output, part)
        write_file(target, data)
        said(target, "")


def write_folder(result: Exported, output: Path, loaded: Loaded, lang: str) -> int:
    """A format made of several files (open data): all of them into the folder -o, or none (written beside it, then swapped
    in); how many were written."""
    pages = {part: data.decode("utf-8") for part, data in result.files if part}
    try:
        write_site(pages, output, plan_root=loaded.source.root)
    except UserError as exc:
        raise exc.said_in(lang) from None
    except OSError as exc:
        raise _usage(msg("cannot write into '{path}': {reason}.", path=str(output), reason=system_reason(exc))) from None
    return len(pages)


def _slug(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()[:60] or "classeur"


def write_split(module: ModuleType, published: Published, opts: ExportOptions, by: str, output: Path, said: Said) -> int:
    """One workbook per service or per owner into the folder ``output``, every one checked before the first is written;
    how many were written."""
    books = module.export_split(published, opts, by)
    if not books:
        raise _usage(msg("no action to export with these filters: no workbook written."))
    for _key, _label, data in books:  # every workbook re-opened before the first is written (InvalidOutput otherwise)
        check_output(module, None, data)
    refused = not_a_folder(output)
    if refused is not None:
        raise _usage(refused, msg("Give a folder with -o: one workbook is written there per group."))
    make_folder(output)
    used: set[str] = set()
    for key, label, data in books:
        stem = name = _slug(key)
        n = 2
        while name in used:  # two owners whose ids fold to the same file name (« m.dupont », « M-Dupont »): both kept
            name, n = f"{stem}-{n}", n + 1
        used.add(name)
        target = output / f"{name}.xlsx"
        write_file(target, data)
        said(target, label)
    return len(books)


def withheld_here(module: ModuleType, loaded: Loaded, opts: ExportOptions, who: Audience, day: dt.date, withheld_label: str) -> bool:
    """Whether an export refused for ``who`` would be made for the administration: what it misses is in the plan, withheld
    from ``who`` by the plan's ``visibility``."""
    if who is Audience.internal:
        return False
    try:
        export_files(module, publish(loaded.plan, Audience.internal, day, withheld_label=withheld_label), opts)
    except ExportRefused:
        return False
    return True
