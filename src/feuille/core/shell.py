"""How a value is written in a command feuille suggests (« Vérifiez-le avec : feuille lint "mon plan 2025" »),
so that a clerk can copy it as it is into a terminal: quoted when it holds a space or a character the shell reads."""

from __future__ import annotations

import os
import re
from pathlib import PurePath

_PLAIN = re.compile(r"[\w@%+=:,./~-]+\Z")  # what every shell (bash, PowerShell, cmd) takes as one word
_DOUBLE_SAFE = re.compile(r"[^\"$`\\!%]+\Z")  # what double quotes keep as it is in bash, PowerShell and cmd


def shell_arg(value: str | PurePath) -> str:
    """``value`` as one word of a command line: as it is (``plans/la-louviere``), between double quotes
    (``"mon plan 2025"``: the quotes every shell knows), else between single quotes, as POSIX shells want."""
    text = str(value)
    if text and _PLAIN.match(text):
        return text
    if text and _DOUBLE_SAFE.match(text):
        return f'"{text}"'
    return "'" + text.replace("'", "'\"'\"'") + "'"


def folder_name(path: str | PurePath) -> str:
    """How a folder is named to a person: as it was given (``plans/la-louviere``), except a path ending in ``.`` or
    ``..``, which names nothing a person recognises (« l'historique de .. »): then the folder's own name
    (``la-louviere``), as the current folder makes it (no file is read)."""
    text = str(path)
    if PurePath(text).name not in ("", ".", ".."):
        return text
    return os.path.basename(os.path.abspath(text)) or text
