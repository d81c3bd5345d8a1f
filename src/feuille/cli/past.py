"""The past as it was: which commit a past ``--as-of`` (or ``report annual --year``) reads.

:func:`options.load_plans` asks :func:`revision_for` once per plan folder; everything
about history for ``status``, ``show``, ``prioritise``, ``render`` and ``report`` is here:

- ``--as-of D`` before today, no ``--rev``, the plan in git: the plan as committed at the
  end of D, Brussels time, on the first-parent history (:meth:`Repo.commit_at`);
- ``report annual --year Y``: the last validation (``feuille validate``) dated from 31/12/Y
  to 31/03/Y+1, failing that the last commit on or before 31/12/Y;
- not in git, no commit that old, ``FEUILLE_HISTORY=off``: the files as they are, and it is
  said on stderr (except with ``FEUILLE_HISTORY=off``, which asks for exactly that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from feuille.core.i18n import Msg, When, msg

HISTORY_COMMANDS = frozenset({"status", "show", "prioritise", "render", "report"})


@dataclass(frozen=True, slots=True)
class Past:
    commit: str | None  # the commit to read, None: the files as they are
    note: Msg | str  # what to tell the user (stderr), "" for nothing
    revision: dict[str, str] | None = None  # for Plan.revision (status header, JSON)


def _fr(day: dt.date) -> When:
    return When(day)  # 31/12/2025 in French, 2025-12-31 in English


def revision_for(root: Path, as_of: dt.date, *, annual: int | None = None, today: dt.date | None = None, history: bool = True) -> Past:
    today = today or dt.date.today()
    year_end = dt.date(annual, 12, 31) if annual is not None else None
    if (year_end or as_of) >= today:  # today's plan (the usual run): no git, nothing imported for it
        return Past(None, "")
    if not history:  # FEUILLE_HISTORY=off
        return Past(None, "")
    from feuille.io.history import BRUSSELS, Repo
    from feuille.io.sources import SourceError

    asked = year_end or as_of
    repo = Repo.find(root)
    if repo is None:
        return Past(None, msg("the plan '{root}' is not in a git repository: no history, it is read as it is today (the figures are as of {day}).",
                              root=root, day=_fr(as_of)))
    try:
        if year_end is not None:
            window_end = dt.date(annual + 1, 3, 31)  # type: ignore[operator]
            chosen = [v for v in repo.validations() if year_end <= v.day <= window_end]
            if chosen:
                v = chosen[-1]
                c = repo.info(v.commit)
                note = (msg("history: report {year} on the state validated by {who} on {day} (tag {tag}, commit {commit} of {committed}).",
                            year=annual, who=v.by, day=_fr(v.day), tag=v.tag, commit=c.short, committed=_fr(c.day)) if v.by else
                        msg("history: report {year} on the state validated on {day} (tag {tag}, commit {commit} of {committed}).",
                            year=annual, day=_fr(v.day), tag=v.tag, commit=c.short, committed=_fr(c.day)))
                return Past(c.id, note, _revision(c, "validation", asked, by=v.by, validated=v.day.isoformat(), tag=v.tag))
        c = repo.commit_at(asked)
        if c is None:
            oldest = repo.oldest()
            if oldest is None:
                return Past(None, msg("the git repository of '{root}' has no commit yet: the plan is read as it is today.", root=root))
            if repo.shallow:
                return Past(None, msg("this git clone is shallow: its history starts on {first}, nothing of {day}; the plan is read as it is today. "
                                      "'git fetch --unshallow' fetches the whole history.", first=_fr(oldest.day), day=_fr(asked)))
            return Past(None, msg("no commit is older than the end of {day} (the first is of {first}): the plan is read as it is today.",
                                  day=_fr(asked), first=_fr(oldest.day)))
    except SourceError as exc:
        return Past(None, msg("unreadable history ({problem}): the plan is read as it is today.", problem=exc.msg))
    when = When(c.committed.astimezone(BRUSSELS), with_time=True)
    if year_end is not None:
        note = msg("history: report {year} on the plan as of {end}, commit {commit} of {when} (no validation between {end} and {window}).",
                   year=annual, end=_fr(year_end), commit=c.short, when=when, window=_fr(dt.date(annual + 1, 3, 31)))  # type: ignore[operator]
        return Past(c.id, note, _revision(c, "year_end", asked))
    return Past(c.id, msg("history: the plan as committed at the end of {day}, commit {commit} of {when} ({author}).",
                          day=_fr(asked), commit=c.short, when=when, author=c.author), _revision(c, "as_of", asked))


def _revision(c, kind: str, asked: dt.date, **more: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"kind": kind, "commit": c.id, "short": c.short, "committed": c.committed.isoformat(), "author": c.author,
            "as_of": asked.isoformat(), **{k: v for k, v in more.items() if v}}


def _may_have_validations(root: Path) -> bool:
    """Whether the repository of ``root`` may hold a validation tag, read from its files (no git process):
    the everyday ``status`` of a plan never validated costs nothing.  Unsure (``GIT_DIR`` set, an odd layout): yes."""
    import os

    if os.environ.get("GIT_DIR"):
        return True
    folder = root.resolve()
    for candidate in (folder, *folder.parents):
        dot = candidate / ".git"
        if dot.is_dir():
            git_dir = dot
            break
        if dot.is_file():  # a worktree or a submodule: « gitdir: PATH »
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            if not text.startswith("gitdir:"):
                return True
            git_dir = (candidate / text[7:].strip()).resolve()
            common = git_dir / "commondir"
            if common.is_file():
                git_dir = (git_dir / common.read_text(encoding="utf-8", errors="replace").strip()).resolve()
            break
    else:
        return False  # not in git
    if (git_dir / "refs" / "tags" / "feuille-validation").is_dir() or (git_dir / "reftable").is_dir():
        return True
    try:
        return b"refs/tags/feuille-validation/" in (git_dir / "packed-refs").read_bytes()
    except OSError:
        return False


def validation_of(loaded, as_of: dt.date, no_cache: bool = False, history: bool = True):  # type: ignore[no-untyped-def]
    """The last validation (``feuille validate``) dated on or before ``as_of``, and what changed since in the plan shown
    (:class:`feuille.compute.validation.ValidationState`); None outside git, without validation, or with ``FEUILLE_HISTORY=off``."""
    if not history or not _may_have_validations(loaded.source.root):  # the usual plan, never validated: nothing more is imported
        return None
    from feuille.cli.diff import load_commit
    from feuille.compute.diff import diff
    from feuille.compute.validation import state
    from feuille.io.history import Repo
    from feuille.io.sources import SourceError

    repo = Repo.find(loaded.source.root)
    if repo is None:
        return None
    try:
        found = [v for v in repo.validations() if v.day <= as_of]
        if not found:
            return None
        v = found[-1]
        try:
            validated = load_commit(repo, v.commit, no_cache, as_of).plan
        except SourceError:  # the plan folder was not in that commit
            validated = None
        return state(v.by, v.day, v.tag, v.commit, diff(validated, loaded.plan))
    except SourceError:
        return None
    finally:
        repo.close()
