"""The plan through time, second part (issue 14): validations in status, the site and the reports;
trends in JSON, Markdown and charts, from git or from the plan's dated data; the annual report by
portfolio (HTML, Markdown, DOCX); history notes in the plan's language.

The repository is test_history.py's (four dated commits, known changes).
"""

from __future__ import annotations

import json
import shutil

from _cli import feuille
from _plans import EXAMPLE, edit, git, plan_of
from _plans import plain as spaced


def validate(repo, day: str, rev: str = "HEAD") -> None:
    git(repo, "tag", "-a", f"feuille-validation/{day}", "-m", f"Validation du plan\n\nValidé par: Comité de direction\nDate: {day}\n", rev)


# --- validations in status ----------------------------------------------------------------------


def test_status_says_the_state_is_validated_when_nothing_changed_since(repo):
    validate(repo, "2026-01-20")
    result = feuille("status", plan_of(repo))
    assert result.returncode in (0, 1), result.stderr
    assert "État validé par Comité de direction le 20/01/2026." in result.stdout
    doc = json.loads(feuille("status", plan_of(repo), "--format", "json").stdout)
    v = doc["plans"][0]["validation"]
    assert v["by"] == "Comité de direction" and v["date"] == "2026-01-20" and v["changes"] == 0 and v["unvalidated"] == []


def test_status_counts_changes_since_the_last_validation_and_lists_the_decisions(repo):
    validate(repo, "2025-07-01", "HEAD~2")  # the June commit: then A2.9 added, A2.2 moved, A2.3 retitled, A2.1 done, A3.1's owner
    result = feuille("status", plan_of(repo))
    out = spaced(result.stdout)
    line = next(x for x in out.splitlines() if "depuis la dernière validation" in x)
    assert "changements depuis la dernière validation (Comité de direction, 01/07/2025)" in line
    decisions = next(x for x in out.splitlines() if x.startswith("Non validés"))
    assert "A2.9 (ajoutée)" in decisions and "A2.2 (déplacée)" in decisions and "A2.3 (renommée)" in decisions and "A3.1 (responsables)" in decisions
    assert "A2.1" not in decisions  # a status and a progress update are the service heads' job
    doc = json.loads(feuille("status", plan_of(repo), "--format", "json").stdout)["plans"][0]["validation"]
    assert doc["changes"] >= 6 and {(c["id"], c["kind"]) for c in doc["unvalidated"]} >= {("A2.9", "added"), ("A2.2", "moved"), ("A2.3", "retitled")}
    md = feuille("status", plan_of(repo), "--format", "markdown", "--lang", "en").stdout
    assert "changes since the last validation (Comité de direction, 1 Jul 2025)" in md and "A2.9 (added)" in md


def test_status_in_the_past_compares_with_the_validation_of_then(repo):
    validate(repo, "2025-07-01", "HEAD~2")
    validate(repo, "2026-01-20")
    past = feuille("status", plan_of(repo), "--as-of", "2025-08-01")
    assert "État validé par Comité de direction le 01/07/2025." in past.stdout


def test_no_validation_no_line(repo):
    result = feuille("status", plan_of(repo))
    assert "validation" not in result.stdout
    assert json.loads(feuille("status", plan_of(repo), "--format", "json").stdout)["plans"][0]["validation"] is None


# --- trends in JSON and Markdown ----------------------------------------------------------------


def test_status_trend_in_json_and_markdown(repo):
    doc = json.loads(feuille("status", plan_of(repo), "--trend", "--since", "2025-03-01", "--every", "quarter", "--format", "json").stdout)
    t = doc["plans"][0]["trend"]
    assert t["source"] == "git" and t["since"] == "2025-03-01" and t["every"] == "quarter" and t["commits_read"] >= 3
    o2 = next(o for o in t["objectives"] if o["id"] == "O2")
    assert o2["direction"] == "down" and len(o2["series"]) == len(t["days"])
    md = spaced(feuille("status", plan_of(repo), "--trend", "--since", "2025-03-01", "--format", "markdown").stdout)
    assert "## Tendance depuis le 01/03/2025, par mois" in md and "| O2 Renforcer" in md and "↓ en baisse" in md


def test_trend_errors_say_what_to_do(repo):
    bad = feuille("status", plan_of(repo), "--trend", "--since", "2030-01-01")
    assert bad.returncode == 2 and "doit précéder la date de référence" in bad.stderr and "Traceback" not in bad.stderr
    csv = feuille("status", plan_of(repo), "--trend", "--format", "csv")
    assert csv.returncode == 2 and "--format text, json ou markdown" in csv.stderr


def test_trend_from_the_plans_dated_data_without_history(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "p")
    doc = json.loads(feuille("status", tmp_path / "p", "--trend", "--since", "2025-01-01", "--as-of", "2026-11-30", "--format", "json").stdout)
    t = doc["plans"][0]["trend"]
    assert t["source"] == "plan" and t["commits_read"] == 0
    whole = next(o for o in t["objectives"] if o["id"] is None)
    known = [v for v in whole["series"] if v is not None]
    assert known[0] < known[-1]  # actions finished and measured since January 2025: the plan went up


# --- the annual report, portfolio by portfolio -----------------------------------------------------


def test_annual_report_goes_portfolio_by_portfolio_with_the_changes_of_the_year(repo, tmp_path):
    out = tmp_path / "r.md"
    result = feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "md", "-o", out, "--audience", "internal")
    assert result.returncode == 0, result.stderr
    md = spaced(out.read_text(encoding="utf-8"))
    assert md.index("## Échevin par échevin") < md.index("## Les chiffres des objectifs") < md.index("## Décisions du collège")
    assert "le premier commit de l'historique" in md  # the history starts in February 2025
    dupont = md[md.index("### Marie Dupont (Bourgmestre"):md.index("### A. Sabbatini")]
    assert "#### Échéance reportée en 2025 (1)" in dupont and "A2.1" in dupont and "reportée de 93 jours" in dupont
    assert "#### Réorientées (intitulé, objectif, annulation) (2)" in dupont and "A2.3 Passer l'éclairage public au LED" in dupont
    assert "déplacée de O2" in dupont and "#### Ajoutées en 2025 (1)" in dupont and "A2.9" in dupont
    assert "#### Mouvements de budget en 2025 (1)" in dupont and "95 000 € → 120 000 €" in dupont
    assert "Budget 2025 : prévu" in dupont
    collin = md[md.index("### Luc Collin"):]
    assert "Rien à signaler." in collin.split("###")[1]
    assert "| Luc Collin | | | |" in md  # the decisions' table: one row per portfolio, to fill in


def test_annual_report_without_history_says_what_it_cannot_tell(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "p")
    md = feuille("report", "annual", "--year", "2025", "--plan", tmp_path / "p", "-f", "md").stdout
    assert "## Échevin par échevin" in md and "Sans l'historique git du plan" in md and "#### Réalisées en 2025" in md


def test_reports_and_site_say_what_is_not_validated(repo, tmp_path):
    validate(repo, "2025-07-01", "HEAD~2")
    html = feuille("report", "term", "--plan", plan_of(repo), "-f", "html").stdout
    assert "changements depuis la dernière validation (Comité de direction, 01/07/2025)" in spaced(html)
    assert 'class="unvalidated"' in html and "A2.9 (ajoutée)" in html
    site = tmp_path / "site"
    assert feuille("render", plan_of(repo), "-o", site).returncode == 0
    index = spaced((site / "index.html").read_text(encoding="utf-8"))
    assert "changements depuis la dernière validation" in index and "Non validés : 4 décisions" in index


# --- the editable document -------------------------------------------------------------------------


def _docx(path):
    import zipfile
    from xml.dom import minidom

    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} <= set(names)
        assert z.testzip() is None
        parts = {n: minidom.parseString(z.read(n)) for n in names if n.endswith((".xml", ".rels"))}  # each part well formed
    body = parts["word/document.xml"]
    paragraphs = []
    for p in body.getElementsByTagName("w:p"):
        style = p.getElementsByTagName("w:pStyle")
        text = "".join(t.firstChild.data for t in p.getElementsByTagName("w:t") if t.firstChild)
        paragraphs.append((style[0].getAttribute("w:val") if style else "", text))
    return parts, paragraphs


def test_annual_report_as_an_editable_word_document(repo, tmp_path):
    sec = plan_of(repo) / "objectives" / "02-securite.yaml"
    edit(sec, "title: Étendre le réseau de caméras de surveillance aux entrées de ville et aux parkings",
         "title: '<w:t>Étendre & « surveiller » </w:p> le réseau de caméras'")
    git(repo, "commit", "-qam", "Titre piégé", when="2025-12-31T23:45:00+01:00")
    out = tmp_path / "evaluation-2025.docx"
    result = feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "docx", "-o", out, "--audience", "council")
    assert result.returncode == 0, result.stderr
    assert "écrit : " in result.stdout and out.read_bytes()[:2] == b"PK"
    parts, paragraphs = _docx(out)
    headings = [(s, t) for s, t in paragraphs if s.startswith(("Title", "Heading"))]
    assert ("Title", "Évaluation annuelle 2025") in headings
    assert ("Heading1", "Échevin par échevin") in headings and ("Heading1", "Décisions du collège") in headings
    assert any(s == "Heading2" and t.startswith("Marie Dupont (Bourgmestre") for s, t in headings)
    assert ("Heading3", "Ajoutées en 2025 (1)") in headings
    text = "\n".join(t for _s, t in paragraphs)
    assert "A2.1 <w:t>Étendre & « surveiller » </w:p> le réseau de caméras" in text  # the plan's text, as text (escaped in the XML)
    assert "95 000 € → 120 000 €".replace(" ", "\u202f") in text or "95 000 €" in spaced(text)
    tables = parts["word/document.xml"].getElementsByTagName("w:tbl")
    assert len(tables) == 3  # the objectives' figures, the indicators, the decisions
    assert any(s == "Heading1" and t.startswith("Indicateurs (") for s, t in headings)
    assert "fr-BE" in parts["docProps/core.xml"].toxml() and 'w:val="fr-BE"' in parts["word/styles.xml"].toxml()
    styles = {s.getAttribute("w:styleId") for s in parts["word/styles.xml"].getElementsByTagName("w:style")}
    assert {"Title", "Heading1", "Heading2", "Heading3", "ListBullet", "TableGrid"} <= styles  # every style used is defined
    again = tmp_path / "again.docx"
    feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "docx", "-o", again, "--audience", "council")
    assert again.read_bytes() == out.read_bytes()  # the same plan, the same file


def test_docx_errors_say_what_to_do(tmp_path):
    no_out = feuille("report", "annual", "--year", "2025", "--plan", EXAMPLE, "-f", "docx")
    assert no_out.returncode == 2 and "--output" in no_out.stderr and "Traceback" not in no_out.stderr
    term = feuille("report", "term", "--plan", EXAMPLE, "-f", "docx", "-o", tmp_path / "x.docx")
    assert term.returncode == 2 and "rapport annuel" in term.stderr
    bad = feuille("report", "annual", "--year", "2025", "--plan", EXAMPLE, "-f", "odt", "-o", tmp_path / "x.odt")
    assert bad.returncode == 2 and "Formats possibles" in bad.stderr
    nowhere = feuille("report", "annual", "--year", "2025", "--plan", EXAMPLE, "-f", "docx", "-o", tmp_path / "absent" / "r.docx")
    assert nowhere.returncode == 2 and "impossible d'écrire" in nowhere.stderr and "Traceback" not in nowhere.stderr


# --- trend charts in the site ------------------------------------------------------------------------


def test_site_shows_each_objectives_trend_as_an_accessible_chart(repo, tmp_path):
    site = tmp_path / "site"
    result = feuille("render", plan_of(repo), "-o", site, "--as-of", "2026-06-30")
    assert result.returncode == 0, result.stderr
    import html as _html

    index = _html.unescape((site / "index.html").read_text(encoding="utf-8"))
    assert "<script" not in index and "avancement dans le temps</h2>" in index
    figure = index[index.index('<figure class="chart chart-trend trend"'):index.index("</figure>", index.index('<figure class="chart chart-trend trend"'))]
    assert 'role="img"' in figure and "<title id=\"trend-plan-title\">" in figure and "<desc id=\"trend-plan-desc\">" in figure
    assert "<polyline" in figure and "D'après l'historique git" in figure
    table = index[index.index('<table class="data trend-table">'):]
    assert "<caption>" in table and '<th scope="row">31/12/2025</th>' in table
    o2 = _html.unescape(next(p for p in (site / "objectives").iterdir() if p.name.startswith("O2")).read_text(encoding="utf-8"))
    assert 'id="trend-O2-title"' in o2 and "En baisse" in o2


# --- history notes in the user's language -------------------------------------------------------------


def test_history_notes_are_in_the_plans_language_or_the_one_asked(repo, tmp_path):
    fr = feuille("status", plan_of(repo), "--as-of", "2025-08-01")
    assert "feuille : historique : le plan tel qu'enregistré à la fin du 01/08/2025, commit" in fr.stderr and "Paul Frasca" in fr.stderr
    en = feuille("status", plan_of(repo), "--as-of", "2025-08-01", "--lang", "en")
    assert "feuille: history: the plan as committed at the end of 2025-08-01, commit" in en.stderr and "historique" not in en.stderr
    env = feuille("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "md", env={"FEUILLE_LANG": "en"})
    assert "history: report 2025 on the plan as of 2025-12-31" in env.stderr and "no validation between 2025-12-31 and 2026-03-31" in env.stderr
    shutil.copytree(EXAMPLE, tmp_path / "hors-git")
    outside = feuille("show", "A1.1", "--plan", tmp_path / "hors-git", "--as-of", "2025-03-01", "--lang", "en")
    assert "is not in a git repository: no history" in outside.stderr
    old = feuille("status", plan_of(repo), "--as-of", "2024-01-01")
    assert "aucun commit n'est antérieur à la fin du 01/01/2024 (le premier date du 10/02/2025)" in old.stderr


# --- reading the history never writes to the repository ------------------------------------------------


def _snapshot(root):
    return {p.relative_to(root): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_reading_the_history_never_writes_to_the_repository(repo, tmp_path):
    validate(repo, "2025-07-01", "HEAD~2")
    (plan_of(repo) / "objectives" / "02-securite.yaml").write_text(
        (plan_of(repo) / "objectives" / "02-securite.yaml").read_text(encoding="utf-8").replace("progress: 100", "progress: 95", 1), encoding="utf-8")
    hooks = repo / ".git" / "hooks"
    for name in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {tmp_path}/hook-ran\n", encoding="utf-8")
        (hooks / name).chmod(0o755)
    before = _snapshot(repo / ".git")
    for args in (("status", plan_of(repo), "--trend", "--format", "json"), ("status", plan_of(repo), "--as-of", "2025-08-01"),
                 ("render", plan_of(repo), "-o", tmp_path / "site"), ("report", "annual", "--year", "2025", "--plan", plan_of(repo), "-f", "docx", "-o", tmp_path / "r.docx"),
                 ("diff", "--since-validation", "--plan", plan_of(repo)), ("log", "A2.1", "--plan", plan_of(repo))):
        result = feuille(*args)
        assert result.returncode in (0, 1), (args, result.stderr)
    assert _snapshot(repo / ".git") == before and not (tmp_path / "hook-ran").exists()


def test_dated_data_interpolate_each_action_between_its_dated_points():
    import datetime as dt

    from feuille.compute.trend import dated_plan
    from feuille.core.model import Status
    from feuille.pipeline import LoadOptions, load_path

    plan_ = load_path(EXAMPLE, dt.date(2026, 11, 30), options=LoadOptions(use_cache=False)).plan
    a71 = plan_.find("A7.1") if hasattr(plan_, "find") else next(a for a, _o in plan_.actions() if a.id == "A7.1")
    assert a71.status is Status.done and a71.actual_start == dt.date(2025, 1, 15) and a71.actual_end == dt.date(2025, 10, 27)

    def at(day):
        return next(a for a, _o in dated_plan(plan_, day).actions() if a.id == "A7.1")

    assert at(dt.date(2025, 1, 1)).status is Status.not_started  # before it started
    mid = at(dt.date(2025, 6, 1))
    assert mid.status is Status.ongoing and mid.actual_end is None and 0 < mid.progress < 100
    assert at(dt.date(2025, 11, 1)) is a71  # finished by then: as it is


def test_validation_found_in_packed_refs_and_from_a_linked_worktree(repo, tmp_path):
    validate(repo, "2026-01-20")
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "tags" / "feuille-validation").exists()
    assert "État validé par Comité de direction le 20/01/2026." in feuille("status", plan_of(repo)).stdout
    git(repo, "worktree", "add", "-q", str(tmp_path / "other"), "HEAD")
    assert "État validé par Comité de direction le 20/01/2026." in feuille("status", tmp_path / "other" / "plan").stdout


def test_the_word_document_opens_in_libreoffice(tmp_path):
    """LibreOffice reads the .docx (converted to ODT, the headings keep their levels, the tables are tables).
    Skipped where LibreOffice is not installed (``apt-get install libreoffice-writer-nogui``)."""
    import subprocess
    import zipfile

    import pytest

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "r.docx"
    assert feuille("report", "annual", "--year", "2025", "--plan", EXAMPLE, "-f", "docx", "-o", out).returncode == 0
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "odt", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and (tmp_path / "r.odt").exists(), proc.stderr
    content = zipfile.ZipFile(tmp_path / "r.odt").read("content.xml").decode("utf-8")
    assert "Évaluation annuelle 2025" in content and "Échevin par échevin" in content and "Décisions du collège" in content
    assert 'text:outline-level="1"' in content and 'text:outline-level="2"' in content and content.count("<table:table ") == 2
