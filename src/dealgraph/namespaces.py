"""The IRIs dealgraph fixes (design.md §2): the one prefix table, the named graphs of the store,
and where each IRI is shown on the server.

Every prefix table of the project (reports, query results, dumps, pages, the query page's
JavaScript) is :data:`PREFIXES` or a part of it.
"""

from __future__ import annotations

from typing import Any

# The prefixes every query may use without declaring them, and every output abbreviates with.
PREFIXES: dict[str, str] = {
    "dg": "https://w3id.org/dealgraph/ontology#",
    "id": "https://w3id.org/dealgraph/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "wds": "http://www.wikidata.org/entity/statement/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
}

GRAPH_BASE = "https://w3id.org/dealgraph/graph/"
ONTOLOGY_IRI = "https://w3id.org/dealgraph/ontology"
INSTANCE_BASE = PREFIXES["id"]
WIKIDATA_QUERY_SERVICE = "https://query.wikidata.org/sparql"

# Named graphs of a published store (local names under GRAPH_BASE). Queries see their union
# as the default graph.
NAMED_GRAPHS = {
    "ONTOLOGY_GRAPH": "ontology",  # ontology/*.ttl: terms and alignments
    "ASSERTED_GRAPH": "asserted",  # data/**: curated facts, as written by curators
    "INFERRED_GRAPH": "inferred",  # what HermiT entails beyond the asserted triples
    "DERIVED_GRAPH": "derived",  # what the derive stage computes: periods, time in force
}
# rdflib Namespace objects for the code that builds graphs with rdflib.
NAMESPACES = {"DG": "dg", "ID": "id", "PROV": "prov", "OA": "oa", "WD": "wd"}


def __getattr__(name: str) -> Any:
    """rdflib terms (DG, ID, …, GRAPH, ONTOLOGY_GRAPH, …), made on first use so that code
    that only needs the strings above (the query engine, its workers) never imports rdflib."""
    if name not in NAMESPACES and name not in NAMED_GRAPHS and name != "GRAPH":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")  # e.g. __path__
    from rdflib import Namespace, URIRef

    if name in NAMESPACES:
        value: Any = Namespace(PREFIXES[NAMESPACES[name]])
    elif name == "GRAPH":
        value = Namespace(GRAPH_BASE)
    else:
        value = URIRef(GRAPH_BASE + NAMED_GRAPHS[name])
    globals()[name] = value
    return value


def prefixes(*names: str) -> dict[str, str]:
    """The entries of :data:`PREFIXES` named (all of them when none is named)."""
    return {name: PREFIXES[name] for name in names} if names else dict(PREFIXES)


def sparql_prologue(*names: str) -> str:
    """``PREFIX`` lines for the prefixes named (all of them when none is named)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes(*names).items())


def shorten(iri: str, table: dict[str, str] | None = None) -> str | None:
    """``prefix:local`` for *iri* when a prefix of *table* (default: all) covers it, else None."""
    for prefix, namespace in (table or PREFIXES).items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return None


def href(iri: str) -> str:
    """Where the server shows *iri*: ``/id/…`` for instances, ``/ontology#…`` for terms."""
    if iri.startswith(INSTANCE_BASE) and len(iri) > len(INSTANCE_BASE):
        return "/id/" + iri[len(INSTANCE_BASE) :]
    if iri.startswith(PREFIXES["dg"]) and len(iri) > len(PREFIXES["dg"]):
        return "/ontology#" + iri[len(PREFIXES["dg"]) :]
    return iri


# What the query page's JavaScript needs to draw links and prefixed names (fed from here).
LINKS_FOR_PAGES = {
    "prefixes": PREFIXES,
    "local": {"/id/": INSTANCE_BASE, "/ontology#": PREFIXES["dg"]},
}
