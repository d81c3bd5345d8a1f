"""What ``update``, ``new`` and ``review`` share: values as staff write them, the check before a write,
the diff, the write through the one writer (:mod:`feuille.io.edit`) and the optional git commit."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from feuille.cli.outcome import FINDINGS, UNUSABLE, fail
from feuille.core.errors import UserError
from feuille.core.i18n import DEFAULT_LANG, msg
from feuille.io.files import system_reason

# The language update, new and review write their messages in, once the plan is read.  Until the
# write service returns messages (app/write.py), these commands' helpers are handed it here: each
# command runs in a context of its own (``FeuilleCommand.invoke``), so it is gone when the command ends.
_WRITE_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("feuille_write_lang", default=DEFAULT_LANG)


def set_write_lang(lang: str) -> None:
    """The language of this run's messages for update, new and review (--lang, else the plan's), once known."""
    _WRITE_LANG.set(lang)


def write_lang() -> str:
    """The language set by :func:`set_write_lang` for this run (French before it is known)."""
    return _WRITE_LANG.get()


def say(msgid: str, /, **kwargs: object) -> str:
    """``msgid`` (English, in the catalogue) in the command's language, its ``{placeholders}`` filled."""
    return msg(msgid, **kwargs)(write_lang())


def day_text(day: Any) -> str:
    """31/12/2026 in French, 2026-12-31 in English."""
    return day.strftime(say("%Y-%m-%d"))


class InputError(UserError, ValueError):
    """A value the user gave that cannot be used; ``hint`` says what to write instead (both already in the command's language)."""

    code = "input"


# --- values as staff write them --------------------------------------------------------------------

_DATE_FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def parse_date(text: str, what: str, today: dt.date | None = None) -> dt.date:
    """``2026-12-31``, ``31/12/2026``, ``31-12-2026``, ``31.12.2026``, « aujourd'hui »."""
    raw = text.strip()
    if raw.lower() in ("aujourd'hui", "aujourdhui", "today") and today is not None:
        return today
    for form in _DATE_FORMS:
        try:
            day = dt.datetime.strptime(raw, form).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2200:
            return day
    raise InputError(say("invalid date for {what}: '{text}'.", what=what, text=text),
                     say('Write the date DD/MM/YYYY (31/12/2026) or YYYY-MM-DD (2026-12-31).'))


def parse_number(text: str, what: str) -> Decimal:
    raw = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace("EUR", "")
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):  # 12.500: thousands
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InputError(say("invalid number for {what}: '{text}'.", what=what, text=text),
                         say('Write a number, for example 12500 or 12500.50.')) from None
    if not value.is_finite():
        raise InputError(say("invalid number for {what}: '{text}'.", what=what, text=text), say('Write a number, for example 12500.'))
    return value


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_progress(text: str) -> int | float:
    """``60``, ``60%``, ``60 %``, ``0,6`` (a fraction: 60 %)."""
    raw = text.strip()
    percent = raw.endswith("%")
    value = parse_number(raw.rstrip("%").strip(), say("the progress"))
    if not percent and ("," in raw or "." in raw) and value <= 1:
        value = value * 100
    if not 0 <= value <= 100:
        raise InputError(say("progress out of bounds: '{text}'.", text=text),
                         say('Progress goes from 0 to 100% (60, 60% or 0.6).'))
    return number(value.quantize(Decimal("0.1")) if value != value.to_integral_value() else value)


def parse_choice(text: str, enum: type[Enum], what: str) -> str:
    """The value of ``enum`` that ``text`` names, as staff write it (« terminé », « fini », « Done », « done »: the field
    registry's words, :mod:`feuille.core.fields`); else :class:`InputError` with the closest word and the words to choose from."""
    from feuille.core.fields import words_of

    words = words_of(enum)
    value = words.parse(text)
    if value is not None:
        return value
    lang = write_lang()
    near = words.near(text, lang)
    hint = say('Did you mean: {value}? ', value=say("'{value}'", value=near)) if near else ""
    raise InputError(say("unknown value for {what}: '{text}'.", what=what, text=text),
                     hint + say('Possible values: ') + ", ".join(words.choices(lang)) + ".")


def person(plan: Any, text: str, what: str) -> str:
    from feuille.compute.filters import FilterError, resolve_people

    try:
        found = resolve_people(plan, text.strip())
    except FilterError as exc:
        raise InputError(say("{label}: {value}", label=what, value=exc.text(write_lang())), say("Give the id from people.yaml or the name ('Sabbatini', 'Alain Sabbatini').")) from None
    if len(found) > 1:
        raise InputError(say("{what}: '{text}' names several people ({join}).", what=what, text=text, join=', '.join(sorted(found))),
                         say('Give the id.'))
    return next(iter(found))


def service(plan: Any, text: str) -> str:
    from feuille.compute.filters import _fold, closest

    raw = text.strip()
    if raw in plan.services:
        return raw
    by_name = [s.id for s in plan.services.values() if _fold(s.name) == _fold(raw)]
    if len(by_name) == 1:
        return by_name[0]
    near = closest(raw, {s.id: s.name for s in plan.services.values()})
    raise InputError(say("unknown service '{text}' in the plan.", text=text),
                     say('Closest: {near}.', near=near) if near else say('Services are listed in people.yaml.'))


# --- the check before a write, the write, the commit ----------------------------------------------------


def new_errors(loaded: Any, edits: list[Any], as_of: dt.date) -> list[Any]:
    """The errors the edits would add: the plan is read again, through the one pipeline, from a copy
    holding the new files.  Errors are compared by code, item and message (lines move when lines are added)."""
    from feuille.core.diagnostics import Severity
    from feuille.pipeline import LoadOptions, load_path

    root = Path(loaded.plan.root)

    def key(d: Any, copy: Path | None = None) -> tuple[str, str | None, str]:
        message = d.message("fr")
        return (d.code, d.obj_id, message.replace(str(copy), str(root)) if copy is not None else message)

    with tempfile.TemporaryDirectory(prefix="feuille-check-") as tmp:
        copy = Path(tmp) / (root.resolve().name or "plan")
        shutil.copytree(root, copy, symlinks=False, ignore=shutil.ignore_patterns(".*", "site", "node_modules"))
        base = root.resolve()
        for e in edits:
            real = Path(os.path.realpath(e.path)) if not e.created else Path(os.path.abspath(e.path))
            try:
                dest = copy / Path(os.path.abspath(e.path)).relative_to(os.path.abspath(root))
            except ValueError:
                dest = copy / real.relative_to(base)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.unlink(missing_ok=True)
            dest.write_bytes(e.after)
        checked = load_path(copy, as_of, options=LoadOptions(use_cache=False))
        after = []
        for d in checked.diagnostics:
            if d.severity == Severity.error:
                d.file = d.file.replace(str(copy), str(root))
                after.append((key(d, copy), d))
    old = Counter(key(d) for d in loaded.diagnostics if d.severity == Severity.error)
    added = []
    for k, d in after:
        if old[k]:
            old[k] -= 1
        else:
            added.append(d)
    return added


def refuse_new_errors(added: list[Any], ident: str, lang: str = "fr") -> None:
    lang = write_lang()
    lines = [f"{d.file}{':' + str(d.line) if d.line else ''}: {d.code} {d.obj_id or ''} {d.message(lang)}".replace("  ", " ") for d in added[:10]]
    hints = [d.hint(lang) for d in added[:3] if d.hint(lang)]
    fail(say('change refused: it would add {added} error(s) to the plan ({ident}); nothing was written.', added=len(added), ident=ident),
         "\n  ".join(lines + [say('hint: ') + h for h in hints]), code=FINDINGS)


def write_edits(loaded: Any, edits: list[Any], as_of: dt.date, *, ident: str, dry_run: bool, quiet_diff: bool = False, summary: str = "",
                tolerate: Any = None, tolerated: list[Any] | None = None) -> bool:
    """Check, show the diff, write (unless ``dry_run``).  Returns whether something was written.

    ``tolerate(diagnostic)``: a new error that does not stop the write (said as « à compléter »)."""
    from feuille.io.edit import write
    from feuille.io.transaction import CREATED

    if not edits:
        sys.stdout.write(say('{ident}: nothing to change, the values are already those.\n', ident=ident))
        return False
    added = new_errors(loaded, edits, as_of)
    later = [d for d in added if tolerate is not None and tolerate(d)]
    added = [d for d in added if d not in later]
    if added:
        refuse_new_errors(added, ident)
    if tolerated is not None:
        tolerated.extend(later)
    for d in later:
        sys.stderr.write(say('feuille: to complete: ') + f"{d.code} {d.obj_id} {d.message(write_lang())}\n")
    if not quiet_diff:
        sys.stdout.write("".join(e.diff() for e in edits))
    if dry_run:
        if summary:
            sys.stdout.write(summary + "\n")
        sys.stdout.write(say('Dry run (--dry-run): nothing was written.\n'))
        return False
    try:
        outcome = write(edits)
    except OSError as exc:
        fail(say('cannot write: {strerror} ({filename}); nothing was written.', strerror=system_reason(exc), filename=exc.filename))
    for shown, what in outcome:
        sys.stdout.write((say("{file}: created.", file=shown) if what == CREATED else say("{file}: changed.", file=shown)) + "\n")
    return True


def git_commit(root: Path, files: list[Path], message: str) -> None:
    """Commit exactly ``files`` with ``message``; hooks never run."""
    git = shutil.which("git")
    if git is None:
        fail(say('git cannot be found: the files are written but not committed.'),
             say('Install git, or commit yourself.'), code=UNUSABLE)
    cwd = Path(root)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([git, "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, capture_output=True, timeout=120)

    top = run("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        fail(say('{root} is not in a git repository: the files are written but not committed.', root=root),
             say('Drop --commit, or make the plan a repository (git init).'))
    paths = [os.path.abspath(f) for f in files]
    done = run("add", "--", *paths)
    if done.returncode == 0:
        done = run("commit", "-q", "--no-verify", "-m", message, "--", *paths)
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        fail(say('the files are written but the commit failed: ') + (why[-1] if why else "git") + ".",
             say('Commit yourself (git add, git commit), or set up git (git config user.name, user.email).'))
    sys.stdout.write(say("Commit: {message}", message=message) + "\n")
