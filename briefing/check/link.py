"""Stage 3, link: index every id, resolve [[refs]] and id fields, collect backlinks.

Two passes: first every sheet id (and each sheet's statement ids) is indexed with its
location, then every reference is resolved against that index.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from types import MappingProxyType
from typing import Any, cast

from briefing.check.validate import REF, suggest
from briefing.model import chronology, records
from briefing.model.contract import RESERVED_IDS, SHEET_KINDS
from briefing.model.errors import Problem
from briefing.model.vocabulary import BUILT_IN_VOCABULARY, Vocabulary

# [[target]] or [[target|label]]; the target is checked against REF after matching.
LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")


@dataclass(frozen=True, order=True)
class Backlink:
    """A sheet (and statement, if any) that refers to another sheet."""

    sheet_id: str
    statement_id: str


@dataclass(frozen=True)
class Corpus:
    """The linked corpus: sheets in a stable order, an id index and backlinks."""

    sheets: tuple[records.Sheet, ...]
    by_id: MappingProxyType[str, records.Sheet]
    backlinks: MappingProxyType[str, tuple[Backlink, ...]]
    # (sheet id, referring sheet id, statement id) for each [[link]] in a statement's text,
    # so that a page can tell a statement that names it from one that only cites it.
    text_links: frozenset[tuple[str, str, str]] = frozenset()
    # content/corpus.yaml, its references resolved (the defaults if there is none).
    settings: records.Settings = records.DEFAULT_SETTINGS
    # content/vocabulary.yaml (the built-in relation types if there is none).
    vocabulary: Vocabulary = BUILT_IN_VOCABULARY
    # Event id -> where its first quote lies in its source's text (filled once the texts are
    # read, by with_source_places): the events' source order.
    source_places: MappingProxyType[str, chronology.SourcePlace] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )

    # Indexes built once on first use, so that pages do not rescan the corpus (which made
    # rendering quadratic in the number of sheets). cached_property writes the instance
    # __dict__ directly, which a frozen dataclass allows.
    @cached_property
    def _by_kind(self) -> dict[str, tuple[records.Sheet, ...]]:
        grouped: dict[str, list[records.Sheet]] = defaultdict(list)
        for sheet in self.sheets:
            grouped[sheet.kind].append(sheet)
        return {kind: tuple(sheets) for kind, sheets in grouped.items()}

    @cached_property
    def _involving(self) -> dict[tuple[str, str], tuple[records.Sheet, ...]]:
        found: dict[tuple[str, str], list[records.Sheet]] = defaultdict(list)
        for sheet in self.sheets:
            for actor_id in dict.fromkeys(r.target for r in getattr(sheet, "actors", ())):
                found[sheet.kind, actor_id].append(sheet)
        return {key: tuple(sheets) for key, sheets in found.items()}

    @cached_property
    def _citing(self) -> dict[str, tuple[tuple[records.Sheet, records.Statement], ...]]:
        found: dict[str, list[tuple[records.Sheet, records.Statement]]] = defaultdict(list)
        for sheet in self.sheets:
            for statement in sheet.statements:
                found[statement.source.target].append((sheet, statement))
        return {source_id: tuple(pairs) for source_id, pairs in found.items()}

    @cached_property
    def _statements(self) -> dict[str, records.Statement]:
        found: dict[str, records.Statement] = {}
        for sheet in self.sheets:
            for statement in sheet.statements:
                found.setdefault(f"{sheet.id}#{statement.id}", statement)
        return found

    @cached_property
    def events(self) -> tuple[records.Event, ...]:
        """Every event in order (see briefing.model.chronology): dates, relative order
        ('after'/'before'), then source order; a partial date ('2024') before its days."""
        found = [e for e in self.of_kind("event") if isinstance(e, records.Event)]
        places = self.source_places
        return chronology.ordered(found, lambda e: places.get(e.id, chronology.NOWHERE_IN_SOURCES))

    def anchor_date(self, event: records.Event) -> records.PartialDate | None:
        """The date an event is placed by: its own first date, or its relative's."""
        return chronology.anchor_date(event, self._events_by_id)

    @cached_property
    def _events_by_id(self) -> dict[str, records.Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def event_at(self) -> dict[str, int]:
        """Event id -> its position in self.events (for previous and next links)."""
        return {event.id: at for at, event in enumerate(self.events)}

    def events_of(self, actor_id: str) -> tuple[records.Event, ...]:
        """Events whose 'actors' name actor_id, in date order."""
        at = self.event_at
        found = [e for e in self.involving("event", actor_id) if isinstance(e, records.Event)]
        return tuple(sorted(found, key=lambda e: at[e.id]))

    def of_kind(self, kind: str) -> tuple[records.Sheet, ...]:
        """Sheets of one kind ('actor'), sorted by id."""
        return self._by_kind.get(kind, ())

    def involving(self, kind: str, actor_id: str) -> tuple[records.Sheet, ...]:
        """Sheets of one kind (relations, events) whose 'actors' name actor_id, in order."""
        return self._involving.get((kind, actor_id), ())

    def citing(self, source_id: str) -> tuple[tuple[records.Sheet, records.Statement], ...]:
        """Every (sheet, statement) whose statement cites source_id, in corpus order."""
        return self._citing.get(source_id, ())

    def statement(self, target: str) -> records.Statement:
        """The statement named by 'sheet-id#statement-id' (already resolved)."""
        return self._statements[target]


def iter_refs(value: Any, statement_id: str = "") -> Iterator[tuple[records.Ref, str]]:
    """Every reference in a record, as Ref, with the statement it sits in ('' for none).

    [[links]] inside Text values are returned as Refs located at their text.
    """
    found: list[tuple[records.Ref, str]] = []
    _collect_refs(value, statement_id, found)
    return iter(found)


def _collect_refs(value: Any, statement_id: str, found: list[tuple[records.Ref, str]]) -> None:
    """iter_refs' walk, appending to one list (nested generators cost a third of linking)."""
    kind = type(value)
    if kind is str or value is None:  # most fields: nothing to look into
        return
    if kind is records.Ref:
        found.append((value, statement_id))
    elif kind is records.Text:
        if "[[" in value.value:
            for match in LINK.finditer(value.value):
                ref = records.Ref(match.group(1).strip(), value.loc, ("[[",))
                found.append((ref, statement_id))
    elif kind is tuple:
        for item in value:
            _collect_refs(item, statement_id, found)
    else:
        if kind is records.Statement:
            statement_id = value.id
        for name in _field_names(cast(type, kind)):
            _collect_refs(getattr(value, name), statement_id, found)


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    """A record type's field names (none for other types), looked up once per type."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(field.name for field in dataclasses.fields(kind) if field.name != "loc")


def index(sheets: Iterable[records.Sheet]) -> tuple[dict[str, records.Sheet], list[Problem]]:
    """First pass: id -> sheet; duplicate ids are problems at the later file."""
    by_id: dict[str, records.Sheet] = {}
    problems = []
    for sheet in sorted(sheets, key=lambda s: s.path):
        first = by_id.get(sheet.id)
        if first is not None:
            problems.append(
                Problem(
                    sheet.loc,
                    f"duplicate id '{sheet.id}': also used by {first.path}; "
                    "ids are unique across all kinds",
                )
            )
            continue
        by_id[sheet.id] = sheet
    return by_id, problems


def unknown(ref: records.Ref, by_id: dict[str, records.Sheet]) -> str:
    """Why a reference names no sheet: a likely typo (did you mean), or a sheet not yet
    written, with the command that writes it (its kind inferred from the field)."""
    hint = suggest(ref.sheet_id, by_id)
    if hint:
        return f"unknown reference '{ref.sheet_id}'{hint}"
    if ref.sheet_id in RESERVED_IDS:
        return (
            f"unknown reference '{ref.sheet_id}': the id is reserved for the site's own "
            "pages and no sheet can have it; correct the id"
        )
    kinds = [k for k in ref.targets if k in SHEET_KINDS]
    kind = kinds[0] if len(kinds) == 1 else "KIND"
    command = f"`briefing new {kind} {ref.sheet_id}`"
    if kind == "KIND":
        command += f" (KIND: {', '.join(SHEET_KINDS)})"
    return (
        f"unknown reference '{ref.sheet_id}': no sheet has this id yet; "
        f"write it with {command}, or correct the id"
    )


def resolve(
    ref: records.Ref, by_id: dict[str, records.Sheet], unchecked: frozenset[str]
) -> str | None:
    """Why a reference does not resolve, or None if it does."""
    if ref.targets == ("[[",) and not REF.fullmatch(ref.target):
        return (
            f"'[[{ref.target}]]' is not a reference; write [[id]], [[id|label]] "
            "or [[id#statement-id]]"
        )
    sheet = by_id.get(ref.sheet_id)
    if sheet is None:
        if ref.sheet_id in unchecked:
            return None  # that sheet has its own problems already
        return unknown(ref, by_id)
    if ref.statement_id:
        ids = [s.id for s in sheet.statements]
        if ref.statement_id not in ids:
            return f"unknown statement '{ref.statement_id}' in '{sheet.id}'" + suggest(
                ref.statement_id, ids
            )
    kinds = [k for k in ref.targets if k not in ("[[", "statement")]
    if kinds and sheet.kind not in kinds:
        return f"'{ref.sheet_id}' is a {sheet.kind}, but this field names a {' or '.join(kinds)}"
    return None


def link(
    sheets: Iterable[records.Sheet],
    unchecked: Iterable[str] = (),
    settings: records.Settings | None = None,
    vocabulary: Vocabulary = BUILT_IN_VOCABULARY,
) -> tuple[Corpus, list[Problem]]:
    """Index, then resolve every reference (the settings' too); ids in unchecked are not
    reported as unknown. Relations' actors must be of the types their types allow."""
    by_id, problems = index(sheets)
    skip = frozenset(unchecked)
    settings = settings or records.DEFAULT_SETTINGS
    for ref, _ in iter_refs(settings):
        why = resolve(ref, by_id, skip)
        if why is not None:
            problems.append(Problem(ref.loc, why))
    # (sheet id, statement id) pairs, made Backlinks once sorted: tuples compare in C.
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    text_links: set[tuple[str, str, str]] = set()
    for sheet in by_id.values():
        for ref, statement_id in iter_refs(sheet):
            why = resolve(ref, by_id, skip)
            if why is not None:
                problems.append(Problem(ref.loc, why))
                continue
            target = ref.sheet_id
            if target != sheet.id and target in by_id:
                found[target].add((sheet.id, statement_id))
            if statement_id and ref.targets == ("[[",):
                text_links.add((target, sheet.id, statement_id))
    problems.extend(p for sheet in by_id.values() for p in actor_types(sheet, by_id, vocabulary))
    events = [s for s in by_id.values() if isinstance(s, records.Event)]
    events.sort(key=lambda e: e.path)
    problems.extend([*chronology.cycles(events), *chronology.contradictions(events)])
    order: dict[str, int] = {kind: n for n, kind in enumerate(SHEET_KINDS)}
    ordered = tuple(sorted(by_id.values(), key=lambda s: (order[s.kind], s.id)))
    backlinks = {
        target: tuple(Backlink(*pair) for pair in sorted(pairs))
        for target, pairs in sorted(found.items())
    }
    corpus = Corpus(
        ordered,
        MappingProxyType(by_id),
        MappingProxyType(backlinks),
        frozenset(text_links),
        settings,
        vocabulary,
    )
    return corpus, problems


def actor_types(
    sheet: records.Sheet,
    by_id: dict[str, records.Sheet],
    vocabulary: Vocabulary,
) -> Iterator[Problem]:
    """Problems where a relation ties (or an event involves) an actor of a type its
    relation (or event) type does not allow.

    With edges, each edge's two actors are held to the edge's type; without, every actor
    to every type of the relation.
    """
    if isinstance(sheet, records.Event) and sheet.type is not None:
        found = vocabulary.event.get(sheet.type)
        allowed = found.actor_types if found is not None else ()
        for ref in sheet.actors if allowed else ():
            actor = by_id.get(ref.target)
            if isinstance(actor, records.Actor) and actor.type not in allowed:
                yield Problem(
                    ref.loc,
                    f"'{ref.target}' is a {actor.type}, but event type '{sheet.type}' "
                    f"involves only {', '.join(allowed)} (content/vocabulary.yaml)",
                )
    if not isinstance(sheet, records.Relation):
        return
    pairs: list[tuple[str, tuple[records.Ref, ...]]] = (
        [
            (edge.type, (edge.start, edge.end) if edge.start and edge.end else edge.between)
            for edge in sheet.edges
        ]
        if sheet.edges
        else [(type_id, sheet.actors) for type_id in sheet.types]
    )
    for type_id, refs in pairs:
        term = vocabulary.relation.get(type_id)
        if term is None or not term.actor_types:
            continue
        for ref in refs:
            actor = by_id.get(ref.target)
            if isinstance(actor, records.Actor) and actor.type not in term.actor_types:
                yield Problem(
                    ref.loc,
                    f"'{ref.target}' is a {actor.type}, but relation type '{type_id}' "
                    f"ties only {', '.join(term.actor_types)} (content/vocabulary.yaml)",
                )
