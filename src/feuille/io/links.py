"""What a plan folder may hold: where its links may lead, and where feuille may write through a folder.

A plan's repository is untrusted (docs/security.md): anyone who can commit can add a symbolic link
to ``/etc/passwd``, ``/dev/zero`` or the home folder.  So a link in a plan folder is read only
when it leads to a **regular file inside the git repository holding the plan** (the plan folder
itself when it is in no repository): a City and its CPAS may share one ``people.yaml`` through
a link.  Any other link (out of the repository, to a folder, to a pipe or a device, to itself)
is refused once, when the folder is listed (:func:`classify`), and nothing reads it afterwards.

The repository is found as git finds it, without running git: the nearest folder at or above
the plan's real path that holds a ``.git`` (a folder, or a file in a worktree or a submodule).
A repository cannot commit a ``.git`` of its own, so its content cannot move that boundary.

The same rule guards the folders feuille writes into (:func:`link_on_the_way`): an import's new
plan folder, ``render --out``, never a symbolic link, nor below a link of a repository.
"""

from __future__ import annotations

import enum
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from feuille.core.i18n import Msg, msg


def repository_root(path: Path) -> Path | None:
    """The working tree holding ``path`` (already a real path): the nearest folder at or above it with a ``.git``."""
    for folder in (path, *path.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def boundary(root: Path) -> Path:
    """Where the links of the plan folder ``root`` may lead: its repository, else the plan folder itself (real paths)."""
    real = Path(os.path.realpath(root))
    return repository_root(real) or real


def inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


class Verdict(enum.Enum):
    FILE = "file"  # a link to a regular file inside the boundary: read
    DANGLING = "dangling"  # a link to nothing: unreadable (F108)
    REFUSED = "refused"  # any other link: never followed (F113)


@dataclass(frozen=True, slots=True)
class Link:
    verdict: Verdict
    why: Msg | None = None  # for REFUSED: what the link is and why it is not read
    folder: bool = False  # it leads to a folder (a folder would have been walked: always said)


def outside(target: str, in_repository: bool) -> Msg:
    if in_repository:
        return msg("This is a symbolic link to '{target}', outside the git repository that holds the plan: feuille does not read it.", target=target)
    return msg("This is a symbolic link to '{target}', outside the plan folder: feuille does not read it.", target=target)


def to_folder(target: str, holds_it: bool = False) -> Msg:
    if holds_it:
        return msg("This is a symbolic link to a folder that holds it ('{target}'): a loop. It is not read.", target=target)
    return msg("This is a symbolic link to a folder ('{target}'): feuille reads the plan's own folders, never a folder through a link.", target=target)


def loop(target: str) -> Msg:
    return msg("This is a symbolic link that leads back to itself ('{target}'): a loop. It is not read.", target=target)


def classify(path: Path, limit: Path, in_repository: bool) -> Link:
    """What to do with the symbolic link ``path``: read it (a regular file inside ``limit``), or why not.

    ``limit`` is :func:`boundary` of the plan; ``in_repository`` says whether it is a repository (for the wording).
    Only ``stat`` is called on the target: it is never opened here."""
    try:
        written = os.readlink(path)
    except OSError:
        written = "?"
    leads = Path(os.path.realpath(path))  # as far as it resolves: out of bounds is refused whether the target exists or not
    if not inside(leads, limit):
        return Link(Verdict.REFUSED, outside(written, in_repository), os.path.isdir(leads))
    try:
        real = Path(os.path.realpath(path, strict=True))
        st = os.stat(real)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Link(Verdict.REFUSED, loop(written))
        return Link(Verdict.DANGLING)
    is_dir = stat.S_ISDIR(st.st_mode)
    if not inside(real, limit):
        return Link(Verdict.REFUSED, outside(written, in_repository), is_dir)
    if is_dir:
        return Link(Verdict.REFUSED, to_folder(written, inside(Path(os.path.realpath(path.parent)), real)), True)
    if not stat.S_ISREG(st.st_mode):
        return Link(Verdict.REFUSED, msg("This is a symbolic link to '{target}', which is not a regular file (a pipe, a device or a socket): it is not read.",
                                         target=written))
    return Link(Verdict.FILE)


def link_on_the_way(folder: Path) -> Msg | None:
    """Why feuille will not write into ``folder`` (a new plan, a site): it is a symbolic link, or it lies below a
    symbolic link inside a git repository (a committed link could lead anywhere); None if it may."""
    path = Path(os.path.abspath(folder))
    if os.path.islink(path):
        return msg("'{out}' is a symbolic link: feuille does not write through a link.", out=str(folder))
    for above in path.parents:
        if not os.path.islink(above):
            continue
        repository = repository_root(Path(os.path.realpath(above.parent)))  # a link that lives in a repository's working tree: its content
        if repository is not None:
            return msg("'{path}' goes through the symbolic link '{link}' of the repository '{repository}': feuille does not write through a link.",
                       path=str(folder), link=str(above), repository=str(repository))
    return None
