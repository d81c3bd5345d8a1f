"""What the open-data formats share: tables described once, written as CSV, JSON, Table Schema and JSON Schema.

A :class:`Table` is a name and its :class:`Column`\\ s (name, Table Schema type, a bilingual
description, required or not, a foreign key).  Rows are plain dicts of Python values; this module
turns them into machine CSV (UTF-8, comma, ISO dates, decimal point, ``\\n`` line ends, empty cell
for no value) and into JSON, and the tables into a Table Schema and a JSON Schema.  Nothing here
is translated: machine output is the same whatever the language of the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # Table Schema: string, integer, number, date, boolean
    description: str  # « français / English »
    required: bool = False
    references: tuple[str, str] | None = None  # (table, column) this column points to
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    rows: list[dict[str, Any]] = field(default_factory=list, compare=False)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def cell(value: Any) -> str:
    """A value as machine CSV writes it: ISO dates, decimal point, no thousands separator, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value.quantize(Decimal(1)), "f")
    if isinstance(value, float):
        return repr(round(value, 2)).removesuffix(".0") if value == value else ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [c.name for c in table.columns]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow([cell(row.get(n)) for n in names])
    return out.getvalue()


def to_records(table: Table) -> list[dict[str, Any]]:
    return [{c.name: json_value(row.get(c.name)) for c in table.columns} for row in table.rows]


def table_schema(table: Table) -> dict[str, Any]:
    fields = []
    for c in table.columns:
        spec: dict[str, Any] = {"name": c.name, "type": c.type, "description": c.description}
        if c.type == "date":
            spec["format"] = "default"
        constraints: dict[str, Any] = {}
        if c.required:
            constraints["required"] = True
        if c.enum:
            constraints["enum"] = list(c.enum)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": list(table.key)}
    keys = [{"fields": [c.name], "reference": {"resource": "" if c.references[0] == table.name else c.references[0], "fields": [c.references[1]]}}
            for c in table.columns if c.references]
    if keys:
        schema["foreignKeys"] = keys
    return schema


_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "date": "string"}


def json_schema_of(table: Table) -> dict[str, Any]:
    """The JSON Schema of one record of ``table``."""
    props: dict[str, Any] = {}
    for c in table.columns:
        spec: dict[str, Any] = {"type": [_JSON_TYPES[c.type]] if c.required else [_JSON_TYPES[c.type], "null"], "description": c.description}
        if c.type == "date":
            spec["format"] = "date"
        if c.enum:
            spec["enum"] = [*c.enum] if c.required else [*c.enum, None]
        props[c.name] = spec
    return {"type": "object", "additionalProperties": False, "required": [c.name for c in table.columns], "properties": props}


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
