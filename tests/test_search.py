"""Readers' search (Pagefind in Material's search box) in a real headless Chromium, and the
scan's narrow allowance for Pagefind's files.

The site is the two-sources fixture plus a few sheets written here: an actor with an
editorial alias that an event also uses in its title, and names made of short words next to
pages full of longer words that start with them. It is built once into tmp and served on
127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import Page, chromium_binary, serve

from briefing.pipeline import PdfOptions
from briefing.web import shards
from briefing.web.scan import scan_site, stray_code
from briefing.web.search import OUTPUT, UNUSED, index_site, pagefind_binary
from tests.helpers import ROOT, make_corpus

EXTRA = {
    "content/actors/harbour-union.yaml": """\
        id: harbour-union
        name: Harbour workers' union
        type: organization
        aliases: [HU]
        editorial_aliases: [Dockhands]
        summary: The union of the workers of the [[quillby-council|Quillby]] harbour.
        """,
    "content/events/dockhands-strike.yaml": """\
        id: dockhands-strike
        title: Dockhands strike over the Dockhands ferry
        date: "2031-04"
        summary: "Dockhands of [[harbour-union]] struck; Dockhands said Dockhands stay out."
        actors: [harbour-union]
        """,
    "content/actors/quay-co.yaml": """\
        id: quay-co
        name: Quay & Co's "wharf"
        type: organization
        summary: 'Quay <script>window.__pwned=2</script> <img src=y onerror="window.__pwned=3">'
        """,
    "content/actors/tove-ny-ul.yaml": """\
        id: tove-ny-ul
        name: Tove Ny Ul
        type: person
        summary: A ferry captain.
        """,
    "content/events/huge-hub.yaml": """\
        id: huge-hub
        title: A huge ultra nylon hub for Tove
        date: "2031-05"
        summary: >-
          Hundreds of humming huts hug the huge hub; ultra nylon nyloned ultras, nymphs and
          nylons of the hub, hundreds more, humming, ultra ultra nylon, for Tove.
        actors: [tove-ny-ul]
        """,
}

BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(
    BINARY is None,
    reason="Debian's chromium is not installed (scripts/system-deps.sh --tests installs it)",
)


def build_search_site(folder: Path, pdfs: PdfOptions | None = None) -> Path:
    """The fixture corpus and EXTRA built into folder (PDFs if given); the site folder."""
    from briefing.pipeline import build_site

    project = make_corpus(folder, EXTRA, base=False)
    shutil.copytree(
        ROOT / "tests" / "fixtures" / "two-sources" / "content",
        project.content,
        dirs_exist_ok=True,
    )
    build_site(project, project.root / "site", pdfs)
    return project.root / "site"


@pytest.fixture(scope="module", params=["a part a kind", "kinds in numbered parts"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, its search index in one part a kind, or (as a large corpus has it) each
    kind's pages in a few numbered parts that the search box merges."""
    if pagefind_binary() is None:
        pytest.fail("pagefind_bin is not installed: pip install -r requirements.txt")
    split = request.param == "kinds in numbered parts"
    with pytest.MonkeyPatch.context() as patch:
        if split:
            patch.setattr(shards, "PART_PAGES", 2)
        built = build_search_site(tmp_path_factory.mktemp("search"))
    listed = json.loads((built / OUTPUT / shards.SHARDS_FILE).read_text(encoding="utf-8"))
    assert ("actors-2" in listed) is split and ("actors" in listed) is not split
    return built


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def results(page: Page, query: str) -> list[tuple[str, str]]:
    """Type a query into the search box; (path, title) of each result, best first."""
    page.evaluate("document.querySelector('.md-search__input').focus()")
    page.type_text(query)
    page.wait_until("document.querySelectorAll('.md-search-result__item').length > 0")
    time.sleep(0.3)  # results for the last keystroke replace those for the one before
    return [
        (path, " ".join(title.split()))
        for path, title in page.evaluate(
            "[...document.querySelectorAll('.md-search-result__item > a')]"
            ".map(a => [new URL(a.href).pathname, a.querySelector('h1').textContent])"
        )
    ]


def test_a_name_finds_its_sheet_first_labelled_with_its_kind(page: Page, base_url: str) -> None:
    page.goto(base_url)
    found = results(page, "Quillby council")
    assert found[0] == (
        "/actors/quillby-council/",
        "Actor: Quillby council, also called the council",
    ), found
    assert page.evaluate("document.getElementById('__search').checked") is True


def test_results_name_their_kind(page: Page, base_url: str) -> None:
    page.goto(base_url + "actors/")
    found = dict(results(page, "ferry"))
    assert found["/events/quillby-ferry-vote/"].startswith("Event: "), found
    assert found["/relations/quillby-marsh-ferry/"].startswith("Relation: "), found
    assert found["/sources/quillby-ferry/"].startswith("Source: "), found


def test_an_editorial_alias_outranks_pages_that_use_it(page: Page, base_url: str) -> None:
    page.goto(base_url)
    found = [path for path, _ in results(page, "Dockhands")]
    assert found[0] == "/actors/harbour-union/", found
    assert "/events/dockhands-strike/" in found


@pytest.mark.parametrize(
    ("query", "sheet"),
    [("HU", "/actors/harbour-union/"), ("Tove Ny Ul", "/actors/tove-ny-ul/")],
)
def test_short_words_do_not_let_other_pages_outrank_a_name(
    page: Page, base_url: str, query: str, sheet: str
) -> None:
    page.goto(base_url)
    found = [path for path, _ in results(page, query)]
    assert found[0] == sheet, found


def test_editors_pages_are_not_found(page: Page, base_url: str) -> None:
    page.goto(base_url)
    # Words of the content guide's and the performance page's headings.
    for query in ("Content guide", "benchmark"):
        page.evaluate("document.querySelector('.md-search__input').value = ''")
        page.evaluate("document.querySelector('.md-search__input').focus()")
        page.type_text(query)
        page.wait_until(
            "/matching|No matching/.test("
            "document.querySelector('.md-search-result__meta').textContent)"
        )
        time.sleep(0.3)
        paths = page.evaluate(
            "[...document.querySelectorAll('.md-search-result__item > a')]"
            ".map(a => new URL(a.href).pathname)"
        )
        assert not [p for p in paths if p.startswith(("/content-guide/", "/performance/"))]


def test_search_makes_no_third_party_request_and_no_error(page: Page, base_url: str) -> None:
    page.goto(base_url + "events/")
    assert results(page, "frost")[0][0] == "/events/ashfen-frost/"
    assert [url for url in page.requests if not url.startswith((base_url, "data:"))] == []
    assert any("/pagefind/" in url for url in page.requests)
    assert not any("/search/search_index.json" in url for url in page.requests)
    assert page.errors == []


def test_the_site_holds_only_the_pagefind_files_it_loads(site: Path) -> None:
    bundle = sorted(p.name for p in (site / OUTPUT).iterdir() if p.is_file())
    assert not set(bundle) & set(UNUSED)
    assert {"pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"} <= set(bundle)
    assert (site / OUTPUT / "fragment").is_dir()
    assert not (site / "search" / "search_index.json").exists()
    assert scan_site(site) == []


@pytest.mark.parametrize(
    "name",
    [
        "pagefind/pagefind-ui.js",
        "pagefind/extra.js",
        "pagefind/index/evil.mjs",
        "actors/china/payload.js",
        "assets/module.wasm",
        "wasm.en.pagefind",
    ],
)
def test_scan_refuses_any_other_script_file(site: Path, tmp_path: Path, name: str) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / name).parent.mkdir(parents=True, exist_ok=True)
    (copy / name).write_text("alert(1)", encoding="utf-8")
    assert [(f.path, f.message) for f in stray_code(copy)] == [
        (name, "script file that is neither the theme's nor Pagefind's")
    ]
    assert [f.path for f in scan_site(copy)] == [name]
    # A build scans the site but Pagefind's folder while it runs, then that folder.
    inside = name.startswith("pagefind/")
    assert [f.path for f in stray_code(copy, besides="pagefind")] == ([] if inside else [name])
    assert [f.path for f in stray_code(copy, within="pagefind")] == ([name] if inside else [])


def test_markup_in_titles_and_excerpts_stays_text(page: Page, base_url: str) -> None:
    """Titles and excerpts come from the pages' text; the results show them as text (names
    cannot hold markup at all: check refuses '<' in them)."""
    page.goto(base_url)
    found = results(page, "Quay")
    assert found[0] == ("/actors/quay-co/", 'Actor: Quay & Co\'s "wharf"')
    excerpt = page.evaluate("document.querySelector('.md-search-result__item p').textContent")
    assert "<script>window.__pwned=2</script>" in excerpt
    assert (
        page.evaluate(
            "document.querySelectorAll('.md-search-result__list *:not(li):not(a):not(article)"
            ":not(h1):not(p):not(mark)').length"
        )
        == 0
    )
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.errors == []


def test_pagefind_ignores_configuration_around_the_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads pagefind.json from its working folder and PAGEFIND_* variables: the
    build's index must depend on the site alone."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / OUTPUT)
    (tmp_path / "pagefind.json").write_text('{"exclude_selectors": ["h1"]}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "elsewhere")
    listed = json.loads((site / OUTPUT / shards.SHARDS_FILE).read_text(encoding="utf-8"))
    if "actors-1" in listed:  # the site's parts as the fixture made them
        monkeypatch.setattr(shards, "PART_PAGES", 2)
    assert index_site(copy) == []
    assert not (copy / "elsewhere").exists()
    built = {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in (site / OUTPUT).rglob("*")
        if p.is_file()
    }
    again = {
        p.relative_to(copy).as_posix(): p.read_bytes()
        for p in (copy / OUTPUT).rglob("*")
        if p.is_file()
    }
    assert again == built
