"""`feuille status` and `feuille prioritise` fit the terminal: no line longer than the width; --wide gives every column."""

from __future__ import annotations

import pytest

from _cli import feuille
from _plans import EXAMPLES
from feuille.core.run import Terminal
from feuille.views.table import Step, Table, fit

LL = str(EXAMPLES / "la-louviere")
PS = str(EXAMPLES / "plan-strategique")
AS_OF = "2026-11-22"
COMMANDS = [
    ("status", LL), ("status", PS), ("status", LL, PS), ("status", LL, "--lang", "en"), ("status", PS, "--depth", "1"),
    ("prioritise", LL), ("prioritise", LL, "--lang", "en"), ("prioritise", PS, "--level", "objectives", "--method", "matrix"),
    ("prioritise", LL, "--method", "wsjf"),
]


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_line_is_longer_than_the_terminal(args, width):
    result = feuille(*args, "--as-of", AS_OF, env={"COLUMNS": str(width)})
    assert result.returncode == 0, result.stderr
    too_long = [line for line in result.stdout.splitlines() if len(line) > width]
    assert not too_long, f"{len(too_long)} line(s) wider than {width} columns:\n" + "\n".join(too_long)


def test_narrow_terminals_count_as_40_columns():
    result = feuille("status", LL, "--as-of", AS_OF, env={"COLUMNS": "20"})
    assert max(len(line) for line in result.stdout.splitlines()) <= 40


def test_columns_give_way_in_the_documented_order_and_say_so():
    at_80 = feuille("status", LL, "--as-of", AS_OF, env={"COLUMNS": "80"}).stdout
    at_120 = feuille("status", LL, "--as-of", AS_OF, env={"COLUMNS": "120"}).stdout
    wide = feuille("status", LL, "--as-of", AS_OF, "--wide", env={"COLUMNS": "80"}).stdout
    assert "█" not in at_80 and "Budget prévu  " not in at_80.split("Objectif", 1)[1].splitlines()[0]
    assert "Attendu" in at_80 and "État" in at_80  # the verdict and what is expected stay longest
    assert "Budget prévu" in at_120.split("Objectif", 1)[1].splitlines()[0] and "█" not in at_120
    assert "█" in wide and "terminées" in wide.split("Objectif", 1)[1] and max(len(line) for line in wide.splitlines()) > 120
    assert "Colonnes omises pour tenir en 80 colonnes" in at_80 and "--wide" in at_80
    assert "Colonnes omises" not in wide


def test_prioritise_keeps_the_total_and_drops_the_weight_ranges_first():
    at_80 = feuille("prioritise", LL, "--as-of", AS_OF, env={"COLUMNS": "80"}).stdout
    head = next(line for line in at_80.splitlines() if line.startswith("Rang"))
    assert "Total" in head and "Enjeu" in head and "En./Urg./Ret." not in head
    wide = feuille("prioritise", LL, "--as-of", AS_OF, "--wide", env={"COLUMNS": "80"}).stdout
    assert "En./Urg./Ret." in wide


def test_the_width_is_columns_else_the_terminals_else_80_and_wide_has_none():
    assert Terminal.of({}, tty=False, columns=None).width(False) == 80  # a file, a pipe: nothing says how wide
    assert Terminal.of({"COLUMNS": "100"}, tty=False, columns=None).width(False) == 100
    assert Terminal.of({"COLUMNS": "60"}, tty=True, columns=120).width(False) == 60
    assert Terminal.of({}, tty=True, columns=60).width(False) == 60
    assert Terminal.of({}, tty=True, columns=12).width(False) == 40
    assert Terminal.of({"COLUMNS": "100"}, tty=False, columns=None).width(True) is None


def test_fit_shortens_titles_before_dropping_a_column():
    table = Table(["Id", "Titre", "A", "B"], [["1", "x" * 60, "aaaa", "bbbb"]], title=1)
    keys = ["id", "title", "a", "b"]
    fit(table, keys, 50, [Step("a", "A")])
    assert keys == ["id", "title", "a", "b"] and table.total() <= 50 and table.rows[0][1].endswith("…")
    table = Table(["Id", "Titre", "A", "B"], [["1", "x" * 60, "a" * 30, "bbbb"]], title=1)
    keys = ["id", "title", "a", "b"]
    fit(table, keys, 50, [Step("a", "A")])
    assert keys == ["id", "title", "b"] and table.dropped == ["A"] and table.total() <= 50


def test_filters_are_described_as_typed_not_as_python():
    out = feuille("status", LL, "--as-of", AS_OF, "--late", "--due-within", "60").stdout
    assert "Filtre : --late, --due-within 60" in out and "True" not in out
