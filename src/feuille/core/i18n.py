"""The one translation catalogue: gettext ``.po`` files managed with Babel, read by a tiny loader.

Message ids are English; ``locale/fr/LC_MESSAGES/feuille.po`` gives the French,
``locale/en/LC_MESSAGES/feuille.po`` the English (msgstr = msgid, so that a missing
translation is visible in both).  ``make i18n`` extracts (``pybabel extract``), updates and
checks them; ``tests/test_i18n.py`` fails when a catalogue is incomplete or stale.

The command line's help texts are written in French where the options are declared; they
are collected from the application (msgctxt ``help``, msgid French) and translated by
:func:`help_translator`.

There is no global language: a caller asks for the function of a language and passes it on::

    _ = translator("fr")
    _("Usage")                       # 'Utilisation'
    n_ = plural_translator("fr")
    n_("{n} error", "{n} errors", 3)  # '{n} erreurs'

At run time each language is read once per process from its compiled ``feuille.mo`` (made by
``make i18n`` beside the ``.po``, checked in tests to match it): 0.3 ms for 1,200 messages,
where parsing the ``.po`` took 4–5 ms of every start-up.  A ``.po`` newer than its ``.mo`` (edited,
``make i18n`` not run yet; by more than the 2 s a checkout takes to write both) is read instead,
so a translator sees their change at once.
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Callable, Mapping
from pathlib import Path

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "feuille"
CONTEXT_SEP = "\x04"  # gettext's separator between a msgctxt and its msgid
HELP = "help"  # the msgctxt of the command line's help texts, written in French in the code (msgid French)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")


def N_(msgid: str) -> str:
    """Mark a string for the catalogue where it is defined; translate it where it is shown."""
    return msgid


def NC_(context: str, msgid: str) -> str:
    """Like :func:`N_`, for a msgid that needs a context (the same English word, two French ones):
    gives the catalogue's key ``context + "\\x04" + msgid``, which :class:`Words` translates."""
    return f"{context}{CONTEXT_SEP}{msgid}"


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted PO string: {text!r}")
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(text: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """Translated entries of a PO file: ``msgid -> msgstr`` and ``(msgid, msgid_plural) -> (msgstr[0], ...)``;
    an entry with a ``msgctxt`` is keyed ``msgctxt + "\\x04" + msgid``, as gettext does.

    Fuzzy, obsolete and untranslated entries are left out (the caller then shows the msgid)."""
    out: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    key = ""

    def close() -> None:
        nonlocal entry, fuzzy
        msgid = entry.get("msgid")
        if msgid and "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}{CONTEXT_SEP}{msgid}"
        if msgid and not fuzzy:
            if "msgid_plural" in entry:
                forms = tuple(entry[k] for k in sorted(k for k in entry if k.startswith("msgstr[")))
                if forms and all(forms):
                    out[(msgid, entry["msgid_plural"])] = forms
            elif entry.get("msgstr"):
                out[msgid] = entry["msgstr"]
        entry, fuzzy = {}, False

    for line in text.splitlines():
        line = line.strip()
        starts_entry = line.startswith(("#", "msgid ", "msgctxt "))
        if (not line or starts_entry) and any(k.startswith("msgstr") for k in entry):
            close()  # a blank line, a comment or a new msgid ends the entry before
        if not line:
            continue
        if line.startswith("#"):
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _sep, rest = line.partition(" ")
            entry[key] = _unquote(rest)
    close()
    return out


def parse_mo(data: bytes) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """The entries of a compiled catalogue (GNU ``.mo``), keyed as :func:`parse_po` keys them."""
    for order in ("<", ">"):
        magic, _revision, count, originals, translations = struct.unpack_from(order + "5I", data)
        if magic == 0x950412DE:
            break
    else:
        raise ValueError("not a .mo file")
    pair = struct.Struct(order + "2I")
    out: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for i in range(count):
        length, offset = pair.unpack_from(data, originals + 8 * i)
        msgid = data[offset:offset + length].decode("utf-8")
        length, offset = pair.unpack_from(data, translations + 8 * i)
        msgstr = data[offset:offset + length].decode("utf-8")
        if not msgid:  # the header
            continue
        if "\0" in msgid:
            singular, plural = msgid.split("\0", 1)
            out[(singular, plural)] = tuple(msgstr.split("\0"))
        else:
            out[msgid] = msgstr
    return out


_CHECKOUT_NS = 2_000_000_000  # a clone or checkout writes the two files within this span, in either order


@functools.cache
def _catalogue(lang: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    try:
        if po.stat().st_mtime_ns <= mo.stat().st_mtime_ns + _CHECKOUT_NS:
            return parse_mo(mo.read_bytes())
    except (OSError, ValueError, struct.error):
        pass
    try:
        return parse_po(po.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def translator(lang: str | None) -> Callable[[str], str]:
    """The gettext function of ``lang`` (``fr`` or ``en``; anything else: French)."""
    catalogue = _catalogue(_lang(lang))

    def gettext(msgid: str) -> str:
        found = catalogue.get(msgid)
        return found if isinstance(found, str) else msgid

    return gettext


def context_translator(lang: str | None) -> Callable[[str, str], str]:
    """The pgettext function of ``lang``: ``p_(context, msgid)``."""
    catalogue = _catalogue(_lang(lang))

    def pgettext(context: str, msgid: str) -> str:
        found = catalogue.get(f"{context}{CONTEXT_SEP}{msgid}")
        return found if isinstance(found, str) else msgid

    return pgettext


class Words:
    """A table of words (``{"late": NC_("verdict", "late")}``), translated by language:
    ``VERDICT["fr"]["late"] == "en retard"``.  The words are in the catalogue (with a msgctxt);
    each language's table is made once, at its first use."""

    def __init__(self, keys: Mapping[str, str | tuple[str, str]]) -> None:
        self.keys = keys
        self._made: dict[str, dict[str, str]] = {}

    def __getitem__(self, lang: str) -> dict[str, str]:
        made = self._made.get(lang)
        if made is None:
            code = _lang(lang)
            catalogue = _catalogue(code)
            made = {}
            for name, key in self.keys.items():
                found = catalogue.get(key)
                if isinstance(key, tuple):  # NPC_: words that agree with a count, a Forms (its .format(n=...) as a str's)
                    made[name] = forms_of(key, code)  # type: ignore[assignment]
                else:
                    made[name] = found if isinstance(found, str) else key.rpartition(CONTEXT_SEP)[2]
            self._made[lang] = made
        return made


def NPC_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Like :func:`NC_`, for words that agree with a count: in a :class:`Words` table, a :class:`Forms`
    (``t["hidden"].format(n=3)`` takes the form for 3)."""
    return (f"{context}{CONTEXT_SEP}{singular}", plural)


class Forms:
    """A message's plural forms in one language, for a table of words or a template: ``.format(n=3, ...)``
    takes the form for the count ``n`` (« 1 action », « 3 actions »), never « action(s) »."""

    __slots__ = ("forms", "code")

    def __init__(self, forms: tuple[str, ...], code: str) -> None:
        self.forms, self.code = forms, code

    def format(self, *args: object, **kwargs: object) -> str:
        n = kwargs.get("n", 0)
        index = min(_plural_index(self.code, n if isinstance(n, int) else 0), len(self.forms) - 1)
        return self.forms[index].format(*args, **kwargs)

    def __str__(self) -> str:
        return self.forms[-1]

    def __repr__(self) -> str:
        return f"Forms({self.forms!r})"


def forms_of(key: tuple[str, str], lang: str | None) -> Forms:
    """The :class:`Forms` of an :func:`NPC_` key in ``lang``."""
    code = _lang(lang)
    found = _catalogue(code).get(key)
    return Forms(found if isinstance(found, tuple) and found else (key[0].rpartition(CONTEXT_SEP)[2], key[1]), code)


def plural_forms(singular: str, plural: str, lang: str | None) -> Forms:
    """The forms of ``singular``/``plural`` in ``lang``, to be filled later with ``.format(n=...)``."""
    code = _lang(lang)
    found = _catalogue(code).get((singular, plural))
    return Forms(found if isinstance(found, tuple) and found else (singular, plural), code)


def help_translator(lang: str | None) -> Callable[[str], str]:
    """The translation of the command line's help texts (French in the code, msgctxt ``help``)."""
    catalogue = _catalogue(_lang(lang))

    def gettext(text: str) -> str:
        found = catalogue.get(f"{HELP}{CONTEXT_SEP}{text}")
        return found if isinstance(found, str) else text

    return gettext


def _plural_index(lang: str, n: int) -> int:
    return int(n > 1) if lang == "fr" else int(n != 1)  # Plural-Forms of the two catalogues


def plural_translator(lang: str | None) -> Callable[[str, str, int], str]:
    """The ngettext function of ``lang``: ``n_(singular, plural, n)``."""
    code = _lang(lang)
    catalogue = _catalogue(code)

    def ngettext(singular: str, plural: str, n: int) -> str:
        forms = catalogue.get((singular, plural))
        index = _plural_index(code, n)
        if isinstance(forms, tuple) and index < len(forms):
            return forms[index]
        return singular if n == 1 else plural

    return ngettext


class Msg:
    """A message kept for later: an English msgid and its arguments, translated when shown (``m(lang)``).

    Used where the language is not known yet (a diagnostic's details, found before anyone
    asks for French or English); an argument may itself be a :class:`Msg`."""

    __slots__ = ("msgid", "kwargs")

    def __init__(self, msgid: str, /, **kwargs: object) -> None:
        self.msgid = msgid
        self.kwargs = kwargs

    def __call__(self, lang: str | None) -> str:
        gettext = translator(lang)
        text = gettext(self.msgid)
        if not self.kwargs:
            return text
        return text.format(**{k: v(lang) if isinstance(v, Msg) else v for k, v in self.kwargs.items()})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.msgid, self.kwargs) == (other.msgid, other.kwargs)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __repr__(self) -> str:
        return f"msg({self.msgid!r}{''.join(f', {k}={v!r}' for k, v in self.kwargs.items())})"

    def __str__(self) -> str:
        """The French (the default language), as ``str(exc)`` of an error that carries a message:
        what a caller that does not know the reader's language yet shows (``f"{m}"``)."""
        return self(DEFAULT_LANG)


class Joined(Msg):
    """Messages joined by a translated separator (``Joined(msg(", no "), [a, b])``)."""

    __slots__ = ("parts",)

    def __init__(self, sep: Msg, parts: list[Msg]) -> None:
        super().__init__(sep.msgid)
        self.parts = tuple(parts)

    def __call__(self, lang: str | None) -> str:
        gettext = translator(lang)
        return gettext(self.msgid).join(p(lang) for p in self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Joined) and (self.msgid, self.parts) == (other.msgid, other.parts)

    __hash__ = Msg.__hash__


class When(Msg):
    """A date (or a date and time) for a :class:`Msg`, written the way the reader's language writes it."""

    __slots__ = ("value", "with_time")

    def __init__(self, value: object, with_time: bool = False) -> None:
        super().__init__("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
        self.value, self.with_time = value, with_time

    def __call__(self, lang: str | None) -> str:
        gettext = translator(lang)
        return str(self.value.strftime(gettext(self.msgid)))  # type: ignore[attr-defined]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, When) and (self.value, self.with_time) == (other.value, other.with_time)

    __hash__ = Msg.__hash__


def number(value: float | int | object, lang: str | None, digits: int | None = None) -> str:
    """``value`` written as the reader's language writes numbers: ``0,1`` and ``1 234`` in French, ``0.1`` and
    ``1,234`` in English; a whole number without decimals (``100``, not ``100.0``), else at most 6 of them;
    exactly ``digits`` decimals when given.  Anything but a number is shown as it is."""
    from decimal import Decimal  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    from babel.numbers import format_decimal  # (Babel only when a number is shown)  # noqa: PLC0415 (heavy, loaded when first needed)

    pattern = "#,##0" + ("." + "0" * digits if digits else "" if digits == 0 else ".######")
    return format_decimal(value, format=pattern, locale=_lang(lang))


class Number(Msg):
    """A number for a :class:`Msg`, written the way the reader's language writes it (:func:`number`)."""

    __slots__ = ("value", "digits")

    def __init__(self, value: object, digits: int | None = None) -> None:
        super().__init__("{n}")
        self.value, self.digits = value, digits

    def __call__(self, lang: str | None) -> str:
        return number(self.value, lang, self.digits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Number) and (self.value, self.digits) == (other.value, other.digits)

    def __repr__(self) -> str:
        return f"Number({self.value!r})"

    __hash__ = Msg.__hash__


class Plural(Msg):
    """A message whose words agree with a count (the catalogue's plural forms, gettext's ``ngettext``):
    « 1 action à revoir », « 2 actions à revoir »; never « action(s) ».  ``{n}`` is the count unless given."""

    __slots__ = ("plural", "n")

    def __init__(self, singular: str, plural: str, n: int, /, **kwargs: object) -> None:
        super().__init__(singular, **kwargs)
        self.plural, self.n = plural, n

    def __call__(self, lang: str | None) -> str:
        text = plural_translator(lang)(self.msgid, self.plural, self.n)
        values = {k: v(lang) if isinstance(v, Msg) else v for k, v in self.kwargs.items()}
        return text.format(**{"n": self.n, **values})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plural) and (self.msgid, self.plural, self.n, self.kwargs) == (other.msgid, other.plural, other.n, other.kwargs)

    def __repr__(self) -> str:
        return f"msgn({self.msgid!r}, {self.plural!r}, {self.n!r}{''.join(f', {k}={v!r}' for k, v in self.kwargs.items())})"

    __hash__ = Msg.__hash__


def msg(msgid: str, /, **kwargs: object) -> Msg:
    """Mark ``msgid`` (English, ``str.format`` placeholders) for the catalogue; translate it later with ``m(lang)``."""
    return Msg(msgid, **kwargs)


def msgn(singular: str, plural: str, n: int, /, **kwargs: object) -> Plural:
    """Like :func:`msg`, the words agreeing with the count ``n`` (``{n}``): ``msgn("{n} action", "{n} actions", 3)``."""
    return Plural(singular, plural, n, **kwargs)
