"""Stage 7, pdf: the checked records -> print views -> HTML (templates/print/) -> PDFs.

Order: plan every document (one per briefing, and the back part of the book), render each
through the print templates, lay it out with the print engine (WeasyPrint,
briefing.pdf.weasy, or Typst, briefing.pdf.typeset: both lay out the same HTML), bind the
book from the briefings' PDFs (briefing.pdf.book), write them. The output is deterministic:
no random ids (the PDF identifier is a hash of the content), and dates only from
SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from briefing.check.link import Corpus
from briefing.check.verify import Checked
from briefing.forked import WorkerPool, usable_cores
from briefing.model import records
from briefing.model.contract import KIND_REGISTRY
from briefing.model.errors import PdfBuildError, TemplateProblem
from briefing.pdf import book, documents, typeset, weasy
from briefing.pdf.cache import PdfCache, cache_root, shared_key
from briefing.pdf.views import DiagramFn, Document
from briefing.present import places
from briefing.present.diagram import print_diagram
from briefing.present.jinja import environment, render_template
from briefing.project import Project
from briefing.publish import staged

PAPERS = places.PAPERS


@dataclass(frozen=True)
class Printer:
    """The engine that lays the print HTML out, with its stylesheet for that paper."""

    engine: str  # one of places.PRINT_ENGINES
    paper: str
    style: str  # print.css with the page size (weasyprint), or print.typ (typst)


def printer(project: Project, paper: str, engine: str = places.DEFAULT_PRINT_ENGINE) -> Printer:
    """The print engine named, with the project's stylesheet for paper."""
    if engine == "typst":
        return Printer(engine, paper, typeset.stylesheet(project, paper))
    if engine != "weasyprint":
        known = ", ".join(places.PRINT_ENGINES)
        raise PdfBuildError(f"unknown print engine '{engine}'; use one of: {known}")
    return Printer(engine, paper, weasy.stylesheet(project, paper))


def render_pdf(
    project: Project, html: str, printer: Printer, name: str, notices: list[str]
) -> tuple[bytes, int]:
    """One document laid out by the printer's engine: its PDF and page count."""
    if printer.engine == "typst":
        return typeset.render_pdf(project, html, printer.paper, name)
    return weasy.render_pdf(project, html, printer.style, name, notices)


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


def _render_job(
    root: Path, html: str, printer: Printer, name: str
) -> tuple[bytes, int, float, tuple[str, ...]]:
    """One PDF, in a worker process: its bytes, page count, seconds taken and notices."""
    started = time.perf_counter()
    notices: list[str] = []
    if printer.engine == "typst":  # in a worker, which forks nothing: Typst may compile here
        data, pages = typeset.lay_out(Project(root), html, printer.paper, name)
    else:
        data, pages = render_pdf(Project(root), html, printer, name, notices)
    return data, pages, time.perf_counter() - started, tuple(dict.fromkeys(notices))


# Typst keeps a memo of its recent compiles (about 10 MB a briefing; a worker grew to 300 MB
# at 1,000 sheets), so a worker lays out this many documents, then a fresh one takes its
# place: the PDFs' peak fell from 1,069 to 705 MiB at 10,000 sheets, in the same time
# (docs/performance.md, eighth round).
TYPST_DOCUMENTS_PER_WORKER = 4


def render_all(
    project: Project,
    printer: Printer,
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
    if workers <= 1 and printer.engine != "typst":  # Typst: only in workers (typeset.py)
        done = {p: _render_job(project.root, htmls[p], printer, f"pdf/{p}") for p in order}
        return _results(done, notices)
    if not htmls:
        return {}
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:  # load the engine and its stylesheet once; forked workers inherit both
        if printer.engine == "typst":
            typeset.prepare(project)
        else:
            weasy.prepare(project, printer.style, "the print stylesheet")
    context = multiprocessing.get_context("fork" if fork else None)
    batch = workers * TYPST_DOCUMENTS_PER_WORKER if printer.engine == "typst" else len(order)
    done = {}
    for start in range(0, len(order), batch):  # fresh workers for each batch
        part = order[start : start + batch]
        with WorkerPool(min(workers, len(part)), context) as pool:
            futures = {
                p: pool.submit(_render_job, project.root, htmls[p], printer, f"pdf/{p}")
                for p in part
            }
            done.update({p: futures[p].result() for p in part})
    return _results(done, notices)


def _results(
    done: dict[str, tuple[bytes, int, float, tuple[str, ...]]], notices: list[str] | None
) -> dict[str, tuple[bytes, int, float]]:
    found = [notice for *_, job_notices in done.values() for notice in job_notices]
    if notices is None:
        weasy.print_notices(found)
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
    engine: str = places.DEFAULT_PRINT_ENGINE,
) -> list[Written]:
    """Render and write every PDF of the corpus into out_dir; no existing file is replaced.

    A PDF whose HTML, stylesheet, fonts and engine are those of a PDF laid out before is
    taken from the cache (briefing.pdf.cache; use_cache=False lays every PDF out afresh).
    """
    env = environment(project.templates)
    laying = printer(project, paper, engine)
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
        store = PdfCache(
            folder / "pdf",
            shared_key(
                laying.engine, f"{laying.paper}\n{laying.style}", project.templates / "print", date
            ),
        )
    notices: list[str] = []
    done = _laid_out(project, laying, store, htmls, jobs, notices)

    def front(html: str) -> tuple[bytes, int]:  # small: laid out here, not in a worker
        data, pages, _ = _laid_out(project, laying, store, {book.FRONT: html}, 1, notices)[
            book.FRONT
        ]
        return data, pages

    started = time.perf_counter()
    chapters = [book.BoundChapter(p.document, *done[p.path][:2]) for p in planned]
    back_done = done.pop(book.BACK, None)
    bound, pages = book.bind_book(
        env, checked.corpus, chapters, back_done[:2] if back_done else None, front, date, store
    )
    weasy.print_notices(notices)  # each once
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
    printer: Printer,
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
    rendered = render_all(project, printer, missing, jobs, notices)
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
    engine: str = places.DEFAULT_PRINT_ENGINE,
) -> list[Written]:
    """Build every PDF beside out_dir, then replace out_dir; on any failure keep it as it was."""
    with staged(out_dir.resolve()) as staging:
        written = build_pdfs(project, checked, staging, paper, diagram, jobs, use_cache, engine)
        _carry_over(out_dir, staging)
    return [Written(out_dir / w.path.relative_to(staging), w.pages, w.seconds) for w in written]
