"""The facts are parsed straight into a pyoxigraph store: the same triples rdflib reads from
the data files, and no rdflib graph of them unless a reader asks for one."""

from __future__ import annotations

from pathlib import Path

from project_support import REPO_ROOT
from rdflib import XSD, Graph, Literal
from rdflib.compare import isomorphic

from dealgraph.load import load
from dealgraph.settings import Settings


def _data_files_by_rdflib(root: Path) -> Graph:
    graph = Graph()
    for path in sorted((root / "data").rglob("*.ttl")):
        if "wikidata" not in path.relative_to(root / "data").parts:
            graph.parse(path, format="turtle")
    return graph


def _decimals_canonical(graph: Graph) -> Graph:
    """*graph* with every xsd:decimal written canonically (pyoxigraph reads ``27.0`` as
    ``"27"``, rdflib keeps ``"27.0"``: the same value)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(o.toPython().normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_the_facts_store_holds_exactly_the_triples_of_the_data_files() -> None:
    sources = load(Settings.create(REPO_ROOT))
    expected = _data_files_by_rdflib(REPO_ROOT)
    assert "data" not in vars(sources)  # no rdflib copy of the facts was made by load
    assert len(sources.facts) == len(expected) > 1000
    assert isomorphic(_decimals_canonical(sources.data), _decimals_canonical(expected))
