"""``feuille diff``: what changed in the plan between two versions, grouped by objective."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, NoCacheOpt, PlanOpt, formatter, parse_date, run_of, warn_incomplete
from feuille.cli.outcome import fail
from feuille.core.i18n import Msg, When, msg
from feuille.core.run import Run

if TYPE_CHECKING:
    from feuille import pipeline
    from feuille.io.history import Repo
    from feuille.pipeline import Loaded
    from feuille.views.diff import Side

NOT_IN_GIT = msg("To compare two folders outside git: feuille diff --plan NEW --against OLD.")


def load_side(root: Path, rev: str | None, no_cache: bool, day: dt.date | None = None, reuse: pipeline.Reuse | None = None) -> Loaded:
    """One version of the plan, through the one pipeline (no rules: a diff needs the items, not the findings);
    ``reuse``: what revisions read in a row share (:class:`feuille.pipeline.Reuse`)."""
    from feuille import pipeline

    options = pipeline.LoadOptions(use_cache=not no_cache, rules="none", locate=False, reuse=reuse)
    return pipeline.load_path(root, day or dt.date.today(), rev=rev, options=options)


def load_commit(repo: Repo, commit: str, no_cache: bool, day: dt.date | None = None, reuse: pipeline.Reuse | None = None) -> Loaded:
    """One revision among many (log, trends): the repository's shared git processes (io/history.py), and
    what the revisions share read and validated once (``reuse``, :class:`feuille.pipeline.Reuse`)."""
    from feuille import pipeline

    source = repo.source_at(commit)
    try:
        options = pipeline.LoadOptions(use_cache=not no_cache, rules="none", locate=False, reuse=reuse)
        return pipeline.load(source, day or dt.date.today(), options)
    finally:
        repo.done(source)


def _is(exc: Exception, *msgids: str) -> bool:
    """Whether a :class:`SourceError` is one of these catalogue messages (whatever the language it is shown in)."""
    return getattr(getattr(exc, "msg", None), "msgid", None) in msgids


def open_repo(root: Path, outside: Msg = NOT_IN_GIT) -> Repo:
    """The git repository of the plan, or stop saying so with ``outside``: what to do about it for this command."""
    from feuille.io.git import NO_WORK_TREE, NOT_IN_REPOSITORY
    from feuille.io.history import Repo
    from feuille.io.sources import SourceError

    try:
        return Repo.open(root)
    except SourceError as exc:  # what to do about it depends on the command
        if _is(exc, NOT_IN_REPOSITORY, NO_WORK_TREE):
            exc.hint_msg = outside
        raise


def rev_side(repo: Repo, rev: str, why: str | None = None, detail: str | None = None) -> tuple[str, Side]:
    from feuille.io.history import BRUSSELS
    from feuille.views.diff import Side

    commit = repo.resolve(rev)
    c = repo.info(commit)
    return commit, Side("commit", commit, rev, c.committed.astimezone(BRUSSELS), why=why, detail=detail)


@app.command()
def diff(
    ctx: typer.Context,
    rev_a: Annotated[str | None, typer.Argument(metavar="[REV_A]", help="Version de départ : une révision git (par défaut HEAD, le dernier commit). « A...B » : depuis l'ancêtre commun de A et B.", show_default=False)] = None,
    rev_b: Annotated[str | None, typer.Argument(metavar="[REV_B]", help="Version d'arrivée (par défaut : les fichiers tels qu'ils sont).", show_default=False)] = None,
    path: PlanOpt = None,
    against: Annotated[Path | None, typer.Option("--against", metavar="DOSSIER", help="Comparer à un autre dossier (l'ancienne version), sans git.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Depuis le plan tel qu'enregistré à la fin de ce jour (AAAA-MM-JJ, heure belge).")] = None,
    since_validation: Annotated[bool, typer.Option("--since-validation", help="Depuis la dernière validation (feuille validate).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text, markdown ou json.")] = "text",
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Ce qui a changé dans le plan, objectif par objectif : actions ajoutées, retirées, déplacées, renommées,
    statuts, avancement, échéances reportées, budgets, responsables, nouvelles mesures.

    Par défaut : le dernier commit (HEAD) comparé aux fichiers tels qu'ils sont. Les éléments sont suivis par
    leur identifiant, même quand leur fichier est renommé ou déplacé. Un diff n'est pas une erreur : code 0.

    Exemple : feuille diff HEAD~3 --plan plans/la-louviere --format markdown
    """
    from feuille.compute.diff import diff as compute_diff
    from feuille.io.sources import find_plans
    from feuille.views import diff as view

    if fmt not in view.FORMATS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(view.FORMATS)))
    run = run_of(ctx)
    no_cache = not run.use_cache
    [root] = find_plans(path, many=False, command="diff")
    if against is not None:
        if rev_a or rev_b or since or since_validation:
            fail(msg("--against compares two folders: it does not go with a revision, --since or --since-validation."),
                 msg("Example: {example}", example="feuille diff --plan plan-2026 --against plan-2025"))
        [other] = find_plans(against, many=False, command="diff")
        old, new = load_side(other, None, no_cache, run.today), load_side(root, None, no_cache, run.today)
        a, b = view.Side("folder", folder=str(other)), view.Side("folder", folder=str(root))
    else:
        old, new, a, b = _git_sides(run, root, rev_a, rev_b, since, since_validation)
    lang_ = run.speak(new.plan.lang)
    for x in (old, new):
        if x is not None:
            warn_incomplete(x, lang_)
    result = compute_diff(old.plan if old is not None else None, new.plan)
    people = {p.id: p.name for x in (old, new) if x is not None for p in x.plan.people.values()}
    title = new.plan.meta.title if new.plan.meta else str(root)
    sys.stdout.write(view.RENDER[fmt](result, formatter(new, lang_), title, a, b, people))
    raise typer.Exit(0)


def _git_sides(run: Run, root: Path, rev_a: str | None, rev_b: str | None, since: str | None, since_validation: bool):  # type: ignore[no-untyped-def]
    from feuille.views.diff import Side

    no_cache = not run.use_cache
    repo = open_repo(root)
    if sum(x is not None and x is not False for x in (since, since_validation or None)) > 1:
        fail(msg("--since and --since-validation exclude each other: choose one."))
    if (since or since_validation) and rev_b is not None:
        fail(msg("with --since or --since-validation, give one revision at most: the version to compare with."),
             msg("Example: {example} (up to the current files), or {other}", example="feuille diff --since 2026-01-01", other="feuille diff --since 2026-01-01 HEAD"))
    start: str | None = None
    why: str | None = None
    detail: str | None = None
    end = rev_b
    if since is not None:
        day = parse_date(since, "--since", run.today)
        c = repo.commit_at(day)
        if c is None:
            oldest = repo.oldest()
            if oldest is None:
                where = ""
            elif repo.shallow:
                where = msg(" (the first is of {day}, a shallow clone: 'git fetch --unshallow' fetches the rest)", day=When(oldest.day))
            else:
                where = msg(" (the first is of {day})", day=When(oldest.day))
            fail(msg("no commit is older than the end of {day}{where}.", day=When(day), where=where),
                 msg("Choose a later date, or a revision: {example}", example="feuille diff HEAD~5"))
        start, why, detail = c.id, "since", day.isoformat()
        end = rev_a
    elif since_validation:
        found = repo.validations()
        if not found:
            fail(msg("no validation is recorded in this repository."), msg("Record one with: {example}", example=msg('feuille validate --by "Management board"')))
        v = found[-1]
        start = v.commit
        why, detail = "validation", f"{v.by}|{v.day.isoformat()}"
        end = rev_a
    elif rev_a is not None and "..." in rev_a:
        x, _, y = rev_a.partition("...")
        start, end = repo.merge_base(x or "HEAD", y or "HEAD"), y or "HEAD"
        why, detail = "base", f"{x or 'HEAD'} / {y or 'HEAD'}"
    elif rev_a is not None and ".." in rev_a:
        x, _, y = rev_a.partition("..")
        start, end = x or "HEAD", y or "HEAD"
    else:
        start = rev_a or "HEAD"
    from feuille import pipeline
    from feuille.io.git import FOLDER_ABSENT, SUBFOLDER_ABSENT
    from feuille.io.sources import SourceError

    commit_a, a = rev_side(repo, start, why, detail)
    reuse = pipeline.Reuse()  # two revisions share almost every file: each blob read and validated once
    try:
        try:
            old = load_side(root, commit_a, no_cache, run.today, reuse)
        except SourceError as exc:  # a plan folder added since: everything in it is new
            if not _is(exc, FOLDER_ABSENT, SUBFOLDER_ABSENT):
                raise
            old = None
        if end is None:
            new = load_side(root, None, no_cache, run.today)
            b = Side("work", folder=str(root))
        else:
            commit_b, b = rev_side(repo, end)
            new = load_side(root, commit_b, no_cache, run.today, reuse)
    finally:
        reuse.close()
    return old, new, a, b
