"""The timeline as one self-contained SVG document (no external fonts, scripts or styles).

The document is an ElementTree: labels from the graph go in as element text or attribute
values and the serialiser escapes them, so no string of the data is ever markup.
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element, tostring

from .lanes import agreement_row, right_row, stake_row
from .legend import legend
from .marks import gradient, group_header, node, text, title
from .model import Milestone, Timeline
from .scale import Scale
from .style import (
    AGREEMENT_INK,
    AGREEMENT_ROW,
    GRID,
    GROUP_HEIGHT,
    LABEL_WIDTH,
    PAD,
    PALETTE,
    RIGHT_ROW,
    STYLE,
    WHITE,
    WIDTH,
)
from .text import count, wrap

SVG_NS = "http://www.w3.org/2000/svg"
AXIS_TOP, BODY_TOP = 72, 80
SUBTITLE = (
    "Bars run from the day a right comes into force to its stated expiry or actual end. "
    "Hover for details; click a name to open its page."
)


def render_svg(timeline: Timeline) -> str:
    """The timeline as a self-contained SVG, 1200 px wide: agreements, then rows per holder."""
    holders = timeline.holders()
    colours = {iri: PALETTE[i % len(PALETTE)] for i, (iri, _) in enumerate(holders)}
    fades = {colour: f"fade{i}" for i, colour in enumerate(dict.fromkeys(colours.values()))}
    heading = (" – ".join(label for _, label in holders) or "Deals") + (
        ": agreements, rights and stakes over time"
    )
    root = node(None, "svg", xmlns=SVG_NS, width=WIDTH, height=0, viewBox="",
                role="img", aria_labelledby="timeline-title")  # fmt: skip
    node(root, "title", heading, id="timeline-title")
    node(root, "style", STYLE)
    defs = node(root, "defs")
    for colour, name in fades.items():
        gradient(defs, name, colour)
    # white stripes over a faded bar: a later version took its place
    stripes = node(defs, "pattern", id="stripes", width=5, height=5,
                   patternUnits="userSpaceOnUse", patternTransform="rotate(45)")  # fmt: skip
    node(stripes, "line", x1=0, y1=0, x2=0, y2=5, stroke=WHITE, stroke_width=2)
    background = node(root, "rect", width=WIDTH, height=0, fill=WHITE)
    text(root, PAD, 28, heading, "title")
    text(root, PAD, 47, SUBTITLE, "sub")

    scale = Scale(timeline.first_year, timeline.last_year)
    grid = node(root, "g", class_="grid")  # filled once the rows' height is known
    axis_bottom, guides = _rows(root, scale, timeline, colours, fades)
    _grid(grid, scale, timeline, axis_bottom, guides)

    legend_top = axis_bottom + 42
    confirmations = any(bar.confirmed_by for bar in timeline.rights)
    height = legend(root, legend_top, holders, colours, fades, confirmations)
    total = legend_top + height + PAD
    root.set("height", f"{total:g}")
    root.set("viewBox", f"0 0 {WIDTH} {total:g}")
    background.set("height", f"{total:g}")
    root.text = "\n"
    for child in root:  # one top-level element a line; nothing inside text is touched
        child.tail = "\n"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _rows(
    root: Element,
    scale: Scale,
    timeline: Timeline,
    colours: dict[str, str],
    fades: dict[str, str],
) -> tuple[float, list[tuple[float, Milestone]]]:
    """Append the agreement rows, then each holder's rights and stakes; returns where the
    rows end and the x of every agreement (for its guide line)."""
    y: float = BODY_TOP
    guides: list[tuple[float, Milestone]] = []
    # agreement versions: one row each, so dates a month apart stay legible
    group_header(root, y, "Agreement versions")
    y += GROUP_HEIGHT
    for milestone in timeline.milestones:
        lines = len(wrap(milestone.label, 12, LABEL_WIDTH - 8))
        height = AGREEMENT_ROW + 10 * max(lines - 1, 0)
        agreement_row(root, scale, milestone, y, height)
        guides.append((scale.x(milestone.date), milestone))
        y += height

    for holder, holder_label in timeline.holders():
        colour = colours[holder]
        y += 6
        rights = [b for b in timeline.rights if b.holder == holder]
        stakes = [s for s in timeline.stakes if s.holder == holder]
        counts = [count(len(rights), "right"), count(len(stakes), "stake")]
        group_header(root, y, f"Held by {holder_label} · " + ", ".join(c for c in counts if c),
                     colour)  # fmt: skip
        y += GROUP_HEIGHT
        for i, bar in enumerate(rights):
            right_row(root, scale, bar, y, colour, fades[colour], zebra=i % 2 == 1)
            y += RIGHT_ROW
        if stakes:
            stake_row(root, scale, stakes, y, colour, zebra=len(rights) % 2 == 1)
            y += RIGHT_ROW
    return y + 4, guides


def _grid(
    grid: Element,
    scale: Scale,
    timeline: Timeline,
    bottom: float,
    guides: list[tuple[float, Milestone]],
) -> None:
    """Year lines labelled above and below, and a dashed guide down from each agreement."""
    for year in range(timeline.first_year, timeline.last_year + 1):
        x = scale.x(date(year, 1, 1))
        node(grid, "line", x1=x, y1=AXIS_TOP - 8, x2=x, y2=bottom, stroke=GRID, stroke_width=1)
        text(grid, x, AXIS_TOP - 12, str(year), "year")
        text(grid, x, bottom + 14, str(year), "year")
    for x, milestone in guides:  # agreement dates, down through the rights they grant
        guide = node(grid, "line", x1=x, y1=AXIS_TOP, x2=x, y2=bottom, stroke=AGREEMENT_INK,
                     stroke_opacity=0.28, stroke_dasharray="2 3")  # fmt: skip
        title(guide, milestone.label)
