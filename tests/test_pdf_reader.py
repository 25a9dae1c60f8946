"""PDFs as a meeting handout: the book's cover names its topic, long briefings have a contents
page after page 1 and short ones none, notes cite sources in full, badges are 8 pt or more."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from briefing.pdf.documents import LONG_BRIEFING_SECTIONS
from briefing.project import Project
from tests.helpers import make_corpus
from tests.test_pdf import FILES, build, flat, text

SECTIONS = "\n".join(
    f"          - title: Part {n}\n            refs: [war]" for n in range(LONG_BRIEFING_SECTIONS)
)
READER_FILES = {
    **FILES,
    "content/corpus.yaml": """\
        title: The Steppe Trade Question
        intro: Sourced fact sheets on trade across the steppe.
        """,
    "content/sources/article.yaml": """\
        id: article
        title: An article?
        summary: A test source.
        text: article.txt
        publication:
          publisher: The Review
          date: "2024-10-23"
          url: https://example.org/article
        """,
    "content/briefings/long.yaml": f"""\
        id: long
        title: Long
        summary: A briefing of many sections.
        bluf: Trade binds [[china]] and [[russia]].
        key_judgments: [china#trade]
        sections:
{SECTIONS}
        """,
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, print_engine: str) -> Path:
    project: Project = make_corpus(tmp_path_factory.mktemp("reader-pdf"), READER_FILES)
    return build(project, project.root / "site" / "pdf", engine=print_engine)


def pages(pdf: Path) -> list[str]:
    """The text of each page."""
    return [flat(page) for page in text(pdf).split("\f")[:-1]]


def test_book_cover_names_the_corpus_topic(pdfs: Path) -> None:
    cover = flat(text(pdfs / "briefing-book.pdf", page=1))
    assert cover.startswith("BRIEFING BOOK The Steppe Trade Question Sourced fact sheets on trade")


def test_short_briefings_have_no_contents_page(pdfs: Path) -> None:
    for name in ("overview", "quiet"):
        assert "Contents" not in flat(text(pdfs / f"briefings/{name}.pdf")), name


def test_long_briefing_keeps_page_one_then_a_contents_page(pdfs: Path) -> None:
    found = pages(pdfs / "briefings/long.pdf")
    assert "Bottom line up front" in found[0] and "Key judgments" in found[0]
    assert "Contents" not in found[0]
    contents = next(n for n, page in enumerate(found) if page.startswith("Long Contents"))
    assert contents == 1, found[1][:80]
    for n in range(LONG_BRIEFING_SECTIONS):
        assert re.search(rf"Part {n} \.+ ?\d+", found[contents]), n


def test_notes_cite_the_source_in_full_and_print_no_ids(pdfs: Path) -> None:
    for name in ("briefings/overview.pdf", "briefing-book.pdf"):
        notes = flat(text(pdfs / name)).partition("Notes 1")[2]
        assert notes, name
        assert "An article? The Review; 23 October 2024; https://example.org/article." in notes
        assert "china#trade" not in notes and "#" not in notes, name


def test_badges_are_at_least_8_pt(pdfs: Path) -> None:
    # Each badge word's size as drawn: the font size times the text and page matrices' scale.
    sizes: list[float] = []

    def seen(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if set(text.split()) & {"REPORTED", "FORECAST", "ATTRIBUTED", "ASSESSMENT", "QUOTE"}:
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    pypdf.PdfReader(pdfs / "briefings/overview.pdf").pages[0].extract_text(visitor_text=seen)
    assert sizes and min(sizes) >= 7.99, sizes  # 8 pt, to the rounding of the matrices
