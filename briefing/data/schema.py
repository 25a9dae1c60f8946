"""The JSON Schema of facts.json, generated from the content contract's Field tables.

The build publishes it beside facts.json (data/facts.schema.json); `python build.py schema`
keeps the copy in schema/ (briefing.editing.schema lists it). Every field of a record is
present: an optional one the sheet leaves out is null, or an empty list.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from briefing.check.validate import REF, SLUG
from briefing.data.facts import FORMAT
from briefing.model import records
from briefing.model.contract import KIND_FIELDS, SHEET_KINDS, Field
from briefing.present.links import FOLDERS

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_DATE = r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$"
# Fields every record has beside its sheet's, with what they hold.
_PAGE = {"type": "string", "description": "Its page, relative to the site root."}
_STATEMENT_EXTRA = {
    "anchor": {
        "type": "string",
        "pattern": f"^{SLUG.pattern}#{SLUG.pattern}$",
        "description": "sheet-id#statement-id: how sheets and annotations name it.",
    },
    "url": {**_PAGE, "description": "Its page and anchor, relative to the site root."},
}
_DATING = ("date", "range", "dates", "after", "before", "undated")


def _nullable(schema: dict[str, Any], required: bool) -> dict[str, Any]:
    if required:
        return schema
    kind = schema["type"]
    return {**schema, "type": [kind, "null"]}


def _scalar(field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if field.shape == "date":
        schema["pattern"] = _DATE
    elif field.shape == "slug":
        schema["pattern"] = f"^{SLUG.pattern}$"
    elif field.shape == "ref":
        schema["pattern"] = f"^{REF.pattern}$"
    elif field.shape == "choice":
        schema["enum"] = list(field.choices) + ([] if field.required else [None])
    return _nullable(schema, field.required)


def field_schema(field: Field, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of one exported field, documented with the contract's words."""
    if field.shape == "list":
        assert field.item is not None
        item = field_schema(dataclasses.replace(field.item, required=True), definitions)
        return {"description": field.doc, "type": "array", "items": item}
    if field.shape == "object":
        extra = _STATEMENT_EXTRA if field.record is records.Statement else {}
        definitions[field.name] = {
            "description": field.doc,
            **record_schema(field.fields, definitions, extra),
        }
        ref = {"$ref": f"#/definitions/{field.name}"}
        return ref if field.required else {"oneOf": [ref, {"type": "null"}]}
    return {"description": field.doc, **_scalar(field)}


def record_schema(
    fields: tuple[Field, ...], definitions: dict[str, Any], extra: dict[str, Any]
) -> dict[str, Any]:
    """An object holding exactly the given fields (every one present) and extra's."""
    properties = {f.name: field_schema(f, definitions) for f in fields} | extra
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(properties),
        "properties": dict(sorted(properties.items())),
    }


def _sheet_extra(kind: str) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "kind": {"const": kind, "description": "The kind of sheet."},
        "url": _PAGE,
        "sheet": {"type": "string", "description": "The sheet's file in the project."},
    }
    if kind == "source":
        extra["archive"] = {
            "type": "string",
            "description": "The archived text as published, relative to the site root; "
            "annotations' offsets count its code points.",
        }
    if kind == "event":
        extra["dating"] = {
            "enum": list(_DATING),
            "description": "How the source dates it: one date, a range (date, until), "
            "several dates, only after or before another event, or not at all.",
        }
    return extra


def facts_schema() -> dict[str, Any]:
    """The JSON Schema of facts.json."""
    definitions: dict[str, Any] = {}
    properties: dict[str, Any] = {
        "$schema": {"type": "string", "description": "This schema, beside the file."},
        "format": {"const": FORMAT, "description": "The format and its version."},
    }
    for kind in SHEET_KINDS:
        folder = FOLDERS[kind]
        doc = (records.SHEET_TYPES[folder].__doc__ or "").strip()
        definitions[kind] = {
            "description": f"{doc} A sheet of content/{folder}/.",
            **record_schema(KIND_FIELDS[folder], definitions, _sheet_extra(kind)),
        }
        properties[folder] = {
            "description": f"Every {kind} sheet, by id.",
            "type": "array",
            "items": {"$ref": f"#/definitions/{kind}"},
        }
    return {
        "$schema": DRAFT_07,
        "$comment": "Generated from briefing/model/contract.py by `python build.py schema`; "
        "do not edit by hand.",
        "title": "briefing facts",
        "description": "Every sheet and statement of a briefing site (data/facts.json), with "
        "the fields of the content contract (see the content guide); texts keep their "
        "[[id]] and [[id|label]] references. An optional field a sheet leaves out is null "
        "or an empty list.",
        "type": "object",
        "additionalProperties": False,
        "required": sorted(properties),
        "properties": properties,
        "definitions": dict(sorted(definitions.items())),
    }
