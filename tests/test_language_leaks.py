"""No French typography, French examples, raw codes or French words in English output, and the
other way round: what a tester found on plans/la-louviere, one test per leak, French and English."""

from __future__ import annotations

import re

from _cli import feuille
from test_lint_cli import EXAMPLES

LL = str(EXAMPLES / "la-louviere")
AS_OF = "2026-11-22"


def run(*args: str, lang: str | None = None, **kw):
    extra = ("--lang", lang) if lang else ()
    return feuille(*args, "--as-of", AS_OF, *extra, **kw) if "--as-of" not in args else feuille(*args, *extra, **kw)


def test_show_objective_says_the_weighting_in_words_and_the_languages_punctuation():
    fr = run("show", "O1", "--plan", LL)
    assert fr.returncode == 0, fr.stderr
    assert "(moyenne de 6, pondération égale ; 6 sur 6 actions connues)" in fr.stdout
    assert "(avancement déclaré ; A. Sabbatini / B. Wiaux)" in fr.stdout
    en = run("show", "O1", "--plan", LL, lang="en")
    assert en.returncode == 0, en.stderr
    assert "Progress: 58% (mean of 6, equal weights; 6 of 6 actions known)" in en.stdout
    assert "(declared progress; A. Sabbatini / B. Wiaux)" in en.stdout
    assert " ; " not in en.stdout and "equal ;" not in en.stdout


def test_show_writes_an_indicators_percent_the_languages_way():
    fr = run("show", "A3.2", "--plan", LL)
    assert "départ 18\u202f%, cible 10\u202f%" in fr.stdout  # as every other percentage (views/format.py)
    assert "31/12/2025 : 17\u202f%" in fr.stdout and "30/06/2026 : 15,5\u202f%" in fr.stdout
    en = run("show", "A3.2", "--plan", LL, lang="en")
    assert "baseline 18%, target 10%" in en.stdout
    assert "31 Dec 2025: 17%" in en.stdout and "30 Jun 2026: 15.5%" in en.stdout
    assert not re.search(r"\d %", en.stdout)


def test_show_names_the_status_that_implies_progress_in_words():
    fr = run("show", "A6.3", "--plan", LL)
    assert "(déduit du statut « à venir »)" in fr.stdout
    en = run("show", "A6.3", "--plan", LL, lang="en")
    assert "(implied by the status 'not started')" in en.stdout
    assert "not_started" not in fr.stdout + en.stdout
