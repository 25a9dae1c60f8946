"""The build in order: check (while a forked process removes the site the previous build
replaced, from the cache's trash); the PDFs start being laid out beside the staging folder
(a forked process: the second core); render the pages (reusing the previous build's where
what they read is unchanged), which the engine builds into the staging folder; the PDFs join
the staged site; Pagefind indexes its pages while the offline zip is written (by a forked
process, up to 5,000 sheets) and the site inspected; and only then is it published, the
site it replaces going into the trash.

At 10,000 sheets Pagefind needs 1.5 GB: it starts once the PDF process and the inspection's
workers have ended and MkDocs' pages have been freed, and handed back to the system.

The engine is one of briefing.web.engines.ENGINES (MkDocs by default, ProperDocs, Zensical):
every engine's site gets the same PDFs and the same inspection before it is published.

`briefing build` runs this; `serve` runs MkDocs' own server with the site's hook instead.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.data.publish import data_files, write_data_files
from briefing.forked import Background, WorkerPool, release_memory, stops_held, usable_cores
from briefing.model.errors import PdfBuildError, SiteBuildError
from briefing.pdf.cache import cache_root
from briefing.pdf.layout import Written, build_pdfs, printer
from briefing.present.places import DEFAULT_PRINT_ENGINE
from briefing.project import Project
from briefing.publish import empty_trash, has_trash, staged
from briefing.web import between_builds
from briefing.web.downloads import fill_pdf_facts
from briefing.web.engine_names import DEFAULT_ENGINE
from briefing.web.engines import ENGINES, Engine
from briefing.web.offline import ZIP_NAME, write_offline
from briefing.web.postbuild import default_workers, inspection_pool
from briefing.web.render import render_pages, write_archives
from briefing.web.reuse import SiteReuse
from briefing.web.search import Indexing
from briefing.web.site import InspectAsBuilt
from briefing.web.sitefiles import NONE_KNOWN, Digests


@dataclass(frozen=True)
class PdfOptions:
    """The PDFs a build writes beside the site (pages then link to them)."""

    paper: str = "a4"
    jobs: int | None = None  # PDFs laid out at once (default: every usable core)
    engine: str = DEFAULT_PRINT_ENGINE  # what lays them out (places.PRINT_ENGINES)


@dataclass(frozen=True)
class Built:
    """What a build published."""

    sheets: int
    pages: int
    pdfs: int


class _PdfsLaying:
    """The PDFs being laid out in a forked process, into a folder beside the staging one."""

    def __init__(self, project: Project, checked: Checked, pdfs: PdfOptions, folder: Path):
        self.folder = folder

        def lay_out() -> list[Written]:
            return build_pdfs(
                project, checked, folder, pdfs.paper, jobs=pdfs.jobs, engine=pdfs.engine
            )

        self.worker = Background(lay_out)

    def into(self, out_dir: Path) -> list[Written]:
        """Wait for the PDFs, then move them into out_dir (where the engine put pdf/'s page)."""
        written = []
        for done in self.worker.result():
            target = out_dir / done.path.relative_to(self.folder)
            if target.exists():  # a page from docs/ at the PDF's path: refuse, as build_pdfs does
                name = target.relative_to(out_dir).as_posix()
                raise PdfBuildError(f"pdf/{name} exists in the site already (from docs/?)")
            target.parent.mkdir(parents=True, exist_ok=True)
            done.path.rename(target)
            written.append(Written(target, done.pages, done.seconds))
        return written


@contextlib.contextmanager
def _pdfs_beside(
    project: Project, checked: Checked, pdfs: PdfOptions | None, staging: Path
) -> Iterator[_PdfsLaying | None]:
    """Start laying out the PDFs now, in a forked process, so they take the second core while
    the engine builds the site (the fork comes before the engine or the inspection starts
    any thread or worker); the block ends with the worker reaped and its folder removed."""
    if pdfs is None:
        yield None
        return
    printer(project, pdfs.paper, pdfs.engine)  # a stylesheet it cannot read fails the build now
    made: list[Path] = []
    laying: _PdfsLaying | None = None
    try:
        # With stops held, so that a stop lands once the folder and the worker are both
        # recorded, and both are undone below (one landing in between left the worker
        # writing the PDFs into a folder already removed).
        with stops_held():
            # Named like the staging folder: what clears a killed build's folders clears it.
            made.append(Path(tempfile.mkdtemp(prefix=f"{staging.name}-pdf-", dir=staging.parent)))
            laying = _PdfsLaying(project, checked, pdfs, made[0])
        yield laying
    finally:
        if laying is not None:
            laying.worker.close()
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)


class _BesideEngine:
    """The memos kept for the next build, and the data files made, in a forked process while
    the engine builds (about 0.3 s of a build after an edit at 1,000 sheets, taken off its
    path). Above between_builds.KEPT_UP_TO sheets no memo is kept, and the data files are made
    here once the engine is done: a second process beside it would raise the build's peak."""

    def __init__(
        self,
        project: Project,
        checked: Checked,
        memos: between_builds.Memos | None,
        sheets: int,
    ) -> None:
        self.checked = checked
        self.worker: Background[dict[str, str]] | None = None
        if sheets > between_builds.KEPT_UP_TO:
            between_builds.keep(project, between_builds.Memos(), sheets)  # the old one removed
            return
        kept = memos or between_builds.Memos()

        def keep_and_make() -> dict[str, str]:
            between_builds.keep(project, kept, sheets)
            return data_files(checked)

        self.worker = Background(keep_and_make)

    def write_data(self, folder: Path) -> None:
        """Write the data files into folder (waiting for the worker that makes them)."""
        worker, self.worker = self.worker, None
        write_data_files(worker.result() if worker else data_files(self.checked), folder)

    def close(self) -> None:
        """On a failed build: let the worker finish, so that the memo file it writes is whole
        (it is replaced atomically), then reap it."""
        worker, self.worker = self.worker, None
        if worker is not None:
            with contextlib.suppress(Exception):
                worker.result()


ZIP_WORKER = "offline zip"  # the name of the process that writes it (_Zipping)


class _Zipping:
    """The offline zip (briefing.web.offline): written by a forked process while this one
    inspects the site (its 0.13 s of CPU at 1,000 sheets shared this process with Pagefind's
    thread), or, above between_builds.KEPT_UP_TO sheets, here, before the inspection: a
    second process beside Pagefind would raise the build's peak."""

    def __init__(self, staging: Path, cache: Path | None, known: Digests, aside: bool) -> None:
        self.staging, self.cache, self.known = staging, cache, known
        self.worker: Background[Path] | None = None
        if aside:
            self.worker = Background(lambda: write_offline(staging, cache, known), ZIP_WORKER)
            # In the site from now on (the inspection lists it; the worker writes it).
            (staging / ZIP_NAME).touch()

    def write(self) -> None:
        """Write the zip here, if no worker does."""
        if self.worker is None:
            write_offline(self.staging, self.cache, self.known)
            release_memory()  # the zip's members: freed before Pagefind needs the most

    def wait(self) -> None:
        """Wait for the worker, if there is one (its failure raised here)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.result()

    def close(self) -> None:
        """On a failed build: stop the worker, if it still runs, and reap it."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.close()


TRASH_WORKER = "trash"  # the name of the process that empties it


def _trash(project: Project) -> Path | None:
    """Where a build's old site goes (publish.staged), to be removed by the next build."""
    root = cache_root(project.root)
    return root / "trash" if root is not None else None


def _search_cache(project: Project) -> Path | None:
    """Where the search index's parts are kept between builds (None: caching is off)."""
    root = cache_root(project.root)
    return root / "pagefind" if root is not None else None


def build_site(
    project: Project,
    site_dir: Path,
    pdfs: PdfOptions | None = None,
    verbose: bool = False,
    checked: Checked | None = None,
    engine: str = DEFAULT_ENGINE,
) -> Built:
    """Build the site (and its PDFs, if pdfs is given) and replace site_dir with it; on any
    failure or interrupt, site_dir stays as it was.

    checked: the project's content, if the caller has checked it already.
    engine: the name of the engine that builds the pages (briefing.web.engines.ENGINES).
    """
    build_with = ENGINES[engine]  # an unknown name fails before the slow part
    # The previous build's old site, left in the cache's trash (publish.staged), is removed
    # by a process of its own while this one checks the content.
    trash = _trash(project)
    emptying = None
    if trash is not None and has_trash(trash):
        emptying = Background(lambda: empty_trash(trash), TRASH_WORKER)
    # The inspection's workers are forked first, while this process is small: a worker
    # forked later keeps its own copy of whatever this process held then (WorkerPool).
    files = between_builds.sheet_files(project)
    pool = inspection_pool(default_workers(files))
    try:
        return _build_site(
            project, site_dir, pdfs, verbose, checked, engine, build_with, pool, trash, files
        )
    finally:
        if pool is not None:  # stopped by the inspection, unless the build failed before it
            pool.shutdown(wait=True, cancel_futures=True)
        if emptying is not None:  # done long since; else stopped: the next build goes on
            emptying.close()


def _build_site(
    project: Project,
    site_dir: Path,
    pdfs: PdfOptions | None,
    verbose: bool,
    checked: Checked | None,
    engine: str,
    build_with: Engine,
    pool: WorkerPool | None,
    trash: Path | None,
    files: int,  # sheet files, as between_builds.sheet_files counted them
) -> Built:
    workers = usable_cores()
    # The previous build's sheets and pages are reused where their inputs are unchanged.
    memos = between_builds.recall(project, files)
    if checked is None:
        checked = check(project, workers, memos.sheets if memos is not None else None)
    sheets = len(checked.corpus.sheets)
    if sheets > between_builds.KEPT_UP_TO:
        memos = None  # the reads the render would note cost too much memory (recall says)
    site_dir = site_dir.resolve()
    # The previous build's unchanged pages are copied, not built (MkDocs only).
    reuse = SiteReuse.prepare(project, site_dir) if engine == "mkdocs" else None
    with (
        staged(site_dir, trash) as staging,
        # Forked before the pages are rendered: the PDF process (and each of its workers)
        # holds a copy of this process as it was, the smaller the better.
        _pdfs_beside(project, checked, pdfs, staging) as laying,
        contextlib.ExitStack() as later,  # left first: Pagefind stopped if still running
    ):
        memo = memos.render if memos is not None else None
        pages = render_pages(project.templates, checked, pdfs is not None, workers, memo)
        beside = _BesideEngine(project, checked, memos, sheets)
        later.callback(beside.close)
        del memos, memo
        inspector = InspectAsBuilt(staging, reuse, pool)
        try:
            messages = build_with(project, pages, staging, inspector, verbose)
            built_pages = len(pages)
            del pages  # the rendered Markdown: MkDocs is done with it
            # The inspection's workers end now that MkDocs is done: the few pages left to
            # inspect (the last ones, those the steps below rewrite) take this process,
            # beside Pagefind.
            inspector.stop_workers()
            # MkDocs' pages and navigation were freed with its build; hand the memory back,
            # so that the steps below, Pagefind above all, start in a smaller process.
            release_memory()
            if not messages:
                write_archives(checked, staging)
                # facts.json, its schema, annotations.jsonld; then what was kept to make them
                # and the pages is let go of (the texts' offset maps: at 10,000 sheets a fifth
                # of a gigabyte of small integers).
                beside.write_data(staging)
            written = []
            if not messages and laying is not None:
                written = laying.into(staging / "pdf")  # the PDF process has ended here
                # The readers' list of PDFs gets each file's pages and size, now they exist.
                fill_pdf_facts(staging, staging / "pdf", ((w.path, w.pages) for w in written))
            indexing = zipping = None
            # The hash of each page the engine copied or wrote, while its file is unchanged.
            known = reuse.digests() if reuse is not None else NONE_KNOWN
            if not messages and laying is not None:
                # The zip the home page links to, scanned with the rest (not Pagefind's
                # bundle, which it leaves out): forked before Pagefind's thread starts.
                cache = reuse.cache if reuse is not None else None
                zipping = _Zipping(staging, cache, known, sheets <= between_builds.KEPT_UP_TO)
                later.callback(zipping.close)
            if not messages:
                # Every page Pagefind reads is final: it indexes them while the zip is
                # written and the pages inspected.
                release_memory()  # the offset maps
                indexing = Indexing(staging, _search_cache(project), workers, known)
                later.callback(indexing.close)  # before it starts: a stop then leaves nothing
                indexing.start()
            if zipping is not None:
                zipping.write()  # here, if not beside
            # One parse of every built file: the safety scan, and the links in raw HTML that
            # MkDocs' own validation cannot see (with MkDocs, mostly done while it built).
            messages = messages or inspector.finish()
            if zipping is not None:
                zipping.wait()
            if not messages and reuse is not None:
                reuse.prepare_manifest(staging)  # while Pagefind may still run
            if not messages and indexing is not None:
                messages = indexing.finish()  # the bundle joins the scanned site
        finally:
            inspector.close()
        if messages:
            raise SiteBuildError("\n".join(messages))
    if reuse is not None:
        reuse.save()  # only once published: a failed build leaves the last manifest
    return Built(len(checked.corpus.sheets), built_pages, len(written))
