"""The console of a run: standard streams that never crash on a character the console's encoding cannot show
(« ? » instead), and lines made safe for a terminal (no control character from a plan reaches the screen).

On the start-up path of every command: it loads :mod:`feuille.io.console` and nothing else."""

from __future__ import annotations

from feuille.io.console import safe_streams, terminal_safe

__all__ = ["safe_streams", "terminal_safe"]
