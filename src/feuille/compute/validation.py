"""What changed since the last validation, and which of it waits for the next one.

Pure: the last validation (who, when) and the diff from the plan as validated to the plan
shown, in; a :class:`ValidationState` out.  The seed's cycle: the plan is kept up to date by
the service heads, validated by the management committee.  Status and progress updates are
the service heads' job; the *decision* fields (title, parent objective, planned dates,
budget, owners, an addition, a removal, a cancellation) are « non validés » until the next
validation (issue 14).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from feuille.compute.diff import DECISION_KINDS, Change, PlanDiff


@dataclass(frozen=True, slots=True)
class ValidationState:
    by: str  # who validated (« Comité de direction »)
    day: dt.date  # the validation's date
    tag: str  # the git tag (feuille-validation/2026-11-20)
    commit: str  # the commit validated
    changes: int  # changes since (every kind)
    items: int  # items changed since
    unvalidated: list[Change] = field(default_factory=list)  # decision changes since, one per item and kind

    @property
    def current(self) -> bool:
        """The plan shown is the plan validated (nothing changed since)."""
        return self.changes == 0

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "date": self.day.isoformat(), "tag": self.tag, "commit": self.commit, "changes": self.changes,
                "items_changed": self.items, "unvalidated": [c.as_dict() for c in self.unvalidated]}


def is_decision(change: Change) -> bool:
    """A change the management committee has to validate: decision fields, additions, removals, cancellations."""
    if change.kind in DECISION_KINDS:
        return True
    return change.kind == "status" and change.new == "cancelled"


def state(by: str, day: dt.date, tag: str, commit: str, since: PlanDiff) -> ValidationState:
    decisions: dict[tuple[str, str], Change] = {}
    for c in since.changes:
        if is_decision(c):
            decisions.setdefault((c.item, c.kind if c.kind != "status" else "cancelled"), c)
    return ValidationState(by, day, tag, commit, len(since.changes), len({c.item for c in since.changes}), list(decisions.values()))
