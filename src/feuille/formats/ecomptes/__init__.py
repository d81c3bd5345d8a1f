"""The eComptes format (the Walloon region's PST, XSD 201805V1), both ways: ``write`` makes the files the region
receives (``feuille export --format ecomptes``), ``read`` makes a new plan of them (``feuille import``), ``xsd``
holds the region's schema and validates against it.  Both are registered once, in :mod:`feuille.formats`.

The rules that say, in ``lint``, what the region requires (F701-F709) are checks of the plan
(:mod:`feuille.checks.ecomptes`): lint runs them without loading the format, and ``write`` refuses with them.
"""
