"""GitSource: a plan folder read at a git revision, straight from the object database."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feuille.io import git as gitmod
from feuille.io.git import MAX_BLOB_BYTES, Entry, EntryKind, GitSource, SourceError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

D1 = "2024-01-15T10:00:00+01:00"
D2 = "2024-03-01T09:30:00+02:00"
D3 = "2024-04-02T17:45:00-05:00"


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, and no repository above tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str, date: str = D1) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    cmd = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
           "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args]
    return subprocess.run(cmd, check=True, capture_output=True, env=env).stdout.decode().strip()


def write(repo: Path, files: dict[str, str | bytes | None]) -> None:
    for rel, content in files.items():
        path = repo / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)


def commit(repo: Path, files: dict[str, str | bytes | None], message: str, date: str) -> str:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a plan in plans/x:

    c1 (v1.0, annotated)  plan.yaml "v1", people.yaml
    c2 (main)             plan.yaml "v2", objectives/01-a.yaml, plans/y appears
    c3 (draft, off c2)    objectives/02-b.yaml
    """
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {"README.md": "# Commune\n", "plans/x/plan.yaml": "title: v1\n", "plans/x/people.yaml": "people: []\n"}, "c1", D1)
    git(root, "tag", "-a", "v1.0", "-m", "version 1.0", date=D1)
    commit(root, {"plans/x/plan.yaml": "title: v2\n", "plans/x/objectives/01-a.yaml": "id: '1'\n", "plans/y/plan.yaml": "title: y\n"}, "c2", D2)
    git(root, "checkout", "-q", "-b", "draft")
    commit(root, {"plans/x/objectives/02-b.yaml": "id: '2'\n"}, "c3", D3)
    git(root, "checkout", "-q", "main")
    return root


def names(entries: list[Entry]) -> list[str]:
    return [e.name for e in entries]


def read_all(src: GitSource, rel: str = "") -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for e in src.list_dir(rel):
        sub = f"{rel}/{e.name}" if rel else e.name
        if e.kind is EntryKind.DIR:
            out.update(read_all(src, sub))
        elif e.kind is EntryKind.FILE:
            out[sub] = src.read(sub)
    return out


# --- listing and reading -----------------------------------------------------------------


def test_head_lists_reads_and_describes(repo: Path) -> None:
    plan = repo / "plans" / "x"
    with GitSource.open(plan, "HEAD") as src:
        head = git(repo, "rev-parse", "HEAD")
        assert src.commit == head and src.rev == "HEAD"
        assert src.root == plan
        assert src.label("fr") == f"{plan} à la révision {head[:7]} (HEAD)" and str(src.label) == src.label("fr")
        assert src.label("en") == f"{plan} at revision {head[:7]} (HEAD)"
        assert src.commit_date == dt.datetime.fromisoformat(D2)
        assert src.commit_date.utcoffset() == dt.timedelta(hours=2)
        assert src.git_dir == (repo / ".git").resolve()
        top = src.list_dir("")
        assert names(top) == ["objectives", "people.yaml", "plan.yaml"]
        assert top[0] == Entry("objectives", EntryKind.DIR, None)
        assert top[2].kind is EntryKind.FILE and top[2].blob == git(repo, "rev-parse", "HEAD:plans/x/plan.yaml")
        assert names(src.list_dir("objectives")) == ["01-a.yaml"]
        assert src.read("plan.yaml") == b"title: v2\n"
        assert src.read("objectives/01-a.yaml") == b"id: '1'\n"
        assert src.exists("") and src.exists("objectives") and src.exists("objectives/01-a.yaml")
        assert not src.exists("objectives/02-b.yaml") and not src.exists("README.md")


def test_previous_commit(repo: Path) -> None:
    with GitSource.open(repo / "plans" / "x", "HEAD~1") as src:
        assert names(src.list_dir("")) == ["people.yaml", "plan.yaml"]
        assert src.read("plan.yaml") == b"title: v1\n"
        assert src.commit_date == dt.datetime.fromisoformat(D1)
        assert not src.exists("objectives")
        with pytest.raises(SourceError, match="n'existait pas à la révision"):
            src.list_dir("objectives")
        with pytest.raises(SourceError, match="le fichier .*objectives/01-a.yaml n'existait pas à la révision"):
            src.read("objectives/01-a.yaml")


def test_annotated_tag_is_peeled_to_its_commit(repo: Path) -> None:
    c1 = git(repo, "rev-parse", "HEAD~1")
    with GitSource.open(repo / "plans" / "x", "v1.0") as src:
        assert src.commit == c1
        assert src.label("fr").endswith(f"à la révision {c1[:7]} (v1.0)")
        assert src.read("plan.yaml") == b"title: v1\n"


def test_branch(repo: Path) -> None:
    with GitSource.open(repo / "plans" / "x", "draft") as src:
        assert names(src.list_dir("objectives")) == ["01-a.yaml", "02-b.yaml"]
        assert src.read("objectives/02-b.yaml") == b"id: '2'\n"
        assert src.commit_date.utcoffset() == dt.timedelta(hours=-5)


def test_commit_id_given_is_not_repeated_in_the_label(repo: Path) -> None:
    c1 = git(repo, "rev-parse", "HEAD~1")
    with GitSource.open(repo / "plans" / "x", c1[:9]) as src:
        assert src.commit == c1
        assert src.label("fr") == f"{repo / 'plans' / 'x'} à la révision {c1[:7]}"


def test_working_tree_changes_are_not_seen(repo: Path) -> None:
    write(repo, {"plans/x/plan.yaml": "title: brouillon\n", "plans/x/objectives/03-new.yaml": "id: '3'\n",
                 "plans/x/people.yaml": None})
    git(repo, "add", "plans/x/objectives/03-new.yaml")  # staged, not committed
    with GitSource.open(repo / "plans" / "x", "HEAD") as src:
        assert src.read("plan.yaml") == b"title: v2\n"
        assert src.read("people.yaml") == b"people: []\n"
        assert names(src.list_dir("objectives")) == ["01-a.yaml"]


def test_plan_in_a_subfolder_given_relative_from_another_cwd(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    rel = Path("../repo/plans/x")
    with GitSource.open(rel, "HEAD") as src:
        assert src.root == rel and src.prefix == "plans/x"
        assert src.label("fr").startswith("../repo/plans/x à la révision ")
        assert src.read("plan.yaml") == b"title: v2\n"
        assert not src.exists("../y/plan.yaml")
    monkeypatch.chdir(repo / "plans" / "x" / "objectives")
    with GitSource.open(Path(".."), "HEAD") as src:
        assert names(src.list_dir("")) == ["objectives", "people.yaml", "plan.yaml"]


def test_plan_at_the_repository_root(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {"plan.yaml": "title: racine\n", "objectives/01.yaml": "id: '1'\n"}, "c1", D1)
    with GitSource.open(root, "main") as src:
        assert src.prefix == ""
        assert names(src.list_dir("")) == ["objectives", "plan.yaml"]
        assert src.read("objectives/01.yaml") == b"id: '1'\n"


def test_a_folder_name_that_looks_like_a_pattern_is_taken_literally(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {"plans/[ab]*/plan.yaml": "title: étoile\n", "plans/a/plan.yaml": "title: a\n"}, "c1", D1)
    with GitSource.open(root / "plans" / "[ab]*", "HEAD") as src:
        assert names(src.list_dir("")) == ["plan.yaml"]
        assert src.read("plan.yaml") == "title: étoile\n".encode()


def test_symlinks_and_submodules_are_other(repo: Path) -> None:
    os.symlink("plan.yaml", repo / "plans" / "x" / "alias.yaml")
    os.symlink("nowhere.yaml", repo / "plans" / "x" / "broken.yaml")
    git(repo, "add", "-A")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},plans/x/vendor")  # a submodule (gitlink)
    git(repo, "commit", "-q", "-m", "links", date=D3)
    with GitSource.open(repo / "plans" / "x", "HEAD") as src:
        kinds = {e.name: e.kind for e in src.list_dir("")}
        assert kinds["alias.yaml"] is EntryKind.FILE  # a link to a file of the same repository: read as that file (io/links.py)
        assert src.read("alias.yaml") == src.read("plan.yaml")
        assert kinds["broken.yaml"] is EntryKind.OTHER
        assert kinds["vendor"] is EntryKind.OTHER
        assert all(e.blob is None for e in src.list_dir("") if e.kind is not EntryKind.FILE)
        with pytest.raises(SourceError, match="n'est pas un fichier ordinaire"):
            src.read("broken.yaml")
        with pytest.raises(SourceError, match="n'est pas un fichier ordinaire"):
            src.read("vendor")


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the file system must accept names that are not UTF-8")
def test_names_that_are_not_utf8_are_shown_with_replacement_characters(repo: Path) -> None:
    folder = os.fsencode(repo / "plans" / "x" / "objectives")
    with open(os.path.join(folder, b"caf\xe9.yaml"), "wb") as fh:
        fh.write(b"id: latin1\n")
    os.mkdir(os.path.join(folder, b"r\xe9sum\xe9"))
    with open(os.path.join(folder, b"r\xe9sum\xe9", b"a.yaml"), "wb") as fh:
        fh.write(b"id: a\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "latin-1 names", date=D3)
    with GitSource.open(repo / "plans" / "x", "HEAD") as src:
        assert names(src.list_dir("objectives")) == ["01-a.yaml", "caf\ufffd.yaml", "r\ufffdsum\ufffd"]
        assert src.read("objectives/caf\ufffd.yaml") == b"id: latin1\n"
        assert src.read("objectives/r\ufffdsum\ufffd/a.yaml") == b"id: a\n"
        "".join(names(src.list_dir("objectives"))).encode("utf-8")  # printable: no lone surrogates


def test_non_ascii_plan_folder(tmp_path: Path) -> None:
    root = tmp_path / "dépôt"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {"plans/Écaussinnes/plan.yaml": "title: é\n"}, "c1", D1)
    with GitSource.open(root / "plans" / "Écaussinnes", "HEAD") as src:
        assert src.read("plan.yaml") == "title: é\n".encode()


# --- processes -----------------------------------------------------------------------------


def test_three_commands_to_open_and_one_cat_file_for_every_read(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(argv, *a, **kw):  # type: ignore[no-untyped-def]
        runs.append([os.fsdecode(x) for x in argv])
        return real_run(argv, *a, **kw)

    monkeypatch.setattr(gitmod.subprocess, "run", counting_run)
    src = GitSource.open(repo / "plans" / "x", "draft")
    assert [r[r.index("--literal-pathspecs") + 1] for r in runs] == ["rev-parse", "rev-parse", "ls-tree"]
    for argv in runs:
        assert "core.hooksPath=/dev/null" in argv and "core.fsmonitor=false" in argv
    assert src._proc is None  # started on the first read only
    files = read_all(src)
    assert len(files) == 4
    proc = src._proc
    assert proc is not None and proc.poll() is None
    assert src.commit_date.year == 2024
    read_all(src)
    assert src._proc is proc  # one long-lived process
    assert len(runs) == 3
    src.close()
    assert proc.returncode == 0 and src._proc is None
    src.close()  # twice is fine
    assert src.read("plan.yaml") == b"title: v2\n"  # a read after close starts a new process
    src.close()


def test_finaliser_ends_the_process(repo: Path) -> None:
    src = GitSource.open(repo / "plans" / "x", "HEAD")
    src.read("plan.yaml")
    proc = src._proc
    assert proc is not None
    del src
    import gc

    gc.collect()
    assert proc.wait(timeout=5) == 0


def test_variables_from_a_git_hook_do_not_redirect_git(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    commit(other, {"plans/x/plan.yaml": "title: autre\n"}, "other", D1)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    with GitSource.open(repo / "plans" / "x", "HEAD") as src:
        assert src.read("plan.yaml") == b"title: v2\n"


def _snapshot(root: Path) -> dict[str, tuple]:
    """Every file, folder and link under root (the work tree, the index and all of .git): bytes, mode, size, mtime."""
    out: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if os.path.islink(path):
                body = os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as fh:
                    body = hashlib.sha256(fh.read()).hexdigest()
            else:
                body = ""
            out[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, body)
    return out


def test_nothing_is_written_and_no_hook_runs(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "hook-ran"
    hook = f"#!/bin/sh\necho \"$0\" >> '{marker}'\nexit 0\n"
    hooks = repo / ".git" / "hooks"
    for name in ("post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc", "post-merge", "fsmonitor"):
        (hooks / name).write_text(hook)
        (hooks / name).chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hooks / "fsmonitor"))
    git(repo, "gc", "-q")  # packed objects and refs too
    # a dirty work tree, an untracked file and a stale index: "git status" would refresh and rewrite it
    write(repo, {"plans/x/plan.yaml": "title: brouillon\n", "plans/x/notes.txt": "à faire\n"})
    old = os.stat(repo / "README.md").st_mtime_ns
    os.utime(repo / "README.md", ns=(old + 5_000_000_000, old + 5_000_000_000))
    marker.unlink(missing_ok=True)  # gc's pack-refs ran reference-transaction: the trap works
    before = _snapshot(repo)

    for rev in ("HEAD", "HEAD~1", "v1.0", "draft"):
        with GitSource.open(repo / "plans" / "x", rev) as src:
            read_all(src)
            _ = src.commit_date
    for rev in ("v9", "HEAD~5"):
        with pytest.raises(SourceError):
            GitSource.open(repo / "plans" / "x", rev)
    with pytest.raises(SourceError):
        GitSource.open(repo / "plans" / "y", "v1.0")

    assert _snapshot(repo) == before
    assert not marker.exists()
    # the proof can fail: plain git status does rewrite something (the index) or run the fsmonitor hook
    subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], check=True, capture_output=True)
    assert _snapshot(repo) != before or marker.exists()


# --- errors --------------------------------------------------------------------------------


def test_unknown_revision_with_close_names(repo: Path) -> None:
    with pytest.raises(SourceError) as err:
        GitSource.open(repo / "plans" / "x", "v9")
    assert err.value.message == "la révision « v9 » n'existe pas dans ce dépôt."
    assert "git log --oneline" in err.value.hint
    with pytest.raises(SourceError) as err:
        GitSource.open(repo / "plans" / "x", "v1.1")
    assert err.value.message == "la révision « v1.1 » n'existe pas dans ce dépôt."
    assert err.value.hint.startswith("Vouliez-vous dire : « v1.0 »")
    with pytest.raises(SourceError) as err:
        GitSource.open(repo / "plans" / "x", "drfat~1")
    assert "« draft »" in err.value.hint
    with pytest.raises(SourceError) as err:
        GitSource.open(repo / "plans" / "x", "HEAD~5")
    assert err.value.message == "la révision « HEAD~5 » n'existe pas dans ce dépôt."


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "", "HEAD\n", "HEAD:plans/x/plan.yaml", "HEAD^{tree}"])
def test_options_and_non_commits_are_not_revisions(repo: Path, rev: str) -> None:
    with pytest.raises(SourceError, match="n'existe pas dans ce dépôt"):
        GitSource.open(repo / "plans" / "x", rev)


def test_not_in_a_git_repository(tmp_path: Path) -> None:
    plan = tmp_path / "plain"
    plan.mkdir()
    (plan / "plan.yaml").write_text("title: x\n")
    with pytest.raises(SourceError) as err:
        GitSource.open(plan, "HEAD")
    assert err.value.message == f"Le dossier « {plan} » n'est pas dans un dépôt git : il n'a pas de révisions à lire."
    assert "sans --rev" in err.value.hint


def test_folder_that_does_not_exist_on_disk(repo: Path) -> None:
    with pytest.raises(SourceError) as err:
        GitSource.open(repo / "plans" / "z", "HEAD")
    assert err.value.message == f"Le dossier « {repo / 'plans' / 'z'} » n'existe pas."
    with pytest.raises(SourceError, match="n'est pas un dossier"):
        GitSource.open(repo / "README.md", "HEAD")


def test_git_not_installed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SourceError) as err:
        GitSource.open(repo / "plans" / "x", "HEAD")
    assert err.value.message.startswith("git n'est pas installé sur cet ordinateur")
    assert "sans --rev" in err.value.hint


def test_git_disappears_after_opening(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = GitSource.open(repo / "plans" / "x", "HEAD")
    monkeypatch.setattr(src._git, "exe", str(repo / "no-such-git"))
    with pytest.raises(SourceError, match="impossible de lancer git"):
        src.read("plan.yaml")
    src.close()


def test_plan_folder_absent_at_that_revision(repo: Path) -> None:
    plan = repo / "plans" / "y"
    c1 = git(repo, "rev-parse", "HEAD~1")
    with pytest.raises(SourceError) as err:
        GitSource.open(plan, "HEAD~1")
    assert err.value.message == f"Le dossier {plan} n'existait pas à la révision {c1[:7]} (HEAD~1)."
    assert "git log --oneline -- " in err.value.hint


def test_plan_folder_was_a_file_at_that_revision(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {"plans/x": "pas encore un dossier\n"}, "c1", D1)
    commit(root, {"plans/x": None, "plans/x/plan.yaml": "title: x\n"}, "c2", D2)
    with pytest.raises(SourceError, match="n'était pas un dossier à la révision .* \\(HEAD~1\\)"):
        GitSource.open(root / "plans" / "x", "HEAD~1")


def test_shallow_clone_without_the_old_commit(repo: Path, tmp_path: Path) -> None:
    c1 = git(repo, "rev-parse", "main~1")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "main", f"file://{repo}", str(shallow))
    with GitSource.open(shallow / "plans" / "x", "HEAD") as src:  # the commit that is there reads fine
        assert src.read("plan.yaml") == b"title: v2\n"
    for rev in ("HEAD~1", c1):
        with pytest.raises(SourceError) as err:
            GitSource.open(shallow / "plans" / "x", rev)
        assert err.value.message.startswith(f"la révision « {rev} » n'est pas dans ce dépôt : c'est une copie partielle")
        assert "git fetch --unshallow" in err.value.hint
    with pytest.raises(SourceError) as err:  # a misspelt branch in a shallow clone: both hints
        GitSource.open(shallow / "plans" / "x", "mian")
    assert err.value.hint.startswith("Vouliez-vous dire : « main » ? Récupérez tout l'historique")


def test_a_blob_of_8_mib_or_more_is_refused(repo: Path) -> None:
    commit(repo, {"plans/x/objectives/huge.yaml": b"#" * MAX_BLOB_BYTES, "plans/x/objectives/big.yaml": b"#" * (MAX_BLOB_BYTES - 1)},
           "big", D3)
    with GitSource.open(repo / "plans" / "x", "HEAD") as src:
        with pytest.raises(SourceError) as err:
            src.read("objectives/huge.yaml")
        assert "fait 8.0 Mio" in err.value.message and "8 Mio ou plus" in err.value.message
        assert err.value.hint
        assert src.read("plan.yaml") == b"title: v2\n"  # the stream stays in step
        assert len(src.read("objectives/big.yaml")) == MAX_BLOB_BYTES - 1


def test_missing_blob_is_an_error_not_a_hang(repo: Path) -> None:
    with GitSource.open(repo / "plans" / "x", "HEAD") as src:
        fake = "0" * len(src.commit)
        src._kinds["ghost.yaml"] = Entry("ghost.yaml", EntryKind.FILE, fake)
        with pytest.raises(SourceError, match="manque à ce dépôt"):
            src.read("ghost.yaml")
        assert src.read("plan.yaml") == b"title: v2\n"


def test_revision_errors_in_the_users_language(repo: Path, tmp_path: Path) -> None:
    """The command line shows a SourceError in French by default and in English with --lang en."""
    from _cli import feuille

    plan = str(repo / "plans" / "x")
    fr = feuille("status", plan, "--rev", "v1.1")
    assert fr.returncode == 2
    assert "la révision « v1.1 » n'existe pas dans ce dépôt." in fr.stderr
    assert "Vouliez-vous dire : « v1.0 » ? Sinon, « git log --oneline » liste les révisions" in fr.stderr
    en = feuille("status", plan, "--rev", "v1.1", "--lang", "en")
    assert en.returncode == 2
    assert "the revision 'v1.1' does not exist in this repository." in en.stderr
    assert "Did you mean: 'v1.0'? Otherwise, 'git log --oneline' lists the revisions" in en.stderr

    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "plan.yaml").write_text("title: x\n")
    fr = feuille("status", str(plain), "--rev", "HEAD")
    assert f"Le dossier « {plain} » n'est pas dans un dépôt git : il n'a pas de révisions à lire." in fr.stderr
    assert "Lancez la commande sans --rev" in fr.stderr
    en = feuille("status", str(plain), "--rev", "HEAD", "--lang", "en")
    assert f"The folder '{plain}' is not in a git repository: it has no revisions to read." in en.stderr
    assert "Run the command without --rev to read the folder as it is" in en.stderr
    en = feuille("diff", "--plan", str(plain), "--lang", "en")
    assert "To compare two folders outside git: feuille diff --plan NEW --against OLD." in en.stderr
    assert "Pour comparer deux dossiers hors git" in feuille("diff", "--plan", str(plain)).stderr

    fr = feuille("status", str(repo / "plans" / "x"), "--rev", "v1.0", "--lang", "en", env={"PATH": ""})
    assert "git is not installed on this computer" in fr.stderr
