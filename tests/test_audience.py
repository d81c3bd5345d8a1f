"""Who sees what: every published output goes through one audience filter, and nothing internal leaks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from _cli import feuille
from feuille import pipeline
from feuille.compute.audience import parse_audience, publish
from feuille.core.model import Audience

ROOT = Path(__file__).parent.parent
LL = ROOT / "plans" / "la-louviere"
AS_OF = "2026-07-01"
DAY = dt.date(2026, 7, 1)


def load(plan: Path):
    return pipeline.load_path(plan, DAY, options=pipeline.LoadOptions(use_cache=False))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


A14 = Path("objectives") / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"


def test_defaults_withhold_notes_health_notes_and_contacts(plan):
    loaded = load(plan)
    public = publish(loaded.plan, Audience.public, DAY)
    internal = publish(loaded.plan, Audience.internal, DAY)
    original = {a.id: a for a, _o in loaded.plan.actions()}
    shown = {a.id: a for a, _o in public.plan.actions()}
    assert set(shown) == set(original)  # no visibility set: every action is public
    assert any(a.health_note for a in original.values())
    assert not any(a.health_note or a.notes for a in shown.values())
    assert not any(p.email or p.phone for p in public.plan.people.values())
    assert any(p.email for p in internal.plan.people.values())
    assert public.withheld.fields["health_note"] == sum(1 for a in original.values() if a.health_note)
    assert not internal.withheld.anything


def test_a_withheld_action_still_counts_in_its_objective(plan):
    edit(plan / A14, "progress: 55", "progress: 55\nvisibility: council")
    loaded = load(plan)
    full = publish(loaded.plan, Audience.internal, DAY)
    public = publish(loaded.plan, Audience.public, DAY)
    council = publish(loaded.plan, Audience.council, DAY)
    ids = lambda p: {a.id for a, _o in p.plan.actions()}  # noqa: E731
    assert "A1.4" not in ids(public) and "A1.4" in ids(council)
    o1_full = next(r for r in full.rollup.objectives if r.objective.id == "O1")
    o1_public = next(r for r in public.rollup.objectives if r.objective.id == "O1")
    assert o1_public.progress == o1_full.progress and o1_public.budget.planned == o1_full.budget.planned
    assert "A1.4" not in {a.action.id for a in o1_public.actions}
    assert public.hidden_below["O1"] == 1 and public.withheld.actions == 1
    assert public.rollup.progress == full.rollup.progress


def test_an_internal_objective_hides_everything_below_it(plan):
    edit(plan / "objectives" / "04-logement.yaml", "\ntitle:", "\nvisibility: internal\ntitle:")
    loaded = load(plan)
    assert loaded.errors == 0
    public = publish(loaded.plan, Audience.public, DAY)
    assert "O4" not in {o.id for o, _p, _d in public.plan.walk()}
    assert not [a for a, o in public.plan.actions() if a.id.startswith("A4.")]
    assert public.withheld.objectives == 1 and public.withheld.actions == sum(1 for a, _o in loaded.plan.actions() if a.id.startswith("A4."))


def test_a_field_can_be_opened_to_a_wider_audience(plan):
    edit(plan / A14, "progress: 55", "progress: 55\nvisibility: {health_note: public}")
    loaded = load(plan)
    public = publish(loaded.plan, Audience.public, DAY)
    a14 = next(a for a, _o in public.plan.actions() if a.id == "A1.4")
    original = next(a for a, _o in loaded.plan.actions() if a.id == "A1.4")
    assert a14.health_note == original.health_note


def test_audience_names_in_french_and_unknown_ones():
    assert parse_audience("conseil") is Audience.council and parse_audience("Public") is Audience.public
    with pytest.raises(ValueError, match="council"):
        parse_audience("counsil")


def test_lint_reports_unknown_audience_with_a_suggestion(plan):
    edit(plan / A14, "progress: 55", "progress: 55\nvisibility: interne")
    result = feuille("lint", plan, "--as-of", AS_OF)
    assert result.returncode == 1 and "F204" in result.stdout and "internal" in result.stdout


# --- the planted plan of these tests (the leak test over every kind, field and output is tests/test_leak.py) -----


def _plant(plan: Path) -> dict[str, str]:
    """Mark every field that the public must not see (and those only the administration sees) with a unique word."""
    words = {
        "health": "ZORGLUBSANTE", "note": "ZORGLUBNOTE", "phone": "+32 64 99 88 77", "email": "zorglub.mail@example.be",
        "council_action": "ZORGLUBCOLLEGE", "council_line": "ZORGLUBLIGNE", "internal_objective": "ZORGLUBINTERNE", "plan_note": "ZORGLUBPLAN",
    }
    a14 = plan / A14
    edit(a14, "progress: 55", f"progress: 55\nnotes: {words['note']}")
    edit(a14, "health_note:", f"health_note: {words['health']}\nold_health_note:")
    a14.write_text(a14.read_text(encoding="utf-8").replace("old_health_note:", "# was:"), encoding="utf-8")
    edit(plan / "people.yaml", "\npeople:\n", f"\npeople:\n  - id: zorglub\n    first_name: Z.\n    last_name: Org\n    role: officer\n    email: {words['email']}\n    phone: \"{words['phone']}\"\n")
    # an action for the council only, in its own objective file
    (plan / "objectives" / "11-college.yaml").write_text(
        "id: O11\ntitle: Suivi du collège\nvolet: internal\nactions:\n"
        f"  - id: A11.1\n    title: Négociation {words['council_action']}\n    status: ongoing\n    progress: 40\n    visibility: council\n"
        "    last_reviewed: 2026-06-01\n"
        f"  - id: A11.2\n    title: Travaux publics\n    status: ongoing\n    progress: 20\n    last_reviewed: 2026-06-01\n"
        f"    budget:\n      - {{amount: 1000, year: 2026, source: {words['council_line']}, service: ordinary, type: expense, label: Étude, article: 104/122-01, visibility: council}}\n"
        "      - {amount: 500, year: 2026, source: fonds propres, service: ordinary, type: expense, label: Travaux, article: 421/140-06}\n", encoding="utf-8")
    (plan / "objectives" / "12-interne.yaml").write_text(
        f"id: O12\ntitle: Réorganisation {words['internal_objective']}\nvolet: internal\nvisibility: internal\nactions:\n"
        "  - id: A12.1\n    title: Organigramme\n    status: not_started\n    last_reviewed: 2026-06-01\n", encoding="utf-8")
    edit(plan / "plan.yaml", "\nrules:", f"\nnotes: {words['plan_note']}\nrules:")
    return words


def test_the_summary_line_says_the_audience_and_what_was_withheld(plan, tmp_path):
    _plant(plan)
    result = feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF)
    assert "version publique ; non montrés :" in result.stdout and "3 notes de santé" in result.stdout and "1 objectif" in result.stdout
    page = (tmp_path / "s" / "objectives" / "O11.html").read_text(encoding="utf-8")
    assert "1 action de cet objectif n&#39;est pas montrée dans cette version" in page
    a112 = (tmp_path / "s" / "actions" / "A11.2.html").read_text(encoding="utf-8")
    assert "1 ligne budgétaire non montrée" in a112
    unknown = feuille("render", plan, "--out", tmp_path / "t", "--audience", "conseill", "--as-of", AS_OF)
    assert unknown.returncode == 2 and "council" in unknown.stderr


def test_withheld_sources_and_unknown_audiences_speak_the_users_language(plan, tmp_path):
    _plant(plan)  # A11.2: a line of a source only the council sees
    loaded = load(plan)

    def sources(published):
        return next(a for a in published.rollup.actions if a.action.id == "A11.2").budget.by_source

    assert "non publié" in sources(publish(loaded.plan, Audience.public, DAY))  # by default, the plan's language
    assert "ZORGLUBLIGNE" in sources(publish(loaded.plan, Audience.council, DAY))
    for lang, word in (("fr", "non publié"), ("en", "not published")):
        out = tmp_path / lang
        assert feuille("render", plan, "--out", out, "--as-of", AS_OF, "--lang", lang).returncode == 0
        page = (out / "objectives" / "O11.html").read_text(encoding="utf-8")  # its budget by source
        assert f'<th scope="row">{word}</th>' in page and "ZORGLUBLIGNE" not in page
    assert "not published" not in (tmp_path / "fr" / "objectives" / "O11.html").read_text(encoding="utf-8")
    for command in (["render", plan, "--out", tmp_path / "t"], ["report", "term", "--plan", plan, "-o", tmp_path / "r.html"]):
        fr = feuille(*command, "--audience", "conseill", "--as-of", AS_OF)
        assert fr.returncode == 2 and fr.stderr == (
            "feuille : public inconnu « conseill » : choisissez tous (public), les élus (council) ou l'administration (internal). "
            "Vouliez-vous dire « council » ?\n"
            "  --audience public : le site des citoyens ; --audience council : les élus ; --audience internal : l'administration "
            "(docs/audiences.md).\n")
        en = feuille(*command, "--audience", "everyone", "--as-of", AS_OF, "--lang", "en")
        assert en.returncode == 2 and en.stderr == (
            "feuille: unknown audience 'everyone': choose public, council or internal.\n"
            "  --audience public: the citizens' site; council: the elected members; internal: the administration (docs/audiences.md).\n")
    en = feuille("export", plan, "--format", "json", "--audience", "counsil", "--lang", "en")
    assert en.returncode == 2 and "unknown audience 'counsil': choose public, council or internal. Did you mean 'council'?" in en.stderr
    edit(plan / "plan.yaml", "locale: fr-BE", "locale: en-GB")
    assert "not published" in sources(publish(load(plan).plan, Audience.public, DAY))  # a plan in English


def test_deadline_moves_show_on_the_site_and_in_the_reports(plan, tmp_path):
    edit(plan / A14, "progress: 55", "progress: 55\nreschedules:\n  - {date: 2026-05-02, from: 2026-06-30, to: 2026-12-31, reason: Crédit reporté au budget 2027}")
    assert feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF).returncode == 0
    page = (tmp_path / "s" / "actions" / "A1.4.html").read_text(encoding="utf-8")
    assert "Glissements" in page and "30/06/2026 → 31/12/2026" in page and "Crédit reporté au budget 2027" in page
    assert feuille("render", plan, "--out", tmp_path / "m", "--format", "md", "--as-of", AS_OF).returncode == 0
    assert "Crédit reporté au budget 2027" in (tmp_path / "m" / "actions" / "A1.4.md").read_text(encoding="utf-8")
    for kind, extra in (("term", []), ("annual", ["--year", "2026"])):
        out = tmp_path / f"{kind}.html"
        assert feuille("report", kind, *extra, "--plan", plan, "-o", out, "--as-of", AS_OF).returncode == 0
        assert "Glissements" in out.read_text(encoding="utf-8"), kind


def test_personal_data_is_found_on_warm_runs_and_after_an_edit(plan: Path, tmp_path: Path, monkeypatch) -> None:
    """The loader notes which files may hold personal data when it parses them and keeps that in
    its cache: a warm run (nothing parsed) still reports F801, and so does a file edited since."""
    monkeypatch.setenv("FEUILLE_CACHE_DIR", str(tmp_path / "cache"))
    edit(plan / A14, "title: ", "description: Contact au 0475 12 34 56.\ntitle: ")
    for _ in range(2):  # cold, then warm (every file from the cache)
        out = feuille("lint", str(plan), "--as-of", AS_OF, "--format", "json")
        codes = [(d["code"], d["file"].endswith("A1.4-mobilier-urbain.yaml")) for d in json.loads(out.stdout)["diagnostics"]]
        assert ("F801", True) in codes
    # a file that held none when it was cached, edited since: parsed again, looked at again
    edit(plan / "objectives" / "02-securite.yaml", "remaining: Marché public", "remaining: Écrire à jean.dupont@example.be. Marché public")
    for _ in range(2):
        out = feuille("lint", str(plan), "--as-of", AS_OF, "--format", "json")
        found = {(d["file"].rsplit("/", 1)[-1], d["line"]) for d in json.loads(out.stdout)["diagnostics"] if d["code"] == "F801"}
        assert {f for f, _line in found} == {"A1.4-mobilier-urbain.yaml", "02-securite.yaml"}, found


def test_visibility_is_seen_on_warm_runs(plan: Path, tmp_path: Path, monkeypatch) -> None:
    """Whether a plan sets any visibility is kept in the cache with each file: a warm run (nothing
    parsed) still finds an action more public than its objective (F802)."""
    monkeypatch.setenv("FEUILLE_CACHE_DIR", str(tmp_path / "cache"))
    securite = plan / "objectives" / "02-securite.yaml"
    edit(securite, "volet: external\n", "volet: external\nvisibility: internal\n")
    edit(securite, "    progress: 40\n", "    progress: 40\n    visibility: public\n")
    for _ in range(2):  # cold, then warm
        out = feuille("lint", str(plan), "--as-of", AS_OF, "--format", "json")
        found = [(d["code"], d["file"].rsplit("/", 1)[-1]) for d in json.loads(out.stdout)["diagnostics"] if d["code"] == "F802"]
        assert found == [("F802", "02-securite.yaml")]
