"""The briefing book, bound from the briefings' own PDFs (briefing.pdf.book, briefing.pdf.bind):
each chapter is its briefing's pages exactly, the contents and bookmarks find them, and links
stay inside their chapter."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from briefing.check.checker import check
from briefing.model import records
from briefing.pdf import book
from briefing.project import Project
from tests.helpers import make_corpus
from tests.test_pdf import FILES, build, flat, text

BOOK = "briefing-book.pdf"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_corpus(tmp_path_factory.mktemp("book"), FILES)


@pytest.fixture(scope="module")
def pdfs(project: Project, print_engine: str) -> Path:
    return build(project, project.root / "site" / print_engine / "pdf", engine=print_engine)


def briefings(project: Project) -> list[records.Briefing]:
    found = [s for s in check(project).corpus.sheets if isinstance(s, records.Briefing)]
    assert len(found) >= 2  # else nothing could collide between chapters
    return found


def contents(pdf: Path) -> dict[str, int]:
    """The book's contents page: title -> page number."""
    page = text(pdf, page=2, layout=True)
    assert "Contents" in page
    return {t: int(n) for t, n in re.findall(r"^\s*(\S.*?)\s*\.{2,}\s*(\d+)\s*$", page, re.M)}


def content_streams(reader: pypdf.PdfReader, first: int, count: int) -> list[bytes]:
    return [reader.pages[i].get_contents().get_data() for i in range(first, first + count)]  # type: ignore[union-attr]


def chapter_ranges(project: Project, pdfs: Path) -> dict[str, range]:
    """Each briefing's pages in the book (0-based), from the contents page."""
    listed = contents(pdfs / BOOK)
    ranges = {}
    for briefing in briefings(project):
        pages = len(pypdf.PdfReader(pdfs / f"briefings/{briefing.id}.pdf").pages)
        first = listed[briefing.title] - 1
        ranges[briefing.id] = range(first, first + pages)
    return ranges


def test_each_chapter_is_its_briefings_pages_exactly(project: Project, pdfs: Path) -> None:
    reader = pypdf.PdfReader(pdfs / BOOK)
    ranges = chapter_ranges(project, pdfs)
    starts = sorted(r.start for r in ranges.values())
    front = starts[0]
    chapters = sum(len(r) for r in ranges.values())
    back = len(reader.pages) - front - chapters
    assert front >= 2 and back >= 1  # cover and contents; figures and sources
    assert len(reader.pages) == front + chapters + back
    for briefing_id, pages in ranges.items():
        own = pypdf.PdfReader(pdfs / f"briefings/{briefing_id}.pdf")
        assert content_streams(reader, pages.start, len(pages)) == content_streams(
            own, 0, len(pages)
        ), briefing_id
    # Chapters follow one another with nothing between them.
    ordered = sorted(ranges.values(), key=lambda r: r.start)
    assert all(a.stop == b.start for a, b in itertools.pairwise(ordered))
    assert "Figures" in text(pdfs / BOOK, page=ordered[-1].stop + 1)  # the back part


def test_contents_numbers_are_where_each_chapter_starts(project: Project, pdfs: Path) -> None:
    listed = contents(pdfs / BOOK)
    for briefing in briefings(project):
        first = flat(text(pdfs / BOOK, page=listed[briefing.title]))
        assert first.startswith(f"BRIEFING {briefing.title} "), (briefing.id, first[:60])
    for part in ("Figures", "Sources"):
        assert part in [flat(line) for line in text(pdfs / BOOK, page=listed[part]).splitlines()]


def outline(reader: pypdf.PdfReader) -> list[tuple[str, int, list[Any]]]:
    """Top-level bookmarks: title, page (1-based) and the bookmarks under it."""
    items: list[tuple[str, int, list[Any]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            title, page, _ = items[-1]
            items[-1] = (title, page, item)
        else:
            items.append((str(item.title), reader.get_destination_page_number(item) + 1, []))
    return items


def test_a_bookmark_per_briefing_over_its_own(project: Project, pdfs: Path) -> None:
    reader = pypdf.PdfReader(pdfs / BOOK)
    marks = {title: (page, children) for title, page, children in outline(reader)}
    listed = contents(pdfs / BOOK)
    for briefing in briefings(project):
        page, children = marks[briefing.title]
        assert page == listed[briefing.title]
        titles = [c.title for c in children if not isinstance(c, list)]
        assert titles[:2] == ["Bottom line up front", "Key judgments"], titles
        for child in children:
            if not isinstance(child, list):  # the chapter's sections are in the chapter
                assert page <= reader.get_destination_page_number(child) + 1
    assert {"Contents", "Figures", "Sources"} <= set(marks)
    title = check(project).corpus.settings.title or "Briefing book"
    assert reader.metadata is not None and reader.metadata.title == title


def link_targets(reader: pypdf.PdfReader, page: int) -> list[int | None]:
    """Where each internal link on a page (0-based) goes: a page index, None if nowhere."""
    found: list[int | None] = []
    for annotation in reader.pages[page].get("/Annots") or []:
        annotation = annotation.get_object()
        action = annotation.get("/A") or {}
        assert "/URI" not in action, action  # briefing-book: links were all turned into pages
        dest = annotation.get("/Dest")
        if dest is None:
            continue
        assert not isinstance(dest, str), dest  # no named destinations left to collide
        found.append(reader.get_page_number(dest[0].get_object()))  # type: ignore[arg-type]
    return found


def test_links_stay_inside_their_chapter(project: Project, pdfs: Path) -> None:
    reader = pypdf.PdfReader(pdfs / BOOK)
    assert not reader.named_destinations  # every chapter has a '_note-1': none is kept
    for briefing_id, pages in chapter_ranges(project, pdfs).items():
        targets = [t for page in pages for t in link_targets(reader, page)]
        assert targets, briefing_id  # note calls and notes link to each other
        assert all(t in pages for t in targets), (briefing_id, pages, targets)


def test_contents_links_go_to_each_chapter(project: Project, pdfs: Path) -> None:
    reader = pypdf.PdfReader(pdfs / BOOK)
    firsts = {r.start for r in chapter_ranges(project, pdfs).values()}
    assert firsts <= set(link_targets(reader, 1))


def test_the_front_part_is_laid_out_again_when_its_guess_was_wrong(
    tmp_path: Path, pdfs: Path, print_engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A guess of one contents entry a page: five pages guessed, the count found is used.
    monkeypatch.setattr(book, "ENTRIES_PER_PAGE", 1)
    other = make_corpus(tmp_path, FILES)
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    again = build(other, tmp_path / "again", engine=print_engine)
    assert (again / BOOK).read_bytes() == (pdfs / BOOK).read_bytes()


def test_a_long_list_of_sources_is_left_to_the_back_part(
    tmp_path: Path, print_engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(book, "COVER_SOURCES", 0)
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    pdfs = build(make_corpus(tmp_path, FILES), tmp_path / "pdf", engine=print_engine)
    cover = flat(text(pdfs / BOOK, page=1))
    found = re.search(
        r"Sources (\d+), listed under Sources at the back of the book \(page (\d+)\)", cover
    )
    assert found, cover
    at = int(found.group(2))
    assert at == contents(pdfs / BOOK)["Sources"]
    back = flat(text(pdfs / BOOK, page=at))
    assert back.count("An article.") == int(found.group(1)) == 1  # each source cited, once
