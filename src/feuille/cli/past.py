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

HISTORY_COMMANDS = frozenset({"status", "show", "prioritise", "render", "report"})


@dataclass(frozen=True, slots=True)
class Past:
    commit: str | None  # the commit to read, None: the files as they are
    note: str  # what to tell the user (stderr), "" for nothing
    revision: dict[str, str] | None = None  # for Plan.revision (status header, JSON)


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


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
        return Past(None, f"le plan « {root} » n'est pas dans un dépôt git : pas d'historique, il est lu tel qu'il est aujourd'hui "
                          f"(les calculs sont faits au {_fr(as_of)}).")
    try:
        if year_end is not None:
            window_end = dt.date(annual + 1, 3, 31)  # type: ignore[operator]
            chosen = [v for v in repo.validations() if year_end <= v.day <= window_end]
            if chosen:
                v = chosen[-1]
                c = repo.info(v.commit)
                by = f" par {v.by}" if v.by else ""
                return Past(c.id, f"historique : rapport {annual} sur l'état validé{by} le {_fr(v.day)} (étiquette {v.tag}, commit {c.short} du "
                                  f"{_fr(c.day)}).", _revision(c, "validation", asked, by=v.by, validated=v.day.isoformat(), tag=v.tag))
        c = repo.commit_at(asked)
        if c is None:
            oldest = repo.oldest()
            if oldest is None:
                return Past(None, f"le dépôt git de « {root} » n'a encore aucun commit : le plan est lu tel qu'il est aujourd'hui.")
            if repo.shallow:
                return Past(None, f"ce clone git est superficiel (shallow) : son historique commence au {_fr(oldest.day)}, rien du {_fr(asked)} ; "
                                  "le plan est lu tel qu'il est aujourd'hui. « git fetch --unshallow » récupère tout l'historique.")
            return Past(None, f"aucun commit n'est antérieur à la fin du {_fr(asked)} (le premier date du {_fr(oldest.day)}) : "
                              "le plan est lu tel qu'il est aujourd'hui.")
    except SourceError as exc:
        return Past(None, f"historique illisible ({exc.message}) : le plan est lu tel qu'il est aujourd'hui.")
    when = c.committed.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")
    if year_end is not None:
        note = (f"historique : rapport {annual} sur le plan au 31/12/{annual}, commit {c.short} du {when} "
                f"(aucune validation entre le 31/12/{annual} et le 31/03/{annual + 1}).")
        return Past(c.id, note, _revision(c, "year_end", asked))
    return Past(c.id, f"historique : le plan tel qu'enregistré à la fin du {_fr(asked)}, commit {c.short} du {when} ({c.author}).",
                _revision(c, "as_of", asked))


def _revision(c, kind: str, asked: dt.date, **more: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"kind": kind, "commit": c.id, "short": c.short, "committed": c.committed.isoformat(), "author": c.author,
            "as_of": asked.isoformat(), **{k: v for k, v in more.items() if v}}


def notify(note: str) -> None:
    if note:
        sys.stderr.write(f"feuille : {note}\n")
