"""Relationship diagrams: deterministic layout, escaping, text alternatives, well-formed SVG."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import pytest

from briefing.check.link import Corpus, link
from briefing.model import records
from briefing.model.errors import Loc
from briefing.present.diagram import graph, relation_diagram

SVG = "{http://www.w3.org/2000/svg}"
LOC = Loc("content/x.yaml")


def actor(sheet_id: str, name: str) -> records.Actor:
    return records.Actor(
        id=sheet_id,
        title=name,
        summary=records.Text("An actor.", LOC),
        tags=(),
        statements=(),
        path=f"content/actors/{sheet_id}.yaml",
        loc=LOC,
        type="state",
        aliases=(),
        role=None,
        interests=(),
    )


def relation(
    sheet_id: str, actors: list[str], types: list[str], title: str = ""
) -> records.Relation:
    return records.Relation(
        id=sheet_id,
        title=title or sheet_id,
        summary=records.Text("A relation.", LOC),
        tags=(),
        statements=(),
        path=f"content/relations/{sheet_id}.yaml",
        loc=LOC,
        actors=tuple(records.Ref(a, LOC) for a in actors),
        types=tuple(types),
    )


def corpus_of(sheets: list[records.Sheet]) -> Corpus:
    corpus, problems = link(sheets)
    assert problems == []
    return corpus


SHEETS: list[records.Sheet] = [
    actor("china", "China"),
    actor("russia", "Russia"),
    actor("iran", "Iran"),
    actor("north-korea", "North Korea"),
    actor("ukraine", "Ukraine"),
    relation("china-russia-trade", ["china", "russia"], ["trade", "currency"]),
    relation("china-russia-diplomacy", ["russia", "china"], ["diplomacy"]),
    relation("iran-russia-arms", ["iran", "russia"], ["arms-supply"]),
    relation("nk-russia-troops", ["north-korea", "russia"], ["troops"]),
    relation("russia-ukraine-war", ["russia", "ukraine"], ["rivalry"]),
    relation("coalition", ["china", "russia", "iran", "north-korea"], ["alignment"]),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("center", [None, "russia", "china"])
def test_output_is_deterministic_whatever_the_input_order(center: str | None) -> None:
    first = relation_diagram(corpus_of(SHEETS), center)
    shuffled = SHEETS[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert relation_diagram(corpus_of(shuffled), center) == first
    assert first.startswith("<svg ") and first.endswith("</svg>")


def test_svg_is_well_formed_and_has_an_accessible_name() -> None:
    svg = relation_diagram(corpus_of(SHEETS), "russia", ident="_diagram-russia")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "_diagram-russia-title _diagram-russia-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "_diagram-russia-title"
    assert title.text == "Relations of Russia"
    assert desc is not None and desc.get("id") == "_diagram-russia-desc"
    # The description says in words what the picture shows.
    # One sentence per type: each is its own labelled edge.
    assert "China and Russia: diplomacy (china-russia-diplomacy)." in (desc.text or "")
    assert "China and Russia: currency (china-russia-trade)." in (desc.text or "")
    assert "Russia and Ukraine: rivalry (russia-ukraine-war)." in (desc.text or "")


def test_names_and_titles_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & Co'
    sheets = [
        actor("a", hostile),
        actor("b", "B'); --"),
        relation("r", ["a", "b"], ["trade"], title='</title><svg onload="alert(1)">'),
    ]
    svg = relation_diagram(corpus_of(sheets), href=lambda sheet_id: f'{sheet_id}/"><x y="')
    assert "<script>" not in svg and "<svg onload" not in svg and '"><x' not in svg
    root = parse(svg)  # still well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any("<script>alert" in text for text in texts)  # shown literally, as text
    hrefs = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert 'a/"><x y="' in hrefs
    assert hostile in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_neighbourhood_holds_the_center_and_its_ties_only() -> None:
    nodes, ties = graph(corpus_of(SHEETS), "ukraine")
    assert [n.id for n in nodes] == ["russia", "ukraine"]
    assert [t.actors for t in ties] == [("russia", "ukraine")]
    nodes, ties = graph(corpus_of(SHEETS), "china")
    # The four-actor coalition, which gives no edges, stays one hub: its type is not
    # claimed for every pair of its actors.
    assert [(t.actors, t.label) for t in ties] == [
        (("china", "iran", "north-korea", "russia"), "alignment"),
        (("china", "russia"), "diplomacy"),
        (("china", "russia"), "currency"),
        (("china", "russia"), "trade"),
    ]


def test_relations_among_many_actors_are_hubs_in_the_whole_picture() -> None:
    _, ties = graph(corpus_of(SHEETS))
    assert ("china", "iran", "north-korea", "russia") in [t.actors for t in ties]
    svg = relation_diagram(corpus_of(SHEETS))
    assert len(parse(svg).findall(f".//{SVG}circle")) == 1


def test_no_relations_no_diagram() -> None:
    corpus = corpus_of([actor("a", "A")])
    assert relation_diagram(corpus) == ""
    assert relation_diagram(corpus, "a") == ""


def test_links_only_when_asked() -> None:
    corpus = corpus_of(SHEETS)
    assert "<a " not in relation_diagram(corpus, "russia")
    linked = parse(relation_diagram(corpus, "russia", href=lambda i: f"../{i}/"))
    assert {a.get("href") for a in linked.iter(f"{SVG}a")} >= {"../russia/", "../coalition/"}


def test_labels_do_not_overlap_boxes_around_a_center() -> None:
    root = parse(relation_diagram(corpus_of(SHEETS), "russia"))
    rects = [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))  # type: ignore[arg-type]
        for r in root.iter(f"{SVG}rect")
    ]
    labels = root.find(f"{SVG}g[@class='bf-diagram-labels']")
    assert labels is not None
    for text in labels.iter(f"{SVG}text"):
        x, y = float(text.get("x")), float(text.get("y"))  # type: ignore[arg-type]
        for rx, ry, w, h in rects:
            assert not (rx < x < rx + w and ry < y < ry + h), (text.text, x, y)
