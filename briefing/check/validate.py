"""Stage 2, validate: located YAML trees -> typed, frozen records, with every problem collected."""

from __future__ import annotations

import datetime
import difflib
import html
import re
from collections.abc import Collection, Iterable
from typing import Any, cast
from urllib.parse import urlsplit

from briefing.check.dating import uninferred_dates
from briefing.check.estimative import unsupported_estimates
from briefing.check.fidelity import dropped_hedges, dropped_voice, unprinted_figures
from briefing.check.load import Document
from briefing.check.yamltree import Mapping, Node, Scalar, Sequence, describe
from briefing.model import records
from briefing.model.contract import (
    ATTRIBUTED_KINDS,
    KIND_FIELDS,
    PLACEHOLDER,
    QUANTITY,
    RESERVED_IDS,
    Field,
)
from briefing.model.errors import Loc, Problem
from briefing.model.vocabulary import BUILT_IN_VOCABULARY, VOCABULARY_FILE, Vocabulary

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REF = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:#[a-z0-9]+(?:-[a-z0-9]+)*)?")
# [0-9], not \d: \d also matches other scripts' digits ('٢٠٢٤'), which int() accepts.
DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
TEXT_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.txt")
URL_SCHEMES = ("https", "http", "mailto")
INVALID = object()
# Fields, by name with the record attribute each fills, and the same pairs in order.
_Layout = tuple[tuple[Field, ...], dict[str, tuple[Field, str]], tuple[tuple[Field, str], ...]]


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_date(value: str) -> str | None:
    """Why an ISO 8601 partial date is wrong, or None if it is right."""
    match = DATE.fullmatch(value)
    if not match:
        return "must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError as error:
        return f"is not a real date ({error})"
    return None


def check_url(value: str) -> str | None:
    """Why a URL is refused, or None."""
    if any(c.isspace() for c in value):
        return "must not contain spaces"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme.lower() not in URL_SCHEMES:
        return "must start with https:, http: or mailto:"
    if parts.scheme.lower() == "mailto":
        return None if re.fullmatch(r"[^@/]+@[^@/]+\.[^@/]+", parts.path) else "needs an address"
    return None if parts.hostname else "needs a host, like https://example.org/page"


def event_dates_problem(event: records.Event) -> str | None:
    """Why an event's date fields contradict each other, or None."""
    if event.date is not None and event.dates:
        return "an event has 'date' (one date or a range) or 'dates' (several), not both"
    if event.until is not None and event.date is None:
        return "'until' ends a range; give its start as 'date'"
    if event.until is not None and event.date is not None:
        start, end = event.date.sort_key, event.until.sort_key
        if end <= start and event.until.value != event.date.value[: len(event.until.value)]:
            return (
                f"'until' ({event.until.value}) must come after 'date' ({event.date.value}); "
                "swap them"
            )
    if event.after is not None and event.before is not None:
        return "an event is ordered 'after' one event or 'before' one, not both; keep one"
    return None


class Reader:
    """Reads nodes against fields, collecting problems instead of stopping at the first."""

    def __init__(self, vocabulary: Vocabulary = BUILT_IN_VOCABULARY) -> None:
        self.problems: list[Problem] = []
        # The types 'term' fields may name (content/vocabulary.yaml's, or built in).
        self.vocabulary = vocabulary
        self.terms: dict[str, Collection[str]] = {
            "relation": vocabulary.relation,
            "event": vocabulary.event,
        }
        # By id of a tuple of fields (kept, so the id stays its own): see _Layout. Field.key
        # is a property, and read_object asked it about 40 times per sheet.
        self._layouts: dict[int, _Layout] = {}

    def fail(self, loc: Loc, message: str) -> object:
        self.problems.append(Problem(loc, message))
        return INVALID

    def read(self, field: Field, node: Node) -> Any:
        """A node -> the field's value; INVALID after recording a problem; None if empty."""
        if field.shape == "list":
            return self.read_list(field, node)
        if field.shape == "object":
            if isinstance(node, Scalar) and not node.text.strip():
                return None  # 'publication:' left empty, like an empty list
            if not isinstance(node, Mapping):
                return self.fail(
                    node.loc, f"'{field.name}' must be a mapping, not {describe(node)}"
                )
            return self.read_object(field.fields, node, field.name, field.record)
        if not isinstance(node, Scalar):
            return self.fail(node.loc, f"'{field.name}' must be text, not {describe(node)}")
        value = node.text.strip()
        if not value:
            return None
        if value.startswith(PLACEHOLDER):
            return self.fail(
                node.loc,
                f"'{field.name}' is still the placeholder that `briefing new` wrote; "
                "replace it with the real value",
            )
        return self.read_scalar(field, value, node.loc)

    def read_scalar(self, field: Field, value: str, loc: Loc) -> Any:
        name = field.name
        if (
            field.shape
            in ("title", "line", "quantity", "slug", "term", "ref", "date", "url", "choice")
            and "\n" in value
        ):
            return self.fail(loc, f"'{name}' must be one line; join the lines")
        if field.shape == "title":
            # MkDocs prints titles unescaped in <title>, the header and the search index,
            # where browsers decode character references, even '&copy' without ';'.
            if "<" in value or ">" in value or html.unescape(value) != value:
                return self.fail(loc, f"'{name}' must not contain '<', '>' or HTML entities")
            return value
        if field.shape == "line":
            return value
        if field.shape == "quantity":
            if re.fullmatch(QUANTITY, value):
                return value
            return self.fail(
                loc,
                f"'{name}' must be a number or a numeric range such as '240' or '10-12' "
                f"(got '{value}'); a figure is a quantity: write this as the statement's text",
            )
        if field.shape == "text":
            return records.Text(value, loc)
        if field.shape in ("slug", "term") and not SLUG.fullmatch(value):
            return self.fail(
                loc,
                f"'{name}' must be a slug of lowercase letters, digits and single hyphens, "
                f"like 'north-korea' (got '{value}')",
            )
        what = "event" if field.targets == ("event",) else "relation"
        if field.shape == "term" and value not in self.terms[what]:
            terms = self.terms[what]
            return self.fail(
                loc,
                f"unknown {what} type '{value}'; content/{VOCABULARY_FILE} defines "
                f"{', '.join(terms)}" + suggest(value, terms),
            )
        if field.shape in ("slug", "term"):
            return value
        if field.shape == "ref":
            return self.read_ref(field, value, loc)
        if field.shape == "date":
            why = check_date(value)
            return (
                records.PartialDate(value, loc)
                if why is None
                else self.fail(loc, f"'{name}' {why} (got '{value}')")
            )
        if field.shape == "url":
            why = check_url(value)
            return value if why is None else self.fail(loc, f"'{name}' {why} (got '{value}')")
        if value not in field.choices:
            return self.fail(
                loc,
                f"'{name}' must be one of {', '.join(field.choices)} (got '{value}')"
                + suggest(value, field.choices),
            )
        return records.Text(value, loc) if field.located else value

    def read_ref(self, field: Field, value: str, loc: Loc) -> Any:
        if not REF.fullmatch(value):
            return self.fail(
                loc,
                f"'{field.name}' must be an id like 'russia' or 'russia#statement-id' "
                f"(got '{value}')",
            )
        ref = records.Ref(value, loc, field.targets)
        if field.targets == ("statement",) and not ref.statement_id:
            return self.fail(loc, f"'{field.name}' must name a statement: sheet-id#statement-id")
        if field.targets and field.targets != ("statement",) and ref.statement_id:
            return self.fail(loc, f"'{field.name}' must name a sheet, without '#'")
        return ref

    def read_list(self, field: Field, node: Node) -> Any:
        assert field.item is not None
        if not isinstance(node, Sequence):
            if isinstance(node, Scalar) and not node.text.strip():
                return ()
            return self.fail(node.loc, f"'{field.name}' must be a list, not {describe(node)}")
        values = []
        for item in node.items:
            value = self.read(field.item, item)
            if value is None:
                self.fail(item.loc, f"empty item in '{field.name}'; remove it or fill it in")
            values.append(value)
        if any(v is INVALID or v is None for v in values):
            return INVALID
        return tuple(values)

    def read_object(
        self,
        fields: tuple[Field, ...],
        node: Mapping,
        what: str,
        record: type | None,
        **extra: Any,
    ) -> Any:
        """A mapping -> record(**fields, **extra, loc=...), or INVALID."""
        layout = self._layouts.get(id(fields))
        if layout is None or layout[0] is not fields:
            keyed = tuple((f, f.key) for f in fields)
            layout = self._layouts[id(fields)] = (fields, {f.name: (f, k) for f, k in keyed}, keyed)
        _, by_name, keyed = layout
        values: dict[str, Any] = {}
        for entry in node.entries:
            found = by_name.get(entry.key)
            if found is None:
                hint = suggest(entry.key, by_name) or f" (allowed: {', '.join(by_name)})"
                self.fail(entry.key_loc, f"unknown field '{entry.key}' in {what}{hint}")
                continue
            field, key = found
            value = self.read(field, entry.value)
            if value is None and field.required:
                value = self.fail(entry.value.loc, f"'{field.name}' is empty; fill it in")
            values[key] = value
        for field, key in keyed:
            if key not in values:
                if field.required:
                    values[key] = self.fail(
                        node.loc,
                        f"missing required field '{field.name}' in {what}; add '{field.name}: ...'",
                    )
                else:
                    values[key] = () if field.shape == "list" else None
            elif field.shape == "list" and field.required and values[key] == ():
                values[key] = self.fail(node.loc, f"'{field.name}' must list at least one item")
        if any(v is INVALID for v in values.values()) or record is None:
            return INVALID
        result = record(**values, **extra, loc=node.loc)
        return self.check_rules(result)

    def check_rules(self, record: Any) -> Any:
        """Rules that tie fields together, beyond each field's own shape."""
        is_statement = isinstance(record, records.Statement)
        if is_statement:
            # Fidelity: hedges, voices, figures and estimates of the quote survive (fidelity.py).
            found = [dropped_hedges(record), dropped_voice(record)]
            self.problems.extend(p for p in found if p is not None)
            self.problems.extend(unprinted_figures(record))
            self.problems.extend(unsupported_estimates(record))
        if is_statement and record.kind in ATTRIBUTED_KINDS and record.attributed_to is None:
            return self.fail(
                record.loc,
                f"statement '{record.id}' is kind '{record.kind}' but has no "
                "'attributed_to'; say who the source attributes it to",
            )
        if isinstance(record, records.Sheet):
            seen: dict[str, Loc] = {}
            for statement in record.statements:
                if statement.id in seen:
                    first = seen[statement.id]
                    self.fail(
                        statement.loc,
                        f"duplicate statement id '{statement.id}' "
                        f"(first at line {first.line}); statement ids are unique in a sheet",
                    )
                seen.setdefault(statement.id, statement.loc)
        if isinstance(record, records.Relation):
            targets = [ref.target for ref in record.actors]
            if len(set(targets)) < 2:
                self.fail(record.loc, "a relation ties at least two different actors in 'actors'")
            for edge in record.edges:
                self.check_edge(edge, targets, record.types)
        if isinstance(record, records.Edge):
            return self.check_edge_form(record)
        if isinstance(record, records.Exclusion) and (
            (record.quote is None) == (record.start is None and record.end is None)
            or (record.quote is None and (record.start is None or record.end is None))
        ):
            return self.fail(
                record.loc,
                "an exclusion has either 'quote' (a passage) or both 'from' and 'to' "
                "(a block, from its first words through its last), not both or neither",
            )
        if isinstance(record, records.Event) and (why := event_dates_problem(record)):
            return self.fail(record.loc, why)
        if isinstance(record, records.Event):
            self.problems.extend(uninferred_dates(record))
        if isinstance(record, records.Source) and not TEXT_FILE.fullmatch(record.text):
            return self.fail(
                record.loc,
                f"'text' must be the name of a .txt file beside the sheet, "
                f"without folders (got '{record.text}')",
            )
        return record

    def check_edge_form(self, edge: records.Edge) -> Any:
        """An edge says 'from' and 'to', or 'between' two actors, not both."""
        if (edge.start is None) != (edge.end is None):
            return self.fail(edge.loc, "an edge with 'from' needs 'to', and one with 'to' 'from'")
        if edge.start is not None and edge.between:
            return self.fail(edge.loc, "an edge says 'from' and 'to', or 'between', not both")
        if edge.start is None and len(edge.between) != 2:
            return self.fail(
                edge.loc, "an edge names two actors: 'from' and 'to', or 'between: [a, b]'"
            )
        if len(set(edge.pair)) != 2:
            return self.fail(edge.loc, "an edge ties two different actors")
        if edge.directed and not self.vocabulary.relation[edge.type].is_directed:
            return self.fail(
                edge.loc,
                f"relation type '{edge.type}' has no direction; "
                "name the two actors with 'between: [a, b]' instead of 'from' and 'to'",
            )
        return edge

    def check_edge(self, edge: records.Edge, actors: list[str], types: tuple[str, ...]) -> None:
        """An edge's actors are the relation's, and its type one of the relation's types."""
        refs = [edge.start, edge.end] if edge.start is not None else list(edge.between)
        for ref in refs:
            if ref is not None and ref.target not in actors:
                self.fail(
                    ref.loc,
                    f"'{ref.target}' is not one of this relation's actors "
                    f"({', '.join(actors)})" + suggest(ref.target, actors),
                )
        if edge.type not in types:
            self.fail(
                edge.loc,
                f"edge type '{edge.type}' is not in this relation's 'types' "
                f"({', '.join(types)}); add it there or choose one of them",
            )


def validate_document(reader: Reader, document: Document) -> records.Sheet | None:
    """One loaded sheet -> its record, or None if it has problems."""
    fields = KIND_FIELDS[document.kind]
    kind_name = records.SHEET_TYPES[document.kind].kind
    sheet = reader.read_object(
        fields, document.root, kind_name, records.SHEET_TYPES[document.kind], path=document.path
    )
    if sheet is INVALID:
        return None
    id_loc = next(e.value.loc for e in document.root.entries if e.key == "id")
    if sheet.id in RESERVED_IDS:
        reader.fail(
            id_loc,
            f"id '{sheet.id}' is reserved for the site's own pages "
            f"({', '.join(RESERVED_IDS)}); choose another id",
        )
        return None
    if sheet.id != document.stem:
        reader.fail(
            id_loc,
            f"id '{sheet.id}' does not match the file name '{document.stem}.yaml'; "
            "rename the file or change the id",
        )
        return None
    return cast(records.Sheet, sheet)


def validate(
    documents: Iterable[Document], vocabulary: Vocabulary = BUILT_IN_VOCABULARY
) -> tuple[list[records.Sheet], list[Problem]]:
    """Every loaded document -> records; the problems of all of them."""
    reader = Reader(vocabulary)
    sheets = [s for d in documents if (s := validate_document(reader, d)) is not None]
    return sheets, reader.problems
