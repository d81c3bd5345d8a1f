"""``feuille log`` reads only the revisions that may change the item (app/history.item_history): the same output as reading them all."""

from __future__ import annotations

import datetime as dt

import pytest

from _cli import feuille
from _plans import edit, git, plan_of
from feuille.app import history
from feuille.io.git import Repo

IDS = ("A1.2", "a1.2", "A4.1", "O1b", "A2.2", "O4", "A2.9", "A1.3")


def _more_history(repo):
    """After tests/_plans.history_repo: a parent renamed, then left out by a duplicate in another file, an action moved
    out of an objective later retitled and removed, an escaped id, the plan folder removed and put back."""
    plan = plan_of(repo)
    obj = plan / "objectives"
    folder = obj / "01-cadre-de-vie"

    def commit(message, when):
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", message, when=when)

    edit(obj / "05-action-sociale.yaml", "status: ongoing", "status: done")
    commit("ailleurs", "2026-02-01T10:00:00+01:00")
    edit(folder / "objective.yaml", "id: O1\n", "id: O1b\n")
    commit("O1 renommé", "2026-03-01T10:00:00+01:00")
    (obj / "00-doublon.yaml").write_text("id: O1b\ntitle: Un doublon\npolitical_owners: [asabbatini]\n", encoding="utf-8")
    commit("doublon de l'objectif", "2026-04-01T10:00:00+02:00")
    (obj / "00-doublon.yaml").unlink()
    commit("doublon retiré", "2026-05-01T10:00:00+02:00")
    logement, eco = obj / "04-logement.yaml", obj / "03-economie-emploi.yaml"
    text = logement.read_text(encoding="utf-8")
    start, end = text.index("  - id: A4.1\n"), text.index("  - id: A4.2\n")
    logement.write_text(text[:start] + text[end:], encoding="utf-8")
    eco.write_text(eco.read_text(encoding="utf-8") + text[start:end], encoding="utf-8")
    commit("A4.1 déplacée", "2026-06-01T10:00:00+02:00")
    edit(logement, "title: Soutenir par des actions concrètes", "title: Soutenir concrètement")
    commit("O4 retitré", "2026-07-01T10:00:00+02:00")
    logement.unlink()
    commit("O4 retiré", "2026-08-01T10:00:00+02:00")
    edit(folder / "A1.3-besoins-materiels.yaml", "id: A1.3\n", 'id: "A1\\x2E3"\n')  # the same id, escaped
    commit("échappé", "2026-09-01T10:00:00+02:00")
    git(repo, "rm", "-rq", "plan")
    git(repo, "commit", "-qm", "plan retiré", when="2026-10-01T10:00:00+02:00")
    git(repo, "checkout", "HEAD~1", "--", "plan")
    commit("plan remis", "2026-11-01T10:00:00+02:00")
    edit(obj / "02-securite.yaml", "progress: 100", "progress: 90")
    commit("après", "2026-11-15T10:00:00+01:00")


@pytest.fixture
def every(monkeypatch):
    """Reading every revision, as log did before: the reference."""

    def read_all() -> None:
        monkeypatch.setattr(history, "_touches", lambda *_a: True)

    return read_all


def test_log_says_what_reading_every_revision_says(repo, every):
    _more_history(repo)
    root = plan_of(repo)
    runs = [(i, fmt, rev) for i in IDS for fmt in ("json", "text") for rev in (None, "HEAD~2")]
    got = [feuille("log", i, "--plan", root, "--format", fmt, *(("--rev", rev) if rev else ())) for i, fmt, rev in runs]
    every()
    want = [feuille("log", i, "--plan", root, "--format", fmt, *(("--rev", rev) if rev else ())) for i, fmt, rev in runs]
    for (i, fmt, rev), a, b in zip(runs, got, want, strict=True):
        assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr), (i, fmt, rev)
    assert all(r.returncode == 0 for r in got)
    a12 = next(r.stdout for (i, fmt, rev), r in zip(runs, got, strict=True) if (i, fmt, rev) == ("A1.2", "json", None))
    assert '"moved"' in a12 and '"removed"' in a12 and '"added"' in a12  # renamed parent, left out with it, back
    a41 = next(r.stdout for (i, fmt, rev), r in zip(runs, got, strict=True) if (i, fmt, rev) == ("A4.1", "text", None))
    assert "Soutenir concrètement" in a41  # the title of an objective gone since: as its last revision had it


def test_only_the_revisions_that_may_change_the_item_are_read(repo):
    _more_history(repo)
    r = Repo.open(plan_of(repo))
    commits = r.commits()
    try:
        walked = {i: history.item_history(r, commits, i, True, dt.date(2027, 1, 1)) for i in ("A2.9", "A1.2", "A1.3")}
    finally:
        r.close()
    assert walked["A2.9"].read < len(commits) // 2  # only the files holding it (and plan.yaml, people.yaml) changed
    assert walked["A1.2"].read < len(commits) - 4  # its objective renamed, duplicated, put back: read; the others not
    assert walked["A1.3"].ident == "A1.3" and walked["A1.3"].current is not None


def test_changes_between_revisions_come_from_one_git_process(repo):
    _more_history(repo)
    r = Repo.open(plan_of(repo))
    try:
        ids = [c.id for c in reversed(r.commits())]
        found = r.changes(list(zip(ids, ids[1:], strict=False)))
        assert len(found) == len(ids) - 1
        assert ("objectives/00-doublon.yaml", None) in found[found.index(next(f for f in found if any(p == "objectives/00-doublon.yaml" and b for p, b in f))) + 1]
        renamed = found[0]  # « Mise à jour de juin »: a file renamed is one removed and one added
        assert ("objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml", None) in renamed
        assert any(p == "objectives/01-cadre-de-vie/A1.4-mobilier.yaml" and b for p, b in renamed)
        assert r.changes([(ids[0], ids[0])]) == [[]]  # nothing differs: still one answer per pair
        blob = next(b for p, b in renamed if b)
        assert (r.blob(blob) or b"").strip() == git(repo, "cat-file", "blob", blob).encode().strip() != b""
    finally:
        r.close()
