"""The mid-term evaluation (issue 24, item 5): feuille report midterm, from the plan and its history.

The repository: the example plan committed on 10/02/2025 (before its adoption on 24/02/2025), then on
01/09/2025: A2.9 added to O2, A2.3 retitled, A2.1's deadline moved, A9.2 cancelled, A10.1 removed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from _cli import feuille

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-11-22"


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    proc = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Marie Dupont", "-c", "user.email=marie@lalouviere.be", "-c", "commit.gpgsign=false",
                           "-c", "init.defaultBranch=main", *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def cut_action(path: Path, ident: str) -> None:
    """Remove the action ``ident`` (a ``  - id:`` block) from an objective file."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {ident}\n")
    end = text.find("\n  - id: ", start + 1)
    path.write_text(text[:start] + (text[end + 1:] if end != -1 else ""), encoding="utf-8")


def changed_plan(root: Path) -> None:
    obj = root / "plan" / "objectives"
    sec = obj / "02-securite.yaml"
    edit(sec, "planned_end: 2027-12-31", "planned_end: 2028-06-30")  # A2.1's deadline
    text = sec.read_text(encoding="utf-8")
    a23 = text.index("  - id: A2.3\n")
    title = text.index("title: ", a23)
    line_end = text.index("\n", title)
    sec.write_text(text[:title] + "title: Équiper les gardiens de la paix de caméras piétons" + text[line_end:]
                   + "  - id: A2.9\n    title: Installer des boutons d'appel d'urgence dans les parkings\n    political_owners: [mdupont]\n"
                     "    admin_owner: elambert\n    status: not_started\n    planned_start: 2026-01-01\n    planned_end: 2027-06-30\n"
                     "    fte: 0.2\n    last_reviewed: 2026-10-01\n", encoding="utf-8")
    anim = obj / "09-animations.yaml"
    text = anim.read_text(encoding="utf-8")
    a92 = text.index("  - id: A9.2\n")
    status = text.index("status: ", a92)
    line_end = text.index("\n", status)
    anim.write_text(text[:status] + "status: cancelled" + text[line_end:], encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.delenv("FEUILLE_HISTORY", raising=False)
    root = tmp_path / "depot"
    root.mkdir()
    shutil.copytree(EXAMPLE, root / "plan")
    extra = root / "plan" / "objectives" / "10-communaute-urbaine.yaml"
    edit(extra, "actions:\n", "actions:\n  - id: A10.9\n    title: Étude d'un abattoir intercommunal\n    status: not_started\n    fte: 0\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Plan adopté", when="2025-02-10T10:00:00+01:00")
    changed_plan(root)
    cut_action(extra, "A10.9")
    git(root, "commit", "-qam", "Mise à jour de septembre", when="2025-09-01T10:00:00+02:00")
    return root


def report(plan: Path, *args: str) -> str:
    r = feuille("report", "midterm", "--plan", plan, "-f", "md", "--as-of", AS_OF, "--audience", "internal", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def section(text: str, ident: str) -> str:
    start = text.index(f"\n## {ident} ")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def test_midterm_report_says_what_was_added_reoriented_and_abandoned_since_the_adoption(repo):
    text = report(repo / "plan")
    assert text.startswith("# Évaluation à mi-parcours\n")
    assert "Plan adopté le 24/02/2025." in text
    assert "le milieu de la législature est le 02/12/2027" in text
    assert "le plan à son adoption (commit " in text and "du 10/02/2025)" in text
    o2 = section(text, "O2")
    assert "3 actions à l'adoption" in o2  # A2.9 came later
    added = o2[o2.index("**Ajoutées depuis l'adoption (1)**"):]
    assert "A2.9 Installer des boutons d'appel d'urgence dans les parkings" in added
    reoriented = o2[o2.index("**Réorientées (intitulé, objectif ou échéance changés) (2)**"):]
    assert "A2.1 " in reoriented and "échéance" in reoriented
    assert "A2.3 Équiper les gardiens de la paix de caméras piétons" in reoriented
    o9 = section(text, "O9")
    assert "**Abandonnées (annulées ou retirées) (1)**" in o9 and "A9.2 " in o9
    o10 = section(text, "O10")
    assert "A10.9 Étude d'un abattoir intercommunal" in o10 and "retirée du plan" in o10
    assert "## Conclusions du conseil" in text
    assert "| O1 Favoriser un cadre de vie agréable à nos concitoyens en ville et dans les quartiers | | | |" in text


def test_midterm_report_sets_each_indicator_against_its_trajectory(repo):
    o1 = section(report(repo / "plan"), "O1")
    assert "### Les indicateurs face à leur trajectoire" in o1
    row = next(line for line in o1.splitlines() if line.startswith("| Déchets sauvages collectés — Haine-Saint-Pierre |"))
    assert row.split(" | ")[1:] == ["O1", "96 t", "99 t (30/06/2026)", "89,95 t", "80 t au 31/12/2029", "0 %".replace(" ", "\u202f"), "à la traîne |"]
    assert "Météo : " in o1


def test_midterm_report_budget_planned_at_adoption_and_now(repo):
    text = report(repo / "plan")
    o2 = section(text, "O2")
    assert "### Budget : prévu et engagé" in o2
    assert "Prévu aujourd'hui" in o2 and "à l'adoption" in o2


def test_when_history_starts_after_the_adoption_the_first_page_says_so(repo):
    edit(repo / "plan" / "plan.yaml", "adopted: 2025-02-24", "adopted: 2025-01-15")
    git(repo, "commit", "-qam", "date d'adoption", when="2025-10-01T10:00:00+02:00")
    text = report(repo / "plan")
    assert "L'historique ne remonte pas jusqu'à l'adoption (15/01/2025) : il commence le 10/02/2025." in text


def test_without_history_the_report_says_what_it_cannot_tell(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE, plan)
    text = report(plan)
    assert "Sans l'historique git du plan, le plan tel qu'adopté n'est pas connu" in text
    assert "Le plan à l'adoption n'est pas connu." in text


def test_without_adoption_date_the_start_of_the_term_is_taken(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE, plan)
    edit(plan / "plan.yaml", "adopted: 2025-02-24 ", "# ")
    text = report(plan)
    assert "Pas de date d'adoption (adopted) dans plan.yaml : le début de la législature, le 02/12/2024, en tient lieu." in text


def test_midterm_report_in_english_and_as_a_word_document(repo, tmp_path):
    en = report(repo / "plan", "--lang", "en")
    assert en.startswith("# Mid-term evaluation\n") and "Conclusions of the council" in en and " : " not in en.replace(" : ", " : ", 0).split("\n")[0]
    out = tmp_path / "mi-parcours.docx"
    r = feuille("report", "midterm", "--plan", repo / "plan", "-f", "docx", "-o", out, "--as-of", AS_OF, "--audience", "internal")
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "Évaluation à mi-parcours" in body and "Conclusions du conseil" in body and "A2.9" in body
    again = tmp_path / "again.docx"
    feuille("report", "midterm", "--plan", repo / "plan", "-f", "docx", "-o", again, "--as-of", AS_OF, "--audience", "internal")
    assert again.read_bytes() == out.read_bytes()  # deterministic


def test_term_report_gains_the_indicator_sections(tmp_path):
    r = feuille("report", "term", "--plan", EXAMPLE, "-f", "md", "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "Indicateurs du plan" in r.stdout and "Part des démarches administratives accessibles en ligne" in r.stdout
    assert "Déchets sauvages collectés — Centre" in r.stdout


def test_public_midterm_report_names_no_withheld_action(repo):
    edit(repo / "plan" / "objectives" / "02-securite.yaml", "  - id: A2.9\n", "  - id: A2.9\n    visibility: internal\n")
    git(repo, "commit", "-qam", "A2.9 interne", when="2025-10-01T10:00:00+02:00")
    r = feuille("report", "midterm", "--plan", repo / "plan", "-f", "md", "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "A2.9" not in r.stdout and "boutons d'appel" not in r.stdout
