"""The answers remembered for the fast door (``cli/quick.py``): a read-only command run again on a plan unchanged
answers what it answered, read back from :mod:`feuille.io.results` (signed, keyed by the plan's state and the code).

:func:`key` is the one key of an answer (the command and its options as parsed, the language asked for, the
terminal, the working folder, today's date, feuille's own files and each plan's state); :func:`replay` writes a
kept answer again, byte for byte; :func:`recording` keeps what a command writes while it runs.  The command line
parses the options (both ways: before typer and after it) and decides when to call them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from feuille.io import results
from feuille.io.discovery import find_plans
from feuille.io.results import lookup, store
from feuille.io.sources import SourceError

__all__ = ["key", "lookup", "recording", "replay", "results", "store"]

_ENV = ("FEUILLE_LANG", "FEUILLE_HISTORY", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "COLUMNS", "LINES",
        "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TZ")
Record = tuple[str, Any]  # ("out" | "err" | "outb" | "errb", the text or the bytes written)


def key(command: str, top: str | None, params: dict[str, Any], wanted: Iterable[str | None], today: dt.date | None = None) -> bytes | None:
    """The key of this run's answer, or None when it must not be kept: a plan not found, a past ``--as-of`` read in git,
    a plan whose state cannot be taken.  ``wanted``: the plan folders named (None: the plan of the current folder or above)."""
    try:
        roots = [r for p in wanted for r in find_plans(Path(p) if p is not None else None, many=True, command=command)]
    except SourceError:
        return None
    except Exception:
        return None
    today = today or dt.date.today()
    if command == "status" and params.get("as_of"):
        try:
            day = dt.date.fromisoformat(str(params["as_of"]).strip())
        except ValueError:
            return None
        history_off = os.environ.get("FEUILLE_HISTORY", "").strip().lower() in ("off", "0", "no", "non")
        if day < today and not history_off and any(results.git_dir(r) is not None for r in roots):
            return None  # the plan as committed then: git history, not kept here
    h = hashlib.blake2b(digest_size=20)
    h.update(repr((results.FORMAT, command, top, sorted(params.items()))).encode("utf-8", "surrogateescape"))
    h.update(repr([(name, os.environ.get(name)) for name in _ENV]).encode("utf-8", "surrogateescape"))
    h.update(repr((os.getcwd(), today.isoformat(), sys.version, _streams())).encode("utf-8", "surrogateescape"))
    h.update(results.code_stamp())
    for root in roots:
        state = results.plan_state(root)
        if state is None:
            return None
        h.update(os.fsencode(str(root)) + b"\0" + state)
    return h.digest()


def _streams() -> tuple[Any, ...]:
    out: list[Any] = []
    for stream in (sys.stdout, sys.stderr):
        try:
            tty = stream.isatty()
        except Exception:
            tty = None
        out.append((tty, getattr(stream, "encoding", None), getattr(stream, "errors", None)))
    if out[0][0]:
        out.append(tuple(shutil.get_terminal_size()))
    return tuple(out)


def replay(records: list[Record]) -> None:
    """What a command wrote, written again on the standard streams, text and bytes as they were."""
    for stream, data in records:
        target = sys.stdout if stream.startswith("out") else sys.stderr
        if stream.endswith("b"):
            target.flush()
            buffer = getattr(target, "buffer", None)
            if buffer is None:
                target.write(data.decode("utf-8"))
            else:
                buffer.write(data)
                buffer.flush()
        else:
            target.write(data)
    sys.stdout.flush()
    sys.stderr.flush()


@contextmanager
def recording() -> Iterator[list[Record]]:
    """Standard output and error recorded (and written on) while the block runs: the records, to keep with :func:`store`."""
    records: list[Record] = []
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Tee(out, "out", records), _Tee(err, "err", records)
    try:
        yield records
    finally:
        sys.stdout, sys.stderr = out, err


class _Tee:
    """A text stream that records what is written to it, and writes it on."""

    def __init__(self, stream: Any, name: str, records: list[Record]) -> None:
        self._stream, self._name, self._records = stream, name, records

    def write(self, text: str) -> int:
        self._records.append((self._name, text))
        return int(self._stream.write(text))

    @property
    def buffer(self) -> Any:
        buffer = getattr(self._stream, "buffer", None)
        return None if buffer is None else _BytesTee(buffer, self._name + "b", self._records)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _BytesTee:
    def __init__(self, stream: Any, name: str, records: list[Record]) -> None:
        self._stream, self._name, self._records = stream, name, records

    def write(self, data: bytes) -> int:
        self._records.append((self._name, bytes(data)))
        return int(self._stream.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
