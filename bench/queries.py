"""The benchmark queries: a trivial ASK, lookups, aggregates and engine-heavy joins.

All are SELECT (or ASK) queries answered as SPARQL JSON results, over the union of the named
graphs. Two IRIs are parameters: a company that holds rights and one resource to look up.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

KINDS = ("trivial", "lookup", "aggregate", "heavy")
UNCACHED = ("ask", "resource", "holder-rights")  # issue 11, item 4: throughput, uncached


@dataclass(frozen=True)
class BenchQuery:
    """One benchmark query: a short name, its kind (one of :data:`KINDS`) and its text."""

    name: str
    kind: str
    text: str
    description: str


def bench_queries(holder: str, resource: str) -> list[BenchQuery]:
    """The query set, with *holder* (a company IRI) and *resource* (any IRI) filled in."""
    return [
        BenchQuery("ask", "trivial", "ASK {}", "`ASK {}`"),
        BenchQuery(
            "resource",
            "lookup",
            f"SELECT ?p ?o WHERE {{ <{resource}> ?p ?o }}",
            "all triples of one resource, by IRI",
        ),
        BenchQuery(
            "holder-rights",
            "lookup",
            PREFIXES
            + f"""SELECT ?right ?label ?agreement WHERE {{
  ?right dg:holder <{holder}> ; a/rdfs:subClassOf* dg:Right ; dg:grantedBy ?agreement .
  OPTIONAL {{ ?right rdfs:label ?label FILTER (lang(?label) = "en") }}
}}""",
            "rights of one holder, with label and agreement",
        ),
        BenchQuery(
            "count-per-class",
            "aggregate",
            "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class "
            "ORDER BY DESC(?n) ?class",
            "instances per class (GROUP BY, COUNT)",
        ),
        BenchQuery(
            "rights-per-holder",
            "aggregate",
            PREFIXES
            + """SELECT ?holder (COUNT(?right) AS ?rights) WHERE {
  ?right dg:holder ?holder ; dg:grantedBy ?agreement .
} GROUP BY ?holder ORDER BY DESC(?rights) ?holder""",
            "rights per holder (GROUP BY, COUNT)",
        ),
        BenchQuery(
            "stakes-by-pct",
            "aggregate",
            PREFIXES
            + """SELECT ?stake ?holder ?company ?pct WHERE {
  ?stake a dg:Stake ; dg:holder ?holder ; dg:stakeIn ?company ; dg:percentage ?pct .
} ORDER BY DESC(?pct) ?stake""",
            "every stake, ORDER BY percentage (full result)",
        ),
        BenchQuery(
            "expiry-join",
            "heavy",
            PREFIXES
            + """SELECT ?holder (COUNT(DISTINCT ?right) AS ?rights) (MIN(?date) AS ?first)
WHERE {
  ?right a/rdfs:subClassOf* dg:Right ; dg:holder ?holder ; dg:expiryCondition ?expiry .
  { ?expiry a dg:DateTrigger ; dg:date ?date }
  UNION
  { ?expiry dg:combination dg:EarliestOf ; dg:member ?member .
    ?member a dg:DateTrigger ; dg:date ?date }
  FILTER (?date <= "2030-12-31"^^xsd:date)
} GROUP BY ?holder ORDER BY DESC(?rights) ?holder""",
            "rights → expiry triggers (date or earliest-of composite) → dates, FILTER, GROUP BY",
        ),
        BenchQuery(
            "evidence-path",
            "heavy",
            PREFIXES
            + """SELECT ?article (COUNT(DISTINCT ?fact) AS ?facts) (SAMPLE(?quote) AS ?example)
WHERE {
  ?fact prov:wasDerivedFrom ?evidence ; dg:certainty ?certainty .
  ?evidence dcterms:source ?article ; oa:exact ?quote .
  FILTER (?certainty != dg:UnderConsideration && CONTAINS(STR(?quote), "a"))
} GROUP BY ?article ORDER BY DESC(?facts) ?article""",
            "facts → evidence → article with a string FILTER, GROUP BY article",
        ),
    ]
