"""``feuille export --format projets-te``: the French national schema of transition projects, validated for real.

Each CSV is validated with ``frictionless`` against the vendored national schema (unchanged, with
its licence and version), and the package as written; frictionless does not check foreign keys
on array columns (the national package declares them at the resource level, which it ignores), so
the references of ``collectiviteIds``, ``competences`` and ``leviers`` are checked here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from _cli import feuille
from feuille.checks import referentials
from feuille.core.model import Health, Status
from feuille.formats.projets_te import NAMESPACE, SCHEMA_DIR, phase, phase_status

_CSV_LIMIT = csv.field_size_limit()
frictionless = pytest.importorskip("frictionless")
csv.field_size_limit(_CSV_LIMIT)  # importing frictionless raises the csv module's limit for the whole process: put it back

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
AS_OF = "2026-07-01"


def _export(plan: Path, out: Path, *more: str):
    return feuille("export", str(plan), "--format", "projets-te", "-o", str(out), "--as-of", AS_OF, *more)


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _check(out: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Valid against the vendored schemas, and every reference points to something."""
    for table, folder in (("projets.csv", "projets-territoire"), ("collectivites.csv", "collectivites")):
        schema = frictionless.Schema.from_descriptor(json.loads((SCHEMA_DIR / folder / "schema.json").read_text(encoding="utf-8")))
        report = frictionless.Resource(path=table, basepath=str(out), schema=schema).validate()
        assert report.valid, [(e.type, e.message) for t in report.tasks for e in t.errors]
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, [(e.type, e.message) for t in report.tasks for e in t.errors]
    projects, collectivites = _rows(out / "projets.csv"), _rows(out / "collectivites.csv")
    ids = {c["id"] for c in collectivites}
    for p in projects:
        assert set(json.loads(p["collectiviteIds"] or "[]")) <= ids, p
        assert set(json.loads(p["competences"] or "[]")) <= set(referentials.competences()), p
        assert set(json.loads(p["leviers"] or "[]")) <= set(referentials.leviers()), p
    assert len({p["id"] for p in projects}) == len(projects)
    return projects, collectivites


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_each_example_plan_is_valid_against_the_national_schema(tmp_path, name):
    run = _export(PLANS / name, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    projects, _collectivites = _check(tmp_path / "out")
    assert len(projects) == (26 if name == "la-louviere" else 0)  # the administration's plan is for the council: nothing public


def test_what_cannot_be_filled_is_reported_not_invented(tmp_path):
    run = _export(PLANS / "la-louviere", tmp_path / "out")
    assert "porteurCodeSiret laissé vide dans 26 projets : leur organisation n'a pas de numéro SIRET (siret) dans plan.yaml." in run.stderr
    assert "competences laissé vide dans 26 projets : aucun tag m57:CODE (référentiel M57)." in run.stderr
    assert "collectiviteIds laissé vide dans 2 projets" in run.stderr  # the CPAS is not a collectivité of the schema
    projects = _rows(tmp_path / "out" / "projets.csv")
    assert {p["porteurCodeSiret"] for p in projects} == {""} and {p["porteurReferentEmail"] for p in projects} == {""}


def _git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_DATE="2025-03-01T10:00:00+01:00", GIT_COMMITTER_DATE="2025-03-01T10:00:00+01:00")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                   check=True, capture_output=True, env=env)


@pytest.fixture
def french(tmp_path) -> Path:
    """La Louvière's plan as a French town's: INSEE code, SIREN, SIRET, referential tags, a referent with a public e-mail; in git."""
    plan = tmp_path / "repo" / "plans" / "ville"
    shutil.copytree(PLANS / "la-louviere", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    text = text.replace('    ins_code: "58001"             # code INS depuis 2019 (arrondissement de La Louvière ; 55022 avant)\n',
                        '    insee_code: "69266"\n    siren: "216902668"\n    siret: "21690266800013"\n', 1)
    text = text.replace("transmission:\n  ecomptes: true", "transmission:\n  ecomptes: false\n  projets_te: {programme: CRTE}")
    (plan / "plan.yaml").write_text(text.replace("locale: fr-BE", "locale: fr-FR"), encoding="utf-8")
    a11 = plan / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml"
    a11.write_text(a11.read_text(encoding="utf-8").replace("tags: [cadastre des besoins, propreté]",
                                                          "tags: [cadastre des besoins, propreté, m57:90-721, sgpe:velo, tet:4242]"), encoding="utf-8")
    people = plan / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "{id: bwiaux, civility: mr, first_name: B., last_name: Wiaux, role: director, service: cadre-vie, organisation: ville}",
        "{id: bwiaux, civility: mr, first_name: B., last_name: Wiaux, role: director, service: cadre-vie, organisation: ville, "
        "email: b.wiaux@ville.example, visibility: {email: public}}"), encoding="utf-8")
    _git(plan.parent.parent, "init", "-q")
    _git(plan.parent.parent, "add", "-A")
    _git(plan.parent.parent, "commit", "-qm", "Plan")
    return plan


def test_a_french_plan_fills_the_schema(french, tmp_path):
    lint = feuille("lint", str(french))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    run = _export(french, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    projects, collectivites = _check(tmp_path / "out")
    [ville] = [c for c in collectivites if c["nom"] == "Ville de La Louvière"]
    assert (ville["type"], ville["codeInsee"], ville["siren"]) == ("Commune", "69266", "216902668")
    a11 = next(p for p in projects if p["nom"].startswith("Cadastre des besoins : détermination des lieux"))
    assert a11["id"] == str(uuid.uuid5(NAMESPACE, "siren:216902668/A1.1"))  # stable: the organisation's SIREN and the action's id
    assert (a11["porteurCodeSiret"], a11["programme"], a11["budgetPrevisionnel"]) == ("21690266800013", "CRTE", "27000")
    assert (a11["phase"], a11["phaseStatut"], a11["dateDebutPrevisionnelle"]) == ("Opération", "En cours", "2025-01-06")
    assert json.loads(a11["competences"]) == ["90-721"] and json.loads(a11["leviers"]) == ["Vélo"] and a11["tetId"] == "4242"
    assert (a11["porteurReferentEmail"], a11["porteurReferentNom"], a11["porteurReferentFonction"]) == ("b.wiaux@ville.example", "Wiaux", "Directeur")
    assert a11["createdAt"] == a11["updatedAt"] == "2025-03-01T10:00:00+01:00"  # the commit of its file, as git dates it
    assert json.loads(a11["collectiviteIds"]) == [ville["id"]]
    a12 = next(p for p in projects if p["nom"] == "Cadastre des besoins : détermination des besoins humains")
    assert a12["porteurReferentEmail"] == "" and a12["phaseStatut"] == "Terminé"  # P. Frasca's contact is not public


def test_one_project_per_objective(french, tmp_path):
    text = (french / "plan.yaml").read_text(encoding="utf-8").replace("projets_te: {programme: CRTE}", "projets_te: {per: objective}")
    (french / "plan.yaml").write_text(text, encoding="utf-8")
    run = _export(french, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    projects, _ = _check(tmp_path / "out")
    assert len(projects) == 10 and "10 projets (un par objectif)" in run.stderr


def test_outside_git_the_dates_are_said_to_be_the_files(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(PLANS / "la-louviere", plan)
    run = _export(plan, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert ("createdAt et updatedAt de 26 projets sont la date de la dernière modification de leur fichier : le plan n'est pas dans git "
            "(ou le fichier n'est pas enregistré).") in run.stderr
    _check(tmp_path / "out")


@pytest.mark.parametrize(("status", "health", "verdict", "expected"), [
    (Status.not_started, Health.good, "not_started", ("Idée", None)),
    (Status.not_started, Health.good, "behind", ("Idée", "En retard")),  # its start is past due
    (Status.ongoing, Health.good, "on_track", ("Opération", "En cours")),
    (Status.ongoing, Health.good, "behind", ("Opération", "En cours")),
    (Status.ongoing, Health.good, "late", ("Opération", "En retard")),
    (Status.ongoing, Health.at_risk, "on_track", ("Opération", "En cours")),
    (Status.ongoing, Health.blocked, "late", ("Opération", "Bloqué")),
    (Status.ongoing, Health.paused, "on_track", ("Opération", "En pause")),
    (Status.on_hold, Health.good, "late", ("Opération", "En pause")),
    (Status.done, Health.good, "done", ("Opération", "Terminé")),
    (Status.cancelled, Health.good, "cancelled", ("Idée", "Abandonné")),
])
def test_phase_and_phase_status_follow_the_documented_table(status, health, verdict, expected):
    assert (phase(status, False, []), phase_status(status, health, verdict)) == expected


def test_a_tag_says_the_study_phase():
    assert phase(Status.ongoing, True, ["phase:étude"]) == "Étude"


def test_the_vendored_schema_keeps_its_licence_and_version():
    version = (SCHEMA_DIR / "VERSION").read_text(encoding="utf-8")
    schema = json.loads((SCHEMA_DIR / "projets-territoire" / "schema.json").read_text(encoding="utf-8"))
    assert f"version: {schema['version']}" in version and "LICENCE OUVERTE 2.0" in (SCHEMA_DIR / "LICENSE.md").read_text(encoding="utf-8")
    assert len(referentials.competences()) == 156 and len(referentials.leviers()) == 50


def test_only_the_public_audience(tmp_path):
    run = _export(PLANS / "la-louviere", tmp_path / "out", "--audience", "internal")
    assert run.returncode == 2 and not (tmp_path / "out").exists()
