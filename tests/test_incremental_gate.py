"""After a one-fact change, re-checking the touched focus nodes gives the full check's report."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from synthetic_support import synthetic_module

from dealgraph.gate import compile_shapes, gate
from dealgraph.gate.incremental import recheck, recursive_properties, touched
from dealgraph.gate.run import store_of
from dealgraph.intime.derive import derive
from dealgraph.load import Sources, load
from dealgraph.rules.reasoning import reason_by_rules
from dealgraph.settings import Settings
from dealgraph.validate import ValidationReport

DG = "https://w3id.org/dealgraph/ontology#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sources, list]:
    """A generated deal graph beside the shipped data, and its facts + entailments + ontology."""
    folder = tmp_path_factory.mktemp("incremental")
    synthetic_module().make_project(folder, 2500, seed=3)
    sources = load(Settings.create(folder, articles_dir=folder / "texts"))
    inferred = reason_by_rules(sources.ontology, sources.data, sources.defined_in).inferred
    derived = derive(sources.data, inferred, sources.ontology)
    union = store_of(sources.data, inferred, derived, sources.ontology)
    return sources, [(q.subject, q.predicate, q.object) for q in union]


def _changes(triples: list, seed: int) -> list[tuple[str, tuple]]:
    """Seeded one-fact changes: a fact removed, or a new fact between existing terms."""
    rng = random.Random(seed)
    facts = sorted((t for t in triples if t[0].value.startswith("https://w3id.org/dealgraph/id/")),
                   key=str)  # fmt: skip
    subjects = sorted({t[0] for t in facts}, key=str)
    predicates = sorted({t[1] for t in facts}, key=str)
    objects = sorted({t[2] for t in facts}, key=str)
    classes = sorted({t[2] for t in facts if t[1] == TYPE}, key=str)
    changes: list[tuple[str, tuple]] = []
    for i in range(24):
        kind = i % 3
        if kind == 0:
            changes.append(("remove", rng.choice(facts)))
        elif kind == 1:
            s, p, o = rng.choice(subjects), rng.choice(predicates), rng.choice(objects)
            changes.append(("add", (s, p, o)))
        else:
            changes.append(("add", (rng.choice(subjects), TYPE, rng.choice(classes))))
    return changes


def _gated(sources: Sources, triples: list) -> tuple[ox.Store, list, ValidationReport]:
    """A store of *triples*, the shapes' compiled checks, and the full gate's report on it."""
    checks = compile_shapes(sources.shapes)
    store = ox.Store()
    store.extend(ox.Quad(*t) for t in triples)
    return store, checks, gate(store, sources.shapes, sources.defined_in, checks)


def test_recheck_after_a_one_fact_change_equals_a_full_check(
    generated: tuple[Sources, list],
) -> None:
    sources, triples = generated
    store, checks, before = _gated(sources, triples)
    assert before.conforms
    broken = 0
    for action, triple in _changes(triples, seed=1):
        quad = ox.Quad(*triple)
        if (action == "add") == (quad in store):
            continue  # no change (and undoing it would remove a fact of the graph)
        store.remove(quad) if action == "remove" else store.add(quad)
        full = gate(store, sources.shapes, sources.defined_in, checks)
        again = recheck(store, before, [triple], sources.shapes, sources.defined_in, checks)
        assert again.results == full.results, (action, triple)
        assert again.conforms == full.conforms
        broken += not full.conforms
        store.add(quad) if action == "remove" else store.remove(quad)  # back to valid
    assert broken >= 12  # most changes break a shape: the re-check had something to find


def test_a_change_touches_the_node_and_its_neighbours_only(generated: tuple[Sources, list]) -> None:
    sources, triples = generated
    store = ox.Store()
    store.extend(ox.Quad(*t) for t in triples)
    agreement = ox.NamedNode("https://w3id.org/dealgraph/id/agreement/syn-1-v1")
    date = next(t for t in triples if t[0] == agreement and t[1].value == DG + "date")
    focus = {n.value for n in touched(store, [date], recursive_properties(sources.shapes))}
    assert agreement.value in focus
    rights = {t[0].value for t in triples if t[1].value == DG + "grantedBy" and t[2] == agreement}
    assert rights and rights <= focus  # a right is checked against its agreement's dates
    assert len(focus) < len({t[0] for t in triples}) / 20  # not the whole graph


def test_a_change_of_the_class_hierarchy_checks_everything(
    generated: tuple[Sources, list],
) -> None:
    sources, triples = generated
    store, checks, before = _gated(sources, triples)
    change = (
        ox.NamedNode(DG + "Consent"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
        ox.NamedNode(DG + "Right"),
    )
    store.add(ox.Quad(*change))
    again = recheck(store, before, [change], sources.shapes, sources.defined_in, checks)
    assert again.results == gate(store, sources.shapes, sources.defined_in, checks).results
    assert not again.conforms  # consents are now rights without holders…
