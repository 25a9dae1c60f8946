"""The build in order: check, render the pages, the engine builds them into a staging
folder, the PDFs go into it too, the staged site is inspected, and only then published.

The engine is one of briefing.web.engines.ENGINES (MkDocs by default, ProperDocs, Zensical):
every engine's site gets the same PDFs and the same inspection before it is published.

`briefing build` runs this; `serve` runs MkDocs' own server with the site's hook instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.data.publish import write_data
from briefing.forked import usable_cores
from briefing.model.errors import SiteBuildError
from briefing.pdf.layout import build_pdfs
from briefing.project import Project
from briefing.publish import staged
from briefing.web.downloads import fill_pdf_facts
from briefing.web.engines import DEFAULT_ENGINE, ENGINES
from briefing.web.offline import write_offline
from briefing.web.render import render_pages, write_archives
from briefing.web.reuse import SiteReuse
from briefing.web.search import index_site
from briefing.web.site import InspectAsBuilt


@dataclass(frozen=True)
class PdfOptions:
    """The PDFs a build writes beside the site (pages then link to them)."""

    paper: str = "a4"
    jobs: int | None = None  # PDFs laid out at once (default: every usable core)


@dataclass(frozen=True)
class Built:
    """What a build published."""

    sheets: int
    pages: int
    pdfs: int


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
    workers = usable_cores()
    if checked is None:
        checked = check(project, workers)
    pages = render_pages(project.templates, checked, pdfs is not None, workers)
    # The previous build's unchanged pages are copied, not built (MkDocs only).
    reuse = SiteReuse.prepare(project, site_dir) if engine == "mkdocs" else None
    with staged(site_dir.resolve()) as staging:
        inspector = InspectAsBuilt(staging, reuse)
        try:
            messages = build_with(project, pages, staging, inspector, verbose)
            if not messages:
                write_archives(checked, staging)
                write_data(checked, staging)  # facts.json, its schema, annotations.jsonld
            written = []
            if not messages and pdfs is not None:
                inspector.stop_workers()  # no threads in this process while the PDF stage forks
                written = build_pdfs(project, checked, staging / "pdf", pdfs.paper, jobs=pdfs.jobs)
                # The readers' list of PDFs gets each file's pages and size, now they exist.
                fill_pdf_facts(staging, staging / "pdf", ((w.path, w.pages) for w in written))
                # The zip the home page links to, scanned with the rest.
                write_offline(staging, reuse.cache if reuse is not None else None)
            # One parse of every built file: the safety scan, and the links in raw HTML that
            # MkDocs' own validation cannot see (with MkDocs, mostly done while it built).
            messages = messages or inspector.finish()
            messages = messages or index_site(staging)  # Pagefind reads the scanned pages
        finally:
            inspector.close()
        if messages:
            raise SiteBuildError("\n".join(messages))
    if reuse is not None:
        reuse.save()  # only once published: a failed build leaves the last manifest
    return Built(len(checked.corpus.sheets), len(pages), len(written))
