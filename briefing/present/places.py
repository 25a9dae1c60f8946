"""Where PDFs are placed under pdf/, and the href from a site page to one."""

from __future__ import annotations

import posixpath

from briefing.model import records

PDF_DIR = "pdf"
# The page sizes a PDF is printed on (`--paper`), as CSS's @page size names them.
PAPERS = {"a4": "A4", "letter": "letter"}
BOOK = "briefing-book.pdf"
# The engines that lay out the print HTML (`--print-engine`; docs/pdf.md compares them).
# Typst by default: it lays a briefing out three times faster (docs/performance.md).
PRINT_ENGINES = ("weasyprint", "typst")
DEFAULT_PRINT_ENGINE = "typst"
# The kinds that get a PDF of their own, and the folder it goes to under pdf/. Actors have
# none: their pages print from the browser (docs/pdf.md says why).
OWN_PDF = {"briefing": "briefings"}


def pdf_path(sheet: records.Sheet | None) -> str | None:
    """Where a sheet's PDF goes under pdf/ ('briefings/outlook.pdf'); the book for None."""
    if sheet is None:
        return BOOK
    folder = OWN_PDF.get(sheet.kind)
    return f"{folder}/{sheet.id}.pdf" if folder else None


def pdf_href(here: str, sheet: records.Sheet | None) -> str | None:
    """The href from a site page URL ('briefings/x/') to a sheet's PDF (the book for None);
    None for a sheet without a PDF."""
    path = pdf_path(sheet)
    if path is None:
        return None
    return posixpath.relpath(f"{PDF_DIR}/{path}", here.rstrip("/") or ".")


def archive_path(source: records.Source) -> str:
    """Where a source's archived text is published, site-relative ('sources/<id>.txt')."""
    return f"sources/{source.id}.txt"


def archive_href(here: str, source: records.Source) -> str:
    """The href from a site page URL ('sources/x/') to a source's published archived text."""
    return posixpath.relpath(archive_path(source), here.rstrip("/") or ".")
