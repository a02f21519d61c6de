"""Serializing small rdflib graphs (service description, VoID, pages' data) by media type."""

from __future__ import annotations

from rdflib import Graph

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/n3": "n3",
}


def serialize(graph: Graph, media_type: str) -> bytes:
    """*graph* as *media_type* (one of :data:`RDFLIB_FORMATS`)."""
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")
