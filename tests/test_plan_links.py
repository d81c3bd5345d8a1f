"""A plan is the files inside its repository, read once (issue 20, item 2).

Links out of the repository, to folders, to devices or to themselves, FIFOs and dangling links: the
loader says so once (F113, F111, F108) and nothing reads them afterwards; a write is checked on an
overlay of the plan in memory, never on a copy of the folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests._cli import feuille

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-11-30"
O4 = "objectives/04-logement.yaml"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and devices as on Linux and macOS")


@pytest.fixture
def no_copy(monkeypatch):
    """Any copy of a folder or a file during the command fails the test (a write is checked in memory)."""

    def refused(*args, **kwargs):
        raise AssertionError(f"a copy was made: {args[:2]}")

    for name in ("copytree", "copy", "copy2", "copyfile"):
        monkeypatch.setattr(shutil, name, refused)


@contextlib.contextmanager
def deadline(seconds: int = 20):
    """Fail instead of hanging for ever (a FIFO opened, /dev/zero read to the end)."""

    def stop(*_args):
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def lint(plan, *args):
    return feuille("lint", plan, "--as-of", AS_OF, *args)


def update(plan, *args):
    return feuille("update", "A4.2", "--progress", "45", "--plan", plan, "--as-of", AS_OF, *args)


def assert_written(plan, result):
    assert "Traceback" not in result.stderr and "erreur interne" not in result.stderr
    assert "    progress: 45\n" in (plan / O4).read_text(encoding="utf-8"), result.stdout + result.stderr


# --- what the loader refuses, once -----------------------------------------------------------------


def test_a_link_to_dev_zero_is_refused_by_lint_and_update_writes_without_copying(plan, no_copy):
    (plan / "objectives" / "zero.yaml").symlink_to("/dev/zero")
    with deadline():
        r = lint(plan)
        assert r.returncode == 1
        assert "objectives/zero.yaml: erreur F113\n  Ceci est un lien symbolique vers « /dev/zero », hors du dossier du plan : feuille ne le lit pas.\n" in r.stdout
        dry = update(plan, "--dry-run")
        assert dry.returncode == 1 and "+    progress: 45" in dry.stdout and "Traceback" not in dry.stderr, dry.stderr
        done = update(plan)
    assert done.returncode == 1  # written: the plan still has the error it had (lint says it), the write added none
    assert_written(plan, done)


def test_a_link_to_a_large_folder_is_not_walked(plan, tmp_path, no_copy):
    big = tmp_path / "gros"
    for i in range(200):
        folder = big / f"d{i:03d}"
        folder.mkdir(parents=True)
        (folder / "o.yaml").write_text(f"id: X{i}\ntitle: Ailleurs {i}\nactions: []\n", encoding="utf-8")
    (plan / "objectives" / "gros").symlink_to(big, target_is_directory=True)
    r = feuille("lint", plan, "--as-of", AS_OF, "--format", "json")
    import json

    found = json.loads(r.stdout)["diagnostics"]
    assert [(d["code"], d["file"].split("/objectives/")[-1]) for d in found if d["severity"] == "error"] == [("F113", "gros")]
    assert not any("X1" in (d["object"] or {}).get("id", "") for d in found)
    done = update(plan)
    assert done.returncode == 1
    assert_written(plan, done)


def test_a_link_to_a_folder_inside_the_plan_is_refused_too(plan):
    (plan / "objectives" / "encore").symlink_to(plan / "objectives" / "01-cadre-de-vie", target_is_directory=True)
    r = lint(plan)
    assert r.returncode == 1 and "F113" in r.stdout and "F301" not in r.stdout  # its actions are not read twice
    assert "lien symbolique vers un dossier (« " in r.stdout


def test_a_dangling_link_and_update(plan, no_copy):
    (plan / "objectives" / "perdu.yaml").symlink_to(plan / "nulle-part.yaml")
    assert "F108" in lint(plan).stdout
    done = update(plan)
    assert done.returncode == 1
    assert_written(plan, done)


def test_a_loop_and_update(plan, no_copy):
    (plan / "objectives" / "a.yaml").symlink_to("b.yaml")
    (plan / "objectives" / "b.yaml").symlink_to("a.yaml")
    with deadline():
        r = lint(plan)
        assert r.stdout.count("F113") == 2 and "une boucle" in r.stdout
        done = update(plan)
    assert done.returncode == 1
    assert_written(plan, done)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_skipped_as_lint_does_and_update_writes(plan, no_copy):
    os.mkfifo(plan / "objectives" / "tube.yaml")
    with deadline():
        r = lint(plan)
        assert r.returncode == 0 and "F111" in r.stdout
        done = update(plan)
    assert done.returncode == 0, done.stderr
    assert_written(plan, done)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_link_to_a_fifo_inside_the_plan_is_refused_without_opening_it(plan):
    os.mkfifo(plan / "_tube")
    (plan / "objectives" / "tube.yaml").symlink_to(plan / "_tube")
    with deadline():
        r = lint(plan)
    assert "F113" in r.stdout and "pas un fichier ordinaire" in r.stdout


def test_lint_does_not_print_an_outside_file_through_a_link(plan):
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd here")
    (plan / "objectives" / "02-securite.yaml").unlink()
    (plan / "objectives" / "02-securite.yaml").symlink_to("/etc/passwd")
    first = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0]
    for fmt in ("text", "json", "sarif", "github"):
        r = lint(plan, "--format", fmt)
        assert first not in r.stdout + r.stderr and "root:" not in r.stdout + r.stderr, fmt
        assert "F113" in r.stdout
    shown = feuille("show", "O2", "--plan", plan, "--as-of", AS_OF)
    assert first not in shown.stdout + shown.stderr


def test_render_does_not_publish_an_outside_file(plan, tmp_path):
    secret = tmp_path / "ailleurs" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("id: O9\ntitle: Motdepassesecret\nactions:\n  - {id: A9.1, title: Motdepassesecret, status: ongoing}\n", encoding="utf-8")
    (plan / "objectives" / "09-secret.yaml").symlink_to(secret)
    out = tmp_path / "site"
    refused = feuille("render", plan, "--out", out, "--as-of", AS_OF)
    assert refused.returncode == 1 and "09-secret.yaml (F113, un lien symbolique qui n'est pas lu)" in refused.stderr
    r = feuille("render", plan, "--out", out, "--as-of", AS_OF, "--allow-errors")
    assert r.returncode == 1 and out.is_dir(), r.stderr
    assert (out / "index.html").is_file()
    for path in out.rglob("*"):
        if path.is_file():
            assert b"Motdepassesecret" not in path.read_bytes(), path


# --- a link inside the repository is read ------------------------------------------------------


def _town_and_cpas(tmp_path: Path) -> Path:
    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLE, repo / "plans" / "ville")
    shutil.copytree(EXAMPLE, repo / "plans" / "cpas")
    (repo / "plans" / "cpas" / "people.yaml").unlink()
    (repo / "plans" / "cpas" / "people.yaml").symlink_to("../ville/people.yaml")
    return repo


def test_a_town_and_its_cpas_share_people_through_a_link_in_the_same_repository(tmp_path):
    repo = _town_and_cpas(tmp_path)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    else:
        (repo / ".git").mkdir()
    r = lint(repo / "plans" / "cpas")
    assert r.returncode == 0, r.stdout
    done = feuille("update", "A4.2", "--progress", "45", "--plan", repo / "plans" / "cpas", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert "    progress: 45\n" in (repo / "plans" / "cpas" / O4).read_text(encoding="utf-8")


def test_the_same_link_out_of_the_plan_folder_without_a_repository_is_refused(tmp_path):
    repo = _town_and_cpas(tmp_path)
    r = lint(repo / "plans" / "cpas")
    assert r.returncode == 1
    assert "people.yaml: erreur F113\n  Ceci est un lien symbolique vers « ../ville/people.yaml », hors du dossier du plan : feuille ne le lit pas.\n" in r.stdout


def test_a_link_out_of_the_repository_is_refused(tmp_path):
    repo = _town_and_cpas(tmp_path)
    (repo / ".git").mkdir()
    outside = tmp_path / "perso" / "people.yaml"
    outside.parent.mkdir()
    shutil.copy(EXAMPLE / "people.yaml", outside)
    (repo / "plans" / "cpas" / "people.yaml").unlink()
    (repo / "plans" / "cpas" / "people.yaml").symlink_to(outside)
    r = lint(repo / "plans" / "cpas", "--lang", "en")
    assert r.returncode == 1
    assert f"This is a symbolic link to '{outside}', outside the git repository that holds the plan: feuille does not read it." in r.stdout


# --- the folders feuille writes into ------------------------------------------------------------


def test_import_refuses_a_target_folder_that_is_a_link(tmp_path):
    sheet = tmp_path / "tableau.csv"
    sheet.write_text("Objectif;Action\nPropreté;Balayer les rues\n", encoding="utf-8")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (tmp_path / "nouveau").symlink_to(elsewhere, target_is_directory=True)
    r = feuille("import", sheet, tmp_path / "nouveau")
    assert r.returncode != 0 and "lien symbolique" in r.stderr, r.stdout + r.stderr
    assert list(elsewhere.iterdir()) == []


def test_import_refuses_a_target_below_a_link_of_a_repository(tmp_path):
    repo = tmp_path / "depot"
    (repo / ".git").mkdir(parents=True)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (repo / "plans").symlink_to(elsewhere, target_is_directory=True)
    sheet = tmp_path / "tableau.csv"
    sheet.write_text("Objectif;Action\nPropreté;Balayer les rues\n", encoding="utf-8")
    r = feuille("import", sheet, repo / "plans" / "nouveau")
    assert r.returncode != 0 and f"passe par le lien symbolique « {repo / 'plans'} » du dépôt" in r.stderr, r.stdout + r.stderr
    assert list(elsewhere.iterdir()) == []


def test_render_refuses_an_out_folder_below_a_link_of_the_repository(plan, tmp_path):
    repo = tmp_path / "depot"
    (repo / ".git").mkdir(parents=True)
    elsewhere = tmp_path / "www"
    elsewhere.mkdir()
    (repo / "public").symlink_to(elsewhere, target_is_directory=True)
    r = feuille("render", plan, "--out", repo / "public" / "site", "--lang", "en")
    assert r.returncode == 2 and f"goes through the symbolic link '{repo / 'public'}' of the repository" in r.stderr, r.stderr
    assert list(elsewhere.iterdir()) == []


# --- the overlay source --------------------------------------------------------------------------


def test_the_overlay_source_lays_new_bytes_over_the_folder(plan):
    from feuille.io.sources import EntryKind, FolderSource, OverlaySource

    base = FolderSource(plan)
    over = OverlaySource(base, {O4: b"id: O4\n", "objectives/99-nouveau/objective.yaml": b"id: O99\n"})
    names = {e.name: e.kind for e in over.list_dir("objectives")}
    assert names["04-logement.yaml"] is EntryKind.FILE and names["99-nouveau"] is EntryKind.DIR
    assert [e.name for e in over.list_dir("objectives/99-nouveau")] == ["objective.yaml"]
    assert over.read(O4) == b"id: O4\n" and over.read("plan.yaml") == (plan / "plan.yaml").read_bytes()
    assert over.exists("objectives/99-nouveau") and not (plan / "objectives" / "99-nouveau").exists()
    assert (plan / O4).read_bytes() != b"id: O4\n"


def test_a_write_is_checked_on_the_overlay_with_the_same_findings_as_after_writing(plan):
    import datetime as dt

    from feuille.io.sources import FolderSource, OverlaySource
    from feuille.pipeline import LoadOptions, load, load_path

    day = dt.date(2026, 11, 30)
    before = load_path(plan, day)
    text = (plan / O4).read_text(encoding="utf-8").replace("id: A4.2", "id: A4.1", 1)  # a duplicate id
    checked = load(OverlaySource(FolderSource(plan), {O4: text.encode()}), day)
    (plan / O4).write_text(text, encoding="utf-8")
    after = load_path(plan, day, options=LoadOptions(use_cache=False))
    assert [(d.code, d.file, d.line, d.obj_id) for d in checked.diagnostics] == [(d.code, d.file, d.line, d.obj_id) for d in after.diagnostics]
    assert any(d.code == "F301" for d in checked.diagnostics) and not any(d.code == "F301" for d in before.diagnostics)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_new_action_beside_a_fifo_and_a_refused_link_never_opens_them(plan, no_copy):
    folder = plan / "objectives" / "01-cadre-de-vie"
    os.mkfifo(folder / "A1.0-tube.yaml")
    (folder / "A1.0-zero.yaml").symlink_to("/dev/zero")
    with deadline():
        r = feuille("new", "action", "--in", "O1", "--title", "Nettoyer les avaloirs", "--plan", plan, "--as-of", AS_OF)
    assert "Traceback" not in r.stderr and "nouvelle action" in r.stdout, r.stdout + r.stderr
    created = [p for p in folder.iterdir() if "avaloirs" in p.name]
    assert len(created) == 1 and created[0].read_text(encoding="utf-8").startswith("# yaml-language-server:")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_at_a_revision_links_follow_the_same_rule(tmp_path):
    repo = _town_and_cpas(tmp_path)
    cpas = repo / "plans" / "cpas"
    (cpas / "objectives" / "secret.yaml").symlink_to("/etc/passwd")
    (cpas / "objectives" / "dehors.yaml").symlink_to("../../../../dehors.yaml")
    (cpas / "objectives" / "dossier").symlink_to("../../ville/objectives")
    (cpas / "objectives" / "boucle.yaml").symlink_to("boucle.yaml")

    def git(*args):
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "c1")
    today = feuille("lint", cpas, "--as-of", AS_OF, "--format", "json")
    past = feuille("lint", cpas, "--as-of", AS_OF, "--format", "json", "--rev", "HEAD")
    import json

    def found(run):
        return sorted((d["code"], d["file"].rsplit("/", 1)[-1], d["message"]) for d in json.loads(run.stdout)["diagnostics"])

    assert found(past) == found(today)
    assert [c for c, _f, _m in found(today)] == ["F113"] * 4  # people.yaml through the link is read, today and at the revision
    assert any("hors du dépôt git" in m and f == "secret.yaml" for _c, f, m in found(past))
