"""Named graphs of a published store, read as one default graph.

A full build runs each stage on an in-memory store whose default graph holds what that stage
reads (the ontology and the facts; then their entailments; then the derived triples). A build
after a small edit runs the same code on the new build's store, where these are named graphs:
a view gives that code the default graph it expects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox


class GraphView:
    """The union of *graphs* of *store*, as the default graph of its queries."""

    def __init__(self, store: ox.Store, graphs: Iterable[str]) -> None:
        self.store = store
        self.graphs = [ox.NamedNode(iri) for iri in graphs]

    def query(self, query: str, **options: Any) -> Any:  # noqa: ANN401  # pyoxigraph's answer
        """:meth:`pyoxigraph.Store.query` with the view's graphs as the default graph."""
        options.pop("use_default_graph_as_union", None)  # the view decides what is read
        return self.store.query(query, default_graph=self.graphs, **options)

    def __contains__(self, quad: ox.Quad) -> bool:
        return any(ox.Quad(*quad.triple, graph) in self.store for graph in self.graphs)
