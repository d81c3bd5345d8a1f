"""The annual report as an editable Word document (.docx, opens in LibreOffice Writer and Word).

The secretary general annotates it and attaches it to the council's agenda: real headings
(Titre 1, 2, 3: the navigation pane and a table of contents work), real tables, the plan's
language set for the spelling checker, and a last page with an empty table for the college's
decisions.  Written with python-docx (imported only here, only when a .docx is asked for): a
maintained library that writes the WordprocessingML package Word expects, rather than
hand-made XML.  Every text from the plan goes through python-docx as text (escaped); the
characters XML cannot hold (control characters) are dropped first.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """``text`` as XML 1.0 can hold it: control characters and lone surrogates dropped."""
    return _NOT_XML.sub("", "" if text is None else str(text))


@dataclass(slots=True)
class Block:
    kind: str  # title | h1 | h2 | h3 | p | note | bullets | table | pagebreak
    text: str = ""
    items: list[list[str]] = field(default_factory=list)  # bullets: [line, extra lines...]; table: rows (first: header)
    empty_rows: int = 0  # table: rows to fill by hand (their height)


class DocxUnavailable(Exception):
    """python-docx is not installed (it comes with feuille; a broken install can lose it)."""


def build(blocks: list[Block], *, title: str, lang: str, author: str = "feuille") -> bytes:
    """The .docx file of ``blocks``."""
    try:
        import docx
        from docx.enum.text import WD_BREAK
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt
    except ImportError as exc:  # pragma: no cover - the dependency is installed with feuille
        raise DocxUnavailable(str(exc)) from None
    doc = docx.Document()
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = clean(title)[:255], author, author
    props.language = "fr-BE" if lang == "fr" else "en-GB"
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), props.language)
    rpr.append(lang_el)  # the spelling checker's language
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
    for b in blocks:
        if b.kind == "title":
            doc.add_heading(clean(b.text), 0)
        elif b.kind in ("h1", "h2", "h3"):
            doc.add_heading(clean(b.text), int(b.kind[1]))
        elif b.kind in ("p", "note"):
            para = doc.add_paragraph()
            run = para.add_run(clean(b.text))
            run.italic = b.kind == "note"
        elif b.kind == "bullets":
            for lines in b.items:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(clean(lines[0])).bold = True
                for extra in lines[1:]:
                    para.add_run().add_break(WD_BREAK.LINE)
                    para.add_run(clean(extra))
        elif b.kind == "table":
            header, rows = b.items[0], b.items[1:]
            table = doc.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(clean(text)).bold = True
            for row in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = clean(text)
                if b.empty_rows:
                    table.rows[-1].height = Cm(b.empty_rows)
            _repeat_header(table, OxmlElement, qn)
        elif b.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _repeat_header(table: Any, element: Any, qn: Any) -> None:
    """The header row is repeated on each page a long table runs over."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = element("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
