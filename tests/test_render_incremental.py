"""Incremental render (issue 27): a render into the folder of a previous one makes again only the pages
whose inputs changed (views/sitekeys.py, io/sitewrite.py), and writes exactly the site a full render writes.

Each test renders, changes the plan (or the options, or a page by hand), renders again into the same
folder and compares the whole folder, byte for byte, with a full render into a new one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _sites import AS_OF, files, render, same_as_full

from _cli import feuille
from feuille.io import sitewrite
from feuille.io.sitewrite import KEYS, write_site


def test_a_second_render_keeps_every_page_and_one_change_makes_only_what_shows_it(plan, tmp_path):
    out = tmp_path / "site"
    first = render(plan, out)
    assert "unchanged" not in first.stdout and "inchangé" not in first.stdout
    pages = len([p for p in files(out) if p not in (".feuille-site", KEYS)])
    inode = (out / "actions" / "A2.1.html").stat().st_ino

    again = render(plan, out)
    assert f"{pages} fichiers écrits" in again.stdout and f"{pages} inchangés depuis le dernier rendu" in again.stdout
    assert (out / "actions" / "A2.1.html").stat().st_ino == inode  # kept: the very file, not a copy
    same_as_full(plan, out, tmp_path, cache=True)

    target = plan / "objectives" / "02-securite.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "title: Étendre le réseau de caméras de surveillance", "title: Étendre le réseau de caméras mobiles de surveillance", 1), encoding="utf-8")
    changed = render(plan, out)
    kept = int(changed.stdout.split(", ")[1].split(" ")[0])
    actions = len([p for p in files(out) if p.startswith("actions/")])
    assert kept == actions - 1  # every other action's page kept; that action's and the pages listing actions made again
    assert "caméras mobiles" in (out / "actions" / "A2.1.html").read_text(encoding="utf-8")
    assert (out / "actions" / "A2.1.html").stat().st_ino != inode
    same_as_full(plan, out, tmp_path, cache=True)


def test_a_person_made_internal_disappears_from_every_page_of_an_incremental_render(plan, tmp_path):
    out = tmp_path / "site"
    render(plan, out)
    assert any("Sabbatini" in text.decode("utf-8") for rel, text in files(out).items() if rel.startswith("actions/"))
    people = plan / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "    last_name: Sabbatini\n", "    last_name: Sabbatini\n    visibility: internal\n", 1), encoding="utf-8")
    render(plan, out)
    leaks = [rel for rel, data in files(out).items() if b"Sabbatini" in data or b"asabbatini" in data]
    assert leaks == []
    same_as_full(plan, out, tmp_path, cache=True)
    internal = render(plan, out, "--audience", "internal")  # another audience: every page made again
    assert "inchangé" not in internal.stdout
    assert any(b"Sabbatini" in data for data in files(out).values())
    same_as_full(plan, out, tmp_path, "--audience", "internal", cache=True)


@pytest.mark.parametrize("change", [("--as-of", "2026-12-31"), ("--lang", "en"), ("--allow-errors",)], ids=["date", "language", "options"])
def test_other_options_make_what_they_change(plan, tmp_path, change):
    out = tmp_path / "site"
    render(plan, out)
    args = list(change)
    if args[0] == "--as-of":  # (the helper gives --as-of: a later one wins)
        run = feuille("render", str(plan), "--out", str(out), "--no-trend", "--as-of", AS_OF, *args)
        assert run.returncode == 0, run.stderr
        full = tmp_path / "full"
        assert feuille("render", str(plan), "--out", str(full), "--no-trend", "--as-of", args[1]).returncode == 0
        a, b = files(out), files(full)
        assert [rel for rel in a if a.get(rel) != b.get(rel)] == [] and sorted(a) == sorted(b)
        return
    render(plan, out, *args)
    same_as_full(plan, out, tmp_path, *args, cache=True)


def test_a_page_changed_by_hand_is_made_again(plan, tmp_path):
    out = tmp_path / "site"
    render(plan, out)
    page = out / "actions" / "A2.1.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</h1>", b" (corrected by hand)</h1>", 1))
    render(plan, out)
    assert page.read_bytes() == original
    page.write_bytes(original[:-1] + b"X")  # same size, other bytes
    render(plan, out)
    assert page.read_bytes() == original
    same_as_full(plan, out, tmp_path, cache=True)


def test_a_plan_with_its_own_templates_is_always_made_whole(plan, tmp_path):
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "action.html").write_text('{% extends "default:html/action.html" %}', encoding="utf-8")
    out = tmp_path / "site"
    render(plan, out)
    again = render(plan, out)
    assert "inchangé" not in again.stdout and not (out / KEYS).exists()
    same_as_full(plan, out, tmp_path, cache=True)


# --- the writer, alone ---------------------------------------------------------------------------


class Source:
    """Pages with keys, counting what is made."""

    def __init__(self, pages: dict[str, tuple[str | None, str]], out: Path | None = None) -> None:
        self.pages = pages
        self.made: list[str] = []
        self.out = out

    def paths(self):
        return list(self.pages)

    def key(self, rel):
        return self.pages[rel][0]

    def text(self, rel):
        if self.out is not None and self.made:  # each page is written before the next is made: never the whole site in memory
            new = [p for p in self.out.parent.iterdir() if ".feuille-new-" in p.name]
            assert len(new) == 1 and (new[0] / self.made[-1]).is_file()
        self.made.append(rel)
        return self.pages[rel][1]


def test_the_writer_makes_pages_one_by_one_and_keeps_those_whose_key_holds(tmp_path):
    out = tmp_path / "out"
    pages = {"a.html": ("k1", "A"), "b/c.html": ("k2", "C"), "d.html": (None, "D")}
    first = Source(pages, out)
    assert write_site(first, out).kept == 0 and first.made == ["a.html", "b/c.html", "d.html"]
    record = (out / KEYS).read_text(encoding="utf-8")
    assert record.splitlines()[0] == "feuille-pages 1" and "d.html" not in record  # a page without a key: always made

    second = Source({**pages, "b/c.html": ("k2-new", "C2")})
    result = write_site(second, out)
    assert (result.kept, result.written) == (1, 3) and second.made == ["b/c.html", "d.html"]
    assert files(out)["b/c.html"] == b"C2" and (out / KEYS).read_text(encoding="utf-8") != record

    third = Source({"a.html": ("k1", "A")})  # pages no longer made are removed, as always
    result = write_site(third, out)
    assert result.kept == 1 and result.removed == ["b/c.html", "d.html"] and third.made == []
    assert sorted(files(out)) == [".feuille-pages", ".feuille-site", "a.html"]


@pytest.mark.parametrize("record", ["", "feuille-pages 2\nk1\tx\ta.html", "feuille-pages 1\nbroken line", "LINK", "DIR"])
def test_a_missing_or_strange_record_makes_every_page(tmp_path, record):
    out = tmp_path / "out"
    write_site(Source({"a.html": ("k1", "A")}), out)
    os.remove(out / KEYS)
    if record == "LINK":  # a link is never followed
        (tmp_path / "elsewhere").write_text((tmp_path / "x").as_posix(), encoding="utf-8")
        os.symlink(tmp_path / "elsewhere", out / KEYS)
    elif record == "DIR":
        (out / KEYS).mkdir()
    elif record:
        (out / KEYS).write_text(record, encoding="utf-8")
    again = Source({"a.html": ("k1", "A")})
    if record in ("LINK", "DIR"):  # not a file feuille wrote, where its record goes: refused unless --force, then replaced
        with pytest.raises(sitewrite.SiteWriteError) as exc:
            write_site(again, out)
        assert ".feuille-pages" in exc.value.message and again.made == []
        result = write_site(again, out, force=True)
        assert result.replaced == [".feuille-pages"]
    else:
        result = write_site(again, out)
    assert result.kept == 0 and again.made == ["a.html"] and (out / KEYS).is_file() and not (out / KEYS).is_symlink()


def test_without_hard_links_the_page_is_made(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_site(Source({"a.html": ("k1", "A")}), out)

    def no_links(*args, **kw):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(sitewrite.os, "link", no_links)
    again = Source({"a.html": ("k1", "A")})
    assert write_site(again, out).kept == 0 and again.made == ["a.html"] and files(out)["a.html"] == b"A"


def test_what_has_no_stable_text_turns_the_keys_off():
    from feuille.views.sitekeys import digest

    class Opaque:
        pass

    assert digest({"a": [1, 2.5, "x"]}) == digest({"a": [1, 2.5, "x"]}) != digest({"a": [1, 2.5, "y"]})
    assert digest([Opaque()]) is None


def test_the_keys_name_the_installed_version_of_each_library_that_writes_the_pages():
    from importlib.metadata import version

    from feuille.views.sitekeys import _LIBRARIES, _library_version

    assert [_library_version(module, dist) for module, dist in _LIBRARIES] == [version(dist) for _module, dist in _LIBRARIES]
    assert _library_version("feuille_no_such_module", "feuille-no-such-module") == "?"
