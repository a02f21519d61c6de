"""Serializing small rdflib graphs (service description, VoID, pages' data) by media type."""

from __future__ import annotations

from rdflib import Graph

from .negotiation import GRAPH_TYPES, choose, negotiate_results

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def pick_graph_type(accept: str | None, format_param: str | None) -> str | None:
    """The RDF media type to answer with, from ``format`` or ``Accept`` (None: 406)."""
    if format_param:
        return negotiate_results(None, format_param).graph
    return choose(accept, list(GRAPH_TYPES))


def serialize(graph: Graph, media_type: str) -> bytes:
    """*graph* as *media_type* (one of :data:`RDFLIB_FORMATS`)."""
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")
