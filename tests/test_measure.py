"""``feuille measure`` and ``feuille import`` of measurements: through the one write service, into the file where the
indicator is declared (plan, objective, action), in its style; refused whole with the reason, nothing lost (issue 24)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from _cli import feuille

LL = Path(__file__).parent.parent / "plans" / "la-louviere"
PS = Path(__file__).parent.parent / "plans" / "plan-strategique"
AS_OF = "2026-11-22"


@pytest.fixture
def ll(tmp_path: Path) -> Path:
    target = tmp_path / "ll"
    shutil.copytree(LL, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_a_measurement_of_an_objective_indicator_is_appended_in_the_files_style(tmp_path):
    plan = tmp_path / "ps"
    shutil.copytree(PS, plan)
    before = snapshot(plan)
    r = feuille("measure", "absenteisme", "8,3", "--date", "2026-09-30", "--note", "Troisième trimestre", "--plan", plan, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "+          - {date: 2026-09-30, value: 8.3, note: Troisième trimestre}\n" in r.stdout
    assert "L3.1 : mesure « Taux d'absentéisme du personnel (Ville et CPAS) » 8,3 au 30/09/2026" in r.stdout
    after = snapshot(plan)
    changed = [k for k in after if after[k] != before[k]]
    assert changed == ["objectives/3-bien-etre.yaml"]
    old, new = before[changed[0]].decode().splitlines(), after[changed[0]].decode().splitlines()
    assert [line for line in new if line not in old] == ["          - {date: 2026-09-30, value: 8.3, note: Troisième trimestre}"]
    assert feuille("lint", plan, "--as-of", AS_OF).returncode == 0
    shown = feuille("show", "absenteisme", "--plan", plan, "--as-of", AS_OF).stdout
    assert "8,3\u202f% au 30/09/2026" in shown


def test_a_plan_indicator_is_measured_in_plan_yaml_and_an_action_s_by_its_label(ll):
    r = feuille("measure", "demarches-en-ligne", "33", "--date", "30/09/2026", "--plan", ll, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "plan.yaml : modifié." in r.stdout
    assert "      - {date: 2026-09-30, value: 33}\ndefaults:" in (ll / "plan.yaml").read_text(encoding="utf-8")
    r = feuille("measure", "taux de cellules commerciales vides au centre", "15", "--date", "2026-09-30", "--plan", ll, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    text = (ll / "objectives" / "03-economie-emploi.yaml").read_text(encoding="utf-8")
    assert "          - {date: 2026-09-30, value: 15}\n" in text
    assert "last_reviewed: 2026-11-22" in text  # a person's change: the action is reviewed that day (the write service's rule)


def test_who_entered_it_is_kept_and_stays_internal(ll, tmp_path):
    r = feuille("measure", "logements-remis", "38", "--date", "2026-09-30", "--by", "kvanhove", "--plan", ll, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "{date: 2026-09-30, value: 38, entered_by: kvanhove}" in (ll / "objectives" / "04-logement.yaml").read_text(encoding="utf-8")
    site = tmp_path / "site"
    assert feuille("render", ll, "-o", site, "--as-of", AS_OF).returncode == 0
    page = (site / "indicators" / "logements-remis.html").read_text(encoding="utf-8")
    assert "38 logements" in page and "kvanhove" not in page


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["absenteism", "8"], "feuille : aucun indicateur « absenteism » dans le plan ; rien n'a été écrit.",
     "Les plus proches : absenteisme."),
    (["absenteisme", "8,7", "--date", "2026-06-30"],
     "feuille : « Taux d'absentéisme du personnel (Ville et CPAS) » a déjà une mesure au 30/06/2026 (8,7) ; rien n'a été écrit.",
     "Pour la corriger, changez-la dans le fichier (L3.1)."),
    (["absenteisme", "8", "--date", "2027-01-31"],
     "feuille : la date 31/01/2027 est postérieure à aujourd'hui : une mesure se rapporte à une date passée ; rien n'a été écrit.", "--date"),
    (["absenteisme", "beaucoup"], "feuille : « beaucoup » n'est pas un nombre ; rien n'a été écrit.", "sans son unité"),
])
def test_a_measurement_that_cannot_be_written_is_refused_with_what_to_do(tmp_path, args, message, hint):
    plan = tmp_path / "ps"
    shutil.copytree(PS, plan)
    before = snapshot(plan)
    r = feuille("measure", *args, "--plan", plan, "--as-of", AS_OF)
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == message
    assert hint in r.stderr
    assert snapshot(plan) == before


def test_a_label_shared_by_two_indicators_asks_for_the_id(tmp_path):
    plan = tmp_path / "p"
    (plan / "objectives").mkdir(parents=True)
    (plan / "plan.yaml").write_text("title: T\norganisations: [{id: v, name: V}]\nterm: {start: 2024-12-02, end: 2030-12-01}\n"
                                    "levels: [Objectif, Action]\n", encoding="utf-8")
    (plan / "objectives" / "o.yaml").write_text(
        "id: O1\ntitle: O\nindicators: [{label: Logements, baseline: 0, target: 9, target_date: 2029-12-31}]\n"
        "actions:\n  - {id: A1, title: a, indicators: [{label: Logements, baseline: 0, target: 5, target_date: 2029-12-31}]}\n", encoding="utf-8")
    r = feuille("measure", "logements", "3", "--plan", plan, "--as-of", AS_OF, "--lang", "en")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["feuille: 2 indicators are labelled 'logements'; nothing was written.", "  Name one by its id: O1/1 (O1), A1/1 (A1)."]
    ok = feuille("measure", "A1/1", "3", "--date", "2025-12-31", "--plan", plan, "--as-of", AS_OF)
    assert ok.returncode == 0, ok.stderr


def test_dry_run_writes_nothing(ll):
    before = snapshot(ll)
    r = feuille("measure", "logements-remis", "38", "--date", "2026-09-30", "--plan", ll, "--as-of", AS_OF, "--dry-run")
    assert r.returncode == 0 and "Simulation (--dry-run) : rien n'a été écrit." in r.stdout and "+      - {date: 2026-09-30, value: 38}" in r.stdout
    assert snapshot(ll) == before


# --- feuille import of a table of measurements ---------------------------------------------------


TABLE = ("Indicateur;Date;Valeur;Note\n"
         "logements-remis;30/09/2026;38;T3\n"
         "logements-remis;30/06/2026;31;\n"
         "dechets-centre;30/09/2026;365,5;\n"
         "demarches-en-ligne;30/09/2026;33;\n")


def test_a_table_of_measurements_is_announced_as_such_and_written_into_the_plan(ll, tmp_path, monkeypatch):
    table = tmp_path / "mesures.csv"
    table.write_text(TABLE, encoding="utf-8-sig")
    monkeypatch.chdir(ll / "objectives")  # the plan of the working folder, found upwards
    r = feuille("import", table)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"lu : {table} — un tableau de mesures (feuille « mesures », colonnes « Indicateur », « Date », « Valeur », « Note ») : dans le plan ")
    assert "Mesures : 3 ajoutées, 1 déjà dans le plan, 0 répétée, 0 refusée (sur 4 lignes)." in r.stdout
    assert "{date: 2026-09-30, value: 38, note: T3}" in (ll / "objectives" / "04-logement.yaml").read_text(encoding="utf-8")
    assert "{date: 2026-09-30, value: 365.5}" in (ll / "objectives" / "01-cadre-de-vie" / "objective.yaml").read_text(encoding="utf-8")
    assert "{date: 2026-09-30, value: 33}" in (ll / "plan.yaml").read_text(encoding="utf-8")
    again = feuille("import", table)
    assert again.returncode == 0 and "0 ajoutée, 4 déjà dans le plan" in again.stdout and "Rien n'a été écrit : aucun changement à écrire." in again.stdout
    assert feuille("lint", ll).returncode == 0


def test_a_table_with_a_bad_row_is_refused_whole_and_says_every_row(ll, tmp_path):
    table = tmp_path / "mesures.csv"
    table.write_text(TABLE + "logement-remis;31/12/2025;20;\nlogements-remis;31/02/2026;20;\n", encoding="utf-8-sig")
    before = snapshot(ll)
    r = feuille("import", table, ll)
    assert r.returncode == 1
    assert "import refusé : 2 lignes ou changements à corriger ; rien n'a été écrit :" in r.stderr
    assert "feuille « mesures », ligne 6, colonne A (Indicateur) : « logement-remis » — le plan n'a pas cet indicateur." in r.stderr
    assert "feuille « mesures », ligne 7, colonne B (Date) : « 31/02/2026 » — ce n'est pas une date" in r.stderr
    assert snapshot(ll) == before  # all or nothing


def test_a_table_of_measurements_never_makes_a_plan(tmp_path, monkeypatch):
    table = tmp_path / "mesures.csv"
    table.write_text(TABLE, encoding="utf-8-sig")
    monkeypatch.chdir(tmp_path)
    r = feuille("import", table)
    assert r.returncode == 1
    assert "est un tableau de mesures : elles vont dans un plan existant, et aucun plan n'est trouvé ici. Rien n'a été écrit." in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mesures.csv"]


def test_a_returned_workbook_brings_its_new_measurements_in_the_same_write(ll, tmp_path):
    import openpyxl

    out = tmp_path / "plan.xlsx"
    assert feuille("export", ll, "-f", "xlsx", "-o", out).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Indicateurs"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "logements-remis" and ws.cell(r, 5).value is None)
    ws.cell(row, 5).value = dt.datetime(2026, 9, 30)
    ws.cell(row, 6).value = 38
    wb.save(out)
    r = feuille("import", out, ll)
    assert r.returncode == 0, r.stderr
    assert "Mesures : 1 ajoutée," in r.stdout
    assert "{date: 2026-09-30, value: 38}" in (ll / "objectives" / "04-logement.yaml").read_text(encoding="utf-8")
