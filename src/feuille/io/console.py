"""Output that never fails on an encoding.

A console set to ASCII or cp1252 (``PYTHONIOENCODING``, an old Windows terminal, a
CI runner), or a file name that is not UTF-8 (kept by Python as "surrogate
escapes"), must never turn a report into a crash: what cannot be written is
replaced, and names that are not valid text are shown with ``\\xNN`` escapes.
"""

from __future__ import annotations

import io
import sys
from typing import Any


def safe_streams() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` replace what their encoding cannot write.

    Call once at start-up (the CLI's ``main()``).  The encoding is kept (a cp1252
    console still gets its accents); only the error handler changes, and so does
    nothing else.  Streams that cannot be reconfigured (replaced by a test runner)
    are left alone.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None:
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError, io.UnsupportedOperation):  # pragma: no cover - a closed or odd stream
            continue


def printable(text: str) -> str:
    """``text`` with any lone surrogate (a file name byte that is not UTF-8) written as ``\\xNN``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x09), *range(0x0a, 0x20), 0x7f, *range(0x80, 0xa0)]}


def terminal_safe(line: str) -> str:
    """One line for a terminal: control characters from the data (ESC sequences that clear the screen,
    a CR or LF that would start a fake ``::error::`` line in CI...) written as ``\\xNN``; tabs kept."""
    return printable(line).translate(_CONTROLS)


def printable_data(value: Any) -> Any:
    """:func:`printable` applied to every string inside dicts and lists (for JSON documents)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_data(k): printable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(v) for v in value]
    return value


def uri_path(path: str) -> str:
    """A file path as a URI reference (``/`` separators; bytes that are not UTF-8 percent-encoded)."""
    path = path.replace("\\", "/")
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        from urllib.parse import quote  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        return quote(path.encode("utf-8", "surrogateescape"), safe="/:@!$&'()*+,;=-._~ ")
