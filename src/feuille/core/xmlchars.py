"""Characters no file feuille writes can hold: what XML 1.0 forbids (and with it xlsx and docx cells, eComptes).

XML 1.0 allows tab, line feed, carriage return and every character from U+0020 but the
surrogates and U+FFFE, U+FFFF; a spreadsheet cell refuses the same control characters.  A
YAML file can hold them all the same (``"\\x01"``, or pasted from another program), and
``feuille update --set`` could write them: ``lint`` reports them (F208, with the place), and
every exporter leaves them out (with a note) so that no file it writes is invalid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

#: XML 1.0's ``Char`` production, complemented: C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF.
#: (Written as the characters left out: the complement of the allowed ranges takes 25 times longer to compile.)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return NOT_XML.sub("", text)


def shown(text: str) -> str:
    """The characters of ``text`` XML cannot hold, each written the way YAML escapes it (``\\x01``, ``\\ud800``), once each."""
    seen = dict.fromkeys(NOT_XML.findall(text))
    return " ".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in seen)


def escaped(text: str) -> str:
    """``text`` with each character XML cannot hold written as YAML escapes it (``\\x07``): readable, and valid XML."""
    return NOT_XML.sub(lambda m: shown(m.group()), text)


def anywhere(value: Any) -> bool:
    """Whether a parsed YAML value (mappings, lists, scalars) holds such a character in any text (keys are not
    texts: an unknown key is F201, and lint shows it escaped)."""
    if isinstance(value, str):
        return NOT_XML.search(value) is not None
    if isinstance(value, dict):
        return any(anywhere(v) for v in value.values())
    if isinstance(value, list):
        return any(anywhere(v) for v in value)
    return False


def found(value: Any, path: tuple[Any, ...] = (), owner: dict[str, Any] | None = None) -> Iterator[tuple[tuple[Any, ...], str, dict[str, Any] | None]]:
    """``(path, text, item)`` for each text (not key) of a parsed YAML value that holds such a character; ``item`` is the
    nearest mapping with an ``id`` above it (the action or objective to name)."""
    if isinstance(value, str):
        if NOT_XML.search(value) is not None:
            yield path, value, owner
    elif isinstance(value, dict):
        here = value if "id" in value else owner
        for key, child in value.items():
            yield from found(child, (*path, key), here)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from found(child, (*path, i), owner)
