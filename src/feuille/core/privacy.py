"""Personal data in free text: what rule F801 looks for, and a quick look over a whole file.

:func:`found_in` says what personal data a text holds (an e-mail address, a phone
number, a home address, national number or birth date).  :func:`anywhere` says
whether any text in a file's parsed values holds some: the loader works it out
when it parses a file and keeps the answer in its cache with the values, so that
the rule looks only at the items of the few files that could hold any (a plan of
10,000 actions: 56 ms -> under 1 ms on a warm run).
"""

from __future__ import annotations

import re
from typing import Any

from feuille.core.i18n import Msg, msg

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: « +32 », « 0032 » or « 0 » and its groups of digits, not inside a longer number or a date.  Written
# so that each alternative starts with its first character (« + » or « 0 »), the character before it checked after
# (``(?<![\d/]0)``: not a digit nor « / » before that « 0 »): the regex engine then jumps from one « + » or « 0 » to
# the next instead of trying every position (4x faster over a file's texts; the same matches, tests/test_privacy).
_PHONE = re.compile(r"(?:\+(?<![\d/]\+)\d{2}[\s./-]?\d{1,3}|0(?<![\d/]0)(?:0\d{2}[\s./-]?\d{1,3}|\d{1,3}))(?:[\s./-]?\d{2}){3,4}(?![\d/])")
_PRIVATE = re.compile(r"\b(?:domicilié|domicile|registre national|numéro national|n° national|né le|née le)\b", re.IGNORECASE)
_DIGITS = "0123456789"


def found_in(text: str) -> Msg | None:
    """What personal data ``text`` holds, in words of the catalogue, if any.  Cheap tests first
    (an « @ », nine digits, a key word): the regular expressions run only on the few texts that
    could match."""
    if "@" in text and _EMAIL.search(text):
        return msg("an e-mail address")
    if sum(map(text.count, _DIGITS)) >= 9 and _PHONE.search(text):
        return msg("a phone number")
    low = text.lower()
    if ("domicil" in low or "national" in low or "né le" in low or "née le" in low) and _PRIVATE.search(text):
        return msg("personal data (home address, national number, birth)")
    return None


def any_of(texts: list[str]) -> bool:
    """Whether any of ``texts`` holds personal data (:func:`found_in` of one of them), in one look over them all.

    The texts are joined with NUL characters, which none of the patterns can match or cross (an e-mail
    address, a phone number's digits and separators, a key word's word boundary stop there, as at the end
    of a text); a phone number also needs nine digits in its own text, as :func:`found_in` asks."""
    if not texts:
        return False
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holding a NUL itself: one by one
        return any(found_in(t) is not None for t in texts)
    if "@" in joined and _EMAIL.search(joined):
        return True
    if sum(map(joined.count, _DIGITS)) >= 9:
        for m in _PHONE.finditer(joined):
            start, end = joined.rfind("\x00", 0, m.start()) + 1, joined.find("\x00", m.end())
            own = joined[start:end if end >= 0 else len(joined)]
            if sum(map(own.count, _DIGITS)) >= 9:
                return True
    low = joined.lower()  # the key words' cheap test of found_in, before the regular expression
    return ("domicil" in low or "national" in low or "né le" in low or "née le" in low) and _PRIVATE.search(joined) is not None


def anywhere(values: Any) -> bool:
    """Whether any text (or number, read as text) in parsed YAML ``values`` holds personal data."""
    stack = [values]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        elif kind is str:
            if found_in(value):
                return True
        elif (kind is int or kind is float) and found_in(str(value)):
            return True
    return False
