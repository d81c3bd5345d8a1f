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
import sys
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


def revision_for(root: Path, as_of: dt.date, *, annual: int | None = None, today: dt.date | None = None) -> Past:
    from feuille.io.history import BRUSSELS, Repo, env_history_off
    from feuille.io.sources import SourceError

    today = today or dt.date.today()
    if env_history_off():
        return Past(None, "")
    year_end = dt.date(annual, 12, 31) if annual is not None else None
    if year_end is not None and year_end >= today:
        return Past(None, "")
    if year_end is None and as_of >= today:
        return Past(None, "")
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


def notify(note: Msg | str) -> None:
    """A note on stderr, in the language the user asked for."""
    if isinstance(note, Msg):
        from feuille.cli.outcome import command_lang

        note = note(command_lang())
    if note:
        sys.stderr.write(f"feuille : {note}\n")
