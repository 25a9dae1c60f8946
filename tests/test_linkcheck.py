"""The post-build link check: internal links and anchors of built HTML, with exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.web.linkcheck import check_links
from tests.helpers import write_files

SITE = {
    "index.html": '<a href="actors/china/">China</a> <a href="actors/china/#trade">trade</a>'
    '<link rel="stylesheet" href="assets/site.css"><script src="assets/site.js"></script>'
    '<a href="https://example.org/x">out</a> <a href="mailto:a@example.org">mail</a>'
    '<a href="#top" id="top">top</a> <a href="">here</a> <a href="?q=1">query</a>'
    '<link rel="canonical" href="/elsewhere/">',
    "actors/china/index.html": '<article id="trade"></article><a href="../../">home</a>'
    '<a href="/index.html#top">root-absolute</a><a href="../../tags/#tag:a%20b">tag</a>'
    '<svg><a href="../russia/"><text>Russia</text></a></svg><img src="../../assets/a.png">',
    "actors/russia/index.html": '<p><a name="old"></a><a href="../china/index.html#trade">x</a>',
    "tags/index.html": '<h2 id="tag:a b">a b</h2>',
    "assets/site.css": "",
    "assets/site.js": "",
    "assets/a.png": "",
}


def test_a_sound_site_has_no_broken_links(tmp_path: Path) -> None:
    write_files(tmp_path, SITE)
    assert check_links(tmp_path) == []


@pytest.mark.parametrize(
    ("html", "message"),
    [
        (
            '<a href="../nowhere/">x</a>',
            "actors/page.html: broken link '../nowhere/': no such file (nowhere/index.html)",
        ),
        (
            '<a href="../actors/china/#missing">x</a>',
            "actors/page.html: broken link '../actors/china/#missing': "
            "no element with id 'missing' in actors/china/index.html",
        ),
        (
            '<a href="#nope">x</a>',
            "actors/page.html: broken link '#nope': no element with id 'nope' in actors/page.html",
        ),
        (
            '<img src="missing.png">',
            "actors/page.html: broken link 'missing.png': no such file (actors/missing.png)",
        ),
        (
            '<a href="../../../etc/passwd">x</a>',
            "actors/page.html: broken link '../../../etc/passwd': points outside the site",
        ),
        (
            '<a href="javascript:alert(1)">x</a>',
            "actors/page.html: broken link 'javascript:alert(1)': 'javascript:' URLs are not allowed",
        ),
        (
            '<svg><a href="../actors/iran/"><text>Iran</text></a></svg>',
            "actors/page.html: broken link '../actors/iran/': no such file (actors/iran/index.html)",
        ),
    ],
)
def test_each_broken_link_is_named_with_its_page(tmp_path: Path, html: str, message: str) -> None:
    write_files(tmp_path, {**SITE, "actors/page.html": html})
    assert [str(b) for b in check_links(tmp_path)] == [message]


def test_problems_are_sorted_and_counted_once(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {**SITE, "b.html": '<a href="x/">1</a><a href="x/">2</a>', "a.html": '<a href="y/">'},
    )
    assert [(b.page, b.url) for b in check_links(tmp_path)] == [("a.html", "y/"), ("b.html", "x/")]


def test_a_link_is_judged_from_each_page_that_holds_it(tmp_path: Path) -> None:
    """One verdict serves every page of a folder, but not a link to a place on the page."""
    write_files(
        tmp_path,
        {
            "a/one.html": '<p id="here"></p><a href="#here">x</a><a href="two.html#gone">y</a>'
            '<a href="../b/">z</a>',
            "a/two.html": '<a href="#here">x</a><a href="two.html#gone">y</a><a href="../b/">z</a>',
            "b/index.html": '<a href="../b/">z</a><a href="two.html#gone">y</a>',
        },
    )
    assert [str(link) for link in check_links(tmp_path)] == [
        "a/one.html: broken link 'two.html#gone': no element with id 'gone' in a/two.html",
        "a/two.html: broken link '#here': no element with id 'here' in a/two.html",
        "a/two.html: broken link 'two.html#gone': no element with id 'gone' in a/two.html",
        "b/index.html: broken link 'two.html#gone': no such file (b/two.html)",
    ]
