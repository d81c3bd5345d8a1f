"""The spreadsheet format (xlsx and csv), both ways: a plan's actions written as a sheet to fill in, and a sheet read
back, into a new plan or into the plan it came from.

- ``columns``: the sheet's columns (read from the field registry, core/fields.py, plus the computed ones), the
  words of its drop-down lists, the baseline hash of each exported row and the export's mark;
- ``read``: a file into rows (header found, columns matched, limits checked), with the problems met;
- ``values``: the cells read the way people write dates, amounts, percentages, statuses, people;
- ``build``: a new plan from the rows; ``update``: a returned sheet compared with its plan (written by the
  write service, :mod:`feuille.app.imports`);
- ``write``: the rows the exports share; ``xlsx`` and ``csv_file``: the two files written.

Registered once, in :mod:`feuille.formats`: ``build`` for feuille import (« tableur »: a new plan), ``xlsx`` and
``csv_file`` for feuille export.
"""
