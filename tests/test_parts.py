"""Briefing sections' anchors (briefing.web.parts) and their place in the table of contents."""

from __future__ import annotations

from mkdocs.structure.toc import AnchorLink, TableOfContents

from briefing.web import parts
from briefing.web.speedups import with_raw_headings


def test_section_anchors_are_title_slugs_unique_on_the_page() -> None:
    titles = ["The Coalition", "the coalition!", "Key judgments", "¿?", "Trade", "2024: a year"]
    taken = {"_key-judgments", "trade"}  # a statement 'trade' already has that id
    assert parts.section_anchors(titles, taken) == [
        "the-coalition",
        "the-coalition-2",
        "key-judgments",
        "section",
        "trade-2",
        "2024-a-year",
    ]


def test_raw_section_headings_join_the_table_of_contents_in_page_order() -> None:
    html = (
        '<h2 id="_key-judgments">Key judgments<a class="headerlink" href="#_key-judgments">¶</a></h2>'
        '<h2 class="bf-section-title" id="ties">Ties &amp; trade</h2>'
        '<h2 id="_statements">Statements</h2>'
    )
    toc = TableOfContents(
        [
            AnchorLink("Key judgments", "_key-judgments", 2),
            AnchorLink("Statements", "_statements", 2),
        ]
    )
    entries = [(item.title, item.id, item.level) for item in with_raw_headings(toc, html)]
    assert entries == [
        ("Key judgments", "_key-judgments", 2),
        ("Ties &amp; trade", "ties", 2),  # as the page prints it: escaped
        ("Statements", "_statements", 2),
    ]
