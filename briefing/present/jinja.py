"""The Jinja environment web pages and PDFs are rendered with: autoescape, StrictUndefined.

Every value from a sheet is printed by Jinja with autoescape, with white space folded, so a
value never starts a Markdown line and Markdown syntax in it stays literal. Headings come
from the templates, never from data. Template errors name the template and line.
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

from briefing.model.errors import TemplateProblem
from briefing.present.bytecode import NamedBytecodeCache, bytecode_folder, settings_of
from briefing.present.links import escaped


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
        markup: Markup = value  # typed by the test above, at no cost on this hot path
        return markup
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
    # Compiled once for every later build (and the PDF process), not once in each.
    folder = bytecode_folder(settings=settings_of(env))
    env.bytecode_cache = _BYTECODE.setdefault(folder, NamedBytecodeCache(folder))
    return env


# The bytecode caches by folder: one for this module's settings, kept by the process.
_BYTECODE: dict[Path, NamedBytecodeCache] = {}


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
