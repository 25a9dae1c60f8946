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
from typing import Any, TypeVar

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

T = TypeVar("T")

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
    (briefing.check.reads), the context (None when not kept: rendered by a forked worker,
    or by an earlier build) and its Markdown."""

    template: str
    reads: frozenset[Read]
    context: dict[str, Any] | None
    text: str


@dataclass
class RenderMemo:
    """Pages rendered by earlier renders: of one long-running process (the live preview),
    or of the previous build (kept on disk by briefing.web.between_builds).

    A page's Markdown is its template printing its context, nothing else: the templates
    print only what the context gives (pages.py computes it), and the environment's globals
    and filters are fixed. A context is computed from what it reads of the checked corpus
    (noted by briefing.check.reads) and from the page's path, nothing else. So a page whose
    template files are unchanged and whose every read has the same answer as when it was
    last rendered (==, field by field: records are frozen dataclasses) has the same
    Markdown, and its context is not even computed. A page with a changed read has its
    context computed again, and is rendered again unless that context equals (==) its last
    (when it was kept).
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

    def start(self, templates: Path, pdf_links: bool) -> jinja2.Environment:
        """Begin a render: forget every page if the templates changed or the pages' links to
        PDFs did; the environment to render with."""
        env = self.environment(templates)
        if self.pdf_links != pdf_links:
            self.pages.clear()
            self.pdf_links = pdf_links
        self.computed = self.rendered = 0
        return env


def _signature(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under templates/ with its size and modification time, in a stable order."""
    found = []
    for folder, dirs, names in os.walk(templates):
        dirs.sort()
        for name in sorted(names):
            status = os.stat(os.path.join(folder, name))
            found.append((os.path.join(folder, name), status.st_size, status.st_mtime_ns))
    return tuple(found)


def _context_noted(
    inputs: Inputs, data: pages.Shared, path: str, make: Callable[..., dict[str, Any]]
) -> tuple[dict[str, Any], Reads]:
    """A page's context, and the set its reads of inputs are noted into (and still will be
    while its template renders: a template may read through what the context holds)."""
    reads: Reads = set()
    seen, derived = reading(inputs, reads)
    noted = pages.Shared(seen, data.pdf_links, derived["jsonld"])
    return make(SiteLinker(seen.corpus, path), noted), reads


def _render_remembered(
    env: jinja2.Environment, data: pages.Shared, jobs: list[Job], memo: RenderMemo
) -> list[str]:
    """As _render_jobs, computing again only contexts whose reads changed, and rendering again
    only pages whose context or templates changed."""
    inputs = Inputs(data.checked, {"jsonld": data.jsonld})
    changes = Changes(memo.inputs, inputs)
    texts: list[str] = []
    kept: dict[str, Rendered] = {}
    for path, template, make in jobs:
        previous = memo.pages.get(path)
        if previous is not None and previous.template != template:
            previous = None
        if previous is not None and changes.same(previous.reads):
            kept[path] = previous
            texts.append(previous.text)
            continue
        context, reads = _context_noted(inputs, data, path, make)
        memo.computed += 1
        if previous is not None and previous.context is not None and previous.context == context:
            text = previous.text
        else:
            text = render_template(env, template, context)
            memo.rendered += 1
        kept[path] = Rendered(template, frozenset(reads), context, text)
        texts.append(text)
    memo.pages = kept  # pages no longer made (a sheet deleted) are forgotten
    memo.inputs = inputs
    return texts


def _render_noting(
    env: jinja2.Environment, data: pages.Shared, jobs: list[Job], count: int, memo: RenderMemo
) -> list[str]:
    """Every page rendered, shared among count processes, with each page's reads kept in memo
    (not its context, which the worker that computed it would have to send back)."""
    inputs = Inputs(data.checked, {"jsonld": data.jsonld})

    def noted(share: list[Job]) -> list[tuple[str, frozenset[Read]]]:
        done = []
        for path, template, make in share:
            context, reads = _context_noted(inputs, data, path, make)
            done.append((render_template(env, template, context), frozenset(reads)))
        return done

    found = _dealt(noted, jobs, count)
    memo.pages = {
        path: Rendered(template, reads, None, text)
        for (path, template, _), (text, reads) in zip(jobs, found, strict=True)
    }
    memo.inputs = inputs
    memo.computed = memo.rendered = len(jobs)
    return [text for text, _ in found]


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
    that runs threads, such as the live-preview server). memo: pages of earlier renders (this
    process's, or the previous build's), reused where provably unchanged (see RenderMemo).
    """
    jobs = page_jobs(checked)
    data = pages.shared(checked, pdf_links)
    count = workers if len(jobs) >= PARALLEL_FROM else 1
    if memo is not None:
        with memo.lock:
            env = memo.start(templates, pdf_links)
            if memo.pages or count == 1:
                kept = _render_remembered(env, data, jobs, memo)
            else:  # nothing to reuse: every page, in parallel
                _compile_all(env, jobs)
                kept = _render_noting(env, data, jobs, count, memo)
        return {path: text for (path, _, _), text in zip(jobs, kept, strict=True)}
    env = environment(templates)
    if count > 1:
        _compile_all(env, jobs)
    texts = _dealt(lambda share: _render_jobs(env, data, share), jobs, count)
    return {path: text for (path, _, _), text in zip(jobs, texts, strict=True)}


def _dealt(work: Callable[[list[Job]], list[T]], jobs: list[Job], count: int) -> list[T]:
    """work's results for every job, in the jobs' order: every count-th job to each of count
    processes (forked workers inherit the corpus and the jobs)."""
    results: list[Any] = [None] * len(jobs)
    for index, share in enumerate(run_shares(lambda i, n: work(jobs[i::n]), count)):
        results[index::count] = share
    return results


def _compile_all(env: jinja2.Environment, jobs: list[Job]) -> None:
    """Compile the page templates once, not again in each forked worker."""
    for name in sorted({template for _, template, _ in jobs}):
        compile_template(env, name)


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
