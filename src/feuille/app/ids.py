"""The ids a new item may take: never one its plan has, nor one used on another branch of the repository (a
returned sheet's new rows, ``feuille new``): :func:`feuille.io.place.ids_on_branches`, reached through here."""

from __future__ import annotations

from feuille.io.place import ids_on_branches

__all__ = ["ids_on_branches"]
