"""The typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="feuille : le plan stratégique (DPC, PST) d'une commune, d'un CPAS ou d'une société de logement, en fichiers YAML versionnés.",
)
