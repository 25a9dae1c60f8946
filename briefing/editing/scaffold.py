"""`build.py new KIND ID`: a new sheet with a TODO in every value the editor must supply.

The scaffold is written from the contract: every required field gets a placeholder starting
'TODO' (check refuses each one, at its line, until it is replaced: a placeholder that passed
check, such as a real id picked as an example, could be merged by mistake), and every
optional field is shown commented out with its documentation. It has no statements: a
statement needs a quote that is really in its source, which only the editor can supply.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from briefing.check.load import KINDS
from briefing.check.validate import SLUG, suggest
from briefing.editing.schema import KIND_NAMES, modeline
from briefing.model.contract import KIND_FIELDS, PLACEHOLDER, Field
from briefing.model.errors import BriefingError

SOURCE_TEXT = "TODO: replace this line with the full text of the source, exactly as published.\n"


@dataclass(frozen=True)
class Scaffold:
    """What `new` wrote: files created, fields to fill in, optional fields left commented."""

    created: tuple[str, ...]
    fill_in: tuple[str, ...]
    optional: tuple[str, ...]


def folder_of(kind: str) -> str:
    """'actor' or 'actors' -> 'actors'; an unknown kind is an error."""
    for folder, name in KIND_NAMES.items():
        if kind in (folder, name):
            return folder
    names = KIND_NAMES.values()
    raise BriefingError(
        f"unknown kind '{kind}'; use one of: {', '.join(names)}{suggest(kind, names)}"
    )


def _check_new_id(content: Path, sheet_id: str) -> None:
    if not SLUG.fullmatch(sheet_id):
        raise BriefingError(
            f"'{sheet_id}' is not a valid id: use lowercase letters, digits and single "
            "hyphens, like 'north-korea'"
        )
    for suffix in (".yaml", ".yml"):
        for path in sorted(content.glob(f"*/{sheet_id}{suffix}")):
            shown = Path("content", path.relative_to(content)).as_posix()
            raise BriefingError(
                f"id '{sheet_id}' is already used by {shown}; ids are unique across all kinds"
            )


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _about(field: Field) -> str:
    """The field's documentation, with its choices if it has any."""
    choices = field.choices or (field.item.choices if field.item else ())
    return f"{field.doc} One of: {', '.join(choices)}." if choices else field.doc


def _commented(field: Field, indent: str, dash: str = "") -> list[str]:
    """An optional field as commented-out lines showing its shape and documentation."""
    head = f"# {indent}{dash}{field.name}:"
    inner = indent + " " * len(dash) + "  "
    if field.shape == "list" and field.item is not None and field.item.shape == "object":
        lines = [f"{head}  # {_about(field)}"]
        for n, sub in enumerate(field.item.fields):
            lines += _commented(sub, inner, "- " if n == 0 else "  ")
        return lines
    if field.shape == "object":
        lines = [f"{head}  # {_about(field)}"]
        for sub in field.fields:
            lines += _commented(sub, inner)
        return lines
    empty = " []" if field.shape == "list" else ""
    return [f"{head}{empty}  # {_about(field)}"]


class _Writer:
    """Writes the placeholder line of each required field of a new sheet."""

    def __init__(self, folder: str, sheet_id: str) -> None:
        self.folder, self.sheet_id = folder, sheet_id

    def value(self, field: Field) -> str:
        """The placeholder line for a required field."""
        todo = f"  # {_about(field)}"
        if field.name == "id":
            return f"id: {self.sheet_id}"
        if self.folder == "sources" and field.name == "text":
            return f"text: {self.sheet_id}.txt  # {field.doc}"
        if field.shape in ("title", "line", "quantity", "text"):
            what = field.doc.rstrip(".")
            return f"{field.name}: {_quote(f'{PLACEHOLDER}: {what}')}"
        if field.shape in ("choice", "date"):
            return f"{field.name}: {PLACEHOLDER}{todo}"
        if field.shape == "list" and field.item is not None:
            # A relation ties two different actors (validate.Reader.check_rules).
            count = 2 if (self.folder, field.name) == ("relations", "actors") else 1
            return f"{field.name}: [{', '.join([PLACEHOLDER] * count)}]{todo}"
        raise AssertionError(f"no placeholder for required {field.shape} '{field.name}'")


def scaffold_text(folder: str, sheet_id: str) -> tuple[str, Scaffold]:
    """The new sheet's text, and what the editor must fill in."""
    writer = _Writer(folder, sheet_id)
    kind = KIND_NAMES[folder]
    lines = [
        modeline(folder),
        f"# A new {kind}: replace every {PLACEHOLDER}, uncomment the fields you need,",
        "# then run `python build.py check` (it refuses any TODO left).",
    ]
    fill_in, optional = [], []
    for field in KIND_FIELDS[folder]:
        # An event's date is optional (a source may print none), but most sources print
        # one, so the scaffold asks for it; an editor deletes the line for an undated event.
        if field.required or (folder, field.name) == ("events", "date"):
            lines.append(writer.value(field))
            if field.name != "id":
                fill_in.append(field.name)
        else:
            if field.name == "statements":
                field = dataclasses.replace(field, doc=f"{field.doc} Each one:")
            lines += _commented(field, "")
            optional.append(field.name)
    path = f"content/{folder}/{sheet_id}.yaml"
    return "\n".join(lines) + "\n", Scaffold((path,), tuple(fill_in), tuple(optional))


def new_sheet(root: Path, kind: str, sheet_id: str) -> Scaffold:
    """Write content/<kinds>/<id>.yaml (and a source's text file); refuse a used id."""
    folder = folder_of(kind)
    assert folder in KINDS
    content = root / "content"
    _check_new_id(content, sheet_id)
    text, scaffold = scaffold_text(folder, sheet_id)
    path = root / scaffold.created[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    created = list(scaffold.created)
    if folder == "sources":
        archive = path.with_suffix(".txt")
        if not archive.exists():
            archive.write_text(SOURCE_TEXT, encoding="utf-8")
            created.append(archive.relative_to(root).as_posix())
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(scaffold, created=tuple(created))
