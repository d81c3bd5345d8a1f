"""views/table.display_width: the short way for text of one-column characters gives what the long way gives."""

from __future__ import annotations

import re
import unicodedata

from feuille.views.table import NARROW, display_width


def _long(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1 for c in text)


def test_every_character_taken_the_short_way_is_one_column():
    short = re.compile(f"[{NARROW}]")
    chars = [chr(c) for c in range(0x3000) if short.fullmatch(chr(c))]
    assert len(chars) > 800 and "…" in chars and "\u202f" in chars and "€" in chars
    assert [c for c in chars if _long(c) != 1] == []


def test_widths_of_mixed_text():
    for text in ("Améliorer « la » propreté…", "e\u0301té", "漢字 et Latin", "ﬀ", "\x00\t", "", "€ 3 000 — 5 %", "\u20d0x"):
        assert display_width(text) == _long(text), text
