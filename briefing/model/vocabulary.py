"""The vocabulary of relation and event types: a corpus-level sheet, content/vocabulary.yaml.

Each type has a label pages show, a description, whether it has a direction (who supplies
whom) and the kinds of actor it may tie. Adding a type is a content change: the checker,
the JSON Schema and the pages read the sheet. A project without the sheet gets the types
every corpus had before the sheet existed, with the labels pages showed then; a sheet
without 'event_types' gets the built-in event types. An event type has no direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from briefing.model.contract import ACTOR_TYPES, RELATION_TYPES, Field, listing
from briefing.model.errors import Loc
from briefing.model.records import NOWHERE

VOCABULARY_FILE = "vocabulary.yaml"
YES_NO = ("yes", "no")


@dataclass(frozen=True, kw_only=True)
class RelationType:
    """One relation type: its id, label, description, direction and allowed actor types."""

    id: str
    label: str
    description: str
    directed: str | None
    actor_types: tuple[str, ...]
    loc: Loc

    @property
    def is_directed(self) -> bool:
        return self.directed == "yes"


@dataclass(frozen=True, kw_only=True)
class EventType:
    """One event type: its id, label, description and allowed actor types (no direction)."""

    id: str
    label: str
    description: str
    actor_types: tuple[str, ...]
    loc: Loc


# Generic kinds of event, for projects whose vocabulary sheet lists none.
_BUILT_IN_EVENTS = (
    ("meeting", "Leaders or officials meet or visit."),
    ("announcement", "A statement, disclosure or revelation is made public."),
    ("deployment", "Forces or equipment are sent somewhere."),
    ("attack", "An armed attack, strike or invasion."),
    ("sanctions", "Sanctions or other penalties are imposed."),
    ("agreement", "A treaty, deal or other agreement is signed or reached."),
    ("election", "An election or referendum is held."),
    ("other", "None of the above."),
)
BUILT_IN_EVENT_TYPES = tuple(
    EventType(id=i, label=i, description=d, actor_types=(), loc=NOWHERE)
    for i, d in _BUILT_IN_EVENTS
)


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    """The relation and event types a corpus may use, in the sheet's order."""

    relation_types: tuple[RelationType, ...]
    event_types: tuple[EventType, ...] = field(default=BUILT_IN_EVENT_TYPES)
    path: str = ""
    loc: Loc = NOWHERE
    # The types by id, made once: check reads them per edge and per relation.
    _relations: dict[str, RelationType] = field(init=False, repr=False, compare=False)
    _events: dict[str, EventType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_relations", {t.id: t for t in self.relation_types})
        object.__setattr__(self, "_events", {t.id: t for t in self.event_types})

    @property
    def relation(self) -> MappingProxyType[str, RelationType]:
        """Relation types by id."""
        return MappingProxyType(self._relations)

    def label(self, type_id: str) -> str:
        """The label pages show for a relation type (its id if the vocabulary lacks it)."""
        found = self.relation.get(type_id)
        return found.label if found is not None else type_id

    @property
    def event(self) -> MappingProxyType[str, EventType]:
        """Event types by id."""
        return MappingProxyType(self._events)

    def event_label(self, type_id: str) -> str:
        """The label pages show for an event type (its id if the vocabulary lacks it)."""
        found = self.event.get(type_id)
        return found.label if found is not None else type_id


RELATION_TYPE = Field(
    "relation_type",
    "object",
    "One relation type.",
    record=RelationType,
    fields=(
        Field("id", "slug", "The id relations list in 'types' and 'edges'.", True),
        Field("label", "title", "What pages and diagrams call it.", True),
        Field("description", "line", "What the type means, for editors and readers.", True),
        Field(
            "directed",
            "choice",
            "'yes' if it goes one way (who supplies whom): edges then say 'from' and 'to'.",
            choices=YES_NO,
        ),
        listing(
            Field("actor_type", "choice", "An actor type.", choices=ACTOR_TYPES),
            "actor_types",
            "The actor types it may tie; none listed means any.",
        ),
    ),
)
EVENT_TYPE = Field(
    "event_type",
    "object",
    "One event type; it has no direction.",
    record=EventType,
    fields=(
        Field("id", "slug", "The id an event gives as its 'type'.", True),
        Field("label", "title", "What pages call it.", True),
        Field("description", "line", "What the type means, for editors and readers.", True),
        listing(
            Field("actor_type", "choice", "An actor type.", choices=ACTOR_TYPES),
            "actor_types",
            "The actor types its events may involve; none listed means any.",
        ),
    ),
)
VOCABULARY_FIELDS: tuple[Field, ...] = (
    listing(RELATION_TYPE, "relation_types", "The relation types relations may use.", True),
    listing(
        EVENT_TYPE,
        "event_types",
        "The event types events may give as 'type'; left out, the built-in ones.",
    ),
)

# The types (and labels) of projects made before the vocabulary sheet existed.
_BUILT_IN = (
    ("alignment", "Sharing aims or a stance against a common rival.", "no"),
    ("arms-supply", "One side supplies weapons or munitions to the other.", "yes"),
    ("components-supply", "One side supplies parts or dual-use components.", "yes"),
    ("currency", "Trade settled in, or reliance on, a currency.", "no"),
    ("dependency", "One side depends on the other.", "yes"),
    ("diplomacy", "Diplomatic ties, visits and statements.", "no"),
    ("energy", "Oil, gas or other energy trade.", "no"),
    ("military-cooperation", "Cooperation between armed forces or arms industries.", "no"),
    ("pressure", "One side presses the other to act or to stop.", "yes"),
    ("rivalry", "Competition or hostility.", "no"),
    ("sanctions", "One side imposes sanctions on the other.", "yes"),
    ("trade", "Trade and investment.", "no"),
    ("troops", "One side sends troops to the other.", "yes"),
)
BUILT_IN_VOCABULARY = Vocabulary(
    relation_types=tuple(
        RelationType(
            id=type_id,
            label=type_id.replace("-", " "),
            description=description,
            directed=directed,
            actor_types=(),
            loc=NOWHERE,
        )
        for type_id, description, directed in _BUILT_IN
    ),
    event_types=BUILT_IN_EVENT_TYPES,
)
assert tuple(t.id for t in BUILT_IN_VOCABULARY.relation_types) == RELATION_TYPES
