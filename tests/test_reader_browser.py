"""Issue 18's checks for the ten-minute reader, in headless Chromium at 1280x900 and 390x844.

Pages are picked from whatever content/ holds (no seed ids): as-of lines, provenance or
"not stated", timeline order, diagram label sizes measured on the rendered SVG, tables of
contents equal to the headings, the skip link landing on a briefing's bottom line and on the
title of any other sheet, no editors' page
in the readers' navigation, and a wide diagram printed on a landscape page.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from chromium import Browser, Page, chromium_binary, serve

from briefing.check.checker import check
from briefing.model import records
from briefing.present.diagram import PRINT_COLUMN_PX
from briefing.project import Project
from briefing.web.pages import shared, sheet_context
from tests.helpers import ROOT

CORPUS = check(Project(ROOT)).corpus
BRIEFINGS = [b for b in CORPUS.of_kind("briefing") if isinstance(b, records.Briefing)]
ACTORS = sorted(CORPUS.of_kind("actor"), key=lambda a: -len(CORPUS.involving("relation", a.id)))
EVENTS = list(CORPUS.events)
SOURCES = CORPUS.of_kind("source")
RELATIONS = CORPUS.of_kind("relation")
VIEWPORTS = {"desktop": (1280, 900, 11.0), "phone": (390, 844, 10.0)}
EDITORS = ("Content guide", "Building the PDFs", "Security", "Performance", "Upgrading")

BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(BINARY is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def base_url(project_site: Path) -> Iterator[str]:
    with serve(project_site) as url:
        yield url


@pytest.fixture(params=list(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, float]]:
    width, height, minimum = VIEWPORTS[request.param]
    page = browser.new_page(width, height)
    try:
        yield page, minimum
    finally:
        page.close()


# The smallest label in each diagram, in CSS px as rendered (font size times the SVG's scale).
SMALLEST_LABELS = """[...document.querySelectorAll('svg.bf-diagram-svg')].map(svg => {
    const m = svg.getScreenCTM(), scale = Math.hypot(m.a, m.b);
    return Math.min(...[...svg.querySelectorAll('text')].map(t =>
        parseFloat(t.closest('[font-size]').getAttribute('font-size')) * scale));
})"""
TOC = "[...document.querySelectorAll('.md-sidebar--secondary .md-nav__link')].map(a => a.hash)"
HEADINGS = (
    "[...document.querySelectorAll('.md-content h2[id], .md-content h3[id]')]"
    ".filter(h => !h.closest('.bf-statement')).map(h => '#' + h.id)"
)


def diagram_pages() -> list[str]:
    pages = ["relations/"]
    pages += [f"actors/{a.id}/" for a in ACTORS[:2] if CORPUS.involving("relation", a.id)]
    pages += [f"relations/{r.id}/" for r in RELATIONS[:1]]
    return pages


@pytest.mark.parametrize("path", diagram_pages())
def test_diagram_labels_are_legible(tab: tuple[Page, float], base_url: str, path: str) -> None:
    page, minimum = tab
    page.goto(base_url + path)
    sizes = page.evaluate(SMALLEST_LABELS)
    assert sizes, "no diagram drawn"
    assert min(sizes) >= minimum, sizes
    overflow = page.evaluate("document.documentElement.scrollWidth > innerWidth")
    assert not overflow  # a wide diagram scrolls in its own box, not the page


@pytest.mark.parametrize("briefing", BRIEFINGS, ids=lambda b: b.id)
def test_skip_link_lands_on_the_bottom_line(
    tab: tuple[Page, float], base_url: str, briefing: records.Briefing
) -> None:
    page, _ = tab
    page.goto(f"{base_url}briefings/{briefing.id}/")
    target = page.evaluate(
        "(() => { const a = document.querySelector('a.md-skip');"
        " const t = document.querySelector(a.hash);"
        " return [t.textContent, t.nextElementSibling.className]; })()"
    )
    assert target == ["Bottom line up front", "bf-bluf"]


def sheet_pages() -> list[str]:
    """The first page of each kind of sheet but briefings that content/ holds."""
    kinds = (("actors", ACTORS), ("relations", RELATIONS), ("events", EVENTS), ("sources", SOURCES))
    return [f"{folder}/{sheets[0].id}/" for folder, sheets in kinds if sheets]


@pytest.mark.parametrize("path", sheet_pages())
def test_skip_link_lands_on_the_title_above_the_summary(
    tab: tuple[Page, float], base_url: str, path: str
) -> None:
    page, _ = tab
    page.goto(base_url + path)
    target = page.evaluate(
        "(() => { const a = document.querySelector('a.md-skip');"
        " const t = document.querySelector(a.hash), s = document.querySelector('.bf-summary');"
        " return [t.tagName, t.className,"
        " !s || !!(t.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING)]; })()"
    )
    assert target == ["H1", "bf-title", True]


def toc_pages() -> list[str]:
    return [
        *(f"briefings/{b.id}/" for b in BRIEFINGS),
        *(f"actors/{a.id}/" for a in ACTORS[:1]),
        *(f"events/{e.id}/" for e in EVENTS[:1]),
        "timeline/",
        "relations/",
    ]


@pytest.mark.parametrize("path", toc_pages())
def test_table_of_contents_equals_the_headings(browser: Browser, base_url: str, path: str) -> None:
    page = browser.new_page()
    try:
        page.goto(base_url + path)
        toc, headings = page.evaluate(TOC), page.evaluate(HEADINGS)
    finally:
        page.close()
    assert toc == headings and toc


def test_readers_navigation_holds_no_editors_page(tab: tuple[Page, float], base_url: str) -> None:
    page, _ = tab
    page.goto(base_url)
    titles = page.evaluate(
        "[...document.querySelectorAll('.md-nav--primary .md-ellipsis')]"
        ".map(e => e.textContent.trim())"
    )
    reader = titles[: titles.index("For editors")]
    assert "PDF briefings" in reader
    assert not set(EDITORS) & set(reader), reader


def as_of_pages() -> list[str]:
    return [
        *(f"briefings/{b.id}/" for b in BRIEFINGS),
        *(f"actors/{a.id}/" for a in ACTORS[:3]),
        *(f"events/{e.id}/" for e in EVENTS),
    ]


@pytest.mark.parametrize("path", as_of_pages())
def test_as_of_and_sources_lines(tab: tuple[Page, float], base_url: str, path: str) -> None:
    page, _ = tab
    page.goto(base_url + path)
    line = page.evaluate("document.querySelector('.md-content .bf-provenance').innerText")
    assert line.startswith("As of ") and "\nSources " in line, line
    visible = page.evaluate(
        "document.querySelector('.md-content .bf-provenance').getBoundingClientRect().top"
    )
    assert visible < 900  # on the first screen


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.id)
def test_source_page_gives_provenance_or_not_stated(
    tab: tuple[Page, float], base_url: str, source: records.Sheet
) -> None:
    page, _ = tab
    page.goto(f"{base_url}sources/{source.id}/")
    facts = dict(
        page.evaluate(
            "[...document.querySelectorAll('.bf-facts dt')]"
            ".map(dt => [dt.textContent, dt.nextElementSibling.textContent.trim()])"
        )
    )
    for field in ("Title", "Author", "Publisher", "Published", "Address", "Archived copy"):
        assert facts.get(field), (field, facts)


def test_timeline_lists_events_in_the_corpus_order(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(base_url + "timeline/")
        shown = page.evaluate("[...document.querySelectorAll('.bf-timeline > li')].map(l => l.id)")
    finally:
        page.close()
    assert shown == [e.id for e in EVENTS]


def widest_actor() -> records.Sheet | None:
    """An actor whose neighbourhood is drawn wider than the printed column, if any."""
    data = shared(check(Project(ROOT)))
    from briefing.present.links import SiteLinker

    for actor in ACTORS:
        path = f"actors/{actor.id}.md"
        svg = str(sheet_context(SiteLinker(CORPUS, path), data, actor).get("diagram", ""))
        if "bf-diagram-wide" in svg:
            return actor
    return None


def test_a_wide_diagram_prints_on_a_landscape_page(browser: Browser, base_url: str) -> None:
    actor = widest_actor()
    if actor is None:
        pytest.skip(f"no actor's diagram is wider than {PRINT_COLUMN_PX} px")
    page = browser.new_page()
    try:
        page.goto(f"{base_url}actors/{actor.id}/")
        data = page.send("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    finally:
        page.close()
    pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(data)))
    landscape = [p for p in pdf.pages if p.mediabox.width > p.mediabox.height]
    assert len(landscape) == 1, [(p.mediabox.width, p.mediabox.height) for p in pdf.pages]
    text = landscape[0].extract_text()
    assert "Relations" in text and actor.title in text


# The first diagram's frame, its own actor's node (in CSS px of the viewport) and its scroll.
FOCUS_IN_VIEW = """(() => {
    const figure = document.querySelector('.bf-diagram');
    const node = figure.querySelector('.bf-diagram-focus');
    const frame = figure.getBoundingClientRect(), box = node.getBoundingClientRect();
    return {hidden: figure.scrollWidth - figure.clientWidth, scrolled: figure.scrollLeft,
            frame: [frame.left, frame.right], node: [box.left, box.right]};
})()"""


def test_a_wide_diagram_opens_on_a_phone_with_its_actor_in_view(
    browser: Browser, base_url: str
) -> None:
    actor = widest_actor()
    if actor is None:
        pytest.skip(f"no actor's diagram is wider than {PRINT_COLUMN_PX} px")
    width, height, _ = VIEWPORTS["phone"]
    page = browser.new_page(width, height)
    try:
        page.goto(f"{base_url}actors/{actor.id}/")
        seen = page.evaluate(FOCUS_IN_VIEW)
    finally:
        page.close()
    assert seen["hidden"] > 0, seen  # wider than the phone: it scrolls sideways
    (left, right), (node_left, node_right) = seen["frame"], seen["node"]
    assert left <= node_left and node_right <= right, seen
    if 0 < seen["scrolled"] < seen["hidden"]:  # not held at an end: the actor is in the middle
        assert abs((node_left + node_right) / 2 - (left + right) / 2) <= 1, seen
