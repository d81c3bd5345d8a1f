"""One way in: every command reads the plan through ``pipeline.load``, and a broken plan is never published silently."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from _cli import feuille
from _plans import plain
from feuille import pipeline

ROOT = Path(__file__).parent.parent
LL = ROOT / "plans" / "la-louviere"
AS_OF = "2026-07-01"
A14_REL = Path("objectives") / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"


def break_security(plan: Path) -> None:
    """An indentation error in objectives/02-securite.yaml (objective O2: 3 actions, 805 000 €)."""
    f = plan / "objectives" / "02-securite.yaml"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "  bad: [\n")
    f.write_text("".join(lines), encoding="utf-8")


# --- one pipeline ---------------------------------------------------------------------------

COMMANDS = [
    ["lint", "{plan}"],
    ["status", "{plan}"],
    ["show", "A1.4", "--plan", "{plan}"],
    ["prioritise", "{plan}"],
    ["render", "{plan}", "--out", "{out}"],
    ["report", "term", "--plan", "{plan}", "-o", "{out}.html"],
    ["export", "{plan}", "--format", "json", "-o", "{out}.json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_reads_the_plan_once_through_the_pipeline(command, plan, tmp_path, monkeypatch):
    calls = []
    real = pipeline.load

    def counting(source, as_of, options=None):
        calls.append(source.root)
        return real(source, as_of, options)

    monkeypatch.setattr(pipeline, "load", counting)
    args = [a.format(plan=plan, out=tmp_path / "out") for a in command]
    result = feuille(*args, "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls == [plan]


def test_the_pipeline_times_its_stages(plan):
    loaded = pipeline.load_path(plan, dt.date(2026, 7, 1), options=pipeline.LoadOptions(use_cache=False))
    assert set(pipeline.STAGES) <= set(loaded.timings) and all(v >= 0 for v in loaded.timings.values())
    assert loaded.errors == 0 and not loaded.left_out
    result = feuille("lint", plan, "--timings", "--as-of", AS_OF, "--no-cache")
    assert "découverte" in result.stderr and "règles" in result.stderr and "discover" not in result.stderr
    assert re.search(r" ms ; 18 fichiers lus, 0 repris du cache\n", result.stderr), result.stderr
    english = feuille("lint", plan, "--timings", "--as-of", AS_OF, "--lang", "en")
    assert re.search(r"\S: discover \d+ ms, .* ms; \d+ files read, \d+ from the cache\n", english.stderr), english.stderr


# --- a broken plan is never published silently -------------------------------------------------


def test_syntax_error_status_says_what_is_missing_at_the_top_and_exits_1(plan):
    assert feuille("status", plan, "--as-of", AS_OF).returncode == 0  # read once while it was fine
    break_security(plan)
    result = feuille("status", plan, "--as-of", AS_OF)
    assert result.returncode == 1
    out = plain(result.stdout)
    assert "PLAN INCOMPLET" in out and "O2" in out and "3 actions" in out and "805 000" in out
    assert out.index("PLAN INCOMPLET") < out.index("Avancement global")
    json_out = feuille("status", plan, "--as-of", AS_OF, "--format", "json").stdout
    assert '"left_out"' in json_out and '"O2"' in json_out


def test_a_file_never_read_before_is_said_missing_without_guessing(plan):
    break_security(plan)
    result = feuille("status", plan, "--as-of", AS_OF, "--no-cache")
    assert result.returncode == 1
    assert "PLAN INCOMPLET" in result.stdout and "02-securite.yaml" in result.stdout and "on ne sait pas ce qu'il contenait" in result.stdout


def test_syntax_error_render_and_report_refuse_unless_allowed(plan, tmp_path):
    assert feuille("status", plan, "--as-of", AS_OF).returncode == 0
    break_security(plan)
    out = tmp_path / "site"
    result = feuille("render", plan, "--out", out, "--as-of", AS_OF)
    assert result.returncode == 1 and not out.exists()
    assert "rendu refusé" in result.stderr and "02-securite.yaml:3" in result.stderr and "--allow-errors" in result.stderr
    report = feuille("report", "term", "--plan", plan, "-o", tmp_path / "r.html", "--as-of", AS_OF)
    assert report.returncode == 1 and not (tmp_path / "r.html").exists()

    allowed = feuille("render", plan, "--out", out, "--as-of", AS_OF, "--allow-errors")
    assert allowed.returncode == 1  # written, and a script still notices
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = plain(page.read_text(encoding="utf-8"))
        assert 'class="notice" role="alert"' in text and "PLAN INCOMPLET" in text and "805" in text, page
    md = tmp_path / "wiki"
    feuille("render", plan, "--out", md, "--format", "md", "--as-of", AS_OF, "--allow-errors")
    assert all("PLAN INCOMPLET" in p.read_text(encoding="utf-8") for p in md.rglob("*.md"))
    term = feuille("report", "term", "--plan", plan, "-o", tmp_path / "r.html", "--as-of", AS_OF, "--allow-errors")
    assert term.returncode == 1 and "PLAN INCOMPLET" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_duplicate_id_never_overwrites_a_page(plan, tmp_path):
    f = plan / "objectives" / "03-economie-emploi.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("id: O3\n", "id: O2\n", 1), encoding="utf-8")
    refused = feuille("render", plan, "--out", tmp_path / "a", "--as-of", AS_OF)
    assert refused.returncode == 1 and "F301" in refused.stderr
    feuille("render", plan, "--out", tmp_path / "a", "--as-of", AS_OF, "--allow-errors")
    page = (tmp_path / "a" / "objectives" / "O2.html").read_text(encoding="utf-8")
    assert "sécurité" in page  # the first O2 keeps its page; the second is left out and said so
    assert "identifiant déjà utilisé" in page and "03-economie-emploi.yaml" in page
    loaded = pipeline.load_path(plan, dt.date(2026, 7, 1), options=pipeline.LoadOptions(use_cache=False))
    ids = [o.id for o, _p, _d in loaded.plan.walk()] + [a.id for a, _o in loaded.plan.actions()]
    assert len(ids) == len(set(ids))
    assert [x.ids for x in loaded.left_out] == [["O2"]] and loaded.left_out[0].code == "F301"


def test_rule_errors_block_publishing(plan, tmp_path):
    f = plan / "objectives" / "04-logement.yaml"
    text = f.read_text(encoding="utf-8")
    first_owner = next(line for line in text.splitlines() if "political_owners:" in line)
    f.write_text(text.replace(first_owner, first_owner.split(":")[0] + ": [personne-inconnue]", 1), encoding="utf-8")
    result = feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF)
    assert result.returncode == 1 and "F302" in result.stderr
    assert feuille("show", "A1.4", "--plan", plan, "--as-of", AS_OF).returncode == 1


def test_a_finding_that_drops_part_of_the_plan_cannot_be_turned_down(plan):
    settings = (plan / "plan.yaml").read_text(encoding="utf-8").replace("rules:\n", "rules:\n  F301: warning\n  F101: off\n")
    (plan / "plan.yaml").write_text(settings, encoding="utf-8")
    break_security(plan)
    f = plan / "objectives" / "03-economie-emploi.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("id: O3\n", "id: O1\n", 1), encoding="utf-8")
    loaded = pipeline.load_path(plan, dt.date(2026, 7, 1), options=pipeline.LoadOptions(use_cache=False))
    codes = {d.code: d.severity.name for d in loaded.diagnostics}
    assert codes["F101"] == "error" and codes["F301"] == "error" and codes["F601"] == "error"


def test_an_unreadable_folder_objective_leaves_its_actions_out_and_says_so(plan):
    (plan / "objectives" / "01-cadre-de-vie" / "objective.yaml").write_text("id: O1\ntitle: [\n", encoding="utf-8")
    loaded = pipeline.load_path(plan, dt.date(2026, 7, 1), options=pipeline.LoadOptions(use_cache=False))
    missing = {i for x in loaded.left_out for i in x.ids}
    assert {"A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "A1.6"} <= missing
    assert loaded.missing_actions() == 6


# --- several plans, one policy -------------------------------------------------------------------


@pytest.mark.parametrize("command", [["prioritise", "{d}"], ["render", "{d}", "--out", "{o}"], ["report", "term", "--plan", "{d}"]], ids=lambda c: c[0])
def test_a_folder_of_several_plans_is_refused_by_single_plan_commands(command, tmp_path):
    args = [a.format(d=ROOT / "plans", o=tmp_path / "o") for a in command]
    result = feuille(*args, "--as-of", AS_OF)
    assert result.returncode == 2
    assert "plusieurs plans" in result.stderr and "la-louviere" in result.stderr and "plan-strategique" in result.stderr


def test_a_folder_of_several_plans_is_read_whole_by_lint_and_status():
    assert feuille("lint", ROOT / "plans", "--as-of", AS_OF).returncode == 0
    status = feuille("status", ROOT / "plans", "--as-of", AS_OF)
    assert status.returncode == 0 and "La Louvière" in status.stdout and "Plan stratégique" in status.stdout


# --- where the plan is -----------------------------------------------------------------------------


def test_commands_find_the_plan_from_a_subfolder(plan):
    result = feuille("status", "--as-of", AS_OF, cwd=plan / "objectives" / "01-cadre-de-vie")
    assert result.returncode == 0 and "La Louvière" in result.stdout
    show = feuille("show", "A1.4", "--as-of", AS_OF, cwd=plan / "objectives")
    assert show.returncode == 0 and "A1.4" in show.stdout
    lint = feuille("lint", "--as-of", AS_OF, cwd=plan / "objectives")
    assert lint.returncode == 0


def test_no_plan_here_is_a_clear_message(tmp_path):
    result = feuille("status", cwd=tmp_path)
    assert result.returncode == 2 and "aucun plan" in result.stderr and "feuille init" in result.stderr


def test_init_refuses_inside_a_plan_and_writes_a_gitignore(plan, tmp_path):
    result = feuille("init", plan / "objectives" / "nouveau")
    assert result.returncode == 2 and "à l'intérieur du plan" in result.stderr
    assert not (plan / "objectives" / "nouveau").exists()
    assert feuille("lint", plan, "--as-of", AS_OF).returncode == 0
    fresh = tmp_path / "nouveau"
    assert feuille("init", fresh).returncode == 0
    assert "/site/" in (fresh / ".gitignore").read_text(encoding="utf-8")


def test_render_refuses_a_folder_of_someone_elses_files(plan, tmp_path):
    out = tmp_path / "intranet"
    out.mkdir()
    (out / "index.html").write_text("<p>page faite à la main</p>", encoding="utf-8")
    result = feuille("render", plan, "--out", out, "--as-of", AS_OF)
    assert result.returncode == 2 and "index.html" in result.stderr and "--force" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>page faite à la main</p>"
    assert feuille("render", plan, "--out", out, "--as-of", AS_OF, "--force").returncode == 0
    assert feuille("render", plan, "--out", out, "--as-of", AS_OF).returncode == 0  # now it is feuille's


# --- cache ------------------------------------------------------------------------------------------------


def test_an_edit_that_keeps_size_and_mtime_is_seen(plan):
    f = plan / "objectives" / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"
    assert "55\u202f%" in feuille("show", "A1.4", "--plan", plan, "--as-of", AS_OF).stdout
    st = f.stat()
    f.write_text(f.read_text(encoding="utf-8").replace("progress: 55", "progress: 95"), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # touch -r
    assert "95\u202f%" in feuille("show", "A1.4", "--plan", plan, "--as-of", AS_OF).stdout


def test_export_json_carries_every_field_and_the_computed_figures(plan, tmp_path):
    import json

    result = feuille("export", plan, "-o", tmp_path / "plan.json", "--as-of", AS_OF, "--audience", "internal")
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    loaded = pipeline.load_path(plan, dt.date(2026, 7, 1), options=pipeline.LoadOptions(use_cache=False))
    exported = {}
    stack = list(doc["objectives"])
    while stack:
        o = stack.pop()
        exported[o["id"]] = o
        stack.extend(o["objectives"])
        exported.update({a["id"]: a for a in o["actions"]})
    for action, _obj in loaded.plan.actions():
        assert {k: v for k, v in exported[action.id].items() if k != "computed"} == action.model_dump(mode="json", exclude_none=True)
    assert exported["A1.4"]["computed"]["progress"] == 55 and exported["A1.4"]["computed"]["progress_source"] == "progress"
    assert len(exported) == sum(1 for _ in loaded.plan.walk()) + sum(1 for _ in loaded.plan.actions())
    break_security(plan)
    refused = feuille("export", plan, "-o", tmp_path / "again.json", "--as-of", AS_OF)
    assert refused.returncode == 1 and "export refusé" in refused.stderr and not (tmp_path / "again.json").exists()


# --- a plan at a git revision ---------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-06-01T10:00:00+02:00", "GIT_COMMITTER_DATE": "2026-06-01T10:00:00+02:00"}
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "-C", str(repo), *args],
                   check=True, capture_output=True, env=env)


def test_rev_reads_the_plan_as_committed_without_touching_the_working_tree(plan):
    _git(plan, "init", "-q", "-b", "main")
    _git(plan, "add", "-A")
    _git(plan, "commit", "-q", "-m", "plan adopté")
    f = plan / "objectives" / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("progress: 55", "progress: 95"), encoding="utf-8")
    now = feuille("show", "A1.4", "--plan", plan, "--as-of", AS_OF)
    then = feuille("show", "A1.4", "--plan", plan, "--as-of", AS_OF, "--rev", "HEAD")
    assert "95\u202f%" in now.stdout and "55\u202f%" in then.stdout
    assert feuille("lint", plan, "--rev", "HEAD", "--as-of", AS_OF).returncode == 0
    assert "progress: 95" in f.read_text(encoding="utf-8")  # nothing was checked out
    for command in (["status", plan], ["render", plan, "--out", plan.parent / "site"], ["export", plan, "-o", plan.parent / "p.json"]):
        assert feuille(*command, "--rev", "HEAD", "--as-of", AS_OF).returncode == 0, command


def test_rev_that_does_not_exist_or_outside_git_is_a_clear_message(plan):
    outside = feuille("status", plan, "--rev", "HEAD", "--as-of", AS_OF)
    assert outside.returncode == 2 and "git" in outside.stderr and "Traceback" not in outside.stderr
    _git(plan, "init", "-q", "-b", "main")
    _git(plan, "add", "-A")
    _git(plan, "commit", "-q", "-m", "plan")
    unknown = feuille("status", plan, "--rev", "v9", "--as-of", AS_OF)
    assert unknown.returncode == 2 and "la révision « v9 » n'existe pas" in unknown.stderr
    writing = feuille("prioritise", plan, "--rev", "HEAD", "--mark-priority", "1")
    assert writing.returncode == 2 and "--rev" in writing.stderr


def test_a_reading_command_puts_an_interrupted_write_right_first(plan):
    from feuille.io import transaction as tx

    target = plan / A14_REL
    before = target.read_bytes()

    def crash(name, i):
        if (name, i) == ("replace", 0):
            raise tx._Crash()

    t = tx.Transaction(plan, _hook=crash)
    t.add(target, before.replace(b"progress: 55", b"progress: 99"), before=None, shown=str(A14_REL))
    with pytest.raises(tx._Crash):
        t.commit()
    assert (plan / tx.JOURNAL).exists() and tx.JOURNAL == pipeline._JOURNAL
    result = feuille("status", plan, "--as-of", AS_OF)
    assert result.returncode == 0 and "interrompue" in result.stderr
    assert target.read_bytes() == before and not (plan / tx.JOURNAL).exists()


def test_duplicate_ids_within_one_objective_first_one_wins(tmp_path):
    """Actions A, B, A, C, B in one objective: the later A and B are left out (F301 each), A, B, C kept in order."""
    root = tmp_path / "p"
    (root / "objectives").mkdir(parents=True)
    (root / "plan.yaml").write_text("title: P\nterm: {start: 2024-12-02, end: 2030-12-01}\n", encoding="utf-8")
    actions = "".join(f"  - id: {i}\n    title: {t}\n" for i, t in (("A", "un"), ("B", "deux"), ("A", "trois"), ("C", "quatre"), ("B", "cinq")))
    (root / "objectives" / "o1.yaml").write_text(f"id: O1\ntitle: Objectif\nactions:\n{actions}", encoding="utf-8")
    loaded = pipeline.load_path(root, dt.date(2026, 1, 1), options=pipeline.LoadOptions(use_cache=False))
    kept = [(a.id, a.title) for a in loaded.plan.objectives[0].actions]
    assert kept == [("A", "un"), ("B", "deux"), ("C", "quatre")]
    dups = [(d.code, d.obj_id, d.obj_title) for d in loaded.diagnostics if d.code == "F301"]
    assert dups == [("F301", "A", "trois"), ("F301", "B", "cinq")]
    assert loaded.plan.origins["C"][1] == ("actions", 3)


def test_the_personal_data_flag_is_privacy_anywhere_in_one_look():
    """The loader's one walk (pipeline._texts_and_visibility + privacy.any_of) flags exactly the files privacy.anywhere flags."""
    import itertools
    import random

    from feuille.core import privacy
    from feuille.pipeline import _texts_and_visibility

    pieces = ["0477 12 34", "56", "jean@ville", ".be", "jean@ville.be", "né le", "domicilié", "Né le 3 mai", "+32 477", "12 34 56 78",
              "04/12/2025", "2025-05-12", "875/124-02", "numéro national", "national", "x" * 30, "", "0", "071 23 45 67", 477123456, 3.5,
              "n° national 12", "a\x00b@c.de", "registre", "national!", "0477 12\x0034 56 78", "tel 0471/23.45.67"]
    rng = random.Random(27)
    for _ in range(3000):
        items = [rng.choice(pieces) for _ in range(rng.randint(0, 5))]
        values = {"id": "A1", "texts": [str(x) if rng.random() < 0.3 else x for x in items], "nested": [{"note": rng.choice(pieces)}]}
        texts, withholds = _texts_and_visibility(values)
        assert privacy.any_of(texts) == privacy.anywhere(values), values
        assert not withholds
    for a, b in itertools.product(pieces, repeat=2):  # two values side by side never make one match
        assert privacy.any_of([str(a), str(b)]) == privacy.anywhere([a, b]), (a, b)
    assert _texts_and_visibility({"actions": [{"id": "A", "visibility": "council"}]})[1]


def test_the_phone_pattern_finds_what_its_plain_form_finds():
    """core/privacy._PHONE is written so that the regex engine jumps from one « + » or « 0 » to the next: the same
    matches, at the same places, as its plain form (the character before the number checked first)."""
    import random
    import re

    from feuille.core import privacy

    plain = re.compile(r"(?<![\d/])(?:(?:\+|00)\d{2}[\s./-]?\d{1,3}|0\d{1,3})(?:[\s./-]?\d{2}){3,4}(?![\d/])")
    rng = random.Random(801)
    for _ in range(50_000):
        text = "".join(rng.choice("0123456789+/ .-\x00a") for _ in range(rng.randint(1, 30)))
        assert [m.span() for m in privacy._PHONE.finditer(text)] == [m.span() for m in plain.finditer(text)], text
    for text in ("+32 471 12 34 56", "0032 4 71 12 34 56", "04/123.45.67", "tel 065 12 34 56", "1/065 12 34 56", "x0471123456", "20471123456"):
        assert [m.span() for m in privacy._PHONE.finditer(text)] == [m.span() for m in plain.finditer(text)], text
    assert privacy.found_in("Appeler le 0471 12 34 56") is not None and privacy.found_in("dossier 1/0471 12 34 56") is None
