"""Page file names: one function decides them, so two items never share a page.

An id that is already a safe file name (``O1``, ``A1.4``, ``asabbatini``) keeps it, so links
stay the same from one render to the next.  Anything else is turned into a slug.  A name is
given a short stable hash suffix (the first 8 hex digits of the SHA-256 of the item's kind
and raw id) when:

- it is reserved: ``index`` and ``style`` (the site's own pages), a name starting with ``.``,
  a Windows device name (``con``, ``prn``, ``aux``, ``nul``, ``com1``..``com9``,
  ``lpt1``..``lpt9``, also followed by an extension: ``con.x``);
- it is longer than :data:`MAX_STEM` characters (cut, then suffixed);
- another item of the same folder already has the same name, ignoring case (``Propreté`` and
  ``proprete``; ``A1.4`` and ``a1.4``, which a Windows or macOS disk cannot tell apart).

Items are named in a stated order (the caller's, which is the plan's order), so the first
keeps its plain name and the result is the same on every render of the same plan.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_STEM = 80
_HASH = 8
SAFE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
RESERVED = frozenset({"index", "style"})
DEVICES = frozenset({"con", "prn", "aux", "nul", "clock$", "conin$", "conout$",
                     *(f"com{i}" for i in "123456789¹²³"), *(f"lpt{i}" for i in "123456789¹²³")})


def slugify(text: str) -> str:
    """``Propreté publique`` -> ``proprete-publique`` (lower-case ASCII letters, digits, dashes; never empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def short_hash(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}\x00{key}".encode("utf-8", "surrogatepass")).hexdigest()[:_HASH]


def is_reserved(stem: str) -> bool:
    low = stem.casefold()
    return low in RESERVED or low.startswith(".") or low.split(".", 1)[0] in DEVICES


def page_stem(kind: str, key: str, *, slug: bool = False) -> str:
    """The preferred file name (without extension) of an item, before collisions are settled.

    ``key`` is kept when it is a safe name (and ``slug`` is off), else slugified; a reserved
    or too long name gets the item's hash suffix.
    """
    base = key if not slug and SAFE_NAME.fullmatch(key) else slugify(key)
    if is_reserved(base):
        base = slugify(base)  # no dot left: Windows reserves "nul.x" as it does "nul"
    if len(base) > MAX_STEM or is_reserved(base):
        base = base[: MAX_STEM - _HASH - 1].rstrip("-.") + "-" + short_hash(kind, key)
    return base


class PageNames:
    """The names given so far in each folder; :meth:`name` gives the next one."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._taken: dict[str, set[str]] = {}

    def name(self, folder: str, key: str, *, slug: bool = False) -> str:
        """The file name (without extension) of the item ``key`` in ``folder``: the same key, the same name."""
        found = self._by_key.get((folder, key))
        if found is not None:
            return found
        taken = self._taken.setdefault(folder, set())
        stem = page_stem(folder, key, slug=slug)
        if stem.casefold() in taken:
            stem = stem[: MAX_STEM - _HASH - 1].rstrip("-.") + "-" + short_hash(folder, key)
            n = 2
            while stem.casefold() in taken:  # two keys with the same 8 hex digits: astronomically rare, still settled
                stem = f"{stem}-{n}"
                n += 1
        taken.add(stem.casefold())
        self._by_key[(folder, key)] = stem
        return stem

    name.alters_data = True  # type: ignore[attr-defined]  # not callable from a template (views/templating.py)

    def get(self, folder: str, key: str) -> str | None:
        return self._by_key.get((folder, key))
