"""Render: the checked records -> Markdown pages (docs-relative path -> text) through templates/.

Values from sheets go inside raw HTML blocks (see briefing.present.jinja), so a value never
starts a Markdown line.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from briefing.check.checker import check
from briefing.check.reads import Changes, Inputs, Read, Reads, reading
from briefing.check.verify import Checked
from briefing.forked import run_shares
from briefing.model import records
from briefing.model.contract import SHEET_KINDS
from briefing.model.errors import TemplateProblem
from briefing.present import links, places
from briefing.present.jinja import compile_template, environment, render_template
from briefing.present.links import SiteLinker
from briefing.project import Project
from briefing.web import downloads, pages

# Pages from which rendering is shared out among forked processes: below it, forking and
# returning the Markdown cost more than they save.
PARALLEL_FROM = 400

# A page to render: its path, its template and the function that makes its context from a
# linker placed at the page and what every page is given (pages.Shared).
Job = tuple[str, str, Callable[[SiteLinker, pages.Shared], dict[str, Any]]]


def page_jobs(checked: Checked) -> list[Job]:
    """Every generated page, in a stable order; one path is never written twice."""
    jobs: list[Job] = [("index.md", "home.md.j2", pages.home_context)]
    for kind in SHEET_KINDS:
        jobs.append(
            (
                f"{links.FOLDERS[kind]}/index.md",
                "section.md.j2",
                functools.partial(_section, kind=kind),
            )
        )
    jobs.append((pages.TIMELINE, "timeline.md.j2", pages.timeline_context))
    jobs.append((pages.FIGURES, "figures.md.j2", _figures))
    jobs.append((pages.LEGEND, "legend.md.j2", _legend))
    jobs.append((downloads.DOWNLOADS, "pdfs.md.j2", _downloads))
    for sheet in checked.corpus.sheets:
        jobs.append(
            (
                links.sheet_page(sheet),
                f"{sheet.kind}.md.j2",
                functools.partial(_sheet, sheet_id=sheet.id),
            )
        )
    seen: set[str] = set()
    for path, _, _ in jobs:
        if path in seen:
            raise TemplateProblem(f"two pages would be written to {path}")
        seen.add(path)
    return jobs


def _section(linker: SiteLinker, data: pages.Shared, kind: str) -> dict[str, Any]:
    return pages.section_context(linker, kind)


def _figures(linker: SiteLinker, data: pages.Shared) -> dict[str, Any]:
    return {"rows": pages.figure_rows(linker)}


def _legend(linker: SiteLinker, data: pages.Shared) -> dict[str, Any]:
    return pages.legend_context(linker)


def _downloads(linker: SiteLinker, data: pages.Shared) -> dict[str, Any]:
    if not data.pdf_links:
        return {"entries": []}
    return downloads.downloads_context(linker, pages.ordered_briefings(linker))


def _sheet(linker: SiteLinker, data: pages.Shared, sheet_id: str) -> dict[str, Any]:
    # The sheet is looked up through the linker, so that the preview notes it as read.
    return pages.sheet_context(linker, data, linker.corpus.by_id[sheet_id])


def _render_jobs(env: jinja2.Environment, data: pages.Shared, jobs: list[Job]) -> list[str]:
    corpus = data.checked.corpus
    return [
        render_template(env, template, context(SiteLinker(corpus, path), data))
        for path, template, context in jobs
    ]


@dataclass(frozen=True)
class Rendered:
    """A page as last rendered: its template, what its context read of the checked corpus
    (briefing.check.reads), the context and its Markdown."""

    template: str
    reads: frozenset[Read]
    context: dict[str, Any]
    text: str


@dataclass
class RenderMemo:
    """Pages rendered by earlier renders of one long-running process (the live preview).

    A page's Markdown is its template printing its context, nothing else: the templates
    print only what the context gives (pages.py computes it), and the environment's globals
    and filters are fixed. A context is computed from what it reads of the checked corpus
    (noted by briefing.check.reads) and from the page's path, nothing else. So a page whose
    template files are unchanged and whose every read has the same answer as when it was
    last rendered (==, field by field: records are frozen dataclasses) has the same
    Markdown, and its context is not even computed. A page with a changed read has its
    context computed again, and is rendered again unless that context equals (==) its last.
    """

    signature: tuple[tuple[str, int, int], ...] = ()  # templates/: (file, size, mtime_ns)
    env: jinja2.Environment | None = None  # compiled templates, kept while unchanged
    pdf_links: bool = False  # whether the pages below link to PDFs
    inputs: Inputs | None = None  # what the pages below were last checked against
    # Page path -> its latest render.
    pages: dict[str, Rendered] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    computed: int = 0  # contexts computed (not reused) by the latest render, for tests
    rendered: int = 0  # pages rendered (not reused) by the latest render, for tests

    def environment(self, templates: Path) -> jinja2.Environment:
        """The environment for templates as they are now; forget everything if they changed."""
        signature = _signature(templates)
        if self.env is None or signature != self.signature:
            self.signature, self.env = signature, environment(templates)
            self.pages.clear()
        return self.env


def _signature(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under templates/ with its size and modification time, in a stable order."""
    found = []
    for folder, dirs, names in os.walk(templates):
        dirs.sort()
        for name in sorted(names):
            status = os.stat(os.path.join(folder, name))
            found.append((os.path.join(folder, name), status.st_size, status.st_mtime_ns))
    return tuple(found)


def _render_remembered(
    templates: Path, data: pages.Shared, jobs: list[Job], memo: RenderMemo
) -> list[str]:
    """As _render_jobs, computing again only contexts whose reads changed, and rendering again
    only pages whose context or templates changed."""
    env = memo.environment(templates)
    if memo.pdf_links != data.pdf_links:
        memo.pages.clear()
        memo.pdf_links = data.pdf_links
    inputs = Inputs(data.checked, {"jsonld": data.jsonld})
    changes = Changes(memo.inputs, inputs)
    texts: list[str] = []
    kept: dict[str, Rendered] = {}
    memo.computed = memo.rendered = 0
    for path, template, make in jobs:
        previous = memo.pages.get(path)
        if previous is not None and previous.template != template:
            previous = None
        if previous is not None and changes.same(previous.reads):
            kept[path] = previous
            texts.append(previous.text)
            continue
        reads: Reads = set()
        seen, derived = reading(inputs, reads)
        noted = pages.Shared(seen, data.pdf_links, derived["jsonld"])
        context = make(SiteLinker(seen.corpus, path), noted)
        memo.computed += 1
        if previous is not None and previous.context == context:
            text = previous.text
        else:
            text = render_template(env, template, context)
            memo.rendered += 1
        # Read after rendering: a template may read through what the context holds.
        kept[path] = Rendered(template, frozenset(reads), context, text)
        texts.append(text)
    memo.pages = kept  # pages no longer made (a sheet deleted) are forgotten
    memo.inputs = inputs
    return texts


def render_pages(
    templates: Path,
    checked: Checked,
    pdf_links: bool = False,
    workers: int = 1,
    memo: RenderMemo | None = None,
) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown, in a stable order.

    pdf_links: the build also writes the PDFs, so pages link to them. workers: processes to
    share a large corpus's pages among (forked, so only where fork is safe: not in a process
    that runs threads, such as the live-preview server). memo: pages of earlier renders of
    this process, reused where provably unchanged (see RenderMemo; one process).
    """
    jobs = page_jobs(checked)
    data = pages.shared(checked, pdf_links)
    if memo is not None:
        with memo.lock:
            kept = _render_remembered(templates, data, jobs, memo)
        return {path: text for (path, _, _), text in zip(jobs, kept, strict=True)}
    env = environment(templates)
    count = workers if len(jobs) >= PARALLEL_FROM else 1
    if count > 1:  # compile the page templates once, not again in each worker
        for name in sorted({template for _, template, _ in jobs}):
            compile_template(env, name)
    # Every count-th page to each process; forked workers inherit the corpus and the jobs.
    shares = run_shares(lambda index, n: _render_jobs(env, data, jobs[index::n]), count)
    texts: list[str] = [""] * len(jobs)
    for index, share in enumerate(shares):
        texts[index::count] = share
    return {path: text for (path, _, _), text in zip(jobs, texts, strict=True)}


def render_site_pages(
    project: Project,
    pdf_links: bool = False,
    workers: int = 1,
    checked: Checked | None = None,
    memo: RenderMemo | None = None,
) -> dict[str, str]:
    """Check (unless given the checked corpus), then render every generated page:
    docs-relative path -> Markdown."""
    checked = checked if checked is not None else check(project, workers)
    return render_pages(project.templates, checked, pdf_links, workers, memo)


def archives(checked: Checked) -> dict[str, str]:
    """Every source's archived text, by where the site publishes it ('sources/<id>.txt'), so
    readers can check a quote against the whole text."""
    return {
        places.archive_path(source): checked.texts[source.id].raw
        for source in checked.corpus.of_kind("source")
        if isinstance(source, records.Source) and source.id in checked.texts
    }


def write_archives(checked: Checked, folder: Path) -> None:
    """Write the archived texts into a built site or a staged docs folder."""
    for path, text in archives(checked).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
