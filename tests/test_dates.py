"""Dates as the clerk reads and writes them (issue 25, item 4): one date form per language in the rules'
messages (01/03/2025 in French, as everywhere else), and every date option takes what ``update`` takes."""

from __future__ import annotations

import json

import pytest

from _cli import feuille
from _plans import EXAMPLES, no_traceback
from catalogue import build

EXAMPLE = str(EXAMPLES / "la-louviere")

LATE_START = """id: O2
title: Objectif
actions:
  - id: A2.1
    title: Action
    planned_start: 2026-02-01
    planned_end: 2026-12-31
    status: not_started
    last_reviewed: 2026-06-01
"""


@pytest.fixture
def late(tmp_path):
    return str(build(tmp_path / "plan", {"objectives/02.yaml": LATE_START}))


def test_rule_messages_write_dates_the_french_way(late):
    r = feuille("lint", late, "--as-of", "01/07/2026")
    no_traceback(r)
    assert "F405" in r.stdout
    assert "Début prévu le 01/02/2026, il y a 150 jours, mais l'action n'a pas commencé." in r.stdout


def test_rule_messages_write_dates_the_english_way_in_english(late):
    r = feuille("lint", late, "--as-of", "2026-07-01", "--lang", "en")
    assert "Planned to start on 2026-02-01, 150 days ago, but not started." in r.stdout, r.stdout


def test_json_message_follows_the_language_and_its_data_stays_iso(late):
    doc = json.loads(feuille("lint", late, "--as-of", "01/07/2026", "--format", "json").stdout)
    assert doc["as_of"] == "2026-07-01"
    late_start = [d for d in doc["diagnostics"] if d["code"] == "F405"]
    assert [d["message"] for d in late_start] == ["Début prévu le 01/02/2026, il y a 150 jours, mais l'action n'a pas commencé."]


@pytest.mark.parametrize("written", ["31/12/2025", "31-12-2025", "31.12.2025"])
def test_as_of_takes_the_dates_update_takes(written):
    iso = feuille("status", EXAMPLE, "--as-of", "2025-12-31")
    french = feuille("status", EXAMPLE, "--as-of", written)
    no_traceback(french)
    assert french.returncode == iso.returncode == 0, french.stderr
    assert french.stdout == iso.stdout


@pytest.mark.parametrize("option", ["--as-of", "--since"])
def test_an_invalid_date_option_is_explained_with_a_hint(option):
    args = ("status", EXAMPLE, "--trend") if option == "--since" else ("status", EXAMPLE)
    r = feuille(*args, option, "31/13/2025")
    no_traceback(r)
    assert r.returncode == 2
    assert f"date invalide pour {option} : « 31/13/2025 »." in r.stderr
    assert "Écrivez la date JJ/MM/AAAA (31/12/2026) ou AAAA-MM-JJ (2026-12-31)." in r.stderr
    en = feuille(*args, option, "31/13/2025", "--lang", "en")
    assert f"invalid date for {option}: '31/13/2025'." in en.stderr
    assert "Write the date DD/MM/YYYY (31/12/2026) or YYYY-MM-DD (2026-12-31)." in en.stderr
