"""The "as of" line and sources of pages (briefing.present.provenance) and the source facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.model import records
from briefing.pdf import documents
from briefing.present.links import SiteLinker
from briefing.present.provenance import Provenance, SourceLink, page_provenance
from briefing.web import parts
from tests.helpers import make_corpus
from tests.small_corpus import small_checked


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return small_checked(tmp_path_factory.mktemp("provenance"))


def shown(checked: Checked, sheet_id: str, path: str) -> Provenance:
    return page_provenance(SiteLinker(checked.corpus, path), checked.corpus.by_id[sheet_id])


ARTICLE = (SourceLink("An article", "../../sources/article/"),)


def test_actor_is_as_of_the_newest_event_it_lists(checked: Checked) -> None:
    assert shown(checked, "china", "actors/china.md") == Provenance(
        "2024-10-23", "23 October 2024", ARTICLE
    )


def test_event_is_as_of_its_own_date(checked: Checked) -> None:
    assert shown(checked, "middle", "events/middle.md") == Provenance("2024-10", "October 2024", ())


def test_undated_when_nothing_shown_carries_a_date(checked: Checked) -> None:
    # The relation's statements have no as_of and it lists no events: never the build date.
    assert shown(checked, "tie", "relations/tie.md") == Provenance("", "undated", ARTICLE)
    assert shown(checked, "brief", "briefings/brief.md") == Provenance("", "undated", ARTICLE)


def test_briefing_page_and_pdf_agree(checked: Checked) -> None:
    brief = checked.corpus.by_id["brief"]
    assert isinstance(brief, records.Briefing)
    document = documents.briefing_document(checked.corpus, brief)
    page = shown(checked, "brief", "briefings/brief.md")
    assert (document.as_of, document.as_of_label) == (page.iso, page.label) == ("", "undated")
    assert document.sources == tuple(s.title for s in page.sources)


def test_source_page_says_what_is_not_stated(checked: Checked) -> None:
    article = checked.corpus.by_id["article"]
    assert isinstance(article, records.Source)
    facts = parts.source_facts(SiteLinker(checked.corpus, "sources/article.md"), article)
    assert [(f.label, f.value, f.href) for f in facts] == [
        ("Title", "An article", ""),
        ("Author", "not stated", ""),
        ("Publisher", "not stated", ""),
        ("Published", "not stated", ""),
        ("Address", "not stated", ""),
        ("Archived copy", "article.txt", "../article.txt"),
    ]


def test_a_summary_resting_on_linked_statements_names_their_sources(tmp_path: Path) -> None:
    # Russia shows no statement of its own; its summary links one of China's. Its page draws
    # on that statement's source, so it is listed, but the statement's dates are not shown.
    project = make_corpus(
        tmp_path,
        {
            "content/actors/russia.yaml": """\
                id: russia
                name: Russia
                type: state
                summary: Trades with [[china#trade|China]].
                """
        },
    )
    checked = check(project)
    assert shown(checked, "russia", "actors/russia.md") == Provenance(
        "", "undated", (SourceLink("An article", "../../sources/article/"),)
    )
