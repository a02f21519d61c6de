"""Which entities of the graph are linked to Wikidata, and proposed links as Turtle.

An entity is linked when it has ``owl:sameAs`` to a Wikidata item IRI
(``http://www.wikidata.org/entity/Q…``). Its kind, which steers the ranking of candidates,
comes from its classes, subclasses included: ``dg:Person`` → person, ``dg:Product`` →
product, ``dg:Company`` → company, any other ``dg:Organization`` (public bodies, panels) →
organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from ..namespaces import DG, PREFIXES
from .candidates import Candidate

WD = PREFIXES["wd"]
KIND_OF_CLASS = (  # the first class an entity belongs to decides its kind
    (DG.Person, "person"),
    (DG.Product, "product"),
    (DG.Company, "company"),
    (DG.Organization, "organization"),
)


@dataclass(frozen=True)
class Entity:
    """An entity Wikidata may know: its IRI, kind and names (labels, English first)."""

    iri: str
    kind: str
    names: tuple[str, ...]


def entities(data: Graph, ontology: Graph) -> list[Entity]:
    """Every company, person, product and organisation of *data*, sorted by IRI."""
    kind_of = _kinds_of_classes(ontology)
    found: list[Entity] = []
    for subject in sorted(set(data.subjects(RDF.type, None)), key=str):
        if not isinstance(subject, URIRef):
            continue
        kinds = [kind_of[c] for c in data.objects(subject, RDF.type) if c in kind_of]
        if not kinds:
            continue
        kind = min(kinds, key=[k for _, k in KIND_OF_CLASS].index)
        found.append(Entity(str(subject), kind, _names(data, subject)))
    return found


def linked_items(data: Graph) -> dict[str, str]:
    """Entity IRI -> QID for every ``owl:sameAs`` to a Wikidata item in *data*."""
    links: dict[str, str] = {}
    for subject, item in data.subject_objects(OWL.sameAs):
        if str(item).startswith(WD + "Q"):
            links.setdefault(str(subject), str(item).removeprefix(WD))
    return dict(sorted(links.items()))


def unlinked(data: Graph, ontology: Graph) -> list[Entity]:
    """The entities of :func:`entities` without a Wikidata link."""
    linked = linked_items(data)
    return [entity for entity in entities(data, ontology) if entity.iri not in linked]


def links_turtle(
    links: list[tuple[Entity, Candidate]], endpoint: str, when: date | None = None
) -> str:
    """Proposed links as Turtle for review: ``owl:sameAs`` plus where each was found."""
    day = (when or date.today()).isoformat()
    lines = [
        f"# Wikidata links proposed by `dealgraph link` from {endpoint} on {day}.",
        "# Review each one (label, description) before copying it into data/wikidata-links.ttl.",
        f"@prefix owl: <{PREFIXES['owl']}> .",
        f"@prefix dg: <{PREFIXES['dg']}> .",
        f"@prefix wd: <{WD}> .",
        "",
    ]
    for entity, candidate in sorted(links, key=lambda pair: pair[0].iri):
        note = (
            f"dealgraph link on {day}: best of the {entity.kind} candidates for "
            f"{' / '.join(entity.names)} at {endpoint}: {candidate.label}"
            + (f" ({candidate.description})" if candidate.description else "")
            + f", score {candidate.score}"
        )
        lines.append(f"# {candidate.label}: {candidate.description}".rstrip(": "))
        lines.append(f"<{entity.iri}> owl:sameAs wd:{candidate.qid} ;")
        lines.append(f"    dg:linkConfirmedBy {_turtle_string(note)} .")
        lines.append("")
    return "\n".join(lines)


def _kinds_of_classes(ontology: Graph) -> dict[Node, str]:
    """Class -> kind, for the kind classes and all their subclasses in *ontology*."""
    kind_of: dict[Node, str] = {}
    for cls, kind in reversed(KIND_OF_CLASS):  # more specific kinds overwrite broader ones
        for sub in ontology.transitive_subjects(RDFS.subClassOf, cls):
            kind_of[sub] = kind
    return kind_of


def _names(data: Graph, subject: URIRef) -> tuple[str, ...]:
    labels = sorted(
        data.objects(subject, RDFS.label), key=lambda label: (label.language != "en", str(label))
    )
    return tuple(dict.fromkeys(str(label) for label in labels))


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
