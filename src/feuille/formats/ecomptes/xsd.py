"""The eComptes schema (XSD 201805V1, the region's own file, shipped with feuille beside this module) and validation
against it.  The schema is loaded once from the package (it imports nothing), and instances are validated with
``use_location_hints=False``: an ``xsi:schemaLocation`` in a file is never followed.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from feuille.core.i18n import Msg, msg

XSD = Path(__file__).with_name("PST_eComptes_Export_201805V1.xsd")
VERSION = "201805V1"


@functools.cache
def ecomptes_schema() -> Any:
    import xmlschema  # noqa: PLC0415 (heavy, loaded when first needed)

    return xmlschema.XMLSchema(str(XSD))


def schema_errors(root: ET.Element, limit: int = 10) -> list[Msg]:
    """What makes ``root`` invalid against the eComptes XSD (empty when valid), at most ``limit`` lines (the reasons: xmlschema's English)."""
    out = []
    for error in ecomptes_schema().iter_errors(root, use_location_hints=False):
        out.append(msg("{path}: {reason}", path=error.path or "/", reason=error.reason))
        if len(out) >= limit:
            break
    return out
