"""Stage 7, pdf: Typst, the second print engine (`--print-engine typst`).

It lays out the same print HTML as WeasyPrint (templates/print/*.html.j2, whose statement
markup the site shares), with templates/print/print.typ in place of print.css. The HTML's
<body> is handed over as XML, and print.typ walks it element by element: every text of a
sheet reaches the page as a string value, never as Typst markup. Each inline SVG diagram is
handed over apart, as the source text of an image. Typst reads no file outside the print
templates' folder and fetches nothing; its PDF has a date only with SOURCE_DATE_EPOCH.

Typst draws a character that no font has as an empty box and says nothing, so the text is
checked against the fonts Typst can use before layout, and each such character is traced to
the places content/ writes it (briefing.pdf.glyphs), as a WeasyPrint warning is.

**Typst compiles only in a forked worker, never in a process that may fork.** Its first
compile starts a pool of threads (Rust's rayon); a process forked after that has the pool's
state but not its threads, and its own first compile waits for them for good (seen: the PDF
workers of a second build in one process hung). So lay_out runs in the PDF workers
(layout.render_all makes a pool even for one document), and render_pdf, for any other
caller, forks a worker of its own. Making a Compiler before the fork is safe, and shared.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

from briefing.forked import WorkerPool
from briefing.model.errors import PdfBuildError
from briefing.pdf import bind, glyphs
from briefing.present import places
from briefing.project import Project

TEMPLATE = "print.typ"
# --paper's names -> Typst's paper names.
PAPERS = {"a4": "a4", "letter": "us-letter"}
# The families print.typ sets, regular and bold (the other fonts are only fallbacks).
FAMILIES = ("DejaVu Serif", "DejaVu Sans")
_MAIN_WEIGHTS = (400, 700)
# An inline SVG, with the XML declaration a diagram function may put before it.
_SVG = re.compile(r"(?:<\?xml[^>]*\?>\s*)?<svg\b.*?</svg\s*>", re.DOTALL | re.IGNORECASE)
_SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'


def stylesheet(project: Project, paper: str) -> str:
    """print.typ's source (it shapes every PDF: part of the cache key)."""
    if paper not in places.PAPERS:
        raise PdfBuildError(f"unknown paper '{paper}'; use one of: {', '.join(places.PAPERS)}")
    path = project.templates / "print" / TEMPLATE
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise PdfBuildError(
            f"{path}: cannot read the Typst print stylesheet ({reason}); copy "
            "templates/print/print.typ from briefing into the project's templates/print/, "
            "or lay the PDFs out with --print-engine weasyprint"
        ) from None


def _typst() -> Any:
    try:
        import typst
    except ImportError as error:
        raise PdfBuildError(f"Typst cannot start: {error}; run make to install it") from None
    return typst


@functools.lru_cache(maxsize=4)
def _compiler(folder: Path) -> Any:
    """One compiler per process (and its forked workers): it keeps fonts and parsed code."""
    try:
        return _typst().Compiler(str(folder / TEMPLATE), root=str(folder))
    except RuntimeError as error:  # print.typ gone since stylesheet() read it, say
        raise PdfBuildError(f"{folder / TEMPLATE}: Typst cannot start: {error}") from None


def prepare(project: Project) -> None:
    """Load Typst, its fonts and the main fonts' characters before workers are forked."""
    _compiler(project.templates / "print")
    _covered(FAMILIES)


class HandOver(NamedTuple):
    """The print HTML as print.typ reads it."""

    body: str  # the <body> as XML, each <svg> replaced by <bf-svg n="i"/>
    svgs: list[str]  # the SVGs' sources
    title: str  # the document's title
    text: str  # every text it prints, for the glyph check


def handed_over(html: str) -> HandOver:
    """The print HTML as print.typ reads it (HandOver)."""
    import lxml.etree
    import lxml.html

    svgs: list[str] = []

    def aside(match: re.Match[str]) -> str:
        source = match.group(0)[match.group(0).lower().index("<svg") :]
        if "xmlns=" not in source.split(">", 1)[0]:  # Typst's SVG reader needs the namespace
            source = source.replace("<svg", f"<svg {_SVG_NAMESPACE}", 1)
        svgs.append(source)
        return f'<bf-svg n="{len(svgs) - 1}"></bf-svg>'

    root = lxml.html.document_fromstring(_SVG.sub(aside, html))
    body = root.find("body")
    if body is None:
        raise PdfBuildError("the print HTML has no <body>")
    title = root.findtext("head/title") or ""
    xml = lxml.etree.tostring(body, method="xml", encoding="unicode")
    texts = [*body.itertext(), title, *(_svg_text(svg) for svg in svgs)]
    return HandOver(xml, svgs, title, "".join(texts))


def _svg_text(svg: str) -> str:
    """The text an SVG draws (its labels need glyphs too)."""
    import lxml.etree

    try:
        return "".join(lxml.etree.fromstring(svg.encode("utf-8")).itertext())
    except lxml.etree.XMLSyntaxError as error:
        raise PdfBuildError(f"a diagram is not well-formed SVG: {error}") from None


def _timestamp() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None  # layout.source_date() checked it


def render_pdf(project: Project, html: str, paper: str, name: str) -> tuple[bytes, int]:
    """lay_out in a forked worker: this process stays free to fork (see the docstring)."""
    prepare(project)
    context = multiprocessing.get_context("fork")
    with WorkerPool(1, context) as pool:
        return pool.submit(lay_out, project, html, paper, name).result()


def lay_out(project: Project, html: str, paper: str, name: str) -> tuple[bytes, int]:
    """Lay out one print HTML document with print.typ, in this process, which must not fork
    afterwards: its PDF and page count. A character no font has, a Typst warning or error
    fails it."""
    body, svgs, title, text = handed_over(html)
    missing = [char for char in dict.fromkeys(text) if not _drawable(char)]
    if missing:
        raise PdfBuildError(glyphs.missing(project, name, missing))
    typst = _typst()
    inputs = {"doc": body, "paper": PAPERS[paper], "title": title, "svgs": json.dumps(svgs)}
    stamp = _timestamp()
    if stamp is not None:  # print.typ then dates the PDF (typst-py dates it now, otherwise)
        inputs["timestamp"] = str(stamp)
    try:
        data, warnings = _compiler(project.templates / "print").compile_with_warnings(
            format="pdf", sys_inputs=inputs, timestamp=stamp
        )
    except typst.TypstError as error:
        raise PdfBuildError(f"{name}: Typst failed on the print stylesheet: {error}") from None
    if warnings:
        shown = "; ".join(str(warning) for warning in warnings)
        raise PdfBuildError(f"{name}: Typst warned: {shown}")
    return data, bind.page_count(data)


def _drawable(char: str) -> bool:
    if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
        return True  # laid out as space, or not drawn (controls, soft hyphens, joiners)
    return ord(char) in _covered(FAMILIES) or ord(char) in _covered(None)


@functools.lru_cache(maxsize=2)
def _covered(families: tuple[str, ...] | None) -> frozenset[int]:
    """The code points the fonts of families have (None: every font Typst can use, read only
    when a character is missing from the main ones)."""
    from fontTools.ttLib import TTFont

    fonts = _typst().Fonts(include_system_fonts=True, include_embedded_fonts=False).fonts()
    found: set[int] = set()
    for font in fonts:
        if families is not None and not (
            font.family in families
            and font.weight in _MAIN_WEIGHTS
            and font.style == "normal"
            and font.stretch == 1.0
        ):
            continue
        try:
            with TTFont(font.path, fontNumber=font.index, lazy=True) as opened:
                found.update(opened.getBestCmap() or {})
        except Exception:  # a font fontTools cannot read draws nothing here
            continue
    return frozenset(found)
