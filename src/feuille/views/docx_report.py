"""The annual report as an editable Word document (.docx: opens in Word and LibreOffice Writer).

The secretary general annotates it and attaches it to the council's agenda: real headings (the
built-in styles « heading 1, 2, 3 », which Word shows as « Titre 1, 2, 3 »: the navigation pane
and a table of contents work), real tables whose header row repeats on each page, bullets, the
plan's language set for the spelling checker, A4 pages, and a last page with an empty table for
the college's decisions.

Written here with the standard library (a zip of a few WordprocessingML parts, ECMA-376), not
with python-docx: that library needs lxml, whose mere presence changes how openpyxl writes and
reads the spreadsheets of ``feuille export``/``import`` (lxml's parser instead of defusedxml's);
and a hand-made package can be byte-for-byte the same for the same plan (fixed zip dates, no
generated ids), like the rest of feuille's output.  Every text from the plan is escaped as XML
text, and the characters XML cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from feuille.core.xmlchars import NOT_XML

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_DATE = (2000, 1, 1, 0, 0, 0)  # every part's date in the zip: the same plan gives the same bytes


def clean(text: Any) -> str:
    """``text`` as XML 1.0 can hold it: control characters and lone surrogates dropped."""
    return NOT_XML.sub("", "" if text is None else str(text))


def _t(text: Any) -> str:
    return escape(clean(text))


@dataclass(slots=True)
class Block:
    kind: str  # title | h1 | h2 | h3 | p | note | bullets | table | pagebreak
    text: str = ""
    items: list[list[str]] = field(default_factory=list)  # bullets: [line, extra lines...]; table: rows (first: header)
    empty_rows: int = 0  # table: the height of each row in cm, to fill in by hand (0: as the text needs)


def _run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r>{"<w:rPr>" + props + "</w:rPr>" if props else ""}<w:t xml:space="preserve">{_t(text)}</w:t></w:r>'


def _para(runs: str, style: str | None = None) -> str:
    return f'<w:p>{f"<w:pPr><w:pStyle w:val={quoteattr(style)}/></w:pPr>" if style else ""}{runs}</w:p>'


def _table(rows: list[list[str]], height_cm: int) -> str:
    cols = len(rows[0])
    width = 9638 // cols  # the A4 text width (17 cm) in twentieths of a point, shared equally
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(cols))
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for i, row in enumerate(rows):
        props = '<w:trPr><w:tblHeader/></w:trPr>' if i == 0 else (f'<w:trPr><w:trHeight w:val="{height_cm * 567}"/></w:trPr>' if height_cm else "")
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_para(_run(text, bold=i == 0))}</w:tc>' for text in row)
        out.append(f"<w:tr>{props}{cells}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out) + _para("")  # Word wants a paragraph between two tables


def _body(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind == "title":
            out.append(_para(_run(b.text), "Title"))
        elif b.kind in ("h1", "h2", "h3"):
            out.append(_para(_run(b.text), f"Heading{b.kind[1]}"))
        elif b.kind in ("p", "note"):
            out.append(_para(_run(b.text, italic=b.kind == "note")))
        elif b.kind == "bullets":
            for lines in b.items:
                runs = _run(lines[0], bold=True) + "".join(f"<w:r><w:br/></w:r>{_run(extra)}" for extra in lines[1:])
                out.append(_para(runs, "ListBullet"))
        elif b.kind == "table" and b.items:
            out.append(_table(b.items, b.empty_rows))
        elif b.kind == "pagebreak":
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    return "".join(out)


def _styles(lang: str) -> str:
    def heading(n: int, size: int, before: int) -> str:
        return (f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/><w:basedOn w:val="Normal"/>'
                f'<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
                f'<w:spacing w:before="{before}" w:after="80"/><w:outlineLvl w:val="{n - 1}"/></w:pPr>'
                f'<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="{size}"/></w:rPr></w:style>')

    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{_W}">'
            f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri" w:eastAsia="Calibri"/>'
            f'<w:sz w:val="21"/><w:lang w:val="{"fr-BE" if lang == "fr" else "en-GB"}"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
            '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
            '<w:qFormat/><w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>'
            + heading(1, 32, 360) + heading(2, 26, 240) + heading(3, 22, 160) +
            '<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/>'
            '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/></w:pPr></w:style>'
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
            '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
            '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
            + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + '</w:tblBorders></w:tblPr></w:style></w:styles>')


_NUMBERING = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{_W}">'
              '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
              '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>'
              '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                  '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
                  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                  '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                  '</Types>')

_ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
              '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
              '</Relationships>')

_DOC_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
             '</Relationships>')

_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>feuille</Application></Properties>')


def build(blocks: list[Block], *, title: str, lang: str, author: str = "feuille") -> bytes:
    """The .docx file of ``blocks``: the same blocks give the same bytes."""
    language = "fr-BE" if lang == "fr" else "en-GB"
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>'
                f'{_body(blocks)}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
                '</w:sectPr></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{_t(title)[:255]}</dc:title><dc:creator>{_t(author)}</dc:creator><dc:language>{language}</dc:language>'
            '</cp:coreProperties>')
    parts = [("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("docProps/core.xml", core), ("docProps/app.xml", _APP),
             ("word/document.xml", document), ("word/_rels/document.xml.rels", _DOC_RELS), ("word/styles.xml", _styles(lang)),
             ("word/numbering.xml", _NUMBERING)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return out.getvalue()
