"""The console of a run: standard streams that never crash on a character the console's encoding cannot show
(« ? » instead), and what a command writes there for people: lines made safe for a terminal (no control character
from a plan reaches the screen), wrapped to the run's width, coloured when the run says so; data as it is.

On the start-up path of every command: it loads :mod:`feuille.io.console` and nothing else; :mod:`feuille.views.table`
when a text is written through it, rich only when colours are asked for."""

from __future__ import annotations

import sys
from pathlib import Path

from feuille.io.console import safe_streams, terminal_safe

__all__ = ["echo", "print_styled", "safe_streams", "say_written", "write_bytes"]


def print_styled(lines: list[tuple[str, str]], width: int | None, color: bool) -> None:
    """Print text lines for people, wrapped to ``width`` (:func:`feuille.views.table.wrap_lines`: a view that knows
    better, a table or a source excerpt, fits its lines first), each made terminal-safe, coloured if ``color``."""
    from feuille.views.table import wrap_lines  # noqa: PLC0415  (not on the path of an answer the cache gives)

    lines = wrap_lines(lines, width)
    if not color:
        sys.stdout.write("\n".join(terminal_safe(line) for _s, line in lines) + "\n")
        return
    from rich.console import Console  # noqa: PLC0415  (heavy: loaded only when colours are asked for)
    from rich.text import Text  # noqa: PLC0415  (as above)

    console = Console(highlight=False, soft_wrap=True, force_terminal=True)
    for style, line in lines:
        console.print(Text(terminal_safe(line), style=style or ""))


def echo(text: str, width: int | None, *, err: bool = False, cut: bool = False) -> None:
    """Text for people on stdout (or stderr), every line wrapped to ``width`` (``None``: as it is); ``cut``: lines of a
    file (a diff of the plan's YAML), shortened with « … » rather than wrapped.  Data (JSON, CSV, Markdown, a file's
    content asked for) is written with :func:`write_bytes` or ``sys.stdout``, never here."""
    from feuille.views.table import cut_text, wrap_text  # noqa: PLC0415  (not on the path of an answer the cache gives)

    (sys.stderr if err else sys.stdout).write(cut_text(text, width) if cut else wrap_text(text, width))


def say_written(path: Path, line: str, width: int | None) -> None:
    """The « written: FILE » line: on stdout, or on stderr when the file written is stdout itself (-o /dev/stdout)."""
    from feuille.io.files import is_standard_output  # noqa: PLC0415  (tempfile and the rest: not on every command's start-up)

    echo(line + "\n", width, err=is_standard_output(path))


def write_bytes(data: bytes) -> None:
    """Bytes on standard output as they are (a CSV's BOM and separators, whatever the console's encoding)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()
