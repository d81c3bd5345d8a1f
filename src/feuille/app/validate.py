"""Record that a plan, as committed, was validated (``feuille validate``): an annotated git tag
``feuille-validation/YYYY-MM-DD`` saying who validated it and when.

Nothing in the plan's files changes (so nothing goes through the write service's rules and no action is reviewed):
the tag is written by the one hardened git runner (:class:`feuille.io.git.Repo`), never moved nor replaced: a second
validation on the same day gets ``-2``, ``-3``...  :func:`prepare` says what would be recorded, :func:`record`
records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from feuille.app.diff import load_side, open_repo
from feuille.core.errors import UserError
from feuille.core.i18n import msg
from feuille.core.run import Run
from feuille.io.discovery import find_plans
from feuille.io.history import VALIDATION_PREFIX

if TYPE_CHECKING:
    from feuille.io.git import Repo
    from feuille.pipeline import Loaded

#: the most a « --by » may say
MAX_BY = 200


@dataclass(slots=True)
class Validation:
    """A validation to record: the tag ``name`` on ``commit`` with ``message`` (in the plan's language)."""

    repo: Repo
    loaded: Loaded
    by: str
    day: dt.date
    name: str
    commit: str
    short: str
    subject: str
    message: str
    uncommitted: bool  # the plan's folder has changes not committed (not part of the validation)


def who(by: str) -> str:
    """``--by`` with its spaces tidied; a :class:`UserError` if it says nobody or too much."""
    by = " ".join(by.split())
    if not by or len(by) > MAX_BY:
        raise UserError(msg("say who validated with --by (200 characters at most)."),
                        msg("Example: {example}", example=msg('feuille validate --by "Management board"')), code="usage")
    return by


def prepare(run: Run, path: Path | None, by: str, day: dt.date, rev: str | None = None) -> Validation:
    """What validating the plan at ``path`` (its commit ``rev``, HEAD by default) would record; nothing is written."""
    by = who(by)
    [root] = find_plans(path, many=False, command="validate")
    repo = open_repo(root, msg("feuille validate records a git tag: put the plan under git first (git init, git add ., git commit), "
                               "then run it again."))
    commit = repo.resolve(rev or "HEAD")
    c = repo.info(commit)
    loaded = load_side(run, root, commit)
    name = f"{VALIDATION_PREFIX}{day.isoformat()}"
    n = 2
    while repo.tag_exists(name):  # a tag is never moved nor replaced
        name = f"{VALIDATION_PREFIX}{day.isoformat()}-{n}"
        n += 1
    title = loaded.plan.meta.title if loaded.plan.meta else str(root)
    # the tag's text is in the plan's language; the « Validé par: » / « Validated by: » and « Date: » lines are read back (io/history.py)
    # TRANSLATORS: keep "Validé par:", "Date:" and "Commit:" exactly (no space before the colon): feuille reads them back.
    message = msg("Validation of the plan '{title}'\n\nValidated by: {by}\nDate: {day}\nCommit: {commit}\nFolder: {folder}\n\n"
                  "Recorded with 'feuille validate'.\n", title=title, by=by, day=day.isoformat(), commit=commit, folder=repo.prefix or ".")(loaded.plan.lang)
    return Validation(repo, loaded, by, day, name, commit, c.short, c.subject, message, rev is None and repo.dirty())


def record(validation: Validation) -> None:
    """Write the tag of ``validation`` (git's own refusal, if any, is said by the runner)."""
    validation.repo.add_tag(validation.name, validation.commit, validation.message)
