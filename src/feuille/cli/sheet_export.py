"""``feuille export`` for spreadsheets: the filters of ``status`` and ``--split-by`` (one workbook per service or owner)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path
from typing import Any

from feuille.cli.options import echo, say_written
from feuille.cli.outcome import fail, said_in
from feuille.core.i18n import msg, msgn, translator

_SHEETS = ("xlsx", "csv")
SPLIT_BY = ("service", "owner")  # --split-by: one workbook per service or per owner (a format with export_split)
SPLIT_EXAMPLE = msg("Example: {example}", example=msg("feuille export --format xlsx --split-by service -o workbooks/"))


def sheet_options(loaded: Any, fmt: str, options: Any, filters: dict[str, Any], split_by: str | None, output: Path | None) -> Any:
    """The export options with the ids the filters keep; a filter that matches nothing is a :class:`FilterError`."""
    from feuille.app.select import Filters, build

    wanted = Filters(**filters)
    if wanted.active() and fmt not in _SHEETS:
        fail(msg("the filters (--owner, --service...) apply to the xlsx and csv formats, not to {fmt}.", fmt=fmt),
             msg("Example: {example}", example="feuille export --format xlsx --service proprete -o proprete.xlsx"))
    if split_by is not None:
        if split_by not in SPLIT_BY:
            fail(msg("unknown value for --split-by: '{value}'.", value=split_by),
                 msg("Choose --split-by service (one workbook per service) or --split-by owner (per owner)."))
        if fmt != "xlsx":
            fail(msg("--split-by makes Excel workbooks: add --format xlsx."), SPLIT_EXAMPLE)
        if output is None:
            fail(msg("--split-by writes one workbook per service into a folder: give it with -o."), SPLIT_EXAMPLE)
        if output.exists() and not output.is_dir():
            fail(msg("'{path}' is a file: --split-by writes into a folder.", path=str(output)), msg("Example: {example}", example=msg("-o workbooks/")))
    if not wanted.active():
        return options
    with said_in(options.lang):
        keep = build(loaded.plan, wanted, options.as_of)
    only = frozenset(a.id for a, o in loaded.plan.actions() if keep is None or keep(a, o))
    label = ", ".join(f"--{k.replace('_', '-')} {v}" if v is not True else f"--{k.replace('_', '-')}" for k, v in filters.items() if v not in (None, False))
    return dataclasses.replace(options, only=only, filter_label=label)


def _slug(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()[:60] or "classeur"


def write_split(module: Any, published: Any, options: Any, by: str, output: Path, summary: str, run: Any = None) -> None:
    from feuille.app.output import make_folder, not_a_folder, write_file
    from feuille.views.exports import check_output

    _ = translator(options.lang)

    books = module.export_split(published, options, by)
    if not books:
        fail(msg("no action to export with these filters: no workbook written."))
    for _key, _label, data in books:  # every workbook re-opened before the first is written (InvalidOutput otherwise)
        check_output(module, None, data)
    refused = not_a_folder(output)
    if refused is not None:
        fail(refused, msg("Give a folder with -o: one workbook is written there per group."))
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
        say_written(target, _("written: {file} — {label}").format(file=target, label=label), run)
    echo(msgn("{n} workbook ({summary})", "{n} workbooks ({summary})", len(books), summary=summary)(options.lang) + "\n", run)
