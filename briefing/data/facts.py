"""facts.json: every sheet and statement of the checked corpus, as plain JSON.

Each record carries the fields of its sheet, named as the content contract names them
(briefing.model.contract), so the content guide documents both; a field the sheet leaves
out is null (or an empty list). Beside them: the record's kind, its page and sheet, and for
statements their anchor. The bytes depend only on the records: keys sorted, sheets in the
contract's kind order then by id, statements in sheet order.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
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


def fragment(data: Any, depth: int) -> str:
    """dumps_content() of a value as it reads nested depth levels deep, without its final
    newline or the indent of its first line: a piece of text for joined()."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    # JSON strings hold no line break (dumps escapes it): every one is the layout's.
    return without_markup(text).replace("\n", "\n" + "  " * depth)


def placeholder(n: int) -> str:
    """The string standing, in a skeleton given to joined(), for the n-th fragment."""
    return f"\x00{n}"


# A placeholder as dumps() writes it, alone on its line (an item of a list).
_PLACEHOLDER = re.compile(r'^( *)"\\u0000(\d+)"', re.MULTILINE)


def joined(skeleton: Any, fragments: Sequence[str], depth: int) -> str:
    """dumps_content() of skeleton with each placeholder(n) in it replaced by the value
    whose fragment(value, depth) is fragments[n]: the same text, byte for byte, without
    serializing those values again. Every placeholder must sit depth levels deep."""
    indent = "  " * depth

    def put(match: re.Match[str]) -> str:
        if match.group(1) != indent:
            raise ValueError(f"a placeholder sits at {match.group(1)!r}, not at {indent!r}")
        return indent + fragments[int(match.group(2))]

    # The skeleton's own strings are escaped here, each fragment's when it was made.
    return _PLACEHOLDER.sub(put, dumps_content(skeleton))


# Where facts.json lists a record: in its kind's list, in the top-level object.
RECORD_DEPTH = 2


@dataclass
class _Fragments:
    """Each sheet's record as last serialized (fragment()), with the sheet it was made from."""

    sheets: dict[str, tuple[records.Sheet, str]] = dataclass_field(default_factory=dict)
    lock: threading.Lock = dataclass_field(default_factory=threading.Lock)
    made: int = 0  # records the latest call serialized (not reused), for tests


# The process's latest facts.json records: a sheet's record depends on nothing but the sheet
# (see sheet_record), so the live preview serializes only the sheets a save changed
# (serializing every record was a third of a save's rebuild at 3,000 sheets).
REMEMBERED = _Fragments()


def forget() -> None:
    """Drop the remembered records (a build, done with them, frees the memory)."""
    with REMEMBERED.lock:
        REMEMBERED.sheets = {}


def facts_json(checked: Checked) -> str:
    """facts.json's text: dumps_content(facts(checked)), joined from each sheet's record as
    serialized by the latest call where the sheet is unchanged."""
    corpus = checked.corpus
    memo = REMEMBERED
    with memo.lock:
        known, found, memo.made = memo.sheets, {}, 0
        skeleton: dict[str, Any] = {"$schema": "facts.schema.json", "format": FORMAT}
        fragments: list[str] = []
        for kind in SHEET_KINDS:
            listed = skeleton[links.FOLDERS[kind]] = []
            for sheet in sorted(corpus.of_kind(kind), key=lambda s: s.id):
                previous = known.get(sheet.id)
                if previous is None or not (previous[0] is sheet or previous[0] == sheet):
                    previous = (sheet, fragment(sheet_record(sheet), RECORD_DEPTH))
                    memo.made += 1
                found[sheet.id] = previous
                listed.append(placeholder(len(fragments)))
                fragments.append(previous[1])
        memo.sheets = found
    return joined(skeleton, fragments, RECORD_DEPTH)
