"""facts.json: every sheet and statement of the checked corpus, as plain JSON.

Each record carries the fields of its sheet, named as the content contract names them
(briefing.model.contract), so the content guide documents both; a field the sheet leaves
out is null (or an empty list). Beside them: the record's kind, its page and sheet, and for
statements their anchor. The bytes depend only on the records: keys sorted, sheets in the
contract's kind order then by id, statements in sheet order.
"""

from __future__ import annotations

import json
from typing import Any

from briefing.check.verify import Checked
from briefing.model import records
from briefing.model.contract import KIND_FIELDS, SHEET_KINDS, Field
from briefing.present import links, places

FACTS = "data/facts.json"
SCHEMA = "data/facts.schema.json"
FORMAT = "briefing-facts/1"
# Record attributes the export leaves out, by why: where in a sheet a value was written is
# the editors' business (the sheet's path is exported instead).
NOT_EXPORTED = frozenset({"loc", "path"})


def value(field: Field, raw: object) -> Any:
    """A record attribute as JSON: texts, refs and dates as the sheet wrote them."""
    if raw is None:
        return [] if field.shape == "list" else None
    if field.shape == "list":
        assert field.item is not None and isinstance(raw, tuple)
        return [value(field.item, item) for item in raw]
    if field.shape == "object":
        return {f.name: value(f, getattr(raw, f.key)) for f in field.fields}
    if isinstance(raw, records.Text):
        return raw.value
    if isinstance(raw, records.Ref):
        return raw.target
    if isinstance(raw, records.PartialDate):
        return raw.value
    return raw


def dating(event: records.Event) -> str:
    """How the source dates an event: date, range, dates, after, before or undated."""
    if event.date is not None:
        return "range" if event.until is not None else "date"
    if event.dates:
        return "dates"
    if event.after is not None:
        return "after"
    return "before" if event.before is not None else "undated"


def statement_record(sheet: records.Sheet, fields: Field, st: records.Statement) -> Any:
    """One statement: its contract fields, its anchor and where its page shows it."""
    record = value(fields, st)
    record["anchor"] = f"{sheet.id}#{st.id}"
    record["url"] = f"{page_url(sheet)}#{st.id}"
    return record


def page_url(sheet: records.Sheet) -> str:
    """The site-relative URL of a sheet's page ('actors/china/')."""
    return links.page_url(links.sheet_page(sheet))


def sheet_record(sheet: records.Sheet) -> dict[str, Any]:
    """One sheet: kind, page, sheet file, its contract fields and its statements."""
    folder = links.FOLDERS[sheet.kind]
    record: dict[str, Any] = {"kind": sheet.kind, "url": page_url(sheet), "sheet": sheet.path}
    for field in KIND_FIELDS[folder]:
        if field.name == "statements":
            assert field.item is not None
            record["statements"] = [
                statement_record(sheet, field.item, st) for st in sheet.statements
            ]
        else:
            record[field.name] = value(field, getattr(sheet, field.key))
    if isinstance(sheet, records.Source):
        record["archive"] = places.archive_path(sheet)
    if isinstance(sheet, records.Event):
        record["dating"] = dating(sheet)
    return record


def facts(checked: Checked) -> dict[str, Any]:
    """Every record of the corpus, grouped by kind ('sources': [...]), each sorted by id."""
    corpus = checked.corpus
    data: dict[str, Any] = {"$schema": "facts.schema.json", "format": FORMAT}
    for kind in SHEET_KINDS:
        sheets = sorted(corpus.of_kind(kind), key=lambda s: s.id)
        data[links.FOLDERS[kind]] = [sheet_record(sheet) for sheet in sheets]
    return data


def dumps(data: Any) -> str:
    """Deterministic JSON text: keys sorted, UTF-8 kept, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def without_markup(text: str) -> str:
    """JSON text with '<', '>' and '&' as JSON escapes: the same strings once parsed, but
    nothing in it reads as HTML (in a <script> block, or to a browser sniffing a file)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dumps_content(data: Any) -> str:
    """dumps() for data holding the sheets' values (see without_markup)."""
    return without_markup(dumps(data))


def facts_json(checked: Checked) -> str:
    """facts.json's text."""
    return dumps_content(facts(checked))
