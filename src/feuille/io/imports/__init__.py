"""``feuille import`` formats: a registry of readers, each turning another tool's file into a new plan tree.

An importer is a module with ``NAME`` (a French description), ``SUFFIXES`` (the file
extensions it reads), ``sniff(head: bytes) -> bool`` (does this content look like mine?)
and ``read(sources: list[tuple[str, bytes]]) -> Imported``.  Adding a format (a
spreadsheet, another region's XML) is one module and one line in :data:`IMPORTERS`.
Readers only build data; :func:`write_plan` checks it against the model and writes it,
refusing to touch an existing plan.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

IMPORTERS: dict[str, str] = {  # format name -> module
    "ecomptes": "feuille.io.imports.ecomptes",
    "tableur": "feuille.io.imports.spreadsheet",
}


class ImportProblem(Exception):
    """The file cannot be imported; the message is French, for the user."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(slots=True)
class Imported:
    """A plan as files: relative path -> data (the YAML mapping), plus notes for the user."""

    files: dict[str, dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def importer(name: str) -> ModuleType:
    return importlib.import_module(IMPORTERS[name])


def detect(path: Path, head: bytes) -> str | None:
    """The format of a file: by its suffix, confirmed by its content."""
    suffix = path.suffix.lower()
    for name in IMPORTERS:
        module = importer(name)
        if suffix in module.SUFFIXES and module.sniff(head):
            return name
    return None


def suffixes() -> set[str]:
    return {s for name in IMPORTERS for s in importer(name).SUFFIXES}


_MODELINE = {"plan": "schema/plan.schema.json", "people": "schema/people.schema.json", "objective": "../schema/objective.schema.json"}


def write_plan(directory: Path, imported: Imported) -> list[str]:
    """Check every file against the model, then write the plan into a new ``directory``."""
    import yaml

    from feuille.core.model import FILE_MODELS
    from feuille.io.scaffold import write_tree
    from feuille.io.sources import enclosing_plan

    if (directory / "plan.yaml").exists():
        raise ImportProblem(f"« {directory} » contient déjà un plan (plan.yaml) : l'import n'écrit que dans un nouveau dossier. Rien n'a été écrit.",
                            "Indiquez un dossier qui n'existe pas encore, par exemple : feuille import pst.xml nouveau-plan")
    if directory.exists() and any(directory.iterdir()):
        raise ImportProblem(f"« {directory} » n'est pas vide : l'import n'écrit que dans un dossier nouveau ou vide. Rien n'a été écrit.")
    above = enclosing_plan(directory.resolve().parent)
    if above is not None:
        raise ImportProblem(f"« {directory} » serait à l'intérieur du plan « {os.path.relpath(above)} » : ses fichiers y seraient lus comme des objectifs. Rien n'a été écrit.")
    texts: dict[str, str] = {}
    for rel, data in imported.files.items():
        kind = "plan" if rel == "plan.yaml" else "people" if rel == "people.yaml" else "objective"
        try:
            FILE_MODELS[kind].model_validate(data)
        except ValueError as exc:  # pydantic's ValidationError: a value feuille's format cannot hold
            first = str(exc).splitlines()[1:3]
            raise ImportProblem(f"le fichier donne une valeur que le format de feuille ne peut pas reprendre ({rel} : {' '.join(x.strip() for x in first)}). Rien n'a été écrit.") from None
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
        texts[rel] = f"# yaml-language-server: $schema={_MODELINE[kind]}\n# Importé par feuille import.\n{body}"
    try:
        return write_tree(directory, texts)  # the same writing as feuille init: files, then the schemas
    except OSError as exc:
        raise ImportProblem(f"impossible d'écrire dans « {directory} » : {exc.strerror}.") from exc
