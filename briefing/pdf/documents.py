"""Which PDFs show what: one per briefing, and the back part of the briefing book.

actor_document lays out one actor's profile; builds no longer write it (docs/pdf.md).

Each document is built once in reading order, so note numbers follow the text: a statement
gets a number where it first appears, and keeps it wherever it appears again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from briefing.check.link import Corpus
from briefing.model import records
from briefing.model.contract import STATEMENT_KINDS
from briefing.model.errors import TemplateProblem
from briefing.pdf.views import (
    Block,
    BookFigureRow,
    Chapter,
    DiagramFn,
    Document,
    Fact,
    NoteView,
    Part,
    PrintLinker,
    PrintStatement,
    TocEntry,
    citation,
)
from briefing.present import links, provenance, views
from briefing.present.links import SheetLink

# Kinds whose chapters start on a new page.
CHAPTER_PAGES = frozenset({"briefing", "actor"})
DOC_LABELS = {"briefing": "Briefing", "actor": "Actor profile"}
# A briefing of this many sections or more gets a contents page (after its first page).
LONG_BRIEFING_SECTIONS = 6
PART_TITLES = {
    "briefing": "Briefings",
    "actor": "Actor profiles",
    "relation": "Relations",
    "event": "Timeline",
    "source": "Sources",
}


@dataclass
class _Builder:
    """Builds one document's views in reading order, numbering notes as statements appear."""

    corpus: Corpus
    anchors: dict[str, str]
    diagram: DiagramFn | None
    linker: PrintLinker = field(init=False)
    notes: dict[str, int] = field(default_factory=dict)
    placed: set[str] = field(default_factory=set)
    dates: list[records.PartialDate] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.linker = PrintLinker(self.corpus, self.anchors)

    def statement(
        self, sheet: records.Sheet, st: records.Statement, show_sheet: bool
    ) -> PrintStatement:
        target = f"{sheet.id}#{st.id}"
        first = target not in self.notes
        if first:
            self.notes[target] = len(self.notes) + 1
            self.dates.extend(provenance.statement_dates(sheet, st))
        anchor = None
        home = (not show_sheet) or sheet.id not in self.anchors
        if target in self.anchors and home and target not in self.placed:
            self.placed.add(target)
            anchor = self.anchors[target]
        number = self.notes[target]
        view = views.statement_view(self.linker, sheet, st)
        if anchor is not None and show_sheet:
            view = dataclasses.replace(view, sheet_href="")  # it would link to itself
        return PrintStatement(
            view, number, anchor, f"_call-{number}" if first else None, show_sheet
        )

    def referenced(self, refs: Iterable[records.Ref]) -> tuple[PrintStatement | SheetLink, ...]:
        items: list[PrintStatement | SheetLink] = []
        for ref in refs:
            sheet = self.corpus.by_id[ref.sheet_id]
            if ref.statement_id:
                items.append(self.statement(sheet, self.corpus.statement(ref.target), True))
            else:
                if isinstance(sheet, records.Event):
                    self.dates.extend(sheet.all_dates)
                items.append(links.sheet_link(self.linker, sheet))
        return tuple(items)

    def links(self, sheets: Iterable[records.Sheet]) -> tuple[SheetLink, ...]:
        return tuple(links.sheet_link(self.linker, s) for s in sheets)

    def name(self, sheet_id: str) -> Markup:
        """A sheet's title, linked if the document holds it."""
        title = self.corpus.by_id[sheet_id].title
        if href := self.linker.href(sheet_id):
            return Markup('<a href="{}">{}</a>').format(href, title)
        return Markup('<span class="bf-ref">{}</span>').format(title)

    def facts(self, sheet: records.Sheet) -> list[Fact]:
        """The facts under a chapter title, by kind; rows without a value are left out."""
        rich = self.linker.rich

        def plain(value: str) -> Markup:
            return Markup(escape(value))

        rows: list[Fact] = []
        if isinstance(sheet, records.Actor):
            rows.append(Fact("Type", (plain(sheet.type),)))
            rows.append(Fact("Also called", tuple(plain(a) for a in sheet.aliases)))
            rows.append(Fact("Role", (rich(sheet.role),) if sheet.role else ()))
            rows.append(Fact("Interests", tuple(rich(i) for i in sheet.interests), True))
        elif isinstance(sheet, (records.Relation, records.Event)):
            if isinstance(sheet, records.Event):
                self.dates.extend(sheet.all_dates)
                note = Markup(" (inferred: {})").format(rich(sheet.inferred))
                when = (
                    sheet.date.value
                    if sheet.date is not None and sheet.until is None
                    else links.event_label(sheet, lambda i: self.corpus.by_id[i].title)
                )
                rows.append(Fact("Date", (plain(when) + (note if sheet.inferred else ""),)))
            else:
                rows.append(Fact("Type", tuple(map(plain, links.type_labels(self.corpus, sheet)))))
            rows.append(Fact("Actors", tuple(self.name(r.target) for r in sheet.actors)))
        elif isinstance(sheet, records.Source):
            publication = sheet.publication
            if publication is not None:
                rows.append(
                    Fact("Author", (plain(publication.author),) if publication.author else ())
                )
                publisher = publication.publisher
                rows.append(Fact("Publisher", (plain(publisher),) if publisher else ()))
                date = publication.date
                rows.append(Fact("Published", (plain(date.value),) if date else ()))
                url = publication.url
                link = Markup('<a href="{0}">{0}</a>').format(url) if url else None
                rows.append(Fact("Link", (link,) if link else ()))
            rows.append(Fact("Archived text", (plain(sheet.text),)))
        return [row for row in rows if row.values]

    def chapter(self, sheet: records.Sheet, level: int) -> Chapter:
        """A sheet in full: facts, kind-specific blocks, then its own statements."""
        facts = self.facts(sheet)
        blocks: list[Block] = []
        if isinstance(sheet, records.Briefing):
            bluf = self.linker.rich(sheet.bluf)
            blocks.append(Block(f"{sheet.id}--_bluf", "Bottom line up front", bluf, (), True))
            judgments = self.referenced(sheet.key_judgments)
            blocks.append(Block(f"{sheet.id}--_key-judgments", "Key judgments", None, judgments))
            for n, section in enumerate(sheet.sections, 1):
                text = self.linker.rich(section.text) if section.text else None
                items = self.referenced(section.refs)
                blocks.append(Block(f"{sheet.id}--_section-{n}", section.title, text, items))
            if watch := views.forecasts(self.corpus, sheet):  # as the page's What to watch
                items = tuple(self.statement(s, st, True) for s, st in watch)
                blocks.append(Block(f"{sheet.id}--_what-to-watch", "What to watch", None, items))
        if sheet.statements:
            items = tuple(
                self.statement(sheet, st, False)
                for group in _kind_order(sheet.statements)
                for st in group
            )
            blocks.append(Block(f"{sheet.id}--_statements", "Statements", None, items))
        if isinstance(sheet, records.Actor):
            relations = self.corpus.involving("relation", sheet.id)
            if relations:
                blocks.append(
                    Block(f"{sheet.id}--_relations", "Relations", None, self.links(relations))
                )
            events = self.corpus.events_of(sheet.id)
            if events:
                blocks.append(Block(f"{sheet.id}--_events", "Events", None, self.links(events)))
        diagram = None
        if self.diagram is not None and isinstance(sheet, (records.Actor, records.Relation)):
            diagram = _svg(self.diagram(self.corpus, sheet), sheet.id)
        label = links.sheet_label(sheet, self.corpus)
        return Chapter(
            kind=sheet.kind,
            anchor=self.anchors[sheet.id],
            title=sheet.title,
            label=f"{sheet.kind} · {label}" if label != sheet.kind else sheet.kind,
            summary=self.linker.rich(sheet.summary),
            facts=tuple(facts),
            diagram=diagram,
            blocks=tuple(blocks),
            level=level,
            page_break=sheet.kind in CHAPTER_PAGES,
        )

    def sources_part(self) -> Part | None:
        """Every source the document cites or links to, in the order first cited."""
        chapters: list[Chapter] = []
        done: set[str] = set()
        # Showing a source can link to another source: repeat until none is new.
        while pending := [s for s in self.linker.sources if s not in done]:
            for source_id in dict.fromkeys(pending):
                done.add(source_id)
                chapters.append(self.chapter(self.corpus.by_id[source_id], 2))
        return Part("_sources", PART_TITLES["source"], tuple(chapters)) if chapters else None

    def notes_part(self) -> Part | None:
        notes = []
        for target, number in self.notes.items():
            st = self.corpus.statement(target)
            source = self.corpus.by_id[st.source.target]
            assert isinstance(source, records.Source)
            notes.append(
                NoteView(
                    number=number,
                    anchor=f"_note-{number}",
                    call_anchor=f"_call-{number}",
                    quote=st.quote.value,
                    source_title=views.short_name(source),
                    source_href=self.linker.href(source.id),
                    as_of=st.as_of.value if st.as_of else "",
                    note=self.linker.rich(st.note) if st.note else None,
                    target=target,
                    citation=citation(source),
                )
            )
        return Part("_notes", "Notes", notes=tuple(notes)) if notes else None

    def finish(
        self,
        title: str,
        label: str,
        summary: Markup | None,
        parts: list[Part | None],
        toc: bool,
        book: bool = False,
        compact: bool = False,
    ) -> Document:
        """Add the sources and notes, date the document and list its contents."""
        body = [p for p in parts if p is not None]
        body = [*body, *(p for p in (self.sources_part(), self.notes_part()) if p)]
        newest = provenance.newest(self.dates)
        ids = {self.corpus.statement(t).source.target for t in self.notes}
        cited = sorted((self.corpus.by_id[i] for i in ids), key=lambda s: (s.title.lower(), s.id))
        return Document(
            title=title,
            label=label,
            summary=summary,
            as_of=newest.value if newest else "",
            as_of_label=provenance.as_of_label(newest),
            sources=tuple(s.title for s in cited),
            statement_count=len(self.notes),
            parts=tuple(body),
            toc=_toc(body) if toc else (),
            book=book,
            compact=compact,
        )


def _kind_order(statements: tuple[records.Statement, ...]) -> list[list[records.Statement]]:
    """Statements grouped by kind in the site's order (reported first)."""
    return [[s for s in statements if s.kind == kind] for kind in STATEMENT_KINDS]


def _svg(svg: str | None, sheet_id: str) -> Markup | None:
    """A diagram function's SVG, inlined so it stays vector; anything else is an error."""
    if svg is None:
        return None
    text = svg.strip()
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :].lstrip()
    if not text.startswith("<svg"):
        raise TemplateProblem(f"the diagram for '{sheet_id}' is not an SVG document")
    return Markup(text)


def _toc(parts: list[Part]) -> tuple[TocEntry, ...]:
    entries = []
    for part in parts:
        if part.title:
            entries.append(TocEntry(part.anchor, part.title, 1))
        for chapter in part.chapters:
            entries.append(TocEntry(chapter.anchor, chapter.title, chapter.level))
            if chapter.level == 1:
                entries.extend(TocEntry(b.anchor, b.title, 2) for b in chapter.blocks)
    return tuple(entries)


def _anchors(
    corpus: Corpus, shown: Iterable[records.Sheet], cited: Iterable[str] = ()
) -> dict[str, str]:
    """Anchors for sheets shown in full (and their statements), sources and cited statements."""
    anchors = {s.id: s.id for s in corpus.of_kind("source")}
    for sheet in shown:
        anchors[sheet.id] = sheet.id
        anchors.update({f"{sheet.id}#{st.id}": f"{sheet.id}--{st.id}" for st in sheet.statements})
    for target in cited:
        anchors.setdefault(target, target.replace("#", "--"))
    return anchors


def _cited(briefing: records.Briefing) -> list[str]:
    refs = [*briefing.key_judgments, *(r for s in briefing.sections for r in s.refs)]
    return [r.target for r in refs if r.statement_id]


def briefing_document(
    corpus: Corpus, briefing: records.Briefing, diagram: DiagramFn | None = None
) -> Document:
    """One briefing: bottom line, key judgments, sections, then sources and notes.

    Page 1 is what a reader needs first: title, as-of date, sources, the bottom line and the
    key judgments; no cover or contents page comes before them (bookmarks list the parts).
    """
    builder = _Builder(corpus, _anchors(corpus, [briefing], _cited(briefing)), diagram)
    chapter = dataclasses.replace(builder.chapter(briefing, 1), headed=False)
    long = len(briefing.sections) >= LONG_BRIEFING_SECTIONS
    if long:  # its contents page comes after page 1, which keeps the bottom line
        blocks = [
            dataclasses.replace(b, contents_after=n == 1) for n, b in enumerate(chapter.blocks)
        ]
        chapter = dataclasses.replace(chapter, blocks=tuple(blocks))
    main = Part("_briefing", None, (chapter,))
    summary = builder.linker.rich(briefing.summary)
    return builder.finish(
        briefing.title, DOC_LABELS["briefing"], summary, [main], toc=long, compact=True
    )


def actor_document(
    corpus: Corpus, actor: records.Actor, diagram: DiagramFn | None = None
) -> Document:
    """One actor: the profile, the relations and events that involve it, sources and notes."""
    relations = corpus.involving("relation", actor.id)
    events = corpus.events_of(actor.id)
    builder = _Builder(corpus, _anchors(corpus, [actor, *relations, *events]), diagram)
    parts: list[Part | None] = [Part("_profile", None, (builder.chapter(actor, 1),))]
    for kind, sheets in (("relation", relations), ("event", events)):
        chapters = tuple(builder.chapter(s, 2) for s in sheets)
        parts.append(Part(f"_{kind}s", PART_TITLES[kind], chapters) if chapters else None)
    summary = builder.linker.rich(actor.summary)
    return builder.finish(actor.title, DOC_LABELS["actor"], summary, parts, toc=False)


def back_document(corpus: Corpus, chapters: Sequence[tuple[str, Document]]) -> Document:
    """The book's back part: the figures its briefings show, then the sources they draw on.

    chapters are the briefings' own documents with the link to each chapter in the bound
    book. The back part is laid out once, on its own: the briefings themselves are bound
    in from their own PDFs (briefing.pdf.book), so nothing is laid out twice.
    """
    builder = _Builder(corpus, _anchors(corpus, []), None)
    cited_in: dict[str, list[tuple[str, str]]] = {}
    for href, document in chapters:
        for part in document.parts:
            # Sources in the order the briefings first draw on them.
            builder.linker.sources.extend(c.anchor for c in part.chapters if c.kind == "source")
            for note in part.notes:
                cited_in.setdefault(note.target, []).append((document.title, href))
    rows: list[BookFigureRow] = []
    for target, briefings in cited_in.items():
        sheet = corpus.by_id[target.partition("#")[0]]
        st = corpus.statement(target)
        figures = views.statement_view(builder.linker, sheet, st).figures
        rows.extend(BookFigureRow(f, sheet.title, tuple(briefings)) for f in figures)
    parts = [Part("_figures", "Figures", book_figures=tuple(rows))] if rows else []
    # One line a source, not a chapter each: the chapters already show what they cite.
    sources = [corpus.by_id[i] for i in dict.fromkeys(builder.linker.sources)]
    cited = tuple(citation(s) for s in sources if isinstance(s, records.Source))
    if cited:
        parts.append(Part("_sources", PART_TITLES["source"], citations=cited))
    title = corpus.settings.title or "Briefing book"
    return Document(title, "Briefing book", None, "", "", (), 0, tuple(parts), (), book=True)
