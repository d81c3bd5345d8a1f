"""Reports and pages a council can read (issue 11): a report is one self-contained file, empty values read
« non renseigné », no doubled punctuation, a year outside the term is refused."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from _cli import feuille

LL = str(Path(__file__).resolve().parent.parent / "plans" / "la-louviere")
DOUBLED = re.compile(r"(?<![.])\.\.(?![.])|\s[.,;:]\s*\.|,,|;;")  # « .. », « , . » ... (an ellipsis « ... » is fine)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    made = {}
    for name, args in {"annual.html": ("annual", "--year", "2025"), "term.html": ("term",),
                       "annual.md": ("annual", "--year", "2025", "-f", "md"), "term.md": ("term", "-f", "md")}.items():
        r = feuille("report", *args, "--plan", LL, "-o", str(out / name))
        assert r.returncode == 0, r.stderr
        made[name] = (out / name).read_text(encoding="utf-8")
    return made


@pytest.mark.parametrize("name", ["annual.html", "term.html"])
def test_an_html_report_is_one_self_contained_file(reports, name):
    html = reports[name]
    assert '<link rel="stylesheet"' not in html and "<style>" in html  # its styles are inside it
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("#", "http://", "https://", "mailto:")) and h != "#" for h in hrefs), hrefs  # no link to a missing page
    assert not re.findall(r'src="(?!data:|https?:)[^"]*"', html)  # no image or script beside it
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in html  # the CSP allows that style sheet and no other


@pytest.mark.parametrize("name", ["annual.html", "term.html", "annual.md", "term.md"])
def test_reports_have_no_doubled_punctuation(reports, name):
    text = re.sub(r"<style>.*?</style>", "", reports[name], flags=re.S)
    found = [line for line in text.splitlines() if DOUBLED.search(line)]
    assert not found, found[:5]


def test_empty_values_read_non_renseigne_not_a_dash(tmp_path):
    out = tmp_path / "site"
    assert feuille("render", LL, "--out", str(out), "--as-of", "2026-11-22").returncode == 0
    page = (out / "actions" / "A1.1.html").read_text(encoding="utf-8")
    assert '<td class="num">non renseigné</td>' in page and ">–<" not in page
    for path in out.rglob("*.html"):
        assert ">–<" not in path.read_text(encoding="utf-8"), path


def test_a_period_with_one_end_says_so(tmp_path):
    import shutil

    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    source = plan / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml"
    source.write_text("".join(line for line in source.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.startswith("planned_start:")), encoding="utf-8")
    assert feuille("render", str(plan), "--out", str(tmp_path / "site"), "--as-of", "2026-11-22").returncode == 0
    page = (tmp_path / "site" / "actions" / "A1.1.html").read_text(encoding="utf-8")
    assert "Prévu</dt><dd>jusqu&#39;au 30/06/2027<" in page  # not « – 30/06/2027 »


def test_a_year_outside_the_term_is_refused():
    r = feuille("report", "annual", "--year", "1999", "--plan", LL)
    assert r.returncode == 2 and "l'année 1999 est hors de la législature du plan (2024–2030)" in r.stderr and r.stdout == ""
    assert "--year 20" in r.stderr


def test_each_language_its_own_punctuation(tmp_path):
    """« Budget prévu : 627 000 € » in French, « Planned budget: €627,000 » in English (no French space before a colon)."""
    for lang, said, unsaid in (("fr", "Budget prévu : 627", "Budget prévu: "), ("en", "Planned budget: €627,000", "Planned budget : ")):
        out = tmp_path / lang
        assert feuille("--lang", lang, "render", LL, "--out", str(out), "--as-of", "2026-11-22").returncode == 0
        page = (out / "index.html").read_text(encoding="utf-8")
        assert said in page and unsaid not in page
    md = feuille("--lang", "en", "report", "term", "--plan", LL, "-f", "md").stdout
    assert "Overall progress: " in md and "Overall progress : " not in md
