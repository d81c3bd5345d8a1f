"""Which plan folders a command acts on: the one given or the one the working folder is in (walking up like git
looks for ``.git``), or every plan below a folder (a repository root finds ``plans/ma-commune/``), honouring
``.gitignore`` through :mod:`feuille.io.git` (which reads :mod:`feuille.io.sources`, hence a module of its own)."""

from __future__ import annotations

import os
from pathlib import Path

from feuille.core.i18n import msg
from feuille.io.sources import SourceError, _shown, enclosing_plan, is_plan

#: folders never looked into for a plan: a rendered site, dependencies, caches (hidden folders such as .git, .venv are skipped too)
SKIPPED_FOLDERS = frozenset({"site", "node_modules", "__pycache__"})
MAX_DEPTH = 8  # folders below the one given: deep enough for plans/<town>/<year>/, bounded on a huge tree
SITE_MANIFEST = ".feuille-site"  # (io/sitewrite.py) a folder feuille rendered


def plans_below(folder: Path) -> list[Path]:
    """Every plan folder under ``folder`` (a repository root, ``plans/``), in name order.

    The walk never follows a link to a folder, skips hidden folders (``.git``, ``.venv``), a
    rendered site (``site/``, a folder feuille rendered), virtual environments (``pyvenv.cfg``)
    and ``node_modules``, stops at a plan (its own folders hold no plan) and goes at most
    :data:`MAX_DEPTH` folders down.  One exception, as before: a link directly below ``folder``
    to a plan that stays in the repository (io/links.py) counts, unless the walk found that plan
    already.  In a git repository, folders that ``.gitignore`` leaves out are left out too (one
    ``git check-ignore`` for the plans found).
    """
    found: list[Path] = []
    linked: list[Path] = []  # links directly below folder to a plan

    def walk(here: Path, depth: int) -> None:
        try:
            with os.scandir(here) as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".") and e.name not in SKIPPED_FOLDERS), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            sub = here / entry.name
            try:
                if entry.is_symlink() and depth == 1 and entry.is_dir() and is_plan(sub):
                    linked.append(sub)
                if not entry.is_dir(follow_symlinks=False):
                    continue
            except OSError:
                continue
            if is_plan(sub):
                found.append(sub)
            elif depth < MAX_DEPTH and not (sub / "pyvenv.cfg").exists() and not (sub / SITE_MANIFEST).exists():
                walk(sub, depth + 1)

    walk(folder, 1)
    if linked:
        from feuille.io.links import boundary, inside  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        limit = boundary(folder)
        seen = {os.path.realpath(p) for p in found}
        for link in linked:
            target = os.path.realpath(link)
            if inside(Path(target), limit) and target not in seen:
                found.append(link)
                seen.add(target)
        found.sort(key=lambda p: p.relative_to(folder).parts)
    return _not_ignored(folder, found) if found else found


def _not_ignored(folder: Path, plans: list[Path]) -> list[Path]:
    """``plans`` less those git ignores (.gitignore, .git/info/exclude); all of them outside git or without git."""
    if not any((p / ".git").exists() for p in (folder.absolute(), *folder.absolute().parents)):
        return plans
    from feuille.io.git import ignored_paths  # noqa: PLC0415 (git only for a folder of plans in a repository: not on the start-up path)

    left_out = ignored_paths(folder, [os.path.relpath(p, folder) for p in plans])
    return [p for p in plans if os.path.relpath(p, folder) not in left_out]


def find_plans(path: Path | None, *, many: bool, command: str) -> list[Path]:
    """The plan folders a command acts on.

    ``path`` given: the plan it is, the plans below it (:func:`plans_below`: a
    repository root finds ``plans/ma-commune/``), or the plan it is inside (a
    subfolder such as ``objectives/``).  Not given: the same from the working folder.  Several plans are
    all returned when the command handles several (``many``), else refused with
    the list, so every command treats a folder of plans the same way.
    """
    start = path if path is not None else Path(".")
    if path is not None and not path.exists():
        raise SourceError(msg("the folder '{path}' does not exist.", path=path), msg("Give the folder that holds plan.yaml."))
    if path is not None and path.is_file():
        start = path.parent
    if is_plan(start):
        return [start]
    below = plans_below(start)
    if not below:
        above = enclosing_plan(start)
        if above is not None:
            return [_shown(above)]
        raise SourceError(
            msg("no plan in '{path}' (no plan.yaml file).", path=path) if path is not None else msg("no plan in this folder nor above it (no plan.yaml file)."),
            msg("Go to the plan's folder, give it (for example plans/ma-commune), or make one with 'feuille init FOLDER'."),
        )
    if len(below) > 1 and not many:
        listed = ", ".join(str(p) for p in below)
        example = f"feuille {command} {below[0]}"
        raise SourceError(
            msg("'{start}' holds several plans ({listed}); 'feuille {command}' works on one plan at a time.", start=start, listed=listed, command=command),
            msg("Say which, for example: {example}", example=example),
        )
    return below
