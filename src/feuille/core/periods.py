"""Calendar steps: how often an indicator is measured, and the day one period later."""

from __future__ import annotations

import calendar
import datetime as dt

#: How often an indicator is measured (``frequency``), and the calendar step between two measurements.
FREQUENCIES: dict[str, tuple[int, int]] = {  # name -> (months, days)
    "weekly": (0, 7),
    "monthly": (1, 0),
    "quarterly": (3, 0),
    "half_yearly": (6, 0),
    "yearly": (12, 0),
}


def add_period(day: dt.date, frequency: str) -> dt.date:
    """``day`` plus one period of ``frequency``; a month's last day stays the last day (30/06 + 6 months = 31/12)."""
    months, days = FREQUENCIES[frequency]
    if days:
        return day + dt.timedelta(days=days)
    last = calendar.monthrange(day.year, day.month)[1]
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    end = calendar.monthrange(year, month)[1]
    return dt.date(year, month, end if day.day == last else min(day.day, end))
