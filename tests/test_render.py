"""Stage 5: pages rendered through the templates; golden pages and escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import TemplateProblem
from briefing.pipeline import check, render_site_pages
from briefing.render import render_pages
from conftest import make_corpus

GOLDEN = Path(__file__).parent / "golden"

GOLDEN_FILES = {
    "content/relations/china-russia-trade.yaml": """\
        id: china-russia-trade
        title: China–Russia trade
        summary: Trade between [[china]] and [[russia|Moscow]].
        actors: [china, russia]
        types: [trade]
        statements:
          - id: believe
            text: Ukrainian officials believe the troops are preparing to join the invading forces.
            kind: attributed
            attributed_to: Ukrainian officials
            source: article
            quote: Ukrainian officials believe the troops are preparing to join the invading forces.
            figures:
              - value: "240"
                unit: billion USD
                what: trade between [[china]] and [[russia]]
                period: last year
        """,
    "content/events/war.yaml": """\
        id: war
        title: A wider war
        date: "2024"
        date_note: The year is inferred for this test.
        summary: A risk.
        actors: [china]
        statements:
          - id: risk
            text: A wider war in the Middle East could puncture energy markets.
            kind: forecast
            source: article
            quote: A wider war in the Middle East could puncture energy markets.
        """,
    "content/briefings/overview.yaml": """\
        id: overview
        title: Overview
        summary: The short of it.
        bluf: Trade binds [[china]] and [[russia]].
        key_judgments: [china#trade]
        sections:
          - title: Risks
            text: See [[war#risk]].
            refs: [war, war#risk]
        """,
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render_site_pages(make_corpus(tmp_path_factory.mktemp("golden"), GOLDEN_FILES))


def test_one_page_per_sheet_plus_indexes(pages: dict[str, str]) -> None:
    assert sorted(pages) == [
        "actors/china.md",
        "actors/index.md",
        "actors/russia.md",
        "briefings/index.md",
        "briefings/overview.md",
        "events/index.md",
        "events/war.md",
        "figures.md",
        "index.md",
        "legend.md",
        "relations/china-russia-trade.md",
        "relations/index.md",
        "sources/article.md",
        "sources/index.md",
        "timeline.md",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "index.md",
        "actors/china.md",
        "relations/china-russia-trade.md",
        "events/war.md",
        "briefings/overview.md",
        "sources/article.md",
        "events/index.md",
        "relations/index.md",
        "timeline.md",
        "figures.md",
        "legend.md",
    ],
)
def test_golden_pages(pages: dict[str, str], path: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / path
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[path], encoding="utf-8")
    assert pages[path] == golden.read_text(encoding="utf-8"), (
        f"{path} differs from tests/golden/{path}; if the change is intended, "
        "run pytest --update-golden and review the diff"
    )


PAYLOADS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    '--8<-- "/etc/passwd"',
    '!!! note "x"',
    "# heading",
    "{onclick=alert(1)}",
    "</div><img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "<!-- comment",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_values_never_start_a_markdown_line_and_are_escaped(tmp_path: Path, payload: str) -> None:
    import json

    from markupsafe import escape

    summary = json.dumps("line one\n\n" + payload + "\n    indented")
    files = {
        "content/actors/russia.yaml": f"id: russia\nname: Russia\ntype: state\nsummary: {summary}\n"
    }
    page = render_site_pages(make_corpus(tmp_path, files))["actors/russia.md"]
    folded = " ".join(f"line one\n\n{payload}\n    indented".split())
    assert f'<p class="bf-summary">{escape(folded)}</p>' in page.splitlines()
    body = page.split("---\n", 2)[2]
    for line in body.splitlines():
        assert line == "" or line.startswith(("<", "#")), line  # only template lines start lines


def test_template_errors_name_template_and_line(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    (project.templates / "actor.md.j2").write_text(
        '{% extends "_sheet.md.j2" %}\n{% block facts %}\n{{ sheet.nonexistent }}\n{% endblock %}\n'
    )
    with pytest.raises(TemplateProblem) as raised:
        render_pages(project.templates, check(project))
    assert str(raised.value).startswith("templates/actor.md.j2:3: ")
    assert "nonexistent" in str(raised.value)


def test_template_syntax_errors_name_template_and_line(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    (project.templates / "actor.md.j2").write_text("ok\n{% if %}\n")
    with pytest.raises(TemplateProblem) as raised:
        render_pages(project.templates, check(project))
    assert (
        str(raised.value)
        == "templates/actor.md.j2:2: Expected an expression, got 'end of statement block'"
    )
