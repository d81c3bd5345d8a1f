"""Numbers, money, percentages and dates for the reader's locale (Babel).

French: ``1 234 567,89 €``, ``62 %``, ``31/12/2025``; English: ``€1,234,567.89``,
``62%``, ``31 Dec 2025``.  Babel's CLDR data gives the right spaces and symbols.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from feuille.core.i18n import N_, NC_, Words, translator

# TRANSLATORS: how feuille writes a rounded amount (a Babel number pattern, ¤ is the currency)
_MONEY = N_("¤#,##0")
# TRANSLATORS: a percentage ({n} is the rounded number)
_PCT = N_("{n}%")
# TRANSLATORS: a date: a strftime pattern (starts with %), else a Babel date format (short, medium, long)
_DATE = N_("medium")
_PERIOD = Words({"both": NC_("period", "{start} – {end}"), "until": NC_("period", "until {end}"),
                 "since": NC_("period", "from {start}"), "unset": NC_("period", "not given")})


# Locales Babel is known to have: a formatter for them is made without importing Babel (a clean
# `feuille lint` writes one date and no number: Babel, ~9 ms to import, is loaded at the first number).
_KNOWN_LOCALES = frozenset({"fr_BE", "fr_FR", "fr_LU", "fr_CH", "fr_CA", "fr", "en_GB", "en_BE", "en_US", "en_IE", "en"})


@functools.lru_cache(maxsize=32)
def _locale(name: str) -> Any:
    """Babel's Locale, parsed once (a site formats tens of thousands of numbers and dates)."""
    from babel import Locale

    return Locale.parse(name)


@functools.lru_cache(maxsize=64)
def _number_pattern(pattern: str) -> Any:
    from babel.numbers import parse_pattern

    return parse_pattern(pattern)


@functools.lru_cache(maxsize=64)
def _date_pattern(pattern: str, locale: str) -> Any:
    """A date format (« medium » or a pattern) parsed once per locale; Babel's functions take it as it is."""
    from babel.dates import get_date_format, parse_pattern

    if pattern in ("full", "long", "medium", "short"):
        pattern = get_date_format(pattern, locale=_locale(locale))
    return parse_pattern(pattern)


@dataclass(frozen=True, slots=True)
class Formatter:
    lang: str  # fr | en
    locale: str  # Babel locale, e.g. fr_BE
    currency: str = "EUR"

    @classmethod
    def for_plan(cls, plan_locale: str | None, lang: str, currency: str = "EUR") -> Formatter:
        country = (plan_locale or "fr-BE").replace("_", "-").split("-")[1:] or ["BE"]
        plan_lang = (plan_locale or "fr").split("-")[0]
        # English for a French-speaking plan reads best with British conventions (€1,234)
        candidate = f"{lang}_{country[0]}" if lang == plan_lang or lang == "fr" else "en_GB"
        if candidate not in _KNOWN_LOCALES:
            from babel import Locale

            try:
                Locale.parse(candidate)
            except Exception:  # noqa: BLE001 - unknown pair (e.g. en_XX): the language alone
                candidate = lang
        return cls(lang, candidate, currency)

    @property
    def _(self):  # the catalogue's gettext for this language
        return translator(self.lang)

    def money(self, value: Decimal | float | int | None, cents: bool = False) -> str:
        if value is None:
            return "–"
        from babel.numbers import format_currency

        if cents:
            return format_currency(value, self.currency, locale=_locale(self.locale))
        return format_currency(Decimal(value).quantize(Decimal(1)), self.currency, format=_number_pattern(self._(_MONEY)), locale=_locale(self.locale),
                               currency_digits=False)

    def number(self, value: float | int | Decimal | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(value, format=_number_pattern(pattern), locale=_locale(self.locale))

    def pct(self, value: float | None) -> str:
        if value is None:
            return "?"
        rounded = round(value)
        return self._(_PCT).format(n=rounded)

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return "–"
        pattern = self._(_DATE)
        if pattern.startswith("%"):
            return value.strftime(pattern)
        from babel.dates import format_date

        return format_date(value, _date_pattern(pattern, self.locale), locale=_locale(self.locale))

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """« 01/01/2025 – 30/06/2030 », « jusqu'au 30/06/2030 », « à partir du 01/01/2025 » or « non renseigné »:
        an empty end is said in words, never shown as a dash."""
        words = _PERIOD[self.lang]
        if start is not None and end is not None:
            return words["both"].format(start=self.date(start), end=self.date(end))
        if end is not None:
            return words["until"].format(end=self.date(end))
        if start is not None:
            return words["since"].format(start=self.date(start))
        return words["unset"]
