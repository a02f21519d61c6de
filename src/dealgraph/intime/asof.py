"""The rights in force on a day, read from a published store.

A right is in force on day D when ``dg:inForceFrom <= D`` and it has no ``dg:inForceUntil``
or ``D <= dg:inForceUntil`` (both inclusive; the build derives them, see :mod:`.derive`).
No trigger event is assumed to have happened: a right ending only at AGI is in force on
every later day, and a day after today says so in a note.

Two layers, so that the command line and the web server share everything but the querying:
:func:`rights_timeline` (or :func:`timeline_from_rows` on rows the caller fetched with the
files of :data:`QUERY_NAMES`) gives every right with its time in force; :func:`as_of` picks
those in force on a day. :func:`rights_in_force` does both on a store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pyoxigraph as ox

from ..folding import fold
from .periods import BadTimeInput
from .rows import Rows, day_value, run, value

QUERY_NAMES = ("rights", "confirmations", "revisions", "evidence")
FUTURE_NOTE = (
    "{day} is after today ({today}): the answer assumes that no trigger event "
    "(such as AGI being declared and verified) has happened by then."
)


@dataclass(frozen=True, order=True)
class Ref:
    """A node of the graph and its English label (the end of its IRI when it has none)."""

    iri: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class Evidence:
    """What a right rests on: a verbatim ``quote`` or the curators' ``paraphrase``."""

    text: str
    kind: str  # "quote" or "paraphrase"
    language: str | None = None
    translation: str | None = None  # the curators' English translation of a quote
    source: str | None = None  # the source's IRI
    identifier: str | None = None  # e.g. the article's file name
    url: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "text": self.text,
            "language": self.language,
            "translation": self.translation,
            "source": self.source,
            "identifier": self.identifier,
            "url": self.url,
        }


@dataclass(frozen=True)
class Confirmation:
    """A later agreement version that confirmed the right, and the first day of its date."""

    agreement: Ref
    day: date | None


@dataclass(frozen=True)
class RightInTime:
    """A right with its time in force (``start``..``until``, both inclusive; ``until`` None:
    no end known, the expiry names the trigger) and what it comes from."""

    right: Ref
    start: date
    until: date | None = None
    holder: Ref | None = None
    grantors: tuple[Ref, ...] = ()
    expiry: Ref | None = None
    granted_by: Ref | None = None
    confirmed_by: tuple[Confirmation, ...] = ()
    revises: tuple[str, ...] = ()  # IRIs of the earlier rights this one is a revision of
    evidence: tuple[Evidence, ...] = ()

    @property
    def iri(self) -> str:
        return self.right.iri

    @property
    def label(self) -> str:
        return self.right.label

    def in_force(self, day: date) -> bool:
        """True when the right is in force on *day*."""
        return self.start <= day and (self.until is None or day <= self.until)

    def agreement_on(self, day: date) -> Ref | None:
        """The agreement the right stands on that day: the one that granted it; for a right
        only confirmed, the latest confirmation made by then (else the first one)."""
        if self.granted_by is not None:
            return self.granted_by
        made = [c for c in self.confirmed_by if c.day is not None and c.day <= day]
        chosen = max(made, key=lambda c: (c.day, c.agreement.iri)) if made else None
        if chosen is None and self.confirmed_by:
            chosen = self.confirmed_by[0]
        return chosen.agreement if chosen else None

    def to_json(self, day: date) -> dict[str, Any]:
        """The right as ``dealgraph asof`` prints it: English labels, ISO dates."""
        agreement = self.agreement_on(day)
        return {
            "iri": self.iri,
            "label": self.label,
            "holder": self.holder.label if self.holder else None,
            "grantor": ", ".join(g.label for g in self.grantors) or None,
            "from": self.start.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "expiry": self.expiry.label if self.expiry else None,
            "agreement": agreement.label if agreement else None,
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class AsOf:
    """The rights in force on ``day`` (of ``holders`` when a holder was asked for)."""

    day: date
    rights: tuple[RightInTime, ...]
    holders: tuple[Ref, ...] = ()
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"as_of": DATE, "rights": [...]}``, plus ``"note"`` for a day after today."""
        answer: dict[str, Any] = {
            "as_of": self.day.isoformat(),
            "rights": [r.to_json(self.day) for r in self.rights],
        }
        if self.note:
            answer["note"] = self.note
        return answer


@dataclass(frozen=True)
class Agent:
    """An agent of the graph and every name it goes by."""

    ref: Ref
    names: tuple[str, ...] = ()


def rights_timeline(store: ox.Store) -> list[RightInTime]:
    """Every right of the published *store* with its time in force, by start then IRI."""
    return timeline_from_rows({name: run(store, name) for name in QUERY_NAMES})


def rights_in_force(
    store: ox.Store, day: date, holder: str | None = None, today: date | None = None
) -> AsOf:
    """The rights in force on *day* in *store*, of *holder* (a name or an IRI) if given.

    Raises :class:`BadTimeInput` when *holder* names no agent of the graph. *today*
    (default: the system's date) decides whether *day* is in the future.
    """
    holders = resolve_holders(agents_from_rows(run(store, "agents")), holder) if holder else ()
    return as_of(rights_timeline(store), day, holders, today)


def as_of(
    rights: list[RightInTime],
    day: date,
    holders: tuple[Ref, ...] = (),
    today: date | None = None,
) -> AsOf:
    """Those of *rights* in force on *day*, held by one of *holders* when some are given."""
    wanted = {h.iri for h in holders}
    chosen = tuple(
        sorted(
            (
                r
                for r in rights
                if r.in_force(day) and (not wanted or (r.holder and r.holder.iri in wanted))
            ),
            key=lambda r: (r.holder.label if r.holder else "", r.start, r.iri),
        )
    )
    today = today or date.today()
    note = FUTURE_NOTE.format(day=day.isoformat(), today=today.isoformat()) if day > today else None
    return AsOf(day=day, rights=chosen, holders=holders, note=note)


def timeline_from_rows(rows: dict[str, Rows]) -> list[RightInTime]:
    """Rights from the SPARQL JSON rows of the files named in :data:`QUERY_NAMES`."""
    confirmations: dict[str, list[Confirmation]] = defaultdict(list)
    for row in rows["confirmations"]:
        agreement = _ref(row, "agreement", "agreementLabel")
        if agreement is not None:
            confirmations[row["right"]["value"]].append(
                Confirmation(agreement, day_value(row, "day"))
            )
    revises: dict[str, set[str]] = defaultdict(set)
    for row in rows["revisions"]:
        revises[row["right"]["value"]].add(row["revises"]["value"])
    evidence: dict[str, dict[str, Evidence]] = defaultdict(dict)
    for row in rows["evidence"]:
        evidence[row["right"]["value"]].setdefault(row["evidence"]["value"], _evidence(row))

    by_iri: dict[str, RightInTime] = {}
    grantors: dict[str, set[Ref]] = defaultdict(set)
    for row in rows["rights"]:
        iri = row["right"]["value"]
        if (grantor := _ref(row, "grantor", "grantorLabel")) is not None:
            grantors[iri].add(grantor)
        if iri in by_iri:
            continue
        by_iri[iri] = RightInTime(
            right=Ref(iri, value(row, "label") or _tail(iri)),
            start=date.fromisoformat(row["from"]["value"][:10]),  # bound by rights.rq
            until=day_value(row, "until"),
            holder=_ref(row, "holder", "holderLabel"),
            expiry=_ref(row, "expiry", "expiryLabel"),
            granted_by=_ref(row, "agreement", "agreementLabel"),
        )
    return sorted(
        (
            replace(
                right,
                grantors=tuple(sorted(grantors[iri])),
                confirmed_by=tuple(
                    sorted(confirmations[iri], key=lambda c: (c.day or date.max, c.agreement))
                ),
                revises=tuple(sorted(revises[iri])),
                evidence=tuple(evidence[iri][k] for k in sorted(evidence[iri])),
            )
            for iri, right in by_iri.items()
        ),
        key=lambda r: (r.start, r.iri),
    )


def agents_from_rows(rows: Rows) -> list[Agent]:
    """Agents from the rows of ``agents.rq``."""
    names: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in rows:
        iri = row["agent"]["value"]
        names[iri].add(row["name"]["value"])
        if (label := value(row, "label")) and iri not in labels:
            labels[iri] = label
    return [
        Agent(Ref(iri, labels.get(iri, _tail(iri))), tuple(sorted(found)))
        for iri, found in sorted(names.items())
    ]


def resolve_holders(agents: list[Agent], holder: str) -> tuple[Ref, ...]:
    """The agents *holder* designates: an IRI, or a name (any label or alternative name,
    compared without regard to case, accents or spacing).

    Raises :class:`BadTimeInput` naming the holder when no agent matches.
    """
    wanted = holder.strip()
    if wanted.startswith(("http://", "https://")):
        found = tuple(a.ref for a in agents if a.ref.iri == wanted)
        if not found:
            raise BadTimeInput(f"unknown holder <{wanted}>: no agent in the graph has that IRI")
        return found
    key = name_key(wanted)
    found = tuple(a.ref for a in agents if any(name_key(n) == key for n in a.names))
    if not found:
        raise BadTimeInput(
            f"unknown holder '{wanted}': no agent in the graph has that name "
            "(give a name such as Microsoft or OpenAI, or an IRI)"
        )
    return found


def name_key(name: str) -> str:
    """A name folded for comparison: no accents, no case, letters and digits only, so that
    "Open AI", "open-ai" and "OpenAI" are one name."""
    return "".join(c for c in fold(name) if c.isalnum())


def _ref(row: dict[str, dict[str, str]], name: str, label_name: str) -> Ref | None:
    iri = value(row, name)
    return Ref(iri, value(row, label_name) or _tail(iri)) if iri else None


def _tail(iri: str) -> str:
    """The last segment of an IRI, for a node without an English label."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _evidence(row: dict[str, dict[str, str]]) -> Evidence:
    quote = row.get("quote")
    cell = quote or row["paraphrase"]
    return Evidence(
        text=cell["value"],
        kind="quote" if quote else "paraphrase",
        language=cell.get("xml:lang"),
        translation=value(row, "translation"),
        source=value(row, "source"),
        identifier=value(row, "identifier"),
        url=value(row, "url"),
    )
