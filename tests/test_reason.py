"""Reason: HermiT proves consistency; what it entails is returned apart from the facts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from project_support import BOTH_COMPANY_AND_RIGHT, MINI, copy_project, write
from rdflib import OWL, RDF, Graph, URIRef

from dealgraph.errors import InconsistentOntologyError
from dealgraph.load import Sources, load
from dealgraph.namespaces import DG, ID
from dealgraph.reason import Reasoning, reason
from dealgraph.settings import Settings

MICROSOFT = ID["company/microsoft"]
RIGHT = ID["right/microsoft-openai-ip-2032"]
WIKIDATA_MICROSOFT = URIRef("http://www.wikidata.org/entity/Q2283")


@pytest.fixture(scope="module")
def mini_sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return load(Settings.create(MINI, tmp_path_factory.mktemp("store")))


@pytest.fixture(scope="module")
def mini_reasoning(mini_sources: Sources) -> Reasoning:
    return reason(mini_sources.ontology, mini_sources.data, mini_sources.defined_in)


def test_inverse_property_values_are_inferred(mini_reasoning: Reasoning) -> None:
    assert (RIGHT, DG.heldBy, MICROSOFT) in mini_reasoning.inferred


def test_superclass_memberships_are_inferred(mini_reasoning: Reasoning) -> None:
    assert (MICROSOFT, RDF.type, DG.Organisation) in mini_reasoning.inferred
    assert (ID["trigger/end-2032"], RDF.type, DG.Trigger) in mini_reasoning.inferred


def test_asserted_triples_are_not_repeated_as_inferred(
    mini_sources: Sources, mini_reasoning: Reasoning
) -> None:
    assert not set(mini_reasoning.inferred) & set(mini_sources.data)
    assert not set(mini_reasoning.inferred) & set(mini_sources.ontology)


def test_trivial_inferences_are_left_out(mini_reasoning: Reasoning) -> None:
    objects = set(mini_reasoning.inferred.objects())
    assert OWL.Thing not in objects
    assert OWL.NamedIndividual not in objects
    assert not any(s == o for s, _, o in mini_reasoning.inferred.triples((None, OWL.sameAs, None)))


def test_same_as_aliases_get_no_copied_facts(mini_reasoning: Reasoning) -> None:
    # HermiT entails every fact of company/microsoft for its Wikidata alias too.
    assert (WIKIDATA_MICROSOFT, None, None) not in mini_reasoning.inferred
    assert (None, None, WIKIDATA_MICROSOFT) not in mini_reasoning.inferred


def test_xsd_date_values_do_not_stop_hermit(
    mini_sources: Sources, mini_reasoning: Reasoning
) -> None:
    # xsd:date is outside the OWL 2 datatype map: HermiT must be told to let it through.
    assert any(o.datatype for o in mini_sources.data.objects(None, DG.date))
    assert mini_reasoning.skipped_reason is None
    assert mini_reasoning.seconds > 0


def test_disjoint_membership_is_an_inconsistency_naming_individual_and_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/clash.ttl", BOTH_COMPANY_AND_RIGHT)
    sources = load(settings)
    # A temporary folder of this test's own: another build's files never show up in it.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    with pytest.raises(InconsistentOntologyError) as caught:
        reason(sources.ontology, sources.data, sources.defined_in)
    message = str(caught.value)
    assert "inconsistent" in message
    assert str(ID["company/openai"]) in message
    assert "data/clash.ttl" in message
    # owlready2 leaves HermiT's input behind on failure; ours lives in a folder that is removed.
    assert list(private.iterdir()) == []


def test_unsatisfiable_class_is_reported(mini_sources: Sources) -> None:
    ontology = mini_sources.ontology + Graph().parse(
        data="@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "dg:RightCompany rdfs:subClassOf dg:Right, dg:Company .\n",
        format="turtle",
    )
    with pytest.raises(InconsistentOntologyError, match="unsatisfiable classes.*RightCompany"):
        reason(ontology, mini_sources.data)


def test_without_java_reasoning_is_skipped_with_a_reason(
    mini_sources: Sources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no java on it
    result = reason(mini_sources.ontology, mini_sources.data)
    assert result.skipped_reason is not None
    assert "Java not found" in result.skipped_reason
    assert len(result.inferred) == 0
