import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _plans import EXAMPLE, history_repo  # noqa: E402  (tests/ is on the path from here on)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Never touch the user's cache folder from the tests."""
    monkeypatch.setenv("FEUILLE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("FEUILLE_LANG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Text for people is wrapped to the terminal (80 columns when nothing says how wide): the tests compare whole
    # messages at 1,000 columns; tests/test_screens.py runs every command at 60, 80 and 120, and unset (80).
    monkeypatch.setenv("COLUMNS", "1000")
    # a past --as-of reads git history (app/history.py); the example plans' tests want today's files
    monkeypatch.setenv("FEUILLE_HISTORY", "off")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A copy of the example plan (plans/la-louviere) in a temporary folder ``ll``."""
    target = tmp_path / "ll"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the example plan with four dated commits (:func:`_plans.history_repo`), history on."""
    monkeypatch.delenv("FEUILLE_HISTORY", raising=False)
    return history_repo(tmp_path / "depot")
