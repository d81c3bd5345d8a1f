"""Run the ``feuille`` command in the test process: the same app, without a new interpreter.

``feuille(*args)`` returns what :func:`subprocess.run` would (``returncode``, ``stdout``,
``stderr``, separately).  It calls the typer ``app`` directly, not ``feuille.cli.main``:
``main`` only adds what a real process needs (``os._exit``, ``PYDANTIC_DISABLE_PLUGINS``)
and the guard that turns an unexpected exception into « erreur interne ».  Here such an
exception fails the test with its traceback instead: users must never need that guard.
``tests/test_end_to_end.py`` runs the installed command for real.

Output is not a terminal (no colour in ``--color auto``), as when piped.  Environment
variables the CLI reads (``NO_COLOR``, ``FEUILLE_LANG``, ``FEUILLE_CACHE_DIR``...) go
through ``env=``, set for the call only.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feuille.cli import app

_runner = CliRunner()  # stdout and stderr are captured separately (result.stdout, result.stderr)


@dataclass(frozen=True)
class Run:
    """Like :class:`subprocess.CompletedProcess` for ``text=True``."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _cwd(path: Path | str | None) -> Iterator[None]:
    if path is None:
        yield
        return
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def feuille(*args: str, cwd: Path | str | None = None, env: Mapping[str, str | None] | None = None,
            input: str | bytes | None = None) -> Run:
    """``feuille ARGS...`` in this process; an unexpected exception fails the calling test."""
    with _cwd(cwd):
        result = _runner.invoke(app, [str(a) for a in args], env=env, input=input, catch_exceptions=True, prog_name="feuille")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        shown = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"feuille {' '.join(map(str, args))} raised an exception (a user would see « erreur interne »):\n{shown}"
                    f"\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}", pytrace=False)
    return Run(tuple(map(str, args)), result.exit_code, result.stdout, result.stderr)
