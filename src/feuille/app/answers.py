"""The answers remembered for the fast door (``cli/quick.py``): a command run again on a plan unchanged answers
what it answered, read back from :mod:`feuille.io.results` (signed, keyed by the plan's state and the code)."""

from __future__ import annotations

from feuille.io import results
from feuille.io.results import lookup, store
from feuille.io.sources import SourceError, find_plans

__all__ = ["SourceError", "find_plans", "lookup", "results", "store"]
