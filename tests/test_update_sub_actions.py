"""``feuille update A1.1.2``: a sub-action changed from the command line, inside its action's file, through the one
write service (app/write.py): the same status rules as an action's, the action marked reviewed, every other byte kept."""

from __future__ import annotations

import difflib
import shutil

from tests._cli import feuille
from tests._plans import EXAMPLE, git

AS_OF = "2026-11-30"
A11 = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added)."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    return ([x[1:] for x in lines if x.startswith("-") and not x.startswith("---")],
            [x[1:] for x in lines if x.startswith("+") and not x.startswith("+++")])


def up(plan, *args, input=None):
    return feuille("update", *args, "--plan", plan, "--as-of", AS_OF, input=input)


def test_a_sub_action_done_is_written_in_its_action_file_and_the_action_is_reviewed(plan):
    before = (plan / A11).read_text()
    r = up(plan, "A1.1.2", "--status", "terminé")
    assert r.returncode == 0, r.stderr
    assert ("A1.1 : A1.1.2 : statut en cours → terminée, A1.1.2 : avancement 40 → 100 %, A1.1.2 : fin effective – → 30/11/2026"
            in r.stdout)
    assert diff(before, (plan / A11).read_text()) == (
        ["    status: ongoing", "    progress: 40", "last_reviewed: 2026-10-15"],
        ["    actual_end: 2026-11-30", "    status: done", "    progress: 100", "last_reviewed: 2026-11-30"])
    assert feuille("lint", plan).returncode == 0


def test_progress_and_set_of_a_sub_action_keep_every_other_line(plan):
    before = (plan / A11).read_text()
    r = up(plan, "a1.1.3", "--progress", "55 %", "--set", "échéance=31/12/2027", "--set", "notes=Avec le service propreté",
           "--reason", "marché relancé")
    assert r.returncode == 0, r.stderr
    assert ("A1.1 : A1.1.3 : avancement 30 → 55 %, A1.1.3 : échéance 30/06/2027 → 31/12/2027, A1.1.3 : notes : nouveau texte, "
            "A1.1.3 : glissement : marché relancé" in r.stdout)
    removed, added = diff(before, (plan / A11).read_text())
    assert removed == ["    planned_end: 2027-06-30", "    progress: 30", "last_reviewed: 2026-10-15"]
    assert added == ["    planned_end: 2027-12-31", "    reschedules:", "      - {date: 2026-11-30, from: 2027-06-30, to: 2027-12-31, reason: marché relancé}",
                     "    progress: 55", "    notes: Avec le service propreté", "last_reviewed: 2026-11-30"]


def test_a_progress_contradicting_a_done_sub_action_is_refused_in_french(plan):
    before = (plan / A11).read_bytes()
    r = up(plan, "A1.1.1", "--progress", "60")
    assert r.returncode == 2
    assert "A1.1.1 est « terminée » : un avancement de 60 % la contredit ; rien n'a été écrit." in r.stderr
    assert "Donnez aussi --status ongoing (en cours), ou --progress 100." in r.stderr
    assert (plan / A11).read_bytes() == before


def test_a_field_a_sub_action_has_not_and_a_reason_without_a_move_are_refused(plan):
    before = (plan / A11).read_bytes()
    r = up(plan, "A1.1.3", "--set", "health=good")
    assert r.returncode == 2
    assert "« health » n'est pas un champ d'une sous-action (A1.1.3 « Pesage des déchets par zone de ramassage »)." in r.stderr
    r = up(plan, "A1.1.3", "--progress", "35", "--reason", "marché relancé")
    assert r.returncode == 2
    assert "--reason accompagne --planned-end (le glissement d'une échéance) ; rien n'a été écrit." in r.stderr
    assert (plan / A11).read_bytes() == before


def test_a_moved_sub_action_deadline_needs_a_reason_and_is_recorded_like_an_actions(plan):
    before = (plan / A11).read_bytes()
    r = up(plan, "A1.1.3", "--planned-end", "31/12/2027")
    assert r.returncode == 2
    assert "A1.1.3 : l'échéance passerait du 30/06/2027 au 31/12/2027 sans raison ; rien n'a été écrit." in r.stderr
    assert "ajoutez --reason" in r.stderr
    assert (plan / A11).read_bytes() == before
    r = up(plan, "A1.1.3", "--planned-end", "31/12/2027", "--reason", "marché relancé")
    assert r.returncode == 0, r.stderr
    assert "A1.1 : A1.1.3 : échéance 30/06/2027 → 31/12/2027, A1.1.3 : glissement : marché relancé" in r.stdout
    removed, added = diff(before.decode(), (plan / A11).read_text())
    assert removed == ["    planned_end: 2027-06-30", "last_reviewed: 2026-10-15"]
    assert added == ["    planned_end: 2027-12-31", "    reschedules:",
                     "      - {date: 2026-11-30, from: 2027-06-30, to: 2027-12-31, reason: marché relancé}", "last_reviewed: 2026-11-30"]
    shown = feuille("show", "A1.1.3", "--plan", plan, "--as-of", AS_OF)
    assert "  Prévu : 02/03/2026 – 31/12/2027\n  Glissements\n    30/11/2026 : 30/06/2027 → 31/12/2027 — marché relancé\n" in shown.stdout
    r = up(plan, "A1.1.3", "--planned-end", "31/03/2028", "--reason", "retard du fournisseur")  # a second move, below the first
    assert r.returncode == 0, r.stderr
    assert ("      - {date: 2026-11-30, from: 2027-06-30, to: 2027-12-31, reason: marché relancé}\n"
            "      - {date: 2026-11-30, from: 2027-12-31, to: 2028-03-31, reason: retard du fournisseur}\n") in (plan / A11).read_text()
    assert feuille("lint", plan, "--as-of", AS_OF).returncode == 0


def committed_example(tmp_path):
    """A copy of the example plan, committed once (« init ») in its own git repository."""
    plan = tmp_path / "ll"
    shutil.copytree(EXAMPLE, plan)
    git(plan, "init", "-q")
    git(plan, "add", ".")
    git(plan, "commit", "-qm", "init")
    return plan


def test_a_sub_action_deadline_move_in_diff_and_log(tmp_path):
    plan = committed_example(tmp_path)
    r = feuille("update", "A1.1.3", "--planned-end", "31/12/2027", "--reason", "marché relancé", "--plan", plan, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    git(plan, "commit", "-qam", "report")
    out = feuille("diff", "HEAD~1", "HEAD", "--plan", plan, env={"FEUILLE_HISTORY": "on"})
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "A1.1.3" in text and "marché relancé" in text, out.stdout
    log = feuille("log", "A1.1", "--plan", plan, env={"FEUILLE_HISTORY": "on"})  # (the log of an action says its sub-actions' changes)
    assert log.returncode == 0, log.stderr
    assert log.stdout.startswith("Historique de A1.1 « Cadastre des besoins"), log.stdout  # its own title, not its sub-action's
    assert "marché relancé" in " ".join(log.stdout.split()), log.stdout


def test_an_unknown_sub_action_id_says_the_closest(plan):
    r = up(plan, "A1.1.9", "--status", "done")
    assert r.returncode == 2
    assert "aucun objectif ni action « A1.1.9 » dans le plan" in r.stderr
    assert "Les plus proches : A1.1.3 (Pesage des déchets par zone de ramassage)" in r.stderr


def test_log_of_a_sub_action_is_its_action_s_history_kept_to_it(tmp_path):
    plan = committed_example(tmp_path)
    assert feuille("update", "A1.1.3", "--planned-end", "31/12/2027", "--reason", "marché relancé", "--plan", plan, "--as-of", AS_OF).returncode == 0
    git(plan, "commit", "-qam", "report")
    assert feuille("update", "A1.1", "--progress", "35", "--plan", plan, "--as-of", AS_OF).returncode == 0  # the action's own change, typed
    log = feuille("log", "a1.1.3", "--plan", plan, env={"FEUILLE_HISTORY": "on"})
    assert log.returncode == 0, log.stderr
    text = " ".join(log.stdout.split())
    assert log.stdout.startswith("Historique de A1.1.3 « Pesage des déchets par zone de ramassage »"), log.stdout
    assert "marché relancé" in text and "report" in text
    assert "avancement" not in text and "A1.1.1" not in text  # the action's progress (35) and the other sub-actions: not its own
    as_json = feuille("log", "A1.1.3", "--plan", plan, "--format", "json", env={"FEUILLE_HISTORY": "on"})
    assert as_json.returncode == 0, as_json.stderr
    assert {c["id"] for e in __import__("json").loads(as_json.stdout)["commits"] for c in e["changes"]} == {"A1.1.3"}
    missing = feuille("log", "A1.1.9", "--plan", plan, env={"FEUILLE_HISTORY": "on"})
    assert missing.returncode == 2 and "A1.1.9" in missing.stderr
