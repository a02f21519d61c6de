"""The marks of the picture, built as ElementTree elements: escaping is the serialiser's job.

Every function takes the *parent* element to append to. Numbers become attribute text
through :func:`node` only (``%g``: ``12``, ``410.5``), names with ``_`` become ``-``
(``stroke_width`` → ``stroke-width``) and ``class_`` is ``class``.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from ..namespaces import href
from .model import ExpiryKind
from .style import AGREEMENT_INK, GROUP_HEIGHT, PAD, WHITE, WIDTH

Attr = str | int | float


def node(parent: Element | None, tag: str, text: str | None = None, /, **attrs: Attr) -> Element:
    """A *tag* element (appended to *parent* unless None) with *text* and *attrs*."""
    names = {name: name.rstrip("_").replace("_", "-") for name in attrs}
    values = {names[k]: v if isinstance(v, str) else f"{v:g}" for k, v in attrs.items()}
    element = Element(tag, values) if parent is None else SubElement(parent, tag, values)
    element.text = text
    return element


def text(
    parent: Element, x: float, y: float, content: str, cls: str, anchor: str = "start"
) -> Element:
    """A line of text at (*x*, *y*) in the style *cls*."""
    extra = {} if anchor == "start" else {"text_anchor": anchor}
    return node(parent, "text", content, x=x, y=y, class_=cls, **extra)


def title(parent: Element, content: str) -> Element:
    """The tooltip of *parent* (an SVG ``<title>`` child)."""
    return node(parent, "title", content)


def link(parent: Element, iri: str) -> Element:
    """A link to the server's page of *iri*; what it wraps is appended to it."""
    # target _top: inside an <object> on the home page, a link replaces the page, not the object
    return node(parent, "a", href=href(iri), target="_top")


def group_header(parent: Element, y: float, content: str, colour: str = AGREEMENT_INK) -> Element:
    """A tinted band with a coloured edge, naming the rows below it."""
    group = node(parent, "g", class_="group-header")
    height = GROUP_HEIGHT - 4
    node(group, "rect", x=PAD, y=y, width=WIDTH - 2 * PAD, height=height, rx=3,
         fill=colour, fill_opacity=0.09)  # fmt: skip
    node(group, "rect", x=PAD, y=y, width=4, height=height, fill=colour)
    node(group, "text", content, x=PAD + 12, y=y + 16, class_="group", style=f"fill:{colour}")
    return group


def diamond(parent: Element, x: float, y: float, hollow: bool, size: float = 6) -> Element:
    """An agreement's mark: filled when the sources state its date, hollow when inferred."""
    points = f"{x:g},{y - size:g} {x + size:g},{y:g} {x:g},{y + size:g} {x - size:g},{y:g}"
    return node(parent, "polygon", points=points, fill=WHITE if hollow else AGREEMENT_INK,
                stroke=AGREEMENT_INK, stroke_width=1.6)  # fmt: skip


def arrow(parent: Element, x: float, y: float, colour: str, opacity: float = 1.0) -> Element:
    """An arrowhead whose tip is at *x*: the bar goes on past what is drawn."""
    points = f"{x - 10:g},{y - 8:g} {x:g},{y:g} {x - 10:g},{y + 8:g}"
    return node(parent, "polygon", points=points, fill=colour, fill_opacity=opacity)


def gradient(parent: Element, name: str, colour: str) -> Element:
    """A left-to-right fade of *colour*, for bars that run on until an event."""
    fade = node(parent, "linearGradient", id=name, x1=0, x2=1, y1=0, y2=0)
    node(fade, "stop", offset=0, stop_color=colour)
    node(fade, "stop", offset=0.55, stop_color=colour)
    node(fade, "stop", offset=1, stop_color=colour, stop_opacity=0.3)
    return fade


def bar_shape(
    parent: Element, kind: ExpiryKind, x0: float, x1: float, y: float, colour: str, fade: str
) -> None:
    """A bar from *x0* to *x1* centred on *y*, its end drawn after its kind of expiry."""
    top, height = y - 6, 12
    if kind == "date":  # a stated end: a flat end with a tick
        node(parent, "rect", x=x0, y=top, width=max(x1 - x0, 2), height=height,
             rx=2, fill=colour)  # fmt: skip
        node(parent, "line", x1=x1, y1=y - 9, x2=x1, y2=y + 9,
             stroke=colour, stroke_width=3)  # fmt: skip
    elif kind == "open":  # nothing stated: pale, with an arrow
        node(parent, "rect", x=x0, y=top, width=max(x1 - 9 - x0, 2),
             height=height, rx=2, fill=colour, fill_opacity=0.22, stroke=colour,
             stroke_width=1.2)  # fmt: skip
        arrow(parent, x1, y, colour, 0.55)
    else:  # an event (AGI), alone or capped by a date: fades out, runs on until then
        node(parent, "rect", x=x0, y=top, width=max(x1 - 9 - x0, 2),
             height=height, rx=2, fill=f"url(#{fade})")  # fmt: skip
        arrow(parent, x1, y, colour)
