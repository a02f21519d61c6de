"""Rules for the facts' entailments: exactly HermiT's inferred triples, found in a query's time.

HermiT stays the oracle (``reason``); the build uses ``reason_by_rules``: HermiT on the
ontology alone, the rules (SPARQL on pyoxigraph) on the facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from project_support import BOTH_COMPANY_AND_RIGHT, MINI, REPO_ROOT, copy_project, write
from rdflib import Graph
from synthetic_support import synthetic_module

from dealgraph.errors import InconsistentOntologyError
from dealgraph.load import load
from dealgraph.reason import reason
from dealgraph.rules.reasoning import reason_by_rules
from dealgraph.settings import Settings


def _both(root: Path, articles: Path | None = None) -> tuple[set, set]:
    sources = load(Settings.create(root, articles_dir=articles))
    hermit = reason(sources.ontology, sources.data, sources.defined_in)
    rules = reason_by_rules(sources.ontology, sources.data, sources.defined_in)
    assert hermit.skipped_reason is None and rules.skipped_reason is None
    return set(hermit.inferred), set(rules.inferred)


def test_rules_give_exactly_hermits_inferred_triples_on_the_shipped_data() -> None:
    hermit, rules = _both(REPO_ROOT)
    assert len(hermit) > 100  # types from domains, ranges, superclasses; inverse values
    assert rules == hermit


def test_rules_give_exactly_hermits_inferred_triples_on_generated_data(tmp_path: Path) -> None:
    synthetic_module().make_project(tmp_path, 2500, seed=5)
    hermit, rules = _both(tmp_path, tmp_path / "texts")
    assert len(hermit) > 400
    assert rules == hermit


def test_rules_give_exactly_hermits_inferred_triples_on_the_mini_project() -> None:
    hermit, rules = _both(MINI)
    assert rules == hermit


def test_disjoint_membership_found_by_rules_names_individual_and_file(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/clash.ttl", BOTH_COMPANY_AND_RIGHT)
    sources = load(settings)
    with pytest.raises(InconsistentOntologyError) as caught:
        reason_by_rules(sources.ontology, sources.data, sources.defined_in)
    assert str(caught.value) == (
        "the ontology and the facts are inconsistent (rules): "
        "https://w3id.org/dealgraph/id/company/openai is both a "
        "https://w3id.org/dealgraph/ontology#Organisation and a "
        "https://w3id.org/dealgraph/ontology#Right, which are disjoint "
        "(in data/clash.ttl, data/companies.ttl)"
    )


def test_two_dates_of_a_functional_property_are_an_inconsistency(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(
        settings,
        "ontology/functional.ttl",
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "dg:date a owl:FunctionalProperty .\n",
    )
    write(
        settings,
        "data/two-dates.ttl",
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/dealgraph/id/x> dg:date "2025-01-01"^^xsd:date , '
        '"2025-02-01"^^xsd:date .\n',
    )
    sources = load(settings)
    with pytest.raises(InconsistentOntologyError) as caught:
        reason_by_rules(sources.ontology, sources.data, sources.defined_in)
    assert str(caught.value) == (
        "the ontology and the facts are inconsistent (rules): https://w3id.org/dealgraph/id/x "
        "has two values of the functional property https://w3id.org/dealgraph/ontology#date: "
        "2025-01-01 and 2025-02-01 (in data/two-dates.ttl)"
    )


def test_unsatisfiable_class_is_still_found_by_hermit() -> None:
    sources = load(Settings.create(MINI))
    ontology = sources.ontology + Graph().parse(
        data="@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "dg:RightCompany rdfs:subClassOf dg:Right, dg:Organisation .\n",
        format="turtle",
    )
    with pytest.raises(InconsistentOntologyError, match="unsatisfiable classes.*RightCompany"):
        reason_by_rules(ontology, sources.data)


def test_without_java_the_rules_still_infer_and_say_hermit_did_not_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import owlready2

    sources = load(Settings.create(MINI))
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-for-dealgraph")
    result = reason_by_rules(sources.ontology, sources.data, sources.defined_in)
    assert result.skipped_reason == (
        "Java not found ('no-such-java-for-dealgraph' is not on PATH): the ontology is not "
        "classified nor proved consistent by HermiT; the facts' entailments and their "
        "consistency with the ontology come from the rules alone (install Java 11+ for HermiT)"
    )
    monkeypatch.undo()
    assert set(result.inferred) == set(reason(sources.ontology, sources.data).inferred)
