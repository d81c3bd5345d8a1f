"""What a run of feuille knows before it reads a plan, decided once and passed explicitly (black's ``Mode``).

The command line's group builds a :class:`Run` from the process (its environment, its terminal,
today's date, the ``--lang`` given before the command); a command adds its own options
(:meth:`Run.with_options`: its ``--lang``, ``--color``, ``--wide``, ``--no-cache``).  A run is frozen:
nothing changes it while the command works, and nothing is left of it for the next run in the
same process (the tests run hundreds).  Library code receives what it needs of it as arguments.

The language of a run follows one rule (:func:`asked_lang`): the command's ``--lang``, else the one
given before the command, else ``FEUILLE_LANG``; then, once the plan is read, the plan's
(:meth:`Run.speak`; before it, French).  A locale names its language (``en-GB``: ``en``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feuille.core.errors import UserError
from feuille.core.i18n import DEFAULT_LANG, LANGS, N_, msg

UNKNOWN_LANG = N_("unknown language '{value}'.")
UNKNOWN_LANG_HINT = N_("Choose fr or en (a locale such as fr-BE or en-GB names its language), with --lang or FEUILLE_LANG.")
COLORS = ("auto", "always", "never")
MIN_WIDTH = 40  # the narrowest width text is laid out in (a narrower COLUMNS counts as this)
DEFAULT_WIDTH = 80  # the width when nothing says it (output to a file or a pipe, without COLUMNS)


class UnknownLanguage(UserError, ValueError):
    """A language feuille does not speak, asked for by ``--lang`` or ``FEUILLE_LANG``; ``fallback``: the
    next language asked for, to refuse it in (else French)."""

    code = "language"

    def __init__(self, value: str, fallback: str = DEFAULT_LANG) -> None:
        super().__init__(msg(UNKNOWN_LANG, value=value), msg(UNKNOWN_LANG_HINT), lang=fallback)
        self.value, self.fallback = value, fallback


def lang_code(value: str) -> str | None:
    """``fr`` or ``en`` from a language or a locale (``en``, ``EN``, ``en-GB``, ``fr_BE``, ``fr_BE.UTF-8``); None if unknown."""
    code = re.split(r"[-_.@]", value.strip().lower(), maxsplit=1)[0]
    return code if code in LANGS else None


def asked_lang(command: str | None, top: str | None, environ: Mapping[str, str]) -> str | None:
    """The language the user asked for: the command's ``--lang``, else the one given before the command,
    else ``FEUILLE_LANG``; None if none (the caller then takes the plan's, or French).  An unknown
    language raises :class:`UnknownLanguage` (with the next language asked for, to say it in)."""
    values = [v for v in (command, top, environ.get("FEUILLE_LANG") or None) if v is not None]
    if not values:
        return None
    code = lang_code(values[0])
    if code is None:
        fallback = next((c for v in values[1:] if (c := lang_code(v)) is not None), DEFAULT_LANG)
        raise UnknownLanguage(values[0], fallback)
    return code


def lang_options(args: Sequence[str]) -> tuple[str | None, str | None]:
    """The ``--lang`` given after the command and the one given before it, read from the command line
    before Click parses it (for the help and Click's errors)."""
    top = command = None
    seen_command = False
    i = 0
    while i < len(args):
        arg, value = args[i], None
        if arg == "--":
            break
        if arg == "--lang":
            if i + 1 < len(args):
                value = args[i + 1]
                i += 1
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif not arg.startswith("-"):
            seen_command = True
        if value is not None:
            if seen_command:
                command = value
            else:
                top = value
        i += 1
    return command, top


def frame_lang(args: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language of the command line's frame (help, usage errors), by :func:`asked_lang`, else French;
    an unknown language: the next one asked for, else French (the refusal is said in it)."""
    try:
        return asked_lang(*lang_options(args), environ) or DEFAULT_LANG
    except UnknownLanguage as exc:
        return exc.fallback


def history_off(environ: Mapping[str, str]) -> bool:
    """``FEUILLE_HISTORY=off``: a date in the past is only a reference date; the files are read as they are."""
    return environ.get("FEUILLE_HISTORY", "").strip().lower() in ("off", "0", "no", "non")


@dataclass(frozen=True, slots=True)
class Terminal:
    """What the process's output and environment say about showing things."""

    tty: bool = False  # standard output is a terminal
    columns: int | None = None  # the terminal's width, when it is one
    env_columns: int | None = None  # COLUMNS, when set to a number
    no_color: bool = False  # NO_COLOR set, or TERM=dumb

    @classmethod
    def of(cls, environ: Mapping[str, str], tty: bool, columns: int | None) -> Terminal:
        raw = environ.get("COLUMNS", "").strip()
        return cls(tty, columns if tty else None, int(raw) if raw.isdigit() and int(raw) > 0 else None,
                   bool(environ.get("NO_COLOR")) or environ.get("TERM") == "dumb")

    def color(self, choice: str) -> bool:
        """Colours for ``--color CHOICE`` (auto: a terminal, without NO_COLOR nor TERM=dumb)."""
        if choice not in COLORS:
            raise UserError(msg("unknown value for --color: '{value}'.", value=choice), msg("Choose auto, always or never."), code="usage")
        if choice != "auto":
            return choice == "always"
        return self.tty and not self.no_color

    def width(self, wide: bool) -> int | None:
        """The width text for people must fit: ``None`` (no limit) with ``--wide``; else ``COLUMNS`` when
        set, the terminal's width, and 80 when nothing says it (a file, a pipe); never under 40."""
        if wide:
            return None
        if self.env_columns is not None:
            return max(MIN_WIDTH, self.env_columns)
        if not self.tty or self.columns is None:
            return DEFAULT_WIDTH
        return max(MIN_WIDTH, self.columns)


@dataclass(frozen=True, slots=True)
class Run:
    """One run's settings.  ``lang``: the language asked for (None: the plan's, French before it is read)."""

    lang: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    color: bool = False  # colours on standard output
    width: int | None = DEFAULT_WIDTH  # the width text for people fits (None: no limit, --wide)
    use_cache: bool = True  # --no-cache: every file read again
    cache_dir: Path | None = None  # FEUILLE_CACHE_DIR (None: the user's cache folder)
    history: bool = True  # FEUILLE_HISTORY=off: the files as they are, whatever the date
    terminal: Terminal = Terminal()
    top_lang: str | None = None  # the --lang given before the command
    env_lang: str | None = None  # FEUILLE_LANG

    @classmethod
    def of(cls, environ: Mapping[str, str], *, top_lang: str | None = None, tty: bool = False, columns: int | None = None,
           today: dt.date | None = None) -> Run:
        """The run of a process: its environment, its terminal, the ``--lang`` given before the command."""
        terminal = Terminal.of(environ, tty, columns)
        cache = environ.get("FEUILLE_CACHE_DIR")
        env_lang = environ.get("FEUILLE_LANG") or None
        try:
            lang = asked_lang(None, top_lang, {"FEUILLE_LANG": env_lang} if env_lang else {})
        except UnknownLanguage:  # refused before the command line is read, unless the command's own --lang says otherwise
            lang = None
        return cls(lang=lang, today=today or dt.date.today(), color=terminal.color("auto"), width=terminal.width(False),
                   cache_dir=Path(cache) if cache else None, history=not history_off(environ), terminal=terminal,
                   top_lang=top_lang, env_lang=env_lang)

    def with_options(self, *, lang: str | None = None, color: str | None = None, wide: bool = False, no_cache: bool = False) -> Run:
        """This run with a command's own options (``--lang``, ``--color``, ``--wide``, ``--no-cache``)."""
        changes: dict[str, object] = {}
        if lang is not None:
            changes["lang"] = asked_lang(lang, self.top_lang, {"FEUILLE_LANG": self.env_lang} if self.env_lang else {})
        if color is not None:
            changes["color"] = self.terminal.color(color)
        if wide:
            changes["width"] = None
        if no_cache:
            changes["use_cache"] = False
        return dataclasses.replace(self, **changes) if changes else self  # type: ignore[arg-type]

    def speak(self, plan_lang: str | None = None) -> str:
        """The language of this run's words: the one asked for, else the plan's (``plan_lang``), else French."""
        return self.lang or (plan_lang if plan_lang in LANGS else None) or DEFAULT_LANG

    @property
    def said(self) -> str:
        """The language of words said before a plan is read: the one asked for, else French."""
        return self.lang or DEFAULT_LANG


# --- the run of a process, and of a command of the command line (its context: Click's, read by its attributes) ----------


def lang_value(value: str | None) -> str | None:
    """The callback of every ``--lang`` option: the language of a locale (``en-GB``: ``en``); an unknown
    value is kept as given (refused before parsing, by the group's ``main``)."""
    return (lang_code(value) or value) if value is not None else None


def process_run(top_lang: str | None = None) -> Run:
    """The run of this process: its environment, its terminal (standard output's), today; ``top_lang``: the ``--lang``
    given before the command."""
    tty = sys.stdout.isatty()
    return Run.of(os.environ, top_lang=top_lang, tty=tty, columns=shutil.get_terminal_size().columns if tty else None)


def _group_run(ctx: Any) -> Run:
    root = ctx.find_root() if ctx is not None else None
    run = getattr(root, "obj", None)
    return run if isinstance(run, Run) else process_run(None)  # (a command called without the group: the process's)


def command_run(ctx: Any) -> Run:
    """The run's context for the command of ``ctx``: the one the group built, with the command's own ``--lang``,
    ``--color``, ``--wide`` and ``--no-cache``."""
    params = getattr(ctx, "params", None) or {}
    return _group_run(ctx).with_options(lang=params.get("lang"), color=params.get("color"), wide=bool(params.get("wide")),
                                        no_cache=bool(params.get("no_cache")))


def said_of(ctx: Any) -> str:
    """The language of what is said before a plan is read, for the command of ``ctx`` (its --lang, the one before it, FEUILLE_LANG, French)."""
    try:
        return _group_run(ctx).with_options(lang=(getattr(ctx, "params", None) or {}).get("lang")).said
    except UnknownLanguage as exc:
        return exc.fallback


def width_of(ctx: Any) -> int | None:
    """The width of the command of ``ctx`` (its --wide, the group's run), to say an error in."""
    try:
        return command_run(ctx).width
    except UserError:  # an unknown --lang or --color: the group's
        return _group_run(ctx).width
