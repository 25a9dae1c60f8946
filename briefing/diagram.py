"""Relationship diagrams: the corpus's relations drawn as a static, self-contained SVG.

The layout is deterministic (actors sorted, placed on a circle, no randomness) and the
SVG carries its own presentation attributes, so it shows without JavaScript or a style
sheet: in the site, in print and in the PDFs. Every name comes from untrusted YAML and is
escaped; the SVG has role="img" with a <title> and a <desc> that say in words what it shows.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefing import records
from briefing.link import Corpus

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
NODE_FONT_SIZE = 13
LABEL_FONT_SIZE = 11
CHAR_WIDTH = 7.4  # a generous estimate of one character's width at NODE_FONT_SIZE
LINE_HEIGHT = 16
WRAP = 18  # characters per line of a node's name
LABEL_WRAP = 22  # characters per line of an edge's label
LABEL_CHAR_WIDTH = 6.4
LABEL_STEP = LABEL_FONT_SIZE + 3
BEND = 0.18  # how far chords bow, as a share of their length
MARGIN = 24


@dataclass(frozen=True)
class Node:
    """An actor in the diagram, with its name broken into lines."""

    id: str
    name: str
    lines: tuple[str, ...]

    @property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * CHAR_WIDTH + 20

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_HEIGHT + 12


@dataclass(frozen=True)
class Edge:
    """Two actors and the relations that tie them (relation id, 'trade, currency')."""

    a: str
    b: str
    relations: tuple[tuple[str, str], ...]


def _node(actor: records.Sheet) -> Node:
    lines = textwrap.wrap(actor.title, WRAP, break_long_words=True) or [actor.id]
    if len(lines) > 3:
        lines = [*lines[:2], lines[2][: WRAP - 1] + "…"]
    return Node(actor.id, actor.title, tuple(lines))


def graph(
    corpus: Corpus, center: str | None = None, only: Iterable[str] | None = None
) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """Actors and edges: every relation, those of `only` (ids), or those involving `center`."""
    wanted = None if only is None else set(only)
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for relation in corpus.of_kind("relation"):
        assert isinstance(relation, records.Relation)
        ids = sorted({ref.target for ref in relation.actors})
        if (wanted is not None and relation.id not in wanted) or (
            center is not None and center not in ids
        ):
            continue
        label = ", ".join(t.replace("-", " ") for t in relation.types)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if center is None or center in (a, b):
                    pairs.setdefault((a, b), []).append((relation.id, label))
    edges = tuple(Edge(a, b, tuple(sorted(rels))) for (a, b), rels in sorted(pairs.items()))
    ids = {i for edge in edges for i in (edge.a, edge.b)}
    if center is not None and edges:
        ids.add(center)
    actors = sorted((corpus.by_id[i] for i in ids), key=lambda s: (s.title.casefold(), s.id))
    return tuple(_node(actor) for actor in actors), edges


def _positions(nodes: tuple[Node, ...], center: str | None) -> dict[str, tuple[float, float]]:
    """The centre of every node: the focus in the middle, the others on a circle."""
    ring = [n for n in nodes if n.id != center]
    widest = max((n.width for n in ring), default=0.0)
    tallest = max((n.height for n in ring), default=0.0)
    count = len(ring)
    # Large enough that neighbours on the circle do not touch, and edges have room for labels.
    gap = max(widest, tallest * 2) + 40
    radius = max(150.0, gap / (2 * math.sin(math.pi / count)) if count > 1 else 0.0)
    focus = next((n for n in nodes if n.id == center), None)
    if focus is not None:
        # Room between the focus and each neighbour for the edge's label.
        radius = max(radius, (focus.width + widest) / 2 + LABEL_WRAP * CHAR_WIDTH)
    # One neighbour sits to the right, a pair side by side (first on the left); more start at 12.
    start = {1: 0.0, 2: math.pi}.get(count, -math.pi / 2)
    places = {center: (0.0, 0.0)} if center is not None else {}
    for index, node in enumerate(ring):
        angle = start + 2 * math.pi * index / count
        places[node.id] = (radius * math.cos(angle), radius * math.sin(angle))
    return places


def _exit(dx: float, dy: float, half_w: float, half_h: float) -> float:
    """Where a line from a box's centre along (dx, dy) leaves the box, as a fraction of it."""
    limits = [half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf]
    return min(min(limits), 0.5)


def _num(value: float) -> str:
    """Coordinates with one decimal, without '-0.0', so output is byte-stable."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _link(href: Callable[[str], str] | None, target: str, body: str) -> str:
    if href is None:
        return body
    return f'<a href="{escape(href(target))}">{body}</a>'


def _sentence(edge: Edge, names: dict[str, str], titles: dict[str, str]) -> str:
    ties = "; ".join(f"{label} ({titles[rid]})" for rid, label in edge.relations)
    return f"{names[edge.a]} and {names[edge.b]}: {ties}."


@dataclass(frozen=True)
class _Label:
    """One line of an edge's label, placed."""

    relation_id: str
    text: str
    x: float
    y: float


def _edge_geometry(
    edge: Edge,
    places: dict[str, tuple[float, float]],
    sizes: dict[str, tuple[float, float]],
    bend: bool,
) -> tuple[str, list[_Label]]:
    """The path of an edge and its label lines, centred on the edge."""
    (x1, y1), (x2, y2) = places[edge.a], places[edge.b]
    if bend:
        # Chords of a circle bow to one side, so that diameters do not share a midpoint.
        cx, cy = (x1 + x2) / 2 - (y2 - y1) * BEND, (y1 + y2) / 2 + (x2 - x1) * BEND
        path = f"M{_num(x1)},{_num(y1)} Q{_num(cx)},{_num(cy)} {_num(x2)},{_num(y2)}"
        mx, my = (x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4
    else:
        path = f"M{_num(x1)},{_num(y1)} L{_num(x2)},{_num(y2)}"
        # Halfway along the part of the line that lies outside both boxes.
        t = _exit(x2 - x1, y2 - y1, *sizes[edge.a]) + 1 - _exit(x1 - x2, y1 - y2, *sizes[edge.b])
        mx, my = x1 + (x2 - x1) * t / 2, y1 + (y2 - y1) * t / 2
    rows = [
        (rid, line)
        for rid, label in edge.relations
        for line in textwrap.wrap(label, LABEL_WRAP) or [label]
    ]
    top = my - (len(rows) - 1) * LABEL_STEP / 2 + LABEL_FONT_SIZE / 3
    return path, [_Label(rid, line, mx, top + i * LABEL_STEP) for i, (rid, line) in enumerate(rows)]


def relation_diagram(
    corpus: Corpus,
    center: str | None = None,
    *,
    only: Iterable[str] | None = None,
    href: Callable[[str], str] | None = None,
    ident: str = "diagram",
) -> Markup:
    """An SVG of the relations (all, those of `only`, or around `center`); '' if there are none.

    href maps a sheet id to a link target (nodes and edge labels become links); ident
    prefixes the ids of the <title> and <desc>, so several diagrams can share a page.
    """
    nodes, edges = graph(corpus, center, only)
    if not edges:
        return Markup("")
    places = _positions(nodes, center)
    sizes = {n.id: (n.width / 2, n.height / 2) for n in nodes}
    names = {n.id: n.name for n in nodes}
    titles = {rid: corpus.by_id[rid].title for e in edges for rid, _ in e.relations}
    bend = center is None and len(nodes) > 3
    drawn = [_edge_geometry(edge, places, sizes, bend) for edge in edges]
    labels = [label for _, edge_labels in drawn for label in edge_labels]
    left = min(
        [places[n.id][0] - n.width / 2 for n in nodes]
        + [lb.x - len(lb.text) * LABEL_CHAR_WIDTH / 2 for lb in labels]
    )
    right = max(
        [places[n.id][0] + n.width / 2 for n in nodes]
        + [lb.x + len(lb.text) * LABEL_CHAR_WIDTH / 2 for lb in labels]
    )
    top = min(
        [places[n.id][1] - n.height / 2 for n in nodes] + [lb.y - LABEL_FONT_SIZE for lb in labels]
    )
    bottom = max([places[n.id][1] + n.height / 2 for n in nodes] + [lb.y + 4 for lb in labels])
    x0, y0 = left - MARGIN, top - MARGIN
    width, height = right - left + 2 * MARGIN, bottom - top + 2 * MARGIN
    if center is not None:
        title = f"Relations of {names[center]}"
    elif only is not None:
        title = "The actors of this relation"
    else:
        title = "Relations between the actors"
    desc = " ".join(_sentence(edge, names, titles) for edge in edges)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bf-diagram-svg" role="img" '
        f'viewBox="{_num(x0)} {_num(y0)} {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc" '
        f'font-family="{escape(FONT)}">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(desc)}</desc>',
        '<g class="bf-diagram-edges" fill="none" stroke="#8a8f98" stroke-width="1.6">',
        *(f'<path d="{path}"/>' for path, _ in drawn),
        "</g>",
        '<g class="bf-diagram-nodes">',
    ]
    for node in nodes:
        x, y = places[node.id]
        focus = node.id == center
        box = (
            f'<rect x="{_num(x - node.width / 2)}" y="{_num(y - node.height / 2)}" '
            f'width="{_num(node.width)}" height="{_num(node.height)}" rx="6" '
            f'fill="{"#e8eaf6" if focus else "#ffffff"}" stroke="#3f51b5" '
            f'stroke-width="{"2.4" if focus else "1.4"}"/>'
        )
        first = y - (len(node.lines) - 1) * LINE_HEIGHT / 2 + NODE_FONT_SIZE / 3
        spans = "".join(
            f'<tspan x="{_num(x)}" y="{_num(first + i * LINE_HEIGHT)}">{escape(line)}</tspan>'
            for i, line in enumerate(node.lines)
        )
        weight = ' font-weight="700"' if focus else ""
        text = (
            f'<text text-anchor="middle" font-size="{NODE_FONT_SIZE}" fill="#1f2329"{weight}>'
            f"{spans}</text>"
        )
        out.append(f'<g class="bf-diagram-node">{_link(href, node.id, box + text)}</g>')
    out.append("</g>")
    out.append(
        f'<g class="bf-diagram-labels" text-anchor="middle" font-size="{LABEL_FONT_SIZE}" '
        'fill="#3b3f45" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" '
        'paint-order="stroke">'
    )
    for label in labels:
        text = (
            f'<text x="{_num(label.x)}" y="{_num(label.y)}">{escape(label.text)}'
            f"<title>{escape(titles[label.relation_id])}</title></text>"
        )
        out.append(_link(href, label.relation_id, text))
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))
