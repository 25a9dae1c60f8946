"""The readers' list of PDFs (pdfs/): the book and each briefing's PDF, with the number of
pages and the size of each file. (Actors have no PDF: their pages print from the browser.)

The engine builds the page before the PDFs are laid out (MkDocs empties its site folder
first), so the page carries an empty slot per PDF and fill_pdf_facts writes the counts
into the built page once the PDFs exist: the list always describes the files published
beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.model import records
from briefing.present import places
from briefing.present.links import SiteLinker

DOWNLOADS = "pdfs.md"
# The slot the template leaves for a PDF's pages and size.
_SLOT = re.compile(r'<span class="bf-pdf-facts" data-pdf="([^"]+)">[^<]*</span>')


@dataclass(frozen=True)
class PdfEntry:
    """A PDF as the list shows it: its title, what it holds, its link and its path."""

    title: str
    holds: str
    href: str
    path: str


def downloads_context(linker: SiteLinker, briefings: list[records.Briefing]) -> dict[str, Any]:
    """The book, then the briefings in the corpus's order."""
    corpus = linker.corpus

    def entry(sheet: records.Sheet | None, title: str, holds: str) -> PdfEntry:
        href = places.pdf_href(linker.here, sheet)
        path = places.pdf_path(sheet)
        assert href is not None and path is not None
        return PdfEntry(title, holds, href, path)

    topic = corpus.settings.title
    book = f"Briefing book: {topic}" if topic else "Briefing book"
    return {
        "entries": [
            entry(None, book, "every briefing, with the figures and sources it cites"),
            *(entry(b, b.title, "briefing: bottom line first") for b in briefings),
        ]
    }


def size_label(size: int) -> str:
    """A file size as readers read it: '84 KB', '1.2 MB'."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1000 / 1000:.1f} MB"


def fill_pdf_facts(site: Path, pdf_dir: Path, written: Iterable[tuple[Path, int]]) -> None:
    """Write each PDF's pages and size into the built list page (if the site has one);
    again after `briefing pdf` rebuilt them."""
    page = next((p for p in (site / "pdfs/index.html", site / "pdfs.html") if p.is_file()), None)
    if page is None:
        return
    facts = {
        path.relative_to(pdf_dir).as_posix(): (
            f"{pages} page{'s' * (pages != 1)}, {size_label(path.stat().st_size)}"
        )
        for path, pages in written
    }

    def fill(match: re.Match[str]) -> str:
        text = facts.get(match.group(1), "not built")
        return f'<span class="bf-pdf-facts" data-pdf="{match.group(1)}">{text}</span>'

    html = page.read_text(encoding="utf-8")
    # Replaced, not written over: a new file (with the usual mode), so never one a warm
    # build linked to the published site (briefing.web.reuse).
    fresh = page.with_name(f".{page.name}.filled")
    try:
        fresh.write_text(_SLOT.sub(fill, html), encoding="utf-8")
        fresh.replace(page)
    finally:  # a stop or a full disk leaves no half-written file beside the page
        fresh.unlink(missing_ok=True)
