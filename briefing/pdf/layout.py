"""Stage 7, pdf: the checked records -> print views -> HTML (templates/print/) -> PDFs.

Order: plan every document (one per briefing, and the back part of the book), render each
through the print templates, lay it out with WeasyPrint, bind the book from the briefings'
PDFs (briefing.pdf.book), write them. The output is deterministic: no
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
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from briefing.check.link import Corpus
from briefing.check.verify import Checked
from briefing.forked import usable_cores, worker_pool
from briefing.model import records
from briefing.model.contract import KIND_REGISTRY
from briefing.model.errors import LogCollector, PdfBuildError, TemplateProblem
from briefing.pdf import book, documents, glyphs
from briefing.pdf.cache import PdfCache, cache_root, shared_key
from briefing.pdf.views import DiagramFn, Document
from briefing.present import places
from briefing.present.diagram import print_diagram
from briefing.present.jinja import environment, render_template
from briefing.project import Project
from briefing.publish import staged

PAPERS = places.PAPERS

# WeasyPrint warnings known to change nothing a reader sees (message pattern -> the notice
# and its fix, printed once a build). Every other warning is a problem that fails the build.
# The texts are LOGGER.warning calls of WeasyPrint 70 (pdf/fonts.py, css/validation/).
ENVIRONMENT_NOTICES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^Using fontTools instead of HarfBuzz-Subset for font "),
        "WeasyPrint subsets fonts with fontTools because libharfbuzz-subset0 is missing; "
        "install it with scripts/system-deps.sh (or apt-get install libharfbuzz-subset0)",
    ),
    (
        re.compile(
            r"^Deprecated `(?P<old>[^`:]+):[^`]*` at (?P<at>\d+:\d+), prefixes on unstable "
            r"attributes are deprecated, use '(?P<new>[^']+)' instead\.$"
        ),
        r"the print stylesheet's \g<old> (at \g<at>) is deprecated in WeasyPrint, which still "
        r"applies it; write \g<new> instead",
    ),
)


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
    """The PDF of every briefing, in the book's order; no path planned twice."""
    planned: list[Planned] = []
    # In the order content/corpus.yaml gives (the site's home page too), then the others.
    rank = {ref.target: n for n, ref in enumerate(corpus.settings.order)}
    for sheet in sorted(corpus.sheets, key=lambda s: rank.get(s.id, len(rank))):
        if isinstance(sheet, records.Briefing):
            document = documents.briefing_document(corpus, sheet, diagram)
            planned.append(Planned(str(places.pdf_path(sheet)), document))
    paths = [p.path for p in planned] + [places.BOOK]
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
    context = {"doc": document, "date": date, "kinds": KIND_REGISTRY}
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
    collector = LogCollector(ENVIRONMENT_NOTICES)
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
def _parsed(project: Project, css: str) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """The stylesheet parsed once per process (about 45 ms per PDF), its problems and notices."""
    from weasyprint import CSS

    fetcher = local_fetcher(project.root)
    with _collected() as collector:
        sheet = CSS(string=css, base_url=_base_url(project), url_fetcher=fetcher)
    return sheet, tuple(collector.messages), tuple(collector.notices)


@functools.cache
def _fonts() -> Any:
    """One font configuration for every PDF of this process and its forked workers, not a
    new one (fontconfig's set-up, a Pango font map, each face loaded) for every document:
    4 to 11 % of a briefing's layout. The bytes are the same (tests/test_pdf_cache.py)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _stylesheet(
    project: Project, css: str, name: str
) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """The parsed stylesheet, its problems and notices; a refused @import is a PdfBuildError."""
    try:  # the first import of WeasyPrint in a process loads Pango
        from weasyprint.urls import FatalURLFetchingError
    except (ImportError, OSError) as error:
        hint = "install Pango and the fonts with scripts/system-deps.sh"
        raise PdfBuildError(f"WeasyPrint cannot start: {error}; {hint}") from None

    try:
        _fonts()
        return _parsed(project, css)
    except FatalURLFetchingError as error:
        raise PdfBuildError(f"{name}: {error.__cause__ or error}") from None


def render_pdf(
    project: Project, html: str, css: str, name: str = "PDF", notices: list[str] | None = None
) -> tuple[bytes, int]:
    """Lay out one HTML document; a WeasyPrint warning or a refused fetch fails it.

    A warning in ENVIRONMENT_NOTICES fails nothing: its notice is appended to notices, or
    printed to stderr when notices is None.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = local_fetcher(project.root)
    sheet, warnings, sheet_notices = _stylesheet(project, css, name)
    try:
        with _collected() as collector:
            collector.messages.extend(warnings)  # reported for every PDF, not only the first
            collector.notices.extend(sheet_notices)
            document = HTML(string=html, base_url=_base_url(project), url_fetcher=fetcher).render(
                stylesheets=[sheet], font_config=_fonts()
            )
            data = document.write_pdf(pdf_identifier=True)
    except FatalURLFetchingError as error:
        raise PdfBuildError(f"{name}: {error.__cause__ or error}") from None
    if collector.messages:  # a missing glyph is traced to the sheets that write it
        raise PdfBuildError(glyphs.failure(project, name, collector.messages))
    if notices is None:
        print_notices(collector.notices)
    else:
        notices.extend(collector.notices)
    return data, len(document.pages)


def print_notices(notices: list[str]) -> None:
    """Print each distinct notice once to stderr, in the order first seen."""
    for notice in dict.fromkeys(notices):
        print(f"notice: {notice}", file=sys.stderr)


def _render_job(
    root: Path, html: str, css: str, name: str
) -> tuple[bytes, int, float, tuple[str, ...]]:
    """One PDF, in a worker process: its bytes, page count, seconds taken and notices."""
    started = time.perf_counter()
    notices: list[str] = []
    data, pages = render_pdf(Project(root), html, css, name, notices)
    return data, pages, time.perf_counter() - started, tuple(dict.fromkeys(notices))


def render_all(
    project: Project,
    css: str,
    htmls: dict[str, str],
    jobs: int | None = None,
    notices: list[str] | None = None,
) -> dict[str, tuple[bytes, int, float]]:
    """Lay out every document (path -> HTML), in parallel on jobs processes (default: all CPUs).

    The workers' notices are carried back here and appended to notices (printed to stderr,
    each once, when notices is None).
    """
    workers = min(jobs or usable_cores(), len(htmls))
    # Longest first, so the book does not start last and leave the other workers idle.
    order = sorted(htmls, key=lambda path: (-len(htmls[path]), path))
    if workers <= 1:
        done = {p: _render_job(project.root, htmls[p], css, f"pdf/{p}") for p in order}
        return _results(done, notices)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:  # import WeasyPrint and parse the stylesheet once; forked workers inherit both
        _stylesheet(project, css, "the print stylesheet")
    context = multiprocessing.get_context("fork" if fork else None)
    with worker_pool(workers, context) as pool:
        futures = {
            p: pool.submit(_render_job, project.root, htmls[p], css, f"pdf/{p}") for p in order
        }
        return _results({p: futures[p].result() for p in order}, notices)


def _results(
    done: dict[str, tuple[bytes, int, float, tuple[str, ...]]], notices: list[str] | None
) -> dict[str, tuple[bytes, int, float]]:
    found = [notice for *_, job_notices in done.values() for notice in job_notices]
    if notices is None:
        print_notices(found)
    else:
        notices.extend(found)
    return {path: (data, pages, seconds) for path, (data, pages, seconds, _) in done.items()}


def build_pdfs(
    project: Project,
    checked: Checked,
    out_dir: Path,
    paper: str = "a4",
    diagram: DiagramFn | None = print_diagram,
    jobs: int | None = None,
    use_cache: bool = True,
) -> list[Written]:
    """Render and write every PDF of the corpus into out_dir; no existing file is replaced.

    A PDF whose HTML, stylesheet, fonts and engine are those of a PDF laid out before is
    taken from the cache (briefing.pdf.cache; use_cache=False lays every PDF out afresh).
    """
    env = environment(project.templates)
    css = stylesheet(project, paper)
    date = source_date()
    planned = plan(checked.corpus, diagram)
    htmls = {p.path: document_html(env, p.document, date) for p in planned}
    # In a site build, out_dir also holds what MkDocs wrote there (docs/pdf.md is pdf/index.html).
    clashes = [path for path in [*htmls, places.BOOK] if (out_dir / path).exists()]
    if clashes:
        raise PdfBuildError(f"pdf/{clashes[0]} exists in the site already (from docs/?)")
    docs = [p.document for p in planned]
    back = book.back_html(env, checked.corpus, docs, date)
    if back is not None:  # laid out beside the briefings, which it does not depend on
        htmls[book.BACK] = back
    folder = cache_root(project.root) if use_cache else None
    store = None
    if folder is not None:
        store = PdfCache(folder / "pdf", shared_key(css, project.templates / "print", date))
    notices: list[str] = []
    done = _laid_out(project, css, store, htmls, jobs, notices)

    def front(html: str) -> tuple[bytes, int]:  # small: laid out here, not in a worker
        data, pages, _ = _laid_out(project, css, store, {book.FRONT: html}, 1, notices)[book.FRONT]
        return data, pages

    started = time.perf_counter()
    chapters = [book.BoundChapter(p.document, *done[p.path][:2]) for p in planned]
    back_done = done.pop(book.BACK, None)
    bound, pages = book.bind_book(
        env, checked.corpus, chapters, back_done[:2] if back_done else None, front, date, store
    )
    print_notices(notices)  # each once
    # The book's time: laying out its front and back parts, and binding.
    spent = time.perf_counter() - started + (back_done[2] if back_done else 0.0)
    done[places.BOOK] = (bound, pages, spent)
    written = []
    for path in [*(p.path for p in planned), places.BOOK]:
        data, pages, seconds = done[path]
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(Written(target, pages, seconds))
    return written


def _laid_out(
    project: Project,
    css: str,
    store: PdfCache | None,
    htmls: dict[str, str],
    jobs: int | None,
    notices: list[str],
) -> dict[str, tuple[bytes, int, float]]:
    """Every document (path -> HTML) from the cache, or laid out and then kept in it."""
    done: dict[str, tuple[bytes, int, float]] = {}
    for path, html in htmls.items():
        if store is not None and (hit := store.get(html)) is not None:
            done[path] = (hit[0], hit[1], 0.0)
            notices.extend(hit[2])
    missing = {path: html for path, html in htmls.items() if path not in done}
    rendered = render_all(project, css, missing, jobs, notices)
    kept = tuple(dict.fromkeys(notices))  # the environment's notices apply to every PDF
    for path, (data, pages, _) in rendered.items():
        if store is not None:
            store.put(htmls[path], data, pages, kept)
    done.update(rendered)
    return done


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
    diagram: DiagramFn | None = print_diagram,
    jobs: int | None = None,
    use_cache: bool = True,
) -> list[Written]:
    """Build every PDF beside out_dir, then replace out_dir; on any failure keep it as it was."""
    with staged(out_dir.resolve()) as staging:
        written = build_pdfs(project, checked, staging, paper, diagram, jobs, use_cache)
        _carry_over(out_dir, staging)
    return [Written(out_dir / w.path.relative_to(staging), w.pages, w.seconds) for w in written]
