"""Every diagnostic code is exercised by a case, documented, and its good example is clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogue import BUILT, all_cases, build, render_doc, run
from feuille.core.diagnostics import CATALOGUE

CASES = {c.name: c for c in all_cases()}  # F101, F101-indent...: a code may have several examples
CODES = {c.code for c in CASES.values()}
ROOT = Path(__file__).parent.parent


def test_every_code_has_a_case_or_a_built_test():
    missing = sorted(set(CATALOGUE) - CODES - set(BUILT))
    assert not missing, f"codes without a case in tests/cases/: {missing}"
    assert not (CODES - set(CATALOGUE)), "a case names a code that does not exist"


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_example_emits_its_code_at_the_marked_line(name, tmp_path):
    case = CASES[name]
    code = case.code
    report = run(build(tmp_path / "plan", case.bad), case.as_of)
    found = [d for d in report.diagnostics if d.code == code]
    assert found, f"{code} not emitted; got {[(d.code, d.message('en')) for d in report.diagnostics]}"
    mark = case.marked()
    if mark is not None:
        rel, line = mark
        assert any(d.file.endswith(rel) and d.line == line for d in found), [(d.file, d.line, d.col) for d in found]
    for d in found:
        for lang in ("fr", "en"):
            assert d.message(lang) and "{" not in d.message(lang), d.message(lang)
            assert "{" not in d.hint(lang)


@pytest.mark.parametrize("name", sorted(CASES))
def test_good_example_is_clean(name, tmp_path):
    case = CASES[name]
    report = run(build(tmp_path / "plan", case.good), case.as_of)
    assert [(d.code, d.file, d.line, d.message("en")) for d in report.diagnostics] == []


def test_base_plan_is_clean(tmp_path):
    report = run(build(tmp_path / "plan", {}), CASES["F404"].as_of)
    assert report.diagnostics == []


def test_rules_doc_is_up_to_date():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_doc(), "docs/rules.md is stale: run `make docs`"


def test_every_code_is_in_the_rules_doc():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"## {code}\n" in doc


# --- cases that cannot be written as text ------------------------------------------------


def _codes(report):
    return {d.code for d in report.diagnostics}


def test_F105_huge_single_line(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "02.yaml").write_text("id: O2\ntitle: " + "x" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F105"]
    assert d.file.endswith("objectives/02.yaml") and d.line == 2
    assert "caractères" in d.message("fr")


def test_F105_file_too_large(tmp_path):
    plan = build(tmp_path / "plan", {})
    line = "# " + "x" * 1000 + "\n"
    (plan / "objectives" / "02.yaml").write_text(line * 9000, encoding="utf-8")
    report = run(plan, CASES["F404"].as_of)
    assert "F105" in _codes(report)
    assert "Mio" in next(d for d in report.diagnostics if d.code == "F105").message("fr")


def test_F106_invalid_utf8(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "02.yaml").write_bytes(b"id: O2\ntitle: Propret" + b"\xe9 publique\n")
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F106"]
    assert (d.line, d.col) == (2, 15)
    assert "UTF-8" in d.message("fr") and "0xe9" in d.message("fr")


def test_F106_binary_garbage(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "02.yaml").write_bytes(bytes(range(256)) * 4)
    report = run(plan, CASES["F404"].as_of)
    assert "F106" in _codes(report)
    assert "binaire" in next(d for d in report.diagnostics if d.code == "F106").message("fr")


def test_F108_dangling_link(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "02.yaml").symlink_to(plan / "supprimé.yaml")  # (a link out of the plan folder is F113, whether its target exists or not)
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F108"]
    assert d.file.endswith("02.yaml") and "lire" in d.message("fr")


def test_F113_link_loop_to_a_folder_above(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "boucle").symlink_to(plan / "objectives", target_is_directory=True)
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F113"]
    assert "boucle" in d.message("fr") and d.file.endswith("boucle")
    assert d.message("fr") == f"Ceci est un lien symbolique vers un dossier qui le contient (« {plan / 'objectives'} ») : une boucle. Il n'est pas lu."


def test_F113_self_referencing_file_link(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "moi.yaml").symlink_to(plan / "objectives" / "moi.yaml")
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F113"]
    assert "une boucle" in d.message("fr") and d.file.endswith("moi.yaml") and report.left_out[0].file == d.file


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_F108_permission_denied(tmp_path):
    plan = build(tmp_path / "plan", {})
    target = plan / "objectives" / "01-base.yaml"
    target.chmod(0)
    try:
        report = run(plan, CASES["F404"].as_of)
    finally:
        target.chmod(0o644)
    assert "F108" in _codes(report)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_F111_special_file(tmp_path):
    plan = build(tmp_path / "plan", {})
    os.mkfifo(plan / "objectives" / "zz.yaml")
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F111"]
    assert d.file.endswith("zz.yaml") and d.severity.name == "warning" and report.errors == 0


def test_F112_interrupted_write_that_cannot_be_put_right(tmp_path):
    from feuille.io import transaction as tx

    plan = build(tmp_path / "plan", {})
    target = plan / "objectives" / "01-base.yaml"
    before = target.read_bytes()

    def crash(name, i):
        if (name, i) == ("replace", 0):
            raise tx._Crash()

    t = tx.Transaction(plan, _hook=crash)
    t.add(target, before + b"# changed\n", before=None, shown="objectives/01-base.yaml")
    with pytest.raises(tx._Crash):
        t.commit()
    target.unlink()  # someone removed the file since: neither finishing nor undoing is safe
    report = run(plan, CASES["F404"].as_of)
    (d,) = [d for d in report.diagnostics if d.code == "F112"]
    assert "supprimez" in d.message("fr") and report.errors >= 1


def test_F110_no_plan_file(tmp_path):
    (tmp_path / "vide").mkdir()
    report = run(tmp_path / "vide", CASES["F404"].as_of)
    assert [d.code for d in report.diagnostics] == ["F110"]


def test_every_rule_declares_the_codes_it_emits():
    from feuille.checks import rules

    declared = {code for rule in rules.RULES for code in rule.codes}
    emitted_by_rules = {c for c in CATALOGUE if c[1] not in "12"} - {"F301", "F309"}  # the pipeline's assembly keeps ids unique and files in place
    assert declared == emitted_by_rules


@pytest.mark.parametrize("code", sorted(CASES))
def test_errors_only_mode_counts_the_same_errors(code, tmp_path):
    from feuille.pipeline import LoadOptions, load_path

    case = CASES[code]
    root = build(tmp_path / "plan", case.bad)
    full = load_path(root, case.as_of, options=LoadOptions(use_cache=False))
    quick = load_path(root, case.as_of, options=LoadOptions(use_cache=False, rules="errors", locate=False))
    assert full.plan.error_count == quick.plan.error_count


F101_CAUSES = {  # each example of a broken file and the cause the message names (issue 11: plain French, the likely cause)
    "F101": "un guillemet ouvert ici n'est jamais refermé",
    "F101-indent": "la clé du champ responsable administratif (admin_owner) est en retrait de 6 espaces, alors que ses voisines le sont de 4",
    "F101-list": "cet élément de liste (« - ») est en retrait de 3 espaces, alors que la liste au-dessus l'est de 2",
    "F101-space": "il manque une espace après les deux-points du champ intitulé (title)",
    "F101-colon": "la valeur du champ intitulé (title) contient « : »",
    "F101-apostrophe": "entre guillemets simples, une apostrophe termine le texte",
    "F101-tab": "une tabulation est utilisée pour l'indentation",
    "F101-bracket": "il manque « ] » ou une virgule",
}


@pytest.mark.parametrize("name", sorted(F101_CAUSES))
def test_yaml_syntax_errors_name_their_likely_cause_in_plain_words(name, tmp_path):
    case = CASES[name]
    found = [d for d in run(build(tmp_path / "plan", case.bad), case.as_of).diagnostics if d.code == "F101"]
    assert len(found) == 1
    assert F101_CAUSES[name] in found[0].message("fr") and found[0].hint("fr")
    english = {"while ", "did not find", "mapping values", "could not find", "found character", "scalar", "expected"}
    assert not [w for w in english if w in found[0].message("fr") + found[0].hint("fr")]  # none of the parser's own words


def test_an_unrecognised_syntax_error_is_described_without_the_parsers_english(tmp_path):
    plan = build(tmp_path / "plan", {"objectives/02.yaml": "id: O2\ntitle: Cadre\n? [a, b]\n: c\nactions: []\n"})
    found = [d for d in run(plan, CASES["F404"].as_of).diagnostics if d.code == "F101"]
    assert found and all("while" not in d.message("fr") and "expected" not in d.message("fr") for d in found)
