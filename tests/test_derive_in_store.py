"""The derive stage as SPARQL on the reason stage's store gives exactly the derived triples of
its first version on rdflib graphs (tests/derive_oracle.py, the oracle)."""

from __future__ import annotations

from pathlib import Path

from derive_oracle import derive_on_rdflib
from project_support import REPO_ROOT
from rdflib import Graph
from synthetic_support import synthetic_module

from dealgraph.intime.derive import derive, derive_in_store, graph_of
from dealgraph.load import load
from dealgraph.rules.reasoning import reason_into_store
from dealgraph.settings import Settings

EDGE_CASES = """\
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ag: <https://w3id.org/dealgraph/id/agreement/> .
@prefix rt: <https://w3id.org/dealgraph/id/right/> .
@prefix tr: <https://w3id.org/dealgraph/id/trigger/> .

ag:a a dg:Agreement ; dg:date "2024-03-01"^^xsd:date ; dg:datePrecision dg:MonthPrecision .
ag:b a dg:Agreement ; dg:date "2025-01-01"^^xsd:date ; dg:datePrecision dg:YearPrecision ;
    dg:earliestDay "2025-01-02"^^xsd:date .
ag:c a dg:Agreement ; dg:date "2026-02-31"^^xsd:date .
ag:d a dg:Agreement ; dg:date "2026-05-04T10:00:00"^^xsd:dateTime .
ag:e a dg:Agreement ; dg:date "2026-05-04Z"^^xsd:date .
ag:f a dg:Agreement ; dg:date "2026" .
tr:y2030 a dg:DateTrigger ; dg:date "2030-01-01"^^xsd:date ; dg:datePrecision dg:YearPrecision .
tr:y2032 a dg:DateTrigger ; dg:date "2032-01-01"^^xsd:date ; dg:datePrecision dg:YearPrecision .
tr:agi a dg:EventTrigger .
tr:latest a dg:CompositeTrigger ; dg:member tr:y2030 , tr:y2032 ; dg:combination dg:LatestOf .
tr:latest-agi a dg:CompositeTrigger ; dg:member tr:y2030 , tr:agi ;
    dg:combination dg:LatestOf .
tr:loop a dg:CompositeTrigger ; dg:member tr:loop2 , tr:y2032 .
tr:loop2 a dg:CompositeTrigger ; dg:member tr:loop .
rt:asserted a dg:Right ; dg:grantedBy ag:a ; dg:inForceFrom "2024-03-15"^^xsd:date ;
    dg:inForceUntil "2024-12-31"^^xsd:date .
rt:latest a dg:Right ; dg:grantedBy ag:a ; dg:expiryCondition tr:latest .
rt:latest-agi a dg:Right ; dg:grantedBy ag:a ; dg:expiryCondition tr:latest-agi .
rt:loop a dg:Right ; dg:grantedBy ag:a ; dg:expiryCondition tr:loop .
rt:two-ends a dg:Right ; dg:grantedBy ag:a ; dg:endedBy ag:b , ag:a .
rt:old a dg:Right ; dg:grantedBy ag:a ; dg:supersededBy rt:new1 .
rt:new1 a dg:Right ; dg:grantedBy ag:b .
rt:new2 a dg:Right ; dg:grantedBy ag:a ; prov:wasRevisionOf rt:old ; dg:endedBy ag:c .
rt:by-datetime a dg:Right ; dg:grantedBy ag:d ; dg:endedBy ag:e .
rt:blank a dg:Right ; dg:grantedBy ag:f ; dg:expiryCondition [ a dg:DateTrigger ;
    dg:date "2031-06-01"^^xsd:date ; dg:datePrecision dg:MonthPrecision ] .
"""


def _both_on_a_build(root: Path, articles: Path | None = None) -> tuple[set, set]:
    """The derived triples on the build's store, and the oracle's on the same sources."""
    sources = load(Settings.create(root, articles_dir=articles))
    reasoning, store = reason_into_store(sources.ontology, sources.data, sources.defined_in)
    in_store = set(graph_of(derive_in_store(store)))
    oracle = set(derive_on_rdflib(sources.data, reasoning.inferred, sources.ontology))
    return in_store, oracle


def test_derivation_in_the_store_equals_the_rdflib_one_on_the_shipped_data() -> None:
    in_store, oracle = _both_on_a_build(REPO_ROOT)
    assert len(oracle) > 80  # every dated node's days, every right's time in force
    assert in_store == oracle


def test_derivation_in_the_store_equals_the_rdflib_one_on_generated_data(tmp_path: Path) -> None:
    synthetic_module().make_project(tmp_path, 2500, seed=7)
    in_store, oracle = _both_on_a_build(tmp_path, tmp_path / "texts")
    assert len(oracle) > 250
    assert in_store == oracle


def test_derivation_in_the_store_equals_the_rdflib_one_on_edge_cases() -> None:
    # Asserted values, bad and unusual dates, latest-of composites, cycles, a blank trigger.
    data = Graph().parse(data=EDGE_CASES, format="turtle")
    assert set(derive(data, Graph())) == set(derive_on_rdflib(data, Graph()))
    assert len(derive(data, Graph())) > 20
