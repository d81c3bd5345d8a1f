"""The CI files, run for real: each ``run:`` step of action.yml (the composite GitHub Action at the root),
docs/ci/github-actions.yml and each script line of docs/ci/gitlab-ci.yml, with bash, in a temporary git
repository whose plan sits in a subfolder (``plans/la-louviere``), with an ``origin`` to compare with and
a proposed change on a branch.  The steps that install feuille run too: ``FEUILLE_SOURCE`` is a local
clone of this feuille, installed by pip into a fresh virtual environment without any package index (its
dependencies are this environment's, through a ``.pth`` line).  ``gh`` and ``curl`` (which talk to GitHub
and GitLab) are stubs that keep what they were asked to post; ``uses:`` steps and apt-get are GitHub's
and GitLab's own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from xml.dom import minidom

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "docs" / "ci"
EXAMPLE = ROOT / "plans" / "la-louviere"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


@pytest.fixture(scope="module")
def tools(tmp_path_factory):
    """A local clone of feuille (with the files of this working tree) and an empty virtual environment whose pip works offline."""
    base = tmp_path_factory.mktemp("ci-tools")
    clone = base / "feuille"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, capture_output=True)
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "-z"], capture_output=True, check=True)
    for rel in filter(None, listed.stdout.decode("utf-8").split("\0")):  # what this working tree has that its last commit may not
        if (ROOT / rel).is_file() and not rel.startswith(("tests/", "plans/", "bench/")):
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, clone / rel)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")  # pip, typer... from here
    return clone, venv / "bin"


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


def _env(stubs: Path, log: Path, tools, **more: str) -> dict[str, str]:
    clone, bin_ = tools
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(more)
    env.update(PATH=f"{bin_}:{stubs}:{env.get('PATH', '')}", STUB_LOG=str(log), FEUILLE_SOURCE=str(clone), GITHUB_ACTION_PATH=str(clone),
               PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONFIG_FILE=os.devnull)
    return env


_INSTALLED: set[str] = set()


def _runs(step_or_line: str) -> bool:
    """apt-get is the CI image's; feuille's own install runs once per file (pip rebuilds a folder each time: the same line again proves nothing)."""
    if "apt-get" in step_or_line:
        return False
    if "pip install" in step_or_line:
        if step_or_line in _INSTALLED:
            return False
        _INSTALLED.add(step_or_line)
    return True


def _installed_from_the_clone(tools) -> None:
    clone, bin_ = tools
    where = subprocess.run([str(bin_ / "python"), "-c", "import feuille; print(feuille.__file__)"], capture_output=True, text=True, cwd="/")
    assert where.stdout.startswith(str(bin_.parent)), where.stdout + where.stderr  # installed by the CI file's step, not the tests' feuille


def _expand(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m.group(1)], text)


def test_github_actions_workflow_runs_on_a_sample_repository(project, tools):
    work, stubs, log = project
    flow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    assert set(flow["jobs"]) == {"lint", "plan-diff", "render"}
    assert flow[True] == {"push": None, "pull_request": None}  # YAML 1.1 reads the key « on » as True
    assert flow["env"]["PLAN"] == "." and flow["env"]["FEUILLE_SOURCE"].startswith("git+https://")  # the plan found under the root; feuille from git
    expressions = {"github.base_ref": "main", "github.token": "t0ken", "github.event.pull_request.number": "7"}
    ran = []
    for name, job in flow["jobs"].items():
        checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0, f"{name}: the history is needed"
        env = _env(stubs, log, tools, **flow["env"], **{k: _expand(str(v), expressions) for k, v in (job.get("env") or {}).items()})
        for step in job["steps"]:
            if "run" not in step or not _runs(step["run"]):
                continue
            step_env = {**env, **{k: _expand(str(v), expressions) for k, v in (step.get("env") or {}).items()}}
            proc = _run(_expand(step["run"], expressions), work, step_env)
            assert proc.returncode == 0, f"{name} / {step.get('name')}: {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
            ran.append(step.get("name"))
    _installed_from_the_clone(tools)
    assert "Lint (annotations)" in ran and "Comment on the pull request" in ran and "Render the public site and the annual report" in ran
    sarif = json.loads((work / "feuille.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    minidom.parse(str(work / "feuille-junit.xml"))
    comment = (work / "plan-diff.md").read_text(encoding="utf-8")
    assert "A2.1" in comment and "échéance reportée de 182 jours" in comment
    calls = log.read_text(encoding="utf-8")
    assert "pr\ncomment\n7\n--body-file\nplan-diff.md" in calls and "A2.1" in calls
    assert (work / "site" / "index.html").exists() and (work / "site" / "evaluation-annuelle.docx").read_bytes()[:2] == b"PK"


def test_the_composite_action_runs_on_a_sample_repository(project, tools):
    work, stubs, log = project
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite" and {"plan", "strict", "audience", "render", "feuille-source"} <= set(action["inputs"])
    inputs = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    inputs.update({"inputs.strict": "true", "inputs.render": "true", "github.base_ref": "main", "github.token": "t0ken",
                   "github.event.pull_request.number": "7"})  # the plan not named: found under the root
    env = _env(stubs, log, tools)
    ran = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        assert step["shell"] == "bash"
        condition = step.get("if", "")
        if condition and not ("inputs.render" in condition or "pull_request" in condition):
            continue
        if _runs(step["run"]):
            proc = _run(_expand(step["run"], inputs), work, {**env, **{k: _expand(str(v), inputs) for k, v in (step.get("env") or {}).items()}})
            assert proc.returncode == 0, f"{step.get('name')}: {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
        ran.append(step["name"])
    _installed_from_the_clone(tools)
    assert ran == ["Install feuille", "Lint (annotations)", "Render the site", "Comment what the change does to the plan"]
    assert (work / "feuille-site" / "index.html").exists()
    assert "A2.1" in (work / "feuille-plan-diff.md").read_text(encoding="utf-8")
    assert "--body-file\nfeuille-plan-diff.md" in log.read_text(encoding="utf-8")


def test_the_composite_action_fails_on_a_broken_plan_with_annotations(project, tools):
    work, stubs, log = project
    sec = work / "plans" / "la-louviere" / "objectives" / "02-securite.yaml"
    sec.write_text(sec.read_text(encoding="utf-8").replace("progress: 40", "progress: 400", 1), encoding="utf-8")
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    lint = next(s for s in action["runs"]["steps"] if s.get("name") == "Lint (annotations)")
    proc = _run(lint["run"], work, {**_env(stubs, log, tools), "PLAN": "", "STRICT": "false",
                                    "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"})
    assert proc.returncode == 1
    assert "::error file=plans/la-louviere/objectives/02-securite.yaml,line=" in proc.stdout


def test_the_pre_commit_hook_works_where_the_plan_sits(project):
    work, _stubs, _log = project
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "feuille lint" and hook["pass_filenames"] is False
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    proc = _run(hook["entry"], work, env)  # at the repository's root, as pre-commit runs it: the plan is in plans/la-louviere
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "plans/la-louviere" in proc.stdout


def test_gitlab_ci_file_runs_on_a_sample_repository(project, tools):
    work, stubs, log = project
    ci = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == "0"
    env = _env(stubs, log, tools, **ci["variables"], CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main", CI_API_V4_URL="https://gitlab.example/api/v4",
               CI_PROJECT_ID="42", CI_MERGE_REQUEST_IID="7", FEUILLE_GITLAB_TOKEN="t0ken", CI_PIPELINE_SOURCE="merge_request_event",
               CI_COMMIT_BRANCH="main")
    for name in ("lint", "plan-diff", "pages"):
        job = ci[name]
        before = [line for line in ci["default"]["before_script"] if _runs(line)]
        for part in ("script", "after_script"):
            lines = [line for line in job.get(part, []) if _runs(line)]
            if lines:
                proc = _run("\n".join([*before, *lines]), work, env)
                assert proc.returncode == 0, f"{name} / {part}: {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
                before = []
    _installed_from_the_clone(tools)
    assert ci["lint"]["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
    quality = json.loads((work / "gl-code-quality.json").read_text(encoding="utf-8"))
    assert quality == []  # the example plan is clean; docs/ci.md shows a finding
    report = minidom.parse(str(work / "feuille-junit.xml"))
    assert report.getElementsByTagName("testsuite")
    assert json.loads((work / "feuille.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    note = json.loads((work / "note.json").read_text(encoding="utf-8"))
    assert "A2.1" in note["body"] and "échéance reportée" in note["body"]
    calls = log.read_text(encoding="utf-8")
    assert "PRIVATE-TOKEN: t0ken" in calls and "https://gitlab.example/api/v4/projects/42/merge_requests/7/notes" in calls
    assert (work / "public" / "index.html").exists() and "<script" not in (work / "public" / "index.html").read_text(encoding="utf-8")
