"""Numbers, money, percentages and dates for the reader's locale (Babel).

French: ``1 234 567,89 €``, ``62 %``, ``31/12/2025``; English: ``€1,234,567.89``,
``62%``, ``31 Dec 2025``.  Babel's CLDR data gives the right spaces and symbols.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
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
    from babel import Locale  # noqa: PLC0415 (heavy, loaded when first needed)

    return Locale.parse(name)


@functools.lru_cache(maxsize=64)
def _number_pattern(pattern: str) -> Any:
    from babel.numbers import parse_pattern  # noqa: PLC0415 (heavy, loaded when first needed)

    return parse_pattern(pattern)


@functools.lru_cache(maxsize=64)
def _date_pattern(pattern: str, locale: str) -> Any:
    """A date format (« medium » or a pattern) parsed once per locale; Babel's functions take it as it is."""
    from babel.dates import get_date_format, parse_pattern  # noqa: PLC0415 (heavy, loaded when first needed)

    if pattern in ("full", "long", "medium", "short"):
        pattern = get_date_format(pattern, locale=_locale(locale))
    return parse_pattern(pattern)


class _Shape:
    """How Babel writes numbers of one kind (a locale, a pattern, a currency, a number of decimals): the sign's
    prefix and suffix, the group and decimal symbols, read once from Babel's own output, then applied without
    Babel (a site formats tens of thousands of amounts: Babel parses and rounds each in ~50 µs, this in ~3 µs).

    Made only when Babel's output for a set of probes (zero, every number of digits up to 16, negatives, halves to
    round, trailing zeros) is exactly what the shape writes; otherwise :func:`_shape` gives None and Babel writes
    every number (a locale with another grouping, a minimum grouping, another minus...).  Values are rounded as
    Babel rounds them (``Decimal.quantize`` in the current context: half to even); a value that rounds to a negative
    zero, is not finite or is too large for the context is left to Babel.
    """

    __slots__ = ("quantum", "frac_min", "pos", "neg", "group", "point")

    def __init__(self, quantum: Decimal, frac_min: int, pos: tuple[str, str], neg: tuple[str, str], group: str, point: str) -> None:
        self.quantum, self.frac_min, self.pos, self.neg, self.group, self.point = quantum, frac_min, pos, neg, group, point

    def __call__(self, value: Decimal) -> str | None:
        try:
            rounded = value.quantize(self.quantum)
        except ArithmeticError:
            return None
        text = f"{rounded:f}"
        negative = text[0] == "-"
        if negative:
            if not rounded:
                return None  # -0: Babel's own way
            text = text[1:]
        whole, _point, frac = text.partition(".")
        if len(frac) > self.frac_min:
            frac = frac.rstrip("0")
            if len(frac) < self.frac_min:
                frac = frac.ljust(self.frac_min, "0")
        if len(whole) > 3:
            head = len(whole) % 3 or 3
            whole = self.group.join([whole[:head], *(whole[i:i + 3] for i in range(head, len(whole), 3))])
        prefix, suffix = self.neg if negative else self.pos
        return f"{prefix}{whole}{self.point}{frac}{suffix}" if frac else f"{prefix}{whole}{suffix}"


_DIGITS = re.compile(r"\d+")


def _probes(decimals: int) -> list[Decimal]:
    values = [Decimal(0), Decimal(7), Decimal("0.5"), Decimal("1.5"), Decimal("2.5"), Decimal("-2.5"), Decimal("1000.000")]
    values += [Decimal("123456789012345678"[:n]) for n in range(1, 17)]
    if decimals:
        values += [Decimal("0.125"), Decimal("0.135"), Decimal("1234.5"), Decimal("1234.10"), Decimal("-0.015"), Decimal("-0.025"),
                   Decimal("98765.4321"), Decimal("0.1"), Decimal(f"1.{'0' * decimals}1"), Decimal(f"-3.{'9' * (decimals + 1)}")]
    return values + [-v for v in values if v]


def _read_shape(babel: Any, decimals: int, frac_min: int) -> _Shape | None:
    """The shape of ``babel``'s output (a function of a Decimal), if it has one and it matches every probe."""
    frac = "2" + "5" * (decimals - 1) if decimals else ""
    sample = Decimal(f"1234567.{frac}") if decimals else Decimal(1234567)

    def parts(text: str) -> tuple[str, str, str, str] | None:
        runs = list(_DIGITS.finditer(text))
        if [m.group() for m in runs] != ["1", "234", "567", *([frac] if decimals else [])]:
            return None
        group = text[runs[0].end():runs[1].start()]
        if text[runs[1].end():runs[2].start()] != group or not group or any(c.isdigit() for c in group):
            return None
        point = text[runs[2].end():runs[3].start()] if decimals else ""
        return text[:runs[0].start()], text[runs[-1].end():], group, point

    try:
        pos, neg = parts(babel(sample)), parts(babel(-sample))
    except Exception:  # noqa: BLE001 - any surprise: Babel writes every number
        return None
    if pos is None or neg is None or pos[2:] != neg[2:]:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    shape = _Shape(quantum, frac_min, pos[:2], neg[:2], pos[2], pos[3])
    try:
        if any(shape(v) not in (None, babel(v)) for v in _probes(decimals)):
            return None
    except Exception:  # noqa: BLE001
        return None
    return shape


@functools.lru_cache(maxsize=64)
def _money_shape(locale: str, pattern: str, currency: str, cents: bool) -> _Shape | None:
    from babel.numbers import format_currency  # noqa: PLC0415 (heavy, loaded when first needed)

    loc = _locale(locale)
    if cents:
        return _read_shape(lambda v: format_currency(v, currency, locale=loc), 2, 2)
    parsed = _number_pattern(pattern)
    return _read_shape(lambda v: format_currency(v, currency, format=parsed, locale=loc, currency_digits=False), 0, 0)


@functools.lru_cache(maxsize=64)
def _number_shape(locale: str, digits: int) -> _Shape | None:
    from babel.numbers import format_decimal  # noqa: PLC0415 (heavy, loaded when first needed)

    loc = _locale(locale)
    parsed = _number_pattern("#,##0" + ("." + "#" * digits if digits else ""))
    return _read_shape(lambda v: format_decimal(v, format=parsed, locale=loc), digits, 0)


def _decimal(value: Any) -> Decimal | None:
    """``value`` as Babel reads a number (``Decimal(str(x))`` for a float), or None for anything else."""
    kind = type(value)
    if kind is Decimal:
        return value if value.is_finite() else None
    if kind is int:
        return Decimal(value)
    if kind is float:
        return Decimal(str(value)) if value == value and value not in (float("inf"), float("-inf")) else None
    return None


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
            from babel import Locale  # noqa: PLC0415 (heavy, loaded when first needed)

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
        if cents:
            number = _decimal(value)
        else:
            number = Decimal(value).quantize(Decimal(1)) if type(value) in (Decimal, int, float) else None
            number = number if number is not None and number.is_finite() else None
        if number is not None:
            shape = _money_shape(self.locale, "" if cents else self._(_MONEY), self.currency, cents)
            text = shape(number) if shape is not None else None
            if text is not None:
                return text
        from babel.numbers import format_currency  # noqa: PLC0415 (heavy, loaded when first needed)

        if cents:
            return format_currency(value, self.currency, locale=_locale(self.locale))
        return format_currency(Decimal(value).quantize(Decimal(1)), self.currency, format=_number_pattern(self._(_MONEY)), locale=_locale(self.locale),
                               currency_digits=False)

    def number(self, value: float | int | Decimal | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        number = _decimal(value)
        if number is not None:
            shape = _number_shape(self.locale, digits)
            text = shape(number) if shape is not None else None
            if text is not None:
                return text
        from babel.numbers import format_decimal  # noqa: PLC0415 (heavy, loaded when first needed)

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
        from babel.dates import format_date  # noqa: PLC0415 (heavy, loaded when first needed)

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


def plan_formatter(loaded: Any, lang: str) -> Formatter:
    """The formatter of a plan read (a :class:`feuille.pipeline.Loaded`): its locale and currency, in ``lang``."""
    meta = loaded.plan.meta
    return Formatter.for_plan(meta.locale if meta else None, lang, meta.currency if meta else "EUR")
