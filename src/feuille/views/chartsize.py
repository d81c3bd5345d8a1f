"""The sizes every SVG chart of the site is drawn at, and how much room a label takes.

A chart is drawn twice in its page, in user units of its ``viewBox``: ``WIDE`` for screens from 48rem and
for print, ``NARROW`` for a phone; the style sheet shows one of them (``svg.wide``/``svg.narrow``).  The svg
is as wide as its column, so its texts are scaled by column width / viewBox width: drawn 1000 units wide,
a 15-unit label is 5 px on a 390 px phone; drawn 400 units wide it stays above 12 px there
(tests/test_browser.py measures both, and that no label leaves its chart).
"""

from __future__ import annotations

WIDE = 1000  # the viewBox width of a chart on a screen from 48rem, and printed
NARROW = 400  # on a phone: 400 units in a column of 327-512 px (the style sheet caps it at 32rem)
CHAR = 9.0  # units per character of a 15-unit label, generous (no font metrics here)


def room(labels: list[str], gap: float = 10) -> float:
    """The width, in units, that the longest of ``labels`` needs beside an axis, with ``gap`` to spare."""
    return round(max((len(text) for text in labels), default=0) * CHAR + gap)
