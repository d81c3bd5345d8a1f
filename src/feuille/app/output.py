"""What a command writes into a file for a person: the whole file at once (or standard output, ``-o /dev/stdout``),
or a user error in the reader's language; and ``feuille schema``'s JSON Schemas, written or checked (``--check``).

The command line reaches :mod:`feuille.io.files` through here (the modules below it stay the only ones that touch the disk).
"""

from __future__ import annotations

import json
from pathlib import Path

from feuille.core.errors import FINDINGS, UserError
from feuille.core.i18n import msg
from feuille.core.model import json_schemas
from feuille.io.files import make_folder, not_a_folder, write_file

__all__ = ["schemas", "write", "write_schemas"]


def write(path: Path, content: str | bytes, lang: str | None = None) -> None:
    """Write ``content`` (text in UTF-8, else bytes) to ``path`` at once, or a user error said in ``lang`` (None: the run's)."""
    try:
        write_file(path, content.encode("utf-8") if isinstance(content, str) else content)
    except UserError as exc:
        raise (exc.said_in(lang) if lang is not None else exc) from None


def schemas(kind: str | None) -> dict[str, str]:
    """The JSON Schema of each kind of file of a plan (``kind``: only this one), as written; an unknown kind is a user error."""
    found = {k: json.dumps(v, ensure_ascii=False, indent=2) + "\n" for k, v in json_schemas().items()}
    if kind is not None and kind not in found:
        raise UserError(msg("unknown file type '{value}'.", value=kind), msg("Possible types: {names}.", names=", ".join(found)), code="usage")
    return {kind: found[kind]} if kind else found


def write_schemas(selected: dict[str, str], out: Path, check_only: bool) -> list[str]:
    """The schemas that differ from those in ``out``, each written there (``check_only``: a user error, exit 1, if any)."""
    refused = not_a_folder(out)
    if refused is not None:
        raise UserError(refused, msg("Give a folder with --out: the *.schema.json files are written there."), code="usage")
    stale = []
    for name, content in selected.items():
        target = out / f"{name}.schema.json"
        try:
            current = target.read_text(encoding="utf-8") if target.is_file() else None
        except (OSError, UnicodeDecodeError):
            current = None  # unreadable: rewritten (or said to be stale)
        if current == content:
            continue
        stale.append(str(target))
        if not check_only:
            make_folder(out)
            write(target, content)
    if check_only and stale:
        raise UserError(msg("stale schemas: {files}", files=", ".join(stale)), msg("Run '{command}'.", command="feuille schema --out " + str(out)),
                        code="usage", exit_code=FINDINGS)
    return stale
