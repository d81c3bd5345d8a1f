"""One run context, one error base, one handler (issue 21, item 5).

Every error a user is shown derives from :class:`feuille.core.errors.UserError` (a code, a hint, an
exit code); the frame shows it in one place; the run's settings (language, colour, width, date,
cache, history) are decided once in a frozen :class:`feuille.core.run.Run`; only typer's public
names are imported.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import feuille
from _cli import feuille as run_feuille
from feuille.core.errors import FINDINGS, UNUSABLE, UserError
from feuille.core.i18n import msg
from feuille.core.run import Run, Terminal, UnknownLanguage

SRC = Path(feuille.__file__).parent
EXAMPLE = str(Path(__file__).resolve().parent.parent / "plans" / "la-louviere")


def _feuille_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(SRC)], "feuille.") if m.name != "feuille.__main__"]


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for name in _feuille_modules():
        module = importlib.import_module(name)
        for _n, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == name:
                found.append(obj)
    return found


def test_every_error_of_feuille_derives_from_the_one_base_with_its_own_code():
    classes = [c for c in _exception_classes() if not c.__name__.startswith("_")]  # private signals (_TooBig, _Crash) never reach a user
    assert len(classes) >= 20
    outside = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, UserError)]
    assert not outside, f"errors outside feuille.core.errors.UserError: {outside}"
    codes = {}
    for c in classes:
        if c is UserError:
            continue
        assert c.code != UserError.code, f"{c.__name__} has no code of its own"
        assert c.exit_code in (FINDINGS, UNUSABLE)
        codes.setdefault(c.code, []).append(c.__name__)
    assert not {k: v for k, v in codes.items() if len(v) > 1}, "two kinds of error share a code"


def test_an_error_keeps_its_message_and_hint_as_values_until_it_is_shown():
    exc = UserError(msg("the file '{path}' does not exist.", path="x.xml"), msg("Check the name and the folder; example: feuille import pst.xml my-plan"),
                    code="demo", exit_code=FINDINGS)
    assert str(exc) == exc.message == "le fichier « x.xml » n'existe pas."
    assert exc.text("en") == "the file 'x.xml' does not exist."
    assert exc.hint_text("en").startswith("Check the name")
    assert (exc.code, exc.exit_code, exc.lang) == ("demo", FINDINGS, None)
    assert exc.said_in("en").lang == "en" and exc.said_in("fr").lang == "en"  # the first language chosen stays


def test_the_one_handler_shows_any_user_error_with_its_hint_and_exit_code(monkeypatch):
    """A library error raised deep inside a command reaches the user through the frame, nowhere else."""
    from feuille.app import status

    class Refused(UserError):
        code = "demo"
        exit_code = FINDINGS

    def refuse(*_a, **_k):
        raise Refused(msg("the file '{path}' does not exist.", path="x.xml"), msg("Give the folder that holds plan.yaml."))

    monkeypatch.setattr(status, "compute", refuse)  # the roll-up, where status's use case finds it
    r = run_feuille("status", EXAMPLE)
    assert r.returncode == FINDINGS
    assert r.stderr == "feuille : le fichier « x.xml » n'existe pas.\n  Indiquez le dossier qui contient plan.yaml.\n"
    r = run_feuille("status", EXAMPLE, "--lang", "en")
    assert r.stderr == "feuille: the file 'x.xml' does not exist.\n  Give the folder that holds plan.yaml.\n"


@pytest.mark.parametrize(("args", "said", "code"), [
    (("report", "annual", "--year", "99999", "--plan", EXAMPLE), "--year 99999 : l'année doit être comprise entre 1900 et 2200", UNUSABLE),  # BoundError
    (("status", EXAMPLE, "--owner", "Personne"), "« Personne »", UNUSABLE),  # FilterError, relabelled with its plan
    (("render", EXAMPLE, "--audience", "voisins"), "public inconnu « voisins »", UNUSABLE),  # UnknownAudience, with its hint
    (("status", EXAMPLE, "--color", "rose"), "valeur inconnue pour --color : « rose »", UNUSABLE),  # the run's own options
])
def test_errors_of_every_layer_are_shown_the_same_way(args, said, code):
    r = run_feuille(*args)
    assert r.returncode == code, r.stderr
    assert r.stderr.startswith("feuille : ") and said in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_an_unknown_audience_says_which_audiences_there_are():
    r = run_feuille("render", EXAMPLE, "--audience", "voisins", "--lang", "en")
    assert "unknown audience 'voisins'" in r.stderr and "--audience public: the citizens' site" in r.stderr


def test_a_commands_language_setting_is_not_carried_to_the_next_run_in_the_same_process(tmp_path):
    from feuille.app import values as _write

    plan = tmp_path / "p"
    assert run_feuille("init", str(plan)).returncode == 0
    r = run_feuille("update", "A99", "--plan", str(plan), "--progress", "10", "--lang", "en")
    assert r.returncode == 2 and "no objective or action 'A99'" in r.stderr
    assert _write.write_lang() == "fr"  # the English of that run stayed in that run


def test_the_run_is_decided_once_from_the_environment_and_frozen():
    env = {"FEUILLE_LANG": "en-GB", "FEUILLE_CACHE_DIR": "/tmp/c", "FEUILLE_HISTORY": "off", "NO_COLOR": "1", "COLUMNS": "120"}
    run = Run.of(env, tty=True, columns=100, today=dt.date(2026, 3, 1))
    assert (run.lang, run.today, run.cache_dir, run.history, run.color, run.width) == ("en", dt.date(2026, 3, 1), Path("/tmp/c"), False, False, 120)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.lang = "fr"  # type: ignore[misc]
    command = run.with_options(lang="fr", color="always", wide=True, no_cache=True)
    assert (command.lang, command.color, command.width, command.use_cache) == ("fr", True, None, False)
    assert run.lang == "en" and run.use_cache  # the group's run is unchanged


def test_the_language_of_a_run_follows_the_one_rule():
    assert Run.of({}).speak("en") == "en"  # nothing asked: the plan's
    assert Run.of({}).said == "fr"  # before a plan is read: French
    assert Run.of({"FEUILLE_LANG": "en"}).speak("fr") == "en"
    assert Run.of({"FEUILLE_LANG": "en"}, top_lang="fr").with_options(lang="en").speak("fr") == "en"
    assert Run.of({"FEUILLE_LANG": "xx"}).with_options(lang="en").lang == "en"  # the command's --lang wins over a wrong FEUILLE_LANG
    with pytest.raises(UnknownLanguage) as exc:
        Run.of({}).with_options(lang="klingon")
    assert exc.value.lang == "fr" and exc.value.code == "language"


def test_colour_and_width_follow_the_terminal_and_the_options():
    assert Terminal.of({}, tty=True, columns=60).color("auto") is True
    assert Terminal.of({"TERM": "dumb"}, tty=True, columns=60).color("auto") is False
    assert Terminal.of({"NO_COLOR": "1"}, tty=True, columns=60).color("always") is True
    assert Terminal.of({}, tty=False, columns=None).color("auto") is False
    with pytest.raises(UserError) as exc:
        Terminal.of({}, tty=False, columns=None).color("rose")
    assert exc.value.text("en") == "unknown value for --color: 'rose'."


def test_only_typers_public_names_are_imported():
    """Typer 0.26+ vendors Click as ``typer._click``: a private module, absent from older typers; feuille never imports it."""
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found += [f"{path.relative_to(SRC)}: {n}" for n in names if n == "click" or n.startswith(("click.", "typer._"))]
    assert not found


def test_the_group_callback_builds_the_run_and_commands_receive_it(monkeypatch):
    from feuille.cli import _app

    seen = []
    real = _app.run_of

    def spy(ctx):
        run = real(ctx)
        seen.append(run)
        return run

    import feuille.cli.status as status_module

    monkeypatch.setattr(status_module, "run_of", spy)
    r = run_feuille("--lang", "en", "status", EXAMPLE, "--wide", env={"FEUILLE_HISTORY": "off"})
    assert r.returncode in (0, 1)
    assert len(seen) == 1 and seen[0].lang == "en" and seen[0].width is None and seen[0].history is False
