"""Issue 22: the wider model — sub-actions, uneven depth, strands (volets), budget at every level, funders,
declared progress and the fields plans track — loaded, checked by lint and rolled up, on small plans whose
answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

from _plans import PLAN, PST, load_small
from _plans import action_row as action
from _plans import objective_row as by_id
from feuille.compute.rollup import compute
from feuille.pipeline import LoadOptions, load_path

AS_OF = dt.date(2026, 7, 1)

PEOPLE = """\
services: [{id: cadre, name: Cadre de vie}]
people:
  - {id: echevin, first_name: Anne, last_name: Martin, role: alderman}
  - {id: agent, first_name: Paul, last_name: Simon, role: officer}
"""


def load(tmp_path: Path, objectives: dict[str, str], plan: str = PLAN, rules: str = "all"):
    return load_small(tmp_path, objectives, AS_OF, plan, rules, PEOPLE)


def codes(loaded) -> list[tuple[str, str | None]]:
    return [(d.code, d.obj_id) for d in loaded.diagnostics]


CADASTRE = """
id: O1
title: Cadre de vie
actions:
  - id: A1
    title: Etablir un cadastre des besoins
    status: ongoing
    planned_start: 2025-01-01
    planned_end: 2027-12-31
    last_reviewed: 2026-06-01
    sub_actions:
      - title: Détermination des besoins humains
        political_owners: [echevin]
        admin_owner: agent
        status: done
        actual_end: 2026-03-01
      - title: Détermination des besoins matériels
        status: ongoing
        progress: 50
      - id: A1.9
        title: Détermination des besoins en mobilier urbain
        status: ongoing
"""


# --- sub-actions ---------------------------------------------------------------------------------


def test_sub_actions_take_the_action_id_and_their_place_unless_they_name_one(tmp_path):
    loaded = load(tmp_path, {"o.yaml": CADASTRE})
    a = loaded.plan.action_index()["A1"][0]
    assert [s.id for s in a.sub_actions] == ["A1.1", "A1.2", "A1.9"]
    assert "id" not in a.sub_actions[0].model_fields_set and a.sub_actions[0].derived_id  # derived: never written in the file
    assert loaded.plan.origins["A1.2"] == ("objectives/o.yaml", ("actions", 0, "sub_actions", 1))
    assert set(loaded.plan.sub_action_index()) == {"A1.1", "A1.2", "A1.9"}
    assert codes(loaded) == []


def test_the_action_progress_is_its_own_else_its_sub_actions_else_its_indicators_else_its_status(tmp_path):
    # A1: no progress of its own; sub-actions done (100, status), 50 (progress), ongoing (unknown): (100 + 50) / 2 = 75
    rollup = compute(load(tmp_path / "a", {"o.yaml": CADASTRE}).plan, AS_OF)
    r = action(rollup, "A1")
    assert (r.progress, r.source) == (75.0, "sub_actions")
    assert (r.subs_known, r.subs_counted) == (2, 3)
    assert [(s.sub.id, s.progress, s.source) for s in r.subs] == [("A1.1", 100.0, "status"), ("A1.2", 50.0, "progress"), ("A1.9", None, "unknown")]
    # its own progress wins over its sub-actions
    own = CADASTRE.replace("    status: ongoing\n    planned_start", "    status: ongoing\n    progress: 20\n    planned_start")
    assert action(compute(load(tmp_path / "b", {"o.yaml": own}).plan, AS_OF), "A1").progress == 20.0
    # sub-actions win over indicators; with none known, the indicators count
    measured = """
    id: O1
    title: O
    actions:
      - id: A1
        title: a
        status: ongoing
        indicators:
          - {label: i, baseline: 0, target: 10, measurements: [{date: 2026-01-01, value: 3}]}
        sub_actions:
          - {title: s, status: SUBSTATUS}
    """
    known = load(tmp_path / "c", {"o.yaml": measured.replace("SUBSTATUS", "not_started")})
    assert (action(compute(known.plan, AS_OF), "A1").progress, action(compute(known.plan, AS_OF), "A1").source) == (0.0, "sub_actions")
    unknown = load(tmp_path / "d", {"o.yaml": measured.replace("SUBSTATUS", "ongoing")})
    assert (action(compute(unknown.plan, AS_OF), "A1").progress, action(compute(unknown.plan, AS_OF), "A1").source) == (30.0, "indicators")
    # a cancelled sub-action does not count
    cancelled = load(tmp_path / "e", {"o.yaml": measured.replace("SUBSTATUS", "cancelled")})
    assert action(compute(cancelled.plan, AS_OF), "A1").source == "indicators"


def test_a_late_sub_action_is_listed_with_the_late_actions(tmp_path):
    late = CADASTRE.replace("      - id: A1.9\n", "      - id: A1.9\n        planned_end: 2026-05-31\n")
    loaded = load(tmp_path, {"o.yaml": late})
    rollup = compute(loaded.plan, AS_OF)
    assert [(x.item.id, x.days_late) for x in rollup.late_items()] == [("A1.9", 31)]
    assert ("F404", "A1.9") in codes(loaded)  # lint says it too, at the sub-action
    soon = CADASTRE.replace("      - id: A1.9\n", "      - id: A1.9\n        planned_end: 2026-07-11\n")
    assert [(x.item.id, x.due_in) for x in compute(load(tmp_path / "soon", {"o.yaml": soon}).plan, AS_OF).due_items(30)] == [("A1.9", 10)]


def test_a_sub_action_with_a_bad_field_is_left_out_alone_and_said(tmp_path):
    bad = CADASTRE.replace("        status: done\n", "        status: done\n        progress: 130\n")
    loaded = load(tmp_path, {"o.yaml": bad})
    a = loaded.plan.action_index()["A1"][0]
    assert [s.id for s in a.sub_actions] == ["A1.1", "A1.2", "A1.9"]  # the bad field only is left out
    f206 = [d for d in loaded.diagnostics if d.code == "F206"]
    assert [(d.obj_id, d.obj_title, d.path) for d in f206] == [("A1.1", "Détermination des besoins humains", ("actions", 0, "sub_actions", 0, "progress"))]
    untitled = load(tmp_path / "untitled", {"o.yaml": CADASTRE.replace("      - title: Détermination des besoins humains\n", "      - titel: oups\n")})
    a = untitled.plan.action_index()["A1"][0]
    assert [s.id for s in a.sub_actions] == ["A1.2", "A1.9"]  # the first one cannot be kept: no title
    assert [(x.kind, x.ids, x.code) for x in untitled.left_out] == [("sub_action", ["A1.1"], "F202")]  # 'titel': did you mean 'title'?
    assert sorted(d.code for d in untitled.diagnostics if d.obj_id == "A1.1") == ["F201", "F202"]
    from feuille.views.format import Formatter
    from feuille.views.notice import left_out_line

    assert "the sub-action A1.1" in left_out_line(untitled.left_out[0], Formatter("en", "en_GB"))


def test_a_sub_action_id_already_taken_is_an_error_and_left_out(tmp_path):
    twice = CADASTRE.replace("id: A1.9", "id: A1")
    loaded = load(tmp_path, {"o.yaml": twice})
    assert ("F301", "A1") in codes(loaded)
    assert [s.id for s in loaded.plan.action_index()["A1"][0].sub_actions] == ["A1.1", "A1.2"]
    assert [(x.kind, x.ids) for x in loaded.left_out] == [("sub_action", ["A1"])]


def test_rules_read_sub_actions_owners_and_dates(tmp_path):
    body = CADASTRE.replace("        admin_owner: agent\n", "        admin_owner: agnet\n        planned_end: 2028-06-30\n")
    loaded = load(tmp_path, {"o.yaml": body})
    found = {(d.code, d.obj_id, d.path[-1]) for d in loaded.diagnostics}
    assert ("F302", "A1.1", "admin_owner") in found  # an unknown person, with « did you mean »
    assert ("F402", "A1.1", "planned_end") in found  # after its action's deadline
    f302 = next(d for d in loaded.diagnostics if d.code == "F302")
    assert "agent" in f302.hint("en")


# --- uneven depth ------------------------------------------------------------------------------------

UNEVEN = """
id: AXE1
title: Axe 1
volet: external
actions:
  - {id: F1, title: Fiche sous l'axe, status: ongoing, progress: 40, last_reviewed: 2026-06-01}
objectives:
  - id: AXE1.1
    title: Sous-axe 1.1
    actions:
      - {id: F2, title: Fiche sous le sous-axe, status: ongoing, progress: 80, last_reviewed: 2026-06-01}
"""


def test_actions_at_any_level_when_the_plan_says_so(tmp_path):
    fixed = load(tmp_path / "fixed", {"axe.yaml": UNEVEN}, plan=PST)
    assert ("F306", "AXE1") in codes(fixed)  # by default, actions only under the last level
    uneven = load(tmp_path / "uneven", {"axe.yaml": UNEVEN}, plan=PST + "settings: {actions_at: any}\n")
    assert [c for c in codes(uneven) if c[0] == "F306"] == []
    rollup = compute(uneven.plan, AS_OF)
    assert by_id(rollup, "AXE1").progress == 60.0  # (40 + 80) / 2: the fiche under the axis and the sub-axis' mean
    assert by_id(rollup, "AXE1").total == 2
    deeper = UNEVEN.replace("      - {id: F2", "    objectives:\n      - id: AXE1.1.1\n        title: trop profond\n        actions:\n          - {id: F3, title: x}\n      - {id: F2")
    assert ("F306", "AXE1.1.1") in codes(load(tmp_path / "deeper", {"axe.yaml": deeper}, plan=PST + "settings: {actions_at: any}\n"))


def test_actions_at_takes_only_its_words(tmp_path):
    loaded = load(tmp_path, {"axe.yaml": UNEVEN}, plan=PST + "settings: {actions_at: anywhere}\n")
    f204 = next(d for d in loaded.diagnostics if d.code == "F204")
    assert f204.path == ("settings", "actions_at") and "anywhere" in f204.message("en"), f204.message("en")


# --- budget at every level, funders -------------------------------------------------------------------

BUDGETED = """
id: O1
title: Propreté
budget:
  - {amount: 25000, year: 2026, type: expense, label: Campagne}
actions:
  - id: A1
    title: Poubelles
    budget:
      - amount: 40000
        year: 2026
        funders:
          - {name: Région wallonne, amount: 24000}
          - {name: Fonds propres, amount: 16000}
      - {amount: 24000, year: 2026, type: revenue, funder: Région wallonne}
objectives:
  - id: O1.1
    title: Sous-objectif
    budget:
      - {amount: 5000, year: 2027, funder: FEDER}
"""


def test_the_objective_own_budget_apart_from_what_comes_from_below(tmp_path):
    loaded = load(tmp_path, {"o.yaml": BUDGETED}, rules="none")
    rollup = compute(loaded.plan, AS_OF)
    top = by_id(rollup, "O1")
    assert top.own_budget.planned == Decimal(25000)
    assert top.budget.planned == Decimal(70000)  # 25,000 own + 40,000 of A1 + 5,000 of O1.1 (the revenue is not an expense)
    assert top.from_below == Decimal(45000)
    assert top.budget.revenue == Decimal(24000)
    assert rollup.budget.planned == Decimal(70000) and rollup.budget.revenue == Decimal(24000)  # each line once
    # by funder: A1's expense line counts for its funders, its revenue line for its funder, O1.1's line for FEDER
    assert rollup.budget.by_funder == {"Région wallonne": Decimal(48000), "Fonds propres": Decimal(16000), "FEDER": Decimal(5000)}
    assert rollup.budget.by_year == {2026: Decimal(65000), 2027: Decimal(5000)}


def test_funders_that_exceed_their_line_or_a_line_named_twice(tmp_path):
    over = BUDGETED.replace("amount: 16000}", "amount: 26000}")
    loaded = load(tmp_path / "over", {"o.yaml": over})
    f510 = [d for d in loaded.diagnostics if d.code == "F510"]
    assert [(d.obj_id, d.path[-2:]) for d in f510] == [("A1", (0, "funders"))]
    assert "50000" in f510[0].message("en") and "40000" in f510[0].message("en")
    twice = BUDGETED.replace("        funders:\n", "        funder: Région wallonne\n        funders:\n")
    f510 = [d for d in load(tmp_path / "twice", {"o.yaml": twice}).diagnostics if d.code == "F510"]
    assert [d.path[-1] for d in f510] == ["funder"]
    assert "counted twice" in f510[0].message("en")
    assert [d.code for d in load(tmp_path / "good", {"o.yaml": BUDGETED}).diagnostics if d.code == "F510"] == []


# --- declared progress ---------------------------------------------------------------------------------

DECLARED = """
id: OS1
title: Objectif stratégique
volet: internal
objectives:
  - id: OO1
    title: Sans action, avancement déclaré
    progress_declared: {value: 30, date: 2026-06-30, source: Rapport au Collège}
  - id: OO2
    title: Avec une action
    progress_declared: {value: 90, date: 2026-06-30}
    actions:
      - {id: A2, title: a, status: ongoing, progress: 60}
"""


def test_declared_progress_counts_only_when_nothing_below_has_one(tmp_path):
    loaded = load(tmp_path, {"os.yaml": DECLARED}, plan=PST, rules="none")
    rollup = compute(loaded.plan, AS_OF)
    oo1, oo2, os1 = by_id(rollup, "OO1"), by_id(rollup, "OO2"), by_id(rollup, "OS1")
    assert (oo1.progress, oo1.progress_from, oo1.declared.source) == (30.0, "declared", "Rapport au Collège")
    assert (oo2.progress, oo2.progress_from, oo2.declared.value) == (60.0, "children", 90)  # computed wins; the declaration kept to compare
    assert (os1.progress, os1.progress_from, os1.declared_below) == (45.0, "children", 1)  # (30 + 60) / 2, saying one is declared
    assert rollup.declared == 1
    # before the day it was declared, it does not exist
    before = compute(loaded.plan, dt.date(2026, 6, 29))
    assert (by_id(before, "OO1").progress, by_id(before, "OO1").progress_from, by_id(before, "OO1").declared) == (None, "none", None)


def test_declared_progress_satisfies_ecomptes(tmp_path):
    plan = PST + 'transmission: {ecomptes: true}\ndefaults: {fte: 0}\n'
    plan = plan.replace("organisations: [{id: ville, name: Commune}]", 'organisations: [{id: ville, name: Commune, type: municipality, ins_code: "58001"}]')
    loaded = load(tmp_path, {"os.yaml": DECLARED}, plan=plan)
    assert [c for c in codes(loaded) if c[0] == "F707"] == []
    undeclared = load(tmp_path / "without", {"os.yaml": DECLARED.replace("    progress_declared: {value: 30, date: 2026-06-30, source: Rapport au Collège}\n", "")},
                      plan=plan)
    assert ("F707", "OO1") in codes(undeclared)


# --- strands (volets) ------------------------------------------------------------------------------------

VOLETS = """\
volets:
  - volet: internal
    description: Une administration moderne.
    political_owners: [echevin]
    admin_owner: agent
    service: cadre
    budget:
      - {amount: 15000, year: 2026, funder: Région wallonne}
  - volet: external
    progress_declared: {value: 10, date: 2026-01-15}
"""


def test_a_strand_carries_owners_budget_and_rolls_up_its_objectives(tmp_path):
    loaded = load(tmp_path, {"os.yaml": DECLARED}, plan=PST + VOLETS, rules="all")
    assert [c for c in codes(loaded) if c[0] in ("F301", "F302", "F304")] == []
    assert loaded.plan.origins["VOLET-INTERNE"] == ("plan.yaml", ("volets", 0))
    rollup = compute(loaded.plan, AS_OF)
    internal, external = rollup.volets
    assert (internal.ident, internal.progress, internal.progress_from, [t.objective.id for t in internal.objectives]) == ("VOLET-INTERNE", 45.0, "children", ["OS1"])
    assert internal.own_budget.planned == Decimal(15000) and internal.budget.by_funder == {"Région wallonne": Decimal(15000)}
    assert (external.ident, external.progress, external.progress_from, external.objectives) == ("VOLET-EXTERNE", 10.0, "declared", [])
    assert rollup.budget.planned == Decimal(15000)  # the strand's own line counts once in the plan's total


def test_strand_owners_are_checked_and_a_strand_given_twice_is_an_error(tmp_path):
    loaded = load(tmp_path, {"os.yaml": DECLARED}, plan=PST + VOLETS.replace("admin_owner: agent", "admin_owner: nobody") + "  - {volet: internal}\n")
    found = {(d.code, d.obj_id, d.path) for d in loaded.diagnostics}
    assert ("F302", "VOLET-INTERNE", ("volets", 0, "admin_owner")) in found
    assert ("F301", "VOLET-INTERNE", ("volets", 2, "volet")) in found
    assert [v.volet.value for v in loaded.plan.volets] == ["internal", "external"]


# --- what plans track ------------------------------------------------------------------------------------


def test_the_fields_plans_track_are_read_with_their_words(tmp_path):
    body = """
    id: O1
    title: O
    aims: Réduire les dépôts clandestins.
    means: Deux agents.
    participation: Comités de quartier.
    governance: [Comité de pilotage, Collège]
    lead_structure: Ville
    priority_level: high
    actions:
      - {id: A1, title: a, priority_level: low, last_reviewed: 2026-06-01}
    """
    loaded = load(tmp_path, {"o.yaml": body})
    assert codes(loaded) == []
    obj = loaded.plan.objective_index()["O1"]
    assert (obj.aims, obj.governance, obj.lead_structure, obj.priority_level.value) == ("Réduire les dépôts clandestins.", ["Comité de pilotage", "Collège"], "Ville", "high")
    from feuille.core.fields import of
    from feuille.core.model import Action

    words = of(Action)["priority_level"].words
    assert [words.parse(w) for w in ("Élevé", "Moyen", "Bas", "haute")] == ["high", "medium", "low", "high"]
    assert of(Action).find("Niveau de priorité") == "priority_level" and of(Action).find("Instances de gouvernance") == "governance"


# --- show, status, the publish filter -------------------------------------------------------------------


def _cli_plan(tmp_path: Path) -> Path:
    objective = DECLARED.replace("    progress_declared: {value: 90, date: 2026-06-30}\n", "") + """
budget:
  - {amount: 25000, year: 2026, type: expense, label: Campagne, funders: [{name: Région wallonne, amount: 20000}]}
"""
    objective = objective.replace("      - {id: A2, title: a, status: ongoing, progress: 60}\n", textwrap.indent(textwrap.dedent(CADASTRE).split("actions:\n", 1)[1], "    "))
    load(tmp_path, {"os.yaml": objective}, plan=PST + VOLETS, rules="none")
    return tmp_path


def test_show_an_action_with_its_sub_actions_and_a_sub_action(tmp_path):
    from _cli import feuille

    plan = _cli_plan(tmp_path)
    out = feuille("show", "A1", "--plan", str(plan), "--as-of", "2026-07-01", "--lang", "en").stdout
    assert "Progress: 75% (mean of its sub-actions; 2 of 3 known)" in out
    assert "Sub-actions" in out
    assert "A1.1      100%  done           Détermination des besoins humains  (implied by the status; A. Martin / P. Simon)" in out
    assert "A1.9         ?  unknown        Détermination des besoins en mobilier urbain  (unknown; – / –)" in out
    sub = feuille("show", "a1.2", "--plan", str(plan), "--as-of", "2026-07-01").stdout  # any case, as for actions
    assert "Sous-action A1.2 — Détermination des besoins matériels" in sub and "Fait partie de l'action : A1 — Etablir un cadastre des besoins" in sub
    assert "Avancement : 50\u202f% (avancement saisi)" in sub


def test_show_an_objective_with_its_own_budget_and_declared_progress(tmp_path):
    from _cli import feuille

    plan = _cli_plan(tmp_path)
    oo1 = feuille("show", "OO1", "--plan", str(plan), "--as-of", "2026-07-01", "--lang", "en").stdout
    assert "Progress: 30% (declared on 30 Jun 2026, Rapport au Collège) — nothing below it has a progress" in oo1
    top = feuille("show", "OS1", "--plan", str(plan), "--as-of", "2026-07-01", "--lang", "en").stdout
    assert "including 1 objective whose progress is declared" in top
    assert "Budget: €25,000 (€25,000 of its own, €0 from its actions and sub-objectives)" in top
    assert "Funding: Région wallonne €20,000" in top
    volet = feuille("show", "VOLET-INTERNE", "--plan", str(plan), "--as-of", "2026-07-01", "--lang", "en").stdout
    assert "Strand VOLET-INTERNE — Strand internal" in volet and "Owners (political / administrative): Anne Martin / Paul Simon" in volet
    assert "Budget: €40,000 (€15,000 of its own, €25,000 from its objectives)" in volet
    assert "Funding: Région wallonne €35,000" in volet
    external = feuille("show", "VOLET-EXTERNE", "--plan", str(plan), "--as-of", "2026-07-01").stdout
    assert "10\u202f% (déclaré le 15/01/2026) — rien en dessous n'a d'avancement" in external


def test_status_lists_late_sub_actions_and_the_funders(tmp_path):
    import json

    from _cli import feuille

    plan = _cli_plan(tmp_path)
    late = plan / "objectives" / "os.yaml"
    late.write_text(late.read_text(encoding="utf-8").replace("- id: A1.9\n", "- id: A1.9\n            planned_end: 2026-05-31\n"), encoding="utf-8")
    out = feuille("status", str(plan), "--as-of", "2026-07-01", "--lang", "en").stdout
    assert "Funding: Région wallonne €35,000" in out
    assert "Late (1)\n  A1.9     Détermination des besoins en mobilier urbain\n           due 31 May 2026, 31 d late · sub-action of A1 · – / –" in out
    assert "including 1 objective whose progress is declared" in out
    doc = json.loads(feuille("status", str(plan), "--as-of", "2026-07-01", "--format", "json").stdout)["plans"][0]
    assert doc["late_sub_actions"] == ["A1.9"] and doc["budget"]["by_funder"] == {"Région wallonne": 35000.0}
    assert [s["id"] for s in doc["actions"][0]["sub_actions"]] == ["A1.1", "A1.2", "A1.9"]
    assert doc["volets"][0]["id"] == "VOLET-INTERNE" and doc["volets"][1]["progress_from"] == "declared"


def test_a_withheld_sub_action_and_the_funder_only_it_names_are_not_published(tmp_path):
    from feuille.compute.audience import publish
    from feuille.core.model import Audience

    body = CADASTRE.replace("        status: ongoing\n        progress: 50\n",
                            "        status: ongoing\n        progress: 50\n        visibility: internal\n")
    body += "    budget:\n      - {amount: 1000, year: 2026, visibility: internal, funder: Fondation X}\n      - {amount: 500, year: 2026, funder: Région}\n"
    loaded = load(tmp_path, {"o.yaml": body}, rules="none")
    shown = publish(loaded.plan, Audience.public, AS_OF)
    a = shown.plan.action_index()["A1"][0]
    assert [s.id for s in a.sub_actions] == ["A1.1", "A1.9"]
    r = next(r for r in shown.rollup.actions if r.action.id == "A1")
    assert [s.sub.id for s in r.subs] == ["A1.1", "A1.9"] and r.progress == 75.0  # the figures stay those of the whole plan
    assert shown.withheld.items["SubAction"] == 1
    assert shown.rollup.budget.by_funder == {"non publié": Decimal(1000), "Région": Decimal(500)}


# --- eComptes: strands, objectives' own budget, uneven depth, sub-actions ---------------------------------

ECOMPTES_PLAN = PST.replace("organisations: [{id: ville, name: Commune}]",
                            'organisations: [{id: ville, name: Commune, type: municipality, ins_code: "58001"}]') + """\
settings: {actions_at: any}
transmission: {ecomptes: true, year: 2026}
defaults: {fte: 0}
volets:
  - volet: external
    description: La ville et ses quartiers.
    political_owners: [echevin]
    admin_owner: agent
    service: cadre
    budget:
      - {amount: 15000, year: 2026, type: revenue, service: ordinary, article: 104/465-01, label: Subside, funder: Région wallonne}
"""
ECOMPTES_PEOPLE = PEOPLE.replace("role: alderman}", "role: alderman, civility: mrs}").replace("role: officer}", "role: officer, civility: mr}")
ECOMPTES_AXIS = """
id: AXE1
title: Axe 1
volet: external
budget:
  - {amount: 25000, year: 2026, type: expense, service: ordinary, article: 875/124-02, label: Campagne de propreté}
actions:
  - id: F1
    title: Etablir un cadastre des besoins
    status: ongoing
    sub_actions:
      - {title: Détermination des besoins humains, status: done}
      - {title: Détermination des besoins matériels, status: ongoing, progress: 50}
objectives:
  - id: AXE1.1
    title: Sous-axe 1.1
    actions:
      - {id: F2, title: Fiche sous le sous-axe, status: ongoing, progress: 80}
"""


def _ecomptes_plan(tmp_path: Path) -> Path:
    load(tmp_path, {"axe.yaml": ECOMPTES_AXIS}, plan=ECOMPTES_PLAN)
    (tmp_path / "people.yaml").write_text(ECOMPTES_PEOPLE, encoding="utf-8")
    return tmp_path


def test_ecomptes_sends_strands_and_objectives_with_their_owners_and_budget_and_actions_at_any_depth(tmp_path):
    from xml.etree import ElementTree as ET

    from _cli import feuille

    plan = _ecomptes_plan(tmp_path / "plan")
    assert feuille("lint", plan, "--as-of", AS_OF.isoformat()).returncode == 0
    result = feuille("export", plan, "--format", "ecomptes", "-o", tmp_path / "pst.xml", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    root = ET.parse(tmp_path / "pst.xml").getroot()
    [volet] = root.iter("Volet")
    assert (volet.get("ElementId"), volet.findtext("Libelle"), volet.findtext("Description/Valeur")) == ("VOLET-EXTERNE", "Volet externe", "La ville et ses quartiers.")
    assert (volet.findtext("Mandataire/Nom"), volet.findtext("Responsable/Nom"), volet.findtext("Departement")) == ("Martin", "Simon", "Cadre de vie")
    assert [(a.findtext("CodeArticle"), a.findtext("Type"), a.findtext("Montant")) for a in volet.findall("Articles/Article")] == [("104/465-01", "R", "15000")]
    [axis] = volet.iter("ObjectifStrategique")
    assert [(a.findtext("CodeArticle"), a.findtext("Montant")) for a in axis.findall("Articles/Article")] == [("875/124-02", "25000")]
    # the axis repeated as its own operational objective carries the fiche under it (and not its budget again), then the sub-axis
    own, sub_axis = axis.findall("ObjectifsOperationnels/ObjectifOperationnel")
    assert (own.get("ElementId"), [a.get("ElementId") for a in own.iter("Action")], own.findall("Articles/Article")) == ("AXE1", ["F1"], [])
    assert (sub_axis.get("ElementId"), [a.get("ElementId") for a in sub_axis.iter("Action")]) == ("AXE1.1", ["F2"])
    # the fiche's progress is its sub-actions' mean: (100 + 50) / 2
    assert next(a for a in root.iter("Action") if a.get("ElementId") == "F1").findtext("TauxAvancement") == "75"
    # and back: the strand, the axis' own budget and the actions on the axis come back as they were
    back = tmp_path / "back"
    imported = feuille("import", tmp_path / "pst.xml", back)
    assert imported.returncode == 0, imported.stderr
    assert feuille("lint", back, "--as-of", AS_OF.isoformat()).returncode == 0
    again = load_path(back, AS_OF, options=LoadOptions(use_cache=False))
    [strand] = again.plan.meta.volets
    assert (strand.volet.value, strand.description, strand.budget[0].amount, strand.id, strand.title) == ("external", "La ville et ses quartiers.", Decimal(15000), None, None)
    axis_back = again.plan.objective_index()["AXE1"]
    assert ([a.id for a in axis_back.actions], axis_back.budget[0].article, again.plan.meta.settings.actions_at) == (["F1"], "875/124-02", "any")
    assert feuille("export", back, "--format", "ecomptes", "-o", tmp_path / "again.xml", "--as-of", AS_OF.isoformat()).returncode == 0
    assert (tmp_path / "again.xml").read_bytes() == (tmp_path / "pst.xml").read_bytes()


# --- the sheet: one row per sub-action, under its action, both ways ----------------------------------------


def test_the_sheet_has_a_row_per_sub_action_and_reads_its_changes_back_into_the_action_file(tmp_path):
    import openpyxl

    from _cli import feuille
    from feuille.app.imports import returned_sheet
    from feuille.app.write import commit
    from feuille.formats.spreadsheet.build import build_plan, write_new_plan
    from feuille.formats.spreadsheet.read import read_sheet

    plan = tmp_path / "plan"
    load(plan, {"o.yaml": CADASTRE})
    xlsx = tmp_path / "plan.xlsx"
    assert feuille("export", plan, "--format", "xlsx", "-o", xlsx, "--as-of", AS_OF.isoformat()).returncode == 0
    ws = openpyxl.load_workbook(xlsx)["Action"]
    head = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    col = {h: head.index(h) for h in ("Identifiant", "Sous-action de", "Action", "Statut", "Avancement calculé (%)", "Responsable administratif")}
    assert [(r[col["Identifiant"]], r[col["Sous-action de"]]) for r in rows] == [("A1", None), ("A1.1", "A1"), ("A1.2", "A1"), ("A1.9", "A1")]
    assert rows[1][col["Statut"]] == "Terminé" and rows[1][col["Responsable administratif"]] == "Paul Simon"
    assert [r[col["Avancement calculé (%)"]] for r in rows] == [75, 100, 50, None]  # (100 + 50) / 2; A1.9: ongoing, nothing entered
    assert [r[head.index("Santé")] for r in rows] == ["Bon", None, None, None]  # what a sub-action has not stays empty
    # a sub-action's cells changed in the sheet: written inside its action, in the action's file
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Action"]
    ws.cell(4, col["Statut"] + 1).value = "Terminé"  # A1.2
    ws.cell(4, head.index("Avancement saisi (%)") + 1).value = 100
    wb.save(xlsx)
    sheet, problems = read_sheet(xlsx)
    result = returned_sheet(load_path(plan, AS_OF, options=LoadOptions(use_cache=False)), sheet, problems, day=AS_OF)
    assert [(c.action_id, c.key, c.new) for c in result.update.changes] == [("A1.2", "status", "done"), ("A1.2", "progress", 100)]
    assert not result.refused and not result.update.by_hand and not result.update.deleted and not result.update.new_actions
    said = " ".join(s.text("fr") for s in result.write.said)
    assert said == "A1 : A1.2 : statut en cours → terminée, A1.2 : avancement 50 % → 100 %", said
    diff = [line for line in result.write.diff().splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == ["-    last_reviewed: 2026-06-01", "+    last_reviewed: 2026-07-01", "-        status: ongoing", "-        progress: 50",
                    "+        status: done", "+        progress: 100"], diff
    commit(result.write)
    a1 = load_path(plan, AS_OF, options=LoadOptions(use_cache=False)).plan.action_index()["A1"][0]
    assert [(s.id, s.status.value, s.progress) for s in a1.sub_actions] == [("A1.1", "done", None), ("A1.2", "done", 100), ("A1.9", "ongoing", None)]
    # a sheet into a new plan: the sub-actions' rows come back under their action
    sheet, problems = read_sheet(xlsx)
    write_new_plan(tmp_path / "new", build_plan(sheet, problems, "Plan importé", AS_OF))
    back = load_path(tmp_path / "new", AS_OF, options=LoadOptions(use_cache=False))
    [a] = [a for a, _o in back.plan.actions()]
    assert [(s.id, s.title, s.status.value) for s in a.sub_actions] == [
        ("A1.1", "Détermination des besoins humains", "done"), ("A1.2", "Détermination des besoins matériels", "done"),
        ("A1.9", "Détermination des besoins en mobilier urbain", "ongoing")]
    assert [s.id for s in a.sub_actions if not s.derived_id] == ["A1.9"] and a.sub_actions[0].admin_owner is not None


def test_a_new_sub_action_row_is_said_not_created_and_a_row_naming_no_action_above_is_an_action(tmp_path):
    from _cli import feuille
    from feuille.app.imports import returned_sheet
    from feuille.formats.spreadsheet.build import build_plan
    from feuille.formats.spreadsheet.read import read_sheet

    plan = tmp_path / "plan"
    load(plan, {"o.yaml": CADASTRE})
    csv = tmp_path / "plan.csv"
    assert feuille("export", plan, "--format", "csv", "-o", csv, "--as-of", AS_OF.isoformat()).returncode == 0
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(";")
    new = [""] * len(head)
    new[head.index("Objectif prioritaire (n°)")], new[head.index("Action")], new[head.index("Sous-action de")] = "O1", "Détermination des besoins en cendriers", "A1"
    csv.write_text("\ufeff" + "\n".join([*lines, ";".join(new)]) + "\n", encoding="utf-8")
    sheet, problems = read_sheet(csv)
    loaded = load_path(plan, AS_OF, options=LoadOptions(use_cache=False))
    result = returned_sheet(loaded, sheet, problems, day=AS_OF)
    assert not result.update.changes and not result.update.new_actions
    assert [m("en") for m in result.update.by_hand] == [
        "row 6: a new sub-action of A1, 'Détermination des besoins en cendriers': a sheet does not create sub-actions; add it in the action's file "
        f"({loaded.plan.display_path('objectives/o.yaml')}, under 'sub_actions'), then export again."]
    # into a new plan, without the action's row above it: taken as an action, and said
    orphan = [lines[0], lines[2]]  # the header, A1.1's row
    csv.write_text("\ufeff" + "\n".join(orphan) + "\n", encoding="utf-8")
    sheet, problems = read_sheet(csv)
    build_plan(sheet, problems, "Plan importé", AS_OF)
    said = [(p.text, p.msg("en")) for p in problems if p.header == "Sous-action de"]
    assert said == [("A1", "names an action that no row above gives: the row is taken as an action.")]


def test_diff_says_each_sub_action_change_under_its_id_and_a_declared_progress_by_its_value(tmp_path):
    from feuille.compute.diff import diff

    before = load(tmp_path / "before", {"o.yaml": CADASTRE, "os.yaml": DECLARED}, plan=PST, rules="none").plan
    changed = CADASTRE.replace("        progress: 50\n", "        progress: 80\n").replace("      - id: A1.9\n", "      - title: Nouvelle\n      - id: A1.9\n")
    declared = DECLARED.replace("{value: 30, date: 2026-06-30", "{value: 35, date: 2026-06-30")
    after = load(tmp_path / "after", {"o.yaml": changed, "os.yaml": declared}, plan=PST, rules="none").plan
    found = [(c.kind, c.item, c.field, c.old, c.new, c.delta) for c in diff(before, after).changes]
    assert ("progress", "A1.2", "progress", 50, 80, 30) in found
    assert ("added", "A1.3", None, None, None, None) in found  # the new one takes the third place: A1.3
    assert ("progress", "OO1", "progress_declared", 30, 35, 5) in found
    assert not [c for c in found if c[2] == "sub_actions"]  # never the whole list as one field


def test_the_site_and_its_markdown_show_an_actions_sub_actions(tmp_path):
    from _cli import feuille

    plan = Path(__file__).parent.parent / "plans" / "la-louviere"
    for fmt, name in (("html", "A1.1.html"), ("md", "A1.1.md")):
        out = tmp_path / fmt
        assert feuille("render", plan, "--out", out, "--format", fmt, "--as-of", "2026-11-22").returncode == 0
        page = (out / "actions" / name).read_text(encoding="utf-8")
        assert "Sous-actions" in page and "Sous-action" in page
        for ident, title, verdict in (("A1.1.1", "Recensement des bulles à verre et de leurs abords", "terminé"),
                                      ("A1.1.3", "Pesage des déchets par zone de ramassage", "à la traîne")):
            row = page[page.index(f"{ident} {title}"):]
            row = row[: row.index("</tr>")] if fmt == "html" else row[: row.index("\n")]
            assert verdict in row and ("P. Frasca" in row) == (ident == "A1.1.3"), row
