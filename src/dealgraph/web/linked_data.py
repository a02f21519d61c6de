"""Linked Data: what a resource under ``/id/`` says, gathered for a page or an RDF answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pyoxigraph
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import INFERRED_GRAPH, INSTANCE_BASE, OA, ONTOLOGY_GRAPH, PROV, prefixes
from ..namespaces import href as href
from .published import Published
from .store_queries import construct, select
from .worker_pool import WorkerPool

WIKIDATA = prefixes("wd")["wd"]
DG = Namespace(prefixes("dg")["dg"])
SCHEMA = Namespace(prefixes("schema")["schema"])
SAFE_PATH = re.compile(r"^[A-Za-z0-9._~\-/%:]+$")

NEIGHBOURHOOD_QUERY = """
CONSTRUCT {{ ?r ?p ?o . ?s ?q ?r . }}
WHERE {{ {{ ?r ?p ?o }} UNION {{ SELECT ?s ?q ?r WHERE {{ ?s ?q ?r }} LIMIT {limit} }} }}
"""
# Labels, types and evidence of the resource, its neighbours and the properties linking them.
# ?r is bound from outside (like a final VALUES), so each branch must mention it in a triple
# pattern: a bare ``BIND(?r AS ?n)`` would leave ?n unbound and match every node of the store.
CONTEXT_QUERY = """
CONSTRUCT {
  ?n rdfs:label ?l . ?n skos:prefLabel ?pl . ?n a ?t . ?t rdfs:label ?tl .
  ?n prov:wasDerivedFrom ?ev . ?ev oa:exact ?quote . ?ev dcterms:source ?a .
  ?ev dg:translation ?tr . ?ev dg:paraphrase ?para .
  ?a dcterms:identifier ?aid . ?a rdfs:label ?al . ?a dcterms:title ?at . ?a schema:url ?au .
  ?a dcterms:date ?ad . ?a dg:date ?add . ?a dg:dateIsInferred ?adi .
  ?a dcterms:publisher ?ap . ?ap rdfs:label ?apl .
}
WHERE {
  { ?r ?p0 ?o0 BIND(?r AS ?n) } UNION { ?r ?x ?n } UNION { ?n ?x ?r }
  UNION { ?r ?n ?y } UNION { ?y ?n ?r } UNION { ?r a ?n }
  { ?n rdfs:label ?l } UNION { ?n skos:prefLabel ?pl }
  UNION { ?n a ?t OPTIONAL { ?t rdfs:label ?tl } }
  UNION { ?n prov:wasDerivedFrom ?ev OPTIONAL { ?ev oa:exact ?quote }
          OPTIONAL { ?ev dg:translation ?tr } OPTIONAL { ?ev dg:paraphrase ?para }
          OPTIONAL { ?ev dcterms:source ?a
            { ?a dcterms:identifier ?aid } UNION { ?a rdfs:label ?al FILTER(LANG(?al) = "en") }
            UNION { ?a dcterms:title ?at } UNION { ?a schema:url ?au }
            UNION { ?a dcterms:date ?ad } UNION { ?a dg:date ?add }
            UNION { ?a dg:dateIsInferred ?adi }
            UNION { ?a dcterms:publisher ?ap OPTIONAL { ?ap rdfs:label ?apl
                                                        FILTER(LANG(?apl) = "en") } } } }
}
"""
# Resources two steps away through a thing that is not an agent (an agreement, a subject matter,
# a trigger, an amount…): e.g. a permission whose subject matter concerns a company, or an
# event about an agreement the company is party to.
# They are what a researcher looks for on an entity's page, beyond its direct links.
RELATED_QUERY = """
SELECT DISTINCT ?r ?x ?p ?y ?q ?xl ?yl ?pl ?ql WHERE {
  { ?y ?q ?r } UNION { ?r ?q ?y }
  FILTER(isIRI(?y) && ?y != ?r && ?q NOT IN (rdf:type, prov:wasDerivedFrom, owl:sameAs))
  FILTER NOT EXISTS { ?y a dg:Agent }
  FILTER NOT EXISTS { ?y a dg:Evidence }
  FILTER NOT EXISTS { GRAPH <%s> { ?y ?defined ?in } }  # terms and named values (certainty…)
  ?x ?p ?y .
  FILTER(isIRI(?x) && ?x != ?r && ?p NOT IN (rdf:type, prov:wasDerivedFrom, owl:sameAs))
  FILTER(STRSTARTS(STR(?x), STR(id:)))
  FILTER NOT EXISTS { ?x a dg:Evidence }
  FILTER NOT EXISTS { ?x ?direct ?r } FILTER NOT EXISTS { ?r ?direct2 ?x }
  OPTIONAL { ?x rdfs:label ?xl FILTER(LANGMATCHES(LANG(?xl), "en")) }
  OPTIONAL { ?y rdfs:label ?yl FILTER(LANGMATCHES(LANG(?yl), "en")) }
  OPTIONAL { ?p rdfs:label ?pl FILTER(LANGMATCHES(LANG(?pl), "en")) }
  OPTIONAL { ?q rdfs:label ?ql FILTER(LANGMATCHES(LANG(?ql), "en")) }
}
ORDER BY ?xl ?x LIMIT {limit}
""".replace("%s", str(ONTOLOGY_GRAPH))
# The resource's triples (out and in) found only in the inferred graph: entailed by the
# reasoner, not written by a curator.
INFERRED_QUERY = f"""
CONSTRUCT {{ ?r ?p ?o . ?s ?q ?r . }}
WHERE {{
  {{ GRAPH <{INFERRED_GRAPH}> {{ ?r ?p ?o }}
    FILTER NOT EXISTS {{ GRAPH ?g {{ ?r ?p ?o }} FILTER(?g != <{INFERRED_GRAPH}>) }} }}
  UNION
  {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?q ?r }}
    FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?q ?r }} FILTER(?g != <{INFERRED_GRAPH}>) }} }}
}}
"""


class NotFoundError(LookupError):
    """No triple mentions the resource."""


def iri_for_path(path: str) -> str:
    """The instance IRI for ``/id/<path>``; raise :class:`NotFoundError` for unusable paths."""
    if not path or not SAFE_PATH.match(path) or ".." in path.split("/") or "//" in path:
        raise NotFoundError(path)
    iri = INSTANCE_BASE + path
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        raise NotFoundError(path) from None
    return iri


def local_name(iri: str) -> str:
    """The last segment of an IRI, for display when there is no label."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def best_label(graph: Graph, node: URIRef | BNode, langs: tuple[str, ...] = ("en", "fr")) -> str:
    """An English label, else French, else any label, else the local name."""
    labels = [o for p in (RDFS.label, SKOS.prefLabel) for o in graph.objects(node, p)]
    for lang in langs:
        for label in labels:
            if isinstance(label, Literal) and label.language == lang:
                return str(label)
    if labels:
        return str(labels[0])
    return local_name(str(node)) if isinstance(node, URIRef) else "(unnamed node)"


@dataclass
class Evidence:
    """A verbatim quote (or a curator's paraphrase) and the source it comes from, with what
    is known to cite that source."""

    quote: str
    article: str
    article_href: str | None
    translation: str = ""  # the curators' English translation of the quote
    paraphrase: bool = False  # the text is a curator's paraphrase, not the source's words
    source_title: str = ""
    publisher: str = ""
    date: str = ""
    date_inferred: bool = False
    url: str = ""

    @property
    def citation(self) -> str:
        """Publisher, date, URL: what is known of the source beyond its title."""
        date = self.date + (" (date inferred)" if self.date and self.date_inferred else "")
        return ", ".join(p for p in (self.publisher, date, self.url) if p)

    @property
    def cite_href(self) -> str | None:
        """The BibTeX export of the source, when it is shown on this server."""
        return f"/cite{self.article_href}.bib" if self.article_href else None


@dataclass
class TermView:
    """A term as shown on a page: text, link, and the evidence of the node it names."""

    text: str
    href: str | None = None
    detail: str = ""  # language tag or datatype of a literal, or the IRI of a link
    evidence: list[Evidence] = field(default_factory=list)
    external: bool = False
    inferred: bool = False  # for a type: the membership is only in the inferred graph


@dataclass
class FactView:
    """One statement about the resource: a property and a value (outgoing or incoming)."""

    property: TermView
    value: TermView
    inferred: bool = False  # only in the inferred graph: entailed, not curated


@dataclass
class RelatedView:
    """A resource two steps away, and the path to it: ``x —p→ via —q→ this`` (or ``via``
    linked from this)."""

    resource: TermView
    property: str
    via: TermView
    via_property: str


@dataclass
class ResourceView:
    """Everything a resource page shows."""

    iri: str
    label: str
    labels: list[tuple[str, str]]  # (language, label)
    types: list[TermView]
    outgoing: list[FactView]
    incoming: list[FactView]
    evidence: list[Evidence]
    same_as: list[str]
    inferred_graph: str = str(INFERRED_GRAPH)
    related: list[RelatedView] = field(default_factory=list)

    @property
    def href(self) -> str:
        """Where the server shows the resource (``/id/…``)."""
        return href(self.iri)

    @property
    def is_source(self) -> bool:
        """Whether the resource is a source of evidence (it then has a citation to export)."""
        kinds = {str(DG[k]) for k in ("Source", "Article", "OfficialStatement", "Document")}
        return any(t.detail in kinds for t in self.types)

    @property
    def has_inferred(self) -> bool:
        """Whether any type or fact shown is only in the inferred graph."""
        return any(x.inferred for x in (*self.types, *self.outgoing, *self.incoming))


class OwnTriples(Graph):
    """The resource's own triples; ``inferred`` holds those that only the reasoner entailed."""

    def __init__(self, triples: Graph, inferred: Graph) -> None:
        super().__init__()
        for triple in triples:
            self.add(triple)
        self.inferred = inferred


async def describe(
    pool: WorkerPool, published: Published, iri: str, limit: int
) -> tuple[Graph, Graph]:
    """The resource's own triples (out, and at most *limit* in) and their context; raise
    NotFoundError.

    The first graph is an :class:`OwnTriples`, so a page can mark the inferred facts.
    """
    own = await construct(pool, published, NEIGHBOURHOOD_QUERY.format(limit=limit), {"r": iri})
    if len(own) == 0:
        raise NotFoundError(iri)
    context = await construct(pool, published, CONTEXT_QUERY, {"r": iri})
    inferred = await construct(pool, published, INFERRED_QUERY, {"r": iri})
    return OwnTriples(own, inferred), context


async def related(
    pool: WorkerPool, published: Published, iri: str, limit: int = 60
) -> list[RelatedView]:
    """Resources two steps from *iri* through an agreement, a subject matter, a trigger…"""
    rows = await select(pool, published, RELATED_QUERY.replace("{limit}", str(limit)), {"r": iri})
    seen, views = set(), []
    for row in rows:
        x, y = row["x"]["value"], row["y"]["value"]
        if (x, y) in seen:
            continue
        seen.add((x, y))
        views.append(
            RelatedView(
                TermView(row.get("xl", {}).get("value") or local_name(x), href(x), x),
                row.get("pl", {}).get("value") or local_name(row["p"]["value"]),
                TermView(row.get("yl", {}).get("value") or local_name(y), href(y), y),
                row.get("ql", {}).get("value") or local_name(row["q"]["value"]),
            )
        )
    return views


def rdf_description(own: Graph, context: Graph, iri: str) -> Graph:
    """The RDF answer for ``/id/…``: the resource's triples plus its evidence and labels."""
    graph = Graph()
    for prefix, namespace in prefixes("dg", "prov", "oa", "dcterms", "owl", "id", "wd").items():
        graph.bind(prefix, Namespace(namespace))
    for triple in own:
        graph.add(triple)
    node = URIRef(iri)
    for ev in context.objects(node, PROV.wasDerivedFrom):
        for triple in context.triples((ev, None, None)):
            graph.add(triple)
    return graph


def _first(context: Graph, node, prop) -> str:
    """The first value of *prop* on *node* as text ("" when none, or when there is no node)."""
    if node is None:
        return ""
    return next((str(o) for o in context.objects(node, prop)), "")


def _evidence(context: Graph, node: URIRef | BNode) -> list[Evidence]:
    items = []
    for ev in context.objects(node, PROV.wasDerivedFrom):
        quotes = [(str(q), False) for q in context.objects(ev, OA.exact)]
        quotes += [(str(q), True) for q in context.objects(ev, DG.paraphrase)]
        for quote, paraphrase in quotes or [("", False)]:
            articles = list(context.objects(ev, DCTERMS.source))
            source = articles[0] if articles else None
            article_id = next(
                (str(i) for a in articles for i in context.objects(a, DCTERMS.identifier)),
                local_name(str(source)) if source is not None else "",
            )
            link = href(str(source)) if isinstance(source, URIRef) else None
            publisher = next(iter(context.objects(source, DCTERMS.publisher)), None)
            items.append(
                Evidence(
                    quote,
                    article_id,
                    link,
                    translation=_first(context, ev, DG.translation),
                    paraphrase=paraphrase,
                    source_title=_first(context, source, DCTERMS.title)
                    or _first(context, source, RDFS.label),
                    publisher=best_label(context, publisher) if publisher is not None else "",
                    date=(
                        _first(context, source, DCTERMS.date) or _first(context, source, DG.date)
                    )[:10],
                    date_inferred=_first(context, source, DG.dateIsInferred) in ("true", "1"),
                    url=_first(context, source, SCHEMA.url),
                )
            )
    return sorted(items, key=lambda e: (e.article, e.quote))


def _term(context: Graph, term) -> TermView:
    if isinstance(term, Literal):
        detail = term.language or (local_name(str(term.datatype)) if term.datatype else "")
        return TermView(str(term), detail=detail)
    if isinstance(term, URIRef):
        link = href(str(term))
        return TermView(
            best_label(context, term),
            link,
            str(term),
            _evidence(context, term),
            external=not link.startswith("/"),
        )
    return TermView(best_label(context, term), evidence=_evidence(context, term))


def resource_view(own: Graph, context: Graph, iri: str) -> ResourceView:
    """Arrange the resource's triples for its HTML page."""
    node = URIRef(iri)
    inferred = own.inferred if isinstance(own, OwnTriples) else Graph()
    labels = sorted(
        (o.language or "", str(o))
        for p in (RDFS.label, SKOS.prefLabel)
        for o in own.objects(node, p)
        if isinstance(o, Literal)
    )
    hidden = {RDF.type, RDFS.label, SKOS.prefLabel, PROV.wasDerivedFrom, OWL.sameAs}
    outgoing = [
        FactView(_term(context, p), _term(context, o), (node, p, o) in inferred)
        for p, o in own.predicate_objects(node)
        if p not in hidden
    ]
    incoming = [
        FactView(_term(context, p), _term(context, s), (s, p, node) in inferred)
        for s, p in own.subject_predicates(node)
    ]
    types = [
        replace(_term(context, t), inferred=(node, RDF.type, t) in inferred)
        for t in own.objects(node, RDF.type)
    ]
    outgoing.sort(key=lambda f: (f.property.text, f.inferred, f.value.text))
    incoming.sort(key=lambda f: (f.property.text, f.inferred, f.value.text))
    return ResourceView(
        iri=iri,
        label=best_label(context, node) if (node, None, None) in context else local_name(iri),
        labels=labels,
        types=sorted(types, key=lambda t: (t.inferred, t.text)),
        outgoing=outgoing,
        incoming=incoming,
        evidence=_evidence(context, node),
        same_as=sorted(str(o) for o in own.objects(node, OWL.sameAs)),
    )
