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
from briefing.present.geometry import (
    Box,
    arrow,
    at,
    curve,
    exit_share,
    hub_point,
    num,
    overlap,
)
from briefing.present.ties import (
    CHAR_WIDTH,
    LINE_HEIGHT,
    NODE_FONT_SIZE,
    OVERVIEW_MAX_ACTORS,
    Node,
    Tie,
    TieRow,
    core,
    graph,
    tie_rows,
)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
LABEL_FONT_SIZE = 12.5
LABEL_CHAR_WIDTH = 7.1
LABEL_STEP = LABEL_FONT_SIZE + 3
LABEL_WRAP = 22  # characters per line of a relation's label
MARGIN = 16
# The text column of an A4 portrait page with the site's print margins (180 mm), in CSS px.
PRINT_COLUMN_PX = 680
BEND_PX = 34.0  # how far chords bow at their middle in the whole picture, in px
PARALLEL = 30.0  # how far apart ties between the same two actors run at their middle
# Where along an edge a label may sit, in the order tried (0.5 is halfway).
ALONG = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)


@dataclass(frozen=True)
class _Label:
    relation_id: str
    text: str
    x: float
    y: float


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


def _node_box(center: tuple[float, float], node: Node) -> Box:
    x, y = center
    return (x - node.width / 2, y - node.height / 2, x + node.width / 2, y + node.height / 2)


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
        clash = sum(overlap(box, other) for other in taken)
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


@dataclass(frozen=True)
class _Edge:
    """A drawn line: its path, its dash pattern ('' for solid) and its arrowhead ('' none)."""

    path: str
    dash: str
    arrow: str = ""


# How a status is drawn: what the source reports as fact solid, the rest dashed or dotted.
DASH = {"actual": "", "threatened": "7 4", "possible": "7 4", "ended": "2 4"}


def _layout(
    nodes: tuple[Node, ...], ties: tuple[Tie, ...], center: str | None
) -> tuple[dict[str, tuple[float, float]], list[_Edge], list[tuple[float, float]], list[_Label]]:
    """Node centres, edges, hub points and placed labels."""
    places = _positions(nodes, center)
    by_id = {n.id: n for n in nodes}
    half = {n.id: (n.width / 2, n.height / 2) for n in nodes}
    taken: list[Box] = [_node_box(places[n.id], n) for n in nodes]
    bend = BEND_PX if center is None and len(nodes) > 3 else 0.0
    # Ties between the same two actors are drawn side by side, each with its own label.
    pairs: dict[frozenset[str], list[Tie]] = {}
    for tie in ties:
        if len(tie.actors) == 2:
            pairs.setdefault(frozenset(tie.actors), []).append(tie)
    edges: list[_Edge] = []
    hubs: list[tuple[float, float]] = []
    labels: list[_Label] = []
    for tie in ties:
        rows = [(tie.relation_id, line) for line in _wrapped(tie.label)]
        dash = DASH.get(tie.status, "")
        if len(tie.actors) > 2:
            points = [places[i] for i in tie.actors]
            hx, hy = hub_point(points, places[center] if center else None)
            while any(math.dist((hx, hy), hub) < 24 for hub in hubs):
                hy += 28  # hubs of actors spread evenly would share the circle's centre
            hubs.append((hx, hy))
            edges.extend(_Edge(f"M{num(hx)},{num(hy)} L{num(x)},{num(y)}", dash) for x, y in points)
            off = len(rows) * LABEL_STEP / 2 + 8
            spots = [(hx, hy + off), (hx, hy - off), (hx + 60, hy), (hx - 60, hy)]
            labels.extend(_place(rows, spots, taken))
            continue
        a, b = tie.actors
        group = pairs[frozenset(tie.actors)]
        # Offsets are measured on the pair in sorted order, so that a tie drawn b -> a
        # bows the same way as its place in the group says.
        first, _ = sorted(tie.actors)
        sign = 1 if first == a else -1
        offset = sign * (bend + (group.index(tie) - (len(group) - 1) / 2) * PARALLEL)
        p1, p2 = places[a], places[b]
        control, path = curve(p1, p2, offset)
        if offset == 0:
            # Along the part of the line that lies outside both boxes.
            (x1, y1), (x2, y2) = p1, p2
            start = exit_share(x2 - x1, y2 - y1, *half[a])
            end = 1 - exit_share(x1 - x2, y1 - y2, *half[b])
            spots = [at(p1, control, p2, start + (end - start) * t) for t in ALONG]
        else:
            spots = [at(p1, control, p2, t) for t in ALONG]
        head = arrow(p1, control, p2, _node_box(p2, by_id[b])) if tie.directed else ""
        edges.append(_Edge(path, dash, head))
        labels.extend(_place(rows, spots, taken))
    return places, edges, hubs, labels


def _link(href: Callable[[str], str] | None, target: str, body: str) -> str:
    if href is None:
        return body
    # The SVG is an image to assistive technology (role="img"; its <desc> says what the
    # links lead to, and the page lists them): its links are for pointers, not Tab stops.
    return f'<a href="{escape(href(target))}" tabindex="-1">{body}</a>'


def _sentence(tie: Tie, names: dict[str, str], titles: dict[str, str]) -> str:
    who = [names[i] for i in tie.actors]
    joint = " to " if tie.directed else " and "
    actors = f"{', '.join(who[:-1])}{joint}{who[-1]}"
    return f"{actors}: {tie.label} ({titles[tie.relation_id]})."


def relation_diagram(
    corpus: Corpus,
    center: str | None = None,
    *,
    only: Iterable[str] | None = None,
    href: Callable[[str], str] | None = None,
    ident: str = "diagram",
    drawn: tuple[tuple[Node, ...], tuple[Tie, ...]] | None = None,
    title: str | None = None,
) -> Markup:
    """An SVG of the relations (all, those of `only`, or around `center`); '' if there are none.

    href maps a sheet id to a link target (nodes and labels become links); ident prefixes
    the ids of the <title> and <desc>, so several diagrams can share a page; drawn is what
    graph() returned for the same arguments, when the caller has it already (or part of
    it, with a title that says which part).
    """
    nodes, ties = drawn if drawn is not None else graph(corpus, center, only)
    if not ties:
        return Markup("")
    places, edges, hubs, labels = _layout(nodes, ties, center)
    names = {n.id: n.name for n in nodes}
    titles = {tie.relation_id: corpus.by_id[tie.relation_id].title for tie in ties}
    boxes = [_node_box(places[n.id], n) for n in nodes] + [
        _label_box(lb.x, lb.y - LABEL_FONT_SIZE / 3, [("", lb.text)]) for lb in labels
    ]
    x0, y0 = min(b[0] for b in boxes) - MARGIN, min(b[1] for b in boxes) - MARGIN
    width = max(b[2] for b in boxes) + MARGIN - x0
    height = max(b[3] for b in boxes) + MARGIN - y0
    if title is None and center is not None:
        title = f"Relations of {names[center]}"
    elif title is None:
        title = (
            "The actors of this relation" if only is not None else "Relations between the actors"
        )
    desc = " ".join(_sentence(tie, names, titles) for tie in ties)
    ident = str(escape(ident))
    # Wider than a portrait page's column: printed from the browser, it gets a landscape page.
    svg_class = "bf-diagram-svg bf-diagram-wide" if width > PRINT_COLUMN_PX else "bf-diagram-svg"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{svg_class}" role="img" '
        f'viewBox="{num(x0)} {num(y0)} {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(FONT)}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<g class="bf-diagram-edges" fill="none" stroke="#8a8f98" stroke-width="1.6">',
        *(
            f'<path d="{edge.path}"'
            + (f' stroke-dasharray="{edge.dash}"' if edge.dash else "")
            + "/>"
            for edge in edges
        ),
        "</g>",
    ]
    arrows = [edge.arrow for edge in edges if edge.arrow]
    if arrows:
        out.append('<g class="bf-diagram-arrows" fill="#5f646c">')
        out.extend(f'<path d="{arrow}"/>' for arrow in arrows)
        out.append("</g>")
    if hubs:
        out.append('<g class="bf-diagram-hubs" fill="#8a8f98">')
        out.extend(f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5"/>' for x, y in hubs)
        out.append("</g>")
    out.append('<g class="bf-diagram-nodes">')
    for node in nodes:
        x, y = places[node.id]
        focus = node.id == center
        box = (
            f'<rect x="{num(x - node.width / 2)}" y="{num(y - node.height / 2)}" '
            f'width="{num(node.width)}" height="{num(node.height)}" rx="6" '
            f'fill="{"#e8eaf6" if focus else "#ffffff"}" stroke="#3f51b5" '
            f'stroke-width="{"2.4" if focus else "1.4"}"/>'
        )
        first = y - (len(node.lines) - 1) * LINE_HEIGHT / 2 + NODE_FONT_SIZE / 3
        spans = "".join(
            f'<tspan x="{num(x)}" y="{num(first + i * LINE_HEIGHT)}">{escape(line)}</tspan>'
            for i, line in enumerate(node.lines)
        )
        weight = ' font-weight="700"' if focus else ""
        text = (
            f'<text text-anchor="middle" font-size="{NODE_FONT_SIZE}" fill="#1f2329"{weight}>'
            f"{spans}</text>"
        )
        # The page's own actor is marked: a phone scrolls the diagram to it (briefing-diagrams.js).
        kind = "bf-diagram-node bf-diagram-focus" if focus else "bf-diagram-node"
        out.append(f'<g class="{kind}">{_link(href, node.id, box + text)}</g>')
    out.append("</g>")
    # A white halo under each label keeps it readable over edges. It is a separate text
    # drawn first, not paint-order="stroke", which WeasyPrint ignores (labels vanished in PDFs).
    out.append(f'<g class="bf-diagram-labels" text-anchor="middle" font-size="{LABEL_FONT_SIZE}">')
    for label in labels:
        at = f'x="{num(label.x)}" y="{num(label.y)}"'
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


def overview(
    corpus: Corpus, href: Callable[[str], str], ident: str = "_diagram-all"
) -> tuple[Markup, tuple[TieRow, ...], int]:
    """The relations page's picture, its table of ties and how many actors the ties hold.

    Up to OVERVIEW_MAX_ACTORS actors, every tie is drawn and no table is needed; above, the
    most-tied actors and the ties among them are drawn, and the table lists every tie.
    """
    nodes, ties = graph(corpus)
    if len(nodes) <= OVERVIEW_MAX_ACTORS:
        return relation_diagram(corpus, href=href, ident=ident, drawn=(nodes, ties)), (), len(nodes)
    kept = core(nodes, ties)
    title = f"The {len(kept[0])} actors tied to the most others, and the ties among them"
    svg = relation_diagram(corpus, href=href, ident=ident, drawn=kept, title=title)
    return svg, tie_rows(corpus, nodes, ties, href), len(nodes)
