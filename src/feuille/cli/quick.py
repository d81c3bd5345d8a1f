"""A read-only command answered from the cache when nothing it depends on changed (``status``, ``lint``): the door
around the command's body once typer has parsed it (the one before typer: :mod:`feuille.app.quick`).

:func:`remembered`: the key of :func:`feuille.app.quick.key` from the parsed values; the answer is replayed if
kept, else the command runs with its output recorded, and the answer is kept if the plan did not change
meanwhile and the exit code is 0 or 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from feuille.app.quick import DEFAULTS, key, lang_code


def _top_lang(ctx: Any) -> str | None:
    """The ``--lang`` given before the command, read from the command's context (passed to it by typer)."""
    root = ctx.find_root() if ctx is not None else None
    value = root.params.get("lang") if root is not None and root is not ctx else None
    return lang_code(value) if value is not None else None


def remembers(command: str) -> Any:
    """The decorator of a command whose answer may be kept: its body runs inside :func:`remembered`."""
    import functools

    def wrap(fn: Any) -> Any:
        @functools.wraps(fn)
        def run(**params: Any) -> Any:
            with remembered(command, params):
                return fn(**params)

        return run

    return wrap


@contextmanager
def remembered(command: str, params: dict[str, Any]) -> Iterator[None]:
    """Around a command's body: its kept answer replayed (``typer.Exit``), or its answer recorded and kept."""
    import typer

    values = dict(DEFAULTS[command])
    for name, value in params.items():
        if name not in values:
            continue
        if isinstance(value, (list, tuple)):
            value = [str(v) for v in value] or None
        elif isinstance(value, Path):
            value = str(value)
        values[name] = value
    top = _top_lang(params.get("ctx"))
    k = key(command, top, values)
    if k is None:
        yield
        return
    from feuille.app.answers import lookup, recording, replay, store

    found = lookup(k)
    if found is not None:
        replay(found[0])
        raise typer.Exit(found[1])
    code: int | None = None
    records: list[Any] = []
    try:
        with recording() as records:
            try:
                yield
                code = 0
            except typer.Exit as exc:
                code = exc.exit_code
                raise
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else None
                raise
    finally:
        if code in (0, 1) and key(command, top, values) == k:  # the plan did not change while it ran
            store(k, records, code)
