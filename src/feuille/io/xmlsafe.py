"""XML read safely and checked against the eComptes schema (XSD 201805V1, shipped with feuille).

Reading goes through defusedxml: entity declarations (the "billion laughs"), external
entities and external references are refused before anything is expanded or fetched;
nothing is read from outside the bytes given.  The schema is the region's own file,
loaded once from the package (it imports nothing), and instances are validated with
``use_location_hints=False``: an ``xsi:schemaLocation`` in a file is never followed.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg

XSD = Path(__file__).with_name("PST_eComptes_Export_201805V1.xsd")
VERSION = "201805V1"
MAX_BYTES = 64 * 1024 * 1024  # a PST of 10,000 actions is ~20 MB


class XmlProblem(UserError):
    """Why an XML file cannot be read: ``msg`` for the user (shown in their language), ``detail`` its French."""

    code = "xml"

    def __init__(self, kind: str, message: Msg) -> None:
        super().__init__(message)
        self.kind = kind  # too_large | entities | external | syntax | truncated

    @property
    def detail(self) -> str:
        return self.message


@functools.cache
def ecomptes_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def parse(raw: bytes) -> ET.Element:
    """The root element of ``raw``; :class:`XmlProblem` for anything unsafe or malformed."""
    import defusedxml
    import defusedxml.ElementTree as DET

    if len(raw) > MAX_BYTES:
        raise XmlProblem("too_large", msg("the file is {size} MiB; feuille reads {most} at most.", size=len(raw) // (1024 * 1024), most=MAX_BYTES // (1024 * 1024)))
    try:
        return DET.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        if getattr(exc, "sysid", None) or getattr(exc, "pubid", None):
            raise XmlProblem("external", msg("the file declares an external entity ('{name}' to '{target}'): feuille reads nothing outside the file "
                                             "and refuses to read it.", name=exc.name, target=exc.sysid or exc.pubid)) from None
        raise XmlProblem("entities", msg("the file declares XML entities ('{name}'): this is how the 'bombs' that fill the memory are made; an "
                                         "eComptes file has none, feuille refuses to read it.", name=exc.name)) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden) as exc:
        raise XmlProblem("external", msg("the file refers to an external resource ({detail}): feuille reads nothing outside the file.",
                                         detail=str(exc))) from None
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        where = msg(" (line {line}, column {column})", line=line, column=col) if line else ""
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            raise XmlProblem("truncated", msg("the file stops before its end{where}: it is truncated (an interrupted download or copy?).",
                                              where=where)) from None
        raise XmlProblem("syntax", msg("the file is not valid XML{where}: {error}.", where=where, error=str(exc))) from None


def schema_errors(root: ET.Element, limit: int = 10) -> list[Msg]:
    """What makes ``root`` invalid against the eComptes XSD (empty when valid), at most ``limit`` lines (the reasons: xmlschema's English)."""
    out = []
    for error in ecomptes_schema().iter_errors(root, use_location_hints=False):
        out.append(msg("{path}: {reason}", path=error.path or "/", reason=error.reason))
        if len(out) >= limit:
            break
    return out
