"""Git, run one hardened way: the plan's repository (:class:`Repo`) and a plan as it was at a revision (:class:`GitSource`).

Every git process feuille starts goes through :class:`Git`: history (``log``, trends, ``--as-of``),
``diff``, ``validate``, ``--commit`` and the ids taken on other branches (``new``, a returned sheet).

:class:`GitSource` implements the :class:`~feuille.io.sources.Source` protocol
for ``feuille ... --rev REV``.  Opening it runs three short git commands
(where is the repository, which commit is ``REV``, what is in the plan folder
at that commit) and builds an in-memory index of the folder; files are then read
through one long-lived ``git cat-file --batch`` process, started on the first
read.  Every file carries its blob id (:attr:`Entry.blob`), so a cache keyed by
blob id is never stale.

Nothing here checks anything out, refreshes the index or runs a hook: git is never
run through a shell, always with optional locks off, hooks and fsmonitor disabled, no
terminal prompt, no network (a partial clone may not fetch a missing object), and with
the variables that point git at another repository (``GIT_DIR``, ``GIT_INDEX_FILE``... set
when feuille runs from a git hook) removed.  It writes to the repository only when asked,
twice: :meth:`Repo.add_tag` (``feuille validate``: an annotated tag, never moved nor
replaced) and :meth:`Repo.commit` (``--commit``: exactly the files written, no hook).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import posixpath
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import IO

from feuille.core.i18n import N_, Joined, Msg, msg
from feuille.core.shell import folder_name
from feuille.io import links as rule
from feuille.io.files import system_reason
from feuille.io.history import SHORT, VALIDATION_PREFIX, Commit, Validation, end_of_day, validation
from feuille.io.sources import Entry, EntryKind, SourceError

MAX_BLOB_BYTES = 8 * 1024 * 1024  # the YAML reader refuses bigger files anyway (yamlread.MAX_FILE_BYTES)

# Variables that would make git look at another repository, index or object store
# than the one the plan folder is in (``git rev-parse --local-env-vars``).
_LOCAL_ENV = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE",
    "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX",
    "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE", "GIT_COMMON_DIR", "GIT_NAMESPACE",
)

_HARDENING = (
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "protocol.allow=never",  # a partial clone must not go and fetch a missing object
    "--no-replace-objects",
    "--literal-pathspecs",  # a folder named "[ab]*" is that folder, not a pattern
)

_MODES = {
    b"100644": EntryKind.FILE,
    b"100755": EntryKind.FILE,
    b"040000": EntryKind.DIR,
    b"120000": EntryKind.OTHER,  # a symbolic link: not followed, as on a checkout without links
    b"160000": EntryKind.OTHER,  # a submodule: its files are not in this repository
}

_HEX = re.compile(r"[0-9a-fA-F]{4,64}")

COMMA = msg(", ")
FSCK_HINT = msg("Check the repository with 'git fsck'.")
#: messages a caller tells apart (``exc.msg.msgid``), whatever the language they are shown in
NOT_IN_REPOSITORY = N_("The folder '{path}' is not in a git repository: it has no revisions to read.")
NO_WORK_TREE = N_("The folder '{path}' is in a git repository without a working copy (a bare repository or a .git folder).")
FOLDER_ABSENT = N_("The folder {path} did not exist at the revision {where}.")
SUBFOLDER_ABSENT = N_("the folder {path} did not exist at the revision {where}.")
NO_GIT_HINT = msg("Install git (https://git-scm.com/download), or run the command without --rev to read the folder as it is.")
STATUS_HINT = msg("Check the repository with 'git status'.")
_SEP = "\x1f"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LOCAL_ENV}
    env.update(
        GIT_OPTIONAL_LOCKS="0",  # never refresh or rewrite the index
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",  # git >= 2.45; protocol.allow=never covers older ones
        GIT_ASKPASS="",
        SSH_ASKPASS="",
        GIT_PAGER="cat",
        LC_ALL="C",  # messages in English, so that we can recognise them
        LANGUAGE="C",
    )
    return env


def _decode(raw: bytes) -> str:
    """A file name for display: a name that is not UTF-8 keeps its readable parts, with � for the rest."""
    return raw.decode("utf-8", errors="replace")


def _why(stderr: bytes) -> str:
    """Git's own reason in what it wrote: its first « fatal: » or « error: » line, else its last (no final period)."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", errors="replace").splitlines() if ln.strip()]
    said = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith(("fatal:", "error:"))), lines[-1] if lines else "git")
    return said.rstrip(".") or "git"


def _last_line(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", errors="replace").splitlines() if ln.strip()]
    return lines[-1] if lines else ""


class Git:
    """Runs git in one repository, hardened, never through a shell: the one way feuille runs git."""

    def __init__(self, exe: str, cwd: Path) -> None:
        self.exe = exe
        self.cwd = cwd
        self.env = _env()

    def argv(self, *args: str | bytes) -> list[str | bytes]:
        return [self.exe, "-C", os.fsencode(self.cwd), *_HARDENING, *args]

    def run(self, *args: str | bytes, timeout: float | None = None, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:  # noqa: A002 (subprocess's name)
        try:
            if input is not None:  # what git reads on its standard input (diff-tree --stdin)
                return subprocess.run(self.argv(*args), input=input, capture_output=True, env=self.env, check=False, timeout=timeout)
            return subprocess.run(self.argv(*args), stdin=subprocess.DEVNULL, capture_output=True, env=self.env, check=False, timeout=timeout)
        except OSError as exc:  # git vanished, or cannot be started
            raise SourceError(msg("cannot start git: {reason}.", reason=system_reason(exc)), NO_GIT_HINT) from exc
        except subprocess.TimeoutExpired:
            raise SourceError(msg("git did not answer within {seconds} s.", seconds=int(timeout or 0)),
                              msg("Run the command again; if it happens again, check the repository with 'git fsck'.")) from None


GIT_MISSING = "git-missing"  # the code of the error of a computer without git (--commit words it its own way)


def find_git() -> str:
    """The git program; :class:`SourceError` (code :data:`GIT_MISSING`) if there is none."""
    exe = shutil.which("git")
    if exe is None:
        raise SourceError(msg("git is not installed on this computer (or cannot be found): git is needed to read a revision."), NO_GIT_HINT,
                          code=GIT_MISSING)
    return exe


def ignored_paths(folder: Path, names: list[str]) -> set[str]:
    """Which of ``names`` (paths relative to ``folder``) the repository's ``.gitignore`` or ``.git/info/exclude``
    leave out (plan discovery: io/discovery.py); none without git, outside a repository, or when git refuses it."""
    exe = shutil.which("git")
    if exe is None or not names:
        return set()
    # check-ignore takes paths, never pathspecs, and refuses --literal-pathspecs: the rest of the hardening holds
    argv = [exe, "-C", os.fsencode(folder), *(a for a in _HARDENING if a != "--literal-pathspecs"), "check-ignore", "--stdin", "-z"]
    given = b"".join(os.fsencode(name) + b"\0" for name in names)
    try:
        proc = subprocess.run(argv, input=given, capture_output=True, env=_env(), check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a repository after all, or git refuses it (safe.directory): nothing to honour
        return set()
    return {os.fsdecode(name) for name in proc.stdout.split(b"\0") if name}


def locate(exe: str, path: Path) -> tuple[Path, bytes, Path, bool]:
    """Where the repository holding ``path`` is: its working tree, the folder's prefix in it, its git folder, whether
    it is shallow; :class:`SourceError` saying why not."""
    proc = Git(exe, path).run("rev-parse", "--show-toplevel", "--show-prefix", "--absolute-git-dir", "--is-shallow-repository")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", errors="replace")
        if "dubious ownership" in err:
            raise SourceError(
                msg("git refuses to read the repository that holds '{path}': it belongs to another user of this computer.", path=str(path)),
                msg("If you trust this repository, allow it with 'git config --global --add safe.directory REPOSITORY_PATH', then run again."),
            )
        if "not a git repository" in err:
            raise SourceError(
                Msg(NOT_IN_REPOSITORY, path=str(path)),
                msg("Run the command without --rev to read the folder as it is, or put the plan under git (git init, git add, git commit)."),
            )
        if "work tree" in err:
            raise SourceError(
                Msg(NO_WORK_TREE, path=str(path)),
                msg("Give the plan folder in a working copy of the repository (git clone)."),
            )
        raise SourceError(
            msg("git cannot read the repository that holds '{path}': {error}", path=str(path), error=_last_line(proc.stderr)),
            STATUS_HINT,
        )
    lines = proc.stdout.split(b"\n")
    top, prefix, git_dir, shallow = lines[0], lines[1], lines[2], lines[3].strip()
    return Path(os.fsdecode(top)), prefix, Path(os.fsdecode(git_dir)), shallow == b"true"


class GitSource:
    """The plan folder ``root`` as committed at ``rev``; see :meth:`open`."""

    root: Path  # the plan folder as the user named it
    label: Msg  # « plans/x à la révision 3f2a1c9 (v1.0) »: label(lang); str(label) is French
    rev: str  # the revision as the user gave it
    commit: str  # its full commit id
    toplevel: Path  # the repository's working tree
    git_dir: Path  # the repository's .git folder (absolute): the cache is keyed by it
    prefix: str  # the plan folder inside the repository, "" or "plans/x"

    def __init__(self, git: Git, root: Path, rev: str, commit: str, git_dir: Path, prefix: str, index: dict[str, list[Entry]]) -> None:
        self._git = git
        self.root = root
        self.rev = rev
        self.commit = commit
        self.toplevel = git.cwd
        self.git_dir = git_dir
        self.prefix = prefix
        self._dirs = index
        self._kinds: dict[str, Entry] = {}
        for folder, entries in index.items():
            for e in entries:
                self._kinds[f"{folder}/{e.name}" if folder else e.name] = e
        self._proc: subprocess.Popen[bytes] | None = None
        self._commit_date: dt.datetime | None = None
        self.label = msg("{root} at revision {rev}", root=folder_name(root), rev=self.describe())

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, rev: str) -> GitSource:
        """Open the plan folder ``path`` at revision ``rev``; :class:`SourceError` if it cannot be."""
        exe = find_git()
        if not path.is_dir():
            if path.exists():
                raise SourceError(msg("'{path}' is not a folder.", path=str(path)), msg("Give the plan folder, the one that holds plan.yaml."))
            raise SourceError(
                msg("The folder '{path}' does not exist.", path=str(path)),
                msg("To read a revision, give the plan folder as it exists today in the git repository."),
            )
        top, prefix, git_dir, shallow = locate(exe, path)
        git = Git(exe, top)
        commit = cls.resolve(git, rev, shallow)
        links: dict[str, str] = {}
        index = cls.listing(git, path, rev, commit, prefix, shallow, links)
        source = cls(git, path, rev, commit, git_dir, prefix.decode("utf-8", errors="replace").rstrip("/"), index)
        if links:
            source._follow(links)
        return source

    @classmethod
    def resolve(cls, git: Git, rev: str, shallow: bool) -> str:
        """The full commit id of ``rev``; :class:`SourceError` with the closest names if unknown."""
        proc = None
        if rev and not rev.startswith("-") and "\0" not in rev and "\n" not in rev:
            proc = git.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        if proc is not None and proc.returncode == 0:
            return proc.stdout.decode("ascii").strip()
        if shallow:
            raise SourceError(
                msg("the revision '{rev}' is not in this repository: it is a partial copy of the history (a shallow clone), without the older revisions.", rev=rev),
                msg("{close}Fetch the whole history with 'git fetch --unshallow' (in GitHub Actions: 'fetch-depth: 0' for actions/checkout), then run again.",
                    close=cls._closest_names(git, rev)),
            )
        raise SourceError(msg("the revision '{rev}' does not exist in this repository.", rev=rev), cls._closest_hint(git, rev))

    @staticmethod
    def _closest_names(git: Git, rev: str) -> Msg | str:
        """``Vouliez-vous dire : « main » ? `` when a branch or tag is spelled alike, else ``""``."""
        proc = git.run("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes")
        names = [n for n in proc.stdout.decode("utf-8", errors="replace").splitlines() if n] if proc.returncode == 0 else []
        base = re.split(r"[~^@:]", rev, maxsplit=1)[0]  # "v9~2" -> "v9"
        close = [n for n in difflib.get_close_matches(base, names, n=3, cutoff=0.5) if n != base] if base else []
        return msg("Did you mean: {near}? ", near=Joined(COMMA, [Msg("'{value}'", value=n) for n in close])) if close else ""

    @classmethod
    def _closest_hint(cls, git: Git, rev: str) -> Msg:
        advice = msg("'git log --oneline' lists the revisions, 'git tag' the tags, 'git branch -a' the branches.")
        close = cls._closest_names(git, rev)
        return msg("{close}Otherwise, {advice}", close=close, advice=advice) if close else msg("Give a branch, a tag or a commit: {advice}", advice=advice)

    @classmethod
    def listing(cls, git: Git, path: Path, rev: str, commit: str, prefix: bytes, shallow: bool, links: dict[str, str] | None = None,
                records: list[bytes] | None = None) -> dict[str, list[Entry]]:
        """What the plan folder held at ``commit``: each folder's entries (``ls-tree``, one process, unless ``records``
        gives its lines: :meth:`Repo._records`); ``links``, if given, receives the symbolic links found (path -> blob),
        for :meth:`_follow`."""
        where = _describe(commit, rev)
        if records is None:
            args: list[str | bytes] = ["ls-tree", "-r", "-t", "-z", "--full-tree", commit]
            if prefix:
                args += ["--", prefix.rstrip(b"/")]  # without the slash, so that a file of that name shows up too
            proc = git.run(*args)
            if proc.returncode != 0:
                raise SourceError(
                    msg("Cannot read the content of the revision {where}: {error}", where=where, error=_last_line(proc.stderr)),
                    msg("Objects may be missing from this repository (a partial or shallow clone): try 'git fetch --unshallow' or 'git fetch --refetch', then run again.")
                    if shallow else FSCK_HINT,
                )
            records = proc.stdout.split(b"\0")
        top = prefix.rstrip(b"/")
        dirs: dict[bytes, list[tuple[bytes, EntryKind, str | None]]] = {b"": []}
        found = not prefix
        for record in records:
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, _, rest = meta.partition(b" ")
            oid = rest.partition(b" ")[2]
            if prefix:
                if name == top:
                    if mode != b"040000":
                        raise SourceError(
                            msg("'{path}' was not a folder at the revision {where} (it was a file).", path=str(path), where=where),
                            msg("'git log --oneline -- {path}' lists the revisions that changed it.", path=shlex.quote(str(path))),
                        )
                    found = True
                    continue
                if not name.startswith(prefix):
                    continue  # a folder above the plan, listed by -t
                name = name[len(prefix):]
            kind = _MODES.get(mode, EntryKind.OTHER)
            if mode == b"120000" and links is not None:
                links[_decode(name)] = oid.decode("ascii")  # followed in _follow when it stays in the repository
            parent, _, base = name.rpartition(b"/")
            dirs.setdefault(parent, []).append((base, kind, oid.decode("ascii") if kind is EntryKind.FILE else None))
            if kind is EntryKind.DIR:
                dirs.setdefault(name, [])
        if not found:
            raise SourceError(
                Msg(FOLDER_ABSENT, path=str(path), where=where),
                msg("Check the revision and the folder: 'git log --oneline -- {path}' lists the revisions that changed it.", path=shlex.quote(str(path))),
            )
        index: dict[str, list[Entry]] = {}
        for folder, items in dirs.items():
            entries: dict[str, Entry] = {}
            for raw, kind, blob in items:
                name = _decode(raw)
                if name in entries:  # two names that are not UTF-8 and read alike: keep the first
                    continue
                entries[name] = Entry(name, kind, blob)
            index[_decode(folder)] = [entries[n] for n in sorted(entries)]
        return index

    def _follow(self, links: dict[str, str]) -> None:
        """A symbolic link of the plan, as on disk (io/links.py): read as the file it leads to when that is a regular
        file of the same commit's repository (a town and its CPAS sharing people.yaml); any other link is refused."""

        for rel, oid in links.items():
            where = posixpath.join(self.prefix, rel) if self.prefix else rel
            written = "?"
            entry: Entry | None = None
            seen: set[str] = set()
            for _hop in range(16):
                try:
                    _type, raw = self._object(oid, limit=4096)
                except (_TooBig, SourceError):
                    break
                target = raw.decode("utf-8", errors="replace")
                if written == "?":
                    written = target
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(where), target))
                if target.startswith("/") or joined == ".." or joined.startswith("../"):
                    entry = Entry(posixpath.basename(rel), EntryKind.REFUSED, why=rule.outside(written, True))
                    break
                if joined in seen:
                    entry = Entry(posixpath.basename(rel), EntryKind.REFUSED, why=rule.loop(written))
                    break
                seen.add(joined)
                proc = self._git.run("ls-tree", "-z", self.commit, "--", joined)
                record = proc.stdout.split(b"\0")[0] if proc.returncode == 0 else b""
                meta = record.partition(b"\t")[0].split()
                if len(meta) != 3:
                    break  # a link to nothing: unreadable (F108), as on disk
                mode, found = meta[0], meta[2].decode("ascii")
                if mode in (b"100644", b"100755"):
                    entry = Entry(posixpath.basename(rel), EntryKind.FILE, found)
                    break
                if mode == b"040000":
                    holds_it = where == joined or where.startswith(joined + "/")
                    entry = Entry(posixpath.basename(rel), EntryKind.REFUSED, why=rule.to_folder(written, holds_it), folder=True)
                    break
                if mode != b"120000":
                    break  # a submodule
                where, oid = joined, found
            else:
                entry = Entry(posixpath.basename(rel), EntryKind.REFUSED, why=rule.loop(written))
            if entry is None:
                continue
            folder = posixpath.dirname(rel)
            self._dirs[folder] = [entry if e.name == entry.name else e for e in self._dirs.get(folder, [])]
            self._kinds[rel] = entry

    # --- describing ------------------------------------------------------------------------

    def describe(self) -> str:
        """``3f2a1c9 (v1.0)``: the commit, and the revision as given when it is not the commit id itself."""
        return _describe(self.commit, self.rev)

    @property
    def commit_date(self) -> dt.datetime:
        """When the commit was made (committer date), with its own time zone."""
        if self._commit_date is None:
            _, raw = self._object(self.commit)
            self._commit_date = _committer_date(raw)
        return self._commit_date

    # --- the Source protocol ---------------------------------------------------------------

    def _shown(self, rel: str) -> str:
        return str(self.root / rel) if rel else str(self.root)

    def blobs(self) -> set[str]:
        """The blob of every file of the plan folder at this revision."""
        return {e.blob for e in self._kinds.values() if e.blob is not None}

    def list_dir(self, rel: str) -> list[Entry]:
        rel = rel.strip("/")
        entries = self._dirs.get(rel)
        if entries is None:
            raise SourceError(Msg(SUBFOLDER_ABSENT, path=self._shown(rel), where=self.describe()))
        return list(entries)

    def exists(self, rel: str) -> bool:
        rel = rel.strip("/")
        return rel == "" or rel in self._kinds

    def read(self, rel: str) -> bytes:
        rel = rel.strip("/")
        entry = self._kinds.get(rel)
        if entry is None:
            raise SourceError(msg("the file {path} did not exist at the revision {where}.", path=self._shown(rel), where=self.describe()))
        if entry.kind is not EntryKind.FILE or entry.blob is None:
            raise SourceError(msg("{path} is not a regular file at the revision {where} (a folder, a link or a submodule).", path=self._shown(rel), where=self.describe()))
        try:
            _, raw = self._object(entry.blob, limit=MAX_BLOB_BYTES)
        except _TooBig as big:
            size = f"{big.size / 1024 / 1024:.1f}"
            raise SourceError(
                msg("The file {path} is {size} MiB at the revision {where}: feuille does not read a file of {limit} MiB or more.",
                    path=self._shown(rel), size=size, where=self.describe(), limit=MAX_BLOB_BYTES // 1024 // 1024),
                msg("A file of the plan normally holds in a few kilobytes: split it (one file per objective or per action)."),
            ) from None
        return raw

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=5)  # cat-file ends when its input is closed
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> GitSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finaliser
            pass

    # --- the cat-file process --------------------------------------------------------------

    def _batch(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            try:
                self._proc = subprocess.Popen(
                    self._git.argv("cat-file", "--batch"),
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self._git.env,
                )
            except OSError as exc:
                raise SourceError(msg("cannot start git: {reason}.", reason=system_reason(exc)), NO_GIT_HINT) from exc
        return self._proc

    def _object(self, oid: str, limit: int | None = None) -> tuple[str, bytes]:
        """The type and bytes of object ``oid``; :class:`_TooBig` (stream kept in step) beyond ``limit``."""
        proc = self._batch()
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(oid.encode("ascii") + b"\n")
            stdin.flush()
            header = stdout.readline()
        except (OSError, ValueError) as exc:
            self.close()
            raise self._broken() from exc
        parts = header.split()
        if len(parts) == 2 and parts[1] == b"missing":
            raise SourceError(
                msg("The git object {oid} is missing from this repository (revision {where}).", oid=oid[:SHORT], where=self.describe()),
                msg("The repository may be a partial clone: fetch the missing objects (git fetch), then run again."),
            )
        if len(parts) != 3 or not parts[2].isdigit():
            self.close()
            raise self._broken()
        size = int(parts[2])
        if limit is not None and size >= limit:
            _skip(stdout, size + 1)
            raise _TooBig(size)
        data = stdout.read(size + 1)
        if len(data) != size + 1:
            self.close()
            raise self._broken()
        return parts[1].decode("ascii"), data[:-1]

    def _broken(self) -> SourceError:
        return SourceError(
            msg("git stopped while reading the revision {where}.", where=self.describe()),
            msg("Run the command again; if it happens again, check the repository with 'git fsck'."),
        )


def _describe(commit: str, rev: str) -> str:
    short = commit[:SHORT]
    if _HEX.fullmatch(rev) and commit.startswith(rev.lower()):
        return short
    return f"{short} ({rev})"


_TYPES = {b"040000": b"tree", b"160000": b"commit"}


def _record(mode: bytes, path: bytes, oid: str) -> bytes:
    """One line of ``git ls-tree -z`` (without its NUL)."""
    return b"%s %s %s\t%s" % (mode, _TYPES.get(mode, b"blob"), oid.encode("ascii"), path)


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _skip(stream: IO[bytes], n: int) -> None:
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            return
        n -= len(chunk)


def _committer_date(raw: bytes) -> dt.datetime:
    for line in raw.split(b"\n"):
        if not line:
            break  # end of the headers
        if line.startswith(b"committer "):
            ts, tz = line.rsplit(b" ", 2)[1:]
            sign = -1 if tz.startswith(b"-") else 1
            offset = dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
            return dt.datetime.fromtimestamp(int(ts), dt.timezone(offset))
    raise SourceError(msg("this revision has no date (a malformed commit)."), FSCK_HINT)


class Repo:
    """The git repository holding a plan folder, and everything feuille asks of it (see :meth:`open`): its history
    (first-parent commits, the commit of a day, validations), the plan at a commit (:meth:`source_at`), a
    validation tag (:meth:`add_tag`), a commit of written files (:meth:`commit`), the ids taken on every
    branch (:meth:`ids_on_branches`).  Every git process goes through one :class:`Git` runner."""

    def __init__(self, git: Git, root: Path, prefix: str, git_dir: Path, shallow: bool) -> None:
        self._git = git
        self.root = root  # the plan folder as the user named it
        self.toplevel = git.cwd
        self.prefix = prefix  # the plan folder inside the repository, "" or "plans/x"
        self.git_dir = git_dir
        self.shallow = shallow
        self._batch = None  # the cat-file process shared by source_at()
        self._trees: dict[str, list[tuple[bytes, bytes, str]]] = {}  # tree id -> its entries (source_at)

    @classmethod
    def open(cls, root: Path) -> Repo:
        """The repository of ``root``; :class:`SourceError` (ready to show) if it is not in one."""
        exe = find_git()
        top, prefix, git_dir, shallow = locate(exe, root)
        return cls(Git(exe, top), root, prefix.decode("utf-8", errors="replace").rstrip("/"), git_dir, shallow)

    @classmethod
    def find(cls, root: Path) -> Repo | None:
        """The repository of ``root``, or None when it is not in git (or git is missing)."""
        try:
            return cls.open(root)
        except SourceError:
            return None

    # --- reading -----------------------------------------------------------------------------

    def resolve(self, rev: str) -> str:
        """The full commit id of ``rev``; :class:`SourceError` with the closest names if unknown."""
        return GitSource.resolve(self._git, rev, self.shallow)

    def commits(self, rev: str = "HEAD", *, only_plan: bool = True, until: dt.datetime | None = None, limit: int | None = None) -> list[Commit]:
        """First-parent commits reachable from ``rev``, newest first (those that touched the plan folder if ``only_plan``)."""
        args: list[str | bytes] = ["log", "--first-parent", "--no-show-signature", "--no-color",
                                   f"--format=%H{_SEP}%an{_SEP}%ae{_SEP}%aI{_SEP}%cI{_SEP}%s"]
        if until is not None:
            args.append(f"--until={int(until.timestamp())}")
        if limit is not None:
            args.append(f"-n{limit}")
        args.append(self.resolve(rev))
        if only_plan:
            args += ["--", self.prefix or "."]
        proc = self._git.run(*args)
        if proc.returncode != 0:
            if b"does not have any commits" in proc.stderr:
                return []
            raise SourceError(msg("git cannot read the history: {error}", error=_last_line(proc.stderr)), STATUS_HINT)
        out = []
        for line in proc.stdout.decode("utf-8", errors="replace").splitlines():
            parts = line.split(_SEP)
            if len(parts) != 6:
                continue
            out.append(Commit(parts[0], parts[1], parts[2], dt.datetime.fromisoformat(parts[3]), dt.datetime.fromisoformat(parts[4]), parts[5]))
        return out

    def has_commits(self) -> bool:
        return self._git.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode == 0

    def commits_at(self, days: list[dt.date], rev: str = "HEAD", *, only_plan: bool = False) -> list[Commit | None]:
        """:meth:`commit_at` for many days, with one walk of the history.

        ``only_plan``: the last commit that changed the plan folder instead (the same plan, read once).
        """
        if not self.has_commits():
            return [None] * len(days)
        history = self.commits(rev, only_plan=only_plan)  # newest first
        out: list[Commit | None] = []
        for day in days:
            limit = end_of_day(day)
            out.append(next((c for c in history if c.committed < limit), None))
        return out

    def commit_at(self, day: dt.date, rev: str = "HEAD") -> Commit | None:
        """The plan as committed at the end of ``day`` (Brussels): the newest first-parent commit before then.

        The newest commit of the whole first-parent history, not only those that touched the plan:
        its tree holds the plan as it was then, and its date is what the user asked for.
        """
        if not self.has_commits():
            return None
        limit = end_of_day(day)
        for c in self.commits(rev, only_plan=False, until=limit):
            if c.committed < limit:  # --until is a hint to git; the rule is ours
                return c
        return None

    def oldest(self, rev: str = "HEAD") -> Commit | None:
        """The oldest first-parent commit (in a shallow clone: the oldest one it has)."""
        if not self.has_commits():
            return None
        found = self.commits(rev, only_plan=False)
        return found[-1] if found else None

    def info(self, commit: str) -> Commit:
        found = self.commits(commit, only_plan=False, limit=1)
        if not found:
            raise SourceError(msg("the commit {commit} cannot be found.", commit=commit[:SHORT]), STATUS_HINT)
        return found[0]

    def merge_base(self, a: str, b: str) -> str:
        proc = self._git.run("merge-base", self.resolve(a), self.resolve(b))
        if proc.returncode != 0:
            raise SourceError(msg("'{a}' and '{b}' have no common ancestor.", a=a, b=b), msg("Compare them directly: feuille diff A B (two dots at most)."))
        return proc.stdout.decode("ascii").strip()

    # --- reading many revisions -------------------------------------------------------------

    def source_at(self, commit: str) -> GitSource:
        """The plan folder at ``commit`` (a full id, from :meth:`commits`), for reading many revisions in a row.

        Skips what :meth:`GitSource.open` re-learns each time (where the repository is, which commit):
        one ``git ls-tree`` per revision, and one ``git cat-file --batch`` shared by all of them.
        Give it back with :meth:`done`; :meth:`close` ends the shared process.
        """
        prefix = (self.prefix + "/").encode() if self.prefix else b""
        index = GitSource.listing(self._git, self.root, commit, commit, prefix, self.shallow, records=self._records(commit))
        source = GitSource(self._git, self.root, commit, commit, self.git_dir, self.prefix, index)
        source._proc = self._batch
        return source

    def _records(self, commit: str) -> list[bytes] | None:
        """What ``git ls-tree -r -t -z --full-tree COMMIT -- PREFIX`` writes, read from the tree objects through the shared
        ``cat-file`` process (no process per revision; a folder unchanged since the last revision is not read again);
        None when anything is not as expected (then ls-tree itself is run, and says what is wrong)."""
        holder = GitSource(self._git, self.root, "HEAD", "0" * 40, self.git_dir, self.prefix, {"": []})
        holder._proc = self._batch
        try:
            kind, raw = holder._object(commit)
            if kind != "commit" or not raw.startswith(b"tree "):
                return None
            tree = raw[5:raw.index(b"\n")].decode("ascii")
            records: list[bytes] = []
            path = b""
            for part in self.prefix.encode().split(b"/") if self.prefix else []:
                entry = next((e for e in self._tree(holder, tree) if e[1] == part), None)
                if entry is None:
                    return records  # no such folder then: listing() says so
                mode, name, oid = entry
                records.append(_record(mode, path + name, oid))
                if mode != b"040000":
                    return records
                tree, path = oid, path + name + b"/"

            def walk(tree: str, path: bytes) -> None:  # depth first, a folder's line before its content, as ls-tree -r -t
                for mode, name, oid in self._tree(holder, tree):
                    records.append(_record(mode, path + name, oid))
                    if mode == b"040000":
                        walk(oid, path + name + b"/")

            walk(tree, path)
            return records
        except (SourceError, ValueError, UnicodeDecodeError, _TooBig):
            return None
        finally:
            self._batch, holder._proc = holder._proc, None

    def _tree(self, holder: GitSource, oid: str) -> list[tuple[bytes, bytes, str]]:
        """The entries of a tree object (mode as ls-tree writes it, name, id), kept for the next revisions."""
        found = self._trees.get(oid)
        if found is not None:
            return found
        kind, raw = holder._object(oid)
        if kind != "tree":
            raise ValueError(oid)
        entries = []
        i, n = 0, len(raw)
        width = len(oid) // 2
        while i < n:
            space = raw.index(b" ", i)
            nul = raw.index(b"\0", space)
            entries.append((raw[i:space].rjust(6, b"0"), raw[space + 1:nul], raw[nul + 1:nul + 1 + width].hex()))
            i = nul + 1 + width
        if len(self._trees) > 20_000:
            self._trees.clear()
        self._trees[oid] = entries
        return entries

    def changes(self, pairs: list[tuple[str, str]]) -> list[list[tuple[str, str | None]]]:
        """For each pair of commits ``(a, b)``, the files of the plan folder that differ from ``a`` to ``b``: their path in
        the plan folder and their blob at ``b`` (None: removed), with one ``git diff-tree`` for all pairs."""
        if not pairs:
            return []
        args: list[str | bytes] = ["diff-tree", "-r", "--no-renames", "-z", "--always", "--stdin"]
        if self.prefix:
            args += ["--", self.prefix]
        proc = self._git.run(*args, input="".join(f"{b} {a}\n" for a, b in pairs).encode("ascii"))  # « commit parent »: from a to b
        if proc.returncode != 0:
            raise SourceError(msg("git cannot read the history: {error}", error=_last_line(proc.stderr)), STATUS_HINT)
        prefix = (self.prefix + "/").encode() if self.prefix else b""
        out: list[list[tuple[str, str | None]]] = []
        fields = proc.stdout.split(b"\0")
        i = 0
        while i < len(fields):
            field = fields[i]
            i += 1
            if not field:
                continue
            if not field.startswith(b":"):  # the first commit of the next pair (--always: even when nothing differs)
                out.append([])
                continue
            path = fields[i] if i < len(fields) else b""
            i += 1
            meta = field[1:].split(b" ")
            if not out or len(meta) != 5 or not path.startswith(prefix):
                raise SourceError(msg("git cannot read the history: {error}", error="diff-tree"), STATUS_HINT)
            out[-1].append((_decode(path[len(prefix):]), None if meta[4] == b"D" else meta[3].decode("ascii")))
        if len(out) != len(pairs):
            raise SourceError(msg("git cannot read the history: {error}", error="diff-tree"), STATUS_HINT)
        return out

    def blob(self, oid: str) -> bytes | None:
        """The bytes of the blob ``oid`` (None beyond :data:`MAX_BLOB_BYTES`), through the ``cat-file`` process shared by
        :meth:`source_at`."""
        holder = GitSource(self._git, self.root, "HEAD", "0" * 40, self.git_dir, self.prefix, {"": []})
        holder._proc = self._batch
        try:
            return holder._object(oid, limit=MAX_BLOB_BYTES)[1]
        except _TooBig:
            return None
        finally:
            self._batch, holder._proc = holder._proc, None

    def done(self, source: GitSource) -> None:
        """Keep the source's ``cat-file`` process for the next revision (the source no longer owns it)."""
        self._batch, source._proc = source._proc, None

    def close(self) -> None:
        proc, self._batch = self._batch, None
        if proc is not None:
            holder = GitSource(self._git, self.root, "HEAD", "0" * 40, self.git_dir, self.prefix, {"": []})
            holder._proc = proc
            holder.close()

    # --- validations ---------------------------------------------------------------------------

    def validations(self) -> list[Validation]:
        """The validation tags, oldest first (by the validation date, then the tag name)."""
        fmt = _SEP.join(["%(refname:short)", "%(*objectname)", "%(objectname)", "%(taggername)", "%(contents)"]) + "\x1e"
        proc = self._git.run("for-each-ref", f"--format={fmt}", f"refs/tags/{VALIDATION_PREFIX}")
        if proc.returncode != 0:
            return []
        out = []
        for record in proc.stdout.decode("utf-8", errors="replace").split("\x1e"):
            parts = record.strip("\n").split(_SEP)
            if len(parts) != 5 or not parts[0]:
                continue
            name, peeled, obj, tagger, message = parts
            found = validation(name, peeled or obj, tagger, message)
            if found is not None:
                out.append(found)
        out.sort(key=lambda v: (v.day, v.tag))
        return out

    def dirty(self) -> bool:
        """Whether the plan folder has changes not committed (the index is not refreshed: no write)."""
        proc = self._git.run("status", "--porcelain", "--untracked-files=normal", "--", self.prefix or ".")
        return proc.returncode == 0 and bool(proc.stdout.strip())

    def file_dates(self, rev: str = "HEAD") -> dict[str, tuple[dt.datetime, dt.datetime]]:
        """Each file of the plan folder (relative to it) -> the dates of the first and the last commit that changed it, with one
        ``git log`` (the national schema's createdAt / updatedAt: formats/projets_te); empty without commits."""
        if not self.has_commits():
            return {}
        proc = self._git.run("log", "--no-renames", "--no-color", "--format=%x01%cI", "--name-only", self.resolve(rev), "--", self.prefix or ".")
        if proc.returncode != 0:
            return {}
        prefix = self.prefix + "/" if self.prefix else ""
        out: dict[str, tuple[dt.datetime, dt.datetime]] = {}
        when: dt.datetime | None = None
        for line in proc.stdout.decode("utf-8", errors="replace").splitlines():
            if line.startswith("\x01"):
                when = dt.datetime.fromisoformat(line[1:])
            elif line and when is not None and line.startswith(prefix):
                rel = line[len(prefix):]
                out[rel] = (when, out[rel][1] if rel in out else when)  # newest first: the last seen is the oldest
        return out

    def tag_exists(self, name: str) -> bool:
        return self._git.run("rev-parse", "--verify", "--quiet", f"refs/tags/{name}").returncode == 0

    def add_tag(self, name: str, commit: str, message: str, tagger: tuple[str, str] | None = None) -> None:
        """An annotated tag ``name`` on ``commit``; refuses to replace an existing one (no -f, ever)."""
        args: list[str | bytes] = []
        if tagger is not None:
            args += ["-c", f"user.name={tagger[0]}", "-c", f"user.email={tagger[1]}"]
        proc = self._git.run(*args, "-c", "tag.gpgSign=false", "tag", "-a", "-m", message, "--", name, commit)
        if proc.returncode != 0:
            err = _last_line(proc.stderr)
            if "already exists" in err:
                raise SourceError(msg("the tag '{name}' already exists; feuille neither moves nor replaces it.", name=name),
                                  msg("Choose another date (--date), or delete it yourself if it is wrong (git tag -d)."))
            if "Please tell me who you are" in proc.stderr.decode("utf-8", errors="replace") or "empty ident" in err:
                raise SourceError(msg("git does not know who you are: the tag must carry a name."),
                                  msg("Set it once: git config --global user.name \"First Last\" and git config --global user.email you@town.be"))
            raise SourceError(msg("git could not create the tag '{name}': {error}", name=name, error=err), STATUS_HINT)

    # --- writing (the two writes feuille makes: a validation tag above, a commit of the files it wrote) ----------

    def commit(self, files: list[Path], message: str) -> str | None:
        """Commit exactly ``files`` (in the working tree) with ``message``, no hook run; None when done, else
        git's last word on why not (no identity, nothing to commit...)."""
        paths = [os.fsencode(os.path.abspath(f)) for f in files]
        done = self._git.run("add", "--", *paths)
        if done.returncode == 0:
            done = self._git.run("commit", "-q", "--no-verify", "-m", message, "--", *paths)
        return None if done.returncode == 0 else _why(done.stderr)

    # --- ids -------------------------------------------------------------------------------------

    def ids_on_branches(self) -> set[str]:
        """Every ``id:`` value in the plan's folder on the tip of every branch, local and remote (so that a new
        item never takes an id another branch already gave); an empty set when git cannot tell."""
        refs = self._git.run("for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes")
        if refs.returncode != 0:
            return set()
        found: set[str] = set()
        where = [self.prefix] if self.prefix else []
        for ref in refs.stdout.decode("utf-8", "replace").split():
            if ref.endswith("/HEAD"):
                continue
            out = self._git.run("grep", "-h", "-I", "-o", "-E", r"id:[[:space:]]*['\"]?[A-Za-z0-9._-]+", ref, "--", *where)
            for line in out.stdout.decode("utf-8", "replace").splitlines():
                found.add(re.sub(r"^.*id:\s*['\"]?", "", line))
        return found


__all__ = ["Entry", "EntryKind", "GIT_MISSING", "Git", "GitSource", "MAX_BLOB_BYTES", "Repo", "SourceError", "find_git", "locate"]
