"""Which items a command is about: the filters of ``status``, ``prioritise`` and ``export`` (``--owner``,
``--service``, ``--late``...) and an id as a person types it (« a4.2 » is A4.2; else the closest ids).

The command line reaches :mod:`feuille.compute.filters` through here: it parses the options, this layer
decides what they keep.
"""

from __future__ import annotations

from feuille.compute.filters import FilterError, Filters, build, closest, match_id

__all__ = ["FilterError", "Filters", "build", "closest", "match_id"]
