"""The plan's history in git: its first-parent commits, the commit of a given day, validation tags.

Everything here reads the repository the same hardened way as :mod:`feuille.io.git`
(no shell, no hook, no lock, no network) and never writes to it, except
:func:`Repo.add_tag`, the one write ``feuille validate`` makes (an annotated tag, never
moved nor replaced).

Dates: a day is a day in Belgium (``Europe/Brussels``); « the plan at the end of
D » is the newest first-parent commit whose committer date is before midnight at the
end of D, Brussels time.  The committer date is when a change entered the history (a
merge, a rebase); the author date, shown by ``feuille log``, is when it was typed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from feuille.core.i18n import msg
from feuille.io.git import SHORT, GitSource, _find_git, _Git, _last_line
from feuille.io.sources import SourceError

STATUS_HINT = msg("Check the repository with 'git status'.")

BRUSSELS = ZoneInfo("Europe/Brussels")
VALIDATION_PREFIX = "feuille-validation/"  # tags refs/tags/feuille-validation/AAAA-MM-JJ[-N]
_SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Commit:
    id: str
    author: str
    email: str
    authored: dt.datetime
    committed: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.id[:SHORT]

    @property
    def day(self) -> dt.date:
        """The day it was committed, Brussels time."""
        return self.committed.astimezone(BRUSSELS).date()


@dataclass(frozen=True, slots=True)
class Validation:
    tag: str  # feuille-validation/2026-11-20
    commit: str
    by: str  # who validated (« Comité de direction »)
    day: dt.date  # the date of the validation
    tagger: str  # who ran feuille validate
    message: str


def end_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the end of ``day`` in Brussels, as an aware datetime."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), BRUSSELS)


class Repo:
    """The git repository holding a plan folder; see :meth:`open`."""

    def __init__(self, git: _Git, root: Path, prefix: str, git_dir: Path, shallow: bool) -> None:
        self._git = git
        self.root = root  # the plan folder as the user named it
        self.toplevel = git.cwd
        self.prefix = prefix  # the plan folder inside the repository, "" or "plans/x"
        self.git_dir = git_dir
        self.shallow = shallow
        self._batch = None  # the cat-file process shared by source_at()

    @classmethod
    def open(cls, root: Path) -> Repo:
        """The repository of ``root``; :class:`SourceError` (ready to show) if it is not in one."""
        exe = _find_git()
        top, prefix, git_dir, shallow = GitSource._locate(exe, root)
        return cls(_Git(exe, top), root, prefix.decode("utf-8", errors="replace").rstrip("/"), git_dir, shallow)

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
        return GitSource._resolve(self._git, self.root, rev, self.shallow)

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
        index = GitSource._list(self._git, self.root, commit, commit, prefix, self.shallow)
        source = GitSource(self._git, self.root, commit, commit, self.git_dir, self.prefix, index)
        source._proc = self._batch
        return source

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
            fields = _fields(message)
            try:
                day = dt.date.fromisoformat(fields.get("date", name.rsplit("/", 1)[-1][:10]))
            except ValueError:
                continue
            out.append(Validation(name, peeled or obj, fields.get("validé par", fields.get("validated by", "")), day, tagger, message.strip()))
        out.sort(key=lambda v: (v.day, v.tag))
        return out

    def dirty(self) -> bool:
        """Whether the plan folder has changes not committed (the index is not refreshed: no write)."""
        proc = self._git.run("status", "--porcelain", "--untracked-files=normal", "--", self.prefix or ".")
        return proc.returncode == 0 and bool(proc.stdout.strip())

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


def _fields(message: str) -> dict[str, str]:
    out = {}
    for line in message.splitlines():
        key, sep, value = line.partition(":")
        if sep and value.strip():
            out.setdefault(key.strip().lower(), value.strip())
    return out


def env_history_off() -> bool:
    """``FEUILLE_HISTORY=off``: a date in the past is only a reference date; the files are read as they are."""
    return os.environ.get("FEUILLE_HISTORY", "").strip().lower() in ("off", "0", "no", "non")


__all__ = ["BRUSSELS", "Commit", "Repo", "VALIDATION_PREFIX", "Validation", "end_of_day", "env_history_off"]
