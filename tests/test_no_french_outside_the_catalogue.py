"""No sentence for the user is written in French in the code: it goes through the catalogue (issue 11).

The English msgid is in the code and its French in ``locale/fr/LC_MESSAGES/feuille.po``; a French
sentence left in a string literal would reach an English reader untranslated.  This test reads every
module's syntax tree and fails on a string literal that looks like a French sentence (accents or
French words, and a space) unless it is one of the kinds of French that belongs in the code:

* docstrings and comments (for the next engineer, not for the user);
* option help texts (``help=``), written in French and translated through the catalogue's ``help``
  context (tools/i18n.py), and ``metavar=``;
* bilingual field descriptions of the model (``_d("français", "English")``, for the JSON schema);
* tables (dict, set, list, tuple): the French words feuille recognises in the user's input;
* what else feuille *reads* rather than writes (``ALLOWED`` below, each with why).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "feuille"

_FRENCH = re.compile(r"[éèêàâùûçôîœÉÈÀÇ«»]|\b(?:rien|n'a|n'est|fichier|dossier|écrit|ajoutez|vérifiez|le plan|du plan|des|une|sont|avec|pour|dans)\b")
_MARKERS = {"_", "N_", "NC_", "NPC_", "plural_forms", "msg", "say", "p_", "n_", "msgn", "say_n", "_d", "Msg"}  # the catalogue's markers, and the model's bilingual descriptions
_KEYWORDS = {"help", "metavar", "description"}

# (module, the start of the literal): French that feuille reads in the user's input, not French it writes.
ALLOWED = {
    ("core/privacy.py", r"\b(?:domicilié"): "the words that flag personal data in a plan's texts",
    ("io/history.py", "validé par"): "the validation tag's field, read back in either language",
    ("core/fields.py", "œ"): "text folded for matching what people write (« œ » read as « oe »)",
    ("formats/spreadsheet/values.py", r"(?:(\d{1,2})(?:er|st"): "a date written in words in a spreadsheet cell (« 1er janvier 2025 »)",
}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """String constants inside a catalogue marker's call or a help/metavar/description keyword."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
            roots: list[ast.AST] = list(node.args) + [k.value for k in node.keywords] if name in _MARKERS else \
                [k.value for k in node.keywords if k.arg in _KEYWORDS]
            for root in roots:
                found.update(id(n) for n in ast.walk(root) if isinstance(n, ast.Constant))
    return found


def _said(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Whether a literal is on its way to the user: inside an f-string, assigned to a name, or an argument of a call or a raise,
    and not an element of a table (dict, set, list, tuple: words feuille recognises in its input)."""
    child, parent = node, parents.get(id(node))
    while parent is not None:
        if isinstance(parent, (ast.Dict, ast.Set, ast.List, ast.Tuple, ast.Compare, ast.Subscript)):
            return False
        if isinstance(parent, (ast.JoinedStr, ast.Raise, ast.Return, ast.Assign, ast.AnnAssign)):
            return True  # (an assigned string: a message kept in a name, ``HINT = "..."``, said later)
        if isinstance(parent, ast.Call):
            return child is not parent.func
        if isinstance(parent, (ast.stmt,)):
            return False
        child, parent = parent, parents.get(id(parent))
    return False


def french_literals() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstring_nodes(tree) | _exempt_nodes(tree)
        parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip and _FRENCH.search(node.value):
                if _said(node, parents) and not any(rel == f and node.value.startswith(start) for f, start in ALLOWED):
                    out.append((rel, node.lineno, node.value[:90]))
    return out


def test_no_french_sentence_is_left_in_the_code():
    found = french_literals()
    assert found == [], "French text outside the catalogue (write an English msgid with msg()/_() and its French in fr/feuille.po):\n" + \
        "\n".join(f"  src/feuille/{f}:{line}: {text!r}" for f, line, text in found)


def test_the_check_sees_a_french_sentence(tmp_path, monkeypatch):
    module = tmp_path / "feuille"
    module.mkdir()
    (module / "bad.py").write_text('"""Docstring en français : permis."""\n'
                                   'import sys\n'
                                   'sys.stderr.write("rien n\'a été écrit")\n'
                                   'ok = _("nothing was written")\n'
                                   'OPTION = typer.Option("--x", help="Écrire ailleurs.")\n'
                                   'HINT = "Vérifiez le fichier."\n'
                                   'WORDS = {"échéance": "planned_end"}\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "SRC", module)
    assert sorted(french_literals()) == [("bad.py", 3, "rien n'a été écrit"), ("bad.py", 6, "Vérifiez le fichier.")]


def test_every_allowed_literal_is_still_needed(monkeypatch):
    """An entry of ALLOWED that the check would not flag any more is removed: the list stays what the code reads."""
    needed = dict(ALLOWED)
    monkeypatch.setitem(globals(), "ALLOWED", {})
    found = french_literals()
    assert [key for key in needed if not any(f == key[0] and text.startswith(key[1][:40]) for f, _line, text in found)] == []
