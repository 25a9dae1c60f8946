"""Injection payloads built into one real site: every payload is literal text, nothing runs.

The corpus (tests/hostile/payloads.py) puts each payload into every text field of an
actor, an event, a relation and a briefing, and title-safe payloads into names, aliases,
tags, section titles and the nav. The site is built once with the real templates and
mkdocs.yml; then, per payload, its pages are parsed and the folded payload must appear as
text where the field is shown; the scanner must find nothing; and the canary planted
outside content/ and docs/ (which snippet syntax, Jinja includes and '../' try to pull
in) must appear in no file of the site.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.pipeline import build_site
from briefing.web.scan import scan_html, scan_site
from tests.helpers import make_corpus
from tests.hostile.cases import CANARY, plant_canary
from tests.hostile.payloads import PAYLOADS, YAML_11_ALIASES, Payload, corpus

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """A built page's text, grouped by the classes and tags of the elements that hold it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[str]]] = []
        self.text: dict[str, list[str]] = defaultdict(list)
        self.links: list[list[str]] = []  # [href, text]
        self.data: list[str] = []
        self.open_links = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self.links.append([attributes.get("href") or "", ""])
            self.open_links += 1
        if tag not in VOID:
            self.stack.append((tag, (attributes.get("class") or "").split()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open_links:
            self.open_links -= 1
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        if self.open_links:
            self.links[-1][1] += data
        keys = {key for tag, classes in self.stack for key in (tag, *classes)}
        for key in keys:
            self.text[key].append(data)

    def of(self, key: str) -> str:
        """All text inside elements of that tag or class, white space folded."""
        return " ".join("".join(self.text[key]).split())

    def all_text(self) -> str:
        """All text of the document or fragment, white space folded."""
        return " ".join("".join(self.data).split())

    def link_texts(self) -> list[tuple[str, str]]:
        """(href, text) of every link, text folded."""
        return [(href, " ".join(text.split())) for href, text in self.links]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-site")
    project = make_corpus(tmp, corpus())
    plant_canary(tmp, project.root)
    (project.root / ".env").write_text(f"SECRET={CANARY}\n")
    config = project.root / "mkdocs.yml"
    nav = "".join(f"  - actors/p{n:02d}.md\n" for n, p in enumerate(PAYLOADS) if p.is_title)
    config.write_text(
        config.read_text().replace("  - About: about.md\n", f"  - About: about.md\n{nav}")
    )
    build_site(project, project.root / "site")  # fails if the scanner finds anything
    return project.root / "site"


@functools.cache
def page(site: Path, path: str) -> Page:
    """The parsed page at a directory URL of the site (parsed once per run)."""
    return Page((site / path / "index.html").read_text(encoding="utf-8"))


def number(payload: Payload) -> str:
    return f"{PAYLOADS.index(payload):02d}"


def title_of(payload: Payload) -> str:
    n = number(payload)
    return f"Payload {n} {payload.folded}" if payload.is_title else f"Payload {n}"


def test_the_scanner_finds_nothing_in_the_hostile_site(site: Path) -> None:
    assert scan_site(site) == []


def test_the_canary_is_in_no_file_of_the_site(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 200
    for file in files:
        data = file.read_bytes()
        if file.suffix == ".gz":
            data = gzip.decompress(data)
        assert CANARY.encode() not in data, file
        assert b"SECRET=" not in data, file


def test_the_site_has_a_page_for_every_payload_sheet(site: Path) -> None:
    for n in range(len(PAYLOADS)):
        for folder, prefix in (
            ("actors", "p"),
            ("events", "e"),
            ("relations", "r"),
            ("briefings", "b"),
        ):
            assert (site / folder / f"{prefix}{n:02d}" / "index.html").is_file()


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_payload_is_literal_text_in_every_field(site: Path, payload: Payload) -> None:
    n, folded = number(payload), payload.folded
    actor = page(site, f"actors/p{n}")
    for key in ("bf-summary", "bf-facts", "bf-claim", "bf-attribution", "bf-figures"):
        assert folded in actor.of(key), key
    assert f"“{folded}”" in actor.of("bf-quote")
    if payload.is_label:
        assert ("../china/", folded) in actor.link_texts()
    event = page(site, f"events/e{n}")
    assert folded in event.of("bf-summary") and folded in event.of("bf-date-note")
    assert folded in page(site, f"relations/r{n}").of("bf-summary")
    briefing = page(site, f"briefings/b{n}")
    assert folded in briefing.of("bf-bluf") and folded in briefing.of("bf-section")
    assert folded in briefing.of("bf-judgments")  # the key judgment, shown in full
    source = page(site, "sources/hostile")
    assert f"“{folded}”" in source.of("bf-quote")  # cited in
    assert folded in page(site, "actors").of("bf-summary")  # section index


@pytest.mark.parametrize(
    "payload", [p for p in PAYLOADS if p.is_title], ids=[p.name for p in PAYLOADS if p.is_title]
)
def test_title_safe_payload_is_literal_in_title_header_nav_and_search(
    site: Path, payload: Payload
) -> None:
    n, title = number(payload), title_of(payload)
    actor = page(site, f"actors/p{n}")
    # The page's <title> comes first; the diagrams' SVG <title>s follow it.
    assert actor.of("title").startswith(f"{title} - Briefing")
    # The hidden kind for search results, then the name, ', also called' and the aliases.
    assert actor.of("bf-title").startswith(f"Actor: {title}")
    assert title in actor.of("md-header__topic")
    assert (f"../actors/p{n}/", title) in page(site, "about").link_texts()  # the nav entry
    assert payload.folded in actor.of("md-tag") and payload.folded in actor.of("bf-facts")
    section = page(site, f"briefings/b{n}")
    assert section.of("bf-section-title") == title


def test_yaml_11_scalars_stay_as_written(site: Path) -> None:
    norway = page(site, "actors/norway")
    assert norway.of("title").startswith("NO - Briefing")
    assert norway.of("bf-title") == f"Actor: NO, also called {YAML_11_ALIASES}"
    assert norway.of("bf-kind") == "Actor · state"
    assert norway.of("dd") == "12:30:00"  # the role
    assert norway.of("md-tag") == "NOYes"  # two tags, each its own chip
    assert norway.of("bf-summary") == "0o755"


def test_an_odd_but_valid_url_is_an_escaped_attribute(site: Path) -> None:
    source = page(site, "sources/hostile")
    url = 'https://example.org/a?b=1&c=<script>#"onmouseover="alert(1)'
    assert (url, url) in source.link_texts()
    raw = (site / "sources/hostile/index.html").read_text(encoding="utf-8")
    assert (
        'href="https://example.org/a?b=1&amp;c=&lt;script&gt;#&#34;onmouseover=&#34;alert(1)"'
        in raw
    )


THEME_ALTERATIONS = [
    (
        "scope script pointed elsewhere",
        r'new URL\("\.\./\.\.",location\)',
        'new URL("https://evil.example",location)',
        "<script> that is not one of the theme's own",
    ),
    (
        "palette script with a statement added",
        r'(<script>var palette=__md_get\("__palette"\);)',
        r"\1alert(1);",
        "<script> that is not one of the theme's own",
    ),
    (
        "config with an extra key",
        r'(<script id="__config" type="application/json">\{)',
        r'\1"x": 1, ',
        "<script> id='__config' does not hold the theme's configuration",
    ),
    (
        "config that is not JSON",
        r'(<script id="__config" type="application/json">)',
        r"\1alert(1);",
        "<script> id='__config' does not hold JSON",
    ),
    (
        "bundle replaced by a missing file",
        r'src="\.\./\.\./assets/javascripts/bundle\.[0-9a-f]+\.min\.js"',
        'src="../../assets/javascripts/evil.js"',
        "<script> src '../../assets/javascripts/evil.js' is not a file under "
        "assets/javascripts/ of this site",
    ),
    (
        "bundle path climbing out of assets/javascripts/",
        r'src="\.\./\.\./assets/javascripts/bundle\.[0-9a-f]+\.min\.js"',
        'src="../../assets/javascripts/../../sources/hostile.txt.js"',
        "<script> src '../../assets/javascripts/../../sources/hostile.txt.js' is not a file "
        "under assets/javascripts/ of this site",
    ),
    (
        "bundle with an extra attribute",
        r'(src="\.\./\.\./assets/javascripts/bundle\.[0-9a-f]+\.min\.js")',
        r'\1 integrity="x"',
        "<script> that is not one of the theme's own",
    ),
]


def test_the_themes_own_scripts_pass_the_scan(site: Path) -> None:
    # The theme's scripts, and on a sheet page with statements their JSON-LD data block.
    for path, blocks in (("actors/p00/index.html", 1), ("index.html", 0), ("404.html", 0)):
        html = (site / path).read_text(encoding="utf-8")
        assert html.count('<script type="application/ld+json">') == blocks, path
        # Material's five, the search and diagram scripts, and the data block if any.
        assert html.count("<script") == 7 + blocks, path
        assert scan_html(html, path, site) == [], path


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [c[1:] for c in THEME_ALTERATIONS],
    ids=[c[0] for c in THEME_ALTERATIONS],
)
def test_an_altered_theme_script_is_caught(
    site: Path, pattern: str, replacement: str, message: str
) -> None:
    path = "actors/p00/index.html"
    html, count = re.subn(pattern, replacement, (site / path).read_text(encoding="utf-8"))
    assert count == 1
    assert [f.message for f in scan_html(html, path, site)] == [message]
