"""The exit code of every command, decided in one place, and how a command stops or speaks on stderr.

0: done, and the plan has no error (nor warning, with ``--strict``);
1: done, but the plan has errors (a script notices), or a write was refused for them;
2: nothing could be done: no plan, a revision that does not exist, a mistake in the command.

A command stops by raising a :class:`~feuille.core.errors.UserError` (:func:`fail` makes one): the
frame's one handler (``feuille.cli._app.FeuilleCommand.invoke``) shows it and exits with its code.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NoReturn

import typer

from feuille.core.diagnostics import Severity
from feuille.core.errors import FINDINGS, OK, UNUSABLE, UserError
from feuille.core.i18n import Msg, translator

if TYPE_CHECKING:
    from feuille.pipeline import Loaded

__all__ = ["FINDINGS", "OK", "UNUSABLE", "code_for", "fail", "finish", "note", "said_in"]


def code_for(loaded: Iterable[Loaded], *, strict: bool = False) -> int:
    plans = list(loaded)
    if any(x.fatal for x in plans):
        return UNUSABLE
    worst = Severity.warning if strict else Severity.error
    failed = any(d.severity is not None and d.severity >= worst for x in plans for d in x.diagnostics)
    return FINDINGS if failed else OK


def finish(loaded: Iterable[Loaded], *, strict: bool = False) -> NoReturn:
    """End the command with the exit code its plans call for."""
    raise typer.Exit(code_for(loaded, strict=strict))


def note(message: str | Msg, lang: str, width: int | None = None) -> None:
    """Say one thing to the user on stderr, « feuille : ... », in ``lang``, wrapped to ``width`` (the run's)."""
    from feuille.views.table import wrap_text
    from feuille.views.usage import MESSAGE

    text = message(lang) if isinstance(message, Msg) else message
    _ = translator(lang)
    sys.stderr.write(wrap_text(_(MESSAGE).format(message=text), width) + "\n")


def fail(message: str | Msg, hint: str | Msg = "", *, code: int = UNUSABLE, lang: str | None = None) -> NoReturn:
    """Stop with a message for the user and exit 2 (or ``code``): a :class:`UserError`, shown by the frame's
    handler in ``lang`` (by default the run's: the one asked for, else French)."""
    raise UserError(message, hint, code="usage", exit_code=code, lang=lang)


@contextlib.contextmanager
def said_in(lang: str | None) -> Iterator[None]:
    """The errors raised inside are said in ``lang`` (the plan's, once it is read) unless they chose their own
    (``None``: in the run's language)."""
    try:
        yield
    except UserError as exc:
        if lang is not None:
            exc.said_in(lang)
        raise
