"""The spreadsheet format (xlsx and csv), both ways: a plan's actions sheet written, and a sheet read back into a
new plan or into the plan it came from (modules: ``columns``, ``read``, ``write``, ``xlsx``, ``csv_file``)."""
