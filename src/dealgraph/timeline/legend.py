"""The key under the picture: a sample of every mark, in three columns."""

from __future__ import annotations

import math
from collections.abc import Callable
from xml.etree.ElementTree import Element

from .lanes import confirmation_mark
from .marks import bar_shape, diamond, gradient, node, text
from .style import ENDED, INK, MUTED, PAD, WHITE, WIDTH

Sample = Callable[[Element], object]  # draws a mark, centred on y = 0, into its parent
COLUMNS, ROW_HEIGHT = 3, 22


def legend(
    parent: Element,
    top: float,
    holders: list[tuple[str, str]],
    colours: dict[str, str],
    fades: dict[str, str],
    confirmations: bool = False,
) -> float:
    """Append the key at *top*; returns its height. *confirmations*: show that mark too."""
    fade = fades.get(MUTED, "fade-legend")
    items = [(f"right held by {label}", _swatch(colours[iri])) for iri, label in holders]
    items += _items(fade)
    if confirmations:
        items.insert(-1, ("confirmed unchanged by a later version", _confirmed))
    key = node(parent, "g", class_="legend-key")
    node(key, "text", "Key", x=PAD, y=top - 8, class_="group")
    gradient(key, fade, MUTED)
    column_width = (WIDTH - 2 * PAD) / COLUMNS
    for i, (label, sample) in enumerate(items):
        x = PAD + (i % COLUMNS) * column_width
        y = top + 10 + (i // COLUMNS) * ROW_HEIGHT
        cell = node(key, "g", transform=f"translate({x:g},{y:g})")
        sample(cell)
        text(cell, 52, 4, label, "legend")
    return math.ceil(len(items) / COLUMNS) * ROW_HEIGHT + 8


def _swatch(colour: str) -> Sample:
    return lambda g: node(g, "rect", x=0, y=-6, width=36, height=12, rx=2, fill=colour)


def _items(fade: str) -> list[tuple[str, Sample]]:
    """The marks every picture has, after the holders' colours."""
    grey = MUTED

    def earliest(g: Element) -> None:
        bar_shape(g, "earliest", 0, 36, 0, grey, fade)
        node(g, "line", x1=36, y1=-11, x2=36, y2=11, stroke=INK, stroke_width=1.5,
             stroke_dasharray="3 2")  # fmt: skip

    def ended(g: Element) -> None:
        node(g, "rect", x=0, y=-6, width=18, height=12, rx=2, fill=grey)
        node(g, "line", x1=18, y1=-10, x2=18, y2=10, stroke=ENDED, stroke_width=3.5)
        node(g, "line", x1=23, y1=0, x2=40, y2=0, stroke=grey, stroke_width=2,
             stroke_dasharray="1 4", stroke_linecap="round")  # fmt: skip

    def striped(g: Element) -> None:
        node(g, "rect", x=0, y=-6, width=18, height=12, rx=2, fill=grey)
        node(g, "rect", x=18, y=-6, width=18, height=12, fill=grey, opacity=0.4)
        node(g, "rect", x=19, y=-6, width=17, height=12, fill="url(#stripes)")

    def stakes(g: Element) -> None:
        node(g, "circle", cx=10, cy=0, r=5.5, fill=grey, stroke=grey, stroke_width=2)
        node(g, "circle", cx=30, cy=0, r=5.5, fill=WHITE, stroke=grey, stroke_width=2)

    return [
        ("agreement, date stated by the sources", lambda g: diamond(g, 18, 0, hollow=False)),
        ("≈ date inferred by the curators (hollow)", lambda g: diamond(g, 18, 0, hollow=True)),
        ("ends on a stated date", lambda g: bar_shape(g, "date", 0, 36, 0, grey, fade)),
        ("runs until an event (AGI): no date",
         lambda g: bar_shape(g, "event", 0, 40, 0, grey, fade)),
        ("event or date, whichever first (dashed: the date)", earliest),
        ("no end stated", lambda g: bar_shape(g, "open", 0, 40, 0, grey, fade)),
        ("ended early by a later agreement (dotted: the stated term)", ended),
        ("striped: granted again on new terms by a later version", striped),
        ("stake (hollow: date inferred by the curators)", stakes),
    ]  # fmt: skip


def _confirmed(g: Element) -> None:
    node(g, "rect", x=0, y=-6, width=36, height=12, rx=2, fill=MUTED)
    confirmation_mark(g, 18, 0, MUTED)
