"""The offline copy (briefing/web/offline.py): links to folders name index.html, the zip is
reproducible, and unpacked and opened from file:// in Chromium it navigates and searches."""

from __future__ import annotations

import hashlib
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from chromium import Browser, Page, chromium_binary

from briefing.pipeline import PdfOptions
from briefing.web import offline
from briefing.web.offline import FOLDER, INDEX_SCRIPT, ZIP_NAME, folder_link, write_offline
from briefing.web.sitefiles import stamp
from tests.test_search import build_search_site


@pytest.mark.parametrize(
    ("url", "offline"),
    [
        ("actors/china/", "actors/china/index.html"),
        ("../../actors/", "../../actors/index.html"),
        ("..", "../index.html"),
        (".", "./index.html"),
        ("../..", "../../index.html"),
        ("../timeline/#_2024", "../timeline/index.html#_2024"),
        ("./?q=x", "./index.html?q=x"),
        ("#_title", "#_title"),
        ("", ""),
        ("../assets/stylesheets/main.css", "../assets/stylesheets/main.css"),
        ("pdf/china.pdf", "pdf/china.pdf"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("/absolute/", "/absolute/"),
        ("mailto:x@example.org", "mailto:x@example.org"),
    ],
)
def test_folder_links_name_their_index(url: str, offline: str) -> None:
    assert folder_link(url) == offline


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search fixture's site as the full build writes it: with PDFs and the zip."""
    return build_search_site(tmp_path_factory.mktemp("offline"), PdfOptions(jobs=1))


def test_the_zip_is_reproducible_and_sorted(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / ZIP_NAME).unlink()
    time.sleep(1.1)  # a timestamp taken from the clock or the files would now differ
    for file in copy.rglob("*"):
        file.touch()
    write_offline(copy)
    assert (copy / ZIP_NAME).read_bytes() == (site / ZIP_NAME).read_bytes()
    with zipfile.ZipFile(site / ZIP_NAME) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == f"{FOLDER}/{INDEX_SCRIPT}"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert f"{FOLDER}/index.html" in names
    pdfs = [info for info in infos if info.filename.endswith(".pdf")]
    assert pdfs and {info.compress_type for info in pdfs} == {zipfile.ZIP_STORED}
    assert not [n for n in names if n.startswith(f"{FOLDER}/pagefind/") or n.endswith(".zip")]


def test_pages_with_known_digests_and_kept_members_are_not_read(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    write_offline(copy, cache)  # keeps every member
    pages = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*.html"))
    known = {
        name: (stamp(copy / name), hashlib.sha256((copy / name).read_bytes()).digest())
        for name in pages[1:]
    }
    read: list[str] = []
    read_bytes = Path.read_bytes

    def recording(path: Path) -> bytes:
        if path.is_relative_to(copy):
            read.append(path.relative_to(copy).as_posix())
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    write_offline(copy, cache, known)
    assert [name for name in read if name.endswith(".html")] == pages[:1]
    assert (copy / ZIP_NAME).read_bytes() == (site / ZIP_NAME).read_bytes()


def test_the_home_page_links_to_the_zip(site: Path) -> None:
    assert f'href="{ZIP_NAME}"' in (site / "index.html").read_text(encoding="utf-8")


def test_offline_pages_link_to_index_files(site: Path) -> None:
    with zipfile.ZipFile(site / ZIP_NAME) as archive:
        page = archive.read(f"{FOLDER}/actors/quillby-council/index.html").decode("utf-8")
    assert 'href="../index.html"' in page
    assert 'href="../../timeline/index.html"' in page
    assert 'href="../../timeline/"' not in page


BINARY = chromium_binary()


@pytest.fixture(scope="module")
def unpacked(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(site / ZIP_NAME) as archive:
        archive.extractall(folder)
    return folder / FOLDER


@pytest.fixture
def page() -> Iterator[Page]:
    if BINARY is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh --tests)")
    browser = Browser(BINARY)
    try:
        yield browser.new_page()
    finally:
        browser.close()


def click(page: Page, element: str) -> None:
    """Click the element a JavaScript expression finds, and wait for the next page to load."""
    page.evaluate(f"({element}).click()")
    page.browser.wait_for("Page.loadEventFired", page.session)
    time.sleep(0.3)


def test_offline_copy_navigates_and_searches_from_files(page: Page, unpacked: Path) -> None:
    page.goto(unpacked.joinpath("index.html").as_uri())
    # Follow the navigation's link to the actors, as a reader would click it.
    href = page.evaluate(
        "[...document.querySelectorAll('.md-nav__link')]"
        ".find(a => a.textContent.trim() === 'Actors').href"
    )
    assert href == unpacked.joinpath("actors", "index.html").as_uri()
    click(
        page,
        "[...document.querySelectorAll('.md-nav__link')].find(a => a.textContent.trim() === 'Actors')",
    )
    assert page.evaluate("location.href") == href
    assert page.evaluate("document.querySelector('h1').textContent").startswith("Actors")
    page.evaluate("document.querySelector('.md-search__input').focus()")
    page.type_text("Dockhands")
    page.wait_until("document.querySelectorAll('.md-search-result__item').length > 0")
    time.sleep(0.3)
    first, title = page.evaluate(
        "[document.querySelector('.md-search-result__item > a').href,"
        " document.querySelector('.md-search-result__item h1').textContent]"
    )
    assert first == unpacked.joinpath("actors", "harbour-union", "index.html").as_uri()
    assert title.startswith("Actor: Harbour workers")
    click(page, "document.querySelector('.md-search-result__item > a')")
    assert page.evaluate("location.href") == first
    assert "Harbour workers" in page.evaluate("document.querySelector('h1').textContent")
    assert [url for url in page.requests if not url.startswith(("file:", "data:"))] == []
    assert page.errors == []


def test_offline_short_words_and_kinds(page: Page, unpacked: Path) -> None:
    page.goto(unpacked.joinpath("index.html").as_uri())
    page.evaluate("document.querySelector('.md-search__input').focus()")
    page.type_text("HU")
    page.wait_until("document.querySelectorAll('.md-search-result__item').length > 0")
    time.sleep(0.3)
    first = page.evaluate("document.querySelector('.md-search-result__item > a').href")
    assert first == unpacked.joinpath("actors", "harbour-union", "index.html").as_uri()


def test_a_build_without_pdfs_neither_writes_nor_links_the_zip(tmp_path: Path) -> None:
    site = build_search_site(tmp_path)
    assert not (site / ZIP_NAME).exists()
    assert ZIP_NAME not in (site / "index.html").read_text(encoding="utf-8")


def test_zip_digest_is_stable_across_builds(site: Path, tmp_path: Path) -> None:
    again = build_search_site(tmp_path, PdfOptions(jobs=1))
    digest = [hashlib.sha256((s / ZIP_NAME).read_bytes()).hexdigest() for s in (site, again)]
    if digest[0] != digest[1]:  # name what differs (this once failed, and once only)
        members = [_members(s / ZIP_NAME) for s in (site, again)]
        differ = sorted(
            n for n in members[0].keys() | members[1].keys() if len({m.get(n) for m in members}) > 1
        )
        assert differ == [], "members that differ between two builds"
    assert digest[0] == digest[1]


def _members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def test_unchanged_files_that_are_not_pages_are_not_compressed_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    write_offline(copy, cache)
    compressed: list[int] = []
    make_member = offline.make_member

    def recording(data: bytes, compress: bool, level: int) -> Any:
        if compress:
            compressed.append(len(data))
        return make_member(data, compress, level)

    monkeypatch.setattr(offline, "make_member", recording)
    write_offline(copy, cache)
    assert len(compressed) == 1  # only the offline index, made anew each time
    assert (copy / ZIP_NAME).read_bytes() == (site / ZIP_NAME).read_bytes()
    style = next(copy.glob("assets/stylesheets/*.css"))
    style.write_bytes(style.read_bytes() + b"\n")
    compressed.clear()
    write_offline(copy, cache)
    assert len(compressed) == 2 and style.stat().st_size in compressed
    with zipfile.ZipFile(copy / ZIP_NAME) as archive:
        name = f"{FOLDER}/{style.relative_to(copy).as_posix()}"
        assert archive.read(name) == style.read_bytes()


@pytest.mark.parametrize(
    "name", ["a/b.html", "index.html", ".html", "a/.html", "a/..html", "a/b.HTML", "a/b.htm"]
)
def test_a_page_is_a_file_whose_suffix_is_html(name: str) -> None:
    assert offline._is_page(name) is (PurePosixPath(name).suffix == ".html")
