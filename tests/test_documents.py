"""Print documents (briefing.pdf.documents): what each PDF shows, in which order, with notes."""

from __future__ import annotations

import pytest

from briefing.check.verify import Checked
from briefing.model import records
from briefing.pdf import documents
from briefing.pdf.layout import document_html
from briefing.pdf.views import Chapter, Document, PrintStatement, citation
from briefing.present.jinja import environment
from tests.helpers import ROOT
from tests.small_corpus import small_checked


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return small_checked(tmp_path_factory.mktemp("documents"))


def brief(checked: Checked) -> Document:
    sheet = checked.corpus.by_id["brief"]
    assert isinstance(sheet, records.Briefing)
    return documents.briefing_document(checked.corpus, sheet)


def china(checked: Checked) -> Document:
    sheet = checked.corpus.by_id["china"]
    assert isinstance(sheet, records.Actor)
    return documents.actor_document(checked.corpus, sheet)


def chapters(document: Document) -> list[Chapter]:
    return [c for part in document.parts for c in part.chapters]


def test_briefing_document(checked: Checked) -> None:
    document = brief(checked)
    assert (document.title, document.label, document.book) == ("The brief", "Briefing", False)
    assert [p.anchor for p in document.parts] == ["_briefing", "_sources", "_notes"]
    assert document.sources == ("An article",)
    assert document.statement_count == 3
    [chapter] = document.parts[0].chapters
    assert [b.title for b in chapter.blocks] == [
        "Bottom line up front",
        "Key judgments",
        "Ties",
        "What to watch",
    ]
    # What to watch: the forecast filed under the relation the section cites whole, as the
    # page lists it; no words of its own.
    [watch] = chapter.blocks[3].items
    assert isinstance(watch, PrintStatement) and watch.view.kind == "forecast"
    assert chapter.blocks[3].text is None
    # Notes are numbered where statements first appear: the key judgment, the section, the
    # forecast to watch.
    notes = document.parts[2].notes
    assert [(n.number, n.target) for n in notes] == [
        (1, "china#trade"),
        (2, "tie#said"),
        (3, "tie#risk"),
    ]
    # It opens on the bottom line: no cover or contents page; its title is the document's.
    assert (document.compact, document.toc, chapter.headed) == (True, (), False)


def test_briefing_links_only_to_what_it_holds(checked: Checked) -> None:
    [judgment] = brief(checked).parts[0].chapters[0].blocks[1].items
    assert isinstance(judgment, PrintStatement)
    # China's statement is cited, so it has an anchor here; China's sheet is not shown.
    assert (judgment.note, judgment.anchor, judgment.view.sheet_href) == (1, "china--trade", "")
    assert judgment.view.source_href == "#article"


def test_actor_document(checked: Checked) -> None:
    document = china(checked)
    assert document.label == "Actor profile"
    assert [p.anchor for p in document.parts] == [
        "_profile",
        "_relations",
        "_events",
        "_sources",
        "_notes",
    ]
    assert [c.title for c in document.parts[2].chapters] == [
        "Early event",
        "Middle event",
        "Late event",
    ]
    assert document.as_of == "2024-10-23"  # the newest date the document shows
    assert document.toc == ()
    profile = document.parts[0].chapters[0]
    assert [(f.name, [str(v) for v in f.values]) for f in profile.facts] == [
        ("Type", ["state"]),
        ("Also called", ["Beijing"]),
    ]
    assert profile.label == "actor · state"


def test_statements_follow_the_kind_registry(checked: Checked) -> None:
    tie = next(c for c in chapters(china(checked)) if c.anchor == "tie")
    [block] = [b for b in tie.blocks if b.title == "Statements"]
    items = [i for i in block.items if isinstance(i, PrintStatement)]
    assert [(i.view.kind, i.anchor) for i in items] == [
        ("quote", "tie--said"),
        ("forecast", "tie--risk"),
    ]


def test_back_document_holds_what_the_briefings_cite(checked: Checked) -> None:
    # The book binds each briefing's own PDF; its back part adds the figures and sources.
    document = documents.back_document(checked.corpus, [("#chapter-1", brief(checked))])
    assert document.book
    assert [p.title for p in document.parts] == ["Figures", "Sources"]
    # The figure of a statement the briefing cites, with the briefing that cites it.
    [row] = document.parts[0].book_figures
    assert (row.figure.value, row.sheet_title) == ("240", "The tie")
    assert row.cited_in == (("The brief", "#chapter-1"),)
    # Each source cited, once, as its full citation.
    source = checked.corpus.by_id["article"]
    assert isinstance(source, records.Source)
    assert document.parts[1].citations == (citation(source),)
    assert not any(p.notes for p in document.parts)  # each chapter keeps its own notes


def test_attribution_reads_the_same_as_on_the_site(checked: Checked) -> None:
    html = document_html(environment(ROOT / "templates"), brief(checked), None)
    assert (
        '<p class="bf-attribution"><span class="bf-label">Attributed to:</span> '
        '<span class="bf-ref">Russia</span> officials</p>'
    ) in html
