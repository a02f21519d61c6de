"""Candidate items for a name, ranked so that the kind of thing sought decides.

The query matches the name exactly against English and French labels and aliases
(``rdfs:label``, ``skos:altLabel``), then reads each item's types (``wdt:P31``, and the
classes above them by ``wdt:P279*``), English description, sitelink count and parent
organisation (``wdt:P749``). Many names are shared: "Oracle" is also a prophet, "Amazon" a
river, "SoftBank" also the telecom subsidiary of SoftBank Group, "Anthropic" a philosophical
principle; decoys often have more sitelinks than the company. So the score is:

======================================  =====================================================
item is an instance of a type of kind    +10 (dominates: nothing else adds up to 10)
the name is the item's label             +2 (an alias match is weaker evidence)
its parent is also a candidate           -1 (a group and its subsidiary share the name: the
                                         name usually means the group)
sitelinks                                +sitelinks/1000, capped below 1 (only breaks ties)
======================================  =====================================================

The types per kind are deliberately few, broad classes; ``P279*`` reaches their subclasses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import PREFIXES, sparql_prologue
from .client import select

WD = PREFIXES["wd"]
LANGUAGES = ("en", "fr")

# Classes an item of each kind is an instance of (directly or through subclasses).
KIND_TYPES: dict[str, tuple[str, ...]] = {
    # business, company, public company, enterprise
    "company": ("Q4830453", "Q783794", "Q891723", "Q6881511"),
    # human
    "person": ("Q5",),
    # product, software, computer program
    "product": ("Q2424752", "Q7397", "Q40056"),
    # government agency, government, organization (public bodies and other organisations)
    "organization": ("Q327333", "Q7188", "Q43229"),
}
KINDS = tuple(KIND_TYPES)

TYPE_WEIGHT = 10.0
LABEL_WEIGHT = 2.0
SUBSIDIARY_PENALTY = 1.0
SITELINKS_CAP = 999


@dataclass(frozen=True)
class Candidate:
    """One Wikidata item that may be what a name means, with its score (higher is better)."""

    qid: str
    label: str
    description: str
    score: float
    sitelinks: int = 0
    kind_types: tuple[str, ...] = ()  # the types of the sought kind the item is an instance of
    matched_label: bool = False  # the name is the item's label, not only an alias
    parent: str = ""  # QID of the parent organisation when it is a candidate too
    evidence: float = 0.0  # the score without the sitelinks tie-break

    @property
    def iri(self) -> str:
        return WD + self.qid

    def as_json(self) -> dict[str, object]:
        return {
            "qid": self.qid,
            "iri": self.iri,
            "label": self.label,
            "description": self.description,
            "score": self.score,
            "sitelinks": self.sitelinks,
            "types": list(self.kind_types),
        }


@dataclass
class _Seen:
    """What the query said about one item for one name (rows are merged into this)."""

    label: str = ""
    label_fr: str = ""
    description: str = ""
    sitelinks: int = 0
    matched_label: bool = False
    types: set[str] = field(default_factory=set)
    parents: set[str] = field(default_factory=set)


def candidate_query(names: dict[str, list[str]], subclasses: bool = True) -> str:
    """The SELECT query for several names at once: ``names`` maps a key to its name variants.

    Every variant is matched in English and French. With *subclasses* false, types are read
    from ``wdt:P31`` alone (for endpoints without property paths).
    """
    rows = " ".join(
        f"({_string(key)} {_string(name)}@{lang})"
        for key, variants in names.items()
        for name in dict.fromkeys(variants)
        for lang in LANGUAGES
    )
    types = " ".join(
        f"wd:{qid}" for qid in dict.fromkeys(q for t in KIND_TYPES.values() for q in t)
    )
    path = "wdt:P31/wdt:P279*" if subclasses else "wdt:P31"
    # Wikidata's own schema.org namespace is http:, not the https: of PREFIXES.
    return sparql_prologue("wd", "wdt", "rdfs", "skos") + f"""PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX schema: <http://schema.org/>
SELECT ?key ?item ?by ?label ?labelFr ?description ?sitelinks ?type ?parent WHERE {{
  VALUES (?key ?name) {{ {rows} }}
  {{ ?item rdfs:label ?name BIND("label" AS ?by) }}
  UNION
  {{ ?item skos:altLabel ?name BIND("alias" AS ?by) }}
  FILTER(STRSTARTS(STR(?item), "{WD}Q"))
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item rdfs:label ?labelFr FILTER(LANG(?labelFr) = "fr") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
  OPTIONAL {{ ?item wikibase:sitelinks ?sitelinks }}
  OPTIONAL {{ VALUES ?type {{ {types} }} ?item {path} ?type }}
  OPTIONAL {{ ?item wdt:P749 ?parent }}
}}"""


def rank(rows: list[dict[str, str]], kinds: dict[str, str]) -> dict[str, list[Candidate]]:
    """Candidates per key from the query's rows, best first; *kinds* maps a key to its kind."""
    seen: dict[str, dict[str, _Seen]] = defaultdict(dict)
    for row in rows:
        key, item = row.get("key", ""), row.get("item", "")
        if key not in kinds or not item.startswith(WD):
            continue
        entry = seen[key].setdefault(item.removeprefix(WD), _Seen())
        entry.label = entry.label or row.get("label", "")
        entry.label_fr = entry.label_fr or row.get("labelFr", "")
        entry.description = entry.description or row.get("description", "")
        entry.sitelinks = max(entry.sitelinks, _int(row.get("sitelinks")))
        entry.matched_label = entry.matched_label or row.get("by") == "label"
        if row.get("type", "").startswith(WD):
            entry.types.add(row["type"].removeprefix(WD))
        if row.get("parent", "").startswith(WD):
            entry.parents.add(row["parent"].removeprefix(WD))
    ranked: dict[str, list[Candidate]] = {key: [] for key in kinds}
    for key, items in seen.items():
        wanted = KIND_TYPES[kinds[key]]
        candidates = [_candidate(qid, entry, wanted, set(items)) for qid, entry in items.items()]
        ranked[key] = sorted(candidates, key=lambda c: (-c.score, c.qid))
    return ranked


def find_candidates(
    endpoint: str,
    wanted: dict[str, tuple[str, list[str]]],
    *,
    batch_size: int = 20,
    subclasses: bool = True,
    **client_options: object,
) -> dict[str, list[Candidate]]:
    """Ranked candidates for each key of *wanted* (key -> (kind, name variants)).

    Keys are sent *batch_size* at a time, one query per batch.
    """
    for kind, _ in wanted.values():
        if kind not in KIND_TYPES:
            raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    keys = list(wanted)
    result: dict[str, list[Candidate]] = {}
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        query = candidate_query({k: wanted[k][1] for k in batch}, subclasses=subclasses)
        rows = select(endpoint, query, **client_options)  # type: ignore[arg-type]
        result.update(rank(rows, {k: wanted[k][0] for k in batch}))
    return result


def accepted(candidates: list[Candidate]) -> Candidate | None:
    """The candidate to link to, or None when the choice is not clear enough to propose.

    The best must be of the sought kind and beat the runner-up on evidence (kind, label,
    parent), not by sitelinks alone.
    """
    if not candidates or not candidates[0].kind_types:
        return None
    best = candidates[0]
    if len(candidates) > 1 and best.evidence <= candidates[1].evidence:
        return None
    return best


def _candidate(qid: str, entry: _Seen, wanted: tuple[str, ...], others: set[str]) -> Candidate:
    kind_types = tuple(t for t in wanted if t in entry.types)
    parent = next((p for p in sorted(entry.parents) if p in others and p != qid), "")
    score = TYPE_WEIGHT if kind_types else 0.0
    score += LABEL_WEIGHT if entry.matched_label else 0.0
    score -= SUBSIDIARY_PENALTY if parent else 0.0
    evidence = score
    score += min(entry.sitelinks, SITELINKS_CAP) / 1000
    return Candidate(
        qid=qid,
        label=entry.label or entry.label_fr or qid,
        description=entry.description,
        score=round(score, 3),
        sitelinks=entry.sitelinks,
        kind_types=kind_types,
        matched_label=entry.matched_label,
        parent=parent,
        evidence=evidence,
    )


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _string(text: str) -> str:
    """A SPARQL string literal for *text*."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'
