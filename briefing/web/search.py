"""Readers' search: Pagefind indexes the built, scanned pages into pagefind/ of the site, in
parts (one per sheet kind, briefing.web.shards) that the search box merges, so that a build
indexes again only the parts whose pages changed.

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
import secrets
import shutil
import threading
from importlib import metadata
from pathlib import Path

from briefing.forked import stops_held
from briefing.web import shards
from briefing.web.scan import stray_code
from briefing.web.sitefiles import NONE_KNOWN, Digests

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


class Indexing:
    """Pagefind indexing a site's pages into a folder beside it, while this process goes on
    (briefing/pipeline.py starts it once every page it reads is final, then finishes the
    site); finish() waits for it and moves its bundle into site/pagefind/.

    Beside the site, not in it: the steps that run meanwhile walk the site's files (the
    offline zip, the inspection), and must not meet a bundle half written. The parts are
    indexed (or taken from cache: None keeps none) jobs at a time, by a thread of this
    process. A context manager: entering it starts (start()); leaving it stops every Pagefind
    still running, and removes the folder (close()).
    """

    def __init__(
        self, site: Path, cache: Path | None = None, jobs: int = 1, known: Digests = NONE_KNOWN
    ) -> None:
        self.site, self._cache, self._jobs, self._known = site, cache, jobs, known
        self._made: list[Path] = []
        self._indexer: shards.Indexer | None = None
        self._thread: threading.Thread | None = None
        # Set when the thread is done. Waited for, not join()ed: in Python 3.11 a join
        # interrupted by a signal marks a thread that still runs as ended (bpo-45274's fix),
        # and the next join returns at once: the folder was removed while the thread still
        # wrote into it, and was left behind.
        self._done = threading.Event()
        self._outcome: list[str] | BaseException = []

    def start(self) -> None:
        """Make the folder and start indexing. The pipeline first has close() called on
        leaving its steps, then starts: a stop at any moment leaves nothing behind."""
        binary = pagefind_binary()
        if binary is None:
            return
        try:
            self._make_folder()
            self._indexer = shards.Indexer(_command(binary), _environment(), self._cache, UNUSED)
            thread = threading.Thread(
                target=self._index, args=(self._made[0], self._jobs), name="pagefind", daemon=True
            )
            # Started and recorded as one (close() waits for it); holding stops, as do the
            # threads it starts: the kernel gives a stop to a thread that takes it, and
            # CPython runs the handler only in the main thread, and promptly only if that
            # thread took it (one another thread takes can wait there, unhandled).
            with stops_held():
                thread.start()
                self._thread = thread
        except BaseException:  # an interrupt too: the folder goes, as close() would
            self.close()
            raise

    def _make_folder(self) -> None:
        """A new folder beside the site, named like it: what clears a killed build's staging
        folders clears it too. Its path is recorded before it is made, so that a stop at any
        moment cannot leave it unrecorded (close() forgives a folder never made)."""
        while True:
            folder = self.site.parent / f"{self.site.name}-pagefind-{secrets.token_hex(8)}"
            self._made.append(folder)
            try:
                folder.mkdir(mode=0o700)
                return
            except FileExistsError:  # another's: not ours to remove
                self._made.remove(folder)

    def _index(self, folder: Path, jobs: int) -> None:
        assert self._indexer is not None
        work = folder / "work"
        try:
            work.mkdir()
            self._outcome = shards.index_parts(
                self.site, folder, work, self._indexer, _version(), jobs, self._known
            )
        except BaseException as error:  # raised again by finish(), in the build's thread
            self._outcome = error
        finally:
            self._done.set()

    def __enter__(self) -> Indexing:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def finish(self) -> list[str]:
        """Wait for Pagefind; move its bundle into the site; error messages, or [] on success."""
        if self._thread is None:
            return [
                "error: Pagefind is not installed (pip install -r requirements.txt installs "
                "pagefind and pagefind_bin); the site's search needs it"
            ]
        # The site but Pagefind's folder is scanned while Pagefind may still run; then that
        # folder, once the bundle has joined it.
        found = stray_code(self.site, besides=OUTPUT)
        self._done.wait()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        if self._outcome:
            return self._outcome
        _move_into(self._made[0] / OUTPUT, self.site / OUTPUT)
        found += stray_code(self.site, within=OUTPUT)
        found.sort(key=lambda finding: finding.path.split("/"))
        return [f"unsafe file in the built site: {finding}" for finding in found]

    def close(self) -> None:
        """Stop every Pagefind still running (and reap them), wait for the thread; remove the
        folder. A stop meanwhile is held until that is done: the indexing threads hold stops
        too, but for the moment each takes to start a Pagefind (shards.Indexer)."""
        with stops_held():
            if self._indexer is not None:
                self._indexer.stop()
            if self._thread is not None:
                self._done.wait()
            for folder in self._made:
                shutil.rmtree(folder, ignore_errors=True)
            self._made.clear()


def _command(binary: Path) -> list[str]:
    """Pagefind and its options, but the pages and where the bundle goes (shards.Indexer)."""
    return [
        str(binary),
        "--force-language",
        "en",
        # The headings' permalinks ('¶') are not words of the page.
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]


def _environment() -> dict[str, str]:
    """Pagefind reads pagefind.json/.toml/.yml from its working folder and PAGEFIND_*
    variables as configuration: it runs in an empty folder (shards.Indexer) with none of
    them, so the index depends on the site alone."""
    return {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND")}


def _version() -> str:
    try:
        return "pagefind_bin " + metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "pagefind_bin unknown"


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


def index_site(site: Path, cache: Path | None = None, jobs: int = 1) -> list[str]:
    """Write Pagefind's index of site into site/pagefind/; error messages, or [] on success."""
    with Indexing(site, cache, jobs) as indexing:
        return indexing.finish()
