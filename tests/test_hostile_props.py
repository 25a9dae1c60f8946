"""Property-based hostile input: arbitrary text and bytes in sheets.

Whatever a field holds, the pipeline either refuses it with located, one-line messages
(ContentError and nothing else), or renders it as literal text: escaped, folded to one
line, never starting a Markdown line, and for titles, read back unchanged from the
page's front matter by MkDocs' own parser. Pages come from render_site_pages, not a full
MkDocs build per example.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape
from mkdocs.utils.meta import get_data

from briefing.check.load import load_file
from briefing.model.errors import ContentError
from briefing.present.jinja import environment, escape_output
from briefing.present.links import escaped
from briefing.project import Project
from briefing.web.render import render_site_pages
from tests.helpers import SOURCE_TEXT, make_corpus

SHEET = "content/actors/iran.yaml"
LOCATED = re.compile(
    r"content/(actors/iran\.yaml|sources/article\.txt):[1-9][0-9]*:[1-9][0-9]*: \S.*"
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Characters that mean something to YAML, Markdown, HTML or Jinja, mixed with any others.
SIGNIFICANT = [*":-?[]{},&*!|>'\"%@`#<>=/\\~^_.$()\n\t ;", "[[", "]]", "{{", "{%", "--8<--"]
hostile_text = st.lists(
    st.one_of(st.sampled_from(SIGNIFICANT), st.characters(), st.text(max_size=4)),
    max_size=40,
).map("".join)


def as_yaml(value: str, style: str, indent: int = 2) -> str:
    """value as a YAML scalar in one of three styles; the loader sees what an editor wrote."""
    if style == "json":
        return json.dumps(value, ensure_ascii=False)
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line for line in value.split("\n"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_corpus(tmp_path_factory.mktemp("props"))


def outcome(project: Project, sheet: str, text: str = SOURCE_TEXT) -> dict[str, str] | None:
    """The rendered pages, or None after checking that every problem is located."""
    source = project.root / "content/sources/article.txt"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    # surrogatepass: a lone surrogate is written as the bytes an editor could save (CESU-8).
    (project.root / SHEET).write_text(sheet, encoding="utf-8", errors="surrogatepass")
    try:
        return render_site_pages(project)
    except ContentError as error:
        for problem in error.problems:
            assert LOCATED.fullmatch(str(problem)), str(problem)
        return None


def body_lines_start_safely(page: str) -> None:
    """Only the templates start Markdown lines: with '<', '#' or nothing."""
    body = page.split("---\n", 2)[2]
    for line in body.splitlines():
        assert line == "" or line.startswith(("<", "#")), line


@SETTINGS
@given(value=hostile_text, style=st.sampled_from(["json", "single", "block"]))
def test_any_text_field_is_refused_with_a_location_or_printed_literally(
    project: Project, value: str, style: str
) -> None:
    assume("[[" not in value)  # links are resolved, not printed: see the label property
    sheet = (
        f"id: iran\nname: Iran\ntype: state\nsummary: {as_yaml(value, style)}\n"
        f"role: {as_yaml(value, 'json')}\n"
    )
    pages = outcome(project, sheet)
    if pages is None:
        return
    page = pages["actors/iran.md"]
    folded = " ".join(value.split())
    assert f'<p class="bf-summary">{escape(folded)}</p>' in page.splitlines()
    assert f"<dt>Role</dt> <dd>{escape(folded)}</dd>" in page.splitlines()
    body_lines_start_safely(page)


@SETTINGS
@given(value=hostile_text, style=st.sampled_from(["json", "single", "block"]))
def test_any_statement_is_refused_with_a_location_or_printed_literally(
    project: Project, value: str, style: str
) -> None:
    assume("[[" not in value)
    sheet = (
        "id: iran\nname: Iran\ntype: state\nsummary: s\nstatements:\n  - id: s\n"
        f"    text: {as_yaml(value, style, 6)}\n    kind: quote\n"
        f"    attributed_to: {as_yaml(value, 'json')}\n    source: article\n"
        f"    quote: {as_yaml(value, style, 6)}\n"
    )
    pages = outcome(project, sheet, text=SOURCE_TEXT + value + "\n")
    if pages is None:
        return
    page = pages["actors/iran.md"]
    folded = escape(" ".join(value.split()))
    assert f"Quote</span> {folded} <a class=" in page
    assert f"Attributed to:</span> {folded}</p>" in page  # kind quote: same words as the PDFs
    assert f'<blockquote class="bf-quote"><p>“{folded}”</p>' in page
    body_lines_start_safely(page)


@SETTINGS
@given(value=hostile_text, style=st.sampled_from(["json", "single"]))
def test_any_title_is_refused_or_read_back_unchanged_from_the_front_matter(
    project: Project, value: str, style: str
) -> None:
    sheet = (
        f"id: iran\nname: {as_yaml(value, style)}\ntype: state\nsummary: s\n"
        f"aliases: [{as_yaml(value, 'json')}]\n"
    )
    pages = outcome(project, sheet)
    if pages is None:
        return
    page = pages["actors/iran.md"]
    title = value.strip()
    _, meta = get_data(page)
    assert meta["title"] == " ".join(title.split())  # MkDocs reads exactly the title
    assert (
        '<h1 class="bf-title" id="_title" data-pagefind-weight="10" '
        'data-pagefind-meta="kind:Actor"><span class="bf-search-kind">Actor: </span>'
        f"{escape(' '.join(title.split()))}" in page
    )
    assert "<" not in title and ">" not in title
    body_lines_start_safely(page)


@SETTINGS
@given(label=hostile_text)
def test_any_link_label_is_refused_or_printed_literally(project: Project, label: str) -> None:
    assume("[" not in label and "]" not in label)  # otherwise it is no link, just text
    sheet = (
        "id: iran\nname: Iran\ntype: state\n"
        f"summary: {as_yaml('Ally of [[china|' + label + ']].', 'json')}\n"
    )
    pages = outcome(project, sheet)
    if pages is None:
        return
    page = pages["actors/iran.md"]
    shown = " ".join(label.split()) or "China"
    assert f'<a href="../china/">{escape(shown)}</a>' in page
    body_lines_start_safely(page)


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(st.one_of(hostile_text, st.characters(categories=["Cs"]))).map(
            lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
        ),
        st.lists(st.sampled_from([*SIGNIFICANT, "a", "b", "id", "0"]), max_size=80).map(
            lambda parts: "".join(parts).encode()
        ),
    )
)
def test_any_bytes_load_to_a_tree_or_located_problems(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.getbasetemp() / "bytes.yaml"
    path.write_bytes(data)
    document, problems = load_file(path, SHEET, "actors")
    for problem in problems:
        assert LOCATED.fullmatch(str(problem)), str(problem)
    assert document is not None or problems  # never nothing at all


def test_surrogates_never_reach_a_page(tmp_path: Path) -> None:
    """A lone surrogate cannot be written raw in UTF-8, and its escape is refused."""
    project = make_corpus(tmp_path)
    assert outcome(project, 'id: iran\nname: Iran\ntype: state\nsummary: "\\udfff"\n') is None


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_escaped_is_markupsafe_escape_as_a_plain_string(text: str) -> None:
    assert escaped(text) == str(escape(text))
    assert type(escaped(text)) is str


class _Html:
    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


class _Text(str):
    pass


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escape_output_is_markupsafe_escape(text: str) -> None:
    for value in (text, Markup(text), _Text(text), _Html(text), Markup(text) + "&", len(text)):
        assert escape_output(value) == escape(value)
        assert type(escape_output(value)) is Markup


def test_templates_print_through_escape_output(tmp_path: Path) -> None:
    (tmp_path / "page.md.j2").write_text("{{ a }}|{{ b }}|{{ c }}\n", encoding="utf-8")
    env = environment(tmp_path)
    template = env.get_template("page.md.j2")
    assert template.root_render_func.__globals__["escape"] is escape_output
    assert template.render(a="<x y='1'>&", b=Markup("<i>ok</i>"), c=3) == (
        "&lt;x y=&#39;1&#39;&gt;&amp;|<i>ok</i>|3\n"
    )
