"""Ranks as people read them (issue 25, item 5): competition ranking (1, 2, 2, 4) with each tie written
once, two separate pairs at the same total as two groups, finished actions in their own section, what the
« / 21 » of a rank counts, and one rounding of totals in the table, --explain, the site and CSV.

The plan below builds its ties on purpose: A2 and A3 are ex aequo (same scores); A4/A5 and A6/A7 are two
pairs with the same total (50) but not the same scores, so the tie-break (stake first) separates the pairs
but not the items of a pair; A8 is done and A9 cancelled; A10 lacks its return."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES, PLAN, make
from feuille.compute.ranking import neighbours, rank

AS_OF = "2026-07-01"
TIES = """\
id: O1
title: Cadre de vie
actions:
  - {id: A1, title: Rénover la place, stake: 5, urgency: 5, roi: 5}
  - {id: A2, title: Planter des arbres, stake: 4, urgency: 4, roi: 4}
  - {id: A3, title: Créer un parc, stake: 4, urgency: 4, roi: 4}
  - {id: A4, title: Éclairer les rues, stake: 4, urgency: 3, roi: 2}
  - {id: A5, title: Fleurir les ronds-points, stake: 4, urgency: 3, roi: 2}
  - {id: A6, title: Repeindre les bancs, stake: 3, urgency: 4, roi: 2}
  - {id: A7, title: Nettoyer les tags, stake: 3, urgency: 4, roi: 2}
  - {id: A8, title: Fermer la décharge, stake: 5, urgency: 5, roi: 5, status: done}
  - {id: A9, title: Abandonner le projet de piscine, stake: 2, urgency: 2, roi: 2, status: cancelled}
  - {id: A10, title: Étudier un tram, stake: 2, urgency: 2}
"""
SETTINGS = PLAN + "priorities: {derive_urgency: false}\n"


@pytest.fixture
def ties(tmp_path) -> Path:
    make(tmp_path / "plan", {"01.yaml": TIES}, SETTINGS)
    return tmp_path / "plan"


def test_competition_ranks_and_groups(ties):
    from feuille.pipeline import LoadOptions, load_path

    r = rank(load_path(ties, dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan, dt.date(2026, 7, 1))
    assert [(s.item.id, s.rank) for s in r.ranked] == [("A1", 1), ("A2", 2), ("A3", 2), ("A4", 4), ("A5", 4), ("A6", 6), ("A7", 6)]
    assert [s.item.id for s in r.ranked if s.ex_aequo] == ["A2", "A3", "A4", "A5", "A6", "A7"]
    assert [[o.item.id for o in r.group(s)] for s in r.ranked if r.first_of_group(s)] == [["A1"], ["A2", "A3"], ["A4", "A5"], ["A6", "A7"]]
    assert [a.id for a in r.finished] == ["A8", "A9"] and [s.item.id for s in r.unranked] == ["A10"]
    # --top never cuts a tie: the second place is shared, so the top 2 are three items
    assert [s.item.id for s in r.top(2)] == ["A1", "A2", "A3"] and [s.item.id for s in r.top(1)] == ["A1"]
    assert [s.item.id for s in r.top(5)] == ["A1", "A2", "A3", "A4", "A5"]
    # the neighbours of an item are those of its group: above A5 is A3 (not its partner A4)
    above, below = neighbours(r, r.find("A5"))
    assert (above.item.id, below.item.id) == ("A3", "A6")


def test_text_writes_each_tie_once_and_lists_finished_actions(ties):
    out = feuille("prioritise", ties, "--as-of", AS_OF, env={"COLUMNS": "100"}).stdout
    table = out.split("\n\n")[1]
    assert table == """\
Rang  Id                            Enjeu  Urgence  Retour  Total  En./Urg./Ret.
 1    A1  Rénover la place          5      5        5       100    0–∞ / 0–∞ / 0–∞
=2    A2  Planter des arbres        4      4        4       75     0–∞ / 0–∞ / 0–∞
      A3  Créer un parc             4      4        4       75     0–∞ / 0–∞ / 0–∞
=4    A4  Éclairer les rues         4      3        2       50     1–∞ / 0–1 / 0–∞
      A5  Fleurir les ronds-points  4      3        2       50     1–∞ / 0–1 / 0–∞
=6    A6  Repeindre les bancs       3      4        2       50     1–∞ / 0–1 / 0–∞
      A7  Nettoyer les tags         3      4        2       50     1–∞ / 0–1 / 0–∞
Ex aequo (=) : même total, même enjeu, même urgence et même retour ; ils partagent un rang, écrit
               une fois, et sont classés par identifiant.
À total égal, l'ordre suit l'enjeu, puis l'urgence, puis le retour, puis l'identifiant.
Rang stable si le poids reste entre : enjeu / urgence / retour"""
    assert """
Non classés : notes manquantes (1)
  A10      Étudier un tram — manque : retour

Hors classement : actions terminées ou abandonnées (2)
  A8       Fermer la décharge — terminée
  A9       Abandonner le projet de piscine — annulée
""" in out


def test_explain_says_what_the_count_counts_and_names_the_tie(ties):
    out = feuille("prioritise", ties, "--as-of", AS_OF, "--explain", "A5", env={"COLUMNS": "100"}).stdout
    assert out.splitlines()[2:11] == [
        "  Enjeu : 4 (notée, poids 1, contribution 25 / 100)",
        "  Urgence : 3 (notée, poids 1, contribution 16,7 / 100)",
        "  Retour : 2 (notée, poids 1, contribution 8,3 / 100)",
        "  Rang : 4 sur 7 actions classées, ex aequo avec A4, Total 50",
        "  (hors classement : 2 terminées ou abandonnées, 1 aux notes incomplètes)",
        "  Juste au-dessus : =2. A3 Créer un parc (Total 75, écart 25)",
        "  Juste en dessous : =6. A6 Repeindre les bancs (Total 50, écart 0)",
        "  Rang stable si le poids reste entre :",
        "    enjeu : 1 – ∞ (poids 1)",
    ]
    en = feuille("prioritise", ties, "--as-of", AS_OF, "--explain", "A1", "--lang", "en", env={"COLUMNS": "100"}).stdout
    assert "  Rank: 1 of 7 ranked actions, Total 100\n  (not ranked: 2 finished (done or cancelled), 1 with scores missing)\n" in en


def test_explain_of_a_finished_action_says_why_it_is_not_ranked(ties):
    result = feuille("prioritise", ties, "--as-of", AS_OF, "--explain", "A9", env={"COLUMNS": "100"})
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "A9 — Abandonner le projet de piscine"
    assert result.stdout.splitlines()[-1] == "  Action annulée : les actions terminées ou abandonnées ne sont pas classées."


def test_markdown_json_and_csv_share_the_ranks(ties):
    md = feuille("prioritise", ties, "--as-of", AS_OF, "--format", "markdown", "--top", "2").stdout
    assert "\n| 1 | A1 | Rénover la place | 5 | 5 | 5 | 100 | 0–∞ / 0–∞ / 0–∞ |\n| =2 | A2 | Planter des arbres | 4 | 4 | 4 | 75 | 0–∞ / 0–∞ / 0–∞ |\n" \
           "|  | A3 | Créer un parc | 4 | 4 | 4 | 75 | 0–∞ / 0–∞ / 0–∞ |\n\n" in md
    assert "## Hors classement : actions terminées ou abandonnées\n\n- A8 Fermer la décharge — terminée\n- A9 Abandonner le projet de piscine — annulée\n" in md
    doc = json.loads(feuille("prioritise", ties, "--as-of", AS_OF, "--format", "json").stdout)
    assert [(r["id"], r["rank"], r["ex_aequo"]) for r in doc["ranked"]] == [
        ("A1", 1, False), ("A2", 2, True), ("A3", 2, True), ("A4", 4, True), ("A5", 4, True), ("A6", 6, True), ("A7", 6, True)]
    assert doc["finished"] == [{"id": "A8", "title": "Fermer la décharge", "status": "done"},
                               {"id": "A9", "title": "Abandonner le projet de piscine", "status": "cancelled"}]
    rows = list(csv.reader(io.StringIO(feuille("prioritise", ties, "--as-of", AS_OF, "--format", "csv").stdout.lstrip("\ufeff")), delimiter=";"))
    assert [(r[0], r[2]) for r in rows[1:8]] == [("1", "A1"), ("2", "A2"), ("2", "A3"), ("4", "A4"), ("4", "A5"), ("6", "A6"), ("6", "A7")]


LL = str(EXAMPLES / "la-louviere")


def test_the_example_plan_two_pairs_at_50_are_two_groups():
    """The issue's case: A1.4/A9.2 (3, 3, 3) and A1.6/A3.3 (3, 2, 4) all total 50: two pairs, not one four-way tie."""
    out = feuille("prioritise", LL, "--as-of", "2026-11-22", "--wide").stdout
    rows = [line[:12] for line in out.splitlines() if re.match(r"^(=| )?\d*\s+A\d", line)]
    assert rows[:3] == [" 1    A2.2  ", "=2    A4.1  ", "      A7.2  "]
    assert rows[13:17] == ["=14   A1.4  ", "      A9.2  ", "=16   A1.6  ", "      A3.3  "]
    assert rows[17:21] == ["=18   A10.1 ", "      A6.3  ", "      A8.2  ", "      A9.1  "]
    assert "Hors classement : actions terminées ou abandonnées (5)" in out


@pytest.mark.parametrize("method", ["weighted", "wsjf"])
def test_explain_shows_the_tables_total(method):
    """--explain showed 83,33 where the table showed 83,3: one rounding for both (views/ranking.total_text)."""
    doc = json.loads(feuille("prioritise", LL, "--as-of", "2026-11-22", "--method", method, "--format", "json").stdout)
    table = feuille("prioritise", LL, "--as-of", "2026-11-22", "--method", method, "--wide").stdout
    totals = {}
    for line in table.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        found = [i for i, c in enumerate(cells) if re.fullmatch(r"=?\d* ?A\d+\.\d+", c)]
        if found and len(cells) > found[0] + 5:
            totals[cells[found[0]].split()[-1]] = cells[found[0] + 5]
    assert len(totals) == len(doc["ranked"])
    for record in doc["ranked"][:4]:
        explained = feuille("prioritise", LL, "--as-of", "2026-11-22", "--method", method, "--explain", record["id"], "--wide").stdout
        assert re.search(rf", Total {totals[record['id']]}$", explained, re.M), (record["id"], totals[record["id"]], explained)
    first = feuille("prioritise", LL, "--as-of", "2026-11-22", "--explain", "A4.2", "--wide").stdout
    assert "Juste au-dessus : =2. A7.2 Réduire la consommation énergétique des bâtiments… (Total 83,3, écart 8,3)" in first


def test_the_site_writes_each_tie_once_and_lists_finished_actions(ties, tmp_path):
    out = tmp_path / "site"
    result = feuille("render", ties, "--out", out, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    html = (out / "priorities.html").read_text(encoding="utf-8")
    cells = re.findall(r'<tr>(<td class="num"(?: rowspan="\d")?>[^<]*</td>)?<th scope="row"><a href="actions/(A\d+)\.html">', html)
    assert cells == [('<td class="num">1</td>', "A1"), ('<td class="num" rowspan="2">=2</td>', "A2"), ("", "A3"),
                     ('<td class="num" rowspan="2">=4</td>', "A4"), ("", "A5"), ('<td class="num" rowspan="2">=6</td>', "A6"), ("", "A7")]
    assert "<h2>Hors classement : actions terminées ou abandonnées</h2>" in html
    assert '<li><a href="actions/A9.html">A9</a> Abandonner le projet de piscine — annulée</li>' in html
    assert "Étudier un tram — manque : retour" in html  # the criterion in the reader's words, not « roi »


def test_mark_priority_never_splits_a_tie(ties):
    """--mark-priority 2 with a shared second place writes rank 2 into both items of the tie (not into one of them)."""
    result = feuille("prioritise", ties, "--as-of", AS_OF, "--mark-priority", "2")
    assert result.returncode == 0, result.stderr
    text = (ties / "objectives" / "01.yaml").read_text(encoding="utf-8")
    assert "{id: A1, title: Rénover la place, stake: 5, urgency: 5, roi: 5, priority: 1}" in text
    assert "{id: A2, title: Planter des arbres, stake: 4, urgency: 4, roi: 4, priority: 2}" in text
    assert "{id: A3, title: Créer un parc, stake: 4, urgency: 4, roi: 4, priority: 2}" in text
    assert "A4, title: Éclairer les rues, stake: 4, urgency: 3, roi: 2}" in text
