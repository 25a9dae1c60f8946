"""The readers' list of PDFs (pdfs/): every PDF the build wrote, with its pages and size."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from briefing.pipeline import PdfOptions, build_site
from briefing.project import Project
from briefing.web.downloads import fill_pdf_facts, size_label
from briefing.web.render import render_pages
from tests.helpers import ROOT, make_corpus
from tests.small_corpus import small_checked
from tests.test_two_sources import fixture_files

FACTS = re.compile(r'<span class="bf-pdf-facts" data-pdf="([^"]+)">([^<]*)</span>')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project: Project = make_corpus(tmp_path_factory.mktemp("pdfs"), fixture_files(), base=False)
    build_site(project, project.root / "site", PdfOptions())
    return project.root / "site"


@pytest.mark.parametrize(
    ("size", "label"),
    [(1, "1 KB"), (499, "1 KB"), (84_400, "84 KB"), (999_499, "999 KB"), (1_234_567, "1.2 MB")],
)
def test_size_label(size: int, label: str) -> None:
    assert size_label(size) == label


def test_the_list_gives_every_pdf_its_pages_and_size(built: Path) -> None:
    page = (built / "pdfs" / "index.html").read_text(encoding="utf-8")
    listed = dict(FACTS.findall(page))
    on_disk = sorted(
        p.relative_to(built / "pdf").as_posix() for p in (built / "pdf").rglob("*.pdf")
    )
    assert sorted(listed) == on_disk and on_disk
    for path, facts in listed.items():
        pdf = built / "pdf" / path
        pages = len(pypdf.PdfReader(pdf).pages)
        plural = "s" if pages != 1 else ""
        assert facts == f"{pages} page{plural}, {size_label(pdf.stat().st_size)}", path
        assert f'href="../pdf/{path}"' in page


def nav_titles(page: Path) -> list[str]:
    """The titles in a built page's primary navigation, in order."""
    nav = page.read_text(encoding="utf-8").partition('class="md-nav md-nav--primary"')[2]
    return [" ".join(t.split()) for t in re.findall(r'<span class="md-ellipsis">([^<]+)<', nav)]


def test_readers_nav_lists_the_pdfs_and_no_editors_page(built: Path) -> None:
    editors = {"Content guide", "Building the PDFs", "Security", "Performance", "Upgrading"}
    titles = nav_titles(built / "index.html")
    reader = titles[: titles.index("For editors")]
    assert "PDF briefings" in reader and not editors & set(reader), reader
    # On an editors' page, they are listed, after every reader page.
    titles = nav_titles(built / "security" / "index.html")
    assert editors <= set(titles[titles.index("For editors") :]), titles


def test_filling_again_replaces_the_old_facts(tmp_path: Path) -> None:
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdf").mkdir()
    page = tmp_path / "pdfs" / "index.html"
    page.write_text(
        '<span class="bf-pdf-facts" data-pdf="a.pdf">3 pages, 9 KB</span>'
        '<span class="bf-pdf-facts" data-pdf="gone.pdf"></span>',
        encoding="utf-8",
    )
    (tmp_path / "pdf" / "a.pdf").write_bytes(b"x" * 2400)
    fill_pdf_facts(tmp_path, tmp_path / "pdf", [(tmp_path / "pdf" / "a.pdf", 1)])
    assert FACTS.findall(page.read_text(encoding="utf-8")) == [
        ("a.pdf", "1 page, 2 KB"),
        ("gone.pdf", "not built"),
    ]


def test_a_fill_stopped_midway_leaves_the_page_and_no_other_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdf").mkdir()
    page = tmp_path / "pdfs" / "index.html"
    before = '<span class="bf-pdf-facts" data-pdf="a.pdf">3 pages, 9 KB</span>'
    page.write_text(before, encoding="utf-8")
    (tmp_path / "pdf" / "a.pdf").write_bytes(b"x" * 2400)

    def stopped(self: Path, target: Path) -> Path:
        raise KeyboardInterrupt  # a stop between writing the new page and moving it in

    monkeypatch.setattr(Path, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        fill_pdf_facts(tmp_path, tmp_path / "pdf", [(tmp_path / "pdf" / "a.pdf", 1)])
    assert sorted(p.name for p in (tmp_path / "pdfs").iterdir()) == ["index.html"]
    assert page.read_text(encoding="utf-8") == before


def test_a_site_without_pdfs_says_so(tmp_path: Path) -> None:
    page = render_pages(ROOT / "templates", small_checked(tmp_path), False, 1)["pdfs.md"]
    assert "built without its PDFs" in page and "bf-pdf-facts" not in page
