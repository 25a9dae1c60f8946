"""JSON Schema (draft-07) for each kind of sheet, generated from the contract's Field tables.

The schema lets an editor (yaml-language-server, via the modeline on each sheet's first line)
complete field names and flag mistakes while typing; `build.py check` stays the authority.
Every scalar is a string in our loader, so scalars are typed as strings and their shape is
a pattern or an enum.  What the schema cannot say, and the validator does:

- calendar validity: '2024-02-30' matches the date pattern but is not a real date;
- rules across files or names: id equal to the file name, unique ids, [[refs]] that resolve,
  a source's text file existing, quotes found in it;
- rules across items: statement ids unique in a sheet, a relation's actors all different
  (the schema asks for two items, not two different ones);
- URLs: the schema checks the scheme and that something follows; the validator parses the
  host;
- white space: the validator strips values, the schema wants ids, refs, dates and choices
  written without surrounding spaces;
- the loader's rules: duplicate keys, anchors, aliases, tags, control characters, sizes.

Editors read YAML 1.2 and type unquoted `240`, `2024` or `true` as numbers and booleans;
the schema then asks for a string, which is what quoting the value gives.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from briefing.check.load import KINDS
from briefing.check.validate import REF, SLUG, TEXT_FILE
from briefing.check.vocabulary import load_vocabulary
from briefing.data.schema import facts_schema
from briefing.model import records
from briefing.model.contract import (
    ATTRIBUTED_KINDS,
    KIND_FIELDS,
    KIND_REGISTRY,
    QUANTITY,
    SETTINGS_FIELDS,
    SETTINGS_FILE,
    STATEMENT_KINDS,
    Field,
)
from briefing.model.vocabulary import (
    BUILT_IN_VOCABULARY,
    VOCABULARY_FIELDS,
    VOCABULARY_FILE,
    Vocabulary,
)

SCHEMA_DIR = "schema"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
# folder -> kind name: "actors" -> "actor".
KIND_NAMES = {folder: records.SHEET_TYPES[folder].kind for folder in KINDS}
MODELINE_PREFIX = "# yaml-language-server:"

_ONE_LINE = r"\s*[^\n]*\s*"
_TITLE = r"\s*[^<>\n]*\s*"
_NOT_BLANK = r"(?=[\s\S]*\S)"
# The validator refuses a title whenever html.unescape would change it, which no regex
# states exactly; the schema refuses every '&' that could start a character reference.
_NO_ENTITY = r"(?!.*&[#A-Za-z])"
_SLUG = SLUG.pattern
_DATE = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
_URL = (
    r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+(?:[/?#]\S*)?"
    r"|[Mm][Aa][Ii][Ll][Tt][Oo]:[^@/\s?#]+@[^@/\s?#]+\.[^@/\s?#]+(?:[?#]\S*)?"
)


def _anchored(body: str) -> str:
    return f"^(?:{body})$"


def _ref_pattern(targets: tuple[str, ...]) -> tuple[str, str]:
    """The pattern for a ref field and what it asks for, in the validator's words."""
    if targets == ("statement",):
        return _anchored(f"{_SLUG}#{_SLUG}"), "must name a statement: sheet-id#statement-id"
    if targets:
        return _anchored(_SLUG), "must name a sheet, like 'russia', without '#'"
    return _anchored(REF.pattern), "must be an id like 'russia' or 'russia#statement-id'"


def _scalar(field: Field, terms: tuple[str, ...] = ()) -> dict[str, Any]:
    """The schema of a text-valued field: a string with a pattern or an enum."""
    schema: dict[str, Any] = {"type": "string" if field.required else ["string", "null"]}
    blank = _NOT_BLANK if field.required else ""
    pattern, says = {
        "title": (f"^{blank}{_NO_ENTITY}{_TITLE}$", "must be one line without '<', '>' or HTML"),
        "line": (f"^{blank}{_ONE_LINE}$", "must be one line"),
        "quantity": (_anchored(QUANTITY), "must be a number or a numeric range, like '240'"),
        "text": (r"\S" if field.required else "", "must not be empty"),
        "slug": (
            _anchored(_SLUG),
            "must be a slug of lowercase letters, digits and single hyphens, like 'north-korea'",
        ),
        "date": (_anchored(_DATE), "must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"),
        "url": (_anchored(_URL), "must start with https:, http: or mailto: and name a host"),
        "ref": _ref_pattern(field.targets),
        "choice": ("", ""),
        "term": ("", ""),
    }[field.shape]
    if blank and field.shape in ("title", "line"):
        says += ", and not empty"
    if pattern:
        schema["pattern"] = pattern
        # yaml-language-server shows this instead of the bare pattern.
        schema["patternErrorMessage"] = f"'{field.name}' {says}"
    if field.shape in ("choice", "term"):
        # A term's choices are the vocabulary sheet's, so the schema changes with the sheet.
        schema["enum"] = list(terms if field.shape == "term" else field.choices)
        if field.choices == STATEMENT_KINDS:
            meanings = "; ".join(f"{k.name}: {k.meaning}" for k in KIND_REGISTRY)
            schema["description"] = f"{field.doc} {meanings}."
        if not field.required:
            schema["enum"].append(None)
    return schema


class _Builder:
    """Turns Field tables into schemas; nested objects become shared definitions."""

    def __init__(self, vocabulary: Vocabulary = BUILT_IN_VOCABULARY) -> None:
        self.definitions: dict[str, Any] = {}
        self.terms = tuple(t.id for t in vocabulary.relation_types)
        self.event_terms = tuple(t.id for t in vocabulary.event_types)

    def field(self, field: Field) -> dict[str, Any]:
        """The schema of one field, documented with its Field.doc."""
        if field.shape == "list":
            assert field.item is not None
            schema: dict[str, Any] = {
                "type": "array" if field.required else ["array", "null"],
                # An empty item is an error even in an optional list.
                "items": self.field(dataclasses.replace(field.item, required=True)),
            }
            if field.required:
                schema["minItems"] = 1
        elif field.shape == "object":
            # Draft-07 ignores keywords beside $ref, so the definition carries the docs.
            definition = self.object(field.fields, field.name)
            definition = {"title": field.name, "description": field.doc, **definition}
            assert self.definitions.setdefault(field.name, definition) == definition
            return {"$ref": f"#/definitions/{field.name}"}
        else:
            event = field.targets == ("event",)
            schema = _scalar(field, self.event_terms if event else self.terms)
        return {"title": field.name, "description": field.doc, **schema}

    def object(self, fields: tuple[Field, ...], name: str) -> dict[str, Any]:
        """A mapping of the given fields and no others."""
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: self.field(f) for f in fields},
        }
        required = [f.name for f in fields if f.required]
        if required:
            schema["required"] = required
        _mirror_rules(name, schema)
        return schema


def _mirror_rules(name: str, schema: dict[str, Any]) -> None:
    """Add the rules of validate.Reader.check_rules that JSON Schema can express."""
    properties = schema["properties"]
    if name == "statement":
        schema["if"] = {
            "properties": {"kind": {"enum": list(ATTRIBUTED_KINDS)}},
            "required": ["kind"],
        }
        schema["then"] = {
            "required": ["attributed_to"],
            "properties": {"attributed_to": {"type": "string", "pattern": r"\S"}},
        }
    if name == "relation":
        properties["actors"]["minItems"] = 2
    if name == "source":
        properties["text"]["pattern"] = _anchored(TEXT_FILE.pattern)
        properties["text"]["patternErrorMessage"] = (
            "'text' must be the name of a .txt file beside the sheet, without folders"
        )


def kind_schema(folder: str, vocabulary: Vocabulary = BUILT_IN_VOCABULARY) -> dict[str, Any]:
    """The JSON Schema of one kind of sheet ('actors'); its types from the vocabulary."""
    kind = KIND_NAMES[folder]
    builder = _Builder(vocabulary)
    schema = builder.object(KIND_FIELDS[folder], kind)
    doc = (records.SHEET_TYPES[folder].__doc__ or "").strip()
    return {
        "$schema": DRAFT_07,
        "$comment": "Generated from briefing/model/contract.py by `python build.py schema`; "
        "do not edit by hand.",
        "title": f"briefing {kind} sheet",
        "description": f"{doc} One sheet per file: content/{folder}/<id>.yaml.",
        **schema,
        "definitions": dict(sorted(builder.definitions.items())),
    }


SETTINGS_SCHEMA = f"{SCHEMA_DIR}/corpus.schema.json"


def settings_schema() -> dict[str, Any]:
    """The JSON Schema of the corpus settings sheet (content/corpus.yaml)."""
    builder = _Builder()
    schema = builder.object(SETTINGS_FIELDS, "corpus")
    doc = (records.Settings.__doc__ or "").strip()
    return {
        "$schema": DRAFT_07,
        "$comment": "Generated from briefing/model/contract.py by `python build.py schema`; "
        "do not edit by hand.",
        "title": "briefing corpus settings",
        "description": f"{doc} One file: content/{SETTINGS_FILE}, optional.",
        **schema,
    }


VOCABULARY_SCHEMA = f"{SCHEMA_DIR}/vocabulary.schema.json"


def vocabulary_schema() -> dict[str, Any]:
    """The JSON Schema of the vocabulary sheet (content/vocabulary.yaml)."""
    builder = _Builder()
    schema = builder.object(VOCABULARY_FIELDS, "vocabulary")
    doc = (Vocabulary.__doc__ or "").strip()
    return {
        "$schema": DRAFT_07,
        "$comment": "Generated from briefing/model/vocabulary.py by `python build.py schema`; "
        "do not edit by hand.",
        "title": "briefing vocabulary",
        "description": f"{doc} One file: content/{VOCABULARY_FILE}, optional.",
        **schema,
        "definitions": dict(sorted(builder.definitions.items())),
    }


FACTS_SCHEMA = f"{SCHEMA_DIR}/facts.schema.json"


def render(schema: dict[str, Any]) -> str:
    """A schema as the file's text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_path(folder: str) -> str:
    """Where a kind's schema lives, relative to the project root."""
    return f"{SCHEMA_DIR}/{KIND_NAMES[folder]}.schema.json"


def expected_files(vocabulary: Vocabulary = BUILT_IN_VOCABULARY) -> dict[str, str]:
    """Every schema file: path relative to the root -> its text."""
    files = {schema_path(folder): render(kind_schema(folder, vocabulary)) for folder in KINDS}
    return {
        **files,
        SETTINGS_SCHEMA: render(settings_schema()),
        VOCABULARY_SCHEMA: render(vocabulary_schema()),
        FACTS_SCHEMA: render(facts_schema()),  # of the facts.json a build publishes
    }


def project_files(root: Path) -> dict[str, str]:
    """Every schema file of the project at root, its relation types from its vocabulary."""
    vocabulary, _ = load_vocabulary(root, root / "content")  # `check` reports its problems
    return expected_files(vocabulary)


def write_schemas(root: Path) -> list[str]:
    """Write the schema files that differ from the contract; return their paths."""
    written = []
    for name, text in project_files(root).items():
        path = root / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(name)
    return written


def stale_schemas(root: Path) -> list[str]:
    """Messages for schema files that are missing, out of date or no longer generated."""
    expected = project_files(root)
    messages = []
    for name, text in expected.items():
        path = root / name
        if not path.is_file():
            messages.append(f"{name} is missing; run `python build.py schema`")
        elif path.read_text(encoding="utf-8") != text:
            messages.append(
                f"{name} is out of date with briefing/model/contract.py "
                f"or content/{VOCABULARY_FILE}; "
                "run `python build.py schema`"
            )
    for path in sorted((root / SCHEMA_DIR).glob("*.schema.json")):
        name = path.relative_to(root).as_posix()
        if name not in expected:
            messages.append(f"{name} is not generated from the contract any more; delete it")
    return messages


def modeline(folder: str) -> str:
    """The first line of every sheet of a kind: points editors at the kind's schema."""
    return f"{MODELINE_PREFIX} $schema=../../{schema_path(folder)}"


def _sheets(root: Path) -> list[tuple[Path, str]]:
    content = root / "content"
    return [
        (path, folder)
        for folder in KINDS
        for path in sorted((content / folder).glob("*.yaml"))
        if path.is_file()
    ]


def _first_line(data: bytes) -> bytes:
    return data.split(b"\n", 1)[0].rstrip(b"\r")


def missing_modelines(root: Path) -> list[str]:
    """Messages for sheets whose first line is not their kind's modeline."""
    messages = []
    for path, folder in _sheets(root):
        line = modeline(folder)
        if _first_line(path.read_bytes()) != line.encode():
            shown = path.relative_to(root).as_posix()
            messages.append(
                f"{shown}:1:1: the first line must be '{line}'; "
                "run `python build.py schema --modelines` to add it"
            )
    return messages


def add_modelines(root: Path) -> list[str]:
    """Put the modeline on the first line of every sheet lacking it; return changed paths."""
    changed = []
    for path, folder in _sheets(root):
        data = path.read_bytes()
        line = modeline(folder).encode()
        first = _first_line(data)
        if first == line or data.startswith(b"\xef\xbb\xbf"):
            continue  # a byte-order mark is for `check` to report, not to bury on line 2
        newline = b"\r\n" if data.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
        if first.startswith(MODELINE_PREFIX.encode()):
            data = data.split(b"\n", 1)[1] if b"\n" in data else b""
        path.write_bytes(line + newline + data)
        changed.append(path.relative_to(root).as_posix())
    return changed
