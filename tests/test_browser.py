"""The built site in a real headless Chromium (Debian's): search, pages, print, no third parties.

Chromium is driven over the DevTools protocol (tests/chromium.py) against the real project
built into tmp and served on 127.0.0.1. Set BRIEFING_SCREENSHOTS=<folder> to keep PNGs of
the home page, an actor page and the timeline.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import Browser, Page, chromium_binary, serve

from briefing.check.checker import check
from briefing.model import records
from briefing.project import Project
from tests.helpers import ROOT

# The pages are picked from whatever content/ holds: an actor with relations, a source.
CORPUS = check(Project(ROOT)).corpus
ACTOR = next(a for a in CORPUS.of_kind("actor") if CORPUS.involving("relation", a.id))
PARTNER = next(
    CORPUS.by_id[r.target]
    for rel in CORPUS.involving("relation", ACTOR.id)
    if isinstance(rel, records.Relation)
    for r in rel.actors
    if r.target != ACTOR.id
)
SOURCE = CORPUS.of_kind("source")[0]
# A number only one sheet's quotes print, and the relation that records it.
FIGURES = [
    (figure.value, f"relations/{rel.id}")
    for rel in CORPUS.of_kind("relation")
    for st in rel.statements
    for figure in st.figures
    if figure.value.isdigit()
    and [s for s in CORPUS.sheets if any(figure.value in q.quote.value for q in s.statements)]
    == [rel]
][:1]

BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(
    BINARY is None,
    reason="Debian's chromium is not installed (scripts/system-deps.sh --tests installs it)",
)
# Pages a reader lands on; 'search' is the home page with a query typed into search.
PAGES = {
    "home": "",
    "actor": f"actors/{ACTOR.id}/",
    "timeline": "timeline/",
    "relations": "relations/",
    "source": f"sources/{SOURCE.id}/",
}


@pytest.fixture(scope="module")
def base_url(project_site: Path) -> Iterator[str]:
    with serve(project_site) as url:
        yield url


def search(page: Page, query: str) -> list[str]:
    """Type a query into Material's search box; the result links, best first."""
    page.evaluate("document.querySelector('.md-search__input').focus()")
    page.type_text(query)
    page.wait_until("document.querySelectorAll('.md-search-result__item').length > 0")
    time.sleep(0.3)  # results for the last keystroke replace those for the one before
    return page.evaluate(
        "[...document.querySelectorAll('.md-search-result__item > a')]"
        ".map(a => new URL(a.href).pathname)"
    )


def third_party(page: Page, base_url: str) -> list[str]:
    return [
        url
        for url in page.requests
        if not url.startswith((base_url, "data:", "about:", "blob:", "chrome"))
    ]


@pytest.mark.parametrize("name", [*PAGES, "search"])
def test_no_script_errors_and_no_third_party_requests(page: Page, base_url: str, name: str) -> None:
    page.goto(base_url + PAGES.get(name, ""))
    if name == "search":
        assert search(page, ACTOR.title)
    time.sleep(0.5)  # let anything deferred (search worker, repository facts) start
    page.evaluate("1")
    assert third_party(page, base_url) == []
    assert page.errors == []
    assert any(url.startswith(base_url) for url in page.requests)


@pytest.mark.parametrize(("query", "sheet"), FIGURES)
def test_search_puts_the_sheet_first(page: Page, base_url: str, query: str, sheet: str) -> None:
    page.goto(base_url)
    results = search(page, query)
    assert results[0] == f"/{sheet}/", results


def test_every_alias_finds_its_actor_first(page: Page, base_url: str) -> None:
    actors = [a for a in CORPUS.of_kind("actor") if isinstance(a, records.Actor) and a.aliases]
    page.goto(base_url)
    for actor in actors:
        for alias in actor.aliases:
            page.evaluate("document.querySelector('.md-search__input').value = ''")
            assert search(page, alias)[0] == f"/actors/{actor.id}/", alias


# Sheets whose titles use the aliases too, so that an actor must outrank them.
RIVALS = {
    "content/actors/south-korea.yaml": """\
        id: south-korea
        name: South Korea
        type: state
        aliases: [Seoul, ROK]
        summary: A state.
        """,
    "content/events/seoul-protests.yaml": """\
        id: seoul-protests
        title: Seoul protests the deployment
        date: "2024-10"
        summary: Seoul protested to Beijing.
        actors: [south-korea, china]
        """,
    "content/briefings/calculus.yaml": """\
        id: calculus
        title: "Beijing and Seoul: a calculus"
        summary: What Beijing and Seoul weigh.
        bluf: Beijing and Seoul both weigh the deployment.
        key_judgments: [china#trade]
        """,
}


@pytest.mark.parametrize(
    ("query", "sheet"),
    [("Seoul", "actors/south-korea"), ("Beijing", "actors/china")],
)
def test_an_alias_outranks_pages_that_use_it_in_their_title(
    page: Page, tmp_path_factory: pytest.TempPathFactory, query: str, sheet: str
) -> None:
    from briefing.pipeline import build_site
    from tests.helpers import make_corpus

    folder = tmp_path_factory.getbasetemp() / "alias-site"
    if not folder.exists():
        folder.mkdir()
        project = make_corpus(folder, RIVALS)
        build_site(project, project.root / "site")
    with serve(folder / "project" / "site") as url:
        page.goto(url)
        results = search(page, query)
    assert results[0] == f"/{sheet}/", results
    assert len(results) >= 2, "the rival pages should be found too"


def test_actor_page_shows_diagram_backlinks_badges_and_edit_action(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + PAGES["actor"])
    svg = page.evaluate(
        """(() => {
        const svg = document.querySelector('figure.bf-diagram svg[role=img]');
        const ids = svg.getAttribute('aria-labelledby').split(' ');
        const box = svg.getBoundingClientRect();
        return {
            labels: ids.map(id => document.getElementById(id).textContent),
            tags: ids.map(id => document.getElementById(id).tagName),
            width: box.width, height: box.height,
            nodes: svg.querySelectorAll('.bf-diagram-node').length,
        };
    })()"""
    )
    assert svg["tags"] == ["title", "desc"]
    assert svg["labels"][0] == f"Relations of {ACTOR.title}"
    assert PARTNER.title in svg["labels"][1]
    assert svg["width"] > 200 and svg["height"] > 40 and svg["nodes"] >= 2
    backlinks = page.evaluate(
        "[...document.querySelectorAll('.bf-backlinks a')].map(a => a.textContent)"
    )
    assert backlinks, "no 'Referenced by' links"
    badges = page.evaluate(
        "[...document.querySelectorAll('.bf-statement .bf-badge')]"
        ".map(b => [b.textContent, getComputedStyle(b).display])"
    )
    assert badges and all(
        text in ("Reported", "Attributed", "Quote", "Assessment", "Forecast") and display != "none"
        for text, display in badges
    )
    permalinks = page.evaluate(
        "[...document.querySelectorAll('article.bf-statement')]"
        ".every(a => a.id && a.querySelector(`a.bf-permalink[href='#${a.id}']`))"
    )
    assert permalinks
    edit = page.evaluate("document.querySelector('a.md-content__button[rel=edit]').href")
    assert edit.endswith(f"/content/{ACTOR.path.removeprefix('content/')}")


def test_diagram_shows_without_javascript(browser: Browser, base_url: str) -> None:
    tab = browser.new_page()
    try:
        tab.send("Emulation.setScriptExecutionDisabled", {"value": True})
        tab.goto(base_url + PAGES["relations"])
        size = tab.send(
            "Runtime.evaluate",
            {
                "expression": "JSON.stringify(document.querySelector('svg.bf-diagram-svg')"
                ".getBoundingClientRect())",
                "returnByValue": True,
            },
        )
    finally:
        tab.close()
    # With scripts disabled, Runtime.evaluate still answers from the DevTools side.
    assert '"width":' in size["result"]["value"]


@pytest.mark.parametrize("name", PAGES)
def test_landmarks_and_heading_levels(page: Page, base_url: str, name: str) -> None:
    page.goto(base_url + PAGES[name])
    levels = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    landmarks = page.evaluate(
        "['header', 'main', 'nav', 'footer'].filter(t => document.querySelector(t))"
    )
    assert landmarks == ["header", "main", "nav", "footer"]
    unnamed_images = page.evaluate(
        "[...document.querySelectorAll('svg[role=img]')]"
        ".filter(s => !s.getAttribute('aria-labelledby') && !s.getAttribute('aria-label'))"
        ".length"
    )
    assert unnamed_images == 0


def test_print_shows_the_briefing_without_the_chrome(page: Page, base_url: str) -> None:
    page.goto(base_url + PAGES["actor"])
    page.print_media()
    hidden = page.evaluate(
        """['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-search',
            '.md-footer', '.md-content__button', '.bf-permalink']
           .map(s => [s, [...document.querySelectorAll(s)]
                .every(e => getComputedStyle(e).display === 'none' || !e.offsetParent)])"""
    )
    assert all(ok for _, ok in hidden), hidden
    shown = page.evaluate(
        """['.bf-statement', '.bf-quote', '.bf-badge', '.bf-diagram']
           .map(s => [s, [...document.querySelectorAll(s)].some(e => e.offsetParent !== null)])"""
    )
    assert all(ok for _, ok in shown), shown
    after = page.evaluate(
        """(() => {
        const a = document.createElement('a');
        a.href = 'https://example.org/report';
        a.textContent = 'a report';
        document.querySelector('.md-content .bf-summary').append(a);
        return getComputedStyle(a, '::after').content;
    })()"""
    )
    assert "https://example.org/report" in after
    keep_whole = page.evaluate(
        "getComputedStyle(document.querySelector('.bf-statement')).breakInside"
    )
    assert keep_whole == "avoid"


def test_screenshots(page: Page, base_url: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("BRIEFING_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("home", "actor", "timeline"):
        page.goto(base_url + PAGES[name])
        path = folder / f"{name}.png"
        page.screenshot(path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
