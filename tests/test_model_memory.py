"""Models read back built (io/built.py) share what they would otherwise each hold: one set of field names per distinct
set (core/model.FieldsSet) and one read-only empty list (core/model.EMPTY); changing a model never changes another."""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLE
from feuille import pipeline
from feuille.compute.rollup import Budget
from feuille.core.model import EMPTY, Action, BudgetLine, FieldsSet, Objective, shared_fields
from feuille.io import built

DAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example plan whose files are out of the parse cache's racy window, and its cache folder."""
    root = tmp_path_factory.mktemp("memory")
    plan, cache = root / "ll", root / "cache"
    shutil.copytree(EXAMPLE, plan)
    old = time.time() - 60
    for path in [plan, *plan.rglob("*")]:
        os.utime(path, (old, old))
    time.sleep(2.1)  # the copy's ctime out of the racy window: the parse cache trusts the files' stat
    return plan, cache


def _load(warm: tuple[Path, Path], **options: object) -> pipeline.Loaded:
    plan, cache = warm
    return pipeline.load_path(plan, DAY, options=pipeline.LoadOptions(cache_dir=cache, **options))  # type: ignore[arg-type]


def _models(loaded: pipeline.Loaded) -> list[object]:
    out, stack = [], list(loaded.plan.objectives)
    while stack:
        m = stack.pop()
        out.append(m)
        for v in m.__dict__.values():
            if isinstance(v, list):
                stack.extend(x for x in v if hasattr(x, "__pydantic_fields_set__"))
            elif hasattr(v, "__pydantic_fields_set__"):
                stack.append(v)
    return out


def _dumps(loaded: pipeline.Loaded) -> list[dict[str, object]]:
    return [o.model_dump(mode="json") for o in loaded.plan.objectives]


@pytest.fixture(scope="module")
def runs(warm: tuple[Path, Path]) -> tuple[pipeline.Loaded, pipeline.Loaded, pipeline.Loaded]:
    """The plan parsed (a cold run), then validated from the parse cache and kept built, then read back built."""
    cold = _load(warm)
    second = _load(warm)
    third = _load(warm)
    assert cold.parsed and not second.parsed and not third.parsed
    return cold, second, third


def test_models_read_back_share_one_set_of_field_names_per_distinct_set_and_one_empty_list(runs):
    cold, second, third = runs
    fresh = pipeline.load_path(EXAMPLE, DAY, options=pipeline.LoadOptions(use_cache=False))
    for loaded in (second, third):  # the run that kept the files holds them as the next one reads them back
        assert _dumps(loaded) == _dumps(cold) == _dumps(fresh)
        actions = [a for a, _o in loaded.plan.actions()]
        assert len(actions) == 26
        sets = {id(a.__pydantic_fields_set__) for a in actions}
        assert all(type(a.__pydantic_fields_set__) is FieldsSet for a in actions)
        assert len(sets) == len({frozenset(a.model_fields_set) for a in actions}) < len(actions)
        for a in actions:
            assert a.__pydantic_fields_set__ is shared_fields(frozenset(a.model_fields_set))
            empties = [k for k, v in a.__dict__.items() if isinstance(v, list) and not v]
            assert empties and all(a.__dict__[k] is EMPTY for k in empties)
        # an objective's lists are its own: the loader fills them (a folder's actions, sub-objectives)
        for o in loaded.plan.objectives:
            assert type(o.actions) is list and type(o.objectives) is list
        assert [[m.model_dump() for m in _models(loaded)]] == [[m.model_dump() for m in _models(fresh)]]
    fresh_actions = {a.id: a for a, _o in fresh.plan.actions()}
    for a, _o in third.plan.actions():
        assert a == fresh_actions[a.id]
        assert a.model_dump(exclude_unset=True) == fresh_actions[a.id].model_dump(exclude_unset=True)
        assert a.model_dump_json(exclude_unset=True) == fresh_actions[a.id].model_dump_json(exclude_unset=True)


def test_a_model_read_back_is_changed_on_its_own(warm, runs):
    actions = [a for a, _o in _load(warm).plan.actions()]
    a, b = next((a, b) for a in actions for b in actions if a is not b and a.__pydantic_fields_set__ is b.__pydantic_fields_set__)
    shared = a.__pydantic_fields_set__
    before = set(shared)
    assert "progress" not in before or "health_note" not in before
    name = "health_note" if "health_note" not in before else "progress"
    setattr(a, name, "Retard" if name == "health_note" else 50.0)
    assert name in a.model_fields_set and type(a.__pydantic_fields_set__) is set
    assert b.__pydantic_fields_set__ is shared and set(shared) == before and name not in b.model_fields_set
    # a copy has sets and lists of its own
    c = b.model_copy(update={"partners": ["Belle-Ville asbl"], "priority": 3})
    assert {"partners", "priority"} <= c.model_fields_set and not {"partners", "priority"} <= b.model_fields_set
    assert set(shared) == before
    for dup in (copy.copy(b), copy.deepcopy(b), pickle.loads(pickle.dumps(b))):
        assert dup == b
        assert type(dup.__pydantic_fields_set__) is set
        dup.__pydantic_fields_set__.add("priority")
        assert "priority" not in shared
    empty = next(k for k, v in b.__dict__.items() if v is EMPTY)
    assert type(copy.copy(b.__dict__[empty])) is list and type(pickle.loads(pickle.dumps(b.__dict__[empty]))) is list


def test_the_shared_empty_list_and_sets_refuse_to_change(runs):
    _cold, _second, third = runs
    action = next(a for a, _o in third.plan.actions() if a.territories is EMPTY)
    for change in (lambda: action.territories.append("Centre"), lambda: action.territories.extend(["Centre"]),
                   lambda: action.territories.insert(0, "Centre"), lambda: action.territories.__setitem__(slice(0, 0), ["Centre"]),
                   lambda: action.territories.__iadd__(["Centre"]), lambda: action.__pydantic_fields_set__.add("x"),
                   lambda: action.__pydantic_fields_set__.update({"x"}), lambda: action.__pydantic_fields_set__.discard("id"),
                   lambda: action.__pydantic_fields_set__.clear()):
        with pytest.raises(TypeError, match="read-only"):
            change()
    assert EMPTY == [] and len(EMPTY) == 0 and "x" not in action.model_fields_set and "id" in action.model_fields_set
    assert action.territories + ["Centre"] == ["Centre"] and [*action.territories, "Centre"] == ["Centre"]


def test_the_built_file_holds_each_distinct_set_of_field_names_once():
    a1 = Action.model_validate({"id": "A1", "title": "Un", "tags": ["x"]})
    a2 = Action.model_validate({"id": "A2", "title": "Deux", "tags": ["y"]})
    o = Objective.model_validate({"id": "O1", "title": "Objectif"})
    o.__dict__["actions"] = [a1, a2]
    back = built.loads(built.dumps(o))
    b1, b2 = back.actions
    assert b1.__pydantic_fields_set__ is b2.__pydantic_fields_set__ is shared_fields(frozenset({"id", "title", "tags"}))
    assert b1.partners is EMPTY and b1.budget is EMPTY and type(back.objectives) is list and back.objectives is not EMPTY
    assert back == o and built.loads(built.dumps(back)) == o  # read back, pickled again: the same


def test_commands_that_write_after_warm_runs_write_the_same_as_a_cold_run(plan, tmp_path):
    """``update`` adds a partner, a territory and a deadline move to an action whose lists are read back shared and
    empty (its status read three times before: the third takes every file built)."""
    other = tmp_path / "other"
    shutil.copytree(plan, other)
    old = time.time() - 60
    for path in [plan, *plan.rglob("*")]:
        os.utime(path, (old, old))
    time.sleep(2.1)  # out of the racy window: the warm runs take the files built
    args = ("update", "A1.1", "--partner", "Belle-Ville asbl", "--set", "territories=Centre", "--planned-end", "2027-12-31",
            "--reason", "Retard du fournisseur", "--as-of", "2026-06-30")
    for _ in range(3):
        assert feuille("status", str(plan), env={"FEUILLE_RESULT_CACHE": "off"}).returncode in (0, 1)
    loaded = pipeline.load_path(plan, DAY)
    assert not loaded.parsed and any(a.territories is EMPTY for a, _o in loaded.plan.actions())
    r = feuille(*args, "--plan", str(plan))
    r2 = feuille(*args, "--plan", str(other), env={"FEUILLE_CACHE_DIR": str(tmp_path / "cold-cache")})
    assert r.returncode == r2.returncode == 0, r.stderr + r2.stderr
    assert r.stdout.replace(str(plan), "PLAN") == r2.stdout.replace(str(other), "PLAN") and "Belle-Ville asbl" in r.stdout
    for path in sorted(other.rglob("*.yaml")):
        assert (plan / path.relative_to(other)).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    written = (plan / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml").read_text(encoding="utf-8")
    assert "Centre" in written and "Belle-Ville asbl" in written and "Retard du fournisseur" in written
    status = feuille("status", str(plan), "--format", "json", "--as-of", "2026-06-30").stdout.replace(str(plan), "PLAN")
    cold = feuille("status", str(other), "--format", "json", "--as-of", "2026-06-30", env={"FEUILLE_CACHE_DIR": str(tmp_path / "cold-cache")})
    assert status == cold.stdout.replace(str(other), "PLAN")


_SIZES = """
import datetime as dt, sys
from pathlib import Path
from feuille import pipeline
from feuille.core.model import BudgetLine
loaded = pipeline.load_path(Path(sys.argv[1]), dt.date(2026, 6, 30), options=pipeline.LoadOptions(cache_dir=Path(sys.argv[2])))
lines = [line for a, _o in loaded.plan.actions() for line in a.budget]
fresh = BudgetLine.model_validate(lines[0].model_dump())
print(len(lines), bool(loaded.parsed), max(sys.getsizeof(line.__dict__) for line in lines), sys.getsizeof(fresh.__dict__))
"""


def test_models_of_few_fields_read_back_share_the_keys_of_their_dicts(warm, runs):
    """A budget line (13 fields) read back built by a command holds its fields in a key-sharing dict (Python's, for
    at most 30 keys): smaller than the dict of a validated one (~280 bytes, not 464), the same model in every other way."""
    import subprocess

    plan, cache = warm
    out = subprocess.run([sys.executable, "-c", _SIZES, str(plan), str(cache)], capture_output=True, text=True, check=True).stdout.split()
    count, parsed, largest, validated = int(out[0]), out[1], int(out[2]), int(out[3])
    assert count > 10 and parsed == "False" and largest < validated
    cold, _second, third = runs
    fresh = {a.id: a.budget for a, _o in cold.plan.actions()}
    for a, _o in third.plan.actions():
        assert a.budget == fresh[a.id] and [x.model_dump_json() for x in a.budget] == [x.model_dump_json() for x in fresh[a.id]]
        assert all(list(x.__dict__) == list(y.__dict__) for x, y in zip(a.budget, fresh[a.id], strict=True))
    line = next(x for a, _o in third.plan.actions() for x in a.budget)
    changed = line.model_copy(update={"spent": Decimal("12.50")})
    line.note = "une note"  # assigned: its own set of field names, its dict takes the value
    assert changed.spent == Decimal("12.50") and line.spent != Decimal("12.50") and "spent" in changed.model_fields_set
    assert "note" in line.model_fields_set and line.note == "une note" and line.model_dump()["note"] == "une note"


@pytest.mark.parametrize("text", ["12500.50", "7", "0", "0.00", "1E+3", "-0", "0.5", "9" * 30])
def test_a_total_of_one_amount_is_that_amount_digit_for_digit(text):
    """A budget's totals (planned, by year, by source) start from the first line's own amount when 0 + it is the same
    number digit for digit, else from that sum (-0 and 1E+3 give 0 and 1000, as before)."""
    line = BudgetLine.model_construct(amount=Decimal(text), year=2026, source="Région", funders=[], funder=None, type=None, spent=None)
    b = Budget()
    b.line(line)
    want = Decimal(0) + Decimal(text)
    for got in (b.planned, b.by_year[2026], b.by_source["Région"]):
        assert got.as_tuple() == want.as_tuple() and str(got) == str(want)
        assert (got is line.amount) == (want.as_tuple() == line.amount.as_tuple())
    b.line(line)
    assert str(b.planned) == str(want + Decimal(text)) and b.by_year[2026] is not line.amount


def test_budgets_without_funders_share_one_empty_read_only_total():
    a, b = Budget(), Budget()
    assert a.by_funder is b.by_funder and a.by_funder == {} and not a.by_funder
    with pytest.raises(TypeError, match="read-only"):
        a.by_funder["Région wallonne"] = Decimal(1)
    funded = BudgetLine.model_validate({"amount": 100, "year": 2026, "funder": "Région wallonne"})
    a.line(funded)
    assert a.by_funder == {"Région wallonne": Decimal(100)} and b.by_funder == {} and Budget().by_funder == {}
    b.add(a, Decimal("0.5"))
    c = Budget()
    c.add(a)
    assert b.by_funder == {"Région wallonne": Decimal(50)} and c.by_funder == a.by_funder and c.by_funder is not a.by_funder
    assert Budget().by_funder == {}
