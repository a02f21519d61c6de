"""The gate as SPARQL on pyoxigraph gives pyshacl's results, and generated data passes the gate.

pyshacl is the oracle: on the shipped data, on a small generated deal graph (bench/synthetic.py,
which must pass the whole gate: shapes, quotes, reasoner) and on that graph with violations
injected, by hand for shapes random edits rarely reach and by seeded random edits for the
rest, both must report the same results, and together the injections must break every shape.
"""

from __future__ import annotations

import decimal
import random
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from project_support import REPO_ROOT
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from synthetic_support import synthetic_module

from dealgraph.gate import compile_shapes, gate
from dealgraph.gate.compile import focus_query
from dealgraph.gate.run import store_of
from dealgraph.intime.derive import derive
from dealgraph.load import Sources, load
from dealgraph.pipeline import CheckResult, check
from dealgraph.reason import reason
from dealgraph.settings import Settings
from dealgraph.validate import ValidationReport, ViolationResult, validate

DG = Namespace("https://w3id.org/dealgraph/ontology#")
ID = Namespace("https://w3id.org/dealgraph/id/")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
RANGE_COMPONENTS = (
    str(SH.MinInclusiveConstraintComponent),
    str(SH.MaxInclusiveConstraintComponent),
)


@dataclass
class Case:
    """Sources with their reasoner output: what both gates are run on."""

    sources: Sources
    inferred: Graph

    def both(
        self, data: Graph, ontology: Graph | None = None
    ) -> tuple[ValidationReport, ValidationReport]:
        """pyshacl's report and the SPARQL gate's on *data* (+ derived triples, ontology)."""
        ontology = self.sources.ontology if ontology is None else ontology
        derived = derive(data, self.inferred, ontology)
        shapes, defined_in = self.sources.shapes, self.sources.defined_in
        oracle = validate(data, self.inferred + derived, ontology, shapes, defined_in)
        store = store_of(data, self.inferred, derived, ontology)
        return oracle, gate(store, shapes, defined_in, compile_shapes(shapes))


def _canonical(value: str | None) -> str | None:
    """A numeric literal's value in one form (the store keeps 27.0 as 27)."""
    if value is not None and (value.startswith(("http", "_:", "urn:")) or "e" in value.lower()):
        return value  # an IRI, a blank node, or text that only looks like a number
    try:
        return str(decimal.Decimal(value).normalize()) if value is not None else None
    except decimal.InvalidOperation:
        return value


def _key(r: ViolationResult) -> tuple:
    # a literal focus node (sh:targetObjectsOf) is shown in the store's canonical form too
    return (_canonical(r.focus_node), r.shape, r.path, r.message, r.severity, _canonical(r.value),
            tuple(r.files), r.constraint, r.property_shape)  # fmt: skip


def _comparable(r: ViolationResult) -> bool:
    """All but a range bound on a value of another type (true ≤ 100): SPARQL cannot compare
    them, a violation as SHACL says; pyshacl compares Python values. The datatype constraint
    refuses such a value in both gates."""
    if r.constraint not in RANGE_COMPONENTS or r.value is None:
        return True
    return _canonical(r.value) != r.value or r.value.replace(".", "").isdigit()


def assert_same(oracle: ValidationReport, sparql: ValidationReport) -> None:
    expected = Counter(_key(r) for r in oracle.results if _comparable(r))
    found = Counter(_key(r) for r in sparql.results if _comparable(r))
    assert found == expected, {"only pyshacl": expected - found, "only sparql": found - expected}
    assert sparql.conforms == oracle.conforms


@pytest.fixture(scope="module")
def shipped() -> Case:
    sources = load(Settings.create(REPO_ROOT))
    return Case(sources, reason(sources.ontology, sources.data, sources.defined_in).inferred)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[CheckResult, Case]:
    """A ~1,500-triple generated deal graph beside the shipped data, through the real gate."""
    folder = tmp_path_factory.mktemp("synthetic")
    synthetic_module().make_project(folder, 1500, seed=11)
    settings = Settings.create(folder, folder / "store", articles_dir=folder / "texts")
    result = check(settings)
    return result, Case(result.sources, result.reasoning.inferred)


def test_generated_deal_graph_passes_the_gate(generated: tuple[CheckResult, Case]) -> None:
    result, _ = generated
    assert result.reasoning.skipped_reason is None  # HermiT ran and found it consistent
    assert result.quotes.checked > 30 and not result.quotes.results  # every quote proven
    assert result.report.results == []  # no violation, not even a warning
    assert result.conforms
    rights = {r for r in result.sources.data.subjects(DG.grantedBy, None) if "/syn-" in str(r)}
    assert len(rights) > 10 and all((r, DG.inForceFrom, None) in result.derived for r in rights)


def test_sparql_gate_gives_pyshacls_results_on_the_shipped_data(shipped: Case) -> None:
    oracle, sparql = shipped.both(shipped.sources.data)
    assert [_key(r) for r in sparql.results] == [_key(r) for r in oracle.results]
    assert sparql.shapes == oracle.shapes


def _hand_injected(data: Graph, ontology: Graph) -> tuple[Graph, Graph]:
    """Violations of the shapes random edits rarely reach."""
    data, ontology = data + Graph(), ontology + Graph()
    trigger = next(data.subjects(RDF.type, DG.DateTrigger))
    composite = next(data.subjects(RDF.type, DG.CompositeTrigger))
    amount = next(data.subjects(RDF.type, DG.MonetaryAmount))
    statement = ID["official-statement/syn-test"]
    data.set((trigger, DG.datePrecision, DG.MonthPrecision))  # DateTriggerPrecisionShape
    data.add((trigger, RDF.type, DG.EventTrigger))  # TriggerShape (xone)
    data.set((composite, DG.combination, DG.Exact))  # CombinationValueShape
    data.add((amount, DG.amountUndisclosed, Literal(True)))  # UndisclosedAmountShape
    data.add((statement, RDF.type, DG.OfficialStatement))
    data.add((statement, DCTERMS.date, Literal("2026")))  # SourceDateValueShape
    data.add((statement, SCHEMA.url, Literal("https://example.org/a")))  # SourceUrlValueShape
    data.add((BNode("snapshot"), RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")))
    ontology.remove((DG.Right, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
    company, agreement, right = (
        ID["company/syn-1"],
        ID["agreement/syn-1-v1"],
        ID["right/syn-1-v1-r1"],
    )
    data.add((company, OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q1")))  # WikidataLink…
    data.add((agreement, PROV.wasRevisionOf, agreement))  # AgreementNotItsOwnVersionShape
    data.add((right, DG.isExclusive, Literal("yes")))  # ExclusivityValueShape
    obligation = next(data.subjects(RDF.type, DG.Obligation), None) or next(
        data.subjects(DG.obligor, None)
    )
    data.remove((obligation, DG.obligor, None))  # ObligationShape
    article = next(data.subjects(DG.dateBasis, None))
    data.remove((article, DG.dateBasis, None))  # InferredDateBasisShape
    open_ended = next(data.subjects(RDF.type, DG.OpenEndedTrigger))
    data.remove((open_ended, RDFS.comment, None))  # OpenEndedTriggerShape
    stake = next(data.subjects(RDF.type, DG.Stake))
    data.remove((stake, DG.date, None))  # StakeTimeShape
    evidence = next(data.subjects(DG.translation, None))
    data.remove((evidence, DG.translation, None))  # QuoteTranslationShape
    data.add((right, DG.inForceFrom, Literal("2040-01-01", datatype=XSD.date)))
    return data, ontology


def _randomly_broken(case: Case, seed: int, edits: int = 3) -> Graph:
    """The data of *case* with, for every node shape, one of its focus nodes broken by
    *edits* seeded random edits: a triple removed, a value replaced by a wrong one (another
    term, an ill-typed or mistyped literal), an extra value, a self-loop or a new type."""
    rng = random.Random(seed)
    data, ontology, shapes = case.sources.data, case.sources.ontology, case.sources.shapes
    store = store_of(data, case.inferred, derive(data, case.inferred, ontology), ontology)
    objects = sorted({o for _, _, o in data}, key=str)
    classes = sorted(
        {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}, key=str
    )
    wrong = [
        Literal("x"), Literal("ab", lang="de"), Literal("12", datatype=XSD.integer),
        Literal("2025-13-01", datatype=XSD.date), Literal("-3.5", datatype=XSD.decimal),
        BNode(), URIRef("https://example.org/x"), Literal("true", datatype=XSD.boolean),
        Literal("2031", datatype=XSD.gYear), Literal("2025-02-01", datatype=XSD.date),
    ]  # fmt: skip
    broken = data + Graph()
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        focus = sorted(_terms(store.query(focus_query(shapes, shape))), key=str)
        node = rng.choice(focus) if focus else None
        own = sorted(data.triples((node, None, None)), key=str) if node is not None else []
        for _ in range(edits if own else 0):
            s, p, o = rng.choice(own)
            kind = rng.randrange(6)
            if kind == 0:
                broken.remove((s, p, o))
            elif kind == 1:
                broken.add((s, p, rng.choice(objects)))
            elif kind == 2:
                broken.remove((s, p, o))
                broken.add((s, p, rng.choice(wrong)))
            elif kind == 3 and isinstance(o, Literal) and o.datatype is None:
                broken.add((s, p, Literal(f"{o} bis", lang=o.language)))
            elif kind == 3:
                broken.add((s, p, s))
            elif kind == 4:
                broken.add((s, RDF.type, rng.choice(classes)))
            else:
                broken.remove((s, p, o))
                broken.add((s, p, rng.choice(objects)))
    return broken


def _terms(solutions: object) -> set[URIRef | BNode]:
    found: set[URIRef | BNode] = set()
    for solution in solutions:  # type: ignore[attr-defined]
        term = solution["this"]
        if isinstance(term, ox.NamedNode):
            found.add(URIRef(term.value))
        elif isinstance(term, ox.BlankNode):
            found.add(BNode(term.value))
    return found


def test_sparql_gate_gives_pyshacls_results_on_generated_data_with_violations_of_every_shape(
    generated: tuple[CheckResult, Case],
) -> None:
    _, case = generated
    sources = case.sources
    broken_shapes: set[str] = set()
    # Rounds until every node shape was broken (blank node ids, random per load, change which
    # nodes the seeded edits pick): at least two, at most five.
    for seed in range(5):
        # the first round adds the hand-made violations to the random ones
        data, ontology = _randomly_broken(case, seed), sources.ontology
        if seed == 0:
            data, ontology = _hand_injected(data, ontology)
        oracle, sparql = case.both(data, ontology)
        assert_same(oracle, sparql)
        broken_shapes |= {r.shape for r in oracle.results}
        if seed >= 1 and not set(oracle.shapes) - broken_shapes:
            break
    assert set(oracle.shapes) - broken_shapes == set()  # every node shape was broken


def test_sparql_gate_refuses_a_shape_it_cannot_translate() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:closed true .
        """,
        format="turtle",
    )
    from dealgraph.gate import UnsupportedShape

    with pytest.raises(UnsupportedShape) as refused:
        compile_shapes(shapes)
    assert str(refused.value) == (
        "urn:s: http://www.w3.org/ns/shacl#closed is not supported by the SPARQL gate"
    )


def test_paths_are_reported_as_pyshacl_reports_them(shipped: Case) -> None:
    paths = {c.path for c in compile_shapes(shipped.sources.shapes)}
    assert (
        "(<http://www.w3.org/2000/01/rdf-schema#label>|<http://purl.org/dc/terms/title>)" in paths
    )
    assert "<http://purl.org/dc/terms/source>/<http://purl.org/dc/terms/identifier>" in paths
