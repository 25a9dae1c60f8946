"""Page contexts: what each generated page shows, computed here so that templates only print.

One function per page kind. Each takes a SiteLinker placed at the page's path (so hrefs are
relative to it) and returns the context its template prints; helpers that only link take
any Linker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from briefing.check.verify import Checked
from briefing.data.annotations import page_blocks
from briefing.model import records
from briefing.model.contract import KIND, KIND_REGISTRY
from briefing.present import links, places, provenance, views
from briefing.present.diagram import overview, relation_diagram
from briefing.present.links import Linker, SiteLinker
from briefing.present.ties import graph
from briefing.web import parts, sources
from briefing.web.offline import ZIP_NAME as OFFLINE_ZIP
from briefing.web.search import TITLE_WEIGHT

# Page paths of the pages that are not one sheet or one section.
TIMELINE = "timeline.md"
FIGURES = "figures.md"
LEGEND = "legend.md"
TAGS = "tags.md"  # hand-written (docs/tags.md): Material's tags plugin fills it
# What the home page says of a publication field the source does not state.
NOT_STATED = "not stated"
# Above this many actors a diagram is too dense to read: the page says so instead.
DIAGRAM_MAX_ACTORS = 40
# Search ranks sheets above pages that merely mention their names (see docs/legend).
SEARCH_BOOST = {"actor": 3, "relation": 2, "event": 1.5, "briefing": 1, "source": 1}


@dataclass(frozen=True)
class Shared:
    """What pages need beyond the corpus and its indexes (see Corpus), computed once per build."""

    checked: Checked  # the linked corpus, with the source texts for coverage
    pdf_links: bool  # the build writes PDFs, so pages link to them
    # Sheet id -> the JSON-LD data block of its statements' annotations (data/annotations).
    jsonld: Mapping[str, Markup] = field(default_factory=dict)


def shared(checked: Checked, pdf_links: bool = False) -> Shared:
    """What every page builder is given besides its linker."""
    return Shared(checked=checked, pdf_links=pdf_links, jsonld=page_blocks(checked))


@dataclass(frozen=True)
class EntryPoint:
    """A way into the site from the home page."""

    title: str
    href: str
    count: str
    description: str


@dataclass(frozen=True)
class TimelineEntry:
    """An event on the timeline: its date as precise as known, and what happened."""

    anchor: str
    iso: str
    date: str
    precision: str
    # The year it is placed in ('Undated' for none): its own, or its relative's.
    period: str
    date_note: Markup | None
    event: links.SheetLink
    actors: tuple[links.SheetLink, ...]
    # The event type's label (content/vocabulary.yaml), if the sheet gives a type.
    type_label: str | None = None


@dataclass(frozen=True)
class FigureRow:
    """A number the sources give, with the statement that carries it."""

    figure: views.FigureView
    statement: views.StatementView


def precision(date: records.PartialDate | None) -> str:
    """'year', 'month' or 'day': how precisely a date is known ('none' for no date)."""
    return ("year", "month", "day")[date.value.count("-")] if date is not None else "none"


def timeline_entries(
    linker: Linker, events: tuple[records.Event, ...]
) -> tuple[TimelineEntry, ...]:
    """Every event in date order; a year or month sorts before the days within it."""
    corpus = linker.corpus
    return tuple(
        TimelineEntry(
            anchor=event.id,
            iso=event.first.value if event.first else "",
            date=links.sheet_label(event, corpus),
            precision=precision(event.first),
            period=(anchor.value[:4] if (anchor := corpus.anchor_date(event)) else "Undated"),
            date_note=linker.rich(event.inferred) if event.inferred else None,
            event=links.sheet_link(linker, event),
            actors=tuple(links.sheet_link(linker, corpus.by_id[r.target]) for r in event.actors),
            type_label=links.event_type_label(corpus, event),
        )
        for event in events
    )


def timeline_context(linker: Linker, data: Shared) -> dict[str, Any]:
    """The timeline: events grouped by year, in date order."""
    years: dict[str, list[TimelineEntry]] = {}
    for entry in timeline_entries(linker, linker.corpus.events):
        years.setdefault(entry.period, []).append(entry)
    return {"years": [(year, tuple(entries)) for year, entries in years.items()]}


def figure_rows(linker: Linker) -> tuple[FigureRow, ...]:
    """Every figure of every statement, in corpus order."""
    rows: list[FigureRow] = []
    for sheet in linker.corpus.sheets:
        for st in sheet.statements:
            if st.figures:
                view = views.statement_view(linker, sheet, st)
                rows.extend(FigureRow(figure, view) for figure in view.figures)
    return tuple(rows)


@dataclass(frozen=True)
class WhoseView:
    """A statement label and the words the filing line uses for whose analysis it is."""

    label: str
    phrase: str


def legend_context(linker: Linker) -> dict[str, Any]:
    """The statement kinds, in registry order, the kind the example statement shows, and the
    vocabulary's relation and event types."""
    whose = [WhoseView(k.label, views.WHOSE[k.name]) for k in KIND_REGISTRY]
    return {
        "kinds": KIND_REGISTRY,
        "example": KIND["attributed"],
        "whose": whose,
        # The relation types the vocabulary sheet defines (or the built-in ones), as labelled.
        "relation_types": linker.corpus.vocabulary.relation_types,
        "event_types": linker.corpus.vocabulary.event_types,
    }


def sheet_context(linker: SiteLinker, data: Shared, sheet: records.Sheet) -> dict[str, Any]:
    """What every sheet page shows, plus what its kind adds."""
    corpus = linker.corpus
    context: dict[str, Any] = {
        "sheet": sheet,
        "summary": linker.rich(sheet.summary),
        "statement_groups": views.grouped_statements(linker, sheet),
        "backlink_groups": views.backlink_groups(
            linker, sheet.id, skip_citations=isinstance(sheet, records.Source)
        ),
        "search_boost": SEARCH_BOOST[sheet.kind],
        "search_kind": links.KIND_NAMES[sheet.kind],
        "jsonld": data.jsonld.get(sheet.id),
        "search_weight": TITLE_WEIGHT[sheet.kind],
        "legend_href": linker.url(links.page_url(LEGEND)),
        # None for kinds without a PDF, and when the build writes no PDFs (serve, plain site).
        "pdf_href": places.pdf_href(linker.here, sheet) if data.pdf_links else None,
        # What the page shows is as of this date, from these sources (a source page is one).
        "provenance": None
        if isinstance(sheet, records.Source)
        else provenance.page_provenance(linker, sheet),
    }
    if isinstance(sheet, records.Actor):
        context["role"] = linker.rich(sheet.role) if sheet.role else None
        context["interests"] = [linker.rich(i) for i in sheet.interests]
        relations = corpus.involving("relation", sheet.id)
        context["relations"] = [links.sheet_link(linker, s) for s in relations]
        context["diagram"], context["undrawn"] = diagram(
            linker, sheet.id, [r.id for r in relations]
        )
        context["events"] = [links.sheet_link(linker, s) for s in corpus.events_of(sheet.id)]
    elif isinstance(sheet, records.Relation):
        context["types"] = links.type_labels(corpus, sheet)
        context["actors"] = [links.sheet_link(linker, corpus.by_id[r.target]) for r in sheet.actors]
        context["diagram"] = relation_diagram(
            corpus, only=[sheet.id], href=linker.href, ident=f"_diagram-{sheet.id}"
        )
    elif isinstance(sheet, records.Event):
        context["actors"] = [links.sheet_link(linker, corpus.by_id[r.target]) for r in sheet.actors]
        context["date"] = links.sheet_label(sheet, corpus)
        context["type_label"] = links.event_type_label(corpus, sheet)
        context["iso"] = sheet.first.value if sheet.first else ""
        context["precision"] = precision(sheet.first if not sheet.dates else None)
        context["date_note"] = linker.rich(sheet.inferred) if sheet.inferred else None
        ordered, at = corpus.events, corpus.event_at[sheet.id]
        context["previous"] = links.sheet_link(linker, ordered[at - 1]) if at > 0 else None
        context["next"] = (
            links.sheet_link(linker, ordered[at + 1]) if at + 1 < len(ordered) else None
        )
        context["timeline_href"] = linker.url(f"{links.page_url(TIMELINE)}#{sheet.id}")
    elif isinstance(sheet, records.Source):
        context["facts"] = parts.source_facts(linker, sheet)
        context["quotes"] = sources.cited_quotes(linker, data.checked, sheet)
        context["coverage"] = sources.coverage_view(data.checked, sheet)
        context["excluded"] = [(e.passage, e.reason) for e in sheet.excluded]
    elif isinstance(sheet, records.Briefing):
        context["bluf"] = linker.rich(sheet.bluf)
        context["key_judgments"] = views.referenced(linker, sheet.key_judgments)
        context["sections"] = parts.sections(linker, sheet)
        context["watch"] = parts.what_to_watch(linker, sheet)
    return context


def diagram(
    linker: Linker, center: str | None = None, only: list[str] | None = None
) -> tuple[Markup, int]:
    """A relationship diagram, or ('', number of actors) when there are too many to draw."""
    nodes, ties = graph(linker.corpus, center, only)
    if len(nodes) > DIAGRAM_MAX_ACTORS:
        return Markup(""), len(nodes)
    ident = f"_diagram-{center or 'all'}"
    svg = relation_diagram(
        linker.corpus, center, only=only, href=linker.href, ident=ident, drawn=(nodes, ties)
    )
    return svg, 0


def section_context(linker: SiteLinker, kind: str) -> dict[str, Any]:
    """A section index: its sheets (events by date, others by title); relations' diagram."""
    sheets = linker.corpus.of_kind(kind)
    if kind == "event":
        sheets = linker.corpus.events
    else:
        sheets = tuple(sorted(sheets, key=lambda s: (s.title.casefold(), s.id)))
    # Relations: a picture of every tie, or of the core and a table of every tie (see overview).
    drawn, ties, actors = (
        overview(linker.corpus, linker.href) if kind == "relation" else (Markup(""), (), 0)
    )
    return {
        "title": links.SECTION_TITLES[kind],
        "kind": kind,
        "items": [links.sheet_link(linker, s) for s in sheets],
        "diagram": drawn,
        "ties": ties,
        "actor_count": actors,
        "timeline_href": linker.url(links.page_url(TIMELINE)) if kind == "event" else "",
    }


def ordered_briefings(linker: Linker) -> list[records.Briefing]:
    """Briefings in the order content/corpus.yaml gives, then the others by id."""
    corpus = linker.corpus
    briefings = [b for b in corpus.of_kind("briefing") if isinstance(b, records.Briefing)]
    rank = {ref.target: n for n, ref in enumerate(corpus.settings.order)}
    return sorted(briefings, key=lambda b: rank.get(b.id, len(rank)))


def lead_briefing(linker: Linker) -> records.Briefing | None:
    """The briefing the home page leads with: corpus.yaml's lead, else the first in order."""
    briefings = ordered_briefings(linker)
    lead = linker.corpus.settings.lead
    chosen = (b for b in briefings if lead is not None and b.id == lead.target)
    return next(chosen, briefings[0] if briefings else None)


@dataclass(frozen=True)
class SourceLine:
    """A source as the home page lists it: link, date and publisher, or 'not stated'."""

    title: str
    href: str
    date: str
    publisher: str


def source_lines(linker: SiteLinker) -> list[SourceLine]:
    """Every source with what is known of its publication."""
    lines = []
    for source in linker.corpus.of_kind("source"):
        assert isinstance(source, records.Source)
        publication = source.publication
        date = publication.date.value if publication and publication.date else NOT_STATED
        publisher = publication.publisher if publication and publication.publisher else None
        lines.append(
            SourceLine(source.title, linker.href(source.id), date, publisher or NOT_STATED)
        )
    return lines


def home_context(linker: SiteLinker, data: Shared) -> dict[str, Any]:
    """The home page: the lead briefing's bottom line and key judgments, then ways in."""
    corpus = linker.corpus
    lead = lead_briefing(linker)
    count = {kind: len(corpus.of_kind(kind)) for kind in links.FOLDERS}
    figures = sum(len(st.figures) for s in corpus.sheets for st in s.statements)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'s' * (n != 1)}"

    def section(kind: str) -> str:
        return linker.url(f"{links.FOLDERS[kind]}/")

    entry_points = [
        EntryPoint(
            "Briefings",
            section("briefing"),
            plural(count["briefing"], "briefing"),
            "Bottom line first, key judgments by reference to sourced statements.",
        ),
        EntryPoint(
            "Actors",
            section("actor"),
            plural(count["actor"], "actor"),
            "States, people, organizations and groups: role, interests, what is said of them.",
        ),
        EntryPoint(
            "Relations",
            section("relation"),
            plural(count["relation"], "relation"),
            "Ties between actors, drawn as a diagram, with the statements behind them.",
        ),
        EntryPoint(
            "Timeline",
            linker.url(links.page_url(TIMELINE)),
            plural(count["event"], "event"),
            "Events in date order, each dated as precisely as the source allows.",
        ),
        EntryPoint(
            "Figures",
            linker.url(links.page_url(FIGURES)),
            plural(figures, "figure"),
            "Every number the sources give, with its statement and source.",
        ),
        EntryPoint(
            "Sources",
            section("source"),
            plural(count["source"], "source"),
            "The articles and reports, and every passage quoted from them.",
        ),
    ]
    return {
        "book_pdf_href": places.pdf_href(linker.here, None) if data.pdf_links else None,
        # The full build (the one with PDFs) also writes the offline copy (web/offline.py).
        "offline_href": OFFLINE_ZIP if data.pdf_links else None,
        "lead": lead,
        "lead_href": linker.href(lead.id) if lead else "",
        "bluf": linker.rich(lead.bluf) if lead else Markup(""),
        "key_judgments": views.referenced(linker, lead.key_judgments) if lead else (),
        "other_briefings": [
            links.sheet_link(linker, b)
            for b in ordered_briefings(linker)
            if lead is None or b.id != lead.id
        ],
        "intro": linker.rich(corpus.settings.intro) if corpus.settings.intro else None,
        "title": corpus.settings.title or "Briefing",
        "sources": source_lines(linker),
        "entry_points": entry_points,
        "tags_href": linker.url(links.page_url(TAGS)),
        "legend_href": linker.url(links.page_url(LEGEND)),
    }
