"""A loaded plan: the plan file, the people, the objective tree and its indexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feuille.core.model import Action, Indicator, Objective, Person, PlanFile, Service, SubAction, VoletItem, _Item

Origin = tuple[str, tuple[Any, ...]]  # file relative to the root, YAML path inside it


@dataclass(frozen=True, slots=True)
class PlacedIndicator:
    """An indicator where it is declared: on the plan (``owner`` None), a strand (``volets:`` of plan.yaml), an objective or an action."""

    indicator: Indicator
    owner: Objective | Action | VoletItem | None
    index: int  # its place in its owner's ``indicators``
    at: tuple[Any, ...] = ()  # a strand's YAML path in plan.yaml (``("volets", 1)``): its indicators are changed through the plan's file

    @property
    def where(self) -> str | None:
        """The id of the item that declares it (a strand's own or VOLET-INTERNE / VOLET-EXTERNE), None for the plan."""
        if self.owner is None:
            return None
        return self.owner.ident if isinstance(self.owner, VoletItem) else self.owner.id

    @property
    def top(self) -> bool:
        """Declared in plan.yaml (the plan's own or a strand's): reported with the plan's indicators, before the objectives."""
        return self.owner is None or bool(self.at)

    @property
    def key(self) -> str:
        """Its id, else where it is: « A1.1/1 » (the first indicator of A1.1), « plan/2 »."""
        return self.indicator.id or f"{self.where or 'plan'}/{self.index + 1}"


def fold_label(text: str) -> str:
    """A label as names are compared: case, accents, spaces and punctuation left out."""
    import re  # noqa: PLC0415 (not on the start-up path of status, lint and show)
    import unicodedata  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    s = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^0-9a-z]+", "", "".join(c for c in s if not unicodedata.combining(c)))


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
    caveat: Any = None  # history: a past date read from today's files, what every report of it must say (a Msg, set by app/history.py)
    validation: Any = None  # history: the last validation and what changed since (compute/validation.ValidationState, set by app/history.py)
    # caches, never carried by dataclasses.replace (a filtered copy of the plan finds its own)
    _indicators: list[PlacedIndicator] | None = field(default=None, init=False, repr=False, compare=False)  # indicators()
    _indicator_names: dict[str, list[PlacedIndicator]] | None = field(default=None, init=False, repr=False, compare=False)  # id / folded label -> indicators

    def origin(self, item: _Item | SubAction | VoletItem | PlanFile) -> Origin:
        """The file (relative to the root) and YAML path an objective, action, sub-action or strand was read from; for the
        plan itself, plan.yaml."""
        if item is self.meta and item is not None:
            return next((f for f in self.files if f.startswith("plan.")), "plan.yaml"), ()
        if isinstance(item, VoletItem):
            return self.origins.get(item.ident, (next((f for f in self.files if f.startswith("plan.")), "plan.yaml"), ("volets", self.volets.index(item))))
        return self.origins.get(item.id, ("", ()))  # type: ignore[union-attr,arg-type]

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

    def sub_actions(self) -> Iterator[tuple[SubAction, Action, Objective]]:
        """Every sub-action with its action and the objective that holds the action."""
        for obj, _parent, _depth in self.walk():
            for action in obj.actions:
                for sub in action.sub_actions:
                    yield sub, action, obj

    def sub_action_index(self) -> dict[str, tuple[SubAction, Action, Objective]]:
        return {s.id: (s, a, o) for s, a, o in self.sub_actions()}  # type: ignore[misc]

    @property
    def volets(self) -> list[VoletItem]:
        """The strands plan.yaml describes (``volets:``), in its order."""
        return list(self.meta.volets) if self.meta is not None else []

    def volet(self, which: str) -> VoletItem | None:
        """The strand ``internal`` or ``external`` as plan.yaml describes it, or None."""
        return next((v for v in self.volets if v.volet.value == which), None)

    def indicators(self) -> list[PlacedIndicator]:
        """Every indicator declared in the plan: the plan's own, its strands', then each objective's and its actions', in plan order."""
        if self._indicators is None:
            found = [PlacedIndicator(ind, None, i) for i, ind in enumerate(self.meta.indicators if self.meta else [])]
            for volet in self.volets:
                found += [PlacedIndicator(ind, volet, i, self.origin(volet)[1]) for i, ind in enumerate(volet.indicators)]
            for obj, _parent, _depth in self.walk():
                found += [PlacedIndicator(ind, obj, i) for i, ind in enumerate(obj.indicators)]
                for action in obj.actions:
                    if action.indicators:
                        found += [PlacedIndicator(ind, action, i) for i, ind in enumerate(action.indicators)]
            self._indicators = found
        return self._indicators

    def find_indicators(self, name: str) -> list[PlacedIndicator]:
        """The indicators ``name`` designates: the one with that id, else those with that label (case and accents aside)."""
        if self._indicator_names is None:
            names: dict[str, list[PlacedIndicator]] = {}
            for p in self.indicators():
                names.setdefault("id:" + p.key, []).append(p)  # its id, else where it is (« A1.1/1 »)
                names.setdefault("label:" + fold_label(p.indicator.label), []).append(p)
            self._indicator_names = names
        by_id = self._indicator_names.get("id:" + name.strip())
        return list(by_id) if by_id else list(self._indicator_names.get("label:" + fold_label(name), []))

    def linked(self, item: _Item) -> list[PlacedIndicator]:
        """The indicators an item cites in ``linked_indicators`` that name exactly one (the others are lint's F527)."""
        out = []
        for name in item.linked_indicators:
            found = self.find_indicators(name)
            if len(found) == 1 and found[0] not in out:
                out.append(found[0])
        return out

    def indicators_of(self, item: _Item) -> list[Indicator]:
        """An item's own indicators, then those it links to (each once)."""
        own = list(getattr(item, "indicators", []))
        if not item.linked_indicators:
            return own
        return own + [p.indicator for p in self.linked(item) if not any(p.indicator is x for x in own)]

    def objective_index(self) -> dict[str, Objective]:
        return {obj.id: obj for obj, _p, _d in self.walk()}

    def action_index(self) -> dict[str, tuple[Action, Objective]]:
        return {a.id: (a, o) for a, o in self.actions()}

    def display_path(self, rel: str) -> str:
        """A file path as the user should see it: under the root they named."""
        return str(self.root / rel) if rel else str(self.root)
