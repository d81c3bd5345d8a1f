"""`feuille render` and `feuille report`: page set, overrides, escaping, reproducibility, languages."""

from __future__ import annotations

import datetime as _dt
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES, no_traceback
from catalogue import build
from feuille.compute.audience import publish
from feuille.core.model import Audience
from feuille.pipeline import LoadOptions, load_path
from feuille.views.site import RenderOptions, render_report, render_site

LL = EXAMPLES / "la-louviere"
AS_OF = dt.date(2026, 11, 22)


def site(root: Path = LL, audience: Audience = Audience.internal, **kw):
    plan = load_path(root, _dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan
    return render_site(publish(plan, audience, AS_OF), RenderOptions(AS_OF, **kw))


def test_page_set():
    pages = site()
    assert {"index.html", "priorities.html", "style.css", "people/index.html", "tags/index.html"} <= set(pages)
    assert {f"objectives/O{i}.html" for i in range(1, 11)} <= set(pages)
    assert len([p for p in pages if p.startswith("actions/")]) == 26
    assert {"people/asabbatini.html", "people/bwiaux.html", "services/proprete.html"} <= set(pages)
    assert {"tags/volet-external.html", "tags/sdg-11.html", "tags/territory-houdeng.html", "tags/tag-proprete.html"} <= set(pages)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_no_visible_caption_repeats_the_heading_just_above_it():
    repeated = []
    for name, page in site().items():
        if not name.endswith(".html"):
            continue
        for m in re.finditer(r"<h([1-4])[^>]*>(.*?)</h\1>((?:\s*<(?!h[1-6]|/table)[^>]+>[^<]*){0,6}?)\s*<caption( class=\"visually-hidden\")?>(.*?)</caption>", page, re.S):
            heading, caption = _text(m.group(2)), _text(m.group(5))
            if (heading == caption or heading.startswith(caption + " (")) and not m.group(4):  # « Actions (3) » / « Actions »
                repeated.append((name, _text(m.group(2))))
    assert repeated == []
    action = site()["actions/A1.1.html"]
    assert '<h2>Budget</h2>' in action and '<caption class="visually-hidden">Budget</caption>' in action  # still named for screen readers


def test_three_level_plan_pages():
    pages = site(EXAMPLES / "plan-strategique")
    assert "objectives/L1.1.html" in pages and 'href="../objectives/L1.1.html"' in pages["objectives/L1.html"]


def test_index_shows_the_dashboard_figures():
    index = site()["index.html"]
    assert '<html lang="fr">' in index
    assert "44\u202f%" in index and "4\u202f687\u202f000\u00a0€" in index and "Échéance dans les 60 jours (3)" in index
    assert index.count('<article class="card') == 10
    assert 'href="objectives/O1.html"' in index and 'href="style.css"' in index


def test_action_page_has_everything():
    page = site()["actions/A1.1.html"]
    for expected in ("Cadastre des besoins", "A. Sabbatini", "B. Wiaux", "Belle-Ville", "Réalisé", "Reste à faire",
                     "875/124-02", "15\u202f000,00\u00a0€", "Points noirs de propreté", "<polyline", "30/06/2026", "81"):
        assert expected in page, expected
    assert 'href="../people/asabbatini.html"' in page and 'href="../objectives/O1.html"' in page


def test_no_script_and_a_csp_on_every_page():
    for name, text in site().items():
        if name.endswith(".html"):
            assert "<script" not in text.lower(), name
            assert "Content-Security-Policy" in text and "default-src 'none'" in text, name
            assert 'style="' not in text, name  # the CSP forbids inline styles


def test_english():
    index = site(lang="en")["index.html"]
    assert '<html lang="en">' in index and "Overall progress" in index and "€4,687,000" in index and "Due within 60 days" in index


def test_reproducible_byte_for_byte(tmp_path):
    a = feuille("render", str(LL), "--out", str(tmp_path / "a"), "--as-of", "2026-11-22")
    b = feuille("render", str(LL), "--out", str(tmp_path / "b"), "--as-of", "2026-11-22", "--no-cache")
    assert a.returncode == b.returncode == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 90
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


XSS = """id: O2
title: "<script>alert('titre')</script> Objectif"
description: |
  Voir [le site](javascript:alert(1)), [la commune](https://www.example.be) et <img src=x onerror=alert(2)>.
  <script>alert(3)</script>
actions:
  - id: A2.1
    title: "<b onmouseover=alert(4)>Action</b>"
    achieved: "[lien](JAVASCRIPT:alert(5)) [mail](mailto:info@example.be) [fichier](file:///etc/passwd)"
    tags: ["<svg onload=alert(6)>"]
    last_reviewed: 2026-06-01
"""


def test_yaml_content_comes_out_inert(tmp_path):
    plan = build(tmp_path / "plan", {"objectives/02.yaml": XSS})
    pages = site(plan)
    everything = "\n".join(pages.values())
    assert "<script>" not in everything and "<img" not in everything and "<b " not in everything and "<svg onload" not in everything
    links = re.findall(r'href="([^"]*)"', everything)
    assert not [u for u in links if not u.startswith(("http://", "https://", "mailto:")) and ":" in u]  # no javascript:, file:, data:
    assert "<p>lien <a " in pages["actions/A2.1.html"] and "JAVASCRIPT" not in pages["actions/A2.1.html"]  # the text kept, the link removed
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt; Objectif" in pages["objectives/O2.html"]
    assert '<a href="https://www.example.be">la commune</a>' in pages["objectives/O2.html"]
    assert '<a href="mailto:info@example.be">mail</a>' in pages["actions/A2.1.html"]
    md = site(plan, fmt="md")
    assert "<script>" not in "\n".join(md.values())


def test_markdown_site(tmp_path):
    result = feuille("render", str(LL), "--format", "md", "--out", str(tmp_path / "md"), "--as-of", "2026-11-22")
    assert result.returncode == 0
    index = (tmp_path / "md" / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# Déclaration de politique communale 2024-2030")
    assert "| [O1](objectives/O1.md) Favoriser un cadre de vie" in index
    action = (tmp_path / "md" / "actions" / "A1.4.md").read_text(encoding="utf-8")
    assert "## Budget" in action and "| 2025 | 40\u202f000,00\u00a0€ |" in action
    assert not list((tmp_path / "md").rglob("*.html")) and not (tmp_path / "md" / "style.css").exists()


def test_plan_templates_override_and_extend_builtins(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(LL, plan)
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "base.html").write_text(
        '{% extends "default:html/base.html" %}\n{% block brand %}<p class="brand">Ville de La Louvière — logo</p>{% endblock %}\n', encoding="utf-8")
    (plan / "templates" / "html" / "priorities.html").write_text(
        '{% extends "html/base.html" %}{% block main %}<h1>Nos priorités</h1><p>{{ ranking.ranked[0].item.id }}</p>{% endblock %}\n', encoding="utf-8")
    pages = site(plan)
    assert "Ville de La Louvière — logo" in pages["index.html"] and "Ville de La Louvière — logo" in pages["actions/A1.1.html"]
    assert "<h1>Nos priorités</h1><p>A2.2</p>" in pages["priorities.html"]
    assert feuille("lint", str(plan), "--as-of", "2026-11-22", "--strict").returncode == 0  # templates/ is not read as plan data


def test_broken_template_is_explained(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(LL, plan)
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "index.html").write_text("{% block main %}{{ rollup.nothing_here }}", encoding="utf-8")
    result = feuille("render", str(plan), "--out", str(tmp_path / "out"))
    no_traceback(result)
    assert result.returncode == 2 and "gabarit" in result.stderr


def test_stale_pages_are_removed(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(LL, plan)
    out = tmp_path / "site"
    assert feuille("render", str(plan), "--out", str(out), "--as-of", "2026-11-22").returncode == 0
    (out / "mine.txt").write_text("à garder", encoding="utf-8")
    (plan / "objectives" / "01-cadre-de-vie" / "A1.6-quartiers-propres.yaml").unlink()
    result = feuille("render", str(plan), "--out", str(out), "--as-of", "2026-11-22")
    # A1.6's page, and the two theme pages only A1.6 had (participation, SDG 15)
    assert "3 anciens retirés" in result.stdout
    assert not (out / "actions" / "A1.6.html").exists() and not (out / "tags" / "sdg-15.html").exists()
    assert not (out / "tags" / "tag-participation.html").exists() and (out / "mine.txt").exists()


def test_annual_report():
    plan = load_path(LL, _dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan
    html = render_report(publish(plan, Audience.internal, dt.date(2025, 12, 31)), "annual", RenderOptions(dt.date(2025, 12, 31)), year=2025)
    assert "<h1>Évaluation annuelle 2025</h1>" in html and "Réalisé en 2025 (4)" in html
    assert "A7.1 Établir un plan pluriannuel" in html and "Budget 2025 : prévu et engagé" in html
    md = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "md").stdout
    assert md.startswith("# Évaluation annuelle 2025") and "au 31/12/2025" in md


def test_term_report(tmp_path):
    out = tmp_path / "bilan.html"
    result = feuille("report", "term", "--plan", str(LL), "--as-of", "2026-11-22", "--output", str(out), "--lang", "en")
    assert result.returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "<h1>End-of-term report</h1>" in html and html.count('class="report-objective"') == 10
    assert "Four eco-cantonniers" not in html and "Quatre éco-cantonniers engagés" in html  # the plan's own words are kept


@pytest.mark.parametrize("args,words", [
    (["report", "annual", "--plan", str(LL)], "--year"),
    (["report", "monthly", "--plan", str(LL)], "rapport inconnu"),
    (["render", str(LL), "--format", "pdf", "--out", "/tmp/x-feuille"], "format inconnu"),
])
def test_render_and_report_bad_arguments(args, words):
    result = feuille(*args)
    no_traceback(result)
    assert result.returncode == 2 and words in result.stderr


def test_an_html_report_is_refused_on_a_terminal_but_written_to_a_pipe(tmp_path, monkeypatch):
    import feuille.cli.render as render_command

    monkeypatch.setattr(render_command, "stdout_is_terminal", lambda: True)  # CliRunner's output is no terminal: make it one
    fr = feuille("report", "annual", "--year", "2025", "--plan", str(LL))
    assert fr.returncode == 2 and fr.stdout == ""
    assert fr.stderr.endswith("feuille : un rapport HTML ne se lit pas dans un terminal : rien n'a été affiché.\n"
                              "  Ajoutez -o rapport.html pour l'écrire dans un fichier, ou -f md pour le lire dans le terminal.\n"), fr.stderr
    en = feuille("report", "term", "--plan", str(LL), "--lang", "en")
    assert en.returncode == 2 and en.stdout == ""
    assert en.stderr == ("feuille: an HTML report is not meant to be read in a terminal: nothing was shown.\n"
                         "  Add -o report.html to write it to a file, or -f md to read it in the terminal.\n")
    md = feuille("report", "term", "--plan", str(LL), "-f", "md")  # Markdown is for reading: shown
    assert md.returncode == 0 and md.stdout.startswith("# ")
    out = tmp_path / "rapport.html"
    written = feuille("report", "term", "--plan", str(LL), "-o", str(out), "--lang", "en")
    assert written.returncode == 0 and written.stdout.startswith(f"written: {out} (public version") and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    monkeypatch.undo()  # piped or redirected (feuille report term > rapport.html): the HTML goes to the output
    piped = feuille("report", "term", "--plan", str(LL))
    assert piped.returncode == 0 and piped.stdout.startswith("<!DOCTYPE html>")


def test_a_word_report_that_cannot_be_written_says_so_in_the_users_language(tmp_path):
    target = tmp_path / "missing-folder" / "evaluation.docx"
    for lang, said in (("fr", f"feuille : impossible d'écrire « {target} » : fichier ou dossier introuvable.\n"),
                       ("en", f"feuille: cannot write '{target}': no such file or folder.\n")):
        refused = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "docx", "-o", str(target), "--lang", lang)
        assert refused.returncode == 2 and refused.stderr.endswith(said), refused.stderr
    written = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "docx", "-o", str(tmp_path / "e.docx"), "--lang", "en")
    assert written.returncode == 0 and written.stdout.startswith(f"written: {tmp_path / 'e.docx'} (public version")
    written = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "docx", "-o", str(tmp_path / "f.docx"))
    assert written.returncode == 0 and written.stdout.startswith(f"écrit : {tmp_path / 'f.docx'} (version publique")
