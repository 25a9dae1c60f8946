"""briefing.web.scan on crafted HTML: every construct it must catch, with its exact finding.

The built sites in the other suites must scan clean; these cases prove the scanner would
notice if they did not. Theme-page cases (Material's own scripts, altered) are in
test_hostile_site.py, which has a built site at hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.web.scan import scan_html, scan_search_index, scan_site, script_url
from tests.helpers import ROOT

P = "page.html"

CAUGHT = [
    (
        "inline script",
        "<p>x</p>\n<script>alert(1)</script>",
        ["page.html:2:1: <script> that is not one of the theme's own"],
    ),
    (
        "script in svg",
        "<svg><script>alert(1)</script></svg>",
        ["page.html:1:6: <script> that is not one of the theme's own"],
    ),
    (
        "external script",
        '<script src="https://evil.example/x.js"></script>',
        [
            "page.html:1:1: <script> src 'https://evil.example/x.js' is not under assets/javascripts/"
        ],
    ),
    ("unclosed script", "<script>alert(1)", ["page.html:1:1: <script> never closed"]),
    (
        "event handler",
        '<img src="x.png" onerror="alert(1)">',
        ["page.html:1:1: event-handler attribute 'onerror' on <img>"],
    ),
    (
        "event handler in capitals",
        "<BODY ONLOAD=alert(1)>",
        ["page.html:1:1: event-handler attribute 'onload' on <body>"],
    ),
    (
        "javascript: href",
        '<a href="javascript:alert(1)">x</a>',
        ["page.html:1:1: 'javascript:' URL in href of <a>"],
    ),
    (
        "entity-encoded scheme",
        '<a href="&#106;ava&#x73;cript&colon;alert(1)">x</a>',
        ["page.html:1:1: 'javascript:' URL in href of <a>"],
    ),
    (
        "tab and newline in the scheme",
        '<a href="  java\tscr\nipt:alert(1)">x</a>',
        ["page.html:1:1: 'javascript:' URL in href of <a>"],
    ),
    (
        "control character before the scheme",
        '<a href="\x01javascript:alert(1)">x</a>',
        ["page.html:1:1: 'javascript:' URL in href of <a>"],
    ),
    (
        "mixed case vbscript:",
        '<a href="VbScRiPt:msgbox(1)">x</a>',
        ["page.html:1:1: 'vbscript:' URL in href of <a>"],
    ),
    (
        "data: image",
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        ["page.html:1:1: 'data:' URL in src of <img>"],
    ),
    (
        "data: in srcset",
        '<img srcset="a.png 1x, data:image/png;base64,AA 2x">',
        ["page.html:1:1: 'data:' URL in srcset of <img>"],
    ),
    (
        "form action",
        '<form action="https://evil.example"><button formaction="javascript:x">b</button></form>',
        [
            "page.html:1:1: <form> element",
            "page.html:1:37: 'javascript:' URL in formaction of <button>",
        ],
    ),
    (
        "xlink:href",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        ["page.html:1:6: 'javascript:' URL in xlink:href of <a>"],
    ),
    ("iframe", '<iframe src="https://evil.example"></iframe>', ["page.html:1:1: <iframe> element"]),
    ("object", '<object data="x.swf"></object>', ["page.html:1:1: <object> element"]),
    ("embed", '<embed src="x.swf">', ["page.html:1:1: <embed> element"]),
    ("base", '<base href="https://evil.example/">', ["page.html:1:1: <base> element"]),
    (
        "meta refresh",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        ["page.html:1:1: <meta http-equiv> element"],
    ),
    (
        "self-closing script",
        '<script src="javascript:alert(1)"/>',
        [
            "page.html:1:1: 'javascript:' URL in src of <script>",
            "page.html:1:1: <script> src 'javascript:alert(1)' is not under assets/javascripts/",
        ],
    ),
    (
        "a form that looks like the theme's but posts",
        '<form class="md-search__form" name="search" action="https://evil.example">',
        ["page.html:1:1: <form> element"],
    ),
    (
        "theme-like script with one byte changed",
        "<script>var target=document.getElementById(location.hash.slice(1));alert(1)</script>",
        ["page.html:1:1: <script> that is not one of the theme's own"],
    ),
]

SAFE = [
    ("escaped script", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("javascript: as text", "<p>javascript:alert(1) [x](javascript:alert(1))</p>"),
    ("https link", '<a href="https://example.org/?q=javascript:x">x</a>'),
    ("relative link named like a scheme", '<a href="./javascript-notes/">x</a>'),
    ("mailto", '<a href="mailto:a@example.org">x</a>'),
    ("on- prefixed text in a value", '<p class="online" title="onerror=alert(1)">x</p>'),
    (
        "the theme's search form",
        '<form class="md-search__form" name="search"><input name="query"></form>',
    ),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in CAUGHT], ids=[c[0] for c in CAUGHT])
def test_scanner_catches(html: str, expected: list[str]) -> None:
    assert [str(f) for f in scan_html(html, P, site=Path("/nonexistent"))] == expected


@pytest.mark.parametrize("html", [c[1] for c in SAFE], ids=[c[0] for c in SAFE])
def test_scanner_leaves_literal_text_and_plain_links_alone(html: str) -> None:
    assert scan_html(html, P, site=Path("/nonexistent")) == []


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:x", "javascript:"),
        (" \x00JAVASCRIPT:x", "javascript:"),
        ("java\u0085script:x", "javascript:"),
        ("data:,x", "data:"),
        ("vbscript:x", "vbscript:"),
        ("https://x.org/javascript:", None),
        ("#javascript:", None),
    ],
)
def test_script_url_folds_what_browsers_ignore(url: str, scheme: str | None) -> None:
    assert script_url(url) == scheme


def test_search_index_fragments_are_scanned_without_allowing_any_script() -> None:
    index = {
        "docs": [
            {"location": "a/", "title": "A &amp; B", "text": "<p>&lt;script&gt;</p>"},
            {
                "location": "b/",
                "title": "<img src=x onerror=alert(1)>",
                "text": "<script>x</script>",
            },
        ]
    }
    found = [str(f) for f in scan_search_index(json.dumps(index), "search/search_index.json")]
    assert found == [
        "search/search_index.json#docs[1].title:1:1: event-handler attribute 'onerror' on <img>",
        "search/search_index.json#docs[1].text:1:1: <script> in a search index entry",
    ]


def test_scan_site_and_command_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text('<p onclick="x">a</p>')
    (site / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'
    )
    (site / "b.txt").write_text("<script>not html</script>")
    assert [str(f) for f in scan_site(site)] == [
        "a/index.html:1:1: event-handler attribute 'onclick' on <p>",
        "logo.svg:1:41: <script> that is not one of the theme's own",
    ]
    command = [sys.executable, "-m", "briefing.web.scan", str(site)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"2 unsafe construct(s) in {site}"
    (site / "a/index.html").write_text("<p>a</p>")
    (site / "logo.svg").unlink()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"ok: no unsafe HTML in {site}\n")


# Zensical 0.0.73's first inline script, as its theme writes it on a page one folder down.
ZENSICAL_SCOPE = (
    '__md_scope=new URL("..",location),__md_scope.pathname.endsWith("/")||(__md_scope=new URL('
    '__md_scope.pathname+"/",location)),__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+'
    "t.charCodeAt(0)),0),__md_get=(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem("
    '_.pathname+"."+e)),__md_set=(e,t,_=localStorage,a=__md_scope)=>{try{_.setItem('
    'a.pathname+"."+e,JSON.stringify(t))}catch(e){}},'
    'document.documentElement.setAttribute("data-platform",navigator.platform)'
)
ZENSICAL_CONFIG = {
    "annotate": None,
    "base": "..",
    "features": [],
    "redirect": None,
    "search": "../assets/javascripts/workers/search.js",
    "tags": None,
    "translations": {},
    "version": None,
}


def zensical_page(scope: str, config: dict[str, object], src: str) -> str:
    return (
        f"<script>{scope}</script>"
        f'<script id="__config" type="application/json">{json.dumps(config)}</script>'
        f'<script src="{src}"></script>'
    )


def test_zensical_theme_scripts_are_allowed_and_nothing_like_them(tmp_path: Path) -> None:
    (tmp_path / "assets/javascripts").mkdir(parents=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "assets/javascripts/bundle.js").write_text("", encoding="utf-8")
    page = "a/index.html"
    src = "../assets/javascripts/bundle.js"
    assert scan_html(zensical_page(ZENSICAL_SCOPE, ZENSICAL_CONFIG, src), page, tmp_path) == []
    # The home page loads it as './assets/...'.
    home = zensical_page(ZENSICAL_SCOPE.replace('"..",', '".",'), ZENSICAL_CONFIG, "./" + src[3:])
    assert scan_html(home, "index.html", tmp_path) == []
    redirect = {**ZENSICAL_CONFIG, "redirect": "https://evil.example/"}
    altered = zensical_page(ZENSICAL_SCOPE + ";alert(1)", redirect, "./assets/javascripts/x.js")
    assert [str(f) for f in scan_html(altered, page, tmp_path)] == [
        "a/index.html:1:1: <script> that is not one of the theme's own",
        "a/index.html:1:477: <script> id='__config' does not hold the theme's configuration",
        "a/index.html:1:721: <script> src './assets/javascripts/x.js' is not a file under "
        "assets/javascripts/ of this site",
    ]


def test_zensical_search_index_entries_paths_and_tags_are_scanned() -> None:
    index = {
        "config": {"lang": ["en"]},
        "items": [
            {"location": "a/", "title": "A", "text": "<p>a</p>", "path": ["Home"], "tags": []},
            {
                "location": "b/",
                "title": "B",
                "text": "<p>b</p>",
                "path": ["Actors", "<img src=x onerror=alert(1)>"],
                "tags": ["<script>x</script>"],
            },
        ],
    }
    assert [str(f) for f in scan_search_index(json.dumps(index), "search.json")] == [
        "search.json#items[1].path[1]:1:1: event-handler attribute 'onerror' on <img>",
        "search.json#items[1].tags[0]:1:1: <script> in a search index entry",
    ]
