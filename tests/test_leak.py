"""THE LEAK TEST (issue 20, item 1): nothing an audience may not see reaches any output.

Everything here is generated from the model and the registries, never from a hand list, so a
field, a kind of item, a report or an export format added later is covered without editing
this file:

- **kinds and fields**: every kind of item (each model with a ``visibility`` field: the plan,
  objectives, actions, indicators, budget lines, people, services...) and every field of it and
  of the parts it holds, walked recursively from the pydantic models (core/visibility.py reads
  them the same way the publish filter does);
- **where each kind lives**: found by walking the models from the files' roots (plan.yaml,
  people.yaml, an objective file) down through the fields that hold models;
- **what a field takes**: a unique word (``lkw00042z``, or ``lkw00042z@example.be`` where a
  pattern wants an e-mail) wherever the field's own type accepts it; a field that names an item
  by id (a ``Ref``) names a withheld item, whose id is itself a planted word; a field whose type
  takes no word (a date, a number, a choice) keeps a valid value and is counted as typed;
- **the plan stays clean**: the words are planted into a copy of the example plan; what
  ``feuille lint`` refuses (a word where a known id or code is wanted) is put back as it was and
  counted, until the plan has no error, so every output can be made;
- **outputs**: ``render`` in each site format, ``report`` of each kind in each of its formats
  (views.site.REPORTS), ``export`` in each format of the registry (views.exports.FORMATS, with
  each format's own audiences and folder), ``--split-by`` each way for a format that splits, for
  each audience; every byte of every file written (a zip, xlsx or docx, is opened: each member's
  name and bytes), every file and folder name, and the command's standard output;
- **history**: the same outputs of the plan as committed (``--rev HEAD``) where people and
  services were all public, judged by today's people.yaml where they are not.

Each planted word has the narrowest audience that may see it (the item internal or council, the
field withheld by a ``visibility`` mapping, a contact field's default); it must appear in no
output made for a wider audience.  The counts (kinds, fields, words, outputs, bytes) are printed
and kept as test properties (``pytest -s tests/test_leak.py`` shows them).
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
import os
import re
import shutil
import subprocess
import typing
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml import YAML

from _cli import feuille
from feuille import pipeline
from feuille.core import visibility as vis
from feuille.core.model import FILE_MODELS, Audience, Objective, PeopleFile, PlanFile

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-07-01"
YEAR = "2026"
WORD = re.compile(rb"lkw\d{5}z")
RANK = vis.RANK

#: The files a kind of item can live in, from the files' models: plan.yaml, people.yaml, an objective file.
ROOTS: dict[type[BaseModel], str] = {PlanFile: "plan.yaml", PeopleFile: "people.yaml", Objective: "objectives/9{n}-leak.yaml"}
assert set(ROOTS) <= set(FILE_MODELS.values())

MODES = ("internal", "council", "fields", "defaults", "refs", "refs-council")


# --- 1. the model, walked --------------------------------------------------------------------------


def _homes() -> dict[type[BaseModel], tuple[type[BaseModel], tuple[tuple[type[BaseModel], str], ...]]]:
    """Each kind of item -> (its root model, the (model, field) steps from the root down to the list that holds it)."""
    found: dict[type[BaseModel], tuple[type[BaseModel], tuple[tuple[type[BaseModel], str], ...]]] = {}
    queue: list[tuple[type[BaseModel], type[BaseModel], tuple[tuple[type[BaseModel], str], ...]]] = [(r, r, ()) for r in ROOTS]
    while queue:
        root, model, steps = queue.pop(0)
        if model not in found and vis.is_item(model) and model is not PlanFile:
            found[model] = (root, steps)
        if len(steps) > 4 or any(m is model for m, _f in steps[:-1]):
            continue
        for slot in vis.slots(model):
            for child in slot.holds:
                if child is not model:
                    queue.append((root, child, (*steps, (model, slot.name))))
    return found


def _annotation(model: type[BaseModel], name: str) -> Any:
    spec = model.model_fields[name]
    return typing.Annotated[spec.annotation, spec]


def _accepts(model: type[BaseModel], name: str, value: Any) -> bool:
    """Whether field ``name`` of ``model`` takes ``value`` (its type and constraints; an alias means nothing here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            TypeAdapter(_annotation(model, name)).validate_python(value)
        except (ValidationError, TypeError, ValueError):
            return False
    return True


def _plain_type(annotation: Any) -> Any:
    """The type inside Optional, list and Annotated (with its constraints gathered)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, __import__("types").UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin in (list, tuple, set):
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def _bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    lo, hi = 0.0, 100.0
    spec = model.model_fields[name]
    metadata = list(spec.metadata)
    stack = [spec.annotation]
    while stack:
        t = stack.pop()
        if typing.get_origin(t) is typing.Annotated:
            metadata += list(t.__metadata__)
        stack.extend(typing.get_args(t))
    for m in metadata:
        for attr, kind in (("ge", "lo"), ("gt", "lo"), ("le", "hi"), ("lt", "hi")):
            value = getattr(m, attr, None)
            if isinstance(value, (int, float, Decimal)):
                if kind == "lo":
                    lo = max(lo, float(value) + (1 if attr == "gt" else 0))
                else:
                    hi = min(hi, float(value) - (1 if attr == "lt" else 0))
        if isinstance(m, annotated_types.Interval):
            lo = max(lo, float(m.ge if m.ge is not None else m.gt + 1 if m.gt is not None else lo))
            hi = min(hi, float(m.le if m.le is not None else m.lt - 1 if m.lt is not None else hi))
    return lo, hi


def _typed_sample(model: type[BaseModel], name: str, day: dt.date) -> Any:
    """A valid value for a field that takes no word (a date, a number, a choice, a flag)."""
    t = _plain_type(model.model_fields[name].annotation)
    many = typing.get_origin(_strip_optional(model.model_fields[name].annotation)) in (list, tuple, set)
    if isinstance(t, type) and issubclass(t, enum.Enum):
        value: Any = next(iter(t)).value
    elif t is dt.date:
        value = day.isoformat()
    elif t is bool:
        value = False
    elif t in (int, float, Decimal):
        lo, hi = _bounds(model, name)
        value = int(min(max(lo, 1), hi)) if t is int else min(max(lo, 1.0), hi)
    else:
        return None
    return [value] if many else value


def _strip_optional(annotation: Any) -> Any:
    while typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType) or typing.get_origin(annotation) is typing.Annotated:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        else:
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


# --- 2. the planted plan ------------------------------------------------------------------------------


@dataclass(eq=False)
class Plant:
    """A word written into one field of one generated item."""

    word: str
    kind: str  # the kind of item it belongs to (its holder's kind for a part)
    field: str  # Model.field
    mode: str
    level: Audience  # the widest audience that may see it


@dataclass(eq=False)
class Spot:
    """A value this test wrote (planted or built), and what was there before (to put it back if lint refuses it)."""

    owner: dict[str, Any]
    key: str
    before: Any  # the template's value, or _NONE
    plants: list[Plant] = field(default_factory=list)


_NONE = object()


class Planter:
    def __init__(self, plan: Path, modes: tuple[str, ...] = MODES) -> None:
        self.root = plan
        self.modes = modes
        self.yaml = YAML(typ="safe", pure=True)
        self.yaml.default_flow_style = False
        self.yaml.allow_unicode = True
        self.docs: dict[str, Any] = {rel: self.yaml.load((plan / rel).read_text(encoding="utf-8")) for rel in ("plan.yaml", "people.yaml")}
        loaded = pipeline.load_path(plan, dt.date.fromisoformat(AS_OF), options=pipeline.LoadOptions(use_cache=False))
        assert loaded.errors == 0
        self.day = loaded.plan.meta.term.start + dt.timedelta(days=60)  # type: ignore[union-attr]
        self.templates = _templates(loaded.plan)
        self.count = 0
        self.plants: list[Plant] = []
        self.spots: list[Spot] = []
        self.instances: dict[int, tuple[str, list[Plant]]] = {}  # id(instance dict) -> (kind, plants under it)
        self.ids: dict[tuple[str, str], str] = {}  # (kind, mode) -> the id (a planted word) of that kind's item in that mode
        self.levels: dict[str, Audience] = {}  # id word -> its level
        self.holders: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.files = 0
        self.typed: Counter[str] = Counter()  # Model.field -> values that take no word
        self.refused: Counter[str] = Counter()  # Model.field -> words lint refused (put back as they were)
        self.homes = _homes()

    def word(self) -> str:
        self.count += 1
        return f"lkw{self.count:05d}z"

    def neutral(self) -> str:
        self.count += 1
        return f"lkn{self.count:05d}"

    # --- building ----------------------------------------------------------------------------
    def template(self, model: type[BaseModel]) -> dict[str, Any]:
        base = dict(self.templates.get(model, {}))
        for slot in vis.slots(model):
            if slot.holds or slot.name in ("visibility", "id"):
                base.pop(slot.name, None)
        for name, spec in model.model_fields.items():
            if spec.is_required() and name not in base and name != "id":
                sample = _typed_sample(model, name, self.day)
                base[name] = sample if sample is not None else self.neutral()
        return base

    def plant(self, owner: dict[str, Any], key: str, value: Any, plants: list[Plant]) -> None:
        self.spots.append(Spot(owner, key, owner.get(key, _NONE), plants))
        owner[key] = value

    def build(self, model: type[BaseModel], mode: str, level: Audience, stack: tuple[type[BaseModel], ...], kind: str) -> tuple[dict[str, Any], list[Plant]]:
        """One generated thing of ``model`` in ``mode``; ``level``: the widest audience that may see what is planted in it."""
        inst = self.template(model)
        plants: list[Plant] = []
        item = vis.is_item(model)
        if item:
            kind = vis.kind_of(model)
        hidden = mode in ("internal", "council", "content")
        if "id" in model.model_fields:
            if hidden and stack == () and (kind, mode) in self.ids:
                ident = self.ids[(kind, mode)]
                plants.append(self.record(ident, kind, f"{model.__name__}.id", mode, level))
            elif hidden:
                ident = self.word()
                plants.append(self.record(ident, kind, f"{model.__name__}.id", mode, level))
                self.levels[ident] = level
            else:
                ident = self.neutral()
            inst["id"] = ident
        settable = vis.SETTABLE.get(model, frozenset())
        mapping: dict[str, str] = {}
        for slot in vis.slots(model):
            name = slot.name
            if name in ("id", "visibility") or (model is PlanFile and name in vis.PLAN_SETTINGS):
                continue
            optional = not slot.required
            if mode == "fields":
                wanted = optional and name in settable and stack == ()
            elif mode == "defaults":
                wanted = name in vis.DEFAULT_FIELDS
            elif mode in ("refs", "refs-council"):
                wanted = slot.refers is not None or (bool(slot.holds) and any(_has_refs(m) for m in slot.holds))
            elif mode == "holder":
                wanted = False
            else:
                wanted = True
            if not wanted:
                if slot.holds and mode != "holder" and stack == () and any(self.homes.get(m, (None, ()))[1][-1:] == ((model, name),) for m in slot.holds):
                    child, _ = self.build(slot.holds[0], "holder", Audience.public, (), "")  # an objective has an action, as lint wants
                    inst[name] = [child] if _many(model, name) else child
                continue
            field_level = Audience.internal if mode == "fields" else level
            if mode == "defaults":
                field_level = self.default_level(name, level)
            if slot.holds:
                if any(m in stack or m is model for m in slot.holds):  # one level of each model: no objective in an objective
                    continue
                child_model = slot.holds[0]
                child_mode = mode if mode.startswith("refs") else "content"
                child, under = self.build(child_model, child_mode, field_level, (*stack, model), kind)
                value = [child] if _many(model, name) else child
                self.spots.append(Spot(inst, name, _NONE, under))
                inst[name] = value
                plants += under
                if mode == "fields":
                    mapping[name] = "internal"
                continue
            if slot.refers is not None:
                target = self.ids.get((slot.refers, "council" if mode in ("council", "refs-council") else "internal"))
                if target is None:
                    continue
                for candidate in (target, [target]):
                    if _accepts(model, name, candidate):
                        self.plant(inst, name, candidate, [])
                        if mode == "fields":
                            mapping[name] = "internal"
                        break
                continue
            word = self.word()
            for candidate in (word, f"{word}@example.be", [word], [f"{word}@example.be"]):
                if _accepts(model, name, candidate):
                    p = self.record(word, kind, f"{model.__name__}.{name}", mode, field_level)
                    self.plant(inst, name, candidate, [p])
                    plants.append(p)
                    if mode == "fields":
                        mapping[name] = "internal"
                    break
            else:
                self.count -= 1
                self.typed[f"{model.__name__}.{name}"] += 1
        if item and stack == ():
            if mode in ("internal", "council"):
                inst["visibility"] = mode
            elif mode == "fields" and mapping:
                inst["visibility"] = {"item": "public", **mapping}
        self.instances[id(inst)] = (kind, plants)
        return inst, plants

    def record(self, word: str, kind: str, where: str, mode: str, level: Audience) -> Plant:
        p = Plant(word, kind, where, mode, level)
        self.plants.append(p)
        return p

    def default_level(self, name: str, level: Audience) -> Audience:
        wanted = (self.docs["plan.yaml"].get("visibility") or {}).get(name) or vis.DEFAULT_FIELDS.get(name, level.value)
        return vis.narrowest(Audience(wanted), level)

    def holder(self, root: type[BaseModel], steps: tuple[tuple[type[BaseModel], str], ...]) -> dict[str, Any]:
        """The public item (made once) that holds the generated items at the end of ``steps``."""
        if root is not Objective:
            doc = self.docs[ROOTS[root]]
        else:
            key: tuple[Any, ...] = (root,)
            if key not in self.holders:
                self.holders[key], _ = self.build(root, "holder", Audience.public, (), "")
                self.new_file(self.holders[key])
            doc = self.holders[key]
        for i, (model, name) in enumerate(steps[:-1]):
            key = (root, *steps[: i + 1])
            if key not in self.holders:
                child_model = next(m for m in vis.slots(model) if m.name == name).holds[0]
                child, _ = self.build(child_model, "holder", Audience.public, (), "")
                doc.setdefault(name, []).append(child)
                self.holders[key] = child
            doc = self.holders[key]
        return doc

    def new_file(self, doc: dict[str, Any]) -> None:
        self.files += 1
        self.docs[ROOTS[Objective].format(n=self.files)] = doc

    def place(self, model: type[BaseModel], mode: str) -> None:
        level = {"internal": Audience.internal, "council": Audience.council}.get(mode, Audience.public)
        inst, _plants = self.build(model, mode, level, (), "")
        root, steps = self.homes[model]
        if not steps:
            self.new_file(inst)
            return
        holder = self.holder(root, steps)
        holder.setdefault(steps[-1][1], []).append(inst)

    def grow(self) -> None:
        kinds = list(self.homes)
        for model in kinds:  # every item's id first: references may name any of them
            if "id" in model.model_fields:
                for mode in ("internal", "council"):
                    word = self.word()
                    self.ids[(vis.kind_of(model), mode)] = word
                    self.levels[word] = Audience(mode)
        for mode in self.modes:
            for model in kinds:
                self.place(model, mode)
        if "fields" not in self.modes:
            return
        plan = self.docs["plan.yaml"]  # the plan itself: its own fields withheld by its mapping
        _inst, plants = self.build(PlanFile, "fields", Audience.public, (), "")
        under = {s.key: s.plants for s in self.spots if s.owner is _inst}  # what a field holding items (the plan's indicators) holds
        mapping = {key: "internal" for key in (_inst.get("visibility") or {}) if key != "item"}
        for key in mapping:
            value = _inst[key]
            if isinstance(value, list) and isinstance(plan.get(key), list):  # the plan's own (its indicators) stay: others name them
                value = [*plan[key], *value]
            self.plant(plan, key, value, under.get(key) or [p for p in plants if p.field == f"PlanFile.{key}"])
        visibility = plan.get("visibility") or "public"
        plan["visibility"] = {**({"item": visibility} if isinstance(visibility, str) else visibility), **mapping}

    # --- writing and the lint loop --------------------------------------------------------------
    def write(self) -> None:
        for rel, doc in self.docs.items():
            buffer = io.StringIO()
            self.yaml.dump(doc, buffer)
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(buffer.getvalue(), encoding="utf-8")

    def lint_until_clean(self) -> dict[str, int]:
        """Put back, one by one, what lint refuses, until the plan has no error; how many were put back, by rule."""
        put_back: Counter[str] = Counter()
        for _round in range(60):
            self.write()
            loaded = pipeline.load_path(self.root, dt.date.fromisoformat(AS_OF), options=pipeline.LoadOptions(use_cache=False))
            errors = [d for d in loaded.diagnostics if d.severity.name == "error"]
            if not errors:
                return dict(put_back)
            repaired = 0
            for d in errors:
                if self.repair(d):  # one error may go with another already put right this round: lint again
                    repaired += 1
                    put_back[d.code] += 1
            if not repaired:
                lines = [f"{x.file}:{x.line} {x.code} {x.path} {x.message('en')}" for x in errors]
                pytest.fail("the generated plan has an error this test cannot put right:\n" + "\n".join(lines))
        pytest.fail("the generated plan still has errors after 60 rounds")

    def repair(self, d: Any) -> bool:
        rel = os.path.relpath(d.file, self.root) if d.file else ""
        doc = self.docs.get(rel)
        if doc is None:
            return False
        path = tuple(d.path)
        node = doc
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return True  # put right already this round (two findings about one value): lint again
        for cut in range(len(path), -1, -1):
            node, parent = doc, None
            ok = True
            for step in path[:cut]:
                parent = node
                try:
                    node = node[step]
                except (KeyError, IndexError, TypeError):
                    ok = False
                    break
            if not ok or parent is None:
                continue
            step = path[cut - 1]
            if isinstance(step, str):
                spot = next((s for s in reversed(self.spots) if s.owner is parent and s.key == step), None)
                if spot is not None:
                    self.unplant(spot)
                    return True
            elif isinstance(step, int) and isinstance(node, dict) and id(node) in self.instances and isinstance(parent, list):
                parent.remove(node)
                self.reject(self.instances[id(node)][1])
                return True
        return False

    def unplant(self, spot: Spot) -> None:
        if spot.before is _NONE:
            spot.owner.pop(spot.key, None)
        else:
            spot.owner[spot.key] = spot.before
        mapping = spot.owner.get("visibility")
        if isinstance(mapping, dict) and spot.key in mapping and spot.key != "item":
            del mapping[spot.key]
        self.spots.remove(spot)
        self.reject(spot.plants)

    def reject(self, plants: list[Plant]) -> None:
        gone = {id(p) for p in plants}
        self.refused.update(p.field for p in plants)
        self.plants = [p for p in self.plants if id(p) not in gone]


def _has_refs(model: type[BaseModel], seen: frozenset[type[BaseModel]] = frozenset()) -> bool:
    if model in seen:
        return False
    return any(s.refers is not None or any(_has_refs(m, seen | {model}) for m in s.holds) for s in vis.slots(model))


def _many(model: type[BaseModel], name: str) -> bool:
    return typing.get_origin(_strip_optional(model.model_fields[name].annotation)) in (list, tuple, set)


def _templates(plan: Any) -> dict[type[BaseModel], dict[str, Any]]:
    """The first thing of each model in the example plan, as written (its valid values: eComptes codes, dates in the term...)."""
    found: dict[type[BaseModel], dict[str, Any]] = {}
    stack: list[Any] = [plan.meta, *plan.people.values(), *plan.services.values(), *plan.objectives]
    while stack:
        thing = stack.pop(0)
        if isinstance(thing, BaseModel):
            if type(thing) not in found:
                found[type(thing)] = _plain(thing.model_dump(mode="python", by_alias=True, exclude_unset=True, exclude_none=True))
            stack.extend(v for v in thing.__dict__.values() if isinstance(v, (BaseModel, list)))
        elif isinstance(thing, list):
            stack.extend(thing)
    return found


def _plain(value: Any) -> Any:
    """Values YAML writes: Decimals as numbers, enums as their words."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


# --- 3. every output, every byte --------------------------------------------------------------------


@dataclass
class Outputs:
    blobs: dict[str, bytes] = field(default_factory=dict)  # what was searched: a file (or zip member) and its bytes, a run's stdout
    runs: int = 0
    refused: list[str] = field(default_factory=list)  # export formats that refused this plan for this audience (nothing written)

    def add_tree(self, base: Path, label: str) -> None:
        for p in sorted(base.rglob("*")):
            name = f"{label}/{p.relative_to(base)}"
            self.blobs[f"name:{name}"] = name.encode("utf-8")
            if p.is_file():
                self.add(name, p.read_bytes())

    def add(self, name: str, data: bytes) -> None:
        self.blobs[name] = data
        if data[:4] == b"PK\x03\x04":  # xlsx, docx: every member's name and bytes
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for member in z.namelist():
                    self.blobs[f"{name}!{member}"] = member.encode("utf-8") + b"\n" + z.read(member)

    def found(self) -> dict[str, set[str]]:
        """Each planted word found -> the outputs it is in."""
        out: dict[str, set[str]] = {}
        for name, data in self.blobs.items():
            for m in set(WORD.findall(data.lower())):
                out.setdefault(m.decode("ascii"), set()).add(name)
        return out

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.blobs.values())


def run(out: Outputs, *args: Any) -> None:
    result = feuille(*map(str, args))
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    out.runs += 1
    out.blobs[f"stdout:{' '.join(map(str, args[:3]))}#{out.runs}"] = result.stdout.encode("utf-8")


def outputs(plan: Path, work: Path, audience: str, extra: tuple[str, ...] = (), only: set[str] | None = None) -> Outputs:
    """Every output of every command that publishes, for ``audience``: each from the registries (``only``: just these
    export formats).  An export the format refuses for this plan (exit 1: a value it needs is withheld from this
    audience) writes nothing: it is listed in ``refused``, to be made again from a plan where it is not refused."""
    from feuille.app.export import SPLIT_BY
    from feuille.views.exports import FORMATS, exporter
    from feuille.views.site import FORMATS as SITE_FORMATS
    from feuille.views.site import REPORTS, YEAR_REPORTS

    out = Outputs()
    work.mkdir(parents=True, exist_ok=True)
    common = ("--audience", audience, "--as-of", AS_OF, *extra)
    for fmt in SITE_FORMATS if only is None else ():
        target = work / f"site-{fmt}"
        run(out, "render", plan, "--out", target, "--format", fmt, *common)
        out.add_tree(target, target.name)
    for kind, formats in REPORTS.items() if only is None else ():
        for fmt in formats:
            target = work / f"report-{kind}.{fmt}"
            run(out, "report", kind, *(("--year", YEAR) if kind in YEAR_REPORTS else ()), "--plan", plan, "-f", fmt, "-o", target, *common)
            out.blobs[f"name:{target.name}"] = target.name.encode("utf-8")
            out.add(target.name, target.read_bytes())
    for name in FORMATS if only is None else only:
        module = exporter(name)
        target = work / f"export-{name}{getattr(module, 'SUFFIX', '') or ''}"
        args = ("export", plan, "--format", name, "-o", target, *common)
        if audience not in getattr(module, "AUDIENCES", (audience,)):
            refused = feuille(*map(str, args))
            assert refused.returncode == 2 and not target.exists(), (name, audience, refused.stderr)
            continue
        result = feuille(*map(str, args))
        if result.returncode == 1 and not list(work.glob(f"export-{name}*")):
            out.refused.append(name)
            continue
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        out.runs += 1
        out.blobs[f"stdout:export {name}"] = result.stdout.encode("utf-8")
        written = sorted(work.glob(f"export-{name}*"))
        assert written, (name, audience)
        for p in written:
            if p.is_dir():
                out.add_tree(p, p.name)
            else:
                out.blobs[f"name:{p.name}"] = p.name.encode("utf-8")
                out.add(p.name, p.read_bytes())
        if hasattr(module, "export_split"):
            for by in SPLIT_BY:
                folder = work / f"split-{name}-{by}"
                run(out, "export", plan, "--format", name, "--split-by", by, "-o", folder, *common)
                out.add_tree(folder, folder.name)
    return out


# --- 4. the test --------------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_AUTHOR_DATE="2026-03-01T10:00:00+01:00", GIT_COMMITTER_DATE="2026-03-01T10:00:00+01:00")
    proc = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=t@example.be", "-c", "commit.gpgsign=false",
                           "-c", "init.defaultBranch=main", *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


def _plant(folder: Path, modes: tuple[str, ...] = MODES) -> tuple[Path, Planter, dict[str, int]]:
    plan = folder / "plan"
    shutil.copytree(EXAMPLE, plan)
    planter = Planter(plan, modes)
    planter.grow()
    put_back = planter.lint_until_clean()
    return plan, planter, put_back


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Planter, dict[str, int]]:
    return _plant(tmp_path_factory.mktemp("leak"))


def _leaks(plants: list[Plant], levels: dict[str, Audience], found: dict[str, set[str]], audience: str) -> list[str]:
    """The planted words an output for ``audience`` must not hold, and that it holds."""
    wider = Audience(audience)
    out = [f"{p.word} ({p.kind} {p.field}, {p.mode}, {p.level.value}) in {audience}: {sorted(found[p.word])[:4]}"
           for p in plants if RANK[p.level] < RANK[wider] and p.word in found]
    out += [f"{word} (the id of a {level.value} item) in {audience}: {sorted(found[word])[:4]}"  # also where other items name it
            for word, level in levels.items() if RANK[level] < RANK[wider] and word in found]
    return sorted(set(out))


def test_the_plan_is_planted_in_every_kind_and_field(planted):
    """Every kind of item is planted in every way (hidden whole, fields withheld, contact defaults, named by id), and
    every field that takes a word has one: what lint put back is the exception, counted."""
    _plan, planter, put_back = planted
    kinds = {vis.kind_of(m) for m in vis.item_kinds()}
    by_kind_mode = {(p.kind, p.mode) for p in planter.plants}
    for kind in kinds - {"PlanFile"}:
        for mode in ("internal", "council", "fields"):
            assert (kind, mode) in by_kind_mode, (kind, mode, put_back)
    assert ("PlanFile", "fields") in by_kind_mode
    planted_fields = {p.field for p in planter.plants}
    word_fields = {f"{m.__name__}.{s.name}" for m in _models() for s in vis.slots(m)
                   if s.name != "visibility" and not s.holds and s.refers is None and f"{m.__name__}.{s.name}" not in planter.typed
                   and not (m is PlanFile and (s.name in vis.PLAN_SETTINGS or s.name in vis.ALWAYS_SHOWN))}  # the plan is always shown
    missing = word_fields - planted_fields
    assert missing <= set(planter.refused), (sorted(missing - set(planter.refused)), put_back)  # only what lint refused (an id, a code)
    assert len(missing) <= len(word_fields) // 5, (sorted(missing), put_back)


def _models() -> list[type[BaseModel]]:
    seen: dict[type[BaseModel], None] = {}
    stack = list(ROOTS)
    while stack:
        m = stack.pop()
        if m in seen:
            continue
        seen[m] = None
        stack.extend(c for s in vis.slots(m) for c in s.holds if not (m is PlanFile and s.name in vis.PLAN_SETTINGS))
    return list(seen)


def test_nothing_withheld_reaches_any_output(planted, tmp_path, tmp_path_factory, record_property):
    plan, planter, put_back = planted
    plants = planter.plants
    results = {a.value: outputs(plan, tmp_path / a.value, a.value) for a in Audience}
    found = {a: r.found() for a, r in results.items()}
    leaks = [line for a in ("public", "council") for line in _leaks(plants, planter.levels, found[a], a)]
    assert not leaks, "\n".join(leaks)
    assert not results["internal"].refused, results["internal"].refused
    # an export refused because a value it needs is withheld (a budget line's article for eComptes): made again from the
    # same plan without the withheld fields, where it is not refused, so that it too is searched
    again = {a: r.refused for a, r in results.items() if r.refused}
    if again:
        plan2, planter2, _ = _plant(tmp_path_factory.mktemp("leak-again"), tuple(m for m in MODES if m != "fields"))
        for audience, formats in again.items():
            redo = outputs(plan2, tmp_path / f"again-{audience}", audience, only=set(formats))
            assert not redo.refused, (audience, redo.refused)
            leaks = _leaks(planter2.plants, planter2.levels, redo.found(), audience)
            assert not leaks, "\n".join(leaks)
            results[f"{audience}-again"] = redo
    shown = {p.word for p in plants if p.word in found["internal"]}
    assert len(shown) >= 0.8 * len(plants), f"only {len(shown)} of {len(plants)} planted words reach any internal output"
    counts = _counts(planter, results, put_back, shown, again)
    for key, value in counts.items():
        record_property(key, value)
    print("\nleak test:", json.dumps(counts, ensure_ascii=False))


def test_history_judges_people_by_todays_file(planted, tmp_path_factory):
    """The plan as committed with every person and service public; today's people.yaml withholds them: every output of
    the past revision (--rev) still leaves them out."""
    plan, planter, _put_back = planted
    repo = tmp_path_factory.mktemp("history")
    shutil.copytree(plan, repo / "plan")
    people = repo / "plan" / "people.yaml"
    today = people.read_text(encoding="utf-8")
    doc = planter.yaml.load(today)
    for section in doc.values():
        for thing in section if isinstance(section, list) else ():
            thing.pop("visibility", None)
    buffer = io.StringIO()
    planter.yaml.dump(doc, buffer)
    people.write_text(buffer.getvalue(), encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "everyone public")
    people.write_text(today, encoding="utf-8")  # today: as planted, not committed
    registry = {vis.kind_of(m) for m in vis.item_kinds()} & vis.registry_kinds()
    watched = [p for p in planter.plants if p.kind in registry and p.mode in ("internal", "council")]
    assert watched
    for audience in ("public", "council"):
        past = outputs(repo / "plan", tmp_path_factory.mktemp(f"past-{audience}"), audience, ("--rev", "HEAD"))
        leaks = _leaks(watched, {}, past.found(), audience)
        assert not leaks, "\n".join(leaks)
        print(f"\nleak test, history ({audience}): {len(watched)} words of people and services, {past.runs} runs, "
              f"{len(past.blobs)} outputs, {past.size} bytes")


def _counts(planter: Planter, results: dict[str, Outputs], put_back: dict[str, int], shown: set[str], again: dict[str, list[str]]) -> dict[str, Any]:
    plants = planter.plants
    kinds = sorted({p.kind for p in plants})
    fields = sorted({p.field for p in plants})
    return {
        "kinds": len(kinds), "kind_names": kinds,
        "fields_planted": len(fields), "fields_typed": len(planter.typed), "fields_refused_by_lint": sorted(set(planter.refused) - set(fields)),
        "words": len(plants) + len(planter.levels), "modes": len(MODES),
        "outputs_per_audience": {a: len(r.blobs) for a, r in results.items()},
        "runs_per_audience": {a: r.runs for a, r in results.items()},
        "bytes_searched": sum(r.size for r in results.values()),
        "checks": sum(len(plants) * len(r.blobs) for a, r in results.items() if not a.startswith("internal")),
        "words_seen_by_the_administration": len(shown),
        "put_back_by_lint": put_back,
        "refused_then_made_without_withheld_fields": again,
    }
