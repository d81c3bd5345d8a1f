"""The plan at a moment: as it is, as committed at the end of a day, at a revision, or as reported for a year.

What ``--as-of`` means is decided here, by :func:`moment`, from what the command does with the plan
(:class:`Purpose`), never from its name:

- to **show** the plan (``status``, ``show``, ``prioritise``, ``render``, ``report``), a date before
  today reads the plan as committed at the end of that day, Brussels time, on the first-parent
  history (:class:`OnDay`); ``report annual --year Y`` reads the last validation (``feuille
  validate``) dated from 31/12/Y to 31/03/Y+1, failing that the last commit on or before 31/12/Y
  (:class:`YearEnd`);
- to **check** or **write** the files (``lint``, ``export``, ``update``, ``prioritise --mark-*``...),
  the files as they are (:class:`Today`), the date being only the reference date of the figures;
- ``--rev`` always reads that revision (:class:`AtRev`).

Not in git, no commit that old, ``FEUILLE_HISTORY=off``: the files as they are, and it is said
(except with ``FEUILLE_HISTORY=off``, which asks for exactly that).  What is said is returned as
messages (:attr:`Reading.notes`); the command line shows them.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feuille import pipeline
from feuille.core.i18n import Msg, When, msg
from feuille.core.run import Run
from feuille.io.sources import SourceError

if TYPE_CHECKING:
    from feuille import pipeline
    from feuille.compute.validation import ValidationState
    from feuille.io.git import Repo
    from feuille.io.history import Commit
    from feuille.pipeline import Loaded


class Purpose(enum.Enum):
    """What a command does with the plan it reads: the one thing that decides what a past date means."""

    SHOW = "show"  # show the plan as it stood then: a past date reads the history
    CHECK = "check"  # check or write today's files: a date is only the reference date of the figures


@dataclass(frozen=True, slots=True)
class Today:
    """The files as they are."""


@dataclass(frozen=True, slots=True)
class OnDay:
    """The plan as committed at the end of ``day`` (Brussels time), first-parent history."""

    day: dt.date


@dataclass(frozen=True, slots=True)
class AtRev:
    """The plan at a git revision (``--rev``: a commit, a branch, a tag, HEAD~3)."""

    rev: str


@dataclass(frozen=True, slots=True)
class YearEnd:
    """The plan reported for ``year``: its last validation from 31/12 to 31/03 after, else as committed on 31/12."""

    year: int


At = Today | OnDay | AtRev | YearEnd


def moment(purpose: Purpose, as_of: dt.date, today: dt.date, *, rev: str | None = None, annual: int | None = None) -> At:
    """Which plan a command reads, from what it does with it (``purpose``), its ``--as-of``, ``--rev`` and, for
    ``report annual``, the year reported: the one place that decides it."""
    if rev is not None:
        return AtRev(rev)
    if purpose is Purpose.CHECK:
        return Today()
    if annual is not None:
        return YearEnd(annual) if dt.date(annual, 12, 31) < today else Today()
    return OnDay(as_of) if as_of < today else Today()


@dataclass(slots=True)
class Reading:
    """A plan read at a moment, and what to tell the user about it (messages, shown by the command line)."""

    loaded: Loaded
    notes: list[Msg | str] = field(default_factory=list)


def read(run: Run, root: Path, at: At, as_of: dt.date, options: pipeline.LoadOptions) -> Reading:
    """The plan folder ``root`` at the moment ``at``, figures as of ``as_of``, through the one pipeline."""

    if isinstance(at, AtRev):
        return _with_recovery(pipeline.load_path(root, as_of, rev=at.rev, options=options))
    if isinstance(at, Today) or not run.history:  # (FEUILLE_HISTORY=off: exactly that, nothing said)
        return _with_recovery(pipeline.load_path(root, as_of, options=options))
    past = _past(root, at, as_of)
    notes: list[Msg | str] = [past.note] if past.note else []
    if past.commit is None:
        return _today_instead(pipeline.load_path(root, as_of, options=options), notes)

    try:
        loaded = pipeline.load_path(root, as_of, rev=past.commit, options=options)
    except SourceError as exc:  # the plan folder did not exist then
        return _today_instead(pipeline.load_path(root, as_of, options=options), [msg("{problem} The plan is read as it is today.", problem=exc.msg)])
    loaded.plan.revision = past.revision
    return Reading(loaded, notes)


def _today_instead(loaded: Loaded, notes: list[Msg | str]) -> Reading:
    """A past date read from the files as they are: what is said on stderr is also what the report itself must say
    (``Plan.caveat``: a report printed to a file has no stderr), since its figures mix that date and today's files."""
    if notes:
        loaded.plan.caveat = notes[0]
    return _with_recovery(loaded, notes)


def _with_recovery(loaded: Loaded, notes: list[Msg | str] | None = None) -> Reading:
    """A plan read from its folder, and what was said about it: then an interrupted write that was put right first."""
    return Reading(loaded, [*(notes or []), loaded.recovered] if loaded.recovered else list(notes or []))


@dataclass(frozen=True, slots=True)
class _Past:
    commit: str | None  # the commit to read, None: the files as they are
    note: Msg | str  # what to tell the user, "" for nothing
    revision: dict[str, str] | None = None  # for Plan.revision (status header, JSON)


def _past(root: Path, at: OnDay | YearEnd, as_of: dt.date) -> _Past:
    from feuille.io.git import Repo  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.io.history import BRUSSELS  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    year_end = dt.date(at.year, 12, 31) if isinstance(at, YearEnd) else None
    asked = year_end or as_of
    repo = Repo.find(root)
    if repo is None:
        return _Past(None, msg("the plan '{root}' is not in a git repository: no history, it is read as it is today (the figures are as of {day}).",
                               root=root, day=When(as_of)))
    try:
        if isinstance(at, YearEnd):
            window_end = dt.date(at.year + 1, 3, 31)
            chosen = [v for v in repo.validations() if asked <= v.day <= window_end]
            if chosen:
                v = chosen[-1]
                vc = repo.info(v.commit)
                note = (msg("history: report {year} on the state validated by {who} on {day} (tag {tag}, commit {commit} of {committed}).",
                            year=at.year, who=v.by, day=When(v.day), tag=v.tag, commit=vc.short, committed=When(vc.day)) if v.by else
                        msg("history: report {year} on the state validated on {day} (tag {tag}, commit {commit} of {committed}).",
                            year=at.year, day=When(v.day), tag=v.tag, commit=vc.short, committed=When(vc.day)))
                return _Past(vc.id, note, _revision(vc, "validation", asked, by=v.by, validated=v.day.isoformat(), tag=v.tag))
        c = repo.commit_at(asked)
        if c is None:
            oldest = repo.oldest()
            if oldest is None:
                return _Past(None, msg("the git repository of '{root}' has no commit yet: the plan is read as it is today.", root=root))
            if repo.shallow:
                return _Past(None, msg("this git clone is shallow: its history starts on {first}, nothing of {day}; the plan is read as it is today. "
                                       "'git fetch --unshallow' fetches the whole history.", first=When(oldest.day), day=When(asked)))
            return _Past(None, msg("no commit is older than the end of {day} (the first is of {first}): the plan is read as it is today.",
                                   day=When(asked), first=When(oldest.day)))
    except SourceError as exc:
        return _Past(None, msg("unreadable history ({problem}): the plan is read as it is today.", problem=exc.msg))
    finally:
        repo.close()
    when = When(c.committed.astimezone(BRUSSELS), with_time=True)
    if isinstance(at, YearEnd):
        note = msg("history: report {year} on the plan as of {end}, commit {commit} of {when} (no validation between {end} and {window}).",
                   year=at.year, end=When(asked), commit=c.short, when=when, window=When(dt.date(at.year + 1, 3, 31)))
        return _Past(c.id, note, _revision(c, "year_end", asked))
    return _Past(c.id, msg("history: the plan as committed at the end of {day}, commit {commit} of {when} ({author}).",
                           day=When(asked), commit=c.short, when=when, author=c.author), _revision(c, "as_of", asked))


def _revision(c: Commit, kind: str, asked: dt.date, **more: str) -> dict[str, str]:
    return {"kind": kind, "commit": c.id, "short": c.short, "committed": c.committed.isoformat(), "author": c.author,
            "as_of": asked.isoformat(), **{k: v for k, v in more.items() if v}}


# --- revisions read one after another (log, trends, validations, the annual report) ----------------------


def load_commit(repo: Repo, commit: str, use_cache: bool, day: dt.date, reuse: pipeline.Reuse | None = None) -> Loaded:
    """One revision among many: the repository's shared git processes, and what the revisions share read and
    validated once (``reuse``, :class:`feuille.pipeline.Reuse`).  No rules: the items, not the findings."""

    source = repo.source_at(commit)
    try:
        options = pipeline.LoadOptions(use_cache=use_cache, rules="none", locate=False, reuse=reuse)
        return pipeline.load(source, day, options)
    finally:
        repo.done(source)


def _may_have_validations(root: Path) -> bool:
    """Whether the repository of ``root`` may hold a validation tag, read from its files (no git process,
    :func:`feuille.io.results.validation_refs`): the everyday ``status`` of a plan never validated costs nothing.
    Unsure (``GIT_DIR`` set, an odd layout, refs kept in a reftable): yes."""
    from feuille.io.results import validation_refs  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    try:
        refs = validation_refs(root)
    except (OSError, ValueError):
        return True
    return refs is None or refs != b""


def validation(run: Run, loaded: Loaded, as_of: dt.date) -> ValidationState | None:
    """The last validation (``feuille validate``) dated on or before ``as_of``, and what changed since in the plan shown;
    None outside git, without validation, or with ``FEUILLE_HISTORY=off``."""
    if not run.history or not _may_have_validations(loaded.source.root):  # the usual plan, never validated: nothing more is imported
        return None
    from feuille.compute.diff import diff  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.compute.validation import state  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.io.git import Repo  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    repo = Repo.find(loaded.source.root)
    if repo is None:
        return None
    try:
        found = [v for v in repo.validations() if v.day <= as_of]
        if not found:
            return None
        v = found[-1]
        try:
            validated = load_commit(repo, v.commit, run.use_cache, as_of).plan
        except SourceError:  # the plan folder was not in that commit
            validated = None
        return state(v.by, v.day, v.tag, v.commit, diff(validated, loaded.plan))
    except SourceError:
        return None
    finally:
        repo.close()


@dataclass(frozen=True, slots=True)
class YearChanges:
    """What changed in the plan during a year (the annual report): the diff, and what it starts from."""

    changes: Any  # feuille.compute.diff.Diff
    base: Msg  # « the plan at the end of 2025 (commit 3f2a1c9, 31/12/2025) »


def year_changes(run: Run, loaded: Loaded, year: int, shown: Any, reported: Any) -> YearChanges | None:
    """The changes during ``year``: the plan at the end of the year before against ``reported``, both as the report's
    audience sees them (``shown`` publishes the plan of the year before); None without history."""
    from feuille.compute.diff import diff  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.io.git import Repo  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    if not run.history:
        return None
    repo = Repo.find(loaded.source.root)
    if repo is None:
        return None
    try:
        c = repo.commit_at(dt.date(year - 1, 12, 31))
        if c is None:  # the history starts during the year: from its first commit
            c = repo.oldest()
            if c is None or c.day.year != year:
                return None
        try:
            before = load_commit(repo, c.id, run.use_cache, run.today).plan
        except SourceError:  # the plan folder did not exist yet: everything was added
            before = None
    except SourceError:
        return None
    finally:
        repo.close()
    if c.day.year == year:
        base = msg("the first commit of the history ({short}, {date})", short=c.short, date=When(c.day))
    else:
        base = msg("the plan at the end of {year} (commit {short}, {date})", year=year - 1, short=c.short, date=When(c.day))
    return YearChanges(diff(shown(before) if before is not None else None, reported), base)


@dataclass(frozen=True, slots=True)
class SinceAdoption:
    """The plan at its adoption and what changed since (the mid-term report)."""

    state: str  # ok: the history reaches back to the adoption; late: it starts later, from its first commit
    before: Any  # the plan then, as the report's audience sees it (Plan)
    changes: Any  # feuille.compute.diff.Diff: from the plan then to ``reported``
    base: Msg  # « the plan at its adoption (commit 3f2a1c9, 24/02/2025) »
    first: dt.date  # the day of the commit read


def since_adoption(run: Run, loaded: Loaded, adopted: dt.date, day: dt.date, shown: Any, reported: Any) -> SinceAdoption | None:
    """The plan as committed at the end of ``adopted`` (else, when the history starts later, its first commit, if not after
    ``day``) against ``reported``, both as the report's audience sees them (``shown`` publishes the plan of then);
    None without history, or when the plan was not in it yet."""
    from feuille.compute.diff import diff  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.io.git import Repo  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    if not run.history:
        return None
    repo = Repo.find(loaded.source.root)
    if repo is None:
        return None
    try:
        c = repo.commit_at(adopted)
        state = "ok"
        if c is None:  # the history starts after the adoption: from its first commit
            c, state = repo.oldest(), "late"
            if c is None or c.day > day:
                return None
        before = load_commit(repo, c.id, run.use_cache, adopted).plan
    except SourceError:  # no plan folder then, or an unreadable history
        return None
    finally:
        repo.close()
    then = shown(before)
    base = (msg("the plan at its adoption (commit {short}, {date})", short=c.short, date=When(c.day)) if state == "ok"
            else msg("the first commit of the history ({short}, {date})", short=c.short, date=When(c.day)))
    return SinceAdoption(state, then, diff(then, reported), base, c.day)


# --- one item through the history (log) -------------------------------------------------------------


@dataclass(slots=True)
class ItemHistory:
    """An item's history as ``feuille log`` tells it (oldest first), and what naming its changes needs."""

    ident: str  # the id as the plan writes it (« a4.2 » typed is A4.2)
    entries: list[Any]  # views.diff.Entry, one per commit that changed the item
    titles: dict[str, str]  # every objective's title, as last read
    people: dict[str, str]  # every person's name, as last read
    lang: str  # the plan's language, as last read
    current: Any  # compute.diff.Located | None: the item at the last commit
    read: int  # the revisions read: the others changed no file that could change the item


@dataclass(slots=True)
class _Watch:
    """What could change an item from one revision to the next: the files holding it and its objectives (and the
    ``objective.yaml`` of their folders, the plan and people files), and any file that comes to name one of their ids."""

    files: set[str]
    exact: list[tuple[bytes, re.Pattern[bytes]]]  # the item found: its id and its objectives' ids, as written
    folded: list[re.Pattern[str]]  # the item not found (yet): its id folded as compute.filters.match_id does (:func:`_folded`)
    always: bool = False  # an id without a letter (« 5 » may be written 05 or 5.0): every revision is read


_TOP_FILES = ("plan.yaml", "plan.yml", "people.yaml", "people.yml")  # the plan's settings, strands, people: always watched


def _folded(text: str) -> str:
    """Case and accents dropped, and whatever is not ASCII after that: an id that compute.filters.fold matches in a
    text is found in the text so folded (both fold one character at a time)."""
    import unicodedata  # noqa: PLC0415

    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")


def _watch(repo: Repo, source: Any, plan: Any, ident: str, found: Any) -> _Watch:
    files = set(_TOP_FILES)
    ids = [ident]
    if found is not None:
        parents = {o.id: (p.id if p is not None else None) for o, p, _d in plan.walk()}
        up = found.parent
        while up is not None and up not in ids:
            ids.append(up)
            up = parents.get(up)
        for i in ids:
            where = plan.origins.get(i)
            if where is not None and where[0]:
                files.add(where[0])
                folder = where[0].rpartition("/")[0]
                while folder:  # a folder holding an objective.yaml is an objective (pipeline)
                    files.add(f"{folder}/{pipeline.OBJECTIVE_FILE}")
                    folder = folder.rpartition("/")[0]
    always = any(not any(ch.isalpha() for ch in i) for i in ids)
    if found is None:  # (ids are whole words: A5 is not A51 nor XA5)
        watch = _Watch(files, [], [re.compile(r"(?<![\w.-])" + re.escape(_folded(ident.strip())) + r"(?![\w.-])", re.ASCII)], always)
        # a file names it, yet it is not in the plan (its objective left out, a duplicate, a file that does not read):
        # what would bring it back is not known here, every revision is read until it is found or named nowhere
        watch.always = always or any(_names(repo.blob(b), watch) for b in sorted(source.blobs()))
        return watch
    exact = [(i.encode(), re.compile(rb"(?<![\w.-])" + re.escape(i.encode()) + rb"(?![\w.-])")) for i in ids]
    return _Watch(files, exact, [], always)


def _names(raw: bytes | None, watch: _Watch) -> bool:
    """Whether a file's bytes may name one of the watched ids (when unsure: yes)."""
    if raw is None or b"\\" in raw:  # too big to look into, or escapes (« \x41 »)
        return True
    if any(ident in raw and pattern.search(raw) for ident, pattern in watch.exact):
        return True
    if watch.folded:
        text = _folded(raw.decode("utf-8", errors="replace"))
        return any(pattern.search(text) for pattern in watch.folded)
    return False


def _touches(repo: Repo, changed: list[tuple[str, str | None]], watch: _Watch) -> bool:
    """Whether files ``changed`` between two revisions may change the watched item (when unsure: yes).

    The item found, only a file that holds it or one of its objectives, or that comes to hold one of their ids
    (a duplicate then leaves one of them out), may change it; not found, any file that comes to hold its id."""
    if watch.always:
        return True
    for path, blob in changed:
        if path in watch.files:
            return True
        if blob is None:  # a file removed that held neither the item nor its objectives
            continue
        if _names(repo.blob(blob), watch):
            return True
    return False


def item_history(repo: Repo, commits: list[Commit], ident: str, use_cache: bool, day: dt.date) -> ItemHistory:
    """The changes of the objective or action ``ident`` along ``commits`` (newest first, as :meth:`Repo.commits` gives them).

    A revision is read only when a file it changed may change the item (:func:`_touches`: the files holding it and
    its objectives, and those that come to name their ids); the others hold the same item.  What is said about the
    changes (objectives' titles for a move) is then made exact: the last revision is read, and, for an objective it no
    longer holds, every revision, as if each had been read."""
    from feuille.compute.diff import item_changes  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.io.history import BRUSSELS  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.views.diff import Entry  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    oldest_first = list(reversed(commits))
    changed = repo.changes([(a.id, b.id) for a, b in zip(oldest_first, oldest_first[1:], strict=False)])
    out = ItemHistory(ident, [], {}, {}, "fr", None, 0)
    prev = None
    watch: _Watch | None = None  # None: the last revision could not be read (no plan folder): read the next one
    last: Any = None  # the plan of the last revision, if read
    reuse = pipeline.Reuse()  # consecutive revisions share almost every file: each blob read and validated once
    try:
        for i, c in enumerate(oldest_first):
            if watch is not None and not _touches(repo, changed[i - 1], watch):
                last = None
                continue
            try:
                loaded = load_commit(repo, c.id, use_cache, day, reuse)
            except SourceError:  # the plan folder did not exist at that commit
                prev, watch, last = None, None, None
                continue
            out.read += 1
            plan = last = loaded.plan
            out.lang = plan.lang
            out.titles.update({o.id: o.title for o, _p, _d in plan.walk()})
            out.people.update({p.id: p.name for p in plan.people.values()})
            out.ident, current = find_item(plan, out.ident)
            watch = _watch(repo, loaded.source, plan, out.ident, current)
            changes = item_changes(prev, current)
            if changes:
                out.entries.append(Entry(c.id, c.author, c.email, c.committed.astimezone(BRUSSELS), c.subject, changes))
            prev = current
        out.current = prev
        moved = {x for e in out.entries for ch in e.changes if ch.kind == "moved" for x in (ch.old, ch.new) if x is not None}
        if moved and oldest_first:
            if last is None and watch is not None:  # the last revision was not read: its titles are the newest
                last = load_commit(repo, oldest_first[-1].id, use_cache, day, reuse).plan
                out.titles.update({o.id: o.title for o, _p, _d in last.walk()})
            held = {o.id for o, _p, _d in last.walk()} if last is not None else set()
            if moved - held:  # an objective gone since: its title as every revision read in turn would leave it
                for c in oldest_first:
                    try:
                        plan = load_commit(repo, c.id, use_cache, day, reuse).plan
                    except SourceError:
                        continue
                    out.titles.update({o.id: o.title for o, _p, _d in plan.walk()})
    finally:
        reuse.close()
    return out


def find_item(plan: Any, ident: str) -> tuple[str, Any]:
    """The id ``ident`` names in ``plan`` (« a4.2 » is A4.2) and where the item is (compute.diff.Located, or None),
    without indexing every item (once per revision)."""
    from feuille.compute.diff import located, titles  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    from feuille.compute.filters import match_id  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    found = located(plan, ident)
    if found is None:
        named = match_id(ident, titles(plan, {}))
        if named is not None and named != ident:
            return named, located(plan, named)
    return ident, found
