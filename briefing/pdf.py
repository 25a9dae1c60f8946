"""Stage 7, pdf: the checked records -> print views -> HTML (templates/print/) -> PDFs.

Order: plan every document (one per briefing, one per actor, the book), render each through
the print templates, lay it out with WeasyPrint, write it. The output is deterministic: no
random ids (the PDF identifier is a hash of the content), and dates only from
SOURCE_DATE_EPOCH. WeasyPrint fetches nothing: the stylesheet is passed as a string, fonts
come from fontconfig by family name, and the URL fetcher refuses anything but files inside
the project.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from briefing import print_docs, print_views, records
from briefing.contract import STATEMENT_KINDS
from briefing.errors import LogCollector, PdfBuildError, TemplateProblem
from briefing.link import Corpus
from briefing.pipeline import Project, usable_cores
from briefing.print_views import DiagramFn, Document
from briefing.publish import staged
from briefing.render import environment, render_template
from briefing.verify import Checked
from briefing.views import KIND_LABELS

PAPERS = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class Planned:
    """One PDF to write: its path under pdf/ and what it shows."""

    path: str
    document: Document


@dataclass(frozen=True)
class Written:
    """One PDF written, with its page count and how long it took."""

    path: Path
    pages: int
    seconds: float


def plan(corpus: Corpus, diagram: DiagramFn | None = None) -> list[Planned]:
    """Every PDF of the corpus: briefings, actors, then the book; no path planned twice."""
    planned: list[Planned] = []
    for sheet in corpus.sheets:
        if isinstance(sheet, records.Briefing):
            document = print_docs.briefing_document(corpus, sheet, diagram)
        elif isinstance(sheet, records.Actor):
            document = print_docs.actor_document(corpus, sheet, diagram)
        else:
            continue
        planned.append(Planned(str(print_views.pdf_path(sheet)), document))
    planned.append(Planned(print_views.BOOK, print_docs.book_document(corpus, diagram)))
    paths = [p.path for p in planned]
    if len(set(paths)) != len(paths):
        raise TemplateProblem("two PDFs would be written to the same path")
    return planned


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date-time for the PDF's metadata, or None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise PdfBuildError(f"SOURCE_DATE_EPOCH={value!r} is not a Unix time") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def document_html(env: jinja2.Environment, document: Document, date: str | None) -> str:
    """The print HTML of one document (values escaped by autoescape)."""
    kinds = [(kind, KIND_LABELS[kind], text) for kind, text in STATEMENT_KINDS.items()]
    context = {"doc": document, "date": date, "kinds": kinds}
    return render_template(env, "print/document.html.j2", context)


def stylesheet(project: Project, paper: str) -> str:
    """The print stylesheet, with the page size."""
    if paper not in PAPERS:
        raise PdfBuildError(f"unknown paper '{paper}'; use one of: {', '.join(PAPERS)}")
    css = (project.templates / "print" / "print.css").read_text(encoding="utf-8")
    return f"{css}\n@page {{ size: {PAPERS[paper]}; }}\n"


def local_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that serves files inside root and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    base = root.resolve()

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if (
                path is None
                or parts.netloc not in ("", "localhost")
                or not path.is_relative_to(base)
            ):
                raise PdfBuildError(f"refused to fetch {url}: PDFs may only use project files")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return LocalFetcher(fail_on_errors=True)


@contextmanager
def _collected() -> Iterator[LogCollector]:
    logger = logging.getLogger("weasyprint")
    collector = LogCollector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def _base_url(project: Project) -> str:
    return (project.templates / "print").resolve().as_uri() + "/"


@functools.lru_cache(maxsize=4)
def _parsed(project: Project, css: str) -> tuple[Any, tuple[str, ...]]:
    """The stylesheet parsed once per process (about 45 ms per PDF), with its warnings."""
    from weasyprint import CSS

    fetcher = local_fetcher(project.root)
    with _collected() as collector:
        sheet = CSS(string=css, base_url=_base_url(project), url_fetcher=fetcher)
    return sheet, tuple(collector.messages)


def _stylesheet(project: Project, css: str, name: str) -> tuple[Any, tuple[str, ...]]:
    """The parsed stylesheet and its warnings; a refused @import is a PdfBuildError."""
    try:  # the first import of WeasyPrint in a process loads Pango
        from weasyprint.urls import FatalURLFetchingError
    except (ImportError, OSError) as error:
        hint = "install Pango and the fonts with scripts/system-deps.sh"
        raise PdfBuildError(f"WeasyPrint cannot start: {error}; {hint}") from None

    try:
        return _parsed(project, css)
    except FatalURLFetchingError as error:
        raise PdfBuildError(f"{name}: {error.__cause__ or error}") from None


def render_pdf(project: Project, html: str, css: str, name: str = "PDF") -> tuple[bytes, int]:
    """Lay out one HTML document; any WeasyPrint warning or refused fetch fails it."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = local_fetcher(project.root)
    sheet, warnings = _stylesheet(project, css, name)
    try:
        with _collected() as collector:
            collector.messages.extend(warnings)  # reported for every PDF, not only the first
            document = HTML(string=html, base_url=_base_url(project), url_fetcher=fetcher).render(
                stylesheets=[sheet]
            )
            data = document.write_pdf(pdf_identifier=True)
    except FatalURLFetchingError as error:
        raise PdfBuildError(f"{name}: {error.__cause__ or error}") from None
    if collector.messages:
        raise PdfBuildError(f"{name}:\n" + "\n".join(collector.messages))
    return data, len(document.pages)


def _render_job(root: Path, html: str, css: str, name: str) -> tuple[bytes, int, float]:
    """One PDF, in a worker process: its bytes, page count and seconds taken."""
    started = time.perf_counter()
    data, pages = render_pdf(Project(root), html, css, name)
    return data, pages, time.perf_counter() - started


def render_all(
    project: Project, css: str, htmls: dict[str, str], jobs: int | None = None
) -> dict[str, tuple[bytes, int, float]]:
    """Lay out every document (path -> HTML), in parallel on jobs processes (default: all CPUs)."""
    workers = min(jobs or usable_cores(), len(htmls))
    # Longest first, so the book does not start last and leave the other workers idle.
    order = sorted(htmls, key=lambda path: (-len(htmls[path]), path))
    if workers <= 1:
        return {p: _render_job(project.root, htmls[p], css, f"pdf/{p}") for p in order}
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:  # import WeasyPrint and parse the stylesheet once; forked workers inherit both
        _stylesheet(project, css, "the print stylesheet")
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {
            p: pool.submit(_render_job, project.root, htmls[p], css, f"pdf/{p}") for p in order
        }
        return {p: futures[p].result() for p in order}


def build_pdfs(
    project: Project,
    checked: Checked,
    out_dir: Path,
    paper: str = "a4",
    diagram: DiagramFn | None = None,
    jobs: int | None = None,
) -> list[Written]:
    """Render and write every PDF of the corpus into out_dir; no existing file is replaced."""
    env = environment(project.templates)
    css = stylesheet(project, paper)
    date = source_date()
    htmls = {p.path: document_html(env, p.document, date) for p in plan(checked.corpus, diagram)}
    # In a site build, out_dir also holds what MkDocs wrote there (docs/pdf.md is pdf/index.html).
    clashes = [path for path in htmls if (out_dir / path).exists()]
    if clashes:
        raise PdfBuildError(f"pdf/{clashes[0]} exists in the site already (from docs/?)")
    rendered = render_all(project, css, htmls, jobs)
    written = []
    for path in htmls:
        data, pages, seconds = rendered[path]
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(Written(target, pages, seconds))
    return written


def _carry_over(previous: Path, new: Path) -> None:
    """Copy what the site build put beside the PDFs (the pdf/ page from docs/) into new."""
    if not previous.is_dir():
        return
    for path in sorted(previous.rglob("*")):
        target = new / path.relative_to(previous)
        if path.is_file() and path.suffix != ".pdf" and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def build_pdf_dir(
    project: Project,
    checked: Checked,
    out_dir: Path,
    paper: str = "a4",
    diagram: DiagramFn | None = None,
    jobs: int | None = None,
) -> list[Written]:
    """Build every PDF beside out_dir, then replace out_dir; on any failure keep it as it was."""
    with staged(out_dir.resolve()) as staging:
        written = build_pdfs(project, checked, staging, paper, diagram, jobs)
        _carry_over(out_dir, staging)
    return [Written(out_dir / w.path.relative_to(staging), w.pages, w.seconds) for w in written]
