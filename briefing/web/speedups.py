"""Speed-ups the MkDocs hook installs: generated HTML skips Markdown's HTML parsers, and
compiled theme templates are kept across the builds of one process.

1. Raw HTML of generated pages is stashed without being parsed.

Python-Markdown finds raw HTML blocks by running an HTML parser over the whole page, and
MkDocs runs a second one to collect anchor ids. Generated pages are mostly raw HTML, so those
two pure-Python parses were a third of the site build (profile at 1,000 sheets). The render
stage already knows where its HTML is: a value never starts a line, so in a generated page

- a line that starts with a block-level tag ('<div', '<ul', '</section'...) starts a raw
  HTML block, which runs to the next blank line or heading line ('#');
- every other line (headings, blank lines) is Markdown.

Such blocks are stored in Markdown's own stash, exactly as its HTML block preprocessor
stores them, so the page's HTML is the same apart from white space between blocks
(tests/test_bench.py compares both ways on a synthetic corpus). Hand-written pages, which
do not start with MARK, go through Markdown unchanged.

2. MkDocs makes a new Jinja environment for every build, so `serve` compiled Material's
templates again after every edit (~40% of a rebuild of the seed corpus), and every
`briefing build` compiled them again (0.1 s of a 2.8 s build after an edit at 1,000
sheets). THEME_BYTECODE keeps their bytecode in memory, keyed by template name and checked
against the source; this module, unlike the hook file, is imported once per process, so
the cache survives. It also writes it into the Python environment (sys.prefix), for the
next process; where that cannot be written, only memory is used.

3. MkDocs lists every file of the theme, every build, to find the static ones to copy,
and drops every name in a hidden folder: Material's .icons holds 14,510 of its 14,511 files
(0.05 s of each build and of each save in the preview). The theme's loader skips hidden
folders when it lists (ThemeLoader), so the same files are copied.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable

import jinja2
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.structure.toc import AnchorLink, TableOfContents

from briefing.present.bytecode import MemoryBytecodeCache, bytecode_folder

# The first line of a generated page's Markdown (added by the MkDocs hook, removed here).
MARK = "<!-- briefing: generated page -->"
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# Anchor ids in stashed HTML: MkDocs no longer sees them, so the hook registers them.
_ANCHOR = re.compile(r"""<[A-Za-z][^>]*?\s(?:id|name)="([^"]*)\"""")


class _StashGeneratedHtml(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not lines or lines[0] != MARK:
            return lines
        out: list[str] = []
        block: list[str] = []
        for line in lines[1:]:
            if block and line.strip() and not line.startswith("#"):
                block.append(line)
                continue
            if block:
                out.extend(("", self.md.htmlStash.store("\n".join(block)), ""))
                block = []
            tag = _TAG.match(line)
            if tag and self.md.is_block_level(tag.group(1)):
                block.append(line)
            else:
                out.append(line)
        if block:
            out.extend(("", self.md.htmlStash.store("\n".join(block)), ""))
        return out


class GeneratedHtmlExtension(Extension):
    """Registers the stash before MkDocs' and Markdown's own HTML parsers run."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before mkdocs_raw_html (21) and html_block (20).
        md.preprocessors.register(_StashGeneratedHtml(md), "briefing_generated_html", 25)


def anchor_ids(page_html: str) -> set[str]:
    """The id (and <a name>) values in a page's HTML, as an HTML parser would read them."""
    return {html.unescape(value) for value in _ANCHOR.findall(page_html)}


class ThemeLoader(jinja2.FileSystemLoader):
    """The theme's loader, whose listing leaves out hidden folders (their files are no
    static files to MkDocs: see the docstring)."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, folders, names in os.walk(searchpath, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath).replace(os.path.sep, "/")
                prefix = "" if relative == "." else relative + "/"
                found.update(prefix + name for name in names)
        return sorted(found)


def with_theme_loader(
    get_env: Callable[[], jinja2.Environment],
) -> Callable[[], jinja2.Environment]:
    """A theme's get_env whose environment lists its files with ThemeLoader."""

    def made() -> jinja2.Environment:
        env = get_env()
        loader = env.loader
        if type(loader) is jinja2.FileSystemLoader:  # as MkDocs makes it
            env.loader = ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    return made


# The theme's compiled templates, kept for later processes (briefing.present.bytecode) under
# the versions that shape them: Python and Jinja2, and MkDocs and Material, which set up
# the environment.
THEME_BYTECODE = MemoryBytecodeCache(bytecode_folder("mkdocs", "mkdocs-material"))


# A section heading the templates write as raw HTML (the title is a value, so it never starts
# a Markdown line); Markdown's toc extension cannot see it.
_RAW_H2 = re.compile(r'<h2 class="bf-(?:section|bluf)-title" id="([^"]+)">(.*?)</h2>', re.S)
_ANY_TAG = re.compile(r"<[^>]*>")
# A sheet's title (templates/_sheet.md.j2), and the search kind it prints for Pagefind only.
_RAW_H1 = re.compile(r'<h1 class="bf-title" id="([^"]+)"[^>]*>(.*?)</h1>', re.S)
_SEARCH_KIND = re.compile(r'<span class="bf-search-kind">.*?</span>', re.S)
_BLUF = 'class="bf-bluf-title"'


def with_raw_headings(toc: TableOfContents, page_html: str) -> TableOfContents:
    """The page's table of contents with its raw-HTML headings, in page order.

    A title is taken as the page prints it, already escaped, so the nav shows it the same way.
    A sheet's title (its raw h1) becomes the first entry, with every other under it, unless
    the page opens on a bottom line: Material's skip link goes to the first entry, so a
    reader skipping the navigation lands where the page starts (an actor's title, above its
    summary; a briefing's bottom line), and Material's table of contents lists what is under
    a first h1, so it shows the same headings as before.
    """
    toc = _with_raw_sections(toc, page_html)
    title = _RAW_H1.search(page_html)
    top = list(toc.items)
    if title is None or _BLUF in page_html or (top and top[0].level == 1):
        return toc
    entry = AnchorLink(
        _ANY_TAG.sub("", _SEARCH_KIND.sub("", title.group(2))).strip(), title.group(1), 1
    )
    entry.children = top
    return TableOfContents([entry])


def _with_raw_sections(toc: TableOfContents, page_html: str) -> TableOfContents:
    """toc with the page's raw-HTML section headings, in page order."""
    extra = [
        AnchorLink(_ANY_TAG.sub("", title).strip(), anchor, 2)
        for anchor, title in _RAW_H2.findall(page_html)
    ]
    if not extra:
        return toc
    top = list(toc.items)
    if len(top) == 1 and top[0].level == 1:
        # A Markdown title (the timeline's '# Timeline'): Material lists only its children.
        title = top[0]
        title.children = sorted(
            [*title.children, *extra], key=lambda item: _position(page_html, item.id)
        )
        return TableOfContents(top)
    items = [*top, *extra]
    items.sort(key=lambda item: _position(page_html, item.id))
    return TableOfContents(items)


def _position(page_html: str, anchor: str) -> int:
    at = page_html.find(f'id="{anchor}"')
    return at if at >= 0 else len(page_html)
