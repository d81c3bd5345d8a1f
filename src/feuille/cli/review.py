"""``feuille review``: the round a service head does before the college meeting (not written yet)."""
