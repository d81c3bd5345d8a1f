"""Where ``-o`` / ``--out`` lead: a device, a named pipe or a link is written into, never replaced; a file where a
folder is expected is refused clearly; the system's reasons and the numbers of a message read in the user's language."""

from __future__ import annotations

import os
import re
import shutil
import stat
import threading
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES

LL = EXAMPLES / "la-louviere"


@pytest.fixture
def no_rename_into_dev(monkeypatch):
    """However wrong the code under test, it never renames anything over a path under /dev or /proc."""
    real_replace, real_rename = os.replace, os.rename

    def guarded(real):
        def move(src, dst, *args, **kwargs):
            if os.path.abspath(dst).startswith(("/dev/", "/proc/")):
                raise AssertionError(f"a rename over {dst}")
            return real(src, dst, *args, **kwargs)
        return move

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))


def _is_char_device(path: str) -> bool:
    return stat.S_ISCHR(os.stat(path, follow_symlinks=False).st_mode)


# --- 1. special files are written into, never replaced ---------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_export_into_a_named_pipe_writes_into_it_and_keeps_it(tmp_path, no_rename_into_dev):
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = feuille("export", str(LL), "-f", "json", "-o", str(fifo))
    reader.join(30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"écrit : {fifo} ")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a file put in its place
    assert received and received[0].startswith(b"{") and b'"version": 1' in received[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tube"]  # no temporary file left


def test_export_through_a_symbolic_link_writes_the_file_it_points_to_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "plan.json"
    link.symlink_to("real.json")
    done = feuille("export", str(LL), "-f", "json", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert target.read_text(encoding="utf-8").startswith("{")
    dangling = tmp_path / "new.json"
    dangling.symlink_to("created.json")  # a link to a file not there yet: the file is created, the link kept
    assert feuille("export", str(LL), "-f", "json", "-o", str(dangling)).returncode == 0
    assert dangling.is_symlink() and (tmp_path / "created.json").read_text(encoding="utf-8").startswith("{")


@pytest.mark.skipif(not os.path.exists("/dev/full") or not _is_char_device("/dev/full"), reason="no /dev/full here")
def test_export_to_dev_full_fails_in_the_users_language_and_keeps_the_device(no_rename_into_dev):
    for lang, said in (("fr", "feuille : impossible d'écrire « /dev/full » : disque plein.\n"),
                       ("en", "feuille: cannot write '/dev/full': disk full.\n")):
        assert _is_char_device("/dev/full")
        refused = feuille("export", str(LL), "-f", "json", "-o", "/dev/full", "--lang", lang)
        assert _is_char_device("/dev/full")
        assert refused.returncode == 2 and refused.stdout == "" and refused.stderr == said, refused.stderr
    assert _is_char_device("/dev/full")
    report = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "md", "-o", "/dev/full", "--lang", "en")
    assert report.returncode == 2 and report.stderr.endswith("feuille: cannot write '/dev/full': disk full.\n"), report.stderr
    assert _is_char_device("/dev/full")


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc/self/fd here")
def test_a_path_under_proc_is_written_into_never_replaced(tmp_path, no_rename_into_dev):
    from feuille.io.files import write_atomic

    read, write = os.pipe()  # /dev/stdout of a command piped to another
    try:
        write_atomic(Path(f"/proc/self/fd/{write}"), b"through the pipe\n")
        assert os.read(read, 100) == b"through the pipe\n"
    finally:
        os.close(read)
        os.close(write)
    redirected = tmp_path / "out.txt"  # /dev/stdout of a command whose output goes to a file: that very file
    with redirected.open("wb") as fh:
        inode = os.fstat(fh.fileno()).st_ino
        write_atomic(Path(f"/proc/self/fd/{fh.fileno()}"), b"in place\n")
    assert redirected.read_bytes() == b"in place\n" and redirected.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


# --- 2. a file where a folder is expected: a clear refusal ------------------------------------------------------


def test_schema_out_an_existing_file_is_refused(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    fr = feuille("schema", "--out", str(afile))
    assert fr.returncode == 2 and fr.stderr == (f"feuille : « {afile} » est un fichier, pas un dossier : rien n'a été écrit.\n"
                                                "  Indiquez un dossier avec --out : les fichiers *.schema.json y sont écrits.\n"), fr.stderr
    en = feuille("schema", "--out", str(afile / "sub"), "--lang", "en")
    assert en.returncode == 2 and en.stderr == (f"feuille: the folder '{afile / 'sub'}' cannot be created: '{afile}' is a file, not a folder. "
                                                "Nothing was written.\n  Give a folder with --out: the *.schema.json files are written there.\n"), en.stderr
    assert afile.read_text(encoding="utf-8") == "mine\n"


def test_render_out_below_a_file_is_refused(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    site = afile / "site"
    fr = feuille("render", str(LL), "--out", str(site))
    assert fr.returncode == 2 and fr.stderr.endswith(
        f"feuille : impossible de créer le dossier « {site} » : « {afile} » est un fichier, pas un dossier. Rien n'a été écrit.\n"
        "  Choisissez un dossier avec --out.\n"), fr.stderr
    en = feuille("render", str(LL), "--out", str(site), "--lang", "en")
    assert en.returncode == 2 and en.stderr.endswith(
        f"feuille: the folder '{site}' cannot be created: '{afile}' is a file, not a folder. Nothing was written.\n"
        "  Choose a folder with --out.\n"), en.stderr


def test_init_in_a_file_is_refused(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    fr = feuille("init", str(afile))
    assert fr.returncode == 2 and fr.stderr == (f"feuille : « {afile} » est un fichier, pas un dossier : rien n'a été écrit.\n"
                                                "  Indiquez le dossier du nouveau plan : un nouveau nom, ou un dossier vide.\n"), fr.stderr
    en = feuille("init", str(afile / "plan"), "--lang", "en")
    assert en.returncode == 2 and en.stderr == (f"feuille: the folder '{afile / 'plan'}' cannot be created: '{afile}' is a file, not a folder. "
                                                "Nothing was written.\n  Give the folder of the new plan: a new name, or an empty folder.\n"), en.stderr
    assert afile.read_text(encoding="utf-8") == "mine\n"


def test_import_into_a_folder_below_a_file_is_refused(tmp_path):
    sheet = tmp_path / "actions.csv"
    sheet.write_text("Titre;Responsable\nNettoyer le parc;A. Sabbatini\n", encoding="utf-8")
    afile = tmp_path / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    fr = feuille("import", str(sheet), str(afile / "plan"))
    assert fr.returncode == 2 and fr.stderr.endswith(
        f"feuille : impossible de créer le dossier « {afile / 'plan'} » : « {afile} » est un fichier, pas un dossier. Rien n'a été écrit.\n"
        "  Indiquez un dossier qui n'existe pas encore.\n"), fr.stderr
    en = feuille("import", str(sheet), str(afile / "plan"), "--lang", "en")
    assert en.returncode == 2 and en.stderr.endswith(
        f"feuille: the folder '{afile / 'plan'}' cannot be created: '{afile}' is a file, not a folder. Nothing was written.\n"
        "  Give a folder that does not exist yet.\n"), en.stderr


# --- 3. the system's reasons in the user's language ---------------------------------------------------------------


def test_export_below_a_file_says_why_in_the_users_language(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine\n", encoding="utf-8")
    target = afile / "x.json"
    fr = feuille("export", str(LL), "-f", "json", "-o", str(target))
    assert fr.returncode == 2 and fr.stderr == f"feuille : impossible d'écrire « {target} » : un fichier se trouve là où un dossier est attendu.\n"
    en = feuille("export", str(LL), "-f", "json", "-o", str(target), "--lang", "en")
    assert en.returncode == 2 and en.stderr == f"feuille: cannot write '{target}': a file stands where a folder is expected.\n"


@pytest.mark.skipif(not os.path.isdir("/sys/kernel"), reason="no /sys here")
def test_export_into_a_system_folder_says_permission_denied_in_the_users_language(no_rename_into_dev):
    fr = feuille("export", str(LL), "-f", "xlsx", "-o", "/sys/x.xlsx")
    assert fr.returncode == 2 and fr.stderr == "feuille : impossible d'écrire « /sys/x.xlsx » : permission refusée.\n", fr.stderr
    en = feuille("export", str(LL), "-f", "xlsx", "-o", "/sys/x.xlsx", "--lang", "en")
    assert en.returncode == 2 and en.stderr == "feuille: cannot write '/sys/x.xlsx': permission denied.\n", en.stderr


def test_system_reasons_never_show_the_systems_english():
    import errno

    from feuille.io.files import system_reason

    for code in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR, errno.ENAMETOOLONG, errno.ENOENT, errno.ENOSPC, errno.EACCES):
        exc = OSError(code, os.strerror(code))
        assert os.strerror(code) not in system_reason(exc)("fr")
    assert system_reason(OSError(errno.EISDIR, "Is a directory"))("fr") == "c'est un dossier, pas un fichier"
    assert system_reason(OSError(errno.ENAMETOOLONG, "File name too long"))("en") == "name too long"


def test_a_report_into_a_folder_says_it_is_a_folder(tmp_path):
    (tmp_path / "r.md").mkdir()
    fr = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "md", "-o", str(tmp_path / "r.md"))
    assert fr.returncode == 2 and fr.stderr.endswith(f"« {tmp_path / 'r.md'} » : c'est un dossier, pas un fichier.\n"), fr.stderr


# --- 4. numbers as the language writes them -----------------------------------------------------------------------


def test_an_out_of_range_number_is_said_with_the_languages_numbers(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(LL, plan)
    path = plan / "objectives" / "02-securite.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("progress: 40", "progress: 150.5", 1), encoding="utf-8")
    fr = feuille("lint", str(plan))
    assert "Le champ avancement (progress) doit être un pourcentage de 0 à 100, pas le nombre 150.5." in fr.stdout, fr.stdout  # the bound as declared (core/model.py)
    assert "100.0" not in fr.stdout
    en = feuille("lint", str(plan), "--lang", "en")
    assert "'progress' must be a percentage from 0 to 100, not the number 150.5." in en.stdout, en.stdout


def test_numbers_for_the_reader():
    from decimal import Decimal

    from feuille.core.i18n import Number, number

    assert [number(v, "fr") for v in (100.0, 100, 0.1, 2.5)] == ["100", "100", "0,1", "2,5"]
    assert [number(v, "en") for v in (100.0, 0.1, Decimal("12.50"))] == ["100", "0.1", "12.5"]
    assert number(0.04, "fr", 1) == "0,0" and number(0.1, "en", 1) == "0.1"
    assert Number(0.25)("fr") == "0,25" and Number(3, 1)("en") == "3.0"


def test_import_says_its_time_with_the_languages_decimal_mark(tmp_path):
    sheet = tmp_path / "actions.csv"
    sheet.write_text("Titre;Responsable\nNettoyer le parc;A. Sabbatini\n", encoding="utf-8")
    fr = feuille("import", str(sheet), str(tmp_path / "fr"))
    assert re.search(r"en \d+,\d s", fr.stdout) and not re.search(r"en \d+\.\d s", fr.stdout), fr.stdout
    en = feuille("import", str(sheet), str(tmp_path / "en"), "--lang", "en")
    assert re.search(r"in \d+\.\d s", en.stdout) and not re.search(r"in \d+,\d s", en.stdout), en.stdout


# --- -o /dev/stdout: the data alone on the output, the « written: » line on stderr ---------------------


def test_export_to_dev_stdout_keeps_the_output_pure_json():
    import json

    from _cli import feuille_process

    result = feuille_process("export", LL, "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["plan"]  # nothing after the JSON (before: the « écrit : » line was appended to it)
    assert result.stderr.startswith("écrit : /dev/stdout (")


def test_a_link_to_dev_stdout_redirected_to_a_file_writes_into_that_file(tmp_path):
    import json
    import subprocess

    from _cli import FEUILLE_COMMAND

    link = tmp_path / "so.json"
    link.symlink_to("/dev/stdout")
    redirected = tmp_path / "out.json"
    with open(redirected, "w") as out:
        before = os.fstat(out.fileno()).st_ino
        result = subprocess.run([*FEUILLE_COMMAND, "export", str(LL), "-o", str(link)], stdout=out, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert os.stat(redirected).st_ino == before  # written into, not replaced by a rename
    assert json.loads(redirected.read_text(encoding="utf-8"))["plan"] and link.is_symlink()
    assert f"écrit : {link} (" in result.stderr
