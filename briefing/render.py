"""Stage 5, render: records -> Markdown pages (docs-relative path -> text) through templates/.

Every value from a sheet is printed by Jinja with autoescape inside a raw HTML block, with
white space folded, so a value never starts a Markdown line and Markdown syntax in it stays
literal. Headings come from the templates, never from data.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from briefing import records, views
from briefing.errors import TemplateProblem
from briefing.verify import Checked
from briefing.views import Linker

KIND_ORDER = ("briefing", "actor", "relation", "event", "source")


def _fold(value: Any) -> Any:
    """Fold white space in plain strings before escaping, so no value adds a line."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return " ".join(value.split())
    return value


def _front_matter_string(value: str) -> Markup:
    """A YAML-safe double-quoted scalar (JSON strings are valid YAML)."""
    return Markup(json.dumps(" ".join(value.split()), ensure_ascii=False))


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


def sheet_context(linker: Linker, sheet: records.Sheet) -> dict[str, Any]:
    """What every sheet page shows, plus what its kind adds."""
    corpus = linker.corpus
    context: dict[str, Any] = {
        "sheet": sheet,
        "summary": linker.rich(sheet.summary),
        "statement_groups": views.grouped_statements(linker, sheet),
        "backlinks": views.backlinks(linker, sheet.id),
    }
    if isinstance(sheet, records.Actor):
        context["role"] = linker.rich(sheet.role) if sheet.role else None
        context["interests"] = [linker.rich(i) for i in sheet.interests]
        context["relations"] = [
            views.sheet_link(linker, s) for s in views.involving(corpus, "relation", sheet.id)
        ]
        events = views.by_date(tuple(views.involving(corpus, "event", sheet.id)))
        context["events"] = [views.sheet_link(linker, s) for s in events]
    elif isinstance(sheet, (records.Relation, records.Event)):
        context["actors"] = [views.sheet_link(linker, corpus.by_id[r.target]) for r in sheet.actors]
        if isinstance(sheet, records.Event):
            context["date_note"] = linker.rich(sheet.date_note) if sheet.date_note else None
    elif isinstance(sheet, records.Source):
        context["citing"] = [
            views.statement_view(linker, s, st) for s, st in corpus.citing(sheet.id)
        ]
    elif isinstance(sheet, records.Briefing):
        context["bluf"] = linker.rich(sheet.bluf)
        context["key_judgments"] = views.referenced(linker, sheet.key_judgments)
        context["sections"] = [
            (section.title, linker.rich(section.text), views.referenced(linker, section.refs))
            for section in sheet.sections
        ]
    return context


def section_context(linker: Linker, kind: str) -> dict[str, Any]:
    sheets = linker.corpus.of_kind(kind)
    if kind == "event":
        sheets = tuple(views.by_date(sheets))
    else:
        sheets = tuple(sorted(sheets, key=lambda s: (s.title.casefold(), s.id)))
    return {
        "title": views.SECTION_TITLES[kind],
        "kind": kind,
        "items": [views.sheet_link(linker, s) for s in sheets],
    }


def home_context(linker: Linker) -> dict[str, Any]:
    corpus = linker.corpus
    return {
        "briefings": [views.sheet_link(linker, s) for s in corpus.of_kind("briefing")],
        "sections": [
            (
                views.SECTION_TITLES[kind],
                linker.url(f"{views.FOLDERS[kind]}/"),
                len(corpus.of_kind(kind)),
            )
            for kind in KIND_ORDER
        ],
    }


def render_pages(templates: Path, checked: Checked) -> dict[str, str]:
    """Every generated page, in a stable order; one path is never written twice."""
    env = environment(templates)
    corpus = checked.corpus
    pages: dict[str, str] = {}

    def add(path: str, template: str, context: dict[str, Any]) -> None:
        if path in pages:
            raise TemplateProblem(f"two pages would be written to {path}")
        pages[path] = render_template(env, template, context)

    add("index.md", "home.md.j2", home_context(Linker(corpus, "index.md")))
    for kind in KIND_ORDER:
        path = f"{views.FOLDERS[kind]}/index.md"
        add(path, "section.md.j2", section_context(Linker(corpus, path), kind))
    for sheet in corpus.sheets:
        path = views.sheet_page(sheet)
        add(path, f"{sheet.kind}.md.j2", sheet_context(Linker(corpus, path), sheet))
    return pages
