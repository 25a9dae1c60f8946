"""Bind PDFs into one with pikepdf (qpdf): the briefing book from its front part, the
briefings' own PDFs and its back part, each laid out once (briefing/pdf/book.py plans what
goes in). pypdf, in Python, took 0.56 s of CPU to bind the 226 pages of a 1,000-sheet
corpus's book, the longest path of a build after editing a statement a briefing cites;
qpdf takes about a third of that (docs/performance.md, fifth round).

WeasyPrint links inside a PDF go to named destinations ('_note-1'), which every briefing
has: bound together, the first briefing's '_note-1' would catch every chapter's link. So
each part's links are turned into explicit page destinations before it is bound, and named
destinations are dropped. Links between parts are written by the front and back parts as
'briefing-book:page/N' (page N of the book) or 'briefing-book:piece/N' (the first page of
the N-th PDF bound); WeasyPrint keeps them as URIs, and they become page links here.
The bytes are deterministic: the identifier is a hash of the file, dates come only from
SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.forked import stops_held

if TYPE_CHECKING:  # pikepdf is imported when a book is bound, not by every build
    from pikepdf import OutlineItem, Pdf

SCHEME = "briefing-book:"
# The binder, whose version shapes the bound book's bytes (its wheel carries its own qpdf).
BINDER = "pikepdf"


def binder() -> str:
    """The binder and its version, for the bound book's cache key."""
    from importlib import metadata

    try:
        return f"{BINDER}={metadata.version(BINDER)}"
    except metadata.PackageNotFoundError:
        return f"{BINDER}=absent"


def page_link(page: int) -> str:
    """The href, in a front or back part, of page (1-based) of the bound book."""
    return f"{SCHEME}page/{page}"


def piece_link(index: int) -> str:
    """The href, in a front or back part, of the first page of the index-th piece bound."""
    return f"{SCHEME}piece/{index}"


@dataclass(frozen=True)
class Piece:
    """One PDF bound into the book; title, when given, is its bookmark, over its own ones."""

    data: bytes
    title: str | None = None


def _load_pikepdf() -> None:
    """Import pikepdf with stops held (they land just after, as Python exceptions): a stop
    landing while its C extension sets up its types aborts the process ('Critical nanobind
    error'), and no clean-up runs. A timed stop test left a staging folder so."""
    with stops_held():
        import pikepdf  # noqa: F401


def page_count(data: bytes) -> int:
    """The number of pages of a PDF."""
    _load_pikepdf()
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def outline_pages(data: bytes) -> list[tuple[str, int]]:
    """The top-level bookmarks of a PDF and the page (1-based) each goes to."""
    _load_pikepdf()
    import pikepdf

    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
        with pdf.open_outline() as outline:
            for item in outline.root:
                page = _page_of(item.destination, pages)
                if page is not None:  # None: a bookmark to no page, which nothing can list
                    found.append((str(item.title), page))
    return found


def _page_of(destination: object, pages: dict[tuple[int, int], int]) -> int | None:
    """The page number (of pages: page object -> number) an explicit destination goes to."""
    import pikepdf

    if isinstance(destination, pikepdf.Array) and len(destination) > 0:
        target = destination[0]
        if isinstance(target, pikepdf.Dictionary) and target.is_indirect:
            return pages.get(target.objgen)
    return None


def _explicit(pdf: Pdf) -> None:
    """Point pdf's links to pages, not to named destinations, and drop the names (see the
    module docstring); a link to a name left unresolved goes nowhere, not somewhere else."""
    import pikepdf

    names = pdf.Root.get("/Names")
    if not isinstance(names, pikepdf.Dictionary) or "/Dests" not in names:
        return
    named = {}
    for key, value in pikepdf.NameTree(names.Dests).items():
        named[key] = value.get("/D") if isinstance(value, pikepdf.Dictionary) else value
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            name = annotation.get("/Dest")
            if isinstance(name, pikepdf.String):
                if str(name) in named:
                    annotation.Dest = named[str(name)]
                else:
                    del annotation["/Dest"]
    del names["/Dests"]


def _bookmarks(items: Sequence[OutlineItem], book: Pdf) -> list[OutlineItem]:
    """Copies, for book, of a bound piece's bookmarks (its pages are book's already)."""
    import pikepdf

    copied = []
    for item in items:
        copy = pikepdf.OutlineItem(str(item.title))
        destination = item.destination
        if isinstance(destination, pikepdf.Array) and len(destination) > 0:
            # The page, copied with the piece, is found again by the copy: not copied twice.
            copy.destination = pikepdf.Array(
                [book.copy_foreign(destination[0]), *list(destination)[1:]]
            )
        copy.children.extend(_bookmarks(item.children, book))
        copied.append(copy)
    return copied


def _link_pages(book: Pdf, firsts: Sequence[int]) -> None:
    """Turn the page_link and piece_link URIs of the front and back parts into page links
    (firsts: the first page, 0-based, of each piece)."""
    import pikepdf

    pages = book.pages
    for page in pages:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            action = annotation.get("/A")
            uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
            if not (isinstance(uri, pikepdf.String) and str(uri).startswith(SCHEME)):
                continue
            what, _, number = str(uri).removeprefix(SCHEME).partition("/")
            index = int(number) - 1 if what == "page" else firsts[int(number)]
            del annotation["/A"]
            annotation.Dest = pikepdf.Array([pages[index].obj, pikepdf.Name.Fit])


def pdf_date(date: str) -> str:
    """A W3C date-time ('2023-11-14T22:13:20Z') as a PDF date ('D:20231114221320Z')."""
    return "D:" + date.replace("-", "").replace("T", "").replace(":", "")


def bind(pieces: Sequence[Piece], title: str, date: str | None) -> bytes:
    """The pieces as one PDF, in order, with their bookmarks and working links."""
    _load_pikepdf()
    import pikepdf

    book = pikepdf.new()
    firsts = []
    bookmarks: list[pikepdf.OutlineItem] = []
    for piece in pieces:
        # Each piece is closed once copied: the book's copies of its streams read their data
        # from the piece's bytes, not from the piece, which holds every object qpdf parsed in
        # it. A Typst briefing has about 390 (246 of them its structure tree's), all parsed
        # with the object stream that holds them; 109 are copied. Binding 400 briefings took a
        # process from 80 to 506 MiB with every piece open until the book was written, and
        # to 320 MiB closed one by one; the book's bytes are the same.
        with pikepdf.open(io.BytesIO(piece.data)) as part:
            _explicit(part)
            firsts.append(len(book.pages))
            book.pages.extend(part.pages)
            with part.open_outline() as outline:
                own = _bookmarks(outline.root, book)
        if piece.title is None:
            bookmarks.extend(own)
            continue
        bookmark = pikepdf.OutlineItem(piece.title, firsts[-1])
        bookmark.children.extend(own)
        bookmarks.append(bookmark)
    _link_pages(book, firsts)
    with book.open_outline() as outline:
        outline.root.extend(bookmarks)
    book.docinfo["/Title"] = title
    if date is not None:
        book.docinfo["/CreationDate"] = book.docinfo["/ModDate"] = pdf_date(date)
    book.Root.Lang = pikepdf.String("en")
    book.Root.PageMode = pikepdf.Name.UseOutlines  # a reader opens it on its bookmarks
    out = io.BytesIO()
    # qpdf draws a random identifier unless told to make it from the file's bytes.
    book.save(out, deterministic_id=True)
    return out.getvalue()
