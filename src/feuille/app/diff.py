"""Two versions of a plan to compare (``feuille diff``): two folders, or two git revisions (the files as they are for the second by default).

The versions are read through the one pipeline without rules (a diff needs the items, not the
findings); :func:`feuille.compute.diff.diff` compares them, :mod:`feuille.views.diff` shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feuille import pipeline
from feuille.compute.diff import Brief, PlanDiff, diff_briefs
from feuille.compute.diff import diff as compare  # noqa: F401 - re-exported: the command line compares through here
from feuille.compute.diff import item_changes as item_changes
from feuille.compute.diff import located as located
from feuille.compute.diff import titles as titles
from feuille.core.errors import UserError
from feuille.core.i18n import Msg, When, msg
from feuille.core.run import Run
from feuille.io.cache import default_dir
from feuille.io.git import FOLDER_ABSENT, NO_WORK_TREE, NOT_IN_REPOSITORY, SUBFOLDER_ABSENT, Repo
from feuille.io.history import BRUSSELS as BRUSSELS
from feuille.io.sources import SourceError
from feuille.views.diff import Side
from feuille.views.format import Formatter, plan_formatter

if TYPE_CHECKING:
    from feuille import pipeline
    from feuille.io.git import Repo
    from feuille.io.itemindex import Record
    from feuille.pipeline import Loaded
    from feuille.views.diff import Side

NOT_IN_GIT = msg("To compare two folders outside git: feuille diff --plan NEW --against OLD.")


@dataclass(slots=True)
class Indexed:
    """Two clean revisions compared from the indexes of their files (io/itemindex.py), and what diff shows of them."""

    result: PlanDiff
    title: str  # the new revision's plan: its title, locale, currency
    locale: str
    currency: str
    people: dict[str, str]  # id -> name, both revisions'


@dataclass(slots=True)
class Comparison:
    """The two versions compared (``old`` None: the plan folder did not exist then) and how to name them; or, for two
    clean revisions whose files are indexed, only their changes (``indexed``: nothing was loaded)."""

    old: Loaded | None
    new: Loaded | None
    a: Side
    b: Side
    indexed: Indexed | None = None

    def loaded(self) -> list[Loaded]:
        """The versions loaded whole (to warn about what they miss)."""
        return [x for x in (self.old, self.new) if x is not None]

    def lang(self) -> str:
        """The new version's language (its locale's)."""
        if self.indexed is not None:
            return "en" if self.indexed.locale.startswith("en") else "fr"
        assert self.new is not None
        return self.new.plan.lang

    def changes(self) -> PlanDiff:
        if self.indexed is not None:
            return self.indexed.result
        assert self.new is not None
        return compare(self.old.plan if self.old is not None else None, self.new.plan)

    def people(self) -> dict[str, str]:
        if self.indexed is not None:
            return self.indexed.people
        return {p.id: p.name for x in self.loaded() for p in x.plan.people.values()}

    def title(self, root: Path) -> str:
        if self.indexed is not None:
            return self.indexed.title
        assert self.new is not None
        return self.new.plan.meta.title if self.new.plan.meta else str(root)

    def formatter(self, lang: str) -> Formatter:
        if self.indexed is not None:
            return Formatter.for_plan(self.indexed.locale, lang, self.indexed.currency)
        return plan_formatter(self.new, lang)


def load_side(run: Run, root: Path, rev: str | None, reuse: pipeline.Reuse | None = None) -> Loaded:
    """One version of the plan, through the one pipeline (no rules: a diff needs the items, not the findings);
    ``reuse``: what revisions read in a row share (:class:`feuille.pipeline.Reuse`)."""

    options = pipeline.LoadOptions(use_cache=run.use_cache, cache_dir=run.cache_dir, rules="none", locate=False, reuse=reuse)
    return pipeline.load_path(root, run.today, rev=rev, options=options)


def _is(exc: Exception, *msgids: str) -> bool:
    """Whether a :class:`SourceError` is one of these catalogue messages (whatever the language it is shown in)."""
    return getattr(getattr(exc, "msg", None), "msgid", None) in msgids


def open_repo(root: Path, outside: Msg = NOT_IN_GIT) -> Repo:
    """The git repository of the plan; outside one, the error says ``outside``: what to do about it for this command."""

    try:
        return Repo.open(root)
    except SourceError as exc:  # what to do about it depends on the command
        if _is(exc, NOT_IN_REPOSITORY, NO_WORK_TREE):
            exc.hint_msg = outside
        raise


def rev_side(repo: Repo, rev: str, why: str | None = None, detail: str | None = None) -> tuple[str, Side]:
    """The commit of ``rev`` and how to name it."""

    commit = repo.resolve(rev)
    c = repo.info(commit)
    return commit, Side("commit", commit, rev, c.committed.astimezone(BRUSSELS), why=why, detail=detail)


def folders(run: Run, root: Path, other: Path) -> Comparison:
    """The plan folder ``root`` against another folder, ``other`` (the older version), without git."""

    return Comparison(load_side(run, other, None), load_side(run, root, None), Side("folder", folder=str(other)), Side("folder", folder=str(root)))


def revisions(run: Run, root: Path, rev_a: str | None, rev_b: str | None, since: dt.date | None = None, since_validation: bool = False) -> Comparison:
    """The plan at ``rev_a`` (by default HEAD; « A...B »: since the common ancestor of A and B; « A..B »: A against B)
    against ``rev_b`` (by default the files as they are); or since the end of the day ``since``, or since the last
    validation, against ``rev_a`` if given."""

    repo = open_repo(root)
    if since is not None and since_validation:
        raise UserError(msg("--since and --since-validation exclude each other: choose one."), code="usage")
    if (since is not None or since_validation) and rev_b is not None:
        raise UserError(msg("with --since or --since-validation, give one revision at most: the version to compare with."),
                        msg("Example: {example} (up to the current files), or {other}", example="feuille diff --since 2026-01-01",
                            other="feuille diff --since 2026-01-01 HEAD"), code="usage")
    start: str | None = None
    why: str | None = None
    detail: str | None = None
    end = rev_b
    if since is not None:
        c = repo.commit_at(since)
        if c is None:
            oldest = repo.oldest()
            where: Msg | str = ""
            if oldest is not None and repo.shallow:
                where = msg(" (the first is of {day}, a shallow clone: 'git fetch --unshallow' fetches the rest)", day=When(oldest.day))
            elif oldest is not None:
                where = msg(" (the first is of {day})", day=When(oldest.day))
            raise UserError(msg("no commit is older than the end of {day}{where}.", day=When(since), where=where),
                            msg("Choose a later date, or a revision: {example}", example="feuille diff HEAD~5"), code="history")
        start, why, detail = c.id, "since", since.isoformat()
        end = rev_a
    elif since_validation:
        found = repo.validations()
        if not found:
            raise UserError(msg("no validation is recorded in this repository."),
                            msg("Record one with: {example}", example=msg('feuille validate --by "Management board"')), code="history")
        v = found[-1]
        start = v.commit
        why, detail = "validation", f"{v.by}|{v.day.isoformat()}"
        end = rev_a
    elif rev_a is not None and "..." in rev_a:
        x, _, y = rev_a.partition("...")
        start, end = repo.merge_base(x or "HEAD", y or "HEAD"), y or "HEAD"
        why, detail = "base", f"{x or 'HEAD'} / {y or 'HEAD'}"
    elif rev_a is not None and ".." in rev_a:
        x, _, y = rev_a.partition("..")
        start, end = x or "HEAD", y or "HEAD"
    else:
        start = rev_a or "HEAD"

    commit_a, a = rev_side(repo, start, why, detail)
    if end is not None:
        commit_b, b = rev_side(repo, end)
    index = _Index(run) if end is not None and run.use_cache else None
    if index is not None:
        try:
            indexed = index.compare(repo, commit_a, commit_b)
        finally:
            index.save()
        if indexed is not None:
            repo.close()
            return Comparison(None, None, a, b, indexed)
    reuse = pipeline.Reuse()  # two revisions share almost every file: each blob read and validated once
    try:
        try:
            old: Loaded | None = load_side(run, root, commit_a, reuse)
        except SourceError as exc:  # a plan folder added since: everything in it is new
            if not _is(exc, FOLDER_ABSENT, SUBFOLDER_ABSENT):
                raise
            old = None
        if index is not None and old is not None:
            index.learn(commit_a, old, reuse)
        if end is None:
            new = load_side(run, root, None)
            b = Side("work", folder=str(root))
        else:
            new = load_side(run, root, commit_b, reuse)
            if index is not None:
                index.learn(commit_b, new, reuse)
    finally:
        reuse.close()
        repo.close()
        if index is not None:
            index.save()
    return Comparison(old, new, a, b)


class _Objective:
    """An objective of a revision read from the indexes, placed in the plan's tree as the loader places it: its brief,
    its actions' briefs, its objectives."""

    __slots__ = ("actions", "brief", "objectives")

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.actions: list[Brief] = []
        self.objectives: list[_Objective] = []


@dataclass(slots=True)
class _Revision:
    """A clean revision as its indexes tell it: its items' briefs by id (:func:`feuille.compute.diff.index`'s order),
    its objective ids in plan order, its plan file's summary and its people."""

    briefs: dict[str, Brief]
    order: list[str]
    plan: tuple[str, str, str, tuple[str, ...]]
    people: tuple[tuple[str, str], ...]


class _Index:
    """The indexes of the files of git revisions (io/itemindex.py): a diff of two revisions read from them, or, when one
    is missing, what to index after loading the revisions whole (:meth:`learn`)."""

    def __init__(self, run: Run) -> None:
        from feuille.io.built import BuiltStore  # noqa: PLC0415 (history only: pickle is not on the start-up path)
        from feuille.io.itemindex import IndexStore  # noqa: PLC0415

        directory = run.cache_dir or default_dir()
        self.store = IndexStore(directory)
        self.built = BuiltStore(directory)
        self.entries: dict[str, list[Any]] = {}  # commit -> its files, as the loader discovered them
        self.missing: set[tuple[str, str]] = set()  # (blob, role) not indexed
        self.again = False  # an index could not be used: every file read is indexed again

    def save(self) -> None:
        self.store.save()

    def compare(self, repo: Repo, commit_a: str, commit_b: str) -> Indexed | None:
        """The diff of ``commit_a`` and ``commit_b`` from the indexes; None if a file is not indexed or a revision is not
        clean (then the revisions are loaded whole: the one way to say what is wrong)."""
        from feuille.io.itemindex import _Missing  # noqa: PLC0415

        old, new = self._revision(repo, commit_a), self._revision(repo, commit_b)
        if old is None or new is None:
            return None
        order = list(new.order)
        seen = set(order)
        order += [o for o in old.order if o not in seen]
        store = self.store
        try:
            result = diff_briefs(old.briefs, new.briefs, order, lambda b: store.item(*b.ref))
        except _Missing:  # a payload removed or damaged: the files indexed again after the whole reading
            self.again = True
            return None
        people = dict(old.people)
        people.update(new.people)
        title, locale, currency, _volets = new.plan
        return Indexed(result, title, locale, currency, people)

    def _revision(self, repo: Repo, commit: str) -> _Revision | None:
        try:
            source = repo.source_at(commit)
        except SourceError:
            return None
        try:
            entries, wrong = pipeline.discover(source)
        finally:
            repo.done(source)
        self.entries[commit] = entries
        if wrong:
            return None
        plan: Any = None
        people: Any = ()
        files: list[tuple[Any, str, tuple[Record, ...]]] = []
        for entry in entries:
            if entry.blob is None:
                return None
            role = "action" if entry.role == "action" else "objective" if entry.role in ("objective", "folder-objective") else entry.role
            found = self.store.get(entry.blob, role)
            if found is None:
                found = self._from_built(entry.blob, role)
            if found is None:
                self.missing.add((entry.blob, role))
            elif entry.role == "plan":
                plan = found
            elif entry.role == "people":
                people = found
            else:
                files.append((entry, role, found))
        if self.missing or plan is None:
            return None
        objectives = self._assemble(files)
        if objectives is None:
            return None
        ids = list(plan[3])
        for _entry, _role, recs in files:
            for r in recs:
                ids.append(r[1])
                ids += r[5]
        if len(ids) != len(set(ids)):
            return None  # an id taken twice: the loader leaves one out and says so
        briefs: dict[str, Brief] = {}
        order: list[str] = []
        stack: list[tuple[_Objective, str | None]] = [(o, None) for o in reversed(objectives)]
        while stack:  # Plan.walk's order, each objective followed by its actions (compute.diff.index)
            obj, parent = stack.pop()
            b = obj.brief
            order.append(b.id)
            briefs[b.id] = Brief("objective", b.id, b.title, parent, b.file, b.digest, b.ref) if parent != b.parent else b
            for a in obj.actions:
                briefs[a.id] = a if a.parent == b.id else Brief("action", a.id, a.title, b.id, a.file, a.digest, a.ref)
            stack.extend((child, b.id) for child in reversed(obj.objectives))
        return _Revision(briefs, order, plan, people)

    def _from_built(self, blob: str, role: str) -> Any:
        """The records of a file kept built by an earlier run (io/built.py), indexed now."""
        if role not in ("objective", "action"):
            return None
        from feuille.core.model import Action, Objective  # noqa: PLC0415
        from feuille.io.itemindex import records  # noqa: PLC0415

        kept = self.built.get(blob, role)
        if type(kept) is not tuple or len(kept) != 3 or type(kept[0]) is not (Action if role == "action" else Objective):
            return None
        found = records(kept[0])
        self.store.put(blob, role, found)
        return found[0]

    @staticmethod
    def _assemble(files: list[tuple[Any, str, tuple[Record, ...]]]) -> list[_Objective] | None:
        """The tree of objectives as the loader assembles it (pipeline._Run.assemble); None if an item would be left out."""
        objectives: list[_Objective] = []
        folders: dict[str, _Objective] = {}
        for entry, role, recs in files:
            rel, ref = entry.rel, (entry.blob, role)
            held: list[_Objective | None] = []  # by record: its objective (None for an action)
            top: _Objective | Brief | None = None
            for r in recs:
                holder = held[r[2]] if r[2] >= 0 else None  # (the records of a file: holders first)
                brief = Brief(r[0], r[1], r[3], holder.brief.id if holder is not None else None, rel, r[4], (*ref, r))
                obj = _Objective(brief) if r[0] == "objective" else None
                held.append(obj)
                if r[2] < 0:
                    top = obj or brief
                elif holder is None:
                    return None
                elif obj is None:
                    holder.actions.append(brief)
                else:
                    holder.objectives.append(obj)
            if entry.role == "action":
                folder = folders.get(entry.folder or "")
                if not isinstance(top, Brief) or folder is None:
                    return None
                folder.actions.append(top)
            else:
                if not isinstance(top, _Objective):
                    return None
                if entry.role == "folder-objective":
                    folders[entry.rel.rsplit("/", 1)[0]] = top
                holder_ = folders.get(entry.folder) if entry.folder else None
                if holder_ is not None:
                    holder_.objectives.append(top)
                elif entry.folder is None:
                    objectives.append(top)
                else:
                    return None
        return objectives

    def learn(self, commit: str, loaded: Loaded, reuse: pipeline.Reuse) -> None:
        """After a revision was loaded whole: index those of its files that were not (the files kept built by ``reuse``:
        built cleanly; the plan and people files if nothing in the revision is wrong)."""
        if not self.missing and not self.again:
            return
        from feuille.io.itemindex import people_summary, plan_summary, records  # noqa: PLC0415

        for (blob, _rel, role, _folder), done in reuse.built.items():
            key = (blob, "action" if role == "action" else "objective")
            if key in self.missing or self.again:
                self.store.put(*key, records(done.item))
                self.missing.discard(key)
        if loaded.diagnostics or loaded.left_out:
            return
        for entry in self.entries.get(commit, ()):
            if entry.role == "plan" and (entry.blob, "plan") in self.missing and loaded.plan.meta is not None:
                self.store.put(entry.blob, "plan", plan_summary(loaded.plan.meta))
            elif entry.role == "people" and (entry.blob, "people") in self.missing:
                self.store.put(entry.blob, "people", people_summary(loaded.plan.people))
