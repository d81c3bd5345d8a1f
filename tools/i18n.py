"""The translation catalogue's chores, with Babel (``make i18n``): extract, update, fill English, compile-check.

    python tools/i18n.py            extract the strings, update fr and en, fill the English, compile the .mo feuille reads
    python tools/i18n.py --check    only say whether the catalogues are complete and up to date (exit 1 if not)

Message ids are English: the English catalogue copies each msgid to its msgstr (so both
catalogues are complete), the French one is translated by hand in
``src/feuille/locale/fr/LC_MESSAGES/feuille.po``.  ``tests/test_i18n.py`` runs the check.
"""

from __future__ import annotations

import copy
import io
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SOURCE = ROOT / "src" / "feuille"
LOCALE = SOURCE / "locale"
DOMAIN = "feuille"
LANGS = ("fr", "en")
HELP = "help"  # msgctxt of the command line's help texts (msgid: the French of the code)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def compiled(lang: str) -> bytes:
    """The ``.mo`` of ``lang``'s ``.po``, as ``make i18n`` writes it (translated, non-fuzzy entries)."""
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


EXTRACT = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-default-keywords", "-k", "_", "-k", "N_", "-k", "msg", "-k", "say", "-k", "NC_:1c,2", "-k", "p_:1c,2", "-k", "n_:1,2", "-k", "msgn:1,2", "-k", "say_n:1,2", "-k", "plural_forms:1,2", "-k", "NPC_:1c,2,3",
           "--add-comments", "TRANSLATORS:", "--no-location", "--sort-output", "--project", "feuille"]  # _(): translator(lang), n_(): plural_translator(lang), msgn()/say_n(): plural messages, N_: the marker, msg(): a message translated later, say(): cli/_write.py


def extract(out_dir: Path | None = None) -> Catalog:
    """Every message of feuille's code, as ``pybabel extract -F babel.cfg`` finds them (written to ``out_dir``)."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(out_dir or tmp) / f"{DOMAIN}.pot"
        CommandLineInterface().run([*EXTRACT, "-o", str(pot), str(ROOT)])
        with pot.open("rb") as f:
            template = read_po(f, domain=DOMAIN)
    from feuille.cli import app as every_command  # (a run registers only its own command; this registers them all)

    for text in help_texts(every_command):
        template.add(text, None, context=HELP)
    return template


def help_texts(every) -> list[str]:
    """Every help text and metavar of the command line (French, as written in the code): the catalogue's msgctxt ``help``.
    ``every``: the app with every command registered (``feuille.cli.app``; a run registers only its own)."""
    import inspect

    from typer.main import get_command

    from feuille.views.usage import own_metavar

    group = get_command(every)
    found = []
    for cmd in [group, *group.commands.values()]:
        if cmd.help:
            found.append(inspect.cleandoc(cmd.help))
        found += [inspect.cleandoc(p.help) for p in cmd.params if getattr(p, "help", None)]
        found += [own for p in cmd.params if (own := own_metavar(p)) is not None]
    return sorted(set(found))


HEADER = "# {name} messages of feuille: made by `make i18n` (tools/i18n.py) from the code; msgstr edited by hand."
NAMES = {"fr": "French", "en": "English"}
PLURALS = {"fr": (2, "(n > 1)"), "en": (2, "(n != 1)")}  # as feuille.core.i18n applies them


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, project="feuille", domain=DOMAIN, charset="utf-8")
    catalog._num_plurals, catalog._plural_expr = PLURALS[lang]
    catalog.header_comment = HEADER.format(name=NAMES[lang])
    catalog.fuzzy = False
    return catalog


def _key(message) -> tuple | str:
    key = message.id if isinstance(message.id, str) else tuple(message.id)
    return (message.context, key) if message.context else key


def problems(template: Catalog | None = None) -> list[str]:
    """What is wrong with the catalogues: stale (a msgid missing or left over) or untranslated."""
    template = template or extract()
    wanted = {_key(m) for m in template if m.id}
    out = []
    for lang in LANGS:
        catalog = read(lang)
        have = {_key(m) for m in catalog if m.id}
        out += [f"{lang}: missing from the catalogue (run make i18n): {k!r}" for k in sorted(wanted - have, key=str)]
        out += [f"{lang}: no longer in the code (run make i18n): {k!r}" for k in sorted(have - wanted, key=str)]
        for m in catalog:
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
            if not all(strings) or m.fuzzy:
                out.append(f"{lang}: untranslated{' (fuzzy)' if m.fuzzy else ''}: {_key(m)!r}")
        if not mo_path(lang).exists() or mo_path(lang).read_bytes() != compiled(lang):
            out.append(f"{lang}: {mo_path(lang).name} is not the compiled {po_path(lang).name} (run make i18n)")
    return out


def update() -> None:
    extracted = extract()
    for lang in LANGS:
        template = copy.deepcopy(extracted)  # Catalog.update adds the template's own Message objects: one copy per language
        catalog = read(lang)
        template.creation_date = catalog.creation_date  # no date churn in the diff
        catalog.update(template, no_fuzzy_matching=True)
        catalog.revision_date = catalog.creation_date
        catalog.last_translator = catalog.language_team = "feuille"
        catalog.version = "1"
        catalog.obsolete.clear()
        for m in catalog:  # English msgids copied in English, French help texts in French
            if m.id and (lang == "fr") == (m.context == HELP) and not (all(m.string) if isinstance(m.string, tuple | list) else m.string):
                m.string = tuple(m.id) if isinstance(m.id, tuple | list) else m.id
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        write_po(buf, catalog, width=100, no_location=True, sort_output=True, include_previous=False)
        po_path(lang).write_bytes(buf.getvalue())
        mo_path(lang).write_bytes(compiled(lang))  # what feuille reads at run time (core/i18n.py)


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        update()
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    counts = {lang: sum(1 for m in read(lang) if m.id) for lang in LANGS}
    print(f"{DOMAIN}: " + ", ".join(f"{lang} {n} messages" for lang, n in counts.items()) + (f", {len(found)} problem(s)" if found else ", complete"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
