"""The fast door of a read-only command (``status``, ``lint``): its command line read before typer is imported,
and its kept answer replayed when nothing it depends on changed.

:func:`answer`, called by :func:`feuille.cli.main` before anything else is imported, reads the command line
itself (only the options listed in :data:`SPECS`, written the plain ways; anything else, ``--help`` included,
means « not here ») and, if an answer is kept under the key (:func:`key`), writes it again, byte for byte,
and gives its exit code.  No typer, no pydantic, no plan read: a warm ``status`` costs a Python start, a walk
of the plan's folders and one small file read.  The other door, around the command's body once typer has
parsed it, is ``feuille.cli.quick.remembered``: the same key from the parsed values.

The key covers the command and every option (as parsed), the language asked for (``--lang`` before
and after the command, ``FEUILLE_LANG``), the terminal (``COLUMNS``, its size, colours, encodings),
the working folder, today's date, feuille's own files and each plan's state
(:func:`feuille.io.results.plan_state`: its files and validation tags).  Options that read git
history or write files (``--rev``, ``--trend``, ``--output``, ``--timings``, ``--no-cache``, a past
``--as-of`` in git) are never answered from the cache.  ``FEUILLE_RESULT_CACHE=off`` turns it off.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Each command's options as typer parses them: option -> (parameter, kind); kind is "flag" (True when
# given) or "str" / "int" (a value follows).  DEFAULTS: every parameter's default.  Checked against the
# typer commands by tests/test_results.py, so that both doors build the same key.
SPECS: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "--format": ("fmt", "str"), "-f": ("fmt", "str"), "--owner": ("owner", "str"), "--service": ("service", "str"),
        "--objective": ("objective", "str"), "--status": ("status_", "str"), "--tag": ("tag", "str"), "--late": ("late", "flag"),
        "--due-within": ("due_within", "int"), "--depth": ("depth", "int"), "--trend": ("trend", "flag"), "--since": ("since", "str"),
        "--every": ("every", "str"), "--rev": ("rev", "str"), "--as-of": ("as_of", "str"), "--lang": ("lang", "str"),
        "--no-cache": ("no_cache", "flag"), "--color": ("color", "str"), "--wide": ("wide", "flag"),
    },
    "lint": {
        "--format": ("fmt", "str"), "-f": ("fmt", "str"), "--strict": ("strict", "flag"), "--rev": ("rev", "str"),
        "--as-of": ("as_of", "str"), "--lang": ("lang", "str"), "--no-cache": ("no_cache", "flag"), "--color": ("color", "str"),
        "--output": ("output", "str"), "-o": ("output", "str"), "--timings": ("timings", "flag"), "--wide": ("wide", "flag"),
    },
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "status": {"paths": None, "fmt": "text", "owner": None, "service": None, "objective": None, "status_": None, "tag": None,
               "late": False, "due_within": None, "depth": None, "trend": False, "since": None, "every": "month", "rev": None,
               "as_of": None, "lang": None, "no_cache": False, "color": "auto", "wide": False},
    "lint": {"path": None, "fmt": "text", "strict": False, "rev": None, "as_of": None, "lang": None, "no_cache": False,
             "color": "auto", "output": None, "timings": False, "wide": False},
}
POSITIONAL = {"status": ("paths", True), "lint": ("path", False)}  # the parameter of PLAN, and whether it takes several
NEVER = ("rev", "trend", "output", "timings", "no_cache")  # options whose answer is never kept
_INT = re.compile(r"[0-9]+\Z")


def lang_code(value: str) -> str:
    """What a ``--lang`` callback makes of ``value`` (``feuille.cli._app.lang_value``): a locale's language, else the value."""
    code = re.split(r"[-_.@]", value.strip().lower(), maxsplit=1)[0]
    return code if code in ("fr", "en") else value


def off() -> bool:
    return os.environ.get("FEUILLE_RESULT_CACHE", "").strip().lower() in ("off", "0", "no", "non")


def parse(args: Sequence[str]) -> tuple[str, str | None, dict[str, Any]] | None:
    """``(command, --lang before it, parameters)`` from a command line written the plain ways, else None."""
    top = None
    i = 0
    while i < len(args) and (args[i] == "--lang" or args[i].startswith("--lang=")):
        if args[i] == "--lang":
            if i + 1 >= len(args):
                return None
            top, i = args[i + 1], i + 2
        else:
            top, i = args[i].split("=", 1)[1], i + 1
    if i >= len(args) or args[i] not in SPECS:
        return None
    command = args[i]
    spec = SPECS[command]
    params = dict(DEFAULTS[command])
    given: set[str] = set()
    positional, many = POSITIONAL[command]
    paths: list[str] = []
    rest = list(args[i + 1:])
    j = 0
    while j < len(rest):
        arg = rest[j]
        j += 1
        if arg.startswith("-") and arg != "-":
            option, eq, value = arg.partition("=")
            if option not in spec or (eq and not option.startswith("--")):
                return None
            name, kind = spec[option]
            if name in given:
                return None
            given.add(name)
            if kind == "flag":
                if eq:
                    return None
                params[name] = True
                continue
            if not eq:
                if j >= len(rest):
                    return None
                value = rest[j]
                j += 1
            if kind == "int":
                if not _INT.match(value):
                    return None
                params[name] = int(value)
            else:
                params[name] = lang_code(value) if name == "lang" else value
            continue
        paths.append(arg)
    if len(paths) > 1 and not many:
        return None
    if paths:
        params[positional] = [str(Path(p)) for p in paths] if many else str(Path(paths[0]))
    return command, (lang_code(top) if top is not None else None), params


def key(command: str, top: str | None, params: dict[str, Any], today: dt.date | None = None) -> bytes | None:
    """The key of this run's answer (:func:`feuille.app.answers.key`), or None when it must not be kept (see the module's docstring)."""
    if off() or any(params.get(name) for name in NEVER):
        return None
    from feuille.app import answers  # noqa: PLC0415  (the answers' modules: only when a status or lint may be kept)

    positional, many = POSITIONAL[command]
    given = params.get(positional)
    return answers.key(command, top, params, (given or [None]) if many else [given], today)


def answer(args: Sequence[str]) -> int | None:
    """The exit code after writing the kept answer of this command line, or None (run the command)."""
    try:
        parsed = parse(args)
        if parsed is None:
            return None
        k = key(*parsed)
        if k is None:
            return None
        from feuille.app.answers import lookup, replay  # noqa: PLC0415  (as above)

        found = lookup(k)
    except Exception:
        return None
    if found is None:
        return None
    replay(found[0])
    return found[1]
