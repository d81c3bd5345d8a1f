"""The translation catalogue: complete in French and English, and not stale (the code's strings, no more, no less)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from feuille.core import i18n

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as chores  # noqa: E402  (tools/i18n.py, what `make i18n` runs)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The code's messages, extracted again in a temporary folder with babel.cfg."""
    out = tmp_path_factory.mktemp("pot")
    template = chores.extract(out)
    assert (out / "feuille.pot").exists()
    return template


def _ids(catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_catalogue_is_not_stale(extracted, lang):
    code, catalogue = _ids(extracted), _ids(chores.read(lang))
    assert not code - catalogue, f"strings of the code missing from {lang}/feuille.po: run `make i18n`: {sorted(code - catalogue, key=str)}"
    assert not catalogue - code, f"strings of {lang}/feuille.po no longer in the code: run `make i18n`: {sorted(catalogue - code, key=str)}"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_catalogue_is_complete(lang):
    missing = [m.id for m in chores.read(lang) if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple | list) else m.string))]
    assert not missing, f"untranslated in {lang}/feuille.po: {missing}"


def test_the_runtime_loader_reads_what_babel_reads():
    for lang in i18n.LANGS:
        babel_view = {}
        for m in chores.read(lang):
            if m.id:
                key = m.id if isinstance(m.id, str) else tuple(m.id)
                if m.context:  # gettext's key: the context before the msgid (a plural's singular)
                    key = (f"{m.context}\x04{key[0]}", key[1]) if isinstance(key, tuple) else f"{m.context}\x04{key}"
                babel_view[key] = m.string if isinstance(m.string, str) else tuple(m.string)
        assert i18n.parse_po(chores.po_path(lang).read_text(encoding="utf-8")) == babel_view


def test_placeholders_survive_translation():
    import re

    for m in chores.read("fr"):
        if m.id:
            ids = [m.id] if isinstance(m.id, str) else list(m.id)
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            want = set(re.findall(r"\{\w+\}", " ".join(ids)))
            for s in strings:
                assert set(re.findall(r"\{\w+\}", s)) == want, f"placeholders differ in {m.id!r} -> {s!r}"


def test_help_texts_are_translated_from_the_french_of_the_code():
    en, fr = i18n.help_translator("en"), i18n.help_translator("fr")
    text = "Seulement les actions en retard."
    assert en(text) == "Only the late actions." and fr(text) == text
    same = {"DATE", "FORMAT", "ID", "N", "PLAN", "REV_A", "REV_B", "SERVICE", "TAG", "TOTAL", "TYPE"}  # metavars that are English words too
    for m in chores.read("en"):
        if m.context == i18n.HELP and m.id not in same:
            assert m.string != m.id, f"help text left in French in en/feuille.po: {m.id!r}"


def test_translators_are_per_language_without_global_state():
    fr, en = i18n.translator("fr"), i18n.translator("en")
    assert fr("progress bar") == "barre d'avancement" and en("progress bar") == "progress bar"
    assert i18n.translator("de")("progress bar") == "barre d'avancement"  # unknown: French, the tool's default
    assert fr("a string that is not in the catalogue") == "a string that is not in the catalogue"


def test_parse_po_handles_plurals_escapes_fuzzy_and_obsolete():
    text = '''msgid ""
msgstr "Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "one"
msgid_plural "many"
msgstr[0] "un"
msgstr[1] "plusieurs"

#, fuzzy
msgid "guess"
msgstr "devine"

msgid "say \\"hi\\"\\n"
"again"
msgstr "dis \\"salut\\"\\n"
"encore"
msgid "empty"
msgstr ""

#~ msgid "old"
#~ msgstr "vieux"
'''
    assert i18n.parse_po(text) == {("one", "many"): ("un", "plusieurs"), 'say "hi"\nagain': 'dis "salut"\nencore'}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_compiled_catalogue_is_the_po_compiled(lang):
    """feuille reads feuille.mo at run time: it must be exactly what ``make i18n`` compiles from the .po."""
    assert chores.mo_path(lang).read_bytes() == chores.compiled(lang), f"{lang}/feuille.mo is stale: run `make i18n`"
    text = chores.po_path(lang).read_text(encoding="utf-8")
    assert i18n.parse_mo(chores.mo_path(lang).read_bytes()) == i18n.parse_po(text)


def test_an_edited_po_is_read_until_make_i18n_compiles_it(tmp_path, monkeypatch):
    import os
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "fr" / "LC_MESSAGES" / "feuille.po"
    mo = po.with_suffix(".mo")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n._catalogue.cache_clear()
    try:
        assert i18n.translator("fr")("Usage: ") == "Utilisation : "  # from the .mo
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Utilisation : "', 'msgstr "Mode d\'emploi : "', 1), encoding="utf-8")
        newer = mo.stat().st_mtime_ns + 10_000_000_000
        os.utime(po, ns=(newer, newer))
        i18n._catalogue.cache_clear()
        assert i18n.translator("fr")("Usage: ") == "Mode d'emploi : "  # the .po, newer than its .mo
        mo.write_bytes(b"garbage")
        os.utime(po, ns=(mo.stat().st_mtime_ns, mo.stat().st_mtime_ns))
        i18n._catalogue.cache_clear()
        assert i18n.translator("fr")("Usage: ") == "Mode d'emploi : "  # an unreadable .mo: the .po
    finally:
        i18n._catalogue.cache_clear()


def test_every_message_is_called_so_that_babel_finds_it():
    """``translator(lang)("text")`` would never be extracted: the catalogue only knows ``_("text")``, ``n_(...)``, ``N_(...)``."""
    import re

    hidden = []
    for path in sorted((ROOT / "src" / "feuille").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(?<!help_)(?<!plural_)translator\([^)]*\)\(", line):
                hidden.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not hidden, "call the translator through a name Babel knows (_ = translator(lang); _(...)):\n" + "\n".join(hidden)
