"""Where a new action or objective goes, and its id: shared by ``feuille new`` and ``feuille import`` of a returned sheet.

:func:`next_id` continues the plan's own sequence (A4.3 after A4.2), :func:`ids_on_branches`
lists the ids already taken on any branch of the plan's repository, and :func:`place`
computes the edit that puts the item where the plan's layout says: in the ``actions:``
list of its objective's file, or in a file of its own when the objective is a folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from feuille.core.model import Objective
from feuille.io.edit import add_item, add_items, field_order, new_file
from feuille.io.git import Repo

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def slug(title: str, limit: int = 40) -> str:
    """A file name's words from a title: « Réhabiliter les logements » -> ``rehabiliter-les-logements``."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", title.casefold()) if not unicodedata.combining(c))
    out = ""
    for w in re.findall(r"[a-z0-9]+", folded):
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out}-{w}" if out else w
    return out or "nouveau"


def next_id(siblings: list[str], parent: Any, cousins: list[tuple[str, list[str]]], taken: set[str]) -> str:
    """The next id of the sequence: A4.3 after A4.1, A4.2; with no sibling, the pattern of another
    parent's children (O3 → A3.1, so O4 → A4.1); never an id in ``taken``."""
    best: tuple[str, int, int] | None = None  # prefix, number, width
    for s in siblings:
        m = _NUMBERED.match(s)
        if m and (best is None or int(m.group(2)) > best[1]):
            best = (m.group(1), int(m.group(2)), len(m.group(2)))
    if best is None:
        pid = parent.id if parent is not None else ""
        base = None
        for cousin_parent, children in cousins:
            for c in children:
                pm = re.match(r"^([A-Za-z]*)(.*)$", cousin_parent)
                cm = re.match(r"^([A-Za-z]*)(.*?)([._-]?)(\d+)$", c)
                if pm and cm and cm.group(2) == pm.group(2):
                    own = re.match(r"^([A-Za-z]*)(.*)$", pid)
                    base = (cm.group(1) + (own.group(2) if own else pid) + cm.group(3), 0, len(cm.group(4)) if cm.group(4).startswith("0") else 1)
                    break
            if base:
                break
        best = base or ((f"{pid}." if pid else "O"), 0, 1)
    prefix, n, width = best
    while True:
        n += 1
        candidate = f"{prefix}{n:0{width}d}"
        if candidate not in taken:
            return candidate


def next_action_id(plan: Any, parent: Any, taken: set[str], added: list[str] = ()) -> str:
    """The next action id in ``parent`` (``added``: ids already given to new actions of this parent in the same command)."""
    siblings = [a.id for a in parent.actions] + list(added)
    cousins = [(o.id, [a.id for a in o.actions]) for o in plan.objective_index().values() if o.actions]
    return next_id(siblings, parent, cousins, taken)


def ids_on_branches(root: Path) -> set[str]:
    """Every ``id:`` value in the plan's folder on the tip of every branch (local and remote) of its repository
    (:meth:`feuille.io.git.Repo.ids_on_branches`); none outside git."""

    repo = Repo.find(root)
    if repo is None:
        return set()
    try:
        return repo.ids_on_branches()
    finally:
        repo.close()


def place(plan: Any, kind: str, parent: Any, data: dict[str, Any], *, base: Any = None) -> Any:
    """The edit that puts the new item where the plan's layout says: its parent's file, or a new file.

    ``base``: an edit of the parent's file already computed in the same command (several new
    actions in one objective file); the new edit builds on it and replaces it.
    """

    if parent is not None:
        rel, path = plan.origin(parent)
        folder = Path(rel).parent
        if kind == "action" and Path(rel).name == "objective.yaml" and path == ():  # an objective folder: one file per action
            read = set(plan.files)  # only files the plan was read from: never a FIFO or a refused link (io/links.py)
            siblings = sorted(plan.root / rel for rel in read if Path(rel).parent == folder and Path(rel).name != "objective.yaml")
            header = _header(siblings, (len(folder.parts) + 1) * "../" + "schema/action.schema.json")
            return new_file(plan, str(folder / f"{data['id']}-{slug(data['title'])}.yaml"), data, header)
        return add_item(plan, parent, "actions" if kind == "action" else "objectives", data, field_order(Objective), base=base)
    # a top-level objective: a new file in objectives/, numbered like the others
    folder = plan.root / "objectives"
    existing = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    numbers = [m for m in (re.match(r"^(\d+)-", n) for n in existing) if m]
    width = max((len(m.group(1)) for m in numbers), default=2)
    n = max((int(m.group(1)) for m in numbers), default=0) + 1
    read = set(plan.files)
    files = [folder / name for name in existing if f"objectives/{name}" in read]
    header = _header(files, "../../schema/objective.schema.json")
    return new_file(plan, f"objectives/{n:0{width}d}-{slug(data['title'])}.yaml", data, header)


def place_many(plan: Any, kind: str, parent: Any, items: list[dict[str, Any]], *, base: Any = None) -> list[Any]:
    """:func:`place` for several new items of one parent: in its file, all appended by one edit (a returned sheet's
    new rows: the file read and checked once); in an objective folder or at the top level, one new file each."""

    if parent is not None and len(items) > 1:
        rel, path = plan.origin(parent)
        if not (kind == "action" and Path(rel).name == "objective.yaml" and path == ()):
            return [add_items(plan, parent, "actions" if kind == "action" else "objectives", items, field_order(Objective), base=base)]
    out = []
    for data in items:
        made = place(plan, kind, parent, data, base=base)
        if not made.created:
            base = made
        out.append(made)
    return out


def _header(siblings: list[Path], schema: str) -> str:
    """The first comment line of a sibling (the editor's schema line), or none if the siblings have none."""
    for p in siblings:
        try:
            first = p.read_text(encoding="utf-8-sig").splitlines()[0]
        except (OSError, UnicodeDecodeError, IndexError):
            continue
        if first.startswith("# yaml-language-server:"):
            return first + "\n"
    return ""
