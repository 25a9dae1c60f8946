"""Readers' search: Pagefind indexes the built, scanned pages into pagefind/ of the site.

Material's search plugin sends its whole lunr index to the browser before the first result
(22 MB at 10,000 sheets, docs/performance.md "Search at scale"); Pagefind splits its index
into chunks and loads only those a query needs. It reads the HTML, so it runs on the staged
site once its pages are final, beside the build's last steps (the offline zip, the safety
scan), and its bundle joins the site after the scan passed, before publishing
(briefing/pipeline.py, Indexing). What it indexes is
marked in the theme: the content of every page whose front matter does not say
`search: exclude` (templates/theme/main.html), each sheet's heading weighted by kind
(TITLE_WEIGHT), with its kind as metadata. The search box is Material's, run by
templates/theme/assets/javascripts/briefing-search.js.

The binary comes from the pinned `pagefind_bin` wheel (requirements.txt); no network is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from briefing.forked import stops_held
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


class Indexing:
    """Pagefind indexing a site's pages into a folder beside it, while this process goes on
    (briefing/pipeline.py starts it once every page it reads is final, then finishes the
    site); finish() waits for it and moves its bundle into site/pagefind/.

    Beside the site, not in it: the steps that run meanwhile walk the site's files (the
    offline zip, the inspection), and must not meet a bundle half written. A context
    manager: leaving it stops Pagefind if it still runs, and removes the folder.
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self._process: subprocess.Popen[bytes] | None = None
        self._made: list[Path] = []
        binary = pagefind_binary()
        if binary is None:
            return
        try:
            # Named like the site's (staging) folder: what clears a killed build's folders
            # clears it too. Made with stops held, so that a stop cannot leave it unrecorded.
            with stops_held():
                self._made.append(
                    Path(tempfile.mkdtemp(prefix=f"{site.name}-pagefind-", dir=site.parent))
                )
            self._process = _start(binary, site, self._made[0])
        except BaseException:  # an interrupt too: the folder goes, as close() would
            self.close()
            raise

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def finish(self) -> list[str]:
        """Wait for Pagefind; move its bundle into the site; error messages, or [] on success."""
        if self._process is None:
            return [
                "error: Pagefind is not installed (pip install -r requirements.txt installs "
                "pagefind and pagefind_bin); the site's search needs it"
            ]
        folder = self._made[0]
        if self._process.wait() != 0:
            said = _read(folder / "stderr") or _read(folder / "stdout")
            lines = said.strip().splitlines()
            return [f"error: Pagefind could not index {self.site}: " + " / ".join(lines[-5:])]
        _move_into(folder / OUTPUT, self.site / OUTPUT)
        for name in UNUSED:
            (self.site / OUTPUT / name).unlink(missing_ok=True)
        return [f"unsafe file in the built site: {found}" for found in stray_code(self.site)]

    def close(self) -> None:
        """Stop Pagefind if it still runs (and reap it); remove its folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        with stops_held():
            for folder in self._made:
                shutil.rmtree(folder, ignore_errors=True)
            self._made.clear()


def _start(binary: Path, site: Path, folder: Path) -> subprocess.Popen[bytes]:
    """Pagefind started on site, writing its bundle into folder/pagefind/ and its output
    into folder/stdout and folder/stderr."""
    # Pagefind reads pagefind.json/.toml/.yml from its working folder and PAGEFIND_*
    # variables as configuration: it runs in an empty folder with none of them, so the
    # index depends on the site alone.
    empty = folder / "cwd"
    empty.mkdir()
    command = [
        str(binary),
        "--site",
        str(site),
        "--output-path",
        str(folder / OUTPUT),
        "--force-language",
        "en",
        # The headings' permalinks ('¶') are not words of the page.
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    environment = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND")}
    # Its output goes to files: a pipe nobody reads while it runs could fill and stall it.
    with (folder / "stdout").open("wb") as out, (folder / "stderr").open("wb") as err:
        return subprocess.Popen(
            command, cwd=empty, env=environment, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )


def _read(file: Path) -> str:
    return file.read_bytes().decode("utf-8", errors="replace")


def _move_into(bundle: Path, target: Path) -> None:
    """Move the files of bundle into target, as Pagefind writing there would have put them
    (a file already at the same path, from docs/, is replaced)."""
    if not target.exists():
        bundle.rename(target)  # one file system: no copy
        return
    for file in sorted(bundle.rglob("*")):
        if file.is_file():
            moved = target / file.relative_to(bundle)
            moved.parent.mkdir(parents=True, exist_ok=True)
            file.replace(moved)


def index_site(site: Path) -> list[str]:
    """Write Pagefind's index of site into site/pagefind/; error messages, or [] on success."""
    with Indexing(site) as indexing:
        return indexing.finish()
