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

import datetime as _dt
import difflib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from feuille.core.errors import UserError
from feuille.core.fields import of
from feuille.core.i18n import Msg, msg
from feuille.core.model import _Item
from feuille.core.plan import Plan
from feuille.io import yamlread as _yamlread
from feuille.io.cache import digest
from feuille.io.transaction import Transaction, TransactionError, recover, system_reason

Path_ = tuple[Any, ...]


class EditError(UserError):
    """An edit that could not be made safely; the message says why and what to do.

    ``msg`` is the message as given (a :class:`Msg` is shown in the user's language);
    ``str(exc)`` its French."""

    code = "edit"

    def __init__(self, message: str | Msg) -> None:
        super().__init__(message)


@dataclass(slots=True)
class FileEdit:
    path: Path
    shown: str
    before: bytes
    after: bytes
    digest: bytes | None = None  # of ``before``: what the file must still hold when written
    ids: tuple[tuple[Path_, str], ...] = ()  # (YAML path, id) of each item changed: checked again at write time
    root: Path | None = None  # the plan root (where the write journal goes)
    created: bool = False  # a new file: it must still not exist when written

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
    _recover_first(plan)
    by_file: dict[str, list[tuple[Path_, int | None, str]]] = {}
    for ident, (item, value) in changes.items():
        rel, path = plan.origin(item)
        if not rel:
            raise EditError(msg("'{id}': it is not known which file this item comes from; nothing was written.", id=ident))
        if getattr(item, key) == value:
            continue
        by_file.setdefault(rel, []).append((path, value, item.id))
    edits = []
    for rel, wanted in sorted(by_file.items()):
        target, shown, before, dg, text = _read_checked(plan, rel)
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
        raise EditError(msg("{file}: the file cannot be read again; nothing was written. Run 'feuille lint'.", file=shown))
    for path, ident in ids:
        try:
            found = _get(data, path)
        except (KeyError, IndexError, TypeError):
            found = None
        got = found.get("id") if isinstance(found, dict) else None
        if got is None or str(got) != ident:
            where = msg("the item '{id}'", id=got) if got is not None else msg("no item")
            raise EditError(msg(
                "{file}: '{id}' is no longer where it was read ({where} is there); "
                "the file has changed since it was read. Nothing was written: run the command again.", file=shown, id=ident, where=where))


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
            raise EditError(msg("{file}: object not found in the file ({path}); run again after 'feuille lint'.", file=shown, path=path))
        flow = lines[mapping.line - 1][mapping.col - 1 : mapping.col] == "{"
        if current is not None:
            line = lines[current.line - 1]
            token = _VALUE_TOKEN.match(line, current.col - 1)
            if token is None:
                raise EditError(msg("{file}:{line}: the value of '{key}' cannot be read.", file=shown, line=current.line, key=key))
            if value is not None:
                splices.append((current.line - 1, token.start(), token.end(), str(value)))
            elif flow:
                start, end = _flow_entry_span(line, current.key_col - 1, token.end())
                splices.append((current.line - 1, start, end, ""))
            else:
                if line[: current.key_col - 1].strip():
                    raise EditError(msg("{file}:{line}: '{key}' is not alone on its line; remove it by hand.", file=shown, line=current.line, key=key))
                splices.append((current.line - 1, 0, -1, ""))
        elif value is not None:
            line = lines[ident.line - 1]
            token = _VALUE_TOKEN.match(line, ident.col - 1)
            if token is None:
                raise EditError(msg("{file}:{line}: unreadable identifier.", file=shown, line=ident.line))
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
        raise EditError(msg("{file}: the change would make the file unreadable; nothing was written.", file=shown))
    for path, value in wanted:
        target = _get(expected, path)
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    if got != expected:
        raise EditError(msg("{file}: the change would change something other than '{key}'; nothing was written. Edit this file by hand.", file=shown, key=key))


def write(edits: list[FileEdit]) -> list[tuple[str, Msg]]:
    """Write the edits all or nothing (see :mod:`feuille.io.transaction`).

    Each file is read again first: it must still hold the bytes the edit was
    computed from, and each changed item must still be at its place, in those bytes
    and in the new ones.  Returns ``[(file shown, CHANGED or CREATED)]`` (io/transaction.py); raises
    :class:`EditError` naming every file and what became of it.
    """

    if not edits:
        return []
    root = edits[0].root or edits[0].path.parent
    tx = Transaction(root)
    try:
        for edit in edits:
            if edit.created:
                tx.add(edit.path, edit.after, before=None, shown=edit.shown, create=True)
                continue
            try:
                current = edit.path.read_bytes()
            except OSError as exc:
                raise EditError(msg("{file}: the file cannot be read again ({reason}); nothing was written.", file=edit.shown, reason=system_reason(exc))) from None
            expected = edit.digest if edit.digest is not None else digest(edit.before)
            if digest(current) != expected:
                raise EditError(msg("{file} was changed during the operation; nothing was written. Run the command again.", file=edit.shown))
            if edit.ids:
                text, _problem = _yamlread.decode(current)
                new_text, _problem2 = _yamlread.decode(edit.after)
                if text is None or new_text is None:
                    raise EditError(msg("{file}: the file cannot be read again; nothing was written.", file=edit.shown))
                _check_ids(text, list(edit.ids), edit.shown)
                _check_ids(new_text, list(edit.ids), edit.shown)
            tx.add(edit.path, edit.after, before=expected, shown=edit.shown)
        return tx.commit()
    except TransactionError as exc:
        raise EditError(exc.msg) from None


# --- structural edits: set any field, insert an absent one, append to a list, add an item, create a file --------
#
# The same rules as set_key: the new text is spliced into the original bytes (only the new or
# changed lines differ), read back and compared with the old data plus the intended change, and
# written through :func:`write`.  New lines are emitted by ruamel.yaml in the file's style (block
# or flow mapping, the item's indentation, block scalars for long texts) and inserted; a whole
# file is never dumped again.


def field_order(model: type) -> tuple[str, ...]:
    """The order of a model's fields in a file, as docs/format.md shows it (the field registry's, :mod:`feuille.core.fields`):
    an absent field is inserted after the closest field before it in this order."""
    if not hasattr(model, "model_fields"):
        return ()

    return of(model).order


@dataclass(slots=True)
class Change:
    """One change inside an item: ``op`` is ``set`` (replace or insert ``key``), ``append`` (to the list ``key``), ``extend``
    (several items at once: ``value`` is their list) or ``remove`` (``key``).

    ``at`` is the YAML path inside the item of the mapping that holds ``key`` (``()``: the item
    itself, ``("budget", 0)``: its first budget line); ``order`` is the model's field order
    there, which decides where an absent key is inserted.
    """

    op: str
    key: str
    value: Any
    at: Path_ = ()
    order: tuple[str, ...] = ()


@dataclass
class _Node:
    kind: str  # scalar | map | seq
    start: int  # offsets in the text
    end: int  # end of the content (a block collection ends with its last child, not at the next key)
    flow: bool = False
    style: str | None = None
    entries: list[tuple[str, _Node, _Node]] | None = None  # map: (key, key node, value node)
    items: list[_Node] | None = None  # seq
    style_value: str | None = None  # a scalar's text

    def get(self, key: str) -> _Node | None:
        for k, _kn, vn in self.entries or ():
            if k == key:
                return vn
        return None


def _tree(text: str) -> _Node | None:
    """The document's node tree with offsets, from the C parser's events (marks are in characters)."""
    from yaml import events as ev  # noqa: PLC0415 (heavy, loaded when first needed)

    starts, pos = [], 0
    for line in _lines(text) or [""]:
        starts.append(pos)
        pos += len(line)
    starts.append(pos)

    def off(mark: Any) -> int:
        return min(starts[min(mark.line, len(starts) - 1)] + mark.column, len(text))

    parser = _yamlread._Parser(text)
    stack: list[list[Any]] = []  # [node, pending key]
    root: _Node | None = None

    def attach(node: _Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent[0].kind == "seq":
            parent[0].items.append(node)
        elif parent[1] is None:
            parent[1] = node
        else:
            key = parent[1]
            parent[0].entries.append((str(key.style_value), key, node))
            parent[1] = None

    while True:
        e = parser.get_event()
        if isinstance(e, ev.StreamEndEvent):
            break
        if isinstance(e, ev.AliasEvent):  # *name: a value like a scalar, for positions
            attach(_Node("scalar", off(e.start_mark), off(e.end_mark), style="*", style_value=f"*{e.anchor}"))
        elif isinstance(e, ev.ScalarEvent):
            n = _Node("scalar", off(e.start_mark), off(e.end_mark), style=e.style or None)
            if n.style in ("|", ">"):
                while n.end > n.start and text[n.end - 1] in " \t\r\n":
                    n.end -= 1
            n.style_value = e.value
            attach(n)
        elif isinstance(e, (ev.MappingStartEvent, ev.SequenceStartEvent)):
            is_map = isinstance(e, ev.MappingStartEvent)
            n = _Node("map" if is_map else "seq", off(e.start_mark), off(e.end_mark), flow=bool(e.flow_style),
                      entries=[] if is_map else None, items=None if is_map else [])
            attach(n)
            stack.append([n, None])
        elif isinstance(e, (ev.MappingEndEvent, ev.SequenceEndEvent)):
            n = stack.pop()[0]
            if n.flow:
                n.end = off(e.end_mark)
            else:
                last = n.entries[-1][2] if n.entries else (n.items[-1] if n.items else None)
                n.end = last.end if last is not None else n.end
    return root


def _node_at(root: _Node | None, path: Path_) -> _Node | None:
    node = root
    for part in path:
        if node is None:
            return None
        if isinstance(part, int):
            node = node.items[part] if node.kind == "seq" and node.items is not None and part < len(node.items) else None
        else:
            node = node.get(part) if node.kind == "map" else None
    return node


def _ruamel():
    from ruamel.yaml import YAML  # noqa: PLC0415 (heavy, loaded when first needed)

    y = YAML()
    y.width = 88
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda *_data: True  # one date used twice (actual_end, last_reviewed) is written twice, never &id001/*id001
    return y


def _plain(value: Any) -> Any:
    """A value as the reader returns it (dates as text, amounts as numbers)."""

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):  # an Enum
        return value.value
    return value


LONG_TEXT = 80  # texts longer than this (or with line breaks) become block scalars in block mappings


def _ruamel_value(value: Any, *, block: bool) -> Any:
    """The ruamel.yaml object to emit: flow lists of scalars and flow mappings inside lists, as the plans are written."""

    from ruamel.yaml.comments import CommentedMap, CommentedSeq  # noqa: PLC0415 (heavy, loaded when first needed)
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString  # noqa: PLC0415 (heavy, loaded when first needed)

    if not isinstance(value, (_dt.date, dict, list, tuple)):
        value = _plain(value)
    if isinstance(value, dict):
        m = CommentedMap((k, _ruamel_value(v, block=False)) for k, v in value.items())
        if not block:
            m.fa.set_flow_style()
        return m
    if isinstance(value, (list, tuple)):
        value = list(value)
        s = CommentedSeq(_ruamel_value(v, block=False) for v in value)
        if not block or all(not isinstance(v, (dict, list)) for v in value):
            s.fa.set_flow_style()
        return s
    if isinstance(value, str) and block:
        if "\n" in value.strip("\n"):
            return LiteralScalarString(value if value.endswith("\n") else value)
        if len(value) > LONG_TEXT:
            return FoldedScalarString(value)
    return value


def _dump(data: Any) -> str:

    out = io.StringIO()
    _ruamel().dump(data, out)
    lines = out.getvalue().split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() if not line.strip() else line for line in lines)


def _inline(value: Any) -> str:
    """A value written on one line (inside a flow mapping or list, or after ``key: ``)."""
    from ruamel.yaml.comments import CommentedSeq  # noqa: PLC0415 (heavy, loaded when first needed)

    s = CommentedSeq([_ruamel_value(value, block=False)])
    s.fa.set_flow_style()
    y = _ruamel()
    y.width = 1 << 20

    out = io.StringIO()
    y.dump(s, out)
    text = out.getvalue().strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise EditError(msg("a value that cannot be written on one line."))
    return text[1:-1]


#: Lists of items (objectives, actions, sub-actions) are written in block style unless the file writes them in flow style;
#: other lists of mappings (budget lines, deadline moves, measurements) one `- {...}` line per entry, as the plans do.
BLOCK_LISTS = ("actions", "objectives", "sub_actions")


def _block_entry(key: str, value: Any, indent: str, nl: str, flow_items: bool = True) -> str:
    """``key: value`` in block style (block scalars for long texts), every line after the first indented;
    a list of mappings one `- {...}` line per entry (``flow_items``), or in block style."""
    from ruamel.yaml.comments import CommentedMap  # noqa: PLC0415 (heavy, loaded when first needed)

    if isinstance(value, (list, tuple)):  # a list: `[a, b]`, or one `- {...}` line per item (never wrapped), or block items
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return f"{_inline(key)}: {_inline(list(value))}"
        if not flow_items and all(isinstance(v, dict) for v in value):
            dash = indent + "  "
            return f"{_inline(key)}:" + "".join(f"{nl}{dash}{_block_item(v, dash, nl, False)}" for v in value)
        return f"{_inline(key)}:" + "".join(f"{nl}{indent}  - {_inline(v)}" for v in value)
    text = _dump(CommentedMap([(key, _ruamel_value(value, block=True))]))
    return nl.join(line if i == 0 or not line else indent + line for i, line in enumerate(text.split("\n")))


def _block_item(value: Any, dash: str, nl: str, flow: bool) -> str:
    """A new list item (``- ...``) for a block sequence whose dashes are at ``dash``."""
    from ruamel.yaml.comments import CommentedSeq  # noqa: PLC0415 (heavy, loaded when first needed)

    if flow or not isinstance(value, dict):
        return f"- {_inline(value)}"
    text = _dump(CommentedSeq([_ruamel_value(value, block=True)]))
    lines = [line[2:] if line.startswith("  ") else line for line in text.split("\n")]  # the top level's offset of 2
    return nl.join(line if i == 0 or not line else dash + line for i, line in enumerate(lines))


def _quoted(value: Any, style: str | None) -> Any:
    """A text replacing a quoted one keeps its quotes (" or ')."""
    if not isinstance(value, str) or style not in ('"', "'") or "\n" in value:
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString  # noqa: PLC0415 (heavy, loaded when first needed)

    return DoubleQuotedScalarString(value) if style == '"' else SingleQuotedScalarString(value)


def _line_end(text: str, offset: int) -> int:
    """The offset of the line break ending the line that holds ``offset`` (or the end of the text)."""
    m = _BREAK.search(text, offset)
    return m.start() if m else len(text)


def _col(text: str, offset: int) -> int:
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return offset - start


def _splices_for(text: str, root: _Node, item_path: Path_, change: Change, nl: str, shown: str) -> list[tuple[int, int, str]]:
    mapping = _node_at(root, item_path + change.at)
    if mapping is None or mapping.kind != "map":
        raise EditError(msg("{file}: '{path}' not found in the file; run again after 'feuille lint'.", file=shown, path=".".join(map(str, item_path + change.at)) or "document"))
    current = mapping.get(change.key)
    if change.op == "remove":
        return _removal(text, mapping, change.key, shown) if current is not None else []
    first_key = mapping.entries[0][1] if mapping.entries else None
    indent = " " * (_col(text, first_key.start) if first_key is not None else 0)
    if change.op == "extend":  # several items appended at once (a sheet's new rows in one objective): one splice
        values = list(change.value)
        if current is not None and current.kind == "seq":
            if current.flow:
                close = current.end - 1
                joined = ", ".join(_inline(v) for v in values)
                return [(current.items[-1].end, current.items[-1].end, f", {joined}")] if current.items else [(close, close, joined)]
            dash = " " * _col(text, current.start)
            first = current.items[0] if current.items else None
            flow_items = first is not None and first.kind != "scalar" and first.flow
            at = _line_end(text, current.end)
            return [(at, at, "".join(nl + dash + _block_item(v, dash, nl, flow_items) for v in values))]
        change = Change("set", change.key, values, change.at, change.order)  # no list yet: the list of them, in the file's style
    if change.op == "append" and current is not None:
        if current.kind != "seq":
            if current.kind == "scalar" and current.style_value == "" and current.style is None:  # `key:` with nothing: null
                current = None
            else:
                raise EditError(msg("{file}: '{key}' is not a list; correct the file by hand.", file=shown, key=change.key))
    if change.op == "append" and current is not None:
        if current.flow:
            close = current.end - 1
            if current.items:
                return [(current.items[-1].end, current.items[-1].end, f", {_inline(change.value)}")]
            return [(close, close, _inline(change.value))]
        dash = " " * _col(text, current.start)
        first = current.items[0] if current.items else None
        flow_items = first is not None and first.kind != "scalar" and first.flow
        at = _line_end(text, current.end)
        return [(at, at, nl + dash + _block_item(change.value, dash, nl, flow_items))]
    value = [change.value] if change.op == "append" else change.value
    if current is not None and not (current.kind == "scalar" and current.style_value == "" and current.style is None):
        if mapping.flow or current.flow:
            return [(current.start, current.end, _inline(value))]
        if current.kind != "scalar":
            if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
                key_node = next(kn for k, kn, _v in mapping.entries if k == change.key)
                colon = text.index(":", key_node.end)  # a block list becomes `key: [a, b]` on the key's line
                return [(colon + 1, current.end, " " + _inline(value))]
            raise EditError(msg("{file}: '{key}' is a list on several lines; edit it by hand.", file=shown, key=change.key))
        if isinstance(value, str) and ("\n" in value.strip("\n") or len(value) > LONG_TEXT):
            entry = _block_entry(change.key, value, indent, nl)
            return [(current.start, current.end, entry.split(":", 1)[1].lstrip(" "))]
        return [(current.start, current.end, _inline(_quoted(value, current.style)))]
    if current is not None:  # `key:` with no value
        colon = text.index(":", next(kn.end for k, kn, _v in mapping.entries if k == change.key))
        return [(colon + 1, colon + 1, " " + _inline(value))]
    # absent: after the closest preceding field present, in the model's order
    order = list(change.order)
    rank = order.index(change.key) if change.key in order else len(order)
    anchor = None
    for k, kn, vn in mapping.entries or ():
        if k in order and order.index(k) < rank:
            if anchor is None or order.index(k) >= order.index(anchor[0]):
                anchor = (k, kn, vn)
    if anchor is None and mapping.entries:
        anchor = mapping.entries[-1] if rank >= len(order) else None
    if mapping.flow:
        if anchor is None:
            at = mapping.start + 1
            sep = "" if not mapping.entries else ", "
            return [(at, at, f"{change.key}: {_inline(value)}" + sep)]
        return [(anchor[2].end, anchor[2].end, f", {change.key}: {_inline(value)}")]
    flow_items = True
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):  # (only a list of mappings has a style to choose)
        found = _flow_style_of(root, change.key)
        flow_items = found if found is not None else change.key not in BLOCK_LISTS
    if anchor is None:
        first = mapping.entries[0][1]
        return [(first.start, first.start, _block_entry(change.key, value, indent, nl, flow_items) + nl + indent)]
    at = _line_end(text, anchor[2].end)
    return [(at, at, nl + indent + _block_entry(change.key, value, indent, nl, flow_items))]


def _flow_style_of(root: _Node, key: str) -> bool | None:
    """Whether the file writes the entries of its lists ``key`` in flow style (``- {...}``), from the first such list
    with entries; None if it has none."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind == "map":
            for k, _kn, vn in node.entries or ():
                if k == key and vn.kind == "seq" and vn.items:
                    first = vn.items[0]
                    if first.kind == "map":
                        return first.flow
                stack.append(vn)
        elif node.kind == "seq":
            stack.extend(node.items or ())
    return None


def _removal(text: str, mapping: _Node, key: str, shown: str) -> list[tuple[int, int, str]]:
    """The splice that takes ``key: value`` out of a mapping: its whole lines in block style, the entry and one comma in flow style."""
    key_node = next(kn for k, kn, _v in mapping.entries or () if k == key)
    value = mapping.get(key)
    assert value is not None
    if len(mapping.entries or ()) == 1:
        raise EditError(msg("{file}: '{key}' is the only field of its block; remove it by hand.", file=shown, key=key))
    if mapping.flow:
        start, end = key_node.start, value.end
        after = re.match(r"[ \t]*,[ \t]*", text[end:])
        if after:
            return [(start, end + after.end(), "")]
        before = re.search(r",[ \t]*\Z", text[:start])
        return [(before.start() if before else start, end, "")]
    line_start = max(text.rfind("\n", 0, key_node.start), text.rfind("\r", 0, key_node.start)) + 1
    if text[line_start:key_node.start].strip():
        raise EditError(msg("{file}: '{key}' is not alone at the start of its line; remove it by hand.", file=shown, key=key))
    end = _line_end(text, value.end)
    brk = _BREAK.match(text, end)
    return [(line_start, brk.end() if brk else end, "")]


def _apply_data(data: Any, item_path: Path_, change: Change) -> None:
    target = _get(data, item_path + change.at)
    if change.op == "remove":
        target.pop(change.key, None)
        return
    if change.op in ("append", "extend"):
        if target.get(change.key) is None:
            target[change.key] = []
        target[change.key].extend(_plain(v) for v in (change.value if change.op == "extend" else [change.value]))
    else:
        target[change.key] = _plain(change.value)


def _start(plan: Plan, rel: str, base: FileEdit | None) -> tuple[Path, str, bytes, bytes | None, str, tuple[tuple[Path_, str], ...]]:
    """What an edit of ``rel`` starts from: ``base`` (an edit of the same file already computed), or the file
    read again (after finishing an interrupted write) and checked to be the one the plan was loaded from.
    Returns (target, shown, bytes before, their digest, text to edit, ids already checked)."""
    if base is not None:
        text, _p = _yamlread.decode(base.after)
        return base.path, base.shown, base.before, base.digest, text, base.ids
    _recover_first(plan)
    return (*_read_checked(plan, rel), ())


def _recover_first(plan: Plan) -> None:
    """Finish or undo a write that was interrupted before this one (io/transaction.py)."""

    try:
        recover(plan.root)
    except TransactionError as exc:
        raise EditError(exc.msg) from None


def _read_checked(plan: Plan, rel: str) -> tuple[Path, str, bytes, bytes, str]:
    """``rel``'s bytes as they are now, refused if they are not those the plan was loaded from."""
    target = plan.root / rel
    shown = plan.display_path(rel)
    try:
        before = target.read_bytes()
    except OSError as exc:

        raise EditError(msg("{file}: the file cannot be read again ({reason}); nothing was written.", file=shown, reason=system_reason(exc))) from None
    dg = digest(before)
    loaded_from = plan.digests.get(rel)
    if loaded_from is not None and loaded_from != dg:
        raise EditError(msg("{file} has been changed since the plan was read; nothing was written. Run the command again.", file=shown))
    text, problem = _yamlread.decode(before)
    if text is None or problem is not None:
        raise EditError(msg("{file}: the file cannot be read again; run 'feuille lint'.", file=shown))
    return target, shown, before, dg, text


def change_item(plan: Plan, item: _Item, changes: list[Change], *, base: FileEdit | None = None) -> FileEdit:
    """The edit of ``item``'s file that makes ``changes`` (not yet written; see :func:`write`).

    ``base``: an edit of the same file already computed (several items changed in one file).
    """
    rel, item_path = plan.origin(item)
    ident = getattr(item, "id", None)  # the plan itself (plan.yaml) has none: its file's digest guards it
    if not rel:
        raise EditError(msg("'{id}': it is not known which file this item comes from; nothing was written.", id=ident))
    target, shown, before, dg, text, ids = _start(plan, rel, base)
    checked = [(item_path, ident)] if ident is not None else []
    _check_ids(text, checked, shown)
    expected, _problems = _yamlread.read(text)
    for change in changes:
        _apply_data(expected, item_path, change)
    new_text = _splice_batch(text, [(item_path, changes)], shown) if len(changes) > 1 else None
    if new_text is None or not _same(expected, new_text):  # (read back and compared: the check _compare makes)
        new_text = _splice_all(text, item_path, changes, shown)
        _compare(expected, new_text, shown)
    bom = b"\xef\xbb\xbf" if before.startswith(b"\xef\xbb\xbf") else b""
    return FileEdit(target, shown, before, bom + new_text.encode("utf-8"), dg, (*ids, *checked), plan.root)


def change_items(plan: Plan, items: list[tuple[_Item, list[Change]]], *, base: FileEdit | None = None) -> FileEdit:
    """:func:`change_item` for several items of one file at once: the file is read, its ids checked and the result
    read back and compared once (a returned spreadsheet changes many actions of a 100-action file)."""
    rels = {plan.origin(item)[0] for item, _c in items}
    if len(rels) != 1 or not next(iter(rels)):
        raise EditError(msg("changes to several files or to an item without a file; nothing was written."))
    rel = next(iter(rels))
    target, shown, before, dg, text, ids = _start(plan, rel, base)
    paths = [(plan.origin(item)[1], item.id) for item, _c in items]
    _check_ids(text, paths, shown)
    expected, _problems = _yamlread.read(text)
    wanted = [(plan.origin(item)[1], changes) for item, changes in items]
    for item_path, changes in wanted:
        for change in changes:
            _apply_data(expected, item_path, change)
    new_text = _splice_batch(text, wanted, shown)  # one parse of the file for every change
    if new_text is None or not _same(expected, new_text):  # (read back and compared: the check _compare makes)
        new_text = text  # splices that touch one another: one change at a time, each on the text the previous one left
        for item_path, changes in wanted:
            new_text = _splice_all(new_text, item_path, changes, shown)
        _compare(expected, new_text, shown)
    bom = b"\xef\xbb\xbf" if before.startswith(b"\xef\xbb\xbf") else b""
    return FileEdit(target, shown, before, bom + new_text.encode("utf-8"), dg, (*ids, *paths), plan.root)


def _splice_all(text: str, item_path: Path_, changes: list[Change], shown: str) -> str:
    nl = _dominant_break(text)
    # one change at a time, each on the text the previous one left: positions stay exact
    for change in changes:
        root = _tree(text)
        if root is None:
            raise EditError(msg("{file}: the file is empty or unreadable; nothing was written.", file=shown))
        splices = _splices_for(text, root, item_path, change, nl, shown)
        for start, end, new in sorted(splices, reverse=True):
            text = text[:start] + new + text[end:]
    return text


def _splice_batch(text: str, wanted: list[tuple[Path_, list[Change]]], shown: str) -> str | None:
    """Every change of every item spliced from one parse of ``text`` (a sheet or a ranking changes hundreds of items of a
    file: parsing it again for each would be quadratic); None when two splices touch (then one at a time)."""
    root = _tree(text)
    if root is None:
        raise EditError(msg("{file}: the file is empty or unreadable; nothing was written.", file=shown))
    nl = _dominant_break(text)
    splices: list[tuple[int, int, int, int, str]] = []  # start, end, rank of the key in its order, sequence, text
    seq = 0
    for item_path, changes in wanted:
        for change in changes:
            rank = change.order.index(change.key) if change.key in change.order else len(change.order)
            for start, end, new in _splices_for(text, root, item_path, change, nl, shown):
                splices.append((start, end, rank, seq, new))
                seq += 1
    splices.sort()
    for a, b in zip(splices, splices[1:], strict=False):
        if b[0] < a[1] or (b[0] == a[0] and a[1] > a[0]):
            return None  # overlapping, or an insertion where a replacement starts
    for start, end, _rank, _seq, new in reversed(splices):  # from the end: the offsets before stay right
        text = text[:start] + new + text[end:]
    return text


def _same(expected: Any, new_text: str) -> bool:
    got, problems = _yamlread.read(new_text)
    return not problems and got == expected


def _compare(expected: Any, new_text: str, shown: str) -> None:
    got, problems = _yamlread.read(new_text)
    if problems or got is None:
        raise EditError(msg("{file}: the change would make the file unreadable; nothing was written. Edit this file by hand.", file=shown))
    if got != expected:
        raise EditError(msg("{file}: the change would change something other than what is asked; nothing was written. Edit this file by hand.", file=shown))


def add_item(plan: Plan, parent: _Item, key: str, data: dict[str, Any], order: tuple[str, ...], *, base: FileEdit | None = None) -> FileEdit:
    """Append a new objective or action (``data``) to the list ``key`` of ``parent``, in ``parent``'s file."""
    edit = change_item(plan, parent, [Change("append", key, data, (), order)], base=base)
    return edit


def add_items(plan: Plan, parent: _Item, key: str, items: list[dict[str, Any]], order: tuple[str, ...], *, base: FileEdit | None = None) -> FileEdit:
    """:func:`add_item` for several new items of one parent at once (the file read, spliced and read back once)."""
    return change_item(plan, parent, [Change("extend", key, items, (), order)], base=base)


def new_file(plan: Plan, rel: str, data: dict[str, Any], header: str = "") -> FileEdit:
    """A new file of the plan holding ``data`` (one action or objective), ``header`` (comment lines) first."""
    from ruamel.yaml.comments import CommentedMap  # noqa: PLC0415 (heavy, loaded when first needed)

    target = plan.root / rel
    shown = plan.display_path(rel)
    if target.exists() or target.is_symlink():
        raise EditError(msg("{file} already exists; nothing was written. Choose another title or another identifier.", file=shown))
    body = _dump(CommentedMap((k, _ruamel_value(v, block=True)) for k, v in data.items())) + "\n"
    text = header + body
    _compare(_plain(data), text, shown)
    return FileEdit(target, shown, b"", text.encode("utf-8"), None, ((( ), str(data.get("id"))),), plan.root, created=True)

