"""Stage 5, render: records -> Markdown pages (docs-relative path -> text) through templates/.

Every value from a sheet is printed by Jinja with autoescape inside a raw HTML block, with
white space folded, so a value never starts a Markdown line and Markdown syntax in it stays
literal. Headings come from the templates, never from data.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from markupsafe import Markup, escape

from briefing import pages, views
from briefing.errors import TemplateProblem
from briefing.forked import run_shares
from briefing.verify import Checked
from briefing.views import Linker, escaped

KIND_ORDER = ("briefing", "actor", "relation", "event", "source")


def _fold(value: Any) -> Any:
    """Fold white space in plain strings before escaping, so no value adds a line."""
    if type(value) is str:  # not Markup, which is a str too
        return " ".join(value.split())
    return value


# What PyYAML refuses to read. MkDocs drops unreadable front matter silently and renders it
# as Markdown, which turned '[x](javascript:...)' in a title into a live link; escape it.
_YAML_UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _front_matter_string(value: str) -> Markup:
    """A YAML-safe double-quoted scalar (JSON strings are valid YAML)."""
    text = json.dumps(" ".join(value.split()), ensure_ascii=False)
    return Markup(_YAML_UNREADABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def escape_output(value: Any) -> Markup:
    """markupsafe.escape, for the values templates print, without its copies.

    markupsafe.escape rebuilds every value through Markup.__new__ in Python, a Markup too
    (which it copies): a sixth of the render stage. Here a Markup is returned as it is (it
    is immutable and already escaped), a plain str is escaped as markupsafe escapes it and
    marked safe directly, and any other value goes to markupsafe.escape itself.
    """
    kind = type(value)
    if kind is Markup:
        return value
    if kind is str:
        return str.__new__(Markup, escaped(value))
    return escape(value)


class _Template(jinja2.Template):
    """A compiled template whose output goes through escape_output.

    The code Jinja compiles a template to escapes each printed value with the name
    `escape`, imported into the template's module namespace; from_code (the documented way
    Jinja builds a template from compiled code) points that name at escape_output.
    """

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is escape:  # (a Jinja that compiles otherwise is left be)
            namespace["escape"] = escape_output
        return template


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment: autoescape, StrictUndefined, white space folding."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_fold,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: templates do not change while it renders, so do not
        # stat every template file on every page (4% of the render stage).
        auto_reload=False,
        # '{#' starts Markdown heading ids ('## Statements {#_statements}'), not comments.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["front_matter_string"] = _front_matter_string
    env.template_class = _Template
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; errors name the template and line."""
    with _template_errors(name):
        return env.get_template(name).render(context)
    raise AssertionError("unreachable")  # _template_errors re-raises every error


def compile_template(env: jinja2.Environment, name: str) -> None:
    """Load and compile one template (and what it imports) ahead of rendering."""
    with _template_errors(name):
        env.get_template(name)


@contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Jinja's errors as a TemplateProblem naming the template and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        where = f"templates/{error.name}:{error.lineno}"
        raise TemplateProblem(f"{where}: {error.message}") from None
    except jinja2.TemplateError as error:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")
        ]
        where = (
            f"templates/{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else name
        )
        raise TemplateProblem(f"{where}: {error}") from None


# Pages from which rendering is shared out among forked processes: below it, forking and
# returning the Markdown cost more than they save.
PARALLEL_FROM = 400

# A page to render: its path, its template and the function that makes its context.
Job = tuple[str, str, Callable[[Linker], dict[str, Any]]]


def page_jobs(checked: Checked, pdf_links: bool) -> list[Job]:
    """Every generated page, in a stable order; one path is never written twice."""
    data = pages.shared(checked, pdf_links)
    jobs: list[Job] = [("index.md", "home.md.j2", lambda linker: pages.home_context(linker, data))]
    for kind in KIND_ORDER:
        jobs.append(
            (
                f"{views.FOLDERS[kind]}/index.md",
                "section.md.j2",
                lambda linker, kind=kind: pages.section_context(linker, kind),
            )
        )
    jobs.append(
        (pages.TIMELINE, "timeline.md.j2", lambda linker: pages.timeline_context(linker, data))
    )
    jobs.append(
        (pages.FIGURES, "figures.md.j2", lambda linker: {"rows": pages.figure_rows(linker)})
    )
    jobs.append((pages.LEGEND, "legend.md.j2", pages.legend_context))
    for sheet in checked.corpus.sheets:
        jobs.append(
            (
                views.sheet_page(sheet),
                f"{sheet.kind}.md.j2",
                lambda linker, sheet=sheet: pages.sheet_context(linker, data, sheet),
            )
        )
    seen: set[str] = set()
    for path, _, _ in jobs:
        if path in seen:
            raise TemplateProblem(f"two pages would be written to {path}")
        seen.add(path)
    return jobs


def _render_jobs(env: jinja2.Environment, checked: Checked, jobs: list[Job]) -> list[str]:
    corpus = checked.corpus
    return [
        render_template(env, template, context(Linker(corpus, path)))
        for path, template, context in jobs
    ]


def render_pages(
    templates: Path, checked: Checked, pdf_links: bool = False, workers: int = 1
) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown, in a stable order.

    pdf_links: the build also writes the PDFs, so pages link to them. workers: processes to
    share a large corpus's pages among (forked, so only where fork is safe: not in a process
    that runs threads, such as the live-preview server).
    """
    env = environment(templates)
    jobs = page_jobs(checked, pdf_links)
    count = workers if len(jobs) >= PARALLEL_FROM else 1
    if count > 1:  # compile the page templates once, not again in each worker
        for name in sorted({template for _, template, _ in jobs}):
            compile_template(env, name)
    # Every count-th page to each process; forked workers inherit the corpus and the jobs.
    shares = run_shares(lambda index, n: _render_jobs(env, checked, jobs[index::n]), count)
    texts: list[str] = [""] * len(jobs)
    for index, share in enumerate(shares):
        texts[index::count] = share
    return {path: text for (path, _, _), text in zip(jobs, texts, strict=True)}
