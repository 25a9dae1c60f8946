"""Stage 5: pages rendered through the templates; golden pages and escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.model.errors import TemplateProblem
from briefing.web import render
from briefing.web.render import render_pages, render_site_pages
from tests.helpers import make_corpus

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
          - id: record
            text: Trade between China and Russia reached a record $240 billion last year.
            kind: reported
            source: article
            quote: Trade between China and Russia reached a record $240 billion last year.
            figures:
              - value: "240"
                unit: billion USD
                what: trade between [[china]] and [[russia]]
                period: last year
        """,
    "content/events/war.yaml": """\
        id: war
        title: A wider war
        type: attack
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
        "pdfs.md",
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


def test_pages_rendered_in_forked_workers_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, GOLDEN_FILES)
    checked = check(project)
    alone = render_pages(project.templates, checked)
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    shared_out = render_pages(project.templates, checked, workers=2)
    assert list(shared_out) == list(alone)
    assert shared_out == alone


def test_a_template_error_in_a_forked_worker_is_reported_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    (project.templates / "actor.md.j2").write_text(
        '{% extends "_sheet.md.j2" %}\n{% block facts %}\n{{ sheet.nonexistent }}\n{% endblock %}\n'
    )
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    with pytest.raises(TemplateProblem) as raised:
        render_pages(project.templates, check(project), workers=2)
    assert str(raised.value).startswith("templates/actor.md.j2:3: ")
    assert "nonexistent" in str(raised.value)


TIMELINE_EVENTS = {
    f"content/events/{name}.yaml": f"""\
        id: {name}
        title: Event {name}
        date: "{date}"
        summary: Something happened.
        actors: [china]
        """
    for name, date in [
        ("e-day", "2024-10-23"),
        ("e-year", "2024"),
        ("e-month", "2024-10"),
        ("e-early", "2022"),
        ("e-may", "2023-05"),
        ("e-first", "2024-10-01"),
        ("a-same-day", "2024-10-23"),
    ]
}


@pytest.fixture(scope="module")
def timeline_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render_site_pages(make_corpus(tmp_path_factory.mktemp("timeline"), TIMELINE_EVENTS))


def test_timeline_orders_partial_dates_before_the_days_within_them(
    timeline_pages: dict[str, str],
) -> None:
    import re

    page = timeline_pages["timeline.md"]
    order = re.findall(r'<li class="bf-event bf-precision-(\w+)" id="([\w-]+)">', page)
    assert order == [
        ("year", "e-early"),
        ("month", "e-may"),
        ("year", "e-year"),
        ("month", "e-month"),
        ("day", "e-first"),
        ("day", "a-same-day"),  # same date: by id
        ("day", "e-day"),
    ]
    years = re.findall(r'<h2 class="bf-section-title" id="_(\d+)">', page)
    assert years == ["2022", "2023", "2024"]


def test_timeline_shows_dates_as_precisely_as_known(timeline_pages: dict[str, str]) -> None:
    page = timeline_pages["timeline.md"]
    assert '<time datetime="2022">2022</time> <span class="bf-meta">(year known)</span>' in page
    assert '<time datetime="2023-05">May 2023</time> <span class="bf-meta">(month known)' in page
    assert '<time datetime="2024-10-23">23 October 2024</time></p>' in page


def test_event_pages_link_to_the_events_before_and_after(timeline_pages: dict[str, str]) -> None:
    page = timeline_pages["events/e-month.md"]
    assert 'href="../e-year/" rel="prev"' in page
    assert 'href="../e-first/" rel="next"' in page
    assert 'href="../../timeline/#e-month"' in page
    first = timeline_pages["events/e-early.md"]
    assert 'rel="prev"' not in first and 'rel="next"' in first


BRIEFING = """\
    id: {id}
    title: Briefing {id}
    summary: A briefing.
    bluf: Bottom line of {id}.
    key_judgments: [china#trade]
    """


def test_home_leads_with_the_first_briefing_without_corpus_settings(tmp_path: Path) -> None:
    two = {f"content/briefings/{i}.yaml": BRIEFING.format(id=i) for i in ("bbb", "aaa")}
    for name in "abc":
        (tmp_path / name).mkdir()
    home = render_site_pages(make_corpus(tmp_path / "a", two))["index.md"]
    assert home.index("Bottom line of aaa.") < home.index("## Browse")
    assert "Bottom line of bbb." not in home and 'href="briefings/bbb/"' in home
    assert "bf-intro" not in home
    one = {"content/briefings/aaa.yaml": BRIEFING.format(id="aaa")}
    home = render_site_pages(make_corpus(tmp_path / "b", one))["index.md"]
    assert "Bottom line of aaa." in home and "## More briefings" not in home
    none = render_site_pages(make_corpus(tmp_path / "c"))["index.md"]
    assert "## The bottom line" not in none and "## Browse" in none


def test_corpus_settings_give_the_intro_the_lead_and_the_order(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"content/briefings/{i}.yaml": BRIEFING.format(id=i) for i in ("aaa", "bbb", "ccc", "ddd")
    }
    files["content/corpus.yaml"] = """\
        title: A test corpus
        intro: Facts about [[china]] & co.
        lead: ccc
        order: [ddd, bbb]
        """
    home = render_site_pages(make_corpus(tmp_path, files))["index.md"]
    intro = '<p class="bf-intro">Facts about <a href="actors/china/">China</a> &amp; co.</p>'
    assert intro in home
    assert "Bottom line of ccc." in home and "Bottom line of aaa." not in home
    others = [home.index(f'href="briefings/{i}/"') for i in ("ddd", "bbb", "aaa")]
    assert others == sorted(others)


def test_the_home_page_lists_every_source_with_date_and_publisher(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content/sources/dated.yaml": """\
            id: dated
            title: A dated source
            summary: A source.
            publication: {publisher: A publisher, date: "2020-05"}
            text: article.txt
            """,
    }
    home = render_site_pages(make_corpus(tmp_path, files))["index.md"]
    assert (
        '<li><a href="sources/article/">An article</a><br> '
        '<span class="bf-meta">Date: not stated; publisher: not stated</span></li>\n'
        '<li><a href="sources/dated/">A dated source</a><br> '
        '<span class="bf-meta">Date: 2020-05; publisher: A publisher</span></li>'
    ) in home


def test_too_many_actors_are_listed_not_drawn(tmp_path: Path) -> None:
    from briefing.web.pages import DIAGRAM_MAX_ACTORS

    count = DIAGRAM_MAX_ACTORS + 1
    files = {
        f"content/actors/a{n}.yaml": f"id: a{n}\nname: A{n}\ntype: state\nsummary: An actor.\n"
        for n in range(count)
    }
    files.update(
        {
            f"content/relations/r{n}.yaml": (
                f"id: r{n}\ntitle: R{n}\nsummary: A tie.\nactors: [a0, a{n}]\ntypes: [trade]\n"
            )
            for n in range(1, count)
        }
    )
    pages = render_site_pages(make_corpus(tmp_path, files))
    # The relations page draws the most-tied actors, and lists every tie in a table.
    index = pages["relations/index.md"]
    assert f"The relations tie {count} actors: too many to draw" in index
    assert index.count("<svg") == 1 and index.count('<td data-label="Tie">') == count - 1
    assert "<svg" not in pages["actors/a0.md"]
    assert f"A0 is tied to {count - 1} actors" in pages["actors/a0.md"]
    assert "<svg" in pages["actors/a1.md"]  # one neighbour: drawn
