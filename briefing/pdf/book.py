"""The briefing book, bound from the briefings' own PDFs so no briefing is laid out twice.

Order: a front part (cover and contents), each briefing's PDF as written for its own file
(the same bytes, from the cache when there), then a back part (the figures the briefings
show and the sources they draw on). Only the front and back parts are laid out for the
book. The contents gives each chapter's first page in the book, so it depends on how many
pages the front part itself takes: it is laid out for a guessed count, and again only if
the count came out otherwise.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2

from briefing.check.link import Corpus
from briefing.model.contract import KIND_REGISTRY
from briefing.model.errors import PdfBuildError
from briefing.pdf import bind, documents
from briefing.pdf.cache import PdfCache
from briefing.pdf.documents import PART_TITLES
from briefing.pdf.views import Document, PrintLinker
from briefing.present import places
from briefing.present.jinja import render_template

FRONT = f"{places.BOOK} (front part)"
BACK = f"{places.BOOK} (back part)"
# Contents entries that fit on a page, for the first guess of the front part's length.
ENTRIES_PER_PAGE = 38
# A cover lists its sources by title up to this many; more took pages of the front part.
COVER_SOURCES = 12
# A count that changes after this many layouts would not settle (it never has).
MAX_FRONT_LAYOUTS = 4


@dataclass(frozen=True)
class ContentsEntry:
    """A line of the book's contents: a title, its first page in the book, where it links."""

    title: str
    page: int
    href: str


@dataclass(frozen=True)
class BoundChapter:
    """A briefing as bound into the book: its document, its PDF and page count."""

    document: Document
    data: bytes
    pages: int


def front_document(corpus: Corpus, chapters: Sequence[Document]) -> Document:
    """The book's cover: the corpus's title and intro, as of, statements and sources."""
    title = corpus.settings.title or "Briefing book"
    intro = corpus.settings.intro
    newest = max(chapters, key=lambda d: d.as_of, default=None)
    targets = {n.target for d in chapters for p in d.parts for n in p.notes}
    sources = sorted({s for d in chapters for s in d.sources}, key=lambda s: (s.lower(), s))
    return Document(
        title=title,
        label="Briefing book",
        summary=PrintLinker(corpus, {}).rich(intro) if intro else None,  # refs as plain text
        as_of=newest.as_of if newest else "",
        as_of_label=newest.as_of_label if newest else "undated",
        sources=tuple(sources),
        statement_count=len(targets),
        parts=(),
        toc=(),
        book=True,
    )


def _sources_noted(cover: Document, entries: Sequence[ContentsEntry]) -> Document:
    """The cover, whose long list of sources is left to the back part (it took pages)."""
    at = next((e.page for e in entries if e.title == PART_TITLES["source"]), None)
    if len(cover.sources) <= COVER_SOURCES or at is None:
        return cover
    note = f"{len(cover.sources)}, listed under Sources at the back of the book (page {at})"
    return dataclasses.replace(cover, sources=(), sources_note=note)


def back_html(
    env: jinja2.Environment, corpus: Corpus, chapters: Sequence[Document], date: str | None
) -> str | None:
    """The back part's HTML, or None when the briefings show no figure and cite no source."""
    # Piece 0 is the front part: chapter i is piece i + 1.
    linked = [(bind.piece_link(i), d) for i, d in enumerate(chapters, 1)]
    document = documents.back_document(corpus, linked)
    if not document.parts:
        return None
    context = {"doc": document, "date": date, "kinds": KIND_REGISTRY}
    return render_template(env, "print/book-back.html.j2", context)


def contents(
    chapters: Sequence[BoundChapter], back: Sequence[tuple[str, int]], front_pages: int
) -> list[ContentsEntry]:
    """Each briefing, then each part of the back, with its first page in the book."""
    entries = []
    page = front_pages + 1
    for index, chapter in enumerate(chapters, 1):
        entries.append(ContentsEntry(chapter.document.title, page, bind.piece_link(index)))
        page += chapter.pages
    entries.extend(ContentsEntry(t, page + at - 1, bind.page_link(page + at - 1)) for t, at in back)
    return entries


def bind_book(
    env: jinja2.Environment,
    corpus: Corpus,
    chapters: Sequence[BoundChapter],
    back: tuple[bytes, int] | None,
    lay_out: Callable[[str], tuple[bytes, int]],
    date: str | None,
    store: PdfCache | None = None,
) -> tuple[bytes, int]:
    """The bound book and its page count; lay_out lays out (or takes from the cache) the
    front part's HTML and returns its PDF and page count; store keeps the bound book."""
    cover = front_document(corpus, [c.document for c in chapters])
    back_parts = bind.outline_pages(back[0]) if back else []
    listed = len(chapters) + len(back_parts)
    front_pages = 1 + max(1, math.ceil(listed / ENTRIES_PER_PAGE))
    for _ in range(MAX_FRONT_LAYOUTS):
        entries = contents(chapters, back_parts, front_pages)
        context = {
            "doc": _sources_noted(cover, entries),
            "contents": entries,
            "date": date,
            "kinds": KIND_REGISTRY,
        }
        front, pages = lay_out(render_template(env, "print/book-front.html.j2", context))
        if pages == front_pages:
            break
        front_pages = pages
    else:
        raise PdfBuildError(f"pdf/{places.BOOK}: the contents did not settle on a page count")
    pieces = [bind.Piece(front)]
    pieces.extend(bind.Piece(c.data, c.document.title) for c in chapters)
    if back is not None:
        pieces.append(bind.Piece(back[0]))
    total = front_pages + sum(c.pages for c in chapters) + (back[1] if back else 0)
    # Binding takes about 4 ms a page: a build whose parts are all unchanged reuses the book.
    recipe = "\0".join(
        ["bound book 2", bind.binder(), cover.title, date or "", *map(_fingerprint, pieces)]
    )
    if store is not None and (hit := store.get(recipe)) is not None:
        return hit[0], total
    bound = bind.bind(pieces, cover.title, date)
    if store is not None:
        store.put(recipe, bound, total)
    return bound, total


def _fingerprint(piece: bind.Piece) -> str:
    return f"{hashlib.sha256(piece.data).hexdigest()} {piece.title or ''}"
