"""``feuille export`` for spreadsheets: the filters of ``status`` and ``--split-by`` (one workbook per service or owner)."""

from __future__ import annotations

import dataclasses
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from feuille.cli.outcome import fail

_SHEETS = ("xlsx", "csv")


def sheet_options(loaded: Any, fmt: str, options: Any, filters: dict[str, Any], split_by: str | None, output: Path | None) -> Any:
    """The export options with the ids the filters keep; refusals in French."""
    from feuille.compute.filters import FilterError, Filters, build

    wanted = Filters(**filters)
    if wanted.active() and fmt not in _SHEETS:
        fail(f"les filtres (--owner, --service...) valent pour les formats xlsx et csv, pas pour {fmt}.",
             "Exemple : feuille export --format xlsx --service proprete -o proprete.xlsx")
    if split_by is not None:
        if split_by not in ("service", "owner"):
            fail(f"valeur inconnue pour --split-by : « {split_by} ».", "Choisissez --split-by service (un classeur par service) ou --split-by owner (par responsable).")
        if fmt != "xlsx":
            fail("--split-by produit des classeurs Excel : ajoutez --format xlsx.", "Exemple : feuille export --format xlsx --split-by service -o classeurs/")
        if output is None:
            fail("--split-by écrit un classeur par service dans un dossier : indiquez-le avec -o.", "Exemple : feuille export --format xlsx --split-by service -o classeurs/")
        if output.exists() and not output.is_dir():
            fail(f"« {output} » est un fichier : --split-by écrit dans un dossier.", "Exemple : -o classeurs/")
    if not wanted.active():
        return options
    try:
        keep = build(loaded.plan, wanted, options.as_of)
    except FilterError as exc:
        fail(exc.text(options.lang))
    only = frozenset(a.id for a, o in loaded.plan.actions() if keep is None or keep(a, o))
    label = ", ".join(f"--{k.replace('_', '-')} {v}" if v is not True else f"--{k.replace('_', '-')}" for k, v in filters.items() if v not in (None, False))
    return dataclasses.replace(options, only=only, filter_label=label)


def _slug(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()[:60] or "classeur"


def write_split(module: Any, published: Any, options: Any, by: str, output: Path, summary: str) -> None:
    from feuille.io.files import write_atomic

    books = module.export_split(published, options, by)
    if not books:
        fail("aucune action à exporter avec ces filtres : aucun classeur écrit.")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"impossible de créer le dossier « {output} » : {exc.strerror}.")
    for key, label, data in books:
        target = output / f"{_slug(key)}.xlsx"
        try:
            write_atomic(target, data)
        except OSError as exc:
            fail(f"impossible d'écrire « {target} » : {exc.strerror}.")
        sys.stdout.write(f"écrit : {target} — {label}\n")
    sys.stdout.write(f"{len(books)} classeur(s) ({summary})\n")
