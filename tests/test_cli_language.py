"""The command line's frame speaks the user's language: every --help and every usage error of every command.

French output must contain none of Click's and Typer's own English messages, taken from their
installed source (typer vendors its Click in ``typer/_click``): every string literal of their
modules with three words or more, f-string pieces included.  The English side (``--lang en``,
``FEUILLE_LANG=en``) must show the English frame and no French one.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from _cli import feuille
from feuille.cli import app

PYDANTIC = ("Input should", "String should", "Value error")  # pydantic's messages (from Rust, not Python source) that typer passes on


def _click_sources() -> list[Path]:
    """typer's modules and those of the Click it vendors (found from the import, not a hard-coded path)."""
    import typer._click as vendored  # the Click inside typer

    roots = {Path(typer.__file__).parent, Path(vendored.__file__).parent}
    try:  # a separately installed Click, if any, is scanned too
        import click  # noqa: PLC0415

        roots.add(Path(click.__file__).parent)
    except ImportError:
        pass
    return sorted({p for root in roots for p in root.rglob("*.py")})


@functools.cache
def click_strings() -> tuple[str, ...]:
    found = set()
    for path in _click_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.split())
                if len(text.split()) >= 3:
                    found.add(text)
    return tuple(sorted(found))


def test_the_scan_finds_clicks_and_typers_messages():
    strings = click_strings()
    for known in ("Show this message and exit.", "Got unexpected extra argument(s) (", "Try '", "Missing command."):
        if len(known.split()) >= 3:
            assert known in strings, known
    assert any(s.startswith("No such option:") for s in strings)
    assert len(strings) > 300, len(strings)


def _commands():
    group = get_command(app)
    return group, group.commands


def _invocations() -> list[tuple[str, ...]]:
    """Every --help and every usage error that can be triggered, command by command."""
    group, commands = _commands()
    runs: list[tuple[str, ...]] = [(), ("--help",), ("--bogus",), ("stauts",), ("--lang",)]
    for name, cmd in commands.items():
        runs.append((name, "--help"))
        runs.append((name, "--bogus-option"))
        runs.append((name, "--version"))
        arguments = [p for p in cmd.params if p.param_type_name == "argument"]
        if any(p.required for p in arguments):
            runs.append((name,))  # missing argument
        if all(p.nargs == 1 for p in arguments):
            runs.append((name, *(["x"] * (len(arguments) + 2))))  # extra arguments
        for p in cmd.params:
            if p.param_type_name != "option":
                continue
            opt = max(p.opts, key=len)
            annotation = getattr(p.type_descriptor, "annotation", None)
            if getattr(p, "is_flag", False):
                runs.append((name, f"{opt}=oui"))  # a flag does not take a value
            else:
                runs.append((name, opt))  # an option without its value
            if annotation in (int, float):
                runs.append((name, opt, "abc"))
                if getattr(p, "min", None) is not None:
                    runs.append((name, opt, str(p.min - 1)))
                if getattr(p, "max", None) is not None:
                    runs.append((name, opt, str(p.max + 1)))
        if any("--as-of" in p.opts for p in cmd.params):
            runs.append((name, "--as-of", "31/12/2025"))  # a date written the French way: feuille's own message
    return runs


INVOCATIONS = _invocations()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _english_left(text: str) -> list[str]:
    flat = _flat(text)
    return [s for s in click_strings() if s in flat] + [p for p in PYDANTIC if p in flat]


@pytest.mark.parametrize("args", INVOCATIONS, ids=lambda a: " ".join(a) or "(nothing)")
def test_french_frame_has_none_of_clicks_english(args):
    result = feuille(*args)
    out = result.stdout + result.stderr
    assert out.strip(), "nothing said"
    left = _english_left(out)
    assert not left, f"English from Click/Typer in `feuille {' '.join(args)}`:\n{left}\n---\n{out}"
    if "--help" in args or not args:
        assert "Utilisation : feuille" in out and "Options :" in out
    elif result.returncode == 2 and "Utilisation" in out:
        assert "Erreur : " in out


def _has_lang(args: tuple[str, ...]) -> bool:
    _group, commands = _commands()
    cmd = commands.get(args[0]) if args else None
    return cmd is not None and any("--lang" in p.opts for p in cmd.params)


@pytest.mark.parametrize("args", INVOCATIONS, ids=lambda a: " ".join(a) or "(nothing)")
def test_english_frame_with_lang_en(args):
    if _has_lang(args) and "--lang" not in args:  # right after the command: never the value of the option left without one
        result = feuille(args[0], "--lang", "en", *args[1:])
    else:
        result = feuille(*args, env={"FEUILLE_LANG": "en"})
    out = result.stdout + result.stderr
    for french in ("Utilisation", "Erreur :", "Options :", "Afficher cette aide", "valeur refusée", "option inconnue", "par défaut :"):
        assert french not in out, f"French frame in `feuille {' '.join(args)} --lang en`: {french!r}\n{out}"
    if "--help" in args or not args:
        assert "Usage: feuille" in out and "Show this message and exit." in _flat(out)


def test_usage_errors_exit_2_in_both_languages():
    for env in ({}, {"FEUILLE_LANG": "en"}):
        assert feuille("status", "--depth", "0", env=env).returncode == 2
        assert feuille("show", env=env).returncode == 2
        assert feuille("lint", "a", "b", env=env).returncode == 2


def test_what_the_french_user_reads():
    err = feuille("show").stderr
    assert "Utilisation : feuille show [OPTIONS] ID" in err and "Erreur : il manque l'argument ID." in err
    assert "option inconnue : --version" in feuille("status", "--version").stderr
    assert "en trop sur la ligne de commande : y" in feuille("lint", "x", "y").stderr
    assert "valeur refusée pour --depth : la valeur doit être au moins 1" in feuille("status", "--depth", "0").stderr
    assert "un nombre entier est attendu" in feuille("prioritise", "--top", "x").stderr
    assert "Vouliez-vous dire : status ?" in feuille("stauts").stderr


def test_version():
    result = feuille("--version")
    assert result.returncode == 0 and re.fullmatch(r"feuille \d+\.\d+\.\d+\S*\n", result.stdout)


def test_plain_metavars_in_every_help():
    _group, commands = _commands()
    for name in ["", *commands]:
        for env in ({}, {"FEUILLE_LANG": "en"}):
            out = feuille(*([name] if name else []), "--help", env=env).stdout
            leaks = ("<list[", "<int", "<str>", "<float", "<Path", "{ID}", "INTEGER", " PATH ", "<path>", "range>")
            for leak in leaks + (() if env else (" TEXT ",)):  # Click's TEXT; in English, TEXT is also feuille's TEXTE
                assert leak not in out, f"`feuille {name} --help` shows {leak!r}:\n{out}"


EXAMPLE = str(Path(__file__).resolve().parent.parent / "plans" / "la-louviere")


@pytest.mark.parametrize("args", [
    ("status", EXAMPLE), ("lint", EXAMPLE), ("show", "A1.4", "--plan", EXAMPLE), ("prioritise", EXAMPLE, "--top", "3"),
    ("diff", "--plan", EXAMPLE),
], ids=lambda a: a[0])
def test_lang_before_the_command_is_the_commands_language(args):
    """``feuille --lang en status`` is ``feuille status --lang en``: the whole output, not only the frame (issue 11)."""
    before, after = feuille("--lang", "en", *args), feuille(*args[:1], "--lang", "en", *args[1:])
    french = feuille(*args)
    assert before.returncode == after.returncode == french.returncode, before.stderr
    assert (before.stdout, before.stderr) == (after.stdout, after.stderr)
    if args[0] != "diff":
        assert before.stdout != french.stdout  # the example plan is French: English is asked for, English is shown


def test_lang_before_the_command_english_words():
    out = feuille("--lang", "en", "status", EXAMPLE).stdout
    assert "Overall progress" in out and "Avancement global" not in out
    out = feuille("--lang", "en", "show", "A1.4", "--plan", EXAMPLE).stdout
    assert "Status:" in out and "Statut" not in out


def test_an_unknown_language_before_the_command_is_refused_in_words():
    r = feuille("--lang", "de", "status", EXAMPLE)
    assert r.returncode == 2 and "langue inconnue « de »" in r.stderr and "Traceback" not in r.stderr


def test_update_speaks_english_with_lang_en_before_or_after_the_command(tmp_path):
    import shutil

    plan = tmp_path / "ll"
    shutil.copytree(EXAMPLE, plan)
    for args in (("--lang", "en", "update", "A4.1"), ("update", "A4.1", "--lang", "en")):
        r = feuille(*args, "--planned-end", "31/12/2027", "--plan", str(plan))
        assert r.returncode == 2 and "the deadline would move from" in r.stderr and "without a reason; nothing was written" in r.stderr
    r = feuille("update", "A4.1", "--planned-end", "31/12/2027", "--plan", str(plan))
    assert r.returncode == 2 and "sans raison ; rien n'a été écrit" in r.stderr


@pytest.mark.parametrize(("args", "french", "english"), [
    (("status", EXAMPLE, "--format", "xml"), "format inconnu « xml ».", "unknown format 'xml'."),
    (("lint", EXAMPLE, "--as-of", "2025-13-01"), "date invalide pour --as-of : « 2025-13-01 ».", "invalid date for --as-of: '2025-13-01'."),
    (("status", EXAMPLE, "--owner", "zzzz"), "Personne « zzzz » inconnue dans le plan.", "Unknown person 'zzzz' in the plan."),
    (("schema", "zzz"), "type de fichier inconnu « zzz ».", "unknown file type 'zzz'."),
    (("report", "weekly", "--plan", EXAMPLE), "rapport inconnu « weekly ».", "unknown report 'weekly'."),
])
def test_feuilles_own_errors_in_both_languages(args, french, english):
    """feuille's own refusals (not Click's) follow --lang too, before or after the command, and FEUILLE_LANG."""
    fr = feuille(*args)
    assert fr.returncode == 2 and french in fr.stderr, fr.stderr
    for run in (feuille("--lang", "en", *args), feuille(*args, "--lang", "en") if args[0] != "schema" else feuille("--lang", "en", *args),
                feuille(*args, env={"FEUILLE_LANG": "en"})):
        assert run.returncode == 2 and english in run.stderr, run.stderr


def test_the_history_note_follows_the_language():
    """The note on stderr that says which past is read (« historique : ... ») is English with --lang en."""
    fr = feuille("status", EXAMPLE, "--as-of", "2026-11-22", env={"FEUILLE_HISTORY": None})
    en = feuille("--lang", "en", "status", EXAMPLE, "--as-of", "2026-11-22", env={"FEUILLE_HISTORY": None})
    if "historique" not in fr.stderr and "dépôt git" not in fr.stderr and "aucun commit" not in fr.stderr:
        pytest.skip("no history note here (FEUILLE_HISTORY off)")
    assert "historique" not in en.stderr and "dépôt" not in en.stderr and "aucun" not in en.stderr, en.stderr
    assert "history" in en.stderr or "git repository" in en.stderr or "no commit" in en.stderr, en.stderr
