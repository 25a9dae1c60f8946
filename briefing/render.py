"""Stage 5, render: records -> Markdown pages (docs-relative path -> text) through templates/.

Every value from a sheet is printed by Jinja with autoescape inside a raw HTML block, with
white space folded, so a value never starts a Markdown line and Markdown syntax in it stays
literal. Headings come from the templates, never from data.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from briefing import pages, views
from briefing.errors import TemplateProblem
from briefing.verify import Checked
from briefing.views import Linker

KIND_ORDER = ("briefing", "actor", "relation", "event", "source")


def _fold(value: Any) -> Any:
    """Fold white space in plain strings before escaping, so no value adds a line."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return " ".join(value.split())
    return value


# What PyYAML refuses to read. MkDocs drops unreadable front matter silently and renders it
# as Markdown, which turned '[x](javascript:...)' in a title into a live link; escape it.
_YAML_UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _front_matter_string(value: str) -> Markup:
    """A YAML-safe double-quoted scalar (JSON strings are valid YAML)."""
    text = json.dumps(" ".join(value.split()), ensure_ascii=False)
    return Markup(_YAML_UNREADABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


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
        # '{#' starts Markdown heading ids ('## Statements {#_statements}'), not comments.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["front_matter_string"] = _front_matter_string
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; errors name the template and line."""
    try:
        return env.get_template(name).render(context)
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


def render_pages(templates: Path, checked: Checked, pdf_links: bool = False) -> dict[str, str]:
    """Every generated page, in a stable order; one path is never written twice.

    pdf_links: the build also writes the PDFs, so pages link to them.
    """
    env = environment(templates)
    corpus = checked.corpus
    data = pages.shared(checked, pdf_links)
    rendered: dict[str, str] = {}

    def add(path: str, template: str, context: Callable[[Linker], dict[str, Any]]) -> None:
        if path in rendered:
            raise TemplateProblem(f"two pages would be written to {path}")
        rendered[path] = render_template(env, template, context(Linker(corpus, path)))

    add("index.md", "home.md.j2", lambda linker: pages.home_context(linker, data))
    for kind in KIND_ORDER:
        add(
            f"{views.FOLDERS[kind]}/index.md",
            "section.md.j2",
            lambda linker, kind=kind: pages.section_context(linker, kind),
        )
    add(pages.TIMELINE, "timeline.md.j2", lambda linker: pages.timeline_context(linker, data))
    add(pages.FIGURES, "figures.md.j2", lambda linker: {"rows": pages.figure_rows(linker)})
    add(pages.LEGEND, "legend.md.j2", pages.legend_context)
    for sheet in corpus.sheets:
        add(
            views.sheet_page(sheet),
            f"{sheet.kind}.md.j2",
            lambda linker, sheet=sheet: pages.sheet_context(linker, data, sheet),
        )
    return rendered
