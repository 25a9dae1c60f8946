"""briefing.web.scan and JSON-LD data blocks: the pages' annotations pass, script does not.

HTML runs a <script> whose type, stripped of ASCII white space, is missing or empty, a
JavaScript MIME type (any case, parameters allowed), "module", "importmap" or
"speculationrules"; with no type, a `language` attribute names one. Every other type is a
data block, never run. The scan accepts only type="application/ld+json" (any ASCII case,
ASCII white space around it), alone, holding JSON without '<'.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.data.annotations import script_json
from briefing.web.scan import scan_html

DATA = '{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationPage","items":[]}'

ACCEPTED = [
    f'<script type="application/ld+json">{DATA}</script>',
    f'<script type="Application/LD+JSON">{DATA}</script>',
    f'<script type=" application/ld+json\t\n">{DATA}</script>',
    f"<script type='application/ld+json'>\n{DATA}\n</script>",
    f'<script type="application/ld&#43;json">{DATA}</script>',  # entities decode first
]

REFUSED = [
    ("executable by type", f'<script type="text/javascript">{DATA}</script>', "not one of"),
    ("no type", "<script>alert(1)</script>", "not one of"),
    ("empty type", '<script type="">alert(1)</script>', "not one of"),
    ("javascript, odd case", '<script type=" TEXT/JavaScript ">alert(1)</script>', "not one of"),
    ("with parameters", '<script type="text/javascript; x=1">alert(1)</script>', "not one of"),
    ("module", '<script type="module">import "x"</script>', "not one of"),
    ("importmap", '<script type="importmap">{"imports": {}}</script>', "not one of"),
    ("speculation rules", '<script type="speculationrules">{}</script>', "not one of"),
    ("language", '<script language="javascript">alert(1)</script>', "not one of"),
    # A browser reads the first of two type attributes (and runs this); html.parser the last.
    (
        "two types",
        f'<script type="text/javascript" type="application/ld+json">{DATA}</script>',
        "data block with attributes other than",
    ),
    (
        "a src beside it",
        f'<script type="application/ld+json" src="x.js">{DATA}</script>',
        "data block with attributes other than",
    ),
    (
        "a language beside it",
        f'<script type="application/ld+json" language="javascript">{DATA}</script>',
        "data block with attributes other than",
    ),
    ("not JSON", '<script type="application/ld+json">alert(1)</script>', "does not hold JSON"),
    (
        "a comment opener",
        '<script type="application/ld+json">{"a": "<!--<script>"}</script>',
        "holds '<'",
    ),
    # Not white space to HTML: a browser would see another type and not run it, but only
    # the exact type is accepted.
    ("no-break space", f'<script type="application/ld+json\u00a0">{DATA}</script>', "not one"),
    ("json with parameters", f'<script type="application/ld+json;a=b">{DATA}</script>', "not"),
    ("plain json", f'<script type="application/json">{DATA}</script>', "not one of"),
]


@pytest.mark.parametrize("html", ACCEPTED)
def test_a_json_ld_data_block_passes(tmp_path: Path, html: str) -> None:
    assert scan_html(f"<p>page</p>\n{html}", "page.html", tmp_path) == []


@pytest.mark.parametrize(("name", "html", "why"), REFUSED, ids=[c[0] for c in REFUSED])
def test_anything_else_is_refused(tmp_path: Path, name: str, html: str, why: str) -> None:
    findings = scan_html(f"<p>page</p>\n{html}", "page.html", tmp_path)
    assert [(f.line, f.col) for f in findings] == [(2, 1)]
    assert why in findings[0].message


def test_a_data_block_in_the_search_index_is_still_refused() -> None:
    findings = scan_html(f'<script type="application/ld+json">{DATA}</script>', "index#x")
    assert [f.message for f in findings] == ["<script> in a search index entry"]


def test_values_cannot_break_out_of_the_block(tmp_path: Path) -> None:
    hostile = {"value": '</script><script>alert(1)</script><!-- & "'}
    html = f'<script type="application/ld+json">{script_json(hostile)}</script>'
    assert "<" not in str(script_json(hostile))
    assert scan_html(html, "page.html", tmp_path) == []
