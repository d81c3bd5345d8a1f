"""National identifiers of the organisations (plan.yaml ``organisations``): what makes each one well formed.

Belgium: the INS / NIS code of a municipality (five digits) and the BCE / KBO enterprise
number (ten digits, the first 0 or 1, the last two = 97 - the first eight modulo 97).
France: the INSEE code of a commune (five characters, Corsica 2A / 2B), the SIREN (nine
digits) and the SIRET (fourteen digits, the SIREN then the establishment), both with a Luhn
check digit; La Poste's establishments (SIREN 356000000) use the sum of the digits
modulo 5 instead.  Each check returns ``None`` when the value is right, else what is wrong
(a :class:`~feuille.core.i18n.Msg`): the lint rule F901 says it with the file and line.
"""

from __future__ import annotations

import re

from feuille.core.i18n import Msg, msg

LA_POSTE = "356000000"


def digits(value: str) -> str:
    """The value without the spaces, dots and dashes people write in it (``0207.270.729``)."""
    return re.sub(r"[\s.\-]", "", value)


def luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _count(value: str, n: int) -> Msg | None:
    if not re.fullmatch(r"\d+", value):
        return msg("it must hold only digits")
    if len(value) != n:
        return msg("it has {count} digits instead of {n}", count=len(value), n=n)
    return None


def check_siren(value: str) -> Msg | None:
    v = digits(value)
    return _count(v, 9) or (None if luhn(v) else msg("its check digit is wrong (Luhn key): a digit was mistyped"))


def check_siret(value: str) -> Msg | None:
    v = digits(value)
    wrong = _count(v, 14)
    if wrong:
        return wrong
    if v.startswith(LA_POSTE):
        return None if sum(map(int, v)) % 5 == 0 else msg("its check digit is wrong (Luhn key): a digit was mistyped")
    return None if luhn(v) else msg("its check digit is wrong (Luhn key): a digit was mistyped")


def check_bce(value: str) -> Msg | None:
    v = digits(value)
    if len(v) == 9 and v.isdigit():  # the old nine-digit numbers take a leading 0
        v = "0" + v
    wrong = _count(v, 10)
    if wrong:
        return wrong
    if v[0] not in "01":
        return msg("it must start with 0 or 1")
    return None if 97 - int(v[:8]) % 97 == int(v[8:]) else msg("its check digits (the last two) are wrong: a digit was mistyped")


def check_ins(value: str) -> Msg | None:
    return _count(value.strip(), 5)


def check_insee(value: str) -> Msg | None:
    if re.fullmatch(r"\d{5}|2[AB]\d{3}", value.strip()):
        return None
    return msg("it must be five characters: digits, or 2A / 2B and three digits in Corsica")


#: field of ``Organisation`` -> (its name for people, its check); the order of plan.yaml's documentation
CHECKS = {
    "ins_code": (msg("INS code"), check_ins),
    "bce": (msg("BCE/KBO number"), check_bce),
    "insee_code": (msg("INSEE code"), check_insee),
    "siren": (msg("SIREN"), check_siren),
    "siret": (msg("SIRET"), check_siret),
}
