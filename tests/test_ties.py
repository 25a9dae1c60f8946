"""A corpus too large to draw in one picture: its core is drawn, every tie goes in a table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from briefing.model import records
from briefing.present.diagram import overview
from briefing.present.ties import OVERVIEW_MAX_ACTORS, core, graph, tie_rows
from tests.test_diagram import SHEETS, SVG, actor, corpus_of, relation

# A hub tied to many, a second tied to a few, and a fringe of actors tied to one each.
FRINGE = [f"f{n}" for n in range(OVERVIEW_MAX_ACTORS)]
LARGE: list[records.Sheet] = [
    actor("hub", "Hub"),
    actor("second", "Second"),
    actor("third", "Third"),
    *(actor(f, f"Fringe {f}") for f in FRINGE),
    relation("hub-second", ["hub", "second"], ["trade", "diplomacy", "energy"], "Hub and second"),
    relation("second-third", ["second", "third"], ["rivalry"], "Second and third"),
    relation("hub-third", ["hub", "third"], ["sanctions"], "Hub and third"),
    *(relation(f"hub-{f}", ["hub", f], ["trade"], f"Hub and {f}") for f in FRINGE),
]


def href(target: str) -> str:
    return f"/{target}/"


def test_core_keeps_the_most_tied_actors_and_only_ties_among_them() -> None:
    nodes, ties = graph(corpus_of(LARGE))
    kept_nodes, kept_ties = core(nodes, ties, size=3)
    assert [n.id for n in kept_nodes] == ["hub", "second", "third"]
    assert {t.relation_id for t in kept_ties} == {"hub-second", "second-third", "hub-third"}


def test_table_rows_merge_one_relations_types_and_list_every_tie() -> None:
    corpus = corpus_of(LARGE)
    nodes, ties = graph(corpus)
    rows = tie_rows(corpus, nodes, ties, href)
    assert len(rows) == 3 + len(FRINGE)  # one row per relation here, whatever its types
    first = next(r for r in rows if r.relation == "Hub and second")
    assert [p.name for p in first.actors] == ["Hub", "Second"]
    assert first.label == "diplomacy, energy, trade"
    assert first.relation_href == "/hub-second/"
    # Sorted by the actors' names: "Fringe f0" < "Hub" < "Second".
    names = [[p.name for p in r.actors] for r in rows]
    assert (names[0], names[-1]) == (["Fringe f0", "Hub"], ["Second", "Third"])


def test_small_corpus_draws_every_tie_and_needs_no_table() -> None:
    corpus = corpus_of(SHEETS)
    svg, rows, actors = overview(corpus, href)
    assert rows == () and actors == 5
    assert len(ET.fromstring(svg).findall(f".//{SVG}g[@class='bf-diagram-node']")) == 5


def test_large_corpus_draws_its_core_and_tables_every_tie() -> None:
    corpus = corpus_of(LARGE)
    svg, rows, actors = overview(corpus, href)
    assert actors == 3 + len(FRINGE) > OVERVIEW_MAX_ACTORS
    root = ET.fromstring(svg)
    drawn = len(root.findall(f".//{SVG}g[@class='bf-diagram-node']"))
    assert 2 <= drawn <= OVERVIEW_MAX_ACTORS
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith(f"The {drawn} actors tied to the most others")
    assert {r.relation for r in rows} == {s.title for s in LARGE if isinstance(s, records.Relation)}
