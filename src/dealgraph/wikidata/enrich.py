"""Enrich: a snapshot of chosen Wikidata facts about the linked items, labelled as such.

The facts, as Wikidata states them (``wdt:`` truthy values, in Wikidata's own vocabulary):

- labels in English and French (``rdfs:label``);
- inception (``wdt:P571``), official website (``wdt:P856``);
- headquarters location (``wdt:P159``) and parent organization (``wdt:P749``), each with its
  English and French labels;
- stock exchange (``wdt:P414``) with the ticker symbol (``pq:P249``) qualifying that
  statement (``p:P414`` / ``ps:P414``), and a plain ``wdt:P249`` ticker where an item has one.

The snapshot is written to ``data/wikidata/snapshot.ttl``, which the build publishes in its
own named graph (``graph/wikidata``) after the SHACL gate. It describes itself: the named
graph's IRI is a ``prov:Entity`` and ``dcat:Dataset`` with its retrieval time
(``prov:generatedAtTime``), its source (``dcterms:source <https://www.wikidata.org/>``), the
endpoint it was read from and Wikidata's licence (CC0).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

from .. import __version__
from ..namespaces import GRAPH, PROV, prefixes, sparql_prologue
from .client import construct

PREFIXES = prefixes("wd", "wdt", "p", "ps", "pq", "wds", "prov", "dcterms", "dcat", "void")
WD = Namespace(PREFIXES["wd"])
WDT = Namespace(PREFIXES["wdt"])
DCTERMS = Namespace(PREFIXES["dcterms"])
DCAT = Namespace(PREFIXES["dcat"])
VOID = Namespace(PREFIXES["void"])
SNAPSHOT_GRAPH = GRAPH["wikidata"]
SNAPSHOT_FILE = Path("wikidata") / "snapshot.ttl"  # under data/
WIKIDATA = URIRef("https://www.wikidata.org/")
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")


def facts_query(qids: list[str]) -> str:
    """The CONSTRUCT query for the chosen facts about *qids*."""
    values = " ".join(f"wd:{qid}" for qid in qids)
    return sparql_prologue("wd", "wdt", "p", "ps", "pq", "rdfs") + f"""CONSTRUCT {{
  ?item rdfs:label ?label ;
        wdt:P571 ?inception ; wdt:P856 ?website ; wdt:P249 ?ticker ;
        wdt:P159 ?hq ; wdt:P749 ?parent ; p:P414 ?listing .
  ?listing ps:P414 ?exchange ; pq:P249 ?listingTicker .
  ?hq rdfs:label ?hqLabel .
  ?parent rdfs:label ?parentLabel .
  ?exchange rdfs:label ?exchangeLabel .
}} WHERE {{
  VALUES ?item {{ {values} }}
  {{ ?item rdfs:label ?label FILTER(LANG(?label) IN ("en", "fr")) }}
  UNION {{ ?item wdt:P571 ?inception }}
  UNION {{ ?item wdt:P856 ?website }}
  UNION {{ ?item wdt:P249 ?ticker }}
  UNION {{ ?item wdt:P159 ?hq
           OPTIONAL {{ ?hq rdfs:label ?hqLabel FILTER(LANG(?hqLabel) IN ("en", "fr")) }} }}
  UNION {{ ?item wdt:P749 ?parent
           OPTIONAL {{ ?parent rdfs:label ?parentLabel
                      FILTER(LANG(?parentLabel) IN ("en", "fr")) }} }}
  UNION {{ ?item p:P414 ?listing . ?listing ps:P414 ?exchange
           OPTIONAL {{ ?listing pq:P249 ?listingTicker }}
           OPTIONAL {{ ?exchange rdfs:label ?exchangeLabel
                      FILTER(LANG(?exchangeLabel) IN ("en", "fr")) }} }}
}}"""


def fetch_facts(
    endpoint: str, qids: list[str], *, batch_size: int = 50, **client_options: object
) -> Graph:
    """The chosen facts about *qids* from *endpoint*, *batch_size* items per query."""
    facts = Graph()
    unique = sorted(dict.fromkeys(qids), key=lambda q: int(q[1:]))
    for start in range(0, len(unique), batch_size):
        query = facts_query(unique[start : start + batch_size])
        facts += construct(endpoint, query, **client_options)  # type: ignore[arg-type]
    return facts


def describe_snapshot(facts: Graph, endpoint: str, retrieved: datetime, qids: list[str]) -> Graph:
    """*facts* plus the description of the snapshot itself (where from, when, licence)."""
    snapshot = Graph()
    for prefix, namespace in PREFIXES.items():
        snapshot.bind(prefix, namespace)
    snapshot += facts
    node = SNAPSHOT_GRAPH
    snapshot.add((node, RDF.type, PROV.Entity))
    snapshot.add((node, RDF.type, DCAT.Dataset))
    snapshot.add((node, DCTERMS.title, Literal("Wikidata snapshot", lang="en")))
    snapshot.add((node, DCTERMS.title, Literal("Instantané de Wikidata", lang="fr")))
    snapshot.add(
        (
            node,
            DCTERMS.description,
            Literal(
                "Facts about the Wikidata items that dealgraph entities are linked to, "
                "as Wikidata stated them when retrieved; not curated from the articles.",
                lang="en",
            ),
        )
    )
    snapshot.add((node, DCTERMS.source, WIKIDATA))
    snapshot.add((node, DCTERMS.license, CC0))
    snapshot.add((node, VOID.sparqlEndpoint, URIRef(endpoint)))
    snapshot.add((node, VOID.entities, Literal(len(set(qids)))))
    snapshot.add(
        (
            node,
            PROV.generatedAtTime,
            Literal(retrieved.isoformat(timespec="seconds"), datatype=XSD.dateTime),
        )
    )
    return snapshot


def snapshot_text(snapshot: Graph, endpoint: str, retrieved: datetime) -> str:
    """The snapshot as Turtle, after a header comment saying what it is."""
    header = (
        "# Wikidata snapshot: generated by `dealgraph enrich` (dealgraph "
        f"{__version__}) from {endpoint}\n"
        f"# on {retrieved.isoformat(timespec='seconds')}. Do not edit by hand: refresh it "
        "with `dealgraph enrich`.\n"
        "# Wikidata's data is CC0; these are Wikidata's statements, not facts curated from "
        "the articles.\n"
    )
    body = snapshot.serialize(format="turtle")
    return header + body


def enrich(
    endpoint: str,
    qids: list[str],
    output: Path,
    *,
    retrieved: datetime | None = None,
    **client_options: object,
) -> Graph:
    """Fetch the facts about *qids* and write the snapshot to *output* atomically.

    Nothing is written when the endpoint fails: an existing snapshot is left as it was.
    """
    when = retrieved or datetime.now(UTC)
    facts = fetch_facts(endpoint, qids, **client_options)
    snapshot = describe_snapshot(facts, endpoint, when, qids)
    output.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.with_name(f".{output.name}.tmp")
    scratch.write_text(snapshot_text(snapshot, endpoint, when), encoding="utf-8")
    os.replace(scratch, output)
    return snapshot
