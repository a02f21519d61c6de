"""Publish takes a store's default graph as it takes an rdflib graph: store to store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from dealgraph.publish import publish
from dealgraph.store import OXIGRAPH_FOLDER, current_build

A, B = "https://example.org/a", "https://example.org/b"


def test_a_store_and_a_graph_are_published_in_their_named_graphs_with_their_counts(
    tmp_path: Path,
) -> None:
    facts = ox.Store()
    facts.extend(
        [
            ox.Quad(
                ox.NamedNode(A),
                ox.NamedNode(B),
                ox.Literal("27", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
            ),
            ox.Quad(ox.BlankNode("b1"), ox.NamedNode(B), ox.NamedNode(A)),
            # A named graph of the store is not its default graph: not published.
            ox.Quad(ox.NamedNode(A), ox.NamedNode(B), ox.NamedNode(B), ox.NamedNode(A)),
        ]
    )
    graph = Graph()
    graph.add((URIRef(B), URIRef(B), Literal("x", lang="fr")))
    info = publish(
        {"https://example.org/g/facts": facts, "https://example.org/g/other": graph},
        tmp_path / "store",
        "digest",
    )
    assert info.triples == {"https://example.org/g/facts": 2, "https://example.org/g/other": 1}
    build = current_build(tmp_path / "store")
    assert build is not None
    published = ox.Store.read_only(str(build / OXIGRAPH_FOLDER))
    facts_graph = ox.NamedNode("https://example.org/g/facts")
    assert {
        (q.subject.value, q.object.value)
        for q in published.quads_for_pattern(None, None, None, facts_graph)
    } == {(A, "27"), ("b1", A)}
    other = list(
        published.quads_for_pattern(None, None, None, ox.NamedNode("https://example.org/g/other"))
    )
    assert [(q.object.value, q.object.language) for q in other] == [("x", "fr")]
