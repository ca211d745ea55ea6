"""The concept map: a deterministic layout and its inline SVG, from plain data.

Pure functions, no Sphinx:

* ``site_map``: every concept on a circle (neighbours on the circle are the
  concepts most linked to each other), every essay inside it, near the concepts
  it uses;
* ``local_map``: one concept in the middle, its related concepts above, the
  essays that use it below;
* ``map_svg``: a layout as an ``<svg>`` element named by its ``<title>``, each
  node a link; colours come from the page's stylesheet (``essayist-map.css``).

Positions are rounded to a tenth of a unit and computed in a fixed order: the
same data gives the same bytes.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from html import escape

FONT = 16  # the labels' size, in SVG units (CSS pixels when not scaled)
LINE = 19  # the distance between two lines of a label
EM = 0.55  # a character's width, in ems, on average (for boxes, not drawing)
WRAP = 14  # characters on a label's line
CONCEPT_R = 7
ESSAY_R = 4.5
ESSAY_GAP = 12  # the least distance between two essays' centres
GAP = 5  # between a node and its label
MARGIN = 8
GOLDEN = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Concept:
    slug: str
    name: str
    href: str
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Essay:
    docname: str
    title: str
    href: str
    concepts: tuple[str, ...] = ()


@dataclass
class Label:
    lines: tuple[str, ...]
    x: float
    y: float  # the first line's baseline
    anchor: str = "middle"  # text-anchor
    angle: float | None = None  # degrees, around (x, y): a label along a radius
    halo: bool = False

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom), roughly: for overlaps and the view box."""
        width = max(len(line) for line in self.lines) * EM * FONT
        if self.angle is not None:
            rad = math.radians(self.angle)
            sign = -1 if self.anchor == "end" else 1
            ex, ey = self.x + sign * width * math.cos(rad), self.y + sign * width * math.sin(rad)
            pad = FONT * 0.7
            xs, ys = (self.x, ex), (self.y, ey)
            return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad
        left = {"start": self.x, "end": self.x - width}.get(self.anchor, self.x - width / 2)
        top = self.y - 0.8 * FONT
        return left, top, left + width, top + len(self.lines) * LINE


@dataclass
class Node:
    kind: str  # "concept" or "essay"
    key: str
    name: str
    href: str
    x: float
    y: float
    label: Label | None = None


@dataclass
class Layout:
    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, key)

    def view_box(self) -> tuple[float, float, float, float]:
        boxes = [
            (n.x - CONCEPT_R, n.y - CONCEPT_R, n.x + CONCEPT_R, n.y + CONCEPT_R) for n in self.nodes
        ]
        boxes += [n.label.box() for n in self.nodes if n.label] or [(0, 0, 0, 0)]
        left = min(b[0] for b in boxes) - MARGIN
        top = min(b[1] for b in boxes) - MARGIN
        right = max(b[2] for b in boxes) + MARGIN
        bottom = max(b[3] for b in boxes) + MARGIN
        return _r(left), _r(top), _r(right - left), _r(bottom - top)


def _r(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0: never "-0.0"


def wrap(text: str, width: int = WRAP) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _beside(x: float, y: float, angle: float, lines: tuple[str, ...], r: float) -> Label:
    """A horizontal label just outside a node at (x, y), on the side ``angle`` points to."""
    cos, sin = math.cos(angle), math.sin(angle)
    height = len(lines) * LINE
    ascent = 0.8 * FONT + (LINE - FONT) / 2
    if abs(cos) >= 0.3:
        anchor = "start" if cos > 0 else "end"
        lx = x + (r + GAP) * (1 if cos > 0 else -1)
        top = y - height / 2
    else:
        anchor, lx = "middle", x
        top = y - r - GAP - height if sin < 0 else y + r + GAP
    return Label(lines, lx, top + ascent, anchor)


def _radial(x: float, y: float, angle: float, name: str, r: float) -> Label:
    """A one-line label along the ray from the circle's centre through the node."""
    cos, sin = math.cos(angle), math.sin(angle)
    lx, ly = x + (r + GAP) * cos, y + (r + GAP) * sin
    degrees = math.degrees(angle)
    if cos >= 0:
        return Label((name,), lx, ly, "start", degrees)
    return Label((name,), lx, ly, "end", degrees - 180)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def circle_order(concepts: list[Concept], essays: list[Essay]) -> list[str]:
    """The concepts around the circle: from the first by name, each next one the
    concept most linked (related, or used by the same essays) to the one before;
    ties, and concepts linked to none left, in the order given."""
    slugs = [c.slug for c in concepts]
    known = set(slugs)
    weight: Counter[tuple[str, str]] = Counter()
    for c in concepts:
        for other in c.related:
            if other in known and other != c.slug:
                weight[c.slug, other] += 3
                weight[other, c.slug] += 3
    for essay in essays:
        used = [s for s in dict.fromkeys(essay.concepts) if s in known]
        for i, a in enumerate(used):
            for b in used[i + 1 :]:
                weight[a, b] += 1
                weight[b, a] += 1
    order = slugs[:1]
    left = slugs[1:]
    while left:
        last = order[-1]
        best = max(left, key=lambda s: weight[last, s])  # the first of the best
        order.append(best)
        left.remove(best)
    return order


def on_ring(items: list[tuple[Concept, float]], radius: float, spacing: float) -> list[Node]:
    """Concepts at their angles (radians) on a ring: labelled horizontally while
    the labels fit (a larger ring helps, up to a point), else along the radii."""

    def place(radius: float, radial: bool) -> list[Node]:
        nodes = []
        for c, angle in items:
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            if radial:
                label = _radial(x, y, angle, c.name, CONCEPT_R)
            else:
                label = _beside(x, y, angle, wrap(c.name), CONCEPT_R)
            nodes.append(Node("concept", c.slug, c.name, c.href, x, y, label))
        return nodes

    for grow in (1.0, 1.2, 1.45, 1.75):
        nodes = place(radius * grow, radial=False)
        boxes = [node.label.box() for node in nodes]
        if not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]):
            return nodes
    return place(max(radius, 1.4 * LINE / spacing), radial=True)


def site_map(concepts: list[Concept], essays: list[Essay]) -> Layout:
    """Every concept on a circle, labelled; every essay inside, near its concepts."""
    layout = Layout()
    if not concepts:
        return layout
    by_slug = {c.slug: c for c in concepts}
    order = circle_order(concepts, essays)
    n = len(order)
    room = math.sqrt(len(essays) * ESSAY_GAP * ESSAY_GAP * 1.3 / math.pi) / 0.7
    radius = max(95.0, n * 2.3 * LINE / (2 * math.pi), room)
    angles = {s: -math.pi / 2 + 2 * math.pi * i / n for i, s in enumerate(order)}

    spacing = 2 * math.pi / n  # the angle between two neighbours
    nodes = on_ring([(by_slug[s], angles[s]) for s in order], radius, spacing)
    layout.nodes.extend(nodes)
    radius = math.hypot(nodes[0].x, nodes[0].y)
    pos = {node.key: (node.x, node.y) for node in nodes}
    for i, s in enumerate(order):
        for other in sorted(set(by_slug[s].related) & set(pos), key=order.index):
            if order.index(other) > i:
                layout.edges.append(("related", s, other))
    placed = _place_essays(essays, pos, radius)
    for essay, (x, y) in zip(essays, placed, strict=True):
        key = f"essay:{essay.docname}"
        layout.nodes.append(Node("essay", key, essay.title, essay.href, x, y))
        for s in dict.fromkeys(essay.concepts):
            if s in pos:
                layout.edges.append(("uses", key, s))
    _round(layout)
    return layout


def _place_essays(essays: list[Essay], pos: dict, radius: float) -> list[tuple[float, float]]:
    """Each essay at the middle of its concepts, drawn in; essays at one spot
    spread as a sunflower; then pushed apart until no two touch."""
    points: list[list[float]] = []
    crowd: Counter[tuple] = Counter()
    for essay in essays:
        used = tuple(sorted({s for s in essay.concepts if s in pos}))
        if used:
            mx = sum(pos[s][0] for s in used) / len(used)
            my = sum(pos[s][1] for s in used) / len(used)
            pull = 0.72 if len(used) == 1 else 0.82
            bx, by = mx * pull, my * pull
        else:
            bx = by = 0.0
        k = crowd[used]
        crowd[used] += 1
        spread = ESSAY_GAP * 0.9 * math.sqrt(k)
        points.append([bx + spread * math.cos(k * GOLDEN), by + spread * math.sin(k * GOLDEN)])
    limit = radius - CONCEPT_R - ESSAY_GAP
    for _ in range(60):
        moved = False
        grid: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(points):
            grid.setdefault((int(x // ESSAY_GAP), int(y // ESSAY_GAP)), []).append(i)
        for i, p in enumerate(points):
            cx, cy = int(p[0] // ESSAY_GAP), int(p[1] // ESSAY_GAP)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for j in grid.get((cx + dx, cy + dy), ()):
                        if j <= i:
                            continue
                        q = points[j]
                        vx, vy = q[0] - p[0], q[1] - p[1]
                        d = math.hypot(vx, vy)
                        if d >= ESSAY_GAP:
                            continue
                        if d < 1e-9:
                            vx, vy, d = math.cos(j * GOLDEN), math.sin(j * GOLDEN), 1.0
                        push = (ESSAY_GAP - d) / 2 / d
                        p[0] -= vx * push
                        p[1] -= vy * push
                        q[0] += vx * push
                        q[1] += vy * push
                        moved = True
        for p in points:
            d = math.hypot(p[0], p[1])
            if d > limit:
                p[0], p[1] = p[0] * limit / d, p[1] * limit / d
        if not moved:
            break
    return [(x, y) for x, y in points]


def local_map(center: Concept, related: list[Concept], essays: list[Essay]) -> Layout:
    """``center`` in the middle, ``related`` on an arc above, ``essays`` on arcs below."""
    layout = Layout()
    ring = 95.0
    # The name under the dot, drawn with a halo over the lines to the essays.
    label = Label(wrap(center.name), 0.0, CONCEPT_R + GAP + 0.8 * FONT + 1.5, halo=True)
    layout.nodes.append(Node("concept", center.slug, center.name, center.href, 0, 0, label))
    k = len(related)
    span = math.radians(min(180, 45 * (k - 1)))  # centred on the top
    angles = [-math.pi / 2 + (span * (i / (k - 1) - 0.5) if k > 1 else 0) for i in range(k)]
    for node in on_ring(list(zip(related, angles, strict=True)), ring, span / max(k - 1, 1)):
        layout.nodes.append(node)
        layout.edges.append(("related", center.slug, node.key))
    row = start = 0
    first = max(75.0, layout.nodes[0].label.box()[3] + ESSAY_GAP)  # below the name
    while start < len(essays):
        radius = first + row * ESSAY_GAP * 1.2
        fits = max(1, int(math.radians(140) * radius // ESSAY_GAP))
        batch = essays[start : start + fits]
        for i, essay in enumerate(batch):
            angle = math.radians(90 if len(batch) == 1 else 160 - 140 * i / (len(batch) - 1))
            key = f"essay:{essay.docname}"
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            layout.nodes.append(Node("essay", key, essay.title, essay.href, x, y))
            layout.edges.append(("uses", key, center.slug))
        start += fits
        row += 1
    _round(layout)
    return layout


def _round(layout: Layout) -> None:
    for node in layout.nodes:
        node.x, node.y = _r(node.x), _r(node.y)
        if node.label:
            node.label.x, node.label.y = _r(node.label.x), _r(node.label.y)
            if node.label.angle is not None:
                node.label.angle = _r(node.label.angle)


def _n(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _a(value: str) -> str:
    return escape(value, quote=True)


def map_svg(layout: Layout, ident: str, title: str, description: str) -> str:
    """``layout`` as an inline ``<svg>`` named by its ``<title>`` (``ident``-title)
    and described by its ``<desc>``; every node a link, concepts first."""
    x, y, w, h = layout.view_box()
    out = [
        f'<svg class="concept-map-svg" viewBox="{_n(x)} {_n(y)} {_n(w)} {_n(h)}" '
        f'width="{_n(w)}" height="{_n(h)}" font-size="{FONT}" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
        f'<title id="{ident}-title">{escape(title, quote=False)}</title>',
        f'<desc id="{ident}-desc">{escape(description, quote=False)}</desc>',
    ]
    pos = {n.key: n for n in layout.nodes}
    for kind in ("uses", "related"):
        lines = []
        for k, a, b in layout.edges:
            if k == kind:
                p, q = pos[a], pos[b]
                lines.append(f'<line x1="{_n(p.x)}" y1="{_n(p.y)}" x2="{_n(q.x)}" y2="{_n(q.y)}"/>')
        if lines:
            out.append(f'<g class="map-{kind}" aria-hidden="true">{"".join(lines)}</g>')
    for node in layout.nodes:
        if node.kind == "concept":
            out.append(_concept_svg(node))
    essays = [n for n in layout.nodes if n.kind == "essay"]
    if essays:
        out.append('<g class="map-essays">')
        for node in essays:
            link = (
                f'href="{_a(node.href)}" class="map-essay essay-ref" aria-label="{_a(node.name)}"'
            )
            dot = f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{_n(ESSAY_R)}"/>'
            out.append(f"<a {link}>{dot}</a>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _concept_svg(node: Node) -> str:
    label = node.label
    parts = [
        f'<a href="{_a(node.href)}" class="map-concept concept-ref">',
        f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{CONCEPT_R}"/>',
    ]
    if label is not None:
        attrs = f'x="{_n(label.x)}" y="{_n(label.y)}" text-anchor="{label.anchor}"'
        if label.angle is not None:
            turn = f"rotate({_n(label.angle)} {_n(label.x)} {_n(label.y)})"
            attrs += f' dy="{_n(FONT * 0.35)}" transform="{turn}"'
        if label.halo:
            attrs += ' class="map-halo"'
        if len(label.lines) == 1:
            parts.append(f"<text {attrs}>{escape(label.lines[0], quote=False)}</text>")
        else:
            spans = "".join(
                f'<tspan x="{_n(label.x)}" dy="{0 if i == 0 else LINE}">'
                f"{escape(line, quote=False)}</tspan>"
                for i, line in enumerate(label.lines)
            )
            parts.append(f"<text {attrs}>{spans}</text>")
    parts.append("</a>")
    return "".join(parts)
