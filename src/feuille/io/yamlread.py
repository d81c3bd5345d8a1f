"""Fast, safe YAML 1.2 reading with positions recovered on demand.

Reading uses libyaml's event parser (through PyYAML's C binding) and builds plain
Python values in one iterative pass, so that:

* scalars follow the YAML 1.2 core schema (``no`` stays a string, ``0123`` is an
  integer, dates stay strings for the model to validate);
* any explicit tag (``!!python/object`` ...) is refused, nothing is ever executed;
* duplicate keys, alias expansion, nesting depth, file size, keys per mapping,
  items per list and values per file are bounded (so is the work done on a file);
* nothing recurses in C or Python, so no input can crash the process.

Every failure is returned as a :class:`ReadProblem`, never raised.  Positions of
values are not kept while reading (that is the hot path); :func:`locate` parses a
file again and returns the positions of the paths asked for, which the loader does
only for files that have findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yaml import events as _ev
from yaml._yaml import CParser as _CParser
from yaml.error import MarkedYAMLError

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 64 * 1024
MAX_DEPTH = 64
MAX_NODES_PER_BYTE = 1  # aliases may not expand a file beyond this many values per byte
MIN_NODE_BUDGET = 100_000
MAX_KEYS = 10_000  # keys in one mapping
MAX_ITEMS = 100_000  # items in one list
MAX_VALUES = 200_000  # values in one file (keys, values and containers, aliases expanded)

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Why a file could not be read; ``kind`` selects the diagnostic code."""

    kind: str  # encoding | binary | too_large | syntax | tab | quote | multi | empty | tag | duplicate | alias | depth | key | toplevel | keys | items | values
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    detail: str = ""
    path: Path = ()


class _Parser(_CParser):
    """PyYAML's C parser with its Python-side resolver hooks switched off."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:  # pragma: no cover - not called on events
        return None

    def ascend_resolver(self) -> None:  # pragma: no cover
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:  # pragma: no cover
        return "?"


_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_STR_TAG = "tag:yaml.org,2002:str"
_SPECIAL = {**dict.fromkeys(_NULLS), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}  # plain words that are not text
_NUMBER_START = "0123456789-+."  # where a plain number can start (plain_scalar)


def plain_scalar(text: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    first = text[0]
    if first in "tTfF":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return text
    if first.isdigit() or first in "-+.":
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        if _OCT.match(text):
            return int(text[2:], 8)
        if _HEX.match(text):
            return int(text[2:], 16)
        if text in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"):
            return float("inf")
        if text in ("-.inf", "-.Inf", "-.INF"):
            return float("-inf")
        if text in (".nan", ".NaN", ".NAN"):
            return float("nan")
    return text


def decode(raw: bytes) -> tuple[str | None, ReadProblem | None]:
    """Bytes to text: UTF-8 with an optional BOM; CRLF is left to the parser."""
    if len(raw) > MAX_FILE_BYTES:
        return None, ReadProblem("too_large", detail=f"{len(raw)}")
    if b"\x00" in raw:
        nul = raw.index(b"\x00")
        return None, ReadProblem("binary", *_line_col_of_offset(raw, nul))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, ReadProblem("encoding", *_line_col_of_offset(raw, exc.start), detail=raw[exc.start : exc.start + 1].hex())
    longest = max(map(len, text.split("\n")), default=0)
    if longest > MAX_LINE_CHARS:
        lines = text.split("\n")
        lineno = next(i for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS)
        return None, ReadProblem("too_large", lineno + 1, 1, detail=f"line:{longest}")
    return text, None


def _line_col_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _syntax_problem(exc: MarkedYAMLError, text: str) -> ReadProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = exc.problem or ""
    context = exc.context or ""
    kind = "syntax"
    if "quoted scalar" in context:
        kind = "quote"
        if exc.context_mark is not None:  # point at the opening quote
            line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
    elif mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        kind = "tab"
    elif "expected a single document" in context:
        kind = "multi"
    elif "maximum nesting depth" in problem:  # libyaml's own bound (PyYAML 6.0.3+), deeper than ours
        return ReadProblem("depth", line, col, detail=str(MAX_DEPTH))
    if kind == "syntax" and "while parsing a flow" in context and exc.context_mark is not None:
        closer = "]" if "sequence" in context else "}"  # point at the bracket that is never closed
        return ReadProblem("bracket", exc.context_mark.line + 1, exc.context_mark.column + 1, detail=closer)
    if kind == "syntax" and line is not None:
        try:
            found = _likely_cause(text.split("\n"), line)
        except Exception:  # noqa: BLE001 - a guess about the cause must never break the report
            found = None
        if found is not None:
            return found
    return ReadProblem(kind, line, col, detail=f"{context} {problem}".strip())


# --- the likely cause of a syntax error, for a message in plain words (checks/syntax.py) ------------

_KEY_LINE = re.compile(r"^( *)(- +)?([^\s#:'\"\[\]{},&*!|>-][^:#]*?) *:(?: |$)")  # « key: », « - key: »
_NO_SPACE = re.compile(r"^( *)(?:- +)?([A-Za-z_][\w.-]*):([^\s:/])")  # « title:Mon titre »
_DASH_LINE = re.compile(r"^( *)- ")
_AFTER_QUOTE = re.compile(r"""^ *(?:- +)?[^\s#:'"][^:#]*?: +(['"])""")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def _misindented(lines: list[str], n: int) -> ReadProblem | None:
    """Line ``n`` (1-based) is a key or a list item whose indentation matches none of the lines it could belong to."""
    line = lines[n - 1]
    key, dash = _KEY_LINE.match(line), _DASH_LINE.match(line)
    if not key and not dash or "\t" in line[: _indent(line) + 1]:
        return None
    ind = _indent(line)
    prev = next((i for i in range(n - 2, -1, -1) if _content(lines[i])), None)
    if prev is None:
        return None
    above = lines[prev]
    if above.rstrip().endswith(":") and ind > _indent(above):
        return None  # the first line of a block opened by the line above
    keys: list[tuple[int, str]] = []  # (indentation, key) of the lines this one could be a sibling of
    dashes: list[int] = []
    limit = None
    for i in range(prev, -1, -1):
        other = lines[i]
        if not _content(other):
            continue
        oi = _indent(other)
        if limit is not None and oi >= limit:
            continue
        limit = oi
        m, d = _KEY_LINE.match(other), _DASH_LINE.match(other)
        if d:
            dashes.append(oi)
            if m:
                keys.append((oi + len(m.group(2) or ""), m.group(3)))
        elif m:
            keys.append((oi, m.group(3)))
        if oi == 0:
            break
    if dash:
        if ind in dashes or not dashes:
            return None
        want = min(dashes, key=lambda x: (abs(x - ind), -x))
        return ReadProblem("indent", n, ind + 1, detail=f"-|{ind}|{want}")
    if ind in (k for k, _ in keys) or not keys:
        return None
    name = key.group(3).strip() if key else ""
    want, sibling = min(keys, key=lambda k: (abs(k[0] - ind), -k[0]))
    return ReadProblem("indent", n, ind + 1, detail=f"{name}|{ind}|{want}|{sibling}")


def _likely_cause(lines: list[str], n: int) -> ReadProblem | None:
    """What most likely broke the file near line ``n``: a key written « key:value », a « : » in a value,
    text after a closing quote, a key or a list item not aligned with its neighbours."""
    for i in (n - 1, n - 2):  # the parser often stops on the line after the mistake
        if 0 <= i < len(lines):
            m = _NO_SPACE.match(lines[i])
            if m and not _KEY_LINE.match(lines[i]):
                return ReadProblem("colon_space", i + 1, m.end(2) + 2, detail=m.group(2))
    if not 0 < n <= len(lines):
        return None
    line = lines[n - 1]
    key = _KEY_LINE.match(line)
    if key:
        value = line[key.end():]
        quote = _AFTER_QUOTE.match(line)
        if quote:
            q = quote.group(1)
            closing = value.find(q, value.find(q) + 1)
            if closing != -1 and value[closing + 1:].strip() and not value[closing + 1:].strip().startswith("#"):
                return ReadProblem("after_quote", n, key.end() + closing + 2, detail=q)
        elif value.strip() and value.lstrip()[0] not in "[{|>" and re.search(r":(?: |$)", value):
            return ReadProblem("colon_value", n, key.end() + value.index(":") + 1, detail=key.group(3).strip())
    for i in (n, n - 1):
        if 0 < i <= len(lines) and _content(lines[i - 1]):
            found = _misindented(lines, i)
            if found is not None:
                return found
    return None


def read(text: str) -> tuple[Any, list[ReadProblem]]:
    """Parse one YAML document. Returns ``(value, problems)``.

    ``value`` is None when the file could not be read at all; ``problems`` may be
    non-empty with a value too (a duplicate key keeps the first value).
    """
    try:
        return _read(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text)]
    except RecursionError:  # pragma: no cover - defended by MAX_DEPTH
        return None, [ReadProblem("depth")]
    except Exception as exc:  # noqa: BLE001 - a reader must never crash the tool
        return None, [ReadProblem("syntax", detail=f"{type(exc).__name__}: {exc}")]


_SCALAR = _ev.ScalarEvent
_MSTART = _ev.MappingStartEvent
_MEND = _ev.MappingEndEvent
_SSTART = _ev.SequenceStartEvent
_SEND = _ev.SequenceEndEvent
_ALIAS = _ev.AliasEvent
_DSTART = _ev.DocumentStartEvent
_DEND = _ev.DocumentEndEvent
_STREAM_END = _ev.StreamEndEvent


def _read(text: str) -> tuple[Any, list[ReadProblem]]:
    # The hot path of a cold run (one pass per event, x 750,000 events per 10,000 actions): the container being
    # built and its pending key are local variables, outer ones saved on a stack; the YAML path of a value is
    # worked out (_where) only when a problem is reported.
    parser = _Parser(text)
    get = parser.get_event
    budget = max(MIN_NODE_BUDGET, len(text) * MAX_NODES_PER_BYTE)
    problems: list[ReadProblem] = []
    anchors: dict[str, tuple[Any, int]] = {}
    special, number_start, no_key, dup_key, bad_key = _SPECIAL, _NUMBER_START, _NO_KEY, _DUP_KEY, _BAD_KEY
    scalar, max_values, max_keys, max_items = _SCALAR, MAX_VALUES, MAX_KEYS, MAX_ITEMS
    count = 0
    # the container being built (None: the document itself), whether it is a list, its pending key (a mapping's), the
    # last key read in it (its YAML path's last step), and the count, anchor and mark at its start; outer ones on `stack`
    parent: Any = None
    is_list = False
    key: Any = no_key
    last: Any = None
    start = 0
    anchor: str | None = None
    start_mark: Any = None
    stack: list[tuple[Any, bool, Any, Any, int, str | None, Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    while True:
        event = get()
        etype = type(event)
        if etype is scalar:
            tag = event.tag
            if tag is None:
                done = event.value
                if event.implicit[0]:  # plain: the YAML 1.2 core schema (plain_scalar, inlined for the common cases)
                    found = special.get(done, no_key)
                    if found is not no_key:
                        done = found
                    elif done[0] in number_start and not (done[4:5] == "-" and done[:4].isdigit()):  # a date is text
                        done = plain_scalar(done)
            elif tag == "!" or tag == _STR_TAG:
                done = event.value
            else:
                mark = event.start_mark
                problems.append(ReadProblem("tag", mark.line + 1, mark.column + 1, detail=tag, path=_where(stack, parent, is_list, last, True)))
                done = None
            count += 1
            if count > max_values:
                mark = event.start_mark
                return None, [ReadProblem("values", mark.line + 1, mark.column + 1, detail=str(MAX_VALUES))]
            if event.anchor is not None:
                anchors[event.anchor] = (done, 1)
            if parent is not None:  # the usual cases: a mapping's value, a new text key, a list's item
                if is_list:
                    if len(parent) < max_items:
                        parent.append(done)
                        continue
                elif key is not no_key:
                    if key is not dup_key and key is not bad_key:
                        parent[key] = done
                    key = no_key
                    continue
                elif type(done) is str and done not in parent and len(parent) < max_keys:
                    key = last = done
                    continue
            done_mark = event.start_mark
        elif etype is _MSTART or etype is _SSTART:
            tag = event.tag
            if tag is not None and tag != "!" and not tag.startswith("tag:yaml.org,2002:map") and not tag.startswith("tag:yaml.org,2002:seq"):
                mark = event.start_mark
                problems.append(ReadProblem("tag", mark.line + 1, mark.column + 1, detail=tag, path=_where(stack, parent, is_list, last, True)))
            if len(stack) >= MAX_DEPTH:
                mark = event.start_mark
                return None, [ReadProblem("depth", mark.line + 1, mark.column + 1, detail=str(MAX_DEPTH))]
            count += 1
            stack.append((parent, is_list, key, last, start, anchor, start_mark))
            if etype is _MSTART:
                parent, is_list, last = {}, False, None
            else:
                parent, is_list, last = [], True, 0
            key, start, anchor, start_mark = no_key, count, event.anchor, event.start_mark
            continue
        elif etype is _MEND or etype is _SEND:
            done, done_mark = parent, start_mark
            if anchor is not None:
                anchors[anchor] = (done, count - start + 1)
            parent, is_list, key, last, start, anchor, start_mark = stack.pop()
        elif etype is _ALIAS:
            found = anchors.get(event.anchor)
            if found is None:  # pragma: no cover - libyaml rejects undefined aliases itself
                mark = event.start_mark
                return None, [ReadProblem("syntax", mark.line + 1, mark.column + 1, detail=f"alias *{event.anchor}")]
            done, size = found
            done_mark = event.start_mark
            count += size
            if count > budget:
                mark = event.start_mark
                return None, [ReadProblem("alias", mark.line + 1, mark.column + 1, detail=str(budget))]
        elif etype is _STREAM_END:
            break
        elif etype is _DSTART:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                return None, [ReadProblem("multi", mark.line + 1, mark.column + 1)]
            continue
        else:  # the document's end, the stream's start
            continue
        # attach `done` to the container being built
        if parent is None:
            root = done
            have_root = True
        elif is_list:
            if len(parent) >= MAX_ITEMS:
                return None, [ReadProblem("items", done_mark.line + 1, done_mark.column + 1, detail=str(MAX_ITEMS), path=_where(stack, parent, is_list, last, False))]
            parent.append(done)
        elif key is no_key:
            if len(parent) >= MAX_KEYS:
                return None, [ReadProblem("keys", done_mark.line + 1, done_mark.column + 1, detail=str(MAX_KEYS), path=_where(stack, parent, is_list, last, False))]
            key = done
            if type(key) is not str:
                if type(key) is dict or type(key) is list:
                    problems.append(ReadProblem("key", done_mark.line + 1, done_mark.column + 1, path=_where(stack, parent, is_list, last, False)))
                    key = bad_key
                else:
                    key = "null" if key is None else str(key).lower() if type(key) is bool else str(key)
            if key in parent and key is not bad_key:
                problems.append(ReadProblem("duplicate", done_mark.line + 1, done_mark.column + 1, detail=key, path=_where(stack, parent, is_list, last, False)))
                key = dup_key
            last = key
        else:
            if key is not dup_key and key is not bad_key:
                parent[key] = done
            key = no_key
    if not have_root or root is None and not problems:
        return None, [ReadProblem("empty")]
    return root, problems


def _where(stack: list[tuple[Any, ...]], parent: Any, is_list: bool, last: Any, whole: bool) -> Path:
    """The YAML path being built: a key for each enclosing mapping, an index for each enclosing list (``whole``:
    with the step within the container being built, where a value in it is reported)."""
    path = [f[3] if not f[1] else len(f[0]) for f in stack[1:]]  # stack[0]: the document's level (no step)
    if stack and whole:
        path.append(len(parent) if is_list else last)
    return tuple(path)


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:  # pragma: no cover
        return self.name


_NO_KEY = _Marker("<no key>")
_DUP_KEY = _Marker("<duplicate>")
_BAD_KEY = _Marker("<bad key>")


@dataclass(frozen=True, slots=True)
class Position:
    """Where a value starts (and, for a mapping entry, where its key starts); 1-based."""

    line: int
    col: int
    key_line: int | None = None
    key_col: int | None = None


def locate(text: str, wanted: set[Path]) -> dict[Path, Position]:
    """Positions of the given paths in ``text`` (paths not found are absent).

    A path names a mapping key (str) or a sequence index (int) at each level; the
    empty path is the document itself.  Only called for files with findings.
    """
    found: dict[Path, Position] = {}
    if not wanted:
        return found
    prefixes = {p[:i] for p in wanted for i in range(len(p) + 1)}
    try:
        parser = _Parser(text)
        get = parser.get_event
        # frames: [is_map, expecting_key, index, current_key, key_mark]
        stack: list[list[Any]] = []
        path: list[Any] = []
        while True:
            event = get()
            etype = type(event)
            if etype is _STREAM_END:
                break
            if etype in (_DSTART, _DEND, _ev.StreamStartEvent):
                continue
            if etype is _MEND or etype is _SEND:
                stack.pop()
                if path:
                    path.pop()
                _after_value(stack, path)
                continue
            # a node starts here: a key, or a value at `path`
            if stack and stack[-1][0] and stack[-1][1]:
                frame = stack[-1]
                frame[1] = False
                key = event.value if etype is _SCALAR else None
                if etype is _SCALAR and event.implicit[0] and event.tag is None:
                    resolved = plain_scalar(key)
                    key = resolved if isinstance(resolved, str) else ("null" if resolved is None else str(resolved).lower() if isinstance(resolved, bool) else str(resolved))
                frame[3] = key
                frame[4] = event.start_mark
                if etype in (_MSTART, _SSTART):  # complex key: skip its content
                    _skip(get)
                continue
            here = tuple(path)
            if stack and stack[-1][0]:
                kmark = stack[-1][4]
                here = (*here, stack[-1][3])
            elif stack:
                here = (*here, stack[-1][2])
            mark = event.start_mark
            if here in wanted and here not in found:
                if stack and stack[-1][0]:
                    kmark = stack[-1][4]
                    found[here] = Position(mark.line + 1, mark.column + 1, kmark.line + 1, kmark.column + 1)
                else:
                    found[here] = Position(mark.line + 1, mark.column + 1)
            if etype is _MSTART or etype is _SSTART:
                if here not in prefixes:
                    _skip(get)
                    _after_value(stack, path)
                    continue
                if stack:
                    path.append(here[-1])
                stack.append([etype is _MSTART, True, 0, None, None])
                continue
            _after_value(stack, path)
    except Exception:  # noqa: BLE001 - a file that cannot be parsed has no positions
        return found
    return found


def _after_value(stack: list[list[Any]], path: list[Any]) -> None:
    if not stack:
        return
    frame = stack[-1]
    if frame[0]:
        frame[1] = True
    else:
        frame[2] += 1


def _skip(get: Any) -> None:
    depth = 1
    while depth:
        etype = type(get())
        if etype is _MSTART or etype is _SSTART:
            depth += 1
        elif etype is _MEND or etype is _SEND:
            depth -= 1
