"""Views (briefing.present.views and links): hrefs, linked text, statement views, groups."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from briefing.check.link import Corpus
from briefing.model import records
from briefing.pdf.views import PrintLinker
from briefing.present import links, views
from briefing.present.links import SiteLinker
from tests.small_corpus import small_checked


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return small_checked(tmp_path_factory.mktemp("views")).corpus


def sheet(corpus: Corpus, sheet_id: str) -> records.Sheet:
    return corpus.by_id[sheet_id]


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.md", ""),
        ("actors/index.md", "actors/"),
        ("actors/china.md", "actors/china/"),
        ("timeline.md", "timeline/"),
    ],
)
def test_page_url(path: str, url: str) -> None:
    assert links.page_url(path) == url


@pytest.mark.parametrize(
    ("page", "target", "href"),
    [
        ("actors/russia.md", "china", "../china/"),
        ("actors/russia.md", "china#trade", "../china/#trade"),
        ("actors/china.md", "china#trade", "#trade"),
        ("actors/china.md", "china", "./"),
        ("index.md", "article", "sources/article/"),
        ("relations/tie.md", "article", "../../sources/article/"),
    ],
)
def test_site_linker_href(corpus: Corpus, page: str, target: str, href: str) -> None:
    assert SiteLinker(corpus, page).href(target) == href


def test_rich_links_refs_and_escapes(corpus: Corpus) -> None:
    linker = SiteLinker(corpus, "actors/russia.md")
    assert linker.rich(sheet(corpus, "russia").summary) == Markup(
        'Trades with <a href="../china/">China</a>.'
    )
    text = records.Text("a <b> & [[china|Beijing]]", sheet(corpus, "china").loc)
    assert linker.rich(text) == Markup('a &lt;b&gt; &amp; <a href="../china/">Beijing</a>')
    assert linker.rich(None) == Markup("")


def test_statement_view(corpus: Corpus) -> None:
    china = sheet(corpus, "china")
    view = views.statement_view(SiteLinker(corpus, "actors/china.md"), china, china.statements[0])
    assert (view.anchor, view.kind, view.kind_label) == ("trade", "reported", "Reported")
    assert view.kind_help == "the source states it as fact"
    assert view.attributed_to is None
    assert (view.source_title, view.source_href) == ("An article", "../../sources/article/")
    assert (view.sheet_title, view.sheet_href) == ("China", "#trade")


def test_quote_view_links_its_speaker_and_figures(corpus: Corpus) -> None:
    tie = sheet(corpus, "tie")
    said = tie.statements[1]
    view = views.statement_view(SiteLinker(corpus, "relations/tie.md"), tie, said)
    assert view.kind_label == "Quote"
    assert view.attributed_to == Markup('<a href="../../actors/russia/">Russia</a> officials')
    assert [(f.value, f.unit, f.what, f.period) for f in view.figures] == [
        (
            "240",
            "billion USD",
            Markup('trade with <a href="../../actors/china/">China</a>'),
            "last year",
        )
    ]


def test_grouped_statements_follow_the_kind_registry(corpus: Corpus) -> None:
    # The sheet lists the forecast before the quote; groups follow the registry's order.
    groups = views.grouped_statements(SiteLinker(corpus, "relations/tie.md"), sheet(corpus, "tie"))
    assert [(label, [v.anchor for v in group]) for label, group in groups] == [
        ("Quote", ["said"]),
        ("Forecast", ["risk"]),
    ]


def test_backlink_groups_by_kind_in_sheet_order(corpus: Corpus) -> None:
    groups = views.backlink_groups(SiteLinker(corpus, "actors/china.md"), "china")
    assert [(g.title, [s.title for s in g.sheets]) for g in groups] == [
        ("Briefings", ["The brief"]),
        ("Actors", ["Russia"]),
        ("Relations", ["The tie"]),
        ("Events", ["Early event", "Late event", "Middle event"]),
    ]
    tie = groups[2].sheets[0]
    # The tie links China in its summary and in a figure of 'said': the statement is listed.
    assert tie.label == "trade, diplomacy"
    assert [(c.kind_label, c.href) for c in tie.statements] == [
        ("Quote", "../../relations/tie/#said")
    ]


def test_source_backlinks_skip_mere_citations(corpus: Corpus) -> None:
    linker = SiteLinker(corpus, "sources/article.md")
    every = views.backlink_groups(linker, "article")
    skipped = views.backlink_groups(linker, "article", skip_citations=True)
    assert [s.title for g in every for s in g.sheets] == ["China", "The tie"]
    assert skipped == ()


@pytest.mark.parametrize(
    ("sheet_id", "label"),
    [
        ("china", "state"),
        ("tie", "trade, diplomacy"),
        ("early", "2024"),
        ("middle", "October 2024"),
    ],
)
def test_sheet_label(corpus: Corpus, sheet_id: str, label: str) -> None:
    assert links.sheet_label(sheet(corpus, sheet_id), corpus) == label


def test_date_label_to_the_day(corpus: Corpus) -> None:
    late = sheet(corpus, "late")
    assert isinstance(late, records.Event)
    assert links.date_label(late.date) == "23 October 2024"


def test_referenced_keeps_statements_and_sheets_apart(corpus: Corpus) -> None:
    brief = sheet(corpus, "brief")
    assert isinstance(brief, records.Briefing)
    items = views.referenced(SiteLinker(corpus, "briefings/brief.md"), brief.sections[0].refs)
    assert isinstance(items[0], links.SheetLink)
    assert (items[0].title, items[0].href, items[0].label) == (
        "The tie",
        "../../relations/tie/",
        "trade, diplomacy",
    )
    assert isinstance(items[1], views.StatementView)
    assert (items[1].anchor, items[1].sheet_href) == ("said", "../../relations/tie/#said")


def test_views_take_the_print_linker(corpus: Corpus) -> None:
    # Only China's statement is in this document: everything else prints as plain text.
    linker = PrintLinker(corpus, {"china": "china", "china#trade": "china--trade"})
    tie = sheet(corpus, "tie")
    view = views.statement_view(linker, tie, tie.statements[1])
    assert view.attributed_to == Markup('<span class="bf-ref">Russia</span> officials')
    assert (view.source_href, view.sheet_href) == ("", "")
    china = sheet(corpus, "china")
    assert views.statement_view(linker, china, china.statements[0]).sheet_href == "#china--trade"
    assert linker.sources == ["article"]  # the source was linked to, so the PDF lists it


def short_source(title: str, short_title: str | None = None) -> records.Source:
    loc = records.Loc("content/sources/s.yaml", 1, 1)
    return records.Source(
        id="s", title=title, short_title=short_title, summary=records.Text("x", loc), tags=(),
        statements=(), path="content/sources/s.yaml", loc=loc, publication=None, text="s.txt",
        excluded=(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("title", "short_title", "expected"),
    [
        ("An article", None, "An article"),
        ("An article with a long title", "Long", "Long"),
        ("Troops are in the east. Is that really what is best for the capital?", None,
         "Troops are in the east."),
        ("Why the capital tolerates its partners' disruption, and what it may do next", None,
         "Why the capital tolerates its partners'…"),
        ("Trade: what the capital wants from its partners in the next ten years", None, "Trade"),
    ],
)  # fmt: skip
def test_short_name(title: str, short_title: str | None, expected: str) -> None:
    assert views.short_name(short_source(title, short_title)) == expected


def test_every_statement_kind_says_whose_analysis_it_is() -> None:
    assert sorted(views.WHOSE) == sorted(k.name for k in views.KIND.values())


def test_statement_view_names_its_source_briefly_and_whose_it_is(corpus: Corpus) -> None:
    china = sheet(corpus, "china")
    view = views.statement_view(SiteLinker(corpus, "actors/china.md"), china, china.statements[0])
    assert (view.source_short, view.whose) == ("An article", "stated as fact")
