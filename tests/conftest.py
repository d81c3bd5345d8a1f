import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Never touch the user's cache folder from the tests."""
    monkeypatch.setenv("FEUILLE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("FEUILLE_LANG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # tables fit a terminal only when a test says how wide
    # a past --as-of reads git history (app/history.py); the example plans' tests want today's files
    monkeypatch.setenv("FEUILLE_HISTORY", "off")
