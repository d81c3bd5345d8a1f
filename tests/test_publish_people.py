"""People and services are items with an audience like any other (issue 20, item 1).

An internal (or council) person is left out of every public output, their role shown as
« non publié », their id never written; a service's contact details stay internal unless
the plan opens them; and who may see a person is always today's people.yaml's say, also
when the plan published is a past revision.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from _cli import feuille
from feuille import pipeline
from feuille.compute.audience import publish
from feuille.core.model import Audience

LL = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-07-01"
DAY = dt.date(2026, 7, 1)
HENRARD = "    portfolio: Logement\n    organisation: ville\n"  # the alderman for housing (nhenrard), owner of O4 and its actions
LOGEMENT = "{id: logement, name: Service Logement, organisation: ville, head: kvanhove}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load(root: Path):
    return pipeline.load_path(root, DAY, options=pipeline.LoadOptions(use_cache=False))


def hide_henrard(plan: Path, level: str = "internal") -> None:
    edit(plan / "people.yaml", HENRARD, HENRARD + f"    visibility: {level}\n")


def site_text(folder: Path) -> str:
    return "\n".join(f"{p.relative_to(folder)}\n{p.read_text(encoding='utf-8')}" for p in sorted(folder.rglob("*")) if p.is_file())


def test_an_internal_person_has_no_page_and_is_not_published_as_owner(plan, tmp_path):
    hide_henrard(plan)
    result = feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert "non montrés : 1 personne" in result.stdout
    site = site_text(tmp_path / "s")
    for word in ("nhenrard", "Henrard", "Nathalie"):
        assert word not in site
    assert not (tmp_path / "s" / "people" / "nhenrard.html").exists()
    a41 = (tmp_path / "s" / "actions" / "A4.1.html").read_text(encoding="utf-8")
    assert "<dd>non publié</dd>" in a41  # the political owner's role is there, the person is not
    a42 = (tmp_path / "s" / "actions" / "A4.2.html").read_text(encoding="utf-8")
    assert "non publié, " in a42 and "Carlier" in a42  # the other owner of the same action is still named
    council = feuille("render", plan, "--out", tmp_path / "c", "--as-of", AS_OF, "--audience", "council")
    assert "non montrés : 1 personne" in council.stdout and "Henrard" not in site_text(tmp_path / "c")
    internal = feuille("render", plan, "--out", tmp_path / "i", "--as-of", AS_OF, "--audience", "internal")
    assert "tout est montré" in internal.stdout and (tmp_path / "i" / "people" / "nhenrard.html").exists()


def test_a_council_person_is_shown_to_the_council_only(plan, tmp_path):
    hide_henrard(plan, "council")
    loaded = load(plan)
    public = publish(loaded.plan, Audience.public, DAY)
    council = publish(loaded.plan, Audience.council, DAY)
    assert "nhenrard" not in public.plan.people and public.withheld.people == 1
    assert "nhenrard" in council.plan.people and not council.withheld.people
    o4 = next(o for o, _p, _d in public.plan.walk() if o.id == "O4")
    assert o4.political_owners == ["non publié"] and o4.admin_owner == "kvanhove"
    assert next(a for a in o4.actions if a.id == "A4.2").political_owners == ["non publié", "fcarlier"]


def test_an_internal_person_in_english_is_not_published(plan, tmp_path):
    hide_henrard(plan)
    result = feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF, "--lang", "en")
    assert "not shown: 1 person" in result.stdout
    assert "<dd>not published</dd>" in (tmp_path / "s" / "actions" / "A4.1.html").read_text(encoding="utf-8")


def test_split_by_owner_writes_no_workbook_named_after_an_internal_person(plan, tmp_path):
    hide_henrard(plan)
    out = tmp_path / "books"
    result = feuille("export", plan, "--format", "xlsx", "--split-by", "owner", "-o", out, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "nhenrard.xlsx" not in names and "non-publie.xlsx" in names and "fcarlier.xlsx" in names
    assert "Henrard" not in result.stdout and "1 personne" in result.stdout


def test_exports_leave_out_an_internal_person_and_their_id(plan, tmp_path):
    hide_henrard(plan)
    result = feuille("export", plan, "--format", "json", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert "nhenrard" not in result.stdout and "Henrard" not in result.stdout
    doc = json.loads(result.stdout)
    o4 = next(o for o in doc["objectives"] if o["id"] == "O4")
    assert o4["political_owners"] == ["non publié"]
    inside = json.loads(feuille("export", plan, "--format", "json", "--as-of", AS_OF, "--audience", "internal").stdout)
    assert "nhenrard" in {p["id"] for p in inside["people"]}
    csv = feuille("export", plan, "--format", "csv", "--as-of", AS_OF)
    assert "Henrard" not in csv.stdout and "non publié" in csv.stdout


def test_a_service_email_is_internal_unless_the_plan_opens_it(plan, tmp_path):
    edit(plan / "people.yaml", LOGEMENT, LOGEMENT.replace("}", ", email: logement@example.be}"))

    def emails(audience: str) -> list[str]:
        result = feuille("export", plan, "--format", "json", "--as-of", AS_OF, "--audience", audience)
        assert result.returncode == 0, result.stderr
        return [s["email"] for s in json.loads(result.stdout)["services"] if "email" in s]

    assert emails("public") == [] and emails("council") == [] and emails("internal") == ["logement@example.be"]
    edit(plan / "people.yaml", "email: logement@example.be}", "email: logement@example.be, visibility: {email: public}}")
    assert emails("public") == ["logement@example.be"]
    edit(plan / "people.yaml", ", visibility: {email: public}}", "}")
    edit(plan / "plan.yaml", "  health_note: council", "  health_note: council\n  email: council")  # the plan's default for every e-mail
    assert emails("public") == [] and emails("council") == ["logement@example.be"]


def test_a_withheld_service_is_named_not_published(plan, tmp_path):
    edit(plan / "people.yaml", LOGEMENT, LOGEMENT.replace("}", ", visibility: internal}"))
    loaded = load(plan)
    assert loaded.errors == 0
    public = publish(loaded.plan, Audience.public, DAY)
    assert "logement" not in public.plan.services and public.withheld.services == 1
    o4 = next(o for o, _p, _d in public.plan.walk() if o.id == "O4")
    assert o4.service == "non publié" and not any(a.service == "logement" for a, _o in public.plan.actions())
    assert all(p.service != "logement" for p in public.plan.people.values())
    result = feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF)
    assert "1 service" in result.stdout and not (tmp_path / "s" / "services" / "logement.html").exists()
    assert "Service Logement" not in site_text(tmp_path / "s")


def test_lint_names_an_unknown_field_under_a_services_visibility(plan):
    edit(plan / "people.yaml", LOGEMENT, LOGEMENT.replace("}", ", visibility: {emial: public}}"))
    result = feuille("lint", plan, "--as-of", AS_OF)
    assert result.returncode == 1 and "F803" in result.stdout and "Vouliez-vous dire « email » ?" in result.stdout


def test_ecomptes_findings_about_people_point_at_the_right_person(plan, tmp_path):
    """A published plan lists only some people: a finding about one is still placed on its own lines of people.yaml."""
    hide_henrard(plan)
    edit(plan / "people.yaml", "    civility: mrs\n    first_name: Françoise\n", "    first_name: Françoise\n")  # fcarlier, after nhenrard
    result = feuille("export", plan, "--format", "ecomptes", "-o", tmp_path / "pst.xml", "--as-of", AS_OF, "--allow-errors")
    assert result.returncode == 1 and "F703" in result.stderr  # the exporter's own finding, placed in the file
    line = next(i for i, text in enumerate((plan / "people.yaml").read_text(encoding="utf-8").splitlines(), 1) if "id: fcarlier" in text)
    assert f"people.yaml:{line}:" in result.stderr and "Carlier" in result.stderr


# --- who may see a person is today's say, also for the past -------------------------------------------------


def git(repo: Path, *args: str, when: str = "2026-02-01T10:00:00+01:00") -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    proc = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=t@example.be", "-c", "commit.gpgsign=false",
                           "-c", "init.defaultBranch=main", *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def history(tmp_path: Path, monkeypatch) -> Path:
    """A plan committed with Nathalie Henrard public (2025, then 2026), to be made internal or removed in today's files."""
    monkeypatch.delenv("FEUILLE_HISTORY", raising=False)
    root = tmp_path / "depot"
    shutil.copytree(LL, root / "plan")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Plan initial", when="2025-02-10T10:00:00+01:00")
    logement = root / "plan" / "objectives" / "04-logement.yaml"
    edit(logement, "political_owners: [nhenrard, fcarlier]", "political_owners: [fcarlier]")
    git(root, "commit", "-qam", "A4.2 : une seule responsable", when="2026-03-01T10:00:00+01:00")
    return root / "plan"


def test_a_person_made_internal_today_does_not_come_back_through_history(history, tmp_path):
    hide_henrard(history)  # today's people.yaml, not committed
    for extra in (["--rev", "HEAD"], ["--rev", "HEAD~1"], ["--as-of", "2025-12-31"]):
        out = tmp_path / "-".join(extra).strip("-").replace("~", "")
        result = feuille("render", history, "--out", out, *extra, *(["--as-of", AS_OF] if "--as-of" not in extra else []))
        assert result.returncode == 0, (extra, result.stderr)
        assert "Henrard" not in site_text(out) and "nhenrard" not in site_text(out), extra
        assert "1 personne" in result.stdout, extra
    report = tmp_path / "annual.md"
    result = feuille("report", "annual", "--year", "2026", "--plan", history, "-f", "md", "-o", report, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert "Henrard" not in text and "nhenrard" not in text
    exported = feuille("export", history, "--format", "json", "--rev", "HEAD~1", "--as-of", AS_OF)
    assert exported.returncode == 0 and "nhenrard" not in exported.stdout and "Henrard" not in exported.stdout


def test_a_person_removed_today_is_not_published_from_the_past(history, tmp_path):
    text = (history / "people.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: nhenrard\n")
    end = text.index("  - id: ", start + 1)
    (history / "people.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    result = feuille("render", history, "--out", tmp_path / "s", "--rev", "HEAD~1", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert "Henrard" not in site_text(tmp_path / "s") and "1 personne" in result.stdout
    internal = feuille("render", history, "--out", tmp_path / "i", "--rev", "HEAD~1", "--as-of", AS_OF, "--audience", "internal")
    assert internal.returncode == 0 and "Henrard" in site_text(tmp_path / "i")  # the administration still reads its own history


def test_publish_judges_people_by_today_and_the_past_plan_by_itself(history):
    hide_henrard(history)
    past = pipeline.load_path(history, DAY, rev="HEAD~1", options=pipeline.LoadOptions(use_cache=False))
    assert past.plan.people["nhenrard"].visibility is None  # public when committed
    today = pipeline.registry_today(past)
    assert today is not None and today.people["nhenrard"].visibility == {"item": Audience.internal}
    assert pipeline.registry_today(load(history)) is None  # today's files: nothing more to read
    assert "nhenrard" in publish(past.plan, Audience.public, DAY).plan.people  # judged by itself...
    shown = publish(past.plan, Audience.public, DAY, today=today)  # ...or by today's people.yaml
    assert "nhenrard" not in shown.plan.people and shown.withheld.people == 1
    a42 = next(a for a, _o in shown.plan.actions() if a.id == "A4.2")
    assert a42.political_owners == ["non publié", "fcarlier"]


def test_an_objective_served_that_the_public_may_not_see_is_not_named(plan):
    """A4.2 serves O4 and O5: with O5 internal, the public action says « non publié » where O5's id was."""
    edit(plan / "objectives" / "05-action-sociale.yaml", "\ntitle:", "\nvisibility: internal\ntitle:")
    loaded = load(plan)
    public = publish(loaded.plan, Audience.public, DAY)
    a42 = next(a for a, _o in public.plan.actions() if a.id == "A4.2")
    assert [s.objective for s in a42.serves] == ["O4", "non publié"]
    assert [s.objective for s in next(a for a, _o in loaded.plan.actions() if a.id == "A4.2").serves] == ["O4", "O5"]  # the plan itself unchanged


def test_an_export_refused_for_a_withheld_value_says_so(plan, tmp_path):
    """eComptes needs each budget line's article: withheld from the council, the council's transmission is refused,
    and the message says the plan has the values, for another audience."""
    a11 = plan / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml"
    edit(a11, "article: 875/124-02, spent: 11200,", "article: 875/124-02, visibility: {article: internal}, spent: 11200,")
    refused = feuille("export", plan, "--format", "ecomptes", "-o", tmp_path / "pst.xml", "--as-of", AS_OF)
    assert refused.returncode == 1 and not list(tmp_path.glob("pst*"))
    assert "F704" in refused.stderr and "Le plan a ces valeurs, mais pas pour le public « council »" in refused.stderr
    assert "Corrigez ces points" not in refused.stderr
    en = feuille("export", plan, "--format", "ecomptes", "-o", tmp_path / "pst.xml", "--as-of", AS_OF, "--lang", "en")
    assert "The plan has these values, but not for the audience 'council'" in en.stderr
    inside = feuille("export", plan, "--format", "ecomptes", "-o", tmp_path / "pst.xml", "--as-of", AS_OF, "--audience", "internal")
    assert inside.returncode == 0, inside.stderr


# --- what the pages say about the plan itself names no one the audience may not see -----------------------------


def test_a_past_public_site_does_not_name_the_commits_author(history, tmp_path):
    git(history.parent, "commit", "-q", "--allow-empty", "-m", "rien", "--author", "Agent Anonyme <agent@ville.be>", when="2026-03-02T10:00:00+01:00")
    public = feuille("render", history, "--out", tmp_path / "p", "--as-of", "2026-03-05")
    assert public.returncode == 0, public.stderr
    pages = site_text(tmp_path / "p")
    assert "à la fin du 05/03/2026 (commit " in pages  # the page says which commit it shows
    assert "Agent Anonyme" not in pages  # a member of staff, not someone people.yaml publishes
    internal = feuille("render", history, "--out", tmp_path / "i", "--as-of", "2026-03-05", "--audience", "internal")
    assert internal.returncode == 0, internal.stderr and "Agent Anonyme" in site_text(tmp_path / "i")


def test_a_published_notice_counts_the_unreadable_parts_without_naming_them(plan, tmp_path):
    logement = plan / "objectives" / "04-logement.yaml"  # its id already taken: left out, and named in the terminal
    edit(logement, "id: O4\n", "id: O3\n")
    public = feuille("render", plan, "--out", tmp_path / "p", "--as-of", AS_OF, "--allow-errors")
    assert public.returncode == 1 and (tmp_path / "p" / "index.html").exists(), public.stderr  # written, and the error counted
    assert "droit au logement" in public.stderr  # the person who renders is told which objective is missing
    index = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    notice = index.split("PLAN INCOMPLET")[1].split("</div>")[0]
    assert "04-logement.yaml" in notice and "droit au logement" not in notice
    internal = feuille("render", plan, "--out", tmp_path / "i", "--as-of", AS_OF, "--allow-errors", "--audience", "internal")
    notice = (tmp_path / "i" / "index.html").read_text(encoding="utf-8").split("PLAN INCOMPLET")[1].split("</div>")[0]
    assert "droit au logement" in notice, internal.stderr


def test_a_filtered_public_workbook_does_not_write_the_filter_as_typed(plan, tmp_path):
    out = tmp_path / "henrard.xlsx"
    result = feuille("export", plan, "--format", "xlsx", "--owner", "nhenrard", "-o", out, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    import zipfile

    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "nhenrard" not in xml
    inside = tmp_path / "henrard-interne.xlsx"
    assert feuille("export", plan, "--format", "xlsx", "--owner", "nhenrard", "-o", inside, "--as-of", AS_OF, "--audience", "internal").returncode == 0
    with zipfile.ZipFile(inside) as z:
        assert "--owner nhenrard" in "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
