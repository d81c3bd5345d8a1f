"""Run the ``feuille`` command in the test process: the same app, without a new interpreter.

``feuille(*args)`` returns what :func:`subprocess.run` would (``returncode``, ``stdout``,
``stderr``, separately).  It calls the typer ``app`` directly, not ``feuille.cli.main``:
``main`` only adds what a real process needs (``os._exit``, ``PYDANTIC_DISABLE_PLUGINS``)
and the guard that turns an unexpected exception into « erreur interne ».  Here such an
exception fails the test with its traceback instead: users must never need that guard.
``feuille_process`` runs the installed command for real (``tests/test_end_to_end.py``).

Output is not a terminal (no colour in ``--color auto``), as when piped.  Environment
variables the CLI reads (``NO_COLOR``, ``FEUILLE_LANG``, ``FEUILLE_CACHE_DIR``...) go
through ``env=``, set for the call only.  ``PYTHONIOENCODING`` is read by the interpreter at
start-up, so it only means something to a real process (``feuille_process``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
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


def _installed_command() -> list[str]:
    """The ``feuille`` console script of this environment (what users run), else ``python -m feuille``."""
    script = Path(sys.executable).with_name("feuille.exe" if os.name == "nt" else "feuille")
    return [str(script)] if script.exists() else [sys.executable, "-m", "feuille"]


FEUILLE_COMMAND = _installed_command()


def feuille_process(*args: str, cwd: Path | str | None = None, env: Mapping[str, str | None] | None = None,
                    input: str | None = None, encoding: str | None = None) -> subprocess.CompletedProcess[str]:
    """``feuille ARGS...`` as a real process, through ``feuille.cli.main`` (for the end-to-end tests).

    ``env`` is added to this process's environment (``None``: unset); ``encoding`` decodes
    the output (by default the locale's, as ``text=True`` does).
    """
    full_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}
    return subprocess.run([*FEUILLE_COMMAND, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=full_env,
                          input=input, encoding=encoding, timeout=120)
