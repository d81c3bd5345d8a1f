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

from feuille.core.i18n import N_

HISTORY_COMMANDS = frozenset({"status", "show", "prioritise", "render", "report"})


@dataclass(frozen=True, slots=True)
class Past:
    commit: str | None  # the commit to read, None: the files as they are
    note: tuple[str, dict[str, object]] | None  # what to tell the user (stderr): a catalogue msgid and its values; None: nothing
    revision: dict[str, str] | None = None  # for Plan.revision (status header, JSON)


def _day(day: dt.date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def note_text(note: tuple[str, dict[str, object]] | None, lang: str) -> str:
    """A note in ``lang`` through the catalogue; dates (``datetime.date`` values) written as the language writes them."""
    from feuille.core.i18n import translator

    if not note:
        return ""
    _ = translator(lang)
    msgid, values = note
    shown = {k: (_day(v, lang) if isinstance(v, dt.date) and not isinstance(v, dt.datetime)
                 else v.strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else v)
             for k, v in values.items()}
    return _(msgid).format(**shown)


NOT_IN_GIT = N_("the plan '{root}' is not in a git repository: no history, it is read as it is today (the figures are computed as of {date}).")
VALIDATED = N_("history: {year} report on the state validated by {by} on {date} (tag {tag}, commit {short} of {day}).")
VALIDATED_NOBODY = N_("history: {year} report on the state validated on {date} (tag {tag}, commit {short} of {day}).")
NO_COMMIT = N_("the git repository of '{root}' has no commit yet: the plan is read as it is today.")
SHALLOW = N_("this git clone is shallow: its history starts on {oldest}, nothing from {date}; the plan is read as it is today. "
             "'git fetch --unshallow' fetches the whole history.")
TOO_OLD = N_("no commit is older than the end of {date} (the first one is of {oldest}): the plan is read as it is today.")
UNREADABLE = N_("history unreadable ({error}): the plan is read as it is today.")
YEAR_END = N_("history: {year} report on the plan at {date}, commit {short} of {when} (no validation between {date} and {window}).")
AS_OF = N_("history: the plan as committed at the end of {date}, commit {short} of {when} ({author}).")
MISSING_THEN = N_("{error} The plan is read as it is today.")


def revision_for(root: Path, as_of: dt.date, *, annual: int | None = None, today: dt.date | None = None) -> Past:
    today = today or dt.date.today()
    year_end = dt.date(annual, 12, 31) if annual is not None else None
    if (year_end or as_of) >= today:  # today's plan (the usual run): no git, nothing imported for it
        return Past(None, None)
    from feuille.io.history import BRUSSELS, Repo, env_history_off
    from feuille.io.sources import SourceError

    if env_history_off():
        return Past(None, None)
    asked = year_end or as_of
    repo = Repo.find(root)
    if repo is None:
        return Past(None, (NOT_IN_GIT, {"root": root, "date": as_of}))
    try:
        if year_end is not None:
            window_end = dt.date(annual + 1, 3, 31)  # type: ignore[operator]
            chosen = [v for v in repo.validations() if year_end <= v.day <= window_end]
            if chosen:
                v = chosen[-1]
                c = repo.info(v.commit)
                values = {"year": annual, "by": v.by, "date": v.day, "tag": v.tag, "short": c.short, "day": c.day}
                return Past(c.id, (VALIDATED if v.by else VALIDATED_NOBODY, values),
                            _revision(c, "validation", asked, by=v.by, validated=v.day.isoformat(), tag=v.tag))
        c = repo.commit_at(asked)
        if c is None:
            oldest = repo.oldest()
            if oldest is None:
                return Past(None, (NO_COMMIT, {"root": root}))
            if repo.shallow:
                return Past(None, (SHALLOW, {"oldest": oldest.day, "date": asked}))
            return Past(None, (TOO_OLD, {"date": asked, "oldest": oldest.day}))
    except SourceError as exc:
        return Past(None, (UNREADABLE, {"error": exc.message}))
    when = c.committed.astimezone(BRUSSELS).replace(tzinfo=None)
    if year_end is not None:
        values = {"year": annual, "date": year_end, "short": c.short, "when": when, "window": dt.date(annual + 1, 3, 31)}  # type: ignore[operator]
        return Past(c.id, (YEAR_END, values), _revision(c, "year_end", asked))
    return Past(c.id, (AS_OF, {"date": asked, "short": c.short, "when": when, "author": c.author}), _revision(c, "as_of", asked))


def _revision(c, kind: str, asked: dt.date, **more: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"kind": kind, "commit": c.id, "short": c.short, "committed": c.committed.isoformat(), "author": c.author,
            "as_of": asked.isoformat(), **{k: v for k, v in more.items() if v}}


def say(note: tuple[str, dict[str, object]] | None, lang: str) -> None:
    """The note on stderr, in ``lang``."""
    text = note_text(note, lang)
    if text:
        sys.stderr.write(f"feuille : {text}\n")


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


def validation_of(loaded, as_of: dt.date, no_cache: bool = False):  # type: ignore[no-untyped-def]
    """The last validation (``feuille validate``) dated on or before ``as_of``, and what changed since in the plan shown
    (:class:`feuille.compute.validation.ValidationState`); None outside git, without validation, or with ``FEUILLE_HISTORY=off``."""
    from feuille.cli.diff import load_commit
    from feuille.compute.diff import diff
    from feuille.compute.validation import state
    from feuille.io.history import Repo, env_history_off
    from feuille.io.sources import SourceError

    if env_history_off() or not _may_have_validations(loaded.source.root):
        return None
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
