"""The field registry (core/fields.py): what each field of the model declares, read by the writer, the prompts, the
messages, ``show``, the site, the diff and the spreadsheet."""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path

import pytest

from feuille.core import fields as f
from feuille.core import model as m
from feuille.core import registry

ROOT = Path(__file__).resolve().parent.parent


def test_the_order_in_files_is_the_documented_one():
    # what docs/format.md shows and the plans are written in: an absent field is inserted after the closest one before it
    assert f.of(m.Action).order == (
        "id", "title", "description", "aims", "means", "participation", "governance", "lead_structure", "priority_level",
        "political_owners", "admin_owner", "involved", "partners", "service", "planned_start", "planned_end",
        "reschedules", "actual_start", "actual_end", "status", "progress", "achieved", "remaining", "health", "health_note", "budget",
        "indicators", "sub_actions", "serves", "stake", "urgency", "roi", "priority", "gain", "gain_score", "weight", "volet", "sdgs", "territories",
        "tags", "last_reviewed", "linked_indicators", "notes", "visibility", "organisation", "fte", "plans")
    # an objective's own budget and declared progress come before its objectives and actions
    order = f.of(m.Objective).order
    assert order[order.index("objectives") - 2:order.index("objectives") + 1] == ("budget", "progress_declared", "objectives")
    assert f.of(m.Objective).order[:9] == ("id", "title", "description", "aims", "means", "participation", "governance", "lead_structure", "priority_level")
    # the other models are written in their declared order
    assert f.of(m.SubAction).order == tuple(m.SubAction.model_fields)
    assert f.of(m.BudgetLine).order == tuple(m.BudgetLine.model_fields)
    assert sorted(f.of(m.Action).order) == sorted(m.Action.model_fields)


def test_after_moves_a_block_and_never_a_parent_field():
    from pydantic import BaseModel, Field

    class Base(BaseModel):
        a: int = 0
        b: int = 0
        c: int = 0

    class Child(Base):
        x: int = Field(0, json_schema_extra=f.Meta(after="a"))
        y: int = 0  # goes with x
        z: int = Field(0, json_schema_extra=f.Meta(after="missing"))  # an anchor the model lacks: at the end

    assert f.of(Child).order == ("a", "x", "y", "b", "c", "z")


@pytest.mark.parametrize("model", [m.Action, m.Objective])
def test_every_item_field_has_a_translated_label_and_a_place(model):
    from feuille.core.i18n import _catalogue

    french = _catalogue("fr")
    for field in f.of(model):
        assert field.meta.label, f"{model.__name__}.{field.name}: no label"
        assert field.label("fr") != field.label("en") or field.label("fr") in ("description", "service", "notes", "tags", "gain", "volet",
                                                                                  "organisation", "actions"), field.name
        assert field.meta.show in (None, *f.SHOW_SECTIONS), field.name
        for key in (field.meta.help, field.meta.label, field.meta.heading, field.meta.diff):
            assert key is None or french.get(key), f"{field.name}: '{key}' is not in the French catalogue"


def test_the_json_schema_description_is_the_help_in_both_languages():
    schema = m.Action.model_json_schema()
    assert schema["properties"]["planned_end"]["description"] == "Fin prévue, échéance (AAAA-MM-JJ). / Planned end, deadline (YYYY-MM-DD)."
    written = json.loads((ROOT / "schema" / "action.schema.json").read_text(encoding="utf-8"))
    assert written["properties"]["planned_end"]["description"] == schema["properties"]["planned_end"]["description"]


def test_kinds_are_read_from_the_types_unless_declared():
    a = f.of(m.Action)
    assert [a[n].kind for n in ("title", "description", "planned_end", "status", "budget", "tags", "priority", "weight")] == [
        "line", "text", "date", "enum", "items", "list", "int", "number"]
    assert [a[n].kind for n in ("political_owners", "admin_owner", "service", "progress", "stake", "gain")] == [
        "people", "person", "service", "percent", "score", "money"]
    assert a["budget"].item_model is m.BudgetLine and a["status"].enum is m.Status
    assert f.of(m.PlanFile)["term"].item_model is m.Term


@pytest.mark.parametrize("text, key", [("statut", "status"), ("Échéance", "planned_end"), ("date de fin", "planned_end"),
                                       ("reste à faire", "remaining"), ("Remaining", "remaining"), ("deadline", "planned_end"),
                                       ("responsable politique", "political_owners"), ("intitulé", "title"), ("status", "status")])
def test_a_field_is_found_by_any_name_people_give_it(text, key):
    assert f.of(m.Action).find(text) == key


def test_names_given_to_fields_are_not_ambiguous():
    for model in (m.Action, m.Objective, m.BudgetLine, m.Indicator, m.Person, m.PlanFile):
        seen: dict[str, str] = {}
        for field in f.of(model):
            names = {field.name, *field.meta.aka, *(field.label(lang) for lang in ("fr", "en")), *(field.heading(lang) for lang in ("fr", "en"))}
            for name in {f.fold(n) for n in names}:
                assert seen.setdefault(name, field.name) == field.name, f"{model.__name__}: '{name}' names {seen[name]} and {field.name}"


def _enums():
    return [v for v in vars(m).values() if isinstance(v, type) and issubclass(v, enum.Enum) and v.__module__ == m.__name__]


@pytest.mark.parametrize("kind", _enums(), ids=lambda e: e.__name__)
def test_the_words_of_a_value_never_name_another(kind):
    words = f.words_of(kind)
    seen: dict[str, str] = {}
    for value in words.values:
        w = words.words.get(value, f.Word())
        names = {value, *w.aka, *(t[lang].get(value, value) for t in (words.shown, words.sheet) for lang in ("fr", "en"))}
        for name in {f.fold(n) for n in names}:
            assert seen.setdefault(name, value) == value, f"{kind.__name__}: '{name}' names {seen[name]} and {value}"
    for r in words.readings:
        for a in r.aka:
            assert words.parse(a) is None, f"{kind.__name__}: '{a}' is both a word and a reading"


@pytest.mark.parametrize("text, value", [("fini", "done"), ("Terminée", "done"), ("terminé", "done"), ("done", "done"), ("Done", "done"),
                                         ("en cours", "ongoing"), ("EN COURS", "ongoing"), ("In progress", "ongoing"), ("en_cours", "ongoing"),
                                         ("à venir", "not_started"), ("a venir", "not_started"), ("not started", "not_started"),
                                         ("Finalisé", "done"), ("À agender", "not_started"), ("annulée", "cancelled")])
def test_status_words_as_people_write_them(text, value):
    assert f.words_of(m.Status).parse(text) == value


def test_did_you_mean_gives_the_word_in_the_readers_language():
    status = f.words_of(m.Status)
    assert status.parse("en cour") is None
    assert status.near("en cour", "fr") == "en cours"
    assert status.near("termine", "en") == "done"
    assert status.near("zzz", "fr") is None
    assert status.choices("fr") == ["à venir", "en cours", "en attente", "terminée", "annulée"]
    assert f.words_of(m.Health).parse("Bloqué") == "blocked"


def test_readings_say_more_than_a_value():
    status = f.words_of(m.Status)
    assert status.parse("Bloqué") is None  # not a status in a prompt
    value, also, note = status.read("Bloqué")
    assert (value, also, note) == ("on_hold", (("health", "blocked"),), None)
    value, also, note = status.read("En retard")
    assert value == "ongoing" and also == (("health", "at_risk"),) and note("fr") == "noté « en retard » dans le tableau"


def test_lint_suggests_the_key_a_french_word_names():
    from feuille.checks.schema_errors import model_at, suggest_key, suggest_value

    assert suggest_value("fini", ["not_started", "ongoing", "on_hold", "done", "cancelled"]) == "done"
    assert suggest_value("conseil", ["internal", "council", "public"]) == "council"
    assert suggest_key("échéance", list(m.Action.model_fields), m.Action)("fr") == "Dans le fichier, ce champ s'écrit en anglais (planned_end)."
    assert model_at(m.Action, ("budget", 0, "montant")) is m.BudgetLine
    assert model_at(m.PeopleFile, ("people", 2, "nom")) is m.Person


def test_tables_of_names_are_read_from_the_registry():
    assert registry.table("label")["fr"]["planned_end"] == "échéance"
    assert registry.table("diff")["fr"]["political_owners"] == "responsables politiques"
    assert registry.table("heading")["fr"]["achieved"] == "Réalisé"
    assert registry.table("heading")["en"]["remaining"] == "Remaining"  # (no heading declared: the label with a capital)


def test_a_field_declared_in_a_generic_section_shows_with_no_code(monkeypatch, tmp_path):
    # what adding a field does to show and the site: the field's heading and value, from its declaration alone
    # (here an existing field, fte, declared in the facts section for the time of the test)
    import shutil

    from tests._cli import feuille

    registry = f.of(m.Action)
    fte = registry["fte"]
    monkeypatch.setitem(registry.fields, "fte", fte._replace(meta=dataclasses.replace(fte.meta, show="facts")))
    plan = tmp_path / "ll"
    shutil.copytree(ROOT / "plans" / "la-louviere", plan)
    action = plan / "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("partners: [Belle-Ville]", "partners: [Belle-Ville]\nfte: 1.5"), encoding="utf-8")
    shown = feuille("show", "A1.1", "--plan", plan, "--as-of", "2026-11-30")
    assert shown.returncode == 0, shown.stderr
    assert "  Partenaires : Belle-Ville\n  Équivalents temps plein : 1,5\n" in shown.stdout
    site = tmp_path / "site"
    assert feuille("render", plan, "--out", site, "--as-of", "2026-11-30").returncode == 0
    page = next((site / "actions").glob("*.html")).parent / "A1.1.html"
    assert "<dt>Partenaires</dt><dd>Belle-Ville</dd><dt>Équivalents temps plein</dt><dd>1,5</dd>" in page.read_text(encoding="utf-8")
    assert "<dt>Équivalents temps plein</dt>" not in feuille("show", "A1.2", "--plan", plan, "--as-of", "2026-11-30").stdout  # unset: not shown


def test_the_sheets_columns_are_the_registrys_in_their_order():
    from feuille.formats.spreadsheet.columns import ACTION_COLUMNS, HASHED, READ_COLUMNS

    assert [c.key for c in ACTION_COLUMNS] == [
        "id", "title", "political_owners", "admin_owner", "involved", "service", "planned_start", "planned_end", "reschedule_reason", "actual_start", "actual_end",
        "status", "progress", "computed_progress", "health", "health_note", "achieved", "remaining", "budget_planned", "budget_spent", "tags",
        "territories", "description", "last_reviewed", "sub_action_of"]
    assert HASHED[0] == "title" and len(HASHED) == 21  # the baseline of a workbook exported before still reads
    assert {c.key for c in READ_COLUMNS} - {c.key for c in ACTION_COLUMNS} == {  # read, never written
        "volet", "notes", "partners", "aims", "means", "participation", "governance", "lead_structure", "priority_level"}
    assert [c.header("fr") for c in ACTION_COLUMNS][:4] == ["Identifiant", "Action", "Responsable(s) politique(s)", "Responsable administratif"]


def test_a_field_without_a_column_is_said_not_carried_by_the_workbook(monkeypatch):
    from feuille.formats.spreadsheet.columns import NOT_CARRIED

    assert "others" not in NOT_CARRIED["fr"]  # every field of today is named in the themed lines
    registry = f.of(m.Action)
    monkeypatch.setitem(registry.fields, "funding_note", registry["health_note"]._replace(
        name="funding_note", meta=dataclasses.replace(registry["health_note"].meta, sheet=None)))
    assert NOT_CARRIED["fr"]["others"] == "autres champs, gardés dans les fichiers : note de santé (funding_note)"


@pytest.mark.parametrize("word, status, health", [("fini", "done", None), ("Bloqué", "on_hold", "blocked"), ("En cours", "ongoing", None)])
def test_a_sheets_status_words_are_the_registrys(word, status, health):
    from feuille.formats.spreadsheet.read import Row, Sheet
    from feuille.formats.spreadsheet.values import parse_row

    row = Row("s", 2, {"title": "Une action", "status": word}, {"title": ("A", "Action"), "status": ("B", "Statut")})
    problems: list = []
    parsed = parse_row(row, Sheet(), problems)
    assert not problems and parsed.values["status"] == status and parsed.values.get("health") == health


def test_importing_the_model_builds_no_validator_and_leaves_every_field_complete():
    """Start-up: pydantic builds a model's validator when it first validates (defer_build), so a command answered
    from the cache builds none; the fields are complete on import all the same (no model names one declared
    below it), since the audience filter and this registry read their types."""
    import subprocess
    import sys

    probe = ("import typing, pydantic, feuille.pipeline\n"
             "from feuille.core import model as m\n"
             "models = [c for c in vars(m).values() if isinstance(c, type) and issubclass(c, pydantic.BaseModel) and c is not pydantic.BaseModel]\n"
             "print(len(models), [c.__name__ for c in models if c.__pydantic_complete__],\n"
             "      [f'{c.__name__}.{n}' for c in models for n, f in c.model_fields.items() if isinstance(f.annotation, (str, typing.ForwardRef))\n"
             "       or 'ForwardRef' in repr(f.annotation)])\n"
             "a = m.Action.model_validate({'id': 'A1', 'title': 'T', 'sub_actions': [{'title': 'S', 'status': 'done'}]})\n"
             "print(a.sub_actions[0].id, a.sub_actions[0].status.value, m.Action.__pydantic_complete__)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].split(" ", 1)[1] == "[] []" and int(out[0].split()[0]) > 20
    assert out[1] == "A1.1 done True"  # built on first use, sub-action named by its action


def test_a_sub_action_shares_the_action_s_progress_fields():
    for name in ("actual_start", "actual_end", "status", "progress", "achieved", "remaining"):
        assert f.of(m.SubAction)[name]._replace(model=m.Action) == f.of(m.Action)[name], name
