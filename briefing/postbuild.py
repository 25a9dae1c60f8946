"""Post-build inspection: the safety scan and the link check in one parse of each built file,
with the files shared out among worker processes.

The scan (briefing.scan) and the link check (briefing.linkcheck) each used to parse every
built page with html.parser: a quarter of a 1,000-sheet build each. Here one parse feeds
both, and on a large site the files are split between processes, since MkDocs has left the
second core idle. Small sites are inspected in this process: starting workers would cost
more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path, PurePosixPath

from briefing.linkcheck import BrokenLink, LinkRecorder, PageLinks, resolve_links
from briefing.scan import SEARCH_INDEX, Finding, Scanner, files_to_scan, scan_search_index

# Below this many files, one process is faster than starting workers (about 0.2 s each).
PARALLEL_FROM = 300
# Files per task: small enough to balance two workers, large enough to amortise the pickling.
CHUNK = 40


@dataclass(frozen=True)
class Inspected:
    """What one file yields: its findings and, for an HTML page, its ids and links."""

    findings: tuple[Finding, ...]
    links: PageLinks | None


class _Inspector(Scanner):
    """The scanner, also recording each start tag's ids and links for the link check."""

    def __init__(self, path: str, site: Path) -> None:
        super().__init__(path, site, PurePosixPath(path))
        self.recorder = LinkRecorder()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        self.recorder.start_tag(tag, attrs)


def inspect_file(site: Path, shown: str) -> Inspected:
    """Scan one file of a built site and, if it is an HTML page, record its ids and links."""
    text = (site / shown).read_text(encoding="utf-8", errors="replace")
    if shown == SEARCH_INDEX:
        return Inspected(tuple(scan_search_index(text, shown)), None)
    inspector = _Inspector(shown, site)
    inspector.feed(text)
    inspector.close()
    # The link check reads pages (*.html); SVG files and other markup are scanned only.
    links = inspector.recorder.result() if shown.endswith(".html") else None
    return Inspected(tuple(inspector.findings), links)


def _inspect_files(site: str, files: list[str]) -> list[tuple[str, Inspected]]:
    return [(shown, inspect_file(Path(site), shown)) for shown in files]


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the building process, which stops them and cleans up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers(files: int) -> int:
    """One process for a small site, else as many as the cores this process may use (max 2
    would do on the reference machine; more cores help larger sites)."""
    return 1 if files < PARALLEL_FROM else max(1, len(os.sched_getaffinity(0)))


def inspect_site(site: Path, workers: int | None = None) -> tuple[list[Finding], list[BrokenLink]]:
    """The unsafe constructs and the broken internal links of a built site, each sorted."""
    site = site.resolve()
    files = files_to_scan(site)
    # The search index is the largest file by far: start it first so it does not finish last.
    files.sort(key=lambda shown: shown != SEARCH_INDEX)
    count = default_workers(len(files)) if workers is None else workers
    if count <= 1:
        results = _inspect_files(str(site), files)
    else:
        chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]
        pool = ProcessPoolExecutor(
            count, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_interrupts
        )
        try:
            parts = pool.map(_inspect_files, repeat(str(site)), chunks)
            results = [item for part in parts for item in part]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    findings = sorted(finding for _, inspected in results for finding in inspected.findings)
    pages = {shown: found.links for shown, found in results if found.links is not None}
    return findings, resolve_links(site, pages)
