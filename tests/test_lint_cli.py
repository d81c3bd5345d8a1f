"""`feuille lint` as users run it: exit codes, messages, formats, bad input."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES, no_traceback
from catalogue import build

ROOT = Path(__file__).parent.parent
AS_OF = "2026-07-01"


@pytest.mark.parametrize("plan", sorted(p.name for p in EXAMPLES.iterdir() if (p / "plan.yaml").exists()))
def test_example_plans_lint_clean(plan):
    result = feuille("lint", str(EXAMPLES / plan), "--strict", "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aucun problème" in result.stdout


def test_lint_of_a_folder_of_plans_checks_each(tmp_path):
    result = feuille("lint", str(EXAMPLES), "--as-of", "2026-11-22")
    assert result.returncode == 0
    assert result.stdout.count("aucun problème") == len([p for p in EXAMPLES.iterdir() if (p / "plan.yaml").exists()])


def _plan_with(tmp_path: Path, files: dict[str, str]) -> Path:
    return build(tmp_path / "plan", files)


BAD_INPUTS = {
    "unclosed quote": ("id: O2\ntitle: \"Objectif\nactions: []\n", "F101", 2, "guillemet"),
    "tab indentation": ("id: O2\ntitle: Objectif\nactions:\n\t- id: A2.1\n", "F101", 4, "tabulation"),
    "duplicate keys": ("id: O2\ntitle: a\ntitle: b\n", "F102", 3, "deux fois"),
    "python tag": ("id: O2\ntitle: !!python/object/apply:os.system [\"touch PWNED\"]\n", "F103", 2, "!!python/object/apply:os.system"),
    "empty file": ("", "F107", None, "vide"),
    "list at top": ("- id: O2\n  title: Objectif\n", "F109", None, "une liste"),
    "scalar at top": ("juste une phrase\n", "F109", None, "le texte"),
    "scalar where an action belongs": ("id: O2\ntitle: Objectif\nactions:\n  - Nettoyer la place\n", "F203", 4, "ensemble « clé: valeur »"),
    "scalar where a list belongs": ("id: O2\ntitle: Objectif\nactions: Nettoyer la place\n", "F203", 3, "une liste"),
    "unknown key": ("id: O2\ntitle: Objectif\ntitre: Objectif bis\nactions:\n  - {id: A2.1, title: A, last_reviewed: 2026-06-01}\n", "F201", 3, "title"),
    "wrong type": ("id: O2\ntitle: Objectif\nactions:\n  - id: A2.1\n    title: A\n    progress: beaucoup\n", "F203", 6, "nombre"),
    "impossible date": ("id: O2\ntitle: Objectif\nactions:\n  - id: A2.1\n    title: A\n    planned_end: 2025-02-31\n", "F205", 6, "n'existe pas"),
    "date written dd/mm/yyyy": ("id: O2\ntitle: Objectif\nactions:\n  - id: A2.1\n    title: A\n    planned_end: 31/12/2025\n", "F205", 6, "2025-12-31 au lieu de 31/12/2025"),
    "alias bomb": ("a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                   "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", "F104", 5, "alias"),
    "deep nesting": ("a: " + "[" * 20000 + "]" * 20000 + "\n", "F104", 1, "imbriquées"),
    "several documents": ("id: O2\ntitle: a\n---\nid: O3\ntitle: b\n", "F101", 3, "plusieurs documents"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_a_located_message_and_exit_1(name, tmp_path):
    content, code, line, words = BAD_INPUTS[name]
    plan = _plan_with(tmp_path, {"objectives/02.yaml": content})
    result = feuille("lint", str(plan), "--as-of", AS_OF, "--format", "json")
    no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    found = [d for d in report["diagnostics"] if d["code"] == code and d["file"].endswith("objectives/02.yaml")]
    assert found, report["diagnostics"]
    if line is not None:
        assert found[0]["line"] == line
    assert words in found[0]["message"] + (found[0]["hint"] or ""), found[0]
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize("raw,words", [
    (b"id: O2\ntitle: Propr\xe9t\xe9\n", "UTF-8"),
    (os.urandom(64) + b"\x00" + os.urandom(64), "binaire"),
])
def test_unreadable_bytes(tmp_path, raw, words):
    plan = _plan_with(tmp_path, {})
    (plan / "objectives" / "02.yaml").write_bytes(raw)
    result = feuille("lint", str(plan), "--as-of", AS_OF)
    no_traceback(result)
    assert result.returncode == 1
    assert "F106" in result.stdout and words in result.stdout


def test_bom_and_crlf_from_windows_editors_are_accepted(tmp_path):
    plan = _plan_with(tmp_path, {})
    text = "id: O2\ntitle: Objectif écrit sous Windows\nactions:\n  - {id: A2.1, title: Action, last_reviewed: 2026-06-01}\n"
    (plan / "objectives" / "02.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = feuille("lint", str(plan), "--as-of", AS_OF, "--strict")
    assert result.returncode == 0, result.stdout


def test_yaml_12_semantics_no_is_a_string(tmp_path):
    plan = _plan_with(tmp_path, {"objectives/02.yaml": "id: O2\ntitle: no\nactions:\n  - {id: A2.1, title: off, last_reviewed: 2026-06-01}\n"})
    result = feuille("lint", str(plan), "--as-of", AS_OF, "--strict", "--format", "json")
    assert result.returncode == 0, result.stdout


def test_missing_path_is_a_usage_error(tmp_path):
    result = feuille("lint", str(tmp_path / "nulle-part"))
    no_traceback(result)
    assert result.returncode == 2
    assert "n'existe pas" in result.stderr


def test_folder_without_plan_is_exit_2(tmp_path):
    result = feuille("lint", str(tmp_path))
    assert result.returncode == 2
    assert "plan.yaml" in result.stderr


@pytest.mark.parametrize("args,words", [
    (["--format", "pdf"], "format inconnu"),
    (["--as-of", "31/13/2025"], "Écrivez la date JJ/MM/AAAA (31/12/2026) ou AAAA-MM-JJ (2026-12-31)."),
    (["--lang", "nl"], "langue inconnue"),
])
def test_bad_options_are_explained(args, words):
    result = feuille("lint", str(EXAMPLES / "la-louviere"), *args)
    no_traceback(result)
    assert result.returncode == 2
    assert words in result.stderr


def test_strict_fails_on_warnings(tmp_path):
    plan = _plan_with(tmp_path, {"objectives/02.yaml": "id: O2\ntitle: Objectif sans action\n"})
    assert feuille("lint", str(plan), "--as-of", AS_OF).returncode == 0
    assert feuille("lint", str(plan), "--as-of", AS_OF, "--strict").returncode == 1


def test_rule_settings_change_severity_or_disable(tmp_path):
    base = (ROOT / "tests" / "cases" / "_base" / "plan.yaml").read_text(encoding="utf-8")
    plan = _plan_with(tmp_path, {"objectives/02.yaml": "id: O2\ntitle: Objectif sans action\n",
                                 "plan.yaml": base + "rules:\n  F305: error\n"})
    result = feuille("lint", str(plan), "--as-of", AS_OF)
    assert result.returncode == 1 and "erreur F305" in result.stdout
    (plan / "plan.yaml").write_text(base + "rules:\n  F305: off\n", encoding="utf-8")
    result = feuille("lint", str(plan), "--as-of", AS_OF, "--strict")
    assert result.returncode == 0 and "F305" not in result.stdout


def test_as_of_makes_date_rules_reproducible(tmp_path):
    before = feuille("lint", str(EXAMPLES / "la-louviere"), "--as-of", "2026-11-22", "--format", "json")
    after = feuille("lint", str(EXAMPLES / "la-louviere"), "--as-of", "2029-01-01", "--format", "json")
    assert json.loads(before.stdout)["diagnostics"] == []
    codes = {d["code"] for d in json.loads(after.stdout)["diagnostics"]}
    assert {"F404", "F406"} <= codes
    again = feuille("lint", str(EXAMPLES / "la-louviere"), "--as-of", "2029-01-01", "--format", "json")
    assert again.stdout == after.stdout


@pytest.fixture
def broken_plan(tmp_path):
    return _plan_with(tmp_path, {"objectives/02.yaml": (
        "id: O2\ntitle: Objectif\nactions:\n"
        "  - id: A2.1\n    title: \"Réfection, voirie: rue de la Station\"\n    political_owners: [echevim]\n    status: en_cours\n"
        "    planned_end: 2026-03-31\n    last_reviewed: 2026-06-01\n"
    )})


def test_text_output_names_file_line_object_and_hint(broken_plan):
    result = feuille("lint", str(broken_plan), "--as-of", AS_OF)
    assert result.returncode == 1
    out = result.stdout
    assert f"{broken_plan}/objectives/02.yaml:6:24: erreur F302  A2.1 « Réfection, voirie: rue de la Station »" in out
    assert "Le champ responsables politiques (political_owners) cite « echevim », qui n'est pas dans people.yaml." in out
    assert "conseil : Vouliez-vous dire : echevin ?" in out
    assert "(vouliez-vous dire « en cours (ongoing) » ?)" in out
    assert "\x1b[" not in out  # no colour when piped
    assert "1 erreur" not in out and "2 erreurs" in out


def test_english_output(broken_plan):
    result = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--lang", "en")
    assert "error F302" in result.stdout and "Did you mean: echevin?" in result.stdout
    assert "2 errors" in result.stdout


def test_json_output_is_versioned_and_complete(broken_plan):
    result = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["version"] == 1 and doc["as_of"] == AS_OF
    assert doc["plans"][0]["summary"] == {"error": 2, "warning": 1, "info": 0}
    f302 = next(d for d in doc["diagnostics"] if d["code"] == "F302")
    assert f302 == {
        "code": "F302", "name": "unknown-person", "severity": "error", "file": f"{broken_plan}/objectives/02.yaml",
        "line": 6, "column": 24, "path": "actions[0].political_owners[0]",
        "object": {"id": "A2.1", "title": "Réfection, voirie: rue de la Station"},
        "title": "Personne inconnue", "message": "Le champ responsables politiques (political_owners) cite « echevim », qui n'est pas dans people.yaml.",
        "hint": "Vouliez-vous dire : echevin ?",
    }


def test_github_annotations_escape_and_keep_full_report(broken_plan):
    result = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--format", "github")
    lines = result.stdout.splitlines()
    f302 = next(line for line in lines if line.startswith("::error") and "F302" in line)
    assert f302.startswith(f"::error file={broken_plan}/objectives/02.yaml,line=6,col=24,title=F302 Personne inconnue::")
    assert "Réfection%2C voirie%3A" not in f302.split("::", 2)[2]  # message part: only % CR LF escaped
    assert "%0A" in f302  # hint on a second line
    assert any(line.startswith("::warning") and "F404" in line for line in lines)
    assert "2 erreurs" in result.stdout  # the full text report follows


def test_sarif_is_2_1_0_with_rules_and_fingerprints(broken_plan):
    doc = json.loads(feuille("lint", str(broken_plan), "--as-of", AS_OF, "--format", "sarif").stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "F302" in rule_ids
    result = next(r for r in run["results"] if r["ruleId"] == "F302")
    assert rule_ids[result["ruleIndex"]] == "F302"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 24}
    assert len(result["partialFingerprints"]["feuille/v1"]) == 32


def test_junit_is_well_formed(broken_plan, tmp_path):
    out = tmp_path / "report.xml"
    result = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--format", "junit", "--output", str(out))
    assert result.returncode == 1 and result.stdout == ""
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "2"
    failing = [tc for tc in root.iter("testcase") if tc.find("failure") is not None]
    assert [tc.get("name") for tc in failing] == [f"{broken_plan}/objectives/02.yaml"]


def test_colour_only_when_asked_or_in_a_terminal(broken_plan):
    forced = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--color", "always")
    assert "\x1b[" in forced.stdout
    assert "\x1b[" not in feuille("lint", str(broken_plan), "--as-of", AS_OF, "--color", "never").stdout


def test_output_is_deterministic(broken_plan):
    a = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--format", "sarif", "--no-cache").stdout
    b = feuille("lint", str(broken_plan), "--as-of", AS_OF, "--format", "sarif").stdout
    assert a == b


def test_cache_sees_edits(tmp_path):
    plan = _plan_with(tmp_path, {})
    assert feuille("lint", str(plan), "--as-of", AS_OF, "--strict").returncode == 0
    target = plan / "objectives" / "01-base.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("status: ongoing", "status: en_cours"), encoding="utf-8")
    result = feuille("lint", str(plan), "--as-of", AS_OF)
    assert result.returncode == 1 and "F204" in result.stdout


def test_cache_is_outside_the_plan(tmp_path):
    plan = _plan_with(tmp_path, {})
    before = sorted(p.relative_to(plan) for p in plan.rglob("*"))
    cache = tmp_path / "cache"
    feuille("lint", str(plan), env={"FEUILLE_CACHE_DIR": str(cache)})
    assert sorted(p.relative_to(plan) for p in plan.rglob("*")) == before
    assert list(cache.iterdir())


def test_internal_errors_do_not_show_a_traceback(tmp_path):
    # a plan whose folder is a file named plan.yaml that is a directory: odd but must not crash
    plan = tmp_path / "p"
    (plan / "plan.yaml").mkdir(parents=True)
    result = feuille("lint", str(plan))
    no_traceback(result)
    assert result.returncode in (1, 2)


def test_pre_commit_hook_is_declared():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: feuille-lint" in hooks and "pass_filenames: false" in hooks and "entry: feuille lint" in hooks


def test_init_creates_a_plan_that_lints_clean(tmp_path):
    for kind in ("pst", "dpc"):
        target = tmp_path / kind
        result = feuille("init", str(target), "--kind", kind, "--organisation", 'Commune "de" Test: ville')
        assert result.returncode == 0, result.stderr
        lint = feuille("lint", str(target), "--strict")
        assert lint.returncode == 0, lint.stdout
    again = feuille("init", str(tmp_path / "pst"))
    assert again.returncode == 2 and "contient déjà un plan" in again.stderr


def test_init_in_english_writes_an_english_plan_that_lints_clean(tmp_path):
    for kind in ("pst", "dpc"):
        target = tmp_path / kind
        result = feuille("init", str(target), "--kind", kind, "--lang", "en")
        assert result.returncode == 0, result.stderr
        assert f"created: {target / 'plan.yaml'}\n" in result.stdout and f"Plan ready. Check it with: feuille lint {target}\n" in result.stdout
        assert "créé" not in result.stdout
        plan = (target / "plan.yaml").read_text(encoding="utf-8")
        assert "locale: en-GB\n" in plan and 'title: "Cross-cutting strategic programme 2024-2030"' in plan and 'name: "Municipality"' in plan
        objective = (target / "objectives" / "01-first-objective.yaml").read_text(encoding="utf-8")
        assert "title: First action (to be renamed)\n" in objective and "à renommer" not in objective
        assert "name: General management\n" in (target / "people.yaml").read_text(encoding="utf-8")
        assert "# the site published by 'feuille render'" in (target / ".gitignore").read_text(encoding="utf-8")
        lint = feuille("lint", str(target), "--strict")
        assert lint.returncode == 0 and "no problems" in lint.stdout, lint.stdout  # the plan is English: so are the commands
    assert "levels: [Strategic objective, Operational objective, Action]\n" in (tmp_path / "pst" / "plan.yaml").read_text(encoding="utf-8")
    assert "levels: [Priority objective, Action]\n" in (tmp_path / "dpc" / "plan.yaml").read_text(encoding="utf-8")
    french = feuille("init", str(tmp_path / "fr"))
    assert f"créé : {tmp_path / 'fr' / 'plan.yaml'}\n" in french.stdout and f"Plan prêt. Vérifiez-le avec : feuille lint {tmp_path / 'fr'}\n" in french.stdout
    plan = (tmp_path / "fr" / "plan.yaml").read_text(encoding="utf-8")
    assert "locale: fr-BE\n" in plan and "levels: [Objectif stratégique, Objectif opérationnel, Action]\n" in plan
    assert "title: Premier objectif stratégique (à renommer)\n" in (tmp_path / "fr" / "objectives" / "01-premier-objectif.yaml").read_text(encoding="utf-8")


def test_init_refusals_speak_the_users_language(tmp_path):
    target = tmp_path / "plan"
    assert feuille("init", str(target)).returncode == 0
    for args, fr, en in (
        ([str(target)], f"feuille : « {target} » contient déjà un plan (plan.yaml) : rien n'a été écrit.\n",
         f"feuille: '{target}' already holds a plan (plan.yaml): nothing was written.\n"),
        ([str(tmp_path / "autre"), "--kind", "cpas"], "feuille : type de plan inconnu « cpas » : choisissez pst ou dpc.\n",
         "feuille: unknown kind of plan 'cpas': choose pst or dpc.\n"),
    ):
        said = feuille("init", *args)
        assert said.returncode == 2 and said.stderr == fr
        said = feuille("init", *args, "--lang", "en")
        assert said.returncode == 2 and said.stderr == en
        assert feuille("--lang", "en", "init", *args).stderr == en and feuille("init", *args, env={"FEUILLE_LANG": "en"}).stderr == en
    inside = feuille("init", str(target / "objectives" / "x"), "--lang", "en", cwd=tmp_path)
    assert inside.returncode == 2 and not (target / "objectives" / "x").exists()
    assert inside.stderr == (f"feuille: '{target / 'objectives' / 'x'}' would be inside the plan 'plan': its files would be read there as objectives. "
                             "Nothing was written.\n  Create the new plan outside this folder, for example next to it: feuille init ../x\n")
    inside = feuille("init", str(target / "objectives" / "x"), cwd=tmp_path)
    assert inside.stderr.endswith("Rien n'a été écrit.\n  Créez le nouveau plan hors de ce dossier, par exemple à côté : feuille init ../x\n")


def test_schema_check_and_writes_speak_the_users_language(tmp_path):
    out = tmp_path / "schema"
    written = feuille("schema", "--out", str(out), "--lang", "en")
    assert written.returncode == 0 and f"written: {out / 'plan.schema.json'}\n" in written.stdout and "écrit" not in written.stdout
    (out / "plan.schema.json").write_text("{}", encoding="utf-8")
    stale = feuille("schema", "--out", str(out), "--check")
    assert stale.returncode == 1
    assert stale.stderr == f"feuille : schémas périmés : {out / 'plan.schema.json'}\n  Lancez « feuille schema --out {out} ».\n"
    stale = feuille("schema", "--out", str(out), "--check", "--lang", "en")
    assert stale.returncode == 1
    assert stale.stderr == f"feuille: stale schemas: {out / 'plan.schema.json'}\n  Run 'feuille schema --out {out}'.\n"
    assert feuille("--lang", "en", "schema", "--out", str(out), "--check").stderr == stale.stderr
    written = feuille("schema", "--out", str(out))
    assert written.returncode == 0 and written.stdout == f"écrit : {out / 'plan.schema.json'}\n"


def test_schema_files_are_current():
    result = feuille("schema", "--out", str(ROOT / "schema"), "--check")
    assert result.returncode == 0, result.stderr


def test_schema_prints_one_kind():
    doc = json.loads(feuille("schema", "action").stdout)
    assert doc["$schema"].endswith("2020-12/schema")
    assert "planned_end" in doc["properties"] and doc["additionalProperties"] is False


def test_example_files_carry_the_schema_modeline():
    for path in EXAMPLES.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema.exists(), (path, schema)


def test_plan_file_given_directly(tmp_path):
    result = feuille("lint", str(EXAMPLES / "la-louviere" / "plan.yaml"), "--as-of", "2026-11-22")
    assert result.returncode == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git missing")
def test_hidden_and_underscore_entries_are_ignored(tmp_path):
    plan = _plan_with(tmp_path, {".brouillon/x.yaml": "pas: [valide", "_archives/y.yaml": "- non"})
    assert feuille("lint", str(plan), "--as-of", AS_OF, "--strict").returncode == 0
