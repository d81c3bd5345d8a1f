"""No French typography, French examples, raw codes or French words in English output, and the
other way round: what a tester found on plans/la-louviere, one test per leak, French and English."""

from __future__ import annotations

import re

from _cli import feuille
from _plans import EXAMPLES

LL = str(EXAMPLES / "la-louviere")
AS_OF = "2026-11-22"


def run(*args: str, lang: str | None = None, **kw):
    extra = ("--lang", lang) if lang else ()
    return feuille(*args, "--as-of", AS_OF, *extra, **kw) if "--as-of" not in args else feuille(*args, *extra, **kw)


def test_show_objective_says_the_weighting_in_words_and_the_languages_punctuation():
    fr = run("show", "O1", "--plan", LL)
    assert fr.returncode == 0, fr.stderr
    assert "(moyenne de 6, pondération égale ; 6 sur 6 actions connues)" in fr.stdout
    assert "(avancement saisi ; A. Sabbatini / B. Wiaux)" in fr.stdout
    en = run("show", "O1", "--plan", LL, lang="en")
    assert en.returncode == 0, en.stderr
    assert "Progress: 58% (mean of 6, equal weights; 6 of 6 actions known)" in en.stdout
    assert "(progress entered; A. Sabbatini / B. Wiaux)" in en.stdout
    assert " ; " not in en.stdout and "equal ;" not in en.stdout


def test_show_writes_an_indicators_percent_the_languages_way():
    fr = run("show", "A3.2", "--plan", LL)
    assert "départ 18\u202f%, cible 10\u202f%" in fr.stdout  # as every other percentage (views/format.py)
    assert "31/12/2025 : 17\u202f%" in fr.stdout and "30/06/2026 : 15,5\u202f%" in fr.stdout
    en = run("show", "A3.2", "--plan", LL, lang="en")
    assert "baseline 18%, target 10%" in en.stdout
    assert "31 Dec 2025: 17%" in en.stdout and "30 Jun 2026: 15.5%" in en.stdout
    assert not re.search(r"\d %", en.stdout)


def test_show_names_the_status_that_implies_progress_in_words():
    fr = run("show", "A6.3", "--plan", LL)
    assert "(déduit du statut « à venir »)" in fr.stdout
    en = run("show", "A6.3", "--plan", LL, lang="en")
    assert "(implied by the status 'not started')" in en.stdout
    assert "not_started" not in fr.stdout + en.stdout


def test_prioritise_explain_uses_the_languages_colon():
    fr = run("prioritise", LL, "--explain", "A4.2")
    assert fr.returncode == 0, fr.stderr
    assert "    enjeu : 1 – 2 (poids 1)" in fr.stdout and "    retour : 0,5 – 1 (poids 1)" in fr.stdout
    en = run("prioritise", LL, "--explain", "A4.2", lang="en")
    assert "    stake: 1 – 2 (weight 1)" in en.stdout and "    ROI: 0.5 – 1 (weight 1)" in en.stdout
    assert " : " not in en.stdout.replace("Cadastre des besoins : ", "")


def test_term_report_joins_the_period_and_the_date_with_the_languages_semicolon(tmp_path):
    for fmt in ("md", "html"):
        fr = run("report", "term", "-f", fmt, "--plan", LL, "-o", str(tmp_path / f"fr.{fmt}"))
        assert fr.returncode == 0, fr.stderr
        assert "02/12/2024 – 01/12/2030 ; au 22/11/2026" in (tmp_path / f"fr.{fmt}").read_text(encoding="utf-8")
        en = run("report", "term", "-f", fmt, "--plan", LL, "-o", str(tmp_path / f"en.{fmt}"), lang="en")
        assert en.returncode == 0, en.stderr
        text = (tmp_path / f"en.{fmt}").read_text(encoding="utf-8")
        assert "2 Dec 2024 – 1 Dec 2030; as of 22 Nov 2026" in text and "2030 ; " not in text


def test_annual_docx_budget_line_uses_the_languages_colon(tmp_path):
    import zipfile

    def body(lang):
        out = tmp_path / f"{lang}.docx"
        r = run("report", "annual", "--year", "2026", "-f", "docx", "--plan", LL, "-o", str(out), lang=lang)
        assert r.returncode == 0, r.stderr
        return zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")

    assert re.search(r"Budget prévu : [^<]* · engagé : ", body("fr"))
    en = body("en")
    assert re.search(r"Planned budget: €[\d,]+ · spent: €", en)
    assert " : €" not in en


def test_markdown_site_trend_lines_and_indicators_in_the_languages_way(tmp_path):
    for lang in ("fr", "en"):
        r = run("render", LL, "-f", "md", "-o", str(tmp_path / lang), lang=lang)
        assert r.returncode == 0, r.stderr
    fr_index = (tmp_path / "fr" / "index.md").read_text(encoding="utf-8")
    en_index = (tmp_path / "en" / "index.md").read_text(encoding="utf-8")
    assert re.search(r"Plan : ↑ ", fr_index)
    assert re.search(r"Plan: ↑ up", en_index) and "Plan : " not in en_index
    assert ": ↑ up" in (tmp_path / "en" / "objectives" / "O1.md").read_text(encoding="utf-8")
    assert "baseline 18%, target 10% (31 Dec 2029)" in (tmp_path / "en" / "actions" / "A3.2.md").read_text(encoding="utf-8")
    assert re.search(r"départ 18\s%, cible 10\s% \(31/12/2029\)", (tmp_path / "fr" / "actions" / "A3.2.md").read_text(encoding="utf-8"))


def test_status_unknown_tag_english_colon_and_tag_names_as_the_reader_types_them():
    fr = run("status", LL, "--tag", "nonexistent")
    assert fr.returncode == 2
    assert "la-louviere : Tag « nonexistent » inconnu" in fr.stderr
    assert "Les plus proches : externe, propreté." in fr.stderr
    en = run("status", LL, "--tag", "nonexistent", lang="en")
    assert en.returncode == 2
    assert "la-louviere: Unknown tag 'nonexistent'" in en.stderr
    assert "Closest: external, propreté." in en.stderr
    assert "externe" not in en.stderr and "la-louviere : " not in en.stderr
    assert run("status", LL, "--tag", "external", lang="en").returncode == 0  # what is suggested works
    assert run("status", LL, "--tag", "externe").returncode == 0


def _copy(tmp_path, name="plan"):
    import shutil

    target = tmp_path / name
    shutil.copytree(LL, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


O6 = ("objectives", "06-enseignement-culture-sports.yaml")
A14 = ("objectives", "01-cadre-de-vie", "A1.4-mobilier-urbain.yaml")


def test_f503_names_the_status_in_words_and_stays_quiet_on_an_invalid_status(tmp_path):
    plan = _copy(tmp_path)
    _edit(plan.joinpath(*O6), "    status: not_started\n    health: good", "    status: not_started\n    progress: 40\n    health: good")
    fr = run("lint", str(plan))
    assert "Le statut de l'action est « à venir » mais son avancement est de 40" in fr.stdout
    en = run("lint", str(plan), lang="en")
    assert "The action's status is 'not started' but its progress is 40%." in en.stdout + en.stderr
    assert "not_started" not in fr.stdout + en.stdout
    _edit(plan.joinpath(*O6), "    status: not_started\n    progress: 40", "    status: fini\n    progress: 40")
    bad = run("lint", str(plan))
    assert bad.returncode == 1 and "F204" in bad.stdout and "F503" not in bad.stdout  # an invalid status is not « à venir »


def test_f708_and_volet_choices_say_strand_in_english(tmp_path):
    plan = _copy(tmp_path)
    _edit(plan.joinpath(*O6), "volet: external\n", "")
    fr = run("lint", str(plan))
    en = run("lint", str(plan), lang="en")
    assert "L'objectif n'a pas de volet : eComptes range chaque objectif stratégique dans le volet interne ou externe." in fr.stdout
    assert "The objective has no strand ('volet'): eComptes files each strategic objective under the internal or external strand." in en.stdout
    sarif = run("lint", str(plan), "-f", "sarif", lang="en")
    assert "Strand missing for eComptes" in sarif.stdout and "Volet missing" not in sarif.stdout
    fr = run("new", "objective", "--plan", str(plan), "--title", "X", "--volet", "sideways")
    assert fr.returncode == 2 and "valeur inconnue pour volet : « sideways »." in fr.stderr
    en = run("new", "objective", "--plan", str(plan), "--title", "X", "--volet", "sideways", lang="en")
    assert en.returncode == 2 and "unknown value for strand: 'sideways'." in en.stderr


def test_diff_words_a_deadline_move(tmp_path):
    old = _copy(tmp_path, "old")
    new = _copy(tmp_path, "new")
    _edit(new.joinpath(*A14), "progress: 55", "progress: 55\nreschedules:\n  - {date: 2026-03-15, from: 2026-06-30, to: 2026-12-31, reason: Crédit reporté}")
    fr = feuille("diff", "--plan", str(new), "--against", str(old))
    assert fr.returncode == 0, fr.stderr
    assert "échéance reportée du 30/06/2026 au 31/12/2026 (le 15/03/2026) : Crédit reporté" in fr.stdout
    en = feuille("diff", "--plan", str(new), "--against", str(old), "--lang", "en")
    assert "deadline moved from 30 Jun 2026 to 31 Dec 2026 (on 15 Mar 2026): Crédit reporté" in en.stdout
    assert "from_" not in fr.stdout + en.stdout and "{" not in fr.stdout + en.stdout


def _cli_marks(lang):
    out = run("prioritise", LL, lang=lang).stdout
    return [m.group(1) + m.group(2) for m in re.finditer(r"^(=| )(\d+)\s+A\d", out, re.M)]


def test_site_priorities_mark_the_same_ties_as_the_cli(tmp_path):
    cli = [x.strip() for x in _cli_marks("fr")]
    assert "1" in cli and "=2" in cli and "4" in cli  # la-louviere has both
    r = run("render", LL, "-o", str(tmp_path / "html"))
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "html" / "priorities.html").read_text(encoding="utf-8")
    site = re.findall(r'<tr><td class="num"(?: rowspan="\d+")?>(=?\d+)</td>', html)
    assert site == cli
    assert "Ex aequo (=) : même total" in html
    r = run("render", LL, "-f", "md", "-o", str(tmp_path / "md"), lang="en")
    md = (tmp_path / "md" / "priorities.md").read_text(encoding="utf-8")
    assert re.findall(r"^\| (=?\d+) \|", md, re.M) == [x.strip() for x in _cli_marks("en")] == cli
    assert "Ties (=): same total, stake, urgency and ROI; they share one rank, written once, and are listed by id." in md


def test_lint_summary_writes_the_date_as_the_language_does():
    fr = run("lint", LL)
    assert "(18 fichiers, 26 actions, au 22/11/2026)." in fr.stdout
    en = run("lint", LL, lang="en")
    assert "(18 files, 26 actions, as of 22 Nov 2026)." in en.stdout
    assert '"as_of": "2026-11-22"' in run("lint", LL, "-f", "json").stdout  # machines keep ISO


def test_prompts_end_as_the_language_does(tmp_path):
    plan = _copy(tmp_path)
    fr = feuille("update", "A4.2", "--plan", str(plan), "--as-of", AS_OF, input="\n" * 10 + "n\n")
    assert "  statut [en cours] : " in fr.stdout and "[O/n] : " in fr.stdout
    assert "]: " not in fr.stdout
    en = feuille("update", "A4.2", "--plan", str(plan), "--as-of", AS_OF, "--lang", "en", input="\n" * 10 + "n\n")
    assert "  status [ongoing]: " in en.stdout and "[Y/n]: " in en.stdout
    assert "] : " not in en.stdout
    fr = feuille("new", "action", "--in", "O4", "--plan", str(plan), "--as-of", AS_OF, input="")
    assert "  intitulé : " in fr.stdout
    en = feuille("new", "action", "--in", "O4", "--plan", str(plan), "--as-of", AS_OF, "--lang", "en", input="")
    assert "  title: " in en.stdout


def test_examples_in_the_readers_language(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    fr = feuille("lint", str(empty))
    assert fr.returncode == 2 and "par exemple plans/ma-commune" in fr.stderr
    en = feuille("lint", str(empty), "--lang", "en")
    assert en.returncode == 2 and "for example plans/my-town" in en.stderr and "ma-commune" not in en.stderr
    fr = feuille("diff", "--since-validation", "--plan", LL)
    assert fr.returncode == 2 and 'feuille validate --by "Comité de direction"' in fr.stderr
    en = feuille("diff", "--since-validation", "--plan", LL, "--lang", "en")
    assert en.returncode == 2 and 'Record one with: feuille validate --by "Management board"' in en.stderr
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    fr = feuille("export", LL, "--format", "xlsx", "--split-by", "service", "-o", str(afile))
    assert fr.returncode == 2 and "Exemple : -o classeurs/" in fr.stderr
    en = feuille("export", LL, "--format", "xlsx", "--split-by", "service", "-o", str(afile), "--lang", "en")
    assert en.returncode == 2 and "Example: -o workbooks/" in en.stderr
    en = feuille("export", LL, "--format", "csv", "--split-by", "service", "--lang", "en")
    assert en.returncode == 2 and "-o workbooks/" in en.stderr and "classeurs" not in en.stderr


def test_tag_help_in_english_names_the_strand_and_sdgs_as_english_readers_type_them():
    en = feuille("status", "--help", "--lang", "en")
    assert "strand" in en.stdout and "(internal/external)" in en.stdout and "(sdg11)" in en.stdout
    assert "interne" not in en.stdout and "odd11" not in en.stdout
    assert "volet (interne/externe) ou ODD (odd11)" in " ".join(feuille("status", "--help").stdout.split())
    assert run("status", LL, "--tag", "sdg11", lang="en").returncode == 0  # what the help says works
