"""briefing.data.annotations: one W3C Web Annotation per statement, pointing into the
archived text exactly as the site publishes it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from briefing.check.checker import check
from briefing.check.verify import normalise_quote, normalise_text
from briefing.data.annotations import ANNO_CONTEXT, CONTEXT_CHARS, collection
from briefing.pipeline import build_site
from briefing.present.links import FOLDERS
from briefing.project import Project
from briefing.web.render import archives
from tests.helpers import ROOT, make_corpus
from tests.test_two_sources import fixture_files

# A base the relative IRIs are resolved against, as a browser would for the hosted site.
SITE = "https://example.org/site/"
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_corpus(tmp_path_factory.mktemp("annotated"), fixture_files(), base=False)
    build_site(project, project.root / "site")
    return project


def published(site: Path, iri: str) -> str:
    """The text of a site file named by an absolute IRI under SITE."""
    path = urlsplit(iri).path.removeprefix(urlsplit(SITE).path)
    return (site / path).read_text(encoding="utf-8")


def items(document: dict[str, Any]) -> list[dict[str, Any]]:
    return list(document["first"]["items"])


def selector(annotation: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(s for s in annotation["target"]["selector"] if s["type"] == kind)


def test_one_annotation_per_statement(built: Project) -> None:
    document = json.loads((built.root / "site/data/annotations.jsonld").read_text("utf-8"))
    corpus = check(built).corpus
    statements = [f"{s.id}#{st.id}" for s in corpus.sheets for st in s.statements]
    assert document["@context"][0] == ANNO_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == len(items(document)) == len(statements)
    assert sorted(a["body"]["statement"] for a in items(document)) == sorted(statements)
    assert len({a["id"] for a in items(document)}) == len(statements)


def test_every_exact_is_the_published_text_between_start_and_end(built: Project) -> None:
    site = built.root / "site"
    corpus = check(built).corpus
    base = urljoin(SITE, "data/annotations.jsonld")
    for annotation in items(json.loads((site / "data/annotations.jsonld").read_text("utf-8"))):
        target = annotation["target"]
        # No source of the fixture has a web address: the archived copy is the source.
        text = published(site, urljoin(base, target["source"]))
        quote = selector(annotation, "TextQuoteSelector")
        position = selector(annotation, "TextPositionSelector")
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        # ...and it is the statement's quote, as the check compared them.
        statement = corpus.statement(annotation["body"]["statement"])
        assert normalise_text(quote["exact"]) == normalise_quote(statement.quote.value)
        assert text[:start].endswith(quote["prefix"])
        assert text[end:].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(CONTEXT_CHARS, start)


def test_bodies_carry_the_statement_its_kind_and_attribution(built: Project) -> None:
    corpus = check(built).corpus
    document = json.loads((built.root / "site/data/annotations.jsonld").read_text("utf-8"))
    site = built.root / "site"
    for annotation in items(document):
        body = annotation["body"]
        statement_id = body["statement"].partition("#")[2]
        statement = corpus.statement(body["statement"])
        assert body["kind"] == statement.kind
        assert ("attributedTo" in body) == (statement.attributed_to is not None)
        assert "[[" not in body["value"] and "[[" not in body.get("attributedTo", "")
        page = urljoin(urljoin(SITE, "data/"), body["id"])
        assert urlsplit(page).fragment == statement_id
        html = published(site, urljoin(page, "index.html").split("#")[0])
        assert f'id="{statement_id}"' in html


def test_each_page_embeds_its_own_statements_annotations(built: Project) -> None:
    site = built.root / "site"
    corpus = check(built).corpus
    document = json.loads((site / "data/annotations.jsonld").read_text("utf-8"))
    by_id = {urljoin(urljoin(SITE, "data/"), a["id"]): a for a in items(document)}
    for sheet in corpus.sheets:
        page = f"{FOLDERS[sheet.kind]}/{sheet.id}/"
        blocks = BLOCK.findall((site / page / "index.html").read_text("utf-8"))
        if not sheet.statements:
            assert blocks == []
            continue
        (block,) = blocks
        data = json.loads(block)
        assert urljoin(urljoin(SITE, page), data["partOf"]) == urljoin(
            SITE, "data/annotations.jsonld"
        )
        assert len(data["items"]) == len(sheet.statements)
        for item in data["items"]:
            same = by_id[urljoin(urljoin(SITE, page), item["id"])]
            assert item["target"]["selector"] == same["target"]["selector"]
            assert urljoin(urljoin(SITE, page), item["target"]["source"]) == urljoin(
                urljoin(SITE, "data/"), same["target"]["source"]
            )


TRICKY = (
    "A \u201ccurly\u201d headline\n\n"
    "The growers\u2019 council met  twice and sanc-\n"
    "tioned a plan \u2014 after a\u00a0long\r\n"
    "debate\u2026 It spent \U0001f34e 40 crowns.\n"
)
TRICKY_FILES = {
    "content/sources/article.txt": TRICKY,
    "content/sources/article.yaml": """\
        id: article
        title: An article
        summary: A test source.
        text: article.txt
        publication:
          url: https://example.com/article
          mirror: https://archive.example.net/article
        excluded:
          - quote: A "curly" headline
            reason: headline
        """,
    "content/actors/china.yaml": """\
        id: china
        name: China
        type: state
        summary: A state.
        statements:
          - id: plan
            text: The growers' council sanctioned a plan after a long debate.
            kind: reported
            source: article
            quote: "The growers' council met twice and sanctioned a plan - after a long debate..."
          - id: spent
            text: It spent 40 crowns.
            kind: attributed
            attributed_to: "[[russia|the neighbours]]"
            source: article
            quote: It spent 🍎 40 crowns.
        """,
}


def test_offsets_survive_typography_wrapping_and_mended_words(tmp_path: Path) -> None:
    checked = check(make_corpus(tmp_path, TRICKY_FILES))
    text = archives(checked)["sources/article.txt"]
    assert text == TRICKY
    annotations = {a["body"]["statement"]: a for a in items(collection(checked))}
    plan = annotations["china#plan"]
    position = selector(plan, "TextPositionSelector")
    exact = selector(plan, "TextQuoteSelector")["exact"]
    assert text[position["start"] : position["end"]] == exact
    assert exact == (
        "The growers\u2019 council met  twice and sanc-\ntioned a plan \u2014 after a"
        "\u00a0long\r\ndebate\u2026"
    )
    spent = annotations["china#spent"]
    assert selector(spent, "TextPositionSelector")["start"] == text.index("It spent")
    assert spent["body"]["attributedTo"] == "the neighbours"


def test_a_source_with_an_address_records_its_archived_copy(tmp_path: Path) -> None:
    checked = check(make_corpus(tmp_path, TRICKY_FILES))
    for annotation in items(collection(checked)):
        target = annotation["target"]
        assert target["source"] == "https://example.com/article"
        # The State is applied before the Selectors: the offsets count the cached copy.
        assert target["state"] == {
            "type": "TimeState",
            "cached": ["../sources/article.txt", "https://archive.example.net/article"],
        }


def test_the_documented_example_is_what_the_build_writes() -> None:
    """docs/data.md shows an annotation of the two-sources fixture: it must stay true."""
    page = (ROOT / "docs/data.md").read_text(encoding="utf-8")
    example = json.loads(re.findall(r"```json\n(.*?)```", page, re.S)[0])
    written = collection(check(Project(ROOT / "tests/fixtures/two-sources")))
    assert example in items(written)
    start, end = example["target"]["selector"][1]["start"], example["target"]["selector"][1]["end"]
    assert f"text[{start}:{end}]" in page
