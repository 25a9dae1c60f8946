"""What a relationship diagram draws: actors as nodes, relations as ties; and, for a
corpus too large to draw in one legible picture, its core and a table of every tie.

A relation between two actors is one tie per type (or per entry of its 'edges'); one among
three or more is a hub naming all its types. Labels come from the vocabulary sheet.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from briefing.check.link import Corpus
from briefing.model import records

NODE_FONT_SIZE = 14
CHAR_WIDTH = 8.0  # a generous estimate of one character's width at NODE_FONT_SIZE
LINE_HEIGHT = 17
WRAP = 18  # characters per line of an actor's name


@dataclass(frozen=True)
class Node:
    """An actor in the diagram, with its name broken into lines."""

    id: str
    name: str
    lines: tuple[str, ...]

    # Computed once: a node is built once per actor and build (see _node_of), measured often.
    @functools.cached_property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * CHAR_WIDTH + 20

    @functools.cached_property
    def height(self) -> float:
        return len(self.lines) * LINE_HEIGHT + 12


@dataclass(frozen=True)
class Tie:
    """One drawn tie: an edge for two actors (from first if directed), a hub for more.

    A relation between two actors gives one edge per type; one among more gives an edge
    per entry of its 'edges' or, without them, one hub naming all its types.
    """

    actors: tuple[str, ...]
    relation_id: str
    label: str
    directed: bool = False
    status: str = "actual"


def _node(actor: records.Sheet) -> Node:
    return _node_of(actor.id, actor.title)


@functools.lru_cache(maxsize=4096)
def _node_of(actor_id: str, title: str) -> Node:
    """An actor's box, its name wrapped (an actor is drawn on many pages: wrap it once)."""
    lines = textwrap.wrap(title, WRAP, break_long_words=True) or [actor_id]
    if len(lines) > 3:
        lines = [*lines[:2], lines[2][: WRAP - 1] + "…"]
    return Node(actor_id, title, tuple(lines))


def _ties(relation: records.Relation, label: Callable[[str], str], center: str | None) -> list[Tie]:
    """The ties a relation draws; around a center, its edges that touch the center."""
    status = relation.state
    suffix = "" if status == "actual" else f" ({status})"
    ids = tuple(sorted({ref.target for ref in relation.actors}))
    edges = [e for e in relation.edges if center is None or center in e.pair]
    if edges:
        return [
            Tie(edge.pair, relation.id, label(edge.type) + suffix, edge.directed, status)
            for edge in edges
        ]
    if len(ids) == 2:
        return [Tie(ids, relation.id, label(t) + suffix, False, status) for t in relation.types]
    types = ", ".join(label(t) for t in relation.types)
    return [Tie(ids, relation.id, types + suffix, False, status)]


def graph(
    corpus: Corpus, center: str | None = None, only: Iterable[str] | None = None
) -> tuple[tuple[Node, ...], tuple[Tie, ...]]:
    """Actors and ties: of every relation, of those in `only` (ids), or around `center`."""
    # Given `only`, just those relations are looked at (an actor page passes its own).
    relations = (
        corpus.of_kind("relation")
        if only is None
        else [corpus.by_id[i] for i in sorted(set(only)) if i in corpus.by_id]
    )
    found: list[Tie] = []
    for relation in relations:
        if not isinstance(relation, records.Relation):
            continue
        if center is not None and center not in {ref.target for ref in relation.actors}:
            continue
        found.extend(_ties(relation, corpus.vocabulary.label, center))
    ties = tuple(sorted(found, key=lambda t: (sorted(t.actors), t.relation_id, t.label)))
    drawn = {i for tie in ties for i in tie.actors}
    actors = sorted((corpus.by_id[i] for i in drawn), key=lambda s: (s.title.casefold(), s.id))
    return tuple(_node(actor) for actor in actors), ties


# Above this many actors one picture of every relation is a hairball (19 actors drew lines
# crossing everywhere): the relations page draws its core and lists every tie in a table.
OVERVIEW_MAX_ACTORS = 8
CORE_ACTORS = 6


def core(
    nodes: tuple[Node, ...], ties: tuple[Tie, ...], size: int = CORE_ACTORS
) -> tuple[tuple[Node, ...], tuple[Tie, ...]]:
    """The `size` actors tied to the most others (ties by name), and the ties among them."""
    partners: dict[str, set[str]] = {n.id: set() for n in nodes}
    for tie in ties:
        for actor in tie.actors:
            partners[actor].update(other for other in tie.actors if other != actor)
    ranked = sorted(nodes, key=lambda n: (-len(partners[n.id]), n.name.casefold(), n.id))
    keep = {n.id for n in ranked[:size]}
    kept = tuple(tie for tie in ties if set(tie.actors) <= keep)
    drawn = {actor for tie in kept for actor in tie.actors}
    return tuple(n for n in nodes if n.id in drawn), kept


@dataclass(frozen=True)
class Party:
    """An actor of a tie, as the table links it."""

    name: str
    href: str


@dataclass(frozen=True)
class TieRow:
    """One tie as a table row: its actors (from the first, if directed), type and relation."""

    actors: tuple[Party, ...]
    directed: bool
    label: str
    relation: str
    relation_href: str


def tie_rows(
    corpus: Corpus, nodes: tuple[Node, ...], ties: tuple[Tie, ...], href: Callable[[str], str]
) -> tuple[TieRow, ...]:
    """Every tie, by its actors' names, then its label: the diagram's content as a table.

    The types one relation gives the same actors (the same way) share a row.
    """
    names = {n.id: n.name for n in nodes}
    merged: dict[tuple[tuple[str, ...], bool, str], list[Tie]] = {}
    for tie in ties:
        merged.setdefault((tie.actors, tie.directed, tie.relation_id), []).append(tie)
    rows = []
    for (actors, directed, relation_id), group in merged.items():
        status = group[0].status
        suffix = "" if status == "actual" else f" ({status})"
        label = ", ".join(t.label.removesuffix(suffix) for t in group) + suffix
        rows.append(
            TieRow(
                tuple(Party(names[a], href(a)) for a in actors),
                directed,
                label,
                corpus.by_id[relation_id].title,
                href(relation_id),
            )
        )
    return tuple(
        sorted(rows, key=lambda r: ([p.name.casefold() for p in r.actors], r.label, r.relation))
    )
