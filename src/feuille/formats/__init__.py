"""One package per file format a plan is written to or read from, each registered once, here (:data:`FORMATS`).

A format's package holds everything about it, both ways: its columns or elements, how its values are
read and written, its checks (``spreadsheet/``: columns, read, values, build, update, write, xlsx,
csv_file; ``ecomptes/``: read, write, xsd; ``opendata/``...).  ``feuille export`` finds its exporters
here (:func:`exporter`: a module with ``SUFFIX``, ``BINARY`` and ``export`` or ``export_files``, see
:mod:`feuille.views.exports` for the types they share), ``feuille import`` its importers
(:func:`importer`: ``NAME``, ``SUFFIXES``, ``sniff`` and ``read``).  Adding a format is a package and
a line in :data:`FORMATS`.

The formats sit at the level of ``views/`` (tests/test_architecture.py): a format reads and writes
bytes and builds what it writes from the plan as an audience may see it (``compute``), with the
diagnostics of ``checks``; it never imports the use cases (``app``) nor the CLI.  This module only
names them: each is imported when it is used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from feuille.core.i18n import LANGS, NC_, Words


@dataclass(frozen=True, slots=True)
class Format:
    """A file format: the module that writes it (``feuille export --format NAME``) and the one that reads it
    (``feuille import``), each named here only, imported when it is used."""

    writer: str | None = None
    reader: str | None = None


FORMATS: dict[str, Format] = {  # in the order the help and the errors list them
    "json": Format(writer="feuille.views.exports.json_plan"),
    "ecomptes": Format(writer="feuille.formats.ecomptes.write", reader="feuille.formats.ecomptes.read"),
    "xlsx": Format(writer="feuille.formats.spreadsheet.xlsx"),
    "csv": Format(writer="feuille.formats.spreadsheet.csv_file"),
    "tableur": Format(reader="feuille.formats.spreadsheet.build"),  # xlsx and csv sheets, into a new plan (feuille import)
    "opendata": Format(writer="feuille.formats.opendata"),
    "projets-te": Format(writer="feuille.formats.projets_te"),
}
EXPORTS: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.writer)
IMPORTS: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.reader)

# The name of each import format as the reader's language says it (``--format`` takes them in every language)
FORMAT_WORDS = Words({"ecomptes": NC_("import format", "ecomptes"), "tableur": NC_("import format", "spreadsheet")})
_FILE_TYPES = {"xlsx": "tableur", "xlsm": "tableur", "csv": "tableur"}  # the help shows them beside the spreadsheet format


def exporter(name: str) -> ModuleType:
    """The module that writes format ``name`` (imported on demand); KeyError if feuille does not export it."""
    writer = FORMATS[name].writer
    if writer is None:
        raise KeyError(name)
    return importlib.import_module(writer)


def importer(name: str) -> ModuleType:
    """The module that reads format ``name`` (imported on demand); KeyError if feuille does not import it."""
    reader = FORMATS[name].reader
    if reader is None:
        raise KeyError(name)
    return importlib.import_module(reader)


def format_named(name: str) -> str | None:
    """The import format that ``name`` gives in any language (« tableur », « spreadsheet », « xlsx »...), case and
    spaces ignored; None for a name no language has."""
    key = name.strip().casefold()
    for lang in LANGS:
        for fmt, word in FORMAT_WORDS[lang].items():
            if word.casefold() == key:
                return fmt
    return key if key in IMPORTS else _FILE_TYPES.get(key.lstrip("."))


def format_names(lang: str) -> str:
    """The import formats as ``lang`` names them: « ecomptes, tableur », « ecomptes, spreadsheet »."""
    return ", ".join(FORMAT_WORDS[lang][name] for name in IMPORTS)


def detect(path: Path, head: bytes) -> str | None:
    """The import format of a file: by its suffix, confirmed by its content."""
    suffix = path.suffix.lower()
    for name in IMPORTS:
        module = importer(name)
        if suffix in module.SUFFIXES and module.sniff(head):
            return name
    return None


def suffixes() -> set[str]:
    """The file suffixes feuille import reads."""
    return {s for name in IMPORTS for s in importer(name).SUFFIXES}
