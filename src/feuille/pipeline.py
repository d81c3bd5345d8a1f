"""The one way any command gets a plan: ``load(source, as_of) -> Loaded``.

Stages, each adding diagnostics (errors are values) rather than stopping, each
timed in :attr:`Loaded.timings`:

1. **discover** the files of the source (``plan.yaml``, ``people.yaml``,
   objective files, objective folders with one file per action);
2. **read** each file (the parse cache, or the fast YAML reader);
3. **validate** each object with the pydantic model, leniently: an action with one
   bad field is kept without that field, so ``status`` can still show it;
4. **assemble** the objective tree; an item whose id is already taken is left out
   (never merged, never shown twice), so every item has a stable key, its id;
5. **rules**: the cross-file rules, then the plan's own ``rules:`` settings;
6. **locate**: lines and columns for the findings (only the files concerned are
   parsed again).

What could not be read is listed in :attr:`Loaded.left_out` (which objectives,
how many actions, how much budget), so that no command shows or publishes a
partial plan without saying so.  Layout (see docs/format.md): outside any
objective folder each YAML file holds one objective; a folder holding an
``objective.yaml`` is an objective and every other YAML file below it is one of
its actions.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from feuille.checks import rules
from feuille.core._perf import paused_gc
from feuille.core.diagnostics import Diagnostic, Severity
from feuille.core.i18n import Msg, msg
from feuille.core.model import Action, Objective, PeopleFile, Person, PlanFile, Service, SubAction
from feuille.core.plan import Plan, subtree
from feuille.io.cache import FileCache, default_dir
from feuille.io.files import system_reason
from feuille.io.sources import (
    Entry,
    EntryKind,
    FolderSource,
    OverlaySource,
    Source,
    SourceError,
)

if TYPE_CHECKING:
    from feuille.io.built import BuiltStore

PLAN_FILE = "plan.yaml"
PEOPLE_FILE = "people.yaml"
OBJECTIVE_FILE = "objective.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = frozenset({"templates", "node_modules", "site"})
STAGES = ("discover", "read", "validate", "assemble", "rules", "locate")


@dataclass(frozen=True, slots=True)
class LoadOptions:
    use_cache: bool = True
    cache_dir: Path | None = None
    rules: str = "all"  # all | errors (only the rules that can report an error here) | none
    locate: bool = True  # find lines and columns of the findings (lint); others need only counts
    reuse: Reuse | None = None  # many revisions read in a row (history): what they share is read and validated once
    prefetch: Prefetch | None = None  # many plans read in a row (a region): their files parsed ahead by worker processes


class Reuse:
    """What the revisions of one history walk share (``log``, trends, ``diff``), passed in :class:`LoadOptions`.

    Consecutive revisions share almost every file: each git blob is read and validated once.  A file
    that read and validated cleanly is kept built (its objectives and actions), keyed by its blob id,
    path and role; a later revision with the same blob gets the same actions and fresh copies of the
    objectives that hold them (the loader fills and trims their lists), without reading the file again.
    Only what the last revision used is kept, so memory stays that of about two plans.  The cache of
    parsed blobs (io/cache.py) is opened once and written once, by :meth:`close`.

    Across runs, a file built cleanly is also kept on disk by its blob id (io/built.py), so that the next
    ``log``, trend or ``diff`` takes it built without parsing or validating it (:attr:`stored`: files taken so).
    """

    def __init__(self) -> None:
        self.caches: dict[tuple[Path, Path | None], FileCache] = {}
        self.stores: dict[Path, BuiltStore] = {}
        self.built: dict[tuple[str, str, str, str | None], _Built] = {}
        self.used: dict[tuple[str, str, str, str | None], _Built] = {}
        self.hits = 0  # files taken built, for tests and --timings
        self.stored = 0  # ... of which taken from the disk (io/built.py)

    def cache(self, key: Path, directory: Path | None) -> FileCache:
        found = self.caches.get((key, directory))
        if found is None:
            found = self.caches[(key, directory)] = FileCache(key, directory)
        return found

    def store(self, directory: Path) -> BuiltStore:
        found = self.stores.get(directory)
        if found is None:
            from feuille.io.built import BuiltStore  # noqa: PLC0415 (history only: pickle is not on the start-up path)

            found = self.stores[directory] = BuiltStore(directory)
        return found

    def loaded(self) -> None:
        """One revision is loaded: keep only what it used."""
        self.built, self.used = self.used, {}

    def close(self) -> None:
        for cache in self.caches.values():
            cache.save()
        for store in self.stores.values():
            store.save()
        self.caches.clear()
        self.stores.clear()
        self.built.clear()
        self.used.clear()


class Prefetch:
    """Files parsed ahead by worker processes (io/parallel.py): both cores on a cold run.

    A worker reads a file, parses it and works out what the parse cache keeps of it (:func:`_packed`), as
    the loader would; the loader takes that result only for the very bytes it read itself (same content
    digest) and the same role, and parses any other file itself: output is the same with or without it.
    Made by :meth:`start` only where it pays (io/parallel.usable_workers: two CPUs or more, enough YAML).
    One plan's loader makes its own when its cache knows none of its files; for many plans in a row (a
    region), :func:`prefetch_plans` makes one over the plans that have no cache yet, in the order they are
    read, passed in :class:`LoadOptions`: workers parse ahead while the loader validates the plans before.
    """

    def __init__(self, files: list[tuple[str, str]], workers: int) -> None:
        from feuille.io.parallel import ForkMap  # noqa: PLC0415 (a cold run's only)

        self.index = {path: i for i, (path, _role) in enumerate(files)}
        self.roles = [role for _path, role in files]
        self.pool = ForkMap(_parse_file, files, workers)
        self.taken = 0  # files whose worker's result was used, for tests and --timings

    @classmethod
    def start(cls, files: list[tuple[str, str, int]]) -> Prefetch | None:
        """A prefetch of ``files`` (path, role, size), or None where a pool does not pay."""
        from feuille.io.parallel import usable_workers  # noqa: PLC0415 (a cold run's only)

        workers = usable_workers(sum(size for _p, _r, size in files), len(files))
        if not workers:
            return None
        from feuille.core import privacy, xmlchars  # noqa: F401, PLC0415 (what the workers use, imported once, before they start)
        from feuille.io import yamlread  # noqa: F401, PLC0415

        return cls([(path, role) for path, role, _size in files], workers)

    def take(self, path: str, role: str, dg: bytes) -> tuple[Any, ...] | None:
        """The worker's result for the file at ``path`` read as ``role``, if it parsed these very bytes (their digest ``dg``)."""
        i = self.index.pop(path, None)
        if i is None or self.roles[i] != role:
            return None
        found = self.pool.get(i)
        if type(found) is not tuple or len(found) != 4 or found[0] != dg:
            return None
        self.taken += 1
        return found

    def close(self) -> None:
        self.pool.close()


def prefetch_plans(roots: list[Path], options: LoadOptions) -> Prefetch | None:
    """A :class:`Prefetch` of the files of the plans in ``roots`` (read today, in that order) that have no parse cache
    yet, or None where a pool does not pay (:meth:`Prefetch.start`)."""
    from feuille.io.parallel import forced_workers, usable_workers  # noqa: PLC0415 (many plans only)

    if len(roots) < 2 or (forced_workers() is None and usable_workers(1 << 62, 2) == 0):
        return None
    directory = (options.cache_dir or default_dir()) if options.use_cache else None
    files: list[tuple[str, str, int]] = []
    for root in roots:
        source = FolderSource(root)
        if directory is not None:
            known = FileCache.file_for(_cache_key(source), directory)
            if known is None or os.path.lexists(known):  # read before: its cache knows what changed
                continue
        run = _Run(source, dt.date.today(), LoadOptions(use_cache=False, rules="none", locate=False))
        files += run.sized(run.discover())
    return Prefetch.start(files)


@dataclass(slots=True)
class _Built:
    """A file's objective (with its objectives and actions) or action, validated cleanly; see :class:`Reuse`."""

    item: Any  # Objective | Action, never given out itself (the loader changes objectives' lists)
    paths: dict[int, tuple[Any, ...]]  # id(objective or action in item) -> its YAML path in the file
    flags: int  # _PERSONAL | _WITHHOLDS
    # id(objective in item) -> the origins of its actions by object id, and by action id when those are unique
    # (then _Run._keep_unique takes them in one step); made at the first hand-out (the file's path is in the key)
    actions_of: dict[int, tuple[dict[int, Any], dict[str, Any] | None]] | None = None

    def hand_out(self, origins: dict[int, tuple[str, tuple[Any, ...]]], rel: str, prepared: dict[int, dict[str, Any]]) -> Any:
        """The item for one more revision: the same actions, fresh objectives; ``origins`` filled as the loader
        does, and ``prepared``: id(fresh objective) -> its actions' origins by id, for :meth:`_Run._keep_unique`."""
        paths = self.paths
        if type(self.item) is Action:
            origins[id(self.item)] = (rel, paths[id(self.item)])
            for sub in self.item.sub_actions:
                origins[id(sub)] = (rel, paths[id(sub)])
            return self.item
        actions_of = self.actions_of
        if actions_of is None:
            actions_of = self.actions_of = {}
            stack = [self.item]
            while stack:
                o = stack.pop()
                held = [x for a in o.actions for x in (a, *a.sub_actions)]  # the actions and their sub-actions
                by_object = {id(a): (rel, paths[id(a)]) for a in held}
                by_id = {a.id: by_object[id(a)] for a in held}
                actions_of[id(o)] = (by_object, by_id if len(by_id) == len(held) else None)
                stack.extend(o.objectives)

        def fresh(obj: Any) -> Any:
            copy = obj.__copy__()
            d = copy.__dict__
            d["objectives"] = [fresh(o) for o in obj.objectives]
            d["actions"] = list(obj.actions)
            by_object, by_id = actions_of[id(obj)]
            origins.update(by_object)
            if by_id is not None:
                prepared[id(copy)] = by_id
            origins[id(copy)] = (rel, paths[id(obj)])
            return copy

        return fresh(self.item)

    def kept(self) -> tuple[Any, list[tuple[Any, tuple[Any, ...]]], int]:
        """What io/built.py keeps of it: the item, each of its objectives and actions with its YAML path, the flags."""
        pairs = []
        stack = [self.item]
        while stack:
            x = stack.pop()
            pairs.append((x, self.paths[id(x)]))
            if type(x) is Action:
                stack.extend(x.sub_actions)
            elif type(x) is Objective:
                stack.extend(x.objectives)
                stack.extend(x.actions)
        return self.item, pairs, self.flags

    @classmethod
    def from_kept(cls, kept: Any, role: str) -> _Built | None:
        """The inverse of :meth:`kept` (None if ``kept`` is not that, for an item of this role)."""
        if type(kept) is not tuple or len(kept) != 3:
            return None
        item, pairs, flags = kept
        if type(item) is not (Action if role == "action" else Objective) or type(pairs) is not list or type(flags) is not int:
            return None
        paths = {}
        for pair in pairs:
            if type(pair) is not tuple or len(pair) != 2 or type(pair[1]) is not tuple:
                return None
            paths[id(pair[0])] = pair[1]
        if id(item) not in paths:
            return None
        return cls(item, paths, flags)

    @classmethod
    def of(cls, item: Any, origins: dict[int, tuple[str, tuple[Any, ...]]], flags: int) -> _Built:
        paths: dict[int, tuple[Any, ...]] = {}
        stack = [item]
        while stack:
            x = stack.pop()
            paths[id(x)] = origins[id(x)][1]
            if type(x) is Action:
                stack.extend(x.sub_actions)
            elif type(x) is Objective:
                stack.extend(x.objectives)
                stack.extend(x.actions)
        return cls(item, paths, flags)


@dataclass(slots=True)
class LeftOut:
    """Part of the plan that could not be read or kept, and what it held."""

    file: str  # as shown to the user
    code: str  # the diagnostic that says why
    kind: str  # file | objective | action | sub_action
    ids: list[str] = field(default_factory=list)  # the objectives or actions it held (top level of what is missing)
    titles: list[str] = field(default_factory=list)
    actions: int | None = None  # how many actions are missing (None: not known)
    budget: Decimal | None = None  # their planned budget (None: not known)
    from_previous: bool = False  # known from the last version of the file that could be read


@dataclass(slots=True)
class Loaded:
    """A plan as read, with everything found on the way."""

    source: Source
    plan: Plan
    diagnostics: list[Diagnostic] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)  # shown path -> lines, for files with findings
    recovered: Msg | str = ""  # what an interrupted write left, and what was done about it (said once to the user: ``recovered(lang)``)
    parsed: list[str] = field(default_factory=list)  # files parsed in this run (the others came from the cache)
    parsed_ahead: int = 0  # ... of which parsed by worker processes (Prefetch), for tests

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.error)

    @property
    def warnings(self) -> int:
        return self.count(Severity.warning)

    @property
    def fatal(self) -> bool:
        """No plan at all (no plan file): nothing to show, exit 2."""
        return any(d.code == "F110" for d in self.diagnostics)

    def missing_actions(self) -> int:
        """Actions known to be missing (a file never read before may hold more: see :attr:`LeftOut.actions`)."""
        return sum(x.actions or 0 for x in self.left_out)

    def missing_budget(self) -> Decimal:
        return sum((x.budget or Decimal(0) for x in self.left_out), Decimal(0))


def open_source(root: Path, rev: str | None = None) -> Source:
    """The plan folder itself, or the same folder as committed at ``rev`` (:class:`feuille.io.git.GitSource`)."""
    if rev is None:
        return FolderSource(root)
    from feuille.io.git import GitSource  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    return GitSource.open(root, rev)


def load_path(root: Path, as_of: dt.date, *, rev: str | None = None, options: LoadOptions | None = None) -> Loaded:
    """Open the source at ``root`` (and ``rev``) and load it; :class:`SourceError` if it cannot be opened.

    A plan folder where a write was interrupted (io/transaction.py) is first put right: the
    write is completed or rolled back, and :attr:`Loaded.recovered` says what became of each file.
    """
    recovered, problem = ("", None) if rev is not None else _recover(root)
    source = open_source(root, rev)
    try:
        loaded = load(source, as_of, options)
    finally:
        source.close()
    loaded.recovered = recovered
    if problem is not None:
        loaded.diagnostics.insert(0, Diagnostic("F112", str(root / ".feuille-journal"), args={"detail": problem}))
        loaded.plan.error_count = loaded.errors
    return loaded


_JOURNAL = ".feuille-journal"  # io/transaction.JOURNAL (checked in tests/test_pipeline.py), named here so a plan without one imports nothing


def _recover(root: Path) -> tuple[Msg | str, Msg | str | None]:
    if not (root / _JOURNAL).exists():
        return "", None
    from feuille.io.transaction import TransactionError, describe_recovery, recover  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    try:
        return describe_recovery(recover(root)), None
    except TransactionError as exc:
        return "", exc.msg


def load(source: Source, as_of: dt.date, options: LoadOptions | None = None) -> Loaded:
    """Load the plan from ``source``. Never raises for bad input: every problem is a diagnostic."""
    options = options or LoadOptions()
    with paused_gc():
        return _Run(source, as_of, options).run()


def discover(source: Source) -> tuple[list[_Entry], bool]:
    """The files of ``source`` as :func:`load` finds them (its first stage: each one's path, role, blob id and objective
    folder), and whether that stage found anything wrong (a file or folder that cannot be read, no plan file...)."""
    run = _Run(source, dt.date.min, LoadOptions(use_cache=False, rules="none", locate=False))
    entries = run.discover()
    return entries, bool(run.diags or run.loaded.left_out)


class _Run:
    """One load: the stages share the source, the cache and the findings."""

    def __init__(self, source: Source, as_of: dt.date, options: LoadOptions) -> None:
        self.source, self.as_of, self.options = source, as_of, options
        # personal_files and sets_visibility are filled as files are read (_note), from flags kept in the cache
        self.plan = Plan(root=source.root, personal_files=set(), sets_visibility=False)
        self.loaded = Loaded(source, self.plan)
        self.diags = self.loaded.diagnostics
        self.texts: dict[str, str | bytes] = {}  # files parsed in this run (bytes: parsed by a worker, decoded when needed)
        self.values: dict[str, Any] = {}
        self.origins: dict[int, tuple[str, tuple[Any, ...]]] = {}  # id(item) -> where, until ids are checked
        self.dropped: dict[str, Diagnostic] = {}  # rel -> the diagnostic that made a whole file unreadable
        self.not_xml: set[str] = set()  # files with a text no output can hold (F208)
        directory = (options.cache_dir or default_dir()) if options.use_cache else None
        self.reuse = options.reuse
        self.own_reuse = self.reuse is None and directory is not None and getattr(source, "git_dir", None) is not None
        if self.own_reuse:  # one revision (--rev, a validation): its files may be kept built from an earlier run (io/built.py)
            self.reuse = Reuse()
        self.shared_cache = self.reuse is not None and getattr(source, "git_dir", None) is not None
        self.store = self.reuse.store(directory) if self.shared_cache and directory is not None else None  # type: ignore[union-attr]
        self._cache = None if self.shared_cache else FileCache(_cache_key(source), directory)  # a git revision's: opened when first needed
        self._cache_dir = directory
        self.flags: dict[str, int] = {}  # rel -> _PERSONAL | _WITHHOLDS, as noted while reading
        self.ready: dict[str, _Built] = {}  # rel -> the file built by an earlier revision (Reuse)
        self.prepared: dict[int, dict[str, Any]] = {}  # id(objective handed out by Reuse) -> its actions' origins by id
        # the working tree's files built by an earlier run, by content digest (io/built.py); opened when first needed
        self._tree_dir = directory if not self.shared_cache else None
        self._tree_store: BuiltStore | None = None
        self.kept: dict[str, Any] = {}  # rel -> the plan file's PlanFile, or the people file's (services, people), kept built
        self.prefetch = options.prefetch  # files parsed ahead by worker processes (a region's, or this plan's own: read_all)
        self.early: _Early | None = None  # with a prefetch: files validated as they are read (_validate_early)
        self.prepacked: dict[str, tuple[list[Any], bytes]] = {}  # rel -> what a worker packed (_pack), and marshalled

    @property
    def cache(self) -> FileCache:
        """The cache of parsed files; for a git revision, the one its :class:`Reuse` shares, opened only if a file
        is not already built (io/built.py)."""
        if self._cache is None:
            assert self.reuse is not None
            self._cache = self.reuse.cache(_cache_key(self.source), self._cache_dir)
        return self._cache

    def run(self) -> Loaded:
        timings = self.loaded.timings
        start = time.perf_counter()
        try:
            self._stages(timings)
        finally:
            if self.own_reuse:
                self.reuse.close()  # type: ignore[union-attr]
        timings["total"] = time.perf_counter() - start
        return self.loaded

    def _stages(self, timings: dict[str, float]) -> None:
        entries = self._stage(timings, "discover", self.discover)
        self._stage(timings, "read", lambda: self.read_all(entries))
        by_role = self._stage(timings, "validate", lambda: self.validate(entries))
        if self._tree_store is not None:
            self._tree_store.save()
        self._stage(timings, "assemble", lambda: self.assemble(entries, by_role))
        self._stage(timings, "rules", self.check)
        self._stage(timings, "locate", self.locate)
        self.loaded.parsed = sorted(self.texts)
        self.diags.sort(key=Diagnostic.sort_key)
        self.plan.error_count = self.loaded.errors

    @staticmethod
    def _stage(timings: dict[str, float], name: str, fn: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn()
        finally:
            timings[name] = time.perf_counter() - t0

    def shown(self, rel: str) -> str:
        return self.plan.display_path(rel)

    # --- 1. discover ---------------------------------------------------------------

    def discover(self) -> list[_Entry]:
        entries: list[_Entry] = []
        try:
            top = self.source.list_dir("")
        except SourceError as exc:
            self.diags.append(_unreadable(str(self.source.root), exc.message))
            return entries
        names = {e.name: e for e in top}
        plan_name = next((n for n in (PLAN_FILE, "plan.yml") if n in names and names[n].kind is EntryKind.FILE), None)
        if plan_name is None:
            self.diags.append(Diagnostic("F110", str(self.source.root), args={"root": str(self.source.root)}))
        else:
            entries.append(_Entry(plan_name, "plan", names[plan_name].blob))
        people = next((n for n in (PEOPLE_FILE, "people.yml") if n in names and names[n].kind is EntryKind.FILE), None)
        if people is not None:
            entries.append(_Entry(people, "people", names[people].blob))
        seen: set[tuple[int, int]] = set()
        ident = getattr(self.source, "ident", None)  # a folder on disk (or an overlay of one)
        if ident is not None:
            try:
                seen.add(ident())
            except OSError:
                pass
        self._walk("", top, None, entries, seen)
        self.plan.files = [e.rel for e in entries]
        return entries

    def _walk(self, rel_dir: str, items: list[Entry], folder: str | None, entries: list[_Entry], seen: set[tuple[int, int]]) -> None:
        top = rel_dir == ""
        names = {e.name for e in items}
        if not top and OBJECTIVE_FILE in names:
            blob = next(e.blob for e in items if e.name == OBJECTIVE_FILE)
            entries.append(_Entry(_join(rel_dir, OBJECTIVE_FILE), "folder-objective", blob, folder))  # folder: the enclosing one
            folder = rel_dir
        for item in items:
            name = item.name
            if name.startswith((".", "_")):
                continue
            rel = _join(rel_dir, name)
            if item.kind is EntryKind.REFUSED:  # said once here; never read, never walked, never copied
                if (item.folder and not (top and name in SKIPPED_DIRS)) or name.endswith(YAML_SUFFIXES):
                    d = Diagnostic("F113", self.shown(rel), drops=True, args={"detail": item.why or ""})
                    self.diags.append(d)
                    self.loaded.left_out.append(LeftOut(d.file, "F113", "file"))
                continue
            if item.kind is EntryKind.DIR:
                if top and name in SKIPPED_DIRS:
                    continue
                if item.ident is not None:
                    if item.ident in seen:
                        self.diags.append(Diagnostic("F108", self.shown(rel), args={"detail": msg('This folder is a link back to a folder already read (a link loop); it is skipped.')}))
                        continue
                    seen.add(item.ident)
                try:
                    children = self.source.list_dir(rel)
                except SourceError as exc:
                    self.diags.append(_unreadable(self.shown(rel), exc.message))
                    continue
                self._walk(rel, children, folder, entries, seen)
                if item.ident is not None:
                    seen.discard(item.ident)
                continue
            if not name.endswith(YAML_SUFFIXES):
                continue
            if item.kind is EntryKind.SPECIAL:
                self.diags.append(Diagnostic("F111", self.shown(rel)))
                continue
            if item.kind is EntryKind.OTHER:
                d = Diagnostic("F108", self.shown(rel), drops=True, args={"detail": msg('Cannot read this file: it is a link to a missing file (or, in git, a link or a submodule). It is skipped.')})
                self.diags.append(d)
                self.loaded.left_out.append(LeftOut(d.file, "F108", "file"))
                continue
            if top and name in (PLAN_FILE, "plan.yml", PEOPLE_FILE, "people.yml"):
                continue
            if folder is not None and rel_dir == folder and name == OBJECTIVE_FILE:
                continue
            entries.append(_Entry(rel, "objective" if folder is None else "action", item.blob, folder))

    # --- 2. read ------------------------------------------------------------------------

    def read_all(self, entries: list[_Entry]) -> None:
        own = None
        if self.prefetch is None and type(self.source) is FolderSource and not self.cache.known:  # a cold run: both cores?
            own = self.prefetch = Prefetch.start(self.sized(entries))
        if self.prefetch is not None:  # each file validated as it comes, while the workers parse the next ones
            self.early = _Early()
        try:
            self._read_all(entries)
        finally:
            self.prepacked.clear()
            if own is not None:
                own.close()
                self.loaded.parsed_ahead = own.taken
                self.prefetch = None

    def sized(self, entries: list[_Entry]) -> list[tuple[str, str, int]]:
        """The files of ``entries`` a worker may parse ahead (:class:`Prefetch`): path, role and size."""
        files = []
        root = self.source.root
        for entry in entries:
            if entry.blob is None:
                path = os.path.join(root, entry.rel)
                try:
                    files.append((path, entry.role, os.stat(path).st_size))
                except OSError:
                    continue
        return files

    def _read_all(self, entries: list[_Entry]) -> None:
        reuse = self.reuse
        for entry in entries:
            if reuse is not None and entry.blob is not None and entry.role in _BUILT_ROLES:
                key = (entry.blob, entry.rel, entry.role, entry.folder)
                done = reuse.built.get(key) or reuse.used.get(key)
                if done is None and self.store is not None:  # built by an earlier run
                    role = "action" if entry.role == "action" else "objective"
                    done = _Built.from_kept(self.store.get(entry.blob, role), role)
                    reuse.stored += done is not None
                if done is not None:  # the same blob, at the same place, in an earlier revision: nothing to read
                    reuse.used[key] = done
                    reuse.hits += 1
                    self.ready[entry.rel] = done
                    self._note(entry.rel, done.flags)
                    continue
            data = self._read(entry)
            if data is not None:
                self.values[entry.rel] = data
            if self.early is not None:
                self._validate_early(entry)
        if not self.shared_cache:  # a shared cache is written once, by Reuse.close()
            self.cache.forget_except({e.rel for e in entries})
            self.cache.save()

    def _read(self, entry: _Entry) -> Any | None:
        rel, shown = entry.rel, self.shown(entry.rel)
        before = len(self.diags)
        if entry.blob is not None:  # a git revision: the blob id is the content's own hash
            cached = self._unpack(rel, self.cache.lookup_blob(entry.blob))
            if cached is not None:
                return cached
            try:
                raw = self.source.read(rel)
            except SourceError as exc:
                self.diags.append(_unreadable(shown, exc.message))
                self._dropped(entry, before)
                return None
            data = self._parse(raw, rel, shown)
            if data is None:
                self._dropped(entry, before)
            elif (packed := self._pack(entry, data)) and len(self.diags) == before:
                self.cache.put_blob(entry.blob, packed, plain=True)
            return data
        source = self.source
        if rel in getattr(source, "edited", ()):  # a write being checked (OverlaySource): its new bytes, never cached
            data = self._parse(source.read(rel), rel, shown)
            if data is None:
                self._dropped(entry, before)
            else:
                self._pack(entry, data)  # (its flags noted: personal data, visibility)
            return data
        assert isinstance(source, (FolderSource, OverlaySource))
        try:
            st = source.stat(rel)
            if self._tree_dir is not None and self._take_built(entry, self.cache.lookup_known(rel, st)):
                return None
            cached = self._unpack(rel, self.cache.lookup_stat(rel, st))
            if cached is not None:
                self.plan.digests[rel] = self.cache.digest_of(rel)
                return cached
            raw = source.read(rel)
        except OSError as exc:
            self.diags.append(_unreadable(shown, system_reason(exc)))
            self._dropped(entry, before)
            return None
        packed, dg = self.cache.lookup_digest(rel, st, raw)
        self.plan.digests[rel] = dg
        if packed is not None and self._tree_dir is not None and self._take_built(entry, dg):  # touched, or within the racy window
            return None
        cached = self._unpack(rel, packed)
        if cached is not None:
            return cached
        data = self._parse(raw, rel, shown, entry.role, dg)
        if data is None:
            self._dropped(entry, before)
        elif (packed := self._pack(entry, data)) and len(self.diags) == before:
            self.cache.put(rel, st, dg, packed, plain=True, marshalled=self.prepacked.pop(rel, (None, None))[1])
        return data

    @property
    def tree_store(self) -> BuiltStore | None:
        """Items built from the working tree's files, by content digest (io/built.py); None without a cache."""
        if self._tree_store is None and self._tree_dir is not None:
            from feuille.io.built import BuiltStore  # noqa: PLC0415 (a warm run's: pickle is not on the start-up path)

            self._tree_store = BuiltStore(self._tree_dir)
        return self._tree_store

    def _take_built(self, entry: _Entry, dg: bytes | None) -> bool:
        """Whether the file, whose content digest is ``dg`` (known from its stat, or by hashing its bytes), is taken
        built from the store, as an earlier run built it cleanly (its objective or action, its plan settings, its
        services and people): then it is neither parsed nor validated (a warm run builds no validator)."""
        store = self.tree_store if dg is not None else None
        if store is None:
            return False
        assert dg is not None
        role = _KEPT_ROLES[entry.role]
        kept = store.get(dg.hex(), role)
        if kept is None:
            return False
        if role == "plan" or role == "people":
            if not _registry_kept(kept, role):
                return False
            self.kept[entry.rel] = kept
            self._note(entry.rel, 0)  # (a file with a finding of its own, F208 included, is never kept)
        else:
            done = _Built.from_kept(kept, role)
            if done is None:
                return False
            self.ready[entry.rel] = done
            self._note(entry.rel, done.flags)
        self.plan.digests[entry.rel] = dg
        return True

    def _keep_built(self, entry: _Entry, built: dict[str, Any]) -> None:
        """Keep what a file of the working tree was built into, by its content digest, when it was read from the
        parse cache (a second run over the same content: a file parsed for the first time, in a cold run, is
        not kept, so a cold lint pays no pickling) and built with no finding."""
        dg = self.plan.digests.get(entry.rel)
        store = self.tree_store
        if dg is None or store is None:
            return
        role = _KEPT_ROLES[entry.role]
        if role == "plan":
            if self.plan.meta is not None:
                store.put(dg.hex(), role, self.plan.meta)
        elif role == "people":
            store.put(dg.hex(), role, (list(self.plan.services.values()), list(self.plan.people.values())))
        elif (item := built.get(entry.rel)) is not None:
            store.put(dg.hex(), role, _Built.of(item, self.origins, self.flags.get(entry.rel, 0)).kept())
            from feuille.io.built import share  # noqa: PLC0415 (loaded with the store above)

            share(item)  # held from now on as the next run will read it back (memory: core/model.FieldsSet, EMPTY)

    def _pack(self, entry: _Entry, data: Any) -> list[Any]:
        """What the cache keeps of a parsed file: its values and flags worked out once, when the file
        is parsed, about its objectives and actions: whether their texts may hold personal data
        (core/privacy.py) and whether any of them says who may see it (a ``visibility`` key)."""
        pre = self.prepacked.get(entry.rel)
        packed = pre[0] if pre is not None and pre[0][1] is data else _packed(entry.role, data)  # a worker's, made of these values
        self._note(entry.rel, packed[0])
        return packed

    def _unpack(self, rel: str, packed: Any) -> Any | None:
        """The values of what :meth:`_pack` made (None if it is not that: read the file again)."""
        data = _unpacked(packed)
        if data is not None:
            self._note(rel, packed[0])
        return data

    def _note(self, rel: str, flags: int) -> None:
        self.flags[rel] = flags
        if flags & _PERSONAL:
            assert self.plan.personal_files is not None
            self.plan.personal_files.add(rel)
        if flags & _WITHHOLDS:
            self.plan.sets_visibility = True
        if flags & _NOT_XML:
            self.not_xml.add(rel)

    def _parse(self, raw: bytes, rel: str, shown: str, role: str = "", dg: bytes | None = None) -> Any | None:
        from feuille.checks.syntax import problem_diagnostic  # noqa: PLC0415 (only for a file not in the cache)
        from feuille.io import yamlread  # noqa: PLC0415 (the parser is needed only for files not in the cache)

        ahead = self.prefetch.take(os.path.join(self.source.root, rel), role, dg) if self.prefetch is not None and dg is not None else None
        if ahead is not None:  # parsed by a worker, from these very bytes: the same findings and values as below
            _dg, problem_fields, problems_fields, blob = ahead
            if problem_fields is not None:
                self.diags.append(problem_diagnostic(yamlread.ReadProblem(*problem_fields), shown))
                return None
            self.texts[rel] = raw  # decoded only if a finding needs a line (_place)
            self.diags.extend(problem_diagnostic(yamlread.ReadProblem(*p), shown) for p in problems_fields)
            if blob is None:
                return None
            packed = marshal.loads(blob)
            self.prepacked[rel] = (packed, blob)
            return packed[1]
        text, problem = yamlread.decode(raw)
        if problem is not None:
            self.diags.append(problem_diagnostic(problem, shown))
            return None
        assert text is not None
        self.texts[rel] = text
        data, problems = yamlread.read(text)
        self.diags.extend(problem_diagnostic(p, shown) for p in problems)
        return data

    def _dropped(self, entry: _Entry, before: int) -> None:
        """A whole file could not be read: say what it held, from its last readable version if known."""
        why = next((d for d in self.diags[before:] if d.severity == Severity.error), None)
        if why is None:
            return
        why.drops = True
        previous = _unpacked(self.cache.last_good(entry.rel))
        out = LeftOut(self.shown(entry.rel), why.code, "file")
        if previous is not None:
            _describe(previous, entry.role, out)
            out.from_previous = True
        self.loaded.left_out.append(out)

    # --- 3. validate ------------------------------------------------------------------

    def validate(self, entries: list[_Entry]) -> dict[str, Any]:
        """Each file's value as model objects (objectives still carry their raw children)."""
        early = self.early
        built: dict[str, Any] = early.built if early is not None else {}
        if early is not None:  # validated as they were read (files parsed ahead): what that left out comes after the reading's
            self.loaded.left_out.extend(early.left_out)
            self.early = None
        else:
            for entry in entries:
                self._validate_entry(entry, built)
        if self.reuse is not None:
            self.reuse.loaded()
        return built

    def _validate_early(self, entry: _Entry) -> None:
        """Validate ``entry`` as soon as it is read, while worker processes parse the next files (:class:`Prefetch`).
        The same findings as :meth:`validate` later: each is about the entry's own file (they are sorted by file at the
        end), and what is left out is kept apart, then put after what the reading left out, as in that order."""
        early = self.early
        assert early is not None
        reading, self.loaded.left_out = self.loaded.left_out, early.left_out
        try:
            self._validate_entry(entry, early.built)
        finally:
            self.loaded.left_out = reading

    def _validate_entry(self, entry: _Entry, built: dict[str, Any]) -> None:
        reuse = self.reuse
        done = self.ready.get(entry.rel)
        if done is not None:
            built[entry.rel] = done.hand_out(self.origins, entry.rel, self.prepared)
            return
        kept = self.kept.get(entry.rel)
        if kept is not None:
            if entry.role == "plan":
                self.plan.meta = kept
            else:
                self.plan.services.update((s.id, s) for s in kept[0])
                self.plan.people.update((p.id, p) for p in kept[1])
            return
        data = self.values.pop(entry.rel, None)  # the raw values go as their models come: memory holds one plan, not two
        if data is None:
            return
        if reuse is not None and entry.blob is not None and entry.role in _BUILT_ROLES:
            before, out = len(self.diags), len(self.loaded.left_out)
            self._build_entry(entry, data, built)
            item = built.get(entry.rel)
            if item is not None and len(self.diags) == before and len(self.loaded.left_out) == out:  # cleanly: kept for the next revision
                done = _Built.of(item, self.origins, self.flags.get(entry.rel, 0))
                reuse.used[(entry.blob, entry.rel, entry.role, entry.folder)] = done
                if self.store is not None:
                    self.store.put(entry.blob, "action" if entry.role == "action" else "objective", done.kept())
                built[entry.rel] = done.hand_out(self.origins, entry.rel, self.prepared)
            return
        if self._tree_dir is not None and entry.blob is None and entry.rel not in self.texts and entry.rel in self.plan.digests:
            before, out = len(self.diags), len(self.loaded.left_out)  # read from the parse cache: a second run over this content
            self._build_entry(entry, data, built)
            if len(self.diags) == before and len(self.loaded.left_out) == out:
                self._keep_built(entry, built)
            return
        self._build_entry(entry, data, built)

    def _build_entry(self, entry: _Entry, data: Any, built: dict[str, Any]) -> None:
        shown = self.shown(entry.rel)
        if entry.rel in self.not_xml:  # before the item is built: with such a finding, Reuse does not keep it clean
            self._not_xml(data, shown)
        if entry.role == "plan":
            if self._expect_mapping(data, shown, (), ""):
                self.plan.meta = self._validate(PlanFile, data, shown, ())
        elif entry.role == "people":
            self._build_people(data, shown)
        elif entry.role == "action":
            if isinstance(data, dict) and ("actions" in data or "objectives" in data):
                folder = entry.folder or ""
                d = Diagnostic("F309", shown, ("id",) if "id" in data else (), obj_id=_owner(data)[0], obj_title=_owner(data)[1], drops=True, args={"detail": msg("This file is in the folder of objective '{folder}', where each file is an action, but it holds 'actions' or 'objectives': it is an objective. Move it out of this folder, or into a sub-folder named objective.yaml.", folder=folder)})
                self.diags.append(d)
                self._left_out(d, "objective", data)
                return
            built[entry.rel] = self._build_action(data, entry.rel, shown, ())
        else:
            built[entry.rel] = self._build_objective(data, entry.rel, shown, ())

    def _not_xml(self, data: Any, shown: str) -> None:
        """F208 for each text no output can hold (the item is kept: the exports leave the characters out)."""
        from feuille.core import xmlchars  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        for path, text, item in xmlchars.found(data):
            key = next((str(p) for p in reversed(path) if isinstance(p, str)), "?")
            owner = _owner(item)
            self.diags.append(Diagnostic("F208", shown, path, obj_id=owner[0], obj_title=owner[1],
                                         args={"key": key, "chars": xmlchars.shown(text)}))

    def _validate(self, model: type[BaseModel], data: dict[str, Any], shown: str, base: tuple[Any, ...], whole: Any = None) -> Any | None:
        """Validate ``data``; on errors report them (naming the item ``whole`` holds: its id and title)
        and retry without the faulty keys."""
        try:
            return model.__pydantic_validator__.validate_python(data)  # model_validate without its Python frame (x 10,000 actions)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        from feuille.checks.schema_errors import ErrorCap, to_diagnostic  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        owner = _owner(whole)

        cap = self.__dict__.setdefault("_error_cap", ErrorCap())  # bounded problems (and work) per file
        bad_keys = set()
        found = []
        for err in errors:
            if (summary := cap.over(shown)) is not False:
                if err["loc"]:
                    bad_keys.add(err["loc"][0])
                if summary is not True:
                    self.diags.append(summary)
                continue
            d = to_diagnostic(err, model, shown, base, data)
            d.obj_id, d.obj_title = owner
            found.append(d)
            if err["loc"]:
                bad_keys.add(err["loc"][0])
        self.diags.extend(found)
        trimmed = {k: v for k, v in data.items() if k not in bad_keys}
        try:
            return model.model_validate(trimmed)
        except ValidationError:
            for d in found:  # the item itself is lost: these errors cannot be turned down
                d.drops = True
            return None

    def _expect_mapping(self, data: Any, shown: str, path: tuple[Any, ...], key: str) -> bool:
        if isinstance(data, dict):
            return True
        from feuille.checks.schema_errors import describe_value  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        if not path:
            self.diags.append(Diagnostic("F109", shown, args={"found": describe_value(data)}, drops=True))
        else:
            self.diags.append(Diagnostic("F203", shown, path, drops=True, args={"key": key, "expected": msg("a mapping ('key: value')"),
                                                                                 "found": describe_value(data), "example": msg("Each list item starts with '- id: ...'.")}))
        return False

    def _list_at(self, data: dict[str, Any], key: str, shown: str, path: tuple[Any, ...], owner: tuple[str | None, str | None]) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        from feuille.checks.schema_errors import describe_value  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        self.diags.append(Diagnostic("F203", shown, path + (key,), obj_id=owner[0], obj_title=owner[1], args={
            "key": key, "expected": msg('a list'), "found": describe_value(value),
            "example": msg("Write one '- ...' line per item.")}))
        return []

    def _left_out(self, why: Diagnostic, kind: str, data: Any) -> None:
        out = LeftOut(why.file, why.code, kind)
        _describe(data, "objective" if kind == "objective" else "action", out)
        self.loaded.left_out.append(out)

    def _build_action(self, data: Any, rel: str, shown: str, path: tuple[Any, ...]) -> Action | None:
        if not self._expect_mapping(data, shown, path, "actions"):
            return None
        before = len(self.diags)
        raw_subs = data.get("sub_actions")
        head = data if not raw_subs else {k: v for k, v in data.items() if k != "sub_actions"}  # each sub-action on its own: one bad field loses only it
        action = self._validate(Action, head, shown, path, data)
        if action is None:
            self._left_out(self.diags[before], "action", data)
            return None
        self.origins[id(action)] = (rel, path)
        if raw_subs:
            subs = []
            for i, raw in enumerate(self._list_at(data, "sub_actions", shown, path, _owner(data))):
                where = path + ("sub_actions", i)
                if not self._expect_mapping(raw, shown, where, "sub_actions"):
                    continue
                named = {"id": raw.get("id") or f"{action.id}.{i + 1}", "title": raw.get("title")}
                lost = len(self.diags)
                sub = self._validate(SubAction, raw, shown, where, named)
                if sub is None:
                    self.loaded.left_out.append(LeftOut(shown, self.diags[lost].code, "sub_action", [str(named["id"])],
                                                        [str(named["title"])] if named["title"] else []))
                    continue
                self.origins[id(sub)] = (rel, where)
                if sub.id is None:  # the action's id and its place in the file (as name_sub_actions says), not in what is kept
                    sub.__dict__["id"] = named["id"]
                subs.append(sub)
            action.sub_actions = subs
        return action

    def _build_objective(self, data: Any, rel: str, shown: str, path: tuple[Any, ...]) -> Objective | None:
        if not self._expect_mapping(data, shown, path, "objectives"):
            return None
        owner = _owner(data)
        head = {k: v for k, v in data.items() if k not in ("objectives", "actions")}
        before = len(self.diags)
        objective = self._validate(Objective, head, shown, path, data)
        if objective is None:
            self._left_out(self.diags[before], "objective", data)
            return None
        objective.objectives = [o for i, raw in enumerate(self._list_at(data, "objectives", shown, path, owner))
                                if (o := self._build_objective(raw, rel, shown, path + ("objectives", i)))]
        objective.actions = [a for i, raw in enumerate(self._list_at(data, "actions", shown, path, owner))
                             if (a := self._build_action(raw, rel, shown, path + ("actions", i)))]
        self.origins[id(objective)] = (rel, path)
        return objective

    def _build_people(self, data: Any, shown: str) -> None:
        if not self._expect_mapping(data, shown, (), ""):
            return
        head = {k: v for k, v in data.items() if k not in ("people", "services")}
        self._validate(PeopleFile, head, shown, ())
        for key, model, target in (("services", Service, self.plan.services), ("people", Person, self.plan.people)):
            for i, raw in enumerate(self._list_at(data, key, shown, (), (None, None))):
                if not self._expect_mapping(raw, shown, (key, i), key):
                    continue
                item = self._validate(model, raw, shown, (key, i), raw)
                if item is None:
                    continue
                if item.id in target:
                    self.diags.append(Diagnostic("F301", shown, (key, i, "id"), obj_id=item.id, drops=True, args={"id": item.id, "other": shown}))
                    continue
                target[item.id] = item

    # --- 4. assemble ------------------------------------------------------------------

    def assemble(self, entries: list[_Entry], built: dict[str, Any]) -> None:
        plan = self.plan
        folder_objectives: dict[str, Objective | None] = {}
        for entry in entries:  # discovery order: a folder's objective comes before its content
            item = built.get(entry.rel)
            if entry.role == "action":
                holder = folder_objectives.get(entry.folder or "")
                if item is not None and holder is not None:
                    holder.actions.append(item)
                    self.prepared.pop(id(holder), None)  # its actions are no longer those handed out
                elif item is not None:
                    self._orphan(item, entry)
            elif entry.role in ("objective", "folder-objective"):
                if entry.role == "folder-objective":
                    folder_objectives[entry.rel.rsplit("/", 1)[0]] = item
                if item is None:
                    continue
                parent = folder_objectives.get(entry.folder) if entry.folder else None
                if parent is not None:
                    parent.objectives.append(item)
                elif entry.folder is None:
                    plan.objectives.append(item)
                else:
                    self._orphan(item, entry)
        self._keep_unique(plan.objectives, None)

    def _orphan(self, item: Objective | Action, entry: _Entry) -> None:
        """An item read fine whose enclosing folder's objective.yaml could not be read: left out with it."""
        holder = _join(entry.folder or "", OBJECTIVE_FILE)
        why = next((x for x in self.loaded.left_out if x.file == self.shown(holder)), None)
        out = LeftOut(self.shown(entry.rel), why.code if why else "F108", "objective" if isinstance(item, Objective) else "action", [item.id], [item.title])
        _count_model(item, out)
        self.loaded.left_out.append(out)

    def _keep_unique(self, objectives: list[Objective], seen: dict[str, tuple[str, tuple[Any, ...]]] | None) -> None:
        """Leave out every objective or action whose id is already taken (first one in file order wins)."""
        top = seen is None
        seen = {} if seen is None else seen
        if top and self.plan.meta is not None and self.plan.meta.volets:
            self._keep_volets(seen)

        def taken(item: Objective | Action | SubAction) -> bool:
            where = self.origins.get(id(item), ("", ()))
            first = seen.get(item.id)  # type: ignore[arg-type]
            if first is None:
                seen[item.id] = where  # type: ignore[index]
                self.plan.origins[item.id] = where  # type: ignore[index]
                return False
            d = Diagnostic("F301", self.shown(where[0]), where[1] + ("id",), obj_id=item.id, obj_title=item.title, drops=True,
                           args={"id": item.id, "other": self.shown(first[0])})
            self.diags.append(d)
            kind = "objective" if isinstance(item, Objective) else "sub_action" if isinstance(item, SubAction) else "action"
            out = LeftOut(d.file, "F301", kind, [item.id], [item.title])  # type: ignore[list-item]
            if kind != "sub_action":
                _count_model(item, out)  # type: ignore[arg-type]
            self.loaded.left_out.append(out)
            return True

        def kept_subs(action: Action) -> Action | None:
            """The action if its id is new, with those of its sub-actions whose ids are new (a copy when one is left out:
            an action handed out by Reuse is shared with other revisions)."""
            if taken(action):
                return None
            if action.sub_actions:
                subs = [sub for sub in action.sub_actions if not taken(sub)]
                if len(subs) != len(action.sub_actions):
                    action = action.__copy__()
                    action.__dict__["sub_actions"] = subs
            return action

        origins, kept_origins, prepared = self.origins, self.plan.origins, self.prepared
        for obj in list(objectives):
            if taken(obj):
                objectives.remove(obj)
                continue
            ready = prepared.get(id(obj))  # a file read in an earlier revision (Reuse): its actions' ids and origins at once
            if ready is not None and seen.keys().isdisjoint(ready):
                seen.update(ready)
                kept_origins.update(ready)
                self._keep_unique(obj.objectives, seen)
                continue
            for i, a in enumerate(obj.actions):  # the usual case inline (x 10,000 actions): a new id
                if a.id in seen or a.sub_actions:  # from here on, one by one
                    obj.actions = obj.actions[:i] + [k for b in obj.actions[i:] if (k := kept_subs(b)) is not None]
                    break
                seen[a.id] = kept_origins[a.id] = origins.get(id(a), ("", ()))
            self._keep_unique(obj.objectives, seen)
        if top:
            self.origins.clear()
            self.prepared.clear()

    def _keep_volets(self, seen: dict[str, tuple[str, tuple[Any, ...]]]) -> None:
        """The strands of plan.yaml (``volets:``) take their ids first; a second strand of the same id is left out (F301)."""
        meta = self.plan.meta
        assert meta is not None
        rel = next((e for e in self.plan.files if e.startswith("plan.")), PLAN_FILE)
        kept = []
        for i, volet in enumerate(meta.volets):
            where = (rel, ("volets", i))
            first = seen.get(volet.ident)
            if first is not None:
                self.diags.append(Diagnostic("F301", self.shown(rel), ("volets", i, "id" if volet.id else "volet"), obj_id=volet.ident,
                                             obj_title=volet.title, drops=True, args={"id": volet.ident, "other": self.shown(first[0])}))
                continue
            seen[volet.ident] = self.plan.origins[volet.ident] = where
            kept.append(volet)
        meta.volets[:] = kept

    # --- 5. rules and settings ------------------------------------------------------------

    def check(self) -> None:
        if self.options.rules == "none":
            return
        at_least = Severity.error if self.options.rules == "errors" else None
        self.diags.extend(rules.run(self.plan, rules.Context(self.as_of), at_least))
        kept = [d for d in self.diags if self._apply_setting(d)]
        self.diags[:] = kept

    def _apply_setting(self, d: Diagnostic) -> bool:
        """The plan's ``rules:`` settings: a code's severity changed, or the code turned off.

        A finding whose cause drops or merges part of the plan stays an error whatever the settings say.
        """
        meta = self.plan.meta
        if d.drops or meta is None or d.code not in meta.rules:
            return True
        severity = rules.effective_severity(self.plan, d.code)
        if severity is None:
            return False
        d.severity = severity
        return True

    # --- 6. locate --------------------------------------------------------------------

    def locate(self) -> None:
        """Fill in line and column from YAML paths, parsing again only the files concerned."""
        if self.options.locate:
            _place(self.loaded, self.diags, self.texts)


_PERSONAL, _WITHHOLDS = 1, 2  # flags of a file's objectives and actions (_Run._pack)
_NOT_XML = 4  # a text of the file holds a character no output can hold (F208, core/xmlchars.py)
_BUILT_ROLES = frozenset({"objective", "folder-objective", "action"})  # files Reuse keeps built
_KEPT_ROLES = {"plan": "plan", "people": "people", "objective": "objective", "folder-objective": "objective", "action": "action"}  # io/built.py's


def _registry_kept(kept: Any, role: str) -> bool:
    """Whether ``kept`` is what :meth:`_Run._keep_built` keeps for the plan file or the people file."""
    if role == "plan":
        return type(kept) is PlanFile
    return (type(kept) is tuple and len(kept) == 2 and type(kept[0]) is list and type(kept[1]) is list
            and all(type(s) is Service for s in kept[0]) and all(type(p) is Person for p in kept[1]))


def _packed(role: str, data: Any) -> list[Any]:
    """What the parse cache keeps of a file's parsed ``data`` (:meth:`_Run._pack`): [flags, data]."""
    from feuille.core import privacy, xmlchars  # noqa: PLC0415 (only when a file is parsed, not read from the cache)

    if role in ("plan", "people"):
        flags = _NOT_XML if xmlchars.anywhere(data) else 0
    else:
        texts, withholds = _texts_and_visibility(data)  # one walk over the values for both flags
        flags = (_PERSONAL if privacy.any_of(texts) else 0) | (_WITHHOLDS if withholds else 0)
        flags |= _NOT_XML if xmlchars.NOT_XML.search("\n".join(texts)) else 0  # one search over the texts, in C
    return [flags, data]


def _parse_file(item: tuple[str, str]) -> tuple[Any, ...] | None:
    """A worker's part (:class:`Prefetch`): the file at ``path`` read, parsed and packed for its ``role``, as plain data:
    (content digest, the decoding problem or None, the reader's problems, [flags, values] marshalled or None)."""
    from feuille.io import yamlread  # noqa: PLC0415 (a worker's)
    from feuille.io.cache import digest  # noqa: PLC0415

    path, role = item
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None  # the loader says why
    text, problem = yamlread.decode(raw)
    if problem is not None:
        return (digest(raw), _problem_fields(problem), [], None)
    assert text is not None
    data, problems = yamlread.read(text)
    packed = marshal.dumps(_packed(role, data)) if data is not None else None
    return (digest(raw), None, [_problem_fields(p) for p in problems], packed)


def _problem_fields(p: Any) -> tuple[Any, ...]:
    return (p.kind, p.line, p.col, p.detail, p.path)


def _texts_and_visibility(values: Any) -> tuple[list[str], bool]:
    """Every text (numbers as text) among parsed YAML ``values``' values, and whether any mapping has a
    ``visibility`` key: what :func:`feuille.core.privacy.anywhere` looks at, and the visibility flag, in one walk."""
    texts: list[str] = []
    add = texts.append
    withholds = False
    stack = [values]
    pop, extend = stack.pop, stack.extend
    while stack:
        value = pop()
        kind = type(value)
        if kind is dict:
            if not withholds and "visibility" in value:
                withholds = True
            extend(value.values())
        elif kind is str:
            add(value)
        elif kind is list:
            extend(value)
        elif kind is int or kind is float:
            add(str(value))
    return texts, withholds


def _unpacked(packed: Any) -> Any | None:
    """The values in a cache entry made by ``_Run._pack`` (None if it is not one)."""
    if type(packed) is list and len(packed) == 2 and type(packed[0]) is int:
        return packed[1]
    return None


@dataclass(slots=True)
class _Early:
    """Files validated as they were read (:meth:`_Run._validate_early`): their items, and what they left out."""

    built: dict[str, Any] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)


@dataclass(slots=True)
class _Entry:
    rel: str
    role: str  # plan | people | objective | folder-objective | action
    blob: str | None = None
    folder: str | None = None  # the objective folder it belongs to (relative), if any


def locate(loaded: Loaded, diagnostics: list[Diagnostic]) -> None:
    """Lines and columns for diagnostics found after loading (an exporter's checks), as the pipeline does for its own."""
    _place(loaded, diagnostics, {})


def _place(loaded: Loaded, diagnostics: list[Diagnostic], texts: dict[str, str | bytes]) -> None:
    """Fill in line and column from YAML paths, parsing again only the files concerned (``texts``: those already read)."""
    if not diagnostics:
        return
    from feuille.io import yamlread  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    plan = loaded.plan
    rel_of = {plan.display_path(rel): rel for rel in plan.files}
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.file in rel_of:
            by_file[d.file].append(d)
    for shown, diags in by_file.items():
        rel = rel_of[shown]
        text: str | bytes | None = texts.get(rel)
        if type(text) is bytes:  # parsed by a worker (Prefetch): decoded as the reader did
            text = yamlread.decode(text)[0]
        if text is None:
            try:
                text, _problem = yamlread.decode(loaded.source.read(rel))
            except (OSError, SourceError):
                text = None
        if text is None:
            continue
        loaded.sources.setdefault(shown, text.splitlines())
        pending = [d for d in diags if d.line is None]
        if not pending:
            continue
        wanted = {d.path[:i] for d in pending for i in range(len(d.path) + 1)}
        found = yamlread.locate(text, wanted)
        for d in pending:
            for i in range(len(d.path), -1, -1):
                pos = found.get(d.path[:i])
                if pos is None:
                    continue
                # a key rather than its value: when asked, or when the value is a block on the next lines
                if pos.key_line is not None and (pos.key_line != pos.line or (d.on_key and i == len(d.path))):
                    d.line, d.col = pos.key_line, pos.key_col
                else:
                    d.line, d.col = pos.line, pos.col
                break


def _cache_key(source: Source) -> Path:
    commit = getattr(source, "git_dir", None)
    return Path(commit) if commit is not None else source.root


def _join(a: str, b: str) -> str:
    return f"{a}/{b}" if a else b


def _unreadable(shown: str, reason: str | Msg) -> Diagnostic:
    return Diagnostic("F108", shown, drops=True, args={"detail": msg('Cannot read this file or folder: {reason}.', reason=reason)})


def _owner(data: Any) -> tuple[str | None, str | None]:
    if isinstance(data, dict):
        ident, title = data.get("id"), data.get("title")
        return (str(ident) if ident is not None else None, str(title) if title is not None else None)
    return None, None


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _describe(data: Any, role: str, out: LeftOut) -> None:
    """What raw YAML values held: their ids and titles, their actions and planned budget."""
    if not isinstance(data, dict):
        return
    ident, title = _owner(data)
    if ident:
        out.ids.append(ident)
    if title:
        out.titles.append(title)
    out.kind = "action" if role == "action" else "objective"
    count, total = 0, Decimal(0)
    stack = [(data, role == "action")]
    while stack:
        node, is_action = stack.pop()
        if not isinstance(node, dict):
            continue
        if is_action:
            count += 1
            for line in _list(node.get("budget")):
                amount = _amount(line.get("amount")) if isinstance(line, dict) else None
                total += amount or 0
            continue
        stack.extend((a, True) for a in _list(node.get("actions")))  # a scalar where a list belongs (« actions: 3 ») holds nothing
        stack.extend((o, False) for o in _list(node.get("objectives")))
    out.actions, out.budget = count, total


def _count_model(item: Objective | Action, out: LeftOut) -> None:
    """The actions and planned budget of a model item left out."""

    actions = [item] if isinstance(item, Action) else [a for o in subtree(item) for a in o.actions]
    out.actions = len(actions)
    out.budget = sum((line.amount for a in actions for line in a.budget), Decimal(0))


def read_registry(root: Path) -> Plan:
    """Today's ``plan.yaml`` and ``people.yaml`` of the plan folder ``root``, as they are on disk, whatever revision
    the plan itself is read at: who may see a person or a service is always their say (compute/audience.py), so that
    a person made internal, or removed, today never comes back through history.  Nothing else is read (no cache, no
    rules); what cannot be read is left out, and a person or service not found is then not published."""
    source = FolderSource(root)
    run = _Run(source, dt.date.today(), LoadOptions(use_cache=False, rules="none", locate=False))
    try:
        top = {e.name: e for e in source.list_dir("")}
    except SourceError:
        return run.plan
    entries = []
    for role, names in (("plan", (PLAN_FILE, "plan.yml")), ("people", (PEOPLE_FILE, "people.yml"))):
        name = next((n for n in names if n in top and top[n].kind is EntryKind.FILE), None)
        if name is not None:
            entries.append(_Entry(name, role))
    for entry in entries:
        data = run._read(entry)
        if data is not None:
            run.values[entry.rel] = data
    run.validate(entries)
    return run.plan


def registry_today(loaded: Loaded) -> Plan | None:
    """For :func:`feuille.compute.audience.publish`: today's people and services when ``loaded`` is a past revision
    (``--rev``, a past ``--as-of``, a commit of the history), None when it is today's files already."""
    if isinstance(loaded.source, FolderSource):
        return None
    return read_registry(loaded.source.root)
