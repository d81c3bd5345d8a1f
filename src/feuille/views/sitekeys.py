"""Each page's key for an incremental render: a digest of everything the page is made from.

``feuille render`` into a folder it wrote before makes again only the pages whose key changed
(io/sitewrite.py keeps the others' files as they are).  A key is a digest of the **published**
data (what the publish filter let through for this audience, compute/audience.py), of the figures
shown (which count the whole plan), of the options, the language and the date, and of feuille
itself (its version, the files of its package: code, templates, translations, and the versions of
the libraries that write the pages).  A wrong key would leave a stale page, so the keys are
coarse and err on the side of making a page again:

- **common**: what every page may show besides the actions: the plan file, the people, the
  services, every objective's own fields, the themes, every page's file name, the notices, the
  history lines, what is withheld; and the options;
- **an action's page**: the common digest and the action's own digest (its published fields, its
  computed figures, its indicators' readings, its budget lines withheld);
- **every other page** (dashboard, objectives, people, services, themes, indicators, priorities,
  the style sheet): the common digest, every action's digest and every figure of the plan (the
  roll-up, the ranking, the indicators): any change anywhere makes them all again.

Keys are given only when the site is made by feuille's own templates alone: a plan's templates
may read anything in their context, so with them every page is made (views/site.py).  Anything
the digest cannot read for certain (an object without a stable text) also turns the keys off.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import os
from decimal import Decimal
from typing import Any

from feuille.compute.rollup import ActionResult
from feuille.core.model import Action, Objective, Person, Service
from feuille.core.plan import Plan

_ITEMS = (Action, Objective, Person, Service)  # digested on their own: named by their id where results refer to them
_SCALARS = (str, int, float, bool, Decimal, dt.date, enum.Enum)  # (dt.datetime is a date)


_UNKEYABLE = "\uffff unkeyable"  # put in a digest's text by what it cannot read for certain: no keys, every page made


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))  # (caches)
    return names


_PLAIN = frozenset({str, int, float, bool, Decimal, dt.date, dt.datetime, type(None)})  # (exactly these types: the common case first)


def _walk(obj: Any, out: list[str], refs: tuple[type, ...]) -> None:
    """``obj`` as text in ``out``: the same text for the same content, in every run; an object of one of the types
    ``refs`` (digested on its own) is named by its id."""
    kind = type(obj)
    if kind in _PLAIN:
        out.append(repr(obj))
    elif kind is list or kind is tuple:
        out.append("[")
        for x in obj:
            if type(x) in _PLAIN:
                out.append(repr(x))
            else:
                _walk(x, out, refs)
                if len(out) > _FLUSH and type(out) is _Sink:  # (a whole plan's figures: digested as they come)
                    out.flush()
        out.append("]")
    elif kind is dict:
        out.append("{")
        for k, v in obj.items():
            _walk(k, out, refs)
            out.append(":")
            if type(v) in _PLAIN:
                out.append(repr(v))
            else:
                _walk(v, out, refs)
        out.append("}")
    elif (names := _FIELDS.get(kind)) is not None and not issubclass(kind, refs):  # a dataclass seen before
        out.append(kind.__name__ + "(")
        for name in names:
            value = getattr(obj, name)
            if type(value) in _PLAIN:
                out.append(repr(value))
            else:
                _walk(value, out, refs)
            out.append(",")
        out.append(")")
    else:
        _walk_other(obj, out, refs)


def _walk_other(obj: Any, out: list[str], refs: tuple[type, ...]) -> None:
    if obj is None or isinstance(obj, _SCALARS):
        out.append(repr(obj))
    elif isinstance(obj, (list, tuple)):
        out.append("[")
        for x in obj:
            _walk(x, out, refs)
        out.append("]")
    elif isinstance(obj, dict):
        out.append("{")
        for k, v in obj.items():
            _walk(k, out, refs)
            out.append(":")
            _walk(v, out, refs)
        out.append("}")
    elif isinstance(obj, (set, frozenset)):
        out.append("{" + ",".join(sorted(repr(x) for x in obj)) + "}")
    elif isinstance(obj, refs):
        item = obj if isinstance(obj, _ITEMS) else obj.action  # (an action's result: named by its action)
        out.append(f"@{type(obj).__name__}:{item.id}")
    elif isinstance(obj, Plan):
        out.append("@plan")
    elif hasattr(obj, "model_dump_json"):  # another model (an indicator, a budget line...): all of it
        out.append(obj.model_dump_json())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out.append(type(obj).__name__ + "(")
        for name in _fields(type(obj)):
            _walk(getattr(obj, name), out, refs)
            out.append(",")
        out.append(")")
    else:
        text = repr(obj)
        out.append(_UNKEYABLE if " at 0x" in text or " object at " in text else f"{type(obj).__name__}:{text}")


_FLUSH = 1 << 16


class _Sink(list[str]):
    """The text of what is digested, handed to the hash every :data:`_FLUSH` pieces (never a whole plan's text at once):
    the digest of ``"\\x01".join`` of every piece."""

    def __init__(self) -> None:
        super().__init__()
        self.hasher = hashlib.blake2b(digest_size=16)
        self.started = False
        self.unkeyable = False

    def flush(self) -> None:
        if not self:
            return
        if _UNKEYABLE in self:
            self.unkeyable = True
        self.hasher.update((("\x01" if self.started else "") + "\x01".join(self)).encode("utf-8", "surrogatepass"))
        self.started = True
        self.clear()


def digest(*parts: Any, refs: tuple[type, ...] = _ITEMS) -> str | None:
    """A digest of ``parts``, or None when one holds something without a stable text."""
    out = _Sink()
    for part in parts:
        _walk(part, out, refs)
        out.append("\x00")
    out.flush()
    return None if out.unkeyable else out.hasher.hexdigest()


#: The libraries that write the pages: (module, distribution name as its .dist-info folder spells it).
_LIBRARIES = (("jinja2", "jinja2"), ("markupsafe", "markupsafe"), ("babel", "babel"), ("markdown_it", "markdown_it_py"), ("pydantic", "pydantic"))


def _library_version(module: str, dist: str) -> str:
    """The installed version of a library, read from the name of its ``.dist-info`` folder beside it (one listing, no
    import: ``importlib.metadata`` searches every path, ~5 ms a library), else from importlib.metadata."""
    import importlib.util  # noqa: PLC0415 (once per render)

    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin:
        folder = os.path.dirname(os.path.dirname(spec.origin))
        prefix = dist.casefold() + "-"
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        found = sorted(n[len(prefix):-len(".dist-info")] for n in names if n.casefold().startswith(prefix) and n.endswith(".dist-info"))
        if len(found) == 1:
            return found[0]
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 (heavy, loaded when first needed)

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


@functools.lru_cache(maxsize=1)
def feuille_itself() -> str:
    """feuille's version, each file of its package (name, size, time: code, templates, translations) and the
    versions of the libraries that write the pages."""
    import feuille  # noqa: PLC0415 (its folder, once per render)

    top = os.path.dirname(os.path.abspath(feuille.__file__))
    files: list[str] = []
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, top)
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            st = os.stat(os.path.join(folder, name))
            files.append(f"{os.path.join(rel, name) if rel != '.' else name}\t{st.st_size}\t{st.st_mtime_ns}")
    libraries = [f"{dist} {_library_version(module, dist)}" for module, dist in _LIBRARIES]
    return digest(feuille.__version__, files, libraries)


class SiteKeys:
    """The keys of a site's pages (see the module docstring), worked out once, when first asked for."""

    def __init__(self, site: Any) -> None:
        self.site = site
        self._actions: dict[str, str | None] | None = None  # action id -> its page's key
        self._others: str | None = None

    def _work_out(self) -> None:
        site = self.site
        plan, published, options = site.plan, site.published, site.options
        common = digest(
            feuille_itself(), options.as_of, options.lang, options.fmt, list(options.notice), site.fmt, published.audience,
            published.withheld, published.hidden_below, published.hidden_lines, site.history,
            plan.meta.model_dump_json() if plan.meta is not None else None,
            [p.model_dump_json() for p in plan.people.values()], [s.model_dump_json() for s in plan.services.values()],
            [r.objective.model_dump_json(exclude={"objectives", "actions"}) for r in site.objectives],
            [(tag.slug, tag.kind, tag.label) for tag in site.tags.values()], site.names._by_key,
            site.due_days, site.stale_days,
        )
        of_item = site.indicators.of_item
        hidden_lines = published.hidden_lines
        own: dict[str, str | None] = {}
        for a in site.rollup.actions:
            ident = a.action.id
            own[ident] = digest(a.action.model_dump_json(), a, a.objective.id, of_item.get(ident, []), hidden_lines.get(ident))

        # every figure: each action's result is in its own digest, named here by its id
        figures = digest(site.rollup, site.ranking, site.indicators, list(own.values()), refs=(*_ITEMS, ActionResult))
        if common is None or figures is None or None in own.values():
            self._actions, self._others = dict.fromkeys(own), None
            return
        self._actions = {ident: digest(common, "action", d) for ident, d in own.items()}
        self._others = digest(common, "others", figures)

    def action(self, ident: str) -> str | None:
        if self._actions is None:
            self._work_out()
        assert self._actions is not None
        return self._actions[ident]

    def row(self, ident: str, root: str) -> str | None:
        """The key of the action ``ident``'s row in the tables of the pages ``root`` away from the site's root (io/rows.py):
        a row shows a part of what the action's page may show (its fields, its figures, its owners' names and pages), so
        it is keyed by that page's key."""
        key = self.action(ident)
        return None if key is None else f"{key}/{root}"

    def others(self) -> str | None:
        if self._actions is None:
            self._work_out()
        return self._others
