"""Stage 7, pdf: WeasyPrint, one of the two print engines (`--print-engine weasyprint`, the
default). It lays out the print HTML with templates/print/print.css. It fetches nothing: the
stylesheet is passed as a string, fonts come from fontconfig by family name, and the URL
fetcher refuses anything but files inside the project. A WeasyPrint warning fails the PDF,
except the notices below, which change nothing a reader sees.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefing.model.errors import LogCollector, PdfBuildError
from briefing.pdf import glyphs
from briefing.present import places
from briefing.project import Project

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


def stylesheet(project: Project, paper: str) -> str:
    """The print stylesheet, with the page size."""
    if paper not in places.PAPERS:
        raise PdfBuildError(f"unknown paper '{paper}'; use one of: {', '.join(places.PAPERS)}")
    css = (project.templates / "print" / "print.css").read_text(encoding="utf-8")
    return f"{css}\n@page {{ size: {places.PAPERS[paper]}; }}\n"


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


def prepare(project: Project, css: str, name: str) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
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
    sheet, warnings, sheet_notices = prepare(project, css, name)
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
