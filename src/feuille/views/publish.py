"""What ``render``, ``report`` and ``export`` say once their files are written: how many, and what was withheld."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feuille.core.i18n import msgn, translator
from feuille.views.notice import withheld_summary


def rendered(written: Any, published: Any, out: Path, lang: str, summary: str | None = None) -> list[str]:
    """« 12 fichiers écrits dans site, 3 inchangés depuis le dernier rendu... (ce qui n'est pas publié) » (``summary``:
    what was withheld, already said, when ``published`` is not at hand)."""
    _ = translator(lang)
    lines = [_("replaced (--force): {files}").format(files=", ".join(written.replaced))] if written.replaced else []
    parts = [msgn("{n} file written in {out}", "{n} files written in {out}", written.written, out=out)(lang)]
    if written.kept:
        parts.append(msgn("{n} unchanged since the last render", "{n} unchanged since the last render", written.kept)(lang))
    if written.removed:
        parts.append(msgn("{n} old one removed", "{n} old ones removed", len(written.removed))(lang))
    if written.carried:
        parts.append(msgn("{n} other kept", "{n} others kept", written.carried)(lang))
    return [*lines, ", ".join(parts) + f" ({summary if summary is not None else withheld_summary(published, lang)})."]


def written_line(path: Path, published: Any, lang: str) -> str:
    """« écrit : FICHIER (ce qui n'est pas publié) »."""
    _ = translator(lang)
    return _("written: {file} ({summary})").format(file=path, summary=withheld_summary(published, lang))
