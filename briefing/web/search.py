"""Readers' search: Pagefind indexes the built, scanned pages into pagefind/ of the site, in
parts (one per sheet kind, briefing.web.shards) that the search box merges, so that a build
indexes again only the parts whose pages changed.

Material's search plugin sends its whole lunr index to the browser before the first result
(22 MB at 10,000 sheets, docs/performance.md "Search at scale"); Pagefind splits its index
into chunks and loads only those a query needs. It reads the HTML, so it runs on the staged
site after the safety scan and before publishing (briefing/pipeline.py). What it indexes is
marked in the theme: the content of every page whose front matter does not say
`search: exclude` (templates/theme/main.html), each sheet's heading weighted by kind
(TITLE_WEIGHT), with its kind as metadata. The search box is Material's, run by
templates/theme/assets/javascripts/briefing-search.js.

The binary comes from the pinned `pagefind_bin` wheel (requirements.txt); no network is used.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from briefing.forked import stops_held
from briefing.web import shards
from briefing.web.scan import stray_code

# Where Pagefind writes its bundle (its primary index; the other parts are folders in it).
OUTPUT = shards.OUTPUT
# Pagefind's own result UIs and highlighter, which the site does not load: deleted, so that
# the scan's allowance for Pagefind's code (scan.stray_code) stays three kinds of file.
UNUSED = (
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-highlight.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-ui.css",
    "pagefind-ui.js",
)
# Weight of a sheet's heading (its title, an actor's aliases and editorial aliases), by kind,
# on Pagefind's scale (body text 1, a plain <h1> 7, at most 10): a name in a heading outranks
# the same word in other pages' text, and an actor's name outranks an event titled with it.
TITLE_WEIGHT = {"actor": 10, "relation": 9, "event": 8.5, "briefing": 8, "source": 8}


def pagefind_binary() -> Path | None:
    """The pinned Pagefind executable, or None if pagefind_bin is not installed."""
    try:
        import pagefind_bin  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        return Path(pagefind_bin.get_executable())
    except FileNotFoundError:
        return None


def index_site(site: Path, cache: Path | None = None, jobs: int = 1) -> list[str]:
    """Write Pagefind's index of site into site/pagefind/, in parts (briefing.web.shards);
    error messages, or [] on success.

    cache: the folder keeping each part's index for the next build (None: none kept);
    jobs: parts indexed at once.
    """
    binary = pagefind_binary()
    if binary is None:
        return [
            "error: Pagefind is not installed (pip install -r requirements.txt installs "
            "pagefind and pagefind_bin); the site's search needs it"
        ]
    command = [
        str(binary),
        "--force-language",
        "en",
        # The headings' permalinks ('¶') are not words of the page.
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    # Pagefind reads pagefind.json/.toml/.yml from its working folder and PAGEFIND_* variables
    # as configuration: it runs in an empty folder with none of them, so the index depends on
    # the site alone.
    environment = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND")}
    indexer = shards.Indexer(command, environment, cache, UNUSED)
    # Named like the site's (staging) folder: what clears a killed build's folders clears it.
    with stops_held():
        work = Path(tempfile.mkdtemp(prefix=f"{site.name}-pagefind-", dir=site.parent))
    try:
        errors = shards.index_parts(site, site, work, indexer, _version(), jobs)
    finally:
        with stops_held():
            shutil.rmtree(work, ignore_errors=True)
    if errors:
        return errors
    return [f"unsafe file in the built site: {found}" for found in stray_code(site)]


def _version() -> str:
    try:
        return "pagefind_bin " + metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "pagefind_bin unknown"
