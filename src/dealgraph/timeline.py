"""A timeline picture of the deal: agreement versions, rights as bars, stakes as points.

Two steps, kept apart so the command line and the web server share everything but the
querying. The caller runs the SPARQL strings of :data:`QUERIES` (on a local store, or through
the server's worker pool) and passes their SPARQL JSON rows to :func:`timeline_data`, which
makes a :class:`Timeline` of plain dataclasses; :func:`render_svg` draws that as one
self-contained SVG (no external fonts, scripts or styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from .namespaces import INSTANCE_BASE

Rows = list[dict[str, dict[str, str]]]  # SPARQL JSON bindings: variable -> {type, value, …}
ExpiryKind = Literal["date", "event", "earliest", "open"]

DG = "https://w3id.org/dealgraph/ontology#"
_PROLOGUE = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_EN = 'FILTER(LANGMATCHES(LANG({0}), "en"))'

QUERIES: dict[str, str] = {
    "agreements": _PROLOGUE
    + f"""
SELECT ?agreement ?label ?date ?precision ?inferred ?basis ?binding
       (GROUP_CONCAT(DISTINCT ?partyLabel; separator=", ") AS ?parties)
WHERE {{
  ?agreement a/rdfs:subClassOf* dg:Agreement ; dg:date ?date .
  OPTIONAL {{ ?agreement rdfs:label ?label {_EN.format("?label")} }}
  OPTIONAL {{ ?agreement dg:datePrecision ?precision }}
  OPTIONAL {{ ?agreement dg:dateIsInferred ?inferred }}
  OPTIONAL {{ ?agreement dg:dateBasis ?basis {_EN.format("?basis")} }}
  OPTIONAL {{ ?agreement dg:isBinding ?binding }}
  OPTIONAL {{ ?agreement dg:party/rdfs:label ?partyLabel {_EN.format("?partyLabel")} }}
}}
GROUP BY ?agreement ?label ?date ?precision ?inferred ?basis ?binding
ORDER BY ?date ?agreement""",
    "rights": _PROLOGUE
    + f"""
SELECT DISTINCT ?right ?label ?kind ?holder ?holderLabel ?grantorLabel ?agreement ?expiry
                ?endedBy ?supersededBy
WHERE {{
  ?right a/rdfs:subClassOf* dg:Right ; dg:holder ?holder ; dg:grantedBy ?agreement .
  OPTIONAL {{ ?right rdfs:label ?label {_EN.format("?label")} }}
  OPTIONAL {{ ?holder rdfs:label ?holderLabel {_EN.format("?holderLabel")} }}
  OPTIONAL {{ ?right dg:grantor/rdfs:label ?grantorLabel {_EN.format("?grantorLabel")} }}
  OPTIONAL {{ ?right dg:expiryCondition ?expiry }}
  OPTIONAL {{ ?right dg:endedBy ?endedBy }}
  OPTIONAL {{ ?right dg:supersededBy ?supersededBy }}
  OPTIONAL {{
    ?right a ?class . ?class rdfs:subClassOf+ dg:Right ; rdfs:label ?kind {_EN.format("?kind")}
    FILTER NOT EXISTS {{ ?right a ?sub . ?sub rdfs:subClassOf+ ?class FILTER(?sub != ?class) }}
  }}
}}
ORDER BY ?right""",
    "triggers": _PROLOGUE
    + f"""
SELECT DISTINCT ?trigger ?type ?label ?date ?combination ?member
WHERE {{
  VALUES ?type {{ dg:DateTrigger dg:EventTrigger dg:CompositeTrigger dg:OpenEndedTrigger }}
  ?trigger a ?type .
  OPTIONAL {{ ?trigger rdfs:label ?label {_EN.format("?label")} }}
  OPTIONAL {{ ?trigger dg:date ?date }}
  OPTIONAL {{ ?trigger dg:combination ?combination }}
  OPTIONAL {{ ?trigger dg:member ?member }}
}}
ORDER BY ?trigger ?member""",
    "stakes": _PROLOGUE
    + f"""
SELECT DISTINCT ?stake ?label ?holder ?holderLabel ?issuerLabel ?percentage ?qualifier
                ?certainty ?date ?precision ?inferred
WHERE {{
  ?stake a/rdfs:subClassOf* dg:Stake ; dg:holder ?holder ; dg:percentage ?percentage ;
         dg:date ?date .
  OPTIONAL {{ ?stake rdfs:label ?label {_EN.format("?label")} }}
  OPTIONAL {{ ?holder rdfs:label ?holderLabel {_EN.format("?holderLabel")} }}
  OPTIONAL {{ ?stake dg:stakeIn/rdfs:label ?issuerLabel {_EN.format("?issuerLabel")} }}
  OPTIONAL {{ ?stake dg:qualifier ?qualifier }}
  OPTIONAL {{ ?stake dg:certainty ?certainty }}
  OPTIONAL {{ ?stake dg:datePrecision ?precision }}
  OPTIONAL {{ ?stake dg:dateIsInferred ?inferred }}
}}
ORDER BY ?date ?stake""",
}


# --- the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """An agreement version at its date."""

    iri: str
    label: str
    date: date
    precision: str = "day"  # year, month or day: how much of the date the sources state
    inferred: bool = False  # the date is the curators' inference, not the sources'
    basis: str = ""
    binding: bool | None = None
    parties: str = ""


@dataclass(frozen=True)
class Ref:
    """A node another one points to (the agreement that ended a right, its later version)."""

    iri: str
    label: str
    date: date | None = None
    inferred: bool = False
    precision: str = "day"


@dataclass(frozen=True)
class Expiry:
    """A right's stated expiry: a date, an event (AGI), the earliest of both, or none stated."""

    iri: str
    kind: ExpiryKind
    label: str
    date: date | None = None  # the end date, or the date cap of an earliest-of


@dataclass(frozen=True)
class RightBar:
    """A right, drawn from its granting agreement's date to its stated (or actual) end."""

    iri: str
    label: str
    kind: str  # the most specific class's label, e.g. "right of first refusal"
    holder: str
    holder_label: str
    grantor_label: str
    granted_by: Ref  # its date is where the bar starts
    expiry: Expiry
    ended_by: Ref | None = None  # a later agreement that actually ended it
    superseded_by: Ref | None = None  # the later version of the right; date: when granted

    @property
    def start(self) -> date:
        return self.granted_by.date or date.min


@dataclass(frozen=True)
class StakePoint:
    """A holder's stake in a company, at a date."""

    iri: str
    label: str
    holder: str
    holder_label: str
    issuer_label: str
    percentage: float
    date: date
    approximate: bool = False
    reported: bool = False  # reported by the press, not officially announced
    inferred: bool = False
    precision: str = "day"

    @property
    def text(self) -> str:
        """ "49 %", "~27 %": the figure as the sources give it."""
        return f"{'~' if self.approximate else ''}{self.percentage:g} %"


@dataclass
class Timeline:
    """Everything the picture shows, in plain values."""

    milestones: list[Milestone] = field(default_factory=list)
    rights: list[RightBar] = field(default_factory=list)
    stakes: list[StakePoint] = field(default_factory=list)
    first_year: int = 2019
    last_year: int = 2033

    def holders(self) -> list[tuple[str, str]]:
        """(IRI, label) of every holder of a right or stake, by label."""
        found = {r.holder: r.holder_label for r in self.rights}
        found.update({s.holder: s.holder_label for s in self.stakes if s.holder not in found})
        return sorted(found.items(), key=lambda item: (item[1].casefold(), item[0]))


def _value(row: dict[str, dict[str, str]], name: str, default: str = "") -> str:
    return row[name]["value"] if name in row else default


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _precision(row: dict[str, dict[str, str]]) -> str:
    iri = _value(row, "precision")
    return iri.removeprefix(DG).removesuffix("Precision").lower() if iri else "day"


def _true(row: dict[str, dict[str, str]], name: str) -> bool:
    return _value(row, name).strip().lower() in ("true", "1")


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def timeline_data(agreements: Rows, rights: Rows, triggers: Rows, stakes: Rows) -> Timeline:
    """The :class:`Timeline` from the rows of the four :data:`QUERIES` (SPARQL JSON bindings)."""
    milestones: dict[str, Milestone] = {}
    for row in agreements:
        iri, when = _value(row, "agreement"), _date(_value(row, "date"))
        if iri in milestones or when is None:
            continue
        binding = _value(row, "binding")
        milestones[iri] = Milestone(
            iri=iri,
            label=_value(row, "label") or _short(iri),
            date=when,
            precision=_precision(row),
            inferred=_true(row, "inferred"),
            basis=_value(row, "basis"),
            binding=None if not binding else _true(row, "binding"),
            parties=_value(row, "parties"),
        )

    expiries = _expiries(triggers)
    first_rows: dict[str, dict[str, dict[str, str]]] = {}
    for row in rights:  # optional patterns may repeat a right: its first row holds
        first_rows.setdefault(_value(row, "right"), row)

    def ref(iri: str) -> Ref:
        found = milestones.get(iri)
        if found is None:
            return Ref(iri, _short(iri))
        return Ref(iri, found.label, found.date, found.inferred, found.precision)

    bars = []
    for iri, row in first_rows.items():
        granted_by = ref(_value(row, "agreement"))
        if granted_by.date is None:
            continue  # nowhere to start the bar
        later = _value(row, "supersededBy")
        superseded_by = None
        if later in first_rows:
            later_agreement = ref(_value(first_rows[later], "agreement"))
            label = _value(first_rows[later], "label") or _short(later)
            superseded_by = Ref(later, label, later_agreement.date, later_agreement.inferred)
        expiry_iri = _value(row, "expiry")
        bars.append(
            RightBar(
                iri=iri,
                label=_value(row, "label") or _short(iri),
                kind=_value(row, "kind", "right"),
                holder=_value(row, "holder"),
                holder_label=_value(row, "holderLabel") or _short(_value(row, "holder")),
                grantor_label=_value(row, "grantorLabel"),
                granted_by=granted_by,
                expiry=expiries.get(expiry_iri, Expiry(expiry_iri, "open", "No end stated")),
                ended_by=ref(_value(row, "endedBy")) if "endedBy" in row else None,
                superseded_by=superseded_by,
            )
        )
    bars.sort(key=lambda b: (b.holder_label, b.start, _end_order(b), b.label))

    points = []
    for row in stakes:
        when = _date(_value(row, "date"))
        try:
            percentage = float(_value(row, "percentage"))
        except ValueError:
            continue
        if when is None or any(p.iri == _value(row, "stake") for p in points):
            continue
        points.append(
            StakePoint(
                iri=_value(row, "stake"),
                label=_value(row, "label") or _short(_value(row, "stake")),
                holder=_value(row, "holder"),
                holder_label=_value(row, "holderLabel") or _short(_value(row, "holder")),
                issuer_label=_value(row, "issuerLabel"),
                percentage=percentage,
                date=when,
                approximate=_value(row, "qualifier") == DG + "Approximate",
                reported=_value(row, "certainty") == DG + "Reported",
                inferred=_true(row, "inferred"),
                precision=_precision(row),
            )
        )

    timeline = Timeline(sorted(milestones.values(), key=lambda m: (m.date, m.label)), bars, points)
    years = [m.date.year for m in timeline.milestones] + [p.date.year for p in points]
    years += [b.expiry.date.year for b in bars if b.expiry.date]
    if years:  # the usual 2019–2033 window, widened when the data reach outside it
        timeline.first_year = min(timeline.first_year, *years)
        timeline.last_year = max(timeline.last_year, max(years) + 1)
    return timeline


def _end_order(bar: RightBar) -> tuple[int, date]:
    """Sort key within a start date: dated ends first, then earliest-of, events, none stated."""
    rank = {"date": 0, "earliest": 1, "event": 2, "open": 3}[bar.expiry.kind]
    return rank, bar.expiry.date or date.max


def _expiries(triggers: Rows) -> dict[str, Expiry]:
    """Each trigger as an :class:`Expiry`; composites resolved through their members."""
    kinds: dict[str, str] = {}
    labels: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    combos: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for row in triggers:
        iri = _value(row, "trigger")
        kinds[iri] = _value(row, "type").removeprefix(DG)
        labels.setdefault(iri, _value(row, "label"))
        dates.setdefault(iri, _date(_value(row, "date")))
        combos.setdefault(iri, _value(row, "combination").removeprefix(DG))
        if "member" in row and _value(row, "member") not in members.setdefault(iri, []):
            members[iri].append(_value(row, "member"))

    def resolve(iri: str, seen: frozenset[str] = frozenset()) -> tuple[ExpiryKind, date | None]:
        kind = kinds.get(iri)
        if kind == "DateTrigger" and dates.get(iri):
            return "date", dates[iri]
        if kind == "EventTrigger":
            return "event", None
        if kind != "CompositeTrigger" or iri in seen:
            return "open", None
        parts = [resolve(m, seen | {iri}) for m in members.get(iri, [])]
        capped = [d for k, d in parts if d is not None and k in ("date", "earliest")]
        events = any(k in ("event", "earliest") for k, _ in parts)
        if combos.get(iri) == "LatestOf":  # ends at the last: any open member leaves it open
            if not events and capped and all(k == "date" for k, _ in parts):
                return "date", max(capped)
            return ("event" if events else "open"), None
        if capped:  # earliest-of: the first date caps it; an event may end it sooner
            return ("earliest" if events else "date"), min(capped)
        return ("event" if events else "open"), None

    result = {}
    for iri in kinds:
        kind, when = resolve(iri)
        result[iri] = Expiry(iri, kind, labels.get(iri) or _short(iri), when)
    return result


# --- the picture -----------------------------------------------------------------------

WIDTH = 1200
PAD = 16
LABEL_WIDTH = 356  # the left column: names of agreements, rights and stakes
PLOT_LEFT = PAD + LABEL_WIDTH + 24
PLOT_RIGHT = WIDTH - 44  # room on the right for the arrows of open-ended bars
GROUP_HEIGHT = 28
AGREEMENT_ROW = 22  # 32 when the name takes two lines
RIGHT_ROW = 34
FONT = "'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif"
INK, MUTED, GRID, ENDED = "#1d2330", "#5d6677", "#e3e7ee", "#c0362c"
AGREEMENT_INK = "#14213d"
PALETTE = ["#1f6fd1", "#0e9f77", "#9b51e0", "#d97706", "#db2777"]  # by holder, in label order
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_STYLE = f"""
text {{ font-family: {FONT}; fill: {INK}; }}
.title {{ font-size: 17px; font-weight: 700; }}
.sub {{ font-size: 12px; fill: {MUTED}; }}
.year {{ font-size: 11px; fill: {MUTED}; text-anchor: middle; }}
.group {{ font-size: 13px; font-weight: 700; }}
.name {{ font-size: 12px; }}
.note {{ font-size: 11px; fill: {MUTED}; }}
.ended {{ font-size: 11px; fill: {ENDED}; font-weight: 600; }}
.stake {{ font-size: 12px; font-weight: 700; }}
.halo {{ paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }}
.legend {{ font-size: 11.5px; }}
a:hover text {{ text-decoration: underline; }}
"""


def _text_width(text: str, size: float) -> float:
    """A generous estimate of *text*'s width in a sans-serif font, for layout without fonts."""
    em = 0.0
    for ch in text:
        if ch in "ijl.,:;'’!|":
            em += 0.28
        elif ch in " ()[]ft-/r":
            em += 0.36
        elif ch in "mwMW%@–—":
            em += 0.9
        elif ch.isupper():
            em += 0.7
        else:
            em += 0.58
    return em * size * 0.94


def _wrap(text: str, size: float, width: float, lines: int = 2) -> list[str]:
    """*text* in at most *lines* lines of *width*, the last one cut with "…" if need be."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and _text_width(f"{line} {words[0]}", size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:  # what does not fit is in the tooltip
        last = out[-1]
        while last and _text_width(last + " …", size) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        out[-1] = last + " …"
    return out


def _href(iri: str) -> str:
    """The server's page of an instance IRI (``/id/…``); other IRIs as they are."""
    return "/id/" + iri.removeprefix(INSTANCE_BASE) if iri.startswith(INSTANCE_BASE) else iri


def _link(iri: str, body: str) -> str:
    # target _top: inside an <object> on the home page, a link replaces the page, not the object
    return f'<a href={quoteattr(_href(iri))} target="_top">{body}</a>'


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _when(when: date | None, precision: str, inferred: bool = False) -> str:
    """A date as precisely as the sources give it: "2019", "≈ Jun 2024", "3 Oct 2025"."""
    if when is None:
        return "?"
    text = {"year": f"{when.year}", "month": f"{MONTHS[when.month - 1]} {when.year}"}.get(
        precision, f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    )
    return f"≈ {text}" if inferred else text


class _Svg:
    """Collects SVG elements; x positions come from dates on the timeline's year scale."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.parts: list[str] = []
        years = timeline.last_year - timeline.first_year
        self.per_year = (PLOT_RIGHT - PLOT_LEFT) / max(years, 1)

    def x(self, when: date) -> float:
        start = date(when.year, 1, 1)
        days = (date(when.year + 1, 1, 1) - start).days
        fraction = when.year - self.timeline.first_year + (when - start).days / days
        return round(PLOT_LEFT + fraction * self.per_year, 1)

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)

    def text(self, x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
        extra = "" if anchor == "start" else f' text-anchor="{anchor}"'
        return f'<text x="{x:g}" y="{y:g}" class="{cls}"{extra}>{escape(text)}</text>'


def _diamond(x: float, y: float, hollow: bool, size: float = 6) -> str:
    points = f"{x:g},{y - size:g} {x + size:g},{y:g} {x:g},{y + size:g} {x - size:g},{y:g}"
    fill = "#ffffff" if hollow else AGREEMENT_INK
    return f'<polygon points="{points}" fill="{fill}" stroke="{AGREEMENT_INK}" stroke-width="1.6"/>'


def _arrow(x: float, y: float, colour: str, opacity: float = 1.0) -> str:
    """An arrowhead whose tip is at *x*: the bar goes on past what is drawn."""
    points = f"{x - 10:g},{y - 8:g} {x:g},{y:g} {x - 10:g},{y + 8:g}"
    return f'<polygon points="{points}" fill="{colour}" fill-opacity="{opacity:g}"/>'


def _bar_shape(kind: ExpiryKind, x0: float, x1: float, y: float, colour: str, fade: str) -> str:
    """A bar from *x0* to *x1* centred on *y*, its end drawn after its kind of expiry."""
    top, height = y - 6, 12
    if kind == "date":  # a stated end: a flat end with a tick
        return (
            f'<rect x="{x0:g}" y="{top:g}" width="{max(x1 - x0, 2):g}" height="{height}" '
            f'rx="2" fill="{colour}"/>'
            f'<line x1="{x1:g}" y1="{y - 9:g}" x2="{x1:g}" y2="{y + 9:g}" stroke="{colour}" '
            'stroke-width="3"/>'
        )
    if kind == "open":  # nothing stated: pale, with an arrow
        return (
            f'<rect x="{x0:g}" y="{top:g}" width="{max(x1 - 9 - x0, 2):g}" height="{height}" '
            f'rx="2" fill="{colour}" fill-opacity="0.22" stroke="{colour}" stroke-width="1.2"/>'
            + _arrow(x1, y, colour, 0.55)
        )
    # an event (AGI), alone or capped by a date: fades out, the arrow says it runs on until then
    return (
        f'<rect x="{x0:g}" y="{top:g}" width="{max(x1 - 9 - x0, 2):g}" height="{height}" '
        f'rx="2" fill="url(#{fade})"/>' + _arrow(x1, y, colour)
    )


def _bar_end(svg: _Svg, bar: RightBar) -> float:
    """Where the stated expiry puts the end of the bar (past the axis when there is none)."""
    if bar.expiry.kind in ("date", "earliest") and bar.expiry.date:
        return svg.x(bar.expiry.date)
    return PLOT_RIGHT + 10


def _expiry_note(bar: RightBar) -> str:
    if bar.expiry.kind in ("date", "event"):
        return f"until {bar.expiry.label}"
    return bar.expiry.label


def _tooltip(bar: RightBar) -> str:
    lines = [
        bar.label,
        f"{bar.kind[:1].upper()}{bar.kind[1:]} held by {bar.holder_label}"
        + (f", granted by {bar.grantor_label}" if bar.grantor_label else ""),
        f"Granted by: {bar.granted_by.label} "
        f"({_when(bar.granted_by.date, bar.granted_by.precision, bar.granted_by.inferred)})",
        f"Stated expiry: {bar.expiry.label}",
    ]
    if bar.ended_by:
        lines.append(f"Actually ended by: {bar.ended_by.label}")
    if bar.superseded_by:
        lines.append(f"Granted again on new terms: {bar.superseded_by.label}")
    return "\n".join(lines)


def render_svg(timeline: Timeline) -> str:
    """The timeline as a self-contained SVG, 1200 px wide: agreements, then rows per holder."""
    svg = _Svg(timeline)
    colours = {iri: PALETTE[i % len(PALETTE)] for i, (iri, _) in enumerate(timeline.holders())}
    fades = {colour: f"fade{i}" for i, colour in enumerate(dict.fromkeys(colours.values()))}

    holders = timeline.holders()
    title = " – ".join(label for _, label in holders) or "Deals"
    svg.add(
        svg.text(PAD, 28, f"{title}: agreements, rights and stakes over time", "title"),
        svg.text(
            PAD,
            47,
            "Bars run from the agreement that grants a right to its stated expiry. "
            "Hover for details; click a name to open its page.",
            "sub",
        ),
    )
    axis_top, y = 72, 80
    body: list[str] = []  # rows, drawn over the grid
    guides: list[tuple[float, Milestone]] = []

    # agreement versions: one row each, so dates a month apart stay legible
    body.append(_group_header(y, "Agreement versions"))
    y += GROUP_HEIGHT
    for milestone in timeline.milestones:
        lines = len(_wrap(milestone.label, 12, LABEL_WIDTH - 8))
        height = AGREEMENT_ROW + 10 * max(lines - 1, 0)
        body.append(_agreement_row(svg, milestone, y, height))
        guides.append((svg.x(milestone.date), milestone))
        y += height

    for holder, holder_label in holders:
        colour = colours[holder]
        y += 6
        rows = [b for b in timeline.rights if b.holder == holder]
        stakes = [s for s in timeline.stakes if s.holder == holder]
        counts = [_count(len(rows), "right"), _count(len(stakes), "stake")]
        header = f"Held by {holder_label} · " + ", ".join(c for c in counts if c)
        body.append(_group_header(y, header, colour))
        y += GROUP_HEIGHT
        for i, bar in enumerate(rows):
            body.append(_right_row(svg, bar, y, colour, fades[colour], zebra=i % 2 == 1))
            y += RIGHT_ROW
        if stakes:
            body.append(_stake_row(svg, stakes, y, colour, zebra=len(rows) % 2 == 1))
            y += RIGHT_ROW
    axis_bottom = y + 4

    grid = []
    for year in range(timeline.first_year, timeline.last_year + 1):
        x = svg.x(date(year, 1, 1))
        grid.append(
            f'<line x1="{x:g}" y1="{axis_top - 8:g}" x2="{x:g}" y2="{axis_bottom:g}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        grid.append(svg.text(x, axis_top - 12, str(year), "year"))
        grid.append(svg.text(x, axis_bottom + 14, str(year), "year"))
    for x, milestone in guides:  # agreement dates, down through the rights they grant
        grid.append(
            f'<line x1="{x:g}" y1="{axis_top:g}" x2="{x:g}" y2="{axis_bottom:g}" '
            f'stroke="{AGREEMENT_INK}" stroke-opacity="0.28" stroke-dasharray="2 3">'
            f"{_title(milestone.label)}</line>"
        )
    svg.add('<g class="grid">', *grid, "</g>", *body)

    legend_top = axis_bottom + 42
    legend, height = _legend(svg, legend_top, holders, colours, fades)
    svg.add(*legend)

    defs = "".join(
        f'<linearGradient id="{name}" x1="0" x2="1" y1="0" y2="0">'
        f'<stop offset="0" stop-color="{colour}"/>'
        f'<stop offset="0.55" stop-color="{colour}"/>'
        f'<stop offset="1" stop-color="{colour}" stop-opacity="0.3"/></linearGradient>'
        for colour, name in fades.items()
    )
    defs += (  # white stripes over a faded bar: a later version took its place
        '<pattern id="stripes" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="5" stroke="#ffffff" '
        'stroke-width="2"/></pattern>'
    )
    total = legend_top + height + PAD
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total:g}" '
        f'viewBox="0 0 {WIDTH} {total:g}" role="img" aria-labelledby="timeline-title">\n'
        f'<title id="timeline-title">{escape(title)}: agreements, rights and stakes over time'
        "</title>\n"
        f"<style>{_STYLE}</style>\n<defs>{defs}</defs>\n"
        f'<rect width="{WIDTH}" height="{total:g}" fill="#ffffff"/>\n'
        + "\n".join(svg.parts)
        + "\n</svg>\n"
    )


def _group_header(y: float, text: str, colour: str = AGREEMENT_INK) -> str:
    return (
        f'<g class="group-header"><rect x="{PAD}" y="{y:g}" width="{WIDTH - 2 * PAD}" '
        f'height="{GROUP_HEIGHT - 4}" rx="3" fill="{colour}" fill-opacity="0.09"/>'
        f'<rect x="{PAD}" y="{y:g}" width="4" height="{GROUP_HEIGHT - 4}" fill="{colour}"/>'
        f'<text x="{PAD + 12}" y="{y + 16:g}" class="group" '
        f'style="fill:{colour}">{escape(text)}</text></g>'
    )


def _name(iri: str, text: str, y: float, row_height: float, tooltip: str) -> str:
    """The left column: a linked name in one or two lines, centred in its row."""
    lines = _wrap(text, 12, LABEL_WIDTH - 8)
    first = y + row_height / 2 + 4 - (len(lines) - 1) * 7
    spans = "".join(
        f'<tspan x="{PAD + 8}" y="{first + i * 14:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return _link(iri, f'<text class="name">{_title(tooltip)}{spans}</text>')


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}" if n else ""


def _agreement_row(svg: _Svg, milestone: Milestone, y: float, height: float) -> str:
    x, cy = svg.x(milestone.date), y + height / 2
    when = _when(milestone.date, milestone.precision, milestone.inferred)
    note = when + (" · non-binding" if milestone.binding is False else "")
    tooltip = "\n".join(
        line
        for line in (
            milestone.label,
            f"Date: {when}" + (" (inferred by the curators)" if milestone.inferred else ""),
            milestone.basis,
            f"Parties: {milestone.parties}" if milestone.parties else "",
        )
        if line
    )
    return (
        f'<g class="agreement" data-iri={quoteattr(milestone.iri)} data-x="{x:g}" '
        f'data-inferred="{str(milestone.inferred).lower()}">'
        + _name(milestone.iri, milestone.label, y, height, tooltip)
        + _link(
            milestone.iri,
            f"<g>{_title(tooltip)}{_diamond(x, cy, milestone.inferred)}"
            f"{svg.text(x + 11, cy + 4, note, 'note halo')}</g>",
        )
        + "</g>"
    )


def _right_row(svg: _Svg, bar: RightBar, y: float, colour: str, fade: str, zebra: bool) -> str:
    x0, x1 = svg.x(bar.start), _bar_end(svg, bar)
    cy = y + 23
    tooltip = _tooltip(bar)
    parts = [
        f'<rect x="{PAD}" y="{y:g}" width="{WIDTH - 2 * PAD}" height="{RIGHT_ROW}" '
        f'fill="{"#f6f8fb" if zebra else "#ffffff"}" fill-opacity="0.7"/>'
        if zebra
        else "",
        _name(bar.iri, bar.label, y, RIGHT_ROW, tooltip),
    ]
    # the stated expiry, above the bar (it may run past the bar's end: the row is its own)
    note = _expiry_note(bar)
    note_x = x0 + 1
    if note_x + _text_width(note, 11) > WIDTH - PAD:
        note_x = WIDTH - PAD - _text_width(note, 11)
    shape = _bar_shape(bar.expiry.kind, x0, x1, cy, colour, fade)
    drawn = [svg.text(note_x, y + 11, note, "note halo")]
    xc = 0.0
    if bar.ended_by and bar.ended_by.date:
        # cut where a later agreement actually ended it; its stated term stays, dotted
        xc = max(svg.x(bar.ended_by.date), x0 + 3)
        ended = f"ended by {bar.ended_by.label}"
        text_end = xc + 7 + _text_width(ended, 11)
        if text_end + 12 < x1:
            drawn.append(
                f'<line x1="{text_end + 6:g}" y1="{cy:g}" x2="{x1:g}" y2="{cy:g}" '
                f'stroke="{colour}" stroke-opacity="0.6" stroke-width="2" '
                'stroke-dasharray="1 4" stroke-linecap="round"/>'
            )
        drawn += [
            f'<clipPath id="cut-{_short(bar.iri)}"><rect x="{x0 - 1:g}" y="{cy - 12:g}" '
            f'width="{xc - x0 + 1:g}" height="24"/></clipPath>',
            f'<g clip-path="url(#cut-{_short(bar.iri)})">{shape}</g>',
            f'<line x1="{xc:g}" y1="{cy - 10:g}" x2="{xc:g}" y2="{cy + 10:g}" '
            f'stroke="{ENDED}" stroke-width="3.5"/>',
            svg.text(xc + 7, cy + 4, ended, "ended halo"),
        ]
    elif bar.superseded_by and bar.superseded_by.date and svg.x(bar.superseded_by.date) < x1:
        # granted again on new terms: the old version is striped from the new one's date
        xs = svg.x(bar.superseded_by.date)
        drawn += [
            f'<clipPath id="new-{_short(bar.iri)}"><rect x="{x0 - 1:g}" y="{cy - 12:g}" '
            f'width="{xs - x0 + 1:g}" height="24"/></clipPath>',
            f'<g opacity="0.4">{shape}</g>',
            f'<g clip-path="url(#new-{_short(bar.iri)})">{shape}</g>',
            f'<rect x="{xs + 1:g}" y="{cy - 6:g}" width="{max(x1 - 10 - xs, 1):g}" height="12" '
            'fill="url(#stripes)"/>',
        ]
    else:
        drawn.append(shape)
    if bar.expiry.kind == "earliest" and bar.expiry.date:
        drawn.append(  # the date cap: the latest the right can run
            f'<line x1="{x1:g}" y1="{cy - 11:g}" x2="{x1:g}" y2="{cy + 11:g}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="3 2"/>'
        )
    parts.append(_link(bar.iri, f'<g class="right">{_title(tooltip)}{"".join(drawn)}</g>'))
    # data-* say what was drawn where, for tests and scripts: x0 start, x1 stated end, cut
    cut = f' data-cut="{xc:g}" data-ended-by={quoteattr(bar.ended_by.iri)}' if xc else ""
    return (
        f'<g class="right-row" data-iri={quoteattr(bar.iri)} data-expiry="{bar.expiry.kind}" '
        f'data-x0="{x0:g}" data-x1="{x1:g}"{cut}>' + "".join(parts) + "</g>"
    )


def _stake_row(svg: _Svg, stakes: list[StakePoint], y: float, colour: str, zebra: bool) -> str:
    cy = y + RIGHT_ROW / 2
    issuers = " / ".join(dict.fromkeys(s.issuer_label for s in stakes if s.issuer_label))
    name = f"{stakes[0].holder_label}’s stake in {issuers}" if issuers else "Stake"
    parts = [
        f'<rect x="{PAD}" y="{y:g}" width="{WIDTH - 2 * PAD}" height="{RIGHT_ROW}" '
        'fill="#f6f8fb" fill-opacity="0.7"/>'
        if zebra
        else "",
        _link(stakes[0].iri, f'<text class="name" x="{PAD + 8}" y="{cy + 4:g}">'
              f"{_title(name)}{escape(name)}</text>"),
    ]  # fmt: skip
    xs = [svg.x(s.date) for s in stakes]
    if len(xs) > 1:
        parts.append(
            f'<polyline points="{" ".join(f"{x:g},{cy:g}" for x in xs)}" fill="none" '
            f'stroke="{colour}" stroke-width="1.5" stroke-opacity="0.6"/>'
        )
    previous_issuer = ""
    for i, (stake, x) in enumerate(zip(stakes, xs, strict=True)):
        label = stake.text
        if stake.issuer_label and stake.issuer_label != previous_issuer:
            label += f" of {stake.issuer_label}"
        previous_issuer = stake.issuer_label
        if stake.reported:
            label += " (reported)"
        # labels to the right, unless the next point is in the way: then to the left
        crowded = i + 1 < len(xs) and x + 10 + _text_width(label, 12) > xs[i + 1] - 8
        anchor, lx = ("end", x - 9) if crowded else ("start", x + 9)
        fill = "#ffffff" if stake.inferred else colour
        tooltip = "\n".join(
            [
                stake.label,
                f"Date: {_when(stake.date, stake.precision, stake.inferred)}"
                + (" (inferred by the curators)" if stake.inferred else ""),
            ]
        )
        parts.append(
            _link(
                stake.iri,
                f'<g class="stake-point">{_title(tooltip)}'
                f'<circle cx="{x:g}" cy="{cy:g}" r="5.5" fill="{fill}" stroke="{colour}" '
                f'stroke-width="2"/>{svg.text(lx, cy + 4, label, "stake halo", anchor)}</g>',
            )
        )
    return '<g class="stakes">' + "".join(parts) + "</g>"


def _legend(
    svg: _Svg,
    top: float,
    holders: list[tuple[str, str]],
    colours: dict[str, str],
    fades: dict[str, str],
) -> tuple[list[str], float]:
    """The key, in columns; returns its elements and its height."""
    grey = "#5d6677"
    fade = fades.get(grey, "fade-legend")
    items: list[tuple[str, str]] = [
        (f"right held by {label}", f'<rect x="0" y="-6" width="36" height="12" rx="2" '
         f'fill="{colours[iri]}"/>')
        for iri, label in holders
    ]  # fmt: skip
    items += [
        ("agreement, date stated by the sources", _diamond(18, 0, hollow=False)),
        ("≈ date inferred by the curators (hollow)", _diamond(18, 0, hollow=True)),
        ("ends on a stated date", _bar_shape("date", 0, 36, 0, grey, fade)),
        ("runs until an event (AGI): no date", _bar_shape("event", 0, 40, 0, grey, fade)),
        (
            "event or date, whichever first (dashed: the date)",
            _bar_shape("earliest", 0, 36, 0, grey, fade)
            + f'<line x1="36" y1="-11" x2="36" y2="11" stroke="{INK}" stroke-width="1.5" '
            'stroke-dasharray="3 2"/>',
        ),
        ("no end stated", _bar_shape("open", 0, 40, 0, grey, fade)),
        (
            "ended early by a later agreement (dotted: the stated term)",
            f'<rect x="0" y="-6" width="18" height="12" rx="2" fill="{grey}"/>'
            f'<line x1="18" y1="-10" x2="18" y2="10" stroke="{ENDED}" stroke-width="3.5"/>'
            f'<line x1="23" y1="0" x2="40" y2="0" stroke="{grey}" stroke-width="2" '
            'stroke-dasharray="1 4" stroke-linecap="round"/>',
        ),
        (
            "striped: granted again on new terms by a later version",
            f'<rect x="0" y="-6" width="18" height="12" rx="2" fill="{grey}"/>'
            f'<rect x="18" y="-6" width="18" height="12" fill="{grey}" opacity="0.4"/>'
            '<rect x="19" y="-6" width="17" height="12" fill="url(#stripes)"/>',
        ),
        (
            "stake (hollow: date inferred by the curators)",
            f'<circle cx="10" cy="0" r="5.5" fill="{grey}" stroke="{grey}" stroke-width="2"/>'
            f'<circle cx="30" cy="0" r="5.5" fill="#ffffff" stroke="{grey}" stroke-width="2"/>',
        ),
    ]
    columns, row_height = 3, 22
    column_width = (WIDTH - 2 * PAD) / columns
    out = [
        f'<g class="legend-key"><text x="{PAD}" y="{top - 8:g}" class="group">Key</text>',
        f'<linearGradient id="{fade}" x1="0" x2="1" y1="0" y2="0"><stop offset="0" '
        f'stop-color="{grey}"/><stop offset="0.55" stop-color="{grey}"/><stop offset="1" '
        f'stop-color="{grey}" stop-opacity="0.3"/></linearGradient>',
    ]
    for i, (text, sample) in enumerate(items):
        x = PAD + (i % columns) * column_width
        y = top + 10 + (i // columns) * row_height
        out.append(
            f'<g transform="translate({x:g},{y:g})">{sample}{svg.text(52, 4, text, "legend")}</g>'
        )
    out.append("</g>")
    rows = math.ceil(len(items) / columns)
    return out, rows * row_height + 8
