"""Stage 6, site: MkDocs + Material build into a temporary directory, swapped in on success.

MkDocs empties site_dir before building and can leave half a site behind on an error, and
`mkdocs build --strict -q` can exit 0 despite warnings. So the build goes to a sibling
temporary directory, every warning from any 'mkdocs.*' logger fails it, every internal link
of the built HTML is checked, the result is scanned for script the theme did not write
(briefing.web.scan), and site/ is replaced only when everything succeeded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from briefing.check.verify import Checked
from briefing.forked import usable_cores
from briefing.model.errors import LogCollector, SiteBuildError
from briefing.project import Project
from briefing.publish import staged
from briefing.web.postbuild import Inspection, default_workers

# Key in MkDocs' config.extra telling the hook that this build writes PDFs to link to.
PDF_LINKS = "briefing_pdf_links"
# Key in config.extra: how many processes the hook may check and render in (briefing.forked).
WORKERS = "briefing_workers"
# Key in config.extra: the corpus build_site's caller already checked, for the hook to render
# instead of checking it again.
CHECKED = "briefing_checked"


def symlinks(folder: Path, root: Path) -> list[str]:
    """Symbolic links in folder, relative to root: MkDocs would publish what they point at."""
    found = []
    for path in [folder, *sorted(folder.rglob("*"))]:
        if path.is_symlink():
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            found.append(shown.as_posix())
    return found


class _InspectAsBuilt(BasePlugin):  # type: ignore[type-arg]
    """Hands each built page to the post-build inspection as soon as it is on disk.

    MkDocs writes a page right after its post_page event, before the next page's
    page_context event: so each page_context announces the page built before it.
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self.inspection: Inspection | None = None
        self.previous: str | None = None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.inspection = Inspection(self.site, default_workers(len(files.documentation_pages())))
        return files

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.inspection is not None and self.previous is not None:
            self.inspection.written(self.previous)
        self.previous = page.file.dest_uri
        return context

    def finish(self) -> list[str]:
        """Every unsafe construct, else every broken link, of the finished site, as messages."""
        if self.inspection is None:  # the build did not get as far as reading the pages
            self.inspection = Inspection(self.site)
        unsafe, broken = self.inspection.finish()
        # Unsafe HTML is reported first: it matters more than a link it may also break.
        return [f"unsafe HTML in the built site: {found}" for found in unsafe] or [
            f"error: {link}" for link in broken
        ]

    def stop_workers(self) -> None:
        if self.inspection is not None:
            self.inspection.stop_workers()

    def close(self) -> None:
        if self.inspection is not None:
            self.inspection.close()


def _mkdocs_build(
    project: Project,
    out: Path,
    verbose: bool,
    pdf_links: bool,
    inspector: _InspectAsBuilt,
    checked: Checked | None,
) -> list[str]:
    """Run one strict MkDocs build into out; return every warning and error it logged."""
    logger = logging.getLogger("mkdocs")
    collector = LogCollector()
    extra = logging.StreamHandler() if verbose else None
    logger.addHandler(collector)
    if extra:
        logger.addHandler(extra)
    previous_level = logger.level
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(out), strict=True)
        links = symlinks(Path(config.docs_dir), project.root)
        if links:
            return [f"error: {link}: symbolic links are not allowed in docs/" for link in links]
        config.extra[PDF_LINKS] = pdf_links  # read by the hook (mkdocs_hook.on_files)
        config.extra[WORKERS] = usable_cores()
        config.extra[CHECKED] = checked
        config.plugins["briefing-inspection"] = inspector  # last: sees the generated pages
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        collector.messages.append(f"error: {error}")
    finally:
        logger.removeHandler(collector)
        if extra:
            logger.removeHandler(extra)
        logger.setLevel(previous_level)
    return collector.messages


def build_site(
    project: Project,
    site_dir: Path,
    verbose: bool = False,
    pdfs: Callable[[Path], object] | None = None,
    checked: Checked | None = None,
) -> None:
    """Build the whole site, then replace site_dir atomically; on any failure keep it as it was.

    checked: the project's content, if the caller has checked it already (else the hook does).

    pdfs, if given, writes the PDFs into the staging site (pages then link to them); it runs
    before the link check and the swap, so a PDF failure also keeps site/ as it was.
    """
    with staged(site_dir.resolve()) as staging:
        inspector = _InspectAsBuilt(staging)
        try:
            has_pdfs = pdfs is not None
            messages = _mkdocs_build(project, staging, verbose, has_pdfs, inspector, checked)
            if not messages and pdfs is not None:
                inspector.stop_workers()  # no threads in this process while the PDF stage forks
                pdfs(staging)
            if not messages:
                # One parse of every built file: the safety scan, and the links in raw HTML that
                # MkDocs' own validation cannot see (mostly done while MkDocs was building).
                messages = inspector.finish()
        finally:
            inspector.close()
        if messages:
            raise SiteBuildError("\n".join(messages))


def serve(project: Project, dev_addr: str) -> None:
    """Live preview: MkDocs' server, watching content/ and templates/ (set in mkdocs.yml)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    mkdocs_serve(config_file=str(project.root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
