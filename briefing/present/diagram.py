"""Relationship diagrams: the corpus's relations drawn as a static, self-contained SVG.

The layout is deterministic: actors sorted by name and placed on a circle (around the focus
actor, if there is one), no randomness, coordinates rounded. A relation between two actors
is an edge; one among three or more is a hub with a spoke to each. Edge labels name the
relation types and are slid along their edge until they overlap nothing already drawn.

The SVG carries its own presentation attributes, so it shows without JavaScript or a style
sheet: in the site, in print and in PDFs. Names come from untrusted YAML and are escaped;
the SVG has role="img" with a <title> and a <desc> that say in words what it shows.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefing.check.link import Corpus
from briefing.model import records

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
NODE_FONT_SIZE = 13
CHAR_WIDTH = 7.4  # a generous estimate of one character's width at NODE_FONT_SIZE
LINE_HEIGHT = 16
WRAP = 18  # characters per line of an actor's name
LABEL_FONT_SIZE = 11
LABEL_CHAR_WIDTH = 6.4
LABEL_STEP = LABEL_FONT_SIZE + 3
LABEL_WRAP = 22  # characters per line of a relation's label
MARGIN = 16
BEND = 0.18  # how far chords bow, as a share of their length
# Where along an edge a label may sit, in the order tried (0.5 is halfway).
ALONG = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)

Box = tuple[float, float, float, float]  # left, top, right, bottom


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
    """Relations among the same actors: an edge for two, a hub for three or more."""

    actors: tuple[str, ...]
    relations: tuple[tuple[str, str], ...]  # (relation id, 'trade, currency')


@dataclass(frozen=True)
class _Label:
    relation_id: str
    text: str
    x: float
    y: float


def _node(actor: records.Sheet) -> Node:
    return _node_of(actor.id, actor.title)


@functools.lru_cache(maxsize=4096)
def _node_of(actor_id: str, title: str) -> Node:
    """An actor's box, its name wrapped (an actor is drawn on many pages: wrap it once)."""
    lines = textwrap.wrap(title, WRAP, break_long_words=True) or [actor_id]
    if len(lines) > 3:
        lines = [*lines[:2], lines[2][: WRAP - 1] + "…"]
    return Node(actor_id, title, tuple(lines))


def graph(
    corpus: Corpus, center: str | None = None, only: Iterable[str] | None = None
) -> tuple[tuple[Node, ...], tuple[Tie, ...]]:
    """Actors and ties: of every relation, of those in `only` (ids), or around `center`.

    Around a center, a relation among several actors becomes one edge from the center to
    each of the others.
    """
    # Given `only`, just those relations are looked at (an actor page passes its own).
    relations = (
        corpus.of_kind("relation")
        if only is None
        else [corpus.by_id[i] for i in sorted(set(only)) if i in corpus.by_id]
    )
    found: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for relation in relations:
        if not isinstance(relation, records.Relation):
            continue
        ids = tuple(sorted({ref.target for ref in relation.actors}))
        if center is not None and center not in ids:
            continue
        label = ", ".join(t.replace("-", " ") for t in relation.types)
        if center is None:
            groups = [ids]
        else:
            groups = [tuple(sorted((center, other))) for other in ids if other != center]
        for group in groups:
            if len(group) > 1:
                found.setdefault(group, []).append((relation.id, label))
    ties = tuple(Tie(actors, tuple(sorted(rels))) for actors, rels in sorted(found.items()))
    drawn = {i for tie in ties for i in tie.actors}
    actors = sorted((corpus.by_id[i] for i in drawn), key=lambda s: (s.title.casefold(), s.id))
    return tuple(_node(actor) for actor in actors), ties


def _positions(nodes: tuple[Node, ...], center: str | None) -> dict[str, tuple[float, float]]:
    """The centre of every node: the focus in the middle, the others on a circle."""
    ring = [n for n in nodes if n.id != center]
    count = len(ring)
    widest = max((n.width for n in ring), default=0.0)
    tallest = max((n.height for n in ring), default=0.0)
    # Neighbours on the circle do not touch, and edges have room for their labels.
    gap = max(widest, tallest * 2) + 40
    radius = max(150.0, 45.0 * count, gap / (2 * math.sin(math.pi / count)) if count > 1 else 0)
    focus = next((n for n in nodes if n.id == center), None)
    if focus is not None:
        radius = max(radius, (focus.width + widest) / 2 + LABEL_WRAP * CHAR_WIDTH)
    # One neighbour sits to the right, a pair side by side (first on the left); more start at 12.
    start = {1: 0.0, 2: math.pi}.get(count, -math.pi / 2)
    places = {focus.id: (0.0, 0.0)} if focus is not None else {}
    for index, node in enumerate(ring):
        angle = start + 2 * math.pi * index / count
        places[node.id] = (radius * math.cos(angle), radius * math.sin(angle))
    return places


def _num(value: float) -> str:
    """Coordinates with one decimal, without '-0.0', so output is byte-stable."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _exit(dx: float, dy: float, half_w: float, half_h: float) -> float:
    """Where a line from a box's centre along (dx, dy) leaves the box, as a share of it."""
    limits = [half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf]
    return min(min(limits), 0.5)


def _node_box(center: tuple[float, float], node: Node) -> Box:
    x, y = center
    return (x - node.width / 2, y - node.height / 2, x + node.width / 2, y + node.height / 2)


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _label_box(x: float, y: float, rows: list[tuple[str, str]]) -> Box:
    """The box a block of label rows centred on (x, y) covers."""
    width = max(len(text) for _, text in rows) * LABEL_CHAR_WIDTH + 6
    height = len(rows) * LABEL_STEP + 2
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _place(
    rows: list[tuple[str, str]], spots: Iterable[tuple[float, float]], taken: list[Box]
) -> list[_Label]:
    """Put a label block on the first spot where it overlaps nothing taken (else the least)."""
    best: tuple[float, float, float] | None = None
    for x, y in spots:
        box = _label_box(x, y, rows)
        clash = sum(_overlap(box, other) for other in taken)
        if best is None or clash < best[0]:
            best = (clash, x, y)
        if clash == 0:
            break
    assert best is not None
    _, x, y = best
    taken.append(_label_box(x, y, rows))
    top = y - (len(rows) - 1) * LABEL_STEP / 2 + LABEL_FONT_SIZE / 3
    return [_Label(rid, text, x, top + i * LABEL_STEP) for i, (rid, text) in enumerate(rows)]


@functools.lru_cache(maxsize=4096)
def _wrapped(label: str) -> tuple[str, ...]:
    """A relation label in lines of LABEL_WRAP characters (few labels recur on every page)."""
    return tuple(textwrap.wrap(label, LABEL_WRAP)) or (label,)


def _layout(
    nodes: tuple[Node, ...], ties: tuple[Tie, ...], center: str | None
) -> tuple[dict[str, tuple[float, float]], list[str], list[tuple[float, float]], list[_Label]]:
    """Node centres, edge paths, hub points and placed labels."""
    places = _positions(nodes, center)
    half = {n.id: (n.width / 2, n.height / 2) for n in nodes}
    taken: list[Box] = [_node_box(places[n.id], n) for n in nodes]
    bend = center is None and len(nodes) > 3
    paths: list[str] = []
    hubs: list[tuple[float, float]] = []
    labels: list[_Label] = []
    for tie in ties:
        rows = [(rid, line) for rid, label in tie.relations for line in _wrapped(label)]
        if len(tie.actors) > 2:
            points = [places[i] for i in tie.actors]
            hx = sum(p[0] for p in points) / len(points)
            hy = sum(p[1] for p in points) / len(points)
            while any(math.dist((hx, hy), hub) < 24 for hub in hubs):
                hy += 28  # hubs of actors spread evenly would share the circle's centre
            hubs.append((hx, hy))
            paths.extend(f"M{_num(hx)},{_num(hy)} L{_num(x)},{_num(y)}" for x, y in points)
            off = len(rows) * LABEL_STEP / 2 + 8
            spots = [(hx, hy + off), (hx, hy - off), (hx + 60, hy), (hx - 60, hy)]
            labels.extend(_place(rows, spots, taken))
            continue
        a, b = tie.actors
        (x1, y1), (x2, y2) = places[a], places[b]
        if bend:
            # Chords bow to one side, so that diameters do not share a midpoint.
            cx, cy = (x1 + x2) / 2 - (y2 - y1) * BEND, (y1 + y2) / 2 + (x2 - x1) * BEND
            paths.append(f"M{_num(x1)},{_num(y1)} Q{_num(cx)},{_num(cy)} {_num(x2)},{_num(y2)}")
            spots = [
                (
                    (1 - t) ** 2 * x1 + 2 * t * (1 - t) * cx + t**2 * x2,
                    (1 - t) ** 2 * y1 + 2 * t * (1 - t) * cy + t**2 * y2,
                )
                for t in ALONG
            ]
        else:
            paths.append(f"M{_num(x1)},{_num(y1)} L{_num(x2)},{_num(y2)}")
            # Along the part of the line that lies outside both boxes.
            start = _exit(x2 - x1, y2 - y1, *half[a])
            end = 1 - _exit(x1 - x2, y1 - y2, *half[b])
            spots = [
                (
                    x1 + (x2 - x1) * (start + (end - start) * t),
                    y1 + (y2 - y1) * (start + (end - start) * t),
                )
                for t in ALONG
            ]
        labels.extend(_place(rows, spots, taken))
    return places, paths, hubs, labels


def _link(href: Callable[[str], str] | None, target: str, body: str) -> str:
    if href is None:
        return body
    return f'<a href="{escape(href(target))}">{body}</a>'


def _sentence(tie: Tie, names: dict[str, str], titles: dict[str, str]) -> str:
    who = [names[i] for i in tie.actors]
    actors = f"{', '.join(who[:-1])} and {who[-1]}"
    ties = "; ".join(f"{label} ({titles[rid]})" for rid, label in tie.relations)
    return f"{actors}: {ties}."


def relation_diagram(
    corpus: Corpus,
    center: str | None = None,
    *,
    only: Iterable[str] | None = None,
    href: Callable[[str], str] | None = None,
    ident: str = "diagram",
    drawn: tuple[tuple[Node, ...], tuple[Tie, ...]] | None = None,
) -> Markup:
    """An SVG of the relations (all, those of `only`, or around `center`); '' if there are none.

    href maps a sheet id to a link target (nodes and labels become links); ident prefixes
    the ids of the <title> and <desc>, so several diagrams can share a page; drawn is what
    graph() returned for the same arguments, when the caller has it already.
    """
    nodes, ties = drawn if drawn is not None else graph(corpus, center, only)
    if not ties:
        return Markup("")
    places, paths, hubs, labels = _layout(nodes, ties, center)
    names = {n.id: n.name for n in nodes}
    titles = {rid: corpus.by_id[rid].title for tie in ties for rid, _ in tie.relations}
    boxes = [_node_box(places[n.id], n) for n in nodes] + [
        _label_box(lb.x, lb.y - LABEL_FONT_SIZE / 3, [("", lb.text)]) for lb in labels
    ]
    x0, y0 = min(b[0] for b in boxes) - MARGIN, min(b[1] for b in boxes) - MARGIN
    width = max(b[2] for b in boxes) + MARGIN - x0
    height = max(b[3] for b in boxes) + MARGIN - y0
    if center is not None:
        title = f"Relations of {names[center]}"
    elif only is not None:
        title = "The actors of this relation"
    else:
        title = "Relations between the actors"
    desc = " ".join(_sentence(tie, names, titles) for tie in ties)
    ident = str(escape(ident))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bf-diagram-svg" role="img" '
        f'viewBox="{_num(x0)} {_num(y0)} {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(FONT)}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<g class="bf-diagram-edges" fill="none" stroke="#8a8f98" stroke-width="1.6">',
        *(f'<path d="{path}"/>' for path in paths),
        "</g>",
    ]
    if hubs:
        out.append('<g class="bf-diagram-hubs" fill="#8a8f98">')
        out.extend(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4.5"/>' for x, y in hubs)
        out.append("</g>")
    out.append('<g class="bf-diagram-nodes">')
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
    # A white halo under each label keeps it readable over edges. It is a separate text
    # drawn first, not paint-order="stroke", which WeasyPrint ignores (labels vanished in PDFs).
    out.append(f'<g class="bf-diagram-labels" text-anchor="middle" font-size="{LABEL_FONT_SIZE}">')
    for label in labels:
        at = f'x="{_num(label.x)}" y="{_num(label.y)}"'
        halo = (
            f'<text {at} fill="none" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" '
            f'aria-hidden="true">{escape(label.text)}</text>'
        )
        text = (
            f'<text {at} fill="#3b3f45">{escape(label.text)}'
            f"<title>{escape(titles[label.relation_id])}</title></text>"
        )
        out.append(_link(href, label.relation_id, halo + text))
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def print_diagram(corpus: Corpus, sheet: records.Sheet) -> str | None:
    """The diagram a PDF shows for a sheet: an actor's neighbourhood or a relation; else None."""
    ident = f"pdf-diagram-{sheet.id}"
    if isinstance(sheet, records.Actor):
        svg = relation_diagram(corpus, sheet.id, ident=ident)
    elif isinstance(sheet, records.Relation):
        svg = relation_diagram(corpus, only=[sheet.id], ident=ident)
    else:
        return None
    return str(svg) or None
