"""What the fuzz campaigns of ``tests/test_fuzz.py`` found, each as its minimal input.

A test marked ``xfail(strict=True)`` is a bug not fixed yet (the reason says where the fix
belongs); once fixed it passes, the strict mark fails the suite, and both the mark and the
matching entry of ``test_fuzz.KNOWN`` must go.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from _cli import feuille

ROOT = Path(__file__).parent.parent
LL = ROOT / "plans" / "la-louviere"
PS = ROOT / "plans" / "plan-strategique"
AS_OF = "2026-07-01"


def copy(tmp_path: Path, plan: Path = LL) -> Path:
    target = tmp_path / plan.name
    shutil.copytree(plan, target)
    return target


# --- the writer ---------------------------------------------------------------------------------


def test_mark_priority_keeps_cr_line_endings(tmp_path):
    """Case(plan='la-louviere', mutations=(('cr', 7),)): objectives/02-securite.yaml with CR-only lines.

    Found on 067717c: ``--mark-priority 3`` inserted ``    priority: 1\\n`` (LF) into the CR file.
    """
    plan = copy(tmp_path)
    f = plan / "objectives" / "02-securite.yaml"
    f.write_bytes(f.read_bytes().replace(b"\n", b"\r"))
    result = feuille("prioritise", plan, "--mark-priority", "3", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    data = f.read_bytes()
    assert b"\n" not in data
    assert b"\r    priority: 1\r" in data


# --- lint formats ---------------------------------------------------------------------------------


def test_junit_is_xml_when_a_value_holds_control_characters(tmp_path):
    """Case(plan='la-louviere', mutations=(('value_text', 0, 0, '"\\\\0\\\\x07\\\\e"'),)): ``id: "\\0\\x07\\e"``.

    Found on ac2b174: the F204 message quoted the value raw, and XML 1.0 cannot hold
    U+0000, U+0007 or U+001B even escaped: ``lint -f junit`` was not well-formed.
    Fixed in views/lint.py (such characters are shown as ``\\xNN``).
    """
    import xml.etree.ElementTree as ET

    plan = copy(tmp_path)
    f = plan / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("id: A1.1", 'id: "\\0\\x07\\e"', 1), encoding="utf-8")
    result = feuille("lint", plan, "-f", "junit", "--as-of", AS_OF)
    assert result.returncode == 1
    tree = ET.fromstring(result.stdout)
    messages = [e.get("message") for e in tree.iter("failure")]
    assert any("\\x00\\x07\\x1b" in m for m in messages), messages


# --- text on a terminal ---------------------------------------------------------------------------


def test_show_writes_no_terminal_escape_from_the_data(tmp_path):
    """A title ``"\\e[2J\\r\\n::error::x"``: ``show`` wrote ESC [2J (clear the screen) and a line that
    GitHub Actions reads as a workflow command; ``prioritise`` (text) wrote the ESC too."""
    plan = copy(tmp_path)
    f = plan / "objectives" / "02-securite.yaml"
    text = f.read_text(encoding="utf-8")
    old = "title: Étendre le réseau de caméras de surveillance aux entrées de ville et aux parkings"
    assert old in text
    f.write_text(text.replace(old, 'title: "\\e[2J\\r\\n::error::x Étendre le réseau"'), encoding="utf-8")
    for args in (("show", "A2.1", "--plan", plan), ("prioritise", plan)):
        result = feuille(*args, "--as-of", AS_OF)
        assert result.returncode in (0, 1), result.stderr
        assert "\x1b" not in result.stdout, args
        assert not any(line.startswith("::") for line in result.stdout.splitlines()), args


# --- the loader -------------------------------------------------------------------------------------


def test_a_scalar_where_a_list_of_actions_belongs_in_an_action_file(tmp_path):
    """Case(plan='la-louviere', mutations=(('on', 'action', ('inject', 1, 0, 'actions', 3)),)): ``actions: 3`` added
    to a standalone action file.

    Found on 8d88d33 (issue 20): the file is an objective in an action's place (F309), and describing what it held
    for the summary iterated over ``3``: TypeError in lint, status and every command.  Fixed in pipeline._describe.
    """
    import json

    plan = copy(tmp_path)
    f = plan / "objectives" / "01-cadre-de-vie" / "A1.2-besoins-humains.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "actions: 3\n", encoding="utf-8")
    (plan / "objectives" / "01-cadre-de-vie" / "A1.9-objectifs.yaml").write_text("id: A1.9\ntitle: x\nobjectives: x\nbudget: 3\n", encoding="utf-8")
    result = feuille("lint", plan, "--format", "json", "--as-of", AS_OF)
    assert result.returncode == 1
    found = {(d["file"].rsplit("/", 1)[-1], d["code"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert {("A1.2-besoins-humains.yaml", "F309"), ("A1.9-objectifs.yaml", "F309")} <= found
    for args in (("status", plan), ("show", "A1.1", "--plan", plan), ("render", plan, "--out", tmp_path / "site", "--allow-errors")):
        assert feuille(*args, "--as-of", AS_OF).returncode in (0, 1), args
