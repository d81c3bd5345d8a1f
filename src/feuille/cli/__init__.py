"""The ``feuille`` command line: one small module per command, shared options, one exit-code policy.

Each command parses its options, gets its plans from :func:`feuille.pipeline.load`
(through :func:`feuille.cli.options.load_plans`), calls the library and prints.
Heavy modules are imported inside the commands so that ``feuille --help`` and a
cached ``feuille status`` start fast.
"""

from __future__ import annotations

import copy
import os
import sys

import typer

from feuille.cli import diff, export, import_, init, lint, log, new, prioritise, render, review, schema, show, status, update, validate  # noqa: F401  (each module registers its command)
from feuille.cli._app import app

ORDER = ("lint", "status", "show", "update", "new", "review", "prioritise", "render", "report", "diff", "log", "validate", "export", "import_", "schema",
         "init")  # the order of `feuille --help`
app.registered_commands.sort(key=lambda c: ORDER.index(c.callback.__name__) if c.callback.__name__ in ORDER else len(ORDER))

__all__ = ["app", "main"]


def _frame_gettext():
    """The catalogue of the command line's language (--lang, FEUILLE_LANG, else French), for main()'s own messages."""
    from feuille.cli._app import frame_lang
    from feuille.core.i18n import translator

    return translator(frame_lang(sys.argv[1:], os.environ))


def _for_command(args: list[str]) -> typer.Typer:
    """The app with only the command named in ``args``: typer builds the parameters of every
    registered command on each run (16 commands: ~28 ms of each start-up).  The whole app for
    ``--help``, ``--version`` or a word that is not a command, so help and errors stay the same."""
    names = {(c.name or c.callback.__name__).replace("_", "-").strip("-"): c for c in app.registered_commands}
    i = 0
    while i < len(args):
        if args[i] == "--lang":  # the frame's own option and its value
            i += 2
            continue
        info = None if args[i].startswith("-") else names.get(args[i])
        if info is None:
            return app
        fast = copy.copy(app)  # a shallow copy: the shared app keeps all its commands
        fast.registered_commands = [info]
        return fast
    return app


def main() -> None:
    """Entry point: never show a traceback to a user, unless FEUILLE_DEBUG is set."""
    from feuille.io.console import safe_streams

    safe_streams()  # a cp1252 or ascii console gets « ? » for what it cannot show, never a crash
    # feuille uses no pydantic plugin: skip their discovery (a scan of installed packages)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    code: int | str | None = 0
    try:
        _for_command(sys.argv[1:])()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        _ = _frame_gettext()
        sys.stderr.write("\n" + _("feuille: interrupted.") + "\n")
        code = 130
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("FEUILLE_DEBUG"):
            raise
        _ = _frame_gettext()
        sys.stderr.write(_("feuille: internal error ({error}).").format(error=f"{type(exc).__name__}: {exc}") + "\n  "
                         + _("It is not your fault. Run it again with FEUILLE_DEBUG=1 for the details, and report it.") + "\n")
        code = 2
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `feuille status | head`: the reader left, nothing to report
        pass
    # Everything is written (files atomically, output flushed): skip freeing every
    # object of a large plan one by one at interpreter exit.
    os._exit(code or 0)
