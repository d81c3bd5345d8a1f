"""What ``update``, ``new`` and ``review`` share: values as staff write them, the check before a write,
the diff, the write through the one writer (:mod:`feuille.io.edit`) and the optional git commit."""

from __future__ import annotations

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


LANG = ["fr"]  # the language of the messages of update, new and review (--lang, else the plan's)


def t(fr: str, en: str) -> str:
    """The French or the English text, as the command's language says."""
    return en if LANG[0] == "en" else fr


class InputError(ValueError):
    """A value the user gave that cannot be used; ``hint`` says what to write instead."""

    def __init__(self, message: str, hint: str = "", code: int = UNUSABLE) -> None:
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


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
    raise InputError(t(f"date invalide pour {what} : « {text} ».", f"invalid date for {what}: '{text}'."),
                     t("Écrivez la date JJ/MM/AAAA (31/12/2026) ou AAAA-MM-JJ (2026-12-31).", "Write the date DD/MM/YYYY (31/12/2026) or YYYY-MM-DD (2026-12-31)."))


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
        raise InputError(t(f"nombre invalide pour {what} : « {text} ».", f"invalid number for {what}: '{text}'."),
                         t("Écrivez un nombre, par exemple 12500 ou 12 500,50.", "Write a number, for example 12500 or 12500.50.")) from None
    if not value.is_finite():
        raise InputError(t(f"nombre invalide pour {what} : « {text} ».", f"invalid number for {what}: '{text}'."), t("Écrivez un nombre, par exemple 12500.", "Write a number, for example 12500."))
    return value


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_progress(text: str) -> int | float:
    """``60``, ``60%``, ``60 %``, ``0,6`` (a fraction: 60 %)."""
    raw = text.strip()
    percent = raw.endswith("%")
    value = parse_number(raw.rstrip("%").strip(), "l'avancement")
    if not percent and ("," in raw or "." in raw) and value <= 1:
        value = value * 100
    if not 0 <= value <= 100:
        raise InputError(t(f"avancement hors limites : « {text} ».", f"progress out of bounds: '{text}'."),
                         t("L'avancement va de 0 à 100 % (60, 60 % ou 0,6).", "Progress goes from 0 to 100% (60, 60% or 0.6)."))
    return number(value.quantize(Decimal("0.1")) if value != value.to_integral_value() else value)


def parse_choice(text: str, enum: type[Enum], what: str) -> str:
    from feuille.checks.schema_errors import FRENCH_VALUES

    raw = text.strip().lower()
    value = FRENCH_VALUES.get(raw, FRENCH_VALUES.get(raw.replace(" ", "_"), raw.replace(" ", "_")))
    if value in enum.__members__:
        return value
    import difflib

    near = difflib.get_close_matches(value, list(enum.__members__), n=1, cutoff=0.5)
    hint = t(f"Vouliez-vous dire : {near[0]} ? ", f"Did you mean: {near[0]}? ") if near else ""
    raise InputError(t(f"valeur inconnue pour {what} : « {text} ».", f"unknown value for {what}: '{text}'."),
                     hint + t("Valeurs possibles : ", "Possible values: ") + ", ".join(enum.__members__) + ".")


def person(plan: Any, text: str, what: str) -> str:
    from feuille.compute.filters import FilterError, resolve_people

    try:
        found = resolve_people(plan, text.strip())
    except FilterError as exc:
        raise InputError(f"{what} : {exc.text(LANG[0])}", t("Donnez l'identifiant de people.yaml ou le nom (« Sabbatini », « Alain Sabbatini »).",
                                              "Give the id from people.yaml or the name ('Sabbatini', 'Alain Sabbatini').")) from None
    if len(found) > 1:
        raise InputError(t(f"{what} : « {text} » désigne plusieurs personnes ({', '.join(sorted(found))}).", f"{what}: '{text}' names several people ({', '.join(sorted(found))})."),
                         t("Donnez l'identifiant.", "Give the id."))
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
    raise InputError(t(f"service « {text} » inconnu dans le plan.", f"unknown service '{text}' in the plan."),
                     t(f"Les plus proches : {near}.", f"Closest: {near}.") if near else t("Les services sont dans people.yaml.", "Services are listed in people.yaml."))


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
    lang = LANG[0]
    lines = [f"{d.file}{':' + str(d.line) if d.line else ''}: {d.code} {d.obj_id or ''} {d.message(lang)}".replace("  ", " ") for d in added[:10]]
    hints = [d.hint(lang) for d in added[:3] if d.hint(lang)]
    fail(t(f"modification refusée : elle ajouterait {len(added)} erreur(s) au plan ({ident}) ; rien n'a été écrit.",
           f"change refused: it would add {len(added)} error(s) to the plan ({ident}); nothing was written."),
         "\n  ".join(lines + [t("conseil : ", "hint: ") + h for h in hints]), code=FINDINGS)


def write_edits(loaded: Any, edits: list[Any], as_of: dt.date, *, ident: str, dry_run: bool, quiet_diff: bool = False, summary: str = "",
                tolerate: Any = None, tolerated: list[Any] | None = None) -> bool:
    """Check, show the diff, write (unless ``dry_run``).  Returns whether something was written.

    ``tolerate(diagnostic)``: a new error that does not stop the write (said as « à compléter »)."""
    from feuille.io.edit import EditError, write

    if not edits:
        sys.stdout.write(t(f"{ident} : rien à changer, les valeurs sont déjà celles-là.\n", f"{ident}: nothing to change, the values are already those.\n"))
        return False
    added = new_errors(loaded, edits, as_of)
    later = [d for d in added if tolerate is not None and tolerate(d)]
    added = [d for d in added if d not in later]
    if added:
        refuse_new_errors(added, ident)
    if tolerated is not None:
        tolerated.extend(later)
    for d in later:
        sys.stderr.write(t("feuille : à compléter : ", "feuille: to complete: ") + f"{d.code} {d.obj_id} {d.message(LANG[0])}\n")
    if not quiet_diff:
        sys.stdout.write("".join(e.diff() for e in edits))
    if dry_run:
        if summary:
            sys.stdout.write(summary + "\n")
        sys.stdout.write(t("Simulation (--dry-run) : rien n'a été écrit.\n", "Dry run (--dry-run): nothing was written.\n"))
        return False
    try:
        outcome = write(edits)
    except EditError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t(f"écriture impossible : {exc.strerror} ({exc.filename}) ; rien n'a été écrit.", f"cannot write: {exc.strerror} ({exc.filename}); nothing was written."))
    for shown, what in outcome:
        sys.stdout.write(f"{shown} : {what}.\n" if LANG[0] == "fr" else f"{shown}: {_WHAT_EN.get(what, what)}.\n")
    return True


_WHAT_EN = {"modifié": "changed", "créé": "created"}


def git_commit(root: Path, files: list[Path], message: str) -> None:
    """Commit exactly ``files`` with ``message``; hooks never run."""
    git = shutil.which("git")
    if git is None:
        fail(t("git est introuvable : les fichiers sont écrits mais pas commités.", "git cannot be found: the files are written but not committed."),
             t("Installez git, ou commitez vous-même.", "Install git, or commit yourself."), code=UNUSABLE)
    cwd = Path(root)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([git, "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, capture_output=True, timeout=120)

    top = run("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        fail(t(f"{root} n'est pas dans un dépôt git : les fichiers sont écrits mais pas commités.", f"{root} is not in a git repository: the files are written but not committed."),
             t("Retirez --commit, ou faites du plan un dépôt (git init).", "Drop --commit, or make the plan a repository (git init)."))
    paths = [os.path.abspath(f) for f in files]
    done = run("add", "--", *paths)
    if done.returncode == 0:
        done = run("commit", "-q", "--no-verify", "-m", message, "--", *paths)
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        fail(t("les fichiers sont écrits mais le commit a échoué : ", "the files are written but the commit failed: ") + (why[-1] if why else "git") + ".",
             t("Commitez vous-même (git add, git commit), ou configurez git (git config user.name, user.email).",
               "Commit yourself (git add, git commit), or set up git (git config user.name, user.email)."))
    sys.stdout.write(f"Commit : {message}\n")
