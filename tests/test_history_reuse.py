"""Revisions read in a row share what they can (pipeline.Reuse): the same plans, diagnostics and outputs as reading each alone."""

from __future__ import annotations

import datetime as dt

from _cli import feuille
from _plans import edit, git, plan_of
from feuille import pipeline
from feuille.app.history import load_commit
from feuille.compute.diff import index
from feuille.io.git import Repo


def _fingerprint(loaded: pipeline.Loaded) -> tuple:
    p = loaded.plan
    items = {k: (v.item.model_dump(mode="json", exclude={"objectives", "actions"}), v.parent, v.file) for k, v in index(p).items()}
    tree = [(o.id, [c.id for c in o.objectives], [a.id for a in o.actions]) for o, _p, _d in p.walk()]
    diags = [(d.code, d.file, d.path, d.severity, d.obj_id, d.line) for d in loaded.diagnostics]
    left = [(x.file, x.code, x.kind, x.ids, x.actions) for x in loaded.left_out]
    return items, tree, dict(sorted(p.origins.items())), diags, left, sorted(p.personal_files or ()), p.sets_visibility


def test_each_revision_is_the_same_read_alone_or_in_a_row(repo):
    root = plan_of(repo)
    obj = root / "objectives"
    # more revisions: a duplicate id across files, a field the model refuses, a folder action moved, a file put back
    edit(obj / "04-logement.yaml", "id: A4.1", "id: A2.1")
    git(repo, "commit", "-qam", "doublon", when="2025-07-01T10:00:00+02:00")
    edit(obj / "04-logement.yaml", "id: A2.1", "id: A4.1")
    edit(obj / "05-action-sociale.yaml", "status: ongoing", "status: nowhere")
    git(repo, "commit", "-qam", "statut inconnu", when="2025-08-01T10:00:00+02:00")
    git(repo, "mv", "plan/objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml", "plan/objectives/A1.1-seul.yaml")
    git(repo, "commit", "-qam", "déplacé", when="2025-09-01T10:00:00+02:00")
    git(repo, "revert", "--no-edit", "HEAD~1", when="2025-10-01T10:00:00+02:00")
    r = Repo.open(root)
    commits = [c.id for c in reversed(r.commits())]
    assert len(commits) >= 6
    alone = [_fingerprint(load_commit(r, c, True, dt.date(2026, 1, 1))) for c in commits]
    reuse = pipeline.Reuse()
    in_a_row = [_fingerprint(load_commit(r, c, True, dt.date(2026, 1, 1), reuse)) for c in commits]
    assert reuse.hits > 5 * len(commits)  # most files were taken built
    reuse.close()
    # and twice in a row, then backwards (files put back to an earlier blob)
    reuse = pipeline.Reuse()
    again = [_fingerprint(load_commit(r, c, True, dt.date(2026, 1, 1), reuse)) for c in commits + commits[::-1]]
    reuse.close()
    r.close()
    for i, (a, b) in enumerate(zip(alone, in_a_row, strict=True)):
        assert a == b, f"revision {i} differs when read after the others"
    assert again == alone + alone[::-1]
    assert any(f[3] for f in alone)  # some revisions have findings (duplicate, bad status): never taken built


def test_log_trend_and_diff_give_what_they_gave(repo):
    """The outputs over a history (the reuse on) are those of the revisions read one by one (FEUILLE_RESULT_CACHE has no part here)."""
    root = plan_of(repo)
    log = feuille("log", "A2.1", "--plan", root, "--format", "json")
    assert log.returncode == 0 and '"progress"' in log.stdout
    diff = feuille("diff", "HEAD~3", "HEAD", "--plan", root, "--format", "json")
    trend = feuille("status", root, "--trend", "--since", "2025-01-31", "--every", "month", "--format", "json")
    assert diff.returncode == 0 and trend.returncode in (0, 1)
    # the same commands with nothing shared between revisions: each revision read alone
    import feuille.pipeline as module

    class Alone(module.Reuse):
        def loaded(self) -> None:
            self.built, self.used = {}, {}

    original = module.Reuse
    module.Reuse = Alone  # type: ignore[misc]
    try:
        assert feuille("log", "A2.1", "--plan", root, "--format", "json").stdout == log.stdout
        assert feuille("diff", "HEAD~3", "HEAD", "--plan", root, "--format", "json").stdout == diff.stdout
        assert feuille("status", root, "--trend", "--since", "2025-01-31", "--every", "month", "--format", "json").stdout == trend.stdout
    finally:
        module.Reuse = original  # type: ignore[misc]
