"""Readers' search: Pagefind indexes the built, scanned pages into pagefind/ of the site.

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
import subprocess
import tempfile
from pathlib import Path

from briefing.web.scan import stray_code

# Where Pagefind writes its bundle, relative to the site root.
OUTPUT = "pagefind"
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


def index_site(site: Path) -> list[str]:
    """Write Pagefind's index of site into site/pagefind/; error messages, or [] on success."""
    binary = pagefind_binary()
    if binary is None:
        return [
            "error: Pagefind is not installed (pip install -r requirements.txt installs "
            "pagefind and pagefind_bin); the site's search needs it"
        ]
    command = [
        str(binary),
        "--site",
        str(site),
        "--output-subdir",
        OUTPUT,
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
    with tempfile.TemporaryDirectory(prefix="briefing-pagefind-") as empty:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=empty, env=environment
        )
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        return [f"error: Pagefind could not index {site}: " + " / ".join(said[-5:])]
    for name in UNUSED:
        (site / OUTPUT / name).unlink(missing_ok=True)
    return [f"unsafe file in the built site: {found}" for found in stray_code(site)]
