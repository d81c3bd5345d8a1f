"""Edit values in the plan's files in place, touching only the lines that change.

Rather than re-dumping a whole file (which loses formatting in corner cases), an
edit splices the new text at the exact position of the value, found by the
reader's position pass.  Before anything is written the new text is read back
and compared with the old one: it must hold exactly the same data but for the
intended change, or nothing is written.  Files are written atomically and not at
all if they changed since they were read.  BOM and line endings are kept.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feuille.io import yamlread as _yamlread
from feuille.io.cache import digest
from feuille.io.files import write_atomic
from feuille.core.model import _Item
from feuille.core.plan import Plan

Path_ = tuple[Any, ...]


class EditError(Exception):
    """An edit that could not be made safely; the message says why and what to do."""


@dataclass(slots=True)
class FileEdit:
    path: Path
    shown: str
    before: bytes
    after: bytes

    def diff(self) -> str:
        old = self.before.decode("utf-8-sig").splitlines(keepends=True)
        new = self.after.decode("utf-8-sig").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.shown}", f"b/{self.shown}"))


_VALUE_TOKEN = re.compile(r"[^\s,}\]#]+|\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")


def set_key(plan: Plan, changes: dict[int, tuple[_Item, int | None]], key: str = "priority") -> list[FileEdit]:
    """Set (or remove, with None) ``key`` on each item; returns the edits, not yet written."""
    by_file: dict[str, list[tuple[Path_, int | None]]] = {}
    for item, value in changes.values():
        rel, path = plan.origin(item)
        if getattr(item, key) == value:
            continue
        by_file.setdefault(rel, []).append((path, value))
    edits = []
    for rel, wanted in sorted(by_file.items()):
        target = plan.root / rel
        before = target.read_bytes()
        text, problem = _yamlread.decode(before)
        if text is None or problem is not None:
            raise EditError(f"{plan.display_path(rel)} : le fichier ne peut pas être relu ; lancez « feuille lint ».")
        bom = b"\xef\xbb\xbf" if before.startswith(b"\xef\xbb\xbf") else b""
        newline = "\r\n" if "\r\n" in text else "\n"
        new_text = _apply(text, wanted, key, newline, plan.display_path(rel))
        _verify(text, new_text, wanted, key, plan.display_path(rel))
        edits.append(FileEdit(target, plan.display_path(rel), before, bom + new_text.encode("utf-8")))
    return edits


def _apply(text: str, wanted: list[tuple[Path_, int | None]], key: str, newline: str, shown: str) -> str:
    paths = {p for p, _v in wanted} | {p + ("id",) for p, _v in wanted} | {p + (key,) for p, _v in wanted}
    found = _yamlread.locate(text, paths)
    lines = text.splitlines(keepends=True)
    splices: list[tuple[int, int, int, str]] = []  # (line index, start col, end col, replacement); end -1: whole line
    for path, value in wanted:
        mapping, ident, current = found.get(path), found.get(path + ("id",)), found.get(path + (key,))
        if mapping is None or ident is None:
            raise EditError(f"{shown} : objet introuvable dans le fichier ({path}) ; relancez après « feuille lint ».")
        flow = lines[mapping.line - 1][mapping.col - 1 : mapping.col] == "{"
        if current is not None:
            line = lines[current.line - 1]
            token = _VALUE_TOKEN.match(line, current.col - 1)
            if token is None:
                raise EditError(f"{shown}:{current.line} : valeur de « {key} » illisible.")
            if value is not None:
                splices.append((current.line - 1, token.start(), token.end(), str(value)))
            elif flow:
                start, end = _flow_entry_span(line, current.key_col - 1, token.end())
                splices.append((current.line - 1, start, end, ""))
            else:
                if line[: current.key_col - 1].strip():
                    raise EditError(f"{shown}:{current.line} : « {key} » n'est pas seul sur sa ligne ; retirez-le à la main.")
                splices.append((current.line - 1, 0, -1, ""))
        elif value is not None:
            line = lines[ident.line - 1]
            token = _VALUE_TOKEN.match(line, ident.col - 1)
            if token is None:
                raise EditError(f"{shown}:{ident.line} : identifiant illisible.")
            if flow:
                splices.append((ident.line - 1, token.end(), token.end(), f", {key}: {value}"))
            else:
                indent = " " * ((ident.key_col or 1) - 1)
                splices.append((ident.line, 0, 0, f"{indent}{key}: {value}{newline}"))
    for index, start, end, replacement in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        if end == -1:
            del lines[index]
        elif index == len(lines):
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += newline
            lines.append(replacement)
        else:
            lines[index] = lines[index][:start] + replacement + lines[index][end:]
    return "".join(lines)


def _flow_entry_span(line: str, key_start: int, value_end: int) -> tuple[int, int]:
    """The span of ``, key: value`` (or ``key: value, ``) in a flow mapping."""
    before = line[:key_start].rstrip()
    if before.endswith(","):
        return len(before) - 1, value_end
    after = line[value_end:]
    stripped = after.lstrip()
    if stripped.startswith(","):
        return key_start, value_end + (len(after) - len(stripped)) + 1 + (len(stripped[1:]) - len(stripped[1:].lstrip()))
    return key_start, value_end


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _verify(old: str, new: str, wanted: list[tuple[Path_, int | None]], key: str, shown: str) -> None:
    """The new text must hold the old data with exactly the intended changes."""
    expected, problems = _yamlread.read(old)
    got, new_problems = _yamlread.read(new)
    if problems or new_problems or expected is None or got is None:
        raise EditError(f"{shown} : la modification rendrait le fichier illisible ; rien n'a été écrit.")
    for path, value in wanted:
        target = _get(expected, path)
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    if got != expected:
        raise EditError(f"{shown} : la modification changerait autre chose que « {key} » ; rien n'a été écrit. Modifiez ce fichier à la main.")


def write(edits: list[FileEdit]) -> None:
    """Write the edits, each atomically; refuse a file that changed since it was read."""
    for edit in edits:
        current = edit.path.read_bytes()
        if digest(current) != digest(edit.before):
            raise EditError(f"{edit.shown} a été modifié pendant l'opération ; rien n'a été écrit dans ce fichier. Relancez la commande.")
    for edit in edits:
        write_atomic(edit.path, edit.after)
