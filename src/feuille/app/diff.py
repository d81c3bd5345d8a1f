"""Two versions of a plan to compare (``feuille diff``): two folders, or two git revisions (the files as they are for the second by default).

The versions are read through the one pipeline without rules (a diff needs the items, not the
findings); :func:`feuille.compute.diff.diff` compares them, :mod:`feuille.views.diff` shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from feuille import pipeline
from feuille.compute.diff import diff as compare  # noqa: F401 - re-exported: the command line compares through here
from feuille.compute.diff import item_changes as item_changes
from feuille.compute.diff import located as located
from feuille.compute.diff import titles as titles
from feuille.core.errors import UserError
from feuille.core.i18n import Msg, When, msg
from feuille.core.run import Run
from feuille.io.git import FOLDER_ABSENT, NO_WORK_TREE, NOT_IN_REPOSITORY, SUBFOLDER_ABSENT, Repo
from feuille.io.history import BRUSSELS as BRUSSELS
from feuille.io.sources import SourceError
from feuille.views.diff import Side

if TYPE_CHECKING:
    from feuille import pipeline
    from feuille.io.git import Repo
    from feuille.pipeline import Loaded
    from feuille.views.diff import Side

NOT_IN_GIT = msg("To compare two folders outside git: feuille diff --plan NEW --against OLD.")


@dataclass(slots=True)
class Comparison:
    """The two versions compared (``old`` None: the plan folder did not exist then) and how to name them."""

    old: Loaded | None
    new: Loaded
    a: Side
    b: Side


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
    reuse = pipeline.Reuse()  # two revisions share almost every file: each blob read and validated once
    try:
        try:
            old: Loaded | None = load_side(run, root, commit_a, reuse)
        except SourceError as exc:  # a plan folder added since: everything in it is new
            if not _is(exc, FOLDER_ABSENT, SUBFOLDER_ABSENT):
                raise
            old = None
        if end is None:
            new = load_side(run, root, None)
            b = Side("work", folder=str(root))
        else:
            commit_b, b = rev_side(repo, end)
            new = load_side(run, root, commit_b, reuse)
    finally:
        reuse.close()
        repo.close()
    return Comparison(old, new, a, b)
