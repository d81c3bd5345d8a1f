"""io/yamlread.read: values by the YAML 1.2 core schema, and each problem with its line, column and YAML path
(the reader works the path out only when it reports a problem: these pin it at each depth)."""

from __future__ import annotations

import math

from feuille.io.yamlread import ReadProblem, read


def test_plain_scalars_follow_the_core_schema() -> None:
    text = ("a: 12\nb: -3\nc: +4\nd: 1.5\ne: 1e3\nf: 0o17\ng: 0x1F\nh: .inf\ni: -.Inf\nj: 2025-01-31\nk: 1234-5\n"
            "l: no\nm: True\nn: FALSE\no: ~\np: null\nq: ''\nr: '12'\ns: !!str 12\nt: ! 12\nu: 0123\nv: .5\nw: 1.\nx: -a\ny: +.inf\n")
    value, problems = read(text)
    assert problems == []
    nan = read("z: .NaN\n")[0]["z"]
    assert math.isnan(nan)
    assert value == {"a": 12, "b": -3, "c": 4, "d": 1.5, "e": 1000.0, "f": 15, "g": 31, "h": math.inf, "i": -math.inf,
                     "j": "2025-01-31", "k": "1234-5", "l": "no", "m": True, "n": False, "o": None, "p": None, "q": "",
                     "r": "12", "s": "12", "t": "12", "u": 123, "v": 0.5, "w": 1.0, "x": "-a", "y": math.inf}
    assert [type(value[k]) for k in "jklrst"] == [str] * 6


def test_keys_that_are_not_text_become_text() -> None:
    value, problems = read("1: a\ntrue: b\nnull: c\n1.5: d\n2025-01-01: e\n")
    assert problems == []
    assert value == {"1": "a", "true": "b", "null": "c", "1.5": "d", "2025-01-01": "e"}


def test_problems_name_the_path_at_each_depth() -> None:
    text = ("top: !foo 1\n"  # a tag on a mapping's value
            "list:\n"
            "  - x\n"
            "  - !bar y\n"  # ... on a list's item
            "  - {a: 1, a: 2}\n"  # a duplicate key inside a list's item
            "deep:\n"
            "  inner:\n"
            "    - [1, !baz 2]\n"  # ... deeper
            "    - ? [k]\n"  # a key that is a list
            "      : v\n"
            "top: 3\n")
    value, problems = read(text)
    assert problems == [
        ReadProblem("tag", 1, 6, detail="!foo", path=("top",)),
        ReadProblem("tag", 4, 5, detail="!bar", path=("list", 1)),
        ReadProblem("duplicate", 5, 12, detail="a", path=("list", 2)),
        ReadProblem("tag", 8, 11, detail="!baz", path=("deep", "inner", 0, 1)),
        ReadProblem("key", 9, 9, path=("deep", "inner", 1)),
        ReadProblem("duplicate", 11, 1, detail="top"),
    ]
    assert value == {"top": None, "list": ["x", None, {"a": 1}], "deep": {"inner": [[1, None], {}]}}  # a tagged value is not read; the first « a » and « top » kept


def test_anchors_and_aliases_give_the_same_values() -> None:
    value, problems = read("a: &x [1, {b: 2}]\nc: *x\nd: &y text\ne: *y\n")
    assert problems == []
    assert value == {"a": [1, {"b": 2}], "c": [1, {"b": 2}], "d": "text", "e": "text"}


def test_a_tag_on_a_container_and_a_second_document() -> None:
    value, problems = read("a: !thing {b: 1}\n")
    assert problems == [ReadProblem("tag", 1, 4, detail="!thing", path=("a",))]
    assert value == {"a": {"b": 1}}  # a tagged mapping is read
    assert read("a: 1\n---\nb: 2\n") == (None, [ReadProblem("multi", 2, 1)])
    assert read("") == (None, [ReadProblem("empty")])
