"""Bind PDFs into one with pypdf: the briefing book from its front part, the briefings' own
PDFs and its back part, each laid out once (briefing/pdf/book.py plans what goes in).

WeasyPrint links inside a PDF go to named destinations ('_note-1'), which every briefing
has: bound together, the first briefing's '_note-1' would catch every chapter's link. So
each part's links are turned into explicit page destinations before it is bound, and named
destinations are dropped. Links between parts are written by the front and back parts as
'briefing-book:page/N' (page N of the book) or 'briefing-book:piece/N' (the first page of
the N-th PDF bound); WeasyPrint keeps them as URIs, and they become page links here.
The bytes are deterministic: the identifier is a hash of the parts, dates come only from
SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pypdf is imported when a book is bound, not by every build (0.1 s)
    from pypdf import PdfReader, PdfWriter

SCHEME = "briefing-book:"


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


def outline_pages(data: bytes) -> list[tuple[str, int]]:
    """The top-level bookmarks of a PDF and the page (1-based) each goes to."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found = []
    for item in reader.outline:
        if isinstance(item, list):  # the bookmarks under the one before it
            continue
        page = reader.get_destination_page_number(item)
        if page is not None:  # None: a bookmark to no page, which nothing can list
            found.append((str(item.title), page + 1))
    return found


def _explicit(data: bytes) -> PdfReader:
    """A reader of data whose links go to pages, not named destinations (see the module)."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    named = reader.named_destinations
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            name = annotation.get("/Dest")
            if isinstance(name, str) and name in named:
                annotation[NameObject("/Dest")] = named[name].dest_array
    names = reader.root_object.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject) and "/Dests" in names:
        del names["/Dests"]  # a link to a name left unresolved is dropped, not misdirected
    # PdfReader caches the names it read; merging asks again, and must find none.
    reader._named_destinations_cache = {}
    return reader


def _link_pages(writer: PdfWriter, firsts: Sequence[int]) -> None:
    """Turn the page_link and piece_link URIs of the front and back parts into page links
    (firsts: the first page, 0-based, of each piece)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    pages = writer.pages
    for page in pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            action = annotation.get("/A")
            uri = action.get("/URI") if isinstance(action, DictionaryObject) else None
            if not (isinstance(uri, str) and uri.startswith(SCHEME)):
                continue
            what, _, number = uri.removeprefix(SCHEME).partition("/")
            index = int(number) - 1 if what == "page" else firsts[int(number)]
            del annotation["/A"]
            target = pages[index].indirect_reference
            annotation[NameObject("/Dest")] = ArrayObject([target, NameObject("/Fit")])


def pdf_date(date: str) -> str:
    """A W3C date-time ('2023-11-14T22:13:20Z') as a PDF date ('D:20231114221320Z')."""
    return "D:" + date.replace("-", "").replace("T", "").replace(":", "")


def bind(pieces: Sequence[Piece], title: str, date: str | None) -> bytes:
    """The pieces as one PDF, in order, with their bookmarks and working links."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter()
    digest = hashlib.sha256(title.encode("utf-8"))
    firsts = []
    for piece in pieces:
        digest.update(hashlib.sha256(piece.data).digest())
        firsts.append(len(writer.pages))
        writer.append(_explicit(piece.data), outline_item=piece.title, import_outline=True)
    _link_pages(writer, firsts)
    info = {"/Title": title}
    if date is not None:
        info["/CreationDate"] = info["/ModDate"] = pdf_date(date)
    writer.add_metadata(info)
    writer.root_object[NameObject("/Lang")] = TextStringObject("en")
    writer.page_mode = "/UseOutlines"  # a reader opens the book on its bookmarks
    # pypdf draws a random identifier; the book's is a hash of what it binds.
    identifier = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([identifier, identifier])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
