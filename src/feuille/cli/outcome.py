"""The exit code of every command, decided in one place.

0: done, and the plan has no error (nor warning, with ``--strict``);
1: done, but the plan has errors (a script notices), or a write was refused for them;
2: nothing could be done: no plan, a revision that does not exist, a mistake in the command.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import NoReturn

import typer

from feuille.core.diagnostics import Severity
from feuille.core.i18n import DEFAULT_LANG, N_, Msg, translator
from feuille.pipeline import Loaded

OK, FINDINGS, UNUSABLE = 0, 1, 2


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


def asked_in_context() -> str | None:
    """The language asked for on this command line (:func:`feuille.cli._app.asked_lang`, the one rule):
    the command's --lang, else the one before the command, else FEUILLE_LANG; None if none.  An unknown
    language raises :class:`feuille.cli._app.UnknownLanguage` (refused before parsing, so only when the
    command is called without the group)."""
    import os

    from typer._click.globals import get_current_context  # typer's own copy of Click

    from feuille.cli._app import asked_lang

    ctx = get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    command = ctx.params.get("lang") if ctx is not None and ctx is not root else None
    top = root.params.get("lang") if root is not None else None
    return asked_lang(command, top, os.environ)


def command_lang() -> str:
    """The language of a message written before the plan is read (which cannot know the plan's): the
    one asked for (:func:`asked_in_context`), else French."""
    from feuille.cli._app import UnknownLanguage

    try:
        return asked_in_context() or DEFAULT_LANG
    except UnknownLanguage as exc:
        return exc.fallback


# TRANSLATORS: how a message starts on the terminal (French typography puts a space before the colon)
_PREFIX = N_("feuille: {message}")


def note(message: str | Msg, lang: str | None = None) -> None:
    """Say one thing to the user on stderr, « feuille : ... », in ``lang`` (by default the one asked for)."""
    lang = lang or command_lang()
    text = message(lang) if isinstance(message, Msg) else message
    _ = translator(lang)
    sys.stderr.write(_(_PREFIX).format(message=text) + "\n")


def fail(message: str | Msg, hint: str | Msg = "", *, code: int = UNUSABLE) -> NoReturn:
    """Stop with a message for the user (on stderr) and exit 2 (or ``code``); a :class:`Msg` is shown
    in the language the user asked for."""
    lang = command_lang()
    hint = hint(lang) if isinstance(hint, Msg) else hint
    note(message, lang)
    if hint:
        sys.stderr.write(f"  {hint}\n")
    raise typer.Exit(code)
