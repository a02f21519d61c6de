"""What the timeline shows, in plain dataclasses, and :func:`timeline_data` that makes them.

:func:`timeline_data` reads the SPARQL JSON rows of the four queries of :mod:`.sparql`; it
knows nothing of stores or of drawing. A right is shown over its time in force: from
``dg:inForceFrom`` to ``dg:inForceUntil`` where the build derived them, else (rows of an
older store) from its granting agreement's date to its stated or actual end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ..namespaces import PREFIXES

Row = dict[str, dict[str, str]]  # one SPARQL JSON binding: variable -> {type, value, …}
Rows = list[Row]
ExpiryKind = Literal["date", "event", "earliest", "open"]

DG = PREFIXES["dg"]
FIRST_YEAR, LAST_YEAR = 2019, 2033  # the usual window, widened when the data reach outside it
_DAY = timedelta(days=1)


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
    """A node another one points to (the agreement that granted or ended a right, …)."""

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
    last_day: date | None = None  # the last day of that date's period (dg:latestDay)

    @property
    def end(self) -> date | None:
        """The first day past the stated term ("through 2030": 2031-01-01), else its date."""
        return self.last_day + _DAY if self.last_day else self.date


@dataclass(frozen=True)
class RightBar:
    """A right, drawn over its time in force; its stated term shows where that differs."""

    iri: str
    label: str
    kind: str  # the most specific class's label, e.g. "right of first refusal"
    holder: str
    holder_label: str
    grantor_label: str
    granted_by: Ref | None  # None: a right the graph only knows as confirmed
    expiry: Expiry
    ended_by: Ref | None = None  # a later agreement that actually ended it
    superseded_by: Ref | None = None  # the later version of the right; date: when in force
    confirmed_by: tuple[Ref, ...] = ()  # later versions that kept it unchanged
    in_force_from: date | None = None  # dg:inForceFrom
    in_force_until: date | None = None  # dg:inForceUntil (inclusive)

    @property
    def start(self) -> date:
        """First day drawn: in force from, else granted on, else first known confirmed on."""
        if self.in_force_from:
            return self.in_force_from
        if self.granted_by and self.granted_by.date:
            return self.granted_by.date
        return min((r.date for r in self.confirmed_by if r.date), default=date.min)

    @property
    def stop(self) -> date | None:
        """The first day out of force, when known: the day after dg:inForceUntil, else the
        date of what ended it or of its later version; None: it runs to its stated expiry."""
        if self.in_force_until:
            return self.in_force_until + _DAY
        for ref in (self.ended_by, self.superseded_by):
            if ref and ref.date:
                return ref.date
        return None


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
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR

    def holders(self) -> list[tuple[str, str]]:
        """(IRI, label) of every holder of a right or stake, by label."""
        found = {r.holder: r.holder_label for r in self.rights}
        found.update({s.holder: s.holder_label for s in self.stakes if s.holder not in found})
        return sorted(found.items(), key=lambda item: (item[1].casefold(), item[0]))


# --- reading rows ----------------------------------------------------------------------


def _value(row: Row, name: str, default: str = "") -> str:
    return row[name]["value"] if name in row else default


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _precision(row: Row) -> str:
    iri = _value(row, "precision")
    return iri.removeprefix(DG).removesuffix("Precision").lower() if iri else "day"


def _true(row: Row, name: str) -> bool:
    return _value(row, name).strip().lower() in ("true", "1")


def short_name(iri: str) -> str:
    """The last segment of *iri*: a name to show when the graph gives no label."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _label(row: Row, name: str, iri_name: str) -> str:
    return _value(row, name) or short_name(_value(row, iri_name))


# --- the timeline ----------------------------------------------------------------------


def timeline_data(agreements: Rows, rights: Rows, triggers: Rows, stakes: Rows) -> Timeline:
    """The :class:`Timeline` from the rows of the four timeline queries (SPARQL JSON)."""
    milestones = _milestones(agreements)
    bars = _bars(rights, milestones, _expiries(triggers))
    points = _points(stakes)
    timeline = Timeline(sorted(milestones.values(), key=lambda m: (m.date, m.label)), bars, points)
    days = [m.date for m in timeline.milestones] + [p.date for p in points]
    for bar in bars:
        days += [bar.start, bar.expiry.date, bar.expiry.last_day, bar.in_force_until]
        days += [r.date for r in bar.confirmed_by]
    years = [d.year for d in days if d and d != date.min]
    if years:  # every date in the data, and the whole of the latest year, fit the axis
        timeline.first_year = min(timeline.first_year, *years)
        timeline.last_year = max(timeline.last_year, max(years) + 1)
    return timeline


def _milestones(rows: Rows) -> dict[str, Milestone]:
    """Each dated agreement version once (its first row holds)."""
    milestones: dict[str, Milestone] = {}
    for row in rows:
        iri, when = _value(row, "agreement"), _date(_value(row, "date"))
        if iri in milestones or when is None:
            continue
        binding = _value(row, "binding")
        milestones[iri] = Milestone(
            iri=iri,
            label=_value(row, "label") or short_name(iri),
            date=when,
            precision=_precision(row),
            inferred=_true(row, "inferred"),
            basis=_value(row, "basis"),
            binding=None if not binding else _true(row, "binding"),
            parties=_value(row, "parties"),
        )
    return milestones


def _bars(
    rows: Rows, milestones: dict[str, Milestone], expiries: dict[str, Expiry]
) -> list[RightBar]:
    """A :class:`RightBar` per right that has somewhere to start, in drawing order."""
    first_rows: dict[str, Row] = {}
    for row in rows:  # optional patterns may repeat a right: its first row holds
        first_rows.setdefault(_value(row, "right"), row)

    def ref(iri: str, label: str = "") -> Ref:
        found = milestones.get(iri)
        if found is None:
            return Ref(iri, label or short_name(iri))
        return Ref(iri, found.label, found.date, found.inferred, found.precision)

    bars = []
    for iri, row in first_rows.items():
        later = _value(row, "supersededBy")
        superseded_by = None
        if later in first_rows:  # dated by when the later version came into force
            later_row = first_rows[later]
            granted = ref(_value(later_row, "agreement"))
            started = _date(_value(later_row, "inForceFrom")) or granted.date
            label = _label(later_row, "label", "right")
            superseded_by = Ref(later, label, started, granted.inferred)
        expiry_iri = _value(row, "expiry")
        bar = RightBar(
            iri=iri,
            label=_value(row, "label") or short_name(iri),
            kind=_value(row, "kind", "right"),
            holder=_value(row, "holder"),
            holder_label=_label(row, "holderLabel", "holder"),
            grantor_label=_value(row, "grantorLabel"),
            granted_by=ref(_value(row, "agreement")) if "agreement" in row else None,
            expiry=expiries.get(expiry_iri, Expiry(expiry_iri, "open", "No end stated")),
            ended_by=ref(_value(row, "endedBy"), _value(row, "endedByLabel"))
            if "endedBy" in row
            else None,
            superseded_by=superseded_by,
            confirmed_by=tuple(ref(c) for c in _value(row, "confirmedBy").split()),
            in_force_from=_date(_value(row, "inForceFrom")),
            in_force_until=_date(_value(row, "inForceUntil")),
        )
        if bar.start != date.min:  # else nowhere to start the bar
            bars.append(bar)
    bars.sort(key=lambda b: (b.holder_label, b.start, _end_order(b), b.label))
    return bars


def _end_order(bar: RightBar) -> tuple[int, date]:
    """Sort key within a start date: dated ends first, then earliest-of, events, none stated."""
    rank = {"date": 0, "earliest": 1, "event": 2, "open": 3}[bar.expiry.kind]
    return rank, bar.expiry.date or date.max


def _points(rows: Rows) -> list[StakePoint]:
    """Each dated stake with a percentage once, in date order."""
    points: list[StakePoint] = []
    for row in rows:
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
                label=_label(row, "label", "stake"),
                holder=_value(row, "holder"),
                holder_label=_label(row, "holderLabel", "holder"),
                issuer_label=_value(row, "issuerLabel"),
                percentage=percentage,
                date=when,
                approximate=_value(row, "qualifier") == DG + "Approximate",
                reported=_value(row, "certainty") == DG + "Reported",
                inferred=_true(row, "inferred"),
                precision=_precision(row),
            )
        )
    return points


# --- expiries --------------------------------------------------------------------------

_Dated = tuple[date, date | None]  # a trigger's date and the last day of its period


@dataclass
class _Trigger:
    kind: str
    label: str
    dated: _Dated | None
    combination: str
    members: list[str] = field(default_factory=list)


def _expiries(rows: Rows) -> dict[str, Expiry]:
    """Each trigger as an :class:`Expiry`; composites resolved through their members."""
    triggers: dict[str, _Trigger] = {}
    for row in rows:
        iri = _value(row, "trigger")
        when = _date(_value(row, "date"))
        trigger = triggers.setdefault(
            iri,
            _Trigger(
                kind=_value(row, "type").removeprefix(DG),
                label=_value(row, "label"),
                dated=(when, _date(_value(row, "latest"))) if when else None,
                combination=_value(row, "combination").removeprefix(DG),
            ),
        )
        if "member" in row and _value(row, "member") not in trigger.members:
            trigger.members.append(_value(row, "member"))
    result = {}
    for iri, trigger in triggers.items():
        kind, dated = _resolve(triggers, iri, frozenset())
        when, last = dated or (None, None)
        result[iri] = Expiry(iri, kind, trigger.label or short_name(iri), when, last)
    return result


def _resolve(
    triggers: dict[str, _Trigger], iri: str, seen: frozenset[str]
) -> tuple[ExpiryKind, _Dated | None]:
    """The kind of end *iri* makes, and its date when dates decide it."""
    trigger = triggers.get(iri)
    if trigger is None:
        return "open", None
    if trigger.kind == "DateTrigger" and trigger.dated:
        return "date", trigger.dated
    if trigger.kind == "EventTrigger":
        return "event", None
    if trigger.kind != "CompositeTrigger" or iri in seen:
        return "open", None
    parts = [_resolve(triggers, m, seen | {iri}) for m in trigger.members]
    capped = [d for k, d in parts if d is not None and k in ("date", "earliest")]
    events = any(k in ("event", "earliest") for k, _ in parts)
    if trigger.combination == "LatestOf":  # ends at the last: any open member leaves it open
        if not events and capped and all(k == "date" for k, _ in parts):
            return "date", max(capped, key=lambda d: d[0])
        return ("event" if events else "open"), None
    if capped:  # earliest-of: the first date caps it; an event may end it sooner
        return ("earliest" if events else "date"), min(capped, key=lambda d: d[0])
    return ("event" if events else "open"), None
