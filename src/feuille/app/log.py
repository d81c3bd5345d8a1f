"""``feuille log ID``: the history of one objective or action, commit by commit (:func:`feuille.app.history.item_history`
reads only the revisions that may change it), plus what is typed but not committed yet; the item followed by its id even
when it changed file or objective.  An id never found: the closest ids of the whole history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feuille import pipeline
from feuille.app.diff import load_side, open_repo
from feuille.app.history import find_item, item_history, load_commit
from feuille.compute.diff import item_changes, titles
from feuille.compute.filters import closest
from feuille.core.errors import UserError
from feuille.core.i18n import msg, translator
from feuille.core.run import Run
from feuille.core.shell import folder_name
from feuille.io.discovery import find_plans
from feuille.io.history import Commit
from feuille.io.sources import SourceError
from feuille.pipeline import Loaded
from feuille.views.diff import Entry

if TYPE_CHECKING:
    from feuille.io.git import Repo

NOT_IN_GIT = msg("feuille log reads the plan's history from git: put the plan under git (git init, git add ., git commit); "
                 "each later commit is then part of its history.")


@dataclass(slots=True)
class ItemLog:
    """An item's history: its id as found, each change (newest first), what naming them needs, notes to say."""

    ident: str
    entries: list[Entry]
    titles: dict[str, str]
    people: dict[str, str]
    lang: str  # the plan's language, as last read
    work: Loaded | None = None  # the files as they are (None with --rev, or no plan folder)
    shallow_since: dt.date | None = None  # the day a shallow clone's history starts
    title: str = field(init=False, default="")


def item_log(run: Run, path: Path | None, ident: str, rev: str | None) -> ItemLog:
    """The history of ``ident`` in the plan of ``path``, from ``rev`` (by default HEAD, plus the files as they are).

    A sub-action's history is its action's, kept to the changes of the sub-action."""
    [root] = find_plans(path, many=False, command="log")
    repo = open_repo(root, NOT_IN_GIT)
    try:
        commits = repo.commits(rev or "HEAD") if repo.has_commits() else []
        log = _walk(run, root, repo, commits, ident, rev)
        if not any(e.changes for e in log.entries):
            holder = _holder(run, repo, commits, log)
            if holder is not None:
                action, sub = holder
                log = _walk(run, root, repo, commits, action, rev)
                log.entries = [replace(e, changes=[c for c in e.changes if c.item == sub]) for e in log.entries]
                log.entries = [e for e in log.entries if e.changes]
                log.ident = sub
        if not any(e.changes for e in log.entries):  # never found: the closest ids of the whole history, read again
            raise _not_found(run, root, commits, log, rev)
        log.title = next((c.title for e in reversed(log.entries) for c in e.changes if c.item == log.ident),  # the asked item's own title
                         next((c.title for e in reversed(log.entries) for c in e.changes), log.ident))
        log.entries.reverse()  # newest first, as git log
        if repo.shallow:
            oldest = repo.oldest()
            log.shallow_since = oldest.day if oldest is not None else None
    finally:
        repo.close()
    return log


def _walk(run: Run, root: Path, repo: Repo, commits: list[Commit], ident: str, rev: str | None) -> ItemLog:
    """The changes of objective or action ``ident`` along ``commits`` (oldest first), then in the files as they are."""
    walked = item_history(repo, commits, ident, run.use_cache, run.today)
    log = ItemLog(walked.ident, walked.entries, walked.titles, walked.people, walked.lang)
    if rev is None:  # what is typed but not committed yet
        try:
            log.work = load_side(run, root, None)
        except SourceError:
            log.work = None
        if log.work is not None:
            log.lang = log.work.plan.lang
            log.titles.update({o.id: o.title for o, _p, _d in log.work.plan.walk()})
            log.ident, current = find_item(log.work.plan, log.ident)
            changes = item_changes(walked.current, current)
            if changes:
                log.entries.append(Entry(None, "", "", None, "", changes))
    return log


def _holder(run: Run, repo: Repo, commits: list[Commit], log: ItemLog) -> tuple[str, str] | None:
    """The action holding sub-action ``log.ident`` (« a1.1.3 » is A1.1.3) and the sub-action's id, in the files as
    they are, else in the newest revision that has the plan folder; None when no sub-action has that id."""
    plans: list[Any] = [log.work.plan] if log.work is not None else []
    if not plans:
        for c in commits:  # newest first
            try:
                plans.append(load_commit(repo, c.id, run.use_cache, run.today, None).plan)
                break
            except SourceError:  # the plan folder did not exist at that commit
                continue
    wanted = log.ident.casefold()
    for plan in plans:
        for obj, _parent, _depth in plan.walk():
            for action in obj.actions:
                for sub in action.sub_actions:
                    if sub.id is not None and sub.id.casefold() == wanted:
                        return action.id, sub.id
    return None


def _not_found(run: Run, root: Path, commits: list[Commit], log: ItemLog, rev: str | None) -> UserError:
    known: dict[str, str] = {}
    repo = open_repo(root)
    reuse = pipeline.Reuse()
    try:
        for c in reversed(commits):
            try:
                plan: Any = load_commit(repo, c.id, run.use_cache, run.today, reuse).plan
            except SourceError:  # the plan folder did not exist at that commit
                continue
            titles(plan, known)
    finally:
        reuse.close()
        repo.close()
    if rev is None and log.work is not None:
        titles(log.work.plan, known)
    near = closest(log.ident, known)
    _ = translator(run.speak(log.lang))
    name = folder_name(root)  # « la-louviere », never « .. »
    where = _("the history of {root} (since {rev})").format(root=name, rev=rev) if rev else _("the history of {root}").format(root=name)
    return UserError(_("no objective or action '{id}' in {where}.").format(id=log.ident, where=where),
                     _("Closest: {names}.").format(names=near) if near else _("Check the id (feuille status shows it)."), code="usage")
