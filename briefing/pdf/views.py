"""Print views: the records of a PDF, ready for templates/print/, and where PDFs are placed.

Anchors inside a PDF: a sheet shown in full is its id, a statement 'sheet--statement', and
structural ones start with '_' (ids are slugs, so '--' and a leading '_' never occur in
them and cannot collide). A link to what the document does not contain prints as plain
text: a PDF never links to a local path, which would differ between machines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefing.check.link import LINK, Corpus
from briefing.model import records
from briefing.present.links import SheetLink, date_label
from briefing.present.views import FigureView, StatementView

# A diagram function: the corpus and an actor or relation -> an SVG document, or None.
DiagramFn = Callable[[Corpus, records.Sheet], str | None]


class PrintLinker:
    """A Linker (briefing.present.links) to anchors inside one PDF; a target the document
    does not contain prints as plain text."""

    def __init__(self, corpus: Corpus, anchors: Mapping[str, str]) -> None:
        self.corpus = corpus
        self.anchors = anchors
        self.sources: list[str] = []  # source sheets linked to, in first-link order

    def href(self, target: str) -> str:
        """'#anchor' of a sheet or statement in this document, else ''."""
        sheet_id = target.partition("#")[0]
        if self.corpus.by_id[sheet_id].kind == "source" and sheet_id not in self.sources:
            self.sources.append(sheet_id)  # every source linked to is listed in the document
        anchor = self.anchors.get(target) or self.anchors.get(sheet_id)
        return f"#{anchor}" if anchor else ""

    def rich(self, text: records.Text | None) -> Markup:
        """Plain text with [[refs]] -> escaped HTML; links only to what the document holds."""
        if text is None:
            return Markup("")
        parts: list[str] = []
        position = 0
        for match in LINK.finditer(text.value):
            parts.append(escape(text.value[position : match.start()]))
            target, label = match.group(1).strip(), match.group(2)
            title = label.strip() if label else self.corpus.by_id[target.partition("#")[0]].title
            href = self.href(target)
            if href:
                parts.append(Markup('<a href="{}">{}</a>').format(href, title))
            else:
                parts.append(Markup('<span class="bf-ref">{}</span>').format(title))
            position = match.end()
        parts.append(escape(text.value[position:]))
        return Markup(" ".join("".join(parts).split()))


@dataclass(frozen=True)
class PrintStatement:
    """A statement in a PDF: its view, its note number, and its anchor if placed here."""

    view: StatementView
    note: int
    anchor: str | None
    call_anchor: str | None
    show_sheet: bool


@dataclass(frozen=True)
class Block:
    """A titled subsection of a chapter: optional prose, then statements or sheet links."""

    anchor: str
    title: str
    text: Markup | None
    items: tuple[PrintStatement | SheetLink, ...]
    boxed: bool = False
    contents_after: bool = False  # a long briefing's contents page follows this block


@dataclass(frozen=True)
class Fact:
    """A row of a chapter's facts: a name and its values, inline or as a list."""

    name: str
    values: tuple[Markup, ...]
    listed: bool = False


@dataclass(frozen=True)
class Chapter:
    """One sheet shown in full."""

    kind: str
    anchor: str
    title: str
    label: str
    summary: Markup
    facts: tuple[Fact, ...]
    diagram: Markup | None
    blocks: tuple[Block, ...]
    level: int
    page_break: bool
    headed: bool = True  # False: the document's opening already shows its title and summary


@dataclass(frozen=True)
class BookFigureRow:
    """A row of the book's figures table: the figure, where it is filed, the briefings that
    cite it (title and link to the chapter)."""

    figure: FigureView
    sheet_title: str
    cited_in: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Citation:
    """A source as a note cites it in full: title, author or publisher, date and address;
    what the source sheet does not state is said to be not stated."""

    title: str
    by: str
    date: str
    url: str

    @property
    def title_sentence(self) -> str:
        """The title ending as a sentence does (no '?.' after a question)."""
        return self.title if self.title.endswith((".", "?", "!")) else f"{self.title}."


NOT_STATED = "not stated"


def citation(source: records.Source) -> Citation:
    """The full citation of a source (never its id)."""
    pub = source.publication
    names = [n for n in ((pub.author, pub.publisher) if pub else ()) if n]
    date = pub.date if pub else None
    return Citation(
        title=source.title,
        by=", ".join(names) if names else f"author and publisher {NOT_STATED}",
        date=date_label(date) if date else f"date {NOT_STATED}",
        url=(pub.url if pub else None) or "",
    )


@dataclass(frozen=True)
class NoteView:
    number: int
    anchor: str
    call_anchor: str
    quote: str
    source_title: str
    source_href: str
    as_of: str
    note: Markup | None
    target: str  # the statement's 'sheet#statement' (for tests and tools; never printed)
    citation: Citation | None = None


@dataclass(frozen=True)
class Part:
    """A top-level division: chapters, the book's figures table or the notes."""

    anchor: str
    title: str | None
    chapters: tuple[Chapter, ...] = ()
    book_figures: tuple[BookFigureRow, ...] = ()
    citations: tuple[Citation, ...] = ()  # the book's list of the sources its briefings cite
    notes: tuple[NoteView, ...] = ()


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int


@dataclass(frozen=True)
class Document:
    """Everything one PDF prints, in order."""

    title: str
    label: str
    summary: Markup | None
    as_of: str  # ISO, '' when undated
    as_of_label: str  # as the site writes it: '23 October 2024' or 'undated'
    sources: tuple[str, ...]
    statement_count: int
    parts: tuple[Part, ...]
    toc: tuple[TocEntry, ...]
    book: bool
    compact: bool = False  # opens on the bottom line: no cover page, no contents page
    sources_note: str = ""  # printed instead of the list of sources (the book's cover)
