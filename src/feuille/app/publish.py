"""What ``render``, ``report`` and ``export`` publish: the plan as an audience may see it (:func:`publish`, the
only door to any output: :mod:`feuille.compute.audience`), the audience ``--audience`` names, and a site put
in place at once (:mod:`feuille.io.sitewrite`)."""

from __future__ import annotations

from feuille.compute.audience import parse_audience, publish
from feuille.io.sitewrite import write_site

__all__ = ["parse_audience", "publish", "write_site"]
