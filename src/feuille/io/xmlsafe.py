"""XML read safely and checked against the eComptes schema (XSD 201805V1, shipped with feuille).

Reading goes through defusedxml: entity declarations (the "billion laughs"), external
entities and external references are refused before anything is expanded or fetched;
nothing is read from outside the bytes given.  The schema is the region's own file,
loaded once from the package (it imports nothing), and instances are validated with
``use_location_hints=False``: an ``xsi:schemaLocation`` in a file is never followed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

XSD = Path(__file__).with_name("PST_eComptes_Export_201805V1.xsd")
VERSION = "201805V1"
MAX_BYTES = 64 * 1024 * 1024  # a PST of 10,000 actions is ~20 MB


@dataclass
class XmlProblem(Exception):
    """Why an XML file cannot be read; ``detail`` is French, for the user."""

    kind: str  # too_large | entities | external | syntax | truncated
    detail: str

    def __str__(self) -> str:
        return self.detail


@functools.cache
def ecomptes_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def parse(raw: bytes) -> ET.Element:
    """The root element of ``raw``; :class:`XmlProblem` for anything unsafe or malformed."""
    import defusedxml
    import defusedxml.ElementTree as DET

    if len(raw) > MAX_BYTES:
        raise XmlProblem("too_large", f"le fichier fait {len(raw) // (1024 * 1024)} Mio ; feuille en lit {MAX_BYTES // (1024 * 1024)} au plus.")
    try:
        return DET.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        if getattr(exc, "sysid", None) or getattr(exc, "pubid", None):
            raise XmlProblem("external", f"le fichier déclare une entité externe (« {exc.name} » vers « {exc.sysid or exc.pubid} ») : "
                                         "feuille ne lit rien hors du fichier et refuse de le lire.") from None
        raise XmlProblem("entities", f"le fichier déclare des entités XML (« {exc.name} ») : c'est ainsi que sont faites les « bombes » "
                                     "qui saturent la mémoire ; un fichier eComptes n'en a pas, feuille refuse de le lire.") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden) as exc:
        raise XmlProblem("external", f"le fichier fait référence à une ressource externe ({exc}) : feuille ne lit rien hors du fichier.") from None
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        where = f" (ligne {line}, colonne {col})" if line else ""
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            raise XmlProblem("truncated", f"le fichier s'arrête avant la fin{where} : il est tronqué (téléchargement ou copie interrompu ?).") from None
        raise XmlProblem("syntax", f"le fichier n'est pas du XML valide{where} : {exc}.") from None


def schema_errors(root: ET.Element, limit: int = 10) -> list[str]:
    """What makes ``root`` invalid against the eComptes XSD (empty when valid), at most ``limit`` lines."""
    out = []
    for error in ecomptes_schema().iter_errors(root, use_location_hints=False):
        out.append(f"{error.path or '/'} : {error.reason}")
        if len(out) >= limit:
            break
    return out
