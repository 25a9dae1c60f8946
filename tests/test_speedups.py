"""The generated-HTML stash (briefing/web/speedups.py) inside MkDocs' real page rendering.

tests/test_bench.py compares the stash with Markdown called directly. This builds a site
with MkDocs itself (the hook mkdocs.yml names), keeps each generated page as Page.render
left it, then renders the same Page again through Page.render without the speed-up: the
HTML must agree, and the anchors the hook backfilled must be the ids in the HTML, as
MkDocs' own HTML parser would have registered them.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from briefing.web.speedups import (
    MARK,
    THEME_BYTECODE,
    GeneratedHtmlExtension,
    MemoryBytecodeCache,
    ThemeLoader,
    with_raw_headings,
    with_theme_loader,
)
from tests.helpers import counting_compiles, make_corpus

# Stashed blocks are joined by blank lines where Markdown's HTML parser keeps the page's
# own line breaks (speedups.py says so): only white space between tags may differ.
_BETWEEN_TAGS = re.compile(r">\s+<")


class _Capture(BasePlugin):  # type: ignore[type-arg]
    """Keeps every generated page after the site's hook has backfilled its anchors."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[Page, Files, str, set[str]]] = {}

    @event_priority(-100)  # after every other on_page_content, the hook's among them
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.generated_by is not None:
            anchors = set(page.present_anchor_ids or ())
            self.pages[page.file.src_uri] = (page, files, html, anchors)
        return html


class _Ids(HTMLParser):
    """The anchors an HTML parser reads, by MkDocs' rule: every id, and name on <a>."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is not None and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


def _ids(html: str) -> set[str]:
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return parser.ids


def _build(tmp_path: Path) -> tuple[MkDocsConfig, _Capture]:
    project = make_corpus(tmp_path)
    config = load_config(
        str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True
    )
    capture = _Capture()
    config.plugins["test-capture"] = capture  # type: ignore[index]
    build(config)
    return config, capture


def test_mkdocs_renders_generated_pages_with_the_stash_as_without_it(tmp_path: Path) -> None:
    config, capture = _build(tmp_path)
    assert len(capture.pages) >= 5  # home, indexes, the two actors, the source...
    assert any(isinstance(e, GeneratedHtmlExtension) for e in config.markdown_extensions)
    plain_extensions: list[Any] = [
        e for e in config.markdown_extensions if not isinstance(e, GeneratedHtmlExtension)
    ]
    config.markdown_extensions = plain_extensions
    stashed_blocks = 0
    for path, (page, files, fast_html, fast_anchors) in sorted(capture.pages.items()):
        assert page.markdown is not None and page.markdown.startswith(MARK + "\n"), path
        stashed_blocks += fast_html.count("<div")
        # The written page holds exactly what Page.render (and the hook) produced.
        written = Path(config.site_dir, page.file.dest_uri).read_text(encoding="utf-8")
        assert fast_html in written, path

        page.markdown = page.markdown.removeprefix(MARK + "\n")
        page.render(config, files)  # MkDocs' own path, with Markdown's HTML parsers
        plain_html, plain_anchors = page.content or "", page.present_anchor_ids

        assert _BETWEEN_TAGS.sub("><", fast_html) == _BETWEEN_TAGS.sub("><", plain_html), path
        assert fast_anchors == plain_anchors, path
        assert fast_anchors == _ids(fast_html), path
    assert stashed_blocks > 0  # the pages did hold raw HTML for the stash to take


def _compiled(cache: MemoryBytecodeCache, templates: Path) -> tuple[str, int]:
    """Render page.html with a new environment (a new build, or a new process given a new
    cache); the text and how many templates Jinja compiled for it."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), bytecode_cache=cache)
    compiled = counting_compiles(env)
    return env.get_template("page.html").render(name="x"), compiled[0]


def test_theme_bytecode_is_kept_on_disk_for_the_next_process(tmp_path: Path) -> None:
    templates, folder = tmp_path / "templates", tmp_path / "bytecode"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<p>{{ name }}</p>", encoding="utf-8")
    assert _compiled(MemoryBytecodeCache(folder), templates) == ("<p>x</p>", 1)
    assert _compiled(MemoryBytecodeCache(folder), templates) == ("<p>x</p>", 0)
    page.write_text("<p>{{ name }}!</p>", encoding="utf-8")  # a new source: compiled again
    assert _compiled(MemoryBytecodeCache(folder), templates) == ("<p>x!</p>", 1)
    assert _compiled(MemoryBytecodeCache(folder), templates) == ("<p>x!</p>", 0)
    # Damaged (cut short; the right header, then no checksum): compiled again, not an error.
    for damage in (lambda data: data[:7], lambda data: jinja2.bccache.bc_magic + b"\x80?"):
        for kept in folder.iterdir():
            kept.write_bytes(damage(kept.read_bytes()))
        assert _compiled(MemoryBytecodeCache(folder), templates) == ("<p>x!</p>", 1)
        assert _compiled(MemoryBytecodeCache(folder), templates) == ("<p>x!</p>", 0)


def test_theme_bytecode_that_cannot_be_written_stays_in_memory(tmp_path: Path) -> None:
    templates, blocked = tmp_path / "templates", tmp_path / "blocked"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    blocked.write_text("a file where the folder would go", encoding="utf-8")
    cache = MemoryBytecodeCache(blocked / "bytecode")
    assert _compiled(cache, templates) == ("<p>x</p>", 1)
    assert _compiled(cache, templates) == ("<p>x</p>", 0)  # this process's memory
    assert _compiled(MemoryBytecodeCache(blocked / "bytecode"), templates) == ("<p>x</p>", 1)


def test_theme_bytecode_lives_in_the_python_environment_under_its_versions() -> None:
    folder = THEME_BYTECODE.folder
    assert folder is not None and Path(sys.prefix) in folder.parents
    assert f"jinja2-{jinja2.__version__}" in folder.name
    assert f"py{sys.version_info.major}.{sys.version_info.minor}" in folder.name


TITLE = (
    '<h1 class="bf-title" id="_title" data-pagefind-weight="10">'
    '<span class="bf-search-kind">Actor: </span>China</h1>\n<p class="bf-summary">S.</p>\n'
)


def _entries(toc: TableOfContents) -> list[tuple[int, str, str, list[str]]]:
    return [(i.level, i.id, i.title, [c.id for c in i.children]) for i in toc.items]


def test_a_sheets_title_heads_its_table_of_contents_for_the_skip_link() -> None:
    sections = TableOfContents([AnchorLink("Statements", "_statements", 2)])
    page = TITLE + '<h2 id="_statements">Statements</h2>'
    assert _entries(with_raw_headings(sections, page)) == [(1, "_title", "China", ["_statements"])]
    # No section at all: the skip link still has the title to land on.
    assert _entries(with_raw_headings(TableOfContents([]), TITLE)) == [(1, "_title", "China", [])]


def test_a_briefing_keeps_its_bottom_line_first_for_the_skip_link() -> None:
    page = TITLE + '<h2 class="bf-bluf-title" id="_bottom-line">Bottom line up front</h2>'
    toc = with_raw_headings(TableOfContents([]), page)
    assert _entries(toc) == [(2, "_bottom-line", "Bottom line up front", [])]


def test_the_theme_loader_lists_what_mkdocs_keeps_without_hidden_folders(tmp_path: Path) -> None:
    """The theme's static files are the same; only the names MkDocs drops are not listed."""
    project = make_corpus(tmp_path)
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    (project.root / "templates" / "theme" / ".hidden").mkdir()
    (project.root / "templates" / "theme" / ".hidden" / "x.css").write_text("", "utf-8")
    plain = config.theme.get_env()
    assert type(plain.loader) is jinja2.FileSystemLoader
    fast = with_theme_loader(config.theme.get_env)()
    assert isinstance(fast.loader, ThemeLoader)
    everything = plain.loader.list_templates()
    hidden = [name for name in everything if any(p.startswith(".") for p in name.split("/"))]
    assert ".hidden/x.css" in hidden and len(hidden) > 1000  # Material's .icons
    assert fast.loader.list_templates() == [name for name in everything if name not in hidden]
    kept = []
    for env in (plain, fast):
        files = Files([])
        files.add_files_from_theme(env, config)
        kept.append(sorted((file.src_uri, file.abs_src_path) for file in files))
    assert kept[0] == kept[1] and kept[0]
