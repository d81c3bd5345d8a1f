"""Helpers the test modules share (their fixtures are in conftest.py): the example plans, git with dates,
small edits, plans written from a few lines."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

from _cli import Run
from feuille.pipeline import LoadOptions, load_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "plans"
EXAMPLE = EXAMPLES / "la-louviere"


def no_traceback(result: Run) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def plain(text: str) -> str:
    """Output with its thin and no-break spaces (« 40 % », « 95 000 € ») as plain spaces, to compare figures."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def git(repo: Path, *args: str, when: str | None = None, who: str = "Marie Dupont") -> str:
    env = {**os.environ}
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(k, None)
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    email = who.split()[0].lower() + "@lalouviere.be"
    proc = subprocess.run(["git", "-C", str(repo), "-c", f"user.name={who}", "-c", f"user.email={email}", "-c", "commit.gpgsign=false",
                           "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main", *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def history_repo(root: Path) -> Path:
    """The history of tests/test_history.py's docstring: four dated commits of the example plan in ``root``."""
    root.mkdir()
    shutil.copytree(EXAMPLE, root / "plan")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Plan initial", when="2025-02-10T10:00:00+01:00")
    obj = root / "plan" / "objectives"
    sec = obj / "02-securite.yaml"
    edit(sec, "planned_end: 2027-12-31\n    actual_start: 2025-05-12\n    status: ongoing\n    progress: 40",
         "planned_end: 2028-04-02\n    actual_start: 2025-05-12\n    status: ongoing\n    progress: 60")
    edit(sec, "{amount: 95000, year: 2027", "{amount: 120000, year: 2027")
    git(root, "mv", "plan/objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml", "plan/objectives/01-cadre-de-vie/A1.4-mobilier.yaml")
    git(root, "commit", "-qam", "Mise à jour de juin", when="2025-06-15T14:00:00+02:00", who="Paul Frasca")
    text = sec.read_text(encoding="utf-8")
    start, end = text.index("  - id: A2.2\n"), text.index("  - id: A2.3\n")
    block = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("title: Améliorer l'éclairage public des rues signalées comme insécurisantes", "title: Passer l'éclairage public au LED dans les rues insécurisantes")
    text = text.replace("status: ongoing\n    progress: 60", "status: done\n    progress: 70")
    text += "  - id: A2.9\n    title: Installer des boutons d'appel d'urgence dans les parkings\n    political_owners: [mdupont]\n    status: not_started\n"
    sec.write_text(text, encoding="utf-8")
    eco = obj / "03-economie-emploi.yaml"
    eco.write_text(eco.read_text(encoding="utf-8") + block, encoding="utf-8")
    edit(eco, "  - id: A3.1\n    title:", "  - id: A3.1\n    title:")  # unchanged anchor
    eco_text = eco.read_text(encoding="utf-8")
    a31 = eco_text.index("  - id: A3.1\n")
    owner = eco_text.index("admin_owner:", a31)
    line_end = eco_text.index("\n", owner)
    eco.write_text(eco_text[:owner] + "admin_owner: pfrasca" + eco_text[line_end:], encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Fin d'année", when="2025-12-31T23:30:00+01:00")
    edit(sec, "status: done\n    progress: 70", "status: done\n    progress: 100")
    git(root, "commit", "-qam", "Saisie de janvier", when="2026-01-01T00:30:00+01:00")
    return root


def plan_of(repo: Path) -> Path:
    """The plan folder of :func:`history_repo`'s repository."""
    return repo / "plan"


# --- small plans written from a few lines (tests/test_rollup.py) ------------------------------------------

PLAN = """\
title: Plan de test
organisations: [{id: ville, name: Commune}]
term: {start: 2024-12-02, end: 2030-12-01}
levels: [Objectif prioritaire, Action]
"""
PST = PLAN.replace("levels: [Objectif prioritaire, Action]", "levels: [Objectif stratégique, Objectif opérationnel, Action]")


def write_small(tmp_path: Path, objectives: dict[str, str], plan: str = PLAN, people: str | None = None) -> Path:
    """A plan folder written from a plan.yaml text, an optional people.yaml text and objective files (dedented)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "plan.yaml").write_text(textwrap.dedent(plan), encoding="utf-8")
    if people is not None:
        (tmp_path / "people.yaml").write_text(people, encoding="utf-8")
    for name, body in objectives.items():
        target = tmp_path / "objectives" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(body), encoding="utf-8")
    return tmp_path


def load_small(tmp_path: Path, objectives: dict[str, str], as_of: dt.date, plan: str = PLAN, rules: str = "none",
               people: str | None = None):
    """:func:`write_small`, then the pipeline's load (no cache) at ``as_of``."""
    write_small(tmp_path, objectives, plan, people)
    return load_path(tmp_path, as_of, options=LoadOptions(use_cache=False, rules=rules))


def make(tmp_path: Path, objectives: dict[str, str], plan: str = PLAN):
    """A small plan that must load without error, read on 01/07/2026."""
    loaded = load_small(tmp_path, objectives, dt.date(2026, 7, 1), plan)
    assert [d for d in loaded.diagnostics if d.severity.name == "error"] == []
    return loaded.plan


def objective_row(rollup, ident: str):
    """The rollup row of objective ``ident``, at any depth."""
    stack = list(rollup.objectives)
    while stack:
        r = stack.pop()
        if r.objective.id == ident:
            return r
        stack.extend(r.children)
    raise KeyError(ident)


def action_row(rollup, ident: str):
    return next(a for a in rollup.actions if a.action.id == ident)


#: The strategic plan's internal strand with two indicators (one internal, one measured by a named clerk) and one it cites.
STRAND_INDICATORS = """volets:
  - volet: internal
    title: Une administration moderne
    indicators:
      - id: formations-volet
        label: Agents formés dans l'année
        unit: agents
        baseline: 120
        baseline_date: 2024-12-31
        target: 400
        target_date: 2030-06-30
        frequency: yearly
        measurements:
          - {date: 2025-12-31, value: 180, entered_by: rh-saisie}
      - label: Agents en télétravail structurel
        unit: "%"
        baseline: 10
        target: 30
        target_date: 2029-12-31
        visibility: internal
    linked_indicators: [absenteisme]
"""


def with_strand_indicators(target: Path) -> Path:
    """A copy of plans/plan-strategique in ``target`` whose plan.yaml gives its internal strand indicators (:data:`STRAND_INDICATORS`)."""
    shutil.copytree(EXAMPLES / "plan-strategique", target)
    with (target / "plan.yaml").open("a", encoding="utf-8") as f:
        f.write(STRAND_INDICATORS)
    return target
