"""Bounds everywhere (issue « Nothing lost, nothing executed »): amounts, sizes, encodings, special files, options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _cli import feuille
from feuille.core import bounds
from feuille.core.model import MAX_AMOUNT, Action, BudgetLine
from feuille.io import yamlread

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-07-01"
A14 = "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"


def _set_amount(plan, text: str) -> int:
    """Put ``text`` as the first budget amount of A1.4; returns its line number."""
    f = plan / A14
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if "amount:" in line:
            start = line.index("amount:") + len("amount:")
            end = line.index(",", start) if "," in line[start:] else len(line.rstrip("\n"))
            lines[i] = line[:start] + " " + text + line[end:]
            f.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError("no amount in A1.4")


# --- 4. money amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e28", "100000000000", "-5", "12.345", ".nan", ".inf", "-.inf", '"NaN"', '"Infinity"'])
def test_case4_a_wrong_amount_is_a_lint_error_at_its_line(plan, value):
    line = _set_amount(plan, value)
    result = feuille("lint", plan, "--format", "json", "--as-of", AS_OF)
    assert result.returncode == 1
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["file"].endswith("A1.4-mobilier-urbain.yaml")]
    assert found, result.stdout
    d = found[0]
    assert d["code"] in ("F203", "F206") and d["line"] == line and d["path"].endswith("amount")
    assert d["hint"] or d["code"] == "F206"


def test_case4_messages_say_what_and_how(plan):
    _set_amount(plan, "1e28")
    out = feuille("lint", plan, "--as-of", AS_OF).stdout
    assert "moins de 100 milliards" in out and "12500.50" in out
    _set_amount(plan, "12.345")
    out = feuille("lint", plan, "--as-of", AS_OF).stdout
    assert "deux décimales" in out and "Arrondissez" in out


@pytest.mark.parametrize("value", ["1e28", "12.345", ".nan", "-5"])
def test_case4_no_command_meets_such_an_amount(plan, tmp_path, value):
    _set_amount(plan, value)
    for args in (("status", plan), ("show", "A1.4", "--plan", plan), ("render", plan, "--out", tmp_path / "site"),
                 ("status", plan, "--format", "json")):
        result = feuille(*args, "--as-of", AS_OF)  # an exception fails the test with its traceback
        assert "erreur interne" not in result.stderr, args


def test_case4_the_largest_amounts_still_add_up():
    assert BudgetLine(amount="99999999999.99", year=2026).amount == MAX_AMOUNT - 1 / __import__("decimal").Decimal(100)
    assert Action(id="A", title="t", gain=0).gain == 0
    for v in (1e11, "1e11", 0.001):
        with pytest.raises(ValueError):
            BudgetLine(amount=v, year=2026)
    with pytest.raises(ValueError):
        BudgetLine(amount=1, spent=1e12, year=2026)


def test_case4_largest_amount_everywhere(plan, tmp_path):
    _set_amount(plan, "99999999999.99")
    assert feuille("lint", plan, "--as-of", AS_OF).returncode in (0, 1)
    for args in (("status", plan), ("show", "A1.4", "--plan", plan), ("render", plan, "--out", tmp_path / "site")):
        result = feuille(*args, "--as-of", AS_OF)
        assert result.returncode in (0, 1), result.stderr


# --- 5. unbounded work -------------------------------------------------------------------------------


def test_case5_keys_per_mapping_are_bounded():
    text = "id: O9\n" + "".join(f"k{i}: x\n" for i in range(yamlread.MAX_KEYS + 5))
    value, problems = yamlread.read(text)
    assert value is None and problems[0].kind == "keys" and problems[0].line == yamlread.MAX_KEYS + 1


def test_case5_items_and_values_are_bounded():
    value, problems = yamlread.read("- 1\n" * (yamlread.MAX_ITEMS + 1))
    assert value is None and problems[0].kind == "items"
    rows = yamlread.MAX_VALUES // 4
    text = "".join("- {a: 1, b: 2}\n" for _ in range(rows))  # 5 values a row
    value, problems = yamlread.read(text)
    assert value is None and problems[0].kind == "values"


def test_case5_lint_refuses_300000_unknown_keys_quickly_and_lightly(plan):
    body = "id: O99\ntitle: Gros fichier\n" + "".join(f"cle{i}: x\n" for i in range(300_000))
    (plan / "objectives" / "99-gros.yaml").write_text(body, encoding="utf-8")
    peak = plan.parent / "peak"
    # The child's own peak memory, read by itself as it exits (VmHWM, Linux): the rusage the parent gets also counts
    # the pages the child shared with the test process before exec (ru_maxrss then says the test worker's size).
    # (the file named before sys.argv is the command's: sys.argv[2] is then the plan folder; a normal exit writes it too)
    code = ("import os, sys\nfrom feuille.cli import main\nexit_ = os._exit\ntarget = sys.argv[2]\n\n"
            "def peak():\n"
            "    if os.path.exists('/proc/self/status'):\n"
            "        open(target, 'w').write(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n\n"
            "def _exit(code):\n"
            "    peak()\n"
            "    exit_(code)\n\n"
            "os._exit = _exit\nsys.argv = ['feuille', 'lint', sys.argv[1], '--no-cache']\n"
            "try:\n    main()\nfinally:\n    peak()\n")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(plan), str(peak)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)  # (output is a few lines: no pipe fills)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = proc.stdout.read()
    proc.stdout.close()
    elapsed = time.perf_counter() - start
    assert proc.returncode == 1
    assert "F104" in stdout and "10000 clés" in stdout
    rss_kb = int(peak.read_text())
    cpu = usage.ru_utime + usage.ru_stime  # the child's own work: a loaded machine stretches the wall clock, not this
    assert cpu < 4 and rss_kb < 300 * 1024, (cpu, elapsed, rss_kb)


def test_case5_schema_problems_are_capped_per_file(plan):
    body = "id: O99\ntitle: Beaucoup de fautes\n" + "".join(f"cle{i}: x\n" for i in range(5_000))
    (plan / "objectives" / "99-fautes.yaml").write_text(body, encoding="utf-8")
    result = feuille("lint", plan, "--format", "json", "--as-of", AS_OF)
    mine = [d for d in json.loads(result.stdout)["diagnostics"] if d["file"].endswith("99-fautes.yaml")]
    assert sum(d["code"].startswith("F2") for d in mine) == 50
    [summary] = [d for d in mine if d["code"] == "F105"]
    assert "4950 autres problèmes" in summary["message"] and "relancez" in summary["hint"]


# --- 6. encodings and special files --------------------------------------------------------------------


def _odd_names(plan):
    bad = os.fsdecode(b"77-\xff.yaml")
    (plan / "objectives" / bad).write_text("id: O77\ntitle: Nom en Latin-1\ninconnu: 1\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_case6_a_file_name_that_is_not_utf8_never_crashes_lint(plan, tmp_path, fmt):
    _odd_names(plan)
    out = tmp_path / f"report.{fmt}"
    result = feuille("lint", plan, "--format", fmt, "-o", out, "--as-of", AS_OF)
    assert result.returncode == 1
    written = out.read_text(encoding="utf-8")
    assert "77-" in written
    if fmt in ("json", "sarif"):
        doc = json.loads(written)
        if fmt == "sarif":
            uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"] for loc in r["locations"]]
            assert any(u.endswith("77-%FF.yaml") for u in uris)
    result = feuille("lint", plan, "--format", fmt, "--as-of", AS_OF)
    assert result.returncode == 1


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("command", ["status", "lint"])
def test_case6_a_narrow_console_never_crashes_once_streams_are_safe(plan, encoding, command):
    _odd_names(plan)
    code = ("import sys\nfrom feuille.io.console import safe_streams\nsafe_streams()\nfrom feuille.cli import main\n"
            f"sys.argv = ['feuille', {command!r}, sys.argv[1], '--as-of', {AS_OF!r}]\nmain()\n")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    proc = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, env=env, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    assert b"erreur interne" not in proc.stderr and b"Traceback" not in proc.stderr


def test_case6_printable_names():
    from feuille.io.console import printable, uri_path

    name = os.fsdecode(b"s\xe9curit\xe9.yaml")
    assert printable(name) == "s\\xe9curit\\xe9.yaml"
    assert printable("sécurité.yaml") == "sécurité.yaml"
    assert uri_path(name) == "s%E9curit%E9.yaml"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_case6_a_fifo_is_skipped_not_waited_for(plan):
    os.mkfifo(plan / "objectives" / "zz.yaml")
    code = "import sys\nfrom feuille.cli import main\nsys.argv = ['feuille', 'lint', sys.argv[1]]\nmain()\n"
    proc = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, text=True, timeout=30)
    assert "zz.yaml" in proc.stdout and "F111" in proc.stdout and proc.returncode == 0  # a warning: skipped, not waited for


# --- 7. numbers on the command line --------------------------------------------------------------------


@pytest.mark.parametrize("year", [0, -5, 10000, 1899, 2201])
def test_case7_years_out_of_the_calendar_are_refused_in_french(year):
    with pytest.raises(ValueError) as exc:
        bounds.check_year(year)
    assert "--year" in str(exc.value) and "1900" in str(exc.value) and "2026" in str(exc.value)


@pytest.mark.parametrize("days", [-1, 999_999_999_999, bounds.MAX_DAYS + 1])
def test_case7_windows_out_of_the_calendar_are_refused_in_french(days):
    with pytest.raises(ValueError) as exc:
        bounds.check_days(days)
    assert "--due-within" in str(exc.value) and "jours" in str(exc.value)


def test_case7_sensible_values_pass_and_stay_in_the_calendar():
    import datetime as dt

    assert bounds.check_year(2026) == 2026 and bounds.check_days(0) == 0
    assert dt.date(2200, 12, 31) + dt.timedelta(days=bounds.check_days(bounds.MAX_DAYS)) < dt.date.max
    with pytest.raises(ValueError):
        bounds.check_year(True)


# --- issue 20, item 4: every number of the model has a bound, said like amounts -----------------------


def _numeric_fields():
    """(model, field name) for every number a plan file can hold, found by walking the model."""
    import datetime as dt
    import typing
    from decimal import Decimal

    from pydantic import BaseModel

    from feuille.core.model import FILE_MODELS

    def leaves(annotation):
        if typing.get_origin(annotation) is typing.Annotated:
            yield from leaves(typing.get_args(annotation)[0])
        elif typing.get_args(annotation):
            for arg in typing.get_args(annotation):
                yield from leaves(arg)
        else:
            yield annotation

    seen, out, todo = set(), [], list(FILE_MODELS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            for leaf in leaves(info.annotation) if typing.get_args(info.annotation) else [info.annotation]:
                if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                    todo.append(leaf)
                elif leaf in (int, float, Decimal) and leaf is not bool and leaf is not dt.date:
                    out.append((model, name))
    return sorted(set(out), key=lambda mn: (mn[0].__name__, mn[1]))


def test_item4_every_number_of_the_model_has_a_declared_bound():
    from feuille.checks.schema_errors import bound_at

    fields = _numeric_fields()
    names = {f"{m.__name__}.{n}" for m, n in fields}
    assert {"Indicator.target", "Indicator.baseline", "Measurement.value", "Action.priority", "Action.weight", "Action.fte",
            "Weights.stake", "BudgetLine.year", "Settings.stale_after_days", "PrioritySettings.urgency_days",
            "Action.sdgs", "Settings.status_progress"} <= names
    unbounded = [f"{m.__name__}.{n}" for m, n in fields if bound_at(m, (n,)) is None]
    assert not unbounded, unbounded


def test_item4_the_bounds_are_checked_by_the_model():
    from feuille.core.model import MAX_MEASURE, Action, Indicator, Measurement

    assert Indicator(label="x", target=MAX_MEASURE, baseline=-MAX_MEASURE).target == MAX_MEASURE
    for bad in ({"target": 1e27}, {"baseline": -1e13}, {"target": float("nan")}, {"target": float("inf")}):
        with pytest.raises(ValueError):
            Indicator(label="x", **bad)
    with pytest.raises(ValueError):
        Measurement(date="2026-01-01", value=10**400)
    for bad in ({"priority": 10**400}, {"priority": 0}, {"weight": 1e400}, {"fte": 10**6}, {"sdgs": [18]}):
        with pytest.raises(ValueError):
            Action(id="A", title="t", **bad)


def _set_line(plan, rel, old, new) -> int:
    f = plan / rel
    text = f.read_text(encoding="utf-8")
    assert old in text, old
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


A11 = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"


@pytest.mark.parametrize(("old", "new", "key", "message", "hint"), [
    ("    target: 120", "    target: 1e27", "target",
     "Le champ cible (target) doit être une valeur comprise entre moins mille milliards et mille milliards, pas le nombre 1e+27.",
     "Écrivez la valeur en chiffres, dans l'unité de l'indicateur, sans exposant, par exemple 120 ou 12.5."),
    ("    baseline: 0", "    baseline: -100000000000000000000000000000", "baseline",
     "Le champ valeur de départ (baseline) doit être une valeur comprise entre moins mille milliards et mille milliards, pas le nombre -1e+29.", None),
    ("tags: [", "priority: 10000000000000000000000000000000000\ntags: [", "priority",
     "Le champ priorité (priority) doit être un rang de 1 à 1 000 000, pas le nombre 1e+34.",
     "Écrivez le rang en nombre entier, 1 pour la première priorité, par exemple 3."),
    ("tags: [", "weight: 1e300\ntags: [", "weight", "Le champ poids (weight) doit être un poids de 0 à 1 000 000, pas le nombre 1e+300.", None),
    ("tags: [", "fte: 1000000\ntags: [", "fte", "Le champ équivalents temps plein (fte) doit être un nombre d'équivalents temps plein de 0 à 100 000, pas le nombre 1000000.", None),
])
def test_item4_a_number_out_of_bounds_is_a_lint_error_worded_like_amounts(plan, old, new, key, message, hint):
    _set_line(plan, A11, old, new)
    line = next(i for i, text in enumerate((plan / A11).read_text(encoding="utf-8").splitlines(), 1) if text.strip().startswith(f"{key}:"))
    result = feuille("lint", plan, "--format", "json", "--as-of", AS_OF)
    assert result.returncode == 1
    [d] = [d for d in json.loads(result.stdout)["diagnostics"] if d["file"].endswith("A1.1-cadastre-lieux.yaml")]
    assert (d["code"], d["path"].rsplit(".", 1)[-1], d["message"].replace("\u202f", " "), d["line"]) == ("F206", key, message, line)
    if hint:
        assert d["hint"] == hint


def test_item4_a_settings_count_out_of_bounds(plan):
    _set_line(plan, "plan.yaml", "title:", "settings: {stale_after_days: 99999999999999}\ntitle:")
    result = feuille("lint", plan, "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 1
    assert "The field days before an action is stale (stale_after_days) must be a number of days from 1 to 36,600, not the number 99999999999999." in result.stdout
    assert "hint: Write a whole number of days, e.g. 180." in result.stdout


@pytest.mark.parametrize("value", ["1e12", "-1e12", "0.000001"])
def test_item4_the_largest_indicator_values_go_through_every_command(plan, tmp_path, value):
    _set_line(plan, A11, "    target: 120", f"    target: {value}")
    _set_line(plan, A11, "    baseline: 0", "    baseline: -1e12")
    assert feuille("lint", plan, "--as-of", AS_OF).returncode == 0
    for args in (("show", "A1.1", "--plan", plan), ("status", plan), ("render", plan, "--out", tmp_path / "site"),
                 ("export", plan, "-f", "xlsx", "-o", tmp_path / "x.xlsx"), ("report", "term", "--plan", plan)):
        result = feuille(*args, "--as-of", AS_OF)
        assert result.returncode == 0, (args, result.stderr)


@pytest.mark.parametrize(("args", "expected"), [
    (("--set", "priority=1e400"), "feuille : A1.1 : valeur refusée pour « priorité » : Le champ priorité (priority) doit être un rang de 1 à 1 000 000, "
                                  "pas le nombre 1e+400.\n  Écrivez le rang en nombre entier, 1 pour la première priorité, par exemple 3.\n"),
    (("--set", "weight=1e400"), "Le champ poids (weight) doit être un poids de 0 à 1 000 000, pas le nombre 1e+400."),
    (("--set", "fte=-1"), "Le champ équivalents temps plein (fte) doit être un nombre d'équivalents temps plein de 0 à 100 000, pas le nombre -1."),
    (("--measure", "1=1e20"), "Le champ avancement (value) doit être une valeur comprise entre moins mille milliards et mille milliards, pas le nombre 1e+20."),
])
def test_item4_update_refuses_a_number_out_of_bounds_with_the_lint_words(plan, args, expected):
    before = (plan / A11).read_bytes()
    result = feuille("update", "A1.1", "--plan", plan, *args, "--as-of", AS_OF)
    assert result.returncode == 2
    assert expected in result.stderr.replace("\u202f", " ")
    assert (plan / A11).read_bytes() == before


def test_item4_update_refuses_a_spent_amount_out_of_bounds(plan):
    result = feuille("update", "A1.4", "--plan", plan, "--spent", "2025=1e20", "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 2
    assert "The field amount spent (spent) must be an amount below 100 billion, 0 or more, not the number 1e+20." in result.stderr
