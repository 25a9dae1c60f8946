"""The content contract: every field of every kind, its shape and its documentation.

The validate stage reads sheets through these tables, the JSON Schema is generated from
them and the docs' field reference is checked against them, so they are the single place
where a field is defined.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from briefing.model import records

SheetKind = Literal["briefing", "actor", "relation", "event", "source"]
# The kinds of sheet in the order the site, the corpus and the PDFs list them.
SHEET_KINDS: tuple[SheetKind, ...] = ("briefing", "actor", "relation", "event", "source")


@dataclass(frozen=True)
class StatementKind:
    """One kind of statement: how the source presents a claim, and how pages label it."""

    name: str
    label: str
    meaning: str
    needs_attribution: bool = False


# The one registry of statement kinds; its order is the order pages and PDFs group them in.
# Every other table of kinds (choices, schema, labels, the legend) is derived from it.
KIND_REGISTRY: tuple[StatementKind, ...] = (
    StatementKind("reported", "Reported", "the source states it as fact"),
    StatementKind(
        "attributed",
        "Attributed",
        "the source attributes it to someone (attributed_to names them)",
        needs_attribution=True,
    ),
    StatementKind(
        "quote",
        "Quote",
        "a direct quotation (attributed_to names the speaker)",
        needs_attribution=True,
    ),
    StatementKind("assessment", "Assessment", "the author's analysis or judgment"),
    StatementKind("forecast", "Forecast", "a possibility, risk or conditional ('could', 'may')"),
)
KIND: dict[str, StatementKind] = {kind.name: kind for kind in KIND_REGISTRY}
STATEMENT_KINDS: tuple[str, ...] = tuple(KIND)
# Kinds whose statements must name who says them.
ATTRIBUTED_KINDS: tuple[str, ...] = tuple(k.name for k in KIND_REGISTRY if k.needs_attribution)
ACTOR_TYPES = ("state", "person", "organization", "group")
RELATION_TYPES = (
    "alignment",
    "arms-supply",
    "components-supply",
    "currency",
    "dependency",
    "diplomacy",
    "energy",
    "military-cooperation",
    "pressure",
    "rivalry",
    "sanctions",
    "trade",
    "troops",
)
# How far a relation holds, as its source puts it; a sheet that does not say is "actual".
RELATION_STATUSES = ("actual", "threatened", "possible", "ended")
DEFAULT_STATUS = "actual"
# ICD 203's scale of likelihood, least to most likely, and its levels of confidence: two
# separate judgments, never one field (briefing/check/estimative.py says when they may be used).
LIKELIHOODS = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
CONFIDENCES = ("low", "moderate", "high")
# Sheet ids that would collide with paths the site owns: 'index' would overwrite a section's
# index page; the others are names of the theme's, search's, sitemap's, 404 page's, PDFs' and
# a tags index's paths, kept free so a page never shadows them wherever sheets are placed.
RESERVED_IDS = ("404", "assets", "index", "pdf", "search", "sitemap", "tags")


@dataclass(frozen=True)
class Field:
    """One field of a sheet or of a nested object.

    shape is one of: title (one line, no markup), line (one line), text (may hold [[refs]]),
    quantity (a number or numeric range, see QUANTITY), slug, ref, date, url, choice, term
    (a slug the vocabulary sheet defines: a relation type, or an event type when targets is
    ("event",)), list, object.
    """

    name: str
    shape: str
    doc: str
    required: bool = False
    attr: str = ""
    choices: tuple[str, ...] = ()
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    record: type | None = None
    # For refs: the kinds a ref may name; "statement" means sheet-id#statement-id; () means any.
    targets: tuple[str, ...] = ()
    # For choices: keep where the value was written (a records.Text), for later rules' messages.
    located: bool = False

    @property
    def key(self) -> str:
        """The record attribute this field fills."""
        return self.attr or self.name


def listing(item: Field, name: str, doc: str, required: bool = False) -> Field:
    """A list field whose items are shaped like item."""
    return Field(name, "list", doc, required=required, item=item)


# A figure is a quantity: '240', '1,200', '2.5', '~30', '10-12', '10 to 12'. Words such as
# 'nearly all' or 'four' are not figures: the statement's text says them.
_NUMBER = r"[-+]?\d+(?:[.,]\d+)*"
QUANTITY = rf"(?:[~≈<>≤≥]\s*)?{_NUMBER}(?:\s*(?:-|–|—|to)\s*{_NUMBER})?"

FIGURE = Field(
    "figure",
    "object",
    "A number the quote gives.",
    record=records.Figure,
    fields=(
        Field(
            "value",
            "quantity",
            "The number as printed in digits, or a range, e.g. '240', '2.5', '10-12'.",
            True,
        ),
        Field("unit", "line", "Unit or currency, e.g. 'billion USD', 'percent'."),
        Field("what", "text", "What the number measures.", True),
        Field("period", "line", "The period it covers, as the source gives it."),
    ),
)

STATEMENT = Field(
    "statement",
    "object",
    "One sourced claim.",
    record=records.Statement,
    fields=(
        Field("id", "slug", "Unique within the sheet; the anchor is sheet-id#statement-id.", True),
        Field("text", "text", "The claim in plain words; no more certain than the quote.", True),
        Field("kind", "choice", "How the source presents it.", True, choices=STATEMENT_KINDS),
        Field(
            "attributed_to",
            "text",
            "Who says it (words such as 'U.S. officials', or [[actor-id]]); "
            "required for attributed and quote.",
        ),
        Field("source", "ref", "The id of the source sheet.", True, targets=("source",)),
        Field("quote", "text", "A verbatim excerpt of the source that carries the claim.", True),
        listing(FIGURE, "figures", "Numbers the quote gives."),
        Field("as_of", "date", "When the claim held, ISO 8601 to the precision known."),
        Field(
            "likelihood",
            "choice",
            "ICD 203 likelihood, only where the quote itself gives one (likely, probably...).",
            choices=LIKELIHOODS,
            located=True,
        ),
        Field(
            "confidence",
            "choice",
            "ICD 203 confidence, only where the quote itself says how sure its speaker is.",
            choices=CONFIDENCES,
            located=True,
        ),
        Field("note", "text", "Editor's note, e.g. how a value was inferred."),
    ),
)

TAGS = listing(Field("tag", "title", "A tag."), "tags", "Tags for the tags index.")
STATEMENTS = listing(STATEMENT, "statements", "Sourced claims about this subject.")


def sheet_fields(title_key: str, *fields: Field) -> tuple[Field, ...]:
    """The fields every sheet has, around the kind's own."""
    return (
        Field("id", "slug", "Lowercase slug, equal to the file name without '.yaml'.", True),
        Field(title_key, "title", "Display name or title, as printed.", True, attr="title"),
        Field("summary", "text", "One or two sentences a reader sees first.", True),
        *fields,
        TAGS,
        Field("review_by", "date", "When editors should review the sheet again; check says so."),
        STATEMENTS,
    )


PUBLICATION = Field(
    "publication",
    "object",
    "What is known of the publication; leave unknown fields out, never guess.",
    record=records.Publication,
    fields=(
        Field("author", "title", "Author as printed."),
        Field("publisher", "title", "Publisher or outlet."),
        Field("date", "date", "Publication date to the precision known."),
        Field("url", "url", "Where it was published (https, http or mailto)."),
        Field(
            "mirror",
            "url",
            "Where the archived text was copied from, when not 'url' (an archive or mirror).",
        ),
    ),
)
EXCLUSION = Field(
    "exclusion",
    "object",
    "A passage of the source that carries no fact: 'quote', or a block 'from' ... 'to'.",
    record=records.Exclusion,
    fields=(
        Field("quote", "text", "The passage, verbatim; every occurrence is excluded."),
        Field(
            "from",
            "text",
            "A block's first words, verbatim (with 'to'): a header, footer or caption.",
            attr="start",
        ),
        Field("to", "text", "The block's last words, verbatim; the block ends there.", attr="end"),
        Field("reason", "line", "Why it carries no fact (rhetoric, transition...).", True),
    ),
)
SECTION = Field(
    "section",
    "object",
    "A section of a briefing.",
    record=records.Section,
    fields=(
        Field("title", "title", "Section heading.", True),
        Field("text", "text", "Optional prose; [[refs]] link to sheets and statements."),
        listing(
            Field("ref", "ref", "A sheet id or sheet-id#statement-id."),
            "refs",
            "Sheets and statements the section draws on.",
        ),
    ),
)
ACTOR_REF = Field("actor", "ref", "An actor id.", targets=("actor",))
RELATION_TYPE_REF = Field("type", "term", "A relation type of the vocabulary.")
# A term field names a relation type unless its targets say ("event",).
EVENT_TYPE_REF = Field(
    "type", "term", "What kind of event: an event type of the vocabulary.", targets=("event",)
)
EDGE = Field(
    "edge",
    "object",
    "Which two of the relation's actors carry one of its types.",
    record=records.Edge,
    fields=(
        Field(
            "from",
            "ref",
            "For a directed type: the actor it goes from.",
            attr="start",
            targets=("actor",),
        ),
        Field(
            "to",
            "ref",
            "For a directed type: the actor it goes to.",
            attr="end",
            targets=("actor",),
        ),
        listing(
            ACTOR_REF,
            "between",
            "For a type without direction (or one the source does not give): the two actors.",
        ),
        dataclasses.replace(RELATION_TYPE_REF, required=True),
    ),
)

KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    "sources": sheet_fields(
        "title",
        Field(
            "short_title",
            "title",
            "A short name pages give under each statement; else the title, shortened.",
        ),
        PUBLICATION,
        Field("text", "line", "File name of the archived text beside this sheet.", True),
        Field(
            "archive_note",
            "text",
            "What the archived text holds if not the whole source as published: which part, "
            "or that it was converted from a PDF.",
        ),
        listing(EXCLUSION, "excluded", "Sentences left out of coverage, each with a reason."),
    ),
    "actors": sheet_fields(
        "name",
        Field("type", "choice", "What kind of actor.", True, choices=ACTOR_TYPES),
        listing(Field("alias", "title", "An alias."), "aliases", "Other names the sources use."),
        listing(
            Field("alias", "title", "An editorial alias."),
            "editorial_aliases",
            "Common names the sources do not use, added by editors so search finds the actor.",
        ),
        Field("role", "text", "The actor's role in the material."),
        listing(Field("interest", "text", "An interest."), "interests", "What the actor wants."),
    ),
    "relations": sheet_fields(
        "title",
        listing(ACTOR_REF, "actors", "The actors it ties (two or more).", required=True),
        listing(RELATION_TYPE_REF, "types", "What kind of tie.", required=True),
        Field(
            "status",
            "choice",
            "How far it holds, as the source puts it; actual when left out.",
            choices=RELATION_STATUSES,
        ),
        listing(EDGE, "edges", "With three or more actors: which pairs carry which type."),
    ),
    "events": sheet_fields(
        "title",
        EVENT_TYPE_REF,
        Field("date", "date", "ISO 8601 to the precision the source prints; leave out if none."),
        Field("until", "date", "The end of a date range the source prints (with 'date')."),
        listing(
            Field("date", "date", "A date the source prints."),
            "dates",
            "Several dates the source prints (instead of 'date').",
        ),
        Field(
            "after",
            "ref",
            "The event this one follows, when the source orders it but prints no date.",
            targets=("event",),
        ),
        Field(
            "before",
            "ref",
            "The event this one precedes, when the source orders it but prints no date.",
            targets=("event",),
        ),
        Field(
            "date_inferred",
            "text",
            "Required when a date is not printed in the event's quotes: how it was inferred.",
        ),
        Field(
            "date_note",
            "text",
            "The older name of 'date_inferred', still read as it: how the date was inferred.",
        ),
        listing(ACTOR_REF, "actors", "Actors involved."),
    ),
    "briefings": sheet_fields(
        "title",
        Field("bluf", "text", "Bottom line up front.", True),
        listing(
            Field("judgment", "ref", "A statement: sheet-id#statement-id.", targets=("statement",)),
            "key_judgments",
            "Key judgments, by reference to statements.",
            required=True,
        ),
        listing(SECTION, "sections", "The briefing's sections."),
    ),
}

# The corpus-level settings sheet: one file, content/corpus.yaml, optional. Without it the
# site has no intro and leads with the first briefing.
SETTINGS_FILE = "corpus.yaml"
BRIEFING_REF = Field("briefing", "ref", "A briefing id.", targets=("briefing",))
SETTINGS_FIELDS: tuple[Field, ...] = (
    Field("title", "title", "The site's title, as the header and the browser tab show it."),
    Field("intro", "text", "The home page's opening paragraph; [[refs]] link to sheets."),
    Field("lead", "ref", "The briefing the home page leads with.", targets=("briefing",)),
    listing(
        BRIEFING_REF,
        "order",
        "Briefings in the order the home page lists them; those not listed follow by id.",
    ),
)

# What `briefing new` writes where the editor must supply a value; check refuses any value
# that still starts with it, so a scaffold cannot be merged unfilled.
PLACEHOLDER = "TODO"
