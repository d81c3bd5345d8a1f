"""``feuille import`` formats: a registry of readers, each turning another tool's file into a new plan tree.

An importer is a module with ``NAME`` (a description), ``SUFFIXES`` (the file
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

from feuille.core.errors import UserError
from feuille.core.i18n import LANGS, NC_, Msg, Words, msg, translator
from feuille.io.files import system_reason

IMPORTERS: dict[str, str] = {  # format name -> module
    "ecomptes": "feuille.formats.ecomptes.read",
    "tableur": "feuille.formats.spreadsheet.read",
}
# The name of each format as the reader's language says it (``--format`` takes them in every language)
FORMAT_WORDS = Words({"ecomptes": NC_("import format", "ecomptes"), "tableur": NC_("import format", "spreadsheet")})
_FILE_TYPES = {"xlsx": "tableur", "xlsm": "tableur", "csv": "tableur"}  # the help shows them beside the spreadsheet format


class ImportProblem(UserError):
    """The file cannot be imported.  ``msg`` and ``hint_msg`` as given (a :class:`Msg` is shown in
    the user's language by ``fail``); ``message`` and ``hint`` their French."""

    code = "import"


@dataclass(slots=True)
class Imported:
    """A plan as files: relative path -> data (the YAML mapping), plus notes for the user (a :class:`Msg`: in the user's language)."""

    files: dict[str, dict[str, Any]]
    notes: list[str | Msg] = field(default_factory=list)


def format_named(name: str) -> str | None:
    """The format (a key of :data:`IMPORTERS`) that ``name`` gives in any language (« tableur », « spreadsheet »,
    « xlsx »...), case and spaces ignored; None for a name no language has."""
    key = name.strip().casefold()
    for lang in LANGS:
        for fmt, word in FORMAT_WORDS[lang].items():
            if word.casefold() == key:
                return fmt
    return key if key in IMPORTERS else _FILE_TYPES.get(key.lstrip("."))


def format_names(lang: str) -> str:
    """The formats as ``lang`` names them: « ecomptes, tableur », « ecomptes, spreadsheet »."""
    return ", ".join(FORMAT_WORDS[lang][name] for name in IMPORTERS)


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
        raise ImportProblem(msg("'{folder}' already holds a plan (plan.yaml): the import only writes into a new folder. Nothing was written.", folder=str(directory)),
                            msg("Give a folder that does not exist yet, for example: feuille import pst.xml new-plan"))
    if directory.exists() and any(directory.iterdir()):
        raise ImportProblem(msg("'{folder}' is not empty: the import only writes into a new or empty folder. Nothing was written.", folder=str(directory)))
    above = enclosing_plan(directory.resolve().parent)
    if above is not None:
        raise ImportProblem(msg("'{folder}' would be inside the plan '{plan}': its files would be read there as objectives. Nothing was written.",
                                folder=str(directory), plan=os.path.relpath(above)))
    texts: dict[str, str] = {}
    locale = str(imported.files.get("plan.yaml", {}).get("locale") or "fr")
    _ = translator(locale[:2])
    comment = _("Imported by feuille import.")  # in the plan's language (its locale: fr-BE for eComptes), as its content; not --lang
    for rel, data in imported.files.items():
        kind = "plan" if rel == "plan.yaml" else "people" if rel == "people.yaml" else "objective"
        try:
            FILE_MODELS[kind].model_validate(data)
        except ValueError as exc:  # pydantic's ValidationError: a value feuille's format cannot hold
            first = str(exc).splitlines()[1:3]
            raise ImportProblem(msg("the file gives a value that feuille's format cannot take ({file}: {detail}). Nothing was written.",
                                    file=rel, detail=" ".join(x.strip() for x in first))) from None
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
        texts[rel] = f"# yaml-language-server: $schema={_MODELINE[kind]}\n# {comment}\n{body}"
    try:
        return write_tree(directory, texts)  # the same writing as feuille init: files, then the schemas
    except OSError as exc:
        raise ImportProblem(msg("cannot write in '{folder}': {reason}.", folder=str(directory), reason=system_reason(exc))) from exc
