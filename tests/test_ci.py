"""The CI files of docs/ci.md, run for real: each command of docs/ci/github-actions.yml and
docs/ci/gitlab-ci.yml against a temporary git copy of plans/la-louviere, with an ``origin`` to
compare with and a proposed change on a branch.  ``gh`` and ``curl`` (which talk to GitHub and
GitLab) are replaced by stubs that keep what they were asked to post; the steps that install
feuille are skipped (the tests run the feuille under test)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.dom import minidom

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "docs" / "ci"
EXAMPLE = ROOT / "plans" / "la-louviere"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(not (BIN / "feuille").exists(), reason="the feuille command is not installed next to this Python")


def _git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_DATE="2026-11-20T10:00:00+01:00", GIT_COMMITTER_DATE="2026-11-20T10:00:00+01:00")
    proc = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Marie Dupont", "-c", "user.email=m@lalouviere.be",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A repository like a town hall's: the plan in plans/la-louviere, main pushed to origin, a change proposed on a branch."""
    monkeypatch.delenv("FEUILLE_HISTORY", raising=False)
    work = tmp_path / "work"
    shutil.copytree(EXAMPLE, work / "plans" / "la-louviere")
    _git(tmp_path, "init", "-q", "--bare", "origin.git")
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "Plan")
    _git(work, "remote", "add", "origin", str(tmp_path / "origin.git"))
    _git(work, "push", "-q", "origin", "main")
    _git(work, "checkout", "-q", "-b", "proposition")
    sec = work / "plans" / "la-louviere" / "objectives" / "02-securite.yaml"
    text = sec.read_text(encoding="utf-8")
    sec.write_text(text.replace("planned_end: 2027-12-31", "planned_end: 2028-06-30", 1), encoding="utf-8")
    _git(work, "commit", "-qam", "Caméras : nouvelle échéance")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name in ("gh", "curl"):  # keep each call's arguments and the files it was given
        (stubs / name).write_text("#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$STUB_LOG\"\nfor a in \"$@\"; do case \"$a\" in @*) cat \"${a#@}\" >> \"$STUB_LOG\";; esac; done\n"
                                  "[ \"$1\" = pr ] && [ -n \"$5\" ] && cat \"$5\" >> \"$STUB_LOG\"\nexit 0\n", encoding="utf-8")
        (stubs / name).chmod(0o755)
    return work, stubs, tmp_path / "calls.log"


def _run(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _env(stubs: Path, log: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PATH=f"{BIN}:{stubs}:{env.get('PATH', '')}", STUB_LOG=str(log), **more)
    return env


def _installs(step_or_line: str) -> bool:
    return "pip install" in step_or_line or "apt-get" in step_or_line


def test_github_actions_workflow_runs_on_a_sample_repository(project):
    work, stubs, log = project
    flow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    assert set(flow["jobs"]) == {"lint", "plan-diff", "render"}
    assert flow[True] == {"push": None, "pull_request": None}  # YAML 1.1 reads the key « on » as True
    expressions = {"github.base_ref": "main", "github.token": "t0ken", "github.event.pull_request.number": "7"}
    ran = []
    for name, job in flow["jobs"].items():
        checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0, f"{name}: the history is needed"
        env = _env(stubs, log, **flow["env"], **{k: re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: expressions[m.group(1)], str(v))
                                                   for k, v in (job.get("env") or {}).items()})
        for step in job["steps"]:
            if "run" not in step or _installs(step["run"]):
                continue
            script = re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: expressions[m.group(1)], step["run"])
            step_env = {**env, **{k: re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: expressions[m.group(1)], str(v)) for k, v in (step.get("env") or {}).items()}}
            proc = _run(script, work, step_env)
            assert proc.returncode == 0, f"{name} / {step.get('name')}: {proc.stderr}"
            ran.append(step.get("name"))
    assert "Lint (annotations)" in ran and "Comment on the pull request" in ran and "Render the public site and the annual report" in ran
    sarif = json.loads((work / "feuille.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    minidom.parse(str(work / "feuille-junit.xml"))
    comment = (work / "plan-diff.md").read_text(encoding="utf-8")
    assert "A2.1" in comment and "échéance reportée de 182 jours" in comment
    calls = log.read_text(encoding="utf-8")
    assert "pr\ncomment\n7\n--body-file\nplan-diff.md" in calls and "A2.1" in calls
    assert (work / "site" / "index.html").exists() and (work / "site" / "evaluation-annuelle.docx").read_bytes()[:2] == b"PK"


def test_gitlab_ci_file_runs_on_a_sample_repository(project):
    work, stubs, log = project
    ci = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == "0"
    env = _env(stubs, log, **ci["variables"], CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main", CI_API_V4_URL="https://gitlab.example/api/v4",
               CI_PROJECT_ID="42", CI_MERGE_REQUEST_IID="7", FEUILLE_GITLAB_TOKEN="t0ken", CI_PIPELINE_SOURCE="merge_request_event",
               CI_COMMIT_BRANCH="main")
    before = [line for line in ci["default"]["before_script"] if not _installs(line)]
    for name in ("lint", "plan-diff", "pages"):
        job = ci[name]
        for part in ("script", "after_script"):
            lines = [line for line in job.get(part, []) if not _installs(line)]
            if lines:
                proc = _run("\n".join([*before, *lines]), work, env)
                assert proc.returncode == 0, f"{name} / {part}: {proc.stderr}"
    report = minidom.parse(str(work / "feuille-junit.xml"))
    assert report.getElementsByTagName("testsuite")
    assert json.loads((work / "feuille.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    note = json.loads((work / "note.json").read_text(encoding="utf-8"))
    assert "A2.1" in note["body"] and "échéance reportée" in note["body"]
    calls = log.read_text(encoding="utf-8")
    assert "PRIVATE-TOKEN: t0ken" in calls and "https://gitlab.example/api/v4/projects/42/merge_requests/7/notes" in calls
    assert (work / "public" / "index.html").exists() and "<script" not in (work / "public" / "index.html").read_text(encoding="utf-8")
