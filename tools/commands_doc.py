"""The command reference, generated from the command line's own help (``make docs``).

    python tools/commands_doc.py            write docs/commandes.md (French) and docs/commands.md (English)
    python tools/commands_doc.py --check    only say whether both are up to date (exit 1 if not)

Each page is ``feuille --help`` then ``feuille COMMAND --help`` for every command, in the order
of ``feuille --help``, exactly as a terminal 100 columns wide shows them; ``tests/test_docs.py``
fails when a help text changed and the pages were not generated again, so they never drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PAGES = {"fr": ROOT / "docs" / "commandes.md", "en": ROOT / "docs" / "commands.md"}
WIDTH = "100"
HEAD = {
    "fr": ("# Référence des commandes\n\n"
           "Page générée depuis l'aide de feuille (`feuille --help`, `feuille COMMANDE --help`) par "
           "`make docs` ; ne pas la modifier à la main. En anglais : [commands.md](commands.md). "
           "Exemples et explications : le [README](../README.md).\n"),
    "en": ("# Command reference\n\n"
           "Generated from feuille's own help (`feuille --lang en --help`, `feuille --lang en COMMAND --help`) by "
           "`make docs`; do not edit by hand. In French: [commandes.md](commandes.md). "
           "Examples and explanations: the [README](../README.md) (in French).\n"),
}


def _help(args: list[str], lang: str) -> str:
    from typer.testing import CliRunner

    from feuille.cli import app

    result = CliRunner().invoke(app, ["--lang", lang, *args, "--help"], env={"COLUMNS": WIDTH, "NO_COLOR": "1", "FEUILLE_LANG": None},
                                prog_name="feuille", catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"feuille {' '.join(args)} --help exited {result.exit_code}: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip("\n")


def commands() -> list[str]:
    import typer.main

    from feuille.cli import app

    return list(typer.main.get_command(app).commands)


def render(lang: str) -> str:
    parts = [HEAD[lang], "```text\n" + _help([], lang) + "\n```\n"]
    for name in commands():
        parts.append(f"## `feuille {name}`\n\n```text\n{_help([name], lang)}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for lang, path in PAGES.items():
        text = render(lang)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            stale.append(path.relative_to(ROOT))
            if not check:
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print(f"stale: {', '.join(map(str, stale))}: run `make docs` (python tools/commands_doc.py)")
        return 1
    print("written: " + ", ".join(map(str, stale)) if stale else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
