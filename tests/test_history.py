"""The plan through time (issue 14): diff, log, the past as it was, validations.

Each test builds a small git repository in a temporary folder from a copy of the example
plan, with dated commits (Brussels time) and known changes:

1. 10/02/2025 « Plan initial » (Marie Dupont);
2. 15/06/2025 (Paul Frasca): A2.1 progress 40 → 60 and deadline 31/12/2027 → 02/04/2028 (+93 days),
   A2.3 budget 95 000 → 120 000, A1.4's file renamed;
3. 31/12/2025 23:30 Brussels (Marie Dupont): A2.9 added to O2, A2.2 moved to O3's file, A2.3 retitled,
   A2.1 done, a new owner for A3.1;
4. 01/01/2026 00:30 Brussels (= 31/12/2025 23:30 UTC) « saisie de janvier »: A2.1 progress 70 → 100.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from _cli import feuille
from _plans import EXAMPLE, edit, git, plan_of
from _plans import plain as spaced

# --- diff ---------------------------------------------------------------------------------------


def test_diff_between_two_revisions_words_every_change(repo):
    result = feuille("diff", "HEAD~3", "HEAD~1", "--plan", plan_of(repo))
    assert result.returncode == 0, result.stderr
    out = spaced(result.stdout)
    assert "échéance reportée de 93 jours (31/12/2027 → 02/04/2028)" in out
    assert "avancement 40 % → 70 % (+30 points)" in out
    assert "budget prévu 95 000 € → 120 000 € (+25 000 €)" in out
    assert "lue dans un autre fichier : objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml → objectives/01-cadre-de-vie/A1.4-mobilier.yaml" in out
    assert "A2.9 « Installer des boutons d'appel d'urgence dans les parkings » : action ajoutée" in out
    assert re.search(r"A2\.2 .*\n?.*déplacée de O2 .* vers O3", out)
    assert "nouveau titre : « Passer l'éclairage public au LED dans les rues insécurisantes »" in out
    assert "statut en cours → terminée" in out
    assert "responsable administratif" in out and "Frasca" in out
    # grouped by objective: A2.2 is under O3 now, in plan order
    assert out.index("\nO2 ") < out.index("\nO3 ") and out.index("A2.2", out.index("\nO3 ")) > 0


def test_diff_json_is_keyed_by_id_and_followed_across_files(repo):
    result = feuille("diff", "HEAD~3", "HEAD", "--plan", plan_of(repo), "--format", "json")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    changes = [c for g in doc["groups"] for c in g["changes"]]
    by = {(c["id"], c["kind"]) for c in changes}
    assert ("A1.4", "file") in by and ("A1.4", "added") not in by and ("A1.4", "removed") not in by
    assert ("A2.2", "moved") in by and ("A2.2", "removed") not in by
    slip = next(c for c in changes if c["id"] == "A2.1" and c["kind"] == "dates")
    assert slip["delta"] == 93 and slip["old"] == "2027-12-31"
    budget = next(c for c in changes if c["id"] == "A2.3" and c["kind"] == "budget")
    assert budget["delta"] == 25000
    assert doc["from"]["commit"] and doc["to"]["commit"]


def test_diff_default_is_last_commit_against_the_files_in_english_and_markdown(repo):
    edit(plan_of(repo) / "objectives" / "02-securite.yaml", "spent: 172500", "spent: 180000")
    result = feuille("diff", "--plan", plan_of(repo), "--lang", "en")
    assert result.returncode == 0
    assert "amount spent €172,500 → €180,000 (+€7,500)" in spaced(result.stdout)
    md = feuille("diff", "--plan", plan_of(repo), "--format", "markdown").stdout
    assert md.startswith("## Changements du plan") and "### O2" in md and "- **A2.1**" in md
    clean = feuille("diff", "HEAD", "HEAD", "--plan", plan_of(repo))
    assert clean.returncode == 0 and "Aucun changement." in clean.stdout


def test_diff_since_a_date_uses_the_end_of_that_day_in_brussels(repo):
    # 31/12/2025 includes the commit of 23:30 (Brussels) but not the one of 00:30 on 01/01 (still 31/12 in UTC)
    result = feuille("diff", "--since", "2025-12-31", "HEAD", "--plan", plan_of(repo), "--format", "json")
    doc = json.loads(result.stdout)
    changes = [c for g in doc["groups"] for c in g["changes"]]
    assert [(c["id"], c["kind"], c["old"], c["new"]) for c in changes] == [("A2.1", "progress", 70, 100)]


def test_diff_of_two_folders_outside_git(tmp_path):
    old, new = tmp_path / "ancien", tmp_path / "nouveau"
    shutil.copytree(EXAMPLE, old)
    shutil.copytree(EXAMPLE, new)
    edit(new / "objectives" / "02-securite.yaml", "political_owners: [mdupont]\n    admin_owner: elambert\n    service: prevention\n    partners",
         "political_owners: [asabbatini]\n    admin_owner: elambert\n    service: prevention\n    partners")
    result = feuille("diff", "--plan", new, "--against", old)
    assert result.returncode == 0, result.stderr
    assert "responsables politiques" in result.stdout and "A2.1" in result.stdout
    alone = feuille("diff", "--plan", new)
    assert alone.returncode == 2 and "dépôt git" in alone.stderr and "--against" in alone.stderr


def test_diff_bad_revisions_say_what_to_do(repo):
    result = feuille("diff", "mian", "--plan", plan_of(repo))
    assert result.returncode == 2 and "« mian » n'existe pas" in result.stderr and "main" in result.stderr
    old = feuille("diff", "--since", "2024-01-01", "--plan", plan_of(repo))
    assert old.returncode == 2 and "10/02/2025" in old.stderr
    assert feuille("diff", "--format", "xml", "--plan", plan_of(repo)).returncode == 2


def test_diff_of_a_merge_request_and_of_a_new_plan_folder(repo):
    git(repo, "checkout", "-q", "-b", "proposition")
    edit(plan_of(repo) / "objectives" / "02-securite.yaml", "status: done\n    progress: 100", "status: done\n    progress: 90")
    git(repo, "commit", "-qam", "Proposition", when="2026-02-01T10:00:00+01:00")
    git(repo, "checkout", "-q", "main")
    result = feuille("diff", "main...proposition", "--plan", plan_of(repo), "--format", "markdown")
    assert result.returncode == 0 and "ancêtre commun de main / proposition" in result.stdout
    assert "avancement 100 % → 90 % (−10 points)" in spaced(result.stdout)
    shutil.copytree(plan_of(repo), repo / "nouveau")
    fresh = feuille("diff", "--plan", repo / "nouveau", "--format", "json")
    assert fresh.returncode == 0, fresh.stderr
    assert {c["kind"] for g in json.loads(fresh.stdout)["groups"] for c in g["changes"]} == {"added"}
    fresh = feuille("diff", "--plan", repo / "nouveau", "--format", "json", "--lang", "en")  # told apart by its message, not by its French
    assert fresh.returncode == 0 and {c["kind"] for g in json.loads(fresh.stdout)["groups"] for c in g["changes"]} == {"added"}


def test_an_unknown_id_at_a_revision_names_the_revision_in_the_users_language(repo):
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    fr = feuille("show", "A9.9", "--plan", plan_of(repo), "--rev", "HEAD")
    assert fr.returncode == 2 and f"aucun objectif ni action « A9.9 » dans {plan_of(repo)} à la révision {head} (HEAD)." in fr.stderr, fr.stderr
    en = feuille("show", "A9.9", "--plan", plan_of(repo), "--rev", "HEAD", "--lang", "en")
    assert en.returncode == 2 and f"no objective or action 'A9.9' in {plan_of(repo)} at revision {head} (HEAD)." in en.stderr, en.stderr


def test_diff_since_a_day_before_the_history_says_the_dates_the_users_way(repo):
    fr = feuille("diff", "--since", "2024-01-01", "--plan", plan_of(repo))
    assert fr.returncode == 2 and "feuille : aucun commit n'est antérieur à la fin du 01/01/2024 (le premier date du 10/02/2025)." in fr.stderr
    en = feuille("diff", "--since", "2024-01-01", "--plan", plan_of(repo), "--lang", "en")
    assert en.returncode == 2 and "feuille: no commit is older than the end of 2024-01-01 (the first is of 2025-02-10)." in en.stderr


# --- log ----------------------------------------------------------------------------------------


def test_log_lists_each_commit_that_changed_an_action_newest_first(repo):
    result = feuille("log", "A2.1", "--plan", plan_of(repo))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    heads = [line for line in out.splitlines() if re.match(r"^[0-9a-f]{7}  ", line)]
    assert [h.split("  ")[2] for h in heads] == ["Marie Dupont", "Marie Dupont", "Paul Frasca", "Marie Dupont"]
    assert "Saisie de janvier" in heads[0] and "01/01/2026 00:30" in heads[0]
    assert "échéance reportée de 93 jours" in out and "statut en cours → terminée" in out and "action ajoutée" in out


def test_log_follows_a_move_and_a_rename(repo):
    moved = feuille("log", "A2.2", "--plan", plan_of(repo), "--format", "json")
    doc = json.loads(moved.stdout)
    kinds = [[c["kind"] for c in e["changes"]] for e in doc["commits"]]
    assert kinds[0] == ["moved", "file"] and kinds[-1] == ["added"] and len(kinds) == 2
    renamed = json.loads(feuille("log", "A1.4", "--plan", plan_of(repo), "--format", "json").stdout)
    assert [c["kind"] for c in renamed["commits"][0]["changes"]] == ["file"]
    assert renamed["commits"][0]["author"] == "Paul Frasca"


def test_log_of_an_id_that_never_existed_suggests_the_closest(repo):
    result = feuille("log", "A2.7", "--plan", plan_of(repo))
    assert result.returncode == 2 and "« A2.7 »" in result.stderr and "Les plus proches" in result.stderr and "A2." in result.stderr


def test_log_outside_git(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "p")
    result = feuille("log", "A2.1", "--plan", tmp_path / "p")
    assert result.returncode == 2 and "dépôt git" in result.stderr
    assert "feuille log lit l'historique du plan dans git : mettez le plan sous git" in result.stderr and "--against" not in result.stderr
    en = feuille("log", "A2.1", "--plan", tmp_path / "p", "--lang", "en")
    assert en.returncode == 2 and "  feuille log reads the plan's history from git: put the plan under git (git init" in en.stderr


# --- the past as it was ---------------------------------------------------------------------------


def test_status_in_the_past_reads_the_plan_as_committed_then(repo):
    result = feuille("status", plan_of(repo), "--as-of", "2025-03-01")
    assert result.returncode in (0, 1), result.stderr  # 1: at that date the plan lacks a progress value eComptes needs (F70x)
    assert "Historique : le plan tel qu'enregistré à la fin du 01/03/2025 (commit" in result.stdout
    assert "historique" in result.stderr
    doc = json.loads(feuille("status", plan_of(repo), "--as-of", "2025-03-01", "--format", "json").stdout)
    assert doc["plans"][0]["revision"]["as_of"] == "2025-03-01"
    assert "A2.9" not in {a["id"] for a in doc["plans"][0]["actions"]}
    a21 = next(a for a in doc["plans"][0]["actions"] if a["id"] == "A2.1")
    assert a21["progress"] == 40
    shown = feuille("show", "A2.1", "--plan", plan_of(repo), "--as-of", "2025-12-31").stdout
    assert "70" in shown and "terminée" in shown  # the 00:30 commit of 01/01/2026 is not in 31/12 (Brussels)


def test_past_before_the_first_commit_or_outside_git_says_so(repo, tmp_path, monkeypatch):
    early = feuille("status", plan_of(repo), "--as-of", "2024-12-15")
    assert early.returncode in (0, 1) and "aucun commit n'est antérieur" in early.stderr and "Historique" not in early.stdout
    monkeypatch.delenv("FEUILLE_HISTORY", raising=False)
    shutil.copytree(EXAMPLE, tmp_path / "hors-git")
    outside = feuille("status", tmp_path / "hors-git", "--as-of", "2025-03-01")
    assert outside.returncode in (0, 1) and "n'est pas dans un dépôt git" in outside.stderr


def test_annual_report_uses_the_year_end_commit_then_a_validation(repo, tmp_path):
    out = tmp_path / "r.md"
    result = feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "md", "-o", out, "--audience", "internal")
    assert result.returncode == 0, result.stderr
    assert "rapport 2025 sur le plan au 31/12/2025" in result.stderr and "aucune validation" in result.stderr
    head = git(repo, "rev-parse", "--short=7", "HEAD~1")
    assert head in result.stderr
    git(repo, "tag", "-a", "feuille-validation/2026-01-20", "-m", "Validation du plan\n\nValidé par: Comité de direction\nDate: 2026-01-20\n", "HEAD")
    again = feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "md", "-o", out, "--audience", "internal")
    assert again.returncode == 0 and "état validé par Comité de direction le 20/01/2026" in again.stderr


def test_shallow_clone_says_how_much_history_it_has(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True, capture_output=True)
    result = feuille("status", clone / "plan", "--as-of", "2025-03-01")
    assert result.returncode in (0, 1) and "superficiel" in result.stderr and "--unshallow" in result.stderr
    log = feuille("log", "A2.1", "--plan", clone / "plan")
    assert log.returncode == 0 and "clone superficiel" in log.stdout
    old = feuille("diff", "HEAD~2", "--plan", clone / "plan")
    assert old.returncode == 2 and "unshallow" in old.stderr


# --- validations --------------------------------------------------------------------------------

WHO = {"GIT_COMMITTER_NAME": "Secrétariat général", "GIT_COMMITTER_EMAIL": "sg@lalouviere.be"}


def test_validate_records_a_tag_and_never_moves_one(repo):
    first = feuille("validate", "--by", "Comité de direction", "--date", "2026-01-20", "--plan", plan_of(repo), env=WHO)
    assert first.returncode == 0, first.stderr
    assert "feuille-validation/2026-01-20" in first.stdout and "Comité de direction" in first.stdout
    before = git(repo, "rev-parse", "feuille-validation/2026-01-20^{commit}")
    second = feuille("validate", "--by", "Collège communal", "--date", "2026-01-20", "--rev", "HEAD~1", "--plan", plan_of(repo), env=WHO)
    assert second.returncode == 0 and "feuille-validation/2026-01-20-2" in second.stdout
    assert git(repo, "rev-parse", "feuille-validation/2026-01-20^{commit}") == before  # the first one did not move
    body = git(repo, "tag", "-l", "--format=%(contents)", "feuille-validation/2026-01-20")
    assert "Validé par: Comité de direction" in body and "Date: 2026-01-20" in body
    # the annual report of 2025 now reads the last validation up to 31/03/2026 (the one on HEAD~1)
    report = feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "md", "--audience", "internal")
    assert report.returncode == 0 and "état validé par Collège communal le 20/01/2026" in report.stderr


def test_validate_speaks_the_users_language_and_tags_in_the_plans(repo):
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    subject = git(repo, "log", "-1", "--format=%s")
    fr = feuille("validate", "--by", "Comité de direction", "--date", "2026-01-20", "--plan", plan_of(repo), env=WHO)
    assert fr.returncode == 0, fr.stderr
    assert fr.stdout == (f"état validé par Comité de direction le 20/01/2026 : étiquette feuille-validation/2026-01-20 sur le commit {head} (« {subject} »).\n"
                         "  Envoyez-la au dépôt partagé : git push origin feuille-validation/2026-01-20\n")
    en = feuille("validate", "--by", "Board", "--date", "2026-01-21", "--plan", plan_of(repo), "--lang", "en", env=WHO)
    assert en.returncode == 0, en.stderr
    assert en.stdout == (f"state validated by Board on 2026-01-21: tag feuille-validation/2026-01-21 on the commit {head} ('{subject}').\n"
                         "  Send it to the shared repository: git push origin feuille-validation/2026-01-21\n")
    body = git(repo, "tag", "-l", "--format=%(contents)", "feuille-validation/2026-01-21")  # the tag speaks the plan's language (French)
    assert body.startswith("Validation du plan « Déclaration de politique communale 2024-2030 »\n\nValidé par: Board\nDate: 2026-01-21\n")
    assert "Dossier: plan\n\nEnregistré avec « feuille validate »." in body
    # a plan written in English gets an English tag, read back as well
    edit(repo / "plan" / "plan.yaml", "locale: fr-BE", "locale: en-GB")
    git(repo, "commit", "-qam", "English", when="2026-01-22T10:00:00+01:00")
    third = feuille("validate", "--by", "Council", "--date", "2026-01-22", "--plan", plan_of(repo), env=WHO)
    assert third.returncode == 0 and third.stdout.startswith("state validated by Council on 2026-01-22: tag"), third.stdout
    body = git(repo, "tag", "-l", "--format=%(contents)", "feuille-validation/2026-01-22")
    assert body.startswith("Validation of the plan 'Déclaration de politique communale 2024-2030'\n\nValidated by: Council\nDate: 2026-01-22\n")
    assert "Folder: plan\n\nRecorded with 'feuille validate'." in body
    since = feuille("diff", "--since-validation", "--plan", plan_of(repo), "--lang", "en")
    assert since.returncode == 0 and "Council" in since.stdout, since.stdout


def test_diff_since_validation(repo):
    assert feuille("diff", "--since-validation", "--plan", plan_of(repo)).returncode == 2  # none yet: says how to record one
    feuille("validate", "--by", "Comité de direction", "--rev", "HEAD~1", "--date", "2026-01-02", "--plan", plan_of(repo), env=WHO)
    result = feuille("diff", "--since-validation", "HEAD", "--plan", plan_of(repo))
    assert result.returncode == 0 and "état validé par Comité de direction le 02/01/2026" in result.stdout
    assert "avancement 70 % → 100 %" in spaced(result.stdout)


def test_validate_outside_git(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "p")
    result = feuille("validate", "--by", "Comité de direction", "--plan", tmp_path / "p")
    assert result.returncode == 2 and "dépôt git" in result.stderr
    assert "feuille validate enregistre une étiquette git : mettez d'abord le plan sous git" in result.stderr and "--against" not in result.stderr
    en = feuille("validate", "--by", "Board", "--plan", tmp_path / "p", "--lang", "en")
    assert en.returncode == 2 and "  feuille validate records a git tag: put the plan under git first" in en.stderr


# --- trends -------------------------------------------------------------------------------------


def test_status_trend_reads_each_period_from_history(repo):
    result = feuille("status", plan_of(repo), "--trend", "--since", "2025-03-01", "--every", "quarter")
    assert result.returncode == 0, result.stderr
    out = spaced(result.stdout)
    assert "Tendance depuis le 01/03/2025, par trimestre" in out and "la date d'un commit est celle de la saisie" in out
    trend = out[out.index("Tendance depuis"):]
    o2 = next(line for line in trend.splitlines() if line.strip().startswith("O2 "))
    assert "↓ en baisse" in o2 and "47 % →  38 %" in o2  # A2.2 (85 %) moved to O3, A2.9 added at 0 %
    o3 = next(line for line in trend.splitlines() if line.strip().startswith("O3 "))
    assert "↑ en hausse" in o3
    bad = feuille("status", plan_of(repo), "--trend", "--every", "week")
    assert bad.returncode == 2 and "month ou quarter" in bad.stderr


def test_trend_outside_git_comes_from_the_plans_dated_data(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "p")
    result = feuille("status", tmp_path / "p", "--trend", "--as-of", "2026-11-30")
    assert result.returncode == 0 and "D'après les données datées du plan" in result.stdout and "pas d'historique git" in result.stdout


def test_validate_without_who_gives_an_example_in_the_readers_language():
    fr = feuille("validate", "--by", "", "--plan", EXAMPLE)
    assert fr.returncode == 2 and fr.stderr == ("feuille : indiquez qui a validé avec --by (200 caractères au plus).\n"
                                               "  Exemple : feuille validate --by \"Comité de direction\"\n")
    en = feuille("validate", "--by", "", "--plan", EXAMPLE, "--lang", "en")
    assert en.returncode == 2 and en.stderr == ("feuille: say who validated with --by (200 characters at most).\n"
                                               "  Example: feuille validate --by \"Management board\"\n")
