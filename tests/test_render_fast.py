"""Render's fast paths (issue 27) write the very bytes of the slow ones they stand for.

- feuille's own templates run without the sandbox when the plan has no templates of its own: the
  same site as through the sandbox (an empty templates folder puts it back), page for page;
- amounts and numbers are written from a shape read once from Babel (views/format.py): the same
  text as Babel for random values of every kind, in the locales feuille knows, and Babel itself
  for a locale whose numbers have another shape;
- plain prose skips markdown-it (views/mdsafe.py): the same HTML and Markdown as markdown-it for
  random texts made of the characters the fast path accepts and of those it must refuse.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_currency, format_decimal
from jinja2.sandbox import SandboxedEnvironment

from _plans import EXAMPLES
from feuille.compute.audience import publish
from feuille.core.model import Audience
from feuille.pipeline import LoadOptions, load_path
from feuille.views import mdsafe
from feuille.views import site as site_module
from feuille.views.format import _MONEY, Formatter, _locale, _number_pattern
from feuille.views.site import RenderOptions, render_site

AS_OF = dt.date(2026, 11, 22)


def _pages(root: Path, audience: Audience, **kw) -> dict[str, str]:
    plan = load_path(root, dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan
    return dict(render_site(publish(plan, audience, AS_OF), RenderOptions(AS_OF, **kw)))


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_builtin_templates_without_the_sandbox_write_the_same_site(name, tmp_path, monkeypatch):
    plan = tmp_path / name
    shutil.copytree(EXAMPLES / name, plan)
    made = []
    real = site_module.make_env

    def spy(*args, **kw):
        env = real(*args, **kw)
        made.append(isinstance(env, SandboxedEnvironment))
        return env

    monkeypatch.setattr(site_module, "make_env", spy)
    for audience, kw in ((Audience.internal, {}), (Audience.public, {"fmt": "md"}), (Audience.council, {"lang": "en"})):
        plain = _pages(plan, audience, **kw)
        (plan / "templates").mkdir()  # a templates folder of the plan, empty: every template in the sandbox
        sandboxed = _pages(plan, audience, **kw)
        (plan / "templates").rmdir()
        assert made[-2:] == [False, True]
        assert plain.keys() == sandboxed.keys() and len(plain) >= 4
        assert [p for p in plain if plain[p] != sandboxed[p]] == []



def _strip_indicators(text: str) -> str:
    """The action file without its ``indicators:`` block (an action showing indicators is left to Jinja)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("indicators:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "-")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


_MORE = {  # what the bundled plan's action files lack, so that every piece of the fast action page is written
    "A1.1": ('title: "Cadastre <des> besoins & « sites » qu\'il faut \\"suivre\\""\n', "reschedules:\n"
             "  - {date: 2026-05-02, from: 2026-06-30, to: 2026-12-31, reason: Crédit <reporté> & revu}\n"
             "  - {date: 2026-09-01, from: 2026-12-31, to: 2027-03-31, reason: Marché relancé}\n"
             "aims: \"Réduire **de moitié** les dépôts ; voir [le règlement](https://example.org/r?a=1&b=2).\"\n"
             "means: Deux agents.\ngovernance: [Comité de pilotage, Collège]\nlead_structure: Ville & CPAS\npriority_level: high\n"
             "health_note: \"Retard <b>du</b> fournisseur\"\nnotes: \"Note *interne* : à revoir.\"\n"),
    "A1.2": ("", "participation: Comités de quartier consultés.\n"),
    "A1.3": ("", "budget:\n  - {amount: 1200.5, year: 2025, spent: 1000, note: Achat <urgent>}\n"
             "  - {amount: 800, year: 2026, source: subside, article: 875/1, visibility: council}\n"),
    "A1.5": ("", "political_owners: []\n"),
    "A1.4": ("", "description: \"Plusieurs paragraphes.\\n\\nAvec un `code` et une liste :\\n\\n- un\\n- deux\"\n"),
}


def test_action_pages_and_rows_written_in_python_are_jinjas_bytes(tmp_path, monkeypatch):
    """views/sitefast.py writes action.html's page and action_row_html's row: the very bytes Jinja writes (a plan's
    own templates folder, even empty, puts every page through Jinja), whatever the page shows."""
    from feuille.views import sitefast

    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLES / "la-louviere", plan)
    folder = plan / "objectives" / "01-cadre-de-vie"
    for path in sorted(folder.glob("A1.*.yaml")):
        text = _strip_indicators(path.read_text(encoding="utf-8"))
        title, more = _MORE.get(path.name.split("-")[0], ("", ""))
        if title:
            text = "".join(title if line.startswith("title:") else line for line in text.splitlines(keepends=True))
        if more.startswith("political_owners"):
            text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("political_owners"))
        if "budget:" in more:
            text = text.replace("budget:\n", "old_budget:\n").replace("old_budget:", "# old budget:")
            text = "".join(line if not line.startswith("  - {amount") else "# " + line for line in text.splitlines(keepends=True))
        path.write_text(text + more, encoding="utf-8")
    (folder / "A1.6-quartiers-propres.yaml").write_text(
        (folder / "A1.6-quartiers-propres.yaml").read_text(encoding="utf-8").replace("political_owners: [", "political_owners: [inconnu, "),
        encoding="utf-8")
    fast = []
    real = sitefast.FastHtml.action_page
    monkeypatch.setattr(sitefast.FastHtml, "action_page", lambda self, r, *a: fast.append(r.action.id) or real(self, r, *a))
    for audience, lang in ((Audience.internal, "fr"), (Audience.public, "fr"), (Audience.council, "en")):
        made = _pages(plan, audience, lang=lang, notice=("Un « avis » <important>", "Deuxième ligne"))
        (plan / "templates").mkdir()
        jinja = _pages(plan, audience, lang=lang, notice=("Un « avis » <important>", "Deuxième ligne"))
        (plan / "templates").rmdir()
        assert made.keys() == jinja.keys()
        assert [p for p in made if made[p] != jinja[p]] == []
        page = made["actions/A1.1.html"]
        assert "Cadastre &lt;des&gt; besoins &amp; « sites »" in page and "Marché relancé" in page
    assert {f"A1.{i}" for i in range(1, 7)} <= set(fast)  # these pages were written in Python


# --- numbers ---------------------------------------------------------------------------------------


def _values(rng: random.Random, n: int):
    for _ in range(n):
        kind = rng.randrange(7)
        if kind == 0:
            yield rng.randint(-10**13, 10**13)
        elif kind == 1:
            yield rng.uniform(-1e7, 1e7)
        elif kind == 2:
            yield Decimal(rng.randint(-10**9, 10**9)).scaleb(-rng.randint(0, 6))
        elif kind == 3:  # halves and near-halves: rounding
            yield Decimal(f"{rng.randint(-999, 999)}.{rng.choice(['5', '05', '005', '15', '25', '35', '125', '995', '4999', '5001'])}")
        elif kind == 4:
            yield round(rng.uniform(-1000, 1000), rng.randint(0, 4))
        elif kind == 5:  # exponents, trailing zeros, negative zero
            yield rng.choice([Decimal(rng.randint(-10**6, 10**6)).scaleb(rng.randint(-3, 3)), Decimal("-0.0001"), Decimal("-0"), -0.0, 0])
        else:
            yield rng.choice([Decimal("1E+30"), Decimal("NaN"), float("inf"), Decimal("123456789012345678901234567.5")])


def _outcome(fn, *args, **kw):
    """What ``fn`` gives: its text, or the kind of error it raises (Babel's own for a number it cannot write)."""
    try:
        return fn(*args, **kw)
    except ArithmeticError as exc:
        return type(exc)


@pytest.mark.parametrize("locale,lang", [("fr-BE", "fr"), ("fr-BE", "en"), ("fr-FR", "fr"), ("fr-CH", "fr"), ("en-US", "en")])
def test_amounts_and_numbers_are_written_as_babel_writes_them(locale, lang):
    fmt = Formatter.for_plan(locale, lang)
    loc = _locale(fmt.locale)
    rounded = _number_pattern(fmt._(_MONEY))
    patterns = {d: _number_pattern("#,##0" + ("." + "#" * d if d else "")) for d in (0, 1, 2)}

    def babel_money(value):
        return format_currency(Decimal(value).quantize(Decimal(1)), "EUR", format=rounded, locale=loc, currency_digits=False)

    wrong = []
    for value in _values(random.Random(f"{locale}{lang}"), 3000):
        pairs = [("money", _outcome(fmt.money, value), _outcome(babel_money, value)),
                 ("cents", _outcome(fmt.money, value, True), _outcome(format_currency, value, "EUR", locale=loc))]
        pairs += [(f"number {d}", _outcome(fmt.number, value, d), _outcome(format_decimal, value, format=p, locale=loc)) for d, p in patterns.items()]
        wrong += [(what, value, ours, babel) for what, ours, babel in pairs if ours != babel]
    assert wrong == []


def test_the_shapes_are_used_where_they_hold_and_babel_elsewhere():
    from feuille.views.format import _money_shape, _number_shape

    for locale in ("fr_BE", "en_GB", "fr_FR", "en_US"):
        assert _money_shape(locale, "#,##0\u00a0¤", "EUR", False) is not None and _money_shape(locale, "", "EUR", True) is not None
        assert all(_number_shape(locale, d) is not None for d in (0, 1, 2))
    # Swiss French groups amounts otherwise: no shape, Babel writes them (and the test above checks the result)
    assert _money_shape("fr_CH", "", "EUR", True) is None and _number_shape("fr_CH", 2) is None
    assert Formatter.for_plan("fr-BE", "fr").money(Decimal("1234567.4")) == "1\u202f234\u202f567\u00a0€"
    assert Formatter.for_plan("fr-BE", "en").money(Decimal("-1234567.5"), True) == "-€1,234,567.50"


# --- Markdown ----------------------------------------------------------------------------------------

PIECES = list("abc éàÉ'\"\n\n\n  1234567890.)(:;?!,-+#=>{}$%@^/") + [
    "\u00a0", "\u202f", "\u2028", "\x85", "\u3000", " ", "  ", "«", "»", "1.", "2)", "--", "==", "***", "http://x.be", "www.x.be",
    "&", "&amp;", "*", "_", "\t", "\r", "\\", "|", "[", "]", "(x)", "<", ">", "~", "`", "\x0c", "\x00", "!", "    ", "\n    ",
]


def _slow_markdown(md, text: str) -> str:
    parts = []
    for tok in md.parse(text, {"depth": 0}):
        if tok.type == "inline":
            parts.append(mdsafe._serialise(mdsafe.clean_inline(tok.children or [], 0)))
        elif tok.type in ("fence", "code_block"):
            parts.append(mdsafe._code(tok.content))
        elif tok.type == "html_block":
            parts.append(mdsafe._escape(" ".join(tok.content.split())))
    return " ".join(p for p in parts if p)


def test_plain_prose_is_written_as_markdown_it_writes_it():
    md = mdsafe._parser()
    html, markdown = mdsafe.html_renderer(), mdsafe.markdown_renderer()
    rng = random.Random(27)
    accepted = 0
    wrong = []
    for _ in range(60_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        if mdsafe.plain_paragraphs(text) is None:
            continue
        accepted += 1
        if str(html(text)) != md.render(text, {"depth": 0}):
            wrong.append(("html", text, str(html(text)), md.render(text, {"depth": 0})))
        if markdown(text) != _slow_markdown(md, text):
            wrong.append(("md", text, markdown(text), _slow_markdown(md, text)))
    assert wrong == []
    assert accepted > 3000


def test_what_the_fast_path_accepts_and_refuses():
    prose = "Mettre en place un nettoyage de proximité « avec les riverains » : 12 km ; 30 %.\nSuite du paragraphe.\n\nUn autre, « cité » !\n"
    assert mdsafe.plain_paragraphs(prose) == [["Mettre en place un nettoyage de proximité « avec les riverains » : 12 km ; 30 %.", "Suite du paragraphe."],
                                              ["Un autre, « cité » !"]]
    assert str(mdsafe.html_renderer()('Un "mot"\nsuite')) == "<p>Un &quot;mot&quot;\nsuite</p>\n"
    for text in ("un *mot*", "a_b", "[lien](http://x)", "<b>", "a &amp; b", "- liste", "1. liste", "2) liste", "# titre", "> cité",
                 "titre\n===", "titre\n---", "    code", "ligne  \nsuite", "a\tb", "a\r\nb", " a", "a\u00a0", "`code`", "~~barré~~", "a | b",
                 "a\\b", "a\x00b"):
        assert mdsafe.plain_paragraphs(text) is None, text


def test_macros_imported_with_context_are_made_once_per_folder_and_see_no_page_of_their_own():
    from jinja2 import DictLoader, StrictUndefined, UndefinedError

    from feuille.views.templating import IMPORT_SCOPE, ImportScope, trusted_class

    env = trusted_class()(loader=DictLoader({
        "m.html": "{% macro link(x) %}<a href=\"{{ root }}{{ x }}\">{{ x }}</a>{% endmacro %}"
                  "{% macro own() %}{{ page.title }}{% endmacro %}",
        "p.html": "{% from \"m.html\" import link with context %}{{ page.title }}: {{ link(page.x) }}",
        "q.html": "{% from \"m.html\" import own with context %}{{ own() }}",
    }), undefined=StrictUndefined, autoescape=True)
    scope = ImportScope({"root": "../", "page": {"root": "../"}})
    made = []
    real = scope.module
    scope.module = lambda template: made.append(template.name) or real(template)
    pages = [env.get_template("p.html").render({"root": "../", "page": {"title": t, "x": x}, IMPORT_SCOPE: scope})
             for t, x in (("A", "a.html"), ("B", "b.html"))]
    assert pages == ['A: <a href="../a.html">a.html</a>', 'B: <a href="../b.html">b.html</a>']
    assert made == ["m.html", "m.html"] and len(scope._modules) == 1  # asked twice, made once
    # without a scope (a report, a plan's own templates): made from the page's context, as Jinja does
    assert env.get_template("q.html").render({"page": {"title": "C"}}) == "C"
    # with one: a macro that reads the page's own values fails, it never shows another page's
    with pytest.raises(UndefinedError):
        env.get_template("q.html").render({"page": {"title": "C", "root": ""}, IMPORT_SCOPE: ImportScope({"page": {"root": ""}})})


def test_plain_prose_never_imports_markdown_it():
    import subprocess
    import sys

    code = ("import sys\nfrom feuille.views.mdsafe import html_renderer, markdown_renderer\n"
            "h, m = html_renderer(), markdown_renderer()\n"
            "assert h('Une phrase.\\n\\nUne autre.') == '<p>Une phrase.</p>\\n<p>Une autre.</p>\\n' and m('Une phrase.') == 'Une phrase.'\n"
            "print('markdown_it' in sys.modules)\n"
            "assert h('**gras**') == '<p><strong>gras</strong></p>\\n'\n"
            "print('markdown_it' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True"]  # imported at the first text that needs it
