"""The ``feuille`` command line: one small module per command (it parses its options, calls one use case of
:mod:`feuille.app`, hands the result to one view, exits through :mod:`~feuille.cli.outcome`), the shared options,
the frame.  Heavy modules are imported inside the commands: ``feuille --help`` and a cached status start fast.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# typer, and the frame built on it (cli/_app.py), are imported by the functions below, not here: a
# warm status or lint answered from the cache (app/quick.py) never imports them.

#: Each command and the module that registers it, in the order of `feuille --help`.
COMMANDS = {"lint": "lint", "status": "status", "show": "show", "update": "update", "measure": "measure", "new": "new", "review": "review",
            "prioritise": "prioritise", "render": "render", "report": "render", "diff": "diff", "log": "log",
            "validate": "validate", "export": "export", "import": "import_", "schema": "schema", "init": "init"}
ORDER = tuple(COMMANDS)

__all__ = ["COMMANDS", "app", "main"]


def _name(info: typer.models.CommandInfo) -> str:
    return (info.name or info.callback.__name__).replace("_", "-").strip("-")  # type: ignore[union-attr]


def _registered(module: str) -> None:
    """Import a command's module (its decorators register its commands on the shared app)."""
    import importlib

    importlib.import_module(f"feuille.cli.{module}")


def _all_commands() -> typer.Typer:
    """The app with every command, in the order of `feuille --help`."""
    from feuille.cli import _app

    for module in dict.fromkeys(COMMANDS.values()):
        _registered(module)
    _app.app.registered_commands.sort(key=lambda c: ORDER.index(_name(c)) if _name(c) in ORDER else len(ORDER))
    return _app.app


def __getattr__(name: str) -> object:
    """``feuille.cli.app``: the whole app (a run of ``feuille`` imports only the command it runs)."""
    if name == "app":
        return _all_commands()
    raise AttributeError(name)


def _frame_gettext():
    """The catalogue of the command line's language (--lang, FEUILLE_LANG, else French), for main()'s own messages."""
    from feuille.core.i18n import translator
    from feuille.core.run import frame_lang

    return translator(frame_lang(sys.argv[1:], os.environ))


def _for_command(args: list[str]) -> typer.Typer:
    """The app with only the command named in ``args``, its module alone imported: typer builds the
    parameters of every registered command on each run (16 commands: ~28 ms of each start-up), and
    each module imports what its command needs.  The whole app for ``--help``, ``--version`` or a
    word that is not a command, so help and errors stay the same."""
    import copy

    from feuille.cli import _app

    word = _command_word(args)
    module = COMMANDS.get(word) if word is not None else None
    if module is None:
        return _all_commands()
    _registered(module)
    info = next((c for c in _app.app.registered_commands if _name(c) == word), None)
    if info is None:
        return _all_commands()
    fast = copy.copy(_app.app)  # a shallow copy: the shared app keeps all its commands
    fast.registered_commands = [info]
    return fast


def _command_word(args: list[str]) -> str | None:
    """The command named in ``args`` (after the frame's own ``--lang VALUE``), None for an option first."""
    i = 0
    while i < len(args) and args[i] == "--lang":
        i += 2
    return None if i >= len(args) or args[i].startswith("-") else args[i]


def _load_the_model_shallow(args: list[str]) -> None:
    """Import the plan's model (pydantic builds its validators: a deep recursion) from here, a few
    frames deep, rather than from inside the command's module.  CPython 3.11 keeps Python frames in
    16 KiB chunks, mapped when the stack grows past one and unmapped as soon as it shrinks back: built
    from deep inside typer and the import machinery, the model crossed a chunk boundary back and forth
    373 times (373 mmap/munmap pairs, ~5 ms of every start-up, measured with strace); from here, 6."""
    if _command_word(args) in COMMANDS and "--help" not in args:
        import feuille.pipeline  # noqa: F401  (imports core.model)


def main() -> None:
    """Entry point: never show a traceback to a user, unless FEUILLE_DEBUG is set."""
    from feuille.app.console import safe_streams

    safe_streams()  # a cp1252 or ascii console gets « ? » for what it cannot show, never a crash
    # feuille uses no pydantic plugin: skip their discovery (a scan of installed packages)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    from feuille.app import quick

    if not quick.off():
        kept = quick.answer(sys.argv[1:])  # a warm status or lint: the kept answer, before typer or the model is imported
        if kept is not None:
            os._exit(kept)
    code: int | str | None = 0
    try:
        _load_the_model_shallow(sys.argv[1:])
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
