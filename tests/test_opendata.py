"""``feuille export --format opendata``: a Frictionless data package and a JSON document, validated for real.

Both example plans are exported and validated with the ``frictionless`` library (types, keys,
foreign keys) and the JSON document with its JSON Schema (``jsonschema``, which frictionless
brings); what the public may not see never reaches the files; refusals say why and write nothing.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from _cli import feuille

_CSV_LIMIT = csv.field_size_limit()
frictionless = pytest.importorskip("frictionless")
csv.field_size_limit(_CSV_LIMIT)  # importing frictionless raises the csv module's limit for the whole process: put it back
jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
AS_OF = "2026-07-01"


def _export(plan: Path, out: Path, *more: str):
    return feuille("export", str(plan), "--format", "opendata", "-o", str(out), "--as-of", AS_OF, *more)


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name in ("la-louviere", "plan-strategique"):
        target = tmp_path_factory.mktemp("opendata") / name
        run = _export(PLANS / name, target)
        assert run.returncode == 0, run.stderr
        out[name] = target
    return out


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_the_package_of_each_example_plan_is_valid_for_frictionless(packages, name):
    report = frictionless.validate(str(packages[name] / "datapackage.json"))
    errors = [(t.name, e.type, e.message) for t in report.tasks for e in t.errors]
    assert report.valid, errors
    assert sorted(t.name for t in report.tasks) == sorted(["plan", "organisations", "services", "people", "volets", "objectives", "actions", "sub-actions", "indicators",
                                                          "measurements", "funders", "budget-lines"])


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_the_json_document_follows_its_json_schema_and_holds_the_same_rows(packages, name):
    out = packages[name]
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    for table in ("objectives", "actions", "indicators", "budget_lines", "people"):
        assert [r["id"] for r in doc[table]] == [r["id"] for r in _rows(out, table)]
    assert doc["plan"]["licence"] == "CC-BY-4.0"


def test_la_louviere_figures_and_ids(packages):
    out = packages["la-louviere"]
    [plan] = _rows(out, "plan")
    assert (plan["licence"], plan["as_of"], plan["actions_counted"], plan["budget_planned"]) == ("CC-BY-4.0", AS_OF, "26", "4687000")
    assert plan["revision"].startswith("sha256:")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert package["feuille"]["audience"] == "public" and package["feuille"]["as_of"] == AS_OF
    orgs = {r["id"]: r for r in _rows(out, "organisations")}
    assert orgs["ville"]["ins_code"] == "58001" and orgs["cpas"]["type"] == "cpas"
    actions = {r["id"]: r for r in _rows(out, "actions")}
    assert len(actions) == 26 and actions["A1.1"]["objective_id"] == "O1" and actions["A1.1"]["political_owner_ids"] == "asabbatini"
    lines = _rows(out, "budget_lines")
    assert sum(float(r["amount"]) for r in lines) == 4687000 and [r["id"] for r in lines[:2]] == ["O1.b1", "A1.1.b1"]  # O1's own, then its actions'
    funders = {r["id"] for r in _rows(out, "funders")}
    assert {r["funder_id"] for r in lines if r["funder_id"]} <= funders and "fonds-propres" in funders
    [volet] = _rows(out, "volets")  # plan.yaml describes its internal strand
    assert (volet["id"], volet["volet"], volet["political_owner_ids"], volet["admin_owner_id"], volet["service_id"]) == (
        "VOLET-INTERNE", "internal", "mdupont", "cleroy", "direction")
    people = {r["id"] for r in _rows(out, "people")}
    assert {"mdupont", "cleroy"} <= people
    indicators = {r["id"]: r for r in _rows(out, "indicators")}  # the plan's own macro-indicators, then objectives' and actions'
    plan_level = indicators["plan.i1"]
    assert (plan_level["label"], plan_level["objective_id"], plan_level["action_id"], plan_level["last_value"], plan_level["last_date"]) == (
        "Part des démarches administratives accessibles en ligne", "", "", "31", "2026-06-30")
    assert [r["value"] for r in _rows(out, "measurements") if r["indicator_id"] == "plan.i1"] == ["19", "22", "25", "29", "31"]
    assert indicators["O1.i1"]["objective_id"] == "O1" and indicators["O1.i1"]["action_id"] == ""


def test_the_plan_of_the_administration_is_for_the_council_so_its_public_package_names_nothing(packages):
    out = packages["plan-strategique"]  # visibility: council: the public sees no objective, action nor person
    assert _rows(out, "objectives") == [] and _rows(out, "actions") == [] and _rows(out, "people") == []
    [plan] = _rows(out, "plan")
    assert plan["description"] == ""  # the plan's own fields follow its visibility too


def test_no_contact_details_nor_withheld_item_reach_the_files(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(PLANS / "la-louviere", plan)
    people = plan / "people.yaml"
    text = people.read_text(encoding="utf-8")
    text = text.replace("    last_name: Sabbatini\n", "    last_name: Sabbatini\n    email: a.sabbatini@example.org\n    phone: \"064 27 78 11\"\n"
                        "    visibility: {email: public, phone: public}\n", 1)
    people.write_text(text, encoding="utf-8")
    a15 = plan / "objectives" / "01-cadre-de-vie" / "A1.5-nettoyage-proximite.yaml"
    a15.write_text(a15.read_text(encoding="utf-8") + "visibility: council\n", encoding="utf-8")
    run = _export(plan, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    everything = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert "a.sabbatini@example.org" not in everything and "064 27 78 11" not in everything  # a role, never a contact
    assert "A1.5" not in everything and "Sabbatini" in everything
    assert frictionless.validate(str(tmp_path / "out" / "datapackage.json")).valid


SUB_ACTIONS = """sub_actions:
  - id: A1.4.1
    title: Inventaire des poubelles existantes
    political_owners: [asabbatini]
    admin_owner: bwiaux
    planned_end: 2025-06-30
    actual_end: 2025-05-15
    status: done
    progress: 100
    achieved: 412 poubelles recensées.
  - id: A1.4.2
    title: Négociation avec le fournisseur
    status: ongoing
    visibility: council
"""


def test_sub_actions_are_a_table_of_their_own_and_a_withheld_one_is_absent(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(PLANS / "la-louviere", plan)
    a14 = plan / "objectives" / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"
    a14.write_text(a14.read_text(encoding="utf-8") + SUB_ACTIONS, encoding="utf-8")
    run = _export(plan, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, [(t.name, e.message) for t in report.tasks for e in t.errors]
    assert [r["id"] for r in _rows(out, "sub_actions") if r["action_id"] == "A1.1"] == ["A1.1.1", "A1.1.2", "A1.1.3"]  # ids from their place
    [sub] = [r for r in _rows(out, "sub_actions") if r["action_id"] == "A1.4"]
    assert (sub["id"], sub["action_id"], sub["status"], sub["progress"], sub["actual_end"], sub["political_owner_ids"], sub["admin_owner_id"]) == (
        "A1.4.1", "A1.4", "done", "100", "2025-05-15", "asabbatini", "bwiaux")
    everything = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert "A1.4.2" not in everything and "fournisseur" not in everything
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in doc["sub_actions"]] == [r["id"] for r in _rows(out, "sub_actions")] and "A1.4.2" not in str(doc)


def test_budget_lines_of_an_objective_and_a_strand_are_there_with_their_organisation(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(PLANS / "la-louviere", plan)
    meta = plan / "plan.yaml"  # O1 has a line of its own already; the internal strand gets one
    meta.write_text(meta.read_text(encoding="utf-8").replace("  - volet: internal\n", "  - volet: internal\n    budget:\n      - {amount: 3000, year: 2026, "
                    "source: fonds propres, service: ordinary, article: 104/123-48, type: expense, label: Formation}\n", 1), encoding="utf-8")
    run = _export(plan, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, [(t.name, e.message) for t in report.tasks for e in t.errors]
    lines = {r["id"]: r for r in _rows(out, "budget_lines")}
    strand, own = lines["VOLET-INTERNE.b1"], lines["O1.b1"]
    assert (strand["volet_id"], strand["objective_id"], strand["action_id"], strand["organisation_id"], strand["amount"]) == (
        "VOLET-INTERNE", "", "", "ville", "3000")
    assert (own["objective_id"], own["action_id"], own["organisation_id"], own["amount"], own["funder_id"]) == ("O1", "", "ville", "10000", "fonds-propres")
    assert lines["A1.1.b1"]["action_id"] == "A1.1" and lines["A1.1.b1"]["organisation_id"] == "ville"
    status = json.loads(feuille("status", str(plan), "--format", "json", "--as-of", AS_OF).stdout)["plans"][0]
    [row] = _rows(out, "plan")
    assert sum(float(r["amount"]) for r in lines.values()) == status["budget"]["planned"] == float(row["budget_planned"]) == 4687000 + 3000


def test_the_same_plan_gives_the_same_bytes(tmp_path, packages):
    run = _export(PLANS / "la-louviere", tmp_path / "again")
    assert run.returncode == 0
    for path in sorted(packages["la-louviere"].iterdir()):
        if not path.name.startswith("."):
            assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def _plan_with(tmp_path: Path, licence_line: str | None) -> Path:
    plan = tmp_path / "plan"
    shutil.copytree(PLANS / "la-louviere", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("licence:")]
    if licence_line:
        lines.append(licence_line)
    (plan / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return plan


def test_refused_without_a_licence_and_nothing_is_written(tmp_path):
    run = _export(_plan_with(tmp_path, None), tmp_path / "out")
    assert run.returncode == 1
    assert ("la licence de réutilisation de ses données n'est pas donnée : ajoutez « licence: » à plan.yaml (par exemple "
            "« licence: etalab-2.0 » pour la Licence Ouverte 2.0, ou « licence: CC-BY-4.0 »). Rien n'a été écrit.") in run.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_licence_is_refused_with_the_known_ones(tmp_path):
    run = _export(_plan_with(tmp_path, "licence: WTFPL"), tmp_path / "out", "--lang", "en")
    assert run.returncode == 1
    assert "the licence 'WTFPL' of plan.yaml is not one feuille knows: write one of etalab-2.0, CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODbL-1.0." in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_licence_is_recognised_as_people_write_it(tmp_path):
    run = _export(_plan_with(tmp_path, "licence: Licence Ouverte 2.0"), tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))["licenses"][0]["name"] == "etalab-2.0"


def test_only_the_public_audience(tmp_path):
    run = _export(PLANS / "la-louviere", tmp_path / "out", "--audience", "council")
    assert run.returncode == 2
    assert "le format opendata publie pour tout le monde : seulement --audience public." in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_is_needed(tmp_path):
    run = feuille("export", str(PLANS / "la-louviere"), "--format", "opendata")
    assert run.returncode == 2
    assert "le format opendata écrit plusieurs fichiers dans un dossier : donnez-le avec -o." in run.stderr
