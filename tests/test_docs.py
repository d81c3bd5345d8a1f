"""The docs cannot drift: every command, every field and every setting is documented."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import pytest

from _cli import feuille
from feuille.cli import app
from feuille.core import model

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FORMAT = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_commands_are_known():
    assert {"lint", "status", "show", "schema", "init"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_with_an_example(command):
    assert f"### `feuille {command}`" in README, f"README has no section for feuille {command}"
    assert re.search(rf"^feuille {command}\b", README, re.M), f"README has no example of feuille {command}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = feuille(command, "--help")
    assert result.returncode == 0 and "Exemple" in result.stdout, result.stdout


@pytest.mark.parametrize("kind,cls", [(k, c) for k, c in model.FILE_MODELS.items()] + [
    ("budget", model.BudgetLine), ("indicator", model.Indicator), ("measurement", model.Measurement), ("share", model.Share),
    ("organisation", model.Organisation), ("term", model.Term), ("scale", model.Scale), ("settings", model.Settings),
    ("person", model.Person), ("service", model.Service),
    ("sub-action", model.SubAction), ("volet", model.VoletItem), ("funding", model.Funding), ("declared progress", model.DeclaredProgress),
])
def test_every_field_is_in_the_format_reference(kind, cls):
    missing = [name for name in cls.model_fields if not re.search(rf"\b{name}:", FORMAT)]
    assert not missing, f"docs/format.md does not show {kind} fields {missing}"


def test_the_two_setup_commands_are_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert ".venv/bin/python -m pytest" in README and lines[-2] == ".venv/bin/python -m pytest"
    assert lines[-1].startswith(".venv/bin/python bench/table.py --small") and "bench/table.py" in README  # the speed table, after the tests
    assert ".venv/bin/feuille status plans/la-louviere" in README


def test_every_enum_value_is_in_the_format_reference():
    for enum in (model.Status, model.Health, model.Volet, model.Direction, model.BudgetService, model.Civility, model.Role, model.OrgType, model.Audience,
                 model.PriorityLevel):
        for member in enum:
            assert member.value in FORMAT, f"{enum.__name__}.{member.value} is not in docs/format.md"


def test_format_reference_examples_are_valid():
    from feuille.io.yamlread import read

    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT, re.S)
    checked = 0
    for block in blocks:
        m = re.search(r"schema/(\w+)\.schema\.json", block)
        if not m:
            continue
        data, problems = read(block)
        assert problems == [], problems
        model.FILE_MODELS[m.group(1)].model_validate(data)
        checked += 1
    assert checked == 4


def test_template_context_is_documented():
    import datetime as dt

    from feuille.compute.audience import publish
    from feuille.core.model import Audience
    from feuille.pipeline import LoadOptions, load_path
    from feuille.views.site import RenderOptions, _Site

    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    plan = load_path(ROOT / "plans" / "la-louviere", _dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan
    context = _Site(publish(plan, Audience.public, dt.date(2026, 11, 22)), RenderOptions(dt.date(2026, 11, 22))).context("index", "index.html", "x")
    missing = [key for key in context if f"`{key}`" not in doc and f"`{key}(" not in doc]
    assert not missing, f"docs/templates.md does not describe {missing}"


def test_readme_says_how_to_get_feuille_on_the_path():
    """After the two set-up commands a new shell has no `feuille`: the README says to activate the venv (issue 11)."""
    assert "source .venv/bin/activate" in README and ".venv\\Scripts\\activate" in README


def test_ci_and_pre_commit_snippets_pin_a_real_commit_with_the_hook():
    """The README's CI and pre-commit snippets install from the git repository at a commit that exists
    and holds the pre-commit hook and an installable package (no `pip install feuille`: not on PyPI)."""
    import shutil
    import subprocess

    section = README.split("## Dans un dépôt de plan : pre-commit et CI", 1)[1].split("\n## ", 1)[0]
    assert "pip install feuille\n" not in section and "v0.1.0" not in section
    revs = set(re.findall(r"rev: ([0-9a-f]{40})\b", section))
    pins = set(re.findall(r"git\+\S+\.git@([0-9a-f]{40})\b", section))
    assert len(revs) == 1 and revs == pins, (revs, pins)
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    sha = revs.pop()
    git = ["git", "-C", str(ROOT)]
    if subprocess.run([*git, "cat-file", "-e", f"{sha}^{{commit}}"], capture_output=True).returncode:
        pytest.skip(f"commit {sha} not in this clone (shallow?)")
    hooks = subprocess.run([*git, "show", f"{sha}:.pre-commit-hooks.yaml"], capture_output=True, text=True, check=True).stdout
    assert "- id: feuille-lint" in hooks and "entry: feuille lint" in hooks
    project = subprocess.run([*git, "show", f"{sha}:pyproject.toml"], capture_output=True, text=True, check=True).stdout
    assert 'name = "feuille"' in project and 'feuille = "feuille.cli:main"' in project
