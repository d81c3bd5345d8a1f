"""The rows of the action tables kept across renders (io/rows.py, issue 27): a render into the folder of a previous
one takes each row whose key is the same from the cache folder, makes the others, and writes exactly the site a
full render writes; a damaged or foreign file is only rows made again; no kept row shows what the audience may not see.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
from pathlib import Path

import pytest
from _sites import files, render, same_as_full

from feuille.io import rows as rows_module
from feuille.io.cache import _secret
from feuille.io.rows import MAGIC, RowStore


def kept_file(out: Path, fmt: str = "md") -> Path:
    return RowStore(Path(os.environ["FEUILLE_CACHE_DIR"]), out, fmt)._path


def kept_rows(out: Path, fmt: str = "md") -> dict[str, str]:
    raw = kept_file(out, fmt).read_bytes()
    assert raw[:len(MAGIC)] == MAGIC
    return marshal.loads(raw[len(MAGIC) + 16:])


def retitle(plan: Path) -> None:
    """One action's title changed: its page and the pages listing actions are made again."""
    target = plan / "objectives" / "02-securite.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "title: Étendre le réseau de caméras de surveillance", "title: Étendre le réseau de caméras mobiles de surveillance", 1), encoding="utf-8")


@pytest.fixture
def counted(monkeypatch):
    """How many rows each render took from the cache folder and made."""
    seen = {"taken": 0, "made": 0}
    get, put = RowStore.get, RowStore.put

    def counting_get(self, key):
        found = get(self, key)
        seen["taken"] += found is not None
        return found

    def counting_put(self, key, text):
        seen["made"] += 1
        put(self, key, text)

    monkeypatch.setattr(RowStore, "get", counting_get)
    monkeypatch.setattr(RowStore, "put", counting_put)
    return seen


def test_html_rows_are_written_in_python_and_not_kept_but_the_priorities_rows(plan, tmp_path, counted):
    """An HTML action row of feuille's own templates is made faster than its key is worked out (views/sitefast.py): none
    kept; the priorities table's rows (a macro each) are, under the action's key and what the row shows of the ranking."""
    out = tmp_path / "site"
    render(plan, out, "-f", "html")
    rows = kept_rows(out, "html")
    ranked = (out / "priorities.html").read_text(encoding="utf-8").split("<tbody>")[1].split("</tbody>")[0]
    assert counted == {"taken": 0, "made": len(rows)} and len(rows) == ranked.count("<tr>") > 0
    assert all("/priority/" in key for key in rows)
    retitle(plan)
    counted.update(taken=0, made=0)
    render(plan, out, "-f", "html")
    made_again = {key: text for key, text in kept_rows(out, "html").items() if key not in rows}
    assert counted == {"taken": len(rows) - 1, "made": 1} and len(made_again) == 1
    assert all("A2.1" in text and "caméras mobiles" in text for text in made_again.values())
    same_as_full(plan, out, tmp_path, "-f", "html")


@pytest.mark.parametrize("fmt", ["md"])
def test_rows_are_kept_and_only_the_changed_action_s_rows_are_made_again(plan, tmp_path, counted, fmt):
    out = tmp_path / "site"
    render(plan, out, "-f", fmt)
    first = dict(counted)
    assert first["taken"] == 0 and first["made"] > 0
    rows = kept_rows(out, fmt)
    assert len(rows) == first["made"] and any("A2.1" in text for text in rows.values())

    retitle(plan)
    counted.update(taken=0, made=0)
    render(plan, out, "-f", fmt)
    made_again = {key: text for key, text in kept_rows(out, fmt).items() if key not in rows}
    assert counted["made"] == len(made_again) > 0 and counted["taken"] == first["made"] - counted["made"]
    assert all("A2.1" in text and "caméras mobiles" in text for text in made_again.values())  # only that action's rows
    same_as_full(plan, out, tmp_path, "-f", fmt)


def test_a_person_made_internal_is_in_no_kept_row(plan, tmp_path):
    out = tmp_path / "site"
    render(plan, out, "-f", "md")
    assert any("Sabbatini" in text for text in kept_rows(out).values())
    people = plan / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "    last_name: Sabbatini\n", "    last_name: Sabbatini\n    visibility: internal\n", 1), encoding="utf-8")
    render(plan, out, "-f", "md")
    assert [rel for rel, data in files(out).items() if b"Sabbatini" in data or b"asabbatini" in data] == []
    assert [text for text in kept_rows(out).values() if "Sabbatini" in text or "asabbatini" in text] == []
    same_as_full(plan, out, tmp_path, "-f", "md")


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "not-text"])
def test_a_damaged_or_foreign_rows_file_is_only_rows_made_again(plan, tmp_path, counted, damage):
    out = tmp_path / "site"
    render(plan, out, "-f", "md")
    path = kept_file(out)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(raw)))
    elif damage == "foreign":  # well formed, but not sealed with this cache folder's key: a row that would lie
        forged = {key: text.replace("Étendre", "FORGED") for key, text in kept_rows(out).items()}
        path.write_bytes(MAGIC + bytes(16) + marshal.dumps(forged))
    else:  # sealed, but not a {text: text}
        payload = marshal.dumps({"k": 1})
        path.write_bytes(MAGIC + hashlib.blake2b(payload, digest_size=16, key=_secret(path.parent.parent)).digest() + payload)
    retitle(plan)
    counted.update(taken=0, made=0)
    render(plan, out, "-f", "md")
    assert counted["taken"] == 0 and counted["made"] > 0
    assert not any(b"FORGED" in data for data in files(out).values())
    same_as_full(plan, out, tmp_path, "-f", "md")
    assert len(kept_rows(out)) == counted["made"]  # written again, sound


def test_no_cache_keeps_no_rows_and_an_unwritable_cache_is_no_error(plan, tmp_path, monkeypatch):
    out = tmp_path / "site"
    render(plan, out, "--no-cache", "-f", "md")
    assert not kept_file(out).exists()

    def refused(*args, **kw):
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(rows_module.tempfile, "mkstemp", refused)
    retitle(plan)
    render(plan, out, "-f", "md")
    assert not kept_file(out).exists()
    same_as_full(plan, out, tmp_path, "-f", "md")


# --- feuille's own templates kept compiled ------------------------------------------------------------


def _env(tmp_path: Path, source: str, compiled_calls: list[str]):
    import jinja2

    from feuille.io.rows import compiled_templates

    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: A002 (Jinja's names)
            compiled_calls.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    return Counting(loader=jinja2.DictLoader({"page.html": source}), bytecode_cache=compiled_templates(tmp_path / "cache", "html"))


def test_a_template_is_compiled_once_and_again_only_when_its_source_changes(tmp_path):
    calls: list[str] = []
    assert _env(tmp_path, "Hello {{ name }}", calls).get_template("page.html").render(name="A") == "Hello A"
    assert calls == ["page.html"] and len(list((tmp_path / "cache" / "templates").rglob("*"))) == 2  # its folder and its file
    assert _env(tmp_path, "Hello {{ name }}", calls).get_template("page.html").render(name="B") == "Hello B"
    assert calls == ["page.html"]  # taken compiled
    assert _env(tmp_path, "Bye {{ name }}", calls).get_template("page.html").render(name="C") == "Bye C"
    assert calls == ["page.html", "page.html"]  # another source: compiled again


@pytest.mark.parametrize("damage", ["truncated", "foreign"])
def test_a_damaged_or_foreign_compiled_template_is_compiled_again(tmp_path, damage):
    calls: list[str] = []
    _env(tmp_path, "Hello {{ name }}", calls).get_template("page.html")
    [path] = [p for p in (tmp_path / "cache" / "templates").rglob("*") if p.is_file()]
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2] if damage == "truncated" else MAGIC + bytes(16) + raw[len(MAGIC) + 16:])
    assert _env(tmp_path, "Hello {{ name }}", calls).get_template("page.html").render(name="D") == "Hello D"
    assert calls == ["page.html", "page.html"]


def test_renders_keep_feuille_s_templates_compiled_but_never_a_plan_s_own(plan, tmp_path):
    out = tmp_path / "site"
    render(plan, out)
    kept = Path(os.environ["FEUILLE_CACHE_DIR"]) / "templates"
    first = {p: p.stat().st_mtime_ns for p in kept.rglob("*") if p.is_file()}
    assert len(first) >= 10
    retitle(plan)
    render(plan, out)
    assert {p: p.stat().st_mtime_ns for p in kept.rglob("*") if p.is_file()} == first  # taken, not written again
    same_as_full(plan, out, tmp_path)

    shutil.rmtree(kept)
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "action.html").write_text('{% extends "default:html/action.html" %}', encoding="utf-8")
    render(plan, tmp_path / "own")
    assert not kept.exists()
