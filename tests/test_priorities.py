"""Rankings with known answers, sensitivity checked by brute force, and --mark-priority edits."""

from __future__ import annotations

import datetime as _dt
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES, PLAN, make, no_traceback
from catalogue import build
from feuille.compute.ranking import CRITERIA, PriorityError, parse_weights, rank, sensitivity
from feuille.pipeline import LoadOptions, load_path

AS_OF = dt.date(2026, 7, 1)

SCORED = """
id: O1
title: O
actions:
  - {id: A, title: a, stake: 5, urgency: 1, roi: 3}
  - {id: B, title: b, stake: 1, urgency: 5, roi: 3}
  - {id: C, title: c, stake: 4, urgency: 4, roi: 4}
  - {id: D, title: d, stake: 3, urgency: 3, roi: 1}
  - {id: E, title: e, stake: 2, urgency: 2}
"""


def ids(ranking):
    return [s.item.id for s in ranking.ranked]


def test_weighted_sum_known_answer(tmp_path):
    plan = make(tmp_path, {"o.yaml": SCORED}, PLAN + "priorities: {derive_urgency: false}\n")
    r = rank(plan, AS_OF)
    # normalised (x-1)/4: A=(1+0+.5)/3=50, B=50, C=75, D=(.5+.5+0)/3=33.3
    assert ids(r) == ["C", "A", "B", "D"]
    assert [round(s.total, 2) for s in r.ranked] == [75.0, 50.0, 50.0, 33.33]
    a, b = r.ranked[1], r.ranked[2]
    assert a.tied and b.tied and not r.ranked[0].tied  # A before B: higher stake
    assert not a.ex_aequo and not b.ex_aequo  # the tie is broken by the stake: no « = »
    assert [s.item.id for s in r.unranked] == ["E"] and r.unranked[0].missing == ["roi"]


def test_weights_change_the_order(tmp_path):
    plan = make(tmp_path, {"o.yaml": SCORED}, PLAN + "priorities: {derive_urgency: false}\n")
    # urgency x3: A = (1 + 0 + .5) / 5 = 30, B = (0 + 3 + .5) / 5 = 70, C = 75, D = (.5 + 1.5 + 0) / 5 = 40
    assert ids(rank(plan, AS_OF, weights={"stake": 1, "urgency": 3, "roi": 1})) == ["C", "B", "D", "A"]
    # stake x3: A = (3 + 0 + .5) / 5 = 70, B = 30, C = 75, D = (1.5 + .5 + 0) / 5 = 40
    assert ids(rank(plan, AS_OF, weights={"stake": 3, "urgency": 1, "roi": 1})) == ["C", "A", "D", "B"]


def test_matrix_orders_by_quadrant_first(tmp_path):
    plan = make(tmp_path, {"o.yaml": SCORED}, PLAN + "priorities: {derive_urgency: false}\n")
    r = rank(plan, AS_OF, method="matrix")
    assert [(s.item.id, s.quadrant) for s in r.ranked] == [("C", "do_first"), ("A", "plan"), ("B", "quick_win"), ("D", "later")]


def test_wsjf_value_over_cost(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: CHEAP, title: a, stake: 3, urgency: 3, budget: [{amount: 1000, year: 2026}]}
          - {id: DEAR, title: b, stake: 5, urgency: 5, budget: [{amount: 900000, year: 2026}]}
          - {id: MID, title: c, stake: 4, urgency: 4, budget: [{amount: 50000, year: 2026}]}
          - {id: FREE, title: d, stake: 5, urgency: 5}
    """})
    r = rank(plan, AS_OF, method="wsjf")
    # sizes by cost band among 3 costs on a 1-5 scale: 1, 3, 5; values 3, 4, 5
    assert [(s.item.id, s.total) for s in r.ranked] == [("CHEAP", 3.0), ("MID", pytest.approx(4 / 3)), ("DEAR", 1.0)]
    assert [s.item.id for s in r.unranked] == ["FREE"]


def test_urgency_derived_from_deadline(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: SOON, title: a, stake: 3, roi: 3, planned_end: 2026-08-15}
          - {id: HALF, title: b, stake: 3, roi: 3, planned_end: 2027-03-01}
          - {id: FAR, title: c, stake: 3, roi: 3, planned_end: 2029-01-01}
          - {id: PAST, title: d, stake: 3, roi: 3, planned_end: 2026-01-01}
          - {id: NODATE, title: e, stake: 3, roi: 3}
          - {id: GIVEN, title: f, stake: 3, roi: 3, urgency: 2, planned_end: 2026-07-10}
    """})
    r = rank(plan, AS_OF)
    got = {s.item.id: (s.scores["urgency"], s.sources["urgency"]) for s in [*r.ranked, *r.unranked]}
    # 45 days -> 5, 243 days -> 3 (over 180, under 365), 915 days -> 1, overdue -> 5
    assert got["SOON"] == (5, "deadline") and got["HALF"] == (3, "deadline") and got["FAR"] == (1, "deadline")
    assert got["PAST"] == (5, "deadline") and got["NODATE"] == (None, "missing") and got["GIVEN"] == (2, "given")


def test_roi_derived_from_gain_and_cost(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: R4, title: a, stake: 3, urgency: 3, gain: 120000, budget: [{amount: 40000, year: 2026}]}
          - {id: R05, title: b, stake: 3, urgency: 3, gain: 10000, budget: [{amount: 40000, year: 2026}]}
          - {id: NOCOST, title: c, stake: 3, urgency: 3, gain: 10000}
          - {id: SCORE, title: d, stake: 3, urgency: 3, gain_score: 4, budget: [{amount: 500, year: 2026}]}
    """})
    r = rank(plan, AS_OF)
    got = {s.item.id: (s.scores["roi"], s.sources["roi"]) for s in [*r.ranked, *r.unranked]}
    assert got["R4"] == (4, "gain")  # ratio 3: over 0.5, 1 and 2 -> 1 + 3 bands of 4
    assert got["R05"] == (1, "gain")  # ratio 0.25
    assert got["NOCOST"] == (None, "missing")
    assert got["SCORE"] == (5, "gain_score")  # the cheapest cost: +1


def test_parse_weights():
    assert parse_weights("stake=2,urgence=0.5", {"stake": 1, "urgency": 1, "roi": 1}) == {"stake": 2, "urgency": 0.5, "roi": 1}
    with pytest.raises(PriorityError, match="stake"):
        parse_weights("stakes=2", {"stake": 1, "urgency": 1, "roi": 1})
    with pytest.raises(PriorityError, match="positif"):
        parse_weights("roi=-1", {"stake": 1, "urgency": 1, "roi": 1})
    with pytest.raises(PriorityError, match="nuls"):
        parse_weights("stake=0,urgency=0,roi=0", {"stake": 1, "urgency": 1, "roi": 1})


def test_sensitivity_matches_brute_force():
    plan = load_path(EXAMPLES / "la-louviere", _dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan
    base = rank(plan, dt.date(2026, 11, 22))
    checked = 0
    for s in base.ranked:
        ranges = sensitivity(base, s)
        for c in CRITERIA:
            lo, hi = ranges[c]
            w = base.weights[c]
            inside = [x for x in (lo + (w - lo) * 0.5, w, w + min(hi - w, 10) * 0.5) if lo < x < hi or x == w]
            for x in inside:
                moved = rank(plan, base.as_of, weights={**base.weights, c: x})
                assert moved.find(s.item.id).rank == s.rank, (s.item.id, c, x, ranges[c])
            if hi != float("inf"):
                moved = rank(plan, base.as_of, weights={**base.weights, c: hi + 0.01})
                assert moved.find(s.item.id).rank != s.rank, (s.item.id, c, "above", ranges[c])
                checked += 1
            if lo > 0:
                moved = rank(plan, base.as_of, weights={**base.weights, c: lo - 0.01})
                assert moved.find(s.item.id).rank != s.rank, (s.item.id, c, "below", ranges[c])
                checked += 1
    assert checked > 20


# --- the command ------------------------------------------------------------------------------


LL = str(EXAMPLES / "la-louviere")


def test_prioritise_json_and_top():
    doc = json.loads(feuille("prioritise", LL, "--as-of", "2026-11-22", "--format", "json", "--top", "3").stdout)
    assert [r["id"] for r in doc["ranked"]] == ["A2.2", "A4.1", "A7.2"]
    assert doc["tie_break"] == ["stake", "urgency", "roi", "id"] and doc["ranked"][1]["tied"]
    assert doc["ranked"][0]["stable_weights"]["stake"] == [0.0, 2.0]


def test_prioritise_text_shows_matrix_and_ties():
    out = feuille("prioritise", LL, "--as-of", "2026-11-22").stdout
    assert "Matrice enjeu × urgence" in out and "Ex aequo (=)" in out
    # only the items the tie-break cannot separate (same total, stake, urgency and ROI) share a rank, « = » written once (issues 11, 25)
    assert " 1    A2.2" in out and "=2    A4.1" in out and "\n      A7.2" in out and " 4    A4.2" in out
    assert "À total égal, l'ordre suit l'enjeu" in out


def test_prioritise_objectives_level_reports_missing_scores():
    out = feuille("prioritise", str(EXAMPLES / "plan-strategique"), "--level", "objectives", "--as-of", "2026-11-22").stdout
    assert " 1    L5  Développer les NTIC" in out
    assert "Non classés : notes manquantes" in out and "L1.1" in out and "manque : enjeu, retour" in out and "stake" not in out


def test_explain():
    out = feuille("prioritise", LL, "--as-of", "2026-11-22", "--explain", "A1.4").stdout
    assert "Rang : 14 sur 21 actions classées, ex aequo avec A9.2" in out and "Juste au-dessus : 13. A2.3" in out
    assert "retour : 0 – 1 (poids 1)" in out  # A1.6 ties at 50 and overtakes as soon as ROI weighs more


def test_explain_names_the_quadrant_with_the_readers_quotation_marks():
    fr = feuille("prioritise", LL, "--as-of", "2026-11-22", "--method", "matrix", "--explain", "A1.4").stdout
    en = feuille("prioritise", LL, "--as-of", "2026-11-22", "--method", "matrix", "--explain", "A1.4", "--lang", "en").stdout
    assert "quadrant « plus tard »" in fr
    assert "quadrant \u201clater\u201d" in en and "«" not in en


@pytest.mark.parametrize("args,words", [
    (["--weights", "stake=2,impact=1"], "poids inconnu"),
    (["--method", "ahp"], "méthode inconnue"),
    (["--level", "services"], "niveau inconnu"),
    (["--explain", "A9.9"], "n'est pas parmi"),
    (["--owner", "personne"], "inconnue"),
])
def test_prioritise_bad_options(args, words):
    result = feuille("prioritise", LL, *args)
    no_traceback(result)
    assert result.returncode == 2 and words in result.stderr


def test_unknown_weight_name_in_plan_is_a_lint_error(tmp_path):
    base = (Path(__file__).parent / "cases" / "_base" / "plan.yaml").read_text(encoding="utf-8")
    plan = build(tmp_path / "plan", {"plan.yaml": base + "priorities:\n  weights: {enjeu: 2}\n"})
    result = feuille("lint", str(plan), "--as-of", "2026-07-01")
    assert result.returncode == 1 and "F201" in result.stdout and "ce champ s'écrit en anglais (stake)" in result.stdout


def test_negative_cost_is_a_lint_error(tmp_path):
    plan = build(tmp_path / "plan", {"objectives/02.yaml": "id: O2\ntitle: O\nactions:\n  - id: A2.1\n    title: a\n    budget: [{amount: -500, year: 2026}]\n"})
    result = feuille("lint", str(plan), "--as-of", "2026-07-01", "--format", "json")
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "F206"]
    assert found and found[0]["line"] == 6 and "0 ou plus" in found[0]["message"]


# --- writing the decision back -------------------------------------------------------------------


@pytest.fixture
def plan_copy(tmp_path):
    target = tmp_path / "la-louviere"
    shutil.copytree(EXAMPLES / "la-louviere", target)
    return target


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_mark_priority_changes_only_the_intended_lines(plan_copy):
    before = _snapshot(plan_copy)
    result = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "3")
    assert result.returncode == 0, result.stderr
    after = _snapshot(plan_copy)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"objectives/02-securite.yaml", "objectives/04-logement.yaml", "objectives/07-finances.yaml"}
    for name in changed:
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
        added = [line for line in new if line not in old]
        assert len(new) == len(old) + 1 and len(added) == 1 and added[0].strip().startswith("priority: ")
        assert [line for line in new if not line.strip().startswith("priority: ")] == old  # every other line as it was
    assert "    priority: 1" in after["objectives/02-securite.yaml"].decode()
    lint = feuille("lint", str(plan_copy), "--as-of", "2026-11-22", "--strict")
    assert lint.returncode == 0
    again = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "3")
    assert "déjà à jour" in again.stdout and _snapshot(plan_copy) == after


def test_mark_priority_moves_and_removes(plan_copy):
    feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "3")
    result = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "2", "--weights", "stake=3")
    assert result.returncode == 0, result.stderr
    doc = json.loads(feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--format", "json", "--weights", "stake=3").stdout)
    marked = {r["id"]: r["priority"] for r in doc["ranked"] if r["priority"]}
    assert marked == {doc["ranked"][0]["id"]: 1, doc["ranked"][1]["id"]: 2}


def test_dry_run_shows_a_diff_and_writes_nothing(plan_copy):
    before = _snapshot(plan_copy)
    result = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "2", "--dry-run")
    assert result.returncode == 0
    assert "--- a/" in result.stdout and "+    priority: 1" in result.stdout and "rien n'a été écrit" in result.stdout
    assert _snapshot(plan_copy) == before


def test_mark_priority_says_what_it_did_in_the_users_language(plan_copy):
    dry = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "3", "--dry-run", "--lang", "en")
    assert dry.returncode == 0 and dry.stdout.endswith("\nDry run (--dry-run): nothing was written.\n"), dry.stdout
    fr = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "3")
    assert fr.returncode == 0 and fr.stdout.endswith("\n3 priorités enregistrées dans 3 fichiers.\n"), fr.stdout
    # A4.1 and A7.2 share the second place: --mark-priority 2 keeps both (issue 25), --mark-priority 1 removes both
    same = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "2", "--lang", "en")
    assert same.stdout == "No change: the priorities are already up to date.\n"
    en = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "1", "--lang", "en")
    assert en.returncode == 0 and en.stdout.endswith("\n1 priority rank recorded in 2 files.\n"), en.stdout
    same = feuille("prioritise", str(plan_copy), "--as-of", "2026-11-22", "--mark-priority", "1")
    assert same.stdout == "Aucune modification : les priorités sont déjà à jour.\n"


def test_mark_priority_in_flow_style_crlf_and_bom(tmp_path):
    plan = build(tmp_path / "plan", {})
    text = ("# commentaire gardé\nid: O2\ntitle: Objectif\nactions:\n"
            "  - {id: A2.1, title: \"Première, action\", stake: 5, urgency: 5, roi: 5, last_reviewed: 2026-06-01}  # note\n"
            "  - {id: A2.2, title: Seconde, stake: 1, urgency: 1, roi: 1, priority: 4, last_reviewed: 2026-06-01}\n")
    target = plan / "objectives" / "02.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = feuille("prioritise", str(plan), "--as-of", "2026-07-01", "--mark-priority", "1", "--weights", "stake=1,urgency=1,roi=1")
    assert result.returncode == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw[3:].decode().split("\r\n")
    # placed in the model's order (after roi), as any field the write service adds (app/write.py); no review date: a machine's change
    assert lines[4] == "  - {id: A2.1, title: \"Première, action\", stake: 5, urgency: 5, roi: 5, priority: 1, last_reviewed: 2026-06-01}  # note"
    assert lines[5] == "  - {id: A2.2, title: Seconde, stake: 1, urgency: 1, roi: 1, last_reviewed: 2026-06-01}"
    assert lines[0] == "# commentaire gardé"


def test_mark_priority_refuses_only_the_errors_it_would_add(tmp_path):
    """As every write (app/write.py): an error elsewhere in the plan (A2.1's status cannot be read) does not stop it, and the
    exit code still says the plan has errors (was: refused whatever the error)."""
    text = ("id: O2\ntitle: O\nactions:\n  - {id: A2.1, title: a, stake: 5, urgency: 4, roi: 3, status: en_cours}\n"
            "  - {id: A2.2, title: b, stake: 5, urgency: 5, roi: 5}\n")
    plan = build(tmp_path / "plan", {"objectives/02.yaml": text})
    result = feuille("prioritise", str(plan), "--mark-priority", "1")
    assert result.returncode == 1 and "1 priorité enregistrée dans 1 fichier." in result.stdout, result.stderr
    assert (plan / "objectives/02.yaml").read_text(encoding="utf-8") == text.replace("roi: 5}", "roi: 5, priority: 1}")
    again = feuille("update", "A2.2", "--plan", str(plan), "--set", "priority=2", "--dry-run")  # update: the same rule, the same exit code
    assert again.returncode == 1 and "priority: 2" in again.stdout, again.stderr


def test_write_refuses_a_file_changed_meanwhile(plan_copy):
    from feuille.io.edit import EditError, set_key, write

    p = load_path(plan_copy, _dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan
    ranking = rank(p, dt.date(2026, 11, 22))
    first = ranking.ranked[0]
    edits = set_key(p, {id(first.item): (first.item, 1)})
    target = edits[0].path
    target.write_text(target.read_text(encoding="utf-8") + "# modifié par un collègue\n", encoding="utf-8")
    with pytest.raises(EditError, match="modifié pendant"):
        write(edits)
    assert "priority" not in target.read_text(encoding="utf-8")


def test_filters_apply_to_objectives_too():
    doc = json.loads(feuille("prioritise", str(EXAMPLES / "plan-strategique"), "--level", "objectives", "--owner", "vcornez",
                             "--as-of", "2026-11-22", "--format", "json").stdout)
    assert [r["id"] for r in doc["ranked"]] == ["L5"] and [r["id"] for r in doc["unranked"]] == ["L5.1"]
