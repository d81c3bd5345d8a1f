"""A new plan: ``feuille init`` (an empty plan that passes lint) and an import that makes one from another tool's
file (written only after every file is checked against the model; never into an existing plan)."""

from __future__ import annotations

from feuille.io.imports import ImportProblem, write_plan
from feuille.io.scaffold import create

__all__ = ["ImportProblem", "create", "write_plan"]
