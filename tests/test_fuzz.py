"""Fuzzing (issues 9 and 20): mutated copies of the example plans through every command that reads a plan, and the writer.

Each example copies ``plans/la-louviere`` or ``plans/plan-strategique``, with templates of its own
(:data:`TEMPLATES`: a page and a report that extend the built-in ones and read every kind of value),
and applies one to three mutations: byte-level (flip, insert, delete, truncate, CRLF or CR line
endings, BOM, UTF-16, invalid UTF-8, tabs), YAML-level on the text (a value replaced by another
type, a huge or negative number, NaN, ``.inf``, an impossible date, an alias, a tag such as
``!!python/object``, markup; a key deleted, renamed to an unknown one or repeated), YAML-level on
the data (a value replaced, a key deleted, a list item repeated, two ids made equal, deep nesting,
unknown keys, a structural key such as ``actions: 3`` injected), in a template (a sandbox escape,
a file outside, a Jinja error) and structural (``plan.yaml`` or ``people.yaml`` removed, an objective
file emptied, an action file moved to the wrong folder, a file repeated).  One mutation in two is
aimed at one kind of file (:data:`KINDS`: plan.yaml, people.yaml, objective files, an objective's
folder file, standalone action files, templates), so every kind is mutated in every run.

Then, in this process (``_cli.feuille``: an exception fails the test), every command that reads a
plan (:data:`GROUPS`, checked against the CLI by ``test_every_command_that_reads_a_plan_is_fuzzed``):
lint in every format; status in every format, with filters and ``--trend``; review; show; prioritise;
the reports (Markdown, HTML, Word); every export (JSON, eComptes, xlsx, split workbooks, CSV, open
data); update, new and a returned sheet's import with ``--dry-run``; and, with the example then the
mutated plan committed in git, log, diff, ``--rev`` and validate; render; ``prioritise
--mark-priority 3``.  Properties:

* no exception escapes, the exit code is 0, 1 or 2;
* machine formats parse (JSON for lint json/sarif, status json, prioritise json, export;
  XML for lint junit, eComptes and each part of a Word report; workbooks open; CSV reads);
* nothing is written outside the output folder (the whole tree is compared before and
  after each command), and the reading commands write nothing at all;
* the HTML site has no ``<script>`` element, no ``on…=`` attribute and no
  ``javascript:`` link, whatever the data or the plan's templates say;
* the writer either refuses (1 or 2, nothing changed) or changes only ``priority``: the
  plan loaded before and after is the same item by item but for ``priority``, which is
  the rank for the first three ranked and absent for the other ranked items.

Fast and deterministic by default (profile ``fuzz-fast``: a fixed budget of examples per test and per
group of commands, fixed derandomised seed, no example database: about 20 s on 2 cores).  A campaign:
``FEUILLE_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py -p no:cacheprovider --hypothesis-seed=N``
(random unless a seed is given).  Bugs already known, each with a strict xfail test in
``tests/test_fuzz_regressions.py``, are recognised by :data:`KNOWN` and the example is
discarded, so that the fuzz test keeps looking for new ones; ``FEUILLE_FUZZ_STRICT=1``
reports them as failures again.  The crashes found so far are kept there as regression cases.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import faulthandler
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, note, reject, settings
from hypothesis import strategies as st

from _cli import feuille

ROOT = Path(__file__).parent.parent
PLANS = ("la-louviere", "plan-strategique")
AS_OF = "2026-07-01"

_examples = int(os.environ.get("FEUILLE_FUZZ_EXAMPLES", "0") or 0)
settings.register_profile(
    "fuzz-fast", max_examples=25, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)
settings.register_profile(
    "fuzz-long", max_examples=max(_examples, 1), deadline=None, derandomize=False, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)
FUZZ = settings.get_profile("fuzz-long" if _examples else "fuzz-fast")
FUZZ_RENDER = FUZZ if _examples else settings(FUZZ, max_examples=15)  # a site is the slowest: fewer by default
FUZZ_GROUP = FUZZ if _examples else settings(FUZZ, max_examples=8)  # per group of commands (GROUPS): 7 groups, 56 plans
STRICT = os.environ.get("FEUILLE_FUZZ_STRICT") == "1"

# Known bugs: (pattern found in the failure's message, regression test that reproduces it).
KNOWN: list[tuple[str, str]] = []


# The plan's own templates (untrusted like its data): a page and a report that extend the built-in ones and read
# every kind of value (texts as Markdown, amounts, dates, indicators and their measurements, people), and a style sheet.
TEMPLATES = {
    "templates/html/action.html": (
        b'{% extends "default:html/action.html" %}{% block main %}{{ super() }}<section class="fuzz">{% set a = action.action %}'
        b'{% for line in a.budget %}<p>{{ line.amount|money }} {{ line.year }} {{ line.source }} {{ (line.note or "")|markdown }}</p>{% endfor %}'
        b'{% for i in a.indicators %}<p>{{ i.label }} {{ i.unit }} {{ i.baseline }} {{ i.target }} {{ i.target_date|date }}'
        b'{% for m in i.measurements %} {{ m.value }} {{ m.date|date }} {{ m.note }}{% endfor %}</p>{% endfor %}'
        b'{% for pid in a.political_owners %}{% set p = person(pid) %}{{ p.name if p else pid }}{% endfor %}'
        b'{{ (a.notes or "")|markdown }} {{ a.tags|join(", ") }} {{ a.territories|join(", ") }} {{ a.sdgs|join(", ") }}</section>{% endblock %}'
    ),
    "templates/md/report_term.md": b'{% extends "default:md/report_term.md" %}{% block main %}{{ super() }}\n{% for o in site.objectives %}- {{ o.objective.title|mdcell }} {{ o.progress|pct }}\n{% endfor %}{% endblock %}\n',
    "templates/static/style.css": b"body { color: #222; }\n",
}


def _read_plan(name: str) -> dict[str, bytes]:
    base = ROOT / "plans" / name
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()} | TEMPLATES


ORIGINALS = {name: _read_plan(name) for name in PLANS}


def kind_of(rel: str) -> str:
    """The kind of a plan's file, as the loader reads it: plan, people, objective (a file of objectives/), folder
    (objective.yaml of an objective's folder), action (a file alone in an objective's folder), template."""
    if rel.startswith("templates/"):
        return "template"
    if rel in ("plan.yaml", "people.yaml"):
        return rel[:-5]
    if rel.count("/") >= 2:
        return "folder" if rel.endswith("/objective.yaml") else "action"
    return "objective"


KINDS = ("plan", "people", "objective", "folder", "action", "template")
assert {kind_of(rel) for rel in ORIGINALS["la-louviere"]} == set(KINDS)  # every kind is there to be mutated
FIELDS = sorted({k.decode() for files in ORIGINALS.values() for data in files.values()
                 for k in re.findall(rb"(?:^[ \t]*(?:- )?|[{,][ \t]*)([a-z_]+):", data, re.M)})
IDS = {name: sorted({m.decode() for data in files.values() for m in re.findall(rb"\bid: ([A-Z][\w.]*)", data)})
       for name, files in ORIGINALS.items()}


# --- mutations ------------------------------------------------------------------------------------

# Raw YAML text put in place of a value (after « key: »).
HOSTILE_TEXT = [
    "1e28", "1.0e+28", "100000000000000000000000000000", "1e400", "-1", "-0", "-99999999999", "0", "0.001",
    ".nan", ".NaN", ".inf", "-.inf", "0x1F", "0o17", "1_000", "12:30:00", "3.",
    "2025-02-30", "2025-13-01", "0000-01-01", "9999-12-31", "99999-01-01", "2025-02-28T25:00:00", "2025-1-1",
    "~", "null", "''", '""', "[]", "{}", "[1, [2, [3]]]", "{a: 1, b: [2]}", "yes", "no", "on", "true", "O",
    "&anchor valeur", "*anchor", "*nope", "&a [1, 2]", "[&x a, *x, *x]",
    "!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!!python/object:object {}",
    "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2025-01-01", "!!str 5", "!!int x",
    "!!float abc", "!custom x", "!!map {a: 1}", "!!seq [1]",
    "|\n  bloc\n  sur deux lignes", ">-", "- a\n- b",
    "'<script>alert(1)</script>'", "'<img src=x onerror=alert(1)>'", '"\\"><svg onload=alert(1)>"',
    "'[x](javascript:alert(1))'", "'<a href=\"javascript:alert(1)\">x</a>'", "'![x](http://evil.example/x.png)'",
    "'{{ 7*7 }} {% raw %}'", "'${HOME} %s %(x)s {0}'",
    '"\\0\\x07\\e"', '"\\ud800"', '"\\U0010FFFF"', '"\\u202e\\u2028\\u0085"',
    "'" + "x" * 20000 + "'", "'" + "é" * 3000 + "'", "'../../../etc/passwd'", "'/etc/passwd'", "'a/b\\\\c'",
    "'" + "a" * 300 + "'", "index", "CON", "'.'", "'..'", "' '",
]
# Python values put in place of a value (the file is then dumped again).
HOSTILE_VALUES: list[Any] = [
    None, "", [], {}, 0, -1, -(10**12), 10**28, 10**40, 1e28, float("nan"), float("inf"), -float("inf"), 0.5, True,
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(2025, 1, 1, 12, 0), "2025-02-30", "x" * 5000,
    [None], [[]], [{}], {"a": {"b": {"c": [1, 2, 3]}}}, ["<script>alert(1)</script>"], {"id": "O1"},
    "<script>alert(1)</script>", "javascript:alert(1)", "index", "a" * 260,
]
# Fields where a wrong value matters most, and numbers at the edges.
IMPORTANT = ["amount", "spent", "year", "progress", "planned_start", "planned_end", "actual_start", "actual_end", "id",
             "stake", "urgency", "roi", "value", "target", "baseline", "date", "target_date", "min", "max", "start",
             "end", "priority", "percent", "due_soon_days", "stale_after_days", "last_reviewed", "status", "health",
             "locale", "currency", "levels", "sdgs", "political_owners", "admin_owner", "service", "head", "tags"]
NUMBERS: list[Any] = [10**28, 1e28, 10**11, 1e11, 99_999_999_999.99, 0.001, 1.005, 1e-30, -1, -0.0, 2**63, 2**64,
                      -(2**63), float("nan"), float("inf"), -float("inf"), 10**400, 0, 101, 5.5, 1900, 2200, 10000]
# Put into a template of the plan: sandbox escapes, files outside, errors, huge output; render refuses or writes a site.
HOSTILE_JINJA = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ action.__init__.__globals__ }}", "{{ cycler.__init__.__globals__.os }}",
    "{% include '../../../etc/passwd' %}", "{% include '/etc/passwd' %}", "{% extends 'default:html/nope.html' %}",
    "{% import 'html/_macros.html' as m %}{{ m.nope() }}", "{{ range(10**9)|list|length }}", "{{ 'x' * 10**9 }}",
    "{{ plan.title.format.__globals__ }}", "{% set x = site.objectives.append(1) %}", "{{ url('nope', 'x') }}",
    "{{ 1/0 }}", "{{ undefined_thing.attr }}", "{% for %}", "{% block main %}", "{{", "{#", "{% raw %}",
    "<script>alert(1)</script>", "{{ '<script>'|safe }}", "{{ action.action.description|markdown|safe }}",
]
# Keys put at the top of a file or in any mapping, with a hostile value: the shape a loader meets least often
# (« actions: 3 » in an action's own file was an internal error).
STRUCTURAL_KEYS = ["actions", "objectives", "budget", "indicators", "measurements", "serves", "reschedules", "people", "services",
                   "organisations", "term", "levels", "settings", "priorities", "visibility", "transmission", "defaults", "rules",
                   "scale", "tags", "political_owners", "id", "title", "status"]
SPECIAL_BYTES = [b"\x00", b"\xff", b"\xc3", b"\xe2\x80", b"\t", b"\r", b"\n", b":", b": ", b"- ", b"[", b"{", b"&",
                 b"*", b"!", b"#", b"'", b'"', b"%", b"@", b"`", b"|", b">", b"\xef\xbb\xbf", b"\xe2\x80\xa8",
                 b"\xc2\x85", b"\x85", b"\xed\xa0\x80", b"\x1b[31m", b"---\n", b"...\n", b"%YAML 1.1\n", b"? "]

_KEY_LINE = re.compile(rb"^([ \t]*(?:- )?)([A-Za-z_][\w-]*):([ \t]*)(.*?)(\r?)$", re.M)


@dataclass(frozen=True)
class Case:
    plan: str
    mutations: tuple[tuple[Any, ...], ...]
    show: str = "O1"


def _pick(files: dict[str, bytes], index: int, suffix: str = "") -> str | None:
    names = sorted(n for n in files if n.endswith(suffix))
    return names[index % len(names)] if names else None


def _mutate_bytes(data: bytes, op: tuple[Any, ...]) -> bytes:
    kind = op[0]
    if kind == "flip":
        _k, _f, pos, bit = op
        if not data:
            return data
        pos %= len(data)
        return data[:pos] + bytes([data[pos] ^ (1 << bit)]) + data[pos + 1:]
    if kind == "insert":
        _k, _f, pos, blob = op
        pos %= len(data) + 1
        return data[:pos] + blob + data[pos:]
    if kind == "delete":
        _k, _f, pos, n = op
        pos %= len(data) + 1
        return data[:pos] + data[pos + n:]
    if kind == "truncate":
        _k, _f, pos = op
        return data[: pos % (len(data) + 1)]
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "cr":
        return data.replace(b"\n", b"\r")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "utf16":
        return data.decode("utf-8", "replace").encode("utf-16")
    if kind == "latin1":
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    if kind == "tabs":
        _k, _f, line = op
        lines = data.split(b"\n")
        indented = [i for i, text in enumerate(lines) if text.startswith(b" ")]
        if not indented:
            return data
        i = indented[line % len(indented)]
        stripped = lines[i].lstrip(b" ")
        lines[i] = b"\t" * max(1, (len(lines[i]) - len(stripped)) // 2) + stripped
        return b"\n".join(lines)
    if kind in ("value_text", "drop_line", "rename_key", "repeat_line"):
        matches = list(_KEY_LINE.finditer(data))
        if not matches:
            return data
        m = matches[op[2] % len(matches)]
        if kind == "value_text":
            new = m.group(1) + m.group(2) + b": " + op[3].encode() + m.group(5)
        elif kind == "drop_line":
            new = b""
        elif kind == "rename_key":
            new = m.group(1) + op[3].encode() + b":" + m.group(3) + m.group(4) + m.group(5)
        else:
            new = m.group(0) + b"\n" + m.group(0).replace(b"- ", b"  ", 1)
        return data[: m.start()] + new + data[m.end():]
    raise AssertionError(kind)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*path, i))
    return out


def _nest(depth: int) -> Any:
    value: Any = "fond"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


def _mutate_tree(data: bytes, op: tuple[Any, ...]) -> bytes:
    try:
        tree = yaml.safe_load(data)
    except yaml.YAMLError:
        return data
    if not isinstance(tree, (dict, list)):
        return data
    kind, _f, index = op[:3]
    paths = _paths(tree)
    path = paths[index % len(paths)]

    def parent_of(p):
        node = tree
        for part in p[:-1]:
            node = node[part]
        return node

    if kind == "tree_set" and path:
        parent_of(path)[path[-1]] = op[3]
    elif kind == "tree_nest" and path:
        parent_of(path)[path[-1]] = _nest(op[3])
    elif kind == "tree_delete" and path:
        del parent_of(path)[path[-1]]
    elif kind == "tree_dup":
        lists = [p for p in paths if isinstance(parent_of(p) if p else None, list)]
        if lists:
            p = lists[index % len(lists)]
            parent_of(p).append(parent_of(p)[p[-1]])
    elif kind == "tree_unknown":
        maps = [p for p in paths if isinstance(_get(tree, p), dict)]
        target = _get(tree, maps[index % len(maps)]) if maps else None
        if target is not None:
            for i in range(op[3]):
                target[f"inconnu_{i}"] = i
    elif kind == "tree_field":
        # one field, wherever it is, by name: amounts, dates, scores, ids...
        hits = [p for p in paths if p and p[-1] == op[3]]
        if hits:
            p = hits[op[5] % len(hits)]
            parent_of(p)[p[-1]] = op[4]
    elif kind == "tree_collide":
        ids = [p for p in paths if p and p[-1] == "id"]
        if len(ids) >= 2:
            a, b = ids[index % len(ids)], ids[op[3] % len(ids)]
            parent_of(a)["id"] = _get(tree, b)
    elif kind == "tree_alias":
        # the same object twice: PyYAML writes an anchor and an alias
        lists = [p for p in paths if p and isinstance(_get(tree, p), (dict, list))]
        if len(lists) >= 2:
            a, b = lists[index % len(lists)], lists[op[3] % len(lists)]
            if a[: len(b)] != b and b[: len(a)] != a:
                parent_of(a)[a[-1]] = _get(tree, b)
    style: dict[str, Any] = {}
    if kind == "tree_style":  # the same data written otherwise: flow, canonical, indented by 4, JSON
        if op[3] == "json":
            return json.dumps(tree, default=str, ensure_ascii=False, indent=op[2] % 3 or None).encode("utf-8")
        style = {"flow": {"default_flow_style": True}, "canonical": {"canonical": True},
                 "indent4": {"indent": 4, "explicit_start": True, "explicit_end": True}}[op[3]]
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, **({"width": 200} | style)).encode("utf-8")
    except (yaml.YAMLError, RecursionError, ValueError):
        return data


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def apply(files: dict[str, bytes], op: tuple[Any, ...]) -> dict[str, bytes]:
    """One mutation on a plan given as {relative path: bytes}; returns the new plan."""
    files = dict(files)
    kind = op[0]
    if kind == "on":  # ("on", file kind, mutation): the mutation sees only the files of that kind
        part = {rel: data for rel, data in files.items() if kind_of(rel) == op[1]}
        if not part:
            return files
        changed_part = apply(part, op[2])
        return {rel: data for rel, data in files.items() if rel not in part} | changed_part
    if kind == "jinja":
        name = _pick(files, op[1], ".html") or _pick(files, op[1], ".md")
        if name and name.startswith("templates/"):
            data = files[name]
            pos = op[2] % (len(data) + 1)
            files[name] = data[:pos] + op[3].encode() + data[pos:]
        return files
    if kind == "inject":  # ("inject", file, mapping index, key, value)
        name = _pick(files, op[1], ".yaml")
        if name:
            files[name] = _inject(files[name], op[2], op[3], op[4])
        return files
    if kind == "remove":
        files.pop(op[1], None)
    elif kind == "empty":
        name = _pick(files, op[1], ".yaml")
        if name:
            files[name] = b""
    elif kind == "move":
        # an action file (or objective.yaml) where it does not belong
        nested = sorted(n for n in files if n.count("/") >= 2)
        if nested:
            name = nested[op[1] % len(nested)]
            files[op[2] + name.rsplit("/", 1)[1]] = files.pop(name)
    elif kind == "copy":
        name = _pick(files, op[1], ".yaml")
        if name:
            files[name.rsplit("/", 1)[0] + "/zz-copie.yaml" if "/" in name else "zz-copie.yaml"] = files[name]
    elif kind == "tree_field":
        names = sorted(n for n, data in files.items() if f"{op[3]}:".encode() in data)
        if names:
            name = names[op[1] % len(names)]
            files[name] = _mutate_tree(files[name], op)
    elif kind.startswith("tree_"):
        name = _pick(files, op[1], ".yaml")
        if name:
            files[name] = _mutate_tree(files[name], op)
    else:
        name = _pick(files, op[1])
        if name:
            files[name] = _mutate_bytes(files[name], op)
    return files


def _inject(data: bytes, index: int, key: str, value: Any) -> bytes:
    """``key: value`` set in one mapping of the file (index 0: the top), the file dumped again."""
    try:
        tree = yaml.safe_load(data)
    except yaml.YAMLError:
        return data
    maps = [p for p in _paths(tree) if isinstance(_get(tree, p), dict)] if isinstance(tree, (dict, list)) else []
    if not maps:
        return data
    _get(tree, maps[0 if index % 3 == 0 else index % len(maps)])[key] = value
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=200).encode("utf-8")
    except (yaml.YAMLError, RecursionError, ValueError):
        return data


def build(case: Case) -> dict[str, bytes]:
    files = ORIGINALS[case.plan]
    for op in case.mutations:
        files = apply(files, op)
    return files


def write_plan(files: dict[str, bytes], target: Path) -> None:
    target.mkdir(parents=True)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


_i = st.integers(0, 10_000)
_value = st.one_of(st.sampled_from(HOSTILE_VALUES), st.sampled_from(NUMBERS), st.integers(-5, 5), st.text(max_size=12))
_base_mutation = st.one_of(
    st.tuples(st.just("flip"), _i, _i, st.integers(0, 7)),
    st.tuples(st.just("insert"), _i, _i, st.one_of(st.sampled_from(SPECIAL_BYTES), st.binary(min_size=1, max_size=6))),
    st.tuples(st.just("delete"), _i, _i, st.integers(1, 40)),
    st.tuples(st.just("truncate"), _i, _i),
    st.tuples(st.sampled_from(["crlf", "cr", "bom", "utf16", "latin1"]), _i),
    st.tuples(st.just("tabs"), _i, _i),
    st.tuples(st.just("value_text"), _i, _i, st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=30).map(lambda s: json.dumps(s)),  # any string, escapes (lone surrogates) included
        st.integers(-(10**30), 10**30).map(str),
        st.floats().map(repr).map(lambda s: {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}.get(s, s)),
        st.dates().map(str),
    )),
    st.tuples(st.sampled_from(["drop_line", "repeat_line"]), _i, _i),
    st.tuples(st.just("rename_key"), _i, _i, st.sampled_from(["inconnu", "id", "title", "actions", "objectives", "priority", "Id", "<<"])),
    st.tuples(st.just("tree_set"), _i, _i, st.sampled_from(HOSTILE_VALUES)),
    st.tuples(st.just("tree_field"), _i, _i, st.one_of(st.sampled_from(IMPORTANT), st.sampled_from(FIELDS)), st.one_of(
        st.sampled_from(NUMBERS), st.sampled_from(HOSTILE_VALUES), st.integers(), st.floats(), st.text(max_size=20),
        st.dates()), _i),
    st.tuples(st.just("tree_nest"), _i, _i, st.sampled_from([5, 50, 200, 900])),
    st.tuples(st.sampled_from(["tree_delete", "tree_dup"]), _i, _i),
    st.tuples(st.just("tree_style"), _i, _i, st.sampled_from(["flow", "canonical", "indent4", "json"])),
    st.tuples(st.just("tree_unknown"), _i, _i, st.sampled_from([1, 3, 200])),
    st.tuples(st.sampled_from(["tree_collide", "tree_alias"]), _i, _i, _i),
    st.tuples(st.just("remove"), st.sampled_from(["plan.yaml", "people.yaml"])),
    st.tuples(st.sampled_from(["empty", "copy"]), _i),
    st.tuples(st.just("move"), _i, st.sampled_from(["objectives/", "", "objectives/02-securite.yaml.d/"])),
    st.tuples(st.just("inject"), _i, _i, st.sampled_from(STRUCTURAL_KEYS), _value),
    st.tuples(st.just("jinja"), _i, _i, st.sampled_from(HOSTILE_JINJA)),
)
# One mutation in two aims at one kind of file, so that each kind (the standalone action files and the
# templates included) is mutated in every campaign, whatever the number of files of each.
mutation = st.one_of(_base_mutation, st.tuples(st.just("on"), st.sampled_from(KINDS), _base_mutation))


@st.composite
def cases(draw) -> Case:
    plan = draw(st.sampled_from(PLANS))
    ops = tuple(draw(st.lists(mutation, min_size=1, max_size=3)))
    show = draw(st.sampled_from([*IDS[plan], "O1", "inconnu"]))
    return Case(plan, ops, show)


# --- properties -----------------------------------------------------------------------------------


def snapshot(base: Path) -> dict[str, Any]:
    """Every path under ``base``: its kind and, for files, a digest of its bytes."""
    out: dict[str, Any] = {}
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(base).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", hashlib.blake2b(path.read_bytes(), digest_size=12).digest())
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


class _HtmlCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "base"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value is not None:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.bad.append(f"<{tag} {name}={value[:40]!r}>")

    handle_startendtag = handle_starttag


def check_site(out: Path) -> None:
    for page in sorted(out.rglob("*.html")):
        checker = _HtmlCheck()
        checker.feed(page.read_text(encoding="utf-8"))
        checker.close()
        assert not checker.bad, f"{page.relative_to(out)}: {checker.bad[:5]}"


def _parses(fmt: str, text: str) -> None:
    if fmt in ("json", "sarif"):
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text)
    elif fmt == "csv":
        list(csv.reader(io.StringIO(text)))


NO_AS_OF = {"validate", "diff", "log", "import"}

# What a terminal (or a CI log) would act on: C0 controls but tab and newline, DEL, CSI.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x9b]")


@dataclass
class Runner:
    base: Path  # everything the commands could touch
    plan: Path
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    def run(self, *args: Any, fmt: str = "text", writes: Path | None = None, allow_plan: bool = False):
        before = snapshot(self.base)
        dated = str(args[0]) not in NO_AS_OF  # the commands that read the plan as it is in git or in a file take no date
        result = feuille(*args, *(("--as-of", AS_OF) if dated else ()), env=self.env)
        self.log.append(f"{result.returncode} feuille {' '.join(map(str, args))}")
        assert result.returncode in (0, 1, 2), (result.args, result.returncode, result.stderr[-2000:])
        if "Traceback" in result.stderr or "erreur interne" in result.stderr:
            raise AssertionError(f"{result.args}: {result.stderr[-2000:]}")
        if fmt == "text" and (bad := _CONTROL.search(result.stdout + result.stderr)):
            raise AssertionError(f"{result.args}: control character in text output {bad.group()!r}")
        if result.returncode == 0 or (result.returncode == 1 and result.stdout.strip()):
            try:
                _parses(fmt, result.stdout)
            except (ValueError, ET.ParseError) as exc:
                raise AssertionError(f"{result.args}: {fmt} does not parse ({exc}): {result.stdout[:500]!r}") from exc
        moved = changed(before, snapshot(self.base))
        allowed = set()
        if writes is not None:
            prefix = writes.relative_to(self.base).as_posix()
            allowed = {m for m in moved if m == prefix or m.startswith(prefix + "/")}
        if allow_plan:
            plan_prefix = self.plan.relative_to(self.base).as_posix() + "/"
            allowed |= {m for m in moved if m.startswith(plan_prefix) and m in before and m in snapshot(self.base)
                        and before[m][0] == "file"}
        assert moved <= allowed, f"{result.args} changed {sorted(moved - allowed)[:10]}"
        return result


@contextlib.contextmanager
def _known_bugs():
    """Discard an example that only meets a bug already known (see :data:`KNOWN`)."""
    try:
        yield
    except BaseException as exc:  # pytest.fail raises an Exception subclass of BaseException
        message = str(exc)
        if not STRICT:
            for pattern, test in KNOWN:
                if re.search(pattern, message, re.S):
                    with contextlib.suppress(Exception):  # outside a Hypothesis run
                        note(f"known bug, see {test}")
                    reject()
        raise


@contextlib.contextmanager
def _plan_dir(case: Case):
    slow = None
    if count_to := os.environ.get("FEUILLE_FUZZ_COUNT"):  # campaigns: one line per example, even if killed
        with open(count_to, "a", encoding="utf-8") as counts:
            counts.write(f"{os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]}\t{case!r}\n")
        slow = open(count_to + ".slow", "a", encoding="utf-8")  # noqa: SIM115 - where a stuck example shows its stack
        slow.write(f"--- {case!r}\n")
        slow.flush()
        faulthandler.dump_traceback_later(60, file=slow)
    try:
        with tempfile.TemporaryDirectory(prefix="feuille-fuzz-") as tmp:
            top = Path(tmp)
            base = top / "work"
            base.mkdir()
            plan = base / case.plan
            write_plan(build(case), plan)
            yield Runner(base, plan, {"FEUILLE_CACHE_DIR": str(top / "cache"), "NO_COLOR": "1"})
    finally:
        if slow is not None:
            faulthandler.cancel_dump_traceback_later()
            slow.close()


def _lint(r: Runner, case: Case) -> None:
    for fmt in ("text", "json", "github", "sarif", "junit"):
        r.run("lint", r.plan, "-f", fmt, fmt=fmt)


def _status(r: Runner, case: Case) -> None:
    for fmt in ("text", "markdown", "json", "csv"):
        r.run("status", r.plan, "-f", fmt, fmt=fmt)
    r.run("status", r.plan, "--late", "--owner", "Sabbatini")
    r.run("review", "--plan", r.plan, "--non-interactive")


def _show(r: Runner, case: Case) -> None:
    r.run("show", case.show, "--plan", r.plan)
    r.run("show", case.show, "--plan", r.plan, "--lang", "en")
    r.run("prioritise", r.plan)
    r.run("prioritise", r.plan, "-f", "json", fmt="json")


def _reports(r: Runner, case: Case) -> None:
    r.run("report", "term", "--plan", r.plan, "-f", "md")
    r.run("report", "annual", "--year", "2026", "--plan", r.plan, "-f", "md", "--allow-errors")
    out = r.base / "reports"
    out.mkdir()
    r.run("report", "annual", "--year", "2025", "--plan", r.plan, "-f", "docx", "-o", out / "a.docx", "--allow-errors", writes=out)
    r.run("report", "term", "--plan", r.plan, "-o", out / "t.html", "--allow-errors", writes=out)
    for written in sorted(out.glob("*.docx")):  # every part of the Word document is XML
        with zipfile.ZipFile(written) as docx:
            for name in docx.namelist():
                if name.endswith((".xml", ".rels")):
                    ET.fromstring(docx.read(name))


def _exports(r: Runner, case: Case) -> None:
    r.run("export", r.plan, "--format", "json", fmt="json")
    r.run("export", r.plan, "--format", "json", "--allow-errors", fmt="json")
    out = r.base / "exports"
    out.mkdir()
    for fmt in ("ecomptes", "xlsx", "csv"):
        r.run("export", r.plan, "--format", fmt, "-o", out / f"plan.{fmt}", "--allow-errors", writes=out)
    r.run("export", r.plan, "--format", "xlsx", "--split-by", "owner", "-o", out / "books", "--allow-errors", writes=out)
    r.run("export", r.plan, "--format", "opendata", "-o", out / "open", "--allow-errors", writes=out)
    for written in sorted(out.glob("*.ecomptes")):
        ET.parse(written)
    for written in sorted([*out.glob("*.xlsx"), *out.glob("books/*.xlsx")]):
        openpyxl.load_workbook(written).close()
    for written in sorted(out.glob("*.csv")):
        list(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig")), delimiter=";"))


def _writers(r: Runner, case: Case) -> None:
    """The commands that write, asked only to show what they would write: nothing may change."""
    r.run("update", case.show, "--plan", r.plan, "--status", "ongoing", "--progress", "50", "--dry-run")
    r.run("update", case.show, "--plan", r.plan, "--set", "title=Nouvel intitulé", "--measure", "1=5", "--dry-run")
    r.run("new", "action", "--in", "O1", "--title", "Action ajoutée", "--plan", r.plan, "--dry-run")
    r.run("new", "objective", "--title", "Objectif ajouté", "--plan", r.plan, "--dry-run")
    r.run("measure", "demarches-en-ligne", "61,5", "--date", "2026-03-31", "--note", "relevé", "--plan", r.plan, "--dry-run")
    r.run("measure", "Taux d'absentéisme du personnel (Ville et CPAS)", "8.3", "--plan", r.plan, "--dry-run")  # by its label (refused if several or none)
    out = r.base / "sheet"
    out.mkdir()
    exported = r.run("export", r.plan, "--format", "xlsx", "-o", out / "retour.xlsx", "--allow-errors", writes=out)
    if exported.returncode in (0, 1) and (out / "retour.xlsx").exists():  # the returned sheet, into the plan it came from
        r.run("import", out / "retour.xlsx", r.plan, "--dry-run")


def _history(r: Runner, case: Case) -> None:
    """The plan in git: the example committed, then the mutated plan committed over it; the commands that read revisions."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Fuzz", "GIT_AUTHOR_EMAIL": "f@x", "GIT_COMMITTER_NAME": "Fuzz", "GIT_COMMITTER_EMAIL": "f@x",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    mutated = {rel: (r.plan / rel).read_bytes() for rel, kind in snapshot(r.plan).items() if kind[0] == "file"}
    shutil.rmtree(r.plan)
    write_plan(ORIGINALS[case.plan], r.plan)

    def git(*args: str, when: str) -> None:
        subprocess.run(["git", "-C", str(r.plan), *args], check=True, capture_output=True, env={**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})

    git("init", "-q", "-b", "main", when="2026-01-05T10:00:00")
    git("add", "-A", when="2026-01-05T10:00:00")
    git("commit", "-q", "-m", "plan", when="2026-01-05T10:00:00")
    shutil.rmtree(r.plan / "objectives", ignore_errors=True)
    for rel in ("plan.yaml", "people.yaml"):
        (r.plan / rel).unlink(missing_ok=True)
    for rel, data in mutated.items():
        (r.plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (r.plan / rel).write_bytes(data)
    git("add", "-A", when="2026-04-05T10:00:00")
    git("commit", "-q", "--allow-empty", "-m", "mutated", when="2026-04-05T10:00:00")
    git_dir = r.plan / ".git"  # git may refresh its index while feuille reads: nothing else is written
    r.run("log", case.show, "--plan", r.plan, writes=git_dir)
    r.run("diff", "HEAD~1", "HEAD", "--plan", r.plan, writes=git_dir)
    r.run("diff", "HEAD~1", "--plan", r.plan, "--format", "markdown", writes=git_dir)
    r.run("status", r.plan, "--trend", writes=git_dir)
    r.run("show", case.show, "--plan", r.plan, "--rev", "HEAD~1", writes=git_dir)
    r.run("export", r.plan, "--format", "json", "--rev", "HEAD", "--allow-errors", fmt="json", writes=git_dir)
    r.run("validate", "--by", "Fuzz", "--date", "2026-06-30", "--plan", r.plan, writes=git_dir)


#: Every command that reads a plan, in groups: each group runs its commands on its own mutated plans (a fixed
#: budget of examples each), so that every command meets every kind of mutation in every run of the suite.
GROUPS = {"lint": _lint, "status": _status, "show": _show, "reports": _reports, "exports": _exports, "writers": _writers, "history": _history}
COMMANDS_FUZZED = {"lint", "status", "review", "show", "prioritise", "report", "export", "update", "new", "import", "log", "diff", "validate",
                   "render", "measure"}  # render: test_render_survives_a_mutated_plan; prioritise --mark-priority: test_the_writer_changes_only_priorities


@pytest.mark.parametrize("group", list(GROUPS))
@FUZZ_GROUP
@given(case=cases())
def test_reading_commands_survive_a_mutated_plan(group: str, case: Case) -> None:
    with _known_bugs(), _plan_dir(case) as r:
        GROUPS[group](r, case)


def test_every_command_that_reads_a_plan_is_fuzzed():
    import typer.main

    from feuille.cli import app

    commands = set(typer.main.get_command(app).commands)
    assert commands - COMMANDS_FUZZED == {"schema", "init"}  # the two that read no plan (import reads one when it updates it)


@FUZZ_RENDER
@given(case=cases(), md=st.booleans())
def test_render_survives_a_mutated_plan(case: Case, md: bool) -> None:
    with _known_bugs(), _plan_dir(case) as r:
        fmt = ["-f", "md"] if md else []
        out = r.base / "site"
        first = r.run("render", r.plan, "--out", out, *fmt, writes=out)
        if first.returncode == 1:  # errors: refused, then published anyway
            r.run("render", r.plan, "--out", out, *fmt, "--allow-errors", writes=out)
        report = r.run("report", "term", "--plan", r.plan, "--allow-errors")  # HTML on stdout
        checker = _HtmlCheck()
        checker.feed(report.stdout)
        assert not checker.bad, f"report term: {checker.bad[:5]}"
        if not md and out.exists():
            check_site(out)


def _items(root: Path) -> dict[str, dict[str, Any]]:
    from feuille.pipeline import LoadOptions, load_path

    loaded = load_path(root, dt.date.fromisoformat(AS_OF), options=LoadOptions(use_cache=False))
    plan = loaded.plan
    items: dict[str, dict[str, Any]] = {}
    if plan.meta is not None:
        items["plan"] = plan.meta.model_dump(mode="json")
    for key, person in plan.people.items():
        items[f"person:{key}"] = person.model_dump(mode="json")
    for key, service in plan.services.items():
        items[f"service:{key}"] = service.model_dump(mode="json")
    for obj, _parent, _depth in plan.walk():
        items[obj.id] = obj.model_dump(mode="json", exclude={"objectives", "actions"})
    for action, _obj in plan.actions():
        items[action.id] = action.model_dump(mode="json")
    items["files"] = {"files": sorted(plan.files)}
    return items


def _without_priority(items: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {f: v for f, v in d.items() if f != "priority"} for k, d in items.items()}


@FUZZ
@given(case=cases())
def test_the_writer_changes_only_priorities(case: Case) -> None:
    with _known_bugs(), _plan_dir(case) as r:
        ranking = r.run("prioritise", r.plan, "-f", "json", fmt="json")
        before_files = snapshot(r.plan)
        before_bytes = {rel: (r.plan / rel).read_bytes() for rel, kind in before_files.items() if kind[0] == "file"}
        before = _items(r.plan)
        result = r.run("prioritise", r.plan, "--mark-priority", "3", allow_plan=True)
        touched = changed(before_files, snapshot(r.plan))
        if result.returncode != 0 and not (result.returncode == 1 and touched):  # exit 1 and written: the plan's own errors (none added)
            assert not touched, f"refused (exit {result.returncode}) but changed {sorted(touched)}"
            return
        after = _items(r.plan)
        assert _without_priority(after) == _without_priority(before)
        ranked = json.loads(ranking.stdout)["ranked"] if ranking.returncode == 0 else None
        if ranked is not None:
            expected = {e["id"]: e["rank"] for e in ranked[:3]}
            for entry in ranked:
                got = after[entry["id"]].get("priority")
                assert got == expected.get(entry["id"]), (entry["id"], got, expected)
        for rel in touched:  # only the priority lines changed, the rest byte for byte, line endings kept
            old, new = before_bytes[rel], (r.plan / rel).read_bytes()
            assert _endings(new) <= _endings(old), f"{rel}: line endings {_endings(old)} became {_endings(new)}"
            assert _no_priority(old) == _no_priority(new), f"{rel}: more than the priority lines changed"


_PRIORITY = re.compile(rb"(?:^|(?<=\r))[ \t]*priority:[ \t]*\d+[ \t]*(?:\r\n|\n|\r|$)|,[ \t]*priority:[ \t]*\d+", re.M)


def _no_priority(data: bytes) -> bytes:
    return _PRIORITY.sub(b"", data)


def _endings(data: bytes) -> set[bytes]:
    return set(re.findall(rb"\r\n|\r|\n", data))
