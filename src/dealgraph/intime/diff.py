"""What changed between two days (or agreement versions): rights kept, ended, new, revised.

A point in time is a day (YYYY-MM-DD) or an agreement, which stands for the first day of
its date's period. Between FROM and TO, a right in force on both days is *kept*; a right in
force on FROM and not on TO is *revised* when a right in force on TO is a revision of it
(``prov:wasRevisionOf``, followed transitively), else *ended*; a right in force on TO and not
on FROM is *new* unless it is such a revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox

from ..namespaces import INSTANCE_BASE
from .asof import Ref, RightInTime, rights_timeline
from .periods import BadTimeInput, looks_like_day, parse_day
from .rows import Rows, day_value, run, value

AGREEMENT_BASE = INSTANCE_BASE + "agreement/"


@dataclass(frozen=True)
class Point:
    """A point of the diff: its day, and the agreement it was given as (if it was)."""

    day: date
    agreement: Ref | None = None

    def describe(self) -> str:
        """``2025-10-01`` or ``2025-10-01 (Microsoft–OpenAI definitive agreement …)``."""
        return f"{self.day} ({self.agreement.label})" if self.agreement else str(self.day)


@dataclass(frozen=True)
class Revision:
    """A right in force on FROM and, in force on TO, a later revision of it."""

    before: Ref
    after: Ref

    def to_json(self) -> dict[str, dict[str, str]]:
        return {"from": self.before.to_json(), "to": self.after.to_json()}


@dataclass(frozen=True)
class Diff:
    """The rights kept, ended, new and revised from ``start`` to ``end``."""

    start: Point
    end: Point
    kept: tuple[Ref, ...]
    ended: tuple[Ref, ...]
    new: tuple[Ref, ...]
    revised: tuple[Revision, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"from", "to", "kept", "ended", "new", "revised"}``; days as YYYY-MM-DD."""
        return {
            "from": self.start.day.isoformat(),
            "to": self.end.day.isoformat(),
            "kept": [r.to_json() for r in self.kept],
            "ended": [r.to_json() for r in self.ended],
            "new": [r.to_json() for r in self.new],
            "revised": [r.to_json() for r in self.revised],
        }


def diff(store: ox.Store, start: str | date, end: str | date) -> Diff:
    """The diff between *start* and *end* (days, or agreement IRIs / ``ag:`` slugs) in *store*.

    Raises :class:`BadTimeInput` for a bad date, an unknown agreement, or FROM after TO.
    """
    agreements = agreements_from_rows(run(store, "agreements"))
    return diff_rights(
        rights_timeline(store), resolve_point(agreements, start), resolve_point(agreements, end)
    )


def diff_rights(rights: list[RightInTime], start: Point, end: Point) -> Diff:
    """The diff of *rights* between the points *start* and *end* (pure)."""
    if start.day > end.day:
        raise BadTimeInput(
            f"FROM ({start.describe()}) is after TO ({end.describe()}): give the earlier one first"
        )
    before = {r.iri: r for r in rights if r.in_force(start.day)}
    after = {r.iri: r for r in rights if r.in_force(end.day)}
    revises = {r.iri: set(r.revises) for r in rights}

    revisions: list[Revision] = []
    ended: list[Ref] = []
    for iri in sorted(set(before) - set(after)):
        successors = sorted(i for i in after if iri in _ancestors(revises, i))
        if successors:
            revisions += [Revision(before[iri].right, after[i].right) for i in successors]
        else:
            ended.append(before[iri].right)
    revised_into = {r.after.iri for r in revisions}
    return Diff(
        start=start,
        end=end,
        kept=tuple(before[i].right for i in sorted(set(before) & set(after))),
        ended=tuple(ended),
        new=tuple(after[i].right for i in sorted(set(after) - set(before) - revised_into)),
        revised=tuple(revisions),
    )


def agreements_from_rows(rows: Rows) -> dict[str, Point]:
    """Agreement IRI -> its point in time, from the rows of ``agreements.rq``."""
    points: dict[str, Point] = {}
    for row in rows:
        iri = row["agreement"]["value"]
        day = day_value(row, "day")
        if day is not None and iri not in points:
            label = value(row, "label") or iri.rsplit("/", 1)[-1]
            points[iri] = Point(day, Ref(iri, label))
    return points


def resolve_point(agreements: dict[str, Point], given: str | date) -> Point:
    """The point *given* stands for: a day, or an agreement (full IRI, ``ag:slug`` or slug).

    Raises :class:`BadTimeInput` in one sentence when it is neither.
    """
    if isinstance(given, date):
        return Point(given)
    text = given.strip()
    if looks_like_day(text):
        return Point(parse_day(text))
    iri = AGREEMENT_BASE + text.removeprefix("ag:") if not text.startswith("http") else text
    if iri in agreements:
        return agreements[iri]
    if text.startswith(("http://", "https://", "ag:")):
        raise BadTimeInput(f"unknown agreement <{iri}>: no dated agreement in the graph has it")
    raise BadTimeInput(f"'{text}' is neither a date (YYYY-MM-DD) nor an agreement IRI")


def _ancestors(revises: dict[str, set[str]], iri: str) -> set[str]:
    """Every right *iri* is a revision of, directly or through earlier revisions."""
    seen: set[str] = set()
    todo = list(revises.get(iri, ()))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += revises.get(current, ())
    return seen
