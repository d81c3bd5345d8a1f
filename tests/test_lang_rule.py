"""One rule for the language of a run (issue 11): the command's ``--lang``, else the ``--lang`` given before
the command, else ``FEUILLE_LANG``, else the plan's (French before a plan is read) — for the help, Click's
usage errors, feuille's messages and the output alike.  A locale names its language; an unknown language
is refused, even with ``--help``.  The help's metavars are translated like its texts; its guillemets never
end or start a line."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from typer.main import get_command

from _cli import feuille
from feuille.cli import app
from feuille.core.i18n import help_translator
from feuille.views import usage

EXAMPLE = str(Path(__file__).resolve().parent.parent / "plans" / "la-louviere")  # a French plan
CHOICES = (None, "fr", "en")
COMBINATIONS = list(itertools.product(CHOICES, CHOICES, CHOICES))  # FEUILLE_LANG, --lang before, --lang after the command


def _run(env: str | None, top: str | None, command: str | None, name: str, *rest: str):
    args = [*(["--lang", top] if top else []), name, *(["--lang", command] if command else []), *rest]
    return feuille(*args, env={"FEUILLE_LANG": env})


def _expected(env: str | None, top: str | None, command: str | None) -> str:
    return command or top or env or "fr"  # the example plan is French


# what each language shows, and what the other one must not
SAYS = {
    "status": ({"fr": "Avancement global", "en": "Overall progress"}, (EXAMPLE,)),
    "lint": ({"fr": "aucun problème", "en": "no problems"}, (EXAMPLE,)),
    "show": ({"fr": "aucun objectif ni action « A99 »", "en": "no objective or action 'A99'"}, ("A99", "--plan", EXAMPLE)),  # before the plan is read
}


@pytest.mark.parametrize("name", list(SAYS))
@pytest.mark.parametrize(("env", "top", "command"), COMBINATIONS, ids=lambda v: str(v))
def test_the_command_option_then_the_one_before_then_feuille_lang_then_the_plan(name, env, top, command):
    words, rest = SAYS[name]
    lang = _expected(env, top, command)
    other = "en" if lang == "fr" else "fr"
    r = _run(env, top, command, name, *rest)
    out = r.stdout + r.stderr
    assert words[lang] in out and words[other] not in out, f"FEUILLE_LANG={env} --lang {top} {name} --lang {command}: {lang} expected\n{out}"


@pytest.mark.parametrize(("env", "top", "command"), COMBINATIONS, ids=lambda v: str(v))
def test_usage_errors_and_help_follow_the_same_rule(env, top, command):
    lang = _expected(env, top, command)
    r = _run(env, top, command, "show")  # the ID is missing
    assert r.returncode == 2
    assert {"fr": "Erreur : il manque l'argument ID.", "en": "Error: Missing argument ID."}[lang] in r.stderr, r.stderr
    assert {"fr": "Utilisation : feuille show", "en": "Usage: feuille show"}[lang] in r.stderr
    r = _run(env, top, command, "status", "--help")
    assert r.returncode == 0
    assert {"fr": "Utilisation : feuille status", "en": "Usage: feuille status"}[lang] in r.stdout
    assert {"fr": "--owner PERSONNE ", "en": "--owner PERSON "}[lang] in r.stdout


def test_the_plans_language_comes_last():
    """Nothing asked for: an English plan speaks English (made with init --lang en)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "p"
        assert feuille("init", str(plan), "--lang", "en", env={"FEUILLE_LANG": None}).returncode == 0
        assert "no problems" in feuille("lint", str(plan), env={"FEUILLE_LANG": None}).stdout
        assert "aucun problème" in feuille("lint", str(plan), env={"FEUILLE_LANG": "fr"}).stdout
        assert "aucun problème" in feuille("--lang", "fr", "lint", str(plan), env={"FEUILLE_LANG": "en"}).stdout


@pytest.mark.parametrize(("value", "lang"), [("en-GB", "en"), ("EN", "en"), ("en_GB", "en"), ("fr-BE", "fr"), ("FR", "fr"), ("en_GB.UTF-8", "en")])
def test_a_locale_names_its_language(value, lang):
    said = SAYS["status"][0][lang]
    for r in (feuille("--lang", value, "status", EXAMPLE, env={"FEUILLE_LANG": None}),
              feuille("status", EXAMPLE, "--lang", value, env={"FEUILLE_LANG": None}),
              feuille("status", EXAMPLE, env={"FEUILLE_LANG": value})):
        assert r.returncode == 0 and said in r.stdout, r.stderr
    other = "fr" if lang == "en" else "en"
    r = feuille("--lang", value, "show", "A99", "--plan", EXAMPLE, env={"FEUILLE_LANG": other})
    assert SAYS["show"][0][lang] in r.stderr, r.stderr


@pytest.mark.parametrize("args", [("--lang", "xx", "--help"), ("status", "--lang", "xx", "--help"), ("--lang", "de", "status", EXAMPLE),
                                  ("--lang=xx", "lint", EXAMPLE), ("lint", EXAMPLE, "--lang", "")])
def test_an_unknown_language_is_refused_even_for_the_help(args):
    r = feuille(*args, env={"FEUILLE_LANG": None})
    value = next(a.split("=", 1)[1] for a in args if a.startswith("--lang=")) if "--lang" not in args else args[args.index("--lang") + 1]
    assert r.returncode == 2 and f"feuille : langue inconnue « {value} »." in r.stderr and "Utilisation" not in r.stdout, r.stderr
    assert "Choisissez fr ou en" in r.stderr
    r = feuille(*args, env={"FEUILLE_LANG": "en"})  # said in the next language asked for
    assert r.returncode == 2 and f"feuille: unknown language '{value}'." in r.stderr and "Choose fr or en" in r.stderr, r.stderr


def test_an_unknown_feuille_lang_is_refused_unless_an_option_says_otherwise():
    r = feuille("--help", env={"FEUILLE_LANG": "xx"})
    assert r.returncode == 2 and "langue inconnue « xx »" in r.stderr
    assert "Overall progress" in feuille("status", EXAMPLE, "--lang", "en", env={"FEUILLE_LANG": "xx"}).stdout


# --- metavars -----------------------------------------------------------------------------------

def _commands():
    group = get_command(app)
    return [("", group), *group.commands.items()]


def _french_metavars(cmd) -> set[str]:
    """The metavars a command declares that English writes otherwise (DOSSIER, not DATE)."""
    en = help_translator("en")
    return {own for p in cmd.params if (own := usage.own_metavar(p)) is not None and en(own) != own}


def test_english_help_has_no_french_metavar():
    checked = 0
    for name, cmd in _commands():
        french = _french_metavars(cmd)
        out = feuille(*([name] if name else []), "--lang", "en", "--help", env={"FEUILLE_LANG": None}).stdout
        for word in french:
            assert not re.search(rf"(?<![\w=@-]){re.escape(word)}(?![\w=@])", out), f"`feuille {name} --help --lang en` shows {word!r}:\n{out}"
            assert help_translator("en")(word) in out
            checked += 1
        french_out = feuille(*([name] if name else []), "--help", env={"FEUILLE_LANG": None}).stdout
        assert all(word in french_out for word in french)
    assert checked > 40


@pytest.mark.parametrize(("args", "french", "english"), [
    (("init",), "Erreur : il manque l'argument DOSSIER.", "Error: Missing argument FOLDER."),
    (("import",), "Erreur : il manque l'argument FICHIER... [DOSSIER].", "Error: Missing argument FILE... [FOLDER]."),
    (("import", "--bogus"), "feuille import [OPTIONS] FICHIER... [DOSSIER]", "feuille import [OPTIONS] FILE... [FOLDER]"),
    (("init", "a", "b"), "feuille init [OPTIONS] DOSSIER", "feuille init [OPTIONS] FOLDER"),
])
def test_usage_errors_name_arguments_in_the_users_language(args, french, english):
    fr = feuille(*args, env={"FEUILLE_LANG": None})
    en = feuille("--lang", "en", *args, env={"FEUILLE_LANG": None})
    assert fr.returncode == en.returncode == 2
    assert french in fr.stderr and english not in fr.stderr, fr.stderr
    assert english in en.stderr and french not in en.stderr, en.stderr


def test_english_metavars_are_plain_english():
    en = help_translator("en")
    for french, english in {"DOSSIER": "FOLDER", "FICHIER": "FILE", "PERSONNE": "PERSON", "STATUT": "STATUS", "JOURS": "DAYS", "TEXTE": "TEXT",
                            "SANTÉ": "HEALTH", "ANNÉE=MONTANT": "YEAR=AMOUNT", "INDICATEUR=VALEUR@DATE": "INDICATOR=VALUE@DATE",
                            "CHAMP=VALEUR": "FIELD=VALUE", "COLONNE=CHAMP": "COLUMN=FIELD", "QUOI": "WHAT", "INTITULÉ": "TITLE", "VOLET": "STRAND",
                            "NIVEAU": "LEVEL", "MÉTHODE": "METHOD", "POIDS": "WEIGHTS", "PUBLIC": "AUDIENCE", "QUI": "WHO", "PAR": "BY",
                            "SCHÉMA": "SCHEMA", "TITRE": "TITLE", "NOM": "NAME", "LANGUE": "LANG", "RÉVISION": "REVISION", "QUAND": "WHEN"}.items():
        assert en(french) == english, french


# --- usage lines --------------------------------------------------------------------------------

def test_every_usage_line_is_whole():
    """Brackets closed in every usage line (``import``: ``FICHIER... [DOSSIER]``, not ``FICHIER [DOSSIER...``)."""
    for name, _cmd in _commands():
        for lang in ("fr", "en"):
            out = feuille(*([name] if name else []), "--lang", lang, "--help", env={"FEUILLE_LANG": None}).stdout
            usage = out.split("\n\n", 1)[0]
            assert usage.count("[") == usage.count("]"), usage
    assert "Utilisation : feuille import [OPTIONS] FICHIER... [DOSSIER]\n" in feuille("import", "--help").stdout
    assert "Usage: feuille import [OPTIONS] FILE... [FOLDER]\n" in feuille("import", "--lang", "en", "--help").stdout


# --- guillemets ---------------------------------------------------------------------------------

def test_unbroken_joins_guillemets_to_their_words():
    assert usage.unbroken("un « mot » ici") == "un «\u00a0mot\u00a0» ici"
    assert usage.unbroken("« a\nb »") == "«\u00a0a\nb\u00a0»"
    assert usage.unbroken("no guillemets: 'x'") == "no guillemets: 'x'"


@pytest.mark.parametrize("width", [50, 60, 70, 80, 100])
def test_no_help_line_ends_with_an_opening_guillemet_nor_starts_with_a_closing_one(width):
    for name, _cmd in _commands():
        out = feuille(*([name] if name else []), "--help", env={"FEUILLE_LANG": None, "COLUMNS": str(width)}).stdout
        for line in out.splitlines():
            assert not line.rstrip().endswith("«") and not line.strip().startswith("»"), f"`feuille {name} --help` (width {width}):\n{out}"
