"""``feuille new sub-action --in ACTION``: a new sub-action appended to its action's ``sub_actions`` through the one write
service (app/write.py): the next free id (the action's followed by .n), the file's own block style, the action reviewed,
the same status rules as a new action's, checked first; refused in French when --in is not an action."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests._cli import feuille

PLANS = Path(__file__).parent.parent / "plans"
AS_OF = "2026-11-30"
A11 = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"
A12 = "objectives/01-cadre-de-vie/A1.2-besoins-humains.yaml"


def new(plan, *args, input=None):
    return feuille("new", "sub-action", *args, "--plan", plan, "--as-of", AS_OF, input=input)


def test_a_new_sub_action_is_appended_under_the_others_and_the_action_is_reviewed(plan):
    before = (plan / A11).read_text()
    r = new(plan, "--in", "A1.1", "--title", "Pose de caméras aux points noirs", "--admin-owner", "Wiaux",
            "--political-owner", "Sabbatini", "--planned-start", "01/01/2027", "--planned-end", "30/06/2027")
    assert r.returncode == 0, r.stderr
    assert "A1.1.4 « Pose de caméras aux points noirs » : nouvelle sous-action de A1.1 dans objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml." in r.stdout
    after = (plan / A11).read_text()
    added = ("  - id: A1.1.4\n    title: Pose de caméras aux points noirs\n    political_owners: [asabbatini]\n    admin_owner: bwiaux\n"
             "    planned_start: 2027-01-01\n    planned_end: 2027-06-30\n    status: not_started\n")
    anchor = "    progress: 30\n"  # the last line of the last sub-action, A1.1.3
    assert after == before.replace(anchor, anchor + added, 1).replace("last_reviewed: 2026-10-15", "last_reviewed: 2026-11-30")
    shown = feuille("show", "A1.1.4", "--plan", plan, "--as-of", AS_OF)
    assert shown.returncode == 0 and "Pose de caméras aux points noirs" in shown.stdout
    lint = feuille("lint", plan, "--strict", "--format", "json", "--as-of", AS_OF)
    assert lint.returncode == 0, lint.stdout
    about = [d for d in json.loads(lint.stdout)["diagnostics"] if (d["object"] or {}).get("id") in ("A1.1", "A1.1.4")]
    assert about == [], about


def test_the_first_sub_action_of_an_action_starts_a_block_list(plan):
    r = new(plan, "--in", "a1.2", "--title", "Recrutement de deux agents", "--status", "en cours")
    assert r.returncode == 0, r.stderr
    text = (plan / A12).read_text()
    assert "health: good\nsub_actions:\n  - id: A1.2.1\n    title: Recrutement de deux agents\n    status: ongoing\nstake: 4\n" in text
    assert "A1.2.1 « Recrutement de deux agents »" in r.stdout
    r = new(plan, "--in", "A1.2", "--title", "Formation", "--dry-run")
    assert "+  - id: A1.2.2\n+    title: Formation\n+    status: not_started\n" in r.stdout  # the next one below it


def test_ids_written_in_the_file_are_kept_and_the_next_free_one_is_taken(plan):
    path = plan / A11
    text = path.read_text().replace("  - title: Recensement des bulles", "  - id: A1.1.4\n    title: Recensement des bulles")
    path.write_text(text)
    r = new(plan, "--in", "A1.1", "--title", "Bilan")
    assert r.returncode == 0, r.stderr
    assert "  - id: A1.1.5\n    title: Bilan\n    status: not_started\n" in path.read_text()  # A1.1.4 is taken: the next free one
    r = new(plan, "--in", "A1.1", "--title", "Autre", "--id", "A1.1.5")
    assert r.returncode == 2
    assert "l'identifiant « A1.1.5 » est déjà pris" in r.stderr
    r = new(plan, "--in", "A1.1", "--title", "Autre", "--id", "A1.1.20")
    assert r.returncode == 0, r.stderr
    assert "  - id: A1.1.20\n    title: Autre\n" in path.read_text()


def test_a_done_sub_action_is_dated_and_a_contradiction_is_refused(plan):
    r = new(plan, "--in", "A1.1", "--title", "Achevée", "--status", "terminé", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "+    actual_end: 2026-11-30\n+    status: done\n" in r.stdout


@pytest.mark.parametrize(("args", "message", "hint"), [
    (("--in", "O1", "--title", "x"), "« O1 » est un objectif : une sous-action va dans une action.",
     "Donnez --in avec l'identifiant d'une action ; un objectif reçoit des actions : feuille new action --in O1."),
    (("--in", "A1.1.2", "--title", "x"), "« A1.1.2 » est une sous-action : les sous-actions n'ont qu'un niveau.",
     "Donnez --in avec l'identifiant de son action (A1.1)."),
    (("--in", "A1.1.9", "--title", "x"), "aucun objectif ni action « A1.1.9 » dans le plan", "Les plus proches : A1.1.3"),
    (("--title", "x"), "une sous-action va dans une action : donnez --in ID.", 'Exemple : feuille new sub-action --in A1.1 --title "..."'),
    (("--in", "A1.1", "--title", "x", "--service", "cadre-vie"),
     "une sous-action n'a pas de --service : elle a un intitulé, des responsables, des dates et un statut.",
     "Retirez --service ; c'est son action qui le porte (feuille update ACTION)."),
    (("--in", "A1.1", "--title", "x", "--admin-owner", "Personne"), "responsable administratif", ""),
])
def test_bad_input_is_refused_in_french_and_nothing_is_written(plan, args, message, hint):
    before = (plan / A11).read_bytes()
    r = new(plan, *args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr, r.stderr
    assert hint in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert (plan / A11).read_bytes() == before


def test_a_write_that_would_add_an_error_is_refused(plan):
    before = (plan / A11).read_bytes()
    r = new(plan, "--in", "A1.1", "--title", "x", "--planned-start", "01/01/2028", "--planned-end", "01/01/2027")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "rien n'a été écrit" in r.stderr
    assert (plan / A11).read_bytes() == before


def test_questions_when_the_title_is_missing_and_english(plan):
    r = new(plan, "--in", "A1.1", input="Bilan final\n\nWiaux\n\n31/12/2026\n")
    assert r.returncode == 0, r.stderr
    assert "Nouvelle sous-action dans A1.1 « Cadastre des besoins" in r.stdout
    assert "  - id: A1.1.4\n    title: Bilan final\n    admin_owner: bwiaux\n    planned_end: 2026-12-31\n" in (plan / A11).read_text()
    r = feuille("new", "sub-action", "--in", "A1.1", "--title", "x", "--volet", "internal", "--plan", plan, "--lang", "en")
    assert r.returncode == 2
    assert "a sub-action has no --volet: it has a title, owners, dates and a status." in r.stderr


def test_the_strategic_plan_and_commit(tmp_path):
    import subprocess

    from feuille.pipeline import load_path

    dest = tmp_path / "ps"
    shutil.copytree(PLANS / "plan-strategique", dest)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "init"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", *args], cwd=dest, check=True)
    import datetime as dt

    ident = next(a.id for a, _o in load_path(dest, dt.date(2026, 11, 30)).plan.actions() if not a.sub_actions)
    r = feuille("new", "sub-action", "--in", ident, "--title", "Étape une", "--commit", "--plan", dest, "--as-of", AS_OF, env=env)
    assert r.returncode in (0, 1), r.stderr
    log = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=dest, capture_output=True, text=True, check=True).stdout
    assert log.strip() == f"{ident}.1 : nouvelle sous-action « Étape une » dans {ident}"
    assert subprocess.run(["git", "status", "--short"], cwd=dest, capture_output=True, text=True, check=True).stdout == ""
