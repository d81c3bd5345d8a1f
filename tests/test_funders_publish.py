"""Totals « par financeur » on the site and in the reports (issue 22 item 4): each funder, its amount and its share of the
planned budget, then the own funds; a funder only a withheld budget line names never reaches a public page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from _cli import feuille
from feuille import pipeline
from feuille.compute.audience import publish
from feuille.compute.rollup import Budget, funding
from feuille.core.model import Audience, BudgetLine

AS_OF = "2026-07-01"
DAY = dt.date(2026, 7, 1)
A14 = Path("objectives") / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"
FUNDED = "funders: [{name: Région wallonne, amount: 25000}]}"


class _Funders(HTMLParser):
    """The rows of every ``<table class="data funders">`` of a page: [(name, amount, share)]."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, ...]] = []
        self._in_table = self._in_body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._in_table = "funders" in (dict(attrs).get("class") or "").split()
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).replace("\u202f", " ").replace("\xa0", " ").split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(tuple(self._row))
            self._row = None
        elif tag == "table":
            self._in_table = self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def funders_of(page: Path) -> list[tuple[str, ...]]:
    parser = _Funders()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.rows


def money(amount: Decimal) -> str:
    return f"{int(amount):,}".replace(",", " ") + " €"


def planned(plan: Path, audience: Audience = Audience.public) -> Decimal:
    loaded = pipeline.load_path(plan, DAY, options=pipeline.LoadOptions(use_cache=False))
    return publish(loaded.plan, audience, DAY).rollup.budget.planned


def test_the_site_and_the_reports_show_the_funder_and_the_own_funds(plan: Path, tmp_path: Path) -> None:
    total = planned(plan)
    own = money(total - 25000)
    assert feuille("render", plan, "--out", tmp_path / "s", "--as-of", AS_OF).returncode == 0
    index = funders_of(tmp_path / "s" / "index.html")
    assert index == [("Région wallonne", "25 000 €", "1 %"), ("Fonds propres (sans financeur)", own, "99 %")]
    o1 = funders_of(tmp_path / "s" / "objectives" / "O1.html")  # A1.4 is filed under O1
    assert o1[0][:2] == ("Région wallonne", "25 000 €") and o1[-1][0] == "Fonds propres (sans financeur)"
    assert funders_of(tmp_path / "s" / "objectives" / "O2.html") == []  # no line of O2 names a funder: no table
    term = tmp_path / "term.html"
    assert feuille("report", "term", "--plan", plan, "-o", term, "--as-of", AS_OF).returncode == 0
    assert funders_of(term) == index
    annual = tmp_path / "annual.html"  # A1.4's funded line is of 2027
    assert feuille("report", "annual", "--year", "2027", "--plan", plan, "-o", annual, "--as-of", AS_OF).returncode == 0
    rows = funders_of(annual)
    assert rows[0] == ("Région wallonne", "25 000 €", "2 %") and rows[1][0] == "Fonds propres (sans financeur)"
    before = tmp_path / "annual-2025.html"
    assert feuille("report", "annual", "--year", "2025", "--plan", plan, "-o", before, "--as-of", AS_OF).returncode == 0
    assert funders_of(before) == []  # no line of 2025 names a funder


def test_the_markdown_pages_and_reports_show_them_too_in_english(plan: Path, tmp_path: Path) -> None:
    assert feuille("render", plan, "--out", tmp_path / "m", "--format", "md", "--as-of", AS_OF).returncode == 0
    index = (tmp_path / "m" / "index.md").read_text(encoding="utf-8").replace("\u202f", " ").replace("\xa0", " ")
    assert "| Financeur | Montant | Part du budget prévu |\n|---|---:|---:|\n| Région wallonne | 25 000 € | 1 % |\n" in index
    assert f"| Fonds propres (sans financeur) | {money(planned(plan) - 25000)} | 99 % |" in index
    out = tmp_path / "annual.md"
    assert feuille("report", "annual", "--year", "2027", "--plan", plan, "-o", out, "--format", "md", "--as-of", AS_OF,
                   "--lang", "en").returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "| Funder | Amount | Share of the planned budget |" in text and "| Région wallonne |" in text and "| Own funds (no funder) |" in text


def test_a_withheld_lines_funder_is_not_on_the_public_site(plan: Path, tmp_path: Path) -> None:
    path = plan / A14
    text = path.read_text(encoding="utf-8")
    assert FUNDED in text
    path.write_text(text.replace(FUNDED, "funders: [{name: Fonds ZORGLUB, amount: 25000}], visibility: council}"), encoding="utf-8")
    assert feuille("render", plan, "--out", tmp_path / "public", "--as-of", AS_OF).returncode == 0
    pages = [p for p in (tmp_path / "public").rglob("*") if p.suffix in (".html", ".json", ".csv", ".md")]
    assert pages and not [p for p in pages if "ZORGLUB" in p.read_text(encoding="utf-8")]
    # the amount still counts (the figures stay honest, compute/audience.py), under « non publié »
    assert funders_of(tmp_path / "public" / "index.html")[0] == ("non publié", "25 000 €", "1 %")
    assert feuille("render", plan, "--out", tmp_path / "council", "--audience", "council", "--as-of", AS_OF).returncode == 0
    assert funders_of(tmp_path / "council" / "index.html")[0] == ("Fonds ZORGLUB", "25 000 €", "1 %")


def test_funding_shares_and_own_funds() -> None:
    b = Budget()
    b.line(BudgetLine.model_validate({"amount": 1000, "year": 2026, "type": "expense", "funders": [{"name": "FEDER", "amount": 300},
                                                                                                    {"name": "Région", "amount": 500}]}))
    b.line(BudgetLine.model_validate({"amount": 800, "year": 2026, "type": "revenue", "funder": "État"}))
    f = funding(b)
    assert f is not None and b.funding == f
    assert [(r.name, r.amount, r.share) for r in f.funders] == [("État", 800, 80.0), ("Région", 500, 50.0), ("FEDER", 300, 30.0)]
    assert f.own == 0 and f.own_share == 0.0  # the funders give more than the planned expenses: no own funds, never below 0
    assert funding(Budget()) is None
    only_revenue = Budget()
    only_revenue.line(BudgetLine.model_validate({"amount": 800, "year": 2026, "type": "revenue", "funder": "État"}))
    f = funding(only_revenue)
    assert f is not None and f.funders[0].share is None and f.own == 0 and f.own_share is None  # nothing planned: no share
