"""XML read safely: defusedxml refuses entity declarations (the "billion laughs"), external
entities and external references before anything is expanded or fetched; nothing is read from
outside the bytes given.  (The eComptes schema and its validation: :mod:`feuille.formats.ecomptes.xsd`.)
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg

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


def parse(raw: bytes) -> ET.Element:
    """The root element of ``raw``; :class:`XmlProblem` for anything unsafe or malformed."""
    import defusedxml  # noqa: PLC0415 (heavy, loaded when first needed)
    import defusedxml.ElementTree as DET  # noqa: PLC0415 (heavy, loaded when first needed)

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
