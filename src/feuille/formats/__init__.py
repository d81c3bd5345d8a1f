"""One package per file format a plan is written to (and, in time, read from), registered in
:mod:`feuille.views.exports` like the other formats.  At the level of ``views/`` (tests/test_architecture.py):
a format imports ``compute``, ``core`` and ``views.exports`` (the registry's types), never the CLI."""
