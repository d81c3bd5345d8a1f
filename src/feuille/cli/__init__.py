"""The ``feuille`` command line: one small module per command, shared options, one exit-code policy.

Each command parses its options, gets its plans from :func:`feuille.pipeline.load`
(through :func:`feuille.cli.options.load_plans`), calls the library and prints.
Heavy modules are imported inside the commands so that ``feuille --help`` and a
cached ``feuille status`` start fast.
"""

from __future__ import annotations

import os
import sys

from feuille.cli import export, import_, init, lint, new, prioritise, render, review, schema, show, status, update  # noqa: F401  (each module registers its command)
from feuille.cli._app import app

ORDER = ("lint", "status", "show", "update", "new", "review", "prioritise", "render", "report", "export", "import_", "schema", "init")  # the order of `feuille --help`
app.registered_commands.sort(key=lambda c: ORDER.index(c.callback.__name__) if c.callback.__name__ in ORDER else len(ORDER))

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: never show a traceback to a user, unless FEUILLE_DEBUG is set."""
    from feuille.io.console import safe_streams

    safe_streams()  # a cp1252 or ascii console gets « ? » for what it cannot show, never a crash
    # feuille uses no pydantic plugin: skip their discovery (a scan of installed packages)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        sys.stderr.write("\nfeuille : interrompu.\n")
        code = 130
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("FEUILLE_DEBUG"):
            raise
        sys.stderr.write(
            f"feuille : erreur interne ({type(exc).__name__}: {exc}).\n"
            "  Ce n'est pas votre faute. Relancez avec FEUILLE_DEBUG=1 pour le détail, et signalez-le.\n"
        )
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
