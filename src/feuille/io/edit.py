"""Edit values in the plan's files in place, touching only the lines that change.

Rather than re-dumping a whole file (which loses formatting in corner cases), an
edit splices the new text at the exact position of the value, found by the
reader's position pass.  Before anything is written the new text is read back
and compared with the old one: it must hold exactly the same data but for the
intended change, or nothing is written.  BOM, line endings (LF, CRLF, CR), a
missing final line break, comments and layout are kept byte for byte.

This is the one writer of the plan's files: :func:`write` re-reads each file,
refuses it if its bytes are no longer those the edit was computed from or if an
item is no longer at its place (checked by id), and replaces all the files of one
command all or nothing through :class:`feuille.io.transaction.Transaction`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feuille.io import yamlread as _yamlread
from feuille.io.cache import digest
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
    digest: bytes | None = None  # of ``before``: what the file must still hold when written
    ids: tuple[tuple[Path_, str], ...] = ()  # (YAML path, id) of each item changed: checked again at write time
    root: Path | None = None  # the plan root (where the write journal goes)

    def diff(self) -> str:
        old = self.before.decode("utf-8-sig").splitlines(keepends=True)
        new = self.after.decode("utf-8-sig").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.shown}", f"b/{self.shown}"))


_VALUE_TOKEN = re.compile(r"[^\s,}\]#]+|\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")
# Line breaks as libyaml counts them (its marks' line numbers): not str.splitlines(), which also breaks on \f, \v...
_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")


def _lines(text: str) -> list[str]:
    out, start = [], 0
    for m in _BREAK.finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


def _line_break(line: str, default: str) -> str:
    m = _BREAK.search(line)
    return m.group(0) if m is not None and m.end() == len(line) else default


def _dominant_break(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


def set_key(plan: Plan, changes: dict[str, tuple[_Item, int | None]], key: str = "priority") -> list[FileEdit]:
    """Set (or remove, with None) ``key`` on each item; returns the edits, not yet written.

    ``changes`` maps an item's id to ``(item, value)``.  Each file is read again; it
    must still be the one the plan was loaded from (``plan.digests``), and the YAML
    path recorded for each item must still hold an item with that id.
    """
    from feuille.io.transaction import TransactionError, recover

    try:
        recover(plan.root)
    except TransactionError as exc:
        raise EditError(str(exc)) from None
    by_file: dict[str, list[tuple[Path_, int | None, str]]] = {}
    for ident, (item, value) in changes.items():
        rel, path = plan.origin(item)
        if not rel:
            raise EditError(f"« {ident} » : on ne sait pas de quel fichier vient cet élément ; rien n'a été écrit.")
        if getattr(item, key) == value:
            continue
        by_file.setdefault(rel, []).append((path, value, item.id))
    edits = []
    for rel, wanted in sorted(by_file.items()):
        target = plan.root / rel
        shown = plan.display_path(rel)
        try:
            before = target.read_bytes()
        except OSError as exc:
            raise EditError(f"{shown} : le fichier ne peut pas être relu ({exc.strerror or type(exc).__name__}) ; rien n'a été écrit.") from None
        dg = digest(before)
        loaded_from = getattr(plan, "digests", {}).get(rel)
        if loaded_from is not None and loaded_from != dg:
            raise EditError(f"{shown} a été modifié depuis la lecture du plan ; rien n'a été écrit. Relancez la commande.")
        text, problem = _yamlread.decode(before)
        if text is None or problem is not None:
            raise EditError(f"{shown} : le fichier ne peut pas être relu ; lancez « feuille lint ».")
        _check_ids(text, [(p, i) for p, _v, i in wanted], shown)
        bom = b"\xef\xbb\xbf" if before.startswith(b"\xef\xbb\xbf") else b""
        new_text = _apply(text, [(p, v) for p, v, _i in wanted], key, _dominant_break(text), shown)
        new_text = _keep_final_break(text, new_text)
        _verify(text, new_text, [(p, v) for p, v, _i in wanted], key, shown)
        ids = tuple((p, i) for p, _v, i in wanted)
        edits.append(FileEdit(target, shown, before, bom + new_text.encode("utf-8"), dg, ids, plan.root))
    return edits


def _check_ids(text: str, ids: list[tuple[Path_, str]], shown: str) -> None:
    """Each path must hold a mapping whose ``id`` is the one expected."""
    data, problems = _yamlread.read(text)
    if data is None or problems:
        raise EditError(f"{shown} : le fichier ne peut pas être relu ; rien n'a été écrit. Lancez « feuille lint ».")
    for path, ident in ids:
        try:
            found = _get(data, path)
        except (KeyError, IndexError, TypeError):
            found = None
        got = found.get("id") if isinstance(found, dict) else None
        if got is None or str(got) != ident:
            where = f"l'élément « {got} »" if got is not None else "aucun élément"
            raise EditError(
                f"{shown} : « {ident} » n'est plus à la place où il a été lu ({where} s'y trouve) ; "
                "le fichier a changé depuis sa lecture. Rien n'a été écrit : relancez la commande.")


_FINAL_BREAK = re.compile(r"(?:\r\n|\r|\n|\x85|\u2028|\u2029)\Z")


def _ends_with_break(s: str) -> bool:
    return _FINAL_BREAK.search(s) is not None


def _keep_final_break(old: str, new: str) -> str:
    """A file without a final line break keeps none; one with keeps one."""
    old_ends = _ends_with_break(old) if old else True
    m = _FINAL_BREAK.search(new)
    if not old_ends and m is not None:
        return new[: m.start()]
    if old_ends and old and m is None and new:
        return new + _line_break(_lines(old)[-1], _dominant_break(old))
    return new


def _apply(text: str, wanted: list[tuple[Path_, int | None]], key: str, newline: str, shown: str) -> str:
    paths = {p for p, _v in wanted} | {p + ("id",) for p, _v in wanted} | {p + (key,) for p, _v in wanted}
    found = _yamlread.locate(text, paths)
    lines = _lines(text)
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
                splices.append((ident.line, 0, 0, f"{indent}{key}: {value}{_line_break(line, newline)}"))
    for index, start, end, replacement in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        if end == -1:
            del lines[index]
        elif index == len(lines):
            if lines and not _ends_with_break(lines[-1]):
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


def write(edits: list[FileEdit]) -> list[tuple[str, str]]:
    """Write the edits all or nothing (see :mod:`feuille.io.transaction`).

    Each file is read again first: it must still hold the bytes the edit was
    computed from, and each changed item must still be at its place, in those bytes
    and in the new ones.  Returns ``[(file shown, "modifié")]``; raises
    :class:`EditError` naming every file and what became of it.
    """
    from feuille.io.transaction import Transaction, TransactionError

    if not edits:
        return []
    root = edits[0].root or edits[0].path.parent
    tx = Transaction(root)
    try:
        for edit in edits:
            try:
                current = edit.path.read_bytes()
            except OSError as exc:
                raise EditError(f"{edit.shown} : le fichier ne peut pas être relu ({exc.strerror or type(exc).__name__}) ; rien n'a été écrit.") from None
            expected = edit.digest if edit.digest is not None else digest(edit.before)
            if digest(current) != expected:
                raise EditError(f"{edit.shown} a été modifié pendant l'opération ; rien n'a été écrit. Relancez la commande.")
            if edit.ids:
                text, _problem = _yamlread.decode(current)
                new_text, _problem2 = _yamlread.decode(edit.after)
                if text is None or new_text is None:
                    raise EditError(f"{edit.shown} : le fichier ne peut pas être relu ; rien n'a été écrit.")
                _check_ids(text, list(edit.ids), edit.shown)
                _check_ids(new_text, list(edit.ids), edit.shown)
            tx.add(edit.path, edit.after, before=expected, shown=edit.shown)
        return tx.commit()
    except TransactionError as exc:
        raise EditError(str(exc)) from None
