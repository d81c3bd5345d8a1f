"""Markdown from the plan's YAML files, made safe for the published site (HTML or Markdown).

The same rules in both outputs, decided on markdown-it's own parse (so entities, escapes and
odd spacing are seen the way a Markdown renderer sees them):

- raw HTML is never rendered (it stays as text);
- a link is kept only when its scheme is ``http``, ``https`` or ``mailto``; any other
  (``javascript:`` however written, ``data:``, ``vbscript:``, ``file:``..., and relative
  links) loses its link and keeps its text;
- an image is kept only when it points inside the site: a relative URL with no scheme, no
  ``//`` host, no leading ``/`` and no ``..`` climbing above the site root from the page it is
  on; any other image is replaced by its alt text.

:func:`html_renderer` renders to HTML; :func:`to_markdown` writes the text back as Markdown
on one line (for a Markdown page or table cell) with only the links and images kept above;
:func:`md_text` is for plain text (titles, names): nothing in it becomes Markdown syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup

LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def _plain(url: str) -> str:
    """The URL as a browser reads it: spaces, tabs, newlines and control characters removed."""
    return _INVISIBLE.sub("", url or "")


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` in lower case (``JaVaScRiPt:`` -> ``javascript``), or None for a relative URL."""
    m = _SCHEME.match(_plain(url))
    return m.group(1).lower() if m else None


def link_allowed(url: str) -> bool:
    return url_scheme(url) in LINK_SCHEMES


def image_allowed(url: str, depth: int = 0) -> bool:
    """A relative URL that stays inside the site from a page ``depth`` folders below its root."""
    raw = url or ""
    if _INVISIBLE.search(raw.strip()) or url_scheme(raw) is not None:
        return False
    path = unquote(raw.strip()).replace("\\", "/")
    path = re.split(r"[?#]", path, maxsplit=1)[0]
    if not path or path.startswith("/") or ":" in path.split("/", 1)[0]:
        return False
    level = depth
    for part in path.split("/"):
        if part == "..":
            level -= 1
            if level < 0:
                return False
        elif part not in ("", "."):
            level += 1
    return True


def _alt_text(children: list[Any] | None) -> str:
    out = []
    for tok in children or []:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type == "image":
            out.append(_alt_text(tok.children))
        elif tok.children:
            out.append(_alt_text(tok.children))
    return "".join(out)


def clean_inline(children: list[Any], depth: int) -> list[Any]:
    """Inline tokens without the links and images the rules above refuse (their text kept)."""
    from markdown_it.token import Token  # noqa: PLC0415 (heavy, loaded when first needed)

    out: list[Any] = []
    kept: list[bool] = []
    for tok in children:
        if tok.type == "link_open":
            ok = link_allowed(str(tok.attrGet("href") or ""))
            kept.append(ok)
            if ok:
                out.append(tok)
        elif tok.type == "link_close":
            if kept.pop() if kept else False:
                out.append(tok)
        elif tok.type == "image":
            if image_allowed(str(tok.attrGet("src") or ""), depth):
                out.append(tok)
            else:
                out.append(Token("text", "", 0, content=_alt_text(tok.children)))
        elif tok.type in ("html_inline", "html_block"):
            out.append(Token("text", "", 0, content=tok.content))
        else:
            if tok.children:
                tok.children = clean_inline(tok.children, depth)
            out.append(tok)
    return out


def _parser() -> Any:
    """markdown-it set up for the plan's texts (made, and markdown-it imported, at the first text that is not plain prose)."""
    from markdown_it import MarkdownIt  # noqa: PLC0415 (heavy, loaded when first needed)

    md = MarkdownIt("js-default")  # CommonMark, raw HTML off, no linkify
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # every link is parsed; clean_inline decides

    def sanitise(state: Any) -> None:
        depth = int((state.env or {}).get("depth", 0))
        for tok in state.tokens:
            if tok.type == "inline" and tok.children:
                tok.children = clean_inline(tok.children, depth)

    md.core.ruler.push("feuille_sanitise", sanitise)
    return md


# --- plain prose: the common case, without markdown-it ------------------------------------------
# Most texts of a plan are prose: paragraphs of words, with no character that Markdown reads as
# syntax.  For them, markdown-it's output is known without parsing (a paragraph per block of lines,
# lines joined by a newline, « " » written ``&quot;``), and writing it directly costs ~2 µs instead of
# ~80 µs (three texts on each action's page).  :func:`plain_paragraphs` accepts a text only when every
# rule of CommonMark that could apply is excluded: no character that starts inline syntax, an entity
# or HTML (\ ` * _ [ ] < > & ~ |), no tab, carriage return or other control character, no line that
# could open a block (a heading, list, quote, fence, table, thematic break or setext underline: a
# first character among # - + * = > ` ~ _ | <, or a number followed by « . » or « ) »), no line with
# spaces around it (indented code, hard breaks, trimming), no whitespace but the space at either end
# of a line.  Anything else goes through markdown-it; tests/test_render_fast.py compares the two on
# random texts made of exactly these characters.
_SYNTAX = re.compile(r"[\\`*_\[\]<>&~|\x00-\x09\x0b-\x1f\x7f]")
_BLOCK_START = re.compile(r"[#\-+*=>`~_|<]|\d{1,9}[.)]")


def plain_paragraphs(text: str) -> list[list[str]] | None:
    """The paragraphs (each a list of lines) of a text markdown-it reads as plain prose, or None (see above)."""
    if _SYNTAX.search(text):
        return None
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if line[0].isspace() or line[-1].isspace() or _BLOCK_START.match(line):
            return None
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def html_renderer() -> Callable[..., Any]:
    """``render(text, depth=0)``: Markdown to HTML (a ``Markup``) under the rules above."""

    md: list[Any] = []  # the parser, once a text needs it (a site of plain prose never imports markdown-it)

    def render(text: str | None, depth: int = 0) -> Markup:
        source = str(text or "")
        plain = plain_paragraphs(source)
        if plain is not None:
            return Markup("".join(f"<p>{chr(10).join(lines)}</p>\n" for lines in plain).replace('"', "&quot;"))
        if not md:
            md.append(_parser())
        return Markup(md[0].render(source, {"depth": depth}))

    return render


# --- Markdown output --------------------------------------------------------------------------

_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_SPECIAL = re.compile(r"([\\`*_\[\]~|!])")


def _escape(s: str) -> str:
    s = _SPECIAL.sub(r"\\\1", s)
    s = _ENTITY.sub("&amp;", s)
    return s.replace("<", "&lt;").replace(">", "&gt;")


def md_text(text: Any) -> str:
    """Plain text for a Markdown line or table cell: one line, no Markdown, no HTML, no entity."""
    return _escape(" ".join(str(text if text is not None else "").split()))


def _md_url(url: str) -> str:
    return re.sub(r"[\x00-\x20()<>\\\x7f]", lambda m: f"%{ord(m.group()):02X}", url)


def _code(content: str) -> str:
    content = " ".join(content.split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _serialise(children: list[Any]) -> str:
    out: list[str] = []
    hrefs: list[str] = []
    for tok in children:
        kind = tok.type
        if kind == "text":
            out.append(_escape(tok.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "code_inline":
            out.append(_code(tok.content))
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind in ("em_open", "em_close"):
            out.append("*")
        elif kind in ("s_open", "s_close"):
            out.append("~~")
        elif kind == "link_open":
            hrefs.append(str(tok.attrGet("href") or ""))
            out.append("[")
        elif kind == "link_close":
            out.append(f"]({_md_url(hrefs.pop() if hrefs else '')})")
        elif kind == "image":
            out.append(f"![{md_text(_alt_text(tok.children))}]({_md_url(str(tok.attrGet('src') or ''))})")
        elif tok.children:
            out.append(_serialise(tok.children))
        elif tok.content:
            out.append(_escape(tok.content))
    return " ".join("".join(out).split())


def markdown_renderer() -> Callable[..., str]:
    """``render(text, depth=0)``: the plan's Markdown written back as Markdown on one line, under the rules above."""
    md: list[Any] = []  # the parser, once a text needs it

    def render(text: Any, depth: int = 0) -> str:
        source = str(text if text is not None else "")
        if plain_paragraphs(source) is not None:  # plain prose (see above): its words on one line
            return _escape(" ".join(source.split()))
        if not md:
            md.append(_parser())
        parts: list[str] = []
        for tok in md[0].parse(source, {"depth": depth}):  # reference links resolved, then cleaned
            if tok.type == "inline":
                parts.append(_serialise(clean_inline(tok.children or [], depth)))
            elif tok.type in ("fence", "code_block"):
                parts.append(_code(tok.content))
            elif tok.type == "html_block":
                parts.append(_escape(" ".join(tok.content.split())))
        return " ".join(p for p in parts if p)

    return render
