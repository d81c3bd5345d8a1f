"""core/jsontext.dumps writes what json.dumps(value, ensure_ascii=False, indent=2) writes, on the commands' outputs and on odd values."""

from __future__ import annotations

import datetime as dt
import enum
import json

import pytest

from _cli import feuille
from feuille.core.jsontext import dumps


class Word(str, enum.Enum):
    quoted = 'a "word"'


class Rank(enum.IntEnum):
    one = 1


class Amount(float):
    pass


ODD = [
    {}, [], (), {"a": []}, (1, 2), [[[]]], {"k": {"k2": [1, {"z": 1.0}]}},
    {2: 2, 1.5: "x", True: None, False: True, None: False, "é": "ü\n\t\x00\u2028 ≠ «»"},
    float("nan"), float("inf"), -float("inf"), 1e300, -0.0, 0.1 + 0.2, 10**30, -7, True, False, None, "",
    Word.quoted, Rank.one, {Word.quoted: Rank.one, Rank.one: Word.quoted}, Amount(2.5), [Amount(1.0), Rank.one, Word.quoted],
]


@pytest.mark.parametrize("value", ODD + [ODD], ids=range(len(ODD) + 1))
def test_the_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_json_refuses_it_refuses_the_same_way():
    circular: list = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference detected"):
        dumps(circular)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"day": dt.date(2026, 1, 1)})
    with pytest.raises(TypeError, match="keys must be str"):
        dumps({(1, 2): 3})
    deep: list = []
    for _ in range(600):  # past this module's depth: json.dumps writes it
        deep = [deep]
    assert dumps(deep) == json.dumps(deep, ensure_ascii=False, indent=2)


def test_the_commands_json_is_json_dumps_text(plan):
    for args in (("status", str(plan), "--format", "json"), ("lint", str(plan), "--format", "json"), ("prioritise", str(plan), "--format", "json")):
        r = feuille(*args)
        assert r.returncode in (0, 1), r.stderr
        assert r.stdout == json.dumps(json.loads(r.stdout), ensure_ascii=False, indent=2) + "\n"
