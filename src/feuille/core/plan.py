"""A loaded plan: the plan file, the people, the objective tree and its indexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feuille.core.model import Action, Objective, Person, PlanFile, Service, _Item

Origin = tuple[str, tuple[Any, ...]]  # file relative to the root, YAML path inside it


def subtree(root: Objective) -> Iterator[Objective]:
    """An objective and every objective below it, depth first."""
    stack = [root]
    while stack:
        obj = stack.pop()
        yield obj
        stack.extend(reversed(obj.objectives))


@dataclass(slots=True)
class Plan:
    root: Path  # the plan folder as the user named it
    meta: PlanFile | None = None
    people: dict[str, Person] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    objectives: list[Objective] = field(default_factory=list)  # top level, in file order
    files: list[str] = field(default_factory=list)  # every file read, relative to root
    error_count: int = 0  # errors found while loading (schema, syntax, rules)
    sets_visibility: bool | None = None  # whether any item says who may see it (worked out once: core/visibility.py)
    origins: dict[str, Origin] = field(default_factory=dict)  # item id -> where it was read (ids are unique once loaded)
    digests: dict[str, bytes] = field(default_factory=dict)  # file -> digest of the bytes the plan was built from (folder sources)
    personal_files: set[str] | None = None  # files whose texts may hold personal data (core/privacy.py; None: not looked at)
    revision: dict[str, str] | None = None  # history: the git commit this plan was read from for a past date (app/history.py)
    validation: Any = None  # history: the last validation and what changed since (compute/validation.ValidationState, set by app/history.py)

    def origin(self, item: _Item) -> Origin:
        """The file (relative to the root) and YAML path an objective or action was read from."""
        return self.origins.get(item.id, ("", ()))

    @property
    def lang(self) -> str:
        """The plan's language (``fr`` unless its locale says otherwise)."""
        if self.meta is None:
            return "fr"
        return "en" if self.meta.locale.startswith("en") else "fr"

    def walk(self) -> Iterator[tuple[Objective, Objective | None, int]]:
        """Every objective with its parent and depth (1 = top level), depth first."""
        stack: list[tuple[Objective, Objective | None, int]] = [(o, None, 1) for o in reversed(self.objectives)]
        while stack:
            obj, parent, depth = stack.pop()
            yield obj, parent, depth
            stack.extend((child, obj, depth + 1) for child in reversed(obj.objectives))

    def actions(self) -> Iterator[tuple[Action, Objective]]:
        """Every action with the objective that holds it."""
        for obj, _parent, _depth in self.walk():
            for action in obj.actions:
                yield action, obj

    def objective_index(self) -> dict[str, Objective]:
        return {obj.id: obj for obj, _p, _d in self.walk()}

    def action_index(self) -> dict[str, tuple[Action, Objective]]:
        return {a.id: (a, o) for a, o in self.actions()}

    def display_path(self, rel: str) -> str:
        """A file path as the user should see it: under the root they named."""
        return str(self.root / rel) if rel else str(self.root)
