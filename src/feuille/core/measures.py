"""The long table of measurements: one row per measurement (indicator, date, value, note).

Written by the exports (the « Indicateurs » sheet of ``feuille export xlsx``, the indicators part of
``feuille export csv``) and read back by ``feuille import`` (a returned workbook, or any table of
measurements a service keeps), so that what is written is exactly what is read.  A table is
recognised by its headers: an indicator (its id, or its label), a date and a value.
"""

from __future__ import annotations

from feuille.core.i18n import NC_, Words

#: The columns, in the order the exports write them.
COLUMNS = ("indicator", "label", "declared_on", "unit", "date", "value", "note")

HEADERS = Words({
    "indicator": NC_("sheet", "Indicator (id)"),
    "label": NC_("sheet", "Indicator"),
    "declared_on": NC_("sheet", "Declared on"),
    "unit": NC_("sheet", "Unit"),
    "date": NC_("sheet", "Date of the measurement"),
    "value": NC_("sheet", "Value"),
    "note": NC_("sheet", "Note"),
})

#: The name of the sheet (and of the CSV part) of the measurements.
SHEET = Words({"name": NC_("sheet", "Indicators"), "part": NC_("file", "indicators")})

#: Other headers people give these columns (folded: lower case, no accents, spaces or punctuation), in any language.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicatorid", "indicateurid", "idindicateur", "id", "code", "codeindicateur", "indicatorcode"),
    "label": ("indicateur", "indicator", "intitule", "libelle", "label", "intituledelindicateur", "nomdelindicateur"),
    "declared_on": ("declaresur", "declaredon", "objectifouaction", "element"),
    "unit": ("unite", "unit"),
    "date": ("date", "datedelamesure", "dateofthemeasurement", "datemesure", "periode", "period"),
    "value": ("valeur", "value", "mesure", "valeurmesuree", "resultat", "result", "measurement"),
    "note": ("note", "notes", "commentaire", "comment", "remarque", "remarques"),
}
