"""The plan's history as values: a commit, a validation, the end of a day in Belgium.

:class:`feuille.io.git.Repo` reads them from the repository (the one hardened way git is run);
nothing here runs git.

Dates: a day is a day in Belgium (``Europe/Brussels``); « the plan at the end of
D » is the newest first-parent commit whose committer date is before midnight at the
end of D, Brussels time.  The committer date is when a change entered the history (a
merge, a rebase); the author date, shown by ``feuille log``, is when it was typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHORT = 7  # characters of a commit id shown to people
BRUSSELS = ZoneInfo("Europe/Brussels")
VALIDATION_PREFIX = "feuille-validation/"  # tags refs/tags/feuille-validation/AAAA-MM-JJ[-N]
_SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Commit:
    id: str
    author: str
    email: str
    authored: dt.datetime
    committed: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.id[:SHORT]

    @property
    def day(self) -> dt.date:
        """The day it was committed, Brussels time."""
        return self.committed.astimezone(BRUSSELS).date()


@dataclass(frozen=True, slots=True)
class Validation:
    tag: str  # feuille-validation/2026-11-20
    commit: str
    by: str  # who validated (« Comité de direction »)
    day: dt.date  # the date of the validation
    tagger: str  # who ran feuille validate
    message: str


def end_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the end of ``day`` in Brussels, as an aware datetime."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), BRUSSELS)


def _fields(message: str) -> dict[str, str]:
    out = {}
    for line in message.splitlines():
        key, sep, value = line.partition(":")
        if sep and value.strip():
            out.setdefault(key.strip().lower(), value.strip())
    return out


def validation(name: str, commit: str, tagger: str, message: str) -> Validation | None:
    """A validation tag read back: who validated and when, from its message's « Validé par: » / « Validated by: »
    and « Date: » lines (else the date in its name); None if it has no date."""
    fields = _fields(message)
    try:
        day = dt.date.fromisoformat(fields.get("date", name.rsplit("/", 1)[-1][:10]))
    except ValueError:
        return None
    return Validation(name, commit, fields.get("validé par", fields.get("validated by", "")), day, tagger, message.strip())


__all__ = ["BRUSSELS", "Commit", "SHORT", "VALIDATION_PREFIX", "Validation", "end_of_day", "validation"]
