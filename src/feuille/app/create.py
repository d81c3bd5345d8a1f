"""``feuille init``: a new, empty plan that passes lint, its example words and its default title and organisation in
the language asked for (an import that makes a plan from another tool's file: :mod:`feuille.app.imports`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from feuille.core.i18n import context_translator
from feuille.io.scaffold import create

__all__ = ["new_plan"]


def new_plan(directory: Path, *, title: str | None, organisation: str | None, kind: str, today: dt.date, lang: str) -> list[str]:
    """Write a new plan into ``directory`` (never over an existing one): the files written.  Without a title or an
    organisation, those of the language asked for (« Programme stratégique transversal 2024-2030 », « Commune »)."""
    p_ = context_translator(lang)
    return create(directory, title=title if title is not None else p_("new plan", "Cross-cutting strategic programme 2024-2030"),
                  organisation=organisation if organisation is not None else p_("new plan", "Municipality"), kind=kind, today=today, lang=lang)
