"""Page contexts (briefing.web.pages) and the corpus indexes they read."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from briefing.check.verify import Checked
from briefing.model import records
from briefing.present.links import SiteLinker
from briefing.web import pages
from briefing.web.render import render_pages
from tests.helpers import ROOT
from tests.small_corpus import small_checked


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return small_checked(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def data(checked: Checked) -> pages.Shared:
    return pages.shared(checked)


def linker(checked: Checked, path: str) -> SiteLinker:
    return SiteLinker(checked.corpus, path)


def test_corpus_orders_events_by_date(checked: Checked) -> None:
    corpus = checked.corpus
    # The year sorts before its month, the month before its days; ids would say otherwise.
    assert [e.id for e in corpus.events] == ["early", "middle", "late"]
    assert corpus.event_at == {"early": 0, "middle": 1, "late": 2}
    assert [e.id for e in corpus.events_of("china")] == ["early", "middle", "late"]
    assert [e.id for e in corpus.events_of("russia")] == ["early"]
    assert [r.id for r in corpus.involving("relation", "russia")] == ["tie"]
    assert [(s.id, st.id) for s, st in corpus.citing("article")] == [
        ("china", "trade"),
        ("tie", "risk"),
        ("tie", "said"),
    ]


def test_timeline_groups_events_by_year(checked: Checked, data: pages.Shared) -> None:
    context = pages.timeline_context(linker(checked, pages.TIMELINE), data)
    [(year, entries)] = context["years"]
    assert year == "2024"
    assert [(e.anchor, e.date, e.precision) for e in entries] == [
        ("early", "2024", "year"),
        ("middle", "October 2024", "month"),
        ("late", "23 October 2024", "day"),
    ]
    assert [a.title for a in entries[0].actors] == ["China", "Russia"]
    assert entries[2].event.href == "../events/late/"


def test_event_page_links_its_neighbours_in_date_order(
    checked: Checked, data: pages.Shared
) -> None:
    middle = checked.corpus.by_id["middle"]
    context = pages.sheet_context(linker(checked, "events/middle.md"), data, middle)
    assert context["previous"].title == "Early event"
    assert context["next"].title == "Late event"
    assert context["date"] == "October 2024"
    assert context["timeline_href"] == "../../timeline/#middle"
    first = pages.sheet_context(
        linker(checked, "events/early.md"), data, checked.corpus.by_id["early"]
    )
    assert first["previous"] is None
    assert first["next"].title == "Middle event"


def test_actor_page(checked: Checked, data: pages.Shared) -> None:
    china = checked.corpus.by_id["china"]
    context = pages.sheet_context(linker(checked, "actors/china.md"), data, china)
    assert [r.href for r in context["relations"]] == ["../../relations/tie/"]
    assert [e.title for e in context["events"]] == ["Early event", "Middle event", "Late event"]
    assert context["pdf_href"] is None  # this build writes no PDFs
    assert context["search_boost"] == 3
    assert context["legend_href"] == "../../legend/"
    assert context["undrawn"] == 0
    assert 'href="../../relations/tie/"' in context["diagram"]
    [(label, group)] = context["statement_groups"]
    assert (label, [v.anchor for v in group]) == ("Reported", ["trade"])


def test_pdf_links_when_the_build_writes_pdfs(checked: Checked) -> None:
    data = pages.shared(checked, pdf_links=True)
    china = checked.corpus.by_id["china"]
    context = pages.sheet_context(linker(checked, "actors/china.md"), data, china)
    assert context["pdf_href"] is None  # actors have no PDF: their pages print
    [brief] = checked.corpus.of_kind("briefing")
    context = pages.sheet_context(linker(checked, f"briefings/{brief.id}.md"), data, brief)
    assert context["pdf_href"] == f"../../pdf/briefings/{brief.id}.pdf"


def test_source_page_quotes_in_text_order(checked: Checked, data: pages.Shared) -> None:
    article = checked.corpus.by_id["article"]
    assert isinstance(article, records.Source)
    context = pages.sheet_context(linker(checked, "sources/article.md"), data, article)
    assert [(q.quote[:20], [c.href for c in q.statements]) for q in context["quotes"]] == [
        ("Trade between China ", ["../../actors/china/#trade", "../../relations/tie/#said"]),
        ("A wider war in the M", ["../../relations/tie/#risk"]),
    ]
    coverage = context["coverage"]
    assert (coverage.covered, coverage.counted, coverage.excluded, coverage.percent) == (
        2,
        3,
        0,
        "66.6%",
    )


def test_section_contexts(checked: Checked) -> None:
    events = pages.section_context(linker(checked, "events/index.md"), "event")
    assert events["title"] == "Events"
    assert [i.title for i in events["items"]] == ["Early event", "Middle event", "Late event"]
    assert events["timeline_href"] == "../timeline/"
    actors = pages.section_context(linker(checked, "actors/index.md"), "actor")
    assert [(i.title, i.label) for i in actors["items"]] == [
        ("China", "state"),
        ("Russia", "state"),
    ]
    assert actors["timeline_href"] == ""
    assert actors["diagram"] == Markup("")


def test_legend_lists_the_registry(checked: Checked) -> None:
    context = pages.legend_context(linker(checked, pages.LEGEND))
    assert [(k.name, k.label) for k in context["kinds"]] == [
        ("reported", "Reported"),
        ("attributed", "Attributed"),
        ("quote", "Quote"),
        ("assessment", "Assessment"),
        ("forecast", "Forecast"),
    ]
    assert context["example"].label == "Attributed"


def test_figure_rows(checked: Checked) -> None:
    rows = pages.figure_rows(linker(checked, pages.FIGURES))
    assert [(r.figure.value, r.statement.anchor, r.statement.sheet_href) for r in rows] == [
        ("240", "said", "../relations/tie/#said")
    ]


def test_home_leads_with_the_only_briefing(checked: Checked, data: pages.Shared) -> None:
    context = pages.home_context(linker(checked, "index.md"), data)
    assert context["lead"].id == "brief"
    assert context["lead_href"] == "briefings/brief/"
    assert context["other_briefings"] == []
    assert [v.anchor for v in context["key_judgments"]] == ["trade"]
    assert [(e.title, e.count) for e in context["entry_points"]] == [
        ("Briefings", "1 briefing"),
        ("Actors", "2 actors"),
        ("Relations", "1 relation"),
        ("Timeline", "3 events"),
        ("Figures", "1 figure"),
        ("Sources", "1 source"),
    ]
    assert context["book_pdf_href"] is None


def test_quote_attribution_reads_as_in_the_pdfs(checked: Checked) -> None:
    page = render_pages(ROOT / "templates", checked)["relations/tie.md"]
    assert (
        '<p class="bf-attribution"><span class="bf-label">Attributed to:</span> '
        '<a href="../../actors/russia/">Russia</a> officials</p>'
    ) in page
    assert "Said by" not in page
