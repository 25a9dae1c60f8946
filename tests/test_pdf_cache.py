"""PDFs laid out once per content (briefing.pdf.cache): reused byte for byte, redone when
anything that shapes them changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefing.check.checker import check
from briefing.pdf import bind, layout, weasy
from briefing.pdf.book import BACK, FRONT
from briefing.pdf.cache import CACHE_ENV, DEFAULT_FOLDER, PdfCache, cache_root, library_versions
from briefing.project import Project
from tests.helpers import make_corpus
from tests.small_corpus import EXTRA


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The paths of the PDFs each build_pdfs call laid out (not taken from the cache)."""
    calls: list[list[str]] = []
    render_all = layout.render_all

    def recording(project: Project, printer: Any, htmls: dict[str, str], *args: Any) -> Any:
        calls.append(sorted(htmls))
        return render_all(project, printer, htmls, *args)

    monkeypatch.setattr(layout, "render_all", recording)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv(CACHE_ENV, raising=False)
    return calls


@pytest.fixture
def bound(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The title of every book bound, in order."""
    titles: list[str] = []
    binding = bind.bind

    def recording(pieces: Any, title: str, date: Any) -> bytes:
        titles.append(title)
        return binding(pieces, title, date)

    monkeypatch.setattr(bind, "bind", recording)
    return titles


def pdf_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")}


def test_an_unchanged_pdf_is_reused_byte_for_byte(
    tmp_path: Path, laid_out: list[list[str]], bound: list[str]
) -> None:
    project = make_corpus(tmp_path, EXTRA)
    checked = check(project)
    layout.build_pdfs(project, checked, tmp_path / "first", jobs=1)
    layout.build_pdfs(project, checked, tmp_path / "second", jobs=1)
    # The briefing and the book's back part at once, then the book's front part (which
    # gives the chapters' pages); nothing the second time, and the bound book is kept.
    assert laid_out == [[BACK, "briefings/brief.pdf"], [FRONT], [], []]
    assert len(bound) == 1
    first = pdf_bytes(tmp_path / "first")
    assert first and first == pdf_bytes(tmp_path / "second")
    assert list((project.root / DEFAULT_FOLDER / "pdf").rglob("*.pdf"))
    # Without the cache, a cold layout gives the same bytes.
    layout.build_pdfs(project, checked, tmp_path / "cold", jobs=1, use_cache=False)
    assert pdf_bytes(tmp_path / "cold") == first


def test_a_book_bound_by_another_binder_is_bound_again(
    tmp_path: Path, laid_out: list[list[str]], bound: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, EXTRA)
    checked = check(project)
    layout.build_pdfs(project, checked, tmp_path / "first", jobs=1)
    monkeypatch.setattr(bind, "binder", lambda: "pikepdf=another")
    layout.build_pdfs(project, checked, tmp_path / "second", jobs=1)
    assert len(bound) == 2
    assert laid_out[2:] == [[], []]  # the parts are reused: only the binding is done again


def test_what_shapes_a_pdf_is_in_its_key(
    tmp_path: Path, laid_out: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, EXTRA)
    layout.build_pdfs(project, check(project), tmp_path / "a4", jobs=1)
    layout.build_pdfs(project, check(project), tmp_path / "letter", "letter", jobs=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    layout.build_pdfs(project, check(project), tmp_path / "later", jobs=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    brief = project.content / "briefings" / "brief.yaml"
    brief.write_text(brief.read_text().replace("In short.", "In shorter words."))
    layout.build_pdfs(project, check(project), tmp_path / "edited", jobs=1)
    middle = project.content / "events" / "middle.yaml"  # in no PDF
    middle.write_text(middle.read_text().replace("The month.", "The month it was."))
    layout.build_pdfs(project, check(project), tmp_path / "elsewhere", jobs=1)
    both = [[BACK, "briefings/brief.pdf"], [FRONT]]
    # Paper size, date: laid out again. An edit to what a briefing prints: that briefing;
    # the book binds its new PDF, and its front and back parts, which do not print the
    # edited summary, come from the cache. A sheet no PDF shows: nothing.
    assert laid_out == [*both, *both, *both, ["briefings/brief.pdf"], [], [], []]


def test_the_cache_folder_is_configurable_or_off(
    tmp_path: Path, laid_out: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, EXTRA)
    assert cache_root(project.root) == project.root / DEFAULT_FOLDER
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "kept"))
    layout.build_pdfs(project, check(project), tmp_path / "one", jobs=1)
    assert list((tmp_path / "kept" / "pdf").rglob("*.pdf"))
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_root(project.root) is None
    layout.build_pdfs(project, check(project), tmp_path / "two", jobs=1)
    assert len(laid_out) == 4 and laid_out[2:] == laid_out[:2]  # the second build redid all
    assert not (project.root / DEFAULT_FOLDER).exists()


def test_a_damaged_entry_is_laid_out_again(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path / "pdf", "shared")
    cache.put("<html>a</html>", b"%PDF-a", 3)
    assert cache.get("<html>a</html>") == (b"%PDF-a", 3, ())
    assert cache.get("<html>b</html>") is None
    meta = next((tmp_path / "pdf").rglob("*.json"))
    meta.write_text("{not json")
    assert cache.get("<html>a</html>") is None
    assert not list((tmp_path / "pdf").rglob(".tmp-*"))


def test_one_font_configuration_for_every_pdf_gives_the_bytes_of_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.text.fonts import FontConfiguration

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv(CACHE_ENV, "off")
    project = make_corpus(tmp_path, EXTRA)
    checked = check(project)
    # The process's one configuration for every document (the second time, every face
    # already loaded)...
    shared = [
        layout.build_pdfs(project, checked, tmp_path / n, jobs=1, engine="weasyprint")
        for n in ("a", "b")
    ]
    assert weasy._fonts() is weasy._fonts()
    # ...and a new configuration for each document, as WeasyPrint does by default.
    monkeypatch.setattr(weasy, "_fonts", FontConfiguration)
    layout.build_pdfs(project, checked, tmp_path / "fresh", jobs=1, engine="weasyprint")
    assert shared and pdf_bytes(tmp_path / "a") == pdf_bytes(tmp_path / "fresh")
    assert pdf_bytes(tmp_path / "b") == pdf_bytes(tmp_path / "fresh")


def test_the_key_names_the_libraries_weasyprint_lays_out_with() -> None:
    from weasyprint.text import ffi as weasy

    found = dict(entry.split("=", 1) for entry in library_versions())
    assert found["pango"] == str(weasy.pango.pango_version())
    major, minor, micro = (int(part) for part in found["harfbuzz"].split("."))
    assert weasy.harfbuzz.hb_version_atleast(major, minor, micro)
    assert not weasy.harfbuzz.hb_version_atleast(major, minor, micro + 1)
    # Without libharfbuzz-subset, WeasyPrint subsets fonts with fontTools: other bytes.
    assert found["harfbuzz-subset"] == str(weasy.harfbuzz_subset is not None)


# A build whose PDFs all come from the cache, in a fresh process: whether it loaded WeasyPrint
# (printed by the last line). It still loads pikepdf, to read the back part's outline.
CACHED_BUILD = """
import sys
from pathlib import Path
from briefing.check.checker import check
from briefing.pdf import layout
from briefing.project import Project
project = Project(Path(sys.argv[1]))
layout.build_pdfs(project, check(project), Path(sys.argv[2]), jobs=1, engine="weasyprint")
print('weasyprint' in sys.modules)
"""


def test_pdfs_all_from_the_cache_do_not_load_weasyprint(
    tmp_path: Path, laid_out: list[list[str]]
) -> None:
    project = make_corpus(tmp_path, EXTRA)
    layout.build_pdfs(project, check(project), tmp_path / "first", jobs=1, engine="weasyprint")
    assert laid_out  # the first build laid them out, into the cache
    command = [sys.executable, "-c", CACHED_BUILD, str(project.root), str(tmp_path / "again")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.splitlines()[-1] == "False", result.stderr
    assert pdf_bytes(tmp_path / "again") == pdf_bytes(tmp_path / "first")
