"""Plane geometry for relationship diagrams: numbers as SVG writes them, boxes, curves."""

from __future__ import annotations

import math

Box = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]
ARROW = 10.0  # an arrowhead's length


def num(value: float) -> str:
    """Coordinates with one decimal, without '-0.0', so output is byte-stable."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def exit_share(dx: float, dy: float, half_w: float, half_h: float) -> float:
    """Where a line from a box's centre along (dx, dy) leaves the box, as a share of it."""
    limits = [half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf]
    return min(min(limits), 0.5)


def overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def curve(p1: Point, p2: Point, offset: float) -> tuple[Point, str]:
    """The control point and path of an edge bowed `offset` px at its middle (0: straight)."""
    (x1, y1), (x2, y2) = p1, p2
    length = math.dist(p1, p2) or 1.0
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    cx, cy = (x1 + x2) / 2 + 2 * offset * nx, (y1 + y2) / 2 + 2 * offset * ny
    if offset == 0:
        return (cx, cy), f"M{num(x1)},{num(y1)} L{num(x2)},{num(y2)}"
    return (cx, cy), f"M{num(x1)},{num(y1)} Q{num(cx)},{num(cy)} {num(x2)},{num(y2)}"


def at(p1: Point, c: Point, p2: Point, t: float) -> Point:
    """The point at t along the quadratic curve p1 -> p2 bent towards c."""
    return (
        (1 - t) ** 2 * p1[0] + 2 * t * (1 - t) * c[0] + t**2 * p2[0],
        (1 - t) ** 2 * p1[1] + 2 * t * (1 - t) * c[1] + t**2 * p2[1],
    )


def inside(point: Point, box: Box) -> bool:
    return box[0] - 3 <= point[0] <= box[2] + 3 and box[1] - 3 <= point[1] <= box[3] + 3


def arrow(p1: Point, c: Point, p2: Point, box: Box) -> str:
    """An arrowhead where the curve meets the target's box, pointing along the curve."""
    t = 1.0
    while t > 0.5 and inside(at(p1, c, p2, t), box):
        t -= 0.005
    tip = at(p1, c, p2, t)
    back = at(p1, c, p2, t - 0.01)
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    bx, by = tip[0] - ux * ARROW, tip[1] - uy * ARROW
    wing = ARROW / 2.2
    corners = [tip, (bx - uy * wing, by + ux * wing), (bx + uy * wing, by - ux * wing)]
    return "M" + " L".join(f"{num(x)},{num(y)}" for x, y in corners) + " Z"


def hub_point(points: list[Point], focus: Point | None) -> Point:
    """Where a hub sits: amid its actors, but never on the focus actor's box."""
    hx = sum(p[0] for p in points) / len(points)
    hy = sum(p[1] for p in points) / len(points)
    if focus is not None and math.hypot(hx, hy) < 90:
        # Actors spread around the focus average to the focus itself: step outside it,
        # towards the first two members that are not the focus.
        others = [p for p in points if p != focus][:2]
        dx, dy = (sum(p[0] for p in others), sum(p[1] for p in others))
        norm = math.hypot(dx, dy) or 1.0
        hx, hy = dx / norm * 110, dy / norm * 110
    return hx, hy
