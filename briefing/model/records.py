"""Typed, frozen records: what the validate stage produces and every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from briefing.model.errors import Loc


@dataclass(frozen=True)
class Text:
    """Plain text that may hold [[id]] references; keeps where it was written."""

    value: str
    loc: Loc


@dataclass(frozen=True)
class Ref:
    """An id field naming another sheet ('russia') or a statement ('russia#drones')."""

    target: str
    loc: Loc
    # The kinds this field may name ("statement": sheet-id#statement-id); () for any.
    targets: tuple[str, ...] = ()

    @property
    def sheet_id(self) -> str:
        return self.target.partition("#")[0]

    @property
    def statement_id(self) -> str:
        return self.target.partition("#")[2]


@dataclass(frozen=True)
class PartialDate:
    """An ISO 8601 date to the precision known: '2022', '2024-10' or '2024-10-23'."""

    value: str
    loc: Loc

    @property
    def sort_key(self) -> tuple[int, int, int]:
        year, month, day = [*(int(p) for p in self.value.split("-")), 0, 0][:3]
        return year, month, day


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A number the source gives, with what it measures."""

    value: str
    unit: str | None
    what: Text
    period: str | None
    loc: Loc


@dataclass(frozen=True, kw_only=True)
class Statement:
    """One sourced claim: its kind, who says it, and the verbatim quote it rests on."""

    id: str
    text: Text
    kind: str
    attributed_to: Text | None
    source: Ref
    quote: Text
    figures: tuple[Figure, ...]
    as_of: PartialDate | None
    # ICD 203 terms (see contract.LIKELIHOODS and CONFIDENCES), located for check's messages.
    likelihood: Text | None = None
    confidence: Text | None = None
    note: Text | None
    loc: Loc


@dataclass(frozen=True, kw_only=True)
class Publication:
    """What is known of a source's publication; unknown fields stay None."""

    author: str | None
    publisher: str | None
    date: PartialDate | None
    url: str | None
    mirror: str | None = None
    loc: Loc


@dataclass(frozen=True, kw_only=True)
class Exclusion:
    """A passage of a source that carries no fact, left out of coverage for a reason: a
    quote (every occurrence), or a block from one passage through another."""

    quote: Text | None
    start: Text | None = None
    end: Text | None = None
    reason: str
    loc: Loc

    @property
    def passage(self) -> str:
        """The passage as a reader is shown it."""
        if self.quote is not None:
            return self.quote.value
        first, last = (t.value if t else "" for t in (self.start, self.end))
        return f"{first} … {last}"

    @property
    def texts(self) -> tuple[Text, ...]:
        """The quoted parts, each of which must occur in the source."""
        return tuple(t for t in (self.quote, self.start, self.end) if t is not None)


@dataclass(frozen=True, kw_only=True)
class Section:
    """A briefing section: a heading, optional prose, and the sheets or statements it draws on."""

    title: str
    text: Text | None
    refs: tuple[Ref, ...]
    loc: Loc


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """Fields every sheet has."""

    kind: ClassVar[str] = ""
    id: str
    title: str
    summary: Text
    tags: tuple[str, ...]
    statements: tuple[Statement, ...]
    review_by: PartialDate | None = None
    path: str
    loc: Loc


@dataclass(frozen=True, kw_only=True)
class Source(Sheet):
    """An article or report; its archived text lies beside the sheet."""

    kind: ClassVar[str] = "source"
    short_title: str | None = None
    publication: Publication | None
    text: str
    archive_note: Text | None = None
    excluded: tuple[Exclusion, ...]


@dataclass(frozen=True, kw_only=True)
class Actor(Sheet):
    """A state, person, organization or group."""

    kind: ClassVar[str] = "actor"
    type: str
    aliases: tuple[str, ...]
    editorial_aliases: tuple[str, ...] = ()
    role: Text | None
    interests: tuple[Text, ...]


@dataclass(frozen=True, kw_only=True)
class Edge:
    """One type of a relation between two of its actors: from -> to, or between two."""

    start: Ref | None
    end: Ref | None
    between: tuple[Ref, ...]
    type: str
    loc: Loc

    @property
    def directed(self) -> bool:
        """Whether the sheet gives a direction (from and to)."""
        return self.start is not None

    @property
    def pair(self) -> tuple[str, ...]:
        """The two actor ids, from first when directed."""
        if self.start is not None and self.end is not None:
            return self.start.target, self.end.target
        return tuple(ref.target for ref in self.between)


@dataclass(frozen=True, kw_only=True)
class Relation(Sheet):
    """A tie between two or more actors."""

    kind: ClassVar[str] = "relation"
    actors: tuple[Ref, ...]
    types: tuple[str, ...]
    status: str | None = None
    edges: tuple[Edge, ...] = ()

    @property
    def state(self) -> str:
        """The status, "actual" where the sheet does not give one."""
        return self.status or "actual"


@dataclass(frozen=True, kw_only=True)
class Event(Sheet):
    """Something that happened, dated as precisely as the source allows."""

    kind: ClassVar[str] = "event"
    # An event type of the vocabulary sheet, if the sheet gives one.
    type: str | None = None
    date: PartialDate | None
    until: PartialDate | None = None
    dates: tuple[PartialDate, ...] = ()
    after: Ref | None = None
    before: Ref | None = None
    # How a date the source does not print was inferred; pages show the date as inferred.
    date_inferred: Text | None = None
    date_note: Text | None
    actors: tuple[Ref, ...]

    @property
    def all_dates(self) -> tuple[PartialDate, ...]:
        """Every date the source gives the event (a range's start and end), earliest first."""
        given = [d for d in (self.date, self.until) if d is not None] + list(self.dates)
        return tuple(sorted(given, key=lambda d: d.sort_key))

    @property
    def first(self) -> PartialDate | None:
        """The earliest date the source gives it, or None (undated, or only ordered)."""
        return self.all_dates[0] if self.all_dates else None

    @property
    def inferred(self) -> Text | None:
        """How its date was inferred ('date_inferred', or the older 'date_note'), if it was."""
        return self.date_inferred or self.date_note

    @property
    def relative(self) -> Ref | None:
        """The event it is ordered against ('after' or 'before'), if any."""
        return self.after or self.before


@dataclass(frozen=True, kw_only=True)
class Briefing(Sheet):
    """A composed briefing: bottom line up front, key judgments by reference, sections."""

    kind: ClassVar[str] = "briefing"
    bluf: Text
    key_judgments: tuple[Ref, ...]
    sections: tuple[Section, ...]


SHEET_TYPES: dict[str, type[Sheet]] = {
    "sources": Source,
    "actors": Actor,
    "relations": Relation,
    "events": Event,
    "briefings": Briefing,
}

# Where a setting given by no file is (an immutable value, so shared as a default).
NOWHERE = Loc("")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The corpus's settings (content/corpus.yaml): site title, intro, lead briefing, order."""

    title: str | None = None
    intro: Text | None = None
    lead: Ref | None = None
    order: tuple[Ref, ...] = ()
    path: str = ""
    loc: Loc = NOWHERE


# No content/corpus.yaml: no title or intro, the first briefing leads, briefings by id.
DEFAULT_SETTINGS = Settings()
