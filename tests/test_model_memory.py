"""Models read back built (io/built.py) share what they would otherwise each hold: one set of field names per distinct
set (core/model.FieldsSet) and one read-only empty list (core/model.EMPTY); changing a model never changes another."""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLE
from feuille import pipeline
from feuille.core.model import EMPTY, Action, FieldsSet, Objective, shared_fields
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
