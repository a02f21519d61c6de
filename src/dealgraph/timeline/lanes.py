"""The rows of the picture: an agreement version, a right's bar, a holder's stakes.

Each function appends one row (a ``<g>`` whose ``data-*`` attributes say what was drawn
where, for tests and scripts) to its parent element.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .marks import bar_shape, diamond, link, node, text, title
from .model import ExpiryKind, Milestone, RightBar, StakePoint, short_name
from .scale import Scale
from .style import ENDED, INK, LABEL_WIDTH, PAD, PLOT_RIGHT, RIGHT_ROW, WHITE, WIDTH, ZEBRA
from .text import text_width, when, wrap


def name_cell(parent: Element, iri: str, label: str, y: float, height: float, tip: str) -> None:
    """The left column: a linked name in one or two lines, centred in its row."""
    lines = wrap(label, 12, LABEL_WIDTH - 8)
    first = y + height / 2 + 4 - (len(lines) - 1) * 7
    cell = node(link(parent, iri), "text", class_="name")
    title(cell, tip)
    for i, line in enumerate(lines):
        node(cell, "tspan", line, x=PAD + 8, y=first + i * 14)


def agreement_row(
    parent: Element, scale: Scale, milestone: Milestone, y: float, height: float
) -> Element:
    """An agreement version: its name, and a diamond at its date (hollow when inferred)."""
    x, cy = scale.x(milestone.date), y + height / 2
    stated = when(milestone.date, milestone.precision, milestone.inferred)
    note = stated + (" · non-binding" if milestone.binding is False else "")
    lines = (
        milestone.label,
        f"Date: {stated}" + (" (inferred by the curators)" if milestone.inferred else ""),
        milestone.basis,
        f"Parties: {milestone.parties}" if milestone.parties else "",
    )
    tip = "\n".join(line for line in lines if line)
    row = node(parent, "g", class_="agreement", data_iri=milestone.iri, data_x=x,
               data_inferred=str(milestone.inferred).lower())  # fmt: skip
    name_cell(row, milestone.iri, milestone.label, y, height, tip)
    mark = node(link(row, milestone.iri), "g")
    title(mark, tip)
    diamond(mark, x, cy, milestone.inferred)
    text(mark, x + 11, cy + 4, note, "note halo")
    return row


def right_row(
    parent: Element, scale: Scale, bar: RightBar, y: float, colour: str, fade: str, zebra: bool
) -> Element:
    """A right: its name, its stated expiry above a bar over its time in force."""
    x0, x1 = scale.x(bar.start), _bar_end(scale, bar)
    row = node(parent, "g", class_="right-row", data_iri=bar.iri, data_expiry=bar.expiry.kind,
               data_x0=x0, data_x1=x1)  # fmt: skip
    if zebra:
        node(row, "rect", x=PAD, y=y, width=WIDTH - 2 * PAD, height=RIGHT_ROW, fill=ZEBRA,
             fill_opacity=0.7)  # fmt: skip
    tip = tooltip(bar)
    name_cell(row, bar.iri, bar.label, y, RIGHT_ROW, tip)
    drawn = node(link(row, bar.iri), "g", class_="right")
    title(drawn, tip)
    # the stated expiry, above the bar (it may run past the bar's end: the row is its own)
    note = expiry_note(bar)
    text(drawn, min(x0 + 1, WIDTH - PAD - text_width(note, 11)), y + 11, note, "note halo")
    cy = y + 23
    stop = scale.x(bar.stop) if bar.stop else None
    capped = bar.expiry.kind == "earliest" and bar.expiry.date is not None
    ended = bar.ended_by is not None and stop is not None
    if capped and ended:  # under the "ended by" note, which may run across it
        _cap(drawn, x1, cy)
    if bar.ended_by and stop is not None:
        # cut where the right left force; its stated term stays, dotted
        cut = max(stop, x0 + 3)
        _ended(drawn, bar, x0, x1, cut, cy, colour, fade)
        row.set("data-cut", f"{cut:g}")
        row.set("data-ended-by", bar.ended_by.iri)
    elif bar.superseded_by and stop is not None and stop < x1:
        # granted again on new terms: the old version is striped from the new one's start
        clip = node(drawn, "clipPath", id=f"new-{short_name(bar.iri)}")
        node(clip, "rect", x=x0 - 1, y=cy - 12, width=stop - x0 + 1, height=24)
        bar_shape(node(drawn, "g", opacity=0.4), bar.expiry.kind, x0, x1, cy, colour, fade)
        clipped = node(drawn, "g", clip_path=f"url(#new-{short_name(bar.iri)})")
        bar_shape(clipped, bar.expiry.kind, x0, x1, cy, colour, fade)
        node(drawn, "rect", x=stop + 1, y=cy - 6, width=max(x1 - 10 - stop, 1), height=12,
             fill="url(#stripes)")  # fmt: skip
    else:
        bar_shape(drawn, _end_kind(bar), x0, x1, cy, colour, fade)
    if capped and not ended:
        _cap(drawn, x1, cy)
    for ref in bar.confirmed_by:  # later versions that kept it unchanged: a notch each
        if ref.date and x0 < scale.x(ref.date) < (stop or x1):
            confirmation_mark(drawn, scale.x(ref.date), cy, colour)
    return row


def _cap(parent: Element, x: float, cy: float) -> None:
    """The date cap of an earliest-of expiry: the latest the right can run."""
    node(parent, "line", x1=x, y1=cy - 11, x2=x, y2=cy + 11, stroke=INK, stroke_width=1.5,
         stroke_dasharray="3 2")  # fmt: skip


def _ended(
    drawn: Element, bar: RightBar, x0: float, x1: float, cut: float, cy: float, colour: str,
    fade: str,
) -> None:  # fmt: skip
    """The bar up to *cut*, a red stop there, and what ended it; the rest of its term dotted."""
    ended = f"ended by {bar.ended_by.label}" if bar.ended_by else "ended"
    text_end = cut + 7 + text_width(ended, 11)
    if text_end + 12 < x1:
        node(drawn, "line", x1=text_end + 6, y1=cy, x2=x1, y2=cy, stroke=colour,
             stroke_opacity=0.6, stroke_width=2, stroke_dasharray="1 4",
             stroke_linecap="round")  # fmt: skip
    clip = node(drawn, "clipPath", id=f"cut-{short_name(bar.iri)}")
    node(clip, "rect", x=x0 - 1, y=cy - 12, width=cut - x0 + 1, height=24)
    clipped = node(drawn, "g", clip_path=f"url(#cut-{short_name(bar.iri)})")
    bar_shape(clipped, bar.expiry.kind, x0, x1, cy, colour, fade)
    node(drawn, "line", x1=cut, y1=cy - 10, x2=cut, y2=cy + 10, stroke=ENDED, stroke_width=3.5)
    text(drawn, cut + 7, cy + 4, ended, "ended halo")


def confirmation_mark(parent: Element, x: float, y: float, colour: str) -> Element:
    """A small hollow diamond on a bar: an agreement version confirmed the right unchanged."""
    size = 4.5
    points = f"{x:g},{y - size:g} {x + size:g},{y:g} {x:g},{y + size:g} {x - size:g},{y:g}"
    return node(parent, "polygon", class_="confirmed", points=points, fill=WHITE, stroke=colour,
                stroke_width=1.4)  # fmt: skip


def stake_row(
    parent: Element, scale: Scale, stakes: list[StakePoint], y: float, colour: str, zebra: bool
) -> Element:
    """A holder's stakes: one point each, joined by a line, labelled with the figure."""
    cy = y + RIGHT_ROW / 2
    issuers = " / ".join(dict.fromkeys(s.issuer_label for s in stakes if s.issuer_label))
    name = f"{stakes[0].holder_label}’s stake in {issuers}" if issuers else "Stake"
    row = node(parent, "g", class_="stakes")
    if zebra:
        node(row, "rect", x=PAD, y=y, width=WIDTH - 2 * PAD, height=RIGHT_ROW, fill=ZEBRA,
             fill_opacity=0.7)  # fmt: skip
    cell = node(link(row, stakes[0].iri), "text", class_="name", x=PAD + 8, y=cy + 4)
    title(cell, name).tail = name
    xs = [scale.x(s.date) for s in stakes]
    if len(xs) > 1:
        node(row, "polyline", points=" ".join(f"{x:g},{cy:g}" for x in xs), fill="none",
             stroke=colour, stroke_width=1.5, stroke_opacity=0.6)  # fmt: skip
    previous_issuer = ""
    for i, (stake, x) in enumerate(zip(stakes, xs, strict=True)):
        label = stake.text
        if stake.issuer_label and stake.issuer_label != previous_issuer:
            label += f" of {stake.issuer_label}"
        previous_issuer = stake.issuer_label
        if stake.reported:
            label += " (reported)"
        # labels to the right, unless the next point is in the way: then to the left
        crowded = i + 1 < len(xs) and x + 10 + text_width(label, 12) > xs[i + 1] - 8
        anchor, lx = ("end", x - 9) if crowded else ("start", x + 9)
        stated = when(stake.date, stake.precision, stake.inferred)
        point = node(link(row, stake.iri), "g", class_="stake-point")
        title(point, f"{stake.label}\nDate: {stated}"
              + (" (inferred by the curators)" if stake.inferred else ""))  # fmt: skip
        node(point, "circle", cx=x, cy=cy, r=5.5, fill=WHITE if stake.inferred else colour,
             stroke=colour, stroke_width=2)  # fmt: skip
        text(point, lx, cy + 4, label, "stake halo", anchor)
    return row


def _end_kind(bar: RightBar) -> ExpiryKind:
    """How the bar's end is drawn: after its expiry, or flat where the graph ends it."""
    if bar.stop and bar.expiry.kind in ("event", "open"):
        return "date"  # a stated last day in force, though the expiry names no date
    return bar.expiry.kind


def _bar_end(scale: Scale, bar: RightBar) -> float:
    """Where the bar's stated term ends (past the axis when it names no date)."""
    if bar.stop and not bar.ended_by and not bar.superseded_by:
        return scale.x(bar.stop)  # its last day in force is its stated end
    end = bar.expiry.end
    if bar.expiry.kind in ("date", "earliest") and end:
        return scale.x(end)
    return PLOT_RIGHT + 10


def expiry_note(bar: RightBar) -> str:
    """The stated expiry as written above a bar: "until 2030", "AGI or 2030, …"."""
    if bar.expiry.kind in ("date", "event"):
        return f"until {bar.expiry.label}"
    return bar.expiry.label


def tooltip(bar: RightBar) -> str:
    """Everything the bar stands for, one fact a line."""
    lines = [
        bar.label,
        f"{bar.kind[:1].upper()}{bar.kind[1:]} held by {bar.holder_label}"
        + (f", granted by {bar.grantor_label}" if bar.grantor_label else ""),
    ]
    if bar.granted_by:
        granted = bar.granted_by
        stated = when(granted.date, granted.precision, granted.inferred)
        lines.append(f"Granted by: {granted.label} ({stated})")
    else:  # the graph knows it only from later versions that confirmed it
        lines.append(f"In force from: {when(bar.start, 'day')}")
    if bar.confirmed_by:
        confirmed = "; ".join(f"{r.label} ({when(r.date, r.precision, r.inferred)})"
                              for r in bar.confirmed_by)  # fmt: skip
        lines.append(f"Confirmed unchanged by: {confirmed}")
    lines.append(f"Stated expiry: {bar.expiry.label}")
    if bar.ended_by:
        lines.append(f"Actually ended by: {bar.ended_by.label}")
    if bar.superseded_by:
        lines.append(f"Granted again on new terms: {bar.superseded_by.label}")
    return "\n".join(lines)
