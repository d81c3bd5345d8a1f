"""Revisions read in a row list their plan folder from git's tree objects (io/git.Repo._records): what git ls-tree says, without a process each."""

from __future__ import annotations

import os

from _plans import edit, git, plan_of
from feuille.io.git import GitSource, Repo
from feuille.io.sources import SourceError


def _both(r: Repo, commit: str):
    prefix = (r.prefix + "/").encode() if r.prefix else b""
    out = []
    for records in (None, r._records(commit)):
        try:
            out.append(GitSource.listing(r._git, r.root, commit, commit, prefix, r.shallow, records=records))
        except SourceError as exc:
            out.append(("error", str(exc.msg)))
    return out


def test_the_listing_from_tree_objects_is_the_one_of_ls_tree(repo):
    plan = plan_of(repo)
    repos = [Repo.open(plan), Repo.open(repo)]  # the plan in a sub-folder of the repository, and the repository itself
    assert [r.prefix for r in repos] == ["plan", ""]
    obj = plan / "objectives"
    (obj / "01-cadre-de-vie" / "sous" / "plus-bas").mkdir(parents=True)
    (obj / "01-cadre-de-vie" / "sous" / "plus-bas" / "A1.9.yaml").write_text("id: A1.9\ntitle: Profond\n", encoding="utf-8")
    (obj / "exécutable.yaml").write_text("id: O11\ntitle: Accentué\n", encoding="utf-8")
    os.chmod(obj / "exécutable.yaml", 0o755)
    os.symlink("02-securite.yaml", obj / "lien.yaml")
    (obj / "_brouillon.yaml").write_text("x: 1\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "plus", when="2026-02-01T10:00:00+01:00")
    edit(obj / "02-securite.yaml", "progress: 100", "progress: 90")
    git(repo, "rm", "-rq", "plan/objectives/01-cadre-de-vie/sous")
    git(repo, "commit", "-qam", "moins", when="2026-03-01T10:00:00+01:00")
    git(repo, "rm", "-rq", "plan")
    (repo / "plan").write_text("un fichier à la place du dossier\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "un fichier", when="2026-04-01T10:00:00+01:00")
    git(repo, "rm", "-q", "plan")
    (repo / "LISEZ-MOI").write_text("rien\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "plus de plan", when="2026-05-01T10:00:00+01:00")
    for r in repos:
        try:
            commits = [c.id for c in r.commits(only_plan=False)]
            assert len(commits) >= 8
            for c in commits + commits:  # twice: the second time from the trees kept
                ls_tree, trees = _both(r, c)
                assert trees == ls_tree, c
        finally:
            r.close()


def test_a_missing_object_falls_back_to_ls_tree(repo, monkeypatch):
    r = Repo.open(plan_of(repo))
    try:
        head = r.resolve("HEAD")
        monkeypatch.setattr(Repo, "_tree", lambda *_a: (_ for _ in ()).throw(SourceError("missing")))
        assert r._records(head) is None
        assert r.source_at(head).list_dir("objectives")  # read through ls-tree
    finally:
        r.close()
