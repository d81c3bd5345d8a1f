"""What the render tests share: a site's files, a render of the example's kind, and the check that a site made
by reusing earlier work (kept pages, kept rows, a render with nothing changed) is the one a full render makes."""

from __future__ import annotations

from pathlib import Path

from _cli import feuille

AS_OF = "2026-11-22"


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by its path relative to it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def render(plan: Path, out: Path, *extra: str):
    run = feuille("render", str(plan), "--out", str(out), "--as-of", AS_OF, "--no-trend", *extra)
    assert run.returncode == 0, run.stderr
    return run


def same_as_full(plan: Path, out: Path, tmp_path: Path, *extra: str, cache: bool = False) -> None:
    """The folder ``out`` is, byte for byte, what a full render into a new folder writes (``cache``: that render may
    use the cache folder, else ``--no-cache``: no kept row or compiled template at all)."""
    full = tmp_path / f"full-{len(list(tmp_path.iterdir()))}"
    render(plan, full, *extra, *(() if cache else ("--no-cache",)))
    a, b = files(out), files(full)
    assert sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []
