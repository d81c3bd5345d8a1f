"""``feuille prioritise``: objectives and actions ranked by stake, urgency and return (:mod:`feuille.compute.ranking`),
with the weights the user gives (``--weights``)."""

from __future__ import annotations

from feuille.compute.ranking import parse_weights, rank

__all__ = ["parse_weights", "rank"]
