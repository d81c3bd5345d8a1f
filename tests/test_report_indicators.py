"""Indicators in the reports (issue 24, item 4: « everywhere figures appear »): the annual report lists every
indicator with its latest measurement, target, progress and verdict (HTML, Markdown, Word); the term and mid-term
reports put the strands' indicators with the plan's own."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from _cli import feuille
from _plans import with_strand_indicators

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
PS = Path(__file__).parent.parent / "plans" / "plan-strategique"
AS_OF = "2026-11-22"


def test_the_annual_report_lists_every_indicator_with_its_verdict(tmp_path):
    md = feuille("report", "annual", "--year", "2026", "--plan", EXAMPLE, "-f", "md", "--as-of", AS_OF)
    assert md.returncode == 0, md.stderr
    assert "## Indicateurs (12)\n\n| Indicateur | Dernière mesure | Cible | Avancement vers la cible | État |\n" in md.stdout
    assert "| Entreprises accompagnées | 214 entreprises (30/09/2026) | 300 entreprises au 31/12/2026 | 71\u202f% | à la traîne |\n" in md.stdout
    html = feuille("report", "annual", "--year", "2026", "--plan", EXAMPLE, "--as-of", AS_OF)
    assert html.returncode == 0, html.stderr
    assert '<h2 id="indicators">Indicateurs (12)</h2>' in html.stdout and "Demandes traitées en ligne" in html.stdout
    out = tmp_path / "annuel.docx"
    r = feuille("report", "annual", "--year", "2026", "--plan", EXAMPLE, "-f", "docx", "-o", out, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "Indicateurs (12)" in body and "Logements publics disponibles (Ville, CPAS, société de logement)" in body and "à la traîne" in body


def test_the_annual_report_lists_only_the_indicators_its_audience_sees():
    r = feuille("report", "annual", "--year", "2026", "--plan", PS, "-f", "md", "--as-of", AS_OF, "--audience", "council")
    assert r.returncode == 0, r.stderr
    assert "## Indicateurs (" in r.stdout  # the strategic plan has some (absenteeism...)
    r = feuille("report", "annual", "--year", "2026", "--plan", PS, "-f", "md", "--as-of", AS_OF)  # public: nothing of this council plan
    assert r.returncode == 0, r.stderr
    assert "## Indicateurs" not in r.stdout


def test_the_term_and_midterm_reports_put_a_strands_indicators_with_the_plans(tmp_path):
    plan = with_strand_indicators(tmp_path / "ps")
    term = feuille("report", "term", "--plan", plan, "-f", "md", "--as-of", AS_OF, "--audience", "council")
    assert term.returncode == 0, term.stderr
    head = term.stdout.split("## Indicateurs du plan", 1)[1].split("\n## ", 1)[0]
    assert "Agents formés dans l'année" in head and "télétravail" not in head  # the strand's internal one is not for the council
    mid = feuille("report", "midterm", "--plan", plan, "-f", "md", "--as-of", AS_OF, "--audience", "internal")
    assert mid.returncode == 0, mid.stderr
    assert "| Agents formés dans l'année | VOLET-INTERNE |" in mid.stdout and "| Agents en télétravail structurel | VOLET-INTERNE |" in mid.stdout
