"""``feuille update``: each flag, values as staff write them, the diff, the commit, and every bad input."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests._cli import feuille

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-11-30"
O4 = "objectives/04-logement.yaml"
A11 = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"


def up(plan, *args, input=None):
    return feuille("update", *args, "--plan", plan, "--as-of", AS_OF, input=input)


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    removed, added = [], []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    return removed, added


def test_status_done_sets_progress_and_actual_end_and_says_it_in_words(plan):
    before = (plan / O4).read_text()
    r = up(plan, "A4.2", "--status", "terminé")
    assert r.returncode == 0, r.stderr
    assert "A4.2 : statut en cours → terminée, avancement 30 → 100 %, fin effective – → 30/11/2026" in r.stdout
    assert diff(before, (plan / O4).read_text()) == (  # a change a person makes is a review of the action (app/write.py)
        ["    status: ongoing", "    progress: 30", "    last_reviewed: 2026-11-05"],
        ["    actual_end: 2026-11-30", "    status: done", "    progress: 100", "    last_reviewed: 2026-11-30"])


@pytest.mark.parametrize("given, written", [("60%", "60"), ("60 %", "60"), ("0,6", "60"), ("0.45", "45"), ("72,5", "72.5")])
def test_progress_as_staff_write_it(plan, given, written):
    r = up(plan, "A4.2", "--progress", given)
    assert r.returncode == 0, r.stderr
    assert f"    progress: {written}\n" in (plan / O4).read_text()


def test_texts_dates_health_reviewed(plan):
    before = (plan / O4).read_text()
    long = "Le marché de travaux a été relancé après des offres trop chères ; la nouvelle attribution est prévue en janvier."
    r = up(plan, "A4.1", "--achieved", long, "--remaining", "Enrôlements.", "--health", "à risque", "--health-note", "Recours d'un propriétaire.",
           "--actual-start", "03/02/2025", "--reviewed", "--note", "Voir le collège du 12/12.")
    assert r.returncode == 0, r.stderr
    removed, added = diff(before, (plan / O4).read_text())
    assert "    achieved: >-" in added and "    remaining: Enrôlements." in added
    assert "    health: at_risk" in added and "    health_note: Recours d'un propriétaire." in added
    assert "    actual_start: 2025-02-03" in added and "    last_reviewed: 2026-11-30" in added
    assert "    notes: Voir le collège du 12/12." in added
    assert len(removed) == 5  # achieved, remaining, health, actual_start, last_reviewed: nothing else
    shown = feuille("show", "A4.1", "--plan", plan, "--as-of", AS_OF).stdout
    assert "Recours d'un propriétaire" in shown


def test_a_moved_deadline_needs_a_reason_and_is_kept_as_a_reschedule(plan):
    before = (plan / O4).read_text()
    r = up(plan, "A4.1", "--planned-end", "31/12/2027")
    assert r.returncode == 2 and "sans raison" in r.stderr and "--reason" in r.stderr
    assert (plan / O4).read_text() == before
    r = up(plan, "A4.1", "--planned-end", "31/12/2027", "--reason", "Recours au Conseil d'État")
    assert r.returncode == 0, r.stderr
    assert diff(before, (plan / O4).read_text()) == (
        ["    planned_end: 2027-06-30", "    last_reviewed: 2026-10-09"],
        ["    planned_end: 2027-12-31", "    reschedules:",
         "      - {date: 2026-11-30, from: 2027-06-30, to: 2027-12-31, reason: Recours au Conseil d'État}", "    last_reviewed: 2026-11-30"])
    assert "glissement : Recours au Conseil d'État" in r.stdout
    shown = feuille("show", "A4.1", "--plan", plan, "--as-of", AS_OF).stdout
    assert "Glissements" in shown and "Recours au Conseil d'État" in shown
    # a second move appends to the list
    r = up(plan, "A4.1", "--planned-end", "2028-03-31", "--reason", "Hiver")
    assert r.returncode == 0, r.stderr
    assert "      - {date: 2026-11-30, from: 2027-12-31, to: 2028-03-31, reason: Hiver}\n" in (plan / O4).read_text()


def test_spent_and_measure(plan):
    before = (plan / A11).read_text()
    r = up(plan, "A1.1", "--spent", "2026=9 500,50", "--measure", "1=85@15/11/2026", "--measure", "points noirs=87")
    assert r.returncode == 0, r.stderr
    removed, added = diff(before, (plan / A11).read_text())
    line = next(x for x in before.splitlines() if "year: 2026" in x)
    assert removed == [line, "last_reviewed: 2026-10-15"]
    assert added[0].replace(", spent: 9500.5", "") == line and ", article: 875/124-02, spent: 9500.5" in added[0]  # after article, as in the model
    assert added[1:] == ["      - {date: 2026-11-15, value: 85}", "      - {date: 2026-11-30, value: 87}", "last_reviewed: 2026-11-30"]


def test_owners_by_name_and_any_field_with_set(plan):
    r = up(plan, "A4.2", "--admin-owner", "Vanhove", "--political-owner", "nhenrard", "--set", "stake=4", "--set", "tags=logement, CPAS", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "+    admin_owner: kvanhove" in r.stdout and "+    political_owners: [nhenrard]" in r.stdout
    assert "+    tags: [logement, CPAS]" in r.stdout and "Simulation (--dry-run)" in r.stdout
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text()


def test_an_objective_field(plan):
    r = up(plan, "O4", "--set", "échéance=30/06/2030", "--note", "Revu au collège.")
    assert r.returncode == 0, r.stderr
    text = (plan / O4).read_text()
    assert text.splitlines()[7:9] == ["planned_end: 2030-06-30", "notes: Revu au collège."] or "notes: Revu au collège." in text


# --- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, code, words", [
    (("A4.9", "--status", "done"), 2, "Les plus proches : A4.2"),
    (("O4", "--status", "done"), 2, "n'est pas un champ d'un objectif"),
    (("A4.2", "--set", "couleur=bleu"), 2, "n'est pas un champ d'une action"),
    (("A4.2", "--progress", "beaucoup"), 2, "nombre invalide"),
    (("A4.2", "--progress", "140"), 2, "hors limites"),
    (("A4.2", "--actual-end", "31/02/2026"), 2, "date invalide"),
    (("A4.2", "--status", "bof"), 2, "valeur inconnue pour statut"),
    (("A4.2", "--status", "en cour"), 2, "Vouliez-vous dire : « en cours » ? Valeurs possibles : à venir, en cours, en attente, terminée, annulée."),
    (("A4.2", "--status", "done", "--progress", "40"), 2, "se contredisent"),
    (("A4.2", "--admin-owner", "Personne"), 2, "inconnue"),
    (("A4.2", "--spent", "2031=100"), 2, "pas de ligne budgétaire"),
    (("A4.2", "--spent", "2026=100"), 2, "2 lignes budgétaires en 2026"),
    (("A4.2", "--measure", "1=3"), 2, "pas d'indicateur"),
    (("A4.2", "--reason", "parce que"), 2, "--reason accompagne --planned-end"),
    (("A4.2", "--set", "stake=9"), 1, "ajouterait 1 erreur"),
    (("A4.2", "--set", "id=A9"), 2, "l'identifiant ne change pas"),
])
def test_bad_input_is_refused_and_nothing_is_written(plan, args, code, words):
    r = up(plan, *args)
    assert r.returncode == code, (r.stdout, r.stderr)
    assert words in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text()


def test_a_plan_with_errors_elsewhere_is_updated_if_the_change_adds_none(plan):
    other = plan / "objectives/02-securite.yaml"
    other.write_text(other.read_text().replace("political_owners: [", "political_owners: [inconnu, ", 1))
    r = up(plan, "A4.2", "--progress", "35")
    assert r.returncode == 1, r.stderr  # written, and the plan still has its error
    assert "    progress: 35\n" in (plan / O4).read_text()
    r = up(plan, "A4.2", "--admin-owner", "kvanhove", "--set", "roi=12")
    assert r.returncode == 1 and "ajouterait" in r.stderr


def test_a_read_only_file_is_refused(plan):
    (plan / O4).chmod(0o444)  # refused by its mode, even for root
    r = up(plan, "A4.2", "--progress", "35")
    assert r.returncode == 2 and "lecture seule" in r.stderr
    assert f"{O4} est en lecture seule ; rien n'a été écrit. Rendez-le modifiable" in r.stderr
    r = up(plan, "A4.2", "--progress", "35", "--lang", "en")
    assert r.returncode == 2
    assert f"{O4} is read-only; nothing was written. Make it writable (the file's properties, or 'chmod u+w')" in r.stderr


def test_a_file_changed_between_read_and_write_is_refused(plan, monkeypatch):
    from feuille.app import write as service

    real = service.new_errors

    def meanwhile(loaded, edits, as_of):
        (plan / O4).write_text((plan / O4).read_text() + "# ajouté par un collègue\n")
        return real(loaded, edits, as_of)

    monkeypatch.setattr(service, "new_errors", meanwhile)
    r = up(plan, "A4.2", "--progress", "35")
    assert r.returncode == 2 and "modifié pendant l'opération" in r.stderr
    assert "progress: 30" in (plan / O4).read_text()
    r = up(plan, "A4.2", "--progress", "35", "--lang", "en")
    assert r.returncode == 2, r.stderr
    assert f"{O4} was changed during the operation; nothing was written. Run the command again." in r.stderr


# --- commit ------------------------------------------------------------------------------------------


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_commit_commits_exactly_the_changed_file_with_words_and_no_hook(plan):
    git(plan, "init", "-q")
    git(plan, "-c", "user.name=t", "-c", "user.email=t@x", "add", ".")
    git(plan, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init")
    (plan / "people.yaml").write_text((plan / "people.yaml").read_text() + "# pas prêt\n")  # another change, not committed
    hook = plan / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\ntouch HOOK_RAN\nexit 1\n")
    hook.chmod(0o755)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    r = feuille("update", "A4.2", "--status", "done", "--plan", plan, "--as-of", AS_OF, "--commit", env=env)
    assert r.returncode == 0, r.stderr
    assert git(plan, "log", "-1", "--format=%s") == "A4.2 : statut en cours → terminée, avancement 30 → 100 %, fin effective – → 30/11/2026\n"
    assert git(plan, "show", "--name-only", "--format=", "HEAD").split() == [O4]
    assert not (plan / "HOOK_RAN").exists()
    assert "people.yaml" in git(plan, "status", "--short")


def test_no_commit_by_default(plan):
    git(plan, "init", "-q")
    r = up(plan, "A4.2", "--progress", "35")
    assert r.returncode == 0
    assert "Commit" not in r.stdout


# --- interactive ---------------------------------------------------------------------------------------


def test_interactive_asks_each_field_asks_again_a_wrong_date_then_writes(plan):
    before = (plan / O4).read_text()
    answers = "\n".join([
        "en cours",        # statut (kept)
        "45 %",            # avancement
        "",                # réalisations: kept
        "",                # reste à faire
        "",                # santé (à risque): kept
        "",                # note de santé
        "31/13/2025",      # début effectif: wrong, asked again
        "01/10/2025",
        "",                # fin effective
        "31/12/2027",      # échéance: moved...
        "Marché relancé",  # ...so: why?
        "o",               # reviewed
        "o",               # write
    ]) + "\n"
    r = up(plan, "A4.2", input=answers)
    assert r.returncode == 0, r.stderr
    assert "date invalide pour début effectif" in r.stdout
    removed, added = diff(before, (plan / O4).read_text())
    assert added == ["    planned_end: 2027-12-31", "    reschedules:",
                     "      - {date: 2026-11-30, from: 2027-09-30, to: 2027-12-31, reason: Marché relancé}",
                     "    actual_start: 2025-10-01", "    progress: 45", "    last_reviewed: 2026-11-30"]


def test_interactive_contradiction_is_asked_again(plan):
    answers = "terminé\n40\n100\n" + "\n" * 7 + "o\no\n"
    r = up(plan, "A4.2", input=answers)
    assert r.returncode == 0, r.stderr
    assert "Une action terminée est à 100 %" in r.stdout
    assert "    status: done\n    progress: 100\n" in (plan / O4).read_text()


def test_interactive_no_or_interrupted_writes_nothing(plan):
    r = up(plan, "A4.2", "-i", input="terminé\n" + "\n" * 9 + "o\nn\n")
    assert r.returncode == 0 and "Rien n'a été écrit" in r.stdout
    r = up(plan, "A4.2", input="terminé\n45\n")  # the input ends (Ctrl-D / Ctrl-C) in the middle
    assert r.returncode == 2 and "interrompu : rien n'a été écrit" in r.stderr
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text()
    assert not (plan / ".feuille-journal").exists()


def test_interactive_takes_french_words_and_synonyms_and_suggests_the_closest(plan):
    # « en cour » (a typo) is asked again with the closest word and the words to choose from, in French; « fini » is understood
    answers = "en cour\nfini\n100\n" + "\n" * 7 + "o\no\n"
    r = up(plan, "A4.2", input=answers)
    assert r.returncode == 0, r.stderr
    assert ("✗ valeur inconnue pour statut : « en cour ». Vouliez-vous dire : « en cours » ? "
            "Valeurs possibles : à venir, en cours, en attente, terminée, annulée.") in r.stdout
    assert "not_started" not in r.stdout
    assert "    status: done\n    progress: 100\n" in (plan / O4).read_text()


@pytest.mark.parametrize("word, written", [("à venir", "not_started"), ("Terminée", "done"), ("en attente", "on_hold"),
                                           ("abandonné", "cancelled"), ("in progress", "ongoing"), ("on_hold", "on_hold")])
def test_interactive_status_as_people_write_it(plan, word, written):
    progress = {"not_started": "0\n", "done": "\n\n"}.get(written, "\n")  # (a done action's progress is asked again: 100 by default)
    answers = f"{word}\n{progress}" + "\n" * 7 + "o\no\n"
    r = up(plan, "A4.2", input=answers)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "✗" not in r.stdout
    assert f"    status: {written}\n" in (plan / O4).read_text()


def test_interactive_suggestion_in_english(plan):
    answers = "in progres\ndone\n" + "\n" * 9 + "yes\nyes\n"
    r = up(plan, "A4.2", "--lang", "en", input=answers)
    assert r.returncode == 0, r.stderr
    assert ("✗ unknown value for status: 'in progres'. Did you mean: 'ongoing'? "
            "Possible values: not started, ongoing, on hold, done, cancelled.") in r.stdout
    assert "    status: done\n" in (plan / O4).read_text()


# --- fidelity through the command: only the intended lines differ ------------------------------------------

ODD = {
    "comments, CRLF and BOM": (b"\xef\xbb\xbf# en-t\xc3\xaate\r\nid: O2\r\ntitle: S\xc3\xa9curit\xc3\xa9   # court\r\nactions:\r\n"
                               b"  - id: A2.1   # premi\xc3\xa8re\r\n    title: Cam\xc3\xa9ras\r\n    status: ongoing  # statut\r\n    progress: 30\r\n"
                               b"    # fin\r\n  - id: A2.2\r\n    title: Parkings\r\n",
                               [b"    status: ongoing  # statut\r\n", b"    progress: 30\r\n"],
                               [b"    actual_end: 2026-11-30\r\n", b"    status: done  # statut\r\n", b"    progress: 100\r\n",
                                b"    last_reviewed: 2026-11-30\r\n"]),
    "flow style": (b"id: O2\ntitle: S\n# liste en ligne\nactions:\n  - {id: A2.1, title: Cam, status: ongoing, progress: 30}\n  - {id: A2.2, title: P}\n",
                   [b"  - {id: A2.1, title: Cam, status: ongoing, progress: 30}\n"],
                   [b"  - {id: A2.1, title: Cam, actual_end: 2026-11-30, status: done, progress: 100, last_reviewed: 2026-11-30}\n"]),
    "odd indentation, no final line break": (b"id: O2\ntitle: S\nactions:\n-     id: A2.1\n      title: Cam\n      status: ongoing\n      progress: 30\n-     id: A2.2\n      title: P",
                                             [b"      status: ongoing\n", b"      progress: 30\n"],
                                             [b"      actual_end: 2026-11-30\n", b"      status: done\n", b"      progress: 100\n",
                                              b"      last_reviewed: 2026-11-30\n"]),
}


@pytest.mark.parametrize("name", list(ODD))
def test_fidelity_only_the_intended_lines_differ(plan, name):
    import difflib

    content, removed, added = ODD[name]
    target = plan / "objectives/02-securite.yaml"
    target.write_bytes(content)
    r = up(plan, "A2.1", "--status", "done", "--reviewed")
    assert r.returncode in (0, 1), r.stderr
    after = target.read_bytes()
    old, new = content.splitlines(keepends=True), after.splitlines(keepends=True)
    got_removed, got_added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            got_removed += old[i1:i2]
            got_added += new[j1:j2]
    assert (got_removed, got_added) == (removed, added)
    assert after.startswith(b"\xef\xbb\xbf") == content.startswith(b"\xef\xbb\xbf")
    assert after.endswith(b"\n") == content.endswith(b"\n")


def test_an_action_that_starts_gets_its_actual_start(plan):
    r = up(plan, "A1.6", "--status", "en cours", "--progress", "5", "--dry-run")
    assert r.returncode in (0, 1), r.stderr
    assert "statut à venir → en cours" in r.stdout and "début effectif – → 30/11/2026" in r.stdout
    assert "+actual_start: 2026-11-30\n" in r.stdout


def test_english_with_lang_en(plan):
    r = up(plan, "A4.2", "--status", "done", "--progress", "40", "--lang", "en")
    assert r.returncode == 2 and "contradict each other; nothing was written" in r.stderr and "se contredisent" not in r.stderr
    r = up(plan, "A4.2", "--status", "done", "--lang", "en")
    assert r.returncode == 0 and "A4.2: status ongoing → done, progress 30 → 100%" in r.stdout
    r = up(plan, "A4.2", "--progress", "30")  # the next command is French again
    assert r.returncode == 2 and "la contredit" in r.stderr
    r = feuille("review", "--owner", "nhenrard", "--non-interactive", "--plan", plan, "--as-of", "2027-06-20", "--lang", "en")
    assert "to review for nhenrard" in r.stdout
    r = feuille("new", "action", "--title", "x", "--plan", plan, "--lang", "en")
    assert r.returncode == 2 and "an action goes in an objective" in r.stderr


# --- every refusal in the user's language ------------------------------------------------------------------


@pytest.mark.parametrize("args, fr, en", [
    (("A4.2", "--spent", "2026"), "--spent « 2026 » : écrivez ANNÉE=MONTANT, par exemple --spent 2026=12500.",
     "--spent '2026': write YEAR=AMOUNT, for example --spent 2026=12500."),
    (("A4.2", "--spent", "2031=100"), "A4.2 n'a pas de ligne budgétaire pour l'exercice « 2031 » ; rien n'a été écrit.\n  Exercices prévus : 2026.",
     "A4.2 has no budget line for the year '2031'; nothing was written.\n  Years planned: 2026."),
    (("A4.2", "--spent", "2026=100"), "A4.2 a 2 lignes budgétaires en 2026 ; laquelle ?\n  Écrivez --spent 2026/1=MONTANT pour la première, 2026/2=... pour la deuxième.",
     "A4.2 has 2 budget lines in 2026; which one?\n  Write --spent 2026/1=AMOUNT for the first, 2026/2=... for the second."),
    (("A4.2", "--spent", "2026/3=100"), "A4.2 n'a pas de 3e ligne budgétaire en 2026.", "A4.2 has no budget line number 3 in 2026."),
    (("A4.2", "--spent", "2026/1=beaucoup"), "nombre invalide pour le montant engagé 2026 : « beaucoup ».",
     "invalid number for the amount spent in 2026: 'beaucoup'."),
    (("A4.2", "--measure", "1=3"), "A4.2 n'a pas d'indicateur ; rien n'a été écrit.\n  Ajoutez d'abord l'indicateur dans le fichier (docs/format.md).",
     "A4.2 has no indicator; nothing was written.\n  First add the indicator in the file (docs/format.md)."),
    (("A1.1", "--measure", "x"), "--measure « x » : écrivez INDICATEUR=VALEUR@DATE, par exemple --measure 1=81@30/06/2026.",
     "--measure 'x': write INDICATOR=VALUE@DATE, for example --measure 1=81@30/06/2026."),
    (("A1.1", "--measure", "inconnu=3"), "A1.1 : indicateur « inconnu » inconnu.\n  Donnez son numéro ou son intitulé : 1. Points noirs",
     "A1.1: unknown indicator 'inconnu'.\n  Give its number or its title: 1. Points noirs"),
    (("A1.1", "--measure", "1=beaucoup"), "nombre invalide pour la mesure : « beaucoup ».", "invalid number for the measurement: 'beaucoup'."),
    (("A1.1", "--measure", "1=3@32/13/2026"), "date invalide pour la date de la mesure : « 32/13/2026 ».",
     "invalid date for the date of the measurement: '32/13/2026'."),
    (("A4.2", "--progress", "beaucoup"), "nombre invalide pour l'avancement : « beaucoup ».", "invalid number for the progress: 'beaucoup'."),
    (("A4.2", "--admin-owner", "Personne"), "responsable administratif : Personne « Personne » inconnue", "administrative owner: Unknown person 'Personne'"),
])
def test_refusals_in_french_and_in_english(plan, args, fr, en):
    r = up(plan, *args)
    assert r.returncode == 2 and f"feuille : {fr}" in r.stderr, r.stderr
    r = up(plan, *args, "--lang", "en")
    assert r.returncode == 2 and f"feuille: {en}" in r.stderr, r.stderr
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text() and (plan / A11).read_text() == (EXAMPLE / A11).read_text()


def test_a_failed_write_says_what_became_of_the_file_in_the_users_language(plan, monkeypatch):
    import errno
    import os

    from feuille.io import transaction

    real = os.replace

    def disk_full(src, dst):
        if str(dst).endswith(".yaml"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(transaction.os, "replace", disk_full)
    r = up(plan, "A4.2", "--progress", "35")
    assert r.returncode == 2, r.stderr
    assert "feuille : l'écriture a échoué (sur " in r.stderr and ") : disque plein. Le plan est resté tel qu'il était :\n" in r.stderr
    assert "04-logement.yaml : inchangé\n" in r.stderr
    r = up(plan, "A4.2", "--progress", "35", "--lang", "en")
    assert r.returncode == 2, r.stderr
    assert "feuille: the write failed (on " in r.stderr and "): disk full. The plan was left as it was:\n" in r.stderr
    assert "04-logement.yaml: unchanged\n" in r.stderr
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text() and not (plan / ".feuille-journal").exists()


def test_an_interrupted_write_that_cannot_be_put_right_stops_the_next_one_in_the_users_language(plan):
    import json

    backup = plan / "objectives" / ".05-gone.yaml.feuille-x.bak"
    backup.write_text("id: O5\n", encoding="utf-8")
    journal = {"version": 1, "state": "staging", "pid": 1, "host": "a-machine-gone", "files": [
        {"target": str(plan / "objectives" / "05-gone.yaml"), "shown": "objectives/05-gone.yaml", "temp": str(plan / "objectives" / ".05-gone.tmp"),
         "backup": str(backup), "before": "00", "after": "11"}]}
    (plan / ".feuille-journal").write_text(json.dumps(journal), encoding="utf-8")
    r = up(plan, "A4.2", "--progress", "35")
    assert r.returncode == 2, r.stderr
    assert ("feuille : une écriture précédente a été interrompue et n'a pas pu être remise en ordre entièrement ; rien n'a été écrit :\n"
            f"  objectives/05-gone.yaml : absent ; l'original est gardé dans {backup}\n"
            "Remettez ces fichiers en place") in r.stderr
    r = up(plan, "A4.2", "--progress", "35", "--lang", "en")
    assert r.returncode == 2, r.stderr
    assert ("feuille: an earlier write was interrupted and could not be wholly put back in order; nothing was written:\n"
            f"  objectives/05-gone.yaml: missing; the original is kept in {backup}\n"
            "Put these files back in place") in r.stderr
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text() and backup.exists()
    r = feuille("lint", plan, "--lang", "en")  # the loader says it too, as the plan's error F112
    assert r.returncode == 1 and "an earlier write was interrupted and could not be wholly put back in order" in r.stdout + r.stderr


def test_interactive_in_english(plan):
    answers = "done\n" + "\n" * 9 + "yes\nyes\n"
    r = up(plan, "A4.2", "--lang", "en", input=answers)
    assert r.returncode == 0, r.stderr
    assert "Enter keeps the value in brackets" in r.stdout and "Save these changes? [Y/n]" in r.stdout
    assert "    status: done\n    progress: 100\n" in (plan / O4).read_text()
    assert "A4.2: status ongoing → done" in r.stdout


def test_a_dash_empties_a_field_through_the_write_service(plan):
    before = (plan / O4).read_text()
    r = up(plan, "A4.2", "--set", "health_note=-")
    assert r.returncode == 0, r.stderr
    assert "A4.2 : note de santé : vidé" in r.stdout
    removed, added = diff(before, (plan / O4).read_text())
    assert removed == ["    health_note: Offres reçues 20 % au-dessus de l'estimation ; relance du marché à l'étude.", "    last_reviewed: 2026-11-05"]
    assert added == ["    last_reviewed: 2026-11-30"]
