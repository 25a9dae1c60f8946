"""Readers see a relation type's label from the vocabulary sheet, never its id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.model.vocabulary import VOCABULARY_FILE
from briefing.pdf.documents import actor_document
from briefing.pdf.layout import document_html, plan
from briefing.present.diagram import print_diagram
from briefing.present.jinja import environment
from briefing.web.render import render_pages
from tests.helpers import ROOT, make_corpus
from tests.small_corpus import EXTRA

# Labels that differ from the ids, so that printing an id is caught.
VOCABULARY = """\
    relation_types:
      - id: trade
        label: commerce and investment
        description: Buying and selling.
      - id: diplomacy
        label: diplomatic ties
        description: Visits and statements.
    """
IDS = ("trade", "diplomacy")
LABELS = ("commerce and investment", "diplomatic ties")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    files = {**EXTRA, f"content/{VOCABULARY_FILE}": VOCABULARY}
    return check(make_corpus(tmp_path_factory.mktemp("labels"), files))


@pytest.fixture(scope="module")
def site(checked: Checked) -> dict[str, str]:
    return render_pages(ROOT / "templates", checked, False, 1)


def kind_line(page: str) -> str:
    return re.search(r'<p class="bf-kind">(.*?)</p>', page, re.S).group(1)  # type: ignore[union-attr]


def test_relation_page_names_its_types_by_label(site: dict[str, str]) -> None:
    assert (
        kind_line(site["relations/tie.md"]) == "Relation · commerce and investment, diplomatic ties"
    )


@pytest.mark.parametrize("path", ["relations/index.md", "actors/china.md", "actors/russia.md"])
def test_lists_of_relations_show_labels(site: dict[str, str], path: str) -> None:
    page = site[path]
    assert '<span class="bf-meta">commerce and investment, diplomatic ties</span>' in page
    assert '<span class="bf-meta">trade, diplomacy</span>' not in page


def test_legend_explains_every_type_of_the_sheet(site: dict[str, str]) -> None:
    legend = site["legend.md"]
    for label in LABELS:
        assert f"<dt>{label}</dt>" in legend
    assert "<dd>Buying and selling.</dd>" in legend


def test_diagram_text_description_uses_labels(checked: Checked) -> None:
    svg = print_diagram(checked.corpus, checked.corpus.by_id["tie"])
    assert svg is not None
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)  # type: ignore[union-attr]
    assert "commerce and investment" in desc and "diplomatic ties" in desc
    assert not any(f": {i} (" in desc for i in IDS)


def test_pdfs_print_labels(checked: Checked) -> None:
    # The build's PDFs (briefings and their book) show no relation in full; an actor's
    # profile, which the pdf module still lays out on request, does.
    env = environment(ROOT / "templates")
    corpus = checked.corpus
    profiles = [actor_document(corpus, a) for a in corpus.of_kind("actor")]  # type: ignore[arg-type]
    printed = [document_html(env, d, None) for d in profiles]
    printed += [document_html(env, p.document, None) for p in plan(corpus)]
    holding = [html for html in printed if 'id="tie"' in html]
    assert len(holding) >= 2  # China's and Russia's profiles
    for html in holding:
        rows = re.findall(r"<tr><th>Type</th><td>(.*?)</td></tr>", html)
        assert "commerce and investment, diplomatic ties" in rows, rows
        assert "relation · commerce and investment, diplomatic ties" in html
        assert "trade, diplomacy" not in html


def test_without_a_sheet_the_built_in_labels_apply(tmp_path: Path) -> None:
    tie = EXTRA["content/relations/tie.yaml"].replace(
        "[trade, diplomacy]", "[military-cooperation]"
    )
    checked = check(make_corpus(tmp_path, {**EXTRA, "content/relations/tie.yaml": tie}))
    page = render_pages(ROOT / "templates", checked, False, 1)["relations/tie.md"]
    assert kind_line(page) == "Relation · military cooperation"
