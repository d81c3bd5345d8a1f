"""Rich text in a cell (the HTML that platforms export: paragraphs, lists, bold, links) as Markdown, or as plain text
for a title; and the line breaks of a cell made ready for a YAML block (``|``).

Written by hand on the standard library's :class:`html.parser.HTMLParser` (no markup is executed, nothing is fetched):
``<p>`` and ``<div>`` make paragraphs, ``<br>`` a line break, ``<ul>``/``<ol>`` items ``- `` / ``1. ``, ``<strong>``
``**``, ``<em>`` ``*``, a link ``[text](https://...)`` (only http, https and mailto: any other scheme keeps the text
alone), headings ``### ``; any other tag is dropped, its text kept; entities (``&eacute;``, ``&nbsp;``) are decoded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_TAG = re.compile(r"</?(?:p|br|ul|ol|li|strong|em|b|i|u|a|div|span|h[1-6]|table|tr|td|th|font|blockquote)\b[^<>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")
_ITEM = re.compile(r"^\s*(?:-|\d+\.)\s")  # a list item: its indent is kept
_SCHEMES = ("http://", "https://", "mailto:")


def looks_like_html(text: str) -> bool:
    """A cell holding markup (a tag platforms write), not a text that only holds a « < »."""
    return _TAG.search(text) is not None


class _Converter(HTMLParser):
    def __init__(self, plain: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.plain = plain
        self.out: list[str] = []
        self.lists: list[list[int | None]] = []  # one per open list: [number or None (bullets)]
        self.links: list[str | None] = []

    def _block(self) -> None:
        """A paragraph ends: a blank line (once) before what follows."""
        text = "".join(self.out)
        if text and not text.endswith("\n\n"):
            self.out.append("\n" if text.endswith("\n") else "\n\n")

    def _line(self) -> None:
        text = "".join(self.out)
        if text and not text.endswith("\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "div", "blockquote", "table", "tr"):
            self._block() if tag not in ("tr",) else self._line()
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("ul", "ol"):
            self._line() if self.lists else self._block()
            self.lists.append([1 if tag == "ol" else None])
        elif tag == "li":
            self._line()
            indent = "  " * max(0, len(self.lists) - 1)
            counter = self.lists[-1] if self.lists else [None]
            if counter[0] is None:
                self.out.append(indent + "- ")
            else:
                self.out.append(f"{indent}{counter[0]}. ")
                counter[0] += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._block()
            if not self.plain:
                self.out.append("#" * min(6, int(tag[1]) + 2) + " ")
        elif tag in ("strong", "b") and not self.plain:
            self.out.append("**")
        elif tag in ("em", "i") and not self.plain:
            self.out.append("*")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            keep = href.strip() if href.strip().lower().startswith(_SCHEMES) and not self.plain else None
            self.links.append(keep)
            if keep:
                self.out.append("[")
        elif tag in ("td", "th"):
            text = "".join(self.out)
            if text and not text.endswith(("\n", " ")):
                self.out.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "div", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._block()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._block() if not self.lists else self._line()
        elif tag in ("strong", "b") and not self.plain:
            self.out.append("**")
        elif tag in ("em", "i") and not self.plain:
            self.out.append("*")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub(r"[ \t\r\n\u00a0]+", " ", data))


def from_html(text: str, plain: bool = False) -> str:
    """The text of an HTML cell as Markdown (or plain text: ``plain``), its paragraphs apart, its lines trimmed."""
    parser = _Converter(plain)
    parser.feed(text)
    parser.close()
    lines = [line.rstrip() if _ITEM.match(line) else line.strip() for line in "".join(parser.out).split("\n")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if plain:
        body = " ".join(body.split())
    return body


def clean_text(text: str, plain: bool = False) -> tuple[str, bool]:
    """A cell's text ready for a plan: HTML turned to Markdown (or plain text), line ends made ``\\n``, spaces at the
    end of each line removed (a YAML block ``|`` cannot keep them); and whether it held HTML."""
    is_html = looks_like_html(text) or (_ENTITY.search(text) is not None and "<" in text)
    if is_html:
        text = from_html(text, plain)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if plain:
        return " ".join(text.split()), is_html
    return "\n".join(line.rstrip() for line in text.split("\n")).strip(), is_html
