"""Post-build inspection: the safety scan and the link check in one parse of each built file,
in worker processes that start on each page as soon as MkDocs has written it.

The scan (briefing.web.scan) and the link check (briefing.web.linkcheck) each used to parse every
built page with html.parser after the build: a quarter of a 1,000-sheet build each. Here one
parse feeds both, and on a large site it runs beside MkDocs, which uses one core: pages are
handed to workers while later ones are still being built, and what is left when the build
ends (the last pages, the search index, the 404 page) is shared out among them. A page that
changes on disk after it was inspected is inspected again, so the verdict is always on the
files as published. Small sites are inspected in this process, after the build: starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefing.forked import WorkerPool, ends_with_parent, usable_cores
from briefing.web.linkcheck import (
    BrokenLink,
    LinkRecorder,
    PageLinks,
    link_context,
    resolve_links,
)
from briefing.web.scan import SEARCH_INDEXES, Finding, Scanner, files_to_scan, scan_search_index
from briefing.web.sitefiles import site_files

# Below this many pages, one process after the build is faster than starting workers.
PARALLEL_FROM = 300
# Files per task: small enough to keep pace with the build and balance the workers, large
# enough to amortise the hand-over.
CHUNK = 20


@dataclass(frozen=True)
class Inspected:
    """What one file yields: its findings, and for an HTML page its ids and links; with the
    file's size and modification time when it was read."""

    findings: tuple[Finding, ...]
    links: PageLinks | None
    stamp: tuple[int, int]


class _Inspector(Scanner):
    """The scanner, also recording each start tag's ids and links for the link check."""

    def __init__(self, path: str, site: Path) -> None:
        super().__init__(path, site, PurePosixPath(path))
        self.recorder = LinkRecorder()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        self.recorder.start_tag(tag, attrs)


def _stamp(file: Path) -> tuple[int, int]:
    status = file.stat()
    return status.st_size, status.st_mtime_ns


def inspect_file(site: Path, shown: str) -> Inspected:
    """Scan one file of a built site and, if it is an HTML page, record its ids and links."""
    file = site / shown
    stamp = _stamp(file)
    text = file.read_text(encoding="utf-8", errors="replace")
    if shown in SEARCH_INDEXES:
        return Inspected(tuple(scan_search_index(text, shown)), None, stamp)
    inspector = _Inspector(shown, site)
    inspector.feed(text)
    inspector.close()
    # The link check reads pages (*.html); SVG files and other markup are scanned only.
    links = inspector.recorder.result() if shown.endswith(".html") else None
    return Inspected(tuple(inspector.findings), links, stamp)


def _inspect_files(site: str, files: list[str]) -> list[tuple[str, Inspected]]:
    # A page MkDocs skipped (empty output) was announced but never written: finish() only
    # judges the files that exist at the end.
    return [
        (shown, inspect_file(Path(site), shown))
        for shown in files
        if (Path(site) / shown).is_file()
    ]


def _ignore_interrupts(parent: int) -> None:
    """Workers leave Ctrl-C to the building process, which stops them and cleans up; they
    end with it if it is killed (ends_with_parent)."""
    ends_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork where there is fork: a spawned worker imports the program's main module again
    (a script without a __main__ guard would run twice) and starts slower. The executor
    forks its workers before it starts its own thread, and the build runs no other."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def default_workers(pages: int) -> int:
    """No workers for a small site; else one per core this process may use."""
    return 0 if pages < PARALLEL_FROM else usable_cores()


def inspection_pool(workers: int) -> WorkerPool | None:
    """The workers of an Inspection (none for 0), forked now: a build forks them first,
    while its process is small (briefing.forked.WorkerPool)."""
    return WorkerPool(workers, _start_method(), _ignore_interrupts) if workers > 0 else None


class Inspection:
    """The inspection of one build: told of each page as it is written, judged at the end.

    Always close() it (use it as a context manager): that stops its workers.
    """

    def __init__(self, site: Path, workers: int = 0, pool: WorkerPool | None = None) -> None:
        """workers: processes to start for it; or pool: those started by inspection_pool,
        which it then owns (close() stops them)."""
        self.site = site.resolve()
        self.pool = pool if pool is not None else inspection_pool(workers)
        self.pending: list[str] = []
        self.futures: list[Future[list[tuple[str, Inspected]]]] = []
        self.done: dict[str, Inspected] = {}
        self.known_pages: set[str] = set()  # copied from the published build (known())
        self.results: dict[str, Inspected] = {}  # every file's, once finish() has run
        self.context = ""  # linkcheck.link_context of the site, once finish() has run

    def __enter__(self) -> Inspection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def stop_workers(self) -> None:
        """Wait for the files handed out so far, then stop the workers (and the pool's thread:
        the PDF stage forks); finish() then inspects the rest in this process."""
        if self.pending and self.pool is not None:
            self._submit()
        for future in self.futures:
            self.done.update(future.result())
        self.futures = []
        self.close()

    def known(self, shown: str, links: PageLinks) -> None:
        """A page (site-relative path) on disk is one inspected before with no findings and
        these links (a warm build's copied page): its parse is not redone."""
        self.done[shown] = Inspected((), links, _stamp(self.site / shown))
        self.known_pages.add(shown)

    def written(self, shown: str) -> None:
        """A file (site-relative path) is complete on disk: inspect it when workers can."""
        if self.pool is None:
            return
        self.pending.append(shown)
        if len(self.pending) >= CHUNK:
            self._submit()

    def _submit(self) -> None:
        assert self.pool is not None
        self.futures.append(self.pool.submit(_inspect_files, str(self.site), self.pending))
        self.pending = []

    def finish(
        self, published: str | None = None, context: bool = True
    ) -> tuple[list[Finding], list[BrokenLink]]:
        """Inspect what is left; the unsafe constructs and the broken links, each sorted.

        published: the link context (linkcheck.link_context) of the published build the
        known pages were copied from. The same now, their links are not checked again: they
        say what they said there, about the same files and ids, and that build had no
        broken link (a broken link fails a build; its site is not published).
        context: whether to work this site's link context out (self.context) for a build to
        keep (0.03 s at 10,000 sheets, for nothing without a cache).
        """
        listed = site_files(self.site)
        files = files_to_scan(self.site, listed)
        if self.pending and self.pool is not None:
            self._submit()
        early = dict(self.done)
        for future in self.futures:
            early.update(future.result())
        # Anything not inspected yet, or changed on disk since (rewritten by a plugin).
        rest = [
            shown
            for shown in files
            if shown not in early or early[shown].stamp != _stamp(self.site / shown)
        ]
        # The search index is the largest file by far: start it first so it ends early.
        rest.sort(key=lambda shown: shown not in SEARCH_INDEXES)
        results = dict(early)
        if self.pool is None or len(rest) <= CHUNK:
            results.update(_inspect_files(str(self.site), rest))
        else:
            chunks = [rest[start : start + CHUNK] for start in range(0, len(rest), CHUNK)]
            for part in self.pool.map(_inspect_files, [str(self.site)] * len(chunks), chunks):
                results.update(part)
        self.results = {shown: results[shown] for shown in files}
        inspected = [results[shown] for shown in files]
        findings = sorted(finding for found in inspected for finding in found.findings)
        pages = {shown: found.links for shown, found in zip(files, inspected, strict=True)}
        links = {shown: found for shown, found in pages.items() if found is not None}
        self.context = link_context(listed, links) if context or published else ""
        only = None
        if published is not None and published == self.context:
            unchanged = self.known_pages.difference(rest)  # those not read again
            only = [shown for shown in links if shown not in unchanged]
        return findings, resolve_links(self.site, links, only)


def inspect_site(site: Path, workers: int | None = None) -> tuple[list[Finding], list[BrokenLink]]:
    """Inspect a finished site: its unsafe constructs and broken internal links, each sorted."""
    files = files_to_scan(site.resolve())
    with Inspection(site, default_workers(len(files)) if workers is None else workers) as job:
        return job.finish()
